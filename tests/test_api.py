"""The Python API: Pipeline from config, and clean_records for other pipelines' map steps."""

from __future__ import annotations

import json

import pandas as pd

from cleankit import Document, Pipeline, clean_records

BODY = "Defense officials from the United States and Russia held a video conference on Wednesday."


def test_pipeline_runs_on_paths(seeds_dir, tmp_path):
    pipeline = Pipeline.from_config(only=["encoding", "dedup"])
    stats = pipeline.run([seeds_dir], tmp_path)
    assert stats.documents_read == 5 and stats.documents_written == 5
    assert stats.cleaners["encoding"].documents_in == 5
    assert json.loads((tmp_path / "manifest.json").read_text())["cleaners"][0]["name"] == "encoding"


def test_clean_records_keeps_order_fields_and_reports_quarantine():
    pipeline = Pipeline.from_config(only=["encoding"])
    rows = [
        {"id": "a", "text": "Russia´s defence ministry said " + BODY, "lang": "en"},
        {"id": "b", "text": "   "},
        {"id": "c", "text": BODY, "lang": "en"},
    ]
    out = clean_records(rows, pipeline=pipeline)
    assert [r["id"] for r in out] == ["a", "b", "c"]
    assert out[0]["lang"] == "en" and out[0]["quarantine"] is None
    assert out[0]["text"].startswith("Russia's defence")
    assert out[1]["quarantine"]["reason"] == "empty" and out[1]["text"] == "   "
    assert out[2]["text"] == BODY


def test_clean_records_dataframe_roundtrip():
    frame = pd.DataFrame({"id": ["x", "y"], "text": [BODY, BODY + " Later, they met again."]})
    out = clean_records(frame, only=["encoding"])
    assert isinstance(out, pd.DataFrame)
    assert list(out["id"]) == ["x", "y"] and out["quarantine"].isna().all()


def test_document_model_never_loses_text():
    doc = Document.from_text("d", "Title\n\nFirst line.\nSecond line.\n")
    assert [p.gap_before for p in doc.paragraphs] == [False, True, False]
    doc.paragraphs[1].edit("t", ["fix"], "First line!")
    doc.paragraphs[2].remove("t", "rule", 0.5)
    doc.paragraphs[2].remove("other", "late", 1.0)
    assert doc.text == "Title\n\nFirst line!"
    assert doc.paragraphs[1].original == "First line."
    assert doc.paragraphs[2].removed.cleaner == "t"
