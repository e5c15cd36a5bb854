/* fuzz_acm.c - the matcher on arbitrary patterns and text: the lines before the first
 * empty line are the patterns (bytes, any), the rest is the text, repeated past 64 KiB so
 * the interleaved scan (acm_scan_parts) runs; its occurrences, appended part by part,
 * must be exactly those of the plain scan, and each must spell its pattern. */
#include <stdlib.h>
#include <string.h>

#include "checks/acm.h"
#include "core/buf.h"
#include "fuzz.h"

struct list {
    uint32_t *v; /* id, end pairs */
    size_t n, cap;
};

static int add(uint32_t id, size_t start, size_t end, void *ctx)
{
    (void)start;
    struct list *l = ctx;
    if (l->n + 2 > l->cap) {
        l->cap = l->cap ? 2 * l->cap : 256;
        l->v = realloc(l->v, l->cap * sizeof(uint32_t));
        if (!l->v)
            abort();
    }
    l->v[l->n++] = id;
    l->v[l->n++] = (uint32_t)end;
    return l->n > (1u << 22) ? ACM_STOP : 0; /* keep memory bounded */
}

FUZZ(acm)
{
    const uint8_t *sep = NULL;
    for (size_t i = 0; i + 1 < size; i++)
        if (data[i] == '\n' && data[i + 1] == '\n') {
            sep = data + i;
            break;
        }
    if (!sep)
        return 0;
    struct acm *a = acm_new();
    const uint8_t *p = data, *end = sep;
    char *pats[64];
    size_t lens[64], np = 0;
    while (p < end && np < 64) {
        const uint8_t *nl = memchr(p, '\n', (size_t)(end - p));
        size_t n = nl ? (size_t)(nl - p) : (size_t)(end - p);
        if (acm_add(a, p, n) != UINT32_MAX) {
            pats[np] = (char *)p;
            lens[np++] = n;
        }
        p += n + 1;
    }
    acm_compile(a, (size_t)(data[0] & 3) * 64); /* small budgets: sparse states */
    const uint8_t *text = sep + 2;
    size_t tn = size - (size_t)(text - data);
    struct buf big = BUF_INIT;
    while (tn && big.n < 70000)
        buf_add(&big, text, tn);
    struct list plain = { 0 }, parts[ACM_PARTS] = { 0 };
    void *ctx[ACM_PARTS];
    for (int k = 0; k < ACM_PARTS; k++)
        ctx[k] = &parts[k];
    acm_scan(a, big.p, big.n, add, &plain);
    acm_scan_parts(a, big.p, big.n, add, ctx);
    size_t at = 0;
    bool stopped = plain.n > (1u << 22);
    for (int k = 0; k < ACM_PARTS; k++) {
        for (size_t i = 0; i < parts[k].n && !stopped; i++, at++)
            FUZZ_ASSERT(at < plain.n && parts[k].v[i] == plain.v[at]);
        free(parts[k].v);
    }
    FUZZ_ASSERT(stopped || at == plain.n);
    for (size_t i = 0; i < plain.n; i += 2) {
        uint32_t id = plain.v[i], e = plain.v[i + 1];
        FUZZ_ASSERT(id < np && e >= lens[id] && !memcmp(big.p + e - lens[id], pats[id], lens[id]));
    }
    free(plain.v);
    buf_release(&big);
    acm_free(a);
    return 0;
}
