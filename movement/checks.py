"""System checks that protect production."""

from django.conf import settings
from django.core import checks
from django.db import DatabaseError


@checks.register(checks.Tags.security, deploy=True)
def no_demo_accounts_in_production(app_configs, **kwargs):
    """Demo accounts have published passwords: they must never exist in production."""
    if not settings.PRODUCTION:
        return []
    from .models import User

    try:
        count = User.objects.filter(is_demo=True).count()
    except DatabaseError:
        return []  # no database yet (image build): nothing to check
    if count:
        return [
            checks.Error(
                f"{count} demo account(s) exist in a production database.",
                hint="Delete them: python manage.py remove_demo_users",
                id="movement.E001",
            )
        ]
    return []
