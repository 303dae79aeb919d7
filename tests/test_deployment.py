"""The deployment files agree with the project: Dockerfile, docker-compose.yml, deploy/Caddyfile, .env.example.

No Docker engine and no database: the files are parsed and every name they use is looked up in the
project (management commands, import paths, the Celery app, files, environment variables).
"""

import importlib
import json
import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import yaml
from django.core.management import get_commands

ROOT = Path(__file__).resolve().parent.parent

COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
CADDYFILE = ROOT / "deploy" / "Caddyfile"
ENV_EXAMPLE = ROOT / ".env.example"

SERVICES = {"proxy", "web", "worker", "beat", "db", "redis"}
APP_SERVICES = {"web", "worker", "beat"}  # the ones that run the project's own image
# Beat has no healthcheck: it has no control channel to ping, and if it dies its container exits
# and the restart policy starts it again. Every other service has one.
SERVICES_WITHOUT_HEALTHCHECK = {"beat"}
PROJECT_VARIABLES = ("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "SITE_", "DEFAULT_FROM_EMAIL", "POSTGRES_")

# module.path:attribute, as gunicorn and Celery's --scheduler take them (not 0.0.0.0:8000).
IMPORT_PATH = re.compile(r"[A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*:[A-Za-z_]\w*")
ENV_ASSIGNMENT = re.compile(r"[A-Za-z_]\w*=")
SHELL_SEPARATORS = {"&&", "||", ";", "|"}
COMPOSE_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_]\w*)|([A-Za-z_]\w*))")  # ${VAR...} or $VAR
CADDY_VARIABLE = re.compile(r"\{\$([A-Za-z_]\w*)|\{env\.([A-Za-z_]\w*)\}")  # {$VAR...} or {env.VAR}


# Reading the files --------------------------------------------------------------------------------


def compose():
    """docker-compose.yml with anchors and `<<` merges resolved (PyYAML does both)."""
    return yaml.safe_load(COMPOSE_FILE.read_text())


def services():
    return compose()["services"]


def env_example():
    """The variables .env.example sets (commented-out lines are not settings), quotes removed."""
    values = {}
    for line in ENV_EXAMPLE.read_text().splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        name, value = line.removeprefix("export ").split("=", 1)
        if len(value) >= 2 and value[0] == value[-1] and value[0] in "\"'":
            value = value[1:-1]
        values[name.strip()] = value
    return values


def dockerfile_instructions():
    """(INSTRUCTION, arguments) pairs, continuation lines joined and comments dropped."""
    instructions, current = [], ""
    for line in DOCKERFILE.read_text().splitlines():
        if line.strip().startswith("#"):
            continue
        if line.rstrip().endswith("\\"):
            current += line.rstrip()[:-1] + " "
            continue
        current += line
        if current.strip():
            keyword, _, arguments = current.strip().partition(" ")
            instructions.append((keyword.upper(), arguments.strip()))
        current = ""
    return instructions


def words(command):
    """A command's words, as the container would run them.

    A string is split like a shell would; `sh -c "..."` and a CMD-SHELL healthcheck are split again
    inside. Python's `-c` code stays one word.
    """
    if isinstance(command, str):
        command = shlex.split(command)
    command = [str(word) for word in command]
    if command[:1] == ["CMD-SHELL"]:
        return words(" ".join(command[1:]))
    if command[:1] == ["CMD"]:
        command = command[1:]
    if len(command) >= 3 and command[0] in {"sh", "bash", "/bin/sh", "/bin/bash"} and command[1] == "-c":
        return words(command[2])
    return command


def exec_form_or_shell(arguments):
    """A Dockerfile RUN/CMD argument: JSON exec form or a shell string."""
    if arguments.startswith("["):
        return words(json.loads(arguments))
    return words(arguments)


def references(command_words):
    """What a command names in the project, as (kind, name) pairs."""
    found, program = [], None
    for i, word in enumerate(command_words):
        following = command_words[i + 1] if i + 1 < len(command_words) else None
        if word in SHELL_SEPARATORS:
            program = None
            continue
        if program is None and word != "exec" and not ENV_ASSIGNMENT.match(word):
            program = Path(word).name
        if word == "manage.py" and following:
            found.append(("management command", following))
        elif program == "gunicorn" and IMPORT_PATH.fullmatch(word):
            found.append(("import path", word))
        elif program == "celery" and word in {"-A", "--app"} and following:
            found.append(("celery app", following))
        elif program == "celery" and word.startswith("--app="):
            found.append(("celery app", word.partition("=")[2]))
        elif word in {"--scheduler", "-S"} and following:
            found.append(("import path", following))
        elif word.startswith("--scheduler="):
            found.append(("import path", word.partition("=")[2]))
    return found


def why_missing(kind, name):
    """Why `name` does not exist in the project, or "" when it does."""
    if kind == "management command":
        return "" if name in get_commands() else f"`manage.py {name}`: no such management command"
    if kind == "import path":
        module_name, _, attribute = name.partition(":")
        try:
            module = importlib.import_module(module_name)
        except ImportError as error:
            return f"`{name}`: cannot import {module_name} ({error})"
        return "" if hasattr(module, attribute) else f"`{name}`: {module_name} has no {attribute}"
    if kind == "celery app":
        from celery import Celery

        try:
            module = importlib.import_module(f"{name}.celery")
        except ImportError as error:
            return f"`-A {name}`: cannot import {name}.celery ({error})"
        if not isinstance(getattr(module, "app", None), Celery):
            return f"`-A {name}`: {name}.celery has no Celery instance named app"
        return ""
    raise AssertionError(f"unknown kind {kind}")


def service_commands(service):
    """The command and the healthcheck command of a service, as word lists."""
    commands = []
    if service.get("command"):
        commands.append(words(service["command"]))
    test = service.get("healthcheck", {}).get("test")
    if test and test != ["NONE"]:
        commands.append(words(test))
    return commands


def interpolate(value, variables):
    """Compose's ${VAR}, ${VAR:-default}, ${VAR:?message} and $$, with `variables` as the environment."""

    def one(match):
        if match.group(0) == "$$":
            return "$"
        name, operator, argument = match.group("name"), match.group("operator"), match.group("argument")
        if variables.get(name):
            return variables[name]
        if operator == ":?":
            raise AssertionError(f"{name} is required: {argument}")
        return argument or ""

    pattern = r"\$\$|\$\{(?P<name>[A-Za-z_]\w*)(?:(?P<operator>:?[-?])(?P<argument>[^}]*))?\}"
    return re.sub(pattern, one, value)


# Compose ------------------------------------------------------------------------------------------


def test_the_compose_file_parses_and_has_the_six_services():
    document = compose()
    assert "version" not in document, "the Compose spec has no version key"
    assert set(document["services"]) == SERVICES


def test_every_service_has_a_healthcheck_except_beat():
    for name, service in services().items():
        if name in SERVICES_WITHOUT_HEALTHCHECK:
            continue
        test = service.get("healthcheck", {}).get("test")
        assert test and test != ["NONE"], f"{name} has no healthcheck"


def test_every_service_command_refers_to_something_that_exists():
    problems, checked = [], {}
    for name, service in services().items():
        for command in service_commands(service):
            for kind, target in references(command):
                checked.setdefault(name, []).append(target)
                if problem := why_missing(kind, target):
                    problems.append(f"{name}: {problem}")
    assert not problems, "\n".join(problems)
    # The check above must have had something to check in each of the project's services.
    assert set(checked) >= APP_SERVICES, checked
    assert "movement.wsgi:application" in checked["web"]
    assert "django_celery_beat.schedulers:DatabaseScheduler" in checked["beat"]


def test_the_app_services_build_the_projects_dockerfile():
    for name in APP_SERVICES:
        build = services()[name]["build"]
        context = build if isinstance(build, str) else build.get("context", ".")
        dockerfile = build.get("dockerfile", "Dockerfile") if isinstance(build, dict) else "Dockerfile"
        assert (ROOT / context / dockerfile).is_file(), (
            f"{name} builds {context}/{dockerfile}, which is missing"
        )


def test_every_bind_mount_source_exists_and_every_named_volume_is_declared():
    declared = set(compose().get("volumes") or {})
    for name, service in services().items():
        for volume in service.get("volumes", []):
            source = volume["source"] if isinstance(volume, dict) else volume.split(":")[0]
            if source.startswith((".", "/", "~")):
                assert (ROOT / source).exists(), f"{name} mounts {source}, which does not exist"
            else:
                assert source in declared, f"{name} uses volume {source}, not declared under volumes:"


def test_the_env_file_the_services_read_has_a_template():
    for name, service in services().items():
        env_files = service.get("env_file", [])
        for env_file in [env_files] if isinstance(env_files, str) else env_files:
            path = env_file if isinstance(env_file, str) else env_file["path"]
            assert (ROOT / f"{path}.example").is_file(), f"{name} reads {path}: {path}.example is missing"


def test_the_proxy_forwards_to_the_port_gunicorn_listens_on():
    upstreams = re.findall(r"reverse_proxy\s+(\S+)", CADDYFILE.read_text())
    assert upstreams == ["web:8000"]
    assert "0.0.0.0:8000" in words(services()["web"]["command"])
    assert "./deploy/Caddyfile:/etc/caddy/Caddyfile:ro" in services()["proxy"]["volumes"]


# Dockerfile ---------------------------------------------------------------------------------------


def test_the_dockerfile_serves_the_wsgi_application_and_installs_libharfbuzz_subset():
    instructions = dockerfile_instructions()
    commands = [arguments for keyword, arguments in instructions if keyword == "CMD"]
    assert commands, "the Dockerfile has no CMD"
    assert "movement.wsgi:application" in exec_form_or_shell(commands[-1])
    runs = [arguments for keyword, arguments in instructions if keyword == "RUN"]
    assert any("apt-get install" in run and "libharfbuzz-subset0" in run.split() for run in runs)
    assert ("FROM", "python:3.11-slim-bookworm AS base") in instructions
    assert ("USER", "app") in instructions
    assert ("EXPOSE", "8000") in instructions


def test_the_dockerfile_commands_refer_to_something_that_exists():
    found, problems = [], []
    for keyword, arguments in dockerfile_instructions():
        if keyword in {"RUN", "CMD", "ENTRYPOINT"}:
            for kind, target in references(exec_form_or_shell(arguments)):
                found.append(target)
                if problem := why_missing(kind, target):
                    problems.append(problem)
    assert not problems, "\n".join(problems)
    assert {"compilemessages", "collectstatic", "movement.wsgi:application"} <= set(found)


# Environment --------------------------------------------------------------------------------------


def test_every_variable_compose_and_caddy_use_is_in_the_env_example():
    # $$ is a literal dollar for the container's shell, not a variable.
    used = {
        braced or bare
        for braced, bare in COMPOSE_VARIABLE.findall(COMPOSE_FILE.read_text().replace("$$", ""))
    }
    used |= {braced or env for braced, env in CADDY_VARIABLE.findall(CADDYFILE.read_text())}
    assert used >= {"POSTGRES_PASSWORD", "SITE_DOMAIN"}
    missing = used - set(env_example())
    assert not missing, f"not set in .env.example: {sorted(missing)}"


def test_the_web_healthchecks_host_is_allowed_by_the_env_example():
    healthcheck = " ".join(services()["web"]["healthcheck"]["test"])
    host = re.search(r"""["']Host["']\s*:\s*["']([^"']+)["']""", healthcheck).group(1)
    assert host in env_example()["DJANGO_ALLOWED_HOSTS"].split(",")


def test_the_env_example_holds_placeholders_not_secrets():
    for name, value in env_example().items():
        if "PASSWORD" in name or "SECRET" in name:
            assert "replace" in value, f"{name} in .env.example looks like a real value"
    assert "replace" in env_example()["EMAIL_URL"]
    assert env_example()["DJANGO_DEBUG"] == "0"


def test_the_env_example_with_compose_is_enough_for_production_settings():
    """Settings load in production mode from .env.example plus what compose sets; no database is opened."""
    example = env_example()
    web = services()["web"]
    compose_environment = {
        name: interpolate(str(value), example) for name, value in web["environment"].items()
    }
    # Nothing from this shell's environment (the test defaults set DJANGO_DEBUG=1) leaks in.
    env = {name: value for name, value in os.environ.items() if not name.startswith(PROJECT_VARIABLES)}
    env.update(example)
    env.update(compose_environment)
    env["DJANGO_SETTINGS_MODULE"] = "movement.settings"
    code = (
        "import django; django.setup(); from django.conf import settings; import json; "
        "print(json.dumps({'debug': settings.DEBUG, 'hosts': settings.ALLOWED_HOSTS, "
        "'engine': settings.DATABASES['default']['ENGINE'], 'static': str(settings.STATIC_ROOT), "
        "'media': str(settings.MEDIA_ROOT), 'redis': settings.REDIS_URL}))"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )
    assert result.returncode == 0, result.stderr
    loaded = json.loads(result.stdout.strip().splitlines()[-1])
    assert loaded["debug"] is False
    assert "localhost" in loaded["hosts"]
    assert loaded["engine"] == "django.db.backends.postgresql"
    assert (loaded["static"], loaded["media"]) == ("/app/staticfiles", "/app/media")
    assert loaded["redis"] == "redis://redis:6379/0"
