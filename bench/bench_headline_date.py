"""Benchmark of the `headline_date` cleaner: seeds, corpus-dev accuracy, speed.

    .venv/bin/python bench/bench_headline_date.py [--noisy] [--no-chrome] [--repeat 3]
    .venv/bin/python bench/bench_headline_date.py --against HEAD [--noisy] [--repeat 5]

Runs the cleaner through its Python class (alone, and after `chrome` when chrome is
implemented; with `--noisy` also after `encoding` and after encoding → chrome), writes
predictions to bench/out/, scores them with corpus-dev's score.py (all pages, per source,
per language, held-out half), prints the false-date and wrong-date rates, the date
threshold trade-off and the throughput in MB/s of input text on one core.

`--against REV` only compares speed with the cleaner as it was at git revision REV (its
modules and data are extracted with `git show` into bench/out/, imported as a separate
package): both run in this process, interleaved per document, and each document's time is
the best of `--repeat` runs, so the ratio holds on a shared, noisy machine.
"""

from __future__ import annotations

import argparse
import copy
import gzip
import hashlib
import importlib
import json
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

from cleankit.plugins import chrome as chrome_module
from cleankit.plugins.encoding import Cleaner_encoding as EncodingCleaner
from cleankit.plugins.headline_date import HeadlineDateCleaner

from cleankit.document import Document

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus-dev"
OUT = REPO / "bench" / "out"
LANGS = ["en", "de", "es", "fr", "it", "pt", "nl"]


def load(name: str) -> list[dict[str, Any]]:
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def held_out(doc_id: str) -> bool:
    return int(hashlib.md5(doc_id.encode()).hexdigest(), 16) % 2 == 1


def chrome_cleaner() -> Any | None:
    """The chrome cleaner, if it is more than the placeholder."""
    if "placeholder" in (chrome_module.__doc__ or ""):
        return None
    classes = [
        obj
        for obj in vars(chrome_module).values()
        if isinstance(obj, type) and getattr(obj, "name", None) == "chrome"
    ]
    return classes[0]() if classes else None


def run(docs: list[dict[str, Any]], steps: list[Any]) -> tuple[list[Document], float]:
    """Clean every document with `steps`; returns the documents and seconds spent."""
    out = []
    spent = 0.0
    for d in docs:
        doc = Document.from_text(d["id"], d["text"])
        start = time.process_time()
        for step in steps:
            step.clean(doc)
        spent += time.process_time() - start
        out.append(doc)
    return out, spent


def throughput(docs: list[dict[str, Any]], steps: list[Any], repeat: int) -> float:
    """Seconds of CPU (best of `repeat`) the steps spend on the corpus (building the
    documents is not timed)."""
    best = float("inf")
    for _ in range(repeat):
        best = min(best, run(docs, steps)[1])
    return best


def run_on(docs: list[Document], step: Any) -> float:
    """CPU seconds `step` spends on fresh copies of already-judged documents."""
    spent = 0.0
    for judged in docs:
        doc = copy.deepcopy(judged)
        start = time.process_time()
        step.clean(doc)
        spent += time.process_time() - start
    return spent


def score(preds: Path, *extra: str) -> str:
    cmd = [sys.executable, str(CORPUS / "score.py"), str(preds), *extra]
    return subprocess.run(cmd, capture_output=True, text=True, check=True).stdout


def title_date_rows(text: str) -> list[str]:
    """The score table's lines, cut down to the title and date columns."""
    keep = []
    for line in text.splitlines():
        if line.startswith("==") or line.startswith("(body"):
            keep.append(line)
        elif line.strip() and not line.startswith("-"):
            cells = line.split()
            keep.append("  ".join([cells[0], cells[1]] + cells[-4:]))
    return keep


def false_date_rate(docs: list[Document], gold: dict[str, dict[str, Any]]) -> tuple[float, int]:
    """Share of pages with no gold date, or whose date is not in the text, given a date."""
    pages = [
        d
        for d in docs
        if not gold[d.id].get("date") or not gold[d.id].get("flags", {}).get("date_in_text", True)
    ]
    wrong = sum(d.published is not None for d in pages)
    return wrong / max(1, len(pages)), len(pages)


def wrong_date_rates(docs: list[Document], gold: dict[str, dict[str, Any]]) -> str:
    """The false-date rate counts a page's correct date as false when the gold has none
    (scrapinghub) or flags it as not in the text; these two rates only count dates that
    are certainly wrong: a date other than the gold one."""
    dated = [d for d in docs if gold[d.id].get("date")]
    wrong = sum(d.published is not None and d.published != gold[d.id]["date"] for d in dated)
    unsure = [
        d
        for d in docs
        if not gold[d.id].get("date") or not gold[d.id].get("flags", {}).get("date_in_text", True)
    ]
    right = sum(d.published is not None and d.published == gold[d.id].get("date") for d in unsure)
    return (
        f"wrong-date rate (pages with a gold date, given another date): {wrong / len(dated):.3f}; "
        f"false-date pages whose date is the gold date after all: {right}"
    )


def threshold_sweep(docs: list[Document], gold: dict[str, dict[str, Any]]) -> list[str]:
    """Date exact match and false-date rate if dates below a confidence were dropped."""
    rows = []
    for floor in (0.7, 0.8, 0.83, 0.85, 0.88, 0.9, 0.95):
        kept = {
            d.id: d.published
            for d in docs
            if d.published and d.meta["published_source"]["confidence"] >= floor
        }
        dated = [d for d in docs if gold[d.id].get("date")]
        exact = sum(kept.get(d.id) == gold[d.id]["date"] for d in dated) / max(1, len(dated))
        empty = [
            d
            for d in docs
            if not gold[d.id].get("date")
            or not gold[d.id].get("flags", {}).get("date_in_text", True)
        ]
        false = sum(d.id in kept for d in empty) / max(1, len(empty))
        rows.append(
            f"confidence >= {floor:.2f}: date exact {exact:.3f}  false-date rate {false:.3f}"
        )
    return rows


def precise_rows(docs: list[Document], gold: dict[str, dict[str, Any]]) -> list[str]:
    """Title EM / title F1 / date EM with 4 decimals (score.py's own `score` function) for
    every page, each half and each source and language within them: the per-half numbers
    the method asks for (even = the training half, odd = held out)."""
    sys.path.insert(0, str(CORPUS))
    scorer = importlib.import_module("score")
    preds = {
        d.id: {"id": d.id, "text": d.text, "title": d.headline, "date": d.published} for d in docs
    }
    halves: dict[str, Callable[[str], bool]] = {
        "all": lambda _id: True,
        "even": lambda doc_id: not held_out(doc_id),
        "odd": held_out,
    }
    groups: list[tuple[str, str, str | None]] = [("all", "source", None)]
    groups += [(f"source {s}", "source", s) for s in ("fundus", "trafilatura-eval")]
    groups += [(f"lang {lang}", "lang", lang) for lang in LANGS]
    rows = ["group  half  title_pages  titleEM  titleF1  dateEM"]
    for name, field, value in groups:
        for half, in_half in halves.items():
            chosen = [
                g
                for g in gold.values()
                if (value is None or g[field] == value) and in_half(g["id"]) and g.get("title")
            ]
            if not chosen:
                continue
            res = scorer.score(chosen, preds)
            rows.append(
                f"{name}  {half}  {res['title_pages']}  {res['title_em']:.4f}  "
                f"{res['title_f1']:.4f}  {res.get('date_em', float('nan')):.4f}"
            )
    return rows


def write_preds(path: Path, docs: list[Document], keep: Callable[[str], bool]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for d in docs:
            if keep(d.id):
                row = {"id": d.id, "text": d.text, "title": d.headline, "date": d.published}
                f.write(json.dumps(row, ensure_ascii=False) + "\n")


def seeds() -> None:
    print("== seeds ==")
    for path in sorted((REPO / "seeds").glob("*.txt")):
        doc = Document.from_text(path.stem, path.read_text(encoding="utf-8"))
        HeadlineDateCleaner().clean(doc)
        meta = {
            k: doc.meta[k]
            for k in ("byline", "credit", "dateline", "published_partial")
            if k in doc.meta
        }
        print(f"{path.stem[:3]}  headline={doc.headline!r}  published={doc.published}  {meta}")


BASELINE_FILES = [
    "headline_date.py",
    "_headline_lines.py",
    "_headline_meta.py",
    "_headline_published.py",
    "_headline_title.py",
    "_dates.py",
    "data/headline_date_weights.json",
    "data/headline_date_months.json",
]
BASELINE_INIT = """import json
from pathlib import Path


def load_data(name):
    return json.loads((Path(__file__).parent / "data" / name).read_text("utf-8"))
"""


def baseline_cleaner(rev: str) -> Any:
    """headline_date as it was at git revision `rev`, as package `hd_baseline`."""
    root = OUT / "baseline"
    package = root / "hd_baseline"
    (package / "data").mkdir(parents=True, exist_ok=True)
    (package / "__init__.py").write_text(BASELINE_INIT, encoding="utf-8")
    for name in BASELINE_FILES:
        cmd = ["git", "show", f"{rev}:plugins/{name}"]
        text = subprocess.run(cmd, cwd=REPO, capture_output=True, text=True, check=True).stdout
        text = text.replace("cleankit.plugins._", "hd_baseline._")
        text = text.replace(
            "from cleankit.plugins import load_data", "from hd_baseline import load_data"
        )
        (package / name).write_text(text, encoding="utf-8")
    sys.path.insert(0, str(root))
    return importlib.import_module("hd_baseline.headline_date").HeadlineDateCleaner()


def compare_speed(docs: list[dict[str, Any]], rev: str, repeat: int, mb: float) -> None:
    """CPU time of this checkout's cleaner against revision `rev`'s, per document
    interleaved (alternating which runs first), best of `repeat` per document."""
    cleaners = {"current": HeadlineDateCleaner(), rev: baseline_cleaner(rev)}
    best = {name: [float("inf")] * len(docs) for name in cleaners}
    order = list(cleaners)
    for r in range(repeat):
        for i, d in enumerate(docs):
            for name in order if (i + r) % 2 else order[::-1]:
                doc = Document.from_text(d["id"], d["text"])
                start = time.process_time()
                cleaners[name].clean(doc)
                best[name][i] = min(best[name][i], time.process_time() - start)
    seconds = {name: sum(times) for name, times in best.items()}
    print(
        f"speed, best of {repeat} per document: current {mb / seconds['current']:.1f} MB/s, "
        f"{rev} {mb / seconds[rev]:.1f} MB/s; time ratio current/{rev} "
        f"{seconds['current'] / seconds[rev]:.3f}"
    )


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--noisy", action="store_true", help="use docs_noisy.jsonl.gz")
    ap.add_argument("--no-chrome", action="store_true")
    ap.add_argument("--repeat", type=int, default=3, help="timing repeats (best is reported)")
    ap.add_argument("--against", metavar="REV", help="only compare speed with git revision REV")
    args = ap.parse_args()
    docs = load("docs_noisy.jsonl.gz" if args.noisy else "docs.jsonl.gz")
    mb = sum(len(d["text"].encode("utf-8")) for d in docs) / 1e6
    if args.against:
        compare_speed(docs, args.against, args.repeat, mb)
        return
    seeds()
    gold = {g["id"]: g for g in load("gold.jsonl.gz")}
    OUT.mkdir(parents=True, exist_ok=True)
    configs: list[tuple[str, list[Any]]] = [("alone", [HeadlineDateCleaner()])]
    chrome = None if args.no_chrome else chrome_cleaner()
    if chrome is not None:
        configs.append(("chrome+headline_date", [chrome, HeadlineDateCleaner()]))
    if args.noisy:
        # The default pipeline repairs encoding and hard wraps before headline_date.
        encoding = EncodingCleaner()
        configs.append(("encoding+headline_date", [encoding, HeadlineDateCleaner()]))
        if chrome is not None:
            configs.append(
                ("encoding+chrome+headline_date", [encoding, chrome, HeadlineDateCleaner()])
            )
    print(f"\ntoday={date.today()}  pages={len(docs)}  {mb:.1f} MB  noisy={args.noisy}")
    for name, steps in configs:
        cleaned, _ = run(docs, steps)
        chain = throughput(docs, steps, args.repeat)
        hd_only = chain
        if len(steps) > 1:
            # headline_date's own share: time it on documents chrome has already judged.
            judged, _ = run(docs, steps[:-1])
            hd_only = min(run_on(judged, steps[-1]) for _ in range(args.repeat))
        suffix = "_noisy" if args.noisy else ""
        preds = OUT / f"headline_date_{name}{suffix}.jsonl"
        write_preds(preds, cleaned, lambda _id: True)
        held = OUT / f"headline_date_{name}{suffix}_heldout.jsonl"
        write_preds(held, cleaned, held_out)
        rate, n = false_date_rate(cleaned, gold)
        print(
            f"\n##### {name}: {mb / chain:.1f} MB/s for the whole chain, "
            f"headline_date alone {mb / hd_only:.1f} MB/s (1 core, best of {args.repeat})"
        )
        print(f"false-date rate: {rate:.3f} of {n} pages with no gold date or none in the text")
        print(wrong_date_rates(cleaned, gold))
        print("\n".join(threshold_sweep(cleaned, gold)))
        print("\n".join(title_date_rows(score(preds, "--by-source"))))
        print("-- held-out half (odd id hash) --")
        held_gold = OUT / "headline_date_gold_heldout.jsonl"
        with held_gold.open("w", encoding="utf-8") as f:
            for g in gold.values():
                if held_out(g["id"]):
                    f.write(json.dumps(g, ensure_ascii=False) + "\n")
        print("\n".join(title_date_rows(score(held, "--by-source", "--gold", str(held_gold)))))
        print("-- per language --")
        for lang in LANGS:
            rows = title_date_rows(score(preds, "--lang", lang))
            print(f"{lang}: {rows[2] if len(rows) > 2 else rows}")
        print("-- 4 decimals (pages with a gold title; date EM over the same pages) --")
        print("\n".join(precise_rows(cleaned, gold)))


if __name__ == "__main__":
    main()
