"""The admin site: only the secretariat runs it (is_staff alone is not enough)."""

from django.conf import settings
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import access


class PortalAdminSite(admin.AdminSite):
    site_header = _("Kibbutz Movement portal — administration")
    site_title = _("Movement portal")
    index_title = _("Secretariat administration")
    # The index leads with a link to the year's page (movement/admin_year.py).
    index_template = "admin/portal_index.html"

    def get_urls(self):
        from . import admin_year  # the roof: it asks every app, so it is imported only when URLs are built

        return admin_year.urls(self) + super().get_urls()

    def has_permission(self, request):
        """The secretariat, and with OTP_REQUIRED only once their second factor is confirmed."""
        user = request.user
        verified = not settings.OTP_REQUIRED or (hasattr(user, "is_verified") and user.is_verified())
        return access.may_use_admin(user) and verified
