/* pub.c - publication counts (pub.h): records from the crawl and from CMS exports. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/pub.h"
#include "core/arena.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/map.h"
#include "core/str.h"
#include "core/url.h"
#include "core/xalloc.h"
#include "reg/reg.h"

static void month_of(int32_t day, char out[8])
{
    char d[11];
    date_fmt(day, d);
    memcpy(out, d, 7);
    out[7] = 0;
}

struct pub_rec {
    const char *url, *title, *time;
    int64_t site_id, column_id, unit_id;
    int32_t day;
    long line;
};

/* Insert or update one record; *status 0 unchanged, 1 updated, 2 inserted.  A crawl
 * record never overwrites a CMS one. */
static enum rc pub_put(struct store *db, int64_t now, const struct pub_rec *r, const char *source,
                       int64_t run_id, int *status, struct err *err)
{
    char month[8];
    month_of(r->day, month);
    char d[11];
    date_fmt(r->day, d);
    struct stmt *st = store_q(db,
                              "SELECT source, COALESCE(site_id, 0), COALESCE(column_id, 0), "
                              "COALESCE(unit_id, 0), COALESCE(title, ''), published, "
                              "COALESCE(published_time, '') FROM publications WHERE url = ?",
                              "t", r->url);
    bool found = false, same = false, cms = false;
    if (stmt_next(st)) {
        found = true;
        cms = !strcmp(stmt_str(st, 0), "cms");
        same = !strcmp(stmt_str(st, 0), source) && stmt_int(st, 1) == r->site_id &&
               stmt_int(st, 2) == r->column_id && stmt_int(st, 3) == r->unit_id &&
               !strcmp(stmt_str(st, 4), r->title ? r->title : "") && !strcmp(stmt_str(st, 5), d) &&
               !strcmp(stmt_str(st, 6), r->time ? r->time : "");
    }
    enum rc rc = stmt_done(st, err);
    *status = 0;
    if (rc || same || (cms && strcmp(source, "cms")))
        return rc;
    *status = found ? 1 : 2;
    if (found)
        return store_exec(
            db, err,
            "UPDATE publications SET site_id = ?, column_id = ?, unit_id = ?, title = "
            "?, published = ?, published_time = ?, month = ?, source = ?, run_id = ?, "
            "updated_at = ? WHERE url = ?",
            "UUUtttttUTt", r->site_id, r->column_id, r->unit_id, r->title, d, r->time, month,
            source, run_id, now, r->url);
    return store_exec(
        db, err,
        "INSERT INTO publications (url, site_id, column_id, unit_id, title, published, "
        "published_time, month, source, run_id, updated_at) VALUES (?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?)",
        "tUUUtttttUT", r->url, r->site_id, r->column_id, r->unit_id, r->title, d, r->time, month,
        source, run_id, now);
}

/* Write records in one transaction; counts[status] += 1 for each (pub_put's status). */
static enum rc pub_put_all(struct store *db, const struct clk *clk, const struct pub_rec *recs,
                           size_t n, const char *source, int64_t run_id, int counts[3],
                           struct err *err)
{
    enum rc rc = store_begin(db, err);
    if (rc)
        return rc;
    int64_t now = clk_now(clk);
    for (size_t i = 0; i < n && !rc; i++) {
        int status;
        rc = pub_put(db, now, &recs[i], source, run_id, &status, err);
        if (!rc)
            counts[status]++;
    }
    if (!rc)
        return store_commit(db, err);
    store_rollback(db);
    return rc;
}

enum rc pub_refresh_crawl(struct store *db, const struct clk *clk, int64_t site_id, int64_t run_id,
                          int32_t until, int64_t *n, struct err *err)
{
    if (n)
        *n = 0;
    struct arena a = ARENA_INIT;
    struct map item_col = MAP_INIT, col_unit = MAP_INIT;
    int64_t site_unit = 0;
    enum rc rc = RC_OK;
    /* the column of each list item's target (the first list that links to it) */
    struct stmt *st = store_q(db,
                              "SELECT i.url, p.column_id FROM crawl_items i JOIN crawl_pages p ON "
                              "p.url_id = i.page_id WHERE p.run_id = ? AND p.column_id IS NOT NULL "
                              "AND p.is_article = 0 AND i.main = 1 ORDER BY p.url_id, i.pos",
                              "i", run_id);
    while (stmt_next(st)) {
        const char *u = stmt_str(st, 0);
        if (!map_gets(&item_col, u)) {
            int64_t *c = arena_alloc(&a, sizeof(*c));
            *c = stmt_int(st, 1);
            map_puts(&item_col, u, c);
        }
    }
    rc = stmt_done(st, err);
    if (!rc) {
        st = store_q(db, "SELECT id, COALESCE(unit_id, 0) FROM site_columns WHERE site_id = ?", "i",
                     site_id);
        while (stmt_next(st)) {
            int64_t id = stmt_int(st, 0), *u = arena_alloc(&a, sizeof(*u));
            *u = stmt_int(st, 1);
            map_put(&col_unit, &id, sizeof(id), u);
        }
        rc = stmt_done(st, err);
    }
    if (!rc)
        rc = store_get_int(db, &site_unit, err,
                           "SELECT COALESCE(unit_id, 0) FROM sites WHERE id = ?", "i", site_id);
    struct pub_rec *recs = NULL;
    size_t nr = 0, cap = 0;
    if (!rc) {
        st = store_q(db,
                     "SELECT url, title, date, COALESCE(column_id, 0) FROM crawl_articles WHERE "
                     "run_id = ? AND site_id = ? ORDER BY url",
                     "ii", run_id, site_id);
        while (stmt_next(st)) {
            int32_t day = stmt_date(st, 2);
            if (day == DATE_NONE || (until != DATE_NONE && day > until))
                continue;
            recs = xgrow(recs, &cap, nr + 1, sizeof(*recs));
            struct pub_rec *r = &recs[nr++];
            memset(r, 0, sizeof(*r));
            r->url = arena_strdup(&a, stmt_str(st, 0));
            r->title = stmt_text(st, 1) ? arena_strdup(&a, stmt_text(st, 1)) : NULL;
            r->day = day;
            r->site_id = site_id;
            r->column_id = stmt_int(st, 3);
            if (!r->column_id) {
                int64_t *c = map_gets(&item_col, r->url);
                r->column_id = c ? *c : 0;
            }
            int64_t *u = r->column_id ? map_get(&col_unit, &r->column_id, sizeof(int64_t)) : NULL;
            r->unit_id = u && *u ? *u : site_unit;
        }
        rc = stmt_done(st, err);
    }
    int counts[3] = { 0 };
    if (!rc)
        rc = pub_put_all(db, clk, recs, nr, "crawl", run_id, counts, err);
    if (n)
        *n = counts[1] + counts[2];
    free(recs);
    map_release(&item_col, NULL);
    map_release(&col_unit, NULL);
    arena_release(&a);
    return rc;
}

/* "YYYY-MM-DD HH:MM" or "YYYY-MM-DD" (a 'T' also separates). */
static bool parse_published(const char *s, int32_t *day, char time[6])
{
    struct str t = str_trim(str_of(s));
    time[0] = 0;
    if (t.n != 10 && t.n != 16)
        return false;
    char d[11];
    memcpy(d, t.p, 10);
    d[10] = 0;
    if (!date_parse(d, day) || d[4] != '-')
        return false;
    if (t.n == 16) {
        const char *h = t.p + 11;
        if ((t.p[10] != ' ' && t.p[10] != 'T') || !ascii_isdigit(h[0]) || !ascii_isdigit(h[1]) ||
            h[2] != ':' || !ascii_isdigit(h[3]) || !ascii_isdigit(h[4]))
            return false;
        int hh = (h[0] - '0') * 10 + (h[1] - '0'), mm = (h[3] - '0') * 10 + (h[4] - '0');
        if (hh > 23 || mm > 59)
            return false;
        memcpy(time, h, 5);
        time[5] = 0;
    }
    return true;
}

static enum rc import_csv(struct store *db, const struct clk *clk, struct csv *c,
                          struct reg_import_result *res, struct notes *bad, struct err *err)
{
    memset(res, 0, sizeof(*res));
    int r = csv_next(c, err);
    if (r < 0)
        return err->rc;
    if (r == 0)
        return err_set(err, RC_INVALID,
                       "%s: empty file; expected the header url,title,unit,column,published",
                       c->name);
    int i_url = csv_find(c, "url|网址|链接"), i_title = csv_find(c, "title|标题"),
        i_unit = csv_find(c, "unit|单位|发布单位"), i_col = csv_find(c, "column|栏目"),
        i_pub = csv_find(c, "published|发布时间|发布日期");
    if (i_url < 0 || i_pub < 0 || i_unit < 0 || i_col < 0)
        return err_set(err, RC_INVALID,
                       "%s:%ld: the header must name url, title, unit, column and published",
                       c->name, c->line);
    struct arena a = ARENA_INIT;
    struct pub_rec *recs = NULL;
    size_t nr = 0, cap = 0;
    struct map seen = MAP_INIT;
    enum rc rc = RC_OK;
    while ((r = csv_next(c, err)) > 0) {
        res->rows++;
#define FLD(i) ((i) >= 0 && (size_t)(i) < c->nf ? c->f[(i)] : "")
        const char *url = FLD(i_url), *title = FLD(i_title), *unit = FLD(i_unit), *col = FLD(i_col),
                   *pub = FLD(i_pub);
#undef FLD
        struct pub_rec rec = { .line = c->line };
        char *norm = NULL;
        struct err e = { 0 };
        char tm[6];
        if (str_empty(url) || url_normalize(url, &norm, &e)) {
            notes_add(bad, "%s:%ld: bad url '%s'%s%s", c->name, c->line, url, e.rc ? ": " : "",
                      e.rc ? err_msg(&e) : "");
            free(norm);
            continue;
        }
        rec.url = arena_strdup(&a, norm);
        free(norm);
        if (map_gets(&seen, rec.url)) {
            notes_add(bad, "%s:%ld: url %s appears twice (also on line %ld); keep one row", c->name,
                      c->line, rec.url, (long)(intptr_t)map_gets(&seen, rec.url));
            continue;
        }
        map_puts(&seen, rec.url, (void *)(intptr_t)c->line);
        if (!parse_published(pub, &rec.day, tm)) {
            notes_add(bad, "%s:%ld: published '%s' is not YYYY-MM-DD HH:MM or YYYY-MM-DD", c->name,
                      c->line, pub);
            continue;
        }
        rec.time = tm[0] ? arena_strdup(&a, tm) : NULL;
        rec.title = str_empty(title) ? NULL : arena_strdup(&a, title);
        char host[256];
        if (url_host(rec.url, host, sizeof(host)) && reg_site_lookup(db, host, &rec.site_id, &e)) {
            if (e.rc != RC_NOTFOUND) {
                rc = e.rc;
                *err = e;
                break;
            }
            rec.site_id = 0;
            err_clear(&e);
        }
        if (!str_empty(unit)) {
            if (reg_unit_lookup(db, unit, &rec.unit_id, &e)) {
                if (e.rc != RC_NOTFOUND) {
                    rc = e.rc;
                    *err = e;
                    break;
                }
                notes_add(bad, "%s:%ld: %s", c->name, c->line, err_msg(&e));
                continue;
            }
        }
        if (!str_empty(col)) {
            struct buf path = BUF_INIT;
            if (!reg_path_normalize(col, &path)) {
                notes_add(bad, "%s:%ld: '%s' is not a column path like 民生>主题服务>交通服务",
                          c->name, c->line, col);
                buf_release(&path);
                continue;
            }
            if (!rec.site_id) {
                notes_add(bad,
                          "%s:%ld: no registered site has the host of %s, so column '%s' "
                          "cannot be found; register the site or leave column empty and give unit",
                          c->name, c->line, rec.url, buf_cstr(&path));
                buf_release(&path);
                continue;
            }
            int64_t cu = 0;
            struct stmt *st = store_q(db,
                                      "SELECT id, COALESCE(unit_id, 0) FROM site_columns WHERE "
                                      "site_id = ? AND path = ?",
                                      "it", rec.site_id, buf_cstr(&path));
            if (stmt_next(st)) {
                rec.column_id = stmt_int(st, 0);
                cu = stmt_int(st, 1);
            }
            rc = stmt_done(st, err);
            if (rc) {
                buf_release(&path);
                break;
            }
            if (!rec.column_id) {
                notes_add(bad, "%s:%ld: site #%lld has no column '%s'; see 'govsite column list'",
                          c->name, c->line, (long long)rec.site_id, buf_cstr(&path));
                buf_release(&path);
                continue;
            }
            buf_release(&path);
            if (!rec.unit_id)
                rec.unit_id = cu;
        }
        if (!rec.unit_id) {
            notes_add(bad, "%s:%ld: give a unit, or a column that has one", c->name, c->line);
            continue;
        }
        recs = xgrow(recs, &cap, nr + 1, sizeof(*recs));
        recs[nr++] = rec;
    }
    if (!rc && r < 0)
        rc = err->rc;
    if (!rc && bad->total)
        rc = err_set(err, RC_INVALID, "%s: %zu bad row%s; nothing was imported", c->name,
                     bad->total, bad->total == 1 ? "" : "s");
    int counts[3] = { 0 };
    if (!rc)
        rc = pub_put_all(db, clk, recs, nr, "cms", 0, counts, err);
    res->unchanged = counts[0];
    res->updated = counts[1];
    res->inserted = counts[2];
    free(recs);
    map_release(&seen, NULL);
    arena_release(&a);
    return rc;
}

enum rc pub_import(struct store *db, const struct clk *clk, const char *path,
                   struct reg_import_result *res, struct notes *bad, struct err *err)
{
    struct csv c;
    memset(res, 0, sizeof(*res));
    if (csv_open(&c, path, err))
        return err->rc;
    enum rc rc = import_csv(db, clk, &c, res, bad, err);
    csv_close(&c);
    return rc;
}

enum rc pub_import_mem(struct store *db, const struct clk *clk, const char *name, const char *data,
                       size_t n, struct reg_import_result *res, struct notes *bad, struct err *err)
{
    struct csv c;
    csv_open_mem(&c, name, data, n);
    enum rc rc = import_csv(db, clk, &c, res, bad, err);
    csv_close(&c);
    return rc;
}

bool pub_by_parse(const char *s, enum pub_by *out)
{
    if (!s)
        return false;
    if (!strcmp(s, "unit"))
        *out = PUB_BY_UNIT;
    else if (!strcmp(s, "column"))
        *out = PUB_BY_COLUMN;
    else if (!strcmp(s, "class"))
        *out = PUB_BY_CLASS;
    else
        return false;
    return true;
}

enum rc pub_month_each(struct store *db, int32_t month, enum pub_by by,
                       void (*fn)(const struct pub_count *c, void *ctx), void *ctx, struct err *err)
{
    char m[8];
    month_of(month, m);
    static const char *const sql[] = {
        [PUB_BY_UNIT] = "SELECT COALESCE(p.unit_id, 0), COALESCE(u.short_name, u.name), COUNT(*), "
                        "SUM(CASE WHEN p.source = 'crawl' THEN 1 ELSE 0 END) FROM publications p "
                        "LEFT JOIN units u ON u.id = p.unit_id WHERE p.month = ? GROUP BY "
                        "p.unit_id, u.short_name, u.name ORDER BY 3 DESC, 2",
        [PUB_BY_COLUMN] = "SELECT COALESCE(p.column_id, 0), s.name || '>' || c.path, COUNT(*), "
                          "SUM(CASE WHEN p.source = 'crawl' THEN 1 ELSE 0 END) FROM publications "
                          "p LEFT JOIN site_columns c ON c.id = p.column_id LEFT JOIN sites s ON "
                          "s.id = c.site_id WHERE p.month = ? GROUP BY p.column_id, s.name, "
                          "c.path ORDER BY 3 DESC, 2",
        [PUB_BY_CLASS] = "SELECT 0, c.class, COUNT(*), SUM(CASE WHEN p.source = 'crawl' THEN 1 "
                         "ELSE 0 END) FROM publications p LEFT JOIN site_columns c ON c.id = "
                         "p.column_id WHERE p.month = ? GROUP BY c.class ORDER BY 3 DESC, 2",
    };
    struct stmt *st = store_q(db, sql[by], "t", m);
    while (stmt_next(st)) {
        struct pub_count c = { .id = stmt_int(st, 0),
                               .label = stmt_text(st, 1),
                               .n = stmt_int(st, 2),
                               .crawl = stmt_int(st, 3) };
        c.cms = c.n - c.crawl;
        fn(&c, ctx);
    }
    return stmt_done(st, err);
}

enum rc pub_month_total(struct store *db, int32_t month, int64_t *total, struct err *err)
{
    char m[8];
    month_of(month, m);
    return store_get_int(db, total, err, "SELECT COUNT(*) FROM publications WHERE month = ?", "t",
                         m);
}

struct top_ctx {
    struct pub_unit_count *v;
    size_t n, k;
};

static void top_one(const struct pub_count *c, void *ctx)
{
    struct top_ctx *t = ctx;
    if (t->n >= t->k)
        return;
    t->v[t->n++] = (struct pub_unit_count){ .unit_id = c->id,
                                            .unit = c->label ? xstrdup(c->label) : NULL,
                                            .n = c->n };
}

enum rc pub_month_top_units(struct store *db, int32_t month, size_t k, struct pub_unit_count **top,
                            size_t *n, struct err *err)
{
    struct top_ctx t = { .v = xcalloc(k ? k : 1, sizeof(*t.v)), .k = k };
    enum rc rc = pub_month_each(db, month, PUB_BY_UNIT, top_one, &t, err);
    if (rc) {
        pub_top_free(t.v, t.n);
        *top = NULL;
        *n = 0;
        return rc;
    }
    *top = t.v;
    *n = t.n;
    return RC_OK;
}

void pub_top_free(struct pub_unit_count *top, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(top[i].unit);
    free(top);
}
