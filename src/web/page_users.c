/* page_users.c - 用户: accounts managed by admins, as pages (with CSRF) and as the API. */
#include <json-c/json.h>
#include <string.h>

#include "core/date.h"
#include "core/str.h"
#include "web/web_int.h"

static const unsigned role_order[] = { ROLE_ADMIN, ROLE_SUPERVISOR, ROLE_EDITOR, ROLE_VIEWER };

static void flash(struct web_req *r, const char *msg, bool error)
{
    if (!msg)
        return;
    web_raw(r, error ? "<p class=\"flash error\" role=\"alert\">" : "<p class=\"flash ok\">");
    web_e(r, msg);
    web_raw(r, "</p>");
}

enum rc page_users(struct web_req *r)
{
    web_layout_begin(r, "用户", "units");
    web_raw(r, "<p class=\"crumbs\"><a href=\"/units\">单位与用户</a> ›</p><h1>用户</h1>"
               "<p class=\"actions\"><a class=\"button\" href=\"/users/new\">新建用户</a></p>");
    web_raw(r, "<table class=\"sortable\" id=\"users\"><thead><tr><th>用户名</th><th>角色</th>"
               "<th>单位</th><th>状态</th><th>最近登录</th><th data-type=\"num\">API令牌</th>"
               "</tr></thead><tbody>");
    struct stmt *st = store_sql(r->db, "SELECT u.id, u.name, u.role, COALESCE(n.short_name, "
                                       "n.name), u.disabled, u.last_login_at, (SELECT COUNT(*) "
                                       "FROM api_tokens t WHERE t.user_id = u.id AND t.revoked = "
                                       "0) FROM users u LEFT JOIN units n ON n.id = u.unit_id "
                                       "ORDER BY u.name");
    while (stmt_next(st)) {
        web_raw(r, "<tr><td>");
        web_link(r, arena_fmt(&r->a, "/users/%lld", (long long)stmt_int(st, 0)), stmt_str(st, 1));
        web_raw(r, "</td><td>");
        web_e(r, auth_role_label(auth_role_parse(stmt_str(st, 2))));
        web_raw(r, "</td><td>");
        web_e(r, stmt_str(st, 3));
        web_raw(r, stmt_int(st, 4) ? "</td><td><span class=\"badge site-off\">停用</span>"
                                   : "</td><td><span class=\"badge site-ok\">启用</span>");
        web_raw(r, "</td><td>");
        if (!stmt_null(st, 5)) {
            char t[20];
            time_fmt_local(stmt_int(st, 5), r->clk->tzoff, t);
            web_e(r, t);
        }
        web_rawf(r, "</td><td class=\"num\">%lld</td></tr>", (long long)stmt_int(st, 6));
    }
    struct err e = { 0 };
    enum rc rc = stmt_done(st, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    web_raw(r, "</tbody></table>");
    return web_layout_end(r);
}

static void unit_select(struct web_req *r, int64_t cur)
{
    web_raw(r, "<label>单位 <select name=\"unit\"><option value=\"\">（无）</option>");
    struct stmt *st = store_sql(r->db, "SELECT id, name, COALESCE(short_name, name) FROM units "
                                       "ORDER BY id");
    while (stmt_next(st)) {
        web_raw(r, "<option value=\"");
        web_e(r, stmt_str(st, 1));
        web_raw(r, stmt_int(st, 0) == cur ? "\" selected>" : "\">");
        web_e(r, stmt_str(st, 2));
        web_raw(r, "</option>");
    }
    stmt_done(st, NULL);
    web_raw(r, "</select></label>");
}

static void role_select(struct web_req *r, unsigned cur)
{
    web_raw(r, "<label>角色 <select name=\"role\">");
    for (size_t i = 0; i < 4; i++) {
        web_rawf(r, "<option value=\"%s\"%s>", auth_role_name(role_order[i]),
                 role_order[i] == cur ? " selected" : "");
        web_e(r, auth_role_label(role_order[i]));
        web_raw(r, "</option>");
    }
    web_raw(r, "</select></label>");
}

static void new_form(struct web_req *r, const char *msg)
{
    web_layout_begin(r, "新建用户", "units");
    web_raw(r, "<p class=\"crumbs\"><a href=\"/users\">用户</a> ›</p><h1>新建用户</h1>");
    flash(r, msg, true);
    web_raw(r, "<form method=\"post\" action=\"/users\" class=\"stacked\">");
    web_csrf_field(r);
    web_raw(r, "<label>用户名 <input name=\"name\" required maxlength=\"64\" value=\"");
    const char *name = web_form(r, "name");
    web_e(r, name ? name : "");
    web_raw(r, "\"></label>");
    role_select(r, auth_role_parse(web_form(r, "role")) ? auth_role_parse(web_form(r, "role"))
                                                        : ROLE_VIEWER);
    unit_select(r, 0);
    web_raw(r, "<label>密码 <input name=\"password\" type=\"password\" minlength=\"8\" required "
               "autocomplete=\"new-password\"></label><label>确认密码 <input name=\"password2\" "
               "type=\"password\" minlength=\"8\" required autocomplete=\"new-password\"></label>"
               "<p class=\"hint\">单位编辑必须选择所属单位；密码至少 8 个字符。</p>"
               "<button type=\"submit\">创建</button></form>");
    web_layout_end(r);
}

enum rc page_user_new(struct web_req *r)
{
    new_form(r, NULL);
    return RC_OK;
}

enum rc page_user_create(struct web_req *r)
{
    const char *pw = web_form(r, "password"), *pw2 = web_form(r, "password2");
    struct auth_user_new u = { .name = web_form(r, "name"),
                               .role = auth_role_parse(web_form(r, "role")),
                               .unit = web_form(r, "unit"),
                               .password = pw };
    struct err e = { 0 };
    int64_t id = 0;
    enum rc rc = RC_OK;
    if (!pw || !pw2 || strcmp(pw, pw2))
        rc = err_set(&e, RC_INVALID, "两次输入的密码不一致");
    else if (!u.role)
        rc = err_set(&e, RC_INVALID, "请选择角色");
    else
        rc = auth_user_add(r->db, &u, r->clk, &id, &e);
    if (rc == RC_INVALID || rc == RC_CONFLICT) {
        new_form(r, err_msg(&e));
        r->status = rc_http(rc);
        return RC_OK;
    }
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    auth_audit(r->db, r->clk, r->user, r->ip, "user_add", r->method, r->path,
               arena_fmt(&r->a, "%s (%s)", u.name, auth_role_name(u.role)));
    return web_redirect(r, arena_fmt(&r->a, "/users/%lld?saved=1", (long long)id));
}

static void edit_form(struct web_req *r, int64_t id, const char *msg, bool error)
{
    struct auth_user u;
    bool disabled = false;
    struct err e = { 0 };
    if (auth_user_get_id(r->db, id, &r->a, &u, &disabled, &e)) {
        web_fail(r, e.rc, "%s", err_msg(&e));
        return;
    }
    web_layout_begin(r, u.name, "units");
    web_raw(r, "<p class=\"crumbs\"><a href=\"/users\">用户</a> ›</p><h1>");
    web_e(r, u.name);
    web_raw(r, "</h1>");
    flash(r, msg, error);
    web_rawf(r, "<form method=\"post\" action=\"/users/%lld\" class=\"stacked\">", (long long)id);
    web_csrf_field(r);
    role_select(r, u.role);
    unit_select(r, u.unit_id);
    web_raw(r, "<label class=\"check\"><input type=\"checkbox\" name=\"disabled\" value=\"1\"");
    if (disabled)
        web_raw(r, " checked");
    web_raw(r, "> 停用该账号（同时结束其会话、作废其API令牌）</label>"
               "<label>新密码 <input name=\"password\" type=\"password\" minlength=\"8\" "
               "autocomplete=\"new-password\" placeholder=\"不修改请留空\"></label>"
               "<button type=\"submit\" data-confirm=\"确定保存对该账号的修改？\">保存</button>"
               "</form>");
    web_layout_end(r);
}

enum rc page_user(struct web_req *r)
{
    int64_t id;
    enum rc rc = web_param_id(r, "id", &id);
    if (rc)
        return rc;
    const char *saved = web_query(r, "saved");
    edit_form(r, id, saved ? "已保存。" : NULL, false);
    return r->err.rc;
}

/* Admins may not lock themselves out. */
static enum rc self_check(struct web_req *r, int64_t id, unsigned role, int disabled, struct err *e)
{
    if (id != r->user->id)
        return RC_OK;
    if (disabled > 0)
        return err_set(e, RC_INVALID, "you cannot disable your own account");
    if (role && role != ROLE_ADMIN)
        return err_set(e, RC_INVALID, "you cannot take the admin role from yourself");
    return RC_OK;
}

enum rc page_user_update(struct web_req *r)
{
    int64_t id;
    enum rc rc = web_param_id(r, "id", &id);
    if (rc)
        return rc;
    const char *pw = web_form(r, "password"), *unit = web_form(r, "unit");
    struct auth_user_change c = { .role = auth_role_parse(web_form(r, "role")),
                                  .unit = unit ? unit : "",
                                  .disabled = web_form(r, "disabled") ? 1 : 0,
                                  .password = pw && *pw ? pw : NULL };
    struct err e = { 0 };
    rc = self_check(r, id, c.role, c.disabled, &e);
    if (!rc)
        rc = auth_user_update(r->db, id, &c, r->clk, &e);
    if (rc == RC_INVALID) {
        edit_form(r, id, err_msg(&e), true);
        if (!r->err.rc)
            r->status = 400;
        return r->err.rc;
    }
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    auth_audit(r->db, r->clk, r->user, r->ip, "user_update", r->method, r->path,
               arena_fmt(&r->a, "id %lld", (long long)id));
    return web_redirect(r, arena_fmt(&r->a, "/users/%lld?saved=1", (long long)id));
}

/* ---- API ----------------------------------------------------------------------------- */

enum rc api_users(struct web_req *r)
{
    struct web_page pg;
    struct err e = { 0 };
    enum rc rc;
    if ((rc = web_paging(r, &pg)))
        return rc;
    if ((rc = store_get_int(r->db, &pg.total, &e, "SELECT COUNT(*) FROM users", "")))
        return web_fail(r, rc, "%s", err_msg(&e));
    struct jw w;
    web_list_begin(r, &w);
    if ((rc = auth_users_json(r->db, &w, r->clk->tzoff, pg.per_page, pg.offset, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    return web_list_send(r, &w, &pg);
}

static enum rc user_out(struct web_req *r, int64_t id, int status)
{
    struct err e = { 0 };
    struct jw w;
    web_json_begin(r, &w);
    enum rc rc = auth_user_json_id(r->db, id, &w, r->clk->tzoff, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    return web_json_send(r, &w, status);
}

enum rc api_user(struct web_req *r)
{
    int64_t id;
    enum rc rc = web_param_id(r, "id", &id);
    return rc ? rc : user_out(r, id, 200);
}

enum rc api_user_create(struct web_req *r)
{
    struct json_object *o;
    enum rc rc = web_json_body(r, &o);
    if (rc)
        return rc;
    bool ok = true;
    const char *role = web_jstr(r, o, "role", &ok);
    struct auth_user_new u = { .name = web_jstr(r, o, "name", &ok),
                               .role = auth_role_parse(role),
                               .unit = web_jstr(r, o, "unit", &ok),
                               .password = web_jstr(r, o, "password", &ok) };
    if (!ok)
        return RC_INVALID;
    if (!u.role)
        return web_fail(r, RC_INVALID, "\"role\" must be admin, supervisor, editor or viewer");
    struct err e = { 0 };
    int64_t id;
    if ((rc = auth_user_add(r->db, &u, r->clk, &id, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    auth_audit(r->db, r->clk, r->user, r->ip, "user_add", r->method, r->path,
               arena_fmt(&r->a, "%s (%s)", u.name, auth_role_name(u.role)));
    web_header(r, "Location", arena_fmt(&r->a, "/api/v1/users/%lld", (long long)id));
    return user_out(r, id, 201);
}

enum rc api_user_update(struct web_req *r)
{
    int64_t id;
    struct json_object *o;
    enum rc rc;
    if ((rc = web_param_id(r, "id", &id)) || (rc = web_json_body(r, &o)))
        return rc;
    bool ok = true;
    const char *role = web_jstr(r, o, "role", &ok);
    struct auth_user_change c = { .role = 0, .unit = NULL, .disabled = -1, .password = NULL };
    if (role && !(c.role = auth_role_parse(role)))
        return web_fail(r, RC_INVALID, "\"role\" must be admin, supervisor, editor or viewer");
    json_object *v;
    if (json_object_object_get_ex(o, "unit", &v))
        c.unit = json_object_is_type(v, json_type_null) ? "" : web_jstr(r, o, "unit", &ok);
    if (json_object_object_get_ex(o, "disabled", &v)) {
        if (!json_object_is_type(v, json_type_boolean))
            return web_fail(r, RC_INVALID, "\"disabled\" must be true or false");
        c.disabled = json_object_get_boolean(v) ? 1 : 0;
    }
    c.password = web_jstr(r, o, "password", &ok);
    if (!ok)
        return RC_INVALID;
    struct err e = { 0 };
    if ((rc = self_check(r, id, c.role, c.disabled, &e)) ||
        (rc = auth_user_update(r->db, id, &c, r->clk, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    auth_audit(r->db, r->clk, r->user, r->ip, "user_update", r->method, r->path,
               arena_fmt(&r->a, "id %lld", (long long)id));
    return user_out(r, id, 200);
}
