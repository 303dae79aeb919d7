"""Formatting of quantities, shared by templates and models (the floor: imports no app)."""

from decimal import Decimal


def format_number(value):
    """A quantity as people write it: 12,000 · 7 · 1.5 (no trailing zeros)."""
    if value is None or value == "":
        return ""
    value = Decimal(value)
    if value == value.to_integral():
        return f"{int(value):,}"
    return f"{value.normalize():,f}"
