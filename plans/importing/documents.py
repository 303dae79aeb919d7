"""Readers for .md, .txt and .docx plan documents, each producing Heading / Item / Prose lines."""

import io
import re
import zipfile

from django.utils.translation import gettext as _

from .tree import Heading, Item, Prose, build_tree

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# A .docx is a zip: refuse one that would unpack to far more than any plan needs.
MAX_DOCX_UNPACKED_BYTES = 50 * 1024 * 1024

BULLET = re.compile(r"^(?P<indent>[ \t\u00a0]*)(?P<marker>[-•*·▪●◦–+])[ \t\u00a0]+(?P<text>.+)$")
NUMBERED = re.compile(r"^(?P<indent>[ \t\u00a0]*)(?P<number>\d{1,3})[.)][ \t\u00a0]+(?P<text>.+)$")
HEBREW_LETTER_HEADING = re.compile(r"^[ \t]*(?P<letter>[א-ת]{1,2})[.)][ \t\u00a0]+(?P<text>.+)$")
MD_HEADING = re.compile(r"^(?P<hashes>#{1,6})[ \t]+(?P<text>.+?)[ \t#]*$")
BOLD = re.compile(r"\*\*")


class PlanDocumentError(ValueError):
    """The document cannot be read as a plan; the message is for the person who uploaded it."""


def _clean(text):
    return BOLD.sub("", text).strip()


def _indent_width(indent):
    return len(indent.replace("\t", "    ").replace("\u00a0", " "))


def markdown_lines(text):
    """Markdown: `#` headings, `-`/`*`/`+` bullets and `1.` items nested by indentation, prose."""
    for raw in text.splitlines():
        if not raw.strip():
            continue
        if match := MD_HEADING.match(raw):
            yield Heading(len(match["hashes"]), _clean(match["text"]))
        elif match := BULLET.match(raw) or NUMBERED.match(raw):
            yield Item(_indent_width(match["indent"]) // 2, _clean(match["text"]))
        else:
            yield Prose(_clean(raw))


def text_lines(text):
    """Plain text, as plans are pasted from e-mail and Word: the structure is guessed.

    - Bullets (`-`, `•`, `*` …) and numbered items ("1.", "2." even when numbering restarts) are goals.
      A `•` or bold (`**…**`) bullet is the parent of the plain bullets after it; a `*` list right
      after a numbered item is its sub-goals; indentation adds a level.
    - Headings: lines with a Hebrew letter prefix ("א.", "ב."), and short unbulleted lines that end
      with ":" or are followed by a list. The first line is the plan's title.
    - Everything else is the description of the section it stands in.
    """
    rows = [line.rstrip() for line in text.splitlines()]
    rows = [line for line in rows if line.strip()]
    parent_kind = None  # "strong" after a •/bold bullet, "numbered" after a numbered item
    for index, raw in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else ""
        bullet = BULLET.match(raw)
        numbered = None if bullet else NUMBERED.match(raw)
        if bullet:
            text_ = bullet["text"]
            indent = 1 if _indent_width(bullet["indent"]) > 0 else 0
            strong = bullet["marker"] == "•" or text_.lstrip().startswith("**")
            if strong:
                parent_kind = "strong"
                yield Item(indent, _clean(text_))
            elif bullet["marker"] == "*" and parent_kind == "numbered":
                yield Item(1 + indent, _clean(text_))
            else:
                yield Item((1 if parent_kind == "strong" else 0) + indent, _clean(text_))
        elif numbered:
            parent_kind = "numbered"
            yield Item(1 if _indent_width(numbered["indent"]) >= 4 else 0, _clean(numbered["text"]))
        elif index == 0:
            yield Heading(1, _clean(raw))
        elif match := HEBREW_LETTER_HEADING.match(raw):
            parent_kind = None
            yield Heading(2, _clean(match["text"]))
        elif _looks_like_heading(raw, following):
            parent_kind = None
            yield Heading(2, _clean(raw))
        else:
            yield Prose(_clean(raw))


def _looks_like_heading(line, following):
    words = line.split()
    if len(words) > 10 or line.rstrip().endswith((".", ",", ";")):
        return False
    return line.rstrip().endswith(":") or bool(BULLET.match(following) or NUMBERED.match(following))


def docx_lines(data):
    """Word: Heading/Title styles give sections, list paragraphs give goals at their list level."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            if sum(info.file_size for info in archive.infolist()) > MAX_DOCX_UNPACKED_BYTES:
                raise PlanDocumentError(_("The Word file is too large once unpacked."))
        import docx

        document = docx.Document(io.BytesIO(data))
    except PlanDocumentError:
        raise
    except Exception as error:
        raise PlanDocumentError(_("The file is not a Word document that can be read (.docx).")) from error

    lines = []
    for paragraph in document.paragraphs:
        text = paragraph.text.strip()
        if not text:
            continue
        style = (paragraph.style.name or "").lower() if paragraph.style is not None else ""
        level = _list_level(paragraph)
        if style == "title":
            lines.append(Heading(1, text))
        elif heading := re.match(r"^(heading|כותרת)\s*(\d)$", style):
            lines.append(Heading(int(heading[2]) + 1, text))
        elif level is not None or style.startswith(("list bullet", "list number")):
            if level is None:
                suffix = re.search(r"(\d)$", style)
                level = int(suffix[1]) - 1 if suffix else 0
            lines.append(Item(level, text))
        else:
            lines.extend(text_lines(text) if BULLET.match(text) or NUMBERED.match(text) else [Prose(text)])
    return lines


def _list_level(paragraph):
    ppr = paragraph._p.pPr
    if ppr is None or ppr.numPr is None:
        return None
    ilvl = ppr.numPr.ilvl
    return int(ilvl.val) if ilvl is not None and ilvl.val is not None else 0


def parse_text(text, *, kind="md"):
    lines = markdown_lines(text) if kind == "md" else text_lines(text)
    return build_tree(lines)


def parse_document(name, data):
    """Parse an uploaded plan document; raises PlanDocumentError with a message for the user."""
    if not data:
        raise PlanDocumentError(_("The file is empty."))
    if len(data) > MAX_DOCUMENT_BYTES:
        raise PlanDocumentError(_("The file is larger than 5 MB."))
    extension = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if extension == "docx":
        plan = build_tree(docx_lines(data))
    elif extension in ("md", "txt", "markdown"):
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as error:
            raise PlanDocumentError(
                _("The file is not UTF-8 text. Save it as UTF-8 (or upload the Word file) and try again.")
            ) from error
        if "\x00" in text:
            raise PlanDocumentError(_("The file is not a text file."))
        plan = parse_text(text, kind="md" if extension in ("md", "markdown") else "txt")
    else:
        raise PlanDocumentError(_("Upload a .docx, .md or .txt file."))
    if plan.goal_count == 0:
        raise PlanDocumentError(_("No goals were found in the file: goals are bulleted or numbered lines."))
    return plan
