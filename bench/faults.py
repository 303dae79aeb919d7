"""Faults: Redis killed mid-round, a worker killed mid-task, PostgreSQL restarted during a load run and
under a plan import. Prints the figures.

    DATABASE_URL=postgres://user:pass@127.0.0.1:5432/anything .venv/bin/python bench/faults.py [--reminders 300]
    .venv/bin/python bench/faults.py --only postgres     # the PostgreSQL scenarios alone (no DATABASE_URL)

The PostgreSQL scenarios (bench/faults_postgres.py) run on a throwaway cluster of their own (initdb
in a temporary directory, port 5439 unless taken), never on the shared one; see that file.

It never touches the shared Redis: it starts its own `redis-server` on another port (no persistence,
like the one on these machines) with a pidfile and kills it by that pid. It makes a throwaway
`<db>_faults` database on the DATABASE_URL server, a real SMTP server (aiosmtpd) in this process that
records every message, and a Celery worker process. Each scenario queues one reminder per person
(a "decisions due" digest), breaks something while they are being sent, lets the sweep (run here as
beat would, every few seconds) recover, and counts: rows, rows sent, messages received, messages
received twice (duplicates), reminders never received (lost) and the seconds to recover.

The sweep's grace periods are shortened for the run (REMINDER_QUEUED_GRACE_SECONDS=5,
REMINDER_CLAIM_STALE_SECONDS=15); in production they are 2 and 3 minutes.
"""

import argparse
import datetime
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

import faults_postgres  # noqa: E402
from run import bench_database_url, drop_database, recreate_database  # noqa: E402

QUEUED_GRACE = 5
CLAIM_STALE = 15
SWEEP_EVERY = 3


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--reminders", type=int, default=300, help="people (one reminder each) per scenario")
    parser.add_argument("--redis-port", type=int, default=6391)
    parser.add_argument("--timeout", type=int, default=180, help="seconds each scenario may take to recover")
    parser.add_argument("--out", default="", help="also write the table to this Markdown file")
    parser.add_argument(
        "--pg-port", type=int, default=5439, help="the throwaway cluster's port (another if taken)"
    )
    parser.add_argument(
        "--only", choices=["all", "reminders", "postgres"], default="all", help="run only these scenarios"
    )
    return parser.parse_args()


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Redis:
    """Our own redis-server, started in the foreground of a child process and stopped by its pid."""

    def __init__(self, port, workdir):
        self.port, self.workdir, self.process = port, workdir, None
        if not shutil.which("redis-server"):
            sys.exit("redis-server is not installed (apt-get install redis-server)")

    def start(self):
        pidfile = self.workdir / "redis.pid"
        self.process = subprocess.Popen(
            ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
             "--pidfile", str(pidfile), "--dir", str(self.workdir), "--daemonize", "no"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )  # fmt: skip
        for _ in range(100):
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.2) as conn:
                    conn.sendall(b"PING\r\n")
                    if conn.recv(16).startswith(b"+PONG"):
                        return
            except OSError:
                time.sleep(0.05)
        sys.exit(f"our redis-server did not start on port {self.port}")

    def kill(self):
        if self.process and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()


class Inbox:
    """The SMTP server's handler: every accepted message's reminder id, a little slowly (a real server)."""

    def __init__(self, delay):
        self.delay, self.ids, self.lock = delay, [], threading.Lock()

    async def handle_DATA(self, server, session, envelope):
        import asyncio

        await asyncio.sleep(self.delay)
        for line in envelope.content.decode("utf-8", "replace").splitlines():
            if line.startswith("X-Movement-Reminder:"):
                with self.lock:
                    self.ids.append(int(line.split(":", 1)[1]))
                break
        return "250 OK"


class Worker:
    def __init__(self, env, log):
        self.env, self.log, self.process = env, log, None

    def start(self):
        self.process = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "movement", "worker", "--concurrency=2", "--loglevel=WARNING",
             "--without-gossip", "--without-mingle", "-n", f"faults-{time.monotonic_ns()}@%h"],
            cwd=ROOT, env=self.env, stdout=self.log, stderr=subprocess.STDOUT, start_new_session=True,
        )  # fmt: skip

    def children(self):
        out = subprocess.run(["pgrep", "-P", str(self.process.pid)], capture_output=True, text=True).stdout
        return [int(pid) for pid in out.split()]

    def kill(self, sig=signal.SIGKILL):
        if self.process and self.process.poll() is None:
            os.killpg(self.process.pid, sig)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)


def make_people(count, tag):
    """`count` people, each owning one overdue decision: one digest each."""
    from meetings.models import AgendaItem, Decision, Meeting
    from movement import reminders
    from movement.models import Body, User

    body = Body.objects.order_by("pk").first()
    with reminders.muted():
        meeting = Meeting.objects.create(
            body=body, title=f"ישיבת בדיקה {tag}", date=datetime.date(2018, 1, 1)
        )
        item = AgendaItem.objects.create(meeting=meeting, order=1, label="א", title="נושא")
        people = User.objects.bulk_create(
            User(email=f"person-{tag}-{i}@faults.example", full_name=f"אדם {i}") for i in range(count)
        )
        Decision.objects.bulk_create(
            Decision(meeting=meeting, item=item, number=i + 1, text=f"סוכם {i}", owner=person,
                     due_date=datetime.date(2018, 6, 1))
            for i, person in enumerate(people)
        )  # fmt: skip
    return people


def close_batch(tag):
    """The batch's decisions are done: later scenarios' rounds do not remind its people again."""
    from meetings.models import Decision

    Decision.objects.filter(owner__email__contains=f"-{tag}-").update(status=Decision.Status.DONE)


def sweep_until_done(rows, deadline):
    """What beat would do: the sweep every few seconds, until every row of the scenario is sent."""
    from movement.models import Reminder
    from movement.tasks import sweep

    while time.monotonic() < deadline:
        if not Reminder.objects.filter(pk__in=rows).exclude(status=Reminder.Status.SENT).exists():
            return True
        try:
            sweep.delay()
        except Exception:
            pass  # the broker is still coming back
        time.sleep(SWEEP_EVERY)
    return False


def wait_until_some_sent(rows, share, deadline):
    from movement.models import Reminder

    while time.monotonic() < deadline:
        if Reminder.objects.filter(pk__in=rows, status=Reminder.Status.SENT).count() >= share * len(rows):
            return
        time.sleep(0.05)
    raise SystemExit("the round did not start sending in time")


def figures(name, rows, inbox_ids, recovered, seconds, note):
    from movement.models import Reminder

    rows = set(rows)
    received = [pk for pk in inbox_ids if pk in rows]
    unique = set(received)
    return {
        "scenario": name,
        "reminders": len(rows),
        "sent rows": Reminder.objects.filter(pk__in=rows, status=Reminder.Status.SENT).count(),
        "messages": len(received),
        "duplicates": len(received) - len(unique),
        "lost": len(rows - unique),
        "recovered in s": f"{seconds:.1f}" if recovered else "not within the timeout",
        "note": note,
    }


def main():
    args = parse_args()
    # `timeout` (CI) sends SIGTERM: leave through the finally blocks, which stop what we started.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    started = time.monotonic()
    sections, bad = [], False
    if args.only in ("all", "reminders"):
        results, seconds, workdir = reminder_scenarios(args)
        sections.append(report(results, seconds))
        bad = any(r["lost"] or r["recovered in s"] == "not within the timeout" for r in results)
        shutil.rmtree(workdir, ignore_errors=True)
    if args.only in ("all", "postgres"):
        postgres = faults_postgres.run(args.pg_port)
        sections.append("\n".join(faults_postgres.report_lines(postgres)))
        bad = bad or faults_postgres.failed(postgres)
    table = "\n\n".join(sections) + f"\n\nAll fault scenarios took {time.monotonic() - started:.0f} s."
    print(table)
    if args.out:
        Path(args.out).write_text(table + "\n", encoding="utf-8")
    return 1 if bad else 0


def reminder_scenarios(args):
    """Redis killed mid-round, the worker killed, a pool process killed: (figures, seconds, workdir)."""
    admin_url, _database_url, _name = bench_database_url()
    name = admin_url.rsplit("/", 1)[1].split("?")[0] + "_faults"
    database_url = admin_url.rsplit("/", 1)[0] + "/" + name
    recreate_database(admin_url, name)
    workdir = Path(tempfile.mkdtemp(prefix="movement-faults-"))
    redis = Redis(args.redis_port, workdir)
    redis.start()

    from aiosmtpd.controller import Controller

    inbox = Inbox(delay=0.01)
    smtp_port = free_port()
    smtp = Controller(inbox, hostname="127.0.0.1", port=smtp_port)
    smtp.start()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "movement.settings",
        "DATABASE_URL": database_url,
        "REDIS_URL": f"redis://127.0.0.1:{args.redis_port}/0",
        "EMAIL_URL": f"smtp://127.0.0.1:{smtp_port}",
        "DJANGO_DEBUG": "1",
        "DJANGO_LOG_LEVEL": "WARNING",
        "REMINDER_QUEUED_GRACE_SECONDS": str(QUEUED_GRACE),
        "REMINDER_CLAIM_STALE_SECONDS": str(CLAIM_STALE),
    }
    os.environ.update(env)
    import django

    django.setup()
    from django.core.management import call_command

    from movement.models import Reminder
    from movement.tasks import reminder_round

    log = open(workdir / "worker.log", "w")
    worker = Worker(env, log)
    results = []
    started = time.monotonic()
    try:
        call_command("migrate", verbosity=0)
        call_command("load_reference_data", stdout=open(os.devnull, "w"))
        worker.start()
        time.sleep(3)

        # 1. Two rounds at once (two beats by mistake), then Redis killed mid-round and started empty.
        make_people(args.reminders, "a")
        day = "2018-11-20"
        first, second = reminder_round.delay(day), reminder_round.delay(day)
        created = first.get(timeout=120) + second.get(timeout=120)
        rows = list(Reminder.objects.values_list("pk", flat=True))
        deadline = time.monotonic() + args.timeout
        wait_until_some_sent(rows, 1 / 3, deadline)
        redis.kill()
        down_at = time.monotonic()
        time.sleep(3)
        redis.start()
        ok = sweep_until_done(rows, deadline)
        results.append(
            figures(
                "two rounds at once, Redis killed mid-round (3 s down, restarted empty)",
                rows, inbox.ids, ok, time.monotonic() - down_at,
                f"rounds created {created} rows for {args.reminders} people",
            )
        )  # fmt: skip

        close_batch("a")

        # 2. The whole worker killed (SIGKILL, main process and pool) mid-round; a new one started.
        inbox.delay = 0.05
        make_people(args.reminders, "b")
        reminder_round.delay("2018-11-27").get(timeout=120)
        rows = list(Reminder.objects.filter(recipient__email__contains="-b-").values_list("pk", flat=True))
        deadline = time.monotonic() + args.timeout
        wait_until_some_sent(rows, 1 / 3, deadline)
        worker.kill()
        killed_at = time.monotonic()
        in_flight = Reminder.objects.filter(pk__in=rows, status=Reminder.Status.CLAIMED).count()
        worker.start()
        ok = sweep_until_done(rows, deadline)
        results.append(
            figures(
                "worker killed mid-task (SIGKILL to the whole worker), new worker started",
                rows, inbox.ids, ok, time.monotonic() - killed_at,
                f"{in_flight} rows were claimed (in flight) at the kill",
            )
        )  # fmt: skip

        close_batch("b")

        # 3. One pool process killed mid-task (as the kernel's OOM killer would); the worker lives on.
        make_people(args.reminders, "c")
        reminder_round.delay("2018-12-04").get(timeout=120)
        rows = list(Reminder.objects.filter(recipient__email__contains="-c-").values_list("pk", flat=True))
        deadline = time.monotonic() + args.timeout
        wait_until_some_sent(rows, 1 / 3, deadline)
        children = worker.children()
        for pid in children[:1]:
            os.kill(pid, signal.SIGKILL)
        killed_at = time.monotonic()
        ok = sweep_until_done(rows, deadline)
        results.append(
            figures(
                "one pool process killed mid-task (SIGKILL), the worker lives on",
                rows, inbox.ids, ok, time.monotonic() - killed_at,
                f"killed pid {children[:1]}",
            )
        )  # fmt: skip
    finally:
        worker.kill(signal.SIGTERM)
        log.close()
        redis.kill()
        smtp.stop()
        from django.db import connections

        connections.close_all()
        drop_database(admin_url, name)

    return results, time.monotonic() - started, workdir


def report(results, seconds):
    columns = [
        "scenario",
        "reminders",
        "sent rows",
        "messages",
        "duplicates",
        "lost",
        "recovered in s",
        "note",
    ]
    lines = [
        "# Faults in the reminder machinery (bench/faults.py)",
        "",
        f"Own Redis on another port, a real SMTP server, a Celery worker with 2 pool processes; sweep every "
        f"{SWEEP_EVERY} s with grace {QUEUED_GRACE} s (queued) and {CLAIM_STALE} s (claimed). Total {seconds:.0f} s.",
        "",
        "| " + " | ".join(columns) + " |",
        "| " + " | ".join("---" for _ in columns) + " |",
    ]
    lines += ["| " + " | ".join(str(row[c]) for c in columns) + " |" for row in results]
    lines += [
        "",
        "A duplicate can only come from the one window email leaves open: the SMTP server accepted a message",
        "and the worker died before marking its row sent; the sweep re-sends such a row (and logs it).",
    ]
    return "\n".join(lines)


if __name__ == "__main__":
    sys.exit(main())
