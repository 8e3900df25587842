"""Checking output records against the pandera contract before they are written.

Validation is lazy (all failures of a batch at once); a failing row goes to the quarantine
with pandera's failure cases for that row, and the good rows are written. Nothing is
dropped silently.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

import pandas as pd
import pandera.errors

from cleankit.errors import one_line
from cleankit.io.records import Quarantined
from cleankit.schemas.documents import CleanedDocument

SCHEMA = CleanedDocument.to_schema()


def validate_records(
    records: list[dict[str, Any]], required: dict[str, str] | None = None
) -> tuple[list[dict[str, Any]], list[Quarantined]]:
    """Split records into (valid, quarantined); `required` adds plugin-guaranteed columns."""
    if not records:
        return [], []
    frame = pd.DataFrame.from_records(records)
    failures = _failures_by_row(frame)
    _check_required(records, required or {}, failures)
    _check_types(records, failures)
    good = [r for i, r in enumerate(records) if i not in failures]
    bad = [_quarantine(records[i], rows) for i, rows in sorted(failures.items())]
    return good, bad


def _failures_by_row(frame: pd.DataFrame) -> dict[int, list[dict[str, Any]]]:
    try:
        SCHEMA.validate(frame, lazy=True)
        return {}
    except pandera.errors.SchemaErrors as exc:
        cases = exc.failure_cases
    by_row: dict[int, list[dict[str, Any]]] = defaultdict(list)
    for case in cases.to_dict("records"):
        index = case.get("index")
        targets = range(len(frame)) if index is None or pd.isna(index) else [int(index)]
        for row in targets:
            by_row[row].append(_case(case))
    return dict(by_row)


def _case(case: dict[str, Any]) -> dict[str, Any]:
    value = case.get("failure_case")
    return {
        "column": case.get("column"),
        "check": str(case.get("check")),
        "failure_case": None if value is None or value is pd.NA else str(value)[:200],
    }


def _check_required(
    records: list[dict[str, Any]],
    required: dict[str, str],
    failures: dict[int, list[dict[str, Any]]],
) -> None:
    for i, record in enumerate(records):
        for column in required:
            if column not in record:
                failures.setdefault(i, []).append(
                    {"column": column, "check": "column_present", "failure_case": None}
                )


# Python types of the fields cleaners can set. The schema coerces before it checks (a
# headline 5 passes as "5"), but the record is written as it is: check the raw values.
_FIELD_TYPES: dict[str, tuple[type, ...]] = {
    "id": (str,),
    "source": (str, type(None)),
    "headline": (str, type(None)),
    "published": (str, type(None)),
    "meta": (dict,),
}


def _check_types(records: list[dict[str, Any]], failures: dict[int, list[dict[str, Any]]]) -> None:
    for i, record in enumerate(records):
        for column, types in _FIELD_TYPES.items():
            value = record.get(column)
            if column in record and not isinstance(value, types):
                failures.setdefault(i, []).append(
                    {"column": column, "check": "type", "failure_case": type(value).__name__}
                )
        problem = _not_json(_cleaner_meta(record.get("meta")))
        if problem:
            failures.setdefault(i, []).append(
                {"column": "meta", "check": "json", "failure_case": problem}
            )


def _cleaner_meta(meta: Any) -> Any:
    """What cleaners put into `meta`: the input's own extra fields (a Parquet timestamp,
    say) are written as their `str()` and are not the cleaners' doing."""
    if isinstance(meta, dict) and "input_fields" in meta:
        return {k: v for k, v in meta.items() if k != "input_fields"}
    return meta


def _not_json(value: Any) -> str | None:
    """Why `value` would not survive a JSON round trip unchanged (an object the writer
    could only spell as its `str()`, which differs from run to run), or None."""
    try:
        json.dumps(value, allow_nan=True)
    except (TypeError, ValueError) as exc:
        return one_line(exc)[:200]
    return None


def _quarantine(record: dict[str, Any], cases: list[dict[str, Any]]) -> Quarantined:
    checks = sorted({f"{c['column']}:{c['check']}" for c in cases})
    return Quarantined(
        str(record.get("input") or ""),
        "validation",
        "output failed schema checks: " + ", ".join(checks),
        id=str(record.get("id")),
        stage="validate",
        content=json.dumps(record, ensure_ascii=False, default=str),
        failures=cases,
    )
