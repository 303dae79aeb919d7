"""Suggesting a goal's numeric target from its text ("הכשרה של כ- 20 מנהיגים" → about 20 מנהיגים).

Suggestions only: the secretariat sees them in the import preview and the reviewed table
fixtures/source/plan-2018-targets.csv is what the tests hold them to.
"""

import re
from dataclasses import asdict, dataclass
from decimal import Decimal

NUMBER_WORDS = {
    "שתי": 2,
    "שני": 2,
    "שניים": 2,
    "שתיים": 2,
    "שלוש": 3,
    "שלושה": 3,
    "ארבע": 4,
    "ארבעה": 4,
    "חמש": 5,
    "חמישה": 5,
    "שש": 6,
    "שישה": 6,
    "שבע": 7,
    "שבעה": 7,
    "שמונה": 8,
    "תשע": 9,
    "תשעה": 9,
    "עשר": 10,
    "עשרה": 10,
}
# Words after which a number is a name, not a quantity: cohorts, amendments, ordinal years.
NOT_A_QUANTITY_BEFORE = ("מחזור", "תיקון", "סעיף", "פרק", "שלב", "גל", "מס'", "מספר")
NOT_A_QUANTITY_AFTER = ("שנים", "שנה", "שנות")
INCREASE_WORDS = ("הגדלת", "הגדלה", "להגדיל", "העלאת", "להעלות", "גידול", "הרחבת")

_NUM = r"\d{1,3}(?:,\d{3})+|\d+(?:\.\d+)?"
NUMBER = re.compile(
    rf"(?P<prefix>(?:^|(?<=[\s(\"']))(?:כ|ב|ל|ה|מ|עד)?[-־]?\s?)?(?P<number>{_NUM})(?P<percent>\s?%)?"
)
RANGE = re.compile(rf"(?P<low>{_NUM})\s*[-–־]\s*(?P<high>{_NUM})")
WORD = re.compile(r"[א-ת\"'״׳]+")


@dataclass
class Target:
    value: Decimal
    value_max: Decimal | None = None
    unit: str = ""
    about: bool = False
    increase: bool = False

    def as_dict(self):
        data = asdict(self)
        data["value"] = str(self.value)
        data["value_max"] = str(self.value_max) if self.value_max is not None else None
        return data

    def __post_init__(self):
        self.value = Decimal(str(self.value))
        if self.value_max is not None:
            self.value_max = Decimal(str(self.value_max))


def _to_decimal(text):
    return Decimal(text.replace(",", ""))


def _words_before(text, position, count=1):
    return WORD.findall(text[:position])[-count:]


def _unit_after(text, position):
    """The counted thing: the Hebrew word after the number, two words for a construct ("ימי עיון")."""
    words = re.match(r"\s*([א-ת\"'״׳]+)(?:\s+([א-ת\"'״׳]+))?", text[position:])
    if not words:
        return ""
    first, second = words.group(1), words.group(2)
    if second and first.endswith("י") and first not in ("כי",) and len(first) > 2:
        return f"{first} {second}"
    return first


def _is_name_not_quantity(text, start, end, number):
    before = text[max(0, start - 12) : start]
    if re.search(r"(?:" + "|".join(map(re.escape, NOT_A_QUANTITY_BEFORE)) + r")\s*[-–]?\s*$", before):
        return True
    if re.search(r"[A-Za-z][-־]?$", before):  # G-8
        return True
    if re.search(r"(?:^|\s)ה[-־]$", before):  # ה-70: an ordinal
        return True
    value = _to_decimal(number)
    if 1900 <= value <= 2100 and "," not in number:  # a year
        return True
    after = text[end : end + 8].strip()
    return after.startswith(NOT_A_QUANTITY_AFTER)


def suggest_target(text):
    """The numeric target a goal's text states, or None."""
    text = text.replace("\u00a0", " ")
    candidates = []
    for match in RANGE.finditer(text):
        low, high = match["low"], match["high"]
        if _is_name_not_quantity(text, match.start("low"), match.end("low"), low):
            continue
        if _to_decimal(high) <= _to_decimal(low):
            continue
        unit = _unit_after(text, match.end())
        if not unit:
            continue
        about = bool(re.search(r"כ[-־]?\s*$", text[: match.start()]))
        candidates.append((match.start(), Target(_to_decimal(low), _to_decimal(high), unit, about)))
    taken = [(m.start(), m.end()) for m in RANGE.finditer(text)] if candidates else []
    for match in re.finditer(rf"(?P<number>{_NUM})(?P<percent>\s?%)?", text):
        start, end = match.span("number")
        if any(a <= start < b for a, b in taken):
            continue
        if start > 0 and (text[start - 1].isdigit() or text[start - 1] in ".,"):
            continue
        if _is_name_not_quantity(text, start, match.end(), match["number"]):
            continue
        before = text[max(0, start - 4) : start]
        about = bool(re.search(r"(?:^|\s)כ\s?[-־]?\s*$", before))
        if match["percent"]:
            increase = bool(re.search(r"ב\s?[-־]?\s*$", before)) and any(w in text for w in INCREASE_WORDS)
            candidates.append((start, Target(_to_decimal(match["number"]), None, "%", about, increase)))
            continue
        unit = _unit_after(text, match.end())
        # "מחזור 2 – 22": after a cohort's number, a bare number is its size.
        after_cohort = re.search(r"מחזור\s+\d+\s*[-–]\s*$", text[:start])
        if unit or after_cohort:
            candidates.append((start, Target(_to_decimal(match["number"]), None, unit, about)))
    if not candidates:
        for match in re.finditer(r"(?:^|\s)(?:עוד\s+)?(?P<word>" + "|".join(NUMBER_WORDS) + r")\s+", text):
            unit = _unit_after(text, match.end())
            if unit and not unit.startswith(("של", "על")):
                candidates.append((match.start(), Target(NUMBER_WORDS[match["word"]], None, unit, False)))
                break
    if not candidates:
        return None
    # The last quantity stated is the target ("מחזור 6 – 28 משתתפים", "X מתוך Y").
    return sorted(candidates, key=lambda c: c[0])[-1][1]
