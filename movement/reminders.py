"""Sending a reminder exactly once: the floor's machinery, used by every app's reminders.

An app describes what it wants said (`Message`) and registers a producer for the reminder round.
`queue()` records each message as a `Reminder` row under a unique key (recipient, kind, object and
period) and hands the new rows to the `send_reminder` task once the transaction commits. `deliver()`
claims a row atomically before sending, so a task run twice sends once; the periodic sweep hands
rows the broker lost back to the workers.

This module imports no app: apps call `register_round()` from their `AppConfig.ready()`.
"""

import contextlib
import datetime
import logging
import smtplib
import threading
from dataclasses import dataclass, field

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation

from .models import Reminder

logger = logging.getLogger(__name__)

# A claim older than this belongs to a worker that stopped: the send task's hard time limit is 60 s.
CLAIM_STALE = datetime.timedelta(seconds=settings.REMINDER_CLAIM_STALE_SECONDS)
# A queued row whose task has not run this long after its due time was lost by the broker.
QUEUED_GRACE = datetime.timedelta(seconds=settings.REMINDER_QUEUED_GRACE_SECONDS)
# Retries of a failing mail server: 30 s, 1, 2, 4, 5 minutes (all below the broker's visibility timeout).
MAX_ATTEMPTS = 6
RETRY_CAP_SECONDS = 300
EMAIL_ERRORS = (smtplib.SMTPException, OSError)
UNSUBSCRIBE_SALT = "movement.reminders.unsubscribe"

_producers = []
_state = threading.local()


@dataclass
class Message:
    """What an app wants to tell one person. `key` names the object and period (no kind, no person)."""

    recipient: object
    kind: str
    key: str
    template: str  # "plans/email/stale_goals": its _subject.txt, .txt and .html are rendered
    path: str  # the page the email links to
    context: dict = field(default_factory=dict)


def register_round(producer):
    """Register `producer(today) -> iterable of Message` for every reminder round."""
    if producer not in _producers:
        _producers.append(producer)
    return producer


def notify_assigned(person, *, key, template, path, context):
    """Tell `person` that something is now theirs: once per object (`key`) and person."""
    if person is None:
        return []
    message = Message(
        recipient=person,
        kind=Reminder.Kind.ASSIGNED,
        key=f"{key}:{person.pk}",
        template=template,
        path=path,
        context=context,
    )
    return queue([message])


def week_period(day):
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"


@contextlib.contextmanager
def muted():
    """Queue nothing inside this block (demo data and bulk loads assign people without telling them)."""
    previous = getattr(_state, "muted", False)
    _state.muted = True
    try:
        yield
    finally:
        _state.muted = previous


def is_muted():
    return getattr(_state, "muted", False)


def unsubscribe_token(user, kind):
    return signing.dumps({"u": user.pk, "k": kind}, salt=UNSUBSCRIBE_SALT, compress=True)


def read_unsubscribe_token(token):
    """(user id, kind) from a token, or None when it was tampered with."""
    try:
        data = signing.loads(token, salt=UNSUBSCRIBE_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("k") not in Reminder.Kind.values:
        return None
    return data.get("u"), data["k"]


def wants(user, kind):
    return user.is_active and bool(user.email) and kind not in (user.muted_reminders or [])


def run_round(today=None):
    """Ask every app for its reminders and queue them. Returns the number of new reminders."""
    today = today or timezone.localdate()
    created = 0
    for producer in _producers:
        created += len(queue(producer(today)))
    return created


def queue(messages):
    """Record each message once and send the new ones after the transaction commits.

    Returns the ids of the rows created here. A message whose key exists already (sent, queued or
    turned off) is skipped without rendering; two beat processes racing on one key create one row.
    """
    if is_muted():
        return []
    new_ids = []
    for message in messages:
        recipient = message.recipient
        if not wants(recipient, message.kind):
            continue
        key = f"{message.kind}:{recipient.pk}:{message.key}"
        if Reminder.objects.filter(key=key).exists():
            continue
        reminder = _render(message, key)
        try:
            with transaction.atomic():
                reminder.save(force_insert=True)
        except IntegrityError:
            continue
        new_ids.append(reminder.pk)
    if new_ids:
        transaction.on_commit(lambda: dispatch(new_ids))
    return new_ids


def _render(message, key):
    recipient = message.recipient
    url = settings.SITE_URL + message.path
    with translation.override(recipient.preferred_language):
        unsubscribe_url = settings.SITE_URL + reverse(
            "reminders_unsubscribe", args=[unsubscribe_token(recipient, message.kind)]
        )
        context = {
            **message.context,
            "recipient": recipient,
            "url": url,
            "site_url": settings.SITE_URL,
            "kind_label": Reminder.Kind(message.kind).label,
            "unsubscribe_url": unsubscribe_url,
            "settings_url": settings.SITE_URL + reverse("reminder_settings"),
        }
        subject = " ".join(render_to_string(message.template + "_subject.txt", context).split())
        text = render_to_string(message.template + ".txt", context)
        html = render_to_string(message.template + ".html", context)
    return Reminder(
        key=key[:200],
        recipient=recipient,
        kind=message.kind,
        to_email=recipient.email,
        subject=subject[:300],
        body_text=text,
        body_html=html,
        url=url[:500],
    )


def dispatch(ids):
    """Hand reminders to the workers. With the broker down the rows stay queued for the sweep."""
    from .tasks import send_reminder

    for pk in ids:
        try:
            send_reminder.delay(pk)
        except Exception:  # the broker is unreachable: the row is the record, the sweep sends it
            if settings.CELERY_TASK_ALWAYS_EAGER:
                raise
            logger.warning("Reminder %s left for the sweep: the broker refused it", pk, exc_info=True)


def deliver(pk):
    """Claim the row, send it, mark it sent. Returns what happened: "sent", "skipped" or "cancelled".

    Raises one of EMAIL_ERRORS when the mail server failed; the row is back to queued by then.
    """
    now = timezone.now()
    claimable = Q(status=Reminder.Status.QUEUED) | Q(
        status=Reminder.Status.CLAIMED, claimed_at__lt=now - CLAIM_STALE
    )
    claimed = (
        Reminder.objects.filter(claimable, pk=pk)
        .update(status=Reminder.Status.CLAIMED, claimed_at=now, attempts=F("attempts") + 1)
    )  # fmt: skip
    if not claimed:
        return "skipped"
    reminder = Reminder.objects.select_related("recipient").get(pk=pk)
    if reminder.attempts > 1 and reminder.last_error == "":
        logger.warning("Reminder %s sent again: an earlier claim went stale (it may have been sent)", pk)
    if not wants(reminder.recipient, reminder.kind):
        Reminder.objects.filter(pk=pk).update(status=Reminder.Status.CANCELLED)
        return "cancelled"
    message = EmailMultiAlternatives(
        subject=reminder.subject,
        body=reminder.body_text,
        to=[reminder.to_email],
        headers={
            "List-Unsubscribe": f"<{_unsubscribe_url(reminder)}>",
            "Auto-Submitted": "auto-generated",
            "X-Movement-Reminder": str(reminder.pk),
        },
    )
    message.attach_alternative(reminder.body_html, "text/html")
    try:
        message.send()
    except EMAIL_ERRORS as exc:
        Reminder.objects.filter(pk=pk, status=Reminder.Status.CLAIMED).update(
            status=Reminder.Status.QUEUED,
            last_error=f"{type(exc).__name__}: {exc}"[:1000],
            next_attempt_at=timezone.now() + datetime.timedelta(seconds=retry_delay(reminder.attempts)),
        )
        raise
    Reminder.objects.filter(pk=pk).update(status=Reminder.Status.SENT, sent_at=timezone.now())
    return "sent"


def _unsubscribe_url(reminder):
    return settings.SITE_URL + reverse(
        "reminders_unsubscribe", args=[unsubscribe_token(reminder.recipient, reminder.kind)]
    )


def retry_delay(attempts):
    return min(30 * 2 ** max(attempts - 1, 0), RETRY_CAP_SECONDS)


def give_up(pk, exc):
    Reminder.objects.filter(pk=pk).update(
        status=Reminder.Status.FAILED, last_error=f"{type(exc).__name__}: {exc}"[:1000]
    )
    logger.error("Reminder %s failed after %s attempts: %s", pk, MAX_ATTEMPTS, exc)


def unfinished():
    """Ids of reminders the workers should have but may not: lost by the broker or claimed by a dead worker."""
    now = timezone.now()
    lost = Q(status=Reminder.Status.QUEUED, next_attempt_at__lt=now - QUEUED_GRACE)
    stale = Q(status=Reminder.Status.CLAIMED, claimed_at__lt=now - CLAIM_STALE)
    return list(Reminder.objects.filter(lost | stale).values_list("pk", flat=True)[:1000])


def watch_assignment(model, field_name, notify):
    """Call `notify(instance)` after commit whenever `model.<field_name>` is set to someone new.

    Covers every way a row is saved one by one (pages, the admin, imports); loaders wrapped in
    `muted()` tell nobody.
    """
    from django.db.models.signals import post_save, pre_save

    attname = model._meta.get_field(field_name).attname
    marker = f"_{field_name}_before_save"

    def remember(sender, instance, raw=False, **kwargs):
        if raw or is_muted():
            return
        before = None
        if instance.pk is not None:
            before = sender._base_manager.filter(pk=instance.pk).values_list(attname, flat=True).first()
        setattr(instance, marker, before)

    def compare(sender, instance, raw=False, **kwargs):
        if raw or is_muted() or not hasattr(instance, marker):
            return
        before = getattr(instance, marker)
        delattr(instance, marker)
        now = getattr(instance, attname)
        if now is not None and now != before:
            transaction.on_commit(lambda: notify(instance))

    pre_save.connect(
        remember, sender=model, weak=False, dispatch_uid=f"assign-pre-{model._meta.label}-{field_name}"
    )
    post_save.connect(
        compare, sender=model, weak=False, dispatch_uid=f"assign-post-{model._meta.label}-{field_name}"
    )


def muted_command(handle):
    """For management commands that load data: the people they name are not emailed about it."""

    def wrapper(*args, **kwargs):
        with muted():
            return handle(*args, **kwargs)

    wrapper.__name__ = handle.__name__
    wrapper.__doc__ = handle.__doc__
    return wrapper
