"""Line-level cues for `headline_date`: which paragraphs to read, and what a line looks like.

Everything here judges one line (or a line and its neighbours) with cheap string tests and
a few regular expressions; the choices built on top live in `_headline_title` and
`_headline_published`.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from operator import mul

from cleankit.plugins import load_data
from cleankit.plugins._dates import YEARISH, DateFinder, DateHit, date_finder

from cleankit.document import Document, Paragraph

# Chrome labels whose lines carry the article's own publication date only when they are
# date lines themselves (see `Line.may_date`).
NO_DATE_LABELS = frozenset({"related", "comments", "nav"})
# Cleaners whose removals mean "this line is not part of the page as written".
IGNORED_CLEANERS = frozenset({"dedup", "encoding"})

_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af]")
_SENTENCE_MARKS = frozenset(".!?…。！？।")  # । : the danda (Hindi, Bengali, Nepali)
CLOSERS = "\"'”’»)"  # closing quotes and brackets after a sentence mark

# Each cue regex starts with a lookahead over its words' first letters: the regex engine
# then skips quickly to plausible starts (2-6x faster on long lines, same matches).
PUBLISHED_CUE = re.compile(
    r"(?=[pevgudfscoali])\b(?:published|posted|erschienen|ver[öo]ffentlicht|publi[ée]e?"
    r"|publicad[oa]|pubblicat[oa]|gepubliceerd|publicerad|publisert|udgivet|datum|date|fecha"
    r"|data|stand|created|erstellt|on|am|le|el|il|op)\b",
    re.I,
)
STRONG_PUBLISHED_CUE = re.compile(
    r"(?=[pevgusdf])\b(?:published|posted|erschienen|ver[öo]ffentlicht|publi[ée]e?|publicad[oa]"
    r"|pubblicat[oa]|gepubliceerd|publicerad|publisert|udgivet|stand|datum|fecha|erstellt)\b",
    re.I,
)
UPDATED_CUE = re.compile(
    r"(?=[ulmagzboeär])\b(?:updated?|last (?:updated|modified|edited)|modified|edited|revised"
    r"|aktualisiert|ge[äa]ndert|änderung|editiert|bearbeitet|zuletzt|mis [àa] jour"
    r"|actualizad[oa]|actualización|aggiornat[oa]|atualizad[oa]|bijgewerkt|uppdaterad|oppdatert"
    r"|opdateret)\b",
    re.I,
)
NOT_PUBLISHED_CUE = re.compile(
    r"(?=[©(crakgbudfe])(?:©|\(c\)|copyright|\b(?:retrieved\b|abgerufen\b|comment|kommentar"
    r"|reply\b|antworten\b|geboren\b|born\b|bis\b|until\b|deadline\b|frist\b|event\b))",
    re.I,
)
_SOURCE_CUE = re.compile(
    r"(?=[sqfbvpd])\b(?:source|quelle|fuente|fonte|bron|by|von|par|por|door)\b", re.I
)
# Times, numbers and filler words of date lines (`um 10:30 Uhr`, `at 4:00 PM EDT`).
_META_NOISE = re.compile(
    r"\b\d{1,2}[:.h]\d\d(?:[:.]\d\d)?\s*(?:uhr|h|am|pm|a\.\s?m\.|p\.\s?m\.)?|\d+"
    r"|\b(?:um|at|am|on|le|el|il|op|à|a las|by|von|par|por|door|uhr|gmt|utc)\b"
    r"|\b(?-i:[A-Z]{2,4}T)\b",
    re.I,
)
_WORD = re.compile(r"[^\W\d_]{2,}")
# `Von München bis Aachen: Im Netz ...`, `Von Sprachregeln ... «ganz normalem Deutsch»`:
# headlines that start like a byline (quotes, or a colon followed by a title, no digits).
_NOT_BYLINE = re.compile(r"[«»„“”\"]|^\S+\s+\D*\w\s*:\s+[A-ZÀ-Þ][^\d:|]*$")
_ENDERS = _SENTENCE_MARKS | frozenset(CLOSERS)
_BYLINE_FIRST = frozenset("bBvVpPdDaAfFtTwW")
# `By AFP`, `Von Anna Beispiel`, `by: Cora Neas`; the name must start with a capital (or
# `@`), so that `Von der Leyen sagte ...` is not a byline.
BYLINE = re.compile(
    r"^(?i:by|von|par|por|di|door|av|af|autor(?:in)?|auteur|author|written by|text|texte)"
    r"\s*:?\s+(?=[A-ZÀ-Þ\u0400-\u042f@])"
)
CREDIT = re.compile(
    r"^(?:[-–—]\s*)?(?:\(?\s*(?:with files from|with reporting (?:by|from)|additional reporting by"
    r"|reporting by|mit material von|avec l'afp|avec agences|con información de))\b"
    r"|^\S+(?:\s+\S+){0,3} and agencies\.?$"
    r"|^(?:[-–—]\s*)?(?:quelle|source|fuente|fonte|bron)\s*:\s*\S+(?:\s+\S+){0,3}$",
    re.I,
)


def normalise(text: str) -> str:
    """Case-folded, whitespace-collapsed, NFKC text for comparing lines."""
    text = unicodedata.normalize("NFKC", text).casefold()
    return " ".join(text.split()).strip(" \t\"'.,:;!?-|–—")


def word_count(text: str) -> int:
    """Words, counting CJK characters in pairs (no spaces between words there)."""
    words = len(text.split())
    if not text.isascii():
        words += len(_CJK.findall(text)) // 2
    return words


@dataclass(slots=True, eq=False)
class Line:
    """A paragraph as `headline_date` sees it, with cues computed once.

    `index` is the paragraph's index in the document, `pos` its position among the
    readable paragraphs (the page as written)."""

    index: int
    pos: int
    paragraph: Paragraph
    text: str
    label: str | None
    words: int
    is_body: bool
    dates: list[DateHit] = field(default_factory=list)
    is_sentence: bool = False
    is_byline: bool = False
    _date_line: bool | None = None

    def __post_init__(self) -> None:
        text = self.text
        # Ends with a sentence mark, perhaps inside closing quotes or brackets.
        self.is_sentence = text.rstrip(CLOSERS)[-1:] in _SENTENCE_MARKS and not text.endswith("...")
        self.is_byline = (
            self.words <= 12
            and text[0] in _BYLINE_FIRST
            and BYLINE.match(text) is not None
            and not _NOT_BYLINE.search(text)
        )

    @property
    def key(self) -> str:
        """The text as compared with other lines (stripped, case kept)."""
        return self.text

    @property
    def kept(self) -> bool:
        return self.paragraph.kept

    @property
    def may_date(self) -> bool:
        """May this line carry the publication date, as far as chrome's label says? A
        `nav` line may when it is itself a date line (`Published: 3 May 2024`, `By AFP |
        18.09.2015`): chrome often calls such short lines `nav`. A `related`/`comments`
        date line may only by its position (`_headline_published`): in a list it is a
        teaser's date."""
        if self.label not in NO_DATE_LABELS:
            return True
        return self.label == "nav" and self.is_date_line

    @property
    def is_date_line(self) -> bool:
        """A short line that is essentially a date: besides the date(s), times, cue words
        and separators, at most a name-sized remainder (or a longer one after a cue)."""
        if self._date_line is None:
            self._date_line = self._looks_like_date_line()
        return self._date_line

    def _looks_like_date_line(self) -> bool:
        if not self.dates or self.words > 24:
            return False
        rest = self.text
        for hit in reversed(self.dates):
            rest = rest[: hit.start] + " " + rest[hit.end :]
        cue = bool(STRONG_PUBLISHED_CUE.search(rest) or UPDATED_CUE.search(rest))
        cue = cue or self.is_byline or bool(_SOURCE_CUE.search(rest))
        rest = _META_NOISE.sub(" ", rest)
        remainder = len(_WORD.findall(rest))
        return remainder <= 3 or (cue and remainder <= 8)

    @property
    def is_dateline(self) -> bool:
        """Mostly a date: the date covers most of the characters of a short line."""
        if not self.dates or self.words > 14:
            return False
        covered = sum(h.end - h.start for h in self.dates)
        return covered >= 0.3 * len(self.text) or self.words <= 6


def is_prose(text: str) -> bool:
    """A dense prose paragraph: long (about 18 words or more) and written in sentences.
    Only string operations that run in C: this is evaluated on every line of the page."""
    size = len(text)
    if size >= 110:
        return text[-1] in _ENDERS or ". " in text or "。" in text
    return size >= 45 and "。" in text


@dataclass(slots=True)
class Page:
    """What `headline_date` reads of a document as `Line` objects: the top lines, the lines
    around the start of the main prose block, the tail and chrome's `meta` lines; plus
    the text of every readable line (to see repeated titles). `block` is the
    position in `lines` of the first line at or after the block's start."""

    lines: list[Line]
    block: int
    total: int
    texts: list[str]
    early: int = -1

    def joined(self) -> str:
        return "\n".join(self.texts)


# Lines read around the start of the main prose block, at the top and at the bottom.
HEAD_BEFORE_BLOCK = 33
HEAD_AFTER_BLOCK = 12
TOP_LINES = 0
# Elsewhere, only short lines with something like a year become `Line`s (date lines).
SHORT_DATE_LINE = 150
MAX_GAP = 10
TAIL_LINES = 8
# An earlier prose run is a second anchor for the headline when it holds at least this
# share of the densest run's characters (and that run is long enough to compare with).
EARLY_RUN_SHARE = 0.1
EARLY_RUN_MIN = 600
EARLY_BEFORE = 15
EARLY_AFTER = 4
_SITE_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s+::\s+|\s*\|\s*")


def prose_runs(prose: list[bool], sizes: list[int]) -> list[tuple[int, int]]:
    """(start, characters) of each run of prose paragraphs (gaps of up to `MAX_GAP`
    other lines allowed inside a run)."""
    runs: list[tuple[int, int]] = []
    run_start, run_size, gap = -1, 0, 0
    for k, is_body in enumerate(prose):
        if is_body:
            if run_start < 0:
                run_start, run_size = k, 0
            run_size += sizes[k]
            gap = 0
        elif run_start >= 0:
            gap += 1
            if gap > MAX_GAP:
                runs.append((run_start, run_size))
                run_start, gap = -1, 0
    if run_start >= 0:
        runs.append((run_start, run_size))
    return runs


def block_starts(prose: list[bool], sizes: list[int]) -> tuple[int, int]:
    """The densest prose run's start, and the start of the first run before it that is
    large enough to be the article itself (the densest run may be comments, a second
    article or a long footer); the second equals the first when there is none."""
    runs = prose_runs(prose, sizes)
    if not runs:
        return len(prose), len(prose)
    main, size = max(runs, key=lambda run: run[1])
    early = next((start for start, chars in runs if chars >= EARLY_RUN_SHARE * size), main)
    return main, min(early, main) if size >= EARLY_RUN_MIN else main


def prepare_page(doc: Document, finder: DateFinder | None = None) -> Page:
    """Read the paragraphs that are kept or were removed by chrome; build `Line`s for the
    head, tail and meta lines, and find their dates. The middle of the body is only
    counted (word counts, prose or not): that keeps the cleaner fast on long pages."""
    paragraphs = doc.paragraphs
    readable = [
        (index, paragraph, paragraph.text.strip())
        for index, paragraph in enumerate(paragraphs)
        if paragraph.removed is None or paragraph.removed.cleaner not in IGNORED_CLEANERS
    ]
    readable = [row for row in readable if row[2]]
    texts = [text for _, _, text in readable]
    sizes = [len(text) for text in texts]
    prose = [size >= 45 and is_prose(text) for text, size in zip(texts, sizes, strict=True)]
    block_pos, early_pos = block_starts(prose, sizes)
    head_end = block_pos + HEAD_AFTER_BLOCK
    tail_start = max(head_end, len(readable) - TAIL_LINES)
    chosen = set(range(TOP_LINES))
    chosen.update(range(max(0, block_pos - HEAD_BEFORE_BLOCK), head_end))
    chosen.update(range(tail_start, len(readable)))
    if early_pos < block_pos:
        chosen.update(range(max(0, early_pos - EARLY_BEFORE), early_pos + EARLY_AFTER))
    dated = _short_dated_lines(texts, sizes)
    chosen.update(dated)
    # A title often sits just above its date line, even far from the main prose block.
    chosen.update(
        pos - back
        for pos in dated
        if pos <= len(texts) * 0.7
        for back in (1, 2, 3, 4)
        if pos >= back
    )
    chosen.update(
        pos
        for pos, (_, paragraph, _) in enumerate(readable)
        if paragraph.notes and paragraph.notes.get("chrome") == "meta"
    )
    lines: list[Line] = []
    block = early = -1
    for pos in sorted(p for p in chosen if 0 <= p < len(readable)):
        index, paragraph, text = readable[pos]
        if block < 0 and pos >= block_pos:
            block = len(lines)
        if early < 0 and pos >= early_pos and early_pos < block_pos:
            early = len(lines)
        label = paragraph.notes.get("chrome")
        label = label if isinstance(label, str) else None
        lines.append(Line(index, pos, paragraph, text, label, word_count(text), prose[pos]))
    if block < 0:
        block = len(lines)
    read_dates(lines, set(dated), finder)
    return Page(lines, block, len(readable), texts, early)


def _short_dated_lines(texts: list[str], sizes: list[int]) -> list[int]:
    """Positions of short lines with something like a year: one regex scan over the
    short lines joined (a search call per line costs more); a match's line is found by
    counting the newlines since the previous match."""
    positions = [pos for pos, size in enumerate(sizes) if size <= SHORT_DATE_LINE]
    joined = "\n".join([texts[pos] for pos in positions])
    found: list[int] = []
    k, offset, last = 0, 0, -1
    for m in YEARISH.finditer(joined):
        start = m.start()
        k += joined.count("\n", offset, start)
        offset = start
        if k != last:
            found.append(positions[k])
            last = k
    return found


def read_dates(
    lines: list[Line], dated: set[int], finder: DateFinder | None = None, max_chars: int = 250
) -> None:
    """Find the dates on every `Line` short enough to be a date or meta line (`dated`:
    the positions of short lines already known to hold something like a year)."""
    finder = finder or date_finder()
    for line in lines:
        size = len(line.text)
        if line.pos in dated or (
            SHORT_DATE_LINE < size <= max_chars and YEARISH.search(line.text) is not None
        ):
            line.dates = finder.find(line.text)
    _settle_slash_order(lines)


def _settle_slash_order(lines: list[Line]) -> None:
    """Read ambiguous `a/b/yyyy` dates month-first when the page writes `May 7, 2024`."""
    patterns = Counter(hit.pattern for line in lines for hit in line.dates)
    if (
        not patterns["num_slash_ambiguous"]
        or patterns["month_day_year"] <= patterns["day_month_year"]
    ):
        return
    for line in lines:
        line.dates = [
            replace(hit, month=hit.day, day=hit.month)
            if hit.pattern == "num_slash_ambiguous"
            else hit
            for hit in line.dates
        ]


def load_weights(model: str) -> dict[str, float]:
    """Feature weights of one linear model (`title` or `date`) from the shipped data file."""
    weights: dict[str, float] = load_data("headline_date_weights.json")[model]
    return weights


def linear_score(weights: dict[str, float], features: dict[str, float]) -> float:
    """Weighted sum of features (absent weights count as 0)."""
    vector = _weight_vectors.get((id(weights), tuple(features)))
    if vector is None:
        vector = [weights.get(name, 0.0) for name in features]
        _weight_vectors[(id(weights), tuple(features))] = vector
    return sum(map(mul, vector, features.values()))


_weight_vectors: dict[tuple[int, tuple[str, ...]], list[float]] = {}
