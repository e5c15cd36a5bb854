/* acm.c - Aho–Corasick with dense shallow rows and sparse deep states (acm.h). */
#include "checks/acm.h"

#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/xalloc.h"

#define NONE UINT32_MAX
#define TERM 0x80000000u /* flag bit in stored state ids: some pattern ends here */
#define MASK 0x7fffffffu

struct acm {
    /* Patterns, as added. */
    struct buf bytes; /* all pattern bytes, concatenated */
    size_t *off;      /* start of pattern i in bytes */
    uint32_t *len;    /* length of pattern i */
    uint32_t npat, cappat;
    int compiled;

    /* The compiled automaton (state ids in breadth-first order; root = 0). */
    uint32_t nstates, ndense, nclass;
    uint8_t cls[256];   /* byte → class; 0 = a byte in no pattern */
    uint32_t *delta;    /* ndense * nclass flagged targets */
    uint32_t *eoff;     /* sparse state k = s - ndense: edges [eoff[k], eoff[k+1]) */
    uint8_t *ebyte;     /* edge bytes */
    uint32_t *eto;      /* flagged edge targets */
    uint32_t *fail;     /* failure link of sparse state k (plain id) */
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
    free(a->eoff);
    free(a->ebyte);
    free(a->eto);
    free(a->fail);
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

    uint32_t nd = (uint32_t)(budget / ((size_t)nclass * sizeof(uint32_t)));
    if (nd < 1)
        nd = 1;
    if (nd > n)
        nd = n;
    a->ndense = nd;

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
#define FLAG(id) ((id) | (term[(id)] ? TERM : 0))

    /* Dense rows: for each class, the DFA transition with failures resolved.  A dense
     * state's failure is shallower, so its row is already complete. */
    int cls_byte[257];
    for (int c = 0; c < 256; c++)
        if (a->cls[c] || nused == 256)
            cls_byte[a->cls[c]] = c;
    a->delta = xmalloc((size_t)nd * nclass * sizeof(uint32_t));
    for (uint32_t i = 0; i < nd; i++) {
        uint32_t o = order[i];
        uint32_t *row = a->delta + (size_t)i * nclass;
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
                row[k] = a->delta[(size_t)newid[fail[o]] * nclass + k];
        }
    }

    /* Sparse states: own edges (children are consecutive in BFS order) and failure. */
    uint32_t ns = n - nd;
    a->eoff = xmalloc(((size_t)ns + 1) * sizeof(uint32_t));
    a->fail = xmalloc(((size_t)ns + 1) * sizeof(uint32_t));
    size_t nedges = 0;
    for (uint32_t i = nd; i < n; i++)
        for (uint32_t v = t.first[order[i]]; v != NONE; v = t.next[v])
            nedges++;
    a->ebyte = xmalloc(nedges + 1);
    a->eto = xmalloc((nedges + 1) * sizeof(uint32_t));
    size_t e = 0;
    for (uint32_t i = nd; i < n; i++) {
        uint32_t o = order[i];
        a->eoff[i - nd] = (uint32_t)e;
        a->fail[i - nd] = newid[fail[o]];
        for (uint32_t v = t.first[o]; v != NONE; v = t.next[v]) {
            a->ebyte[e] = t.byte[v];
            a->eto[e] = FLAG(newid[v]);
            e++;
        }
    }
    a->eoff[ns] = (uint32_t)e;
#undef FLAG

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

static inline uint32_t step_sparse(const struct acm *a, uint32_t s, uint8_t c)
{
    const uint32_t nd = a->ndense;
    for (;;) {
        if (s < nd)
            return a->delta[(size_t)s * a->nclass + a->cls[c]];
        uint32_t k = s - nd;
        for (uint32_t i = a->eoff[k], end = a->eoff[k + 1]; i < end; i++)
            if (a->ebyte[i] == c)
                return a->eto[i];
        s = a->fail[k];
    }
}

size_t acm_scan(const struct acm *a, const void *text, size_t n, acm_hit_fn fn, void *ctx)
{
    if (!a->compiled)
        BUG("acm_scan before acm_compile");
    if (!a->npat)
        return 0;
    const uint8_t *p = text;
    const uint8_t *cls = a->cls;
    const uint32_t *delta = a->delta;
    const uint32_t nd = a->ndense, nc = a->nclass;
    size_t hits = 0;
    uint32_t s = 0;
    for (size_t i = 0; i < n; i++) {
        uint32_t id = s & MASK;
        if (id < nd)
            s = delta[(size_t)id * nc + cls[p[i]]];
        else
            s = step_sparse(a, id, p[i]);
        if (!(s & TERM))
            continue;
        /* Report the patterns ending here: the state's own, then its dictionary chain. */
        for (uint32_t st = s & MASK; st != NONE; st = a->dict[st]) {
            for (uint32_t o = a->out[st]; o != NONE; o = a->pat_next[o]) {
                hits++;
                if (fn && fn(o, i + 1 - a->len[o], i + 1, ctx))
                    return hits;
            }
        }
    }
    return hits;
}

void acm_get_stats(const struct acm *a, struct acm_stats *st)
{
    memset(st, 0, sizeof(*st));
    if (!a->compiled)
        return;
    uint32_t ns = a->nstates - a->ndense;
    size_t nedges = a->eoff[ns];
    st->states = a->nstates;
    st->dense = a->ndense;
    st->classes = a->nclass;
    st->bytes = (size_t)a->ndense * a->nclass * 4 + ((size_t)ns + 1) * 8 + nedges * 5 +
                (size_t)a->nstates * 8 + (size_t)a->npat * (4 + 4 + sizeof(size_t)) + a->bytes.n;
}
