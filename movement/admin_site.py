"""The admin site: only the secretariat runs it (is_staff alone is not enough)."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import access


class PortalAdminSite(admin.AdminSite):
    site_header = _("Kibbutz Movement portal — administration")
    site_title = _("Movement portal")
    index_title = _("Secretariat administration")

    def has_permission(self, request):
        """The secretariat, and with OTP_REQUIRED only once their second factor is confirmed."""
        user = request.user
        verified = not settings.OTP_REQUIRED or (hasattr(user, "is_verified") and user.is_verified())
        return access.may_use_admin(user) and verified
