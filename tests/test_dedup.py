"""Tests of the `dedup` cleaner on the seeds and on small labelled cases."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from cleankit.plugins._dedup_config import DedupConfig, optimal_banding
from cleankit.plugins.dedup import DedupCleaner
from hypothesis import given, settings
from hypothesis import strategies as st

from cleankit.document import Document
from cleankit.host import Host

SEEDS = Path(__file__).parents[1] / "seeds"
WORD = re.compile(r"\w+")

WIRE = (
    "The Pentagon said on Tuesday that defence officials from the United States and Russia "
    "held a ninety minute video conference to discuss safe flight operations over Syria."
)
WIRE_EDITED = WIRE.replace("ninety minute", "ninety-minute").replace("Tuesday", "Wednesday")
OTHER = (
    "Heavy fighting was also taking place in the plain in Hama province, a natural barrier "
    "between areas controlled by rival groups, according to local activists and monitors."
)
PROMO = "Subscribe to our morning newsletter for the top stories of the day in your inbox."


def seed_docs() -> list[Document]:
    return [
        Document.from_text(p.stem, p.read_text(encoding="utf-8"))
        for p in sorted(SEEDS.glob("*.txt"))
    ]


def run(docs: list[Document], **config: Any) -> tuple[list[Document], DedupCleaner]:
    cleaner = DedupCleaner(config)
    return list(cleaner.run(docs)), cleaner


def words(text: str) -> set[str]:
    return set(WORD.findall(text.casefold()))


def jaccard(a: str, b: str) -> float:
    x, y = words(a), words(b)
    return len(x & y) / len(x | y)


def removed(docs: list[Document]) -> list[tuple[str, int]]:
    return [(d.id, i) for d in docs for i, p in enumerate(d.paragraphs) if p.removed]


def audit(docs: list[Document]) -> str:
    """Everything dedup decided, as one string (to compare runs)."""
    out = []
    for d in docs:
        for i, p in enumerate(d.paragraphs):
            r = p.removed
            out.append(
                json.dumps(
                    [d.id, i, p.text, p.notes, r and [r.rule, r.score, r.detail]], sort_keys=True
                )
            )
    return "\n".join(out)


# -- seeds ---------------------------------------------------------------------------


def test_seed_001_every_paragraph_once_and_nothing_else_removed() -> None:
    docs, cleaner = run(seed_docs())
    assert {doc_id for doc_id, _ in removed(docs)} == {"001_d119ceb19cfc3e37"}
    doc = next(d for d in docs if d.id.startswith("001"))
    kept = [p.text for p in doc.paragraphs if p.kept and WORD.search(p.text)]
    for i, a in enumerate(kept):  # no two kept paragraphs are copies of each other
        assert all(jaccard(a, b) < 0.8 for b in kept[i + 1 :]), a
    for p in doc.paragraphs:  # every removed paragraph has its copy kept, as audited
        if p.removed:
            kept_copy = doc.paragraphs[p.removed.detail["kept_index"]]
            assert kept_copy.kept and jaccard(p.text, kept_copy.text) >= 0.8
            assert p.removed.detail["kept_doc"] == doc.id
            assert p.removed.detail["scope"] == "document"
            assert p.removed.detail["similarity"] >= 0.8
    assert len(removed(docs)) == 12  # the 3 teaser repeats and the 9-paragraph third copy
    assert cleaner.report()["removed_by_scope"] == {"document": 12, "source": 0, "corpus": 0}


def test_seed_short_and_lone_repeats_are_kept_and_noted() -> None:
    docs, cleaner = run(seed_docs())
    photo = [p for p in docs[3].paragraphs if p.text == "Photo by: DoD"]
    assert [p.kept for p in photo] == [True, True]
    assert photo[1].notes["dup_of"] == {"doc": docs[3].id, "index": 2, "similarity": 1.0}
    assert photo[1].notes["dup_count"] == 2
    lead = [p for p in docs[4].paragraphs if p.text.startswith("Defence officials")]
    assert len(lead) == 2 and all(p.kept for p in lead)
    assert lead[1].notes["dup_of"]["index"] == 1
    report = cleaner.report()
    assert report["kept_copies_short"] == 1 and report["kept_copies_lone"] == 1


def test_seed_options_remove_short_and_lone_repeats() -> None:
    docs, _ = run(seed_docs(), short_paragraphs="document", min_run=1)
    gone = {(d[:3], i) for d, i in removed(docs)}
    assert ("003", 3) in gone and ("004", 4) in gone
    assert ("003", 2) not in gone and ("004", 1) not in gone


def test_separator_lines_are_not_paragraphs_to_dedup() -> None:
    docs, _ = run(seed_docs(), short_paragraphs="scope")
    dashes = [p for p in docs[1].paragraphs if p.text == "-"]
    assert len(dashes) == 8 and all(p.kept and not p.notes for p in dashes)


def test_keep_longest_puts_the_complete_teaser_first() -> None:
    docs, cleaner = run(seed_docs(), keep="longest")
    doc = docs[1]
    teaser = doc.paragraphs[3]
    assert teaser.kept and teaser.text.endswith("he said.")
    assert teaser.edits and teaser.edits[0].before.endswith(" he")
    assert doc.paragraphs[8].removed and doc.paragraphs[8].removed.detail["moved_up"] is True
    assert cleaner.report()["moved_up"] == 1
    assert removed(docs) == removed(run(seed_docs())[0])


@pytest.mark.parametrize(
    "config",
    [
        {"verify": "exact"},
        {"shingle": "char", "shingle_size": 5},
        {"shingle_size": 2},
        {"num_perm": 64},
    ],
)
def test_seed_decisions_hold_for_other_settings(config: dict[str, Any]) -> None:
    docs, _ = run(seed_docs(), **config)
    assert removed(docs) == removed(run(seed_docs())[0])


# -- order and determinism -------------------------------------------------------------


def test_batch_size_and_repeat_runs_do_not_change_anything() -> None:
    reference = audit(run(seed_docs() + corpus_docs())[0])
    for size in (1, 2, 30, 100):
        assert audit(run(seed_docs() + corpus_docs(), batch_paragraphs=size)[0]) == reference
    assert audit(run(seed_docs() + corpus_docs())[0]) == reference


paragraph_pool = [
    WIRE,
    WIRE_EDITED,
    OTHER,
    PROMO,
    "Read more",
    "Photo by: DoD",
    WIRE[:-40],
    OTHER.upper(),
]


@settings(max_examples=25, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(paragraph_pool), max_size=6), min_size=1, max_size=8),
    st.integers(min_value=1, max_value=12),
)
def test_decisions_do_not_depend_on_batching(texts: list[list[str]], size: int) -> None:
    def make() -> list[Document]:
        return [Document.from_text(f"d{i}", "\n".join(t)) for i, t in enumerate(texts)]

    assert audit(run(make(), batch_paragraphs=size)[0]) == audit(run(make())[0])


def test_first_copy_in_corpus_order_is_kept() -> None:
    docs = [Document.from_text("a", OTHER + "\n" + WIRE_EDITED), Document.from_text("b", WIRE)]
    out, _ = run(docs)
    first = out[0].paragraphs[1]
    assert first.kept and not first.notes  # a first occurrence carries no note
    detail = out[1].paragraphs[0].removed.detail  # type: ignore[union-attr]
    assert detail["kept_doc"] == "a" and detail["kept_index"] == 1
    assert detail["scope"] == "corpus" and 0.8 <= detail["similarity"] < 1.0


# -- scopes, verification, short paragraphs ----------------------------------------------


def corpus_docs() -> list[Document]:
    return [
        Document.from_text("a", f"{WIRE}\n{PROMO}", source="site1"),
        Document.from_text("b", f"{OTHER}\n{PROMO}", source="site1"),
        Document.from_text("c", f"{WIRE_EDITED}\n{PROMO}", source="site2"),
        Document.from_text("d", f"{OTHER.lower()}\nRead more", source=None),
        Document.from_text("e", f"{PROMO}\nRead more", source=None),
    ]


def test_scope_corpus_removes_copies_everywhere() -> None:
    out, cleaner = run(corpus_docs())
    assert removed(out) == [("b", 1), ("c", 0), ("c", 1), ("d", 0), ("e", 0)]
    report = cleaner.report()
    assert report["removed_by_scope"] == {"document": 0, "source": 1, "corpus": 4}
    top = report["recurring"][0]
    assert top["text"] == PROMO and top["documents"] == 4 and top["copies"] == 4
    assert {"text": "Read more", "documents": 2, "copies": 2} in report["recurring"]


def test_scope_source_only_within_a_site() -> None:
    out, _ = run(corpus_docs(), scope="source")
    assert removed(out) == [("b", 1)]  # documents without a source: within themselves


def test_scope_document() -> None:
    out, _ = run(corpus_docs(), scope="document")
    assert removed(out) == []


def test_false_candidates_never_remove_text() -> None:
    # Same topic, many shared words, Jaccard about 0.5: LSH with 64 one-row bands
    # proposes them as candidates; verification must reject them.
    a = (
        "Russia and the United States held talks on Syria on Friday and agreed to "
        "continue talks on air safety over Syria next week in Geneva"
    )
    b = (
        "Russia and the United States held talks on Ukraine on Monday but did not agree "
        "to continue talks on sanctions next month in Vienna or Paris"
    )
    assert jaccard(a, b) < 0.7
    for verify in ("estimate", "exact"):
        out, _ = run(
            [Document.from_text("x", a), Document.from_text("y", b)],
            bands=64,
            rows=1,
            verify=verify,
        )
        assert removed(out) == []


def test_exact_verification_uses_true_jaccard() -> None:
    docs = [Document.from_text("a", WIRE), Document.from_text("b", WIRE_EDITED)]
    out, _ = run(docs, verify="exact")
    shingles_a, shingles_b = words(WIRE), words(WIRE_EDITED)
    expected = len(shingles_a & shingles_b) / len(shingles_a | shingles_b)
    assert out[1].paragraphs[0].removed.detail["similarity"] == round(expected, 4)  # type: ignore[union-attr]


def test_short_paragraphs_are_matched_exactly_only() -> None:
    docs = [
        Document.from_text("a", "Read more about it\nWatch the video now"),
        Document.from_text("b", "Read more about this\nWATCH the video, now!"),
    ]
    out, _ = run(docs, short_paragraphs="scope")
    assert removed(out) == [("b", 1)]


def test_case_punctuation_and_whitespace_variants_match() -> None:
    variant = "  " + WIRE.upper().replace(",", "").replace(" ", "   ") + " !!"
    out, _ = run([Document.from_text("a", WIRE), Document.from_text("b", variant)])
    detail = out[1].paragraphs[0].removed.detail  # type: ignore[union-attr]
    assert detail["similarity"] == 1.0 and out[1].paragraphs[0].removed.rule == "exact"  # type: ignore[union-attr]


def test_already_removed_paragraphs_are_ignored() -> None:
    docs = [Document.from_text("a", WIRE), Document.from_text("b", WIRE)]
    docs[0].paragraphs[0].remove("encoding", "garbage")
    out, _ = run(docs)
    assert out[1].paragraphs[0].kept and out[0].paragraphs[0].removed.cleaner == "encoding"  # type: ignore[union-attr]


# -- config and report -------------------------------------------------------------------


@pytest.mark.parametrize("threshold,num_perm", [(0.5, 64), (0.8, 128), (0.9, 256), (0.7, 96)])
def test_banding_matches_datasketch(threshold: float, num_perm: int) -> None:
    from datasketch.lsh import _optimal_param

    assert optimal_banding(threshold, num_perm, 0.2, 0.8) == _optimal_param(
        threshold, num_perm, 0.2, 0.8
    )
    assert optimal_banding(threshold, num_perm, 0.5, 0.5) == _optimal_param(
        threshold, num_perm, 0.5, 0.5
    )


def test_config_is_validated() -> None:
    with pytest.raises(ValueError):
        DedupConfig(bands=4)
    with pytest.raises(ValueError):
        DedupConfig(bands=20, rows=10, num_perm=128)
    with pytest.raises(ValueError):
        DedupConfig(unknown=1)  # type: ignore[call-arg]
    assert DedupConfig(bands=16, rows=8).banding() == (16, 8)


def test_report_states_index_memory() -> None:
    _, cleaner = run(seed_docs())
    report = cleaner.report()
    assert report["paragraphs_indexed"] == 122
    assert report["index_bytes_per_paragraph_bound"] == cleaner.store.bytes_per_row_bound + (
        (cleaner.bands + 1) * 48
    )
    json.dumps(report)


def test_registered_with_the_host() -> None:
    assert Host(load_entry_points=False).cleaner_class("dedup") is DedupCleaner


@pytest.mark.parametrize("shingle", ["word", "char"])
def test_a_batch_without_any_word_is_fine(shingle: str) -> None:
    """Separator-only documents may make up a whole batch (regression: char shingles
    used to fail on a batch without a single token)."""
    docs = [Document.from_text("sep", "-\n–\n***"), Document.from_text("a", WIRE)]
    out, cleaner = run(docs, shingle=shingle, shingle_size=3, batch_paragraphs=1)
    assert not removed(out) and cleaner.report()["paragraphs_indexed"] == 1


def test_hashing_handles_unusual_characters() -> None:
    """Astral characters, lone surrogates and NULs are code points like any other: two
    copies that differ only in case and punctuation still match exactly."""
    text = "Der 𝔘𝔫𝔦𝔠𝔬𝔡𝔢 Test \ud800 mit NUL\x00 und 😀 Emoji, sechs Wörter"
    docs = [Document.from_text("a", text), Document.from_text("b", text.upper() + "!")]
    out, _ = run(docs)
    assert out[1].paragraphs[0].removed is not None
    assert out[1].paragraphs[0].removed.rule == "exact"


@pytest.mark.parametrize("n", [30_000, 45_000])
def test_measured_index_memory_stays_under_the_bound(n: int) -> None:
    """Distinct synthetic paragraphs (every key new): the index, measured at its current
    capacity, stays within the stated bytes per paragraph once past the initial sizes."""
    rng = np.random.default_rng(n)
    vocabulary = np.array([f"w{i}" for i in range(50_000)])
    lines = [" ".join(vocabulary[rng.integers(0, vocabulary.size, 12)]) for _ in range(n)]
    docs = [Document.from_text(f"d{i}", "\n".join(lines[i : i + 20])) for i in range(0, n, 20)]
    _, cleaner = run(docs)
    report = cleaner.report()
    assert report["paragraphs_indexed"] == n
    assert report["index_bytes_per_paragraph"] <= report["index_bytes_per_paragraph_bound"]
