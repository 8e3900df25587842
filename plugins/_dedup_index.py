"""The state `dedup` keeps across batches, in flat numpy arrays (no Python object per
paragraph), so its memory is a fixed number of bytes per indexed paragraph.

* `KeyTable`: an open-addressing hash table (linear probing, load <= 1/2) from a 64-bit
  band key (or exact key) to the row of the first paragraph that produced it.
  Cost: 2 to 4 slots x (8 B key + 4 B value) per key (the table doubles at load 1/2).
* `RowStore`: one row per indexed paragraph (document ordinal, paragraph index, the row
  of its kept copy, token count, copy and document counts, and a `sig_bits`-bit
  MinHash signature for estimated verification).
"""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

U64 = NDArray[np.uint64]
I64 = NDArray[np.int64]


class KeyTable:
    """uint64 key -> int32 row; key 0 marks an empty slot (callers never use it)."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        self.keys = np.zeros(capacity, dtype=np.uint64)
        self.values = np.zeros(capacity, dtype=np.int32)
        self.size = 0

    @property
    def nbytes(self) -> int:
        return int(self.keys.nbytes + self.values.nbytes)

    def _home(self, keys: U64) -> I64:
        mask = np.uint64(self.keys.size - 1)
        return ((keys >> np.uint64(17)) & mask).astype(np.int64)

    def assign(self, keys: U64, rows: I64) -> I64:
        """The owner of each key: its value in the table, or for a key new to the table
        the smallest row that carries it (keys may repeat); new keys are inserted.

        Probing in rounds: a key whose slot is empty writes itself there; of several
        keys writing one slot one wins (which one does not matter: equal keys share the
        slot, the table's content is the same either way) and the others probe on."""
        if (self.size + keys.size) * 2 > self.keys.size:
            self._grow(self.size + keys.size)
        slots = self._home(keys)
        mask = self.keys.size - 1
        active = np.arange(keys.size)
        while active.size:
            slot, key = slots[active], keys[active]
            empty = self.keys[slot] == 0
            self.keys[slot[empty]] = key[empty]
            self.values[slot[empty]] = -1  # claimed in this call
            found = self.keys[slot] == key
            active = active[~found]
            slots[active] = (slots[active] + 1) & mask
        owner = self.values[slots]
        fresh = owner == -1
        claimed = slots[fresh]
        self.values[claimed] = np.iinfo(np.int32).max
        np.minimum.at(self.values, claimed, rows[fresh])
        if claimed.size:
            ordered = np.sort(claimed)
            self.size += int(np.count_nonzero(ordered[1:] != ordered[:-1])) + 1
        return self.values[slots].astype(np.int64)

    def insert(self, keys: U64, values: I64) -> None:
        """Insert keys that are distinct and absent from the table."""
        if (self.size + keys.size) * 2 > self.keys.size:
            self._grow(self.size + keys.size)
        pos = self._home(keys)
        active = np.arange(keys.size)
        mask = self.keys.size - 1
        while active.size:
            slot = pos[active]
            free = self.keys[slot] == 0
            slots, first = np.unique(slot[free], return_index=True)
            winners = active[free][first]
            self.keys[slots] = keys[winners]
            self.values[slots] = values[winners]
            placed = np.zeros(keys.size, dtype=np.bool_)
            placed[winners] = True
            active = active[~placed[active]]
            pos[active] = (pos[active] + 1) & mask
        self.size += keys.size

    def _grow(self, needed: int) -> None:
        capacity = self.keys.size
        while needed * 2 > capacity:
            capacity *= 2
        used = self.keys != 0
        old_keys, old_values = self.keys[used], self.values[used]
        self.keys = np.zeros(capacity, dtype=np.uint64)
        self.values = np.zeros(capacity, dtype=np.int32)
        self.size = 0
        self.insert(old_keys, old_values)


class RowStore:
    """Growable columns, one row per indexed paragraph."""

    COLUMNS: dict[str, Any] = {
        "doc": np.int32,  # document ordinal in corpus order
        "para": np.int32,  # paragraph index inside the document
        "rep": np.int32,  # row of the kept copy (itself when it is the kept copy)
        "ntok": np.int32,  # token count of the kept text (grows when a longer copy wins)
        "count": np.int32,  # copies seen so far (on kept-copy rows)
        "ndocs": np.int32,  # documents the paragraph occurred in so far (on kept-copy rows)
        "last_doc": np.int32,  # last document ordinal counted in ndocs
    }

    def __init__(self, sig_width: int, capacity: int = 1 << 14) -> None:
        self.n = 0
        self.cols: dict[str, NDArray[Any]] = {
            name: np.zeros(capacity, dtype=dtype) for name, dtype in self.COLUMNS.items()
        }
        self.sig = np.zeros((capacity, sig_width), dtype=np.uint16)

    @property
    def bytes_per_row(self) -> int:
        fixed = sum(np.dtype(d).itemsize for d in self.COLUMNS.values())
        return int(fixed + self.sig.shape[1] * 2)

    @property
    def nbytes(self) -> int:
        return int(sum(c.nbytes for c in self.cols.values()) + self.sig.nbytes)

    def __getitem__(self, name: str) -> NDArray[Any]:
        return self.cols[name]

    def append(self, sig: NDArray[np.uint16] | None, **columns: NDArray[Any]) -> I64:
        """Append rows; returns their row numbers."""
        m = len(next(iter(columns.values())))
        if self.n + m > self.cols["doc"].size:
            self._grow(self.n + m)
        rows = np.arange(self.n, self.n + m, dtype=np.int64)
        for name, values in columns.items():
            self.cols[name][rows] = values
        if sig is not None:
            self.sig[rows] = sig
        self.n += m
        return rows

    def _grow(self, needed: int) -> None:
        capacity = self.cols["doc"].size
        while needed > capacity:
            capacity *= 2
        for name, col in self.cols.items():
            grown = np.zeros(capacity, dtype=col.dtype)
            grown[: self.n] = col[: self.n]
            self.cols[name] = grown
        sig = np.zeros((capacity, self.sig.shape[1]), dtype=np.uint16)
        sig[: self.n] = self.sig[: self.n]
        self.sig = sig


class ShinglePool:
    """Sorted distinct shingle hashes (32-bit) per row, for exact Jaccard verification.

    Unlike the rest of the index this grows with the text (4 B per distinct shingle)."""

    def __init__(self, capacity: int = 1 << 16) -> None:
        self.data = np.zeros(capacity, dtype=np.uint32)
        self.offsets = np.zeros(1 << 12, dtype=np.int64)
        self.rows = 0

    @property
    def nbytes(self) -> int:
        return int(self.data.nbytes + self.offsets.nbytes)

    def append(self, values: NDArray[np.uint32], lengths: I64) -> None:
        """Append one slice per row (rows in order; empty slices for short paragraphs)."""
        used = int(self.offsets[self.rows])
        self.data = _ensure(self.data, used + values.size)
        self.offsets = _ensure(self.offsets, self.rows + lengths.size + 1)
        self.data[used : used + values.size] = values
        self.offsets[self.rows + 1 : self.rows + lengths.size + 1] = used + np.cumsum(lengths)
        self.rows += lengths.size

    def get(self, row: int) -> NDArray[np.uint32]:
        return self.data[self.offsets[row] : self.offsets[row + 1]]

    def jaccard_pairs(self, rows: I64, others: I64) -> NDArray[np.float64]:
        out = np.zeros(rows.size, dtype=np.float64)
        for k, (row, other) in enumerate(zip(rows.tolist(), others.tolist(), strict=True)):
            mine, theirs = self.get(row), self.get(other)
            inter = np.intersect1d(mine, theirs, assume_unique=True).size
            union = mine.size + theirs.size - inter
            out[k] = inter / union if union else 1.0
        return out


def _ensure(array: NDArray[Any], size: int) -> NDArray[Any]:
    """`array`, or a copy with doubled capacity until it holds `size` entries."""
    if size <= array.size:
        return array
    capacity = array.size
    while capacity < size:
        capacity *= 2
    grown = np.zeros(capacity, dtype=array.dtype)
    grown[: array.size] = array
    return grown
