/* fixture_report.c - sample documents (see fixture_report.h). */
#include "fixture_report.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/date.h"
#include "core/xalloc.h"
#include "report/tmpl.h"

struct unit_count {
    const char *unit;
    int count;
};

/* The seed's figures: 4835 items, the four units that published most. */
static const struct unit_count top_units[] = {
    { "高栏港区", 899 },
    { "市食药监局", 188 },
    { "市人社局", 95 },
    { "市教育局", 80 },
};

static const struct unit_count all_units[] = {
    { "高栏港区", 899 }, { "市食药监局", 188 }, { "市人社局", 95 }, { "市教育局", 80 },
    { "香洲区", 76 },    { "金湾区", 64 },      { "斗门区", 51 },   { "其他单位", 3382 },
};

struct stale {
    const char *unit;
    const char *kind;
    int32_t last;
    int days;
};

static void intro(struct doc *d)
{
    struct doc_para *p = doc_para(d, "现就");
    doc_text(p, cn_month(&d->arena, 2018, 11));
    doc_text(p, "份市政府门户网站内容保障情况通报如下：");
}

static void part_one(struct doc *d, int32_t as_of)
{
    doc_heading(d, 1, "市政府门户网站内容保障情况");

    struct doc_para *p = doc_heading(d, 2, "信息发布情况。");
    doc_text(p, "各区政府（管委会）、各部门在市政府门户网站（信息公开平台）发布和更新各类信息共");
    doc_int(p, 4835);
    doc_text(p, "条。信息发布数量较多的单位是：");
    for (size_t i = 0; i < sizeof(top_units) / sizeof(top_units[0]); i++) {
        if (i)
            doc_text(p, "、");
        doc_text(p, top_units[i].unit);
        doc_int(p, top_units[i].count);
        doc_text(p, "条");
    }
    doc_text(p, "（详见附件1）。");

    p = doc_heading(d, 2, "依申请公开办理情况。");
    doc_text(p, "收到网上依申请公开政府信息");
    doc_int(p, 16);
    doc_text(p, "宗，截至");
    doc_date_md(p, as_of);
    doc_text(p, "，已处理");
    doc_int(p, 11);
    doc_text(p, "宗，无一宗逾期15个工作日未答复。");

    p = doc_heading(d, 2, "咨询和投诉办理情况。");
    doc_text(p, "共收到网上受理咨询和投诉");
    doc_int(p, 18);
    doc_text(p, "宗，时效内已答复");
    doc_int(p, 15);
    doc_text(p, "宗，按时办结率为");
    doc_pct(p, 15, 15, 1);
    doc_text(p, "。");
}

static enum rc fixed_paragraphs(struct doc *d, int32_t as_of, int stale_attachment, struct err *err)
{
    struct arena a = ARENA_INIT;
    struct tmpl *t;
    enum rc rc = tmpl_load(&a, "report/monthly.tmpl", &t, err);
    if (!rc) {
        struct tmpl_vars *v = tmpl_vars_new(&a);
        tmpl_set_str(v, "group_name", "珠海政府网站交流群");
        tmpl_set_str(v, "group_no", "105740705");
        tmpl_set_int(v, "stale_attachment", stale_attachment);
        tmpl_set_str(v, "report_system_url", "http://121.43.68.40/boxpro/custom/pucha");
        tmpl_set_date(v, "as_of", as_of);
        tmpl_set_int(v, "zc_received", 25);
        tmpl_set_int(v, "zc_handled", 25);
        tmpl_set_int(v, "zc_overdue", 0);
        tmpl_set_bool(v, "annual_reminder", true);
        tmpl_set_int(v, "year", 2018);
        tmpl_set_bool(v, "service_hall_notice", true);
        tmpl_set_str(v, "service_portal_url", "http://www.gdzwfw.gov.cn");
        tmpl_set_int(v, "annual_year", 2018);
        tmpl_set_str(v, "portal", "市政府门户网站");
        tmpl_set_bool(v, "repost_available", true);
        tmpl_set_str(v, "repost_text", "本月国家、省、市发布需转载的政策信息12条，各网站“政声传递”栏目应转载120条次，按时转载118条次，按时转载率为98.3%。存在未转载或转载不及时情况的单位：市扶贫办未转载2条。");
        tmpl_set_list(v, "retired_units");
        tmpl_set_int(v, "retired_attachment", 0);
        tmpl_set_str(v, "stale_ref", stale_attachment ? "附件2" : "");
        tmpl_set_str(v, "retired_ref", "");
        rc = tmpl_render(t, v, d, err);
    }
    arena_release(&a);
    return rc;
}

static void part_two(struct doc *d)
{
    struct doc_para *p = doc_heading(d, 2, "及时更新部分栏目信息。");
    (void)p;
    static const char *const items[] = {
        "请市交通局及时更新“民生>主题服务>交通服务”栏目的信息。",
        "请市住房公积金中心及时更新“民生>主题服务>住房服务>住房公积金>管理中心及管理部服务网点”栏目的信息。",
        "请市不动产登记中心及时更新“民生>主题服务>住房服务>不动产权登记>表格下载”栏目的信息。",
    };
    for (size_t i = 0; i < sizeof(items) / sizeof(items[0]); i++)
        doc_text(doc_heading(d, 3, ""), items[i]);

    doc_heading(d, 2, "规范重点领域信息公开专栏建设的相关工作");
    p = doc_heading(d, 3, "医疗服务信息公开。");
    doc_text(
        p,
        "请市卫计局规范“新闻>专题集锦>珠海市重点领域信息公开专栏>医疗卫生机构信息公开>医疗服务信息公开”栏目的建设工作：");
    p = doc_heading(d, 4, "");
    doc_text(p, "“本级统计医疗服务信息概况”栏目未提供我市整体医疗床位数、医护人员数等信息；");
    p = doc_heading(d, 4, "");
    doc_text(p, "“医疗机构概况”栏目未提供门诊、急诊、住院部各病房的设置情况。");

    p = doc_heading(d, 2, "精心准备民生在线访谈。");
    doc_text(p, "2019年1月份“民生在线”访谈的单位为市发改局，时间暂定为");
    doc_date(p, date_from_ymd(2019, 1, 18));
    doc_text(p, "。请市发改局做好各项准备工作。");
}

static void attachment_units(struct doc *d)
{
    doc_attachment(d, "2018年11月份各单位信息发布情况");
    struct doc_table *t = doc_table(d, "各单位信息发布数量", 4);
    doc_table_head(t);
    doc_cell(t, "序号");
    doc_cell(t, "单位");
    doc_cell(t, "发布和更新信息（条）");
    doc_cell(t, "占比");
    int total = 0;
    for (size_t i = 0; i < sizeof(all_units) / sizeof(all_units[0]); i++)
        total += all_units[i].count;
    for (size_t i = 0; i < sizeof(all_units) / sizeof(all_units[0]); i++) {
        doc_table_row(t);
        doc_cell_int(t, (int64_t)i + 1);
        doc_cell(t, all_units[i].unit);
        doc_cell_int(t, all_units[i].count);
        doc_cell_pct(t, all_units[i].count, total, 1);
    }
    doc_table_row(t);
    doc_cell_span(doc_cell(t, "合计"), 2, 1);
    doc_cell_int(t, total)->bold = true;
    doc_cell_pct(t, total, total, 1);
    struct doc_para *p =
        doc_para(d, "注：统计时间为2018年11月1日至11月30日，含信息公开平台发布的信息。");
    doc_para_flags(p, DOC_P_SMALL);
}

static void attachment_stale(struct doc *d)
{
    static const struct stale rows[] = {
        { "市住房公积金中心", "部门文件", 0, 0 },
        { "市不动产登记中心", "办事指南", 0, 0 },
        { "市扶贫办", "政策法规", 0, 0 },
    };
    doc_attachment(d, "政府信息公开目录更新不及时的单位");
    struct doc_table *t = doc_table(d, NULL, 5);
    int w[] = { 2, 6, 4, 5, 3 };
    doc_table_widths(t, w);
    doc_table_head(t);
    doc_cell_span(doc_cell(t, "序号"), 1, 2);
    doc_cell_span(doc_cell(t, "单位"), 1, 2);
    doc_cell_span(doc_cell(t, "信息公开目录"), 3, 1);
    doc_table_head(t);
    doc_cell(t, "未更新类别");
    doc_cell(t, "最近更新日期");
    doc_cell(t, "未更新天数");
    int32_t base = date_from_ymd(2018, 12, 1);
    static const int ago[] = { 95, 143, 61 };
    for (size_t i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        doc_table_row(t);
        doc_cell_int(t, (int64_t)i + 1);
        doc_cell(t, rows[i].unit);
        doc_cell(t, rows[i].kind);
        doc_cell(t, cn_date(&d->arena, base - ago[i]));
        doc_cell_int(t, ago[i]);
    }
}

struct doc *fixture_report_sample(struct err *err)
{
    int32_t as_of = date_from_ymd(2018, 12, 1);
    struct doc *d = doc_new(&(struct doc_meta){
        .layout = DOC_LAYOUT_LETTER,
        .office = "珠海市人民政府办公室",
        .number = "珠府办函〔2018〕295号",
        .title = "珠海市人民政府办公室关于2018年11月份市政府门户网站内容保障情况的通报",
        .to = "各区政府（管委会），市政府各部门、各直属机构",
        .date = date_from_ymd(2018, 12, 12),
        .note = "联系人：市政府办公室信息科，电话：0756-1234567",
        .cc = "市委办公室，市人大常委会办公室，市政协办公室",
        .print_date = DATE_NONE,
    });
    intro(d);
    part_one(d, as_of);
    doc_heading(d, 1, "下一阶段内容保障的重点");
    if (fixed_paragraphs(d, as_of, 2, err)) {
        doc_free(d);
        return NULL;
    }
    part_two(d);
    attachment_units(d);
    attachment_stale(d);
    return d;
}

struct doc *fixture_report_hostile(enum doc_layout layout)
{
    struct doc *d = doc_new(&(struct doc_meta){
        .layout = layout,
        .office = "<b>办公室</b> & \"Co\" 'x'",
        .number = "文号〔2018〕1号 <&>",
        .title = "标题 <script>alert('x')</script> & \"引号\"\n第二行",
        .to = "# 主送 *机关* _x_ [a](b)",
        .date = date_from_ymd(2018, 1, 5),
        .cc = "抄送 <i>单位</i>",
        .printer = "印发 & 机关",
        .print_date = date_from_ymd(2018, 1, 6),
        .copy_no = "000001",
        .secret = "秘密★1年",
        .urgency = "特急",
    });
    struct doc_para *p =
        doc_para(d, "控制字符\x01\x02\x1f和\x7f、U+FFFE\xef\xbf\xbe、坏字节\xff\xfe结束。");
    doc_text(p, "换行\r\n之后\t制表");
    p = doc_para(d,
                 "1. 不是列表 # 不是标题 > 不是引用 | 竖线 `代码` ~删除~ \\ 反斜杠 <!-- 注释 -->");
    doc_bold(p, "（加粗。）");
    doc_text(p, "后文");
    doc_bold(p, "**星号**");
    p = doc_heading(d, 1, "标题 <h1> & 'q'");
    p = doc_heading(d, 2, "运行中标题 *x*。");
    doc_text(p, "正文 <p>");
    doc_para(d, "- 破折号开头\n+ 加号开头\n= 等号\n    四个空格");
    struct doc_table *t = doc_table(d, "表 <caption> | 竖线", 2);
    doc_table_head(t);
    doc_cell(t, "a|b <th>");
    doc_cell(t, "\"q\" & 'a'");
    doc_table_row(t);
    doc_cell(t, "x\ny");
    doc_cell_int(t, -5);
    doc_attachment(d, "附件 <title> & 'x'");
    doc_para(d, "附件正文 ]]> <![CDATA[");
    return d;
}

/* ------------------------------------------------------------------ articles --- */

struct acol {
    int64_t id, site_id;
    char *unit;
};

static const char *const seed_units[] = { "高栏港区", "市食药监局", "市人社局", "市教育局" };
static const int64_t seed_counts[] = { 899, 188, 95, 80 };

void fixture_articles_seed(struct fixture_articles *f)
{
    *f = (struct fixture_articles){
        .month = date_from_ymd(2018, 11, 1),
        .started_at = time_from_date(date_from_ymd(2018, 11, 30), 2 * 3600, TZ_CST),
        .units = seed_units,
        .counts = seed_counts,
        .n = 4,
        .total = 4835,
    };
}

/* The run of site_id (created on first use). */
static enum rc run_of(struct store *db, const struct fixture_articles *f, int64_t site_id,
                      int64_t *runs, int64_t *sites, size_t *nruns, int64_t *out, struct err *err)
{
    for (size_t i = 0; i < *nruns; i++)
        if (sites[i] == site_id)
            return *out = runs[i], RC_OK;
    struct stmt *st = store_q(db,
                              "INSERT INTO crawl_runs (site_id, state, started_at, finished_at, "
                              "start_url, max_pages, max_depth, per_host, rate) "
                              "SELECT id, 'complete', ?, ?, url, 20000, 20, 2, 2 FROM sites "
                              "WHERE id = ? RETURNING id",
                              "iii", f->started_at, f->started_at + 3600, site_id);
    *out = stmt_next(st) ? stmt_int(st, 0) : 0;
    if (stmt_done(st, err))
        return err->rc;
    sites[*nruns] = site_id;
    runs[(*nruns)++] = *out;
    return RC_OK;
}

static enum rc add_article(struct store *db, int64_t run, const struct acol *c, int64_t seq,
                           int32_t day, struct err *err)
{
    char url[96], date[11];
    date_fmt(day, date);
    snprintf(url, sizeof url, "http://fixture.test/c%lld/t%s_%lld.html", (long long)c->id,
             date, (long long)seq);
    struct stmt *st = store_q(db,
                              "INSERT INTO crawl_urls (run_id, url, depth, scope, state, result, "
                              "status) VALUES (?, ?, 2, 'page', 'done', 'ok', 200) RETURNING id",
                              "it", run, url);
    int64_t id = stmt_next(st) ? stmt_int(st, 0) : 0;
    if (stmt_done(st, err))
        return err->rc;
    return store_exec(db, err,
                      "INSERT INTO crawl_articles (url_id, run_id, site_id, column_id, url, "
                      "title, date) VALUES (?, ?, ?, ?, ?, ?, ?)",
                      "iiiittt", id, run, c->site_id, c->id, url, "测试文章", date);
}

enum rc fixture_articles_load(struct store *db, const struct fixture_articles *f, struct err *err)
{
    struct acol *cols = NULL;
    size_t ncols = 0, cap = 0;
    struct stmt *st = store_q(db,
                              "SELECT c.id, c.site_id, COALESCE(u.short_name, u.name) FROM "
                              "site_columns c JOIN units u ON u.id = c.unit_id "
                              "WHERE c.state = 'registered' ORDER BY c.id",
                              "");
    while (stmt_next(st)) {
        cols = xgrow(cols, &cap, ncols + 1, sizeof(*cols));
        cols[ncols++] = (struct acol){ stmt_int(st, 0), stmt_int(st, 1), stmt_dup(st, 2) };
    }
    enum rc rc = stmt_done(st, err);
    /* Per column: the month's count.  Named units on their first column. */
    int64_t *per = xcalloc(ncols + 1, sizeof(int64_t));
    int64_t rest = f->total, cap_other = INT64_MAX;
    for (size_t i = 0; !rc && i < f->n; i++) {
        size_t k = 0;
        while (k < ncols && strcmp(cols[k].unit, f->units[i]))
            k++;
        if (k == ncols)
            rc = err_set(err, RC_INVALID, "unit '%s' has no registered column", f->units[i]);
        else
            per[k] += f->counts[i], rest -= f->counts[i];
        if (f->counts[i] - 1 < cap_other)
            cap_other = f->counts[i] - 1;
    }
    /* The other units' first columns, round robin, each at most cap_other. */
    size_t *first = xcalloc(ncols + 1, sizeof(size_t)), nfirst = 0;
    for (size_t k = 0; k < ncols; k++) {
        bool named = false, seen = false;
        for (size_t i = 0; i < f->n; i++)
            named |= !strcmp(cols[k].unit, f->units[i]);
        for (size_t j = 0; j < nfirst; j++)
            seen |= !strcmp(cols[first[j]].unit, cols[k].unit);
        if (!named && !seen)
            first[nfirst++] = k;
    }
    while (!rc && rest > 0) {
        bool placed = false;
        for (size_t j = 0; j < nfirst && rest > 0; j++)
            if (per[first[j]] < cap_other)
                per[first[j]]++, rest--, placed = true;
        if (!placed)
            rc = err_set(err, RC_INVALID, "the other units cannot take %lld more articles",
                         (long long)rest);
    }
    int64_t *runs = xcalloc(ncols + 1, sizeof(int64_t)), *sites = xcalloc(ncols + 1, sizeof(int64_t));
    size_t nruns = 0;
    if (!rc)
        rc = store_begin(db, err);
    int y, m, d;
    date_to_ymd(f->month, &y, &m, &d);
    int days = date_days_in_month(y, m);
    int64_t seq = 0;
    for (size_t k = 0; !rc && k < ncols; k++) {
        int64_t run;
        rc = run_of(db, f, cols[k].site_id, runs, sites, &nruns, &run, err);
        for (int64_t i = 0; !rc && i < per[k]; i++)
            rc = add_article(db, run, &cols[k], ++seq, f->month + (int32_t)(i % days), err);
    }
    for (int64_t i = 0; !rc && ncols && i < f->history; i++) {
        const struct acol *c = &cols[i % (int64_t)ncols];
        int64_t run;
        rc = run_of(db, f, c->site_id, runs, sites, &nruns, &run, err);
        if (!rc)
            rc = add_article(db, run, c, ++seq, f->month - 1 - (int32_t)(i % 730), err);
    }
    if (!rc)
        rc = store_commit(db, err);
    else if (store_tx_depth(db))
        store_rollback(db);
    for (size_t k = 0; k < ncols; k++)
        free(cols[k].unit);
    free(cols);
    free(per);
    free(first);
    free(runs);
    free(sites);
    return rc;
}
