/* Optional compiled kernels for `dedup` (cleankit.plugins._dedup_native).
 *
 * Two loops that numpy can only express with several passes over large temporaries:
 * tokenising + hashing the characters of a batch, and MinHash over shingle hashes.
 * Both compute exactly what the numpy code in `_dedup_hashing.py` computes (same
 * constants, same wrap-around uint64/uint32 arithmetic), so decisions do not depend
 * on whether this module was built: `tests/test_dedup_native.py` checks them equal.
 * If the build fails (no C compiler), cleankit runs the numpy code instead.
 *
 * Arrays are passed as writable/readonly buffers (numpy arrays), sized by the caller.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>

#define BMP 0x10000u
#define PUA 0xE000u
#define PUA_SIZE 6400u

static inline uint64_t mix64(uint64_t x) {
    x ^= x >> 30;
    x *= 0xBF58476D1CE4E5B9ULL;
    x ^= x >> 27;
    x *= 0x94D049BB133111EBULL;
    return x ^ (x >> 31);
}

static int need(Py_buffer *b, Py_ssize_t items, Py_ssize_t itemsize, const char *name) {
    if (b->len < items * itemsize) {
        PyErr_Format(PyExc_ValueError, "%s: buffer too small", name);
        return 0;
    }
    return 1;
}

/* token_hashes(texts, char_values, prev_mult, hashes_out, counts_out) -> n_tokens
 *
 * For every text (one paragraph): its tokens (maximal runs of characters whose
 * char_values entry is non-zero; astral code points folded into the Private Use Area),
 * each hashed as mix64(sum_j char_values[c_j] * prev_mult[c_{j-1}]) where c_{-1} is a
 * newline; the number of tokens per text goes to counts_out. */
static PyObject *token_hashes(PyObject *self, PyObject *args) {
    PyObject *texts;
    Py_buffer values = {0}, mult = {0}, hashes = {0}, counts = {0};
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "O!y*y*w*w*", &PyList_Type, &texts, &values, &mult, &hashes,
                          &counts))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(texts);
    if (!need(&values, BMP, 8, "char_values") || !need(&mult, BMP, 8, "prev_mult") ||
        !need(&counts, n, 8, "counts"))
        goto done;
    const uint64_t *cv = values.buf, *pm = mult.buf;
    uint64_t *out = hashes.buf;
    int64_t *cnt = counts.buf;
    Py_ssize_t cap = hashes.len / 8, t = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *s = PyList_GET_ITEM(texts, i);
        if (!PyUnicode_Check(s)) {
            PyErr_SetString(PyExc_TypeError, "texts must be str");
            goto done;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(s);
        int kind = PyUnicode_KIND(s);
        const void *data = PyUnicode_DATA(s);
        if (cap - t < (len + 1) / 2) {
            PyErr_SetString(PyExc_ValueError, "hashes: buffer too small");
            goto done;
        }
        Py_ssize_t first = t;
        uint32_t prev = 10;
        uint64_t acc = 0;
        int in_word = 0;
        for (Py_ssize_t j = 0; j < len; j++) {
            uint32_t c = PyUnicode_READ(kind, data, j);
            if (c >= BMP) c = PUA + c % PUA_SIZE;
            uint64_t v = cv[c];
            if (v) {
                acc += v * pm[prev];
                in_word = 1;
            } else if (in_word) {
                out[t++] = mix64(acc);
                acc = 0;
                in_word = 0;
            }
            prev = c;
        }
        if (in_word) out[t++] = mix64(acc);
        cnt[i] = t - first;
    }
    result = PyLong_FromSsize_t(t);
done:
    PyBuffer_Release(&values);
    PyBuffer_Release(&mult);
    PyBuffer_Release(&hashes);
    PyBuffer_Release(&counts);
    return result;
}

/* The MinHash inner loops: one paragraph's signature, permutations innermost so that
 * the compiler vectorises them (with an AVX2 clone picked at run time where the CPU has
 * it: 8 multiplications per instruction). */
#if defined(__GNUC__) && defined(__x86_64__) && !defined(__clang__)
#define VECTOR_CLONES __attribute__((target_clones("avx2", "default")))
#else
#define VECTOR_CLONES
#endif

VECTOR_CLONES
static void signature(const uint32_t *restrict x, int64_t lo, int64_t hi,
                      const uint32_t *restrict pa, const uint32_t *restrict pb,
                      Py_ssize_t k, uint32_t *restrict row) {
    for (Py_ssize_t p = 0; p < k; p++) row[p] = UINT32_MAX;
    for (int64_t s = lo; s < hi; s++) {
        uint32_t v = x[s];
        for (Py_ssize_t p = 0; p < k; p++) {
            uint32_t h = pa[p] * v + pb[p];
            row[p] = h < row[p] ? h : row[p];
        }
    }
}

/* minhash(x, begin, end, a, b, sig_out) -> None
 *
 * sig_out[i, k] = min over x[begin[i]:end[i]] of (a[k] * x + b[k]) mod 2^32. */
static PyObject *minhash(PyObject *self, PyObject *args) {
    Py_buffer xs = {0}, begin = {0}, end = {0}, a = {0}, b = {0}, sig = {0};
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "y*y*y*y*y*w*", &xs, &begin, &end, &a, &b, &sig)) return NULL;
    Py_ssize_t n = begin.len / 8, k = a.len / 4, nx = xs.len / 4;
    if (!need(&end, n, 8, "end") || !need(&b, k, 4, "b") || !need(&sig, n * k, 4, "sig"))
        goto done;
    const uint32_t *x = xs.buf, *pa = a.buf, *pb = b.buf;
    const int64_t *lo = begin.buf, *hi = end.buf;
    uint32_t *out = sig.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        if (lo[i] < 0 || hi[i] > nx || lo[i] >= hi[i]) {
            PyErr_SetString(PyExc_ValueError, "minhash: empty or out-of-range paragraph");
            goto done;
        }
        signature(x, lo[i], hi[i], pa, pb, k, out + i * k);
    }
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&xs);
    PyBuffer_Release(&begin);
    PyBuffer_Release(&end);
    PyBuffer_Release(&a);
    PyBuffer_Release(&b);
    PyBuffer_Release(&sig);
    return result;
}

/* band_keys(sig, rows_per_band, salt, row_mult, band_salt, keys_out) -> None
 *
 * `_dedup_hashing.band_keys`: for paragraph i and band b, mix64(sum_r sig[i, b*R + r] *
 * row_mult[r] ^ band_salt[b] ^ salt[i] * golden) | 1, into keys_out[i * bands + b]. */
static PyObject *band_keys(PyObject *self, PyObject *args) {
    Py_buffer sig = {0}, salt = {0}, rmult = {0}, bsalt = {0}, keys = {0};
    Py_ssize_t width;
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "y*ny*y*y*w*", &sig, &width, &salt, &rmult, &bsalt, &keys))
        return NULL;
    Py_ssize_t n = salt.len / 8, rows = rmult.len / 8, bands = bsalt.len / 8;
    if (width < bands * rows || !need(&sig, n * width, 4, "sig") ||
        !need(&keys, n * bands, 8, "keys")) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "signature too narrow");
        goto done;
    }
    const uint32_t *sg = sig.buf;
    const uint64_t *sl = salt.buf, *rm = rmult.buf, *bs = bsalt.buf;
    uint64_t *out = keys.buf;
    for (Py_ssize_t i = 0; i < n; i++) {
        const uint32_t *row = sg + i * width;
        uint64_t salted = sl[i] * 0x9E3779B97F4A7C15ULL;
        for (Py_ssize_t b = 0; b < bands; b++) {
            uint64_t linear = 0;
            for (Py_ssize_t r = 0; r < rows; r++) linear += (uint64_t)row[b * rows + r] * rm[r];
            out[i * bands + b] = mix64(linear ^ bs[b] ^ salted) | 1;
        }
    }
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&sig);
    PyBuffer_Release(&salt);
    PyBuffer_Release(&rmult);
    PyBuffer_Release(&bsalt);
    PyBuffer_Release(&keys);
    return result;
}

/* The slot of `key` in an open-addressing table (linear probing from bits 17.. of the
 * key, as `KeyTable._home`): where it is, or the empty slot where it belongs. */
static inline uint64_t probe(const uint64_t *tk, uint64_t mask, uint64_t key) {
    uint64_t slot = (key >> 17) & mask;
    while (tk[slot] != key && tk[slot] != 0) slot = (slot + 1) & mask;
    return slot;
}

/* assign(keys, rows, table_keys, table_values, owners_out) -> number of new keys
 *
 * `KeyTable.assign` in one sequential pass: a key already in the table owns its stored
 * row; a key new to the table gets the smallest row that carries it in this call.
 * While the call runs, a slot claimed in it holds -(row + 2), so that later copies of
 * the key in the same call can lower it; the owners are read once every key is in. */
static PyObject *assign(PyObject *self, PyObject *args) {
    Py_buffer keys = {0}, rows = {0}, tkeys = {0}, tvalues = {0}, owners = {0};
    PyObject *result = NULL;
    if (!PyArg_ParseTuple(args, "y*y*w*w*w*", &keys, &rows, &tkeys, &tvalues, &owners))
        return NULL;
    Py_ssize_t n = keys.len / 8, cap = tkeys.len / 8;
    if (!need(&rows, n, 8, "rows") || !need(&tvalues, cap, 4, "table_values") ||
        !need(&owners, n, 8, "owners") || cap == 0 || (cap & (cap - 1))) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "table size: a power of two");
        goto done;
    }
    const uint64_t *k = keys.buf;
    const int64_t *r = rows.buf;
    uint64_t *tk = tkeys.buf, mask = (uint64_t)cap - 1;
    int32_t *tv = tvalues.buf;
    int64_t *own = owners.buf;
    Py_ssize_t fresh = 0;
    for (Py_ssize_t i = 0; i < n; i++) {
        uint64_t slot = probe(tk, mask, k[i]);
        int32_t claimed = (int32_t)(-(r[i] + 2));
        if (tk[slot] == 0) {  /* never full: the caller keeps the load <= 1/2 */
            tk[slot] = k[i];
            tv[slot] = claimed;
            fresh++;
        } else if (tv[slot] < 0 && claimed > tv[slot]) {
            tv[slot] = claimed;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) {  /* settle each claimed slot at its first key */
        uint64_t slot = probe(tk, mask, k[i]);
        if (tv[slot] < 0) tv[slot] = -tv[slot] - 2;
        own[i] = tv[slot];
    }
    result = PyLong_FromSsize_t(fresh);
done:
    PyBuffer_Release(&keys);
    PyBuffer_Release(&rows);
    PyBuffer_Release(&tkeys);
    PyBuffer_Release(&tvalues);
    PyBuffer_Release(&owners);
    return result;
}

static PyMethodDef methods[] = {
    {"assign", assign, METH_VARARGS,
     "assign(keys, rows, table_keys, table_values, owners_out) -> number of new keys"},
    {"token_hashes", token_hashes, METH_VARARGS,
     "token_hashes(texts, char_values, prev_mult, hashes_out, counts_out) -> n_tokens"},
    {"band_keys", band_keys, METH_VARARGS,
     "band_keys(sig, width, salt, row_mult, band_salt, keys_out) -> None"},
    {"minhash", minhash, METH_VARARGS, "minhash(x, begin, end, a, b, sig_out) -> None"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_dedup_native", "Compiled kernels for cleankit's dedup.", -1,
    methods,
};

PyMODINIT_FUNC PyInit__dedup_native(void) { return PyModule_Create(&module); }
