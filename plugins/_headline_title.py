"""Choosing the headline line: generic layout features and a linear score.

A scraped page puts its title after the navigation and before the byline, the date and
the first dense prose paragraph; it is often repeated (a breadcrumb, a `Title | Site` line,
a share text). Each title-shaped line in the head of the page gets a few such features;
the weights in `WEIGHTS` were fitted by logistic regression on one half of a development
set (ids with an even hash) and checked on the other half; none of the features names a
site or a language-specific word list beyond bylines and date cues.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass

from cleankit.plugins._headline_lines import (
    CLOSERS,
    CREDIT,
    Line,
    Page,
    is_prose,
    linear_score,
    load_weights,
)

_MENU_PUNCT = re.compile(r"[|•»›>/]")
_UPPER_START = re.compile(r"^[\W\d_]*[A-ZÀ-ÞĀ-Ž\u0400-\u042f]")
_URLISH = re.compile(r"(?=[hw@.])(?:https?://|www\.|@\w|\.(?:com|de|org|net)\b)", re.I)
_GLUED = re.compile(r"[a-zà-ÿ][A-ZÀ-Þ]")
# Previous/next links and dangling separators: `← Older post`, `Next →`, `Kicker –`.
_NAV_START = "←«<‹"
_NAV_END = "→»>›|–—-"
# A title quoted in guillemets (`«Gute Löhne alleine reichen nicht»`) is not a nav arrow.
_GUILLEMETS = re.compile(r"«[^«»]{3,}»|»[^«»]{3,}«")
# Photo captions and credits sit next to the prose block and are title-shaped: `© Name`,
# `... Foto: Name`, `... (Photos: Getty/AP)`, `... (Courtesy of X)`, `... in Qatar.AFP`.
# No title of the development set ends like this. Cheap string tests first: this runs on
# every candidate.
_CREDIT_CUE = re.compile(
    r"\b(?:credits?|fotos?|photos?|bild(?:er)?|image|imagen|imagem|picture|grafik"
    r"|illustration|quelle)\s*$",
    re.I,
)
_CREDIT_IN_PARENS = re.compile(r"photo|foto|getty|credit|courtesy|\w/\w", re.I)
_GLUED_AGENCY = re.compile(r"[a-z]\.\s?[A-Z]{2,}$")


def is_caption(text: str) -> bool:
    """Does the line read like a photo caption or credit?"""
    if "©" in text or "(c) " in text:
        return True
    if text.endswith(")"):
        inner = text[text.rfind("(") + 1 : -1]
        if "(" not in inner and _CREDIT_IN_PARENS.search(inner):
            return True
    colon = text.rfind(":")
    if colon > 0 and 1 <= len(text[colon + 1 :].split()) <= 4:
        if _CREDIT_CUE.search(text, max(0, colon - 14), colon):
            return True
    return _GLUED_AGENCY.search(text, max(0, len(text) - 12)) is not None


NEAR_BODY = 8
AFTER_BLOCK = 6
BEFORE_BLOCK = 30
SHORTLIST = 10
EARLY_BEFORE = 12

WEIGHTS: dict[str, float] = load_weights("title")
THRESHOLD = 0.1


@dataclass(slots=True)
class TitleChoice:
    line: Line
    probability: float
    features: dict[str, float]


def title_shaped(line: Line) -> bool:
    """Could this line be a headline at all (length, not a date, byline or credit)?"""
    text = line.text
    if not 3 <= line.words <= 35 or len(text) > 300 or len(text) < 8:
        return False
    if line.is_byline or line.is_dateline or CREDIT.match(text):
        return False
    if text[-1] in ":：" or _URLISH.search(text):
        return False
    nav_end = text.lstrip()[0] in _NAV_START or text.rstrip()[-1] in _NAV_END
    if nav_end and not _GUILLEMETS.search(text):
        return False
    if text.count(",") >= 3 and text.count(",") * 3 >= line.words:
        return False  # a tag or keyword list
    if line.label == "comments":
        return False
    if text.rstrip(CLOSERS).endswith(".") and not text.endswith("..") and line.words >= 6:
        return False  # a sentence: the first body sentence is never the headline
    return not (line.is_sentence and line.words > 25)


_TOKEN = re.compile(r"\w{4,}")


def _overlap(words: set[str], lead: str) -> float:
    """Share of the line's longer words that reappear in `lead`."""
    if not words or not lead:
        return 0.0
    return len([w for w in words if w in lead]) / len(words)


def _longest_nearby(ctx: _Context, j: int) -> float:
    """Is this the longest non-prose line among its five neighbours on each side?"""
    return float(max(ctx.nonbody_words[max(0, j - 5) : j + 6]) <= ctx.page.lines[j].words)


class _Context:
    """Per-page values shared by all candidates (computed once, some lazily)."""

    def __init__(self, page: Page) -> None:
        self.page = page
        lines = page.lines
        first = max(0, page.block - BEFORE_BLOCK)
        limit = min(len(lines), page.block + AFTER_BLOCK)
        # Per-line flags as plain lists: `True in flags[a:b]` runs in C.
        self.short_dated = [bool(line.dates) and line.words <= 20 for line in lines]
        self.byline = [line.is_byline for line in lines]
        self.body = [line.is_body for line in lines]
        self.short = [line.words <= 3 for line in lines]
        self.nonbody_words = [0 if line.is_body else line.words for line in lines]
        self.shaped = {j: title_shaped(lines[j]) for j in range(max(0, first - 1), limit)}
        self.candidates = [j for j in range(first, limit) if self.shaped[j]]
        above = _above_dates(lines, self.short_dated)
        self.candidates += _shaped(lines, [j for j in above if j < first], self.shaped)
        # Past the window: the article may start inside the densest run (after a teaser).
        self.limit = limit
        self.candidates += _shaped(lines, [j for j in above if j >= limit], self.shaped)
        if page.early >= 0:
            early = range(max(0, page.early - EARLY_BEFORE), min(first, page.early + 3))
            self.shaped.update((j, title_shaped(lines[j])) for j in early if j not in self.shaped)
            known = set(self.candidates)
            self.candidates += [j for j in early if self.shaped[j] and j not in known]
        window = [j for j in self.candidates if 0 < page.block - j <= 12 and lines[j].words >= 3]
        self.first_in_window = window[0] if window else -1
        self.last_in_window = window[-1] if window else -1
        self._joined: str | None = None
        self._leads: dict[tuple[int, int], str] = {}
        self._text_counts: Counter[str] | None = None

    def anchor(self, j: int) -> int:
        """The prose block line `j` is read against: the early run for lines at its
        start or above it, else the densest run."""
        early = self.page.early
        return early if 0 <= early and j < early + 3 else self.page.block

    def repeated(self, text: str) -> bool:
        """Does this exact line occur more than once on the page?"""
        if self._text_counts is None:
            self._text_counts = Counter(self.page.texts)
        return self._text_counts[text] > 1

    @property
    def joined(self) -> str:
        if self._joined is None:
            self._joined = self.page.joined()
        return self._joined

    def lead(self, start: int | None, span: int) -> str:
        """Case-folded text of the prose lines among `span` lines from `start`."""
        if start is None or start >= len(self.page.lines):
            return ""
        cached = self._leads.get((start, span))
        if cached is None:
            chosen = self.page.lines[start : start + span]
            cached = " ".join(line.text for line in chosen if line.is_body).casefold()
            self._leads[(start, span)] = cached
        return cached


def _cheap_features(ctx: _Context, j: int) -> dict[str, float]:
    page, lines = ctx.page, ctx.page.lines
    line = lines[j]
    key = line.key
    anchor = ctx.anchor(j)
    to_block = anchor - j
    ahead = ctx.body[j + 1 : j + 9]
    body_gap = ahead.index(True) + 1 if True in ahead else 99
    dated, short = ctx.short_dated, ctx.short
    prev = lines[j - 1] if j > 0 else None
    nxt = lines[j + 1] if j + 1 < len(lines) else None
    prev_shaped = prev is not None and ctx.shaped.get(j - 1, False)
    next_shaped = nxt is not None and ctx.shaped.get(j + 1, False)
    return {
        "bias": 1.0,
        "subtitle_position": float(
            prev is not None and prev_shaped and 4 <= prev.words < line.words
        ),
        "has_subtitle": float(
            nxt is not None and not nxt.is_body and not nxt.dates and nxt.words > line.words
        ),
        "kicker": float(line.words <= 4 and next_shaped and nxt is not None and nxt.words > 4),
        "prev_is_date": float(prev is not None and prev.is_dateline),
        "next_is_date_or_byline": float(nxt is not None and (nxt.is_dateline or nxt.is_byline)),
        "glued_words": float(len(_GLUED.findall(line.text)) >= 2),
        "menu_run_before": float(j >= 3 and False not in short[j - 3 : j]),
        "next_body_1": float(body_gap == 1),
        "next_body_2_4": float(2 <= body_gap <= 4),
        "next_body_5_8": float(5 <= body_gap <= 8),
        "block_within_40": float(0 < to_block <= 40),
        "prev_is_body": float(j > 0 and lines[j - 1].is_body),
        "longest_nearby": _longest_nearby(ctx, j),
        "prev_shaped_long": float(
            j > 0 and lines[j - 1].words >= 4 and ctx.shaped.get(j - 1, False)
        ),
        "next_longer": float(j + 1 < len(lines) and lines[j + 1].words > line.words),
        "prev_is_short": float(j > 0 and lines[j - 1].words <= 3),
        "next_is_short": float(j + 1 < len(lines) and lines[j + 1].words <= 3),
        "block_1_2": float(1 <= to_block <= 2),
        "block_3_5": float(3 <= to_block <= 5),
        "block_6_12": float(6 <= to_block <= 12),
        "block_after_far": float(to_block > 12),
        "block_before": float(to_block <= 0),
        "after_window": float(j >= ctx.limit),
        "first_in_window": float(j == ctx.first_in_window),
        "last_in_window": float(j == ctx.last_in_window),
        "title_case": _title_case(line.text),
        "has_colon": float(": " in line.text),
        "caption": float(line.label == "caption" or is_caption(line.text)),
        "ends_parenthetical": float(line.text.endswith(")")),
        "date_between": float(0 < to_block <= 12 and True in dated[j + 1 : anchor]),
        "early_anchor": float(anchor != page.block),
        "date_after": float(True in dated[j + 1 : j + 5]),
        "date_after_far": float(True in dated[j + 5 : j + 9]),
        "date_before": float(True in dated[max(0, j - 3) : j]),
        "byline_after": float(True in ctx.byline[j + 1 : j + 6]),
        "repeated": float(ctx.repeated(key)),
        "short_lines_before": short[max(0, j - 5) : j].count(True) / 5,
        "words_2": float(line.words <= 2),
        "words_3_4": float(3 <= line.words <= 4),
        "words_5_8": float(5 <= line.words <= 8),
        "words_9_20": float(9 <= line.words <= 20),
        "upper_start": float(bool(_UPPER_START.match(line.text))),
        "ends_sentence": float(line.is_sentence),
        "menu_punct": float(bool(_MENU_PUNCT.search(line.text))),
        "relative_position": line.pos / max(1, page.total),
        "chrome_nav_or_related": float(line.label in ("nav", "related", "boilerplate")),
        "chrome_meta": float(line.label == "meta"),
    }


def _costly_features(ctx: _Context, j: int) -> dict[str, float]:
    """Features that scan text: computed only for the best few candidates."""
    lines = ctx.page.lines
    line = lines[j]
    key = line.key
    words = {w.casefold() for w in _TOKEN.findall(line.text)}
    next_body = next((k for k in range(j + 1, min(len(lines), j + 9)) if lines[k].is_body), None)
    inside, continued, tail, site, prose = _occurrences(ctx.joined, key)
    return {
        "repeated_with_suffix": float(site),
        "breadcrumb_tail": float(tail),
        "truncated_copy": float(continued),
        "truncated_prose": float(prose),
        "lead_overlap": _overlap(words, ctx.lead(next_body, 3)),
        "block_overlap": _overlap(words, ctx.lead(ctx.anchor(j), 12)),
        "contained_elsewhere": float(len(key) >= 15 and inside),
    }


_SITE_SEPARATORS = (" | ", " - ", " – ", " — ", " :: ")


def _occurrences(page: str, key: str) -> tuple[bool, bool, bool, bool, bool]:
    """Where else the line's text occurs, in one scan of the page (lines joined by `\\n`):
    inside a longer line at all; at the start of a longer line that goes on with text (a
    truncated copy of a body paragraph, not `Title | Site`); at the end of a longer line
    after a separator (a breadcrumb `Home » News » Title`); as the title part of a
    `<title>`-like line (`Title | Site`, `Title - Site`); whether a longer line it starts
    is a prose paragraph (the line is a teaser cut from the body, not a headline)."""
    inside = continued = tail = site = prose = False
    size = len(key)
    start = page.find(key)
    while start >= 0:
        end = start + size
        at_start = start == 0 or page[start - 1] == "\n"
        at_end = end == len(page) or page[end] == "\n"
        if not (at_start and at_end):
            inside = True
            after = page[end : end + 4].lstrip(" \t")
            if at_start and after and after[0] not in "|–—:-\n":
                continued = True
                line_end = page.find("\n", end)
                prose = prose or is_prose(page[start : line_end if line_end >= 0 else None])
            elif at_start and page.startswith(_SITE_SEPARATORS, end):
                site = True
            before = page[max(0, start - 3) : start].rstrip(" \t")
            if at_end and before and before[-1] in "»>/|:›–-":
                tail = True
        start = page.find(key, end)
    return inside, continued, tail, site, prose


def _above_dates(lines: list[Line], short_dated: list[bool]) -> list[int]:
    """Positions (in `lines`, ascending) of the lines up to four lines above a short date
    line. Only the dated lines are visited: they are few."""
    found: set[int] = set()
    for k, dated in enumerate(short_dated):
        if dated:
            pos = lines[k].pos
            found.update(j for j in range(max(0, k - 4), k) if pos - lines[j].pos <= 4)
    return sorted(found)


def _shaped(lines: list[Line], positions: list[int], shaped: dict[int, bool]) -> list[int]:
    """The title-shaped lines among `positions` (their shape is cached in `shaped`)."""
    return [j for j in positions if shaped.setdefault(j, title_shaped(lines[j]))]


def _title_case(text: str) -> float:
    """Share of words that start with a capital (`Title Case` is 1.0)."""
    firsts = [word[0] for word in text.split()]
    return sum(map(str.isupper, firsts)) / len(firsts)


def _linear(features: dict[str, float]) -> float:
    return linear_score(WEIGHTS, features)


def candidate_features(
    page: Page, shortlist: int | None = None
) -> list[tuple[int, dict[str, float]]]:
    """(position in `page.lines`, features) for title-shaped lines in the head; with a
    `shortlist`, only that many best by the cheap features get the costly ones."""
    ctx = _Context(page)
    rows = [(j, _cheap_features(ctx, j)) for j in ctx.candidates]
    if shortlist is not None:
        rows.sort(key=lambda row: -_linear(row[1]))
        rows = rows[:shortlist]
    for j, features in rows:
        features.update(_costly_features(ctx, j))
    return rows


# Breadcrumb separators, spaced: `Home » News » Title`, `home / a / b / Title`. A single
# spaced slash is part of many titles (`spüren / empfinden?`), and ` | ` mostly separates a
# title from the site name, so it is not one of them.
_CRUMB = re.compile(r"\s(?:/|»|>|›)\s")


def headline_text(text: str) -> str:
    """The headline as written on its line: for a breadcrumb trail picked as the headline
    (two or more spaced separators), its last step; otherwise the line, spaces collapsed."""
    text = " ".join(text.split())
    steps = _CRUMB.split(text)
    if len(steps) >= 3:
        tail = steps[-1].strip()
        if len(tail.split()) >= 2 and len(tail) >= 8:
            return tail
    return text


def choose_title(page: Page, threshold: float = THRESHOLD) -> TitleChoice | None:
    """The most headline-like line, or None when no line is convincing enough."""
    best: TitleChoice | None = None
    for j, features in candidate_features(page, SHORTLIST):
        probability = 1.0 / (1.0 + math.exp(-_linear(features)))
        if (
            best is None
            or probability > best.probability
            or (probability == best.probability and j < page.lines.index(best.line))
        ):
            best = TitleChoice(page.lines[j], probability, features)
    if best is None or best.probability < threshold:
        return None
    return best
