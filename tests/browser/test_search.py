"""The search box in the header, in Hebrew and English, at desktop and phone width."""

import pytest
from django.utils import translation

from tests.browser.helpers import PLAN_2018, PROTOCOL_2010, REFERENCE, load, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}


@pytest.fixture
def demo_site(live_server):
    load(*REFERENCE, *PLAN_2018, *PROTOCOL_2010, ("demo_visits",))
    return live_server.url


def translated(message, language):
    with translation.override(language):
        return translation.gettext(message)


def search_from_the_header(page, words, language="he"):
    """Found by its label, as a screen reader user would."""
    page.get_by_label(translated("Search goals, decisions, protocols, visits and kibbutzim", language)).fill(
        words
    )
    page.locator(".site-search button[type=submit]").click()
    page.wait_for_url("**/search/?q=*")


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("language", ["he", "en"])
def test_a_member_finds_goals_decisions_and_statements_by_a_prefixed_word(
    browser, demo_site, artifacts, size, language
):
    context = browser.new_context(locale="he-IL", viewport=SIZES[size])
    page = context.new_page()
    sign_in(page, demo_site, "member@demo.example")
    if language == "en":  # the demo users prefer Hebrew: switch as a person would
        page.locator(".language-switch button").click()
        page.wait_for_load_state()
    page.screenshot(path=artifacts / f"search-box-{language}-{size}.png", full_page=False)
    search_from_the_header(page, "והקיבוצים", language)
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    groups = page.locator(".search-group h2").all_inner_texts()
    assert len(groups) >= 3  # goals, decisions and statements of 2018 and 2010 name the kibbutzim
    marks = page.locator(".search-results mark").all_inner_texts()
    assert marks and all("קיבוצ" in mark for mark in marks)
    # A member reads no visit notes: no visits among the results.
    assert page.locator("#results-visits").count() == 0
    # Hebrew content on the English page reads right to left.
    if language == "en":
        assert page.locator(".search-result__title[lang=he][dir=rtl]").count() > 0
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifacts / f"search-{language}-{size}.png", full_page=False)
    # The first goal found opens.
    first = page.locator("#results-goals ~ ol .search-result a").first
    href = first.get_attribute("href")
    first.click()
    page.wait_for_url(f"{demo_site}{href}")
    context.close()


def test_a_coordinator_finds_visits_and_a_short_query_gets_a_message(browser, demo_site, artifacts):
    context = browser.new_context(locale="he-IL", viewport=SIZES["phone"])
    page = context.new_page()
    sign_in(page, demo_site, "coordinator@demo.example")
    search_from_the_header(page, "צמיחה")
    assert page.locator("#results-visits").is_visible()
    assert "צמיחה" in page.locator("#results-visits ~ ol mark").first.inner_text()
    page.locator(".search-group:has(#results-visits)").screenshot(
        path=artifacts / "search-visits-he-phone.png"
    )
    page.fill("#search-q", "ו")
    page.locator(".search-form button[type=submit]").click()
    page.wait_for_load_state()
    assert page.locator("#search-error").inner_text() == translated(
        "Type at least two letters to search.", "he"
    )
    assert page.locator("#search-q").get_attribute("aria-invalid") == "true"
    page.screenshot(path=artifacts / "search-too-short-he-phone.png", full_page=False)
    context.close()
