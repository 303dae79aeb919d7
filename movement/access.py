"""Who may do what, for the movement's core objects. One small function per rule.

The floor of the house: it imports no app. Department rules live in `departments/access.py`.
"""


def is_member(user):
    """Any signed-in, active user reads plans, progress, protocols and decisions."""
    return bool(user and user.is_authenticated and user.is_active)


def is_secretariat(user):
    return is_member(user) and (user.is_secretariat or user.is_superuser)


def may_use_admin(user):
    return is_secretariat(user)


def is_coordinator(user):
    return is_member(user) and user.coordinated_regions.exists()


def coordinates_region(user, region):
    return is_member(user) and user.coordinated_regions.filter(pk=region.pk).exists()


def may_log_visit(user, kibbutz):
    """Coordinators log visits to the kibbutzim of their regions; the secretariat to any."""
    return is_secretariat(user) or coordinates_region(user, kibbutz.region)


def may_manage_users(user):
    return is_secretariat(user)
