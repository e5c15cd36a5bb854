/* utf8.c - UTF-8 helpers (see utf8.h). */
#include "core/utf8.h"

#include <string.h>

#include "core/str.h"

uint32_t utf8_decode(const char *str, size_t n, size_t *len)
{
    const unsigned char *s = (const unsigned char *)str;
    if (n == 0) {
        *len = 0;
        return UTF8_REPLACEMENT;
    }
    unsigned c = s[0];
    *len = 1;
    if (c < 0x80)
        return c;
    int need;
    uint32_t cp, min;
    if (c >= 0xC2 && c <= 0xDF) {
        need = 1, cp = c & 0x1F, min = 0x80;
    } else if (c >= 0xE0 && c <= 0xEF) {
        need = 2, cp = c & 0x0F, min = 0x800;
    } else if (c >= 0xF0 && c <= 0xF4) {
        need = 3, cp = c & 0x07, min = 0x10000;
    } else {
        return UTF8_REPLACEMENT;
    }
    if (n < (size_t)need + 1)
        return UTF8_REPLACEMENT;
    for (int i = 1; i <= need; i++) {
        if ((s[i] & 0xC0) != 0x80)
            return UTF8_REPLACEMENT;
        cp = (cp << 6) | (s[i] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return UTF8_REPLACEMENT;
    *len = (size_t)need + 1;
    return cp;
}

size_t utf8_valid_prefix(const char *s, size_t n)
{
    const unsigned char *u = (const unsigned char *)s;
    size_t i = 0;
    while (i < n) {
        /* ASCII runs sixteen bytes at a time */
        while (i + 16 <= n) {
            uint64_t a, b;
            memcpy(&a, u + i, 8);
            memcpy(&b, u + i + 8, 8);
            if ((a | b) & 0x8080808080808080ull)
                break;
            i += 16;
        }
        if (i >= n)
            break;
        unsigned c = u[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        /* the common sequences inline: C2..DF x; E1..EC / EE..EF x x (CJK) */
        if (c >= 0xE1 && c <= 0xEF && c != 0xED) {
            if (i + 2 < n && (u[i + 1] & 0xC0) == 0x80 && (u[i + 2] & 0xC0) == 0x80) {
                i += 3;
                continue;
            }
        } else if (c >= 0xC2 && c <= 0xDF) {
            if (i + 1 < n && (u[i + 1] & 0xC0) == 0x80) {
                i += 2;
                continue;
            }
        }
        size_t len;
        uint32_t cp = utf8_decode(s + i, n - i, &len);
        if (cp == UTF8_REPLACEMENT && len == 1)
            return i;
        i += len;
    }
    return i;
}

bool utf8_valid(const char *s, size_t n)
{
    return utf8_valid_prefix(s, n) == n;
}

void utf8_encode(struct buf *b, uint32_t cp)
{
    char t[4];
    if (cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        cp = UTF8_REPLACEMENT;
    if (cp < 0x80) {
        buf_addc(b, (char)cp);
    } else if (cp < 0x800) {
        t[0] = (char)(0xC0 | (cp >> 6));
        t[1] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 2);
    } else if (cp < 0x10000) {
        t[0] = (char)(0xE0 | (cp >> 12));
        t[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[2] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 3);
    } else {
        t[0] = (char)(0xF0 | (cp >> 18));
        t[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
        t[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
        t[3] = (char)(0x80 | (cp & 0x3F));
        buf_add(b, t, 4);
    }
}

size_t utf8_count(const char *s, size_t n)
{
    size_t i = 0, c = 0, len;
    while (i < n) {
        utf8_decode(s + i, n - i, &len);
        i += len;
        c++;
    }
    return c;
}

size_t utf8_prefix_bytes(const char *s, size_t n, size_t chars)
{
    size_t i = 0, len;
    while (i < n && chars--) {
        utf8_decode(s + i, n - i, &len);
        i += len;
    }
    return i;
}

void utf8_sanitize(struct buf *out, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t ok = utf8_valid_prefix(s + i, n - i);
        buf_add(out, s + i, ok);
        i += ok;
        if (i < n) {
            utf8_encode(out, UTF8_REPLACEMENT);
            i++;
        }
    }
}

void utf8_fold(struct buf *out, const char *s, size_t n)
{
    size_t i = 0, len;
    while (i < n) {
        uint32_t cp = utf8_decode(s + i, n - i, &len);
        i += len;
        if (cp >= 0xFF01 && cp <= 0xFF5E)
            cp -= 0xFEE0;
        else if (cp == 0x3000 || cp == 0x00A0 || (cp >= 0x2000 && cp <= 0x200B))
            cp = ' ';
        if (cp < 0x80)
            buf_addc(out, (char)ascii_tolower((int)cp));
        else
            utf8_encode(out, cp);
    }
}

bool utf8_is_cjk(uint32_t cp)
{
    return (cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
           (cp >= 0x20000 && cp <= 0x2A6DF) || (cp >= 0xF900 && cp <= 0xFAFF);
}
