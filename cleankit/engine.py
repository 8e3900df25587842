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
import threading
import time
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from multiprocessing.pool import AsyncResult
from operator import attrgetter
from typing import TYPE_CHECKING, Any

from cleankit.cleaner import Cleaner, DocumentCleaner
from cleankit.document import Document, Paragraph
from cleankit.errors import CleanerFailed, CleankitError, PluginError, one_line
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


class BrokenContract(Exception):
    """A cleaner returned without raising but broke the document model's rules (it deleted
    paragraphs, or a corpus cleaner dropped a document): handled like an exception."""


class WorkerDied(CleanerFailed):
    """A worker process ended in the middle of a run (killed, out of memory, a native
    crash): its batch is lost, so the run stops."""


class ErrorPolicy:
    """What happens when a cleaner raises on a document: quarantine it, or stop the run."""

    def __init__(self, mode: str, host: Host | None) -> None:
        self.mode = mode
        self.host = host

    def handle(self, cleaner: Cleaner, doc: Document, exc: BaseException) -> Quarantined:
        if self.host is not None:
            self.host.call("cleankit_cleaner_error", cleaner=cleaner, document_id=doc.id, error=exc)
        if isinstance(exc, BrokenContract):
            message = f"cleaner {cleaner.name!r} {exc}"
        else:
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
        paragraphs = list(doc.paragraphs)  # pointers only: the text if some get deleted
        doc_id = doc.id
        try:
            cleaner.clean(doc)
            _check_document(doc, doc_id, paragraphs)
        # A plugin bug must not cost the other documents; `sys.exit()` in a plugin is one
        # too (uncaught, it ends a single-process run silently, or kills a worker).
        except (Exception, SystemExit) as exc:
            st.errors += 1
            # Quarantined as it came in: its paragraphs and id (the cleaner may have
            # deleted or replaced some, or changed the id).
            doc.paragraphs, doc.id = paragraphs, doc_id
            quarantined.append(policy.handle(cleaner, doc, exc))
            continue
        st.after(doc, cleaner.name)
        out.append(doc)
    st.seconds += time.perf_counter() - start
    return out


def _check_document(doc: Document, doc_id: str, before: list[Paragraph]) -> None:
    """Cleaners mark paragraphs removed (deleting one would lose it from the audit), keep
    the document's id, and leave paragraphs and their texts of the model's types (a
    wrong type would break the stats, the audit or the writer far from its cause)."""
    paragraphs = doc.paragraphs
    now = len(paragraphs) if isinstance(paragraphs, list) else -1
    if now < len(before):
        raise BrokenContract(
            f"deleted paragraphs ({len(before)} before, {max(now, 0)} after); a cleaner "
            "must mark a paragraph removed (paragraph.remove), never delete it"
        )
    if doc.id != doc_id:
        raise BrokenContract(f"changed the document id to {doc.id!r}")
    # Set-of-types checks: C-level passes, cheap next to any cleaner.
    if set(map(type, paragraphs)) - {Paragraph}:
        raise BrokenContract("put something that is not a Paragraph into doc.paragraphs")
    if set(map(type, map(_TEXT, paragraphs))) - {str}:
        raise BrokenContract("set a paragraph's text to something that is not a str")


_TEXT = attrgetter("text")


def run_corpus_stage(
    cleaner: Cleaner,
    batches: Iterable[Batch],
    batch_size: int,
    st: CleanerStats,
    policy: ErrorPolicy | None = None,
) -> Iterator[Batch]:
    """Feed the documents of all batches through a corpus cleaner's `run` in order and cut
    the output into batches again; quarantine entries and stats travel along.

    Every document given to the cleaner must come back exactly once: one it drops is
    quarantined (or stops the run under `policy` "fail") instead of vanishing."""
    carry_q: list[Quarantined] = []
    carry_stats: StatsMap = {}
    outside = [0.0]  # seconds spent outside the cleaner: reading and later stages
    pending: dict[int, Document] = {}  # given to the cleaner, not yet returned

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
                pending[id(doc)] = doc
                yield doc

    out: list[Document] = []
    start = time.perf_counter()
    try:
        for doc in cleaner.run(documents()):
            if pending.pop(id(doc), None) is None:
                raise BrokenContract(_stranger(doc))
            st.after(doc, cleaner.name)
            out.append(doc)
            if len(out) >= batch_size:
                t0 = time.perf_counter()
                yield _emit(out, carry_q, carry_stats)
                outside[0] += time.perf_counter() - t0  # downstream stages ran meanwhile
                out = []
        carry_q.extend(_dropped(cleaner, list(pending.values()), st, policy))
    except CleankitError:  # CleanerFailed from the policy, PluginError from a hook, ...
        raise
    except BrokenContract as exc:
        raise CleanerFailed(f"corpus cleaner {cleaner.name!r} {exc}; the run stops") from exc
    except Exception as exc:  # its generator is dead: no way to skip one document
        raise CleanerFailed(
            f"corpus cleaner {cleaner.name!r} raised {type(exc).__name__}: {exc}; a "
            "corpus-level cleaner cannot skip one document, so the run stops"
        ) from exc
    finally:
        st.seconds += time.perf_counter() - start - outside[0]
    if out or carry_q or carry_stats:
        yield _emit(out, carry_q, carry_stats)


def _stranger(doc: object) -> str:
    """Why a document a corpus cleaner returned is not acceptable."""
    if not isinstance(doc, Document):
        return f"returned {type(doc).__name__}, not one of the documents it was given"
    return f"returned document {doc.id!r} twice, or one it was not given"


def _dropped(
    cleaner: Cleaner, docs: list[Document], st: CleanerStats, policy: ErrorPolicy | None
) -> list[Quarantined]:
    """Quarantine entries for documents a corpus cleaner never returned."""
    policy = policy or ErrorPolicy("quarantine", None)
    st.errors += len(docs)
    problem = BrokenContract(
        "did not return this document; a cleaner marks paragraphs removed, it never "
        "drops a document"
    )
    return [policy.handle(cleaner, doc, problem) for doc in docs]


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
    try:
        pipeline = Pipeline.from_spec(spec)
    except Exception as exc:
        # Raising here would make the pool start a new worker, forever: keep the error
        # and report it with the first batch instead.
        _WORKER["error"] = PluginError(
            "a worker process cannot rebuild the pipeline: "
            f"{one_line(exc)} (a cleaner registered "
            "in this process only cannot run with workers > 1: install it as a plugin, "
            "or use one worker)"
        )
        return
    tune_gc()
    _WORKER["stages"] = plan_stages(pipeline.cleaners)
    _WORKER["policy"] = ErrorPolicy(pipeline.settings.pipeline.on_error, pipeline.host)


def _work(job: tuple[int, Batch]) -> Batch:
    if "error" in _WORKER:
        raise _WORKER["error"]
    index, batch = job
    return run_document_stage(_WORKER["stages"][index], batch, _WORKER["policy"])


class WorkerPool:
    """A local process pool that runs document stages; `map` keeps batch order."""

    def __init__(
        self, workers: int, spec: dict[str, Any], stage_names: list[list[str]] | None = None
    ) -> None:
        """`stage_names`: the cleaners of each stage, to name them in errors."""
        ctx = multiprocessing.get_context("spawn")
        self.pool = ctx.Pool(workers, initializer=_init_worker, initargs=(spec,))
        self.workers = workers
        self.stage_names = stage_names or []
        # The Pool replaces a worker that dies and forgets its task: waiting on that task's
        # result would hang forever. Our own handles on the workers tell us one died.
        self.processes = list(getattr(self.pool, "_pool", []))

    def map(self, index: int, batches: Iterable[Batch]) -> Iterator[Batch]:
        """Run stage `index` on each batch, at most two batches per worker in flight.

        Not `Pool.imap`: its feeder thread drains the input eagerly, which would read the
        whole corpus into memory and run upstream generators on a second thread."""
        pending: deque[AsyncResult[Batch]] = deque()
        for batch in batches:
            pending.append(self.pool.apply_async(_work, ((index, batch),)))
            if len(pending) >= 2 * self.workers:
                yield self._result(pending.popleft(), index)
        while pending:
            yield self._result(pending.popleft(), index)

    def _result(self, result: AsyncResult[Batch], index: int) -> Batch:
        """The batch, once done; `WorkerDied` when a worker died meanwhile."""
        while not result.ready():
            result.wait(WORKER_POLL)
            if not result.ready():
                self._check_workers(index)
        return result.get()

    def _check_workers(self, index: int) -> None:
        for process in self.processes:
            code = process.exitcode
            if code is not None:
                how = f"killed by signal {-code}" if code < 0 else f"exit code {code}"
                hint = ": out of memory?" if code == -signal.SIGKILL else ""
                raise WorkerDied(
                    f"a worker process died ({how}{hint}) while running "
                    f"{', '.join(self._stage(index))}; no output file was completed "
                    "(rerun with --workers 1 to see the failing document)"
                )

    def _stage(self, index: int) -> list[str]:
        return self.stage_names[index] if index < len(self.stage_names) else ["a stage"]

    def close(self) -> None:
        self.pool.close()
        self.pool.join()

    def terminate(self) -> None:
        """Stop now (Ctrl-C, an error): kill the workers and return within seconds.

        `Pool.terminate()` alone can hang forever: its task-feeding thread may be in the
        middle of writing a large batch into the pipe of the workers it has just killed,
        and it then waits for that thread. So it runs on a helper thread; if that does not
        finish in time, the workers are killed here and the stuck (daemon) thread is left
        behind."""
        helper = threading.Thread(target=self._terminate_and_join, daemon=True)
        helper.start()
        helper.join(TERMINATE_WAIT)
        if helper.is_alive():
            for process in getattr(self.pool, "_pool", []):  # the Pool's worker processes
                if process.exitcode is None:
                    process.kill()

    def _terminate_and_join(self) -> None:
        self.pool.terminate()
        self.pool.join()


TERMINATE_WAIT = 3.0  # seconds; a pool that has not stopped by then is stuck
WORKER_POLL = 0.5  # seconds between checks that the workers are alive, while waiting
