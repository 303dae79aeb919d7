"""Benchmarks: SQL queries and server time per page at the 2018 scale and at 10x, against a floor.

    DATABASE_URL=postgres://user:pass@127.0.0.1:5432/anything .venv/bin/python bench/run.py [--short]

Creates its own database (<name>_bench, dropped at the end), loads the 2018 plan with its demo
progress (1x) and a synthetic plan ten times its size (10x), starts gunicorn on 127.0.0.1 with
production settings, and measures each page: its query count (in-process, the same code), p50/p95
of the time a request takes through the whole stack (sequential requests on one keep-alive
connection from this process), and a load run: wrk (Debian's `wrk`, `make bench` installs it) as a
second process on 127.0.0.1, signed in (session and CSRF cookies as headers), bounded in time, 4
connections, against the floor, the 2018 plan page, its dashboard and the 10x plan page: requests/s,
wrk's latency p50/p99 and errors (socket errors and answers that are not 2xx/3xx; any answer but 200
is also counted, a redirect would mean the session was lost). Without wrk the bench says so and, in
CI (CI=true), stops before doing anything. The floor is a minimal view, signed in through the full
middleware stack, that reads one row and renders a tiny template. Prints one table and writes
docs/benchmarks.md.

PDF: the yearly plan PDF of 2018 (1x) and of the 10x plan (full mode only), each rendered in a fresh
process against the same database, before the server starts: seconds (wall and CPU) of the first
render and the best of the repeats, pages, and the process's peak resident memory.
"""

import argparse
import http.client
import json
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import imports  # noqa: E402  (the XLSX import measurement)

BUDGET_QUERIES = 12
BUDGET_RATIO_1X = 3
BUDGET_RATIO_10X = 5
BUDGET_RPS_SHARE = 1 / 3
BUDGET_PDF_SECONDS_1X = 1.5
BUDGET_PDF_MIB_1X = 150
BUDGET_PDF_SECONDS_10X = 15
WRK_CONNECTIONS = 4
WRK_THREADS = 2
WRK_SCRIPT = ROOT / "bench" / "wrk_report.lua"
# The load run's pages; the first is the floor, the plan page of 2018 carries the throughput budget.
LOAD_PAGES = [
    ("floor", "/bench/floor/"),
    ("plan 2018 (1x)", "/plans/2018/"),
    ("dashboard 2018", "/plans/2018/dashboard/"),
    ("plan 10x", "/plans/2028/"),
]
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--short", action="store_true", help="fewer requests (CI)")
    parser.add_argument("--check", action="store_true", help="exit 1 when a budget is missed")
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--out", default=str(ROOT / "docs" / "benchmarks.md"))
    parser.add_argument("--pdf-only", action="store_true", help="only the PDF section (no server)")
    parser.add_argument("--pdf-child", type=int, metavar="YEAR", help=argparse.SUPPRESS)
    parser.add_argument("--import-only", action="store_true", help="only the 10,000-goal XLSX import")
    parser.add_argument("--import-child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--repeat", type=int, default=1, help=argparse.SUPPRESS)
    return parser.parse_args()


def bench_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit(
            "bench/run.py needs DATABASE_URL pointing at PostgreSQL (its server; a *_bench database is made)."
        )
    parts = urlsplit(url)
    name = parts.path.lstrip("/") or "movement"
    return url, urlunsplit(parts._replace(path=f"/{name}_bench")), f"{name}_bench"


def recreate_database(admin_url, name):
    import psycopg2

    template = os.environ.get("DATABASE_TEST_TEMPLATE")
    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')
        if template:
            cursor.execute(f'CREATE DATABASE "{name}" TEMPLATE "{template}"')
        else:
            cursor.execute(
                f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
    connection.close()


def drop_database(admin_url, name):
    import psycopg2

    connection = psycopg2.connect(admin_url)
    connection.autocommit = True
    with connection.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    connection.close()


def server_environment(database_url):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "movement.settings",
        "DATABASE_URL": database_url,
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz-ABCDEFGHIJ",
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
        "SITE_URL": "http://127.0.0.1",
        "EMAIL_URL": "consolemail://",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "DJANGO_SECURE_COOKIES": "0",
        "DJANGO_STATIC_MANIFEST": "0",
        "DJANGO_BENCH_FLOOR": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
    }
    if os.environ.get("REDIS_URL"):
        env["REDIS_URL"] = os.environ["REDIS_URL"].rsplit("/", 1)[0] + "/14"
    return env


def load_data():
    """1x: the 2018 plan and its demo progress. 10x: a plan of 2,540 goals with 12,700 updates."""
    from django.core.management import call_command

    from departments.models import Department
    from movement.models import User
    from plans.demo import synthetic_plan

    quiet = open(os.devnull, "w")
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=quiet)
    call_command("import_plan", str(ROOT / "fixtures/source/plan-2018.md"), "--year", "2018", stdout=quiet)
    head = User.objects.create_user(
        "bench-head@example.org", "bench-password-123", full_name="ראש אגף לבדיקה"
    )
    Department.objects.get(slug="youth").heads.add(head)
    call_command("demo_progress", "2018", stdout=quiet)
    synthetic_plan(year=2028, goals=2540, sections=32, updates_per_goal=5, author=head)
    call_command("load_protocol", str(ROOT / "fixtures/source/protocol-2010-12-21.json"), stdout=quiet)
    from meetings.demo import synthetic_meetings

    # 10x meetings: 500 meetings with 5,000 decisions (1x is 50 / 500; the pages below are paged).
    synthetic_meetings(meetings=500, decisions_per_meeting=10, owner=head)
    from movement.models import Kibbutz, Region
    from visits.demo import synthetic_visits

    # 10x visits: 20,000 in a year by the bench user, also the Negev's coordinator (1x is 2,000).
    Region.objects.get(slug="negev").coordinators.add(head)
    synthetic_visits(
        count=20000, coordinator=head, kibbutzim=list(Kibbutz.objects.filter(region__slug="negev"))
    )
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would have: planner statistics for bulk-loaded tables
        cursor.execute("ANALYZE")
    return head


def query_counts(user, pages):
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    client = Client()
    client.force_login(user)
    counts = {}
    for name, path in pages:
        client.get(path)  # warm caches, as a running server has them
        with CaptureQueriesContext(connection) as queries:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        counts[name] = len(queries)
    csrf = client.cookies.get("csrftoken")
    return counts, {"sessionid": client.cookies["sessionid"].value, "csrftoken": csrf.value if csrf else ""}


def start_server(env, port):
    pidfile = ROOT / "bench" / f".gunicorn-{port}.pid"
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "movement.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--pid", str(pidfile), "--log-level", "warning"],
        cwd=ROOT, env=env,
    )  # fmt: skip
    for _ in range(100):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    sys.exit("gunicorn did not come up")


def cookie_header(cookies):
    return "; ".join(f"{name}={value}" for name, value in cookies.items() if value)


def timed_requests(port, path, cookies, count):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": cookie_header(cookies), "Accept-Language": "he"}
    times = []
    for _ in range(count + 3):
        start = time.perf_counter()
        connection.request("GET", path, headers=headers)
        response = connection.getresponse()
        response.read()
        elapsed = time.perf_counter() - start
        if response.status != 200:
            raise SystemExit(f"{path} answered {response.status}")
        times.append(elapsed)
    times = sorted(times[3:])  # the first three warm the workers
    return statistics.median(times) * 1000, times[max(0, int(len(times) * 0.95) - 1)] * 1000


def find_wrk():
    """wrk's path; when it is missing and we are root, install it as `make bench` would. None if absent."""
    if not shutil.which("wrk") and os.geteuid() == 0 and shutil.which("apt-get"):
        subprocess.run([str(ROOT / "scripts" / "apt-ensure"), "wrk"], check=False)
    return shutil.which("wrk")


def load_run(port, path, cookies, seconds):
    """wrk against one page for `seconds`: requests/s, latency p50/p99 in ms, and the errors."""
    headers = [f"Cookie: {cookie_header(cookies)}", "Accept-Language: he"]
    if cookies.get("csrftoken"):
        headers.append(f"X-CSRFToken: {cookies['csrftoken']}")
    command = ["wrk", "-t", str(WRK_THREADS), "-c", str(WRK_CONNECTIONS), "-d", f"{seconds}s",
               "--timeout", "10s", "--latency", "-s", str(WRK_SCRIPT)]  # fmt: skip
    for header in headers:
        command += ["-H", header]
    completed = subprocess.run(
        [*command, f"http://127.0.0.1:{port}{path}"], capture_output=True, text=True, timeout=seconds + 60
    )
    line = next((x for x in completed.stdout.splitlines() if x.startswith("WRK-JSON ")), None)
    if completed.returncode != 0 or line is None:
        raise SystemExit(
            f"wrk failed on {path} ({completed.returncode}):\n{completed.stdout}{completed.stderr}"
        )
    result = json.loads(line.removeprefix("WRK-JSON "))
    socket_errors = sum(result[kind] for kind in ("connect", "read", "write", "timeout"))
    return {
        "rps": result["requests"] / (result["duration_us"] / 1e6),
        "requests": result["requests"],
        "p50": result["p50_us"] / 1000,
        "p99": result["p99_us"] / 1000,
        "errors": socket_errors + result["status"],  # socket errors and answers not 2xx/3xx
        "not_200": result["not_200"],
    }


def pdf_child(year, repeat):
    """In a fresh process: render the movement's plan of `year` `repeat` times; print one JSON line."""
    import resource

    import django

    django.setup()
    from plans.models import AnnualPlan
    from plans.reports import render_plan_pdf

    plan = AnnualPlan.objects.select_related("body").get(year=year, body__isnull=True)
    before = _rss_mib()
    runs = []
    for _ in range(repeat):
        started, cpu = time.perf_counter(), time.process_time()
        pdf = render_plan_pdf(plan)
        runs.append((time.perf_counter() - started, time.process_time() - cpu))
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # KiB on Linux
    print(json.dumps({"runs": runs, "pages": pdf.page_count, "kib": len(pdf) // 1024, "before_mib": before,
                      "peak_mib": peak}))  # fmt: skip


def _rss_mib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS"))


def pdf_measurements(env, plans, repeat):
    """(label, year, result) for each plan, each rendered `repeat` times in a process of its own."""
    results = []
    for label, year in plans:
        completed = subprocess.run(
            [sys.executable, str(Path(__file__).resolve()), "--pdf-child", str(year), "--repeat", str(repeat)],
            cwd=ROOT, env=env, capture_output=True, text=True, timeout=300,
        )  # fmt: skip
        if completed.returncode != 0:
            raise SystemExit(f"PDF of {year} failed:\n{completed.stderr[-3000:]}")
        results.append((label, year, json.loads(completed.stdout.strip().splitlines()[-1])))
    return results


def pdf_lines(results, misses):
    """The PDF table. The budget is checked on the best of the repeats (the first render in a process
    also starts fontconfig and loads the fonts), and on the process's peak resident memory."""
    lines = [
        "| PDF report | goals | pages | first render s (CPU s) | best of repeats s | peak RSS MiB (before render) | budget |",
        "| --- | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    for label, goals, result in results:
        first_wall, first_cpu = result["runs"][0]
        best = min(wall for wall, _cpu in result["runs"])
        if goals > 1000:
            ok = best <= BUDGET_PDF_SECONDS_10X
            budget = f"≤ {BUDGET_PDF_SECONDS_10X} s {'ok' if ok else 'MISSED'}"
        else:
            ok = best <= BUDGET_PDF_SECONDS_1X and result["peak_mib"] <= BUDGET_PDF_MIB_1X
            budget = f"≤ {BUDGET_PDF_SECONDS_1X} s, ≤ {BUDGET_PDF_MIB_1X} MiB {'ok' if ok else 'MISSED'}"
        if not ok:
            misses.append(f"{label} PDF")
        lines.append(
            f"| {label} | {goals:,} | {result['pages']} | {first_wall:.2f} ({first_cpu:.2f}) | {best:.2f} "
            f"(of {len(result['runs'])}) | {result['peak_mib']:.0f} ({result['before_mib']:.0f}) | {budget} |"
        )
    return lines


def machine():
    cpu = next(
        (line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo") if line.startswith("model name")),
        "?",
    )
    memory = next((line.split()[1] for line in open("/proc/meminfo") if line.startswith("MemTotal")), "0")
    return f"{os.cpu_count()} cores ({cpu}), {int(memory) // 1024 // 1024} GiB, Python {platform.python_version()}"


def main():
    args = parse_args()
    if args.pdf_child:
        return pdf_child(args.pdf_child, args.repeat)
    if args.import_child:
        return imports.child()
    if args.import_only:
        return import_only(args)
    admin_url, database_url, name = bench_database_url()
    wrk = None if args.pdf_only else find_wrk()
    if not args.pdf_only and not wrk:
        message = (
            "wrk is not installed (apt-get install wrk, or `make bench-system-deps` as root): no load run."
        )
        if IN_CI:
            sys.exit(f"bench/run.py: {message} CI needs the load run; stopping.")
        print(f"WARNING: {message} The report will say so and count it as a missed budget.", file=sys.stderr)
    recreate_database(admin_url, name)
    env = server_environment(database_url)
    os.environ.update(env)
    import django

    django.setup()
    from django.db import connection

    from meetings.models import Meeting
    from plans.models import Goal

    process = None
    try:
        started = time.perf_counter()
        head = load_data()
        load_seconds = time.perf_counter() - started
        goal_1x = Goal.objects.filter(plan__year=2018, department__slug="youth").order_by("order").first()
        goal_10x = Goal.objects.filter(plan__year=2028).order_by("order").first()
        pages = [
            ("floor", "/bench/floor/"),
            ("home", "/"),
            ("plan 2018 (1x)", "/plans/2018/"),
            ("plan 2018 filtered", "/plans/2018/?status=at_risk"),
            ("dashboard 2018", "/plans/2018/dashboard/"),
            ("department 2018", "/departments/youth/?year=2018"),
            ("goal 2018", goal_1x.get_absolute_url()),
            ("my goals", "/plans/my-goals/"),
            ("plan 10x", "/plans/2028/"),
            ("plan 10x filtered", "/plans/2028/?status=at_risk"),
            ("dashboard 10x", "/plans/2028/dashboard/"),
            ("department 10x", "/departments/youth/?year=2028"),
            ("goal 10x", goal_10x.get_absolute_url()),
            ("protocol 2010", Meeting.objects.get(date="2010-12-21").get_absolute_url()),
            ("meeting 10x", Meeting.objects.order_by("-date").first().get_absolute_url()),
            ("decisions tracker 10x", "/meetings/decisions/"),
            ("my decisions 10x", "/meetings/decisions/mine/"),
            ("coverage 10x", "/visits/coverage/"),
            ("my visits 10x", "/visits/"),
            ("kibbutz page 10x", "/kibbutzim/beeri/"),
        ]
        with connection.cursor() as cursor:
            cursor.execute("SELECT version()")
            postgres = cursor.fetchone()[0].split(",")[0]
        goal_counts = {
            year: Goal.objects.filter(plan__year=year, is_archived=False).count() for year in (2018, 2028)
        }
        connection.close()
        # PDFs first, with no server running beside them: the short mode (CI) renders 2018 only.
        pdf_plans = [("yearly plan 2018 (1x)", 2018)] + ([] if args.short else [("plan 10x", 2028)])
        pdf_results = [
            (label, goal_counts[year], result)
            for label, year, result in pdf_measurements(env, pdf_plans, repeat=3)
        ]
        args.import_result = imports.measure(env, ROOT)  # also before the server starts
        if args.pdf_only:
            return write_report(args, postgres, load_seconds, pdf_results, None)
        counts, cookies = query_counts(head, pages)
        connection.close()

        process = start_server(env, args.port)
        requests = 30 if args.short else 150
        rows = []
        floor_p50, floor_p95 = timed_requests(args.port, "/bench/floor/", cookies, requests)
        for page, path in pages:
            p50, p95 = (
                (floor_p50, floor_p95)
                if page == "floor"
                else timed_requests(args.port, path, cookies, requests)
            )
            rows.append((page, path, counts[page], p50, p95))
        seconds = 3 if args.short else 10
        load = [
            (page, load_run(args.port, path, cookies, seconds) if wrk else None) for page, path in LOAD_PAGES
        ]
    finally:
        if process:
            process.terminate()
            process.wait(timeout=30)
        drop_database(admin_url, name)

    served = {
        "rows": rows,
        "requests": requests,
        "seconds": seconds,
        "floor_p95": floor_p95,
        "load": load,
    }
    write_report(args, postgres, load_seconds, pdf_results, served)


def write_report(args, postgres, load_seconds, pdf_results, served):
    """The report: pages and throughput (`served`, None with --pdf-only), then the PDFs."""
    from django.utils import timezone

    misses = []
    if served is None:
        lines = [
            "# Benchmarks (PDF only)",
            "",
            f"Run {timezone.localtime():%Y-%m-%d %H:%M} on {machine()}; {postgres}. Data loaded in {load_seconds:.1f} s.",
            "",
        ]
        lines += pdf_lines(pdf_results, misses)
        return finish_report(args, lines, misses)
    rows, requests, seconds = served["rows"], served["requests"], served["seconds"]
    floor_p95 = served["floor_p95"]
    lines = [
        "# Benchmarks",
        "",
        f"Run {timezone.localtime():%Y-%m-%d %H:%M} on {machine()}; {postgres}; gunicorn, 2 sync workers,",
        f"production settings; {'short mode, ' if args.short else ''}{requests} sequential requests per page on one",
        f"keep-alive connection after 3 warm-up requests; load run: wrk, {WRK_CONNECTIONS} connections for {seconds} s a page. Data loaded in {load_seconds:.1f} s:",
        "1x = the 2018 plan (254 goals, ~1,200 demo updates) and the 2010 protocol; 10x = a synthetic plan of 2,540 goals",
        "with 12,700 updates, 500 synthetic meetings with 5,000 decisions (tracker and my decisions page 50 at a time),",
        "and 20,000 visits in a year (visit list 50 a page; coverage over the Negev's kibbutzim).",
        "",
        "| page | queries | p50 ms | p95 ms | p95 / floor | budget |",
        "| --- | ---: | ---: | ---: | ---: | --- |",
    ]
    for page, _path, queries, p50, p95 in rows:
        ratio = p95 / floor_p95
        limit = BUDGET_RATIO_10X if "10x" in page else BUDGET_RATIO_1X
        ok = page == "floor" or (queries <= BUDGET_QUERIES and ratio <= limit)
        if not ok:
            misses.append(page)
        budget = "—" if page == "floor" else f"≤ {BUDGET_QUERIES} q, ≤ {limit}x {'ok' if ok else 'MISSED'}"
        lines.append(f"| {page} | {queries} | {p50:.1f} | {p95:.1f} | {ratio:.1f}x | {budget} |")
    lines += ["", *load_lines(served["load"], seconds, misses)]
    lines += ["", *pdf_lines(pdf_results, misses)]
    return finish_report(args, lines, misses)


def load_lines(load, seconds, misses):
    """The load run's table: wrk's requests/s, p50/p99 and errors per page, and each page's share of
    the floor's requests/s (plan throughput / floor throughput). Budget: the 2018 plan page ≥ 1/3 of
    the floor; no errors on any page."""
    header = [
        f"| load run (wrk, {WRK_CONNECTIONS} connections, {seconds} s) | requests/s | p50 ms | p99 ms | errors "
        "| not 200 | share of floor | budget |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
    ]
    if any(result is None for _page, result in load):
        misses.append("load run (wrk is not installed)")
        return [
            *header,
            "| not run: wrk is not installed (apt-get install wrk) | — | — | — | — | — | — | MISSED |",
        ]
    floor_rps = load[0][1]["rps"]
    lines = list(header)
    for page, result in load:
        share = result["rps"] / floor_rps if floor_rps else 0
        clean = result["errors"] == 0 and result["not_200"] == 0
        if page == "floor":
            ok, budget = clean, "0 errors"
        elif page == "plan 2018 (1x)":
            ok, budget = clean and share >= BUDGET_RPS_SHARE, f"≥ {BUDGET_RPS_SHARE:.2f}, 0 errors"
        else:
            ok, budget = clean, "0 errors (share reported)"
        if not ok:
            misses.append(f"{page} load run")
        lines.append(
            f"| {page} | {result['rps']:.0f} | {result['p50']:.1f} | {result['p99']:.1f} | {result['errors']} "
            f"| {result['not_200']} | {share:.2f} | {budget} {'ok' if ok else 'MISSED'} |"
        )
    return lines


def import_only(args):
    """The import benchmark alone: the reference data and the 2018 plan, then 10,000 goals."""
    admin_url, database_url, name = bench_database_url()
    recreate_database(admin_url, name)
    env = server_environment(database_url)
    os.environ.update(env)
    import django
    from django.core.management import call_command

    django.setup()
    try:
        quiet = open(os.devnull, "w")
        call_command("migrate", verbosity=0)
        call_command("load_reference_data", stdout=quiet)
        call_command(
            "import_plan", str(ROOT / "fixtures/source/plan-2018.md"), "--year", "2018", stdout=quiet
        )
        from django.db import connection

        connection.close()
        result = imports.measure(env, ROOT)
    finally:
        drop_database(admin_url, name)
    misses = []
    print("\n".join(imports.lines(result, misses)))
    print(f"Budgets missed: {', '.join(misses) if misses else 'none'}.")
    if args.check and misses:
        sys.exit(1)


def finish_report(args, lines, misses):
    lines += imports.lines(getattr(args, "import_result", None), misses)
    lines += ["", f"Budgets missed: {', '.join(misses) if misses else 'none'}.", ""]
    report = "\n".join(lines)
    print(report)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report, encoding="utf-8")
    if args.check and misses:
        sys.exit(1)


if __name__ == "__main__":
    main()
