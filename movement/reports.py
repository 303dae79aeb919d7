"""PDF reports generated in the background: the floor's registry and job runner.

An app registers a kind of report (what it is about, who may read it, how to render it) from its
`AppConfig.ready()`. `request_report()` reuses a finished or running job for the same content and
language, or records a new one and queues it; `run_job()` moves it queued → running → done / failed.
The database is the record: the sweep re-queues jobs the broker lost or a dead worker left running.
"""

import datetime
import logging
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone

from .models import ReportJob

logger = logging.getLogger(__name__)

# A job queued this long without starting was lost by the broker; one running longer than the task's
# hard time limit (plus a margin) belongs to a worker that died.
QUEUED_GRACE = datetime.timedelta(minutes=2)
RUNNING_STALE = datetime.timedelta(seconds=settings.REPORT_TIME_LIMIT + 60)
MAX_ATTEMPTS = 3


@dataclass
class ReportKind:
    """What an app tells the floor about one kind of report.

    get_object(job) → the object (or None if gone); version(obj, job) → a string that changes when
    the content does; title(obj, job) → str; can_read(user, obj, job) → bool; render(obj, job) → the
    PDF's bytes (movement.pdf.PdfBytes, which knows its page count); filename(obj, job) → str;
    object_url(obj, job) → the page the report belongs to.
    """

    name: str
    get_object: object
    version: object
    title: object
    can_read: object
    render: object
    filename: object
    object_url: object


_kinds = {}


def register(kind):
    _kinds[kind.name] = kind
    return kind


def kind_of(job):
    return _kinds[job.kind]


def get_kind(name):
    return _kinds.get(name)


def request_report(*, kind, obj, part_id=None, language="he", user=None):
    """The job for this content in this language: a ready or pending one if there is, else a new one."""
    report_kind = _kinds[kind]
    probe = ReportJob(kind=kind, object_id=obj.pk, part_id=part_id, language=language)
    version = report_kind.version(obj, probe)
    existing = (
        ReportJob.objects.filter(
            kind=kind, object_id=obj.pk, part_id=part_id, language=language, source_version=version
        )
        .exclude(status=ReportJob.Status.FAILED)
        .first()
    )
    if existing:
        return existing
    job = ReportJob.objects.create(
        kind=kind,
        object_id=obj.pk,
        part_id=part_id,
        language=language,
        source_version=version,
        title=str(report_kind.title(obj, probe))[:300],
        requested_by=user,
    )
    transaction.on_commit(lambda: dispatch(job.pk))
    return job


def dispatch(pk):
    from .tasks import generate_report

    try:
        generate_report.delay(pk)
    except Exception:  # the broker is unreachable: the row is the record, the sweep queues it again
        if settings.CELERY_TASK_ALWAYS_EAGER:
            raise
        logger.warning("Report %s left for the sweep: the broker refused it", pk, exc_info=True)


def run_job(pk):
    """Generate the report. Returns its final status; a job another worker is running is left alone."""
    now = timezone.now()
    startable = Q(status=ReportJob.Status.QUEUED) | Q(
        status=ReportJob.Status.RUNNING, started_at__lt=now - RUNNING_STALE
    )
    started = ReportJob.objects.filter(startable, pk=pk).update(
        status=ReportJob.Status.RUNNING, started_at=now, attempts=F("attempts") + 1
    )
    if not started:
        return ReportJob.objects.filter(pk=pk).values_list("status", flat=True).first()
    job = ReportJob.objects.get(pk=pk)
    report_kind = _kinds.get(job.kind)
    began = time.monotonic()
    try:
        obj = report_kind.get_object(job) if report_kind else None
        if obj is None:
            raise LookupError(f"Nothing to report: {job.kind} {job.object_id} does not exist")
        pdf = report_kind.render(obj, job)
        content, pages = bytes(pdf), getattr(pdf, "page_count", None)
        job.file.save(report_kind.filename(obj, job), ContentFile(content), save=False)
    except Exception as exc:
        status = ReportJob.Status.FAILED if job.attempts >= MAX_ATTEMPTS or _is_permanent(exc) else None
        if status is None:
            ReportJob.objects.filter(pk=pk).update(status=ReportJob.Status.QUEUED, error=_describe(exc))
            raise
        ReportJob.objects.filter(pk=pk).update(
            status=status, error=_describe(exc), finished_at=timezone.now()
        )
        logger.exception("Report %s failed", pk)
        return status
    ReportJob.objects.filter(pk=pk).update(
        status=ReportJob.Status.DONE,
        file=job.file.name,
        pages=pages,
        seconds=round(time.monotonic() - began, 3),
        error="",
        finished_at=timezone.now(),
    )
    return ReportJob.Status.DONE


def _is_permanent(exc):
    """A failure that another attempt would repeat (a missing object, a template or rendering bug)."""
    return not isinstance(exc, OSError)


def _describe(exc):
    return f"{type(exc).__name__}: {exc}"[:2000]


def unfinished():
    now = timezone.now()
    lost = Q(status=ReportJob.Status.QUEUED, created_at__lt=now - QUEUED_GRACE)
    stale = Q(status=ReportJob.Status.RUNNING, started_at__lt=now - RUNNING_STALE)
    return list(ReportJob.objects.filter(lost | stale).values_list("pk", flat=True)[:200])


def latest_for(kind, obj, *, language, part_id=None):
    """The newest job about this object in this language, for showing on its page (one query)."""
    return (
        ReportJob.objects.filter(kind=kind, object_id=obj.pk, part_id=part_id, language=language)
        .order_by("-created_at", "-pk")
        .first()
    )
