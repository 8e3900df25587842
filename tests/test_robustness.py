"""The full default pipeline on hostile input: it finishes, and every record is accounted for."""

from __future__ import annotations

import json
import random

from cleankit.cli import main


def hostile_texts() -> dict[str, str]:
    rng = random.Random(7)
    words = "the minister said on Friday that talks would resume next week in Geneva".split()
    prose = " ".join(rng.choice(words) for _ in range(150_000))  # ~1 MB on one line
    return {
        "one-huge-line": prose,
        "one-char-run": "a" * 300_000,
        "punctuation-run": "-" * 50_000 + "\n" + "|" * 50_000,
        "controls": "Text\x00with\x07controls\u200b and\u00a0odd\u2028spaces.\n" * 200,
        "only-symbols": "\n".join("© ® ™ • · « » — –" for _ in range(500)),
        "many-short-lines": "\n".join(f"Item {i}" for i in range(20_000)),
        "mojibake": "donâ€™t stop â€œbelievingâ€\x9d\n" * 300,
        "mixed-scripts": "Новости дня. 新闻 报道。 الأخبار اليوم. Nachrichten des Tages.\n" * 100,
    }


def test_hostile_documents_finish_and_are_accounted_for(tmp_path):
    corpus = tmp_path / "hostile.jsonl"
    texts = hostile_texts()
    with corpus.open("w", encoding="utf-8") as fh:
        for doc_id, text in texts.items():
            fh.write(json.dumps({"id": doc_id, "text": text}) + "\n")
    out = tmp_path / "out"
    assert main(["clean", str(corpus), "-o", str(out), "-q"]) == 0
    written = {json.loads(x)["id"] for x in (out / "documents.jsonl").read_text().splitlines()}
    quarantined = {json.loads(x)["id"] for x in (out / "quarantine.jsonl").read_text().splitlines()}
    audited = {json.loads(x)["id"] for x in (out / "removed.jsonl").read_text().split("\n") if x}
    emptied = audited - written - quarantined
    stats = json.loads((out / "stats.json").read_text())
    assert stats["documents"]["emptied"] == len(emptied)
    assert written | quarantined | emptied == set(texts) and not written & quarantined
    assert written, "some hostile documents still have body text"
    for line in (out / "documents.jsonl").read_text(encoding="utf-8").splitlines():
        json.loads(line)  # U+2028 and friends are escaped, so every line is one record
