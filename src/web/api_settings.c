/* api_settings.c - /api/v1/settings/...: the JSON twins of 设置 (admins): calendar
 * overrides, the wording dictionary and its tester, deadline rules, column exemptions,
 * probe settings (docs/api.md, "Settings"). */
#include <json-c/json.h>
#include <string.h>

#include "checks/probe.h"
#include "checks/wording.h"
#include "core/date.h"
#include "core/str.h"
#include "web/web_int.h"

/* ---- calendar ------------------------------------------------------------------------ */

static int cal_row(const struct cal_row *row, const struct cal_row *shadowed, void *ctx)
{
    if (row->local)
        cal_row_json(ctx, row, shadowed);
    return 0;
}

enum rc api_calendar(struct web_req *r)
{
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_kstr(&w, "table", x->cal->source);
    jw_kint(&w, "covered_from", x->cal->year_first);
    jw_kint(&w, "covered_to", x->cal->year_last);
    jw_key(&w, "items");
    jw_arr(&w);
    cal_rows(x->cal, DATE_NONE, DATE_NONE, cal_row, &w);
    jw_end(&w);
    jw_end(&w);
    return web_json_send(r, &w, 200);
}

static enum rc calendar_done(struct web_req *r, const char *date, int moved, int status)
{
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_kstr(&w, "date", date);
    jw_kint(&w, "deadlines_moved", moved);
    jw_end(&w);
    return web_json_send(r, &w, status);
}

enum rc api_calendar_set(struct web_req *r)
{
    json_object *o;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    const char *date = web_jstr(r, o, "date", &ok), *kind = web_jstr(r, o, "kind", &ok),
               *name = web_jstr(r, o, "name", &ok);
    if (!ok)
        return r->err.rc;
    int moved = 0;
    if ((rc = web__calendar_set(r, date, kind, name, &moved)))
        return rc;
    return calendar_done(r, date, moved, 200);
}

enum rc api_calendar_unset(struct web_req *r)
{
    int moved = 0;
    enum rc rc = web__calendar_unset(r, web_param(r, "date"), &moved);
    return rc ? rc : calendar_done(r, web_param(r, "date"), moved, 200);
}

/* ---- wording ------------------------------------------------------------------------- */

struct wl {
    struct jw *w;
    const struct web_page *pg;
    int64_t i;
};

static void on_entry(struct web_req *r, const struct wording_entry *e, const char *state, void *ctx)
{
    (void)r;
    struct wl *l = ctx;
    int64_t i = l->i++;
    if (l->w && i >= l->pg->offset && i < l->pg->offset + l->pg->per_page)
        wording_entry_json(l->w, e, state);
}

enum rc api_wording(struct web_req *r)
{
    struct web_page pg;
    struct web__wording_q f;
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = web__wording_filter(r, &f)))
        return rc;
    const struct wording_dict *d = web__wording(r);
    if (!d)
        return r->err.rc;
    struct jw w;
    web_list_begin(r, &w);
    struct wl l = { &w, &pg, 0 };
    web__wording_each(r, d, &f, on_entry, &l);
    pg.total = l.i;
    return web_list_send(r, &w, &pg);
}

enum rc api_wording_add(struct web_req *r)
{
    json_object *o;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    struct web__wording_new n = { .wrong = web_jstr(r, o, "wrong", &ok),
                                  .right = web_jstr(r, o, "right", &ok),
                                  .allow = web_jstr(r, o, "allow", &ok),
                                  .from = web_jstr(r, o, "from", &ok),
                                  .until = web_jstr(r, o, "until", &ok),
                                  .severity = web_jstr(r, o, "severity", &ok),
                                  .category = web_jstr(r, o, "category", &ok),
                                  .note = web_jstr(r, o, "note", &ok) };
    if (!ok)
        return r->err.rc;
    if ((rc = web__wording_add(r, &n)))
        return rc;
    /* the entry as the dictionary now has it */
    const struct wording_dict *d = web__wording(r);
    const struct wording_entry *e = d ? wording_dict_lookup(d, n.wrong, DATE_NONE) : NULL;
    struct jw w;
    web_json_begin(r, &w);
    if (e)
        wording_entry_json(&w, e, e->disabled ? "disabled" : "active");
    else
        jw_null(&w);
    return web_json_send(r, &w, 201);
}

static enum rc remove_or_enable(struct web_req *r, bool enable)
{
    json_object *o;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    const char *wrong = web_jstr(r, o, "wrong", &ok), *what;
    if (!ok)
        return r->err.rc;
    if ((rc = web__wording_remove(r, wrong, enable, &what)))
        return rc;
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_kstr(&w, "wrong", wrong);
    jw_kstr(&w, "result", what);
    jw_end(&w);
    return web_json_send(r, &w, 200);
}

enum rc api_wording_remove(struct web_req *r)
{
    return remove_or_enable(r, false);
}

enum rc api_wording_enable(struct web_req *r)
{
    return remove_or_enable(r, true);
}

enum rc api_wording_test(struct web_req *r)
{
    json_object *o;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    const char *text = web_jstr(r, o, "text", &ok), *date = web_jstr(r, o, "date", &ok);
    if (!ok)
        return r->err.rc;
    if (!text)
        return web_fail(r, RC_INVALID, "\"text\" is required");
    int32_t day = time_to_date(clk_now(r->clk), r->clk->tzoff);
    if (!str_empty(date) && !date_parse(date, &day))
        return web_fail(r, RC_INVALID, "date '%s' is not a date; use YYYY-MM-DD", date);
    const struct wording_dict *d = web__wording(r);
    if (!d)
        return r->err.rc;
    struct wording_hits h = { 0 };
    size_t n = wording_scan(d, text, strlen(text), day, &h);
    struct buf before = BUF_INIT, after = BUF_INIT;
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_kdate(&w, "date", day);
    jw_kint(&w, "count", (int64_t)n);
    jw_kbool(&w, "truncated", h.truncated);
    jw_key(&w, "hits");
    jw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        const struct wording_hit *x = &h.v[i];
        buf_reset(&before);
        buf_reset(&after);
        wording_excerpt(text, strlen(text), x->off, x->len, 12, &before, &after);
        jw_obj(&w);
        jw_kstr(&w, "wrong", x->e->wrong);
        jw_kstr(&w, "right", x->e->right);
        jw_kstr(&w, "severity", check_severity_name(x->e->severity));
        jw_kstr(&w, "category", x->e->category);
        jw_kstr(&w, "source", x->e->source);
        jw_kint(&w, "offset", (int64_t)x->chars);
        jw_kstr(&w, "before", buf_cstr(&before));
        jw_kstr(&w, "after", buf_cstr(&after));
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    buf_release(&before);
    buf_release(&after);
    wording_hits_release(&h);
    return web_json_send(r, &w, 200);
}

/* ---- rules --------------------------------------------------------------------------- */

enum rc api_rules(struct web_req *r)
{
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_key(&w, "rules");
    jw_arr(&w);
    for (size_t i = 0; i < x->rules.n; i++)
        deadline_rule_json(&w, &x->rules.v[i]);
    jw_end(&w);
    jw_key(&w, "kinds");
    jw_arr(&w);
    for (int k = 0; k < CASE_NKINDS; k++) {
        const struct case_kind_conf *kc = &x->kconf[k];
        jw_obj(&w);
        jw_kstr(&w, "kind", case_kinds[k].key);
        jw_kstr(&w, "prefix", kc->prefix);
        jw_key(&w, "rules");
        jw_arr(&w);
        for (int j = 0; j < kc->nsched; j++) {
            jw_obj(&w);
            jw_kdate(&w, "from", kc->sched[j].from);
            jw_kstr(&w, "rule", kc->sched[j].rule);
            jw_end(&w);
        }
        jw_end(&w);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    return web_json_send(r, &w, 200);
}

/* ---- exemptions ---------------------------------------------------------------------- */

struct ex_ctx {
    struct jw *w;
    int32_t today;
    int tz;
};

static int on_exemption(const struct check_exemption *x, void *ctx)
{
    struct ex_ctx *c = ctx;
    struct jw *w = c->w;
    jw_obj(w);
    jw_kint(w, "id", x->id);
    jw_kint(w, "column_id", x->column_id);
    jw_kint(w, "site_id", x->site_id);
    jw_kstr(w, "site", x->site);
    jw_kstr(w, "path", x->path);
    jw_kstr(w, "reason", x->reason);
    jw_kstr(w, "approved_by", x->approved_by);
    jw_kdate(w, "from", x->from);
    jw_kdate(w, "until", x->until);
    jw_kstr(w, "state", x->revoked_at ? "revoked" : x->until < c->today ? "expired" : "active");
    jw_ktime(w, "revoked_at", x->revoked_at, c->tz);
    jw_kstr(w, "revoked_by", x->revoked_by);
    jw_end(w);
    return 0;
}

enum rc api_exemptions(struct web_req *r)
{
    const char *site = web_query(r, "site"), *all = web_query(r, "all");
    int64_t site_id = 0;
    if (!str_empty(site) && (!cstr_to_i64(site, &site_id) || site_id <= 0))
        return web_fail(r, RC_INVALID, "site '%s' is not a site id", site);
    int32_t today = time_to_date(clk_now(r->clk), r->clk->tzoff);
    bool every = all && (!strcmp(all, "1") || !strcmp(all, "true"));
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    struct ex_ctx c = { &w, today, r->clk->tzoff };
    struct err e = { 0 };
    enum rc rc =
        check_exemptions_each(r->db, site_id, every ? DATE_NONE : today, on_exemption, &c, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    jw_end(&w);
    jw_end(&w);
    return web_json_send(r, &w, 200);
}

enum rc api_exemption_add(struct web_req *r)
{
    json_object *o, *v;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    struct web__exemption_new n = { .site = web_jstr(r, o, "site", &ok),
                                    .path = web_jstr(r, o, "path", &ok),
                                    .reason = web_jstr(r, o, "reason", &ok),
                                    .approved_by = web_jstr(r, o, "approved_by", &ok),
                                    .until = web_jstr(r, o, "until", &ok) };
    if (!ok)
        return r->err.rc;
    if (json_object_object_get_ex(o, "column_id", &v) && !json_object_is_type(v, json_type_null)) {
        if (!json_object_is_type(v, json_type_int) || json_object_get_int64(v) <= 0)
            return web_fail(r, RC_INVALID, "\"column_id\" must be a positive integer");
        n.column_id = json_object_get_int64(v);
    }
    int64_t id = 0;
    if ((rc = web__exemption_add(r, &n, &id)))
        return rc;
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_kint(&w, "id", id);
    jw_end(&w);
    return web_json_send(r, &w, 201);
}

enum rc api_exemption_revoke(struct web_req *r)
{
    enum rc rc = web__exemption_revoke(r);
    if (rc)
        return rc;
    buf_reset(&r->out);
    return web_send(r, 204, "application/json; charset=utf-8");
}

/* ---- probes -------------------------------------------------------------------------- */

enum rc api_probe_settings(struct web_req *r)
{
    struct web__probe_conf p;
    web__probe_settings(r, &p);
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_kint(&w, "days", PROBE_DAYS);
    jw_kint(&w, "min_per_day", PROBE_MIN_PER_DAY);
    jw_kint(&w, "veto_percent", PROBE_VETO_PERCENT);
    jw_kint(&w, "threshold_ms", p.threshold_ms);
    jw_kstr(&w, "threshold_configured_at", p.threshold_where);
    jw_kint(&w, "timeout_ms", p.timeout_ms);
    jw_kstr(&w, "timeout_configured_at", p.timeout_where);
    jw_kint(&w, "parallel", p.parallel);
    jw_end(&w);
    return web_json_send(r, &w, 200);
}
