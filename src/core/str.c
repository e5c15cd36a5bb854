/* str.c - string views and strict parsing (see str.h). */
#include "core/str.h"

#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

struct str str_of(const char *s)
{
    struct str r = { s ? s : "", s ? strlen(s) : 0 };
    return r;
}

bool str_eq(struct str a, struct str b)
{
    return a.n == b.n && (a.n == 0 || !memcmp(a.p, b.p, a.n));
}

bool str_eqs(struct str a, const char *s)
{
    return str_eq(a, str_of(s));
}

bool str_starts(struct str a, const char *prefix)
{
    size_t n = strlen(prefix);
    return a.n >= n && !memcmp(a.p, prefix, n);
}

bool str_ends(struct str a, const char *suffix)
{
    size_t n = strlen(suffix);
    return a.n >= n && !memcmp(a.p + a.n - n, suffix, n);
}

bool str_ieq_ascii(struct str a, const char *s)
{
    size_t n = strlen(s);
    return a.n == n && !ascii_ncasecmp(a.p, s, n);
}

struct str str_trim(struct str a)
{
    for (;;) {
        if (a.n && ascii_isspace((unsigned char)a.p[0])) {
            a.p++, a.n--;
        } else if (a.n >= 3 && !memcmp(a.p, "\xe3\x80\x80", 3)) { /* U+3000 */
            a.p += 3, a.n -= 3;
        } else if (a.n >= 2 && !memcmp(a.p, "\xc2\xa0", 2)) { /* U+00A0 */
            a.p += 2, a.n -= 2;
        } else {
            break;
        }
    }
    for (;;) {
        if (a.n && ascii_isspace((unsigned char)a.p[a.n - 1])) {
            a.n--;
        } else if (a.n >= 3 && !memcmp(a.p + a.n - 3, "\xe3\x80\x80", 3)) {
            a.n -= 3;
        } else if (a.n >= 2 && !memcmp(a.p + a.n - 2, "\xc2\xa0", 2)) {
            a.n -= 2;
        } else {
            break;
        }
    }
    return a;
}

bool str_split(struct str *a, char sep, struct str *head)
{
    const char *q = a->n ? memchr(a->p, sep, a->n) : NULL;
    if (!q) {
        *head = *a;
        a->p += a->n;
        a->n = 0;
        return false;
    }
    head->p = a->p;
    head->n = (size_t)(q - a->p);
    a->n -= head->n + 1;
    a->p = q + 1;
    return true;
}

long str_find(struct str a, const char *needle)
{
    size_t n = strlen(needle);
    if (n == 0)
        return 0;
    const char *q = memmem(a.p, a.n, needle, n);
    return q ? (long)(q - a.p) : -1;
}

char *str_dup(struct str a)
{
    return xstrndup(a.p, a.n);
}

bool str_to_i64(struct str a, int64_t *out)
{
    if (a.n == 0 || a.n > 20)
        return false;
    size_t i = 0;
    bool neg = false;
    if (a.p[0] == '-') {
        neg = true;
        i = 1;
        if (a.n == 1)
            return false;
    }
    uint64_t v = 0;
    for (; i < a.n; i++) {
        if (!ascii_isdigit((unsigned char)a.p[i]))
            return false;
        unsigned d = (unsigned)(a.p[i] - '0');
        if (v > (UINT64_MAX - d) / 10)
            return false;
        v = v * 10 + d;
    }
    if (neg) {
        if (v > (uint64_t)INT64_MAX + 1)
            return false;
        *out = v == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)v;
    } else {
        if (v > (uint64_t)INT64_MAX)
            return false;
        *out = (int64_t)v;
    }
    return true;
}

bool str_to_int(struct str a, int lo, int hi, int *out)
{
    int64_t v;
    if (!str_to_i64(a, &v) || v < lo || v > hi)
        return false;
    *out = (int)v;
    return true;
}

bool str_to_double(struct str a, double *out)
{
    if (a.n == 0 || a.n > 64)
        return false;
    char tmp[72];
    memcpy(tmp, a.p, a.n);
    tmp[a.n] = 0;
    if (ascii_isspace((unsigned char)tmp[0]))
        return false;
    char *end;
    errno = 0;
    double v = strtod(tmp, &end);
    if (errno || *end || !isfinite(v))
        return false;
    *out = v;
    return true;
}

bool cstr_to_i64(const char *s, int64_t *out)
{
    return s && str_to_i64(str_of(s), out);
}

bool cstr_to_int(const char *s, int lo, int hi, int *out)
{
    return s && str_to_int(str_of(s), lo, hi, out);
}

bool ascii_isspace(int c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

bool ascii_isdigit(int c)
{
    return c >= '0' && c <= '9';
}

bool ascii_isalpha(int c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

bool ascii_isalnum(int c)
{
    return ascii_isalpha(c) || ascii_isdigit(c);
}

int ascii_tolower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c + 32 : c;
}

int ascii_casecmp(const char *a, const char *b)
{
    for (;; a++, b++) {
        int x = ascii_tolower((unsigned char)*a), y = ascii_tolower((unsigned char)*b);
        if (x != y || !x)
            return x - y;
    }
}

int ascii_ncasecmp(const char *a, const char *b, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        int x = ascii_tolower((unsigned char)a[i]), y = ascii_tolower((unsigned char)b[i]);
        if (x != y || !x)
            return x - y;
    }
    return 0;
}

const char *ascii_casestr(const char *hay, size_t n, const char *needle)
{
    size_t m = strlen(needle);
    if (m == 0)
        return hay;
    if (m > n)
        return NULL;
    /* Cheap first-byte test in both cases before the full comparison. */
    char lo = (char)ascii_tolower((unsigned char)needle[0]);
    char up = lo >= 'a' && lo <= 'z' ? (char)(lo - 32) : lo;
    const char *end = hay + (n - m) + 1;
    for (const char *p = hay; p < end; p++)
        if ((*p == lo || *p == up) && !ascii_ncasecmp(p + 1, needle + 1, m - 1))
            return p;
    return NULL;
}
