/* esc.c - output escaping (see esc.h). */
#include "core/esc.h"

#include <string.h>

#include "core/utf8.h"

void esc_html_n(struct buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        while (i < n && s[i] != '&' && s[i] != '<' && s[i] != '>' && s[i] != '"' &&
               s[i] != '\'' && (unsigned char)s[i] < 0x80)
            i++;
        buf_add(b, s + start, i - start);
        if (i >= n)
            break;
        switch (s[i]) {
        case '&': buf_adds(b, "&amp;"); i++; break;
        case '<': buf_adds(b, "&lt;"); i++; break;
        case '>': buf_adds(b, "&gt;"); i++; break;
        case '"': buf_adds(b, "&quot;"); i++; break;
        case '\'': buf_adds(b, "&#39;"); i++; break;
        default: {
            size_t len;
            uint32_t cp = utf8_decode(s + i, n - i, &len);
            utf8_encode(b, cp);
            i += len;
        }
        }
    }
}

void esc_html(struct buf *b, const char *s)
{
    if (s)
        esc_html_n(b, s, strlen(s));
}

void esc_xml(struct buf *b, const char *s)
{
    if (!s)
        return;
    size_t n = strlen(s), i = 0, start = 0;
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
            esc_html_n(b, s + start, i - start);
            start = i + 1;
        } else if (c == 0xEF && i + 2 < n && (unsigned char)s[i + 1] == 0xBF &&
                   ((unsigned char)s[i + 2] == 0xBE || (unsigned char)s[i + 2] == 0xBF)) {
            /* U+FFFE and U+FFFF are not XML characters either. */
            esc_html_n(b, s + start, i - start);
            i += 2;
            start = i + 1;
        }
    }
    esc_html_n(b, s + start, n - start);
}

void esc_json_n(struct buf *b, const char *s, size_t n)
{
    buf_addc(b, '"');
    size_t i = 0;
    while (i < n) {
        size_t start = i;
        while (i < n) {
            unsigned char c = (unsigned char)s[i];
            if (c >= 0x80) {
                /* Valid multi-byte characters are copied as they are, in runs (Chinese
                 * text is most of what govsite writes); invalid bytes and U+2028/2029
                 * take the slow path below. */
                size_t len;
                uint32_t cp = utf8_decode(s + i, n - i, &len);
                if (len < 2 || cp == 0x2028 || cp == 0x2029)
                    break;
                i += len;
                continue;
            }
            if (c < 0x20 || c == '"' || c == '\\' || (c == '<' && i + 1 < n && s[i + 1] == '/'))
                break;
            i++;
        }
        buf_add(b, s + start, i - start);
        if (i >= n)
            break;
        unsigned char c = (unsigned char)s[i];
        if (c >= 0x80) {
            size_t len;
            uint32_t cp = utf8_decode(s + i, n - i, &len);
            if (cp == 0x2028 || cp == 0x2029)
                buf_addf(b, "\\u%04x", cp);
            else
                utf8_encode(b, cp);
            i += len;
            continue;
        }
        i++;
        switch (c) {
        case '"': buf_adds(b, "\\\""); break;
        case '\\': buf_adds(b, "\\\\"); break;
        case '\n': buf_adds(b, "\\n"); break;
        case '\r': buf_adds(b, "\\r"); break;
        case '\t': buf_adds(b, "\\t"); break;
        case '<': buf_adds(b, "<\\/"); i++; break;
        default: buf_addf(b, "\\u%04x", c);
        }
    }
    buf_addc(b, '"');
}

void esc_json(struct buf *b, const char *s)
{
    if (!s)
        buf_adds(b, "null");
    else
        esc_json_n(b, s, strlen(s));
}

void esc_csv(struct buf *b, const char *s)
{
    if (!s || !*s)
        return;
    size_t n = strlen(s);
    int quote = strpbrk(s, ",\"\r\n") != NULL || s[0] == ' ' || s[n - 1] == ' ';
    int formula = strchr("=+-@", s[0]) != NULL;
    /* A plain negative number is data, not a formula. */
    if (s[0] == '-' && n > 1) {
        formula = 0;
        for (size_t i = 1; i < n; i++)
            if (!((s[i] >= '0' && s[i] <= '9') || s[i] == '.'))
                formula = 1;
    }
    if (quote)
        buf_addc(b, '"');
    if (formula)
        buf_addc(b, '\'');
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '"')
            buf_addc(b, '"');
        buf_addc(b, s[i]);
    }
    if (quote)
        buf_addc(b, '"');
}

void esc_url(struct buf *b, const char *s)
{
    static const char hex[] = "0123456789ABCDEF";
    for (; s && *s; s++) {
        unsigned char c = (unsigned char)*s;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~') {
            buf_addc(b, (char)c);
        } else {
            buf_addc(b, '%');
            buf_addc(b, hex[c >> 4]);
            buf_addc(b, hex[c & 15]);
        }
    }
}
