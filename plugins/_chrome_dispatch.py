"""First-character dispatch for the `starts` trigger patterns of the `chrome` cleaner.

All categories' `starts` patterns form one alternation matched at the start of every
short line. The regex engine tries its ~100 branches one after the other (about 1 µs a
line, the largest single cost of the cleaner). Each branch can only begin with a few
characters, read from its parse tree, so the alternation is split by first character:
a line is matched against the few branches its first character allows, and most lines
against none. The result is the same as the full alternation's, category for category.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

try:
    import re._parser as sre_parse  # Python 3.11+
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse  # type: ignore[no-redef]

_P: Any = sre_parse  # opcodes (LITERAL, IN...) are this module's attributes in 3.10-3.13

_DIGIT = "\\d"  # marker in a first-character set: any decimal digit
_RANGE_MAX = 256

# Builds one alternation from per-category pattern lists (`_chrome_features._combined`).
Combine = Callable[[list[list[str]]], re.Pattern[str]]


class StartsDispatch:
    """`match(text)`: what the combined `starts` alternation would match at text[0]."""

    def __init__(self, pattern_lists: list[list[str]], combine: Combine) -> None:
        self._any = combine(pattern_lists)  # for patterns whose first character is open
        by_char: dict[str, list[list[str]]] = {}
        digit_lists: list[list[str]] = [[] for _ in pattern_lists]
        self._open = False
        for n, patterns in enumerate(pattern_lists):
            for pattern in patterns:
                firsts = first_chars(pattern)
                if firsts is None:
                    self._open = True
                    continue
                for char in firsts:
                    target = digit_lists if char == _DIGIT else _slot(by_char, char, pattern_lists)
                    target[n].append(pattern)
        self._digit = combine(digit_lists) if any(digit_lists) else None
        self._by_char = {char: combine(lists) for char, lists in by_char.items()}

    def match(self, text: str) -> re.Match[str] | None:
        if self._open:
            return self._any.match(text)
        first = text[:1]
        if self._digit is not None and first.isdigit():
            return self._digit.match(text)
        pattern = self._by_char.get(first)
        return None if pattern is None else pattern.match(text)


def _slot(
    by_char: dict[str, list[list[str]]], char: str, pattern_lists: list[list[str]]
) -> list[list[str]]:
    if char not in by_char:
        by_char[char] = [[] for _ in pattern_lists]
    return by_char[char]


def first_chars(pattern: str) -> set[str] | None:
    """The characters a match of `pattern` can begin with (`\\d` standing for any digit),
    or None when that is not a small known set (the pattern may match the empty string,
    or begins with a class such as \\w)."""
    found = _sequence(list(sre_parse.parse(pattern)))
    if found is None or found[1] or not found[0]:
        return None
    return found[0]


def _sequence(items: list[Any]) -> tuple[set[str], bool] | None:
    """(first characters, can the sequence match empty?) of a parsed sequence."""
    chars: set[str] = set()
    for op, av in items:
        found = _item(op, av)
        if found is None:
            return None
        chars |= found[0]
        if not found[1]:
            return chars, False
    return chars, True


def _item(op: Any, av: Any) -> tuple[set[str], bool] | None:
    if op is _P.LITERAL:
        return {chr(av)}, False
    if op is _P.IN:
        return _char_class(av)
    if op is _P.AT:  # an anchor or \b: zero width
        return set(), True
    if op is _P.SUBPATTERN:
        return _sequence(list(av[3]))
    if op is _P.MAX_REPEAT or op is _P.MIN_REPEAT:
        inner = _sequence(list(av[2]))
        return None if inner is None else (inner[0], inner[1] or av[0] == 0)
    if op is _P.BRANCH:
        chars: set[str] = set()
        empty = False
        for branch in av[1]:
            found = _sequence(list(branch))
            if found is None:
                return None
            chars |= found[0]
            empty = empty or found[1]
        return chars, empty
    return None


def _char_class(items: list[Any]) -> tuple[set[str], bool] | None:
    chars: set[str] = set()
    for op, av in items:
        if op is _P.LITERAL:
            chars.add(chr(av))
        elif op is _P.RANGE and av[1] - av[0] < _RANGE_MAX:
            chars.update(chr(c) for c in range(av[0], av[1] + 1))
        elif op is _P.CATEGORY and av is _P.CATEGORY_DIGIT:
            chars.add(_DIGIT)
        else:
            return None
    return chars, False
