"""The plan pages: plan tree, dashboard, goal, progress updates, goal edits, my goals, department."""

import datetime

from django.contrib import messages
from django.core.cache import cache
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from departments.models import Department
from movement import reports

from . import access, services
from .forms import GoalEditForm, PlanFilterForm, ProgressUpdateForm
from .models import AnnualPlan, Goal
from .selectors import Progress, department_progress, plan_tree, stalest_goals


def _get_plan(year, body=None):
    plans = AnnualPlan.objects.select_related("body")
    if body is None:
        return get_object_or_404(plans, year=year, body__isnull=True)
    return get_object_or_404(plans, year=year, body__slug=body)


def _get_goal(request, year, goal_id, body=None):
    """The goal, if it belongs to the plan in the URL and is not archived (404 otherwise); everyone
    signed in reads it."""
    plan = _get_plan(year, body)
    goal = get_object_or_404(
        Goal.objects.active().select_related(
            "plan__body", "section", "department", "unit", "responsible", "latest_update", "parent"
        ),
        pk=goal_id,
        plan=plan,
    )
    return goal


def _get_goal_to_update(request, year, goal_id, body=None):
    goal = _get_goal(request, year, goal_id, body)
    if not access.may_update_goal(request.user, goal):
        raise PermissionDenied
    return goal


def plan_index(request):
    plans = AnnualPlan.objects.select_related("body").order_by("-year", "body__name")
    return render(request, "plans/plan_index.html", {"plans": plans})


def plan_detail(request, year, body=None):
    plan = _get_plan(year, body)
    departments = Department.objects.filter(is_active=True)
    form = PlanFilterForm(request.GET or None, departments=departments)
    goal_filter = _goal_filter(form, departments) if form.is_valid() else None
    if goal_filter is None:
        # Nothing in the unfiltered tree depends on who is looking: one copy per plan change.
        tree_html = _cached_fragment(
            request,
            plan,
            "tree",
            "plans/includes/plan_tree.html",
            lambda plan: {"tree": plan_tree(plan, lean=True)},
        )
        any_visible = True
    elif _cacheable_filter(form):
        # A status or department filter: few possible keys, so one copy per plan change and filter
        # too. An empty tree renders to whitespace only.
        data = form.cleaned_data
        tree_html = _cached_fragment(
            request,
            plan,
            "tree-filtered",
            "plans/includes/plan_tree.html",
            lambda plan: {"tree": plan_tree(plan, goal_filter=goal_filter, lean=True), "filtered": True},
            data["status"],
            data["department"],
        )
        any_visible = bool(tree_html.strip())
    else:
        tree = plan_tree(plan, goal_filter=goal_filter, lean=True)
        tree_html = render_to_string(
            "plans/includes/plan_tree.html", {"tree": tree, "filtered": True}, request=request
        )
        any_visible = bool(tree)
    return render(
        request,
        "plans/plan_detail.html",
        {
            "plan": plan,
            "tree_html": tree_html,
            "form": form,
            "filtered": goal_filter is not None,
            "any_visible": any_visible,
            "report_job": reports.latest_for("plan", plan, language=request.LANGUAGE_CODE[:2]),
        },
    )


def _cacheable_filter(form):
    """Only the status and department filters: free text and "not updated for" (which moves with the
    clock) are rendered each time."""
    data = form.cleaned_data
    return not data["q"].strip() and not data["stale_days"]


def _goal_filter(form, departments):
    """`goal -> bool` for the filters in `form`, None when none is set. `departments` is the form's
    (already read) list; the goals need not carry their department."""
    data = form.cleaned_data
    q = data["q"].strip()
    department = next((d.pk for d in departments if d.slug == data["department"]), None)
    status = data["status"]
    stale_days = data["stale_days"]
    if not (q or department or status or stale_days):
        return None
    cutoff = timezone.now() - datetime.timedelta(days=stale_days) if stale_days else None

    def matches(goal):
        if q and q not in goal.text:
            return False
        if department and goal.department_id != department:
            return False
        if status and goal.status != status:
            return False
        if cutoff and goal.latest_update_id and goal.latest_update.created_at >= cutoff:
            return False
        return True

    return matches


def plan_dashboard(request, year, body=None):
    plan = _get_plan(year, body)
    body_html = _cached_fragment(
        request, plan, "dashboard", "plans/includes/dashboard_body.html", _dashboard_context
    )
    return render(request, "plans/plan_dashboard.html", {"plan": plan, "body_html": body_html})


def _dashboard_context(plan):
    goals = list(Goal.objects.for_plan_page(plan))
    overall = Progress()
    for goal in goals:
        overall.add(goal)
    return {
        "plan": plan,
        "overall": overall,
        "departments": department_progress(goals),
        "stalest": stalest_goals(goals, limit=10),
    }


def _cached_fragment(request, plan, name, template, context_for, *key_parts):
    """A part of a page that depends only on the plan (not on who looks), rendered once per change."""
    key = ":".join(
        [f"plan-{name}", str(plan.pk), str(plan.changed_at.timestamp()), get_language(), *key_parts]
    )
    html = cache.get(key)
    if html is None:
        html = render_to_string(template, context_for(plan), request=request)
        cache.set(key, html, timeout=24 * 60 * 60)
    # Safe: our template rendered it and escaped the content.
    return mark_safe(html)  # nosec B308, B703


def goal_detail(request, year, goal_id, body=None):
    goal = _get_goal(request, year, goal_id, body)
    may_update = access.may_update_goal(request.user, goal)
    return _render_goal_page(request, goal, ProgressUpdateForm(goal=goal) if may_update else None)


def _render_goal_page(request, goal, form, status=200):
    """The goal page: a read-only body cached per plan change, and the user's own controls."""
    body_html = _cached_fragment(
        request,
        goal.plan,
        "goal",
        "plans/includes/goal_body.html",
        lambda plan: _goal_context(goal),
        str(goal.pk),
    )
    return render(
        request,
        "plans/goal_detail.html",
        {
            "goal": goal,
            "plan": goal.plan,
            "body_html": body_html,
            "may_edit": access.may_edit_goal(request.user, goal),
            "form": form,
            # Decisions about the goal (meetings point at goals; read through the reverse relation).
            "decisions": goal.decisions.select_related("meeting__body", "owner").order_by("-meeting__date"),
            "today": timezone.localdate(),
        },
        status=status,
    )


def _goal_context(goal):
    updates = list(goal.updates.select_related("author").order_by("-created_at", "-id"))
    children = (
        goal.children.filter(is_archived=False)
        .select_related("plan__body", "latest_update")
        .order_by("order")
    )
    return {
        "goal": goal,
        "plan": goal.plan,
        "updates": updates,
        "chart": _chart(goal, updates),
        "children": children,
    }


def _chart(goal, updates):
    """Points of an SVG line chart of the goal's percent over time (oldest first), 0–100 on y."""
    points = [(u.as_of, percent) for u in reversed(updates) if (percent := goal.percent_at(u)) is not None]
    if len(points) < 2:
        return None
    first, last = points[0][0], points[-1][0]
    span = max((last - first).days, 1)
    width, height = 600, 200
    coords = [
        (round(40 + (d - first).days * (width - 60) / span), round(height - 20 - p * (height - 40) / 100))
        for d, p in points
    ]
    return {
        "width": width,
        "height": height,
        "polyline": " ".join(f"{x},{y}" for x, y in coords),
        "dots": [
            {"x": x, "y": y, "date": d, "percent": p} for (x, y), (d, p) in zip(coords, points, strict=True)
        ],
        "first": first,
        "last": last,
    }


@require_http_methods(["GET", "POST"])
def goal_progress(request, year, goal_id, body=None):
    """POST records progress. GET gives the quick form (htmx) or sends a browser to the goal page."""
    goal = _get_goal_to_update(request, year, goal_id, body)
    if request.method == "GET":
        if request.headers.get("HX-Request") != "true":
            return redirect(goal.get_absolute_url())
        form = ProgressUpdateForm(goal=goal, prefix=card_prefix(goal))
        return render(request, "plans/includes/progress_form.html", {"goal": goal, "form": form})
    # The quick forms of "my goals" carry a prefix, so several can share one page.
    prefix = card_prefix(goal) if request.POST.get("prefix") == card_prefix(goal) else None
    form = ProgressUpdateForm(request.POST, goal=goal, prefix=prefix)
    is_htmx = request.headers.get("HX-Request") == "true"
    if form.is_valid():
        services.progress_record(goal=goal, by=request.user, **form.cleaned_data)
        goal.refresh_from_db()
        if is_htmx:
            return render(
                request,
                "plans/includes/goal_card.html",
                {
                    "goal": goal,
                    "form": ProgressUpdateForm(goal=goal, prefix=card_prefix(goal)),
                    "saved": True,
                },
            )
        messages.success(request, _("Progress recorded."))
        return redirect(
            request.POST.get("next") if _is_local(request.POST.get("next")) else goal.get_absolute_url()
        )
    if is_htmx:
        return render(request, "plans/includes/goal_card.html", {"goal": goal, "form": form}, status=422)
    return _render_goal_page(request, goal, form, status=422)


def card_prefix(goal):
    return f"g{goal.pk}"


def _is_local(url):
    return bool(url) and url.startswith("/") and not url.startswith("//")


def goal_edit(request, year, goal_id, body=None):
    goal = _get_goal(request, year, goal_id, body)
    if not access.may_edit_goal(request.user, goal):
        raise PermissionDenied
    plan_fields = access.may_edit_goal_plan_fields(request.user, goal)
    conflict = None
    if request.method == "POST":
        form = GoalEditForm(request.POST, instance=goal, may_edit_plan_fields=plan_fields)
        if form.is_valid():
            try:
                services.goal_edit(
                    goal=goal, by=request.user, version=form.cleaned_data["version"], **form.goal_fields()
                )
            except services.GoalEditConflict as error:
                conflict = error.current
                messages.error(
                    request,
                    _("Someone else changed this goal while you were editing it. Nothing was saved: "
                      "your text is still in the form below, beside the current one."),
                )  # fmt: skip
                form.data = form.data.copy()
                form.data["version"] = conflict.version
            else:
                messages.success(request, _("The goal was saved."))
                return redirect(goal.get_absolute_url())
    else:
        form = GoalEditForm(instance=goal, may_edit_plan_fields=plan_fields)
    return render(
        request,
        "plans/goal_edit.html",
        {"goal": goal, "plan": goal.plan, "form": form, "conflict": conflict},
        status=409 if conflict else 200,
    )


MY_GOALS_PER_PAGE = 20


def my_goals(request):
    """The goals whose progress the user keeps, never-updated and stalest first, a page at a time."""
    goals = (
        Goal.objects.for_user(request.user)
        .select_related("plan__body", "latest_update", "department", "unit", "responsible")
        .exclude(plan__status=AnnualPlan.Status.CLOSED)
        .order_by(F("latest_update__created_at").asc(nulls_first=True), "plan__year", "order")
    )
    page = Paginator(goals, MY_GOALS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "plans/my_goals.html",
        {"page": page, "goals": list(page)},
    )


def department_detail(request, slug):
    department = get_object_or_404(Department.objects.prefetch_related("heads", "staff", "units"), slug=slug)
    plans = AnnualPlan.objects.filter(body__isnull=True)
    year = request.GET.get("year")
    if year:
        if not year.isdigit():
            raise Http404
        plan = get_object_or_404(plans, year=int(year))
    else:
        plan = plans.order_by("-year").first()
    goals_html = (
        _cached_fragment(
            request,
            plan,
            "department",
            "plans/includes/department_goals.html",
            lambda plan: _department_context(plan, department),
            str(department.pk),
        )
        if plan
        else ""
    )
    return render(
        request,
        "departments/department_detail.html",
        {
            "department": department,
            "plan": plan,
            "goals_html": goals_html,
            "report_job": plan
            and reports.latest_for(
                "department", plan, part_id=department.pk, language=request.LANGUAGE_CODE[:2]
            ),
        },
    )


def _department_context(plan, department):
    goals = list(Goal.objects.for_plan_page(plan).filter(department=department))
    progress = Progress()
    for goal in goals:
        progress.add(goal)
    return {
        "plan": plan,
        "goals": goals,
        "progress": progress,
        "budget": sum((goal.budget for goal in goals if goal.budget is not None), start=0),
    }
