/* page_reports.c - 报告: the monthly 通报 and the annual forms, generated and downloaded
 * (docs/reports.md; API in docs/api.md).  Admins and supervisors only: the bulletin covers
 * every unit. */
#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/str.h"
#include "reg/reg.h"
#include "report/report.h"
#include "web/web_int.h"

/* Render d in format f and send it as a download named `name`.ext. */
static enum rc send_doc(struct web_req *r, struct doc *d, const struct report_format *f,
                        const char *name)
{
    struct err e = { 0 };
    buf_reset(&r->out);
    enum rc rc = f->render(d, &r->out, &e);
    doc_free(d);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    return web_download(r, f->mime, arena_fmt(&r->a, "%s.%s", name, f->ext));
}

static const struct report_format *format_of(struct web_req *r, const char *s)
{
    const struct report_format *f = report_format_find(s ? s : "docx");
    if (!f)
        web_fail(r, RC_INVALID, "format '%s': use %s", s, report_format_names());
    return f;
}

static enum rc monthly(struct web_req *r, const char *month, const char *as_of,
                       const char *format)
{
    int32_t first, next, day;
    if (!month || !date_parse_month(month, &first, &next))
        return web_fail(r, RC_INVALID, "month '%s': use YYYY-MM, e.g. 2018-11",
                        month ? month : "");
    if (str_empty(as_of))
        day = next;
    else if (!date_parse(as_of, &day))
        return web_fail(r, RC_INVALID, "as_of '%s': use YYYY-MM-DD", as_of);
    const struct report_format *f = format_of(r, format);
    if (!f)
        return RC_INVALID;
    struct err e = { 0 };
    struct report_settings s;
    struct doc *d = NULL;
    if (report_settings_conf(&s, web__conf(r->srv)->conf, &e) ||
        report_monthly(r->db, r->clk, &s, first, day, &d, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return send_doc(r, d, f, arena_fmt(&r->a, "内容保障情况通报-%s", month));
}

static enum rc annual(struct web_req *r, const char *year, const char *form, const char *site,
                      const char *format)
{
    struct report_annual_opts o = { .form = REPORT_FORM_WORK };
    if (!year || !cstr_to_int(year, 2000, 2100, &o.year))
        return web_fail(r, RC_INVALID, "year '%s': use YYYY", year ? year : "");
    if (!str_empty(form) && !report_form_parse(form, &o.form))
        return web_fail(r, RC_INVALID, "form '%s': use work, supervision or disclosure", form);
    const struct report_format *f = format_of(r, format);
    if (!f)
        return RC_INVALID;
    struct err e = { 0 };
    if (!str_empty(site) && reg_site_lookup(r->db, site, &o.site_id, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    struct report_settings s;
    struct doc *d = NULL;
    if (report_settings_conf(&s, web__conf(r->srv)->conf, &e) ||
        report_annual(r->db, r->clk, &s, &o, &d, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    static const char *const names[] = { "政府网站工作年度报表", "政府网站监管年度报表",
                                         "政府信息公开工作年度报告表三" };
    return send_doc(r, d, f, arena_fmt(&r->a, "%s-%d", names[o.form], o.year));
}

enum rc page_report_monthly(struct web_req *r)
{
    return monthly(r, web_query(r, "month"), web_query(r, "as_of"), web_query(r, "format"));
}

enum rc page_report_annual(struct web_req *r)
{
    return annual(r, web_query(r, "year"), web_query(r, "form"), web_query(r, "site"),
                  web_query(r, "format"));
}

/* A member that may be a string or an integer ("year": 2018 or "2018"). */
static const char *jtext(struct web_req *r, json_object *o, const char *key, bool *ok)
{
    json_object *v;
    if (json_object_object_get_ex(o, key, &v) && json_object_is_type(v, json_type_int))
        return arena_fmt(&r->a, "%lld", (long long)json_object_get_int64(v));
    return web_jstr(r, o, key, ok);
}

enum rc api_report_monthly(struct web_req *r)
{
    json_object *o;
    enum rc rc = web_json_body(r, &o);
    if (rc)
        return rc;
    bool ok = true;
    const char *month = jtext(r, o, "month", &ok), *as_of = jtext(r, o, "as_of", &ok),
               *format = jtext(r, o, "format", &ok);
    if (!ok)
        return RC_INVALID;
    return monthly(r, month, as_of, format);
}

enum rc api_report_annual(struct web_req *r)
{
    json_object *o;
    enum rc rc = web_json_body(r, &o);
    if (rc)
        return rc;
    bool ok = true;
    const char *year = jtext(r, o, "year", &ok), *form = jtext(r, o, "form", &ok),
               *site = jtext(r, o, "site", &ok), *format = jtext(r, o, "format", &ok);
    if (!ok)
        return RC_INVALID;
    return annual(r, year, form, site, format);
}

static void formats(struct web_req *r)
{
    web_raw(r, "<label>格式 <select name=\"format\">");
    web_option(r, "docx", "DOCX（公文，可编辑）", "docx");
    web_option(r, "html", "HTML（网页，可打印）", "docx");
    web_option(r, "md", "Markdown", "docx");
    web_option(r, "xlsx", "XLSX（表格与附件）", "docx");
    web_raw(r, "</select></label>");
}

enum rc page_reports(struct web_req *r)
{
    int y, m, d;
    date_to_ymd(clk_today(r->clk), &y, &m, &d);
    int32_t prev = date_add_months(date_from_ymd(y, m, 1), -1);
    char month[8], as_of[11];
    int py, pm, pd;
    date_to_ymd(prev, &py, &pm, &pd);
    snprintf(month, sizeof month, "%04d-%02d", py, pm);
    date_fmt(date_from_ymd(y, m, 1), as_of);

    web_layout_begin(r, "报告", "reports");
    web_raw(r, "<h1>报告</h1>"
               "<section><h2>月度通报（内容保障情况的通报）</h2>"
               "<form class=\"filters\" id=\"report-monthly\" method=\"get\" "
               "action=\"/reports/monthly\"><label>月份 <input type=\"month\" name=\"month\" "
               "required value=\"");
    web_e(r, month);
    web_raw(r, "\"></label><label>截至 <input type=\"date\" name=\"as_of\" value=\"");
    web_e(r, as_of);
    web_raw(r, "\"></label>");
    formats(r);
    web_raw(r, "<button type=\"submit\">生成并下载</button></form>"
               "<p class=\"hint\">数字截至所选日期当天结束：本月信息发布数（最近一次完整抓取）、"
               "依申请公开、咨询投诉和找错办件，以及未解决的问题（栏目不更新、必要内容缺失、"
               "链接原网上办事大厅）。文号、主送机关等在配置文件[report]节设置（docs/reports.md）。"
               "</p></section>");
    web_rawf(r, "<section><h2>年度报表</h2><form class=\"filters\" id=\"report-annual\" "
                "method=\"get\" action=\"/reports/annual\"><label>年度 <input type=\"number\" "
                "name=\"year\" min=\"2000\" max=\"2100\" required value=\"%d\"></label>",
             m == 1 ? y - 1 : y);
    web_raw(r, "<label>报表 <select name=\"form\">");
    web_option(r, "work", "政府网站工作年度报表", "work");
    web_option(r, "supervision", "政府网站监管年度报表", "work");
    web_option(r, "disclosure", "政府信息公开工作年度报告（表三）", "work");
    web_raw(r, "</select></label><label>网站（工作报表；空 = 全部） <input type=\"text\" "
               "name=\"site\" placeholder=\"网站名称、标识码或网址\"></label>");
    formats(r);
    web_raw(r, "<button type=\"submit\">生成并下载</button></form>"
               "<p class=\"hint\">“来源”一栏标明计算、填报或缺失的数值；需填报的数值用命令 "
               "<code>govsite report annual --input FILE</code> 提供。</p></section>");
    return web_layout_end(r);
}
