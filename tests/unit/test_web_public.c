/* test_web_public.c - the public side of `serve` (src/web/page_public.c): off → 404;
 * a submission through the form and the JSON API enters the workflow; lookup by number
 * and code (a wrong code and an unknown number give the same 404); only a public reply
 * is shown, never a note or personal data; form token, honeypot, field caps; hostile
 * input escaped on every page that shows it; throttling of submissions and lookups. */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "tweb.h"

static void public_on(struct web_conf *c)
{
    c->public_on = true;
}

static void public_small(struct web_conf *c)
{
    c->public_on = true;
    c->public_max_submissions = 2;
    c->public_max_lookup_failures = 3;
}

/* The form token the server hands out with GET /public (its cookie). */
struct ptok {
    char cookie[120];
    char token[65];
};

static void get_token(struct tsrv *t, struct ptok *p)
{
    struct resp r;
    get(t, "/public", NULL, &r);
    EXPECT_STATUS(&r, 200, "the form");
    const char *sc = header(&r, "Set-Cookie");
    ASSERT(sc && !strncmp(sc, "govsite_public=", 15));
    ASSERT_CONTAINS(sc, "HttpOnly");
    ASSERT_CONTAINS(sc, "SameSite=Strict");
    snprintf(p->token, sizeof(p->token), "%.64s", sc + 15);
    snprintf(p->cookie, sizeof(p->cookie), "Cookie: govsite_public=%s", p->token);
    ASSERT_CONTAINS(buf_cstr(&r.body), p->token);
    resp_free(&r);
}

static int64_t unit_id(struct tsrv *t, const char *short_name)
{
    int64_t id = 0;
    ASSERT_OK(store_get_int(t->db, &id, NULL, "SELECT id FROM units WHERE short_name = ?", "t",
                            short_name),
              NULL);
    return id;
}

/* POST /public with `fields` (urlencoded, without token) and the token of p (NULL: none). */
static void post_form(struct tsrv *t, const struct ptok *p, const char *fields, struct resp *r)
{
    const char *body = arena_fmt(t_arena(), "token=%s&%s", p ? p->token : "", fields);
    http(t,
         &(struct call){ .method = "POST",
                         .path = "/public",
                         .ctype = "application/x-www-form-urlencoded",
                         .body = body,
                         .extra = p ? p->cookie : NULL },
         r);
}

static void post_json(struct tsrv *t, const char *path, const char *body, struct resp *r)
{
    http(
        t,
        &(struct call){ .method = "POST", .path = path, .ctype = "application/json", .body = body },
        r);
}

/* A value between "<dt>label</dt><dd>" and "</dd>" of a page (test arena). */
static const char *fact(struct resp *r, const char *label)
{
    char k[80];
    snprintf(k, sizeof(k), "<dt>%s</dt><dd>", label);
    const char *p = strstr(buf_cstr(&r->body), k);
    ASSERT(p != NULL);
    p += strlen(k);
    const char *e = strstr(p, "</dd>");
    ASSERT(e != NULL);
    return arena_strndup(t_arena(), p, (size_t)(e - p));
}

/* A server with the public side on, a form token, and the id of 市交通局. */
static int64_t start_public(struct tsrv *t, int b, struct ptok *p)
{
    srv_start_with(t, b, public_on);
    get_token(t, p);
    return unit_id(t, "市交通局");
}

TEST(web_public_off_is_404)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        struct sess ad;
        login_role(&t, 0, &ad);
        static const struct {
            const char *method, *path;
        } reqs[] = { { "GET", "/public" },
                     { "POST", "/public" },
                     { "PUT", "/public" },
                     { "GET", "/public/lookup" },
                     { "POST", "/public/lookup" },
                     { "POST", "/api/v1/public/requests" },
                     { "POST", "/api/v1/public/lookup" } };
        for (size_t i = 0; i < sizeof(reqs) / sizeof(reqs[0]); i++) {
            for (int who = 0; who < 2; who++) {
                struct resp r;
                http(&t,
                     &(struct call){ .method = reqs[i].method,
                                     .path = reqs[i].path,
                                     .session = who ? ad.token : NULL,
                                     .csrf = who ? ad.csrf : NULL,
                                     .ctype = "application/json",
                                     .body = "{}" },
                     &r);
                EXPECT_STATUS(&r, 404, reqs[i].path);
                ASSERT(header(&r, "Allow") == NULL);
                resp_free(&r);
            }
        }
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM cases"), 0);
        srv_stop(&t);
    }
}

TEST(web_public_submit_lookup_and_reply)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        struct ptok p;
        int64_t jt = start_public(&t, b, &p);
        char fields[2048];
        snprintf(fields, sizeof(fields),
                 "kind=disclosure&unit=%lld&requester_type=person&name=%%3Cscript%%3Ealert(1)"
                 "%%3C%%2Fscript%%3E%%E5%%BC%%A0&id_type=%%E8%%BA%%AB%%E4%%BB%%BD%%E8%%AF%%81"
                 "&id_number=%%3Cb%%3E4404%%3C%%2Fb%%3E&phone=13800138000"
                 "&subject=x%%27%%3B+DROP+TABLE+cases%%3B--&content=%%3Cimg+src%%3Dx%%3E"
                 "&medium=%%E7%%BA%%B8%%E9%%9D%%A2&website=",
                 (long long)jt);
        struct resp r;
        post_form(&t, &p, fields, &r);
        EXPECT_STATUS(&r, 201, "the form");
        const char *number = fact(&r, "申请编号"), *code = fact(&r, "查询码");
        ASSERT(!strncmp(number, "YSQ-", 4));
        ASSERT_EQ_INT((long long)strlen(code), 11);
        ASSERT_CONTAINS(header(&r, "Cache-Control"), "no-store");
        resp_free(&r);
        /* the workflow: channel online, the public channel as actor, a due time, the unit */
        char q[300];
        snprintf(q, sizeof(q),
                 "SELECT COUNT(*) FROM cases c JOIN case_events e ON e.case_id = c.id WHERE "
                 "c.number = '%s' AND c.channel = 'online' AND c.due_at > 0 AND c.unit_id = %lld "
                 "AND c.subject = 'x''; DROP TABLE cases;--' AND e.actor = '公众（网上提交）'",
                 number, (long long)jt);
        ASSERT_EQ_INT(count(t.db, q), 1);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = "
                                  "'public_submit' AND user_name = '公众（网上提交）'"),
                      1);
        /* the code is stored only as its hash */
        char raw[16];
        snprintf(raw, sizeof(raw), "%.5s%s", code, code + 6);
        snprintf(q, sizeof(q),
                 "SELECT COUNT(*) FROM public_requests WHERE code_hash LIKE '%%%s%%' "
                 "OR form LIKE '%%%s%%'",
                 raw, raw);
        ASSERT_EQ_INT(count(t.db, q), 0);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM public_requests WHERE "
                                  "form LIKE '%\"medium\":\"纸面\"%'"),
                      1);

        /* lookup: wrong code and unknown number are one answer; case and spaces forgiven */
        char body[300];
        struct resp w1, w2;
        snprintf(body, sizeof(body), "{\"number\":\"%s\",\"code\":\"22222-22222\"}", number);
        post_json(&t, "/api/v1/public/lookup", body, &w1);
        EXPECT_STATUS(&w1, 404, "wrong code");
        snprintf(body, sizeof(body), "{\"number\":\"YSQ-2099-0001\",\"code\":\"%s\"}", code);
        post_json(&t, "/api/v1/public/lookup", body, &w2);
        EXPECT_STATUS(&w2, 404, "unknown number");
        ASSERT_EQ_STR(buf_cstr(&w1.body), buf_cstr(&w2.body));
        resp_free(&w1);
        resp_free(&w2);
        char lower[16];
        for (int i = 0; i < 11; i++)
            lower[i] = code[i] >= 'A' && code[i] <= 'Z' ? (char)(code[i] + 32) : code[i];
        lower[11] = 0;
        snprintf(body, sizeof(body), "{\"number\":\"%s\",\"code\":\" %s \"}", number, lower);
        post_json(&t, "/api/v1/public/lookup", body, &r);
        EXPECT_STATUS(&r, 200, "right code");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"status\":\"received\"");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"reply\":null");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "13800138000");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "script");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "DROP");
        resp_free(&r);

        /* a note and a private reply are not shown; a public reply is */
        struct case_ctx x;
        struct err e = { 0 };
        ASSERT_OK(case_ctx_init(&x, t.db, NULL, &t.clk, &e), &e);
        struct case_action a = { .type = "note",
                                 .note = "内部备注：核对预算",
                                 .reply_public = -1,
                                 .roles = CASE_ROLES_STAFF,
                                 .actor = "admin" };
        ASSERT_OK(case_act(&x, number, &a, NULL, &e), &e);
        a = (struct case_action){ .type = "answer",
                                  .outcome = "public",
                                  .reply = "已公开<b>附件</b>",
                                  .reply_public = 0,
                                  .roles = CASE_ROLES_STAFF,
                                  .actor = "admin" };
        ASSERT_OK(case_act(&x, number, &a, NULL, &e), &e);
        snprintf(body, sizeof(body), "{\"number\":\"%s\",\"code\":\"%s\"}", number, code);
        post_json(&t, "/api/v1/public/lookup", body, &r);
        EXPECT_STATUS(&r, 200, "answered, private");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"status\":\"answered\"");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"reply\":null");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "附件");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "内部备注");
        resp_free(&r);
        struct case_edit ed = { .reply_public = 1, .actor = "admin" };
        ASSERT_OK(case_edit(&x, number, &ed, NULL, &e), &e);
        case_ctx_release(&x);
        post_json(&t, "/api/v1/public/lookup", body, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"reply\":\"已公开<b>附件<\\/b>\"");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "内部备注");
        resp_free(&r);
        /* the HTML lookup escapes the reply and shows no note */
        snprintf(fields, sizeof(fields), "token=%s&number=%s&code=%s", p.token, number, code);
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/public/lookup",
                             .ctype = "application/x-www-form-urlencoded",
                             .body = fields,
                             .extra = p.cookie },
             &r);
        EXPECT_STATUS(&r, 200, "HTML lookup");
        ASSERT_CONTAINS(buf_cstr(&r.body), "已公开&lt;b&gt;附件&lt;/b&gt;");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "内部备注");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "13800138000");
        resp_free(&r);

        /* staff see the application form: escaped, personal fields masked for a viewer */
        struct sess ad, vw;
        login_role(&t, 0, &ad);
        login_role(&t, 3, &vw);
        char path[120];
        snprintf(path, sizeof(path), "/cases/%s", number);
        get(&t, path, ad.token, &r);
        EXPECT_STATUS(&r, 200, "admin's case page");
        ASSERT_CONTAINS(buf_cstr(&r.body), "网上申请表");
        ASSERT_CONTAINS(buf_cstr(&r.body), "&lt;b&gt;4404&lt;/b&gt;");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "<script>alert");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "<img src");
        resp_free(&r);
        get(&t, path, vw.token, &r);
        EXPECT_STATUS(&r, 200, "viewer's case page");
        ASSERT_CONTAINS(buf_cstr(&r.body), "网上申请表");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "4404");
        ASSERT_CONTAINS(buf_cstr(&r.body), "（已脱敏）");
        resp_free(&r);

        /* a consultation through the JSON API */
        snprintf(body, sizeof(body),
                 "{\"kind\":\"consultation\",\"unit\":%lld,\"name\":\"李四\",\"email\":"
                 "\"li@example.com\",\"subject\":\"公交\",\"content\":\"何时开通？\"}",
                 (long long)jt);
        post_json(&t, "/api/v1/public/requests", body, &r);
        EXPECT_STATUS(&r, 201, "JSON submission");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"number\":\"ZX-");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"due\":\"");
        resp_free(&r);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM cases WHERE kind = 'consultation' AND "
                                  "contact = 'li@example.com' AND channel = 'online'"),
                      1);
        srv_stop(&t);
    }
}

TEST(web_public_refusals_caps_and_escaping)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        struct ptok p;
        int64_t jt = start_public(&t, b, &p);
        char ok[512], f[8192];
        snprintf(ok, sizeof(ok), "kind=consultation&unit=%lld&phone=123&subject=s&content=c",
                 (long long)jt);
        struct resp r;
        /* no token, a wrong token: 403 with a fresh form */
        snprintf(f, sizeof(f), "%s&name=n", ok);
        post_form(&t, NULL, f, &r);
        EXPECT_STATUS(&r, 403, "no token");
        ASSERT_CONTAINS(buf_cstr(&r.body), "表单已过期");
        resp_free(&r);
        struct ptok bad = p;
        bad.token[0] = bad.token[0] == 'a' ? 'b' : 'a';
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/public",
                             .ctype = "application/x-www-form-urlencoded",
                             .body = arena_fmt(t_arena(), "token=%s&%s", bad.token, f),
                             .extra = p.cookie },
             &r);
        EXPECT_STATUS(&r, 403, "wrong token");
        resp_free(&r);
        /* the honeypot */
        snprintf(f, sizeof(f), "%s&name=n&website=http%%3A%%2F%%2Fspam.test", ok);
        post_form(&t, &p, f, &r);
        EXPECT_STATUS(&r, 400, "honeypot");
        resp_free(&r);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'public_refused'"),
                      1);
        /* caps and checks: each refused with the form again, values escaped */
        char big[2100];
        memset(big, 'x', 2001);
        big[2001] = 0;
        const char *cases[][2] = {
            { "name=%3Cscript%3Ealert(1)%3C%2Fscript%3E&subject=", "请填写" },
            { "name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "不能超过50个字" },
            { "name=a%01b", "控制字符" },
            { "name=n&phone=", "至少填写一项" },
            { "name=n&unit=999999", "受理单位" },
            { "name=n&kind=complaint", "申请类型" },
        };
        for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
            snprintf(f, sizeof(f), "%s&%s", cases[i][0], ok);
            post_form(&t, &p, f, &r);
            EXPECT_STATUS(&r, 400, cases[i][0]);
            ASSERT_CONTAINS(buf_cstr(&r.body), cases[i][1]);
            ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "<script>alert");
            resp_free(&r);
        }
        snprintf(f, sizeof(f), "name=%%3Cscript%%3Ealert(1)%%3C%%2Fscript%%3E&subject=&%s", ok);
        post_form(&t, &p, f, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "value=\"&lt;script&gt;alert(1)&lt;/script&gt;\"");
        resp_free(&r);
        snprintf(f, sizeof(f), "kind=consultation&unit=%lld&phone=1&subject=s&name=n&content=%s",
                 (long long)jt, big);
        post_form(&t, &p, f, &r);
        EXPECT_STATUS(&r, 400, "content of 2001 characters");
        ASSERT_CONTAINS(buf_cstr(&r.body), "不能超过2000个字");
        resp_free(&r);
        snprintf(f, sizeof(f),
                 "kind=disclosure&unit=%lld&phone=1&subject=s&name=n&id_number=1"
                 "&content=c&medium=%%E5%%8D%%A1",
                 (long long)jt);
        post_form(&t, &p, f, &r);
        EXPECT_STATUS(&r, 400, "an unknown choice");
        ASSERT_CONTAINS(buf_cstr(&r.body), "选项无效");
        resp_free(&r);
        /* JSON: only application/json; fields must be text */
        http(&t,
             &(struct call){ .method = "POST",
                             .path = "/api/v1/public/requests",
                             .ctype = "text/plain",
                             .body = "{}" },
             &r);
        EXPECT_STATUS(&r, 400, "text/plain");
        resp_free(&r);
        snprintf(f, sizeof(f),
                 "{\"kind\":\"consultation\",\"unit\":%lld,\"name\":[1],\"phone\":\"1\","
                 "\"subject\":\"s\",\"content\":\"c\"}",
                 (long long)jt);
        post_json(&t, "/api/v1/public/requests", f, &r);
        EXPECT_STATUS(&r, 400, "an array as a name");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"code\":\"INVALID\"");
        resp_free(&r);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM cases"), 0);
        /* at exactly the caps it is accepted */
        memset(big, 'x', 2000);
        big[2000] = 0;
        snprintf(f, sizeof(f),
                 "kind=consultation&unit=%lld&email=a%%40b.c&subject=s&content=%s&"
                 "name=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                 (long long)jt, big);
        post_form(&t, &p, f, &r);
        EXPECT_STATUS(&r, 201, "at the caps");
        resp_free(&r);
        srv_stop(&t);
    }
}

TEST(web_public_throttling)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start_with(&t, b, public_small);
        int64_t jt = unit_id(&t, "市交通局");
        char body[300];
        snprintf(body, sizeof(body),
                 "{\"kind\":\"consultation\",\"unit\":%lld,\"name\":\"n\","
                 "\"phone\":\"1\",\"subject\":\"s\",\"content\":\"c\"}",
                 (long long)jt);
        struct resp r;
        char number[80] = "", code[20] = "";
        for (int i = 0; i < 2; i++) {
            post_json(&t, "/api/v1/public/requests", body, &r);
            EXPECT_STATUS(&r, 201, "below the limit");
            json_object *o = json_of(&r), *v;
            ASSERT(json_object_object_get_ex(o, "number", &v));
            snprintf(number, sizeof(number), "%s", json_object_get_string(v));
            ASSERT(json_object_object_get_ex(o, "code", &v));
            snprintf(code, sizeof(code), "%s", json_object_get_string(v));
            json_object_put(o);
            resp_free(&r);
        }
        post_json(&t, "/api/v1/public/requests", body, &r);
        EXPECT_STATUS(&r, 429, "over the limit");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"code\":\"TOOMANY\"");
        resp_free(&r);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM cases"), 2);
        /* failed lookups: 3, then even the right code is refused until the window passes */
        char lk[200];
        snprintf(lk, sizeof(lk), "{\"number\":\"%s\",\"code\":\"%s\"}", number, code);
        for (int i = 0; i < 3; i++) {
            post_json(&t, "/api/v1/public/lookup", "{\"number\":\"ZX-1\",\"code\":\"x\"}", &r);
            EXPECT_STATUS(&r, 404, "a wrong lookup");
            resp_free(&r);
        }
        post_json(&t, "/api/v1/public/lookup", lk, &r);
        EXPECT_STATUS(&r, 429, "lookups throttled");
        resp_free(&r);
        ASSERT(count(t.db, "SELECT COUNT(*) FROM audit_log WHERE action = 'public_throttled'") >=
               2);
        t.clk.at += t.conf.public_window + 1;
        post_json(&t, "/api/v1/public/lookup", lk, &r);
        EXPECT_STATUS(&r, 200, "after the window");
        resp_free(&r);
        post_json(&t, "/api/v1/public/requests", body, &r);
        EXPECT_STATUS(&r, 201, "submissions after the window");
        resp_free(&r);
        srv_stop(&t);
    }
}
