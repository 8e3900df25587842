"""What each paragraph looks like, for the `chrome` cleaner.

Everything here is about single paragraphs in isolation: size, how sentence-like each is
(stopword density, sentence punctuation), whether it has a menu or symbol shape, and
whether a trigger phrase (cookie notice, share bar, related-list header, byline...)
decides it. Context (neighbours, regions, the densest body block) is `_chrome_regions`'
job.

`measure_page` measures all lines of a page at once, feature by feature: each feature is
one C-level pass (`map`, a comprehension) over the lines, the costly ones only over the
lines that can have them, and checks no line of the page can pass are skipped for the
page. Per line that is a fraction of a Python function doing all checks in turn.
"""

from __future__ import annotations

import re
from itertools import repeat
from typing import NamedTuple

from cleankit.plugins._chrome_triggers import (
    WORD,
    Trigger,
    TriggerSet,
    Words,
    find_trigger,
    load_triggers,
    page_triggers,
)

__all__ = [
    "WORD",
    "Features",
    "find_trigger",
    "load_triggers",
    "measure",
    "measure_page",
    "measure_page_reference",
]

# On an ASCII line `\w` is exactly this class, and the regex engine runs it ~2x faster.
_ASCII_WORD = re.compile(r"[a-z0-9_]+")
SENTENCE_MARKS = ".!?。！？"
SENTENCE_MARK_CLOSERS = "'\"”’»)]"  # may stand between a sentence mark and the space
_SENTENCE_MARK = re.compile(
    f"[{re.escape(SENTENCE_MARKS)}](?:[{re.escape(SENTENCE_MARK_CLOSERS)}]*)(?:\\s|$)"
)
# Closing quotes and brackets that may follow a sentence's final punctuation.
CLOSERS = "'\"“”‘’«»‹›)]"
SENTENCE_ENDERS = frozenset(".!?…:;。！？")
_ELLIPSES = ("...", "…")
OPENING_QUOTES = frozenset("'\"“”„«»‚‘")
CLOSING_QUOTES = frozenset("'\"“”«»‘’")
GLUE_LOWER_CHARS = "abcdefghijklmnopqrstuvwxyzäöüéèáíóúñ"
GLUE_UPPER_CHARS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÜ"
_GLUED_WORDS = re.compile(f"[{GLUE_LOWER_CHARS}][{GLUE_UPPER_CHARS}][{GLUE_LOWER_CHARS}]")
# `WASHINGTON, Sept. 29 (Xinhua) --`: the start of an agency story.
_DATELINE = re.compile(
    r"^[A-ZÄÖÜ][A-ZÄÖÜ .'-]{2,40}(?:, [\w. ]{3,25})?,? [A-Z][a-z]{2,8}\.? \d{1,2},?(?: \d{4})? ?"
    r"\([\w /-]{2,30}\) ?(?:--|—|–|-)"
)
# `Jane says:`, `Karl sagt:`, `Jamie on November 15, 2018 at 10:12 am said:`: a comment.
_SIGNATURE = re.compile(
    r"^.{2,80}?\b(?:says|said|wrote|replied|schreibt|schrieb|sagt|sagte|meint|antwortete|dice|"
    r"dit|a écrit|escribió|disse|scrive)\s*:\s*$",
    re.IGNORECASE,
)
_DATE_ONLY = re.compile(
    r"^[\s(\[]*(?:(?:am|on|le|el|il|den|updated|published|veröffentlicht|aktualisiert|stand)\b\s*:?)?\s*"
    r"(?:\w+,?\s+)?(?:\d{1,4}[./-]\s?\d{1,2}[./-]\s?\d{2,4}|\d{1,2}\.?\s+\w+\.?,?\s+\d{4}|"
    r"\w+\.?\s+\d{1,2}(?:st|nd|rd|th)?,?\s+\d{4}|\d{4}-\d{2}-\d{2}(?:T[\d:.+Z-]+)?)"
    r"(?:[,\s|/–-]*(?:um\s+|at\s+|à\s+|a las\s+)?\d{1,2}[:.h]\d{2}(?:[:.]\d{2})?\s*"
    r"(?:uhr|h|am|pm|a\.m\.|p\.m\.|[A-Z]{2,4}|mez|mesz|utc|gmt|ist|et|est|edt)?\.?)?"
    r"(?:\s*(?:uhr|updated|aktualisiert).*)?[\s)\]]*$",
    re.IGNORECASE,
)
MENU_CHARS = ("|", "•", "·", "»", "›")
_LINK_MARKS = ("http", "www.", ">>", "→")
DATELINE_MIN_CHARS = 60
DATE_MAX_CHARS = 60
LINK_MAX_CHARS = 120
GLUED_MAX_WORDS = 12
GLUED_MIN_CHARS = 12
MARKS_MIN_CHARS = 40
LABEL_CHARS = 40
SIGNATURE_MAX_CHARS = 120

# Trigger categories whose matches are headers of a region (a related or comment list).
REGION_HEADER_CATEGORIES = ("related", "comments")


class Features(NamedTuple):
    """The per-paragraph measurements the classifier and the audit use. A tuple of
    plain values (the trigger aside), so the garbage collector stops tracking it: the
    line cache holds a hundred thousand of them."""

    chars: int
    words: int
    stopwords: int
    stop_density: float
    sentence_end: bool
    truncated: bool  # ends in an ellipsis: a cut-off teaser headline when short
    full_stop: bool  # ends in a period (not an ellipsis): a sentence, rarely a headline
    quoted: bool  # one quotation from first to last character: a pull quote or subheading
    sentence_marks: int
    menu_separators: int
    glued_words: int
    has_letters: bool
    date_only: bool
    labelled: bool  # `Label: text` (a colon in the first 40 characters)
    dateline: bool  # starts like an agency story (`PARIS, May 3 (AFP) --`)
    signature: bool  # a comment's author line (`Jane says:`)
    link_shaped: bool  # a bare URL, or a short line ending in a link arrow (`Explore >>`)
    trigger: Trigger | None
    trigger_specific: bool


def measure(text: str, stopwords: frozenset[str], triggers: TriggerSet) -> Features:
    """Features of one paragraph's (stripped) text (by the reference definitions)."""
    return measure_page_reference([text], stopwords, triggers)[0]


def measure_page(
    texts: list[str], stopwords: frozenset[str], triggers: TriggerSet
) -> list[Features]:
    """Features of every (stripped) line of a page, in order: the page-level pass of
    `_chrome_fast_page`, or the reference for a page it does not handle."""
    # Imported here: the page-level pass reads this module's definitions.
    from cleankit.plugins._chrome_fast_page import measure_page as fast_measure_page

    found = fast_measure_page(texts, stopwords, triggers)
    if found is None:
        return measure_page_reference(texts, stopwords, triggers)
    return found


def measure_page_reference(
    texts: list[str], stopwords: frozenset[str], triggers: TriggerSet
) -> list[Features]:
    """Features of every (stripped) line of a page, in order: the definitions, one
    C-level pass per feature over the lines."""
    page = "\n".join(texts)
    lowers = list(map(str.lower, texts))
    lower_page = "\n".join(lowers)
    words = _words(lowers)
    chars = list(map(len, texts))
    n_words = list(map(len, words))
    # The stopwords of each line, counted without a Python-level loop.
    n_stop = list(map(sum, map(map, repeat(stopwords.__contains__), words)))
    sentence_end, truncated, full_stop = _endings(texts)
    found = page_triggers(lowers, words, triggers, lower_page)
    columns = zip(
        chars,
        n_words,
        n_stop,
        [s / n if n else 0.0 for s, n in zip(n_stop, n_words, strict=True)],
        sentence_end,
        truncated,
        full_stop,
        [t[:1] in OPENING_QUOTES and t[-1:] in CLOSING_QUOTES for t in texts],
        _sentence_marks(texts, sentence_end),
        _menu_separators(texts, page),
        _glued_words(texts, n_words),
        [n > 0 and not "".join(w).isdigit() for n, w in zip(n_words, words, strict=True)],
        _date_only(texts, words),
        [t.find(":", 0, LABEL_CHARS) >= 0 for t in texts],
        _datelines(texts, page),
        _signatures(texts, page),
        _link_shaped(lowers, chars, lower_page),
        [trig for trig, _ in found],
        [specific for _, specific in found],
        strict=True,
    )
    # `Features._make` without its Python-level call per line.
    return list(map(tuple.__new__, repeat(Features), columns))


def _words(lowers: list[str]) -> list[Words]:
    """Each line's `\\w+` words, as tuples: the garbage collector stops tracking a tuple of
    strings at its first pass, so a page's worth of them does not age into the old
    generation (whose collections walk every live object)."""
    ascii_words, words = _ASCII_WORD.findall, WORD.findall
    return [tuple(ascii_words(low) if low.isascii() else words(low)) for low in lowers]


def _endings(texts: list[str]) -> tuple[list[bool], list[bool], list[bool]]:
    """Final punctuation (closing quotes and brackets aside), an ellipsis, a full stop."""
    lasts = [t.rstrip(CLOSERS)[-1:] for t in texts]
    sentence_end = list(map(SENTENCE_ENDERS.__contains__, lasts))
    truncated = list(map(str.endswith, texts, repeat(_ELLIPSES)))
    full_stop = [last == "." and not cut for last, cut in zip(lasts, truncated, strict=True)]
    return sentence_end, truncated, full_stop


def _sentence_marks(texts: list[str], sentence_end: list[bool]) -> list[int]:
    marks = _SENTENCE_MARK.findall
    return [
        len(marks(t)) if len(t) >= MARKS_MIN_CHARS else int(end)
        for t, end in zip(texts, sentence_end, strict=True)
    ]


def _menu_separators(texts: list[str], page: str) -> list[int]:
    """How many menu-item separators (` | `, ` • `...) each line holds."""
    if not any(char in page for char in MENU_CHARS):
        return [0] * len(texts)
    return list(map(_line_menu_separators, texts))


def _line_menu_separators(text: str) -> int:
    if "|" in text:
        return text.count("| ") + text.count(" |")
    if " " not in text:
        return 0
    return text.count(" • ") + text.count(" · ") + text.count(" » ") + text.count(" › ")


def _glued_words(texts: list[str], n_words: list[int]) -> list[int]:
    """`HomeNewsSportWeather`: link texts glued together (lower- then upper-case letter)."""
    glued = _GLUED_WORDS.findall
    return [
        len(glued(t))
        if n <= GLUED_MAX_WORDS and len(t) >= GLUED_MIN_CHARS and not t[1:].islower()
        else 0
        for t, n in zip(texts, n_words, strict=True)
    ]


def _date_only(texts: list[str], words: list[Words]) -> list[bool]:
    """A bare date line: short, holds a digit (or an underscore: then the match just
    fails), and matches `_DATE_ONLY`."""
    match = _DATE_ONLY.match
    return [
        len(t) <= DATE_MAX_CHARS and not "".join(w).isalpha() and match(t) is not None
        for t, w in zip(texts, words, strict=True)
    ]


def _datelines(texts: list[str], page: str) -> list[bool]:
    if "(" not in page:
        return [False] * len(texts)
    match = _DATELINE.match
    return [len(t) >= DATELINE_MIN_CHARS and match(t) is not None for t in texts]


def _signatures(texts: list[str], page: str) -> list[bool]:
    if ":" not in page:
        return [False] * len(texts)
    match = _SIGNATURE.match
    return [len(t) <= SIGNATURE_MAX_CHARS and t[-1:] == ":" and match(t) is not None for t in texts]


def _link_shaped(lowers: list[str], chars: list[int], lower_page: str) -> list[bool]:
    """A bare URL, or a line ending in a link arrow (`Explore >>`)."""
    if not any(mark in lower_page for mark in _LINK_MARKS):
        return [False] * len(lowers)
    return [
        n <= LINK_MAX_CHARS and _line_link_shaped(low) for low, n in zip(lowers, chars, strict=True)
    ]


def _line_link_shaped(lower: str) -> bool:
    if lower.startswith(("http://", "https://", "www.")) and not any(map(str.isspace, lower)):
        return True
    return lower.rstrip().endswith((">>", "→"))
