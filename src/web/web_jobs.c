/* web_jobs.c - the job queue and the schedule (jobs/jobs.h) as the 任务调度 page and the
 * /api/v1/jobs, /api/v1/schedule routes share them: list filters and keyset pages,
 * enqueueing for a site or every running site, retry and cancel, per-site intervals. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/vec.h"
#include "jobs/jobs.h"
#include "reg/reg.h"
#include "web/web_int.h"

const char *web__jtext(struct web_req *r, json_object *o, const char *key, bool *ok)
{
    json_object *v;
    if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int))
        return arena_fmt(&r->a, "%lld", (long long)json_object_get_int64(v));
    return web_jstr(r, o, key, ok);
}

static const char *const job_states[][2] = { { "queued", "排队中" },
                                             { "running", "运行中" },
                                             { "done", "已完成" },
                                             { "failed", "失败" },
                                             { "cancelled", "已取消" } };

const char *web__job_state_cn(const char *state)
{
    for (size_t i = 0; state && i < sizeof(job_states) / sizeof(job_states[0]); i++)
        if (!strcmp(state, job_states[i][0]))
            return job_states[i][1];
    return state ? state : "";
}

const char *web__every_cn(struct web_req *r, int64_t s)
{
    if (s <= 0)
        return "不定期运行";
    if (s % 86400 == 0)
        return s == 86400 ? "每天" : arena_fmt(&r->a, "每 %lld 天", (long long)(s / 86400));
    if (s % 3600 == 0)
        return arena_fmt(&r->a, "每 %lld 小时", (long long)(s / 3600));
    if (s % 60 == 0)
        return arena_fmt(&r->a, "每 %lld 分钟", (long long)(s / 60));
    return arena_fmt(&r->a, "每 %lld 秒", (long long)s);
}

/* A site by id, or by name, 标识码, address or host (reg_site_lookup); it must exist.  A
 * number is an id when a site has it, else a 标识码. */
static enum rc site_of(struct web_req *r, const char *v, int64_t *id)
{
    struct err e = { 0 };
    if (cstr_to_i64(v, id) && *id > 0) {
        char *name = reg_site_label(r->db, *id);
        bool found = name != NULL;
        free(name);
        if (found)
            return RC_OK;
    }
    if (reg_site_lookup(r->db, v, id, &e))
        return web_fail(r, RC_INVALID, "%s", err_msg(&e));
    return RC_OK;
}

static const struct jobs_type *type_of(struct web_req *r, const char *v)
{
    const struct jobs_type *t = jobs_type_find(v);
    if (!t) {
        struct err e = { 0 };
        jobs_types_valid(v, &e);
        web_fail(r, RC_INVALID, "%s", err_msg(&e));
    }
    return t;
}

enum rc web__jobs_query(struct web_req *r, struct jobs_query *q)
{
    memset(q, 0, sizeof(*q));
    const char *state = web_query(r, "state"), *type = web_query(r, "type"),
               *site = web_query(r, "site");
    if (!str_empty(state)) {
        for (size_t i = 0; i < sizeof(job_states) / sizeof(job_states[0]); i++)
            if (!strcmp(state, job_states[i][0]))
                q->state = job_states[i][0];
        if (!q->state)
            return web_fail(r, RC_INVALID,
                            "state '%s' is not queued, running, done, failed or cancelled", state);
    }
    if (!str_empty(type)) {
        const struct jobs_type *t = type_of(r, type);
        if (!t)
            return r->err.rc;
        q->type = t->name;
    }
    if (!str_empty(site))
        return site_of(r, site, &q->site_id);
    return RC_OK;
}

struct rows_ctx {
    struct web_req *r;
    struct job_row *v;
    size_t n, cap;
};

static const char *jdup(struct web_req *r, const char *s)
{
    return s ? arena_strdup(&r->a, s) : NULL;
}

static int keep_row(const struct job_row *x, void *ctx)
{
    struct rows_ctx *c = ctx;
    if (c->n == c->cap) {
        c->cap = c->cap ? 2 * c->cap : 16;
        struct job_row *v = arena_alloc(&c->r->a, c->cap * sizeof(*v));
        if (c->n)
            memcpy(v, c->v, c->n * sizeof(*v));
        c->v = v;
    }
    struct job_row *y = &c->v[c->n++];
    *y = *x;
    y->type = jdup(c->r, x->type);
    y->state = jdup(c->r, x->state);
    y->origin = jdup(c->r, x->origin);
    y->site = jdup(c->r, x->site);
    y->worker = jdup(c->r, x->worker);
    y->error = jdup(c->r, x->error);
    y->result = jdup(c->r, x->result);
    return 0;
}

enum rc web__jobs_list(struct web_req *r, struct jobs_query *q, struct web_page *pg,
                       struct job_row **rows, size_t *n)
{
    struct err e = { 0 };
    q->pos = pg->pos;
    q->offset = pg->offset;
    q->limit = (int)pg->per_page;
    struct rows_ctx c = { .r = r };
    enum rc rc;
    if ((rc = jobs_count(r->db, q, &pg->total, &e)) || (rc = jobs_each(r->db, q, keep_row, &c, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    if (q->pos.set && q->pos.before) /* read backwards: newest first again */
        for (size_t a = 0, b = c.n; a + 1 < b; a++, b--) {
            struct job_row t = c.v[a];
            c.v[a] = c.v[b - 1];
            c.v[b - 1] = t;
        }
    if (c.n) {
        struct buf a = BUF_INIT, b = BUF_INIT;
        keyset_encode(&a, false, c.v[0].id, NULL, c.v[0].id);
        keyset_encode(&b, false, c.v[c.n - 1].id, NULL, c.v[c.n - 1].id);
        web_page_cursors(r, pg, buf_cstr(&a), buf_cstr(&b));
        buf_release(&a);
        buf_release(&b);
    }
    *rows = c.v;
    *n = c.n;
    return RC_OK;
}

enum rc web__jobs_enqueue(struct web_req *r, const char *type, const char *site, bool all,
                          const char *origin, int64_t **ids, bool **added, size_t *n)
{
    *n = 0;
    if (str_empty(type))
        return web_fail(r, RC_INVALID, "give the job type (type), e.g. crawl, probe or check");
    const struct jobs_type *t = type_of(r, type);
    if (!t)
        return r->err.rc;
    VEC(int64_t) sites = VEC_INIT;
    enum rc rc = RC_OK;
    struct err e = { 0 };
    if (!t->per_site) {
        if (!str_empty(site))
            rc = web_fail(r, RC_INVALID, "%s jobs take no site: leave site out", t->name);
        else
            vec_push(&sites, 0);
    } else if (all && !str_empty(site)) {
        rc = web_fail(r, RC_INVALID, "give either a site or all, not both");
    } else if (all) {
        struct stmt *st =
            store_sql(r->db, "SELECT id FROM sites WHERE status = '正常运行' ORDER BY id");
        while (stmt_next(st))
            vec_push(&sites, stmt_int(st, 0));
        if ((rc = stmt_done(st, &e)))
            rc = web_fail(r, rc, "%s", err_msg(&e));
        else if (!sites.n)
            rc = web_fail(r, RC_INVALID, "no site is running (状态 正常运行): nothing to enqueue");
    } else if (str_empty(site)) {
        rc = web_fail(r, RC_INVALID, "%s jobs need a site (site: id or name) or all", t->name);
    } else {
        int64_t id;
        if (!(rc = site_of(r, site, &id)))
            vec_push(&sites, id);
    }
    if (!rc) {
        *ids = arena_alloc(&r->a, sites.n * sizeof(**ids));
        *added = arena_alloc(&r->a, sites.n * sizeof(**added));
        /* all or nothing: every site's job, or none */
        if ((rc = store_begin(r->db, &e))) {
            vec_release(&sites);
            return web_fail(r, rc, "%s", err_msg(&e));
        }
        for (size_t i = 0; !rc && i < sites.n; i++, (*n)++)
            if ((rc = jobs_enqueue(r->db, t->name, sites.v[i], origin, 0, &(*ids)[i], &(*added)[i],
                                   &e)))
                rc = web_fail(r, rc, "%s", err_msg(&e));
        if (rc)
            store_rollback(r->db);
        else if ((rc = store_commit(r->db, &e)))
            rc = web_fail(r, rc, "%s", err_msg(&e));
    }
    vec_release(&sites);
    return rc;
}

enum rc web__jobs_act(struct web_req *r, int64_t id, bool retry)
{
    struct err e = { 0 };
    enum rc rc = retry ? jobs_retry(r->db, id, &e) : jobs_cancel(r->db, id, &e);
    return rc ? web_fail(r, rc, "%s", err_msg(&e)) : RC_OK;
}

enum rc web__schedule_set(struct web_req *r, const char *site, const char *type, const char *every,
                          int64_t *site_id)
{
    if (str_empty(site) || str_empty(type))
        return web_fail(r, RC_INVALID, "give the site (id or name) and the job type");
    const struct jobs_type *t = type_of(r, type);
    if (!t)
        return r->err.rc;
    if (!t->per_site)
        return web_fail(r, RC_INVALID, "%s jobs are not scheduled per site (see [jobs] %s)",
                        t->name, t->conf_key ? t->conf_key : "");
    int64_t s = -1;
    if (!str_empty(every) && !jobs_every_parse(every, &s))
        return web_fail(r, RC_INVALID,
                        "every '%s' is not an interval: write 30m, 6h, 1d, never, or leave it "
                        "empty for the default",
                        every);
    enum rc rc;
    struct err e = { 0 };
    if ((rc = site_of(r, site, site_id)))
        return rc;
    if ((rc = jobs_interval_set(r->db, *site_id, t->name, s, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    return RC_OK;
}

enum rc web__schedules_load(struct web_req *r, struct web__schedules *s)
{
    memset(s, 0, sizeof(*s));
    const struct conf *cf = web__conf(r->srv)->conf;
    size_t nt = 0;
    while (jobs_types[nt].name)
        nt++;
    s->dflt = arena_alloc(&r->a, nt * sizeof(*s->dflt));
    struct err e = { 0 };
    enum rc rc;
    for (size_t i = 0; i < nt; i++) {
        const struct jobs_type *t = &jobs_types[i];
        s->dflt[i].source =
            cf && t->conf_key && conf_get(cf, "jobs", t->conf_key, NULL) ? "config" : "default";
        if ((rc = jobs_interval(r->db, cf, t, 0, &s->dflt[i].every, &e)))
            return web_fail(r, rc, "%s", err_msg(&e));
    }
    VEC(int64_t) v = VEC_INIT;
    struct stmt *st = store_sql(r->db, "SELECT site_id, type, every_s FROM job_schedule");
    while (stmt_next(st)) {
        const struct jobs_type *t = jobs_type_find(stmt_str(st, 1));
        if (!t)
            continue; /* a type this build no longer has */
        vec_push(&v, stmt_int(st, 0));
        vec_push(&v, (int64_t)(t - jobs_types));
        vec_push(&v, stmt_int(st, 2));
    }
    if ((rc = stmt_done(st, &e))) {
        vec_release(&v);
        return web_fail(r, rc, "%s", err_msg(&e));
    }
    s->n = v.n / 3;
    s->v = arena_alloc(&r->a, v.n * sizeof(*s->v) + 1);
    if (v.n)
        memcpy(s->v, v.v, v.n * sizeof(*s->v));
    vec_release(&v);
    return RC_OK;
}

void web__schedule_of(const struct web__schedules *s, int64_t site_id, const struct jobs_type *t,
                      struct web__sched *out)
{
    int64_t ti = t - jobs_types;
    for (size_t i = 0; site_id && i < s->n; i++)
        if (s->v[3 * i] == site_id && s->v[3 * i + 1] == ti) {
            out->every = s->v[3 * i + 2];
            out->source = "site";
            return;
        }
    *out = s->dflt[ti];
}
