/* test_web.c - `serve` in process on 127.0.0.1 port 0, driven with libcurl, on every
 * backend: the authorization matrix (role × resource × read/write, sessions and tokens),
 * CSRF, escaping, SQL metacharacters, session expiry, login throttling, tokens, limits,
 * pagination, metrics; plus the pure helpers (route patterns, form parsing, charts). */
#include <curl/curl.h>
#include <json-c/json.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/notes.h"
#include "reg/reg.h"
#include "test.h"
#include "tstore.h"
#include "web/auth.h"
#include "web/metrics.h"
#include "web/web.h"
#include "web/web_int.h" /* web__match: the route pattern matcher */

#include "tweb.h"

/* ---- the authorization matrix -------------------------------------------------------- */

static const struct tw_cell matrix[] = {
    { "GET", "/api/v1/sites", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/sites/1", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/sites/1/columns", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/units", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/session", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/users", NULL, NULL, { 200, 403, 403, 403 }, 401 },
    { "GET", "/api/v1/users/1", NULL, NULL, { 200, 403, 403, 403 }, 401 },
    { "POST",
      "/api/v1/users",
      "application/json",
      "{\"name\":\"new-%s\",\"role\":\"viewer\",\"password\":\"12345678\"}",
      { 201, 403, 403, 403 },
      401 },
    { "PATCH",
      "/api/v1/users/4",
      "application/json",
      "{\"unit\":\"市教育局\"}",
      { 200, 403, 403, 403 },
      401 },
    { "GET", "/", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/sites", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/sites/1", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/units", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/users", NULL, NULL, { 200, 403, 403, 403 }, 303 },
    { "GET", "/users/new", NULL, NULL, { 200, 403, 403, 403 }, 303 },
    { "GET", "/users/1", NULL, NULL, { 200, 403, 403, 403 }, 303 },
    { "POST",
      "/users",
      "application/x-www-form-urlencoded",
      "name=form-%s&role=viewer&unit=&password=12345678&password2=12345678",
      { 303, 403, 403, 403 },
      303 },
    { "POST",
      "/users/4",
      "application/x-www-form-urlencoded",
      "role=viewer&unit=%%E5%%B8%%82%%E6%%95%%99%%E8%%82%%B2%%E5%%B1%%80",
      { 303, 403, 403, 403 },
      303 },
    /* 报告: admins and supervisors (the bulletin covers every unit) */
    { "GET", "/reports", NULL, NULL, { 200, 200, 403, 403 }, 303 },
    { "GET", "/reports/monthly?month=2018-11&as_of=2018-12-01&format=md", NULL, NULL,
      { 200, 200, 403, 403 }, 303 },
    { "GET", "/reports/annual?year=2018&form=disclosure&format=md", NULL, NULL,
      { 200, 200, 403, 403 }, 303 },
    { "POST",
      "/api/v1/reports/monthly",
      "application/json",
      "{\"month\":\"2018-11\",\"as_of\":\"2018-12-01\",\"format\":\"md\"}",
      { 200, 200, 403, 403 },
      401 },
    { "POST",
      "/api/v1/reports/annual",
      "application/json",
      "{\"year\":2018,\"form\":\"supervision\",\"format\":\"xlsx\"}",
      { 200, 200, 403, 403 },
      401 },
    { "GET", "/healthz", NULL, NULL, { 200, 200, 200, 200 }, 200 },
    { "GET", "/metrics", NULL, NULL, { 200, 200, 200, 200 }, 200 },
};

/* Account names made by the matrix's writes carry who made them ("new-admin-s"). */
static void fill_who(const struct tw_cell *c, const char *who, void *ctx, const char **path,
                     char *body, size_t cap)
{
    (void)ctx, (void)path;
    if (!c->body)
        return;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(body, cap, c->body, who);
#pragma GCC diagnostic pop
}

static void run_matrix(struct tsrv *t, bool tokens)
{
    tw_run_matrix(t, matrix, sizeof(matrix) / sizeof(matrix[0]), tokens, fill_who, NULL, NULL);
    /* every refusal of a signed-in user was audited */
    ASSERT(count(t->db, "SELECT COUNT(*) FROM audit_log WHERE action = 'denied' AND detail = "
                        "'role not allowed'") > 0);
}

TEST(web_authorization_matrix_sessions)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        run_matrix(&t, false);
        /* the created accounts exist; the refused ones do not */
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM users WHERE name = 'new-admin-s'"), 1);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM users WHERE name = 'new-viewer-s'"), 0);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM users WHERE name = 'form-admin-s'"), 1);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM users WHERE name LIKE 'form-%' AND name "
                                  "<> 'form-admin-s'"),
                      0);
        srv_stop(&t);
    }
}

TEST(web_authorization_matrix_tokens)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        run_matrix(&t, true);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM users WHERE name = 'new-admin-t'"), 1);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM users WHERE name = 'new-editor-t'"), 0);
        srv_stop(&t);
    }
}

/* ---- CSRF ---------------------------------------------------------------------------- */

TEST(web_csrf_required_for_cookie_writes)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct sess s;
        login_role(&t, 0, &s);
        const char *json = "{\"name\":\"c1\",\"role\":\"viewer\",\"password\":\"12345678\"}";
        struct resp r;
        /* no token, a wrong token, a token of another session: refused */
        struct sess other;
        login_role(&t, 0, &other);
        const char *bad[] = { NULL, "0000", other.csrf };
        for (int i = 0; i < 3; i++) {
            http(&t,
                 &(struct call){ .method = "POST",
                                 .path = "/api/v1/users",
                                 .session = s.token,
                                 .csrf = bad[i],
                                 .ctype = "application/json",
                                 .body = json },
                 &r);
            EXPECT_STATUS(&r, 403, "POST without the right CSRF token");
            ASSERT_CONTAINS(buf_cstr(&r.body), "CSRF");
            resp_free(&r);
        }
        /* form without the field, then with it */
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/logout",
                             .session = s.token,
                             .ctype = "application/x-www-form-urlencoded",
                             .body = "x=1" },
             &r);
        EXPECT_STATUS(&r, 403, "logout without CSRF");
        resp_free(&r);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM users WHERE name = 'c1'"), 0);
        ASSERT(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'denied' AND detail "
                           "LIKE '%CSRF%'") >= 4);
        /* the right token in the header works; a bearer token needs none */
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/api/v1/users",
                             .session = s.token,
                             .csrf = s.csrf,
                             .ctype = "application/json",
                             .body = json },
             &r);
        EXPECT_STATUS(&r, 201, "POST with the CSRF header");
        resp_free(&r);
        /* cross-origin login is refused; same-origin and origin-less are fine */
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/api/v1/session",
                             .ctype = "application/json",
                             .body = "{\"name\":\"admin\",\"password\":\"password-admin\"}",
                             .extra = "Origin: http://evil.test" },
             &r);
        EXPECT_STATUS(&r, 403, "cross-origin login");
        resp_free(&r);
        /* logout with the form field ends the session */
        char body[128];
        snprintf(body, sizeof(body), "csrf=%s", s.csrf);
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/logout",
                             .session = s.token,
                             .ctype = "application/x-www-form-urlencoded",
                             .body = body },
             &r);
        EXPECT_STATUS(&r, 303, "logout with CSRF");
        ASSERT_CONTAINS(header(&r, "Set-Cookie"), "Max-Age=0");
        resp_free(&r);
        http(&t, &(struct call){ .method = "GET", .path = "/api/v1/session", .session = s.token },
             &r);
        EXPECT_STATUS(&r, 401, "session after logout");
        resp_free(&r);
        srv_stop(&t);
    }
}

/* ---- escaping and SQL metacharacters ------------------------------------------------- */

/* One CSV field, quoted (with a leading comma when `comma`). */
static void csv_field(struct buf *b, const char *v, bool comma)
{
    if (comma)
        buf_addc(b, ',');
    buf_addc(b, '"');
    for (const char *p = v; *p; p++) {
        if (*p == '"')
            buf_addc(b, '"');
        buf_addc(b, *p);
    }
    buf_addc(b, '"');
}

static const char *const nasty[] = {
    "<script>alert(1)</script>",
    "O'Brien\"; DROP TABLE units; --",
    "100%_\\ 单位",
};

TEST(web_escaping_and_sql_metacharacters)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        /* a unit, a site and a column named with each nasty string, via the CSV importer */
        struct buf u = BUF_INIT, s = BUF_INIT, c = BUF_INIT;
        buf_adds(&u, "name,short_name,kind,parent\n");
        buf_adds(&s, "name,url,code,unit,type,status\n");
        buf_adds(&c, "site,path,url,unit,class\n");
        for (int i = 0; i < 3; i++) {
            const char *n = nasty[i];
            const char *site = arena_fmt(t_arena(), "%s%d", n, i);
            /* '>' separates path segments, so the script column gets its name below */
            const char *path = arena_fmt(t_arena(), "新闻>%s", i ? n : "脚本栏目");
            csv_field(&u, n, false);
            buf_adds(&u, ",,department,\n");
            csv_field(&s, site, false);
            buf_addf(&s, ",http://n%d.test/,,", i);
            csv_field(&s, n, false);
            buf_adds(&s, ",部门网站,正常运行\n");
            csv_field(&c, site, false);
            csv_field(&c, path, true);
            buf_addf(&c, ",http://n%d.test/x/,", i);
            csv_field(&c, n, false);
            buf_adds(&c, ",动态要闻\n");
        }
        import(t.db, REG_UNITS, u.p);
        import(t.db, REG_SITES, s.p);
        import(t.db, REG_COLUMNS, c.p);
        struct err e = { 0 };
        ASSERT_OK(store_exec(t.db, &e, "UPDATE site_columns SET name = ? WHERE path = ?", "tt",
                             nasty[0], "新闻>脚本栏目"),
                  &e);
        buf_release(&u);
        buf_release(&s);
        buf_release(&c);
        /* tables survived, rows are there */
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM units"), 6);
        struct sess ss;
        login_role(&t, 0, &ss);
        /* and an account named with each, through the API */
        for (int i = 0; i < 3; i++) {
            struct buf body = BUF_INIT;
            struct jw w;
            jw_init(&w, &body, false);
            jw_obj(&w);
            jw_kstr(&w, "name", nasty[i]);
            jw_kstr(&w, "role", "editor");
            jw_kstr(&w, "unit", nasty[i]);
            jw_kstr(&w, "password", "pw-'\";--<>");
            jw_end(&w);
            jw_finish(&w);
            struct resp r;
            http(&t,
                 &(struct call){ .method = "POST",
                                 .path = "/api/v1/users",
                                 .session = ss.token,
                                 .csrf = ss.csrf,
                                 .ctype = "application/json",
                                 .body = body.p },
                 &r);
            EXPECT_STATUS(&r, 201, nasty[i]);
            json_object *o = json_of(&r), *v;
            ASSERT(json_object_object_get_ex(o, "name", &v));
            ASSERT_EQ_STR(json_object_get_string(v), nasty[i]);
            ASSERT(json_object_object_get_ex(o, "unit", &v));
            ASSERT_EQ_STR(json_object_get_string(v), nasty[i]);
            json_object_put(o);
            resp_free(&r);
            buf_release(&body);
            /* the account can log in with its metacharacter password */
            struct sess x;
            char lb[512];
            struct buf lj = BUF_INIT;
            struct jw lw;
            jw_init(&lw, &lj, false);
            jw_obj(&lw);
            jw_kstr(&lw, "name", nasty[i]);
            jw_kstr(&lw, "password", "pw-'\";--<>");
            jw_end(&lw);
            jw_finish(&lw);
            snprintf(lb, sizeof(lb), "%s", lj.p);
            buf_release(&lj);
            http(&t,
                 &(struct call){ .method = "POST",
                                 .path = "/api/v1/session",
                                 .ctype = "application/json",
                                 .body = lb },
                 &r);
            EXPECT_STATUS(&r, 201, "login with metacharacters");
            (void)x;
            resp_free(&r);
        }
        /* every page showing them renders them inert */
        static const char *const pages[] = { "/units",   "/sites", "/sites/4", "/sites/5",
                                             "/sites/6", "/users", "/users/5", "/" };
        for (size_t i = 0; i < sizeof(pages) / sizeof(pages[0]); i++) {
            struct resp r;
            http(&t, &(struct call){ .method = "GET", .path = pages[i], .session = ss.token }, &r);
            EXPECT_STATUS(&r, 200, pages[i]);
            ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "<script>alert");
            ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "O'Brien");
            if (!strcmp(pages[i], "/units") || !strcmp(pages[i], "/sites") ||
                !strcmp(pages[i], "/sites/4") || !strcmp(pages[i], "/users") ||
                !strcmp(pages[i], "/users/5"))
                ASSERT_CONTAINS(buf_cstr(&r.body), "&lt;script&gt;alert(1)&lt;/script&gt;");
            resp_free(&r);
        }
        /* JSON keeps them exact; the search treats %, _ and \ literally */
        struct resp r;
        http(&t,
             &(struct call){
                 .method = "GET", .path = "/api/v1/sites?q=100%25_%5C", .session = ss.token },
             &r);
        EXPECT_STATUS(&r, 200, "search with LIKE metacharacters");
        json_object *o = json_of(&r), *items, *total;
        ASSERT(json_object_object_get_ex(o, "total", &total));
        ASSERT_EQ_INT(json_object_get_int(total), 1);
        json_object_object_get_ex(o, "items", &items);
        json_object *name;
        json_object_object_get_ex(json_object_array_get_idx(items, 0), "name", &name);
        ASSERT_EQ_STR(json_object_get_string(name), "100%_\\ 单位2");
        json_object_put(o);
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "</script>");
        resp_free(&r);
        get(&t, "/api/v1/sites/4/columns", ss.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "<script>alert(1)<\\/script>");
        resp_free(&r);
        /* CSV quotes what needs quoting */
        get(&t, "/api/v1/sites?format=csv&q=Brien", ss.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "\r\n\"O'Brien\"\"; DROP TABLE units; --1\",");
        resp_free(&r);
        /* quote-laden query arguments reach SQL only as values */
        http(&t,
             &(struct call){ .method = "GET",
                             .path = "/api/v1/sites?q=%27%20OR%201%3D1%20--",
                             .session = ss.token },
             &r);
        o = json_of(&r);
        json_object_object_get_ex(o, "total", &total);
        ASSERT_EQ_INT(json_object_get_int(total), 0);
        json_object_put(o);
        resp_free(&r);
        srv_stop(&t);
    }
}

/* ---- sessions, throttling, tokens ---------------------------------------------------- */

static void get_session(struct tsrv *t, struct sess *s, long want, const char *what)
{
    struct resp r;
    http(t, &(struct call){ .method = "GET", .path = "/api/v1/session", .session = s->token }, &r);
    EXPECT_STATUS(&r, want, what);
    resp_free(&r);
}

TEST(web_session_idle_and_absolute_expiry)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct sess s;
        login_role(&t, 3, &s);
        get_session(&t, &s, 200, "fresh session");
        t.clk.at += t.conf.auth.idle - 30;
        get_session(&t, &s, 200, "session used just before the idle limit");
        t.clk.at += t.conf.auth.idle + 1;
        get_session(&t, &s, 401, "session idle too long");
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM sessions"), 0);
        /* absolute expiry: active all the time, still ends at max */
        login_role(&t, 3, &s);
        int64_t start = t.clk.at;
        while (t.clk.at + t.conf.auth.idle / 2 < start + t.conf.auth.max) {
            t.clk.at += t.conf.auth.idle / 2;
            get_session(&t, &s, 200, "active session before its absolute end");
        }
        t.clk.at = start + t.conf.auth.max;
        get_session(&t, &s, 401, "session past its absolute end");
        /* the session's token is stored only as a hash */
        login_role(&t, 3, &s);
        char *q =
            arena_fmt(t_arena(), "SELECT COUNT(*) FROM sessions WHERE token_hash = '%s'", s.token);
        ASSERT_EQ_INT(count(t.db, q), 0);
        srv_stop(&t);
    }
}

static void small_ip_limit(struct web_conf *c)
{
    c->auth.max_ip_fails = 8;
}

TEST(web_login_throttling)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start_with(&t, b, small_ip_limit);
        struct sess s;
        for (int i = 0; i < t.conf.auth.max_user_fails; i++)
            ASSERT_EQ_INT(login(&t, "viewer", "wrong-password", NULL), 401);
        /* now even the right password is refused for a while */
        ASSERT_EQ_INT(login(&t, "viewer", "password-viewer", NULL), 429);
        ASSERT(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'login_throttled'") >= 1);
        /* another account from the same address still works below the address limit */
        ASSERT_EQ_INT(login(&t, "editor", "password-editor", &s), 201);
        /* the address limit: 8 failures in all from 127.0.0.1 */
        for (int i = 0; i < 3; i++)
            ASSERT_EQ_INT(login(&t, "nobody", "x-wrong-password", NULL), 401);
        ASSERT_EQ_INT(login(&t, "supervisor", "password-supervisor", NULL), 429);
        /* after the window both clear */
        t.clk.at += t.conf.auth.window + 1;
        ASSERT_EQ_INT(login(&t, "viewer", "password-viewer", &s), 201);
        /* the HTML form shows the refusal in Chinese */
        for (int i = 0; i < t.conf.auth.max_user_fails; i++)
            ASSERT_EQ_INT(login(&t, "admin", "wrong-password", NULL), 401);
        struct resp r;
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/login",
                             .ctype = "application/x-www-form-urlencoded",
                             .body = "name=admin&password=password-admin" },
             &r);
        EXPECT_STATUS(&r, 429, "form login throttled");
        ASSERT_CONTAINS(buf_cstr(&r.body), "登录失败次数过多");
        resp_free(&r);
        srv_stop(&t);
    }
}

TEST(web_tokens_and_disabled_accounts)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        char *tok;
        struct err e = { 0 };
        ASSERT_OK(auth_token_new(t.db, t.ids[1], &t.clk, &tok, &e), &e);
        ASSERT(!strncmp(tok, "gst_", 4) && strlen(tok) == 68);
        char *q =
            arena_fmt(t_arena(), "SELECT COUNT(*) FROM api_tokens WHERE token_hash = '%s'", tok);
        ASSERT_EQ_INT(count(t.db, q), 0);
        struct resp r;
        http(&t, &(struct call){ .method = "GET", .path = "/api/v1/session", .bearer = tok }, &r);
        EXPECT_STATUS(&r, 200, "token");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"auth\":\"token\"");
        resp_free(&r);
        http(&t, &(struct call){ .method = "GET", .path = "/api/v1/sites", .bearer = "gst_nope" },
             &r);
        EXPECT_STATUS(&r, 401, "unknown token");
        resp_free(&r);
        http(&t,
             &(struct call){
                 .method = "GET", .path = "/api/v1/sites", .extra = "Authorization: Basic YTpi" },
             &r);
        EXPECT_STATUS(&r, 401, "basic auth");
        resp_free(&r);
        /* disabling the account revokes its tokens and ends its sessions */
        struct sess s;
        login_role(&t, 1, &s);
        struct auth_user_change ch = { .disabled = 1 };
        ASSERT_OK(auth_user_update(t.db, t.ids[1], &ch, &t.clk, &e), &e);
        http(&t, &(struct call){ .method = "GET", .path = "/api/v1/sites", .bearer = tok }, &r);
        EXPECT_STATUS(&r, 401, "token of a disabled account");
        resp_free(&r);
        get_session(&t, &s, 401, "session of a disabled account");
        ASSERT_EQ_INT(login(&t, "supervisor", "password-supervisor", NULL), 401);
        free(tok);
        /* admins cannot lock themselves out */
        struct sess a;
        login_role(&t, 0, &a);
        http(&t,
             &(struct call){ .method = "PATCH",
                             .path = "/api/v1/users/1",
                             .session = a.token,
                             .csrf = a.csrf,
                             .ctype = "application/json",
                             .body = "{\"disabled\":true}" },
             &r);
        EXPECT_STATUS(&r, 400, "disable yourself");
        resp_free(&r);
        /* an editor needs a unit */
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/api/v1/users",
                             .session = a.token,
                             .csrf = a.csrf,
                             .ctype = "application/json",
                             .body = "{\"name\":\"e2\",\"role\":\"editor\",\"password\":"
                                     "\"12345678\"}" },
             &r);
        EXPECT_STATUS(&r, 400, "editor without unit");
        resp_free(&r);
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/api/v1/users",
                             .session = a.token,
                             .csrf = a.csrf,
                             .ctype = "application/json",
                             .body = "{\"name\":\"admin\",\"role\":\"viewer\",\"password\":"
                                     "\"12345678\"}" },
             &r);
        EXPECT_STATUS(&r, 409, "duplicate name");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"code\":\"CONFLICT\"");
        resp_free(&r);
        srv_stop(&t);
    }
}

/* ---- the unit scope ------------------------------------------------------------------ */

TEST(web_scope_check_hides_other_units)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct auth_user ed = {
            .id = t.ids[2], .name = "editor", .role = ROLE_EDITOR, .unit_id = 2
        };
        struct auth_user sup = { .id = t.ids[1], .name = "supervisor", .role = ROLE_SUPERVISOR };
        struct web_req r;
        memset(&r, 0, sizeof(r));
        r.db = t.db;
        r.clk = &t.clk;
        r.method = "GET";
        r.path = "/api/v1/findings/7";
        r.ip = "127.0.0.1";
        r.user = &ed;
        ASSERT_EQ_INT(web_scope_unit(&r), 2);
        ASSERT_RC(web_scope_check(&r, 2, "finding 7"), RC_OK);
        ASSERT_RC(web_scope_check(&r, 3, "finding 7"), RC_NOTFOUND);
        ASSERT_CONTAINS(err_msg(&r.err), "not found");
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'denied' AND "
                                  "path = '/api/v1/findings/7'"),
                      1);
        r.user = &sup;
        err_clear(&r.err);
        ASSERT_EQ_INT(web_scope_unit(&r), 0);
        ASSERT_RC(web_scope_check(&r, 3, "finding 7"), RC_OK);
        arena_release(&r.a);
        srv_stop(&t);
    }
}

/* ---- requests, lists, errors, metrics ------------------------------------------------ */

TEST(web_pagination_filters_and_errors)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct sess s;
        login_role(&t, 3, &s);
        struct resp r;
        http(&t,
             &(struct call){
                 .method = "GET", .path = "/api/v1/sites?per_page=2&page=2", .session = s.token },
             &r);
        EXPECT_STATUS(&r, 200, "page 2");
        ASSERT_EQ_STR(header(&r, "X-Total-Count"), "3");
        ASSERT_CONTAINS(header(&r, "Link"), "rel=\"prev\"");
        json_object *o = json_of(&r), *v;
        json_object_object_get_ex(o, "items", &v);
        ASSERT_EQ_INT(json_object_array_length(v), 1);
        json_object_object_get_ex(o, "pages", &v);
        ASSERT_EQ_INT(json_object_get_int(v), 2);
        json_object_put(o);
        resp_free(&r);
        static const struct {
            const char *path;
            int status;
            const char *code;
        } bad[] = {
            { "/api/v1/sites?per_page=0", 400, "INVALID" },
            { "/api/v1/sites?page=x", 400, "INVALID" },
            { "/api/v1/sites?status=bogus", 400, "INVALID" },
            { "/api/v1/sites?unit=nonexistent", 400, "INVALID" },
            { "/api/v1/sites/999", 404, "NOTFOUND" },
            { "/api/v1/sites/0", 404, "NOTFOUND" },
            { "/api/v1/sites/1x/columns", 404, "NOTFOUND" },
            { "/api/v1/nothing", 404, "NOTFOUND" },
            { "/api/v1/sites/1/columns?class=bogus", 400, "INVALID" },
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            http(&t, &(struct call){ .method = "GET", .path = bad[i].path, .session = s.token },
                 &r);
            EXPECT_STATUS(&r, bad[i].status, bad[i].path);
            ASSERT_CONTAINS(buf_cstr(&r.body),
                            arena_fmt(t_arena(), "{\"error\":{\"code\":\"%s\"", bad[i].code));
            resp_free(&r);
        }
        /* the list as a CSV download: BOM, header, the filtered rows, a UTF-8 filename */
        http(&t,
             &(struct call){ .method = "GET",
                             .path = "/api/v1/sites?format=csv&status=临时关停",
                             .session = s.token },
             &r);
        EXPECT_STATUS(&r, 200, "csv");
        ASSERT_CONTAINS(header(&r, "Content-Type"), "text/csv");
        ASSERT_CONTAINS(header(&r, "Content-Disposition"),
                        "attachment; filename=\"__.csv\"; filename*=UTF-8''%E7%BD%91%E7%AB%99.csv");
        ASSERT_EQ_STR(buf_cstr(&r.body),
                      "\xEF\xBB\xBFname,url,code,unit,type,status,icp,psb,columns\r\n"
                      "示范市教育局网站,http://jyj.shifan.test/,4404990003,"
                      "市教育局,部门网站,临时关停,,,0\r\n");
        resp_free(&r);
        http(&t,
             &(struct call){
                 .method = "GET", .path = "/api/v1/sites?format=xml", .session = s.token },
             &r);
        EXPECT_STATUS(&r, 400, "unknown format");
        resp_free(&r);
        /* filters */
        http(&t,
             &(struct call){
                 .method = "GET", .path = "/api/v1/sites?status=临时关停", .session = s.token },
             &r);
        ASSERT_EQ_STR(header(&r, "X-Total-Count"), "1");
        resp_free(&r);
        http(&t,
             &(struct call){ .method = "GET",
                             .path = "/api/v1/sites/1/columns?unit=市交通局",
                             .session = s.token },
             &r);
        o = json_of(&r);
        json_object_object_get_ex(o, "items", &v);
        ASSERT_EQ_INT(json_object_array_length(v), 1);
        json_object *col = json_object_array_get_idx(v, 0), *f;
        json_object_object_get_ex(col, "path", &f);
        ASSERT_EQ_STR(json_object_get_string(f), "民生>主题服务>交通服务");
        json_object_object_get_ex(col, "urls", &f);
        ASSERT_EQ_STR(json_object_get_string(json_object_array_get_idx(f, 0)),
                      "http://www.shifan.test/jt/");
        json_object_put(o);
        resp_free(&r);
        /* method not allowed, HTML 404 in Chinese */
        http(&t, &(struct call){ .method = "PUT", .path = "/api/v1/sites", .session = s.token },
             &r);
        EXPECT_STATUS(&r, 405, "PUT");
        ASSERT_CONTAINS(header(&r, "Allow"), "GET");
        resp_free(&r);
        http(&t, &(struct call){ .method = "GET", .path = "/nowhere", .session = s.token }, &r);
        EXPECT_STATUS(&r, 404, "page 404");
        ASSERT_CONTAINS(buf_cstr(&r.body), "页面不存在");
        resp_free(&r);
        /* HEAD answers like GET without a body */
        http(&t, &(struct call){ .method = "HEAD", .path = "/healthz" }, &r);
        EXPECT_STATUS(&r, 200, "HEAD");
        ASSERT_EQ_INT(r.body.n, 0);
        resp_free(&r);
        srv_stop(&t);
    }
}

TEST(web_request_bodies_are_capped_and_checked)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct sess s;
        login_role(&t, 0, &s);
        static const struct {
            const char *body;
            int status;
        } bad[] = {
            { "{\"name\":", 400 },
            { "[1,2]", 400 },
            { "{\"name\":1,\"role\":\"viewer\",\"password\":\"12345678\"}", 400 },
            { "{} trailing", 400 },
            { "", 400 },
            { "{\"a\":[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]}", 400 },
            { "{\"name\":\"\xff\xfe\",\"role\":\"viewer\"}", 400 },
        };
        struct resp r;
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            http(&t,
                 &(struct call){ .method = "POST",
                                 .path = "/api/v1/users",
                                 .session = s.token,
                                 .csrf = s.csrf,
                                 .ctype = "application/json",
                                 .body = bad[i].body },
                 &r);
            EXPECT_STATUS(&r, bad[i].status, bad[i].body);
            ASSERT_CONTAINS(buf_cstr(&r.body), "\"error\"");
            resp_free(&r);
        }
        /* over the cap: 413 before or while reading */
        size_t n = t.conf.max_body + 10;
        char *big = malloc(n + 1);
        memset(big, 'a', n);
        big[n] = '\0';
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/api/v1/session",
                             .ctype = "application/json",
                             .body = big },
             &r);
        EXPECT_STATUS(&r, 413, "oversized body");
        ASSERT_CONTAINS(buf_cstr(&r.body), "LIMIT");
        resp_free(&r);
        free(big);
        /* the server still answers */
        http(&t, &(struct call){ .method = "GET", .path = "/healthz" }, &r);
        EXPECT_STATUS(&r, 200, "healthz after 413");
        resp_free(&r);
        srv_stop(&t);
    }
}

TEST(web_metrics_static_and_headers)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct sess s;
        login_role(&t, 3, &s);
        struct resp r;
        for (int i = 0; i < 3; i++) {
            http(&t, &(struct call){ .method = "GET", .path = "/api/v1/sites", .session = s.token },
                 &r);
            resp_free(&r);
        }
        http(&t, &(struct call){ .method = "GET", .path = "/api/v1/sites" }, &r); /* 401 */
        resp_free(&r);
        http(&t, &(struct call){ .method = "GET", .path = "/metrics" }, &r);
        EXPECT_STATUS(&r, 200, "metrics");
        const char *m = buf_cstr(&r.body);
        ASSERT_CONTAINS(header(&r, "Content-Type"), "text/plain; version=0.0.4");
        ASSERT_CONTAINS(m, "govsite_http_requests_total{route=\"/api/v1/sites\",method=\"GET\","
                           "code=\"2xx\"} 3\n");
        ASSERT_CONTAINS(m, "govsite_http_requests_total{route=\"/api/v1/sites\",method=\"GET\","
                           "code=\"4xx\"} 1\n");
        ASSERT_CONTAINS(m, "# TYPE govsite_http_request_duration_seconds histogram");
        ASSERT_CONTAINS(m, "govsite_http_request_duration_seconds_bucket{route=\"/api/v1/sites\","
                           "method=\"GET\",le=\"+Inf\"} 4\n");
        ASSERT_CONTAINS(m, "govsite_http_request_duration_seconds_count{route=\"/api/v1/sites\","
                           "method=\"GET\"} 4\n");
        ASSERT_CONTAINS(m, "govsite_registry_sites 3\n");
        ASSERT_CONTAINS(m, "govsite_registry_columns 3\n");
        ASSERT_CONTAINS(m, "govsite_users 4\n");
        resp_free(&r);
        /* static assets with validators; security headers everywhere */
        http(&t, &(struct call){ .method = "GET", .path = "/static/app.css" }, &r);
        EXPECT_STATUS(&r, 200, "css");
        ASSERT_CONTAINS(buf_cstr(&r.body), "@media print");
        const char *etag = header(&r, "ETag");
        ASSERT_NOT_NULL(etag);
        ASSERT_CONTAINS(header(&r, "Content-Security-Policy"), "script-src 'self'");
        ASSERT_EQ_STR(header(&r, "X-Content-Type-Options"), "nosniff");
        resp_free(&r);
        http(&t,
             &(struct call){ .method = "GET",
                             .path = "/static/app.css",
                             .extra = arena_fmt(t_arena(), "If-None-Match: %s", etag) },
             &r);
        EXPECT_STATUS(&r, 304, "css not modified");
        resp_free(&r);
        http(&t, &(struct call){ .method = "GET", .path = "/static/..%2f..%2fetc%2fpasswd" }, &r);
        EXPECT_STATUS(&r, 404, "no traversal");
        resp_free(&r);
        srv_stop(&t);
    }
}

TEST(web_pages_login_flow_and_tree)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct resp r;
        http(&t, &(struct call){ .method = "GET", .path = "/sites/1" }, &r);
        EXPECT_STATUS(&r, 303, "anonymous page");
        ASSERT_EQ_STR(header(&r, "Location"), "/login?next=%2Fsites%2F1");
        resp_free(&r);
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/login",
                             .ctype = "application/x-www-form-urlencoded",
                             .body = "name=admin&password=bad-password&next=%2Fsites%2F1" },
             &r);
        EXPECT_STATUS(&r, 401, "bad form login");
        ASSERT_CONTAINS(buf_cstr(&r.body), "用户名或密码错误");
        resp_free(&r);
        /* an open redirect in next is neutralised */
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/login",
                             .ctype = "application/x-www-form-urlencoded",
                             .body = "name=admin&password=password-admin&next=//evil.test/" },
             &r);
        EXPECT_STATUS(&r, 303, "form login");
        ASSERT_EQ_STR(header(&r, "Location"), "/");
        const char *sc = header(&r, "Set-Cookie");
        resp_free(&r);
        char tok[80];
        snprintf(tok, sizeof(tok), "%.*s", 64, strchr(sc, '=') + 1);
        http(&t, &(struct call){ .method = "GET", .path = "/sites/1", .session = tok }, &r);
        EXPECT_STATUS(&r, 200, "site page");
        const char *h = buf_cstr(&r.body);
        /* the tree: group rows for 民生 and 主题服务, the column at depth 2 */
        ASSERT_CONTAINS(h, "<tr class=\"group\" data-depth=\"0\"><td class=\"tree d0\" "
                           "colspan=\"6\">民生</td></tr>");
        ASSERT_CONTAINS(h, "<tr class=\"group\" data-depth=\"1\"><td class=\"tree d1\" "
                           "colspan=\"6\">主题服务</td></tr>");
        ASSERT_CONTAINS(h, "<tr class=\"col st-unchecked\" data-depth=\"2\">");
        ASSERT_CONTAINS(h, "http://www.shifan.test/jt/");
        ASSERT_CONTAINS(h, "市交通局");
        resp_free(&r);
        http(&t, &(struct call){ .method = "GET", .path = "/units", .session = tok }, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body),
                        "<tr data-depth=\"1\"><td class=\"tree d1\">示范市交通运输局");
        resp_free(&r);
        srv_stop(&t);
    }
}

/* ---- pure helpers -------------------------------------------------------------------- */

TEST(web_route_patterns)
{
    struct web_req r;
    memset(&r, 0, sizeof(r));
    /* clang-format off */
    static const struct { const char *pat, *path; bool ok; const char *param; } cases[] = {
        { "/api/v1/sites", "/api/v1/sites", true, NULL },
        { "/api/v1/sites", "/api/v1/sites/", false, NULL },
        { "/api/v1/sites/{id}", "/api/v1/sites/12", true, "12" },
        { "/api/v1/sites/{id}", "/api/v1/sites/", false, NULL },
        { "/api/v1/sites/{id}", "/api/v1/sites/1/columns", false, NULL },
        { "/api/v1/sites/{id}/columns", "/api/v1/sites/7/columns", true, "7" },
        { "/static/{name}", "/static/app.css", true, "app.css" },
        { "/", "/", true, NULL },
        { "/", "", false, NULL },
        { "/cases/{number+}", "/cases/YSQ-2018-0001", true, "YSQ-2018-0001" },
        { "/cases/{number+}", "/cases/2018/001/x", true, "2018/001/x" },
        { "/cases/{number+}", "/cases/", false, NULL },
        { "/cases/{number+}/events", "/cases/2018/001/events", true, "2018/001" },
        { "/cases/{number+}/events", "/cases/events", false, NULL },
        { "/cases/{number+}/events", "/cases//events", false, NULL },
        { "/cases/{number+}/events", "/cases///events", true, "/" },
        { "/cases/{number+}/events", "/cases/x/event", false, NULL },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        r.nparams = 0;
        bool ok = web__match(cases[i].pat, cases[i].path, &r);
        if (ok != cases[i].ok)
            t_fail(__FILE__, __LINE__, "%s ~ %s", cases[i].pat, cases[i].path);
        if (ok && cases[i].param)
            ASSERT_EQ_STR(r.params[0].v, cases[i].param);
    }
    /* every route in the table is well formed and unique */
    for (size_t i = 0; i < web_nroutes; i++) {
        ASSERT(routes[i].pattern[0] == '/');
        ASSERT_NOT_NULL(routes[i].fn);
        if (strcmp(routes[i].method, "GET"))
            ASSERT(routes[i].mutates);
        for (size_t j = i + 1; j < web_nroutes; j++)
            ASSERT(strcmp(routes[i].pattern, routes[j].pattern) ||
                   strcmp(routes[i].method, routes[j].method));
    }
    arena_release(&r.a);
}

TEST(web_urlencoded_parsing)
{
    struct web_kv kv[8];
    struct arena *a = t_arena();
    /* clang-format off */
    static const struct { const char *in; size_t n; const char *k0, *v0, *k1, *v1; } cases[] = {
        { "a=1&b=2", 2, "a", "1", "b", "2" },
        { "name=%E5%B8%82+x&", 1, "name", "市 x", NULL, NULL },
        { "&&k&=v", 2, "k", "", "", "v" },
        { "x=%zz%4", 1, "x", "%zz%4", NULL, NULL },
        { "x=%00y", 1, "x", "", NULL, NULL },
        { "x=%ff", 1, "x", "\xEF\xBF\xBD", NULL, NULL },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        size_t n = web_urlencoded_parse(a, cases[i].in, strlen(cases[i].in), kv, 8);
        ASSERT_EQ_INT(n, cases[i].n);
        ASSERT_EQ_STR(kv[0].k, cases[i].k0);
        ASSERT_EQ_STR(kv[0].v, cases[i].v0);
        if (cases[i].k1) {
            ASSERT_EQ_STR(kv[1].k, cases[i].k1);
            ASSERT_EQ_STR(kv[1].v, cases[i].v1);
        }
    }
    ASSERT_EQ_INT(web_urlencoded_parse(a, "a&b&c&d", 7, kv, 2), 2);
}

TEST(web_svg_charts_escape_and_scale)
{
    const char *labels[] = { "<b>x</b>", "区&县" };
    double v1[] = { 3, 7 }, v2[] = { 1, NAN };
    struct web_series s[] = { { "新增\"", v1 }, { "整改", v2 } };
    struct web_chart c = { .title = "t<'>", .labels = labels, .n = 2, .series = s, .nseries = 2 };
    struct buf b = BUF_INIT;
    web_svg_bar(&b, &c);
    ASSERT_CONTAINS(b.p, "&lt;b&gt;x&lt;/b&gt;");
    ASSERT_CONTAINS(b.p, "区&amp;县");
    ASSERT_CONTAINS(b.p, "aria-label=\"t&lt;&#39;&gt;\"");
    ASSERT_NOT_CONTAINS(b.p, "<b>");
    ASSERT_CONTAINS(b.p, ">10</text>");  /* axis rounded up from 7 */
    ASSERT_NOT_CONTAINS(b.p, "rotate("); /* short labels stay level */
    const char *longl[] = { "信息公开目录信息公开目录", "互动交流互动交流互动交流" };
    c.labels = longl;
    c.width = 200;
    buf_reset(&b);
    web_svg_bar(&b, &c);
    ASSERT_CONTAINS(b.p, "rotate(-30");
    buf_reset(&b);
    web_svg_line(&b, &c);
    ASSERT_CONTAINS(b.p, "<polyline");
    ASSERT_NOT_CONTAINS(b.p, "nan");
    buf_release(&b);
}

TEST(web_passwords_and_roles)
{
    char *h = NULL;
    struct err e = { 0 };
    ASSERT_OK(auth_password_hash("correct horse", &h, &e), &e);
    ASSERT(!strncmp(h, "$argon2id$v=19$m=19456,t=2,p=1$", 31));
    ASSERT(auth_password_verify(h, "correct horse"));
    ASSERT(!auth_password_verify(h, "correct horsE"));
    char *h2 = NULL;
    ASSERT_OK(auth_password_hash("correct horse", &h2, &e), &e);
    ASSERT(strcmp(h, h2)); /* random salt */
    free(h);
    free(h2);
    ASSERT_RC(auth_password_hash("short", &h, NULL), RC_INVALID);
    ASSERT_RC(auth_password_check("tab\there!", NULL), RC_INVALID);
    ASSERT_EQ_INT(auth_role_parse("督查员"), ROLE_SUPERVISOR);
    ASSERT_EQ_INT(auth_role_parse("Editor"), ROLE_EDITOR);
    ASSERT_EQ_INT(auth_role_parse("root"), 0);
    ASSERT_RC(auth_name_check(" x", NULL), RC_INVALID);
    ASSERT_RC(auth_name_check("a\nb", NULL), RC_INVALID);
    ASSERT_RC(auth_name_check("张三 O'Brien", NULL), RC_OK);
    ASSERT(auth_secret_eq("abc", "abc"));
    ASSERT(!auth_secret_eq("abc", "abd"));
    ASSERT(!auth_secret_eq("", ""));
    ASSERT(!auth_secret_eq(NULL, "a"));
    char h64[65];
    auth_sha256_hex("abc", h64);
    ASSERT_EQ_STR(h64, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
}

/* 报告: the bulletin through the API and the page's download, the nav entry by role, and
 * bad input answered 400 with the reason. */
TEST(web_reports_download)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct sess s, ed;
        login_role(&t, 1, &s); /* supervisor */
        login_role(&t, 2, &ed);
        struct resp r;
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/api/v1/reports/monthly",
                             .session = s.token,
                             .csrf = s.csrf,
                             .ctype = "application/json",
                             .body = "{\"month\":\"2018-11\",\"as_of\":\"2018-12-01\","
                                     "\"format\":\"md\"}" },
             &r);
        EXPECT_STATUS(&r, 200, "the bulletin as Markdown");
        ASSERT_CONTAINS(header(&r, "Content-Type"), "text/markdown");
        ASSERT_CONTAINS(header(&r, "Content-Disposition"), "attachment");
        ASSERT_CONTAINS(header(&r, "Content-Disposition"), ".md");
        ASSERT_CONTAINS(buf_cstr(&r.body), "2018年11月份");
        ASSERT_CONTAINS(buf_cstr(&r.body), "内容保障情况");
        resp_free(&r);
        get(&t, "/reports/monthly?month=2018-11&format=docx", s.token, &r);
        EXPECT_STATUS(&r, 200, "the bulletin as DOCX");
        ASSERT(r.body.n > 4 && !memcmp(r.body.p, "PK\x03\x04", 4));
        resp_free(&r);
        static const char *const bad[] = {
            "{\"month\":\"2018-13\"}",
            "{\"month\":\"2018-11\",\"format\":\"pdf\"}",
            "{\"month\":\"2018-11\",\"as_of\":\"2018-11-02\"}",
        };
        for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
            http(&t,
                 &(struct call){ .method = "POST",
                                 .path = "/api/v1/reports/monthly",
                                 .session = s.token,
                                 .csrf = s.csrf,
                                 .ctype = "application/json",
                                 .body = bad[i] },
                 &r);
            EXPECT_STATUS(&r, 400, bad[i]);
            resp_free(&r);
        }
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/api/v1/reports/annual",
                             .session = s.token,
                             .csrf = s.csrf,
                             .ctype = "application/json",
                             .body = "{\"year\":2018,\"form\":\"disclosure\",\"format\":\"html\"}" },
             &r);
        EXPECT_STATUS(&r, 200, "the disclosure table as HTML");
        ASSERT_CONTAINS(buf_cstr(&r.body), "结转下年度继续办理");
        resp_free(&r);
        /* the nav entry: staff see 报告, editors do not */
        get(&t, "/", s.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "href=\"/reports\"");
        resp_free(&r);
        get(&t, "/", ed.token, &r);
        ASSERT(!strstr(buf_cstr(&r.body), "href=\"/reports\""));
        resp_free(&r);
        srv_stop(&t);
    }
}
