/* test_sitecheck.c - the crawl-based checks (checks/sitecheck.h, pub.h) on a fixture site
 * served by tests/lib/fixture_http.c and crawled for real: planted problems of every
 * kind and planted non-problems, matched exactly; as-of dates; resolution after the
 * fixture is fixed; dismissal; proposals; retired targets; publication counts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "checks/check.h"
#include "checks/pub.h"
#include "checks/sitecheck.h"
#include "feed/feed.h"
#include "core/buf.h"
#include "core/date.h"
#include "crawl/crawl.h"
#include "reg/reg.h"
#include "fixture_http.h"
#include "tcrawl.h"
#include "tcheck.h"
#include "test.h"
#include "tstore.h"

/* ---- retired targets: pure ------------------------------------------------------------ */

TEST(retired_normalize_and_match)
{
    static const struct {
        const char *in, *out; /* out NULL: refused */
    } cases[] = {
        { "www.gdbs.gov.cn", "www.gdbs.gov.cn" },
        { " WWW.GDBS.gov.cn. ", "www.gdbs.gov.cn" },
        { "http://www.example.gov.cn/old/", "http://www.example.gov.cn/old/" },
        { "HTTP://WWW.Example.gov.cn", "http://www.example.gov.cn/" },
        { "", NULL },
        { ".gov.cn", NULL },
        { "ftp://x.cn/", NULL },
        { "a b.cn", NULL },
        { "localhost", NULL },
        { "www.例子.cn", NULL },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf b = BUF_INIT;
        bool ok = retired_normalize(cases[i].in, &b);
        if (cases[i].out) {
            ASSERT(ok);
            ASSERT_EQ_STR(buf_cstr(&b), cases[i].out);
        } else {
            ASSERT_FALSE(ok);
        }
        buf_release(&b);
    }
    static char h0[] = "gdbs.gov.cn", p0[] = "http://www.a.gov.cn/old/";
    char *hosts[] = { h0 };
    char *prefixes[] = { p0 };
    struct retired_set s = { hosts, 1, prefixes, 1 };
    ASSERT_EQ_STR(retired_match(&s, "http://gdbs.gov.cn/x"), "gdbs.gov.cn");
    ASSERT_EQ_STR(retired_match(&s, "https://www.gdbs.gov.cn/portal?x=1"), "gdbs.gov.cn");
    ASSERT_NULL(retired_match(&s, "http://notgdbs.gov.cn/"));
    ASSERT_NULL(retired_match(&s, "http://gdbs.gov.cn.evil.test/"));
    ASSERT_EQ_STR(retired_match(&s, "http://www.a.gov.cn/old/p.html"), "http://www.a.gov.cn/old/");
    ASSERT_NULL(retired_match(&s, "http://www.a.gov.cn/new/p.html"));
    ASSERT_NULL(retired_match(&s, NULL));
}

/* ---- the fixture site ------------------------------------------------------------------- */

#define HOST "www.c.test"
#define HOME "http://www.c.test/"

static void page(struct fixture_http *f, const char *path, const char *crumb, const char *body)
{
    struct buf b = BUF_INIT;
    buf_addf(&b,
             "<html><head><meta charset=utf-8><title>测试市</title></head><body>"
             "<div class=position>当前位置：首页 &gt; %s</div>%s</body></html>",
             crumb, body);
    fixture_http_page(f, HOST, path, buf_cstr(&b));
    buf_release(&b);
}

static void article(struct fixture_http *f, const char *path, const char *crumb, const char *date,
                    const char *text)
{
    struct buf b = BUF_INIT;
    buf_addf(
        &b,
        "<h1>文章</h1><div class=info>发布时间：%s 来源：本站</div><div class=content><p>%s</p></div>",
        date, text);
    page(f, path, crumb, buf_cstr(&b));
    buf_release(&b);
}

/* One list row; its article is made too (dated as the row, text given or generic)
 * unless `noart`. */
struct it {
    const char *href, *title, *date;
    bool pinned, noart;
    const char *text;
};

/* A list page at dir + file with rows v[0..n) and, when `next`, a 下一页 link. */
static void list(struct fixture_http *f, const char *dir, const char *file, const char *crumb,
                 const struct it *v, size_t n, const char *next)
{
    struct buf b = BUF_INIT, path = BUF_INIT, ac = BUF_INIT, d = BUF_INIT;
    buf_adds(&b, "<ul class=list>");
    for (size_t i = 0; i < n; i++) {
        buf_addf(&b, "<li%s><a href=%s>%s%s</a><span>%s</span></li>",
                 v[i].pinned ? " class=top" : "", v[i].href, v[i].pinned ? "[置顶]" : "",
                 v[i].title, v[i].date);
        if (v[i].noart)
            continue;
        buf_reset(&path);
        buf_addf(&path, "%s%s", dir, v[i].href);
        buf_reset(&ac);
        buf_addf(&ac, "%s &gt; 正文", crumb);
        buf_reset(&d);
        buf_addf(&d, "%s 09:00", v[i].date);
        article(f, buf_cstr(&path), buf_cstr(&ac), buf_cstr(&d),
                v[i].text ? v[i].text : v[i].title);
    }
    buf_adds(&b, "</ul>");
    if (next)
        buf_addf(&b, "<div class=page><a href=%s>下一页</a></div>", next);
    buf_reset(&path);
    buf_addf(&path, "%s%s", dir, file);
    page(f, buf_cstr(&path), crumb, buf_cstr(&b));
    buf_release(&b);
    buf_release(&path);
    buf_release(&ac);
    buf_release(&d);
}
#define N(a) (sizeof(a) / sizeof(a[0]))

/* The site as of 2018-12-01; `fixed` gives the repaired version. */
static void build(struct fixture_http *f, bool fixed)
{
    struct buf home = BUF_INIT;
    buf_adds(&home, "<html><head><meta charset=utf-8><title>测试市人民政府</title></head><body>"
                    "<div class=news><ul>");
    if (fixed)
        buf_adds(
            &home,
            "<li><a href=/xw/yw/201811/t20181129_7.html>要闻七</a><span>2018-11-29</span></li>");
    buf_adds(&home,
             "<li><a href=/xw/yw/201811/t20181110_1.html>要闻一</a><span>2018-11-10</span></li>"
             "<li><a href=/xw/yw/201811/t20181105_2.html>要闻二</a><span>2018-11-05</span></li>"
             "</ul></div><div class=nav><a href=/xw/yw/>要闻</a> <a href=/tzgg/>通知公告</a> "
             "<a href=/zcwj/>政策文件</a> <a href=/rs/>人事</a> <a href=/ghjh/>规划计划</a> "
             "<a href=/gzdt/>工作动态</a> <a href=/ylfw/>医疗服务</a> "
             "<a href=/bsfw/>办事服务</a> <a href=/hdjl/>互动交流</a> "
             "<a href=/zwgk/tzgs/>通知公示</a> <a href=http://www.gdbs.test/>网上办事大厅</a>");
    if (!fixed)
        buf_adds(&home, " <a href=/gone.html>失效链接</a>");
    buf_adds(&home, "</div></body></html>");
    fixture_http_page(f, HOST, "/", buf_cstr(&home));
    buf_release(&home);

    /* 要闻 (动态要闻, 14 days): a pinned old row first, a future date ignored; fresh */
    const struct it yw[] = {
        { "201703/t20170301_9.html", "老要闻", "2017-03-01", true },
        { "201901/t20190105_8.html", "明年要闻", "2019-01-05" },
        { "201811/t20181129_7.html", "要闻七", "2018-11-29" },
        { "201811/t20181120_3.html", "要闻三", "2018-11-20",
          .text = "会议强调，要坚持中国共产当的领导。" },
        { "201811/t20181110_1.html", "要闻一", "2018-11-10" },
        { "201811/t20181105_2.html", "要闻二", "2018-11-05" },
    };
    if (fixed) {
        list(f, "/xw/yw/", "", "新闻 &gt; 要闻", yw, N(yw), "index_1.html");
    } else {
        const struct it yw0[] = { yw[0], yw[1], yw[3], yw[4], yw[5] };
        list(f, "/xw/yw/", "", "新闻 &gt; 要闻", yw0, N(yw0), "index_1.html");
    }
    const struct it yw1[] = { { "201810/t20181001_4.html", "要闻四", "2018-10-01" },
                              { "201809/t20180901_5.html", "要闻五", "2018-09-01" } };
    list(f, "/xw/yw/", "index_1.html", "新闻 &gt; 要闻", yw1, N(yw1), NULL);

    /* 通知公告 (180): the latest dated on a 调休 Saturday; fresh */
    const struct it tz[] = { { "201605/t20160501_1.html", "老通知", "2016-05-01", true },
                             { "201809/t20180929_2.html", "国庆调休通知", "2018-09-29" },
                             { "201808/t20180801_3.html", "通知三", "2018-08-01" } };
    list(f, "/tzgg/", "", "通知公告", tz, N(tz), NULL);

    /* 政策文件 (180): the latest item is on the second page; stale (195 days) */
    const struct it zc[] = { { "201501/t20150101_1.html", "老文件", "2015-01-01", true },
                             { "201803/t20180301_2.html", "文件二", "2018-03-01" },
                             { "201802/t20180201_3.html", "文件三", "2018-02-01" } };
    const struct it zcf[] = { { "201811/t20181128_9.html", "新文件", "2018-11-28" } };
    if (fixed)
        list(f, "/zcwj/", "", "政策文件", zcf, N(zcf), NULL);
    else
        list(f, "/zcwj/", "", "政策文件", zc, N(zc), "index_1.html");
    const struct it zc1[] = { { "201805/t20180520_4.html", "文件四", "2018-05-20" },
                              { "201801/t20180110_5.html", "文件五", "2018-01-10" } };
    list(f, "/zcwj/", "index_1.html", "政策文件", zc1, N(zc1), NULL);

    /* 人事 (365): quiet for 18 months, exempt */
    const struct it rs[] = { { "201706/t20170601_1.html", "任免一", "2017-06-01" } };
    list(f, "/rs/", "", "人事", rs, N(rs), NULL);

    /* 规划计划: blank */
    page(f, "/ghjh/", "规划计划", "<ul class=list></ul><p>暂无信息</p>");

    /* 工作动态 (14): entries without a visible date */
    page(
        f, "/gzdt/", "工作动态",
        "<ul class=list><li><a href=a1.html>动态一</a></li><li><a href=a2.html>动态二</a></li></ul>");
    page(f, "/gzdt/a1.html", "工作动态 &gt; 正文", "<h1>动态一</h1><p>内容一。</p>");
    page(f, "/gzdt/a2.html", "工作动态 &gt; 正文", "<h1>动态二</h1><p>内容二。</p>");

    /* 医疗服务信息概况: required items, one of three given */
    const struct it yl[] = { { "201806/t20180601_1.html", "医疗服务概况", "2018-06-01",
                               .text = "全市共有床位3000张。" } };
    list(f, "/ylfw/", "", "医疗服务信息概况", yl, N(yl), NULL);

    /* 办事服务 (not checked for freshness): bad links in an article */
    const struct it bs[] = { { "201811/t20181101_1.html", "办事指南", "2018-11-01",
                               .noart = true } };
    list(f, "/bsfw/", "", "办事服务", bs, N(bs), NULL);
    page(f, "/bsfw/201811/t20181101_1.html", "办事服务 &gt; 正文",
         "<h1>办事指南</h1><div class=info>发布时间：2018-11-01 09:00</div>"
         "<a href=http://www.gdbs.test/portal/item1>在线办理</a> "
         "<a href=/files/missing.doc>表格下载</a> <a href=http://gone.invalid/x>旧系统</a> "
         "<a href=/waf.html>查询</a>");
    fixture_http_route(f, &(struct fx_route){ .host = HOST,
                                              .path = "/waf.html",
                                              .status = 412,
                                              .body = "<html>请稍候，安全检查中</html>" });

    /* 互动交流: the message list */
    const struct it hd[] = { { "201811/t20181105_1.html", "咨询一", "2018-11-05" } };
    list(f, "/hdjl/", "", "互动交流", hd, N(hd), NULL);

    /* a list page no column names: proposed (its pagination is not another column) */
    const struct it gs[] = {
        { "201811/t20181101_1.html", "公示一", "2018-11-01" },
        { "201810/t20181001_2.html", "公示二", "2018-10-01" },
        { "201809/t20180901_3.html", "公示三", "2018-09-01" },
        { "201808/t20180801_4.html", "公示四", "2018-08-01" },
        { "201807/t20180701_5.html", "公示五", "2018-07-01" },
        { "201806/t20180601_6.html", "公示六", "2018-06-01" },
    };
    list(f, "/zwgk/tzgs/", "", "政务公开 &gt; 通知公示", gs, N(gs), "index_1.html");
    const struct it gs1[] = {
        { "201805/t20180501_7.html", "公示七", "2018-05-01" },
        { "201804/t20180401_8.html", "公示八", "2018-04-01" },
        { "201803/t20180301_9.html", "公示九", "2018-03-01" },
        { "201802/t20180201_10.html", "公示十", "2018-02-01" },
        { "201801/t20180101_11.html", "公示十一", "2018-01-01" },
    };
    list(f, "/zwgk/tzgs/", "index_1.html", "政务公开 &gt; 通知公示", gs1, N(gs1), NULL);
}

static const char units_csv[] = "name,short_name,kind\n"
                                "测试市人民政府办公室,市政府办,office\n"
                                "测试市卫生健康局,市卫健局,department\n";
static const char columns_csv[] =
    "site,path,url,unit,class,freshness_days,required_items\n"
    "测试市人民政府,新闻>要闻,http://www.c.test/xw/yw/,市政府办,动态要闻,,\n"
    "测试市人民政府,通知公告,http://www.c.test/tzgg/,市政府办,通知公告,,\n"
    "测试市人民政府,政策文件,http://www.c.test/zcwj/,市政府办,政策文件,,\n"
    "测试市人民政府,人事,http://www.c.test/rs/,市政府办,人事,,\n"
    "测试市人民政府,规划计划,http://www.c.test/ghjh/,市政府办,规划计划,,\n"
    "测试市人民政府,工作动态,http://www.c.test/gzdt/,市政府办,动态要闻,,\n"
    "测试市人民政府,医疗服务信息概况,http://www.c.test/ylfw/,市卫健局,概况,,"
    "床位数|床位;医护人员数|医护人员;医疗费用概况|医疗费用\n"
    "测试市人民政府,办事服务,http://www.c.test/bsfw/,市政府办,办事服务,,\n"
    "测试市人民政府,互动交流,http://www.c.test/hdjl/,市政府办,互动交流,,\n";

struct world {
    struct fixture_http *f;
    struct store *db;
    struct crawl_opts o;
    int64_t site;
};

static void world_opts(struct world *w)
{
    t_crawl_opts(&w->o, fixture_http_port(w->f));
    w->o.retries = 0;
}

static void serve(struct world *w, bool fixed)
{
    if (w->f) {
        fixture_http_stop(w->f);
        crawl_opts_release(&w->o);
    }
    w->f = fixture_http_start();
    ASSERT_NOT_NULL(w->f);
    build(w->f, fixed);
    world_opts(w);
}

static int64_t crawl(struct world *w)
{
    struct crawl_stats st;
    struct err e = { 0 };
    ASSERT_OK(crawl_run(w->db, &w->site, 1, &w->o, t_clk(), &st, &e), &e);
    ASSERT_EQ_STR(st.state, "complete");
    return st.run_id;
}

static void world_start(struct world *w, int b)
{
    memset(w, 0, sizeof(*w));
    serve(w, false);
    w->db = t_open(b);
    struct err e = { 0 };
    struct reg_import_result r;
    struct notes bad = NOTES_INIT;
    ASSERT_OK(reg_import_mem(w->db, REG_UNITS, "units.csv", units_csv, strlen(units_csv), t_clk(),
                             &r, &bad, &e),
              &e);
    struct reg_site_new s = { .name = "测试市人民政府", .url = HOME, .unit = "市政府办" };
    ASSERT_OK(reg_site_add(w->db, &s, t_clk(), &w->site, &e), &e);
    ASSERT_OK(reg_import_mem(w->db, REG_COLUMNS, "columns.csv", columns_csv, strlen(columns_csv),
                             t_clk(), &r, &bad, &e),
              &e);
    notes_release(&bad);
    ASSERT_OK(retired_add(w->db, t_clk(), "www.gdbs.test", "原网上办事大厅", "tester", NULL, &e),
              &e);
}

static void world_stop(struct world *w)
{
    crawl_opts_release(&w->o);
    t_close(w->db);
    fixture_http_stop(w->f);
}

static int64_t column(struct store *db, const char *path)
{
    int64_t id = 0;
    store_get_int(db, &id, NULL, "SELECT id FROM site_columns WHERE path = ?", "t", path);
    return id;
}

/* The expected open findings: kind, column path (NULL = none), subject, value (−1 none). */
struct want {
    const char *kind, *column, *subject;
    int64_t value;
};

struct seen {
    const struct want *w;
    size_t n;
    int *hits;
    int extra;
    char extra_desc[400];
};

static int on_row(const struct check_row *r, void *ctx)
{
    struct seen *s = ctx;
    for (size_t i = 0; i < s->n; i++) {
        const struct want *w = &s->w[i];
        if (!strcmp(w->kind, r->kind) && !strcmp(w->subject, r->subject) &&
            (w->column ? r->column && !strcmp(w->column, r->column) : !r->column) &&
            (w->value < 0 ? !r->has_value : r->has_value && r->value == w->value)) {
            s->hits[i]++;
            return 0;
        }
    }
    if (!s->extra++)
        snprintf(s->extra_desc, sizeof(s->extra_desc), "%s %s %s %lld", r->kind,
                 r->column ? r->column : "-", r->subject,
                 (long long)(r->has_value ? r->value : -1));
    return 0;
}

/* The site's open findings are exactly `want`. */
static void expect_open(struct store *db, int64_t site, const struct want *want, size_t n)
{
    int hits[32] = { 0 };
    struct seen s = { want, n, hits, 0, "" };
    struct err e = { 0 };
    struct check_query q = { .site_id = site, .state = "open" };
    ASSERT_OK(check_findings_each(db, &q, on_row, &s, &e), &e);
    if (s.extra)
        t_fail(__FILE__, __LINE__, "%d unexpected finding(s), the first: %s", s.extra,
               s.extra_desc);
    for (size_t i = 0; i < n; i++)
        if (hits[i] != 1)
            t_fail(__FILE__, __LINE__, "finding %s %s %s seen %d times", want[i].kind,
                   want[i].column ? want[i].column : "-", want[i].subject, hits[i]);
}

static const struct want planted[] = {
    { "homepage-stale", NULL, HOME, 21 },
    { "column-stale", "政策文件", "政策文件", 195 },
    { "column-stale", "工作动态", "工作动态", -1 },
    { "column-blank", "规划计划", "规划计划", -1 },
    { "link-broken-home", NULL, "http://www.c.test/gone.html", 1 },
    { "link-broken", "办事服务", "http://www.c.test/files/missing.doc", 1 },
    { "link-retired", NULL, "http://www.gdbs.test/", 1 },
    { "link-retired", "办事服务", "http://www.gdbs.test/portal/item1", 1 },
    { "host-unresolved", "办事服务", "gone.invalid", 1 },
    { "required-missing", "医疗服务信息概况", "医护人员数", -1 },
    { "required-missing", "医疗服务信息概况", "医疗费用概况", -1 },
    { "wording", "新闻>要闻", "中国共产当", 1 },
    { "interaction-overdue", NULL, "ZX-2018-0001", 153 },
    { "interaction-no-reply", NULL, "互动交流", -1 },
};
#define NPLANTED (sizeof(planted) / sizeof(planted[0]))

/* Two consultations on the site: one unanswered since July (over 3 months), one in
 * November; no reply at all in the 2 months before the check. */
static void add_cases(struct store *db, int64_t site)
{
    struct err e = { 0 };
    struct case_ctx x;
    ASSERT_OK(case_ctx_init(&x, db, NULL, t_clk(), &e), &e);
    int64_t unit = 0;
    ASSERT_OK(reg_unit_lookup(db, "市政府办", &unit, &e), &e);
    const char *when[] = { "2018-07-01 10:00", "2018-11-05 10:00" };
    for (int i = 0; i < 2; i++) {
        struct case_new n = { .kind = CASE_CONSULTATION, .unit_id = unit, .site_id = site };
        struct clk ck = t_at(when[i]);
        n.received_at = clk_now(&ck);
        char *num = NULL;
        ASSERT_OK(case_add(&x, &n, &num, &e), &e);
        free(num);
    }
    case_ctx_release(&x);
}

/* The crawl-based check, then the interaction findings, as `govsite check` runs them. */
static void check_site(struct sitecheck *sc, int64_t site, int32_t day, struct sitecheck_result *res,
                       struct feed_check_tally *ft)
{
    struct err e = { 0 };
    ASSERT_OK(sitecheck_site(sc, site, day, res, &e), &e);
    memset(ft, 0, sizeof(*ft));
    ASSERT_OK(feed_interaction_check(sc->db, sc->clk, site, ft, &e), &e);
}

TEST(sitecheck_fixture_site)
{
    for (int b = 0; b < t_backends(); b++) {
        struct world w;
        world_start(&w, b);
        struct err e = { 0 };
        ASSERT_OK(check_exempt_add(w.db, t_clk(), column(w.db, "人事"), "本年度无人事任免", "主任",
                                   t_day("2019-06-30"), 366, NULL, &e),
                  &e);
        int64_t run = crawl(&w);
        struct sitecheck sc;
        ASSERT_OK(sitecheck_open(&sc, w.db, t_clk(), NULL, &e), &e);
        add_cases(w.db, w.site);
        int32_t day = t_day("2018-12-01");

        /* columns: latest and stale as of the day */
        struct sc_column *cols;
        size_t nc;
        ASSERT_OK(sitecheck_columns(w.db, w.site, 0, day, &cols, &nc, &e), &e);
        ASSERT_EQ_INT(nc, 9);
        static const struct {
            const char *path, *latest;
            bool stale, blank, exempt;
            int64_t future;
        } cw[] = {
            { "互动交流", "2018-11-05", false, false, false, 0 },
            { "人事", "2017-06-01", false, false, true, 0 },
            { "办事服务", "2018-11-01", false, false, false, 0 },
            { "医疗服务信息概况", "2018-06-01", false, false, false, 0 },
            { "工作动态", NULL, true, false, false, 0 },
            { "政策文件", "2018-05-20", true, false, false, 0 },
            { "新闻>要闻", "2018-11-20", false, false, false, 2 },
            { "规划计划", NULL, false, true, false, 0 },
            { "通知公告", "2018-09-29", false, false, false, 0 },
        };
        for (size_t i = 0; i < nc; i++) {
            ASSERT_EQ_STR(cols[i].path, cw[i].path);
            char d[11] = "";
            if (cols[i].latest != DATE_NONE)
                date_fmt(cols[i].latest, d);
            ASSERT_EQ_STR(d, cw[i].latest ? cw[i].latest : "");
            ASSERT_EQ_INT(cols[i].stale, cw[i].stale);
            ASSERT_EQ_INT(cols[i].blank, cw[i].blank);
            ASSERT_EQ_INT(cols[i].exempt, cw[i].exempt);
            ASSERT_EQ_INT(cols[i].future, cw[i].future); /* the list row and the article */
            ASSERT(cols[i].crawled);
        }
        sitecheck_columns_free(cols, nc);

        /* as of an earlier day: the 20 November item is in the future, nothing stale */
        ASSERT_OK(sitecheck_columns(w.db, w.site, run, t_day("2018-11-15"), &cols, &nc, &e), &e);
        ASSERT_EQ_STR(cols[6].path, "新闻>要闻");
        ASSERT_EQ_INT(cols[6].latest, t_day("2018-11-10"));
        ASSERT_EQ_INT(cols[6].days, 5);
        ASSERT_FALSE(cols[5].stale); /* 政策文件: 179 days */
        ASSERT_EQ_INT(cols[5].days, 179);
        sitecheck_columns_free(cols, nc);

        /* the whole check: exactly the planted problems */
        struct sitecheck_result res;
        struct feed_check_tally ft;
        check_site(&sc, w.site, day, &res, &ft);
        ASSERT_EQ_INT(ft.opened, 2);
        ASSERT_EQ_INT(res.run_id, run);
        ASSERT(res.complete);
        ASSERT_EQ_INT(res.proposed, 1);
        for (int p = 0; p < SC_NPROD; p++)
            ASSERT(res.ran[p]);
        bool future_noted = false;
        for (size_t i = 0; i < res.notes.n; i++)
            future_noted = future_noted || (strstr(res.notes.v[i], "新闻>要闻") &&
                                            strstr(res.notes.v[i], "2019-01-05"));
        ASSERT(future_noted);
        sitecheck_result_release(&res);
        expect_open(w.db, w.site, planted, NPLANTED);

        /* the proposal: path from the breadcrumb, class from the name, one URL */
        char *cls = NULL, *state = NULL;
        ASSERT_OK(store_get_text(w.db, &cls, &e,
                                 "SELECT class FROM site_columns WHERE path = '政务公开>通知公示'",
                                 ""),
                  &e);
        ASSERT_EQ_STR(cls, "通知公告");
        free(cls);
        int64_t nurls = 0;
        ASSERT_OK(store_get_int(w.db, &nurls, &e,
                                "SELECT COUNT(*) FROM column_urls cu JOIN site_columns c ON c.id = "
                                "cu.column_id WHERE c.path = '政务公开>通知公示'",
                                ""),
                  &e);
        ASSERT_EQ_INT(nurls, 1);

        /* the verdict: the serious wording error, the stale homepage and the unanswered
         * message veto */
        struct check_profile *p;
        ASSERT_OK(check_profile_load(CHECK_PROFILE_DEFAULT, &p, &e), &e);
        struct check_facts f;
        struct check_verdict v;
        ASSERT_OK(check_verdict_run(w.db, t_clk(), w.site, day, p, true, &f, &v, &e), &e);
        ASSERT_FALSE(v.pass);
        ASSERT_EQ_INT(check_facts_get(&f, "homepage_stale")->value, 1);
        ASSERT_EQ_INT(check_facts_get(&f, "serious_wording")->value, 1);
        ASSERT_EQ_INT(check_facts_get(&f, "interaction_overdue")->value, 1);
        ASSERT_EQ_INT(check_facts_get(&f, "blank_columns")->value, 1);
        ASSERT_EQ_INT(check_facts_get(&f, "broken_links_home")->value, 1);
        check_verdict_release(&v);
        check_facts_release(&f);
        check_profile_free(p);

        /* again on the same crawl: nothing new, nothing duplicated */
        check_site(&sc, w.site, day, &res, &ft);
        int opened = ft.opened + ft.resolved;
        for (int k = 0; k < SC_NPROD; k++)
            opened += res.tally[k].opened + res.tally[k].resolved;
        ASSERT_EQ_INT(opened, 0);
        ASSERT_EQ_INT(res.proposed, 0);
        sitecheck_result_release(&res);
        expect_open(w.db, w.site, planted, NPLANTED);

        /* dismiss the host finding; accept the proposal; fix the site; re-crawl */
        int64_t host_id = 0;
        ASSERT_OK(store_get_int(w.db, &host_id, &e,
                                "SELECT id FROM findings WHERE kind = 'host-unresolved'", ""),
                  &e);
        ASSERT_OK(check_finding_dismiss(w.db, t_clk(), host_id, "旧系统仅内网可用", "tester", &e),
                  &e);
        ASSERT_OK(
            sitecheck_column_accept(w.db, t_clk(), column(w.db, "政务公开>通知公示"), NULL, 0, &e),
            &e);
        serve(&w, true);
        crawl(&w);
        check_site(&sc, w.site, day, &res, &ft);
        ASSERT_EQ_INT(res.tally[SC_FRESHNESS].resolved, 2); /* homepage, 政策文件 */
        ASSERT_EQ_INT(res.tally[SC_LINKS].resolved, 1);     /* gone.html */
        ASSERT_EQ_INT(res.tally[SC_LINKS].dismissed_seen, 1);
        sitecheck_result_release(&res);
        static const struct want after[] = {
            { "column-stale", "工作动态", "工作动态", -1 },
            { "column-blank", "规划计划", "规划计划", -1 },
            { "link-broken", "办事服务", "http://www.c.test/files/missing.doc", 1 },
            { "link-retired", NULL, "http://www.gdbs.test/", 1 },
            { "link-retired", "办事服务", "http://www.gdbs.test/portal/item1", 1 },
            { "required-missing", "医疗服务信息概况", "医护人员数", -1 },
            { "required-missing", "医疗服务信息概况", "医疗费用概况", -1 },
            { "wording", "新闻>要闻", "中国共产当", 1 },
            { "interaction-overdue", NULL, "ZX-2018-0001", 153 },
            { "interaction-no-reply", NULL, "互动交流", -1 },
        };
        expect_open(w.db, w.site, after, sizeof(after) / sizeof(after[0]));
        ASSERT_OK(store_get_text(w.db, &state, &e, "SELECT state FROM findings WHERE id = ?", "i",
                                 host_id),
                  &e);
        ASSERT_EQ_STR(state, "dismissed");
        free(state);
        int64_t resolved = 0;
        ASSERT_OK(
            store_get_int(w.db, &resolved, &e,
                          "SELECT COUNT(*) FROM findings WHERE state = 'resolved' AND kind IN "
                          "('homepage-stale', 'column-stale', 'link-broken-home')",
                          ""),
            &e);
        ASSERT_EQ_INT(resolved, 3);
        sitecheck_close(&sc);
        world_stop(&w);
    }
}

/* ---- publication counts -------------------------------------------------------------- */

TEST(pub_crawl_and_cms_export)
{
    for (int b = 0; b < t_backends(); b++) {
        struct world w;
        world_start(&w, b);
        struct err e = { 0 };
        int64_t run = crawl(&w);
        int64_t n = 0;
        ASSERT_OK(pub_refresh_crawl(w.db, t_clk(), w.site, run, t_day("2018-12-01"), &n, &e), &e);
        /* dated articles on or before the day: 要闻 6, 通知 3, 政策 5, 人事 1, 医疗 1,
         * 办事 1, 互动 1, 公示 11 */
        ASSERT_EQ_INT(n, 29);
        int32_t nov = t_day("2018-11-15");
        int64_t total = 0;
        ASSERT_OK(pub_month_total(w.db, nov, &total, &e), &e);
        ASSERT_EQ_INT(total, 6); /* 要闻 3, 办事, 互动, 公示 */

        /* a CMS export: bad rows are named by line and nothing is written */
        static const char bad_csv[] =
            "url,title,unit,column,published\n"
            "http://www.c.test/xw/yw/201811/t20181120_3.html,要闻三,市卫健局,,2018-11-20 10:00\n"
            "http://www.c.test/x/1.html,无单位,,,2018-11-02\n"
            "http://www.c.test/x/2.html,坏日期,市卫健局,,2018-11-31\n"
            "http://www.c.test/x/3.html,坏栏目,,不存在的栏目,2018-11-03\n"
            "not a url,标题,市卫健局,,2018-11-03\n";
        struct reg_import_result r;
        struct notes bad = NOTES_INIT;
        ASSERT_RC(pub_import_mem(w.db, t_clk(), "cms.csv", bad_csv, strlen(bad_csv), &r, &bad, &e),
                  RC_INVALID);
        ASSERT_EQ_INT(bad.total, 4);
        ASSERT_CONTAINS(bad.v[0], "cms.csv:3:");
        ASSERT_CONTAINS(bad.v[1], "cms.csv:4:");
        ASSERT_CONTAINS(bad.v[2], "cms.csv:5:");
        ASSERT_CONTAINS(bad.v[3], "cms.csv:6:");
        notes_release(&bad);
        ASSERT_OK(pub_month_total(w.db, nov, &total, &e), &e);
        ASSERT_EQ_INT(total, 6);

        static const char good_csv[] =
            "url,title,unit,column,published\n"
            "http://www.c.test/xw/yw/201811/t20181120_3.html,要闻三,市卫健局,,2018-11-20 10:00\n"
            "http://www.c.test/ylfw/201811/t20181130_2.html,医疗二,,医疗服务信息概况,2018-11-30\n"
            "http://www.c.test/x/old.html,十月,市政府办,,2018-10-31 23:59\n";
        memset(&e, 0, sizeof(e));
        ASSERT_OK(
            pub_import_mem(w.db, t_clk(), "cms.csv", good_csv, strlen(good_csv), &r, &bad, &e), &e);
        ASSERT_EQ_INT(r.rows, 3);
        ASSERT_EQ_INT(r.inserted, 2);
        ASSERT_EQ_INT(r.updated, 1);
        /* idempotent */
        ASSERT_OK(
            pub_import_mem(w.db, t_clk(), "cms.csv", good_csv, strlen(good_csv), &r, &bad, &e), &e);
        ASSERT_EQ_INT(r.unchanged, 3);
        /* the crawl does not overwrite the export */
        ASSERT_OK(pub_refresh_crawl(w.db, t_clk(), w.site, run, t_day("2018-12-01"), &n, &e), &e);
        ASSERT_EQ_INT(n, 0);
        ASSERT_OK(pub_month_total(w.db, nov, &total, &e), &e);
        ASSERT_EQ_INT(total, 7);
        struct pub_unit_count *top;
        size_t nt;
        ASSERT_OK(pub_month_top_units(w.db, nov, 1, &top, &nt, &e), &e);
        ASSERT_EQ_INT(nt, 1);
        ASSERT_EQ_STR(top[0].unit, "市政府办"); /* 要闻 ×2, 办事, 互动, 公示 */
        ASSERT_EQ_INT(top[0].n, 5);
        pub_top_free(top, nt);
        ASSERT_OK(pub_month_top_units(w.db, nov, 5, &top, &nt, &e), &e);
        ASSERT_EQ_INT(nt, 2);
        ASSERT_EQ_STR(top[1].unit, "市卫健局"); /* the export's 要闻三 and 医疗二 */
        ASSERT_EQ_INT(top[1].n, 2);
        pub_top_free(top, nt);
        ASSERT_OK(pub_month_total(w.db, t_day("2018-10-01"), &total, &e), &e);
        ASSERT_EQ_INT(total, 3); /* 要闻四, 公示二, the export's old.html */
        world_stop(&w);
    }
}

TEST(retired_store_and_config)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *db = t_open(b);
        struct err e = { 0 };
        bool existed = true;
        ASSERT_OK(retired_add(db, t_clk(), "WWW.GDBS.GOV.CN", "原网上办事大厅", "u", &existed, &e),
                  &e);
        ASSERT_FALSE(existed);
        ASSERT_OK(retired_add(db, t_clk(), "www.gdbs.gov.cn", NULL, "u", &existed, &e), &e);
        ASSERT(existed);
        ASSERT_RC(retired_add(db, t_clk(), "not a host", NULL, "u", NULL, &e), RC_INVALID);
        struct conf c;
        conf_init(&c);
        conf_set(&c, "checks", "retired", "old.example.cn, http://www.x.cn/old/;bad host");
        struct retired_set s;
        memset(&e, 0, sizeof(e));
        ASSERT_OK(retired_load(db, &c, &s, &e), &e);
        ASSERT_EQ_INT(s.nhosts, 2);
        ASSERT_EQ_INT(s.nprefixes, 1);
        ASSERT_NOT_NULL(retired_match(&s, "http://a.old.example.cn/"));
        retired_release(&s);
        ASSERT_RC(retired_remove(db, &c, "old.example.cn", &e), RC_NOTFOUND);
        ASSERT_CONTAINS(e.msg, "configuration");
        memset(&e, 0, sizeof(e));
        ASSERT_OK(retired_remove(db, &c, "www.gdbs.gov.cn", &e), &e);
        ASSERT_RC(retired_remove(db, &c, "www.gdbs.gov.cn", &e), RC_NOTFOUND);
        conf_release(&c);
        t_close(db);
    }
}
