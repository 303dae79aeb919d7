"""Language of parts (WCAG 3.1.2): content in the other language than the page's says so."""

import re

import pytest
from django.conf import settings
from django.core.management import call_command
from django.template import engines
from django.utils import translation
from django.utils.html import escape

from meetings.models import Meeting, Statement
from movement.templatetags.portal import content_lang
from plans.models import Goal

HEBREW = ' lang="he" dir="rtl"'
ENGLISH = ' lang="en" dir="ltr"'
AUTO = ' dir="auto"'
ENGLISH_GOAL = "Open three new youth groups in the Negev by the end of the year."


def opening_tags(body, pattern):
    """The opening tags in `body` matching the regular expression `pattern`."""
    return re.findall(rf"<{pattern}[^>]*>", body)


def goal_links(body):
    """{goal text: attributes of its link} for the goal links of a plan page."""
    return {
        text: attributes
        for attributes, text in re.findall(r'<a class="goal__text"([^>]*) href="[^"]*">([^<]*)</a>', body)
    }


@pytest.fixture
def english_member(personas):
    member = personas["member"]
    member.preferred_language = "en"
    member.save()
    return member


@pytest.fixture
def protocol(reference_data):
    # In Hebrew: the loader finds kibbutzim by `name`, which follows the active language.
    with translation.override("he"):
        call_command(
            "load_protocol",
            str(settings.BASE_DIR / "fixtures/source/protocol-2010-12-21.json"),
            stdout=open("/dev/null", "w"),
        )
    return Meeting.objects.get(date="2010-12-21")


# The tag ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("page", "value", "expected"),
    [
        ("en", "הרחבת רשת הבוגרים", HEBREW),
        ("en", "12,000 בוגרים ברשת", HEBREW),  # digits first: the first letter decides
        ("he", "הרחבת רשת הבוגרים", AUTO),
        ("he", "Open new youth groups", ENGLISH),
        ("he", "(3) groups", ENGLISH),
        ("en", "Open new youth groups", AUTO),
        ("he", "2018", AUTO),
        ("en", "12,000 – 15%", AUTO),
        ("he", "", AUTO),
        ("en", "", AUTO),
        ("en", None, AUTO),
        ("he", "مرحبا", AUTO),  # another script: no language claimed, the browser guesses the direction
    ],
)
def test_the_tag_marks_content_against_the_page(page, value, expected):
    with translation.override(page):
        assert content_lang(value) == expected


def test_the_tag_reads_any_value_as_text_and_renders_as_an_attribute():
    template = engines["django"].from_string("{% load portal %}<p{% content_lang value %}>{{ value }}</p>")
    with translation.override("en"):
        assert template.render({"value": "יעד"}) == '<p lang="he" dir="rtl">יעד</p>'
        assert template.render({"value": 2018}) == '<p dir="auto">2018</p>'
    with translation.override("he"):
        assert template.render({"value": "A goal"}) == '<p lang="en" dir="ltr">A goal</p>'
        assert template.render({}) == '<p dir="auto"></p>'


# Pages --------------------------------------------------------------------------------------------


@pytest.mark.django_db
def test_an_english_plan_page_marks_the_hebrew_goals_and_sections(client, english_member, plan_2018):
    client.force_login(english_member)
    body = client.get("/plans/2018/").content.decode()
    assert '<html lang="en" dir="ltr"' in body
    links = goal_links(body)
    assert links and set(links.values()) == {HEBREW}
    alumni = Goal.objects.get(plan=plan_2018, text_he__contains="12,000 בוגרים")
    assert links[escape(alumni.text)] == HEBREW
    titles = opening_tags(body, 'span class="plan-section__title"')
    assert titles and all(HEBREW in tag for tag in titles)
    assert f"<h1{HEBREW}>{escape(plan_2018.title)}</h1>" in body


@pytest.mark.django_db
def test_an_english_goal_page_marks_the_hebrew_goal(client, english_member, plan_2018):
    goal = Goal.objects.filter(plan=plan_2018).order_by("pk").first()
    client.force_login(english_member)
    body = client.get(goal.get_absolute_url()).content.decode()
    assert f'<h1 class="goal-title"{HEBREW}>{escape(goal.text)}</h1>' in body


@pytest.mark.django_db
def test_an_english_meeting_page_marks_the_hebrew_protocol(client, english_member, protocol):
    client.force_login(english_member)
    body = client.get(protocol.get_absolute_url()).content.decode()
    assert '<html lang="en" dir="ltr"' in body
    assert f"<h1{HEBREW}>{escape(str(protocol))}</h1>" in body
    statements = opening_tags(body, 'div class="statement__text"')
    assert len(statements) == Statement.objects.filter(item__meeting=protocol).count()
    assert all(HEBREW in tag for tag in statements)
    for decision in protocol.decisions.all():
        assert f'<a href="{decision.get_absolute_url()}"{HEBREW}>{escape(decision.text)}</a>' in body
    assert f'<span class="participant"><span{HEBREW}>משה רוזן' in body
    items = opening_tags(body, r'h2 id="item-\d+"')
    assert items and all(HEBREW in tag for tag in items)


@pytest.mark.django_db
def test_a_hebrew_page_marks_an_english_goal(client, personas, plan_2018):
    goal = Goal.objects.filter(plan=plan_2018).order_by("pk").first()
    goal.text_he = ENGLISH_GOAL
    goal.save()
    client.force_login(personas["member"])
    body = client.get("/plans/2018/").content.decode()
    links = goal_links(body)
    assert links[ENGLISH_GOAL] == ENGLISH
    assert sum(attributes == ENGLISH for attributes in links.values()) == 1
    body = client.get(goal.get_absolute_url()).content.decode()
    assert f'<h1 class="goal-title"{ENGLISH}>{ENGLISH_GOAL}</h1>' in body


@pytest.mark.django_db
def test_a_hebrew_page_with_hebrew_content_claims_no_language_on_its_blocks(
    client, personas, plan_2018, protocol
):
    client.force_login(personas["member"])
    body = client.get("/plans/2018/").content.decode()
    assert '<html lang="he" dir="rtl"' in body
    links = goal_links(body)
    assert links and set(links.values()) == {AUTO}
    titles = opening_tags(body, 'span class="plan-section__title"')
    assert titles and not any("lang=" in tag for tag in titles)
    goal = Goal.objects.filter(plan=plan_2018).order_by("pk").first()
    body = client.get(goal.get_absolute_url()).content.decode()
    assert f'<h1 class="goal-title"{AUTO}>' in body
    body = client.get(protocol.get_absolute_url()).content.decode()
    blocks = opening_tags(body, 'div class="statement__text"') + opening_tags(body, r'h2 id="item-\d+"')
    assert blocks and not any("lang=" in tag for tag in blocks)
    assert f"<h1{AUTO}>" in body
