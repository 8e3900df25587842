"""The pipeline: cleaners built from config, run over a document stream in batches.

    pipeline = Pipeline.from_config("cleankit.toml", overrides=["dedup.threshold=0.9"])
    stats = pipeline.run(["seeds/"], "out/")

Reading, the corpus-level stages, validation and writing happen in the main process;
document-level stages run there too, or on a local process pool with `workers > 1`.
"""

from __future__ import annotations

import platform
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from cleankit import __version__
from cleankit.cleaner import Cleaner
from cleankit.config import Settings, load_settings, resolve
from cleankit.document import Document
from cleankit.engine import (
    Batch,
    ErrorPolicy,
    Stage,
    WorkerPool,
    plan_stages,
    run_corpus_stage,
    run_document_stage,
)
from cleankit.errors import InputError, PluginError, one_line
from cleankit.host import Host
from cleankit.io.inputs import InputFile, expand_inputs, fingerprint
from cleankit.io.readers import path_text
from cleankit.io.records import Quarantined, ReadResult, Record
from cleankit.io.writers import OutputDir, audit_rows, document_record
from cleankit.stats import CleanerStats, RunStats, merge_stats

if TYPE_CHECKING:
    from cleankit.ray_engine import RayPool

Progress = Callable[[RunStats, int], None]


class Pipeline:
    """An ordered list of configured cleaners plus the host that provided them."""

    def __init__(self, host: Host, settings: Settings, block: Iterable[str] = ()) -> None:
        self.host = host
        self.settings = settings
        self.block = sorted(set(block))
        self._build_cleaners()
        host.call("cleankit_configure", config=settings)
        self.required_columns = self._required_columns()

    @classmethod
    def from_config(
        cls,
        config_file: str | Path | None = None,
        overrides: list[str] | None = None,
        only: list[str] | None = None,
        skip: list[str] | None = None,
        block_plugins: Iterable[str] = (),
        host: Host | None = None,
    ) -> Pipeline:
        """Build from a TOML file (default `./cleankit.toml` if present) and overrides."""
        host = host or Host(block=block_plugins)
        settings = load_settings(host, config_file, overrides, only, skip)
        return cls(host, settings, block_plugins)

    @classmethod
    def from_spec(cls, spec: dict[str, Any]) -> Pipeline:
        """Rebuild a pipeline from `spec()` (how worker processes get the same cleaners)."""
        host = Host(block=spec["block"], warn=False)
        return cls(host, resolve(spec["config"], host, "spec"), spec["block"])

    def _build_cleaners(self) -> None:
        settings = self.settings
        self.cleaners: list[Cleaner] = [
            self.host.cleaner_class(name)(settings.cleaner_config(name))
            for name in settings.pipeline.cleaners
        ]
        self.stages: list[Stage] = plan_stages(self.cleaners)
        self._used = False  # set once documents went through: corpus state (dedup's index)

    def spec(self) -> dict[str, Any]:
        return {"config": self.settings.to_json(), "block": self.block}

    # -- running ------------------------------------------------------------------------

    def run(
        self,
        inputs: list[str | Path] | str | Path,
        outdir: str | Path,
        progress: Progress | None = None,
    ) -> RunStats:
        """Clean `inputs` (files or folders, or one of them) into `outdir`; returns the
        run's totals.

        `outdir` may sit inside an input folder: it is left out of the inputs. It may not
        be an input folder itself. Each run starts from fresh cleaners, as the CLI does: a
        second run is not deduplicated against the first."""
        if self._used:
            self._build_cleaners()
        paths = [inputs] if isinstance(inputs, (str, Path)) else list(inputs)
        suffixes = self._plugin_suffixes()
        files = expand_inputs(paths, exclude=Path(outdir), suffixes=suffixes)
        if not files:
            known = ", ".join([".txt", ".jsonl[.gz|.zst]", ".parquet", *suffixes])
            raise InputError(f"no input files found (supported: {known})")
        started = datetime.now(timezone.utc)
        manifest = self._manifest(files, started)
        out = OutputDir(Path(outdir), self.settings.output.format, self.settings.output.audit)
        stats = RunStats()
        clock = time.perf_counter()
        pool: WorkerPool | RayPool | None = None
        try:
            pool = self._pool()
            self.host.call("cleankit_pipeline_start", pipeline=self)
            self._write_all(self._read(files, stats), out, stats, pool, progress)
            if pool is not None:
                pool.close()
        except BaseException:
            out.abort()
            if pool is not None:
                pool.terminate()
            raise
        stats.seconds = time.perf_counter() - clock
        manifest["finished"] = datetime.now(timezone.utc).isoformat(timespec="seconds")
        out.finish(stats.to_json(self.settings.pipeline.cleaners), manifest)
        self.host.call("cleankit_pipeline_finish", pipeline=self, stats=stats)
        return stats

    def _pool(self) -> WorkerPool | RayPool | None:
        opts = self.settings.pipeline
        if not any(s.parallel for s in self.stages):
            return None
        if opts.engine == "ray":
            from cleankit.ray_engine import RayPool

            return RayPool(opts.workers, self.spec())
        if opts.workers <= 1:
            return None
        names = [[c.name for c in stage.cleaners] for stage in self.stages]
        return WorkerPool(opts.workers, self.spec(), names)

    def _write_all(
        self,
        results: Iterable[ReadResult],
        out: OutputDir,
        stats: RunStats,
        pool: WorkerPool | RayPool | None,
        progress: Progress | None,
    ) -> None:
        seen_ids: set[str] = set()
        for batch in self.process(results, stats, pool):
            merge_stats(stats.cleaners, batch.stats)
            records, bad = self.finalize(batch, seen_ids)
            audit = [row for doc in batch.materialize() for row in audit_rows(doc)]
            emptied = [q for q in bad if q.reason == EMPTIED]
            bad = [q for q in bad if q.reason != EMPTIED]
            out.write(records, audit, bad)
            stats.documents_written += len(records)
            stats.documents_emptied += len(emptied)
            stats.quarantined.update(q.reason for q in bad)
            if progress is not None:
                progress(stats, len(records))
        for cleaner in self.cleaners:
            report = cleaner.report()
            if report:
                stats.reports[cleaner.name] = report

    def process(
        self,
        results: Iterable[ReadResult],
        stats: RunStats,
        pool: WorkerPool | RayPool | None = None,
    ) -> Iterator[Batch]:
        """The lazy chain of stages over batches of `results`; nothing runs until iterated.
        Corpus cleaners keep their state across calls (`clean_records` batches)."""
        self._used = True
        policy = ErrorPolicy(self.settings.pipeline.on_error, self.host)
        size = self.settings.pipeline.batch_size
        batches: Iterator[Batch] = _batches(results, size, stats, self.settings.input.max_doc_lines)
        for index, stage in enumerate(self.stages):
            if stage.parallel and pool is not None:
                batches = pool.map(index, batches)
            elif stage.parallel:
                batches = _run_in_process(stage, batches, policy)
            else:
                cleaner = stage.cleaners[0]
                st = stats.cleaners.setdefault(cleaner.name, CleanerStats())
                batches = run_corpus_stage(cleaner, batches, size, st, policy)
        return batches

    def finalize(
        self, batch: Batch, seen_ids: set[str]
    ) -> tuple[list[dict[str, Any]], list[Quarantined]]:
        """Output records of a batch that pass validation, and everything quarantined."""
        from cleankit.validation import validate_records  # pandas + pandera: not in workers

        bad = list(batch.quarantined)
        records = []
        for doc in batch.materialize():
            if doc.id in seen_ids:
                bad.append(_duplicate(doc))
            elif not doc.kept_texts():
                bad.append(_all_removed(doc))
            else:
                seen_ids.add(doc.id)
                records.append(document_record(doc))
        good, invalid = validate_records(records, self.required_columns)
        return good, bad + invalid

    def _plugin_suffixes(self) -> tuple[str, ...]:
        """File endings reader plugins handle (`cleankit_input_suffixes`), lower-cased."""
        found: list[str] = []
        for impl in _in_call_order(self.host.hook.cleankit_input_suffixes):
            suffixes = self.host.call_one(impl)
            if suffixes is None:
                continue
            if isinstance(suffixes, str) or not all(isinstance(x, str) for x in suffixes):
                raise PluginError(
                    f"plugin {impl.plugin_name!r}: cleankit_input_suffixes returned "
                    f"{suffixes!r}, not a list of strings"
                )
            found.extend(x.lower() for x in suffixes if x)
        return tuple(dict.fromkeys(found))

    def _required_columns(self) -> dict[str, str]:
        """Columns plugins guarantee (`cleankit_schema_columns`), asked once per run."""
        columns: dict[str, str] = {}
        for impl in _in_call_order(self.host.hook.cleankit_schema_columns):
            extra = self.host.call_one(impl, config=self.settings)
            if extra is not None and not (
                isinstance(extra, dict) and all(isinstance(k, str) for k in extra)
            ):
                raise PluginError(
                    f"plugin {impl.plugin_name!r}: cleankit_schema_columns returned "
                    f"{type(extra).__name__}, not a {{column: type}} dict"
                )
            columns.update(extra or {})
        return columns

    def _read(self, files: list[InputFile], stats: RunStats) -> Iterator[ReadResult]:
        """Every file's records; a reader plugin that raises or yields junk costs the rest
        of that file (quarantined as `unreadable`), never the run."""
        for f in files:
            shown = path_text(str(f.path))
            try:
                results = self.host.call(
                    "cleankit_open_corpus", path=f.path, root=f.root, config=self.settings
                )
            except PluginError as exc:
                yield Quarantined(shown, "unreadable", f"cannot open: {exc}")
                continue
            if results is None:
                yield Quarantined(shown, "unsupported", "no reader for this file type")
                continue
            yield from _checked_records(results, shown)

    def _manifest(self, files: list[InputFile], started: datetime) -> dict[str, Any]:
        return {
            "cleankit": __version__,
            "python": platform.python_version(),
            "started": started.isoformat(timespec="seconds"),
            "plugins": [
                {
                    "name": p.name,
                    "distribution": p.distribution,
                    "version": p.version,
                    "cleaners": p.cleaners,
                }
                for p in self.host.plugins.values()
            ],
            "cleaners": [
                {
                    "name": c.name,
                    "version": c.version,
                    "plugin": self.host.cleaner_owner(c.name).name,
                }
                for c in self.cleaners
            ],
            "config": self.settings.to_json(),
            "inputs": [fingerprint(f.path) for f in files],
        }


def _in_call_order(caller: Any) -> list[Any]:
    """A hook's implementations in the order pluggy calls them (`get_hookimpls` lists
    them the other way round): on a clash, the same plugin wins as in a hook call."""
    return list(reversed(caller.get_hookimpls()))


def _checked_records(results: Any, shown: str) -> Iterator[ReadResult]:
    """The items of a reader's iterator, stopping at an exception and refusing junk."""
    try:
        for item in results:
            if isinstance(item, (Record, Quarantined)):
                yield item
            else:
                detail = f"the reader returned a {type(item).__name__}, not a record"
                yield Quarantined(shown, "bad-record", detail, content=repr(item)[:1000])
    except Exception as exc:  # a reader plugin's bug, or input it cannot handle
        detail = f"stopped reading: {one_line(exc)}"
        yield Quarantined(shown, "unreadable", detail)


def _run_in_process(stage: Stage, batches: Iterable[Batch], policy: ErrorPolicy) -> Iterator[Batch]:
    """A function, not a generator expression in the caller's loop: that would look up
    the loop variable `stage` late and run every batch through the last stage."""
    for batch in batches:
        yield run_document_stage(stage, batch, policy)


def _batches(
    results: Iterable[ReadResult], size: int, stats: RunStats, max_lines: int
) -> Iterator[Batch]:
    """Cut the read stream into batches of `size` documents (by count only: determinism).
    A document of more than `max_lines` lines is quarantined: a few MB of one-character
    lines would otherwise become millions of paragraphs and exhaust memory."""
    batch = Batch([])
    for item in results:
        stats.documents_read += 1
        if isinstance(item, Record) and _too_many_lines(item.text, max_lines):
            detail = f"more than input.max_doc_lines={max_lines} lines"
            item = Quarantined(item.input, "too-large", detail, id=item.id, content=item.text)
        if isinstance(item, Quarantined):
            batch.quarantined.append(item)
            continue
        batch.records.append(item)
        if len(batch.records) >= size:
            yield batch
            batch = Batch([])
    if batch.records or batch.quarantined:
        yield batch


def _too_many_lines(text: str, limit: int) -> bool:
    """More than `limit` lines (blank ones included; old Mac `\r` breaks too)."""
    brk = "\n" if "\n" in text else "\r"
    return text.count(brk) + (not text.endswith(brk)) > limit


EMPTIED = "all-removed"


def _all_removed(doc: Document) -> Quarantined:
    """Every paragraph was removed (a page that is all duplicate or all chrome). Not a
    fault: `run` counts it as emptied, its paragraphs are in the audit; the record API
    reports it with this reason."""
    rules = Counter(f"{p.removed.cleaner}:{p.removed.rule}" for p in doc.paragraphs if p.removed)
    detail = ", ".join(f"{rule} x{n}" for rule, n in sorted(rules.items()))
    return Quarantined(
        doc.input or "",
        EMPTIED,
        f"no paragraph left ({detail or 'no text'})",
        id=doc.id,
        stage="validate",
        content=doc.original_text(),
    )


def _duplicate(doc: Document) -> Quarantined:
    return Quarantined(
        doc.input or "",
        "duplicate-id",
        f"id {doc.id!r} was already written",
        id=doc.id,
        stage="validate",
        content=doc.original_text(),
    )
