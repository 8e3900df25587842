"""Reading every supported input format, and bad input ending up in the quarantine."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest
import zstandard

from cleankit.cli import main

BODY = "The Pentagon said on Friday that talks with Russia would continue next week."


def clean(tmp_path: Path, *inputs: Path | str, extra: tuple[str, ...] = ()) -> tuple[int, Path]:
    out = tmp_path / "out"
    code = main(["clean", *map(str, inputs), "-o", str(out), "--only", "encoding", *extra])
    return code, out


def rows(path: Path) -> list[dict]:
    return [json.loads(x) for x in path.read_text(encoding="utf-8").splitlines()]


def jsonl_bytes(records: list[dict]) -> bytes:
    return "".join(json.dumps(r) + "\n" for r in records).encode()


def test_every_format_in_one_run(tmp_path):
    folder = tmp_path / "txt" / "sub"
    folder.mkdir(parents=True)
    (folder / "a.txt").write_text(BODY)
    (tmp_path / "single.txt").write_text(BODY)
    recs = [{"doc": f"j{i}", "body": BODY, "url": "https://www.example.org/x"} for i in range(3)]
    (tmp_path / "p.jsonl").write_bytes(jsonl_bytes(recs))
    (tmp_path / "p.jsonl.gz").write_bytes(
        gzip.compress(jsonl_bytes([{**r, "doc": r["doc"] + "g"} for r in recs]))
    )
    zst = zstandard.ZstdCompressor().compress(
        jsonl_bytes([{**r, "doc": r["doc"] + "z"} for r in recs])
    )
    (tmp_path / "p.jsonl.zst").write_bytes(zst)
    table = pa.table({"doc": ["q1", "q2"], "body": [BODY, BODY]})
    pq.write_table(table, tmp_path / "p.parquet")
    inputs = [
        tmp_path / "txt",
        tmp_path / "single.txt",
        tmp_path / "p.jsonl",
        tmp_path / "p.jsonl.gz",
        tmp_path / "p.jsonl.zst",
        tmp_path / "p.parquet",
    ]
    code, out = clean(tmp_path, *inputs, extra=("--id-field", "doc", "--text-field", "body"))
    assert code == 0
    docs = rows(out / "documents.jsonl")
    ids = [d["id"] for d in docs]
    assert ids == [
        "sub/a",
        "single",
        "j0",
        "j1",
        "j2",
        "j0g",
        "j1g",
        "j2g",
        "j0z",
        "j1z",
        "j2z",
        "q1",
        "q2",
    ]
    assert docs[2]["source"] == "example.org"
    assert docs[2]["meta"]["input_fields"] == {"url": "https://www.example.org/x"}
    assert rows(out / "quarantine.jsonl") == []


def test_non_utf8_text_is_decoded_and_charset_recorded(tmp_path):
    text = (
        "Le ministre a déclaré que les discussions étaient « très utiles » à Genève, où il était."
    )
    (tmp_path / "latin.txt").write_bytes(text.encode("cp1252"))
    code, out = clean(tmp_path, tmp_path / "latin.txt")
    assert code == 0
    (doc,) = rows(out / "documents.jsonl")
    assert doc["text"] == text
    assert doc["meta"]["charset"] not in (None, "utf-8")


def test_bad_files_are_quarantined_not_fatal(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text(BODY)
    (folder / "empty.txt").write_text("  \n\n")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 3)
    (folder / "big.txt").write_text(BODY * 100)
    code, out = clean(tmp_path, folder, extra=("--max-doc-bytes", "1000"))
    assert code == 0
    assert [d["id"] for d in rows(out / "documents.jsonl")] == ["good"]
    reasons = {q["id"]: q["reason"] for q in rows(out / "quarantine.jsonl")}
    assert reasons == {"big": "too-large", "binary": "binary", "empty": "empty"}
    stats = json.loads((out / "stats.json").read_text())
    assert stats["documents"]["quarantined_by_reason"] == {"binary": 1, "empty": 1, "too-large": 1}


def test_broken_json_lines_keep_the_rest(tmp_path):
    lines = [
        json.dumps({"id": "a", "text": BODY}),
        '{"id": "b", "text": "unterminated',
        "[1, 2]",
        json.dumps({"id": "c"}),
        json.dumps({"id": "d", "text": "x" * 5000}),
        json.dumps({"id": "e", "text": BODY}),
        "",
        json.dumps({"id": "f", "text": BODY}),
    ]
    path = tmp_path / "mixed.jsonl"
    path.write_text("\n".join(lines) + "\n")
    code, out = clean(tmp_path, path, extra=("--max-doc-bytes", "1000"))
    assert code == 0
    assert [d["id"] for d in rows(out / "documents.jsonl")] == ["a", "e", "f"]
    quarantine = rows(out / "quarantine.jsonl")
    assert [(q["input"].rsplit(":", 1)[1], q["reason"]) for q in quarantine] == [
        ("2", "bad-json"),
        ("3", "bad-json"),
        ("4", "missing-field"),
        ("5", "too-large"),
    ]
    assert quarantine[0]["content"].startswith('{"id": "b"')


def test_truncated_gzip_keeps_records_before_the_damage(tmp_path):
    data = gzip.compress(jsonl_bytes([{"id": f"r{i}", "text": BODY} for i in range(200)]))
    path = tmp_path / "cut.jsonl.gz"
    path.write_bytes(data[: len(data) // 2])
    code, out = clean(tmp_path, path)
    assert code == 0
    assert rows(out / "documents.jsonl"), "records before the damage are kept"
    assert rows(out / "quarantine.jsonl")[-1]["reason"] == "unreadable"


def test_duplicate_ids_are_quarantined(tmp_path):
    path = tmp_path / "dups.jsonl"
    path.write_bytes(
        jsonl_bytes([{"id": "same", "text": BODY}, {"id": "same", "text": BODY + " Again."}])
    )
    code, out = clean(tmp_path, path)
    assert code == 0
    assert len(rows(out / "documents.jsonl")) == 1
    assert rows(out / "quarantine.jsonl")[0]["reason"] == "duplicate-id"


@pytest.mark.parametrize("name", ["notes.md", "data.csv"])
def test_unsupported_files_in_folders_are_skipped_with_a_warning(tmp_path, capsys, name):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.txt").write_text(BODY)
    (folder / name).write_text("ignored")
    code, out = clean(tmp_path, folder)
    assert code == 0
    assert "skipped 1 file" in capsys.readouterr().err
