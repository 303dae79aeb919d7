"""Meeting pages: protocols by body, the protocol page, the decisions tracker, decisions, mine."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db.models import Count, Prefetch
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from movement import reports
from movement.models import Body
from plans.models import Goal

from . import access, services
from .forms import DecisionFilterForm, DecisionStatusForm
from .models import Decision, Meeting, Statement

DECISIONS_PER_PAGE = 50


def meeting_list(request):
    meetings = (
        Meeting.objects.select_related("body").annotate(decision_count=Count("decisions")).order_by("-date")
    )
    body = None
    if request.GET.get("body"):
        body = get_object_or_404(Body, slug=request.GET["body"])
        meetings = meetings.filter(body=body)
    page = Paginator(meetings, 50).get_page(request.GET.get("page"))
    bodies = Body.objects.filter(meetings__isnull=False).distinct()
    return render(request, "meetings/meeting_list.html", {"page": page, "body": body, "bodies": bodies})


def meeting_detail(request, pk):
    meeting = get_object_or_404(
        Meeting.objects.select_related("body", "recorder", "approves").prefetch_related(
            "participants__kibbutz",
            Prefetch("items__statements", queryset=Statement.objects.select_related("speaker")),
            Prefetch("items__decisions", queryset=Decision.objects.select_related("owner")),
        ),
        pk=pk,
    )
    participants = list(meeting.participants.all())
    follow_up = (
        Decision.objects.open()
        .filter(meeting__body=meeting.body, meeting__date__lt=meeting.date)
        .select_related("meeting__body", "owner")
        .order_by("meeting__date", "number")[:50]
    )
    return render(
        request,
        "meetings/meeting_detail.html",
        {
            "meeting": meeting,
            "participants": participants,
            "present_count": sum(1 for p in participants if p.attendance != p.Attendance.ABSENT),
            "count_differs": meeting.stated_participant_count is not None
            and meeting.stated_participant_count != len(participants),
            "follow_up": follow_up,
            "report_job": reports.latest_for("protocol", meeting, language=request.LANGUAGE_CODE[:2]),
        },
    )


def decision_tracker(request):
    form = DecisionFilterForm(request.GET or {"status": "open"})
    decisions = Decision.objects.for_tracker()
    if form.is_valid():
        data = form.cleaned_data
        if data["body"]:
            decisions = decisions.filter(meeting__body=data["body"])
        if data["status"] == "open":
            decisions = decisions.open()
        elif data["status"]:
            decisions = decisions.filter(status=data["status"])
        if data["kibbutz"]:
            decisions = decisions.filter(kibbutzim=data["kibbutz"])
        if data["owner"]:
            decisions = decisions.filter(owner=data["owner"])
        if data["goal"]:
            decisions = decisions.filter(goals=data["goal"])
    page = Paginator(decisions, DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "meetings/decision_tracker.html",
        {"form": form, "page": page, "today": timezone.localdate(), "query": _query_without_page(request)},
    )


def _query_without_page(request):
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode()


def my_decisions(request):
    """Decisions the user owns: the open ones by due date, a page at a time, then the latest closed."""
    decisions = Decision.objects.for_tracker().filter(owner=request.user)
    page = Paginator(decisions.open(), DECISIONS_PER_PAGE).get_page(request.GET.get("page"))
    closed = decisions.exclude(status__in=[Decision.Status.OPEN, Decision.Status.IN_PROGRESS])[:20]
    return render(
        request,
        "meetings/my_decisions.html",
        {"page": page, "closed": list(closed), "today": timezone.localdate(), "query": ""},
    )


def decision_detail(request, pk, form=None, status=200):
    decision = get_object_or_404(
        Decision.objects.select_related("meeting__body", "item", "owner").prefetch_related(
            Prefetch("goals", queryset=Goal.objects.active().select_related("plan__body")),
            "kibbutzim",
            "changes__by",
        ),
        pk=pk,
    )
    may_change = access.may_change_decision_status(request.user, decision)
    return render(
        request,
        "meetings/decision_detail.html",
        {
            "decision": decision,
            "may_change": may_change,
            "form": form or (DecisionStatusForm(initial={"status": decision.status}) if may_change else None),
            "today": timezone.localdate(),
        },
        status=status,
    )


@require_POST
def decision_status(request, pk):
    decision = get_object_or_404(Decision, pk=pk)
    if not access.may_change_decision_status(request.user, decision):
        raise PermissionDenied
    form = DecisionStatusForm(request.POST)
    if form.is_valid():
        try:
            services.decision_set_status(decision=decision, by=request.user, **form.cleaned_data)
        except ValidationError as error:
            form.add_error("status", error)
        else:
            messages.success(request, _("The decision's status was changed."))
            return redirect(decision.get_absolute_url())
    return decision_detail(request, pk, form=form, status=422)
