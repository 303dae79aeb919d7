"""Goals are archived, never deleted; an archived goal comes back with its whole update history. Every
change to goals, progress updates, decisions and protocols shows in the admin with who and when."""

import datetime

import pytest
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from meetings import services as meeting_services
from meetings.models import AgendaItem, Decision, Meeting, Statement
from movement.models import Body
from plans import services
from plans.models import Goal, PlanSection

pytestmark = pytest.mark.django_db

CHANGELIST = reverse("admin:plans_goal_changelist")


def he(msgid):
    with translation.override("he"):
        return _(msgid)


@pytest.fixture
def secretariat(client, personas):
    client.force_login(personas["secretariat"])
    return personas["secretariat"]


@pytest.fixture
def goal_with_updates(personas, plan_2018):
    """A youth goal with a sub-goal, three progress updates and an edit in its history."""
    goal = Goal.objects.filter(plan=plan_2018, department__slug="youth", parent__isnull=True).order_by(
        "order"
    )[0]
    sub_goal = Goal.objects.create(plan=plan_2018, section=goal.section, parent=goal, text="תת-יעד", order=10**6,
                                   department=goal.department)  # fmt: skip
    for percent in (10, 30, 60):
        services.progress_record(goal=goal, by=personas["youth_head"], status="on_track", percent=percent)
    services.goal_edit(
        goal=goal, by=personas["youth_head"], version=goal.version, text=goal.text + " (עודכן)"
    )
    goal.refresh_from_db()
    return goal, sub_goal


def act(client, action, goals, **filters):
    return client.post(
        CHANGELIST + ("?archive=" + filters["archive"] if filters else ""),
        {"action": action, "_selected_action": [g.pk for g in goals]},
        follow=True,
    )


def test_archive_then_restore_keeps_every_update_and_the_whole_history(
    client, secretariat, goal_with_updates
):
    goal, sub_goal = goal_with_updates
    updates = list(goal.updates.order_by("pk").values_list("pk", "percent", "author_id"))
    history_before = list(goal.history.order_by("history_id").values_list("history_id", flat=True))
    latest = goal.latest_update_id

    act(client, "archive", [goal])
    goal.refresh_from_db()
    sub_goal.refresh_from_db()
    assert goal.is_archived and sub_goal.is_archived  # with its sub-goals
    assert Goal.objects.filter(pk=goal.pk).exists()

    response = act(client, "restore", [goal], archive="archived")
    goal.refresh_from_db()
    sub_goal.refresh_from_db()
    assert not goal.is_archived and not sub_goal.is_archived
    assert list(goal.updates.order_by("pk").values_list("pk", "percent", "author_id")) == updates
    assert goal.latest_update_id == latest and goal.percent == 60
    # The history is the old one plus two rows: archived and restored, each saying who.
    history = list(goal.history.order_by("history_id"))
    assert [h.history_id for h in history[: len(history_before)]] == history_before
    added = history[len(history_before) :]
    assert [(h.is_archived, h.history_user, h.history_change_reason) for h in added] == [
        (True, secretariat, he("Archived")),
        (False, secretariat, he("Restored")),
    ]
    assert response.status_code == 200


def test_restoring_a_sub_goal_brings_back_the_goal_above_it(client, secretariat, goal_with_updates):
    goal, sub_goal = goal_with_updates
    act(client, "archive", [goal])
    act(client, "restore", [sub_goal], archive="archived")
    goal.refresh_from_db()
    assert not goal.is_archived


def test_archived_goals_leave_every_portal_page(client, secretariat, personas, goal_with_updates, plan_2018):
    goal, _sub_goal = goal_with_updates
    meeting = Meeting.objects.create(body=Body.objects.get(slug="cooperative-hq"), title="ישיבה",
                                     date=datetime.date(2018, 1, 10))  # fmt: skip
    item = AgendaItem.objects.create(meeting=meeting, label="א", title="צעירים")
    decision = Decision.objects.create(meeting=meeting, item=item, number=1, text="החלטה")
    decision.goals.add(goal)
    goal.responsible = personas["youth_head"]
    goal.save()
    pages = [
        reverse("plans:plan", kwargs={"year": 2018}),
        reverse("department", kwargs={"slug": "youth"}),
        decision.get_absolute_url(),
    ]
    client.force_login(personas["youth_head"])
    for page in pages:
        assert goal.get_absolute_url() in client.get(page).content.decode(), page
    assert Goal.objects.for_user(personas["youth_head"]).filter(pk=goal.pk).exists()  # "my goals" reads this

    services.goal_archive(goals=[goal], by=personas["secretariat"])
    assert not any(goal.get_absolute_url() in client.get(page).content.decode() for page in pages)
    assert not Goal.objects.for_user(personas["youth_head"]).filter(pk=goal.pk).exists()
    assert client.get(goal.get_absolute_url()).status_code == 404
    assert client.get(goal.get_progress_url()).status_code == 404


def test_goals_cannot_be_deleted_in_the_admin_not_even_through_their_plan_or_section(
    client, secretariat, goal_with_updates, plan_2018
):
    goal, _sub_goal = goal_with_updates
    page = client.get(CHANGELIST)
    assert "delete_selected" not in page.content.decode()
    assert [name for name, *_rest in page.context["action_form"].fields["action"].choices if name] == [
        "archive",
        "restore",
    ]
    assert client.post(reverse("admin:plans_goal_delete", args=[goal.pk]), {"post": "yes"}).status_code == 403
    section = PlanSection.objects.get(pk=goal.section_id)
    for url in (reverse("admin:plans_plansection_delete", args=[section.pk]),
                reverse("admin:plans_annualplan_delete", args=[plan_2018.pk])):  # fmt: skip
        response = client.post(url, {"post": "yes"})
        assert response.status_code in (200, 403)  # "you may not delete the goals it holds"
    assert Goal.objects.filter(pk=goal.pk).exists() and goal.updates.count() == 3


def test_the_list_shows_live_goals_unless_asked_for_archived_or_all(client, secretariat, goal_with_updates):
    goal, sub_goal = goal_with_updates
    services.goal_archive(goals=[goal], by=None)

    def listed(**params):
        return set(client.get(CHANGELIST, params).context["cl"].queryset.values_list("pk", flat=True))

    assert goal.pk not in listed() and sub_goal.pk not in listed()
    assert listed(archive="archived") == {goal.pk, sub_goal.pk}
    assert {goal.pk, sub_goal.pk} <= listed(archive="all") and len(listed(archive="all")) > 2


@pytest.mark.parametrize("persona", ["member", "youth_head"])
def test_only_the_secretariat_archives(client, personas, goal_with_updates, persona):
    goal, _sub_goal = goal_with_updates
    client.force_login(personas[persona])
    response = client.post(CHANGELIST, {"action": "archive", "_selected_action": [goal.pk]})
    assert response.status_code == 302 and "/admin/login/" in response.url
    goal.refresh_from_db()
    assert not goal.is_archived


# History in the admin: who and when ----------------------------------------------------------------


def history_rows(client, url):
    response = client.get(url)
    assert response.status_code == 200
    return response, response.content.decode()


def test_the_goal_and_update_history_pages_say_who_and_when(client, secretariat, personas, goal_with_updates):
    goal, _sub_goal = goal_with_updates
    response, page = history_rows(client, reverse("admin:plans_goal_history", args=[goal.pk]))
    records = list(response.context["page_obj"])
    assert records[0].history_user == personas["youth_head"] and "(עודכן)" in records[0].text
    assert "יואב ראש צעירים" in page and records[0].history_date.strftime("%Y") in page
    assert 'style="' not in page.split('id="change-history"')[1]  # the CSP allows no inline style

    update = goal.updates.first()
    response, page = history_rows(client, reverse("admin:plans_progressupdate_history", args=[update.pk]))
    assert [r.history_user for r in response.context["page_obj"]] == [personas["youth_head"]]


def test_decision_and_protocol_history_pages_say_who_and_when(client, secretariat, personas):
    meeting = Meeting.objects.create(body=Body.objects.get(slug="cooperative-hq"), title="ישיבה",
                                     date=datetime.date(2018, 1, 10))  # fmt: skip
    item = AgendaItem.objects.create(meeting=meeting, label="א", title="צעירים")
    decision = Decision.objects.create(meeting=meeting, item=item, number=1, text="החלטה")
    # Changes through the admin: the agenda item with a statement inline; then a status and an approval.
    change_item = reverse("admin:meetings_agendaitem_change", args=[item.pk])
    form = client.get(change_item).context["adminform"].form
    data = {**{k: v for k, v in form.initial.items() if v is not None and not isinstance(v, list)},
            "title_he": "צעירים ומנהיגות", "label": "א", "kind": "discussion", "order": 0, "meeting": meeting.pk,
            "statements-TOTAL_FORMS": 1, "statements-INITIAL_FORMS": 0, "statements-0-order": 1,
            "statements-0-text": "דברי פתיחה", "statements-0-group_name": "המזכירות",
            "decisions-TOTAL_FORMS": 1, "decisions-INITIAL_FORMS": 1, "decisions-0-id": decision.pk,
            "decisions-0-item": item.pk, "decisions-0-number": 1, "decisions-0-text_he": "החלטה",
            "decisions-0-status": "open"}  # fmt: skip
    response = client.post(change_item, data)
    assert response.status_code == 302, response.context["adminform"].form.errors if response.context else ""
    meeting_services.decision_set_status(decision=decision, by=personas["youth_head"], status="in_progress")
    meeting_services.protocol_approve(meeting=meeting, by=secretariat)

    response, page = history_rows(client, reverse("admin:meetings_decision_history", args=[decision.pk]))
    assert response.context["page_obj"][0].history_user == personas["youth_head"]

    response, page = history_rows(client, reverse("admin:meetings_meeting_history", args=[meeting.pk]))
    assert response.context["page_obj"][0].history_user == secretariat  # the approval
    rows = response.context["protocol_history"]
    kinds = {(str(what), getattr(who, "pk", None)) for _when, who, _change, what, _record in rows}
    assert (he("statement"), secretariat.pk) in kinds
    assert (he("decision"), personas["youth_head"].pk) in kinds
    assert (he("agenda item"), secretariat.pk) in kinds
    assert "דברי פתיחה" in page and Statement.objects.get().history.first().history_user == secretariat
