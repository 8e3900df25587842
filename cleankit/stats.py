"""Per-cleaner and per-run counters. Plain dicts of numbers, so workers can send them back
and the main process can add them up in any order with the same result."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from cleankit.document import Document


@dataclass
class CleanerStats:
    """What one cleaner saw and did: documents, kept paragraphs and characters in and out,
    removals by rule, edits by fix, errors and seconds."""

    documents_in: int = 0
    documents_out: int = 0
    paragraphs_in: int = 0
    paragraphs_out: int = 0
    chars_in: int = 0
    chars_out: int = 0
    errors: int = 0
    seconds: float = 0.0
    removed_by_rule: Counter[str] = field(default_factory=Counter)
    edits_by_fix: Counter[str] = field(default_factory=Counter)

    def before(self, doc: Document) -> tuple[int, int]:
        """Count `doc` going in; returns its removal and edit totals to diff against."""
        kept = [p for p in doc.paragraphs if p.removed is None]
        self.documents_in += 1
        self.paragraphs_in += len(kept)
        self.chars_in += sum(len(p.text) for p in kept)
        return len(doc.paragraphs) - len(kept), sum(len(p.edits) for p in doc.paragraphs)

    def after(self, doc: Document, cleaner: str) -> None:
        """Count `doc` coming out and the removals and edits this cleaner made on it."""
        self.documents_out += 1
        for p in doc.paragraphs:
            if p.removed is None:
                self.paragraphs_out += 1
                self.chars_out += len(p.text)
            elif p.removed.cleaner == cleaner:
                self.removed_by_rule[p.removed.rule] += 1
            for edit in p.edits:
                if edit.cleaner == cleaner:
                    self.edits_by_fix.update(edit.fixes)

    def merge(self, other: CleanerStats) -> None:
        for name in ("documents_in", "documents_out", "paragraphs_in", "paragraphs_out"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        self.chars_in += other.chars_in
        self.chars_out += other.chars_out
        self.errors += other.errors
        self.seconds += other.seconds
        self.removed_by_rule.update(other.removed_by_rule)
        self.edits_by_fix.update(other.edits_by_fix)

    def to_json(self) -> dict[str, Any]:
        return {
            "documents_in": self.documents_in,
            "documents_out": self.documents_out,
            "paragraphs_in": self.paragraphs_in,
            "paragraphs_out": self.paragraphs_out,
            "chars_in": self.chars_in,
            "chars_out": self.chars_out,
            "removed": sum(self.removed_by_rule.values()),
            "removed_by_rule": dict(sorted(self.removed_by_rule.items())),
            "edits_by_fix": dict(sorted(self.edits_by_fix.items())),
            "errors": self.errors,
            "seconds": round(self.seconds, 3),
        }


StatsMap = dict[str, CleanerStats]


def merge_stats(into: StatsMap, other: StatsMap) -> None:
    for name, stats in other.items():
        into.setdefault(name, CleanerStats()).merge(stats)


@dataclass
class RunStats:
    """Totals of one run, written to stats.json and shown in the summary table."""

    documents_read: int = 0
    documents_written: int = 0
    documents_emptied: int = 0
    quarantined: Counter[str] = field(default_factory=Counter)
    cleaners: StatsMap = field(default_factory=dict)
    reports: dict[str, Any] = field(default_factory=dict)
    seconds: float = 0.0

    def to_json(self, order: list[str]) -> dict[str, Any]:
        return {
            "documents": {
                "read": self.documents_read,
                "written": self.documents_written,
                "emptied": self.documents_emptied,
                "quarantined": sum(self.quarantined.values()),
                "quarantined_by_reason": dict(sorted(self.quarantined.items())),
            },
            "cleaners": {
                name: {**self.cleaners.get(name, CleanerStats()).to_json(), **_report(self, name)}
                for name in order
            },
            "seconds": round(self.seconds, 3),
        }


def _report(stats: RunStats, name: str) -> dict[str, Any]:
    report = stats.reports.get(name)
    return {"report": report} if report else {}
