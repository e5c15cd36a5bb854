/* csv.c - RFC 4180 reader with line numbers (see csv.h). */
#include "core/csv.h"

#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "core/str.h"
#include "core/xalloc.h"

static void setup(struct csv *c, const char *name)
{
    c->name = name;
    c->pos = 0;
    c->next_line = 1;
    c->line = 0;
    c->f = NULL;
    c->nf = c->fcap = 0;
    buf_init(&c->store, 0);
    /* Separator: tabs without commas on the first line mean TSV. */
    const char *t = buf_cstr(&c->text);
    const char *nl = strchr(t, '\n');
    size_t first = nl ? (size_t)(nl - t) : c->text.n;
    c->sep = (memchr(t, '\t', first) && !memchr(t, ',', first)) ? '\t' : ',';
}

void csv_open_mem(struct csv *c, const char *name, const char *data, size_t n)
{
    memset(c, 0, sizeof(*c));
    buf_init(&c->text, 0);
    charset_decode_text(data, n, &c->text, &c->cs);
    setup(c, name);
}

enum rc csv_open(struct csv *c, const char *path, struct err *err)
{
    struct buf raw;
    buf_init(&raw, CSV_MAX_FILE);
    enum rc rc = buf_read_file(&raw, path, err);
    if (rc) {
        buf_release(&raw);
        return rc;
    }
    csv_open_mem(c, path, buf_cstr(&raw), raw.n);
    buf_release(&raw);
    return RC_OK;
}

void csv_close(struct csv *c)
{
    buf_release(&c->text);
    buf_release(&c->store);
    free(c->f);
    c->f = NULL;
    c->nf = c->fcap = 0;
}

int csv_next(struct csv *c, struct err *err)
{
    const char *t = buf_cstr(&c->text);
    size_t n = c->text.n;
    /* Skip blank lines. */
    for (;;) {
        if (c->pos >= n)
            return 0;
        if (t[c->pos] == '\n') {
            c->pos++;
            c->next_line++;
        } else if (t[c->pos] == '\r' && (c->pos + 1 >= n || t[c->pos + 1] == '\n')) {
            c->pos += c->pos + 1 < n ? 2 : 1;
            c->next_line++;
        } else {
            break;
        }
    }
    c->line = c->next_line;
    buf_reset(&c->store);
    size_t offs[CSV_MAX_FIELDS];
    size_t nf = 0;
    for (;;) {
        if (nf >= CSV_MAX_FIELDS) {
            err_set(err, RC_LIMIT, "%s:%ld: more than %d fields in one record", c->name, c->line,
                    CSV_MAX_FIELDS);
            return -1;
        }
        offs[nf++] = c->store.n;
        if (c->pos < n && t[c->pos] == '"') {
            long qline = c->next_line;
            c->pos++;
            for (;;) {
                if (c->pos >= n) {
                    err_set(err, RC_PARSE,
                            "%s:%ld: quoted field never closed; add the closing '\"' "
                            "(and double any '\"' inside the field)",
                            c->name, qline);
                    return -1;
                }
                char ch = t[c->pos++];
                if (ch == '"') {
                    if (c->pos < n && t[c->pos] == '"') {
                        buf_addc(&c->store, '"');
                        c->pos++;
                        continue;
                    }
                    break;
                }
                if (ch == '\n')
                    c->next_line++;
                if (ch == '\r' && c->pos < n && t[c->pos] == '\n')
                    continue; /* CRLF inside a field becomes LF */
                buf_addc(&c->store, ch);
            }
            /* Tolerate junk between the closing quote and the separator (Excel does
             * this for `"a" b`), appending it. */
            while (c->pos < n && t[c->pos] != c->sep && t[c->pos] != '\n' && t[c->pos] != '\r')
                buf_addc(&c->store, t[c->pos++]);
        } else {
            size_t s = c->pos;
            while (c->pos < n && t[c->pos] != c->sep && t[c->pos] != '\n' &&
                   !(t[c->pos] == '\r' && (c->pos + 1 >= n || t[c->pos + 1] == '\n')))
                c->pos++;
            buf_add(&c->store, t + s, c->pos - s);
        }
        buf_addc(&c->store, 0);
        if (c->pos < n && t[c->pos] == c->sep) {
            c->pos++;
            continue;
        }
        if (c->pos < n && t[c->pos] == '\r')
            c->pos++;
        if (c->pos < n && t[c->pos] == '\n') {
            c->pos++;
            c->next_line++;
        }
        break;
    }
    if (nf > c->fcap) {
        c->fcap = nf;
        c->f = xrealloc(c->f, nf * sizeof(*c->f));
    }
    for (size_t i = 0; i < nf; i++)
        c->f[i] = c->store.p + offs[i];
    c->nf = nf;
    return 1;
}

int csv_find(const struct csv *c, const char *names)
{
    struct str all = str_of(names), one;
    while (all.n) {
        str_split(&all, '|', &one);
        for (size_t i = 0; i < c->nf; i++) {
            struct str h = str_trim(str_of(c->f[i]));
            if (h.n == one.n && !ascii_ncasecmp(h.p, one.p, h.n))
                return (int)i;
        }
    }
    return -1;
}

void csv_write_row(struct buf *b, const char *const *fields, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_addc(b, ',');
        esc_csv(b, fields[i]);
    }
    buf_addc(b, '\n');
}
