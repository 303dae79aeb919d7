"""Formatting for the PDF templates: text direction of content blocks, CSS strings."""

from django import template
from django.utils.html import format_html
from django.utils.safestring import mark_safe
from django.utils.translation import get_language_bidi

from movement.pdf import css_string
from movement.textdir import text_direction

register = template.Library()


@register.simple_tag
def content_dir(text):
    """` dir="rtl" lang="he"` (or ltr/en) when `text` runs against the page, else nothing.

    WeasyPrint does not implement dir="auto": a Hebrew goal in an English report (its English text
    missing) needs its direction spelled out, or its punctuation and numbers land on the wrong side.
    """
    direction = text_direction(text)
    page = "rtl" if get_language_bidi() else "ltr"
    if direction is None or direction == page:
        return ""
    return mark_safe(' dir="rtl" lang="he"' if direction == "rtl" else ' dir="ltr" lang="en"')  # nosec B308, B703


@register.filter(name="css_string")
def css_string_filter(value):
    """A value as a quoted CSS string, for `content:` in a <style> element."""
    # Safe: css_string() escapes.
    return mark_safe(css_string(str(value)))  # nosec B308, B703


@register.filter
def bar_percent(percent):
    """`percent` as a whole number from 0 to 100: the `bar-N` class of a progress bar (static/css/pdf.css)."""
    try:
        return max(0, min(100, int(percent or 0)))
    except (TypeError, ValueError):
        return 0


@register.filter
def isolate(value):
    """`value` between FIRST STRONG ISOLATE and POP DIRECTIONAL ISOLATE, escaped: a number or a Latin
    word set apart from the Hebrew around it, as `<bdi>` does, without an inline box of its own.

    WeasyPrint lays out each inline box as a text run of its own; on the 2018 plan the `<bdi>`s of the
    goal rows cost about 4% of the whole render. Pango reads the isolate characters (Unicode bidi);
    text extraction keeps them as invisible controls (tests strip them with the other bidi marks).
    """
    return format_html("\u2068{}\u2069", value)
