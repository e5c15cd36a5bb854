/* page_settings.c - 设置 (admins): local calendar overrides, the wording dictionary (and a
 * text tester), the deadline rules in force, column exemptions and the probe settings;
 * plus what their API twins share (web_int.h, "settings"). */
#include <stdlib.h>
#include <string.h>

#include "checks/probe.h"
#include "checks/wording.h"
#include "core/date.h"
#include "core/map.h"
#include "core/notes.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "reg/reg.h"
#include "web/web_int.h"

static void settings_nav(struct web_req *r, const char *cur)
{
    static const char *const items[][2] = {
        { "calendar", "工作日历" },   { "wording", "表述词库" },  { "rules", "期限规则" },
        { "exemptions", "栏目豁免" }, { "probes", "可用性监测" }, { "retired", "已关停网址" }
    };
    web_raw(r, "<nav class=\"subnav\" aria-label=\"设置\"><ul>");
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++) {
        web_raw(r, "<li><a href=\"/settings/");
        web_e(r, items[i][0]);
        web_raw(r, cur && !strcmp(cur, items[i][0]) ? "\" class=\"current\">" : "\">");
        web_e(r, items[i][1]);
        web_raw(r, "</a></li>");
    }
    web_raw(r, "</ul></nav>");
}

void web__settings_begin(struct web_req *r, const char *key, const char *title)
{
    web_layout_begin(r, title, "settings");
    web_raw(r, "<p class=\"crumbs\"><a href=\"/settings\">设置</a> ›</p><h1>");
    web_e(r, title);
    web_raw(r, "</h1>");
    settings_nav(r, key);
    const char *done = web_query(r, "done");
    if (done && !strcmp(done, "1"))
        web_flash(r, "已保存。", false);
}

enum rc page_settings(struct web_req *r)
{
    web_layout_begin(r, "设置", "settings");
    web_raw(r, "<h1>设置</h1>");
    settings_nav(r, NULL);
    web_raw(r, "<ul class=\"settings-index\"><li><a href=\"/settings/calendar\">工作日历</a>："
               "本市的调休、停工等本地日历调整，立即用于办件期限。</li><li><a href=\""
               "/settings/wording\">表述词库</a>：规范表述（错误写法→正确写法），可检测一段文字。"
               "</li><li><a href=\"/settings/rules\">期限规则</a>：生效的法定期限规则及其来源。"
               "</li><li><a href=\"/settings/exemptions\">栏目豁免</a>：经批准可暂不更新的栏目。"
               "</li><li><a href=\"/settings/probes\">可用性监测</a>：首页监测的规则与设置。"
               "</li><li><a href=\"/settings/retired\">已关停网址</a>：链接不应再指向的已关停网站"
               "（如原网上办事大厅）。</li></ul>");
    return web_layout_end(r);
}

/* ---- calendar ------------------------------------------------------------------------ */

enum rc web__calendar_set(struct web_req *r, const char *date, const char *kind, const char *name,
                          int *moved)
{
    int32_t day;
    if (str_empty(date) || !date_parse(date, &day))
        return web_fail(r, RC_INVALID, "date '%s' is not a date; use YYYY-MM-DD", date ? date : "");
    if (str_empty(kind) || (strcmp(kind, "off") && strcmp(kind, "work")))
        return web_fail(r, RC_INVALID, "kind '%s' is not off or work", kind ? kind : "");
    struct err e = { 0 };
    char *was = NULL;
    enum rc rc = cal_db_set(r->db, day, !strcmp(kind, "work"), name, clk_now(r->clk), &was, &e);
    free(was);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    return web__calendar_refresh(r, day, moved);
}

enum rc web__calendar_unset(struct web_req *r, const char *date, int *moved)
{
    int32_t day;
    if (str_empty(date) || !date_parse(date, &day))
        return web_fail(r, RC_NOTFOUND, "'%s' is not a date", date ? date : "");
    struct err e = { 0 };
    enum rc rc = cal_db_unset(r->db, day, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    return web__calendar_refresh(r, day, moved);
}

/* The deadlines move at once: the worker reloads its calendar (the counter moved) and the
 * stored due times of the items whose period passes over the day are rewritten. */
enum rc web__calendar_refresh(struct web_req *r, int32_t day, int *moved)
{
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    struct err e = { 0 };
    if (case_refresh_due(x, day, moved, &e))
        return web_fail(r, e.rc ? e.rc : RC_INTERNAL, "%s", err_msg(&e));
    return RC_OK;
}

enum rc page_settings_calendar(struct web_req *r)
{
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    web__settings_begin(r, "calendar", "工作日历");
    web_raw(r, "<p class=\"hint\">国家法定节假日和调休来自国务院办公厅通知（内置表 ");
    web_e(r, x->cal->source);
    web_rawf(r, "，覆盖 %d—%d 年）；这里的本地调整优先，保存后立即用于办件期限。</p>",
             x->cal->year_first, x->cal->year_last);
    web_raw(r, "<table id=\"calendar-overrides\" class=\"sortable\"><thead><tr><th>日期</th>"
               "<th>类型</th><th>原因</th><th>国家表中</th><th></th></tr></thead><tbody>");
    for (size_t i = 0; i < x->cal->local.n; i++) {
        const struct cal_row *row = &x->cal->local.v[i];
        char d[11];
        date_fmt(row->day, d);
        struct cal_day base;
        const char *national = "—";
        /* what the day would be without the override: the table row, else its weekday */
        for (size_t j = 0; j < x->cal->table.n; j++)
            if (x->cal->table.v[j].day == row->day)
                national = x->cal->table.v[j].work ? "调休上班" : "放假";
        if (!strcmp(national, "—") && !cal_day(x->cal, row->day, &base, NULL, NULL))
            national = date_weekday(row->day) >= 6 ? "周末" : "工作日";
        web_raw(r, "<tr><td>");
        web_e(r, d);
        web_raw(r, row->work ? "</td><td>上班</td><td>" : "</td><td>放假</td><td>");
        web_e(r, row->name ? row->name : "");
        web_raw(r, "</td><td>");
        web_e(r, national);
        web_raw(r, "</td><td><form method=\"post\" class=\"inline\" action=\"/settings/calendar/");
        web_e(r, d);
        web_raw(r, "/delete\">");
        web_csrf_field(r);
        web_raw(r, "<button type=\"submit\" data-confirm=\"确定删除这个本地调整？\">删除</button>"
                   "</form></td></tr>");
    }
    web_raw(r, "</tbody></table>");
    if (!x->cal->local.n)
        web_raw(r, "<p class=\"empty\">没有本地调整。</p>");
    web_raw(r, "<h2>新增本地调整</h2><form method=\"post\" action=\"/settings/calendar\" "
               "class=\"stacked\" id=\"calendar-add\">");
    web_csrf_field(r);
    web_raw(r, "<label>日期 <input type=\"date\" name=\"date\" required></label><label>类型 "
               "<select name=\"kind\"><option value=\"off\">放假（如台风停工）</option><option "
               "value=\"work\">上班</option></select></label><label>原因 <input name=\"name\" "
               "required maxlength=\"120\"></label><button type=\"submit\">保存</button></form>");
    return web_layout_end(r);
}

enum rc page_settings_calendar_add(struct web_req *r)
{
    enum rc rc =
        web__calendar_set(r, web_form(r, "date"), web_form(r, "kind"), web_form(r, "name"), NULL);
    return rc ? rc : web_redirect(r, "/settings/calendar?done=1");
}

enum rc page_settings_calendar_delete(struct web_req *r)
{
    enum rc rc = web__calendar_unset(r, web_param(r, "date"), NULL);
    return rc ? rc : web_redirect(r, "/settings/calendar?done=1");
}

/* ---- the wording dictionary ---------------------------------------------------------- */

struct kept_dict {
    struct wording_dict *d;
    int64_t changes;
};

static void dict_release(void *p)
{
    struct kept_dict *k = p;
    wording_dict_free(k->d);
    free(k);
}

const struct wording_dict *web__wording(struct web_req *r)
{
    int64_t changes = web_changes(r, "wording_entries");
    struct kept_dict *k = web_slot_get(r, WEB_SLOT_WORDING);
    if (k && k->changes == changes && changes >= 0)
        return k->d;
    struct wording_dict *d = wording_dict_new();
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    enum rc rc = wording_dict_load(d, r->db, &bad, &e);
    notes_release(&bad);
    if (rc) {
        wording_dict_free(d);
        web_fail(r, rc, "wording dictionary: %s", err_msg(&e));
        return NULL;
    }
    wording_dict_compile(d);
    k = XNEW(struct kept_dict);
    k->d = d;
    k->changes = changes;
    web_slot_set(r, WEB_SLOT_WORDING, k, dict_release);
    return d;
}

enum rc web__wording_filter(struct web_req *r, struct web__wording_q *f)
{
    memset(f, 0, sizeof(*f));
    f->prio = -1;
    f->day = DATE_NONE;
    const char *source = web_query(r, "source"), *q = web_query(r, "q");
    const char *sev = web_query(r, "severity"), *as_of = web_query(r, "as_of");
    f->category = web_query(r, "category");
    if (str_empty(f->category))
        f->category = NULL;
    if (!str_empty(source)) {
        static const char *const s[] = { "db", "file", "builtin" };
        for (int i = 0; i < 3; i++)
            if (!strcmp(source, s[i]))
                f->prio = i;
        if (f->prio < 0)
            return web_fail(r, RC_INVALID, "source '%s' is not db, file or builtin", source);
    }
    if (!str_empty(sev)) {
        enum check_severity s;
        if (!check_severity_parse(sev, &s))
            return web_fail(r, RC_INVALID, "severity '%s' is not serious, normal or notice", sev);
        f->severity = (int)s;
    }
    if (!str_empty(as_of) && !date_parse(as_of, &f->day))
        return web_fail(r, RC_INVALID, "as_of '%s' is not a date; use YYYY-MM-DD", as_of);
    if (!str_empty(q))
        f->q = q;
    return RC_OK;
}

/* Walk the dictionary: fn gets every entry the filter keeps with its state (active,
 * shadowed by an entry of higher priority, or disabled by a database row). */
void web__wording_each(struct web_req *r, const struct wording_dict *d,
                       const struct web__wording_q *f,
                       void (*fn)(struct web_req *r, const struct wording_entry *e,
                                  const char *state, void *ctx),
                       void *ctx)
{
    struct map seen = MAP_INIT;
    for (size_t i = 0; i < wording_dict_size(d); i++) {
        const struct wording_entry *e = wording_dict_entry(d, i);
        const char *state = "active";
        if (e->disabled)
            state = "disabled";
        else if (map_gets(&seen, e->wrong))
            state = "shadowed";
        else
            map_puts(&seen, e->wrong, (void *)1);
        if ((f->prio >= 0 && (int)e->prio != f->prio) ||
            (f->severity && (int)e->severity != f->severity) ||
            (f->category && strcmp(e->category, f->category)) ||
            (f->day != DATE_NONE && !wording_entry_active(e, f->day)) ||
            (f->q && !strstr(e->wrong, f->q) && !strstr(e->right, f->q)))
            continue;
        fn(r, e, state, ctx);
    }
    map_release(&seen, NULL);
}

struct wl {
    const struct web_page *pg;
    int64_t i;
};

static void wording_row(struct web_req *r, const struct wording_entry *e, const char *state,
                        void *ctx)
{
    struct wl *l = ctx;
    int64_t i = l->i++;
    if (i < l->pg->offset || i >= l->pg->offset + l->pg->per_page)
        return;
    static const char *const prio_cn[] = { "数据库", "数据目录文件", "内置" };
    char from[11] = "", until[11] = "";
    if (e->from != DATE_NONE)
        date_fmt(e->from, from);
    if (e->until != DATE_NONE)
        date_fmt(e->until, until);
    web_raw(r, "<tr><td>");
    web_e(r, e->wrong);
    web_raw(r, "</td><td>");
    web_e(r, e->right);
    web_raw(r, "</td><td>");
    web_e(r, from);
    web_raw(r, "</td><td>");
    web_e(r, until);
    web_raw(r, "</td><td>");
    web_e(r, check_severity_cn(e->severity));
    web_raw(r, "</td><td>");
    web_e(r, e->category);
    web_raw(r, "</td><td title=\"");
    web_e(r, e->source);
    web_raw(r, "\">");
    web_e(r, prio_cn[e->prio]);
    web_raw(r, "</td><td>");
    web_e(r, !strcmp(state, "active") ? "生效" : !strcmp(state, "disabled") ? "已停用" : "被覆盖");
    web_raw(r, "</td><td>");
    bool off = !strcmp(state, "disabled");
    if (off || e->prio == WORDING_DB || !strcmp(state, "active")) {
        web_raw(r, "<form method=\"post\" class=\"inline\" action=\"/settings/wording/");
        web_raw(r, off ? "enable" : "remove");
        web_raw(r, "\">");
        web_csrf_field(r);
        web_raw(r, "<input type=\"hidden\" name=\"wrong\" value=\"");
        web_e(r, e->wrong);
        web_raw(r, off ? "\"><button type=\"submit\">启用</button></form>"
                       : "\"><button type=\"submit\" data-confirm=\"确定删除或停用该词条？\">"
                         "删除/停用</button></form>");
    }
    web_raw(r, "</td></tr>");
}

static void count_entry(struct web_req *r, const struct wording_entry *e, const char *state,
                        void *ctx)
{
    (void)r, (void)e, (void)state;
    (*(int64_t *)ctx)++;
}

static void wording_test_result(struct web_req *r, const struct wording_dict *d, const char *text,
                                int32_t day)
{
    struct wording_hits h = { 0 };
    size_t n = wording_scan(d, text, strlen(text), day, &h);
    web_rawf(r, "<h2>检测结果（%zu 处）</h2>", n);
    if (n) {
        web_raw(r, "<table id=\"wording-hits\"><thead><tr><th>位置</th><th>错误写法</th>"
                   "<th>建议</th><th>上下文</th><th>程度</th></tr></thead><tbody>");
        struct buf before = BUF_INIT, after = BUF_INIT;
        for (size_t i = 0; i < n; i++) {
            const struct wording_hit *x = &h.v[i];
            buf_reset(&before);
            buf_reset(&after);
            wording_excerpt(text, strlen(text), x->off, x->len, 12, &before, &after);
            web_rawf(r, "<tr><td class=\"num\">%zu</td><td>", x->chars + 1);
            web_e(r, x->e->wrong);
            web_raw(r, "</td><td>");
            web_e(r, x->e->right);
            web_raw(r, "</td><td>");
            web_e(r, buf_cstr(&before));
            web_raw(r, "<mark>");
            web_e(r, x->e->wrong);
            web_raw(r, "</mark>");
            web_e(r, buf_cstr(&after));
            web_raw(r, "</td><td>");
            web_e(r, check_severity_cn(x->e->severity));
            web_raw(r, "</td></tr>");
        }
        buf_release(&before);
        buf_release(&after);
        web_raw(r, "</tbody></table>");
    } else {
        web_raw(r, "<p class=\"empty\">未发现表述问题。</p>");
    }
    wording_hits_release(&h);
}

static enum rc wording_page(struct web_req *r, const char *msg, const char *text, int32_t day)
{
    struct web_page pg;
    struct web__wording_q f;
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = web__wording_filter(r, &f)))
        return rc;
    const struct wording_dict *d = web__wording(r);
    if (!d)
        return r->err.rc;
    web__wording_each(r, d, &f, count_entry, &pg.total);
    web__settings_begin(r, "wording", "表述词库");
    web_flash(r, msg, true);
    web_raw(r, "<h2>检测一段文字</h2><form method=\"post\" action=\"/settings/wording/test\" "
               "class=\"stacked wide\" id=\"wording-test\">");
    web_csrf_field(r);
    web_raw(r, "<label>文字 <textarea name=\"text\" rows=\"4\" required>");
    web_e(r, text ? text : "");
    web_raw(r, "</textarea></label><label>按日期判断（留空：今天） <input type=\"date\" "
               "name=\"date\"></label><button type=\"submit\">检测</button></form>");
    if (text)
        wording_test_result(r, d, text, day);
    web_raw(r, "<h2>词条</h2><form class=\"filters\" method=\"get\" action=\"/settings/wording\">"
               "<label>搜索 <input type=\"search\" name=\"q\" value=\"");
    web_e(r, f.q ? f.q : "");
    web_raw(r, "\"></label><label>来源 <select name=\"source\"><option value=\"\">全部</option>");
    const char *src = web_query(r, "source");
    web_option(r, "db", "数据库", src);
    web_option(r, "file", "数据目录文件", src);
    web_option(r, "builtin", "内置", src);
    web_raw(r, "</select></label><label>程度 <select name=\"severity\"><option value=\"\">全部"
               "</option>");
    const char *sev = web_query(r, "severity");
    web_option(r, "serious", "严重", sev);
    web_option(r, "normal", "一般", sev);
    web_option(r, "notice", "提示", sev);
    web_raw(r, "</select></label><label>类别 <input name=\"category\" value=\"");
    web_e(r, f.category ? f.category : "");
    web_raw(r, "\"></label><label>生效日期 <input type=\"date\" name=\"as_of\" value=\"");
    web_e(r, web_query(r, "as_of") ? web_query(r, "as_of") : "");
    web_raw(r, "\"></label><button type=\"submit\">筛选</button></form>");
    web_raw(r, "<table id=\"wording\" class=\"sortable\"><thead><tr><th>错误写法</th><th>正确写法"
               "</th><th>起始</th><th>截止</th><th>程度</th><th>类别</th><th>来源</th><th>状态</th>"
               "<th></th></tr></thead><tbody>");
    struct wl l = { &pg, 0 };
    web__wording_each(r, d, &f, wording_row, &l);
    web_raw(r, "</tbody></table>");
    web_pager(r, &pg);
    web_raw(r, "<h2>新增或修改词条</h2><form method=\"post\" action=\"/settings/wording\" "
               "class=\"stacked\" id=\"wording-add\">");
    web_csrf_field(r);
    web_raw(r, "<label>错误写法 <input name=\"wrong\" required maxlength=\"256\"></label>"
               "<label>正确写法（多个用 | 分隔） <input name=\"right\" maxlength=\"1024\"></label>"
               "<label>允许的较长写法（多个用 | 分隔） <input name=\"allow\"></label>"
               "<label>起始日期 <input type=\"date\" name=\"from\"></label>"
               "<label>截止日期 <input type=\"date\" name=\"until\"></label>"
               "<label>程度 <select name=\"severity\"><option value=\"normal\">一般</option>"
               "<option value=\"serious\">严重</option><option value=\"notice\">提示</option>"
               "</select></label><label>类别 <input name=\"category\"></label>"
               "<label>说明 <input name=\"note\"></label><button type=\"submit\">保存</button>"
               "</form>");
    return web_layout_end(r);
}

enum rc page_settings_wording(struct web_req *r)
{
    return wording_page(r, NULL, NULL, DATE_NONE);
}

enum rc web__wording_add(struct web_req *r, const struct web__wording_new *in)
{
    struct wording_entry e = { .wrong = (char *)(in->wrong ? in->wrong : ""),
                               .right = (char *)(in->right ? in->right : ""),
                               .allow = (char *)(in->allow ? in->allow : ""),
                               .category = (char *)(in->category ? in->category : ""),
                               .note = (char *)(in->note ? in->note : ""),
                               .from = DATE_NONE,
                               .until = DATE_NONE,
                               .severity = CHECK_NORMAL };
    if (!str_empty(in->from) && !date_parse(in->from, &e.from))
        return web_fail(r, RC_INVALID, "from '%s' is not a date; use YYYY-MM-DD", in->from);
    if (!str_empty(in->until) && !date_parse(in->until, &e.until))
        return web_fail(r, RC_INVALID, "until '%s' is not a date; use YYYY-MM-DD", in->until);
    if (!str_empty(in->severity) && !check_severity_parse(in->severity, &e.severity))
        return web_fail(r, RC_INVALID, "severity '%s' is not serious, normal or notice",
                        in->severity);
    struct err err = { 0 };
    bool updated = false;
    if (wording_db_add(r->db, r->clk, &e, r->user->name, &updated, &err))
        return web_fail(r, err.rc ? err.rc : RC_INVALID, "%s", err_msg(&err));
    return RC_OK;
}

enum rc web__wording_remove(struct web_req *r, const char *wrong, bool enable, const char **what)
{
    struct err e = { 0 };
    *what = enable ? "enabled" : NULL;
    if (str_empty(wrong))
        return web_fail(r, RC_INVALID, "the wrong form is required");
    if (enable)
        return wording_db_enable(r->db, wrong, &e) ? web_fail(r, e.rc, "%s", err_msg(&e)) : RC_OK;
    /* the files alone, to know whether the form must be switched off rather than deleted */
    struct wording_dict *files = wording_dict_new();
    struct notes bad = NOTES_INIT;
    enum rc rc = wording_dict_load(files, NULL, &bad, &e);
    notes_release(&bad);
    if (!rc)
        rc = wording_db_remove(r->db, r->clk, wrong, r->user->name, files, what, &e);
    wording_dict_free(files);
    return rc ? web_fail(r, rc, "%s", err_msg(&e)) : RC_OK;
}

enum rc page_settings_wording_add(struct web_req *r)
{
    struct web__wording_new n = { .wrong = web_form(r, "wrong"),
                                  .right = web_form(r, "right"),
                                  .allow = web_form(r, "allow"),
                                  .from = web_form(r, "from"),
                                  .until = web_form(r, "until"),
                                  .severity = web_form(r, "severity"),
                                  .category = web_form(r, "category"),
                                  .note = web_form(r, "note") };
    enum rc rc = web__wording_add(r, &n);
    if (rc == RC_INVALID) {
        const char *msg = arena_strdup(&r->a, err_msg(&r->err));
        rc = wording_page(r, msg, NULL, DATE_NONE);
        r->status = 400;
        return rc;
    }
    return rc ? rc : web_redirect(r, "/settings/wording?done=1");
}

static enum rc remove_or_enable(struct web_req *r, bool enable)
{
    const char *what;
    enum rc rc = web__wording_remove(r, web_form(r, "wrong"), enable, &what);
    return rc ? rc : web_redirect(r, "/settings/wording?done=1");
}

enum rc page_settings_wording_remove(struct web_req *r)
{
    return remove_or_enable(r, false);
}

enum rc page_settings_wording_enable(struct web_req *r)
{
    return remove_or_enable(r, true);
}

enum rc page_settings_wording_test(struct web_req *r)
{
    const char *text = web_form(r, "text"), *date = web_form(r, "date");
    int32_t day = time_to_date(clk_now(r->clk), r->clk->tzoff);
    if (!str_empty(date) && !date_parse(date, &day))
        return web_fail(r, RC_INVALID, "date '%s' is not a date; use YYYY-MM-DD", date);
    return wording_page(r, NULL, text ? text : "", day);
}

/* ---- deadline rules ------------------------------------------------------------------ */

enum rc page_settings_rules(struct web_req *r)
{
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    web__settings_begin(r, "rules", "期限规则");
    web_raw(r, "<p class=\"hint\">内置规则见 docs/deadlines.md；配置文件的 [deadline.NAME] 节可修改"
               "或新增规则，[case.KIND] 节决定各类办件使用哪条规则。此页只读。</p>");
    web_raw(r, "<table id=\"rules\"><thead><tr><th>规则</th><th>名称</th><th data-type=\"num\">"
               "工作日</th><th>起算</th><th>截止时刻</th><th data-type=\"num\">可延长</th>"
               "<th>可暂停</th><th>可重新起算</th><th>适用收到日期</th><th>来源</th>"
               "<th>依据</th></tr></thead><tbody>");
    for (size_t i = 0; i < x->rules.n; i++) {
        const struct deadline_rule *d = &x->rules.v[i];
        char vf[11] = "", vt[11] = "";
        if (d->valid_from != DATE_NONE)
            date_fmt(d->valid_from, vf);
        if (d->valid_to != DATE_NONE)
            date_fmt(d->valid_to, vt);
        web_raw(r, "<tr><td>");
        web_e(r, d->name);
        web_raw(r, "</td><td>");
        web_e(r, d->title);
        web_rawf(r,
                 "</td><td class=\"num\">%d</td><td>%s</td><td>%02d:%02d</td>"
                 "<td class=\"num\">%d</td><td>%s</td><td>%s</td><td>",
                 d->days, d->start == DEADLINE_SAME_DAY ? "当日" : "次日", d->due_secs / 3600,
                 d->due_secs / 60 % 60, d->extension_max, d->pause ? "是" : "否",
                 d->restart ? "是" : "否");
        web_e(r, vf[0] || vt[0] ? arena_fmt(&r->a, "%s～%s", vf, vt) : "不限");
        web_raw(r, "</td><td>");
        if (d->where[0]) {
            web_raw(r, d->builtin ? "内置，配置修改：" : "配置：");
            web_e(r, d->where);
        } else {
            web_raw(r, "内置");
        }
        web_raw(r, "</td><td>");
        web_e(r, d->source);
        web_raw(r, "</td></tr>");
    }
    web_raw(r, "</tbody></table><h2>各类办件适用的规则</h2><table id=\"rule-schedule\"><thead>"
               "<tr><th>类型</th><th>编号前缀</th><th>规则（按收到日期）</th></tr></thead>"
               "<tbody>");
    for (int k = 0; k < CASE_NKINDS; k++) {
        const struct case_kind_conf *kc = &x->kconf[k];
        web_raw(r, "<tr><td>");
        web_e(r, case_kinds[k].cn);
        web_raw(r, "</td><td>");
        web_e(r, kc->prefix);
        web_raw(r, "</td><td>");
        for (int j = 0; j < kc->nsched; j++) {
            if (j) {
                char f[11];
                date_fmt(kc->sched[j].from, f);
                web_raw(r, "；");
                web_e(r, f);
                web_raw(r, " 起 ");
            }
            web_e(r, kc->sched[j].rule);
        }
        web_raw(r, "</td></tr>");
    }
    web_raw(r, "</tbody></table>");
    return web_layout_end(r);
}

/* ---- column exemptions --------------------------------------------------------------- */

static int exemption_row(const struct check_exemption *x, void *ctx)
{
    struct web_req *r = ctx;
    int32_t today = time_to_date(clk_now(r->clk), r->clk->tzoff);
    char f[11], u[11];
    date_fmt(x->from, f);
    date_fmt(x->until, u);
    const char *state = x->revoked_at ? "已撤销" : x->until < today ? "已过期" : "有效";
    web_raw(r, "<tr><td>");
    web_e(r, x->site);
    web_raw(r, "</td><td>");
    web_e(r, x->path);
    web_raw(r, "</td><td>");
    web_e(r, x->reason);
    web_raw(r, "</td><td>");
    web_e(r, x->approved_by);
    web_raw(r, "</td><td>");
    web_e(r, f);
    web_raw(r, "</td><td>");
    web_e(r, u);
    web_raw(r, "</td><td>");
    web_e(r, state);
    web_raw(r, "</td><td>");
    if (!x->revoked_at && x->until >= today) {
        web_rawf(r,
                 "<form method=\"post\" class=\"inline\" action=\"/settings/exemptions/%lld/"
                 "revoke\">",
                 (long long)x->column_id);
        web_csrf_field(r);
        web_raw(r,
                "<button type=\"submit\" data-confirm=\"确定撤销该豁免？\">撤销</button></form>");
    }
    web_raw(r, "</td></tr>");
    return 0;
}

enum rc page_settings_exemptions(struct web_req *r)
{
    const char *all = web_query(r, "all");
    bool every = all && !strcmp(all, "1");
    int32_t today = time_to_date(clk_now(r->clk), r->clk->tzoff);
    web__settings_begin(r, "exemptions", "栏目豁免");
    web_raw(r, "<p class=\"hint\">经批准可暂不更新的栏目（如机构调整期间）：豁免期内不报栏目不更新"
               "的问题。每个栏目同时只有一项有效豁免。</p><p>");
    web_link(r, every ? "/settings/exemptions" : "/settings/exemptions?all=1",
             every ? "只看有效的" : "包括已过期和已撤销的");
    web_raw(r, "</p><table id=\"exemptions\" class=\"sortable\"><thead><tr><th>网站</th><th>栏目"
               "</th><th>原因</th><th>批准人</th><th>起始</th><th>截止</th><th>状态</th><th></th>"
               "</tr></thead><tbody>");
    struct err e = { 0 };
    enum rc rc = check_exemptions_each(r->db, 0, every ? DATE_NONE : today, exemption_row, r, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    web_raw(r, "</tbody></table><h2>新增豁免</h2><form method=\"post\" action=\"/settings/"
               "exemptions\" class=\"stacked\" id=\"exemption-add\">");
    web_csrf_field(r);
    web_raw(r, "<label>网站 <select name=\"site\" required>");
    struct stmt *st = store_sql(r->db, "SELECT id, name FROM sites ORDER BY id");
    while (stmt_next(st))
        web_option(r, arena_fmt(&r->a, "%lld", (long long)stmt_int(st, 0)), stmt_str(st, 1), NULL);
    stmt_done(st, NULL);
    web_raw(r, "</select></label><label>栏目路径（如 新闻>示范要闻） <input name=\"path\" "
               "required></label><label>原因 <input name=\"reason\" required></label><label>批准人 "
               "<input name=\"approved_by\" required value=\"");
    web_e(r, r->user->name);
    web_raw(r, "\"></label><label>截止日期 <input type=\"date\" name=\"until\" required></label>"
               "<button type=\"submit\">保存</button></form>");
    return web_layout_end(r);
}

enum rc web__exemption_add(struct web_req *r, const struct web__exemption_new *in, int64_t *id)
{
    int64_t site = 0, col = 0;
    int32_t until;
    struct err e = { 0 };
    enum rc rc;
    if (in->column_id > 0) {
        col = in->column_id;
    } else {
        if (str_empty(in->site) || str_empty(in->path))
            return web_fail(r, RC_INVALID, "give column_id, or site and path");
        if ((!cstr_to_i64(in->site, &site) || site <= 0) &&
            reg_site_lookup(r->db, in->site, &site, &e))
            return web_fail(r, RC_INVALID, "%s", err_msg(&e));
        rc = store_get_int(r->db, &col, &e,
                           "SELECT id FROM site_columns WHERE site_id = ? AND path = ?", "it", site,
                           in->path);
        if (rc == RC_NOTFOUND)
            return web_fail(r, RC_INVALID, "the site has no column '%s'", in->path);
        if (rc)
            return web_fail(r, rc, "%s", err_msg(&e));
    }
    if (str_empty(in->until) || !date_parse(in->until, &until))
        return web_fail(r, RC_INVALID, "until '%s' is not a date; use YYYY-MM-DD",
                        in->until ? in->until : "");
    int64_t max_days = 366;
    if (web__conf(r->srv)->conf && conf_int(web__conf(r->srv)->conf, "checks", "max_exemption_days",
                                            366, 0, 100000, &max_days, &e))
        return web_fail(r, RC_INVALID, "%s", err_msg(&e));
    const char *by = str_empty(in->approved_by) ? r->user->name : in->approved_by;
    if ((rc = check_exempt_add(r->db, r->clk, col, in->reason, by, until, (int)max_days, id, &e)))
        return web_fail(r, rc == RC_DB ? RC_INVALID : rc, "%s", err_msg(&e));
    return RC_OK;
}

enum rc page_settings_exemption_add(struct web_req *r)
{
    struct web__exemption_new n = { .site = web_form(r, "site"),
                                    .path = web_form(r, "path"),
                                    .reason = web_form(r, "reason"),
                                    .approved_by = web_form(r, "approved_by"),
                                    .until = web_form(r, "until") };
    int64_t id;
    enum rc rc = web__exemption_add(r, &n, &id);
    return rc ? rc : web_redirect(r, "/settings/exemptions?done=1");
}

enum rc web__exemption_revoke(struct web_req *r)
{
    int64_t col;
    enum rc rc;
    if ((rc = web_param_id(r, "column", &col)))
        return rc;
    struct err e = { 0 };
    if ((rc = check_exempt_revoke(r->db, r->clk, col, r->user->name, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    return RC_OK;
}

enum rc page_settings_exemption_revoke(struct web_req *r)
{
    enum rc rc = web__exemption_revoke(r);
    return rc ? rc : web_redirect(r, "/settings/exemptions?done=1");
}

/* ---- probes -------------------------------------------------------------------------- */

void web__probe_settings(struct web_req *r, struct web__probe_conf *p)
{
    struct probe_opts o;
    probe_opts_default(&o);
    p->threshold_ms = o.threshold_ms;
    p->timeout_ms = o.timeout_ms;
    p->parallel = o.parallel;
    p->threshold_where = p->timeout_where = NULL;
    const struct conf *cf = web__conf(r->srv)->conf;
    const char *keys[2] = { "threshold", "timeout" };
    int64_t *vals[2] = { &p->threshold_ms, &p->timeout_ms };
    const char **where[2] = { &p->threshold_where, &p->timeout_where };
    for (int i = 0; cf && i < 2; i++) {
        const char *v = conf_get(cf, "probe", keys[i], NULL);
        double secs;
        if (v && str_to_double(str_of(v), &secs) && secs > 0 && secs <= 3600) {
            *vals[i] = (int64_t)(secs * 1000 + 0.5);
            *where[i] = conf_where(cf, "probe", keys[i]);
        }
    }
}

enum rc page_settings_probes(struct web_req *r)
{
    struct web__probe_conf p;
    web__probe_settings(r, &p);
    web__settings_begin(r, "probes", "可用性监测");
    web_raw(r, "<p class=\"hint\">govsite probe 定时访问各网站首页（建议每小时或每30分钟一次，"
               "由调度或 cron 运行）。判定规则为国办秘函〔2019〕19号 单项否决第2项。此页只读；"
               "设置写在配置文件的 [probe] 节。</p><dl class=\"facts\" id=\"probe-settings\">");
    web_fact(r, "监测天数", arena_fmt(&r->a, "%d 天（检查日之前）", PROBE_DAYS));
    web_fact(r, "每天至少", arena_fmt(&r->a, "%d 次，不足则“监测不足”，不判定", PROBE_MIN_PER_DAY));
    web_fact(r, "否决比例", arena_fmt(&r->a, "失败或超时占比 ≥ %d%%", PROBE_VETO_PERCENT));
    web_fact(r, "超时阈值",
             arena_fmt(&r->a, "%.1f 秒%s%s", (double)p.threshold_ms / 1000,
                       p.threshold_where ? "（配置：" : "（默认）",
                       p.threshold_where ? arena_fmt(&r->a, "%s）", p.threshold_where) : ""));
    web_fact(r, "放弃等待",
             arena_fmt(&r->a, "%.1f 秒%s%s", (double)p.timeout_ms / 1000,
                       p.timeout_where ? "（配置：" : "（默认）",
                       p.timeout_where ? arena_fmt(&r->a, "%s）", p.timeout_where) : ""));
    web_fact(r, "并发", arena_fmt(&r->a, "%d 个网站同时监测", p.parallel));
    web_raw(r, "</dl><p>各网站近7天的监测结果见其网站页面（站点与栏目）。</p>");
    return web_layout_end(r);
}
