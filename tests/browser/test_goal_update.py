"""A department head updates a goal from a phone in a real browser; everyone sees it at once."""

import pytest

from plans.models import Goal
from tests.browser.helpers import PLAN_2018, REFERENCE, load, sign_in, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_plan(live_server):
    load(*REFERENCE, *PLAN_2018)
    return live_server.url


def test_a_head_updates_a_goal_at_phone_width_without_a_page_reload(browser, demo_plan, artifacts):
    goal = Goal.objects.filter(plan__year=2018, department__slug="youth").order_by("order").first()
    context = browser.new_context(locale="he-IL", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, demo_plan, "head@demo.example")
    page.goto(f"{demo_plan}/plans/my-goals/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    card = page.locator(f"#card-{goal.pk}")
    card.get_by_role("link", name="עדכון התקדמות").click()
    card.locator(f"select[name=g{goal.pk}-status]").wait_for()
    # The quick form opened in place, with the keyboard in its first field.
    wait_until(page, f"document.activeElement && document.activeElement.name === 'g{goal.pk}-status'")
    card.locator(f"select[name=g{goal.pk}-status]").select_option("at_risk")
    card.locator(f"input[name=g{goal.pk}-percent]").fill("42")
    card.locator(f"textarea[name=g{goal.pk}-note]").fill("עודכן מהטלפון")
    page.screenshot(path=artifacts / "my-goals-he-phone-before.png")
    navigations = []
    page.on("framenavigated", lambda frame: navigations.append(frame.url))
    card.locator("button[type=submit]").click()
    page.locator(f"#card-{goal.pk} [role=status]").wait_for()
    assert navigations == []  # swapped in place by htmx
    assert "42%" in page.locator(f"#card-{goal.pk}").inner_text()
    wait_until(page, f"document.activeElement && document.activeElement.id === 'card-title-{goal.pk}'")
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifacts / "my-goals-he-phone-after.png")

    for url in ("/plans/2018/", "/departments/youth/", goal.get_absolute_url()):
        page.goto(f"{demo_plan}{url}")
        assert "42%" in page.content(), url
    page.goto(f"{demo_plan}/plans/2018/")
    page.screenshot(path=artifacts / "plan-2018-he-phone.png")
    context.close()


def test_a_head_of_another_department_is_refused(browser, demo_plan):
    goal = Goal.objects.filter(plan__year=2018, department__slug="education").first()
    context = browser.new_context(locale="he-IL")
    page = context.new_page()
    sign_in(page, demo_plan, "head@demo.example")
    page.goto(f"{demo_plan}{goal.get_absolute_url()}")
    assert page.locator("select[name=status]").count() == 0
    token = context.cookies()
    csrf = next(c["value"] for c in token if c["name"] == "csrftoken")
    response = page.request.post(
        f"{demo_plan}{goal.get_progress_url()}",
        form={"status": "done", "percent": "100"},
        headers={"X-CSRFToken": csrf, "Referer": f"{demo_plan}/"},
    )
    assert response.status == 403
    assert not goal.updates.exists()
    context.close()
