"""QA round 4: plugins that break the document model's rules without raising.

A cleaner marks paragraphs removed and never deletes them; a corpus cleaner returns every
document it was given. A plugin that breaks this must not make text or documents vanish
from the output, the audit and the quarantine alike."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from cleankit import Cleaner, DocumentCleaner, hookimpl
from cleankit.api import clean_records
from cleankit.document import Document
from cleankit.errors import CleanerFailed
from cleankit.pipeline import Pipeline


class DropsEveryOther(Cleaner):
    name = "drops_every_other"

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        for i, doc in enumerate(docs):
            if i % 2 == 0:
                yield doc


class YieldsJunk(Cleaner):
    name = "yields_junk"

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        for _ in docs:
            yield "junk"  # type: ignore[misc]


class DeletesParagraphs(DocumentCleaner):
    name = "deletes_paragraphs"

    def clean(self, doc: Document) -> None:
        if len(doc.paragraphs) > 3:
            del doc.paragraphs[1:]


class Plugin:
    @hookimpl
    def cleankit_register_cleaners(self, register):  # type: ignore[no-untyped-def]
        for cls in (DropsEveryOther, YieldsJunk, DeletesParagraphs):
            register(cls)


def pipeline(register_plugin, name: str, on_error: str = "quarantine") -> Pipeline:  # type: ignore[no-untyped-def]
    host = register_plugin(Plugin())
    overrides = [f'pipeline.cleaners=["encoding","{name}"]', f'pipeline.on_error="{on_error}"']
    return Pipeline.from_config(None, overrides, host=host)


def outputs(out: Path) -> tuple[dict, list[dict], list[dict]]:
    stats = json.loads((out / "stats.json").read_text())["documents"]
    docs = [json.loads(x) for x in (out / "documents.jsonl").read_text().splitlines()]
    bad = [json.loads(x) for x in (out / "quarantine.jsonl").read_text().splitlines()]
    return stats, docs, bad


def test_documents_a_corpus_cleaner_drops_are_quarantined(register_plugin, seeds_dir, tmp_path):
    """Was: read 5, written 3, quarantined 0: two documents vanished without a trace."""
    pipeline(register_plugin, "drops_every_other").run([seeds_dir], tmp_path / "out")
    stats, docs, bad = outputs(tmp_path / "out")
    assert stats["read"] == 5 and stats["written"] == 3
    assert stats["quarantined_by_reason"] == {"cleaner-error": 2}
    seeds = sorted(seeds_dir.glob("*.txt"))
    assert [q["id"] for q in bad] == [seeds[1].stem, seeds[3].stem]
    assert all("did not return this document" in q["detail"] for q in bad)
    lines = [x for x in seeds[1].read_text(encoding="utf-8").splitlines() if x.strip()]
    assert bad[0]["content"].splitlines() == lines


def test_a_dropped_document_stops_the_run_under_on_error_fail(register_plugin, seeds_dir, tmp_path):
    with pytest.raises(CleanerFailed, match="did not return this document"):
        pipeline(register_plugin, "drops_every_other", "fail").run([seeds_dir], tmp_path / "o")
    assert not (tmp_path / "o" / "manifest.json").exists()


def test_clean_records_reports_dropped_rows(register_plugin, seed_texts):
    """Was: KeyError from inside clean_records."""
    rows = [{"id": k, "text": v} for k, v in sorted(seed_texts.items())]
    got = clean_records(rows, pipeline=pipeline(register_plugin, "drops_every_other"))
    assert [r["quarantine"] is None for r in got] == [True, False, True, False, True]
    assert got[1]["quarantine"]["reason"] == "cleaner-error"


def test_a_corpus_cleaner_returning_junk_is_named_as_such(register_plugin, seeds_dir, tmp_path):
    """Was: `raised AttributeError: 'str' object has no attribute 'paragraphs'`."""
    with pytest.raises(CleanerFailed, match="returned str, not one of the documents"):
        pipeline(register_plugin, "yields_junk").run([seeds_dir], tmp_path / "out")


def test_deleted_paragraphs_quarantine_the_document_with_its_text(
    register_plugin, seeds_dir, tmp_path
):
    """Was: the document was written with one paragraph and no audit of the others."""
    pipeline(register_plugin, "deletes_paragraphs").run([seeds_dir], tmp_path / "out")
    stats, docs, bad = outputs(tmp_path / "out")
    assert docs == [] and stats["quarantined_by_reason"] == {"cleaner-error": 5}
    first = sorted(seeds_dir.glob("*.txt"))[0]
    assert "deleted paragraphs" in bad[0]["detail"]
    lines = [x for x in first.read_text(encoding="utf-8").splitlines() if x.strip()]
    assert bad[0]["content"].splitlines() == lines


# -- hooks that raise or return junk: one line naming the plugin, or a quarantine entry ---


class HookPlugin:
    """Implements the one hook named `broken` badly."""

    def __init__(self, broken: str) -> None:
        self.broken = broken

    @hookimpl
    def cleankit_configure(self, config):  # type: ignore[no-untyped-def]
        if self.broken == "configure":
            raise ValueError("no such setting")

    @hookimpl
    def cleankit_pipeline_start(self, pipeline):  # type: ignore[no-untyped-def]
        if self.broken == "start":
            raise RuntimeError("cannot connect")

    @hookimpl
    def cleankit_schema_columns(self, config):  # type: ignore[no-untyped-def]
        return ["lang"] if self.broken == "columns" else None

    @hookimpl
    def cleankit_cleaner_error(self, cleaner, document_id, error):  # type: ignore[no-untyped-def]
        if self.broken == "error":
            raise RuntimeError("cannot log")

    @hookimpl
    def cleankit_open_corpus(self, path, root, config):  # type: ignore[no-untyped-def]
        if not path.name.startswith("001"):
            return None
        if self.broken == "open":
            raise OSError("cannot open")

        def records():  # type: ignore[no-untyped-def]
            yield "junk"
            raise ValueError("corrupt stream")

        return records() if self.broken == "read" else None


def run_with(register_plugin, broken: str, tmp_path: Path, cleaners: str = '["encoding"]'):  # type: ignore[no-untyped-def]
    host = register_plugin(HookPlugin(broken))
    host.register_module("contract_breakers", Plugin())
    overrides = [f"pipeline.cleaners={cleaners}"]
    return Pipeline.from_config(None, overrides, host=host)


@pytest.mark.parametrize(
    ("broken", "message"),
    [
        ("configure", "failed in cleankit_configure: ValueError: no such setting"),
        ("start", "failed in cleankit_pipeline_start: RuntimeError: cannot connect"),
        ("columns", "cleankit_schema_columns returned list, not a {column: type} dict"),
    ],
)
def test_a_raising_hook_is_a_plugin_error_naming_the_plugin(
    register_plugin, seeds_dir, tmp_path, broken, message
):
    """Was: `internal error: ValueError: ...` (exit 1), no plugin named."""
    from cleankit.errors import PluginError

    with pytest.raises(PluginError) as caught:
        run_with(register_plugin, broken, tmp_path).run([seeds_dir], tmp_path / "out")
    assert "plugin 'throwaway'" in str(caught.value) and message in str(caught.value)
    assert caught.value.exit_code == 3
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())


def test_a_raising_error_hook_is_a_plugin_error(register_plugin, seeds_dir, tmp_path):
    from cleankit.errors import PluginError

    with pytest.raises(PluginError, match="failed in cleankit_cleaner_error: RuntimeError"):
        pipeline_ = run_with(register_plugin, "error", tmp_path, '["deletes_paragraphs"]')
        pipeline_.run([seeds_dir], tmp_path / "out")


def test_a_reader_plugin_that_raises_costs_its_file_only(register_plugin, seeds_dir, tmp_path):
    """Was: `internal error: OSError` / `ValueError` and no output at all."""
    for broken in ("open", "read"):
        out = tmp_path / broken
        run_with(register_plugin, broken, tmp_path).run([seeds_dir], out)
        stats, docs, bad = outputs(out)
        assert len(docs) == 4 and stats["read"] == 4 + len(bad)
        assert all(q["input"].endswith(".txt") and "001_" in q["input"] for q in bad)
        details = [q["detail"] for q in bad]
        if broken == "open":
            assert details == [
                "cannot open: plugin 'throwaway' (throwaway-test-plugin) failed in "
                "cleankit_open_corpus: OSError: cannot open"
            ]
        else:
            assert details == [
                "the reader returned a str, not a record",
                "stopped reading: ValueError: corrupt stream",
            ]


def test_clean_records_keeps_a_dataframes_index():
    """Was: the result had a fresh 0..n-1 index, so it could not be joined back."""
    import pandas as pd

    text = "The minister said on Monday that the new law would take effect next year."
    frame = pd.DataFrame({"id": ["a", "b"], "text": [text, text + " Also."]}, index=[5, 9])
    cleaned = clean_records(frame, only=["encoding"])
    assert cleaned.index.tolist() == [5, 9]
    assert cleaned.loc[9, "id"] == "b"


def test_pipeline_run_takes_one_path_as_well_as_a_list(seeds_dir, tmp_path):
    """Was: `run("seeds", out)` looked for inputs named s, e, e, d, s."""
    stats = Pipeline.from_config(None, only=["encoding"]).run(str(seeds_dir), tmp_path / "o")
    assert stats.documents_written == 5
