"""The plans in the admin: import from a document with a preview, approval, rollover, history."""

import uuid

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from modeltranslation.admin import TabbedTranslationAdmin
from simple_history.admin import SimpleHistoryAdmin

from departments.models import Department, Unit
from movement.import_admin import SafeImportExportMixin
from movement.models import Body

from . import access, services
from .importing import ParsedPlan, PlanDocumentError, parse_document
from .importing.matching import DepartmentMatcher
from .models import AnnualPlan, Goal, PlanSection, ProgressUpdate
from .resources import GoalResource, ProgressUpdateResource

SESSION_KEY = "plan-import"


class PlanImportForm(forms.Form):
    document = forms.FileField(
        label=gettext_lazy("Plan document"),
        help_text=gettext_lazy("A .docx, .md or .txt file, up to 5 MB."),
    )
    year = forms.IntegerField(label=gettext_lazy("Year"), min_value=1990, max_value=2100)
    body = forms.ModelChoiceField(
        label=gettext_lazy("Owner"),
        queryset=Body.objects.all(),
        required=False,
        empty_label=gettext_lazy("The movement as a whole"),
    )
    title = forms.CharField(label=gettext_lazy("Title"), required=False, max_length=200)

    def clean(self):
        data = super().clean()
        if data.get("year") and AnnualPlan.objects.filter(year=data["year"], body=data.get("body")).exists():
            raise forms.ValidationError(
                _("A plan for %(year)s already exists for this owner.") % {"year": data["year"]}
            )
        return data


@admin.register(AnnualPlan)
class AnnualPlanAdmin(TabbedTranslationAdmin):
    list_display = ["title", "year", "body", "status", "approved_at"]
    list_filter = ["status", "year", "body"]
    search_fields = ["title", "intro"]
    readonly_fields = ["approved_at", "approved_by", "rolled_over_from", "changed_at"]
    actions = ["approve", "roll_over_to_next_year"]
    change_list_template = "admin/plans/annualplan/change_list.html"

    def get_urls(self):
        return [
            path("import/", self.admin_site.admin_view(self.import_view), name="plans_annualplan_import"),
        ] + super().get_urls()

    @admin.action(description=gettext_lazy("Approve the selected plans"))
    def approve(self, request, queryset):
        for plan in queryset:
            services.plan_approve(plan=plan, by=request.user)
        self.message_user(
            request, _("%(count)d plans approved.") % {"count": queryset.count()}, messages.SUCCESS
        )

    @admin.action(description=gettext_lazy("Roll the selected plans over to the next year"))
    def roll_over_to_next_year(self, request, queryset):
        for plan in queryset:
            try:
                new_plan = services.plan_rollover(plan=plan, to_year=plan.year + 1, by=request.user)
            except ValueError as error:
                self.message_user(request, str(error), messages.ERROR)
            else:
                self.message_user(
                    request,
                    _("%(plan)s was rolled over to %(year)s with %(count)d goals.")
                    % {"plan": plan, "year": new_plan.year, "count": new_plan.goals.count()},
                    messages.SUCCESS,
                )

    def import_view(self, request):
        """Upload → preview with department mapping → commit, all in one transaction at the end."""
        if not access.may_manage_plans(request.user):
            raise PermissionDenied
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a plan"),
        }
        if request.method == "POST" and "token" in request.POST:
            return self._import_commit(request, context)
        form = PlanImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["document"]
            try:
                parsed = parse_document(upload.name, upload.read())
            except PlanDocumentError as error:
                form.add_error("document", str(error))
            else:
                DepartmentMatcher().assign(parsed)
                token = uuid.uuid4().hex
                request.session[SESSION_KEY] = {
                    "token": token,
                    "plan": parsed.as_dict(),
                    "year": form.cleaned_data["year"],
                    "body": form.cleaned_data["body"].pk if form.cleaned_data["body"] else None,
                    "title": form.cleaned_data["title"],
                }
                return self._preview(request, context, parsed, token)
        return render(request, "admin/plans/annualplan/import_form.html", {**context, "form": form})

    def _preview(self, request, context, parsed, token, errors=None):
        sections = list(parsed.walk_sections())
        return render(
            request,
            "admin/plans/annualplan/import_preview.html",
            {
                **context,
                "parsed": parsed,
                "sections": [
                    (index, section, len(list(section.all_goals()))) for index, section in enumerate(sections)
                ],
                "token": token,
                "departments": Department.objects.filter(is_active=True),
                "units": Unit.objects.select_related("department"),
                "target_count": sum(1 for goal in parsed.all_goals() if goal.target),
                "errors": errors or [],
            },
        )

    def _import_commit(self, request, context):
        stored = request.session.get(SESSION_KEY)
        if not stored or stored["token"] != request.POST["token"]:
            self.message_user(
                request, _("The preview has expired. Please upload the file again."), messages.ERROR
            )
            return redirect("admin:plans_annualplan_import")
        parsed = ParsedPlan.from_dict(stored["plan"])
        departments = set(Department.objects.values_list("slug", flat=True))
        units = set(Unit.objects.values_list("slug", flat=True))
        for index, section in enumerate(parsed.walk_sections()):
            department = request.POST.get(f"section-{index}-department", section.department)
            unit = request.POST.get(f"section-{index}-unit", section.unit)
            section.department = department if department in departments else ""
            section.unit = unit if unit in units and section.department else ""
        body = Body.objects.filter(pk=stored["body"]).first() if stored["body"] else None
        try:
            plan = services.plan_import(
                parsed=parsed, year=stored["year"], body=body, title=stored["title"], by=request.user
            )
        except ValueError as error:
            return self._preview(request, context, parsed, stored["token"], errors=[str(error)])
        del request.session[SESSION_KEY]
        self.message_user(
            request,
            _("The plan %(plan)s was imported with %(count)d goals.")
            % {"plan": plan, "count": plan.goals.count()},
            messages.SUCCESS,
        )
        return redirect(reverse("admin:plans_annualplan_change", args=[plan.pk]))


@admin.register(PlanSection)
class PlanSectionAdmin(TabbedTranslationAdmin):
    list_display = ["title", "plan", "department", "unit", "order"]
    list_filter = ["plan", "department"]
    search_fields = ["title", "description"]
    list_select_related = ["plan", "department", "unit"]
    autocomplete_fields = ["parent"]
    filter_horizontal = ["partners"]


class ArchivedFilter(admin.SimpleListFilter):
    """Live goals unless asked: archived ones are out of the way, one click from being restored."""

    title = gettext_lazy("archive")
    parameter_name = "archive"

    def lookups(self, request, model_admin):
        return [("archived", gettext_lazy("Archived")), ("all", gettext_lazy("All"))]

    def choices(self, changelist):
        yield {
            "selected": self.value() is None,
            "query_string": changelist.get_query_string(remove=[self.parameter_name]),
            "display": _("Live"),
        }
        for value, label in self.lookup_choices:
            yield {
                "selected": self.value() == value,
                "query_string": changelist.get_query_string({self.parameter_name: value}),
                "display": label,
            }

    def queryset(self, request, queryset):
        if self.value() == "archived":
            return queryset.filter(is_archived=True)
        if self.value() == "all":
            return queryset
        return queryset.filter(is_archived=False)


@admin.register(Goal)
class GoalAdmin(SafeImportExportMixin, SimpleHistoryAdmin, TabbedTranslationAdmin):
    resource_classes = [GoalResource]
    list_display = ["__str__", "plan", "department", "status_display", "is_archived"]
    list_filter = [ArchivedFilter, "plan", "department", "latest_update__status"]
    search_fields = ["text", "target_unit"]
    list_select_related = ["plan", "department", "latest_update"]
    autocomplete_fields = ["section", "parent", "responsible", "carried_over_from"]
    readonly_fields = ["latest_update", "version", "created_at", "updated_at"]
    actions = ["archive", "restore"]

    @admin.display(description=gettext_lazy("status"))
    def status_display(self, goal):
        return goal.get_status_display()

    def has_delete_permission(self, request, obj=None):
        return False  # goals are archived, never deleted

    def get_actions(self, request):
        actions = super().get_actions(request)
        actions.pop("delete_selected", None)  # goals are archived, never deleted
        return actions

    @admin.action(description=gettext_lazy("Archive the selected goals"))
    def archive(self, request, queryset):
        archived = services.goal_archive(goals=list(queryset), by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d goal was archived (with its sub-goals); its updates and history are kept.",
                "%(count)d goals were archived (with their sub-goals); their updates and history are kept.",
                len(archived),
            )
            % {"count": len(archived)},
            messages.SUCCESS if archived else messages.WARNING,
        )

    @admin.action(description=gettext_lazy("Restore the selected goals"))
    def restore(self, request, queryset):
        restored = services.goal_restore(goals=list(queryset), by=request.user)
        self.message_user(
            request,
            ngettext(
                "%(count)d goal was restored with its updates and history.",
                "%(count)d goals were restored with their updates and history.",
                len(restored),
            )
            % {"count": len(restored)},
            messages.SUCCESS if restored else messages.WARNING,
        )


@admin.register(ProgressUpdate)
class ProgressUpdateAdmin(SafeImportExportMixin, SimpleHistoryAdmin):
    resource_classes = [ProgressUpdateResource]
    """Updates are the record: visible, never edited or deleted here."""

    list_display = ["goal", "status", "percent", "value", "author", "created_at"]
    list_filter = ["status", "goal__plan", "goal__department"]
    search_fields = ["goal__text", "note", "author__full_name"]
    list_select_related = ["goal", "author"]
    date_hierarchy = "created_at"

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def has_add_permission(self, request):
        return False
