"""Turning bytes into text: Unicode BOMs first, UTF-8, a detected charset otherwise, binary refused.

Order of the checks, and why:

1. A UTF-32 / UTF-16 byte order mark says how the text is encoded; it is read before the
   binary test, because UTF-16 text is full of NUL bytes.
2. UTF-16 without a BOM is recognised only in its simplest, safe form: (nearly) every high
   byte is NUL and no low byte is (Latin-1-range text such as English, German or French).
   Anything else with NUL bytes stays `binary`.
3. Strict UTF-8 (a UTF-8 BOM is stripped).
4. charset-normalizer's guess, corrected among Latin code pages (see `latin_choice`).
"""

from __future__ import annotations

import codecs
from dataclasses import dataclass

import charset_normalizer

_SNIFF = 8192
# Bytes that do not occur in text files (NUL and most C0 controls; tab, LF, FF, CR, ESC are
# allowed). A text file in any 8-bit charset has few; an image or archive has many.
_BINARY_BYTES = bytes(b for b in range(32) if b not in (9, 10, 12, 13, 27))
_BINARY_CHARS = {b: None for b in _BINARY_BYTES}
# Longest first: the UTF-32-LE BOM begins with the UTF-16-LE one.
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)


@dataclass(slots=True)
class Decoded:
    text: str | None
    charset: str | None
    problem: str | None = None  # reason code when text is None


def looks_binary(data: bytes) -> bool:
    """True for data that is not text in any 8-bit charset: NUL bytes, or >10% control bytes."""
    head = data[:_SNIFF]
    if not head:
        return False
    if b"\x00" in head:
        return True
    controls = len(head) - len(head.translate(None, _BINARY_BYTES))
    return controls / len(head) > 0.10


def _text_is_binary(text: str) -> bool:
    """The same test as `looks_binary`, on text decoded from a wide (16/32-bit) encoding."""
    head = text[:_SNIFF]
    if not head:
        return False
    return (len(head) - len(head.translate(_BINARY_CHARS))) / len(head) > 0.10


def decode_bytes(data: bytes) -> Decoded:
    """Decode `data` (see the module docstring for the order of the checks); binary data and
    undecodable data give `text=None` and a reason code (`binary`, `undecodable`)."""
    wide = _decode_wide(data)
    if wide is not None:
        return wide
    if data.startswith(codecs.BOM_UTF8):
        data = data[3:]
    if looks_binary(data):
        return Decoded(None, None, "binary")
    try:
        return Decoded(data.decode("utf-8"), "utf-8")
    except UnicodeDecodeError:
        pass
    results = charset_normalizer.from_bytes(data)
    best = results.best()
    if best is None:
        return Decoded(None, None, "undecodable")
    better = latin_choice(data, best, list(results))
    if better is not None:
        return Decoded(better[1], better[0])
    return Decoded(str(best), best.encoding)


def _decode_wide(data: bytes) -> Decoded | None:
    """UTF-32/UTF-16 by BOM, or BOM-less UTF-16 of the simple kind; None when neither."""
    charset = next((name for bom, name in _BOMS if data.startswith(bom)), None)
    if charset is None:
        charset = _bomless_utf16(data)
    if charset is None:
        return None
    try:
        text = data.decode(charset)
    except UnicodeDecodeError:
        return Decoded(None, None, "undecodable")
    if _text_is_binary(text):
        return Decoded(None, None, "binary")
    return Decoded(text, charset)


def _bomless_utf16(data: bytes) -> str | None:
    """`utf-16-le`/`utf-16-be` for the regular NUL pattern of Latin-1-range text: no low byte
    is NUL and at least 90% of high bytes are (the rest: quotes, dashes, euro signs...).
    Other UTF-16 without a BOM stays undetected, which is the safe side."""
    if len(data) < 4 or len(data) % 2 or data.find(b"\x00", 0, _SNIFF) < 0:
        return None
    head = data[:_SNIFF]
    even, odd = head[0::2], head[1::2]
    if _mostly_nul(even) and b"\x00" not in odd:
        return "utf-16-be"
    if _mostly_nul(odd) and b"\x00" not in even:
        return "utf-16-le"
    return None


def _mostly_nul(high_bytes: bytes) -> bool:
    return high_bytes.count(0) >= 0.9 * len(high_bytes)


# --- choosing among Latin code pages -----------------------------------------------------

# Single-byte code pages for Latin-script text; the detector often cannot tell them apart on
# short text (French Latin-1 came out as cp1250: "élčve ŕ Paris").
_LATIN_CODEPAGES = frozenset(
    "latin_1 cp1250 cp1252 cp1254 cp1257 cp1258 cp437 cp775 cp850 cp852 cp857 cp858 cp860 "
    "cp861 cp863 cp865 hp_roman8 mac_iceland mac_latin2 mac_roman mac_turkish iso8859_2 "
    "iso8859_3 iso8859_4 iso8859_9 iso8859_10 iso8859_13 iso8859_14 iso8859_15 "
    "iso8859_16".split()
)
# How much more "chaos" (charset-normalizer's mess ratio) a candidate may have than the best
# guess and still count as a tie.
_CHAOS_TIE = 0.03
# When no close candidate reads as any language (and cp1252 is not among them), a candidate
# this much messier may still be taken if its letters fit an alphabet (Czech ISO-8859-2 came
# out as iso8859_10, with the right page at +0.04).
_CHAOS_WIDE = 0.1
# Letters beyond ASCII of European Latin-script languages (general knowledge, lower case).
# A decoding whose letters all belong to one alphabet is plausible; "jövõre" (Hungarian
# read as cp1252) or "élčve" (French read as cp1250) belong to none.
_ALPHABETS = tuple(
    frozenset(letters)
    for letters in (
        "àâæçéèêëîïôœùûüÿ",  # French
        "äöüß",  # German
        "áéíóúüñºª",  # Spanish
        "áâãàçéêíóôõúºª",  # Portuguese
        "àèéìíîòóùúºª",  # Italian
        "àçèéíïòóúü",  # Catalan
        "áéíóúàèëïöüäê",  # Dutch
        "æøåéó",  # Danish, Norwegian
        "åäöéšž",  # Swedish, Finnish
        "áðéíóúýþæö",  # Icelandic
        "äöõüšž",  # Estonian
        "áčďéěíňóřšťúůýž",  # Czech
        "áäčďéíĺľňóôŕšťúýž",  # Slovak
        "ąćęłńóśźż",  # Polish
        "áéíóöőúüű",  # Hungarian
        "ăâîșşțţ",  # Romanian
        "čćđšž",  # Croatian, Slovene, Bosnian, Serbian Latin
        "çë",  # Albanian
        "çğıöşüâîû",  # Turkish
        "ąčęėįšųūž",  # Lithuanian
        "āčēģīķļņšūž",  # Latvian
    )
)
_ANY_LANGUAGE = frozenset("µ")


def latin_choice(
    data: bytes,
    best: charset_normalizer.CharsetMatch,
    matches: list[charset_normalizer.CharsetMatch],
) -> tuple[str, str] | None:
    """(charset, text) to use instead of `best`, or None to keep it.

    Only when `best` is a Latin code page: among the detector's candidates with about as
    little chaos, take the first whose letters fit one European alphabet, trying windows-1252
    first (the de-facto legacy web encoding: WHATWG maps latin-1 and ascii labels to it), then
    the detector's order. When none fits (mixed-language text), windows-1252 still wins if it
    is a candidate; failing that, a plausible candidate up to `_CHAOS_WIDE` away. A genuine
    cp1250 Czech or Polish text does not decode as a plausible cp1252 one: it stays cp1250.
    """
    if best.encoding not in _LATIN_CODEPAGES:
        return None
    decodings = _decodings(data, _tied_latin_charsets(best, matches, _CHAOS_TIE))
    plausible = [(name, text) for name, text in decodings if _fits_one_alphabet(text)]
    chosen = plausible[0] if plausible else _cp1252_in(decodings)
    if chosen is None:  # nothing close fits: look a little further for a plausible reading
        wider = _decodings(data, _tied_latin_charsets(best, matches, _CHAOS_WIDE))
        chosen = next(((n, t) for n, t in wider if _fits_one_alphabet(t)), None)
    if chosen is None or chosen[0] == best.encoding:
        return None
    return chosen


def _decodings(data: bytes, charsets: list[str]) -> list[tuple[str, str]]:
    return [(name, text) for name in charsets if (text := _strict(data, name)) is not None]


def _cp1252_in(decodings: list[tuple[str, str]]) -> tuple[str, str] | None:
    return next(((n, t) for n, t in decodings if n == "cp1252"), None)


def _tied_latin_charsets(
    best: charset_normalizer.CharsetMatch,
    matches: list[charset_normalizer.CharsetMatch],
    tie: float,
) -> list[str]:
    """Latin code pages that decode about as cleanly as `best`: cp1252 first, then `best`,
    then the others in the detector's order (aliases that give the same text included)."""
    names: list[str] = []
    for match in [best, *matches]:
        if match.chaos > best.chaos + tie:
            continue
        for name in [match.encoding, *match.could_be_from_charset]:
            if name in _LATIN_CODEPAGES and name not in names:
                names.append(name)
    if "cp1252" in names:
        names.remove("cp1252")
        names.insert(0, "cp1252")
    return names


def _strict(data: bytes, charset: str) -> str | None:
    try:
        return data.decode(charset)
    except UnicodeDecodeError:
        return None


def _fits_one_alphabet(text: str) -> bool:
    letters = {c for c in text.lower() if c.isalpha() and not c.isascii()} - _ANY_LANGUAGE
    return any(letters <= alphabet for alphabet in _ALPHABETS)
