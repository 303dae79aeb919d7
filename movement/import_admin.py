"""The admin side of imports and exports (django-import-export), for every app's admin.

`SafeImportExportMixin` puts Import and Export buttons on a model's list, CSV and XLSX only. An
upload passes the guard (`movement.importing.read_upload`) before anything reads it as rows; a file
up to IMPORT_BACKGROUND_ROWS rows gets the library's preview (a dry run, every row's error named)
and is committed in one transaction that rolls back on any row's error; a larger one becomes a
background `ImportJob`, checked first and written in one transaction once confirmed.
"""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ImportExportMixin
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm

from . import access, importing

FORMATS = [CSV, XLSX]


class SafeImportForm(ImportForm):
    """The library's upload form, with the guard; the format follows the file's extension."""

    def __init__(self, formats, resources, **kwargs):
        super().__init__(formats, resources, **kwargs)
        self.formats = formats
        self.resources = resources
        self.dataset = None
        self.upload_bytes = b""
        self.fields["format"].required = False
        self.fields["format"].widget = forms.HiddenInput()
        self.fields["import_file"].help_text = gettext_lazy(
            "A .csv (UTF-8) or .xlsx file, up to %(size)s MB, whose first row names the columns. "
            "Export first: the exported file has every column, and imports back as it is."
        ) % {"size": f"{settings.IMPORT_MAX_UPLOAD_BYTES / 1024 / 1024:g}"}
        self.fields["import_file"].widget.attrs["accept"] = ".csv,.xlsx"

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > settings.IMPORT_MAX_UPLOAD_BYTES:
            raise forms.ValidationError(
                _("The file is larger than %(size)s MB.")
                % {"size": f"{settings.IMPORT_MAX_UPLOAD_BYTES / 1024 / 1024:g}"}
            )
        data = upload.read()
        upload.seek(0)
        try:
            self.dataset = importing.read_upload(upload.name, data)
        except importing.UploadRejected as error:
            raise forms.ValidationError(str(error)) from error
        self.upload_bytes = data
        return upload

    def clean(self):
        data = super().clean()
        upload = data.get("import_file")
        if upload is not None and self.dataset is not None:
            resource = self.resources[int(data.get("resource") or 0)]
            try:
                resource.check_columns(self.dataset.headers)
            except importing.UploadRejected as error:
                self.add_error("import_file", str(error))
                return data
            extension = upload.name.rsplit(".", 1)[-1].lower()
            titles = [fmt().get_title().lower() for fmt in self.formats]
            data["format"] = str(titles.index(extension))
        return data


class SafeImportExportMixin(ImportExportMixin):
    import_form_class = SafeImportForm
    formats = FORMATS
    import_formats = FORMATS
    export_formats = FORMATS
    from_encoding = "utf-8-sig"
    to_encoding = "utf-8-sig"  # with a BOM, a spreadsheet opens the Hebrew of a CSV as UTF-8
    import_error_display = ("message",)
    skip_admin_log = False

    def has_import_permission(self, request):
        return access.may_use_admin(request.user) and super().has_import_permission(request)

    def has_export_permission(self, request):
        return access.may_use_admin(request.user) and super().has_export_permission(request)

    def import_action(self, request, **kwargs):
        if request.method == "POST" and "import_file" in request.FILES:
            if not self.has_import_permission(request):
                raise PermissionDenied
            form = self.create_import_form(request)
            if form.is_valid() and len(form.dataset) > settings.IMPORT_BACKGROUND_ROWS:
                upload = form.cleaned_data["import_file"]
                job = importing.start_import_job(
                    resource=self.choose_import_resource_class(form, request),
                    data=form.upload_bytes,
                    file_name=upload.name,
                    user=request.user,
                    rows=len(form.dataset),
                )
                messages.info(
                    request,
                    _("The file has %(count)d rows: it is checked in the background. Nothing is imported before you confirm.")
                    % {"count": len(form.dataset)},
                )  # fmt: skip
                return HttpResponseRedirect(job.get_absolute_url())
        return super().import_action(request, **kwargs)

    def get_import_data_kwargs(self, **kwargs):
        # All rows or none: the library rolls back on a row's validation error only when told to.
        kwargs = super().get_import_data_kwargs(**kwargs)
        kwargs.update(use_transactions=True, rollback_on_validation_errors=True)
        return kwargs

    def process_result(self, result, request):
        if result.has_errors() or result.has_validation_errors():
            # The data changed between the preview and the confirmation: the transaction rolled back.
            messages.error(
                request,
                _("Nothing was imported: some rows are no longer valid. Upload the file again to see them."),
            )
            return HttpResponseRedirect(
                reverse("admin:{}_{}_import".format(*self.get_model_info()), current_app=self.admin_site.name)
            )
        return super().process_result(result, request)
