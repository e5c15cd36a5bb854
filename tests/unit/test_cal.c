/* test_cal.c - the working-day calendar and the deadline engine (src/cal/cal.h).
 *
 * Expected answers in the tables were worked out by hand from data/holidays/cn.tsv (the
 * comments show the counting); the property and cross-check tests compare the O(1)
 * arrays with a day-by-day reading of the same table written here independently. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cal/cal.h"
#include "core/conf.h"
#include "core/date.h"
#include "core/res.h"
#include "test.h"
#include "tstore.h"

static int32_t D(const char *s)
{
    int32_t d;
    if (!date_parse(s, &d))
        t_fail(__FILE__, __LINE__, "bad date in test: %s", s);
    return d;
}

static int64_t T(const char *s)
{
    int64_t t;
    if (!time_parse(s, TZ_CST, &t, NULL))
        t_fail(__FILE__, __LINE__, "bad time in test: %s", s);
    return t;
}

/* The national calendar without local overrides or the installed data directory. */
static struct cal *national(void)
{
    res_set_dir(t_tmpdir());
    struct cal *c = NULL;
    struct err e = { 0 };
    ASSERT_OK(cal_load(NULL, &c, &e), &e);
    return c;
}

/* --- An independent reading of the table: one scan per question, no arrays. ---------- */

struct naive {
    int32_t day[2000];
    char kind[2000]; /* 'o' off, 'w' work */
    int n;
};

static void naive_load(struct naive *nv)
{
    const struct res_file *f = res_find_embedded(CAL_TABLE);
    ASSERT_NOT_NULL(f);
    nv->n = 0;
    const char *p = (const char *)f->data;
    while (*p) {
        const char *eol = strchr(p, '\n');
        size_t len = eol ? (size_t)(eol - p) : strlen(p);
        char line[256];
        snprintf(line, sizeof(line), "%.*s", (int)(len < 255 ? len : 255), p);
        int y, m, d;
        char k[8];
        if (line[0] != '#' && sscanf(line, "%d-%d-%d\t%7s", &y, &m, &d, k) == 4) {
            ASSERT(nv->n < 2000);
            nv->day[nv->n] = date_from_ymd(y, m, d);
            nv->kind[nv->n] = k[0];
            nv->n++;
        }
        p += len + (eol ? 1 : 0);
    }
    ASSERT(nv->n > 600);
}

static bool naive_work(const struct naive *nv, int32_t day)
{
    for (int i = 0; i < nv->n; i++)
        if (nv->day[i] == day)
            return nv->kind[i] == 'w';
    return date_weekday(day) <= 5;
}

TEST(cal_matches_the_table_day_by_day)
{
    struct cal *c = national();
    struct naive nv;
    naive_load(&nv);
    int work = 0;
    for (int32_t d = D("2006-12-01"); d <= D("2026-12-31"); d++) {
        bool w = naive_work(&nv, d);
        if (cal_is_workday(c, d) != w) {
            char s[11];
            date_fmt(d, s);
            t_fail(__FILE__, __LINE__, "%s: cal says %d, the table %d", s, cal_is_workday(c, d), w);
        }
        work += w;
    }
    /* Add N working days the slow way for a sample of days and compare. */
    for (int k = 0; k < 400; k++) {
        int32_t d = D("2007-01-01") + (int32_t)(t_rand() % 7200);
        int n = 1 + (int)(t_rand() % 45);
        int32_t x = d, got;
        for (int left = n; left;) {
            x++;
            left -= naive_work(&nv, x);
        }
        struct err e = { 0 };
        ASSERT_OK(cal_add(c, d, n, &got, NULL, &e), &e);
        ASSERT_EQ_INT(got, x);
    }
    ASSERT(work > 4800); /* sanity: about 249 working days a year */
    cal_free(c);
}

TEST(cal_days_table)
{
    /* clang-format off */
    static const struct { const char *day; bool work; enum cal_reason why; const char *name; } cases[] = {
        { "2018-09-29", true,  CAL_ADJUSTED, "国庆节" },   /* Saturday, 调休上班 */
        { "2018-09-30", true,  CAL_ADJUSTED, "国庆节" },
        { "2018-10-01", false, CAL_HOLIDAY,  "国庆节" },
        { "2018-10-06", false, CAL_HOLIDAY,  "国庆节" },   /* a weekend inside the stated range */
        { "2018-10-08", true,  CAL_WEEKDAY,  NULL },
        { "2018-10-13", false, CAL_WEEKEND,  NULL },
        { "2015-09-03", false, CAL_HOLIDAY,  "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日" },
        { "2015-09-04", false, CAL_HOLIDAY,  "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日" },
        { "2015-09-06", true,  CAL_ADJUSTED, "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日" },
        { "2020-01-31", false, CAL_HOLIDAY,  "春节" },     /* the COVID-19 extension */
        { "2020-02-02", false, CAL_HOLIDAY,  "春节" },
        { "2020-02-03", true,  CAL_WEEKDAY,  NULL },
        { "2020-01-19", true,  CAL_ADJUSTED, "春节" },
        { "2018-12-29", true,  CAL_ADJUSTED, "元旦" },     /* set by the 2019 notice */
        { "2018-12-31", false, CAL_HOLIDAY,  "元旦" },
    };
    /* clang-format on */
    struct cal *c = national();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct cal_day d;
        struct cal_est est = { 0 };
        struct err e = { 0 };
        ASSERT_OK(cal_day(c, D(cases[i].day), &d, &est, &e), &e);
        if (d.work != cases[i].work || d.reason != cases[i].why)
            t_fail(__FILE__, __LINE__, "%s: work %d reason %s", cases[i].day, d.work,
                   cal_reason_key(d.reason));
        if (cases[i].name)
            ASSERT_EQ_STR(d.name, cases[i].name);
        else
            ASSERT_NULL(d.name);
        ASSERT_FALSE(d.estimated);
        ASSERT_FALSE(est.estimated);
    }
    ASSERT_EQ_INT(c->year_first, 2007);
    ASSERT_EQ_INT(c->year_last, 2026);
    cal_free(c);
}

TEST(cal_add_and_count_table)
{
    /* clang-format off */
    static const struct { const char *from; int n; const char *want; } cases[] = {
        { "2018-09-28", 15, "2018-10-24" },  /* 09-29, 09-30 count; 10-01..07 do not */
        { "2018-09-28", 1,  "2018-09-29" },  /* the next working day is a Saturday */
        { "2018-09-30", 1,  "2018-10-08" },
        { "2018-10-08", -1, "2018-09-30" },
        { "2018-10-24", -15, "2018-09-28" }, /* 09-28 is the 15th working day before */
        { "2019-12-20", 20, "2020-01-19" },  /* over New Year to a 调休 Sunday */
        { "2020-01-20", 4,  "2020-02-03" },  /* the extended Spring Festival 2020 */
        { "2015-09-02", 1,  "2015-09-06" },  /* 2015-09-03..05 off, 09-06 Sunday works */
        { "2018-12-20", 15, "2019-01-11" },
        { "2019-01-25", 15, "2019-02-20" },
        { "2018-10-01", 0,  "2018-10-01" },
    };
    /* clang-format on */
    struct cal *c = national();
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int32_t got;
        struct err e = { 0 };
        ASSERT_OK(cal_add(c, D(cases[i].from), cases[i].n, &got, NULL, &e), &e);
        char g[11];
        date_fmt(got, g);
        if (strcmp(g, cases[i].want))
            t_fail(__FILE__, __LINE__, "%s %+d: got %s, want %s", cases[i].from, cases[i].n, g,
                   cases[i].want);
        if (cases[i].n > 0) {
            int k;
            ASSERT_OK(cal_count(c, D(cases[i].from) + 1, got, &k, NULL, &e), &e);
            ASSERT_EQ_INT(k, cases[i].n);
        }
    }
    int k;
    struct err e = { 0 };
    ASSERT_OK(cal_count(c, D("2018-10-01"), D("2018-10-07"), &k, NULL, &e), &e);
    ASSERT_EQ_INT(k, 0);
    ASSERT_OK(cal_count(c, D("2018-10-07"), D("2018-10-01"), &k, NULL, &e), &e);
    ASSERT_EQ_INT(k, 0);
    int32_t nx;
    ASSERT_OK(cal_next(c, D("2020-01-23"), &nx, NULL, &e), &e);
    ASSERT_EQ_INT(nx, D("2020-02-03"));
    cal_free(c);
}

TEST(cal_property_add_then_count_back)
{
    static const int ns[] = { 1, 2, 3, 5, 7, 15, 20, 40, 250 };
    struct cal *c = national();
    struct err e = { 0 };
    for (int32_t d = D("2007-01-01"); d <= D("2026-12-31"); d++) {
        for (size_t i = 0; i < sizeof(ns) / sizeof(ns[0]); i++) {
            int n = ns[i], k;
            int32_t x, y;
            ASSERT_OK(cal_add(c, d, n, &x, NULL, &e), &e);
            ASSERT(x > d);
            ASSERT(cal_is_workday(c, x));
            ASSERT_OK(cal_count(c, d + 1, x, &k, NULL, &e), &e);
            ASSERT_EQ_INT(k, n);
            ASSERT_OK(cal_count(c, d + 1, x - 1, &k, NULL, &e), &e);
            ASSERT_EQ_INT(k, n - 1); /* x is the first day reaching n */
            ASSERT_OK(cal_add(c, d, -n, &y, NULL, &e), &e);
            ASSERT(y < d);
            ASSERT(cal_is_workday(c, y));
            ASSERT_OK(cal_count(c, y, d - 1, &k, NULL, &e), &e);
            ASSERT_EQ_INT(k, n);
        }
    }
    cal_free(c);
}

TEST(cal_estimates_beyond_the_table)
{
    struct cal *c = national();
    struct err e = { 0 };
    struct cal_est est = { 0 };
    int32_t x;
    ASSERT_OK(cal_add(c, D("2026-12-01"), 20, &x, &est, &e), &e);
    ASSERT_EQ_INT(x, D("2026-12-29"));
    ASSERT_FALSE(est.estimated);
    ASSERT_OK(cal_add(c, D("2026-12-20"), 20, &x, &est, &e), &e);
    ASSERT_EQ_INT(x, D("2027-01-15")); /* 2027-01-01 counted: no notice yet */
    ASSERT_TRUE(est.estimated);
    ASSERT_EQ_INT(est.year_lo, 2027);
    ASSERT_EQ_INT(est.year_hi, 2027);
    struct buf w = BUF_INIT;
    cal_est_warning(c, &est, &w);
    ASSERT_CONTAINS(buf_cstr(&w), "no holiday data for 2027 (the table covers 2007-2026)");
    buf_release(&w);
    struct cal_day d;
    struct cal_est e2 = { 0 };
    ASSERT_OK(cal_day(c, D("2005-05-02"), &d, &e2, &e), &e);
    ASSERT_TRUE(d.work && d.estimated && e2.estimated && e2.year_lo == 2005);
    /* A local override is known even in an uncovered year. */
    ASSERT_OK(cal_set_local(c, D("2027-01-01"), false, "元旦（本地预设）", &e), &e);
    struct cal_est e3 = { 0 };
    ASSERT_OK(cal_day(c, D("2027-01-01"), &d, &e3, &e), &e);
    ASSERT_FALSE(d.work || d.estimated || e3.estimated);
    /* Out of range is an error naming the range, never undefined. */
    ASSERT_RC(cal_day(c, D("2100-01-01"), &d, NULL, &e), RC_INVALID);
    ASSERT_CONTAINS(err_msg(&e), "outside the calendar's range 1990-01-01..2099-12-31");
    err_clear(&e);
    ASSERT_RC(cal_add(c, D("2099-12-20"), 30, &x, NULL, &e), RC_INVALID);
    ASSERT_CONTAINS(err_msg(&e), "past 2099-12-31");
    err_clear(&e);
    ASSERT_RC(cal_add(c, D("1990-01-03"), -30, &x, NULL, &e), RC_INVALID);
    cal_free(c);
}

TEST(cal_tsv_parsing)
{
    /* clang-format off */
    static const struct { const char *text; const char *err; } bad[] = {
        { "2018-10-01\toff\n2018-13-01\toff\tx\n", "t.tsv:2: '2018-13-01' is not a date" },
        { "2018-10-01\tholiday\t国庆节\n", "t.tsv:1: kind 'holiday' is neither 'off' nor 'work'" },
        { "2018-10-01\n", "t.tsv:1: expected 'YYYY-MM-DD<TAB>off|work<TAB>name'" },
        { "2018-10-01\toff\ta\n2018-10-01\toff\tb\n", "date 2018-10-01 is listed twice" },
        { "2200-01-01\toff\tx\n", "outside the calendar's range" },
        { "2018-10-01\toff\t\xff\xfe\n", "not valid UTF-8" },
        { "# c\n\n2018-10-01\toff\ta\x01\n", "t.tsv:3: name contains a control character" },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        struct cal *c = NULL;
        struct err e = { 0 };
        ASSERT_RC(cal_from_tsv("t.tsv", bad[i].text, strlen(bad[i].text), &c, &e), RC_PARSE);
        ASSERT_NULL(c);
        ASSERT_CONTAINS(err_msg(&e), bad[i].err);
    }
    /* BOM, CRLF, spaces instead of tabs, unsorted rows, a name with a space. */
    const char *ok =
        "\xEF\xBB\xBF# header\r\n2030-10-02  off  国庆 节\r\n2030-09-29\twork\t国庆节\r\n"
        "2029-12-29\twork\t元旦\r\n";
    struct cal *c = NULL;
    struct err e = { 0 };
    ASSERT_OK(cal_from_tsv("ok.tsv", ok, strlen(ok), &c, &e), &e);
    struct cal_day d;
    ASSERT_OK(cal_day(c, D("2030-10-02"), &d, NULL, &e), &e);
    ASSERT_EQ_STR(d.name, "国庆 节");
    ASSERT_FALSE(d.work);
    ASSERT_FALSE(d.estimated); /* 2030 has rows before December */
    ASSERT_OK(cal_day(c, D("2029-12-29"), &d, NULL, &e), &e);
    ASSERT_TRUE(d.work && d.reason == CAL_ADJUSTED);
    ASSERT_TRUE(d.estimated); /* 2029 has a December row only */
    ASSERT_EQ_INT(c->year_first, 2030);
    ASSERT_EQ_INT(c->year_last, 2030);
    cal_free(c);
}

TEST(cal_table_override_file_replaces_the_embedded_one)
{
    const char *dir = t_tmpdir();
    char path[1024];
    snprintf(path, sizeof(path), "%s/holidays", dir);
    ASSERT_EQ_INT(mkdir(path, 0755), 0);
    const char *tsv = "2027-01-01\toff\t元旦\n2027-02-06\twork\t春节\n";
    t_write("holidays/cn.tsv", tsv, strlen(tsv));
    res_set_dir(dir);
    struct cal *c = NULL;
    struct err e = { 0 };
    ASSERT_OK(cal_load(NULL, &c, &e), &e);
    ASSERT_CONTAINS(c->source, "holidays/cn.tsv");
    ASSERT_EQ_INT(c->year_first, 2027);
    ASSERT_FALSE(cal_is_workday(c, D("2027-01-01")));
    ASSERT_TRUE(cal_is_workday(c, D("2027-02-06")));
    ASSERT_TRUE(cal_is_workday(c, D("2018-10-01"))); /* the national rows are gone */
    cal_free(c);
    tsv = "2027-01-01\tnope\t元旦\n";
    t_write("holidays/cn.tsv", tsv, strlen(tsv));
    ASSERT_RC(cal_load(NULL, &c, &e), RC_PARSE);
    ASSERT_CONTAINS(err_msg(&e), "holidays/cn.tsv:1: kind 'nope'");
}

/* --- Deadlines ------------------------------------------------------------------------ */

struct dcase {
    const char *what;
    const char *rule;
    const char *received;
    const char *events[5];
    const char *due; /* ISO 8601, "paused", or NULL when refused */
    bool estimated;
    const char *err; /* the refusal, when due is NULL */
};

/* clang-format off */
static const struct dcase deadline_cases[] = {
    /* disclosure-2008: 15 working days after the receipt day, due 23:59:59. */
    { "national day with its 调休 weekend", "disclosure-2008", "2018-09-28 10:00", { 0 },
      "2018-10-24T23:59:59+08:00", false, NULL },
    { "received at 23:59", "disclosure-2008", "2018-11-30 23:59", { 0 },
      "2018-12-21T23:59:59+08:00", false, NULL },
    { "received on a holiday: day 1 is 10-08", "disclosure-2008", "2018-10-03 10:00", { 0 },
      "2018-10-26T23:59:59+08:00", false, NULL },
    { "received on a 调休 Saturday: 09-30 is day 1", "disclosure-2008", "2018-09-29 10:00", { 0 },
      "2018-10-25T23:59:59+08:00", false, NULL },
    { "year end: 12-29 works, 12-30..01-01 off", "disclosure-2008", "2018-12-20 09:00", { 0 },
      "2019-01-11T23:59:59+08:00", false, NULL },
    { "spring festival 2019 with 02-02/03 worked", "disclosure-2008", "2019-01-25 09:00", { 0 },
      "2019-02-20T23:59:59+08:00", false, NULL },
    { "the 2015-09-03 holiday", "disclosure-2008", "2015-09-01 09:00", { 0 },
      "2015-09-23T23:59:59+08:00", false, NULL },
    { "ISO 8601 in UTC is the same instant", "disclosure-2008", "2018-09-28T02:00:00Z", { 0 },
      "2018-10-24T23:59:59+08:00", false, NULL },
    /* disclosure-2019: 20 working days. */
    { "national day 2019 (09-29 and 10-12 worked)", "disclosure-2019", "2019-09-27 10:00", { 0 },
      "2019-10-30T23:59:59+08:00", false, NULL },
    { "over new year, due on a 调休 Sunday", "disclosure-2019", "2019-12-20 16:00", { 0 },
      "2020-01-19T23:59:59+08:00", false, NULL },
    { "the 2020 spring festival extension", "disclosure-2019", "2020-01-20 09:00", { 0 },
      "2020-02-25T23:59:59+08:00", false, NULL },
    { "restart: 补正 received 06-12", "disclosure-2019", "2019-06-03 10:00",
      { "restart@2019-06-12 09:00" }, "2019-07-10T23:59:59+08:00", false, NULL },
    { "restart long after the old due time", "disclosure-2019", "2019-06-03 10:00",
      { "restart@2019-09-27 10:00" }, "2019-10-30T23:59:59+08:00", false, NULL },
    { "beyond the table: estimated", "disclosure-2019", "2026-12-20 10:00", { 0 },
      "2027-01-15T23:59:59+08:00", true, NULL },
    { "inside the table's last year: not estimated", "disclosure-2019", "2026-12-01 10:00", { 0 },
      "2026-12-29T23:59:59+08:00", false, NULL },
    /* Pauses (third-party consultation): the pause day counts, counting resumes the next day. */
    { "pause spanning national day", "disclosure-2008", "2018-09-20 09:00",
      { "pause@2018-09-28 16:00", "resume@2018-10-09 10:00" }, "2018-10-23T23:59:59+08:00", false, NULL },
    { "pause and resume on one day change nothing", "disclosure-2008", "2018-09-28 10:00",
      { "pause@2018-10-09 09:00", "resume@2018-10-09 17:00" }, "2018-10-24T23:59:59+08:00", false, NULL },
    { "events are applied in time order", "disclosure-2008", "2018-09-20 09:00",
      { "resume@2018-10-09 10:00", "pause@2018-09-28 16:00" }, "2018-10-23T23:59:59+08:00", false, NULL },
    { "still paused: no due time", "disclosure-2019", "2019-09-27 10:00",
      { "pause@2019-10-09 10:00" }, "paused", false, NULL },
    { "paused on the last day, resumed later", "disclosure-2008", "2018-09-28 10:00",
      { "pause@2018-10-24 10:00", "resume@2018-10-29 10:00" }, "2018-10-29T23:59:59+08:00", false, NULL },
    /* Extensions. */
    { "extension of 15 over a weekend", "disclosure-2008", "2018-09-28 10:00",
      { "extend@2018-10-20 10:00:15" }, "2018-11-14T23:59:59+08:00", false, NULL },
    { "extension decided while paused", "disclosure-2008", "2018-09-20 09:00",
      { "pause@2018-09-28 16:00", "extend:5@2018-10-08 10:00", "resume@2018-10-09 10:00" },
      "2018-10-30T23:59:59+08:00", false, NULL },
    { "consultation: 7 working days", "consultation", "2018-11-30 10:00", { 0 },
      "2018-12-11T23:59:59+08:00", false, NULL },
    { "consultation: extended to 15", "consultation", "2018-11-30 10:00",
      { "extend@2018-12-05:8" }, "2018-12-21T23:59:59+08:00", false, NULL },
    /* error-report-gd: the receipt day is day 1 when it works; due 12:00 of day 2. */
    { "找错 received friday 23:59", "error-report-gd", "2018-11-30 23:59", { 0 },
      "2018-12-03T12:00:00+08:00", false, NULL },
    { "找错 on the eve of national day", "error-report-gd", "2018-09-30 10:00", { 0 },
      "2018-10-08T12:00:00+08:00", false, NULL },
    { "找错 on a 调休 Saturday", "error-report-gd", "2018-09-29 10:00", { 0 },
      "2018-09-30T12:00:00+08:00", false, NULL },
    { "找错 on a holiday", "error-report-gd", "2018-10-01 10:00", { 0 },
      "2018-10-09T12:00:00+08:00", false, NULL },
    { "找错 on the eve of national day 2019", "error-report-gd", "2019-09-30 15:00", { 0 },
      "2019-10-08T12:00:00+08:00", false, NULL },
    /* Refusals. */
    { "extension beyond the limit", "disclosure-2008", "2018-09-28 10:00",
      { "extend@2018-10-20:16" }, NULL, false,
      "event 'extend@2018-10-20:16': rule disclosure-2008 allows at most 15 working days of extension; extend by at most 15" },
    { "a second extension", "disclosure-2008", "2018-09-28 10:00",
      { "extend@2018-10-20:10", "extend@2018-10-22:5" }, NULL, false, "allows 1 extension per period" },
    { "two extensions beyond the total", "consultation", "2018-11-30 10:00",
      { "extend@2018-12-05:9" }, NULL, false, "at most 8 working days of extension" },
    { "extension after the due time", "disclosure-2008", "2018-09-28 10:00",
      { "extend@2018-10-25 09:00:5" }, NULL, false, "the period already ended at 2018-10-24 23:59:59" },
    { "no extension for 找错", "error-report-gd", "2018-11-30 10:00",
      { "extend@2018-11-30 11:00:1" }, NULL, false, "rule error-report-gd has no extension" },
    { "no restart under the 2008 条例", "disclosure-2008", "2018-09-28 10:00",
      { "restart@2018-10-09 10:00" }, NULL, false, "the 2008 条例 has no such rule" },
    { "resume without pause", "disclosure-2008", "2018-09-28 10:00",
      { "resume@2018-10-09 10:00" }, NULL, false, "the clock is not paused" },
    { "pause twice", "disclosure-2008", "2018-09-28 10:00",
      { "pause@2018-10-09 10:00", "pause@2018-10-10 10:00" }, NULL, false,
      "already paused since 2018-10-09 10:00:00" },
    { "pause after the due time", "disclosure-2008", "2018-09-28 10:00",
      { "pause@2018-10-25 10:00" }, NULL, false, "a pause must come before the due time" },
    { "an event before the receipt", "disclosure-2008", "2018-09-28 10:00",
      { "pause@2018-09-27 10:00" }, NULL, false, "is before the receipt time 2018-09-28 10:00:00" },
    { "no pause for 找错", "error-report-gd", "2018-09-28 10:00",
      { "pause@2018-09-28 11:00" }, NULL, false, "does not stop the clock" },
    { "received outside the calendar", "disclosure-2008", "2100-01-02 10:00", { 0 },
      NULL, false, "outside the calendar's range" },
};
/* clang-format on */

/* The national calendar, the built-in rules and an explanation, for the deadline tests. */
struct fx {
    struct cal *cal;
    struct deadline_rules rules;
    struct deadline_explain ex;
};

static void fx_open(struct fx *f)
{
    struct err e = { 0 };
    f->cal = national();
    ASSERT_OK(deadline_rules_load(&f->rules, NULL, &e), &e);
    deadline_explain_init(&f->ex);
}

static void fx_close(struct fx *f)
{
    deadline_explain_release(&f->ex);
    deadline_rules_release(&f->rules);
    cal_free(f->cal);
}

/* Compute `rule` for `received` with the event tokens (NULL-terminated, may be NULL);
 * with `explain`, fill f->ex.  Returns the rc; *e holds the refusal. */
static enum rc fx_compute(struct fx *f, const char *rule, const char *received,
                          const char *const *events, bool explain, struct deadline_result *res,
                          struct err *e)
{
    const struct deadline_rule *r = deadline_rule_find(&f->rules, rule);
    ASSERT_NOT_NULL(r);
    struct deadline_event ev[4];
    size_t n = 0;
    for (; events && n < 4 && events[n]; n++)
        ASSERT_OK(deadline_event_parse(events[n], TZ_CST, &ev[n], e), e);
    return deadline_compute(f->cal, r, T(received), ev, n, res, explain ? &f->ex : NULL, e);
}

static struct deadline_result fx_ok(struct fx *f, const char *rule, const char *received,
                                    const char *const *events, bool explain)
{
    struct deadline_result res;
    struct err e = { 0 };
    ASSERT_OK(fx_compute(f, rule, received, events, explain, &res, &e), &e);
    return res;
}

static void run_case(struct fx *f, const struct dcase *k, bool explain)
{
    struct deadline_result res;
    struct err e = { 0 };
    enum rc rc = fx_compute(f, k->rule, k->received, k->events, explain, &res, &e);
    if (!k->due) {
        if (rc != RC_INVALID)
            t_fail(__FILE__, __LINE__, "%s: not refused (rc %s)", k->what, rc_name(rc));
        if (!strstr(err_msg(&e), k->err))
            t_fail(__FILE__, __LINE__, "%s:\n    got:  %s\n    want: %s", k->what, err_msg(&e),
                   k->err);
        return;
    }
    if (rc)
        t_fail(__FILE__, __LINE__, "%s: %s", k->what, err_msg(&e));
    char got[32] = "paused";
    if (!res.paused)
        time_fmt_iso(res.due, TZ_CST, got);
    if (strcmp(got, k->due) || res.est.estimated != k->estimated)
        t_fail(__FILE__, __LINE__, "%s: due %s estimated %d; want %s estimated %d", k->what, got,
               res.est.estimated, k->due, k->estimated);
}

TEST(deadline_cases_table)
{
    struct fx f;
    fx_open(&f);
    for (size_t i = 0; i < sizeof(deadline_cases) / sizeof(deadline_cases[0]); i++) {
        run_case(&f, &deadline_cases[i], false);
        run_case(&f, &deadline_cases[i], true); /* the explained path agrees */
    }
    fx_close(&f);
}

TEST(deadline_result_fields)
{
    struct fx f;
    fx_open(&f);
    static const char *const pr[] = { "pause@2018-09-28 16:00", "resume@2018-10-09 10:00", NULL };
    struct deadline_result r = fx_ok(&f, "disclosure-2008", "2018-09-20 09:00", pr, false);
    ASSERT_EQ_INT(r.paused_days, 11);
    ASSERT_EQ_INT(r.first_day, D("2018-09-21"));
    ASSERT_EQ_INT(r.working_days, 15);
    ASSERT_EQ_INT(r.due_day, D("2018-10-23"));
    ASSERT_FALSE(r.out_of_validity);
    static const char *const p[] = { "pause@2019-10-09 10:00", NULL };
    r = fx_ok(&f, "disclosure-2019", "2019-09-27 10:00", p, false);
    ASSERT_TRUE(r.paused);
    ASSERT_EQ_INT(r.used, 4); /* 09-29, 09-30, 10-08 and the pause day 10-09 */
    ASSERT_EQ_INT(r.remaining, 16);
    ASSERT_EQ_INT(r.due, 0);
    ASSERT_EQ_INT(r.due_day, DATE_NONE);
    r = fx_ok(&f, "disclosure-2019", "2018-11-30 10:00", NULL, false);
    ASSERT_TRUE(r.out_of_validity);
    r = fx_ok(&f, "error-report-gd", "2018-11-30 23:59", NULL, false);
    ASSERT_EQ_INT(r.opens, T("2018-12-03 00:00"));
    ASSERT_EQ_INT(r.due, T("2018-12-03 12:00"));
    ASSERT_EQ_INT(r.first_day, D("2018-11-30"));
    /* Too many events is a limit, not a crash. */
    static struct deadline_event many[DEADLINE_MAX_EVENTS + 1];
    struct err e = { 0 };
    ASSERT_RC(deadline_compute(f.cal, &f.rules.v[0], T("2018-11-30 10:00"), many,
                               DEADLINE_MAX_EVENTS + 1, &r, NULL, &e),
              RC_LIMIT);
    fx_close(&f);
}

TEST(deadline_event_parser_table)
{
    /* clang-format off */
    static const struct { const char *in; int type; const char *at; int days; const char *err; } cases[] = {
        { "pause@2018-10-09 10:00",        DEADLINE_PAUSE,   "2018-10-09T10:00:00+08:00", 0,  NULL },
        { "resume@2018-10-20T15:30:00+08:00", DEADLINE_RESUME, "2018-10-20T15:30:00+08:00", 0, NULL },
        { "RESTART@2018-10-20",            DEADLINE_RESTART, "2018-10-20T00:00:00+08:00", 0,  NULL },
        { "extend@2018-10-20:15",          DEADLINE_EXTEND,  "2018-10-20T00:00:00+08:00", 15, NULL },
        { "extend@2018-10-20 10:00:15",    DEADLINE_EXTEND,  "2018-10-20T10:00:00+08:00", 15, NULL },
        { "extend:20@2018-10-20 10:00",    DEADLINE_EXTEND,  "2018-10-20T10:00:00+08:00", 20, NULL },
        { "延期@2018-10-20T02:00:00Z:3",   DEADLINE_EXTEND,  "2018-10-20T10:00:00+08:00", 3,  NULL },
        { "暂停@2018年10月9日 10:00",       DEADLINE_PAUSE,   "2018-10-09T10:00:00+08:00", 0,  NULL },
        { "pause 2018-10-09",   0, NULL, 0, "event 'pause 2018-10-09' has no '@'; write TYPE@TIME" },
        { "stop@2018-10-09",    0, NULL, 0, "unknown type 'stop'; use pause, resume, restart or extend" },
        { "pause@2018-10-32",   0, NULL, 0, "cannot parse the time '2018-10-32'" },
        { "pause@",             0, NULL, 0, "cannot parse the time ''" },
        { "extend@2018-10-20",  0, NULL, 0, "needs the number of working days to add" },
        { "extend@2018-10-20 10:00", 0, NULL, 0, "needs the number of working days to add" },
        { "extend@2018-10-20:0",  0, NULL, 0, "'0' is not a number of working days 1..1000" },
        { "extend@2018-10-20:x",  0, NULL, 0, "'x' is not a number of working days" },
        { "extend:5@2018-10-20:5", 0, NULL, 0, "cannot parse the time '2018-10-20:5'" },
        { "pause:3@2018-10-20",   0, NULL, 0, "only extend takes a number of days; write pause@TIME" },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct deadline_event ev;
        struct err e = { 0 };
        enum rc rc = deadline_event_parse(cases[i].in, TZ_CST, &ev, &e);
        if (!cases[i].at) {
            if (rc != RC_PARSE)
                t_fail(__FILE__, __LINE__, "'%s' was accepted", cases[i].in);
            ASSERT_CONTAINS(err_msg(&e), cases[i].err);
            continue;
        }
        if (rc)
            t_fail(__FILE__, __LINE__, "'%s': %s", cases[i].in, err_msg(&e));
        char at[32];
        time_fmt_iso(ev.at, TZ_CST, at);
        ASSERT_EQ_INT(ev.type, cases[i].type);
        ASSERT_EQ_STR(at, cases[i].at);
        ASSERT_EQ_INT(ev.days, cases[i].days);
    }
    int64_t t;
    struct err e = { 0 };
    ASSERT_OK(deadline_parse_time("2018-12-01 09:30", TZ_CST, &t, &e), &e);
    ASSERT_EQ_INT(t, T("2018-12-01T01:30:00Z"));
    ASSERT_RC(deadline_parse_time("yesterday", TZ_CST, &t, &e), RC_PARSE);
    ASSERT_CONTAINS(
        err_msg(&e),
        "cannot parse the time 'yesterday'; use 'YYYY-MM-DD HH:MM' (China time) or ISO 8601");
}

TEST(deadline_rules_from_configuration)
{
    struct conf cf;
    conf_init(&cf);
    conf_set(&cf, "deadline.consultation", "days", "5");
    conf_set(&cf, "deadline.petition-local", "title", "市长信箱");
    conf_set(&cf, "deadline.petition-local", "days", "10");
    conf_set(&cf, "deadline.petition-local", "extension", "5");
    conf_set(&cf, "deadline.petition-local", "due", "17:30");
    conf_set(&cf, "deadline.petition-local", "pause", "yes");
    conf_set(&cf, "deadline.half-day", "days", "2");
    conf_set(&cf, "deadline.half-day", "start", "same-day");
    conf_set(&cf, "deadline.half-day", "opens", "08:30");
    conf_set(&cf, "deadline.half-day", "due", "12:00");
    struct deadline_rules rules;
    struct err e = { 0 };
    ASSERT_OK(deadline_rules_load(&rules, &cf, &e), &e);
    ASSERT_EQ_INT(rules.n, deadline_nbuiltin + 2);
    const struct deadline_rule *r = deadline_rule_find(&rules, "consultation");
    ASSERT_EQ_INT(r->days, 5);
    ASSERT_EQ_INT(r->extension_max, 10);        /* still "extendable to 15" */
    ASSERT_EQ_INT(deadline_builtin[3].days, 7); /* the built-in table is untouched */
    r = deadline_rule_find(&rules, "petition-local");
    ASSERT_NOT_NULL(r);
    ASSERT_EQ_STR(r->title, "市长信箱");
    ASSERT_TRUE(r->days == 10 && r->extension_max == 5 && r->extensions == 1 && r->pause &&
                !r->restart);
    ASSERT_EQ_INT(r->due_secs, 17 * 3600 + 1800);
    struct cal *c = national();
    struct deadline_result res;
    ASSERT_OK(deadline_compute(c, r, T("2018-09-28 10:00"), NULL, 0, &res, NULL, &e), &e);
    char got[32];
    time_fmt_iso(res.due, TZ_CST, got);
    ASSERT_EQ_STR(got, "2018-10-17T17:30:00+08:00"); /* 09-29, 09-30, 10-08..12, 10-15..17 */
    r = deadline_rule_find(&rules, "half-day");
    ASSERT_OK(deadline_compute(c, r, T("2018-11-30 23:59"), NULL, 0, &res, NULL, &e), &e);
    ASSERT_EQ_INT(res.opens, T("2018-12-03 08:30"));
    ASSERT_EQ_INT(res.due, T("2018-12-03 12:00"));
    ASSERT_NULL(deadline_rule_find(&rules, "nonesuch"));
    struct buf names = BUF_INIT;
    deadline_rules_names(&rules, &names);
    ASSERT_CONTAINS(buf_cstr(&names),
                    "disclosure-2008, disclosure-2019, error-report-gd, consultation");
    buf_release(&names);
    deadline_rules_release(&rules);
    cal_free(c);
    conf_release(&cf);

    /* clang-format off */
    static const struct { const char *section, *key, *val, *err; } bad[] = {
        { "deadline.new-rule", "title", "x", "the new rule [deadline.new-rule] has no 'days'" },
        { "deadline.consultation", "dayz", "3", "unknown key 'dayz' in [deadline.consultation]; the keys are title" },
        { "deadline.consultation", "days", "0", "days" },
        { "deadline.consultation", "days", "many", "days" },
        { "deadline.consultation", "due", "25:00", "due = '25:00' is not a time of day" },
        { "deadline.consultation", "start", "tomorrow", "use next-day" },
        { "deadline.consultation", "extend_to", "3", "extend_to = 3 is less than days = 7" },
        { "deadline.Bad Name", "days", "3", "[deadline.Bad Name] is not a rule name" },
        { "deadline.x", "valid_from", "2019/13/01", "valid_from = '2019/13/01' is not a date" },
        { "deadline.error-report-gd", "opens", "13:00", "the window opens after it closes" },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        conf_init(&cf);
        conf_set(&cf, bad[i].section, bad[i].key, bad[i].val);
        if (!strcmp(bad[i].section, "deadline.x"))
            conf_set(&cf, "deadline.x", "days", "3");
        err_clear(&e);
        ASSERT_RC(deadline_rules_load(&rules, &cf, &e), RC_INVALID);
        ASSERT_CONTAINS(err_msg(&e), bad[i].err);
        ASSERT_NULL(rules.v);
        conf_release(&cf);
    }
}

TEST(deadline_explanation_golden)
{
    struct fx f;
    fx_open(&f);
    struct buf out = BUF_INIT;
    /* clang-format off */
    static const struct { const char *rule, *received, *events[4]; } cases[] = {
        { "disclosure-2008", "2018-09-28 10:00", { 0 } },
        { "disclosure-2008", "2018-09-20 09:00",
          { "pause@2018-09-28 16:00", "resume@2018-10-09 10:00", "extend@2018-10-15 10:00:5" } },
        { "disclosure-2019", "2019-06-03 10:00", { "restart@2019-06-12 09:00" } },
        { "disclosure-2019", "2019-09-27 10:00", { "pause@2019-10-09 10:00" } },
        { "error-report-gd", "2018-10-01 10:00", { 0 } },
        { "disclosure-2019", "2026-12-20 10:00", { 0 } },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        fx_ok(&f, cases[i].rule, cases[i].received, cases[i].events, true);
        buf_addf(&out, "== %s %s", cases[i].rule, cases[i].received);
        for (size_t k = 0; k < 3 && cases[i].events[k]; k++)
            buf_addf(&out, " %s", cases[i].events[k]);
        buf_addc(&out, '\n');
        deadline_explain_text(&f.ex, &out);
    }
    ASSERT_GOLDEN("cal/explain.txt", out.p, out.n);
    buf_release(&out);
    /* The counted lines agree with the result: the last count is the period's length. */
    struct deadline_result res = fx_ok(&f, "disclosure-2019", "2020-01-20 09:00", NULL, true);
    int counted = 0, last = 0;
    for (size_t i = 0; i < f.ex.steps.n; i++) {
        const struct deadline_step *s = &f.ex.steps.v[i];
        if (s->kind == DLS_COUNT) {
            counted++;
            last = s->n;
            ASSERT(cal_is_workday(f.cal, s->day));
        } else if (s->kind == DLS_SKIP) {
            for (int32_t d = s->day; d <= s->last; d++)
                ASSERT_FALSE(cal_is_workday(f.cal, d));
        }
    }
    ASSERT_EQ_INT(counted, 20);
    ASSERT_EQ_INT(last, 20);
    ASSERT_EQ_INT(vec_last(&f.ex.steps).kind, DLS_DUE);
    ASSERT_EQ_INT(vec_last(&f.ex.steps).day, res.due_day);
    fx_close(&f);
}

TEST(deadline_json_shape)
{
    struct fx f;
    fx_open(&f);
    struct deadline_result res = fx_ok(&f, "error-report-gd", "2018-09-30 10:00", NULL, true);
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b, false);
    deadline_json(&w, f.cal, deadline_rule_find(&f.rules, "error-report-gd"), T("2018-09-30 10:00"),
                  &res, &f.ex);
    jw_finish(&w);
    const char *j = buf_cstr(&b);
    ASSERT_CONTAINS(j, "\"rule\":\"error-report-gd\",\"received\":\"2018-09-30T10:00:00+08:00\","
                       "\"due\":\"2018-10-08T12:00:00+08:00\",\"due_date\":\"2018-10-08\","
                       "\"window_opens\":\"2018-10-08T00:00:00+08:00\",\"estimated\":false");
    ASSERT_CONTAINS(
        j,
        "{\"kind\":\"count\",\"date\":\"2018-09-30\",\"n\":1,\"reason\":\"adjusted_workday\","
        "\"name\":\"国庆节\",\"text\":\"2018年9月30日（星期日） 调休上班（国庆节），计第1个工作日\"}");
    ASSERT_CONTAINS(j,
                    "{\"kind\":\"skip\",\"date\":\"2018-10-01\",\"to\":\"2018-10-07\",\"days\":7,"
                    "\"reason\":\"holiday\",\"name\":\"国庆节\"");
    ASSERT_NOT_CONTAINS(j, "warning");
    buf_release(&b);
    fx_close(&f);
}

TEST(cal_local_overrides_in_the_database)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        struct err e = { 0 };
        res_set_dir(t_tmpdir());
        char *was = NULL;
        ASSERT_OK(
            cal_db_set(s, D("2018-10-10"), false, "台风停工", T("2018-10-09 18:00"), &was, &e), &e);
        ASSERT_EQ_STR(was, "");
        free(was);
        ASSERT_OK(cal_db_set(s, D("2018-10-13"), true, " 补班 ", T("2018-10-09 18:00"), NULL, &e),
                  &e);
        struct cal *c = NULL;
        ASSERT_OK(cal_load(s, &c, &e), &e);
        struct cal_day d;
        ASSERT_OK(cal_day(c, D("2018-10-10"), &d, NULL, &e), &e);
        ASSERT_TRUE(!d.work && d.reason == CAL_LOCAL_OFF);
        ASSERT_EQ_STR(d.name, "台风停工");
        ASSERT_OK(cal_day(c, D("2018-10-13"), &d, NULL, &e), &e);
        ASSERT_TRUE(d.work && d.reason == CAL_LOCAL_WORK);
        ASSERT_EQ_STR(d.name, "补班");
        /* Both change the 2018-09-28 answer: one day later, one day earlier. */
        int32_t x;
        ASSERT_OK(cal_add(c, D("2018-09-28"), 15, &x, NULL, &e), &e);
        ASSERT_EQ_INT(x, D("2018-10-24"));
        cal_free(c);
        ASSERT_OK(cal_db_set(s, D("2018-10-10"), true, "取消停工", T("2018-10-09 20:00"), &was, &e),
                  &e);
        ASSERT_EQ_STR(was, "off 台风停工");
        free(was);
        ASSERT_OK(cal_db_unset(s, D("2018-10-13"), &e), &e);
        ASSERT_RC(cal_db_unset(s, D("2018-10-13"), &e), RC_NOTFOUND);
        ASSERT_CONTAINS(err_msg(&e), "no local override for 2018-10-13");
        err_clear(&e);
        ASSERT_RC(cal_db_set(s, D("2018-10-13"), true, "", 0, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(err_msg(&e), "needs a name");
        err_clear(&e);
        ASSERT_OK(cal_load(s, &c, &e), &e);
        ASSERT_TRUE(cal_is_workday(c, D("2018-10-10")));
        ASSERT_FALSE(cal_is_workday(c, D("2018-10-13")));
        ASSERT_OK(cal_add(c, D("2018-09-28"), 15, &x, NULL, &e), &e);
        ASSERT_EQ_INT(x, D("2018-10-24"));
        cal_free(c);
        t_close(s);
    }
}

TEST(cal_local_override_moves_a_deadline)
{
    struct fx f;
    fx_open(&f);
    struct err e = { 0 };
    ASSERT_OK(cal_set_local(f.cal, D("2018-10-10"), false, "台风停工", &e), &e);
    ASSERT_EQ_INT(fx_ok(&f, "disclosure-2008", "2018-09-28 10:00", NULL, false).due_day,
                  D("2018-10-25"));
    ASSERT_OK(cal_set_local(f.cal, D("2018-10-13"), true, "补班", &e), &e);
    ASSERT_EQ_INT(fx_ok(&f, "disclosure-2008", "2018-09-28 10:00", NULL, false).due_day,
                  D("2018-10-24"));
    ASSERT_TRUE(cal_unset_local(f.cal, D("2018-10-10")));
    ASSERT_FALSE(cal_unset_local(f.cal, D("2018-10-10")));
    ASSERT_EQ_INT(fx_ok(&f, "disclosure-2008", "2018-09-28 10:00", NULL, false).due_day,
                  D("2018-10-23"));
    /* Overriding a national holiday to a working day wins over the table. */
    ASSERT_OK(cal_set_local(f.cal, D("2018-10-05"), true, "值班", &e), &e);
    struct cal_day d;
    ASSERT_OK(cal_day(f.cal, D("2018-10-05"), &d, NULL, &e), &e);
    ASSERT_TRUE(d.work && d.reason == CAL_LOCAL_WORK);
    ASSERT_EQ_INT(fx_ok(&f, "disclosure-2008", "2018-09-28 10:00", NULL, false).due_day,
                  D("2018-10-22"));
    fx_close(&f);
}
