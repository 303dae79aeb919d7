"""Rolling a plan over to the next year."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from plans import services
from plans.models import AnnualPlan, Goal

pytestmark = pytest.mark.django_db


@pytest.fixture
def progressed_2018(plan_2018, personas):
    goals = list(Goal.objects.filter(plan=plan_2018).order_by("order"))
    services.progress_record(goal=goals[0], by=personas["secretariat"], status="done", percent=100)
    services.progress_record(goal=goals[1], by=personas["secretariat"], status="cancelled")
    services.progress_record(goal=goals[2], by=personas["secretariat"], status="behind", percent=10)
    return plan_2018, goals


def test_unfinished_goals_are_carried_over_and_linked_to_their_origin(progressed_2018):
    plan, goals = progressed_2018
    out = StringIO()
    call_command("rollover_plan", "2018", "2019", stdout=out)
    new_plan = AnnualPlan.objects.get(year=2019, body__isnull=True)
    assert new_plan.rolled_over_from == plan
    assert new_plan.title == "תכנית העבודה לשנת 2019"
    assert new_plan.goals.count() == 252
    assert not new_plan.goals.filter(carried_over_from__in=goals[:2]).exists()
    behind = new_plan.goals.get(carried_over_from=goals[2])
    assert behind.text == goals[2].text and behind.latest_update is None
    assert new_plan.sections.count() == plan.sections.count()
    assert "252 goals carried over, 2 left behind" in out.getvalue()


def test_sub_goals_keep_their_parent_in_the_new_plan(progressed_2018):
    call_command("rollover_plan", "2018", "2019", stdout=StringIO())
    courses = Goal.objects.get(plan__year=2019, text="קורסים:")
    assert courses.children.count() == 6
    assert courses.section.department.slug == "society-community"


def test_finished_goals_come_along_when_asked(progressed_2018):
    call_command("rollover_plan", "2018", "2019", "--include-finished", stdout=StringIO())
    assert Goal.objects.filter(plan__year=2019).count() == 254


def test_rollover_refuses_an_existing_year_and_a_missing_plan(progressed_2018):
    call_command("rollover_plan", "2018", "2019", stdout=StringIO())
    with pytest.raises(CommandError, match="כבר קיימת תכנית לשנת 2019"):
        call_command("rollover_plan", "2018", "2019", stdout=StringIO())
    with pytest.raises(CommandError, match="no 2017 plan"):
        call_command("rollover_plan", "2017", "2018", stdout=StringIO())
    with pytest.raises(CommandError, match="after"):
        call_command("rollover_plan", "2018", "2017", stdout=StringIO())
    assert AnnualPlan.objects.count() == 2


def test_the_secretariat_rolls_over_and_approves_from_the_admin(client, personas, progressed_2018):
    plan, _ = progressed_2018
    client.force_login(personas["secretariat"])
    changelist = reverse("admin:plans_annualplan_changelist")
    client.post(changelist, {"action": "approve", "_selected_action": [plan.pk]})
    plan.refresh_from_db()
    assert plan.status == "approved" and plan.approved_by == personas["secretariat"]
    client.post(changelist, {"action": "roll_over_to_next_year", "_selected_action": [plan.pk]})
    assert AnnualPlan.objects.filter(year=2019, rolled_over_from=plan).exists()
