"""Quality of the `encoding` cleaner on ../shared/corpus-dev (a benchmark, not a fixture).

- noisy pages come back token-identical to their clean twin, per noise category;
- on the clean pages, the share of paragraphs the cleaner changes, and by which fix;
- hard-wrap repair: joins compared with the truth recovered from the clean twin.

Run: .venv/bin/python bench/bench_encoding_quality.py [--show N]
     .venv/bin/python bench/bench_encoding_quality.py --pipeline   # soft_hyphens off/on:
     the default pipeline (all cleaners, `cleankit clean -w 1`) scored by corpus-dev's score.py
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from cleankit.plugins.encoding import Cleaner_encoding

from cleankit.document import Document

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"
OUT = Path(__file__).resolve().parent / "out"
REPAIRED = ("mojibake", "entities", "hard_wrap_80", "whitespace")


def read(name: str) -> Iterator[dict[str, Any]]:
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as handle:
        for line in handle:
            yield json.loads(line)


def clean_doc(cleaner: Cleaner_encoding, doc_id: str, text: str) -> Document:
    doc = Document.from_text(doc_id, text)
    cleaner.clean(doc)
    return doc


def token_identity(cleaner: Cleaner_encoding, clean: dict[str, str], show: int) -> None:
    """Share of noisy pages whose cleaned text has the clean twin's tokens."""
    by_kind: dict[str, list[tuple[bool, bool]]] = {}
    shown = 0
    for record in read("docs_noisy.jsonl.gz"):
        noise = record["noise"]
        twin = clean[record["id"]]
        tokens = clean_doc(cleaner, record["id"], record["text"]).text.split()
        same_raw = tokens == twin.split()
        twin_tokens = clean_doc(cleaner, record["id"], twin).text.split()
        same = tokens == twin_tokens
        if "merge_short_runs" in noise:  # menus are chrome's: compare without the bars
            same = [t for t in tokens if t != "|"] == [t for t in twin_tokens if t != "|"]
        kinds = [f"only {n}" for n in noise if len(noise) == 1] or []
        if noise and "merge_short_runs" not in noise:
            kinds.append("any mix of " + "/".join(REPAIRED))
            if any(n in noise for n in ("mojibake", "entities", "hard_wrap_80")):
                kinds.append("mojibake|entities|hard_wrap (+whitespace), no menus")
        if "merge_short_runs" in noise:
            kinds.append("has merge_short_runs (compared without ` | ` tokens)")
        if not noise:
            kinds.append("no noise")
        for kind in kinds:
            by_kind.setdefault(kind, []).append((same, same_raw))
        if not same and "merge_short_runs" not in noise and shown < show:
            shown += 1
            _show_difference(record, twin, cleaner)
    print("\n## Token identity, cleaned noisy page vs clean twin")
    print("| noisy pages | n | = cleaned twin | = raw twin |")
    print("| --- | --- | --- | --- |")
    for kind, results in sorted(by_kind.items()):
        cleaned = sum(r[0] for r in results) / len(results)
        raw = sum(r[1] for r in results) / len(results)
        print(f"| {kind} | {len(results)} | {cleaned:.1%} | {raw:.1%} |")


def _show_difference(record: dict[str, Any], twin: str, cleaner: Cleaner_encoding) -> None:
    got = clean_doc(cleaner, record["id"], record["text"]).text.split()
    want = clean_doc(cleaner, record["id"], twin).text.split()
    for i, (a, b) in enumerate(zip(got, want, strict=False)):
        if a != b:
            where = f"{record['id']} {record['noise']}"
            print(f"  DIFF {where}: got {got[i : i + 6]} want {want[i : i + 6]}")
            return
    print(f"  DIFF {record['id']} {record['noise']}: lengths {len(got)} vs {len(want)}")


def clean_pages_changes(
    cleaner: Cleaner_encoding, clean: dict[str, str], show: int, table: bool = True
) -> None:
    total = changed = 0
    fixes: Counter[str] = Counter()
    examples: dict[str, list[str]] = {}
    for doc_id, text in clean.items():
        doc = clean_doc(cleaner, doc_id, text)
        for paragraph in doc.paragraphs:
            total += 1
            if not paragraph.edits and paragraph.removed is None:
                continue
            changed += 1
            names = {f for e in paragraph.edits for f in e.fixes}
            if paragraph.removed is not None:
                names.add(paragraph.removed.rule)
            for name in names:
                fixes[name] += 1
                examples.setdefault(name, []).append(paragraph.original[:110])
    if table:
        print("\n## Clean pages (docs.jsonl.gz): paragraphs changed")
    print(f"{changed} of {total} paragraphs changed: {changed / total:.2%}")
    if not table:
        return
    print("| fix | paragraphs | share |")
    print("| --- | --- | --- |")
    for name, count in fixes.most_common():
        print(f"| {name} | {count} | {count / total:.3%} |")
    for name, texts in examples.items():
        for text in texts[:show]:
            print(f"  {name}: {text!r}")


def wrap_truth(noisy_lines: list[str], clean_lines: list[str]) -> set[int] | None:
    """Breaks (index i: line i continues into i+1) that a wrapper made, by aligning the
    noisy lines to the clean ones; None where the alignment fails."""
    breaks: set[int] = set()
    i = 0
    for target in clean_lines:
        parts: list[str] = []
        while i < len(noisy_lines) and " ".join(parts).split() != target.split():
            if parts:
                breaks.add(i - 1)
            parts.append(noisy_lines[i])
            i += 1
            if len(" ".join(parts)) > len(target) + 50:
                return None
        if " ".join(parts).split() != target.split():
            return None
    return breaks


def rewrap_quality(cleaner: Cleaner_encoding, clean: dict[str, str], show: int) -> None:
    true_pos = false_pos = false_neg = pages = 0
    fp_examples: list[str] = []
    fn_examples: list[str] = []
    for record in read("docs_noisy.jsonl.gz"):
        if set(record["noise"]) & {"merge_short_runs", "mojibake", "entities"}:
            continue
        doc = Document.from_text(record["id"], record["text"])
        lines = [p.text.strip() for p in doc.paragraphs]
        clean_lines = [line.strip() for line in clean[record["id"]].split("\n") if line.strip()]
        truth = wrap_truth(lines, clean_lines)
        if truth is None:
            continue
        pages += 1
        cleaner.clean(doc)
        joined = {i - 1 for i, p in enumerate(doc.paragraphs) if _merged(p)}
        true_pos += len(joined & truth)
        for i in sorted(joined - truth):
            false_pos += 1
            fp_examples.append(f"{lines[i][-50:]!r} || {lines[i + 1][:40]!r}")
        for i in sorted(truth - joined):
            false_neg += 1
            fn_examples.append(f"{len(lines[i])} {lines[i][-50:]!r} || {lines[i + 1][:40]!r}")
    print("\n## Hard-wrap repair on noisy pages without mojibake/entities/menus")
    print(f"pages aligned: {pages}; joins right {true_pos}, wrong {false_pos}, missed {false_neg}")
    precision = true_pos / max(1, true_pos + false_pos)
    recall = true_pos / max(1, true_pos + false_neg)
    print(f"join precision {precision:.2%}, recall {recall:.2%}")
    for text in fp_examples[:show]:
        print("  WRONG", text)
    for text in fn_examples[:show]:
        print("  MISSED", text)


def _merged(paragraph: Any) -> bool:
    return paragraph.removed is not None and paragraph.removed.rule == "rewrap:merged"


def pipeline_scores() -> None:
    """The whole default pipeline with soft hyphens kept (default) and removed."""
    cli = str(Path(sys.executable).parent / "cleankit")
    for name in ("docs", "docs_noisy"):
        for soft in ("false", "true"):
            outdir = OUT / f"encoding_pipe_{name}_soft_hyphens_{soft}"
            setting = f"encoding.soft_hyphens={soft}"
            docs = CORPUS / f"{name}.jsonl.gz"
            cmd = [cli, "clean", str(docs), "-o", str(outdir), "-w", "1", "-q", "--set", setting]
            subprocess.run(cmd, check=True)
            preds = outdir / "preds.jsonl"
            with (outdir / "documents.jsonl").open(encoding="utf-8") as handle:
                cleaned = {r["id"]: r for r in map(json.loads, handle)}
            with preds.open("w", encoding="utf-8") as handle:
                for record in read(f"{name}.jsonl.gz"):
                    got = cleaned.get(record["id"], {})
                    pred = {"id": record["id"], "text": got.get("text", "")}
                    pred |= {"title": got.get("headline"), "date": got.get("published")}
                    handle.write(json.dumps(pred, ensure_ascii=False) + "\n")
            scorer = [sys.executable, str(CORPUS / "score.py"), str(preds)]
            result = subprocess.run(scorer, check=True, capture_output=True, text=True)
            print(f"### {name}, {setting}\n{result.stdout}")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--show", type=int, default=0, help="examples to print per table")
    parser.add_argument("--pipeline", action="store_true", help="score soft_hyphens off/on")
    args = parser.parse_args()
    if not CORPUS.exists():
        print(f"no corpus at {CORPUS}", file=sys.stderr)
        return 1
    if args.pipeline:
        pipeline_scores()
        return 0
    cleaner = Cleaner_encoding()
    clean = {record["id"]: record["text"] for record in read("docs.jsonl.gz")}
    token_identity(cleaner, clean, args.show)
    clean_pages_changes(cleaner, clean, args.show)
    print("\nSame, with soft hyphens removed too (config soft_hyphens=True):")
    clean_pages_changes(Cleaner_encoding({"soft_hyphens": True}), clean, 0, table=False)
    rewrap_quality(cleaner, clean, args.show)
    return 0


if __name__ == "__main__":
    sys.exit(main())
