"""Fast date finding for `headline_date`: regular expressions over one line at a time.

The month table (`data/headline_date_months.json`) was built once from dateparser 1.5's
language data and is shipped as data: dateparser itself is not a run-time dependency,
because a regex pass over short lines is far faster than calling it on every page.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from functools import lru_cache

from cleankit.plugins import load_data


@dataclass(frozen=True, slots=True)
class DateHit:
    """One date written in a line. `year` is None for month/day forms (`Sept. 29`)."""

    year: int | None
    month: int
    day: int
    pattern: str
    start: int
    end: int

    def as_date(self) -> date | None:
        if self.year is None:
            return None
        try:
            return date(self.year, self.month, self.day)
        except ValueError:
            return None


DEFAULT_LANGUAGES = (
    "en",
    "de",
    "fr",
    "es",
    "it",
    "pt",
    "nl",
    "sv",
    "da",
    "nb",
    "pl",
    "cs",
    "tr",
    "fi",
    "ro",
    "id",
    "ca",
)


def _load_month_tables() -> dict[str, dict[str, int]]:
    tables: dict[str, dict[str, int]] = load_data("headline_date_months.json")["months"]
    return tables


MONTH_TABLES = _load_month_tables()
_WEEKDAY = r"(?:[A-Za-zÀ-ÿ]{2,12}\.?,?\s+)?"
_DAY = r"(?P<day>[0-3]?\d)(?:st|nd|rd|th|er|º|°|\.)?"
# A four-digit year may be glued to a following time (`3 de mayo de 202221:25`).
_YEAR_SHORT = r"(?P<year>(?:19|20)\d\d|['’]\d\d)(?:(?!\d)|(?=[0-2]?\d:\d\d))"
_YEAR = r"(?P<year>(?:19|20)\d\d)(?:(?!\d)|(?=[0-2]?\d:\d\d))"
_OF = r"(?:\s*(?:de|del|di|of)\s+|\s*,?\s*)"
_HAS_DIGIT = re.compile(r"\d")
# Every full date has a year: four digits, `’20`, or the `.yy` of `3.5.24`. Written to
# start with a character class, which lets the regex engine skip ahead quickly.
YEARISH = re.compile(r"[\d'’](?:(?<=[12])[09]\d\d|(?<=['’])\d\d|(?<=\d)\.\s?\d\d?\.\s?\d\d)")

NUMERIC_PATTERNS: list[tuple[str, str]] = [
    ("iso", r"(?<!\d)(?P<year>(?:19|20)\d\d)-(?P<mon>[01]?\d)-(?P<day>[0-3]?\d)(?!\d)"),
    ("ymd_slash", r"(?<!\d)(?P<year>(?:19|20)\d\d)[/.](?P<mon>[01]?\d)[/.](?P<day>[0-3]?\d)(?!\d)"),
    (
        "dmy_dot",
        r"(?<![\d.])(?P<day>[0-3]?\d)\.\s?(?P<mon>[01]?\d)\.\s?"
        r"(?P<year>(?:19|20)\d\d|\d\d)(?:(?![\d.]\d)|(?=[0-2]?\d:\d\d))",
    ),
    (
        "num_slash",
        r"(?<![\d/])(?P<a>[0-3]?\d)[/-](?P<b>[0-3]?\d)[/-](?P<year>(?:19|20)\d\d)(?![\d/])",
    ),
    ("cjk", r"(?P<year>(?:19|20)\d\d)\s*[年년]\s*(?P<mon>[01]?\d)\s*[月월]\s*(?P<day>[0-3]?\d)"),
]
_GROUP = re.compile(r"\(\?P<(\w+)>")


def _combine(patterns: list[tuple[str, str]]) -> re.Pattern[str]:
    """One regex with an alternative per pattern; group `x` of pattern `p` is `p__x`."""
    parts = []
    for name, source in patterns:
        renamed = _GROUP.sub(f"(?P<{name}__\\1>", source)
        parts.append(f"(?P<{name}>{renamed})")
    return re.compile("|".join(parts), re.I)


def _year(text: str) -> int:
    digits = text.lstrip("'’")
    value = int(digits)
    if len(digits) == 2:
        value += 2000 if value < 70 else 1900
    return value


class DateFinder:
    """Regex date reader for a set of languages (their month names)."""

    def __init__(self, languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> None:
        self.months: dict[str, int] = {}
        for lang in languages:
            for name, number in MONTH_TABLES.get(lang, {}).items():
                self.months.setdefault(name, number)
        # Any word in the month slot, checked against the table afterwards: a regex
        # alternation of several hundred names would be tried at every position.
        month = r"(?P<mon>[^\W\d_]{3,12})\b\.?"
        self.pattern = _combine(
            NUMERIC_PATTERNS
            + [
                ("day_month_year", rf"(?<!\d){_DAY}{_OF}{month}{_OF}{_YEAR_SHORT}"),
                ("month_day_year", rf"\b{month}\s*{_DAY},?\s+{_YEAR}"),
            ]
        )
        self.partial_patterns = [
            (
                "month_day",
                re.compile(rf"\b{month}\s+(?P<day>[0-3]?\d)(?!\d)(?:st|nd|rd|th)?", re.I),
            ),
            (
                "day_month",
                re.compile(
                    rf"(?<!\d)(?P<day>[0-3]?\d)(?:\.|st|nd|rd|th)?\s*(?:de\s+)?{month}", re.I
                ),
            ),
        ]

    def _month(self, text: str) -> int | None:
        if text.isdigit():
            return int(text)
        return self.months.get(text.casefold().rstrip("."))

    def find(self, line: str, month_first: bool = False) -> list[DateHit]:
        """Every full date (day, month, year) written in `line`, left to right, no overlaps.

        Only the stretches ending at something year-like are searched: a date is at most
        ~40 characters long, so long lines cost little more than short ones."""
        hits: list[DateHit] = []
        for lo, hi in _windows(line):
            for m in self.pattern.finditer(line, lo, hi):
                hit = self._hit(m, month_first)
                if hit is not None and hit.as_date() is not None:
                    hits.append(hit)
        return hits

    def _hit(self, m: re.Match[str], month_first: bool) -> DateHit | None:
        name = m.lastgroup or ""
        start, end = m.start(), m.end()
        year = _year(m.group(name + "__year"))
        if name == "num_slash":
            a, b = int(m.group("num_slash__a")), int(m.group("num_slash__b"))
            month, day = _slash_order(a, b, month_first)
            pattern = "num_slash" if a > 12 or b > 12 else "num_slash_ambiguous"
            return DateHit(year, month, day, pattern, start, end)
        month_value = self._month(m.group(name + "__mon"))
        if month_value is None:
            return None
        return DateHit(year, month_value, int(m.group(name + "__day")), name, start, end)

    def find_partial(self, line: str) -> Iterator[DateHit]:
        """Month/day forms without a year (`Sept. 29`, `29. September`)."""
        if not _HAS_DIGIT.search(line):
            return
        for name, pattern in self.partial_patterns:
            for m in pattern.finditer(line):
                month = self._month(m.group("mon"))
                day = int(m.group("day"))
                if month is not None and 1 <= day <= 31:
                    yield DateHit(None, month, day, name, m.start(), m.end())


def _windows(line: str) -> list[tuple[int, int]]:
    """Merged (start, end) stretches around each year-like token, cut at spaces."""
    spans: list[tuple[int, int]] = []
    for m in YEARISH.finditer(line):
        lo = max(0, m.start() - 40)
        if lo:
            space = line.find(" ", lo, m.start())
            lo = space + 1 if space >= 0 else lo
        hi = min(len(line), m.end() + 8)
        if spans and lo <= spans[-1][1]:
            spans[-1] = (spans[-1][0], hi)
        else:
            spans.append((lo, hi))
    return spans


def _slash_order(a: int, b: int, month_first: bool) -> tuple[int, int]:
    """(month, day) of an `a/b/yyyy` date; ambiguous ones follow the document's habit."""
    if a > 12:
        return b, a
    if b > 12:
        return a, b
    return (a, b) if month_first else (b, a)


@lru_cache(maxsize=8)
def date_finder(languages: tuple[str, ...] = DEFAULT_LANGUAGES) -> DateFinder:
    """A shared finder per language set (compiling the month regexes costs milliseconds)."""
    return DateFinder(languages)


def find_dates(line: str, month_first: bool = False) -> list[DateHit]:
    return date_finder().find(line, month_first)


def find_partial_dates(line: str) -> Iterator[DateHit]:
    return date_finder().find_partial(line)
