/* api_findings.c - /api/v1/findings: list (and CSV/XLSX export), one finding with its
 * history, dismiss and restore (docs/api.md, "Findings"). */
#include <json-c/json.h>
#include <string.h>

#include "core/str.h"
#include "web/web_int.h"

enum rc api_findings(struct web_req *r)
{
    struct web_page pg;
    struct web__finding_q f;
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = web__finding_query(r, &f)))
        return rc;
    const char *format = web_query(r, "format");
    if (format && (!strcmp(format, "csv") || !strcmp(format, "xlsx")))
        return web__finding_export(r, &f, format[0] == 'x');
    if (format && strcmp(format, "json"))
        return web_fail(r, RC_INVALID, "format '%s' is not json, csv or xlsx", format);
    struct check_row *rows;
    size_t n;
    if ((rc = web__finding_list(r, &f, &pg, &rows, &n)))
        return rc;
    struct jw w;
    web_list_begin(r, &w);
    for (size_t i = 0; i < n; i++)
        check_row_json(&w, &rows[i], r->clk->tzoff);
    check_rows_free(rows, n);
    return web_list_send(r, &w, &pg);
}

struct hist {
    struct jw *w;
    int tz;
};

static void on_event(const struct check_event *ev, void *ctx)
{
    struct hist *h = ctx;
    check_event_json(h->w, ev, h->tz);
}

/* The finding as `finding show --json` prints it: its fields and "history". */
static enum rc send_finding(struct web_req *r, const struct check_row *f)
{
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    check_row_json_fields(&w, f, r->clk->tzoff);
    jw_key(&w, "history");
    jw_arr(&w);
    struct hist h = { &w, r->clk->tzoff };
    struct err e = { 0 };
    enum rc rc = check_finding_events(r->db, f->id, on_event, &h, &e);
    jw_end(&w);
    jw_end(&w);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    return web_json_send(r, &w, 200);
}

enum rc api_finding(struct web_req *r)
{
    struct check_row f;
    enum rc rc;
    if ((rc = web__finding_get(r, &f)))
        return rc;
    rc = send_finding(r, &f);
    check_row_release(&f);
    return rc;
}

static enum rc change(struct web_req *r, bool dismiss)
{
    struct check_row f;
    json_object *o;
    enum rc rc;
    if ((rc = web__finding_get(r, &f)))
        return rc;
    bool ok = true;
    const char *reason = NULL;
    if (!(rc = web_json_body(r, &o)))
        reason = web_jstr(r, o, "reason", &ok);
    if (!rc && ok && !(rc = web__finding_change(r, &f, dismiss, reason))) {
        int64_t id = f.id;
        check_row_release(&f);
        struct err e = { 0 };
        if ((rc = check_finding_get(r->db, id, &f, &e)))
            return web_fail(r, rc, "%s", err_msg(&e));
        rc = send_finding(r, &f);
    }
    check_row_release(&f);
    return rc ? rc : ok ? RC_OK : r->err.rc;
}

enum rc api_finding_dismiss(struct web_req *r)
{
    return change(r, true);
}

enum rc api_finding_restore(struct web_req *r)
{
    return change(r, false);
}
