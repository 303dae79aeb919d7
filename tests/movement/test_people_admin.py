"""People in the admin: invite many at once (each gets a set-password link in their language), and
hand over everything a leaving person owns to a successor, in one step, with one notice."""

import datetime
import re

import pytest
from django.contrib.admin.models import LogEntry
from django.core import mail
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _

from departments.models import Department, Unit
from meetings.models import AgendaItem, Decision, Meeting
from movement.models import Body, Kibbutz, Region, Reminder, User
from plans.models import Goal
from tests.factories import UserFactory
from visits.models import FollowUp, Visit

pytestmark = pytest.mark.django_db

INVITE = reverse("admin:movement_user_invite")


def he(msgid, **values):
    with translation.override("he"):
        return _(msgid) % values if values else _(msgid)


@pytest.fixture
def secretariat(client, personas):
    client.force_login(personas["secretariat"])
    return personas["secretariat"]


# Inviting -----------------------------------------------------------------------------------------

LINES = "\n".join(
    [
        "דנה כהן, dana@example.org, head:youth",
        "Dan Levi\tDan@Example.org\tcoordinator:הנגב\ten",  # tabs, as copied from a spreadsheet
        "",
        "רון מזכירות, ron@example.org, secretariat",
        "נעמה, naama@example.org",
    ]
)


def test_the_preview_lists_everyone_and_creates_nobody(client, secretariat):
    response = client.post(INVITE, {"people": LINES})
    assert response.status_code == 200
    invitees = response.context["invitees"]
    assert [(i.line, i.email, i.role, str(i.place or ""), i.language) for i in invitees] == [
        (1, "dana@example.org", "head", Department.objects.get(slug="youth").name, "he"),
        (2, "dan@example.org", "coordinator", "הנגב", "en"),
        (4, "ron@example.org", "secretariat", "", "he"),
        (5, "naama@example.org", "member", "", "he"),
    ]
    assert not User.objects.filter(email__in=[i.email for i in invitees]).exists()
    assert mail.outbox == []


def test_confirming_creates_the_accounts_with_their_roles_and_emails_each_a_link_in_their_language(
    client, secretariat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, {"people": LINES, "confirm": "1"})
    assert response.status_code == 302 and response.url == reverse("admin:movement_user_changelist")
    dana, dan, ron, naama = (User.objects.get(email=e) for e in
                             ["dana@example.org", "dan@example.org", "ron@example.org", "naama@example.org"])  # fmt: skip
    assert Department.objects.get(slug="youth").heads.filter(pk=dana.pk).exists()
    assert Region.objects.get(slug="negev").coordinators.filter(pk=dan.pk).exists()
    assert ron.is_secretariat and ron.is_staff and not naama.is_secretariat
    assert (dan.preferred_language, dana.preferred_language) == ("en", "he")
    assert not any(u.has_usable_password() for u in (dana, dan, ron, naama))
    assert LogEntry.objects.filter(object_id=str(dana.pk), user=secretariat).exists()

    assert sorted(m.to[0] for m in mail.outbox) == sorted(u.email for u in (dana, dan, ron, naama))
    by_email = {m.to[0]: m for m in mail.outbox}
    hebrew, english = by_email["dana@example.org"], by_email["dan@example.org"]
    assert 'lang="he" dir="rtl"' in hebrew.alternatives[0][0]
    assert 'lang="en" dir="ltr"' in english.alternatives[0][0]
    assert english.subject == "Your account on the Kibbutz Movement portal"
    assert hebrew.subject == he("Your account on the Kibbutz Movement portal")
    assert "רות מזכירות" in hebrew.body  # who invited them

    # The link lets Dana choose a password, and then she signs in with it.
    link = re.search(r"http://\S+/password-reset/\S+/\S+/", hebrew.body).group(0)
    client.logout()
    form_page = client.get(link, follow=True)
    assert form_page.status_code == 200 and form_page.context["validlink"]
    client.post(
        form_page.redirect_chain[-1][0],
        {"new_password1": "Kibbutz-Galil-77", "new_password2": "Kibbutz-Galil-77"},
    )
    dana.refresh_from_db()
    assert dana.check_password("Kibbutz-Galil-77")
    signed_in = client.post(
        reverse("login"), {"username": "dana@example.org", "password": "Kibbutz-Galil-77"}
    )
    assert signed_in.status_code == 302 and signed_in.url == reverse("home")


@pytest.mark.parametrize(
    "line,message",
    [
        ("רק שם", "Write a name and an email address, separated by a comma or a tab."),
        ("שם, not-an-email", "“%(email)s” is not a valid email address."),
        ("שם, x@example.org, chief", "Unknown role “%(role)s”: write member, secretariat, head:<department>, staff:<department> or coordinator:<region>."),
        ("שם, x@example.org, head:אגף הקסמים", "No department is called “%(name)s”."),
        ("שם, x@example.org, coordinator:atlantis", "No region is called “%(name)s”."),
        ("שם, x@example.org, member, fr", "Unknown language “%(language)s”: write he or en."),
        ("שם, dana@example.org", "This email address is already on line %(line)d."),
        ("שם, ROOT@example.org", "Someone already has an account with this email address; to send them the link again, select them in the list of users."),
    ],
)  # fmt: skip
def test_a_bad_line_is_named_with_its_problem_and_nobody_is_invited(
    client, secretariat, line, message, django_capture_on_commit_callbacks
):
    UserFactory(email="root@example.org")
    users_before = User.objects.count()
    text = "דנה כהן, dana@example.org, head:youth\n" + line
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, {"people": text, "confirm": "1"})
    assert response.status_code == 200
    [error] = response.context["errors"]
    values = {"email": "not-an-email", "role": "chief", "name": "אגף הקסמים", "language": "fr", "line": 1}
    if "atlantis" in line:
        values["name"] = "atlantis"
    assert error.line == 2 and error.text == line
    assert error.message == he(message) % {k: v for k, v in values.items() if f"%({k})" in message}
    assert User.objects.count() == users_before and mail.outbox == []


def test_an_empty_list_is_refused(client, secretariat):
    response = client.post(INVITE, {"people": "   \n  "})
    assert response.status_code == 200 and response.context["form"].errors
    assert "invitees" not in response.context


def test_the_invitation_can_be_sent_again_only_to_those_who_never_chose_a_password(
    client, secretariat, personas, django_capture_on_commit_callbacks
):
    invited = User.objects.create_user("new@example.org", full_name="חדש")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("admin:movement_user_changelist"),
            {"action": "send_invitation", "_selected_action": [invited.pk, personas["member"].pk]},
            follow=True,
        )
    assert [m.to for m in mail.outbox] == [["new@example.org"]]
    assert len(list(response.context["messages"])) == 2  # sent to one, not to the member


@pytest.mark.parametrize("persona", ["member", "youth_head"])
def test_only_the_secretariat_invites(client, personas, persona):
    client.force_login(personas[persona])
    response = client.post(INVITE, {"people": LINES, "confirm": "1"})
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert not User.objects.filter(email="dana@example.org").exists()


# Handing over -------------------------------------------------------------------------------------


@pytest.fixture
def leaving(personas, plan_2018):
    """The youth head owns 30 goals, 2 open decisions (and a closed one), 2 follow-ups (one done), heads
    the youth department and a unit, and coordinates a region."""
    head = personas["youth_head"]
    goals = list(Goal.objects.filter(plan=plan_2018).order_by("order")[:30])
    Goal.objects.filter(pk__in=[g.pk for g in goals]).update(responsible=head)
    meeting = Meeting.objects.create(body=Body.objects.get(slug="cooperative-hq"), title="ישיבה",
                                     date=datetime.date(2018, 1, 10))  # fmt: skip
    item = AgendaItem.objects.create(meeting=meeting, label="א", title="קליטה")
    for number, status in enumerate(["open", "in_progress", "done"], start=1):
        Decision.objects.create(meeting=meeting, item=item, number=number, text=f"החלטה {number}",
                                owner=head, status=status)  # fmt: skip
    visit = Visit.objects.create(coordinator=personas["negev_coordinator"], summary="ביקור")
    visit.kibbutzim.add(Kibbutz.objects.get(slug="beeri"))
    FollowUp.objects.create(visit=visit, text="לשלוח חומר", owner=head)
    FollowUp.objects.create(visit=visit, text="בוצע", owner=head, status="done")
    Unit.objects.order_by("pk").first().heads.add(head)
    Region.objects.get(slug="arava-eilot").coordinators.add(head)
    return head


def handover_url(person):
    return reverse("admin:movement_user_handover", args=[person.pk])


def test_the_page_counts_what_would_move_and_changes_nothing(client, secretariat, leaving, personas):
    response = client.get(handover_url(leaving))
    preview = response.context["preview"]
    assert (preview.goals, preview.decisions, preview.follow_ups) == (30, 2, 1)
    assert [d.slug for d in preview.departments] == ["youth"] and len(preview.units) == 1
    assert [r.slug for r in preview.regions] == ["arava-eilot"]
    # Choosing a successor shows the confirmation, still without changing anything.
    response = client.post(handover_url(leaving), {"successor": personas["youth_staff"].pk})
    assert response.context["successor"] == personas["youth_staff"]
    assert Goal.objects.filter(responsible=leaving).count() == 30


def test_everything_moves_in_one_step_with_history_and_one_notice(
    client, secretariat, leaving, personas, django_capture_on_commit_callbacks
):
    successor = personas["youth_staff"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(handover_url(leaving), {"successor": successor.pk, "confirm": "1"})
    assert response.status_code == 302
    assert Goal.objects.filter(responsible=leaving).count() == 0
    assert Goal.objects.filter(responsible=successor).count() == 30
    assert set(Decision.objects.filter(owner=successor).values_list("status", flat=True)) == {
        "open",
        "in_progress",
    }
    assert Decision.objects.get(status="done").owner == leaving  # the record of who did it
    assert FollowUp.objects.get(status="open").owner == successor
    assert FollowUp.objects.get(status="done").owner == leaving
    youth = Department.objects.get(slug="youth")
    assert list(youth.heads.all()) == [successor]
    assert list(Unit.objects.order_by("pk").first().heads.all()) == [successor]
    assert list(Region.objects.get(slug="arava-eilot").coordinators.all()) == [successor]

    # History: a row per goal and decision, with who and why; the admin's log on both people.
    goal = Goal.objects.filter(responsible=successor).first()
    last = goal.history.first()
    assert last.history_user == secretariat and str(successor) in last.history_change_reason
    assert Decision.history.filter(owner=successor, history_user=secretariat).count() == 2
    assert LogEntry.objects.filter(object_id=str(leaving.pk), user=secretariat).exists()
    assert LogEntry.objects.filter(object_id=str(successor.pk), user=secretariat).exists()

    # One notice that sums it up, not one per goal.
    assert Reminder.objects.filter(recipient=successor).count() == 1
    assert [m.to for m in mail.outbox] == [[successor.email]]
    assert "30" in mail.outbox[0].body


@pytest.mark.parametrize("case", ["same", "inactive", "none", "unknown"])
def test_a_bad_successor_is_refused_with_a_message_and_nothing_moves(client, secretariat, leaving, case):
    inactive = UserFactory(is_active=False, full_name="עזב מזמן")
    successor = {"same": leaving.pk, "inactive": inactive.pk, "none": "", "unknown": 999999}[case]
    response = client.post(handover_url(leaving), {"successor": successor, "confirm": "1"})
    assert response.status_code == 200
    expected = {
        "same": he("The successor must be someone else than the person leaving."),
        "inactive": he("%(name)s's account is not active: choose an active successor.", name=inactive),
        "none": he("This field is required."),
        "unknown": he("Choose the person who takes over."),
    }[case]
    assert response.context["form"].errors["successor"] == [expected]
    assert Goal.objects.filter(responsible=leaving).count() == 30
    assert Department.objects.get(slug="youth").heads.filter(pk=leaving.pk).exists()
    assert not Reminder.objects.exists()


def test_a_failure_half_way_moves_nothing(client, secretariat, leaving, personas, monkeypatch):
    def broken(**kwargs):
        raise RuntimeError("the database went away")

    monkeypatch.setattr("movement.people.follow_ups_hand_over", broken)
    client.raise_request_exception = False
    response = client.post(handover_url(leaving), {"successor": personas["youth_staff"].pk, "confirm": "1"})
    assert response.status_code == 500
    assert Goal.objects.filter(responsible=leaving).count() == 30
    assert Decision.objects.filter(owner=leaving).count() == 3
    assert not Reminder.objects.exists()


def test_the_action_on_the_list_takes_exactly_one_person(client, secretariat, leaving, personas):
    changelist = reverse("admin:movement_user_changelist")
    two = client.post(changelist, {"action": "hand_over", "_selected_action": [leaving.pk, personas["member"].pk]},
                      follow=True)  # fmt: skip
    assert [str(m) for m in two.context["messages"]] == [he("Select exactly one person to hand over from.")]
    one = client.post(changelist, {"action": "hand_over", "_selected_action": [leaving.pk]})
    assert one.status_code == 302 and one.url == handover_url(leaving)


@pytest.mark.parametrize("persona", ["member", "youth_head", "negev_coordinator"])
def test_only_the_secretariat_hands_over(client, personas, leaving, persona):
    client.force_login(personas[persona])
    response = client.post(handover_url(leaving), {"successor": personas["member"].pk, "confirm": "1"})
    assert response.status_code == 302 and "/admin/login/" in response.url
    assert Goal.objects.filter(responsible=leaving).count() == 30


def test_a_failing_mail_server_keeps_the_accounts_and_the_link_can_be_sent_again(
    client, secretariat, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    import smtplib

    from django.core.mail import EmailMultiAlternatives

    def refuse(self, fail_silently=False):
        raise smtplib.SMTPServerDisconnected("the mail server went away")

    monkeypatch.setattr(EmailMultiAlternatives, "send", refuse)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(INVITE, {"people": "נעמה, naama@example.org", "confirm": "1"})
    assert response.status_code == 302
    naama = User.objects.get(email="naama@example.org")
    assert "Invitation to user" in caplog.text and "not sent" in caplog.text
    monkeypatch.undo()
    client.force_login(secretariat)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("admin:movement_user_changelist"),
                    {"action": "send_invitation", "_selected_action": [naama.pk]})  # fmt: skip
    assert [m.to for m in mail.outbox] == [["naama@example.org"]]


def test_the_task_skips_an_account_already_in_use_and_a_broker_down_loses_no_account(
    personas, settings, monkeypatch, caplog
):
    from movement import people
    from movement.tasks import invitation_task

    assert invitation_task.delay(personas["member"].pk).get() == "skipped"  # has a password
    assert mail.outbox == []

    def broker_down(*args, **kwargs):
        raise ConnectionError("redis is not there")

    settings.CELERY_TASK_ALWAYS_EAGER = False
    monkeypatch.setattr(invitation_task, "delay", broker_down)
    people._dispatch([personas["member"].pk], personas["secretariat"].pk)  # logs, does not raise
    assert "not queued: the broker refused it" in caplog.text
