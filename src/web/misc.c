/* misc.c - /healthz, /metrics and the static assets. */
#include <stdio.h>
#include <string.h>

#include "web/web_int.h"

enum rc page_healthz(struct web_req *r)
{
    struct err e = { 0 };
    int64_t one = 0;
    enum rc rc = store_get_int(r->db, &one, &e, "SELECT 1", "");
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_kstr(&w, "status", rc ? "unavailable" : "ok");
    jw_kstr(&w, "version", GOVSITE_VERSION);
    jw_kstr(&w, "database", store_kind(r->db) == STORE_PG ? "postgresql" : "sqlite");
    if (rc)
        jw_kstr(&w, "error", err_msg(&e));
    jw_end(&w);
    return web_json_send(r, &w, rc ? 503 : 200);
}

enum rc page_metrics(struct web_req *r)
{
    buf_reset(&r->out);
    web__metrics(r);
    return web_send(r, 200, "text/plain; version=0.0.4; charset=utf-8");
}

enum rc page_static(struct web_req *r)
{
    const struct web__asset *a = web__asset(r->srv, web_param(r, "name"));
    if (!a)
        return web_fail(r, RC_NOTFOUND, "no such file: %s", r->path);
    char etag[24];
    snprintf(etag, sizeof(etag), "\"%s\"", a->etag);
    web_header(r, "ETag", etag);
    web_header(r, "Cache-Control", "public, max-age=86400");
    const char *inm = web_header_in(r, "If-None-Match");
    if (inm && !strcmp(inm, etag)) {
        buf_reset(&r->out);
        return web_send(r, 304, a->ctype);
    }
    buf_reset(&r->out);
    buf_addbuf(&r->out, &a->data);
    return web_send(r, 200, a->ctype);
}
