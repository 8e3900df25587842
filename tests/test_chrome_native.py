"""The compiled kernels of `chrome` (`plugins/_chrome_native.c`) compute exactly what the
Python code computes: the page pass the features of the numpy pass and of the reference
definitions, line for line (trigger and its specificity included); the language walk and
scoring py3langid's counts, scores and answer; and so the cleaner's whole output. Skipped
when the extension was not built (then the numpy code runs)."""

from __future__ import annotations

import gzip
import heapq
import json
import re
from collections import Counter
from collections.abc import Iterator
from contextlib import contextmanager
from itertools import islice
from pathlib import Path
from typing import Any

import numpy as np
import py3langid
import pytest
from cleankit.plugins import _chrome_fast_langid as fast_langid
from cleankit.plugins import _chrome_fast_native as fast_native
from cleankit.plugins import _chrome_regions as regions
from cleankit.plugins._chrome_classify import BAD, GOOD, NEAR, SHORT, Verdict
from cleankit.plugins._chrome_dispatch import literal_prefixes
from cleankit.plugins._chrome_fast_page import measure_page_numpy
from cleankit.plugins._chrome_features import Features, load_triggers, measure_page_reference
from cleankit.plugins._chrome_lang import document_stopwords, stopwords_for
from cleankit.plugins._chrome_regions import ContextParams
from cleankit.plugins.chrome import Cleaner_chrome
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit.document import Document

NATIVE = fast_native.NATIVE
pytestmark = pytest.mark.skipif(NATIVE is None, reason="chrome's C page pass not built")
SEEDS = sorted((Path(__file__).parents[1] / "seeds").glob("*.txt"))
CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus-dev" / "docs.jsonl.gz"

# The characters the features react to (as tests/test_chrome_speedpath.py), plus
# characters above the BMP (word and not), lone surrogates, and characters whose lower
# case is longer (İ) or depends on context (Σ).
_SPECIAL = (
    ".!?…:;。！？'\"“”‘’«»‹›„‚)](/[©@|•·›»>→-_ \t\u00a0\u3000"
    "aAbBcCxXyYzZäÄöÖüÜéñßİΣσςıI0123456789٣߂²½Ⅻ中文字😀𝐀𐍈𝟘\U00020000\ud800\udfff"
)
_LINE = st.text(alphabet=st.sampled_from(_SPECIAL), min_size=1, max_size=90)
_WORDS = st.sampled_from(
    [
        "by", "AFP", "Share", "on", "Facebook", "Read", "more", "Related", "Photo:", "(dpa)",
        "Updated", "September", "18,", "2015", "http://x.org", "www.a.de", "Explore", ">>",
        "Jane", "says:", "PARIS,", "May", "3", "(AFP)", "--", "©", "2024", "HomeNewsSport",
        "the", "der", "und", "le", "Advertisement", "Kommentare", "|", "•", "Lesen", "Sie",
        "auch", "Foto:", "reuters", "…", "...", "Ⅻ", "İstanbul", "ΣΟΦΟΣ", "x@y.com", "😀",
        "𝐁𝐨𝐥𝐝", "\ud800", "join", "the", "conversation", "cookies", "newsletter", "Bild:",
        "/", "dpa", "Von", "Seite", "2", "Anzeige", "Mehr", "(c)", "기자", "a@b", "입력",
        "Tags:", "posted", "in", "vor", "5", "Stunden", "ago", "comments", "Comment", "",
    ]
)  # fmt: skip
_PHRASE_LINE = st.lists(_WORDS, min_size=1, max_size=14).map(" ".join)
_LONG_LINE = st.lists(_WORDS, min_size=100, max_size=400).map(" ".join)


def _features(texts: list[str], stop: frozenset[str]) -> tuple[list[tuple[Any, ...]], ...]:
    tset = load_triggers()
    native = fast_native.measure_page(texts, stop, tset)
    numpy = measure_page_numpy(texts, stop, tset)
    assert native is not None and numpy is not None
    reference = measure_page_reference(texts, stop, tset)
    return tuple([tuple(f) for f in found] for found in (native, numpy, reference))


def _check_page(lines: list[str], stop: frozenset[str]) -> None:
    texts = [t.strip() for t in lines if t.strip()]
    if not texts:
        return
    native, numpy, reference = _features(texts, stop)
    assert native == reference
    assert numpy == reference


def test_constants_are_those_the_python_side_uses() -> None:
    assert NATIVE.constants() == fast_native.expected_constants()


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_native_features_equal_numpy_and_reference_on_seeds(seed: Path) -> None:
    lines = seed.read_text(encoding="utf-8").splitlines()
    _check_page(lines, stopwords_for("en"))
    _check_page(lines, stopwords_for("de"))
    _check_page(lines, document_stopwords([t.strip() for t in lines if t.strip()]))


def test_native_features_equal_reference_on_corpus_dev_pages() -> None:
    if not CORPUS.exists():
        pytest.skip("corpus-dev not present")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in islice(f, 150)]
    for row in rows:
        lines = row["text"].split("\n")
        _check_page(lines, stopwords_for("en"))
        _check_page(lines[:40], stopwords_for("fr"))


@settings(max_examples=400, deadline=None)
@given(st.lists(st.one_of(_LINE, _PHRASE_LINE), min_size=1, max_size=12))
def test_native_features_equal_reference_on_generated_lines(lines: list[str]) -> None:
    _check_page(lines, stopwords_for("de"))
    _check_page(lines, stopwords_for("en"))


@settings(max_examples=40, deadline=None)
@given(st.lists(st.one_of(_LONG_LINE, _PHRASE_LINE), min_size=1, max_size=4))
def test_native_features_equal_reference_on_long_lines(lines: list[str]) -> None:
    _check_page(lines, stopwords_for("en"))


def test_lines_without_words_and_odd_characters() -> None:
    lines = [
        "...", "!!! ???", "— – -", "😀😀😀", "\ud800 \udfff", "𝐁𝐨𝐥𝐝 𝐭𝐞𝐱𝐭.", "©", "|",
        "x" * 5000, "Wort " * 3000, "by " + "ab" * 400, "İSTANBUL: ΣΟΦΟΣ ΛΟΓΟΣ.",
        "“Quoted.”", "Read more »", "www.example.com", "Explore →", "10:30", "Jane says:",
    ]  # fmt: skip
    _check_page(lines, stopwords_for("en"))
    tset = load_triggers()
    feats = fast_native.measure_page(lines, stopwords_for("en"), tset)
    assert feats is not None
    assert feats[0].words == 0 and feats[0].sentence_end and feats[0].truncated
    assert feats[3].words == 0 and not feats[3].has_letters
    assert feats[5].words == 2 and feats[5].full_stop  # mathematical bold letters are \w


def test_pages_the_pass_does_not_handle_fall_back() -> None:
    tset = load_triggers()
    stop = stopwords_for("en")
    assert fast_native.measure_page(["one line", "two\nlines"], stop, tset) is None
    assert fast_native.measure_page(["", "text"], stop, tset) is None
    assert fast_native.measure_page([], stop, tset) == []


def test_measure_rejects_a_page_with_another_line_count() -> None:
    tset = load_triggers()
    with pytest.raises(ValueError):
        _raw_measure("a\nb", 3, tset)
    with pytest.raises(ValueError):
        _raw_measure("a\nb\nc", 2, tset)


def _raw_measure(page: str, n: int, tset: Any) -> Any:
    from cleankit.plugins._chrome_fast_chars import bits_above, tables

    index, groups, digit = fast_native._starts_table(tset.starts)
    words = fast_native._word_table(NATIVE, stopwords_for("en"), tset)
    limits = (*fast_native._LIMITS, tset.scan_chars)
    return NATIVE.measure(
        page, page.lower(), n, tables()[0], bits_above, words, index, groups, digit, limits
    )


def test_starts_prefixes_begin_every_match() -> None:
    """`StartsDispatch.prefixes` (the C pre-filter) never skips a line `match` matches."""
    tset = load_triggers()
    found = tset.starts.prefixes()
    assert found is not None
    by_first, digit = found
    lines = [
        "by afp", "von dpa", "read more", "related stories", "(afp)", "source: xinhua",
        "published: 2015-10-15", "veröffentlicht am 3. mai 2015", "photo: ap", "1 of 12",
        "advertisement", "ad", "mehr", "más", "schließen", "tags:", "입력 : 2015", "광고",
        "mis à jour le 3", "3 hours ago", "10:30", "page 2", "this story was updated",
    ]  # fmt: skip
    for line in lines:
        assert tset.starts.match(line) is not None, line
        first = line[0]
        if first.isdigit():
            assert digit
        else:
            assert any(line.startswith(p) for p in by_first[first]), line


def test_literal_prefixes() -> None:
    assert literal_prefixes(r"(?:by|von)\s+\w") == {"by", "von"}
    with_and_without = {"ap", "afp", "(ap", "(afp", "ap)", "afp)", "(ap)", "(afp)"}
    assert literal_prefixes(r"\(?(?:ap|afp)\)?\s*$") == with_and_without
    assert literal_prefixes(r"ver[öo]ffentlicht\b") == {"veröffen", "veroffen"}
    assert literal_prefixes(r"\d+ ago") is None
    assert literal_prefixes(r"(?i)by") is None
    assert literal_prefixes(r"x*y") is None
    for pattern, line in ((r"(?:main )?menu\b", "main menu"), (r"ad$", "ad")):
        prefixes = literal_prefixes(pattern)
        assert prefixes is not None and re.match(pattern, line)
        assert any(line.startswith(p) for p in prefixes)


@contextmanager
def native_pass(on: bool) -> Iterator[None]:
    saved = fast_native.NATIVE
    fast_native.NATIVE = saved if on else None
    try:
        yield
    finally:
        fast_native.NATIVE = saved


def _clean_all(texts: list[str], preset: str) -> list[list[tuple[Any, ...]]]:
    chrome = Cleaner_chrome({"preset": preset})
    out = []
    for n, text in enumerate(texts):
        doc = Document.from_text(f"d{n}", text)
        chrome.clean(doc)
        out.append(
            [
                (p.text, p.notes.get("chrome"), None if p.removed is None else p.removed.rule)
                + (() if p.removed is None else (p.removed.score, repr(p.removed.detail)))
                for p in doc.paragraphs
            ]
            + [(json.dumps(doc.meta, sort_keys=True),)]
        )
    return out


@pytest.mark.parametrize("preset", ["balanced", "precision", "recall"])
def test_cleaner_output_identical_with_and_without_the_native_pass(preset: str) -> None:
    texts = [seed.read_text(encoding="utf-8") for seed in SEEDS]
    if CORPUS.exists():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
            texts += [json.loads(line)["text"] for line in islice(f, 300)]
    with native_pass(True):
        native = _clean_all(texts, preset)
    with native_pass(False):
        numpy = _clean_all(texts, preset)
    assert native == numpy


def _samples() -> list[str]:
    samples = [
        line.strip()[:120]
        for seed in SEEDS
        for line in seed.read_text(encoding="utf-8").splitlines()
        if line.strip()
    ]
    if CORPUS.exists():
        with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
            for line in islice(f, 300):
                lines = sorted(json.loads(line)["text"].split("\n"), key=len, reverse=True)
                samples.append(" ".join(t.strip()[:120] for t in lines[:3]))
    return samples


def _classify(text: str, compiled: bool) -> str:
    with native_pass(compiled):
        return fast_langid.classify(text)


def test_language_walk_and_scoring_equal_numpy_and_py3langid() -> None:
    assert fast_langid._fast() is not None and fast_langid._fast().native_ready  # type: ignore[union-attr]
    for sample in _samples():
        expected = py3langid.classify(sample)[0]
        assert _classify(sample, True) == expected == _classify(sample, False), sample


@settings(max_examples=300, deadline=None)
@given(st.one_of(st.text(max_size=200), _PHRASE_LINE, st.binary(max_size=50).map(repr)))
def test_language_of_generated_text_equals_py3langid(text: str) -> None:
    expected = py3langid.classify(text)[0]
    assert _classify(text, True) == expected == _classify(text, False)


def test_language_scores_equal_py3langid_scores_bit_for_bit() -> None:
    fast = fast_langid._fast()
    assert fast is not None
    ident = fast.ident
    for sample in _samples()[:200]:
        data = ident._encode(sample)
        visits = NATIVE.dfa_visits(data, fast.next_move, fast.row_base, fast.output, fast.depth)
        walked = fast._features(np.frombuffer(data, dtype=np.uint8)).tolist()
        assert list(visits.items()) == list(Counter(walked).items())
        if visits:
            native_scores = fast._native_score(NATIVE, visits)
            assert np.array_equal(native_scores, ident._sparse_score(visits, ident.nb_ptc))


def test_half_rows_convert_every_half_as_numpy() -> None:
    halves = np.arange(0x10000, dtype=np.uint16).view(np.float16).reshape(-1, 16)
    finite = halves.copy()
    finite[np.isnan(finite)] = 0  # the instruction path is only used without NaNs
    keys = dict.fromkeys(range(finite.shape[0]), 1)
    for table, fast in ((halves, False), (finite, True), (finite, False)):
        out = np.empty(table.shape, dtype=np.float32)
        NATIVE.half_rows(table, 16, keys, out, fast)
        assert out.view(np.uint32).tolist() == table.astype(np.float32).view(np.uint32).tolist()


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab😀 ", max_size=6), max_size=30), st.integers(0, 6))
def test_longest_lines_are_heapq_nlargest(lines: list[str], k: int) -> None:
    expected = heapq.nlargest(k, lines, key=len)
    found = NATIVE.longest(lines, k)
    assert found == expected
    assert all(a is b for a, b in zip(found, expected, strict=True))  # the same objects


_RULES = st.sampled_from(
    ["", "meta:date", "trigger:share", "shape:menu", "related-list", "low-stopwords", "repeat"]
)
_VERDICTS = st.builds(
    Verdict,
    st.sampled_from([GOOD, NEAR, SHORT, BAD, "".join(["go", "od"])]),
    _RULES,
    st.just("nav"),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(_VERDICTS, st.integers(1, 400)), max_size=40))
def test_native_weights_and_spans_equal_python(lines: list[tuple[Verdict, int]]) -> None:
    verdicts = [v for v, _ in lines]
    feats = [Features(*((chars,) + (0,) * (len(Features._fields) - 1))) for _, chars in lines]
    params = ContextParams()
    evidence = regions.weights(verdicts, feats, params)
    expected = regions.python_weights(verdicts, feats, params)
    assert [float.hex(w) for w in evidence] == [float.hex(w) for w in expected]
    assert regions.spans_of(evidence) == regions.python_spans_of(expected)
