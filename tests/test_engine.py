"""The batch engine's bookkeeping, with a fake clock (no timed tests)."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from cleankit import engine
from cleankit.cleaner import Cleaner
from cleankit.document import Document
from cleankit.stats import CleanerStats

CLOCK = [0.0]


class OneSecondPerDocument(Cleaner):
    """A corpus cleaner whose work takes exactly one (fake) second per document."""

    name = "slow_corpus"
    scope = "corpus"

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        for doc in docs:
            CLOCK[0] += 1.0
            yield doc


def test_corpus_stage_seconds_count_only_the_cleaner(monkeypatch):
    """Reading upstream and the stages downstream run while the corpus stage is suspended;
    neither may be billed to the corpus cleaner in stats.json."""
    monkeypatch.setattr(engine.time, "perf_counter", lambda: CLOCK[0])
    CLOCK[0] = 0.0

    def upstream() -> Iterator[engine.Batch]:
        for i in range(3):
            CLOCK[0] += 10.0  # reading and earlier stages
            yield engine.Batch([Document.from_text(f"d{i}", "A paragraph of text.")])

    stats = CleanerStats()
    out = []
    for batch in engine.run_corpus_stage(OneSecondPerDocument(), upstream(), 1, stats):
        CLOCK[0] += 100.0  # validation and writing downstream
        out.extend(d.id for d in batch.docs)
    assert out == ["d0", "d1", "d2"]
    assert stats.seconds == 3.0
