"""The `chrome` cleaner's fast paths give the same answers as the definitions they replace.

- `_chrome_fast_page.measure_page` (numpy, one pass per page) against
  `_chrome_features.measure_page_reference` (one pass per feature over the lines);
- `_chrome_fast_langid.classify` (vectorised DFA walk) against `py3langid.classify`;
- the character table against the regex engine and `str` methods it stands for;
- `Cleaner_chrome.clean` leaves the garbage collector as it found it.
"""

from __future__ import annotations

import gc
import gzip
import json
import re
from pathlib import Path

import py3langid
import pytest
from cleankit.plugins import _chrome_fast_langid as fast_langid
from cleankit.plugins._chrome_fast_chars import (
    DECIMAL,
    DIGIT,
    NONDIGIT_WORD,
    SPACE,
    WORD,
    classes,
    code_points,
    word_translation,
)
from cleankit.plugins._chrome_fast_page import measure_page as fast_measure_page
from cleankit.plugins._chrome_features import load_triggers, measure_page_reference
from cleankit.plugins._chrome_lang import document_stopwords, stopwords_for
from cleankit.plugins.chrome import Cleaner_chrome
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit.document import Document

SEEDS = sorted((Path(__file__).parents[1] / "seeds").glob("*.txt"))
CORPUS = Path(__file__).parents[1].parent / "shared" / "corpus-dev" / "docs.jsonl.gz"

# Characters the features react to, and some that change length or class when
# lower-cased (İ, Σ, ß), digits of other scripts, symbols above the BMP.
_SPECIAL = (
    ".!?…:;。！？'\"“”‘’«»‹›„‚)](/[©@|•·›»>→-_ \t\u00a0\u3000"
    "aAbBcCxXyYzZäÄöÖüÜéñßİΣσςıI0123456789٣߂²½Ⅻ中文字😀𝐀𐍈"
)
_LINE = st.text(alphabet=st.sampled_from(_SPECIAL), min_size=1, max_size=90)
_WORDS = st.sampled_from(
    [
        "by", "AFP", "Share", "on", "Facebook", "Read", "more", "Related", "Photo:", "(dpa)",
        "Updated", "September", "18,", "2015", "http://x.org", "www.a.de", "Explore", ">>",
        "Jane", "says:", "PARIS,", "May", "3", "(AFP)", "--", "©", "2024", "HomeNewsSport",
        "the", "der", "und", "le", "Advertisement", "Kommentare", "|", "•", "Lesen", "Sie",
        "auch", "Foto:", "reuters", "…", "...", "Ⅻ", "İstanbul", "ΣΟΦΟΣ", "x@y.com",
    ]
)  # fmt: skip
_PHRASE_LINE = st.lists(_WORDS, min_size=1, max_size=14).map(" ".join)


def _normalise(features: list) -> list[tuple]:  # type: ignore[type-arg]
    return [tuple(f) for f in features]


def _check_page(lines: list[str], stop: frozenset[str]) -> None:
    tset = load_triggers()
    texts = [t.strip() for t in lines if t.strip()]
    fast = fast_measure_page(texts, stop, tset)
    assert fast is not None
    assert _normalise(fast) == _normalise(measure_page_reference(texts, stop, tset))


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_fast_features_equal_reference_on_seeds(seed: Path) -> None:
    lines = seed.read_text(encoding="utf-8").splitlines()
    _check_page(lines, stopwords_for("en"))
    _check_page(lines, document_stopwords([t.strip() for t in lines if t.strip()]))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.one_of(_LINE, _PHRASE_LINE), min_size=1, max_size=12))
def test_fast_features_equal_reference_on_generated_lines(lines: list[str]) -> None:
    texts = [t.strip() for t in lines if t.strip()]
    if texts:
        _check_page(texts, stopwords_for("de"))


def test_fast_features_fall_back_on_pages_they_do_not_handle() -> None:
    tset = load_triggers()
    stop = stopwords_for("en")
    assert fast_measure_page(["one line", "two\nlines"], stop, tset) is None
    assert fast_measure_page(["", "text"], stop, tset) is None
    assert fast_measure_page([], stop, tset) == []


def test_fast_features_equal_reference_on_corpus_dev_pages() -> None:
    if not CORPUS.exists():
        pytest.skip("corpus-dev not present")
    with gzip.open(CORPUS, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for _, line in zip(range(60), f, strict=False)]
    for row in rows:
        _check_page(row["text"].split("\n"), stopwords_for("en"))


def test_character_table_matches_the_regex_engine_and_str() -> None:
    chars = "".join(map(chr, range(0x10000))) + "😀𝐀𐍈𝟘\U00020000\U000e0041"
    bits = classes(code_points(chars)).tolist()
    for char, b in zip(chars, bits, strict=True):
        assert bool(b & WORD) == (re.match(r"\w", char) is not None), hex(ord(char))
        assert bool(b & SPACE) == (re.match(r"\s", char) is not None), hex(ord(char))
        assert bool(b & DECIMAL) == (re.match(r"\d", char) is not None), hex(ord(char))
        assert bool(b & DIGIT) == char.isdigit(), hex(ord(char))
        assert bool(b & NONDIGIT_WORD) == (bool(b & WORD) and not char.isdigit())


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(_SPECIAL + "\n"), max_size=60))
def test_word_translation_splits_like_the_word_regex(text: str) -> None:
    lower = text.lower()
    translated = word_translation(code_points(lower)).tobytes().decode("utf-32-le")
    assert translated.split() == re.findall(r"\w+", lower)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet=st.sampled_from("ΣσςΑα .'İIß\u0345\u00ad"), max_size=8)))
def test_lower_casing_a_joined_page_lower_cases_each_line(lines: list[str]) -> None:
    """The page pass lower-cases the joined page once; Greek final sigma depends on
    context, which must not reach across the `\\n`."""
    assert "\n".join(lines).lower() == "\n".join(line.lower() for line in lines)


@pytest.mark.parametrize("seed", SEEDS, ids=lambda p: p.name)
def test_fast_langid_equals_py3langid_on_seed_lines(seed: Path) -> None:
    for line in seed.read_text(encoding="utf-8").splitlines():
        sample = line.strip()[:120]
        if sample:
            assert fast_langid.classify(sample) == py3langid.classify(sample)[0]


@settings(max_examples=200, deadline=None)
@given(
    st.one_of(
        st.text(min_size=1, max_size=120),
        st.lists(_WORDS, min_size=1, max_size=20).map(" ".join),
    )
)
def test_fast_langid_equals_py3langid_on_generated_text(text: str) -> None:
    assert fast_langid.classify(text) == py3langid.classify(text)[0]


def test_fast_langid_is_in_use() -> None:
    """The fast identifier passed its start-up self-test (else py3langid is called)."""
    assert fast_langid._fast() is not None


@pytest.mark.parametrize("enabled", [True, False])
def test_clean_restores_the_garbage_collector_state(enabled: bool) -> None:
    text = SEEDS[0].read_text(encoding="utf-8")
    was = gc.isenabled()
    try:
        gc.enable() if enabled else gc.disable()
        Cleaner_chrome().clean(Document.from_text("seed", text))
        assert gc.isenabled() is enabled
    finally:
        gc.enable() if was else gc.disable()
