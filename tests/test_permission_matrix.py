"""Every role on every URL, GET and POST, against the declared table in tests/permission_table.py.

URL patterns are discovered from the URLconf (admin included) and each parameter gets a real
object; a URL the table does not declare fails the test. The public pages are the explicit allowlist
`settings.PUBLIC_URL_NAMES`: anyone else who is not signed in must be sent to the login page.
"""

import pytest
from django.conf import settings
from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode

from movement.models import Kibbutz
from tests.permission_table import ADMIN, ROLES, TABLE

pytestmark = pytest.mark.django_db


def discovered(resolver=None, namespace=""):
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            yield from discovered(pattern, namespace + (f"{pattern.namespace}:" if pattern.namespace else ""))
        elif isinstance(pattern, URLPattern) and pattern.name:
            # path() patterns name their parameters in converters, re_path() ones in the regex.
            parameters = list(pattern.pattern.converters) or list(pattern.pattern.regex.groupindex)
            yield namespace + pattern.name, parameters, str(pattern.pattern)


@pytest.fixture
def world(personas, plan_2018, tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"
    from meetings.models import Decision, Meeting
    from plans.models import Goal

    null = open("/dev/null", "w")
    call_command("load_protocol", "fixtures/source/protocol-2010-12-21.json", stdout=null)
    body_plan = tmp_path / "body.txt"
    body_plan.write_text("תכנית המטה השיתופי\n\nיעדים:\n- יעד אחד\n", encoding="utf-8")
    call_command("import_plan", str(body_plan), "--year", "2018", "--owner", "cooperative-hq", stdout=null)
    goal = Goal.objects.filter(plan=plan_2018, department__slug="youth").order_by("order").first()
    goal.responsible = personas["youth_staff"]
    goal.save()
    # The body plan's goal is the youth department's too, so one row of the table serves both URL forms.
    body_goal = Goal.objects.get(plan__body__slug="cooperative-hq")
    body_goal.department, body_goal.responsible = goal.department, personas["youth_staff"]
    body_goal.save()
    from visits.models import FollowUp, Visit

    visit = Visit.objects.create(coordinator=personas["negev_coordinator"], summary="ביקור")
    visit.kibbutzim.add(Kibbutz.objects.get(slug="beeri"))
    follow_up = FollowUp.objects.create(visit=visit, text="משימה", owner=personas["negev_coordinator"])
    from django.core.files.base import ContentFile

    from movement.models import ReportJob

    report = ReportJob(
        kind="plan", object_id=plan_2018.pk, title="2018", status=ReportJob.Status.DONE, pages=1
    )
    report.file.save("plan-2018-he.pdf", ContentFile(b"%PDF-1.7\n"), save=True)
    from django_otp.plugins.otp_totp.models import TOTPDevice

    TOTPDevice.objects.create(user=personas["secretariat"], name="app", confirmed=True)
    decision = Decision.objects.filter(meeting__date="2010-12-21").first()
    decision.owner = personas["youth_head"]
    decision.save()
    users = {
        "anonymous": None,
        "member": personas["member"],
        "coordinator": personas["negev_coordinator"],
        "head": personas["youth_head"],
        "other_head": personas["education_head"],
        "responsible": personas["youth_staff"],
        "secretariat": personas["secretariat"],
    }
    return {
        "users": users,
        "kwargs": {
            "year": 2018,
            "goal_id": goal.pk,
            "body": "cooperative-hq",
            "slug": "beeri",
            "pk": decision.pk,
            "uidb64": urlsafe_base64_encode(force_bytes(personas["member"].pk)),
            "token": "set-password",
        },
        "meeting": Meeting.objects.get(date="2010-12-21"),
        "goal": goal,
        "body_goal": body_goal,
        "visit": visit,
        "follow_up": follow_up,
        "report": report,
    }


def url_for(name, converters, world):
    kwargs = dict(world["kwargs"])
    if name == "department":
        kwargs["slug"] = "youth"
    if name == "meetings:meeting":
        kwargs["pk"] = world["meeting"].pk
    if name in ("visits:visit", "visits:edit"):
        kwargs["pk"] = world["visit"].pk
    if name == "visits:follow_up_status":
        kwargs["pk"] = world["follow_up"].pk
    if name in ("report", "report_download"):
        kwargs["pk"] = world["report"].pk
    if name == "visits:export":
        kwargs["fmt"] = "csv"
    if name.startswith("plans:") and "body" not in converters:
        kwargs.pop("body", None)
    if "body" in converters and "goal_id" in converters:
        kwargs["goal_id"] = world["body_goal"].pk
    if name.startswith("admin:"):
        return admin_url(name, converters, world)
    return reverse(name, kwargs={key: kwargs[key] for key in converters})


def admin_url(name, converters, world):
    if name.endswith("_simple_history"):  # simple-history's page of one historical version
        model = next(
            m
            for m in admin.site._registry
            if name == f"admin:{m._meta.app_label}_{m._meta.model_name}_simple_history"
        )
        version = model.history.order_by("history_id").first()
        return reverse(name, args=[version.instance.pk, version.history_id] if version else [999999, 999999])
    kwargs = {}
    if "app_label" in converters:
        kwargs["app_label"] = "plans"
    if "object_id" in converters:
        model = next(
            (
                m
                for m in admin.site._registry
                if name.startswith(f"admin:{m._meta.app_label}_{m._meta.model_name}_")
            ),
            None,
        )
        # A real row where the model has one; otherwise an id that does not exist (the admin answers 302).
        first = model.objects.order_by("pk").first() if model else world["goal"]
        kwargs["object_id"] = first.pk if first else 999999
    if "content_type_id" in converters:
        kwargs["content_type_id"] = ContentType.objects.get_for_model(world["goal"]).pk
        kwargs["object_id"] = world["goal"].pk
    if "pk" in converters:
        kwargs["pk"] = world["meeting"].pk
    if "id" in converters:  # the user admin's password page
        kwargs["id"] = world["users"]["member"].pk
    return reverse(name, kwargs=kwargs)


def expected(name, role, method):
    if name in TABLE:
        entry = TABLE[name]
    elif name.startswith("admin:"):
        entry = ADMIN
    else:
        return None
    cell = entry.get(role, entry.get("signed_in") if role != "anonymous" else None)
    if cell is None and role == "anonymous":
        cell = ("login", "login")
    return cell[0 if method == "GET" else 1] if cell else None


def test_every_role_on_every_url(client, world, settings):
    settings.AXES_ENABLED = False  # POSTs to the login page must not lock the test users out
    undeclared, wrong, cells = [], [], 0
    for name, converters, pattern in discovered():
        if name not in TABLE and not name.startswith("admin:"):
            undeclared.append(f"{name} ({pattern})")
            continue
        url = url_for(name, converters, world)
        for role in ROLES:
            for method in ("GET", "POST"):
                want = expected(name, role, method)
                client.logout()
                if world["users"][role]:
                    client.force_login(world["users"][role])
                response = client.get(url) if method == "GET" else client.post(url, {})
                cells += 1
                got = response.status_code
                if want == "login":
                    ok = got == 302 and response.url.startswith(reverse("login") + "?next=")
                elif want == "admin_login":
                    ok = got == 302 and "login" in response.url
                elif isinstance(want, tuple):
                    ok = got in want
                else:
                    ok = got == want
                if not ok:
                    wrong.append(f"{method} {url} as {role}: {got}, declared {want}")
    print(f"\npermission matrix: {cells} cells, {len(ROLES)} roles, GET and POST")
    assert undeclared == [], "URLs without an expectation in tests/permission_table.py: " + ", ".join(
        undeclared
    )
    assert wrong == [], "\n".join(wrong)


def test_the_public_allowlist_is_what_the_table_says():
    public = {
        name for name, entry in TABLE.items() if entry.get("anonymous") not in (None, ("login", "login"))
    }
    assert public == set(settings.PUBLIC_URL_NAMES)


# Tables a GET may write to: the audit of who read visit notes, sessions, login records.
GET_MAY_WRITE = {
    "visits_notesread",
    "django_session",
    "axes_accessattempt",
    "axes_accesslog",
    "axes_accessfailurelog",
}


def snapshot():
    """Every row of every table but the audit ones (and the last-login time the test's own sign-ins set)."""
    from django.db import connection

    state = {}
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            if table in GET_MAY_WRITE:
                continue
            columns = [
                column.name
                for column in connection.introspection.get_table_description(cursor, table)
                if column.name != "last_login"
            ]
            listed = ", ".join(f'"{column}"' for column in columns)
            cursor.execute(f'SELECT {listed} FROM "{table}" ORDER BY 1')  # names from introspection
            rows = cursor.fetchall()
            state[table] = (len(rows), hash(tuple(map(repr, rows))))
    return state


def test_no_get_changes_data_and_every_page_sends_the_security_headers(client, world, settings):
    settings.AXES_ENABLED = False
    settings.SECURE_HSTS_SECONDS = 31536000
    before = snapshot()
    missing_headers, requests = [], 0
    for name, converters, _pattern in discovered():
        url = url_for(name, converters, world)
        for role in ROLES:
            client.logout()
            if world["users"][role]:
                client.force_login(world["users"][role])
            response = client.get(url, secure=True)
            requests += 1
            headers = {
                "Strict-Transport-Security": "max-age=31536000"
                in response.get("Strict-Transport-Security", ""),
                "X-Content-Type-Options": response.get("X-Content-Type-Options") == "nosniff",
                "Referrer-Policy": response.get("Referrer-Policy") == "same-origin",
            }
            # A page (not a redirect, and not the debug 404 that django-csp leaves alone) carries the CSP.
            if response.status_code in (200, 400, 403) and response.get("Content-Type", "").startswith(
                "text/html"
            ):
                csp = response.get("Content-Security-Policy", "")
                headers["CSP"] = (
                    "script-src 'self'" in csp
                    and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
                )
                headers["frame-ancestors"] = "frame-ancestors 'none'" in csp
            missing_headers += [f"{url} as {role}: {header}" for header, ok in headers.items() if not ok]
    after = snapshot()
    changed = sorted(table for table in before if before[table] != after.get(table))
    print(f"\nGET on {requests} URL × role cells changed no table")
    assert changed == [], f"a GET changed {changed}"
    assert missing_headers == [], "\n".join(missing_headers[:40])
