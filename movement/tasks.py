"""The floor's Celery tasks: sending one reminder or invitation, generating one report, the round and
the sweep.

Time limits stay below the broker's visibility timeout (settings.CELERY_BROKER_TRANSPORT_OPTIONS), and
so do retry countdowns, so a task is never delivered twice because it waited too long.
"""

import logging

from celery import shared_task
from django.conf import settings
from django.db.models import Q
from django.utils import timezone

from . import importing, invitations, reminders, reports
from .models import ReportJob

logger = logging.getLogger(__name__)


@shared_task(
    bind=True, acks_late=True, max_retries=reminders.MAX_ATTEMPTS - 1, time_limit=60, soft_time_limit=45
)
def send_reminder(self, reminder_id):
    try:
        return reminders.deliver(reminder_id)
    except reminders.EMAIL_ERRORS as exc:
        if self.request.retries >= self.max_retries:
            reminders.give_up(reminder_id, exc)
            return "failed"
        logger.warning("Reminder %s: the mail server failed (%s); retrying", reminder_id, exc)
        if self.request.is_eager:  # development: no worker to retry later; the sweep will
            return "queued"
        raise self.retry(exc=exc, countdown=reminders.retry_delay(self.request.retries + 1)) from exc


@shared_task(bind=True, acks_late=True, max_retries=4, time_limit=60, soft_time_limit=45)
def invitation_task(self, user_id, invited_by_id=None):
    """One invitation email (a set-password link made at sending time, never stored)."""
    try:
        return invitations.invitation_deliver(user_id, invited_by_id)
    except reminders.EMAIL_ERRORS as exc:
        if self.request.is_eager or self.request.retries >= self.max_retries:
            # Nothing is lost but the email: the secretariat sends the invitation again from the admin.
            logger.error("Invitation to user %s not sent: %s", user_id, exc)
            return "failed"
        raise self.retry(exc=exc, countdown=reminders.retry_delay(self.request.retries + 1)) from exc


@shared_task(acks_late=True, time_limit=300, soft_time_limit=240)
def reminder_round(today=None):
    """Scheduled daily: every app's reminders for today; a key already sent is not sent again."""
    import datetime

    day = datetime.date.fromisoformat(today) if today else None
    return reminders.run_round(day)


@shared_task(
    bind=True,
    acks_late=True,
    max_retries=reports.MAX_ATTEMPTS - 1,
    time_limit=settings.REPORT_TIME_LIMIT,
    soft_time_limit=settings.REPORT_TIME_LIMIT - 30,
)
def generate_report(self, job_id):
    try:
        return reports.run_job(job_id)
    except OSError as exc:
        if self.request.is_eager:
            return "queued"
        raise self.retry(exc=exc, countdown=60) from exc


@shared_task(acks_late=True, time_limit=importing.TIME_LIMIT, soft_time_limit=importing.TIME_LIMIT - 30)
def import_job_task(job_id):
    """Check a large import, or (once confirmed) write it in one transaction."""
    return importing.run_import_job(job_id)


@shared_task(acks_late=True, time_limit=120, soft_time_limit=100)
def sweep():
    """Scheduled every two minutes: hand back to the workers what the database says is unfinished."""
    reminder_ids = reminders.unfinished()
    for pk in reminder_ids:
        send_reminder.delay(pk)
    worn_out = ReportJob.objects.filter(
        Q(status=ReportJob.Status.RUNNING) | Q(status=ReportJob.Status.QUEUED),
        attempts__gte=reports.MAX_ATTEMPTS,
        created_at__lt=timezone.now() - reports.RUNNING_STALE,
    )
    worn_out.update(status=ReportJob.Status.FAILED, error="Gave up: the worker stopped on every attempt")
    report_ids = reports.unfinished()
    for pk in report_ids:
        generate_report.delay(pk)
    import_ids = importing.unfinished()
    for pk in import_ids:
        import_job_task.delay(pk)
    if reminder_ids or report_ids or import_ids:
        logger.warning(
            "Sweep re-queued %s reminders, %s reports and %s imports",
            len(reminder_ids),
            len(report_ids),
            len(import_ids),
        )
    return {"reminders": len(reminder_ids), "reports": len(report_ids), "imports": len(import_ids)}
