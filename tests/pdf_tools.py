"""Reading the PDF reports as a person would: their text (pdftotext), their pages as pictures (pdftoppm).

pdftotext gives the text in logical order with invisible direction marks around runs; they are
stripped before comparing, and Hebrew phrases and numbers are looked for separately (see PITFALLS).
"""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.conftest import IN_CI

BIDI_CONTROLS = re.compile("[\u200e\u200f\u202a-\u202e\u2066-\u2069]")

# poppler-utils is installed by `make test` (test-system-deps) and in CI; elsewhere these tests skip.
# In CI nothing skips: a missing tool fails the test.
needs_poppler = pytest.mark.skipif(
    not IN_CI and not (shutil.which("pdftotext") and shutil.which("pdftoppm")),
    reason="needs poppler-utils (pdftotext, pdftoppm): apt-get install poppler-utils",
)


def pdf_text(pdf, *, first=None, last=None, layout=False):
    """The text of the PDF (or of pages first..last, counted from 1), direction marks stripped."""
    args = ["pdftotext", "-enc", "UTF-8"]
    if first:
        args += ["-f", str(first)]
    if last:
        args += ["-l", str(last)]
    if layout:
        args.append("-layout")
    result = subprocess.run([*args, "-", "-"], input=bytes(pdf), capture_output=True, check=True)
    return BIDI_CONTROLS.sub("", result.stdout.decode("utf-8"))


def page_texts(pdf, page_count):
    return [pdf_text(pdf, first=page, last=page) for page in range(1, page_count + 1)]


def squeeze(text):
    """Whitespace runs (line ends included) as one space: pdftotext breaks lines where the PDF does."""
    return re.sub(r"\s+", " ", text).strip()


def assert_in_order(text, phrases):
    """Each phrase occurs in `text` (whitespace squeezed) after the previous one."""
    text = squeeze(text)
    position = 0
    for phrase in phrases:
        found = text.find(squeeze(phrase), position)
        assert found >= 0, f"not found after position {position}: {phrase!r}"
        position = found + 1


HEBREW_WORD = r"[\u05d0-\u05ea]+(?:[\"'״׳][\u05d0-\u05ea]+)*"
HEBREW_RUN = re.compile(rf"{HEBREW_WORD}(?: {HEBREW_WORD})*")


def hebrew_words(text):
    """The runs of Hebrew words in `text`, numbers, Latin and punctuation cut out: what to look for.

    pdftotext may move punctuation and numbers to the other side of a direction change, never letters.
    """
    return [run for run in HEBREW_RUN.findall(text) if len(run) >= 4]


def save_page_png(pdf, page, path: Path, *, resolution=60):
    """Page `page` (from 1) of the PDF as a PNG at `path` (for looking at it, and for reviews)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    prefix = path.with_suffix("")
    subprocess.run(
        [
            "pdftoppm",
            "-r",
            str(resolution),
            "-png",
            "-f",
            str(page),
            "-l",
            str(page),
            "-singlefile",
            "-",
            str(prefix),
        ],
        input=bytes(pdf),
        check=True,
    )
    return path
