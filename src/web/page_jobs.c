/* page_jobs.c - 任务调度: the job queue of `serve`'s scheduler and `govsite worker`
 * (jobs/jobs.h) for the office.  Counts by type and state; the job types with their
 * default interval and [jobs] setting; each site's schedule per type with a form to set
 * or clear it; enqueueing for a site or every running site; the job list (filters, keyset
 * pages) with retry and cancel.  Supervisors read; admins change (routes' roles). */
#include <string.h>

#include "core/str.h"
#include "jobs/jobs.h"
#include "web/web_int.h"

#define NSTATES 5
static const char *const states[NSTATES] = { "queued", "running", "done", "failed", "cancelled" };

struct counts {
    int64_t n[64][NSTATES];
};

static void count_cell(const char *type, const char *state, int64_t n, void *ctx)
{
    struct counts *c = ctx;
    size_t t = 0;
    for (const struct jobs_type *jt = jobs_types; jt->name && t < 64; jt++, t++)
        if (!strcmp(jt->name, type))
            for (size_t s = 0; s < NSTATES; s++)
                if (!strcmp(states[s], state))
                    c->n[t][s] += n;
}

static void counts_table(struct web_req *r, const struct counts *c)
{
    web_raw(r, "<table id=\"job-counts\"><thead><tr><th>类型</th>");
    for (size_t s = 0; s < NSTATES; s++) {
        web_raw(r, "<th>");
        web_e(r, web__job_state_cn(states[s]));
        web_raw(r, "</th>");
    }
    web_raw(r, "</tr></thead><tbody>");
    size_t t = 0;
    for (const struct jobs_type *jt = jobs_types; jt->name && t < 64; jt++, t++) {
        web_raw(r, "<tr><td>");
        web_e(r, jt->label);
        web_raw(r, "</td>");
        for (size_t s = 0; s < NSTATES; s++) {
            web_raw(r, "<td class=\"num\">");
            if (c->n[t][s])
                web_link(r, arena_fmt(&r->a, "/jobs?type=%s&state=%s#jobs", jt->name, states[s]),
                         arena_fmt(&r->a, "%lld", (long long)c->n[t][s]));
            else
                web_raw(r, "0");
            web_raw(r, "</td>");
        }
        web_raw(r, "</tr>");
    }
    web_raw(r, "</tbody></table>");
}

static void types_table(struct web_req *r, const struct web__schedules *all)
{
    const struct conf *cf = web__conf(r->srv)->conf;
    web_raw(r, "<h2>任务类型</h2><table id=\"job-types\"><thead><tr><th>类型</th><th>代码</th>"
               "<th>对象</th><th>默认间隔</th><th>配置 [jobs]</th><th>生效间隔</th><th>完成后</th>"
               "</tr></thead><tbody>");
    for (const struct jobs_type *jt = jobs_types; jt->name; jt++) {
        const char *v = cf && jt->conf_key ? conf_get(cf, "jobs", jt->conf_key, NULL) : NULL;
        struct web__sched sc;
        web__schedule_of(all, 0, jt, &sc);
        const struct jobs_type *then = jt->then ? jobs_type_find(jt->then) : NULL;
        web_raw(r, "<tr><td>");
        web_e(r, jt->label);
        web_raw(r, "</td><td><code>");
        web_e(r, jt->name);
        web_raw(r, jt->per_site ? "</code></td><td>每个站点</td><td>"
                                : "</code></td><td>全局</td><td>");
        web_e(r, web__every_cn(r, jt->every_s));
        web_raw(r, "</td><td>");
        if (jt->conf_key) {
            web_raw(r, "<code>");
            web_e(r, jt->conf_key);
            web_raw(r, " = ");
            web_e(r, v ? v : "（未设置）");
            web_raw(r, "</code>");
        }
        web_raw(r, "</td><td>");
        web_e(r, web__every_cn(r, sc.every));
        web_raw(r, "</td><td>");
        web_e(r, then ? then->label : "");
        web_raw(r, "</td></tr>");
    }
    web_raw(
        r,
        "</tbody></table><p class=\"hint\">调度器每分钟检查一次：某站点某类任务距上次创建已满"
        "间隔时，自动加入队列；只调度状态为“正常运行”的站点。站点的单独设置优先于配置文件 [jobs] 和"
        "默认值。</p>");
}

static enum rc schedule_table(struct web_req *r, const struct web__schedules *all, bool admin)
{
    web_raw(r, "<h2>各站点计划</h2><table id=\"job-schedule\" class=\"sortable\"><thead><tr>"
               "<th>站点</th><th>状态</th>");
    for (const struct jobs_type *jt = jobs_types; jt->name; jt++)
        if (jt->per_site) {
            web_raw(r, "<th>");
            web_e(r, jt->label);
            web_raw(r, "</th>");
        }
    web_raw(r, "</tr></thead><tbody>");
    struct err e = { 0 };
    struct stmt *st = store_sql(r->db, "SELECT id, name, status FROM sites ORDER BY id");
    while (stmt_next(st)) {
        int64_t id = stmt_int(st, 0);
        const char *ids = arena_fmt(&r->a, "%lld", (long long)id);
        web_raw(r, "<tr><td>");
        web_link(r, arena_fmt(&r->a, "/sites/%s", ids), stmt_str(st, 1));
        web_raw(r, "</td><td>");
        web_e(r, stmt_str(st, 2));
        if (strcmp(stmt_str(st, 2), "正常运行"))
            web_raw(r, "（不自动调度）");
        web_raw(r, "</td>");
        for (const struct jobs_type *jt = jobs_types; jt->name; jt++) {
            if (!jt->per_site)
                continue;
            struct web__sched sc;
            web__schedule_of(all, id, jt, &sc);
            web_raw(r, "<td>");
            web_e(r, web__every_cn(r, sc.every));
            if (!strcmp(sc.source, "site")) {
                web_raw(r, " <span class=\"badge st-proposed\">站点设置</span>");
                if (admin) {
                    web_raw(r, "<form method=\"post\" class=\"inline\" "
                               "action=\"/jobs/schedule\">");
                    web_csrf_field(r);
                    web_rawf(r,
                             "<input type=\"hidden\" name=\"site\" value=\"%lld\">"
                             "<input type=\"hidden\" name=\"type\" value=\"",
                             (long long)id);
                    web_e(r, jt->name);
                    web_raw(r, "\"><input type=\"hidden\" name=\"every\" value=\"\"><button "
                               "type=\"submit\">恢复默认</button></form>");
                }
            }
            web_raw(r, "</td>");
        }
        web_raw(r, "</tr>");
    }
    enum rc rc = stmt_done(st, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    web_raw(r, "</tbody></table>");
    if (!admin)
        return RC_OK;
    web_raw(r, "<form method=\"post\" action=\"/jobs/schedule\" class=\"filters\" "
               "id=\"schedule-set\">");
    web_csrf_field(r);
    web_raw(r, "<label>站点 <input name=\"site\" required placeholder=\"名称、标识码或编号\">"
               "</label><label>类型 <select name=\"type\">");
    for (const struct jobs_type *jt = jobs_types; jt->name; jt++)
        if (jt->per_site)
            web_option(r, jt->name, jt->label, NULL);
    web_raw(r, "</select></label><label>间隔 <input name=\"every\" placeholder=\"6h、30m、1d、"
               "never；留空恢复默认\" maxlength=\"20\"></label><button type=\"submit\">设置间隔"
               "</button></form>");
    return RC_OK;
}

static void enqueue_form(struct web_req *r)
{
    web_raw(r, "<h2>新建任务</h2><form method=\"post\" action=\"/jobs\" class=\"filters\" "
               "id=\"job-enqueue\">");
    web_csrf_field(r);
    web_raw(r, "<label>类型 <select name=\"type\">");
    for (const struct jobs_type *jt = jobs_types; jt->name; jt++)
        web_option(r, jt->name, jt->label, "crawl");
    web_raw(r, "</select></label><label>站点 <input name=\"site\" placeholder=\"名称、标识码或"
               "编号\"></label><label><input type=\"checkbox\" name=\"all\" value=\"1\"> 全部运行中"
               "站点</label><button type=\"submit\">加入队列</button></form><p class=\"hint\">"
               "抓取、探测和检查需要站点（或勾选全部运行中站点）；上级政策信息拉取、整改任务巡检"
               "不需要站点。同一站点同类任务已在排队或运行时不会重复加入。</p>");
}

static void filter_form(struct web_req *r)
{
    const char *state = web_query(r, "state"), *type = web_query(r, "type"),
               *site = web_query(r, "site");
    web_raw(r, "<form class=\"filters\" method=\"get\" action=\"/jobs#jobs\"><label>状态 <select "
               "name=\"state\"><option value=\"\">全部</option>");
    for (size_t s = 0; s < NSTATES; s++)
        web_option(r, states[s], web__job_state_cn(states[s]), state);
    web_raw(r,
            "</select></label><label>类型 <select name=\"type\"><option value=\"\">全部</option>");
    for (const struct jobs_type *jt = jobs_types; jt->name; jt++)
        web_option(r, jt->name, jt->label, type);
    web_raw(r,
            "</select></label><label>站点 <input name=\"site\" placeholder=\"名称、标识码或编号\" "
            "value=\"");
    web_e(r, site ? site : "");
    web_raw(r, "\"></label><button type=\"submit\">筛选</button></form>");
}

static const char *origin_cn(const char *o)
{
    return !strcmp(o, "manual")     ? "手动"
           : !strcmp(o, "schedule") ? "计划"
           : !strcmp(o, "api")      ? "API"
           : !strcmp(o, "chain")    ? "接续"
                                    : o;
}

static void act_button(struct web_req *r, int64_t id, const char *act, const char *label,
                       const char *confirm)
{
    web_rawf(r, "<form method=\"post\" class=\"inline\" action=\"/jobs/%lld/%s\">", (long long)id,
             act);
    web_csrf_field(r);
    web_raw(r, "<button type=\"submit\" data-confirm=\"");
    web_e(r, confirm);
    web_raw(r, "\">");
    web_e(r, label);
    web_raw(r, "</button></form>");
}

static void job_rows(struct web_req *r, const struct job_row *v, size_t n, bool admin)
{
    web_raw(r, "<table id=\"jobs\" class=\"sortable\"><thead><tr><th data-type=\"num\">编号</th>"
               "<th>类型</th><th>站点</th><th>状态</th><th>来源</th><th>执行者</th><th>创建</th>"
               "<th>开始</th><th>结束</th><th data-type=\"num\">用时（秒）</th>"
               "<th data-type=\"num\">尝试</th><th>错误或结果</th>");
    web_raw(r, admin ? "<th></th></tr></thead><tbody>" : "</tr></thead><tbody>");
    for (size_t i = 0; i < n; i++) {
        const struct job_row *j = &v[i];
        const struct jobs_type *t = jobs_type_find(j->type);
        web_rawf(r, "<tr><td class=\"num\">%lld</td><td>", (long long)j->id);
        web_e(r, t ? t->label : j->type);
        web_raw(r, "</td><td>");
        if (j->site_id)
            web_link(r, arena_fmt(&r->a, "/sites/%lld", (long long)j->site_id),
                     j->site ? j->site : "");
        web_raw(r, "</td><td><span class=\"badge ");
        web_raw(r, !strcmp(j->state, "failed")    ? "st-overdue"
                   : !strcmp(j->state, "done")    ? "st-ok"
                   : !strcmp(j->state, "running") ? "st-soon"
                                                  : "st-unchecked");
        web_raw(r, "\">");
        web_e(r, web__job_state_cn(j->state));
        web_raw(r, "</span></td><td>");
        web_e(r, origin_cn(j->origin));
        web_raw(r, "</td><td>");
        web_e(r, j->worker ? j->worker : "");
        web_raw(r, "</td><td>");
        web_time(r, j->created_at);
        web_raw(r, "</td><td>");
        web_time(r, j->started_at);
        web_raw(r, "</td><td>");
        web_time(r, j->finished_at);
        web_raw(r, "</td><td class=\"num\">");
        if (j->started_at && j->finished_at)
            web_rawf(r, "%lld", (long long)(j->finished_at - j->started_at));
        web_rawf(r, "</td><td class=\"num\">%lld</td><td>", (long long)j->attempts);
        if (j->error) {
            web_raw(r, "<span class=\"error\">");
            web_e(r, j->error);
            web_raw(r, "</span>");
        } else if (j->result) {
            web_raw(r, "<code>");
            web_e(r, j->result);
            web_raw(r, "</code>");
        }
        web_raw(r, "</td>");
        if (admin) {
            web_raw(r, "<td>");
            if (!strcmp(j->state, "failed") || !strcmp(j->state, "cancelled"))
                act_button(r, j->id, "retry", "重试", "确定重新运行这个任务？");
            else if (!strcmp(j->state, "queued") || !strcmp(j->state, "running"))
                act_button(r, j->id, "cancel", "取消", "确定取消这个任务？");
            web_raw(r, "</td>");
        }
        web_raw(r, "</tr>");
    }
    web_raw(r, "</tbody></table>");
    if (!n)
        web_raw(r, "<p class=\"empty\">没有符合条件的任务。</p>");
}

enum rc page_jobs(struct web_req *r)
{
    struct web_page pg;
    struct jobs_query q;
    struct job_row *rows;
    size_t n;
    struct counts c;
    memset(&c, 0, sizeof(c));
    struct err e = { 0 };
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = web__jobs_query(r, &q)) ||
        (rc = web__jobs_list(r, &q, &pg, &rows, &n)))
        return rc;
    struct web__schedules all;
    if ((rc = jobs_counts(r->db, count_cell, &c, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    if ((rc = web__schedules_load(r, &all)))
        return rc;
    bool admin = web_can(r, ROLES_ADMIN);
    web_layout_begin(r, "任务调度", "jobs");
    web_raw(r, "<h1>任务调度</h1>");
    const char *done = web_query(r, "done");
    if (done && !strcmp(done, "1"))
        web_flash(r, "已保存。", false);
    counts_table(r, &c);
    types_table(r, &all);
    if ((rc = schedule_table(r, &all, admin)))
        return rc;
    if (admin)
        enqueue_form(r);
    web_raw(r, "<h2>任务列表</h2>");
    filter_form(r);
    job_rows(r, rows, n, admin);
    web_pager(r, &pg);
    return web_layout_end(r);
}

enum rc page_jobs_enqueue(struct web_req *r)
{
    int64_t *ids;
    bool *added;
    size_t n;
    const char *all = web_form(r, "all");
    enum rc rc = web__jobs_enqueue(r, web_form(r, "type"), web_form(r, "site"),
                                   all && !strcmp(all, "1"), "manual", &ids, &added, &n);
    return rc ? rc : web_redirect(r, "/jobs?done=1#jobs");
}

static enum rc act(struct web_req *r, bool retry)
{
    int64_t id;
    enum rc rc;
    if ((rc = web_param_id(r, "id", &id)) || (rc = web__jobs_act(r, id, retry)))
        return rc;
    return web_redirect(r, "/jobs?done=1#jobs");
}

enum rc page_job_retry(struct web_req *r)
{
    return act(r, true);
}

enum rc page_job_cancel(struct web_req *r)
{
    return act(r, false);
}

enum rc page_jobs_schedule(struct web_req *r)
{
    int64_t site_id;
    enum rc rc = web__schedule_set(r, web_form(r, "site"), web_form(r, "type"),
                                   web_form(r, "every"), &site_id);
    return rc ? rc : web_redirect(r, "/jobs?done=1");
}
