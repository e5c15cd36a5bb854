/* web_int.h - shared by the files of src/web/ only: server internals and every handler.
 *
 * Handlers are grouped by the file that defines them; each is a row of routes[]
 * (registry.c).  See "Adding a route/page" in web.h.
 */
#ifndef WEB_WEB_INT_H
#define WEB_WEB_INT_H

#include "web/web.h"

/* An embedded asset served under /static/ (data/web/, overridable via core/res.h). */
struct web__asset {
    const char *name; /* "app.css" */
    const char *ctype;
    struct buf data;
    char etag[20]; /* first 16 hex digits of its SHA-256 */
};
const struct web__asset *web__asset(const struct web_server *s, const char *name);
const struct web_conf *web__conf(const struct web_server *s);

/* Route pattern matching (router.c): true when path matches, with {name} segments
 * stored in r->params (values %-decoded by libmicrohttpd already). */
bool web__match(const char *pattern, const char *path, struct web_req *r);
/* Run the router for a prepared request: match, authenticate, authorize, handle, and
 * render any error.  Always leaves a response in r (r->sent). */
void web__dispatch(struct web_req *r);
/* Index of r->route in routes[] (web_nroutes for none: "unmatched"). */
size_t web__route_index(const struct web_req *r);
/* Render r->err (or rc) as the JSON error or the Chinese error page, with `status`. */
void web__error(struct web_req *r, enum rc rc, int status);
/* The Set-Cookie value for a session token (empty token: expire the cookie). */
const char *web__session_cookie(struct web_req *r, const char *token);
#define WEB_SESSION_COOKIE "govsite_session"
/* Render /metrics (server.c has the route statistics). */
void web__metrics(struct web_req *r);

/* ---- registry queries shared by pages and the API (api_reg.c) ------------------------ */

/* "%q%" with LIKE metacharacters escaped by '\\' (arena), or NULL for an empty q. */
const char *web__like(struct web_req *r, const char *q);
struct web__site_filter {
    const char *like;   /* ?q= on name, URL, 标识码 */
    int64_t unit_id;    /* ?unit= id or name; 0 = any */
    const char *type;   /* ?type= canonical or NULL */
    const char *status; /* ?status= canonical or NULL */
};
enum rc web__site_filter(struct web_req *r, struct web__site_filter *f);
enum rc web__site_count(struct web_req *r, const struct web__site_filter *f, int64_t *n);
struct stmt *web__site_query(struct web_req *r, const struct web__site_filter *f,
                             const struct web_page *pg);
struct web__site {
    int64_t id, unit_id, columns;
    const char *name, *url, *host, *code, *unit, *type, *status, *icp, *psb;
};
void web__site_row(struct web_req *r, struct stmt *st, struct web__site *s);
enum rc web__site_get(struct web_req *r, int64_t id, struct web__site *s);
/* A column's display status: today its registration state; the freshness check will
 * put 正常/即将超期/超期 here (key is the CSS suffix st-<key>). */
struct web__colstatus {
    const char *key, *label;
};
void web__column_status(struct web_req *r, const char *state, struct web__colstatus *out);
struct web__column {
    int64_t id, unit_id, freshness_days;
    const char *path, *name, *cls, *unit, *state, *required;
    const char *urls; /* '\n'-separated list-page URLs, or NULL */
    struct web__colstatus status;
};
/* Columns of a site ordered by path (pg NULL: all); cls/unit_id filter (NULL/0: any). */
enum rc web__site_columns(struct web_req *r, int64_t site_id, const char *cls, int64_t unit_id,
                          const struct web_page *pg, struct web__column **out, size_t *n,
                          int64_t *total);
void web__column_json(struct jw *w, const struct web__column *c);

/* ---- handlers ------------------------------------------------------------------------ */

/* misc.c: health, metrics, assets */
enum rc page_healthz(struct web_req *r);
enum rc page_metrics(struct web_req *r);
enum rc page_static(struct web_req *r);

/* page_login.c: log in and out (pages and API) */
enum rc page_login_form(struct web_req *r);
enum rc page_login(struct web_req *r);
enum rc page_logout(struct web_req *r);
enum rc api_session_new(struct web_req *r);
enum rc api_session_get(struct web_req *r);
enum rc api_session_end(struct web_req *r);

/* page_reg.c: 总览, 站点与栏目, 单位 */
enum rc page_home(struct web_req *r);
enum rc page_sites(struct web_req *r);
enum rc page_site(struct web_req *r);
enum rc page_units(struct web_req *r);
enum rc panel_registry(struct web_req *r);
enum rc panel_classes(struct web_req *r);

/* api_reg.c: sites, columns, units */
enum rc api_sites(struct web_req *r);
enum rc api_site(struct web_req *r);
enum rc api_site_columns(struct web_req *r);
enum rc api_units(struct web_req *r);

/* page_users.c: 用户 (pages and API) */
enum rc page_users(struct web_req *r);
enum rc page_user_new(struct web_req *r);
enum rc page_user_create(struct web_req *r);
enum rc page_user(struct web_req *r);
enum rc page_user_update(struct web_req *r);
enum rc api_users(struct web_req *r);
enum rc api_user_create(struct web_req *r);
enum rc api_user(struct web_req *r);
enum rc api_user_update(struct web_req *r);

#endif
