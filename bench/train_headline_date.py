"""Fit the two linear models of `headline_date` (title line, publication date) on corpus-dev.

    .venv/bin/python bench/train_headline_date.py [--write] [--l2 0.003] [--swap] [--halves]
    .venv/bin/python bench/train_headline_date.py --cv 4

Pages are split by a hash of their id: the even half trains, the odd half is held out and
only reported. Each page is one choice among its candidates plus "none" (score 0), fitted
as a conditional logit by plain gradient descent (numpy), with L2 shrinkage. `--write`
stores the weights in plugins/data/headline_date_weights.json. `--halves` then runs the
cleaner itself with the fitted weights and prints score.py's title EM / title F1 / date EM
on each half (with `--swap`, the even half is the held-out one). `--cv K` also prints the
title picks of a K-fold cross-validation over all pages (folds by a salted hash).
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import importlib
import json
import math
import re
import sys
import unicodedata
from datetime import date
from pathlib import Path
from typing import Any

import numpy as np
from cleankit.plugins import _headline_published as P
from cleankit.plugins import _headline_title as T
from cleankit.plugins._headline_lines import _weight_vectors, prepare_page
from cleankit.plugins.headline_date import HeadlineDateCleaner

from cleankit.document import Document

REPO = Path(__file__).resolve().parents[1]
CORPUS = REPO.parent / "shared" / "corpus-dev"
WEIGHTS_FILE = REPO / "plugins" / "data" / "headline_date_weights.json"
QUOTES = str.maketrans({"‘": "'", "’": "'", "“": '"', "”": '"', "„": '"', "«": '"', "»": '"'})
Page = tuple[str, np.ndarray, np.ndarray]
# L2 shrinkage: 3e-3 beat 1e-3 on the held-out half in both directions (round 3).
L2 = 3e-3
# `--swap` trains on the odd half and holds out the even one (a second held-out check).
SWAP = False


def title_norm(s: str) -> str:
    """The scorer's normalisation (score.py)."""
    s = unicodedata.normalize("NFKC", s or "").translate(QUOTES).casefold()
    return re.sub(r"\s+", " ", s).strip().strip(" \t\"'.,:;!?-|")


def held_out(doc_id: str) -> bool:
    return int(hashlib.md5(doc_id.encode()).hexdigest(), 16) % 2 == int(not SWAP)


def load(name: str) -> list[dict[str, Any]]:
    with gzip.open(CORPUS / name, "rt", encoding="utf-8") as f:
        return [json.loads(line) for line in f]


def fit(pages: list[Page], n_features: int, iters: int = 600, rate: float = 0.05) -> np.ndarray:
    """Conditional logit (softmax over each page's candidates plus "none"), Adam steps."""
    w = np.zeros(n_features)
    m, v = np.zeros(n_features), np.zeros(n_features)
    stacked = [(np.vstack([X, np.zeros(n_features)]), _target(y)) for _, X, y in pages]
    for t in range(1, iters + 1):
        grad = np.zeros(n_features)
        for X, target in stacked:
            scores = X @ w
            p = np.exp(scores - scores.max())
            p /= p.sum()
            grad += X.T @ (p - target)
        grad = grad / len(pages) + L2 * w
        m = 0.9 * m + 0.1 * grad
        v = 0.999 * v + 0.001 * grad**2
        w -= rate * (m / (1 - 0.9**t)) / (np.sqrt(v / (1 - 0.999**t)) + 1e-8)
    return w


def _target(y: np.ndarray) -> np.ndarray:
    target = np.concatenate([y, [0.0]])
    return target / target.sum() if target.sum() else np.eye(len(target))[-1]


def accuracy(pages: list[Page], w: np.ndarray, floor: float = 0.0) -> float:
    """Share of pages whose best candidate is right and scores above `floor`."""
    right = 0
    for _, X, y in pages:
        if len(y):
            scores = X @ w
            k = int(np.argmax(scores))
            right += int(scores[k] > floor and y[k] > 0)
    return right / max(1, len(pages))


def cross_validate(pages: list[Page], n_features: int, folds: int) -> None:
    """Title picks of K fits, each scored on the fold it did not see (folds by a salted
    hash of the id, so they differ from the halves): a less noisy estimate than one
    held-out half for comparing feature sets."""
    floor = math.log(T.THRESHOLD / (1 - T.THRESHOLD))
    fold_of = {
        doc_id: int(hashlib.md5(f"cv{folds}{doc_id}".encode()).hexdigest(), 16) % folds
        for doc_id, _, _ in pages
    }
    right = 0
    for k in range(folds):
        w = fit([p for p in pages if fold_of[p[0]] != k], n_features)
        held = [p for p in pages if fold_of[p[0]] == k]
        right += round(accuracy(held, w, floor) * max(1, len(held)))
    print(f"title {folds}-fold CV: {right} of {len(pages)} pages right ({right / len(pages):.4f})")


def matrix(rows: list[dict[str, float]], names: list[str]) -> np.ndarray:
    return np.array([[row.get(n, 0.0) for n in names] for row in rows]).reshape(-1, len(names))


def main() -> None:
    global L2, SWAP
    ap = argparse.ArgumentParser()
    ap.add_argument("--write", action="store_true")
    ap.add_argument("--l2", type=float, default=L2, help="L2 shrinkage")
    ap.add_argument("--swap", action="store_true", help="train on the odd half instead")
    ap.add_argument("--halves", action="store_true", help="score the cleaner on both halves")
    ap.add_argument(
        "--cv", type=int, default=0, help="also: K-fold cross-validated title picks (K fits)"
    )
    args = ap.parse_args()
    L2, SWAP = args.l2, args.swap
    gold = {g["id"]: g for g in load("gold.jsonl.gz") if g.get("title") or g.get("date")}
    docs = [d for d in load("docs.jsonl.gz") if d["id"] in gold]
    title_pages: dict[bool, list[Page]] = {False: [], True: []}
    date_pages: dict[bool, list[Page]] = {False: [], True: []}
    title_names: list[str] = []
    date_names: list[str] = []
    cached = []
    for d in docs:
        g = gold[d["id"]]
        page = prepare_page(Document.from_text(d["id"], d["text"]))
        lines = page.lines
        cands = T.candidate_features(page)
        if cands and not title_names:
            title_names = list(cands[0][1])
        want = title_norm(g["title"])
        y = np.array([float(title_norm(lines[j].text) == want) for j, _ in cands])
        title_pages[held_out(d["id"])].append(
            (d["id"], matrix([f for _, f in cands], title_names), y)
        )
        cached.append((d, g, page))
    if args.cv:
        cross_validate(title_pages[False] + title_pages[True], len(title_names), args.cv)
    w_title = fit(title_pages[False], len(title_names))
    print(
        f"title: train {accuracy(title_pages[False], w_title):.3f} "
        f"held-out {accuracy(title_pages[True], w_title):.3f} "
        f"(always answering: {accuracy(title_pages[True], w_title, -1e9):.3f})"
    )
    T.WEIGHTS.clear()
    T.WEIGHTS.update({n: round(float(v), 3) for n, v in zip(title_names, w_title, strict=True)})
    _weight_vectors.clear()
    floor, today = date(1990, 1, 1), date.today()
    for d, g, page in cached:
        lines = page.lines
        choice = T.choose_title(page)
        title_at = lines.index(choice.line) if choice else None
        cands_d = P.candidate_features(page, title_at, floor, today)
        if cands_d and not date_names:
            date_names = list(cands_d[0][2])
        want_d = date.fromisoformat(g["date"])
        y = np.array([float(hit.as_date() == want_d) for _, hit, _ in cands_d])
        date_pages[held_out(d["id"])].append(
            (d["id"], matrix([f for _, _, f in cands_d], date_names), y)
        )
    w_date = fit(date_pages[False], len(date_names))
    print(
        f"date: train {accuracy(date_pages[False], w_date):.3f} "
        f"held-out {accuracy(date_pages[True], w_date):.3f}"
    )
    result = {
        "_doc": "Linear weights of headline_date's title and date choosers, fitted by "
        "bench/train_headline_date.py on the even-hash half of corpus-dev.",
        "title": {n: round(float(v), 3) for n, v in zip(title_names, w_title, strict=True)},
        "date": {n: round(float(v), 3) for n, v in zip(date_names, w_date, strict=True)},
    }
    print(json.dumps(result, indent=1))
    if args.write:
        WEIGHTS_FILE.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
    if args.halves:
        P.WEIGHTS.clear()
        P.WEIGHTS.update(result["date"])
        _weight_vectors.clear()
        score_halves(docs, gold)


def score_halves(docs: list[dict[str, Any]], gold: dict[str, dict[str, Any]]) -> None:
    """The cleaner with the weights now in memory, scored per half like score.py does."""
    sys.path.insert(0, str(CORPUS))
    scorer = importlib.import_module("score")
    cleaner = HeadlineDateCleaner()
    sums: dict[str, list[float]] = {"even": [0, 0, 0, 0], "odd": [0, 0, 0, 0]}
    for d in docs:
        g = gold[d["id"]]
        if not g.get("title"):
            continue
        doc = Document.from_text(d["id"], d["text"])
        cleaner.clean(doc)
        em, f1 = scorer.title_scores(g["title"], doc.headline)
        row = sums["odd" if int(hashlib.md5(d["id"].encode()).hexdigest(), 16) % 2 else "even"]
        row[0] += 1
        row[1] += em
        row[2] += f1
        row[3] += float(doc.published == g.get("date"))
    for half, (n, em, f1, dates) in sums.items():
        print(
            f"{half} half ({n} pages): title EM {em / n:.4f}  title F1 {f1 / n:.4f}  "
            f"date EM {dates / n:.4f}  (titles right {em:.0f})"
        )


if __name__ == "__main__":
    main()
