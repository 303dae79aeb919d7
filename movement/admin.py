"""Admin for the movement's core models, in Hebrew, for the secretariat staff."""

from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.http import HttpResponseNotAllowed, HttpResponseRedirect
from django.urls import path, reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from modeltranslation.admin import TabbedTranslationAdmin

from . import reminders, resources
from .import_admin import SafeImportExportMixin
from .models import Body, ImportJob, Kibbutz, KibbutzContact, Region, Reminder, ReportJob, User


@admin.register(Region)
class RegionAdmin(TabbedTranslationAdmin):
    list_display = ["name", "slug", "kibbutz_count"]
    search_fields = ["name", "slug"]
    filter_horizontal = ["coordinators"]
    prepopulated_fields = {}

    @admin.display(description=_("kibbutzim"))
    def kibbutz_count(self, obj):
        return obj.kibbutzim.count()


class KibbutzContactInline(admin.TabularInline):
    model = KibbutzContact
    extra = 0


@admin.register(Kibbutz)
class KibbutzAdmin(SafeImportExportMixin, TabbedTranslationAdmin):
    resource_classes = [resources.KibbutzResource]
    list_display = ["name", "region", "regional_council", "kind", "is_active"]
    list_filter = ["region", "kind", "is_active"]
    search_fields = ["name", "slug", "regional_council"]
    list_select_related = ["region"]
    inlines = [KibbutzContactInline]


@admin.register(KibbutzContact)
class KibbutzContactAdmin(admin.ModelAdmin):
    list_display = ["name", "role", "kibbutz", "phone", "email"]
    list_filter = ["role", "kibbutz__region"]
    search_fields = ["name", "email", "kibbutz__name"]
    autocomplete_fields = ["kibbutz"]


@admin.register(User)
class UserAdmin(SafeImportExportMixin, DjangoUserAdmin):
    resource_classes = [resources.UserResource]
    ordering = ["full_name"]
    list_display = ["full_name", "email", "home_kibbutz", "is_secretariat", "is_active", "last_login"]
    list_filter = ["is_secretariat", "is_active", "preferred_language", "coordinated_regions"]
    search_fields = ["full_name", "email", "phone", "home_kibbutz__name"]
    autocomplete_fields = ["home_kibbutz"]
    readonly_fields = ["last_login", "date_joined", "is_demo"]
    fieldsets = [
        (None, {"fields": ["email", "password"]}),
        (
            _("Personal details"),
            {"fields": ["full_name", "phone", "home_kibbutz", "preferred_language", "muted_reminders"]},
        ),
        (_("Roles"), {"fields": ["is_active", "is_secretariat", "is_staff", "is_superuser", "groups"]}),
        (_("Dates"), {"fields": ["last_login", "date_joined", "is_demo"]}),
    ]
    add_fieldsets = [
        (None, {"classes": ["wide"], "fields": ["email", "full_name", "password1", "password2"]}),
    ]
    actions = ["send_invitation", "hand_over"]
    change_list_template = "admin/movement/user/change_list.html"
    change_form_template = "admin/movement/user/change_form.html"

    def get_urls(self):
        from . import admin_people  # the roof's pages: they ask every app

        def wrap(view):
            return self.admin_site.admin_view(lambda request, **kwargs: view(self, request, **kwargs))

        return [
            path("invite/", wrap(admin_people.invite_view), name="movement_user_invite"),
            path(
                "<int:object_id>/handover/", wrap(admin_people.handover_view), name="movement_user_handover"
            ),
        ] + super().get_urls()

    @admin.action(description=_("Send the selected people their invitation (a set-password link)"))
    def send_invitation(self, request, queryset):
        from .people import invitations_resend

        queued, skipped = invitations_resend(users=list(queryset), by=request.user)
        if queued:
            self.message_user(
                request,
                ngettext(
                    "An invitation is on its way to %(count)d person.",
                    "Invitations are on their way to %(count)d people.",
                    len(queued),
                )
                % {"count": len(queued)},
                messages.SUCCESS,
            )
        if skipped:
            self.message_user(
                request,
                _(
                    "Not sent to %(names)s: they have chosen a password already (or their account is not active)."
                )
                % {"names": ", ".join(str(user) for user in skipped)},
                messages.WARNING,
            )

    @admin.action(description=_("Hand over what the selected person owns to a successor"))
    def hand_over(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(request, _("Select exactly one person to hand over from."), messages.ERROR)
            return None
        return HttpResponseRedirect(reverse("admin:movement_user_handover", args=[queryset.get().pk]))


@admin.register(Body)
class BodyAdmin(TabbedTranslationAdmin):
    list_display = ["name", "kind", "parent"]
    list_filter = ["kind"]
    search_fields = ["name", "slug", "description"]
    filter_horizontal = ["members"]


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    """The record of every reminder. Rows are made by the rounds, never by hand."""

    list_display = ["subject", "recipient", "kind", "status", "attempts", "created_at", "sent_at"]
    list_filter = ["status", "kind", "created_at"]
    search_fields = ["subject", "recipient__full_name", "recipient__email", "key"]
    list_select_related = ["recipient"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in Reminder._meta.fields]
    actions = ["send_again"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("round/", self.admin_site.admin_view(self.round_view), name="movement_reminder_round"),
        ] + super().get_urls()

    def round_view(self, request):
        """Run every app's reminders now; keys already sent this period are not sent again."""
        from .tasks import reminder_round

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        try:
            result = reminder_round.delay()
        except Exception:
            self.message_user(
                request, _("The background workers cannot be reached; no round was started."), messages.ERROR
            )
        else:
            if result.ready():  # eager: the round already ran
                self.message_user(
                    request,
                    ngettext(
                        "%(count)d new reminder was queued.",
                        "%(count)d new reminders were queued.",
                        result.result,
                    )
                    % {"count": result.result},
                    messages.SUCCESS,
                )
            else:
                self.message_user(
                    request, _("A reminder round was started; its reminders appear below as they are queued.")
                )
        return HttpResponseRedirect(reverse("admin:movement_reminder_changelist"))

    @admin.action(description=_("Send the selected failed reminders again"))
    def send_again(self, request, queryset):
        ids = list(queryset.filter(status=Reminder.Status.FAILED).values_list("pk", flat=True))
        Reminder.objects.filter(pk__in=ids).update(
            status=Reminder.Status.QUEUED, attempts=0, next_attempt_at=timezone.now()
        )
        reminders.dispatch(ids)
        self.message_user(
            request,
            ngettext(
                "%(count)d reminder will be sent again.", "%(count)d reminders will be sent again.", len(ids)
            )
            % {"count": len(ids)},
        )


@admin.register(ReportJob)
class ReportJobAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "language", "status", "pages", "seconds", "requested_by", "created_at"]
    list_filter = ["status", "kind", "language", "created_at"]
    search_fields = ["title", "requested_by__full_name", "error"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ReportJob._meta.fields] + ["download"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    @admin.display(description=_("file"))
    def download(self, obj):
        if obj.status != ReportJob.Status.DONE:
            return "—"
        return format_html('<a href="{}">{}</a>', obj.get_download_url(), _("Download the PDF"))


@admin.register(ImportJob)
class ImportJobAdmin(admin.ModelAdmin):
    """Large imports run in the background: their progress, their errors, and the confirmation."""

    list_display = ["title", "file_name", "status", "total_rows", "error_count", "requested_by", "created_at"]
    list_filter = ["status", "created_at"]
    list_select_related = ["requested_by"]
    date_hierarchy = "created_at"
    readonly_fields = [field.name for field in ImportJob._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def get_urls(self):
        return [
            path("<int:pk>/progress/", self.admin_site.admin_view(self.progress_view),
                 name="movement_importjob_progress"),
            path("<int:pk>/confirm/", self.admin_site.admin_view(self.confirm_view),
                 name="movement_importjob_confirm"),
        ] + super().get_urls()  # fmt: skip

    def progress_view(self, request, pk):
        """The job's state; while it is under way the page asks again every two seconds (htmx)."""
        from django.shortcuts import get_object_or_404
        from django.template.response import TemplateResponse

        from . import importing

        if request.method not in ("GET", "HEAD"):
            return HttpResponseNotAllowed(["GET"])
        job = get_object_or_404(ImportJob.objects.select_related("requested_by"), pk=pk)
        processed = importing.live_progress(job)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import: %(what)s") % {"what": job.title},
            "job": job,
            "processed": processed,
            "percent": int(processed * 100 / job.total_rows) if job.total_rows else 0,
        }
        if request.headers.get("HX-Request"):
            return TemplateResponse(request, "admin/movement/importjob/includes/status.html", context)
        return TemplateResponse(request, "admin/movement/importjob/progress.html", context)

    def confirm_view(self, request, pk):
        from django.shortcuts import get_object_or_404

        from . import importing

        if request.method != "POST":
            return HttpResponseNotAllowed(["POST"])
        job = get_object_or_404(ImportJob, pk=pk)
        if importing.confirm_import_job(job=job, user=request.user):
            self.message_user(request, _("Confirmed: the rows are being imported."), messages.SUCCESS)
        else:
            self.message_user(request, _("This import is not waiting for a confirmation."), messages.ERROR)
        return HttpResponseRedirect(job.get_absolute_url())
