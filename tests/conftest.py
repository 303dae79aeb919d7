"""Fixtures shared by the suite: the parts a test needs, personas, and the browser."""

import os
import shutil
from collections import Counter
from functools import cache
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

ARTIFACTS = Path(__file__).parent / "artifacts"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
CHROMIUM = "/usr/bin/chromium"

_skipped_parts = Counter()


@cache
def _missing(part):
    """Why `part` cannot be used here, or "" when it can."""
    if part == "postgres":
        if settings.DATABASES["default"]["ENGINE"] != "django.db.backends.postgresql":
            return "DATABASE_URL does not point at PostgreSQL"
    elif part == "redis":
        if not settings.REDIS_URL:
            return "REDIS_URL is not set"
        import redis

        try:
            redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()
        except redis.RedisError as error:
            return f"Redis at REDIS_URL does not answer: {error}"
    elif part == "browser":
        if not shutil.which(CHROMIUM):
            return f"{CHROMIUM} is not installed (apt-get install chromium)"
    return ""


def pytest_collection_modifyitems(config, items):
    """Tests marked postgres / redis / browser skip, counted, where the part is missing.

    In CI (CI=true) nothing is skipped: such a test fails instead (see `_parts_present_in_ci`).
    """
    if IN_CI:
        return
    for item in items:
        for part in ("postgres", "redis", "browser"):
            if item.get_closest_marker(part) and _missing(part):
                _skipped_parts[part] += 1
                item.add_marker(pytest.mark.skip(reason=f"needs {part}: {_missing(part)}"))
                break


@pytest.fixture(autouse=True)
def _parts_present_in_ci(request):
    for part in ("postgres", "redis", "browser"):
        if IN_CI and request.node.get_closest_marker(part) and _missing(part):
            pytest.fail(f"CI=true and this test needs {part}: {_missing(part)}")


def pytest_terminal_summary(terminalreporter):
    if _skipped_parts:
        counts = ", ".join(f"{count} needing {part}" for part, count in sorted(_skipped_parts.items()))
        terminalreporter.write_line(f"Skipped for a missing part: {counts}.", yellow=True)


# Data ---------------------------------------------------------------------------------------------


@pytest.fixture(autouse=True, scope="session")
def _celery_tasks_run_eagerly():
    """Tasks run in the test's process; tests/test_worker.py turns this off for its real worker."""
    from movement.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True


@pytest.fixture
def reference_data(db):
    """Regions, kibbutzim, bodies, departments and units as fixtures/ gives them."""
    from movement.models import Region

    if not Region.objects.exists():
        call_command("load_reference_data", stdout=open(os.devnull, "w"))


@pytest.fixture
def personas(reference_data):
    """The people the tests speak of (healthchecks' alice, bob and charlie, for this portal)."""
    from departments.models import Department
    from movement.models import Kibbutz, Region
    from tests.factories import UserFactory

    youth = Department.objects.get(slug="youth")
    education = Department.objects.get(slug="education")
    negev = Region.objects.get(slug="negev")

    people = {
        "secretariat": UserFactory(full_name="רות מזכירות", is_secretariat=True, is_staff=True),
        "youth_head": UserFactory(full_name="יואב ראש צעירים"),
        "youth_staff": UserFactory(full_name="נועה צוות צעירים"),
        "education_head": UserFactory(full_name="שרה ראש חינוך"),
        "negev_coordinator": UserFactory(full_name="אבי רכז נגב"),
        "north_coordinator": UserFactory(full_name="גלית רכזת גליל"),
        "member": UserFactory(full_name="מיכל חברה", home_kibbutz=Kibbutz.objects.get(slug="beeri")),
    }
    youth.heads.add(people["youth_head"])
    youth.staff.add(people["youth_staff"])
    education.heads.add(people["education_head"])
    negev.coordinators.add(people["negev_coordinator"])
    Region.objects.get(slug="upper-galilee").coordinators.add(people["north_coordinator"])
    return people


# Browser ------------------------------------------------------------------------------------------


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium; `playwright install` cannot download a browser here."""
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "headless": True,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-quic",
            "--no-first-run",
        ],
    }


@pytest.fixture
def artifacts():
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def plan_2018(reference_data):
    """The movement's 2018 plan, imported from the reviewed outline the way `make setup` does."""
    from plans.models import AnnualPlan

    call_command(
        "import_plan",
        str(settings.BASE_DIR / "fixtures/source/plan-2018.md"),
        "--year",
        "2018",
        stdout=open(os.devnull, "w"),
    )
    return AnnualPlan.objects.get(year=2018, body__isnull=True)
