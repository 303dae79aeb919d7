"""PDF reports as a person meets them: ask on the page, follow the job, download; reuse and failures.

Tasks run eagerly here, so a request's job is done by the time the redirect is followed; the real
worker is in tests/test_worker.py.
"""

import datetime

import pytest
from django.urls import reverse

from meetings.models import Meeting
from movement import reports
from movement.models import Body, ReportJob
from movement.tasks import generate_report, sweep
from plans.models import Goal

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def ask(client, **data):
    return client.post(reverse("report_request"), data)


def test_a_member_asks_for_the_plan_pdf_and_downloads_it(
    client, plan_2018, personas, django_capture_on_commit_callbacks
):
    client.force_login(personas["member"])
    page = client.get(plan_2018.get_absolute_url())
    assert reverse("report_request") in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = ask(client, kind="plan", object_id=plan_2018.pk)
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert (
        job.status == ReportJob.Status.DONE
        and job.language == "he"
        and job.requested_by == personas["member"]
    )
    assert job.pages > 3 and job.seconds > 0
    status = client.get(job.get_absolute_url()).content.decode()
    assert job.get_download_url() in status and "hx-trigger" not in status
    download = client.get(job.get_download_url())
    assert download.status_code == 200 and download["Content-Type"] == "application/pdf"
    assert 'filename="plan-2018-he.pdf"' in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    # The plan page now names the last PDF.
    assert job.get_absolute_url() in client.get(plan_2018.get_absolute_url()).content.decode()


def test_the_same_content_is_made_once_and_a_change_makes_a_new_one(
    plan_2018, personas, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = reports.request_report(kind="plan", obj=plan_2018, language="he")
    assert reports.request_report(kind="plan", obj=plan_2018, language="he").pk == first.pk
    english = reports.request_report(kind="plan", obj=plan_2018, language="en")
    assert english.pk != first.pk
    goal = Goal.objects.filter(plan=plan_2018).first()
    goal.text += " (עודכן)"
    goal.save()  # touches the plan
    plan_2018.refresh_from_db()
    assert reports.request_report(kind="plan", obj=plan_2018, language="he").pk != first.pk


def test_the_department_and_protocol_reports_are_asked_for_from_their_pages(
    client, plan_2018, personas, django_capture_on_commit_callbacks
):
    from django.core.management import call_command

    call_command("load_protocol", "fixtures/source/protocol-2010-12-21.json", stdout=open("/dev/null", "w"))
    meeting = Meeting.objects.get(date="2010-12-21")
    client.force_login(personas["member"])
    assert 'value="protocol"' in client.get(meeting.get_absolute_url()).content.decode()
    assert 'value="department"' in client.get(reverse("department", args=["youth"])).content.decode()
    youth = personas["youth_head"].headed_departments.get()
    with django_capture_on_commit_callbacks(execute=True):
        ask(client, kind="protocol", object_id=meeting.pk)
        ask(client, kind="department", object_id=plan_2018.pk, part_id=youth.pk)
    jobs = {job.kind: job for job in ReportJob.objects.all()}
    assert jobs["protocol"].status == "done" and jobs["department"].status == "done", [
        j.error for j in jobs.values()
    ]
    assert "צעירים" in jobs["department"].title


@pytest.mark.parametrize(
    "data",
    [{}, {"kind": "nonsense", "object_id": "1"}, {"kind": "plan", "object_id": "abc"}, {"kind": "plan"}],
)
def test_a_malformed_request_says_so_and_makes_nothing(client, personas, data):
    client.force_login(personas["member"])
    response = client.post(reverse("report_request"), data, follow=True)
    assert response.status_code == 200
    assert "לא ניתן להכין את הדוח" in response.content.decode()
    assert not ReportJob.objects.exists()


def test_a_missing_object_or_department_is_not_found(client, plan_2018, personas):
    client.force_login(personas["member"])
    assert ask(client, kind="plan", object_id=999999).status_code == 404
    assert ask(client, kind="department", object_id=plan_2018.pk).status_code == 404
    assert not ReportJob.objects.exists()


def test_an_unfinished_report_has_no_download_and_its_page_polls(client, plan_2018, personas):
    job = ReportJob.objects.create(kind="plan", object_id=plan_2018.pk, title="2018")
    client.force_login(personas["member"])
    assert client.get(job.get_download_url()).status_code == 404
    fragment = client.get(job.get_absolute_url(), headers={"HX-Request": "true"}).content.decode()
    assert 'hx-trigger="every 2s"' in fragment and "<html" not in fragment


def test_a_report_whose_object_is_gone_fails_with_its_error(plan_2018, personas, reference_data):
    body = Body.objects.get(slug="cooperative-hq-secretariat")
    meeting = Meeting.objects.create(body=body, title="ישיבה", date=datetime.date(2026, 1, 1))
    job = ReportJob.objects.create(kind="protocol", object_id=meeting.pk, title="x")
    meeting.delete()
    assert generate_report.apply(args=[job.pk]).get() == ReportJob.Status.FAILED
    job.refresh_from_db()
    assert job.status == "failed" and "Nothing to report" in job.error and job.finished_at


def test_a_rendering_error_fails_the_job_and_the_secretariat_sees_why(
    client, plan_2018, personas, monkeypatch
):
    import plans.reports

    def broken(plan, *, language):
        raise ValueError("a template is broken")

    monkeypatch.setattr(plans.reports, "render_plan_pdf", broken)
    job = ReportJob.objects.create(kind="plan", object_id=plan_2018.pk, title="2018")
    assert reports.run_job(job.pk) == "failed"
    client.force_login(personas["secretariat"])
    page = client.get(job.get_absolute_url()).content.decode()
    assert "a template is broken" in page
    client.force_login(personas["member"])
    assert "a template is broken" not in client.get(job.get_absolute_url()).content.decode()
    # A failed job is not reused: asking again makes a new one.
    assert reports.request_report(kind="plan", obj=plan_2018, language="he").pk != job.pk


def test_a_running_job_is_left_to_its_worker_and_a_stale_one_is_taken_over(
    plan_2018, django_capture_on_commit_callbacks
):
    from django.utils import timezone

    job = ReportJob.objects.create(
        kind="plan",
        object_id=plan_2018.pk,
        title="2018",
        status="running",
        started_at=timezone.now(),
        attempts=1,
    )
    assert reports.run_job(job.pk) == "running"
    assert sweep.apply().get()["reports"] == 0
    ReportJob.objects.filter(pk=job.pk).update(started_at=timezone.now() - datetime.timedelta(hours=1))
    assert sweep.apply().get()["reports"] == 1
    job.refresh_from_db()
    assert job.status == "done" and job.attempts == 2


def test_a_job_that_kills_its_worker_every_time_is_given_up(plan_2018):
    from django.utils import timezone

    long_ago = timezone.now() - datetime.timedelta(hours=1)
    job = ReportJob.objects.create(
        kind="plan", object_id=plan_2018.pk, title="2018", status="running", started_at=long_ago,
        created_at=long_ago, attempts=reports.MAX_ATTEMPTS,
    )  # fmt: skip
    sweep.apply().get()
    job.refresh_from_db()
    assert job.status == "failed" and "Gave up" in job.error
