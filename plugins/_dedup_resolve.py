"""Vectorised decisions of `dedup` for one batch, with the semantics of a sequential walk.

Semantics (independent of batch size): walk indexed paragraphs in corpus order. Each key
(LSH band key or exact key) belongs to the first paragraph that produced it, its *owner*.
(A paragraph whose exact key is already owned skips its band keys: they would all be
owned by that first occurrence or earlier, so nothing changes.)
A paragraph's candidates are the kept copies (`rep`) of the owners of its keys; the
candidate with the highest similarity (ties: the earliest) wins if it reaches the
threshold, and the paragraph becomes a copy of it; otherwise it is a kept copy itself.

The only order dependency is that an owner inside the batch may itself be a copy, so its
`rep` must be known first. Rows are therefore resolved in levels: a row is ready once all
its in-batch owners are resolved; each level is one vectorised step (usually 1-3 levels).
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
from numpy.typing import NDArray

I64 = NDArray[np.int64]
F64 = NDArray[np.float64]
SimilarityFn = Callable[[I64, I64], F64]


def candidate_pairs(key_rows: I64, owners: I64) -> tuple[I64, I64]:
    """Distinct (row, owner) pairs, sorted, from the owners of each row's keys (a row that
    owns its key is no candidate of itself)."""
    cand = owners != key_rows
    combined = sorted_unique((key_rows[cand] << np.int64(32)) | owners[cand])
    return combined >> np.int64(32), combined & np.int64(0xFFFFFFFF)


def sorted_unique(values: I64) -> I64:
    """np.unique for int64 (sort-based; faster here than numpy's hash-based path)."""
    values = np.sort(values)
    if values.size:
        values = values[np.r_[True, values[1:] != values[:-1]]]
    return values


def resolve(
    rows: I64, owners: I64, first_row: int, rep: I64, similarity: SimilarityFn, threshold: float
) -> tuple[I64, I64, F64]:
    """Matched rows (ascending), their kept copies and similarities; updates `rep`."""
    out_rows, out_reps, out_sims = [], [], []
    pending = np.ones(rows.size, dtype=np.bool_)
    is_candidate = np.zeros(int(rows.max()) - first_row + 1 if rows.size else 0, np.bool_)
    is_candidate[rows - first_row] = True
    done = np.zeros_like(is_candidate)
    while pending.any():
        r, o = rows[pending], owners[pending]
        local = o - first_row
        inside = local >= 0
        blocked = np.zeros(r.size, dtype=np.bool_)
        blocked[inside] = is_candidate[local[inside]] & ~done[local[inside]]
        blocked_rows = sorted_unique(r[blocked])
        ready = ~np.isin(r, blocked_rows)
        level_rows, level_reps, level_sims = _best(r[ready], rep[o[ready]], similarity)
        ok = level_sims >= threshold
        rep[level_rows[ok]] = level_reps[ok]
        out_rows.append(level_rows[ok])
        out_reps.append(level_reps[ok])
        out_sims.append(level_sims[ok])
        done[r[ready] - first_row] = True
        pending[np.flatnonzero(pending)[ready]] = False
    if not out_rows:
        return np.zeros(0, np.int64), np.zeros(0, np.int64), np.zeros(0, np.float64)
    m_rows: I64 = np.concatenate(out_rows)
    m_reps: I64 = np.concatenate(out_reps)
    m_sims: F64 = np.concatenate(out_sims)
    order = np.argsort(m_rows, kind="stable")
    return m_rows[order], m_reps[order], m_sims[order]


def _best(rows: I64, reps: I64, similarity: SimilarityFn) -> tuple[I64, I64, F64]:
    """Per row: the candidate with the highest similarity, ties to the earliest."""
    combined = sorted_unique((rows << np.int64(32)) | reps)
    rows, reps = combined >> np.int64(32), combined & np.int64(0xFFFFFFFF)
    sims = similarity(rows, reps)
    order = np.lexsort((reps, -sims, rows))
    rows, reps, sims = rows[order], reps[order], sims[order]
    first = np.r_[True, rows[1:] != rows[:-1]]
    return rows[first], reps[first], sims[first]


def copy_counts(reps: I64, count: NDArray[np.int32]) -> I64:
    """Copies seen so far (including this one) for each matched row; updates `count`."""
    order = np.argsort(reps, kind="stable")
    sorted_reps = reps[order]
    group_start = np.r_[True, sorted_reps[1:] != sorted_reps[:-1]]
    starts = np.flatnonzero(group_start)
    rank = np.arange(reps.size) - np.repeat(starts, np.diff(np.r_[starts, reps.size]))
    out = np.empty(reps.size, dtype=np.int64)
    out[order] = count[sorted_reps] + rank + 1
    np.add.at(count, reps, count.dtype.type(1))  # same dtype: numpy's fast path
    return out


def count_documents(reps: I64, docs: I64, ndocs: NDArray[np.int32], last_doc: I64) -> I64:
    """Counts the new documents each kept copy occurs in (updates `ndocs`, `last_doc`);
    returns the kept copies whose document count grew."""
    combined = sorted_unique((reps << np.int64(32)) | docs)
    u_reps, u_docs = combined >> np.int64(32), combined & np.int64(0xFFFFFFFF)
    new = u_docs != last_doc[u_reps]
    u_reps, u_docs = u_reps[new], u_docs[new]
    if u_reps.size == 0:
        return u_reps
    np.add.at(ndocs, u_reps, ndocs.dtype.type(1))
    last = np.r_[u_reps[1:] != u_reps[:-1], True]  # sorted by doc inside a kept copy
    last_doc[u_reps[last]] = u_docs[last]
    return u_reps[last]


def run_members(positions: I64, docs: I64, min_run: int, gap: int) -> NDArray[np.bool_]:
    """True for within-document copies that belong to a run of >= min_run copies, where
    consecutive members are at most `gap` unmatched paragraphs apart (positions sorted)."""
    if positions.size == 0:
        return np.zeros(0, dtype=np.bool_)
    breaks = np.r_[True, (docs[1:] != docs[:-1]) | (positions[1:] - positions[:-1] > gap + 1)]
    run_id = np.cumsum(breaks) - 1
    sizes = np.bincount(run_id)
    return sizes[run_id] >= min_run
