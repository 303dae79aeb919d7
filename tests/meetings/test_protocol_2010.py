"""The 2010 protocol in the portal matches the seed text item by item and speaker by speaker."""

import json
import re
from pathlib import Path

import pytest
from django.core.management import call_command

from meetings.models import Decision, Meeting

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "source"
FIXTURE = json.loads((SOURCE / "protocol-2010-12-21.json").read_text(encoding="utf-8"))
SEED = (SOURCE / "protocol-2010-12-21.txt").read_text(encoding="utf-8")


def normalise(line):
    return re.sub(r"^([·\-•])\s+", r"\1 ", line.strip())


@pytest.fixture
def protocol(reference_data):
    call_command("load_protocol", str(SOURCE / "protocol-2010-12-21.json"), stdout=open("/dev/null", "w"))
    return Meeting.objects.get(date="2010-12-21")


def test_the_reviewed_fixture_holds_every_line_of_the_seed_in_order():
    """Walk the seed's protocol body and the fixture's statements and decisions together."""
    lines = [normalise(line) for line in SEED.splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if line.startswith("השתתפו:"))
    texts = []
    for item in FIXTURE["items"]:
        texts += [normalise(t) for statement in item["statements"] for t in statement["text"].splitlines()]
        texts += [normalise(decision["text"]) for decision in item["decisions"]]
    position = start
    for text in texts:
        found = next((i for i in range(position, len(lines)) if text in lines[i]), None)
        assert found is not None, f"not in the seed after line {position}: {text}"
        position = found


def test_participants_24_listed_23_stated(protocol):
    participants = list(protocol.participants.all())
    assert len(participants) == 24
    assert protocol.stated_participant_count == 23
    from_kibbutzim = [p for p in participants if p.kibbutz_id]
    assert len(from_kibbutzim) == 16
    assert len({p.kibbutz_id for p in from_kibbutzim}) == 14
    assert sorted(p.affiliation for p in participants if not p.kibbutz_id) == sorted(
        ["השומר הצעיר"] * 3 + ["צעירים", "קואופרציה", "המטה השיתופי", "אגף המשימות", "מעוף"]
    )


def test_the_meeting_heading_and_dates(protocol):
    assert protocol.body.name == "מזכירות המטה השיתופי"
    assert str(protocol.date) == "2010-12-21" and str(protocol.written_on) == "2010-12-29"
    assert protocol.recorder.name == "אלישע שפירא"
    assert protocol.approves is not None and str(protocol.approves.date) == "2010-10-12"


def test_items_a_to_d_with_item_a_outcome(protocol):
    items = list(protocol.items.all())
    assert [item.label for item in items] == ["א", "ב", "ג", "ד"]
    assert items[0].outcome.startswith("הפרוטוקול אושר")
    assert items[0].title.startswith("אישור פרוטוקול הישיבה הקודמת")
    assert not items[0].decisions.exists()


def test_speakers_are_linked_to_the_right_participants(protocol):
    statements = [s for item in protocol.items.all() for s in item.statements.all()]
    by_written = {s.speaker_as_written: s for s in statements if s.speaker_as_written}
    assert by_written["מנצ'ר"].speaker.name == "אברהם (מנצ'ר) דבורי"
    assert any(s.speaker and s.speaker.name == "מריו טויב" for s in statements)
    team = [s for s in statements if s.group_name]
    assert len(team) == 1 and "איציק צפדיה" in team[0].group_members
    assert team[0].item.label == "ד"
    expected = [(item["label"], len(item["statements"])) for item in FIXTURE["items"]]
    assert [(item.label, item.statements.count()) for item in protocol.items.all()] == expected


def test_three_decisions_word_for_word_including_the_cut_off_one(protocol):
    decisions = list(Decision.objects.filter(meeting=protocol).order_by("item__order", "number"))
    assert [(d.item.label, d.number) for d in decisions] == [("ג", 1), ("ג", 2), ("ד", 1)]
    assert decisions[1].text.endswith("לאישו")
    fixture_texts = [d["text"] for item in FIXTURE["items"] for d in item["decisions"]]
    assert [d.text for d in decisions] == fixture_texts
    for text in fixture_texts:
        assert text in SEED


def test_loading_twice_changes_nothing(protocol):
    call_command("load_protocol", str(SOURCE / "protocol-2010-12-21.json"), stdout=open("/dev/null", "w"))
    assert Meeting.objects.filter(date="2010-12-21").count() == 1


def test_the_meeting_page_reads_like_the_protocol(client, personas, protocol):
    client.force_login(personas["member"])
    body = client.get(protocol.get_absolute_url()).content.decode()
    assert "21.12.2010" in body and "י״ד בטבת תשע״א" in body
    assert "כ״ב בטבת תשע״א" in body  # written on 29.12.2010
    assert "24" in body and "23" in body
    assert 'class="flag"' in body
    for name in ("משה רוזן", "מריו טויב", "אלישע שפירא"):
        assert name in body


def test_the_protocol_loads_whatever_language_is_active(reference_data):
    from django.core.management import call_command
    from django.utils import translation

    from meetings.models import Meeting

    with translation.override("en"):
        call_command(
            "load_protocol", "fixtures/source/protocol-2010-12-21.json", stdout=open("/dev/null", "w")
        )
    assert Meeting.objects.filter(date="2010-12-21").exists()
