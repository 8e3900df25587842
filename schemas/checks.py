"""Reusable checks, registered with pandera so they survive the YAML export by name."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from pandera.extensions import register_check_method

_REGISTERED = False


def register() -> None:
    """Register cleankit's check methods once (pandera refuses a second registration)."""
    global _REGISTERED
    if _REGISTERED:
        return
    _REGISTERED = True
    register_check_method(statistics=[], supported_types=pd.Series)(not_blank)
    register_check_method(statistics=["max_chars"], supported_types=pd.Series)(single_line)
    register_check_method(statistics=["floor", "ceiling"], supported_types=pd.Series)(iso_date)


def not_blank(series: pd.Series) -> pd.Series:
    """Text that is more than whitespace."""
    return series.str.strip().str.len() > 0


def single_line(series: pd.Series, *, max_chars: int) -> pd.Series:
    """One line of sane length: no line break, not blank, at most `max_chars`."""
    text = series.astype("string")
    ok = ~text.str.contains(r"[\r\n]", regex=True) & (text.str.strip().str.len() > 0)
    return (ok & (text.str.len() <= max_chars)).fillna(True).astype(bool)


def iso_date(series: pd.Series, *, floor: str, ceiling: str) -> pd.Series:
    """A real calendar date `YYYY-MM-DD` within [floor, ceiling]; ceiling may be "today"."""
    top = dt.date.today().isoformat() if ceiling == "today" else ceiling
    return series.map(lambda v: v is None or _valid_date(v, floor, top)).astype(bool)


def _valid_date(value: object, floor: str, top: str) -> bool:
    if not isinstance(value, str) or len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return floor <= value <= top
