"""Paragraphs a page prints twice: a standfirst repeated as the first body paragraph, a
pull quote, a teaser block pasted again.

`dedup` leaves a lone repeat inside a page alone on purpose (which copy is body is
chrome's call: had dedup removed the body copy and chrome then the standfirst, the text
would be lost). Once chrome has decided, the copies that are both still kept are known,
and one of them is enough. The first kept copy stays, so the text keeps its first
position; later copies go.
"""

from __future__ import annotations

from collections.abc import Iterator

from cleankit.document import Document

MIN_CHARS = 40  # shorter lines (table cells, "Yes", subheads) may legitimately repeat


def later_copies(doc: Document) -> Iterator[tuple[int, int, float]]:
    """(index of a later kept copy, index of the earlier kept copy, similarity) for every
    kept paragraph of `doc` that repeats an earlier kept one: the same text up to case and
    whitespace, or a near copy that `dedup` noted (`notes["dup_of"]` in this document)."""
    first_seen: dict[str, int] = {}
    for index, p in enumerate(doc.paragraphs):
        if p.removed is not None or len(p.text) < MIN_CHARS:
            continue
        key = " ".join(p.text.split()).casefold()  # whitespace runs as one space
        earlier = first_seen.setdefault(key, index)
        if earlier != index:
            yield index, earlier, 1.0
            continue
        noted = _noted_copy(doc, index)
        if noted is not None:
            yield index, noted[0], noted[1]


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
