"""axe-core on every distinct page a role can reach, in Hebrew and English, at phone and desktop width.

Fails on any serious or critical violation of WCAG 2.0/2.1 A and AA rules; prints how many pages, runs
and rules were checked.
"""

from pathlib import Path

import pytest
from django.urls import reverse

from meetings.models import Decision, Meeting
from movement.models import ReportJob, User
from movement.reminders import unsubscribe_token
from plans.models import Goal
from tests.browser.helpers import PLAN_2018, PROTOCOL_2010, REFERENCE, load, sign_in
from visits.models import Visit

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

AXE = (Path(__file__).resolve().parents[1] / "vendor" / "axe-core" / "axe.min.js").read_text(encoding="utf-8")
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
VIEWPORTS = {"phone": {"width": 390, "height": 844}, "desktop": {"width": 1280, "height": 900}}
LOCALES = {"he": "he-IL", "en": "en-US"}


@pytest.fixture
def demo_site(live_server):
    load(*REFERENCE, *PLAN_2018, ("demo_progress", "2018"), *PROTOCOL_2010, ("demo_visits",))
    return live_server.url


def pages_by_role():
    goal = Goal.objects.filter(plan__year=2018, department__slug="youth").order_by("order").first()
    meeting = Meeting.objects.get(date="2010-12-21")
    decision = Decision.objects.filter(meeting=meeting).first()
    visit = Visit.objects.filter(kibbutzim__region__slug="negev").order_by("-date").first()
    member = User.objects.get(email="member@demo.example")
    plan = goal.plan
    ready = ReportJob.objects.create(
        kind="plan", object_id=plan.pk, title=str(plan), status="done", pages=14, seconds=1.2
    )
    running = ReportJob.objects.create(
        kind="protocol", object_id=meeting.pk, title=str(meeting), status="running"
    )
    unsubscribe = reverse("reminders_unsubscribe", args=[unsubscribe_token(member, "meeting_soon")])
    return {
        None: ["/login/", "/password-reset/", "/password-reset/sent/", "/accessibility/", unsubscribe],
        "member@demo.example": [
            "/", "/plans/", "/plans/2018/", "/plans/2018/?status=behind", "/plans/2018/dashboard/",
            goal.get_absolute_url(), "/departments/", "/departments/youth/", "/kibbutzim/", "/kibbutzim/beeri/",
            "/meetings/", meeting.get_absolute_url(), "/meetings/decisions/", decision.get_absolute_url(),
            "/no-such-page/", "/account/reminders/", ready.get_absolute_url(), running.get_absolute_url(),
            "/search/?q=%D7%95%D7%94%D7%A7%D7%99%D7%91%D7%95%D7%A6%D7%99%D7%9D", "/search/?q=%D7%95",
        ],
        "coordinator@demo.example": [
            "/visits/new/", "/visits/", "/visits/coverage/", visit.get_absolute_url(), "/kibbutzim/beeri/",
            "/search/?q=%D7%A6%D7%9E%D7%99%D7%97%D7%94",
        ],
        "head@demo.example": [
            "/plans/my-goals/", goal.get_absolute_url(), goal.get_edit_url(), "/meetings/decisions/mine/",
            decision.get_absolute_url(),
        ],
        "secretariat@demo.example": [
            "/account/second-factor/", "/admin/", "/admin/plans/goal/", f"/admin/plans/goal/{goal.pk}/change/",
            "/admin/movement/reminder/",
            "/admin/movement/reportjob/", f"/admin/meetings/meeting/{meeting.pk}/change/", "/admin/movement/user/",
            "/admin/django_celery_beat/periodictask/",
            "/admin/year/", f"/admin/year/plans/{plan.pk}/pdf/", "/admin/movement/user/invite/",
            f"/admin/movement/user/{User.objects.get(email='head@demo.example').pk}/handover/",
        ],
    }  # fmt: skip


def test_no_serious_or_critical_violations_anywhere(browser, demo_site):
    failures, runs, rules, pages = [], 0, set(), set()
    for email, paths in pages_by_role().items():
        for language, locale in LOCALES.items():
            for size, viewport in VIEWPORTS.items():
                context = browser.new_context(locale=locale, viewport=viewport)
                page = context.new_page()
                if email:
                    sign_in(page, demo_site, email)
                    if language == "en":  # the demo users prefer Hebrew: switch as a person would
                        page.locator(".language-switch button").click()
                        page.wait_for_load_state()
                for path in paths:
                    page.goto(f"{demo_site}{path}")
                    page.evaluate(AXE)
                    result = page.evaluate(
                        "tags => axe.run(document, {runOnly: {type: 'tag', values: tags}, resultTypes: ['violations']})",
                        TAGS,
                    )
                    runs += 1
                    pages.add((email, path))
                    rules.update(
                        rule["id"] for rule in result["passes"] + result["violations"] + result["incomplete"]
                    )
                    for violation in result["violations"]:
                        if violation["impact"] in ("serious", "critical"):
                            targets = [node["target"] for node in violation["nodes"][:3]]
                            failures.append(
                                f"{path} [{language}/{size}] {violation['id']}: {violation['help']} {targets}"
                            )
                context.close()
    print(f"\naxe: {len(pages)} pages, {runs} runs (he/en × phone/desktop), {len(rules)} rules checked")
    assert failures == [], "\n".join(failures)
