/* page_reg.c - 总览 (the dashboard and its registry panels), 站点与栏目, 单位. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/esc.h"
#include "core/str.h"
#include "reg/reg.h"
#include "web/web_int.h"

/* ---- 总览 ----------------------------------------------------------------------------- */

enum rc page_home(struct web_req *r)
{
    web_layout_begin(r, "总览", "home");
    web_raw(r, "<h1>总览</h1><div class=\"panels\">");
    for (const struct web_panel *p = web_panels; p->key; p++) {
        if (!web_can(r, p->roles))
            continue;
        web_raw(r, "<section class=\"panel\" id=\"panel-");
        web_e(r, p->key);
        web_raw(r, "\"><h2>");
        web_e(r, p->title);
        web_raw(r, "</h2>");
        enum rc rc = p->render(r);
        if (rc)
            return rc;
        web_raw(r, "</section>");
    }
    web_raw(r, "</div>");
    return web_layout_end(r);
}

static int64_t count(struct web_req *r, const char *sql)
{
    int64_t n = 0;
    store_get_int(r->db, &n, NULL, sql, "");
    return n;
}

enum rc panel_registry(struct web_req *r)
{
    struct {
        const char *label, *href, *sql;
    } tiles[] = {
        { "单位", "/units", "SELECT COUNT(*) FROM units" },
        { "网站", "/sites", "SELECT COUNT(*) FROM sites" },
        { "栏目", "/sites", "SELECT COUNT(*) FROM site_columns WHERE state = 'registered'" },
        { "待确认栏目", "/sites", "SELECT COUNT(*) FROM site_columns WHERE state = 'proposed'" },
    };
    web_raw(r, "<ul class=\"tiles\">");
    for (size_t i = 0; i < sizeof(tiles) / sizeof(tiles[0]); i++) {
        web_raw(r, "<li><a href=\"");
        web_e(r, tiles[i].href);
        web_rawf(r, "\"><strong>%lld</strong><span>", (long long)count(r, tiles[i].sql));
        web_e(r, tiles[i].label);
        web_raw(r, "</span></a></li>");
    }
    web_raw(r, "</ul>");
    return RC_OK;
}

enum rc panel_classes(struct web_req *r)
{
    const char **labels = arena_alloc(&r->a, reg_nclasses * sizeof(char *));
    double *v = arena_alloc(&r->a, reg_nclasses * sizeof(double));
    for (size_t i = 0; i < reg_nclasses; i++) {
        labels[i] = reg_classes[i].name;
        int64_t n = 0;
        store_get_int(r->db, &n, NULL,
                      "SELECT COUNT(*) FROM site_columns WHERE class = ? AND state = 'registered'",
                      "t", reg_classes[i].name);
        v[i] = (double)n;
    }
    struct web_series s = { .name = "栏目数", .v = v };
    struct web_chart c = { .title = "各类型栏目数",
                           .labels = labels,
                           .n = reg_nclasses,
                           .series = &s,
                           .nseries = 1,
                           .width = 720,
                           .height = 220 };
    web_svg_bar(&r->out, &c);
    return RC_OK;
}

/* ---- 站点与栏目 ------------------------------------------------------------------------ */

static void select_opt(struct web_req *r, const char *value, const char *label, const char *cur)
{
    web_raw(r, "<option value=\"");
    web_e(r, value);
    web_raw(r, cur && !strcmp(cur, value) ? "\" selected>" : "\">");
    web_e(r, label);
    web_raw(r, "</option>");
}

static void sites_filter_form(struct web_req *r)
{
    const char *q = web_query(r, "q"), *unit = web_query(r, "unit");
    const char *type = web_query(r, "type"), *status = web_query(r, "status");
    web_raw(r, "<form class=\"filters\" method=\"get\" action=\"/sites\"><label>搜索 <input "
               "name=\"q\" type=\"search\" placeholder=\"名称、网址或标识码\" value=\"");
    web_e(r, q ? q : "");
    web_raw(r, "\"></label><label>主办单位 <select name=\"unit\"><option value=\"\">全部</option>");
    struct stmt *st = store_sql(r->db, "SELECT u.id, COALESCE(u.short_name, u.name) FROM units u "
                                       "WHERE EXISTS (SELECT 1 FROM sites s WHERE s.unit_id = "
                                       "u.id) ORDER BY u.id");
    while (stmt_next(st)) {
        char id[24];
        snprintf(id, sizeof(id), "%lld", (long long)stmt_int(st, 0));
        select_opt(r, id, stmt_str(st, 1), unit);
    }
    stmt_done(st, NULL);
    web_raw(r,
            "</select></label><label>类型 <select name=\"type\"><option value=\"\">全部</option>");
    select_opt(r, "门户网站", "门户网站", type);
    select_opt(r, "部门网站", "部门网站", type);
    web_raw(
        r, "</select></label><label>状态 <select name=\"status\"><option value=\"\">全部</option>");
    static const char *const sts[] = { "正常运行", "临时关停", "已关停", "已迁移" };
    for (int i = 0; i < 4; i++)
        select_opt(r, sts[i], sts[i], status);
    web_raw(r, "</select></label><button type=\"submit\">筛选</button></form>");
}

enum rc page_sites(struct web_req *r)
{
    struct web_page pg;
    struct web__site_filter f;
    enum rc rc;
    if ((rc = web_paging(r, &pg)) || (rc = web__site_filter(r, &f)) ||
        (rc = web__site_count(r, &f, &pg.total)))
        return rc;
    web_layout_begin(r, "站点与栏目", "sites");
    web_raw(r, "<h1>站点与栏目</h1>");
    sites_filter_form(r);
    web_raw(r, "<table class=\"sortable\" id=\"sites\"><thead><tr><th>名称</th><th>政府网站标识码"
               "</th><th>主办单位</th><th>类型</th><th>状态</th><th data-type=\"num\">栏目数</th>"
               "<th>首页</th></tr></thead><tbody>");
    struct stmt *st = web__site_query(r, &f, &pg);
    while (stmt_next(st)) {
        struct web__site s;
        web__site_row(r, st, &s);
        web_raw(r, "<tr><td>");
        web_link(r, arena_fmt(&r->a, "/sites/%lld", (long long)s.id), s.name);
        web_raw(r, "</td><td>");
        web_e(r, s.code ? s.code : "");
        web_raw(r, "</td><td>");
        web_e(r, s.unit ? s.unit : "");
        web_raw(r, "</td><td>");
        web_e(r, s.type);
        web_raw(r, "</td><td><span class=\"badge site-");
        web_raw(r, !strcmp(s.status, "正常运行") ? "ok" : "off");
        web_raw(r, "\">");
        web_e(r, s.status);
        web_rawf(r, "</span></td><td class=\"num\">%lld</td><td class=\"url\">",
                 (long long)s.columns);
        web_e(r, s.url);
        web_raw(r, "</td></tr>");
    }
    struct err e = { 0 };
    if ((rc = stmt_done(st, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    web_raw(r, "</tbody></table>");
    static const char *const keep[] = { "q", "unit", "type", "status", "per_page", NULL };
    web_pager(r, &pg, keep);
    /* the same filters as a CSV download */
    struct buf x = BUF_INIT;
    buf_adds(&x, "/api/v1/sites?format=csv");
    for (int i = 0; i < 4; i++) {
        const char *v = web_query(r, keep[i]);
        if (v && *v) {
            buf_addf(&x, "&%s=", keep[i]);
            esc_url(&x, v);
        }
    }
    web_raw(r, "<p class=\"actions\">");
    web_link(r, x.p, "导出 CSV");
    web_raw(r, "</p>");
    buf_release(&x);
    return web_layout_end(r);
}

/* Columns sorted by path segments, so a node's children follow it directly. */
static int seg_cmp(const char *a, const char *b)
{
    for (;;) {
        const char *ea = strchr(a, '>'), *eb = strchr(b, '>');
        size_t na = ea ? (size_t)(ea - a) : strlen(a), nb = eb ? (size_t)(eb - b) : strlen(b);
        int c = memcmp(a, b, na < nb ? na : nb);
        if (c)
            return c;
        if (na != nb)
            return na < nb ? -1 : 1;
        if (!ea || !eb)
            return ea ? 1 : eb ? -1 : 0;
        a = ea + 1;
        b = eb + 1;
    }
}

static int col_cmp(const void *x, const void *y)
{
    return seg_cmp(((const struct web__column *)x)->path, ((const struct web__column *)y)->path);
}

/* Number of leading segments two paths share. */
static int common_segs(const char *a, const char *b)
{
    int n = 0;
    for (;;) {
        const char *ea = strchr(a, '>'), *eb = strchr(b, '>');
        size_t na = ea ? (size_t)(ea - a) : strlen(a), nb = eb ? (size_t)(eb - b) : strlen(b);
        if (na != nb || memcmp(a, b, na))
            return n;
        n++;
        if (!ea || !eb)
            return n;
        a = ea + 1;
        b = eb + 1;
    }
}

static void column_row(struct web_req *r, const struct web__column *c, int depth)
{
    web_rawf(r, "<tr class=\"col st-%s\" data-depth=\"%d\"><td class=\"tree d%d\">", c->status.key,
             depth, depth > 6 ? 6 : depth);
    web_e(r, c->name);
    web_raw(r, "</td><td><span class=\"badge st-");
    web_raw(r, c->status.key);
    web_raw(r, "\">");
    web_e(r, c->status.label);
    web_raw(r, "</span></td><td>");
    web_e(r, c->cls);
    web_raw(r, "</td><td>");
    web_e(r, c->unit ? c->unit : "");
    web_rawf(r, "</td><td class=\"num\">%lld</td><td class=\"urls\">",
             (long long)c->freshness_days);
    struct str all = str_of(c->urls), one;
    while (all.n) {
        str_split(&all, '\n', &one);
        char *u = arena_strndup(&r->a, one.p, one.n);
        web_raw(r, "<div>");
        web_e(r, u);
        web_raw(r, "</div>");
    }
    web_raw(r, "</td></tr>");
}

enum rc page_site(struct web_req *r)
{
    int64_t id;
    struct web__site s;
    enum rc rc;
    if ((rc = web_param_id(r, "id", &id)) || (rc = web__site_get(r, id, &s)))
        return rc;
    struct web__column *v;
    size_t n;
    if ((rc = web__site_columns(r, id, NULL, 0, NULL, &v, &n, NULL)))
        return rc;
    qsort(v, n, sizeof(*v), col_cmp);
    web_layout_begin(r, s.name, "sites");
    web_raw(r, "<p class=\"crumbs\"><a href=\"/sites\">站点与栏目</a> ›</p><h1>");
    web_e(r, s.name);
    web_raw(r, "</h1><dl class=\"facts\"><dt>首页</dt><dd class=\"url\">");
    web_e(r, s.url);
    web_raw(r, "</dd><dt>政府网站标识码</dt><dd>");
    web_e(r, s.code ? s.code : "—");
    web_raw(r, "</dd><dt>主办单位</dt><dd>");
    web_e(r, s.unit ? s.unit : "—");
    web_raw(r, "</dd><dt>类型</dt><dd>");
    web_e(r, s.type);
    web_raw(r, "</dd><dt>状态</dt><dd>");
    web_e(r, s.status);
    web_raw(r, "</dd><dt>ICP备案号</dt><dd>");
    web_e(r, s.icp ? s.icp : "—");
    web_raw(r, "</dd><dt>公安机关备案号</dt><dd>");
    web_e(r, s.psb ? s.psb : "—");
    web_raw(r, "</dd></dl>");
    web_rawf(r,
             "<h2>栏目（%zu）</h2><p class=\"legend\"><span class=\"badge st-unchecked\">未检查"
             "</span> <span class=\"badge st-proposed\">待确认</span></p>",
             n);
    web_raw(r, "<table class=\"columns\" id=\"columns\"><thead><tr><th>栏目</th><th>状态</th>"
               "<th>类型</th><th>责任单位</th><th>更新时限（天）</th><th>列表页</th></tr>"
               "</thead><tbody>");
    const char *prev = "";
    for (size_t i = 0; i < n; i++) {
        const struct web__column *c = &v[i];
        int common = i ? common_segs(prev, c->path) : 0;
        /* group rows for ancestors that are not columns themselves */
        int depth = 0;
        const char *p = c->path;
        for (;;) {
            const char *gt = strchr(p, '>');
            if (!gt)
                break;
            if (depth >= common) {
                web_rawf(r,
                         "<tr class=\"group\" data-depth=\"%d\"><td class=\"tree d%d\" "
                         "colspan=\"6\">",
                         depth, depth > 6 ? 6 : depth);
                web_e(r, arena_strndup(&r->a, p, (size_t)(gt - p)));
                web_raw(r, "</td></tr>");
            }
            depth++;
            p = gt + 1;
        }
        column_row(r, c, depth);
        prev = c->path;
    }
    web_raw(r, "</tbody></table>");
    if (!n)
        web_raw(r, "<p class=\"empty\">该网站尚未登记栏目。</p>");
    return web_layout_end(r);
}

/* ---- 单位 ------------------------------------------------------------------------------ */

struct unit_row {
    int64_t id, parent, sites, columns, users;
    const char *name, *short_name, *kind;
};

static const char *kind_label(const char *k)
{
    static const char *const m[][2] = { { "office", "办公室" },
                                        { "district", "区" },
                                        { "department", "部门" },
                                        { "agency", "直属机构" },
                                        { "other", "其他" } };
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++)
        if (!strcmp(k, m[i][0]))
            return m[i][1];
    return k;
}

static void unit_rows(struct web_req *r, struct unit_row *u, size_t n, int64_t parent, int depth,
                      bool *done)
{
    for (size_t i = 0; i < n; i++) {
        if (done[i] || u[i].parent != parent)
            continue;
        done[i] = true;
        web_rawf(r, "<tr data-depth=\"%d\"><td class=\"tree d%d\">", depth, depth > 6 ? 6 : depth);
        web_e(r, u[i].name);
        web_raw(r, "</td><td>");
        web_e(r, u[i].short_name ? u[i].short_name : "");
        web_raw(r, "</td><td>");
        web_e(r, kind_label(u[i].kind));
        web_rawf(r, "</td><td class=\"num\">");
        if (u[i].sites)
            web_link(r, arena_fmt(&r->a, "/sites?unit=%lld", (long long)u[i].id),
                     arena_fmt(&r->a, "%lld", (long long)u[i].sites));
        else
            web_raw(r, "0");
        web_rawf(r, "</td><td class=\"num\">%lld</td><td class=\"num\">%lld</td></tr>",
                 (long long)u[i].columns, (long long)u[i].users);
        if (depth < 32)
            unit_rows(r, u, n, u[i].id, depth + 1, done);
    }
}

enum rc page_units(struct web_req *r)
{
    struct stmt *st = store_sql(
        r->db, "SELECT u.id, COALESCE(u.parent_id, 0), u.name, u.short_name, u.kind, (SELECT "
               "COUNT(*) FROM sites s WHERE s.unit_id = u.id), (SELECT COUNT(*) FROM "
               "site_columns c WHERE c.unit_id = u.id AND c.state = 'registered'), (SELECT "
               "COUNT(*) FROM users x WHERE x.unit_id = u.id AND x.disabled = 0) FROM units u "
               "ORDER BY u.id");
    size_t n = 0, cap = 64;
    struct unit_row *u = arena_alloc(&r->a, cap * sizeof(*u));
    while (stmt_next(st)) {
        if (n == cap) {
            struct unit_row *nu = arena_alloc(&r->a, 2 * cap * sizeof(*u));
            memcpy(nu, u, cap * sizeof(*u));
            u = nu;
            cap *= 2;
        }
        u[n].id = stmt_int(st, 0);
        u[n].parent = stmt_int(st, 1);
        u[n].name = arena_strdup(&r->a, stmt_str(st, 2));
        u[n].short_name = stmt_null(st, 3) ? NULL : arena_strdup(&r->a, stmt_str(st, 3));
        u[n].kind = arena_strdup(&r->a, stmt_str(st, 4));
        u[n].sites = stmt_int(st, 5);
        u[n].columns = stmt_int(st, 6);
        u[n].users = stmt_int(st, 7);
        n++;
    }
    struct err e = { 0 };
    enum rc rc = stmt_done(st, &e);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    web_layout_begin(r, "单位与用户", "units");
    web_raw(r, "<h1>单位与用户</h1>");
    if (web_can(r, ROLE_ADMIN))
        web_raw(r, "<p class=\"actions\"><a class=\"button\" href=\"/users\">用户管理</a></p>");
    web_rawf(r, "<h2>单位（%zu）</h2>", n);
    web_raw(r, "<table id=\"units\"><thead><tr><th>名称</th><th>简称</th><th>类型</th>"
               "<th>网站</th><th>负责栏目</th><th>账号</th></tr></thead><tbody>");
    bool *done = arena_alloc(&r->a, (n ? n : 1) * sizeof(bool));
    unit_rows(r, u, n, 0, 0, done);
    /* units whose parent chain is broken or cyclic still get a row */
    for (size_t i = 0; i < n; i++)
        if (!done[i])
            unit_rows(r, u, n, u[i].parent, 0, done);
    web_raw(r, "</tbody></table>");
    return web_layout_end(r);
}
