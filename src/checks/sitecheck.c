/* sitecheck.c - the checks over a site's latest crawl (sitecheck.h): retired targets,
 * column freshness, proposals, links, required content, wording over pages, the
 * interaction items and the whole step. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/pub.h"
#include "checks/sitecheck.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/json.h"
#include "core/map.h"
#include "core/str.h"
#include "core/url.h"
#include "core/xalloc.h"
#include "crawl/crawl.h"
#include "reg/reg.h"

/* ---- retired targets --------------------------------------------------------------- */

static bool host_char(int c)
{
    return ascii_isalnum(c) || c == '-' || c == '.' || c == '_';
}

bool retired_normalize(const char *in, struct buf *out)
{
    struct str s = str_trim(str_of(in));
    if (!s.n || s.n > 2000)
        return false;
    if (str_starts(s, "http://") || str_starts(s, "https://") || str_starts(s, "HTTP://") ||
        str_starts(s, "HTTPS://")) {
        char *tmp = str_dup(s), *norm = NULL;
        struct err e = { 0 };
        bool ok = !url_normalize(tmp, &norm, &e);
        char host[256];
        if (ok && !url_host(norm, host, sizeof(host)))
            ok = false;
        if (ok)
            buf_adds(out, norm);
        free(norm);
        free(tmp);
        return ok;
    }
    /* a host: letters, digits, '-', '.'; a trailing dot dropped */
    while (s.n && s.p[s.n - 1] == '.')
        s.n--;
    if (!s.n || s.p[0] == '.' || !memchr(s.p, '.', s.n))
        return false; /* a bare name is no host of the web */
    for (size_t i = 0; i < s.n; i++)
        if (!host_char((unsigned char)s.p[i]))
            return false;
    for (size_t i = 0; i < s.n; i++)
        buf_addc(out, (char)ascii_tolower((unsigned char)s.p[i]));
    return true;
}

static enum rc retired_bad(struct buf *t, const char *target, struct err *err)
{
    buf_release(t);
    return err_set(err, RC_INVALID,
                   "'%s' is neither a host (www.gdbs.gov.cn) nor an http(s) URL prefix",
                   target ? target : "");
}

enum rc retired_add(struct store *db, const struct clk *clk, const char *target, const char *note,
                    const char *by, bool *existed, struct err *err)
{
    struct buf t = BUF_INIT;
    if (!retired_normalize(target, &t))
        return retired_bad(&t, target, err);
    int64_t id = 0;
    enum rc rc = store_get_int(db, &id, err, "SELECT id FROM retired_targets WHERE target = ?", "t",
                               buf_cstr(&t));
    if (rc == RC_NOTFOUND) {
        rc = store_exec(db, err,
                        "INSERT INTO retired_targets (target, note, created_by, created_at) "
                        "VALUES (?, ?, ?, ?)",
                        "tttT", buf_cstr(&t), str_empty(note) ? NULL : note, by, clk_now(clk));
        if (existed)
            *existed = false;
    } else if (!rc) {
        if (!str_empty(note))
            rc = store_exec(db, err, "UPDATE retired_targets SET note = ? WHERE id = ?", "ti", note,
                            id);
        if (existed)
            *existed = true;
    }
    buf_release(&t);
    return rc;
}

/* The entries of `[checks] retired`, normalised (invalid ones skipped). */
static void conf_targets(const struct conf *conf, char ***v, size_t *n)
{
    *v = NULL;
    *n = 0;
    const char *s = conf ? conf_get(conf, "checks", "retired", NULL) : NULL;
    if (!s)
        return;
    size_t cap = 0;
    const char *p = s;
    while (*p) {
        size_t k = strcspn(p, " \t,;");
        if (k) {
            char *one = xmalloc(k + 1);
            memcpy(one, p, k);
            one[k] = 0;
            struct buf t = BUF_INIT;
            if (retired_normalize(one, &t)) {
                *v = xgrow(*v, &cap, *n + 1, sizeof(char *));
                (*v)[(*n)++] = buf_take(&t);
            }
            buf_release(&t);
            free(one);
        }
        p += k;
        if (*p)
            p++;
    }
}

static void free_strv(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

static int cmp_cstr(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

enum rc retired_remove(struct store *db, const struct conf *conf, const char *target,
                       struct err *err)
{
    struct buf t = BUF_INIT;
    if (!retired_normalize(target, &t))
        return retired_bad(&t, target, err);
    struct stmt *st =
        store_q(db, "DELETE FROM retired_targets WHERE target = ?", "t", buf_cstr(&t));
    stmt_next(st);
    int64_t changed = stmt_changes(st);
    enum rc rc = stmt_done(st, err);
    if (!rc && !changed) {
        char **v;
        size_t n;
        conf_targets(conf, &v, &n);
        bool in_conf = false;
        for (size_t i = 0; i < n; i++)
            in_conf = in_conf || !strcmp(v[i], buf_cstr(&t));
        free_strv(v, n);
        rc = in_conf ? err_set(err, RC_NOTFOUND,
                               "'%s' comes from the configuration ([checks] retired in %s); "
                               "edit it there",
                               buf_cstr(&t), conf_where(conf, "checks", "retired"))
                     : err_set(err, RC_NOTFOUND,
                               "'%s' is not in the retired list; see 'govsite retired list'",
                               buf_cstr(&t));
    }
    buf_release(&t);
    return rc;
}

enum rc retired_each(struct store *db, const struct conf *conf,
                     void (*fn)(const struct retired_row *r, void *ctx), void *ctx, struct err *err)
{
    struct stmt *st = store_q(db,
                              "SELECT id, target, note, created_by, created_at FROM "
                              "retired_targets ORDER BY target",
                              "");
    while (stmt_next(st)) {
        struct retired_row r = { .id = stmt_int(st, 0),
                                 .target = stmt_str(st, 1),
                                 .note = stmt_text(st, 2),
                                 .created_by = stmt_text(st, 3),
                                 .created_at = stmt_int(st, 4),
                                 .source = "db" };
        fn(&r, ctx);
    }
    enum rc rc = stmt_done(st, err);
    if (rc)
        return rc;
    char **v;
    size_t n;
    conf_targets(conf, &v, &n);
    if (n)
        qsort(v, n, sizeof(char *), cmp_cstr);
    for (size_t i = 0; i < n; i++) {
        struct retired_row r = { .target = v[i], .source = "config" };
        fn(&r, ctx);
    }
    free_strv(v, n);
    return RC_OK;
}

struct retired_load_ctx {
    struct retired_set *set;
    size_t caph, capp;
};

static void retired_load_one(const struct retired_row *r, void *ctx)
{
    struct retired_load_ctx *l = ctx;
    struct retired_set *s = l->set;
    if (strchr(r->target, '/')) {
        s->prefixes = xgrow(s->prefixes, &l->capp, s->nprefixes + 1, sizeof(char *));
        s->prefixes[s->nprefixes++] = xstrdup(r->target);
    } else {
        s->hosts = xgrow(s->hosts, &l->caph, s->nhosts + 1, sizeof(char *));
        s->hosts[s->nhosts++] = xstrdup(r->target);
    }
}

enum rc retired_load(struct store *db, const struct conf *conf, struct retired_set *set,
                     struct err *err)
{
    memset(set, 0, sizeof(*set));
    struct retired_load_ctx l = { .set = set };
    enum rc rc = retired_each(db, conf, retired_load_one, &l, err);
    if (rc)
        retired_release(set);
    return rc;
}

void retired_release(struct retired_set *set)
{
    free_strv(set->hosts, set->nhosts);
    free_strv(set->prefixes, set->nprefixes);
    memset(set, 0, sizeof(*set));
}

const char *retired_match(const struct retired_set *set, const char *url)
{
    if (!url)
        return NULL;
    for (size_t i = 0; i < set->nprefixes; i++)
        if (!strncmp(url, set->prefixes[i], strlen(set->prefixes[i])))
            return set->prefixes[i];
    char host[256];
    if (!set->nhosts || !url_host(url, host, sizeof(host)))
        return NULL;
    size_t hn = strlen(host);
    for (size_t i = 0; i < set->nhosts; i++) {
        size_t k = strlen(set->hosts[i]);
        if (hn == k && !strcmp(host, set->hosts[i]))
            return set->hosts[i];
        if (hn > k && host[hn - k - 1] == '.' && !strcmp(host + hn - k, set->hosts[i]))
            return set->hosts[i];
    }
    return NULL;
}

/* ---- runs and columns ----------------------------------------------------------------- */

enum rc sitecheck_latest_run(struct store *db, int64_t site_id, int64_t *run_id, struct err *err)
{
    *run_id = 0;
    struct stmt *st = store_q(db,
                              "SELECT MAX(id) FROM crawl_runs WHERE site_id = ? AND state = "
                              "'complete'",
                              "i", site_id);
    if (stmt_next(st))
        *run_id = stmt_int(st, 0);
    return stmt_done(st, err);
}

static int cmp_col_id(const void *a, const void *b)
{
    int64_t x = ((const struct sc_column *)a)->id, y = ((const struct sc_column *)b)->id;
    return x < y ? -1 : x > y;
}

/* The column with this id in v (sorted by id), or NULL. */
static struct sc_column *col_by_id(struct sc_column *v, size_t n, int64_t id)
{
    struct sc_column key = { .id = id };
    return bsearch(&key, v, n, sizeof(*v), cmp_col_id);
}

static int cmp_col_path(const void *a, const void *b)
{
    return strcmp(((const struct sc_column *)a)->path, ((const struct sc_column *)b)->path);
}

static void freshness_judge(struct sc_column *c, int32_t as_of)
{
    c->latest = c->list_latest;
    if (c->article_latest != DATE_NONE && (c->latest == DATE_NONE || c->article_latest > c->latest))
        c->latest = c->article_latest;
    c->days = c->latest == DATE_NONE ? -1 : (int)(as_of - c->latest);
    c->blank = c->stale = false;
    if (!c->crawled || c->exempt)
        return;
    if (c->latest == DATE_NONE) {
        if (c->undated > 0 || c->future > 0)
            c->stale = c->limit > 0; /* entries, none dated: not updated */
        else
            c->blank = true;
        return;
    }
    c->stale = c->limit > 0 && c->days > c->limit;
}

enum rc sitecheck_columns(struct store *db, int64_t site_id, int64_t run_id, int32_t as_of,
                          struct sc_column **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    enum rc rc = RC_OK;
    if (!run_id && (rc = sitecheck_latest_run(db, site_id, &run_id, err)))
        return rc;
    struct reg_column *rc_cols;
    size_t nc;
    if ((rc = reg_columns_of_site(db, site_id, false, &rc_cols, &nc, err)))
        return rc;
    struct sc_column *v = xcalloc(nc ? nc : 1, sizeof(*v));
    for (size_t i = 0; i < nc; i++) {
        struct sc_column *c = &v[i];
        c->id = rc_cols[i].id;
        c->unit_id = rc_cols[i].unit_id;
        c->path = xstrdup(rc_cols[i].path);
        c->url = rc_cols[i].url ? xstrdup(rc_cols[i].url) : NULL;
        c->class_name = xstrdup(rc_cols[i].class_name);
        c->limit = rc_cols[i].freshness_days;
        c->latest = c->list_latest = c->article_latest = c->future_max = DATE_NONE;
        c->days = -1;
    }
    reg_columns_free(rc_cols, nc);
    qsort(v, nc, sizeof(*v), cmp_col_id);

    struct check_exempt_set ex;
    rc = check_exempt_load(db, site_id, as_of, &ex, err);
    if (!rc) {
        for (size_t i = 0; i < nc; i++)
            v[i].exempt = check_exempt_has(&ex, v[i].id);
        check_exempt_set_release(&ex);
    }
    if (!rc && run_id) {
        struct stmt *st = store_q(db,
                                  "SELECT column_id, COUNT(*) FROM crawl_pages WHERE run_id = ? "
                                  "AND column_id IS NOT NULL GROUP BY column_id",
                                  "i", run_id);
        while (stmt_next(st)) {
            struct sc_column *c = col_by_id(v, nc, stmt_int(st, 0));
            if (c) {
                c->crawled = true;
                c->pages = stmt_int(st, 1);
            }
        }
        rc = stmt_done(st, err);
        /* list items: every row of every page of the column's lists (pinned ones too) */
        for (int pass = 0; pass < 2 && !rc; pass++) {
            st = store_q(db,
                         pass == 0
                             ? "SELECT p.column_id, MAX(CASE WHEN i.date <= ? THEN i.date END), "
                               "SUM(CASE WHEN i.date <= ? THEN 1 ELSE 0 END), SUM(CASE WHEN "
                               "i.date > ? THEN 1 ELSE 0 END), MAX(CASE WHEN i.date > ? THEN "
                               "i.date END) FROM crawl_items i JOIN crawl_pages p ON p.url_id = "
                               "i.page_id WHERE p.run_id = ? AND p.column_id IS NOT NULL AND "
                               "p.is_article = 0 AND i.main = 1 GROUP BY p.column_id"
                             : "SELECT column_id, MAX(CASE WHEN date <= ? THEN date END), "
                               "SUM(CASE WHEN date <= ? THEN 1 ELSE 0 END), SUM(CASE WHEN date "
                               "> ? THEN 1 ELSE 0 END), MAX(CASE WHEN date > ? THEN date END) "
                               "FROM crawl_articles WHERE run_id = ? AND column_id IS NOT NULL "
                               "GROUP BY column_id",
                         "DDDDi", as_of, as_of, as_of, as_of, run_id);
            while (stmt_next(st)) {
                struct sc_column *c = col_by_id(v, nc, stmt_int(st, 0));
                if (!c)
                    continue;
                int32_t d = stmt_date(st, 1);
                if (pass == 0)
                    c->list_latest = d;
                else
                    c->article_latest = d;
                c->items += stmt_int(st, 2);
                c->future += stmt_int(st, 3);
                int32_t f = stmt_date(st, 4);
                if (f != DATE_NONE && (c->future_max == DATE_NONE || f > c->future_max))
                    c->future_max = f;
            }
            rc = stmt_done(st, err);
        }
        if (!rc) {
            /* entries without a visible date: links from the column's list pages to
             * its pages that are neither lists nor dated articles */
            st = store_q(db,
                         "SELECT sp.column_id, COUNT(DISTINCT l.dst_id) FROM crawl_links l "
                         "JOIN crawl_pages sp ON sp.url_id = l.src_id JOIN crawl_pages dp ON "
                         "dp.url_id = l.dst_id WHERE l.run_id = ? AND sp.column_id IS NOT NULL "
                         "AND sp.is_article = 0 AND dp.is_list = 0 AND dp.is_article = 0 AND "
                         "dp.column_id = sp.column_id AND l.tag = 'a' AND dp.url_id <> "
                         "sp.url_id GROUP BY sp.column_id",
                         "i", run_id);
            while (stmt_next(st)) {
                struct sc_column *c = col_by_id(v, nc, stmt_int(st, 0));
                if (c)
                    c->undated = stmt_int(st, 1);
            }
            rc = stmt_done(st, err);
        }
    }
    if (rc) {
        sitecheck_columns_free(v, nc);
        return rc;
    }
    for (size_t i = 0; i < nc; i++)
        freshness_judge(&v[i], as_of);
    qsort(v, nc, sizeof(*v), cmp_col_path);
    *out = v;
    *n = nc;
    return RC_OK;
}

void sitecheck_columns_free(struct sc_column *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].path);
        free(v[i].url);
        free(v[i].class_name);
    }
    free(v);
}

/* ---- proposals ---------------------------------------------------------------------- */

/* The column path a breadcrumb names: without a leading 首页 (or the site's name). */
static bool crumb_path(const char *crumb, const char *site_name, struct buf *out)
{
    struct buf norm = BUF_INIT;
    if (!reg_path_normalize(crumb, &norm)) {
        buf_release(&norm);
        return false;
    }
    struct str all = str_of(buf_cstr(&norm)), seg;
    bool first = true, any = false;
    while (all.n) {
        str_split(&all, '>', &seg);
        if (first) {
            first = false;
            if (str_eqs(seg, "首页") || str_eqs(seg, "网站首页") || str_eqs(seg, "主页") ||
                str_ieq_ascii(seg, "home") || (site_name && str_eqs(seg, site_name)))
                continue;
        }
        if (str_eqs(seg, "正文") || str_eqs(seg, "详情"))
            continue;
        if (any)
            buf_addc(out, '>');
        buf_add(out, seg.p, seg.n);
        any = true;
    }
    buf_release(&norm);
    return any;
}

enum rc sitecheck_propose(struct store *db, const struct clk *clk, int64_t site_id, int64_t run_id,
                          int *proposed, struct err *err)
{
    if (proposed)
        *proposed = 0;
    char *site_name = reg_site_label(db, site_id);
    struct arena a = ARENA_INIT;
    struct cand {
        char *path, *url;
    } *cands = NULL;
    size_t n = 0, cap = 0;
    struct map seen = MAP_INIT;
    struct stmt *st = store_q(db,
                              "SELECT u.url, p.breadcrumb FROM crawl_pages p JOIN crawl_urls u "
                              "ON u.id = p.url_id WHERE p.run_id = ? AND p.column_id IS NULL AND "
                              "p.is_list = 1 AND p.is_article = 0 AND p.items >= ? AND "
                              "p.breadcrumb IS NOT NULL ORDER BY u.url",
                              "iI", run_id, SITECHECK_PROPOSE_ITEMS);
    while (stmt_next(st)) {
        struct buf path = BUF_INIT;
        if (crumb_path(stmt_str(st, 1), site_name, &path) && !map_has(&seen, path.p, path.n)) {
            map_put(&seen, path.p, path.n, NULL);
            cands = xgrow(cands, &cap, n + 1, sizeof(*cands));
            cands[n].path = arena_strdup(&a, buf_cstr(&path));
            cands[n].url = arena_strdup(&a, stmt_str(st, 0));
            n++;
        }
        buf_release(&path);
    }
    enum rc rc = stmt_done(st, err);
    for (size_t i = 0; i < n && !rc; i++) {
        int64_t id;
        rc = store_get_int(db, &id, err,
                           "SELECT id FROM site_columns WHERE site_id = ? AND path = ?", "it",
                           site_id, cands[i].path);
        if (rc == RC_NOTFOUND) {
            rc = reg_column_upsert(db, site_id, cands[i].path, cands[i].url, NULL, 0, "proposed",
                                   clk, &id, err);
            if (!rc && proposed)
                (*proposed)++;
        } else if (!rc) {
            continue;
        }
    }
    map_release(&seen, NULL);
    free(cands);
    arena_release(&a);
    free(site_name);
    return rc;
}

static enum rc column_set(struct store *db, const struct clk *clk, int64_t column_id,
                          const char *state, const char *class_name, int64_t unit_id,
                          struct err *err)
{
    const char *cls = NULL;
    if (class_name) {
        const struct reg_class *k = reg_class_find(class_name);
        if (!k) {
            struct buf names = BUF_INIT;
            for (size_t i = 0; i < reg_nclasses; i++)
                buf_addf(&names, "%s%s", i ? " " : "", reg_classes[i].name);
            err_set(err, RC_INVALID, "unknown column class '%s'; use one of %s", class_name,
                    buf_cstr(&names));
            buf_release(&names);
            return RC_INVALID;
        }
        cls = k->name;
    }
    struct stmt *st = store_q(db,
                              "UPDATE site_columns SET state = COALESCE(?, state), class = "
                              "COALESCE(?, class), unit_id = COALESCE(?, unit_id), updated_at = ? "
                              "WHERE id = ?",
                              "ttUTi", state, cls, unit_id, clk_now(clk), column_id);
    stmt_next(st);
    int64_t changed = stmt_changes(st);
    enum rc rc = stmt_done(st, err);
    if (!rc && !changed)
        rc = err_set(err, RC_NOTFOUND, "column #%lld does not exist", (long long)column_id);
    return rc;
}

enum rc sitecheck_column_accept(struct store *db, const struct clk *clk, int64_t column_id,
                                const char *class_name, int64_t unit_id, struct err *err)
{
    return column_set(db, clk, column_id, "registered", class_name, unit_id, err);
}

enum rc sitecheck_column_classify(struct store *db, const struct clk *clk, int64_t column_id,
                                  const char *class_name, struct err *err)
{
    if (!class_name)
        return err_set(err, RC_INVALID, "classify needs a class");
    return column_set(db, clk, column_id, NULL, class_name, 0, err);
}

enum rc sitecheck_column_reject(struct store *db, const struct clk *clk, int64_t column_id,
                                struct err *err)
{
    return column_set(db, clk, column_id, "rejected", NULL, 0, err);
}

/* ---- producers -------------------------------------------------------------------------- */

const char *const sc_producer_names[SC_NPROD] = { "freshness", "links", "required", "wording" };
const char *const sc_producer_kinds[SC_NPROD] = {
    "homepage-stale,column-stale,column-blank",
    "link-broken-home,link-broken,link-retired,host-unresolved",
    "required-missing",
    "wording",
};

/* What every producer of one site shares. */
struct run_ctx {
    struct sitecheck *sc;
    int64_t site_id, run_id;
    int32_t as_of;
    int64_t seen_at; /* the evidence's moment */
    bool complete;
    char source[40];
    char home[2100], home_final[2100];
    struct map colnames; /* column id (8 bytes) → "path\tunit" (owned) */
    struct sitecheck_result *res;
};

static const char *colname(struct run_ctx *x, int64_t id, const char **unit)
{
    *unit = NULL;
    if (!id)
        return NULL;
    char *v = map_get(&x->colnames, &id, sizeof(id));
    if (!v)
        return NULL;
    char *tab = strchr(v, '\t');
    *unit = tab && tab[1] ? tab + 1 : NULL;
    return v; /* the path ends at the tab: callers use colpath() */
}

/* The path of a column into out (for evidence). */
static void colpath(struct run_ctx *x, int64_t id, struct buf *out, const char **unit)
{
    buf_reset(out);
    const char *v = colname(x, id, unit);
    if (v)
        buf_add(out, v, strcspn(v, "\t"));
}

static void free_val(void *p)
{
    free(p);
}

static enum rc load_colnames(struct run_ctx *x, struct err *err)
{
    struct stmt *st = store_q(x->sc->db,
                              "SELECT c.id, c.path, COALESCE(u.short_name, u.name) FROM "
                              "site_columns c LEFT JOIN units u ON u.id = c.unit_id WHERE "
                              "c.site_id = ?",
                              "i", x->site_id);
    while (stmt_next(st)) {
        int64_t id = stmt_int(st, 0);
        struct buf b = BUF_INIT;
        buf_addf(&b, "%s\t%s", stmt_str(st, 1), stmt_str(st, 2));
        free(map_put(&x->colnames, &id, sizeof(id), buf_take(&b)));
        buf_release(&b);
    }
    return stmt_done(st, err);
}

static enum rc begin(struct run_ctx *x, enum sc_producer p, bool complete, struct check_session **s,
                     struct err *err)
{
    struct check_scope scope = { .site_id = x->site_id,
                                 .kinds = sc_producer_kinds[p],
                                 .complete = complete,
                                 .source = x->source };
    return check_begin(x->sc->db, x->sc->clk, &scope, s, err);
}

static enum rc end(struct run_ctx *x, enum sc_producer p, struct check_session *s, enum rc rc,
                   struct err *err)
{
    if (rc) {
        check_abort(s);
        return rc;
    }
    x->res->ran[p] = true;
    return check_end(s, &x->res->tally[p], err);
}

/* Freshness: the home page and each registered column. */
static enum rc do_freshness(struct run_ctx *x, struct err *err)
{
    struct store *db = x->sc->db;
    struct sc_column *cols;
    size_t n;
    enum rc rc = sitecheck_columns(db, x->site_id, x->run_id, x->as_of, &cols, &n, err);
    if (rc)
        return rc;
    bool complete = x->complete;
    for (size_t i = 0; i < n; i++)
        if (!cols[i].crawled && !cols[i].exempt) {
            notes_add(&x->res->notes, "栏目 %s 未被抓取到（%s）：未检查更新情况", cols[i].path,
                      cols[i].url ? cols[i].url : "无列表页网址");
            complete = false; /* its old findings are not resolved by not looking */
        }
    struct check_session *s;
    if ((rc = begin(x, SC_FRESHNESS, complete, &s, err))) {
        sitecheck_columns_free(cols, n);
        return rc;
    }
    struct buf ev = BUF_INIT, sum = BUF_INIT;
    char d1[11], d2[11], asof[11];
    date_fmt(x->as_of, asof);
    /* the home page */
    int32_t hl = DATE_NONE, hf = DATE_NONE;
    int64_t hitems = 0, hfuture = 0;
    bool hcrawled = false;
    struct stmt *st = store_q(db,
                              "SELECT u.id FROM crawl_urls u JOIN crawl_pages p ON p.url_id = "
                              "u.id WHERE u.run_id = ? AND (u.url = ? OR u.url = ?)",
                              "itt", x->run_id, x->home, x->home_final);
    int64_t home_id = 0;
    if (stmt_next(st))
        home_id = stmt_int(st, 0);
    rc = stmt_done(st, err);
    if (!rc && home_id) {
        hcrawled = true;
        st = store_q(db,
                     "SELECT MAX(CASE WHEN date <= ? THEN date END), SUM(CASE WHEN date <= ? "
                     "THEN 1 ELSE 0 END), SUM(CASE WHEN date > ? THEN 1 ELSE 0 END), MAX(CASE "
                     "WHEN date > ? THEN date END) FROM crawl_items WHERE page_id = ?",
                     "DDDDi", x->as_of, x->as_of, x->as_of, x->as_of, home_id);
        if (stmt_next(st)) {
            hl = stmt_date(st, 0);
            hitems = stmt_int(st, 1);
            hfuture = stmt_int(st, 2);
            hf = stmt_date(st, 3);
        }
        rc = stmt_done(st, err);
    }
    if (!rc && hfuture) {
        date_fmt(hf, d2);
        notes_add(&x->res->notes, "首页有 %lld 条晚于检查日期 %s 的信息（最晚 %s），已忽略",
                  (long long)hfuture, asof, d2);
    }
    if (!rc && hcrawled && (hl == DATE_NONE || x->as_of - hl > 14)) {
        struct jw w;
        jw_init(&w, &ev, false);
        jw_obj(&w);
        jw_kstr(&w, "page", x->home);
        jw_kdate(&w, "latest", hl);
        jw_kint(&w, "dated_items", hitems);
        jw_kint(&w, "limit_days", 14);
        jw_kdate(&w, "as_of", x->as_of);
        jw_kint(&w, "run", x->run_id);
        jw_end(&w);
        jw_finish(&w);
        buf_reset(&sum);
        if (hl == DATE_NONE) {
            buf_adds(&sum, "首页没有可见日期的信息，按未更新计");
        } else {
            date_fmt(hl, d1);
            buf_addf(&sum, "首页最新信息日期 %s，已 %d 天无新信息（限 14 天）", d1,
                     (int)(x->as_of - hl));
        }
        rc = check_report(s,
                          &(struct check_finding){ .kind = "homepage-stale",
                                                   .url = x->home,
                                                   .subject = x->home,
                                                   .evidence = buf_cstr(&ev),
                                                   .summary = buf_cstr(&sum),
                                                   .has_value = hl != DATE_NONE,
                                                   .value = hl != DATE_NONE ? x->as_of - hl : 0,
                                                   .seen_at = x->seen_at },
                          NULL, err);
    } else if (!rc && !hcrawled) {
        notes_add(&x->res->notes, "首页 %s 未被抓取到：未检查首页更新", x->home);
    }
    for (size_t i = 0; i < n && !rc; i++) {
        struct sc_column *c = &cols[i];
        if (c->future) {
            date_fmt(c->future_max, d2);
            notes_add(&x->res->notes, "栏目 %s 有 %lld 条晚于检查日期 %s 的信息（最晚 %s），已忽略",
                      c->path, (long long)c->future, asof, d2);
        }
        if (!c->stale && !c->blank)
            continue;
        buf_reset(&ev);
        struct jw w;
        jw_init(&w, &ev, false);
        jw_obj(&w);
        jw_kstr(&w, "path", c->path);
        jw_kstr(&w, "url", c->url);
        jw_kstr(&w, "class", c->class_name);
        jw_kdate(&w, "latest", c->latest);
        jw_kdate(&w, "list_latest", c->list_latest);
        jw_kdate(&w, "article_latest", c->article_latest);
        jw_kint(&w, "dated_items", c->items);
        jw_kint(&w, "undated_items", c->undated);
        jw_kint(&w, "future_items", c->future);
        jw_kint(&w, "pages", c->pages);
        jw_kint(&w, "limit_days", c->limit);
        jw_kdate(&w, "as_of", x->as_of);
        jw_kint(&w, "run", x->run_id);
        jw_end(&w);
        jw_finish(&w);
        buf_reset(&sum);
        if (c->blank)
            buf_addf(&sum, "栏目“%s”为空白栏目（没有任何信息）", c->path);
        else if (c->latest == DATE_NONE)
            buf_addf(&sum, "栏目“%s”的信息没有可见日期，按未更新计", c->path);
        else {
            date_fmt(c->latest, d1);
            buf_addf(&sum, "栏目“%s”最新信息日期 %s，已 %d 天未更新（限 %d 天）", c->path, d1,
                     c->days, c->limit);
        }
        rc = check_report(
            s,
            &(struct check_finding){ .kind = c->blank ? "column-blank" : "column-stale",
                                     .column_id = c->id,
                                     .url = c->url,
                                     .subject = c->path,
                                     .evidence = buf_cstr(&ev),
                                     .summary = buf_cstr(&sum),
                                     .has_value = c->latest != DATE_NONE,
                                     .value = c->latest != DATE_NONE ? c->days : 0,
                                     .seen_at = x->seen_at },
            NULL, err);
    }
    buf_release(&ev);
    buf_release(&sum);
    sitecheck_columns_free(cols, n);
    return end(x, SC_FRESHNESS, s, rc, err);
}

/* Links: one finding per kind, subject and column, with the pages as evidence. */
#define LINK_PAGES_KEPT 20
struct link_group {
    const char *kind, *subject, *first_page;
    int64_t column_id;
    const char *result, *error;
    int status;
    const char *targets[LINK_PAGES_KEPT];
    size_t ntargets;
    const char *pages[LINK_PAGES_KEPT];
    size_t npages;
    const char *last_page;
};

static void group_add(struct arena *a, struct map *m, struct link_group ***v, size_t *n,
                      size_t *cap, const char *kind, const char *subject, int64_t column_id,
                      const char *page, const char *target, const char *result, int status,
                      const char *error)
{
    struct buf key = BUF_INIT;
    buf_addf(&key, "%s\x1f%s\x1f%lld", kind, subject, (long long)column_id);
    bool created;
    void **slot = map_slot(m, key.p, key.n, &created);
    buf_release(&key);
    struct link_group *g;
    if (created) {
        g = arena_alloc(a, sizeof(*g));
        g->kind = kind;
        g->subject = arena_strdup(a, subject);
        g->column_id = column_id;
        g->result = arena_strdup(a, result);
        g->error = error ? arena_strdup(a, error) : NULL;
        g->status = status;
        g->first_page = arena_strdup(a, page);
        *slot = g;
        *v = xgrow(*v, cap, *n + 1, sizeof(**v));
        (*v)[(*n)++] = g;
    } else {
        g = *slot;
    }
    if (g->ntargets < LINK_PAGES_KEPT &&
        (!g->ntargets || strcmp(g->targets[g->ntargets - 1], target)))
        g->targets[g->ntargets++] = arena_strdup(a, target);
    if (!g->last_page || strcmp(g->last_page, page)) {
        g->last_page = arena_strdup(a, page);
        if (g->npages < LINK_PAGES_KEPT)
            g->pages[g->npages] = g->last_page;
        g->npages++;
    }
}

static enum rc do_links(struct run_ctx *x, struct err *err)
{
    struct store *db = x->sc->db;
    struct arena a = ARENA_INIT;
    struct map m = MAP_INIT;
    struct link_group **v = NULL;
    size_t n = 0, cap = 0;
    struct stmt *st = store_q(db,
                              "SELECT s.url, sp.column_id, d.url, d.result, d.status, d.error "
                              "FROM crawl_links l JOIN crawl_urls s ON s.id = l.src_id LEFT JOIN "
                              "crawl_pages sp ON sp.url_id = l.src_id JOIN crawl_urls d ON d.id = "
                              "l.dst_id WHERE l.run_id = ? ORDER BY d.url, s.url",
                              "i", x->run_id);
    while (stmt_next(st)) {
        const char *page = stmt_str(st, 0), *target = stmt_str(st, 2);
        const char *result = stmt_text(st, 3) ? stmt_text(st, 3) : "unchecked";
        int64_t col = stmt_int(st, 1);
        int status = (int)stmt_int(st, 4);
        const char *error = stmt_text(st, 5);
        bool home = !strcmp(page, x->home) || !strcmp(page, x->home_final);
        const char *ret = retired_match(&x->sc->retired, target);
        if (ret) {
            group_add(&a, &m, &v, &n, &cap, "link-retired", target, col, page, target, result,
                      status, error);
        } else if (!strcmp(result, "dns")) {
            char host[256];
            if (!url_host(target, host, sizeof(host)))
                snprintf(host, sizeof(host), "%s", target);
            group_add(&a, &m, &v, &n, &cap, "host-unresolved", host, col, page, target, result,
                      status, error);
        } else if (crawl_result_broken(result)) {
            group_add(&a, &m, &v, &n, &cap, home ? "link-broken-home" : "link-broken", target,
                      home ? 0 : col, page, target, result, status, error);
        }
    }
    enum rc rc = stmt_done(st, err);
    struct check_session *s = NULL;
    if (!rc)
        rc = begin(x, SC_LINKS, x->complete, &s, err);
    if (rc) {
        map_release(&m, NULL);
        free(v);
        arena_release(&a);
        return rc;
    }
    struct buf ev = BUF_INIT, sum = BUF_INIT, path = BUF_INIT;
    for (size_t i = 0; i < n && !rc; i++) {
        struct link_group *g = v[i];
        const char *unit;
        colpath(x, g->column_id, &path, &unit);
        buf_reset(&ev);
        struct jw w;
        jw_init(&w, &ev, false);
        jw_obj(&w);
        if (!strcmp(g->kind, "host-unresolved")) {
            jw_kstr(&w, "host", g->subject);
            jw_key(&w, "targets");
            jw_arr(&w);
            for (size_t k = 0; k < g->ntargets; k++)
                jw_str(&w, g->targets[k]);
            jw_end(&w);
        } else {
            jw_kstr(&w, "target", g->subject);
        }
        jw_kstr(&w, "result", g->result);
        if (g->status)
            jw_kint(&w, "status", g->status);
        else
            jw_knull(&w, "status");
        jw_kstr(&w, "error", g->error);
        if (!strcmp(g->kind, "link-retired"))
            jw_kstr(&w, "retired", retired_match(&x->sc->retired, g->subject));
        jw_kstr(&w, "column", g->column_id ? buf_cstr(&path) : NULL);
        jw_kstr(&w, "unit", unit);
        jw_key(&w, "pages");
        jw_arr(&w);
        for (size_t k = 0; k < g->npages && k < LINK_PAGES_KEPT; k++)
            jw_str(&w, g->pages[k]);
        jw_end(&w);
        jw_kint(&w, "pages_total", (int64_t)g->npages);
        jw_kint(&w, "run", x->run_id);
        jw_kdate(&w, "as_of", x->as_of);
        jw_end(&w);
        jw_finish(&w);
        buf_reset(&sum);
        const char *where = g->column_id ? buf_cstr(&path) : "首页及其他页面";
        if (!strcmp(g->kind, "link-retired"))
            buf_addf(&sum, "%s 的 %zu 个页面链接到已关停网址 %s", where, g->npages, g->subject);
        else if (!strcmp(g->kind, "host-unresolved"))
            buf_addf(&sum, "%s 的 %zu 个页面链接到无法解析的主机 %s", where, g->npages, g->subject);
        else if (!strcmp(g->kind, "link-broken-home"))
            buf_addf(&sum, "首页链接不可用：%s（%s%s%d）", g->subject, g->result,
                     g->status ? " " : "", g->status);
        else
            buf_addf(&sum, "%s 的 %zu 个页面有不可用链接 %s（%s）", where, g->npages, g->subject,
                     g->result);
        rc = check_report(s,
                          &(struct check_finding){ .kind = g->kind,
                                                   .column_id = g->column_id,
                                                   .subject = g->subject,
                                                   .evidence = buf_cstr(&ev),
                                                   .summary = buf_cstr(&sum),
                                                   .has_value = true,
                                                   .value = (int64_t)g->npages,
                                                   .seen_at = x->seen_at },
                          NULL, err);
    }
    buf_release(&ev);
    buf_release(&sum);
    buf_release(&path);
    map_release(&m, NULL);
    free(v);
    arena_release(&a);
    return end(x, SC_LINKS, s, rc, err);
}

/* Required content: each item of a column's required_items not found in its pages. */
static enum rc do_required(struct run_ctx *x, struct err *err)
{
    struct store *db = x->sc->db;
    struct reg_column *cols;
    size_t nc;
    enum rc rc = reg_columns_of_site(db, x->site_id, false, &cols, &nc, err);
    if (rc)
        return rc;
    struct check_session *s = NULL;
    bool complete = x->complete;
    struct buf text = BUF_INIT, ev = BUF_INIT, sum = BUF_INIT;
    /* first pass: which columns can be checked (their pages were crawled) */
    for (size_t i = 0; i < nc && !rc; i++) {
        if (str_empty(cols[i].required))
            continue;
        int64_t pages = 0;
        rc = store_get_int(db, &pages, err,
                           "SELECT COUNT(*) FROM crawl_pages WHERE run_id = ? AND column_id = ?",
                           "ii", x->run_id, cols[i].id);
        if (!rc && !pages) {
            notes_add(&x->res->notes, "栏目 %s 未被抓取到：未检查必要内容", cols[i].path);
            complete = false;
        }
    }
    if (!rc)
        rc = begin(x, SC_REQUIRED, complete, &s, err);
    for (size_t i = 0; i < nc && !rc; i++) {
        if (str_empty(cols[i].required))
            continue;
        struct reg_item *items;
        size_t ni;
        struct err pe = { 0 };
        if (reg_items_parse(cols[i].required, &items, &ni, &pe)) {
            notes_add(&x->res->notes, "栏目 %s 的必要内容配置有误：%s", cols[i].path, pe.msg);
            continue;
        }
        buf_reset(&text);
        int64_t pages = 0;
        struct stmt *st = store_q(db,
                                  "SELECT text, title FROM crawl_pages WHERE run_id = ? AND "
                                  "column_id = ?",
                                  "ii", x->run_id, cols[i].id);
        while (stmt_next(st)) {
            buf_adds(&text, stmt_str(st, 1));
            buf_addc(&text, '\n');
            buf_adds(&text, stmt_str(st, 0));
            buf_addc(&text, '\n');
            pages++;
        }
        rc = stmt_done(st, err);
        for (size_t k = 0; k < ni && !rc && pages; k++) {
            bool found = false;
            for (size_t j = 0; j < items[k].nalts && !found; j++)
                found = strstr(buf_cstr(&text), items[k].alts[j]) != NULL;
            if (found)
                continue;
            buf_reset(&ev);
            struct jw w;
            jw_init(&w, &ev, false);
            jw_obj(&w);
            jw_kstr(&w, "column", cols[i].path);
            jw_kstr(&w, "item", items[k].name);
            jw_key(&w, "keywords");
            jw_arr(&w);
            for (size_t j = 0; j < items[k].nalts; j++)
                jw_str(&w, items[k].alts[j]);
            jw_end(&w);
            jw_kint(&w, "pages_searched", pages);
            jw_kint(&w, "run", x->run_id);
            jw_kdate(&w, "as_of", x->as_of);
            jw_end(&w);
            jw_finish(&w);
            buf_reset(&sum);
            buf_addf(&sum, "栏目“%s”缺少必要内容“%s”", cols[i].path, items[k].name);
            rc = check_report(s,
                              &(struct check_finding){ .kind = "required-missing",
                                                       .column_id = cols[i].id,
                                                       .url = cols[i].url,
                                                       .subject = items[k].name,
                                                       .evidence = buf_cstr(&ev),
                                                       .summary = buf_cstr(&sum),
                                                       .seen_at = x->seen_at },
                              NULL, err);
        }
        reg_items_free(items, ni);
    }
    buf_release(&text);
    buf_release(&ev);
    buf_release(&sum);
    reg_columns_free(cols, nc);
    if (!s)
        return rc;
    return end(x, SC_REQUIRED, s, rc, err);
}

/* Wording over every page's text, read in batches (no statement open while reporting),
 * each an index range on url_id: "+p.run_id" keeps SQLite from walking the run's index
 * and sorting the whole run for every batch. */
#define WORDING_BATCH 64
static enum rc do_wording(struct run_ctx *x, struct err *err)
{
    struct store *db = x->sc->db;
    struct check_session *s;
    enum rc rc = begin(x, SC_WORDING, x->complete, &s, err);
    if (rc)
        return rc;
    struct wording_hits h = { 0 };
    struct arena a = ARENA_INIT;
    int64_t after = 0;
    struct wording_page pg[WORDING_BATCH];
    for (;;) {
        arena_reset(&a);
        size_t n = 0;
        struct stmt *st = store_q(db,
                                  "SELECT p.url_id, u.url, p.column_id, p.title, p.text, p.date "
                                  "FROM crawl_pages p JOIN crawl_urls u ON u.id = p.url_id WHERE "
                                  "+p.run_id = ? AND p.url_id > ? AND p.text IS NOT NULL ORDER BY "
                                  "p.url_id LIMIT ?",
                                  "iiI", x->run_id, after, WORDING_BATCH);
        while (stmt_next(st)) {
            after = stmt_int(st, 0);
            const char *t = stmt_str(st, 4);
            pg[n] = (struct wording_page){ .column_id = stmt_int(st, 2),
                                           .url = arena_strdup(&a, stmt_str(st, 1)),
                                           .title = arena_strdup(&a, stmt_str(st, 3)),
                                           .text = arena_strdup(&a, t),
                                           .n = strlen(t),
                                           .date = stmt_date(st, 5) };
            n++;
        }
        rc = stmt_done(st, err);
        for (size_t i = 0; i < n && !rc; i++)
            rc = wording_check_page(s, x->sc->dict, &pg[i], x->as_of, &h, NULL, err);
        if (rc || n < WORDING_BATCH)
            break;
    }
    wording_hits_release(&h);
    arena_release(&a);
    return end(x, SC_WORDING, s, rc, err);
}

/* ---- the whole check ------------------------------------------------------------------- */

enum rc sitecheck_open(struct sitecheck *sc, struct store *db, const struct clk *clk,
                       const struct conf *conf, struct err *err)
{
    memset(sc, 0, sizeof(*sc));
    sc->db = db;
    sc->clk = clk;
    sc->conf = conf;
    sc->dict = wording_dict_new();
    enum rc rc = wording_dict_load(sc->dict, db, &sc->dict_bad, err);
    if (!rc)
        wording_dict_compile(sc->dict);
    if (!rc)
        rc = retired_load(db, conf, &sc->retired, err);
    if (rc) {
        wording_dict_free(sc->dict);
        notes_release(&sc->dict_bad);
        memset(sc, 0, sizeof(*sc));
    }
    return rc;
}

void sitecheck_close(struct sitecheck *sc)
{
    if (!sc->db)
        return;
    wording_dict_free(sc->dict);
    retired_release(&sc->retired);
    notes_release(&sc->dict_bad);
    memset(sc, 0, sizeof(*sc));
}

void sitecheck_result_release(struct sitecheck_result *r)
{
    notes_release(&r->notes);
    memset(r, 0, sizeof(*r));
}

enum rc sitecheck_site(struct sitecheck *sc, int64_t site_id, int32_t as_of,
                       struct sitecheck_result *res, struct err *err)
{
    memset(res, 0, sizeof(*res));
    res->notes.max = 200;
    struct run_ctx x = { .sc = sc, .site_id = site_id, .as_of = as_of, .res = res };
    x.seen_at = clk_now(sc->clk);
    int64_t end_of_day = time_from_date(as_of + 1, 0, sc->clk->tzoff) - 1;
    if (end_of_day < x.seen_at)
        x.seen_at = end_of_day;
    enum rc rc = sitecheck_latest_run(sc->db, site_id, &x.run_id, err);
    if (rc)
        return rc;
    res->run_id = x.run_id;
    if (x.run_id) {
        int64_t limited = 0;
        struct stmt *st = store_q(sc->db,
                                  "SELECT r.start_url, r.limited, s.url FROM crawl_runs r JOIN "
                                  "sites s ON s.id = r.site_id WHERE r.id = ?",
                                  "i", x.run_id);
        if (stmt_next(st)) {
            snprintf(x.home, sizeof(x.home), "%s", stmt_str(st, 0));
            limited = stmt_int(st, 1);
            snprintf(x.home_final, sizeof(x.home_final), "%s", stmt_str(st, 2));
        }
        rc = stmt_done(st, err);
        if (rc)
            return rc;
        /* the home page may have been redirected (/ → /index.html) */
        st = store_q(sc->db, "SELECT final_url FROM crawl_urls WHERE run_id = ? AND url = ?", "it",
                     x.run_id, x.home);
        if (stmt_next(st) && stmt_text(st, 0))
            snprintf(x.home_final, sizeof(x.home_final), "%s", stmt_str(st, 0));
        if ((rc = stmt_done(st, err)))
            return rc;
        x.complete = !limited;
        res->complete = x.complete;
        if (limited)
            notes_add(&res->notes,
                      "抓取在页数上限处停止（抓取 #%lld）：本次检查不解除未再见到的问题",
                      (long long)x.run_id);
        snprintf(x.source, sizeof(x.source), "crawl %lld", (long long)x.run_id);
        if ((rc = load_colnames(&x, err)))
            goto out;
        if ((rc = sitecheck_propose(sc->db, sc->clk, site_id, x.run_id, &res->proposed, err)))
            goto out;
        if ((rc = pub_refresh_crawl(sc->db, sc->clk, site_id, x.run_id, as_of, &res->published,
                                    err)))
            goto out;
        enum rc (*producers[])(struct run_ctx *, struct err *) = { do_freshness, do_links,
                                                                   do_required, do_wording };
        for (size_t p = 0; p < sizeof(producers) / sizeof(producers[0]); p++) {
            struct err pe = { 0 };
            enum rc r = producers[p](&x, &pe);
            if (r == RC_CONFLICT || r == RC_INVALID) {
                notes_add(&res->notes, "%s 检查未完成：%s", sc_producer_names[p], pe.msg);
            } else if (r) {
                rc = r;
                *err = pe;
                goto out;
            }
        }
    } else {
        notes_add(&res->notes, "该网站还没有完整的抓取：未检查栏目、链接、必要内容和表述");
    }
out:
    map_release(&x.colnames, free_val);
    return rc;
}
