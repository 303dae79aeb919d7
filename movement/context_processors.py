from django.utils.functional import SimpleLazyObject

from . import access


def portal(request):
    """What the navigation needs on every page.

    The visits link shows for those who may read visit notes, asked of the visits app when the menu
    is drawn (one query); every visits page checks access itself.
    """
    user = getattr(request, "user", None)
    if not user or not user.is_authenticated:
        return {"may_use_admin": False, "may_read_visits": False}
    from visits.access import may_read_visit_notes  # the roof asks the app

    return {
        "may_use_admin": access.may_use_admin(user),
        "may_read_visits": SimpleLazyObject(lambda: may_read_visit_notes(user)),
    }
