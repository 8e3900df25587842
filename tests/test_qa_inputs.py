"""QA round 4: input paths a newcomer or a hostile user gives `cleankit clean`.

Unreadable files and folders are simulated by patching the one call that reads them, so
the tests behave the same when run as root (which chmod does not stop)."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from cleankit.cli import main

BODY = "The Pentagon said on Friday that talks with Russia would continue next week."


def clean(
    capsys: pytest.CaptureFixture[str], *args: str | Path, out: Path
) -> tuple[int, str, list[str]]:
    code = main(["clean", *map(str, args), "-o", str(out), "--only", "encoding", "-q"])
    err = capsys.readouterr().err
    ids = []
    if (out / "documents.jsonl").is_file():
        ids = [json.loads(x)["id"] for x in (out / "documents.jsonl").read_text().splitlines()]
    return code, err, ids


def deny(monkeypatch: pytest.MonkeyPatch, target: Path, function: str) -> None:
    """Make `os.<function>` (scandir, or Path.open) fail with EACCES for `target`."""
    if function == "open":
        real_open = Path.open

        def fake_open(self: Path, *args: object, **kwargs: object):  # type: ignore[no-untyped-def]
            if self == target:
                raise PermissionError(errno.EACCES, "Permission denied", str(self))
            return real_open(self, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(Path, "open", fake_open)
        return
    real_scandir = os.scandir

    def fake_scandir(path: object = "."):  # type: ignore[no-untyped-def]
        if Path(os.fsdecode(path)) == target:  # type: ignore[arg-type]
            raise PermissionError(errno.EACCES, "Permission denied", os.fsdecode(path))  # type: ignore[arg-type]
        return real_scandir(path)  # type: ignore[call-overload]

    monkeypatch.setattr(os, "scandir", fake_scandir)


def test_an_unreadable_input_file_is_exit_4_naming_it(capsys, tmp_path, monkeypatch):
    """Was: `internal error: PermissionError ... (rerun with --debug)`, exit 1."""
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text(BODY)
    locked = folder / "locked.jsonl"
    locked.write_text(json.dumps({"id": "j", "text": BODY}) + "\n")
    deny(monkeypatch, locked, "open")
    code, err, _ = clean(capsys, folder, out=tmp_path / "out")
    assert code == 4
    assert err.strip() == f"cleankit: error: cannot read input {locked}: Permission denied"
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_an_unreadable_folder_inside_an_input_folder_is_exit_4(capsys, tmp_path, monkeypatch):
    """Was: the folder's documents were silently left out of the run."""
    folder = tmp_path / "in"
    (folder / "locked").mkdir(parents=True)
    (folder / "ok.txt").write_text(BODY)
    (folder / "locked" / "lost.txt").write_text(BODY)
    deny(monkeypatch, folder / "locked", "scandir")
    code, err, _ = clean(capsys, folder, out=tmp_path / "out")
    assert code == 4
    assert "cannot read input folder" in err and "locked: Permission denied" in err
    assert len(err.strip().splitlines()) == 1


def test_a_txt_file_that_vanishes_mid_run_is_quarantined(tmp_path):
    from cleankit.config import Settings
    from cleankit.io.readers import read_txt

    result = read_txt(tmp_path / "gone.txt", tmp_path, Settings())
    assert result.reason == "unreadable" and result.id == "gone"  # type: ignore[union-attr]


def test_earlier_output_folders_inside_an_input_folder_are_not_read(capsys, tmp_path):
    """Was: `clean data -o data/run1` then `clean data -o data/run2` read run1's
    documents, audit and quarantine as input documents."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text(BODY)
    (data / "notes.jsonl").write_text(json.dumps({"id": "n", "text": BODY + " Notes."}) + "\n")
    code, _, ids = clean(capsys, data, out=data / "run1")
    assert code == 0 and ids == ["a", "n"]
    code, err, ids = clean(capsys, data, out=data / "run2")
    assert code == 0 and ids == ["a", "n"]
    assert "skipped 1 cleankit output folder(s)" in err and "run1" in err
    stats = json.loads((data / "run2" / "stats.json").read_text())
    assert stats["documents"]["read"] == 2


def test_the_runs_own_output_folder_is_skipped_quietly(capsys, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text(BODY)
    for _ in range(2):
        code, err, ids = clean(capsys, data, out=data / "out")
        assert code == 0 and ids == ["a"] and err == ""


def test_broken_symlinks_in_a_folder_are_reported(capsys, tmp_path):
    data = tmp_path / "data"
    data.mkdir()
    (data / "a.txt").write_text(BODY)
    (data / "gone.txt").symlink_to(tmp_path / "nowhere.txt")
    code, err, ids = clean(capsys, data, out=tmp_path / "out")
    assert code == 0 and ids == ["a"]
    assert "skipped 1 broken symlink(s)" in err and "gone.txt" in err


def test_folder_order_and_hidden_files_are_unchanged(capsys, tmp_path):
    data = tmp_path / "data"
    for rel in ("b/z.txt", "a-c.txt", "a/b.txt", ".hidden/x.txt", "a/.h.txt", "B.txt"):
        (data / rel).parent.mkdir(parents=True, exist_ok=True)
        (data / rel).write_text(f"{BODY} ({rel})")
    (data / "loop").symlink_to(data, target_is_directory=True)
    code, _, ids = clean(capsys, data, out=tmp_path / "out")
    assert code == 0
    assert ids == ["B", "a/b", "a-c", "b/z"]


@pytest.mark.parametrize(
    ("name", "message"),
    [("-", "reading from standard input is not supported"), ("fifo", "not a regular file")],
)
def test_stdin_and_special_files_get_a_precise_message(capsys, tmp_path, name, message):
    """Was: `input - does not exist` (and the same for a FIFO that does exist)."""
    path = name
    if name == "fifo":
        path = str(tmp_path / "pipe.jsonl")
        os.mkfifo(path)
    code, err, _ = clean(capsys, path, out=tmp_path / "out")
    assert code == 4 and message in err
