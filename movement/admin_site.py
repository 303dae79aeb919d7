"""The admin site: only the secretariat runs it (is_staff alone is not enough)."""

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from . import access


class PortalAdminSite(admin.AdminSite):
    site_header = _("Kibbutz Movement portal — administration")
    site_title = _("Movement portal")
    index_title = _("Secretariat administration")

    def has_permission(self, request):
        return access.may_use_admin(request.user)
