"""Reads of departments that other parts of the portal ask for, and handing a headship over."""

from django.db.models import Exists, OuterRef, Q

from .models import Department, Unit


def departments_for_home(user):
    """The departments a user heads or works in, each marked `is_head`, for their home page."""
    headed = Department.heads.through.objects.filter(department=OuterRef("pk"), user=user)
    return (
        Department.objects.filter(Q(heads=user) | Q(staff=user))
        .annotate(is_head=Exists(headed))
        .distinct()
        .order_by("order", "name")
    )


def headships_of(person):
    """The departments and the units `person` heads."""
    return list(Department.objects.filter(heads=person)), list(Unit.objects.filter(heads=person))


def headships_hand_over(*, person, successor):
    """`successor` heads every department and unit `person` headed, in their place.

    Returns (departments, units) that changed hands.
    """
    departments, units = headships_of(person)
    for owner in [*departments, *units]:
        owner.heads.remove(person)
        owner.heads.add(successor)
    return departments, units
