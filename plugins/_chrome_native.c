/* Optional compiled page pass for `chrome` (cleankit.plugins._chrome_native).
 *
 * `measure(...)` walks a page's code points once (the lines joined by `\n`, and the same
 * page lower-cased) and computes, per line, what `_chrome_fast_page` computes with numpy
 * arrays: word and stopword counts, trigger-anchor and ends-word tokens, the endings,
 * sentence marks, the label colon, and which lines the regex features and trigger phrases
 * must still be tried on (in Python). The class of every character comes from the same
 * table (`_chrome_fast_chars.tables()`, passed in as a buffer; characters above the BMP
 * are classed by a Python callable), and tokens are looked up in a hash table of code
 * points (`word_table`, built once per stoplist), so no Python object is made per token.
 * `tests/test_chrome_native.py` checks the features equal the numpy pass and the
 * reference definitions. If the build fails (no C compiler), cleankit runs the numpy pass.
 */
#define PY_SSIZE_T_CLEAN
#include <Python.h>
#include <stdint.h>
#include <string.h>

/* Character classes: the values of `_chrome_fast_chars` (checked when it loads this). */
#define C_WORD 1u
#define C_DIGIT 2u
#define C_NONDIGIT_WORD 4u
#define C_SPACE 8u
#define C_MARK 16u
#define C_MARK_CLOSER 32u
#define C_PATTERN 64u
#define C_MENU 128u
#define C_GLUE_LOWER 256u
#define C_GLUE_UPPER 512u
#define C_DECIMAL 1024u
#define C_CLOSER 2048u
#define C_ENDER 4096u
#define C_OPENING_QUOTE 8192u
#define C_CLOSING_QUOTE 16384u
#define C_LINK_FIRST 32768u
#define C_LINK_LAST 65536u

/* Token flags in the word table (as `_chrome_fast_native`). */
#define T_STOP 1u
#define T_ANCHOR 2u
#define T_ENDS 4u

/* Flags of a trigger candidate (returned with it). */
#define F_ANCHORED 1
#define F_ENDS 2
#define F_PATTERN 4
#define F_STARTS 8

#define BMP 0x10000u
#define WORD_TABLE_NAME "cleankit.chrome.word_table"

/* ---------------------------------------------------------------- word table */

typedef struct { /* 16 bytes: a stoplist's table stays in the fastest caches */
    uint32_t hash;   /* low bits of the word's hash */
    uint32_t offset; /* of the word's code points in `pool` */
    uint32_t length; /* 0: empty slot */
    uint32_t flags;
} Slot;

typedef struct {
    Slot *slots;
    uint64_t mask;
    Py_UCS4 *pool;
    Py_ssize_t max_length;
} WordTable;

static inline uint64_t hash_step(uint64_t h, Py_UCS4 c) {
    return (h ^ (uint64_t)c) * 0x100000001B3ULL; /* FNV-1a over code points */
}
#define HASH_START 0xCBF29CE484222325ULL

static inline uint64_t home(uint64_t h) {
    h ^= h >> 29;
    h *= 0xBF58476D1CE4E5B9ULL;
    return h ^ (h >> 32);
}

static void word_table_free(PyObject *capsule) {
    WordTable *t = PyCapsule_GetPointer(capsule, WORD_TABLE_NAME);
    if (t == NULL) return;
    PyMem_Free(t->slots);
    PyMem_Free(t->pool);
    PyMem_Free(t);
}

/* word_table(flags: dict[str, int]) -> capsule: the words and their flags, for `measure`. */
static PyObject *word_table(PyObject *self, PyObject *arg) {
    if (!PyDict_Check(arg)) {
        PyErr_SetString(PyExc_TypeError, "word_table: a dict of str -> int");
        return NULL;
    }
    Py_ssize_t n = PyDict_GET_SIZE(arg), pool_size = 0, pos = 0;
    PyObject *key, *value;
    while (PyDict_Next(arg, &pos, &key, &value)) {
        if (!PyUnicode_Check(key) || !PyLong_Check(value)) {
            PyErr_SetString(PyExc_TypeError, "word_table: a dict of str -> int");
            return NULL;
        }
        pool_size += PyUnicode_GET_LENGTH(key);
    }
    if (pool_size >= UINT32_MAX) {
        PyErr_SetString(PyExc_ValueError, "word_table: too many characters");
        return NULL;
    }
    uint64_t capacity = 16;
    while (capacity < (uint64_t)n * 2) capacity <<= 1; /* load <= 1/2 */
    WordTable *t = PyMem_Calloc(1, sizeof(WordTable));
    if (t == NULL) return PyErr_NoMemory();
    t->slots = PyMem_Calloc(capacity, sizeof(Slot));
    t->pool = PyMem_Malloc((pool_size + 1) * sizeof(Py_UCS4));
    if (t->slots == NULL || t->pool == NULL) {
        PyMem_Free(t->slots);
        PyMem_Free(t->pool);
        PyMem_Free(t);
        return PyErr_NoMemory();
    }
    t->mask = capacity - 1;
    uint32_t used = 0;
    pos = 0;
    while (PyDict_Next(arg, &pos, &key, &value)) {
        Py_ssize_t len = PyUnicode_GET_LENGTH(key);
        long flags = PyLong_AsLong(value);
        if (len == 0 || flags <= 0) continue; /* never a token / nothing to say */
        int kind = PyUnicode_KIND(key);
        const void *data = PyUnicode_DATA(key);
        uint64_t h = HASH_START;
        for (Py_ssize_t j = 0; j < len; j++) {
            Py_UCS4 c = PyUnicode_READ(kind, data, j);
            t->pool[used + j] = c;
            h = hash_step(h, c);
        }
        uint64_t slot = home(h) & t->mask;
        while (t->slots[slot].length != 0) slot = (slot + 1) & t->mask; /* keys are distinct */
        t->slots[slot] = (Slot){(uint32_t)h, used, (uint32_t)len, (uint32_t)flags};
        used += (uint32_t)len;
        if (len > t->max_length) t->max_length = len;
    }
    PyObject *capsule = PyCapsule_New(t, WORD_TABLE_NAME, word_table_free);
    if (capsule == NULL) {
        PyMem_Free(t->slots);
        PyMem_Free(t->pool);
        PyMem_Free(t);
    }
    return capsule;
}

/* ---------------------------------------------------------------- page walk */

typedef struct {
    const uint32_t *table; /* class bits of every BMP code point */
    PyObject *above;       /* callable: class bits of a code point above the BMP */
    Py_UCS4 above_code;    /* the last one asked, and its answer */
    uint32_t above_bits;
    int failed;
} Classes;

static inline uint32_t bits_of(Classes *cl, Py_UCS4 c) {
    if (c < BMP) return cl->table[c];
    if (c == cl->above_code || cl->failed) return cl->above_bits;
    PyObject *r = PyObject_CallFunction(cl->above, "I", (unsigned int)c);
    long v = r == NULL ? -1 : PyLong_AsLong(r);
    Py_XDECREF(r);
    if (v < 0) {
        if (!PyErr_Occurred()) PyErr_SetString(PyExc_ValueError, "class bits: negative");
        cl->failed = 1;
        return 0;
    }
    cl->above_code = c;
    cl->above_bits = (uint32_t)v;
    return (uint32_t)v;
}

/* What the walk of the original page finds on one line. */
typedef struct {
    Py_ssize_t length;
    uint32_t any; /* every class of its characters */
    uint32_t first;
    Py_UCS4 last;
    unsigned sentence_end : 1, truncated : 1, full_stop : 1, quoted : 1, labelled : 1,
        glued : 1, signature_shape : 1;
    Py_ssize_t marks;
} Line;

/* What the walk of the lower-cased page finds on one line. */
typedef struct {
    Py_ssize_t start, length;
    uint32_t any;
    uint32_t first_bits, last_bits;
    Py_UCS4 first;
    Py_ssize_t words, stopwords;
    unsigned anchored : 1, ends : 1;
    PyObject *anchor_words; /* list of its tokens that are trigger anchors, or NULL */
} LowLine;

typedef struct {
    Py_ssize_t label_chars;
} Limits;

/* Final punctuation of `line` (characters start..end of the page): closers stripped
 * first, then a sentence ender / a full stop; an ellipsis; one quotation. */
#define ENDINGS(KIND)                                                                      \
    static void endings_##KIND(Classes *cl, const void *data, Py_ssize_t start,             \
                               Py_ssize_t end, Line *line) {                                \
        Py_ssize_t k = end;                                                                 \
        while (k > start && (bits_of(cl, PyUnicode_READ(KIND, data, k - 1)) & C_CLOSER)) k--; \
        if (k > start) {                                                                    \
            Py_UCS4 final = PyUnicode_READ(KIND, data, k - 1);                              \
            line->sentence_end = (bits_of(cl, final) & C_ENDER) != 0;                       \
            line->full_stop = final == '.';                                                 \
        }                                                                                   \
        Py_UCS4 last = line->last;                                                          \
        line->truncated = last == 0x2026 ||                                                 \
                          (end - start >= 3 && last == '.' &&                               \
                           PyUnicode_READ(KIND, data, end - 2) == '.' &&                    \
                           PyUnicode_READ(KIND, data, end - 3) == '.');                     \
        if (line->truncated) line->full_stop = 0;                                           \
        line->quoted = (line->first & C_OPENING_QUOTE) &&                                   \
                       (bits_of(cl, last) & C_CLOSING_QUOTE);                               \
    }

/* One walk over the original page: per line its classes, endings, sentence marks (a
 * mark, closers, then a space or the line's end), label colon, glued-word triple. */
#define WALK_PAGE(KIND)                                                                    \
    ENDINGS(KIND)                                                                           \
    static Py_ssize_t walk_page_##KIND(Classes *cl, const void *data, Py_ssize_t size,     \
                                       Line *lines, Py_ssize_t n, const Limits *lim) {      \
        Py_ssize_t i = 0, start = 0;                                                        \
        while (start <= size && i < n) {                                                    \
            Line *line = &lines[i];                                                         \
            uint32_t any = 0, b1 = 0, b2 = 0;                                               \
            Py_ssize_t marks = 0, j = start;                                                \
            int glued = 0, labelled = 0;                                                    \
            for (; j < size; j++) {                                                         \
                Py_UCS4 c = PyUnicode_READ(KIND, data, j);                                  \
                if (c == '\n') break;                                                       \
                uint32_t b = bits_of(cl, c);                                                \
                any |= b;                                                                   \
                if ((b & C_GLUE_LOWER) && (b1 & C_GLUE_UPPER) && (b2 & C_GLUE_LOWER))       \
                    glued = 1;                                                              \
                b2 = b1;                                                                    \
                b1 = b;                                                                     \
                if (c == ':' && j - start < lim->label_chars) labelled = 1;                 \
                if (b & C_MARK) {                                                           \
                    Py_ssize_t k = j + 1;                                                   \
                    uint32_t after = 0;                                                     \
                    for (; k < size; k++) {                                                 \
                        Py_UCS4 d = PyUnicode_READ(KIND, data, k);                          \
                        after = d == '\n' ? C_SPACE : bits_of(cl, d);                       \
                        if (!(after & C_MARK_CLOSER)) break;                                \
                    }                                                                       \
                    if (k == size || (after & C_SPACE)) marks++;                            \
                }                                                                           \
            }                                                                               \
            if (cl->failed) return -1;                                                      \
            line->length = j - start;                                                       \
            line->any = any;                                                                \
            line->marks = marks;                                                            \
            line->glued = glued;                                                            \
            line->labelled = labelled;                                                      \
            if (j > start) {                                                                \
                line->first = bits_of(cl, PyUnicode_READ(KIND, data, start));               \
                line->last = PyUnicode_READ(KIND, data, j - 1);                             \
                line->signature_shape = line->last == ':';                                  \
                endings_##KIND(cl, data, start, j, line);                                   \
            }                                                                               \
            if (cl->failed) return -1;                                                      \
            i++;                                                                            \
            start = j + 1;                                                                  \
        }                                                                                   \
        return start == size + 1 ? i : -2; /* -2: more lines than n */                      \
    }

/* One walk over the lower-cased page: per line its classes, first and last character,
 * and its `\w+` tokens, each looked up in the word table. */
#define WALK_LOWER(KIND)                                                                   \
    static Py_ssize_t walk_lower_##KIND(Classes *cl, const void *data, Py_ssize_t size,    \
                                        LowLine *lines, Py_ssize_t n, const WordTable *t) { \
        Py_ssize_t i = 0, start = 0;                                                        \
        while (start <= size && i < n) {                                                    \
            LowLine *line = &lines[i];                                                      \
            uint32_t any = 0, b = 0, flags = 0;                                             \
            Py_ssize_t words = 0, stop = 0, j = start, token = -1;                          \
            uint64_t h = HASH_START;                                                        \
            for (;; j++) {                                                                  \
                Py_UCS4 c = j < size ? PyUnicode_READ(KIND, data, j) : '\n';                \
                b = c == '\n' ? 0 : bits_of(cl, c);                                         \
                if (b & C_WORD) {                                                           \
                    if (token < 0) {                                                        \
                        token = j;                                                          \
                        h = HASH_START;                                                     \
                        words++;                                                            \
                    }                                                                       \
                    h = hash_step(h, c);                                                    \
                } else if (token >= 0) {                                                    \
                    flags = lookup_##KIND(t, data, token, j - token, h);                    \
                    stop += (flags & T_STOP) != 0;                                          \
                    if ((flags & T_ANCHOR) && add_anchor(line, KIND, data, token, j) < 0) {  \
                        cl->failed = 1;                                                     \
                        return -1;                                                          \
                    }                                                                       \
                    token = -1;                                                             \
                }                                                                           \
                if (c == '\n') break;                                                       \
                any |= b;                                                                   \
                if (j == start) {                                                           \
                    line->first = c;                                                        \
                    line->first_bits = b;                                                   \
                }                                                                           \
                line->last_bits = b;                                                        \
            }                                                                               \
            if (cl->failed) return -1;                                                      \
            line->start = start;                                                            \
            line->length = j - start;                                                       \
            line->any = any;                                                                \
            line->words = words;                                                            \
            line->stopwords = stop;                                                         \
            line->anchored = line->anchor_words != NULL;                                    \
            /* `flags` are the last token's (`words[-1]`), whatever follows it */           \
            line->ends = words > 0 && (flags & T_ENDS) != 0;                                \
            i++;                                                                            \
            start = j + 1;                                                                  \
        }                                                                                   \
        return start == size + 1 ? i : -2; /* -2: more lines than n */                      \
    }

/* Keep the anchor word data[start:end] of a line (for the phrase test in Python). */
static int add_anchor(LowLine *line, int kind, const void *data, Py_ssize_t start,
                      Py_ssize_t end) {
    if (line->anchor_words == NULL && (line->anchor_words = PyList_New(0)) == NULL) return -1;
    PyObject *word = PyUnicode_FromKindAndData(kind, (const char *)data + start * kind,
                                               end - start);
    if (word == NULL) return -1;
    int r = PyList_Append(line->anchor_words, word);
    Py_DECREF(word);
    return r;
}

/* The flags of the token data[start:start+len] (0 when not in the table). */
#define LOOKUP(KIND)                                                                       \
    static inline uint32_t lookup_##KIND(const WordTable *t, const void *data,              \
                                         Py_ssize_t start, Py_ssize_t len, uint64_t h) {    \
        if (len > t->max_length) return 0;                                                  \
        for (uint64_t slot = home(h) & t->mask;; slot = (slot + 1) & t->mask) {             \
            const Slot *s = &t->slots[slot];                                                \
            if (s->length == 0) return 0;                                                   \
            if (s->hash != (uint32_t)h || s->length != (uint32_t)len) continue;             \
            const Py_UCS4 *w = t->pool + s->offset;                                         \
            Py_ssize_t k = 0;                                                               \
            while (k < len && w[k] == PyUnicode_READ(KIND, data, start + k)) k++;           \
            if (k == len) return s->flags;                                                  \
        }                                                                                   \
    }

LOOKUP(PyUnicode_1BYTE_KIND)
LOOKUP(PyUnicode_2BYTE_KIND)
LOOKUP(PyUnicode_4BYTE_KIND)
WALK_PAGE(PyUnicode_1BYTE_KIND)
WALK_PAGE(PyUnicode_2BYTE_KIND)
WALK_PAGE(PyUnicode_4BYTE_KIND)
WALK_LOWER(PyUnicode_1BYTE_KIND)
WALK_LOWER(PyUnicode_2BYTE_KIND)
WALK_LOWER(PyUnicode_4BYTE_KIND)

static Py_ssize_t walk_page(Classes *cl, PyObject *s, Line *lines, Py_ssize_t n,
                            const Limits *lim) {
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t size = PyUnicode_GET_LENGTH(s);
    switch (PyUnicode_KIND(s)) {
    case PyUnicode_1BYTE_KIND:
        return walk_page_PyUnicode_1BYTE_KIND(cl, data, size, lines, n, lim);
    case PyUnicode_2BYTE_KIND:
        return walk_page_PyUnicode_2BYTE_KIND(cl, data, size, lines, n, lim);
    default:
        return walk_page_PyUnicode_4BYTE_KIND(cl, data, size, lines, n, lim);
    }
}

static Py_ssize_t walk_lower(Classes *cl, PyObject *s, LowLine *lines, Py_ssize_t n,
                             const WordTable *t) {
    const void *data = PyUnicode_DATA(s);
    Py_ssize_t size = PyUnicode_GET_LENGTH(s);
    switch (PyUnicode_KIND(s)) {
    case PyUnicode_1BYTE_KIND:
        return walk_lower_PyUnicode_1BYTE_KIND(cl, data, size, lines, n, t);
    case PyUnicode_2BYTE_KIND:
        return walk_lower_PyUnicode_2BYTE_KIND(cl, data, size, lines, n, t);
    default:
        return walk_lower_PyUnicode_4BYTE_KIND(cl, data, size, lines, n, t);
    }
}

/* ---------------------------------------------------------------- results */

enum { COL_WORDS, COL_STOP, COL_DENSITY, COL_SENTENCE_END, COL_TRUNCATED, COL_FULL_STOP,
       COL_QUOTED, COL_MARKS, COL_LETTERS, COL_LABELLED, COL_LOWER, N_COLUMNS };
enum { TRY_MENU, TRY_GLUED, TRY_DATE, TRY_DATELINE, TRY_SIGNATURE, TRY_LINK, TRY_TRIGGER,
       TRY_TRIGGER_FLAGS, TRY_TRIGGER_WORDS, N_TRIES };

/* Limits of `_chrome_features`, in the order `measure` takes them. */
typedef struct {
    Py_ssize_t date_max, dateline_min, glued_max_words, glued_min, label, link_max,
        marks_min, signature_max, scan;
} Thresholds;

static int append_index(PyObject *list, Py_ssize_t i) {
    PyObject *v = PyLong_FromSsize_t(i);
    if (v == NULL) return -1;
    int r = PyList_Append(list, v);
    Py_DECREF(v);
    return r;
}

static inline PyObject *flag(int on) { return Py_NewRef(on ? Py_True : Py_False); }

/* Where a `starts` trigger pattern may match: the lines beginning with one of the
 * pattern prefixes of their first character (`StartsDispatch.prefixes`), or with a digit
 * when a pattern begins with one. 1 yes, 0 no, -1 error. */
typedef struct {
    PyObject *lower;          /* the lower-cased page */
    const uint16_t *index;    /* first character -> 1 + its group in `groups`, or 0 */
    PyObject *groups;         /* tuple of tuples of prefixes */
    int digit;
} Starts;

static int starts_may_match(const Starts *st, const LowLine *l) {
    if (l->first_bits & C_DIGIT) return st->digit;
    if (l->first >= BMP) return 1; /* not in the index: tried */
    Py_ssize_t k = st->index[l->first];
    if (k == 0) return 0;
    if (k > PyTuple_GET_SIZE(st->groups) || !PyTuple_Check(PyTuple_GET_ITEM(st->groups, k - 1))) {
        PyErr_SetString(PyExc_ValueError, "measure: bad starts prefix groups");
        return -1;
    }
    PyObject *group = PyTuple_GET_ITEM(st->groups, k - 1);
    for (Py_ssize_t g = 0; g < PyTuple_GET_SIZE(group); g++) {
        Py_ssize_t r = PyUnicode_Tailmatch(st->lower, PyTuple_GET_ITEM(group, g), l->start,
                                           l->start + l->length, -1);
        if (r != 0) return r < 0 ? -1 : 1;
    }
    return 0;
}

/* Append None, or for a line with anchor words (anchor words, " w1 w2 ... wn "): its
 * words joined and framed by spaces (for the multi-word phrase test). None too for a
 * line longer than `scan` (the trigger search only reads the head of those). */
static int append_words(PyObject *out, PyObject *lower, Classes *cl, const LowLine *l,
                        Py_ssize_t scan) {
    if (l->anchor_words == NULL || l->length > scan) return PyList_Append(out, Py_None);
    int kind = PyUnicode_KIND(lower);
    const void *data = PyUnicode_DATA(lower);
    Py_UCS4 *buf = PyMem_Malloc((l->length + 2) * sizeof(Py_UCS4));
    if (buf == NULL) {
        PyErr_NoMemory();
        return -1;
    }
    Py_ssize_t size = 0;
    buf[size++] = ' ';
    int in_word = 0;
    for (Py_ssize_t j = l->start; j < l->start + l->length; j++) {
        Py_UCS4 c = PyUnicode_READ(kind, data, j);
        if (bits_of(cl, c) & C_WORD) {
            buf[size++] = c;
            in_word = 1;
        } else if (in_word) {
            buf[size++] = ' ';
            in_word = 0;
        }
    }
    if (in_word) buf[size++] = ' ';
    PyObject *spaced =
        cl->failed ? NULL : PyUnicode_FromKindAndData(PyUnicode_4BYTE_KIND, buf, size);
    PyMem_Free(buf);
    if (spaced == NULL) return -1;
    PyObject *pair = PyTuple_Pack(2, l->anchor_words, spaced);
    Py_DECREF(spaced);
    if (pair == NULL) return -1;
    int r = PyList_Append(out, pair);
    Py_DECREF(pair);
    return r;
}

/* Fill the columns and the lists of lines to try, line by line. */
static int collect(const Line *lines, const LowLine *lows, Py_ssize_t n, const Thresholds *th,
                   const Starts *st, Classes *cl, PyObject **cols, PyObject **tries) {
    for (Py_ssize_t i = 0; i < n; i++) {
        const Line *o = &lines[i];
        const LowLine *l = &lows[i];
        double density = l->words ? (double)l->stopwords / (double)l->words : 0.0;
        PyObject *d = PyFloat_FromDouble(density);
        PyObject *w = PyLong_FromSsize_t(l->words), *s = PyLong_FromSsize_t(l->stopwords);
        Py_ssize_t marks = o->length >= th->marks_min ? o->marks : o->sentence_end;
        PyObject *m = PyLong_FromSsize_t(marks);
        if (d == NULL || w == NULL || s == NULL || m == NULL) {
            Py_XDECREF(d), Py_XDECREF(w), Py_XDECREF(s), Py_XDECREF(m);
            return -1;
        }
        PyList_SET_ITEM(cols[COL_WORDS], i, w);
        PyList_SET_ITEM(cols[COL_STOP], i, s);
        PyList_SET_ITEM(cols[COL_DENSITY], i, d);
        PyList_SET_ITEM(cols[COL_SENTENCE_END], i, flag(o->sentence_end));
        PyList_SET_ITEM(cols[COL_TRUNCATED], i, flag(o->truncated));
        PyList_SET_ITEM(cols[COL_FULL_STOP], i, flag(o->full_stop));
        PyList_SET_ITEM(cols[COL_QUOTED], i, flag(o->quoted));
        PyList_SET_ITEM(cols[COL_MARKS], i, m);
        /* a non-digit word character makes a word, so `words > 0` holds */
        PyList_SET_ITEM(cols[COL_LETTERS], i, flag((l->any & C_NONDIGIT_WORD) != 0));
        PyList_SET_ITEM(cols[COL_LABELLED], i, flag(o->labelled));

        int patterned = (l->any & C_PATTERN) != 0;
        if ((o->any & C_MENU) && append_index(tries[TRY_MENU], i)) return -1;
        if (o->glued && l->words <= th->glued_max_words && o->length >= th->glued_min &&
            append_index(tries[TRY_GLUED], i))
            return -1;
        if (o->length <= th->date_max && (o->any & C_DECIMAL) &&
            append_index(tries[TRY_DATE], i))
            return -1;
        if (o->length >= th->dateline_min && (o->first & C_GLUE_UPPER) && patterned &&
            append_index(tries[TRY_DATELINE], i))
            return -1;
        if (o->signature_shape && o->length <= th->signature_max &&
            append_index(tries[TRY_SIGNATURE], i))
            return -1;
        int link = ((l->first_bits & C_LINK_FIRST) || (l->last_bits & (C_LINK_LAST | C_SPACE))) &&
                   o->length <= th->link_max;
        if (link && append_index(tries[TRY_LINK], i)) return -1;
        int starts = starts_may_match(st, l);
        if (starts < 0) return -1;
        int trigger = l->length > th->scan || patterned || l->anchored || l->ends || starts;
        /* the lower-cased line, for the lines Python reads it of */
        PyObject *low = link || trigger
                            ? PyUnicode_Substring(st->lower, l->start, l->start + l->length)
                            : Py_NewRef(Py_None);
        if (low == NULL) return -1;
        PyList_SET_ITEM(cols[COL_LOWER], i, low);
        if (trigger) {
            int flags = (l->anchored ? F_ANCHORED : 0) | (l->ends ? F_ENDS : 0) |
                        (patterned ? F_PATTERN : 0) | (starts ? F_STARTS : 0);
            if (append_index(tries[TRY_TRIGGER], i) ||
                append_index(tries[TRY_TRIGGER_FLAGS], flags) ||
                append_words(tries[TRY_TRIGGER_WORDS], st->lower, cl, l, th->scan))
                return -1;
        }
    }
    return 0;
}

/* measure(page, lower_page, n_lines, classes, above, words, starts_index, starts_groups,
 *         starts_digit, thresholds) -> (columns, tries)
 *
 * page: the page's lines joined by `\n` (none empty); lower_page: page.lower();
 * classes: uint32 class bits of the BMP; above(code) -> class bits above it;
 * words: a `word_table`; starts_index: 65536 uint16, for each first character 0 (no
 * `starts` trigger pattern begins with it) or 1 + the index in starts_groups (a tuple of
 * tuples of str) of the prefixes that begin those patterns' matches; starts_digit:
 * whether one begins with a digit;
 * thresholds: (date max, dateline min, glued max words, glued min chars, label chars,
 * link max, marks min, signature max, trigger scan chars).
 * columns: lists of n_lines values (words, stopwords, density, sentence_end, truncated,
 * full_stop, quoted, sentence_marks, has_letters, labelled, and the lower-cased line
 * where Python reads it (link and trigger lines; None elsewhere)); tries: lists of line
 * numbers whose regex feature must be computed (menu, glued, date, dateline, signature,
 * link, trigger), then each trigger line's flags (1 anchor word, 2 ends word, 4 pattern
 * character). */
static PyObject *measure(PyObject *self, PyObject *args) {
    PyObject *page, *lower, *above, *capsule, *groups, *result = NULL;
    Py_ssize_t n;
    int starts_digit;
    Py_buffer table = {0}, starts = {0};
    Thresholds th;
    PyObject *cols[N_COLUMNS] = {0}, *tries[N_TRIES] = {0};
    Line *lines = NULL;
    LowLine *lows = NULL;
    if (!PyArg_ParseTuple(args, "UUny*OOy*O!p(nnnnnnnnn)", &page, &lower, &n, &table, &above,
                          &capsule, &starts, &PyTuple_Type, &groups, &starts_digit,
                          &th.date_max, &th.dateline_min,
                          &th.glued_max_words, &th.glued_min, &th.label, &th.link_max,
                          &th.marks_min, &th.signature_max, &th.scan))
        return NULL;
    const WordTable *words = PyCapsule_GetPointer(capsule, WORD_TABLE_NAME);
    if (words == NULL) goto done;
    if (table.len < (Py_ssize_t)(BMP * 4) || starts.len < (Py_ssize_t)(BMP * 2) || n < 0) {
        PyErr_SetString(PyExc_ValueError, "measure: class table or starts table too small");
        goto done;
    }
    lines = PyMem_Calloc(n ? n : 1, sizeof(Line));
    lows = PyMem_Calloc(n ? n : 1, sizeof(LowLine));
    if (lines == NULL || lows == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    Classes cl = {table.buf, above, 0, 0, 0};
    Limits lim = {th.label};
    Py_ssize_t got = walk_page(&cl, page, lines, n, &lim);
    Py_ssize_t got_low = got == -1 ? -1 : walk_lower(&cl, lower, lows, n, words);
    if (got == -1 || got_low == -1) goto done;
    if (got != n || got_low != n) {
        PyErr_SetString(PyExc_ValueError, "measure: the pages do not hold n_lines lines");
        goto done;
    }
    for (int c = 0; c < N_COLUMNS; c++)
        if ((cols[c] = PyList_New(n)) == NULL) goto done;
    for (int c = 0; c < N_TRIES; c++)
        if ((tries[c] = PyList_New(0)) == NULL) goto done;
    Starts st = {lower, starts.buf, groups, starts_digit};
    if (collect(lines, lows, n, &th, &st, &cl, cols, tries) < 0) goto done;
    PyObject *c_tuple = PyTuple_New(N_COLUMNS), *t_tuple = PyTuple_New(N_TRIES);
    if (c_tuple == NULL || t_tuple == NULL) {
        Py_XDECREF(c_tuple), Py_XDECREF(t_tuple);
        goto done;
    }
    for (int c = 0; c < N_COLUMNS; c++) PyTuple_SET_ITEM(c_tuple, c, cols[c]), cols[c] = NULL;
    for (int c = 0; c < N_TRIES; c++) PyTuple_SET_ITEM(t_tuple, c, tries[c]), tries[c] = NULL;
    result = PyTuple_Pack(2, c_tuple, t_tuple);
    Py_DECREF(c_tuple);
    Py_DECREF(t_tuple);
done:
    for (int c = 0; c < N_COLUMNS; c++) Py_XDECREF(cols[c]);
    for (int c = 0; c < N_TRIES; c++) Py_XDECREF(tries[c]);
    PyMem_Free(lines);
    if (lows != NULL)
        for (Py_ssize_t i = 0; i < n; i++) Py_XDECREF(lows[i].anchor_words);
    PyMem_Free(lows);
    PyBuffer_Release(&table);
    PyBuffer_Release(&starts);
    return result;
}

/* ---------------------------------------------------------------- language features */

#define CHAINS 8

/* dfa_visits(data, next_move, row_base, output, depth) -> dict[int, int]
 *
 * py3langid's `visit_counts` walk: the byte n-gram automaton over `data` (bytes), from
 * state 0: state = next_move[row_base[state] + byte]; every state whose output feature
 * is >= 0 counts one visit of it. The counts, keys in order of first visit (as the
 * Counter py3langid builds). next_move: uint32; row_base, output: int64, one per state;
 * depth: the longest n-gram (the automaton's depth). */
static PyObject *dfa_visits(PyObject *self, PyObject *args) {
    Py_buffer data = {0}, moves = {0}, rows = {0}, outs = {0};
    PyObject *result = NULL;
    int64_t *features = NULL, *counts = NULL, *slots = NULL, *visited = NULL;
    Py_ssize_t depth;
    if (!PyArg_ParseTuple(args, "y*y*y*y*n", &data, &moves, &rows, &outs, &depth)) return NULL;
    const uint8_t *bytes = data.buf;
    const uint32_t *next_move = moves.buf;
    const int64_t *row_base = rows.buf, *output = outs.buf;
    Py_ssize_t n = data.len, n_moves = moves.len / 4, n_states = rows.len / 8;
    if (outs.len / 8 != n_states || n_states == 0 || depth < 1 || depth > 64) {
        PyErr_SetString(PyExc_ValueError, "dfa_visits: bad sizes or depth");
        goto done;
    }
    uint64_t capacity = 16;
    while (capacity < (uint64_t)n * 2) capacity <<= 1;
    features = PyMem_Malloc((n + 1) * sizeof(int64_t));
    counts = PyMem_Malloc((n + 1) * sizeof(int64_t));
    slots = PyMem_Malloc(capacity * sizeof(int64_t)); /* index into features, or -1 */
    visited = PyMem_Malloc((n + 1) * sizeof(int64_t)); /* the feature after each byte */
    if (features == NULL || counts == NULL || slots == NULL || visited == NULL) {
        PyErr_NoMemory();
        goto done;
    }
    memset(slots, 0xFF, capacity * sizeof(int64_t));
    Py_ssize_t distinct = 0;
    /* The state after byte i depends only on the last `depth` bytes (the automaton's
     * n-grams are at most that long; see `_chrome_fast_langid`): a walk started from
     * state 0 `depth` - 1 bytes before any position is in the right state from there on.
     * So the data is cut into CHAINS segments walked side by side, each from `depth` - 1
     * bytes before its start: the next-state loads of different chains do not wait for
     * each other (one walk is a chain of cache misses in the 39 MB move table). */
    Py_ssize_t seg = (n + CHAINS - 1) / CHAINS;
    Py_ssize_t pos[CHAINS], begin[CHAINS], end[CHAINS];
    int64_t state[CHAINS];
    for (int c = 0; c < CHAINS; c++) {
        begin[c] = c * seg < n ? c * seg : n;
        end[c] = begin[c] + seg < n ? begin[c] + seg : n;
        pos[c] = begin[c] - (depth - 1) > 0 ? begin[c] - (depth - 1) : 0;
        state[c] = 0;
    }
    for (Py_ssize_t round = 0; round < seg + depth - 1; round++) {
        for (int c = 0; c < CHAINS; c++) {
            if (pos[c] >= end[c]) continue;
            int64_t move = row_base[state[c]] + bytes[pos[c]];
            if (move < 0 || move >= n_moves || next_move[move] >= (uint64_t)n_states) {
                PyErr_SetString(PyExc_ValueError, "dfa_visits: automaton out of range");
                goto done;
            }
            state[c] = next_move[move];
            if (pos[c] >= begin[c]) visited[pos[c]] = output[state[c]];
            pos[c]++;
        }
    }
    for (Py_ssize_t i = 0; i < n; i++) { /* count in the order of first visit */
        int64_t f = visited[i];
        if (f < 0) continue;
        uint64_t slot = home((uint64_t)f) & (capacity - 1);
        while (slots[slot] >= 0 && features[slots[slot]] != f) slot = (slot + 1) & (capacity - 1);
        if (slots[slot] < 0) {
            slots[slot] = distinct;
            features[distinct] = f;
            counts[distinct++] = 0;
        }
        counts[slots[slot]]++;
    }
    result = PyDict_New();
    for (Py_ssize_t k = 0; result != NULL && k < distinct; k++) {
        PyObject *key = PyLong_FromLongLong(features[k]), *value = PyLong_FromLongLong(counts[k]);
        if (key == NULL || value == NULL || PyDict_SetItem(result, key, value) < 0)
            Py_CLEAR(result);
        Py_XDECREF(key);
        Py_XDECREF(value);
    }
done:
    PyMem_Free(features);
    PyMem_Free(counts);
    PyMem_Free(slots);
    PyMem_Free(visited);
    PyBuffer_Release(&data);
    PyBuffer_Release(&moves);
    PyBuffer_Release(&rows);
    PyBuffer_Release(&outs);
    return result;
}

/* An IEEE half-precision number as a float (exact, as numpy's conversion). */
static inline float half_to_float(uint16_t h) {
    uint32_t sign = (uint32_t)(h & 0x8000u) << 16, exp = (h >> 10) & 0x1Fu, mant = h & 0x3FFu;
    uint32_t bits;
    if (exp == 0x1Fu) {
        bits = sign | 0x7F800000u | (mant << 13); /* infinity, NaN (payload kept) */
    } else if (exp != 0) {
        bits = sign | ((exp + 112u) << 23) | (mant << 13);
    } else if (mant == 0) {
        bits = sign;
    } else { /* subnormal: normalise the mantissa */
        uint32_t shifts = 0;
        while (!(mant & 0x400u)) {
            mant <<= 1;
            shifts++;
        }
        bits = sign | ((113u - shifts) << 23) | ((mant & 0x3FFu) << 13);
    }
    float f;
    memcpy(&f, &bits, sizeof f);
    return f;
}

/* One row of halves as floats: with the CPU's conversion instruction (F16C, exact as
 * the scalar code for every number; NaNs are checked absent by the caller) when it has
 * one, else the scalar code. */
static void convert_row_scalar(const uint16_t *src, float *dst, Py_ssize_t width) {
    for (Py_ssize_t c = 0; c < width; c++) dst[c] = half_to_float(src[c]);
}

#if defined(__GNUC__) && defined(__x86_64__)
#include <immintrin.h>
__attribute__((target("avx,f16c"))) static void convert_row_f16c(const uint16_t *src,
                                                                  float *dst,
                                                                  Py_ssize_t width) {
    Py_ssize_t c = 0;
    for (; c + 8 <= width; c += 8) {
        __m128i h = _mm_loadu_si128((const __m128i *)(src + c));
        _mm256_storeu_ps(dst + c, _mm256_cvtph_ps(h));
    }
    convert_row_scalar(src + c, dst + c, width - c);
}

static int has_f16c(void) {
    __builtin_cpu_init();
    return __builtin_cpu_supports("avx") && __builtin_cpu_supports("f16c");
}
#else
static void convert_row_f16c(const uint16_t *src, float *dst, Py_ssize_t width) {
    convert_row_scalar(src, dst, width);
}
static int has_f16c(void) { return 0; }
#endif

/* half_rows(table, width, keys, out, fast) -> None
 *
 * out[k] = table[key_k] as float32, for the k-th key of `keys` (a dict of int, in its
 * order): `table[idx]` of a float16 (rows, width) table, converted as numpy converts it
 * for a float32 product. fast: the table holds no NaN (the F16C instruction quiets a
 * signalling one, numpy keeps its bits), so the instruction may be used. */
static PyObject *half_rows(PyObject *self, PyObject *args) {
    Py_buffer table = {0}, out = {0};
    Py_ssize_t width;
    PyObject *keys, *result = NULL;
    int fast;
    if (!PyArg_ParseTuple(args, "y*nO!w*p", &table, &width, &PyDict_Type, &keys, &out, &fast))
        return NULL;
    fast = fast && has_f16c();
    Py_ssize_t n = PyDict_GET_SIZE(keys), rows = width > 0 ? table.len / 2 / width : 0;
    if (width <= 0 || out.len < n * width * (Py_ssize_t)sizeof(float)) {
        PyErr_SetString(PyExc_ValueError, "half_rows: bad width or output too small");
        goto done;
    }
    const uint16_t *halves = table.buf;
    float *dst = out.buf;
    Py_ssize_t pos = 0, k = 0;
    PyObject *key, *value;
    while (PyDict_Next(keys, &pos, &key, &value)) {
        Py_ssize_t row = PyLong_AsSsize_t(key);
        if (row < 0 || row >= rows) {
            if (!PyErr_Occurred()) PyErr_SetString(PyExc_IndexError, "half_rows: row out of range");
            goto done;
        }
        if (fast)
            convert_row_f16c(halves + row * width, dst + k * width, width);
        else
            convert_row_scalar(halves + row * width, dst + k * width, width);
        k++;
    }
    result = Py_NewRef(Py_None);
done:
    PyBuffer_Release(&table);
    PyBuffer_Release(&out);
    return result;
}

/* ---------------------------------------------------------------- language sample */

#define MAX_LONGEST 64

/* longest(lines, k) -> list: `heapq.nlargest(k, lines, key=len)`, i.e. the k longest
 * lines, longest first, the earlier of equally long lines first. */
static PyObject *longest(PyObject *self, PyObject *args) {
    PyObject *lines;
    Py_ssize_t k;
    if (!PyArg_ParseTuple(args, "O!n", &PyList_Type, &lines, &k)) return NULL;
    if (k < 0 || k > MAX_LONGEST) {
        PyErr_SetString(PyExc_ValueError, "longest: k out of range");
        return NULL;
    }
    Py_ssize_t top[MAX_LONGEST], size[MAX_LONGEST], found = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(lines); i++) {
        PyObject *line = PyList_GET_ITEM(lines, i);
        if (!PyUnicode_Check(line)) {
            PyErr_SetString(PyExc_TypeError, "longest: lines must be str");
            return NULL;
        }
        Py_ssize_t len = PyUnicode_GET_LENGTH(line), at = found;
        while (at > 0 && size[at - 1] < len) at--; /* after every line at least as long */
        if (at >= k) continue;
        if (found < k) found++;
        for (Py_ssize_t j = found - 1; j > at; j--) {
            top[j] = top[j - 1];
            size[j] = size[j - 1];
        }
        top[at] = i;
        size[at] = len;
    }
    PyObject *result = PyList_New(found);
    if (result == NULL) return NULL;
    for (Py_ssize_t j = 0; j < found; j++)
        PyList_SET_ITEM(result, j, Py_NewRef(PyList_GET_ITEM(lines, top[j])));
    return result;
}

/* ---------------------------------------------------------------- body evidence */

static int append_span(PyObject *spans, Py_ssize_t start, Py_ssize_t end, double evidence) {
    PyObject *span = Py_BuildValue("(nnd)", start, end, evidence);
    if (span == NULL) return -1;
    int failed = PyList_Append(spans, span);
    Py_DECREF(span);
    return failed;
}

/* spans(evidence) -> list[tuple[int, int, float]]: `_chrome_regions.spans_of`, Kadane's
 * running sum over the lines' body evidence (a list of numbers) in the same order of
 * float additions and comparisons as the Python loop. */
static PyObject *spans(PyObject *self, PyObject *evidence) {
    if (!PyList_Check(evidence)) {
        PyErr_SetString(PyExc_TypeError, "spans: evidence must be a list");
        return NULL;
    }
    PyObject *found = PyList_New(0);
    if (found == NULL) return NULL;
    double best = 0.0, total = 0.0;
    Py_ssize_t best_end = 0, start = 0;
    for (Py_ssize_t i = 0; i < PyList_GET_SIZE(evidence); i++) {
        PyObject *item = PyList_GET_ITEM(evidence, i);
        double weight = PyFloat_CheckExact(item) ? PyFloat_AS_DOUBLE(item) : PyFloat_AsDouble(item);
        if (weight == -1.0 && PyErr_Occurred()) goto fail;
        total += weight;
        if (total <= 0) {
            if (best > 0 && append_span(found, start, best_end, best) < 0) goto fail;
            total = 0.0, start = i + 1, best = 0.0;
        } else if (total > best) {
            best = total, best_end = i + 1;
        }
    }
    if (best > 0 && append_span(found, start, best_end, best) < 0) goto fail;
    return found;
fail:
    Py_DECREF(found);
    return NULL;
}

/* Whether `cls` (a str) equals `name`: identity first (the classes are shared strings). */
static int same_str(PyObject *cls, PyObject *name) {
    if (cls == name) return 1;
    if (!PyUnicode_Check(cls)) return 0;
    return PyUnicode_Compare(cls, name) == 0;
}

/* Whether `rule` begins with one of `prefixes` (a tuple of str); -1 on error. */
static int starts_with_any(PyObject *rule, PyObject *prefixes) {
    for (Py_ssize_t k = 0; k < PyTuple_GET_SIZE(prefixes); k++) {
        Py_ssize_t hit = PyUnicode_Tailmatch(rule, PyTuple_GET_ITEM(prefixes, k), 0,
                                             PY_SSIZE_T_MAX, -1);
        if (hit != 0) return (int)hit;
    }
    return 0;
}

/* One line's body evidence (see `weights`); *failed is set on an error. */
static double line_weight(PyObject *verdict, PyObject *feature, PyObject *classes,
                          PyObject *light, const double *num, int *failed) {
    PyObject *cls = PyTuple_GET_ITEM(verdict, 0), *rule = PyTuple_GET_ITEM(verdict, 1);
    double near = num[0], shorts = num[1], low = num[2], cap = num[3];
    double chars = PyLong_AsDouble(PyTuple_GET_ITEM(feature, 0));
    if (chars == -1.0 && PyErr_Occurred()) return *failed = 1, 0.0;
    if (same_str(cls, PyTuple_GET_ITEM(classes, 2))) return shorts;
    if (same_str(cls, PyTuple_GET_ITEM(classes, 0))) return chars;
    if (same_str(cls, PyTuple_GET_ITEM(classes, 1))) return near * chars;
    int is_light = PyUnicode_Check(rule) ? starts_with_any(rule, light) : 0;
    if (is_light < 0) return *failed = 1, 0.0;
    if (is_light) return -(chars > cap ? cap : chars > low ? chars : low);
    return -(chars > low ? chars : low);
}

/* weights(verdicts, feats, classes, light, numbers) -> list[float]: `_chrome_regions.
 * weights`, the body evidence of each line. verdicts: (cls, rule, ...) tuples; feats:
 * tuples whose first item is the line's length; classes: (good, near, short); light:
 * the rule prefixes that weigh little; numbers: (near weight, short evidence (<= 0),
 * bad min penalty, line penalty cap). */
static PyObject *weights(PyObject *self, PyObject *args) {
    PyObject *verdicts, *feats, *classes, *light;
    double num[4];
    if (!PyArg_ParseTuple(args, "O!O!O!O!(dddd)", &PyList_Type, &verdicts, &PyList_Type, &feats,
                          &PyTuple_Type, &classes, &PyTuple_Type, &light, &num[0], &num[1],
                          &num[2], &num[3]))
        return NULL;
    Py_ssize_t n = PyList_GET_SIZE(verdicts);
    if (PyList_GET_SIZE(feats) != n || PyTuple_GET_SIZE(classes) != 3) {
        PyErr_SetString(PyExc_ValueError, "weights: verdicts and feats differ in length");
        return NULL;
    }
    PyObject *found = PyList_New(n);
    if (found == NULL) return NULL;
    for (Py_ssize_t i = 0; i < n; i++) {
        PyObject *verdict = PyList_GET_ITEM(verdicts, i), *feature = PyList_GET_ITEM(feats, i);
        if (!PyTuple_Check(verdict) || PyTuple_GET_SIZE(verdict) < 2 || !PyTuple_Check(feature) ||
            PyTuple_GET_SIZE(feature) < 1) {
            PyErr_SetString(PyExc_TypeError, "weights: verdicts and feats must be tuples");
            goto fail;
        }
        int failed = 0;
        double weight = line_weight(verdict, feature, classes, light, num, &failed);
        PyObject *value = failed ? NULL : PyFloat_FromDouble(weight);
        if (value == NULL) goto fail;
        PyList_SET_ITEM(found, i, value);
    }
    return found;
fail:
    Py_DECREF(found);
    return NULL;
}

/* The constants this module was written against (checked by `_chrome_fast_native`). */
static PyObject *constants(PyObject *self, PyObject *unused) {
    return Py_BuildValue(
        "{sIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsIsisisisi}", "WORD", C_WORD, "DIGIT", C_DIGIT,
        "NONDIGIT_WORD", C_NONDIGIT_WORD, "SPACE", C_SPACE, "MARK", C_MARK, "MARK_CLOSER",
        C_MARK_CLOSER, "PATTERN", C_PATTERN, "MENU", C_MENU, "GLUE_LOWER", C_GLUE_LOWER,
        "GLUE_UPPER", C_GLUE_UPPER, "DECIMAL", C_DECIMAL, "CLOSER", C_CLOSER, "ENDER",
        C_ENDER, "OPENING_QUOTE", C_OPENING_QUOTE, "CLOSING_QUOTE", C_CLOSING_QUOTE,
        "LINK_FIRST", C_LINK_FIRST, "LINK_LAST", C_LINK_LAST, "TOKEN_STOP", T_STOP,
        "TOKEN_ANCHOR", T_ANCHOR, "TOKEN_ENDS", T_ENDS, "HAS_ANCHOR", F_ANCHORED,
        "HAS_ENDS_WORD", F_ENDS, "HAS_PATTERN_CHAR", F_PATTERN, "MAY_START", F_STARTS);
}

static PyMethodDef methods[] = {
    {"measure", measure, METH_VARARGS,
     "measure(page, lower_page, n_lines, classes, above, words, starts_index, "
     "starts_groups, starts_digit, thresholds) -> (columns, tries)"},
    {"word_table", word_table, METH_O, "word_table(flags: dict[str, int]) -> table"},
    {"dfa_visits", dfa_visits, METH_VARARGS,
     "dfa_visits(data, next_move, row_base, output, depth) -> {feature: visits}"},
    {"half_rows", half_rows, METH_VARARGS, "half_rows(table, width, keys, out, fast) -> None"},
    {"longest", longest, METH_VARARGS, "longest(lines, k) -> the k longest lines"},
    {"weights", weights, METH_VARARGS,
     "weights(verdicts, feats, classes, light, numbers) -> [evidence]"},
    {"spans", spans, METH_O, "spans(evidence) -> [(start, end, evidence)]"},
    {"constants", constants, METH_NOARGS, "constants() -> dict[str, int]"},
    {NULL, NULL, 0, NULL},
};

static struct PyModuleDef module = {
    PyModuleDef_HEAD_INIT, "_chrome_native", "Compiled page pass for cleankit's chrome.", -1,
    methods,
};

PyMODINIT_FUNC PyInit__chrome_native(void) { return PyModule_Create(&module); }
