/* wl_keys.c - visitor keys: the hash, in-memory sets, the Rice codec and the k-way merge
 * that counts distinct keys over many days (see wl_int.h). */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "weblog/wl_int.h"

/* ---- wyhash (v4 final), little-endian reads on every host ---- */

static const uint64_t WY0 = 0x2d358dccaa6c78a5ULL, WY1 = 0x8bb84b93962eacc9ULL,
                      WY2 = 0x4b33a62ed433d4a3ULL, WY3 = 0x4d5a2da51de1aa47ULL;

static inline void mum(uint64_t *a, uint64_t *b)
{
#ifdef __SIZEOF_INT128__
    __uint128_t r = (__uint128_t)*a * *b;
    *a = (uint64_t)r;
    *b = (uint64_t)(r >> 64);
#else
    uint64_t ha = *a >> 32, hb = *b >> 32, la = (uint32_t)*a, lb = (uint32_t)*b;
    uint64_t rh = ha * hb, rm0 = ha * lb, rm1 = hb * la, rl = la * lb, t = rl + (rm0 << 32);
    uint64_t c = t < rl;
    uint64_t lo = t + (rm1 << 32);
    c += lo < t;
    uint64_t hi = rh + (rm0 >> 32) + (rm1 >> 32) + c;
    *a = lo;
    *b = hi;
#endif
}

static inline uint64_t mix(uint64_t a, uint64_t b)
{
    mum(&a, &b);
    return a ^ b;
}

static inline uint64_t r8(const uint8_t *p)
{
    uint64_t v;
    memcpy(&v, p, 8);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap64(v);
#endif
    return v;
}

static inline uint64_t r4(const uint8_t *p)
{
    uint32_t v;
    memcpy(&v, p, 4);
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
    v = __builtin_bswap32(v);
#endif
    return v;
}

static inline uint64_t r3(const uint8_t *p, size_t k)
{
    return ((uint64_t)p[0] << 16) | ((uint64_t)p[k >> 1] << 8) | p[k - 1];
}

uint64_t wl_hash(const void *key, size_t len, uint64_t seed)
{
    const uint8_t *p = key;
    seed ^= mix(seed ^ WY0, WY1);
    uint64_t a, b;
    if (len <= 16) {
        if (len >= 4) {
            a = (r4(p) << 32) | r4(p + ((len >> 3) << 2));
            b = (r4(p + len - 4) << 32) | r4(p + len - 4 - ((len >> 3) << 2));
        } else if (len > 0) {
            a = r3(p, len);
            b = 0;
        } else {
            a = b = 0;
        }
    } else {
        size_t i = len;
        if (i > 48) {
            uint64_t s1 = seed, s2 = seed;
            do {
                seed = mix(r8(p) ^ WY1, r8(p + 8) ^ seed);
                s1 = mix(r8(p + 16) ^ WY2, r8(p + 24) ^ s1);
                s2 = mix(r8(p + 32) ^ WY3, r8(p + 40) ^ s2);
                p += 48;
                i -= 48;
            } while (i > 48);
            seed ^= s1 ^ s2;
        }
        while (i > 16) {
            seed = mix(r8(p) ^ WY1, r8(p + 8) ^ seed);
            i -= 16;
            p += 16;
        }
        a = r8(p + i - 16);
        b = r8(p + i - 8);
    }
    a ^= WY1;
    b ^= seed;
    mum(&a, &b);
    return mix(a ^ WY0 ^ len, b ^ WY1);
}

uint64_t wl_visitor_key(uint64_t ip_hash, uint64_t ua_hash)
{
    uint64_t k = mix(ip_hash ^ WY2, ua_hash ^ WY3);
    k = mix(k ^ WY0, WY1 ^ ip_hash);
    return k ? k : 1;
}

/* ---- sets ---- */

static void set_grow(struct wl_set *s)
{
    size_t ncap = s->cap ? s->cap * 2 : 16;
    uint64_t *nv = xcalloc(ncap, sizeof(uint64_t));
    size_t mask = ncap - 1;
    for (size_t i = 0; i < s->cap; i++) {
        uint64_t k = s->v[i];
        if (!k)
            continue;
        size_t j = (size_t)(k ^ (k >> 29)) & mask;
        while (nv[j])
            j = (j + 1) & mask;
        nv[j] = k;
    }
    free(s->v);
    s->v = nv;
    s->cap = ncap;
}

bool wl_set_add(struct wl_set *s, uint64_t k)
{
    if (NEVER(k == 0))
        return false;
    if ((s->n + 1) * 10 > s->cap * 7)
        set_grow(s);
    size_t mask = s->cap - 1;
    size_t j = (size_t)(k ^ (k >> 29)) & mask;
    for (;;) {
        uint64_t v = s->v[j];
        if (v == k)
            return false;
        if (!v) {
            s->v[j] = k;
            s->n++;
            return true;
        }
        j = (j + 1) & mask;
    }
}

void wl_set_release(struct wl_set *s)
{
    free(s->v);
    s->v = NULL;
    s->n = s->cap = 0;
}

void wl_sort_u64(uint64_t *v, size_t n)
{
    if (n < 2)
        return;
    if (n < 64) {
        for (size_t i = 1; i < n; i++) {
            uint64_t x = v[i];
            size_t j = i;
            for (; j > 0 && v[j - 1] > x; j--)
                v[j] = v[j - 1];
            v[j] = x;
        }
        return;
    }
    /* LSD radix sort, 8 bits per pass; passes where every key has the same byte are
     * skipped. */
    uint64_t *tmp = xmalloc(n * sizeof(uint64_t));
    uint64_t *src = v, *dst = tmp;
    for (int sh = 0; sh < 64; sh += 8) {
        size_t cnt[256] = { 0 };
        for (size_t i = 0; i < n; i++)
            cnt[(src[i] >> sh) & 0xff]++;
        if (cnt[(src[0] >> sh) & 0xff] == n)
            continue;
        size_t sum = 0;
        for (int d = 0; d < 256; d++) {
            size_t c = cnt[d];
            cnt[d] = sum;
            sum += c;
        }
        for (size_t i = 0; i < n; i++)
            dst[cnt[(src[i] >> sh) & 0xff]++] = src[i];
        uint64_t *t = src;
        src = dst;
        dst = t;
    }
    if (src != v)
        memcpy(v, src, n * sizeof(uint64_t));
    free(tmp);
}

uint64_t *wl_set_sorted(const struct wl_set *s, size_t *n)
{
    uint64_t *out = xmalloc((s->n ? s->n : 1) * sizeof(uint64_t));
    size_t k = 0;
    for (size_t i = 0; i < s->cap; i++)
        if (s->v[i])
            out[k++] = s->v[i];
    wl_sort_u64(out, k);
    *n = k;
    return out;
}

/* ---- the Rice codec ---- */

#define CODEC_VERSION 1

struct bitw {
    struct buf *out;
    uint64_t acc;
    int n;
};

static void put_bits(struct bitw *w, uint64_t v, int nbits)
{
    /* nbits <= 32 per call keeps acc from overflowing (n < 8 after each flush). */
    w->acc |= v << w->n;
    w->n += nbits;
    while (w->n >= 8) {
        buf_addc(w->out, (char)(w->acc & 0xff));
        w->acc >>= 8;
        w->n -= 8;
    }
}

static void put_wide(struct bitw *w, uint64_t v, int nbits)
{
    while (nbits > 32) {
        put_bits(w, v & 0xffffffffULL, 32);
        v >>= 32;
        nbits -= 32;
    }
    if (nbits > 0)
        put_bits(w, v & ((1ULL << nbits) - 1), nbits);
}

static int rice_param(size_t n)
{
    int lg = 0;
    while (lg < 63 && ((uint64_t)n >> (lg + 1)))
        lg++;
    return 63 - lg; /* n >= 1 */
}

struct wl_kenc {
    struct bitw w;
    int b;
    uint64_t n, i, last;
};

static void kenc_begin(struct wl_kenc *e, struct buf *out, uint64_t n)
{
    memset(e, 0, sizeof(*e));
    e->w.out = out;
    e->n = n;
    buf_addc(out, CODEC_VERSION);
    uint64_t v = n;
    do {
        uint8_t byte = v & 0x7f;
        v >>= 7;
        buf_addc(out, (char)(byte | (v ? 0x80 : 0)));
    } while (v);
    if (n) {
        e->b = rice_param((size_t)n);
        buf_addc(out, (char)e->b);
    }
}

static void kenc_add(struct wl_kenc *e, uint64_t k)
{
    if (e->i >= e->n || (e->i && k <= e->last))
        BUG("wl_keys_encode: more keys than announced, or not strictly ascending");
    uint64_t d = e->i ? k - e->last - 1 : k;
    uint64_t q = d >> e->b;
    while (q >= 32) {
        put_bits(&e->w, 0xffffffffULL, 32);
        q -= 32;
    }
    put_bits(&e->w, (1ULL << q) - 1, (int)q + 1); /* q ones and a zero */
    put_wide(&e->w, d, e->b);
    e->last = k;
    e->i++;
}

static void kenc_end(struct wl_kenc *e)
{
    if (e->i != e->n)
        BUG("wl_keys_encode: %llu keys announced, %llu given", (unsigned long long)e->n,
            (unsigned long long)e->i);
    if (e->w.n)
        buf_addc(e->w.out, (char)(e->w.acc & 0xff));
}

void wl_keys_encode(const uint64_t *k, size_t n, struct buf *out)
{
    struct wl_kenc e;
    kenc_begin(&e, out, n);
    for (size_t i = 0; i < n; i++)
        kenc_add(&e, k[i]);
    kenc_end(&e);
}

static bool read_header(const uint8_t **pp, const uint8_t *end, uint64_t *n)
{
    const uint8_t *p = *pp;
    if (p >= end || *p++ != CODEC_VERSION)
        return false;
    uint64_t v = 0;
    for (int sh = 0;; sh += 7) {
        if (p >= end || sh > 63)
            return false;
        uint8_t byte = *p++;
        v |= (uint64_t)(byte & 0x7f) << sh;
        if (!(byte & 0x80))
            break;
    }
    *n = v;
    *pp = p;
    return true;
}

bool wl_kdec_init(struct wl_kdec *d, const void *blob, size_t n)
{
    memset(d, 0, sizeof(*d));
    d->p = blob;
    d->end = d->p + n;
    d->first = true;
    if (!read_header(&d->p, d->end, &d->left)) {
        d->bad = true;
        return false;
    }
    if (!d->left)
        return true;
    if (d->p >= d->end || *d->p > 63) {
        d->bad = true;
        return false;
    }
    d->b = *d->p++;
    /* Each key takes at least b + 1 bits: refuse counts the bytes cannot hold. */
    if (d->left > ((uint64_t)(d->end - d->p) * 8) / (uint64_t)(d->b + 1)) {
        d->bad = true;
        return false;
    }
    return true;
}

static bool fill(struct wl_kdec *d)
{
    while (d->nacc <= 56 && d->p < d->end) {
        d->acc |= (uint64_t)*d->p++ << d->nacc;
        d->nacc += 8;
    }
    return d->nacc > 0;
}

static bool get_bits(struct wl_kdec *d, int nbits, uint64_t *v)
{
    uint64_t out = 0;
    int got = 0;
    while (got < nbits) {
        if (!d->nacc && !fill(d))
            return false;
        int take = nbits - got < d->nacc ? nbits - got : d->nacc;
        if (take > 32)
            take = 32;
        out |= (d->acc & ((1ULL << take) - 1)) << got;
        d->acc >>= take;
        d->nacc -= take;
        got += take;
    }
    *v = out;
    return true;
}

bool wl_kdec_next(struct wl_kdec *d, uint64_t *key)
{
    if (d->bad || !d->left)
        return false;
    uint64_t q = 0;
    for (;;) {
        if (!d->nacc && !fill(d)) {
            d->bad = true;
            return false;
        }
        uint64_t ones = d->acc == ~0ULL ? 64 : (uint64_t)__builtin_ctzll(~d->acc);
        if ((int)ones < d->nacc) {
            q += ones;
            d->acc >>= ones;
            d->acc >>= 1; /* the terminating zero */
            d->nacc -= (int)ones + 1;
            break;
        }
        q += (uint64_t)d->nacc;
        d->acc = 0;
        d->nacc = 0;
        if (d->b > 0 && q > (1ULL << (64 - d->b))) {
            d->bad = true;
            return false;
        }
    }
    uint64_t r = 0;
    if (d->b && !get_bits(d, d->b, &r)) {
        d->bad = true;
        return false;
    }
    if (d->b > 0 && q >> (64 - d->b)) {
        d->bad = true;
        return false;
    }
    uint64_t gap = (q << d->b) | r;
    uint64_t k;
    if (d->first) {
        k = gap;
        d->first = false;
    } else {
        if (gap == UINT64_MAX || d->last > UINT64_MAX - gap - 1) {
            d->bad = true;
            return false;
        }
        k = d->last + gap + 1;
    }
    d->last = k;
    d->left--;
    *key = k;
    return true;
}

uint64_t wl_keys_count(const void *blob, size_t n)
{
    const uint8_t *p = blob;
    uint64_t v = 0;
    return read_header(&p, p + n, &v) ? v : 0;
}

/* A k-way merge of encoded sets: a min-heap of decoders keyed by their current key. */
struct cursor {
    struct wl_kdec d;
    uint64_t cur;
};

struct merge {
    struct cursor *cs;
    struct cursor **h;
    size_t nh;
    bool any;
    uint64_t last;
};

static void sift_down(struct cursor **h, size_t n, size_t i)
{
    for (;;) {
        size_t l = 2 * i + 1, m = i;
        if (l < n && h[l]->cur < h[m]->cur)
            m = l;
        if (l + 1 < n && h[l + 1]->cur < h[m]->cur)
            m = l + 1;
        if (m == i)
            return;
        struct cursor *t = h[i];
        h[i] = h[m];
        h[m] = t;
        i = m;
    }
}

static void merge_release(struct merge *m)
{
    free(m->cs);
    free(m->h);
}

/* false when a blob is corrupt (m released) */
static bool merge_init(struct merge *m, const struct wl_blob *v, size_t n)
{
    memset(m, 0, sizeof(*m));
    m->cs = xcalloc(n ? n : 1, sizeof(struct cursor));
    m->h = xcalloc(n ? n : 1, sizeof(struct cursor *));
    for (size_t i = 0; i < n; i++) {
        struct cursor *c = &m->cs[i];
        if (wl_kdec_init(&c->d, v[i].p, v[i].n) && wl_kdec_next(&c->d, &c->cur))
            m->h[m->nh++] = c;
        else if (c->d.bad) {
            merge_release(m);
            return false;
        }
    }
    for (size_t i = m->nh; i-- > 0;)
        sift_down(m->h, m->nh, i);
    return true;
}

/* The next distinct key: 1, 0 at the end, -1 on a corrupt blob. */
static int merge_next(struct merge *m, uint64_t *key)
{
    while (m->nh) {
        struct cursor *c = m->h[0];
        uint64_t k = c->cur;
        if (wl_kdec_next(&c->d, &c->cur)) {
            sift_down(m->h, m->nh, 0);
        } else {
            if (c->d.bad)
                return -1;
            m->h[0] = m->h[--m->nh];
            sift_down(m->h, m->nh, 0);
        }
        if (!m->any || k != m->last) {
            m->any = true;
            m->last = k;
            *key = k;
            return 1;
        }
    }
    return 0;
}

enum rc wl_keys_distinct(const struct wl_blob *v, size_t n, const char *what, int64_t *out,
                         struct err *err)
{
    *out = 0;
    struct merge m;
    if (!merge_init(&m, v, n))
        return err_set(err, RC_DB, "corrupt visitor keys in %s", what);
    uint64_t k;
    int r;
    int64_t count = 0;
    while ((r = merge_next(&m, &k)) > 0)
        count++;
    merge_release(&m);
    if (r < 0)
        return err_set(err, RC_DB, "corrupt visitor keys in %s", what);
    *out = count;
    return RC_OK;
}

enum rc wl_keys_union(const struct wl_blob *v, size_t n, const char *what, struct buf *out,
                      struct err *err)
{
    int64_t count;
    enum rc rc = wl_keys_distinct(v, n, what, &count, err);
    if (rc)
        return rc;
    struct merge m;
    if (!merge_init(&m, v, n))
        return err_set(err, RC_DB, "corrupt visitor keys in %s", what);
    struct wl_kenc e;
    kenc_begin(&e, out, (uint64_t)count);
    uint64_t k;
    while (merge_next(&m, &k) > 0)
        kenc_add(&e, k);
    kenc_end(&e);
    merge_release(&m);
    return RC_OK;
}
