"""The plans app's reminders: a weekly digest of stale goals to each department head, and a notice
to a goal's new responsible person. Registered with the floor's round in PlansConfig.ready()."""

import datetime

from django.conf import settings
from django.db.models import Count, F, Q
from django.db.models.functions import Coalesce

from departments.models import Department
from movement import reminders
from movement.models import Reminder

from .models import AnnualPlan, Goal


def stale_since(today):
    """The day before which a goal's last update makes it stale: N days ago, or the quarter's start."""
    if settings.REMINDER_STALE_DAYS:
        return today - datetime.timedelta(days=settings.REMINDER_STALE_DAYS)
    return datetime.date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)


def stale_condition(since):
    """The rule of staleness, shared by the digests and the secretariat's year page."""
    return Q(latest_update__isnull=True) | Q(latest_update__created_at__date__lt=since)


def stale_goals(department, plans, since):
    """The department's live goals with no update since `since`, stalest first (never updated first)."""
    return (
        Goal.objects.active()
        .filter(plan__in=plans)
        .filter(Q(department=department) | Q(unit__department=department))
        .filter(stale_condition(since))
        .select_related("plan__body", "latest_update")
        .order_by(F("latest_update__created_at").asc(nulls_first=True), "order")
    )


def stale_counts(plans, since):
    """{department id: (stale goals, live goals)} over `plans`, by the digests' rule, in one query.

    A goal of a unit counts for the unit's department, as in `stale_goals`.
    """
    rows = (
        Goal.objects.active()
        .filter(plan__in=plans)
        .annotate(owner_department=Coalesce("department_id", "unit__department_id"))
        .exclude(owner_department__isnull=True)
        .values("owner_department")
        .annotate(stale=Count("pk", filter=stale_condition(since)), total=Count("pk"))
        .order_by()
    )
    return {row["owner_department"]: (row["stale"], row["total"]) for row in rows}


def stale_goal_digests(today):
    plans = list(AnnualPlan.objects.filter(year=today.year, status=AnnualPlan.Status.APPROVED))
    if not plans:
        return
    since = stale_since(today)
    period = reminders.week_period(today)
    for department in Department.objects.prefetch_related("heads"):
        heads = [head for head in department.heads.all() if reminders.wants(head, Reminder.Kind.STALE_GOALS)]
        if not heads:
            continue
        goals = list(stale_goals(department, plans, since))
        if not goals:
            continue
        rows = [{"goal": goal, "days": goal.days_since_update(today)} for goal in goals]
        for head in heads:
            yield reminders.Message(
                recipient=head,
                kind=Reminder.Kind.STALE_GOALS,
                key=f"department:{department.pk}:{period}",
                template="plans/email/stale_goals",
                path=department.get_absolute_url(),
                context={"department": department, "rows": rows, "since": since, "today": today},
            )


def notify_responsible(goal):
    """Tell a goal's (new) responsible person that it is theirs, once per goal and person."""
    reminders.notify_assigned(
        goal.responsible,
        key=f"goal:{goal.pk}",
        template="plans/email/goal_assigned",
        path=goal.get_absolute_url(),
        context={"goal": goal},
    )
