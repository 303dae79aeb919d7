"""Formatting for the PDF templates: text direction of content blocks, CSS strings."""

from django import template
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


BAR_MM = 30


@register.filter
def bar_style(percent):
    """The inline style of a progress bar `BAR_MM` wide, `percent` of it filled from the start side.

    One box, not a track with a fill inside: the fill is the bar's start border, the track its
    background. On the 2018 plan a nested fill cost a third more layout work than this.
    """
    try:
        number = max(0, min(100, int(percent or 0)))
    except (TypeError, ValueError):
        number = 0
    fill = BAR_MM * number / 100
    return f"border-inline-start-width: {fill:.1f}mm; width: {BAR_MM - fill:.1f}mm"
