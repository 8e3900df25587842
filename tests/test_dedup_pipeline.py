"""`dedup` inside the real pipeline: the output does not depend on the number of workers.

The corpus mixes the five seed articles, copies of them with edited paragraphs (near
duplicates across documents) and repeated blocks, cut into many small batches so that
the document stages really spread over the workers while dedup runs in corpus order.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleankit.cli import main


def _corpus(seeds_dir: Path, path: Path) -> None:
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    with path.open("w", encoding="utf-8") as fh:
        for i in range(40):
            text = texts[i % 5]
            if i % 4 == 1:  # a near copy: one word changed in every paragraph
                text = "\n".join(line.replace(" the ", " a ", 1) for line in text.split("\n"))
            if i % 7 == 3:  # a repeated block inside the document
                lines = text.split("\n")
                text = "\n".join(lines + lines[2:6])
            record = {"id": f"d{i:02d}", "text": text, "source": f"s{i % 3}"}
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")


@pytest.mark.parametrize("scope", ["corpus", "source"])
def test_dedup_output_is_identical_with_one_or_two_workers(
    capsys: pytest.CaptureFixture[str], seeds_dir: Path, tmp_path: Path, scope: str
) -> None:
    corpus = tmp_path / "corpus.jsonl"
    _corpus(seeds_dir, corpus)
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        args = ["clean", str(corpus), "-o", str(out), "--workers", workers, "-q"]
        args += ["--only", "encoding,dedup"]  # a document stage for the pool, then dedup
        settings = ["pipeline.batch_size=3", f"dedup.scope={json.dumps(scope)}"]
        code = main([*args, *[a for s in settings for a in ("--set", s)]])
        capsys.readouterr()
        assert code == 0
        outs.append(out)
    for name in ("documents.jsonl", "removed.jsonl", "quarantine.jsonl"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name
    audit = [json.loads(line) for line in (outs[0] / "removed.jsonl").open(encoding="utf-8")]
    dedup_rules = {row["rule"] for row in audit if row["cleaner"] == "dedup"}
    assert {"exact", "near"} <= dedup_rules  # both kinds of copies were really removed
