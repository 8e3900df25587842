"""The document model: ordered paragraphs that cleaners mark and edit, never delete.

A paragraph keeps the text it arrived with (`original`), its current `text`, the list of
edits that led there, and at most one removal mark. The writer joins the kept paragraphs;
the audit lists every removal and every edit, so nothing a cleaner does is unrecoverable.
"""

from __future__ import annotations

import numbers
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

# Only real line breaks: str.splitlines() would also split on U+0085 and U+2028, which
# occur inside mojibake (`â€¦` read as latin-1) and must reach the encoding repair intact.
_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(slots=True)
class Removal:
    """Why a paragraph was removed: which cleaner, which rule, how sure, and details
    (for duplicates: the kept copy's document id and paragraph index, the similarity)."""

    cleaner: str
    rule: str
    score: float | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Edit:
    """One change of a paragraph's text; `fixes` names what was repaired."""

    cleaner: str
    fixes: list[str]
    before: str
    after: str


@dataclass(slots=True)
class Paragraph:
    """One block of text. `gap_before` is True when a blank line preceded it in the input
    (evidence for cleaners that reason about layout, such as hard-wrap repair)."""

    text: str
    original: str = ""
    gap_before: bool = False
    removed: Removal | None = None
    edits: list[Edit] = field(default_factory=list)
    notes: dict[str, Any] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not self.original:
            self.original = self.text

    @property
    def kept(self) -> bool:
        return self.removed is None

    def edit(self, cleaner: str, fixes: list[str], new_text: str) -> bool:
        """Replace the text, recording the change; returns False when nothing changed."""
        if new_text == self.text:
            return False
        self.edits.append(Edit(cleaner, list(fixes), self.text, new_text))
        self.text = new_text
        return True

    def remove(self, cleaner: str, rule: str, score: float | None = None, **detail: Any) -> None:
        """Mark the paragraph removed; the first removal wins, later ones are ignored."""
        if type(rule) is not str or not (score is None or type(score) in (float, int)):
            score = _checked_removal(rule, score)
        if self.removed is None:  # `detail` is a fresh dict already: no copy needed
            self.removed = Removal(cleaner, rule, score, detail)


def _checked_removal(rule: object, score: object) -> float | None:
    """The score of a removal whose rule or score is not of the usual types: a number of
    another type (numpy's) becomes a float; anything else is the calling cleaner's bug."""
    if type(rule) is str and (
        score is None or (isinstance(score, numbers.Real) and not isinstance(score, bool))
    ):
        return None if score is None else float(score)
    raise TypeError(
        f"paragraph.remove needs a str rule and a number (or None) score, got "
        f"{type(rule).__name__} {rule!r} and {type(score).__name__}"
    )


@dataclass(slots=True)
class Document:
    """A document: identity, provenance, recovered metadata and ordered paragraphs.

    `headline` and `published` (ISO `YYYY-MM-DD`) are the output's first-class metadata;
    `meta` holds everything else a cleaner recovers (byline, dateline, provenance...).
    """

    id: str
    paragraphs: list[Paragraph]
    source: str | None = None
    input: str | None = None
    headline: str | None = None
    published: str | None = None
    meta: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_text(cls, id: str, text: str, source: str | None = None, **kwargs: Any) -> Document:
        """Split text into paragraphs, one per non-blank line (scrapers emit one block
        per line); blank lines are remembered as `gap_before` on the next paragraph."""
        return cls(id=id, paragraphs=split_paragraphs(text), source=source, **kwargs)

    def __reduce__(self) -> tuple[Any, tuple[Any, ...]]:
        """Pickle as plain tuples: batches cross process boundaries, and the default
        (one Python-level `__setstate__` per slots object) made that slower than cleaning."""
        return _rebuild_document, (
            self.id,
            [_paragraph_state(p) for p in self.paragraphs],
            self.source,
            self.input,
            self.headline,
            self.published,
            self.meta,
        )

    def kept(self) -> Iterator[tuple[int, Paragraph]]:
        """(index, paragraph) for every paragraph not removed, in order."""
        return ((i, p) for i, p in enumerate(self.paragraphs) if p.removed is None)

    def kept_texts(self) -> list[str]:
        return [p.text for p in self.paragraphs if p.removed is None and p.text.strip()]

    def original_text(self) -> str:
        """The text as it arrived, one paragraph per line (for quarantine records)."""
        return "\n".join(p.original for p in self.paragraphs)

    @property
    def text(self) -> str:
        """The clean text: kept paragraphs separated by a blank line."""
        return "\n\n".join(self.kept_texts())


def _paragraph_state(p: Paragraph) -> tuple[Any, ...]:
    removed = p.removed
    return (
        p.text,
        None if p.original == p.text else p.original,
        p.gap_before,
        None if removed is None else (removed.cleaner, removed.rule, removed.score, removed.detail),
        [(e.cleaner, e.fixes, e.before, e.after) for e in p.edits] if p.edits else None,
        p.notes or None,
    )


def _rebuild_paragraph(state: tuple[Any, ...]) -> Paragraph:
    text, original, gap, removed, edits, notes = state
    return Paragraph(
        text,
        text if original is None else original,
        gap,
        None if removed is None else Removal(*removed),
        [Edit(*e) for e in edits] if edits else [],
        notes or {},
    )


def _rebuild_document(
    id: str,
    states: list[tuple[Any, ...]],
    source: str | None,
    input: str | None,
    headline: str | None,
    published: str | None,
    meta: dict[str, Any],
) -> Document:
    paragraphs = [_rebuild_paragraph(s) for s in states]
    return Document(id, paragraphs, source, input, headline, published, meta)


def split_paragraphs(text: str) -> list[Paragraph]:
    """One paragraph per non-blank line, with `gap_before` for blank lines before it."""
    paragraphs: list[Paragraph] = []
    gap = False
    lines = _LINE_BREAK.split(text) if "\r" in text else text.split("\n")  # same, faster
    for line in lines:
        if line and not line.isspace():
            paragraphs.append(Paragraph(line, line, gap))
            gap = False
        else:
            gap = True
    return paragraphs
