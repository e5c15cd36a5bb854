/* test_report_content.c - the monthly bulletin and the disclosure table from records, on
 * every backend (SQLite, and PostgreSQL when PG_TEST_DSN is set): a small city built
 * through the registry and work-item imports, findings through a check session and the
 * articles of a complete crawl (fixture_articles_load), then report_monthly rendered to
 * Markdown and read back; grouping by group_depth; the as-of rule; report_annual's
 * disclosure table and its check; form definitions. */
#include <string.h>

#include "cases/cases.h"
#include "checks/check.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/conf.h"
#include "core/date.h"
#include "fixture_cases.h"
#include "fixture_report.h"
#include "reg/reg.h"
#include "report/report.h"
#include "test.h"
#include "tstore.h"

#define PORTAL "示范市人民政府门户网站"

static void import_reg(struct store *db, enum reg_table t, const char *csv)
{
    struct reg_import_result r;
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    enum rc rc = reg_import_mem(db, t, "t.csv", csv, strlen(csv), t_clk(), &r, &bad, &e);
    if (rc)
        t_fail(__FILE__, __LINE__, "%s (%s)", err_msg(&e), bad.n ? bad.v[0] : "");
    notes_release(&bad);
}

/* The registry: the office, the seed's units, 45 more with a column each. */
static void registry(struct store *db)
{
    struct buf u = BUF_INIT, c = BUF_INIT;
    buf_adds(&u, "name,short_name,kind,parent\n示范市人民政府办公室,市政府办公室,office,\n"
                 "示范市高栏港区管委会,高栏港区,district,\n示范市食药监局,市食药监局,department,\n"
                 "示范市人社局,市人社局,department,\n示范市教育局,市教育局,department,\n"
                 "示范市交通局,市交通局,department,\n示范市卫计局,市卫计局,department,\n");
    buf_adds(&c, "site,path,url,unit,class,freshness_days,required_items\n");
    static const char *const cols[][3] = {
        { "新闻>高栏港区动态", "高栏港区", "动态要闻" },
        { "新闻>食药监动态", "市食药监局", "动态要闻" },
        { "新闻>人社动态", "市人社局", "动态要闻" },
        { "新闻>教育动态", "市教育局", "动态要闻" },
        { "民生>主题服务>交通服务", "市交通局", "办事服务" },
        { "民生>主题服务>健康服务>看病就医>医疗机构查询>社区卫生服务中心", "市卫计局", "办事服务" },
        { "民生>主题服务>健康服务>看病就医>医疗机构监管>不良执业公告", "市卫计局", "通知公告" },
        { "民生>主题服务>健康服务>疾病预防>疫苗类别", "市卫计局", "其他" },
        { "专题>重点领域>医疗卫生>医疗服务信息公开>本级统计概况", "市卫计局", "专题" },
        { "信息公开目录>市卫计局>工作动态", "市卫计局", "信息公开目录" },
    };
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++)
        buf_addf(&c, PORTAL ",%s,http://www.shifan.test/c%zu/,%s,%s,,\n", cols[i][0], i,
                 cols[i][1], cols[i][2]);
    for (int i = 1; i <= 45; i++) {
        buf_addf(&u, "示范市测试单位%d,测试单位%d,department,\n", i, i);
        buf_addf(&c, PORTAL ",部门动态>测试单位%d,http://www.shifan.test/t%d/,测试单位%d,动态要闻,,\n",
                 i, i, i);
    }
    import_reg(db, REG_UNITS, u.p);
    import_reg(db, REG_SITES, "name,url,code,unit,type,status\n" PORTAL
                              ",http://www.shifan.test/,4404990001,市政府办公室,门户网站,正常运行\n");
    import_reg(db, REG_COLUMNS, c.p);
    buf_release(&u);
    buf_release(&c);
}

static void work_items(struct store *db)
{
    struct case_ctx x;
    struct err e = { 0 };
    ASSERT_OK(case_ctx_init(&x, db, NULL, t_clk(), &e), &e);
    static const char *const units[] = { "市交通局", "市卫计局" };
    static const char *const sites[] = { PORTAL };
    static const char *const site_units[] = { "市政府办公室" };
    static const enum case_kind kinds[] = { CASE_DISCLOSURE, CASE_CONSULTATION,
                                            CASE_ERROR_REPORT };
    for (size_t i = 0; i < 3; i++) {
        struct fixture_cases f;
        fixture_cases_seed(kinds[i], &f);
        f.units = units, f.nunits = 2;
        f.sites = sites, f.site_units = site_units, f.nsites = 1;
        struct buf csv = BUF_INIT;
        ASSERT_OK(fixture_cases_csv(x.cal,
                                    case_rule_for(&x, kinds[i],
                                                  time_from_date(f.month, 36000, TZ_CST)),
                                    &f, &csv, &e),
                  &e);
        struct case_map m = { 0 };
        bool map = kinds[i] == CASE_ERROR_REPORT;
        if (map)
            ASSERT_OK(case_map_parse("map", FIXTURE_CASES_ERROR_MAP,
                                     strlen(FIXTURE_CASES_ERROR_MAP), &m, &e),
                      &e);
        struct case_import_result res;
        struct notes bad = NOTES_INIT;
        enum rc rc = case_import_mem(&x, kinds[i], "x.csv", csv.p, csv.n, map ? &m : NULL,
                                     "tester", &res, &bad, &e);
        if (rc)
            t_fail(__FILE__, __LINE__, "%s (%s)", err_msg(&e), bad.n ? bad.v[0] : "");
        notes_release(&bad);
        case_map_release(&m);
        buf_release(&csv);
    }
    case_ctx_release(&x);
}

static void finding(struct check_session *s, struct store *db, const char *kind,
                    const char *path, const char *subject, int64_t days)
{
    int64_t col = 0;
    struct err e = { 0 };
    ASSERT_OK(store_get_int(db, &col, &e, "SELECT id FROM site_columns WHERE path = ?", "t", path),
              &e);
    struct check_finding f = { .kind = kind,
                               .column_id = col,
                               .url = strcmp(kind, "link-retired") ? NULL
                                                                   : "http://www.shifan.test/c4/1.html",
                               .subject = subject,
                               .evidence = "{\"seen\":\"test\"}",
                               .summary = "测试",
                               .has_value = days > 0,
                               .value = days };
    ASSERT_OK(check_report(s, &f, NULL, &e), &e);
}

static void findings(struct store *db)
{
    struct err e = { 0 };
    int64_t site = 0;
    ASSERT_OK(store_get_int(db, &site, &e, "SELECT id FROM sites WHERE name = ?", "t", PORTAL), &e);
    struct check_scope sc = { .site_id = site,
                              .kinds = "column-stale,column-blank,required-missing,link-retired",
                              .complete = true,
                              .source = "test" };
    struct check_session *s;
    ASSERT_OK(check_begin(db, t_clk(), &sc, &s, &e), &e);
    finding(s, db, "column-stale", "民生>主题服务>交通服务", "交通服务", 255);
    finding(s, db, "column-stale", "民生>主题服务>健康服务>看病就医>医疗机构查询>社区卫生服务中心",
            "x", 400);
    finding(s, db, "column-blank", "民生>主题服务>健康服务>看病就医>医疗机构监管>不良执业公告", "x",
            0);
    finding(s, db, "column-stale", "民生>主题服务>健康服务>疾病预防>疫苗类别", "x", 390);
    finding(s, db, "column-stale", "信息公开目录>市卫计局>工作动态", "x", 500);
    finding(s, db, "required-missing", "专题>重点领域>医疗卫生>医疗服务信息公开>本级统计概况",
            "床位数", 0);
    finding(s, db, "required-missing", "专题>重点领域>医疗卫生>医疗服务信息公开>本级统计概况",
            "医护人员数", 0);
    finding(s, db, "link-retired", "民生>主题服务>交通服务", "http://www.gdbs.gov.cn/bs/1", 0);
    struct check_tally tl;
    ASSERT_OK(check_end(s, &tl, &e), &e);
}

static struct store *city(int b)
{
    struct store *db = t_open(b);
    registry(db);
    work_items(db);
    findings(db);
    struct fixture_articles fa;
    fixture_articles_seed(&fa);
    fa.history = 50;
    struct err e = { 0 };
    ASSERT_OK(fixture_articles_load(db, &fa, &e), &e);
    return db;
}

static const char *bulletin(struct store *db, const struct report_settings *s, const char *as_of,
                            enum rc want, struct err *e)
{
    int32_t day;
    date_parse(as_of, &day);
    struct doc *d = NULL;
    enum rc rc = report_monthly(db, t_clk(), s, date_from_ymd(2018, 11, 1), day, &d, e);
    ASSERT_EQ_INT(rc, want);
    if (rc)
        return NULL;
    struct buf md = BUF_INIT;
    ASSERT_OK(render_md(d, &md, e), e);
    doc_free(d);
    const char *out = arena_strdup(t_arena(), buf_cstr(&md));
    buf_release(&md);
    return out;
}

TEST(report_monthly_from_records)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *db = city(b);
        struct report_settings s;
        struct err e = { 0 };
        ASSERT_OK(report_settings_conf(&s, NULL, &e), &e);
        s.number = "示府办函〔2018〕295号";
        s.date = date_from_ymd(2018, 12, 12);
        const char *md = bulletin(db, &s, "2018-12-01", RC_OK, &e);
        ASSERT_CONTAINS(md, "示范市人民政府办公室关于2018年11月份市政府门户网站内容保障情况的通报");
        ASSERT_CONTAINS(md, "发布和更新各类信息共4835条");
        ASSERT_CONTAINS(md, "高栏港区899条、市食药监局188条、市人社局95条、市教育局80条（详见附件1）");
        ASSERT_CONTAINS(md, "收到网上依申请公开政府信息16宗，截至12月1日，已处理11宗，无一宗逾期15个工作日未答复。");
        ASSERT_CONTAINS(md, "共收到网上受理咨询和投诉18宗，时效内已答复15宗，按时办结率为100%。");
        ASSERT_CONTAINS(md, "网民留言25宗，截至12月1日，已处理25宗，无一宗逾期未处理。");
        ASSERT_CONTAINS(md, "请市交通局及时更新“民生\\>主题服务\\>交通服务”栏目的信息。");
        ASSERT_CONTAINS(md, "请市卫计局及时更新“民生\\>主题服务\\>健康服务\\>看病就医”部分栏目的信息（如："
                            "医疗机构查询\\>社区卫生服务中心、医疗机构监管\\>不良执业公告）和“民生\\>"
                            "主题服务\\>健康服务\\>疾病预防\\>疫苗类别”栏目的信息。");
        ASSERT_CONTAINS(md, "“本级统计概况”栏目未提供床位数、医护人员数等信息");
        ASSERT_CONTAINS(md, "市交通局（1个页面）负责的网页仍链接原网上办事大厅");
        ASSERT_CONTAINS(md, "| 市卫计局 | 示范市人民政府门户网站 | 信息公开目录\\>市卫计局\\>工作动态 | 500 |");
        /* A smaller group depth gathers the 卫计局's columns under one parent; top 2. */
        s.group_depth = 3;
        s.top_units = 2;
        md = bulletin(db, &s, "2018-12-01", RC_OK, &e);
        ASSERT_CONTAINS(md, "“民生\\>主题服务\\>健康服务”部分栏目的信息（如：看病就医\\>");
        ASSERT_CONTAINS(md, "高栏港区899条、市食药监局188条（详见附件1）");
        /* Before the findings were seen there is nothing to update; an early as-of date is
         * refused. */
        md = bulletin(db, &s, "2018-11-30", RC_OK, &e);
        ASSERT(!strstr(md, "及时更新部分栏目信息"));
        bulletin(db, &s, "2018-11-29", RC_INVALID, &e);
        ASSERT_CONTAINS(err_msg(&e), "--as-of");
        t_close(db);
    }
}

TEST(report_annual_disclosure_adds_up)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *db = city(b);
        struct report_settings s;
        struct err e = { 0 };
        ASSERT_OK(report_settings_conf(&s, NULL, &e), &e);
        struct report_annual_opts o = { .year = 2018, .form = REPORT_FORM_DISCLOSURE };
        struct doc *d = NULL;
        ASSERT_OK(report_annual(db, t_clk(), &s, &o, &d, &e), &e);
        struct buf md = BUF_INIT;
        ASSERT_OK(render_md(d, &md, &e), &e);
        ASSERT_CONTAINS(buf_cstr(&md), "一、本年新收政府信息公开申请数量");
        ASSERT_CONTAINS(buf_cstr(&md), "四、结转下年度继续办理");
        doc_free(d);
        buf_release(&md);
        t_close(db);
    }
}

TEST(report_formdef_parse_rows_and_errors)
{
    struct arena a = ARENA_INIT;
    struct report_formdef def;
    struct err e = { 0 };
    const char *ok = "# c\ntitle 表（{year}年度）\nsection 一\nrow 甲 | 个 | =sites.total\n"
                     "quarters 乙 | 次 | spot.checks\n";
    ASSERT_OK(report_formdef_parse(&a, "t.form", ok, strlen(ok), &def, &e), &e);
    ASSERT_EQ_STR(def.title, "表（{year}年度）");
    ASSERT_EQ_INT((int)def.n, 3);
    ASSERT_EQ_INT(def.rows[0].kind, REPORT_ROW_SECTION);
    ASSERT_EQ_STR(def.rows[1].source, "=sites.total");
    ASSERT_EQ_INT(def.rows[2].kind, REPORT_ROW_QUARTERS);
    ASSERT_EQ_STR(def.rows[2].unit, "次");
    static const struct {
        const char *text, *msg;
    } bad[] = {
        { "row 甲 | 个\n", "t.form:1: a row is" },
        { "\nline\n", "t.form:2: a line starts with" },
        { "row  | 个 | =x\n", "needs a label and a source" },
        { "row 甲 | 个 | =\n", "needs a label and a source" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err_clear(&e);
        ASSERT_EQ_INT(report_formdef_parse(&a, "t.form", bad[i].text, strlen(bad[i].text), &def,
                                           &e),
                      RC_PARSE);
        ASSERT_CONTAINS(err_msg(&e), bad[i].msg);
    }
    arena_release(&a);
}
