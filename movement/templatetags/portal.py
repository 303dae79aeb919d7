"""Formatting helpers for templates. Logic stays in Python; these only format."""

from decimal import Decimal

from django import template
from django.utils.safestring import mark_safe
from django.utils.translation import get_language

from movement.formatting import format_number, hebrew_date
from movement.textdir import text_language

register = template.Library()


@register.simple_tag
def field_widget(field):
    """A form field's widget tied to its help text and errors, so screen readers announce both."""
    described_by = []
    attrs = {}
    if field.help_text:
        described_by.append(f"{field.auto_id}_helptext")
    if field.errors:
        described_by.append(f"{field.auto_id}_error")
        attrs["aria-invalid"] = "true"
    if described_by:
        attrs["aria-describedby"] = " ".join(described_by)
    return field.as_widget(attrs=attrs)


@register.simple_tag
def content_lang(value):
    """The `lang` and `dir` of a block showing `value` (WCAG 3.1.2, language of parts).

    ` lang="he" dir="rtl"` for Hebrew content on a page not in Hebrew, ` lang="en" dir="ltr"` for
    Latin-script content on a Hebrew page, else ` dir="auto"`: content in the page's language, or
    with no letters, or in another script, keeps the browser's guess from its first strong character.
    """
    page = (get_language() or "").split("-")[0]
    content = text_language(value)
    if content == "he" and page and page != "he":
        return mark_safe(' lang="he" dir="rtl"')  # nosec B308, B703
    if content == "en" and page == "he":
        return mark_safe(' lang="en" dir="ltr"')  # nosec B308, B703
    return mark_safe(' dir="auto"')  # nosec B308, B703


@register.filter
def number(value):
    return format_number(value)


@register.filter
def shekels(value):
    if value is None:
        return ""
    return f"₪{int(Decimal(value)):,}"


@register.filter(name="hebrew_date")
def hebrew_date_filter(value):
    return hebrew_date(value) if value else ""
