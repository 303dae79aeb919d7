"""Reads of departments that other parts of the portal ask for."""

from django.db.models import Exists, OuterRef, Q

from .models import Department


def departments_for_home(user):
    """The departments a user heads or works in, each marked `is_head`, for their home page."""
    headed = Department.heads.through.objects.filter(department=OuterRef("pk"), user=user)
    return (
        Department.objects.filter(Q(heads=user) | Q(staff=user))
        .annotate(is_head=Exists(headed))
        .distinct()
        .order_by("order", "name")
    )
