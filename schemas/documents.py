"""The contract of cleankit's output, as pandera DataFrameModels (the source of truth).

`InputDocument` is what a reader must produce; `CleanedDocument` extends it with what the
cleaners recover. `cleankit schema export` writes their YAML next to this file.
"""

from __future__ import annotations

from typing import Optional

import pandera.pandas as pa
from cleankit.schemas import checks
from pandera.typing import Series

checks.register()

HEADLINE_MAX_CHARS = 300
DATE_FLOOR = "1800-01-01"


class InputDocument(pa.DataFrameModel):
    """A document as read: a unique, non-empty id and some text."""

    id: Series[str] = pa.Field(unique=True, str_length={"min_value": 1})
    text: Series[str] = pa.Field(not_blank=())
    source: Series[str] = pa.Field(nullable=True)

    class Config:
        strict = False
        coerce = True


class CleanedDocument(InputDocument):
    """A cleaned document: kept text, a one-line headline or null, a real past date or null."""

    headline: Optional[Series[str]] = pa.Field(
        nullable=True, single_line={"max_chars": HEADLINE_MAX_CHARS}
    )
    published: Optional[Series[str]] = pa.Field(
        nullable=True, iso_date={"floor": DATE_FLOOR, "ceiling": "today"}
    )
    paragraphs_kept: Series[int] = pa.Field(ge=1)
    paragraphs_removed: Series[int] = pa.Field(ge=0)

    class Config:
        strict = False
        coerce = True
        name = "CleanedDocument"
