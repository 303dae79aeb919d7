"""Site-wide request handling: the sign-in wall and the signed-in user's language."""

from django.conf import settings
from django.contrib.auth.views import redirect_to_login
from django.urls import Resolver404, resolve
from django.utils import translation


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
