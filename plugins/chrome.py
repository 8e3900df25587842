"""Built-in cleaner `chrome`: tell article body from page furniture in scraped text.

Paragraph by paragraph, as jusText does on HTML but for plain text: each paragraph gets a
context-free class from what it looks like (length, stopword density for the detected
language, sentence punctuation, menu/symbol shapes, multilingual trigger phrases, how often
dedup saw it), then the page decides (related/comment regions, the densest body block,
runs of short title-like lines). Every removal names its rule and a score; every judged
paragraph gets `notes["chrome"]` = body | meta | boilerplate | related | comments | nav |
caption. Metadata lines (headline, byline, date line, credit) are removed with a `meta:`
rule so `headline_date` can still read them.
"""

from __future__ import annotations

import gc
from collections import Counter
from collections.abc import Iterable
from dataclasses import fields, replace
from itertools import compress, repeat
from operator import attrgetter, itemgetter, not_
from typing import Any, Literal, TypeVar

from cleankit.plugins._chrome_classify import (
    BAD,
    GOOD,
    NEAR,
    SHORT,
    Thresholds,
    Verdict,
    initial_class,
)
from cleankit.plugins._chrome_edges import (
    closing_appeals,
    closing_sentences,
    cut_at_end_marker,
    line_after_lead,
    opening_sentences,
)
from cleankit.plugins._chrome_features import Features, load_triggers, measure_page
from cleankit.plugins._chrome_lang import (
    UNSPACED_LANGS,
    detect_language,
    document_stopwords,
    has_stoplist,
    stopwords_for,
)
from cleankit.plugins._chrome_regions import (
    ContextParams,
    body_block,
    comment_thread,
    credited_captions,
    earlier_blocks,
    lead_index,
    mark_regions,
    short_runs,
    teaser_units,
    text_spans,
    title_index,
    trim_tail,
    unpunctuated_lines,
)
from cleankit.plugins._chrome_repeats import later_copies
from pydantic import Field

from cleankit import hookimpl
from cleankit.cleaner import CleanerConfig, DocumentCleaner
from cleankit.document import Document, Paragraph

Preset = Literal["balanced", "precision", "recall"]
Judged = tuple[Features, Verdict]  # a line's features and class, as if it occurred once

# What each preset changes (fields left None in the config take the preset's value).
_PRESETS: dict[str, dict[str, float]] = {
    "balanced": {},
    "precision": {"stop_low": 0.30, "stop_high": 0.36, "length_low": 90, "title_run_min": 2},
    "recall": {"stop_low": 0.18, "stop_high": 0.28, "length_low": 50, "title_run_min": 4},
}


class ChromeConfig(CleanerConfig):
    """Options of the chrome cleaner; None means "the preset's value"."""

    preset: Preset = Field("balanced", description="favour precision, recall, or balance")
    length_low: int | None = Field(
        None, ge=0, description="below this many chars a line is 'short'"
    )
    length_high: int | None = Field(
        None, ge=0, description="from this many chars a line can be 'good'"
    )
    stop_low: float | None = Field(
        None, ge=0, le=1, description="stopword density of 'near-good' text"
    )
    stop_high: float | None = Field(None, ge=0, le=1, description="stopword density of 'good' text")
    title_run_min: int | None = Field(
        None, ge=0, description="short lines in a row that form a list"
    )
    resume_run: int | None = Field(
        None, ge=0, description="good paragraphs that end a related region"
    )
    dup_count_min: int | None = Field(None, ge=0, description="dedup copies that mark boilerplate")
    near_weight: float | None = Field(None, ge=0, description="body evidence of a near-good char")
    short_penalty: float | None = Field(
        None, ge=0, description="body evidence against a short line"
    )
    caption_min_words: int | None = Field(
        None, ge=0, description="words of an unpunctuated caption"
    )
    remove_title: bool = Field(
        True, description="remove the headline line (rule meta:title); off: keep it, label meta"
    )
    drop_page_repeats: bool = Field(
        True,
        description="remove later copies of a paragraph the page prints twice (rule repeat)",
    )


class Cleaner_chrome(DocumentCleaner):
    name = "chrome"
    # 2: opening sentences kept, page repeats removed (rule repeat); 3: closing sentences
    # kept, closing appeals removed, the line after the lead removed (meta:after-lead),
    # earlier blocks from 10% of the main block's evidence, near-good paragraphs counted;
    # 4: end markers (share bar, newsletter header...) close the block, teaser paragraphs
    # are at most 300 characters
    version = "4"
    Config = ChromeConfig

    def __init__(self, config: ChromeConfig | dict[str, object] | None = None) -> None:
        super().__init__(config)  # type: ignore[arg-type]
        assert isinstance(self.config, ChromeConfig)
        self.options: ChromeConfig = self.config
        self.thresholds, self.params = _resolve(self.options)
        self.triggers = load_triggers()
        # Short lines (menu items, share buttons) recur within and across pages: judging
        # each distinct one once per language is a large speed-up. Bounded.
        self._judged: dict[str, dict[str, Judged]] = {}

    def clean(self, doc: Document) -> None:
        # Chrome makes no reference cycles, so the cyclic collector has nothing to free
        # here; with CPython's default thresholds its passes over the batch's documents
        # (triggered by chrome's short-lived tuples) cost ~20% of the time. Off while
        # chrome runs, restored after (`gc.disable` is process-wide, the state is not).
        collecting = gc.isenabled()
        gc.disable()
        try:
            self._clean(doc)
        finally:
            if collecting:
                gc.enable()

    def _clean(self, doc: Document) -> None:
        kept = [p for p in doc.paragraphs if p.removed is None]
        if not kept:
            return
        texts = [p.text.strip() for p in kept]
        lang = detect_language(texts)
        doc.meta.setdefault("lang", lang)
        unspaced = lang in UNSPACED_LANGS
        feats, verdicts = self._judge(texts, lang, unspaced)
        copies = Counter(texts)
        self._count_copies(kept, texts, copies, feats, verdicts, unspaced)
        repeated = [copies[t] > 1 for t in texts]
        _decide(verdicts, feats, repeated, self.params, self.options.remove_title)
        _spare_repeated_text(doc, kept, verdicts)
        for p, v in zip(kept, verdicts, strict=True):
            p.notes["chrome"] = v.label
            if v.cls == BAD:
                p.remove("chrome", v.rule, v.score)
        if self.options.drop_page_repeats:
            for index, earlier, similarity in list(later_copies(doc)):
                copy = doc.paragraphs[index]
                copy.notes["chrome"] = "boilerplate"
                copy.remove("chrome", "repeat", similarity, kept_index=earlier)

    def _judge(
        self, texts: list[str], lang: str, unspaced: bool
    ) -> tuple[list[Features], list[Verdict]]:
        """Features and context-free class of every line, as if it occurred once."""
        if not (has_stoplist(lang) or unspaced):
            # A stoplist of this document's own: not shareable through the cache.
            feats = measure_page(texts, document_stopwords(texts), self.triggers)
            return feats, list(map(initial_class, feats, repeat(self.thresholds), repeat(unspaced)))
        cache = self._judged.setdefault(lang, {})
        pairs = list(map(cache.get, texts))
        if None in pairs:
            # (`compress` and `map`: no Python-level loop over the lines.)
            missing = list(dict.fromkeys(compress(texts, map(not_, pairs))))
            fresh = self._judge_lines(missing, stopwords_for(lang), unspaced, cache)
            fresh.update(zip(compress(texts, pairs), filter(None, pairs), strict=True))  # known
            pairs = list(map(fresh.__getitem__, texts))
        return list(map(_FIRST, pairs)), list(map(_SECOND, pairs))

    def _judge_lines(
        self, texts: list[str], stop: frozenset[str], unspaced: bool, cache: dict[str, Judged]
    ) -> dict[str, Judged]:
        """Judge distinct lines the cache does not know; cache the short ones."""
        th = self.thresholds
        feats = measure_page(texts, stop, self.triggers)
        verdicts = map(initial_class, feats, repeat(th), repeat(unspaced))
        judged = dict(zip(texts, zip(feats, verdicts, strict=True), strict=True))
        if len(cache) + len(texts) > _CACHE_SIZE:
            cache.clear()
        short = map(_CACHED_CHARS.__ge__, map(len, judged))
        cache.update(compress(judged.items(), short))
        return judged

    def _count_copies(
        self,
        kept: list[Paragraph],
        texts: list[str],
        copies: Counter[str],
        feats: list[Features],
        verdicts: list[Verdict],
        unspaced: bool,
    ) -> None:
        """Re-class the lines that recur: several times on this page (`page_copies`), or
        in other documents according to dedup (`dup_count`)."""
        th = self.thresholds
        repeated = set(compress(copies, map(th.page_copies_min.__le__, copies.values())))
        noted = any(map(_NOTES, kept))
        if not (repeated or noted):
            return
        judged: dict[tuple[str, int], Verdict] = {}  # one verdict per distinct line and count
        # Without notes only the repeated lines change: visit just those.
        lines: Iterable[int] = range(len(kept))
        if not noted:
            lines = compress(lines, map(repeated.__contains__, texts))
        for i in lines:
            p = kept[i]
            dup = _dup_count(p) if noted and p.notes else 0
            text = texts[i]
            if dup or text in repeated:
                key = (text, dup)
                if key not in judged:
                    judged[key] = initial_class(feats[i], th, unspaced, dup, copies[text])
                verdicts[i] = judged[key]


_Params = TypeVar("_Params", Thresholds, ContextParams)
_CACHED_CHARS = 80
_FIRST: Any = itemgetter(0)
_NOTES: Any = attrgetter("notes")
_SECOND: Any = itemgetter(1)
_CACHE_SIZE = 200_000


def _resolve(config: ChromeConfig) -> tuple[Thresholds, ContextParams]:
    """Defaults, shifted by the preset, overridden by any option set in the config."""
    return _apply(Thresholds(), config), _apply(ContextParams(), config)


def _apply(params: _Params, config: ChromeConfig) -> _Params:
    """Set every field of `params` that the config exposes: the config value if given,
    else the preset's value, else the field's default (cast to the field's type)."""
    preset = _PRESETS[config.preset]
    changes = {}
    for f in fields(params):
        if f.name not in ChromeConfig.model_fields:
            continue
        default = getattr(params, f.name)
        value = getattr(config, f.name)
        chosen = value if value is not None else preset.get(f.name, default)
        changes[f.name] = type(default)(chosen)
    return replace(params, **changes)


def _spare_repeated_text(doc: Document, kept: list[Paragraph], verdicts: list[Verdict]) -> None:
    """A caption is not printed twice on a page; text that is (dedup removed its later
    copies and kept this one) is article text, even when the kept copy is a truncated
    teaser that looks like a caption. Removing it would lose the sentence altogether:
    its complete copies are already gone."""
    copied = _copied_indices(doc)
    if not copied:
        return
    position = {id(p): i for i, p in enumerate(kept)}
    for index in copied:
        i = position.get(id(doc.paragraphs[index]))
        if i is not None and verdicts[i].rule.startswith("caption:"):
            verdicts[i] = Verdict(GOOD)


def _copied_indices(doc: Document) -> set[int]:
    """Indices of paragraphs whose copies later in the same document dedup removed."""
    copied = set()
    for p in doc.paragraphs:
        r = p.removed
        if r is not None and r.cleaner == "dedup" and r.detail.get("kept_doc") == doc.id:
            index = r.detail.get("kept_index")
            if isinstance(index, int) and 0 <= index < len(doc.paragraphs):
                copied.add(index)
    return copied


def _dup_count(p: Paragraph) -> int:
    value = p.notes.get("dup_count", 0)
    return int(value) if isinstance(value, (int, float)) else 0


def _decide(
    verdicts: list[Verdict],
    feats: list[Features],
    repeated: list[bool],
    params: ContextParams,
    remove_title: bool,
) -> None:
    """Turn context-free classes into final verdicts (in place): `bad` means removed."""
    comment_thread(verdicts, feats)
    start, _ = body_block(text_spans(verdicts, feats, params))
    mark_regions(verdicts, feats, params, start)
    spans = text_spans(verdicts, feats, params)
    start, end = body_block(spans)
    end = trim_tail(verdicts, feats, start, end, params)
    end = cut_at_end_marker(verdicts, feats, start, end, params)
    end = closing_appeals(verdicts, feats, start, end, params)
    end = closing_sentences(verdicts, feats, end, params)
    blocks = [*earlier_blocks(verdicts, spans, params, start, repeated), (start, end)]
    blocks = [(opening_sentences(verdicts, feats, first, params), last) for first, last in blocks]
    first = blocks[0][0]
    title = title_index(verdicts, feats, first)
    lead = lead_index(verdicts, feats, first, params.lead_reach, title)
    for block_start, block_end in blocks:
        _inside_block(verdicts, feats, params, block_start, block_end)
    inside = [False] * len(verdicts)
    for block_start, block_end in blocks:
        inside[block_start:block_end] = [True] * (block_end - block_start)
    for i, v in enumerate(verdicts):
        if v.cls == BAD:
            continue
        if i == title:
            verdicts[i] = Verdict(BAD if remove_title else v.cls, "meta:title", "meta", 0.6)
        elif not inside[i] and i != lead:
            verdicts[i] = _OUTSIDE[v.cls, i < start]


def _inside_block(
    verdicts: list[Verdict], feats: list[Features], params: ContextParams, start: int, end: int
) -> None:
    """Rule 3 on one body block: lists of short lines, teaser lists, captions."""
    for i in short_runs(verdicts, feats, start, end, params):
        verdicts[i] = Verdict(BAD, "short-title-run", "related", 0.7)
    for i in teaser_units(
        verdicts, feats, start, end, params.teaser_units_min, params.teaser_max_chars
    ):
        verdicts[i] = Verdict(BAD, "teaser-list", "related", 0.7)
    for i in credited_captions(verdicts, feats, start, end, params.caption_max_words):
        verdicts[i] = Verdict(BAD, "caption:after-credit", "caption", 0.6)
    for i in unpunctuated_lines(verdicts, feats, start, end, params.caption_min_words):
        verdicts[i] = Verdict(BAD, "caption:unpunctuated", "caption", 0.6)
    if params.drop_line_after_lead:
        for i in line_after_lead(verdicts, feats, start, end):
            verdicts[i] = Verdict(BAD, "meta:after-lead", "meta", 0.5)


def _outside(cls: str, before: bool) -> Verdict:
    """The verdict on a line outside every body block, before the main one or after."""
    if cls == SHORT:
        label = "nav" if before else "related"
    else:
        label = "boilerplate" if before else "related"
    score = {GOOD: 0.55, NEAR: 0.7, SHORT: 0.85}.get(cls, 0.9)
    return Verdict(BAD, "context:outside-body", label, score)


_OUTSIDE = {
    (cls, before): _outside(cls, before) for cls in (GOOD, NEAR, SHORT) for before in (True, False)
}


@hookimpl
def cleankit_register_cleaners(register):  # type: ignore[no-untyped-def]
    register(Cleaner_chrome)
