"""Writes of plans that span models or have side effects: import, progress, edits, rollover."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from departments.models import Department, Unit
from movement import reminders

from .models import AnnualPlan, Goal, PlanSection, ProgressUpdate


class GoalEditConflict(Exception):
    """The goal changed since the form was opened; nothing was saved."""

    def __init__(self, current):
        super().__init__(_("Someone else changed this goal while you were editing it."))
        self.current = current


@transaction.atomic
def plan_import(*, parsed, year, body=None, title="", by=None):
    """Create a plan from a ParsedPlan (already mapped to departments) in one transaction.

    Raises ValueError when the owner already has a plan for that year.
    """
    if AnnualPlan.objects.filter(year=year, body=body).exists():
        raise ValueError(_("A plan for %(year)s already exists for this owner.") % {"year": year})
    plan = AnnualPlan.objects.create(
        year=year,
        body=body,
        title=title or parsed.title or _("Work plan %(year)s") % {"year": year},
        intro="\n".join(parsed.intro),
    )
    departments = {d.slug: d for d in Department.objects.all()}
    units = {u.slug: u for u in Unit.objects.all()}
    order = iter(range(1, 10**9))
    section_partners = []
    goals = []

    def add_goals(section, parsed_goals, parent):
        for parsed_goal in parsed_goals:
            target = parsed_goal.target
            goal = Goal(
                plan=plan,
                section=section,
                parent=parent,
                order=next(order),
                text=parsed_goal.text,
                department=section.department,
                unit=section.unit,
                target_value=target.value if target else None,
                target_max=target.value_max if target else None,
                target_unit=target.unit if target else "",
                target_is_about=target.about if target else False,
                target_is_increase=target.increase if target else False,
            )
            goal.save()  # one by one: sub-goals need their parent's id, history needs save()
            goals.append(goal)
            add_goals(section, parsed_goal.children, goal)

    def add_section(parsed_section, parent):
        section = PlanSection.objects.create(
            plan=plan,
            parent=parent,
            order=next(order),
            title=parsed_section.title,
            description="\n".join(parsed_section.description),
            department=departments.get(parsed_section.department),
            unit=units.get(parsed_section.unit),
        )
        partners = [departments[slug] for slug in parsed_section.partners if slug in departments]
        if partners:
            section_partners.append((section, partners))
        add_goals(section, parsed_section.goals, None)
        for child in parsed_section.children:
            add_section(child, section)

    for parsed_section in parsed.sections:
        add_section(parsed_section, None)
    for section, partners in section_partners:
        section.partners.set(partners)
    return plan


@transaction.atomic
def progress_record(*, goal, by, status, value=None, percent=None, note="", as_of=None):
    """Record a progress update; the goal's state becomes it unless a newer one exists.

    The goal row is locked (PostgreSQL) so two updates at once are both kept and the later one wins
    the goal's state; nothing is ever overwritten.
    """
    locked = (
        Goal.objects.select_for_update(of=("self",)).select_related("latest_update", "plan").get(pk=goal.pk)
    )
    update = ProgressUpdate(
        goal=locked,
        author=by,
        status=status,
        value=value,
        percent=percent,
        note=note,
        as_of=as_of or timezone.localdate(),
    )
    update._history_user = by  # the history says who, in a request or not
    update.save(force_insert=True)
    current = locked.latest_update
    if current is None or (current.created_at, current.pk) <= (update.created_at, update.pk):
        Goal.objects.filter(pk=locked.pk).update(latest_update=update)
    locked.plan.touch()
    goal.latest_update = update
    return update


@transaction.atomic
def goal_edit(*, goal, by, version, **fields):
    """Change a goal's fields if nobody else did since `version`; else raise GoalEditConflict.

    The row is locked while it is compared and saved, so of two edits made on the same version
    exactly one is saved and the other gets the conflict (with what the first one wrote).
    """
    locked = Goal.objects.select_for_update().get(pk=goal.pk)
    if locked.version != version:
        raise GoalEditConflict(locked)
    for name, value in fields.items():
        setattr(locked, name, value)
    locked.version += 1
    locked._history_user = by  # the audit history's "who"
    locked.save()
    locked.plan.touch()
    return locked


@transaction.atomic
def plan_approve(*, plan, by):
    plan.status = AnnualPlan.Status.APPROVED
    plan.approved_at = timezone.now()
    plan.approved_by = by
    plan.save(update_fields=["status", "approved_at", "approved_by"])
    return plan


LEFT_BEHIND = {ProgressUpdate.Status.DONE, ProgressUpdate.Status.CANCELLED}


@transaction.atomic
def plan_rollover(*, plan, to_year, by=None, include_finished=False):
    """Copy a plan to another year: sections and goals, unfinished goals linked to their origin.

    Finished and cancelled goals stay behind unless `include_finished`; a sub-goal whose parent stays
    behind moves up to its section. The copied responsible persons are not notified: the new plan is a
    draft until it is approved.
    """
    with reminders.muted():
        return _plan_rollover(plan=plan, to_year=to_year, by=by, include_finished=include_finished)


def _plan_rollover(*, plan, to_year, by, include_finished):
    if AnnualPlan.objects.filter(year=to_year, body=plan.body).exists():
        raise ValueError(_("A plan for %(year)s already exists for this owner.") % {"year": to_year})
    new_plan = AnnualPlan.objects.create(
        year=to_year,
        body=plan.body,
        title=plan.title.replace(str(plan.year), str(to_year)),
        title_en=(plan.title_en or "").replace(str(plan.year), str(to_year)) or None,
        intro=plan.intro,
        rolled_over_from=plan,
    )
    section_map = {}
    for section in PlanSection.objects.filter(plan=plan).order_by("order").prefetch_related("partners"):
        copy = PlanSection.objects.create(
            plan=new_plan,
            parent=section_map.get(section.parent_id),
            order=section.order,
            title=section.title,
            title_en=section.title_en,
            description=section.description,
            description_en=section.description_en,
            department=section.department,
            unit=section.unit,
        )
        copy.partners.set(section.partners.all())
        section_map[section.pk] = copy

    goal_map = {}
    for goal in Goal.objects.active().filter(plan=plan).select_related("latest_update").order_by("order"):
        if goal.status in LEFT_BEHIND and not include_finished:
            continue
        copy = Goal.objects.create(
            plan=new_plan,
            section=section_map[goal.section_id],
            parent=goal_map.get(goal.parent_id),
            order=goal.order,
            text=goal.text,
            text_en=goal.text_en,
            department=goal.department,
            unit=goal.unit,
            target_value=goal.target_value,
            target_max=goal.target_max,
            target_unit=goal.target_unit,
            target_is_about=goal.target_is_about,
            target_is_increase=goal.target_is_increase,
            baseline=goal.baseline,
            budget=goal.budget,
            responsible=goal.responsible,
            carried_over_from=goal,
        )
        goal_map[goal.pk] = copy
    return new_plan


def _with_sub_goals(goals):
    """The goals and every goal below them (sub-goals, their sub-goals …), as a set of ids."""
    ids = set(goal.pk for goal in goals)
    frontier = set(ids)
    while frontier:
        frontier = set(Goal.objects.filter(parent_id__in=frontier).values_list("pk", flat=True)) - ids
        ids |= frontier
    return ids


def _set_archived(ids, *, archived, by, reason):
    goals = list(Goal.objects.filter(pk__in=ids, is_archived=not archived).select_related("plan"))
    for goal in goals:
        goal.is_archived = archived
        goal._history_user = by  # each change is a history row: who, when, why
        goal._change_reason = reason
        goal.save(update_fields=["is_archived", "updated_at"])
    return goals


@transaction.atomic
def goal_archive(*, goals, by):
    """Archive goals with their sub-goals: they leave every page, their updates and history stay.

    Returns the goals archived (those already archived are left as they are).
    """
    return _set_archived(_with_sub_goals(goals), archived=True, by=by, reason=_("Archived"))


@transaction.atomic
def goal_restore(*, goals, by):
    """Bring archived goals back with their sub-goals, and any archived goal above them (a restored goal
    never hangs under an archived one). Their progress updates and history were never touched."""
    ids = _with_sub_goals(goals)
    parents = {goal.parent_id for goal in Goal.objects.filter(pk__in=ids)} - {None}
    while parents:
        ids |= parents
        parents = set(Goal.objects.filter(pk__in=parents).values_list("parent_id", flat=True)) - {None} - ids
    return _set_archived(ids, archived=False, by=by, reason=_("Restored"))


def goals_to_hand_over(person):
    """Goals a leaving person is responsible for and that are still to do (finished ones keep the name)."""
    return Goal.objects.filter(responsible=person).exclude(latest_update__status__in=LEFT_BEHIND)


def goals_hand_over(*, person, successor, by, reason):
    """Make `successor` responsible for `person`'s goals still to do, with a history row each.

    Sends no notice: the caller tells the successor once. Returns how many goals moved.
    """
    from simple_history.utils import bulk_update_with_history

    goals = list(goals_to_hand_over(person).select_related("plan"))
    for goal in goals:
        goal.responsible = successor
    bulk_update_with_history(
        goals, Goal, ["responsible"], default_user=by, default_change_reason=reason, batch_size=500
    )
    for plan in {goal.plan for goal in goals}:
        plan.touch()  # the cached plan pages name the responsible person
    return len(goals)
