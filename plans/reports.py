"""The yearly plan and department PDF reports (rendered by the floor's `movement.pdf`).

Both read the plan the way its page does (`selectors.plan_tree`: sections, partners, goals with
their latest update, department, unit and responsible person) and hand the template a flat list of
sections, each with its goal rows: the template loops once, with no recursive includes.
"""

from dataclasses import dataclass, field
from decimal import Decimal

from django.utils import translation
from django.utils.translation import gettext

from movement.pdf import render_pdf

from .models import ProgressUpdate
from .selectors import Progress, department_progress, plan_tree


@dataclass
class GoalRow:
    goal: object
    depth: int  # 0 for a goal of the section, 1 for its sub-goal, ...


@dataclass
class SectionPart:
    section: object
    level: int
    progress: Progress
    budget: Decimal | None
    rows: list = field(default_factory=list)
    starts_page: bool = False

    @property
    def anchor(self):
        return f"section-{self.section.pk}"


def render_plan_pdf(plan, *, language="he"):
    """The yearly plan as a PDF: cover, contents, progress by department, then every section's goals.

    Returns `movement.pdf.PdfBytes` (bytes, with `.page_count`). Three queries whatever the plan's size
    (sections, their partners, goals), and one more for a body's plan loaded without its body.
    """
    with translation.override(language):
        context = plan_report_context(plan)
        return render_pdf("plans/pdf/plan.html", context, language=language)


def render_department_pdf(plan, department, *, language="he"):
    """One department's goals in the plan as a PDF, with the latest progress note of each goal.

    Returns `movement.pdf.PdfBytes`. Four queries whatever the plan's size: the plan's three, and the
    authors of the notes.
    """
    with translation.override(language):
        context = department_report_context(plan, department)
        return render_pdf("plans/pdf/department.html", context, language=language)


def plan_report_context(plan):
    tree = plan_tree(plan)
    parts = _flatten(tree)
    for index, part in enumerate(parts):
        # Each department's part starts a page, so a department can be printed on its own.
        part.starts_page = part.level == 1 and (index == 0 or part.section.department_id is not None)
    goals = [row.goal for part in parts for row in part.rows]
    overall = Progress()
    for goal in goals:
        overall.add(goal)
    budgets = {}
    for goal in goals:
        if goal.budget is not None and goal.department_id:
            budgets[goal.department_id] = budgets.get(goal.department_id, 0) + goal.budget
    return {
        "plan": plan,
        "report_title": _plan_title(plan),
        "parts": parts,
        "overall": overall,
        "departments": [
            (department, progress, budgets.get(department.pk))
            for department, progress in department_progress(goals)
        ],
        "plan_budget": _budget(goals),
        "has_responsible": any(goal.responsible_id for goal in goals),
    }


def department_report_context(plan, department):
    tree = plan_tree(plan, goal_filter=lambda goal: goal.department_id == department.pk)
    parts = [part for part in _flatten(tree, visible_only=True) if part.rows]
    goals = [row.goal for part in parts for row in part.rows if row.goal.department_id == department.pk]
    progress = Progress()
    for goal in goals:
        progress.add(goal)
    with_notes = [goal for goal in goals if goal.latest_update_id and goal.latest_update.note.strip()]
    authors = dict(
        ProgressUpdate.objects.filter(pk__in=[goal.latest_update_id for goal in with_notes])
        .select_related("author")
        .values_list("pk", "author__full_name")
    )
    notes = sorted(
        ((goal, goal.latest_update, authors.get(goal.latest_update_id) or "") for goal in with_notes),
        key=lambda note: (note[1].as_of, note[1].created_at),
        reverse=True,
    )
    return {
        "plan": plan,
        "department": department,
        "report_title": gettext("%(department)s — %(plan)s")
        % {"department": department.name, "plan": _plan_title(plan)},
        "parts": parts,
        "progress": progress,
        "budget": _budget(goals),
        "notes": notes,
        "has_responsible": any(goal.responsible_id for goal in goals),
    }


def _plan_title(plan):
    return plan.title if str(plan.year) in plan.title else f"{plan.title} {plan.year}"


def _budget(goals):
    budgets = [goal.budget for goal in goals if goal.budget is not None]
    return sum(budgets, start=Decimal(0)) if budgets else None


def _flatten(tree, *, visible_only=False):
    """The section tree in reading order as SectionParts, each with its goals and sub-goals as rows."""
    parts = []

    def add_goal(part, node, depth):
        if visible_only and not node.visible:
            return
        part.rows.append(GoalRow(node.goal, depth))
        for child in node.children:
            add_goal(part, child, depth + 1)

    def add_section(node, level):
        if visible_only and not node.visible:
            return
        goals = _goals_below(node)
        part = SectionPart(node.section, level, node.progress, _budget(goals))
        parts.append(part)
        for goal_node in node.goals:
            add_goal(part, goal_node, 0)
        for child in node.children:
            add_section(child, level + 1)

    for root in tree:
        add_section(root, 1)
    return parts


def _goals_below(node):
    goals = []

    def collect(goal_node):
        goals.append(goal_node.goal)
        for child in goal_node.children:
            collect(child)

    def walk(section_node):
        for goal_node in section_node.goals:
            collect(goal_node)
        for child in section_node.children:
            walk(child)

    walk(node)
    return goals
