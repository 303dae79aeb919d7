"""Who may do what with plans and goals. One small function per rule."""

from departments.access import heads_department, heads_unit
from movement.access import is_member, is_secretariat


def may_read_plans(user):
    return is_member(user)


def heads_goal(user, goal):
    """Heads of the goal's department, or of its unit (and so of the unit's department)."""
    if goal.unit_id and heads_unit(user, goal.unit):
        return True
    return bool(goal.department_id) and heads_department(user, goal.department)


def may_update_goal(user, goal):
    """Record progress: the secretariat, the heads of the owning department or unit, the responsible person."""
    if not is_member(user) or goal.is_archived:
        return False
    return is_secretariat(user) or goal.responsible_id == user.pk or heads_goal(user, goal)


def may_edit_goal(user, goal):
    """Change a goal's text, responsible person and due date: the secretariat and the owning heads."""
    return is_member(user) and not goal.is_archived and (is_secretariat(user) or heads_goal(user, goal))


def may_edit_goal_plan_fields(user, goal):
    """Department, unit, target and budget are the plan's: the secretariat's alone."""
    return is_secretariat(user)


def may_manage_plans(user):
    """Import, approve, roll over: the secretariat."""
    return is_secretariat(user)
