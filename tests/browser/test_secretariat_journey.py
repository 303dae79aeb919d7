"""In a real browser, the secretariat's year begins: sign in with the second factor, import the plan
document in the admin (upload, preview, commit), approve it, ask for the yearly PDF on the plan page
and download it. Hebrew and English, phone and desktop; every page keeps its direction and nothing
runs off the side of the screen."""

from pathlib import Path

import pytest
from django.conf import settings
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from movement.demo import DEMO_PASSWORD
from movement.models import User
from plans.models import AnnualPlan
from tests.browser.helpers import REFERENCE, load
from tests.pdf_tools import needs_poppler, pdf_text, save_page_png, squeeze

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True), needs_poppler]

SIZES = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
# The reviewed outline of the movement's 2018 plan: the document the secretariat uploads.
DOCUMENT = Path(settings.BASE_DIR) / "fixtures" / "source" / "plan-2018.md"
TITLE = "תכנית העבודה לשנת 2018"

# What reaches past either side of a viewport `width` pixels wide: the page's scroll width beyond it,
# and the elements whose box does (inside a scrolling or clipping container they may). The width is
# the one the test asked for: a mobile browser widens its layout viewport to fit what overflows.
OVERFLOWING = """(width) => {
  const name = (e) => e.tagName.toLowerCase() + (e.id ? "#" + e.id : "")
    + (typeof e.className === "string" && e.className.trim() ? "." + e.className.trim().split(/\\s+/).join(".") : "");
  const contained = (e) => {
    for (let up = e.parentElement; up && up !== document.body; up = up.parentElement) {
      if (["auto", "scroll", "hidden", "clip"].includes(getComputedStyle(up).overflowX)) return true;
    }
    return false;
  };
  const out = [];
  for (const element of document.querySelectorAll("body *")) {
    const box = element.getBoundingClientRect();
    if (box.width && box.height && (box.right > width + 1 || box.left < -1) && !contained(element)) {
      out.push(`${name(element)} ${Math.round(box.left)}..${Math.round(box.right)}`);
    }
  }
  return {scroll: document.documentElement.scrollWidth - width, elements: out.slice(0, 20)};
}"""


def check_page(page, language, artifacts, name):
    """The page's direction and language are right, nothing overflows sideways; a screenshot."""
    html = page.locator("html")
    assert html.get_attribute("lang") == language, page.url
    assert html.get_attribute("dir") == ("rtl" if language == "he" else "ltr"), page.url
    page.screenshot(path=artifacts / f"journey-secretariat-{name}.png", full_page=True)
    overflow = page.evaluate(OVERFLOWING, page.viewport_size["width"])
    assert overflow["scroll"] <= 0 and not overflow["elements"], (page.url, overflow)


@pytest.fixture
def portal(live_server, settings, tmp_path):
    """The reference data and demo accounts, no plan yet; the second factor required, as in production."""
    settings.MEDIA_ROOT = tmp_path
    settings.OTP_REQUIRED = True
    load(*REFERENCE)
    secretariat = User.objects.get(email="secretariat@demo.example")
    device = TOTPDevice.objects.create(user=secretariat, name="phone", confirmed=True)
    return live_server.url, device


def sign_in_with_second_factor(page, base, device, language, artifacts, label):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "secretariat@demo.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.form-card button[type=submit]")
    page.wait_for_url("**/account/second-factor/**")
    code = totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits)
    page.fill("input[name=code]", f"{code:06d}")
    page.click("main form button[type=submit]")
    page.wait_for_url(f"{base}/")
    if page.locator("html").get_attribute("lang") != language:
        page.locator(".language-switch button").click()
        page.wait_for_load_state()
    check_page(page, language, artifacts, f"1-home-{label}")


@pytest.mark.parametrize("size", ["phone", "desktop"])
@pytest.mark.parametrize("language", ["he", "en"])
def test_the_secretariat_imports_approves_and_downloads_the_yearly_pdf(
    browser, portal, artifacts, language, size
):
    base, device = portal
    label = f"{language}-{size}"
    context = browser.new_context(
        locale="he-IL" if language == "he" else "en-US",
        viewport=SIZES[size],
        is_mobile=size == "phone",
        accept_downloads=True,
    )
    page = context.new_page()
    sign_in_with_second_factor(page, base, device, language, artifacts, label)

    # The admin's plan list → "Import a plan from a document": upload, then the preview.
    page.goto(f"{base}/admin/plans/annualplan/")
    page.locator("a[href$='/admin/plans/annualplan/import/']").click()
    page.wait_for_url("**/admin/plans/annualplan/import/")
    check_page(page, language, artifacts, f"2-import-form-{label}")
    page.set_input_files("#id_document", str(DOCUMENT))
    page.fill("#id_year", "2018")
    page.click("form .submit-row input[type=submit]")
    page.locator("input[name=token]").wait_for(state="attached")
    assert page.locator("#content h2").first.inner_text() == TITLE
    assert "254" in page.locator("#content").inner_text()
    assert not AnnualPlan.objects.exists()  # the preview writes nothing
    check_page(page, language, artifacts, f"3-import-preview-{label}")

    page.click("form .submit-row input[type=submit]")
    page.wait_for_url("**/admin/plans/annualplan/*/change/")
    plan = AnnualPlan.objects.get(year=2018, body__isnull=True)
    assert plan.title == TITLE and plan.goals.count() == 254 and plan.status == AnnualPlan.Status.DRAFT
    assert "254" in page.locator(".messagelist .success").inner_text()
    check_page(page, language, artifacts, f"4-imported-{label}")

    # Approve it with the list's action.
    page.goto(f"{base}/admin/plans/annualplan/")
    page.check(f"input[name=_selected_action][value='{plan.pk}']")
    page.select_option("select[name=action]", "approve")
    page.click("button[name=index]")
    page.locator(".messagelist .success").wait_for()
    plan.refresh_from_db()
    assert plan.status == AnnualPlan.Status.APPROVED and plan.approved_by.email == "secretariat@demo.example"
    check_page(page, language, artifacts, f"5-approved-{label}")

    # The plan page: approved; the PDF button; the download link once the report is ready.
    page.goto(f"{base}/plans/2018/")
    approved = "מאושרת" if language == "he" else "Approved"
    assert approved in page.locator("p.lead").inner_text()
    name = "תכנית העבודה השנתית כקובץ PDF" if language == "he" else "The yearly plan as a PDF"
    page.get_by_role("button", name=name).click()
    download = page.get_by_role("link", name="הורדת קובץ ה־PDF" if language == "he" else "Download the PDF")
    download.wait_for(timeout=30_000)
    check_page(page, language, artifacts, f"6-report-ready-{label}")
    with page.expect_download() as info:
        download.click()
    assert info.value.suggested_filename == f"plan-2018-{language}.pdf"
    pdf = Path(info.value.path()).read_bytes()
    assert pdf.startswith(b"%PDF-")
    text = squeeze(pdf_text(pdf, first=1, last=2))
    assert "תכנית העבודה לשנת" in text and "2018" in text  # Hebrew and numbers apart (PITFALLS)
    assert approved in text
    save_page_png(pdf, 1, artifacts / f"journey-secretariat-7-pdf-page1-{label}.png")
    context.close()


def test_a_wrong_second_factor_code_keeps_the_secretariat_out_of_the_import(browser, portal, artifacts):
    base, device = portal
    context = browser.new_context(locale="he-IL", viewport=SIZES["phone"], is_mobile=True)
    page = context.new_page()
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", "secretariat@demo.example")
    page.fill("input[name=password]", DEMO_PASSWORD)
    page.click("form.form-card button[type=submit]")
    page.wait_for_url("**/account/second-factor/**")
    right = f"{totp(device.bin_key, step=device.step, t0=device.t0, digits=device.digits):06d}"
    page.fill("input[name=code]", "000000" if right != "000000" else "111111")
    page.click("main form button[type=submit]")
    assert "הקוד שגוי" in page.locator("main").inner_text()
    check_page(page, "he", artifacts, "wrong-code-he-phone")
    page.goto(f"{base}/admin/plans/annualplan/import/")
    assert "/account/second-factor/" in page.url
    assert not AnnualPlan.objects.exists()
    context.close()
