/* settings_retired.c - 设置 › 已关停网址 (admins): the retired domains and URL prefixes that
 * links must not point to (checks/sitecheck.h: retired_*), as a page and its API twin.
 * Database entries can be added and removed here; entries of the configuration's
 * [checks] retired are shown and kept. */
#include <stdlib.h>
#include <string.h>

#include "checks/sitecheck.h"
#include "core/date.h"
#include "core/str.h"
#include "web/web_int.h"

static const struct conf *cfg(struct web_req *r)
{
    return web__conf(r->srv)->conf;
}

static enum rc retired_add_req(struct web_req *r, const char *target, const char *note)
{
    if (str_empty(target))
        return web_fail(r, RC_INVALID, "give the retired host or URL prefix (target)");
    struct err e = { 0 };
    if (retired_add(r->db, r->clk, target, note, r->user->name, NULL, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return RC_OK;
}

static enum rc retired_remove_req(struct web_req *r, const char *target)
{
    if (str_empty(target))
        return web_fail(r, RC_INVALID, "give the retired host or URL prefix (target)");
    struct err e = { 0 };
    if (retired_remove(r->db, cfg(r), target, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return RC_OK;
}

/* ---- the page -------------------------------------------------------------------------- */

static void row_html(const struct retired_row *x, void *ctx)
{
    struct web_req *r = ctx;
    web_raw(r, "<tr><td>");
    web_e(r, x->target);
    web_raw(r, strchr(x->target, '/') ? "</td><td>网址前缀</td><td>"
                                      : "</td><td>域名（含子域名）</td><td>");
    web_e(r, x->note ? x->note : "");
    web_raw(r, "</td><td>");
    if (!strcmp(x->source, "db")) {
        char t[20];
        time_fmt_local(x->created_at, r->clk->tzoff, t);
        web_e(r, x->created_by ? x->created_by : "");
        web_raw(r, " ");
        web_e(r, t);
        web_raw(
            r,
            "</td><td><form method=\"post\" class=\"inline\" action=\"/settings/retired/remove\">");
        web_csrf_field(r);
        web_raw(r, "<input type=\"hidden\" name=\"target\" value=\"");
        web_e(r, x->target);
        web_raw(
            r,
            "\"><button type=\"submit\" data-confirm=\"确定删除？\">删除</button></form></td></tr>");
    } else {
        web_raw(r, "配置文件 [checks] retired</td><td></td></tr>");
    }
}

enum rc page_settings_retired(struct web_req *r)
{
    web__settings_begin(r, "retired", "已关停网址");
    web_raw(r,
            "<p class=\"hint\">链接指向这些已关停的网站或网址（如原省网上办事大厅）时，检查会报告"
            "“链接指向已关停网址”，并写明页面、栏目和责任单位。域名包含其子域名；以 http:// 或 "
            "https:// 开头的是网址前缀。</p>");
    web_raw(r,
            "<table id=\"retired\" class=\"sortable\"><thead><tr><th>已关停网址</th><th>类型</th>"
            "<th>说明</th><th>登记</th><th></th></tr></thead><tbody>");
    struct err e = { 0 };
    enum rc rc = retired_each(r->db, cfg(r), row_html, r, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    web_raw(r, "</tbody></table><h2>新增</h2><form method=\"post\" action=\"/settings/retired\" "
               "class=\"stacked\" id=\"retired-add\">");
    web_csrf_field(r);
    web_raw(r, "<label>域名或网址前缀 <input name=\"target\" required maxlength=\"2000\" "
               "placeholder=\"www.gdbs.gov.cn\"></label><label>说明 <input name=\"note\" "
               "maxlength=\"200\"></label><button type=\"submit\">保存</button></form>");
    return web_layout_end(r);
}

enum rc page_settings_retired_add(struct web_req *r)
{
    enum rc rc = retired_add_req(r, web_form(r, "target"), web_form(r, "note"));
    return rc ? rc : web_redirect(r, "/settings/retired?done=1");
}

enum rc page_settings_retired_remove(struct web_req *r)
{
    enum rc rc = retired_remove_req(r, web_form(r, "target"));
    return rc ? rc : web_redirect(r, "/settings/retired?done=1");
}

/* ---- the API ------------------------------------------------------------------------------- */

static void row_json(const struct retired_row *x, void *ctx)
{
    struct jw *w = ctx;
    jw_obj(w);
    jw_kstr(w, "target", x->target);
    jw_kstr(w, "kind", strchr(x->target, '/') ? "prefix" : "host");
    jw_kstr(w, "note", x->note);
    jw_kstr(w, "source", x->source);
    jw_kstr(w, "by", x->created_by);
    jw_kint(w, "created_at", x->created_at);
    jw_end(w);
}

enum rc api_retired(struct web_req *r)
{
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_key(&w, "items");
    jw_arr(&w);
    struct err e = { 0 };
    enum rc rc = retired_each(r->db, cfg(r), row_json, &w, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    jw_end(&w);
    jw_end(&w);
    return web_json_send(r, &w, 200);
}

static enum rc api_retired_change(struct web_req *r, bool add)
{
    struct json_object *o;
    enum rc rc;
    if ((rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    const char *target = web_jstr(r, o, "target", &ok),
               *note = add ? web_jstr(r, o, "note", &ok) : NULL;
    if (!ok)
        return r->err.rc;
    if ((rc = add ? retired_add_req(r, target, note) : retired_remove_req(r, target)))
        return rc;
    return api_retired(r);
}

enum rc api_retired_add(struct web_req *r)
{
    return api_retired_change(r, true);
}

enum rc api_retired_remove(struct web_req *r)
{
    return api_retired_change(r, false);
}
