"""Configuration of the `dedup` cleaner."""

from __future__ import annotations

from typing import Literal

import numpy as np
from pydantic import Field, model_validator

from cleankit.cleaner import CleanerConfig

# LSH banding chosen for recall: a false candidate only costs a verification, a missed
# one costs a duplicate, so datasketch's optimiser weighs false negatives 4x.
_FALSE_POSITIVE_WEIGHT = 0.2
_FALSE_NEGATIVE_WEIGHT = 0.8
_GRID = 4001  # integration points on [0, 1]


def optimal_banding(
    threshold: float, num_perm: int, fp_weight: float, fn_weight: float
) -> tuple[int, int]:
    """(bands, rows) minimising the weighted false positive/negative areas under the LSH
    S-curve: datasketch's `lsh._optimal_param`, vectorised (importing datasketch costs
    ~0.6 s of scipy at start-up; the result is the same, see the tests).

    The miss probability `(1 - s^r)^b` is `exp(b * log1p(-s^r))` from one table of
    `log1p(-s^r)` (powers by cumulative product), and the weighted error of all rows for
    one band count is one product with the combined trapezoid weights: no `pow` per
    point, as this runs at every start-up."""
    s = np.linspace(0.0, 1.0, _GRID)
    trapezoid = np.full(_GRID, s[1] - s[0])
    trapezoid[[0, -1]] /= 2
    below = np.where(s <= threshold, trapezoid, 0.0)
    above = np.where(s >= threshold, trapezoid, 0.0)
    # error = fp_weight * ((1 - miss) . below) + fn_weight * (miss . above)
    combined = fn_weight * above - fp_weight * below
    constant = fp_weight * float(below.sum())
    powers = np.cumprod(np.broadcast_to(s, (num_perm, _GRID)), axis=0)  # s^r, r = 1..
    with np.errstate(divide="ignore"):
        log_miss = np.log1p(-powers)
    best, best_error = (1, 1), float("inf")
    for b in range(1, num_perm + 1):
        miss = np.exp(log_miss[: num_perm // b] * b)
        error = constant + np.einsum("ij,j->i", miss, combined)
        k = int(np.argmin(error))
        if error[k] < best_error:
            best, best_error = (b, k + 1), float(error[k])
    return best


class DedupConfig(CleanerConfig):
    threshold: float = Field(
        0.8,
        gt=0.0,
        le=1.0,
        description="Jaccard similarity of shingle sets at which a "
        "paragraph counts as a copy of an earlier one",
    )
    scope: Literal["corpus", "source", "document"] = Field(
        "corpus",
        description="where copies are looked for: the whole corpus, documents of "
        "the same `source` (documents without a source: within the document only), or "
        "within each document",
    )
    shingle: Literal["word", "char"] = Field(
        "word", description="shingles are runs of words or of characters of the normalised text"
    )
    shingle_size: int = Field(1, ge=1, le=32, description="words or characters per shingle")
    num_perm: int = Field(128, ge=8, le=1024, description="MinHash permutations")
    bands: int | None = Field(
        None, ge=1, description="LSH bands; None: chosen with rows from threshold and num_perm"
    )
    rows: int | None = Field(None, ge=1, description="rows (signature values) per LSH band")
    verify: Literal["estimate", "exact"] = Field(
        "estimate",
        description="check candidates by the MinHash estimate (fixed memory per "
        "paragraph) or by exact Jaccard of the shingle sets (4 more bytes per shingle)",
    )
    keep: Literal["first", "longest"] = Field(
        "first",
        description="keep the first copy, or put the longest variant's text at "
        "the first copy's position (when it arrives within `longest_window` documents)",
    )
    longest_window: int = Field(
        1000,
        ge=0,
        description="keep='longest': documents held back so a later, longer "
        "copy can still replace the first copy's text",
    )
    min_words: int = Field(
        6,
        ge=1,
        description="paragraphs with fewer words are matched exactly only, never by MinHash",
    )
    short_paragraphs: Literal["keep", "document", "scope"] = Field(
        "keep",
        description="exact repeats of short paragraphs: only counted (dup_count, "
        "recurring report) and kept, removed within a document, or removed within `scope`",
    )
    min_run: int = Field(
        2,
        ge=1,
        description="within one document, copies are removed only in runs of at "
        "least this many copied paragraphs in a row, one unmatched paragraph allowed between "
        "them (a repeated block); a lone repeat "
        "(a standfirst repeating the lead, a pull quote) is kept and noted in "
        "notes['dup_of'] for chrome. Copies across documents are always removed",
    )
    seed: int = Field(1, description="seed of the hash functions")
    batch_paragraphs: int = Field(
        8192,
        ge=1,
        description="documents are hashed together in batches of about this many "
        "paragraphs (a whole document is never split); results do not depend on it",
    )
    top_recurring: int = Field(20, ge=0, description="recurring paragraphs in the report")

    @model_validator(mode="after")
    def _check_banding(self) -> DedupConfig:
        if (self.bands is None) != (self.rows is None):
            raise ValueError("set both bands and rows, or neither")
        if self.bands is not None and self.rows is not None:
            if self.bands * self.rows > self.num_perm:
                raise ValueError("bands * rows must not exceed num_perm")
        if self.shingle == "word" and self.min_words < self.shingle_size:
            raise ValueError("min_words must be at least shingle_size for word shingles")
        return self

    def banding(self) -> tuple[int, int]:
        if self.bands is not None and self.rows is not None:
            return self.bands, self.rows
        bands, rows = optimal_banding(
            self.threshold, self.num_perm, _FALSE_POSITIVE_WEIGHT, _FALSE_NEGATIVE_WEIGHT
        )
        return int(bands), int(rows)
