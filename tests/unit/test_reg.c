/* test_reg.c - the registry: classes, paths, required items, CSV imports (all-or-nothing,
 * idempotent, GB18030/BOM, quoting), look-ups and export round trips, on every backend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/notes.h"
#include "reg/reg.h"
#include "test.h"
#include "tstore.h"

static const char units_csv[] = "name,short_name,kind,parent\n"
                                "示范市人民政府办公室,市政府办公室,office,\n"
                                "示范市人力资源和社会保障局,市人社局,department,\n"
                                "示范市香洲区人民政府,香洲区,district,\n"
                                "示范市香洲区教育局,香洲区教育局,department,香洲区\n";
static const char sites_csv[] = "name,url,code,unit,type,status\n"
                                "示范市人民政府门户网站,HTTP://WWW.SHIFAN.TEST,4404990001,市政府办公室,门户网站,正常运行\n"
                                "人社局网站,http://rsj.shifan.test/,4404990006,市人社局,部门网站,\n";

static int64_t count(struct store *s, const char *table)
{
    char sql[128];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table);
    int64_t n = -1;
    store_get_int(s, &n, NULL, sql, "");
    return n;
}

static void load_base(struct store *s)
{
    struct reg_import_result r;
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    ASSERT_OK(reg_import_mem(s, REG_UNITS, "units.csv", units_csv, strlen(units_csv), t_clk(), &r, &bad, &e), &e);
    ASSERT_OK(reg_import_mem(s, REG_SITES, "sites.csv", sites_csv, strlen(sites_csv), t_clk(), &r, &bad, &e), &e);
    notes_release(&bad);
}

TEST(reg_classes_and_guess)
{
    ASSERT_EQ_STR(reg_class_find("news")->name, "动态要闻");
    ASSERT_EQ_STR(reg_class_find("通知公告类")->name, "通知公告");
    ASSERT_EQ_INT(reg_class_find("动态要闻")->freshness_days, 14);
    ASSERT_EQ_INT(reg_class_find("政策文件")->freshness_days, 180);
    ASSERT_EQ_INT(reg_class_find("信息公开目录")->freshness_days, 365);
    ASSERT_NULL(reg_class_find("nonsense"));
    /* clang-format off */
    static const struct { const char *path, *cls; } g[] = {
        { "要闻动态>政务要闻", "动态要闻" }, { "通知公告", "通知公告" },
        { "政策文件>规范性文件", "政策文件" }, { "政务公开>人事信息", "人事" },
        { "政务公开>规划计划", "规划计划" }, { "机构概况>领导信息", "概况" },
        { "信息公开目录>市人社局>机构职能", "信息公开目录" }, { "新闻>政声传递", "政声传递" },
        { "互动交流>咨询投诉", "互动交流" }, { "民生>主题服务>交通服务", "办事服务" },
        { "关于我们", "其他" },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(g) / sizeof(g[0]); i++) {
        const struct reg_class *c = reg_class_guess(g[i].path);
        if (strcmp(c->name, g[i].cls))
            t_fail(__FILE__, __LINE__, "guess(%s) = %s, want %s", g[i].path, c->name, g[i].cls);
    }
}

TEST(reg_paths_and_items)
{
    struct buf b = BUF_INIT;
    ASSERT(reg_path_normalize(" 民生 > 主题服务＞交通服务 ", &b));
    ASSERT_EQ_STR(buf_cstr(&b), "民生>主题服务>交通服务");
    buf_reset(&b);
    ASSERT(!reg_path_normalize("民生>>交通服务", &b));
    ASSERT_EQ_INT(b.n, 0);
    buf_release(&b);
    struct reg_item *it;
    size_t n;
    struct err e = { 0 };
    ASSERT_OK(reg_items_parse("床位数|床位;医护人员数 | 医护人员；医师工作负荷", &it, &n, &e), &e);
    ASSERT_EQ_INT(n, 3);
    ASSERT_EQ_STR(it[0].name, "床位数");
    ASSERT_EQ_INT(it[0].nalts, 2);
    ASSERT_EQ_STR(it[1].alts[1], "医护人员");
    ASSERT_EQ_STR(it[2].name, "医师工作负荷");
    reg_items_free(it, n);
    ASSERT_RC(reg_items_parse("a;;b", &it, &n, &e), RC_INVALID);
    err_clear(&e);
    ASSERT_RC(reg_items_parse("a||b", &it, &n, &e), RC_INVALID);
}

TEST(reg_import_idempotent_and_hierarchy)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        struct reg_import_result r;
        struct notes bad = NOTES_INIT;
        struct err e = { 0 };
        ASSERT_OK(reg_import_mem(s, REG_UNITS, "u.csv", units_csv, strlen(units_csv), t_clk(), &r, &bad, &e), &e);
        ASSERT_EQ_INT(r.inserted, 4);
        ASSERT_OK(reg_import_mem(s, REG_UNITS, "u.csv", units_csv, strlen(units_csv), t_clk(), &r, &bad, &e), &e);
        ASSERT_EQ_INT(r.inserted, 0);
        ASSERT_EQ_INT(r.updated, 0);
        ASSERT_EQ_INT(r.unchanged, 4);
        int64_t child, parent, pid = 0;
        ASSERT_OK(reg_unit_lookup(s, "香洲区教育局", &child, &e), &e);
        ASSERT_OK(reg_unit_lookup(s, "示范市香洲区人民政府", &parent, &e), &e);
        store_get_int(s, &pid, &e, "SELECT parent_id FROM units WHERE id = ?", "i", child);
        ASSERT_EQ_INT(pid, parent);
        /* A changed short name is an update, everything else unchanged. */
        const char *v2 = "name,short_name,kind,parent\n示范市人力资源和社会保障局,人社局,department,\n";
        ASSERT_OK(reg_import_mem(s, REG_UNITS, "u2.csv", v2, strlen(v2), t_clk(), &r, &bad, &e), &e);
        ASSERT_EQ_INT(r.updated, 1);
        ASSERT_OK(reg_unit_lookup(s, "人社局", &child, &e), &e);
        notes_release(&bad);
        t_close(s);
    }
}

TEST(reg_import_malformed_row_changes_nothing)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        load_base(s);
        int64_t before = count(s, "units");
        /* Line 2 has an unknown kind; line 3 is fine. */
        const char *bad_csv = "name,short_name,kind,parent\n"
                              "新单位甲,甲,nonsense,\n"
                              "新单位乙,乙,department,\n";
        struct reg_import_result r;
        struct notes bad = NOTES_INIT;
        struct err e = { 0 };
        ASSERT_RC(reg_import_mem(s, REG_UNITS, "bad.csv", bad_csv, strlen(bad_csv), t_clk(), &r, &bad, &e), RC_INVALID);
        ASSERT_EQ_INT(bad.total, 1);
        ASSERT_CONTAINS(bad.v[0], "bad.csv:2:");
        ASSERT_CONTAINS(bad.v[0], "nonsense");
        ASSERT_CONTAINS(e.msg, "nothing was imported");
        ASSERT_EQ_INT(count(s, "units"), before);
        notes_release(&bad);
        t_close(s);
    }
}

TEST(reg_import_duplicates_cycles_and_unterminated_quote)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        struct reg_import_result r;
        struct notes bad = NOTES_INIT;
        struct err e = { 0 };
        const char *dup = "name,short_name,kind\n甲单位,甲,department\n乙单位,乙,agency\n甲单位,甲2,agency\n";
        ASSERT_RC(reg_import_mem(s, REG_UNITS, "dup.csv", dup, strlen(dup), t_clk(), &r, &bad, &e), RC_INVALID);
        ASSERT_CONTAINS(bad.v[0], "dup.csv:4:");
        ASSERT_CONTAINS(bad.v[0], "line 2");
        ASSERT_EQ_INT(count(s, "units"), 0);
        notes_release(&bad);
        err_clear(&e);
        const char *cyc = "name,kind,parent\nA,department,B\nB,department,A\n";
        ASSERT_RC(reg_import_mem(s, REG_UNITS, "cyc.csv", cyc, strlen(cyc), t_clk(), &r, &bad, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "cycle");
        ASSERT_EQ_INT(count(s, "units"), 0);
        notes_release(&bad);
        err_clear(&e);
        const char *q = "name,kind\n\"open,department\nX,agency\n";
        ASSERT_RC(reg_import_mem(s, REG_UNITS, "q.csv", q, strlen(q), t_clk(), &r, &bad, &e), RC_PARSE);
        ASSERT_CONTAINS(e.msg, "q.csv:2:");
        ASSERT_EQ_INT(count(s, "units"), 0);
        notes_release(&bad);
        t_close(s);
    }
}

TEST(reg_import_gb18030_bom_and_quoted)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        struct reg_import_result r;
        struct notes bad = NOTES_INIT;
        struct err e = { 0 };
        /* Chinese headers, GB18030 bytes as Excel on Chinese Windows writes them:
         * "名称,简称,类型\r\n示范市统计局,市统计局,部门\r\n" */
        const char gb[] = "\xC3\xFB\xB3\xC6,\xBC\xF2\xB3\xC6,\xC0\xE0\xD0\xCD\r\n"
                          "\xCA\xBE\xB7\xB6\xCA\xD0\xCD\xB3\xBC\xC6\xBE\xD6,\xCA\xD0\xCD\xB3\xBC\xC6\xBE\xD6,\xB2\xBF\xC3\xC5\r\n";
        ASSERT_OK(reg_import_mem(s, REG_UNITS, "gb.csv", gb, sizeof(gb) - 1, t_clk(), &r, &bad, &e), &e);
        int64_t id;
        ASSERT_OK(reg_unit_lookup(s, "市统计局", &id, &e), &e);
        char *kind = NULL;
        store_get_text(s, &kind, &e, "SELECT kind FROM units WHERE id = ?", "i", id);
        ASSERT_EQ_STR(kind, "department");
        free(kind);
        const char *bom = "\xEF\xBB\xBFname,short_name,kind\n\"示范市发展和改革局, 含逗号\",市发改局,department\n"
                          "\"两行\n名称\",两行,agency\n";
        ASSERT_OK(reg_import_mem(s, REG_UNITS, "bom.csv", bom, strlen(bom), t_clk(), &r, &bad, &e), &e);
        ASSERT_OK(reg_unit_lookup(s, "示范市发展和改革局, 含逗号", &id, &e), &e);
        ASSERT_OK(reg_unit_lookup(s, "两行\n名称", &id, &e), &e);
        notes_release(&bad);
        t_close(s);
    }
}

TEST(reg_columns_import_lookup_and_roundtrip)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        load_base(s);
        struct reg_import_result r;
        struct notes bad = NOTES_INIT;
        struct err e = { 0 };
        const char *cols =
            "site,path,url,unit,class,freshness_days,required_items\n"
            "示范市人民政府门户网站,民生 > 主题服务 > 交通服务,http://www.shifan.test/ms/ztfw/jtfw/,市人社局,办事服务,,\n"
            "4404990001,要闻动态>政务要闻,http://www.shifan.test/ywdt/zwyw/|http://www.shifan.test/ywdt/zwyw/index_1.html,,,30,\n"
            "http://rsj.shifan.test/,医疗服务信息概况,,市人社局,概况,,\"床位数|床位;医护人员数|医护人员\"\n";
        ASSERT_OK(reg_import_mem(s, REG_COLUMNS, "c.csv", cols, strlen(cols), t_clk(), &r, &bad, &e), &e);
        ASSERT_EQ_INT(r.inserted, 3);
        ASSERT_EQ_INT(count(s, "column_urls"), 3);
        int64_t site;
        ASSERT_OK(reg_site_lookup(s, "http://www.shifan.test", &site, &e), &e);
        struct reg_column *cv;
        size_t n;
        ASSERT_OK(reg_columns_of_site(s, site, false, &cv, &n, &e), &e);
        ASSERT_EQ_INT(n, 2);
        ASSERT_EQ_STR(cv[0].path, "民生>主题服务>交通服务");
        ASSERT_EQ_INT(cv[1].freshness_days, 30);
        ASSERT_EQ_STR(cv[1].class_name, "动态要闻"); /* guessed from the name */
        reg_columns_free(cv, n);
        /* Export, then import the export: nothing changes. */
        struct buf out = BUF_INIT;
        ASSERT_OK(reg_export_csv(s, REG_COLUMNS, 0, &out, &e), &e);
        ASSERT_OK(reg_import_mem(s, REG_COLUMNS, "export.csv", out.p, out.n, t_clk(), &r, &bad, &e), &e);
        ASSERT_EQ_INT(r.unchanged, 3);
        ASSERT_EQ_INT(r.updated, 0);
        buf_release(&out);
        /* An unknown site is named with its line. */
        const char *badc = "site,path\n不存在的网站,通知公告\n";
        ASSERT_RC(reg_import_mem(s, REG_COLUMNS, "b.csv", badc, strlen(badc), t_clk(), &r, &bad, &e), RC_INVALID);
        ASSERT_CONTAINS(bad.v[0], "b.csv:2:");
        ASSERT_CONTAINS(bad.v[0], "不存在的网站");
        notes_release(&bad);
        t_close(s);
    }
}

TEST(reg_site_add_and_lookups)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        load_base(s);
        struct err e = { 0 };
        int64_t id = 0, got = 0;
        struct reg_site_new n = { .name = "教育局网站", .url = "http://JYJ.shifan.test", .unit = "市人社局" };
        ASSERT_OK(reg_site_add(s, &n, t_clk(), &id, &e), &e);
        ASSERT_OK(reg_site_lookup(s, "http://jyj.shifan.test/", &got, &e), &e);
        ASSERT_EQ_INT(got, id);
        ASSERT_OK(reg_site_lookup(s, "jyj.shifan.test", &got, &e), &e);
        ASSERT_EQ_INT(got, id);
        ASSERT_OK(reg_site_lookup(s, "4404990006", &got, &e), &e);
        struct reg_site_new bad = { .name = "x", .url = "ftp://x.test/" };
        ASSERT_RC(reg_site_add(s, &bad, t_clk(), &id, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "http");
        err_clear(&e);
        struct reg_site_new badcode = { .name = "y", .url = "http://y.test/", .code = "12" };
        ASSERT_RC(reg_site_add(s, &badcode, t_clk(), &id, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "标识码");
        err_clear(&e);
        ASSERT_RC(reg_site_lookup(s, "nowhere", &got, &e), RC_NOTFOUND);
        ASSERT_CONTAINS(e.msg, "site list");
        t_close(s);
    }
}
