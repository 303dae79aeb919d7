"""In a real browser: the secretariat asks for the yearly plan PDF and downloads it; a member turns a
reminder kind off; the unsubscribe link asks first. Hebrew and English, phone and desktop."""

import pytest
from django.urls import reverse

from movement.models import User
from movement.reminders import unsubscribe_token
from tests.browser.helpers import PLAN_2018, REFERENCE, load, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}


@pytest.fixture
def demo_plan(live_server, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    load(*REFERENCE, *PLAN_2018)
    return live_server.url


def no_horizontal_overflow(page):
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


@pytest.mark.parametrize("language,size", [("he", "phone"), ("en", "desktop")])
def test_the_secretariat_generates_the_yearly_pdf_and_downloads_it(
    browser, demo_plan, artifacts, language, size
):
    context = browser.new_context(
        locale="he-IL" if language == "he" else "en-US", viewport=SIZES[size], accept_downloads=True
    )
    page = context.new_page()
    sign_in(page, demo_plan, "secretariat@demo.example")
    if language == "en":
        page.locator(".language-switch button").click()
        page.wait_for_load_state()
    page.goto(f"{demo_plan}/plans/2018/")
    label = "תכנית העבודה השנתית כקובץ PDF" if language == "he" else "The yearly plan as a PDF"
    page.get_by_role("button", name=label).click()
    download_link = page.get_by_role(
        "link", name="הורדת קובץ ה־PDF" if language == "he" else "Download the PDF"
    )
    download_link.wait_for(timeout=30_000)
    assert page.locator("html").get_attribute("dir") == ("rtl" if language == "he" else "ltr")
    assert no_horizontal_overflow(page)
    page.screenshot(path=artifacts / f"report-ready-{language}-{size}.png", full_page=True)
    with page.expect_download() as info:
        download_link.click()
    path = info.value.path()
    assert open(path, "rb").read(5) == b"%PDF-"
    assert info.value.suggested_filename == f"plan-2018-{language}.pdf"
    # Back on the plan page, the last PDF is named beside the button.
    page.goto(f"{demo_plan}/plans/2018/")
    assert page.locator(".report-last").count() == 1
    context.close()


@pytest.mark.parametrize("language,size", [("he", "desktop"), ("en", "phone")])
def test_a_member_turns_a_reminder_kind_off_and_the_email_link_asks_first(
    browser, demo_plan, artifacts, language, size
):
    member = User.objects.get(email="member@demo.example")
    context = browser.new_context(locale="he-IL" if language == "he" else "en-US", viewport=SIZES[size])
    page = context.new_page()
    sign_in(page, demo_plan, "member@demo.example")
    if language == "en":
        page.locator(".language-switch button").click()
        page.wait_for_load_state()
    page.locator("a.user-name").click()
    page.wait_for_url(f"{demo_plan}/account/reminders/")
    boxes = page.locator("input[name=kinds]")
    assert boxes.count() == 5 and all(boxes.nth(i).is_checked() for i in range(5))
    page.locator("input[value=meeting_soon]").uncheck()
    page.screenshot(path=artifacts / f"reminder-settings-{language}-{size}.png", full_page=True)
    page.locator("main button[type=submit]").click()
    page.locator(".message--success").wait_for()
    assert no_horizontal_overflow(page)
    member.refresh_from_db()
    assert member.muted_reminders == ["meeting_soon"]

    # The link in an email, opened signed out: a question first, then the change.
    context.clear_cookies()
    page.goto(demo_plan + reverse("reminders_unsubscribe", args=[unsubscribe_token(member, "decisions_due")]))
    page.screenshot(path=artifacts / f"unsubscribe-{language}-{size}.png", full_page=True)
    member.refresh_from_db()
    assert "decisions_due" not in member.muted_reminders
    page.locator("main button[type=submit]").click()
    page.locator("[role=status]").wait_for()
    member.refresh_from_db()
    assert member.muted_reminders == ["meeting_soon", "decisions_due"]
    context.close()


def test_the_secretariat_edits_the_reminder_schedule_without_csp_errors(browser, demo_plan, artifacts):
    import importlib

    from django.apps import apps
    from django_celery_beat.models import PeriodicTask

    # A transactional test starts from a flushed database: seed the schedules as the migration does.
    importlib.import_module("movement.migrations.0003_job_schedules").create(apps, None)
    task = PeriodicTask.objects.get(task="movement.tasks.reminder_round")
    context = browser.new_context(locale="he-IL", viewport=SIZES["desktop"])
    page = context.new_page()
    console = []
    page.on("console", lambda message: console.append(message.text))
    sign_in(page, demo_plan, "secretariat@demo.example")
    page.goto(f"{demo_plan}/admin/django_celery_beat/periodictask/{task.pk}/change/")
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.locator("#id_description").fill("סבב התזכורות של הבוקר")
    page.screenshot(path=artifacts / "admin-reminder-schedule-he.png", full_page=True)
    page.locator("input[name=_save]").click()
    page.wait_for_url(f"{demo_plan}/admin/django_celery_beat/periodictask/")
    task.refresh_from_db()
    assert task.description == "סבב התזכורות של הבוקר"
    assert not [text for text in console if "Content Security Policy" in text], console
    context.close()
