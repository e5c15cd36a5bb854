/* page_cases.c - 办件: the work-item list, an item's page (timeline, deadline and its
 * explanation, a form for each step the user may take), the form that registers an item. */
#include <string.h>

#include "core/date.h"
#include "core/esc.h"
#include "core/str.h"
#include "web/web_int.h"

static const char *const state_keys[][2] = { { "", "全部" },
                                             { "open", "办理中" },
                                             { "closed", "已办结" },
                                             { "overdue", "已逾期" },
                                             { "due_soon", "即将到期" } };

static const char *timing_class(enum case_timing t)
{
    switch (t) {
    case CASE_OPEN_NOT_DUE:
        return "st-unchecked";
    case CASE_OPEN_OVERDUE:
    case CASE_LATE:
        return "st-overdue";
    case CASE_ON_TIME:
        break;
    }
    return "st-ok";
}

static void timing_badge(struct web_req *r, const struct case_state *st)
{
    web_raw(r, "<span class=\"badge ");
    web_raw(r, timing_class(st->timing));
    web_raw(r, "\">");
    web_e(r, case_timing_cn(st->timing));
    web_raw(r, "</span>");
}

static void filter_form(struct web_req *r, const struct web__case_q *f)
{
    const char *kind = web_query(r, "kind"), *state = web_query(r, "state");
    web_raw(r, "<form class=\"filters\" method=\"get\" action=\"/cases\"><label>类型 <select "
               "name=\"kind\"><option value=\"\">全部</option>");
    for (int k = 0; k < CASE_NKINDS; k++)
        web_option(r, case_kinds[k].key, case_kinds[k].cn, kind);
    web_raw(r, "</select></label>");
    if (!web_scope_unit(r))
        web__unit_select(r, "unit", "承办单位", f->q.unit_id, false, "全部");
    web_raw(r, "<label>状态 <select name=\"state\">");
    for (size_t i = 0; i < sizeof(state_keys) / sizeof(state_keys[0]); i++)
        web_option(r, state_keys[i][0], state_keys[i][1], state ? state : "");
    web_raw(r,
            "</select></label><label>到期（工作日内） <input name=\"due_within\" type=\"number\" "
            "min=\"0\" max=\"1000\" size=\"3\" value=\"");
    web_e(r, web_query(r, "due_within") ? web_query(r, "due_within") : "");
    static const char *const dates[][2] = { { "from", "收到自" }, { "to", "至" } };
    for (int i = 0; i < 2; i++) {
        web_raw(r, "\"></label><label>");
        web_e(r, dates[i][1]);
        web_raw(r, " <input type=\"date\" name=\"");
        web_e(r, dates[i][0]);
        web_raw(r, "\" value=\"");
        web_e(r, web_query(r, dates[i][0]) ? web_query(r, dates[i][0]) : "");
    }
    web_raw(r, "\"></label><label>截至 <input type=\"datetime-local\" name=\"as_of\" value=\"");
    web_e(r, web_query(r, "as_of") ? web_query(r, "as_of") : "");
    web_raw(r,
            "\"></label><label>搜索 <input type=\"search\" name=\"q\" placeholder=\"编号或标题\" "
            "value=\"");
    web_e(r, web_query(r, "q") ? web_query(r, "q") : "");
    web_raw(r, "\"></label><label>排序 <select name=\"sort\">");
    static const char *const sorts[][2] = { { "-received", "收到时间（新→旧）" },
                                            { "received", "收到时间（旧→新）" },
                                            { "due", "期限（近→远）" },
                                            { "-due", "期限（远→近）" },
                                            { "number", "编号" } };
    const char *sort = web_query(r, "sort");
    for (size_t i = 0; i < sizeof(sorts) / sizeof(sorts[0]); i++)
        web_option(r, sorts[i][0], sorts[i][1], sort ? sort : "-received");
    web_raw(r, "</select></label><button type=\"submit\">筛选</button></form>");
}

enum rc page_cases(struct web_req *r)
{
    struct web_page pg;
    struct web__case_q f;
    struct case_list l;
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = web__case_query(r, &f)) ||
        (rc = web__case_list(r, &f, &pg, &l)))
        return rc;
    web_layout_begin(r, "办件", "cases");
    web_raw(r, "<h1>办件</h1>");
    web_raw(r, "<p class=\"actions\">");
    if (web_can(r, ROLES_STAFF | ROLE_EDITOR))
        web_raw(r, "<a class=\"button\" href=\"/cases/new\">登记办件</a> ");
    if (web_can(r, ROLES_STAFF | ROLE_VIEWER))
        web_raw(r, "<a href=\"/cases/stats\">办件统计</a>");
    web_raw(r, "</p>");
    filter_form(r, &f);
    web_raw(r, "<table class=\"sortable\" id=\"cases\"><thead><tr><th>编号</th><th>类型</th>"
               "<th>标题</th><th>承办单位</th><th>收到时间</th><th>状态</th><th>期限</th>"
               "<th>时效</th><th>答复时间</th></tr></thead><tbody>");
    for (size_t i = 0; i < l.items.n; i++) {
        const struct case_item *it = &l.items.v[i];
        const struct case_state *st = &l.states.v[i];
        web_raw(r, "<tr><td>");
        struct buf href = BUF_INIT;
        buf_adds(&href, "/cases/");
        esc_url(&href, it->number);
        web_link(r, buf_cstr(&href), it->number);
        buf_release(&href);
        web_raw(r, "</td><td>");
        web_e(r, case_kinds[it->kind].cn);
        web_raw(r, "</td><td>");
        web_e(r, it->subject ? it->subject : "");
        web_raw(r, "</td><td>");
        web_e(r, it->unit ? it->unit : "");
        web_raw(r, "</td><td>");
        web_time(r, it->received_at);
        web_raw(r, "</td><td>");
        web_e(r, case_statuses[st->status].cn);
        web_raw(r, "</td><td>");
        if (st->dl.paused)
            web_raw(r, "暂停计时");
        else
            web_time(r, st->dl.due);
        web_raw(r, "</td><td>");
        timing_badge(r, st);
        web_raw(r, "</td><td>");
        web_time(r, st->replied_at);
        web_raw(r, "</td></tr>");
    }
    web_raw(r, "</tbody></table>");
    if (!l.items.n)
        web_raw(r, "<p class=\"empty\">没有符合条件的办件。</p>");
    case_list_release(&l);
    web_pager(r, &pg);
    static const char *const keep[] = { "kind",  "unit",       "site",  "from", "to",
                                        "state", "due_within", "as_of", "q",    "sort" };
    web__export_links(r, "/api/v1/cases", keep, sizeof(keep) / sizeof(keep[0]),
                      web__case_view(r) == CASE_VIEW_MASKED ? "（申请人信息已脱敏）" : NULL);
    return web_layout_end(r);
}

/* ---- one item ------------------------------------------------------------------------ */

static const char *buftext(struct web_req *r,
                           void (*fn)(const struct case_item *, enum case_view, struct buf *),
                           const struct case_item *it, enum case_view view)
{
    struct buf b = BUF_INIT;
    fn(it, view, &b);
    const char *s = arena_strdup(&r->a, buf_cstr(&b));
    buf_release(&b);
    return s;
}

static void outcome_select(struct web_req *r, const struct case_item *it,
                           const struct case_transition *tr)
{
    const char *def = tr->outcome[it->kind];
    web_raw(r, "<label>办理结果 <select name=\"outcome\"");
    web_raw(r, def ? ">" : " required><option value=\"\">（请选择）</option>");
    for (size_t i = 0; i < case_noutcomes; i++) {
        const struct case_outcome *o = &case_outcomes[i];
        if (!(o->kinds & CASE_KIND_BIT(it->kind)))
            continue;
        struct buf b = BUF_INIT;
        if (o->code[0])
            buf_addf(&b, "%s ", o->code);
        case_outcome_label(o, &b);
        web_option(r, o->key, buf_cstr(&b), def);
        buf_release(&b);
    }
    web_raw(r, "</select></label>");
}

/* What each step does, for the people who take it (the module's help is the CLI's). */
static const char *step_help(const struct case_transition *tr)
{
    static const char *const h[][2] = {
        { "assign", "转交承办单位办理" },
        { "request-correction", "一次性告知申请人补正（期限暂停）" },
        { "corrected", "收到补正材料（期限重新起算或恢复计算）" },
        { "abandon", "逾期未补正，视为放弃申请" },
        { "consult-third-party", "征求第三方或其他机关意见（期限暂停）" },
        { "third-party-answered", "收到第三方意见（期限恢复计算）" },
        { "extend", "经批准延长答复期限" },
        { "handle", "承办单位办理完毕，待办公室审核（按此时间判定是否按时）" },
        { "review", "办公室审核通过，办结" },
        { "answer", "答复并办结（按答复时间判定是否按时）" },
        { "reject", "认定为无效留言" },
        { "reopen", "重新办理（原答复不再计算，原期限不变）" },
        { "withdraw", "申请人撤回" },
        { "note", "在办理记录中添加备注" },
    };
    for (size_t i = 0; i < sizeof(h) / sizeof(h[0]); i++)
        if (!strcmp(tr->name, h[i][0]))
            return h[i][1];
    return "";
}

/* One form per step the user may take now. */
static void step_forms(struct web_req *r, struct case_ctx *x, const struct case_item *it)
{
    const struct case_transition *v[32];
    size_t n = case_allowed(x, it, web__case_roles(r), v, 32);
    if (!n)
        return;
    struct buf action = BUF_INIT;
    buf_adds(&action, "/cases/");
    esc_url(&action, it->number);
    buf_adds(&action, "/events");
    web_raw(r, "<h2>办理</h2><div class=\"steps\">");
    for (size_t i = 0; i < n && i < 32; i++) {
        const struct case_transition *tr = v[i];
        web_raw(r, "<form method=\"post\" class=\"stacked step\" id=\"step-");
        web_e(r, tr->name);
        web_raw(r, "\" action=\"");
        web_e(r, buf_cstr(&action));
        web_raw(r, "\"><h3>");
        web_e(r, tr->cn);
        web_raw(r, "</h3><p class=\"hint\">");
        web_e(r, step_help(tr));
        web_raw(r, "</p>");
        web_csrf_field(r);
        web_raw(r, "<input type=\"hidden\" name=\"type\" value=\"");
        web_e(r, tr->name);
        web_raw(r, "\">");
        if (tr->flags & CASE_TR_UNIT)
            web__unit_select(r, "unit", "转办至", it->unit_id, false, NULL);
        if (tr->flags & CASE_TR_OUTCOME)
            outcome_select(r, it, tr);
        if (tr->flags & CASE_TR_DAYS)
            web_raw(r, "<label>延长（工作日） <input type=\"number\" name=\"days\" min=\"1\" "
                       "max=\"1000\" placeholder=\"留空：规则允许的全部\"></label>");
        if ((tr->flags & CASE_TR_JUDGED) && !strcmp(tr->name, "answer"))
            web_raw(r, "<label>答复内容 <textarea name=\"reply\" rows=\"3\"></textarea></label>"
                       "<label class=\"check\"><input type=\"checkbox\" name=\"public\" "
                       "value=\"1\"> 答复公开</label>");
        web_raw(r, "<label>发生时间 <input type=\"datetime-local\" name=\"at\"></label>"
                   "<label>备注 <textarea name=\"note\" rows=\"2\"");
        web_raw(r, tr->flags & CASE_TR_NOTE ? " required></textarea></label>"
                                            : "></textarea></label>");
        web_raw(r, "<p class=\"hint\">发生时间留空即为现在。</p><button type=\"submit\">");
        web_e(r, tr->cn);
        web_raw(r, "</button></form>");
    }
    web_raw(r, "</div>");
    buf_release(&action);
}

enum rc page_case(struct web_req *r)
{
    struct case_item it;
    struct case_state st;
    struct deadline_explain ex;
    enum rc rc;
    if ((rc = web__case_now(r, web_param(r, "number"), &it, &st, &ex)))
        return rc;
    struct case_ctx *x = web__cases(r);
    enum case_view view = web__case_view(r);
    web_layout_begin(r, it.number, "cases");
    web_raw(r, "<p class=\"crumbs\"><a href=\"/cases\">办件</a> ›</p><h1>");
    web_e(r, it.number);
    web_raw(r, " <span class=\"badge\">");
    web_e(r, case_statuses[st.status].cn);
    web_raw(r, "</span> ");
    timing_badge(r, &st);
    web_raw(r, "</h1>");
    const char *ok = web_query(r, "done");
    if (ok && !strcmp(ok, "1"))
        web_flash(r, "已记录。", false);
    web_raw(r, "<dl class=\"facts\" id=\"case-facts\">");
    web_fact(r, "类型", case_kinds[it.kind].cn);
    web_fact(r, "承办单位", it.unit);
    web_fact(r, "网站", it.site);
    web_fact(r, "问题页面", it.page_url);
    const struct case_term *ch = case_term_find(case_channels, it.channel ? it.channel : "");
    web_fact(r, "渠道", ch ? ch->cn : it.channel);
    web_fact_time(r, "收到时间", it.received_at);
    web_fact(r, "标题", it.subject);
    web_fact(r, "内容", it.content);
    web_fact(r, "申请人", buftext(r, case_requester_text, &it, view));
    web_fact(r, "联系方式", buftext(r, case_contact_text, &it, view));
    const struct case_term *rt =
        case_term_find(case_requester_types, it.requester_type ? it.requester_type : "");
    web_fact(r, "申请人类型", rt ? rt->cn : it.requester_type);
    const struct deadline_rule *rule = deadline_rule_find(&x->rules, it.rule);
    web_fact(r, "期限规则", rule ? rule->title : it.rule);
    if (st.dl.paused)
        web_fact(r, "期限", "暂停计时");
    else
        web_fact_time(r, "期限", st.dl.due);
    web_fact(r, "时效", case_timing_cn(st.timing));
    web_fact_time(r, "答复时间", st.replied_at);
    web_fact_time(r, "办结时间", st.closed_at);
    const struct case_outcome *o = st.outcome ? case_outcome_find(it.kind, st.outcome) : NULL;
    struct buf ob = BUF_INIT;
    if (o)
        case_outcome_label(o, &ob);
    web_fact(r, "办理结果", o ? buf_cstr(&ob) : st.outcome);
    buf_release(&ob);
    web_fact(r, "答复内容", it.reply);
    if (it.reply)
        web_fact(r, "答复公开", it.reply_public ? "是" : "否");
    web_raw(r, "</dl>");
    if (view == CASE_VIEW_MASKED)
        web_raw(r, "<p class=\"hint\">申请人信息已脱敏。</p>");
    web__public_facts(r, &it, view);

    web_raw(r, "<h2>期限说明</h2><ol class=\"explain\" id=\"case-deadline\">");
    for (size_t i = 0; i < ex.steps.n; i++) {
        web_raw(r, ex.steps.v[i].kind == DLS_DUE ? "<li class=\"due\">" : "<li>");
        web_e(r, ex.steps.v[i].text);
        web_raw(r, "</li>");
    }
    web_raw(r, "</ol>");
    deadline_explain_release(&ex);

    step_forms(r, x, &it);

    web_raw(r, "<h2>办理记录</h2><ol class=\"timeline\" id=\"case-timeline\">");
    struct buf t = BUF_INIT;
    for (size_t i = 0; i < it.nev; i++) {
        buf_reset(&t);
        case_event_text(x, &it.ev[i], &t);
        web_raw(r, "<li>");
        web_e(r, buf_cstr(&t));
        web_raw(r, "</li>");
    }
    buf_release(&t);
    web_raw(r, "</ol><p class=\"hint\">办理记录只增不改。</p>");
    return web_layout_end(r);
}

/* ---- taking a step ------------------------------------------------------------------- */

/* The form or JSON fields of a step, checked; the item is loaded and in scope. */
enum rc web__case_step(struct web_req *r, const struct case_item *it, const struct web__step *in,
                       struct case_state *after)
{
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    unsigned roles = web__case_roles(r);
    if (str_empty(in->type))
        return web_fail(r, RC_INVALID, "the step's type is required");
    const struct case_transition *tr = case_transition_find(in->type);
    const struct case_transition *v[32];
    size_t n = case_allowed(x, it, roles, v, 32);
    bool allowed = false;
    for (size_t i = 0; i < n && i < 32 && tr; i++)
        allowed |= v[i] == tr;
    if (!allowed) {
        struct buf l = BUF_INIT;
        case_allowed_list(x, it, roles, &l);
        web_fail(r, RC_CONFLICT, "%s cannot take the step '%s' now (it is %s); allowed now: %s",
                 it->number, in->type, case_statuses[it->status].key, l.n ? buf_cstr(&l) : "none");
        buf_release(&l);
        return RC_CONFLICT;
    }
    struct case_action a = { .type = tr->name,
                             .at = in->at,
                             .days = in->days,
                             .outcome = str_empty(in->outcome) ? NULL : in->outcome,
                             .note = str_empty(in->note) ? NULL : in->note,
                             .reply = str_empty(in->reply) ? NULL : in->reply,
                             .reply_public = in->reply_public,
                             .unit_id = in->unit_id,
                             .actor = r->user->name,
                             .roles = roles };
    struct err e = { 0 };
    enum rc rc = case_act(x, it->number, &a, after, &e);
    if (rc == RC_FORBIDDEN)
        rc = RC_CONFLICT;
    return rc ? web_fail(r, rc, "%s", err_msg(&e)) : RC_OK;
}

enum rc page_case_event(struct web_req *r)
{
    struct case_item it;
    enum rc rc;
    if ((rc = web__case_get(r, web_param(r, "number"), &it)))
        return rc;
    struct web__step in = { .type = web_form(r, "type"),
                            .outcome = web_form(r, "outcome"),
                            .note = web_form(r, "note"),
                            .reply = web_form(r, "reply"),
                            .reply_public = web_form(r, "public") ? 1 : -1 };
    const char *at = web_form(r, "at"), *days = web_form(r, "days"), *unit = web_form(r, "unit");
    if (!str_empty(at) && (rc = web__parse_time(r, "at", at, &in.at)))
        return rc;
    if (!str_empty(days) && !cstr_to_int(days, 1, 1000, &in.days))
        return web_fail(r, RC_INVALID, "days '%s' must be working days from 1 to 1000", days);
    if (!str_empty(unit) && (!cstr_to_i64(unit, &in.unit_id) || in.unit_id <= 0))
        return web_fail(r, RC_INVALID, "unit '%s' is not a unit id", unit);
    struct case_state after;
    if ((rc = web__case_step(r, &it, &in, &after)))
        return rc;
    struct buf b = BUF_INIT;
    buf_adds(&b, "/cases/");
    esc_url(&b, it.number);
    buf_adds(&b, "?done=1");
    rc = web_redirect(r, arena_strdup(&r->a, buf_cstr(&b)));
    buf_release(&b);
    return rc;
}

/* ---- registering an item ------------------------------------------------------------- */

static void input(struct web_req *r, const char *label, const char *name, const char *type,
                  bool required)
{
    web_raw(r, "<label>");
    web_e(r, label);
    web_raw(r, " <input name=\"");
    web_e(r, name);
    web_raw(r, "\" type=\"");
    web_e(r, type);
    web_raw(r, required ? "\" required value=\"" : "\" value=\"");
    const char *v = web_form(r, name);
    web_e(r, v ? v : "");
    web_raw(r, "\"></label>");
}

static void new_form(struct web_req *r, const char *msg)
{
    web_layout_begin(r, "登记办件", "cases");
    web_raw(r, "<p class=\"crumbs\"><a href=\"/cases\">办件</a> ›</p><h1>登记办件</h1>");
    web_flash(r, msg, true);
    web_raw(r, "<form method=\"post\" action=\"/cases\" class=\"stacked\" id=\"case-new\">");
    web_csrf_field(r);
    web_raw(r, "<label>类型 <select name=\"kind\" required>");
    for (int k = 0; k < CASE_NKINDS; k++)
        web_option(r, case_kinds[k].key, case_kinds[k].cn, web_form(r, "kind"));
    web_raw(r, "</select></label>");
    int64_t scope = web_scope_unit(r);
    if (scope) {
        web_raw(r, "<p>承办单位：");
        web_e(r, r->user->unit_name ? r->user->unit_name : "");
        web_raw(r, "</p>");
    } else {
        int64_t cur = 0;
        const char *u = web_form(r, "unit");
        if (u)
            cstr_to_i64(u, &cur);
        web__unit_select(r, "unit", "承办单位", cur, false, NULL);
    }
    input(r, "收到时间", "received", "datetime-local", true);
    input(r, "编号（留空自动生成）", "number", "text", false);
    web_raw(r, "<label>渠道 <select name=\"channel\"><option value=\"\">—</option>");
    for (const struct case_term *t = case_channels; t->key; t++)
        web_option(r, t->key, t->cn, web_form(r, "channel"));
    web_raw(r, "</select></label>");
    input(r, "标题", "subject", "text", false);
    web_raw(r, "<label>内容 <textarea name=\"content\" rows=\"4\">");
    web_e(r, web_form(r, "content") ? web_form(r, "content") : "");
    web_raw(r, "</textarea></label>");
    input(r, "申请人", "requester", "text", false);
    input(r, "联系方式", "contact", "text", false);
    web_raw(r, "<label>申请人类型 <select name=\"requester_type\"><option value=\"\">—</option>");
    for (const struct case_term *t = case_requester_types; t->key; t++)
        web_option(r, t->key, t->cn, web_form(r, "requester_type"));
    web_raw(r, "</select></label>");
    input(r, "网站（名称或标识码）", "site", "text", false);
    input(r, "问题页面（找错）", "page_url", "url", false);
    web_raw(r, "<button type=\"submit\">登记</button></form>");
    web_layout_end(r);
}

enum rc page_case_new(struct web_req *r)
{
    new_form(r, NULL);
    return RC_OK;
}

enum rc page_case_create(struct web_req *r)
{
    struct web__case_new n = { .kind = web_form(r, "kind"),
                               .number = web_form(r, "number"),
                               .unit = web_form(r, "unit"),
                               .site = web_form(r, "site"),
                               .received = web_form(r, "received"),
                               .channel = web_form(r, "channel"),
                               .subject = web_form(r, "subject"),
                               .content = web_form(r, "content"),
                               .requester = web_form(r, "requester"),
                               .contact = web_form(r, "contact"),
                               .requester_type = web_form(r, "requester_type"),
                               .page_url = web_form(r, "page_url") };
    char *number = NULL;
    enum rc rc = web__case_add(r, &n, &number);
    if (rc == RC_INVALID || rc == RC_CONFLICT) {
        new_form(r, err_msg(&r->err));
        r->status = rc == RC_CONFLICT ? 409 : 400;
        return RC_OK;
    }
    if (rc)
        return rc;
    struct buf b = BUF_INIT;
    buf_adds(&b, "/cases/");
    esc_url(&b, number);
    free(number);
    rc = web_redirect(r, arena_strdup(&r->a, buf_cstr(&b)));
    buf_release(&b);
    return rc;
}
