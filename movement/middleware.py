"""Site-wide request handling: the sign-in wall, the user's language, the second factor, idle staff
sessions, and requests no one means (NUL characters)."""

import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import BadRequest
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils import translation
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from . import access


class LoginRequiredMiddleware:
    """Send anonymous visitors to the login page, except on the public pages.

    The public pages are one allowlist of URL names, `settings.PUBLIC_URL_NAMES`. Unknown paths
    redirect too, so an anonymous visitor cannot tell which private URLs exist.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.user.is_authenticated and not self._is_public(request.path_info):
            return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
        return self.get_response(request)

    @staticmethod
    def _is_public(path):
        if path.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(path)
        except Resolver404:
            return False
        return match.url_name in settings.PUBLIC_URL_NAMES and not match.namespace


class UserLanguageMiddleware:
    """A signed-in user sees the portal in their preferred language, on every device.

    Anonymous visitors keep what LocaleMiddleware chose (the language cookie, then the browser's
    Accept-Language, then Hebrew).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and user.preferred_language != request.LANGUAGE_CODE:
            translation.activate(user.preferred_language)
            request.LANGUAGE_CODE = user.preferred_language
        return self.get_response(request)


class StaffIdleTimeoutMiddleware:
    """Sessions with admin rights (the secretariat) end after `STAFF_IDLE_TIMEOUT` seconds without a request.

    Everyone else keeps the ordinary session age. The last-seen time is written at most once a minute.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated and (access.may_use_admin(user) or user.is_staff):
            now = int(time.time())
            seen = request.session.get("staff_seen")
            if seen is not None and now - seen > settings.STAFF_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request, _("You were signed out after a time without activity. Please sign in again.")
                )
                return redirect_to_login(request.get_full_path(), settings.LOGIN_URL)
            if seen is None or now - seen >= 60:
                request.session["staff_seen"] = now
        return self.get_response(request)


class SecondFactorMiddleware:
    """With `OTP_REQUIRED`, secretariat staff confirm a one-time code before anything else.

    Until they do, every page but the second-factor page itself, signing out and the language switch
    sends them there (a password alone gives no admin rights and no secretariat powers).
    """

    ALLOWED = {"second_factor", "logout", "set_language"}

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if (
            settings.OTP_REQUIRED
            and user.is_authenticated
            and (user.is_secretariat or user.is_superuser)
            and not user.is_verified()
            and not request.path_info.startswith(settings.STATIC_URL)
            and self._url_name(request.path_info) not in self.ALLOWED
        ):
            return redirect(f"{reverse('second_factor')}?{urlencode({'next': request.get_full_path()})}")
        return self.get_response(request)

    @staticmethod
    def _url_name(path):
        try:
            return resolve(path).url_name
        except Resolver404:
            return None


class RejectNullCharactersMiddleware:
    """A NUL character in a query string or form field is never meant: answer 400, touch nothing.

    PostgreSQL refuses NUL in text, so a lookup such as `?body=%00` would otherwise end in a 500.
    Django's form fields refuse it already; this covers parameters read directly.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if "\x00" in request.path or "%00" in request.META.get("QUERY_STRING", ""):
            raise BadRequest("NUL character in the request")
        if request.method == "POST" and request.content_type in (
            "application/x-www-form-urlencoded",
            "multipart/form-data",
        ):
            if any("\x00" in value for values in request.POST.lists() for value in values[1]):
                raise BadRequest("NUL character in the request")
        return self.get_response(request)
