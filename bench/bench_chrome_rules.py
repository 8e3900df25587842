"""Measure one context-rule setting of the `chrome` cleaner on corpus-dev, to 4 decimals.

usage: .venv/bin/python bench/bench_chrome_rules.py [--split even|odd] [--params JSON]
           [--docs docs.jsonl.gz|docs_noisy.jsonl.gz] [--encoding] [--dedup] [--misses PATH]

Runs `Cleaner_chrome` (balanced preset) with some `ContextParams` or `Thresholds` fields
overridden (`--params '{"close_with_sentences": false}'`), after `encoding` and/or `dedup`
if asked (`dedup` notes `dup_count`, which the `recurrent` rule reads), on the pages of
one half of corpus-dev (`--split`: CRC32 of the id even or odd, as `bench_chrome.py
--split`) or all of them, and prints body bag-of-words P/R/F1 and snippet P/R/F1
computed with corpus-dev's own
`score.py` functions (the same numbers `score.py` prints, with 4 decimals: the rule
changes move them by a few thousandths). `--misses PATH` writes the snippets the cleaner
gets wrong (a `with` dropped, a `without` kept) with the rule that decided each paragraph
holding them: the starting point of the rule search in bench/results/chrome.md.
"""

from __future__ import annotations

import argparse
import gzip
import importlib.util
import json
from dataclasses import fields, replace
from pathlib import Path
from types import ModuleType
from typing import Any

from bench_chrome import load
from cleankit.plugins.chrome import Cleaner_chrome

from cleankit.document import Document
from cleankit.engine import tune_gc

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"


def _scorer() -> ModuleType:
    spec = importlib.util.spec_from_file_location("corpus_dev_score", CORPUS / "score.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _cleaned(
    rows: list[dict[str, str]], params: dict[str, Any], encoding: bool, dedup: bool
) -> list[Document]:
    chrome = Cleaner_chrome()
    threshold_names = {f.name for f in fields(chrome.thresholds)}
    chrome.thresholds = replace(
        chrome.thresholds, **{k: v for k, v in params.items() if k in threshold_names}
    )
    chrome.params = replace(
        chrome.params, **{k: v for k, v in params.items() if k not in threshold_names}
    )
    docs = [Document.from_text(r["id"], r["text"]) for r in rows]
    if encoding:
        from cleankit.plugins.encoding import Cleaner_encoding

        docs = list(Cleaner_encoding().run(docs))
    if dedup:
        from cleankit.plugins.dedup import Cleaner_dedup

        docs = list(Cleaner_dedup().run(docs))
    for doc in docs:
        chrome.clean(doc)
    return docs


def _miss(doc: Document, snippet: str, kind: str, norm: Any) -> dict[str, Any]:
    needle = norm(snippet)
    holders = [
        (i, p.removed.rule if p.removed else "kept", p.text[:200])
        for i, p in enumerate(doc.paragraphs)
        if needle in norm(p.text)
    ]
    return {"id": doc.id, "kind": kind, "snippet": snippet, "paragraphs": holders}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--split", choices=["even", "odd"])
    ap.add_argument("--params", default="{}", help="ContextParams fields to override (JSON)")
    ap.add_argument("--docs", default="docs.jsonl.gz")
    ap.add_argument("--encoding", action="store_true", help="run the encoding cleaner first")
    ap.add_argument("--dedup", action="store_true", help="run dedup first (its dup_count notes)")
    ap.add_argument("--misses", help="write the wrong snippets here (JSON)")
    args = ap.parse_args()
    tune_gc()
    score = _scorer()
    with gzip.open(CORPUS / "gold.jsonl.gz", "rt", encoding="utf-8") as f:
        gold = {g["id"]: g for g in map(json.loads, f)}
    docs = _cleaned(load(args.docs, args.split), json.loads(args.params), args.encoding, args.dedup)
    precision, recall = [], []
    counts = dict.fromkeys(["tp", "fn", "fp", "tn"], 0)
    misses = []
    for doc in docs:
        g, text = gold[doc.id], doc.text
        if g.get("body"):
            p, r, _ = score.bow_prf(g["body"], text)
            precision.append(p)
            recall.append(r)
        found = score.snip_norm(text)
        for kind, hit, miss in (("with", "tp", "fn"), ("without", "fp", "tn")):
            for snippet in g.get(kind) or []:
                inside = score.snip_norm(snippet) in found
                key = hit if inside else miss
                counts[key] += 1
                if key in ("fn", "fp"):
                    misses.append(_miss(doc, snippet, key, score.snip_norm))
    bow_p, bow_r = score.mean(precision), score.mean(recall)
    snip_p = counts["tp"] / (counts["tp"] + counts["fp"])
    snip_r = counts["tp"] / (counts["tp"] + counts["fn"])
    print(
        f"{args.split or 'all'} {args.docs} {args.params}: "
        f"bow P {bow_p:.4f} R {bow_r:.4f} F1 {score.hmean(bow_p, bow_r):.4f} | "
        f"snippets P {snip_p:.4f} R {snip_r:.4f} F1 {score.hmean(snip_p, snip_r):.4f} "
        f"(fn {counts['fn']}, fp {counts['fp']})"
    )
    if args.misses:
        Path(args.misses).write_text(json.dumps(misses, ensure_ascii=False, indent=1))


if __name__ == "__main__":
    main()
