"""`measure_page` with the compiled page pass (`_chrome_native.c`), for the `chrome` cleaner.

The extension walks the page's code points once and returns, per line, the counts and
flags the numpy pass of `_chrome_fast_page` computes (words, stopwords, endings, sentence
marks, label colon...), plus the lines each regex feature and the trigger phrases must
still be tried on; those few are tried here, with the same functions the other passes
use. Tokens are looked up in the extension's own hash table of the stoplist, the trigger
anchors and the `ends` words (`word_table`, built once per stoplist), so no Python string
is made per token.

`NATIVE` is None when the extension was not built (no C compiler), when
`CLEANKIT_NO_NATIVE` is set (dedup's switch too), or when its constants differ from
`_chrome_fast_chars`' and `_chrome_triggers`' (a stale build); then the numpy pass runs.
`tests/test_chrome_native.py` checks all three passes agree.
"""

from __future__ import annotations

import os
import re
from array import array
from collections.abc import Callable
from functools import lru_cache
from itertools import repeat
from types import ModuleType
from typing import Any, TypeVar

from cleankit.plugins import _chrome_fast_chars as chars_module
from cleankit.plugins import _chrome_triggers as triggers_module
from cleankit.plugins._chrome_dispatch import StartsDispatch
from cleankit.plugins._chrome_fast_chars import bits_above, tables
from cleankit.plugins._chrome_features import (
    _DATE_ONLY,
    _DATELINE,
    _GLUED_WORDS,
    _SIGNATURE,
    DATE_MAX_CHARS,
    DATELINE_MIN_CHARS,
    GLUED_MAX_WORDS,
    GLUED_MIN_CHARS,
    LABEL_CHARS,
    LINK_MAX_CHARS,
    MARKS_MIN_CHARS,
    SIGNATURE_MAX_CHARS,
    Features,
    _line_link_shaped,
    _line_menu_separators,
)
from cleankit.plugins._chrome_triggers import Trigger, TriggerSet, page_triggers_flagged

_CLASS_NAMES = (
    "WORD", "DIGIT", "NONDIGIT_WORD", "SPACE", "MARK", "MARK_CLOSER", "PATTERN", "MENU",
    "GLUE_LOWER", "GLUE_UPPER", "DECIMAL", "CLOSER", "ENDER", "OPENING_QUOTE",
    "CLOSING_QUOTE", "LINK_FIRST", "LINK_LAST",
)  # fmt: skip
_FLAG_NAMES = ("HAS_ANCHOR", "HAS_ENDS_WORD", "HAS_PATTERN_CHAR", "MAY_START")
TOKEN_STOP, TOKEN_ANCHOR, TOKEN_ENDS = 1, 2, 4
_LIMITS = (
    DATE_MAX_CHARS,
    DATELINE_MIN_CHARS,
    GLUED_MAX_WORDS,
    GLUED_MIN_CHARS,
    LABEL_CHARS,
    LINK_MAX_CHARS,
    MARKS_MIN_CHARS,
    SIGNATURE_MAX_CHARS,
)


def expected_constants() -> dict[str, int]:
    """The constants the extension must have been built with."""
    found = {name: getattr(chars_module, name) for name in _CLASS_NAMES}
    found |= {name: getattr(triggers_module, name) for name in _FLAG_NAMES}
    return found | {
        "TOKEN_STOP": TOKEN_STOP,
        "TOKEN_ANCHOR": TOKEN_ANCHOR,
        "TOKEN_ENDS": TOKEN_ENDS,
    }


def _load_native() -> ModuleType | None:
    """The compiled page pass, unless it was not built, `CLEANKIT_NO_NATIVE` is set, or
    it was built against other constants."""
    if os.environ.get("CLEANKIT_NO_NATIVE"):
        return None
    try:
        from cleankit.plugins import _chrome_native
    except ImportError:
        return None
    if _chrome_native.constants() != expected_constants():
        return None
    return _chrome_native


NATIVE = _load_native()

_T = TypeVar("_T")
_WORD_TABLES: dict[tuple[frozenset[str], frozenset[str], frozenset[str]], Any] = {}
_FLAG_DICTS: dict[tuple[frozenset[str], frozenset[str], frozenset[str]], dict[str, int]] = {}
_TABLES_MAX = 64  # stoplists (languages) kept; a page's own stoplist is a new one


def measure_page(
    texts: list[str], stopwords: frozenset[str], tset: TriggerSet
) -> list[Features] | None:
    """`measure_page_reference(texts, ...)` by the compiled pass, or None when it is not
    available or the page is one it does not handle (a text holding a line break, an
    empty text)."""
    native = NATIVE
    if native is None:
        return None
    if not texts:
        return []
    page = "\n".join(texts)
    chars = list(map(len, texts))
    if page.count("\n") != len(texts) - 1 or 0 in chars:
        return None
    # `\n` is neither cased nor case-ignorable: the lower-cased page is the lower-cased
    # lines joined (see `_chrome_fast_page`).
    lower_page = page.lower()
    starts_index, starts_groups, starts_digit = _starts_table(tset.starts)
    columns, tries = native.measure(
        page,
        lower_page,
        len(texts),
        tables()[0],
        bits_above,
        _word_table(native, stopwords, tset),
        starts_index,
        starts_groups,
        starts_digit,
        (*_LIMITS, tset.scan_chars),
    )
    words, stop, density, end, truncated, full_stop, quoted, marks, letters, labelled, lowers = (
        columns
    )
    menu, glued, date, dateline, signature, link, trigger, trigger_flags, anchor_words = tries
    triggers: list[Trigger | None] = [None] * len(texts)
    specific = [False] * len(texts)
    for i, (trig, strong) in page_triggers_flagged(
        lowers, trigger, trigger_flags, anchor_words, tset
    ):
        triggers[i], specific[i] = trig, strong
    columns = zip(
        chars,
        words,
        stop,
        density,
        end,
        truncated,
        full_stop,
        quoted,
        marks,
        tried(texts, menu, _line_menu_separators, 0),
        tried(texts, glued, glued_count, 0),
        letters,
        tried(texts, date, matcher(_DATE_ONLY), False),
        labelled,
        tried(texts, dateline, matcher(_DATELINE), False),
        tried(texts, signature, matcher(_SIGNATURE), False),
        tried(lowers, link, _line_link_shaped, False),
        triggers,
        specific,
        strict=True,
    )
    return list(map(tuple.__new__, repeat(Features), columns))


def tried(
    texts: list[str], lines: list[int], feature: Callable[[str], _T], default: _T
) -> list[_T]:
    """`feature` of the listed lines, `default` for the others (which cannot have it)."""
    found = [default] * len(texts)
    for i in lines:
        found[i] = feature(texts[i])
    return found


def glued_count(text: str) -> int:
    """`_glued_words` of a line that holds a lower-upper-lower triple."""
    return 0 if text[1:].islower() else len(_GLUED_WORDS.findall(text))


@lru_cache(maxsize=8)
def matcher(pattern: re.Pattern[str]) -> Callable[[str], bool]:
    match = pattern.match
    return lambda text: match(text) is not None


def token_flags(stopwords: frozenset[str], tset: TriggerSet) -> dict[str, int]:
    """Per word: `TOKEN_STOP` when a stopword, `TOKEN_ANCHOR` when a trigger anchor word,
    `TOKEN_ENDS` when some `ends` pattern finishes on it (built once per stoplist; the
    numpy pass reads it as a dict, this pass as the extension's hash table)."""
    key = (stopwords, tset.anchors, tset.ends_words)
    return _cached(_FLAG_DICTS, key, lambda: _token_flag_dict(stopwords, tset))


def _token_flag_dict(stopwords: frozenset[str], tset: TriggerSet) -> dict[str, int]:
    flags = dict.fromkeys(stopwords, TOKEN_STOP)
    for words, flag in ((tset.anchors, TOKEN_ANCHOR), (tset.ends_words, TOKEN_ENDS)):
        for word in words:
            flags[word] = flags.get(word, 0) | flag
    return flags


def _word_table(native: ModuleType, stopwords: frozenset[str], tset: TriggerSet) -> Any:
    """The extension's hash table of `token_flags`."""
    key = (stopwords, tset.anchors, tset.ends_words)
    return _cached(_WORD_TABLES, key, lambda: native.word_table(token_flags(stopwords, tset)))


def _cached(cache: dict[Any, _T], key: Any, build: Callable[[], _T]) -> _T:
    """`cache[key]`, built on a miss; the cache is emptied when it holds `_TABLES_MAX`."""
    found = cache.get(key)
    if found is None:
        if len(cache) >= _TABLES_MAX:
            cache.clear()
        found = cache[key] = build()
    return found


@lru_cache(maxsize=8)
def _starts_table(starts: StartsDispatch) -> tuple[bytes, tuple[tuple[str, ...], ...], bool]:
    """The `starts` pre-filter for the extension: for each BMP character, 0 or 1 + the
    index of the prefixes that begin a match starting with it; those prefixes (sorted);
    whether a match can begin with a digit. When any character can begin a match, every
    line is tried (one empty prefix for every character)."""
    found = starts.prefixes()
    if found is None:
        return array("H", [1]).tobytes() * 0x10000, (("",),), True
    by_first, digit = found
    index = array("H", bytes(2 * 0x10000))
    groups = []
    for first in sorted(by_first):
        if ord(first) < 0x10000:
            groups.append(tuple(sorted(by_first[first])))
            index[ord(first)] = len(groups)
    return index.tobytes(), tuple(groups), digit
