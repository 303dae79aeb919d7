"""Importing a meeting's attendance from CSV or XLSX (django-import-export).

People are matched to accounts by email, then by full name; affiliations to kibbutzim by name. Every
row that could not be matched is reported; a row that cannot be imported at all (no name, an unknown
attendance, a person listed twice) stops the whole import: all rows or none.
"""

from dataclasses import dataclass, field

import tablib
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources

from movement.models import Kibbutz, User

from .models import Participant

ATTENDANCE = {"present": "present", "absent": "absent", "guest": "guest", "נוכח": "present", "נוכחת": "present",
              "נעדר": "absent", "נעדרת": "absent", "נעדרה": "absent", "אורח": "guest", "אורחת": "guest", "": "present"}  # fmt: skip
MAX_ROWS = 500


class AttendanceFileError(ValueError):
    pass


@dataclass
class AttendanceReport:
    imported: int = 0
    errors: list = field(default_factory=list)  # (row number, message)
    unmatched: list = field(default_factory=list)  # (row number, message)


class ParticipantResource(resources.ModelResource):
    """Rows → participants of one meeting; always new rows, matched to accounts and kibbutzim."""

    name = fields.Field(attribute="name", column_name="name")
    email = fields.Field(column_name="email", readonly=True)
    affiliation = fields.Field(attribute="affiliation", column_name="affiliation")
    attendance = fields.Field(attribute="attendance", column_name="attendance")

    class Meta:
        model = Participant
        fields = ("name", "email", "affiliation", "attendance")
        import_id_fields = ("name",)
        use_bulk = False  # row by row: errors are reported per row and the transaction rolls back whole

    def __init__(self, meeting):
        super().__init__()
        self.meeting = meeting
        self.unmatched = []
        self.seen = set(meeting.participants.values_list("name", flat=True))
        self.next_order = (
            meeting.participants.order_by("-order").values_list("order", flat=True).first() or 0
        ) + 1
        users = list(User.objects.filter(is_active=True))
        self.users_by_email = {u.email.lower(): u for u in users}
        self.users_by_name = {}
        for user in users:
            self.users_by_name.setdefault(user.full_name, []).append(user)
        self.kibbutzim = {k.name: k for k in Kibbutz.objects.all()}

    def get_instance(self, instance_loader, row):
        return None  # every row is a new participant; duplicates are refused below

    def before_import_row(self, row, **kwargs):
        name = str(row.get("name") or "").strip()
        attendance = ATTENDANCE.get(str(row.get("attendance") or "").strip().lower())
        if not name:
            raise ValidationError(_("The name is missing."))
        if attendance is None:
            raise ValidationError(_("Unknown attendance %(value)r.") % {"value": row.get("attendance")})
        if name in self.seen:
            raise ValidationError(_("%(name)s is listed twice.") % {"name": name})
        self.seen.add(name)
        row["name"], row["attendance"] = name, attendance
        row["affiliation"] = str(row.get("affiliation") or "").strip()

    def import_instance(self, instance, row, **kwargs):
        super().import_instance(instance, row, **kwargs)
        number = kwargs.get("row_number")
        instance.meeting = self.meeting
        instance.order = self.next_order
        self.next_order += 1
        email = str(row.get("email") or "").strip().lower()
        instance.user = self.users_by_email.get(email) if email else None
        if instance.user is None and len(self.users_by_name.get(instance.name, [])) == 1:
            instance.user = self.users_by_name[instance.name][0]
        if instance.user is None:
            self.unmatched.append(
                (number, _("%(name)s: no account with this email or name.") % {"name": instance.name})
            )
        instance.kibbutz = self.kibbutzim.get(instance.affiliation)
        if instance.affiliation and instance.kibbutz is None:
            self.unmatched.append(
                (
                    number,
                    _("%(affiliation)s is not a kibbutz; kept as written.")
                    % {"affiliation": instance.affiliation},
                )
            )


def read_dataset(name, data):
    extension = name.rsplit(".", 1)[-1].lower()
    if extension not in ("csv", "xlsx"):
        raise AttendanceFileError(_("Upload a .csv or .xlsx file."))
    if not data:
        raise AttendanceFileError(_("The file is empty."))
    try:
        if extension == "csv":
            dataset = tablib.Dataset().load(data.decode("utf-8-sig"), format="csv")
        else:
            dataset = tablib.Dataset().load(data, format="xlsx")
    except UnicodeDecodeError as error:
        raise AttendanceFileError(
            _("The file is not UTF-8 text. Save it as UTF-8 CSV or as XLSX.")
        ) from error
    except Exception as error:
        raise AttendanceFileError(
            _("The file cannot be read as %(kind)s.") % {"kind": extension.upper()}
        ) from error
    dataset.headers = [str(h or "").strip().lower() for h in dataset.headers or []]
    if "name" not in dataset.headers:
        raise AttendanceFileError(
            _("The first row must name the columns: name, email, affiliation, attendance.")
        )
    if len(dataset) > MAX_ROWS:
        raise AttendanceFileError(_("At most %(count)d rows.") % {"count": MAX_ROWS})
    for column in ("email", "affiliation", "attendance"):
        if column not in dataset.headers:
            dataset.append_col([""] * len(dataset), header=column)
    return dataset


def attendance_import(*, meeting, dataset, dry_run):
    """Check (dry_run) or import the rows; all or none. Returns an AttendanceReport."""
    resource = ParticipantResource(meeting)
    result = resource.import_data(
        dataset,
        dry_run=dry_run,
        raise_errors=False,
        use_transactions=True,
        rollback_on_validation_errors=True,
    )
    report = AttendanceReport(unmatched=resource.unmatched)
    for row in result.invalid_rows:
        report.errors.append(
            (row.number, " ".join(str(m) for messages in row.error_dict.values() for m in messages))
        )
    for number, errors in result.row_errors():
        report.errors.append((number, " ".join(str(error.error) for error in errors)))
    report.errors.sort(key=lambda error: error[0])
    if not report.errors:
        report.imported = result.totals.get("new", 0)
    return report
