"""Spreadsheet imports and exports made safe: the upload guard, the widgets, the base resource, and
the background import runner (the floor: imports no app; resources name their models).

- `read_upload()` refuses what is not a small UTF-8 CSV or a sane XLSX (an XLSX is a zip: member
  count, unpacked size and packing ratio are capped, so a zip bomb is refused before it is opened).
- `SafeResource` is the base of every app's resource: every text cell it exports is formula-safe
  (`movement.exporting`), the prefix is stripped again on import, an id names an existing row (an
  unknown id is an error, never a new row with that id), and a row repeating an earlier one is an
  error. Widgets report a bad number, date, choice or name in the user's language.
- `run_import_job()` is the background path for large files: it checks every row first, waits for
  the secretariat's confirmation, checks again and writes everything in one transaction with
  django-simple-history's bulk functions (history kept, no row-by-row saves), reporting progress.
"""

import copy
import csv
import datetime
import io
import logging
import zipfile
from decimal import Decimal, InvalidOperation

import tablib
from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.core.files.base import ContentFile
from django.db import models, transaction
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export import fields, resources, widgets
from import_export.instance_loaders import ModelInstanceLoader
from import_export.results import RowResult

from .exporting import formula_safe, formula_unsafe
from .models import ImportJob

logger = logging.getLogger(__name__)

EXTENSIONS = ("csv", "xlsx")
XLSX_MAX_MEMBERS = 1000
XLSX_MAX_RATIO = 200  # unpacked / packed size of one member; real sheets stay well below 100
CHUNK = 500  # rows validated and written at a time in the background path
MAX_STORED_ERRORS = 200
# The task's hard limit (10,000 goals take about 20 s), below the broker's visibility timeout; a job
# queued this long without starting was lost by the broker and is queued again by the sweep.
TIME_LIMIT = 300
QUEUED_GRACE = datetime.timedelta(minutes=2)


class UploadRejected(ValueError):
    """The file cannot be imported at all; the message says why, in the user's language."""


# The upload guard ---------------------------------------------------------------------------------


def read_upload(name, data):
    """The rows of an uploaded CSV or XLSX as a tablib Dataset, or UploadRejected with the reason."""
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension not in EXTENSIONS:
        raise UploadRejected(_("Upload a .csv or .xlsx file."))
    if len(data) > settings.IMPORT_MAX_UPLOAD_BYTES:
        raise UploadRejected(
            _("The file is larger than %(size)s MB.") % {"size": _megabytes(settings.IMPORT_MAX_UPLOAD_BYTES)}
        )
    if not data.strip():
        raise UploadRejected(_("The file is empty."))
    dataset = _read_csv(data) if extension == "csv" else _read_xlsx(data)
    headers = [str(header or "").strip() for header in dataset.headers or []]
    if not any(headers):
        raise UploadRejected(_("The first row must name the columns."))
    dataset.headers = headers
    if not len(dataset):
        raise UploadRejected(_("The file has column names but no rows."))
    if len(dataset) > settings.IMPORT_MAX_ROWS:
        raise UploadRejected(_("At most %(count)d rows in one file.") % {"count": settings.IMPORT_MAX_ROWS})
    return dataset


def _megabytes(size):
    return f"{size / 1024 / 1024:g}"


def _read_csv(data):
    if b"\x00" in data:
        raise UploadRejected(_("This is not a CSV file. Save the sheet as CSV (UTF-8) or as XLSX."))
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise UploadRejected(
            _(
                "The file is not UTF-8 text (perhaps Windows Hebrew). In the spreadsheet choose "
                "“CSV UTF-8” when saving, or save it as XLSX."
            )
        ) from error
    try:
        return tablib.Dataset().load(text, format="csv")
    except (csv.Error, tablib.InvalidDimensions) as error:
        raise UploadRejected(_("The file cannot be read as CSV: %(error)s") % {"error": error}) from error


def _read_xlsx(data):
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as error:
        raise UploadRejected(
            _("This is not an XLSX file. Save the sheet as XLSX or as CSV (UTF-8).")
        ) from error
    with archive:
        members = archive.infolist()
        names = {member.filename for member in members}
        if "[Content_Types].xml" not in names or "xl/workbook.xml" not in names:
            raise UploadRejected(_("This is not an XLSX file. Save the sheet as XLSX or as CSV (UTF-8)."))
        # zipfile never unpacks more than a member's declared size, so the declared sizes are the bound.
        unpacked = sum(member.file_size for member in members)
        too_packed = any(
            member.file_size > 1024 * 1024
            and member.file_size > XLSX_MAX_RATIO * max(member.compress_size, 1)
            for member in members
        )
        if (
            len(members) > XLSX_MAX_MEMBERS
            or unpacked > settings.IMPORT_XLSX_MAX_UNPACKED_BYTES
            or too_packed
        ):
            raise UploadRejected(
                _("The XLSX file unpacks to far more than it holds (a zip bomb?). It was not opened.")
            )
    try:
        return tablib.Dataset().load(io.BytesIO(data), format="xlsx")
    except Exception as error:  # openpyxl raises many kinds for a damaged workbook
        raise UploadRejected(
            _("The XLSX file cannot be read. Save it again from the spreadsheet.")
        ) from error


# Widgets: clean values from a spreadsheet, or say in the user's language what is wrong -------------


def _text(value):
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))  # a spreadsheet turns "12" into 12.0
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return _text(value)

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class NumberWidget(widgets.Widget):
    """A decimal (or, with whole=True, an integer). Numbers are exported as numbers, never prefixed."""

    def __init__(self, whole=False, **kwargs):
        self.whole = whole
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        if value is None or isinstance(value, str) and not value.strip():
            return None
        if isinstance(value, bool):
            raise ValueError(_("%(value)s is not a number.") % {"value": value})
        text = str(value).strip().replace(",", "").replace("₪", "").strip()
        try:
            number = Decimal(text)
        except InvalidOperation:
            raise ValueError(_("%(value)s is not a number.") % {"value": value}) from None
        if not number.is_finite():
            raise ValueError(_("%(value)s is not a number.") % {"value": value})
        if self.whole:
            if number != number.to_integral_value():
                raise ValueError(_("%(value)s is not a whole number.") % {"value": value})
            return int(number)
        return number

    def render(self, value, obj=None, **kwargs):
        return value


class BooleanWidget(widgets.Widget):
    """Yes or no; an empty cell leaves the row's value as it is (use with saves_null_values=False)."""

    TRUE = {"1", "true", "yes", "כן", "v", "x"}
    FALSE = {"0", "false", "no", "לא"}

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, bool):
            return value
        text = _text(value).lower()
        if not text:
            return None
        if text in self.TRUE:
            return True
        if text in self.FALSE:
            return False
        raise ValueError(_("%(value)s is not yes or no (use 1 or 0).") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return 1 if value else 0


class DateWidget(widgets.Widget):
    FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d/%m/%Y", "%d.%m.%y", "%d/%m/%y")

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            return value.date()
        if isinstance(value, datetime.date):
            return value
        text = _text(value)
        if not text:
            return None
        for pattern in self.FORMATS:
            try:
                return datetime.datetime.strptime(text, pattern).date()  # noqa: DTZ007 (a date, no time)
            except ValueError:
                continue
        raise ValueError(_("%(value)s is not a date (write 2018-03-31 or 31.3.2018).") % {"value": value})

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class DateTimeWidget(widgets.Widget):
    """A moment in local time, written "2018-03-31 14:05" (spreadsheets know no time zones)."""

    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime.datetime):
            moment = value
        else:
            text = _text(value)
            if not text:
                return None
            try:
                moment = datetime.datetime.fromisoformat(text)
            except ValueError:
                raise ValueError(
                    _("%(value)s is not a date and time (write 2018-03-31 14:05).") % {"value": value}
                ) from None
        return timezone.make_aware(moment) if timezone.is_naive(moment) else moment

    def render(self, value, obj=None, **kwargs):
        return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else ""


class ChoiceWidget(widgets.Widget):
    """A choice by its code ("on_track") or its label in either language ("בזמן", "On track")."""

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        known = {}
        for code, label in self.choices.choices:
            known[str(code).lower()] = code
            for language, _name in settings.LANGUAGES:
                with translation.override(language):
                    known.setdefault(str(label).lower(), code)
        try:
            return known[text.lower()]
        except KeyError:
            raise ValueError(
                _("Unknown value %(value)s; use one of: %(choices)s.")
                % {"value": text, "choices": ", ".join(str(code) for code in self.choices.values)}
            ) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else value


class LookupWidget(widgets.ForeignKeyWidget):
    """A related row by a readable key (a department by its name, a person by email), looked up once.

    `keys` are the model's fields to match (the first is exported); `unknown` is the error message with
    %(value)s. Every row of the queryset is read once per import, so a 10,000-row file costs one query.
    """

    def __init__(self, model, keys=("name",), unknown=None, queryset=None, **kwargs):
        self.keys = keys
        self.unknown = unknown or gettext_lazy("Unknown value: %(value)s")
        self._queryset = queryset
        self._cache = None
        super().__init__(model, field=keys[0], **kwargs)

    def get_queryset(self, value, row, *args, **kwargs):
        return self._queryset if self._queryset is not None else self.model._default_manager.all()

    def index(self):
        if self._cache is None:
            self._cache = {}
            for obj in self.get_queryset(None, None):
                for key in self.keys:
                    found = getattr(obj, key, None)
                    if found not in (None, ""):
                        self._cache.setdefault(str(found).strip().casefold(), obj)
        return self._cache

    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        try:
            return self.index()[text.casefold()]
        except KeyError:
            raise ValueError(self.unknown % {"value": text}) from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(getattr(value, self.keys[0]) or "")


class ManyLookupWidget(widgets.ManyToManyWidget):
    """Several related rows by name, separated by commas ("בארי, חצרים")."""

    def __init__(self, model, keys=("name",), unknown=None, **kwargs):
        self.lookup = LookupWidget(model, keys=keys, unknown=unknown)
        super().__init__(model, separator=",", field=keys[0], **kwargs)

    def clean(self, value, row=None, **kwargs):
        names = [part.strip() for part in _text(value).split(",") if part.strip()]
        return [self.lookup.clean(name) for name in names]

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return ", ".join(str(getattr(item, self.lookup.keys[0])) for item in value.all())


def text_field(attribute, column=None):
    return fields.Field(attribute=attribute, column_name=column or attribute, widget=TextWidget())


def flag_field(attribute):
    return fields.Field(
        attribute=attribute, column_name=attribute, widget=BooleanWidget(), saves_null_values=False
    )


class IdWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        text = _text(value)
        if not text:
            return None
        if not text.isdigit():
            raise ValueError(_("The id %(value)s is not a number.") % {"value": text})
        return int(text)

    def render(self, value, obj=None, **kwargs):
        return value


# The base resource -----------------------------------------------------------------------------------


class PreloadingInstanceLoader(ModelInstanceLoader):
    """The rows named by id in the file, read in one query (a bad id is left for its row to report)."""

    def __init__(self, resource, dataset=None):
        super().__init__(resource, dataset)
        ids = set()
        if dataset is not None and "id" in (dataset.headers or []):
            for value in dataset["id"]:
                text = _text(value)
                if text.isdigit():
                    ids.add(int(text))
        self.instances = {obj.pk: obj for obj in self.get_queryset().filter(pk__in=ids)} if ids else {}

    def get_instance(self, row):
        text = _text(row.get("id"))
        return self.instances.get(int(text)) if text.isdigit() else None


class PreviewDiff(resources.Diff):
    """The admin preview's row: the cells as the export writes them (computed columns included), and an
    empty cell for an empty value rather than "None"."""

    def __init__(self, resource, instance, new):
        super().__init__(resource, instance, new)
        self.left = self._cells(resource, instance)

    def compare_with(self, resource, instance):
        self.right = self._cells(resource, instance)

    @staticmethod
    def _cells(resource, instance):
        if instance is None:
            return []
        values = [resource.export_field(field, instance) for field in resource.get_import_fields()]
        return ["" if value is None else value for value in values]


class SafeResource(resources.ModelResource):
    """What every import and export shares; see the module's docstring.

    Subclasses declare their columns (the same both ways), `required_columns` (a file without them is
    refused), and may override `check_row(instance, row)` for cross-column rules, `natural_key(instance)`
    for what makes a new row a duplicate, and the bulk hooks for the background path.
    """

    id = fields.Field(attribute="id", column_name="id", widget=IdWidget())
    required_columns = ()

    class Meta:
        import_id_fields = ("id",)
        instance_loader_class = PreloadingInstanceLoader
        skip_unchanged = True
        report_skipped = True
        clean_model_instances = True
        use_bulk = False  # row by row with history in the admin; the background path writes in bulk

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._ids_seen = {}
        self._keys_seen = {}
        self.collected = None  # the background path collects instances instead of saving them
        self._meta = _copy_options(self._meta)

    def get_diff_class(self):
        return PreviewDiff

    # Export: every text cell formula-safe; numbers, dates and booleans untouched.
    def export_field(self, field, instance, **kwargs):
        value = super().export_field(field, instance, **kwargs)
        return formula_safe(value) if isinstance(value, str) else value

    # Import
    @classmethod
    def check_columns(cls, headers):
        """UploadRejected if the file lacks a column this resource needs."""
        missing = [column for column in ("id", *cls.required_columns) if column not in (headers or [])]
        if missing:
            raise UploadRejected(
                _("The file lacks the columns %(missing)s. Export first and edit that file: it has them all.")
                % {"missing": ", ".join(missing)}
            )

    def before_import(self, dataset, **kwargs):
        self.check_columns(dataset.headers)

    def before_import_row(self, row, **kwargs):
        for column, value in list(row.items()):
            if isinstance(value, str):
                row[column] = formula_unsafe(value.strip())
        number = kwargs.get("row_number")
        text = _text(row.get("id"))
        if text:
            first = self._ids_seen.setdefault(text, number)
            if first != number:
                raise ValidationError(
                    _("Row %(row)s has the same id as row %(first)s.") % {"row": number, "first": first}
                )

    def get_or_init_instance(self, instance_loader, row):
        text = _text(row.get("id"))
        if not text:
            return self.init_instance(row), True
        if not text.isdigit():
            raise ValidationError(_("The id %(value)s is not a number.") % {"value": text})
        instance = instance_loader.get_instance(row)
        if instance is None:
            raise ValidationError(
                _("There is no %(model)s with the id %(id)s. Leave the id empty for a new row.")
                % {"model": self._meta.model._meta.verbose_name, "id": text}
            )
        return instance, False

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if not errors:
            try:
                self.check_row(instance, row)
            except ValidationError as error:
                errors = error.update_error_dict(errors)
        if not errors and instance.pk is None:
            key = self.natural_key(instance)
            if key is not None:
                number = kwargs.get("row_number")
                first = self._keys_seen.setdefault(key, number)
                if first != number:
                    errors[NON_FIELD_ERRORS] = [
                        _("Row %(row)s repeats row %(first)s.") % {"row": number, "first": first}
                    ]
        if errors:
            raise ValidationError(errors)

    def check_row(self, instance, row):
        """Cross-column rules; raise ValidationError. Runs before the model's own full_clean()."""

    def after_init_instance(self, instance, new, row, **kwargs):
        # What the row was before the file changed it: cheaper than the library's deep copy and diff,
        # which the background path turns off.
        self._before = None if new else self._values_of(instance)

    def _values_of(self, instance):
        values = {}
        for field in self.get_import_fields():
            if field.readonly or not field.attribute:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                values[field.column_name] = sorted(item.pk for item in field.get_value(instance).all())
            else:
                values[field.column_name] = _blank(field.get_value(instance))
        return values

    def skip_row(self, instance, original, row, import_validation_errors=None):
        """An unchanged row is skipped (no save, no history); an empty cell equals an empty column."""
        before = getattr(self, "_before", None)
        if before is None or import_validation_errors or instance.pk is None:
            return False
        for field in self.get_import_fields():
            if field.readonly or not field.attribute:
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                if (
                    field.column_name in row
                    and sorted(item.pk for item in field.clean(row)) != before[field.column_name]
                ):
                    return False
            elif _blank(field.get_value(instance)) != before[field.column_name]:
                return False
        return True

    def get_import_fields(self):
        if getattr(self, "_import_fields", None) is None:
            self._import_fields = super().get_import_fields()
        return self._import_fields

    # Relations the resource itself found in rows it read once (lookups, preloaded ids): the model's
    # full_clean() would ask the database again for each of them on every row.
    checked_relations = ()
    # Constraints a resource checks itself in check_row() (full_clean() runs a query for each).
    validate_constraints = True

    def _not_imported(self, instance):
        """The model's fields no column sets: as valid as they were (their defaults, or the saved row)."""
        if getattr(self, "_untouched", None) is None:
            imported = {
                field.attribute.removesuffix("_id") for field in self.get_import_fields() if field.attribute
            }
            self._untouched = [field.name for field in instance._meta.fields if field.name not in imported]
        return self._untouched

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        for name in self.checked_relations:
            field = instance._meta.get_field(name)
            if not field.null and getattr(instance, field.attname) is None and name not in errors:
                errors[name] = [_("This field is required.")]
        try:
            instance.full_clean(
                exclude=[*errors, *self.checked_relations, *self._not_imported(instance)],
                validate_unique=validate_unique,
                validate_constraints=self.validate_constraints,
            )
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def natural_key(self, instance):
        """What makes two new rows the same row (None: no such check)."""
        return None

    def save_instance(self, instance, is_create, row, **kwargs):
        if self.collected is not None:
            self.collected.append((instance, is_create, row))
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def save_m2m(self, instance, row, **kwargs):
        if self.collected is not None:
            return  # the background path sets them once the rows have their ids
        super().save_m2m(instance, row, **kwargs)

    # The background path's bulk writing
    def bulk_update_fields(self):
        names = []
        for field in self.get_import_fields():
            if field.readonly or not field.attribute or field.attribute == "id":
                continue
            if isinstance(field.widget, widgets.ManyToManyWidget):
                continue
            names.append(field.attribute)
        return names

    def before_bulk_write(self, created, updated):
        """Set what save() would have (timestamps, versions) before the rows are written in bulk."""

    def after_bulk_write(self, created, updated):
        """What save() would have done afterwards (touching a plan, a goal's latest update)."""


def _blank(value):
    return None if value == "" else value


def _copy_options(options):
    return copy.copy(options)  # per resource: the background path turns the diff off for itself only


def row_errors(result_row, number):
    """The messages of an invalid or failed row, each naming its column."""
    messages = []
    error = getattr(result_row, "validation_error", None)
    if error is not None:
        if hasattr(error, "error_dict"):
            for column, errors in error.message_dict.items():
                prefix = "" if column == NON_FIELD_ERRORS else f"{column}: "
                messages.extend(prefix + message for message in errors)
        else:
            messages.extend(error.messages)
    for failure in getattr(result_row, "errors", []):
        messages.append(str(failure.error))
    return {"row": number, "messages": messages}


# The background path --------------------------------------------------------------------------------


def start_import_job(*, resource, data, file_name, user, rows):
    """Record a background import of `data` and queue its check. Returns the job."""
    job = ImportJob(
        resource=f"{resource.__module__}.{resource.__qualname__}",
        title=str(resource._meta.model._meta.verbose_name_plural)[:200],
        file_name=file_name[:200],
        total_rows=rows,
        requested_by=user,
    )
    job.file.save(f"import-{timezone.now():%Y%m%d%H%M%S}.{file_name.rsplit('.', 1)[-1].lower()}",
                  ContentFile(data), save=False)  # fmt: skip
    job.save()
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def confirm_import_job(*, job, user):
    """The secretariat saw the check and confirmed: queue the writing. False if it is not waiting."""
    confirmed = ImportJob.objects.filter(pk=job.pk, status=ImportJob.Status.CHECKED).update(
        status=ImportJob.Status.QUEUED, confirmed_at=timezone.now(), confirmed_by=user, processed_rows=0
    )
    if confirmed:
        transaction.on_commit(lambda: dispatch(job.pk))
    return bool(confirmed)


def dispatch(pk):
    from .tasks import import_job_task

    try:
        import_job_task.delay(pk)
    except Exception:  # the broker is unreachable: the row is the record; the job page says queued
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("Import %s left queued: the broker refused it", pk, exc_info=True)


def progress_key(pk):
    return f"import-job-{pk}-progress"


class _RollBack(Exception):
    pass


def run_import_job(pk):
    """Check (before confirmation) or write (after) one import. Returns the job's final status."""
    job = ImportJob.objects.filter(pk=pk, status=ImportJob.Status.QUEUED).first()
    if job is None:
        return ImportJob.objects.filter(pk=pk).values_list("status", flat=True).first()
    writing = job.confirmed_at is not None
    phase = ImportJob.Status.IMPORTING if writing else ImportJob.Status.CHECKING
    if not ImportJob.objects.filter(pk=pk, status=ImportJob.Status.QUEUED).update(
        status=phase, started_at=timezone.now(), processed_rows=0
    ):
        return None
    try:
        resource_class = import_string(job.resource)
        if not issubclass(resource_class, SafeResource):
            raise TypeError(f"{job.resource} is not an import resource")
        with job.file.open("rb") as handle:
            dataset = read_upload(job.file_name, handle.read())
        if writing:
            try:
                with transaction.atomic():
                    outcome = _run_rows(job, resource_class(), dataset, write=True)
                    if outcome["errors"]:
                        raise _RollBack
            except _RollBack:
                pass
        else:
            outcome = _run_rows(job, resource_class(), dataset, write=False)
    except UploadRejected as error:
        outcome = {"errors": [{"row": 0, "messages": [str(error)]}]}
    except Exception as error:
        logger.exception("Import %s failed", pk)
        _finish(job, ImportJob.Status.FAILED, error=f"{type(error).__name__}: {error}"[:2000])
        return ImportJob.Status.FAILED
    if outcome["errors"]:
        _finish(job, ImportJob.Status.FAILED, outcome=outcome)
        return ImportJob.Status.FAILED
    final = ImportJob.Status.DONE if writing else ImportJob.Status.CHECKED
    _finish(job, final, outcome=outcome)
    return final


def _finish(job, status, outcome=None, error=""):
    outcome = outcome or {}
    errors = outcome.get("errors", [])
    values = {
        "status": status,
        "error": error,
        "errors": errors[:MAX_STORED_ERRORS],
        "error_count": len(errors),
        "new_rows": outcome.get("new", 0),
        "updated_rows": outcome.get("updated", 0),
        "unchanged_rows": outcome.get("unchanged", 0),
        "processed_rows": outcome.get("processed", 0),
    }
    if status != ImportJob.Status.CHECKED:
        values["finished_at"] = timezone.now()
    ImportJob.objects.filter(pk=job.pk).update(**values)
    cache.delete(progress_key(job.pk))
    if status in (ImportJob.Status.DONE, ImportJob.Status.FAILED) and job.file:
        job.file.delete(save=False)  # the uploaded rows may name people: not kept once finished
        ImportJob.objects.filter(pk=job.pk).update(file="")


def _run_rows(job, resource, dataset, *, write):
    """Every row through the resource, CHUNK rows at a time; with write=True each chunk is written."""
    outcome = {"errors": [], "new": 0, "updated": 0, "unchanged": 0, "processed": 0}
    headers = dataset.headers
    resource.before_import(dataset)
    user = job.confirmed_by or job.requested_by
    resource._meta.skip_diff = True  # no preview to show: the library's per-row diff is skipped
    for start in range(0, len(dataset), CHUNK):
        chunk = tablib.Dataset(*dataset[start : start + CHUNK], headers=headers)
        loader = resource._meta.instance_loader_class(resource, chunk)
        resource.collected = []
        for offset, values in enumerate(chunk):
            number = start + offset + 1
            row = dict(zip(headers, values, strict=True))
            result = resource.import_row(
                row, loader, dry_run=True, using_transactions=False, row_number=number
            )
            if result.import_type in (RowResult.IMPORT_TYPE_INVALID, RowResult.IMPORT_TYPE_ERROR):
                outcome["errors"].append(row_errors(result, number))
            elif result.import_type == RowResult.IMPORT_TYPE_NEW:
                outcome["new"] += 1
            elif result.import_type == RowResult.IMPORT_TYPE_UPDATE:
                outcome["updated"] += 1
            else:
                outcome["unchanged"] += 1
        if write and not outcome["errors"]:
            _write(resource, resource.collected, user)
        resource.collected = None
        outcome["processed"] = min(start + CHUNK, len(dataset))
        _report_progress(job, outcome["processed"], in_transaction=write)
    return outcome


def _write(resource, collected, user):
    from simple_history.utils import bulk_create_with_history, bulk_update_with_history

    model = resource._meta.model
    created = [instance for instance, is_new, _row in collected if is_new]
    updated = [instance for instance, is_new, _row in collected if not is_new]
    resource.before_bulk_write(created, updated)
    tracked = hasattr(model, "history")
    reason = "import"
    if created:
        if tracked:
            bulk_create_with_history(
                created, model, batch_size=CHUNK, default_user=user, default_change_reason=reason
            )
        else:
            model._default_manager.bulk_create(created, batch_size=CHUNK)
    if updated:
        update_fields = resource.bulk_update_fields()
        if tracked:
            bulk_update_with_history(
                updated,
                model,
                update_fields,
                batch_size=CHUNK,
                default_user=user,
                default_change_reason=reason,
            )
        else:
            model._default_manager.bulk_update(updated, update_fields, batch_size=CHUNK)
    m2m = [
        field for field in resource.get_import_fields() if isinstance(field.widget, widgets.ManyToManyWidget)
    ]
    if m2m:
        for instance, _is_new, row in collected:
            for field in m2m:
                if field.column_name in row:
                    field.save(instance, row, is_m2m=True)
    resource.after_bulk_write(created, updated)


def _report_progress(job, processed, *, in_transaction):
    # Inside the writing transaction the job's row shows nothing to the page that follows it: the
    # cache (Redis in production) carries the count meanwhile.
    cache.set(progress_key(job.pk), processed, timeout=3600)
    if not in_transaction:
        ImportJob.objects.filter(pk=job.pk).update(processed_rows=processed)


def live_progress(job):
    """Rows done so far in the job's current phase."""
    cached = cache.get(progress_key(job.pk))
    return max(job.processed_rows, cached or 0) if job.status in ImportJob.UNDER_WAY else job.processed_rows


def unfinished():
    """Jobs the broker lost (queued too long) are queued again; one whose worker died (under way past
    the time limit) failed, its transaction rolled back: nothing was written."""
    now = timezone.now()
    ImportJob.objects.filter(
        status__in=[ImportJob.Status.CHECKING, ImportJob.Status.IMPORTING],
        started_at__lt=now - datetime.timedelta(seconds=TIME_LIMIT + 60),
    ).update(status=ImportJob.Status.FAILED, error="The worker stopped during the job", finished_at=now)
    lost = ImportJob.objects.filter(status=ImportJob.Status.QUEUED, created_at__lt=now - QUEUED_GRACE).filter(
        models.Q(confirmed_at__isnull=True) | models.Q(confirmed_at__lt=now - QUEUED_GRACE)
    )
    return list(lost.values_list("pk", flat=True)[:50])
