/* table.c - aligned text tables for human output, CJK-aware (cli.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/utf8.h"
#include "core/xalloc.h"

struct table {
    int ncols;
    char **cells; /* row-major, header first */
    size_t nrows, cap;
};

int text_width(const char *s)
{
    int w = 0;
    size_t n = strlen(s), i = 0, len;
    while (i < n) {
        uint32_t cp = utf8_decode(s + i, n - i, &len);
        i += len;
        if (cp < 0x20)
            continue;
        /* East Asian wide and full-width ranges (the common ones). */
        if ((cp >= 0x1100 && cp <= 0x115F) || (cp >= 0x2E80 && cp <= 0xA4CF) ||
            (cp >= 0xAC00 && cp <= 0xD7A3) || (cp >= 0xF900 && cp <= 0xFAFF) ||
            (cp >= 0xFE30 && cp <= 0xFE4F) || (cp >= 0xFF00 && cp <= 0xFF60) ||
            (cp >= 0xFFE0 && cp <= 0xFFE6) || (cp >= 0x20000 && cp <= 0x3FFFD))
            w += 2;
        else
            w += 1;
    }
    return w;
}

struct table *table_new(int ncols, const char *const *headers)
{
    struct table *t = XNEW(struct table);
    t->ncols = ncols;
    table_add(t, headers);
    return t;
}

void table_add(struct table *t, const char *const *cells)
{
    t->cells = xgrow(t->cells, &t->cap, (t->nrows + 1) * (size_t)t->ncols, sizeof(char *));
    for (int i = 0; i < t->ncols; i++) {
        const char *s = cells[i] ? cells[i] : "";
        /* Keep each cell on one line. */
        char *d = xstrdup(s);
        for (char *p = d; *p; p++)
            if (*p == '\n' || *p == '\r' || *p == '\t')
                *p = ' ';
        t->cells[t->nrows * (size_t)t->ncols + (size_t)i] = d;
    }
    t->nrows++;
}

void table_addf(struct table *t, ...)
{
    const char *cells[64];
    va_list ap;
    va_start(ap, t);
    for (int i = 0; i < t->ncols && i < 64; i++)
        cells[i] = va_arg(ap, const char *);
    va_end(ap);
    table_add(t, cells);
}

void table_print(struct table *t, FILE *f)
{
    int *w = xcalloc((size_t)t->ncols, sizeof(int));
    for (size_t r = 0; r < t->nrows; r++)
        for (int c = 0; c < t->ncols; c++) {
            int x = text_width(t->cells[r * (size_t)t->ncols + (size_t)c]);
            if (x > w[c])
                w[c] = x;
        }
    for (size_t r = 0; r < t->nrows; r++) {
        for (int c = 0; c < t->ncols; c++) {
            const char *s = t->cells[r * (size_t)t->ncols + (size_t)c];
            fputs(s, f);
            if (c + 1 < t->ncols)
                for (int k = text_width(s); k < w[c] + 2; k++)
                    fputc(' ', f);
        }
        fputc('\n', f);
    }
    free(w);
}

void table_free(struct table *t)
{
    if (!t)
        return;
    for (size_t i = 0; i < t->nrows * (size_t)t->ncols; i++)
        free(t->cells[i]);
    free(t->cells);
    free(t);
}
