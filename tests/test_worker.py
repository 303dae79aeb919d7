"""The background jobs end to end: a real Celery worker on Redis, PostgreSQL, a real SMTP server.

The worker is started as its own process against the test database; the test sends it a reminder
round (twice) and a plan PDF, and reads what it did from the database and the SMTP server.
"""

import os
import signal
import socket
import subprocess
import sys
import time
from urllib.parse import urlsplit, urlunsplit

import pytest
from django.conf import settings
from django.db import connection

from movement import reports
from movement.celery import app
from movement.models import Reminder, ReportJob
from movement.tasks import reminder_round
from plans.models import AnnualPlan

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.django_db(transaction=True)]


class Inbox:
    """An aiosmtpd handler keeping every message it accepts."""

    def __init__(self):
        self.messages = []

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 OK"


@pytest.fixture
def smtp_server():
    from aiosmtpd.controller import Controller

    inbox = Inbox()
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        inbox.port = probe.getsockname()[1]
    controller = Controller(inbox, hostname="127.0.0.1", port=inbox.port)
    controller.start()
    yield inbox
    controller.stop()


def _test_database_url():
    db = connection.settings_dict
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + db["NAME"]))


@pytest.fixture
def worker(smtp_server, tmp_path, settings):
    """A Celery worker process on the suite's Redis and test database, with the tasks not eager."""
    settings.MEDIA_ROOT = tmp_path
    app.conf.task_always_eager = False
    app.control.purge()
    env = {
        **os.environ,
        "DATABASE_URL": _test_database_url(),
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_server.port}",
        "DJANGO_MEDIA_ROOT": str(tmp_path),
        "DJANGO_DEBUG": "1",
    }
    log = open(tmp_path / "worker.log", "w")
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "movement", "worker", "--concurrency=2", "--loglevel=INFO",
         "--without-gossip", "--without-mingle", "-n", f"test-{os.getpid()}@%h"],
        cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True,
    )  # fmt: skip
    try:
        deadline = time.monotonic() + 60
        while not (tmp_path / "worker.log").read_text().count("ready."):
            assert process.poll() is None, (tmp_path / "worker.log").read_text()
            assert time.monotonic() < deadline, "the worker did not start within 60 s"
            time.sleep(0.2)
        yield process
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        log.close()
        app.conf.task_always_eager = True


def wait_for(predicate, timeout=60, what=""):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.25)
    raise AssertionError(f"timed out waiting for {what}")


def test_a_worker_sends_a_round_once_and_makes_the_2018_plan_pdf(worker, smtp_server, plan_2018, personas):
    AnnualPlan.objects.filter(pk=plan_2018.pk).update(status=AnnualPlan.Status.APPROVED)

    created = reminder_round.delay("2018-11-20").get(timeout=60)
    assert created >= 1
    wait_for(lambda: not Reminder.objects.exclude(status="sent").exists(), what="every reminder to be sent")
    assert Reminder.objects.count() == created
    wait_for(lambda: len(smtp_server.messages) == created, timeout=10, what="the SMTP server")
    recipients = sorted(rcpt for envelope in smtp_server.messages for rcpt in envelope.rcpt_tos)
    assert personas["youth_head"].email in recipients
    assert len(recipients) == len(set(recipients)) == created  # one digest per head

    # A second round (and one for later the same week) sends nothing new.
    assert reminder_round.delay("2018-11-20").get(timeout=60) == 0
    assert reminder_round.delay("2018-11-22").get(timeout=60) == 0
    time.sleep(1)
    assert len(smtp_server.messages) == created

    job = reports.request_report(kind="plan", obj=plan_2018, language="he", user=personas["secretariat"])
    wait_for(lambda: ReportJob.objects.get(pk=job.pk).is_finished, timeout=120, what="the plan PDF")
    job.refresh_from_db()
    assert job.status == ReportJob.Status.DONE, job.error
    assert job.pages >= 5 and job.seconds > 0
    with job.file.open("rb") as handle:
        assert handle.read(5) == b"%PDF-"
    assert (settings.MEDIA_ROOT / job.file.name).exists()
