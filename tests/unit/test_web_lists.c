/* test_web_lists.c - 办件, 问题, 设置, the overview panels and the site sections over HTTP,
 * on every backend: the authorization matrix (role × resource × read and write, sessions
 * and tokens; another unit's item is 404), CSRF on every form, escaping and SQL
 * metacharacters in every text field and filter, keyset pages and kept counts, the
 * work-item flow, exports. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "checks/check.h"
#include "checks/probe.h"
#include "core/date.h"
#include "core/esc.h"
#include "core/str.h"
#include "tweb.h"

static const char *const nasty[] = {
    "<script>alert(1)</script>",
    "O'Brien\"; DROP TABLE cases; --",
    "100%_\\ 单位",
};

static int64_t T(const char *s)
{
    int64_t t;
    if (!time_parse(s, TZ_CST, &t, NULL))
        t_fail(__FILE__, __LINE__, "bad time in test: %s", s);
    return t;
}

static int64_t unit_of(struct store *db, const char *name)
{
    int64_t id = 0;
    struct err e = { 0 };
    ASSERT_OK(reg_unit_lookup(db, name, &id, &e), &e);
    return id;
}

/* What the tests find in the database: items of the editor's unit (市交通局) and of
 * others, findings of both, a verdict, a week of probes. */
struct world {
    char *mine;   /* a consultation of 市交通局, overdue at the test clock (2018-12-01 09:00) */
    char *theirs; /* a disclosure of 市教育局 */
    char *office; /* an error report of 市政府办公室 */
    int64_t f_mine, f_theirs; /* findings of 市交通局 and of 市政府办公室 */
    int64_t column;           /* a column of site 1 (新闻>示范要闻) */
};

static char *add_case(struct case_ctx *x, enum case_kind k, const char *unit, const char *at,
                      const char *subject, const char *requester, const char *contact)
{
    struct case_new n = { .kind = k,
                          .unit_id = unit_of(x->db, unit),
                          .received_at = T(at),
                          .subject = subject,
                          .requester = requester,
                          .contact = contact,
                          .requester_type = "person",
                          .actor = "tester" };
    char *num = NULL;
    struct err e = { 0 };
    ASSERT_OK(case_add(x, &n, &num, &e), &e);
    return num;
}

static void seed(struct tsrv *t, struct world *w)
{
    memset(w, 0, sizeof(*w));
    struct case_ctx x;
    struct err e = { 0 };
    ASSERT_OK(case_ctx_init(&x, t->db, NULL, &t->clk, &e), &e);
    w->mine = add_case(&x, CASE_CONSULTATION, "市交通局", "2018-11-20 10:00", nasty[0], "张三",
                       "13812345678");
    w->theirs = add_case(&x, CASE_DISCLOSURE, "市教育局", "2018-11-28 10:00", nasty[1], "李四",
                         "13912345678");
    w->office =
        add_case(&x, CASE_ERROR_REPORT, "市政府办公室", "2018-11-30 09:00", nasty[2], NULL, NULL);
    /* 36 more for the lists: each unit, each kind, receipts spread over November */
    static const char *const units[] = { "市交通局", "市教育局", "市政府办公室" };
    for (int i = 0; i < 36; i++) {
        char at[32];
        snprintf(at, sizeof(at), "2018-11-%02d %02d:%02d", 1 + i % 28, 8 + i % 9, (i * 7) % 60);
        char *n =
            add_case(&x, (enum case_kind)(i % CASE_NKINDS), units[i % 3], at, "批量", NULL, NULL);
        if (i % 4 == 0) {
            struct case_action a = { .type = "answer",
                                     .at = T(at) + 86400,
                                     .outcome =
                                         i % CASE_NKINDS == CASE_DISCLOSURE ? "public" : NULL,
                                     .roles = CASE_ROLES_STAFF,
                                     .reply_public = -1,
                                     .actor = "tester" };
            ASSERT_OK(case_act(&x, n, &a, NULL, &e), &e);
        }
        free(n);
    }
    case_ctx_release(&x);
    /* findings: one of 市交通局 (site 2's column), one of the office (site 1) */
    ASSERT_OK(store_get_int(t->db, &w->column, &e,
                            "SELECT id FROM site_columns WHERE path = '新闻>示范要闻'", ""),
              &e);
    int64_t jtj_col = 0;
    ASSERT_OK(store_get_int(t->db, &jtj_col, &e,
                            "SELECT id FROM site_columns WHERE path = '通知公告'", ""),
              &e);
    for (int site = 1; site <= 2; site++) {
        struct check_scope sc = {
            .site_id = site, .kinds = "wording", .complete = true, .source = "test"
        };
        struct check_session *s;
        ASSERT_OK(check_begin(t->db, &t->clk, &sc, &s, &e), &e);
        struct check_finding f = { .kind = "wording",
                                   .column_id = site == 1 ? w->column : jtj_col,
                                   .url = site == 1 ? "http://www.shifan.test/xw/1.html"
                                                    : "http://jtj.shifan.test/tz/1.html",
                                   .subject = nasty[site - 1],
                                   .evidence = "{\"excerpt\":\"<script>alert(1)</script>\"}",
                                   .summary = nasty[site - 1] };
        ASSERT_OK(check_report(s, &f, site == 1 ? &w->f_theirs : &w->f_mine, &e), &e);
        struct check_tally tl;
        ASSERT_OK(check_end(s, &tl, &e), &e);
    }
    /* a verdict for site 1, and probes for the week before the test day */
    struct check_profile *p;
    ASSERT_OK(check_profile_load(CHECK_PROFILE_DEFAULT, &p, &e), &e);
    struct check_facts fx;
    struct check_verdict v;
    ASSERT_OK(check_verdict_run(t->db, &t->clk, 1, time_to_date(clk_now(&t->clk), TZ_CST), p, false,
                                &fx, &v, &e),
              &e);
    check_facts_release(&fx);
    check_verdict_release(&v);
    check_profile_free(p);
    for (int d = 1; d <= 7; d++)
        for (int k = 0; k < 3; k++) {
            struct probe_result r = { .site_id = 1,
                                      .url = (char *)"http://www.shifan.test/",
                                      .at = clk_now(&t->clk) - d * 86400 + k * 3600,
                                      .status = k == 2 && d == 3 ? 0 : 200,
                                      .total_ms = 100 * d + k,
                                      .error = k == 2 && d == 3 ? (char *)"timeout" : NULL };
            r.outcome = probe_classify(r.status, r.total_ms, r.error != NULL, 15000);
            ASSERT_OK(probe_record(t->db, TZ_CST, &r, 15000, &e), &e);
        }
}

static void world_free(struct world *w)
{
    free(w->mine);
    free(w->theirs);
    free(w->office);
}

/* "/path/%N" with N the number or id, %-encoded as a client would. */
static const char *path_of(const char *pattern, const struct world *w)
{
    struct buf b = BUF_INIT;
    for (const char *p = pattern; *p; p++) {
        if (*p != '%') {
            buf_addc(&b, *p);
            continue;
        }
        switch (*++p) {
        case 'M':
            esc_url(&b, w->mine);
            break;
        case 'T':
            esc_url(&b, w->theirs);
            break;
        case 'm':
            buf_addf(&b, "%lld", (long long)w->f_mine);
            break;
        case 't':
            buf_addf(&b, "%lld", (long long)w->f_theirs);
            break;
        case 'c':
            buf_addf(&b, "%lld", (long long)w->column);
            break;
        default: /* a %-escape of the URL itself */
            buf_addc(&b, '%');
            buf_addc(&b, *p);
        }
    }
    const char *s = arena_strdup(t_arena(), buf_cstr(&b));
    buf_release(&b);
    return s;
}

/* ---- the authorization matrix -------------------------------------------------------- */

#define JSON "application/json"
#define FORM "application/x-www-form-urlencoded"

/* Writes come in an order that keeps each one meaningful for the next role: the second
 * dismissal of the same finding is a 409 (allowed, but already done), not a 403. */
static const struct tw_cell matrix[] = {
    /* 办件 API */
    { "GET", "/api/v1/cases", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/cases/%M", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/cases/%T", NULL, NULL, { 200, 200, 404, 200 }, 401 },
    { "GET", "/api/v1/cases/stats", NULL, NULL, { 200, 200, 403, 200 }, 401 },
    { "POST",
      "/api/v1/cases",
      JSON,
      "{\"kind\":\"consultation\",\"unit\":\"市交通局\",\"received\":\"2018-11-30 10:00\","
      "\"subject\":\"matrix\"}",
      { 201, 201, 201, 403 },
      401 },
    { "POST",
      "/api/v1/cases/%M/events",
      JSON,
      "{\"type\":\"note\",\"note\":\"matrix\"}",
      { 200, 200, 200, 403 },
      401 },
    { "POST",
      "/api/v1/cases/%T/events",
      JSON,
      "{\"type\":\"note\",\"note\":\"matrix\"}",
      { 200, 200, 404, 403 },
      401 },
    /* 问题 API */
    { "GET", "/api/v1/findings", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/findings/%m", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/findings/%t", NULL, NULL, { 200, 200, 404, 200 }, 401 },
    { "GET", "/api/v1/findings/by-unit", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "POST",
      "/api/v1/findings/%m/dismiss",
      JSON,
      "{\"reason\":\"误报\"}",
      { 200, 409, 403, 403 },
      401 },
    { "POST",
      "/api/v1/findings/%m/restore",
      JSON,
      "{\"reason\":\"复核\"}",
      { 200, 409, 403, 403 },
      401 },
    { "POST",
      "/api/v1/findings/%t/dismiss",
      JSON,
      "{\"reason\":\"误报\"}",
      { 200, 409, 403, 403 },
      401 },
    { "POST",
      "/api/v1/findings/%t/restore",
      JSON,
      "{\"reason\":\"复核\"}",
      { 200, 409, 403, 403 },
      401 },
    /* overview twins */
    { "GET", "/api/v1/verdicts?latest=1", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/sites/1/availability", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    /* 设置 API */
    { "GET", "/api/v1/settings/calendar", NULL, NULL, { 200, 403, 403, 403 }, 401 },
    { "POST",
      "/api/v1/settings/calendar",
      JSON,
      "{\"date\":\"2018-12-24\",\"kind\":\"off\",\"name\":\"矩阵\"}",
      { 200, 403, 403, 403 },
      401 },
    { "DELETE", "/api/v1/settings/calendar/2018-12-24", NULL, NULL, { 200, 403, 403, 403 }, 401 },
    { "GET", "/api/v1/settings/wording", NULL, NULL, { 200, 403, 403, 403 }, 401 },
    { "POST",
      "/api/v1/settings/wording",
      JSON,
      "{\"wrong\":\"矩阵错词\",\"right\":\"矩阵正词\"}",
      { 201, 403, 403, 403 },
      401 },
    { "POST",
      "/api/v1/settings/wording/test",
      JSON,
      "{\"text\":\"矩阵错词\"}",
      { 200, 403, 403, 403 },
      401 },
    { "POST",
      "/api/v1/settings/wording/remove",
      JSON,
      "{\"wrong\":\"矩阵错词\"}",
      { 200, 403, 403, 403 },
      401 },
    { "GET", "/api/v1/settings/rules", NULL, NULL, { 200, 403, 403, 403 }, 401 },
    { "GET", "/api/v1/settings/exemptions", NULL, NULL, { 200, 403, 403, 403 }, 401 },
    { "POST",
      "/api/v1/settings/exemptions",
      JSON,
      "{\"site\":\"1\",\"path\":\"新闻>示范要闻\",\"reason\":\"改版\",\"until\":\"2018-12-31\"}",
      { 201, 403, 403, 403 },
      401 },
    { "DELETE", "/api/v1/settings/exemptions/%c", NULL, NULL, { 204, 403, 403, 403 }, 401 },
    { "GET", "/api/v1/settings/probes", NULL, NULL, { 200, 403, 403, 403 }, 401 },
    { "GET", "/api/v1/settings/retired", NULL, NULL, { 200, 403, 403, 403 }, 401 },
    { "POST",
      "/api/v1/settings/retired",
      JSON,
      "{\"target\":\"api.old.test\",\"note\":\"矩阵\"}",
      { 200, 403, 403, 403 },
      401 },
    { "POST",
      "/api/v1/settings/retired/remove",
      JSON,
      "{\"target\":\"api.old.test\"}",
      { 200, 403, 403, 403 },
      401 },
    /* pages */
    { "GET", "/cases", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/cases/%M", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/cases/%T", NULL, NULL, { 200, 200, 404, 200 }, 303 },
    { "GET", "/cases/new", NULL, NULL, { 200, 200, 200, 403 }, 303 },
    { "GET", "/cases/stats", NULL, NULL, { 200, 200, 403, 200 }, 303 },
    { "POST",
      "/cases",
      FORM,
      "kind=consultation&unit=2&received=2018-11-30T10%%3A00&subject=form",
      { 303, 303, 303, 403 },
      303 },
    { "POST", "/cases/%M/events", FORM, "type=note&note=form", { 303, 303, 303, 403 }, 303 },
    { "POST", "/cases/%T/events", FORM, "type=note&note=form", { 303, 303, 404, 403 }, 303 },
    { "GET", "/findings", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/findings/%m", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/findings/%t", NULL, NULL, { 200, 200, 404, 200 }, 303 },
    { "POST", "/findings/%m/dismiss", FORM, "reason=form", { 303, 409, 403, 403 }, 303 },
    { "POST", "/findings/%m/restore", FORM, "reason=form", { 303, 409, 403, 403 }, 303 },
    { "GET", "/", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/sites/1", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/settings", NULL, NULL, { 200, 403, 403, 403 }, 303 },
    { "GET", "/settings/calendar", NULL, NULL, { 200, 403, 403, 403 }, 303 },
    { "POST",
      "/settings/calendar",
      FORM,
      "date=2018-12-25&kind=off&name=form",
      { 303, 403, 403, 403 },
      303 },
    { "POST", "/settings/calendar/2018-12-25/delete", FORM, "x=1", { 303, 403, 403, 403 }, 303 },
    { "GET", "/settings/wording", NULL, NULL, { 200, 403, 403, 403 }, 303 },
    { "POST",
      "/settings/wording",
      FORM,
      "wrong=%%E8%%A1%%A8%%E5%%8D%%95%%E9%%94%%99&right=x",
      { 303, 403, 403, 403 },
      303 },
    { "POST", "/settings/wording/test", FORM, "text=abc", { 200, 403, 403, 403 }, 303 },
    { "POST",
      "/settings/wording/remove",
      FORM,
      "wrong=%%E8%%A1%%A8%%E5%%8D%%95%%E9%%94%%99",
      { 303, 403, 403, 403 },
      303 },
    { "GET", "/settings/rules", NULL, NULL, { 200, 403, 403, 403 }, 303 },
    { "GET", "/settings/exemptions", NULL, NULL, { 200, 403, 403, 403 }, 303 },
    { "POST",
      "/settings/exemptions",
      FORM,
      "site=1&path=%%E6%%96%%B0%%E9%%97%%BB%%3E%%E7%%A4%%BA%%E8%%8C%%83%%E8%%A6%%81%%E9%%97%%BB&"
      "reason=r&approved_by=a&until=2018-12-31",
      { 303, 403, 403, 403 },
      303 },
    { "POST", "/settings/exemptions/%c/revoke", FORM, "x=1", { 303, 403, 403, 403 }, 303 },
    { "GET", "/settings/probes", NULL, NULL, { 200, 403, 403, 403 }, 303 },
    { "GET", "/settings/retired", NULL, NULL, { 200, 403, 403, 403 }, 303 },
    { "POST",
      "/settings/retired",
      FORM,
      "target=page.old.test&note=x",
      { 303, 403, 403, 403 },
      303 },
    { "POST",
      "/settings/retired/remove",
      FORM,
      "target=page.old.test",
      { 303, 403, 403, 403 },
      303 },
};

/* %M, %T, %m, %t, %c in a cell's path: the world's items, findings and column; a body is
 * a format (%% for the %-escapes of a form). */
static void fill_world(const struct tw_cell *c, const char *who, void *ctx, const char **path,
                       char *body, size_t cap)
{
    (void)who;
    *path = path_of(*path, ctx);
    if (c->body) {
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
        snprintf(body, cap, c->body, "");
#pragma GCC diagnostic pop
    }
}

static void run_matrix(struct tsrv *t, const struct world *w, bool tokens)
{
    tw_run_matrix(t, matrix, sizeof(matrix) / sizeof(matrix[0]), tokens, fill_world, (void *)w,
                  "O'Brien");
    /* the editor's attempts on another unit's items were audited */
    ASSERT(count(t->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'denied' AND detail LIKE "
                        "'%belongs to another unit%'") >= 3);
}

TEST(web_lists_authorization_matrix)
{
    for (int b = 0; b < t_backends(); b++) {
        for (int tokens = 0; tokens < 2; tokens++) {
            struct tsrv t;
            srv_start(&t, b);
            struct world w;
            seed(&t, &w);
            int64_t events = count(t.db, "SELECT COUNT(*) FROM case_events");
            run_matrix(&t, &w, tokens);
            /* the refused writes wrote nothing: 3 notes by API on the editor's item, 2 on
             * the other unit's, 3 new items (their receive events), and as many by form */
            ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM case_events") - events,
                          tokens ? 8 : 16);
            ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM cases WHERE subject IN ('matrix', "
                                      "'form')"),
                          tokens ? 3 : 6);
            /* the editor's items are of their unit whatever the form said */
            ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM cases c JOIN units u ON u.id = "
                                      "c.unit_id WHERE c.subject IN ('matrix', 'form') AND "
                                      "u.short_name <> '市交通局'"),
                          0);
            ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM calendar_overrides"), 0);
            world_free(&w);
            srv_stop(&t);
        }
    }
}

/* ---- CSRF on every form -------------------------------------------------------------- */

TEST(web_lists_csrf_on_every_form)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct world w;
        seed(&t, &w);
        struct sess s, other;
        login_role(&t, 0, &s);
        login_role(&t, 0, &other);
        const char *before =
            arena_fmt(t_arena(), "%lld/%lld/%lld/%lld/%lld/%lld",
                      (long long)count(t.db, "SELECT COUNT(*) FROM case_events"),
                      (long long)count(t.db, "SELECT COUNT(*) FROM cases"),
                      (long long)count(t.db, "SELECT COUNT(*) FROM finding_events"),
                      (long long)count(t.db, "SELECT COUNT(*) FROM calendar_overrides"),
                      (long long)count(t.db, "SELECT COUNT(*) FROM wording_entries"),
                      (long long)count(t.db, "SELECT COUNT(*) FROM column_exemptions"));
        size_t forms = 0;
        for (size_t k = 0; k < sizeof(matrix) / sizeof(matrix[0]); k++) {
            const struct tw_cell *c = &matrix[k];
            if (strcmp(c->method, "POST") || !c->ctype || strcmp(c->ctype, FORM))
                continue;
            forms++;
            const char *tokens[] = { NULL, "0000", other.csrf };
            for (int i = 0; i < 3; i++) {
                char body[1024];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
                snprintf(body, sizeof(body), c->body, "");
#pragma GCC diagnostic pop
                if (tokens[i])
                    snprintf(body + strlen(body), sizeof(body) - strlen(body), "&csrf=%s",
                             tokens[i]);
                struct resp r;
                http(&t,
                     &(struct call){ .method = "POST",
                                     .path = path_of(c->path, &w),
                                     .session = s.token,
                                     .ctype = FORM,
                                     .body = body },
                     &r);
                EXPECT_STATUS(&r, 403,
                              arena_fmt(t_arena(), "%s without the right CSRF token", c->path));
                ASSERT_CONTAINS(buf_cstr(&r.body), "没有权限");
                resp_free(&r);
            }
        }
        ASSERT(forms >= 12);
        /* the JSON twins refuse a cookie without the header too */
        struct resp r;
        http(&t,
             &(struct call){ .method = "POST",
                             .path = path_of("/api/v1/cases/%M/events", &w),
                             .session = s.token,
                             .ctype = JSON,
                             .body = "{\"type\":\"note\",\"note\":\"x\"}" },
             &r);
        EXPECT_STATUS(&r, 403, "API step without the CSRF header");
        resp_free(&r);
        const char *after =
            arena_fmt(t_arena(), "%lld/%lld/%lld/%lld/%lld/%lld",
                      (long long)count(t.db, "SELECT COUNT(*) FROM case_events"),
                      (long long)count(t.db, "SELECT COUNT(*) FROM cases"),
                      (long long)count(t.db, "SELECT COUNT(*) FROM finding_events"),
                      (long long)count(t.db, "SELECT COUNT(*) FROM calendar_overrides"),
                      (long long)count(t.db, "SELECT COUNT(*) FROM wording_entries"),
                      (long long)count(t.db, "SELECT COUNT(*) FROM column_exemptions"));
        ASSERT_EQ_STR(after, before);
        ASSERT(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'denied' AND detail "
                           "LIKE '%CSRF%'") >= (int64_t)(3 * forms));
        world_free(&w);
        srv_stop(&t);
    }
}

/* ---- escaping and SQL metacharacters ------------------------------------------------- */

static void post_body(struct tsrv *t, const struct sess *s, const char *path, const char *body,
                      int want, struct resp *r)
{
    http(t,
         &(struct call){ .method = "POST",
                         .path = path,
                         .session = s->token,
                         .csrf = s->csrf,
                         .ctype = JSON,
                         .body = body },
         r);
    EXPECT_STATUS(r, want, path);
}

static void post_json(struct tsrv *t, const struct sess *s, const char *path, struct jw *body,
                      int want, struct resp *r)
{
    post_body(t, s, path, buf_cstr(body->b), want, r);
}

static void expect_inert(struct tsrv *t, const struct sess *s, const char *path, bool shown)
{
    struct resp r;
    get(t, path, s->token, &r);
    EXPECT_STATUS(&r, 200, path);
    ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "<script>alert");
    ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "O'Brien");
    if (shown && !strstr(buf_cstr(&r.body), "&lt;script&gt;alert(1)&lt;/script&gt;"))
        t_fail(__FILE__, __LINE__, "%s does not show the escaped script", path);
    resp_free(&r);
}

TEST(web_lists_escaping_and_sql_metacharacters)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct world w;
        seed(&t, &w);
        struct sess s;
        login_role(&t, 0, &s);
        /* every text field of an item, a note and a reply, a wording entry, a calendar
         * reason, an exemption reason: each nasty string in turn */
        for (int i = 0; i < 3; i++) {
            struct buf body = BUF_INIT;
            struct jw j;
            jw_init(&j, &body, false);
            jw_obj(&j);
            jw_kstr(&j, "kind", "consultation");
            jw_kstr(&j, "unit", "市交通局");
            jw_kstr(&j, "received", "2018-11-30 11:00");
            jw_kstr(&j, "number", arena_fmt(t_arena(), "%s-%d", nasty[i], i));
            static const char *const fields[] = { "subject", "content", "requester", "contact",
                                                  "page_url" };
            for (size_t f = 0; f < 5; f++)
                jw_kstr(&j, fields[f], nasty[i]);
            jw_end(&j);
            jw_finish(&j);
            struct resp r;
            post_json(&t, &s, "/api/v1/cases", &j, 201, &r);
            json_object *o = json_of(&r), *v;
            ASSERT(json_object_object_get_ex(o, "subject", &v));
            ASSERT_EQ_STR(json_object_get_string(v), nasty[i]);
            ASSERT(json_object_object_get_ex(o, "number", &v));
            const char *number = arena_strdup(t_arena(), json_object_get_string(v));
            json_object_put(o);
            ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "</script>");
            resp_free(&r);
            struct buf ev = BUF_INIT;
            jw_init(&j, &ev, false);
            jw_obj(&j);
            jw_kstr(&j, "type", "answer");
            jw_kstr(&j, "note", nasty[i]);
            jw_kstr(&j, "reply", nasty[i]);
            jw_end(&j);
            jw_finish(&j);
            struct buf p = BUF_INIT;
            buf_adds(&p, "/api/v1/cases/");
            esc_url(&p, number);
            buf_adds(&p, "/events");
            post_json(&t, &s, buf_cstr(&p), &j, 200, &r);
            resp_free(&r);
            /* its page shows every field, escaped */
            buf_reset(&p);
            buf_adds(&p, "/cases/");
            esc_url(&p, number);
            expect_inert(&t, &s, buf_cstr(&p), i == 0);
            buf_release(&p);
            buf_release(&ev);
            buf_release(&body);
            /* wording, calendar, exemption */
            struct buf wb = BUF_INIT;
            jw_init(&j, &wb, false);
            jw_obj(&j);
            jw_kstr(&j, "wrong", nasty[i]);
            jw_kstr(&j, "right", "正确写法");
            jw_kstr(&j, "category", nasty[i]);
            jw_kstr(&j, "note", nasty[i]);
            jw_end(&j);
            jw_finish(&j);
            post_json(&t, &s, "/api/v1/settings/wording", &j, 201, &r);
            resp_free(&r);
            buf_reset(&wb);
            jw_init(&j, &wb, false);
            jw_obj(&j);
            jw_kstr(&j, "date", arena_fmt(t_arena(), "2018-12-%02d", 10 + i));
            jw_kstr(&j, "kind", "off");
            jw_kstr(&j, "name", nasty[i]);
            jw_end(&j);
            jw_finish(&j);
            post_json(&t, &s, "/api/v1/settings/calendar", &j, 200, &r);
            resp_free(&r);
            buf_reset(&wb);
            jw_init(&j, &wb, false);
            jw_obj(&j);
            jw_kint(&j, "column_id", w.column);
            jw_kstr(&j, "reason", nasty[i]);
            jw_kstr(&j, "approved_by", nasty[i]);
            jw_kstr(&j, "until", "2018-12-31");
            jw_end(&j);
            jw_finish(&j);
            post_json(&t, &s, "/api/v1/settings/exemptions", &j, 201, &r);
            resp_free(&r);
            buf_reset(&wb);
            jw_init(&j, &wb, false);
            jw_obj(&j);
            jw_kstr(&j, "target", arena_fmt(t_arena(), "nasty%d.old.test", i));
            jw_kstr(&j, "note", nasty[i]);
            jw_end(&j);
            jw_finish(&j);
            post_json(&t, &s, "/api/v1/settings/retired", &j, 200, &r);
            resp_free(&r);
            buf_release(&wb);
        }
        /* the tables are intact and hold the strings as given */
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM units"), 3);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM cases WHERE content = "
                                  "'O''Brien\"; DROP TABLE cases; --'"),
                      1);
        /* every page that shows them: lists, items, settings, the overview, the site */
        static const char *const pages[] = { "/cases",
                                             "/cases?q=%3Cscript%3E",
                                             "/cases/%M",
                                             "/findings",
                                             "/findings?state=all",
                                             "/findings/%m",
                                             "/findings/%t",
                                             "/settings/wording?source=db",
                                             "/settings/calendar",
                                             "/settings/exemptions?all=1",
                                             "/settings/retired",
                                             "/",
                                             "/sites/1",
                                             "/sites/2" };
        for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++)
            expect_inert(&t, &s, path_of(pages[i], &w),
                         strcmp(pages[i], "/sites/2") && strcmp(pages[i], "/findings/%m") &&
                             strcmp(pages[i], "/"));
        /* the wording tester shows a hit of the script entry, escaped */
        struct resp r;
        char body[512];
        snprintf(body, sizeof(body),
                 "text=%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&date=2018-12-01&csrf=%s", s.csrf);
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/settings/wording/test",
                             .session = s.token,
                             .ctype = FORM,
                             .body = body },
             &r);
        EXPECT_STATUS(&r, 200, "wording test");
        ASSERT_CONTAINS(buf_cstr(&r.body), "检测结果（1 处）");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "<script>alert");
        resp_free(&r);
        /* exports keep them as data: CSV quoted and defused, JSON exact */
        get(&t, "/api/v1/cases?format=csv&q=Brien", s.token, &r);
        EXPECT_STATUS(&r, 200, "cases CSV");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"O'Brien\"\"; DROP TABLE cases; --\"");
        resp_free(&r);
        /* metacharacters in every filter: literal text, or a 400 naming the value */
        static const struct {
            const char *path;
            int want;
            int64_t total; /* -1: not checked */
        } filters[] = {
            { "/api/v1/cases?q=100%25_%5C", 200, 2 },
            { "/api/v1/cases?q=%27%20OR%201%3D1%20--", 200, 0 },
            { "/api/v1/cases?q=%25", 200, 2 },
            { "/api/v1/cases?unit=%27%20OR%201%3D1%20--", 400, -1 },
            { "/api/v1/cases?site=%27%3B%20DROP%20TABLE%20cases%3B", 400, -1 },
            { "/api/v1/cases?kind=%27%20OR%20%271", 400, -1 },
            { "/api/v1/cases?state=%27open", 400, -1 },
            { "/api/v1/cases?sort=received%3B%20DROP", 400, -1 },
            { "/api/v1/cases?from=2018-11-01%27", 400, -1 },
            { "/api/v1/cases?as_of=%27now", 400, -1 },
            { "/api/v1/cases?due_within=1%20OR%201", 400, -1 },
            { "/api/v1/cases?after=i.1%27.2", 400, -1 },
            { "/api/v1/cases?before=t.2727.1", 400, -1 },
            { "/api/v1/cases?after=i.5.3&sort=number", 400, -1 },
            { "/api/v1/cases?after=t.2727.3&sort=-number", 200, -1 },
            { "/api/v1/findings?after=t.41.1", 400, -1 },
            { "/api/v1/sites?after=t.41.1", 400, -1 },
            { "/api/v1/findings?q=%27%20OR%201%3D1%20--", 200, 0 },
            { "/api/v1/findings?q=Brien&state=all", 200, 1 },
            { "/api/v1/findings?kind=%27wording", 400, -1 },
            { "/api/v1/findings?state=%27%20OR%201%3D1", 400, -1 },
            { "/api/v1/findings?site=%27%3B--", 400, -1 },
            { "/api/v1/findings?unit=%3Cscript%3E", 400, -1 },
            { "/api/v1/findings?sort=id--", 400, -1 },
            { "/api/v1/findings?as_of=1%27", 400, -1 },
            { "/api/v1/settings/wording?q=%27%20OR%201%3D1", 200, 0 },
            { "/api/v1/settings/wording?source=db%27", 400, -1 },
            { "/api/v1/settings/wording?q=Brien&source=db", 200, 1 },
            { "/api/v1/cases/stats?kind=%27", 400, -1 },
            { "/api/v1/cases/%27%20OR%201%3D1", 404, -1 },
            { "/api/v1/findings/1%20OR%201", 404, -1 },
        };
        for (size_t i = 0; i < sizeof(filters) / sizeof(filters[0]); i++) {
            get(&t, filters[i].path, s.token, &r);
            EXPECT_STATUS(&r, filters[i].want, filters[i].path);
            json_object *o = json_of(&r), *v;
            if (filters[i].want == 400) {
                ASSERT(json_object_object_get_ex(o, "error", &v));
            } else if (filters[i].total >= 0) {
                ASSERT(json_object_object_get_ex(o, "total", &v));
                if (json_object_get_int64(v) != filters[i].total)
                    t_fail(__FILE__, __LINE__, "%s: total %lld, want %lld", filters[i].path,
                           (long long)json_object_get_int64(v), (long long)filters[i].total);
            }
            json_object_put(o);
            if (strstr(buf_cstr(&r.body), "</script>"))
                t_fail(__FILE__, __LINE__, "%s: %s", filters[i].path, buf_cstr(&r.body));
            resp_free(&r);
        }
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM cases") > 40, 1);
        world_free(&w);
        srv_stop(&t);
    }
}

/* ---- keyset pages and kept counts ---------------------------------------------------- */

/* The value of `key` in each item of a list answer, appended to out ('\n'-separated). */
static void collect(struct resp *r, const char *key, struct buf *out, int64_t *total)
{
    json_object *o = json_of(r), *items, *v;
    ASSERT(json_object_object_get_ex(o, "items", &items));
    for (size_t i = 0; i < json_object_array_length(items); i++) {
        ASSERT(json_object_object_get_ex(json_object_array_get_idx(items, i), key, &v));
        buf_addf(out, "%s\n", json_object_get_string(v));
    }
    if (total) {
        ASSERT(json_object_object_get_ex(o, "total", &v));
        *total = json_object_get_int64(v);
    }
    json_object_put(o);
}

/* The target of rel=next / rel=prev in a Link header, or NULL. */
static const char *link_rel(struct resp *r, const char *rel)
{
    const char *l = header(r, "Link");
    if (!l)
        return NULL;
    const char *want = arena_fmt(t_arena(), "rel=\"%s\"", rel);
    for (const char *p = l; (p = strchr(p, '<'));) {
        const char *e = strchr(p, '>');
        if (!e)
            return NULL;
        if (!strncmp(e + 3, want, strlen(want)))
            return arena_strndup(t_arena(), p + 1, (size_t)(e - p - 1));
        p = e;
    }
    return NULL;
}

static void walk(struct tsrv *t, const char *token, const char *first, const char *key,
                 struct buf *forward, struct buf *backward)
{
    const char *path = first, *last = NULL;
    int pages = 0;
    while (path) {
        struct resp r;
        get(t, path, token, &r);
        EXPECT_STATUS(&r, 200, path);
        collect(&r, key, forward, NULL);
        last = path;
        path = link_rel(&r, "next");
        if (path)
            ASSERT_CONTAINS(path, "after=");
        resp_free(&r);
        ASSERT(++pages < 100);
    }
    /* and back from the last page by rel=prev: the same rows, page by page */
    path = last;
    struct buf pagebuf = BUF_INIT;
    while (path) {
        struct resp r;
        get(t, path, token, &r);
        buf_reset(&pagebuf);
        collect(&r, key, &pagebuf, NULL);
        struct buf nb = BUF_INIT;
        buf_addbuf(&nb, &pagebuf);
        buf_addbuf(&nb, backward);
        buf_release(backward);
        *backward = nb;
        path = link_rel(&r, "prev");
        resp_free(&r);
    }
    buf_release(&pagebuf);
}

TEST(web_lists_keyset_pages_and_kept_counts)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct world w;
        seed(&t, &w);
        struct sess s;
        login_role(&t, 0, &s);
        static const char *const lists[][2] = {
            { "/api/v1/cases?per_page=500", "/api/v1/cases?per_page=7" },
            { "/api/v1/cases?per_page=500&sort=due", "/api/v1/cases?per_page=6&sort=due" },
            { "/api/v1/cases?per_page=500&sort=-number", "/api/v1/cases?per_page=5&sort=-number" },
            { "/api/v1/cases?per_page=500&state=open&kind=consultation,disclosure",
              "/api/v1/cases?per_page=4&state=open&kind=consultation,disclosure" },
            { "/api/v1/cases?per_page=500&as_of=2018-11-25",
              "/api/v1/cases?per_page=9&as_of=2018-11-25" },
        };
        for (size_t i = 0; i < sizeof(lists) / sizeof(lists[0]); i++) {
            struct buf all = BUF_INIT, fwd = BUF_INIT, back = BUF_INIT;
            struct resp r;
            int64_t total;
            get(&t, lists[i][0], s.token, &r);
            EXPECT_STATUS(&r, 200, lists[i][0]);
            collect(&r, "number", &all, &total);
            ASSERT_EQ_STR(header(&r, "X-Total-Count"),
                          arena_fmt(t_arena(), "%lld", (long long)total));
            resp_free(&r);
            ASSERT(total > 10);
            if (strstr(lists[i][0], "as_of")) { /* replayed lists page by offset */
                const char *path = lists[i][1];
                while (path) {
                    get(&t, path, s.token, &r);
                    collect(&r, "number", &fwd, NULL);
                    path = link_rel(&r, "next");
                    resp_free(&r);
                }
                ASSERT_EQ_STR(buf_cstr(&fwd), buf_cstr(&all));
            } else {
                walk(&t, s.token, lists[i][1], "number", &fwd, &back);
                ASSERT_EQ_STR(buf_cstr(&fwd), buf_cstr(&all));
                ASSERT_EQ_STR(buf_cstr(&back), buf_cstr(&all));
            }
            buf_release(&all);
            buf_release(&fwd);
            buf_release(&back);
        }
        /* findings: more of them, walked the same way */
        struct err e = { 0 };
        struct check_scope sc = {
            .site_id = 3, .kinds = "link-broken", .complete = false, .source = "test"
        };
        struct check_session *cs;
        ASSERT_OK(check_begin(t.db, &t.clk, &sc, &cs, &e), &e);
        for (int i = 0; i < 23; i++) {
            struct check_finding f = { .kind = "link-broken",
                                       .url = "http://jyj.shifan.test/",
                                       .subject =
                                           arena_fmt(t_arena(), "http://jyj.shifan.test/%d", i),
                                       .evidence = "{}",
                                       .summary = "链接不可用",
                                       .severity = i % 3 ? CHECK_NOTICE : CHECK_SERIOUS };
            ASSERT_OK(check_report(cs, &f, NULL, &e), &e);
        }
        struct check_tally tl;
        ASSERT_OK(check_end(cs, &tl, &e), &e);
        static const char *const flists[][2] = {
            { "/api/v1/findings?per_page=500", "/api/v1/findings?per_page=4" },
            { "/api/v1/findings?per_page=500&sort=-severity",
              "/api/v1/findings?per_page=5&sort=-severity" },
            { "/api/v1/findings?per_page=500&sort=last_seen&site=3",
              "/api/v1/findings?per_page=6&sort=last_seen&site=3" },
        };
        for (size_t i = 0; i < 3; i++) {
            struct buf all = BUF_INIT, fwd = BUF_INIT, back = BUF_INIT;
            struct resp r;
            int64_t total;
            get(&t, flists[i][0], s.token, &r);
            collect(&r, "id", &all, &total);
            resp_free(&r);
            ASSERT(total >= 23);
            walk(&t, s.token, flists[i][1], "id", &fwd, &back);
            ASSERT_EQ_STR(buf_cstr(&fwd), buf_cstr(&all));
            ASSERT_EQ_STR(buf_cstr(&back), buf_cstr(&all));
            buf_release(&all);
            buf_release(&fwd);
            buf_release(&back);
        }
        /* kept counts follow every writer: the CLI-side API here, not the server */
        int64_t before, after;
        struct resp r;
        struct buf scratch = BUF_INIT;
        get(&t, "/api/v1/cases?state=open&per_page=1", s.token, &r);
        collect(&r, "number", &scratch, &before);
        resp_free(&r);
        struct case_ctx x;
        ASSERT_OK(case_ctx_init(&x, t.db, NULL, &t.clk, &e), &e);
        char *n = add_case(&x, CASE_COMPLAINT, "市教育局", "2018-11-30 16:00", "新", NULL, NULL);
        get(&t, "/api/v1/cases?state=open&per_page=1", s.token, &r);
        collect(&r, "number", &scratch, &after);
        resp_free(&r);
        ASSERT_EQ_INT(after, before + 1);
        struct case_action a = {
            .type = "withdraw", .roles = CASE_ROLES_STAFF, .reply_public = -1, .actor = "tester"
        };
        ASSERT_OK(case_act(&x, n, &a, NULL, &e), &e);
        get(&t, "/api/v1/cases?state=open&per_page=1", s.token, &r);
        collect(&r, "number", &scratch, &after);
        resp_free(&r);
        ASSERT_EQ_INT(after, before);
        free(n);
        case_ctx_release(&x);
        /* findings too: a dismissal leaves the open list at once */
        get(&t, "/api/v1/findings?per_page=1", s.token, &r);
        collect(&r, "id", &scratch, &before);
        resp_free(&r);
        ASSERT_OK(check_finding_dismiss(t.db, &t.clk, w.f_mine, "x", "tester", &e), &e);
        get(&t, "/api/v1/findings?per_page=1", s.token, &r);
        collect(&r, "id", &scratch, &after);
        resp_free(&r);
        ASSERT_EQ_INT(after, before - 1);
        buf_release(&scratch);
        /* the HTML pager walks by cursor too */
        get(&t, "/cases?per_page=5", s.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "after=");
        ASSERT_CONTAINS(buf_cstr(&r.body), "下一页");
        resp_free(&r);
        world_free(&w);
        srv_stop(&t);
    }
}

/* ---- the work-item flow -------------------------------------------------------------- */

static json_object *get_json(struct tsrv *t, const char *path, const char *session)
{
    struct resp r;
    get(t, path, session, &r);
    EXPECT_STATUS(&r, 200, path);
    json_object *o = json_of(&r);
    resp_free(&r);
    return o;
}

static const char *jstr(json_object *o, const char *key)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return NULL;
    return arena_strdup(t_arena(), json_object_get_string(v));
}

TEST(web_lists_case_flow)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct world w;
        seed(&t, &w);
        struct sess ed, ad, vw;
        login_role(&t, 2, &ed);
        login_role(&t, 0, &ad);
        login_role(&t, 3, &vw);
        const char *api = path_of("/api/v1/cases/%M", &w);
        /* the editor's overdue item: its page shows the deadline, its explanation and the
         * steps a unit may take (not the office's) */
        struct resp r;
        get(&t, path_of("/cases/%M", &w), ed.token, &r);
        EXPECT_STATUS(&r, 200, "the item's page");
        ASSERT_CONTAINS(buf_cstr(&r.body), "已逾期");
        ASSERT_CONTAINS(buf_cstr(&r.body), "id=\"case-deadline\"");
        ASSERT_CONTAINS(buf_cstr(&r.body), "第7个工作日");
        ASSERT_CONTAINS(buf_cstr(&r.body), "id=\"step-answer\"");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "id=\"step-assign\"");
        ASSERT_CONTAINS(buf_cstr(&r.body), "张三"); /* the unit sees its requester */
        resp_free(&r);
        /* the viewer sees it masked, with no steps */
        get(&t, path_of("/cases/%M", &w), vw.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "张*");
        ASSERT_CONTAINS(buf_cstr(&r.body), "138****5678");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "13812345678");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "class=\"stacked step\"");
        resp_free(&r);
        /* a step the unit may not take is refused with the allowed ones named */
        http(&t,
             &(struct call){ .method = "POST",
                             .path = arena_fmt(t_arena(), "%s/events", api),
                             .session = ed.token,
                             .csrf = ed.csrf,
                             .ctype = JSON,
                             .body = "{\"type\":\"assign\",\"unit\":\"市教育局\"}" },
             &r);
        EXPECT_STATUS(&r, 409, "assign by an editor");
        json_object *o = json_of(&r), *er, *allowed;
        ASSERT(json_object_object_get_ex(o, "error", &er));
        ASSERT_CONTAINS(jstr(er, "message"), "allowed now:");
        ASSERT(json_object_object_get_ex(er, "allowed", &allowed));
        bool answer = false;
        for (size_t i = 0; i < json_object_array_length(allowed); i++)
            answer |=
                !strcmp(json_object_get_string(json_object_array_get_idx(allowed, i)), "answer");
        ASSERT(answer);
        json_object_put(o);
        resp_free(&r);
        /* the reply by form: closed, judged late (it was due on 29 November) */
        char body[512];
        snprintf(
            body, sizeof(body),
            "type=answer&reply=%%E5%%B7%%B2%%E7%%AD%%94%%E5%%A4%%8D&public=1&note=&at=&csrf=%s",
            ed.csrf);
        http(&t,
             &(struct call){ .method = "POST",
                             .path = path_of("/cases/%M/events", &w),
                             .session = ed.token,
                             .ctype = FORM,
                             .body = body },
             &r);
        EXPECT_STATUS(&r, 303, "answer by form");
        ASSERT_CONTAINS(header(&r, "Location"), "?done=1");
        resp_free(&r);
        o = get_json(&t, api, ad.token);
        ASSERT_EQ_STR(jstr(o, "status"), "answered");
        ASSERT_EQ_STR(jstr(o, "timing"), "late");
        ASSERT_EQ_STR(jstr(o, "reply"), "已答复");
        json_object *events;
        ASSERT(json_object_object_get_ex(o, "events", &events));
        json_object *last = json_object_array_get_idx(events, json_object_array_length(events) - 1);
        ASSERT_EQ_STR(jstr(last, "type"), "answer");
        ASSERT_EQ_STR(jstr(last, "actor"), "editor");
        json_object_put(o);
        /* a second answer is refused; the admin sees it in the closed list */
        http(&t,
             &(struct call){ .method = "POST",
                             .path = arena_fmt(t_arena(), "%s/events", api),
                             .session = ed.token,
                             .csrf = ed.csrf,
                             .ctype = JSON,
                             .body = "{\"type\":\"answer\"}" },
             &r);
        EXPECT_STATUS(&r, 409, "a second answer");
        resp_free(&r);
        get(&t, "/cases?state=closed&per_page=500", ad.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), w.mine);
        resp_free(&r);
        /* malformed fields are 400, not 409 */
        static const char *const bad[] = { "{\"type\":\"note\"}", /* a note needs its text */
                                           "{\"type\":\"note\",\"note\":\"x\",\"at\":\"soon\"}",
                                           "{\"type\":\"note\",\"note\":\"x\",\"days\":\"3\"}",
                                           "{\"type\":7}", "[1]" };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            http(&t,
                 &(struct call){ .method = "POST",
                                 .path = path_of("/api/v1/cases/%T/events", &w),
                                 .session = ad.token,
                                 .csrf = ad.csrf,
                                 .ctype = JSON,
                                 .body = bad[i] },
                 &r);
            EXPECT_STATUS(&r, 400, bad[i]);
            resp_free(&r);
        }
        /* an extension by the office lengthens the other unit's deadline */
        const char *theirs = path_of("/api/v1/cases/%T", &w);
        o = get_json(&t, theirs, ad.token);
        const char *due0 = jstr(o, "due");
        json_object_put(o);
        http(&t,
             &(struct call){ .method = "POST",
                             .path = arena_fmt(t_arena(), "%s/events", theirs),
                             .session = ad.token,
                             .csrf = ad.csrf,
                             .ctype = JSON,
                             .body = "{\"type\":\"extend\",\"days\":5,\"note\":\"延期\"}" },
             &r);
        EXPECT_STATUS(&r, 200, "extend");
        resp_free(&r);
        o = get_json(&t, theirs, ad.token);
        ASSERT(strcmp(jstr(o, "due"), due0) > 0);
        const char *due1 = jstr(o, "due");
        json_object_put(o);
        /* a local day off moves it again, at once, in the item and in the list */
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/api/v1/settings/calendar",
                             .session = ad.token,
                             .csrf = ad.csrf,
                             .ctype = JSON,
                             .body =
                                 "{\"date\":\"2018-12-03\",\"kind\":\"off\",\"name\":\"台风\"}" },
             &r);
        EXPECT_STATUS(&r, 200, "calendar");
        o = json_of(&r);
        json_object *moved;
        ASSERT(json_object_object_get_ex(o, "deadlines_moved", &moved));
        ASSERT(json_object_get_int(moved) > 0);
        json_object_put(o);
        resp_free(&r);
        o = get_json(&t, theirs, ad.token);
        const char *due2 = jstr(o, "due");
        ASSERT(strcmp(due2, due1) > 0);
        json_object_put(o);
        o = get_json(&t, "/api/v1/cases?kind=disclosure&unit=市教育局&per_page=500", ad.token);
        ASSERT_CONTAINS(json_object_to_json_string(o), due2 + 0);
        json_object_put(o);
        /* statistics: the same JSON as `case stats` */
        o = get_json(&t, "/api/v1/cases/stats?kind=consultation&from=2018-11-01&to=2018-11-30",
                     ad.token);
        ASSERT(json_object_object_get_ex(o, "on_time_rate", &moved));
        ASSERT(json_object_object_get_ex(o, "received", &moved));
        ASSERT(json_object_get_int(moved) >= 10);
        json_object_put(o);
        world_free(&w);
        srv_stop(&t);
    }
}

/* ---- exports, panels, sections ------------------------------------------------------- */

TEST(web_lists_exports_panels_sections)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct world w;
        seed(&t, &w);
        struct sess ad, vw, ed;
        login_role(&t, 0, &ad);
        login_role(&t, 3, &vw);
        login_role(&t, 2, &ed);
        struct resp r;
        /* personal data: shown to the office, masked for the viewer, in CSV and XLSX */
        get(&t, "/api/v1/cases?format=csv", ad.token, &r);
        EXPECT_STATUS(&r, 200, "CSV");
        ASSERT(!memcmp(buf_cstr(&r.body), "\xEF\xBB\xBF", 3));
        ASSERT_CONTAINS(buf_cstr(&r.body), "13812345678");
        ASSERT_CONTAINS(header(&r, "Content-Disposition"), "attachment");
        resp_free(&r);
        get(&t, "/api/v1/cases?format=csv", vw.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "138****5678");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "13812345678");
        resp_free(&r);
        /* an editor's export holds their unit only */
        get(&t, "/api/v1/cases?format=csv", ed.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), w.mine);
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), w.theirs);
        resp_free(&r);
        static const char *const xlsx[] = { "/api/v1/cases?format=xlsx",
                                            "/api/v1/findings?format=xlsx&state=all",
                                            "/api/v1/findings?format=csv&state=all" };
        for (int i = 0; i < 3; i++) {
            get(&t, xlsx[i], ad.token, &r);
            EXPECT_STATUS(&r, 200, xlsx[i]);
            if (i < 2) {
                ASSERT(r.body.n > 1000 && !memcmp(r.body.p, "PK", 2));
                ASSERT_CONTAINS(header(&r, "Content-Type"), "spreadsheetml");
            } else {
                ASSERT_CONTAINS(buf_cstr(&r.body), "表述错误");
            }
            resp_free(&r);
        }
        /* the overview: verdicts, findings by unit (chart and table), items due, month */
        get(&t, "/", ad.token, &r);
        const char *home = arena_strdup(t_arena(), buf_cstr(&r.body));
        resp_free(&r);
        static const char *const panels[] = { "id=\"panel-verdicts\"",
                                              "id=\"panel-findings\"",
                                              "id=\"panel-cases-due\"",
                                              "id=\"panel-cases-month\"",
                                              "<svg",
                                              "id=\"findings-by-unit\"",
                                              "id=\"verdicts\"" };
        for (size_t i = 0; i < sizeof(panels) / sizeof(panels[0]); i++)
            ASSERT_CONTAINS(home, panels[i]);
        ASSERT_CONTAINS(home, "已逾期（"); /* overdue items, linked */
        ASSERT_CONTAINS(home, "href=\"/cases/ZX-2018-");
        ASSERT_CONTAINS(home, "href=\"/cases?state=overdue&amp;sort=due\"");
        /* an editor's overview: their unit only, no month statistics */
        get(&t, "/", ed.token, &r);
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), w.theirs);
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "panel-cases-month");
        resp_free(&r);
        /* the site page: verdict history, availability with its chart, open findings */
        get(&t, "/sites/1", ad.token, &r);
        static const char *const sections[] = { "id=\"site-verdicts\"",
                                                "id=\"verdict-history\"",
                                                "id=\"site-availability\"",
                                                "<polyline",
                                                "监测不足",
                                                "id=\"site-findings\"" };
        for (size_t i = 0; i < sizeof(sections) / sizeof(sections[0]); i++)
            ASSERT_CONTAINS(buf_cstr(&r.body), sections[i]);
        resp_free(&r);
        json_object *o = get_json(&t, "/api/v1/sites/1/availability", ad.token), *rule, *v;
        ASSERT(json_object_object_get_ex(o, "rule", &rule));
        ASSERT(json_object_object_get_ex(rule, "probes", &v));
        ASSERT_EQ_INT(json_object_get_int(v), 21);
        ASSERT(json_object_object_get_ex(rule, "failed", &v));
        ASSERT_EQ_INT(json_object_get_int(v), 1);
        ASSERT_EQ_STR(jstr(rule, "status"), "insufficient");
        json_object_put(o);
        o = get_json(&t, "/api/v1/findings/by-unit", ed.token);
        ASSERT(json_object_object_get_ex(o, "items", &v));
        ASSERT_EQ_INT(json_object_array_length(v), 1); /* the editor's unit only */
        json_object_put(o);
        o = get_json(&t, "/api/v1/verdicts?site=1", ad.token);
        ASSERT(json_object_object_get_ex(o, "items", &v));
        ASSERT_EQ_INT(json_object_array_length(v), 1);
        json_object_put(o);
        /* /metrics counts open and overdue items and findings by state */
        get(&t, "/metrics", NULL, &r);
        int64_t open = count(t.db, "SELECT COUNT(*) FROM cases WHERE closed_at IS NULL");
        ASSERT_CONTAINS(buf_cstr(&r.body),
                        arena_fmt(t_arena(), "govsite_cases_open %lld\n", (long long)open));
        const char *od = strstr(buf_cstr(&r.body), "\ngovsite_cases_overdue ");
        int64_t overdue = -1;
        ASSERT(od);
        ASSERT(cstr_to_i64(arena_strndup(t_arena(), od + 23, strcspn(od + 23, "\n")), &overdue));
        ASSERT(overdue > 0 && overdue <= open);
        ASSERT_CONTAINS(buf_cstr(&r.body), "govsite_findings{state=\"open\"} 2\n");
        resp_free(&r);
        world_free(&w);
        srv_stop(&t);
    }
}

/* ---- 设置 › 已关停网址 ----------------------------------------------------------------------- */

static struct conf retired_conf;

static void retired_tweak(struct web_conf *c)
{
    conf_init(&retired_conf);
    conf_set(&retired_conf, "checks", "retired", "cfg.old.test");
    c->conf = &retired_conf;
}

TEST(web_settings_retired)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start_with(&t, b, retired_tweak);
        struct sess s;
        login_role(&t, 0, &s);
        struct resp r;
        post_body(&t, &s, "/api/v1/settings/retired",
                  "{\"target\":\"WWW.GDBS.gov.cn\",\"note\":\"原网上办事大厅\"}", 200, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"target\":\"www.gdbs.gov.cn\"");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"source\":\"config\"");
        resp_free(&r);
        post_body(&t, &s, "/api/v1/settings/retired", "{\"target\":\"not a host\"}", 400, &r);
        resp_free(&r);
        post_body(&t, &s, "/api/v1/settings/retired", "{}", 400, &r);
        resp_free(&r);
        /* the configuration's entries are shown, not removable here */
        post_body(&t, &s, "/api/v1/settings/retired/remove", "{\"target\":\"cfg.old.test\"}", 404,
                  &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "configuration");
        resp_free(&r);
        get(&t, "/settings/retired", s.token, &r);
        EXPECT_STATUS(&r, 200, "/settings/retired");
        ASSERT_CONTAINS(buf_cstr(&r.body), "www.gdbs.gov.cn");
        ASSERT_CONTAINS(buf_cstr(&r.body), "cfg.old.test");
        ASSERT_CONTAINS(buf_cstr(&r.body), "原网上办事大厅");
        resp_free(&r);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM retired_targets"), 1);
        post_body(&t, &s, "/api/v1/settings/retired/remove", "{\"target\":\"www.gdbs.gov.cn\"}",
                  200, &r);
        resp_free(&r);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM retired_targets"), 0);
        srv_stop(&t);
        conf_release(&retired_conf);
    }
}
