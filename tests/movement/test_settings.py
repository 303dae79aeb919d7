"""Settings from the environment: production mode refuses to start without what it needs."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

PRODUCTION = {
    "DJANGO_DEBUG": "0",
    "DJANGO_SECRET_KEY": "a-long-random-production-secret-0123456789-abcdefghijklmnopqrstuvwxyz",
    "DJANGO_ALLOWED_HOSTS": "portal.example.org",
    "DATABASE_URL": f"sqlite:///{ROOT / 'tests' / 'artifacts' / 'deploy-check.sqlite3'}",
    "SITE_URL": "https://portal.example.org",
    "EMAIL_URL": "smtp+tls://user:password@smtp.example.org:587",
}


def manage(*args, **env_overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "DATABASE_", "REDIS_", "EMAIL_", "SITE_"))
    }
    env.update(env_overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args], cwd=ROOT, env=env, capture_output=True, text=True, timeout=120
    )


@pytest.mark.parametrize(
    "missing", ["DJANGO_SECRET_KEY", "DJANGO_ALLOWED_HOSTS", "DATABASE_URL", "SITE_URL", "EMAIL_URL"]
)
def test_production_mode_stops_with_one_line_naming_a_missing_setting(missing):
    env = {k: v for k, v in PRODUCTION.items() if k != missing}
    result = manage("check", **env)
    assert result.returncode != 0
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert missing in lines[0]


def test_check_deploy_is_clean_with_production_settings():
    (ROOT / "tests" / "artifacts").mkdir(exist_ok=True)
    result = manage("check", "--deploy", "--fail-level", "WARNING", **PRODUCTION)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_a_secret_can_come_from_a_file(tmp_path):
    secret_file = tmp_path / "secret"
    secret_file.write_text(PRODUCTION["DJANGO_SECRET_KEY"] + "\n")
    env = {k: v for k, v in PRODUCTION.items() if k != "DJANGO_SECRET_KEY"}
    result = manage("check", DJANGO_SECRET_KEY_FILE=str(secret_file), **env)
    assert result.returncode == 0, result.stderr


def test_demo_accounts_cannot_be_created_in_production_mode():
    result = manage("load_demo", **PRODUCTION)
    assert result.returncode != 0
    assert "development only" in result.stderr


def test_the_site_speaks_hebrew_first(settings):
    assert settings.LANGUAGE_CODE == "he"
    assert settings.TIME_ZONE == "Asia/Jerusalem"
    assert [code for code, _ in settings.LANGUAGES] == ["he", "en"]
