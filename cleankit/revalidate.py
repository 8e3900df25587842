"""`cleankit validate OUTDIR`: check a finished output folder against the schema again."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from cleankit.errors import InputError, one_line
from cleankit.io.writers import MANIFEST, STATS
from cleankit.validation import validate_records

BATCH = 1000


def revalidate(outdir: Path) -> tuple[int, int, list[str]]:
    """Return (records checked, invalid records, one line per problem: an invalid record,
    a unique-id clash, or a folder that disagrees with its own manifest and stats)."""
    if not (outdir / MANIFEST).is_file():
        raise InputError(f"{outdir} is not a finished cleankit output (no {MANIFEST})")
    failures: list[str] = []
    invalid: set[int] = set()  # record numbers: a record with two problems counts once
    seen: set[Any] = set()
    checked = 0
    for batch in _batches(outdir):
        records, numbers = [], []
        for record in batch:
            checked += 1
            problem = _record_problem(record, checked, seen)
            if problem:
                failures.append(problem)
                invalid.add(checked)
            if isinstance(record, dict):
                records.append(record)
                numbers.append(checked)
                seen.add(_id_key(record.get("id")))
        good, bad = validate_records(records)  # `good`: the very objects given
        passed = set(map(id, good))
        invalid.update(n for n, r in zip(numbers, records, strict=True) if id(r) not in passed)
        failures.extend(f"{q.id}: {q.detail}" for q in bad)
    failures.extend(_folder_problems(outdir, checked))
    return checked, len(invalid), failures


def _record_problem(record: Any, number: int, seen: set[Any]) -> str | None:
    if isinstance(record, BadLine):
        return f"record {number}: {record.problem}"
    if not isinstance(record, dict):  # e.g. a line `[1, 2]`: no fields to check
        return f"record {number}: not a JSON object: {str(record)[:60]}"
    if _id_key(record.get("id")) in seen:
        return f"{record.get('id')}: duplicate id"
    return None


def _id_key(value: Any) -> Any:
    """The id as a set member: an id that is a list or an object (invalid, which the
    schema reports) by its JSON spelling."""
    try:
        hash(value)
    except TypeError:
        return json.dumps(value, sort_keys=True, default=str)
    return value


def _folder_problems(outdir: Path, checked: int) -> list[str]:
    """The manifest must parse, and the documents file must hold as many records as
    stats.json says were written (a truncated or swapped file passes every row check)."""
    problems = []
    try:
        json.loads((outdir / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, ValueError) as exc:
        problems.append(f"{MANIFEST}: not readable JSON ({exc})")
    try:
        stats = json.loads((outdir / STATS).read_text(encoding="utf-8"))
        written = stats["documents"]["written"]
    except (OSError, UnicodeDecodeError, ValueError, KeyError, TypeError) as exc:
        problems.append(f"{STATS}: no readable documents.written ({one_line(exc)})")
    else:
        if written != checked:
            problems.append(
                f"{STATS} says {written} documents were written; the documents file holds {checked}"
            )
    return problems


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
