/* test_web_jobs.c - 任务调度 and /api/v1/jobs, /api/v1/schedule over HTTP on every
 * backend: the authorization matrix (supervisors read, admins change; editors and viewers
 * 403), CSRF on the forms and the API, escaping of a hostile site name and job error,
 * enqueue / cancel / retry / schedule through the API, filters and keyset pages. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "jobs/jobs.h"
#include "tweb.h"

static int64_t site_id(struct tsrv *t, const char *name)
{
    int64_t id;
    struct err e = { 0 };
    ASSERT_OK(reg_site_lookup(t->db, name, &id, &e), &e);
    return id;
}

static int64_t enqueue(struct tsrv *t, const char *type, int64_t site)
{
    int64_t id;
    bool added;
    struct err e = { 0 };
    ASSERT_OK(jobs_enqueue(t->db, type, site, "manual", 0, &id, &added, &e), &e);
    ASSERT(added);
    return id;
}

static int64_t cancelled(struct tsrv *t, const char *type, int64_t site)
{
    int64_t id = enqueue(t, type, site);
    struct err e = { 0 };
    ASSERT_OK(jobs_cancel(t->db, id, &e), &e);
    return id;
}

/* The jobs the matrix acts on, by who acts: page (session), API by session, API by token. */
struct planted {
    int64_t cancel[3], retry[3];
};

static void plant(struct tsrv *t, struct planted *p)
{
    static const char *const types[] = { "crawl", "probe", "check" };
    int64_t s1 = site_id(t, "示范市人民政府门户网站"), s2 = site_id(t, "示范市交通运输局网站");
    for (int i = 0; i < 3; i++) {
        p->cancel[i] = enqueue(t, types[i], s1);
        p->retry[i] = cancelled(t, types[i], s2);
    }
}

static const struct tw_cell matrix[] = {
    { "GET", "/jobs", NULL, NULL, { 200, 200, 403, 403 }, 303 },
    { "GET", "/jobs?state=queued&type=crawl", NULL, NULL, { 200, 200, 403, 403 }, 303 },
    { "POST",
      "/jobs",
      "application/x-www-form-urlencoded",
      "type=noop",
      { 303, 403, 403, 403 },
      303 },
    { "POST",
      "/jobs/schedule",
      "application/x-www-form-urlencoded",
      "site=4404990002&type=probe&every=2h",
      { 303, 403, 403, 403 },
      303 },
    { "POST",
      "/jobs/C/cancel",
      "application/x-www-form-urlencoded",
      "",
      { 303, 403, 403, 403 },
      303 },
    { "POST",
      "/jobs/R/retry",
      "application/x-www-form-urlencoded",
      "",
      { 303, 403, 403, 403 },
      303 },
    { "GET", "/api/v1/jobs", NULL, NULL, { 200, 200, 403, 403 }, 401 },
    { "GET", "/api/v1/jobs/C", NULL, NULL, { 200, 200, 403, 403 }, 401 },
    { "GET", "/api/v1/schedule", NULL, NULL, { 200, 200, 403, 403 }, 401 },
    { "POST",
      "/api/v1/jobs",
      "application/json",
      "{\"type\":\"noop\"}",
      { 201, 403, 403, 403 },
      401 },
    { "POST", "/api/v1/jobs/C/cancel", "application/json", "{}", { 200, 403, 403, 403 }, 401 },
    { "POST", "/api/v1/jobs/R/retry", "application/json", "{}", { 200, 403, 403, 403 }, 401 },
    { "PUT",
      "/api/v1/schedule",
      "application/json",
      "{\"site\":\"示范市交通运输局网站\",\"type\":\"crawl\",\"every\":\"6h\"}",
      { 200, 403, 403, 403 },
      401 },
};

/* C and R in a path become the job to cancel / retry of the page, the session or the
 * token run, so each run's admin finds its job still in the state it acts on. */
static void fill(const struct tw_cell *c, const char *who, void *ctx, const char **path, char *body,
                 size_t cap)
{
    (void)body, (void)cap;
    const struct planted *p = ctx;
    const char *at = strpbrk(c->path, "CR");
    if (!at)
        return;
    int k = strncmp(c->path, "/api/", 5) ? 0 : strstr(who, "-t") ? 2 : 1;
    int64_t id = *at == 'C' ? p->cancel[k] : p->retry[k];
    *path = arena_fmt(t_arena(), "%.*s%lld%s", (int)(at - c->path), c->path, (long long)id, at + 1);
}

TEST(web_jobs_authorization_matrix)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct planted p;
        plant(&t, &p);
        size_t n = sizeof(matrix) / sizeof(matrix[0]);
        tw_run_matrix(&t, matrix, n, false, fill, &p, NULL);
        tw_run_matrix(&t, matrix, n, true, fill, &p, NULL);
        /* the admins' writes happened, nobody else's */
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM jobs WHERE type = 'noop'"), 3);
        for (int k = 0; k < 3; k++) {
            char sql[160];
            snprintf(sql, sizeof(sql),
                     "SELECT COUNT(*) FROM jobs WHERE id = %lld AND state = "
                     "'cancelled'",
                     (long long)p.cancel[k]);
            ASSERT_EQ_INT(count(t.db, sql), 1);
            snprintf(sql, sizeof(sql),
                     "SELECT COUNT(*) FROM jobs WHERE id = %lld AND state = "
                     "'queued'",
                     (long long)p.retry[k]);
            ASSERT_EQ_INT(count(t.db, sql), 1);
        }
        ASSERT_EQ_INT(count(t.db, "SELECT every_s FROM job_schedule WHERE type = 'probe'"), 7200);
        ASSERT_EQ_INT(count(t.db, "SELECT every_s FROM job_schedule WHERE type = 'crawl'"), 21600);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM job_schedule"), 2);
        srv_stop(&t);
    }
}

TEST(web_jobs_csrf)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct planted p;
        plant(&t, &p);
        struct sess s;
        login_role(&t, 0, &s);
        int64_t before = count(t.db, "SELECT COUNT(*) FROM jobs");
        const char *paths[] = { "/jobs", "/jobs/schedule",
                                arena_fmt(t_arena(), "/jobs/%lld/cancel", (long long)p.cancel[0]) };
        const char *bodies[] = { "type=noop", "site=4404990001&type=crawl&every=1h", "" };
        for (int i = 0; i < 3; i++) {
            struct resp r;
            /* no token, then a wrong one */
            for (int k = 0; k < 2; k++) {
                const char *body = k ? arena_fmt(t_arena(), "%s&csrf=0000", bodies[i]) : bodies[i];
                http(&t,
                     &(struct call){ .method = "POST",
                                     .path = paths[i],
                                     .session = s.token,
                                     .ctype = "application/x-www-form-urlencoded",
                                     .body = body },
                     &r);
                EXPECT_STATUS(&r, 403, paths[i]);
                resp_free(&r);
            }
        }
        struct resp r;
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/api/v1/jobs",
                             .session = s.token,
                             .ctype = "application/json",
                             .body = "{\"type\":\"noop\"}" },
             &r);
        EXPECT_STATUS(&r, 403, "API enqueue without X-CSRF-Token");
        resp_free(&r);
        http(&t,
             &(struct call){ .method = "PUT",
                             .path = "/api/v1/schedule",
                             .session = s.token,
                             .csrf = "0000",
                             .ctype = "application/json",
                             .body =
                                 "{\"site\":\"4404990001\",\"type\":\"crawl\",\"every\":\"1h\"}" },
             &r);
        EXPECT_STATUS(&r, 403, "API schedule with a wrong X-CSRF-Token");
        resp_free(&r);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM jobs"), before);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM jobs WHERE state = 'cancelled'"), 3);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM job_schedule"), 0);
        /* with the token the same form works */
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/jobs",
                             .session = s.token,
                             .ctype = "application/x-www-form-urlencoded",
                             .body = arena_fmt(t_arena(), "type=noop&csrf=%s", s.csrf) },
             &r);
        EXPECT_STATUS(&r, 303, "enqueue with the CSRF token");
        resp_free(&r);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM jobs"), before + 1);
        srv_stop(&t);
    }
}

TEST(web_jobs_escaping)
{
    static const char sites[] = "name,url,code,unit,type,status\n"
                                "\"<script>alert(1)</script>站\",http://evil.shifan.test/,"
                                "4404990009,市教育局,部门网站,正常运行\n";
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        import(t.db, REG_SITES, sites);
        int64_t evil = site_id(&t, "4404990009");
        int64_t id = enqueue(&t, "crawl", evil);
        struct job j;
        bool got;
        struct err e = { 0 };
        ASSERT_OK(jobs_claim(t.db, "w<1>", "crawl", 60, &j, &got, &e), &e);
        ASSERT(got && j.id == id);
        ASSERT_OK(jobs_finish(t.db, id, "w<1>", false, NULL,
                              "fetch failed: <img src=x onerror=alert(2)> & \"quotes\"", &e),
                  &e);
        struct sess s;
        login_role(&t, 1, &s); /* a supervisor reads */
        struct resp r;
        get(&t, "/jobs?state=failed", s.token, &r);
        EXPECT_STATUS(&r, 200, "jobs page");
        const char *body = buf_cstr(&r.body);
        ASSERT_NOT_CONTAINS(body, "<script>alert(1)");
        ASSERT_NOT_CONTAINS(body, "<img src=x");
        ASSERT_NOT_CONTAINS(body, "w<1>");
        ASSERT_CONTAINS(body, "&lt;script&gt;alert(1)&lt;/script&gt;站");
        ASSERT_CONTAINS(body, "&lt;img src=x onerror=alert(2)&gt; &amp; &quot;quotes&quot;");
        ASSERT_CONTAINS(body, "w&lt;1&gt;");
        ASSERT_CONTAINS(body, "失败");
        ASSERT_CONTAINS(body, "抓取");
        /* a supervisor sees no forms that change anything */
        ASSERT_NOT_CONTAINS(body, "action=\"/jobs/schedule\"");
        ASSERT_NOT_CONTAINS(body, "/retry");
        resp_free(&r);
        /* JSON: escaped by the writer */
        get(&t, arena_fmt(t_arena(), "/api/v1/jobs/%lld", (long long)id), s.token, &r);
        EXPECT_STATUS(&r, 200, "job JSON");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "</script>");
        json_object *o = json_of(&r), *v;
        ASSERT(json_object_object_get_ex(o, "site", &v));
        ASSERT_EQ_STR(json_object_get_string(v), "<script>alert(1)</script>站");
        ASSERT(json_object_object_get_ex(o, "error", &v));
        ASSERT_CONTAINS(json_object_get_string(v), "<img src=x onerror=alert(2)>");
        ASSERT(json_object_object_get_ex(o, "state", &v));
        ASSERT_EQ_STR(json_object_get_string(v), "failed");
        json_object_put(o);
        resp_free(&r);
        /* the admin sees the retry button and the schedule forms */
        struct sess a;
        login_role(&t, 0, &a);
        get(&t, "/jobs", a.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), arena_fmt(t_arena(), "/jobs/%lld/retry", (long long)id));
        ASSERT_CONTAINS(buf_cstr(&r.body), "action=\"/jobs/schedule\"");
        ASSERT_CONTAINS(buf_cstr(&r.body), "任务调度");
        resp_free(&r);
        srv_stop(&t);
    }
}

/* A new API token of account i (caller frees). */
static char *token(struct tsrv *t, int i)
{
    char *tok;
    struct err e = { 0 };
    ASSERT_OK(auth_token_new(t->db, t->ids[i], &t->clk, &tok, &e), &e);
    return tok;
}

/* An API call with a token: status checked, JSON body returned (caller puts). */
static json_object *api(struct tsrv *t, const char *tok, const char *method, const char *path,
                        const char *body, int want)
{
    struct resp r;
    http(t,
         &(struct call){ .method = method,
                         .path = path,
                         .bearer = tok,
                         .ctype = body ? "application/json" : NULL,
                         .body = body },
         &r);
    EXPECT_STATUS(&r, want, arena_fmt(t_arena(), "%s %s %s", method, path, body ? body : ""));
    json_object *o = json_of(&r);
    if (want >= 400) {
        json_object *er;
        ASSERT(json_object_object_get_ex(o, "error", &er));
    }
    resp_free(&r);
    return o;
}

static int64_t jint(json_object *o, const char *k)
{
    json_object *v;
    if (!json_object_object_get_ex(o, k, &v))
        t_fail(__FILE__, __LINE__, "no %s in %s", k, json_object_to_json_string(o));
    return json_object_get_int64(v);
}

static const char *jstr(json_object *o, const char *k)
{
    json_object *v;
    if (!json_object_object_get_ex(o, k, &v))
        t_fail(__FILE__, __LINE__, "no %s in %s", k, json_object_to_json_string(o));
    return arena_strdup(t_arena(), json_object_get_string(v) ? json_object_get_string(v) : "");
}

TEST(web_jobs_api_enqueue_cancel_retry)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        char *tok = token(&t, 0);
        /* every running site: 2 of the 3 (教育局 is 临时关停) */
        json_object *o = api(&t, tok, "POST", "/api/v1/jobs", "{\"type\":\"crawl\",\"all\":true}",
                             201),
                    *ids;
        ASSERT(json_object_object_get_ex(o, "ids", &ids));
        ASSERT_EQ_INT(json_object_array_length(ids), 2);
        ASSERT_EQ_INT(jint(o, "added"), 2);
        int64_t j1 = json_object_get_int64(json_object_array_get_idx(ids, 0));
        json_object_put(o);
        /* again: the live jobs are answered, nothing added */
        o = api(&t, tok, "POST", "/api/v1/jobs", "{\"type\":\"crawl\",\"all\":true}", 200);
        ASSERT_EQ_INT(jint(o, "added"), 0);
        ASSERT_EQ_INT(jint(o, "existing"), 2);
        json_object_put(o);
        /* one site by name, by 标识码, by id */
        o = api(&t, tok, "POST", "/api/v1/jobs",
                "{\"type\":\"probe\",\"site\":\"示范市教育局网站\"}", 201);
        json_object_put(o);
        o = api(&t, tok, "POST", "/api/v1/jobs", "{\"type\":\"check\",\"site\":\"4404990001\"}",
                201);
        json_object_put(o);
        o = api(&t, tok, "POST", "/api/v1/jobs",
                arena_fmt(t_arena(), "{\"type\":\"probe\",\"site\":%lld}",
                          (long long)site_id(&t, "示范市交通运输局网站")),
                201);
        json_object_put(o);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM jobs WHERE origin = 'api'"), 5);
        /* refusals, in the API's error shape */
        static const char *const bad[] = {
            "{\"type\":\"crawl\"}",
            "{\"type\":\"bogus\",\"all\":true}",
            "{\"type\":\"crawl\",\"site\":\"no such site\"}",
            "{\"type\":\"crawl\",\"site\":99999}",
            "{\"type\":\"crawl\",\"site\":\"4404990001\",\"all\":true}",
            "{\"type\":\"feed-pull\",\"site\":\"4404990001\"}",
            "{\"type\":\"crawl\",\"all\":\"yes\"}",
            "{\"type\":[1]}",
            "{\"site\":\"'; DROP TABLE jobs; --\",\"type\":\"crawl\"}",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
            json_object_put(api(&t, tok, "POST", "/api/v1/jobs", bad[i], 400));
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM jobs"), 5);
        /* filters */
        o = api(&t, tok, "GET", "/api/v1/jobs?state=queued&type=crawl", NULL, 200);
        ASSERT_EQ_INT(jint(o, "total"), 2);
        json_object_put(o);
        o = api(&t, tok, "GET", "/api/v1/jobs?site=4404990003", NULL, 200);
        ASSERT_EQ_INT(jint(o, "total"), 1);
        json_object_put(o);
        json_object_put(api(&t, tok, "GET", "/api/v1/jobs?state=sleeping", NULL, 400));
        json_object_put(api(&t, tok, "GET", "/api/v1/jobs?type=bogus", NULL, 400));
        json_object_put(api(&t, tok, "GET", "/api/v1/jobs?after=t.41.1", NULL, 400));
        /* cancel, cancel again (409), retry, retry again (409), unknown (404) */
        const char *cp = arena_fmt(t_arena(), "/api/v1/jobs/%lld/cancel", (long long)j1);
        const char *rp = arena_fmt(t_arena(), "/api/v1/jobs/%lld/retry", (long long)j1);
        o = api(&t, tok, "POST", cp, "{}", 200);
        ASSERT_EQ_STR(jstr(o, "state"), "cancelled");
        ASSERT_EQ_STR(jstr(o, "type_label"), "抓取");
        json_object_put(o);
        json_object_put(api(&t, tok, "POST", cp, "{}", 409));
        o = api(&t, tok, "POST", rp, "{}", 200);
        ASSERT_EQ_STR(jstr(o, "state"), "queued");
        ASSERT_EQ_INT(jint(o, "id"), j1);
        json_object_put(o);
        json_object_put(api(&t, tok, "POST", rp, "{}", 409));
        json_object_put(api(&t, tok, "POST", "/api/v1/jobs/99999/cancel", "{}", 404));
        json_object_put(api(&t, tok, "GET", "/api/v1/jobs/99999", NULL, 404));
        json_object_put(api(&t, tok, "GET", "/api/v1/jobs/abc", NULL, 404));
        o = api(&t, tok, "GET", "/api/v1/jobs?state=cancelled", NULL, 200);
        ASSERT_EQ_INT(jint(o, "total"), 0);
        json_object_put(o);
        free(tok);
        srv_stop(&t);
    }
}

TEST(web_jobs_api_pages)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        char *tok = token(&t, 1);
        int64_t ids[5];
        for (int i = 0; i < 5; i++)
            ids[i] = enqueue(&t, "noop", 0);
        /* walk by the Link header's cursor: newest first, every job once */
        const char *path = "/api/v1/jobs?per_page=2&type=noop";
        int seen = 0;
        for (int page = 0; page < 5 && path; page++) {
            struct resp r;
            http(&t, &(struct call){ .method = "GET", .path = path, .bearer = tok }, &r);
            EXPECT_STATUS(&r, 200, path);
            json_object *o = json_of(&r), *items;
            ASSERT_EQ_INT(jint(o, "total"), 5);
            ASSERT(json_object_object_get_ex(o, "items", &items));
            for (size_t i = 0; i < json_object_array_length(items); i++)
                ASSERT_EQ_INT(jint(json_object_array_get_idx(items, i), "id"), ids[4 - seen++]);
            json_object_put(o);
            const char *link = header(&r, "Link"), *next = NULL;
            if (link && strstr(link, "rel=\"next\"")) {
                const char *lt = strchr(link, '<') + 1;
                const char *v = strstr(lt, "/api/");
                next = arena_strndup(t_arena(), v, (size_t)(strchr(v, '>') - v));
                ASSERT_CONTAINS(next, "after=");
            }
            path = next;
            resp_free(&r);
        }
        ASSERT_EQ_INT(seen, 5);
        /* a previous page by cursor comes newest first as well */
        struct buf cur = BUF_INIT;
        keyset_encode(&cur, false, ids[0], NULL, ids[0]);
        json_object *o = api(
                        &t, tok, "GET",
                        arena_fmt(t_arena(), "/api/v1/jobs?per_page=2&before=%s", buf_cstr(&cur)),
                        NULL, 200),
                    *items;
        buf_release(&cur);
        ASSERT(json_object_object_get_ex(o, "items", &items));
        ASSERT_EQ_INT(json_object_array_length(items), 2);
        ASSERT_EQ_INT(jint(json_object_array_get_idx(items, 0), "id"), ids[2]);
        ASSERT_EQ_INT(jint(json_object_array_get_idx(items, 1), "id"), ids[1]);
        json_object_put(o);
        free(tok);
        srv_stop(&t);
    }
}

static json_object *site_sched(json_object *o, int64_t site, const char *type)
{
    json_object *sites, *sc, *ty;
    ASSERT(json_object_object_get_ex(o, "sites", &sites));
    for (size_t i = 0; i < json_object_array_length(sites); i++) {
        json_object *s = json_object_array_get_idx(sites, i);
        if (jint(s, "site_id") == site) {
            ASSERT(json_object_object_get_ex(s, "schedule", &sc));
            ASSERT(json_object_object_get_ex(sc, type, &ty));
            return ty;
        }
    }
    t_fail(__FILE__, __LINE__, "site %lld not in the schedule", (long long)site);
    return NULL;
}

/* [jobs] probe_every = 10m in the server's configuration. */
static struct conf jobs_conf;

static void with_conf(struct web_conf *c)
{
    c->conf = &jobs_conf;
}

TEST(web_jobs_api_schedule)
{
    conf_init(&jobs_conf);
    conf_set(&jobs_conf, "jobs", "probe_every", "10m");
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start_with(&t, b, with_conf);
        char *tok = token(&t, 0);
        struct err e = { 0 };
        int64_t s2 = site_id(&t, "示范市交通运输局网站");
        json_object *o = api(&t, tok, "GET", "/api/v1/schedule", NULL, 200), *types;
        ASSERT(json_object_object_get_ex(o, "types", &types));
        json_object *crawl = json_object_array_get_idx(types, 0);
        ASSERT_EQ_STR(jstr(crawl, "type"), "crawl");
        ASSERT_EQ_STR(jstr(crawl, "label"), "抓取");
        ASSERT_EQ_INT(jint(crawl, "default_every"), 86400);
        ASSERT_EQ_STR(jstr(crawl, "conf_key"), "crawl_every");
        ASSERT_EQ_INT(jint(site_sched(o, s2, "crawl"), "every"), 86400);
        ASSERT_EQ_STR(jstr(site_sched(o, s2, "crawl"), "source"), "default");
        { /* 临时关停: not scheduled, the others are */
            json_object *sites, *v;
            ASSERT(json_object_object_get_ex(o, "sites", &sites));
            for (size_t i = 0; i < json_object_array_length(sites); i++) {
                json_object *x = json_object_array_get_idx(sites, i);
                ASSERT(json_object_object_get_ex(x, "scheduled", &v));
                ASSERT_EQ_INT(json_object_get_boolean(v),
                              strcmp(jstr(x, "status"), "临时关停") != 0);
            }
        }
        /* the [jobs] setting overrides the registry's default */
        json_object *probe = json_object_array_get_idx(types, 1);
        ASSERT_EQ_STR(jstr(probe, "conf_value"), "10m");
        ASSERT_EQ_INT(jint(probe, "default_every"), 1800);
        ASSERT_EQ_INT(jint(probe, "every"), 600);
        ASSERT_EQ_INT(jint(site_sched(o, s2, "probe"), "every"), 600);
        ASSERT_EQ_STR(jstr(site_sched(o, s2, "probe"), "source"), "config");
        json_object_put(o);
        /* set by name, 6h */
        o = api(&t, tok, "PUT", "/api/v1/schedule",
                "{\"site\":\"示范市交通运输局网站\",\"type\":\"crawl\",\"every\":\"6h\"}", 200);
        ASSERT_EQ_INT(jint(o, "site_id"), s2);
        json_object *sc;
        ASSERT(json_object_object_get_ex(o, "schedule", &sc));
        json_object_put(o);
        o = api(&t, tok, "GET", "/api/v1/schedule", NULL, 200);
        ASSERT_EQ_INT(jint(site_sched(o, s2, "crawl"), "every"), 21600);
        ASSERT_EQ_STR(jstr(site_sched(o, s2, "crawl"), "source"), "site");
        json_object_put(o);
        /* the scheduler uses it */
        int64_t every;
        ASSERT_OK(jobs_interval(t.db, NULL, jobs_type_find("crawl"), s2, &every, &e), &e);
        ASSERT_EQ_INT(every, 21600);
        /* never: 0, by id */
        o = api(&t, tok, "PUT", "/api/v1/schedule",
                arena_fmt(t_arena(), "{\"site\":%lld,\"type\":\"probe\",\"every\":\"never\"}",
                          (long long)s2),
                200);
        json_object_put(o);
        ASSERT_OK(jobs_interval(t.db, NULL, jobs_type_find("probe"), s2, &every, &e), &e);
        ASSERT_EQ_INT(every, 0);
        /* null: back to the default */
        o = api(&t, tok, "PUT", "/api/v1/schedule",
                "{\"site\":\"4404990002\",\"type\":\"crawl\",\"every\":null}", 200);
        json_object_put(o);
        ASSERT_OK(jobs_interval(t.db, NULL, jobs_type_find("crawl"), s2, &every, &e), &e);
        ASSERT_EQ_INT(every, 86400);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM job_schedule"), 1);
        static const char *const bad[] = {
            "{\"site\":\"4404990002\",\"type\":\"crawl\",\"every\":\"fortnight\"}",
            "{\"site\":\"4404990002\",\"type\":\"crawl\",\"every\":\"-1h\"}",
            "{\"site\":\"4404990002\",\"type\":\"crawl\",\"every\":\"\"}",
            "{\"site\":\"4404990002\",\"type\":\"crawl\",\"every\":[1]}",
            "{\"site\":\"4404990002\",\"type\":\"crawl\"}",
            "{\"site\":\"4404990002\",\"type\":\"feed-pull\",\"every\":\"1h\"}",
            "{\"site\":\"4404990002\",\"type\":\"bogus\",\"every\":\"1h\"}",
            "{\"site\":\"nowhere\",\"type\":\"crawl\",\"every\":\"1h\"}",
            "{\"type\":\"crawl\",\"every\":\"1h\"}",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
            json_object_put(api(&t, tok, "PUT", "/api/v1/schedule", bad[i], 400));
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM job_schedule"), 1);
        /* the page shows the site's own setting */
        struct sess s;
        login_role(&t, 1, &s);
        struct resp r;
        get(&t, "/jobs", s.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "不定期运行 <span class=\"badge st-proposed\">站点设置");
        ASSERT_CONTAINS(buf_cstr(&r.body), "每 30 分钟");
        ASSERT_CONTAINS(buf_cstr(&r.body), "probe_every = 10m");
        ASSERT_CONTAINS(buf_cstr(&r.body), "临时关停（不自动调度）");
        ASSERT_CONTAINS(buf_cstr(&r.body), "每 10 分钟");
        resp_free(&r);
        free(tok);
        srv_stop(&t);
    }
    conf_release(&jobs_conf);
}
