"""Character classes for the `chrome` cleaner's page-level feature pass.

`_chrome_fast_page` measures a page as one array of code points: a lookup table gives
every character its classes (bits below) and per-line counts come from cumulative sums,
instead of one Python-level test per line and feature. The classes are taken from the
same definitions the per-line code uses (the regex engine's `\\w`, `\\s`, `\\d`; `str`'s
`isdigit`/`isalpha`; the literal character sets of `_chrome_features`), so both agree.

The table covers the Basic Multilingual Plane (built once, ~20 ms); the few characters
above it that a page holds (emoji, historic scripts) are classed one by one.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from functools import cache, lru_cache

import numpy as np
import numpy.typing as npt
from cleankit.plugins._chrome_features import (
    CLOSERS,
    CLOSING_QUOTES,
    GLUE_LOWER_CHARS,
    GLUE_UPPER_CHARS,
    MENU_CHARS,
    OPENING_QUOTES,
    SENTENCE_ENDERS,
    SENTENCE_MARK_CLOSERS,
    SENTENCE_MARKS,
)
from cleankit.plugins._chrome_triggers import PATTERN_CHARS

WORD = 1  # regex `\w`
DIGIT = 2  # str.isdigit
NONDIGIT_WORD = 4  # `\w` but not str.isdigit (a letter, or a numeral that is not a digit)
SPACE = 8  # regex `\s` (str.isspace)
MARK = 16  # final punctuation of a sentence (`_SENTENCE_MARK`)
MARK_CLOSER = 32  # a quote or bracket that may follow it
PATTERN = 64  # a character some `regex` trigger needs
MENU = 128  # a menu-item separator
GLUE_LOWER = 256  # `_GLUED_WORDS`' lower-case class
GLUE_UPPER = 512  # `_GLUED_WORDS`' upper-case class (also `_DATELINE`'s first character)
DECIMAL = 1024  # regex `\d`
CLOSER = 2048  # stripped before the final punctuation (`_endings`)
ENDER = 4096  # final punctuation (`_SENTENCE_ENDERS`)
OPENING_QUOTE = 8192
CLOSING_QUOTE = 16384
LINK_FIRST = 32768  # begins `http://`, `https://` or `www.`
LINK_LAST = 65536  # ends `>>` or `→`

_BMP = 0x10000
_SETS = (
    (SENTENCE_MARKS, MARK),
    (SENTENCE_MARK_CLOSERS, MARK_CLOSER),
    ("".join(PATTERN_CHARS), PATTERN),
    ("".join(MENU_CHARS), MENU),
    (GLUE_LOWER_CHARS, GLUE_LOWER),
    (GLUE_UPPER_CHARS, GLUE_UPPER),
    (CLOSERS, CLOSER),
    ("".join(SENTENCE_ENDERS), ENDER),
    ("".join(OPENING_QUOTES), OPENING_QUOTE),
    ("".join(CLOSING_QUOTES), CLOSING_QUOTE),
    ("hw", LINK_FIRST),
    (">→", LINK_LAST),
)
_REGEX_CLASSES = ((r"\w", WORD), (r"\s", SPACE), (r"\d", DECIMAL))

Codes = npt.NDArray[np.uint32]


@cache
def tables() -> tuple[npt.NDArray[np.uint32], Codes]:
    """(class bits of every BMP character, its word-translation: itself when `\\w`, else a
    space; `\\n` stays `\\n`)."""
    chars = "".join(map(chr, range(_BMP)))
    bits = np.zeros(_BMP, dtype=np.uint32)
    for pattern, bit in _REGEX_CLASSES:
        # The regex engine's own answer for every character: matched ones become NUL.
        hits = re.sub(pattern, "\0", chars).encode("utf-32-le", "surrogatepass")
        bits[np.frombuffer(hits, dtype=np.uint32) == 0] |= bit
    bits[0] = _char_bits("\0")  # NUL itself: not a hit above
    bits[np.fromiter(map(str.isdigit, chars), dtype=bool, count=_BMP)] |= DIGIT
    bits[((bits & WORD) != 0) & ((bits & DIGIT) == 0)] |= NONDIGIT_WORD
    for members, bit in _SETS:
        bits[[ord(c) for c in members]] |= bit
    words = np.where(bits & WORD, np.arange(_BMP, dtype=np.uint32), np.uint32(32))
    words[10] = 10
    return bits, words.astype(np.uint32)


def _char_bits(char: str) -> int:
    bits = 0
    for pattern, bit in _REGEX_CLASSES:
        if re.fullmatch(pattern, char):
            bits |= bit
    bits |= DIGIT if char.isdigit() else 0
    bits |= NONDIGIT_WORD if bits & WORD and not char.isdigit() else 0
    for members, bit in _SETS:
        bits |= bit if char in members else 0
    return bits


@lru_cache(maxsize=4096)
def bits_above(code: int) -> int:
    """Class bits of a code point above the BMP (the table's range)."""
    return _char_bits(chr(code))


def classes(codes: Codes) -> npt.NDArray[np.uint32]:
    """Class bits of every code point."""
    return _lookup(tables()[0], codes, bits_above)


def word_translation(codes: Codes) -> Codes:
    """Every `\\w` code point kept, every other one a space, `\\n` kept."""
    return _lookup(tables()[1], codes, lambda code: code if bits_above(code) & WORD else 32)


def _lookup(table: Codes, codes: Codes, above: Callable[[int], int]) -> Codes:
    """`table[codes]`, with `above(code)` for the code points above the BMP."""
    if codes.size == 0 or int(codes.max()) < _BMP:
        return np.take(table, codes)  # (`take` is about twice as fast as indexing)
    out = np.take(table, np.minimum(codes, _BMP - 1))
    high = np.flatnonzero(codes >= _BMP)
    for code in np.unique(codes[high]).tolist():
        out[high[codes[high] == code]] = above(code)
    return out


def code_points(text: str) -> Codes:
    """The text's code points (lone surrogates included: they are `\\W`)."""
    return np.frombuffer(text.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
