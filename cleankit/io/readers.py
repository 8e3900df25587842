"""Built-in corpus readers (a plugin like any other): `.txt`, JSONL (plain, gzip, zstd), Parquet.

Every reader streams: JSONL is read line by line with a length cap, so one huge line cannot
exhaust memory; Parquet is read in record batches. Bad input becomes `Quarantined` entries
with file and line, and reading goes on with the next record.
"""

from __future__ import annotations

import gzip
import io
import json
import math
import numbers
import re
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any
from urllib.parse import urlsplit

from cleankit.config import Settings
from cleankit.hookspecs import hookimpl
from cleankit.io.decode import Decoded, decode_bytes
from cleankit.io.records import Quarantined, ReadResult, Record

JSONL_SUFFIXES = (".jsonl", ".jsonl.gz", ".jsonl.zst", ".ndjson")
SUPPORTED = (".txt", *JSONL_SUFFIXES, ".parquet")


def supported(path: Path) -> bool:
    return path.name.lower().endswith(SUPPORTED)


@hookimpl(trylast=True)
def cleankit_open_corpus(path: Path, root: Path, config: Settings) -> Iterator[ReadResult] | None:
    name = path.name.lower()
    if name.endswith(".txt"):
        return iter([read_txt(path, root, config)])
    if name.endswith(JSONL_SUFFIXES):
        return read_jsonl(path, config)
    if name.endswith(".parquet"):
        return read_parquet(path, config)
    return None


def read_txt(path: Path, root: Path, config: Settings) -> ReadResult:
    """One `.txt` file is one document; its id is the path below `root`, no extension."""
    rel = path.relative_to(root) if path != root else Path(path.name)
    doc_id = path_text(rel.with_suffix("").as_posix())
    where = path_text(str(path))
    try:
        size = path.stat().st_size
        if size > config.input.max_doc_bytes:
            return Quarantined(where, "too-large", _too_large(size, config), id=doc_id)
        data = path.read_bytes()
    except OSError as exc:  # removed or locked since the run started
        return Quarantined(where, "unreadable", f"cannot read the file: {exc.strerror}", id=doc_id)
    decoded = decode_bytes(data)
    if decoded.text is None:
        return _not_text(where, decoded, doc_id)
    if not decoded.text.strip():
        return Quarantined(where, "empty", "the file holds no text", id=doc_id)
    return Record(doc_id, decoded.text, where, meta={"charset": decoded.charset})


def path_text(raw: str) -> str:
    """A file path as valid text, for ids and `input` fields.

    A file name that is not valid UTF-8 reaches Python with its undecodable bytes as lone
    surrogates (PEP 383), which no UTF-8 writer accepts. Each such byte is written as a
    visible escape, `caf\\xe9.txt`, instead of U+FFFD: names that differ only there keep
    distinct ids, and the escape shows which byte it was.
    """
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")


def _too_large(size: int, config: Settings) -> str:
    limit = config.input.max_doc_bytes
    return f"{size} bytes is over input.max_doc_bytes={limit}"


def _not_text(where: str, decoded: Decoded, doc_id: str | None = None) -> Quarantined:
    """Quarantine entry for bytes that are binary or decode in no known charset."""
    reason = decoded.problem or "undecodable"
    detail = "binary data, not text" if reason == "binary" else "not text in any known charset"
    return Quarantined(where, reason, detail, id=doc_id)


def _open_binary(path: Path) -> IO[bytes]:
    name = path.name.lower()
    if name.endswith(".gz"):
        return gzip.open(path, "rb")  # type: ignore[return-value]
    if name.endswith(".zst"):
        return io.BufferedReader(_ZstdFile(path.open("rb")))
    return path.open("rb")


class _ZstdFile(io.RawIOBase):
    """Reads a .zst file of one or more frames and fails loudly like gzip does.

    zstandard's `stream_reader` ends silently at a truncated frame and raises `ZstdError`
    (not an OSError) on garbage, so both escaped the reader's quarantine. Here corrupt data
    raises OSError, and input that ends inside a frame raises EOFError.
    """

    _CHUNK = 1 << 16

    def __init__(self, raw: IO[bytes]) -> None:
        import zstandard

        self._raw = raw
        self._zstd = zstandard
        self._dobj = zstandard.ZstdDecompressor().decompressobj()
        self._in_frame = False  # bytes of an unfinished frame have been fed
        self._pending = b""

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        while not self._pending:
            chunk = self._raw.read(self._CHUNK)
            if not chunk:
                if self._in_frame:
                    raise EOFError("compressed file ended before the end of a zstd frame")
                return 0
            self._pending = self._feed(chunk)
        size = min(len(buffer), len(self._pending))
        buffer[:size] = self._pending[:size]
        self._pending = self._pending[size:]
        return size

    def _feed(self, chunk: bytes) -> bytes:
        """Decompress `chunk`, starting a new decompressor at each frame boundary."""
        out = []
        while chunk:
            try:
                out.append(self._dobj.decompress(chunk))
            except self._zstd.ZstdError as exc:
                raise OSError(f"corrupt zstd data: {exc}") from exc
            self._in_frame = not self._dobj.eof
            chunk = self._dobj.unused_data if self._dobj.eof else b""
            if self._dobj.eof:
                self._dobj = self._zstd.ZstdDecompressor().decompressobj()
        return b"".join(out)

    def close(self) -> None:
        self._raw.close()
        super().close()


def read_jsonl(path: Path, config: Settings) -> Iterator[ReadResult]:
    """Stream a JSONL file; a bad line is quarantined with its line number."""
    limit = config.input.max_doc_bytes
    shown, stem = path_text(str(path)), path_text(path.stem)
    try:
        with _open_binary(path) as fh:
            for lineno, line, too_long in _capped_lines(fh, limit):
                where = f"{shown}:{lineno}"
                if too_long:
                    yield Quarantined(
                        where, "too-large", f"line is over input.max_doc_bytes={limit}"
                    )
                elif line.strip():
                    yield _parse_json_line(line, where, stem, lineno, config)
    except (OSError, EOFError, ValueError) as exc:  # truncated gzip, bad zstd frame, ...
        yield Quarantined(shown, "unreadable", f"stopped reading: {type(exc).__name__}: {exc}")


def _capped_lines(fh: IO[bytes], limit: int) -> Iterator[tuple[int, bytes, bool]]:
    """Yield (line number, line, too_long); a line over `limit` is skipped, not loaded."""
    lineno = 0
    while True:
        line = fh.readline(limit + 1)
        if not line:
            return
        lineno += 1
        if len(line) > limit and not line.endswith(b"\n"):
            while line and not line.endswith(b"\n"):
                line = fh.readline(1 << 20)
            yield lineno, b"", True
            continue
        yield lineno, line, False


def _parse_json_line(
    line: bytes, where: str, stem: str, lineno: int, config: Settings
) -> ReadResult:
    decoded = decode_bytes(line)
    if decoded.text is None:
        return _not_text(where, decoded)
    try:
        obj = json.loads(decoded.text)
    except json.JSONDecodeError as exc:
        return Quarantined(
            where, "bad-json", f"invalid JSON: {exc}", content=decoded.text.rstrip("\n")
        )
    if not isinstance(obj, dict):
        return Quarantined(
            where, "bad-json", "a JSON line must be an object", content=decoded.text.rstrip("\n")
        )
    record = record_from_mapping(obj, where, f"{stem}:{lineno}", config, decoded.charset)
    return _without_lone_surrogates(record, line)


# A JSON \\uXXXX escape of a surrogate (D800-DFFF); pairs combine, lone ones stay surrogates.
_SURROGATE_ESCAPE = re.compile(rb"\\u[dD][89abcdefABCDEF]")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _without_lone_surrogates(result: ReadResult, line: bytes) -> ReadResult:
    """Replace lone surrogates (from JSON escapes like `\\ud800`) with U+FFFD.

    They are not Unicode text and would crash every UTF-8 writer later. The record is kept;
    `meta["replaced_surrogates"]` counts the replacements. A cheap regex on the raw line
    skips the work for the usual line that has no surrogate escape at all.
    """
    if not _SURROGATE_ESCAPE.search(line):
        return result
    count = [0]
    if isinstance(result, Record):
        result.id = _scrub(result.id, count)
        result.text = _scrub(result.text, count)
        result.source = _scrub(result.source, count)
        result.extra = _scrub(result.extra, count)
        if count[0]:
            result.meta["replaced_surrogates"] = count[0]
    else:
        result.id = _scrub(result.id, count)
        result.content = _scrub(result.content, count)
    return result


def _scrub(value: Any, count: list[int]) -> Any:
    """`value` with lone surrogates in every string (nested too) replaced by U+FFFD."""
    if isinstance(value, str):
        fixed, replaced = _LONE_SURROGATE.subn("\ufffd", value)
        count[0] += replaced
        return fixed
    if isinstance(value, dict):
        return {_scrub(k, count): _scrub(v, count) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v, count) for v in value]
    return value


def record_from_mapping(
    obj: dict[str, Any], where: str, fallback_id: str, config: Settings, charset: str | None = None
) -> ReadResult:
    """Turn a JSON object or Parquet row into a Record, or quarantine it with the reason."""
    opts = config.input
    text = obj.get(opts.text_field)
    raw_id = obj.get(opts.id_field)
    if not _usable_id(raw_id):
        detail = (
            f"field {opts.id_field!r} is a {type(raw_id).__name__}; an id is a string or a "
            "number (choose the field with --id-field)"
        )
        return Quarantined(where, "bad-id", detail, content=_dump(obj))
    doc_id = fallback_id if _missing_id(raw_id) else str(raw_id)
    if not isinstance(text, str):
        what = "missing" if text is None else f"not a string ({type(text).__name__})"
        detail = f"field {opts.text_field!r} is {what} (choose the field with --text-field)"
        return Quarantined(where, "missing-field", detail, id=doc_id, content=_dump(obj))
    if not text.strip():
        return Quarantined(where, "empty", f"field {opts.text_field!r} is empty", id=doc_id)
    if _utf8_size_over(text, opts.max_doc_bytes):
        return Quarantined(
            where, "too-large", f"text is over input.max_doc_bytes={opts.max_doc_bytes}", id=doc_id
        )
    source, from_field = _source(obj, opts.source_field)
    # A source field we could not use (a list, an object) stays with the other fields.
    taken = {opts.text_field, opts.id_field} | ({opts.source_field} if from_field else set())
    extra = {k: v for k, v in obj.items() if k not in taken}
    meta = {"charset": charset} if charset and charset != "utf-8" else {}
    return Record(doc_id, text, where, source=source, meta=meta, extra=extra)


def _utf8_size_over(text: str, limit: int) -> bool:
    """Whether `text` takes more than `limit` bytes as UTF-8 (encoded only when it may)."""
    if len(text) > limit:
        return True
    if len(text) * 4 <= limit:
        return False
    return len(text.encode("utf-8", "surrogatepass")) > limit


def _missing_id(raw: Any) -> bool:
    """No id: absent, null, empty, or a pandas gap (NaN, `pd.NA`, `pd.NaT`)."""
    if raw is None:
        return True
    if isinstance(raw, str):  # the usual case: no further checks
        return not raw
    if isinstance(raw, float):
        return math.isnan(raw)
    return type(raw).__name__ in ("NAType", "NaTType")


def _usable_id(raw: Any) -> bool:
    """Strings and numbers make ids; `true`, objects and lists do not (their Python
    spelling, `True` or `{'a': 1}`, is no id anyone would look up)."""
    if type(raw) is str:  # the usual case, first
        return True
    if isinstance(raw, (bool, complex)):
        return False
    return _missing_id(raw) or isinstance(raw, (str, numbers.Number))


def _source(obj: dict[str, Any], field: str) -> tuple[str | None, bool]:
    """The document's source, and whether it came from `field` (else from the url's host,
    or none). A number is spelled as a string, as ids are."""
    value = obj.get(field)
    if isinstance(value, str) and value:
        return value, True
    if value is None or (isinstance(value, str) and not value):
        from_field = field in obj  # null or "": no source, nothing lost
    elif _usable_id(value) and not _missing_id(value):
        return str(value), True
    else:
        from_field = False
    url = obj.get("url")
    if isinstance(url, str) and url:
        host = urlsplit(url).hostname or ""
        return host.removeprefix("www.") or None, from_field
    return None, from_field


def _dump(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False, default=str)


def read_parquet(path: Path, config: Settings) -> Iterator[ReadResult]:
    """Stream a Parquet file in record batches."""
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except Exception as exc:  # pyarrow raises several types for corrupt files
        yield Quarantined(path_text(str(path)), "unreadable", f"not a readable Parquet file: {exc}")
        return
    row = 0
    shown, stem = path_text(str(path)), path_text(path.stem)
    for batch in pf.iter_batches(batch_size=config.pipeline.batch_size):
        for obj in batch.to_pylist():
            row += 1
            where = f"{shown}:row {row}"
            yield record_from_mapping(obj, where, f"{stem}:{row}", config)
