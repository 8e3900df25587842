"""`cleankit validate OUTDIR`: check a finished output folder against the schema again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleankit.errors import InputError
from cleankit.io.writers import MANIFEST
from cleankit.validation import validate_records

BATCH = 1000


def revalidate(outdir: Path) -> tuple[int, list[str]]:
    """Return (records checked, one line per invalid record or unique-id clash)."""
    if not (outdir / MANIFEST).is_file():
        raise InputError(f"{outdir} is not a finished cleankit output (no {MANIFEST})")
    failures: list[str] = []
    seen: set[Any] = set()
    checked = 0
    for batch in _batches(outdir):
        records = []
        for record in batch:
            checked += 1
            if isinstance(record, BadLine):
                failures.append(f"record {checked}: {record.problem}")
                continue
            if not isinstance(record, dict):  # e.g. a line `[1, 2]`: no fields to check
                failures.append(f"record {checked}: not a JSON object: {str(record)[:60]}")
                continue
            records.append(record)
            if record.get("id") in seen:
                failures.append(f"{record.get('id')}: duplicate id")
            seen.add(record.get("id"))
        _, bad = validate_records(records)
        failures.extend(f"{q.id}: {q.detail}" for q in bad)
    return checked, failures


def _batches(outdir: Path) -> Iterator[list[Any]]:
    jsonl, parquet = outdir / "documents.jsonl", outdir / "documents.parquet"
    if jsonl.is_file():
        yield from _jsonl_batches(jsonl)
    elif parquet.is_file():
        yield from _parquet_batches(parquet)
    else:
        raise InputError(f"{outdir} holds no documents.jsonl or documents.parquet")


@dataclass(frozen=True)
class BadLine:
    """A line of documents.jsonl that is not a JSON value at all (an invalid record)."""

    problem: str


def _parse(line: bytes) -> Any:
    try:
        return json.loads(line.decode("utf-8"))
    except UnicodeDecodeError as exc:
        return BadLine(f"not UTF-8 (byte {exc.start}: {exc.reason})")
    except json.JSONDecodeError as exc:
        return BadLine(f"not valid JSON ({exc})")


def _jsonl_batches(path: Path) -> Iterator[list[Any]]:
    batch: list[Any] = []
    with path.open("rb") as fh:
        for line in fh:
            batch.append(_parse(line))
            if len(batch) >= BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _parquet_batches(path: Path) -> Iterator[list[dict[str, Any]]]:
    import pyarrow.parquet as pq

    try:
        for rb in pq.ParquetFile(path).iter_batches(batch_size=BATCH):
            rows = rb.to_pylist()
            for row in rows:
                row["meta"] = _meta(row.get("meta"))
            yield rows
    except Exception as exc:  # pyarrow raises several types for corrupt files
        raise InputError(f"{path}: not a readable Parquet file ({exc})") from None


def _meta(raw: Any) -> Any:
    """`meta` is stored as a JSON string; one that does not parse stays a string, which the
    type check then reports."""
    if not raw:
        return {}
    try:
        return json.loads(raw)
    except (TypeError, ValueError):
        return raw
