"""Screen a whole document's paragraphs at once: which of them may need any repair?

Most paragraphs need nothing, and calling the per-paragraph screen on each costs more
Python overhead than the screening itself. `DocumentScreen.suspects` screens all the
paragraphs joined by "\\n" in a few C-level passes (one encode, one `bytes.translate`,
substring tests, a regex over the short string of non-ASCII runs); only when that finds
something are the paragraphs screened one by one. Like the per-paragraph screen it may
answer "suspect" wrongly, never "clean" wrongly: a cleared paragraph is one
`ParagraphRepairer.repair` returns unchanged (tested on the corpus and generated text).

Why the joined text stands for its parts: "\\n" neither composes nor reorders under any
normalisation form, it separates the non-ASCII runs (so no bad pair spans two
paragraphs), and a paragraph holding "\\n" itself is caught by counting them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Sequence
from typing import Literal

import numpy as np

Normalization = Literal["NFC", "NFD", "NFKC", "NFKD"]

# Combining marks that compose with a preceding ASCII character (`e` + U+0301 -> `é`).
# The runs below replace ASCII by a space, so a text holding one of these must be checked
# for normalisation in full. Every second element of a canonical composition whose first
# element is ASCII lies in this block (a test checks it against the Unicode database).
COMPOSES_WITH_ASCII = "\u0300-\u036f"

# Anything ftfy's `HTML_ENTITY_RE` (`&#?[0-9A-Za-z]{1,24};`) or the own entity fix
# (names of up to 32 characters) could decode. A bare `&` or `;` is no reason to look.
_ENTITY_LIKE = re.compile(r"&#?[0-9A-Za-z]{1,32};")


def has_entity_like(text: str) -> bool:
    return "&" in text and _ENTITY_LIKE.search(text) is not None


# For the joined text's UTF-8 bytes: printable ASCII other than the space becomes "\t",
# so `split()` leaves only non-ASCII bytes and controls, in order; "\n" becomes a space,
# so one search for two spaces finds a double space and a space at a paragraph's end or
# start. Other ASCII whitespace becomes \x01, so it stays visible as a control.
_PRINTABLE_BUT_SPACE = bytes(range(0x21, 0x7F))
_JOINED_TABLE = bytes.maketrans(
    _PRINTABLE_BUT_SPACE + b"\n\t\x0b\x0c\r",
    b"\t" * len(_PRINTABLE_BUT_SPACE) + b" " + b"\x01" * 4,
)


_SPACE = ord(" ")
_VECTORISE_FROM = 1024


def joined_runs(joined: str) -> tuple[bytes, str]:
    """(the translated bytes, the non-ASCII runs with a space wherever ASCII stood)."""
    mapped = joined.encode("utf-8", "surrogatepass").translate(_JOINED_TABLE)
    return mapped, b" ".join(mapped.split()).decode("utf-8", "surrogatepass")


def has_spacing_to_fix(mapped: bytes) -> bool:
    """A double space or a space at either end of a paragraph (`mapped` as above; an
    empty paragraph shows as two spaces too, a harmless false alarm). On a long text a
    vectorised test: a substring search for two spaces is slow where every sixth
    character is a space."""
    if mapped[:1] == b" " or mapped[-1:] == b" ":
        return True
    if len(mapped) < _VECTORISE_FROM:
        return b"  " in mapped
    spaces = np.frombuffer(mapped, np.uint8) == _SPACE
    return bool((spaces[1:] & spaces[:-1]).any())


class DocumentScreen:
    """Finds the paragraphs of a document that may need repair.

    `suspect_class` is a regex class of every character that could make ftfy or an own
    fix act (the per-paragraph screen's), `has_bad_pair(runs)` the badness pair test (it
    must be complete: `BadnessPrefilter.sound`), `normalization` the form ftfy applies.
    """

    def __init__(
        self,
        suspect_class: str,
        has_bad_pair: Callable[[str], bool],
        normalization: Normalization | None,
    ) -> None:
        self._suspect = re.compile(f"{suspect_class}|[{COMPOSES_WITH_ASCII}]")
        self._has_bad_pair = has_bad_pair
        self._form = normalization

    def all_clean(self, texts: Sequence[str], joined: str | None = None) -> bool:
        """True only if no paragraph can need any repair. Then no text has whitespace at
        either end either. `joined`, if given, must be `"\\n".join(texts)`."""
        if joined is None:
            joined = "\n".join(texts)
        if joined.count("\n") != len(texts) - 1:
            return False  # a paragraph holding a line break: needs the line_breaks fix
        if has_entity_like(joined):
            return False
        mapped, runs = joined_runs(joined)
        if has_spacing_to_fix(mapped):
            return False
        if not runs:
            return True
        if self._suspect.search(runs):
            return False
        if self._form is not None and not unicodedata.is_normalized(self._form, runs):
            return False
        # `runs[1::2]` is all spaces when no two non-ASCII characters are adjacent.
        return not (runs[1::2].strip() and self._has_bad_pair(runs))
