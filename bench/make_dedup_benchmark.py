"""Build the labelled near-duplicate benchmark for `dedup` from real news text.

Base: the gold article bodies of ../shared/corpus-dev (one paragraph per line), cleaned of
natural duplicates so every base paragraph is distinct: a later paragraph whose word-set
Jaccard with an earlier one is >= 0.5 (candidates from plain datasketch LSH at 0.5,
verified exactly) is dropped. Then copies are injected, with their truth recorded:

* within a document: a block of 2-4 consecutive paragraphs repeated further down (the
  scraped "teaser + full story" pattern), and, as a separate class, lone repeats of one
  paragraph (kept by default, see `min_run`);
* across documents: single paragraphs (promo/wire sentences) and runs of 3-6 paragraphs
  (a wire story re-run by another outlet) copied into another document;

each copy gets one edit: exact, case, whitespace, punctuation, one word replaced, two
words replaced, truncated end (5-15% of the characters cut, mid-word), or a mix
(case + punctuation + one word). Edited copies are made of paragraphs of >= 20 words
(where two words are a small edit); exact/case/whitespace/punctuation copies of any
paragraph of >= 6 words.

Output: bench/out/dedup_benchmark.jsonl: {id, source, paragraphs: [text], group: [int]}
where group is -1 for a distinct paragraph and the same id for an original and its copies.

    .venv/bin/python bench/make_dedup_benchmark.py [--seed 7] [--copies 2400]
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
from pathlib import Path
from urllib.parse import urlparse

from datasketch import MinHash, MinHashLSH

ROOT = Path(__file__).resolve().parents[1]
GOLD = ROOT.parent / "shared" / "corpus-dev" / "gold.jsonl.gz"
OUT = ROOT / "bench" / "out" / "dedup_benchmark.jsonl"
WORD = re.compile(r"\w+")
EDITS_ANY = ["exact", "case", "whitespace", "punctuation"]
EDITS_LONG = EDITS_ANY + ["word1", "word2", "truncate", "mix"]


def words(text: str) -> list[str]:
    return WORD.findall(text.casefold())


def load_base() -> list[dict]:
    docs = []
    for line in gzip.open(GOLD, "rt", encoding="utf-8"):
        gold = json.loads(line)
        if not gold.get("body"):
            continue
        paragraphs = [p.strip() for p in gold["body"].split("\n") if words(p)]
        if paragraphs:
            source = urlparse(gold.get("url") or "").netloc or None
            docs.append({"id": gold["id"], "source": source, "paragraphs": paragraphs})
    return docs


def drop_natural_duplicates(docs: list[dict]) -> int:
    """Drop later paragraphs with word-set Jaccard >= 0.5 to an earlier kept one."""
    lsh = MinHashLSH(threshold=0.5, num_perm=128)
    kept_sets: dict[str, set[str]] = {}
    dropped = 0
    for doc in docs:
        keep = []
        for k, text in enumerate(doc["paragraphs"]):
            tokens = set(words(text))
            mh = MinHash(num_perm=128)
            mh.update_batch([t.encode() for t in tokens])
            if any(_jaccard(tokens, kept_sets[key]) >= 0.5 for key in lsh.query(mh)):
                dropped += 1
                continue
            key = f"{doc['id']}/{k}"
            lsh.insert(key, mh)
            kept_sets[key] = tokens
            keep.append(text)
        doc["paragraphs"] = keep
    return dropped


def _jaccard(a: set[str], b: set[str]) -> float:
    return len(a & b) / len(a | b) if a or b else 1.0


def edit(text: str, kind: str, rng: random.Random, vocab: list[str]) -> str:
    if kind == "exact":
        return text
    if kind == "case":
        return rng.choice([text.lower(), text.upper(), text.title()])
    if kind == "whitespace":
        tokens = text.split(" ")
        return (
            "  "
            + "   ".join(tokens[: len(tokens) // 2])
            + " \t "
            + " ".join(tokens[len(tokens) // 2 :])
            + "  "
        )
    if kind == "punctuation":
        changed = re.sub(r"[,.;:\"'“”’!?()-]", lambda m: rng.choice(["", ",", " ;"]), text)
        return changed if changed != text else text + "!"
    if kind in ("word1", "word2"):
        return replace_words(text, 1 if kind == "word1" else 2, rng, vocab)
    if kind == "truncate":
        cut = int(len(text) * rng.uniform(0.05, 0.15))
        return text[: len(text) - max(cut, 1)]
    if kind == "mix":
        return edit(
            edit(replace_words(text, 1, rng, vocab), "case", rng, vocab), "punctuation", rng, vocab
        )
    raise ValueError(kind)


def replace_words(text: str, n: int, rng: random.Random, vocab: list[str]) -> str:
    tokens = text.split(" ")
    for k in rng.sample(range(len(tokens)), min(n, len(tokens))):
        tokens[k] = rng.choice(vocab)
    return " ".join(tokens)


class Injector:
    def __init__(self, docs: list[dict], rng: random.Random) -> None:
        self.docs = docs
        self.rng = rng
        self.groups = [[-1] * len(d["paragraphs"]) for d in docs]
        self.edits: list[list[str]] = [[""] * len(d["paragraphs"]) for d in docs]
        self.next_group = 0
        self.vocab = sorted({w for d in docs for p in d["paragraphs"] for w in p.split(" ")})

    def group_of(self, d: int, k: int) -> int:
        if self.groups[d][k] < 0:
            self.groups[d][k] = self.next_group
            self.next_group += 1
        return self.groups[d][k]

    def pick_kind(self, text: str) -> str | None:
        n = len(words(text))
        if n >= 20:
            return self.rng.choice(EDITS_LONG)
        if n >= 6:
            return self.rng.choice(EDITS_ANY)
        return None

    def copies(self, d: int, start: int, length: int) -> list[tuple[str, int, str]] | None:
        out = []
        for k in range(start, start + length):
            if self.edits[d][k]:  # never copy an injected copy
                return None
            kind = self.pick_kind(self.docs[d]["paragraphs"][k])
            if kind is None:
                return None
            text = edit(self.docs[d]["paragraphs"][k], kind, self.rng, self.vocab)
            out.append((text, self.group_of(d, k), kind))
        return out

    def insert(self, d: int, at: int, items: list[tuple[str, int, str]], where: str) -> None:
        doc = self.docs[d]
        doc["paragraphs"][at:at] = [t for t, _, _ in items]
        self.groups[d][at:at] = [g for _, g, _ in items]
        self.edits[d][at:at] = [f"{where}:{kind}" for _, _, kind in items]

    def inject(self, where: str, length: int) -> bool:
        d = self.rng.randrange(len(self.docs))
        n = len(self.docs[d]["paragraphs"])
        if n < length:
            return False
        start = self.rng.randrange(n - length + 1)
        items = self.copies(d, start, length)
        if items is None:
            return False
        if where.startswith("within"):
            at = self.rng.randrange(start + length, n + 1)
            self.insert(d, at, items, where)
        else:
            target = self.rng.randrange(len(self.docs))
            if target == d:
                return False
            at = self.rng.randrange(len(self.docs[target]["paragraphs"]) + 1)
            self.insert(target, at, items, where)
        return True


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--copies", type=int, default=2400, help="injection attempts")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    docs = load_base()
    dropped = drop_natural_duplicates(docs)
    docs = [d for d in docs if d["paragraphs"]]
    base = sum(len(d["paragraphs"]) for d in docs)
    inj = Injector(docs, rng)
    plan = [
        ("within_block", (2, 4)),
        ("within_lone", (1, 1)),
        ("across_single", (1, 1)),
        ("across_run", (3, 6)),
    ]
    made = 0
    for _ in range(args.copies):
        where, (lo, hi) = plan[rng.randrange(len(plan))]
        made += inj.inject(where, rng.randint(lo, hi))
    OUT.parent.mkdir(parents=True, exist_ok=True)
    with OUT.open("w", encoding="utf-8") as fh:
        for doc, groups, edits in zip(docs, inj.groups, inj.edits, strict=True):
            fh.write(json.dumps({**doc, "group": groups, "edit": edits}, ensure_ascii=False) + "\n")
    copies = sum(1 for e in inj.edits for x in e if x)
    print(
        f"base docs {len(docs)}, base paragraphs {base} (natural duplicates dropped: "
        f"{dropped}); injections {made}, injected copies {copies} -> {OUT}"
    )


if __name__ == "__main__":
    main()
