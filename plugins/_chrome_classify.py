"""Initial, context-free class of each paragraph (jusText's idea, for plain text).

Classes: `good` (sentence-like body text), `near` (could be body), `short` (too short to
judge alone: headings, menu items, teaser titles) and `bad` (decided chrome, with a rule).
Context decides the fate of `near` and `short` later.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import NamedTuple

from cleankit.plugins._chrome_features import Features
from cleankit.plugins._chrome_triggers import Trigger

GOOD, NEAR, SHORT, BAD = "good", "near", "short", "bad"


@dataclass(frozen=True, slots=True)
class Thresholds:
    """The numbers the classifier uses; presets shift some of them."""

    length_low: int = 70
    length_high: int = 200
    stop_low: float = 0.25
    stop_high: float = 0.32
    unspaced_length_low: int = 25
    unspaced_length_high: int = 80
    dup_count_min: int = 3
    title_max_chars: int = 120
    page_copies_min: int = 3


class Verdict(NamedTuple):
    """A paragraph's class, and for `bad` the rule, chrome label and score that decided it
    (a tuple of plain values: the garbage collector stops tracking it)."""

    cls: str
    rule: str = ""
    label: str = "body"
    score: float = 0.0


# Shared, never mutated: the undecided classes carry no rule, so one instance each will do
# (a fresh object per line was a measurable share of the cleaner's time).
_GOOD, _NEAR, _SHORT = Verdict(GOOD), Verdict(NEAR), Verdict(SHORT)


def initial_class(
    f: Features, th: Thresholds, unspaced: bool, dup_count: int = 0, page_copies: int = 1
) -> Verdict:
    """Class from the paragraph's own features (no context), how often dedup saw it in
    other documents (`dup_count`) and how often it occurs in this page (`page_copies`)."""
    shape = _shape_verdict(f)
    if shape is not None:
        return shape
    if page_copies >= th.page_copies_min and f.chars < th.length_low and not f.sentence_end:
        # `Article content`, `Advertisement`, a section label: repeated page furniture.
        return Verdict(BAD, "shape:repeated-line", "nav", min(1.0, 0.5 + page_copies / 10))
    weak = f.trigger is not None and f.trigger.weak and not f.trigger_specific
    if f.trigger is not None and not (weak and _reads_as_sentence(f, th)):
        return _trigger_verdict(f.trigger)
    if dup_count >= th.dup_count_min and f.chars < 2 * th.length_high:
        return Verdict(BAD, "recurrent", "boilerplate", min(1.0, 0.5 + dup_count / 20))
    if unspaced:
        return _unspaced_class(f, th)
    if f.chars < th.length_low:
        return _SHORT
    if (not f.sentence_end or f.truncated) and f.chars < th.title_max_chars:
        return _SHORT  # a title or label line (or a cut-off teaser headline)
    if f.stop_density >= th.stop_high and (f.chars >= th.length_high or f.sentence_marks >= 2):
        return _GOOD
    if f.stop_density >= th.stop_low:
        return _NEAR
    if (f.sentence_marks >= 2 or f.words >= 8) and f.stop_density >= th.stop_low / 2:
        return _NEAR  # a sentence dense with names
    score = round(1.0 - f.stop_density / th.stop_low, 3)
    return Verdict(BAD, "low-stopwords", "boilerplate", score)


def _trigger_verdict(trig: Trigger) -> Verdict:
    """One shared verdict per trigger category (the line cache holds one per line)."""
    found = _TRIGGER_VERDICTS.get(trig.category)
    if found is None:
        rule = f"meta:{trig.meta}" if trig.meta else f"trigger:{trig.category}"
        found = _TRIGGER_VERDICTS[trig.category] = Verdict(BAD, rule, trig.label, 0.9)
    return found


_TRIGGER_VERDICTS: dict[str, Verdict] = {}
_SYMBOLS = Verdict(BAD, "shape:symbols", "nav", 0.95)
_DATE = Verdict(BAD, "meta:date", "meta", 0.9)
_MENU = Verdict(BAD, "shape:menu", "nav", 0.85)
_GLUED = Verdict(BAD, "shape:glued-links", "nav", 0.8)
_LINK = Verdict(BAD, "shape:link", "nav", 0.8)


def _shape_verdict(f: Features) -> Verdict | None:
    """Menus flattened into one line, glued link lists, symbol-only lines, bare dates."""
    if not f.has_letters:
        return _SYMBOLS
    if f.date_only:
        return _DATE
    if f.menu_separators >= 2 and f.menu_separators * 40 >= f.chars - 40:
        return _MENU
    if (f.glued_words >= 3 and f.words <= 12) or (f.glued_words >= 2 and f.words == 1):
        return _GLUED
    if f.link_shaped:
        return _LINK
    return None


def _unspaced_class(f: Features, th: Thresholds) -> Verdict:
    """Chinese/Japanese-like text: length and sentence punctuation instead of stopwords."""
    if f.chars < th.unspaced_length_low:
        return _SHORT
    if f.chars >= th.unspaced_length_high and f.sentence_marks >= 1:
        return _GOOD
    if f.sentence_marks >= 1 or f.sentence_end:
        return _NEAR
    return _SHORT


def _reads_as_sentence(f: Features, th: Thresholds) -> bool:
    """A real sentence that merely mentions `share` or `comment` is not a share button."""
    return f.words >= 8 and f.sentence_end and f.stop_density >= th.stop_low
