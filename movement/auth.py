"""Authentication: email login, demo accounts shut out of production, secretariat permissions."""

from django.conf import settings
from django.contrib.auth.backends import ModelBackend

from . import access


class EmailBackend(ModelBackend):
    """ModelBackend (USERNAME_FIELD is email) with two additions.

    - A demo account never signs in in production mode, even if one was copied into its database.
    - Secretariat staff hold every permission: they run the admin for the whole movement.
    """

    def user_can_authenticate(self, user):
        if user.is_demo and settings.PRODUCTION:
            return False
        return super().user_can_authenticate(user)

    def authenticate(self, request, username=None, password=None, **kwargs):
        if username:
            username = username.strip().lower()
        return super().authenticate(request, username=username, password=password, **kwargs)

    def has_perm(self, user_obj, perm, obj=None):
        if access.is_secretariat(user_obj):
            return True
        return super().has_perm(user_obj, perm, obj)

    def has_module_perms(self, user_obj, app_label):
        if access.is_secretariat(user_obj):
            return True
        return super().has_module_perms(user_obj, app_label)
