"""QA round 4: every output line is strict JSON, written records match the schema's types,
and ids are what a user would look up."""

from __future__ import annotations

import json
import math
from pathlib import Path

import pytest

from cleankit import DocumentCleaner, hookimpl
from cleankit.cli import main
from cleankit.pipeline import Pipeline

BODY = "The Pentagon said on Friday that talks with Russia would continue next week."


def line(id_token: str, text: str, extra: str = "") -> str:
    """A JSONL line with a raw (possibly invalid JSON) token as id and `extra` fields."""
    return f'{{"id": {id_token}, "text": {json.dumps(text)}{extra}}}\n'


def strict_json(line: str) -> object:
    """json.loads that rejects NaN/Infinity like jq, JavaScript or Go do."""

    def reject(name: str) -> None:
        raise ValueError(f"not JSON: {name}")

    return json.loads(line, parse_constant=reject)


def every_line(out: Path) -> list[object]:
    lines = []
    for name in ("documents.jsonl", "removed.jsonl", "quarantine.jsonl"):
        lines += [strict_json(x) for x in (out / name).read_text().splitlines()]
    for name in ("stats.json", "manifest.json"):
        lines.append(strict_json((out / name).read_text()))
    return lines


def test_nan_and_infinity_in_input_fields_are_written_as_null(tmp_path):
    """Was: `"score": NaN` in documents.jsonl, which strict JSON readers reject."""
    src = tmp_path / "in.jsonl"
    src.write_text(line('"a"', BODY, ', "score": NaN, "w": [1, -Infinity]'))
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--only", "encoding", "-q"]) == 0
    every_line(out)
    [doc] = [json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()]
    assert doc["meta"]["input_fields"] == {"score": None, "w": [1, None]}


class OddValues(DocumentCleaner):
    """A plugin that sets values of the wrong type, and a NaN score."""

    name = "odd_values"

    def clean(self, doc):  # type: ignore[no-untyped-def]
        if doc.id.startswith("000"):
            doc.headline = 5
        if doc.id.startswith("001"):
            doc.meta = "not a mapping"
        doc.paragraphs[-1].remove(self.name, "odd", math.nan)
        if isinstance(doc.meta, dict):
            doc.meta["ratio"] = math.inf


class Plugin:
    @hookimpl
    def cleankit_register_cleaners(self, register):  # type: ignore[no-untyped-def]
        register(OddValues)


@pytest.fixture
def odd_run(register_plugin, seeds_dir, tmp_path):  # type: ignore[no-untyped-def]
    host = register_plugin(Plugin())
    overrides = ['pipeline.cleaners=["odd_values"]']
    Pipeline.from_config(None, overrides, host=host).run([seeds_dir], tmp_path / "out")
    return tmp_path / "out"


def test_values_of_the_wrong_type_are_quarantined_not_written(odd_run):
    """Was: `"headline": 5` passed validation (the schema coerces to "5") and was written."""
    bad = {q["id"]: q for q in map(json.loads, (odd_run / "quarantine.jsonl").open())}
    assert sorted(bad) == ["000_474a72c8a6faadac", "001_d119ceb19cfc3e37"]
    assert "headline:type" in bad["000_474a72c8a6faadac"]["detail"]
    assert "meta:type" in bad["001_d119ceb19cfc3e37"]["detail"]
    docs = [json.loads(x) for x in (odd_run / "documents.jsonl").open()]
    assert len(docs) == 3 and all(d["meta"]["ratio"] is None for d in docs)
    assert main(["validate", str(odd_run)]) == 0


def test_a_nan_score_in_the_audit_is_null(odd_run):
    lines = every_line(odd_run)
    audit = [x for x in lines if isinstance(x, dict) and x.get("rule") == "odd"]
    assert len(audit) == 5 and all(a["score"] is None for a in audit)


@pytest.mark.parametrize("bad_id", ["true", '{"x": 1}', "[1, 2]"])
def test_ids_that_are_not_strings_or_numbers_are_quarantined(tmp_path, bad_id):
    """Was: written with the Python spelling as id, `True` or `{'x': 1}`."""
    src = tmp_path / "in.jsonl"
    src.write_text(line(bad_id, BODY) + line("7", BODY + " Again."))
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--only", "encoding", "-q"]) == 0
    [doc] = [json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()]
    assert doc["id"] == "7"
    [bad] = [json.loads(x) for x in (out / "quarantine.jsonl").read_text().splitlines()]
    assert bad["reason"] == "bad-id" and bad["input"].endswith("in.jsonl:1")
    assert json.loads(bad["content"])["text"] == BODY


def test_a_nan_id_falls_back_like_a_missing_one(tmp_path):
    src = tmp_path / "in.jsonl"
    src.write_text(line("NaN", BODY) + line("NaN", BODY + " Two."))
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--only", "encoding", "-q"]) == 0
    ids = [json.loads(x)["id"] for x in (out / "documents.jsonl").read_text().splitlines()]
    assert ids == ["in:1", "in:2"]


def test_validate_counts_broken_lines_as_invalid_records(capsys, seeds_dir, tmp_path):
    """Was: a non-UTF-8 line was `internal error: UnicodeDecodeError` (exit 1), and a line
    that is not JSON stopped the check with exit 4."""
    out = tmp_path / "out"
    assert main(["clean", str(seeds_dir), "-o", str(out), "--only", "encoding", "-q"]) == 0
    with (out / "documents.jsonl").open("ab") as fh:
        fh.write(b'{"id": "caf\xe9"}\n{"id": \n')
    capsys.readouterr()
    assert main(["validate", str(out)]) == 6
    stdout = capsys.readouterr().out
    assert "record 6: not UTF-8 (byte 11: invalid continuation byte)" in stdout
    assert "record 7: not valid JSON" in stdout
    assert "7 records checked, 2 invalid" in stdout


def test_validate_of_a_corrupt_parquet_file_is_one_line(capsys, seeds_dir, tmp_path):
    out = tmp_path / "out"
    args = ["clean", str(seeds_dir), "-o", str(out), "--only", "encoding", "-q"]
    assert main([*args, "--format", "parquet"]) == 0
    data = (out / "documents.parquet").read_bytes()
    (out / "documents.parquet").write_bytes(data[: len(data) // 2] + data[-8:])
    capsys.readouterr()
    assert main(["validate", str(out)]) == 4
    err = capsys.readouterr().err
    assert "not a readable Parquet file" in err and len(err.strip().splitlines()) == 1


def test_two_runs_cannot_write_one_output_folder_at_once(capsys, seeds_dir, tmp_path):
    """Was: both ran; their files were committed one by one, so the folder could end with
    one run's documents and the other's audit under a manifest that looked complete."""
    from cleankit.io.writers import OutputDir

    out = tmp_path / "out"
    first = OutputDir(out)  # a run in progress
    args = ["clean", str(seeds_dir), "-o", str(out), "-q", "--only", "encoding"]
    assert main(args) == 4
    assert "is being written by another cleankit run" in capsys.readouterr().err
    first.abort()
    assert main(args) == 0, "the lock is released when a run ends"
    assert main(args) == 0
