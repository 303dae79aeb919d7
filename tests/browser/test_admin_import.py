"""In a real browser, in Hebrew: the secretariat imports goals from a CSV in the admin; the preview
shows every row before anything is written; after the confirmation the goals are in the plan."""

import pytest

from tests.browser.helpers import PLAN_2018, REFERENCE, load, sign_in
from tests.import_tools import csv_bytes

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_the_secretariat_imports_goals_from_a_csv_in_hebrew(browser, live_server, artifacts, tmp_path):
    from plans.models import AnnualPlan, Goal

    load(*REFERENCE, *PLAN_2018)
    plan = AnnualPlan.objects.get(year=2018, body__isnull=True)
    section = plan.sections.filter(parent__isnull=True).order_by("order").first().title_he
    headers = [
        "id",
        "plan_year",
        "plan_owner",
        "section",
        "text_he",
        "department",
        "target_value",
        "target_unit",
    ]
    rows = [
        ["", 2018, "", section, "להכשיר 12 מדריכים חדשים", "אגף חינוך", 12, "מדריכים"],
        ["", 2018, "", section, "=לבדוק נוסחה בתא", "אגף חינוך", "", ""],
    ]
    path = tmp_path / "יעדים.csv"
    path.write_bytes(csv_bytes(headers, rows))
    before = Goal.objects.count()

    context = browser.new_context(locale="he-IL", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    sign_in(page, live_server.url, "secretariat@demo.example")
    page.goto(f"{live_server.url}/admin/plans/goal/")
    page.locator("a[href$='/admin/plans/goal/import/']").click()
    assert page.locator("html").get_attribute("dir") == "rtl"
    page.set_input_files("input[name=import_file]", str(path))
    page.locator("#content form input[type=submit]").click()
    page.locator("table.import-preview").wait_for()
    preview = page.locator("table.import-preview").inner_text()
    assert "להכשיר 12 מדריכים חדשים" in preview and "=לבדוק נוסחה בתא" in preview
    assert Goal.objects.count() == before  # the preview wrote nothing
    page.screenshot(path=artifacts / "admin-import-preview-he.png", full_page=True)

    page.locator("input[name=confirm]").click()
    page.wait_for_url(f"{live_server.url}/admin/plans/goal/")
    assert page.locator(".messagelist .success").count() == 1
    assert Goal.objects.count() == before + 2
    goal = Goal.objects.get(text_he="להכשיר 12 מדריכים חדשים")
    assert goal.department.slug == "education" and goal.target_value == 12
    assert Goal.objects.filter(text_he="=לבדוק נוסחה בתא").exists()  # a formula-like cell stays text
    page.goto(f"{live_server.url}/admin/plans/goal/?q=מדריכים+חדשים")
    assert "להכשיר 12 מדריכים חדשים" in page.locator("#result_list").inner_text()
    page.screenshot(path=artifacts / "admin-import-done-he.png", full_page=True)
    context.close()
