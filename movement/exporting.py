"""Spreadsheet safety for every export (the floor: imports no app)."""

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def formula_safe(value):
    """A text cell a spreadsheet will not run as a formula: prefixed with ' when it starts like one.

    Numbers are not text cells and are left alone; importers strip the prefix again (`formula_unsafe`).
    """
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def formula_unsafe(value):
    if isinstance(value, str) and value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value
