"""The direction and script of a piece of content, read from its first strong character.

The same rule as HTML's dir="auto": used by the web templates (`portal.content_lang`) and the PDF
templates (`pdf_tags.content_dir`, WeasyPrint having no dir="auto").
"""

import unicodedata

RTL_CLASSES = {"R", "AL"}


def _first_strong(text):
    """The first character of `text` with a strong direction, and that direction; (None, None) without one."""
    for char in str(text or ""):
        kind = unicodedata.bidirectional(char)
        if kind in RTL_CLASSES:
            return char, "rtl"
        if kind == "L":
            return char, "ltr"
    return None, None


def text_direction(text):
    """ "rtl" or "ltr" by the first strong character of `text` (HTML's dir="auto"); None without one."""
    return _first_strong(text)[1]


def text_language(text):
    """ "he" when `text` starts (its first strong character) in Hebrew, "en" in Latin script, else None."""
    char, _direction = _first_strong(text)
    if char is None:
        return None
    name = unicodedata.name(char, "")
    if name.startswith("HEBREW"):
        return "he"
    if name.startswith("LATIN"):
        return "en"
    return None
