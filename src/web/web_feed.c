/* web_feed.c - 转载 (the 政声传递 matrix and the upstream feeds), 整改任务 (rectification
 * tasks) and 民生在线 访谈: pages, /api/v1 routes and the 总览 panels (src/feed/feed.h,
 * docs/feeds.md, docs/api.md).  Editors see their own unit's matrix rows and tasks. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/str.h"
#include "feed/feed.h"
#include "reg/reg.h"
#include "web/web_int.h"

static const char *status_class(enum feed_status s)
{
    return s == FEED_ON_TIME ? "st-ok" : s == FEED_LATE ? "st-soon" : s == FEED_MISSING ? "st-overdue" : "st-proposed";
}

/* ---- the matrix -------------------------------------------------------------------- */

/* Filters from the query: from, to (dates), as_of (moment), site, unit (names or ids),
 * status; editors are confined to their unit. */
struct mq {
    struct feed_matrix_q q;
    int status; /* -1 = any */
    const char *site, *unit, *from, *to, *as_of, *st;
};

static enum rc matrix_query(struct web_req *r, struct mq *m)
{
    memset(m, 0, sizeof(*m));
    m->q.from = m->q.to = DATE_NONE;
    m->status = -1;
    m->from = web_query(r, "from");
    m->to = web_query(r, "to");
    m->as_of = web_query(r, "as_of");
    m->site = web_query(r, "site");
    m->unit = web_query(r, "unit");
    m->st = web_query(r, "status");
    if (!str_empty(m->from) && !date_parse(m->from, &m->q.from))
        return web_fail(r, RC_INVALID, "from '%s' is not a date (YYYY-MM-DD)", m->from);
    if (!str_empty(m->to) && !date_parse(m->to, &m->q.to))
        return web_fail(r, RC_INVALID, "to '%s' is not a date (YYYY-MM-DD)", m->to);
    if (!str_empty(m->as_of) && !time_parse(m->as_of, r->clk->tzoff, &m->q.as_of, NULL))
        return web_fail(r, RC_INVALID, "as_of '%s' is not a moment (YYYY-MM-DD HH:MM)", m->as_of);
    struct err e = { 0 };
    if (!str_empty(m->site) && reg_site_lookup(r->db, m->site, &m->q.site_id, &e))
        return web_fail(r, RC_NOTFOUND, "%s", err_msg(&e));
    if (!str_empty(m->unit) && reg_unit_lookup(r->db, m->unit, &m->q.unit_id, &e))
        return web_fail(r, RC_NOTFOUND, "%s", err_msg(&e));
    int64_t own = web_scope_unit(r);
    if (own)
        m->q.unit_id = own;
    if (!str_empty(m->st)) {
        static const char *const names[] = { "on_time", "late", "missing", "pending" };
        for (int i = 0; i < 4; i++)
            if (!strcmp(m->st, names[i]))
                m->status = i;
        if (m->status < 0)
            return web_fail(r, RC_INVALID, "status '%s': give on_time, late, missing or pending",
                            m->st);
        m->q.include_pending = m->status == FEED_PENDING;
    }
    return RC_OK;
}

static enum rc matrix_build(struct web_req *r, struct mq *m, struct feed_matrix **out)
{
    struct err e = { 0 };
    if (feed_matrix_build(r->db, r->clk, &m->q, out, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return RC_OK;
}

static bool keep(const struct mq *m, const struct feed_cell *c)
{
    return m->status < 0 || (int)c->status == m->status;
}

enum rc page_repost(struct web_req *r)
{
    struct mq m;
    struct feed_matrix *fm;
    enum rc rc;
    if ((rc = matrix_query(r, &m)) || (rc = matrix_build(r, &m, &fm)))
        return rc;
    web_layout_begin(r, "政声传递转载情况", "repost");
    web_raw(r, "<h1>政声传递转载情况</h1><p class=\"hint\">各网站“政声传递”栏目对国家、省、市政策信息的"
               "转载：按时（时限内）、超时（注明滞后小时数）、未转载。时限按信息来源设定，默认24小时。"
               "<a href=\"/feeds\">信息来源</a></p>");
    web_raw(r, "<form method=\"get\" class=\"filters\" id=\"repost-filters\">"
               "<label>发布自 <input type=\"date\" name=\"from\" value=\"");
    web_e(r, m.from);
    web_raw(r, "\"></label> <label>至 <input type=\"date\" name=\"to\" value=\"");
    web_e(r, m.to);
    web_raw(r, "\"></label> <label>截至 <input name=\"as_of\" placeholder=\"YYYY-MM-DD HH:MM\" "
               "value=\"");
    web_e(r, m.as_of);
    web_raw(r, "\"></label> <label>网站 <input name=\"site\" value=\"");
    web_e(r, m.site);
    web_raw(r, "\"></label> ");
    if (!web_scope_unit(r)) {
        web_raw(r, "<label>单位 <input name=\"unit\" value=\"");
        web_e(r, m.unit);
        web_raw(r, "\"></label> ");
    }
    web_raw(r, "<label>状态 <select name=\"status\">");
    web_option(r, "", "全部", m.st ? m.st : "");
    web_option(r, "on_time", "按时", m.st);
    web_option(r, "late", "超时", m.st);
    web_option(r, "missing", "未转载", m.st);
    web_option(r, "pending", "待转载（时限内）", m.st);
    web_raw(r, "</select></label> <button>筛选</button></form>");
    int counts[4];
    feed_matrix_counts(fm, counts);
    web_rawf(r, "<p id=\"repost-counts\"><span class=\"badge st-ok\">按时 %d</span> "
                "<span class=\"badge st-soon\">超时 %d</span> "
                "<span class=\"badge st-overdue\">未转载 %d</span></p>",
             counts[FEED_ON_TIME], counts[FEED_LATE], counts[FEED_MISSING]);
    web_raw(r, "<table id=\"repost-matrix\"><thead><tr><th>单位</th><th>网站</th><th>上级信息</th>"
               "<th>来源</th><th>发布时间</th><th>状态</th><th data-type=\"num\">滞后（小时）</th>"
               "<th>转载</th></tr></thead><tbody>");
    size_t shown = 0;
    for (size_t i = 0; i < feed_matrix_n(fm); i++) {
        const struct feed_cell *c = feed_matrix_cell(fm, i);
        if (!keep(&m, c))
            continue;
        shown++;
        web_rawf(r, "<tr class=\"%s\"><td>", status_class(c->status));
        web_e(r, c->unit ? c->unit : "—");
        web_raw(r, "</td><td>");
        web_e(r, c->site);
        web_raw(r, "</td><td>");
        web_link(r, c->item_url, c->item);
        web_raw(r, "</td><td>");
        web_e(r, c->source);
        web_raw(r, "</td><td>");
        web_time(r, c->published_at);
        web_rawf(r, "</td><td><span class=\"badge %s\">", status_class(c->status));
        web_e(r, feed_status_cn(c->status));
        web_raw(r, "</span></td><td class=\"num\">");
        if (c->repost_url)
            web_rawf(r, "%.1f", (double)c->lag_s / 3600.0);
        else
            web_raw(r, "—");
        web_raw(r, "</td><td>");
        if (c->repost_url)
            web_link(r, c->repost_url, c->repost_title);
        else
            web_e(r, c->column ? "—" : "无政声传递栏目");
        web_raw(r, "</td></tr>");
    }
    if (!shown)
        web_raw(r, "<tr><td colspan=\"8\" class=\"empty\">没有符合条件的记录</td></tr>");
    web_raw(r, "</tbody></table>");
    feed_matrix_free(fm);
    return web_layout_end(r);
}

enum rc api_repost_matrix(struct web_req *r)
{
    struct mq m;
    struct web_page pg;
    struct feed_matrix *fm;
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = matrix_query(r, &m)) || (rc = matrix_build(r, &m, &fm)))
        return rc;
    struct jw w;
    web_list_begin(r, &w);
    int64_t k = 0;
    for (size_t i = 0; i < feed_matrix_n(fm); i++) {
        const struct feed_cell *c = feed_matrix_cell(fm, i);
        if (!keep(&m, c))
            continue;
        if (k >= pg.offset && k < pg.offset + pg.per_page)
            feed_cell_json(&w, c, r->clk->tzoff);
        k++;
    }
    pg.total = k;
    feed_matrix_free(fm);
    return web_list_send(r, &w, &pg);
}

/* ---- feeds ------------------------------------------------------------------------- */

struct items_ctx {
    struct web_req *r;
    struct jw *w;
    int left;
};

static int item_row(const struct feed_item *it, void *ctx)
{
    struct items_ctx *x = ctx;
    if (x->w) {
        feed_item_json(x->w, it, x->r->clk->tzoff);
        return 0;
    }
    web_raw(x->r, "<tr><td>");
    web_time(x->r, it->published_at);
    web_raw(x->r, "</td><td>");
    web_e(x->r, it->source);
    web_raw(x->r, "</td><td>");
    web_e(x->r, it->doc_no ? it->doc_no : "—");
    web_raw(x->r, "</td><td>");
    web_link(x->r, it->url, it->title);
    web_raw(x->r, "</td></tr>");
    return --x->left <= 0;
}

enum rc page_feeds(struct web_req *r)
{
    struct feed_source *v;
    size_t n;
    struct err e = { 0 };
    if (feed_sources_list(r->db, &v, &n, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    web_layout_begin(r, "信息来源", "repost");
    web_raw(r, "<p class=\"crumbs\"><a href=\"/repost\">政声传递</a> ›</p><h1>信息来源</h1>");
    const char *done = web_query(r, "done");
    if (done)
        web_flash(r, !strcmp(done, "pulled") ? "已拉取。" : "已添加。", false);
    web_raw(r, "<table id=\"feeds\"><thead><tr><th>名称</th><th>级别</th><th>类型</th>"
               "<th data-type=\"num\">时限（小时）</th><th data-type=\"num\">条目</th>"
               "<th>最近拉取</th><th>结果</th><th></th></tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        const struct feed_source *s = &v[i];
        web_raw(r, "<tr><td>");
        web_link(r, s->url, s->name);
        web_raw(r, "</td><td>");
        web_e(r, feed_level_cn(s->level));
        web_raw(r, "</td><td>");
        web_e(r, feed_kind_name(s->kind));
        web_rawf(r, "</td><td class=\"num\">%d</td><td class=\"num\">%lld</td><td>",
                 s->window_hours, (long long)s->items);
        web_time(r, s->pulled_at);
        web_raw(r, "</td><td>");
        web_e(r, s->pull_status ? s->pull_status : "—");
        if (s->pull_error) {
            web_raw(r, "：");
            web_e(r, s->pull_error);
        }
        web_raw(r, "</td><td>");
        if (web_can(r, ROLES_STAFF)) {
            web_rawf(r, "<form method=\"post\" action=\"/feeds/%lld/pull\">", (long long)s->id);
            web_csrf_field(r);
            web_raw(r, "<button>拉取</button></form>");
        }
        web_raw(r, "</td></tr>");
    }
    web_raw(r, "</tbody></table>");
    feed_sources_free(v, n);
    if (web_can(r, ROLES_STAFF)) {
        web_raw(r, "<h2>添加来源</h2><form method=\"post\" action=\"/feeds\" id=\"feed-add\">");
        web_csrf_field(r);
        web_raw(r, "<label>名称 <input name=\"name\" required></label> "
                   "<label>地址 <input name=\"url\" type=\"url\" required></label> "
                   "<label>级别 <select name=\"level\"><option value=\"national\">国家</option>"
                   "<option value=\"province\">省</option><option value=\"city\">市</option>"
                   "</select></label> <label>类型 <select name=\"kind\"><option value=\"auto\">自动"
                   "</option><option value=\"rss\">RSS</option><option value=\"atom\">Atom</option>"
                   "<option value=\"html\">HTML 列表页</option></select></label> "
                   "<label>时限（小时） <input name=\"window\" type=\"number\" min=\"1\" "
                   "max=\"8760\" value=\"24\"></label> <button>添加</button></form>");
    }
    web_raw(r, "<h2>最近条目</h2><table id=\"feed-items\"><thead><tr><th>发布时间</th><th>来源</th>"
               "<th>文号</th><th>标题</th></tr></thead><tbody>");
    struct items_ctx x = { r, NULL, 100 };
    enum rc rc = feed_items_each(r->db, 0, DATE_NONE, DATE_NONE, r->clk->tzoff, item_row, &x, &e);
    web_raw(r, "</tbody></table>");
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    return web_layout_end(r);
}

static enum rc feed_add_from(struct web_req *r, const char *name, const char *url,
                             const char *level, const char *kind, const char *window,
                             int64_t *id)
{
    struct feed_source_new n = { .name = name, .url = url };
    if (!str_empty(level) && !feed_level_parse(level, &n.level))
        return web_fail(r, RC_INVALID, "level '%s': give national, province or city", level);
    if (!str_empty(kind) && !feed_kind_parse(kind, &n.kind))
        return web_fail(r, RC_INVALID, "kind '%s': give auto, rss, atom or html", kind);
    if (!str_empty(window) && !cstr_to_int(window, 1, 8760, &n.window_hours))
        return web_fail(r, RC_INVALID, "window '%s': give 1 to 8760 hours", window);
    struct err e = { 0 };
    if (feed_source_add(r->db, r->clk, &n, id, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return RC_OK;
}

enum rc page_feed_add(struct web_req *r)
{
    int64_t id;
    enum rc rc = feed_add_from(r, web_form(r, "name"), web_form(r, "url"), web_form(r, "level"),
                               web_form(r, "kind"), web_form(r, "window"), &id);
    return rc ? rc : web_redirect(r, "/feeds?done=added");
}

static enum rc pull(struct web_req *r, struct feed_pull_result *res)
{
    int64_t id;
    enum rc rc;
    if ((rc = web_param_id(r, "id", &id)))
        return rc;
    struct err e = { 0 };
    struct feed_pull_opts o = {
        .connect_to = r->srv && web__conf(r->srv)->conf
                          ? conf_get(web__conf(r->srv)->conf, "feed", "connect_to", NULL)
                          : NULL,
    };
    rc = feed_pull(r->db, r->clk, &o, id, NULL, NULL, NULL, &e);
    if (rc == RC_NOTFOUND)
        return web_fail(r, rc, "%s", err_msg(&e));
    memset(res, 0, sizeof(*res));
    res->rc = rc;
    snprintf(res->error, sizeof(res->error), "%s", rc ? err_msg(&e) : "");
    return RC_OK;
}

enum rc page_feed_pull(struct web_req *r)
{
    struct feed_pull_result res;
    enum rc rc = pull(r, &res);
    return rc ? rc : web_redirect(r, "/feeds?done=pulled");
}

static enum rc source_json(struct web_req *r, int64_t id, int status)
{
    struct feed_source *v;
    size_t n;
    struct err e = { 0 };
    if (feed_sources_list(r->db, &v, &n, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    struct jw w;
    web_json_begin(r, &w);
    bool found = false;
    if (id) {
        for (size_t i = 0; i < n; i++)
            if (v[i].id == id) {
                feed_source_json(&w, &v[i], r->clk->tzoff);
                found = true;
            }
    } else {
        jw_arr(&w);
        for (size_t i = 0; i < n; i++)
            feed_source_json(&w, &v[i], r->clk->tzoff);
        jw_end(&w);
        found = true;
    }
    feed_sources_free(v, n);
    if (!found)
        return web_fail(r, RC_NOTFOUND, "no feed #%lld", (long long)id);
    return web_json_send(r, &w, status);
}

enum rc api_feeds(struct web_req *r)
{
    return source_json(r, 0, 200);
}

enum rc api_feed_add(struct web_req *r)
{
    json_object *o;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    const char *name = web_jstr(r, o, "name", &ok), *url = web_jstr(r, o, "url", &ok),
               *level = web_jstr(r, o, "level", &ok), *kind = web_jstr(r, o, "kind", &ok);
    if (!ok)
        return r->err.rc;
    json_object *wv;
    const char *window = NULL;
    if (json_object_object_get_ex(o, "window_hours", &wv) && json_object_is_type(wv, json_type_int))
        window = arena_fmt(&r->a, "%lld", (long long)json_object_get_int64(wv));
    int64_t id;
    if ((rc = feed_add_from(r, name, url, level, kind, window, &id)))
        return rc;
    return source_json(r, id, 201);
}

enum rc api_feed_pull(struct web_req *r)
{
    struct feed_pull_result res;
    enum rc rc = pull(r, &res);
    if (rc)
        return rc;
    int64_t id;
    web_param_id(r, "id", &id);
    return source_json(r, id, 200);
}

enum rc api_feed_items(struct web_req *r)
{
    const char *from = web_query(r, "from"), *to = web_query(r, "to");
    int32_t f = DATE_NONE, t = DATE_NONE;
    if (!str_empty(from) && !date_parse(from, &f))
        return web_fail(r, RC_INVALID, "from '%s' is not a date (YYYY-MM-DD)", from);
    if (!str_empty(to) && !date_parse(to, &t))
        return web_fail(r, RC_INVALID, "to '%s' is not a date (YYYY-MM-DD)", to);
    struct jw w;
    web_json_begin(r, &w);
    jw_arr(&w);
    struct items_ctx x = { r, &w, 0 };
    struct err e = { 0 };
    if (feed_items_each(r->db, 0, f, t, r->clk->tzoff, item_row, &x, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    jw_end(&w);
    return web_json_send(r, &w, 200);
}

/* ---- tasks ------------------------------------------------------------------------- */

static enum rc tasks_of(struct web_req *r, struct task **v, size_t *n)
{
    const char *state = web_query(r, "state");
    struct task_query q = { .unit_id = web_scope_unit(r), .state = str_empty(state) ? NULL : state };
    const char *unit = web_query(r, "unit");
    struct err e = { 0 };
    if (!q.unit_id && !str_empty(unit) && reg_unit_lookup(r->db, unit, &q.unit_id, &e))
        return web_fail(r, RC_NOTFOUND, "%s", err_msg(&e));
    if (task_list(r->db, r->clk, &q, v, n, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return RC_OK;
}

static void task_badge(struct web_req *r, const struct task *t)
{
    web_rawf(r, "<span class=\"badge %s\">", t->overdue ? "st-overdue" : !strcmp(t->state, "open") ? "st-soon" : "st-ok");
    web_e(r, t->overdue ? "逾期" : !strcmp(t->state, "open") ? "整改中" : "已完成");
    web_raw(r, "</span>");
}

enum rc page_tasks(struct web_req *r)
{
    struct task *v;
    size_t n;
    enum rc rc;
    if ((rc = tasks_of(r, &v, &n)))
        return rc;
    const char *state = web_query(r, "state");
    web_layout_begin(r, "整改任务", "tasks");
    web_raw(r, "<h1>整改任务</h1><form method=\"get\" class=\"filters\"><label>状态 <select "
               "name=\"state\">");
    web_option(r, "", "全部", state ? state : "");
    web_option(r, "open", "整改中", state);
    web_option(r, "overdue", "逾期", state);
    web_option(r, "closed", "已完成", state);
    web_raw(r, "</select></label> <button>筛选</button></form>");
    const char *done = web_query(r, "done");
    if (done)
        web_flash(r, "已记录。", false);
    web_raw(r, "<table id=\"tasks\"><thead><tr><th>编号</th><th>单位</th><th>说明</th>"
               "<th>期限</th><th>状态</th><th data-type=\"num\">问题（未解决/全部）</th></tr></thead>"
               "<tbody>");
    for (size_t i = 0; i < n; i++) {
        const struct task *t = &v[i];
        web_rawf(r, "<tr class=\"%s\"><td><a href=\"/tasks/%lld\">#%lld</a></td><td>",
                 t->overdue ? "st-overdue" : !strcmp(t->state, "open") ? "st-soon" : "st-ok",
                 (long long)t->id, (long long)t->id);
        web_e(r, t->unit);
        web_raw(r, "</td><td>");
        web_e(r, t->description);
        char d[11];
        date_fmt(t->due, d);
        web_raw(r, "</td><td>");
        web_e(r, d);
        web_raw(r, "</td><td>");
        task_badge(r, t);
        web_rawf(r, "</td><td class=\"num\">%d/%zu</td></tr>", t->open_findings, t->nfindings);
    }
    if (!n)
        web_raw(r, "<tr><td colspan=\"6\" class=\"empty\">暂无整改任务</td></tr>");
    web_raw(r, "</tbody></table>");
    tasks_free(v, n);
    if (web_can(r, ROLES_STAFF)) {
        web_raw(r, "<h2>新建整改任务</h2><form method=\"post\" action=\"/tasks\" id=\"task-add\">");
        web_csrf_field(r);
        web_raw(r, "<label>问题编号 <input name=\"findings\" placeholder=\"12,15\"></label> "
                   "<label>单位 <input name=\"unit\" placeholder=\"不填则取问题的责任单位\"></label> "
                   "<label>期限 <input name=\"due\" type=\"date\"></label> "
                   "<label>说明 <input name=\"description\" size=\"40\"></label> "
                   "<button>新建</button></form><p class=\"hint\">不填期限则为10个工作日。</p>");
    }
    return web_layout_end(r);
}

static enum rc task_load(struct web_req *r, struct task *t)
{
    int64_t id;
    enum rc rc;
    if ((rc = web_param_id(r, "id", &id)))
        return rc;
    struct err e = { 0 };
    if (task_get(r->db, r->clk, id, t, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    if ((rc = web_scope_check(r, t->unit_id, "task"))) {
        task_release(t);
        return rc;
    }
    return RC_OK;
}

enum rc page_task(struct web_req *r)
{
    struct task t;
    enum rc rc;
    if ((rc = task_load(r, &t)))
        return rc;
    web_layout_begin(r, arena_fmt(&r->a, "整改任务 %lld", (long long)t.id), "tasks");
    web_rawf(r, "<p class=\"crumbs\"><a href=\"/tasks\">整改任务</a> ›</p><h1>整改任务 %lld ",
             (long long)t.id);
    task_badge(r, &t);
    web_raw(r, "</h1><dl class=\"facts\" id=\"task-facts\">");
    web_fact(r, "单位", t.unit);
    web_fact(r, "网站", t.site);
    web_fact(r, "说明", t.description);
    char d[11];
    date_fmt(t.due, d);
    web_fact(r, "期限", d);
    web_fact(r, "创建人", t.created_by);
    web_fact_time(r, "创建时间", t.created_at);
    if (t.closed_at) {
        web_fact_time(r, "完成时间", t.closed_at);
        web_fact(r, "完成方式", !strcmp(t.closed_by ? t.closed_by : "", "auto") ? "复查自动关闭" : t.closed_by);
        web_fact(r, "备注", t.close_note);
    }
    web_raw(r, "</dl><h2>涉及的问题</h2><ul id=\"task-findings\">");
    for (size_t i = 0; i < t.nfindings; i++) {
        struct check_row f;
        struct err e = { 0 };
        if (check_finding_get(r->db, t.findings[i], &f, &e))
            continue;
        web_rawf(r, "<li><a href=\"/findings/%lld\">#%lld</a> ", (long long)f.id,
                 (long long)f.id);
        web_e(r, f.summary);
        web_raw(r, " — ");
        web_e(r, !strcmp(f.state, "open") ? "未解决" : !strcmp(f.state, "resolved") ? "已解决" : "已忽略");
        web_raw(r, "</li>");
        check_row_release(&f);
    }
    web_raw(r, "</ul>");
    if (!strcmp(t.state, "open") && web_can(r, ROLES_STAFF)) {
        web_rawf(r, "<form method=\"post\" action=\"/tasks/%lld/close\" id=\"task-close\">",
                 (long long)t.id);
        web_csrf_field(r);
        web_raw(r, "<label>完成说明 <input name=\"note\" required size=\"40\"></label> "
                   "<button>标记完成</button></form>");
    }
    task_release(&t);
    return web_layout_end(r);
}

/* Finding ids from "12, #15" (at most 256). */
static enum rc parse_ids(struct web_req *r, const char *s, int64_t *ids, size_t *n)
{
    *n = 0;
    struct str rest = str_of(s), one;
    while (rest.n) {
        str_split(&rest, ',', &one);
        one = str_trim(one);
        if (one.n && one.p[0] == '#')
            one.p++, one.n--;
        if (!one.n)
            continue;
        if (*n == 256 || !str_to_i64(one, &ids[*n]) || ids[*n] <= 0)
            return web_fail(r, RC_INVALID, "findings: give finding ids separated by commas");
        (*n)++;
    }
    return RC_OK;
}

static enum rc task_create(struct web_req *r, const char *unit, const char *due,
                           const char *desc, const int64_t *ids, size_t nids, int64_t *id)
{
    struct task_new n = { .due = DATE_NONE, .description = desc, .findings = ids,
                          .nfindings = nids, .by = r->user->name };
    struct err e = { 0 };
    if (!str_empty(unit) && reg_unit_lookup(r->db, unit, &n.unit_id, &e))
        return web_fail(r, RC_NOTFOUND, "%s", err_msg(&e));
    if (!str_empty(due) && !date_parse(due, &n.due))
        return web_fail(r, RC_INVALID, "due '%s' is not a date (YYYY-MM-DD)", due);
    if (task_add(r->db, r->clk, &n, id, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return RC_OK;
}

enum rc page_task_add(struct web_req *r)
{
    int64_t ids[256], id;
    size_t n;
    enum rc rc = parse_ids(r, web_form(r, "findings") ? web_form(r, "findings") : "", ids, &n);
    if (!rc)
        rc = task_create(r, web_form(r, "unit"), web_form(r, "due"), web_form(r, "description"),
                         ids, n, &id);
    return rc ? rc : web_redirect(r, arena_fmt(&r->a, "/tasks/%lld", (long long)id));
}

enum rc page_task_close(struct web_req *r)
{
    struct task t;
    enum rc rc;
    if ((rc = task_load(r, &t)))
        return rc;
    struct err e = { 0 };
    int64_t id = t.id;
    task_release(&t);
    if (task_close(r->db, r->clk, id, web_form(r, "note"), r->user->name, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return web_redirect(r, arena_fmt(&r->a, "/tasks/%lld", (long long)id));
}

enum rc api_tasks(struct web_req *r)
{
    struct task *v;
    size_t n;
    struct web_page pg;
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = tasks_of(r, &v, &n)))
        return rc;
    struct jw w;
    web_list_begin(r, &w);
    for (size_t i = (size_t)pg.offset; i < n && i < (size_t)(pg.offset + pg.per_page); i++)
        task_json(&w, &v[i], r->clk->tzoff);
    pg.total = (int64_t)n;
    tasks_free(v, n);
    return web_list_send(r, &w, &pg);
}

static enum rc send_task(struct web_req *r, int64_t id, int status)
{
    struct task t;
    struct err e = { 0 };
    if (task_get(r->db, r->clk, id, &t, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    struct jw w;
    web_json_begin(r, &w);
    task_json(&w, &t, r->clk->tzoff);
    task_release(&t);
    return web_json_send(r, &w, status);
}

enum rc api_task(struct web_req *r)
{
    struct task t;
    enum rc rc;
    if ((rc = task_load(r, &t)))
        return rc;
    int64_t id = t.id;
    task_release(&t);
    return send_task(r, id, 200);
}

enum rc api_task_add(struct web_req *r)
{
    json_object *o, *arr;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    const char *unit = web_jstr(r, o, "unit", &ok), *due = web_jstr(r, o, "due", &ok),
               *desc = web_jstr(r, o, "description", &ok);
    if (!ok)
        return r->err.rc;
    int64_t ids[256], id;
    size_t n = 0;
    if (json_object_object_get_ex(o, "findings", &arr) && !json_object_is_type(arr, json_type_null)) {
        if (!json_object_is_type(arr, json_type_array) || json_object_array_length(arr) > 256)
            return web_fail(r, RC_INVALID, "\"findings\" must be an array of at most 256 ids");
        for (size_t i = 0; i < json_object_array_length(arr); i++) {
            json_object *x = json_object_array_get_idx(arr, i);
            if (!json_object_is_type(x, json_type_int) || json_object_get_int64(x) <= 0)
                return web_fail(r, RC_INVALID, "\"findings\" must hold positive integers");
            ids[n++] = json_object_get_int64(x);
        }
    }
    if ((rc = task_create(r, unit, due, desc, ids, n, &id)))
        return rc;
    return send_task(r, id, 201);
}

enum rc api_task_close(struct web_req *r)
{
    json_object *o;
    enum rc rc;
    struct task t;
    if ((rc = task_load(r, &t)))
        return rc;
    int64_t id = t.id;
    task_release(&t);
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    const char *note = web_jstr(r, o, "note", &ok);
    if (!ok)
        return r->err.rc;
    struct err e = { 0 };
    if (task_close(r->db, r->clk, id, note, r->user->name, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return send_task(r, id, 200);
}

/* ---- interviews -------------------------------------------------------------------- */

enum rc page_interviews(struct web_req *r)
{
    struct interview *v;
    size_t n;
    struct err e = { 0 };
    if (interview_list(r->db, clk_today(r->clk) - 90, &v, &n, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    web_layout_begin(r, "民生在线访谈", "interviews");
    web_raw(r, "<h1>民生在线访谈</h1>");
    struct buf s = BUF_INIT;
    if (feed_bulletin_interview(r->db, clk_today(r->clk), &s, &e) == RC_OK) {
        web_raw(r, "<p class=\"flash ok\" id=\"interview-next\">");
        web_e(r, s.p);
        web_raw(r, "</p>");
    }
    buf_release(&s);
    web_raw(r, "<table id=\"interviews\"><thead><tr><th>日期</th><th>单位</th><th>主题</th><th></th>"
               "</tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        char d[11];
        date_fmt(v[i].day, d);
        web_rawf(r, "<tr class=\"%s\"><td>", v[i].day < clk_today(r->clk) ? "st-ok" : "st-soon");
        web_e(r, d);
        web_raw(r, "</td><td>");
        web_e(r, v[i].unit);
        web_raw(r, "</td><td>");
        web_e(r, v[i].topic ? v[i].topic : "—");
        web_raw(r, "</td><td>");
        if (web_can(r, ROLES_STAFF)) {
            web_rawf(r, "<form method=\"post\" action=\"/interviews/%lld/delete\">",
                     (long long)v[i].id);
            web_csrf_field(r);
            web_raw(r, "<button>删除</button></form>");
        }
        web_raw(r, "</td></tr>");
    }
    web_raw(r, "</tbody></table>");
    interviews_free(v, n);
    if (web_can(r, ROLES_STAFF)) {
        web_raw(r, "<h2>安排访谈</h2><form method=\"post\" action=\"/interviews\" "
                   "id=\"interview-add\">");
        web_csrf_field(r);
        web_raw(r, "<label>单位 <input name=\"unit\" required></label> <label>日期 <input "
                   "name=\"date\" type=\"date\" required></label> <label>主题 <input "
                   "name=\"topic\"></label> <button>安排</button></form>");
    }
    return web_layout_end(r);
}

static enum rc interview_create(struct web_req *r, const char *unit, const char *date,
                                const char *topic, int64_t *id)
{
    int64_t uid;
    int32_t day;
    struct err e = { 0 };
    if (reg_unit_lookup(r->db, unit ? unit : "", &uid, &e))
        return web_fail(r, RC_NOTFOUND, "%s", err_msg(&e));
    if (!date || !date_parse(date, &day))
        return web_fail(r, RC_INVALID, "date '%s' is not a date (YYYY-MM-DD)", date ? date : "");
    if (interview_add(r->db, r->clk, uid, day, topic, r->user->name, id, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return RC_OK;
}

enum rc page_interview_add(struct web_req *r)
{
    int64_t id;
    enum rc rc = interview_create(r, web_form(r, "unit"), web_form(r, "date"),
                                  web_form(r, "topic"), &id);
    return rc ? rc : web_redirect(r, "/interviews");
}

enum rc page_interview_delete(struct web_req *r)
{
    int64_t id;
    enum rc rc;
    if ((rc = web_param_id(r, "id", &id)))
        return rc;
    struct err e = { 0 };
    if (interview_remove(r->db, id, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return web_redirect(r, "/interviews");
}

enum rc api_interviews(struct web_req *r)
{
    struct interview *v;
    size_t n;
    struct err e = { 0 };
    const char *from = web_query(r, "from");
    int32_t f = DATE_NONE;
    if (!str_empty(from) && !date_parse(from, &f))
        return web_fail(r, RC_INVALID, "from '%s' is not a date (YYYY-MM-DD)", from);
    if (interview_list(r->db, f, &v, &n, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    struct jw w;
    web_json_begin(r, &w);
    jw_arr(&w);
    for (size_t i = 0; i < n; i++)
        interview_json(&w, &v[i]);
    jw_end(&w);
    interviews_free(v, n);
    return web_json_send(r, &w, 200);
}

enum rc api_interview_add(struct web_req *r)
{
    json_object *o;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    const char *unit = web_jstr(r, o, "unit", &ok), *date = web_jstr(r, o, "date", &ok),
               *topic = web_jstr(r, o, "topic", &ok);
    if (!ok)
        return r->err.rc;
    int64_t id;
    if ((rc = interview_create(r, unit, date, topic, &id)))
        return rc;
    struct interview *v;
    size_t n;
    struct err e = { 0 };
    if (interview_list(r->db, DATE_NONE, &v, &n, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    struct jw w;
    web_json_begin(r, &w);
    for (size_t i = 0; i < n; i++)
        if (v[i].id == id)
            interview_json(&w, &v[i]);
    interviews_free(v, n);
    return web_json_send(r, &w, 201);
}

enum rc api_interview_delete(struct web_req *r)
{
    int64_t id;
    enum rc rc;
    if ((rc = web_param_id(r, "id", &id)))
        return rc;
    struct err e = { 0 };
    if (interview_remove(r->db, id, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_kint(&w, "deleted", id);
    jw_end(&w);
    return web_json_send(r, &w, 200);
}

/* ---- panels ------------------------------------------------------------------------ */

enum rc panel_tasks_overdue(struct web_req *r)
{
    struct task_query q = { .unit_id = web_scope_unit(r), .state = "overdue" };
    struct task *v;
    size_t n;
    struct err e = { 0 };
    if (task_list(r->db, r->clk, &q, &v, &n, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    if (!n)
        web_raw(r, "<p class=\"empty\" id=\"tasks-overdue\">没有逾期的整改任务。</p>");
    else
        web_raw(r, "<ul id=\"tasks-overdue\">");
    for (size_t i = 0; i < n && i < 10; i++) {
        char d[11];
        date_fmt(v[i].due, d);
        web_rawf(r, "<li><a href=\"/tasks/%lld\">#%lld</a> ", (long long)v[i].id,
                 (long long)v[i].id);
        web_e(r, v[i].unit);
        web_raw(r, "：");
        web_e(r, v[i].description);
        web_raw(r, "（应于");
        web_e(r, d);
        web_raw(r, "前完成）</li>");
    }
    if (n) {
        web_raw(r, "</ul>");
        web_rawf(r, "<p><a href=\"/tasks?state=overdue\">共 %zu 项逾期</a></p>", n);
    }
    tasks_free(v, n);
    return RC_OK;
}

enum rc panel_interview_next(struct web_req *r)
{
    struct interview iv;
    struct err e = { 0 };
    int32_t today = clk_today(r->clk);
    enum rc rc = interview_next(r->db, today, &iv, &e);
    if (rc == RC_NOTFOUND) {
        web_raw(r, "<p class=\"empty\" id=\"interview-next\">近期没有安排访谈。</p>");
        return RC_OK;
    }
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    char d[11];
    date_fmt(iv.day, d);
    int left = iv.day - today;
    web_rawf(r, "<p id=\"interview-next\" class=\"%s\">", left <= 14 ? "flash error" : "");
    web_e(r, iv.unit);
    web_raw(r, "：");
    web_e(r, d);
    web_rawf(r, "（还有 %d 天）", left);
    if (iv.topic) {
        web_raw(r, "，主题：");
        web_e(r, iv.topic);
    }
    web_raw(r, "</p><p><a href=\"/interviews\">访谈安排</a></p>");
    interview_release(&iv);
    return RC_OK;
}

enum rc panel_repost(struct web_req *r)
{
    struct feed_matrix_q q = { .from = clk_today(r->clk) - 30, .to = DATE_NONE,
                               .unit_id = web_scope_unit(r) };
    struct feed_matrix *m;
    struct err e = { 0 };
    if (feed_matrix_build(r->db, r->clk, &q, &m, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    int c[4];
    feed_matrix_counts(m, c);
    feed_matrix_free(m);
    web_rawf(r, "<p id=\"repost-panel\"><span class=\"badge st-ok\">按时 %d</span> "
                "<span class=\"badge st-soon\">超时 %d</span> "
                "<span class=\"badge st-overdue\">未转载 %d</span></p>"
                "<p><a href=\"/repost?status=missing\">未转载明细</a></p>",
             c[FEED_ON_TIME], c[FEED_LATE], c[FEED_MISSING]);
    return RC_OK;
}
