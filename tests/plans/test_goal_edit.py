"""Editing a goal: who may change which fields, conflicts, and the audit history."""

import pytest

from plans import services
from plans.models import Goal

pytestmark = pytest.mark.django_db


@pytest.fixture
def youth_goal(plan_2018):
    return Goal.objects.filter(plan=plan_2018, department__slug="youth").order_by("order").first()


def edit_data(goal, **overrides):
    return {
        "version": goal.version,
        "text_he": goal.text,
        "text_en": "",
        "responsible": "",
        "due_quarter": "",
        "due_date": "",
        **overrides,
    }


def test_a_head_edits_the_text_and_the_history_says_who(client, personas, youth_goal):
    client.force_login(personas["youth_head"])
    response = client.post(
        youth_goal.get_edit_url(), edit_data(youth_goal, text_he="נוסח חדש", due_quarter="3")
    )
    assert response.status_code == 302
    youth_goal.refresh_from_db()
    assert youth_goal.text == "נוסח חדש" and youth_goal.due_quarter == 3 and youth_goal.version == 2
    last = youth_goal.history.first()
    assert last.history_user == personas["youth_head"]
    assert last.text_he == "נוסח חדש"


def test_a_head_cannot_change_department_target_or_budget(client, personas, youth_goal):
    client.force_login(personas["youth_head"])
    before = (youth_goal.department_id, youth_goal.target_value, youth_goal.budget)
    client.post(
        youth_goal.get_edit_url(),
        edit_data(youth_goal, department="1", target_value="999", budget="1000000", target_unit="x"),
    )
    youth_goal.refresh_from_db()
    assert (youth_goal.department_id, youth_goal.target_value, youth_goal.budget) == before


def test_the_secretariat_changes_target_and_budget(client, personas, youth_goal):
    client.force_login(personas["secretariat"])
    data = edit_data(youth_goal, department=str(youth_goal.department_id), unit="", target_value="25",
                     target_max="", target_unit="מנהיגים", baseline="", budget="120000")  # fmt: skip
    assert client.post(youth_goal.get_edit_url(), data).status_code == 302
    youth_goal.refresh_from_db()
    assert (youth_goal.target_value, youth_goal.budget) == (25, 120000)


@pytest.mark.parametrize("persona,status", [("education_head", 403), ("member", 403), ("youth_staff", 403)])
def test_others_may_not_edit(client, personas, youth_goal, persona, status):
    client.force_login(personas[persona])
    assert client.get(youth_goal.get_edit_url()).status_code == status
    assert client.post(youth_goal.get_edit_url(), edit_data(youth_goal, text_he="x")).status_code == status


def test_an_edit_on_an_old_version_is_a_conflict_that_loses_nothing(client, personas, youth_goal):
    opened_version = youth_goal.version
    services.goal_edit(
        goal=youth_goal, by=personas["secretariat"], version=opened_version, text_he="נוסח של המזכירות"
    )
    client.force_login(personas["youth_head"])
    response = client.post(
        youth_goal.get_edit_url(), edit_data(youth_goal, version=opened_version, text_he="נוסח של הראש")
    )
    assert response.status_code == 409
    body = response.content.decode()
    assert "נוסח של המזכירות" in body  # what is saved now
    assert "נוסח של הראש" in body  # what the head wrote, still in the form
    youth_goal.refresh_from_db()
    assert youth_goal.text == "נוסח של המזכירות"
    # Saving again from the conflict page (it carries the new version) succeeds.
    response = client.post(youth_goal.get_edit_url(), edit_data(youth_goal, text_he="נוסח של הראש"))
    assert response.status_code == 302
    youth_goal.refresh_from_db()
    assert youth_goal.text == "נוסח של הראש"
    assert youth_goal.history.count() >= 3


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"text_he": ""}, "text_he"),
        ({"due_quarter": "5"}, "due_quarter"),
        ({"due_date": "not-a-date"}, "due_date"),
    ],
)
def test_bad_input_saves_nothing(client, personas, youth_goal, overrides, field):
    client.force_login(personas["youth_head"])
    response = client.post(youth_goal.get_edit_url(), edit_data(youth_goal, **overrides))
    assert response.status_code == 200
    assert f'id="id_{field}_error"' in response.content.decode()
    youth_goal.refresh_from_db()
    assert youth_goal.version == 1


def test_secretariat_range_below_target_is_refused(client, personas, youth_goal):
    client.force_login(personas["secretariat"])
    data = edit_data(youth_goal, department=str(youth_goal.department_id), unit="", target_value="10", target_max="5",
                     target_unit="", baseline="", budget="-3")  # fmt: skip
    response = client.post(youth_goal.get_edit_url(), data)
    assert response.status_code == 200
    youth_goal.refresh_from_db()
    assert youth_goal.version == 1
