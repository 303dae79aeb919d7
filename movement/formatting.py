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


def hebrew_date(value):
    """A Gregorian date in the Hebrew calendar, as Israelis write it: י״ד בטבת תשע״א."""
    from pyluach import dates

    hebrew = dates.GregorianDate.from_pydate(value).to_heb()
    return f"{hebrew.hebrew_day()} ב{hebrew.month_name(hebrew=True)} {hebrew.hebrew_year()}"
