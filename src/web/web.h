/* web.h - `govsite serve`: the HTTP server, its route table, and what handlers use.
 *
 * One libmicrohttpd daemon with a thread pool (MHD_USE_INTERNAL_POLLING_THREAD +
 * MHD_OPTION_THREAD_POOL_SIZE).  Each worker thread opens its own database connection on
 * its first request and closes it when the thread ends (SQLite in WAL mode lets the
 * workers read concurrently; docs/storage.md).  A request is a `struct web_req` with its
 * own arena, freed when libmicrohttpd reports the request complete.  The router matches
 * the method and path against routes[] (registry.c), authenticates the client (session
 * cookie or `Authorization: Bearer`), checks the route's roles and, for state-changing
 * requests made with a cookie, the CSRF token; then it calls the handler.  docs/web.md
 * describes the framework and docs/security.md the authorization rules.
 *
 * A handler fills the response with the helpers below and returns RC_OK, or returns the
 * code of web_fail() and the router answers with the error: JSON
 * {"error":{"code":"NOTFOUND","message":"..."}} with status rc_http(code) under /api/,
 * a Chinese error page elsewhere.
 *
 * Adding a route/page:
 *   1. write the handler `enum rc page_x(struct web_req *r)` / `api_x(...)` in
 *      src/web/page_<area>.c or api_<area>.c and declare it in web_int.h;
 *   2. add a row to routes[] in src/web/registry.c: method, pattern ("/api/v1/x/{id}"),
 *      handler, roles (ROLES_* from auth.h), .mutates for anything that changes state
 *      (POST/PUT/PATCH/DELETE: CSRF-checked for cookie sessions, refused to viewers
 *      unless the roles allow them);
 *   3. for unit-scoped data (findings, work items), filter lists by web_scope_unit() and
 *      call web_scope_check() on every single item before showing or changing it;
 *   4. a page with a navigation entry gets a row in web_navs[] (registry.c); a panel on
 *      总览 gets a row in web_panels[]; a gauge for /metrics a row in metric_collectors[]
 *      (metrics.c);
 *   5. every byte of data in HTML goes through web_e()/esc_html, in JSON through jw_*;
 *   6. tests: the role matrix in tests/unit/test_web.c (each role × read and write),
 *      escaping and SQL metacharacters for each text field shown, and an e2e case;
 *   7. document API routes in docs/api.md with a curl example.
 */
#ifndef WEB_WEB_H
#define WEB_WEB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/clk.h"
#include "core/conf.h"
#include "core/err.h"
#include "core/json.h"
#include "store/keyset.h"
#include "store/store.h"
#include "web/auth.h"

struct json_object;
struct web_server;
struct web_req;

/* ---- the server ---------------------------------------------------------------------- */

struct web_conf {
    const char *listen;    /* "127.0.0.1:8080", "[::1]:8080", ":8080"; port 0 = any free */
    const char *cert_file; /* PEM certificate and key: HTTPS when both are given */
    const char *key_file;
    int threads;            /* worker threads (default 4) */
    const char *access_log; /* combined-format access log file, "-" = stderr, NULL = none */
    const char *dsn;        /* database, opened once per worker thread */
    /* How a worker opens its connection; NULL = store_open(dsn) + store_migrate.  Tests
     * use it to put PostgreSQL connections in a private schema. */
    enum rc (*open_db)(void *ctx, struct store **out, struct err *err);
    void *open_ctx;
    const struct clk *clk;   /* "now" for sessions and pages (borrowed) */
    struct auth_policy auth; /* session lifetimes and login throttling */
    size_t max_body;         /* request body cap in bytes (default 1 MiB): RC_LIMIT, 413 */
    const struct conf *conf; /* the configuration, for modules' own settings (may be NULL) */
    /* The public side (page_public.c, docs/web.md "Public side"): off unless `[web] public
     * = on` or `serve --public`; then citizens submit 依申请公开 requests and 咨询 without
     * an account and look them up.  Submissions per client address per window, and
     * failed lookups per address per window, before 429. */
    bool public_on;
    int public_max_submissions;    /* default 5 */
    int public_max_lookup_failures; /* default 20 */
    int64_t public_window;         /* seconds, default 3600 */
};

/* Defaults for everything (listen 127.0.0.1:8080, 4 threads, 1 MiB bodies, auth policy). */
void web_conf_init(struct web_conf *c);
/* Read the [web] section of a configuration file into c (docs/web.md lists the keys). */
enum rc web_conf_load(struct web_conf *c, const struct conf *cf, struct err *err);

/* Start listening.  The first worker connection is opened here, so a bad database fails
 * the start, not the first request. */
enum rc web_start(const struct web_conf *c, struct web_server **out, struct err *err);
int web_port(const struct web_server *s); /* the bound port (useful with port 0) */
bool web_https(const struct web_server *s);
/* Graceful stop: stop accepting, let requests in flight finish (up to grace_ms), stop the
 * workers (each closes its database connection) and free everything.  NULL-safe. */
void web_stop(struct web_server *s, int grace_ms);
/* Requests started and not yet completed (for tests and the shutdown log). */
int web_inflight(const struct web_server *s);

/* ---- routes -------------------------------------------------------------------------- */

typedef enum rc web_handler_fn(struct web_req *r);

struct route {
    const char *method;  /* "GET", "POST", "PATCH", "DELETE"; GET routes also answer HEAD */
    const char *pattern; /* "/api/v1/sites/{id}/columns": {name} matches one path segment;
                          * {name+} (the last parameter) one or more, '/' included, up to
                          * the literal tail: a tracking number may hold '/' (%2F) */
    web_handler_fn *fn;
    unsigned roles;   /* ROLES_PUBLIC (anonymous allowed) or a mask of ROLE_* bits */
    bool mutates;     /* changes state: CSRF-checked when authenticated by cookie */
    bool csrf_exempt; /* only for logging in (no session exists yet; Origin is checked) */
    /* A route of the public side: 404 unless web_conf.public_on; no authentication (the
     * client is always anonymous, even with a session cookie); the handler checks its
     * own double-submit CSRF token (page_public.c). */
    bool public_side;
};

extern const struct route routes[]; /* ends with { NULL } */
extern const size_t web_nroutes;

/* Navigation entries of the layout, in order; only modules that exist add theirs. */
struct web_nav {
    const char *key;   /* "sites": the page passes it to web_layout_begin to mark it current */
    const char *label; /* 站点与栏目 */
    const char *href;  /* "/sites" */
    unsigned roles;    /* who sees the entry */
};
extern const struct web_nav web_navs[]; /* ends with { NULL } */

/* Panels of 总览 (the dashboard), in order.  render appends one <section> body. */
struct web_panel {
    const char *key;
    const char *title;
    unsigned roles;
    enum rc (*render)(struct web_req *r);
};
extern const struct web_panel web_panels[]; /* ends with { NULL } */

/* Sections of a site's page (/sites/{id}) after its facts, in order: render appends one
 * <section> body for site `site_id`.  Verdicts, availability and open findings today; the
 * crawler's freshness and publication counts come as rows here. */
struct web_site_section {
    const char *key;
    const char *title;
    unsigned roles;
    enum rc (*render)(struct web_req *r, int64_t site_id);
};
extern const struct web_site_section web_site_sections[]; /* ends with { NULL } */

/* ---- the request --------------------------------------------------------------------- */

#define WEB_MAX_PARAMS 8

struct web_kv {
    const char *k, *v;
};

struct web_req {
    struct arena a; /* per-request arena: freed when the request completes */
    struct web_server *srv;
    struct store *db; /* this worker's connection */
    const struct clk *clk;
    const char *method, *path; /* path without the query, %-decoded by libmicrohttpd */
    const char *ip;            /* client address */
    const struct route *route; /* the matched route */
    bool api;                  /* under /api/: JSON errors */
    bool https;
    /* who is asking (set by the router before the handler runs) */
    struct auth_user *user;    /* NULL: anonymous */
    const char *csrf;          /* the session's CSRF token (cookie sessions only) */
    const char *session_token; /* the cookie value (to end the session) */
    bool via_token;            /* authenticated by a bearer token */
    /* path parameters from {name} segments */
    struct web_kv params[WEB_MAX_PARAMS];
    int nparams;
    /* the body (capped by web_conf.max_body) */
    struct buf body;
    struct web_kv *form; /* parsed urlencoded body, on first web_form() */
    size_t nform;
    bool form_parsed;
    struct json_object *json; /* parsed JSON body, on first web_json_body() */
    /* the response */
    int status;
    const char *ctype;
    struct buf out;
    struct web_kv *hdrs; /* extra response headers (arena) */
    size_t nhdrs, caphdrs;
    bool sent;        /* a response was produced */
    size_t out_bytes; /* body bytes queued (access log) */
    struct err err;   /* set by web_fail() */
    void *conn;       /* libmicrohttpd's connection (private) */
    void *worker;     /* the worker thread's state (private: web_slot_get/set) */
    int64_t t0_ms;
};

/* Path parameter by name (NULL when the route has none of that name). */
const char *web_param(struct web_req *r, const char *name);
/* A positive integer path parameter; RC_NOTFOUND (web_fail) otherwise. */
enum rc web_param_id(struct web_req *r, const char *name, int64_t *id);
/* Query argument (?name=value, decoded); NULL when absent. */
const char *web_query(struct web_req *r, const char *name);
/* Field of an application/x-www-form-urlencoded body; NULL when absent. */
const char *web_form(struct web_req *r, const char *name);
/* Request header / cookie; NULL when absent. */
const char *web_header_in(struct web_req *r, const char *name);
const char *web_cookie(struct web_req *r, const char *name);
/* The JSON body (must be an object; depth ≤ 16); owned by the request.  RC_PARSE or
 * RC_INVALID via web_fail when absent or malformed. */
enum rc web_json_body(struct web_req *r, struct json_object **out);
/* Members of a JSON object: string (NULL when absent or null; RC_INVALID via web_fail
 * when present with another type, *ok = false), and boolean. */
const char *web_jstr(struct web_req *r, struct json_object *o, const char *key, bool *ok);

/* Parse an urlencoded string into pairs in the arena (form bodies; fuzzed).  '+' is a
 * space, %XX decoded, invalid escapes kept literally; at most max pairs. */
size_t web_urlencoded_parse(struct arena *a, const char *s, size_t n, struct web_kv *out,
                            size_t max);

/* Pagination: ?page=N (from 1) & per_page=M (1..500, default 50), and for long lists a
 * keyset position: ?after=CURSOR (the page after that row) or ?before=CURSOR (store/
 * keyset.h), which a list reads instead of skipping `offset` rows.  RC_INVALID (web_fail)
 * for anything malformed.  After reading the page, set total (web_count_cached) and, for
 * a keyset list, the cursors of its first and last rows (web_page_cursors): then the
 * Link header and web_pager's links walk by cursor, and `page` only numbers the page. */
struct web_page {
    int64_t page, per_page, offset, total;
    struct keyset pos;     /* from ?after= / ?before= (unset: by offset) */
    const char *first_pos; /* cursor of the page's first row (arena), or NULL */
    const char *last_pos;  /* cursor of its last row, or NULL */
};
enum rc web_paging(struct web_req *r, struct web_page *pg);
void web_page_cursors(struct web_req *r, struct web_page *pg, const char *first, const char *last);

/* ---- change counters and kept counts ------------------------------------------------- */

/* The number of writes so far to `table` (change_counters, 0010_web2.sql: every INSERT,
 * UPDATE and DELETE bumps it, whoever writes), or -1 when the table has no counter. */
int64_t web_changes(struct web_req *r, const char *table);
/* A count kept in memory by the server: `key` names the query and every filter value
 * (e.g. "cases|unit=3|which=open"), `table` the table it counts.  While the table's change
 * counter has not moved since the count was made, the kept figure is returned; otherwise
 * count() runs and its answer is kept.  A count that depends on the clock (overdue items)
 * puts the instant in the key.  Errors of count() are returned as they are. */
enum rc web_count_cached(struct web_req *r, const char *table, const char *key,
                         enum rc (*count)(struct web_req *r, void *ctx, int64_t *n), void *ctx,
                         int64_t *n);
/* The same for any value: make() appends its bytes to out when the kept copy is missing
 * or stale; otherwise the kept bytes are appended.  (Per-unit and per-site counts that a
 * list shows on every row are kept this way instead of a sub-query per row.) */
enum rc web_kept(struct web_req *r, const char *table, const char *key,
                 enum rc (*make)(struct web_req *r, void *ctx, struct buf *out), void *ctx,
                 struct buf *out);

/* Counts per row of another table, kept: `sql` is "SELECT id, COUNT(*) ... GROUP BY id
 * ORDER BY id" over `table` (no parameters); web_counts_get finds an id's count (0 when
 * absent) by binary search.  The pairs live in the request's arena. */
struct web_counts {
    const int64_t *v; /* id, count, id, count, ... */
    size_t n;
};
enum rc web_kept_counts(struct web_req *r, const char *table, const char *sql,
                        struct web_counts *out);
int64_t web_counts_get(const struct web_counts *c, int64_t id);

/* Per-worker state kept between requests: a loaded calendar and deadline rules, a
 * compiled wording dictionary.  Each worker thread has one pointer per slot, NULL until a
 * handler stores one with its release function (called when the worker ends or the slot
 * is replaced).  Handlers check a change counter to know when to rebuild. */
enum web_slot { WEB_SLOT_CASES, WEB_SLOT_WORDING, WEB_NSLOTS };
void *web_slot_get(struct web_req *r, enum web_slot slot);
void web_slot_set(struct web_req *r, enum web_slot slot, void *p, void (*release)(void *));

/* ---- access -------------------------------------------------------------------------- */

/* The unit an editor is confined to, or 0 when the user may see every unit. */
int64_t web_scope_unit(const struct web_req *r);
/* For one unit-scoped item: RC_OK when the user may see it; otherwise the denied access
 * is logged and audited and RC_NOTFOUND (naming `what`) is returned via web_fail, so
 * the item's existence is not revealed. */
enum rc web_scope_check(struct web_req *r, int64_t unit_id, const char *what);
/* Log and audit a denied access (the router does this for role and CSRF refusals). */
void web_deny(struct web_req *r, const char *why);
/* True when the user has one of the roles. */
bool web_can(const struct web_req *r, unsigned roles);

/* ---- responses ----------------------------------------------------------------------- */

/* Record an error for the router to render; returns rc. */
enum rc web_fail(struct web_req *r, enum rc rc, const char *fmt, ...) FMT_PRINTF(3, 4);
/* Add a response header (copied). */
void web_header(struct web_req *r, const char *name, const char *value);
/* Send r->out with status and content type. */
enum rc web_send(struct web_req *r, int status, const char *ctype);
/* JSON: web_json_begin gives a writer on r->out; web_json_send finishes and sends. */
struct jw *web_json_begin(struct web_req *r, struct jw *w);
enum rc web_json_send(struct web_req *r, struct jw *w, int status);
/* The list envelope {"items":[...], "page", "per_page", "total", "pages"} plus
 * X-Total-Count and Link (rel=next/prev) headers: begin opens the items array. */
void web_list_begin(struct web_req *r, struct jw *w);
enum rc web_list_send(struct web_req *r, struct jw *w, const struct web_page *pg);
/* 303 See Other to a local path (anything not starting with a single '/' becomes "/"). */
enum rc web_redirect(struct web_req *r, const char *location);
/* A download: Content-Disposition attachment with an RFC 5987 filename (UTF-8 allowed). */
enum rc web_download(struct web_req *r, const char *ctype, const char *filename);
/* A CSV download of r->out (UTF-8 with BOM so Excel opens it). */
enum rc web_csv_send(struct web_req *r, const char *filename);

/* An export of a list as CSV (UTF-8 with a BOM, formulas defused) or XLSX (one sheet,
 * through the report module's document model and renderer):
 *     web_export_begin(&x, r, xlsx, "问题清单", head, n);  then web_export_row per row;
 *     return web_export_send(&x, rc);   → 问题清单.csv / 问题清单.xlsx, or rc when not OK */
struct doc;
struct doc_table;
struct web_export {
    struct web_req *r;
    bool xlsx;
    const char *title; /* the file name without extension; the sheet's name */
    size_t ncols;
    struct doc *d;
    struct doc_table *t;
};
void web_export_begin(struct web_export *x, struct web_req *r, bool xlsx, const char *title,
                      const char *const *head, size_t ncols);
void web_export_row(struct web_export *x, const char *const *cells); /* ncols cells; NULL = "" */
enum rc web_export_send(struct web_export *x, enum rc rc);

/* ---- HTML ---------------------------------------------------------------------------- */

/* The page frame: head, navigation (web_navs[] the user may see; `nav` marks the current
 * entry), the account menu with 退出.  Then append the body and call web_layout_end. */
void web_layout_begin(struct web_req *r, const char *title, const char *nav);
enum rc web_layout_end(struct web_req *r);
void web_e(struct web_req *r, const char *s); /* escaped text */
void web_raw(struct web_req *r, const char *s);
void web_rawf(struct web_req *r, const char *fmt, ...) FMT_PRINTF(2, 3); /* no %s of data! */
void web_csrf_field(struct web_req *r); /* <input type=hidden name=csrf ...> */
/* Page links for a list ("共 N 条，第 p / P 页", 上一页, 下一页): the other query arguments
 * are kept; a keyset list's links carry its cursors (web_page_cursors). */
void web_pager(struct web_req *r, const struct web_page *pg);
/* A message above a form: <p class="flash error|ok">; nothing when msg is NULL. */
void web_flash(struct web_req *r, const char *msg, bool error);
/* <option value=…> marked selected when value equals cur (escaped). */
void web_option(struct web_req *r, const char *value, const char *label, const char *cur);
/* An instant as China time "2018-11-05 10:00" (escaped), "—" for 0. */
void web_time(struct web_req *r, int64_t t);
/* One <dt>label</dt><dd>value</dd> of a <dl class="facts"> ("—" for NULL or ""), or a time. */
void web_fact(struct web_req *r, const char *label, const char *value);
void web_fact_time(struct web_req *r, const char *label, int64_t t);
/* An <a href> to a local path built from parts: web_link(r, "/sites/", id_text, label). */
void web_link(struct web_req *r, const char *href, const char *label);

/* SVG charts drawn by the server (escaped labels, no script, fixed size, CSP-safe). */
struct web_series {
    const char *name;
    const double *v; /* n values */
};
struct web_chart {
    const char *title;         /* aria-label */
    const char *const *labels; /* n category labels (x axis) */
    size_t n;
    const struct web_series *series;
    size_t nseries;
    int width, height; /* 0: 640 × 240 */
};
void web_svg_bar(struct buf *b, const struct web_chart *c);
void web_svg_line(struct buf *b, const struct web_chart *c);

#endif
