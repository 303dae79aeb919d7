from urllib.parse import urlsplit

from django import forms
from django.conf import settings
from django.contrib.auth import forms as auth_forms
from django.utils.translation import gettext_lazy as _


class LoginForm(auth_forms.AuthenticationForm):
    """Sign in with an email address; the messages speak of email, not "username"."""

    username = forms.EmailField(
        label=_("Email"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email", "dir": "ltr"}),
    )
    error_messages = {
        "invalid_login": _("The email address or the password is wrong. Please try again."),
        "inactive": _("This account is disabled. Please contact the movement's secretariat."),
    }


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Links in the email point at SITE_URL, never at whatever Host header the request carried."""

    def save(self, **kwargs):
        site = urlsplit(settings.SITE_URL)
        kwargs["domain_override"] = site.netloc
        kwargs["use_https"] = site.scheme == "https"
        return super().save(**kwargs)
