"""The search box: Hebrew prefixes, every kind, what each role may read, bad input, query counts."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from meetings.models import AgendaItem, Decision, Meeting, Participant, Statement
from movement import search
from movement.models import Body, Kibbutz
from plans.models import AnnualPlan, Goal, PlanSection
from tests.factories import big_plan
from visits.demo import synthetic_visits
from visits.models import NotesRead, Visit

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _hebrew():
    """Each test starts in the site's language (a request in English leaves English active in the thread)."""
    with translation.override("he"):
        yield


@pytest.fixture
def world(personas):
    """One of each kind, each with a word the tests look for under another prefix."""
    plan = AnnualPlan.objects.create(year=2031, title="תכנית העבודה 2031", title_en="Work plan 2031")
    section = PlanSection.objects.create(plan=plan, order=1, title="צעירים")
    goal = Goal.objects.create(
        plan=plan,
        section=section,
        order=1,
        text="חיזוק הקשר עם קיבוצים צעירים בנגב",
        text_en="Strengthen ties with young kibbutzim in the Negev",
    )
    archived = Goal.objects.create(
        plan=plan, section=section, order=2, text="יעד ישן על מגדלור הגליל", is_archived=True
    )
    hebrew_only = Goal.objects.create(plan=plan, section=section, order=3, text="הרחבת מעגל המתנדבים")
    body = Body.objects.get(slug="cooperative-hq-secretariat")
    meeting = Meeting.objects.create(body=body, date=datetime.date(2031, 3, 1), status="held")
    item = AgendaItem.objects.create(meeting=meeting, order=1, label="א", title="תכנית שנתית")
    speaker = Participant.objects.create(meeting=meeting, name="דנה דובר")
    statement = Statement.objects.create(
        item=item, order=1, speaker=speaker, text="יש לפעול להעמקת השותפות בין האגפים"
    )
    decision = Decision.objects.create(
        meeting=meeting, item=item, number=1, text="סוכם להעביר את התוכנית לאישור המזכירות"
    )
    visit = Visit.objects.create(
        coordinator=personas["negev_coordinator"], summary="שיחה על פרויקט זרעונים ובניית שכונה"
    )
    visit.kibbutzim.add(Kibbutz.objects.get(slug="beeri"))
    return {
        "goal": goal,
        "archived": archived,
        "hebrew_only": hebrew_only,
        "statement": statement,
        "decision": decision,
        "visit": visit,
        "meeting": meeting,
    }


def results(client, q, **params):
    response = client.get(reverse("search"), {"q": q, **params})
    return response, response.content.decode()


def found_kinds(response):
    return {group.kind: group for group in response.context["groups"] or []}


# The rule ------------------------------------------------------------------------------------------


def test_a_word_stands_also_for_itself_without_up_to_two_prefix_letters():
    assert search.variants("והקיבוצים") == ["והקיבוצים", "הקיבוצים", "קיבוצים"]
    assert search.variants("בתוכנית") == ["בתוכנית", "תוכנית"]
    assert search.variants("להעמקת") == ["להעמקת", "העמקת", "עמקת"]
    # Three letters must remain, and no more than two come off.
    assert search.variants("בית") == ["בית"]
    assert search.variants("שלום") == ["שלום", "לום"]
    assert search.variants("ומהשכונה") == ["ומהשכונה", "מהשכונה", "השכונה"]
    assert search.variants("kibbutz") == ["kibbutz"]


def test_the_query_is_read_as_lowercased_words_without_points_or_punctuation():
    assert search.parse("  Kibbutz, ו-שָׁלוֹם!  kibbutz ") == ["kibbutz", "שלום"]


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("ועדת הקיבוצים", True),  # query without the prefix, text with it
        ("לקיבוצים ולמושבים", True),
        ("קיבוץ אחד", True),  # the final letter of the singular
        ("קבוצה", False),
        ("ביקור בקיבוצניק", True),  # words go on after the match (inflection)
    ],
)
def test_a_text_word_matches_after_up_to_two_prefix_letters_of_its_own(text, found):
    pattern = re.compile(search.word_pattern("קיבוץ"), re.IGNORECASE)
    assert bool(pattern.search(text)) is found


def test_highlighting_escapes_the_text_first_and_marks_whole_words():
    snippet = search.highlight('<b>"היעד"</b> של הקיבוצים & co', ["קיבוץ"])
    assert snippet == "&lt;b&gt;&quot;היעד&quot;&lt;/b&gt; של <mark>הקיבוצים</mark> &amp; co"


def test_a_long_text_is_cut_around_its_first_match():
    text = "מילה " * 100 + "הקיבוצים" + " סוף" * 100
    snippet = search.highlight(text, ["קיבוצים"])
    assert snippet.startswith("…") and snippet.endswith("…")
    assert "<mark>הקיבוצים</mark>" in snippet
    assert len(snippet) < search.SNIPPET + 40


# Every kind, prefixed words ---------------------------------------------------------------------------


def test_a_prefixed_word_finds_the_plain_one_in_a_goal(client, personas, world):
    client.force_login(personas["member"])
    response, body = results(client, "והקיבוצים")
    assert response.status_code == 200
    assert [goal.pk for goal in found_kinds(response)["goals"].items] == [world["goal"].pk]
    assert "חיזוק הקשר עם <mark>קיבוצים</mark> צעירים בנגב" in body
    assert world["goal"].get_absolute_url() in body


def test_each_kind_is_found_by_a_word_under_another_prefix(client, personas, world):
    client.force_login(personas["secretariat"])
    cases = {
        "goals": ("בקיבוצים", world["goal"]),
        "decisions": ("בתוכנית", world["decision"]),  # the text says "התוכנית"
        "statements": ("העמקת", world["statement"]),  # the text says "להעמקת"
        "visits": ("וזרעונים", world["visit"]),  # the text says "זרעונים"
        "kibbutzim": ("לבארי", Kibbutz.objects.get(slug="beeri")),
    }
    for kind, (query, expected) in cases.items():
        response, _body = results(client, query)
        assert expected in found_kinds(response)[kind].items, (kind, query)


def test_every_word_of_the_query_must_be_found(client, personas, world):
    client.force_login(personas["member"])
    response, _body = results(client, "קיבוצים בנגב")
    assert found_kinds(response)["goals"].items == [world["goal"]]
    response, _body = results(client, "קיבוצים בגליל")
    assert "goals" not in found_kinds(response)


def test_english_content_is_searched_and_shown_in_english_with_its_direction(client, personas, world):
    member = personas["member"]
    member.preferred_language = "en"
    member.save(update_fields=["preferred_language"])
    client.force_login(member)
    response, body = results(client, "kibbutz")
    assert found_kinds(response)["goals"].items == [world["goal"]]
    assert "Strengthen ties with young <mark>kibbutzim</mark> in the Negev" in body
    # Hebrew words find the goal too; the English page shows its English text.
    response, body = results(client, "והקיבוצים")
    assert found_kinds(response)["goals"].items == [world["goal"]]
    assert "Strengthen ties with young kibbutzim" in body
    # A goal with no English text is shown in Hebrew, marked as Hebrew and right to left.
    response, body = results(client, "המתנדבים")
    assert '<p class="search-result__title" lang="he" dir="rtl"><a' in body
    assert "הרחבת מעגל <mark>המתנדבים</mark>" in body


def test_hebrew_content_on_the_hebrew_page_reads_right_to_left(client, personas, world):
    client.force_login(personas["member"])
    _response, body = results(client, "קיבוצים")
    assert '<html lang="he" dir="rtl">' in body
    assert '<p class="search-result__title" dir="auto"><a' in body


# What each role may read --------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["member", "youth_staff"])
def test_visit_notes_are_never_shown_to_those_who_may_not_read_them(client, personas, world, persona):
    client.force_login(personas[persona])
    response, body = results(client, "זרעונים")
    assert response.status_code == 200
    assert "visits" not in found_kinds(response)
    assert "שכונה" not in body and "שיחה על פרויקט" not in body  # no word of the notes
    assert world["visit"].get_absolute_url() not in body
    assert not NotesRead.objects.exists()
    # Nor when that kind is asked for alone.
    response, body = results(client, "זרעונים", kind="visits")
    assert found_kinds(response) == {} and world["visit"].get_absolute_url() not in body


@pytest.mark.parametrize(
    "persona", ["negev_coordinator", "north_coordinator", "education_head", "secretariat"]
)
def test_those_who_read_visit_notes_find_visits_and_the_read_is_recorded(client, personas, world, persona):
    client.force_login(personas[persona])
    response, body = results(client, "זרעונים")
    assert found_kinds(response)["visits"].items == [world["visit"]]
    assert "<mark>זרעונים</mark>" in body and "בארי" in body
    assert [(read.visit, read.user) for read in NotesRead.objects.all()] == [
        (world["visit"], personas[persona])
    ]


def test_an_archived_goal_is_not_found(client, personas, world):
    client.force_login(personas["secretariat"])
    response, body = results(client, "מגדלור")
    assert found_kinds(response) == {}
    assert world["archived"].get_absolute_url() not in body


def test_reading_rules_are_asked_of_each_app(client, personas, world, monkeypatch):
    """Were plans or protocols closed to someone, the search would follow: it asks, never decides."""
    monkeypatch.setattr("plans.access.may_read_plans", lambda user: False)
    monkeypatch.setattr("meetings.access.may_read_protocols", lambda user: False)
    client.force_login(personas["secretariat"])
    response, _body = results(client, "התוכנית המזכירות")
    assert found_kinds(response) == {}
    response, _body = results(client, "קיבוצים")
    assert "goals" not in found_kinds(response)


# Input --------------------------------------------------------------------------------------------


def test_the_search_page_without_a_query_runs_no_search(client, personas, world):
    client.force_login(personas["member"])
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("search"))
    assert response.status_code == 200
    assert response.context["groups"] is None and response.context["error"] is None
    assert not [q for q in queries if "plans_goal" in q["sql"] or "meetings_" in q["sql"]]


@pytest.mark.parametrize("q", ["", "   ", "ו", "? ! ,", "א ב ג"])
def test_an_empty_or_too_short_query_gets_a_clear_message_and_runs_no_search(client, personas, world, q):
    client.force_login(personas["member"])
    with CaptureQueriesContext(connection) as queries:
        response, body = results(client, q)
    assert response.status_code == 200
    with translation.override("he"):
        assert translation.gettext("Type at least two letters to search.") in body
    assert response.context["groups"] is None
    assert not [q for q in queries if "plans_goal" in q["sql"] or "visits_visit" in q["sql"]]


def test_an_overlong_query_is_refused_with_a_message(client, personas, world):
    client.force_login(personas["member"])
    response, body = results(client, "קיבוצים " * 30)
    assert response.status_code == 400
    assert response.context["error"] and response.context["groups"] is None
    assert 'aria-invalid="true"' in body


def test_too_many_words_are_refused_with_a_message(client, personas, world):
    client.force_login(personas["member"])
    response, _body = results(client, " ".join(f"מילה{n}" for n in range(11)))
    assert response.status_code == 400
    assert response.context["groups"] is None


def test_a_nul_character_is_a_bad_request(client, personas, world):
    client.force_login(personas["member"])
    response = client.get(reverse("search") + "?q=%00קיבוצים")
    assert response.status_code == 400


@pytest.mark.parametrize("q", ["' OR 1=1 --", "a:* & !b | (c", "\\ [ ] ( ) * + ? ^ $ קיבוצים", "%_%"])
def test_operators_of_sql_regular_expressions_and_full_text_are_plain_characters(client, personas, world, q):
    client.force_login(personas["member"])
    response, _body = results(client, q)
    assert response.status_code == 200


def test_the_text_is_escaped_before_it_is_highlighted(client, personas, world):
    world["goal"].text = '<script>alert("x")</script> קיבוצים'
    world["goal"].save()
    client.force_login(personas["member"])
    _response, body = results(client, "קיבוצים")
    assert '<script>alert("x")' not in body
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; <mark>קיבוצים</mark>" in body


def test_an_unknown_kind_searches_every_kind(client, personas, world):
    client.force_login(personas["member"])
    response, _body = results(client, "קיבוצים", kind="nonsense")
    assert response.status_code == 200 and "goals" in found_kinds(response)


def test_a_post_is_refused(client, personas):
    client.force_login(personas["member"])
    assert client.post(reverse("search"), {"q": "קיבוצים"}).status_code == 405


# The page -----------------------------------------------------------------------------------------


def test_every_page_has_a_labelled_search_box_in_its_header(client, personas):
    client.force_login(personas["member"])
    body = client.get(reverse("home")).content.decode()
    assert 'role="search"' in body
    assert '<label class="visually-hidden" for="site-search-q">' in body
    assert 'id="site-search-q" name="q"' in body
    # The search page has its own box instead: one field named q, labelled.
    body = client.get(reverse("search")).content.decode()
    assert body.count('name="q"') == 1 and '<label for="search-q">' in body


def test_results_are_capped_per_kind_with_their_count_and_a_link_to_more(client, personas):
    big_plan(goals=150, sections=5, updates_per_goal=0)
    client.force_login(personas["member"])
    response, body = results(client, "יעד")
    goals = found_kinds(response)["goals"]
    assert (len(goals.items), goals.total) == (search.PER_KIND, 150)
    assert "?q=%D7%99%D7%A2%D7%93&amp;kind=goals" in body
    response, _body = results(client, "יעד", kind="goals")
    goals = found_kinds(response)["goals"]
    assert (len(goals.items), goals.total) == (search.PER_KIND_ALONE, 150)
    assert list(found_kinds(response)) == ["goals"]


@pytest.mark.parametrize("scale", [1, 10])
def test_the_search_runs_a_bounded_number_of_queries_whatever_the_data(
    client, personas, django_assert_max_num_queries, scale
):
    big_plan(goals=200 * scale, sections=5, updates_per_goal=0)
    synthetic_visits(
        count=200 * scale,
        coordinator=personas["negev_coordinator"],
        kibbutzim=list(Kibbutz.objects.all()[:20]),
    )
    client.force_login(personas["negev_coordinator"])
    # session, user, may read visit notes (page), goals, decisions, statements, may read visit notes
    # (the search), visits, their kibbutzim, the reads recorded, kibbutzim: each kind one query with
    # its count; the same for 200 or 2,000 goals and visits.
    with django_assert_max_num_queries(11):
        response = client.get(reverse("search"), {"q": "יעד ביקור"})
    assert response.status_code == 200
    with django_assert_max_num_queries(11):
        response = client.get(reverse("search"), {"q": "ביקור"})
    assert found_kinds(response)["visits"].total == 200 * scale
    assert NotesRead.objects.count() == search.PER_KIND


# PostgreSQL: trigrams and ranking ---------------------------------------------------------------------


@pytest.mark.postgres
def test_the_migrations_leave_pg_trgm_installed():
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'pg_trgm'")
        assert cursor.fetchone()


@pytest.mark.postgres
def test_trigrams_find_an_inflected_or_misspelt_longer_word(client, personas, world):
    plural = Goal.objects.create(
        plan=world["goal"].plan, section=world["goal"].section, order=5, text="הכנת תוכניות עבודה"
    )
    client.force_login(personas["member"])
    # "תוכניות" does not start with "תוכנית", but has most of its trigrams.
    response, _body = results(client, "תוכנית")
    assert plural in found_kinds(response)["goals"].items
    assert search.word_pattern("תוכנית") and not re.search(search.word_pattern("תוכנית"), plural.text)
    response, _body = results(client, "המתנדבימ")  # a typo in the last letter
    assert world["hebrew_only"] in found_kinds(response)["goals"].items


@pytest.mark.postgres
def test_results_are_ranked_closest_first(client, personas, world):
    plan = AnnualPlan.objects.get(year=2031)
    section = plan.sections.get()
    Goal.objects.create(plan=plan, section=section, order=10, text="מיפוי המתנדבות בקהילה")
    exact = Goal.objects.create(plan=plan, section=section, order=11, text="גיוס מתנדבים חדשים")
    client.force_login(personas["member"])
    response, _body = results(client, "מתנדבים")
    goals = found_kinds(response)["goals"].items
    # Exact word first, then the prefixed one; the trigram-only one ("המתנדבות") last, if at all.
    assert goals[:2] == [exact, world["hebrew_only"]]
