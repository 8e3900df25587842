"""The `cleankit` command line end to end: outputs, options, config errors, exit codes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from cleankit.cli import main

RAISING_PLUGIN = """
from cleankit import DocumentCleaner, hookimpl

class Exploding(DocumentCleaner):
    name = "exploding"

    def clean(self, doc):
        if "Pentagon" in doc.paragraphs[0].text:
            raise RuntimeError("boom")

@hookimpl
def cleankit_register_cleaners(register):
    register(Exploding)
"""


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def read_jsonl(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


def test_clean_seeds_writes_every_output(capsys, seeds_dir, tmp_path):
    code, _, err = run_cli(capsys, "clean", seeds_dir, "-o", tmp_path / "out")
    assert code == 0, err
    out = tmp_path / "out"
    names = sorted(p.name for p in out.iterdir())
    assert names == [
        "documents.jsonl",
        "manifest.json",
        "quarantine.jsonl",
        "removed.jsonl",
        "stats.json",
    ]
    docs = read_jsonl(out / "documents.jsonl")
    assert [d["id"] for d in docs] == sorted(p.stem for p in seeds_dir.glob("*.txt"))
    for doc in docs:
        assert doc["text"].strip() and "\n\n\n" not in doc["text"]
        assert set(doc) >= {"id", "source", "text", "headline", "published", "meta"}
    assert not any("´" in d["text"] for d in docs), "encoding ran on every document"
    stats = json.loads((out / "stats.json").read_text())
    assert list(stats["cleaners"]) == ["encoding", "dedup", "chrome", "headline_date"]
    assert stats["cleaners"]["encoding"]["edits_by_fix"]["acute_apostrophe"] > 0
    assert stats["cleaners"]["dedup"]["removed"] > 0
    assert stats["documents"] == {
        "read": 5,
        "written": 5,
        "emptied": 0,
        "quarantined": 0,
        "quarantined_by_reason": {},
    }
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["config"]["pipeline"]["cleaners"] == list(stats["cleaners"])
    assert len(manifest["inputs"]) == 5 and all(len(i["sha256"]) == 64 for i in manifest["inputs"])
    assert {p["name"] for p in manifest["plugins"]} >= {"encoding", "dedup", "chrome"}


def test_fully_duplicated_document_is_emptied_not_quarantined(capsys, seed_texts, tmp_path):
    corpus = tmp_path / "c.jsonl"
    records = [
        {"id": "first", "text": seed_texts["000"]},
        {"id": "copy", "text": seed_texts["000"]},
    ]
    corpus.write_text("".join(json.dumps(r) + "\n" for r in records))
    code, _, err = run_cli(capsys, "clean", corpus, "-o", tmp_path / "o", "--only", "dedup")
    assert code == 0, err
    stats = json.loads((tmp_path / "o" / "stats.json").read_text())
    assert (stats["documents"]["written"], stats["documents"]["emptied"]) == (1, 1)
    assert read_jsonl(tmp_path / "o" / "quarantine.jsonl") == []
    audit = [r for r in read_jsonl(tmp_path / "o" / "removed.jsonl") if r["id"] == "copy"]
    assert len(audit) == len(seed_texts["000"].strip().splitlines())
    assert all(r["detail"]["kept_doc"] == "first" for r in audit)


def test_audit_accounts_for_every_paragraph(capsys, seeds_dir, tmp_path):
    run_cli(capsys, "clean", seeds_dir, "-o", tmp_path)
    docs = {d["id"]: d for d in read_jsonl(tmp_path / "documents.jsonl")}
    removed = [r for r in read_jsonl(tmp_path / "removed.jsonl") if r["action"] == "remove"]
    for doc_id, doc in docs.items():
        source = (seeds_dir / f"{doc_id}.txt").read_text(encoding="utf-8")
        lines = [ln for ln in source.splitlines() if ln.strip()]
        gone = [r for r in removed if r["id"] == doc_id]
        assert doc["paragraphs_kept"] + len(gone) == len(lines)
        assert doc["paragraphs_removed"] == len(gone)
        assert all(r["cleaner"] and r["rule"] for r in gone)


def test_only_skip_and_set(capsys, seeds_dir, tmp_path):
    code, _, err = run_cli(
        capsys,
        "clean",
        seeds_dir,
        "-o",
        tmp_path,
        "--only",
        "dedup,encoding",
        "--set",
        "dedup.threshold=0.9",
    )
    assert code == 0, err
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["config"]["pipeline"]["cleaners"] == ["encoding", "dedup"]
    assert manifest["config"]["dedup"]["threshold"] == 0.9
    code, _, _ = run_cli(capsys, "clean", seeds_dir, "-o", tmp_path, "--skip", "chrome")
    manifest = json.loads((tmp_path / "manifest.json").read_text())
    assert manifest["config"]["pipeline"]["cleaners"] == ["encoding", "dedup", "headline_date"]


@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--only", "nosuch"], "unknown cleaner 'nosuch'"),
        (["--set", "dedup.no_such_key=1"], "unknown option 'dedup.no_such_key'"),
        (["--set", "nosuch.key=1"], "unknown section [nosuch]"),
        (["--set", "pipeline.batch_size=0"], "pipeline.batch_size"),
        (["--set", "novalue"], "expected SECTION.KEY=VALUE"),
    ],
)
def test_config_errors_are_one_line(capsys, seeds_dir, tmp_path, args, needle):
    code, _, err = run_cli(capsys, "clean", seeds_dir, "-o", tmp_path / "o", *args)
    assert code == 2
    assert needle in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "o").exists(), "config is validated before anything is written"


def test_config_file(capsys, seeds_dir, tmp_path):
    cfg = tmp_path / "cleankit.toml"
    cfg.write_text('[pipeline]\ncleaners = ["encoding"]\n[encoding]\n')
    code, _, err = run_cli(capsys, "clean", seeds_dir, "-o", tmp_path / "o", "--config", cfg)
    assert code == 0, err
    manifest = json.loads((tmp_path / "o" / "manifest.json").read_text())
    assert manifest["config"]["pipeline"]["cleaners"] == ["encoding"]
    cfg.write_text("[pipeline\n")
    code, _, err = run_cli(capsys, "clean", seeds_dir, "-o", tmp_path / "o", "--config", cfg)
    assert code == 2 and "not valid TOML" in err


def test_missing_input_is_exit_4(capsys, tmp_path):
    code, _, err = run_cli(capsys, "clean", tmp_path / "nope", "-o", tmp_path / "o")
    assert code == 4 and "does not exist" in err


def test_workers_give_byte_identical_output(capsys, seeds_dir, tmp_path):
    corpus = tmp_path / "corpus.jsonl"
    texts = [p.read_text(encoding="utf-8") for p in sorted(seeds_dir.glob("*.txt"))]
    with corpus.open("w") as fh:
        for i in range(60):  # many small batches, so batches really spread over workers
            fh.write(
                json.dumps({"id": f"d{i}", "text": texts[i % 5], "source": f"s{i % 3}"}) + "\n"
            )
    outs = []
    for workers in ("1", "2"):
        out = tmp_path / f"w{workers}"
        code, _, err = run_cli(
            capsys,
            "clean",
            corpus,
            "-o",
            out,
            "--workers",
            workers,
            "--set",
            "pipeline.batch_size=4",
        )
        assert code == 0, err
        outs.append(out)
    for name in ("documents.jsonl", "removed.jsonl", "quarantine.jsonl"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_parquet_output_and_validate(capsys, seeds_dir, tmp_path):
    code, _, err = run_cli(capsys, "clean", seeds_dir, "-o", tmp_path, "--format", "parquet")
    assert code == 0, err
    assert (tmp_path / "documents.parquet").is_file()
    code, out, _ = run_cli(capsys, "validate", tmp_path)
    assert code == 0 and "5 records checked, 0 invalid" in out


def test_validate_finds_tampered_records(capsys, seeds_dir, tmp_path):
    run_cli(capsys, "clean", seeds_dir, "-o", tmp_path)
    docs = read_jsonl(tmp_path / "documents.jsonl")
    docs[0]["published"] = "2999-01-01"
    docs[1]["id"] = docs[2]["id"]
    (tmp_path / "documents.jsonl").write_text("".join(json.dumps(d) + "\n" for d in docs))
    code, out, _ = run_cli(capsys, "validate", tmp_path)
    assert code == 6
    assert "duplicate id" in out and "published" in out


def test_validate_refuses_unfinished_output(capsys, tmp_path):
    code, _, err = run_cli(capsys, "validate", tmp_path)
    assert code == 4 and "not a finished cleankit output" in err


@pytest.mark.parametrize("workers", ["1", "2"])
def test_raising_cleaner_is_quarantined(capsys, seeds_dir, tmp_path, fake_entry_point, workers):
    fake_entry_point("exploding", RAISING_PLUGIN)
    code, _, err = run_cli(
        capsys, "clean", seeds_dir, "-o", tmp_path, "--only", "exploding", "-w", workers
    )
    assert code == 0, err
    quarantined = read_jsonl(tmp_path / "quarantine.jsonl")
    assert quarantined and {q["reason"] for q in quarantined} == {"cleaner-error"}
    assert all("boom" in q["detail"] and q["content"] for q in quarantined)
    written = read_jsonl(tmp_path / "documents.jsonl")
    assert len(written) + len(quarantined) == 5


@pytest.mark.parametrize("workers", ["1", "2"])
def test_raising_cleaner_with_fail_policy_stops_cleanly(
    capsys, seeds_dir, tmp_path, fake_entry_point, workers
):
    fake_entry_point("exploding", RAISING_PLUGIN)
    out = tmp_path / "out"
    code, _, err = run_cli(
        capsys,
        "clean",
        seeds_dir,
        "-o",
        out,
        "--only",
        "exploding",
        "--on-error",
        "fail",
        "-w",
        workers,
    )
    assert code == 5 and "boom" in err and len(err.strip().splitlines()) == 1
    assert sorted(p.name for p in out.iterdir()) == [], "a failed run leaves no output files"


def test_plugins_listing(capsys):
    code, out, _ = run_cli(capsys, "plugins")
    assert code == 0 and "encoding" in out and "built-in" in out
    code, out, _ = run_cli(capsys, "plugins", "--json")
    rows = json.loads(out)
    assert {"encoding", "dedup", "chrome", "headline_date"} <= {
        c for r in rows for c in r["cleaners"]
    }
    assert rows[1]["options"]["encoding"]["rewrap"][0] is True
    code, out, _ = run_cli(capsys, "plugins", "--options")
    assert "dedup.threshold = 0.8" in out
    code, out, _ = run_cli(capsys, "plugins", "--json", "--no-plugin", "chrome")
    assert "chrome" not in {r["name"] for r in json.loads(out)}


def test_schema_export_matches_golden_yaml(capsys, tmp_path):
    golden = Path(__file__).resolve().parents[1] / "schemas" / "cleaned_document.yaml"
    code, out, _ = run_cli(capsys, "schema", "export")
    assert code == 0
    assert out == golden.read_text(encoding="utf-8"), "run: cleankit schema export -o " + str(
        golden
    )


def test_help_teaches(capsys):
    with pytest.raises(SystemExit):
        main(["clean", "--help"])
    out = capsys.readouterr().out
    assert "--only" in out and "--workers" in out and "documents.jsonl" in out


def test_output_does_not_depend_on_the_hash_seed(seeds_dir, tmp_path):
    """Worker processes get their own str-hash seed: nothing may depend on set order."""
    exe = Path(sys.executable).parent / "cleankit"
    outs = []
    for seed in ("1", "2"):
        out = tmp_path / f"seed{seed}"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        subprocess.run(
            [str(exe), "clean", str(seeds_dir), "-o", str(out), "-q"], env=env, check=True
        )
        outs.append(out)
    for name in ("documents.jsonl", "removed.jsonl"):
        assert (outs[0] / name).read_bytes() == (outs[1] / name).read_bytes(), name


def test_default_pipeline_recovers_seed_metadata(capsys, seeds_dir, tmp_path):
    """The chain as users run it: chrome removes metadata lines as meta:*, and
    headline_date still reads them into fields."""
    code, _, err = run_cli(capsys, "clean", seeds_dir, "-o", tmp_path)
    assert code == 0, err
    docs = {d["id"][:3]: d for d in read_jsonl(tmp_path / "documents.jsonl")}
    assert [docs[k]["headline"] is None for k in ("000", "002")] == [True, True]
    assert docs["001"]["headline"] == "US and Russian militaries launch talks on Syria"
    assert (docs["000"]["published"], docs["001"]["published"]) == ("2015-10-15", "2015-09-18")
    assert docs["002"]["published"] is None and docs["002"]["meta"]["published_partial"] == "09-29"
    assert docs["001"]["meta"]["byline"] == "AFP"
    assert docs["003"]["meta"]["credit"] == "TRTWorld and agencies"
    assert docs["004"]["meta"]["credit"] == "with files from The Associated Press"
    assert docs["002"]["text"].startswith("The Pentagon announced on Tuesday")


# -- user mistakes, signals and reused output folders (QA round 3) --------------------------

CORPUS_RAISING_PLUGIN = """
from cleankit import Cleaner, hookimpl

class Corp(Cleaner):
    name = "corp"
    scope = "corpus"

    def run(self, docs):
        for i, doc in enumerate(docs):
            if i == 2:
                raise ValueError("lost track")
            yield doc

@hookimpl
def cleankit_register_cleaners(register):
    register(Corp)
"""


def _one_line(err: str) -> bool:
    return len(err.strip().splitlines()) == 1 and "internal error" not in err


@pytest.mark.parametrize("target", ["afile", "afile/sub", "/sys/cleankit-x"])
def test_unwritable_output_folder_is_exit_4(capsys, seeds_dir, tmp_path, target):
    (tmp_path / "afile").touch()
    out = target if target.startswith("/") else tmp_path / target
    if target.startswith("/") and not Path("/sys").is_dir():
        pytest.skip("no /sys")
    code, _, err = run_cli(capsys, "clean", seeds_dir, "-o", out, "-q")
    assert code == 4 and _one_line(err) and "cannot write output folder" in err, err


@pytest.mark.parametrize("target", ["folder", "/sys/cleankit-x.yaml"])
def test_unwritable_schema_export_is_exit_4(capsys, tmp_path, target):
    (tmp_path / "folder").mkdir()
    out = target if target.startswith("/") else tmp_path / target
    if target.startswith("/") and not Path("/sys").is_dir():
        pytest.skip("no /sys")
    code, _, err = run_cli(capsys, "schema", "export", "-o", out)
    assert code == 4 and _one_line(err) and "cannot write" in err, err


def test_config_file_that_is_not_utf8_is_a_config_error(capsys, seeds_dir, tmp_path):
    cfg = tmp_path / "cleankit.toml"
    cfg.write_bytes(b"[pipeline]\n# caf\xe9\n")
    code, _, err = run_cli(capsys, "clean", seeds_dir, "-o", tmp_path / "o", "-c", cfg)
    assert code == 2 and _one_line(err) and "not UTF-8" in err, err


def test_closed_stdout_ends_quietly():
    proc = subprocess.Popen(
        [sys.executable, "-m", "cleankit.cli", "plugins", "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.close()  # the reader goes away before anything is written (`| head`)
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141 and err == ""


def test_output_folder_inside_input_folder_is_not_read(capsys, seeds_dir, tmp_path):
    corpus = tmp_path / "sc"
    corpus.mkdir()
    for p in seeds_dir.glob("*.txt"):
        (corpus / p.name).write_bytes(p.read_bytes())
    for _ in range(2):
        code, _, err = run_cli(capsys, "clean", corpus, "-o", corpus / "out", "-q")
        assert code == 0, err
        stats = json.loads((corpus / "out" / "stats.json").read_text())
        assert stats["documents"]["read"] == 5 and stats["documents"]["quarantined"] == 0
    code, _, err = run_cli(capsys, "clean", corpus, "-o", corpus, "-q")
    assert code == 4 and _one_line(err) and "also the output folder" in err


def test_reused_output_folder_loses_stale_files_of_ours_only(capsys, seeds_dir, tmp_path):
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "clean", seeds_dir, "-o", out, "--format", "parquet", "-q")
    assert code == 0, err
    dead = subprocess.Popen([sys.executable, "-c", "pass"])
    dead.wait()
    (out / f".documents.jsonl.tmp-{dead.pid}").write_text("half a run")
    (out / f".documents.jsonl.tmp-{os.getpid()}9").write_text("x")  # pid too big: dead
    (out / f".quarantine.jsonl.tmp-{os.getppid()}").write_text("a live run's file")
    (out / f".notes.tmp-{dead.pid}").write_text("not ours")
    (out / "notes.txt").write_text("the user's")
    code, _, err = run_cli(
        capsys, "clean", seeds_dir, "-o", out, "--set", "output.audit=false", "-q"
    )
    assert code == 0, err
    assert sorted(p.name for p in out.iterdir()) == [
        f".notes.tmp-{dead.pid}",
        f".quarantine.jsonl.tmp-{os.getppid()}",
        "documents.jsonl",
        "manifest.json",
        "notes.txt",
        "quarantine.jsonl",
        "stats.json",
    ]
    manifest = json.loads((out / "manifest.json").read_text())
    assert manifest["files"] == ["documents.jsonl", "quarantine.jsonl", "stats.json"]


def test_raising_corpus_cleaner_stops_the_run_and_says_why(
    capsys, seeds_dir, tmp_path, fake_entry_point
):
    fake_entry_point("corp", CORPUS_RAISING_PLUGIN)
    out = tmp_path / "out"
    code, _, err = run_cli(
        capsys, "clean", seeds_dir, "-o", out, "--only", "corp", "--on-error", "quarantine"
    )
    assert code == 5 and _one_line(err), err
    assert "corpus cleaner 'corp' raised ValueError: lost track" in err
    assert "cannot skip one document" in err
    assert list(out.iterdir()) == []


SIGTERM_MID_RUN = """
import os, signal, sys
from cleankit.cli import main
from cleankit.pipeline import Pipeline

real_write_all = Pipeline._write_all

def write_then_get_killed(self, results, out, *args):
    real_write_all(self, results, out, *args)  # every temp file is written by now
    os.kill(os.getpid(), signal.SIGTERM)

Pipeline._write_all = write_then_get_killed
before = signal.getsignal(signal.SIGTERM)
code = main(sys.argv[1:])
assert signal.getsignal(signal.SIGTERM) == before, "the handler is restored"
sys.exit(code)
"""


def test_sigterm_is_handled_like_ctrl_c(seeds_dir, tmp_path):
    """In a child process: without the handler, SIGTERM would kill the test run."""
    out = tmp_path / "out"
    proc = subprocess.run(
        [sys.executable, "-c", SIGTERM_MID_RUN, "clean", str(seeds_dir), "-o", str(out), "-q"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode == 143, proc.stderr
    assert proc.stderr.strip() == "cleankit: terminated; no output file was completed"
    assert list(out.iterdir()) == [], "temp files are removed"


def test_workers_ignore_ctrl_c(seeds_dir, tmp_path):
    """Ctrl-C reaches every process of the group: only the main process may report it."""
    import signal

    from cleankit.engine import WorkerPool
    from cleankit.pipeline import Pipeline

    pool = WorkerPool(1, Pipeline.from_config(only=["encoding"]).spec())
    try:
        assert pool.pool.apply(signal.getsignal, (signal.SIGINT,)) == signal.SIG_IGN
    finally:
        pool.terminate()


def test_validate_reports_a_line_that_is_not_an_object(capsys, seeds_dir, tmp_path):
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "clean", seeds_dir, "-o", out, "-q")
    assert code == 0, err
    with (out / "documents.jsonl").open("a", encoding="utf-8") as fh:
        fh.write("[1,2]\n")
    code, stdout, err = run_cli(capsys, "validate", out)
    assert code == 6 and err == ""
    assert "record 6: not a JSON object: [1, 2]" in stdout
    assert "6 records checked, 1 invalid" in stdout


def test_a_file_name_that_is_not_utf8_is_read_and_listed(capsys, tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    body = "The council voted on Tuesday to expand the bus network to the northern suburbs. "
    (folder / os.fsdecode(b"caf\xe9.txt")).write_text((body * 3 + "\n") * 4, encoding="utf-8")
    out = tmp_path / "out"
    code, _, err = run_cli(capsys, "clean", folder, "-o", out, "-q")
    assert code == 0, err
    manifest = json.loads((out / "manifest.json").read_text(encoding="utf-8"))
    assert manifest["inputs"][0]["path"].endswith("caf\\xe9.txt")
    [record] = [json.loads(line) for line in (out / "documents.jsonl").open(encoding="utf-8")]
    assert record["id"] == "caf\\xe9"


def test_an_empty_only_list_is_an_error_not_everything(capsys, seeds_dir, tmp_path):
    code, _, err = run_cli(capsys, "clean", seeds_dir, "-o", tmp_path / "out", "--only", "")
    assert code == 2
    assert "at least one cleaner" in err
    assert not (tmp_path / "out" / "manifest.json").exists()


def test_a_failing_cleaner_on_ray_is_one_plain_line(capsys, fake_entry_point, seeds_dir, tmp_path):
    """Was: Ray's whole remote traceback, ANSI colour codes included, on the error line."""
    pytest.importorskip("ray")
    fake_entry_point("exploding", RAISING_PLUGIN)
    args = ["clean", str(seeds_dir), "-o", str(tmp_path / "out"), "-q", "--engine", "ray"]
    args += ["-w", "1", "--set", 'pipeline.cleaners=["encoding","exploding"]']
    code = main([*args, "--on-error", "fail"])
    err = capsys.readouterr().err
    assert code == 5
    [line] = [x for x in err.splitlines() if x.startswith("cleankit:")]
    assert line.endswith("cleaner 'exploding' raised RuntimeError: boom")
    assert "\x1b[" not in line and "ray::" not in line
