from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class MovementConfig(AppConfig):
    default = True
    name = "movement"
    verbose_name = _("The movement")

    def ready(self):
        from . import (
            checks,  # noqa: F401  (registers the system checks)
            tasks,  # noqa: F401  (registered, so the periodic-task admin lists them)
        )


class PortalAdminConfig(admin_apps.AdminConfig):
    """Django's admin with the portal's site (only the secretariat may use it)."""

    default = False
    default_site = "movement.admin_site.PortalAdminSite"
