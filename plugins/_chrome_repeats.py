"""Paragraphs a page prints twice: a standfirst repeated as the first body paragraph, a
pull quote, a teaser block pasted again.

`dedup` leaves a lone repeat inside a page alone on purpose (which copy is body is
chrome's call: had dedup removed the body copy and chrome then the standfirst, the text
would be lost). Once chrome has decided, the copies that are both still kept are known,
and one of them is enough. The first kept copy stays, so the text keeps its first
position; later copies go.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator

from cleankit.document import Document

MIN_CHARS = 40  # shorter lines (table cells, "Yes", subheads) may legitimately repeat


def later_copies(doc: Document) -> Iterator[tuple[int, int, float]]:
    """(index of a later kept copy, index of the earlier kept copy, similarity) for every
    kept paragraph of `doc` that repeats an earlier kept one: the same text up to case and
    whitespace, or a near copy that `dedup` noted (`notes["dup_of"]` in this document)."""
    candidates = [
        (index, p.text)
        for index, p in enumerate(doc.paragraphs)
        if p.removed is None and len(p.text) >= MIN_CHARS
    ]
    first_seen: dict[str, int] = {}
    for (index, _), key in zip(candidates, _copy_keys([t for _, t in candidates]), strict=True):
        earlier = first_seen.setdefault(key, index)
        if earlier != index:
            yield index, earlier, 1.0
            continue
        noted = _noted_copy(doc, index) if "dup_of" in doc.paragraphs[index].notes else None
        if noted is not None:
            yield index, noted[0], noted[1]


def _copy_keys(texts: list[str]) -> list[str]:
    """Keys equal exactly when the texts' `_normal` forms are: the `_normal` form of the
    texts whose first `_HEAD_CHARS` normal characters another text shares, those first
    characters for the others (most texts: normalising whole long paragraphs was ~80% of
    `later_copies`' time). A head alone never equals another text's whole key: that text
    would have the same head, and neither would be alone."""
    heads = list(map(_normal_head, texts))
    shared = Counter(heads)
    return [_normal(t) if shared[h] > 1 else h for t, h in zip(texts, heads, strict=True)]


def _normal(text: str) -> str:
    """The text up to case and whitespace: whitespace runs as one space, case-folded."""
    return " ".join(text.split()).casefold()


def _normal_head(text: str) -> str:
    """`_normal(text)[:_HEAD_CHARS]`, from the text's first characters when they hold
    enough (the normal form of a prefix is a prefix of the normal form: `casefold` maps
    character by character)."""
    head = _normal(text[: 2 * _HEAD_CHARS])
    return head[:_HEAD_CHARS] if len(head) >= _HEAD_CHARS else _normal(text)[:_HEAD_CHARS]


_HEAD_CHARS = 32


def _noted_copy(doc: Document, index: int) -> tuple[int, float] | None:
    """The earlier kept paragraph of this document that dedup says `index` repeats."""
    dup_of = doc.paragraphs[index].notes.get("dup_of")
    if not isinstance(dup_of, dict) or dup_of.get("doc") != doc.id:
        return None
    earlier = dup_of.get("index")
    if not isinstance(earlier, int) or not 0 <= earlier < index:
        return None
    if doc.paragraphs[earlier].removed is not None:
        return None
    return earlier, float(dup_of.get("similarity", 0.0))
