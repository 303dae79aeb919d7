from django.db.models import Q
from django.utils.functional import SimpleLazyObject

from . import access
from .models import User


def portal(request):
    """What the navigation needs on every page.

    The visits link shows for those who may read visit notes (the secretariat, coordinators,
    department heads): one query when the menu is drawn; every visits page checks access itself.
    """
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"may_use_admin": False, "may_read_visits": False}

    def may_read_visits():
        if access.is_secretariat(user):
            return True
        return (
            User.objects.filter(pk=user.pk)
            .filter(Q(coordinated_regions__isnull=False) | Q(headed_departments__isnull=False))
            .exists()
        )

    return {"may_use_admin": access.may_use_admin(user), "may_read_visits": SimpleLazyObject(may_read_visits)}
