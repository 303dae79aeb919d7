"""Meetings in the admin: the protocol with inlines, approval and reopening, decisions with their trail."""

import base64

from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from modeltranslation.admin import TabbedTranslationAdmin, TranslationStackedInline, TranslationTabularInline
from simple_history.admin import SimpleHistoryAdmin

from movement.import_admin import SafeImportExportMixin

from . import attendance, services
from .models import AgendaItem, Decision, DecisionStatusChange, Meeting, Participant, Statement
from .resources import ParticipantResource


class ReadOnlyWhenApproved:
    """An approved protocol is read-only; reopening it is a secretariat action kept in history."""

    def _approved(self, obj):
        meeting = getattr(obj, "meeting", None) or getattr(getattr(obj, "item", None), "meeting", None) or obj
        return isinstance(meeting, Meeting) and meeting.is_read_only

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and self._approved(obj))

    def has_add_permission(self, request, obj=None):
        allowed = (
            super().has_add_permission(request, obj)
            if isinstance(self, admin.options.InlineModelAdmin)
            else super().has_add_permission(request)
        )
        return allowed and not (obj is not None and self._approved(obj))

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and not (obj is not None and self._approved(obj))


class ParticipantInline(ReadOnlyWhenApproved, admin.TabularInline):
    model = Participant
    extra = 0
    fields = ["order", "name", "user", "affiliation", "kibbutz", "department", "attendance"]
    autocomplete_fields = ["user", "kibbutz"]


class AgendaItemInline(ReadOnlyWhenApproved, TranslationTabularInline):
    model = AgendaItem
    extra = 0
    fields = ["order", "label", "title", "kind", "outcome"]


@admin.register(Meeting)
class MeetingAdmin(SimpleHistoryAdmin):
    list_display = ["__str__", "body", "date", "status"]
    list_filter = ["status", "body"]
    search_fields = ["title", "place", "participants__name"]
    date_hierarchy = "date"
    inlines = [ParticipantInline, AgendaItemInline]
    actions = ["send_draft", "approve", "reopen"]
    autocomplete_fields = ["approves"]
    # Not a translated model, but its agenda items inline are: their title gets the language tabs.
    Media = TabbedTranslationAdmin.Media
    object_history_template = "admin/meetings/meeting/object_history.html"

    def history_view(self, request, object_id, extra_context=None):
        """The meeting's own history, then every change to its protocol: statements and decisions (with
        who and when, from their history), and its agenda items (from the admin's log)."""
        from django.contrib.admin.models import LogEntry
        from django.contrib.contenttypes.models import ContentType

        limit = 200
        statements = Statement.history.filter(item__meeting_id=object_id).select_related("history_user")
        decisions = Decision.history.filter(meeting_id=object_id).select_related("history_user")
        item_ids = [
            str(pk) for pk in AgendaItem.objects.filter(meeting_id=object_id).values_list("pk", flat=True)
        ]
        items = LogEntry.objects.filter(
            content_type=ContentType.objects.get_for_model(AgendaItem), object_id__in=item_ids
        ).select_related("user")
        protocol_history = sorted(
            [
                *[(r.history_date, r.history_user, r.get_history_type_display(), _("statement"), r) for r in
                  statements.order_by("-history_date")[:limit]],
                *[(r.history_date, r.history_user, r.get_history_type_display(), _("decision"), r) for r in
                  decisions.order_by("-history_date")[:limit]],
                *[(e.action_time, e.user, e.get_change_message(), _("agenda item"), e.object_repr) for e in
                  items.order_by("-action_time")[:limit]],
            ],
            key=lambda row: row[0],
            reverse=True,
        )[:limit]  # fmt: skip
        extra_context = {**(extra_context or {}), "protocol_history": protocol_history}
        return super().history_view(request, object_id, extra_context=extra_context)

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and not (obj is not None and obj.is_read_only)

    def get_urls(self):
        return [
            path(
                "<int:pk>/attendance/",
                self.admin_site.admin_view(self.attendance_view),
                name="meetings_meeting_attendance",
            ),
        ] + super().get_urls()

    def attendance_view(self, request, pk):
        """Upload a CSV/XLSX of participants; see every row matched or not; then import all or none."""
        meeting = get_object_or_404(Meeting, pk=pk)
        if not self.has_change_permission(request, meeting):
            raise PermissionDenied
        context = {**self.admin_site.each_context(request), "opts": self.model._meta, "meeting": meeting,
                   "title": _("Import attendance")}  # fmt: skip
        template = "admin/meetings/attendance.html"
        if (
            request.method == "POST"
            and request.POST.get("confirm")
            and request.session.get("attendance-file")
        ):
            stored = request.session.pop("attendance-file")
            dataset = attendance.read_dataset(stored["name"], base64.b64decode(stored["data"]))
            report = attendance.attendance_import(meeting=meeting, dataset=dataset, dry_run=False)
            if not report.errors:
                self.message_user(
                    request,
                    _("%(count)d participants imported.") % {"count": report.imported},
                    messages.SUCCESS,
                )
                return redirect("admin:meetings_meeting_change", meeting.pk)
            return render(request, template, {**context, "report": report})
        if request.method == "POST" and request.FILES.get("file"):
            upload = request.FILES["file"]
            if upload.size > 2 * 1024 * 1024:
                return render(
                    request, template, {**context, "file_error": _("The file is larger than 2 MB.")}
                )
            data = upload.read()
            try:
                dataset = attendance.read_dataset(upload.name, data)
            except attendance.AttendanceFileError as error:
                return render(request, template, {**context, "file_error": str(error)})
            report = attendance.attendance_import(meeting=meeting, dataset=dataset, dry_run=True)
            if not report.errors:
                request.session["attendance-file"] = {
                    "name": upload.name,
                    "data": base64.b64encode(data).decode(),
                }
            return render(request, template, {**context, "report": report, "preview": True})
        return render(request, template, context)

    @admin.action(description=gettext_lazy("Send the draft protocol to its participants"))
    def send_draft(self, request, queryset):
        for meeting in queryset.exclude(status=Meeting.Status.APPROVED):
            sent = services.protocol_send_draft(meeting=meeting, by=request.user)
            self.message_user(
                request,
                _("%(meeting)s: sent to %(count)d participants.") % {"meeting": meeting, "count": sent},
            )

    @admin.action(description=gettext_lazy("Approve the selected protocols"))
    def approve(self, request, queryset):
        for meeting in queryset:
            services.protocol_approve(meeting=meeting, by=request.user)
        self.message_user(request, _("Approved."), messages.SUCCESS)

    @admin.action(description=gettext_lazy("Reopen the selected approved protocols"))
    def reopen(self, request, queryset):
        for meeting in queryset.filter(status=Meeting.Status.APPROVED):
            services.protocol_reopen(meeting=meeting, by=request.user, reason=_("Reopened from the admin"))
        self.message_user(request, _("Reopened; the change is in each meeting's history."), messages.SUCCESS)


class StatementInline(ReadOnlyWhenApproved, admin.StackedInline):
    model = Statement
    extra = 0
    fields = ["order", "speaker", "group_name", "group_members", "speaker_as_written", "text"]


class DecisionInline(ReadOnlyWhenApproved, TranslationStackedInline):
    model = Decision
    extra = 0
    fields = ["number", "text", "owner", "due_date", "status", "goals", "kibbutzim"]
    autocomplete_fields = ["owner", "goals", "kibbutzim"]


@admin.register(AgendaItem)
class AgendaItemAdmin(ReadOnlyWhenApproved, TabbedTranslationAdmin):
    list_display = ["__str__", "meeting", "kind"]
    list_filter = ["kind", "meeting__body"]
    search_fields = ["title", "outcome", "meeting__title"]
    inlines = [StatementInline, DecisionInline]

    def save_formset(self, request, form, formset, change):
        for obj in formset.save(commit=False):
            if isinstance(obj, Decision):
                obj.meeting = form.instance.meeting
            obj.save()
        formset.save_m2m()
        for obj in formset.deleted_objects:
            obj.delete()


class DecisionStatusChangeInline(admin.TabularInline):
    model = DecisionStatusChange
    extra = 0
    readonly_fields = ["from_status", "to_status", "note", "by", "at"]
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin, TabbedTranslationAdmin):
    list_display = ["__str__", "meeting", "owner", "due_date", "status"]
    list_filter = ["status", "meeting__body", "is_demo_link"]
    search_fields = ["text", "owner__full_name"]
    autocomplete_fields = ["owner", "goals", "kibbutzim", "meeting", "item"]
    inlines = [DecisionStatusChangeInline]
    list_select_related = ["meeting__body", "owner"]


@admin.register(Participant)
class ParticipantAdmin(SafeImportExportMixin, admin.ModelAdmin):
    resource_classes = [ParticipantResource]
    list_display = ["name", "affiliation", "meeting", "attendance"]
    search_fields = ["name", "affiliation", "meeting__title"]
    list_filter = ["attendance", "meeting__body"]
