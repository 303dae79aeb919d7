"""A believable spread of progress updates for the demo (`manage.py demo_progress`).

Deterministic: the same seed gives the same updates, spread over the months before `today`. Running it
again replaces the plan's updates with the same ones, so it is safe to repeat.
"""

import datetime
import random
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from .models import AnnualPlan, Goal, PlanSection, ProgressUpdate

S = ProgressUpdate.Status
# (weight, the path of statuses a goal's updates follow)
PATHS = [
    (30, [S.ON_TRACK] * 6),
    (20, [S.ON_TRACK] * 5 + [S.DONE]),
    (12, [S.ON_TRACK, S.ON_TRACK, S.AT_RISK, S.AT_RISK, S.AT_RISK]),
    (10, [S.ON_TRACK, S.AT_RISK, S.AT_RISK, S.BEHIND, S.BEHIND]),
    (8, [S.ON_TRACK, S.ON_TRACK, S.AT_RISK, S.ON_TRACK, S.ON_TRACK, S.ON_TRACK]),
    (5, [S.ON_TRACK, S.ON_TRACK, S.CANCELLED]),
    (15, []),  # never updated
]
NOTES = [
    "התקיימה פגישת עבודה עם הצוות",
    "ממתינים לאישור תקציב",
    "הוגשה טיוטה לאגף",
    "נקבעו מועדים לרבעון הבא",
    "בוצע בהתאם לתכנון",
    "עיכוב בשל מחסור בכוח אדם",
    "",
]


@transaction.atomic
def demo_progress_create(*, plan, authors, seed=2018, today=None):
    """Replace the plan's progress updates with a generated history; returns how many were made."""
    today = today or timezone.localdate()
    rng = random.Random(seed)
    goals = list(Goal.objects.filter(plan=plan).order_by("order"))
    ProgressUpdate.objects.filter(goal__plan=plan).delete()
    made = []
    for goal in goals:
        path = rng.choices([p for _, p in PATHS], weights=[w for w, _ in PATHS])[0]
        if not path:
            continue
        start = today - datetime.timedelta(days=rng.randint(120, 360))
        percent = 0
        day = start
        for step, status in enumerate(path):
            day = min(today, day + datetime.timedelta(days=rng.randint(14, 60) if step else 0))
            percent = 100 if status == S.DONE else min(95, percent + rng.randint(5, 20))
            value = None
            if goal.target_value and status != S.CANCELLED:
                top = goal.target_max or goal.target_value
                value = (top * percent / 100).quantize(Decimal("1"))
            created = timezone.make_aware(
                datetime.datetime.combine(day, datetime.time(9 + step, rng.randint(0, 59)))
            )
            made.append(
                ProgressUpdate(
                    goal=goal,
                    author=authors.get(goal.department_id) or authors.get(None),
                    created_at=created,
                    as_of=day,
                    status=status,
                    percent=None if status == S.CANCELLED else percent,
                    value=value,
                    note=rng.choice(NOTES),
                )
            )
    # Demo data carries no audit history: bulk insert, then point each goal at its newest update.
    ProgressUpdate.objects.bulk_create(made)
    latest = {}
    for update in ProgressUpdate.objects.filter(goal__plan=plan).order_by("goal_id", "created_at", "id"):
        latest[update.goal_id] = update.pk
    Goal.objects.filter(plan=plan).update(latest_update=None)
    for goal_id, update_id in latest.items():
        Goal.objects.filter(pk=goal_id).update(latest_update_id=update_id)
    plan.touch()
    return len(made)


def synthetic_plan(
    *, year=2030, goals=2000, sections=40, updates_per_goal=2, departments=None, author=None, body=None
):
    """A plan of many goals with updates, written in bulk: for query-count tests and benchmarks."""
    from departments.models import Department

    departments = list(departments or Department.objects.all())
    plan = AnnualPlan.objects.create(year=year, body=body, title=f"תכנית {year}")
    section_objs = PlanSection.objects.bulk_create(
        PlanSection(plan=plan, order=i, title=f"פרק {i}", department=departments[i % len(departments)])
        for i in range(sections)
    )
    goal_objs = Goal.objects.bulk_create(
        Goal(
            plan=plan,
            section=section_objs[i % sections],
            order=i,
            text=f"יעד מספר {i}",
            department=section_objs[i % sections].department,
            target_value=10 if i % 3 == 0 else None,
        )
        for i in range(goals)
    )
    now = timezone.now()
    statuses = [s for s in ProgressUpdate.Status]
    updates = ProgressUpdate.objects.bulk_create(
        ProgressUpdate(
            goal=goal,
            author=author,
            status=statuses[(goal.order + n) % len(statuses)],
            percent=(goal.order * 7 + n * 10) % 100,
            created_at=now - datetime.timedelta(days=goal.order % 200 + 10 * (updates_per_goal - n)),
        )
        for goal in goal_objs
        for n in range(updates_per_goal)
    )
    latest = {}
    for update in updates:
        latest[update.goal_id] = update
    for goal in goal_objs:
        goal.latest_update = latest.get(goal.pk)
    Goal.objects.bulk_update(goal_objs, ["latest_update"], batch_size=500)
    return plan
