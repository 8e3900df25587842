"""One batch of `dedup`: the kept paragraphs of a run of documents, and their hashes
(token counts, MinHash signatures, LSH band keys, exact keys), all computed at once."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

import numpy as np
import xxhash
from cleankit.plugins._dedup_hashing import (
    HashParams,
    band_keys,
    char_shingles,
    exact_keys,
    minhash,
    tokenize,
    word_shingles,
)
from cleankit.plugins._dedup_workspace import Workspace
from numpy.typing import NDArray

from cleankit.document import Document, Paragraph

if TYPE_CHECKING:
    from cleankit.plugins.dedup import DedupConfig


@dataclass
class Batch:
    """Kept paragraphs of consecutive documents, in corpus order."""

    paragraphs: list[Paragraph]
    doc_ord: NDArray[np.int64]
    para_index: NDArray[np.int32]
    salt: NDArray[np.uint64]

    @classmethod
    def collect(cls, docs: list[Document], first_ordinal: int, scope: str) -> Batch:
        paragraphs: list[Paragraph] = []
        para_index: list[int] = []
        counts: list[int] = []
        for doc in docs:
            before = len(paragraphs)
            kept = [i for i, p in enumerate(doc.paragraphs) if p.removed is None]
            if len(kept) == len(doc.paragraphs):  # the usual case: nothing removed yet
                paragraphs.extend(doc.paragraphs)
                para_index.extend(range(len(kept)))
            else:
                paragraphs.extend(doc.paragraphs[i] for i in kept)
                para_index.extend(kept)
            counts.append(len(paragraphs) - before)
        ordinals = np.arange(first_ordinal, first_ordinal + len(docs), dtype=np.int64)
        salts = [scope_salt(scope, int(o), d.source) for o, d in zip(ordinals, docs, strict=True)]
        return cls(
            paragraphs,
            np.repeat(ordinals, counts),
            np.array(para_index, dtype=np.int32),
            np.repeat(np.array(salts, dtype=np.uint64), counts),
        )


def scope_salt(scope: str, ordinal: int, source: str | None) -> int:
    """The key-space salt of a document: only paragraphs with equal salts can match."""
    if scope == "corpus":
        return 0
    if scope == "source" and source is not None:
        return xxhash.xxh64_intdigest(source.encode("utf-8", "surrogatepass"))
    return xxhash.xxh64_intdigest(f"\x00document {ordinal}".encode())


@dataclass
class Prepared:
    """Per batch item: token count, kind, exact key; and the batch's shingles."""

    ntok: NDArray[np.int64]
    indexed: NDArray[np.bool_]  # has at least one word
    short: NDArray[np.bool_]  # indexed, but matched exactly only
    long: NDArray[np.bool_]  # matched by MinHash
    exact: NDArray[np.uint64]  # key of the normalised token sequence (salted by scope)
    shingles: NDArray[np.uint64]
    shingle_para: NDArray[np.int64]


@dataclass
class Sketches:
    """MinHash results for the sketched items, and their flat (band key, item) list."""

    items: NDArray[np.int64]  # the sketched batch items
    sig16: NDArray[np.uint16] | None  # their low 16 bits of MinHash values (estimate)
    shingle_sets: tuple[NDArray[np.uint32], NDArray[np.int64]] | None  # exact verification
    keys: NDArray[np.uint64]
    key_item: NDArray[np.int64]


def prepare(
    batch: Batch, cfg: DedupConfig, params: HashParams, work: Workspace | None = None
) -> Prepared:
    n = len(batch.paragraphs)
    texts = [p.text for p in batch.paragraphs]
    tokens = tokenize(texts, params, work, chars=cfg.shingle != "word")
    if cfg.shingle == "word":
        shingles, shingle_para = word_shingles(tokens, cfg.shingle_size, params)
    else:
        shingles, shingle_para = char_shingles(tokens, cfg.shingle_size, params)
    ntok = tokens.counts
    indexed = ntok > 0
    has_shingles = np.bincount(shingle_para, minlength=n)[:n] > 0
    long = (ntok >= cfg.min_words) & has_shingles
    exact = exact_keys(tokens.exact, batch.salt)
    return Prepared(ntok, indexed, indexed & ~long, long, exact, shingles, shingle_para)


def sketch(
    prep: Prepared,
    items: NDArray[np.int64],
    cfg: DedupConfig,
    params: HashParams,
    salt: NDArray[np.uint64],
    bands: int,
    rows: int,
    work: Workspace | None = None,
) -> Sketches:
    """MinHash signatures and band keys of the listed (long) items."""
    n = prep.ntok.size
    sig = minhash(prep.shingles, prep.shingle_para, items, params, work)
    keys = band_keys(sig, bands, rows, salt[items], params).ravel()
    key_item = np.repeat(items, bands)
    sig16: NDArray[np.uint16] | None = None
    sets = None
    if cfg.verify == "estimate":
        sig16 = sig.astype(np.uint16)
    else:
        listed = np.zeros(n, dtype=np.bool_)
        listed[items] = True
        sets = _shingle_sets(prep.shingles, prep.shingle_para, listed, n)
    return Sketches(items, sig16, sets, keys, key_item)


def _shingle_sets(
    shingles: NDArray[np.uint64], shingle_para: NDArray[np.int64], long: Any, n: int
) -> tuple[NDArray[np.uint32], NDArray[np.int64]]:
    """Distinct 32-bit shingle hashes of each long paragraph, sorted, and their counts."""
    keep = long[shingle_para]
    combined = (shingle_para[keep].astype(np.uint64) << np.uint64(32)) | (
        shingles[keep] >> np.uint64(32)
    )
    distinct = np.unique(combined)
    para = (distinct >> np.uint64(32)).astype(np.int64)
    lengths = np.bincount(para, minlength=n)[:n].astype(np.int64)
    return (distinct & np.uint64(0xFFFFFFFF)).astype(np.uint32), lengths
