/* keyset.c - keyset pagination helpers (keyset.h). */
#include <stdio.h>
#include <string.h>

#include "core/str.h"
#include "core/utf8.h"
#include "store/keyset.h"

int keyset_sort_parse(const char *s, const char *const *keys, size_t stride, size_t n, bool *desc)
{
    *desc = s && *s == '-';
    const char *k = s && (*s == '-' || *s == '+') ? s + 1 : s;
    for (size_t i = 0; k && i < n; i++) {
        const char *key = *(const char *const *)((const char *)keys + i * stride);
        if (key && !strcmp(k, key))
            return (int)i;
    }
    return -1;
}

void keyset_encode(struct buf *out, bool text, int64_t i, const char *t, int64_t id)
{
    static const char hex[] = "0123456789abcdef";
    if (text) {
        buf_adds(out, "t.");
        for (const unsigned char *p = (const unsigned char *)(t ? t : ""); *p; p++) {
            buf_addc(out, hex[*p >> 4]);
            buf_addc(out, hex[*p & 15]);
        }
        buf_addf(out, ".%lld", (long long)id);
    } else {
        buf_addf(out, "i.%lld.%lld", (long long)i, (long long)id);
    }
}

static int hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

bool keyset_parse(const char *s, bool before, struct arena *a, struct keyset *k)
{
    memset(k, 0, sizeof(*k));
    if (!s || !*s)
        return true;
    if ((s[0] != 'i' && s[0] != 't') || s[1] != '.')
        return false;
    const char *v = s + 2, *dot = strrchr(v, '.');
    if (!dot)
        return false;
    if (!cstr_to_i64(dot + 1, &k->id))
        return false;
    size_t n = (size_t)(dot - v);
    if (s[0] == 'i') {
        char num[24];
        if (!n || n >= sizeof(num))
            return false;
        memcpy(num, v, n);
        num[n] = '\0';
        if (!cstr_to_i64(num, &k->i))
            return false;
    } else {
        if (n % 2 || n / 2 > KEYSET_TEXT_MAX)
            return false;
        char *t = arena_alloc(a, n / 2 + 1);
        for (size_t j = 0; j < n; j += 2) {
            int hi = hexval(v[j]), lo = hexval(v[j + 1]);
            if (hi < 0 || lo < 0)
                return false;
            t[j / 2] = (char)(hi * 16 + lo);
        }
        t[n / 2] = '\0';
        if (strlen(t) != n / 2 || !utf8_valid(t, n / 2))
            return false;
        k->t = t;
        k->text = true;
    }
    k->set = true;
    k->before = before;
    return true;
}

void keyset_where(struct buf *sql, const char *expr, const char *idcol, bool desc,
                  const struct keyset *k)
{
    if (!k->set)
        return;
    bool down = desc != k->before;
    buf_addf(sql, " AND (%s, %s) %c (?, ?)", expr, idcol, down ? '<' : '>');
}

void keyset_order(struct buf *sql, const char *expr, const char *idcol, bool desc,
                  const struct keyset *k)
{
    bool down = desc != (k->set && k->before);
    const char *dir = down ? " DESC" : "";
    buf_addf(sql, " ORDER BY %s%s, %s%s", expr, dir, idcol, dir);
}

int keyset_bind(struct stmt *st, int idx, const struct keyset *k)
{
    if (!k->set)
        return idx;
    if (k->text)
        stmt_bind_text(st, idx, k->t);
    else
        stmt_bind_int(st, idx, k->i);
    stmt_bind_int(st, idx + 1, k->id);
    return idx + 2;
}
