"""The Ray engine gives the same bytes as a local run (skipped when Ray is not installed)."""

from __future__ import annotations

import json

import pytest

from cleankit.cli import main

pytest.importorskip("ray")


def test_ray_engine_output_is_byte_identical_to_local(seed_texts, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    texts = list(seed_texts.values())
    with corpus.open("w") as fh:
        for i in range(30):
            fh.write(
                json.dumps({"id": f"d{i}", "text": texts[i % 5], "source": f"s{i % 2}"}) + "\n"
            )
    outs = {}
    for engine in ("local", "ray"):
        outs[engine] = tmp_path / engine
        args = [
            "clean",
            str(corpus),
            "-o",
            str(outs[engine]),
            "--engine",
            engine,
            "-w",
            "2",
            "--set",
            "pipeline.batch_size=4",
            "-q",
        ]
        assert main(args) == 0
    for name in ("documents.jsonl", "removed.jsonl", "quarantine.jsonl"):
        assert (outs["local"] / name).read_bytes() == (outs["ray"] / name).read_bytes(), name
