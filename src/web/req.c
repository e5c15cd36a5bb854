/* req.c - request readers and response writers for handlers (web.h). */
#include <stdio.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include <stdarg.h>
#include <string.h>

#include "core/esc.h"
#include "core/str.h"
#include "core/utf8.h"
#include "web/web_int.h"

/* ---- reading ------------------------------------------------------------------------- */

const char *web_param(struct web_req *r, const char *name)
{
    for (int i = 0; i < r->nparams; i++)
        if (!strcmp(r->params[i].k, name))
            return r->params[i].v;
    return NULL;
}

enum rc web_param_id(struct web_req *r, const char *name, int64_t *id)
{
    const char *v = web_param(r, name);
    if (!v || !cstr_to_i64(v, id) || *id <= 0)
        return web_fail(r, RC_NOTFOUND, "'%s' is not an id; ids are positive integers", v ? v : "");
    return RC_OK;
}

const char *web_query(struct web_req *r, const char *name)
{
    const char *v = MHD_lookup_connection_value(r->conn, MHD_GET_ARGUMENT_KIND, name);
    if (v && !utf8_valid(v, strlen(v))) {
        struct buf b = BUF_INIT;
        utf8_sanitize(&b, v, strlen(v));
        v = arena_strdup(&r->a, buf_cstr(&b));
        buf_release(&b);
    }
    return v;
}

const char *web_header_in(struct web_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_HEADER_KIND, name);
}

const char *web_cookie(struct web_req *r, const char *name)
{
    return MHD_lookup_connection_value(r->conn, MHD_COOKIE_KIND, name);
}

static int hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* %-decode into the arena; invalid UTF-8 becomes U+FFFD so the database only ever sees
 * valid text. */
static char *decode(struct arena *a, const char *s, size_t n)
{
    char *out = arena_alloc(a, n + 1), *o = out;
    for (size_t i = 0; i < n; i++) {
        if (s[i] == '+') {
            *o++ = ' ';
        } else if (s[i] == '%' && i + 2 < n && hexval((unsigned char)s[i + 1]) >= 0 &&
                   hexval((unsigned char)s[i + 2]) >= 0) {
            *o++ = (char)(hexval((unsigned char)s[i + 1]) * 16 + hexval((unsigned char)s[i + 2]));
            i += 2;
        } else {
            *o++ = s[i];
        }
    }
    *o = '\0';
    size_t len = (size_t)(o - out);
    if (strlen(out) != len || !utf8_valid(out, len)) {
        struct buf b = BUF_INIT;
        utf8_sanitize(&b, out, strlen(out));
        out = arena_strdup(a, buf_cstr(&b));
        buf_release(&b);
    }
    return out;
}

size_t web_urlencoded_parse(struct arena *a, const char *s, size_t n, struct web_kv *out,
                            size_t max)
{
    size_t k = 0, i = 0;
    while (i < n && k < max) {
        size_t j = i;
        while (j < n && s[j] != '&')
            j++;
        if (j > i) {
            size_t eq = i;
            while (eq < j && s[eq] != '=')
                eq++;
            out[k].k = decode(a, s + i, eq - i);
            out[k].v = eq < j ? decode(a, s + eq + 1, j - eq - 1) : arena_strdup(a, "");
            k++;
        }
        i = j + 1;
    }
    return k;
}

#define WEB_MAX_FORM 256

const char *web_form(struct web_req *r, const char *name)
{
    if (!r->form_parsed) {
        r->form_parsed = true;
        const char *ct = web_header_in(r, "Content-Type");
        if (ct && !ascii_ncasecmp(ct, "application/x-www-form-urlencoded", 33)) {
            r->form = arena_alloc(&r->a, WEB_MAX_FORM * sizeof(*r->form));
            r->nform = web_urlencoded_parse(&r->a, r->body.p ? r->body.p : "", r->body.n, r->form,
                                            WEB_MAX_FORM);
        }
    }
    for (size_t i = 0; i < r->nform; i++)
        if (!strcmp(r->form[i].k, name))
            return r->form[i].v;
    return NULL;
}

enum rc web_json_body(struct web_req *r, struct json_object **out)
{
    if (!r->json) {
        if (!r->body.n)
            return web_fail(r, RC_INVALID, "a JSON object is required as the request body");
        if (!utf8_valid(r->body.p, r->body.n))
            return web_fail(r, RC_PARSE, "the request body is not UTF-8");
        struct json_tokener *tok = json_tokener_new_ex(16);
        json_object *o = json_tokener_parse_ex(tok, r->body.p, (int)r->body.n);
        enum json_tokener_error je = json_tokener_get_error(tok);
        size_t used = json_tokener_get_parse_end(tok);
        json_tokener_free(tok);
        if (!o || je != json_tokener_success) {
            if (o)
                json_object_put(o);
            return web_fail(
                r, RC_PARSE, "the request body is not JSON: %s",
                json_tokener_error_desc(je == json_tokener_success ? json_tokener_continue : je));
        }
        while (used < r->body.n && ascii_isspace((unsigned char)r->body.p[used]))
            used++;
        if (used != r->body.n) {
            json_object_put(o);
            return web_fail(r, RC_PARSE, "the request body has data after the JSON value");
        }
        if (!json_object_is_type(o, json_type_object)) {
            json_object_put(o);
            return web_fail(r, RC_INVALID, "the request body must be a JSON object");
        }
        r->json = o;
    }
    *out = r->json;
    return RC_OK;
}

const char *web_jstr(struct web_req *r, struct json_object *o, const char *key, bool *ok)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return NULL;
    if (!json_object_is_type(v, json_type_string)) {
        web_fail(r, RC_INVALID, "\"%s\" must be a string", key);
        *ok = false;
        return NULL;
    }
    return json_object_get_string(v);
}

enum rc web_paging(struct web_req *r, struct web_page *pg)
{
    const char *p = web_query(r, "page"), *pp = web_query(r, "per_page");
    int page = 1, per = 50;
    if (p && !cstr_to_int(p, 1, 1000000, &page))
        return web_fail(r, RC_INVALID, "page '%s' must be a number from 1", p);
    if (pp && !cstr_to_int(pp, 1, 500, &per))
        return web_fail(r, RC_INVALID, "per_page '%s' must be a number from 1 to 500", pp);
    pg->page = page;
    pg->per_page = per;
    pg->offset = (int64_t)(page - 1) * per;
    pg->total = 0;
    return RC_OK;
}

/* ---- writing ------------------------------------------------------------------------- */

enum rc web_fail(struct web_req *r, enum rc rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(&r->err, rc, fmt, ap);
    va_end(ap);
    return rc;
}

void web_header(struct web_req *r, const char *name, const char *value)
{
    if (r->nhdrs == r->caphdrs) {
        size_t cap = r->caphdrs ? 2 * r->caphdrs : 8;
        struct web_kv *n = arena_alloc(&r->a, cap * sizeof(*n));
        if (r->nhdrs)
            memcpy(n, r->hdrs, r->nhdrs * sizeof(*n));
        r->hdrs = n;
        r->caphdrs = cap;
    }
    r->hdrs[r->nhdrs].k = arena_strdup(&r->a, name);
    r->hdrs[r->nhdrs].v = arena_strdup(&r->a, value);
    r->nhdrs++;
}

enum rc web_send(struct web_req *r, int status, const char *ctype)
{
    if (buf_rc(&r->out))
        return web_fail(r, RC_LIMIT, "response too large");
    r->status = status;
    r->ctype = ctype;
    r->sent = true;
    return RC_OK;
}

struct jw *web_json_begin(struct web_req *r, struct jw *w)
{
    buf_reset(&r->out);
    jw_init(w, &r->out, false);
    return w;
}

enum rc web_json_send(struct web_req *r, struct jw *w, int status)
{
    jw_finish(w);
    buf_addc(&r->out, '\n');
    return web_send(r, status, "application/json; charset=utf-8");
}

void web_list_begin(struct web_req *r, struct jw *w)
{
    web_json_begin(r, w);
    jw_obj(w);
    jw_key(w, "items");
    jw_arr(w);
}

/* The request's query with `page` replaced. */
static const char *page_link(struct web_req *r, int64_t page)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, r->path);
    buf_addf(&b, "?page=%lld", (long long)page);
    static const char *const keep[] = { "per_page", "q", "unit", "type", "status", "class", NULL };
    for (int i = 0; keep[i]; i++) {
        const char *v = web_query(r, keep[i]);
        if (v) {
            buf_addf(&b, "&%s=", keep[i]);
            esc_url(&b, v);
        }
    }
    const char *s = arena_strdup(&r->a, buf_cstr(&b));
    buf_release(&b);
    return s;
}

enum rc web_list_send(struct web_req *r, struct jw *w, const struct web_page *pg)
{
    int64_t pages = pg->total ? (pg->total + pg->per_page - 1) / pg->per_page : 0;
    jw_end(w);
    jw_kint(w, "page", pg->page);
    jw_kint(w, "per_page", pg->per_page);
    jw_kint(w, "total", pg->total);
    jw_kint(w, "pages", pages);
    jw_end(w);
    char n[24];
    snprintf(n, sizeof(n), "%lld", (long long)pg->total);
    web_header(r, "X-Total-Count", n);
    struct buf link = BUF_INIT;
    if (pg->page < pages)
        buf_addf(&link, "<%s>; rel=\"next\"", page_link(r, pg->page + 1));
    if (pg->page > 1 && pages)
        buf_addf(&link, "%s<%s>; rel=\"prev\"", link.n ? ", " : "",
                 page_link(r, pg->page - 1 < pages ? pg->page - 1 : pages));
    if (link.n)
        web_header(r, "Link", link.p);
    buf_release(&link);
    return web_json_send(r, w, 200);
}

enum rc web_redirect(struct web_req *r, const char *location)
{
    const char *loc = location;
    if (!loc || loc[0] != '/' || loc[1] == '/' || loc[1] == '\\')
        loc = "/";
    web_header(r, "Location", loc);
    buf_reset(&r->out);
    return web_send(r, 303, "text/plain; charset=utf-8");
}

enum rc web_download(struct web_req *r, const char *ctype, const char *filename)
{
    struct buf b = BUF_INIT;
    buf_adds(&b, "attachment; filename=\"");
    /* ASCII fallback for old clients: one '_' per non-ASCII character */
    for (const unsigned char *p = (const unsigned char *)filename; *p; p++) {
        if (*p >= 0x80) {
            if ((*p & 0xC0) != 0x80)
                buf_addc(&b, '_');
        } else {
            buf_addc(&b, (*p != '"' && *p != '\\' && *p >= 0x20) ? (char)*p : '_');
        }
    }
    buf_adds(&b, "\"; filename*=UTF-8''");
    esc_url(&b, filename);
    web_header(r, "Content-Disposition", b.p);
    buf_release(&b);
    return web_send(r, 200, ctype);
}

enum rc web_csv_send(struct web_req *r, const char *filename)
{
    /* Prepend the BOM Excel wants to read UTF-8. */
    struct buf b = BUF_INIT;
    buf_adds(&b, "\xEF\xBB\xBF");
    buf_addbuf(&b, &r->out);
    buf_release(&r->out);
    r->out = b;
    return web_download(r, "text/csv; charset=utf-8", filename);
}
