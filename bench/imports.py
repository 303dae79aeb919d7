"""The import benchmark: 10,000 new goals from one XLSX, through the background job's two phases.

Run by bench/run.py (a fresh process per measurement, like the PDFs), or alone:

    DATABASE_URL=postgres://user:pass@127.0.0.1:5432/anything .venv/bin/python bench/run.py --import-only

The child process builds an XLSX of 10,000 goals spread over the 2018 plan's sections, then runs the
job as a worker would: the check of every row, then (confirmed) the check again and the writing in one
transaction with bulk_create_with_history. It reports the seconds of each phase, the peak resident
memory of the process and its growth over the import, and checks that 10,000 goals and 10,000 history
rows were written.
"""

import json
import subprocess
import sys
import time
from pathlib import Path

ROWS = 10_000
BUDGET_SECONDS = 20  # check + confirmed write, on this 2-core machine, PostgreSQL
BUDGET_PEAK_MIB = 400  # the worker process's peak resident memory, Django and the file included


def _rss_mib():
    with open("/proc/self/status") as status:
        return next(int(line.split()[1]) / 1024 for line in status if line.startswith("VmRSS"))


def child():
    """In a fresh process: the 10,000-goal import; print one JSON line."""
    import resource

    import django

    django.setup()
    import tablib
    from django.core.files.base import ContentFile
    from django.utils import timezone

    from movement.importing import run_import_job
    from movement.models import ImportJob, User
    from plans.models import AnnualPlan, Goal

    plan = AnnualPlan.objects.get(year=2018, body__isnull=True)
    paths = _section_paths(plan)
    headers = ["id", "plan_year", "plan_owner", "section", "text_he", "department", "target_value",
               "target_unit", "budget", "due_quarter"]  # fmt: skip
    rows = [
        ["", 2018, "", paths[n % len(paths)], f"יעד לבדיקת ייבוא מספר {n}: כ-{n % 90 + 10} משתתפים",
         "אגף חינוך", n % 90 + 10, "משתתפים", (n % 50) * 1000, n % 4 + 1]
        for n in range(ROWS)
    ]  # fmt: skip
    data = tablib.Dataset(*rows, headers=headers).export("xlsx")
    user = User.objects.filter(is_secretariat=True).first() or User.objects.create_user(
        "bench-secretariat@example.org", "bench-password-123", full_name="מזכירות לבדיקה", is_secretariat=True
    )
    goals, history = Goal.objects.count(), Goal.history.count()
    last_goal = Goal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    last_history = Goal.history.order_by("-history_id").values_list("history_id", flat=True).first() or 0
    job = ImportJob(resource="plans.resources.GoalResource", title="goals", file_name="goals.xlsx",
                    total_rows=ROWS, requested_by=user)  # fmt: skip
    job.file.save("bench-goals.xlsx", ContentFile(data), save=False)
    job.save()
    before = _rss_mib()
    started, cpu = time.perf_counter(), time.process_time()
    checked = run_import_job(job.pk)
    check_seconds = time.perf_counter() - started
    ImportJob.objects.filter(pk=job.pk).update(
        status=ImportJob.Status.QUEUED, confirmed_at=timezone.now(), confirmed_by=user
    )
    started = time.perf_counter()
    done = run_import_job(job.pk)
    write_seconds = time.perf_counter() - started
    cpu_seconds = time.process_time() - cpu
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    job.refresh_from_db()
    goals_added, history_added = Goal.objects.count() - goals, Goal.history.count() - history
    _remove_imported(Goal, last_goal, last_history)
    job.delete()
    if (Goal.objects.count(), Goal.history.count()) != (goals, history):
        raise SystemExit(
            "The imported goals were not all removed again: the pages would be measured on them."
        )
    print(json.dumps({
        "checked": checked, "done": done, "errors": job.errors[:3], "rows": ROWS, "xlsx_kib": len(data) // 1024,
        "check_s": check_seconds, "write_s": write_seconds, "cpu_s": cpu_seconds, "before_mib": before, "peak_mib": peak,
        "goals_added": goals_added, "history_added": history_added,
    }))  # fmt: skip


def _remove_imported(goal_model, last_goal, last_history):
    """Take the imported goals and their history rows out again, untimed: the pages are measured after
    this, on the 2018 plan as it was (254 goals), not on 10,254. No history is written for the removal."""
    from django.db import transaction
    from django.test.utils import override_settings

    with override_settings(SIMPLE_HISTORY_ENABLED=False), transaction.atomic():
        goal_model.objects.filter(pk__gt=last_goal).delete()
        goal_model.history.filter(history_id__gt=last_history).delete()


def _section_paths(plan):
    from plans.resources import PlanIndex

    return sorted(PlanIndex().paths(plan.pk).values())


def measure(env, root):
    """Run the child against the bench database; returns its result."""
    completed = subprocess.run(
        [sys.executable, str(Path(root) / "bench" / "run.py"), "--import-child"],
        cwd=root, env=env, capture_output=True, text=True, timeout=600,
    )  # fmt: skip
    if completed.returncode != 0:
        raise SystemExit(f"The import benchmark failed:\n{completed.stderr[-3000:]}")
    return json.loads(completed.stdout.strip().splitlines()[-1])


def lines(result, misses):
    """The import table (nothing when the run did not measure it)."""
    if not result:
        return []
    total = result["check_s"] + result["write_s"]
    written = result["done"] == "done" and result["goals_added"] == result["history_added"] == result["rows"]
    ok = written and total <= BUDGET_SECONDS and result["peak_mib"] <= BUDGET_PEAK_MIB
    if not ok:
        misses.append("XLSX import")
    budget = f"≤ {BUDGET_SECONDS} s, ≤ {BUDGET_PEAK_MIB} MiB {'ok' if ok else 'MISSED'}"
    return [
        "",
        "| XLSX import (background job) | rows | file KiB | check s | confirmed: check + write s | total s "
        "(CPU s) | peak RSS MiB (before) | written (history) | budget |",
        "| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- | --- |",
        f"| new goals, one transaction | {result['rows']:,} | {result['xlsx_kib']} | {result['check_s']:.1f} "
        f"| {result['write_s']:.1f} | {total:.1f} ({result.get('cpu_s', 0):.1f}) | {result['peak_mib']:.0f} ({result['before_mib']:.0f}) "
        f"| {result['goals_added']:,} ({result['history_added']:,}) | {budget} |",
    ]
