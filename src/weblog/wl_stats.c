/* wl_stats.c - figures for a period: totals, per day, per month, per column; the annual
 * form's two rows; the list of files read. */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/xalloc.h"
#include "weblog/wl_int.h"

bool wl_by_parse(const char *s, enum wl_by *out)
{
    static const struct {
        const char *name;
        enum wl_by by;
    } t[] = { { "none", WL_BY_NONE },
              { "day", WL_BY_DAY },
              { "month", WL_BY_MONTH },
              { "column", WL_BY_COLUMN } };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (s && !strcmp(s, t[i].name)) {
            *out = t[i].by;
            return true;
        }
    return false;
}

/* Owned copies of encoded key sets, to count distinct keys over a group of days.  Every
 * COLLAPSE sets are replaced by their union, so a long period is held as (about) its
 * distinct keys rather than the sum of its days. */
#define COLLAPSE 64

struct blobs {
    struct wl_blob *v;
    size_t n, cap;
};

static void blobs_push(struct blobs *b, void *p, size_t n)
{
    b->v = xgrow(b->v, &b->cap, b->n + 1, sizeof(*b->v));
    b->v[b->n++] = (struct wl_blob){ p, n };
}

static void blobs_clear(struct blobs *b);

static enum rc blobs_add(struct blobs *b, const void *p, size_t n, const char *what,
                         struct err *err)
{
    blobs_push(b, xmemdup(n ? p : "", n ? n : 1), n);
    if (b->n < COLLAPSE)
        return RC_OK;
    struct buf u = BUF_INIT;
    enum rc rc = wl_keys_union(b->v, b->n, what, &u, err);
    blobs_clear(b);
    size_t un = u.n;
    blobs_push(b, buf_take(&u), un);
    return rc;
}

static void blobs_clear(struct blobs *b)
{
    for (size_t i = 0; i < b->n; i++)
        free((void *)b->v[i].p);
    b->n = 0;
}

static void blobs_release(struct blobs *b)
{
    blobs_clear(b);
    free(b->v);
    b->v = NULL;
    b->cap = 0;
}

static void add_counts(struct wl_counts *a, const struct wl_counts *b)
{
    a->pageviews += b->pageviews;
    a->visitor_days += b->visitor_days;
    a->hits += b->hits;
    a->bot_hits += b->bot_hits;
    a->all_visitors += b->all_visitors;
    a->bytes += b->bytes;
    a->status_4xx += b->status_4xx;
    a->status_5xx += b->status_5xx;
    a->bad_requests += b->bad_requests;
}

static int32_t month_first(int32_t day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    return date_from_ymd(y, m, 1);
}

static struct wl_row *push_row(struct wl_stats *s, size_t *cap)
{
    s->rows = xgrow(s->rows, cap, s->nrows + 1, sizeof(*s->rows));
    struct wl_row *r = &s->rows[s->nrows++];
    memset(r, 0, sizeof(*r));
    return r;
}

/* Rows for every day or month of the period, zero-filled, in order. */
static void make_calendar_rows(struct wl_stats *s, size_t *cap)
{
    if (s->by == WL_BY_DAY) {
        for (int32_t d = s->from; d <= s->to; d++)
            push_row(s, cap)->day = d;
    } else if (s->by == WL_BY_MONTH) {
        for (int32_t m = month_first(s->from); m <= s->to; m = date_add_months(m, 1))
            push_row(s, cap)->day = m;
    }
}

static size_t row_index(const struct wl_stats *s, int32_t day)
{
    if (s->by == WL_BY_DAY)
        return (size_t)(day - s->from);
    int y0, m0, d0, y, m, d;
    date_to_ymd(s->from, &y0, &m0, &d0);
    date_to_ymd(day, &y, &m, &d);
    return (size_t)((y - y0) * 12 + (m - m0));
}

static enum rc day_figures(struct store *db, struct wl_stats *s, struct err *err)
{
    struct stmt *st = store_q(db,
                              "SELECT day, hits, bot_hits, pageviews, visitors, all_visitors, "
                              "bytes, status_4xx, status_5xx, bad_requests, keys FROM weblog_days "
                              "WHERE site_id = ? AND day >= ? AND day <= ? ORDER BY day",
                              "iDD", s->site_id, s->from, s->to);
    struct blobs all = { 0 }, month = { 0 };
    size_t cur = (size_t)-1;
    enum rc rc = RC_OK;
    while (stmt_next(st)) {
        int32_t day = stmt_date(st, 0);
        if (day == DATE_NONE)
            continue;
        struct wl_counts c = { .hits = stmt_int(st, 1),
                               .bot_hits = stmt_int(st, 2),
                               .pageviews = stmt_int(st, 3),
                               .visitor_days = stmt_int(st, 4),
                               .all_visitors = stmt_int(st, 5),
                               .bytes = stmt_int(st, 6),
                               .status_4xx = stmt_int(st, 7),
                               .status_5xx = stmt_int(st, 8),
                               .bad_requests = stmt_int(st, 9) };
        size_t n;
        const void *p = stmt_blob(st, 10, &n);
        add_counts(&s->total, &c);
        if ((rc = blobs_add(&all, p, n, "weblog_days", err)))
            break;
        if (s->by == WL_BY_DAY) {
            struct wl_row *r = &s->rows[row_index(s, day)];
            r->c = c;
            r->c.visitors = c.visitor_days;
        } else if (s->by == WL_BY_MONTH) {
            size_t i = row_index(s, day);
            if (i != cur && cur != (size_t)-1) {
                rc = wl_keys_distinct(month.v, month.n, "weblog_days", &s->rows[cur].c.visitors,
                                      err);
                blobs_clear(&month);
                if (rc)
                    break;
            }
            cur = i;
            add_counts(&s->rows[i].c, &c);
            if ((rc = blobs_add(&month, p, n, "weblog_days", err)))
                break;
        }
    }
    enum rc rc2 = stmt_done(st, err);
    if (!rc && !rc2 && cur != (size_t)-1)
        rc = wl_keys_distinct(month.v, month.n, "weblog_days", &s->rows[cur].c.visitors, err);
    if (!rc && !rc2)
        rc = wl_keys_distinct(all.v, all.n, "weblog_days", &s->total.visitors, err);
    blobs_release(&all);
    blobs_release(&month);
    return rc ? rc : rc2;
}

static int cmp_column_rows(const void *a, const void *b)
{
    const struct wl_row *x = a, *y = b;
    if (x->c.pageviews != y->c.pageviews)
        return x->c.pageviews > y->c.pageviews ? -1 : 1;
    if (!x->column || !y->column)
        return x->column ? -1 : y->column ? 1 : 0;
    return strcmp(x->column, y->column);
}

static enum rc column_figures(struct store *db, struct wl_stats *s, size_t *cap, struct err *err)
{
    struct stmt *st = store_q(db,
                              "SELECT d.column_id, c.path, d.pageviews, d.visitors, d.keys FROM "
                              "weblog_column_days d LEFT JOIN site_columns c ON c.id = "
                              "d.column_id WHERE d.site_id = ? AND d.day >= ? AND d.day <= ? "
                              "ORDER BY d.column_id, d.day",
                              "iDD", s->site_id, s->from, s->to);
    struct blobs g = { 0 };
    struct wl_row *r = NULL;
    enum rc rc = RC_OK;
    while (stmt_next(st)) {
        int64_t col = stmt_int(st, 0);
        if (col && stmt_null(st, 1))
            continue; /* a column deleted since */
        if (!r || r->column_id != col) {
            if (r && (rc = wl_keys_distinct(g.v, g.n, "weblog_column_days", &r->c.visitors, err)))
                break;
            blobs_clear(&g);
            r = push_row(s, cap);
            r->column_id = col;
            r->column = col ? stmt_dup(st, 1) : NULL;
        }
        r->c.pageviews += stmt_int(st, 2);
        r->c.visitor_days += stmt_int(st, 3);
        size_t n;
        const void *p = stmt_blob(st, 4, &n);
        if ((rc = blobs_add(&g, p, n, "weblog_column_days", err)))
            break;
    }
    enum rc rc2 = stmt_done(st, err);
    if (!rc && !rc2 && r)
        rc = wl_keys_distinct(g.v, g.n, "weblog_column_days", &r->c.visitors, err);
    blobs_release(&g);
    if (!rc && !rc2)
        qsort(s->rows, s->nrows, sizeof(*s->rows), cmp_column_rows);
    return rc ? rc : rc2;
}

enum rc wl_stats(struct store *db, int64_t site_id, int32_t from, int32_t to, enum wl_by by,
                 struct wl_stats *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    out->site_id = site_id;
    out->by = by;
    if (from == DATE_NONE || to == DATE_NONE) {
        struct stmt *st = store_q(
            db, "SELECT MIN(day), MAX(day) FROM weblog_days WHERE site_id = ?", "i", site_id);
        int32_t lo = DATE_NONE, hi = DATE_NONE;
        if (stmt_next(st)) {
            lo = stmt_date(st, 0);
            hi = stmt_date(st, 1);
        }
        enum rc rc = stmt_done(st, err);
        if (rc)
            return rc;
        if (from == DATE_NONE)
            from = lo;
        if (to == DATE_NONE)
            to = hi;
    }
    out->from = from;
    out->to = to;
    if (from == DATE_NONE || to == DATE_NONE)
        return RC_OK; /* no data and no period: all zero */
    if (from > to)
        return err_set(err, RC_INVALID,
                       "the period ends before it starts; give --from before --to");
    if ((by == WL_BY_DAY && to - from > 366 * 50) || to - from > 366 * 1000)
        return err_set(err, RC_LIMIT, "the period is too long for rows per day; use --by month");
    size_t cap = 0;
    make_calendar_rows(out, &cap);
    enum rc rc = day_figures(db, out, err);
    if (!rc && by == WL_BY_COLUMN)
        rc = column_figures(db, out, &cap, err);
    if (rc)
        wl_stats_release(out);
    return rc;
}

void wl_stats_release(struct wl_stats *s)
{
    for (size_t i = 0; i < s->nrows; i++)
        free(s->rows[i].column);
    free(s->rows);
    s->rows = NULL;
    s->nrows = 0;
}

static void counts_json(struct jw *w, const struct wl_counts *c, bool all)
{
    jw_kint(w, "pageviews", c->pageviews);
    jw_kint(w, "visitors", c->visitors);
    jw_kint(w, "visitor_days", c->visitor_days);
    if (!all)
        return;
    jw_kint(w, "hits", c->hits);
    jw_kint(w, "bot_hits", c->bot_hits);
    jw_kint(w, "all_visitors", c->all_visitors);
    jw_kint(w, "bytes", c->bytes);
    jw_kint(w, "status_4xx", c->status_4xx);
    jw_kint(w, "status_5xx", c->status_5xx);
    jw_kint(w, "bad_requests", c->bad_requests);
}

void wl_stats_json(const struct wl_stats *s, const char *site_name, struct jw *w)
{
    static const char *const by_names[] = { "none", "day", "month", "column" };
    jw_obj(w);
    jw_kstr(w, "site", site_name);
    jw_kint(w, "site_id", s->site_id);
    jw_kdate(w, "from", s->from);
    jw_kdate(w, "to", s->to);
    counts_json(w, &s->total, true);
    if (s->by != WL_BY_NONE) {
        jw_kstr(w, "by", by_names[s->by]);
        jw_key(w, "rows");
        jw_arr(w);
        for (size_t i = 0; i < s->nrows; i++) {
            const struct wl_row *r = &s->rows[i];
            jw_obj(w);
            if (s->by == WL_BY_DAY) {
                jw_kdate(w, "day", r->day);
            } else if (s->by == WL_BY_MONTH) {
                char m[11];
                date_fmt(r->day, m);
                m[7] = 0;
                jw_kstr(w, "month", m);
            } else {
                if (r->column_id)
                    jw_kint(w, "column_id", r->column_id);
                else
                    jw_knull(w, "column_id");
                jw_kstr(w, "column", r->column);
            }
            counts_json(w, &r->c, s->by != WL_BY_COLUMN);
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
}

enum rc wl_year(struct store *db, int64_t site_id, int year, struct wl_counts *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (year < 1900 || year > 9999)
        return err_set(err, RC_INVALID, "year %d is out of range", year);
    struct wl_stats s;
    enum rc rc = wl_stats(db, site_id, date_from_ymd(year, 1, 1), date_from_ymd(year, 12, 31),
                          WL_BY_NONE, &s, err);
    if (rc)
        return rc;
    *out = s.total;
    wl_stats_release(&s);
    return RC_OK;
}

enum rc wl_files(struct store *db, int64_t site_id, struct wl_file **out, size_t *n,
                 struct err *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct stmt *st =
        store_q(db,
                "SELECT f.id, f.site_id, s.name, f.path, f.format, f.dev, f.ino, "
                "f.read_to, f.lines, f.bad_lines, f.head_len, f.head_hash, "
                "f.compressed, f.first_at, f.last_at, f.ingested_at FROM weblog_files "
                "f JOIN sites s ON s.id = f.site_id WHERE (? = 0 OR f.site_id = ?) "
                "ORDER BY s.name, f.path, f.id",
                "ii", site_id, site_id);
    while (stmt_next(st)) {
        *out = xgrow(*out, &cap, *n + 1, sizeof(**out));
        struct wl_file *f = &(*out)[(*n)++];
        f->id = stmt_int(st, 0);
        f->site_id = stmt_int(st, 1);
        f->site = stmt_dup(st, 2);
        f->path = stmt_dup(st, 3);
        f->format = stmt_dup(st, 4);
        f->dev = stmt_int(st, 5);
        f->ino = stmt_int(st, 6);
        f->read_to = stmt_int(st, 7);
        f->lines = stmt_int(st, 8);
        f->bad_lines = stmt_int(st, 9);
        f->head_len = stmt_int(st, 10);
        f->head_hash = (uint64_t)stmt_int(st, 11);
        f->compressed = stmt_int(st, 12) != 0;
        f->first_at = stmt_int(st, 13);
        f->last_at = stmt_int(st, 14);
        f->ingested_at = stmt_int(st, 15);
    }
    enum rc rc = stmt_done(st, err);
    if (rc) {
        wl_files_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

void wl_files_free(struct wl_file *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].site);
        free(v[i].path);
        free(v[i].format);
    }
    free(v);
}
