"""The 2018 plan in the portal matches the seed document bullet for bullet, targets included."""

import csv
import re
from decimal import Decimal
from pathlib import Path

import pytest

from plans.importing import parse_text
from plans.models import Goal, PlanSection

pytestmark = pytest.mark.django_db

SOURCE = Path(__file__).resolve().parents[2] / "fixtures" / "source"


def seed_goal_texts():
    """Every line of the seed that starts with - or • is a goal, word for word (** dropped, trimmed)."""
    texts = []
    for line in (SOURCE / "plan-2018.txt").read_text(encoding="utf-8").splitlines():
        match = re.match(r"^\s*[-•]\s*(.*)$", line)
        if match:
            texts.append(match.group(1).replace("**", "").strip())
    return texts


def outline_goal_texts():
    return [
        goal.text for goal in parse_text((SOURCE / "plan-2018.md").read_text(encoding="utf-8")).all_goals()
    ]


def test_the_seed_has_254_goals_244_dashes_and_10_bullets():
    lines = (SOURCE / "plan-2018.txt").read_text(encoding="utf-8").splitlines()
    assert sum(1 for line in lines if re.match(r"^\s*-", line)) == 244
    assert sum(1 for line in lines if re.match(r"^\s*•", line)) == 10
    assert len(seed_goal_texts()) == 254


def test_the_reviewed_outline_has_the_seed_goals_line_by_line():
    assert outline_goal_texts() == seed_goal_texts()


def test_the_database_matches_the_seed_bullet_for_bullet(plan_2018):
    texts = list(Goal.objects.filter(plan=plan_2018).order_by("order").values_list("text", flat=True))
    assert texts == seed_goal_texts()


def test_nesting_follows_the_reading_rules(plan_2018):
    courses = Goal.objects.get(plan=plan_2018, text="קורסים:")
    assert courses.children.count() == 6
    assert courses.children.order_by("order").first().text == "קורס מנהלי קהילה קיבוצית מחזור 6 – 28 משתתפים"
    agriculture = Goal.objects.get(plan=plan_2018, text="חקלאות")
    assert agriculture.children.count() == 3
    networked = Goal.objects.get(plan=plan_2018, text="הטמעת עבודה רשתית במטה התנועה הקיבוצית")
    assert list(networked.children.order_by("order").values_list("text", flat=True)) == [
        "כלכלה שיתופית וקואופרציה",
        "ניהול ידע",
        "הקמת קיבוצים עירוניים",
    ]


def test_a_text_that_occurs_twice_stays_twice(plan_2018):
    assert (
        Goal.objects.filter(plan=plan_2018, text="תכנית קורס ניהול מתקדם - אוניברסיטת בר אילן").count() == 2
    )


def test_departments_own_their_sections_as_the_seed_notes_say(plan_2018):
    def owner(title):
        section = PlanSection.objects.get(plan=plan_2018, title=title)
        return section.department.slug if section.department else None

    assert owner("מטרות העל") is None
    assert owner("יעדים כלליים") is None
    assert owner("יעדי יחידת הרכזים") == "coordinators"
    assert owner("יעדי אגף חינוך") == "education"
    for title in ("כללי", "הגן הקיבוצי", "שבילים", "שנת שרות", "הכנה לשרות משמעותי"):
        section = PlanSection.objects.get(plan=plan_2018, title=title, parent__title="יעדי אגף חינוך")
        assert section.department.slug == "education", title
    assert owner("יעדי אגף צעירים") == "youth"
    assert owner("פיתוח מנהיגות צעירה") == "youth"
    assert owner("יעדי אגף חברה וקהילה") == "society-community"
    for title, unit in (
        ("מטה תרבות", "culture-staff"),
        ("היחידה לנשים ומגדר", "women-gender"),
        ("קאופרציה", "cooperation"),
    ):
        section = PlanSection.objects.get(plan=plan_2018, title=title)
        assert (section.department.slug, section.unit.slug) == ("society-community", unit)
    economy = PlanSection.objects.get(plan=plan_2018, title="יעדי אגף כלכלה בשיתוף המחלקה המשפטית")
    assert economy.department.slug == "economy"
    assert list(economy.partners.values_list("slug", flat=True)) == ["legal"]
    assert owner("מחלקות נוספות") is None
    assert owner("דוברות:") == "spokesperson"
    assert owner("משפטית:") == "legal"
    assert owner("פוליטית:") == "political"


def test_goals_belong_to_their_sections_department(plan_2018):
    goal = Goal.objects.get(plan=plan_2018, text="קורסים:")
    assert goal.department.slug == "society-community"
    assert not Goal.objects.filter(
        plan=plan_2018, section__title="מטרות העל", department__isnull=False
    ).exists()


def test_prose_lines_are_section_descriptions(plan_2018):
    assert PlanSection.objects.get(plan=plan_2018, title="יעדי יחידת הרכזים").description == (
        "תושלים יחידת הרכזים כדרג השטח של מטה התנועה"
    )
    assert PlanSection.objects.get(plan=plan_2018, title="פוליטית:").description == (
        "מטרת על: פעילות פוליטית ומפלגתית באיזורים ובקיבוצים."
    )
    assert plan_2018.intro == "מטרות, יעדים ותקציב"
    assert plan_2018.title == "תכנית העבודה לשנת 2018"


def reviewed_targets():
    with open(SOURCE / "plan-2018-targets.csv", encoding="utf-8", newline="") as handle:
        return {row["goal_text"]: row for row in csv.DictReader(handle)}


def test_targets_match_the_reviewed_table_for_every_goal(plan_2018):
    table = reviewed_targets()
    goals = Goal.objects.filter(plan=plan_2018)
    for goal in goals:
        row = table.get(goal.text)
        if row is None:
            assert goal.target_value is None, goal.text
            continue
        assert goal.target_value == Decimal(row["value"]), goal.text
        assert goal.target_max == (Decimal(row["value_max"]) if row["value_max"] else None), goal.text
        assert goal.target_unit == row["unit"], goal.text
        assert goal.target_is_about == (row["about"] == "1"), goal.text
        assert goal.target_is_increase == (row["increase"] == "1"), goal.text
    assert goals.filter(target_value__isnull=False).count() == len(table) == 17


@pytest.mark.parametrize(
    "text,expected",
    [
        ("הכשרה של כ- 20 מנהיגים", ("20", None, "מנהיגים", True, False)),
        ("12,000 בוגרים פעילים ברשת", ("12000", None, "בוגרים", False, False)),
        ("הגדלת כמות המתנדבים בקיבוצים ב-7%", ("7", None, "%", False, True)),
        ("קורס מנהלי קהילה קיבוצית מחזור 6 – 28 משתתפים", ("28", None, "משתתפים", False, False)),
        ("6-9 מפגשים אזוריים", ("6", "9", "מפגשים", False, False)),
        ("3-4 מפגשים", ("3", "4", "מפגשים", False, False)),
        ("כ-4 ימי עיון", ("4", None, "ימי עיון", True, False)),
        ("כניסה לעבודה משותפת עם עוד שתי מועצות.", ("2", None, "מועצות", False, False)),
    ],
)
def test_the_importer_suggests_the_targets_the_notes_give(text, expected):
    from plans.importing import suggest_target

    target = suggest_target(text)
    value, value_max, unit, about, increase = expected
    assert (target.value, target.value_max, target.unit, target.about, target.increase) == (
        Decimal(value),
        Decimal(value_max) if value_max else None,
        unit,
        about,
        increase,
    )


@pytest.mark.parametrize(
    "text",
    [
        "כנס הנהגות הקיבוצים 2018",
        "לקראת 2019",
        "ציון 50 שנים לתנועה",
        "פסגת G-8",
        "תיקון 27 לחוק",
        "לקראת ה-70",
        "קורס להעשרת מרכזי משק מחזור 3",
    ],
)
def test_years_anniversaries_names_and_cohorts_are_not_targets(text):
    from plans.importing import suggest_target

    assert suggest_target(text) is None
