/* page_login.c - 登录/退出: the login form, sessions for pages and the API. */
#include <json-c/json.h>
#include <string.h>

#include "web/web_int.h"

static void login_form(struct web_req *r, const char *name, const char *msg)
{
    web_layout_begin(r, "登录", NULL);
    web_raw(r, "<section class=\"login\"><h1>登录</h1>");
    if (msg) {
        web_raw(r, "<p class=\"flash error\" role=\"alert\">");
        web_e(r, msg);
        web_raw(r, "</p>");
    }
    web_raw(r, "<form method=\"post\" action=\"/login\"><input type=\"hidden\" name=\"next\" "
               "value=\"");
    const char *next = web_query(r, "next");
    if (!next)
        next = web_form(r, "next");
    web_e(r, next ? next : "/");
    web_raw(r, "\"><label>用户名<input name=\"name\" autocomplete=\"username\" required "
               "autofocus value=\"");
    web_e(r, name ? name : "");
    web_raw(r, "\"></label><label>密码<input name=\"password\" type=\"password\" "
               "autocomplete=\"current-password\" required></label>"
               "<button type=\"submit\">登录</button></form></section>");
    web_layout_end(r);
}

enum rc page_login_form(struct web_req *r)
{
    if (r->user)
        return web_redirect(r, "/");
    login_form(r, NULL, NULL);
    return RC_OK;
}

/* Check the credentials and open a session; sets the cookie. */
static enum rc start_session(struct web_req *r, const char *name, const char *pw,
                             struct auth_user *u)
{
    const struct web_conf *c = web__conf(r->srv);
    struct err e = { 0 };
    enum rc rc = auth_login(r->db, name, pw, r->ip, &c->auth, r->clk, &r->a, u, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    const char *tok, *csrf;
    rc = auth_session_new(r->db, u, r->ip, web_header_in(r, "User-Agent"), &c->auth, r->clk, &r->a,
                          &tok, &csrf, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    r->user = u;
    r->csrf = csrf;
    r->session_token = tok;
    web_header(r, "Set-Cookie", web__session_cookie(r, tok));
    return RC_OK;
}

enum rc page_login(struct web_req *r)
{
    const char *name = web_form(r, "name"), *pw = web_form(r, "password");
    struct auth_user *u = arena_alloc(&r->a, sizeof(*u));
    enum rc rc = start_session(r, name, pw, u);
    if (rc == RC_UNAUTHORIZED || rc == RC_TOOMANY) {
        login_form(r, name,
                   rc == RC_TOOMANY ? "登录失败次数过多，请稍后再试。" : "用户名或密码错误。");
        r->status = rc_http(rc);
        return RC_OK;
    }
    if (rc)
        return rc;
    const char *next = web_form(r, "next");
    return web_redirect(r, next && *next ? next : "/");
}

enum rc page_logout(struct web_req *r)
{
    if (r->session_token)
        auth_session_end(r->db, r->session_token, NULL);
    auth_audit(r->db, r->clk, r->user, r->ip, "logout", r->method, r->path, NULL);
    web_header(r, "Set-Cookie", web__session_cookie(r, ""));
    return web_redirect(r, "/login");
}

static enum rc session_json(struct web_req *r, int status)
{
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_key(&w, "user");
    auth_user_json(&w, r->user);
    jw_kstr(&w, "csrf_token", r->csrf);
    jw_kstr(&w, "auth", r->via_token ? "token" : "session");
    jw_end(&w);
    return web_json_send(r, &w, status);
}

enum rc api_session_new(struct web_req *r)
{
    struct json_object *o;
    enum rc rc = web_json_body(r, &o);
    if (rc)
        return rc;
    bool ok = true;
    const char *name = web_jstr(r, o, "name", &ok), *pw = web_jstr(r, o, "password", &ok);
    if (!ok)
        return RC_INVALID;
    if (!name || !pw)
        return web_fail(r, RC_INVALID, "give \"name\" and \"password\"");
    struct auth_user *u = arena_alloc(&r->a, sizeof(*u));
    if ((rc = start_session(r, name, pw, u)))
        return rc;
    return session_json(r, 201);
}

enum rc api_session_get(struct web_req *r)
{
    return session_json(r, 200);
}

enum rc api_session_end(struct web_req *r)
{
    if (r->via_token)
        return web_fail(r, RC_INVALID,
                        "this request used an API token, not a session; "
                        "revoke tokens with 'govsite user disable' or a new password");
    auth_session_end(r->db, r->session_token, NULL);
    auth_audit(r->db, r->clk, r->user, r->ip, "logout", r->method, r->path, NULL);
    web_header(r, "Set-Cookie", web__session_cookie(r, ""));
    buf_reset(&r->out);
    return web_send(r, 204, "text/plain; charset=utf-8");
}
