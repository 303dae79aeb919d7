"""Who may do what with visits. Visit notes name people: personal data, read by few."""

from django.db.models import Q
from django.utils import timezone

from movement.access import is_member, is_secretariat
from movement.models import User


def is_department_head(user):
    return is_member(user) and user.headed_departments.exists()


def may_read_visit_notes(user):
    """Coordinators, department heads and the secretariat; every read is logged.

    One query for "coordinates a region or heads a department": the menu asks it on every page.
    """
    if is_secretariat(user):
        return True
    return is_member(user) and (
        User.objects.filter(pk=user.pk)
        .filter(Q(coordinated_regions__isnull=False) | Q(headed_departments__isnull=False))
        .exists()
    )


def may_edit_visit(user, visit):
    """Its author for VISIT_EDIT_DAYS after logging it; the secretariat always."""
    if is_secretariat(user):
        return True
    return (
        is_member(user) and visit.coordinator_id == user.pk and timezone.localdate() <= visit.editable_until()
    )


def may_update_follow_up(user, follow_up):
    return is_secretariat(user) or (
        is_member(user) and user.pk in (follow_up.owner_id, follow_up.visit.coordinator_id)
    )
