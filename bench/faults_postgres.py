"""Faults in PostgreSQL, for bench/faults.py: restarted during a load run, and under a plan import.

Everything here runs against a throwaway cluster: `initdb` (as the postgres user when we are root) in
a temporary directory, started on its own port (5439 unless taken) with its own socket directory,
stopped and started by its data directory (`pg_ctl -D`), removed at the end. The shared cluster on
5432 is never touched. Django runs only in child processes (manage.py, gunicorn) pointed at it.

1. Restart during a load run: gunicorn (2 sync workers, production settings, CONN_MAX_AGE with
   CONN_HEALTH_CHECKS) on the throwaway database; 4 client threads here, signed in, alternate the
   floor view and the 2018 plan page and record each request's start, end and outcome. After a few
   seconds the cluster is stopped (`pg_ctl stop -m fast`), left down, and started again. The outage
   window runs from the stop command to the moment `pg_ctl start -w` reports the server ready; a
   request that overlaps it may fail, any other failure is a fault. Recovery: from "ready" to the
   first request that succeeds.
2. No partial import: `manage.py import_plan` of the 2018 outline as the 2019 plan, three times: its
   process killed with SIGKILL mid-way, then PostgreSQL stopped (-m fast) and started mid-way, then
   left to finish. "Mid-way" is read from the goals' id sequence, which moves inside the uncommitted
   transaction: the fault comes once a third of the document's goals have been written. After each
   fault the database must hold no 2019 plan and no new row in any plan table; after the last run,
   the whole plan (as many sections and goals as the same document gave 2018).
"""

import http.client
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
PLAN_DOCUMENT = ROOT / "fixtures" / "source" / "plan-2018.md"
ROLE, PASSWORD, DATABASE = "movement_faults", "movement_faults_password", "movement_faults"
PLAN_TABLES = ["plans_annualplan", "plans_plansection", "plans_goal", "plans_historicalgoal"]


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def port_in_use(port):
    with socket.socket() as probe:
        return probe.connect_ex(("127.0.0.1", port)) == 0


def postgres_bin():
    """The newest installed PostgreSQL's bin directory (Debian keeps initdb and pg_ctl there)."""
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"), key=lambda p: int(p.parent.parent.name))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    sys.exit("initdb is not installed (apt-get install postgresql): no PostgreSQL fault scenarios.")


class ThrowawayPostgres:
    """A PostgreSQL cluster of our own: initdb in a temporary directory, its own port and socket."""

    def __init__(self, port):
        self.port = port
        self.bin = postgres_bin()
        self.root = Path(tempfile.mkdtemp(prefix="movement-faults-pg-"))
        self.data, self.log = self.root / "data", self.root / "server.log"
        if os.geteuid() == 0:  # PostgreSQL refuses to run as root: the cluster belongs to postgres
            shutil.chown(self.root, "postgres", "postgres")

    def _run(self, *command, check=True):
        command = [str(self.bin / command[0]), *command[1:]]
        if os.geteuid() == 0:
            command = ["runuser", "-u", "postgres", "--", *command]
        return subprocess.run(command, check=check, capture_output=True, text=True, timeout=120)

    def init(self):
        self._run("initdb", "-D", str(self.data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "-N")  # fmt: skip

    def start(self):
        options = f"-p {self.port} -k {self.root} -c listen_addresses=127.0.0.1"
        self._run(
            "pg_ctl", "-D", str(self.data), "-l", str(self.log), "-o", options, "-w", "-t", "60", "start"
        )

    def stop(self, mode="fast"):
        self._run("pg_ctl", "-D", str(self.data), "-m", mode, "-w", "-t", "60", "stop")

    def running(self):
        return self._run("pg_ctl", "-D", str(self.data), "status", check=False).returncode == 0

    def connect(self, user="postgres", database="postgres"):
        import psycopg2

        connection = psycopg2.connect(
            host="127.0.0.1", port=self.port, user=user, dbname=database, connect_timeout=5,
            password=PASSWORD if user == ROLE else None,
        )  # fmt: skip
        connection.autocommit = True
        return connection

    def create_database(self):
        """Our role (with a password, as on a machine that asks for one) and a UTF-8 database."""
        connection = self.connect()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE ROLE {ROLE} LOGIN PASSWORD '{PASSWORD}'")
            cursor.execute(
                f"CREATE DATABASE {DATABASE} OWNER {ROLE} TEMPLATE template0 ENCODING 'UTF8' "
                "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
            )
        connection.close()
        connection = self.connect(database=DATABASE)
        with connection.cursor() as cursor:
            cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        connection.close()
        return f"postgres://{ROLE}:{PASSWORD}@127.0.0.1:{self.port}/{DATABASE}"

    def destroy(self):
        if self.data.exists() and self.running():
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop", check=False)
        shutil.rmtree(self.root, ignore_errors=True)


def manage(env, *arguments, timeout=300):
    completed = subprocess.run(
        [sys.executable, "manage.py", *arguments], cwd=ROOT, env=env, capture_output=True, text=True,
        timeout=timeout,
    )  # fmt: skip
    if completed.returncode != 0:
        raise SystemExit(f"manage.py {' '.join(arguments)} failed:\n{completed.stderr[-3000:]}")
    return completed.stdout


SIGN_IN = """
from django.test import Client
from departments.models import Department
from movement.models import User
user = User.objects.create_user("faults-head@example.org", "faults-password-123", full_name="ראש אגף לבדיקה")
Department.objects.get(slug="youth").heads.add(user)
client = Client()
client.force_login(user)
print("SESSION", client.cookies["sessionid"].value)
"""


def prepare(cluster, server_env):
    """Migrate, load the reference data and the 2018 plan with its demo progress; a signed-in session."""
    manage(server_env, "migrate", "--noinput")
    manage(server_env, "load_reference_data")
    session = manage(server_env, "shell", "-c", SIGN_IN).split("SESSION", 1)[1].strip()
    manage(server_env, "import_plan", str(PLAN_DOCUMENT), "--year", "2018")
    manage(server_env, "demo_progress", "2018")
    return session


def start_gunicorn(env, port, log):
    process = subprocess.Popen(
        [str(ROOT / ".venv/bin/gunicorn"), "movement.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "30", "--log-level", "warning"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(150):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            connection.request("GET", "/health/")
            if connection.getresponse().status in (200, 503):
                return process
        except OSError:
            time.sleep(0.2)
    process.terminate()
    raise SystemExit("gunicorn did not come up on the throwaway cluster")


class LoadClients:
    """Signed-in clients in threads, each request recorded as (start, end, ok, what) on one clock."""

    PATHS = ["/bench/floor/", "/plans/2018/"]

    def __init__(self, port, session, clients=4):
        self.port, self.session, self.clients = port, session, clients
        self.records, self.lock, self.stopping = [], threading.Lock(), threading.Event()
        self.threads = [threading.Thread(target=self._client, args=(i,), daemon=True) for i in range(clients)]

    def _client(self, index):
        headers = {"Cookie": f"sessionid={self.session}", "Accept-Language": "he"}
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
        count = index
        while not self.stopping.is_set():
            path = self.PATHS[count % len(self.PATHS)]
            count += 1
            start = time.monotonic()
            try:
                connection.request("GET", path, headers=headers)
                response = connection.getresponse()
                response.read()
                ok, what = response.status == 200, str(response.status)
            except (OSError, http.client.HTTPException) as error:
                ok, what = False, type(error).__name__
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=15)
            with self.lock:
                self.records.append((start, time.monotonic(), ok, what))

    def start(self):
        for thread in self.threads:
            thread.start()

    def wait_for(self, successes, since, seconds, cap=30.0):
        """Until `seconds` have passed and `successes` requests begun after `since` succeeded (≤ cap s)."""
        while time.monotonic() < since + cap:
            with self.lock:
                done = sum(1 for start, _end, ok, _what in self.records if ok and start >= since)
            if done >= successes and time.monotonic() >= since + seconds:
                return
            time.sleep(0.1)

    def stop(self):
        self.stopping.set()
        for thread in self.threads:
            thread.join(timeout=30)


def restart_during_load(cluster, server_env, session, workdir, seconds=4.0, down=2.0, steady=60):
    """Load, stop, stay down `down` s, start, load again. Each side of the outage lasts `seconds` and
    at least until `steady` requests have succeeded (a busy machine warms gunicorn slowly), at most 30 s."""
    port = free_port()
    log = open(workdir / "gunicorn.log", "w")
    server = start_gunicorn(server_env, port, log)
    clients = LoadClients(port, session)
    try:
        for path in LoadClients.PATHS:  # the first request of each worker loads templates and the like
            for _ in range(4):
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                connection.request("GET", path, headers={"Cookie": f"sessionid={session}"})
                connection.getresponse().read()
                connection.close()
        clients.start()
        clients.wait_for(steady, since=time.monotonic(), seconds=seconds)
        down_at = time.monotonic()
        cluster.stop("fast")
        stopped_at = time.monotonic()
        time.sleep(down)
        cluster.start()
        up_at = time.monotonic()
        clients.wait_for(steady, since=up_at, seconds=seconds)
    finally:
        clients.stop()
        server.terminate()
        server.wait(timeout=30)
        log.close()
    phases = {"before": [], "during": [], "after": []}
    for start, end, ok, what in sorted(clients.records):
        phase = "before" if end < down_at else "after" if start > up_at else "during"
        phases[phase].append((start, end, ok, what))
    first_ok_after = min((end for start, end, ok, _ in phases["after"] if ok), default=None)
    failures = [r for r in phases["before"] + phases["after"] if not r[2]]
    return {
        "phases": {
            name: (sum(1 for r in rows if r[2]), sum(1 for r in rows if not r[2]))
            for name, rows in phases.items()
        },
        "failures outside": len(failures),
        "failure kinds outside": sorted({r[3] for r in failures}),
        "failure kinds during": sorted({r[3] for r in phases["during"] if not r[2]}),
        "stop took": stopped_at - down_at,
        "outage": up_at - down_at,
        "recovery": (first_ok_after - up_at) if first_ok_after is not None else None,
    }


def table_counts(cluster):
    """Rows in every plan table, and the 2019 plan's own rows (plan, sections, goals)."""
    connection = cluster.connect(ROLE, DATABASE)
    with connection.cursor() as cursor:
        totals = {}
        for table in PLAN_TABLES:
            # A table name from PLAN_TABLES above, never from input.
            cursor.execute(f"SELECT count(*) FROM {table}")  # nosec B608
            totals[table] = cursor.fetchone()[0]
        cursor.execute(
            "SELECT (SELECT count(*) FROM plans_annualplan WHERE year = %s AND body_id IS NULL),"
            " (SELECT count(*) FROM plans_plansection s JOIN plans_annualplan p ON p.id = s.plan_id"
            "   WHERE p.year = %s AND p.body_id IS NULL),"
            " (SELECT count(*) FROM plans_goal g JOIN plans_annualplan p ON p.id = g.plan_id"
            "   WHERE p.year = %s AND p.body_id IS NULL)",
            [2019, 2019, 2019],
        )
        year = dict(zip(["plans", "sections", "goals"], cursor.fetchone(), strict=True))
        cursor.execute(
            "SELECT (SELECT count(*) FROM plans_plansection s JOIN plans_annualplan p ON p.id = s.plan_id"
            "   WHERE p.year = 2018), (SELECT count(*) FROM plans_goal g JOIN plans_annualplan p"
            "   ON p.id = g.plan_id WHERE p.year = 2018)"
        )
        document = dict(zip(["sections", "goals"], cursor.fetchone(), strict=True))
    connection.close()
    return totals, year, document


def goals_written(connection):
    """The goals' id sequence: it moves inside an uncommitted transaction, unlike the rows."""
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence('plans_goal', 'id')")
        sequence = cursor.fetchone()[0]
        # The sequence's name as PostgreSQL itself gave it, quoted where needed.
        cursor.execute(f"SELECT CASE WHEN is_called THEN last_value ELSE 0 END FROM {sequence}")  # nosec B608
        return cursor.fetchone()[0]


def import_with_fault(cluster, env, fault, goals_in_document):
    """Run import_plan as the 2019 plan; `fault` is "kill", "restart" or None. Returns its figures."""
    before_totals, before_year, _ = table_counts(cluster)
    watcher = cluster.connect(ROLE, DATABASE)
    sequence_before = goals_written(watcher)
    started = time.monotonic()
    process = subprocess.Popen(
        [sys.executable, "manage.py", "import_plan", str(PLAN_DOCUMENT), "--year", "2019"],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True,
    )  # fmt: skip
    written_at_fault = None
    try:
        if fault:
            threshold = max(1, goals_in_document // 3)
            deadline = time.monotonic() + 120
            while time.monotonic() < deadline and process.poll() is None:
                written = goals_written(watcher) - sequence_before
                if written >= threshold:
                    written_at_fault = written
                    break
                time.sleep(0.005)
            watcher.close()
            if written_at_fault is None:
                raise SystemExit(f"the import finished or stalled before the {fault} (exit {process.poll()})")
            if fault == "kill":
                process.send_signal(signal.SIGKILL)
            else:
                cluster.stop("fast")
                cluster.start()
        _, stderr = process.communicate(timeout=120)
    finally:
        watcher.close()
        if process.poll() is None:
            process.kill()
            process.wait()
    seconds = time.monotonic() - started
    after_totals, after_year, document = table_counts(cluster)
    new_rows = {t: after_totals[t] - before_totals[t] for t in PLAN_TABLES}
    whole = after_year["sections"] == document["sections"] and after_year["goals"] == document["goals"]
    none = after_year == {"plans": 0, "sections": 0, "goals": 0} and not any(new_rows.values())
    return {
        "fault": fault,
        "exit": process.returncode,
        "error": (stderr.strip().splitlines() or [""])[-1][:160],
        "written at fault": written_at_fault,
        "before": before_year,
        "after": after_year,
        "new rows": new_rows,
        "document": document,
        "outcome": "whole plan" if whole else "none of it" if none else "PARTIAL",
        "seconds": seconds,
    }


def run(port=5439):
    """Both PostgreSQL scenarios on a throwaway cluster; removed whatever happens."""
    if port_in_use(port):
        port = free_port()
    sys.path.insert(0, str(ROOT / "bench"))
    from run import server_environment

    workdir = Path(tempfile.mkdtemp(prefix="movement-faults-pglog-"))
    cluster = ThrowawayPostgres(port)
    started = time.monotonic()
    try:
        cluster.init()
        cluster.start()
        database_url = cluster.create_database()
        server_env = server_environment(database_url)
        server_env.pop("REDIS_URL", None)  # cache in memory, tasks eager: only PostgreSQL is at fault
        prepared = time.monotonic()
        session = prepare(cluster, server_env)
        prepare_seconds = time.monotonic() - prepared
        load = restart_during_load(cluster, server_env, session, workdir)
        _, _, document = table_counts(cluster)
        imports = [
            import_with_fault(cluster, server_env, fault, document["goals"])
            for fault in ("kill", "restart", None)
        ]
    finally:
        cluster.destroy()
        shutil.rmtree(workdir, ignore_errors=True)
    return {
        "port": port,
        "load": load,
        "imports": imports,
        "prepare seconds": prepare_seconds,
        "seconds": time.monotonic() - started,
    }


def failed(results):
    load = results["load"]
    return (
        load["failures outside"] > 0
        or load["recovery"] is None
        or [i["outcome"] for i in results["imports"]] != ["none of it", "none of it", "whole plan"]
    )


def report_lines(results):
    load, imports = results["load"], results["imports"]
    phases = load["phases"]
    recovery = f"{load['recovery']:.2f}" if load["recovery"] is not None else "never"
    lines = [
        "# PostgreSQL restarted during a load run (bench/faults_postgres.py)",
        "",
        f"A throwaway cluster (initdb, port {results['port']}), migrated and loaded in {results['prepare seconds']:.0f} s;"
        " gunicorn (2 sync workers, production settings, CONN_MAX_AGE 60 with CONN_HEALTH_CHECKS);",
        "4 signed-in clients alternating the floor view and the 2018 plan page; `pg_ctl stop -m fast`, down 2 s,"
        " `pg_ctl start -w`. Total for both PostgreSQL scenarios"
        f" {results['seconds']:.0f} s.",
        "",
        "| requests before (ok / failed) | during the outage | after | failed outside the window | outage s |"
        " recovery s (ready → first success) |",
        "| --- | --- | --- | ---: | ---: | ---: |",
        f"| {phases['before'][0]} / {phases['before'][1]} | {phases['during'][0]} / {phases['during'][1]} "
        f"| {phases['after'][0]} / {phases['after'][1]} | {load['failures outside']} | {load['outage']:.2f} | {recovery} |",
        "",
        f"Failures during the outage: {', '.join(load['failure kinds during']) or 'none'}"
        + (
            f"; outside it: {', '.join(load['failure kinds outside'])}."
            if load["failure kinds outside"]
            else "."
        ),
        "",
        "# No partial import (bench/faults_postgres.py)",
        "",
        f"`manage.py import_plan` of the 2018 outline as the 2019 plan ({imports[0]['document']['sections']} sections,"
        f" {imports[0]['document']['goals']} goals), one transaction; the fault comes once a third of the goals are"
        " written (read from the goals' id sequence, which moves inside the transaction).",
        "",
        "| fault | goals written when it came | import exit (s) | 2019 plan / sections / goals before | after |"
        " new rows in plan tables | outcome |",
        "| --- | ---: | ---: | --- | --- | --- | --- |",
    ]
    names = {"kill": "import process killed (SIGKILL)", "restart": "PostgreSQL restarted (stop -m fast, start)",
             None: "none (runs to the end)"}  # fmt: skip
    for result in imports:
        before, after = result["before"], result["after"]
        new_rows = ", ".join(
            f"{table.removeprefix('plans_')} +{count}" for table, count in result["new rows"].items()
        )
        lines.append(
            f"| {names[result['fault']]} | {result['written at fault'] if result['fault'] else '—'} | {result['exit']} ({result['seconds']:.1f}) "
            f"| {before['plans']} / {before['sections']} / {before['goals']} "
            f"| {after['plans']} / {after['sections']} / {after['goals']} | {new_rows} | {result['outcome']} |"
        )
    errors = [f"{names[r['fault']]}: {r['error']}" for r in imports if r["fault"] and r["error"]]
    if errors:
        lines += ["", "The import's last words: " + "; ".join(errors) + "."]
    return lines
