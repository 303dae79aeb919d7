"""A bounded DAST run: Debian's wapiti against the portal under gunicorn on 127.0.0.1, signed in.

    DATABASE_URL=postgres://user:pass@127.0.0.1:5432/anything .venv/bin/python bench/dast.py [--max-scan-time 240]

Production settings (DEBUG off; only TLS redirects and secure cookies turned off for plain http on
127.0.0.1), a throwaway `<db>_dast` database with the reference data, the 2018 plan, the 2010
protocol and one department head (the role with the most forms). wapiti runs outside the project's
virtualenv (PITFALLS: its PyPI pins clash with ours), with the session cookie of that head, never
against anything but 127.0.0.1, and without the modules that call out to the internet (ssrf) or
brute-force. Exit 1 on any finding of medium or higher severity, or on any internal server error
wapiti provoked. Prints a table of findings by module and level.
"""

import argparse
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from run import drop_database, recreate_database, server_environment  # noqa: E402

MODULES = "exec,file,sql,xss,redirect,crlf,csrf,http_headers,csp,cookieflags"
PASSWORD = "dast-only-password-8812"
EMAIL = "head@dast.example"
# wapiti 3.0.4 levels: 1 low, 2 medium, 3 high. Anomalies (500s) are reported apart.
FAIL_LEVEL = 2
# Deliberately not attacked: signing out (would end the scan's session) and the language switch.
EXCLUDE = ["/logout/", "/language/", "/password-change/*", "/static/*"]


# Debian's wapiti 3.0.4 builds its exclusion regexes as `pattern + r"\Z(?ms)"`, which Python 3.11
# refuses ("global flags not at the start"): run it with that one function mended.
WAPITI_WITH_EXCLUSIONS_FIXED = """
import re, sys
import wapitiCore.net.crawler as crawler
crawler.wildcard_translate = lambda pattern: re.compile(
    "(?ms)" + "".join(".*" if char == "*" else re.escape(char) for char in pattern) + r"\\Z"
)
from wapitiCore.main.wapiti import wapiti_main
sys.argv[0] = "wapiti"
wapiti_main()
"""


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--max-scan-time", type=int, default=60, help="seconds for crawling")
    parser.add_argument("--max-attack-time", type=int, default=12, help="seconds per attack module")
    parser.add_argument("--port", type=int, default=8766)
    parser.add_argument("--out", default="", help="also write the table to this Markdown file")
    return parser.parse_args()


def prepare_data():
    from django.core.management import call_command

    from departments.models import Department
    from movement.models import User

    null = open(os.devnull, "w")
    call_command("migrate", verbosity=0)
    call_command("load_reference_data", stdout=null)
    call_command("import_plan", "fixtures/source/plan-2018.md", "--year", "2018", stdout=null)
    call_command("load_protocol", "fixtures/source/protocol-2010-12-21.json", stdout=null)
    head = User.objects.create_user(EMAIL, PASSWORD, full_name="ראש אגף לסריקה")
    Department.objects.get(slug="youth").heads.add(head)


def sign_in(base):
    """A real sign-in through the login form: the session cookie wapiti will carry."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar))
    page = opener.open(f"{base}/login/").read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    data = urllib.parse.urlencode(
        {"csrfmiddlewaretoken": token, "username": EMAIL, "password": PASSWORD}
    ).encode()
    request = urllib.request.Request(f"{base}/login/", data=data, headers={"Referer": f"{base}/login/"})
    opener.open(request)
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        sys.exit("DAST: could not sign in")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def start_server(env, port, log):
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            sys.exit(f"DAST: something already listens on 127.0.0.1:{port}; stop it first")
    process = subprocess.Popen(
        [str(ROOT / ".venv" / "bin" / "gunicorn"), "movement.wsgi:application", "--bind", f"127.0.0.1:{port}",
         "--workers", "2", "--timeout", "60"],
        cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT,
    )  # fmt: skip
    for _ in range(100):
        try:
            # Always http://127.0.0.1 (built here, never from input).
            urllib.request.urlopen(f"http://127.0.0.1:{port}/health/", timeout=1)  # nosec B310
            return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    sys.exit("DAST: gunicorn did not start")


def main():
    args = parse_args()
    wapiti = shutil.which("wapiti")
    if not wapiti:
        sys.exit("DAST: Debian's wapiti is not installed (apt-get install wapiti)")
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith(("postgres://", "postgresql://")):
        sys.exit("bench/dast.py needs DATABASE_URL pointing at PostgreSQL (a *_dast database is made).")
    parts = urllib.parse.urlsplit(url)
    name = (parts.path.lstrip("/") or "movement") + "_dast"
    database_url = urllib.parse.urlunsplit(parts._replace(path=f"/{name}"))
    drop_database(url, name)  # a run killed earlier may have left it, with connections
    recreate_database(url, name)
    env = server_environment(database_url)
    env.update({"DJANGO_BENCH_FLOOR": "0", "DJANGO_OTP_REQUIRED": "1", "DJANGO_LOG_LEVEL": "WARNING"})
    env.pop("REDIS_URL", None)  # tasks run eagerly: a scan must not leave work on a shared broker
    os.environ.update(env)
    import django

    django.setup()
    workdir = Path(tempfile.mkdtemp(prefix="movement-dast-"))
    log = open(workdir / "gunicorn.log", "w")
    server = None
    started = time.monotonic()
    try:
        prepare_data()
        from django.db import connections

        connections.close_all()
        server = start_server(env, args.port, log)
        base = f"http://127.0.0.1:{args.port}"
        cookie = sign_in(base)
        report = workdir / "wapiti.json"
        command = [
            "/usr/bin/python3", "-c", WAPITI_WITH_EXCLUSIONS_FIXED, "-u", f"{base}/", "--scope", "folder", "-m", MODULES, "--flush-session",
            "--max-scan-time", str(args.max_scan_time), "--max-attack-time", str(args.max_attack_time),
            "--max-links-per-page", "30", "-d", "4", "-H", f"Cookie: {cookie}", "-f", "json", "-o", str(report),
            "--no-bugreport", "-v", "0",
        ]  # fmt: skip
        for pattern in EXCLUDE:
            command += ["-x", f"{base}{pattern}"]
        clean_env = {k: v for k, v in os.environ.items() if k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR")}
        budget = args.max_scan_time + args.max_attack_time * len(MODULES.split(",")) + 120
        subprocess.run(command, env=clean_env, timeout=budget, check=False, stdout=subprocess.DEVNULL)
        result = json.loads(report.read_text())
        checked = check_csrf_findings(result, base, cookie)
    finally:
        if server:
            server.terminate()
            server.wait(timeout=20)
        log.close()
        from django.db import connections

        connections.close_all()
        drop_database(url, name)
    table, failures = summarise(result, time.monotonic() - started, args, checked)
    print(table)
    errors = [
        line for line in (workdir / "gunicorn.log").read_text(errors="replace").splitlines() if line.strip()
    ]
    if failures and errors:
        print("\nThe server's log (last 60 lines):\n" + "\n".join(errors[-60:]))
    if args.out:
        Path(args.out).write_text(table + "\n", encoding="utf-8")
    shutil.rmtree(workdir, ignore_errors=True)
    return 1 if failures else 0


def check_csrf_findings(result, base, cookie):
    """wapiti 3.0.4 does not know Django's token name (`csrfmiddlewaretoken`) and reports every form
    as lacking one. For each such finding, send the form again without the token: Django must refuse
    it (403). Returns {id(finding): verdict}; a form the server accepts stays a finding."""
    verdicts = {}
    for finding in result.get("vulnerabilities", {}).get("Cross Site Request Forgery", []):
        request = finding.get("http_request", "")
        if "csrfmiddlewaretoken=" not in request:
            continue
        body = request.split("\n\n", 1)[1].strip() if "\n\n" in request else ""
        fields = [pair for pair in body.split("&") if not pair.startswith("csrfmiddlewaretoken=")]
        probe = urllib.request.Request(
            base + finding["path"], data="&".join(fields).encode(), method="POST",
            headers={"Cookie": cookie, "Content-Type": "application/x-www-form-urlencoded", "Referer": base + "/"},
        )  # fmt: skip
        try:
            status = urllib.request.urlopen(probe).status  # nosec B310
        except urllib.error.HTTPError as error:
            status = error.code
        if status == 403:
            verdicts[id(finding)] = "false positive: the form carries csrfmiddlewaretoken; without it, 403"
    return verdicts


def summarise(result, seconds, args, checked):
    rows, failures = [], []
    for section in ("vulnerabilities", "anomalies"):
        for category, findings in sorted(result.get(section, {}).items()):
            for finding in findings:
                level = finding.get("level", 0)
                verdict = checked.get(id(finding), "")
                rows.append((section, category, level, finding.get("method", ""), finding.get("path", ""),
                             finding.get("parameter", ""), verdict or finding.get("info", "")[:120]))  # fmt: skip
                if not verdict and (section == "anomalies" or level >= FAIL_LEVEL):
                    failures.append(rows[-1])
    crawled = len(result.get("infos", {}).get("crawled_pages", [])) or result.get("infos", {}).get(
        "crawled_pages_nbr", "?"
    )
    lines = [
        "# DAST: wapiti against the portal (bench/dast.py)",
        "",
        f"Signed in as a department head; modules {MODULES}; crawl capped at {args.max_scan_time} s, "
        f"{args.max_attack_time} s per module; "
        f"{crawled} pages crawled; total {seconds:.0f} s. Fails on level ≥ {FAIL_LEVEL} (medium) and on anomalies (500s).",
        "",
        "| kind | category | level | method | path | parameter | info |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    lines += ["| " + " | ".join(str(cell).replace("|", "/") for cell in row) + " |" for row in rows]
    if not rows:
        lines.append("| — | no findings | | | | | |")
    lines += ["", f"{len(failures)} finding(s) at medium or higher, or anomalies."]
    return "\n".join(lines), failures


if __name__ == "__main__":
    sys.exit(main())
