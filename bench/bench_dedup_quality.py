"""Precision / recall of `dedup` on the labelled benchmark (make_dedup_benchmark.py).

A removal is correct when the removed paragraph and the kept copy it names belong to the
same injected group; any other removal is a false positive (a removed paragraph of group
-1 is "a distinct paragraph removed"). Recall: correct removals / expected removals
(group size - 1), over all injected copies except lone repeats inside one document, which
the default (`min_run=2`) keeps on purpose; those are reported on their own line.

    .venv/bin/python bench/bench_dedup_quality.py [--configs default,word2,...]
"""

from __future__ import annotations

import argparse
import json
from collections import Counter
from pathlib import Path
from typing import Any

from cleankit.plugins.dedup import DedupCleaner

from cleankit.document import Document, Paragraph

ROOT = Path(__file__).resolve().parents[1]
DATA = ROOT / "bench" / "out" / "dedup_benchmark.jsonl"

CONFIGS: dict[str, dict[str, Any]] = {
    "default": {},
    "exact-verify": {"verify": "exact"},
    "min_run=1": {"min_run": 1},
    "keep=longest": {"keep": "longest"},
    "word2": {"shingle_size": 2},
    "word3": {"shingle_size": 3},
    "char5": {"shingle": "char", "shingle_size": 5},
    "char4": {"shingle": "char", "shingle_size": 4},
    "char5+min_run=1": {"shingle": "char", "shingle_size": 5, "min_run": 1},
    "scope=source": {"scope": "source"},
}


def load() -> list[dict[str, Any]]:
    return [json.loads(line) for line in DATA.open(encoding="utf-8")]


def to_documents(records: list[dict[str, Any]]) -> list[Document]:
    return [
        Document(r["id"], [Paragraph(t) for t in r["paragraphs"]], source=r["source"])
        for r in records
    ]


def evaluate(
    records: list[dict[str, Any]], kept_of: dict[tuple[str, int], tuple[str, int]]
) -> dict[str, Any]:
    """kept_of: removed (doc id, index) -> kept copy (doc id, index)."""
    group = {(r["id"], k): g for r in records for k, g in enumerate(r["group"])}
    edit = {(r["id"], k): e for r in records for k, e in enumerate(r["edit"])}
    sizes = Counter(g for g in group.values() if g >= 0)
    tp = fp = distinct_removed = 0
    caught: set[tuple[str, int]] = set()
    for removed, kept in kept_of.items():
        g = group[removed]
        if g >= 0 and group.get(kept) == g:
            tp += 1
            caught.add(removed if edit[removed] else kept)
        else:
            fp += 1
            distinct_removed += g < 0
    by_class: dict[str, list[int]] = {}
    for key, e in edit.items():
        if e:
            by_class.setdefault(e, [0, 0])
            by_class[e][1] += 1
            by_class[e][0] += key in caught
    lone = [v for k, v in by_class.items() if k.startswith("within_lone")]
    lone_caught, lone_total = sum(v[0] for v in lone), sum(v[1] for v in lone)
    expected = sum(n - 1 for n in sizes.values()) - lone_total
    tp_main = tp - lone_caught
    return {
        "precision": tp / (tp + fp) if tp + fp else 1.0,
        "recall": tp_main / expected if expected else 1.0,
        "removed": tp + fp,
        "false_pos": fp,
        "distinct_removed": distinct_removed,
        "expected": expected,
        "lone_caught": f"{lone_caught}/{lone_total}",
        "by_class": by_class,
    }


def run_dedup(records: list[dict[str, Any]], config: dict[str, Any]):  # type: ignore[no-untyped-def]
    cleaner = DedupCleaner(config)
    kept_of = {}
    for doc in cleaner.run(to_documents(records)):
        for k, p in enumerate(doc.paragraphs):
            if p.removed is not None:
                detail = p.removed.detail
                kept_of[(doc.id, k)] = (detail["kept_doc"], detail["kept_index"])
    return kept_of, cleaner.report()


def run_baseline(records: list[dict[str, Any]], size: int = 1):  # type: ignore[no-untyped-def]
    from bench_dedup_baseline import datasketch_dedup

    kept_of = {}
    ids = [r["id"] for r in records]
    for r, out in zip(
        records, datasketch_dedup((r["paragraphs"] for r in records), size=size), strict=True
    ):
        for k, hit in enumerate(out):
            if hit is not None:
                kept_of[(r["id"], k)] = (ids[hit[0]], hit[1])
    return kept_of


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--configs", default=",".join(CONFIGS))
    parser.add_argument("--classes", action="store_true", help="recall per copy class")
    args = parser.parse_args()
    records = load()
    n = sum(len(r["paragraphs"]) for r in records)
    copies = sum(1 for r in records for e in r["edit"] if e)
    print(f"{len(records)} documents, {n} paragraphs, {copies} injected copies")
    print(
        f"{'config':14} {'precision':>9} {'recall':>7} {'removed':>7} {'FP':>4} "
        f"{'distinct':>8} {'lone kept-copies caught':>23}"
    )
    rows = [(name, *run_dedup(records, CONFIGS[name])) for name in args.configs.split(",")]
    rows.append(("datasketch", run_baseline(records), None))
    for name, kept_of, _ in rows:
        m = evaluate(records, kept_of)
        print(
            f"{name:14} {m['precision']:9.4f} {m['recall']:7.4f} {m['removed']:7d} "
            f"{m['false_pos']:4d} {m['distinct_removed']:8d} {m['lone_caught']:>23}"
        )
        if args.classes:
            for cls, (c, t) in sorted(m["by_class"].items()):
                print(f"    {cls:28} {c:5d}/{t:<5d} {c / t:.3f}")


if __name__ == "__main__":
    main()
