"""Writing a run's output folder atomically.

Every file is written under a hidden temporary name and renamed into place only when the
run has finished; `manifest.json` is renamed last and an old manifest is removed first, so
a folder without a manifest is an unfinished run, and a killed run never leaves a file
that looks complete.

When a run finishes, files of ours that it did not write are removed from the folder: the
other format's documents file, `removed.jsonl` of an audited run when this one is not, and
`.<name>.tmp-<pid>` leftovers of killed runs (only of processes no longer alive). Only these
known names are ever deleted; other files in the folder are left alone.
"""

from __future__ import annotations

import json
import math
import os
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from cleankit.document import Document
from cleankit.errors import InputError
from cleankit.io.records import Quarantined

DOCUMENTS = "documents"
REMOVED = "removed.jsonl"
QUARANTINE = "quarantine.jsonl"
STATS = "stats.json"
MANIFEST = "manifest.json"
OUTPUT_NAMES = (f"{DOCUMENTS}.jsonl", f"{DOCUMENTS}.parquet", REMOVED, QUARANTINE, STATS, MANIFEST)
_TMP_RE = re.compile(r"^\.(?P<name>.+)\.tmp-(?P<pid>\d+)$")

RECORD_COLUMNS = (
    "id",
    "source",
    "input",
    "text",
    "headline",
    "published",
    "paragraphs_kept",
    "paragraphs_removed",
    "meta",
)


def document_record(doc: Document) -> dict[str, Any]:
    """The output record of a cleaned document (column order is part of the format)."""
    kept = doc.kept_texts()
    return {
        "id": doc.id,
        "source": doc.source,
        "input": doc.input,
        "text": "\n\n".join(kept),
        "headline": doc.headline,
        "published": doc.published,
        "paragraphs_kept": len(kept),
        "paragraphs_removed": len(doc.paragraphs) - len(kept),
        "meta": doc.meta,
    }


def audit_rows(doc: Document) -> Iterator[dict[str, Any]]:
    """One row per edit and per removed paragraph, in paragraph order."""
    for index, p in enumerate(doc.paragraphs):
        for edit in p.edits:
            yield {
                "id": doc.id,
                "paragraph": index,
                "action": "edit",
                "cleaner": edit.cleaner,
                "rule": "+".join(edit.fixes),
                "score": None,
                "text": edit.after,
                "before": edit.before,
            }
        if p.removed is not None:
            r = p.removed
            row = {
                "id": doc.id,
                "paragraph": index,
                "action": "remove",
                "cleaner": r.cleaner,
                "rule": r.rule,
                "score": r.score,
                "text": p.text,
            }
            if r.detail:
                row["detail"] = r.detail
            yield row


_LINE_SEPARATORS = str.maketrans({"\u2028": "\\u2028", "\u2029": "\\u2029", "\x85": "\\u0085"})
_SEPARATOR_RE = re.compile("[\u2028\u2029\x85]")
# One encoder: 2-3x faster. `allow_nan=False`: NaN and Infinity are not JSON (jq, JavaScript,
# Go and Rust readers reject the line); `dumps` writes them as null instead.
_ENCODER = json.JSONEncoder(ensure_ascii=False, default=str, allow_nan=False)


def dumps(obj: Any) -> str:
    """One JSON line. U+2028, U+2029 and U+0085 are escaped: readers that split lines on
    them (Python's str.splitlines, JavaScript) would otherwise cut a record in two. Float
    NaN and infinities (a pandas gap in an input field, a cleaner's score) become null."""
    try:
        line = _ENCODER.encode(obj)
    except ValueError:
        line = _ENCODER.encode(_finite(obj))
    return line.translate(_LINE_SEPARATORS) if _SEPARATOR_RE.search(line) else line


def _finite(value: Any) -> Any:
    """`value` with every non-finite float (nested in dicts and lists too) replaced by None."""
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, dict):
        return {k: _finite(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_finite(v) for v in value]
    return value


class AtomicFile:
    """A file written under a temporary name and moved into place by `commit()`."""

    def __init__(self, path: Path, binary: bool = False) -> None:
        self.path = path
        self.tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
        self.fh: IO[Any] = self.tmp.open("wb") if binary else self.tmp.open("w", encoding="utf-8")

    def commit(self) -> None:
        self.fh.flush()
        os.fsync(self.fh.fileno())
        self.fh.close()
        os.replace(self.tmp, self.path)

    def discard(self) -> None:
        if not self.fh.closed:
            self.fh.close()
        self.tmp.unlink(missing_ok=True)


class JsonlSink:
    def __init__(self, path: Path) -> None:
        self.file = AtomicFile(path)

    def write(self, rows: list[dict[str, Any]]) -> None:
        if rows:
            self.file.fh.write("".join(dumps(r) + "\n" for r in rows))

    def commit(self) -> None:
        self.file.commit()

    def discard(self) -> None:
        self.file.discard()


class ParquetSink:
    """Documents as Parquet, one row group per batch; `meta` is stored as a JSON string."""

    def __init__(self, path: Path) -> None:
        import pyarrow as pa
        import pyarrow.parquet as pq

        self.pa = pa
        self.schema = pa.schema(
            [
                (c, pa.int64() if c.startswith("paragraphs_") else pa.string())
                for c in RECORD_COLUMNS
            ]
        )
        self.file = AtomicFile(path, binary=True)
        self.writer = pq.ParquetWriter(self.file.fh, self.schema)

    def write(self, rows: list[dict[str, Any]]) -> None:
        if not rows:
            return
        columns = {c: [r.get(c) for r in rows] for c in RECORD_COLUMNS}
        columns["meta"] = [dumps(m) for m in columns["meta"]]
        self.writer.write_table(self.pa.table(columns, schema=self.schema))

    def commit(self) -> None:
        self.writer.close()
        self.file.commit()

    def discard(self) -> None:
        try:
            self.writer.close()
        finally:
            self.file.discard()


class OutputDir:
    """The files of one run. Write batches, then `finish()` (commit) or `abort()`."""

    def __init__(self, path: Path, fmt: str = "jsonl", audit: bool = True) -> None:
        self.path = path
        name = f"{DOCUMENTS}.{fmt}"
        self.files = [name, QUARANTINE] + ([REMOVED] if audit else [])
        self.removed: JsonlSink | None = None
        self.lock: int | None = None
        if path.exists() and not path.is_dir():
            raise InputError(f"cannot write output folder {path}: a file of that name exists")
        try:
            path.mkdir(parents=True, exist_ok=True)
            self.lock = _lock_folder(path)
            (path / MANIFEST).unlink(missing_ok=True)
            self.documents: JsonlSink | ParquetSink = (
                ParquetSink(path / name) if fmt == "parquet" else JsonlSink(path / name)
            )
            self.quarantine = JsonlSink(path / QUARANTINE)
            self.removed = JsonlSink(path / REMOVED) if audit else None
        except OSError as exc:
            self.abort()
            raise self._failed(exc) from None

    def write(
        self, records: list[dict[str, Any]], audit: list[dict[str, Any]], bad: list[Quarantined]
    ) -> None:
        try:
            self.documents.write(records)
            if self.removed is not None:
                self.removed.write(audit)
            self.quarantine.write([q.to_json() for q in bad])
        except OSError as exc:  # disk full, quota, the folder removed under us
            raise self._failed(exc) from None

    def finish(self, stats: dict[str, Any], manifest: dict[str, Any]) -> None:
        try:
            for sink in self._sinks():
                sink.commit()
            self._write_json(STATS, stats)
            self.remove_stale()
            self._write_json(MANIFEST, {**manifest, "files": sorted(self.files + [STATS])})
        except OSError as exc:
            self.abort()
            raise self._failed(exc) from None
        self._unlock()

    def _failed(self, exc: OSError) -> InputError:
        return InputError(f"cannot write output folder {self.path}: {_reason(exc, self.path)}")

    def abort(self) -> None:
        for sink in self._sinks():
            sink.discard()
        self._unlock()

    def _unlock(self) -> None:
        if self.lock is not None:
            os.close(self.lock)  # closing the descriptor releases the lock
            self.lock = None

    def remove_stale(self) -> None:
        """Delete our known output files this run did not write, and dead runs' temp files."""
        written = set(self.files) | {STATS, MANIFEST}
        for name in OUTPUT_NAMES:
            if name not in written:
                (self.path / name).unlink(missing_ok=True)
        for entry in self.path.iterdir():
            match = _TMP_RE.match(entry.name)
            if match and match["name"] in OUTPUT_NAMES and not _alive(int(match["pid"])):
                entry.unlink(missing_ok=True)

    def _sinks(self) -> list[JsonlSink | ParquetSink]:
        sinks = [getattr(self, name, None) for name in ("documents", "quarantine", "removed")]
        return [s for s in sinks if s is not None]

    def _write_json(self, name: str, obj: dict[str, Any]) -> None:
        f = AtomicFile(self.path / name)
        try:
            json.dump(
                _finite(obj), f.fh, ensure_ascii=False, indent=2, default=str, allow_nan=False
            )
            f.fh.write("\n")
            f.commit()
        except BaseException:
            f.discard()
            raise


def _lock_folder(path: Path) -> int | None:
    """Lock the output folder for this run (released when the process ends, however it
    ends): two runs writing one folder at once would leave a mix of both runs' files
    under one manifest. None where folders cannot be locked (no `fcntl`, e.g. Windows)."""
    try:
        import fcntl
    except ImportError:
        return None
    fd = os.open(path, os.O_RDONLY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise InputError(
            f"output folder {path} is being written by another cleankit run; wait for it "
            "or choose another folder"
        ) from None
    except OSError:  # a file system without locks: run unlocked, as before
        pass
    return fd


def _alive(pid: int) -> bool:
    """Whether process `pid` exists (then its temp files may belong to a running run)."""
    if pid == os.getpid():
        return False  # our own leftovers: every file of this run is committed by now
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except OSError:
        return True  # exists, owned by someone else
    return True


def _reason(exc: OSError, folder: Path) -> str:
    """`exc.strerror`, naming the file only when it is not the folder itself."""
    where = f" ({exc.filename})" if exc.filename and exc.filename != str(folder) else ""
    return f"{exc.strerror or type(exc).__name__}{where}"
