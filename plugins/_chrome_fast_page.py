"""`measure_page` as one pass over a page's code points (numpy), for the `chrome` cleaner.

The per-line definitions live in `_chrome_features` (`measure_page_reference`); this
module computes the same `Features`, line for line, with per-page array operations:

- the page (lines joined by `\\n`) becomes an array of code points and, through a lookup
  table, of character classes (`_chrome_fast_chars`); per-line counts are differences of
  cumulative sums at the line boundaries;
- words: every non-word character of the lower-cased page becomes a space, so one
  `str.split()` gives all `\\w+` tokens of the page; their flags (stopword, trigger
  anchor) are one dict lookup a token;
- the regex features (dates, datelines, comment signatures, glued links, menus, links)
  run only on the lines that hold the characters their patterns need; trigger phrases
  (`find_trigger`) only on the lines that can hold one (as `page_triggers`).

`measure_page` runs the compiled page pass (`_chrome_fast_native`) instead when it is
built; `measure_page_numpy` is this module's own pass. Both return None for what they do
not handle (a text holding a line break, an empty text), and the caller falls back to the
reference. `tests/test_chrome_speedpath.py` and `tests/test_chrome_native.py` check all
three agree on real and generated text.
"""

from __future__ import annotations

import re
from itertools import repeat

import numpy as np
import numpy.typing as npt
from cleankit.plugins import _chrome_fast_native as fast_native
from cleankit.plugins._chrome_fast_chars import (
    CLOSER,
    CLOSING_QUOTE,
    DECIMAL,
    ENDER,
    GLUE_LOWER,
    GLUE_UPPER,
    LINK_FIRST,
    LINK_LAST,
    MARK,
    MARK_CLOSER,
    MENU,
    NONDIGIT_WORD,
    OPENING_QUOTE,
    PATTERN,
    SPACE,
    WORD,
    Codes,
    classes,
    code_points,
    word_translation,
)
from cleankit.plugins._chrome_features import (
    _DATE_ONLY,
    _DATELINE,
    _SIGNATURE,
    CLOSERS,
    DATE_MAX_CHARS,
    DATELINE_MIN_CHARS,
    GLUED_MAX_WORDS,
    GLUED_MIN_CHARS,
    LABEL_CHARS,
    LINK_MAX_CHARS,
    MARKS_MIN_CHARS,
    SENTENCE_ENDERS,
    SIGNATURE_MAX_CHARS,
    Features,
    _line_link_shaped,
    _line_menu_separators,
)
from cleankit.plugins._chrome_triggers import Trigger, TriggerSet, find_trigger

Ints = npt.NDArray[np.int64]
Bools = npt.NDArray[np.bool_]
Bits = npt.NDArray[np.uint32]
Flags = npt.NDArray[np.uint8]
Found = tuple[Trigger | None, bool]

_COLON = ord(":")
_FULL_STOP = ord(".")
_ELLIPSIS = ord("…")


class _Lines:
    """A joined page's lines: where each starts and ends (exclusive, at the `\n`), in
    code points, and the classes of their characters."""

    def __init__(self, lengths: list[int], codes: Codes) -> None:
        self.lengths = np.array(lengths, dtype=np.int64)
        self.ends = np.cumsum(self.lengths + 1) - 1
        self.starts = self.ends - self.lengths
        self.codes = codes
        self.bits = classes(codes)
        # Every class any character of the line has (lines are never empty).
        self.any = np.bitwise_or.reduceat(self.bits, self.starts)
        self.first = self.bits[self.starts]
        self.last = self.bits[self.ends - 1]

    def has(self, bit: int) -> Bools:
        return (self.any & bit) != 0  # type: ignore[no-any-return]

    def of(self, positions: Ints) -> Ints:
        """The line of each position."""
        return np.searchsorted(self.ends, positions, side="right")


def measure_page(
    texts: list[str], stopwords: frozenset[str], triggers: TriggerSet
) -> list[Features] | None:
    """`measure_page_reference(texts, ...)`, or None for a page this pass does not handle:
    by the compiled page pass (`_chrome_fast_native`) when it is built, else by numpy."""
    found = fast_native.measure_page(texts, stopwords, triggers)
    if found is not None:
        return found
    return measure_page_numpy(texts, stopwords, triggers)


def measure_page_numpy(
    texts: list[str], stopwords: frozenset[str], triggers: TriggerSet
) -> list[Features] | None:
    """`measure_page_reference(texts, ...)` by numpy, or None for a page this pass does
    not handle."""
    if not texts:
        return []
    page = "\n".join(texts)
    # The lower-cased page is the lower-cased lines joined: `\n` is neither cased nor
    # case-ignorable, so no context rule (Greek final sigma) looks across it.
    lower_page = page.lower()
    lowers = lower_page.split("\n")
    chars = list(map(len, texts))
    if len(lowers) != len(texts) or 0 in chars:
        return None
    lines = _Lines(chars, code_points(page))
    low = _Lines(list(map(len, lowers)), code_points(lower_page))
    n_words, n_stop, found = _words_and_triggers(lowers, low, stopwords, triggers)
    sentence_end, truncated, full_stop, quoted = _endings(texts, lines)
    has_letters = (n_words > 0) & low.has(NONDIGIT_WORD)
    columns = zip(
        chars,
        n_words.tolist(),
        n_stop.tolist(),
        np.divide(n_stop, n_words, out=np.zeros(len(texts)), where=n_words > 0).tolist(),
        sentence_end.tolist(),
        truncated.tolist(),
        full_stop.tolist(),
        quoted.tolist(),
        _sentence_marks(lines, sentence_end),
        _menu_separators(texts, lines),
        _glued_words(texts, lines, n_words),
        has_letters.tolist(),
        _matched(texts, _DATE_ONLY, (lines.lengths <= DATE_MAX_CHARS) & lines.has(DECIMAL)),
        _labelled(lines),
        _datelines(texts, lines, low),
        _matched(
            texts,
            _SIGNATURE,
            (lines.codes[lines.ends - 1] == _COLON) & (lines.lengths <= SIGNATURE_MAX_CHARS),
        ),
        _link_shaped(lowers, lines, low),
        [trig for trig, _ in found],
        [specific for _, specific in found],
        strict=True,
    )
    return list(map(tuple.__new__, repeat(Features), columns))


def _words_and_triggers(
    lowers: list[str], low: _Lines, stopwords: frozenset[str], tset: TriggerSet
) -> tuple[Ints, Ints, list[Found]]:
    """Per line of the lower-cased page: how many `\\w+` tokens, how many of them are
    stopwords, and its trigger (`page_triggers`)."""
    words = word_translation(low.codes).tobytes().decode("utf-32-le").split()
    is_word = (low.bits & WORD) != 0
    word_starts = is_word.copy()
    word_starts[1:] &= ~is_word[:-1]
    n_words = np.add.reduceat(word_starts, low.starts, dtype=np.int64)
    last_token = np.cumsum(n_words)  # one past each line's last token
    first_token = last_token - n_words
    if int(last_token[-1]) != len(words):
        raise AssertionError("chrome: token count differs from the word-start count")
    flags = _token_flags(words, stopwords, tset)
    n_stop = _token_counts((flags & fast_native.TOKEN_STOP) != 0, first_token, last_token)
    anchored = _token_counts((flags & fast_native.TOKEN_ANCHOR) != 0, first_token, last_token) > 0
    candidates = _trigger_candidates(lowers, low, words, anchored, n_words, last_token, tset)
    found: list[Found] = [(None, False)] * len(lowers)
    for i in candidates:
        found[i] = find_trigger(lowers[i], words[first_token[i] : last_token[i]], tset)
    return n_words, n_stop, found


def _token_flags(words: list[str], stopwords: frozenset[str], tset: TriggerSet) -> Flags:
    """Per token, its `token_flags` (stopword, trigger anchor, ...): one dict lookup a
    token, every answer at once."""
    table = fast_native.token_flags(stopwords, tset)
    flags = map(table.get, words, repeat(0))
    return np.fromiter(flags, dtype=np.uint8, count=len(words))


def _token_counts(flagged: Bools, first: Ints, last: Ints) -> Ints:
    """Per line, how many of its tokens are flagged (one bool per token)."""
    total = np.zeros(len(flagged) + 1, dtype=np.int64)
    np.cumsum(flagged, out=total[1:])
    return total[last] - total[first]  # type: ignore[no-any-return]


def _trigger_candidates(
    lowers: list[str],
    low: _Lines,
    words: list[str],
    anchored: Bools,
    n_words: Ints,
    last_token: Ints,
    tset: TriggerSet,
) -> list[int]:
    """`page_triggers`' candidates: the lines `find_trigger` can find something on (a
    `starts` pattern matches, longer than any category, an anchor word (`anchored`), a
    last word some `ends` pattern finishes on, a character some `regex` pattern needs)."""
    candidate = (low.lengths > tset.scan_chars) | low.has(PATTERN) | anchored
    if not tset.ends_words.isdisjoint(words):
        with_words = np.flatnonzero(n_words > 0)
        last_words = [words[k - 1] for k in last_token[with_words].tolist()]
        ends = np.fromiter(map(tset.ends_words.__contains__, last_words), dtype=np.bool_)
        candidate[with_words[ends]] = True
    candidate |= np.array(tset.starts.matches(lowers), dtype=np.bool_)
    return np.flatnonzero(candidate).tolist()  # type: ignore[no-any-return]


def _endings(texts: list[str], lines: _Lines) -> tuple[Bools, Bools, Bools, Bools]:
    """`_endings` and `quoted`: final punctuation (closers aside), an ellipsis, a full
    stop; one quotation from the first character to the last."""
    codes, last = lines.codes, lines.codes[lines.ends - 1]
    sentence_end = (lines.last & ENDER) != 0
    full_stop = last == _FULL_STOP
    for i in np.flatnonzero(lines.last & CLOSER).tolist():  # strip closing quotes first
        final = texts[i].rstrip(CLOSERS)[-1:]
        sentence_end[i] = final in SENTENCE_ENDERS
        full_stop[i] = final == "."
    truncated = last == _ELLIPSIS
    dots = np.flatnonzero((lines.lengths >= 3) & (last == _FULL_STOP))
    if dots.size:
        ends = lines.ends[dots]
        truncated[dots[(codes[ends - 2] == _FULL_STOP) & (codes[ends - 3] == _FULL_STOP)]] = True
    full_stop &= ~truncated
    quoted = ((lines.first & OPENING_QUOTE) != 0) & ((lines.last & CLOSING_QUOTE) != 0)
    return sentence_end, truncated, full_stop, quoted


def _sentence_marks(lines: _Lines, end: Bools) -> list[int]:
    """`_sentence_marks`: on lines of 40 characters or more, the `_SENTENCE_MARK` matches
    (a mark whose next character, closers skipped, is a space or the line's end: the
    `\\n` after it); on shorter ones whether the line ends a sentence."""
    bits = lines.bits
    marks = np.flatnonzero(bits[:-1] & MARK)
    after = bits[marks + 1]
    matched = (after & SPACE) != 0
    for k in np.flatnonzero(after & MARK_CLOSER).tolist():  # closers: walk past them
        at = marks[k] + 1
        while at < len(bits) and bits[at] & MARK_CLOSER:
            at += 1
        matched[k] = at == len(bits) or bool(bits[at] & SPACE)
    counts = np.bincount(lines.of(marks[matched]), minlength=len(lines.lengths))
    if bits[-1] & MARK:  # the page's last character (no `\\n` after it)
        counts[-1] += 1
    return np.where(lines.lengths >= MARKS_MIN_CHARS, counts, end).tolist()  # type: ignore[no-any-return]


def _menu_separators(texts: list[str], lines: _Lines) -> list[int]:
    """`_menu_separators`: only lines holding a separator character can count one."""
    listed = np.flatnonzero(lines.has(MENU)).tolist()
    return fast_native.tried(texts, listed, _line_menu_separators, 0)


def _glued_words(texts: list[str], lines: _Lines, n_words: Ints) -> list[int]:
    """`_glued_words`, tried only on lines holding a lower-upper-lower triple (what the
    pattern matches; the `\\n` between lines is neither)."""
    bits = lines.bits
    triple = ((bits[:-2] & GLUE_LOWER) != 0) & ((bits[1:-1] & GLUE_UPPER) != 0)
    triple &= (bits[2:] & GLUE_LOWER) != 0
    if not triple.any():
        return [0] * len(texts)
    tried = np.unique(lines.of(np.flatnonzero(triple)))
    tried = tried[(n_words[tried] <= GLUED_MAX_WORDS) & (lines.lengths[tried] >= GLUED_MIN_CHARS)]
    return fast_native.tried(texts, tried.tolist(), fast_native.glued_count, 0)


def _matched(texts: list[str], pattern: re.Pattern[str], tried: Bools) -> list[bool]:
    """Whether `pattern` matches at the start of each line; only `tried` lines can."""
    listed = np.flatnonzero(tried).tolist()
    return fast_native.tried(texts, listed, fast_native.matcher(pattern), False)


def _labelled(lines: _Lines) -> list[bool]:
    """A colon in the first 40 characters (`Label: text`)."""
    colons = np.flatnonzero(lines.codes == _COLON)
    line = lines.of(colons)
    labelled = np.zeros(len(lines.lengths), dtype=np.bool_)
    labelled[line[colons - lines.starts[line] < LABEL_CHARS]] = True
    return labelled.tolist()  # type: ignore[no-any-return]


def _datelines(texts: list[str], lines: _Lines, low: _Lines) -> list[bool]:
    """`_datelines`: the pattern starts with a capital and needs a `(` (a pattern char)."""
    tried = (lines.lengths >= DATELINE_MIN_CHARS) & ((lines.first & GLUE_UPPER) != 0)
    return _matched(texts, _DATELINE, tried & low.has(PATTERN))


def _link_shaped(lowers: list[str], lines: _Lines, low: _Lines) -> list[bool]:
    """`_link_shaped`: a line starting like a URL or ending in a link arrow (or in a
    space, which a stripped line never does)."""
    tried = ((low.first & LINK_FIRST) != 0) | ((low.last & (LINK_LAST | SPACE)) != 0)
    listed = np.flatnonzero(tried & (lines.lengths <= LINK_MAX_CHARS)).tolist()
    return fast_native.tried(lowers, listed, _line_link_shaped, False)
