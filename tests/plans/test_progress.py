"""Recording progress: who may, what a form accepts, bad input, and two updates at once."""

import datetime
import threading

import pytest
from django.db import connection
from django.utils import timezone

from plans import services
from plans.models import Goal, ProgressUpdate
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth_goal(plan_2018):
    return Goal.objects.filter(plan=plan_2018, department__slug="youth").order_by("order").first()


def post_update(client, goal, **data):
    return client.post(goal.get_progress_url(), {"status": "on_track", "percent": "40", "note": "", **data})


def test_a_head_records_progress_on_their_departments_goal(client, personas, youth_goal):
    client.force_login(personas["youth_head"])
    response = post_update(client, youth_goal, percent="40", value="3", note="התקדמות יפה")
    assert response.status_code == 302
    youth_goal.refresh_from_db()
    update = youth_goal.latest_update
    assert (update.status, update.percent, update.value, update.note) == ("on_track", 40, 3, "התקדמות יפה")
    assert update.author == personas["youth_head"]
    assert youth_goal.percent == 40


@pytest.mark.parametrize("persona", ["education_head", "member", "youth_staff", "negev_coordinator"])
def test_others_get_403_and_nothing_is_saved(client, personas, youth_goal, persona):
    client.force_login(personas[persona])
    assert post_update(client, youth_goal).status_code == 403
    assert not ProgressUpdate.objects.exists()


def test_the_responsible_person_may_update(client, personas, youth_goal):
    youth_goal.responsible = personas["youth_staff"]
    youth_goal.save()
    client.force_login(personas["youth_staff"])
    assert post_update(client, youth_goal).status_code == 302


def test_the_secretariat_may_update_any_goal(client, personas, plan_2018):
    goal = Goal.objects.filter(plan=plan_2018, department__isnull=True).first()
    client.force_login(personas["secretariat"])
    assert post_update(client, goal).status_code == 302


def test_a_get_changes_nothing(client, personas, youth_goal):
    client.force_login(personas["youth_head"])
    response = client.get(youth_goal.get_progress_url(), {"status": "done", "percent": "100"})
    assert response.status_code == 302 and response.url == youth_goal.get_absolute_url()
    response = client.get(youth_goal.get_progress_url(), {"status": "done"}, HTTP_HX_REQUEST="true")
    assert response.status_code == 200 and "<form" in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_the_quick_form_is_refused_to_those_who_may_not_update(client, personas, youth_goal):
    client.force_login(personas["member"])
    assert client.get(youth_goal.get_progress_url(), HTTP_HX_REQUEST="true").status_code == 403


def test_a_head_posting_department_or_target_changes_nothing(client, personas, youth_goal):
    client.force_login(personas["youth_head"])
    target_before = youth_goal.target_value
    post_update(client, youth_goal, department="1", target_value="999", text="שונה", author="1")
    youth_goal.refresh_from_db()
    assert youth_goal.department.slug == "youth"
    assert youth_goal.target_value == target_before
    assert youth_goal.text != "שונה"
    assert youth_goal.latest_update.author == personas["youth_head"]


@pytest.mark.parametrize(
    "data,message",
    [
        ({"percent": "101"}, "בין 0 ל־100"),
        ({"percent": "-5"}, ""),
        ({"value": "-1"}, "שלילי"),
        ({"as_of": "2999-01-01"}, "בעתיד"),
        ({"status": "finished"}, ""),
    ],
)
def test_bad_input_gives_a_clear_message_and_saves_nothing(client, personas, youth_goal, data, message):
    client.force_login(personas["youth_head"])
    response = post_update(client, youth_goal, **data)
    assert response.status_code == 422
    assert message in response.content.decode()
    assert not ProgressUpdate.objects.exists()


def test_an_empty_report_is_refused(client, personas, youth_goal):
    client.force_login(personas["youth_head"])
    services.progress_record(goal=youth_goal, by=personas["youth_head"], status="on_track", percent=10)
    response = client.post(
        youth_goal.get_progress_url(), {"status": "on_track", "percent": "", "value": "", "note": ""}
    )
    assert response.status_code == 422
    assert ProgressUpdate.objects.count() == 1


def test_an_htmx_update_returns_the_refreshed_card(client, personas, youth_goal):
    client.force_login(personas["youth_head"])
    prefix = f"g{youth_goal.pk}"
    response = client.post(
        youth_goal.get_progress_url(),
        {"prefix": prefix, f"{prefix}-status": "at_risk", f"{prefix}-percent": "20"},
        HTTP_HX_REQUEST="true",
    )
    assert response.status_code == 200
    body = response.content.decode()
    assert f'id="card-{youth_goal.pk}"' in body and "<html" not in body
    assert "בסיכון" in body


def test_updates_are_never_edited_away(client, personas, youth_goal):
    head = personas["youth_head"]
    services.progress_record(goal=youth_goal, by=head, status="on_track", percent=10)
    services.progress_record(goal=youth_goal, by=head, status="at_risk", percent=20)
    assert youth_goal.updates.count() == 2
    youth_goal.refresh_from_db()
    assert youth_goal.latest_update.percent == 20


def test_a_late_arriving_older_update_does_not_replace_the_state(personas, youth_goal):
    head = personas["youth_head"]
    newer = services.progress_record(goal=youth_goal, by=head, status="on_track", percent=50)
    older = ProgressUpdate.objects.create(
        goal=youth_goal,
        author=head,
        status="behind",
        percent=5,
        created_at=timezone.now() - datetime.timedelta(hours=1),
    )
    assert older.pk > newer.pk
    youth_goal.refresh_from_db()
    assert youth_goal.latest_update == newer


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_updates_at_the_same_moment_are_both_kept(reference_data):
    from django.core.management import call_command

    call_command(
        "import_plan", "fixtures/source/plan-2018.md", "--year", "2018", stdout=open("/dev/null", "w")
    )
    goal = Goal.objects.filter(department__slug="youth").first()
    head = UserFactory()
    barrier = threading.Barrier(2)
    errors = []

    def record(percent):
        try:
            barrier.wait()
            services.progress_record(
                goal=Goal.objects.get(pk=goal.pk), by=head, status="on_track", percent=percent
            )
        except Exception as error:  # pragma: no cover - reported below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=record, args=(p,)) for p in (30, 60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert sorted(goal.updates.values_list("percent", flat=True)) == [30, 60]
    goal.refresh_from_db()
    newest = goal.updates.order_by("-created_at", "-id").first()
    assert goal.latest_update == newest
