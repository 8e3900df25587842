"""Vectorised hashing for `dedup`: tokens, shingles, MinHash signatures and band keys.

Everything works on a whole batch of paragraphs at once, as flat numpy arrays, so the
per-paragraph cost is a handful of array operations rather than Python objects:

* the batch is joined into one string and read as an array of code points; a word
  character is a letter, mark or digit (Unicode categories L, M, N), so punctuation
  and whitespace never change a token, and the hash tables map case variants to the
  same values (no casefold pass);
* a token's hash is a character-bigram sum read off one prefix sum over the batch,
  finished with the splitmix64 mixer;
* a shingle (k consecutive tokens, or k consecutive characters of the normalised text)
  is a weighted sum of its parts, mixed again;
* MinHash uses k hash functions `a*x + b mod 2^32` over 32-bit shingle hashes,
  evaluated for all shingles of a chunk in one broadcast and reduced per paragraph
  with `np.minimum.reduceat`;
* a band key is a linear hash of the band's rows, salted by the band number and by the
  dedup scope (corpus, source or document), so one flat table serves all bands.
"""

from __future__ import annotations

import os
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from types import ModuleType

import numpy as np
from cleankit.plugins._dedup_workspace import Workspace
from numpy.typing import NDArray


def _load_native() -> ModuleType | None:
    """The compiled kernels (`_dedup_native.c`), unless they were not built or
    `CLEANKIT_NO_NATIVE` is set; the numpy code computes the same values."""
    if os.environ.get("CLEANKIT_NO_NATIVE"):
        return None
    try:
        from cleankit.plugins import _dedup_native
    except ImportError:
        return None
    return _dedup_native


NATIVE = _load_native()

U64 = NDArray[np.uint64]
I64 = NDArray[np.int64]
U32 = NDArray[np.uint32]

_BMP = 0x10000
_MAX_POS = 64  # per-position multipliers repeat after this many characters / tokens
_CHAR_CHUNK = 1 << 15  # characters hashed per slice (the slice's arrays stay in cache)
_SHINGLE_CHUNK = 1 << 13  # shingles per MinHash block (num_perm x 8192 x 4 B stays in cache)


def mix64(x: U64) -> U64:
    """splitmix64 finaliser: a cheap, well-mixing bijection on uint64."""
    x = x ^ (x >> np.uint64(30))
    x = x * np.uint64(0xBF58476D1CE4E5B9)
    x = x ^ (x >> np.uint64(27))
    x = x * np.uint64(0x94D049BB133111EB)
    return x ^ (x >> np.uint64(31))


_PUA = 0xE000  # astral code points are folded into the Private Use Area (word chars)
_PUA_SIZE = 6400


@lru_cache(maxsize=1)
def word_char_table() -> NDArray[np.bool_]:
    """True for BMP code points that belong to words: letters, marks, digits, and the
    Private Use Area (where astral characters are folded)."""
    table = np.array(
        [unicodedata.category(chr(c))[0] in "LMN" for c in range(_BMP)], dtype=np.bool_
    )
    table[_PUA : _PUA + _PUA_SIZE] = True
    return table


@lru_cache(maxsize=1)
def case_fold_table() -> NDArray[np.int64]:
    """For each BMP code point, the code point of its one-character casefold (itself when
    the casefold has several characters, as for 'ß'). Hashing through this table makes
    case variants equal without a casefold pass over the text."""
    folded = [chr(c).casefold() for c in range(_BMP)]
    return np.array([ord(f) if len(f) == 1 else c for c, f in enumerate(folded)], np.int64)


@dataclass(frozen=True)
class HashParams:
    """The random constants of one configuration (fixed by `seed`)."""

    char_values: U64  # per BMP code point: random, odd; 0 for non-word characters
    prev_mult: U64  # per BMP code point: random odd multiplier; 1 for non-word characters
    position_mult: U64  # odd multipliers per position inside a shingle / sequence
    perm_a: U64  # MinHash: odd multipliers, one per permutation
    perm_b: U64  # MinHash: offsets, one per permutation
    row_mult: U64  # band hashing: odd multipliers, one per row of a band
    band_salt: U64  # band hashing: one salt per band

    @classmethod
    def create(cls, seed: int, num_perm: int, rows: int, bands: int) -> HashParams:
        rng = np.random.default_rng(seed)

        def draw(n: int, odd: bool = False) -> U64:
            v = rng.integers(0, 2**64, size=n, dtype=np.uint64, endpoint=False)
            return v | np.uint64(1) if odd else v

        word = word_char_table()
        folded = case_fold_table()  # case variants share their random values
        return cls(
            char_values=np.where(word, draw(_BMP, odd=True)[folded], np.uint64(0)),
            prev_mult=np.where(word, draw(_BMP, odd=True)[folded], np.uint64(1)),
            position_mult=draw(_MAX_POS, odd=True),
            perm_a=draw(num_perm, odd=True),
            perm_b=draw(num_perm),
            row_mult=draw(rows, odd=True),
            band_salt=draw(bands),
        )


@dataclass
class Tokens:
    """The tokens of a batch: hash, paragraph, and per-paragraph token counts."""

    hashes: U64
    para: I64
    counts: I64
    exact: U64  # per paragraph: hash of the ordered token sequence
    # Where the tokens are in the text (char shingles need them; `chars=False` skips them):
    cps: U32 | None = None  # the batch as BMP code points (a workspace view)
    starts: I64 | None = None  # index in cps where each token starts
    ends: I64 | None = None  # index in cps after each token's last character


def tokenize(
    texts: list[str], params: HashParams, work: Workspace | None = None, chars: bool = True
) -> Tokens:
    """Tokenise and hash a batch of paragraphs (case-insensitive, punctuation dropped).

    No casefold pass: the hash tables give case variants the same values. A token's
    hash is the sum over its characters of `value[c_j] * mult[c_{j-1}]`
    (a character-bigram hash; `mult` is 1 after a non-word character, so the
    punctuation before a word does not change it), read off one prefix sum over the
    whole batch and mixed: a few passes over the characters, no Python object per
    token. Paragraphs are joined by a newline (not a word character), so no
    token spans two paragraphs; their boundaries come from their lengths. The
    per-character arrays live in `work` (reused across batches).

    With `chars=False` and the compiled kernel built, one C loop over the characters
    computes the same hashes (no token positions).
    """
    work = work or Workspace()
    if NATIVE is not None and not chars:
        return _tokenize_native(texts, params, work)
    n = len(texts)
    cps = _code_points("\n".join(texts), work)
    m = cps.size
    lengths = np.fromiter(map(len, texts), dtype=np.int64, count=n)
    para_start = np.cumsum(lengths + 1) - (lengths + 1)
    prefix, word = _prefix_sums(cps, params, work)
    change = work.get("change", max(m - 1, 0), np.bool_)
    np.not_equal(word[1:], word[:-1], out=change)
    edges = np.flatnonzero(change) + 1
    if word.size and word[0]:
        edges = np.r_[0, edges]
    if edges.size % 2:
        edges = np.r_[edges, word.size]
    starts, ends = edges[0::2], edges[1::2]
    hashes = mix64(prefix[ends] - prefix[starts])
    first_token = np.searchsorted(starts, para_start)
    counts = np.diff(first_token, append=starts.size).astype(np.int64)
    para = np.repeat(np.arange(n, dtype=np.int64), counts)
    exact = _sequence_hash(hashes, para, counts, params)
    return Tokens(hashes, para, counts, exact, cps, starts, ends)


def _tokenize_native(texts: list[str], params: HashParams, work: Workspace) -> Tokens:
    assert NATIVE is not None
    n = len(texts)
    bound = sum(map(len, texts)) // 2 + n  # at most one token per two characters (+1 each)
    hashes = work.get("token_hashes", bound, np.uint64)
    counts = np.empty(n, dtype=np.int64)
    ntok = NATIVE.token_hashes(texts, params.char_values, params.prev_mult, hashes, counts)
    hashes = hashes[:ntok].copy()
    para = np.repeat(np.arange(n, dtype=np.int64), counts)
    return Tokens(hashes, para, counts, _sequence_hash(hashes, para, counts, params))


def _prefix_sums(cps: U32, params: HashParams, work: Workspace) -> tuple[U64, NDArray[np.bool_]]:
    """Prefix sums of `value[c_j] * mult[c_{j-1}]` over the batch, and the word mask.

    Computed in slices of `_CHAR_CHUNK` characters so that the gathered values stay in
    cache: only the prefix sums and the mask are written for the whole batch."""
    m = cps.size
    prefix = work.get("prefix", m + 1, np.uint64)
    prefix[0] = 0
    word = work.get("word", m, np.bool_)
    index = work.get("index", min(m, _CHAR_CHUNK) + 1, np.intp)  # faster than uint32
    values = work.get("values", min(m, _CHAR_CHUNK), np.uint64)
    mult = work.get("mult", min(m, _CHAR_CHUNK), np.uint64)
    index[0] = 10  # before the batch: a newline, not a word character (multiplier 1)
    for start in range(0, m, _CHAR_CHUNK):
        end = min(start + _CHAR_CHUNK, m)
        n = end - start
        if start:
            index[0] = cps[start - 1]
        index[1 : n + 1] = cps[start:end]
        chunk = values[:n]
        np.take(params.char_values, index[1 : n + 1], out=chunk)
        np.take(params.prev_mult, index[:n], out=mult[:n])
        chunk *= mult[:n]
        np.not_equal(chunk, 0, out=word[start:end])
        np.cumsum(chunk, out=prefix[start + 1 : end + 1])
        prefix[start + 1 : end + 1] += prefix[start]
    return prefix, word


def _code_points(text: str, work: Workspace) -> U32:
    """The text as BMP code points (astral ones folded into the Private Use Area), in a
    workspace buffer: numpy copies a str's code points into a unicode view of it (3x
    faster than `str.encode("utf-32")`, and no new bytes object per batch)."""
    m = len(text)
    cps = work.get("cps", m, np.uint32)
    if m == 0:
        return cps
    cps.view(f"<U{m}")[0] = text  # lone surrogates are copied as they are
    if int(cps.max()) >= _BMP:
        astral = np.flatnonzero(cps >= _BMP)
        cps[astral] = _PUA + cps[astral] % np.uint32(_PUA_SIZE)
    return cps


def _sequence_hash(hashes: U64, para: I64, counts: I64, params: HashParams) -> U64:
    """Order-sensitive hash of each paragraph's token sequence (the exact-match key)."""
    first = np.cumsum(counts) - counts
    pos = (np.arange(para.size) - first[para]) & (_MAX_POS - 1)
    weighted = mix64(hashes + pos.astype(np.uint64)) * params.position_mult[pos]
    out = np.zeros(counts.size, dtype=np.uint64)
    nonempty = counts > 0
    out[nonempty] = np.add.reduceat(weighted, first[nonempty])
    return mix64(out) | np.uint64(1)


def _normalised_chars(tokens: Tokens) -> tuple[U32, I64]:
    """Word characters with one space after each token; the paragraph of each character
    (-1 for the space that ends a paragraph, so no shingle spans two paragraphs)."""
    assert tokens.cps is not None and tokens.starts is not None and tokens.ends is not None
    lengths = tokens.ends - tokens.starts
    ntok, nchars = lengths.size, int(lengths.sum())
    if ntok == 0:  # a batch without a single word (only separators, say)
        return np.zeros(0, np.uint32), np.zeros(0, np.int64)
    before = np.cumsum(lengths) - lengths
    tok = np.repeat(np.arange(ntok), lengths)
    src = tokens.starts[tok] + np.arange(nchars) - before[tok]
    chars = np.full(nchars + ntok, 32, dtype=np.uint32)
    chars[np.arange(nchars) + tok] = tokens.cps[src]
    char_para = np.repeat(tokens.para, lengths + 1)
    last_of_para = np.r_[tokens.para[1:] != tokens.para[:-1], True]
    char_para[(before + lengths + np.arange(ntok))[last_of_para]] = -1
    return chars, char_para


def word_shingles(tokens: Tokens, size: int, params: HashParams) -> tuple[U64, I64]:
    """Hashes of every run of `size` consecutive tokens within a paragraph."""
    return _windows(tokens.hashes, tokens.para, size, params)


def char_shingles(tokens: Tokens, size: int, params: HashParams) -> tuple[U64, I64]:
    """Hashes of every run of `size` characters of the normalised paragraph text."""
    chars, char_para = _normalised_chars(tokens)
    values = params.char_values[chars]
    values[chars == 32] = np.uint64(0x9E3779B97F4A7C15)  # the space between words
    return _windows(values, char_para, size, params)


def _windows(values: U64, para: I64, size: int, params: HashParams) -> tuple[U64, I64]:
    m = values.size - size + 1
    if m <= 0:
        return np.zeros(0, np.uint64), np.zeros(0, np.int64)
    acc = values[:m] * params.position_mult[0]
    for t in range(1, size):
        acc = acc + values[t : t + m] * params.position_mult[t % _MAX_POS]
    valid = (para[:m] == para[size - 1 :]) & (para[:m] >= 0)
    return mix64(acc[valid]), para[:m][valid]


def minhash(
    shingles: U64, shingle_para: I64, paras: I64, params: HashParams, work: Workspace | None = None
) -> U32:
    """MinHash signatures (len(paras), num_perm) of the listed paragraphs.

    `shingle_para` must be sorted and every listed paragraph must have a shingle. The
    permutations are `a*x + b mod 2^32` (a odd) over the high 32 bits of the shingle
    hash: already uniformly random, so these match 64-bit universal hashing in
    estimation error (checked empirically) while numpy runs them 3-5x faster. The
    (perm, shingle) matrix is laid out permutation-major, in chunks that fit in cache.
    """
    k = params.perm_a.size
    sig = np.empty((paras.size, k), dtype=np.uint32)
    if paras.size == 0:
        return sig
    x = (shingles >> np.uint64(32)).astype(np.uint32)
    a = (params.perm_a.astype(np.uint32) | np.uint32(1))[:, None]
    b = (params.perm_b >> np.uint64(32)).astype(np.uint32)[:, None]
    begin = np.searchsorted(shingle_para, paras, side="left")
    end = np.searchsorted(shingle_para, paras, side="right")
    if NATIVE is not None:
        NATIVE.minhash(x, begin, end, a.ravel(), b.ravel(), sig)
        return sig
    work = work or Workspace()
    lengths = end - begin
    cum = np.cumsum(lengths)
    i = 0
    while i < paras.size:
        j = int(np.searchsorted(cum, cum[i] - lengths[i] + _SHINGLE_CHUNK, side="right"))
        j = max(j, i + 1)
        xs = x[_ranges(begin[i:j], end[i:j])]
        block = work.get("minhash", k * xs.size, np.uint32).reshape(k, xs.size)
        np.multiply(a, xs[None, :], out=block)
        block += b
        offsets = np.cumsum(lengths[i:j]) - lengths[i:j]
        sig[i:j] = np.minimum.reduceat(block, offsets, axis=1).T
        i = j
    return sig


def _ranges(begin: I64, end: I64) -> I64:
    """Concatenation of arange(begin[i], end[i]) for all i (vectorised)."""
    lengths = end - begin
    total = int(lengths.sum())
    if total == 0:
        return np.zeros(0, np.int64)
    offsets = np.cumsum(lengths) - lengths
    return np.arange(total) - np.repeat(offsets - begin, lengths)


def band_keys(sig: U32, bands: int, rows: int, salt: U64, params: HashParams) -> U64:
    """(n, bands) uint64 keys; never 0 (0 marks an empty slot of the key table)."""
    n = sig.shape[0]
    if NATIVE is not None:
        assert params.row_mult.size == rows and params.band_salt.size == bands
        keys = np.empty((n, bands), dtype=np.uint64)
        sig = np.ascontiguousarray(sig)
        NATIVE.band_keys(
            sig, sig.shape[1], np.ascontiguousarray(salt), params.row_mult, params.band_salt, keys
        )
        return keys
    parts = sig[:, : bands * rows].reshape(n, bands, rows).astype(np.uint64)
    linear = (parts * params.row_mult[None, None, :]).sum(axis=2, dtype=np.uint64)
    salted = linear ^ params.band_salt[None, :] ^ (salt[:, None] * np.uint64(0x9E3779B97F4A7C15))
    return mix64(salted) | np.uint64(1)


def exact_keys(exact: U64, salt: U64) -> U64:
    """Exact-match keys of paragraphs (normalised token sequence, salted by scope)."""
    return mix64(exact ^ mix64(salt + np.uint64(0x5851F42D4C957F2D))) | np.uint64(1)
