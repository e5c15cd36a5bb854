/* api_jobs.c - /api/v1/jobs and /api/v1/schedule: the job queue and the per-site schedule
 * as JSON (docs/api.md "Jobs and schedule"); the 任务调度 page's twin. */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "jobs/jobs.h"
#include "web/web_int.h"

enum rc api_jobs(struct web_req *r)
{
    struct web_page pg;
    struct jobs_query q;
    struct job_row *rows;
    size_t n;
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = web__jobs_query(r, &q)) ||
        (rc = web__jobs_list(r, &q, &pg, &rows, &n)))
        return rc;
    struct jw w;
    web_list_begin(r, &w);
    for (size_t i = 0; i < n; i++)
        jobs_row_json(&w, &rows[i], r->clk->tzoff);
    return web_list_send(r, &w, &pg);
}

static int one_json(const struct job_row *x, void *ctx)
{
    struct web_req *r = ctx;
    struct jw w;
    web_json_begin(r, &w);
    jobs_row_json(&w, x, r->clk->tzoff);
    web_json_send(r, &w, r->status ? r->status : 200);
    return 0;
}

/* The job `id` as the response, with `status`. */
static enum rc send_job(struct web_req *r, int64_t id, int status)
{
    struct err e = { 0 };
    r->status = status;
    enum rc rc = jobs_get(r->db, id, one_json, r, &e);
    return rc ? web_fail(r, rc, "%s", err_msg(&e)) : RC_OK;
}

enum rc api_job(struct web_req *r)
{
    int64_t id;
    enum rc rc = web_param_id(r, "id", &id);
    return rc ? rc : send_job(r, id, 200);
}

enum rc api_jobs_enqueue(struct web_req *r)
{
    json_object *o, *all;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true, every = false;
    const char *type = web_jstr(r, o, "type", &ok), *site = web__jtext(r, o, "site", &ok);
    if (!ok)
        return r->err.rc;
    if (json_object_object_get_ex(o, "all", &all) && !json_object_is_type(all, json_type_null)) {
        if (!json_object_is_type(all, json_type_boolean))
            return web_fail(r, RC_INVALID, "\"all\" must be true or false");
        every = json_object_get_boolean(all);
    }
    int64_t *ids;
    bool *added;
    size_t n;
    if ((rc = web__jobs_enqueue(r, type, site, every, "api", &ids, &added, &n)))
        return rc;
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_key(&w, "ids");
    jw_arr(&w);
    size_t nadded = 0;
    for (size_t i = 0; i < n; i++) {
        jw_int(&w, ids[i]);
        nadded += added[i];
    }
    jw_end(&w);
    jw_kint(&w, "added", (int64_t)nadded);
    jw_kint(&w, "existing", (int64_t)(n - nadded));
    jw_end(&w);
    return web_json_send(r, &w, nadded ? 201 : 200);
}

static enum rc act(struct web_req *r, bool retry)
{
    int64_t id;
    enum rc rc;
    if ((rc = web_param_id(r, "id", &id)) || (rc = web__jobs_act(r, id, retry)))
        return rc;
    return send_job(r, id, 200);
}

enum rc api_job_retry(struct web_req *r)
{
    return act(r, true);
}

enum rc api_job_cancel(struct web_req *r)
{
    return act(r, false);
}

static void site_schedule_json(const struct web__schedules *all, struct jw *w, int64_t id,
                               const char *name, const char *status)
{
    jw_obj(w);
    jw_kint(w, "site_id", id);
    jw_kstr(w, "site", name);
    if (status) {
        jw_kstr(w, "status", status);
        jw_kbool(w, "scheduled", !strcmp(status, "正常运行"));
    }
    jw_key(w, "schedule");
    jw_obj(w);
    for (const struct jobs_type *t = jobs_types; t->name; t++) {
        if (!t->per_site)
            continue;
        struct web__sched sc;
        web__schedule_of(all, id, t, &sc);
        jw_key(w, t->name);
        jw_obj(w);
        jw_kint(w, "every", sc.every);
        jw_kstr(w, "source", sc.source);
        jw_end(w);
    }
    jw_end(w);
    jw_end(w);
}

enum rc api_schedule(struct web_req *r)
{
    const struct conf *cf = web__conf(r->srv)->conf;
    struct web__schedules all;
    enum rc rc = web__schedules_load(r, &all);
    if (rc)
        return rc;
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_key(&w, "types");
    jw_arr(&w);
    for (const struct jobs_type *t = jobs_types; t->name; t++) {
        struct web__sched sc;
        web__schedule_of(&all, 0, t, &sc);
        jw_obj(&w);
        jw_kstr(&w, "type", t->name);
        jw_kstr(&w, "label", t->label);
        jw_kbool(&w, "per_site", t->per_site);
        jw_kint(&w, "default_every", t->every_s);
        jw_kstr(&w, "conf_key", t->conf_key);
        jw_kstr(&w, "conf_value",
                cf && t->conf_key ? conf_get(cf, "jobs", t->conf_key, NULL) : NULL);
        jw_kint(&w, "every", sc.every);
        jw_kstr(&w, "then", t->then);
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "sites");
    jw_arr(&w);
    struct err e = { 0 };
    struct stmt *st = store_sql(r->db, "SELECT id, name, status FROM sites ORDER BY id");
    while (stmt_next(st))
        site_schedule_json(&all, &w, stmt_int(st, 0), stmt_str(st, 1), stmt_str(st, 2));
    if ((rc = stmt_done(st, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    jw_end(&w);
    jw_end(&w);
    return web_json_send(r, &w, 200);
}

enum rc api_schedule_set(struct web_req *r)
{
    json_object *o, *ev;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    const char *site = web__jtext(r, o, "site", &ok), *type = web_jstr(r, o, "type", &ok),
               *every = NULL;
    if (!ok)
        return r->err.rc;
    if (!json_object_object_get_ex(o, "every", &ev))
        return web_fail(r, RC_INVALID,
                        "give \"every\": an interval such as \"6h\", \"never\", or null for the "
                        "default");
    if (json_object_is_type(ev, json_type_int))
        every = arena_fmt(&r->a, "%lld", (long long)json_object_get_int64(ev));
    else if (json_object_is_type(ev, json_type_string))
        every = json_object_get_string(ev);
    else if (!json_object_is_type(ev, json_type_null))
        return web_fail(r, RC_INVALID, "\"every\" must be a string such as \"6h\", or null");
    if (every && !*every)
        return web_fail(r, RC_INVALID, "\"every\" is empty: give \"6h\", \"never\" or null");
    int64_t site_id;
    if ((rc = web__schedule_set(r, site, type, every, &site_id)))
        return rc;
    char *name = NULL;
    struct err e = { 0 };
    if ((rc =
             store_get_text(r->db, &name, &e, "SELECT name FROM sites WHERE id = ?", "i", site_id)))
        return web_fail(r, rc, "%s", err_msg(&e));
    const char *nm = arena_strdup(&r->a, name);
    free(name);
    struct web__schedules all;
    if ((rc = web__schedules_load(r, &all)))
        return rc;
    struct jw w;
    web_json_begin(r, &w);
    site_schedule_json(&all, &w, site_id, nm, NULL);
    return web_json_send(r, &w, 200);
}
