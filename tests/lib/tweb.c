/* tweb.c - the in-process test server and its client (tweb.h). */
#include <curl/curl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/notes.h"
#include "tweb.h"

const char tw_units_csv[] = "name,short_name,kind,parent\n"
                            "示范市人民政府办公室,市政府办公室,office,\n"
                            "示范市交通运输局,市交通局,department,示范市人民政府办公室\n"
                            "示范市教育局,市教育局,department,示范市人民政府办公室\n";
const char tw_sites_csv[] =
    "name,url,code,unit,type,status\n"
    "示范市人民政府门户网站,http://www.shifan.test/,4404990001,市政府办公室,门户网站,正常运行\n"
    "示范市交通运输局网站,http://jtj.shifan.test/,4404990002,市交通局,部门网站,正常运行\n"
    "示范市教育局网站,http://jyj.shifan.test/,4404990003,市教育局,部门网站,临时关停\n";
const char tw_columns_csv[] =
    "site,path,url,unit,class\n"
    "示范市人民政府门户网站,新闻>示范要闻,http://www.shifan.test/xw/,市政府办公室,动态要闻\n"
    "示范市人民政府门户网站,民生>主题服务>交通服务,http://www.shifan.test/jt/,市交通局,办事服务\n"
    "示范市交通运输局网站,通知公告,http://jtj.shifan.test/tz/,市交通局,通知公告\n";

static enum rc open_cb(void *ctx, struct store **out, struct err *err)
{
    struct tsrv *t = ctx;
    enum rc rc = store_open(t_dsn(t->backend), out, err);
    if (rc || !t->schema[0])
        return rc;
    char sql[160];
    snprintf(sql, sizeof(sql), "SET search_path TO %s", t->schema);
    return store_script(*out, sql, err);
}

void import(struct store *db, enum reg_table tb, const char *csv)
{
    struct reg_import_result r;
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    ASSERT_OK(reg_import_mem(db, tb, "t.csv", csv, strlen(csv), t_clk(), &r, &bad, &e), &e);
    notes_release(&bad);
}

const char *const role_names[] = { "admin", "supervisor", "editor", "viewer" };

void srv_start_with(struct tsrv *t, int b, void (*tweak)(struct web_conf *))
{
    memset(t, 0, sizeof(*t));
    t->backend = b;
    t->db = t_open(b);
    t->clk = *t_clk();
    if (store_kind(t->db) == STORE_PG) {
        char *cur = NULL;
        ASSERT_OK(store_get_text(t->db, &cur, NULL, "SELECT current_schema()", ""), NULL);
        snprintf(t->schema, sizeof(t->schema), "%s", cur);
        free(cur);
    }
    import(t->db, REG_UNITS, tw_units_csv);
    import(t->db, REG_SITES, tw_sites_csv);
    import(t->db, REG_COLUMNS, tw_columns_csv);
    for (int i = 0; i < 4; i++) {
        char pw[64];
        snprintf(pw, sizeof(pw), "password-%s", role_names[i]);
        struct auth_user_new u = { .name = role_names[i],
                                   .role = 1u << i,
                                   .unit = i == 2 ? "市交通局" : NULL,
                                   .password = pw };
        struct err e = { 0 };
        ASSERT_OK(auth_user_add(t->db, &u, &t->clk, &t->ids[i], &e), &e);
    }
    web_conf_init(&t->conf);
    t->conf.listen = "127.0.0.1:0";
    t->conf.threads = 2;
    t->conf.clk = &t->clk;
    t->conf.open_db = open_cb;
    t->conf.open_ctx = t;
    t->conf.max_body = 64 * 1024;
    if (tweak)
        tweak(&t->conf);
    struct err e = { 0 };
    ASSERT_OK(web_start(&t->conf, &t->srv, &e), &e);
    snprintf(t->base, sizeof(t->base), "http://127.0.0.1:%d", web_port(t->srv));
}

void srv_start(struct tsrv *t, int b)
{
    srv_start_with(t, b, NULL);
}

void srv_stop(struct tsrv *t)
{
    web_stop(t->srv, 5000);
    t_close(t->db);
}

/* ---- the client ---------------------------------------------------------------------- */

static size_t on_data(char *p, size_t sz, size_t n, void *ud)
{
    buf_add(ud, p, sz * n);
    return sz * n;
}

void http(struct tsrv *t, const struct call *c, struct resp *r)
{
    memset(r, 0, sizeof(*r));
    CURL *h = curl_easy_init();
    char url[1024], line[512];
    snprintf(url, sizeof(url), "%s%s", t->base, c->path);
    struct curl_slist *hl = NULL;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_CUSTOMREQUEST, c->method);
    if (!strcmp(c->method, "HEAD"))
        curl_easy_setopt(h, CURLOPT_NOBODY, 1L);
    if (c->body) {
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, c->body);
        curl_easy_setopt(h, CURLOPT_POSTFIELDSIZE, (long)strlen(c->body));
    }
    if (c->ctype) {
        snprintf(line, sizeof(line), "Content-Type: %s", c->ctype);
        hl = curl_slist_append(hl, line);
    }
    if (c->session) {
        snprintf(line, sizeof(line), "Cookie: govsite_session=%s", c->session);
        hl = curl_slist_append(hl, line);
    }
    if (c->bearer) {
        snprintf(line, sizeof(line), "Authorization: Bearer %s", c->bearer);
        hl = curl_slist_append(hl, line);
    }
    if (c->csrf) {
        snprintf(line, sizeof(line), "X-CSRF-Token: %s", c->csrf);
        hl = curl_slist_append(hl, line);
    }
    if (c->extra)
        hl = curl_slist_append(hl, c->extra);
    hl = curl_slist_append(hl, "Expect:");
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hl);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, &r->body);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_data);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, &r->hdrs);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, 30L);
    CURLcode cc = curl_easy_perform(h);
    if (cc != CURLE_OK)
        t_fail(__FILE__, __LINE__, "%s %s: %s", c->method, c->path, curl_easy_strerror(cc));
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &r->status);
    curl_slist_free_all(hl);
    curl_easy_cleanup(h);
}

void get(struct tsrv *t, const char *path, const char *session, struct resp *r)
{
    http(t, &(struct call){ .method = "GET", .path = path, .session = session }, r);
}

void resp_free(struct resp *r)
{
    buf_release(&r->body);
    buf_release(&r->hdrs);
}

/* A response header's value (arena), or NULL. */
const char *header(struct resp *r, const char *name)
{
    size_t n = strlen(name);
    const char *p = buf_cstr(&r->hdrs);
    while (p && *p) {
        const char *eol = strstr(p, "\r\n");
        if (!eol)
            break;
        if (!strncasecmp(p, name, n) && p[n] == ':') {
            const char *v = p + n + 1;
            while (*v == ' ')
                v++;
            return arena_strndup(t_arena(), v, (size_t)(eol - v));
        }
        p = eol + 2;
    }
    return NULL;
}

json_object *json_of(struct resp *r)
{
    json_object *o = json_tokener_parse(buf_cstr(&r->body));
    if (!o)
        t_fail(__FILE__, __LINE__, "not JSON: %.300s", buf_cstr(&r->body));
    return o;
}

long login(struct tsrv *t, const char *name, const char *pw, struct sess *s)
{
    char body[512];
    snprintf(body, sizeof(body), "{\"name\":\"%s\",\"password\":\"%s\"}", name, pw);
    struct resp r;
    http(t,
         &(struct call){ .method = "POST",
                         .path = "/api/v1/session",
                         .ctype = "application/json",
                         .body = body },
         &r);
    long st = r.status;
    if (st == 201 && s) {
        const char *sc = header(&r, "Set-Cookie");
        ASSERT_NOT_NULL(sc);
        ASSERT_CONTAINS(sc, "HttpOnly");
        ASSERT_CONTAINS(sc, "SameSite=Strict");
        ASSERT_NOT_CONTAINS(sc, "Secure");
        const char *v = strchr(sc, '=') + 1;
        size_t n = strcspn(v, ";");
        snprintf(s->token, sizeof(s->token), "%.*s", (int)n, v);
        json_object *o = json_of(&r), *c;
        ASSERT(json_object_object_get_ex(o, "csrf_token", &c));
        snprintf(s->csrf, sizeof(s->csrf), "%s", json_object_get_string(c));
        json_object_put(o);
    }
    resp_free(&r);
    return st;
}

void login_role(struct tsrv *t, int i, struct sess *s)
{
    char pw[64];
    snprintf(pw, sizeof(pw), "password-%s", role_names[i]);
    if (login(t, role_names[i], pw, s) != 201)
        t_fail(__FILE__, __LINE__, "login as %s failed", role_names[i]);
}

int64_t count(struct store *db, const char *sql)
{
    int64_t n = -1;
    store_get_int(db, &n, NULL, sql, "");
    return n;
}

void tw_run_matrix(struct tsrv *t, const struct tw_cell *cells, size_t n, bool tokens,
                   void (*fill)(const struct tw_cell *c, const char *who, void *ctx,
                                const char **path, char *body, size_t cap),
                   void *ctx, const char *secret)
{
    struct sess s[4];
    char *tok[4];
    for (int i = 0; i < 4; i++) {
        if (tokens) {
            struct err e = { 0 };
            ASSERT_OK(auth_token_new(t->db, t->ids[i], &t->clk, &tok[i], &e), &e);
        } else {
            login_role(t, i, &s[i]);
        }
    }
    for (size_t k = 0; k < n; k++) {
        const struct tw_cell *c = &cells[k];
        bool api = !strncmp(c->path, "/api/", 5);
        if (tokens && !api)
            continue; /* pages are for browsers; tokens are checked on the API */
        bool form = c->ctype && strstr(c->ctype, "urlencoded");
        for (int i = -1; i < 4; i++) {
            char body[1024] = "";
            const char *path = c->path;
            const char *who =
                arena_fmt(t_arena(), "%s-%s", i < 0 ? "anon" : role_names[i], tokens ? "t" : "s");
            if (c->body)
                snprintf(body, sizeof(body), "%s", c->body);
            if (fill)
                fill(c, who, ctx, &path, body, sizeof(body));
            if (form && i >= 0 && !tokens)
                snprintf(body + strlen(body), sizeof(body) - strlen(body), "&csrf=%s", s[i].csrf);
            struct call call = {
                .method = c->method, .path = path, .ctype = c->ctype, .body = c->body ? body : NULL
            };
            if (i >= 0 && tokens) {
                call.bearer = tok[i];
            } else if (i >= 0) {
                call.session = s[i].token;
                if (!form)
                    call.csrf = s[i].csrf;
            }
            struct resp r;
            http(t, &call, &r);
            int want = i < 0 ? c->anon : c->want[i];
            char *what = arena_fmt(t_arena(), "%s %s as %s (%s, %s)", c->method, path,
                                   i < 0 ? "anonymous" : role_names[i],
                                   tokens ? "token" : "session", t_backend_name(t->backend));
            EXPECT_STATUS(&r, want, what);
            if (r.status == 401 || r.status == 403) {
                if (api) {
                    json_object *o = json_of(&r), *er, *code;
                    ASSERT(json_object_object_get_ex(o, "error", &er));
                    ASSERT(json_object_object_get_ex(er, "code", &code));
                    ASSERT_EQ_STR(json_object_get_string(code),
                                  r.status == 401 ? "UNAUTHORIZED" : "FORBIDDEN");
                    json_object_put(o);
                } else {
                    ASSERT_CONTAINS(buf_cstr(&r.body), "没有权限");
                }
            }
            if (r.status == 303 && i < 0)
                ASSERT_CONTAINS(header(&r, "Location"), "/login?next=");
            if (r.status == 404 && secret)
                ASSERT_NOT_CONTAINS(buf_cstr(&r.body), secret);
            resp_free(&r);
        }
    }
    if (tokens)
        for (int i = 0; i < 4; i++)
            free(tok[i]);
}
