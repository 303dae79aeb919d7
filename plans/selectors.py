"""Reads for the plan pages: a plan's tree with progress rolled up, in a fixed number of queries."""

from dataclasses import dataclass, field

from .models import Goal, PlanSection, ProgressUpdate

COUNTED = {s for s in ProgressUpdate.Status if s != ProgressUpdate.Status.CANCELLED}


@dataclass
class Progress:
    """Average percent of the goals counted, and how many goals in each status."""

    total: int = 0
    percent_sum: int = 0
    by_status: dict = field(default_factory=dict)

    def add(self, goal):
        status = goal.status
        self.by_status[status] = self.by_status.get(status, 0) + 1
        if status in COUNTED:
            self.total += 1
            self.percent_sum += goal.percent

    def merge(self, other):
        self.total += other.total
        self.percent_sum += other.percent_sum
        for status, count in other.by_status.items():
            self.by_status[status] = self.by_status.get(status, 0) + count

    @property
    def percent(self):
        return round(self.percent_sum / self.total) if self.total else 0

    @property
    def done_count(self):
        return self.by_status.get(ProgressUpdate.Status.DONE, 0)

    @property
    def troubled_count(self):
        """At risk or behind."""
        return self.by_status.get(ProgressUpdate.Status.AT_RISK, 0) + self.by_status.get(
            ProgressUpdate.Status.BEHIND, 0
        )

    @property
    def goal_count(self):
        return sum(self.by_status.values())

    def status_counts(self):
        return [(ProgressUpdate.Status(s), self.by_status.get(s, 0)) for s in ProgressUpdate.Status]


@dataclass
class GoalNode:
    goal: Goal
    children: list = field(default_factory=list)
    visible: bool = True


@dataclass
class SectionNode:
    section: PlanSection
    goals: list = field(default_factory=list)
    children: list = field(default_factory=list)
    progress: Progress = field(default_factory=Progress)
    visible: bool = True


def plan_tree(plan, *, goal_filter=None, lean=False):
    """The plan's sections as a tree of SectionNode, each with its goals (nested) and rolled-up progress.

    `goal_filter(goal) -> bool` hides goals that do not match (a goal stays when a sub-goal matches,
    a section when any goal below it does); hidden nodes are left out of the lists, so rendering
    costs what is shown, while each section's progress still counts all its goals. `lean` loads only
    what the plan page's rows show (the latest update; the plan is `plan` itself), not the goals'
    department, unit and responsible person. Three queries: sections, partners, goals.
    """
    sections = list(
        PlanSection.objects.filter(plan=plan)
        .select_related("department", "unit")
        .prefetch_related("partners")
        .order_by("order")
    )
    if lean:
        goals = list(
            Goal.objects.active().filter(plan=plan).select_related("latest_update").order_by("order")
        )
        cache_plan = Goal.plan.field.set_cached_value
        for goal in goals:
            cache_plan(goal, plan)
    else:
        goals = list(Goal.objects.for_plan_page(plan))
    section_nodes = {s.pk: SectionNode(s) for s in sections}
    goal_nodes = {g.pk: GoalNode(g) for g in goals}
    roots = []
    for section in sections:
        node = section_nodes[section.pk]
        parent = section_nodes.get(section.parent_id)
        (parent.children if parent else roots).append(node)
    for goal in goals:
        node = goal_nodes[goal.pk]
        parent = goal_nodes.get(goal.parent_id)
        if parent:
            parent.children.append(node)
        else:
            section_nodes[goal.section_id].goals.append(node)
        section_nodes[goal.section_id].progress.add(goal)

    def settle_goal(node):
        children_visible = [settle_goal(child) for child in node.children]
        node.visible = goal_filter is None or goal_filter(node.goal) or any(children_visible)
        return node.visible

    def settle_section(node):
        goals_visible = [settle_goal(g) for g in node.goals]
        children_visible = [settle_section(child) for child in node.children]
        for child in node.children:
            node.progress.merge(child.progress)
        node.visible = goal_filter is None or any(goals_visible) or any(children_visible)
        return node.visible

    for root in roots:
        settle_section(root)
    if goal_filter is None:
        return roots
    return _prune(roots)


def _prune(section_nodes):
    """The visible nodes only, at every level (their `visible` stays True)."""
    kept = [node for node in section_nodes if node.visible]
    for node in kept:
        node.goals = _prune_goals(node.goals)
        node.children = _prune(node.children)
    return kept


def _prune_goals(goal_nodes):
    kept = [node for node in goal_nodes if node.visible]
    for node in kept:
        node.children = _prune_goals(node.children)
    return kept


def department_progress(goals):
    """Progress of each department's goals among `goals`, departments in their order."""
    rows = {}
    for goal in goals:
        department = goal.department
        if department is None:
            continue
        rows.setdefault(department.pk, (department, Progress()))[1].add(goal)
    return sorted(rows.values(), key=lambda row: (row[0].order, row[0].name))


def stalest_goals(goals, *, limit=None):
    """Goals never updated first, then by the age of their latest update."""
    ordered = sorted(
        goals,
        key=lambda g: (
            g.latest_update_id is not None,
            g.latest_update.created_at if g.latest_update_id else None,
        ),
    )
    return ordered[:limit] if limit else ordered
