"""Find runs of lines that are one paragraph hard-wrapped at a fixed width.

A greedy wrapper at width W leaves each non-final line `a` of a paragraph with
`len(a) <= W < len(a) + 1 + len(first word of the next line)`: the next word did not fit.
A word longer than W (a URL, a run of CJK text) is cut into pieces of exactly W
characters, which are joined back without a space.

A document's W is estimated from its *evidence* breaks (prose that does not end a
sentence, continued by a lowercase word; or a long word cut at exactly W) and accepted
only with enough of them (at least one run of three lines wrapped in a row, or twice
as many), and few lines much longer than W. With W known, a break is joined when it fits
the wrapper and the next line is not a list item; a sentence end followed by a capital is
never joined, and a capitalised next line needs the line inside a wrapped run, so real
paragraphs, headings and list items are not merged on a coincidence of length.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from functools import cache

_LIST_ITEM = re.compile(r"(?:[•·▪▸►‣◦●○■□✓✔→]|[-*+–—]\s|\(?\d{1,3}[.)]\s|\(?[a-zA-Z][.)]\s)")
_SENTENCE_END = re.compile(r"[.!?:;…。！？][\"'”’»)\]」』]*$")
_LOWER_WORD = re.compile(r"[^\W\d_A-Z][^\s/:@]*(?:\s|$)")
# A line starting like this begins a new token, not the rest of a cut one.
_NEW_TOKEN = re.compile(r"(?:https?://|www\.|[(\[{「『“‘\"'])")
_ABBREVIATION_END = re.compile(r"(?:^|\s)[^\W\d_][^\s.]{0,3}\.$|(?:^|\s)(?:[^\W\d_]\.){2,}$")
_WORD = re.compile(r"\w+")
_PROSE_END = re.compile(r"(?:\s[^\W\d_A-Z]+|,)$")
# A wrapper may hang a short last word on the final line instead of orphaning it.
_MAX_TAIL_RATIO = 1.35
# Lines longer than a wrapped line that a wrapped document may still hold (long URLs).
_OVERLONG_ALLOWED = 2
_OVERLONG_SHARE = 0.25
# Clear breaks needed to rule out one more than the estimated width (see `hard_cut`).
_WIDER_RULED_OUT = 2


@dataclass(frozen=True, slots=True)
class RewrapOptions:
    min_width: int = 40
    max_width: int = 200
    min_evidence: int = 3


@dataclass(frozen=True, slots=True)
class WrappedRun:
    """Lines `first..last` (inclusive) form one paragraph; `glue[k]` goes before line
    `first + k + 1` ("" where a long word was cut, " " otherwise)."""

    first: int
    last: int
    glue: tuple[str, ...]

    def join(self, lines: Sequence[str]) -> str:
        parts = [lines[self.first]]
        for glue, line in zip(self.glue, lines[self.first + 1 : self.last + 1], strict=False):
            parts.append(glue + line)
        return "".join(parts)


def _first_word(line: str) -> str:
    space = line.find(" ")
    return line if space < 0 else line[:space]


def _last_word(line: str) -> str:
    return line[line.rfind(" ") + 1 :]


def is_long_word_cut(
    line: str, next_line: str, width: int, hard_cut: Collection[str] | None = None
) -> bool:
    """A word longer than the width, cut at the width. Wrappers differ by one on where
    the width is (`len < W` or `len <= W` for words, chunks of W for long words), so a
    cut one character beyond the estimated width counts too.

    With `hard_cut` (given when the evidence rules width + 1 out for breaks at spaces: the
    words seen twice in the document), a line of width + 1 broken inside a word is a cut
    even where the word is shorter than the width: some wrappers cut at the width rather
    than leave a short line. A line of width + 1 may also be a line of the text that
    needed no wrapping, so the break must fall inside a word (a letter before, a
    lowercase letter after) and the next line must not start with a word the document
    uses elsewhere (the tail of a cut word rarely is one)."""
    if not width <= len(line) <= width + 1:
        return False
    if _SENTENCE_END.search(line) or _NEW_TOKEN.match(next_line):
        return False
    if len(_last_word(line)) + len(_first_word(next_line)) > width:
        return True
    if hard_cut is None or len(line) != width + 1 or not line[-1].isalnum():
        return False
    tail = _WORD.match(next_line)
    return tail is not None and next_line[0].islower() and tail.group() not in hard_cut


def fits_greedy_wrap(
    line: str, next_line: str, width: int, hard_cut: Collection[str] | None = None
) -> bool:
    """True when `line` could be a wrapper's output at `width` and `next_line` its
    continuation: the next word did not fit (or a long word was cut), and the next line
    is no longer than a wrapped line plus a short tail."""
    if len(next_line) > width * _MAX_TAIL_RATIO:
        return False
    if is_long_word_cut(line, next_line, width, hard_cut):
        return True
    if len(line) > width:
        return False
    if " " not in line and " " not in next_line:
        return False  # unspaced text (CJK) is only ever cut at exactly the width
    return len(line) + 1 + len(_first_word(next_line)) > width


def is_list_item(line: str) -> bool:
    return _LIST_ITEM.match(line) is not None


def is_clear_break(line: str, next_line: str) -> bool:
    """A break mid-sentence: no closing punctuation, next line goes on in lowercase."""
    return (
        next_line[:1].islower()
        and _LOWER_WORD.match(next_line) is not None
        and not _SENTENCE_END.search(line)
    )


def is_evidence_break(line: str, next_line: str) -> bool:
    """A clear break between two pieces of prose (not a title above a one-word label)."""
    return (
        next_line[:1].islower()
        and " " in next_line
        and line.count(" ") >= 3
        and is_clear_break(line, next_line)
    )


def is_evidence_cut(line: str, next_line: str, width: int) -> bool:
    """A long word cut that proves a width. In unspaced text (CJK) lines of one length are
    as often headlines truncated to a fixed length, so the continuation must finish a
    sentence there."""
    return is_long_word_cut(line, next_line, width) and (
        " " in line or _SENTENCE_END.search(next_line) is not None
    )


def _candidate_breaks(
    lines: Sequence[str], gaps: Sequence[bool], options: RewrapOptions
) -> list[int]:
    """Indices i where line i may continue into line i+1 (no blank line, both text)."""
    return [
        i
        for i in range(len(lines) - 1)
        if not gaps[i + 1]
        and len(lines[i]) >= options.min_width
        and lines[i + 1]
        and not is_list_item(lines[i + 1])
    ]


def _count_evidence(
    lines: Sequence[str], breaks: Sequence[int], options: RewrapOptions
) -> Counter[int]:
    """Per candidate width, the evidence breaks consistent with it."""
    evidence: Counter[int] = Counter()
    for i in breaks:
        line, next_line = lines[i], lines[i + 1]
        low = len(line)
        first = len(_first_word(next_line))
        # (cheap necessary condition of a cut: the joined word outgrows the line)
        if first > line.rfind(" ") + 1 and low <= options.max_width:
            if is_evidence_cut(line, next_line, low):
                evidence[low] += 1
                evidence[low - 1] += 1
        if next_line[:1].islower() and is_evidence_break(line, next_line):
            for width in range(
                max(low, options.min_width), min(low + first, options.max_width) + 1
            ):
                evidence[width] += 1
    return evidence


@cache
def _evidence_candidate(half_width: int) -> re.Pattern[str]:
    """A line break that could be evidence. Both kinds need a line that does not end a
    sentence (here: no closing punctuation right at its end). Then either the next line
    starts with a letter that is not an ASCII capital (a clear break needs a lowercase
    one), or a word of `half_width` characters ends or starts there (a long-word cut
    joins two words longer than the width together, so one has at least half of it)."""
    word = f"[^ \\n]{{{half_width}}}"
    return re.compile(f"\\n(?<![.!?:;…。！？]\\n)(?:[^\\W\\d_A-Z]|{word}|(?<={word}\\n))")


def may_hold_wrapped_runs(joined_lines: str, options: RewrapOptions | None = None) -> bool:
    """A cheap necessary condition for `find_wrapped_runs` to find anything in these lines
    (stripped, joined by "\\n") or in any of their blocks: enough line breaks that could
    be evidence. One regex over the text instead of the per-break analysis."""
    options = options or RewrapOptions()
    pattern = _evidence_candidate((options.min_width + 2) // 2)
    found = 0
    for _ in pattern.finditer(joined_lines):
        found += 1
        if found >= options.min_evidence:
            return True
    return False


def _count_fitting(lines: Sequence[str], breaks: Sequence[int], width: int) -> int:
    return sum(1 for i in breaks if fits_greedy_wrap(lines[i], lines[i + 1], width))


def estimate_width(
    lines: Sequence[str], breaks: Sequence[int], options: RewrapOptions
) -> int | None:
    """The wrap width with most evidence breaks, if the evidence is sufficient."""
    evidence = _count_evidence(lines, breaks, options)
    if not evidence:
        return None
    most = max(evidence.values())
    if most < options.min_evidence:
        return None
    # Ties (a plateau of widths all consistent with the evidence): the width most other
    # breaks fit, then the narrowest.
    tied = sorted(w for w, count in evidence.items() if count == most)
    width = max(tied, key=lambda w: (_count_fitting(lines, breaks, w), -w))
    fitting = {i for i in breaks if fits_greedy_wrap(lines[i], lines[i + 1], width)}
    chained = any(i + 1 in fitting and _has_evidence(lines, (i, i + 1), width) for i in fitting)
    if not chained and evidence[width] < 2 * options.min_evidence:
        return None
    # A wrapper at `width` leaves no line much longer than it: many such lines mean the
    # "breaks" are lines of a list or menu that happen to have similar lengths.
    overlong = sum(1 for line in lines if len(line) > width * _MAX_TAIL_RATIO)
    if overlong > max(_OVERLONG_ALLOWED, len(fitting) * _OVERLONG_SHARE):
        return None
    return width


def _has_evidence(lines: Sequence[str], breaks: Sequence[int], width: int) -> bool:
    return any(
        is_evidence_break(lines[i], lines[i + 1]) or is_evidence_cut(lines[i], lines[i + 1], width)
        for i in breaks
    )


def find_wrapped_runs(
    lines: Sequence[str], gaps: Sequence[bool], options: RewrapOptions | None = None
) -> list[WrappedRun]:
    """Runs of lines that form one wrapped paragraph.

    `lines` are the paragraph texts (whitespace already normalised), `gaps[i]` is True
    when a blank line preceded line i.
    """
    options = options or RewrapOptions()
    breaks = _candidate_breaks(lines, gaps, options)
    width = estimate_width(lines, breaks, options)
    if width is None:
        return []
    hard_cut = _hard_cut_context(lines, breaks, width)
    fitting = {i for i in breaks if fits_greedy_wrap(lines[i], lines[i + 1], width, hard_cut)}
    joined = [i for i in sorted(fitting) if _join(lines, i, fitting, width, hard_cut)]
    return _runs(lines, joined, width, hard_cut)


def _hard_cut_context(
    lines: Sequence[str], breaks: Sequence[int], width: int
) -> Collection[str] | None:
    """The words the document uses twice, if clear breaks show the wrapper's width is
    below width + 1: breaks whose next word would have fitted into width + 1
    (`len(line) + 1 + len(word) == width + 1`). Two are asked for, so one coincidence
    proves nothing. None otherwise (no hard cuts)."""
    found = 0
    for i in breaks:
        line, next_line = lines[i], lines[i + 1]
        if len(line) + len(_first_word(next_line)) == width and is_evidence_break(line, next_line):
            found += 1
            if found >= _WIDER_RULED_OUT:
                counts = Counter(_WORD.findall("\n".join(lines)))
                return {word for word, count in counts.items() if count > 1}
    return None


def _join(
    lines: Sequence[str],
    i: int,
    fitting: set[int],
    width: int,
    hard_cut: Collection[str] | None,
) -> bool:
    line, next_line = lines[i], lines[i + 1]
    if is_clear_break(line, next_line) or is_long_word_cut(line, next_line, width, hard_cut):
        return True
    if _SENTENCE_END.search(line):
        # A sentence end before a capitalised line is as likely a paragraph end whose
        # length happens to fit: leave it split (both parts are whole sentences). An
        # abbreviation going on in lowercase (`z. B.`, `etc.`, `Sept.`) is joined.
        return _ABBREVIATION_END.search(line) is not None and is_clear_break("", next_line)
    # Mid-sentence but a capitalised or numeric next line (German nouns, names): the line
    # must sit inside a wrapped run (wrapped on both sides), or read as running prose (ends
    # in a lowercase word or a comma) next to one, so a heading is not joined to a
    # wrapped paragraph below it.
    before, after = i - 1 in fitting, i + 1 in fitting
    prose = _PROSE_END.search(line) is not None
    return (before and after) or (prose and (before or after))


def _runs(
    lines: Sequence[str], joined: Sequence[int], width: int, hard_cut: Collection[str] | None
) -> list[WrappedRun]:
    runs: list[WrappedRun] = []
    for i in joined:
        glue = "" if is_long_word_cut(lines[i], lines[i + 1], width, hard_cut) else " "
        if runs and runs[-1].last == i:
            runs[-1] = WrappedRun(runs[-1].first, i + 1, runs[-1].glue + (glue,))
        else:
            runs.append(WrappedRun(i, i + 1, (glue,)))
    return runs
