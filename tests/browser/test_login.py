"""A demo user signs in through the Hebrew login page in a real browser."""

import pytest

from movement.demo import DEMO_PASSWORD
from tests.browser.helpers import REFERENCE, load

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    load(*REFERENCE)
    return live_server.url


def _no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("width,height,label", [(1280, 900, "desktop"), (390, 844, "phone")])
def test_a_head_signs_in_in_hebrew_and_lands_home(browser, demo_site, artifacts, width, height, label):
    context = browser.new_context(locale="he-IL", viewport={"width": width, "height": height})
    page = context.new_page()
    page.goto(f"{demo_site}/")
    assert "/login/" in page.url
    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.locator("html").get_attribute("lang") == "he"
    page.screenshot(path=artifacts / f"login-he-{label}.png", full_page=True)

    page.get_by_label("דוא״ל").fill("head@demo.example")
    page.get_by_label("סיסמה").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="כניסה").click()
    page.wait_for_url(f"{demo_site}/")

    assert page.locator("html").get_attribute("dir") == "rtl"
    assert page.get_by_role("heading", level=1).inner_text().startswith("שלום")
    assert page.get_by_role("link", name="אגף צעירים").is_visible()
    assert _no_horizontal_overflow(page)
    page.screenshot(path=artifacts / f"home-he-{label}.png", full_page=True)
    context.close()


def test_wrong_password_shows_a_hebrew_error_tied_to_the_form(browser, demo_site, artifacts):
    context = browser.new_context(locale="he-IL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    page.goto(f"{demo_site}/login/")
    page.get_by_label("דוא״ל").fill("member@demo.example")
    page.get_by_label("סיסמה").fill("not-the-password")
    page.get_by_role("button", name="כניסה").click()
    alert = page.get_by_role("alert")
    assert "שגויים" in alert.inner_text()
    assert "/login/" in page.url
    page.screenshot(path=artifacts / "login-error-he-phone.png", full_page=True)
    context.close()


def test_an_english_user_gets_a_left_to_right_home(browser, demo_site, artifacts):
    context = browser.new_context(locale="en-US", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{demo_site}/login/")
    assert page.locator("html").get_attribute("dir") == "ltr"
    page.get_by_label("Email").fill("coordinator@demo.example")
    page.get_by_label("Password").fill(DEMO_PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    page.wait_for_url(f"{demo_site}/")
    # The coordinator's preferred language is Hebrew: once signed in, the profile wins.
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.get_by_role("button", name="English").click()
    page.wait_for_load_state()
    assert page.locator("html").get_attribute("dir") == "ltr"
    assert page.get_by_role("heading", name="My regions").is_visible()
    page.screenshot(path=artifacts / "home-en-desktop.png", full_page=True)
    context.close()
