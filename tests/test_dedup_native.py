"""The compiled kernels of `dedup` (`plugins/_dedup_native.c`) compute exactly what the
numpy code computes: token hashes, MinHash signatures, key-table owners, and so every
decision. Skipped when the extension was not built (then the numpy code runs)."""

from __future__ import annotations

import gzip
import json
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cleankit.plugins import _dedup_hashing as hashing
from cleankit.plugins._dedup_hashing import HashParams, band_keys, minhash, tokenize
from cleankit.plugins._dedup_index import KeyTable
from cleankit.plugins.dedup import DedupCleaner
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit.document import Document

NATIVE = hashing.NATIVE
pytestmark = pytest.mark.skipif(NATIVE is None, reason="C kernels not built")
ROOT = Path(__file__).parents[1]
DEV_DOCS = ROOT.parent / "shared" / "corpus-dev" / "docs.jsonl.gz"
PARAMS = HashParams.create(seed=1, num_perm=64, rows=8, bands=8)

texts_strategy = st.lists(
    st.text(alphabet=st.sampled_from(list("aAbBßẞéÉ1 \n.,-’'")) | st.characters(), max_size=40),
    max_size=12,
)


def set_native(on: bool) -> None:
    hashing.NATIVE = NATIVE if on else None  # the one switch (the index reads it too)


@given(texts_strategy)
@settings(max_examples=300, deadline=None)
def test_token_hashes_equal_numpy(texts: list[str]) -> None:
    native = tokenize(texts, PARAMS, chars=False)
    reference = tokenize(texts, PARAMS, chars=True)  # the numpy path (it keeps positions)
    assert native.hashes.tolist() == reference.hashes.tolist()
    assert native.counts.tolist() == reference.counts.tolist()
    assert native.exact.tolist() == reference.exact.tolist()


def test_astral_characters_and_lone_surrogates_tokenise_alike() -> None:
    texts = ["emoji 😀 here", "\ud800 lone", "𝐁𝐨𝐥𝐝 maths", "", "!!!", "Straße STRASSE strasse"]
    native = tokenize(texts, PARAMS, chars=False)
    reference = tokenize(texts, PARAMS, chars=True)
    assert native.hashes.tolist() == reference.hashes.tolist()
    assert native.counts.tolist() == [3, 1, 2, 0, 0, 3]


@given(st.lists(st.integers(1, 40), min_size=1, max_size=30), st.integers(0, 2**32))
@settings(max_examples=100, deadline=None)
def test_minhash_equals_numpy(lengths: list[int], seed: int) -> None:
    rng = np.random.default_rng(seed)
    shingles = rng.integers(0, 2**64, size=sum(lengths), dtype=np.uint64)
    para = np.repeat(np.arange(len(lengths)), lengths)
    listed = np.arange(0, len(lengths), 2)
    native = minhash(shingles, para, listed, PARAMS)
    set_native(False)
    try:
        reference = minhash(shingles, para, listed, PARAMS)
    finally:
        set_native(True)
    assert np.array_equal(native, reference)


@given(st.lists(st.lists(st.integers(1, 60), max_size=80), max_size=6))
@settings(max_examples=150, deadline=None)
def test_key_table_owners_equal_numpy(calls: list[list[int]]) -> None:
    """Repeated keys within a call and across calls, rows out of order, growth."""
    native, reference = KeyTable(capacity=8), KeyTable(capacity=8)
    row = 0
    for keys in calls:
        key_array = np.array(keys, dtype=np.uint64) * np.uint64(0x9E3779B97F4A7C15)
        rows = np.arange(row, row + len(keys), dtype=np.int64)[::-1].copy()
        row += len(keys)
        got = native.assign(key_array, rows)
        set_native(False)
        try:
            expected = reference.assign(key_array, rows)
        finally:
            set_native(True)
        assert got.tolist() == expected.tolist()
        assert native.size == reference.size


def decisions(docs: list[Document], config: dict[str, Any]) -> list[Any]:
    out = list(DedupCleaner(config).run(docs))
    return [(repr(p.removed), dict(p.notes), p.text) for d in out for p in d.paragraphs]


def dev_documents(limit: int) -> list[tuple[str, str]]:
    if not DEV_DOCS.exists():
        pytest.skip("../shared/corpus-dev is absent")
    with gzip.open(DEV_DOCS, "rt", encoding="utf-8") as fh:
        records = [json.loads(line) for line in islice(fh, limit)]
    # Each page twice, the second copy with a changed word: exact and near copies.
    twice = [(r["id"], r["text"]) for r in records]
    twice += [(r["id"] + "/copy", r["text"].replace(" the ", " a ")) for r in records]
    return twice


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"verify": "exact"},
        {"shingle_size": 3},
        {"shingle": "char", "shingle_size": 5},
        {"scope": "document", "min_run": 1},
        {"keep": "longest", "short_paragraphs": "scope"},
    ],
)
def test_cleaner_decisions_equal_numpy(config: dict[str, Any]) -> None:
    pages = dev_documents(120)
    native = decisions([Document.from_text(i, t) for i, t in pages], config)
    set_native(False)
    try:
        reference = decisions([Document.from_text(i, t) for i, t in pages], config)
    finally:
        set_native(True)
    assert native == reference
    assert any(removal != "None" for removal, _, _ in native)


@given(st.integers(0, 40), st.integers(0, 2**32))
@settings(max_examples=50, deadline=None)
def test_band_keys_equal_numpy(n: int, seed: int) -> None:
    rng = np.random.default_rng(seed)
    sig = rng.integers(0, 2**32, size=(n, 64), dtype=np.uint32)
    salt = rng.integers(0, 2**64, size=n, dtype=np.uint64)
    native = band_keys(sig, 8, 8, salt, PARAMS)
    set_native(False)
    try:
        reference = band_keys(sig, 8, 8, salt, PARAMS)
    finally:
        set_native(True)
    assert native.tolist() == reference.tolist()
