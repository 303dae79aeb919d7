"""Plan import from .docx, .md and .txt: the tree, the targets, and every way a file can be bad."""

import io
import zipfile
from io import StringIO

import docx
import pytest
from django.core.management import CommandError, call_command
from django.utils import translation

from plans.importing import PlanDocumentError, parse_document
from plans.importing.matching import DepartmentMatcher
from plans.models import AnnualPlan, Goal

pytestmark = pytest.mark.django_db

TEXT_PLAN = """תכנית העבודה לשנת 2019

א. יעדי אגף חינוך
- הכשרה של כ- 20 מנהיגים
- **קורסים:**
- קורס ראשון
- קורס שני
ב. יעדי אגף צעירים
1. פיתוח מנהיגות
* מפגש ראשון
* 6-9 מפגשים אזוריים
2. רשת בוגרים
1. מספור שהתחיל מחדש
הערה כללית על האגף שאינה יעד.
דוברות:
• עיתון התנועה
- גיליון חודשי
"""


def _docx_bytes():
    document = docx.Document()
    document.add_paragraph("תכנית 2019", style="Title")
    document.add_paragraph("יעדי אגף חינוך", style="Heading 1")
    document.add_paragraph("תיאור האגף", style="Normal")
    document.add_paragraph("12,000 בוגרים פעילים ברשת", style="List Bullet")
    document.add_paragraph("תת יעד", style="List Bullet 2")
    document.add_paragraph("שבילים", style="Heading 2")
    document.add_paragraph("יעד ממוספר", style="List Number")
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_plain_text_headings_bullets_numbering_and_prose():
    plan = parse_document("plan.txt", TEXT_PLAN.encode())
    assert plan.title == "תכנית העבודה לשנת 2019"
    titles = [s.title for s in plan.walk_sections()]
    assert titles == ["יעדי אגף חינוך", "יעדי אגף צעירים", "דוברות:"]
    education, youth, spokesperson = plan.sections
    assert [g.text for g in education.goals] == ["הכשרה של כ- 20 מנהיגים", "קורסים:"]
    assert [g.text for g in education.goals[1].children] == ["קורס ראשון", "קורס שני"]
    assert education.goals[0].target.value == 20 and education.goals[0].target.about
    assert [g.text for g in youth.goals] == ["פיתוח מנהיגות", "רשת בוגרים", "מספור שהתחיל מחדש"]
    assert [g.text for g in youth.goals[0].children] == ["מפגש ראשון", "6-9 מפגשים אזוריים"]
    assert youth.goals[0].children[1].target.value_max == 9
    assert youth.description == ["הערה כללית על האגף שאינה יעד."]
    assert [g.text for g in spokesperson.goals[0].children] == ["גיליון חודשי"]


def test_departments_are_matched_from_headings(reference_data):
    plan = DepartmentMatcher().assign(parse_document("plan.txt", TEXT_PLAN.encode()))
    assert [s.department for s in plan.sections] == ["education", "youth", "spokesperson"]


def test_markdown_nesting_by_indentation():
    text = "# תכנית\n\n## יעדי אגף חינוך\n\nתיאור\n\n- אב\n  - בן\n    - נכד\n- שני\n"
    plan = parse_document("plan.md", text.encode())
    section = plan.sections[0]
    assert section.description == ["תיאור"]
    assert section.goals[0].children[0].children[0].text == "נכד"
    assert plan.goal_count == 4


def test_word_documents_use_heading_and_list_styles():
    plan = parse_document("plan.docx", _docx_bytes())
    assert plan.title == "תכנית 2019"
    education = plan.sections[0]
    assert education.title == "יעדי אגף חינוך"
    assert education.description == ["תיאור האגף"]
    assert education.goals[0].text == "12,000 בוגרים פעילים ברשת"
    assert education.goals[0].target.value == 12000
    assert education.goals[0].children[0].text == "תת יעד"
    assert education.children[0].title == "שבילים"
    assert education.children[0].goals[0].text == "יעד ממוספר"


@pytest.mark.parametrize(
    "name,data,message",
    [
        ("plan.txt", b"", "empty"),
        ("plan.docx", b"this is not a zip file", "Word"),
        ("plan.pdf", b"%PDF-1.4", ".docx, .md or .txt"),
        ("plan.txt", "תכנית".encode("cp1255"), "UTF-8"),
        ("plan.txt", "כותרת\nרק פסקה בלי יעדים.\n".encode(), "No goals"),
        ("plan.txt", b"a\x00b\n- x", "not a text file"),
    ],
)
def test_a_bad_file_gives_a_clear_message(name, data, message):
    with translation.override("en"), pytest.raises(PlanDocumentError, match=message):
        parse_document(name, data)


def test_the_messages_are_hebrew_for_hebrew_users():
    with translation.override("he"), pytest.raises(PlanDocumentError, match="הקובץ ריק"):
        parse_document("plan.txt", b"")


def test_a_zip_bomb_is_refused_before_it_is_unpacked():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", b"\0" * (60 * 1024 * 1024))
    assert len(buffer.getvalue()) < 1024 * 1024
    with translation.override("en"), pytest.raises(PlanDocumentError, match="too large"):
        parse_document("bomb.docx", buffer.getvalue())


def test_a_file_over_5_mb_is_refused():
    with translation.override("en"), pytest.raises(PlanDocumentError, match="5 MB"):
        parse_document("big.txt", b"- x\n" * (2 * 1024 * 1024))


def test_the_command_imports_a_body_plan(reference_data, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(TEXT_PLAN, encoding="utf-8")
    call_command("import_plan", str(path), "--year", "2019", "--owner", "cooperative-hq", stdout=StringIO())
    plan = AnnualPlan.objects.get(year=2019, body__slug="cooperative-hq")
    assert plan.goals.count() == 11
    assert plan.get_absolute_url() == "/plans/cooperative-hq/2019/"


def test_the_command_dry_run_writes_nothing(reference_data, tmp_path):
    path = tmp_path / "plan.txt"
    path.write_text(TEXT_PLAN, encoding="utf-8")
    out = StringIO()
    call_command("import_plan", str(path), "--year", "2019", "--dry-run", stdout=out)
    assert "11 goals" in out.getvalue()
    assert not AnnualPlan.objects.exists()


def test_the_command_refuses_an_existing_plan_and_an_unreadable_file(plan_2018, tmp_path):
    with pytest.raises(CommandError, match="already exists"):
        call_command("import_plan", "fixtures/source/plan-2018.md", "--year", "2018", stdout=StringIO())
    empty = tmp_path / "empty.txt"
    empty.write_bytes(b"")
    with pytest.raises(CommandError, match="ריק"):
        call_command("import_plan", str(empty), "--year", "2020", stdout=StringIO())
    assert not AnnualPlan.objects.filter(year=2020).exists()
    with pytest.raises(CommandError, match="No body"):
        call_command("import_plan", str(empty), "--year", "2020", "--owner", "nobody", stdout=StringIO())


def test_the_import_is_all_or_nothing(reference_data, monkeypatch):
    from plans import services

    plan = parse_document("plan.txt", TEXT_PLAN.encode())
    calls = {"n": 0}
    original = Goal.save

    def failing_save(self, *args, **kwargs):
        calls["n"] += 1
        if calls["n"] == 5:
            raise RuntimeError("disk full")
        return original(self, *args, **kwargs)

    monkeypatch.setattr(Goal, "save", failing_save)
    with pytest.raises(RuntimeError):
        services.plan_import(parsed=plan, year=2019)
    assert not AnnualPlan.objects.exists()
    assert not Goal.objects.exists()
