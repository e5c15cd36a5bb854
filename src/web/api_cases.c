/* api_cases.c - /api/v1/cases: list (and CSV/XLSX export), one item, register, record a
 * step, statistics (docs/api.md, "Work items"). */
#include <json-c/json.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/esc.h"
#include "core/str.h"
#include "reg/reg.h"
#include "web/web_int.h"

enum rc api_cases(struct web_req *r)
{
    struct web_page pg;
    struct web__case_q f;
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = web__case_query(r, &f)))
        return rc;
    const char *format = web_query(r, "format");
    if (format && (!strcmp(format, "csv") || !strcmp(format, "xlsx")))
        return web__case_export(r, &f, format[0] == 'x');
    if (format && strcmp(format, "json"))
        return web_fail(r, RC_INVALID, "format '%s' is not json, csv or xlsx", format);
    struct case_list l;
    if ((rc = web__case_list(r, &f, &pg, &l)))
        return rc;
    enum case_view view = web__case_view(r);
    struct jw w;
    web_list_begin(r, &w);
    for (size_t i = 0; i < l.items.n; i++)
        web__case_brief_json(r, &w, &l.items.v[i], &l.states.v[i], view);
    case_list_release(&l);
    return web_list_send(r, &w, &pg);
}

/* The full object of one item as it stands now, as `case show --json --explain` prints it. */
static enum rc send_item(struct web_req *r, const char *number, int status)
{
    struct case_item it;
    struct case_state st;
    struct deadline_explain ex;
    enum rc rc;
    if ((rc = web__case_now(r, number, &it, &st, &ex)))
        return rc;
    struct jw w;
    web_json_begin(r, &w);
    case_json(&w, web__cases(r), &it, &st, web__case_view(r), web__case_roles(r), &ex, true);
    deadline_explain_release(&ex);
    return web_json_send(r, &w, status);
}

enum rc api_case(struct web_req *r)
{
    return send_item(r, web_param(r, "number"), 200);
}

/* JSON members: a string, an integer or a boolean, each optional. */
static bool jint(struct web_req *r, json_object *o, const char *key, int64_t lo, int64_t hi,
                 int64_t *out)
{
    json_object *v;
    if (!json_object_object_get_ex(o, key, &v) || json_object_is_type(v, json_type_null))
        return true;
    if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) < lo ||
        json_object_get_int64(v) > hi) {
        web_fail(r, RC_INVALID, "\"%s\" must be an integer from %lld to %lld", key, (long long)lo,
                 (long long)hi);
        return false;
    }
    *out = json_object_get_int64(v);
    return true;
}

/* "unit" may be an id or a name. */
enum rc api_case_event(struct web_req *r)
{
    struct case_item it;
    json_object *o;
    enum rc rc;
    if ((rc = web__case_get(r, web_param(r, "number"), &it)) || (rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    struct web__step in = { .type = web_jstr(r, o, "type", &ok),
                            .outcome = web_jstr(r, o, "outcome", &ok),
                            .note = web_jstr(r, o, "note", &ok),
                            .reply = web_jstr(r, o, "reply", &ok),
                            .reply_public = -1 };
    const char *at = web_jstr(r, o, "at", &ok), *unit = web__jtext(r, o, "unit", &ok);
    int64_t days = 0;
    json_object *pub;
    if (ok && json_object_object_get_ex(o, "public", &pub) &&
        !json_object_is_type(pub, json_type_null)) {
        if (!json_object_is_type(pub, json_type_boolean))
            return web_fail(r, RC_INVALID, "\"public\" must be true or false");
        in.reply_public = json_object_get_boolean(pub) ? 1 : 0;
    }
    if (!ok || !jint(r, o, "days", 1, 1000, &days))
        return r->err.rc;
    in.days = (int)days;
    if (!str_empty(at) && (rc = web__parse_time(r, "at", at, &in.at)))
        return rc;
    if (!str_empty(unit) && (!cstr_to_i64(unit, &in.unit_id) || in.unit_id <= 0)) {
        struct err e = { 0 };
        if (reg_unit_lookup(r->db, unit, &in.unit_id, &e))
            return web_fail(r, RC_INVALID, "%s", err_msg(&e));
    }
    struct case_state after;
    rc = web__case_step(r, &it, &in, &after);
    if (rc == RC_CONFLICT) {
        /* The refusal names the steps allowed now, also as data. */
        struct case_ctx *x = web__cases(r);
        const struct case_transition *v[32];
        size_t n = case_allowed(x, &it, web__case_roles(r), v, 32);
        struct jw w;
        web_json_begin(r, &w);
        jw_obj(&w);
        jw_key(&w, "error");
        jw_obj(&w);
        jw_kstr(&w, "code", rc_name(RC_CONFLICT));
        jw_kstr(&w, "message", err_msg(&r->err));
        jw_key(&w, "allowed");
        jw_arr(&w);
        for (size_t i = 0; i < n && i < 32; i++)
            jw_str(&w, v[i]->name);
        jw_end(&w);
        jw_end(&w);
        jw_end(&w);
        return web_json_send(r, &w, 409);
    }
    if (rc)
        return rc;
    return send_item(r, it.number, 200);
}

enum rc api_case_create(struct web_req *r)
{
    json_object *o;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    struct web__case_new n = { .kind = web_jstr(r, o, "kind", &ok),
                               .number = web_jstr(r, o, "number", &ok),
                               .unit = web__jtext(r, o, "unit", &ok),
                               .site = web__jtext(r, o, "site", &ok),
                               .received = web_jstr(r, o, "received", &ok),
                               .channel = web_jstr(r, o, "channel", &ok),
                               .subject = web_jstr(r, o, "subject", &ok),
                               .content = web_jstr(r, o, "content", &ok),
                               .requester = web_jstr(r, o, "requester", &ok),
                               .contact = web_jstr(r, o, "contact", &ok),
                               .requester_type = web_jstr(r, o, "requester_type", &ok),
                               .page_url = web_jstr(r, o, "page_url", &ok) };
    if (!ok)
        return r->err.rc;
    char *number = NULL;
    if ((rc = web__case_add(r, &n, &number)))
        return rc;
    struct buf loc = BUF_INIT;
    buf_adds(&loc, "/api/v1/cases/");
    esc_url(&loc, number);
    web_header(r, "Location", buf_cstr(&loc));
    buf_release(&loc);
    rc = send_item(r, number, 201);
    free(number);
    return rc;
}

/* ?kind= (default all) &from= &to= (default this month) &as_of= &by=unit|site|kind. */
enum rc web__case_stats(struct web_req *r, struct web__stats_q *s)
{
    memset(s, 0, sizeof(*s));
    const char *kind = web_query(r, "kind"), *from = web_query(r, "from"), *to = web_query(r, "to"),
               *as_of = web_query(r, "as_of"), *by = web_query(r, "by");
    struct err e = { 0 };
    s->kinds = CASE_KINDS_ALL;
    if (!str_empty(kind) && case_kinds_parse(kind, &s->kinds, &e))
        return web_fail(r, RC_INVALID, "%s", err_msg(&e));
    int32_t today = time_to_date(clk_now(r->clk), r->clk->tzoff);
    int y, m, d;
    date_to_ymd(today, &y, &m, &d);
    s->from = date_from_ymd(y, m, 1);
    s->to = date_add_months(s->from, 1) - 1;
    if (!str_empty(from) && !date_parse(from, &s->from))
        return web_fail(r, RC_INVALID, "from '%s' is not a date; use YYYY-MM-DD", from);
    if (!str_empty(to) && !date_parse(to, &s->to))
        return web_fail(r, RC_INVALID, "to '%s' is not a date; use YYYY-MM-DD", to);
    if (s->to < s->from)
        return web_fail(r, RC_INVALID, "to is before from");
    s->as_of = clk_now(r->clk);
    enum rc rc;
    if (!str_empty(as_of)) {
        if ((rc = web__parse_time(r, "as_of", as_of, &s->as_of)))
            return rc;
        if (!strchr(as_of, ':'))
            s->as_of += 86399; /* a bare date: the end of that day */
    }
    if (!str_empty(by) && !case_group_parse(by, &s->by))
        return web_fail(r, RC_INVALID, "by '%s' is not unit, site or kind", by);
    return RC_OK;
}

enum rc api_case_stats(struct web_req *r)
{
    struct web__stats_q s;
    enum rc rc;
    if ((rc = web__case_stats(r, &s)))
        return rc;
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    struct case_stats_result res;
    struct err e = { 0 };
    if (case_stats(x, s.kinds, s.from, s.to, s.as_of, s.by, &res, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    struct jw w;
    web_json_begin(r, &w);
    case_stats_json(&w, x, s.kinds, s.from, s.to, s.as_of, s.by, &res);
    case_stats_release(&res);
    return web_json_send(r, &w, 200);
}
