"""The `encoding` cleaner's document-level screens never clear what needs work.

`DocumentScreen.all_clean` (all paragraphs at once) and `may_hold_wrapped_runs` (the
rewrap pre-check) are shortcuts: each test here checks that skipping on their word gives
the very output of doing the work.
"""

from __future__ import annotations

import gzip
import itertools
import json
import random
import re
import textwrap
import unicodedata
from pathlib import Path

import pytest
from cleankit.plugins._encoding_fixes import (
    _INVISIBLE,
    _OWN_FIX_SUSPECT_CHARS,
    ParagraphRepairer,
    RepairOptions,
)
from cleankit.plugins._encoding_rewrap import (
    RewrapOptions,
    find_wrapped_runs,
    may_hold_wrapped_runs,
)
from cleankit.plugins._encoding_screen import _ENTITY_LIKE, COMPOSES_WITH_ASCII
from cleankit.plugins.encoding import Cleaner_encoding
from ftfy import chardata
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from cleankit.document import Document

REPO = Path(__file__).resolve().parents[1]
SEEDS = sorted((REPO / "seeds").glob("*.txt"))
CORPUS_DIR = REPO.parent / "shared" / "corpus-dev"
ALL_CHARS = "".join(chr(c) for c in itertools.chain(range(0xD800), range(0xE000, 0x110000)))


def read_pages(name: str, count: int, seed: int) -> list[str]:
    path = CORPUS_DIR / name
    if not path.exists():
        return []
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        pages = [json.loads(line)["text"] for line in handle]
    return random.Random(seed).sample(pages, min(count, len(pages)))


# --- the tables the screens rely on ----------------------------------------------------


def test_only_the_combining_block_composes_with_ascii() -> None:
    """The runs blank ASCII out, so a mark composing with an ASCII character (or a
    character decomposing to one) must be in COMPOSES_WITH_ASCII. Compositions come only
    from canonical two-part decompositions."""
    block = re.compile(f"[{COMPOSES_WITH_ASCII}]")
    second_to_ascii = set()
    for char in ALL_CHARS[0x80:]:
        parts = unicodedata.decomposition(char).split()
        if len(parts) == 2 and not parts[0].startswith("<") and int(parts[0], 16) < 0x80:
            second_to_ascii.add(chr(int(parts[1], 16)))
    assert second_to_ascii and all(block.match(c) for c in second_to_ascii)
    for char in ALL_CHARS[0x80:]:
        if not block.match(char):
            for form in ("NFD", "NFKD"):
                assert unicodedata.normalize(form, char)[0] not in second_to_ascii, hex(ord(char))


def test_entity_screen_covers_ftfy_and_the_own_entity_fix() -> None:
    assert chardata.HTML_ENTITY_RE.pattern == "&#?[0-9A-Za-z]{1,24};", "ftfy changed"
    for entity in ("&amp;", "&#8217;", "&#x2019;", "&#X1F600;", "&" + "a" * 32 + ";"):
        assert _ENTITY_LIKE.search(entity)


def test_own_fix_suspects_cover_every_character_the_fixes_remove_or_change() -> None:
    suspects = set(re.findall(f"[{_OWN_FIX_SUSPECT_CHARS}]", ALL_CHARS))
    spaces = {c for c in ALL_CHARS if c.isspace() and c not in " \n"}
    assert spaces - {"\t", "\r", "\x0b", "\x0c"} <= suspects
    assert set(_INVISIBLE.findall(ALL_CHARS)) <= suspects
    assert {"\u00b4", "Â", "Ã"} <= suspects


# --- the document screen ---------------------------------------------------------------

REPAIRER = ParagraphRepairer(RepairOptions())
SOFT = ParagraphRepairer(RepairOptions(soft_hyphens=True, normalization="NFKC"))


def assert_screen_clears_only_clean_texts(texts: list[str]) -> None:
    for repairer in (REPAIRER, SOFT):
        suspects = set(repairer.to_repair(texts))
        for i, text in enumerate(texts):
            if i not in suspects:
                assert repairer.repair(text) == (text, []), repr(text)
        assert suspects or all(text == text.strip() for text in texts)


def test_document_screen_on_seeds_and_their_damage() -> None:
    for path in SEEDS:
        lines = path.read_text(encoding="utf-8").splitlines()
        assert_screen_clears_only_clean_texts(lines)
        clean = [" ".join(line.replace("´", "'").split()) for line in lines]
        assert_screen_clears_only_clean_texts(clean)
        assert not REPAIRER.to_repair([t for t in clean if t])


@pytest.mark.skipif(not CORPUS_DIR.exists(), reason="../shared/corpus-dev not present")
def test_document_screen_on_corpus_pages() -> None:
    for page in read_pages("docs.jsonl.gz", 400, 7) + read_pages("docs_noisy.jsonl.gz", 200, 8):
        assert_screen_clears_only_clean_texts(
            [p.text for p in Document.from_text("x", page).paragraphs]
        )


SCREEN_ALPHABET = st.sampled_from(
    list("ab Zz.;&#1x\n\t\r\u00a0\u00ad\u00b4ÂÃ©¤\u2019\u201c\u0301\u0308\u0327\u05b0é")
    + list("\u200b\u200d\u2028\u3000\ufeff\x85\x96ﬁ＆Å\u212b\u1100\u1161")
)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(alphabet=SCREEN_ALPHABET, max_size=12), min_size=1, max_size=6))
def test_document_screen_on_generated_paragraphs(texts: list[str]) -> None:
    assert_screen_clears_only_clean_texts(texts)


@pytest.mark.skipif(not CORPUS_DIR.exists(), reason="../shared/corpus-dev not present")
def test_cleaner_output_is_the_same_without_the_fast_path() -> None:
    fast, slow = Cleaner_encoding(), Cleaner_encoding({"fast_path": False})
    for page in read_pages("docs_noisy.jsonl.gz", 60, 9) + read_pages("docs.jsonl.gz", 60, 10):
        a, b = Document.from_text("x", page), Document.from_text("x", page)
        fast.clean(a)
        slow.clean(b)
        assert [(p.text, p.removed, p.edits) for p in a.paragraphs] == [
            (p.text, p.removed, p.edits) for p in b.paragraphs
        ]


# --- the rewrap pre-check --------------------------------------------------------------


def assert_precheck_never_misses(text: str) -> None:
    doc = Document.from_text("x", text)
    lines = [p.text.strip() for p in doc.paragraphs]
    gaps = [p.gap_before for p in doc.paragraphs]
    for options in (RewrapOptions(), RewrapOptions(min_width=20, min_evidence=1)):
        if find_wrapped_runs(lines, gaps, options):
            assert may_hold_wrapped_runs("\n".join(lines), options), text[:300]


@pytest.mark.skipif(not CORPUS_DIR.exists(), reason="../shared/corpus-dev not present")
def test_rewrap_precheck_on_corpus_pages() -> None:
    for page in read_pages("docs_noisy.jsonl.gz", 600, 11) + read_pages("docs.jsonl.gz", 300, 12):
        assert_precheck_never_misses(page)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(st.text(alphabet="abc defghij ,.;:ÄÉ«»\"'-1", min_size=1, max_size=400), max_size=5),
    st.integers(min_value=20, max_value=90),
    st.booleans(),
)
def test_rewrap_precheck_on_generated_wraps(paragraphs: list[str], width: int, long: bool) -> None:
    if long:
        paragraphs = [p.replace(" ", "", 3) for p in paragraphs]
    wrapped = [
        "\n".join(textwrap.wrap(p, width, break_long_words=True)) for p in paragraphs if p.strip()
    ]
    assert_precheck_never_misses("\n".join(wrapped))
