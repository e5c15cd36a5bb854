/* router.c - route matching, authentication, authorization, CSRF, and error rendering. */
#include <string.h>

#include "core/esc.h"
#include "core/log.h"
#include "core/str.h"
#include "web/web_int.h"

bool web__match(const char *pattern, const char *path, struct web_req *r)
{
    const char *p = pattern, *u = path;
    int np = 0;
    while (*p && *u) {
        if (*p == '{') {
            const char *close = strchr(p, '}');
            if (!close)
                BUG("route pattern '%s' has an unclosed {", pattern);
            bool rest = close[-1] == '+'; /* {name+}: one or more segments, then the tail */
            const char *seg_end = strchr(u, '/');
            size_t n = seg_end ? (size_t)(seg_end - u) : strlen(u);
            if (rest) {
                const char *tail = close + 1;
                if (strchr(tail, '{'))
                    BUG("route pattern '%s': {name+} must be its last parameter", pattern);
                size_t nt = strlen(tail), nu = strlen(u);
                if (nu <= nt || strcmp(u + nu - nt, tail))
                    return false;
                n = nu - nt;
                close--; /* the parameter's name without the '+' */
            }
            if (n == 0 || np >= WEB_MAX_PARAMS)
                return false;
            if (r) {
                r->params[np].k = arena_strndup(&r->a, p + 1, (size_t)(close - p - 1));
                r->params[np].v = arena_strndup(&r->a, u, n);
            }
            np++;
            p = close + 1 + (rest ? 1 : 0);
            u += n;
            continue;
        }
        if (*p != *u)
            return false;
        p++;
        u++;
    }
    if (*p || *u)
        return false;
    if (r)
        r->nparams = np;
    return true;
}

size_t web__route_index(const struct web_req *r)
{
    return r->route ? (size_t)(r->route - routes) : web_nroutes;
}

bool web_can(const struct web_req *r, unsigned roles)
{
    return r->user && (r->user->role & roles);
}

int64_t web_scope_unit(const struct web_req *r)
{
    if (r->user && r->user->role == ROLE_EDITOR)
        return r->user->unit_id ? r->user->unit_id : -1; /* -1 matches no unit */
    return 0;
}

void web_deny(struct web_req *r, const char *why)
{
    log_warn("web: denied %s %s to %s (%s) from %s: %s", r->method, r->path,
             r->user ? r->user->name : "anonymous", r->user ? auth_role_name(r->user->role) : "-",
             r->ip, why);
    auth_audit(r->db, r->clk, r->user, r->ip, "denied", r->method, r->path, why);
}

enum rc web_scope_check(struct web_req *r, int64_t unit_id, const char *what)
{
    int64_t scope = web_scope_unit(r);
    if (scope == 0 || scope == unit_id)
        return RC_OK;
    web_deny(r, arena_fmt(&r->a, "%s belongs to another unit", what));
    return web_fail(r, RC_NOTFOUND, "%s not found", what);
}

/* ---- authentication ------------------------------------------------------------------ */

/* Bearer token, else session cookie.  RC_UNAUTHORIZED only for a bad bearer token (a stale
 * cookie just means anonymous, and the cookie is cleared). */
static enum rc authenticate(struct web_req *r)
{
    const struct web_conf *c = web__conf(r->srv);
    const char *h = web_header_in(r, "Authorization");
    struct auth_user *u = arena_alloc(&r->a, sizeof(*u));
    struct err e = { 0 };
    if (h) {
        struct str v = str_trim(str_of(h));
        if (v.n < 7 || ascii_ncasecmp(v.p, "Bearer ", 7))
            return web_fail(r, RC_UNAUTHORIZED,
                            "unsupported Authorization scheme; send 'Bearer TOKEN'");
        char *tok = arena_strndup(&r->a, v.p + 7, v.n - 7);
        enum rc rc = auth_token_user(r->db, tok, r->clk, &r->a, u, &e);
        if (rc == RC_UNAUTHORIZED) {
            auth_audit(r->db, r->clk, NULL, r->ip, "denied", r->method, r->path, "bad API token");
            return web_fail(r, rc, "%s; create one with 'govsite user token NAME'", err_msg(&e));
        }
        if (rc)
            return web_fail(r, rc, "%s", err_msg(&e));
        r->user = u;
        r->via_token = true;
        return RC_OK;
    }
    const char *tok = web_cookie(r, WEB_SESSION_COOKIE);
    if (!tok)
        return RC_OK;
    const char *csrf = NULL;
    enum rc rc = auth_session_user(r->db, tok, &c->auth, r->clk, &r->a, u, &csrf, &e);
    if (rc == RC_UNAUTHORIZED) {
        web_header(r, "Set-Cookie", web__session_cookie(r, ""));
        return RC_OK;
    }
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    r->user = u;
    r->csrf = csrf;
    r->session_token = tok;
    return RC_OK;
}

const char *web__session_cookie(struct web_req *r, const char *token)
{
    const struct web_conf *c = web__conf(r->srv);
    if (!token || !*token)
        return arena_fmt(&r->a, "%s=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict%s",
                         WEB_SESSION_COOKIE, r->https ? "; Secure" : "");
    return arena_fmt(&r->a, "%s=%s; Path=/; Max-Age=%lld; HttpOnly; SameSite=Strict%s",
                     WEB_SESSION_COOKIE, token, (long long)c->auth.max, r->https ? "; Secure" : "");
}

/* Same-origin check for the login routes: when the browser says where the request comes
 * from, it must be this host. */
static bool same_origin(struct web_req *r)
{
    const char *o = web_header_in(r, "Origin");
    if (!o || !strcmp(o, "null"))
        return o == NULL;
    const char *host = web_header_in(r, "Host");
    if (!host)
        return false;
    const char *h = strstr(o, "://");
    return h && !strcmp(h + 3, host);
}

static bool csrf_ok(struct web_req *r)
{
    const char *t = web_header_in(r, "X-CSRF-Token");
    if (!t) {
        const char *ct = web_header_in(r, "Content-Type");
        if (ct && !ascii_ncasecmp(ct, "application/x-www-form-urlencoded", 33))
            t = web_form(r, "csrf");
    }
    return auth_secret_eq(t, r->csrf);
}

/* ---- dispatch ------------------------------------------------------------------------ */

void web__dispatch(struct web_req *r)
{
    bool head = !strcmp(r->method, "HEAD");
    const char *method = head ? "GET" : r->method;
    struct buf allow = BUF_INIT;
    bool public_on = web__conf(r->srv)->public_on;
    for (const struct route *rt = routes; rt->method; rt++) {
        if (rt->public_side && !public_on)
            continue; /* the public side is off: as if its paths did not exist */
        if (!web__match(rt->pattern, r->path, NULL))
            continue;
        if (strcmp(rt->method, method)) {
            if (!strstr(buf_cstr(&allow), rt->method))
                buf_addf(&allow, "%s%s", allow.n ? ", " : "", rt->method);
            continue;
        }
        r->route = rt;
        web__match(rt->pattern, r->path, r);
        break;
    }
    if (!r->route) {
        if (allow.n) {
            if (strstr(allow.p, "GET"))
                buf_adds(&allow, ", HEAD");
            web_header(r, "Allow", allow.p);
            web_fail(r, RC_INVALID, "method %s is not allowed here; use %s", r->method, allow.p);
            web__error(r, RC_INVALID, 405);
        } else {
            web_fail(r, RC_NOTFOUND, "no such page: %s", r->path);
            web__error(r, RC_NOTFOUND, 404);
        }
        buf_release(&allow);
        return;
    }
    buf_release(&allow);
    const struct route *rt = r->route;
    enum rc rc = rt->public_side ? RC_OK : authenticate(r);
    if (rc) {
        web__error(r, rc, rc_http(rc));
        return;
    }
    if (rt->roles != ROLES_PUBLIC) {
        if (!r->user) {
            if (r->api) {
                web_fail(r, RC_UNAUTHORIZED,
                         "authentication required: log in with POST "
                         "/api/v1/session or send 'Authorization: Bearer TOKEN'");
                web__error(r, RC_UNAUTHORIZED, 401);
            } else {
                struct buf b = BUF_INIT;
                buf_adds(&b, "/login?next=");
                esc_url(&b, r->path);
                web_redirect(r, b.p);
                buf_release(&b);
            }
            return;
        }
        if (!(r->user->role & rt->roles)) {
            web_deny(r, "role not allowed");
            web_fail(r, RC_FORBIDDEN, "your role (%s) may not %s %s", auth_role_name(r->user->role),
                     rt->mutates ? "change" : "see", r->path);
            web__error(r, RC_FORBIDDEN, 403);
            return;
        }
    }
    if (rt->mutates && !rt->public_side) {
        if (rt->csrf_exempt) {
            if (!same_origin(r)) {
                web_deny(r, "cross-origin login");
                web_fail(r, RC_FORBIDDEN, "cross-origin request refused");
                web__error(r, RC_FORBIDDEN, 403);
                return;
            }
        } else if (r->user && !r->via_token && !csrf_ok(r)) {
            web_deny(r, "missing or wrong CSRF token");
            web_fail(r, RC_FORBIDDEN,
                     "missing or wrong CSRF token; reload the page (API: send "
                     "the X-CSRF-Token header from GET /api/v1/session)");
            web__error(r, RC_FORBIDDEN, 403);
            return;
        }
    }
    rc = rt->fn(r);
    if (rc) {
        if (!r->err.rc)
            web_fail(r, rc, "%s", rc_str(rc));
        web__error(r, rc, rc_http(rc));
        return;
    }
    if (!r->sent) {
        web_fail(r, RC_INTERNAL, "handler for %s %s produced no response", rt->method, rt->pattern);
        web__error(r, RC_INTERNAL, 500);
    }
}

/* ---- errors -------------------------------------------------------------------------- */

static const char *status_title(int status)
{
    switch (status) {
    case 400:
        return "请求有误";
    case 401:
        return "需要登录";
    case 403:
        return "没有权限";
    case 404:
        return "页面不存在";
    case 405:
        return "不支持该请求方法";
    case 409:
        return "与现有数据冲突";
    case 413:
        return "提交的内容过大";
    case 429:
        return "尝试次数过多";
    case 503:
        return "服务暂不可用";
    default:
        return status >= 500 ? "服务器内部错误" : "请求未能完成";
    }
}

void web__error(struct web_req *r, enum rc rc, int status)
{
    if (r->err.rc == RC_OK)
        web_fail(r, rc, "%s", rc_str(rc));
    /* Internal details stay in the log. */
    const char *msg = status >= 500 && rc != RC_UNAVAILABLE && rc != RC_BUSY
                          ? "internal error; the server log has the details"
                          : err_msg(&r->err);
    buf_reset(&r->out);
    r->sent = false;
    if (status == 401 && r->api)
        web_header(r, "WWW-Authenticate", "Bearer realm=\"govsite\"");
    if (r->api || !strcmp(r->path, "/metrics") || !strcmp(r->path, "/healthz")) {
        struct jw w;
        web_json_begin(r, &w);
        jw_obj(&w);
        jw_key(&w, "error");
        jw_obj(&w);
        jw_kstr(&w, "code", rc_name(rc));
        jw_kstr(&w, "message", msg);
        jw_end(&w);
        jw_end(&w);
        web_json_send(r, &w, status);
        return;
    }
    web_layout_begin(r, status_title(status), NULL);
    web_rawf(r, "<section class=\"error\"><h1>%d %s</h1><p>", status, status_title(status));
    web_e(r, msg);
    web_raw(r, "</p><p><a href=\"/\">返回总览</a>");
    if (!r->user)
        web_raw(r, " · <a href=\"/login\">登录</a>");
    web_raw(r, "</p></section>");
    web_layout_end(r);
    r->status = status;
}
