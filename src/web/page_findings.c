/* page_findings.c - 问题: the findings list, a finding's page (evidence, history) and the
 * dismiss / restore forms of the office. */
#include <json-c/json.h>
#include <string.h>

#include "core/esc.h"
#include "core/str.h"
#include "web/web_int.h"

static void state_badge(struct web_req *r, const char *state)
{
    web_raw(r, "<span class=\"badge ");
    web_raw(r, !strcmp(state, "open")       ? "st-overdue"
               : !strcmp(state, "resolved") ? "st-ok"
                                            : "st-unchecked");
    web_raw(r, "\">");
    web_e(r, web__finding_state_cn(state));
    web_raw(r, "</span>");
}

static void filter_form(struct web_req *r, const struct web__finding_q *f)
{
    const char *kind = web_query(r, "kind"), *state = web_query(r, "state");
    /* a city has hundreds of sites: the site is typed (name, 标识码, address or id) */
    web_raw(r, "<form class=\"filters\" method=\"get\" action=\"/findings\"><label>网站 <input "
               "name=\"site\" placeholder=\"名称、标识码或网址\" value=\"");
    web_e(r, web_query(r, "site") ? web_query(r, "site") : "");
    web_raw(r, "\"></label>");
    if (!web_scope_unit(r))
        web__unit_select(r, "unit", "单位", f->q.f.unit_id, false, "全部");
    web_raw(r, "<label>类型 <select name=\"kind\"><option value=\"\">全部</option>");
    for (size_t i = 0; i < check_nkinds; i++)
        web_option(r, check_kinds[i].key, check_kinds[i].name, kind);
    web_raw(r, "</select></label><label>状态 <select name=\"state\">");
    static const char *const states[][2] = {
        { "open", "未解决" }, { "resolved", "已解决" }, { "dismissed", "已忽略" }, { "all", "全部" }
    };
    for (size_t i = 0; i < 4; i++)
        web_option(r, states[i][0], states[i][1], state && *state ? state : "open");
    web_raw(r, "</select></label><label>截至 <input type=\"date\" name=\"as_of\" value=\"");
    web_e(r, web_query(r, "as_of") ? web_query(r, "as_of") : "");
    web_raw(r, "\"></label><label>搜索 <input type=\"search\" name=\"q\" value=\"");
    web_e(r, web_query(r, "q") ? web_query(r, "q") : "");
    web_raw(r, "\"></label><label>排序 <select name=\"sort\">");
    static const char *const sorts[][2] = { { "-id", "最新发现" },
                                            { "-last_seen", "最近出现" },
                                            { "-severity", "严重程度" },
                                            { "id", "最早发现" } };
    const char *sort = web_query(r, "sort");
    for (size_t i = 0; i < 4; i++)
        web_option(r, sorts[i][0], sorts[i][1], sort ? sort : "-id");
    web_raw(r, "</select></label><button type=\"submit\">筛选</button></form>");
}

/* The rows of a findings table (also the site page's section). */
void web__finding_rows(struct web_req *r, const struct check_row *rows, size_t n)
{
    web_raw(r, "<table class=\"sortable findings\"><thead><tr><th data-type=\"num\">编号</th>"
               "<th>类型</th><th>网站</th><th>栏目</th><th>单位</th><th>问题</th><th>严重程度</th>"
               "<th>状态</th><th>最近发现</th></tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        const struct check_row *f = &rows[i];
        const struct check_kind *k = check_kind_find(f->kind);
        const char *id = arena_fmt(&r->a, "%lld", (long long)f->id);
        web_raw(r, "<tr><td class=\"num\">");
        web_link(r, arena_fmt(&r->a, "/findings/%s", id), id);
        web_raw(r, "</td><td>");
        web_e(r, k ? k->name : f->kind);
        web_raw(r, "</td><td>");
        web_e(r, f->site ? f->site : "");
        web_raw(r, "</td><td>");
        web_e(r, f->column ? f->column : "");
        web_raw(r, "</td><td>");
        web_e(r, f->unit ? f->unit : "");
        web_raw(r, "</td><td>");
        web_e(r, f->summary ? f->summary : f->subject);
        web_raw(r, "</td><td>");
        web_e(r, check_severity_cn(f->severity));
        web_raw(r, "</td><td>");
        state_badge(r, f->state ? f->state : "");
        web_raw(r, "</td><td>");
        web_time(r, f->last_seen);
        web_raw(r, "</td></tr>");
    }
    web_raw(r, "</tbody></table>");
    if (!n)
        web_raw(r, "<p class=\"empty\">没有符合条件的问题。</p>");
}

enum rc page_findings(struct web_req *r)
{
    struct web_page pg;
    struct web__finding_q f;
    struct check_row *rows;
    size_t n;
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = web__finding_query(r, &f)) ||
        (rc = web__finding_list(r, &f, &pg, &rows, &n)))
        return rc;
    web_layout_begin(r, "问题", "findings");
    web_raw(r, "<h1>问题</h1>");
    filter_form(r, &f);
    web__finding_rows(r, rows, n);
    check_rows_free(rows, n);
    web_pager(r, &pg);
    static const char *const keep[] = { "site", "unit", "kind", "state", "as_of", "q", "sort" };
    web__export_links(r, "/api/v1/findings", keep, sizeof(keep) / sizeof(keep[0]), NULL);
    return web_layout_end(r);
}

/* ---- one finding --------------------------------------------------------------------- */

static void on_event(const struct check_event *ev, void *ctx)
{
    struct web_req *r = ctx;
    static const char *const names[][2] = {
        { "opened", "发现" },    { "reopened", "再次出现" }, { "resolved", "已解决" },
        { "dismissed", "忽略" }, { "restored", "恢复" },     { "seen-dismissed", "忽略后再次出现" }
    };
    const char *name = ev->event;
    for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++)
        if (!strcmp(ev->event, names[i][0]))
            name = names[i][1];
    web_raw(r, "<tr><td>");
    web_time(r, ev->at);
    web_raw(r, "</td><td>");
    web_e(r, name);
    web_raw(r, "</td><td>");
    web_e(r, web__finding_state_cn(ev->state));
    web_raw(r, "</td><td>");
    web_e(r, ev->by ? ev->by : ev->session_id ? "检查" : "");
    web_raw(r, "</td><td>");
    web_e(r, ev->reason ? ev->reason : "");
    web_raw(r, "</td></tr>");
}

static void change_form(struct web_req *r, const struct check_row *f, bool dismiss)
{
    web_raw(r, "<form method=\"post\" class=\"stacked\" id=\"");
    web_raw(r, dismiss ? "finding-dismiss" : "finding-restore");
    web_rawf(r, "\" action=\"/findings/%lld/%s\">", (long long)f->id,
             dismiss ? "dismiss" : "restore");
    web_csrf_field(r);
    web_raw(r, dismiss ? "<label>忽略原因（误报的理由） <textarea name=\"reason\" rows=\"2\" "
                         "required></textarea></label><button type=\"submit\" "
                         "data-confirm=\"确定忽略这个问题？\">忽略</button>"
                       : "<label>恢复原因 <textarea name=\"reason\" rows=\"2\" required>"
                         "</textarea></label><button type=\"submit\">恢复为未解决</button>");
    web_raw(r, "</form>");
}

enum rc page_finding(struct web_req *r)
{
    struct check_row f;
    enum rc rc;
    if ((rc = web__finding_get(r, &f)))
        return rc;
    const struct check_kind *k = check_kind_find(f.kind);
    web_layout_begin(r, arena_fmt(&r->a, "问题 %lld", (long long)f.id), "findings");
    web_rawf(r, "<p class=\"crumbs\"><a href=\"/findings\">问题</a> ›</p><h1>问题 %lld ",
             (long long)f.id);
    state_badge(r, f.state);
    web_raw(r, "</h1>");
    const char *done = web_query(r, "done");
    if (done && !strcmp(done, "1"))
        web_flash(r, "已记录。", false);
    web_raw(r, "<dl class=\"facts\" id=\"finding-facts\">");
    web_fact(r, "类型", k ? k->name : f.kind);
    web_fact(r, "说明", f.summary);
    web_fact(r, "对象", f.subject);
    web_fact(r, "网站", f.site);
    web_fact(r, "栏目", f.column);
    web_fact(r, "责任单位", f.unit);
    web_fact(r, "页面", f.url);
    web_fact(r, "严重程度", check_severity_cn(f.severity));
    web_fact(r, "数值", f.has_value ? arena_fmt(&r->a, "%lld", (long long)f.value) : NULL);
    web_fact(r, "对应指标", k ? k->indicator : NULL);
    web_raw(r, "<dt>首次发现</dt><dd>");
    web_time(r, f.first_seen);
    web_raw(r, "</dd><dt>最近发现</dt><dd>");
    web_time(r, f.last_seen);
    web_raw(r, "</dd>");
    if (f.resolved_at) {
        web_raw(r, "<dt>解决时间</dt><dd>");
        web_time(r, f.resolved_at);
        web_raw(r, "</dd>");
    }
    if (f.dismissed_at) {
        web_fact(r, "忽略人", f.dismissed_by);
        web_fact(r, "忽略原因", f.dismiss_reason);
    }
    web_raw(r, "</dl><h2>证据</h2><pre class=\"evidence\" id=\"finding-evidence\">");
    json_object *ev = f.evidence ? json_tokener_parse(f.evidence) : NULL;
    web_e(r, ev           ? json_object_to_json_string_ext(ev, JSON_C_TO_STRING_PRETTY |
                                                                   JSON_C_TO_STRING_NOSLASHESCAPE)
             : f.evidence ? f.evidence
                          : "");
    json_object_put(ev);
    web_raw(r, "</pre>");
    if (web_can(r, ROLES_STAFF))
        change_form(r, &f, strcmp(f.state, "dismissed") != 0);
    else if (strcmp(f.state, "dismissed"))
        web_raw(r, "<p class=\"hint\">如认为是误报，请联系督查员核实后忽略。</p>");
    web_raw(r, "<h2>历史</h2><table id=\"finding-history\"><thead><tr><th>时间</th><th>事件</th>"
               "<th>状态</th><th>操作人</th><th>原因</th></tr></thead><tbody>");
    struct err e = { 0 };
    rc = check_finding_events(r->db, f.id, on_event, r, &e);
    web_raw(r, "</tbody></table>");
    check_row_release(&f);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    return web_layout_end(r);
}

static enum rc change(struct web_req *r, bool dismiss)
{
    struct check_row f;
    enum rc rc;
    if ((rc = web__finding_get(r, &f)))
        return rc;
    rc = web__finding_change(r, &f, dismiss, web_form(r, "reason"));
    int64_t id = f.id;
    check_row_release(&f);
    return rc ? rc : web_redirect(r, arena_fmt(&r->a, "/findings/%lld?done=1", (long long)id));
}

enum rc page_finding_dismiss(struct web_req *r)
{
    return change(r, true);
}

enum rc page_finding_restore(struct web_req *r)
{
    return change(r, false);
}
