"""Bench the `chrome` cleaner on corpus-dev: predictions for score.py, speed, splits.

usage: .venv/bin/python bench/bench_chrome.py [--docs docs.jsonl.gz|docs_noisy.jsonl.gz]
           [--preset balanced|precision|recall] [--encoding] [--out PATH] [--split even|odd]
           [--repeat N] [--batch N] [--stages]

Writes `{"id", "text", "title": null, "date": null}` per page (default
bench/out/chrome_<docs>_<preset>.jsonl) and prints MB/s of the chrome cleaner alone (one
core, language detection included; the fastest of `--repeat` passes, each with a fresh
cleaner, so an empty line cache). Score with
`python3 ../shared/corpus-dev/score.py PRED [--by-source] [--lang en]`.
`--split even|odd` keeps only pages whose id's CRC32 is even/odd (tune on one, check on the
other) and writes the matching gold subset for score.py's `--gold`. `--encoding` runs the
`encoding` cleaner first (for docs_noisy).
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import time
import zlib
from pathlib import Path

from cleankit.plugins.chrome import Cleaner_chrome

from cleankit.document import Document
from cleankit.engine import tune_gc

CORPUS = Path(__file__).resolve().parents[2] / "shared" / "corpus-dev"
OUT = Path(__file__).resolve().parent / "out"


def load(name: str, split: str | None) -> list[dict[str, str]]:
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as f:
        rows = [json.loads(line) for line in f if line.strip()]
    if split:
        parity = 0 if split == "even" else 1
        rows = [r for r in rows if zlib.crc32(r["id"].encode()) % 2 == parity]
    return rows


def _tokenise_seconds(rows: list[dict[str, str]]) -> float:
    """CPU time of the least any paragraph classifier does: split lines, lower-case and
    tokenise them (the machine is shared, so speed is reported against this too)."""
    word = re.compile(r"\w+")
    cpu = time.process_time()
    for row in rows:
        for line in row["text"].split("\n"):
            word.findall(line.strip().lower())
    return time.process_time() - cpu


STAGES = ("language", "features+class", "context", "record (remove, notes)")


def _stage_seconds(rows: list[dict[str, str]], preset: str) -> dict[str, float]:
    """CPU time of each stage of `Cleaner_chrome.clean` over all pages (one pass, fresh
    cleaner): where the time goes, and what no feature work can save."""
    chrome = Cleaner_chrome({"preset": preset})
    chrome.clean(Document.from_text("warmup", "Warm up the language model. " * 5))
    spent = dict.fromkeys(STAGES, 0.0)
    for doc in _documents(rows, False):
        for name, seconds in zip(STAGES, stage_times(chrome, doc), strict=True):
            spent[name] += seconds
    return spent


def stage_times(chrome: Cleaner_chrome, doc: Document) -> tuple[float, float, float, float]:
    """`Cleaner_chrome._clean(doc)` step by step (same calls, same order), with the CPU
    seconds of its stages: language, features and class, context, recording. Keep in step
    with `_clean`."""
    from collections import Counter

    from cleankit.plugins import chrome as chrome_module
    from cleankit.plugins._chrome_lang import UNSPACED_LANGS, detect_language

    clock = time.process_time
    t0 = clock()
    kept = [p for p in doc.paragraphs if p.removed is None]
    texts = [p.text.strip() for p in kept]
    lang = detect_language(texts)
    t1 = clock()
    unspaced = lang in UNSPACED_LANGS
    feats, verdicts = chrome._judge(texts, lang, unspaced)
    copies = Counter(texts)
    chrome._count_copies(kept, texts, copies, feats, verdicts, unspaced)
    t2 = clock()
    repeated = [copies[t] > 1 for t in texts]
    chrome_module._decide(verdicts, feats, repeated, chrome.params, True)
    chrome_module._spare_repeated_text(doc, kept, verdicts)
    t3 = clock()
    for p, v in zip(kept, verdicts, strict=True):
        p.notes["chrome"] = v.label
        if v.cls == "bad":
            p.remove("chrome", v.rule, v.score)
    for index, earlier, similarity in list(chrome_module.later_copies(doc)):
        copy = doc.paragraphs[index]
        copy.notes["chrome"] = "boilerplate"
        copy.remove("chrome", "repeat", similarity, kept_index=earlier)
    t4 = clock()
    return t1 - t0, t2 - t1, t3 - t2, t4 - t3


def _documents(rows: list[dict[str, str]], encoding: bool) -> list[Document]:
    docs = [Document.from_text(r["id"], r["text"]) for r in rows]
    if encoding:
        from cleankit.plugins.encoding import Cleaner_encoding

        docs = list(Cleaner_encoding().run(docs))
    return docs


def _timed_pass(
    rows: list[dict[str, str]], args: argparse.Namespace
) -> tuple[float, float, list[str]]:
    """One pass with a fresh cleaner (empty line cache): wall and CPU seconds spent in
    `clean`, and the prediction lines. With `--batch N` documents exist N at a time, as
    in the pipeline (`batch_size`, default 256); `--batch 0` builds all of them first (as
    round 2 measured: the garbage collector then walks every page at each full pass)."""
    chrome = Cleaner_chrome({"preset": args.preset})
    chrome.clean(Document.from_text("warmup", "Warm up the language model. " * 5))
    size = args.batch or len(rows)
    wall = cpu = 0.0
    preds: list[str] = []
    for first in range(0, len(rows), size):
        docs = _documents(rows[first : first + size], args.encoding)
        start, cpu_start = time.perf_counter(), time.process_time()
        for doc in docs:
            chrome.clean(doc)
        wall += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        preds.extend(
            json.dumps({"id": d.id, "text": d.text, "title": None, "date": None}) for d in docs
        )
        del docs
    return wall, cpu, preds


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", default="docs.jsonl.gz")
    ap.add_argument("--preset", default="balanced")
    ap.add_argument("--encoding", action="store_true", help="run the encoding cleaner first")
    ap.add_argument("--split", choices=["even", "odd"])
    ap.add_argument("--out")
    ap.add_argument("--repeat", type=int, default=3, help="timed passes; the fastest counts")
    ap.add_argument("--batch", type=int, default=256, help="documents alive at once; 0: all")
    ap.add_argument("--stages", action="store_true", help="also time each stage (one pass)")
    ap.add_argument(
        "--default-gc",
        action="store_true",
        help="keep CPython's default GC thresholds (`cleankit clean` calls tune_gc())",
    )
    args = ap.parse_args()
    if not args.default_gc:
        tune_gc()
    rows = load(args.docs, args.split)
    size = sum(len(r["text"].encode("utf-8")) for r in rows)
    elapsed = cpu = reference = float("inf")
    preds: list[str] = []
    for _ in range(args.repeat):
        # Each pass: a fresh cleaner on fresh documents; the reference pass right before
        # it, so both see the same load on this shared machine.
        reference = min(reference, _tokenise_seconds(rows))
        wall, cpu_pass, preds = _timed_pass(rows, args)
        elapsed, cpu = min(elapsed, wall), min(cpu, cpu_pass)
    stem = args.docs.split(".")[0]
    out = Path(args.out) if args.out else OUT / f"chrome_{stem}_{args.preset}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text("".join(line + "\n" for line in preds), encoding="utf-8")
    mb = size / 1e6
    print(
        f"{len(rows)} pages, {mb:.2f} MB, batch {args.batch or 'all'}, "
        f"best of {args.repeat} passes: wall {elapsed:.2f} s = "
        f"{mb / elapsed:.1f} MB/s, cpu {cpu:.2f} s = {mb / cpu:.1f} MB/s (one core)"
    )
    print(
        f"reference (lower-case + \\w+ tokenise every line, same run): {mb / reference:.1f} MB/s;"
        f" chrome costs {cpu / reference:.1f}x that"
    )
    print(f"predictions: {out}")
    if args.stages:
        stages = _stage_seconds(rows, args.preset)
        print("stages (cpu s): " + ", ".join(f"{k} {v:.2f}" for k, v in stages.items()))
    if args.split:
        gold = OUT / f"gold_{args.split}.jsonl"
        ids = {r["id"] for r in rows}
        with gzip.open(CORPUS / "gold.jsonl.gz", "rt", encoding="utf-8") as f, gold.open("w") as g:
            g.writelines(line for line in f if json.loads(line)["id"] in ids)
        print(f"score with: python3 {CORPUS / 'score.py'} {out} --gold {gold}")


if __name__ == "__main__":
    main()
