"""Choosing the publication date among the dates written on a page.

Every full date found by the regex pass (`_dates`) on a line that may carry it becomes a
candidate; a linear score over layout and cue features picks one. Like the title weights,
`WEIGHTS` were fitted on the even-hash half of a development set and checked on the other
half. Dates in the future of the run or before the configured floor are never candidates.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date

from cleankit.plugins._dates import DateHit
from cleankit.plugins._headline_lines import (
    NOT_PUBLISHED_CUE,
    PUBLISHED_CUE,
    STRONG_PUBLISHED_CUE,
    UPDATED_CUE,
    Line,
    Page,
    linear_score,
    load_weights,
)

_TIME = re.compile(r"\b[0-2]?\d[:.h][0-5]\d\b")

WEIGHTS: dict[str, float] = load_weights("date")
THRESHOLD = 0.3


@dataclass(slots=True)
class DateChoice:
    line: Line
    hit: DateHit
    value: date
    probability: float
    features: dict[str, float]


def _cue_before(line: Line, hit: DateHit, cue: re.Pattern[str]) -> bool:
    """A cue word in the 40 characters before the date (or anywhere on a short line)."""
    head = line.text[max(0, hit.start - 40) : hit.start]
    return bool(cue.search(head)) or (line.words <= 8 and bool(cue.search(line.text)))


def _features(
    page: Page,
    j: int,
    hit: DateHit,
    order: int,
    counts: Counter[date | None],
    title_at: int | None,
) -> dict[str, float]:
    line = page.lines[j]
    block = page.block
    value = hit.as_date()
    assert value is not None
    to_title = j - title_at if title_at is not None else None
    return {
        "bias": 1.0,
        "first": float(order == 0),
        "second": float(order == 1),
        "strong_cue": float(_cue_before(line, hit, STRONG_PUBLISHED_CUE)),
        "weak_cue": float(_cue_before(line, hit, PUBLISHED_CUE)),
        "updated_cue": float(_cue_before(line, hit, UPDATED_CUE)),
        "not_cue": float(bool(NOT_PUBLISHED_CUE.search(line.text))),
        "short_line": float(line.words <= 12),
        "long_line": float(line.words > 30),
        "has_time": float(bool(_TIME.search(line.text[hit.end : hit.end + 12]))),
        "title_after_1_3": float(to_title is not None and 1 <= to_title <= 3),
        "title_after_4_8": float(to_title is not None and 4 <= to_title <= 8),
        "title_before_1_3": float(to_title is not None and -3 <= to_title <= -1),
        "title_far": float(to_title is None or abs(to_title) > 8),
        "before_block": float(j < block),
        "block_near": float(0 <= block - j <= 10),
        "in_tail": float(j > block and line.pos >= page.total * 0.8),
        "repeated": float(counts[value] > 1),
        "numeric": float(hit.pattern in ("iso", "dmy_dot", "num_slash", "ymd_slash")),
        "chrome_meta": float(line.label == "meta"),
    }


def _score(features: dict[str, float]) -> float:
    z = linear_score(WEIGHTS, features)
    return 1.0 / (1.0 + math.exp(-z))


def candidate_features(
    page: Page, title_at: int | None, floor: date, today: date
) -> list[tuple[int, DateHit, dict[str, float]]]:
    """(position in `page.lines`, date, features) for every plausible publication date."""
    found: list[tuple[int, DateHit]] = []
    for j, line in enumerate(page.lines):
        if not line.may_date:
            continue
        for hit in line.dates:
            value = hit.as_date()
            if value is not None and floor <= value <= today:
                found.append((j, hit))
    counts = Counter(hit.as_date() for _, hit in found)
    seen: dict[date, int] = {}
    out = []
    for j, hit in found:
        value = hit.as_date()
        assert value is not None
        order = seen.setdefault(value, len(seen))
        out.append((j, hit, _features(page, j, hit, order, counts, title_at)))
    return out


def choose_date(
    page: Page, title_at: int | None, floor: date, today: date, threshold: float = THRESHOLD
) -> DateChoice | None:
    """The most publication-like date on the page, or None."""
    best: DateChoice | None = None
    for j, hit, features in candidate_features(page, title_at, floor, today):
        probability = _score(features)
        if best is None or probability > best.probability:
            value = hit.as_date()
            assert value is not None
            best = DateChoice(page.lines[j], hit, value, probability, features)
    if best is None or best.probability < threshold:
        return None
    return best
