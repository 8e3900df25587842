"""Speed of `dedup` against the plain-datasketch pipeline, same input, same run.

Two workloads from ../shared/corpus-dev (docs.jsonl.gz + docs_noisy.jsonl.gz, 2,308
scraped pages): `news` keeps the lines of >= 8 words (news-sized paragraphs, ~165
characters), `pages` keeps every line (navigation, share buttons and footers included).
Each pipeline runs as its own process, one worker: read the JSONL, deduplicate, write
the kept text. Reported: whole-process wall time (interpreter start to exit), the dedup
step alone, paragraphs/s, MB/s, and peak RSS (VmHWM); and the agreement of the removals.

    .venv/bin/python bench/bench_dedup_speed.py [--workloads news,pages] [--repeat 3] [--size 1]
    .venv/bin/python bench/bench_dedup_speed.py --step-only --repeat 5

CPU times (user + sys, from getrusage) are reported next to wall times: the machine is
shared, and CPU time is the fair measure of "per core".
"""

from __future__ import annotations

import argparse
import gzip
import json
import re
import resource
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
DEV = ROOT.parent / "shared" / "corpus-dev"
OUT = ROOT / "bench" / "out"
WORD = re.compile(r"\w+")


def prepare(workload: str) -> Path:
    path = OUT / f"dedup_speed_{workload}.jsonl"
    if path.exists():
        return path
    OUT.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as out:
        for name in ("docs", "docs_noisy"):
            for line in gzip.open(DEV / f"{name}.jsonl.gz", "rt", encoding="utf-8"):
                record = json.loads(line)
                lines = [p for p in record["text"].split("\n") if p.strip()]
                if workload == "news":
                    lines = [p for p in lines if len(WORD.findall(p)) >= 8]
                doc = {"id": f"{name}/{record['id']}", "text": "\n".join(lines)}
                out.write(json.dumps(doc, ensure_ascii=False) + "\n")
    return path


def peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def child(kind: str, path: Path, size: int) -> None:
    """One pipeline, in this process; prints a JSON line of measurements."""
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    removed: list[list[int]] = []
    out_path = OUT / f"dedup_speed_{kind}.out.jsonl"
    if kind == "ours":
        from cleankit.plugins.dedup import DedupCleaner

        from cleankit.document import Document

        docs = [Document.from_text(r["id"], r["text"]) for r in records]
        start, cpu = time.perf_counter(), time.process_time()
        cleaner = DedupCleaner({"shingle_size": size})
        result = list(cleaner.run(docs))
        step, step_cpu = time.perf_counter() - start, time.process_time() - cpu
        texts = [d.text for d in result]
        for d, doc in enumerate(result):
            removed.extend([d, k] for k, p in enumerate(doc.paragraphs) if p.removed)
    else:
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_dedup_baseline import datasketch_dedup

        docs_p = [[p for p in r["text"].split("\n") if p.strip()] for r in records]
        start, cpu = time.perf_counter(), time.process_time()
        decisions = list(datasketch_dedup(docs_p, size=size))
        step, step_cpu = time.perf_counter() - start, time.process_time() - cpu
        texts = []
        for d, (paras, out) in enumerate(zip(docs_p, decisions, strict=True)):
            texts.append("\n\n".join(p for p, hit in zip(paras, out, strict=True) if hit is None))
            removed.extend([d, k] for k, hit in enumerate(out) if hit is not None)
    with out_path.open("w", encoding="utf-8") as fh:
        for r, text in zip(records, texts, strict=True):
            fh.write(json.dumps({"id": r["id"], "text": text}, ensure_ascii=False) + "\n")
    measured = {"step": step, "step_cpu": step_cpu, "rss_mb": peak_rss_mb(), "removed": removed}
    print(json.dumps(measured))


def run_child(kind: str, path: Path, size: int) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--input", str(path), "--size", str(size)],
        check=True,
        capture_output=True,
        text=True,
    )
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    result["total"] = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    result["total_cpu"] = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return result


def measure(workload: str, repeat: int, size: int) -> None:
    path = prepare(workload)
    paragraphs = sum(
        len([p for p in json.loads(line)["text"].split("\n") if p.strip()])
        for line in path.open(encoding="utf-8")
    )
    mb = path.stat().st_size / 1e6
    print(f"\n## {workload}: {paragraphs} paragraphs, {mb:.1f} MB, word {size}-shingles")
    best: dict[str, dict[str, Any]] = {}
    for _ in range(repeat):  # interleaved, best of `repeat` (the machine is shared)
        for kind in ("datasketch", "ours"):
            r = run_child(kind, path, size)
            if kind not in best or r["total_cpu"] < best[kind]["total_cpu"]:
                best[kind] = r
    print(
        "| pipeline | whole process wall / CPU s | dedup step wall / CPU s | step par/s (CPU) "
        "| step MB/s (CPU) | whole par/s (CPU) | peak RSS MB | removed |"
    )
    print("|---|---|---|---|---|---|---|---|")
    for kind, r in best.items():
        print(
            f"| {kind} | {r['total']:.2f} / {r['total_cpu']:.2f} | {r['step']:.2f} / "
            f"{r['step_cpu']:.2f} | {paragraphs / r['step_cpu']:,.0f} | "
            f"{mb / r['step_cpu']:.1f} | {paragraphs / r['total_cpu']:,.0f} | "
            f"{r['rss_mb']:.0f} | {len(r['removed'])} |"
        )
    base, ours = best["datasketch"], best["ours"]
    a = {tuple(x) for x in base["removed"]}
    b = {tuple(x) for x in ours["removed"]}
    print(
        f"speed-up ours vs datasketch: whole process {base['total'] / ours['total']:.1f}x wall, "
        f"{base['total_cpu'] / ours['total_cpu']:.1f}x CPU; dedup step "
        f"{base['step'] / ours['step']:.1f}x wall, {base['step_cpu'] / ours['step_cpu']:.1f}x CPU"
    )
    print(f"removals: both {len(a & b)}, datasketch only {len(a - b)}, ours only {len(b - a)}")


def step_only(workload: str, repeat: int) -> None:
    """The dedup step alone, in this process, best of `repeat` by CPU time."""
    from cleankit.plugins.dedup import DedupCleaner

    from cleankit.document import Document

    path = prepare(workload)
    records = [json.loads(line) for line in path.open(encoding="utf-8")]
    mb = sum(len(r["text"].encode("utf-8")) for r in records) / 1e6
    best: tuple[float, float, dict[str, Any]] | None = None
    for _ in range(repeat):
        docs = [Document.from_text(r["id"], r["text"]) for r in records]
        cleaner = DedupCleaner()
        cpu, wall = time.process_time(), time.perf_counter()
        list(cleaner.run(docs))
        cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        if best is None or cpu < best[0]:
            best = (cpu, wall, cleaner.report())
    assert best is not None
    cpu, wall, report = best
    n = report["paragraphs_indexed"]
    print(
        f"{workload}: step alone, best of {repeat}: CPU {cpu:.2f} s = {n / cpu:,.0f} "
        f"paragraphs/s, {mb / cpu:.1f} MB/s; wall {wall:.2f} s = {n / wall:,.0f} paragraphs/s"
    )
    report.pop("recurring")
    print(f"    report: {report}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--workloads", default="news,pages")
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--child")
    parser.add_argument("--input")
    parser.add_argument("--size", type=int, default=1, help="word shingle size (both)")
    parser.add_argument("--step-only", action="store_true", help="time the dedup step alone")
    args = parser.parse_args()
    if args.step_only:
        for workload in args.workloads.split(","):
            step_only(workload, max(args.repeat, 1))
        return
    if args.child:
        child(args.child, Path(args.input), args.size)
        return
    for workload in args.workloads.split(","):
        measure(workload, args.repeat, args.size)


if __name__ == "__main__":
    main()
