/* repost.c - the re-post (政声传递) coverage matrix and its findings. */
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "core/arena.h"
#include "core/date.h"
#include "core/str.h"
#include "core/url.h"
#include "core/vec.h"
#include "feed/feed.h"
#include "feed/feed_int.h"

#define LOOKBACK_DAYS 90 /* feed_repost_check judges items of the last 90 days */
#define REPOST_CLASS "政声传递"

static const char *const status_names[] = { "on_time", "late", "missing", "pending" };
static const char *const status_cn[] = { "按时", "超时", "未转载", "待转载" };

const char *feed_status_name(enum feed_status s)
{
    return (unsigned)s < 4 ? status_names[s] : "missing";
}
const char *feed_status_cn(enum feed_status s)
{
    return (unsigned)s < 4 ? status_cn[s] : "未转载";
}

enum rc feed__session_end(struct check_session *cs, enum rc rc, struct feed_check_tally *t,
                          struct err *err)
{
    if (!cs)
        return rc;
    if (rc != RC_OK) {
        check_abort(cs);
        return rc;
    }
    struct check_tally ct = { 0 };
    rc = check_end(cs, &ct, err);
    if (t) {
        t->reported += ct.reported;
        t->opened += ct.opened + ct.reopened;
        t->resolved += ct.resolved;
    }
    return rc;
}

enum rc feed__sites(struct store *db, int64_t site_id, int64_t **ids, size_t *n, struct err *err)
{
    *ids = NULL;
    *n = 0;
    size_t cap = 0;
    struct stmt *st = site_id ? store_q(db, "SELECT id FROM sites WHERE id = ?", "i", site_id)
                              : store_sql(db, "SELECT id FROM sites WHERE status = '正常运行' "
                                              "ORDER BY id");
    while (stmt_next(st)) {
        *ids = xgrow(*ids, &cap, *n + 1, sizeof(**ids));
        (*ids)[(*n)++] = stmt_int(st, 0);
    }
    enum rc rc = stmt_done(st, err);
    if (rc == RC_OK && site_id && !*n)
        rc = err_set(err, RC_NOTFOUND, "no site with id %lld (see govsite site list)",
                     (long long)site_id);
    if (rc) {
        free(*ids);
        *ids = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- inputs ------------------------------------------------------------------------ */

struct upitem {
    int64_t id, published, due;
    int window_hours;
    const char *title, *url, *source, *doc, *host;
    struct feed__title t;
};

struct repost {
    const char *url, *title;
    int32_t day;
    struct feed__title t;
};

struct site_in {
    int64_t id, unit_id;
    const char *name, *unit, *host, *column; /* column: the 政声传递-class column shown */
    bool has_exact;                          /* a column named exactly 政声传递 */
    VEC(struct repost) reposts;
};

struct feed_matrix {
    struct arena a;
    int64_t as_of;
    VEC(struct feed_cell) cells;
};

void feed_matrix_free(struct feed_matrix *m)
{
    if (!m)
        return;
    arena_release(&m->a);
    vec_release(&m->cells);
    free(m);
}
size_t feed_matrix_n(const struct feed_matrix *m)
{
    return m->cells.n;
}
const struct feed_cell *feed_matrix_cell(const struct feed_matrix *m, size_t i)
{
    return &m->cells.v[i];
}
int64_t feed_matrix_as_of(const struct feed_matrix *m)
{
    return m->as_of;
}
void feed_matrix_counts(const struct feed_matrix *m, int counts[4])
{
    memset(counts, 0, 4 * sizeof(int));
    for (size_t i = 0; i < m->cells.n; i++)
        counts[m->cells.v[i].status]++;
}

struct items_ctx {
    struct arena *a;
    VEC(struct upitem) *v;
    int64_t as_of;
};

static const char *host_of(struct arena *a, const char *url)
{
    char h[256];
    return url_host(url, h, sizeof(h)) ? arena_strdup(a, h) : "";
}

static int take_item(const struct feed_item *it, void *ctx)
{
    struct items_ctx *c = ctx;
    if (it->published_at > c->as_of)
        return 0;
    struct upitem u = {
        .id = it->id,
        .published = it->published_at,
        .window_hours = it->window_hours,
        .due = it->published_at + (int64_t)it->window_hours * 3600,
        .title = arena_strdup(c->a, it->title),
        .url = arena_strdup(c->a, it->url),
        .source = arena_strdup(c->a, it->source),
        .doc = it->doc_no ? arena_strdup(c->a, it->doc_no) : NULL,
    };
    vec_push(c->v, u);
    return 0;
}

static enum rc load_site(struct store *db, struct arena *a, int64_t id, struct site_in *s,
                         struct err *err)
{
    memset(s, 0, sizeof(*s));
    s->id = id;
    struct stmt *st = store_q(db,
                              "SELECT s.name, s.url, s.unit_id, COALESCE(u.short_name, u.name) "
                              "FROM sites s LEFT JOIN units u ON u.id = s.unit_id WHERE s.id = ?",
                              "i", id);
    if (stmt_next(st)) {
        s->name = arena_strdup(a, stmt_str(st, 0));
        s->host = host_of(a, stmt_str(st, 1));
        s->unit_id = stmt_int(st, 2);
        s->unit = stmt_text(st, 3) ? arena_strdup(a, stmt_text(st, 3)) : NULL;
    }
    enum rc rc = stmt_done(st, err);
    if (rc)
        return rc;
    st = store_q(db,
                 "SELECT path, name FROM site_columns WHERE site_id = ? AND class = ? AND state = "
                 "'registered' ORDER BY CASE WHEN name = ? THEN 0 ELSE 1 END, path",
                 "itt", id, REPOST_CLASS, FEED_REPOST_COLUMN);
    while (stmt_next(st)) {
        if (!s->column)
            s->column = arena_strdup(a, stmt_str(st, 0));
        if (!strcmp(stmt_str(st, 1), FEED_REPOST_COLUMN))
            s->has_exact = true;
    }
    if ((rc = stmt_done(st, err)))
        return rc;
    /* The column's list items and articles in every stored run; the earliest date of
     * each (URL, title). */
    st = store_q(db,
                 "SELECT ci.url, ci.title, MIN(ci.date) FROM crawl_items ci JOIN crawl_pages p ON "
                 "p.url_id = ci.page_id JOIN site_columns c ON c.id = p.column_id WHERE "
                 "c.site_id = ? AND c.class = ? AND ci.title IS NOT NULL GROUP BY ci.url, "
                 "ci.title UNION ALL SELECT ar.url, ar.title, MIN(ar.date) FROM crawl_articles "
                 "ar JOIN site_columns c ON c.id = ar.column_id WHERE c.site_id = ? AND c.class "
                 "= ? AND ar.title IS NOT NULL GROUP BY ar.url, ar.title",
                 "itit", id, REPOST_CLASS, id, REPOST_CLASS);
    while (stmt_next(st)) {
        struct repost r = { .url = arena_strdup(a, stmt_str(st, 0)),
                            .title = arena_strdup(a, stmt_str(st, 1)),
                            .day = stmt_date(st, 2) };
        if (r.day == DATE_NONE)
            continue;
        struct buf d = BUF_INIT;
        const char *doc = feed_doc_no(r.title, strlen(r.title), &d) ? arena_strdup(a, d.p) : NULL;
        buf_release(&d);
        feed__title_prep(&r.t, r.title, doc);
        vec_push(&s->reposts, r);
    }
    return stmt_done(st, err);
}

static void site_release(struct site_in *s)
{
    vec_foreach(&s->reposts, r) feed__title_release(&r->t);
    vec_release(&s->reposts);
}

static int cell_cmp(const void *x, const void *y)
{
    const struct feed_cell *a = x, *b = y;
    int c = strcmp(a->unit ? a->unit : "", b->unit ? b->unit : "");
    if (!c)
        c = strcmp(a->site, b->site);
    if (!c)
        c = a->published_at > b->published_at ? -1 : a->published_at < b->published_at;
    if (!c)
        c = a->item_id < b->item_id ? -1 : a->item_id > b->item_id;
    return c;
}

/* Judge one site × item as of `as_of`. */
static bool judge(const struct site_in *s, const struct upitem *u, int64_t as_of, int tzoff,
                  double th, struct feed_cell *c)
{
    int32_t pub_day = time_to_date(u->published, tzoff), as_day = time_to_date(as_of, tzoff);
    const struct repost *best = NULL;
    double best_score = 0;
    for (size_t i = 0; i < s->reposts.n; i++) {
        const struct repost *r = &s->reposts.v[i];
        /* Dated after the moment judged, or long before the item (another, older item
         * of the same title): not this re-post. */
        if (r->day > as_day || r->day < pub_day - 1)
            continue;
        if (best && r->day >= best->day)
            continue;
        double sc;
        if (feed__title_match(th, &u->t, &r->t, &sc)) {
            best = r;
            best_score = sc;
        }
    }
    c->site_id = s->id;
    c->unit_id = s->unit_id;
    c->site = s->name;
    c->unit = s->unit;
    c->column = s->column;
    c->item_id = u->id;
    c->item = u->title;
    c->item_url = u->url;
    c->source = u->source;
    c->doc_no = u->doc;
    c->published_at = u->published;
    c->due_at = u->due;
    if (best) {
        int64_t at = time_from_date(best->day, 0, tzoff);
        if (at < u->published)
            at = u->published;
        c->repost_url = best->url;
        c->repost_title = best->title;
        c->reposted_at = at;
        c->lag_s = at - u->published;
        c->score = best_score;
        c->status = at <= u->due ? FEED_ON_TIME : FEED_LATE;
        return true;
    }
    c->status = as_of >= u->due ? FEED_MISSING : FEED_PENDING;
    return true;
}

enum rc feed_matrix_build(struct store *db, const struct clk *clk, const struct feed_matrix_q *q,
                          struct feed_matrix **out, struct err *err)
{
    *out = NULL;
    struct feed_matrix *m = xcalloc(1, sizeof(*m));
    m->as_of = q->as_of ? q->as_of : clk_now(clk);
    int tz = clk->tzoff;
    VEC(struct upitem) items = VEC_INIT;
    struct items_ctx ic = { &m->a, (void *)&items, m->as_of };
    enum rc rc = feed_items_each(db, q->source_id, q->from, q->to, tz, take_item, &ic, err);
    /* Source hosts, for "the city portal does not re-post itself". */
    if (rc == RC_OK) {
        vec_foreach(&items, u)
        {
            char *h = NULL;
            if (store_get_text(db, &h, NULL, "SELECT url FROM feed_sources s JOIN feed_items i "
                                             "ON i.source_id = s.id WHERE i.id = ?",
                                "i", u->id) == RC_OK && h) {
                u->host = host_of(&m->a, h);
            }
            free(h);
            feed__title_prep(&u->t, u->title, u->doc);
        }
    }
    int64_t *ids = NULL;
    size_t nids = 0;
    if (rc == RC_OK)
        rc = feed__sites(db, q->site_id, &ids, &nids, err);
    for (size_t i = 0; rc == RC_OK && i < nids; i++) {
        struct site_in s;
        rc = load_site(db, &m->a, ids[i], &s, err);
        if (rc == RC_OK && (!q->unit_id || s.unit_id == q->unit_id)) {
            vec_foreach(&items, u)
            {
                if (u->host && *u->host && !strcmp(u->host, s.host))
                    continue;
                struct feed_cell c = { 0 };
                judge(&s, u, m->as_of, tz, q->match.threshold, &c);
                if (c.status == FEED_PENDING && !q->include_pending)
                    continue;
                vec_push(&m->cells, c);
            }
        }
        site_release(&s);
    }
    free(ids);
    vec_foreach(&items, u) feed__title_release(&u->t);
    vec_release(&items);
    if (rc) {
        feed_matrix_free(m);
        return rc;
    }
    if (m->cells.n)
        qsort(m->cells.v, m->cells.n, sizeof(*m->cells.v), cell_cmp);
    *out = m;
    return RC_OK;
}

void feed_cell_json(struct jw *w, const struct feed_cell *c, int tzoff)
{
    jw_obj(w);
    jw_kstr(w, "site", c->site);
    jw_kstr(w, "unit", c->unit);
    jw_kstr(w, "item", c->item);
    jw_kstr(w, "status", feed_status_name(c->status));
    if (c->status == FEED_ON_TIME || c->status == FEED_LATE)
        jw_kdouble(w, "lag_hours", (double)((c->lag_s * 10 + 1800) / 3600) / 10.0);
    else
        jw_knull(w, "lag_hours");
    jw_kstr(w, "column", c->column);
    jw_kstr(w, "item_url", c->item_url);
    jw_kstr(w, "source", c->source);
    jw_kstr(w, "doc_no", c->doc_no);
    jw_ktime(w, "published_at", c->published_at, tzoff);
    jw_ktime(w, "due_at", c->due_at, tzoff);
    jw_kstr(w, "repost_url", c->repost_url);
    jw_kstr(w, "repost_title", c->repost_title);
    jw_ktime(w, "reposted_at", c->reposted_at, tzoff);
    if (c->repost_url)
        jw_kdouble(w, "score", (double)(int)(c->score * 1000 + 0.5) / 1000.0);
    else
        jw_knull(w, "score");
    jw_end(w);
}

void feed_matrix_json(struct jw *w, const struct feed_matrix *m, int tzoff)
{
    jw_arr(w);
    for (size_t i = 0; i < m->cells.n; i++)
        feed_cell_json(w, &m->cells.v[i], tzoff);
    jw_end(w);
}

/* ---- findings ---------------------------------------------------------------------- */

static void evidence(struct buf *b, const struct feed_cell *c, int tz)
{
    struct jw w;
    jw_init(&w, b, false);
    jw_obj(&w);
    jw_kstr(&w, "item", c->item);
    jw_kstr(&w, "item_url", c->item_url);
    jw_kstr(&w, "source", c->source);
    jw_kstr(&w, "doc_no", c->doc_no);
    jw_ktime(&w, "published_at", c->published_at, tz);
    jw_ktime(&w, "due_at", c->due_at, tz);
    jw_kstr(&w, "column", c->column);
    jw_kstr(&w, "repost_url", c->repost_url);
    jw_kstr(&w, "repost_title", c->repost_title);
    jw_ktime(&w, "reposted_at", c->reposted_at, tz);
    jw_end(&w);
    jw_finish(&w);
}

static enum rc check_site(struct store *db, const struct clk *clk, int64_t site_id,
                          const struct feed_match_opts *mo, struct feed_check_tally *t,
                          struct err *err)
{
    int tz = clk->tzoff;
    struct feed_matrix_q q = { .site_id = site_id, .from = clk_today(clk) - LOOKBACK_DAYS,
                               .to = DATE_NONE };
    if (mo)
        q.match = *mo;
    struct feed_matrix *m;
    enum rc rc = feed_matrix_build(db, clk, &q, &m, err);
    if (rc)
        return rc;
    struct arena a = { 0 };
    struct site_in s;
    rc = load_site(db, &a, site_id, &s, err);
    struct check_scope sc = { .site_id = site_id,
                              .kinds = "repost-missing,repost-late,repost-column-missing,"
                                       "repost-column-misnamed",
                              .complete = true,
                              .source = "repost" };
    struct check_session *cs = NULL;
    if (rc == RC_OK)
        rc = check_begin(db, clk, &sc, &cs, err);
    struct buf ev = BUF_INIT, sum = BUF_INIT;
    if (rc == RC_OK && !s.column) {
        buf_addf(&ev, "{\"required\":\"%s\"}", FEED_REPOST_COLUMN);
        struct check_finding f = { .kind = "repost-column-missing", .subject = FEED_REPOST_COLUMN,
                                   .evidence = ev.p,
                                   .summary = "网站未开设“政声传递”栏目，无法转载国家、省、市政策信息" };
        rc = check_report(cs, &f, NULL, err);
    }
    if (rc == RC_OK) {
        struct stmt *st = store_q(db,
                                  "SELECT id, path FROM site_columns WHERE site_id = ? AND class "
                                  "= ? AND state = 'registered' AND name <> ?",
                                  "itt", site_id, REPOST_CLASS, FEED_REPOST_COLUMN);
        while (rc == RC_OK && stmt_next(st)) {
            buf_reset(&ev);
            buf_reset(&sum);
            struct jw w;
            jw_init(&w, &ev, false);
            jw_obj(&w);
            jw_kstr(&w, "path", stmt_str(st, 1));
            jw_kstr(&w, "required", FEED_REPOST_COLUMN);
            jw_end(&w);
            jw_finish(&w);
            buf_addf(&sum, "转载栏目“%s”应命名为“政声传递”", stmt_str(st, 1));
            struct check_finding f = { .kind = "repost-column-misnamed",
                                       .column_id = stmt_int(st, 0),
                                       .subject = stmt_str(st, 1),
                                       .evidence = ev.p,
                                       .summary = sum.p };
            rc = check_report(cs, &f, NULL, err);
        }
        enum rc r2 = stmt_done(st, err);
        if (!rc)
            rc = r2;
    }
    for (size_t i = 0; rc == RC_OK && i < feed_matrix_n(m); i++) {
        const struct feed_cell *c = feed_matrix_cell(m, i);
        if (c->status != FEED_MISSING && c->status != FEED_LATE)
            continue;
        buf_reset(&ev);
        buf_reset(&sum);
        evidence(&ev, c, tz);
        struct buf d = BUF_INIT;
        time_fmt_cn(c->published_at, tz, &d);
        if (c->status == FEED_MISSING)
            buf_addf(&sum, "未在政声传递栏目转载《%s》（%s，%s发布）", c->item, c->source, d.p);
        else
            buf_addf(&sum, "转载《%s》超时：发布后%lld小时才转载（时限%lld小时）", c->item,
                     (long long)((c->lag_s + 1799) / 3600),
                     (long long)((c->due_at - c->published_at) / 3600));
        buf_release(&d);
        struct check_finding f = {
            .kind = c->status == FEED_MISSING ? "repost-missing" : "repost-late",
            .subject = c->item_url,
            .url = c->repost_url,
            .evidence = ev.p,
            .summary = sum.p,
            .has_value = c->status == FEED_LATE,
            .value = (c->lag_s + 1799) / 3600,
        };
        rc = check_report(cs, &f, NULL, err);
    }
    rc = feed__session_end(cs, rc, t, err);
    buf_release(&ev);
    buf_release(&sum);
    site_release(&s);
    arena_release(&a);
    feed_matrix_free(m);
    return rc;
}

enum rc feed_repost_check(struct store *db, const struct clk *clk, int64_t site_id,
                          const struct feed_match_opts *mo, struct feed_check_tally *t,
                          struct err *err)
{
    int64_t *ids;
    size_t n;
    enum rc rc = feed__sites(db, site_id, &ids, &n, err);
    for (size_t i = 0; rc == RC_OK && i < n; i++) {
        rc = check_site(db, clk, ids[i], mo, t, err);
        if (t && rc == RC_OK)
            t->sites++;
    }
    free(ids);
    return rc;
}
