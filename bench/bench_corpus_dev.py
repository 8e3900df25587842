"""The default pipeline, end to end through the CLI, scored on ../shared/corpus-dev.

    .venv/bin/python bench/bench_corpus_dev.py [--docs docs|docs_noisy] [--workers 2]

Runs `cleankit clean` on the pages exactly as a user would (all four cleaners, default
config), turns `documents.jsonl` into the scorer's predictions (a page that was emptied or
quarantined predicts empty text and no title/date), then prints corpus-dev's `score.py`
overall, by source, and for the biggest languages.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus-dev"
OUT = ROOT / "bench" / "out" / "corpus_dev"


def run_pipeline(docs: Path, outdir: Path, workers: int, extra: list[str]) -> float:
    exe = str(Path(sys.executable).parent / "cleankit")
    cmd = [exe, "clean", str(docs), "-o", str(outdir), "-w", str(workers), "-q", *extra]
    start = time.perf_counter()
    subprocess.run(cmd, check=True)
    return time.perf_counter() - start


def write_predictions(docs: Path, outdir: Path, preds: Path) -> int:
    with gzip.open(docs, "rt", encoding="utf-8") as fh:
        ids = [json.loads(line)["id"] for line in fh]
    cleaned = {}
    with (outdir / "documents.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            cleaned[rec["id"]] = rec
    with preds.open("w", encoding="utf-8") as fh:
        for doc_id in ids:
            rec = cleaned.get(doc_id, {})
            pred = {
                "id": doc_id,
                "text": rec.get("text", ""),
                "title": rec.get("headline"),
                "date": rec.get("published"),
            }
            fh.write(json.dumps(pred, ensure_ascii=False) + "\n")
    return len(ids) - len(cleaned)


def score(preds: Path, *args: str) -> str:
    cmd = [sys.executable, str(DEV / "score.py"), str(preds), *args]
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", default="docs", choices=["docs", "docs_noisy"])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--langs", nargs="*", default=["en", "de"])
    parser.add_argument("extra", nargs="*", help="more `cleankit clean` options after --")
    args = parser.parse_args()
    docs = DEV / f"{args.docs}.jsonl.gz"
    if not docs.is_file():
        sys.exit(f"{docs} not found: this bench needs ../shared/corpus-dev")
    outdir = OUT / args.docs
    seconds = run_pipeline(docs, outdir, args.workers, args.extra)
    preds = OUT / f"{args.docs}_preds.jsonl"
    missing = write_predictions(docs, outdir, preds)
    mb = sum(len(json.loads(x)["text"].encode()) for x in gzip.open(docs, "rt")) / 1e6
    print(
        f"# {args.docs}: {mb:.1f} MB in {seconds:.1f}s ({mb / seconds:.2f} MB/s, "
        f"{args.workers} workers, whole process); {missing} pages emptied or quarantined\n"
    )
    print(score(preds))
    print(score(preds, "--by-source"))
    for lang in args.langs:
        print(f"## --lang {lang}\n" + score(preds, "--lang", lang))


if __name__ == "__main__":
    main()
