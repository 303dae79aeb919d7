"""One search over goals, decisions, protocols' statements, visits and kibbutzim, asking each app.

Hebrew writes prefixes into the word: "והקיבוצים" is "and the kibbutzim". The rule, one regular
expression per query word and the same on SQLite and PostgreSQL:

- a query word also stands for itself with up to two of the prefix letters ו ה ב ל מ ש כ taken off
  its start, as long as three letters remain ("והקיבוצים" → "הקיבוצים", "קיבוצים");
- a text word matches when, after up to two prefix letters of its own, it starts with one of those
  ("קיבוצים" finds "והקיבוצים" and "לקיבוצים"); a final letter at the end of a query word also
  matches its ordinary form, so "קיבוץ" finds "קיבוצים".

Full text search alone does not see the prefixes written in the text (the `simple` configuration
keeps "והילדים" as one lexeme), and trigram similarity alone is weak on short Hebrew words
("ילד" ~ "והילדים" is 0.25), hence the expression. On PostgreSQL (a UTF-8 ctype: PITFALLS), trigram
word similarity also forgives a misspelt or inflected longer word ("תוכנית" finds "תוכניות"), and
results are ranked by full-text rank (simple configuration, prefix match) plus that similarity.

Who reads what is each app's rule (`<app>/access.py`); nothing here decides it anew.
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector, TrigramWordSimilarity
from django.db import connection
from django.db.models import Count, F, FloatField, Q, Value, Window
from django.db.models.functions import Greatest
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from meetings import access as meeting_access
from meetings.models import Decision, Statement
from plans import access as plan_access
from plans.models import Goal
from visits import access as visit_access
from visits import services as visit_services
from visits.models import Visit

from . import access
from .models import Kibbutz

MIN_LENGTH = 2  # letters of a word searched for; shorter ones (a lone prefix letter) are left out
MAX_LENGTH = 200  # characters of a query
MAX_WORDS = 10
PER_KIND = 20  # results of each kind on the page of all kinds
PER_KIND_ALONE = 100  # results of one kind asked for alone
SNIPPET = 240  # characters of text shown around the first match

PREFIX_LETTERS = "ובהלמשכ"
FINAL_LETTERS = {"ך": "כ", "ם": "מ", "ן": "נ", "ף": "פ", "ץ": "צ"}
# A word starts at the text's start or after anything that is not a letter or a digit. Spelled out,
# not \W: the same in Python's and PostgreSQL's regular expressions, whatever the database's locale.
WORD_START = "(^|[^0-9a-zA-Z\u05d0-\u05ea])"
# Trigrams forgive a misspelt or inflected word only where it is long enough for that to mean something.
TRIGRAM_MIN_LETTERS = 5
TRIGRAM_THRESHOLD = 0.6

_WORD = re.compile(r"[^\W_]+")
_MARKS = re.compile("[\u0591-\u05c7]")  # Hebrew points and cantillation, never typed into a search


class QueryError(ValueError):
    """A query the search refuses, with the message the person sees."""

    def __init__(self, message, *, status=200):
        super().__init__(str(message))
        self.message = message
        self.status = status


def variants(word):
    """The word and the word with up to two Hebrew prefix letters taken off, three letters left."""
    found = [word]
    while len(found) < 3 and found[-1][0] in PREFIX_LETTERS and len(found[-1]) - 1 >= 3:
        found.append(found[-1][1:])
    return found


def parse(text):
    """The query's words, lowercased; QueryError when it is empty, too short or too long."""
    text = text or ""
    if len(text) > MAX_LENGTH:
        raise QueryError(
            _("The search is too long: at most %(limit)d characters.") % {"limit": MAX_LENGTH}, status=400
        )
    words = _WORD.findall(_MARKS.sub("", unicodedata.normalize("NFC", text)).lower())
    words = list(dict.fromkeys(word for word in words if len(word) >= MIN_LENGTH))
    if not words:
        raise QueryError(_("Type at least two letters to search."))
    if len(words) > MAX_WORDS:
        raise QueryError(_("Search for at most %(limit)d words.") % {"limit": MAX_WORDS}, status=400)
    return words


def _stem_pattern(variant):
    """A variant as a regular expression: its letters, the last one either form if it is a final letter."""
    last = variant[-1]
    if last in FINAL_LETTERS:
        return variant[:-1] + f"[{last}{FINAL_LETTERS[last]}]"
    return variant


def word_pattern(word):
    """The regular expression that finds `word` in a text, prefixes and all (see the module's docstring)."""
    stems = "|".join(_stem_pattern(v) for v in variants(word))
    return f"{WORD_START}[{PREFIX_LETTERS}]{{0,2}}(?:{stems})"


def _is_postgres():
    return connection.vendor == "postgresql"


def _similarity(words, fields):
    """The best trigram word similarity of any of `words` to any of `fields` (PostgreSQL)."""
    return Greatest(
        *[TrigramWordSimilarity(Value(word), name) for word in words for name in fields],
        Value(0.0),
        output_field=FloatField(),
    )


def _matching(queryset, fields, words):
    """Rows where every word is found in one of `fields`; ranked best first on PostgreSQL."""
    postgres = _is_postgres()
    scores = []
    for number, word in enumerate(words):
        found = Q()
        for name in fields:
            found |= Q(**{f"{name}__iregex": word_pattern(word)})
        if postgres:
            scores.append(_similarity(variants(word), fields))
            # Forgiving only the longer forms: "ירות" (from "שמירות") is as close to "בחירות".
            longer = [v for v in variants(word) if len(v) >= TRIGRAM_MIN_LETTERS]
            if longer:
                queryset = queryset.alias(**{f"_similar_{number}": _similarity(longer, fields)})
                found |= Q(**{f"_similar_{number}__gte": TRIGRAM_THRESHOLD})
        queryset = queryset.filter(found)
    if not postgres:
        return queryset
    # Rank: the full-text rank of the words as prefixes (any of them), plus their best similarities.
    terms = " | ".join(f"'{v}':*" for word in words for v in variants(word))
    total = SearchRank(
        SearchVector(*fields, config="simple"), SearchQuery(terms, search_type="raw", config="simple")
    )
    for score in scores:
        total = total + score
    return queryset.alias(_score=total).order_by(F("_score").desc(), *queryset.query.order_by)


def _first_page(queryset, limit):
    """Up to `limit` rows and how many there are in all, in one query (a window count)."""
    rows = list(queryset.annotate(_total=Window(Count("pk")))[:limit])
    return rows, (rows[0]._total if rows else 0)


def highlight(text, words):
    """`text` escaped, cut to SNIPPET characters around the first match, matching words in <mark>."""
    text = str(text or "")
    finder = re.compile(
        "|".join(f"(?<![^\\W_])[{PREFIX_LETTERS}]{{0,2}}(?:{_stem_pattern(v)})[^\\W_]*"
                 for word in words for v in variants(word)),
        re.IGNORECASE,
    )  # fmt: skip
    matches = list(finder.finditer(text))
    start, end = 0, len(text)
    if len(text) > SNIPPET:
        first = matches[0].start() if matches else 0
        start = max(0, first - SNIPPET // 3)
        if start:
            space = text.find(" ", start)
            start = space + 1 if 0 <= space < first else start
        end = min(len(text), start + SNIPPET)
        if end < len(text):
            space = text.rfind(" ", start, end)
            end = space if space > start else end
    pairs, position = [], start
    for match in matches:
        if match.start() < start or match.end() > end:
            continue
        pairs.append((text[position : match.start()], match.group()))
        position = match.end()
    # format_html escapes every piece of the text; only the <mark> tags are ours.
    return format_html(
        "{}{}{}{}",
        "…" if start else "",
        format_html_join("", "{}<mark>{}</mark>", pairs),
        text[position:end],
        "…" if end < len(text) else "",
    )


@dataclass
class Group:
    """The results of one kind: the first ones, and how many there are in all."""

    kind: str
    label: str
    items: list = field(default_factory=list)
    total: int = 0

    @property
    def more(self):
        return self.total - len(self.items)


def _goals(user, words, limit):
    if not plan_access.may_read_plans(user):
        return [], 0
    goals = (
        Goal.objects.active()
        .select_related("plan__body", "department")
        .order_by("-plan__year", "plan__body_id", "order")
    )
    rows, total = _first_page(_matching(goals, ["text_he", "text_en"], words), limit)
    for goal in rows:
        goal.snippet = highlight(goal.text, words)
    return rows, total


def _decisions(user, words, limit):
    if not meeting_access.may_read_protocols(user):
        return [], 0
    decisions = Decision.objects.select_related("meeting__body").order_by("-meeting__date", "number")
    rows, total = _first_page(_matching(decisions, ["text_he", "text_en"], words), limit)
    for decision in rows:
        decision.snippet = highlight(decision.text, words)
    return rows, total


def _statements(user, words, limit):
    if not meeting_access.may_read_protocols(user):
        return [], 0
    statements = Statement.objects.select_related("item__meeting__body", "speaker").order_by(
        "-item__meeting__date", "item__order", "order"
    )
    rows, total = _first_page(_matching(statements, ["text"], words), limit)
    for statement in rows:
        statement.snippet = highlight(statement.text, words)
    return rows, total


def _visits(user, words, limit):
    """Visits whose notes the user may read; showing a piece of them is a read, recorded as one."""
    if not visit_access.may_read_visit_notes(user):
        return [], 0
    visits = (
        Visit.objects.select_related("coordinator").prefetch_related("kibbutzim").order_by("-date", "-pk")
    )
    rows, total = _first_page(_matching(visits, ["summary", "question"], words), limit)
    for visit in rows:
        visit.snippet = highlight(visit.summary, words)
    visit_services.notes_read_in_search(visits=rows, user=user)
    return rows, total


def _kibbutzim(user, words, limit):
    if not access.is_member(user):
        return [], 0
    kibbutzim = Kibbutz.objects.select_related("region").order_by("name")
    rows, total = _first_page(_matching(kibbutzim, ["name_he", "name_en", "regional_council"], words), limit)
    for kibbutz in rows:
        kibbutz.snippet = highlight(kibbutz.name, words)
    return rows, total


KINDS = {
    "goals": (_("Goals"), _goals),
    "decisions": (_("Decisions"), _decisions),
    "statements": (_("What was said in meetings"), _statements),
    "visits": (_("Visits"), _visits),
    "kibbutzim": (_("Kibbutzim"), _kibbutzim),
}


def search(*, user, words, kind=None):
    """The groups of results `user` may read, in KINDS order: one kind alone (more of it), or all."""
    groups = []
    for name, (label, find) in KINDS.items():
        if kind and name != kind:
            continue
        items, total = find(user, words, PER_KIND_ALONE if kind else PER_KIND)
        groups.append(Group(kind=name, label=label, items=items, total=total))
    return groups
