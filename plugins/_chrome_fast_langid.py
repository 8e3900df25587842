"""py3langid's `classify`, with its byte walk done in C (`_chrome_native.dfa_visits`) or,
when that is not built, by numpy (same answer, ~3x faster).

py3langid counts its byte n-gram features by walking a DFA over the sample in Python,
one byte at a time (~0.7 µs a byte, most of the cost of a call). The DFA is an
Aho-Corasick automaton over n-grams of at most `depth` bytes, so its state after byte i
is the longest suffix of the text so far that is a prefix of some n-gram: it depends only
on the last `depth` bytes. Running the automaton from its start state over each window of
`depth` bytes (all windows at once, one array step per byte of the window) gives every
position's state, and so the same feature counts. The scores are then computed exactly as
py3langid does (same arrays, same order, same operations), so the argmax is identical.

The fast path is used only for the identifier class this was written against, and only
after it agreed with py3langid on a few samples at start-up; otherwise `classify` is
py3langid's own.
"""

from __future__ import annotations

from collections import Counter
from functools import cache
from types import ModuleType
from typing import Any

import numpy as np
import numpy.typing as npt
import py3langid
from py3langid import langid

_SELF_TEST = (
    "The quick brown fox jumps over the lazy dog, said the reporter on Tuesday.",
    "Die Regierung hat am Dienstag neue Maßnahmen beschlossen, teilte ein Sprecher mit.",
    "Le gouvernement a annoncé mardi de nouvelles mesures, a indiqué un porte-parole.",
    "中国外交部发言人周二表示，双方将继续保持沟通。",
    "Правительство объявило во вторник о новых мерах.",
    "x",
)


class _FastIdentifier:
    """The arrays of py3langid's identifier, and its `classify` with a vectorised walk."""

    def __init__(self, ident: Any) -> None:
        self.ident = ident
        moves = ident.tk_nextmove
        self.next_move = np.frombuffer(moves, dtype=np.dtype(moves.typecode))  # no copy
        self.row_base = np.asarray(ident._rowbase, dtype=np.int64)
        self.output = np.asarray(ident.tk_output, dtype=np.int64)
        self.depth = _max_depth(self.next_move, self.row_base)
        table = ident.nb_ptc
        self.width = int(table.shape[1])
        # What the compiled walk and scoring read (else the numpy code runs).
        self.native_ready = (
            self.next_move.dtype == np.uint32
            and table.dtype == np.float16
            and table.ndim == 2
            and table.flags.c_contiguous
            and ident.nb_pc.dtype == np.float32
        )
        self.no_nan = self.native_ready and not bool(np.isnan(table).any())

    def classify(self, text: str) -> str:
        ident = self.ident
        data = ident._encode(text)
        native = _native() if self.native_ready else None
        if native is not None:
            # The same walk and counts in C (`_chrome_native.dfa_visits`).
            visits = native.dfa_visits(data, self.next_move, self.row_base, self.output, self.depth)
        else:
            features = self._features(np.frombuffer(data, dtype=np.uint8))
            visits = Counter(features.tolist())  # in order of first appearance
        if not visits:  # no feature: py3langid's own fallback scores
            return str(ident.classify(text)[0])
        if native is None:
            scores = ident._sparse_score(visits, ident.nb_ptc)  # py3langid's own scoring
        else:
            scores = self._native_score(native, visits)
        for i, j in ident._alias_pairs:
            scores[i] = max(scores[i], scores[j])
            scores[j] = langid.RAW_FLOOR
        return str(ident.nb_classes[int(scores.argmax())])

    def _native_score(self, native: ModuleType, visits: dict[int, int]) -> npt.NDArray[Any]:
        """`ident._sparse_score(visits, ident.nb_ptc)`: `log1p(counts) @ table[idx] + nb_pc`,
        with the float16 rows of the table gathered and converted to float32 in C (numpy
        converts them to float32 for the product too, but ~10x slower)."""
        ident = self.ident
        rows = np.empty((len(visits), self.width), dtype=np.float32)
        native.half_rows(ident.nb_ptc, self.width, visits, rows, self.no_nan)
        counts = np.fromiter(visits.values(), dtype=np.float32, count=len(visits))
        return np.log1p(counts) @ rows + ident.nb_pc  # type: ignore[no-any-return]

    def _features(self, data: npt.NDArray[np.uint8]) -> npt.NDArray[np.int64]:
        """The feature of the state after each byte (`visit_counts`' walk), those with one."""
        size = len(data)
        states = np.zeros(size, dtype=np.int64)
        nbytes = data.astype(np.int64)
        for back in range(min(self.depth, size) - 1, -1, -1):
            # Positions from `back` on take the byte `back` before them.
            window = states[back:]
            states[back:] = np.take(self.next_move, self.row_base[window] + nbytes[: size - back])
        features = self.output[states]
        return features[features >= 0]  # type: ignore[no-any-return]


def _max_depth(
    next_move: npt.NDArray[np.unsignedinteger[Any]], row_base: npt.NDArray[np.int64]
) -> int:
    """The longest n-gram of the automaton: breadth-first distance from the start state
    (a state is reached first by reading its own string)."""
    depth = np.full(len(row_base), -1, dtype=np.int64)
    depth[0] = 0
    frontier = np.zeros(1, dtype=np.int64)
    level = 0
    byte = np.arange(256, dtype=np.int64)
    expanded = np.zeros(int(row_base.max()) // 256 + 1, dtype=np.bool_)
    while frontier.size:
        level += 1
        rows = np.unique(row_base[frontier])
        rows = rows[~expanded[rows // 256]]  # states sharing a row share their moves
        expanded[rows // 256] = True
        reached = np.take(next_move, (rows[:, None] + byte).ravel()).astype(np.int64)
        reached = reached[depth[reached] < 0]
        depth[reached] = level
        frontier = np.flatnonzero(depth == level)
    return level - 1


def _native() -> ModuleType | None:
    """The compiled walk (`_chrome_native`), unless not built or switched off."""
    # Imported here: `_chrome_fast_native` imports (through the triggers) this module.
    from cleankit.plugins import _chrome_fast_native

    return _chrome_fast_native.NATIVE


@cache
def _fast() -> _FastIdentifier | None:
    ident = langid._get_identifier()
    if type(ident) is not langid.LanguageIdentifier or ident._norm_probs:
        return None
    if ident.min_confidence is not None:
        return None
    try:
        fast = _FastIdentifier(ident)
        agrees = all(fast.classify(s) == py3langid.classify(s)[0] for s in _SELF_TEST)
    except (AttributeError, TypeError, ValueError, IndexError):  # another py3langid
        return None
    return fast if agrees else None


def classify(text: str) -> str:
    """`py3langid.classify(text)[0]`."""
    fast = _fast()
    if fast is None:
        return str(py3langid.classify(text)[0])
    return fast.classify(text)
