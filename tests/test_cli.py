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
