"""QA round 4: command-line mistakes get a precise one-line error; bombs are quarantined."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from cleankit.cli import main

BODY = "The Pentagon said on Friday that talks with Russia would continue next week."


def run(capsys: pytest.CaptureFixture[str], *args: str | Path) -> tuple[int, str]:
    code = main([str(a) for a in args])
    return code, capsys.readouterr().err


def test_an_output_path_that_is_a_file_says_so(capsys, seeds_dir, tmp_path):
    """Was: `cannot write output folder /dev/null: File exists`."""
    target = tmp_path / "taken.txt"
    target.write_text("mine")
    code, err = run(capsys, "clean", seeds_dir, "-o", target, "--only", "encoding")
    assert code == 4
    assert (
        err == f"cleankit: error: cannot write output folder {target}: a file of that name exists\n"
    )
    assert target.read_text() == "mine"


def test_only_and_skip_that_leave_nothing_are_an_error(capsys, seeds_dir, tmp_path):
    """Was: exit 0 with no cleaner run at all."""
    out = tmp_path / "out"
    code, err = run(capsys, "clean", seeds_dir, "-o", out, "--only", "dedup", "--skip", "dedup")
    assert code == 2 and "leave no cleaner to run" in err
    assert not out.exists()


def test_an_empty_configured_list_still_means_no_cleaners(capsys, seeds_dir, tmp_path):
    """Asked for explicitly (validate and convert only): allowed."""
    out = tmp_path / "out"
    code, err = run(capsys, "clean", seeds_dir, "-o", out, "-q", "--set", "pipeline.cleaners=[]")
    assert code == 0, err


@pytest.mark.parametrize("option", ["--id-field", "--text-field", "--source-field"])
def test_an_empty_field_name_is_a_config_error(capsys, seeds_dir, tmp_path, option):
    """Was: accepted; every record then got a fallback id (or no text)."""
    code, err = run(capsys, "clean", seeds_dir, "-o", tmp_path / "o", option, "")
    assert code == 2 and "at least 1 character" in err


def test_validate_help_explains_its_argument(capsys):
    with pytest.raises(SystemExit):
        main(["validate", "--help"])
    assert "output folder of a finished `clean` run" in capsys.readouterr().out


def test_a_document_of_millions_of_tiny_lines_is_quarantined(capsys, tmp_path):
    """Was: 2 MB of one-character lines took 1.7 GB and 24 s; 20 MB would exhaust memory."""
    data = tmp_path / "in"
    data.mkdir()
    (data / "bomb.txt").write_text("a\n" * 101)
    (data / "ok.txt").write_text((BODY + "\n") * 100)
    rows = [{"id": "j", "text": "b\r" * 101}, {"id": "k", "text": BODY}]
    (data / "r.jsonl").write_text("".join(json.dumps(r) + "\n" for r in rows))
    out = tmp_path / "out"
    args = ("clean", data, "-o", out, "-q", "--only", "encoding")
    code, err = run(capsys, *args, "--set", "input.max_doc_lines=100")
    assert code == 0, err
    bad = [json.loads(x) for x in (out / "quarantine.jsonl").read_text().splitlines()]
    assert [(q["id"], q["reason"]) for q in bad] == [("bomb", "too-large"), ("j", "too-large")]
    assert bad[0]["detail"] == "more than input.max_doc_lines=100 lines"
    assert bad[0]["content"] == "a\n" * 101
    docs = [json.loads(x)["id"] for x in (out / "documents.jsonl").read_text().splitlines()]
    assert docs == ["ok", "k"]


@pytest.mark.parametrize("where", ["write", "commit"])
def test_a_full_disk_is_exit_4_and_leaves_no_temp_files(
    capsys, seeds_dir, tmp_path, monkeypatch, where
):
    """Was: `internal error: OSError: [Errno 28] ...` (exit 1)."""
    import errno

    from cleankit.io import writers

    def full(*args: object) -> None:
        raise OSError(errno.ENOSPC, "No space left on device")

    owner = writers.JsonlSink if where == "write" else writers.AtomicFile
    monkeypatch.setattr(owner, where, full)
    out = tmp_path / "out"
    code, err = run(capsys, "clean", seeds_dir, "-o", out, "-q", "--only", "encoding")
    assert code == 4
    assert err == f"cleankit: error: cannot write output folder {out}: No space left on device\n"
    assert [p.name for p in out.iterdir()] == []


def test_options_of_a_skipped_cleaner_are_still_checked(capsys, seeds_dir, tmp_path):
    """Was: `--skip dedup --set dedup.nope=1` ran without a word about the typo."""
    out = tmp_path / "out"
    code, err = run(
        capsys, "clean", seeds_dir, "-o", out, "--skip", "dedup", "--set", "dedup.nope=1"
    )
    assert code == 2 and "unknown option 'dedup.nope'" in err
    config = tmp_path / "cleankit.toml"
    config.write_text("[dedup]\nthreshold = 7\n")
    code, err = run(capsys, "clean", seeds_dir, "-o", out, "-c", config, "--only", "encoding")
    assert code == 2 and "dedup.threshold" in err
    assert not out.exists()


def test_max_doc_bytes_counts_bytes_not_characters(capsys, tmp_path):
    """Was: a Parquet text was measured in characters (3x more CJK text got in). (A JSONL
    line is capped in bytes before it is parsed.)"""
    import pyarrow as pa
    import pyarrow.parquet as pq

    src = tmp_path / "in.parquet"
    pq.write_table(pa.table({"id": ["cjk", "ok"], "text": ["北京" * 30, "Beijing " * 10]}), src)
    out = tmp_path / "out"
    args = ("clean", src, "-o", out, "-q", "--only", "encoding", "--max-doc-bytes", "100")
    code, err = run(capsys, *args)
    assert code == 0, err
    [bad] = [json.loads(x) for x in (out / "quarantine.jsonl").read_text().splitlines()]
    assert bad["id"] == "cjk" and bad["reason"] == "too-large"


def test_a_run_that_writes_nothing_says_so_even_when_quiet(capsys, tmp_path):
    """Was: `--text-field bdy` (a typo) quarantined every record, silently, exit 0."""
    src = tmp_path / "in.jsonl"
    src.write_text("".join(json.dumps({"id": i, "body": BODY}) + "\n" for i in range(3)))
    out = tmp_path / "out"
    code, err = run(
        capsys, "clean", src, "-o", out, "-q", "--only", "encoding", "--text-field", "bdy"
    )
    assert code == 0
    assert err == (
        "cleankit: warning: no document was written; 3 quarantined (missing-field 3), "
        f"see {out / 'quarantine.jsonl'}\n"
    )
    code, err = run(
        capsys, "clean", src, "-o", out, "-q", "--only", "encoding", "--text-field", "body"
    )
    assert code == 0 and err == ""


def test_empty_paths_are_refused_not_taken_for_the_current_folder(
    capsys, seeds_dir, tmp_path, monkeypatch
):
    """Was: `cleankit clean "$IN" -o "$OUT"` with unset variables read or wrote `.`."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as stop:
        main(["clean", str(seeds_dir), "-o", ""])
    assert stop.value.code == 2 and "the output folder is empty" in capsys.readouterr().err
    code, err = run(capsys, "clean", "", "-o", "out")
    assert code == 4 and err == "cleankit: error: an input path is empty\n"
    assert list(tmp_path.iterdir()) == []


LATE_FAILURE = """
from cleankit import DocumentCleaner, hookimpl

class FailsLate(DocumentCleaner):
    name = "fails_late"

    def clean(self, doc):
        if doc.id.startswith("004"):
            raise RuntimeError("late")

@hookimpl
def cleankit_register_cleaners(register):
    register(FailsLate)
"""


def test_an_error_on_a_terminal_starts_on_a_clean_line(
    capsys, fake_entry_point, seeds_dir, tmp_path, monkeypatch
):
    """Was: the progress line stayed, and the error was printed at its end."""
    import sys

    fake_entry_point("fails_late", LATE_FAILURE)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    args = ["clean", seeds_dir, "-o", tmp_path / "out", "--on-error", "fail"]
    args += ["--set", 'pipeline.cleaners=["fails_late"]', "--set", "pipeline.batch_size=1"]
    code, err = run(capsys, *args)
    assert code == 5 and "\rcleaning: 1 read" in err
    assert err.endswith("\r" + " " * 120 + "\r" + err.split("\r")[-1])
    assert err.split("\r")[-1].startswith("cleankit: error: document '004_")
