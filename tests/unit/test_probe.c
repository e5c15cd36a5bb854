/* test_probe.c - availability: classification, real probes against the loopback fixture
 * (ok, redirect, 404, 500, refused, a server that never answers in time), the 1-week
 * rule at its boundaries, and the availability finding's life. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/probe.h"
#include "core/date.h"
#include "core/notes.h"
#include "fixture_probe.h"
#include "reg/reg.h"
#include "test.h"
#include "tcheck.h"
#include "tstore.h"

static int64_t add_site(struct store *s, const char *name, const char *url)
{
    struct reg_site_new n = { .name = name, .url = url };
    int64_t id;
    struct err e = { 0 };
    ASSERT_OK(reg_site_add(s, &n, t_clk(), &id, &e), &e);
    return id;
}

TEST(probe_classify_table)
{
    /* clang-format off */
    static const struct { long status; int64_t ms; bool transport; enum probe_outcome want; } cases[] = {
        { 200, 100, false, PROBE_OK },     { 200, 14999, false, PROBE_OK },
        { 200, 15000, false, PROBE_SLOW }, { 301, 20000, false, PROBE_SLOW },
        { 304, 10, false, PROBE_OK },      { 404, 10, false, PROBE_FAILED },
        { 500, 10, false, PROBE_FAILED },  { 0, 30000, true, PROBE_FAILED },
        { 200, 10, true, PROBE_FAILED },   { 199, 10, false, PROBE_FAILED },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        ASSERT_EQ_INT(probe_classify(cases[i].status, cases[i].ms, cases[i].transport, 15000),
                      cases[i].want);
}

TEST(probe_fetches_the_fixture_and_records)
{
    struct fixture_probe *fx = fixture_probe_start();
    ASSERT_NOT_NULL(fx);
    int port = fixture_probe_port(fx), dead = fixture_refused_port();
    ASSERT(dead > 0);
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        char u[6][96];
        const char *paths[] = { "/ok", "/redirect", "/missing", "/error", "/slow" };
        int64_t ids[6];
        for (int i = 0; i < 5; i++) {
            snprintf(u[i], sizeof(u[i]), "http://127.0.0.1:%d%s", port, paths[i]);
            char name[32];
            snprintf(name, sizeof(name), "站点%d", i);
            ids[i] = add_site(s, name, u[i]);
        }
        snprintf(u[5], sizeof(u[5]), "http://127.0.0.1:%d/", dead);
        ids[5] = add_site(s, "站点5", u[5]);
        struct probe_opts o;
        probe_opts_default(&o);
        o.threshold_ms = 200;
        o.timeout_ms = 400; /* /slow answers after 10 s: always a timeout */
        struct probe_result *r;
        struct err e = { 0 };
        struct clk c = t_at("2018-11-30 10:00");
        ASSERT_OK(probe_sites(s, &c, ids, 6, &o, &r, &e), &e);
        ASSERT_EQ_INT(r[0].outcome, PROBE_OK);
        ASSERT_EQ_INT(r[0].status, 200);
        ASSERT_NULL(r[0].error);
        ASSERT_EQ_INT(r[1].status, 200); /* redirect followed */
        ASSERT_EQ_INT(r[2].outcome, PROBE_FAILED);
        ASSERT_EQ_INT(r[2].status, 404);
        ASSERT_EQ_STR(r[2].error, "HTTP 404");
        ASSERT_EQ_INT(r[3].status, 500);
        ASSERT_EQ_INT(r[4].outcome, PROBE_FAILED);
        ASSERT_EQ_INT(r[4].status, 0);
        ASSERT_NOT_NULL(r[4].error);
        ASSERT(r[4].total_ms >= 400);
        ASSERT_EQ_INT(r[5].outcome, PROBE_FAILED);
        ASSERT_NOT_NULL(r[5].error);
        probe_results_free(r, 6);
        int64_t n = 0;
        ASSERT_OK(
            store_get_int(s, &n, &e, "SELECT COUNT(*) FROM probes WHERE day = '2018-11-30'", ""),
            &e);
        ASSERT_EQ_INT(n, 6);
        ASSERT_OK(store_get_int(s, &n, &e, "SELECT COUNT(*) FROM probes WHERE outcome = 'ok'", ""),
                  &e);
        ASSERT_EQ_INT(n, 2);
        t_close(s);
    }
    ASSERT(fixture_probe_hits(fx, "/ok") >= 2); /* direct and after the redirect */
    fixture_probe_stop(fx);
}

/* Record `n` probes on a day, `bad` of them failed. */
static void fill_day(struct store *s, int64_t site, const char *d, int n, int bad, int slow)
{
    struct err e = { 0 };
    for (int i = 0; i < n; i++) {
        int64_t t;
        char when[32];
        snprintf(when, sizeof(when), "%s %02d:%02d", d, i * 24 / (n ? n : 1), i % 60);
        ASSERT(time_parse(when, TZ_CST, &t, NULL));
        struct probe_result r = { .site_id = site,
                                  .url = (char *)"http://x/",
                                  .at = t,
                                  .status = 200,
                                  .total_ms = 100,
                                  .outcome = PROBE_OK };
        if (i < bad) {
            r.status = 0;
            r.error = (char *)"timeout";
            r.outcome = PROBE_FAILED;
        } else if (i < bad + slow) {
            r.total_ms = 16000;
            r.outcome = PROBE_SLOW;
        }
        ASSERT_OK(probe_record(s, TZ_CST, &r, 15000, &e), &e);
    }
}

TEST(probe_week_rule_boundaries)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        int64_t site = add_site(s, "示范网", "http://www.shifan.test/");
        const char *days[] = { "2018-11-24", "2018-11-25", "2018-11-26", "2018-11-27",
                               "2018-11-28", "2018-11-29", "2018-11-30" };
        /* 7 × 20 = 140 probes; 6 failed + 0 slow = 4.3 % < 5 %. */
        for (int i = 0; i < 7; i++)
            fill_day(s, site, days[i], 20, i == 0 ? 6 : 0, 0);
        /* Probes outside the window do not count. */
        fill_day(s, site, "2018-11-23", 20, 20, 0);
        fill_day(s, site, "2018-12-01", 5, 5, 0);
        struct probe_stats st;
        struct err e = { 0 };
        ASSERT_OK(probe_stats(s, site, t_day("2018-12-01"), &st, &e), &e);
        ASSERT_EQ_INT(st.from, t_day("2018-11-24"));
        ASSERT_EQ_INT(st.to, t_day("2018-11-30"));
        ASSERT_EQ_INT(st.probes, 140);
        ASSERT_EQ_INT(st.failed, 6);
        ASSERT_EQ_INT(st.days_short, 0);
        ASSERT_EQ_INT(st.status, PROBE_PASS);
        /* One more slow probe: 7 / 141 = 4.96 % — still below. */
        fill_day(s, site, "2018-11-27", 1, 0, 1);
        ASSERT_OK(probe_stats(s, site, t_day("2018-12-01"), &st, &e), &e);
        ASSERT_EQ_INT(st.slow, 1);
        ASSERT_EQ_INT(st.status, PROBE_PASS);
        /* 8 / 160 = exactly 5 %: reaching the share vetoes. */
        fill_day(s, site, "2018-11-28", 19, 1, 0);
        ASSERT_OK(probe_stats(s, site, t_day("2018-12-01"), &st, &e), &e);
        ASSERT_EQ_INT(st.probes, 160);
        ASSERT_EQ_INT(st.failed + st.slow, 8);
        ASSERT_EQ_INT(st.status, PROBE_VETO);
        /* A day with 19 probes is not fully monitored: undecided, whatever the share. */
        ASSERT_OK(probe_stats(s, site, t_day("2018-11-25"), &st, &e), &e);
        ASSERT_EQ_INT(st.status, PROBE_INSUFFICIENT);
        ASSERT_EQ_INT(st.days_short, 5); /* 11-18 … 11-22 empty, 11-23 and 11-24 full */
        struct buf out = BUF_INIT;
        struct jw w;
        jw_init(&w, &out, false);
        probe_stats_json(&w, &st, "示范网");
        jw_finish(&w);
        ASSERT_CONTAINS(buf_cstr(&out), "\"status\":\"insufficient\"");
        ASSERT_CONTAINS(buf_cstr(&out), "\"veto\":false");
        ASSERT_CONTAINS(
            buf_cstr(&out),
            "{\"date\":\"2018-11-23\",\"probes\":20,\"failed\":20,\"slow\":0,\"ratio\":1,\"monitored\":true}");
        buf_release(&out);
        t_close(s);
    }
}

TEST(probe_availability_finding_opens_and_resolves)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        int64_t site = add_site(s, "示范网", "http://www.shifan.test/");
        for (int i = 0; i < 7; i++) {
            char d[11];
            date_fmt(t_day("2018-11-24") + i, d);
            fill_day(s, site, d, 24, i < 2 ? 24 : 0, 0); /* two days down: 48/168 */
        }
        struct err e = { 0 };
        struct clk c = t_at("2018-12-01 09:00");
        struct probe_stats st;
        ASSERT_OK(probe_check_availability(s, &c, site, &st, &e), &e);
        ASSERT_EQ_INT(st.status, PROBE_VETO);
        struct check_row r;
        int64_t id;
        ASSERT_OK(store_get_int(s, &id, &e,
                                "SELECT id FROM findings WHERE kind = 'site-unavailable'", ""),
                  &e);
        ASSERT_OK(check_finding_get(s, id, &r, &e), &e);
        ASSERT_EQ_STR(r.state, "open");
        ASSERT_EQ_INT(r.severity, CHECK_SERIOUS);
        ASSERT_EQ_INT(r.value, 286); /* 48/168 in ‰ */
        ASSERT_CONTAINS(r.summary, "11月24日至11月30日共监测168次");
        ASSERT_CONTAINS(r.evidence, "\"status\":\"veto\"");
        check_row_release(&r);
        /* The verdict of that day has the veto. */
        struct check_profile *p;
        ASSERT_OK(check_profile_load(CHECK_PROFILE_DEFAULT, &p, &e), &e);
        struct check_facts f;
        struct check_verdict v;
        ASSERT_OK(check_verdict_run(s, &c, site, t_day("2018-12-01"), p, false, &f, &v, &e), &e);
        ASSERT_FALSE(v.pass);
        ASSERT_EQ_INT(v.nvetoes, 1);
        ASSERT_EQ_STR(v.vetoes[0].key, "unavailable");
        check_verdict_release(&v);
        check_facts_release(&f);
        /* A week later, all probes fine: the next check resolves it. */
        for (int i = 0; i < 7; i++) {
            char d[11];
            date_fmt(t_day("2018-12-01") + i, d);
            fill_day(s, site, d, 24, 0, 0);
        }
        c = t_at("2018-12-08 09:00");
        ASSERT_OK(probe_check_availability(s, &c, site, &st, &e), &e);
        ASSERT_EQ_INT(st.status, PROBE_PASS);
        ASSERT_OK(check_finding_get(s, id, &r, &e), &e);
        ASSERT_EQ_STR(r.state, "resolved");
        check_row_release(&r);
        /* An undecided week changes nothing (the prober was down, not the site). */
        c = t_at("2018-12-20 09:00");
        ASSERT_OK(probe_check_availability(s, &c, site, &st, &e), &e);
        ASSERT_EQ_INT(st.status, PROBE_INSUFFICIENT);
        ASSERT_OK(check_verdict_run(s, &c, site, t_day("2018-12-20"), p, false, &f, &v, &e), &e);
        ASSERT_TRUE(v.pass);
        ASSERT_EQ_INT(v.nnotes, 1);
        ASSERT_CONTAINS(v.notes[0], "7 天中有 7 天监测次数不足 20 次");
        check_verdict_release(&v);
        check_facts_release(&f);
        check_profile_free(p);
        t_close(s);
    }
}
