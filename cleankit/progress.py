"""Terminal feedback: a one-line progress display and the end-of-run summary table."""

from __future__ import annotations

import sys
import time
from pathlib import Path

from cleankit.stats import CleanerStats, RunStats


class ProgressLine:
    """Redraws one stderr line at most 5 times a second: documents, MB read, rate."""

    def __init__(self) -> None:
        self.start = time.perf_counter()
        self.last = 0.0

    def __call__(self, stats: RunStats, written: int) -> None:
        now = time.perf_counter()
        if now - self.last < 0.2:
            return
        self.last = now
        elapsed = max(now - self.start, 1e-9)
        rate = stats.documents_read / elapsed
        line = (
            f"cleaning: {stats.documents_read:,} read, {stats.documents_written:,} written, "
            f"{sum(stats.quarantined.values()):,} quarantined | {rate:,.0f} docs/s"
        )
        sys.stderr.write("\r" + line[:120].ljust(100))
        sys.stderr.flush()

    def close(self) -> None:
        sys.stderr.write("\r" + " " * 120 + "\r")
        sys.stderr.flush()


def quarantine_reasons(stats: RunStats) -> str:
    """`reason count, ...` of the quarantined records, by reason."""
    return ", ".join(f"{k} {v}" for k, v in sorted(stats.quarantined.items()))


def print_summary(stats: RunStats, order: list[str], outdir: Path) -> None:
    """The short table printed after an interactive run."""
    out = sys.stderr
    quarantined = sum(stats.quarantined.values())
    reasons = quarantine_reasons(stats)
    print(
        f"documents: {stats.documents_read:,} read, {stats.documents_written:,} written, "
        f"{stats.documents_emptied:,} emptied (every paragraph removed, see removed.jsonl), "
        f"{quarantined:,} quarantined" + (f" ({reasons})" if reasons else ""),
        file=out,
    )
    print(
        f"{'cleaner':<16}{'paragraphs in':>14}{'out':>10}{'removed':>9}{'edits':>8}{'seconds':>9}",
        file=out,
    )
    for name in order:
        st = stats.cleaners.get(name, CleanerStats())
        removed = sum(st.removed_by_rule.values())
        edits = sum(st.edits_by_fix.values())
        print(
            f"{name:<16}{st.paragraphs_in:>14,}{st.paragraphs_out:>10,}{removed:>9,}"
            f"{edits:>8,}{st.seconds:>9.2f}",
            file=out,
        )
    print(f"done in {stats.seconds:.1f}s -> {outdir}/", file=out)
