/* acm.c - Aho–Corasick with dense shallow rows and sparse deep states (acm.h). */
#include "checks/acm.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"

#define NONE UINT32_MAX
#define TERM 0x80000000u /* flag bit in stored codes: some pattern ends here */
#define HDR  6           /* words before a sparse record's edge bytes */
#define MASK 0x7fffffffu

/* States are stored as *codes*: a dense state's code is the offset of its row in delta
 * (id * rowlen), so a step is one add and one load, and the row's last cell holds the
 * id.  A sparse state's code is dlim + the offset of its record in blob: [failure code,
 * id, number of edges n, code of the first dense state on the failure chain, a 64-bit
 * filter of the edge bytes of the sparse states before it, the n edge bytes packed in
 * ceil(n/4) words, the n flagged target codes], one cache line for most states.  Records are laid
 * out depth first, so the states along one pattern sit together.  The flag bit TERM marks states
 * where a pattern ends. */

struct acm {
    /* Patterns, as added. */
    struct buf bytes; /* all pattern bytes, concatenated */
    size_t *off;      /* start of pattern i in bytes */
    uint32_t *len;    /* length of pattern i */
    uint32_t npat, cappat;
    uint32_t maxlen; /* longest pattern */
    int compiled;

    /* The compiled automaton (state ids in breadth-first order; root = 0). */
    uint32_t nstates, ndense, nclass;
    uint32_t rowlen;    /* nclass + 1: a dense row ends with the state's id */
    uint32_t dlim;      /* ndense * rowlen: codes below it are dense rows */
    uint8_t cls[256];   /* byte → class; 0 = a byte in no pattern */
    uint32_t *delta;    /* ndense * nclass flagged codes */
    uint32_t *blob;     /* sparse records (see below) */
    size_t nblob;       /* words in blob */
    uint32_t *out;      /* first pattern ending at state s, or NONE */
    uint32_t *dict;     /* nearest proper suffix state with a pattern, or NONE */
    uint32_t *pat_next; /* next pattern ending at the same state, or NONE */
};

struct acm *acm_new(void)
{
    return XNEW(struct acm);
}

void acm_free(struct acm *a)
{
    if (!a)
        return;
    buf_release(&a->bytes);
    free(a->off);
    free(a->len);
    free(a->delta);
    free(a->blob);
    free(a->out);
    free(a->dict);
    free(a->pat_next);
    free(a);
}

uint32_t acm_add(struct acm *a, const void *pat, size_t n)
{
    if (a->compiled)
        BUG("acm_add after acm_compile");
    if (n == 0 || n > ACM_MAX_PATTERN || a->npat >= MASK - 1)
        return NONE;
    if (a->npat == a->cappat) {
        size_t c1 = a->cappat, c2 = a->cappat;
        a->off = xgrow(a->off, &c1, a->npat + 1, sizeof(*a->off));
        a->len = xgrow(a->len, &c2, a->npat + 1, sizeof(*a->len));
        a->cappat = (uint32_t)(c1 < c2 ? c1 : c2);
    }
    a->off[a->npat] = a->bytes.n;
    a->len[a->npat] = (uint32_t)n;
    if (n > a->maxlen)
        a->maxlen = (uint32_t)n;
    buf_add(&a->bytes, pat, n);
    return a->npat++;
}

uint32_t acm_patterns(const struct acm *a)
{
    return a->npat;
}

size_t acm_pattern_len(const struct acm *a, uint32_t id)
{
    return id < a->npat ? a->len[id] : 0;
}

/* --- construction: a trie with a hash of edges, then BFS ------------------------- */

struct trie {
    uint32_t n, cap;
    uint32_t *first, *next; /* child list, sibling list (in insertion order) */
    uint8_t *byte;          /* byte on the edge into the node */
    uint32_t *out;          /* first pattern ending here */
    uint64_t *hkey;         /* edge hash: key (parent << 8 | byte) + 1, 0 = empty */
    uint32_t *hval;
    size_t hcap;
};

static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

static uint32_t trie_get(const struct trie *t, uint32_t parent, uint8_t c)
{
    uint64_t key = ((uint64_t)parent << 8 | c) + 1;
    for (size_t i = mix(key) & (t->hcap - 1);; i = (i + 1) & (t->hcap - 1)) {
        if (t->hkey[i] == key)
            return t->hval[i];
        if (!t->hkey[i])
            return NONE;
    }
}

static uint32_t trie_new_node(struct trie *t, uint8_t c)
{
    if (t->n == t->cap) {
        size_t c0 = t->cap, c1 = t->cap, c2 = t->cap, c3 = t->cap;
        t->first = xgrow(t->first, &c0, t->n + 1, sizeof(uint32_t));
        t->next = xgrow(t->next, &c1, t->n + 1, sizeof(uint32_t));
        t->out = xgrow(t->out, &c2, t->n + 1, sizeof(uint32_t));
        t->byte = xgrow(t->byte, &c3, t->n + 1, 1);
        t->cap = (uint32_t)c0;
    }
    t->first[t->n] = t->next[t->n] = t->out[t->n] = NONE;
    t->byte[t->n] = c;
    return t->n++;
}

static uint32_t trie_child(struct trie *t, uint32_t parent, uint8_t c)
{
    uint64_t key = ((uint64_t)parent << 8 | c) + 1;
    size_t i = mix(key) & (t->hcap - 1);
    for (; t->hkey[i]; i = (i + 1) & (t->hcap - 1))
        if (t->hkey[i] == key)
            return t->hval[i];
    uint32_t v = trie_new_node(t, c);
    t->hkey[i] = key;
    t->hval[i] = v;
    /* Append to the parent's child list, keeping insertion order. */
    if (t->first[parent] == NONE) {
        t->first[parent] = v;
    } else {
        uint32_t k = t->first[parent];
        while (t->next[k] != NONE)
            k = t->next[k];
        t->next[k] = v;
    }
    return v;
}

/* Transition of the (old-numbered) trie with failure links, for construction. */
static uint32_t goto_fail(const struct trie *t, const uint32_t *fail, uint32_t s, uint8_t c)
{
    for (;;) {
        uint32_t v = trie_get(t, s, c);
        if (v != NONE)
            return v;
        if (s == 0)
            return 0;
        s = fail[s];
    }
}

void acm_compile(struct acm *a, size_t budget)
{
    if (a->compiled)
        BUG("acm_compile called twice");
    a->compiled = 1;
    if (!budget)
        budget = ACM_DENSE_BUDGET;

    struct trie t = { 0 };
    size_t total = a->bytes.n + 1;
    t.hcap = 16;
    while (t.hcap < 2 * total)
        t.hcap <<= 1;
    t.hkey = xcalloc(t.hcap, sizeof(uint64_t));
    t.hval = xcalloc(t.hcap, sizeof(uint32_t));
    trie_new_node(&t, 0);
    a->pat_next = xmalloc(((size_t)a->npat + 1) * sizeof(uint32_t));
    for (uint32_t i = 0; i < a->npat; i++) {
        const uint8_t *p = (const uint8_t *)a->bytes.p + a->off[i];
        uint32_t s = 0;
        for (uint32_t k = 0; k < a->len[i]; k++)
            s = trie_child(&t, s, p[k]);
        /* Keep patterns ending at one state in id order. */
        a->pat_next[i] = NONE;
        if (t.out[s] == NONE) {
            t.out[s] = i;
        } else {
            uint32_t k = t.out[s];
            while (a->pat_next[k] != NONE)
                k = a->pat_next[k];
            a->pat_next[k] = i;
        }
    }

    /* Breadth-first order, failure and dictionary links (old numbering). */
    uint32_t n = t.n;
    uint32_t *order = xmalloc((size_t)n * sizeof(uint32_t));
    uint32_t *fail = xmalloc((size_t)n * sizeof(uint32_t));
    uint32_t *dict = xmalloc((size_t)n * sizeof(uint32_t));
    uint32_t head = 0, tail = 0;
    order[tail++] = 0;
    fail[0] = 0;
    dict[0] = NONE;
    while (head < tail) {
        uint32_t u = order[head++];
        for (uint32_t v = t.first[u]; v != NONE; v = t.next[v]) {
            order[tail++] = v;
            fail[v] = u == 0 ? 0 : goto_fail(&t, fail, fail[u], t.byte[v]);
            uint32_t f = fail[v];
            dict[v] = f != 0 && t.out[f] != NONE ? f : dict[f];
        }
    }
    uint32_t *newid = xmalloc((size_t)n * sizeof(uint32_t));
    for (uint32_t i = 0; i < n; i++)
        newid[order[i]] = i;

    /* Byte classes: one per byte used in some pattern, 0 for the rest (when every byte
     * is used there is no shared class and classes are the bytes themselves). */
    uint8_t used[256] = { 0 };
    int nused = 0;
    for (size_t i = 0; i < a->bytes.n; i++) {
        uint8_t c = (uint8_t)a->bytes.p[i];
        nused += !used[c];
        used[c] = 1;
    }
    uint32_t nclass = 1;
    for (int c = 0; c < 256; c++) {
        if (nused == 256)
            a->cls[c] = (uint8_t)c;
        else
            a->cls[c] = used[c] ? (uint8_t)nclass++ : 0;
    }
    if (nused == 256)
        nclass = 256;
    a->nclass = nclass;
    a->nstates = n;

    uint32_t rowlen = nclass + 1;
    uint32_t nd = (uint32_t)(budget / ((size_t)rowlen * sizeof(uint32_t)));
    if (nd < 1)
        nd = 1;
    if (nd > n)
        nd = n;
    a->ndense = nd;
    a->rowlen = rowlen;
    a->dlim = nd * rowlen;

    /* Per-state outputs in new numbering. */
    a->out = xmalloc((size_t)n * sizeof(uint32_t));
    a->dict = xmalloc((size_t)n * sizeof(uint32_t));
    uint8_t *term = xcalloc(n, 1);
    for (uint32_t i = 0; i < n; i++) {
        uint32_t o = order[i];
        a->out[i] = t.out[o];
        a->dict[i] = dict[o] == NONE ? NONE : newid[dict[o]];
        term[i] = t.out[o] != NONE || dict[o] != NONE;
    }
    /* Sparse record offsets, depth first from the root. */
    uint32_t ns = n - nd;
    uint32_t *soff = xmalloc(((size_t)ns + 1) * sizeof(uint32_t));
    uint32_t *stack = xmalloc(((size_t)n + 1) * sizeof(uint32_t));
    uint32_t sp = 0;
    size_t words = 0;
    stack[sp++] = 0;
    while (sp) {
        uint32_t u = stack[--sp], ne = 0;
        for (uint32_t v = t.first[u]; v != NONE; v = t.next[v], ne++)
            stack[sp++] = v;
        if (newid[u] >= nd) {
            soff[newid[u] - nd] = (uint32_t)words;
            words += HDR + (ne + 3) / 4 + ne;
        }
    }
    free(stack);
    if (a->dlim + words >= MASK)
        BUG("acm: automaton too large (%zu words)", words);
#define CODE(id) ((id) < nd ? (id)*rowlen : a->dlim + soff[(id)-nd])
#define FLAG(id) (CODE(id) | (term[(id)] ? TERM : 0))

    /* Dense rows: for each class, the DFA transition with failures resolved.  A dense
     * state's failure is shallower, so its row is already complete. */
    int cls_byte[257];
    for (int c = 0; c < 256; c++)
        if (a->cls[c] || nused == 256)
            cls_byte[a->cls[c]] = c;
    a->delta = xmalloc((size_t)nd * rowlen * sizeof(uint32_t));
    for (uint32_t i = 0; i < nd; i++) {
        uint32_t o = order[i];
        uint32_t *row = a->delta + (size_t)i * rowlen;
        row[nclass] = i;
        for (uint32_t k = 0; k < nclass; k++) {
            if (k == 0 && nused < 256) {
                row[0] = FLAG(0);
                continue;
            }
            uint8_t c = (uint8_t)cls_byte[k];
            uint32_t v = trie_get(&t, o, c);
            if (v != NONE)
                row[k] = FLAG(newid[v]);
            else if (i == 0)
                row[k] = FLAG(0);
            else
                row[k] = a->delta[(size_t)CODE(newid[fail[o]]) + k];
        }
    }

    /* Sparse records. */
    a->nblob = words;
    a->blob = xcalloc(words + 1, sizeof(uint32_t));
    for (uint32_t i = nd; i < n; i++) {
        uint32_t o = order[i], ne = 0;
        for (uint32_t v = t.first[o]; v != NONE; v = t.next[v])
            ne++;
        uint32_t *r = a->blob + soff[i - nd];
        uint32_t f = newid[fail[o]];
        r[0] = CODE(f);
        r[1] = i;
        r[2] = ne;
        /* The first dense state on the failure chain, and the bytes on which a sparse
         * state before it has an edge: other bytes go straight to the dense row.  The
         * failure is shallower, so its record is already complete (BFS order). */
        uint64_t bloom = 0;
        if (f < nd) {
            r[3] = CODE(f);
        } else {
            const uint32_t *fr = a->blob + soff[f - nd];
            const uint8_t *fb = (const uint8_t *)(fr + HDR);
            r[3] = fr[3];
            bloom = fr[4] | (uint64_t)fr[5] << 32;
            for (uint32_t k = 0; k < fr[2]; k++)
                bloom |= 1ULL << (fb[k] & 63);
        }
        r[4] = (uint32_t)bloom;
        r[5] = (uint32_t)(bloom >> 32);
        uint8_t *bytes = (uint8_t *)(r + HDR);
        uint32_t *to = r + HDR + (ne + 3) / 4, j = 0;
        for (uint32_t v = t.first[o]; v != NONE; v = t.next[v], j++) {
            bytes[j] = t.byte[v];
            to[j] = FLAG(newid[v]);
        }
    }
#undef FLAG
#undef CODE

    free(soff);
    free(term);
    free(order);
    free(fail);
    free(dict);
    free(newid);
    free(t.first);
    free(t.next);
    free(t.byte);
    free(t.out);
    free(t.hkey);
    free(t.hval);
}

/* A step from a sparse state (code s ≥ dlim): its own edges, else straight to the first
 * dense state of its failure chain when no sparse state on the way has an edge for c,
 * else its failure's. */
static inline uint32_t step_sparse(const struct acm *a, uint32_t s, uint8_t c)
{
    for (;;) {
        if (s < a->dlim)
            return a->delta[s + a->cls[c]];
        const uint32_t *r = a->blob + (s - a->dlim);
        uint32_t ne = r[2];
        const uint8_t *bytes = (const uint8_t *)(r + HDR);
        for (uint32_t j = 0; j < ne; j++)
            if (bytes[j] == c)
                return r[HDR + (ne + 3) / 4 + j];
        uint32_t half = r[4 + ((c >> 5) & 1)];
        if (!((half >> (c & 31)) & 1))
            return a->delta[r[3] + a->cls[c]];
        s = r[0];
    }
}

/* The state id of a code. */
static inline uint32_t code_id(const struct acm *a, uint32_t s)
{
    return s < a->dlim ? a->delta[s + a->nclass] : a->blob[s - a->dlim + 1];
}

/* Report the patterns ending at state `id`; returns nonzero to stop. */
static int report(const struct acm *a, uint32_t id, size_t end, acm_hit_fn fn, void *ctx,
                  size_t *hits)
{
    for (uint32_t st = id; st != NONE; st = a->dict[st]) {
        for (uint32_t o = a->out[st]; o != NONE; o = a->pat_next[o]) {
            (*hits)++;
            int r = fn ? fn(o, end - a->len[o], end, ctx) : 0;
            if (r == ACM_STOP)
                return 1;
            if (r == ACM_SKIP)
                return 0;
        }
    }
    return 0;
}

#define STEP(s, c) ((s) < dlim ? delta[(s) + cls[(c)]] : step_sparse(a, (s), (c)))

/* The plain scan of p[from, to), reporting ends in (from, to]. */
static int scan_plain(const struct acm *a, const uint8_t *p, size_t from, size_t to, uint32_t *sp,
                      acm_hit_fn fn, void *ctx, size_t *hits)
{
    const uint8_t *cls = a->cls;
    const uint32_t *delta = a->delta;
    const uint32_t dlim = a->dlim;
    uint32_t s = *sp; /* a code, without the flag */
    for (size_t i = from; i < to; i++) {
        s = STEP(s, p[i]);
        if (s & TERM) {
            s &= MASK;
            if (report(a, code_id(a, s), i + 1, fn, ctx, hits))
                return 1;
        }
    }
    *sp = s;
    return 0;
}

size_t acm_scan(const struct acm *a, const void *text, size_t n, acm_hit_fn fn, void *ctx)
{
    if (!a->compiled)
        BUG("acm_scan before acm_compile");
    uint32_t s = 0;
    size_t hits = 0;
    if (a->npat)
        scan_plain(a, text, 0, n, &s, fn, ctx, &hits);
    return hits;
}

size_t acm_scan_parts(const struct acm *a, const void *text, size_t n, acm_hit_fn fn,
                      void *const ctx[ACM_PARTS])
{
    if (!a->compiled)
        BUG("acm_scan before acm_compile");
    if (!a->npat)
        return 0;
    const uint8_t *p = text;
    size_t hits = 0, warm = a->maxlen - 1, len = n / ACM_PARTS;
    uint32_t st[ACM_PARTS] = { 0 };
    if (len < ACM_PARTS_MIN || warm > len / 8) {
        scan_plain(a, p, 0, n, &st[0], fn, ctx[0], &hits);
        return hits;
    }
    const uint8_t *cls = a->cls;
    const uint32_t *delta = a->delta;
    const uint32_t dlim = a->dlim;
    /* Part j starts at j * len (the last one runs to n); each but the first first reads
     * the maxlen - 1 bytes before it, reporting nothing, to reach the state a single pass
     * would have there. */
    const uint8_t *q[ACM_PARTS];
    for (int j = 0; j < ACM_PARTS; j++) {
        size_t from = (size_t)j * len, w = j ? warm : 0;
        for (size_t i = from - w; i < from; i++)
            st[j] = STEP(st[j], p[i]) & MASK;
        q[j] = p + from;
    }
    /* In blocks: mark the positions where patterns end without branching (a branch on
     * each loaded state would serialise the streams when matches are dense), then
     * report each stream's marks in order. */
    enum { BLOCK = 2048 };
    uint32_t mpos[ACM_PARTS][BLOCK + 1], mstate[ACM_PARTS][BLOCK + 1];
    bool dense = false;
    for (size_t base = 0; base < len; base += BLOCK) {
        size_t end = base + BLOCK < len ? base + BLOCK : len;
        uint32_t nm[ACM_PARTS] = { 0 };
        size_t before = hits;
        if (!dense) {
            /* Rare matches: report as they come (a well-predicted branch). */
            for (size_t i = base; i < end; i++) {
                for (int j = 0; j < ACM_PARTS; j++) {
                    uint32_t x = STEP(st[j], q[j][i]);
                    if (x & TERM) {
                        x &= MASK;
                        if (report(a, code_id(a, x), (size_t)j * len + i + 1, fn, ctx[j], &hits))
                            return hits;
                    }
                    st[j] = x;
                }
            }
            dense = (hits - before) * 16 > (end - base) * ACM_PARTS;
            continue;
        }
        /* Dense matches: a branch on each loaded state would mispredict and serialise
         * the streams, so mark the places without branching, then report in order. */
        for (size_t i = base; i < end; i++) {
            for (int j = 0; j < ACM_PARTS; j++) {
                uint32_t x = STEP(st[j], q[j][i]);
                mpos[j][nm[j]] = (uint32_t)(i - base);
                mstate[j][nm[j]] = x & MASK;
                nm[j] += x >> 31;
                st[j] = x & MASK;
            }
        }
        size_t marks = 0;
        for (int j = 0; j < ACM_PARTS; j++) {
            marks += nm[j];
            for (uint32_t k = 0; k < nm[j]; k++)
                if (report(a, code_id(a, mstate[j][k]), (size_t)j * len + base + mpos[j][k] + 1, fn,
                           ctx[j], &hits))
                    return hits;
        }
        dense = marks * 16 > (end - base) * ACM_PARTS;
    }
    size_t last = (size_t)(ACM_PARTS - 1) * len;
    scan_plain(a, p, last + len, n, &st[ACM_PARTS - 1], fn, ctx[ACM_PARTS - 1], &hits);
    return hits;
}
#undef STEP

void acm_get_stats(const struct acm *a, struct acm_stats *st)
{
    memset(st, 0, sizeof(*st));
    if (!a->compiled)
        return;
    st->states = a->nstates;
    st->dense = a->ndense;
    st->classes = a->nclass;
    st->bytes = ((size_t)a->dlim + a->nblob) * 4 + (size_t)a->nstates * 8 +
                (size_t)a->npat * (4 + 4 + sizeof(size_t)) + a->bytes.n;
}
