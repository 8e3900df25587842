"""The state `dedup` keeps across batches, in flat numpy arrays (no Python object per
paragraph), so its memory is at most a fixed number of bytes per indexed paragraph.

* `KeyTable`: an open-addressing hash table (linear probing, load <= 1/2) from a 64-bit
  band key (or exact key) to the row of the first paragraph that produced it.
  Cost: 2 to 4 slots x (8 B key + 4 B value) per key (the table doubles at load 1/2).
* `RowStore`: one row per indexed paragraph (document ordinal, paragraph index, the row
  of its kept copy, token count, copy and document counts), and the 16-bit MinHash
  signatures of the sketched rows for estimated verification.
* `ShinglePool`: the shingle sets, for exact verification.
"""

from __future__ import annotations

from typing import Any

import numpy as np
from cleankit.plugins import _dedup_hashing as hashing
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
        native = hashing.NATIVE  # one switch for all of dedup's compiled kernels
        if native is not None:
            owners = np.empty(keys.size, dtype=np.int64)
            keys, rows = np.ascontiguousarray(keys), np.ascontiguousarray(rows, dtype=np.int64)
            self.size += native.assign(keys, rows, self.keys, self.values, owners)
            return owners
        slots = self._home(keys)
        mask = self.keys.size - 1
        active = np.arange(keys.size)
        slot, key = slots, keys
        while True:
            current = self.keys[slot]
            found = current == key
            empty = np.flatnonzero(current == 0)
            if empty.size:
                claim, claimant = slot[empty], key[empty]
                self.keys[claim] = claimant
                self.values[claim] = -1  # claimed in this call
                found[empty] = self.keys[claim] == claimant  # the key that won the slot
            active = active[~found]
            if not active.size:
                break
            slot = (slots[active] + 1) & mask
            slots[active] = slot
            key = keys[active]
        owner = self.values[slots].astype(np.int64)
        fresh = np.flatnonzero(owner == -1)
        if fresh.size:
            claimed, fresh_rows = slots[fresh], rows[fresh].astype(np.int32)
            self.values[claimed] = np.iinfo(np.int32).max
            np.minimum.at(self.values, claimed, fresh_rows)  # same dtypes: numpy's fast path
            owner[fresh] = self.values[claimed]
            # One winning row per new key (a row's keys are distinct: bands are salted).
            self.size += int(np.count_nonzero(owner[fresh] == fresh_rows))
        return owner

    def _grow(self, needed: int) -> None:
        capacity = self.keys.size
        while needed * 2 > capacity:
            capacity *= 2
        used = self.keys != 0
        old_keys, old_values = self.keys[used], self.values[used]
        self.keys = np.zeros(capacity, dtype=np.uint64)
        self.values = np.zeros(capacity, dtype=np.int32)
        self.size = 0
        self.assign(old_keys, old_values.astype(np.int64))  # distinct keys: all new


class RowStore:
    """Growable columns, one row per indexed paragraph, and the MinHash signatures of the
    sketched rows only (short paragraphs and exact copies have none: on scraped pages that
    is most rows). A row's `slot` points to its signature; slot 0 is an all-zero signature,
    the one every unsketched row has.

    Capacity grows by a quarter at a time (in place, see `_enlarged`), so the slack is at
    most 25 %: `bytes_per_row_bound`."""

    GROWTH = 1.25

    COLUMNS: dict[str, Any] = {
        "doc": np.int32,  # document ordinal in corpus order
        "para": np.int32,  # paragraph index inside the document
        "rep": np.int32,  # row of the kept copy (itself when it is the kept copy)
        "ntok": np.int32,  # token count of the kept text (grows when a longer copy wins)
        "count": np.int32,  # copies seen so far (on kept-copy rows)
        "ndocs": np.int32,  # documents the paragraph occurred in so far (on kept-copy rows)
        "last_doc": np.int32,  # last document ordinal counted in ndocs
        "slot": np.int32,  # the row's signature in `sigs` (0: none, all zero)
    }

    def __init__(self, sig_width: int, capacity: int = 1 << 14) -> None:
        self.n = 0
        self.cols: dict[str, NDArray[Any]] = {
            name: np.zeros(capacity, dtype=dtype) for name, dtype in self.COLUMNS.items()
        }
        self.sigs = np.zeros((capacity, sig_width), dtype=np.uint16)
        self.n_sigs = 1  # slot 0: the zero signature

    @property
    def bytes_per_row(self) -> int:
        """Worst case: every row sketched."""
        fixed = sum(np.dtype(d).itemsize for d in self.COLUMNS.values())
        return int(fixed + self.sigs.shape[1] * 2)

    @property
    def bytes_per_row_bound(self) -> int:
        """Bytes per row including the capacity slack (beyond the initial capacity)."""
        return int(np.ceil(self.bytes_per_row * self.GROWTH))

    @property
    def nbytes(self) -> int:
        return int(sum(c.nbytes for c in self.cols.values()) + self.sigs.nbytes)

    def __getitem__(self, name: str) -> NDArray[Any]:
        return self.cols[name]

    def append(self, **columns: NDArray[Any]) -> I64:
        """Append rows (without a signature: see `set_signatures`); returns their numbers."""
        m = len(next(iter(columns.values())))
        if self.n + m > self.cols["doc"].size:
            capacity = max(self.n + m, int(self.cols["doc"].size * self.GROWTH))
            for name, col in self.cols.items():
                self.cols[name] = _enlarged(col, (capacity,))
        for name, values in columns.items():
            self.cols[name][self.n : self.n + m] = values
        rows = np.arange(self.n, self.n + m, dtype=np.int64)
        self.n += m
        return rows

    def set_signatures(self, rows: I64, sigs: NDArray[np.uint16]) -> None:
        """Store the signatures of rows that have none yet."""
        first, m = self.n_sigs, rows.size
        if first + m > self.sigs.shape[0]:
            capacity = max(first + m, int(self.sigs.shape[0] * self.GROWTH))
            self.sigs = _enlarged(self.sigs, (capacity, self.sigs.shape[1]))
        self.sigs[first : first + m] = sigs
        self.cols["slot"][rows] = np.arange(first, first + m, dtype=np.int32)
        self.n_sigs += m

    def signatures(self, rows: I64) -> NDArray[np.uint16]:
        """The signatures of `rows` (all zero for a row that has none)."""
        return self.sigs[self.cols["slot"][rows]]


def _enlarged(array: NDArray[Any], shape: tuple[int, ...]) -> NDArray[Any]:
    """`array` grown along its first axis, new entries zero. In place when nothing else
    refers to it: `ndarray.resize` reallocates, and a large block is then remapped by the
    allocator instead of copied (growing the row store cost more than filling it)."""
    try:
        array.resize(shape)  # refuses (ValueError) if another reference or view exists
        return array
    except ValueError:
        grown = np.zeros(shape, dtype=array.dtype)
        grown[: array.shape[0]] = array
        return grown


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
