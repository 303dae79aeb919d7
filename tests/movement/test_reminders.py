"""Reminders: what each person is told, once; turning them off; a failing mail server; the sweep.

Tasks run eagerly here (conftest); a real worker on Redis is in tests/test_worker.py.
"""

import datetime
import logging
import smtplib

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from meetings.models import AgendaItem, Decision, Meeting, Participant
from movement import reminders
from movement.models import Body, Kibbutz, Reminder
from movement.tasks import reminder_round, send_reminder, sweep
from plans.models import AnnualPlan, Goal, ProgressUpdate
from visits.models import FollowUp, Visit

pytestmark = pytest.mark.django_db

TODAY = datetime.date(2018, 11, 20)  # a Tuesday in the 2018 plan's last quarter


@pytest.fixture
def approved_2018(plan_2018, personas):
    plan_2018.status = AnnualPlan.Status.APPROVED
    plan_2018.save()
    return plan_2018


def youth_goals(plan):
    return Goal.objects.filter(plan=plan, department__slug="youth", is_archived=False).order_by("order")


def test_a_head_gets_one_digest_of_stale_goals_stalest_first_and_only_once(
    approved_2018, personas, django_capture_on_commit_callbacks
):
    goals = list(youth_goals(approved_2018))
    assert len(goals) >= 3
    # One goal updated this quarter (not stale), one last updated in the summer, the rest never.
    fresh, summer = goals[0], goals[1]
    for goal, when in (
        (fresh, datetime.datetime(2018, 11, 1, 9, tzinfo=datetime.UTC)),
        (summer, datetime.datetime(2018, 7, 5, 9, tzinfo=datetime.UTC)),
    ):
        update = ProgressUpdate.objects.create(
            goal=goal,
            author=personas["youth_head"],
            status="on_track",
            percent=40,
            created_at=when,
        )
        Goal.objects.filter(pk=goal.pk).update(latest_update=update)

    with django_capture_on_commit_callbacks(execute=True):
        created = reminders.run_round(TODAY)
    digests = [m for m in mail.outbox if m.to == [personas["youth_head"].email]]
    assert len(digests) == 1, [m.subject for m in mail.outbox]
    message = digests[0]
    assert "צעירים" in message.subject
    html = message.alternatives[0][0]
    assert 'dir="rtl"' in html and 'lang="he"' in html
    assert "http://testserver" not in html
    assert reverse("department", args=["youth"]) in message.body
    assert fresh.text[:40] not in message.body
    # Never-updated goals first, then the one from the summer.
    never = goals[2].text[:40]
    assert message.body.index(never) < message.body.index(summer.text[:40])
    assert Reminder.objects.get(recipient=personas["youth_head"]).status == Reminder.Status.SENT
    assert created >= 1

    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        assert reminders.run_round(TODAY) == 0
        assert reminders.run_round(TODAY + datetime.timedelta(days=2)) == 0  # same week
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        reminders.run_round(TODAY + datetime.timedelta(days=7))  # a new week
    assert len([m for m in mail.outbox if m.to == [personas["youth_head"].email]]) == 1


def test_reminders_speak_the_recipients_language_and_link_from_site_url(
    approved_2018, personas, settings, django_capture_on_commit_callbacks
):
    settings.SITE_URL = "https://portal.example.org"
    head = personas["youth_head"]
    head.preferred_language = "en"
    head.save()
    with django_capture_on_commit_callbacks(execute=True):
        reminders.run_round(TODAY)
    (message,) = [m for m in mail.outbox if m.to == [head.email]]
    assert "without a recent update" in message.subject
    html = message.alternatives[0][0]
    assert 'lang="en"' in html and 'dir="ltr"' in html
    assert "https://portal.example.org/departments/youth/" in message.body
    assert message.extra_headers["List-Unsubscribe"].startswith("<https://portal.example.org/reminders/stop/")


def test_no_plan_of_the_year_approved_means_no_stale_digest(plan_2018, personas):
    from plans.reminders import stale_goal_digests

    assert plan_2018.status == AnnualPlan.Status.DRAFT
    assert list(stale_goal_digests(TODAY)) == []


def test_decision_owner_gets_overdue_and_due_soon_decisions(
    personas, reference_data, django_capture_on_commit_callbacks
):
    body = Body.objects.get(slug="cooperative-hq-secretariat")
    with reminders.muted():
        meeting = Meeting.objects.create(
            body=body, title="ישיבה", date=datetime.date(2018, 10, 1), status="held"
        )
        item = AgendaItem.objects.create(meeting=meeting, order=1, label="א", title="נושא")
        owner = personas["education_head"]
        for number, due, text in [
            (1, datetime.date(2018, 11, 10), "סוכם לבדוק את התקציב"),
            (2, datetime.date(2018, 11, 25), "סוכם לכנס את הצוות"),
            (3, datetime.date(2018, 12, 30), "סוכם לקבוע מועד"),
        ]:
            Decision.objects.create(
                meeting=meeting, item=item, number=number, text=text, owner=owner, due_date=due
            )
        Decision.objects.create(
            meeting=meeting, item=item, number=4, text="סוכם ובוצע", owner=owner, due_date=datetime.date(2018, 11, 1),
            status="done",
        )  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        reminders.run_round(TODAY)
    (message,) = [m for m in mail.outbox if m.to == [owner.email]]
    assert "באיחור" in message.subject
    assert "סוכם לבדוק את התקציב" in message.body and "סוכם לכנס את הצוות" in message.body
    assert "סוכם לקבוע מועד" not in message.body and "סוכם ובוצע" not in message.body
    assert message.body.index("סוכם לבדוק") < message.body.index("סוכם לכנס")


def test_participants_hear_of_a_meeting_two_days_ahead_once(
    personas, reference_data, django_capture_on_commit_callbacks
):
    body = Body.objects.get(slug="cooperative-hq-secretariat")
    meeting = Meeting.objects.create(
        body=body, title="ישיבת מזכירות", date=TODAY + datetime.timedelta(days=2)
    )
    Participant.objects.create(meeting=meeting, order=1, name="מיכל", user=personas["member"])
    Participant.objects.create(meeting=meeting, order=2, name="אורח בלי חשבון")
    later = Meeting.objects.create(body=body, title="ישיבה מאוחרת", date=TODAY + datetime.timedelta(days=5))
    Participant.objects.create(meeting=later, order=1, name="מיכל", user=personas["member"])
    with django_capture_on_commit_callbacks(execute=True):
        reminders.run_round(TODAY - datetime.timedelta(days=1))
        reminders.run_round(TODAY)
        reminders.run_round(TODAY + datetime.timedelta(days=1))
    sent = [m for m in mail.outbox if m.to == [personas["member"].email]]
    assert len(sent) == 1
    assert "ישיבת מזכירות" in sent[0].subject and meeting.get_absolute_url() in sent[0].body


def test_coordinators_get_follow_ups_coming_due(personas, reference_data, django_capture_on_commit_callbacks):
    coordinator = personas["negev_coordinator"]
    with reminders.muted():
        visit = Visit.objects.create(
            coordinator=coordinator, date=datetime.date(2018, 11, 1), summary="ביקור"
        )
        visit.kibbutzim.add(Kibbutz.objects.get(slug="beeri"))
        FollowUp.objects.create(
            visit=visit, text="לשלוח חומרים למזכירות", due_date=TODAY + datetime.timedelta(days=3)
        )
        FollowUp.objects.create(
            visit=visit, text="לתאם פגישה עם הרכזת", due_date=TODAY - datetime.timedelta(days=3)
        )
        FollowUp.objects.create(visit=visit, text="רחוק מדי", due_date=TODAY + datetime.timedelta(days=30))
        FollowUp.objects.create(visit=visit, text="כבר בוצע", due_date=TODAY, status="done")
    with django_capture_on_commit_callbacks(execute=True):
        reminders.run_round(TODAY)
    (message,) = [m for m in mail.outbox if m.to == [coordinator.email]]
    assert "לשלוח חומרים" in message.body and "לתאם פגישה" in message.body
    assert "רחוק מדי" not in message.body and "כבר בוצע" not in message.body
    assert "בארי" in message.body


def test_assignment_notices_go_once_to_the_new_person(
    approved_2018, personas, django_capture_on_commit_callbacks
):
    goal = youth_goals(approved_2018).first()
    staff = personas["youth_staff"]
    with django_capture_on_commit_callbacks(execute=True):
        goal.responsible = staff
        goal.save()
    with django_capture_on_commit_callbacks(execute=True):
        goal.text = goal.text + " "
        goal.save()  # the same person: nothing new
    with django_capture_on_commit_callbacks(execute=True):
        with reminders.muted():
            goal.responsible = personas["youth_head"]
            goal.save()  # muted: nobody is told
    notices = [m for m in mail.outbox]
    assert [m.to for m in notices] == [[staff.email]]
    assert goal.get_absolute_url() in notices[0].body
    assert Reminder.objects.filter(kind=Reminder.Kind.ASSIGNED).count() == 1


def test_a_decisions_new_owner_is_told(personas, reference_data, django_capture_on_commit_callbacks):
    body = Body.objects.get(slug="cooperative-hq-secretariat")
    meeting = Meeting.objects.create(body=body, title="ישיבה", date=datetime.date(2026, 1, 10), status="held")
    item = AgendaItem.objects.create(meeting=meeting, order=1, label="א", title="נושא")
    with django_capture_on_commit_callbacks(execute=True):
        Decision.objects.create(meeting=meeting, item=item, text="סוכם לבדוק", owner=personas["member"])
    assert [m.to for m in mail.outbox] == [[personas["member"].email]]
    assert "סוכם לבדוק" in mail.outbox[0].body


def test_a_person_turns_a_kind_off_in_their_settings(
    client, approved_2018, personas, django_capture_on_commit_callbacks
):
    head = personas["youth_head"]
    client.force_login(head)
    page = client.get(reverse("reminder_settings"))
    assert page.status_code == 200 and "stale_goals" in page.content.decode()
    kept = [k for k in Reminder.Kind.values if k != "stale_goals"]
    response = client.post(reverse("reminder_settings"), {"kinds": kept})
    assert response.status_code == 302
    head.refresh_from_db()
    assert head.muted_reminders == ["stale_goals"]
    with django_capture_on_commit_callbacks(execute=True):
        reminders.run_round(TODAY)
    assert [m for m in mail.outbox if m.to == [head.email]] == []
    # A made-up kind is refused with a message and changes nothing.
    response = client.post(reverse("reminder_settings"), {"kinds": ["no_such_kind"]})
    assert response.status_code == 200
    head.refresh_from_db()
    assert head.muted_reminders == ["stale_goals"]


def test_the_unsubscribe_link_asks_before_it_changes_anything(client, personas):
    member = personas["member"]
    url = reverse("reminders_unsubscribe", args=[reminders.unsubscribe_token(member, "meeting_soon")])
    page = client.get(url)  # not signed in: the link works from the email
    assert page.status_code == 200 and "<form" in page.content.decode()
    member.refresh_from_db()
    assert member.muted_reminders == []
    assert client.post(url).status_code == 200
    member.refresh_from_db()
    assert member.muted_reminders == ["meeting_soon"]
    assert client.post(url).status_code == 200  # again: still once
    member.refresh_from_db()
    assert member.muted_reminders == ["meeting_soon"]


@pytest.mark.parametrize("token", ["garbage", "eyJ1IjoxLCJrIjoibWVldGluZ19zb29uIn0:1abc:forged"])
def test_a_bad_unsubscribe_link_says_so_and_changes_nothing(client, personas, token):
    response = client.post(reverse("reminders_unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "אינו תקין" in response.content.decode()
    assert not any(p.muted_reminders for p in personas.values())


def _queued(person, key="test:1"):
    (pk,) = reminders.queue(
        [
            reminders.Message(
                recipient=person,
                kind=Reminder.Kind.MEETING_SOON,
                key=key,
                template="meetings/email/meeting_soon",
                path="/",
                context={"meeting": Meeting(title="ישיבה", date=TODAY)},
            )
        ]
    )
    return pk


def test_a_row_is_sent_once_however_often_its_task_runs(personas):
    pk = _queued(personas["member"])
    assert reminders.deliver(pk) == "sent"
    assert reminders.deliver(pk) == "skipped"
    assert send_reminder.apply(args=[pk]).get() == "skipped"
    assert len(mail.outbox) == 1
    assert reminders.queue([]) == [] and _queued_again(personas["member"]) == []


def _queued_again(person):
    return reminders.queue(
        [
            reminders.Message(
                recipient=person, kind=Reminder.Kind.MEETING_SOON, key="test:1", template="meetings/email/meeting_soon",
                path="/", context={"meeting": Meeting(title="ישיבה", date=TODAY)},
            )
        ]
    )  # fmt: skip


def test_a_claim_by_a_live_worker_is_left_alone_and_a_stale_one_is_taken_over(personas, caplog):
    pk = _queued(personas["member"])
    Reminder.objects.filter(pk=pk).update(status="claimed", claimed_at=timezone.now(), attempts=1)
    assert reminders.deliver(pk) == "skipped"
    Reminder.objects.filter(pk=pk).update(claimed_at=timezone.now() - datetime.timedelta(minutes=10))
    with caplog.at_level(logging.WARNING, logger="movement.reminders"):
        assert reminders.deliver(pk) == "sent"
    assert "may have been sent" in caplog.text
    assert len(mail.outbox) == 1


def test_a_failing_mail_server_keeps_the_row_and_gives_up_loudly(personas, settings, caplog):
    """A real SMTP connection to a closed port: refused, retried, then failed with the error kept."""
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    pk = _queued(personas["member"])
    assert send_reminder.apply(args=[pk]).get() == "queued"  # eager: left for the sweep
    row = Reminder.objects.get(pk=pk)
    assert row.status == "queued" and row.attempts == 1 and "Connection" in row.last_error
    assert row.next_attempt_at > timezone.now()
    with caplog.at_level(logging.ERROR, logger="movement.reminders"):
        Reminder.objects.filter(pk=pk).update(next_attempt_at=timezone.now())
        assert send_reminder.apply(args=[pk], retries=reminders.MAX_ATTEMPTS - 1).get() == "failed"
    row.refresh_from_db()
    assert row.status == "failed" and row.last_error
    assert f"Reminder {pk} failed" in caplog.text
    # The secretariat sends it again once the server is back.
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    Reminder.objects.filter(pk=pk).update(status="queued", attempts=0)
    assert reminders.deliver(pk) == "sent"


def test_smtp_errors_are_caught_as_mail_failures():
    assert issubclass(smtplib.SMTPServerDisconnected, reminders.EMAIL_ERRORS)
    assert issubclass(ConnectionRefusedError, reminders.EMAIL_ERRORS)


def test_the_sweep_sends_what_the_broker_lost_and_leaves_fresh_rows(personas):
    lost = _queued(personas["member"], key="lost")
    fresh = _queued(personas["member"], key="fresh")
    Reminder.objects.filter(pk=lost).update(next_attempt_at=timezone.now() - datetime.timedelta(minutes=5))
    assert sweep.apply().get()["reminders"] == 1
    assert Reminder.objects.get(pk=lost).status == "sent"
    assert Reminder.objects.get(pk=fresh).status == "queued"


def test_a_person_who_turned_a_kind_off_after_it_was_queued_is_not_sent_it(personas):
    member = personas["member"]
    pk = _queued(member)
    member.muted_reminders = ["meeting_soon"]
    member.save()
    assert reminders.deliver(pk) == "cancelled"
    assert mail.outbox == []


def test_the_secretariat_sends_a_round_now_from_the_admin(
    client, personas, django_capture_on_commit_callbacks
):
    today = timezone.localdate()
    body = Body.objects.get(slug="cooperative-hq-secretariat")
    with reminders.muted():
        meeting = Meeting.objects.create(body=body, title="ישיבה", date=today - datetime.timedelta(days=30))
        item = AgendaItem.objects.create(meeting=meeting, order=1, label="א", title="נושא")
        Decision.objects.create(
            meeting=meeting,
            item=item,
            text="סוכם",
            owner=personas["member"],
            due_date=today - datetime.timedelta(days=1),
        )
    client.force_login(personas["secretariat"])
    url = reverse("admin:movement_reminder_round")
    assert client.get(url).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, follow=True)
    assert response.status_code == 200
    assert Reminder.objects.get(kind="decisions_due").status == "sent"
    assert "תזכורת חדשה אחת נכנסה לתור" in response.content.decode()
    changelist = client.get(reverse("admin:movement_reminder_changelist"))
    assert changelist.status_code == 200 and "שליחת סבב תזכורות" in changelist.content.decode()


def test_the_round_and_sweep_are_scheduled_in_beat():
    from django_celery_beat.models import PeriodicTask

    tasks = set(PeriodicTask.objects.values_list("task", flat=True))
    assert {"movement.tasks.reminder_round", "movement.tasks.sweep"} <= tasks


def test_the_round_task_takes_a_day(approved_2018, personas, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        assert reminder_round.apply(args=["2018-11-20"]).get() >= 1
