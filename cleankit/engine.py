"""Running cleaners over a stream of batches, in-process or on a local process pool.

Consecutive document-scope cleaners form one *stage* that may run on any worker; a
corpus-scope cleaner (dedup) is a stage of its own that runs in the main process over the
documents in corpus order. Results are collected in submission order and batches are cut
by count only, so the output is byte-identical for any number of workers.
"""

from __future__ import annotations

import gc
import multiprocessing
import signal
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from typing import TYPE_CHECKING, Any

from cleankit.cleaner import Cleaner, DocumentCleaner
from cleankit.document import Document
from cleankit.errors import CleanerFailed
from cleankit.io.records import Quarantined, Record
from cleankit.stats import CleanerStats, StatsMap, merge_stats

if TYPE_CHECKING:
    from cleankit.host import Host


@dataclass
class Batch:
    """Documents in corpus order, the quarantine entries met on the way, and the stats of
    the document-stage work done on them (merged by the main process).

    A fresh batch holds the records as read (`records`: plain strings pickle cheaply to a
    worker); the first stage that touches it turns them into `docs`."""

    docs: list[Document]
    quarantined: list[Quarantined] = field(default_factory=list)
    stats: StatsMap = field(default_factory=dict)
    records: list[Record] = field(default_factory=list)

    def materialize(self) -> list[Document]:
        if self.records:
            self.docs.extend(to_document(r) for r in self.records)
            self.records = []
        return self.docs


def to_document(record: Record) -> Document:
    meta = dict(record.meta)
    if record.extra:
        meta["input_fields"] = record.extra
    return Document.from_text(
        record.id, record.text, source=record.source, input=record.input, meta=meta
    )


@dataclass
class Stage:
    cleaners: list[Cleaner]

    @property
    def parallel(self) -> bool:
        return all(c.scope == "document" for c in self.cleaners)


def plan_stages(cleaners: list[Cleaner]) -> list[Stage]:
    stages: list[Stage] = []
    for cleaner in cleaners:
        if cleaner.scope == "document" and stages and stages[-1].parallel:
            stages[-1].cleaners.append(cleaner)
        else:
            stages.append(Stage([cleaner]))
    return stages


class ErrorPolicy:
    """What happens when a cleaner raises on a document: quarantine it, or stop the run."""

    def __init__(self, mode: str, host: Host | None) -> None:
        self.mode = mode
        self.host = host

    def handle(self, cleaner: Cleaner, doc: Document, exc: Exception) -> Quarantined:
        if self.host is not None:
            self.host.hook.cleankit_cleaner_error(cleaner=cleaner, document_id=doc.id, error=exc)
        message = f"cleaner {cleaner.name!r} raised {type(exc).__name__}: {exc}"
        if self.mode == "fail":
            raise CleanerFailed(f"document {doc.id!r} ({doc.input}): {message}") from exc
        return Quarantined(
            doc.input or "",
            "cleaner-error",
            message,
            id=doc.id,
            stage=cleaner.name,
            content=doc.original_text(),
        )


def run_document_stage(stage: Stage, batch: Batch, policy: ErrorPolicy) -> Batch:
    """Apply the stage's cleaners to every document of the batch."""
    docs = batch.materialize()
    quarantined = list(batch.quarantined)
    stats = dict(batch.stats)
    for cleaner in stage.cleaners:
        assert isinstance(cleaner, DocumentCleaner)
        st = stats.setdefault(cleaner.name, CleanerStats())
        docs = _clean_each(cleaner, docs, st, quarantined, policy)
    return Batch(docs, quarantined, stats)


def _clean_each(
    cleaner: DocumentCleaner,
    docs: list[Document],
    st: CleanerStats,
    quarantined: list[Quarantined],
    policy: ErrorPolicy,
) -> list[Document]:
    out: list[Document] = []
    start = time.perf_counter()
    for doc in docs:
        st.before(doc)
        try:
            cleaner.clean(doc)
        except Exception as exc:  # a plugin bug must not cost the other documents
            st.errors += 1
            quarantined.append(policy.handle(cleaner, doc, exc))
            continue
        st.after(doc, cleaner.name)
        out.append(doc)
    st.seconds += time.perf_counter() - start
    return out


def run_corpus_stage(
    cleaner: Cleaner, batches: Iterable[Batch], batch_size: int, st: CleanerStats
) -> Iterator[Batch]:
    """Feed the documents of all batches through a corpus cleaner's `run` in order and cut
    the output into batches again; quarantine entries and stats travel along."""
    carry_q: list[Quarantined] = []
    carry_stats: StatsMap = {}
    outside = [0.0]  # seconds spent outside the cleaner: reading and later stages

    def documents() -> Iterator[Document]:
        it = iter(batches)
        while True:
            t0 = time.perf_counter()
            batch = next(it, None)
            outside[0] += time.perf_counter() - t0
            if batch is None:
                return
            carry_q.extend(batch.quarantined)
            merge_stats(carry_stats, batch.stats)
            for doc in batch.materialize():
                st.before(doc)
                yield doc

    out: list[Document] = []
    start = time.perf_counter()
    try:
        for doc in cleaner.run(documents()):
            st.after(doc, cleaner.name)
            out.append(doc)
            if len(out) >= batch_size:
                t0 = time.perf_counter()
                yield _emit(out, carry_q, carry_stats)
                outside[0] += time.perf_counter() - t0  # downstream stages ran meanwhile
                out = []
    except CleanerFailed:
        raise
    except Exception as exc:  # its generator is dead: no way to skip one document
        raise CleanerFailed(
            f"corpus cleaner {cleaner.name!r} raised {type(exc).__name__}: {exc}; a "
            "corpus-level cleaner cannot skip one document, so the run stops"
        ) from exc
    finally:
        st.seconds += time.perf_counter() - start - outside[0]
    if out or carry_q or carry_stats:
        yield _emit(out, carry_q, carry_stats)


def _emit(docs: list[Document], q: list[Quarantined], stats: StatsMap) -> Batch:
    batch = Batch(list(docs), list(q), dict(stats))
    q.clear()
    stats.clear()
    return batch


# -- process pool -------------------------------------------------------------------------


def tune_gc() -> None:
    """Make CPython's cyclic GC run rarely in a cleaning process.

    Cleaning allocates millions of small, acyclic containers (paragraphs, tuples, dicts),
    which reference counting frees; with the default thresholds the collector instead scans
    the whole heap over and over (measured: unpickling one 256-page batch took 0.89 s,
    0.22 s with these settings). Objects alive after start-up are frozen out of scans."""
    gc.freeze()
    gc.set_threshold(50_000, 20, 100)


_WORKER: dict[str, Any] = {}


def _init_worker(spec: dict[str, Any]) -> None:
    """Build the pipeline's cleaners inside a worker from the same resolved config."""
    from cleankit.pipeline import Pipeline

    # Ctrl-C reaches the whole process group: the main process alone reports it and
    # terminates the pool, so workers print no KeyboardInterrupt tracebacks of their own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    pipeline = Pipeline.from_spec(spec)
    tune_gc()
    _WORKER["stages"] = plan_stages(pipeline.cleaners)
    _WORKER["policy"] = ErrorPolicy(pipeline.settings.pipeline.on_error, pipeline.host)


def _work(job: tuple[int, Batch]) -> Batch:
    index, batch = job
    return run_document_stage(_WORKER["stages"][index], batch, _WORKER["policy"])


class WorkerPool:
    """A local process pool that runs document stages; `map` keeps batch order."""

    def __init__(self, workers: int, spec: dict[str, Any]) -> None:
        ctx = multiprocessing.get_context("spawn")
        self.pool = ctx.Pool(workers, initializer=_init_worker, initargs=(spec,))
        self.workers = workers

    def map(self, index: int, batches: Iterable[Batch]) -> Iterator[Batch]:
        """Run stage `index` on each batch, at most two batches per worker in flight.

        Not `Pool.imap`: its feeder thread drains the input eagerly, which would read the
        whole corpus into memory and run upstream generators on a second thread."""
        pending: deque[AsyncResult[Batch]] = deque()
        for batch in batches:
            pending.append(self.pool.apply_async(_work, ((index, batch),)))
            if len(pending) >= 2 * self.workers:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()

    def close(self) -> None:
        self.pool.close()
        self.pool.join()

    def terminate(self) -> None:
        self.pool.terminate()
        self.pool.join()
