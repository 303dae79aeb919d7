"""The PDF renderer (the floor: imports no app): a Django template in, PDF bytes out.

WeasyPrint lays the page out with the project's own Heebo font and the print stylesheet
`static/css/pdf.css`. Everything it loads goes through `StaticOnlyURLFetcher`, which serves the
project's static files and nothing else: a URL that reached a report's content (an image in a goal's
text, a stylesheet in a protocol) is never fetched, whatever escaping did or did not happen before.

Render in a background job, never in a request: the 2018 plan (254 goals, 18 pages) takes about a
second, a plan ten times its size about ten (bench/run.py measures both).
"""

import contextlib
import gc
import logging
import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

import weasyprint
from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.exceptions import SuspiciousFileOperation
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.safestring import mark_safe
from django.utils.translation import gettext
from weasyprint.urls import URLFetcher, URLFetcherResponse

from .formatting import hebrew_date

logger = logging.getLogger(__name__)
# WeasyPrint logs each layout step of each page at INFO; the project's root logger shows INFO. Unless
# the settings say otherwise, keep its warnings (a refused URL, a missing glyph) and drop the steps.
if logging.getLogger("weasyprint.progress").level == logging.NOTSET:
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

# The documents' base URL: a relative reference in a PDF template ("css/pdf.css") or an absolute
# path under STATIC_URL ("/static/fonts/Heebo-Bold.ttf") resolves to a file: URL under this prefix,
# which the fetcher looks up with the static files finders. No file is ever read from "/static/".
STATIC_PREFIX = "/static/"
BASE_URL = f"file://{STATIC_PREFIX}"

CONTENT_TYPES = {".css": "text/css", ".ttf": "font/ttf", ".otf": "font/otf", ".woff2": "font/woff2"}


class URLRefused(ValueError):
    """The URL is not one of the project's static files. WeasyPrint skips the resource and warns."""


class StaticOnlyURLFetcher(URLFetcher):
    """A WeasyPrint URL fetcher that serves only the project's static files.

    Accepted: file: URLs whose path is under STATIC_URL's path (found through the static files
    finders, then STATIC_ROOT) or lies inside one of the static directories. Refused, with
    `URLRefused`: any other scheme (http, https, ftp, data), a host in a file: URL, a `..` segment, a
    file outside the static directories, including through a symlink. Refused URLs are kept in
    `refused` and served ones in `served`, so a caller (or a test) can tell what a document loaded.
    """

    def __init__(self, **kwargs):
        # No redirects and only file: at the base class too, should anything reach it.
        super().__init__(allowed_protocols={"file"}, allow_redirects=False, **kwargs)
        self.refused = []
        self.served = []

    def fetch(self, url, headers=None):
        path = self.resolve(url)
        if path is None:
            self.refused.append(url)
            logger.warning("PDF: refused to fetch %.200s (not a static file of the project)", url)
            raise URLRefused(f"Not a static file of the project: {url[:200]}")
        self.served.append(url)
        content_type = CONTENT_TYPES.get(path.suffix.lower()) or (
            mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        )
        return URLFetcherResponse(
            url=path.as_uri(), body=path.read_bytes(), headers={"Content-Type": content_type}
        )

    def resolve(self, url):
        """The static file `url` names, as a resolved Path; None when it names anything else."""
        try:
            parts = urlsplit(url)
        except ValueError:
            return None
        if parts.scheme.lower() != "file" or parts.netloc not in ("", "localhost"):
            return None
        path = unquote(parts.path)
        if "\x00" in path or "\\" in path or ".." in PurePosixPath(path).parts:
            return None
        roots = static_roots()
        candidates = []
        for prefix in _static_url_prefixes():
            if path.startswith(prefix):
                relative = path[len(prefix) :]
                if relative and not relative.startswith("/"):
                    try:
                        found = finders.find(relative)
                    except SuspiciousFileOperation:
                        return None
                    if found:
                        candidates.append(Path(found))
                    if settings.STATIC_ROOT:  # collected (and hashed) files, where the sources are gone
                        candidates.append(Path(settings.STATIC_ROOT) / relative)
        candidates.append(Path(path))
        for candidate in candidates:
            try:
                real = candidate.resolve(strict=True)
            except (OSError, RuntimeError):
                continue
            if real.is_file() and any(real.is_relative_to(root) for root in roots):
                return real
        return None


def _static_url_prefixes():
    prefixes = [STATIC_PREFIX]
    static_url_path = urlsplit(settings.STATIC_URL or "").path
    if static_url_path.startswith("/") and static_url_path.endswith("/") and static_url_path != "/":
        prefixes.append(static_url_path)
    return list(dict.fromkeys(prefixes))


def static_roots():
    """The directories static files are served from, symlinks resolved: the finders' and STATIC_ROOT."""
    roots = []
    for finder in finders.get_finders():
        for storage in getattr(finder, "storages", {}).values():
            roots.append(storage.location)
    if settings.STATIC_ROOT:
        roots.append(settings.STATIC_ROOT)
    resolved = []
    for root in roots:
        path = Path(root)
        if path.is_dir():
            resolved.append(path.resolve())
    return list(dict.fromkeys(resolved))


class PdfBytes(bytes):
    """A rendered PDF: its bytes, with the number of pages beside them (`page_count`)."""

    page_count: int

    def __new__(cls, content, page_count):
        pdf = super().__new__(cls, content)
        pdf.page_count = page_count
        return pdf

    def __reduce__(self):
        return (PdfBytes, (bytes(self), self.page_count))


def render_pdf_document(template_name, context, *, language="he", url_fetcher=None):
    """Lay the template out as a WeasyPrint Document (pages, anchors) in `language`."""
    with translation.override(language):
        html = render_to_string(template_name, {**pdf_context(), **context})
        with gc_paused():
            document = weasyprint.HTML(
                string=html, base_url=BASE_URL, url_fetcher=url_fetcher or StaticOnlyURLFetcher()
            ).render()
    return document


def render_pdf(template_name, context, *, language="he", url_fetcher=None):
    """The template rendered in `language` as PDF bytes (a `PdfBytes`: `.page_count` tells the pages)."""
    document = render_pdf_document(template_name, context, language=language, url_fetcher=url_fetcher)
    with gc_paused():
        content = document.write_pdf()
    return PdfBytes(content, page_count=len(document.pages))


@contextlib.contextmanager
def gc_paused():
    """No cyclic garbage collection while WeasyPrint lays out and writes.

    Layout allocates hundreds of thousands of small objects, and each allocation threshold crossed
    starts a collection that walks them all again: on the 2018 plan that was 0.5–0.8 s of 1.5–1.9 s,
    and most of the variation between runs. Reference counting still frees what it can; the cycles
    left are collected after the render, in one pass.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def pdf_context(today=None):
    """What templates/pdf/base.html needs besides the report's own context."""
    today = today or timezone.localdate()
    return {
        "page_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "generated_on": today,
        "generated_on_hebrew": hebrew_date(today),
        "page_footer": page_footer_css(),
    }


def page_footer_css():
    """The CSS `content` of the page footer, "Page 3 of 12" in the active language, from page counters."""
    text = gettext("Page %(page)s of %(pages)s")
    marker_page, marker_pages = "\x00page\x00", "\x00pages\x00"
    text = text.replace("%(page)s", marker_page).replace("%(pages)s", marker_pages)
    parts = []
    for chunk in _split_keep(text, (marker_page, marker_pages)):
        if chunk == marker_page:
            parts.append("counter(page)")
        elif chunk == marker_pages:
            parts.append("counter(pages)")
        elif chunk:
            parts.append(css_string(chunk))
    # Safe: CSS strings escaped by css_string().
    return mark_safe(" ".join(parts))  # nosec B308, B703


def _split_keep(text, markers):
    chunks = [text]
    for marker in markers:
        split = []
        for chunk in chunks:
            pieces = chunk.split(marker)
            for index, piece in enumerate(pieces):
                if index:
                    split.append(marker)
                split.append(piece)
        chunks = split
    return chunks


def css_string(text):
    """`text` as a double-quoted CSS string that cannot end the string or the <style> element."""
    escaped = "".join(
        f"\\{ord(char):x} " if char in '"\\<>&\n\r\f' or ord(char) < 0x20 else char for char in text
    )
    return f'"{escaped}"'
