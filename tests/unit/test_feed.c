/* test_feed.c - upstream feeds (parsing RSS, Atom, HTML lists and GBK; pulling from a
 * loopback server with conditional GET), title matching (true matches and near-misses),
 * the re-post matrix at several moments and its findings, the catalogue and
 * interaction checks, tasks (closing when their findings resolve; rules), interviews
 * and the bulletin's sentences, on every backend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "checks/check.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/notes.h"
#include "feed/feed.h"
#include "fixture_http.h"
#include "reg/reg.h"
#include "tcheck.h"
#include "test.h"
#include "tstore.h"

/* ---- titles ------------------------------------------------------------------------ */

TEST(feed_title_norm_table)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        { "国务院关于印发《打赢蓝天保卫战三年行动计划》的通知", "国务院关于印发打赢蓝天保卫战三年行动计划的通知" },
        { "【转载】国务院关于X的通知", "国务院关于x的通知" },
        { "[转发] 国务院关于X的通知", "国务院关于x的通知" },
        { "转载：国务院关于X的通知", "国务院关于x的通知" },
        { "转发:【转载】国务院关于X的通知", "国务院关于x的通知" },
        { "（转载）国务院 关于X　的通知", "国务院关于x的通知" },
        { "国务院关于X的通知（来源：中国政府网）", "国务院关于x的通知" },
        { "ＡＢＣ１２３，国务院！", "abc123国务院" },
        { "转变作风的通知", "转变作风的通知" }, /* 转 alone is not a marker */
        { "转载", "转载" },                     /* a marker alone stays */
        { "", "" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf b = BUF_INIT;
        feed_title_norm(cases[i].in, strlen(cases[i].in), &b);
        ASSERT_EQ_STR(buf_cstr(&b), cases[i].want);
        buf_release(&b);
    }
}

TEST(feed_doc_no_table)
{
    static const struct {
        const char *in, *want;
    } cases[] = {
        { "国务院办公厅关于印发政府网站发展指引的通知（国办发〔2017〕47号）", "国办发〔2017〕47号" },
        { "粤府函[2018]12号 关于…", "粤府函〔2018〕12号" },
        { "珠府办函【2015】2号", "珠府办函〔2015〕2号" },
        { "国发（２０１８）０３５号", "国发〔2018〕35号" },
        { "国办发〔2017〕第47号", "国办发〔2017〕47号" },
        { "2018年第一季度工作要点", NULL },
        { "〔2017〕47号", NULL },    /* no organ */
        { "国发〔17〕47号", NULL },  /* a two-digit year */
        { "国发〔2017〕号", NULL },  /* no number */
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf b = BUF_INIT;
        bool got = feed_doc_no(cases[i].in, strlen(cases[i].in), &b);
        if (cases[i].want) {
            ASSERT_TRUE(got);
            ASSERT_EQ_STR(buf_cstr(&b), cases[i].want);
        } else {
            ASSERT_FALSE(got);
        }
        buf_release(&b);
    }
}

TEST(feed_title_match_true_and_near_misses)
{
    static const struct {
        const char *up, *re;
        bool match;
    } cases[] = {
        /* true matches: punctuation, width, prefixes, spaces, a source tag, a cut title */
        { "国务院关于印发《打赢蓝天保卫战三年行动计划》的通知",
          "【转载】国务院关于印发打赢蓝天保卫战三年行动计划的通知", true },
        { "国务院办公厅关于做好2018年冬季安全生产工作的通知",
          "转发：国务院办公厅关于做好２０１８年冬季安全生产工作的通知", true },
        { "李克强主持召开国务院常务会议 部署推进物流降本增效",
          "李克强主持召开国务院常务会议，部署推进物流降本增效（来源：中国政府网）", true },
        { "国务院关于促进乡村产业振兴的指导意见",
          "[转载] 国务院关于促进乡村产业振兴的指导意见", true },
        { "国务院关于同意建立深化医药卫生体制改革部际联席会议制度的批复",
          "国务院关于同意建立深化医药卫生体制改革部际联席会...", true },
        /* near-misses that must not match */
        { "国务院办公厅关于做好2018年冬季安全生产工作的通知",
          "国务院办公厅关于做好2017年冬季安全生产工作的通知", false },
        { "2018年第一季度全国政府网站抽查情况的通报", "2018年第二季度全国政府网站抽查情况的通报",
          false },
        { "二〇一八年国务院政府工作报告", "二〇一九年国务院政府工作报告", false },
        { "国务院关于促进乡村产业振兴的指导意见", "国务院关于促进民营经济发展的指导意见", false },
        { "国务院关于印发十三五规划的通知", "国务院关于印发十四五规划的通知", false },
        { "国务院常务会议", "国务院常务会议召开情况及部署推进物流降本增效有关工作安排", false },
    };
    struct feed_match_opts o = { .threshold = FEED_THRESHOLD_DEFAULT };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        double sc;
        bool got = feed_title_match(&o, cases[i].up, NULL, cases[i].re, NULL, &sc);
        if (got != cases[i].match)
            t_fail(__FILE__, __LINE__, "case %zu: \"%s\" vs \"%s\": got %d (score %.3f)", i,
                   cases[i].up, cases[i].re, got, sc);
    }
    /* 文号 on both sides decides, whatever the titles say */
    ASSERT_TRUE(feed_title_match(&o, "关于做好冬季安全生产工作的通知", "国办发〔2018〕99号",
                                 "冬季安全生产通知", "国办发〔2018〕99号", NULL));
    ASSERT_FALSE(feed_title_match(&o, "关于做好冬季安全生产工作的通知", "国办发〔2018〕99号",
                                  "关于做好冬季安全生产工作的通知", "国办发〔2017〕99号", NULL));
    /* one side only: the title decides */
    ASSERT_TRUE(feed_title_match(&o, "关于做好冬季安全生产工作的通知", "国办发〔2018〕99号",
                                 "关于做好冬季安全生产工作的通知", NULL, NULL));
    /* the threshold is honoured */
    struct feed_match_opts strict = { .threshold = 0.99 };
    ASSERT_FALSE(feed_title_match(&strict, "国务院关于促进乡村产业振兴的指导意见", NULL,
                                  "国务院关于促进乡村产业振兴指导意见", NULL, NULL));
    ASSERT_TRUE(feed_title_match(&o, "国务院关于促进乡村产业振兴的指导意见", NULL,
                                 "国务院关于促进乡村产业振兴指导意见", NULL, NULL));
    ASSERT_EQ_DBL(feed_title_dice("abcd", "abcd"), 1.0, 1e-9);
    ASSERT_EQ_DBL(feed_title_dice("ab", "cd"), 0.0, 1e-9);
}

/* ---- parsing ----------------------------------------------------------------------- */

static const char rss[] =
    "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
    "<rss version=\"2.0\"><channel><title>国务院</title>\n"
    "<item><title>国务院关于印发《打赢蓝天保卫战三年行动计划》的通知</title>"
    "<link>http://www.gov.test/zhengce/content/2018-07/03/content_5303158.htm</link>"
    "<description><![CDATA[国发〔2018〕22号]]></description>"
    "<pubDate>Tue, 03 Jul 2018 08:30:00 GMT</pubDate></item>\n"
    "<item><title>  relative   link </title><link>/zhengce/a.htm</link>"
    "<pubDate>2018-11-20T10:00:00+08:00</pubDate></item>\n"
    "<item><title></title><link>http://www.gov.test/x</link></item>\n"
    "<item><title>no link</title></item>\n"
    "<item><title>javascript link</title><link>javascript:void(0)</link></item>\n"
    "<item><title>guid only</title><guid>http://www.gov.test/g.htm</guid></item>\n"
    "</channel></rss>\n";

TEST(feed_parse_rss_items_dates_doc_no_and_bad_items)
{
    struct feed_parsed p;
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    ASSERT_OK(feed_parse(rss, strlen(rss), NULL, "http://www.gov.test/rss.xml", FEED_AUTO, TZ_CST,
                         &p, &bad, &e),
              &e);
    ASSERT_EQ_INT(p.kind, FEED_RSS);
    ASSERT_EQ_INT(p.n, 3);
    ASSERT_EQ_STR(p.items[0].doc_no, "国发〔2018〕22号");
    int64_t want;
    ASSERT_TRUE(time_parse("2018-07-03 16:30", TZ_CST, &want, NULL));
    ASSERT_EQ_INT(p.items[0].published, want);
    ASSERT_EQ_STR(p.items[1].title, "relative link");
    ASSERT_EQ_STR(p.items[1].url, "http://www.gov.test/zhengce/a.htm");
    ASSERT_TRUE(time_parse("2018-11-20 10:00", TZ_CST, &want, NULL));
    ASSERT_EQ_INT(p.items[1].published, want);
    ASSERT_EQ_STR(p.items[2].url, "http://www.gov.test/g.htm");
    ASSERT_EQ_INT(p.items[2].published, 0);
    ASSERT_EQ_INT(p.bad, 3);
    ASSERT_EQ_INT(bad.total, 3);
    ASSERT_CONTAINS(bad.v[0], "without a title");
    feed_parsed_release(&p);
    notes_release(&bad);
    /* --kind atom on an RSS body is an error naming the root */
    ASSERT_RC(feed_parse(rss, strlen(rss), NULL, NULL, FEED_ATOM, TZ_CST, &p, NULL, &e),
              RC_PARSE);
    ASSERT_CONTAINS(e.msg, "rss");
    feed_parsed_release(&p);
}

TEST(feed_parse_atom_and_html_list)
{
    static const char atom[] =
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>"
        "<entry><title>省政府常务会议</title><link rel=\"edit\" href=\"/edit/1\"/>"
        "<link rel=\"alternate\" href=\"http://www.gd.test/a/1.html\"/>"
        "<published>2018-11-21T09:00:00Z</published><updated>2018-11-22T09:00:00Z</updated>"
        "</entry><entry><title>updated only</title><link href=\"b/2.html\"/>"
        "<updated>2018-11-22</updated></entry></feed>";
    struct feed_parsed p;
    struct err e = { 0 };
    ASSERT_OK(feed_parse(atom, strlen(atom), NULL, "http://www.gd.test/feed/atom.xml", FEED_AUTO,
                         TZ_CST, &p, NULL, &e),
              &e);
    ASSERT_EQ_INT(p.kind, FEED_ATOM);
    ASSERT_EQ_INT(p.n, 2);
    ASSERT_EQ_STR(p.items[0].url, "http://www.gd.test/a/1.html");
    int64_t want;
    ASSERT_TRUE(time_parse("2018-11-21T09:00:00Z", 0, &want, NULL));
    ASSERT_EQ_INT(p.items[0].published, want);
    ASSERT_EQ_STR(p.items[1].url, "http://www.gd.test/feed/b/2.html");
    ASSERT_TRUE(time_parse("2018-11-22", TZ_CST, &want, NULL));
    ASSERT_EQ_INT(p.items[1].published, want);
    feed_parsed_release(&p);

    static const char html[] =
        "<html><head><meta charset=utf-8><title>政策</title></head><body>"
        "<div class=nav><a href=/>首页</a></div><ul class=list>"
        "<li><a href=\"/zc/1.html\">国务院关于甲的通知</a><span>2018-11-20</span></li>"
        "<li><a href=\"/zc/2.html\">国务院关于乙的通知（国发〔2018〕31号）</a><span>2018-11-19</span></li>"
        "<li><a href=\"/zc/3.html\">国务院关于丙的通知</a><span>2018-11-18</span></li>"
        "<li><a href=\"/zc/4.html\">国务院关于丁的通知</a><span>2018-11-17</span></li>"
        "</ul></body></html>";
    ASSERT_OK(feed_parse(html, strlen(html), NULL, "http://www.gov.test/zc/", FEED_AUTO, TZ_CST,
                         &p, NULL, &e),
              &e);
    ASSERT_EQ_INT(p.kind, FEED_HTML);
    ASSERT_EQ_INT(p.n, 4);
    ASSERT_EQ_STR(p.items[0].title, "国务院关于甲的通知");
    ASSERT_EQ_STR(p.items[0].url, "http://www.gov.test/zc/1.html");
    ASSERT_EQ_INT(p.items[0].published, time_from_date(t_day("2018-11-20"), 0, TZ_CST));
    ASSERT_EQ_STR(p.items[1].doc_no, "国发〔2018〕31号");
    feed_parsed_release(&p);
}

TEST(feed_parse_gbk_feed)
{
    struct buf b = BUF_INIT;
    struct err e = { 0 };
    ASSERT_OK(buf_read_file(&b, "tests/data/feed/gbk.xml", &e), &e);
    struct feed_parsed p;
    ASSERT_OK(feed_parse(b.p, b.n, NULL, "http://www.gd.test/push.xml", FEED_AUTO, TZ_CST, &p,
                         NULL, &e),
              &e);
    ASSERT_EQ_INT(p.kind, FEED_RSS);
    ASSERT_EQ_INT(p.n, 2);
    ASSERT_EQ_STR(p.items[0].title,
                  "广东省人民政府关于印发广东省降低制造业企业成本支持实体经济发展若干政策措施的通知");
    ASSERT_EQ_STR(p.items[0].doc_no, "粤府〔2018〕79号");
    ASSERT_EQ_STR(p.items[1].url, "http://www.gd.test/gkmlpt/content/1/1235.html");
    int64_t want;
    ASSERT_TRUE(time_parse("2018-11-21 16:05", TZ_CST, &want, NULL));
    ASSERT_EQ_INT(p.items[1].published, want);
    feed_parsed_release(&p);
    /* The same bytes with a lying header charset are still read as GB18030. */
    ASSERT_OK(feed_parse(b.p, b.n, "utf-8", "http://www.gd.test/push.xml", FEED_RSS, TZ_CST, &p,
                         NULL, &e),
              &e);
    ASSERT_EQ_INT(p.n, 2);
    ASSERT_CONTAINS(p.items[1].title, "电子政务");
    feed_parsed_release(&p);
    buf_release(&b);
}

/* ---- the registry and crawl data the matrix reads ---------------------------------- */

static const char units_csv[] = "name,short_name,kind,parent\n"
                                "示范市人民政府办公室,市政府办公室,office,\n"
                                "示范市交通运输局,市交通局,department,\n"
                                "示范市卫生健康局,市卫健局,department,\n";
static const char sites_csv[] =
    "name,url,code,unit,type,status\n"
    "示范网,http://www.shifan.test/,4404990001,市政府办公室,门户网站,正常运行\n"
    "交通网,http://jt.shifan.test/,4404990002,市交通局,部门网站,正常运行\n"
    "卫健网,http://wj.shifan.test/,4404990003,市卫健局,部门网站,正常运行\n";
static const char cols_csv[] =
    "site,path,url,unit,class\n"
    "示范网,政务公开>政声传递,http://www.shifan.test/zscd/,市政府办公室,政声传递\n"
    "示范网,信息公开目录>机构职能,http://www.shifan.test/gkml/jgzn/,市政府办公室,信息公开目录\n"
    "交通网,转载信息,http://jt.shifan.test/zzxx/,市交通局,政声传递\n"
    "卫健网,新闻,http://wj.shifan.test/xw/,市卫健局,动态要闻\n";

struct fx {
    struct store *s;
    int64_t site[3], unit[3], zscd, zzxx, gkml, source;
};

static int64_t add_run(struct store *s, int64_t site)
{
    struct err e = { 0 };
    int64_t id = 0;
    ASSERT_OK(store_get_int(s, &id, &e,
                            "INSERT INTO crawl_runs (site_id, state, started_at, start_url, "
                            "max_pages, max_depth, per_host, rate) VALUES (?, 'complete', 1, "
                            "'http://x/', 10, 10, 2, 2) RETURNING id",
                            "i", site),
              &e);
    return id;
}

/* A list page of column `col` in run `run` with items "title|date" (NULL-terminated). */
static void add_list(struct store *s, int64_t run, int64_t col, const char *url,
                     const char *const *items)
{
    struct err e = { 0 };
    int64_t uid = 0;
    ASSERT_OK(store_get_int(s, &uid, &e,
                            "INSERT INTO crawl_urls (run_id, url, depth, scope, state) VALUES (?, "
                            "?, 1, 'page', 'done') RETURNING id",
                            "it", run, url),
              &e);
    ASSERT_OK(store_exec(s, &e,
                         "INSERT INTO crawl_pages (url_id, run_id, column_id, is_list) VALUES "
                         "(?, ?, ?, 1)",
                         "iii", uid, run, col),
              &e);
    for (int i = 0; items[i]; i++) {
        char title[400], date[11], link[300];
        const char *bar = strchr(items[i], '|');
        snprintf(title, sizeof(title), "%.*s", (int)(bar - items[i]), items[i]);
        snprintf(date, sizeof(date), "%s", bar + 1);
        snprintf(link, sizeof(link), "%sitem%d.html", url, i);
        ASSERT_OK(store_exec(s, &e,
                             "INSERT INTO crawl_items (page_id, pos, url, title, date) VALUES (?, "
                             "?, ?, ?, ?)",
                             "iittt", uid, (int64_t)i, link, title, date),
                  &e);
    }
}

static void add_item(struct fx *f, const char *title, const char *when, const char *doc)
{
    int64_t t;
    ASSERT_TRUE(time_parse(when, TZ_CST, &t, NULL));
    struct err e = { 0 };
    char url[200];
    snprintf(url, sizeof(url), "http://www.gov.test/zc/%lld.htm", (long long)t);
    ASSERT_OK(store_exec(f->s, &e,
                         "INSERT INTO feed_items (source_id, url, title, doc_no, published_at, "
                         "first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, ?)",
                         "itttiii", f->source, url, title, doc, t, t, t),
              &e);
}

static void setup(struct fx *f, int b)
{
    memset(f, 0, sizeof(*f));
    f->s = t_open(b);
    struct reg_import_result r;
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    ASSERT_OK(reg_import_mem(f->s, REG_UNITS, "u", units_csv, strlen(units_csv), t_clk(), &r,
                             &bad, &e),
              &e);
    ASSERT_OK(reg_import_mem(f->s, REG_SITES, "s", sites_csv, strlen(sites_csv), t_clk(), &r,
                             &bad, &e),
              &e);
    ASSERT_OK(reg_import_mem(f->s, REG_COLUMNS, "c", cols_csv, strlen(cols_csv), t_clk(), &r,
                             &bad, &e),
              &e);
    notes_release(&bad);
    static const char *const sites[] = { "示范网", "交通网", "卫健网" };
    static const char *const units[] = { "市政府办公室", "市交通局", "市卫健局" };
    for (int i = 0; i < 3; i++) {
        ASSERT_OK(reg_site_lookup(f->s, sites[i], &f->site[i], &e), &e);
        ASSERT_OK(reg_unit_lookup(f->s, units[i], &f->unit[i], &e), &e);
    }
    ASSERT_OK(store_get_int(f->s, &f->zscd, &e, "SELECT id FROM site_columns WHERE path = ?", "t",
                            "政务公开>政声传递"),
              &e);
    ASSERT_OK(store_get_int(f->s, &f->zzxx, &e, "SELECT id FROM site_columns WHERE path = ?", "t",
                            "转载信息"),
              &e);
    ASSERT_OK(store_get_int(f->s, &f->gkml, &e, "SELECT id FROM site_columns WHERE path = ?", "t",
                            "信息公开目录>机构职能"),
              &e);
    struct feed_source_new n = { .name = "国务院", .url = "http://www.gov.test/rss.xml" };
    ASSERT_OK(feed_source_add(f->s, t_clk(), &n, &f->source, &e), &e);
}

static const char ITEM_A[] = "国务院关于印发2018年第一季度重点工作要点的通知";
static const char ITEM_B[] = "国务院办公厅关于做好冬季安全生产工作的通知（国办发〔2018〕99号）";

/* Item A 11-20 10:00, item B 11-22 15:00; 示范网 re-posts A on 11-21 (on time) and B on
 * 11-25 (late); 交通网 re-posts a near-miss of A (第二季度) and nothing else. */
static void plant(struct fx *f)
{
    add_item(f, ITEM_A, "2018-11-20 10:00", NULL);
    add_item(f, ITEM_B, "2018-11-22 15:00", "国办发〔2018〕99号");
    int64_t r1 = add_run(f->s, f->site[0]);
    static const char *const a[] = { "【转载】国务院关于印发2018年第一季度重点工作要点的通知|2018-11-21",
                                     "关于做好冬季安全生产工作的通知 国办发[2018]99号|2018-11-25",
                                     "一条无关的旧信息|2018-10-01", NULL };
    add_list(f->s, r1, f->zscd, "http://www.shifan.test/zscd/", a);
    int64_t r2 = add_run(f->s, f->site[1]);
    static const char *const b[] = { "国务院关于印发2018年第二季度重点工作要点的通知|2018-11-20",
                                     NULL };
    add_list(f->s, r2, f->zzxx, "http://jt.shifan.test/zzxx/", b);
}

static const struct feed_cell *cell(const struct feed_matrix *m, const char *site,
                                    const char *item)
{
    for (size_t i = 0; i < feed_matrix_n(m); i++) {
        const struct feed_cell *c = feed_matrix_cell(m, i);
        if (!strcmp(c->site, site) && !strcmp(c->item, item))
            return c;
    }
    return NULL;
}

static struct feed_matrix *matrix_at(struct fx *f, const char *when, bool pending)
{
    struct feed_matrix_q q = { .from = DATE_NONE, .to = DATE_NONE, .include_pending = pending };
    ASSERT_TRUE(time_parse(when, TZ_CST, &q.as_of, NULL));
    struct feed_matrix *m;
    struct err e = { 0 };
    ASSERT_OK(feed_matrix_build(f->s, t_clk(), &q, &m, &e), &e);
    return m;
}

TEST(feed_matrix_at_several_moments)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        plant(&f);
        /* 11-20 12:00: A is inside its window everywhere and not yet re-posted */
        struct feed_matrix *m = matrix_at(&f, "2018-11-20 12:00", false);
        ASSERT_EQ_INT(feed_matrix_n(m), 0);
        feed_matrix_free(m);
        m = matrix_at(&f, "2018-11-20 12:00", true);
        ASSERT_EQ_INT(feed_matrix_n(m), 3);
        ASSERT_EQ_INT(cell(m, "示范网", ITEM_A)->status, FEED_PENDING);
        feed_matrix_free(m);
        /* 11-21 12:00: 示范网 on time (re-posted 11-21: 14 h), the others missing */
        m = matrix_at(&f, "2018-11-21 12:00", false);
        ASSERT_EQ_INT(feed_matrix_n(m), 3);
        const struct feed_cell *c = cell(m, "示范网", ITEM_A);
        ASSERT_EQ_INT(c->status, FEED_ON_TIME);
        ASSERT_EQ_INT(c->lag_s, 14 * 3600);
        ASSERT_CONTAINS(c->repost_title, "【转载】");
        ASSERT_EQ_INT(cell(m, "交通网", ITEM_A)->status, FEED_MISSING); /* 第二季度 */
        ASSERT_EQ_INT(cell(m, "卫健网", ITEM_A)->status, FEED_MISSING);
        ASSERT_NULL(cell(m, "卫健网", ITEM_A)->column);
        ASSERT_EQ_STR(cell(m, "交通网", ITEM_A)->column, "转载信息");
        feed_matrix_free(m);
        /* 11-24 12:00: B is past its window and not re-posted anywhere */
        m = matrix_at(&f, "2018-11-24 12:00", false);
        ASSERT_EQ_INT(feed_matrix_n(m), 6);
        ASSERT_EQ_INT(cell(m, "示范网", ITEM_B)->status, FEED_MISSING);
        feed_matrix_free(m);
        /* 11-26: 示范网 re-posted B on 11-25, 57 hours after: late */
        m = matrix_at(&f, "2018-11-26 09:00", false);
        c = cell(m, "示范网", ITEM_B);
        ASSERT_EQ_INT(c->status, FEED_LATE);
        ASSERT_EQ_INT(c->lag_s, 57 * 3600);
        int counts[4];
        feed_matrix_counts(m, counts);
        ASSERT_EQ_INT(counts[FEED_ON_TIME], 1);
        ASSERT_EQ_INT(counts[FEED_LATE], 1);
        ASSERT_EQ_INT(counts[FEED_MISSING], 4);
        /* the JSON contract */
        struct buf out = BUF_INIT;
        struct jw w;
        jw_init(&w, &out, false);
        feed_matrix_json(&w, m, TZ_CST);
        jw_finish(&w);
        ASSERT_CONTAINS(out.p, "\"status\":\"late\",\"lag_hours\":57");
        ASSERT_CONTAINS(out.p, "\"status\":\"missing\",\"lag_hours\":null");
        ASSERT_CONTAINS(out.p, "\"site\":\"示范网\",\"unit\":\"市政府办公室\",\"item\":\"");
        buf_release(&out);
        feed_matrix_free(m);
        /* a longer window for the source makes the late one on time */
        struct err e = { 0 };
        ASSERT_OK(feed_source_set(f.s, t_clk(), f.source, 72, NULL, NULL, &e), &e);
        m = matrix_at(&f, "2018-11-26 09:00", false);
        ASSERT_EQ_INT(cell(m, "示范网", ITEM_B)->status, FEED_ON_TIME);
        feed_matrix_free(m);
        /* an editor's view: one unit's rows */
        struct feed_matrix_q q = { .from = DATE_NONE, .to = DATE_NONE, .unit_id = f.unit[1] };
        ASSERT_TRUE(time_parse("2018-11-26 09:00", TZ_CST, &q.as_of, NULL));
        ASSERT_OK(feed_matrix_build(f.s, t_clk(), &q, &m, &e), &e);
        ASSERT_EQ_INT(feed_matrix_n(m), 2);
        ASSERT_EQ_STR(feed_matrix_cell(m, 0)->site, "交通网");
        feed_matrix_free(m);
        t_close(f.s);
    }
}

static int count_open(struct store *s, int64_t site, const char *kind)
{
    int64_t n = 0;
    struct err e = { 0 };
    ASSERT_OK(store_get_int(s, &n, &e,
                            "SELECT COUNT(*) FROM findings WHERE site_id = ? AND kind = ? AND "
                            "state = 'open'",
                            "it", site, kind),
              &e);
    return (int)n;
}

TEST(feed_repost_findings_and_a_task_that_closes_itself)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        plant(&f);
        struct clk at = t_at("2018-11-24 12:00");
        struct feed_check_tally t = { 0 };
        struct err e = { 0 };
        ASSERT_OK(feed_repost_check(f.s, &at, 0, NULL, &t, &e), &e);
        ASSERT_EQ_INT(t.sites, 3);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "repost-missing"), 1); /* B */
        ASSERT_EQ_INT(count_open(f.s, f.site[1], "repost-missing"), 2);
        ASSERT_EQ_INT(count_open(f.s, f.site[1], "repost-column-misnamed"), 1);
        ASSERT_EQ_INT(count_open(f.s, f.site[1], "repost-column-missing"), 0);
        ASSERT_EQ_INT(count_open(f.s, f.site[2], "repost-column-missing"), 1);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "repost-column-missing"), 0);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "repost-column-misnamed"), 0);
        /* a task for 示范网's missing item */
        int64_t fid = 0;
        ASSERT_OK(store_get_int(f.s, &fid, &e,
                                "SELECT id FROM findings WHERE site_id = ? AND kind = "
                                "'repost-missing'",
                                "i", f.site[0]),
                  &e);
        struct task_new tn = { .due = DATE_NONE, .findings = &fid, .nfindings = 1, .by = "张三" };
        int64_t tid;
        ASSERT_OK(task_add(f.s, &at, &tn, &tid, &e), &e);
        struct task tk;
        ASSERT_OK(task_get(f.s, &at, tid, &tk, &e), &e);
        ASSERT_EQ_INT(tk.unit_id, f.unit[0]);
        ASSERT_EQ_INT(tk.site_id, f.site[0]);
        ASSERT_CONTAINS(tk.description, "冬季安全生产");
        ASSERT_EQ_INT(tk.open_findings, 1);
        /* 10 working days from Saturday 11-24: 12-07 */
        ASSERT_EQ_INT(tk.due, t_day("2018-12-07"));
        task_release(&tk);
        /* a sweep before the fix closes nothing */
        struct task_sweep_tally st;
        ASSERT_OK(task_sweep(f.s, &at, &st, &e), &e);
        ASSERT_EQ_INT(st.closed, 0);
        /* 11-26: the re-post appeared (late): missing resolves, late opens, task closes */
        struct clk later = t_at("2018-11-26 09:00");
        memset(&t, 0, sizeof(t));
        ASSERT_OK(feed_repost_check(f.s, &later, f.site[0], NULL, &t, &e), &e);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "repost-missing"), 0);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "repost-late"), 1);
        ASSERT_OK(task_sweep(f.s, &later, &st, &e), &e);
        ASSERT_EQ_INT(st.closed, 1);
        ASSERT_OK(task_get(f.s, &later, tid, &tk, &e), &e);
        ASSERT_EQ_STR(tk.state, "closed");
        ASSERT_EQ_STR(tk.closed_by, "auto");
        ASSERT_CONTAINS(tk.close_note, "已解决");
        task_release(&tk);
        /* closing by hand a closed task is a conflict */
        ASSERT_RC(task_close(f.s, &later, tid, "done", "张三", &e), RC_CONFLICT);
        t_close(f.s);
    }
}

TEST(feed_task_rules_sweep_and_overdue)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        plant(&f);
        struct clk at = t_at("2018-11-24 12:00");
        struct err e = { 0 };
        ASSERT_OK(feed_repost_check(f.s, &at, 0, NULL, NULL, &e), &e);
        ASSERT_RC(task_rule_add(f.s, &at, "no-such-kind", 3, 5, "x", NULL, &e), RC_INVALID);
        int64_t rid;
        ASSERT_OK(task_rule_add(f.s, &at, "repost-missing", 3, 5, "rule-maker", &rid, &e), &e);
        /* nothing is 3 days old yet */
        struct task_sweep_tally st;
        ASSERT_OK(task_sweep(f.s, &at, &st, &e), &e);
        ASSERT_EQ_INT(st.created, 0);
        struct clk later = t_at("2018-11-28 12:00");
        ASSERT_OK(task_sweep(f.s, &later, &st, &e), &e);
        /* one task per unit and site: 示范网 (1 finding), 交通网 (2), 卫健网 (2) */
        ASSERT_EQ_INT(st.created, 3);
        ASSERT_EQ_INT(st.findings, 5);
        /* again: the findings are taken */
        ASSERT_OK(task_sweep(f.s, &later, &st, &e), &e);
        ASSERT_EQ_INT(st.created, 0);
        struct task_query q = { .unit_id = f.unit[1] };
        struct task *v;
        size_t n;
        ASSERT_OK(task_list(f.s, &later, &q, &v, &n, &e), &e);
        ASSERT_EQ_INT(n, 1);
        ASSERT_EQ_INT(v[0].nfindings, 2);
        ASSERT_EQ_INT(v[0].rule_id, rid);
        ASSERT_FALSE(v[0].overdue);
        int32_t due = v[0].due;
        tasks_free(v, n);
        /* past the due date: overdue in the list and in the bulletin */
        char day[11], when[40];
        date_fmt(due + 1, day);
        snprintf(when, sizeof(when), "%s 09:00", day);
        struct clk late = t_at(when);
        struct task_query oq = { .state = "overdue" };
        ASSERT_OK(task_list(f.s, &late, &oq, &v, &n, &e), &e);
        ASSERT_EQ_INT(n, 3);
        ASSERT_TRUE(v[0].overdue);
        tasks_free(v, n);
        struct buf out = BUF_INIT;
        ASSERT_OK(feed_bulletin_tasks(f.s, &late, due + 1, &out, &e), &e);
        ASSERT_CONTAINS(out.p, "市交通局有1项整改任务逾期未完成（最早应于");
        buf_reset(&out);
        ASSERT_OK(feed_bulletin_tasks(f.s, &late, due, &out, &e), &e);
        ASSERT_EQ_INT(out.n, 0);
        buf_release(&out);
        /* a task by hand: unit required without findings, closing needs a note */
        struct task_new tn = { .due = DATE_NONE, .description = "整改首页", .by = "x" };
        ASSERT_RC(task_add(f.s, &late, &tn, NULL, &e), RC_INVALID);
        tn.unit_id = f.unit[2];
        int64_t tid;
        ASSERT_OK(task_add(f.s, &late, &tn, &tid, &e), &e);
        ASSERT_RC(task_close(f.s, &late, tid, "", "x", &e), RC_INVALID);
        ASSERT_OK(task_close(f.s, &late, tid, "已整改", "x", &e), &e);
        t_close(f.s);
    }
}

TEST(feed_interviews_and_bulletin_sentences)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        struct err e = { 0 };
        struct buf out = BUF_INIT;
        ASSERT_RC(feed_bulletin_interview(f.s, t_day("2018-12-12"), &out, &e), RC_NOTFOUND);
        int64_t fgj;
        ASSERT_OK(store_exec(f.s, &e,
                             "INSERT INTO units (name, short_name, kind, created_at, updated_at) "
                             "VALUES ('示范市发展和改革局', '市发改局', 'department', 0, 0)",
                             ""),
                  &e);
        ASSERT_OK(reg_unit_lookup(f.s, "市发改局", &fgj, &e), &e);
        int64_t id;
        ASSERT_OK(interview_add(f.s, t_clk(), fgj, t_day("2019-01-18"), "营商环境", "x", &id, &e),
                  &e);
        ASSERT_OK(interview_add(f.s, t_clk(), f.unit[1], t_day("2018-11-16"), NULL, "x", NULL, &e),
                  &e);
        ASSERT_RC(interview_add(f.s, t_clk(), fgj, t_day("2019-01-18"), NULL, "x", NULL, &e),
                  RC_CONFLICT);
        ASSERT_OK(feed_bulletin_interview(f.s, t_day("2018-12-12"), &out, &e), &e);
        ASSERT_EQ_STR(out.p, "2019年1月份“民生在线”访谈的单位为市发改局，时间暂定为2019年1月18日。"
                             "请市发改局做好各项准备工作。");
        buf_reset(&out);
        struct interview *v;
        size_t n;
        ASSERT_OK(interview_list(f.s, DATE_NONE, &v, &n, &e), &e);
        ASSERT_EQ_INT(n, 2);
        ASSERT_EQ_STR(v[0].unit, "市交通局");
        interviews_free(v, n);
        ASSERT_OK(interview_remove(f.s, id, &e), &e);
        ASSERT_RC(interview_remove(f.s, id, &e), RC_NOTFOUND);
        /* the re-post paragraph */
        plant(&f);
        struct clk at = t_at("2018-12-01 09:00");
        ASSERT_OK(feed_repost_check(f.s, &at, 0, NULL, NULL, &e), &e);
        ASSERT_OK(feed_bulletin_repost(f.s, &at, t_day("2018-11-01"), t_day("2018-11-30"), &out,
                                       &e),
                  &e);
        ASSERT_CONTAINS(out.p, "需转载的政策信息2条");
        ASSERT_CONTAINS(out.p, "按时转载1条次");
        ASSERT_CONTAINS(out.p, "市交通局未转载2条");
        ASSERT_CONTAINS(out.p, "市政府办公室超时转载1条");
        ASSERT_CONTAINS(out.p, "卫健网（未开设）");
        ASSERT_CONTAINS(out.p, "交通网（名称不规范）");
        buf_release(&out);
        t_close(f.s);
    }
}

struct stale_acc {
    int n;
    int64_t days;
    int32_t latest;
};

static int on(const struct feed_stale_catalogue *r, void *c)
{
    struct stale_acc *acc = c;
    acc->n++;
    acc->days = r->days;
    acc->latest = r->latest;
    return 0;
}

TEST(feed_catalogue_stale_findings_and_attachment)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        struct err e = { 0 };
        struct clk at = t_at("2018-12-01 09:00");
        /* never crawled: nothing reported */
        struct feed_check_tally t = { 0 };
        ASSERT_OK(feed_catalogue_check(f.s, &at, f.site[0], &t, &e), &e);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "catalogue-stale"), 0);
        int64_t run = add_run(f.s, f.site[0]);
        static const char *const old[] = { "机构职能调整|2017-10-01", NULL };
        add_list(f.s, run, f.gkml, "http://www.shifan.test/gkml/jgzn/", old);
        ASSERT_OK(feed_catalogue_check(f.s, &at, f.site[0], &t, &e), &e);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "catalogue-stale"), 1);
        /* the attachment lists it as of 12-01, not as of 11-30 (first seen 12-01) */
        struct stale_acc acc = { 0 };
        ASSERT_OK(feed_stale_catalogues(f.s, t_day("2018-12-01"), TZ_CST, on, &acc, &e), &e);
        ASSERT_EQ_INT(acc.n, 1);
        ASSERT_EQ_INT(acc.latest, t_day("2017-10-01"));
        ASSERT_EQ_INT(acc.days, t_day("2018-12-01") - t_day("2017-10-01"));
        memset(&acc, 0, sizeof(acc));
        ASSERT_OK(feed_stale_catalogues(f.s, t_day("2018-11-30"), TZ_CST, on, &acc, &e), &e);
        ASSERT_EQ_INT(acc.n, 0);
        /* a fresh item resolves it */
        int64_t run2 = add_run(f.s, f.site[0]);
        static const char *const fresh[] = { "机构职能调整|2018-11-20", NULL };
        add_list(f.s, run2, f.gkml, "http://www.shifan.test/gkml/jgzn/?p=2", fresh);
        ASSERT_OK(feed_catalogue_check(f.s, &at, f.site[0], &t, &e), &e);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "catalogue-stale"), 0);
        t_close(f.s);
    }
}


/* ---- pulling from a loopback server ------------------------------------------------ */

static void on_r(const struct feed_pull_result *r, void *c)
{
    *(struct feed_pull_result *)c = *r;
}

static int on_it(const struct feed_item *it, void *c)
{
    if (it->level == FEED_PROVINCE && strstr(it->title, "降低制造业"))
        ASSERT_EQ_STR(it->doc_no, "粤府〔2018〕79号");
    (*(int *)c)++;
    return 0;
}

TEST(feed_pull_conditional_get_errors_and_items)
{
    struct fixture_http *h = fixture_http_start();
    ASSERT_NOT_NULL(h);
    fixture_http_route(h, &(struct fx_route){ .host = "", .path = "/rss.xml",
                                              .kind = FX_CONDITIONAL,
                                              .ctype = "application/rss+xml", .body = rss });
    struct buf gbk = BUF_INIT;
    struct err e = { 0 };
    ASSERT_OK(buf_read_file(&gbk, "tests/data/feed/gbk.xml", &e), &e);
    fixture_http_route(h, &(struct fx_route){ .host = "", .path = "/push.xml", .kind = FX_STATIC,
                                              .ctype = "text/xml", .body = gbk.p,
                                              .body_len = gbk.n });
    static const char atom[] =
        "<?xml version=\"1.0\"?><feed xmlns=\"http://www.w3.org/2005/Atom\"><title>t</title>"
        "<entry><title>省政府常务会议</title><link href=\"/a/1.html\"/>"
        "<published>2018-11-21T09:00:00+08:00</published></entry></feed>";
    static const char html[] =
        "<html><body><ul class=list>"
        "<li><a href=\"/zc/1.html\">市政府关于甲的通知</a><span>2018-11-20</span></li>"
        "<li><a href=\"/zc/2.html\">市政府关于乙的通知</a><span>2018-11-19</span></li>"
        "<li><a href=\"/zc/3.html\">市政府关于丙的通知</a><span>2018-11-18</span></li>"
        "</ul></body></html>";
    fixture_http_route(h, &(struct fx_route){ .host = "", .path = "/atom.xml", .kind = FX_STATIC,
                                              .ctype = "application/atom+xml", .body = atom });
    fixture_http_route(h, &(struct fx_route){ .host = "", .path = "/zc/", .kind = FX_STATIC,
                                              .ctype = "text/html; charset=utf-8", .body = html });
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        char url[200];
        /* an Atom feed and an HTML list page, pulled on their own */
        static const char *const other[][2] = { { "省atom", "/atom.xml" }, { "市html", "/zc/" } };
        for (int k = 0; k < 2; k++) {
            snprintf(url, sizeof(url), "http://127.0.0.1:%d%s", fixture_http_port(h), other[k][1]);
            struct feed_source_new on = { .name = other[k][0], .url = url,
                                          .kind = k ? FEED_HTML : FEED_AUTO };
            int64_t oid;
            ASSERT_OK(feed_source_add(s, t_clk(), &on, &oid, &e), &e);
            struct feed_pull_result res = { 0 };
            ASSERT_OK(feed_pull(s, t_clk(), NULL, oid, on_r, &res, NULL, &e), &e);
            ASSERT_EQ_INT(res.items, k ? 3 : 1);
            ASSERT_EQ_INT(res.new_items, k ? 3 : 1);
            ASSERT_OK(feed_source_remove(s, oid, &e), &e);
        }
        snprintf(url, sizeof(url), "http://127.0.0.1:%d/rss.xml", fixture_http_port(h));
        struct feed_source_new n = { .name = "国务院", .url = url, .level = FEED_NATIONAL };
        int64_t gov, gd, gone;
        ASSERT_OK(feed_source_add(s, t_clk(), &n, &gov, &e), &e);
        ASSERT_RC(feed_source_add(s, t_clk(), &n, NULL, &e), RC_CONFLICT);
        snprintf(url, sizeof(url), "http://127.0.0.1:%d/push.xml", fixture_http_port(h));
        n = (struct feed_source_new){ .name = "广东省", .url = url, .level = FEED_PROVINCE,
                                      .window_hours = 48 };
        ASSERT_OK(feed_source_add(s, t_clk(), &n, &gd, &e), &e);
        snprintf(url, sizeof(url), "http://127.0.0.1:%d/gone.xml", fixture_http_port(h));
        n = (struct feed_source_new){ .name = "gone", .url = url };
        ASSERT_OK(feed_source_add(s, t_clk(), &n, &gone, &e), &e);
        n = (struct feed_source_new){ .name = "bad", .url = "ftp://x/" };
        ASSERT_RC(feed_source_add(s, t_clk(), &n, NULL, &e), RC_INVALID);

        struct notes bad = NOTES_INIT;
        struct err pe = { 0 };
        ASSERT_RC(feed_pull(s, t_clk(), NULL, 0, NULL, NULL, &bad, &pe), RC_UNAVAILABLE);
        ASSERT_CONTAINS(pe.msg, "404");
        ASSERT_EQ_INT(bad.total, 3);
        ASSERT_CONTAINS(bad.v[0], "国务院: ");
        notes_release(&bad);
        struct feed_source *v;
        size_t nv;
        ASSERT_OK(feed_sources_list(s, &v, &nv, &e), &e);
        ASSERT_EQ_INT(nv, 3);
        /* by name: gone, 国务院, 广东省 */
        ASSERT_EQ_STR(v[0].pull_status, "error");
        ASSERT_EQ_STR(v[1].pull_status, "ok");
        ASSERT_EQ_INT(v[1].items, 3);
        ASSERT_EQ_INT(v[1].pull_bad, 3);
        ASSERT_EQ_INT(v[2].items, 2);
        ASSERT_EQ_INT(v[2].window_hours, 48);
        feed_sources_free(v, nv);
        /* again: 国务院 answers 304 (If-None-Match), nothing new */
        int hits = fixture_http_hits(h, "127.0.0.1", "/rss.xml");
        struct feed_pull_result last = { 0 };
        ASSERT_OK(feed_pull(s, t_clk(), NULL, gov, on_r, &last, NULL, &e), &e);
        ASSERT_TRUE(last.not_modified);
        ASSERT_EQ_INT(last.new_items, 0);
        ASSERT_EQ_INT(fixture_http_hits(h, "127.0.0.1", "/rss.xml"), hits + 1);
        /* --force fetches the whole feed; nothing new either */
        struct feed_pull_opts fo = { .force = true };
        ASSERT_OK(feed_pull(s, t_clk(), &fo, gov, on_r, &last, NULL, &e), &e);
        ASSERT_FALSE(last.not_modified);
        ASSERT_EQ_INT(last.items, 3);
        ASSERT_EQ_INT(last.new_items, 0);
        /* items of the province, with their 文号 */
        int count = 0;
        ASSERT_OK(feed_items_each(s, gd, DATE_NONE, DATE_NONE, TZ_CST, on_it, &count, &e), &e);
        ASSERT_EQ_INT(count, 2);
        /* removing a source removes its items */
        ASSERT_OK(feed_source_remove(s, gd, &e), &e);
        count = 0;
        ASSERT_OK(feed_items_each(s, 0, DATE_NONE, DATE_NONE, TZ_CST, on_it, &count, &e), &e);
        ASSERT_EQ_INT(count, 3);
        t_close(s);
    }
    buf_release(&gbk);
    fixture_http_stop(h);
}


/* ---- interaction ------------------------------------------------------------------- */

static int fact_of(struct store *s, int64_t site, int32_t day, const char *name)
{
    struct check_facts f;
    struct err e = { 0 };
    check_facts_init(&f, site, day);
    ASSERT_OK(check_facts_collect(s, site, day, TZ_CST, &f, &e), &e);
    const struct check_fact *x = check_facts_get(&f, name);
    int v = x ? (int)x->value : -1;
    check_facts_release(&f);
    return v;
}

TEST(feed_interaction_findings_feed_the_verdict)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        struct err e = { 0 };
        struct clk at = t_at("2018-07-01 09:00");
        struct case_ctx x;
        ASSERT_OK(case_ctx_init(&x, f.s, NULL, &at, &e), &e);
        /* A: received 03-01, never answered; B: received 06-20, answered 06-22 */
        char *a = NULL, *bn = NULL;
        struct case_new n = { .kind = CASE_CONSULTATION, .unit_id = f.unit[0],
                              .site_id = f.site[0], .subject = "咨询甲" };
        ASSERT_TRUE(time_parse("2018-03-01 10:00", TZ_CST, &n.received_at, NULL));
        ASSERT_OK(case_add(&x, &n, &a, &e), &e);
        n.subject = "咨询乙";
        ASSERT_TRUE(time_parse("2018-06-20 10:00", TZ_CST, &n.received_at, NULL));
        ASSERT_OK(case_add(&x, &n, &bn, &e), &e);
        struct case_action act = { .type = "answer", .reply = "已答复", .reply_public = 1,
                                   .roles = CASE_ROLE_OFFICE | CASE_ROLE_UNIT };
        ASSERT_TRUE(time_parse("2018-06-22 10:00", TZ_CST, &act.at, NULL));
        ASSERT_OK(case_act(&x, bn, &act, NULL, &e), &e);
        case_ctx_release(&x);
        struct feed_check_tally t = { 0 };
        ASSERT_OK(feed_interaction_check(f.s, &at, f.site[0], &t, &e), &e);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "interaction-overdue"), 1);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "interaction-no-reply"), 0);
        ASSERT_EQ_INT(fact_of(f.s, f.site[0], t_day("2018-07-01"), "interaction_overdue"), 1);
        /* a site without work items gets neither */
        ASSERT_OK(feed_interaction_check(f.s, &at, f.site[1], &t, &e), &e);
        ASSERT_EQ_INT(count_open(f.s, f.site[1], "interaction-no-reply"), 0);
        /* two months later: still overdue, and no reply since 06-22 */
        struct clk later = t_at("2018-09-01 09:00");
        ASSERT_OK(feed_interaction_check(f.s, &later, f.site[0], &t, &e), &e);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "interaction-overdue"), 1);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "interaction-no-reply"), 1);
        ASSERT_EQ_INT(fact_of(f.s, f.site[0], t_day("2018-09-01"), "interaction_no_reply"), 1);
        /* A is answered: the veto finding resolves only when the year has passed, as the
         * reply came more than 3 months late; the no-reply finding resolves at once */
        ASSERT_OK(case_ctx_init(&x, f.s, NULL, &later, &e), &e);
        ASSERT_TRUE(time_parse("2018-09-01 08:00", TZ_CST, &act.at, NULL));
        ASSERT_OK(case_act(&x, a, &act, NULL, &e), &e);
        case_ctx_release(&x);
        ASSERT_OK(feed_interaction_check(f.s, &later, f.site[0], &t, &e), &e);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "interaction-overdue"), 1);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "interaction-no-reply"), 0);
        struct clk next_year = t_at("2019-03-02 09:00");
        ASSERT_OK(feed_interaction_check(f.s, &next_year, f.site[0], &t, &e), &e);
        ASSERT_EQ_INT(count_open(f.s, f.site[0], "interaction-overdue"), 0);
        free(a);
        free(bn);
        t_close(f.s);
    }
}
