/* list.c - what long lists share: keyset cursors in page links, change counters and kept
 * counts (web.h, "Pagination" and "change counters and kept counts"). */
#include <microhttpd.h>
#include <string.h>

#include "core/csv.h"
#include "core/date.h"
#include "core/esc.h"
#include "report/doc.h"
#include "report/report.h"
#include "web/web_int.h"

void web_page_cursors(struct web_req *r, struct web_page *pg, const char *first, const char *last)
{
    pg->first_pos = first ? arena_strdup(&r->a, first) : NULL;
    pg->last_pos = last ? arena_strdup(&r->a, last) : NULL;
}

struct keep_ctx {
    struct buf *b;
};

static enum MHD_Result keep_arg(void *cls, enum MHD_ValueKind kind, const char *key,
                                const char *value)
{
    (void)kind;
    struct keep_ctx *k = cls;
    if (!key || !value || !*value || !strcmp(key, "page") || !strcmp(key, "after") ||
        !strcmp(key, "before"))
        return MHD_YES;
    buf_addc(k->b, '&');
    esc_url(k->b, key);
    buf_addc(k->b, '=');
    esc_url(k->b, value ? value : "");
    return MHD_YES;
}

const char *web__page_href(struct web_req *r, const struct web_page *pg, int64_t page, int dir)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, r->path);
    buf_addf(&b, "?page=%lld", (long long)page);
    struct keep_ctx k = { &b };
    MHD_get_connection_values(r->conn, MHD_GET_ARGUMENT_KIND, keep_arg, &k);
    /* Walk by cursor when the list gave one; the first page needs none. */
    if (dir > 0 && pg->last_pos) {
        buf_adds(&b, "&after=");
        esc_url(&b, pg->last_pos);
    } else if (dir < 0 && pg->first_pos && page > 1) {
        buf_adds(&b, "&before=");
        esc_url(&b, pg->first_pos);
    }
    const char *s = arena_strdup(&r->a, buf_cstr(&b));
    buf_release(&b);
    return s;
}

int64_t web_changes(struct web_req *r, const char *table)
{
    int64_t n = -1;
    if (store_get_int(r->db, &n, NULL, "SELECT n FROM change_counters WHERE name = ?", "t", table))
        return -1;
    return n;
}

enum rc web_kept(struct web_req *r, const char *table, const char *key,
                 enum rc (*make)(struct web_req *r, void *ctx, struct buf *out), void *ctx,
                 struct buf *out)
{
    int64_t changes = web_changes(r, table);
    const char *k = arena_fmt(&r->a, "%s\x1f%s", table, key);
    if (changes >= 0 && web__kept_get(r->srv, k, changes, out))
        return RC_OK;
    size_t from = out->n;
    enum rc rc = make(r, ctx, out);
    if (!rc && buf_rc(out))
        rc = web_fail(r, RC_LIMIT, "kept value too large");
    if (!rc && changes >= 0)
        web__kept_put(r->srv, k, changes, out->p + from, out->n - from);
    return rc;
}

struct count_ctx {
    enum rc (*count)(struct web_req *r, void *ctx, int64_t *n);
    void *ctx;
};

static enum rc make_count(struct web_req *r, void *ctx, struct buf *out)
{
    struct count_ctx *c = ctx;
    int64_t n = 0;
    enum rc rc = c->count(r, c->ctx, &n);
    if (!rc)
        buf_add(out, &n, sizeof(n));
    return rc;
}

enum rc web_count_cached(struct web_req *r, const char *table, const char *key,
                         enum rc (*count)(struct web_req *r, void *ctx, int64_t *n), void *ctx,
                         int64_t *n)
{
    struct count_ctx c = { count, ctx };
    struct buf b = BUF_INIT;
    enum rc rc = web_kept(r, table, key, make_count, &c, &b);
    if (!rc && b.n == sizeof(*n))
        memcpy(n, b.p, sizeof(*n));
    buf_release(&b);
    return rc;
}

/* ---- exports ------------------------------------------------------------------------- */

void web_export_begin(struct web_export *x, struct web_req *r, bool xlsx, const char *title,
                      const char *const *head, size_t ncols)
{
    memset(x, 0, sizeof(*x));
    x->r = r;
    x->xlsx = xlsx;
    x->title = title;
    x->ncols = ncols;
    buf_reset(&r->out);
    if (!xlsx) {
        csv_write_row(&r->out, head, ncols);
        return;
    }
    x->d = doc_new(&(struct doc_meta){ .layout = DOC_LAYOUT_PLAIN,
                                       .title = title,
                                       .date = DATE_NONE,
                                       .print_date = DATE_NONE,
                                       .signature = "" });
    x->t = doc_table(x->d, title, (int)ncols);
    doc_table_flags(x->t, DOC_TABLE_SMALL);
    doc_table_head(x->t);
    for (size_t i = 0; i < ncols; i++)
        doc_cell(x->t, head[i]);
}

void web_export_row(struct web_export *x, const char *const *cells)
{
    if (!x->xlsx) {
        csv_write_row(&x->r->out, cells, x->ncols);
        return;
    }
    doc_table_row(x->t);
    for (size_t i = 0; i < x->ncols; i++)
        doc_cell(x->t, cells[i] ? cells[i] : "");
}

enum rc web_export_send(struct web_export *x, enum rc rc)
{
    struct web_req *r = x->r;
    struct doc *d = x->d;
    x->d = NULL;
    if (rc) {
        doc_free(d);
        return rc;
    }
    if (!x->xlsx)
        return web_csv_send(r, arena_fmt(&r->a, "%s.csv", x->title));
    buf_reset(&r->out);
    struct err e = { 0 };
    rc = render_xlsx(d, &r->out, &e);
    doc_free(d);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    return web_download(r, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
                        arena_fmt(&r->a, "%s.xlsx", x->title));
}

/* ---- kept counts per id -------------------------------------------------------------- */

static enum rc make_pairs(struct web_req *r, void *ctx, struct buf *out)
{
    struct stmt *st = store_sql(r->db, ctx);
    while (stmt_next(st)) {
        int64_t pair[2] = { stmt_int(st, 0), stmt_int(st, 1) };
        buf_add(out, pair, sizeof(pair));
    }
    struct err e = { 0 };
    enum rc rc = stmt_done(st, &e);
    return rc ? web_fail(r, rc, "%s", err_msg(&e)) : RC_OK;
}

enum rc web_kept_counts(struct web_req *r, const char *table, const char *sql,
                        struct web_counts *out)
{
    struct buf b = BUF_INIT;
    enum rc rc = web_kept(r, table, sql, make_pairs, (void *)sql, &b);
    out->n = rc ? 0 : b.n / (2 * sizeof(int64_t));
    out->v = arena_alloc(&r->a, out->n ? b.n : sizeof(int64_t));
    if (out->n)
        memcpy((void *)out->v, b.p, b.n);
    buf_release(&b);
    return rc;
}

int64_t web_counts_get(const struct web_counts *c, int64_t id)
{
    size_t lo = 0, hi = c->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (c->v[2 * mid] < id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < c->n && c->v[2 * lo] == id ? c->v[2 * lo + 1] : 0;
}
