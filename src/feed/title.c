/* title.c - comparing an upstream title with a re-post's: normal form, 文号, Dice, the
 * number rule (feed.h, docs/feeds.md "Matching"). */
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "feed/feed.h"
#include "feed/feed_int.h"

#define MAX_CPS 1024 /* code points compared per title: titles are short */

/* Decode s into cps (at most max); returns the count. */
static size_t decode(const char *s, size_t n, uint32_t *cps, size_t max)
{
    size_t k = 0;
    while (n && k < max) {
        size_t len;
        cps[k++] = utf8_decode(s, n, &len);
        s += len;
        n -= len;
    }
    return k;
}

static bool is_space_cp(uint32_t c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v' ||
           c == 0xA0 || c == 0x3000 || (c >= 0x2000 && c <= 0x200B) || c == 0xFEFF;
}

/* Punctuation and symbols dropped from the normal form.  Letters, digits, CJK
 * ideographs and 〇 (U+3007, a numeral) are kept. */
bool feed__is_punct(uint32_t c)
{
    if (c < 0x80)
        return !((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'));
    if (c >= 0x80 && c <= 0xBF)
        return true;
    if (c == 0xD7 || c == 0xF7)
        return true;
    if (c >= 0x2000 && c <= 0x2BFF) /* general punctuation, arrows, symbols, shapes */
        return true;
    if (c >= 0x3000 && c <= 0x303F)
        return c != 0x3005 && c != 0x3007; /* keep 々 and 〇 */
    if (c >= 0xFE10 && c <= 0xFE6F) /* vertical and small forms */
        return true;
    if (c >= 0xFF00 && c <= 0xFFEF) /* what utf8_fold leaves of the full-width block */
        return !((c >= 0xFF10 && c <= 0xFF19) || (c >= 0xFF21 && c <= 0xFF3A) ||
                 (c >= 0xFF41 && c <= 0xFF5A) || (c >= 0xFF66 && c <= 0xFF9D));
    return c == 0xFFFD;
}

static size_t skip_space(const uint32_t *c, size_t i, size_t n)
{
    while (i < n && is_space_cp(c[i]))
        i++;
    return i;
}

/* Does c[i..] start with the UTF-8 text `lit`?  Returns its length in code points. */
static size_t starts(const uint32_t *c, size_t i, size_t n, const char *lit)
{
    uint32_t w[16];
    size_t k = decode(lit, strlen(lit), w, 16);
    if (i + k > n)
        return 0;
    for (size_t j = 0; j < k; j++)
        if (c[i + j] != w[j])
            return 0;
    return k;
}

/* Re-post markers at the start of a title, after utf8_fold (full-width brackets and
 * colons are ASCII by then). */
static const char *const prefixes[] = {
    "【转载】", "【转发】", "【转】", "【转自", "[转载]", "[转发]", "[转]", "(转载)", "(转发)",
    "〔转载〕", "〔转发〕", "转载自", "转发自", "转载:", "转发:", "转:", "转载", "转发",
};

void feed_title_norm(const char *s, size_t n, struct buf *out)
{
    struct buf f = BUF_INIT;
    utf8_fold(&f, s, n);
    uint32_t *c = xmalloc(MAX_CPS * sizeof(*c));
    size_t k = decode(f.p ? f.p : "", f.n, c, MAX_CPS);
    buf_release(&f);

    /* Leading markers, possibly several ("【转载】转发：…"). */
    size_t i = skip_space(c, 0, k);
    for (bool again = true; again;) {
        again = false;
        for (size_t p = 0; p < sizeof(prefixes) / sizeof(prefixes[0]); p++) {
            size_t m = starts(c, i, k, prefixes[p]);
            if (m && i + m < k) {
                i = skip_space(c, i + m, k);
                /* "【转自中国政府网】": skip to the closing bracket */
                if (!strcmp(prefixes[p], "【转自")) {
                    size_t j = i;
                    while (j < k && c[j] != 0x3011)
                        j++;
                    if (j < k)
                        i = skip_space(c, j + 1, k);
                }
                again = true;
                break;
            }
        }
    }
    /* A trailing source tag: "(来源:中国政府网)" / "【来源：…】". */
    size_t end = k;
    while (end > i && (is_space_cp(c[end - 1])))
        end--;
    if (end > i && (c[end - 1] == ')' || c[end - 1] == 0x3011)) {
        uint32_t open = c[end - 1] == ')' ? '(' : 0x3010;
        size_t j = end - 1;
        while (j > i && c[j - 1] != open)
            j--;
        if (j > i && (starts(c, j, end, "来源") || starts(c, j, end, "转自")))
            end = j - 1;
    }
    for (size_t j = i; j < end; j++)
        if (!is_space_cp(c[j]) && !feed__is_punct(c[j]))
            utf8_encode(out, c[j]);
    free(c);
}

/* ---- 文号 -------------------------------------------------------------------------- */

static bool open_bracket(uint32_t c)
{
    return c == 0x3014 || c == '[' || c == 0x3010 || c == '(' || c == 0x3016 || c == 0xFF3B;
}
static bool close_bracket(uint32_t c)
{
    return c == 0x3015 || c == ']' || c == 0x3011 || c == ')' || c == 0x3017 || c == 0xFF3D;
}

bool feed_doc_no(const char *s, size_t n, struct buf *out)
{
    struct buf f = BUF_INIT;
    utf8_fold(&f, s, n);
    uint32_t *c = xmalloc(MAX_CPS * sizeof(*c));
    size_t k = decode(f.p ? f.p : "", f.n, c, MAX_CPS);
    buf_release(&f);
    bool found = false;
    for (size_t i = 1; i + 7 < k + 1 && !found; i++) {
        if (!open_bracket(c[i]))
            continue;
        size_t j = i + 1;
        while (j < k && is_space_cp(c[j]))
            j++;
        size_t y0 = j;
        while (j < k && c[j] >= '0' && c[j] <= '9')
            j++;
        if (j - y0 != 4)
            continue;
        size_t y1 = j;
        while (j < k && is_space_cp(c[j]))
            j++;
        if (j >= k || !close_bracket(c[j]))
            continue;
        j++;
        while (j < k && is_space_cp(c[j]))
            j++;
        if (j < k && c[j] == 0x7B2C) /* 第 */
            j++;
        size_t n0 = j;
        while (j < k && c[j] >= '0' && c[j] <= '9')
            j++;
        if (j == n0 || j - n0 > 6 || j >= k || c[j] != 0x53F7) /* 号 */
            continue;
        /* The issuing organ: the CJK characters right before the bracket (at most 8). */
        size_t o = i;
        while (o > 0 && i - o < 8 && utf8_is_cjk(c[o - 1]))
            o--;
        if (o == i)
            continue;
        for (size_t m = o; m < i; m++)
            utf8_encode(out, c[m]);
        utf8_encode(out, 0x3014);
        for (size_t m = y0; m < y1; m++)
            utf8_encode(out, c[m]);
        utf8_encode(out, 0x3015);
        size_t m = n0;
        while (m + 1 < j && c[m] == '0')
            m++;
        for (; m < j; m++)
            utf8_encode(out, c[m]);
        utf8_encode(out, 0x53F7);
        found = true;
    }
    free(c);
    return found;
}

/* Two normal 文号 agree when year and number are equal and one organ ends the other
 * ("国办发" and "发" would, but the organ is at least one character and the walk back
 * over a run-on title gives a longer organ ending with the real one). */
static bool doc_no_eq(const char *a, const char *b)
{
    const char *ya = strstr(a, "〔"), *yb = strstr(b, "〔");
    if (!ya || !yb || strcmp(ya, yb) != 0)
        return false;
    size_t la = (size_t)(ya - a), lb = (size_t)(yb - b);
    if (la < lb)
        return !memcmp(a, yb - la, la) && la > 0;
    return !memcmp(b, ya - lb, lb) && lb > 0;
}

/* ---- Dice -------------------------------------------------------------------------- */

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static size_t bigrams(const char *s, uint64_t *g)
{
    uint32_t c[MAX_CPS];
    size_t k = decode(s, strlen(s), c, MAX_CPS);
    if (k == 1) {
        g[0] = c[0];
        return 1;
    }
    size_t m = 0;
    for (size_t i = 0; i + 1 < k; i++)
        g[m++] = ((uint64_t)c[i] << 21) | c[i + 1];
    qsort(g, m, sizeof(*g), cmp_u64);
    return m;
}

double feed_title_dice(const char *a, const char *b)
{
    uint64_t *ga = xmalloc(MAX_CPS * sizeof(*ga)), *gb = xmalloc(MAX_CPS * sizeof(*gb));
    size_t na = bigrams(a, ga), nb = bigrams(b, gb), same = 0;
    for (size_t i = 0, j = 0; i < na && j < nb;) {
        if (ga[i] == gb[j]) {
            same++;
            i++;
            j++;
        } else if (ga[i] < gb[j]) {
            i++;
        } else {
            j++;
        }
    }
    free(ga);
    free(gb);
    return na + nb ? 2.0 * (double)same / (double)(na + nb) : 0.0;
}

/* ---- numbers ----------------------------------------------------------------------- */

static int cn_digit(uint32_t c)
{
    static const uint32_t d[] = { 0x96F6, 0x4E00, 0x4E8C, 0x4E09, 0x56DB,
                                  0x4E94, 0x516D, 0x4E03, 0x516B, 0x4E5D }; /* 零一…九 */
    for (int i = 0; i < 10; i++)
        if (c == d[i])
            return i;
    if (c == 0x3007) /* 〇 */
        return 0;
    if (c == 0x4E24) /* 两 */
        return 2;
    return -1;
}
static int cn_unit(uint32_t c)
{
    return c == 0x5341 ? 10 : c == 0x767E ? 100 : c == 0x5343 ? 1000 : c == 0x4E07 ? 10000 : 0;
}

/* The numbers of a normalised title, as values (digits, 二〇一八, 十三, 第一). */
static size_t numbers(const char *s, int64_t *v, size_t max)
{
    uint32_t c[MAX_CPS];
    size_t k = decode(s, strlen(s), c, MAX_CPS), m = 0;
    for (size_t i = 0; i < k && m < max;) {
        if (c[i] >= '0' && c[i] <= '9') {
            int64_t x = 0;
            while (i < k && c[i] >= '0' && c[i] <= '9') {
                if (x < INT64_MAX / 20)
                    x = x * 10 + (c[i] - '0');
                i++;
            }
            v[m++] = x;
        } else if (cn_digit(c[i]) >= 0 || cn_unit(c[i])) {
            size_t j = i;
            bool units = false;
            while (j < k && (cn_digit(c[j]) >= 0 || cn_unit(c[j]))) {
                units |= cn_unit(c[j]) != 0;
                j++;
            }
            int64_t x = 0;
            if (!units) { /* 二〇一八 */
                for (size_t t = i; t < j; t++)
                    if (x < INT64_MAX / 20)
                        x = x * 10 + cn_digit(c[t]);
            } else { /* 二十三, 十三, 一百零五 */
                int64_t cur = 0;
                bool have = false; /* a digit waits for its unit */
                for (size_t t = i; t < j; t++) {
                    int u = cn_unit(c[t]);
                    if (u) {
                        x += (have ? cur : 1) * u;
                        cur = 0;
                        have = false;
                    } else if (have && m < max) { /* 十三五: two digits in a row end a number */
                        v[m++] = x + cur;
                        x = 0;
                        cur = cn_digit(c[t]);
                    } else {
                        cur = cn_digit(c[t]);
                        have = true;
                    }
                }
                x += cur;
            }
            if (m < max)
                v[m++] = x;
            i = j;
        } else {
            i++;
        }
    }
    return m;
}

static int cmp_i64(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

/* Every number of the smaller multiset appears in the larger one. */
static bool numbers_agree(const char *a, const char *b)
{
    int64_t va[64], vb[64];
    size_t na = numbers(a, va, 64), nb = numbers(b, vb, 64);
    if (na > nb) {
        const char *t = a;
        a = b;
        b = t;
        size_t tn = na;
        na = nb;
        nb = tn;
        int64_t tv[64];
        memcpy(tv, va, sizeof(tv));
        memcpy(va, vb, sizeof(va));
        memcpy(vb, tv, sizeof(vb));
    }
    qsort(va, na, sizeof(*va), cmp_i64);
    qsort(vb, nb, sizeof(*vb), cmp_i64);
    size_t j = 0;
    for (size_t i = 0; i < na; i++) {
        while (j < nb && vb[j] < va[i])
            j++;
        if (j == nb || vb[j] != va[i])
            return false;
        j++;
    }
    return true;
}

/* The title without its 文号 (so "（国发〔2018〕35号）" does not count as numbers). */
static void strip_doc_no(const char *norm, struct buf *out)
{
    /* In the normal form the brackets are gone: "国发201835号".  Drop every run of digits
     * followed by 号 that is 5+ digits long (a year glued to a number). */
    uint32_t c[MAX_CPS];
    size_t k = decode(norm, strlen(norm), c, MAX_CPS);
    for (size_t i = 0; i < k;) {
        if (c[i] >= '0' && c[i] <= '9') {
            size_t j = i;
            while (j < k && c[j] >= '0' && c[j] <= '9')
                j++;
            if (j - i >= 5 && j < k && c[j] == 0x53F7) {
                i = j + 1;
                continue;
            }
        }
        utf8_encode(out, c[i]);
        i++;
    }
}

/* A list page cuts long titles: "国务院关于印发…的通知..." — true when b (raw) ends with an
 * ellipsis; *cut gets the normal form of b without it. */
static bool truncated(const char *raw, struct buf *cut)
{
    size_t n = strlen(raw);
    while (n && (raw[n - 1] == ' '))
        n--;
    size_t m = n;
    if (m >= 3 && !memcmp(raw + m - 3, "...", 3))
        m -= 3;
    else if (m >= 3 && !memcmp(raw + m - 3, "…", 3))
        m -= 3;
    else
        return false;
    while (m >= 3 && (!memcmp(raw + m - 3, "…", 3)))
        m -= 3;
    while (m && raw[m - 1] == '.')
        m--;
    feed_title_norm(raw, m, cut);
    return true;
}

void feed__title_prep(struct feed__title *t, const char *raw, const char *doc)
{
    memset(t, 0, sizeof(*t));
    t->doc = str_empty(doc) ? NULL : doc;
    if (!raw)
        return;
    feed_title_norm(raw, strlen(raw), &t->norm);
    strip_doc_no(buf_cstr(&t->norm), &t->stripped);
    struct buf cut = BUF_INIT;
    if (truncated(raw, &cut) && utf8_count(buf_cstr(&cut), cut.n) >= 12) {
        t->has_cut = true;
        strip_doc_no(buf_cstr(&cut), &t->cut_stripped);
        t->cut = cut;
    } else {
        buf_release(&cut);
    }
}

void feed__title_release(struct feed__title *t)
{
    buf_release(&t->norm);
    buf_release(&t->stripped);
    buf_release(&t->cut);
    buf_release(&t->cut_stripped);
}

bool feed__title_match(double th, const struct feed__title *a, const struct feed__title *b,
                       double *score)
{
    if (score)
        *score = 0;
    if (th <= 0)
        th = FEED_THRESHOLD_DEFAULT;
    if (a->doc && b->doc) {
        if (!doc_no_eq(a->doc, b->doc))
            return false;
        if (score)
            *score = 1;
        return true;
    }
    if (!a->norm.n || !b->norm.n)
        return false;
    double d = feed_title_dice(a->norm.p, b->norm.p);
    const struct buf *nums = &b->stripped;
    /* A cut title: its kept part (12 characters at least) starts the upstream title. */
    if (d < th && b->has_cut && b->cut.n <= a->norm.n && !memcmp(a->norm.p, b->cut.p, b->cut.n)) {
        d = 1;
        nums = &b->cut_stripped;
    }
    if (d < th || !numbers_agree(buf_cstr(&a->stripped), buf_cstr(nums)))
        return false;
    if (score)
        *score = d;
    return true;
}

bool feed_title_match(const struct feed_match_opts *o, const char *a, const char *docno_a,
                      const char *b, const char *docno_b, double *score)
{
    struct feed__title ta, tb;
    feed__title_prep(&ta, a, docno_a);
    feed__title_prep(&tb, b, docno_b);
    bool ok = feed__title_match(o ? o->threshold : 0, &ta, &tb, score);
    feed__title_release(&ta);
    feed__title_release(&tb);
    return ok;
}
