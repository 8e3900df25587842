"""Same-process A/B of the `chrome` cleaner's speed paths (round 4), on corpus-dev.

usage: .venv/bin/python bench/bench_chrome_speedpath.py [--docs docs.jsonl.gz] [--repeat N]
           [--batch N] [--pages N]

Each comparison alternates its two sides pass by pass and keeps the fastest CPU time of
each (the machine is shared: ratios within one run, not absolute times, are the result):

1. `measure_page`: the numpy page pass (`_chrome_fast_page`) against the per-feature
   reference (`measure_page_reference`), on the lines `clean` measures (line-cache misses);
2. language: `_chrome_fast_langid.classify` against `py3langid.classify`, on each page's
   sample;
3. `Cleaner_chrome.clean` over all pages in batches (as `bench_chrome.py` times it): all
   round-4 paths on, against all off (reference features, py3langid, no collector
   toggle), and the collector toggle alone; first with CPython's default collector
   thresholds, then after `tune_gc()` (what `cleankit clean` sets).
"""

from __future__ import annotations

import argparse
import gc
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import py3langid
from bench_chrome import load
from cleankit.plugins import _chrome_fast_langid, _chrome_fast_page, _chrome_lang
from cleankit.plugins import chrome as chrome_module
from cleankit.plugins._chrome_features import load_triggers, measure_page_reference
from cleankit.plugins._chrome_lang import SAMPLE_CHARS
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


@contextmanager
def speed_paths(fast: bool, toggle: bool) -> Iterator[None]:
    """Round 4's speed paths on or off (off: the reference of each, same output)."""
    saved = (_chrome_fast_page.measure_page, _chrome_lang.fast_langid, chrome_module.gc)
    if not fast:
        _chrome_fast_page.measure_page = lambda *args: None  # type: ignore[assignment]
        _chrome_lang.fast_langid = _Py3langid  # type: ignore[assignment]
    if not toggle:
        chrome_module.gc = _NoToggle  # type: ignore[assignment]
    try:
        yield
    finally:
        _chrome_fast_page.measure_page, _chrome_lang.fast_langid, chrome_module.gc = saved  # type: ignore[assignment]


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


def timed_clean(rows: list[dict[str, str]], batch: int, fast: bool, toggle: bool) -> Side:
    """One cleaning pass; only `clean` is timed (documents are built outside the clock)."""
    spent = [0.0]

    def run() -> None:
        with speed_paths(fast, toggle):
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
    best = dict.fromkeys(sides, float("inf"))
    names = list(sides)
    for n in range(repeat):
        for name in names if n % 2 == 0 else names[::-1]:
            sides[name]()
            best[name] = min(best[name], sides[name].spent[0])  # type: ignore[attr-defined]
    base = best["all off"]
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
    args = ap.parse_args()
    rows = load(args.docs, None)
    rows = rows[: args.pages] if args.pages else rows
    mb = sum(len(r["text"].encode("utf-8")) for r in rows) / 1e6
    print(f"{len(rows)} pages, {mb:.2f} MB, batch {args.batch}, best of {args.repeat}")

    calls = missed_lines(rows)
    tset = load_triggers()
    lines = sum(len(texts) for texts, _ in calls)
    gc.disable()  # the parts alone, without collector noise
    best = ab(
        {
            "reference": lambda: [measure_page_reference(t, s, tset) for t, s in calls],
            "fast": lambda: [_chrome_fast_page.measure_page(t, s, tset) for t, s in calls],
        },
        args.repeat,
    )
    print(
        f"measure_page on {lines} lines ({len(calls)} pages): reference {best['reference']:.3f} s,"
        f" fast {best['fast']:.3f} s ({best['reference'] / best['fast']:.2f}x)"
    )
    samples = [max(r["text"].split("\n"), key=len).strip()[:SAMPLE_CHARS] for r in rows]
    _chrome_fast_langid.classify("warm up")
    best = ab(
        {
            "py3langid": lambda: [py3langid.classify(s) for s in samples],
            "fast": lambda: [_chrome_fast_langid.classify(s) for s in samples],
        },
        args.repeat,
    )
    print(
        f"language of {len(samples)} samples: py3langid {best['py3langid']:.3f} s,"
        f" fast {best['fast']:.3f} s ({best['py3langid'] / best['fast']:.2f}x)"
    )
    gc.enable()
    ab_clean(rows, args.batch, args.repeat, "default GC", mb)
    tune_gc()
    ab_clean(rows, args.batch, args.repeat, "tune_gc()", mb)


if __name__ == "__main__":
    main()
