"""Bylines, credits, datelines and dates without a year, for `headline_date`.

These are the metadata lines around an article that are neither headline nor body:
`By AFP`, `TRTWorld and agencies`, `WASHINGTON, Sept. 29 (Xinhua) --`, `2 hours ago`.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, timedelta

from cleankit.plugins._dates import DateFinder
from cleankit.plugins._headline_lines import BYLINE, Line

# `WASHINGTON, Sept. 29 (Xinhua) --`, `BERLIN (dpa) -`, `PARIS, 3 mai (AFP) —`
DATELINE = re.compile(
    r"^(?P<place>[A-ZÀ-Þ][A-ZÀ-Þ.'’ -]{1,40}?(?:,\s*[A-Z][A-Za-z.]{1,15})?)"
    r"(?:,\s*(?P<when>[^()\-–—]{3,25}?))?\s*"
    r"(?:\((?P<agency>[^()]{2,30})\))?\s*(?:--|—|–|-)\s+(?=\S)"
)
_RELATIVE = re.compile(
    r"(?P<n>\d{1,3})\s*(?P<unit>min(?:ute)?s?|hours?|hrs?|days?|weeks?|Minuten|Stunden|Tagen|Wochen"
    r"|heures?|jours?|semaines?|minutos?|horas?|d[ií]as?|semanas?|ore|giorni|uur|dagen)\s*"
    r"(?:ago|geleden|fa)?",
    re.I,
)
_RELATIVE_CUE = re.compile(r"\b(?:ago|vor|il y a|hace|há|fa|geleden)\b", re.I)
_DAY_UNITS = re.compile(r"^(?:d|t|j|g|w|s)", re.I)


@dataclass(frozen=True, slots=True)
class Dateline:
    place: str
    agency: str | None
    month_day: tuple[int, int] | None
    end: int

    def as_meta(self) -> dict[str, str | None]:
        partial = f"{self.month_day[0]:02d}-{self.month_day[1]:02d}" if self.month_day else None
        return {"place": self.place.strip(), "agency": self.agency, "date": partial}


def find_dateline(text: str, finder: DateFinder) -> Dateline | None:
    """A dateline at the start of a paragraph: an upper-case place, and a date or an agency."""
    m = DATELINE.match(text)
    if m is None:
        return None
    place = m.group("place").strip(" ,")
    letters = [c for c in place if c.isalpha()]
    if len(letters) < 3 or not all(c.isupper() for c in letters[:3]):
        return None
    when = m.group("when")
    month_day = None
    if when:
        partial = next(finder.find_partial(when), None)
        if partial is None:
            return None
        month_day = (partial.month, partial.day)
    agency = m.group("agency")
    if month_day is None and agency is None:
        return None
    return Dateline(place, agency.strip() if agency else None, month_day, m.end())


def byline_name(text: str) -> str:
    """`By AFP` -> `AFP`; the name part of a byline line."""
    m = BYLINE.match(text)
    return text[m.end() :].strip() if m else text.strip()


def relative_age(text: str) -> timedelta | None:
    """`2 hours ago`, `vor 3 Tagen`, `il y a 2 jours` -> how long before the page was read."""
    if len(text) > 60 or not _RELATIVE_CUE.search(text):
        return None
    m = _RELATIVE.search(text)
    if m is None:
        return None
    n, unit = int(m.group("n")), m.group("unit").casefold()
    if unit.startswith(("w", "sem")):
        return timedelta(weeks=n)
    if _DAY_UNITS.match(unit) and not unit.startswith("s"):
        return timedelta(days=n)
    if unit.startswith(("h", "stu", "ore", "uur")):
        return timedelta(hours=n)
    return timedelta(minutes=n)


def year_evidence(lines: list[Line]) -> int | None:
    """The year most dates on the page are written with, if one year dominates."""
    years = Counter(hit.year for line in lines for hit in line.dates if hit.year is not None)
    if not years:
        return None
    (year, count), *rest = years.most_common(2)
    if rest and rest[0][1] == count:
        return None
    return year


def with_year(month_day: tuple[int, int], year: int) -> date | None:
    try:
        return date(year, *month_day)
    except ValueError:
        return None
