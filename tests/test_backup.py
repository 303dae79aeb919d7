"""`scripts/backup` and `scripts/restore`, run as an operator runs them, against real PostgreSQL.

A backup of the demo data restored into a fresh database has every user, plan, goal, progress update,
meeting, decision and visit (same ids, same counts, Hebrew text byte for byte) and the generated files;
a non-empty target without --force, a corrupt backup and a URL that is not PostgreSQL are refused.
"""

import os
import shutil
import subprocess
import tarfile
import uuid
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import psycopg2
import pytest
from django.conf import settings
from django.db import connection

from plans.models import Goal
from tests.browser.helpers import PLAN_2018, PROTOCOL_2010, REFERENCE, load

SCRIPTS = Path(settings.BASE_DIR) / "scripts"
TABLES = (
    "movement_user",
    "plans_annualplan",
    "plans_goal",
    "plans_progressupdate",
    "meetings_meeting",
    "meetings_decision",
    "visits_visit",
)
REPORT = "reports/2018/דוח-שנתי.pdf"
REPORT_BYTES = b"%PDF-1.7\n% a report rendered before the backup\n%%EOF\n"


def database_url(name):
    """DATABASE_URL with its database replaced by `name` (same server, user and password)."""
    return urlsplit(os.environ["DATABASE_URL"])._replace(path=f"/{name}").geturl()


def run(script, *arguments, url, media):
    environment = {**os.environ, "DATABASE_URL": url, "DJANGO_MEDIA_ROOT": str(media)}
    return subprocess.run(
        [SCRIPTS / script, *map(str, arguments)],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def query(url, sql, *parameters):
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute(sql, parameters)
        rows = cursor.fetchall()
    db.close()
    return rows


def contents(url):
    """Every id of every main table, and every goal's text as UTF-8 bytes, read straight from the database."""
    ids = {table: [row[0] for row in query(url, f"SELECT id FROM {table} ORDER BY id")] for table in TABLES}
    texts = query(url, "SELECT id, convert_to(text, 'UTF8') FROM plans_goal ORDER BY id")
    return ids, {goal_id: bytes(text) for goal_id, text in texts}


def relations_in_public(url):
    return query(url, "SELECT count(*) FROM pg_tables WHERE schemaname = 'public'")[0][0]


@dataclass
class Backup:
    path: Path
    ids: dict
    goal_texts: dict
    hebrew_goal: Goal


@pytest.fixture
def fresh_database():
    """Make empty UTF-8 databases as the README says (template0, C.UTF-8); dropped whatever happens."""
    admin_url = database_url(connection.settings_dict["NAME"])
    made = []

    def make():
        name = f"{connection.settings_dict['NAME']}_restore_{uuid.uuid4().hex[:8]}"
        admin = psycopg2.connect(admin_url)
        admin.autocommit = True
        try:
            with admin.cursor() as cursor:
                cursor.execute(
                    f"CREATE DATABASE \"{name}\" TEMPLATE template0 ENCODING 'UTF8' "
                    "LC_COLLATE 'C.UTF-8' LC_CTYPE 'C.UTF-8'"
                )
        finally:
            admin.close()
        made.append(name)
        return database_url(name)

    yield make
    admin = psycopg2.connect(admin_url)
    admin.autocommit = True
    try:
        with admin.cursor() as cursor:
            for name in made:
                cursor.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    finally:
        admin.close()


@pytest.fixture
def backup(tmp_path):
    """The demo site (plan 2018 with progress, the 2010 protocol, visits) and a report PDF, backed up."""
    load(*REFERENCE, *PLAN_2018, ("demo_progress", "2018"), *PROTOCOL_2010, ("demo_visits",))
    media = tmp_path / "media"
    (media / REPORT).parent.mkdir(parents=True)
    (media / REPORT).write_bytes(REPORT_BYTES)

    url = database_url(connection.settings_dict["NAME"])
    result = run("backup", tmp_path / "backup", url=url, media=media)
    assert result.returncode == 0, result.stderr
    assert f"Backup written to {tmp_path / 'backup'}" in result.stdout

    ids, goal_texts = contents(url)
    hebrew_goal = Goal.objects.filter(plan__year=2018, text__regex=r"[א-ת]").order_by("id").first()
    assert hebrew_goal is not None, "the 2018 plan has no goal written in Hebrew"
    return Backup(tmp_path / "backup", ids, goal_texts, hebrew_goal)


@pytest.mark.parametrize("script", ["backup", "restore"])
def test_a_database_url_that_is_not_postgres_is_refused_in_one_line(script, tmp_path):
    result = run(
        script, tmp_path / "backup", url=f"sqlite:///{tmp_path}/db.sqlite3", media=tmp_path / "media"
    )
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"{script}: DATABASE_URL must be a postgres:// URL, not 'sqlite://")
    assert not (tmp_path / "backup").exists() and not (tmp_path / "media").exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_restores_into_a_fresh_database_with_everything_in_it(backup, fresh_database, tmp_path):
    manifest = (backup.path / "manifest.txt").read_text()
    assert sorted(path.name for path in backup.path.iterdir()) == [
        "database.dump",
        "manifest.txt",
        "media.tar.gz",
    ]
    for table, ids in backup.ids.items():
        assert ids, f"the demo data has no {table}"
        assert f"rows {table}: {len(ids)}\n" in manifest
    for line in ("created: ", "git_commit: ", "pg_dump: pg_dump (PostgreSQL) ", "sha256 database.dump: "):
        assert line in manifest

    url = fresh_database()
    media = tmp_path / "restored-media"
    result = run("restore", backup.path, url=url, media=media)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "Restore complete: row counts match the manifest." in result.stdout
    ids, goal_texts = contents(url)
    assert ids == backup.ids
    assert goal_texts == backup.goal_texts
    hebrew = query(
        url, "SELECT convert_to(text, 'UTF8') FROM plans_goal WHERE id = %s", backup.hebrew_goal.id
    )
    assert bytes(hebrew[0][0]) == backup.hebrew_goal.text.encode("utf-8")
    assert (media / REPORT).read_bytes() == REPORT_BYTES
    # Hebrew trigram search works in the restored database (the dump brings pg_trgm along).
    assert query(url, "SELECT similarity('והקיבוצים', 'קיבוצים')")[0][0] > 0.3


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_database_that_is_not_empty_unless_forced(backup, fresh_database, tmp_path):
    url = fresh_database()
    media = tmp_path / "restored-media"
    assert run("restore", backup.path, url=url, media=media).returncode == 0
    goal_id = backup.hebrew_goal.id
    with psycopg2.connect(url) as db, db.cursor() as cursor:
        cursor.execute("UPDATE plans_goal SET text = 'changed since the backup' WHERE id = %s", [goal_id])
    db.close()
    (media / REPORT).write_bytes(b"changed since the backup")

    refused = run("restore", backup.path, url=url, media=media)

    assert refused.returncode == 1
    assert "is not empty" in refused.stderr and "--force" in refused.stderr
    assert "Nothing was changed." in refused.stderr
    assert query(url, "SELECT text FROM plans_goal WHERE id = %s", goal_id) == [("changed since the backup",)]
    assert (media / REPORT).read_bytes() == b"changed since the backup"

    forced = run("restore", "--force", backup.path, url=url, media=media)

    assert forced.returncode == 0, forced.stdout + forced.stderr
    assert contents(url) == (backup.ids, backup.goal_texts)
    assert (media / REPORT).read_bytes() == REPORT_BYTES


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_restore_refuses_a_corrupt_backup_and_changes_nothing(backup, fresh_database, tmp_path):
    corrupt = tmp_path / "corrupt"
    shutil.copytree(backup.path, corrupt)
    dump = bytearray((corrupt / "database.dump").read_bytes())
    dump[len(dump) // 2] ^= 0x01
    (corrupt / "database.dump").write_bytes(bytes(dump))
    url = fresh_database()
    media = tmp_path / "restored-media"

    for arguments in ([corrupt], ["--force", corrupt]):
        result = run("restore", *arguments, url=url, media=media)

        assert result.returncode == 1
        assert "database.dump does not match its sha256 in manifest.txt" in result.stderr
        assert relations_in_public(url) == 0
        assert not media.exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_a_backup_without_a_media_directory_restores_an_empty_one(fresh_database, tmp_path):
    url = database_url(connection.settings_dict["NAME"])
    result = run("backup", tmp_path / "backup", url=url, media=tmp_path / "no-media")
    assert result.returncode == 0, result.stderr
    with tarfile.open(tmp_path / "backup" / "media.tar.gz") as archive:
        assert archive.getnames() == []

    restored = run("restore", tmp_path / "backup", url=fresh_database(), media=tmp_path / "media")

    assert restored.returncode == 0, restored.stdout + restored.stderr
    assert "rows movement_user: 0" in (tmp_path / "backup" / "manifest.txt").read_text()
    assert list((tmp_path / "media").iterdir()) == []
