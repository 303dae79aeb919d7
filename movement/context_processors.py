from . import access


def portal(request):
    """What the navigation needs on every page."""
    user = getattr(request, "user", None)
    return {"may_use_admin": access.may_use_admin(user) if user else False}
