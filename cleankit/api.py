"""Cleaning inside someone else's pipeline: plain dicts (or a pandas DataFrame) in and out.

    from cleankit import clean_records
    rows = clean_records([{"id": "a", "text": "..."}], overrides=["dedup.threshold=0.9"])

Each output row is the cleaned document record (`id`, `source`, `text`, `headline`,
`published`, `meta`, ...) plus the input's other fields, in input order. A row that could
not be cleaned keeps its input text and says why in `quarantine`; nothing is dropped.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from cleankit.io.readers import record_from_mapping
from cleankit.io.records import Quarantined, ReadResult
from cleankit.pipeline import Pipeline
from cleankit.stats import RunStats

if TYPE_CHECKING:
    import pandas as pd


def clean_records(
    rows: Iterable[dict[str, Any]] | pd.DataFrame,
    pipeline: Pipeline | None = None,
    **config: Any,
) -> Any:
    """Clean one batch of documents and return the same shape: a list of dicts, or a
    DataFrame for a DataFrame. `config` is passed to `Pipeline.from_config` when no
    pipeline is given (build one pipeline and reuse it across batches for speed; it keeps
    dedup's index, so each batch is deduplicated against the ones before it)."""
    import pandas as pd

    if isinstance(rows, pd.DataFrame):
        records: list[dict[str, Any]] = rows.to_dict("records")  # type: ignore[assignment]
        cleaned = clean_records(records, pipeline, **config)
        return pd.DataFrame.from_records(cleaned, index=rows.index)  # rows keep their labels
    _check_rows(rows)
    pipeline = pipeline or Pipeline.from_config(**config)
    items = list(rows)
    results = [_read(pipeline, row, i) for i, row in enumerate(items)]
    cleaned = _clean(pipeline, results)
    return [_output(row, result, cleaned) for row, result in zip(items, results, strict=True)]


def _check_rows(rows: object) -> None:
    """A string, a dict or a column table iterates as characters, keys or columns: say
    so rather than return one junk row per item."""
    if isinstance(rows, (str, bytes, Mapping)) or hasattr(rows, "column_names"):
        raise TypeError(
            f"clean_records takes an iterable of dicts or a pandas DataFrame, not "
            f"{type(rows).__name__} (a pyarrow Table: pass table.to_pylist())"
        )
    if not isinstance(rows, Iterable):
        raise TypeError(f"clean_records takes an iterable of dicts, not {type(rows).__name__}")


def _read(pipeline: Pipeline, row: dict[str, Any], index: int) -> ReadResult:
    if not isinstance(row, dict):
        return Quarantined(f"row {index}", "bad-record", f"not a mapping: {type(row).__name__}")
    return record_from_mapping(row, f"row {index}", f"row-{index}", pipeline.settings)


def _clean(pipeline: Pipeline, results: list[ReadResult]) -> dict[str, Any]:
    """Run the records through the pipeline; map input location -> record or quarantine."""
    outcome: dict[str, Any] = {}
    seen: set[str] = set()
    for batch in pipeline.process(results, RunStats()):
        records, bad = pipeline.finalize(batch, seen)
        outcome.update((q.input, q) for q in bad)
        outcome.update((rec["input"], rec) for rec in records)
    return outcome


def _output(row: Any, result: ReadResult, cleaned: dict[str, Any]) -> dict[str, Any]:
    """The input row updated with its cleaned record, or with the quarantine reason."""
    base = dict(row) if isinstance(row, dict) else {"value": row}
    got = cleaned[result.input]  # every input ends as a record or a quarantine entry
    if isinstance(got, Quarantined):
        return {**base, "quarantine": {"reason": got.reason, "detail": got.detail}}
    meta = dict(got["meta"])
    meta.pop("input_fields", None)
    return {**base, **got, "meta": meta, "quarantine": None}
