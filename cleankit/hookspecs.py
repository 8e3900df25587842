"""Every hook cleankit calls, in one module (as pytest's `hookspec.py`).

A plugin is a module (or object) with functions named like these hooks and decorated with
`cleankit.hookimpl`. Third-party plugins are found through the `cleankit` entry-point group:

    [project.entry-points.cleankit]
    my_cleaner = "my_package.my_module"

pluggy calls every implementation of a hook with the same arguments; it does not chain
cleaners. The run order of cleaners is the config's `pipeline.cleaners` list.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pluggy

if TYPE_CHECKING:
    from cleankit.cleaner import Cleaner
    from cleankit.config import Settings
    from cleankit.io.records import ReadResult
    from cleankit.pipeline import Pipeline, RunStats

hookspec = pluggy.HookspecMarker("cleankit")
hookimpl = pluggy.HookimplMarker("cleankit")


@hookspec
def cleankit_register_cleaners(register: Callable[[type[Cleaner]], None]) -> None:
    """Register cleaner classes: call `register(MyCleaner)` once per class.

    A cleaner's `name` must be unique across all plugins; a clash is an error naming both.
    """


@hookspec
def cleankit_configure(config: Settings) -> None:
    """Called once with the validated settings, before any document is read.

    Raise `cleankit.errors.ConfigError` to reject a setting with a one-line message.
    """


@hookspec(firstresult=True)
def cleankit_open_corpus(path: Path, root: Path, config: Settings) -> Iterator[ReadResult] | None:
    """Return an iterator of records read from the file `path`, or None if this plugin
    cannot read it. `root` is the input folder the file was found in (ids of `.txt`
    documents are relative to it). The first non-None result wins; the built-in readers
    (tried last) handle `.txt`, `.jsonl[.gz|.zst]` and Parquet. Bad records are yielded
    as `cleankit.io.records.Quarantined`, never raised."""


@hookspec
def cleankit_input_suffixes() -> list[str] | None:
    """File name endings (`".csv"`, `".warc.gz"`) that this plugin's
    `cleankit_open_corpus` reads, so that folders given as input include such files (named
    files are always offered to the readers). Matched case-insensitively."""


@hookspec
def cleankit_schema_columns(config: Settings) -> dict[str, str] | None:
    """Extra output columns this plugin guarantees, as `{column: "str" | "int" | ...}`.

    The validator checks that every output record carries them."""


@hookspec
def cleankit_pipeline_start(pipeline: Pipeline) -> None:
    """Called when a run starts, after configuration and before the first document."""


@hookspec
def cleankit_pipeline_finish(pipeline: Pipeline, stats: RunStats) -> None:
    """Called when a run has finished and its outputs are written."""


@hookspec
def cleankit_cleaner_error(cleaner: Cleaner, document_id: str, error: BaseException) -> Any:
    """Called when a cleaner raises on a document (before the error policy applies)."""
