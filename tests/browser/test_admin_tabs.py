"""In a real browser: the admin's language tabs (jQuery UI served from our static files, not a CDN) and the
year page, in Hebrew right to left and English left to right, with no CSP error in the console."""

import pytest

from meetings.models import Meeting
from plans.models import Goal
from tests.browser.helpers import PLAN_2018, PROTOCOL_2010, REFERENCE, load, sign_in, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DESKTOP = {"width": 1280, "height": 900}


@pytest.fixture
def demo_site(live_server):
    load(*REFERENCE, *PLAN_2018, ("demo_progress", "2018"), *PROTOCOL_2010)
    return live_server.url


def open_admin(browser, base, language):
    context = browser.new_context(locale="he-IL" if language == "he" else "en-US", viewport=DESKTOP)
    page = context.new_page()
    problems = []

    def console(message):
        # The browser's own request for /favicon.ico (the portal has none) is not the page's doing.
        if message.type in ("error", "warning") and not message.location["url"].endswith("/favicon.ico"):
            problems.append(f"{message.text} {message.location['url']}")

    page.on("console", console)
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.on(
        "response",
        lambda response: response.status >= 400 and problems.append(f"{response.status} {response.url}"),
    )
    requests = []
    page.on("request", lambda request: requests.append(request.url))
    sign_in(page, base, "secretariat@demo.example")
    if language == "en":  # the account's language is Hebrew: switch as a person would, on the portal
        page.locator(".language-switch button").click()
        page.wait_for_load_state()
    return context, page, problems, requests


@pytest.mark.parametrize("language", ["he", "en"])
def test_a_goal_has_language_tabs_and_the_english_tab_opens(browser, demo_site, artifacts, language):
    goal = Goal.objects.filter(plan__year=2018, department__slug="youth").order_by("order").first()
    goal.text_en = "A national course for young leadership"
    goal.save()
    context, page, problems, requests = open_admin(browser, demo_site, language)
    page.goto(f"{demo_site}/admin/plans/goal/{goal.pk}/change/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    tabs = page.locator(".ui-tabs .ui-tabs-nav").first
    tabs.wait_for()
    assert [t.strip() for t in tabs.locator("li a").all_text_contents()] == ["he", "en"]
    # The tab of the page's language is open at first.
    assert page.locator(f"#id_text_{language}").is_visible()
    assert page.locator(f"#id_text_{'en' if language == 'he' else 'he'}").is_hidden()
    tabs.get_by_role("tab", name="en").click()
    wait_until(page, "document.querySelector('#id_text_en').offsetParent !== null")
    assert page.locator("#id_text_he").is_hidden()
    assert page.locator("#id_text_en").input_value() == "A national course for young leadership"
    page.screenshot(path=artifacts / f"admin-goal-tabs-{language}-desktop.png", full_page=True)
    # Accessible (axe, tests/browser/test_accessibility.py): no link nested in a tab, a named language
    # switch, and each language's text in its own direction.
    assert tabs.locator("a[href]").count() == 0
    assert page.locator("#modeltranslation-main-switch").get_attribute("aria-labelledby")
    assert page.locator("#id_text_en").get_attribute("dir") == "auto"
    # The keyboard still works: Home on the focused tab opens the first language.
    tabs.get_by_role("tab", name="en").focus()
    page.keyboard.press("Home")
    wait_until(page, "document.querySelector('#id_text_he').offsetParent !== null")
    # The tabs' script came from our own static files; nothing was asked of another host.
    assert any(url.endswith("/static/vendor/jquery-ui/jquery-ui.min.js") for url in requests)
    assert all(url.startswith(demo_site) for url in requests), [
        u for u in requests if not u.startswith(demo_site)
    ]
    assert problems == [], problems
    context.close()


def test_tabs_in_inlines_of_a_meeting(browser, demo_site, artifacts):
    meeting = Meeting.objects.get(date="2010-12-21")
    meeting.status = Meeting.Status.DRAFT  # an approved protocol is read-only: no inputs, no tabs
    meeting.save()
    context, page, problems, _requests = open_admin(browser, demo_site, "he")
    page.goto(f"{demo_site}/admin/meetings/meeting/{meeting.pk}/change/")
    page.locator("#items-group .ui-tabs").first.wait_for()
    assert page.locator("#items-group .ui-tabs").count() == meeting.items.count()
    assert problems == [], problems
    page.screenshot(path=artifacts / "admin-meeting-inline-tabs-he-desktop.png", full_page=True)
    context.close()


@pytest.mark.parametrize("language", ["he", "en"])
def test_the_year_page_in_both_directions(browser, demo_site, artifacts, language):
    context, page, problems, _requests = open_admin(browser, demo_site, language)
    page.goto(f"{demo_site}/admin/")
    page.locator(".portal-year-link a").click()
    page.wait_for_url(f"{demo_site}/admin/year/")
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    assert page.locator("progress").count() > 5  # the plan and each department
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifacts / f"admin-year-{language}-desktop.png", full_page=True)
    # Approving asks first; "no" goes back and changes nothing.
    page.locator(".portal-year__actions a.default").click()
    page.locator("button[name=confirm]").wait_for()
    page.screenshot(path=artifacts / f"admin-year-confirm-{language}-desktop.png", full_page=True)
    page.locator("a.cancel-link").click()
    page.wait_for_url(f"{demo_site}/admin/year/**")
    assert page.locator(".portal-year__actions a.default").count() == 1  # still a draft
    assert problems == [], problems
    context.close()
