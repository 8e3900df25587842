"""Context rules of the `chrome` cleaner: regions, the body block, runs of short lines.

The paragraph classes from `_chrome_classify` are local guesses. Here the document as a
whole decides:

1. A comment thread (`Jane says:` author lines) runs to the end of the page; a related-list
   or comments header (`Related:`, `Lesen Sie auch`, `Comments`) after the body start opens
   a region that runs to the end of the page, or until body text resumes (a stretch of
   good paragraphs); everything in it is a teaser or a comment.
2. The body block is the contiguous span with the most body evidence (maximum-sum
   subarray: good text counts for, chrome against), less a small island of text cut off
   at its end, plus earlier stretches of real text cut off from it by a table or a table
   of contents; what lies outside these blocks is page furniture, except the standfirst
   just before the first; the headline just before it is metadata. Short sentences at
   the edges of a block, appeals and end markers (a share bar, a newsletter header)
   near its end and the line after its lead are `_chrome_edges`' rules.
3. Inside a block, a lone short line between body paragraphs is a subheading (kept), but
   a run of several short lines is a list of links or headlines (unless they are short
   sentences), and repeated units of short lines plus one paragraph are a teaser list
   (removed; a teaser's paragraph is short); one-sentence lines without final
   punctuation, or right after a photo credit, are captions.
"""

from __future__ import annotations

from dataclasses import dataclass

from cleankit.plugins._chrome_classify import BAD, GOOD, NEAR, SHORT, Verdict
from cleankit.plugins._chrome_edges import END_MARKERS, has_end_marker, short_sentence
from cleankit.plugins._chrome_fast_native import NATIVE
from cleankit.plugins._chrome_features import REGION_HEADER_CATEGORIES, Features

_LINE_RULES = ("meta:", "trigger:", "shape:")
# Rules whose paragraphs weigh little against the body block (see `weights`).
_LIGHT_RULES = _LINE_RULES + ("related-list",)
_CLASSES = (GOOD, NEAR, SHORT)  # the order `_chrome_native.weights` reads them in


@dataclass(frozen=True, slots=True)
class ContextParams:
    """Numbers for the context rules; presets shift some of them."""

    near_weight: float = 0.5
    short_penalty: float = 20.0
    bad_min_penalty: float = 20.0
    line_penalty_cap: float = 60.0
    title_run_min: int = 3
    caption_min_words: int = 10
    caption_max_words: int = 12
    teaser_units_min: int = 3
    teaser_max_chars: int = 300
    tail_gap_lines: int = 2
    tail_island_share: float = 0.1
    lead_reach: int = 8
    resume_run: int = 2
    region_header_max_chars: int = 80
    earlier_block_share: float = 0.1
    short_sentence_words: int = 4
    earlier_block_good: int = 2  # paragraphs of text (good or near-good) in an earlier block
    close_with_sentences: bool = True
    drop_closing_appeals: bool = True
    appeal_max_chars: int = 250
    drop_line_after_lead: bool = True
    end_markers: tuple[str, ...] = END_MARKERS
    end_marker_share: float = 0.05


def mark_regions(
    verdicts: list[Verdict], feats: list[Features], params: ContextParams, body_start: int
) -> None:
    """Rule 1: teasers and comments after a region header become `bad`. Only headers
    after the start of the body count: a `Comments (3)` link in the page head opens no
    region."""
    n = len(verdicts)
    i = body_start + 1
    while i < n:
        trig = feats[i].trigger
        header = (
            verdicts[i].cls == BAD
            and trig is not None
            and trig.category in REGION_HEADER_CATEGORIES
            and feats[i].chars <= params.region_header_max_chars
        )
        if not header:
            i += 1
            continue
        assert trig is not None
        end = _region_end(verdicts, feats, i + 1, params.resume_run)
        rule = "related-list" if trig.category == "related" else "comments-region"
        for k in range(i + 1, end):
            if verdicts[k].cls != BAD:
                verdicts[k] = Verdict(BAD, rule, trig.label, 0.7)
        i = max(end, i + 1)


def _region_end(verdicts: list[Verdict], feats: list[Features], start: int, resume_run: int) -> int:
    """Index where body text resumes after a region header (or the page end).

    Teasers come as a title line and one or two paragraphs; body text comes in longer
    stretches. So the region ends at the first stretch of `resume_run` good or near-good
    paragraphs not broken by a short (title) line; `bad` lines such as captions inside
    the stretch neither break nor count. An agency dateline (`PARIS, May 3 (AFP) --`)
    starts another story's teaser: it breaks the stretch and does not count."""
    run, run_start = 0, start
    for j in range(start, len(verdicts)):
        cls = verdicts[j].cls
        if feats[j].dateline:
            run = 0
            continue
        if cls in (GOOD, NEAR):
            if run == 0:
                run_start = j
            run += 1
            if run >= resume_run:
                return run_start
        elif cls == SHORT:
            run = 0
    return len(verdicts)


def body_block(spans: list[tuple[int, int, float]]) -> tuple[int, int]:
    """Rule 2: the [start, end) span with the most body evidence (Kadane's algorithm)
    among the `text_spans` of the page."""
    if not spans:
        return 0, 0
    start, end, _ = max(spans, key=lambda span: span[2])  # the first of equals
    return start, end


def text_spans(
    verdicts: list[Verdict], feats: list[Features], params: ContextParams
) -> list[tuple[int, int, float]]:
    """Every stretch of positive body evidence, as (start, end, evidence): the running sum
    of `weights` restarts when it falls to zero; each stretch ends where its sum peaked."""
    return spans_of(weights(verdicts, feats, params))


def spans_of(evidence: list[float]) -> list[tuple[int, int, float]]:
    """`text_spans` of the lines' body evidence (their `weights`): the compiled loop
    (`_chrome_native.spans`) when built, else `python_spans_of`."""
    if NATIVE is None:
        return python_spans_of(evidence)
    return NATIVE.spans(evidence)  # type: ignore[no-any-return]


def python_spans_of(evidence: list[float]) -> list[tuple[int, int, float]]:
    """`spans_of` in Python."""
    spans: list[tuple[int, int, float]] = []
    best, best_end = 0.0, 0
    total, start = 0.0, 0
    for i, weight in enumerate(evidence):
        total += weight
        if total <= 0:
            if best > 0:
                spans.append((start, best_end, best))
            total, start, best = 0.0, i + 1, 0.0
        elif total > best:
            best, best_end = total, i + 1
    if best > 0:
        spans.append((start, best_end, best))
    return spans


def earlier_blocks(
    verdicts: list[Verdict],
    spans: list[tuple[int, int, float]],
    params: ContextParams,
    start: int,
    repeated: list[bool],
) -> list[tuple[int, int]]:
    """Rule 2c: article text cut off before the body block by a table, a gallery or a
    table of contents (runs of short lines weigh against the block): a stretch of text
    before it that holds several paragraphs of text (good or near-good: a news text dense
    with names is near-good) and a tenth of the block's evidence is body too. A teaser or
    an author box before an article is one paragraph, or little text next to the
    article's; blurbs of a menu recur on the page (`repeated`: desktop and mobile menus),
    article text does not."""
    main = max((span[2] for span in spans), default=0.0)
    return [
        (first, last)
        for first, last, evidence in spans
        if last <= start
        and evidence >= params.earlier_block_share * main
        and _text_count(verdicts, first, last) >= params.earlier_block_good
        and not any(repeated[i] for i in range(first, last) if verdicts[i].cls in (GOOD, NEAR))
    ]


def _text_count(verdicts: list[Verdict], first: int, last: int) -> int:
    return sum(verdicts[i].cls in (GOOD, NEAR) for i in range(first, last))


def weights(verdicts: list[Verdict], feats: list[Features], params: ContextParams) -> list[float]:
    """Body evidence of each paragraph: its length when it is text (half for near-good
    text), a fixed penalty for a short line, its length against it when it is chrome.

    A byline, date line, caption or share bar between the lead and the body must not split
    them, nor an inline related box (already removed) two parts of the body: such lines
    weigh little whatever their length."""
    if NATIVE is None:
        return python_weights(verdicts, feats, params)
    near, short = params.near_weight, -params.short_penalty
    numbers = (near, short, params.bad_min_penalty, params.line_penalty_cap)
    return NATIVE.weights(verdicts, feats, _CLASSES, _LIGHT_RULES, numbers)  # type: ignore[no-any-return]


def python_weights(
    verdicts: list[Verdict], feats: list[Features], params: ContextParams
) -> list[float]:
    """`weights` in Python (`_chrome_native.weights` computes the same in C)."""
    near, short = params.near_weight, -params.short_penalty
    low, cap = params.bad_min_penalty, params.line_penalty_cap
    return [
        short
        if cls == SHORT
        else chars
        if cls == GOOD
        else near * chars
        if cls == NEAR
        else -(cap if chars > cap else chars if chars > low else low)
        if rule.startswith(_LIGHT_RULES)
        else -(chars if chars > low else low)
        for (cls, rule, _, _), chars in zip(verdicts, map(float, _chars(feats)), strict=True)
    ]


def _chars(feats: list[Features]) -> list[int]:
    return [f.chars for f in feats]


def short_runs(
    verdicts: list[Verdict], feats: list[Features], start: int, end: int, params: ContextParams
) -> list[int]:
    """Rule 3: indexes of short lines in runs of at least `title_run_min` short-or-bad lines
    inside [start, end) that hold at least that many short lines. A short sentence (a few
    words and a full stop) is not a headline: it breaks a run and stays (a list of short
    statements inside an article, a one-line paragraph)."""
    min_run = params.title_run_min
    found: list[int] = []
    run: list[int] = []
    shorts = 0
    for i in range(start, end + 1):
        cls = verdicts[i].cls if i < end else GOOD
        if cls == SHORT and short_sentence(feats[i], params.short_sentence_words):
            cls = GOOD
        if cls in (SHORT, BAD):
            run.append(i)
            shorts += cls == SHORT
            continue
        if shorts >= min_run:
            found.extend(k for k in run if verdicts[k].cls == SHORT)
        run, shorts = [], 0
    return found


def title_index(verdicts: list[Verdict], feats: list[Features], block_start: int) -> int | None:
    """The headline: the earliest title-like line (short, 4+ words, no final punctuation)
    in the few lines before the body block, up to the previous stretch of text."""
    found = None
    for i in range(block_start - 1, max(-1, block_start - 9), -1):
        v, f = verdicts[i], feats[i]
        if v.cls in (GOOD, NEAR):
            break
        if v.cls == SHORT and f.words >= 4 and not f.sentence_end:
            found = i
    return found


def unpunctuated_lines(
    verdicts: list[Verdict], feats: list[Features], start: int, end: int, min_words: int
) -> list[int]:
    """Caption-like lines inside the block: one sentence long enough to be a sentence,
    yet without the final punctuation every body paragraph has (`Zendaya attends a
    screening in London`). Spared: the block's first paragraph (a standfirst often has no
    final period), multi-sentence text, `Label: headline` lines (live-blog entries) and
    quotations (`"We could hear a sound like an electric saw"`: a pull quote or a
    subheading; captions describe, they do not quote)."""
    first = next((i for i in range(start, end) if verdicts[i].cls in (GOOD, NEAR)), start)
    return [
        i
        for i in range(first + 1, end)
        if verdicts[i].cls in (GOOD, NEAR, SHORT)
        and min_words <= feats[i].words <= 4 * min_words
        and feats[i].sentence_marks <= 2
        and not feats[i].sentence_end
        and not feats[i].labelled
        and not feats[i].quoted
    ]


def lead_index(
    verdicts: list[Verdict], feats: list[Features], block_start: int, reach: int, title: int | None
) -> int | None:
    """The standfirst: a paragraph of text (or a long unpunctuated sentence) just before
    the body block and after the headline, separated from the block only by short lines
    and line-like chrome (byline, date, share bar, caption)."""
    stop = max(-1, block_start - 1 - reach) if title is None else title
    for i in range(block_start - 1, stop, -1):
        v = verdicts[i]
        if v.cls in (GOOD, NEAR) or (v.cls == SHORT and feats[i].words >= 14):
            return i
        if v.cls == BAD and not v.rule.startswith(_LINE_RULES):
            return None
    return None


def credited_captions(
    verdicts: list[Verdict], feats: list[Features], start: int, end: int, max_words: int
) -> list[int]:
    """A short one-sentence paragraph right after a photo credit (`Photo by: DoD`) is the
    photo's caption."""
    found = []
    for i in range(max(start - 1, 0), end - 1):
        trig = feats[i].trigger
        if trig is None or trig.category != "caption" or verdicts[i].cls != BAD:
            continue
        j = i + 1
        if (
            start <= j < end
            and verdicts[j].cls in (GOOD, NEAR, SHORT)
            and 0 < feats[j].words <= max_words
            and feats[j].sentence_marks <= 1
        ):
            found.append(j)
    return found


def comment_thread(verdicts: list[Verdict], feats: list[Features]) -> None:
    """Rule 1b: from the first comment author line (`Jane says:`) after the first good
    paragraph, the rest of the page is a comment thread."""
    first_good = next((i for i, v in enumerate(verdicts) if v.cls == GOOD), len(verdicts))
    start = next((i for i in range(first_good, len(feats)) if feats[i].signature), None)
    if start is None:
        return
    for k in range(start, len(verdicts)):
        if verdicts[k].cls != BAD or k == start:
            verdicts[k] = Verdict(BAD, "comments-thread", "comments", 0.8)


def teaser_units(
    verdicts: list[Verdict],
    feats: list[Features],
    start: int,
    end: int,
    min_units: int,
    max_chars: int,
) -> list[int]:
    """Rule 3b: a list of teasers inside the block, as repeated units of two or more short
    lines (headline, author, section) followed by one paragraph of text. Body text with
    subheadings has one short line per section and several paragraphs after it. A
    teaser's paragraph is a sentence or two cut to fit a box (at most `max_chars`); a
    section of an article or of a listicle that looks the same has longer paragraphs."""
    units: list[tuple[int, int]] = []  # (first index, last index) of each unit
    found: list[int] = []
    i = start
    while i < end:
        j = i
        while j < end and verdicts[j].cls in (SHORT, BAD):
            j += 1
        shorts = sum(1 for k in range(i, j) if verdicts[k].cls == SHORT)
        k = j
        while k < end and verdicts[k].cls in (GOOD, NEAR):
            k += 1
        if shorts >= 2 and k - j == 1 and feats[j].chars <= max_chars:
            units.append((i, k - 1))
        else:
            found.extend(_flush(units, min_units))
            units = []
        i = max(k, i + 1)
    found.extend(_flush(units, min_units))
    return [n for n in found if verdicts[n].cls != BAD]


def _flush(units: list[tuple[int, int]], min_units: int) -> list[int]:
    if len(units) < min_units:
        return []
    return [n for first, last in units for n in range(first, last + 1)]


def trim_tail(
    verdicts: list[Verdict], feats: list[Features], start: int, end: int, params: ContextParams
) -> int:
    """Rule 2b: the body block's new end. A small island of text after a gap of two or more
    non-text lines at the end of the block (an author bio, a donation appeal, the first
    teaser of a list) is dropped when it holds little text next to the body before it.
    One line is gap enough when it is an end marker (a share bar, a newsletter or related
    header, a copyright line: `_chrome_edges.END_MARKERS`)."""
    while True:
        gap_end = end
        while gap_end > start and verdicts[gap_end - 1].cls in (GOOD, NEAR):
            gap_end -= 1
        island = sum(feats[i].chars for i in range(gap_end, end))
        gap_start = gap_end
        while gap_start > start and verdicts[gap_start - 1].cls not in (GOOD, NEAR):
            gap_start -= 1
        if gap_start <= start:
            return end
        if gap_end - gap_start < params.tail_gap_lines and not has_end_marker(
            verdicts, feats, gap_start, gap_end, params.end_markers
        ):
            return end
        before = sum(
            feats[i].chars for i in range(start, gap_start) if verdicts[i].cls in (GOOD, NEAR)
        )
        if island > params.tail_island_share * before:
            return end
        end = gap_start
