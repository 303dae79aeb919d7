"""The benchmark's load run reads wrk right, and its report and the fault script's verdict fail when
they should: errors, lost sessions, a missing wrk, a partial import, a failure outside the outage."""

import importlib.util
import shutil
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from django.conf import settings

from tests.conftest import IN_CI

BENCH = settings.BASE_DIR / "bench"


def bench_module(name):
    spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


bench_run = bench_module("run")
faults_postgres = bench_module("faults_postgres")

needs_wrk = pytest.mark.skipif(
    not IN_CI and not shutil.which("wrk"), reason="needs wrk: apt-get install wrk (make bench-system-deps)"
)
COOKIES = {"sessionid": "session-abc", "csrftoken": "csrf-xyz"}


class Answers(BaseHTTPRequestHandler):
    """200 only for a request carrying both cookies and the CSRF header; /moved answers 302, /broken 500."""

    def do_GET(self):
        signed_in = "sessionid=session-abc" in self.headers.get("Cookie", "") and (
            "csrftoken=csrf-xyz" in self.headers.get("Cookie", "")
            and self.headers.get("X-CSRFToken") == "csrf-xyz"
        )
        status = {"/moved": 302, "/broken": 500}.get(self.path, 200 if signed_in else 403)
        self.send_response(status)
        self.send_header("Content-Length", "2")
        if status == 302:
            self.send_header("Location", "/login/")
        self.end_headers()
        self.wfile.write(b"ok")

    def log_message(self, *args):
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass  # wrk drops its connections when its time is up


@pytest.fixture
def server():
    httpd = Server(("127.0.0.1", 0), Answers)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield httpd.server_address[1]
    httpd.shutdown()
    httpd.server_close()


@needs_wrk
def test_wrk_runs_signed_in_and_reports_requests_and_latency(server):
    result = bench_run.load_run(server, "/", COOKIES, 1)
    assert result["requests"] > 10 and result["rps"] > 10
    assert result["errors"] == 0 and result["not_200"] == 0
    assert 0 < result["p50"] <= result["p99"]


@needs_wrk
def test_wrk_counts_errors_and_answers_that_are_not_200(server):
    broken = bench_run.load_run(server, "/broken", COOKIES, 1)
    assert broken["errors"] == broken["requests"] > 0  # a 500 is an error
    moved = bench_run.load_run(server, "/moved", COOKIES, 1)
    assert moved["errors"] == 0 and moved["not_200"] == moved["requests"] > 0  # a lost session
    unsigned = bench_run.load_run(server, "/", {"sessionid": "session-abc"}, 1)
    assert unsigned["errors"] == unsigned["requests"]  # no CSRF cookie: this server says 403


def run_row(rps, errors=0, not_200=0):
    return {"rps": rps, "requests": rps * 3, "p50": 5.0, "p99": 9.0, "errors": errors, "not_200": not_200}


def test_the_load_table_meets_the_budget_only_with_a_third_of_the_floor_and_no_errors():
    misses = []
    lines = bench_run.load_lines(
        [("floor", run_row(300)), ("plan 2018 (1x)", run_row(120)), ("plan 10x", run_row(20))], 3, misses
    )
    assert misses == [] and "| plan 2018 (1x) | 120 | 5.0 | 9.0 | 0 | 0 | 0.40 |" in "\n".join(lines)

    misses = []
    bench_run.load_lines([("floor", run_row(300)), ("plan 2018 (1x)", run_row(90))], 3, misses)
    assert misses == ["plan 2018 (1x) load run"]

    misses = []
    bench_run.load_lines(
        [("floor", run_row(300, errors=1)), ("dashboard 2018", run_row(200, not_200=4))], 3, misses
    )
    assert misses == ["floor load run", "dashboard 2018 load run"]


def test_without_wrk_the_report_says_so_and_misses_the_budget():
    misses = []
    lines = bench_run.load_lines([("floor", None), ("plan 2018 (1x)", None)], 3, misses)
    assert "not run: wrk is not installed" in "\n".join(lines)
    assert misses == ["load run (wrk is not installed)"]


def test_without_wrk_in_ci_the_bench_stops_before_doing_anything(monkeypatch, capsys):
    monkeypatch.setattr(bench_run, "IN_CI", True)
    monkeypatch.setattr(bench_run, "find_wrk", lambda: None)
    monkeypatch.setattr(bench_run, "recreate_database", pytest.fail)  # nothing is created
    monkeypatch.setattr("sys.argv", ["run.py", "--short"])
    monkeypatch.setenv("DATABASE_URL", "postgres://u:p@127.0.0.1:5432/movement")
    with pytest.raises(SystemExit) as stop:
        bench_run.main()
    assert "wrk is not installed" in str(stop.value.code) and "CI" in str(stop.value.code)


def postgres_results(failures_outside=0, recovery=0.1, outcomes=("none of it", "none of it", "whole plan")):
    load = {
        "phases": {"before": (100, 0), "during": (3, 40), "after": (200, failures_outside)},
        "failures outside": failures_outside,
        "failure kinds outside": ["500"] if failures_outside else [],
        "failure kinds during": ["500"],
        "stop took": 0.3,
        "outage": 2.5,
        "recovery": recovery,
    }
    document = {"sections": 32, "goals": 254}
    imports = [
        {"fault": fault, "exit": 0, "error": "", "written at fault": 84 if fault else None,
         "before": {"plans": 0, "sections": 0, "goals": 0}, "after": {"plans": 0, "sections": 0, "goals": 0},
         "new rows": dict.fromkeys(faults_postgres.PLAN_TABLES, 0), "document": document, "outcome": outcome,
         "seconds": 2.0}
        for fault, outcome in zip(["kill", "restart", None], outcomes, strict=True)
    ]  # fmt: skip
    return {"port": 5439, "load": load, "imports": imports, "prepare seconds": 15, "seconds": 45}


def test_the_postgres_faults_pass_only_with_no_failure_outside_the_outage_and_no_partial_import():
    assert not faults_postgres.failed(postgres_results())
    assert faults_postgres.failed(postgres_results(failures_outside=1))
    assert faults_postgres.failed(postgres_results(recovery=None))
    assert faults_postgres.failed(postgres_results(outcomes=("PARTIAL", "none of it", "whole plan")))
    assert faults_postgres.failed(postgres_results(outcomes=("none of it", "none of it", "none of it")))
    report = "\n".join(faults_postgres.report_lines(postgres_results()))
    assert "| 100 / 0 | 3 / 40 | 200 / 0 | 0 | 2.50 | 0.10 |" in report
    assert report.count("none of it") == 2 and "whole plan" in report
