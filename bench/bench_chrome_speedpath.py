"""Same-process A/B of the `chrome` cleaner's speed paths (rounds 4 and 5), on corpus-dev.

usage: .venv/bin/python bench/bench_chrome_speedpath.py [--docs docs.jsonl.gz] [--repeat N]
           [--batch N] [--pages N] [--native-only]

Each comparison alternates its two sides pass by pass and keeps the fastest CPU time of
each (the machine is shared: ratios within one run, not absolute times, are the result):

1. `measure_page`: the compiled page pass (`_chrome_fast_native`, round 5) and the numpy
   page pass (`_chrome_fast_page.measure_page_numpy`) against the per-feature reference
   (`measure_page_reference`), on the lines `clean` measures (line-cache misses);
2. language: `_chrome_fast_langid.classify` with the compiled walk and scoring, and with
   numpy, against `py3langid.classify`, on each page's sample (as `detect_language`);
3. `Cleaner_chrome.clean` over all pages in batches (as `bench_chrome.py` times it), after
   `tune_gc()`: everything on with the compiled kernels against everything on without
   them (`CLEANKIT_NO_NATIVE=1`'s code paths); then the CPU time of each stage of `clean`
   (language, features and context-free class, context rules, recording the verdicts),
   one pass each, timed the way `clean` runs (collector off);
4. (not with `--native-only`) the round-4 comparison: all paths on (compiled kernels off),
   against all off (reference features, py3langid, no collector toggle), and the collector
   toggle alone; first with CPython's default collector thresholds, then after
   `tune_gc()` (what `cleankit clean` sets).
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import py3langid
from bench_chrome import STAGES, load, stage_times
from cleankit.plugins import (
    _chrome_fast_langid,
    _chrome_fast_native,
    _chrome_fast_page,
    _chrome_lang,
)
from cleankit.plugins import chrome as chrome_module
from cleankit.plugins._chrome_features import load_triggers, measure_page_reference
from cleankit.plugins._chrome_lang import SAMPLE_CHARS, SAMPLE_LINES
from cleankit.plugins.chrome import Cleaner_chrome

from cleankit.document import Document
from cleankit.engine import tune_gc

Side = Callable[[], object]


class _NoToggle:
    """Stands in for `gc` inside the chrome module: `clean` leaves the collector alone."""

    @staticmethod
    def isenabled() -> bool:
        return False

    @staticmethod
    def disable() -> None:
        return None

    @staticmethod
    def enable() -> None:
        return None


NATIVE = _chrome_fast_native.NATIVE


@contextmanager
def native(on: bool) -> Iterator[None]:
    """The compiled kernels on or off (off: the numpy passes, same output)."""
    _chrome_fast_native.NATIVE = NATIVE if on else None
    try:
        yield
    finally:
        _chrome_fast_native.NATIVE = NATIVE


@contextmanager
def speed_paths(fast: bool, toggle: bool, compiled: bool = False) -> Iterator[None]:
    """Round 4's speed paths on or off (off: the reference of each, same output), and
    round 5's compiled kernels."""
    saved = (_chrome_fast_page.measure_page, _chrome_lang.fast_langid, chrome_module.gc)
    _chrome_fast_native.NATIVE = NATIVE if compiled else None
    if not fast:
        _chrome_fast_page.measure_page = lambda *args: None  # type: ignore[assignment]
        _chrome_lang.fast_langid = _Py3langid  # type: ignore[assignment]
    if not toggle:
        chrome_module.gc = _NoToggle  # type: ignore[assignment]
    try:
        yield
    finally:
        _chrome_fast_page.measure_page, _chrome_lang.fast_langid, chrome_module.gc = saved  # type: ignore[assignment]
        _chrome_fast_native.NATIVE = NATIVE


class _Py3langid:
    @staticmethod
    def classify(text: str) -> str:
        return str(py3langid.classify(text)[0])


def ab(sides: dict[str, Side], repeat: int) -> dict[str, float]:
    """Fastest CPU seconds of each side, the sides alternating (order flipped each pass)."""
    best = dict.fromkeys(sides, float("inf"))
    names = list(sides)
    for n in range(repeat):
        for name in names if n % 2 == 0 else names[::-1]:
            start = time.process_time()
            sides[name]()
            best[name] = min(best[name], time.process_time() - start)
    return best


def missed_lines(rows: list[dict[str, str]]) -> list[tuple[list[str], frozenset[str]]]:
    """The (lines, stopwords) of every `measure_page` call of one cleaning pass."""
    calls: list[tuple[list[str], frozenset[str]]] = []
    real = chrome_module.measure_page

    def record(texts: list[str], stop: frozenset[str], triggers: Any) -> Any:
        calls.append((list(texts), stop))
        return real(texts, stop, triggers)

    chrome_module.measure_page = record
    try:
        cleaner = Cleaner_chrome()
        for row in rows:
            cleaner.clean(Document.from_text(row["id"], row["text"]))
    finally:
        chrome_module.measure_page = real
    return calls


def timed_clean(
    rows: list[dict[str, str]], batch: int, fast: bool, toggle: bool, compiled: bool = False
) -> Side:
    """One cleaning pass; only `clean` is timed (documents are built outside the clock)."""
    spent = [0.0]

    def run() -> None:
        with speed_paths(fast, toggle, compiled):
            cleaner = Cleaner_chrome()
            cleaner.clean(Document.from_text("warmup", "Warm up the language model. " * 5))
            for first in range(0, len(rows), batch):
                docs = [Document.from_text(r["id"], r["text"]) for r in rows[first : first + batch]]
                start = time.process_time()
                for doc in docs:
                    cleaner.clean(doc)
                spent[0] += time.process_time() - start
                del docs

    def side() -> None:
        spent[0] = 0.0
        run()

    side.spent = spent  # type: ignore[attr-defined]
    return side


def ab_clean(rows: list[dict[str, str]], batch: int, repeat: int, label: str, mb: float) -> None:
    sides = {
        "all off": timed_clean(rows, batch, fast=False, toggle=False),
        "collector toggle only": timed_clean(rows, batch, fast=False, toggle=True),
        "all on": timed_clean(rows, batch, fast=True, toggle=True),
    }
    report_clean(sides, repeat, label, mb)


def ab_native_clean(rows: list[dict[str, str]], batch: int, repeat: int, mb: float) -> None:
    sides = {
        "numpy (no kernels)": timed_clean(rows, batch, fast=True, toggle=True),
        "compiled kernels": timed_clean(rows, batch, fast=True, toggle=True, compiled=True),
    }
    report_clean(sides, repeat, "tune_gc()", mb)


def report_clean(sides: dict[str, Side], repeat: int, label: str, mb: float) -> None:
    best = dict.fromkeys(sides, float("inf"))
    names = list(sides)
    for n in range(repeat):
        for name in names if n % 2 == 0 else names[::-1]:
            sides[name]()
            best[name] = min(best[name], sides[name].spent[0])  # type: ignore[attr-defined]
    base = best[names[0]]
    for name, seconds in best.items():
        print(
            f"  clean(), {label}: {name:22s} {seconds:6.2f} s cpu = {mb / seconds:5.1f} MB/s"
            f" per core ({base / seconds:.2f}x)"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--docs", default="docs.jsonl.gz")
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--batch", type=int, default=256)
    ap.add_argument("--pages", type=int, default=0, help="first N pages only (0: all)")
    ap.add_argument("--native-only", action="store_true", help="skip the round-4 comparison")
    args = ap.parse_args()
    rows = load(args.docs, None)
    rows = rows[: args.pages] if args.pages else rows
    mb = sum(len(r["text"].encode("utf-8")) for r in rows) / 1e6
    print(f"{len(rows)} pages, {mb:.2f} MB, batch {args.batch}, best of {args.repeat}")

    calls = missed_lines(rows)
    tset = load_triggers()
    lines = sum(len(texts) for texts, _ in calls)
    gc.disable()  # the parts alone, without collector noise
    fast_page = _chrome_fast_page.measure_page
    best = ab(
        {
            "reference": lambda: [measure_page_reference(t, s, tset) for t, s in calls],
            "numpy": lambda: [_chrome_fast_page.measure_page_numpy(t, s, tset) for t, s in calls],
            "compiled": lambda: [fast_page(t, s, tset) for t, s in calls],
        },
        args.repeat,
    )
    print(f"measure_page on {lines} lines ({len(calls)} pages):")
    print_ratios(best)
    samples = [_sample(r["text"]) for r in rows]
    _chrome_fast_langid.classify("warm up")
    best = ab(
        {
            "py3langid": lambda: [py3langid.classify(s) for s in samples],
            "numpy": lambda: _classify_all(samples, compiled=False),
            "compiled": lambda: _classify_all(samples, compiled=True),
        },
        args.repeat,
    )
    print(f"language of {len(samples)} samples:")
    print_ratios(best)
    gc.enable()
    tune_gc()
    ab_native_clean(rows, args.batch, args.repeat, mb)
    for compiled in (False, True):
        stages = stage_seconds(rows, args.batch, compiled)
        label = "compiled kernels" if compiled else "numpy (no kernels)"
        print(
            f"  stages, {label} (cpu s, one pass): "
            + ", ".join(f"{k} {v:.2f}" for k, v in stages.items())
            + f", total {sum(stages.values()):.2f}"
        )
    if args.native_only:
        return
    gc.set_threshold(700, 10, 10)  # CPython's default thresholds
    ab_clean(rows, args.batch, args.repeat, "default GC", mb)
    tune_gc()
    ab_clean(rows, args.batch, args.repeat, "tune_gc()", mb)


def stage_seconds(rows: list[dict[str, str]], batch: int, compiled: bool) -> dict[str, float]:
    """CPU seconds of each stage of `Cleaner_chrome._clean` over all pages, timed as
    `clean` runs them (collector off, batches of documents, a fresh cleaner)."""
    spent = dict.fromkeys(STAGES, 0.0)
    with native(compiled):
        chrome = Cleaner_chrome()
        chrome.clean(Document.from_text("warmup", "Warm up the language model. " * 5))
        gc.disable()
        for first in range(0, len(rows), batch):
            docs = [Document.from_text(r["id"], r["text"]) for r in rows[first : first + batch]]
            for doc in docs:
                for name, seconds in zip(STAGES, stage_times(chrome, doc), strict=True):
                    spent[name] += seconds
        gc.enable()
    return spent


def _sample(text: str) -> str:
    """`detect_language`'s sample of a page."""
    lines = [line.strip() for line in text.split("\n") if line.strip()]
    longest = sorted(lines, key=len, reverse=True)[:SAMPLE_LINES]
    return " ".join(line[:SAMPLE_CHARS] for line in longest)


def _classify_all(samples: list[str], compiled: bool) -> list[str]:
    with native(compiled):
        return [_chrome_fast_langid.classify(s) for s in samples]


def print_ratios(best: dict[str, float]) -> None:
    """Each side's best CPU seconds, and how many times faster than the first side."""
    base = best[next(iter(best))]
    for name, seconds in best.items():
        print(f"  {name:10s} {seconds:6.3f} s cpu ({base / seconds:.2f}x)")


if __name__ == "__main__":
    main()
