"""Decisions: who moves them, the trail, validation, the tracker and its query count."""

import datetime

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse

from meetings.models import AgendaItem, Decision, Meeting, Participant
from movement.models import Body

pytestmark = pytest.mark.django_db


@pytest.fixture
def meeting(reference_data):
    body = Body.objects.get(slug="cooperative-hq-secretariat")
    meeting = Meeting.objects.create(body=body, title="ישיבה", date=datetime.date(2026, 1, 10), status="held")
    return meeting


@pytest.fixture
def decision(meeting, personas):
    item = AgendaItem.objects.create(meeting=meeting, order=1, label="א", title="נושא")
    return Decision.objects.create(
        meeting=meeting,
        item=item,
        number=1,
        text="סוכם לבדוק",
        owner=personas["youth_head"],
        due_date=datetime.date(2026, 2, 1),
    )


def test_the_owner_moves_a_decision_to_done_with_a_note(client, personas, decision):
    client.force_login(personas["youth_head"])
    response = client.post(
        reverse("meetings:decision_status", args=[decision.pk]), {"status": "done", "note": "בוצע"}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == "done"
    change = decision.changes.get()
    assert (change.from_status, change.to_status, change.note, change.by) == (
        "open",
        "done",
        "בוצע",
        personas["youth_head"],
    )


@pytest.mark.parametrize("persona", ["member", "education_head", "negev_coordinator"])
def test_others_cannot_change_a_decision(client, personas, decision, persona):
    client.force_login(personas[persona])
    response = client.post(reverse("meetings:decision_status", args=[decision.pk]), {"status": "done"})
    assert response.status_code == 403
    decision.refresh_from_db()
    assert decision.status == "open" and not decision.changes.exists()
    page = client.get(decision.get_absolute_url()).content.decode()
    assert 'name="status"' not in page


def test_the_secretariat_may_change_any_decision(client, personas, decision):
    client.force_login(personas["secretariat"])
    assert (
        client.post(
            reverse("meetings:decision_status", args=[decision.pk]), {"status": "cancelled"}
        ).status_code
        == 302
    )


def test_an_unknown_or_unchanged_status_is_refused(client, personas, decision):
    client.force_login(personas["youth_head"])
    assert (
        client.post(
            reverse("meetings:decision_status", args=[decision.pk]), {"status": "finished"}
        ).status_code
        == 422
    )
    assert (
        client.post(reverse("meetings:decision_status", args=[decision.pk]), {"status": "open"}).status_code
        == 422
    )
    assert not decision.changes.exists()


def test_a_due_date_before_the_meeting_is_refused_in_the_admin(client, personas, decision):
    client.force_login(personas["secretariat"])
    url = reverse("admin:meetings_decision_change", args=[decision.pk])
    response = client.post(url, {"meeting": decision.meeting.pk, "item": decision.item.pk, "number": 1, "text_he": "סוכם", "text_en": "",
                                 "owner": "", "due_date": "2025-12-31", "status": "open",
                                 "changes-TOTAL_FORMS": 0, "changes-INITIAL_FORMS": 0})  # fmt: skip
    assert response.status_code == 200
    assert (
        "לפני מועד הישיבה" in response.content.decode() or "before the meeting" in response.content.decode()
    )
    decision.refresh_from_db()
    assert decision.due_date == datetime.date(2026, 2, 1)


def test_an_agenda_label_twice_in_one_meeting_is_refused(meeting):
    AgendaItem.objects.create(meeting=meeting, order=1, label="א", title="ראשון")
    with pytest.raises(IntegrityError), transaction.atomic():
        AgendaItem.objects.create(meeting=meeting, order=2, label="א", title="שני")


def test_a_participant_listed_twice_is_refused(meeting):
    Participant.objects.create(meeting=meeting, name="משה רוזן")
    with pytest.raises(IntegrityError), transaction.atomic():
        Participant.objects.create(meeting=meeting, name="משה רוזן")


def test_my_decisions_and_the_home_page_show_an_owners_decisions(client, personas, decision):
    client.force_login(personas["youth_head"])
    assert "סוכם לבדוק" in client.get(reverse("meetings:my_decisions")).content.decode()
    assert reverse("meetings:my_decisions") in client.get("/").content.decode()
    client.force_login(personas["member"])
    assert "סוכם לבדוק" not in client.get(reverse("meetings:my_decisions")).content.decode()


def test_tracker_filters_and_overdue_first(client, personas, decision, meeting):
    later = Decision.objects.create(
        meeting=meeting, item=decision.item, number=2, text="החלטה מאוחרת", due_date=datetime.date(2030, 1, 1)
    )
    Decision.objects.create(meeting=meeting, item=decision.item, number=3, text="החלטה שבוצעה", status="done")
    client.force_login(personas["member"])
    body = client.get(reverse("meetings:decisions")).content.decode()
    assert body.index("סוכם לבדוק") < body.index("החלטה מאוחרת")
    assert "החלטה שבוצעה" not in body
    assert "באיחור" in body or "Overdue" in body
    body = client.get(reverse("meetings:decisions"), {"status": "done"}).content.decode()
    assert "החלטה שבוצעה" in body and "החלטה מאוחרת" not in body
    later.kibbutzim.add(
        *__import__("movement.models", fromlist=["Kibbutz"]).Kibbutz.objects.filter(slug="beeri")
    )
    body = client.get(reverse("meetings:decisions"), {"status": "", "kibbutz": "beeri"}).content.decode()
    assert "החלטה מאוחרת" in body and "סוכם לבדוק" not in body
    body = client.get(
        reverse("meetings:decisions"), {"status": "", "owner": personas["youth_head"].pk}
    ).content.decode()
    assert "סוכם לבדוק" in body and "החלטה מאוחרת" not in body
    response = client.get(reverse("meetings:decisions"), {"owner": "999999", "goal": "-1"})
    assert response.status_code == 200 and 'aria-invalid="true"' in response.content.decode()


def _many_meetings(personas):
    from meetings.demo import synthetic_meetings

    return synthetic_meetings(meetings=200, decisions_per_meeting=10, owner=personas["youth_head"])


def test_tracker_and_meeting_page_run_a_bounded_number_of_queries(
    client, personas, django_assert_max_num_queries
):
    meetings = _many_meetings(personas)
    assert Decision.objects.count() == 2000
    client.force_login(personas["youth_head"])
    # session, user, count, page of decisions (+ bodies and kibbutzim for the filter form)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:decisions")).status_code == 200
    # session, user, meeting, participants, kibbutzim, items, statements, decisions, follow-up
    with django_assert_max_num_queries(12):
        assert client.get(meetings[-1].get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:index")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("meetings:my_decisions")).status_code == 200


def test_a_draft_protocol_is_sent_to_participants_with_accounts(
    client, personas, meeting, mailoutbox, settings
):
    settings.SITE_URL = "https://portal.example.org"
    english = personas["youth_staff"]
    english.preferred_language = "en"
    english.save()
    Participant.objects.create(meeting=meeting, name="רות", user=personas["member"], order=1)
    Participant.objects.create(meeting=meeting, name="נועה", user=english, order=2)
    Participant.objects.create(meeting=meeting, name="אורח בלי חשבון", order=3)
    client.force_login(personas["secretariat"])
    client.post(
        reverse("admin:meetings_meeting_changelist"),
        {"action": "send_draft", "_selected_action": [meeting.pk]},
    )
    assert sorted(m.to[0] for m in mailoutbox) == sorted([personas["member"].email, english.email])
    hebrew = next(m for m in mailoutbox if m.to[0] == personas["member"].email)
    assert f"https://portal.example.org/meetings/{meeting.pk}/" in hebrew.body
    assert 'dir="rtl"' in hebrew.alternatives[0][0]
    assert "Draft protocol" in next(m for m in mailoutbox if m.to[0] == english.email).subject
    meeting.refresh_from_db()
    assert meeting.status == "sent"


def test_an_approved_protocol_is_read_only_until_reopened(client, personas, meeting):
    from meetings import services

    services.protocol_approve(meeting=meeting, by=personas["secretariat"])
    client.force_login(personas["secretariat"])
    url = reverse("admin:meetings_meeting_change", args=[meeting.pk])
    response = client.post(
        url, {"title": "שונה", "body": meeting.body.pk, "date": "2026-01-10", "status": "approved"}
    )
    meeting.refresh_from_db()
    assert meeting.title == "ישיבה"
    client.post(
        reverse("admin:meetings_meeting_changelist"), {"action": "reopen", "_selected_action": [meeting.pk]}
    )
    meeting.refresh_from_db()
    assert meeting.status == "draft"
    last = meeting.history.first()
    assert last.history_user == personas["secretariat"] and last.history_change_reason
    assert response.status_code in (200, 302, 403)
