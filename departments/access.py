"""Who may do what with departments and units. One small function per rule."""

from movement.access import is_member, is_secretariat


def heads_department(user, department):
    return is_member(user) and department.heads.filter(pk=user.pk).exists()


def heads_unit(user, unit):
    """A unit is led by its own heads and by the heads of its department."""
    return is_member(user) and (
        unit.heads.filter(pk=user.pk).exists() or heads_department(user, unit.department)
    )


def works_in_department(user, department):
    return heads_department(user, department) or (
        is_member(user) and department.staff.filter(pk=user.pk).exists()
    )


def may_manage_department(user, department):
    """Change a department's description, heads and staff: the secretariat only."""
    return is_secretariat(user)


def may_update_department_goals(user, department):
    """Record progress on any goal of the department: its heads and the secretariat."""
    return is_secretariat(user) or heads_department(user, department)
