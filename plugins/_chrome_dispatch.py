"""First-character dispatch for the `starts` trigger patterns of the `chrome` cleaner.

All categories' `starts` patterns form one alternation matched at the start of every
short line. The regex engine tries its ~100 branches one after the other (about 1 µs a
line, the largest single cost of the cleaner). Each branch can only begin with a few
characters, so the alternation is split by first character: a line is matched against
the few branches its first character allows, and most lines against none. The result is
the same as the full alternation's, category for category.

The first characters are read from the pattern text by `first_chars`, a reader of the
small regex subset the data file uses (literals, escapes, classes, groups, alternation,
quantifiers, anchors). Anything else makes it answer "any character", which only costs
speed: such a pattern sends every line to the full alternation.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

try:
    from re import _parser as _sre_parser  # type: ignore[attr-defined]
except ImportError:  # Python 3.10
    import sre_parse as _sre_parser

DIGIT = "\\d"  # marker in a first-character set: any decimal digit
_RANGE_MAX = 256
_ZERO_WIDTH = frozenset("bBAZ")  # \b \B \A \Z
_QUANTIFIER_START = frozenset("?*+{")
_LOOK_AROUND = ("?=", "?!", "?<=", "?<!")

# Builds one alternation from per-category pattern lists (`_chrome_triggers._combined`).
Combine = Callable[[list[list[str]]], re.Pattern[str]]
# What can begin a piece of pattern: (first characters, can it match the empty string?),
# or None when that is not a small known set.
Firsts = tuple[set[str], bool] | None


class StartsDispatch:
    """`match(text)`: what the combined `starts` alternation would match at text[0]."""

    def __init__(self, pattern_lists: list[list[str]], combine: Combine) -> None:
        self._any = combine(pattern_lists)  # for patterns whose first character is open
        by_char: dict[str, list[list[str]]] = {}
        digit_lists: list[list[str]] = [[] for _ in pattern_lists]
        self._open = False
        self._prefixes: dict[str, frozenset[str]] = {}
        for n, patterns in enumerate(pattern_lists):
            for pattern in patterns:
                firsts = first_chars(pattern)
                if firsts is None:
                    self._open = True
                    continue
                self._add_prefixes(pattern, firsts)
                for char in firsts:
                    digit = char == DIGIT or char.isdigit()  # digits are matched as a group
                    target = digit_lists if digit else _slot(by_char, char, pattern_lists)
                    if pattern not in target[n]:
                        target[n].append(pattern)
        self._digit = combine(digit_lists) if any(digit_lists) else None
        self._by_char = {char: combine(lists) for char, lists in by_char.items()}

    def prefixes(self) -> tuple[dict[str, frozenset[str]], bool] | None:
        """Strings one of which begins every match that does not begin with a digit,
        by first character, and whether a match can begin with a digit; None when any
        character can begin one. A line starting with none of them (nor a digit, when
        digits can begin a match) has no match: a pre-filter for `match`."""
        if self._open:
            return None
        return self._prefixes, self._digit is not None

    def _add_prefixes(self, pattern: str, firsts: set[str]) -> None:
        found = literal_prefixes(pattern) or firsts  # first characters: 1-char prefixes
        for prefix in found:
            first = prefix[0]
            if prefix != DIGIT and not first.isdigit():  # digits: the `_digit` group
                known = self._prefixes.get(first, frozenset())
                self._prefixes[first] = _shortest(known | {prefix})

    def match(self, text: str) -> re.Match[str] | None:
        if self._open:
            return self._any.match(text)
        first = text[:1]
        if self._digit is not None and first.isdigit():
            return self._digit.match(text)
        pattern = self._by_char.get(first)
        return None if pattern is None else pattern.match(text)

    def matches(self, texts: list[str]) -> list[bool]:
        """For each text, whether `match(text)` finds something (one call per page)."""
        if self._open:
            return [self._any.match(t) is not None for t in texts]
        pattern_for, digit = self._by_char.get, self._digit
        return [
            ((pattern := pattern_for(t[:1])) is not None and pattern.match(t) is not None)
            or (digit is not None and t[:1].isdigit() and digit.match(t) is not None)
            for t in texts
        ]


class FirstCharSearch:
    """`search(text)`: what `combined.search(text)` finds, found faster. Python's regex
    engine scans an alternation of named groups by trying every branch at every position;
    when every pattern can only begin with a few known characters, a one-class regex finds
    those positions (the engine skips the others quickly) and the alternation is matched
    there only, in order: the first match is the leftmost, as `search`'s is."""

    def __init__(self, patterns: list[str], combined: re.Pattern[str]) -> None:
        self._combined = combined
        firsts: set[str] = set()
        self._starts: re.Pattern[str] | None = None
        for pattern in patterns:
            found = first_chars(pattern)
            if found is None:
                return  # an open first character: plain `search`
            firsts |= found
        if firsts:
            chars = "".join(sorted(re.escape(c) for c in firsts if c != DIGIT))
            self._starts = re.compile("[" + chars + ("\\d" if DIGIT in firsts else "") + "]")

    def search(self, text: str) -> re.Match[str] | None:
        if self._starts is None:
            return self._combined.search(text)
        match = self._combined.match
        for start in self._starts.finditer(text):
            found = match(text, start.start())
            if found is not None:
                return found
        return None


_MAX_PREFIXES = 64
_MAX_PREFIX_CHARS = 8


def literal_prefixes(pattern: str) -> frozenset[str] | None:
    """Non-empty strings one of which begins every match of `pattern` (at most 8
    characters each, at most 64), read from the regex parser's tree; None when some match
    can begin otherwise (an open first item, a class like \\d or \\w)."""
    try:
        parsed = _sre_parser.parse(pattern)
        if parsed.state.flags & ~int(re.UNICODE):  # (?i), (?x)...: not literal
            return None
        found, _ = _sequence_prefixes(list(parsed), frozenset({""}))
    except (re.error, TypeError, ValueError, AttributeError):  # not of the known shape
        return None
    if "" in found or not found:
        return None
    return found


# The items of a parsed pattern (`(opcode, argument)` pairs) are read by opcode name.
_Item = tuple[Any, Any]


def _sequence_prefixes(items: list[_Item], prefixes: frozenset[str]) -> tuple[frozenset[str], bool]:
    """The prefixes extended by the literal start of `items`, and whether all of `items`
    was literal (the prefixes are then its whole matches)."""
    for op, arg in items:
        name = str(op)
        if name == "AT":  # an anchor or word boundary matches no character
            continue
        extended = _item_prefixes(name, arg, prefixes)
        if extended is None:
            return prefixes, False
        grown, complete = extended
        if len(grown) > _MAX_PREFIXES or max(map(len, grown)) > _MAX_PREFIX_CHARS:
            return prefixes, False
        prefixes = grown
        if not complete:
            return prefixes, False
    return prefixes, True


def _item_prefixes(
    name: str, arg: Any, prefixes: frozenset[str]
) -> tuple[frozenset[str], bool] | None:
    """`prefixes` extended by one item: a literal, a class of literals, a group, an
    alternation, an optional or repeated item; None for anything else."""
    if name == "LITERAL":
        return frozenset(p + chr(arg) for p in prefixes), True
    if name == "IN":
        chars = _class_chars(arg)
        if chars is None:
            return None
        return frozenset(p + c for p in prefixes for c in chars), True
    if name == "SUBPATTERN":
        _group, add_flags, del_flags, sub = arg
        return None if add_flags or del_flags else _sequence_prefixes(list(sub), prefixes)
    if name == "BRANCH":
        results = [_sequence_prefixes(list(sub), prefixes) for sub in arg[1]]
        return frozenset().union(*(r[0] for r in results)), all(r[1] for r in results)
    if name in ("MAX_REPEAT", "MIN_REPEAT"):
        low, high, sub = arg
        once, complete = _sequence_prefixes(list(sub), prefixes)
        if low == 0 and high == 1:  # optional: with it or without it
            return once | prefixes, complete
        return (once, False) if low >= 1 else None
    return None


def _shortest(prefixes: frozenset[str]) -> frozenset[str]:
    """The prefixes no other one of them begins (`more` covers `more from`)."""
    return frozenset(p for p in prefixes if not any(p.startswith(q) and p != q for q in prefixes))


def _class_chars(arg: list[_Item]) -> set[str] | None:
    chars: set[str] = set()
    for op, value in arg:
        name = str(op)
        if name == "LITERAL":
            chars.add(chr(value))
        elif name == "RANGE" and value[1] - value[0] < _MAX_PREFIXES:
            chars.update(map(chr, range(value[0], value[1] + 1)))
        else:
            return None
    return chars


def _slot(
    by_char: dict[str, list[list[str]]], char: str, pattern_lists: list[list[str]]
) -> list[list[str]]:
    if char not in by_char:
        by_char[char] = [[] for _ in pattern_lists]
    return by_char[char]


def first_chars(pattern: str) -> set[str] | None:
    """The characters a match of `pattern` can begin with (`\\d` standing for any digit),
    or None when that is not a small known set (the pattern may match the empty string,
    or begins with something this reader does not know, such as \\w or inline flags)."""
    reader = _Reader(pattern)
    found = reader.alternation()
    if found is None or reader.pos != len(pattern) or found[1] or not found[0]:
        return None
    return found[0]


class _Reader:
    """Recursive descent over the pattern text; every method returns `Firsts`."""

    def __init__(self, pattern: str) -> None:
        self.text = pattern
        self.pos = 0

    def peek(self) -> str:
        return self.text[self.pos : self.pos + 1]

    def alternation(self) -> Firsts:
        chars: set[str] = set()
        empty, known = False, True
        while True:
            branch = self.sequence()
            if branch is None:
                known = False
            else:
                chars |= branch[0]
                empty = empty or branch[1]
            if self.peek() != "|":
                return (chars, empty) if known else None
            self.pos += 1

    def sequence(self) -> Firsts:
        """Items up to `|`, `)` or the end; the first characters come from the items
        up to and including the first one that cannot match empty (the rest is read
        only to find the end)."""
        chars: set[str] = set()
        empty, known = True, True
        while self.peek() not in ("", "|", ")"):
            item = self.quantified()
            if not (empty and known):
                continue
            if item is None:
                known = False
            else:
                chars |= item[0]
                empty = item[1]
        return (chars, empty) if known else None

    def quantified(self) -> Firsts:
        item = self.atom()
        if self.peek() not in _QUANTIFIER_START:
            return item
        optional = self.quantifier()
        if item is None or optional is None:
            return None
        return item[0], item[1] or optional

    def quantifier(self) -> bool | None:
        """Skip a quantifier; True when it allows zero repetitions."""
        char = self.peek()
        self.pos += 1
        if char == "{":
            end = self.text.find("}", self.pos)
            low = self.text[self.pos : end].split(",")[0] if end > 0 else "x"
            if not low.isdigit():
                return None
            self.pos = end + 1
            optional = int(low) == 0
        else:
            optional = char != "+"
        if self.peek() in ("?", "+"):  # lazy or possessive
            self.pos += 1
        return optional

    def atom(self) -> Firsts:
        char = self.peek()
        self.pos += 1
        if char == "\\":
            return self.escape(in_class=False)
        if char == "[":
            return self.char_class()
        if char == "(":
            return self.group()
        if char in ("^", "$"):
            return set(), True
        if char == ".":
            return None
        return {char}, False

    def escape(self, in_class: bool) -> Firsts:
        char = self.peek()
        self.pos += 1
        if char == "d":
            return {DIGIT}, False
        if char in _ZERO_WIDTH and not in_class:
            return set(), True
        if char.isalnum() or not char:
            return None  # \w \s \n \x41 ... : not a small known set
        return {char}, False

    def group(self) -> Firsts:
        zero_width = False
        if self.text.startswith("?:", self.pos):
            self.pos += 2
        elif self.text.startswith("?P<", self.pos):
            self.pos = self.text.find(">", self.pos) + 1
        elif self.text.startswith(_LOOK_AROUND, self.pos):
            # A look-around matches no character: what follows it begins the match.
            self.pos += next(len(o) for o in _LOOK_AROUND if self.text.startswith(o, self.pos))
            zero_width = True
        elif self.peek() == "?":
            self.pos = len(self.text)  # flags, conditionals: give up on the pattern
            return None
        found = self.alternation()
        if self.peek() != ")":
            self.pos = len(self.text) + 1  # unbalanced: `first_chars` says None
            return None
        self.pos += 1
        if zero_width:
            return set(), True
        return found

    def char_class(self) -> Firsts:
        """A class of literal characters, ranges and \\d; negated or \\w-like: None."""
        known = self.peek() != "^"
        chars: set[str] = set()
        start = self.pos
        while self.peek() and (self.pos == start or self.peek() != "]"):
            char = self.peek()
            self.pos += 1
            if char == "\\":
                found = self.escape(in_class=True)
                known = known and found is not None
                chars |= found[0] if found is not None else set()
            elif self.peek() == "-" and self.text[self.pos + 1 : self.pos + 2] not in ("]", ""):
                last = self.text[self.pos + 1]
                self.pos += 2
                known = known and last != "\\" and 0 <= ord(last) - ord(char) < _RANGE_MAX
                chars.update(chr(c) for c in range(ord(char), ord(last) + 1) if known)
            else:
                chars.add(char)
        if not self.peek():
            self.pos = len(self.text) + 1  # unterminated: `first_chars` says None
            return None
        self.pos += 1
        return (chars, False) if known else None
