"""The year in one place: the secretariat's admin home for a year's plan, and its confirmed actions."""

import datetime

import pytest
from django.core import mail
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from meetings.models import AgendaItem, Decision, Meeting
from movement.models import Body, Kibbutz, Reminder, ReportJob
from plans import services as plan_services
from plans.models import AnnualPlan, Goal, ProgressUpdate
from tests.factories import UserFactory, big_plan
from visits.models import Visit

pytestmark = pytest.mark.django_db

YEAR = reverse("admin:year")


def he(msgid, **values):
    """A message as the Hebrew admin shows it (the admin's default language)."""
    with translation.override("he"):
        return _(msgid) % values if values else _(msgid)


@pytest.fixture
def secretariat(client, personas):
    client.force_login(personas["secretariat"])
    return personas["secretariat"]


@pytest.fixture
def meeting(reference_data):
    return Meeting.objects.create(
        body=Body.objects.get(slug="cooperative-hq"), title="ישיבה", date=datetime.date(2018, 1, 10)
    )


def overdue_decision(meeting, owner=None, text="להקים צוות היגוי לקליטה"):
    item, _created = AgendaItem.objects.get_or_create(meeting=meeting, label="א", defaults={"title": "קליטה"})
    return Decision.objects.create(
        meeting=meeting, item=item, number=Decision.objects.count() + 1, text=text, owner=owner,
        due_date=timezone.localdate() - datetime.timedelta(days=3),
    )  # fmt: skip


def test_the_admin_index_leads_to_the_year_page(client, secretariat):
    response = client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert f'href="{YEAR}"' in response.content.decode()


def test_the_year_page_shows_progress_stale_departments_decisions_coverage_and_reports(
    client, secretariat, personas, plan_2018, meeting
):
    youth_goal = Goal.objects.filter(plan=plan_2018, department__slug="youth").order_by("order").first()
    plan_services.progress_record(goal=youth_goal, by=personas["youth_head"], status="on_track", percent=40)
    overdue_decision(meeting, owner=personas["youth_head"])
    visit = Visit.objects.create(coordinator=personas["negev_coordinator"], summary="ביקור")
    visit.kibbutzim.add(Kibbutz.objects.get(slug="beeri"))
    ReportJob.objects.create(kind="plan", object_id=plan_2018.pk, title="תכנית 2018 (PDF)", status="done")

    response = client.get(YEAR, {"year": 2018})
    assert response.status_code == 200
    context = response.context
    assert context["plan"] == plan_2018
    departments = {department.slug: progress for department, progress in context["progress_rows"]}
    assert (
        departments["youth"].goal_count
        == Goal.objects.filter(plan=plan_2018, department__slug="youth").count()
    )
    # Stale by the reminders' rule: the youth department's updated goal is not stale, the rest are.
    stale = {department.slug: (count, total) for department, count, total in context["stale_rows"]}
    assert stale["youth"] == (departments["youth"].goal_count - 1, departments["youth"].goal_count)
    assert context["decision_counts"]["overdue"] == 1
    assert [d.text for d in context["overdue_decisions"]] == ["להקים צוות היגוי לקליטה"]
    coverage = {region.slug: (missing, never) for region, missing, never in context["coverage_rows"]}
    negev_total = Kibbutz.objects.filter(region__slug="negev", is_active=True).count()
    assert coverage["negev"] == (negev_total - 1, negev_total - 1)  # Be'eri was visited today
    page = response.content.decode()
    for text in [
        "להקים צוות היגוי לקליטה",
        "תכנית 2018 (PDF)",
        youth_goal.department.name,
        "יואב ראש צעירים",
    ]:
        assert text in page


def test_without_a_plan_this_year_it_shows_the_latest_year_and_a_bad_year_is_a_message(
    client, secretariat, plan_2018
):
    assert client.get(YEAR).context["year"] == 2018  # the demo has no plan for the current year
    response = client.get(YEAR, {"year": "two thousand"}, follow=True)
    assert response.status_code == 200
    assert response.context["year"] == 2018
    assert [str(m) for m in response.context["messages"]] == [
        he("That year or plan does not exist; showing the current year.")
    ]
    empty = client.get(YEAR, {"year": 2031})
    assert empty.context["plan"] is None and empty.context["progress_rows"] == []


def test_the_year_page_reads_a_fixed_number_of_queries_whatever_the_data(
    client, secretariat, personas, meeting, django_assert_max_num_queries
):
    small = big_plan(year=2030, goals=20, updates_per_goal=0)
    client.get(YEAR, {"year": 2030})  # the first request of a session also writes the session
    with CaptureQueriesContext(connection) as few:
        client.get(YEAR, {"year": 2030, "plan": small.pk})
    # A hundred times the goals (2,000), 200 overdue decisions, a visit to every fifth kibbutz.
    large = big_plan(year=2031, goals=2000, updates_per_goal=0)
    for n in range(200):
        overdue_decision(meeting, owner=personas["youth_head"], text=f"החלטה {n}")
    for kibbutz in Kibbutz.objects.all()[::5]:
        Visit.objects.create(coordinator=personas["negev_coordinator"], summary="ביקור").kibbutzim.add(
            kibbutz
        )
    for n in range(20):
        ReportJob.objects.create(
            kind="plan", object_id=large.pk, title=f"דוח {n}", requested_by=personas["member"]
        )
    # session, user, plans' owners, the year's plans, goals, stale counts, stale departments + heads,
    # decision counts, overdue decisions, regions + coordinators, kibbutzim not visited, reports,
    # failed reminders
    with django_assert_max_num_queries(15) as many:
        response = client.get(YEAR, {"year": 2031})
    assert response.status_code == 200 and response.context["plan"] == large
    assert len(many.captured_queries) == len(few.captured_queries)


# Actions ------------------------------------------------------------------------------------------


def test_approving_asks_first_then_approves_once(client, secretariat, plan_2018):
    url = reverse("admin:year_plan_approve", args=[plan_2018.pk])
    page = client.get(url)
    assert page.status_code == 200 and 'name="confirm"' in page.content.decode()
    assert client.post(url, {}).status_code == 200  # no confirmation: the question again
    plan_2018.refresh_from_db()
    assert plan_2018.status == AnnualPlan.Status.DRAFT

    response = client.post(url, {"confirm": "1"}, follow=True)
    plan_2018.refresh_from_db()
    assert plan_2018.status == AnnualPlan.Status.APPROVED and plan_2018.approved_by == secretariat
    assert response.redirect_chain[-1][0] == f"{YEAR}?year=2018&plan={plan_2018.pk}"
    approved_at = plan_2018.approved_at

    again = client.post(url, {"confirm": "1"}, follow=True)
    assert [str(m) for m in again.context["messages"]] == [
        he("%(plan)s is approved already.", plan=plan_2018)
    ]
    plan_2018.refresh_from_db()
    assert plan_2018.approved_at == approved_at


def test_rolling_over_copies_the_plan_tells_nobody_and_refuses_a_second_time(
    client, secretariat, personas, plan_2018, django_capture_on_commit_callbacks
):
    Goal.objects.filter(plan=plan_2018).update(responsible=personas["youth_staff"])
    url = reverse("admin:year_plan_rollover", args=[plan_2018.pk])
    assert "2019" in client.get(url).content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, {"confirm": "1"})
    copy = AnnualPlan.objects.get(year=2019, body__isnull=True)
    assert copy.goals.count() == Goal.objects.filter(plan=plan_2018).count()
    assert not Reminder.objects.exists() and mail.outbox == []

    exists = he("A plan for %(year)s already exists for this owner.", year=2019)
    refused = client.get(url)
    assert exists in refused.content.decode() and 'name="confirm"' not in refused.content.decode()
    response = client.post(url, {"confirm": "1"}, follow=True)
    assert [str(m) for m in response.context["messages"]] == [exists]
    assert AnnualPlan.objects.filter(year=2019).count() == 1


def test_the_pdf_is_asked_for_in_the_chosen_language_and_a_bad_language_is_refused(
    client, secretariat, plan_2018, monkeypatch
):
    queued = []
    monkeypatch.setattr("movement.reports.dispatch", queued.append)  # the PDF itself: tests/plans/test_pdf.py
    url = reverse("admin:year_plan_pdf", args=[plan_2018.pk])
    response = client.post(url, {"confirm": "1", "language": "xx"})
    assert response.status_code == 200 and "errorlist" in response.content.decode()
    response = client.post(url, {"confirm": "1"})
    assert response.context["form"].errors == {"language": [he("Choose the PDF's language.")]}
    assert not ReportJob.objects.exists()

    client.post(url, {"confirm": "1", "language": "en"})
    job = ReportJob.objects.get()
    assert (job.kind, job.object_id, job.language, job.requested_by) == (
        "plan",
        plan_2018.pk,
        "en",
        secretariat,
    )
    client.post(url, {"confirm": "1", "language": "en"})  # the same version again: the same job
    assert ReportJob.objects.count() == 1
    assert client.get(YEAR, {"year": 2018}).context["reports"] == [job]


def test_the_reminder_round_is_confirmed_then_sent_by_the_reminders_own_view(
    client, secretariat, django_capture_on_commit_callbacks
):
    url = reverse("admin:year_reminder_round")
    page = client.get(url).content.decode()
    assert f'action="{reverse("admin:movement_reminder_round")}"' in page
    assert client.post(url, {"confirm": "1"}).status_code == 405


@pytest.mark.parametrize("persona", ["member", "youth_head", "negev_coordinator"])
def test_only_the_secretariat_sees_the_year_and_runs_its_actions(client, personas, plan_2018, persona):
    user = personas[persona]
    user.is_staff = True  # even with the admin's staff flag: the secretariat alone
    user.save()
    client.force_login(user)
    for name, args in [("admin:year", []), ("admin:year_plan_approve", [plan_2018.pk]),
                       ("admin:year_plan_rollover", [plan_2018.pk]), ("admin:year_plan_pdf", [plan_2018.pk]),
                       ("admin:year_reminder_round", [])]:  # fmt: skip
        for response in (
            client.get(reverse(name, args=args)),
            client.post(reverse(name, args=args), {"confirm": "1", "language": "he"}),
        ):
            assert response.status_code == 302 and "/admin/login/" in response.url
    plan_2018.refresh_from_db()
    assert plan_2018.status == AnnualPlan.Status.DRAFT
    assert not AnnualPlan.objects.filter(year=2019).exists() and not ReportJob.objects.exists()


def test_an_unknown_plan_is_404(client, secretariat):
    assert client.get(reverse("admin:year_plan_approve", args=[999999])).status_code == 404


def test_a_stale_department_without_a_head_is_flagged(client, secretariat, reference_data):
    plan = big_plan(year=2032, goals=10, updates_per_goal=0)
    ProgressUpdate.objects.filter(goal__plan=plan).delete()
    page = client.get(YEAR, {"year": 2032}).content.decode()
    assert he("No head: nobody is reminded") in page


def test_a_secretariat_user_made_by_the_factory_is_enough(client, reference_data):
    # No personas: the page works on an empty database too.
    client.force_login(UserFactory(is_secretariat=True, is_staff=True))
    response = client.get(YEAR)
    assert response.status_code == 200 and response.context["plan"] is None
