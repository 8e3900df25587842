"""QA round 5 (fresh-eyes pass over the CLI, the Python API and plugin authoring)."""

from __future__ import annotations

import json
import os
import signal
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from cleankit import DocumentCleaner, ParagraphClassifier, Pipeline, clean_records, hookimpl
from cleankit.cli import main
from cleankit.engine import WorkerDied, WorkerPool
from cleankit.errors import PluginError
from cleankit.host import Host

BODY = "A sentence long enough to be kept by every built-in cleaner, with words in it."


def _cleaner_plugin(cls: type) -> object:
    class Plugin:
        @hookimpl
        def cleankit_register_cleaners(self, register):  # type: ignore[no-untyped-def]
            register(cls)

    return Plugin()


def _run_with(register_plugin, cls: type, folder: Path, tmp_path: Path) -> dict[str, Any]:
    """Run encoding + `cls` over `folder`; the written ids and the quarantine entries."""
    host = register_plugin(_cleaner_plugin(cls))
    overrides = [f'pipeline.cleaners=["encoding","{cls.name}"]']
    pipeline = Pipeline.from_config(None, overrides, host=host)
    out = tmp_path / "out"
    pipeline.run([folder], out)
    docs = [json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()]
    bad = [json.loads(x) for x in (out / "quarantine.jsonl").read_text().splitlines()]
    return {"written": [d["id"] for d in docs], "quarantined": bad}


def test_a_worker_that_dies_stops_the_run_instead_of_hanging_it():
    """Was: a worker killed (out of memory, `kill -9`) lost its batch, and the run waited
    for it forever."""
    pool = WorkerPool(1, Pipeline.from_config(only=["encoding"]).spec(), [["encoding"]])
    try:
        worker = pool.pool.apply(os.getpid)
        result = pool.pool.apply_async(time.sleep, (60,))
        os.kill(worker, signal.SIGKILL)
        started = time.monotonic()
        with pytest.raises(WorkerDied, match=r"killed by signal 9: out of memory\?\).*encoding"):
            pool._result(result, 0)
        assert time.monotonic() - started < 20
    finally:
        pool.terminate()


def test_sys_exit_in_a_cleaner_is_a_cleaner_error(register_plugin, seeds_dir, tmp_path):
    """Was: a plugin calling `sys.exit(0)` ended a single-process run silently, exit 0,
    with no output (and killed a worker under -w 2: a hang)."""

    class Quitter(DocumentCleaner):
        name = "quitter"

        def clean(self, doc):  # type: ignore[no-untyped-def]
            if doc.id.startswith("001"):
                sys.exit(0)

    got = _run_with(register_plugin, Quitter, seeds_dir, tmp_path)
    assert len(got["written"]) == 4
    [bad] = got["quarantined"]
    assert bad["reason"] == "cleaner-error" and "'quitter' raised SystemExit" in bad["detail"]


class _Vandal(DocumentCleaner):
    name = "vandal"

    def clean(self, doc):  # type: ignore[no-untyped-def]
        if doc.id.startswith("000"):
            doc.paragraphs[0].text = 12345
        elif doc.id.startswith("001"):
            doc.paragraphs[0] = "a string"
        elif doc.id.startswith("002"):
            doc.id = None


def test_wrong_types_put_into_a_document_are_blamed_on_the_cleaner(
    register_plugin, seeds_dir, tmp_path
):
    """Was: `internal error: TypeError: object of type 'int' has no len()` from the stats
    (exit 1); a `None` id was quarantined as a misleading `duplicate-id`."""
    got = _run_with(register_plugin, _Vandal, seeds_dir, tmp_path)
    assert len(got["written"]) == 2
    details = sorted(q["detail"] for q in got["quarantined"])
    assert all(q["reason"] == "cleaner-error" for q in got["quarantined"])
    assert all("cleaner 'vandal'" in d for d in details)
    assert any("not a Paragraph" in d for d in details)
    assert any("text to something that is not a str" in d for d in details)
    assert any("changed the document id to None" in d for d in details)
    # Each is quarantined as it came in: under its own id, with its original text.
    ids = sorted(q["id"][:3] for q in got["quarantined"])
    assert ids == ["000", "001", "002"]
    assert all(q["content"] for q in got["quarantined"])


def test_a_classifier_returning_junk_is_a_cleaner_error(register_plugin, seeds_dir, tmp_path):
    """Was: `classify` returning `(5, "x")` wrote `"rule": 5, "score": "x"` to the audit."""

    class Junk(ParagraphClassifier):
        name = "junk"

        def classify(self, doc, index, paragraph):  # type: ignore[no-untyped-def]
            return (5, "x") if index == 0 else None

    got = _run_with(register_plugin, Junk, seeds_dir, tmp_path)
    assert got["written"] == []
    assert {q["reason"] for q in got["quarantined"]} == {"cleaner-error"}
    assert "needs a str rule" in got["quarantined"][0]["detail"]


def test_meta_values_that_are_not_json_fail_validation(register_plugin, seeds_dir, tmp_path):
    """Was: `doc.meta["x"] = object()` was written as `"<object object at 0x7f...>"`,
    different in every run."""

    class Objects(DocumentCleaner):
        name = "objects"

        def clean(self, doc):  # type: ignore[no-untyped-def]
            if doc.id.startswith("003"):
                doc.meta["x"] = object()

    got = _run_with(register_plugin, Objects, seeds_dir, tmp_path)
    assert len(got["written"]) == 4
    [bad] = got["quarantined"]
    assert bad["reason"] == "validation" and "meta:json" in bad["detail"]


def test_a_misspelt_hook_is_a_plugin_error_naming_the_plugin(fake_entry_point):
    """Was: `internal error: PluginValidationError: unknown hook ...` for every command."""
    fake_entry_point(
        "typo",
        """
        from cleankit import hookimpl

        @hookimpl
        def cleankit_register_cleanerz(register):
            pass
        """,
    )
    with pytest.raises(PluginError, match=r"plugin 'typo'.*unknown hook.*--no-plugin typo"):
        Host()
    assert Host(block=["typo"]).plugins  # the hint works


def test_a_second_run_of_one_pipeline_starts_fresh(seeds_dir, tmp_path):
    """Was: the second `run()` deduplicated against the first and wrote nothing."""
    pipeline = Pipeline.from_config(None)
    first = pipeline.run([seeds_dir], tmp_path / "a")
    second = pipeline.run([seeds_dir], tmp_path / "b")
    assert first.documents_written == second.documents_written == 5
    a = (tmp_path / "a" / "documents.jsonl").read_text()
    assert (tmp_path / "b" / "documents.jsonl").read_text() == a


def test_a_run_that_empties_every_document_says_so_with_q(capsys, tmp_path):
    """Was: exit 0, nothing printed, an empty documents.jsonl."""
    src = tmp_path / "in.jsonl"
    src.write_text(json.dumps({"id": "a", "text": "Home\nNews\nSport\nContact"}) + "\n")
    assert main(["clean", str(src), "-o", str(tmp_path / "out"), "--only", "chrome", "-q"]) == 0
    err = capsys.readouterr().err
    assert "no document was written; 1 emptied" in err


@pytest.mark.parametrize("rows", ["abc", {"id": "a", "text": BODY}, b"abc", 5])
def test_clean_records_refuses_what_is_not_rows(rows):
    """Was: one `bad-record` row per character of a string, per key of a dict."""
    with pytest.raises(TypeError, match="clean_records takes"):
        clean_records(rows)


def test_validate_checks_the_folder_against_its_stats_and_manifest(capsys, seeds_dir, tmp_path):
    """Was: an emptied documents.jsonl or a broken manifest passed (exit 0), and more
    records were invalid than were checked (a duplicate counted per problem)."""
    out = tmp_path / "out"
    assert main(["clean", str(seeds_dir), "-o", str(out), "--only", "encoding", "-q"]) == 0
    docs = out / "documents.jsonl"
    lines = docs.read_text().splitlines(keepends=True)
    docs.write_text("".join(lines[:4]) + lines[0])  # one record lost, one duplicated
    capsys.readouterr()
    assert main(["validate", str(out)]) == 6
    stdout = capsys.readouterr().out
    # Both copies break the schema's unique-id check; each record counts once.
    assert "5 records checked, 2 invalid" in stdout and "duplicate id" in stdout
    docs.write_text("")
    (out / "manifest.json").write_text("{broken")
    assert main(["validate", str(out)]) == 6
    stdout = capsys.readouterr().out
    assert "stats.json says 5 documents were written; the documents file holds 0" in stdout
    assert "manifest.json: not readable JSON" in stdout
    docs.write_text(lines[0] + json.dumps({**json.loads(lines[1]), "id": ["a", "list"]}) + "\n")
    assert main(["validate", str(out)]) == 6  # an id that is a list: invalid, no crash
    assert "2 records checked, 1 invalid" in capsys.readouterr().out


def test_an_optional_option_can_be_set_to_none(tmp_path):
    """Was: `encoding.normalization` is documented as "or None" but nothing set it so."""
    for spelling in ("none", "null", "None"):
        p = Pipeline.from_config(None, [f"encoding.normalization={spelling}"], only=["encoding"])
        assert p.cleaners[0].config.normalization is None  # type: ignore[attr-defined]
    config = tmp_path / "c.toml"
    config.write_text('[encoding]\nnormalization = "none"\n')
    p = Pipeline.from_config(config, only=["encoding"])
    assert p.cleaners[0].config.normalization is None  # type: ignore[attr-defined]


def test_a_source_that_is_not_a_string_is_kept(tmp_path):
    """Was: `"source": 123` became `source: null` and the value was lost."""
    src = tmp_path / "in.jsonl"
    rows = [{"id": "n", "text": BODY, "source": 123}, {"id": "l", "text": BODY, "source": ["x"]}]
    src.write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    assert main(["clean", str(src), "-o", str(out), "--only", "encoding", "-q"]) == 0
    n, lst = [json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()]
    assert n["source"] == "123" and "input_fields" not in n["meta"]
    assert lst["source"] is None and lst["meta"]["input_fields"] == {"source": ["x"]}


def test_reader_plugins_name_the_file_endings_folders_include(register_plugin, tmp_path):
    """Was: a `.csv` reader plugin read `dir/rows.csv` named on the command line, but a
    folder walk skipped it as an unsupported type."""
    from cleankit.io.records import Record

    class CsvReader:
        @hookimpl
        def cleankit_input_suffixes(self):  # type: ignore[no-untyped-def]
            return [".CSV"]

        @hookimpl
        def cleankit_open_corpus(self, path, root, config):  # type: ignore[no-untyped-def]
            if path.suffix != ".csv":
                return None
            lines = path.read_text().splitlines()
            return iter(Record(f"csv:{i}", t, f"{path}:{i}") for i, t in enumerate(lines))

    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "rows.csv").write_text(BODY + "\n" + BODY.replace("A ", "One "))
    (folder / "notes.md").write_text("not read")
    host = register_plugin(CsvReader())
    stats = Pipeline.from_config(None, only=["encoding"], host=host).run([folder], tmp_path / "o")
    assert stats.documents_written == 2


def test_a_numpy_score_is_taken_as_a_float():
    """The type check on `paragraph.remove` must not refuse numpy's numbers (a plugin's
    model scores): they are stored as plain floats, which the audit writes as numbers."""
    import numpy as np

    from cleankit.document import Paragraph

    p = Paragraph("text")
    p.remove("model", "low-quality", np.float32(0.25))
    assert p.removed is not None and type(p.removed.score) is float
    assert p.removed.score == 0.25
