/* api_reg.c - /api/v1/sites, /api/v1/sites/{id}, /api/v1/sites/{id}/columns, /api/v1/units,
 * and the registry queries the pages share (web_int.h). */
#include <stdio.h>
#include <string.h>

#include "core/esc.h"
#include "core/map.h"
#include "core/str.h"
#include "reg/reg.h"
#include "web/web_int.h"

/* ---- shared queries ------------------------------------------------------------------ */

const char *web__like(struct web_req *r, const char *q)
{
    if (str_empty(q))
        return NULL;
    struct buf b = BUF_INIT;
    buf_addc(&b, '%');
    for (const char *p = q; *p; p++) {
        if (*p == '%' || *p == '_' || *p == '\\')
            buf_addc(&b, '\\');
        buf_addc(&b, *p);
    }
    buf_addc(&b, '%');
    const char *s = arena_strdup(&r->a, b.p);
    buf_release(&b);
    return s;
}

enum rc web__site_filter(struct web_req *r, struct web__site_filter *f)
{
    memset(f, 0, sizeof(*f));
    const char *q = web_query(r, "q");
    if (q) {
        struct str t = str_trim(str_of(q));
        f->like = web__like(r, arena_strndup(&r->a, t.p, t.n));
    }
    const char *unit = web_query(r, "unit");
    if (!str_empty(unit)) {
        if (!cstr_to_i64(unit, &f->unit_id) || f->unit_id <= 0) {
            struct err e = { 0 };
            if (reg_unit_lookup(r->db, unit, &f->unit_id, &e))
                return web_fail(r, RC_INVALID, "%s", err_msg(&e));
        }
    }
    const char *type = web_query(r, "type"), *status = web_query(r, "status");
    if (!str_empty(type) && !(f->type = reg_site_type(type)))
        return web_fail(r, RC_INVALID, "type '%s' is not 门户网站 or 部门网站", type);
    if (!str_empty(status) && !(f->status = reg_site_status(status)))
        return web_fail(r, RC_INVALID, "status '%s' is not 正常运行, 临时关停, 已关停 or 已迁移",
                        status);
    return RC_OK;
}

/* The WHERE clause holds only the conditions in use (so an unfiltered count is SQLite's
 * fast table count); values are always bound, never formatted. */
static const char *site_where(struct web_req *r, const struct web__site_filter *f)
{
    struct buf w = BUF_INIT;
    if (f->like)
        buf_adds(&w, " AND (s.name LIKE ? ESCAPE '\\' OR s.url LIKE ? ESCAPE '\\' OR s.code "
                     "LIKE ? ESCAPE '\\')");
    if (f->unit_id)
        buf_adds(&w, " AND s.unit_id = ?");
    if (f->type)
        buf_adds(&w, " AND s.type = ?");
    if (f->status)
        buf_adds(&w, " AND s.status = ?");
    const char *out = w.n ? arena_fmt(&r->a, " WHERE%s", w.p + 4) : "";
    buf_release(&w);
    return out;
}

static int site_bind(struct stmt *st, const struct web__site_filter *f)
{
    int i = 1;
    if (f->like)
        for (int k = 0; k < 3; k++)
            stmt_bind_text(st, i++, f->like);
    if (f->unit_id)
        stmt_bind_int(st, i++, f->unit_id);
    if (f->type)
        stmt_bind_text(st, i++, f->type);
    if (f->status)
        stmt_bind_text(st, i++, f->status);
    return i;
}

enum rc web__site_count(struct web_req *r, const struct web__site_filter *f, int64_t *n)
{
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "SELECT COUNT(*) FROM sites s");
    buf_adds(&sql, site_where(r, f));
    struct stmt *st = store_sql(r->db, sql.p);
    site_bind(st, f);
    *n = stmt_next(st) ? stmt_int(st, 0) : 0;
    struct err e = { 0 };
    enum rc rc = stmt_done(st, &e);
    buf_release(&sql);
    return rc ? web_fail(r, rc, "%s", err_msg(&e)) : RC_OK;
}

struct stmt *web__site_query(struct web_req *r, const struct web__site_filter *f,
                             const struct web_page *pg)
{
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "SELECT s.id, s.name, s.url, s.code, COALESCE(u.short_name, u.name), s.type, "
                   "s.status, s.unit_id, (SELECT COUNT(*) FROM site_columns c WHERE c.site_id = "
                   "s.id AND c.state = 'registered'), s.icp, s.psb, s.host FROM sites s LEFT "
                   "JOIN units u ON u.id = s.unit_id");
    buf_adds(&sql, site_where(r, f));
    buf_adds(&sql, " ORDER BY s.id LIMIT ? OFFSET ?");
    struct stmt *st = store_sql(r->db, sql.p);
    int i = site_bind(st, f);
    stmt_bind_int(st, i, pg->per_page);
    stmt_bind_int(st, i + 1, pg->offset);
    buf_release(&sql);
    return st;
}

void web__column_status(struct web_req *r, const char *state, struct web__colstatus *out)
{
    (void)r;
    /* The freshness check replaces this with 正常/即将超期/超期 per column. */
    if (state && !strcmp(state, "proposed")) {
        out->key = "proposed";
        out->label = "待确认";
    } else {
        out->key = "unchecked";
        out->label = "未检查";
    }
}

/* The list-page URLs of a site's columns: column id (decimal text) → "url\nurl" (arena). */
static void site_urls(struct web_req *r, int64_t site_id, struct map *m)
{
    struct stmt *st = store_q(r->db,
                              "SELECT cu.column_id, cu.url FROM column_urls cu JOIN site_columns c "
                              "ON c.id = cu.column_id WHERE c.site_id = ? ORDER BY cu.column_id, "
                              "cu.url",
                              "i", site_id);
    while (stmt_next(st)) {
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)stmt_int(st, 0));
        const char *prev = map_gets(m, key);
        map_puts(m, key,
                 prev ? arena_fmt(&r->a, "%s\n%s", prev, stmt_str(st, 1))
                      : arena_strdup(&r->a, stmt_str(st, 1)));
    }
    stmt_done(st, NULL);
}

enum rc web__site_columns(struct web_req *r, int64_t site_id, const char *cls, int64_t unit_id,
                          const struct web_page *pg, struct web__column **out, size_t *n,
                          int64_t *total)
{
    struct err e = { 0 };
    enum rc rc;
    if (total &&
        (rc = store_get_int(r->db, total, &e,
                            "SELECT COUNT(*) FROM site_columns c WHERE c.site_id = ? AND c.state "
                            "<> 'rejected' AND (? IS NULL OR c.class = ?) AND (? = 0 OR "
                            "c.unit_id = ?)",
                            "ittii", site_id, cls, cls, unit_id, unit_id)))
        return web_fail(r, rc, "%s", err_msg(&e));
    struct stmt *st = store_q(
        r->db,
        "SELECT c.id, c.path, c.name, c.class, COALESCE(u.short_name, u.name), c.unit_id, "
        "c.freshness_days, c.state, c.required_items FROM site_columns c LEFT JOIN units u ON "
        "u.id = c.unit_id WHERE c.site_id = ? AND c.state <> 'rejected' AND (? IS NULL OR "
        "c.class = ?) AND (? = 0 OR c.unit_id = ?) ORDER BY c.path LIMIT ? OFFSET ?",
        "ittiiii", site_id, cls, cls, unit_id, unit_id, pg ? pg->per_page : (int64_t)1000000,
        pg ? pg->offset : (int64_t)0);
    struct map urls = MAP_INIT;
    site_urls(r, site_id, &urls);
    size_t cap = 64, k = 0;
    struct web__column *v = arena_alloc(&r->a, cap * sizeof(*v));
    while (stmt_next(st)) {
        if (k == cap) {
            struct web__column *nv = arena_alloc(&r->a, 2 * cap * sizeof(*v));
            memcpy(nv, v, cap * sizeof(*v));
            v = nv;
            cap *= 2;
        }
        struct web__column *c = &v[k++];
        c->id = stmt_int(st, 0);
        c->path = arena_strdup(&r->a, stmt_str(st, 1));
        c->name = arena_strdup(&r->a, stmt_str(st, 2));
        c->cls = arena_strdup(&r->a, stmt_str(st, 3));
        c->unit = stmt_null(st, 4) ? NULL : arena_strdup(&r->a, stmt_str(st, 4));
        c->unit_id = stmt_int(st, 5);
        const struct reg_class *rc2 = reg_class_find(c->cls);
        c->freshness_days = stmt_null(st, 6) ? (rc2 ? rc2->freshness_days : 0) : stmt_int(st, 6);
        c->state = arena_strdup(&r->a, stmt_str(st, 7));
        c->required = stmt_null(st, 8) ? NULL : arena_strdup(&r->a, stmt_str(st, 8));
        char key[24];
        snprintf(key, sizeof(key), "%lld", (long long)c->id);
        c->urls = map_gets(&urls, key);
        web__column_status(r, c->state, &c->status);
    }
    map_release(&urls, NULL);
    rc = stmt_done(st, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    *out = v;
    *n = k;
    return RC_OK;
}

/* The site's row, or RC_NOTFOUND. */
enum rc web__site_get(struct web_req *r, int64_t id, struct web__site *s)
{
    struct stmt *st = store_q(r->db,
                              "SELECT s.id, s.name, s.url, s.code, COALESCE(u.short_name, u.name), "
                              "s.type, s.status, s.unit_id, (SELECT COUNT(*) FROM site_columns c "
                              "WHERE c.site_id = s.id AND c.state = 'registered'), s.icp, s.psb, "
                              "s.host FROM sites s LEFT JOIN units u ON u.id = s.unit_id WHERE "
                              "s.id = ?",
                              "i", id);
    bool found = false;
    if (stmt_next(st)) {
        web__site_row(r, st, s);
        found = true;
    }
    struct err e = { 0 };
    enum rc rc = stmt_done(st, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    if (!found)
        return web_fail(r, RC_NOTFOUND, "site %lld not found", (long long)id);
    return RC_OK;
}

void web__site_row(struct web_req *r, struct stmt *st, struct web__site *s)
{
    s->id = stmt_int(st, 0);
    s->name = arena_strdup(&r->a, stmt_str(st, 1));
    s->url = arena_strdup(&r->a, stmt_str(st, 2));
    s->code = stmt_null(st, 3) ? NULL : arena_strdup(&r->a, stmt_str(st, 3));
    s->unit = stmt_null(st, 4) ? NULL : arena_strdup(&r->a, stmt_str(st, 4));
    s->type = arena_strdup(&r->a, stmt_str(st, 5));
    s->status = arena_strdup(&r->a, stmt_str(st, 6));
    s->unit_id = stmt_int(st, 7);
    s->columns = stmt_int(st, 8);
    s->icp = stmt_null(st, 9) ? NULL : arena_strdup(&r->a, stmt_str(st, 9));
    s->psb = stmt_null(st, 10) ? NULL : arena_strdup(&r->a, stmt_str(st, 10));
    s->host = arena_strdup(&r->a, stmt_str(st, 11));
}

/* ---- JSON ---------------------------------------------------------------------------- */

static void site_json(struct jw *w, const struct web__site *s)
{
    jw_obj(w);
    jw_kint(w, "id", s->id);
    jw_kstr(w, "name", s->name);
    jw_kstr(w, "url", s->url);
    jw_kstr(w, "host", s->host);
    jw_kstr(w, "code", s->code);
    jw_kstr(w, "unit", s->unit);
    if (s->unit_id)
        jw_kint(w, "unit_id", s->unit_id);
    else
        jw_knull(w, "unit_id");
    jw_kstr(w, "type", s->type);
    jw_kstr(w, "status", s->status);
    jw_kstr(w, "icp", s->icp);
    jw_kstr(w, "psb", s->psb);
    jw_kint(w, "columns", s->columns);
    jw_end(w);
}

/* ?format=csv: every matching site (no paging) as a CSV download. */
static enum rc sites_csv(struct web_req *r, const struct web__site_filter *f, int64_t total)
{
    struct web_page all = { .page = 1, .per_page = total ? total : 1, .offset = 0 };
    buf_reset(&r->out);
    static const char *const head[] = { "name",   "url", "code", "unit",   "type",
                                        "status", "icp", "psb",  "columns" };
    for (size_t i = 0; i < sizeof(head) / sizeof(head[0]); i++) {
        if (i)
            buf_addc(&r->out, ',');
        esc_csv(&r->out, head[i]);
    }
    buf_adds(&r->out, "\r\n");
    struct stmt *st = web__site_query(r, f, &all);
    while (stmt_next(st)) {
        struct web__site s;
        web__site_row(r, st, &s);
        const char *cells[] = { s.name, s.url, s.code, s.unit, s.type, s.status, s.icp, s.psb };
        for (size_t i = 0; i < sizeof(cells) / sizeof(cells[0]); i++) {
            esc_csv(&r->out, cells[i] ? cells[i] : "");
            buf_addc(&r->out, ',');
        }
        buf_addf(&r->out, "%lld\r\n", (long long)s.columns);
    }
    struct err e = { 0 };
    enum rc rc = stmt_done(st, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    return web_csv_send(r, "网站.csv");
}

enum rc api_sites(struct web_req *r)
{
    struct web_page pg;
    struct web__site_filter f;
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = web__site_filter(r, &f)) ||
        (rc = web__site_count(r, &f, &pg.total)))
        return rc;
    const char *format = web_query(r, "format");
    if (format && !strcmp(format, "csv"))
        return sites_csv(r, &f, pg.total);
    if (format && strcmp(format, "json"))
        return web_fail(r, RC_INVALID, "format '%s' is not json or csv", format);
    struct jw w;
    web_list_begin(r, &w);
    struct stmt *st = web__site_query(r, &f, &pg);
    while (stmt_next(st)) {
        struct web__site s;
        web__site_row(r, st, &s);
        site_json(&w, &s);
    }
    struct err e = { 0 };
    if ((rc = stmt_done(st, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    return web_list_send(r, &w, &pg);
}

enum rc api_site(struct web_req *r)
{
    int64_t id;
    struct web__site s;
    enum rc rc;
    if ((rc = web_param_id(r, "id", &id)) || (rc = web__site_get(r, id, &s)))
        return rc;
    struct jw w;
    web_json_begin(r, &w);
    site_json(&w, &s);
    return web_json_send(r, &w, 200);
}

void web__column_json(struct jw *w, const struct web__column *c)
{
    jw_obj(w);
    jw_kint(w, "id", c->id);
    jw_kstr(w, "path", c->path);
    jw_kstr(w, "name", c->name);
    jw_kstr(w, "class", c->cls);
    jw_kstr(w, "unit", c->unit);
    if (c->unit_id)
        jw_kint(w, "unit_id", c->unit_id);
    else
        jw_knull(w, "unit_id");
    jw_kint(w, "freshness_days", c->freshness_days);
    jw_kstr(w, "required_items", c->required);
    jw_kstr(w, "state", c->state);
    jw_key(w, "urls");
    jw_arr(w);
    struct str all = str_of(c->urls), one;
    while (all.n) {
        str_split(&all, '\n', &one);
        jw_strn(w, one.p, one.n);
    }
    jw_end(w);
    jw_key(w, "status");
    jw_obj(w);
    jw_kstr(w, "key", c->status.key);
    jw_kstr(w, "label", c->status.label);
    jw_end(w);
    jw_end(w);
}

enum rc api_site_columns(struct web_req *r)
{
    int64_t id, unit_id = 0;
    struct web__site s;
    struct web_page pg;
    enum rc rc;
    if ((rc = web_param_id(r, "id", &id)) || (rc = web__site_get(r, id, &s)) ||
        (rc = web_paging(r, &pg)))
        return rc;
    const char *cls = web_query(r, "class"), *unit = web_query(r, "unit");
    if (!str_empty(cls)) {
        const struct reg_class *k = reg_class_find(cls);
        if (!k)
            return web_fail(r, RC_INVALID, "class '%s' is unknown; see 'govsite column --help'",
                            cls);
        cls = k->name;
    } else {
        cls = NULL;
    }
    if (!str_empty(unit) && (!cstr_to_i64(unit, &unit_id) || unit_id <= 0)) {
        struct err e = { 0 };
        if (reg_unit_lookup(r->db, unit, &unit_id, &e))
            return web_fail(r, RC_INVALID, "%s", err_msg(&e));
    }
    struct web__column *v;
    size_t n;
    if ((rc = web__site_columns(r, id, cls, unit_id, &pg, &v, &n, &pg.total)))
        return rc;
    struct jw w;
    web_list_begin(r, &w);
    for (size_t i = 0; i < n; i++)
        web__column_json(&w, &v[i]);
    return web_list_send(r, &w, &pg);
}

enum rc api_units(struct web_req *r)
{
    struct web_page pg;
    enum rc rc;
    struct err e = { 0 };
    if ((rc = web_paging(r, &pg)))
        return rc;
    if ((rc = store_get_int(r->db, &pg.total, &e, "SELECT COUNT(*) FROM units", "")))
        return web_fail(r, rc, "%s", err_msg(&e));
    struct jw w;
    web_list_begin(r, &w);
    struct stmt *st = store_q(
        r->db,
        "SELECT u.id, u.name, u.short_name, u.kind, u.parent_id, COALESCE(p.short_name, "
        "p.name), (SELECT COUNT(*) FROM sites s WHERE s.unit_id = u.id), (SELECT COUNT(*) FROM "
        "site_columns c WHERE c.unit_id = u.id AND c.state = 'registered') FROM units u LEFT "
        "JOIN units p ON p.id = u.parent_id ORDER BY u.id LIMIT ? OFFSET ?",
        "ii", pg.per_page, pg.offset);
    while (stmt_next(st)) {
        jw_obj(&w);
        jw_kint(&w, "id", stmt_int(st, 0));
        jw_kstr(&w, "name", stmt_text(st, 1));
        jw_kstr(&w, "short_name", stmt_text(st, 2));
        jw_kstr(&w, "kind", stmt_text(st, 3));
        if (stmt_null(st, 4))
            jw_knull(&w, "parent_id");
        else
            jw_kint(&w, "parent_id", stmt_int(st, 4));
        jw_kstr(&w, "parent", stmt_text(st, 5));
        jw_kint(&w, "sites", stmt_int(st, 6));
        jw_kint(&w, "columns", stmt_int(st, 7));
        jw_end(&w);
    }
    if ((rc = stmt_done(st, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    return web_list_send(r, &w, &pg);
}
