"""A member reads the 2010 protocol and follows a decision to its goal; its owner closes it."""

import pytest

from meetings.models import Decision, Meeting
from tests.browser.helpers import PLAN_2018, PROTOCOL_2010, REFERENCE, load, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    load(*REFERENCE, *PLAN_2018, *PROTOCOL_2010)
    return live_server.url


@pytest.mark.parametrize("width,label", [(1280, "desktop"), (390, "phone")])
def test_the_protocol_page_reads_like_a_protocol(browser, demo_site, artifacts, width, label):
    meeting = Meeting.objects.get(date="2010-12-21")
    context = browser.new_context(locale="he-IL", viewport={"width": width, "height": 900})
    page = context.new_page()
    sign_in(page, demo_site, "member@demo.example")
    page.goto(f"{demo_site}{meeting.get_absolute_url()}")
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text().startswith("סיכום ישיבת מזכירות המטה השיתופי")
    assert [h.inner_text().split(".")[0] for h in page.locator(".protocol__item h2").all()] == [
        "א",
        "ב",
        "ג",
        "ד",
    ]
    assert page.locator(".flag").count() >= 1
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifacts / f"protocol-2010-he-{label}.png", full_page=True)
    context.close()


def test_a_member_follows_a_decision_to_its_goal_and_the_owner_closes_it(browser, demo_site, artifacts):
    decision = Decision.objects.get(is_demo_link=True)
    goal = decision.goals.get()
    context = browser.new_context(locale="he-IL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, demo_site, "member@demo.example")
    page.goto(f"{demo_site}{decision.meeting.get_absolute_url()}")
    page.locator(f"a[href='{decision.get_absolute_url()}']").first.click()
    page.wait_for_url(f"{demo_site}{decision.get_absolute_url()}")
    assert page.locator("select[name=status]").count() == 0  # a member reads only
    page.locator(f"a[href='{goal.get_absolute_url()}']").click()
    page.wait_for_url(f"{demo_site}{goal.get_absolute_url()}")
    assert decision.text[:30] in page.content()
    page.screenshot(path=artifacts / "goal-with-decision-he-phone.png", full_page=True)
    context.close()

    context = browser.new_context(locale="he-IL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, demo_site, "head@demo.example")
    page.goto(f"{demo_site}{decision.get_absolute_url()}")
    page.select_option("select[name=status]", "done")
    page.fill("textarea[name=note]", "בוצע בהצלחה")
    page.locator("form[action$='/status/'] button[type=submit]").click()
    page.wait_for_url(f"{demo_site}{decision.get_absolute_url()}")
    decision.refresh_from_db()
    assert decision.status == "done"
    assert "בוצע בהצלחה" in page.content()
    page.screenshot(path=artifacts / "decision-done-he-phone.png", full_page=True)
    context.close()
