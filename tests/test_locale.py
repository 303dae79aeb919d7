"""The Hebrew catalogue: compiled, served, and complete for every string in the code."""

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import translation

ROOT = Path(__file__).resolve().parent.parent
CATALOGUES = [
    ROOT / "locale" / "he" / "LC_MESSAGES" / "django.po",
    ROOT / "locale" / "_thirdparty" / "he" / "LC_MESSAGES" / "django.po",
]


def _entries(po_text):
    """(msgid, [msgstr...], flags) for each entry of a .po file, header and obsolete ones left out."""
    entries = []
    for block in po_text.split("\n\n"):
        lines = [line for line in block.strip().splitlines() if not line.startswith("#~")]
        if not any(line.startswith("msgid ") for line in lines):
            continue
        flags = " ".join(line for line in lines if line.startswith("#,"))
        current, parts = None, {}
        for line in lines:
            match = re.match(r'^(msgctxt|msgid_plural|msgid|msgstr(?:\[\d\])?) "(.*)"$', line)
            if match:
                current = match.group(1)
                parts[current] = match.group(2)
            elif line.startswith('"') and current:
                parts[current] += line[1:-1]
        if parts.get("msgid"):
            entries.append((parts["msgid"], [v for k, v in parts.items() if k.startswith("msgstr")], flags))
    return entries


@pytest.mark.parametrize("catalogue", CATALOGUES, ids=["portal", "thirdparty"])
def test_every_entry_is_translated_and_none_is_fuzzy(catalogue):
    entries = _entries(catalogue.read_text(encoding="utf-8"))
    assert len(entries) > 100
    untranslated = [msgid for msgid, msgstrs, _ in entries if not all(msgstrs)]
    fuzzy = [msgid for msgid, _, flags in entries if "fuzzy" in flags]
    assert untranslated == []
    assert fuzzy == []


def test_the_catalogue_holds_every_string_of_the_code(tmp_path):
    """makemessages over a copy of the project finds no msgid that locale/he lacks."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "tests", "bench", "media", "staticfiles", "*.sqlite3", "node_modules"
        ),
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "he",
            "--no-location",
            "--ignore=tests",
            "--ignore=bench",
        ],
        cwd=copy,
        env={"PATH": "/usr/bin:/bin", "DJANGO_DEBUG": "1", "HOME": str(tmp_path)},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    fresh = {
        msgid
        for msgid, _, _ in _entries((copy / "locale/he/LC_MESSAGES/django.po").read_text(encoding="utf-8"))
    }
    ours = {
        msgid for msgid, msgstrs, _ in _entries(CATALOGUES[0].read_text(encoding="utf-8")) if all(msgstrs)
    }
    assert sorted(fresh - ours) == [], "run `make messages` and translate the new strings"


def test_a_hebrew_translation_is_served(client):
    """Catches a catalogue that never compiled (djangoproject's LocaleSmokeTests)."""
    response = client.get(reverse("login"))
    assert "כניסה לפורטל התנועה" in response.content.decode()


def test_third_party_admin_labels_are_hebrew():
    from django_celery_beat.models import PeriodicTask

    with translation.override("he"):
        assert str(PeriodicTask._meta.verbose_name) == "משימה מחזורית"
