"""Built-in cleaner `dedup`: marks exact and near-duplicate paragraphs removed.

Paragraphs are compared on a normalised form (casefolded, punctuation dropped, whitespace
collapsed). Paragraphs of at least `min_words` words get a MinHash signature over their
shingles; LSH band keys propose candidates, which are verified (estimated or exact
Jaccard >= `threshold`) before anything is removed. Shorter paragraphs are matched by an
exact hash of their token sequence only, and by default only counted, never removed.

Which copy is kept depends only on corpus order (document order, then paragraph order)
and the config, never on batch size, workers or scheduling: the first copy, or with
`keep="longest"` the first copy's position with the longest variant's text, when that
variant arrives within `longest_window` documents.

Inside one document only repeated blocks are removed (`min_run` copies in a row); a lone
repeat (a standfirst repeating the lead, a pull quote) is kept and noted for chrome,
because which of the two copies is body is a layout question.

Documents are processed in batches of about `batch_paragraphs` paragraphs: hashing
(`_dedup_hashing`) and the decisions (`_dedup_resolve`) are vectorised over the batch,
and the only state kept across batches is the index (`_dedup_index`): flat numpy arrays,
a fixed number of bytes per paragraph, plus the id of each document.
"""

from __future__ import annotations

from collections import Counter, deque
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
from cleankit.plugins._dedup_batch import Batch, Prepared, Sketches, prepare, sketch
from cleankit.plugins._dedup_config import DedupConfig
from cleankit.plugins._dedup_hashing import HashParams
from cleankit.plugins._dedup_index import KeyTable, RowStore, ShinglePool
from cleankit.plugins._dedup_resolve import (
    candidate_pairs,
    copy_counts,
    count_documents,
    resolve,
    run_members,
)
from cleankit.plugins._dedup_workspace import Workspace
from numpy.typing import NDArray

from cleankit import hookimpl
from cleankit.cleaner import Cleaner, CleanerConfig
from cleankit.document import Document

I64 = NDArray[np.int64]

# A repeated block may contain one paragraph that was edited beyond the threshold.
_RUN_GAP = 1
_SNIPPET_CHARS = 100
_MAX_SNIPPETS = 10_000
_RELATIONS = ("document", "source", "corpus")

__all__ = ["DedupCleaner", "DedupConfig"]


class DedupCleaner(Cleaner):
    """Corpus-level near-duplicate paragraph removal (MinHash + LSH, verified)."""

    name = "dedup"
    version = "2"  # 2: dup_count noted on kept copies only
    scope = "corpus"
    Config = DedupConfig

    def __init__(self, config: CleanerConfig | dict[str, Any] | None = None) -> None:
        super().__init__(config)
        cfg = self.cfg
        self.bands, self.rows = cfg.banding()
        self.params = HashParams.create(cfg.seed, cfg.num_perm, self.rows, self.bands)
        self.table = KeyTable()
        self.store = RowStore(cfg.num_perm if cfg.verify == "estimate" else 0)
        self.pool = ShinglePool() if cfg.verify == "exact" else None
        self.work = Workspace()  # scratch arrays reused by every batch
        self.doc_ids: list[str] = []
        self.doc_source = np.zeros(1024, dtype=np.int64)  # source number, -1 when None
        self.source_numbers: dict[str, int] = {}
        self.pending: dict[int, Document] = {}
        self.removed_by_scope: Counter[str] = Counter()
        self.counters: Counter[str] = Counter()
        self.snippets: dict[int, str] = {}

    @property
    def cfg(self) -> DedupConfig:
        assert isinstance(self.config, DedupConfig)
        return self.config

    # -- streaming -------------------------------------------------------------------

    def run(self, docs: Iterable[Document]) -> Iterator[Document]:
        window = self.cfg.longest_window if self.cfg.keep == "longest" else 0
        order: deque[int] = deque()
        batch: list[Document] = []
        size = 0
        for doc in docs:
            batch.append(doc)
            size += len(doc.paragraphs)
            if size >= self.cfg.batch_paragraphs:
                yield from self._flush(batch, order, window)
                batch, size = [], 0
        yield from self._flush(batch, order, window)
        while order:
            yield self.pending.pop(order.popleft())

    def _flush(self, batch: list[Document], order: deque[int], window: int) -> Iterator[Document]:
        if not batch:
            return
        first = len(self.doc_ids)
        for doc in batch:
            self._register(doc)
            order.append(len(self.doc_ids) - 1)
        self._process(Batch.collect(batch, first, self.cfg.scope))
        last = len(self.doc_ids) - 1
        while order and order[0] <= last - window:
            yield self.pending.pop(order.popleft())

    def _register(self, doc: Document) -> None:
        ordinal = len(self.doc_ids)
        self.doc_ids.append(doc.id)
        self.pending[ordinal] = doc
        if ordinal >= self.doc_source.size:
            self.doc_source = np.concatenate((self.doc_source, np.zeros_like(self.doc_source)))
        if doc.source is None:
            self.doc_source[ordinal] = -1
        else:
            number = self.source_numbers.setdefault(doc.source, len(self.source_numbers))
            self.doc_source[ordinal] = number

    # -- one batch -------------------------------------------------------------------

    def _process(self, batch: Batch) -> None:
        prep = prepare(batch, self.cfg, self.params, self.work)
        items = np.flatnonzero(prep.indexed)
        first_row = self.store.n
        rows = np.arange(first_row, first_row + items.size, dtype=np.int64)
        # Exact copies first: a paragraph whose normalised text was seen before needs no
        # MinHash (its band keys would all be owned already); it is a candidate of that
        # first occurrence's kept copy, compared through the first occurrence's sketch.
        exact_owner = self.table.assign(prep.exact[items], rows)
        copy = exact_owner != rows
        sketches = sketch(
            prep,
            items[prep.long[items] & ~copy],
            self.cfg,
            self.params,
            batch.salt,
            self.bands,
            self.rows,
            self.work,
        )
        self._append_rows(batch, prep, sketches, items)
        row_of_item = np.full(prep.indexed.size, -1, dtype=np.int64)
        row_of_item[items] = rows
        band_rows = row_of_item[sketches.key_item]
        band_owner = self.table.assign(sketches.keys, band_rows)
        cand_rows, owners = candidate_pairs(
            np.concatenate((rows[copy], band_rows)), np.concatenate((exact_owner[copy], band_owner))
        )
        alias = np.where(copy & prep.long[items], exact_owner, rows)
        m_rows, m_reps, m_sims = resolve(
            cand_rows,
            owners,
            first_row,
            self.store["rep"],
            self._similarity(prep.short[items], alias, first_row),
            self.cfg.threshold,
        )
        m_items = items[m_rows - first_row]
        copies = copy_counts(m_reps, self.store["count"])
        self._count_documents(batch, m_items, m_rows, m_reps)
        self._apply(batch, prep, m_items, m_rows, m_reps, m_sims)
        self.counters["paragraphs_indexed"] += int(rows.size)
        self.counters["short_paragraphs"] += int(prep.short.sum())
        self.counters["exact_copies_not_sketched"] += int((copy & prep.long[items]).sum())
        paragraphs = batch.paragraphs
        for item, count in zip(m_items.tolist(), copies.tolist(), strict=True):
            paragraph = paragraphs[item]
            if paragraph.removed is None:  # a kept copy: how often seen so far (chrome's hint)
                paragraph.notes["dup_count"] = count

    def _append_rows(self, batch: Batch, prep: Prepared, sketches: Sketches, items: I64) -> None:
        first_row = self.store.n
        rows = self.store.append(
            doc=batch.doc_ord[items],
            para=batch.para_index[items],
            rep=np.arange(first_row, first_row + items.size),
            ntok=prep.ntok[items],
            count=np.ones(items.size, np.int32),
            ndocs=np.ones(items.size, np.int32),
            last_doc=batch.doc_ord[items],
        )
        if sketches.sig16 is not None:  # rows of unsketched items keep a zero signature
            self.store.set_signatures(rows[np.searchsorted(items, sketches.items)], sketches.sig16)
        if self.pool is not None:
            assert sketches.shingle_sets is not None
            values, lengths = sketches.shingle_sets
            self.pool.append(values, lengths[items])

    def _similarity(self, short: Any, alias: I64, first_row: int) -> Any:
        """Similarity of (row, kept copy) pairs: 1 for short paragraphs (their keys are
        exact), else estimated or exact Jaccard; an exact copy is compared through the
        sketch of its first occurrence (`alias`)."""

        def similarity(rows: I64, reps: I64) -> NDArray[np.float64]:
            out = np.ones(rows.size, dtype=np.float64)
            local = rows - first_row
            long = ~short[local]
            source = alias[local[long]]
            if self.pool is not None:
                out[long] = self.pool.jaccard_pairs(source, reps[long])
            else:
                sig = self.store.signatures
                out[long] = (sig(source) == sig(reps[long])).mean(axis=1)
            return out

        return similarity

    def _count_documents(self, batch: Batch, m_items: I64, m_rows: I64, m_reps: I64) -> None:
        st = self.store
        grown = count_documents(m_reps, st["doc"][m_rows], st["ndocs"], st["last_doc"])
        snippets = self.snippets
        missing = [r for r in grown.tolist() if r not in snippets]
        if not missing:
            return
        reps, first = np.unique(m_reps, return_index=True)
        items = m_items[first[np.searchsorted(reps, missing)]].tolist()
        paragraphs = batch.paragraphs
        for rep, item in zip(missing, items, strict=True):
            snippets[rep] = paragraphs[item].text[:_SNIPPET_CHARS]
        if len(snippets) > _MAX_SNIPPETS:
            rows = np.fromiter(snippets, dtype=np.int64, count=len(snippets))
            keep = rows[np.lexsort((rows, -st["ndocs"][rows]))][: _MAX_SNIPPETS // 10]
            self.snippets = {r: snippets[r] for r in keep.tolist()}

    # -- acting on matches -----------------------------------------------------------

    def _apply(
        self,
        batch: Batch,
        prep: Prepared,
        m_items: I64,
        m_rows: I64,
        m_reps: I64,
        m_sims: NDArray[np.float64],
    ) -> None:
        st = self.store
        relation = self._relations(st["doc"][m_rows], st["doc"][m_reps])
        short = prep.short[m_items]
        removes = self._removal_mask(relation, short, m_rows, st["doc"][m_rows])
        rounded = np.round(m_sims, 4)
        sims, items = rounded.tolist(), m_items.tolist()
        kept_docs = [self.doc_ids[d] for d in st["doc"][m_reps].tolist()]
        kept_index = st["para"][m_reps].tolist()
        where = [_RELATIONS[r] for r in relation.tolist()]
        paragraphs = batch.paragraphs
        longest = self.cfg.keep == "longest"
        for k in np.flatnonzero(~removes).tolist():
            paragraphs[items[k]].notes["dup_of"] = {
                "doc": kept_docs[k],
                "index": kept_index[k],
                "similarity": sims[k],
            }
        chosen = np.flatnonzero(removes).tolist()
        no_extra: dict[str, bool] = {}
        for k, rep, row in zip(
            chosen, m_reps[chosen].tolist(), m_rows[chosen].tolist(), strict=True
        ):
            paragraph = paragraphs[items[k]]
            extra = no_extra
            if longest and self._maybe_move_up(rep, row, paragraph.text):
                extra = {"moved_up": True}
            sim = sims[k]
            paragraph.remove(
                self.name,
                "exact" if sim >= 1.0 else "near",
                sim,
                kept_doc=kept_docs[k],
                kept_index=kept_index[k],
                similarity=sim,
                scope=where[k],
                **extra,
            )
        exact = rounded >= 1.0
        self.counters["removed_exact"] += int((removes & exact).sum())
        self.counters["removed_near"] += int((removes & ~exact).sum())
        for number, name in enumerate(_RELATIONS):
            self.removed_by_scope[name] += int((removes & (relation == number)).sum())
        kept = ~removes
        self.counters["kept_copies_short"] += int((kept & short).sum())
        self.counters["kept_copies_lone"] += int((kept & ~short).sum())

    def _relations(self, row_docs: I64, rep_docs: I64) -> I64:
        """0: same document, 1: same (known) source, 2: elsewhere in the corpus."""
        src_row, src_rep = self.doc_source[row_docs], self.doc_source[rep_docs]
        same_source = (src_row == src_rep) & (src_row >= 0)
        return np.where(row_docs == rep_docs, 0, np.where(same_source, 1, 2))

    def _removal_mask(self, relation: I64, short: Any, rows: I64, docs: I64) -> Any:
        inside = relation == 0
        in_run = np.zeros(rows.size, dtype=np.bool_)
        in_run[inside] = run_members(rows[inside], docs[inside], self.cfg.min_run, _RUN_GAP)
        block_ok = ~inside | in_run
        mode = self.cfg.short_paragraphs
        short_ok = np.full(rows.size, mode == "scope") | ((mode == "document") & inside)
        return block_ok & (~short | short_ok)

    def _maybe_move_up(self, rep: int, row: int, text: str) -> bool:
        """keep='longest': give the first copy this copy's text when it is longer."""
        st = self.store
        if st["ntok"][row] <= st["ntok"][rep]:
            return False
        rep_doc = int(st["doc"][rep])
        if int(st["doc"][row]) - rep_doc > self.cfg.longest_window or rep_doc not in self.pending:
            return False
        target = self.pending[rep_doc].paragraphs[int(st["para"][rep])]
        target.edit(self.name, ["longest_variant"], text)
        st["ntok"][rep] = st["ntok"][row]
        self.counters["moved_up"] += 1
        return True

    # -- statistics ------------------------------------------------------------------

    def report(self) -> dict[str, Any]:
        n = self.store.n
        index_bytes = self.table.nbytes + self.store.nbytes
        if self.pool is not None:
            index_bytes += self.pool.nbytes
        return {
            "removed_by_scope": {k: self.removed_by_scope[k] for k in _RELATIONS},
            **dict(sorted(self.counters.items())),
            "bands": self.bands,
            "rows": self.rows,
            "index_bytes": index_bytes,
            "index_bytes_per_paragraph": round(index_bytes / n, 1) if n else 0.0,
            "index_bytes_per_paragraph_bound": self.bytes_per_paragraph_bound(),
            "recurring": self._recurring(),
        }

    def bytes_per_paragraph_bound(self) -> int:
        """Row (with the row store's growth slack) + the exact key and every band key new,
        in a table just grown (load 1/4). Beyond the initial capacities, i.e. for corpora
        of more than ~20k paragraphs; exact verification adds 4 B per distinct shingle."""
        per_key = 4 * (self.table.keys.itemsize + self.table.values.itemsize)
        return self.store.bytes_per_row_bound + (self.bands + 1) * per_key

    def _recurring(self) -> list[dict[str, Any]]:
        ndocs, count = self.store["ndocs"], self.store["count"]
        ranked = sorted(
            (r for r in self.snippets if ndocs[r] > 1), key=lambda r: (-int(ndocs[r]), r)
        )
        return [
            {"text": self.snippets[r], "documents": int(ndocs[r]), "copies": int(count[r])}
            for r in ranked[: self.cfg.top_recurring]
        ]


@hookimpl
def cleankit_register_cleaners(register):  # type: ignore[no-untyped-def]
    register(DedupCleaner)


Cleaner_dedup = DedupCleaner  # the placeholder's name
