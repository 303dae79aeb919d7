"""What the browser tests share: loading demo data, signing in, waiting under the CSP."""

import os
import time

from django.core.management import call_command

from movement.demo import DEMO_PASSWORD

REFERENCE = [("load_reference_data",), ("load_demo",)]
PLAN_2018 = [("import_plan", "fixtures/source/plan-2018.md", "--year", "2018")]
PROTOCOL_2010 = [("load_protocol", "fixtures/source/protocol-2010-12-21.json"), ("demo_decisions",)]


def load(*steps):
    """Run management commands, quietly: each step is (command, *arguments)."""
    with open(os.devnull, "w") as null:
        for command, *arguments in steps:
            call_command(command, *arguments, stdout=null)


def sign_in(page, base, email, password=DEMO_PASSWORD):
    page.goto(f"{base}/login/")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("form.form-card button[type=submit]")
    page.wait_for_url(f"{base}/")


def wait_until(page, expression, timeout=5.0):
    """Poll a JavaScript expression (wait_for_function evaluates strings, which the CSP forbids)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        assert time.monotonic() < deadline, f"still false after {timeout} s: {expression}"
        page.wait_for_timeout(50)
