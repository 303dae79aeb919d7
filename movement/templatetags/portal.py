"""Formatting helpers for templates. Logic stays in Python; these only format."""

from decimal import Decimal

from django import template

from movement.formatting import format_number, hebrew_date

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
