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
    HEAD_AFTER_BLOCK,
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
THRESHOLD = 0.7


@dataclass(slots=True)
class DateChoice:
    line: Line
    hit: DateHit
    value: date
    probability: float
    features: dict[str, float]


_CUES = (STRONG_PUBLISHED_CUE, PUBLISHED_CUE, UPDATED_CUE)


def _line_cues(line: Line) -> tuple[bool, bool, bool, bool]:
    """Cue words anywhere on the line: (strong, weak, updated) on short lines only, and
    whether the line says the date is something else (copyright, comment, deadline)."""
    short = line.words <= 8
    strong, weak, updated = (short and cue.search(line.text) is not None for cue in _CUES)
    return strong, weak, updated, NOT_PUBLISHED_CUE.search(line.text) is not None


def _cues_before(line: Line, hit: DateHit, on_line: tuple[bool, ...]) -> list[bool]:
    """(strong, weak, updated): a cue word in the 40 characters before the date, or
    anywhere on a short line."""
    head = line.text[max(0, hit.start - 40) : hit.start]
    return [
        whole or (bool(head) and cue.search(head) is not None)
        for cue, whole in zip(_CUES, on_line, strict=False)
    ]


def _features(
    page: Page,
    j: int,
    hit: DateHit,
    order: int,
    repeated: bool,
    title_at: int | None,
    order_after_title: int | None,
    on_line: tuple[bool, bool, bool, bool],
    later_above: bool,
) -> dict[str, float]:
    line = page.lines[j]
    block = page.block
    to_title = j - title_at if title_at is not None else None
    strong, weak, updated = _cues_before(line, hit, on_line)
    return {
        "bias": 1.0,
        "first": float(order == 0),
        "second": float(order == 1),
        "strong_cue": float(strong),
        "weak_cue": float(weak),
        "updated_cue": float(updated),
        "not_cue": float(on_line[3]),
        "short_line": float(line.words <= 12),
        "long_line": float(line.words > 30),
        "has_time": float(bool(_TIME.search(line.text[hit.end : hit.end + 12]))),
        "title_after_1_3": float(to_title is not None and 1 <= to_title <= 3),
        "title_after_4_8": float(to_title is not None and 4 <= to_title <= 8),
        "title_before_1_3": float(to_title is not None and -3 <= to_title <= -1),
        "title_far": float(to_title is None or abs(to_title) > 8),
        "title_below_far": float(to_title is not None and to_title < -3),
        "first_after_title": float(order_after_title == 0),
        "date_line": float(line.is_date_line),
        "before_block": float(j < block),
        "block_near": float(0 <= block - j <= 10),
        "in_tail": float(j > block and line.pos >= page.total * 0.8),
        "repeated": float(repeated),
        "numeric": float(hit.pattern in ("iso", "dmy_dot", "num_slash", "ymd_slash")),
        "chrome_meta": float(line.label == "meta"),
        # Above the headline and later than the first date under it: the site's "today"
        # header or an update stamp, not the publication date.
        "later_above_title": float(later_above),
        "top_of_page": float(line.pos < 6),
        # A date told in a sentence of prose: an event, not the page's date.
        "narrative": float(line.words > 12 and line.is_sentence),
    }


def candidate_features(
    page: Page, title_at: int | None, floor: date, today: date
) -> list[tuple[int, DateHit, dict[str, float]]]:
    """(position in `page.lines`, date, features) for every plausible publication date."""
    found: list[tuple[int, DateHit, date]] = []
    for j, line in enumerate(page.lines):
        if not line.dates:
            continue
        if not (line.may_date or _head_date_line(page, j) or _under_title(page, j, title_at)):
            continue
        for hit in line.dates:
            value = hit.as_date()
            if value is not None and floor <= value <= today:
                found.append((j, hit, value))
    counts = Counter(value for _, _, value in found)
    first_under = next(
        (value for j, _, value in found if title_at is not None and j >= title_at), None
    )
    seen: dict[date, int] = {}
    seen_after: dict[date, int] = {}
    out = []
    cues: dict[int, tuple[bool, bool, bool, bool]] = {}
    for j, hit, value in found:
        order = seen.setdefault(value, len(seen))
        after = None
        if title_at is not None and j >= title_at:
            after = seen_after.setdefault(value, len(seen_after))
        on_line = cues.get(j)
        if on_line is None:
            on_line = cues[j] = _line_cues(page.lines[j])
        repeated = counts[value] > 1
        later = first_under is not None and after is None and value > first_under
        features = _features(page, j, hit, order, repeated, title_at, after, on_line, later)
        out.append((j, hit, features))
    return out


def _head_date_line(page: Page, j: int) -> bool:
    """A date line chrome put in a `related`/`comments` region may still be the article's
    own when it stands in the head of the page (before the main prose block or among its
    first lines) and not in a list: no other date line with the same label among its
    neighbours."""
    line = page.lines[j]
    if not line.is_date_line or j >= page.block + HEAD_AFTER_BLOCK:
        return False
    near = page.lines[max(0, j - 3) : j] + page.lines[j + 1 : j + 4]
    return not any(other.is_date_line and other.label == line.label for other in near)


def _under_title(page: Page, j: int, title_at: int | None) -> bool:
    """A short line right under the headline (before the body starts) is the article's
    own meta line, whatever chrome called it: chrome has no headline to anchor it."""
    if title_at is None or not 0 < j - title_at <= 3:
        return False
    between = page.lines[title_at + 1 : j]
    line = page.lines[j]
    if line.words > 30 or any(other.is_body for other in between):
        return False
    return line.pos - page.lines[title_at].pos <= 3


def choose_date(
    page: Page, title_at: int | None, floor: date, today: date, threshold: float = THRESHOLD
) -> DateChoice | None:
    """The most publication-like date on the page, or None."""
    best: DateChoice | None = None
    for j, hit, features in candidate_features(page, title_at, floor, today):
        probability = 1.0 / (1.0 + math.exp(-linear_score(WEIGHTS, features)))
        if best is None or probability > best.probability:
            value = hit.as_date()
            assert value is not None
            best = DateChoice(page.lines[j], hit, value, probability, features)
    if best is None or best.probability < threshold:
        return None
    return best
