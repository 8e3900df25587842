"""The pipeline a user would write with datasketch alone (the speed and quality baseline).

Normalise (casefold, word tokens), word shingles, sha1-hashed MinHash via `MinHash.bulk`,
then in corpus order `MinHashLSH.query`: a paragraph with a candidate whose estimated
Jaccard reaches the threshold is a duplicate, else it is inserted. Paragraphs shorter
than `min_words` words are left alone, as dedup's default does (it only counts them).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator

from datasketch import MinHash, MinHashLSH

WORD = re.compile(r"\w+")


def shingles(text: str, size: int) -> list[bytes]:
    tokens = WORD.findall(text.casefold())
    grams = {" ".join(tokens[i : i + size]) for i in range(len(tokens) - size + 1)}
    return [g.encode("utf-8") for g in grams]


def datasketch_dedup(
    docs: Iterable[list[str]],
    threshold: float = 0.8,
    num_perm: int = 128,
    size: int = 1,
    min_words: int = 6,
    batch: int = 512,
) -> Iterator[list[tuple[int, int] | None]]:
    """Per document: for each paragraph, None (kept) or (doc, index) of the kept copy."""
    lsh = MinHashLSH(threshold=threshold, num_perm=num_perm)
    signatures: dict[tuple[int, int], MinHash] = {}
    pending: list[list[str]] = []
    ordinal = 0

    def flush() -> Iterator[list[tuple[int, int] | None]]:
        nonlocal ordinal
        sets = [shingles(p, size) for d in pending for p in d]
        mhs = iter(MinHash.bulk(sets, num_perm=num_perm))
        for doc in pending:
            out: list[tuple[int, int] | None] = []
            for k, text in enumerate(doc):
                mh = next(mhs)
                tokens = WORD.findall(text.casefold())
                if len(tokens) < min_words:
                    out.append(None)
                    continue
                hit = next(
                    (c for c in sorted(lsh.query(mh)) if signatures[c].jaccard(mh) >= threshold),
                    None,
                )
                if hit is None:
                    lsh.insert((ordinal, k), mh)
                    signatures[(ordinal, k)] = mh
                out.append(hit)
            ordinal += 1
            yield out
        pending.clear()

    for doc in docs:
        pending.append(doc)
        if len(pending) >= batch:
            yield from flush()
    yield from flush()
