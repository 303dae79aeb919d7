"""The protocol PDF of the 21.12.2010 meeting, read back as text and looked at as a picture."""

import datetime
import json
import os
import re
from pathlib import Path

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import translation

from meetings.models import Decision, Meeting, Participant
from meetings.reports import render_protocol_pdf
from movement.formatting import hebrew_date
from tests.pdf_tools import assert_in_order, hebrew_words, needs_poppler, pdf_text, save_page_png, squeeze

pytestmark = [pytest.mark.django_db, needs_poppler]

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "source"
FIXTURE = json.loads((SOURCE / "protocol-2010-12-21.json").read_text(encoding="utf-8"))


@pytest.fixture
def protocol(reference_data):
    """The 2010 protocol, its first decision given an owner, a due date and a status."""
    from tests.factories import UserFactory

    call_command("load_protocol", str(SOURCE / "protocol-2010-12-21.json"), stdout=open(os.devnull, "w"))
    meeting = Meeting.objects.get(date="2010-12-21")
    decision = Decision.objects.filter(meeting=meeting).order_by("item__order", "number").first()
    decision.owner = UserFactory(full_name="אורי אופיר")
    decision.due_date = datetime.date(2011, 1, 31)
    decision.status = Decision.Status.IN_PROGRESS
    decision.save()
    return meeting


@pytest.fixture
def protocol_pdf(protocol):
    return render_protocol_pdf(protocol)


def test_the_heading_gives_body_title_dates_in_both_calendars_and_recorder(protocol_pdf):
    text = squeeze(pdf_text(protocol_pdf, first=1, last=1))
    assert "מזכירות המטה השיתופי" in text
    assert "סיכום ישיבת מזכירות המטה השיתופי מיום" in text and "21.12.2010" in text
    assert hebrew_date(datetime.date(2010, 12, 21)) in text
    assert "29.12.2010" in text and hebrew_date(datetime.date(2010, 12, 29)) in text
    assert "אלישע שפירא" in text
    assert "12.10.2010" in text  # the protocol it approves


def test_every_participant_is_listed_with_attendance(protocol, protocol_pdf):
    text = squeeze(pdf_text(protocol_pdf))
    with translation.override("he"):
        present = str(Participant.Attendance.PRESENT.label)
    assert present in text
    assert_in_order(text, [p["name"] for p in FIXTURE["participants"]])
    assert "24" in text and "23" in text  # 24 listed, 23 stated: both said


def test_agenda_items_statements_and_decisions_come_in_the_protocol_s_order(protocol_pdf):
    """Items by letter and title, each speaker's name before the Hebrew of what they said, then the
    decisions of the item: the same order as the reviewed fixture."""
    text = pdf_text(protocol_pdf)
    phrases = []
    for item in FIXTURE["items"]:
        phrases += hebrew_words(item["title"])[:1]
        for statement in item["statements"]:
            if statement["speaker"]:
                phrases.append(statement["speaker"])
            phrases += hebrew_words(statement["text"])[:2]
        for decision in item["decisions"]:
            # The first words only: pdftotext interleaves the cells of a table row line by line.
            phrases.append(" ".join(hebrew_words(decision["text"])[0].split()[:4]))
    assert len(phrases) > 40
    assert_in_order(text, phrases)


def test_a_decision_shows_its_owner_due_date_and_status(protocol_pdf):
    text = squeeze(pdf_text(protocol_pdf))
    with translation.override("he"):
        in_progress = str(Decision.Status.IN_PROGRESS.label)
        agreed = translation.gettext("Agreed")
    assert agreed in text
    assert "אורי אופיר" in text
    assert "31.01.2011" in text
    assert in_progress in text


def test_every_page_says_page_x_of_y_in_hebrew(protocol_pdf):
    for number in range(1, protocol_pdf.page_count + 1):
        text = pdf_text(protocol_pdf, first=number, last=number)
        match = re.search(r"עמוד\s*(\d+)\s*מתוך\s*(\d+)", text)
        assert match, f"no Hebrew footer on page {number}"
        assert (int(match.group(1)), int(match.group(2))) == (number, protocol_pdf.page_count)


def test_the_english_protocol_has_english_labels_and_the_hebrew_protocol(protocol):
    pdf = render_protocol_pdf(protocol, language="en")
    text = squeeze(pdf_text(pdf))
    assert "Participants" in text and "Meeting date" in text and "Agreed" in text
    assert f"Page 1 of {pdf.page_count}" in text.replace("Page 1of", "Page 1 of")
    assert "Cooperative" in text or "מזכירות המטה השיתופי" in text  # the body's English name, if it has one
    assert "אלישע שפירא" in text
    assert "21.12.2010" in text


def test_the_protocol_reads_the_meeting_in_a_fixed_number_of_queries(protocol):
    """Meeting (body, recorder, approved meeting), participants (kibbutz), items, statements (speaker),
    decisions (owner)."""
    with CaptureQueriesContext(connection) as queries:
        render_protocol_pdf(protocol)
    assert len(queries) <= 5


def test_the_protocol_page_is_drawn_for_a_look(protocol, protocol_pdf, artifacts):
    shots = [
        save_page_png(protocol_pdf, 1, artifacts / "pdf-protocol-2010-he-1.png"),
        save_page_png(protocol_pdf, 2, artifacts / "pdf-protocol-2010-he-2.png"),
        save_page_png(
            render_protocol_pdf(protocol, language="en"), 1, artifacts / "pdf-protocol-2010-en-1.png"
        ),
    ]
    for shot in shots:
        assert shot.stat().st_size > 5000
