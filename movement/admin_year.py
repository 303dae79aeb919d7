"""The year in one place: the secretariat's admin home for a year's plan, and its actions.

The roof of the house: it asks each app for its part (the plan's progress by department and its stale
departments, open and overdue decisions, kibbutzim not visited, the last reports) in a fixed number of
queries, and runs the apps' own services for the actions (approve, roll over, PDF, reminder round).
Every action is a confirming page first (a GET changes nothing), then a POST.
"""

import datetime

from django import forms
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpResponseNotAllowed
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path, reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from departments.models import Department
from meetings.models import Decision
from meetings.reminders import DUE_SOON_DAYS
from plans import access as plan_access
from plans import services as plan_services
from plans.models import AnnualPlan, Goal
from plans.reminders import stale_counts, stale_since
from plans.selectors import Progress, department_progress
from visits.selectors import kibbutzim_not_visited, regions_for

from . import reports
from .models import Reminder, ReportJob, User

NOT_VISITED_DAYS = 90  # as the coverage page's default
LAST_REPORTS = 8
OVERDUE_SHOWN = 10


def urls(admin_site):
    view = admin_site.admin_view
    return [
        path("year/", view(year_view), name="year"),
        path("year/plans/<int:pk>/approve/", view(plan_approve_view), name="year_plan_approve"),
        path("year/plans/<int:pk>/rollover/", view(plan_rollover_view), name="year_plan_rollover"),
        path("year/plans/<int:pk>/pdf/", view(plan_pdf_view), name="year_plan_pdf"),
        path("year/reminder-round/", view(reminder_round_view), name="year_reminder_round"),
    ]


def _secretariat_only(request):
    if not plan_access.may_manage_plans(request.user):
        raise PermissionDenied


class YearForm(forms.Form):
    year = forms.IntegerField(min_value=1990, max_value=2100, required=False)
    plan = forms.IntegerField(min_value=1, required=False)


def year_view(request):
    """The chosen year (the current one, else the latest with a plan) and one of its plans."""
    from django.contrib import admin

    _secretariat_only(request)
    today = timezone.localdate()
    owners = list(AnnualPlan.objects.values_list("year", "body_id"))  # every plan's (year, owner)
    years = sorted({year for year, _owner in owners}, reverse=True)
    form = YearForm(request.GET)
    chosen = form.cleaned_data if form.is_valid() else {}
    if request.GET and not form.is_valid():
        messages.warning(request, _("That year or plan does not exist; showing the current year."))
    year = chosen.get("year") or (today.year if today.year in years or not years else years[0])
    plans = list(
        AnnualPlan.objects.filter(year=year).select_related("body", "approved_by").order_by("body__name")
    )
    plan = next((p for p in plans if p.pk == chosen.get("plan")), None) or next(
        (p for p in plans if p.body_id is None), plans[0] if plans else None
    )
    context = {
        **admin.site.each_context(request),
        "title": _("The year in one place"),
        "year": year,
        "years": years,
        "plans": plans,
        "plan": plan,
        "today": today,
        "next_year_exists": plan is not None and (plan.year + 1, plan.body_id) in set(owners),
        **_plan_part(plan, today),
        **_decisions_part(today),
        **_coverage_part(today),
        "reports": list(ReportJob.objects.select_related("requested_by")[:LAST_REPORTS]),
        "failed_reminders": Reminder.objects.filter(status=Reminder.Status.FAILED).count(),
        "languages": User.Language.choices,
    }
    return render(request, "admin/movement/year.html", context)


def _plan_part(plan, today):
    """Progress by department (one query for the goals) and departments with stale goals (two more)."""
    if plan is None:
        return {"progress_rows": [], "overall": Progress(), "stale_rows": []}
    goals = list(Goal.objects.for_plan_page(plan))
    overall = Progress()
    for goal in goals:
        overall.add(goal)
    since = stale_since(today)
    counts = stale_counts([plan], since)
    departments = Department.objects.filter(pk__in=[pk for pk, (stale, _t) in counts.items() if stale])
    stale_rows = [
        (department, *counts[department.pk]) for department in departments.prefetch_related("heads")
    ]
    stale_rows.sort(key=lambda row: (-row[1] / row[2], row[0].order, row[0].name))
    return {
        "progress_rows": department_progress(goals),
        "overall": overall,
        "stale_rows": stale_rows,
        "stale_since": since,
    }


def _decisions_part(today):
    counts = Decision.objects.open().aggregate(
        open=Count("pk"),
        overdue=Count("pk", filter=Q(due_date__lt=today)),
        due_soon=Count(
            "pk", filter=Q(due_date__gte=today, due_date__lte=today + datetime.timedelta(days=DUE_SOON_DAYS))
        ),
        no_owner=Count("pk", filter=Q(owner__isnull=True)),
    )
    overdue = list(Decision.objects.overdue(today).for_tracker()[:OVERDUE_SHOWN])
    return {"decision_counts": counts, "overdue_decisions": overdue, "due_soon_days": DUE_SOON_DAYS}


def _coverage_part(today):
    regions = list(regions_for(None, everything=True))
    not_visited = list(kibbutzim_not_visited(regions, days=NOT_VISITED_DAYS, today=today))
    by_region = {region.pk: [region, 0, 0] for region in regions}  # region, not visited, never visited
    for kibbutz in not_visited:
        row = by_region[kibbutz.region_id]
        row[1] += 1
        row[2] += kibbutz.last_visit is None
    rows = sorted((row for row in by_region.values() if row[1]), key=lambda row: (-row[1], row[0].name))
    return {
        "coverage_rows": rows,
        "not_visited_count": len(not_visited),
        "not_visited_days": NOT_VISITED_DAYS,
    }


# Actions ----------------------------------------------------------------------------------------


def _confirm(request, plan, *, action, title, text, form=None, allowed=True):
    from django.contrib import admin

    return render(
        request,
        "admin/movement/year_confirm.html",
        {
            **admin.site.each_context(request),
            "title": title,
            "plan": plan,
            "action": action,
            "text": text,
            "form": form,
            "allowed": allowed,
            "back": _back(plan),
        },
    )


def _back(plan):
    return f"{reverse('admin:year')}?year={plan.year}&plan={plan.pk}" if plan else reverse("admin:year")


def plan_approve_view(request, pk):
    _secretariat_only(request)
    plan = get_object_or_404(AnnualPlan.objects.select_related("body"), pk=pk)
    if plan.status == AnnualPlan.Status.APPROVED:
        messages.warning(request, _("%(plan)s is approved already.") % {"plan": plan})
        return redirect(_back(plan))
    if request.method == "POST" and request.POST.get("confirm"):
        plan_services.plan_approve(plan=plan, by=request.user)
        messages.success(request, _("%(plan)s is approved.") % {"plan": plan})
        return redirect(_back(plan))
    text = _(
        "Once approved, the plan's department heads get the weekly reminders about goals without a recent "
        "progress update."
    )
    return _confirm(request, plan, action="approve", title=_("Approve %(plan)s?") % {"plan": plan}, text=text)


def plan_rollover_view(request, pk):
    _secretariat_only(request)
    plan = get_object_or_404(AnnualPlan.objects.select_related("body"), pk=pk)
    to_year = plan.year + 1
    if request.method == "POST" and request.POST.get("confirm"):
        try:
            new_plan = plan_services.plan_rollover(plan=plan, to_year=to_year, by=request.user)
        except ValueError as error:
            messages.error(request, str(error))
            return redirect(_back(plan))
        messages.success(
            request,
            _("%(plan)s was rolled over to %(year)s with %(count)d goals.")
            % {"plan": plan, "year": to_year, "count": new_plan.goals.count()},
        )
        return redirect(_back(new_plan))
    exists = AnnualPlan.objects.filter(year=to_year, body=plan.body).exists()
    if exists:
        text = _("A plan for %(year)s already exists for this owner.") % {"year": to_year}
    else:
        text = _(
            "Its sections and unfinished goals are copied to a draft plan for %(year)s, each goal linked to "
            "its origin; finished and cancelled goals stay behind. Nobody is emailed about the copy."
        ) % {"year": to_year}
    title = _("Roll %(plan)s over to %(year)s?") % {"plan": plan, "year": to_year}
    return _confirm(request, plan, action="rollover", title=title, text=text, allowed=not exists)


class PdfForm(forms.Form):
    language = forms.ChoiceField(
        label=gettext_lazy("Language"),
        choices=User.Language.choices,
        error_messages={"required": gettext_lazy("Choose the PDF's language.")},
    )


def plan_pdf_view(request, pk):
    _secretariat_only(request)
    plan = get_object_or_404(AnnualPlan.objects.select_related("body"), pk=pk)
    form = PdfForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and request.POST.get("confirm") and form.is_valid():
        language = form.cleaned_data["language"]
        job = reports.request_report(kind="plan", obj=plan, language=language, user=request.user)
        if job.status == ReportJob.Status.DONE:
            messages.success(
                request, _("The PDF of this version of the plan is ready: see the last reports.")
            )
        else:
            messages.success(
                request,
                _("The PDF is being generated; it appears in the last reports below when it is ready."),
            )
        return redirect(_back(plan))
    text = _("The yearly plan as a PDF, generated in the background; a PDF of the same version is reused.")
    title = _("Generate the PDF of %(plan)s?") % {"plan": plan}
    return _confirm(request, plan, action="pdf", title=title, text=text, form=form)


def reminder_round_view(request):
    """A confirming page; its form posts to the reminders' own "send a round now" (movement/admin.py)."""
    _secretariat_only(request)
    if request.method != "GET":
        return HttpResponseNotAllowed(["GET"])
    text = _(
        "Every app's reminders for today are queued now: stale goals to department heads, decisions due to "
        "their owners, follow-ups to coordinators, meetings to participants. Reminders already sent this "
        "period are not sent again."
    )
    return _confirm(request, None, action="round", title=_("Send a reminder round now?"), text=text)
