/* test_crawl.c - the crawler: date finding, HTML extraction, robots.txt, scope and traps,
 * outcome classification, and whole crawls against the fixture HTTP server (misbehaving
 * routes, politeness, robots, redirects, conditional re-crawls, interrupted and killed
 * crawls resumed), on every backend. */
#include <iconv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/notes.h"
#include "core/url.h"
#include "crawl/crawl.h"
#include "crawl/crawl_int.h"
#include "fixture_http.h"
#include "tcrawl.h"
#include "reg/reg.h"
#include "test.h"
#include "tstore.h"

/* ------------------------------------------------------------------ dates --- */

static int32_t ymd(int y, int m, int d)
{
    return date_from_ymd(y, m, d);
}

TEST(dates_find_forms)
{
    static const struct {
        const char *text;
        int y, m, d; /* 0: no date */
    } cases[] = {
        { "发布时间：2018-11-30 09:12", 2018, 11, 30 },
        { "2018年11月30日", 2018, 11, 30 },
        { "2018 年 1 月 5 日", 2018, 1, 5 },
        { "[2018/11/30]", 2018, 11, 30 },
        { "(2018.11.30)", 2018, 11, 30 },
        { "２０１８－１１－３０", 2018, 11, 30 },
        { "日期 2018-2-3 10:00:01 来源", 2018, 2, 3 },
        { "截至2018年2月底，全市累计", 0, 0, 0 },
        { "t20181130_123.html", 0, 0, 0 },
        { "12018-11-301", 0, 0, 0 },
        { "2018-13-01", 0, 0, 0 },
        { "2018-02-30", 0, 0, 0 },
        { "版本 2018.11.30.2", 0, 0, 0 },
        { "同比增长35.9%", 0, 0, 0 },
        { "", 0, 0, 0 },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct html_date h;
        bool ok = html_date_find(cases[i].text, strlen(cases[i].text), &h);
        if (!cases[i].y) {
            if (ok)
                t_fail(__FILE__, __LINE__, "'%s' gave a date", cases[i].text);
            continue;
        }
        if (!ok || h.day != ymd(cases[i].y, cases[i].m, cases[i].d))
            t_fail(__FILE__, __LINE__, "'%s': no or wrong date", cases[i].text);
    }
}

TEST(dates_labels_split_month_day_url)
{
    struct html_date h;
    /* the labelled date wins over body dates before it */
    const char *t1 = "会议于2018年10月1日召开\n发布时间：2018-11-30\n正文";
    ASSERT(html_date_labelled(t1, strlen(t1), HTML_LABEL_STRONG, &h));
    ASSERT_EQ_INT(h.day, ymd(2018, 11, 30));
    /* weak labels only on an information line unless asked */
    const char *t2 = "报名时间：2024年3月7日\n来源：本网 时间：2024年3月1日";
    ASSERT(html_date_labelled(t2, strlen(t2), HTML_LABEL_INFO, &h));
    ASSERT_EQ_INT(h.day, ymd(2024, 3, 1));
    ASSERT(html_date_labelled(t2, strlen(t2), HTML_LABEL_WEAK, &h));
    ASSERT_EQ_INT(h.day, ymd(2024, 3, 7));
    ASSERT_FALSE(html_date_labelled(t2, strlen(t2), HTML_LABEL_STRONG, &h));
    int32_t d;
    ASSERT(html_date_split("24 2025-06", 10, &d));
    ASSERT_EQ_INT(d, ymd(2025, 6, 24));
    ASSERT(html_date_split("2018年11月 30", strlen("2018年11月 30"), &d));
    ASSERT_EQ_INT(d, ymd(2018, 11, 30));
    ASSERT_FALSE(html_date_split("2018-11-30", 10, &d));
    ASSERT_FALSE(html_date_split("35.9% 2018-11", 13, &d));
    int m, dd;
    ASSERT(html_date_month_day("[06-30]", 7, &m, &dd));
    ASSERT_EQ_INT(m, 6);
    ASSERT_EQ_INT(dd, 30);
    ASSERT(html_date_from_url("http://a.test/xw/201811/t20181130_12.html", &d));
    ASSERT_EQ_INT(d, ymd(2018, 11, 30));
    ASSERT(html_date_from_url("http://a.test/art/2018/11/30/art_1.html", &d));
    ASSERT_EQ_INT(d, ymd(2018, 11, 30));
    ASSERT_FALSE(html_date_from_url("http://a.test/xw/t20181331_1.html", &d));
    ASSERT(html_date_parse(" 2018-11-30 12:37 ", 18, &d));
    ASSERT_EQ_INT(d, ymd(2018, 11, 30));
    ASSERT_FALSE(html_date_parse("abc", 3, &d));
}

/* ------------------------------------------------------------- extraction --- */

static void extract(struct arena *a, const char *html, const char *url, struct html_page *p)
{
    html_extract(a, html, strlen(html), url, NULL, 0, p);
}

static const struct html_link *link_to(const struct html_page *p, const char *url)
{
    for (size_t i = 0; i < p->nlinks; i++)
        if (p->links[i].url && !strcmp(p->links[i].url, url))
            return &p->links[i];
    return NULL;
}

TEST(extract_article)
{
    static const char html[] =
        "<html><head><meta charset=utf-8><title>关于开展检查的通知_示范市人民政府</title>"
        "<meta name=\"SiteName\" content=\"示范市人民政府\"><meta name=SiteIDCode "
        "content=4404990001><meta name=ColumnName content=通知公告><meta name=ArticleTitle "
        "content=\"关于开展检查的通知\"><meta name=PubDate content=\"2018-11-29 10:00\">"
        "<meta name=ContentSource content=市政府办公室>"
        "<link rel=canonical href=\"/tzgg/201811/t20181130_1.html\"><link rel=stylesheet "
        "href=/css/a.css><script src=/js/a.js></script><style>p{}</style></head><body>"
        "<div class=crumb>当前位置：<a href=/>首页</a> &gt; <a href=/zwgk/>政务公开</a> &gt; "
        "<a href=./>通知公告</a> &gt; 正文</div>"
        "<h1>关于开展检查的通知</h1><div class=info>发布时间：2018-11-30 09:00 来源：市政府办公室"
        "</div><div class=content><p>2017年12月1日起施行的办法，截至2018年2月底完成。</p>"
        "<img src=\"../img/a.png\" alt=图><a href=\"/a?x=1&amp;y=2#frag\">查询</a>"
        "<a href=\"mailto:a@b.test\">邮件</a><a href=\"javascript:void(0)\">打印</a>"
        "<a href=\"#top\">顶部</a><iframe src=\"/frame.html\"></iframe>"
        "<script>var x = '<a href=/not-a-link>';</script></div>"
        "<div class=footer>网站标识码：4404990001</div></body></html>";
    struct arena *a = t_arena();
    struct html_page p;
    extract(a, html, "http://www.shifan.test/tzgg/201811/t20181130_1.html", &p);
    ASSERT_EQ_STR(p.title, "关于开展检查的通知_示范市人民政府");
    ASSERT_EQ_STR(p.site_name, "示范市人民政府");
    ASSERT_EQ_STR(p.site_code, "4404990001");
    ASSERT_EQ_STR(p.column_name, "通知公告");
    ASSERT_EQ_STR(p.article_title, "关于开展检查的通知");
    ASSERT_EQ_STR(p.pub_date, "2018-11-29 10:00");
    ASSERT_EQ_STR(p.content_source, "市政府办公室");
    ASSERT_EQ_STR(p.breadcrumb, "首页>政务公开>通知公告");
    /* the visible label beats the meta tag and the body's own dates */
    ASSERT_EQ_INT(p.date, ymd(2018, 11, 30));
    ASSERT_EQ_INT(p.date_src, HTML_DATE_LABEL);
    ASSERT(p.is_article);
    ASSERT_FALSE(p.is_list);
    ASSERT_EQ_STR(p.canonical, "http://www.shifan.test/tzgg/201811/t20181130_1.html");
    ASSERT_NOT_NULL(link_to(&p, "http://www.shifan.test/a?x=1&y=2"));
    ASSERT_NOT_NULL(link_to(&p, "http://www.shifan.test/tzgg/img/a.png"));
    ASSERT_EQ_STR(link_to(&p, "http://www.shifan.test/tzgg/img/a.png")->tag, "img");
    ASSERT_EQ_STR(link_to(&p, "http://www.shifan.test/frame.html")->tag, "iframe");
    ASSERT_EQ_STR(link_to(&p, "http://www.shifan.test/js/a.js")->tag, "script");
    ASSERT_EQ_STR(link_to(&p, "http://www.shifan.test/css/a.css")->tag, "link");
    ASSERT_NULL(link_to(&p, "http://www.shifan.test/not-a-link"));
    ASSERT_EQ_STR(link_to(&p, "http://www.shifan.test/a?x=1&y=2")->text, "查询");
    ASSERT_CONTAINS(p.text, "2017年12月1日起施行的办法");
    ASSERT_NOT_CONTAINS(p.text, "p{}");
    ASSERT_NOT_CONTAINS(p.text, "var x");
    /* mailto and javascript links are kept without a URL; #top is not a link */
    size_t nohttp = 0;
    for (size_t i = 0; i < p.nlinks; i++)
        nohttp += p.links[i].url == NULL;
    ASSERT_EQ_INT(nohttp, 2);
}

TEST(extract_list_pages)
{
    /* pinned older items, dates in several forms, the split day / year-month layout,
     * pagination by link text, by file name and by TRS's createPageHTML() */
    static const char html[] =
        "<html><head><title>通知公告</title></head><body>"
        "<div class=position>您的位置：首页 » 通知公告</div>"
        "<ul class=side><li><a href=/x/1.html>热点一</a><span>2025-01-01</span></li></ul>"
        "<ul class=list>"
        "<li class=top><a href=201001/t20100101_1.html>置顶：老通知</a><span>2010-01-01</span></li>"
        "<li><a href=201811/t20181130_2.html>通知二</a><span class=date>[2018-11-30]</span></li>"
        "<li><a href=201811/t20181101_3.html>通知三</a><span>2018年11月1日</span></li>"
        "<li><div class=date><span>24</span><span>2018-10</span></div>"
        "<a href=201810/t20181024_4.html>通知四</a></li>"
        "<li><a href=201809/t20180901_5.html>通知五</a><em>2018/09/01</em></li>"
        "</ul><div class=page><a href=index_1.html>2</a> <a href=index_1.html>下一页</a></div>"
        "<script>createPageHTML(5, 0, \"index\", \"html\");</script>"
        "</body></html>";
    struct arena *a = t_arena();
    struct html_page p;
    extract(a, html, "http://www.shifan.test/tzgg/", &p);
    ASSERT(p.is_list);
    ASSERT_FALSE(p.is_article);
    ASSERT_EQ_INT(p.nmain, 5);
    ASSERT_EQ_INT(p.latest, ymd(2018, 11, 30)); /* not the pinned first row, not the side list */
    ASSERT_EQ_INT(p.latest_any, ymd(2025, 1, 1));
    ASSERT(p.items[0].pinned);
    ASSERT_EQ_INT(p.items[0].day, ymd(2010, 1, 1));
    ASSERT_EQ_INT(p.items[3].day, ymd(2018, 10, 24));
    ASSERT_EQ_STR(p.items[3].url, "http://www.shifan.test/tzgg/201810/t20181024_4.html");
    ASSERT_FALSE(p.items[5].main);
    ASSERT_EQ_STR(p.next_page, "http://www.shifan.test/tzgg/index_1.html");
    ASSERT_EQ_STR(p.breadcrumb, "首页>通知公告");
    const struct html_link *l = link_to(&p, "http://www.shifan.test/tzgg/index_4.html");
    ASSERT_NOT_NULL(l);
    ASSERT(l->pagination);
    ASSERT_EQ_STR(l->tag, "script");
    ASSERT(link_to(&p, "http://www.shifan.test/tzgg/index_1.html")->pagination);
    ASSERT_FALSE(link_to(&p, "http://www.shifan.test/tzgg/201811/t20181130_2.html")->pagination);
}

TEST(extract_base_refresh_robots_and_home_dates)
{
    static const char html[] =
        "<html><head><base href=\"http://cdn.shifan.test/root/\">"
        "<meta http-equiv=refresh content=\"0; url='next.html'\">"
        "<meta name=robots content=\"noindex, nofollow\"></head><body>"
        "<ul><li><a href=\"xw/202506/t20250630_9.html\">要闻</a><span>06-30</span></li>"
        "<li><a href=\"xw/202506/t20250629_8.html\">要闻二</a><span>06-28</span></li></ul>"
        "<area href=map.html><embed src=a.swf><video><source src=v.mp4></video>"
        "</body></html>";
    struct arena *a = t_arena();
    struct html_page p;
    extract(a, html, "http://www.shifan.test/index.html", &p);
    ASSERT_EQ_STR(p.base, "http://cdn.shifan.test/root/");
    ASSERT_EQ_STR(link_to(&p, "http://cdn.shifan.test/root/next.html")->tag, "meta");
    ASSERT_EQ_STR(link_to(&p, "http://cdn.shifan.test/root/map.html")->tag, "area");
    ASSERT_EQ_STR(link_to(&p, "http://cdn.shifan.test/root/a.swf")->tag, "embed");
    ASSERT_EQ_STR(link_to(&p, "http://cdn.shifan.test/root/v.mp4")->tag, "source");
    ASSERT(p.nofollow);
    ASSERT(p.noindex);
    /* "06-30" next to t20250630: the URL gives the year; "06-28" disagrees with t20250629 */
    ASSERT_EQ_INT(p.nitems, 1);
    ASSERT_EQ_INT(p.items[0].day, ymd(2025, 6, 30));
}

TEST(extract_hostile_input_never_crashes)
{
    struct arena *a = t_arena();
    struct html_page p;
    static const char *const inputs[] = {
        "", "<", "<html", "<a href=", "<a href='", "<<<<>>>>", "<script>", "<title>",
        "<!--", "<![CDATA[", "<a href=\"http://[::1\">x</a>", "\xff\xfe\xfd<a href=x>\xe4</a>",
        "<div><div><div><div><div><div><div><div><div><div><div><div><div><div><div><div>",
        "<li><a href=a>x</a>2018-11-30</li><li><a href=b>y</a>2018-11-31</li>",
        "<script>createPageHTML(999999999, 0, \"index\", \"html\");</script>",
        "<script>createPageHTML(3, 0, \"../../etc\", \"html\");</script>",
    };
    for (size_t i = 0; i < sizeof(inputs) / sizeof(inputs[0]); i++) {
        extract(a, inputs[i], "http://a.test/x/y.html", &p);
        ASSERT_NOT_NULL(p.text);
        arena_reset(a);
    }
    /* embedded NULs and a deep tree */
    struct buf b = BUF_INIT;
    for (int i = 0; i < 5000; i++)
        buf_adds(&b, "<div><span>");
    buf_add(&b, "a\0b", 3);
    html_extract(a, b.p, b.n, "http://a.test/", NULL, 0, &p);
    ASSERT_NOT_NULL(p.text);
    buf_release(&b);
    /* the pagination script is capped */
    extract(a, inputs[14], "http://a.test/x/", &p);
    ASSERT(p.nlinks <= 500);
    extract(a, inputs[15], "http://a.test/x/", &p);
    ASSERT_EQ_INT(p.nlinks, 0);
}

TEST(extract_with_context_matches_without)
{
    /* the per-thread context (link cache, reused buffers and parser) changes nothing */
    static const char *const pages[] = {
        "<ul><li><a href=a/1.html>一</a> 2018-11-30</li><li><a href=../b.html>二</a> "
        "2018-11-29</li><li><a href=/c?d=1>三</a> 2018-11-28</li></ul>",
        "<title>T</title><p>发布日期：2018-01-02</p><a href=x/../y.html>y</a>",
    };
    struct html_ctx *ctx = html_ctx_new(4);
    struct arena *a = t_arena();
    for (int round = 0; round < 3; round++)
        for (size_t i = 0; i < 2; i++) {
            struct html_page p1, p2;
            html_extract(a, pages[i], strlen(pages[i]), "http://a.test/d/e.html", NULL, 0, &p1);
            html_extract(a, pages[i], strlen(pages[i]), "http://a.test/d/e.html", ctx, 0, &p2);
            ASSERT_EQ_STR(p1.text, p2.text);
            ASSERT_EQ_INT(p1.nlinks, p2.nlinks);
            for (size_t k = 0; k < p1.nlinks; k++)
                ASSERT_EQ_STR(p1.links[k].url, p2.links[k].url);
            ASSERT_EQ_INT(p1.date, p2.date);
            ASSERT_EQ_INT(p1.nitems, p2.nitems);
        }
    html_ctx_free(ctx);
}

/* ----------------------------------------------------------------- robots --- */

TEST(robots_rules)
{
    static const char txt[] = "User-agent: *\nDisallow: /private/\nDisallow: /*.pdf$\n"
                              "Allow: /private/open/\nCrawl-delay: 2\n\n"
                              "User-agent: otherbot\nDisallow: /\n";
    struct robots *r = robots_parse(txt, strlen(txt), "govsite");
    ASSERT(robots_allowed(r, "/"));
    ASSERT_FALSE(robots_allowed(r, "/private/a.html"));
    ASSERT(robots_allowed(r, "/private/open/a.html"));
    ASSERT_FALSE(robots_allowed(r, "/files/a.pdf"));
    ASSERT(robots_allowed(r, "/files/a.pdf?x=1"));
    ASSERT_EQ_INT(robots_delay_ms(r), 2000);
    robots_free(r);
    /* our own group wins; a UTF-8 path matches its percent-encoded URL */
    static const char own[] = "User-agent: *\nDisallow: /\n\nUser-agent: GovSite/1.0\n"
                              "Disallow: /新闻/\n";
    r = robots_parse(own, strlen(own), "govsite");
    ASSERT(robots_allowed(r, "/zwgk/"));
    ASSERT_FALSE(robots_allowed(r, "/%E6%96%B0%E9%97%BB/a.html"));
    robots_free(r);
    r = robots_parse("garbage\n\xff\xfe", 9, "govsite");
    ASSERT(robots_allowed(r, "/anything"));
    robots_free(r);
    r = robots_disallow_all();
    ASSERT_FALSE(robots_allowed(r, "/"));
    robots_free(r);
}

/* ------------------------------------------------------- scope and traps --- */

TEST(frontier_scope_traps_sessions)
{
    struct crawl_opts o;
    crawl_opts_init(&o);
    crawl_opts_add(&o.exclude, &o.nexclude, "*/search/*");
    struct run r;
    memset(&r, 0, sizeof(r));
    r.o = &o;
    r.host = (char *)"www.a.test";
    r.prefix = (char *)"/portal/";
    ASSERT(frontier_in_scope(&r, "http://www.a.test/portal/x.html"));
    ASSERT(frontier_in_scope(&r, "https://www.a.test/portal/x.html"));
    ASSERT_FALSE(frontier_in_scope(&r, "http://www.a.test/other/x.html"));
    ASSERT_FALSE(frontier_in_scope(&r, "http://a.test/portal/x.html"));
    ASSERT_FALSE(frontier_in_scope(&r, "http://www.a.test:8080/portal/x.html"));
    ASSERT_FALSE(frontier_in_scope(&r, "http://www.a.test/portal/search/q.html"));
    /* calendar-like query spaces are cut after max_query_variants */
    o.max_query_variants = 3;
    const char *trap = NULL;
    for (int i = 0; i < 5 && !trap; i++) {
        char u[80];
        snprintf(u, sizeof(u), "http://www.a.test/portal/cal.html?month=%d", i);
        trap = frontier_trap(&r, u);
        if (i < 3)
            ASSERT_NULL(trap);
    }
    ASSERT_NOT_NULL(trap);
    ASSERT_NOT_NULL(frontier_trap(&r, "http://www.a.test/portal/a/b/a/b/a/b/x.html"));
    ASSERT_NULL(frontier_trap(&r, "http://www.a.test/portal/a/b/c.html"));
    map_release(&r.qvariants, NULL);
    char s1[] = "http://a.test/x.jsp;jsessionid=ABC123?id=5&PHPSESSID=zz&b=2";
    ASSERT(frontier_strip_session(s1));
    ASSERT_EQ_STR(s1, "http://a.test/x.jsp?id=5&b=2");
    char s2[] = "http://a.test/x?sid=1";
    ASSERT(frontier_strip_session(s2));
    ASSERT_EQ_STR(s2, "http://a.test/x");
    char s3[] = "http://a.test/x?side=1";
    ASSERT_FALSE(frontier_strip_session(s3));
    ASSERT(frontier_is_file("http://a.test/P020181130.PDF"));
    ASSERT(frontier_is_file("http://a.test/a/b.docx?x=1"));
    ASSERT_FALSE(frontier_is_file("http://a.test/a.b/index.shtml"));
    ASSERT_EQ_INT(frontier_port("http://a.test:8080/x"), 8080);
    ASSERT_EQ_INT(frontier_port("http://a.test/x:1"), 0);
    crawl_opts_release(&o);
}

/* -------------------------------------------------------------- outcomes --- */

TEST(fetch_outcomes)
{
    const char *why;
    ASSERT_EQ_INT(fetch_error_result(6 /* CURLE_COULDNT_RESOLVE_HOST */, &why), RES_DNS);
    ASSERT_EQ_STR(why, "dns");
    ASSERT_EQ_INT(fetch_error_result(28 /* CURLE_OPERATION_TIMEDOUT */, &why), RES_TIMEOUT);
    ASSERT_EQ_INT(fetch_error_result(7 /* CURLE_COULDNT_CONNECT */, &why), RES_ERROR);
    ASSERT_EQ_STR(why, "connect");
    ASSERT_EQ_INT(fetch_retry_after("5", 1000), 5);
    ASSERT_EQ_INT(fetch_retry_after("Thu, 01 Jan 1970 00:00:10 GMT", 4), 6);
    ASSERT_EQ_INT(fetch_retry_after("soon", 0), -1);
    struct job j;
    memset(&j, 0, sizeof(j));
    j.status = 412;
    ASSERT(fetch_is_waf(&j));
    j.status = 403;
    buf_adds(&j.body, "<html>403 Forbidden</html>");
    ASSERT_FALSE(fetch_is_waf(&j));
    buf_reset(&j.body);
    buf_adds(&j.body, "<html>您的访问请求可能对网站造成安全威胁</html>");
    ASSERT(fetch_is_waf(&j));
    j.status = 200;
    buf_reset(&j.body);
    buf_adds(&j.body, "<script>document.cookie='__jsl_clearance=1'</script>");
    ASSERT(fetch_is_waf(&j));
    j.status = 404;
    ASSERT_FALSE(fetch_is_waf(&j));
    j.status = 403;
    buf_reset(&j.body);
    j.waf_hints = fetch_header_hints("Server", 6, "yunjiasu-nginx", 14);
    ASSERT(fetch_is_waf(&j));
    buf_release(&j.body);
}

/* --------------------------------------------------------- whole crawls --- */

/* UTF-8 to GBK (the test pages of old CMSs). Caller frees. */
static char *to_gbk(const char *s, size_t *n)
{
    iconv_t cd = iconv_open("GBK", "UTF-8");
    size_t in = strlen(s), out = in * 2 + 16;
    char *buf = malloc(out), *ip = (char *)s, *op = buf;
    iconv(cd, &ip, &in, &op, &out);
    iconv_close(cd);
    *n = (size_t)(op - buf);
    return buf;
}

struct world {
    struct fixture_http *f;
    struct store *db;
    struct crawl_opts o;
    int64_t site;
};

static void world_opts(struct world *w)
{
    t_crawl_opts(&w->o, fixture_http_port(w->f));
}

static int64_t add_site(struct store *db, const char *name, const char *url)
{
    struct reg_site_new s = { .name = name, .url = url };
    int64_t id = 0;
    struct err e = { 0 };
    ASSERT_OK(reg_site_add(db, &s, t_clk(), &id, &e), &e);
    return id;
}

static int64_t q_int(struct store *db, const char *sql, int64_t a)
{
    int64_t v = -1;
    store_get_int(db, &v, NULL, sql, "i", a);
    return v;
}

static char *q_text(struct store *db, const char *sql, const char *a)
{
    char *v = NULL;
    store_get_text(db, &v, NULL, sql, "t", a);
    return v;
}

/* What a run stored about one page. */
struct pg {
    char *charset, *title, *latest, *breadcrumb, *text;
    int64_t items, mismatch;
};

static void load_page(struct store *db, int64_t run, const char *url, struct pg *p)
{
    memset(p, 0, sizeof(*p));
    struct stmt *st = store_q(db,
                              "SELECT p.charset, p.title, p.latest, p.breadcrumb, p.text, p.items, "
                              "p.charset_mismatch FROM crawl_pages p JOIN crawl_urls u ON u.id = "
                              "p.url_id WHERE p.run_id = ? AND u.url = ?",
                              "it", run, url);
    if (stmt_next(st)) {
        p->charset = stmt_dup(st, 0);
        p->title = stmt_dup(st, 1);
        p->latest = stmt_dup(st, 2);
        p->breadcrumb = stmt_dup(st, 3);
        p->text = stmt_dup(st, 4);
        p->items = stmt_int(st, 5);
        p->mismatch = stmt_int(st, 6);
    }
    stmt_done(st, NULL);
}

static void pg_release(struct pg *p)
{
    free(p->charset);
    free(p->title);
    free(p->latest);
    free(p->breadcrumb);
    free(p->text);
}

/* The result and status of a URL in the site's latest run. */
static void expect_result(struct store *db, int64_t run, const char *url, const char *result,
                          int status, const char *error)
{
    struct stmt *st = store_q(db, "SELECT result, status, error FROM crawl_urls WHERE run_id = ? AND url = ?",
                              "it", run, url);
    if (!stmt_next(st)) {
        stmt_done(st, NULL);
        t_fail(__FILE__, __LINE__, "no result for %s", url);
    }
    char got[64];
    snprintf(got, sizeof(got), "%s/%d/%s", stmt_str(st, 0), (int)stmt_int(st, 1),
             stmt_text(st, 2) ? stmt_text(st, 2) : "-");
    stmt_done(st, NULL);
    char want[64];
    snprintf(want, sizeof(want), "%s/%d/%s", result, status, error ? error : "-");
    if (strcmp(got, want))
        t_fail(__FILE__, __LINE__, "%s: got %s, want %s", url, got, want);
}

static const char home_html[] =
    "<html><head><title>示范市人民政府</title></head><body>"
    "<a href=/tzgg/>通知公告</a> <a href=/private/secret.html>内部</a>"
    "<a href=/missing.html>坏链</a> <a href=http://nowhere.invalid/>省网上办事大厅</a>"
    "<a href=http://127.0.0.1:1/>拒绝连接</a> <img src=/logo.png>"
    "<a href=/cal.html?m=0>日历</a> <a href=/busy.html>忙</a> <a href=/error.html>出错</a>"
    "<a href=/loop/a>循环</a> <a href=/waf.html>防火墙</a> <a href=/forbidden.html>禁止</a>"
    "<a href=/slow.html>慢</a> <a href=/huge.html>大</a> <a href=/bomb.html>炸弹</a>"
    "<a href=/gbk.html>GBK</a> <a href=/wrongcs.html>错码</a> <a href=/bad.html>坏</a>"
    "<a href=/nohead.pdf>附件</a> <a href=/headlie.doc>附件二</a> <a href=/moved>搬走</a>"
    "<a href=/s.jsp;jsessionid=XYZ?id=1>会话</a> <a href=/s.jsp?id=1&amp;sid=9>会话二</a>"
    "</body></html>";

static const char list_html[] =
    "<html><head><title>通知公告_示范市</title></head><body>"
    "<div class=crumb>当前位置：<a href=/>首页</a> &gt; 通知公告</div><ul class=list>"
    "<li><a href=201811/t20181130_1.html>通知一</a><span>2018-11-30</span></li>"
    "<li><a href=201811/t20181120_2.html>通知二</a><span>2018-11-20</span></li>"
    "<li><a href=201810/t20181001_3.html>通知三</a><span>2018-10-01</span></li></ul>"
    "<a href=index_1.html>下一页</a></body></html>";

static const char list2_html[] =
    "<html><body><ul class=list>"
    "<li><a href=201809/t20180901_4.html>通知四</a><span>2018-09-01</span></li>"
    "<li><a href=201808/t20180801_5.html>通知五</a><span>2018-08-01</span></li>"
    "<li><a href=201807/t20180701_6.html>通知六</a><span>2018-07-01</span></li></ul></body></html>";

static void article(struct fixture_http *f, const char *path, const char *title, const char *date)
{
    char html[1024];
    snprintf(html, sizeof(html),
             "<html><head><title>%s_示范市</title><meta name=ArticleTitle content=\"%s\">"
             "</head><body><div>当前位置：首页 &gt; 通知公告 &gt; 正文</div><h1>%s</h1>"
             "<p>发布时间：%s</p><p>正文 2017年1月1日 食品药品监督管理局</p>"
             "<a href=/tzgg/>返回</a></body></html>",
             title, title, title, date);
    fixture_http_page(f, "www.a.test", path, html);
}

static void build_site(struct fixture_http *f)
{
    fixture_http_page(f, "www.a.test", "/", home_html);
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/robots.txt",
                                              .ctype = "text/plain",
                                              .body = "User-agent: *\nDisallow: /private/\n" });
    fixture_http_page(f, "www.a.test", "/private/secret.html", "<p>secret</p>");
    fixture_http_page(f, "www.a.test", "/tzgg/", list_html);
    fixture_http_page(f, "www.a.test", "/tzgg/index_1.html", list2_html);
    article(f, "/tzgg/201811/t20181130_1.html", "通知一", "2018-11-30 09:00");
    article(f, "/tzgg/201811/t20181120_2.html", "通知二", "2018年11月20日");
    article(f, "/tzgg/201810/t20181001_3.html", "通知三", "2018/10/01");
    article(f, "/tzgg/201809/t20180901_4.html", "通知四", "2018.09.01");
    article(f, "/tzgg/201808/t20180801_5.html", "通知五", "2018-08-01");
    article(f, "/tzgg/201807/t20180701_6.html", "通知六", "2018-07-01");
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/logo.png",
                                              .ctype = "image/png", .body = "PNG" });
    /* a calendar: every month links to the next, forever */
    for (int m = 0; m < 200; m++) {
        char p[64], h[160];
        snprintf(p, sizeof(p), "/cal.html?m=%d", m);
        snprintf(h, sizeof(h), "<a href=\"cal.html?m=%d\">下个月</a>", m + 1);
        fixture_http_page(f, "www.a.test", p, h);
    }
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/busy.html",
                                              .kind = FX_BUSY, .n = 1, .body = "<p>ok</p>" });
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/error.html",
                                              .status = 500, .body = "oops" });
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/loop/a",
                                              .kind = FX_REDIRECT, .location = "/loop/b" });
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/loop/b",
                                              .kind = FX_REDIRECT, .location = "/loop/a" });
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/moved",
                                              .kind = FX_REDIRECT, .status = 301,
                                              .location = "/tzgg/" });
    fixture_http_route(f, &(struct fx_route){
                              .host = "www.a.test", .path = "/waf.html", .status = 412,
                              .body = "<script>document.cookie='__jsl_clearance=1';</script>" });
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/forbidden.html",
                                              .status = 403, .body = "Forbidden" });
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/huge.html",
                                              .kind = FX_HUGE, .n = 3 << 20 });
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/bomb.html",
                                              .kind = FX_GZIP_BOMB, .n = 64 << 20 });
    size_t gn;
    char *gbk = to_gbk("<html><head><title>政务公开</title></head><body><h1>政务公开</h1>"
                       "<p>发布日期：2018年11月15日</p><p>这是一个没有声明编码的页面，内容是简体中文，"
                       "用来检验编码的自动识别。</p></body></html>",
                       &gn);
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/gbk.html",
                                              .body = gbk, .body_len = gn });
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/wrongcs.html",
                                              .ctype = "text/html; charset=utf-8", .body = gbk,
                                              .body_len = gn });
    free(gbk);
    fixture_http_route(f, &(struct fx_route){
                              .host = "www.a.test", .path = "/bad.html",
                              .body = "<html><body><div><p>未闭合<a href=/tzgg/>链<b>接"
                                      "<table><tr><td>\xff\xfe 坏字节 <li>2018-11-30</body>" });
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/nohead.pdf",
                                              .kind = FX_NO_HEAD, .ctype = "application/pdf",
                                              .body = "%PDF-1.4" });
    fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/headlie.doc",
                                              .kind = FX_HEAD_LIES, .ctype = "application/msword",
                                              .body = "DOC" });
    fixture_http_page(f, "www.a.test", "/s.jsp?id=1", "<p>session page</p>");
}

static void world_start(struct world *w, int b)
{
    w->f = fixture_http_start();
    ASSERT_NOT_NULL(w->f);
    build_site(w->f);
    w->db = t_open(b);
    world_opts(w);
    w->site = add_site(w->db, "测试站", "http://www.a.test/");
}

static void world_stop(struct world *w)
{
    crawl_opts_release(&w->o);
    t_close(w->db);
    fixture_http_stop(w->f);
}

TEST(crawl_fixture_site)
{
    for (int b = 0; b < t_backends(); b++) {
        struct world w;
        world_start(&w, b);
        /* a body that trickles for a minute: the 5 s timeout ends it */
        fixture_http_route(w.f, &(struct fx_route){ .host = "www.a.test", .path = "/slow.html",
                                                    .kind = FX_SLOW, .n = 300 });
        w.o.max_query_variants = 10;
        struct crawl_stats st;
        struct err e = { 0 };
        ASSERT_OK(crawl_run(w.db, &w.site, 1, &w.o, t_clk(), &st, &e), &e);
        ASSERT_EQ_STR(st.state, "complete");
        int64_t run = st.run_id;
        const char *base = "http://www.a.test";
        char u[256];
#define U(p) (snprintf(u, sizeof(u), "%s%s", base, p), u)
        expect_result(w.db, run, U("/"), "ok", 200, NULL);
        expect_result(w.db, run, U("/missing.html"), "broken", 404, NULL);
        expect_result(w.db, run, "http://nowhere.invalid/", "dns", 0, "dns");
        expect_result(w.db, run, "http://127.0.0.1:1/", "error", 0, "connect");
        expect_result(w.db, run, U("/private/secret.html"), "robots", 0, "robots");
        expect_result(w.db, run, U("/busy.html"), "ok", 200, NULL); /* retried after 429 */
        expect_result(w.db, run, U("/error.html"), "broken", 500, NULL);
        expect_result(w.db, run, U("/loop/a"), "error", 302, "redirect-loop");
        expect_result(w.db, run, U("/waf.html"), "waf", 412, "waf");
        expect_result(w.db, run, U("/forbidden.html"), "broken", 403, NULL);
        expect_result(w.db, run, U("/slow.html"), "timeout", 0, "timeout");
        expect_result(w.db, run, U("/nohead.pdf"), "ok", 200, NULL);
        expect_result(w.db, run, U("/headlie.doc"), "ok", 200, NULL);
        expect_result(w.db, run, U("/moved"), "ok", 200, NULL);
        expect_result(w.db, run, U("/logo.png"), "ok", 200, NULL);
        /* the session parameters are gone before de-duplication */
        expect_result(w.db, run, U("/s.jsp?id=1"), "ok", 200, NULL);
        ASSERT_EQ_INT(q_int(w.db, "SELECT COUNT(*) FROM crawl_urls WHERE run_id = ? AND url LIKE '%sess%'", run), 0);
        ASSERT_EQ_INT(fixture_http_hits(w.f, "www.a.test", "/private/secret.html"), 0);
        ASSERT_EQ_INT(fixture_http_hits(w.f, "www.a.test", "/robots.txt"), 1);
        ASSERT_EQ_INT(fixture_http_hits_method(w.f, "www.a.test", "/nohead.pdf", "HEAD"), 1);
        ASSERT_EQ_INT(fixture_http_hits_method(w.f, "www.a.test", "/nohead.pdf", "GET"), 1);
        ASSERT_CONTAINS(fixture_http_last_agent(w.f), "govsite");
        ASSERT_CONTAINS(fixture_http_last_agent(w.f), "office.shifan.test");
        /* the redirect chain is recorded; the target is crawled once */
        char *rd = q_text(w.db, "SELECT redirects FROM crawl_urls WHERE url = ?", U("/moved"));
        ASSERT_CONTAINS(rd, "\"status\":301");
        free(rd);
        ASSERT_EQ_INT(fixture_http_hits(w.f, "www.a.test", "/tzgg/"), 1);
        /* the calendar trap is cut */
        ASSERT(q_int(w.db, "SELECT COUNT(*) FROM crawl_urls WHERE run_id = ? AND result = 'trap'", run) > 0);
        ASSERT(fixture_http_hits(w.f, "www.a.test", "/cal.html?m=150") == 0);
        /* big bodies are cut at the cap and flagged, the gzip bomb too */
        ASSERT_EQ_INT(q_int(w.db, "SELECT truncated FROM crawl_urls WHERE url = 'http://www.a.test/bomb.html' AND run_id = ?", run), 1);
        ASSERT(q_int(w.db, "SELECT size FROM crawl_urls WHERE url = 'http://www.a.test/bomb.html' AND run_id = ?", run) <= (int64_t)w.o.body_cap);
        /* pages: list with pagination, articles with dates, charsets */
        struct pg tz, gbk, wrong, bad;
        load_page(w.db, run, U("/tzgg/"), &tz);
        ASSERT_EQ_INT(tz.items, 3);
        ASSERT_EQ_STR(tz.latest, "2018-11-30");
        ASSERT_EQ_STR(tz.breadcrumb, "首页>通知公告");
        ASSERT_EQ_INT(q_int(w.db, "SELECT COUNT(*) FROM crawl_articles WHERE run_id = ?", run), 7);
        char *v = q_text(w.db, "SELECT date FROM crawl_articles WHERE url = ?", U("/tzgg/201809/t20180901_4.html"));
        ASSERT_EQ_STR(v, "2018-09-01");
        free(v);
        load_page(w.db, run, U("/gbk.html"), &gbk);
        ASSERT_EQ_STR(gbk.charset, "gb18030");
        load_page(w.db, run, U("/wrongcs.html"), &wrong);
        ASSERT_EQ_STR(wrong.title, "政务公开");
        ASSERT_EQ_INT(wrong.mismatch, 1);
        load_page(w.db, run, U("/bad.html"), &bad);
        ASSERT_CONTAINS(bad.text, "坏字节");
        pg_release(&tz);
        pg_release(&gbk);
        pg_release(&wrong);
        pg_release(&bad);
        /* the link listing */
        int64_t latest;
        ASSERT_OK(crawl_latest_run(w.db, w.site, &latest, &e), &e);
        ASSERT_EQ_INT(latest, run);
        ASSERT_EQ_INT(st.pages, q_int(w.db, "SELECT COUNT(*) FROM crawl_pages WHERE run_id = ?", run));
        ASSERT_EQ_INT(st.broken, q_int(w.db, "SELECT COUNT(*) FROM crawl_urls WHERE run_id = ? AND result IN ('broken', 'dns', 'timeout', 'error')", run));
#undef U
        world_stop(&w);
    }
}

struct count_ctx {
    int n, broken;
    bool saw_dns;
};

static void count_link(const struct crawl_link_row *r, void *ctx)
{
    struct count_ctx *c = ctx;
    c->n++;
    c->broken += crawl_result_broken(r->result);
    if (r->error && !strcmp(r->error, "dns")) {
        c->saw_dns = true;
        ASSERT_EQ_STR(r->source, "http://www.a.test/");
        ASSERT_FALSE(r->internal);
    }
}

TEST(crawl_politeness_and_listing)
{
    struct world w;
    world_start(&w, 0);
    w.o.per_host = 2;
    w.o.rate = 50;
    struct crawl_stats st;
    struct err e = { 0 };
    ASSERT_OK(crawl_run(w.db, &w.site, 1, &w.o, t_clk(), &st, &e), &e);
    ASSERT(fixture_http_max_concurrent(w.f, "www.a.test") <= 2);
    ASSERT(fixture_http_max_concurrent(w.f, "www.a.test") >= 1);
    struct count_ctx all = { 0 }, broken = { 0 };
    ASSERT_OK(crawl_links_each(w.db, st.run_id, 0, count_link, &all, &e), &e);
    ASSERT_OK(crawl_links_each(w.db, st.run_id, CRAWL_LINKS_BROKEN, count_link, &broken, &e), &e);
    ASSERT(all.saw_dns);
    ASSERT_EQ_INT(broken.n, broken.broken);
    ASSERT(broken.n > 0 && broken.n < all.n);
    world_stop(&w);
}

TEST(crawl_owned_site_ignores_robots_and_limits)
{
    struct world w;
    world_start(&w, 0);
    ASSERT_OK(store_exec(w.db, NULL, "UPDATE sites SET owned = 1, max_pages = 3 WHERE id = ?", "i", w.site), NULL);
    struct crawl_stats st;
    struct err e = { 0 };
    ASSERT_OK(crawl_run(w.db, &w.site, 1, &w.o, t_clk(), &st, &e), &e);
    ASSERT_EQ_INT(fixture_http_hits(w.f, "www.a.test", "/robots.txt"), 0);
    ASSERT_EQ_INT(st.pages, 3);
    ASSERT(st.limited);
    world_stop(&w);
}

static void page_set(struct store *db, int64_t run, struct buf *out)
{
    struct stmt *st = store_q(db, "SELECT u.url, p.title FROM crawl_pages p JOIN crawl_urls u ON u.id = p.url_id WHERE p.run_id = ? ORDER BY u.url", "i", run);
    while (stmt_next(st))
        buf_addf(out, "%s %s\n", stmt_str(st, 0), stmt_str(st, 1));
    stmt_done(st, NULL);
}

TEST(crawl_conditional_recrawl)
{
    for (int b = 0; b < t_backends(); b++) {
        struct world w;
        world_start(&w, b);
        fixture_http_route(w.f, &(struct fx_route){
                                    .host = "www.a.test", .path = "/tzgg/201811/t20181130_1.html",
                                    .kind = FX_CONDITIONAL,
                                    .body = "<title>条件</title><p>发布时间：2018-11-30</p>"
                                            "<a href=/tzgg/>返回</a><a href=/cond-only.html>x</a>" });
        /* routes are matched in order: the conditional one must come first */
        struct fixture_http *f2 = fixture_http_start();
        fixture_http_route(f2, &(struct fx_route){
                                   .host = "www.a.test", .path = "/tzgg/201811/t20181130_1.html",
                                   .kind = FX_CONDITIONAL,
                                   .body = "<title>条件</title><p>发布时间：2018-11-30</p>"
                                           "<a href=/tzgg/>返回</a><a href=/cond-only.html>x</a>" });
        build_site(f2);
        fixture_http_stop(w.f);
        w.f = f2;
        crawl_opts_release(&w.o);
        world_opts(&w);
        struct crawl_stats s1, s2;
        struct err e = { 0 };
        ASSERT_OK(crawl_run(w.db, &w.site, 1, &w.o, t_clk(), &s1, &e), &e);
        ASSERT_OK(crawl_run(w.db, &w.site, 1, &w.o, t_clk(), &s2, &e), &e);
        ASSERT(s2.run_id > s1.run_id);
        /* the second crawl asked conditionally and got 304: the page was rebuilt from the
         * first run, links included */
        ASSERT_EQ_INT(q_int(w.db, "SELECT status FROM crawl_urls WHERE run_id = ? AND url = 'http://www.a.test/tzgg/201811/t20181130_1.html'", s2.run_id), 304);
        ASSERT_EQ_INT(q_int(w.db, "SELECT p.not_modified FROM crawl_pages p JOIN crawl_urls u ON u.id = p.url_id WHERE p.run_id = ? AND u.url = 'http://www.a.test/tzgg/201811/t20181130_1.html'", s2.run_id), 1);
        ASSERT_EQ_INT(q_int(w.db, "SELECT COUNT(*) FROM crawl_urls WHERE run_id = ? AND url = 'http://www.a.test/cond-only.html'", s2.run_id), 1);
        struct buf p1 = BUF_INIT, p2 = BUF_INIT;
        page_set(w.db, s1.run_id, &p1);
        page_set(w.db, s2.run_id, &p2);
        ASSERT_EQ_STR(buf_cstr(&p2), buf_cstr(&p1));
        buf_release(&p1);
        buf_release(&p2);
        ASSERT_EQ_INT(q_int(w.db, "SELECT COUNT(*) FROM crawl_articles WHERE run_id = ?", s1.run_id),
                      q_int(w.db, "SELECT COUNT(*) FROM crawl_articles WHERE run_id = ?", s2.run_id));
        /* keep_runs: older runs go */
        w.o.keep_runs = 1;
        struct crawl_stats s3;
        ASSERT_OK(crawl_run(w.db, &w.site, 1, &w.o, t_clk(), &s3, &e), &e);
        ASSERT_EQ_INT(q_int(w.db, "SELECT COUNT(*) FROM crawl_runs WHERE site_id = ?", w.site), 1);
        ASSERT_EQ_INT(q_int(w.db, "SELECT COUNT(*) FROM crawl_links WHERE run_id = ?", s1.run_id), 0);
        world_stop(&w);
    }
}

/* Stop a crawl from its progress callback after a few pages (like Ctrl-C). */
static volatile sig_atomic_t stop_now;
static void stop_after(const struct crawl_stats *st, void *ctx)
{
    (void)ctx;
    if (st->pages >= 3)
        stop_now = 1;
}

TEST(crawl_interrupt_and_resume)
{
    for (int b = 0; b < t_backends(); b++) {
        struct world w;
        world_start(&w, b);
        w.o.per_host = 1;
        w.o.concurrency = 1;
        stop_now = 0;
        w.o.stop = &stop_now;
        w.o.progress = stop_after;
        struct crawl_stats s1;
        struct err e = { 0 };
        ASSERT_RC(crawl_run(w.db, &w.site, 1, &w.o, t_clk(), &s1, &e), RC_INTERRUPTED);
        ASSERT_EQ_STR(s1.state, "interrupted");
        ASSERT(q_int(w.db, "SELECT COUNT(*) FROM crawl_urls WHERE run_id = ? AND state = 'queued'", s1.run_id) > 0);
        stop_now = 0;
        w.o.progress = NULL;
        w.o.resume = true;
        struct crawl_stats s2;
        err_clear(&e);
        ASSERT_OK(crawl_run(w.db, &w.site, 1, &w.o, t_clk(), &s2, &e), &e);
        ASSERT_EQ_INT(s2.run_id, s1.run_id);
        ASSERT_EQ_STR(s2.state, "complete");
        ASSERT_EQ_INT(q_int(w.db, "SELECT resumed FROM crawl_runs WHERE id = ?", s1.run_id), 1);
        /* the same pages as an uninterrupted crawl, none twice */
        w.o.resume = false;
        struct crawl_stats s3;
        ASSERT_OK(crawl_run(w.db, &w.site, 1, &w.o, t_clk(), &s3, &e), &e);
        struct buf a = BUF_INIT, c = BUF_INIT;
        page_set(w.db, s2.run_id, &a);
        page_set(w.db, s3.run_id, &c);
        ASSERT_EQ_STR(buf_cstr(&a), buf_cstr(&c));
        ASSERT_EQ_INT(s2.pages, s3.pages);
        buf_release(&a);
        buf_release(&c);
        world_stop(&w);
    }
}

TEST(crawl_killed_then_resumed)
{
    /* SQLite: a child crawls slowly and is killed with SIGKILL mid-way; the parent resumes
     * the run from what the child had stored */
    struct world w;
    world_start(&w, 0);
    w.o.per_host = 1;
    w.o.concurrency = 1;
    w.o.rate = 20;
    const char *dsn = t_dsn(0);
    t_close(w.db);
    fflush(NULL);
    pid_t pid = fork();
    if (pid == 0) {
        struct store *db = NULL;
        if (store_open(dsn, &db, NULL) || store_migrate(db, NULL))
            _exit(3);
        struct crawl_stats st;
        crawl_run(db, &w.site, 1, &w.o, t_clk(), &st, NULL);
        _exit(0);
    }
    ASSERT(pid > 0);
    /* wait until some pages are stored, then kill */
    struct store *watch = NULL;
    ASSERT_OK(store_open(dsn, &watch, NULL), NULL);
    int64_t pages = 0;
    for (int i = 0; i < 600 && pages < 4; i++) {
        usleep(20000);
        store_get_int(watch, &pages, NULL, "SELECT COUNT(*) FROM crawl_pages", "");
    }
    kill(pid, SIGKILL);
    int status;
    waitpid(pid, &status, 0);
    ASSERT(WIFSIGNALED(status));
    ASSERT(pages >= 4);
    int64_t run = q_int(watch, "SELECT MAX(id) FROM crawl_runs WHERE site_id = ?", w.site);
    char *state = q_text(watch, "SELECT state FROM crawl_runs WHERE id = (SELECT MAX(id) FROM crawl_runs WHERE ? <> '')", "x");
    ASSERT_EQ_STR(state, "running");
    free(state);
    int64_t stored = q_int(watch, "SELECT COUNT(*) FROM crawl_pages WHERE run_id = ?", run);
    store_close(watch);
    w.db = NULL;
    ASSERT_OK(store_open(dsn, &w.db, NULL), NULL);
    w.o.resume = true;
    w.o.rate = 0;
    struct crawl_stats st;
    struct err e = { 0 };
    ASSERT_OK(crawl_run(w.db, &w.site, 1, &w.o, t_clk(), &st, &e), &e);
    ASSERT_EQ_INT(st.run_id, run);
    ASSERT_EQ_STR(st.state, "complete");
    ASSERT(st.pages >= stored);
    /* nothing stored twice: one page row per URL, one URL row per address */
    ASSERT_EQ_INT(q_int(w.db, "SELECT COUNT(*) - COUNT(DISTINCT url) FROM crawl_urls WHERE run_id = ?", run), 0);
    w.o.resume = false;
    struct crawl_stats full;
    ASSERT_OK(crawl_run(w.db, &w.site, 1, &w.o, t_clk(), &full, &e), &e);
    ASSERT_EQ_INT(st.pages, full.pages);
    store_close(w.db);
    w.db = NULL;
    crawl_opts_release(&w.o);
    fixture_http_stop(w.f);
}
