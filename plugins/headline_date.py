"""Built-in cleaner `headline_date`: the headline, the publication date and the byline.

It reads every paragraph that is kept or was removed by `chrome` (chrome may have judged a
title or date line as `meta:*`). A date is not taken from a line chrome labelled `nav`,
`related` or `comments` unless that line is itself a date line (`Published: 3 May 2024`,
`By AFP | 18.09.2015`) or sits right under the headline: chrome judges lines without
knowing where the headline is, and often calls such short lines `nav`. It picks the
headline line and the publication date with two small linear models over layout features
(`_headline_title`, `_headline_published`), and moves the lines it consumes out of the
body: headline, byline, date line and credit lines are removed with rules `headline`,
`byline`, `date`, `credit`; a dateline prefix (`WASHINGTON, Sept. 29 (Xinhua) --`) is cut
from the first body paragraph. Everything it recovers is recorded in `doc.meta` with where
it came from and how sure it is.

A date without a year is completed only from real evidence: the year the page's other
dates are written with, a `source_date`/`year` field in the record's metadata, or the
configured `default_year`; otherwise it stays `published_partial` and `published` is None.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from typing import Any

from cleankit.plugins._dates import DEFAULT_LANGUAGES, MONTH_TABLES, DateFinder, date_finder
from cleankit.plugins._headline_lines import CREDIT, UPDATED_CUE, Line, normalise, prepare_page
from cleankit.plugins._headline_meta import (
    Dateline,
    byline_name,
    find_dateline,
    relative_age,
    with_year,
    year_evidence,
)
from cleankit.plugins._headline_published import THRESHOLD as DATE_THRESHOLD
from cleankit.plugins._headline_published import DateChoice, choose_date
from cleankit.plugins._headline_title import THRESHOLD as TITLE_THRESHOLD
from cleankit.plugins._headline_title import TitleChoice, choose_title, headline_text
from pydantic import Field, field_validator

from cleankit import hookimpl
from cleankit.cleaner import CleanerConfig, DocumentCleaner
from cleankit.document import Document

NAME = "headline_date"
# `Source:Xinhua Published: ...`: the credit written on a date line.
SOURCE_IN_LINE = re.compile(
    r"\b(?:source|quelle|fuente|fonte|bron)\s*:\s*(?P<name>[^|:]{2,40}?)\s*"
    r"(?=\b(?:published|updated|veröffentlicht|date|datum)\b|[|,]|$)",
    re.I,
)


class HeadlineDateConfig(CleanerConfig):
    date_floor: str = Field("1990-01-01", description="No publication date before this day.")
    default_year: int | None = Field(
        None, description="Corpus-wide year for dates printed without one (explicit evidence)."
    )
    reference_date: str | None = Field(
        None, description="Day the pages were fetched; needed to resolve `2 hours ago`."
    )
    languages: list[str] = Field(
        list(DEFAULT_LANGUAGES), description="Languages whose month names are recognised."
    )
    title_threshold: float = Field(
        TITLE_THRESHOLD, ge=0, le=1, description="Minimum headline probability."
    )
    date_threshold: float = Field(
        DATE_THRESHOLD,
        ge=0,
        le=1,
        description="Minimum publication-date probability (the trade-off between dates "
        "found and wrong dates is in bench/results/headline_date.md).",
    )
    remove_lines: bool = Field(True, description="Remove consumed lines from the body.")

    @field_validator("date_floor", "reference_date", mode="before")
    @classmethod
    def _iso_day(cls, value: object) -> object:
        """Accept a TOML date (`date_floor = 1700-01-01`) as well as a string."""
        if isinstance(value, date):
            return value.isoformat()
        if isinstance(value, str):
            date.fromisoformat(value)
        return value

    @field_validator("languages")
    @classmethod
    def _known_languages(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - MONTH_TABLES.keys())
        if unknown:
            raise ValueError(f"no month names for {unknown}; known: {sorted(MONTH_TABLES)}")
        return value


class HeadlineDateCleaner(DocumentCleaner):
    name = NAME
    version = "3"  # 3: a breadcrumb trail picked as headline gives its last step; danda
    Config = HeadlineDateConfig

    def __init__(self, config: CleanerConfig | dict[str, Any] | None = None) -> None:
        super().__init__(config)
        cfg = self.settings
        self.finder: DateFinder = date_finder(tuple(cfg.languages))
        self.floor = date.fromisoformat(cfg.date_floor)
        self.reference = date.fromisoformat(cfg.reference_date) if cfg.reference_date else None

    @property
    def settings(self) -> HeadlineDateConfig:
        assert isinstance(self.config, HeadlineDateConfig)
        return self.config

    def clean(self, doc: Document) -> None:
        page = prepare_page(doc, self.finder)
        lines, block = page.lines, page.block
        if not lines:
            return
        title = choose_title(page, self.settings.title_threshold)
        title_at = lines.index(title.line) if title else None
        if title is not None:
            self._take_headline(doc, lines, title, block)
        today = date.today()
        choice = choose_date(page, title_at, self.floor, today, self.settings.date_threshold)
        if choice is not None:
            self._take_date(doc, choice)
            self._take_updated(doc, lines, lines.index(choice.line))
        self._take_bylines(doc, lines, title_at, block)
        self._take_credits(doc, lines, block)
        dateline = self._take_dateline(doc, lines, title_at, block)
        if doc.published is None:
            self._date_without_year(doc, lines, dateline, title_at, today)

    # ----------------------------------------------------------------- headline
    def _take_headline(
        self, doc: Document, lines: list[Line], title: TitleChoice, block: int
    ) -> None:
        doc.headline = headline_text(title.line.text)
        doc.meta["headline_source"] = {
            "paragraph": title.line.index,
            "text": title.line.text,
            "confidence": round(title.probability, 3),
        }
        key = normalise(title.line.text)
        size = len(title.line.text)
        head_end = max(block, lines.index(title.line)) + 3
        for line in lines[:head_end]:
            # Copies of the headline in the head (a repeated title line) go with it.
            similar = abs(len(line.text) - size) <= 8
            if line.kept and similar and normalise(line.text) == key:
                self._remove(line, "headline", title.probability)

    # --------------------------------------------------------------------- date
    def _take_date(self, doc: Document, choice: DateChoice) -> None:
        line = choice.line
        doc.published = choice.value.isoformat()
        doc.meta["published_source"] = {
            "paragraph": line.index,
            "text": line.text,
            "pattern": choice.hit.pattern,
            "confidence": round(choice.probability, 3),
        }
        source = SOURCE_IN_LINE.search(line.text[: choice.hit.start])
        if source:
            doc.meta.setdefault("credit", source.group("name"))
        if line.is_byline:
            doc.meta.setdefault("byline", byline_name(line.text[: choice.hit.start]) or line.text)
            self._remove(line, "byline", choice.probability)
        elif line.is_dateline or (line.words <= 12 and not line.is_sentence):
            self._remove(line, "date", choice.probability)

    def _take_updated(self, doc: Document, lines: list[Line], at: int) -> None:
        """An `Updated ...` line next to the publication date is metadata too."""
        for line in lines[max(0, at - 2) : at + 3]:
            if line.kept and line.dates and line.words <= 12 and UPDATED_CUE.search(line.text):
                doc.meta["updated"] = line.dates[0].as_date().isoformat()  # type: ignore[union-attr]
                self._remove(line, "date", 0.8)
                return

    # ------------------------------------------------------------ byline/credit
    def _take_bylines(
        self, doc: Document, lines: list[Line], title_at: int | None, block: int
    ) -> None:
        start = title_at if title_at is not None else max(0, block - 8)
        for line in lines[start : max(block + 3, start + 12)]:
            if line.is_byline and readable_meta(line):
                doc.meta.setdefault("byline", byline_name(line.text))
                self._remove(line, "byline", 0.8)

    def _take_credits(self, doc: Document, lines: list[Line], block: int) -> None:
        credits = []
        for line in lines[block:]:
            if readable_meta(line) and line.words <= 12 and CREDIT.match(line.text):
                credits.append(line.text)
                self._remove(line, "credit", 0.8)
        if credits:
            doc.meta["credit"] = credits[0] if len(credits) == 1 else credits

    # ---------------------------------------------------------------- dateline
    def _take_dateline(
        self, doc: Document, lines: list[Line], title_at: int | None, block: int
    ) -> Dateline | None:
        start = title_at + 1 if title_at is not None else 0
        first_body = next((ln for ln in lines[start:] if ln.kept and ln.is_body), None)
        if first_body is None:
            return None
        dateline = find_dateline(first_body.text, self.finder)
        if dateline is None:
            return None
        doc.meta["dateline"] = dateline.as_meta()
        if self.settings.remove_lines:
            first_body.paragraph.edit(NAME, ["dateline"], first_body.text[dateline.end :])
        return dateline

    # ----------------------------------------------------- partial / relative
    def _date_without_year(
        self,
        doc: Document,
        lines: list[Line],
        dateline: Dateline | None,
        title_at: int | None,
        today: date,
    ) -> None:
        """A month/day from the dateline or a short line under the headline; its year only
        from evidence. Otherwise a relative date (`2 hours ago`)."""
        if dateline is not None and dateline.month_day is not None:
            month_day, source, pattern = dateline.month_day, None, "dateline"
        else:
            found = self._partial_under_title(lines, title_at)
            if found is None:
                self._relative_date(doc, lines, today)
                return
            month_day, source, pattern = found[0], found[1], "month_day"
        doc.meta["published_partial"] = f"{month_day[0]:02d}-{month_day[1]:02d}"
        year, evidence = self._year_for(doc, lines)
        value = with_year(month_day, year) if year is not None else None
        if value is not None and self.floor <= value <= today:
            doc.published = value.isoformat()
            doc.meta["published_source"] = {
                "paragraph": source.index if source else None,
                "text": source.text if source else None,
                "pattern": f"{pattern}+year",
                "year_from": evidence,
                "confidence": 0.6,
            }
            if source is not None and source.words <= 6:
                self._remove(source, "date", 0.6)

    def _partial_under_title(
        self, lines: list[Line], title_at: int | None
    ) -> tuple[tuple[int, int], Line] | None:
        """`Sept. 29` alone on a short line just under the headline."""
        if title_at is None:
            return None
        for line in lines[title_at + 1 : title_at + 5]:
            if line.words <= 6 and not line.dates and line.may_date:
                hit = next(self.finder.find_partial(line.text), None)
                if hit is not None:
                    return (hit.month, hit.day), line
        return None

    def _year_for(self, doc: Document, lines: list[Line]) -> tuple[int | None, str | None]:
        year = year_evidence(lines)
        if year is not None:
            return year, "page"
        source = doc.meta.get("source_date") or doc.meta.get("year")
        if isinstance(source, (int, str)) and str(source)[:4].isdigit():
            return int(str(source)[:4]), "source_metadata"
        if self.settings.default_year is not None:
            return self.settings.default_year, "default_year"
        return None, None

    def _relative_date(self, doc: Document, lines: list[Line], today: date) -> None:
        for line in lines[:60]:
            age = relative_age(line.text)
            if age is None:
                continue
            doc.meta["published_relative"] = line.text
            if self.reference is not None:
                value = self.reference - timedelta(days=age.days)
                if self.floor <= value <= today:
                    doc.published = value.isoformat()
                    doc.meta["published_source"] = {
                        "paragraph": line.index,
                        "text": line.text,
                        "pattern": "relative+reference_date",
                        "confidence": 0.5,
                    }
            return

    def _remove(self, line: Line, rule: str, score: float) -> None:
        if self.settings.remove_lines and line.kept:
            line.paragraph.remove(NAME, rule, round(score, 3))


def readable_meta(line: Line) -> bool:
    """Kept, or removed by chrome as metadata (`meta:*`): chrome takes bylines and credits
    out of the body and leaves them for this cleaner to read into fields."""
    removed = line.paragraph.removed
    return removed is None or (removed.cleaner == "chrome" and removed.rule.startswith("meta:"))


# The placeholder's class name, kept so that existing imports keep working.
Cleaner_headline_date = HeadlineDateCleaner


@hookimpl
def cleankit_register_cleaners(register):  # type: ignore[no-untyped-def]
    register(HeadlineDateCleaner)
