"""`cleankit validate OUTDIR`: check a finished output folder against the schema again."""

from __future__ import annotations

import json
from collections.abc import Iterator
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


def _jsonl_batches(path: Path) -> Iterator[list[Any]]:
    batch: list[Any] = []
    with path.open(encoding="utf-8") as fh:
        for lineno, line in enumerate(fh, 1):
            try:
                batch.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise InputError(f"{path}:{lineno}: not valid JSON ({exc})") from None
            if len(batch) >= BATCH:
                yield batch
                batch = []
    if batch:
        yield batch


def _parquet_batches(path: Path) -> Iterator[list[dict[str, Any]]]:
    import pyarrow.parquet as pq

    for rb in pq.ParquetFile(path).iter_batches(batch_size=BATCH):
        rows = rb.to_pylist()
        for row in rows:
            row["meta"] = json.loads(row["meta"]) if row.get("meta") else {}
        yield rows
