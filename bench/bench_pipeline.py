"""End-to-end throughput and peak memory of `cleankit clean`, streaming vs. load-everything.

Generates JSONL corpora of the requested sizes from real page text (corpus-dev pages when
present, else the seeds), then for each size runs, as separate processes sampled for the
peak RSS of their whole process tree:

- `cleankit clean` with 1 and with 2 workers (streaming, bounded batches);
- the obvious alternative: read every record into memory, clean the list, write it.

    .venv/bin/python bench/bench_pipeline.py --sizes 50 500
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus-dev" / "docs.jsonl.gz"
DATA = ROOT / "bench" / "data"
OUT = ROOT / "bench" / "out"

NAIVE = """
import json, sys
from cleankit import Pipeline
from cleankit.io.readers import record_from_mapping
from cleankit.io.writers import document_record
from cleankit.stats import RunStats
pipeline = Pipeline.from_config(only=sys.argv[3].split(","))
rows = [json.loads(line) for line in open(sys.argv[1], encoding="utf-8")]
recs = [record_from_mapping(r, "x", str(i), pipeline.settings) for i, r in enumerate(rows)]
docs = [d for b in pipeline.process(recs, RunStats()) for d in b.docs]
with open(sys.argv[2], "w", encoding="utf-8") as fh:
    for d in docs:
        fh.write(json.dumps(document_record(d), ensure_ascii=False) + "\\n")
"""


def page_texts() -> list[str]:
    if DEV.is_file():
        with gzip.open(DEV, "rt", encoding="utf-8") as fh:
            return [json.loads(line)["text"] for line in fh]
    return [p.read_text(encoding="utf-8") for p in sorted((ROOT / "seeds").glob("*.txt"))]


def make_corpus(megabytes: int) -> Path:
    """Pages repeated with a changing id and a numbered line, so no two are identical."""
    path = DATA / f"corpus_{megabytes}mb.jsonl"
    if path.is_file():
        return path
    DATA.mkdir(parents=True, exist_ok=True)
    texts = page_texts()
    target, written, i = megabytes * 1_000_000, 0, 0
    with path.open("w", encoding="utf-8") as fh:
        while written < target:
            text = f"Edition {i}.\n" + texts[i % len(texts)]
            line = json.dumps({"id": f"doc{i}", "text": text, "source": f"site{i % 50}"})
            fh.write(line + "\n")
            written += len(line) + 1
            i += 1
    return path


def tree_rss_kb(pid: int) -> int:
    """Resident memory of a process and all its descendants, from /proc."""
    total, stack = 0, [pid]
    while stack:
        p = stack.pop()
        try:
            with open(f"/proc/{p}/status") as fh:
                total += next(int(x.split()[1]) for x in fh if x.startswith("VmRSS"))
            with open(f"/proc/{p}/task/{p}/children") as fh:
                stack.extend(int(c) for c in fh.read().split())
        except (OSError, StopIteration):
            continue
    return total


def measure(cmd: list[str]) -> tuple[float, float]:
    """Run `cmd`; return (seconds, peak RSS of its process tree in MB)."""
    start = time.perf_counter()
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    peak = 0
    while proc.poll() is None:
        peak = max(peak, tree_rss_kb(proc.pid))
        time.sleep(0.05)
    seconds = time.perf_counter() - start
    if proc.returncode != 0:
        sys.exit(f"failed: {' '.join(cmd)}\n{proc.stderr.read().decode()[-2000:]}")
    return seconds, peak / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--sizes", type=int, nargs="+", default=[50, 500], help="MB of input")
    parser.add_argument("--only", default="encoding,dedup,chrome,headline_date")
    parser.add_argument("--naive-max", type=int, default=500, help="skip naive above this MB")
    args = parser.parse_args()
    exe = str(Path(sys.executable).parent / "cleankit")
    OUT.mkdir(parents=True, exist_ok=True)
    print(f"cleaners: {args.only}   cores: {os.cpu_count()}")
    print(f"{'input':>8} {'run':<22} {'seconds':>8} {'MB/s':>7} {'peak RSS MB':>12}")
    for size in args.sizes:
        corpus = make_corpus(size)
        mb = corpus.stat().st_size / 1e6
        runs = {
            f"cleankit -w {w}": [
                exe,
                "clean",
                str(corpus),
                "-o",
                str(OUT / f"p{size}w{w}"),
                "--only",
                args.only,
                "-w",
                str(w),
                "-q",
            ]
            for w in (1, 2)
        }
        if size <= args.naive_max:
            naive_out = str(OUT / f"naive{size}.jsonl")
            runs["load-everything"] = [
                sys.executable,
                "-c",
                NAIVE,
                str(corpus),
                naive_out,
                args.only,
            ]
        for name, cmd in runs.items():
            seconds, peak = measure(cmd)
            print(
                f"{mb:>7.0f}M {name:<22} {seconds:>8.1f} {mb / seconds:>7.2f} {peak:>12.0f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
