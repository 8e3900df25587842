"""Turning bytes into text: UTF-8 first, a detected charset otherwise, binary refused."""

from __future__ import annotations

from dataclasses import dataclass

import charset_normalizer

_SNIFF = 8192
# Bytes that do not occur in text files (NUL and most C0 controls; tab, LF, FF, CR, ESC are
# allowed). A text file in any 8-bit charset has few; an image or archive has many.
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))


@dataclass(slots=True)
class Decoded:
    text: str | None
    charset: str | None
    problem: str | None = None  # reason code when text is None


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any charset: NUL bytes, or >10% control bytes."""
    head = data[:_SNIFF]
    if not head:
        return False
    if b"\x00" in head and not _is_utf16(head):
        return True
    controls = len(head) - len(head.translate(None, _BINARY_BYTES))
    return controls / len(head) > 0.10


def _is_utf16(head: bytes) -> bool:
    return head.startswith((b"\xff\xfe", b"\xfe\xff"))


def decode_bytes(data: bytes) -> Decoded:
    """Decode `data`: strict UTF-8 (BOM stripped), else the charset charset-normalizer
    finds; binary data and undecodable data give `text=None` and a reason."""
    if data.startswith(b"\xef\xbb\xbf"):
        data = data[3:]
    if looks_binary(data):
        return Decoded(None, None, "binary")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        return Decoded(None, None, "undecodable")
    return Decoded(str(best), best.encoding)
