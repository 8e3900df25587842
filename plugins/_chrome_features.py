"""What one paragraph looks like, for the `chrome` cleaner.

Everything here is about a single paragraph in isolation: its size, how sentence-like it
is (stopword density, sentence punctuation), whether it has a menu or symbol shape, and
whether a trigger phrase (cookie notice, share bar, related-list header, byline...) decides
it. Context (neighbours, regions, the densest body block) is `_chrome_regions`' job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cleankit.plugins import load_data
from cleankit.plugins._chrome_dispatch import StartsDispatch
from cleankit.plugins._chrome_lang import stopwords_for

WORD = re.compile(r"\w+")
_SENTENCE_MARK = re.compile(r"[.!?。！？](?:['\"”’»)\]]*)(?:\s|$)")
# Closing quotes and brackets that may follow a sentence's final punctuation.
_CLOSERS = "'\"“”‘’«»‹›)]"
_SENTENCE_ENDERS = frozenset(".!?…:;。！？")
_OPENING_QUOTES = frozenset("'\"“”„«»‚‘")
_CLOSING_QUOTES = frozenset("'\"“”«»‘’")
_GLUED_WORDS = re.compile(r"[a-zäöüéèáíóúñ][A-ZÄÖÜ][a-zäöüéèáíóúñ]")
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

# Trigger categories whose matches are headers of a region (a related or comment list).
REGION_HEADER_CATEGORIES = ("related", "comments")
HEAD_CHARS = 60
TAIL_CHARS = 24


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
    ends: re.Pattern[str] | None
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
    anywhere: re.Pattern[str]  # every category's `regex`, one named group per category
    ends: re.Pattern[str]  # every category's `ends`, one named group per category
    ends_words: frozenset[str]  # a line's last word must be one of these for `ends` to match


@dataclass(slots=True)
class Features:
    """The per-paragraph measurements the classifier and the audit use."""

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


@lru_cache(maxsize=1)
def load_triggers() -> TriggerSet:
    """The shipped multilingual trigger phrases (plugins/data/chrome_triggers.json)."""
    data: dict[str, Any] = load_data("chrome_triggers.json")
    triggers: list[Trigger] = []
    index: PhraseIndex = {}
    for category, spec in data.items():
        if category.startswith("_"):
            continue
        for phrase in spec["phrases"]:
            tokens = tuple(WORD.findall(phrase.lower()))
            if tokens:
                anchor = _anchor(tokens)
                needle = " " + " ".join(tokens) + " "
                index.setdefault(anchor, []).append((needle, len(tokens) > 1, len(triggers)))
        triggers.append(
            Trigger(
                category=category,
                label=spec["label"],
                max_chars=int(spec["max_chars"]),
                head=bool(spec["head"]),
                weak=bool(spec.get("weak", False)),
                starts=_compile(spec["starts"]),
                regex=_compile(spec["regex"]),
                ends=_compile(spec["ends"]),
                meta=spec.get("meta"),
            )
        )
    scan = max(t.max_chars for t in triggers)
    starts = StartsDispatch(
        [spec["starts"] for k, spec in data.items() if not k.startswith("_")],
        lambda lists: _combined(triggers, lists),
    )
    anywhere = _combined(
        triggers, [spec["regex"] for k, spec in data.items() if not k.startswith("_")]
    )
    ends = _combined(triggers, [spec["ends"] for k, spec in data.items() if not k.startswith("_")])
    anchors = frozenset(index)
    ends_words = _ends_words(data)
    return TriggerSet(tuple(triggers), anchors, index, scan, starts, anywhere, ends, ends_words)


def _anchor(tokens: tuple[str, ...]) -> str:
    """The phrase's longest word that is not a stopword (`site` in `this site uses`), or
    its longest: the word least likely to occur in a line the phrase is not in."""
    common = stopwords_for("und")  # the union of the main web languages' stoplists
    rare = [t for t in tokens if t not in common]
    return max(rare or tokens, key=len)


def _ends_words(data: dict[str, Any]) -> frozenset[str]:
    """Every category's `ends_words`: the words an `ends` match can finish on."""
    words: set[str] = set()
    for category, spec in data.items():
        if not category.startswith("_") and spec["ends"]:
            if not spec.get("ends_words"):
                raise ValueError(f"chrome triggers: {category} has `ends` but no `ends_words`")
            words.update(spec["ends_words"])
    return frozenset(words)


def _combined(triggers: list[Trigger], pattern_lists: list[list[str]]) -> re.Pattern[str]:
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


def _phrase_hits(words: list[str], tset: TriggerSet) -> dict[int, bool]:
    """Categories whose phrases occur in `words`, each with True when a multi-word phrase
    matched (`join the conversation` is specific; `comment` alone is not). Only the
    phrases of the anchors present are tried, each as one substring test."""
    hits: dict[int, bool] = {}
    spaced = ""
    for anchor in tset.anchors.intersection(words):
        for needle, multi, trig in tset.phrase_index[anchor]:
            if multi:
                spaced = spaced or " " + " ".join(words) + " "
                if needle not in spaced:
                    continue
            hits[trig] = hits.get(trig, False) or multi
    return hits


def find_trigger(text: str, words: list[str], tset: TriggerSet) -> tuple[Trigger | None, bool]:
    # `text` is lower-cased: the patterns are written in lower case (faster than re.I).
    """The first category (in file order) whose phrase decides this paragraph, and whether
    the evidence is specific (a multi-word phrase or a pattern) rather than one word.

    Short paragraphs are decided by a phrase anywhere; long ones only by a phrase in their
    first HEAD_CHARS characters, and only for categories that allow it (a cookie notice or
    a comment policy can be long; a body paragraph that mentions Facebook must stay)."""
    size = len(text)
    if size > tset.scan_chars:
        return _find_in_head(text, tset)
    found = {} if tset.anchors.isdisjoint(words) else _phrase_hits(words, tset)
    for m in (
        tset.starts.match(text),
        tset.anywhere.search(text) if _may_hold_pattern(text) else None,
        tset.ends.search(text[-TAIL_CHARS:]) if words and words[-1] in tset.ends_words else None,
    ):
        if m is not None and m.lastgroup:
            found[int(m.lastgroup[1:])] = True
    if not found:
        return None, False
    for n in sorted(found):
        trig = tset.triggers[n]
        if size <= trig.max_chars:
            return trig, found[n]
    return _find_in_head(text, tset)


def _may_hold_pattern(text: str) -> bool:
    """Every `regex` trigger pattern starts with one of these characters (see the data
    file): paragraphs without any of them skip the search (`in` is the fastest test)."""
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


def measure(text: str, stopwords: frozenset[str], triggers: TriggerSet) -> Features:
    """Features of one paragraph's (stripped) text. Costly checks run only on the lines
    whose class they can change (most lines are one- or two-word menu items), and cheap
    string methods replace regular expressions where they say the same."""
    lower = text.lower()
    words = WORD.findall(lower)
    n_words = len(words)
    chars = len(text)
    n_stop = sum(map(stopwords.__contains__, words))
    unclosed = text.rstrip(_CLOSERS)
    sentence_end = unclosed[-1:] in _SENTENCE_ENDERS
    truncated = text.endswith(("...", "…"))
    joined = "".join(words)
    has_digit = not joined.isalpha()  # (or an underscore: then the date check just fails)
    trigger, specific = find_trigger(lower, words, triggers)
    return Features(
        chars=chars,
        words=n_words,
        stopwords=n_stop,
        stop_density=n_stop / n_words if n_words else 0.0,
        sentence_end=sentence_end,
        truncated=truncated,
        full_stop=unclosed[-1:] == "." and not truncated,
        quoted=text[:1] in _OPENING_QUOTES and text[-1:] in _CLOSING_QUOTES,
        sentence_marks=len(_SENTENCE_MARK.findall(text)) if chars >= 40 else int(sentence_end),
        menu_separators=_menu_separators(text),
        glued_words=_glued_words(text, n_words, chars),
        has_letters=n_words > 0 and not joined.isdigit(),
        date_only=has_digit and chars <= 60 and _DATE_ONLY.match(text) is not None,
        labelled=":" in text[:40],
        dateline=chars >= 60 and _DATELINE.match(text) is not None,
        link_shaped=chars <= 120 and _link_shaped(lower),
        signature=chars <= 120 and text[-1] == ":" and _SIGNATURE.match(text) is not None,
        trigger=trigger,
        trigger_specific=specific,
    )


def _glued_words(text: str, n_words: int, chars: int) -> int:
    """`HomeNewsSportWeather`: link texts glued together (lower- then upper-case letter)."""
    if n_words > 12 or chars < 12 or text[1:].islower():
        return 0
    return len(_GLUED_WORDS.findall(text))


def _link_shaped(lower: str) -> bool:
    """A bare URL, or a line ending in a link arrow (`Explore >>`)."""
    if lower.startswith(("http://", "https://", "www.")) and not any(map(str.isspace, lower)):
        return True
    return lower.rstrip().endswith((">>", "→"))


def _menu_separators(text: str) -> int:
    """How many menu-item separators (` | `, ` • `...) the line holds (str.count is fast)."""
    if "|" in text:
        return text.count(" | ") + text.count("| ") + text.count(" |") - text.count(" | ")
    if " " not in text:
        return 0
    return text.count(" • ") + text.count(" · ") + text.count(" » ") + text.count(" › ")
