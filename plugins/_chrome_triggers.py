"""Trigger phrases of the `chrome` cleaner: the lines a phrase or pattern decides.

`plugins/data/chrome_triggers.json` lists, per category (cookie notice, share bar,
related-list header, byline...), multilingual phrases and patterns; `find_trigger` says
which category, if any, decides one lower-cased line, and `page_triggers` does the same for
all lines of a page, trying only the lines that can hold a match at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache
from itertools import chain
from typing import Any

from cleankit.plugins import load_data
from cleankit.plugins._chrome_dispatch import FirstCharSearch, StartsDispatch
from cleankit.plugins._chrome_lang import WORD, stopwords_for

Words = Sequence[str]  # a line's lower-cased `\w+` words
HEAD_CHARS = 60
TAIL_CHARS = 24
# Every `regex` trigger pattern needs one of these characters (see the data file).
PATTERN_CHARS = ("(", "/", "[", ":", "©", "@")


@dataclass(slots=True)
class Trigger:
    """A compiled trigger category from the shipped phrase list."""

    category: str
    label: str
    max_chars: int
    head: bool
    weak: bool
    starts: re.Pattern[str] | None
    regex: re.Pattern[str] | None
    meta: str | None


# anchor word -> (" phrase words ", is it several words?, trigger number)
PhraseIndex = dict[str, list[tuple[str, bool, int]]]


@dataclass(slots=True)
class TriggerSet:
    """All categories, plus an index of their phrases by anchor word (one set
    intersection per line instead of one regex alternation per category: the cleaner's
    hot path)."""

    triggers: tuple[Trigger, ...]
    # Each phrase is indexed by its longest word, its anchor (rarely a common word): a line
    # sharing no word with the anchors holds no phrase (a C-level set intersection).
    anchors: frozenset[str]
    phrase_index: PhraseIndex
    scan_chars: int
    starts: StartsDispatch  # every category's `starts`, one named group per category
    anywhere: FirstCharSearch  # every category's `regex`, one named group per category
    ends: re.Pattern[str]  # every category's `ends`, one named group per category
    ends_words: frozenset[str]  # a line's last word must be one of these for `ends` to match


@lru_cache(maxsize=1)
def load_triggers() -> TriggerSet:
    """The shipped multilingual trigger phrases (plugins/data/chrome_triggers.json)."""
    data: dict[str, Any] = load_data("chrome_triggers.json")
    specs = [spec | {"category": k} for k, spec in data.items() if not k.startswith("_")]
    triggers = [_trigger(spec) for spec in specs]
    index: PhraseIndex = {}
    for n, spec in enumerate(specs):
        for phrase in spec["phrases"]:
            tokens = tuple(WORD.findall(phrase.lower()))
            if tokens:
                needle = " " + " ".join(tokens) + " "
                index.setdefault(_anchor(tokens), []).append((needle, len(tokens) > 1, n))
    return TriggerSet(
        triggers=tuple(triggers),
        anchors=frozenset(index),
        phrase_index=index,
        scan_chars=max(t.max_chars for t in triggers),
        starts=StartsDispatch([s["starts"] for s in specs], _combined),
        anywhere=FirstCharSearch(
            [p for s in specs for p in s["regex"]], _combined([s["regex"] for s in specs])
        ),
        ends=_combined([s["ends"] for s in specs]),
        ends_words=_ends_words(specs),
    )


def _trigger(spec: dict[str, Any]) -> Trigger:
    return Trigger(
        category=spec["category"],
        label=spec["label"],
        max_chars=int(spec["max_chars"]),
        head=bool(spec["head"]),
        weak=bool(spec.get("weak", False)),
        starts=_compile(spec["starts"]),
        regex=_compile(spec["regex"]),
        meta=spec.get("meta"),
    )


def _anchor(tokens: tuple[str, ...]) -> str:
    """The phrase's longest word that is not a stopword (`site` in `this site uses`), or
    its longest: the word least likely to occur in a line the phrase is not in."""
    common = stopwords_for("und")  # the union of the main web languages' stoplists
    rare = [t for t in tokens if t not in common]
    return max(rare or tokens, key=len)


def _ends_words(specs: list[dict[str, Any]]) -> frozenset[str]:
    """Every category's `ends_words`: the words an `ends` match can finish on."""
    words: set[str] = set()
    for spec in specs:
        if spec["ends"]:
            if not spec.get("ends_words"):
                raise ValueError(f"chrome triggers: {spec['category']} has no `ends_words`")
            words.update(spec["ends_words"])
    return frozenset(words)


def _combined(pattern_lists: list[list[str]]) -> re.Pattern[str]:
    """One alternation for all categories (in priority order), group `c<n>` per category:
    one regex call per paragraph instead of one per category."""
    groups = [
        f"(?P<c{n}>" + "|".join(f"(?:{p})" for p in patterns) + ")"
        for n, patterns in enumerate(pattern_lists)
        if patterns
    ]
    return re.compile("|".join(groups) or r"(?!x)x")


def _compile(patterns: list[str]) -> re.Pattern[str] | None:
    if not patterns:
        return None
    return re.compile("|".join(f"(?:{p})" for p in patterns))


def page_triggers(
    lowers: list[str], words: list[Words], tset: TriggerSet, lower_page: str
) -> list[tuple[Trigger | None, bool]]:
    """`find_trigger` of every line of a page (lower-cased, with its words). Most lines
    can hold no match at all: no anchor word, a first character no `starts` pattern
    begins with, none of the characters a `regex` pattern needs, a last word no `ends`
    pattern finishes on. Only the others are tried, with the same result."""
    none: tuple[Trigger | None, bool] = (None, False)
    found = [none] * len(lowers)
    for i in _candidates(lowers, words, tset, _may_hold_pattern(lower_page)):
        found[i] = find_trigger(lowers[i], words[i], tset)
    return found


def _candidates(
    lowers: list[str], words: list[Words], tset: TriggerSet, patterns: bool
) -> list[int]:
    anchors = tset.anchors.intersection(chain.from_iterable(words))
    scan, ends_words = tset.scan_chars, tset.ends_words
    starts = tset.starts.matches(lowers)
    return [
        i
        for i, (lower, line_words, start) in enumerate(zip(lowers, words, starts, strict=True))
        if start
        or len(lower) > scan
        or (anchors and not anchors.isdisjoint(line_words))
        or (line_words and line_words[-1] in ends_words)
        or (patterns and _may_hold_pattern(lower))
    ]


def find_trigger(text: str, words: Words, tset: TriggerSet) -> tuple[Trigger | None, bool]:
    # `text` is lower-cased: the patterns are written in lower case (faster than re.I).
    """The first category (in file order) whose phrase decides this paragraph, and whether
    the evidence is specific (a multi-word phrase or a pattern) rather than one word.

    Short paragraphs are decided by a phrase anywhere; long ones only by a phrase in their
    first HEAD_CHARS characters, and only for categories that allow it (a cookie notice or
    a comment policy can be long; a body paragraph that mentions Facebook must stay)."""
    if len(text) > tset.scan_chars:
        return _find_in_head(text, tset)
    found = {} if tset.anchors.isdisjoint(words) else _phrase_hits(words, tset)
    ends = bool(words) and words[-1] in tset.ends_words
    return _short_line_trigger(text, tset, found, _may_hold_pattern(text), ends)


# What a caller that has already looked at a line's words and characters knows about it
# (`find_trigger_flagged`): an anchor word, a last word some `ends` pattern finishes on,
# a character some `regex` pattern needs, a start some `starts` pattern may match.
HAS_ANCHOR, HAS_ENDS_WORD, HAS_PATTERN_CHAR, MAY_START = 1, 2, 4, 8
# A line's anchor words, and all its words joined and framed by spaces (" w1 w2 ... ").
AnchorWords = tuple[list[str], str]


def find_trigger_flagged(
    text: str, tset: TriggerSet, flags: int, anchor_words: AnchorWords | None
) -> tuple[Trigger | None, bool]:
    """`find_trigger(text, WORD.findall(text), tset)`, told by `flags` and `anchor_words`
    what the line's words and characters hold (the page pass knows); `MAY_START` unset
    means `tset.starts.match(text)` finds nothing."""
    if len(text) > tset.scan_chars:
        return _find_in_head(text, tset)
    found = {} if anchor_words is None else _anchor_hits(*anchor_words, tset)
    return _short_line_trigger(
        text,
        tset,
        found,
        bool(flags & HAS_PATTERN_CHAR),
        bool(flags & HAS_ENDS_WORD),
        bool(flags & MAY_START),
    )


def page_triggers_flagged(
    lowers: list[str],
    lines: list[int],
    flags: list[int],
    anchor_words: list[AnchorWords | None],
    tset: TriggerSet,
) -> list[tuple[int, tuple[Trigger, bool]]]:
    """`find_trigger_flagged` of the listed lines of a page (lower-cased), with their
    flags and anchor words: the lines where it finds a trigger. A short line without an
    anchor or `ends` word can only be decided by a `starts` or a `regex` pattern: those are
    tried first, and most such lines stop there (without the calls of the full search)."""
    scan, match, search = tset.scan_chars, tset.starts.match, tset.anywhere.search
    found = []
    for i, line_flags, words in zip(lines, flags, anchor_words, strict=True):
        text = lowers[i]
        if words is None and not line_flags & HAS_ENDS_WORD and len(text) <= scan:
            started = line_flags & MAY_START and match(text) is not None
            if not (started or (line_flags & HAS_PATTERN_CHAR and search(text) is not None)):
                continue
        trig, specific = find_trigger_flagged(text, tset, line_flags, words)
        if trig is not None:
            found.append((i, (trig, specific)))
    return found


def _short_line_trigger(
    text: str,
    tset: TriggerSet,
    found: dict[int, bool],
    patterned: bool,
    ends: bool,
    may_start: bool = True,
) -> tuple[Trigger | None, bool]:
    """`find_trigger` of a short line, given its phrase hits."""
    for m in (
        tset.starts.match(text) if may_start else None,
        tset.anywhere.search(text) if patterned else None,
        tset.ends.search(text[-TAIL_CHARS:]) if ends else None,
    ):
        if m is not None and m.lastgroup:
            found[int(m.lastgroup[1:])] = True
    if not found:
        return None, False
    size = len(text)
    for n in sorted(found):
        trig = tset.triggers[n]
        if size <= trig.max_chars:
            return trig, found[n]
    return _find_in_head(text, tset)


def _phrase_hits(words: Words, tset: TriggerSet) -> dict[int, bool]:
    """Categories whose phrases occur in `words`, each with True when a multi-word phrase
    matched (`join the conversation` is specific; `comment` alone is not). Only the
    phrases of the anchors present are tried, each as one substring test."""
    anchors = tset.anchors.intersection(words)
    return _anchor_hits(anchors, " " + " ".join(words) + " " if anchors else "", tset)


def _anchor_hits(anchors: Iterable[str], spaced: str, tset: TriggerSet) -> dict[int, bool]:
    """`_phrase_hits` of a line given its anchor words and its words joined and framed by
    spaces (`spaced`, what multi-word phrases are looked up in)."""
    hits: dict[int, bool] = {}
    for anchor in anchors:
        for needle, multi, trig in tset.phrase_index[anchor]:
            if multi and needle not in spaced:
                continue
            hits[trig] = hits.get(trig, False) or multi
    return hits


def _may_hold_pattern(text: str) -> bool:
    """Paragraphs without any character a `regex` pattern needs skip the search."""
    return "(" in text or "/" in text or "[" in text or ":" in text or "©" in text or "@" in text


def _find_in_head(text: str, tset: TriggerSet) -> tuple[Trigger | None, bool]:
    head = text[:HEAD_CHARS]
    hits = _phrase_hits(WORD.findall(head.lower()), tset)
    for n, trig in enumerate(tset.triggers):
        if not trig.head:
            continue
        if n in hits:
            return trig, hits[n]
        if trig.starts is not None and trig.starts.match(head):
            return trig, True
        if trig.regex is not None and trig.regex.search(head) is not None:
            return trig, True
    return None, False
