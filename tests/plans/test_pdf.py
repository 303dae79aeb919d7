"""The yearly plan and department PDF reports, read back as text and looked at as pictures."""

import os
import re
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation
from pypdf import PdfReader

from movement.formatting import hebrew_date
from tests.pdf_tools import (
    assert_in_order,
    hebrew_words,
    needs_poppler,
    page_texts,
    pdf_text,
    save_page_png,
    squeeze,
)

pytestmark = [pytest.mark.django_db, needs_poppler]

SOURCE = settings.BASE_DIR / "fixtures" / "source"


@pytest.fixture(scope="module")
def reports_2018(django_db_setup, django_db_blocker):
    """The 2018 plan with its demo progress, a few budgets and a responsible person, rendered once for
    the module: the plan in Hebrew and English, and the youth department's report. The data is rolled
    back; what the tests read is kept beside the PDFs."""
    from departments.models import Department
    from plans.demo import demo_progress_create
    from plans.models import AnnualPlan, Goal
    from plans.reports import render_department_pdf, render_plan_pdf
    from tests.factories import UserFactory

    quiet = open(os.devnull, "w")
    with django_db_blocker.unblock(), transaction.atomic():
        call_command("load_reference_data", stdout=quiet)
        call_command("import_plan", str(SOURCE / "plan-2018.md"), "--year", "2018", stdout=quiet)
        plan = AnnualPlan.objects.get(year=2018, body__isnull=True)
        youth = Department.objects.get(slug="youth")
        head = UserFactory(full_name="יואב ראש צעירים")
        demo_progress_create(plan=plan, authors={None: head, youth.pk: head})
        youth_goals = list(Goal.objects.filter(plan=plan, department=youth).order_by("order"))
        youth_goals[0].budget = Decimal(12000)
        youth_goals[0].responsible = head
        youth_goals[0].save()
        youth_goals[1].budget = Decimal(3500)
        youth_goals[1].save()
        translated = Goal.objects.get(plan=plan, text="בחינת הרעיון להקמת מכינה חצי שנתית")
        translated.text_en = "Looking into a half-year pre-army programme"
        translated.save()
        plan.refresh_from_db()
        goals = list(Goal.objects.for_plan_page(plan))
        data = SimpleNamespace(
            he=render_plan_pdf(plan, language="he"),
            en=render_plan_pdf(plan, language="en"),
            youth=render_department_pdf(plan, youth, language="he"),
            departments=sorted({goal.department.name for goal in goals if goal.department}),
            departments_en=sorted({goal.department.name_en for goal in goals if goal.department}),
            goal_texts=[goal.text for goal in goals],
            youth_texts=[goal.text for goal in goals if goal.department_id == youth.pk],
            other_texts=[goal.text for goal in goals if goal.department_id not in (None, youth.pk)],
            youth_notes=[
                goal.latest_update.note
                for goal in youth_goals
                if goal.latest_update and goal.latest_update.note
            ],
            head_name=head.full_name,
            today=timezone.localdate(),
        )
        transaction.set_rollback(True)
    return data


def test_the_plan_pdf_names_every_department_of_the_plan(reports_2018):
    text = squeeze(pdf_text(reports_2018.he))
    assert len(reports_2018.departments) >= 8
    for name in reports_2018.departments:
        assert name in text


def test_the_plan_pdf_gives_the_goals_in_the_plan_s_order(reports_2018):
    """Every 10th goal, and the phrases of the one with numbers in it, found one after the other."""
    text = pdf_text(reports_2018.he)
    sample = reports_2018.goal_texts[::10]
    phrases = [phrase for goal in sample for phrase in hebrew_words(goal)]
    assert len(sample) >= 25 and len(phrases) >= 25
    assert_in_order(text, phrases)
    # "הקמה ומיסוד של רשת הבוגרים של התנועה הקיבוצית 12,000 בוגרים פעילים ברשת": words, then number.
    assert_in_order(text, ["הקמה ומיסוד של רשת הבוגרים של התנועה הקיבוצית", "12,000", "בוגרים פעילים ברשת"])


def test_every_page_says_page_x_of_y_in_hebrew(reports_2018):
    pdf = reports_2018.he
    assert pdf.page_count == len(PdfReader(BytesIO(pdf)).pages)
    assert pdf.page_count >= 10
    for number, text in enumerate(page_texts(pdf, pdf.page_count), start=1):
        assert page_footer(text) == ("עמוד", number, "מתוך", pdf.page_count)


def page_footer(text):
    """("עמוד", 3, "מתוך", 12) from a page's text; pdftotext may glue a number to the next word."""
    match = re.search(r"(עמוד|Page)\s*(\d+)\s*(מתוך|of)\s*(\d+)", text)
    assert match, f"no footer in {text[-200:]!r}"
    return match.group(1), int(match.group(2)), match.group(3), int(match.group(4))


def test_the_contents_give_the_pages_the_sections_start_on(reports_2018):
    """Each line of the contents names a section and a page; the PDF's bookmark for that section (the
    heading WeasyPrint laid out) is on that page, and so is the heading's text."""
    pdf = reports_2018.he
    contents = pdf_text(pdf, first=2, last=2, layout=True)
    assert "תוכן העניינים" in contents or "Contents" in contents
    entries = []
    for line in contents.splitlines():
        parts = line.strip().split()
        if len(parts) >= 2 and parts[0].isdigit():
            entries.append((words(" ".join(parts[1:])), int(parts[0])))
    assert len(entries) >= 30

    reader = PdfReader(BytesIO(pdf))
    bookmarks = []

    def walk(outline):
        for item in outline:
            if isinstance(item, list):
                walk(item)
            else:
                bookmarks.append((words(item.title), reader.get_destination_page_number(item) + 1))

    walk(reader.outline)
    pages = page_texts(pdf, pdf.page_count)
    position = 0
    for title, page in entries:
        found = next((i for i in range(position, len(bookmarks)) if bookmarks[i][0] == title), None)
        assert found is not None, f"no bookmark for the contents line {title!r}"
        assert bookmarks[found][1] == page, (
            f"{title!r}: contents say page {page}, it starts on {bookmarks[found][1]}"
        )
        assert title in words(pages[page - 1])
        position = found + 1


def words(text):
    """The Hebrew words of `text`, one space apart (pdftotext moves commas across direction changes)."""
    return " ".join(hebrew_words(text))


def test_the_cover_gives_the_plan_its_year_and_the_date_in_both_calendars(reports_2018):
    cover = squeeze(pdf_text(reports_2018.he, first=1, last=1))
    assert "תכנית העבודה לשנת" in cover and "2018" in cover
    assert "התנועה הקיבוצית" in cover
    assert reports_2018.today.strftime("%d.%m.%Y") in cover
    assert hebrew_date(reports_2018.today) in cover


def test_goal_rows_show_status_progress_target_reached_and_responsible(reports_2018):
    text = squeeze(pdf_text(reports_2018.he))
    with translation.override("he"):
        from plans.models import ProgressUpdate

        for status in ProgressUpdate.Status:
            assert str(status.label) in text
    assert "12,000" in text  # a target
    assert "%" in text
    assert reports_2018.head_name in text  # the responsible person of the first youth goal
    assert "₪15,500" in text  # the youth department's budget in the summary (12,000 + 3,500)


def test_the_department_report_has_its_goals_and_latest_notes_only(reports_2018):
    pdf = reports_2018.youth
    text = squeeze(pdf_text(pdf))
    assert "אגף צעירים" in text
    for goal in reports_2018.youth_texts:
        for phrase in hebrew_words(goal):
            assert squeeze(phrase) in text
    strangers = [goal for goal in reports_2018.other_texts if len(goal) > 30]
    assert strangers and not any(squeeze(goal) in text for goal in strangers)
    assert reports_2018.youth_notes
    for note in reports_2018.youth_notes:
        assert note in text
    assert page_footer(text) == ("עמוד", 1, "מתוך", pdf.page_count)


def test_the_english_plan_pdf_has_english_labels_and_content_in_its_language(reports_2018):
    text = squeeze(pdf_text(reports_2018.en))
    pdf = reports_2018.en
    assert page_footer(text) == ("Page", 1, "of", pdf.page_count)
    assert "Contents" in text and "Progress by department" in text
    for name in reports_2018.departments_en:
        assert name in text
    assert "Looking into a half-year pre-army programme" in text
    assert "בחינת הרעיון להקמת מכינה חצי שנתית" not in text
    # Goals without an English text stay in Hebrew, as written.
    assert "הטמעת המצפן הערכי" in text
    assert reports_2018.today.strftime("%d.%m.%Y") in text


def test_the_pages_are_drawn_for_a_look(reports_2018, artifacts):
    """Cover, contents, a department's first page and the department report, as PNGs to look at."""
    pdf = reports_2018.he
    pages = page_texts(pdf, pdf.page_count)
    youth_page = next(i for i, text in enumerate(pages, start=1) if "יעדי אגף צעירים" in text and i > 2)
    shots = [
        save_page_png(pdf, 1, artifacts / "pdf-plan-2018-he-cover.png"),
        save_page_png(pdf, 2, artifacts / "pdf-plan-2018-he-contents.png"),
        save_page_png(pdf, 3, artifacts / "pdf-plan-2018-he-summary.png"),
        save_page_png(pdf, youth_page, artifacts / "pdf-plan-2018-he-youth.png"),
        save_page_png(reports_2018.en, youth_page, artifacts / "pdf-plan-2018-en-youth.png"),
        save_page_png(reports_2018.youth, 3, artifacts / "pdf-department-youth-he.png"),
    ]
    for shot in shots:
        assert shot.stat().st_size > 5000


def test_the_plan_report_reads_the_plan_in_a_fixed_number_of_queries(reference_data):
    """Sections, partners, goals (with latest update, department, unit, responsible), the plan's body."""
    from plans.demo import synthetic_plan
    from plans.reports import render_plan_pdf

    counts = []
    for year, goals in ((2031, 20), (2032, 200)):
        plan = synthetic_plan(year=year, goals=goals, sections=8)
        with CaptureQueriesContext(connection) as queries:
            pdf = render_plan_pdf(plan)
        assert pdf.startswith(b"%PDF-")
        counts.append(len(queries))
    assert counts[0] == counts[1] <= 4


def test_export_plan_pdf_writes_the_plan_and_a_department_report(reference_data, tmp_path):
    from plans.demo import synthetic_plan

    synthetic_plan(year=2031, goals=30, sections=6)
    output = tmp_path / "plan.pdf"
    call_command("export_plan_pdf", "2031", "-o", str(output), stdout=open(os.devnull, "w"))
    reader = PdfReader(output)
    assert len(reader.pages) >= 3
    assert "יעד מספר 7" in squeeze(pdf_text(output.read_bytes()))

    department = tmp_path / "youth.pdf"
    call_command(
        "export_plan_pdf", "2031", "--department", "youth", "--language", "en", "-o", str(department),
        stdout=open(os.devnull, "w"),
    )  # fmt: skip
    assert department.read_bytes().startswith(b"%PDF-")


def test_export_plan_pdf_says_clearly_when_there_is_no_such_plan(reference_data, tmp_path):
    from plans.demo import synthetic_plan

    synthetic_plan(year=2031, goals=3, sections=1)
    output = str(tmp_path / "x.pdf")
    with translation.override("en"):
        with pytest.raises(CommandError, match="There is no 1999 plan of the movement"):
            call_command("export_plan_pdf", "1999", "-o", output)
        with pytest.raises(CommandError, match='There is no 2031 plan of the body "nope"'):
            call_command("export_plan_pdf", "2031", "--body", "nope", "-o", output)
        with pytest.raises(CommandError, match='There is no department with the slug "nope"'):
            call_command("export_plan_pdf", "2031", "--department", "nope", "-o", output)
    assert not (tmp_path / "x.pdf").exists()
