"""Speed of `dedup` against the plain-datasketch pipeline, same input, same run.

Workloads from ../shared/corpus-dev (docs.jsonl.gz + docs_noisy.jsonl.gz, 2,308
scraped pages): `news` keeps the lines of >= 8 words (news-sized paragraphs, ~165
characters), `pages` keeps every line (navigation, share buttons and footers included),
`news-clean` is `news` from docs.jsonl.gz alone (1,154 pages, each once: far fewer exact
copies, so more of the paragraphs need a MinHash).
Each pipeline runs as its own process, one worker: read the JSONL, deduplicate, write
the kept text. Reported: whole-process wall time (interpreter start to exit), the dedup
step alone, paragraphs/s, MB/s, and peak RSS (VmHWM); and the agreement of the removals.

    .venv/bin/python bench/bench_dedup_speed.py [--workloads news,pages] [--repeat 3] [--size 1]
        [--kinds datasketch,datasketch+gc,ours,cli]
    .venv/bin/python bench/bench_dedup_speed.py --step-only --repeat 5

`--size` is the word shingle size of both pipelines (not the input size).

CPU times (user + sys, from getrusage) are reported next to wall times: the machine is
shared, and CPU time is the fair measure of "per core".
"""

from __future__ import annotations

import argparse
import gc
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
        sources = ("docs",) if workload == "news-clean" else ("docs", "docs_noisy")
        for name in sources:
            for line in gzip.open(DEV / f"{name}.jsonl.gz", "rt", encoding="utf-8"):
                record = json.loads(line)
                lines = [p for p in record["text"].split("\n") if p.strip()]
                if workload.startswith("news"):
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
    """One pipeline, in this process; prints a JSON line of measurements.

    `ours` does what `cleankit clean` does around a corpus cleaner: imports, the GC
    setting of the CLI (`tune_gc`), one `Document` per record (`Document.from_text`),
    `DedupCleaner.run` in corpus order, then the kept text (`doc.text`) written out.
    `datasketch` is the script a user would write: plain records, default GC unless
    `datasketch+gc` (the same GC setting, to show what it is worth there).

    After the output is written, the list of removed (document, paragraph) positions is
    built for the agreement check; that bookkeeping is not part of either pipeline, so
    its CPU and wall time are reported (`bench_cpu`, `bench_wall`) and subtracted."""
    if kind == "cli":
        cli_child(path, size)
        return
    if kind == "ours":
        from cleankit.plugins.dedup import DedupCleaner

        from cleankit.document import Document
        from cleankit.engine import tune_gc

        tune_gc()  # as `cleankit clean` does before it runs the pipeline
        records = read_records(path)
        docs = [Document.from_text(r["id"], r["text"]) for r in records]
        start, cpu = time.perf_counter(), time.process_time()
        cleaner = DedupCleaner({"shingle_size": size})
        result = list(cleaner.run(docs))
        step, step_cpu = time.perf_counter() - start, time.process_time() - cpu
        texts = [d.text for d in result]
    else:
        sys.path.insert(0, str(Path(__file__).parent))
        from bench_dedup_baseline import datasketch_dedup

        if kind == "datasketch+gc":
            gc.freeze()
            gc.set_threshold(50_000, 20, 100)
        records = read_records(path)
        docs_p = [[p for p in r["text"].split("\n") if p.strip()] for r in records]
        start, cpu = time.perf_counter(), time.process_time()
        decisions = list(datasketch_dedup(docs_p, size=size))
        step, step_cpu = time.perf_counter() - start, time.process_time() - cpu
        texts = [
            "\n\n".join(p for p, hit in zip(paras, out, strict=True) if hit is None)
            for paras, out in zip(docs_p, decisions, strict=True)
        ]
    out_path = OUT / f"dedup_speed_{kind}.out.jsonl"
    with out_path.open("w", encoding="utf-8") as fh:
        for r, text in zip(records, texts, strict=True):
            fh.write(json.dumps({"id": r["id"], "text": text}, ensure_ascii=False) + "\n")
    bench_start, bench_cpu = time.perf_counter(), time.process_time()
    if kind == "ours":
        removed = [
            [d, k]
            for d, doc in enumerate(result)
            for k, p in enumerate(doc.paragraphs)
            if p.removed
        ]
    else:
        removed = [
            [d, k]
            for d, out in enumerate(decisions)
            for k, hit in enumerate(out)
            if hit is not None
        ]
    measured = {"step": step, "step_cpu": step_cpu, "rss_mb": peak_rss_mb(), "removed": removed}
    line = json.dumps(measured)
    measured_line = json.dumps(
        {
            "bench_cpu": time.process_time() - bench_cpu,
            "bench_wall": time.perf_counter() - bench_start,
        }
    )
    print(line)
    print(measured_line)


def cli_child(path: Path, size: int) -> None:
    """`cleankit clean --only dedup --workers 1` in this process: the real pipeline, which
    also validates and writes the audit (removed.jsonl), stats and a manifest. The dedup
    step is not timed separately here."""
    from cleankit.cli import main as cleankit_main

    out = OUT / "dedup_speed_cli"
    argv = ["clean", str(path), "-o", str(out), "--only", "dedup", "--workers", "1", "-q"]
    assert cleankit_main([*argv, "--set", f"dedup.shingle_size={size}"]) == 0
    bench_start, bench_cpu = time.perf_counter(), time.process_time()
    ordinal = {r["id"]: d for d, r in enumerate(read_records(path))}
    removed = []
    with (out / "removed.jsonl").open(encoding="utf-8") as fh:
        for line in fh:
            row = json.loads(line)
            if row["cleaner"] == "dedup" and row["action"] == "remove":
                removed.append([ordinal[row["id"]], row["paragraph"]])
    nan = float("nan")
    line = json.dumps({"step": nan, "step_cpu": nan, "rss_mb": peak_rss_mb(), "removed": removed})
    bench = {
        "bench_cpu": time.process_time() - bench_cpu,
        "bench_wall": time.perf_counter() - bench_start,
    }
    print(line)
    print(json.dumps(bench))


def read_records(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as fh:
        return [json.loads(line) for line in fh]


def run_child(kind: str, path: Path, size: int) -> dict[str, Any]:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    proc = subprocess.run(
        [sys.executable, __file__, "--child", kind, "--input", str(path), "--size", str(size)],
        check=True,
        capture_output=True,
        text=True,
    )
    lines = proc.stdout.strip().splitlines()
    result: dict[str, Any] = json.loads(lines[-2])
    bench = json.loads(lines[-1])  # the agreement bookkeeping, not part of the pipeline
    result["total"] = time.perf_counter() - start - bench["bench_wall"]
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    result["total_cpu"] = cpu - bench["bench_cpu"]
    return result


def measure(workload: str, repeat: int, size: int, kinds: list[str]) -> None:
    path = prepare(workload)
    paragraphs = sum(
        len([p for p in json.loads(line)["text"].split("\n") if p.strip()])
        for line in path.open(encoding="utf-8")
    )
    mb = path.stat().st_size / 1e6
    print(f"\n## {workload}: {paragraphs} paragraphs, {mb:.1f} MB, word {size}-shingles")
    best: dict[str, dict[str, Any]] = {}
    for _ in range(repeat):  # interleaved, best of `repeat` (the machine is shared)
        for kind in kinds:
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
    for baseline in (k for k in ("datasketch", "datasketch+gc") if k in best):
        base = best[baseline]
        for kind in (k for k in best if not k.startswith("datasketch")):
            r = best[kind]
            step = ""
            if r["step_cpu"] == r["step_cpu"]:  # not NaN
                step = (
                    f"; dedup step {base['step'] / r['step']:.1f}x wall, "
                    f"{base['step_cpu'] / r['step_cpu']:.1f}x CPU"
                )
            print(
                f"speed-up {kind} vs {baseline}: whole process "
                f"{base['total'] / r['total']:.1f}x wall, "
                f"{base['total_cpu'] / r['total_cpu']:.1f}x CPU{step}"
            )
    if "datasketch" in best and "ours" in best:
        a = {tuple(x) for x in best["datasketch"]["removed"]}
        b = {tuple(x) for x in best["ours"]["removed"]}
        print(f"removals: both {len(a & b)}, datasketch only {len(a - b)}, ours only {len(b - a)}")
    if "cli" in best and "ours" in best:
        same = sorted(map(tuple, best["cli"]["removed"])) == sorted(
            map(tuple, best["ours"]["removed"])
        )
        print(f"cli removals identical to ours: {same}")


def step_only(workload: str, repeat: int) -> None:
    """The dedup step alone, in this process, best of `repeat` by CPU time."""
    from cleankit.plugins.dedup import DedupCleaner

    from cleankit.document import Document
    from cleankit.engine import tune_gc

    tune_gc()
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
    parser.add_argument(
        "--kinds",
        default="datasketch,ours",
        help="pipelines, from: datasketch, ours, datasketch+gc (datasketch with the GC "
        "setting of `cleankit clean`), cli (`cleankit clean --only dedup --workers 1`)",
    )
    args = parser.parse_args()
    if args.step_only:
        for workload in args.workloads.split(","):
            step_only(workload, max(args.repeat, 1))
        return
    if args.child:
        child(args.child, Path(args.input), args.size)
        return
    for workload in args.workloads.split(","):
        measure(workload, args.repeat, args.size, args.kinds.split(","))


if __name__ == "__main__":
    main()
