"""An invitation: an email with a link where a new person chooses their password, in their language.

The link is Django's password-reset link (`default_token_generator`): it works until the password is
set, or for `PASSWORD_RESET_TIMEOUT` at most. It is made when the email is sent, by the
`invitation_task`, and never stored. An account invited but never used keeps an unusable password, so
the "forgotten password" form ignores it: the secretariat sends the invitation again from the users'
list in the admin.
"""

from django.conf import settings
from django.contrib.auth.tokens import default_token_generator
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from .models import User


def set_password_url(user):
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    token = default_token_generator.make_token(user)
    return settings.SITE_URL + reverse("password_reset_confirm", kwargs={"uidb64": uid, "token": token})


def invitation_send(*, user, invited_by=None):
    """Email `user` their set-password link, in their preferred language (Hebrew unless they chose
    English). Raises one of the mail server's errors when sending fails."""
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        context = {
            "user": user,
            "invited_by": invited_by,
            "url": set_password_url(user),
            "login_url": settings.SITE_URL + reverse("login"),
            "days": max(1, settings.PASSWORD_RESET_TIMEOUT // (24 * 3600)),
        }
        subject = " ".join(render_to_string("email/invitation_subject.txt", context).split())
        message = EmailMultiAlternatives(
            subject=subject,
            body=render_to_string("email/invitation.txt", context),
            to=[user.email],
            headers={"Auto-Submitted": "auto-generated"},
        )
        message.attach_alternative(render_to_string("email/invitation.html", context), "text/html")
    message.send()


def invitation_deliver(user_id, invited_by_id=None):
    """What the task does: "sent", or "skipped" for an account gone, inactive or already in use."""
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.has_usable_password():
        return "skipped"
    invited_by = User.objects.filter(pk=invited_by_id).first() if invited_by_id else None
    invitation_send(user=user, invited_by=invited_by)
    return "sent"
