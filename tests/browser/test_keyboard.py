"""Keyboard only: a department head records progress without the mouse; zoom and narrow screens."""

import pytest

from movement.demo import DEMO_PASSWORD
from plans.models import Goal
from tests.browser.helpers import PLAN_2018, REFERENCE, load, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    load(*REFERENCE, *PLAN_2018)
    return live_server.url


def active(page):
    return page.evaluate(
        "() => { const e = document.activeElement; return {tag: e.tagName, name: e.name || '', text: (e.innerText || '').trim(), id: e.id}; }"
    )


def tab_to(page, predicate, limit=60):
    """Press Tab until the focused element satisfies `predicate` (fails after `limit` presses)."""
    for _ in range(limit):
        page.keyboard.press("Tab")
        if predicate(active(page)):
            return
    raise AssertionError(f"never reached by Tab; last focus: {active(page)}")


def test_a_head_records_progress_with_the_keyboard_alone(browser, demo_site, artifacts):
    goal = Goal.objects.filter(plan__year=2018, department__slug="youth").order_by("order").first()
    context = browser.new_context(locale="he-IL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{demo_site}/login/")
    # The email field has focus on arrival.
    assert active(page)["name"] == "username"
    page.keyboard.type("head@demo.example")
    page.keyboard.press("Tab")
    page.keyboard.type(DEMO_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo_site}/")

    # The skip link comes first and moves focus to the content.
    page.keyboard.press("Tab")
    assert active(page)["text"] == "דילוג לתוכן"
    page.screenshot(path=artifacts / "focus-skip-link-he.png")
    tab_to(page, lambda e: e["text"] == "היעדים שלי")
    page.screenshot(path=artifacts / "focus-ring-nav-he.png")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{demo_site}/plans/my-goals/")

    tab_to(page, lambda e: e["text"] == "עדכון התקדמות")
    page.keyboard.press("Enter")
    wait_until(page, "document.activeElement && document.activeElement.tagName === 'SELECT'")
    status_name = active(page)["name"]
    page.keyboard.press("ArrowDown")  # from "not started" to "on track"
    page.keyboard.press("Tab")  # value reached
    page.keyboard.press("Tab")  # percent
    assert active(page)["name"].endswith("-percent")
    page.keyboard.type("35")
    page.screenshot(path=artifacts / "focus-ring-form-he.png")
    tab_to(page, lambda e: e["tag"] == "BUTTON" and e["text"] == "עדכון התקדמות", limit=6)
    page.keyboard.press("Enter")
    wait_until(
        page, "document.activeElement && document.activeElement.classList.contains('goal-card__title')"
    )
    page.screenshot(path=artifacts / "keyboard-after-save-he.png")
    goal.refresh_from_db()
    assert goal.latest_update is not None, page.locator(f"#card-{goal.pk}").inner_text()
    assert (goal.latest_update.status, goal.latest_update.percent) == ("on_track", 35)
    assert status_name.startswith(f"g{goal.pk}")
    context.close()


@pytest.mark.parametrize("width,label", [(640, "zoom-200"), (320, "width-320")])
def test_pages_fit_at_200_percent_zoom_and_320_pixels(browser, demo_site, artifacts, width, label):
    """A 1280-pixel screen at 200 % zoom lays pages out at 640 CSS pixels; 320 is WCAG's reflow width."""
    goal = Goal.objects.filter(plan__year=2018).order_by("order").first()
    context = browser.new_context(
        locale="he-IL", viewport={"width": width, "height": 800}, device_scale_factor=2
    )
    page = context.new_page()
    page.goto(f"{demo_site}/login/")
    page.fill("input[name=username]", "head@demo.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.form-card button[type=submit]")
    page.wait_for_url(f"{demo_site}/")
    for path in (
        "/",
        "/plans/2018/",
        goal.get_absolute_url(),
        "/plans/my-goals/",
        "/plans/2018/dashboard/",
        "/departments/",
    ):
        page.goto(f"{demo_site}{path}")
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} overflows by {overflow}px at {width}px"
    page.goto(f"{demo_site}/plans/2018/")
    page.screenshot(path=artifacts / f"plan-2018-he-{label}.png")
    context.close()
