"""Benchmarks: SQL queries and server time per page at the 2018 scale and at 10x, against a floor.

    DATABASE_URL=postgres://user:pass@127.0.0.1:5432/anything .venv/bin/python bench/run.py [--short]

Creates its own database (<name>_bench, dropped at the end), loads the 2018 plan with its demo
progress (1x) and a synthetic plan ten times its size (10x), starts gunicorn on 127.0.0.1 with
production settings, and measures each page: its query count (in-process, the same code), p50/p95
of the time a request takes through the whole stack (sequential requests on one keep-alive
connection from this process), and throughput with a few concurrent clients for the plan page and
the floor. The floor is a minimal view, signed in through the full middleware stack, that reads one
row and renders a tiny template. Prints one table and writes docs/benchmarks.md.

PDF: the yearly plan PDF of 2018 (1x) and of the 10x plan (full mode only), each rendered in a fresh
process against the same database, before the server starts: seconds (wall and CPU) of the first
render and the best of the repeats, pages, and the process's peak resident memory.
"""

import argparse
import http.client
import json
import os
import platform
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

BUDGET_QUERIES = 12
BUDGET_RATIO_1X = 3
BUDGET_RATIO_10X = 5
BUDGET_RPS_SHARE = 1 / 3
BUDGET_PDF_SECONDS_1X = 1.5
BUDGET_PDF_MIB_1X = 150
BUDGET_PDF_SECONDS_10X = 15


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
    return counts, client.cookies["sessionid"].value


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


def timed_requests(port, path, cookie, count):
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Cookie": f"sessionid={cookie}", "Accept-Language": "he"}
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


def throughput(port, path, cookie, seconds, clients=4):
    done, errors = [0] * clients, [0] * clients
    deadline = time.perf_counter() + seconds

    def worker(index):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"Cookie": f"sessionid={cookie}", "Accept-Language": "he"}
        while time.perf_counter() < deadline:
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                if response.status == 200:
                    done[index] += 1
                else:
                    errors[index] += 1
            except OSError:
                errors[index] += 1
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(clients)]
    start = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(done) / (time.perf_counter() - start), sum(errors)


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
    admin_url, database_url, name = bench_database_url()
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
        if args.pdf_only:
            return write_report(args, postgres, load_seconds, pdf_results, None)
        counts, cookie = query_counts(head, pages)
        connection.close()

        process = start_server(env, args.port)
        requests = 30 if args.short else 150
        rows = []
        floor_p50, floor_p95 = timed_requests(args.port, "/bench/floor/", cookie, requests)
        for page, path in pages:
            p50, p95 = (
                (floor_p50, floor_p95)
                if page == "floor"
                else timed_requests(args.port, path, cookie, requests)
            )
            rows.append((page, path, counts[page], p50, p95))
        seconds = 4 if args.short else 15
        floor_rps, floor_errors = throughput(args.port, "/bench/floor/", cookie, seconds)
        plan_rps, plan_errors = throughput(args.port, "/plans/2018/", cookie, seconds)
        plan10_rps, plan10_errors = throughput(args.port, "/plans/2028/", cookie, seconds)
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
        "floor_rps": floor_rps,
        "floor_errors": floor_errors,
        "plan_rps": plan_rps,
        "plan_errors": plan_errors,
        "plan10_rps": plan10_rps,
        "plan10_errors": plan10_errors,
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
    floor_p95, floor_rps, floor_errors = served["floor_p95"], served["floor_rps"], served["floor_errors"]
    plan_rps, plan_errors = served["plan_rps"], served["plan_errors"]
    plan10_rps, plan10_errors = served["plan10_rps"], served["plan10_errors"]
    lines = [
        "# Benchmarks",
        "",
        f"Run {timezone.localtime():%Y-%m-%d %H:%M} on {machine()}; {postgres}; gunicorn, 2 sync workers,",
        f"production settings; {'short mode, ' if args.short else ''}{requests} sequential requests per page on one",
        f"keep-alive connection after 3 warm-up requests; throughput: 4 clients for {seconds} s. Data loaded in {load_seconds:.1f} s:",
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
    lines += [
        "",
        "| throughput | requests/s | errors | share of floor | budget |",
        "| --- | ---: | ---: | ---: | --- |",
        f"| floor | {floor_rps:.0f} | {floor_errors} | 1.00 | — |",
    ]
    for page, rps, errors in (
        ("plan 2018 (1x)", plan_rps, plan_errors),
        ("plan 10x", plan10_rps, plan10_errors),
    ):
        share = rps / floor_rps if floor_rps else 0
        ok = errors == 0 and (share >= BUDGET_RPS_SHARE or "10x" in page)
        if not ok:
            misses.append(f"{page} throughput")
        budget = "≥ 0.33, 0 errors " + ("ok" if ok else "MISSED") if "10x" not in page else "(reported)"
        lines.append(f"| {page} | {rps:.0f} | {errors} | {share:.2f} | {budget} |")
    lines += ["", *pdf_lines(pdf_results, misses)]
    return finish_report(args, lines, misses)


def finish_report(args, lines, misses):
    lines += ["", f"Budgets missed: {', '.join(misses) if misses else 'none'}.", ""]
    report = "\n".join(lines)
    print(report)
    Path(args.out).parent.mkdir(parents=True, exist_ok=True)
    Path(args.out).write_text(report, encoding="utf-8")
    if args.check and misses:
        sys.exit(1)


if __name__ == "__main__":
    main()
