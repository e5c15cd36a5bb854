/* panels.c - the panels of 总览 that come from the checks and the work items (verdicts,
 * open findings by unit, items due and overdue, this month's figures), the sections of a
 * site's page (verdict history, availability, open findings), their JSON twins, and the
 * statistics page of 办件. */
#include <json-c/json.h>
#include <string.h>

#include "checks/probe.h"
#include "core/date.h"
#include "core/esc.h"
#include "core/str.h"
#include "web/web_int.h"

/* ---- verdicts ------------------------------------------------------------------------ */

/* The reasons of a stored verdict: its vetoes' reasons, else its deductions' names. */
static void verdict_reasons(struct web_req *r, const struct check_verdict_row *v)
{
    json_object *vet = json_tokener_parse(v->vetoes), *ded = json_tokener_parse(v->deductions);
    size_t n = 0;
    web_raw(r, "<ul class=\"reasons\">");
    for (int pass = 0; pass < 2; pass++) {
        json_object *a = pass ? ded : vet;
        if (!a || !json_object_is_type(a, json_type_array) || (pass && n))
            continue;
        for (size_t i = 0; i < json_object_array_length(a); i++) {
            json_object *o = json_object_array_get_idx(a, i), *t;
            if (!json_object_object_get_ex(o, pass ? "name" : "reason", &t))
                continue;
            web_raw(r, pass ? "<li>扣分：" : "<li class=\"veto\">否决：");
            web_e(r, json_object_get_string(t));
            json_object *p;
            if (pass && json_object_object_get_ex(o, "points", &p))
                web_rawf(r, "（−%.1f）", json_object_get_double(p));
            web_raw(r, "</li>");
            n++;
        }
    }
    web_raw(r, "</ul>");
    json_object_put(vet);
    json_object_put(ded);
}

static void verdict_badge(struct web_req *r, const char *verdict)
{
    web_raw(r, "<span class=\"badge ");
    web_raw(r, !strcmp(verdict, "合格") ? "st-ok" : "st-overdue");
    web_raw(r, "\">");
    web_e(r, verdict);
    web_raw(r, "</span>");
}

static int on_verdict_row(const struct check_verdict_row *v, void *ctx)
{
    struct web_req *r = ctx;
    web_raw(r, "<tr><td>");
    web_link(r, arena_fmt(&r->a, "/sites/%lld", (long long)v->site_id), v->site);
    web_raw(r, "</td><td>");
    web_e(r, v->date);
    web_raw(r, "</td><td>");
    verdict_badge(r, v->verdict);
    web_rawf(r, "</td><td class=\"num\">%.1f</td><td>", v->score);
    verdict_reasons(r, v);
    web_raw(r, "</td></tr>");
    return 0;
}

enum rc panel_verdicts(struct web_req *r)
{
    size_t mark = r->out.n;
    web_raw(r, "<table id=\"verdicts\" class=\"sortable\"><thead><tr><th>网站</th><th>检查日期"
               "</th><th>结论</th><th data-type=\"num\">得分</th><th>原因</th></tr></thead>"
               "<tbody>");
    size_t body = r->out.n;
    struct err e = { 0 };
    enum rc rc = check_verdicts_each(r->db, 0, DATE_NONE, DATE_NONE, true, on_verdict_row, r, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    if (r->out.n == body) {
        buf_truncate(&r->out, mark);
        web_raw(r, "<p class=\"empty\">尚无检查结论（govsite verdict）。</p>");
        return RC_OK;
    }
    web_raw(r, "</tbody></table>");
    return RC_OK;
}

struct vjson {
    struct jw *w;
    int tz;
};

static int on_verdict_json(const struct check_verdict_row *v, void *ctx)
{
    struct vjson *x = ctx;
    struct jw *w = x->w;
    jw_obj(w);
    jw_kint(w, "site_id", v->site_id);
    jw_kstr(w, "site", v->site);
    jw_kstr(w, "date", v->date);
    jw_kstr(w, "verdict", v->verdict);
    jw_kdouble(w, "score", v->score);
    jw_kdouble(w, "score_confirmed", v->score_confirmed);
    static const char *const keys[2] = { "vetoes", "deductions" };
    const char *vals[2] = { v->vetoes, v->deductions };
    for (int i = 0; i < 2; i++) {
        jw_key(w, keys[i]);
        if (json_valid(vals[i], strlen(vals[i]), '['))
            jw_raw(w, vals[i]);
        else
            jw_null(w);
    }
    jw_kstr(w, "profile", v->profile);
    jw_ktime(w, "computed_at", v->computed_at, x->tz);
    jw_end(w);
    return 0;
}

/* GET /api/v1/verdicts?site=ID&from=&to=&latest=1 */
enum rc api_verdicts(struct web_req *r)
{
    const char *site = web_query(r, "site"), *latest = web_query(r, "latest");
    const char *from = web_query(r, "from"), *to = web_query(r, "to");
    int64_t site_id = 0;
    int32_t f = DATE_NONE, t = DATE_NONE;
    if (!str_empty(site) && (!cstr_to_i64(site, &site_id) || site_id <= 0))
        return web_fail(r, RC_INVALID, "site '%s' is not a site id", site);
    if ((!str_empty(from) && !date_parse(from, &f)) || (!str_empty(to) && !date_parse(to, &t)))
        return web_fail(r, RC_INVALID, "from and to are dates: YYYY-MM-DD");
    bool last = latest && (!strcmp(latest, "1") || !strcmp(latest, "true"));
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    struct vjson x = { &w, r->clk->tzoff };
    struct err e = { 0 };
    enum rc rc = check_verdicts_each(r->db, site_id, f, t, last, on_verdict_json, &x, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    jw_end(&w);
    jw_end(&w);
    return web_json_send(r, &w, 200);
}

/* ---- open findings by unit ----------------------------------------------------------- */

struct by_unit {
    struct web_req *r;
    const char **labels;
    double *v;
    int64_t *ids;
    size_t n, cap;
};

static void on_unit(int64_t unit_id, const char *unit, int64_t n, void *ctx)
{
    struct by_unit *b = ctx;
    if (b->n == b->cap) {
        size_t cap = b->cap ? 2 * b->cap : 16;
        const char **l = arena_alloc(&b->r->a, cap * sizeof(*l));
        double *v = arena_alloc(&b->r->a, cap * sizeof(*v));
        int64_t *ids = arena_alloc(&b->r->a, cap * sizeof(*ids));
        if (b->n) {
            memcpy(l, b->labels, b->n * sizeof(*l));
            memcpy(v, b->v, b->n * sizeof(*v));
            memcpy(ids, b->ids, b->n * sizeof(*ids));
        }
        b->labels = l, b->v = v, b->ids = ids, b->cap = cap;
    }
    b->labels[b->n] = arena_strdup(&b->r->a, unit ? unit : "（未指定单位）");
    b->v[b->n] = (double)n;
    b->ids[b->n++] = unit_id;
}

static enum rc load_by_unit(struct web_req *r, struct by_unit *b)
{
    memset(b, 0, sizeof(*b));
    b->r = r;
    struct err e = { 0 };
    if (check_open_by_unit(r->db, 0, on_unit, b, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    /* an editor sees their unit's row only */
    int64_t scope = web_scope_unit(r);
    if (scope) {
        size_t k = 0;
        for (size_t i = 0; i < b->n; i++)
            if (b->ids[i] == scope) {
                b->labels[k] = b->labels[i], b->v[k] = b->v[i], b->ids[k] = b->ids[i];
                k++;
            }
        b->n = k;
    }
    return RC_OK;
}

enum rc panel_findings_by_unit(struct web_req *r)
{
    struct by_unit b;
    enum rc rc;
    if ((rc = load_by_unit(r, &b)))
        return rc;
    if (!b.n) {
        web_raw(r, "<p class=\"empty\">没有未解决的问题。</p>");
        return RC_OK;
    }
    size_t shown = b.n > 20 ? 20 : b.n; /* the chart: the 20 units with most */
    struct web_series s = { .name = "未解决问题", .v = b.v };
    struct web_chart c = { .title = "各单位未解决问题数",
                           .labels = b.labels,
                           .n = shown,
                           .series = &s,
                           .nseries = 1,
                           .width = 640,
                           .height = 220 };
    web_svg_bar(&r->out, &c);
    web_raw(r, "<table id=\"findings-by-unit\" class=\"sortable\"><thead><tr><th>单位</th>"
               "<th data-type=\"num\">未解决问题</th></tr></thead><tbody>");
    for (size_t i = 0; i < b.n; i++) {
        web_raw(r, "<tr><td>");
        web_e(r, b.labels[i]);
        web_raw(r, "</td><td class=\"num\">");
        web_link(r,
                 b.ids[i] ? arena_fmt(&r->a, "/findings?unit=%lld", (long long)b.ids[i])
                          : "/findings",
                 arena_fmt(&r->a, "%.0f", b.v[i]));
        web_raw(r, "</td></tr>");
    }
    web_raw(r, "</tbody></table>");
    return RC_OK;
}

/* GET /api/v1/findings/by-unit */
enum rc api_findings_by_unit(struct web_req *r)
{
    struct by_unit b;
    enum rc rc;
    if ((rc = load_by_unit(r, &b)))
        return rc;
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    for (size_t i = 0; i < b.n; i++) {
        jw_obj(&w);
        if (b.ids[i])
            jw_kint(&w, "unit_id", b.ids[i]);
        else
            jw_knull(&w, "unit_id");
        jw_kstr(&w, "unit", b.ids[i] ? b.labels[i] : NULL);
        jw_kint(&w, "open", (int64_t)b.v[i]);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    return web_json_send(r, &w, 200);
}

/* ---- work items due and overdue ------------------------------------------------------ */

static enum rc due_list(struct web_req *r, enum case_which which, const char *title,
                        const char *more)
{
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    struct case_page_q q = { .which = which,
                             .due_within = 3,
                             .from = DATE_NONE,
                             .to = DATE_NONE,
                             .unit_id = web_scope_unit(r),
                             .sort = CASE_SORT_DUE,
                             .limit = 10 };
    struct case_list l;
    int64_t total = 0;
    struct err e = { 0 };
    if (case_page_count(x, &q, &total, &e) || case_page(x, &q, &l, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    web_raw(r, "<h3>");
    web_e(r, title);
    web_rawf(r, "（%lld）</h3>", (long long)total);
    if (!l.items.n) {
        web_raw(r, "<p class=\"empty\">无。</p>");
    } else {
        web_raw(r, "<ul class=\"due-list\">");
        for (size_t i = 0; i < l.items.n; i++) {
            const struct case_item *it = &l.items.v[i];
            struct buf href = BUF_INIT;
            buf_adds(&href, "/cases/");
            esc_url(&href, it->number);
            web_raw(r, "<li>");
            web_link(r, buf_cstr(&href), it->number);
            buf_release(&href);
            web_raw(r, " ");
            web_e(r, it->subject ? it->subject : case_kinds[it->kind].cn);
            web_raw(r, " <span class=\"hint\">");
            web_e(r, it->unit ? it->unit : "");
            web_raw(r, " · 期限 ");
            web_time(r, l.states.v[i].dl.due);
            web_raw(r, "</span></li>");
        }
        web_raw(r, "</ul>");
    }
    if (total > (int64_t)l.items.n)
        web_link(r, more, "全部…");
    case_list_release(&l);
    return RC_OK;
}

enum rc panel_cases_due(struct web_req *r)
{
    enum rc rc;
    if ((rc = due_list(r, CASE_LIST_OVERDUE, "已逾期", "/cases?state=overdue&sort=due")))
        return rc;
    return due_list(r, CASE_LIST_DUE_SOON, "3个工作日内到期", "/cases?state=due_soon&sort=due");
}

/* ---- statistics ---------------------------------------------------------------------- */

static void rate(struct web_req *r, const struct case_stats *s)
{
    if (s->rate_defined)
        web_rawf(r, "%.1f%%", 100.0 * s->on_time_rate);
    else
        web_raw(r, "—");
}

/* The figures the bulletin quotes, one row per kind: received, handled (closed), overdue,
 * on-time rate; the full table adds on time, closed late and open. */
static void stats_table(struct web_req *r, const struct case_stats_result *res, bool full)
{
    web_raw(r, "<table id=\"case-stats\"><thead><tr><th>类型</th><th data-type=\"num\">收到</th>"
               "<th data-type=\"num\">已办结</th>");
    if (full)
        web_raw(r, "<th data-type=\"num\">按时</th><th data-type=\"num\">逾期办结</th>"
                   "<th data-type=\"num\">未办结</th>");
    web_raw(r, "<th data-type=\"num\">已逾期</th><th data-type=\"num\">按时办结率</th></tr>"
               "</thead><tbody>");
    for (size_t i = 0; i <= res->groups.n; i++) {
        const struct case_stats *s = i < res->groups.n ? &res->groups.v[i].s : &res->total;
        web_raw(r, i < res->groups.n ? "<tr><td>" : "<tr class=\"total\"><td>");
        web_e(r, i < res->groups.n ? res->groups.v[i].label : "合计");
        web_rawf(r, "</td><td class=\"num\">%d</td><td class=\"num\">%d</td>", s->received,
                 s->closed);
        if (full)
            web_rawf(r,
                     "<td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d</td>",
                     s->closed_on_time, s->closed_late, s->open_not_due + s->open_overdue);
        web_rawf(r, "<td class=\"num\">%d</td><td class=\"num\">", s->open_overdue);
        rate(r, s);
        web_raw(r, "</td></tr>");
    }
    web_raw(r, "</tbody></table>");
}

static enum rc month_stats(struct web_req *r, const struct web__stats_q *q, bool full)
{
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    struct case_stats_result res;
    struct err e = { 0 };
    if (case_stats(x, q->kinds, q->from, q->to, q->as_of, CASE_BY_KIND, &res, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    stats_table(r, &res, full);
    case_stats_release(&res);
    return RC_OK;
}

enum rc panel_cases_month(struct web_req *r)
{
    int32_t today = time_to_date(clk_now(r->clk), r->clk->tzoff);
    int y, m, d;
    date_to_ymd(today, &y, &m, &d);
    struct web__stats_q q = { .kinds = CASE_KINDS_ALL,
                              .from = date_from_ymd(y, m, 1),
                              .to = today,
                              .as_of = clk_now(r->clk) };
    web_rawf(r, "<p class=\"hint\">%d年%d月1日至今收到的办件，截至现在。</p>", y, m);
    enum rc rc = month_stats(r, &q, false);
    if (!rc)
        web_raw(r, "<p><a href=\"/cases/stats\">其他时段…</a></p>");
    return rc;
}

enum rc page_case_stats(struct web_req *r)
{
    struct web__stats_q q;
    enum rc rc;
    if ((rc = web__case_stats(r, &q)))
        return rc;
    char f[11], t[11];
    date_fmt(q.from, f);
    date_fmt(q.to, t);
    web_layout_begin(r, "办件统计", "cases");
    web_raw(r, "<p class=\"crumbs\"><a href=\"/cases\">办件</a> ›</p><h1>办件统计</h1>"
               "<form class=\"filters\" method=\"get\" action=\"/cases/stats\"><label>收到自 "
               "<input type=\"date\" name=\"from\" value=\"");
    web_e(r, f);
    web_raw(r, "\"></label><label>至 <input type=\"date\" name=\"to\" value=\"");
    web_e(r, t);
    web_raw(r, "\"></label><label>截至 <input type=\"datetime-local\" name=\"as_of\" value=\"");
    web_e(r, web_query(r, "as_of") ? web_query(r, "as_of") : "");
    web_raw(r, "\"></label><button type=\"submit\">统计</button></form>"
               "<p class=\"hint\">按时办结率 = 按时办结 ÷（已办结 + 已逾期未办结）；尚在期限内的"
               "办件不计入（docs/cases.md）。</p>");
    if ((rc = month_stats(r, &q, true)))
        return rc;
    return web_layout_end(r);
}

/* ---- the site page's sections -------------------------------------------------------- */

static int on_history_row(const struct check_verdict_row *v, void *ctx)
{
    struct web_req *r = ctx;
    web_raw(r, "<tr><td>");
    web_e(r, v->date);
    web_raw(r, "</td><td>");
    verdict_badge(r, v->verdict);
    web_rawf(r, "</td><td class=\"num\">%.1f</td><td class=\"num\">%.1f</td><td>", v->score,
             v->score_confirmed);
    verdict_reasons(r, v);
    web_raw(r, "</td></tr>");
    return 0;
}

enum rc section_site_verdicts(struct web_req *r, int64_t site_id)
{
    size_t mark = r->out.n;
    web_raw(r, "<table id=\"verdict-history\"><thead><tr><th>检查日期</th><th>结论</th>"
               "<th data-type=\"num\">得分</th><th data-type=\"num\">确认项得分</th><th>原因</th>"
               "</tr></thead><tbody>");
    size_t body = r->out.n;
    struct err e = { 0 };
    enum rc rc =
        check_verdicts_each(r->db, site_id, DATE_NONE, DATE_NONE, false, on_history_row, r, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    if (r->out.n == body) {
        buf_truncate(&r->out, mark);
        web_raw(r, "<p class=\"empty\">尚无检查结论。</p>");
    } else {
        web_raw(r, "</tbody></table>");
    }
    return RC_OK;
}

/* The availability of the 7 days before today: the 19号 rule's status and the daily
 * response times. */
struct avail {
    struct probe_stats st;
    struct probe_ms ms[PROBE_DAYS];
};

static enum rc load_avail(struct web_req *r, int64_t site_id, struct avail *a)
{
    int32_t today = time_to_date(clk_now(r->clk), r->clk->tzoff);
    struct err e = { 0 };
    if (probe_stats(r->db, site_id, today, &a->st, &e) ||
        probe_daily_ms(r->db, site_id, a->st.from, a->st.to, a->ms, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return RC_OK;
}

enum rc section_site_availability(struct web_req *r, int64_t site_id)
{
    struct avail a;
    enum rc rc;
    if ((rc = load_avail(r, site_id, &a)))
        return rc;
    static const char *const status_cn[] = {
        [PROBE_PASS] = "达标", [PROBE_VETO] = "单项否决", [PROBE_INSUFFICIENT] = "监测不足"
    };
    web_raw(r, "<p id=\"availability-status\">近7天（");
    struct buf d = BUF_INIT;
    date_fmt_cn_md(a.st.from, &d);
    buf_adds(&d, "至");
    date_fmt_cn_md(a.st.to, &d);
    web_e(r, buf_cstr(&d));
    buf_release(&d);
    web_rawf(r, "）监测 %d 次，失败 %d 次，超过15秒 %d 次，占比 %.1f%%：<span class=\"badge %s\">",
             a.st.probes, a.st.failed, a.st.slow, 100.0 * a.st.ratio,
             a.st.status == PROBE_PASS   ? "st-ok"
             : a.st.status == PROBE_VETO ? "st-overdue"
                                         : "st-unchecked");
    web_e(r, status_cn[a.st.status]);
    web_raw(r, "</span></p><p class=\"hint\">国办秘函〔2019〕19号：监测1周、每天不少于20次，"
               "无法访问或超过15秒的次数占比达到5%即单项否决；有一天不足20次则无法判定。</p>");
    const char *labels[PROBE_DAYS];
    double avg[PROBE_DAYS], max[PROBE_DAYS];
    for (int i = 0; i < PROBE_DAYS; i++) {
        struct buf b = BUF_INIT;
        date_fmt_cn_md(a.ms[i].day, &b);
        labels[i] = arena_strdup(&r->a, buf_cstr(&b));
        buf_release(&b);
        avg[i] = a.ms[i].avg_ms;
        max[i] = (double)a.ms[i].max_ms;
    }
    struct web_series s[2] = { { .name = "平均响应（毫秒）", .v = avg },
                               { .name = "最长响应（毫秒）", .v = max } };
    struct web_chart c = { .title = "近7天首页响应时间",
                           .labels = labels,
                           .n = PROBE_DAYS,
                           .series = s,
                           .nseries = 2,
                           .width = 640,
                           .height = 220 };
    web_svg_line(&r->out, &c);
    web_raw(r,
            "<table id=\"availability\"><thead><tr><th>日期</th><th data-type=\"num\">监测"
            "</th><th data-type=\"num\">失败</th><th data-type=\"num\">超过15秒</th>"
            "<th data-type=\"num\">平均响应（毫秒）</th><th>是否满20次</th></tr></thead><tbody>");
    for (int i = 0; i < PROBE_DAYS; i++) {
        const struct probe_day *pd = &a.st.days[i];
        web_raw(r, "<tr><td>");
        web_e(r, labels[i]);
        web_rawf(r,
                 "</td><td class=\"num\">%d</td><td class=\"num\">%d</td><td class=\"num\">%d"
                 "</td><td class=\"num\">%.0f</td><td>%s</td></tr>",
                 pd->probes, pd->failed, pd->slow, avg[i],
                 pd->probes >= PROBE_MIN_PER_DAY ? "是" : "否");
    }
    web_raw(r, "</tbody></table>");
    return RC_OK;
}

/* GET /api/v1/sites/{id}/availability: probe_stats_json plus the daily response times. */
enum rc api_site_availability(struct web_req *r)
{
    int64_t id;
    struct web__site s;
    struct avail a;
    enum rc rc;
    if ((rc = web_param_id(r, "id", &id)) || (rc = web__site_get(r, id, &s)) ||
        (rc = load_avail(r, id, &a)))
        return rc;
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_key(&w, "rule");
    probe_stats_json(&w, &a.st, s.name);
    jw_key(&w, "response_ms");
    jw_arr(&w);
    for (int i = 0; i < PROBE_DAYS; i++) {
        jw_obj(&w);
        jw_kdate(&w, "date", a.ms[i].day);
        jw_kint(&w, "responses", a.ms[i].responses);
        jw_kdouble(&w, "avg", a.ms[i].avg_ms);
        jw_kint(&w, "max", a.ms[i].max_ms);
        jw_end(&w);
    }
    jw_end(&w);
    jw_end(&w);
    return web_json_send(r, &w, 200);
}

enum rc section_site_findings(struct web_req *r, int64_t site_id)
{
    struct check_page_q q = {
        .f = { .site_id = site_id, .state = "open", .unit_id = web_scope_unit(r) },
        .sort = CHECK_SORT_SEVERITY,
        .desc = true,
        .limit = 50
    };
    struct check_row *rows;
    size_t n;
    int64_t total = 0;
    struct err e = { 0 };
    if (check_findings_count(r->db, &q, &total, &e) ||
        check_findings_page(r->db, &q, &rows, &n, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    web__finding_rows(r, rows, n);
    check_rows_free(rows, n);
    if (total > (int64_t)n)
        web_link(r, arena_fmt(&r->a, "/findings?site=%lld", (long long)site_id),
                 arena_fmt(&r->a, "全部 %lld 个…", (long long)total));
    return RC_OK;
}
