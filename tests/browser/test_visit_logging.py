"""A coordinator logs a visit from a phone; a dropped connection loses nothing (the draft comes back)."""

import pytest
from django.utils import timezone

from movement.demo import DEMO_PASSWORD
from tests.browser.helpers import REFERENCE, load, sign_in
from visits.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def demo_site(live_server):
    load(*REFERENCE)
    return live_server.url


def test_a_coordinator_logs_a_visit_at_phone_width_and_a_lost_connection_keeps_the_draft(
    browser, demo_site, artifacts
):
    context = browser.new_context(locale="he-IL", viewport={"width": 390, "height": 844}, is_mobile=True)
    page = context.new_page()
    sign_in(page, demo_site, "coordinator@demo.example")
    page.get_by_role("link", name="תיעוד ביקור").first.click()  # one tap from the home page
    page.wait_for_url(f"{demo_site}/visits/new/")
    page.fill("input[name=kibbutz]", "בארי")
    assert page.input_value("input[name=date]") == timezone.localdate().isoformat()
    page.fill("textarea[name=summary]", "פגישה עם המזכירות על קליטת משפחות")
    page.fill("input[name=people-0-name]", "רונית")
    page.screenshot(path=artifacts / "visit-form-he-phone.png", full_page=True)

    # The connection drops as the coordinator submits: the browser shows an error, nothing is saved.
    context.set_offline(True)
    page.click("form.visit-form button[type=submit]", no_wait_after=True)
    page.wait_for_timeout(1000)
    context.set_offline(False)
    assert not Visit.objects.exists()

    # Back online, opening the form again offers the draft.
    page.goto(f"{demo_site}/visits/new/")
    offer = page.locator("#draft-offer")
    offer.wait_for(state="visible")
    page.screenshot(path=artifacts / "visit-draft-offer-he-phone.png", full_page=True)
    page.click("#draft-restore")
    assert page.input_value("input[name=kibbutz]") == "בארי"
    assert page.input_value("textarea[name=summary]") == "פגישה עם המזכירות על קליטת משפחות"
    page.click("form.visit-form button[type=submit]")
    page.wait_for_url("**/visits/*/?saved=1")
    visit = Visit.objects.get()
    assert visit.kibbutzim.get().slug == "beeri" and visit.people.get().name == "רונית"
    assert page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")
    page.screenshot(path=artifacts / "visit-saved-he-phone.png", full_page=True)

    # Saved: the draft is gone, and the visit shows on the kibbutz page and in coverage at once.
    page.goto(f"{demo_site}/visits/new/")
    assert page.locator("#draft-offer").is_hidden()
    page.goto(f"{demo_site}/kibbutzim/beeri/")
    assert timezone.localdate().strftime("%d.%m.%Y") in page.content()
    page.goto(f"{demo_site}/visits/coverage/")
    assert "בארי" not in page.locator("section.coverage-region").first.inner_text()
    page.screenshot(path=artifacts / "coverage-he-phone.png", full_page=True)
    context.close()


def test_another_regions_coordinator_is_refused(browser, demo_site, artifacts):
    from movement.models import Region, User

    other = User.objects.create_user("north@example.org", DEMO_PASSWORD, full_name="רכזת הגליל")
    Region.objects.get(slug="upper-galilee").coordinators.add(other)
    context = browser.new_context(locale="he-IL", viewport={"width": 390, "height": 844})
    page = context.new_page()
    sign_in(page, demo_site, "north@example.org")
    page.goto(f"{demo_site}/visits/new/")
    page.fill("input[name=kibbutz]", "בארי")
    page.fill("textarea[name=summary]", "ניסיון")
    page.click("form.visit-form button[type=submit]")
    error = page.locator("#id_kibbutz_error")
    error.wait_for()
    assert "בארי" in error.inner_text()
    page.screenshot(path=artifacts / "visit-refused-he-phone.png", full_page=True)
    assert not Visit.objects.exists()
    context.close()
