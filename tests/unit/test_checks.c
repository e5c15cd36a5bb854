/* test_checks.c - findings and their life (sessions, resolution, reopening, dismissal,
 * history, as-of), exemptions, facts, the scoring profile and the 19号 verdict, on every
 * backend; json_valid (core). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checks/check.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/json.h"
#include "core/notes.h"
#include "core/res.h"
#include "reg/reg.h"
#include "test.h"
#include "tcheck.h"
#include "tstore.h"

static const char units_csv[] = "name,short_name,kind,parent\n"
                                "示范市人民政府办公室,市政府办公室,office,\n"
                                "示范市交通运输局,市交通局,department,\n"
                                "示范市卫生健康局,市卫健局,department,\n";
static const char sites_csv[] =
    "name,url,code,unit,type,status\n"
    "示范网,http://www.shifan.test/,4404990001,市政府办公室,门户网站,正常运行\n"
    "交通网,http://jt.shifan.test/,4404990002,市交通局,部门网站,正常运行\n";
static const char cols_csv[] =
    "site,path,url,unit,class\n"
    "示范网,新闻>示范要闻,http://www.shifan.test/xw/,市政府办公室,动态要闻\n"
    "示范网,民生>主题服务>交通服务,http://www.shifan.test/jt/,市交通局,办事服务\n"
    "示范网,通知公告,http://www.shifan.test/tzgg/,市政府办公室,通知公告\n"
    "示范网,政策文件,http://www.shifan.test/zcwj/,市政府办公室,政策文件\n"
    "示范网,政务公开>人事信息,http://www.shifan.test/rs/,市政府办公室,人事\n"
    "示范网,新闻>部门动态,http://www.shifan.test/bmdt/,市政府办公室,动态要闻\n"
    "示范网,新闻>各区动态,http://www.shifan.test/gqdt/,市政府办公室,动态要闻\n";

struct fx {
    struct store *s;
    int64_t site, site2;
    int64_t col[8]; /* by path order above: 0 要闻 1 交通服务 2 通知公告 3 政策文件 4 人事 5
                       部门动态 6 各区动态 */
};

static void setup(struct fx *f, int b)
{
    f->s = t_open(b);
    struct reg_import_result r;
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    ASSERT_OK(reg_import_mem(f->s, REG_UNITS, "u.csv", units_csv, strlen(units_csv), t_clk(), &r,
                             &bad, &e),
              &e);
    ASSERT_OK(reg_import_mem(f->s, REG_SITES, "s.csv", sites_csv, strlen(sites_csv), t_clk(), &r,
                             &bad, &e),
              &e);
    ASSERT_OK(reg_import_mem(f->s, REG_COLUMNS, "c.csv", cols_csv, strlen(cols_csv), t_clk(), &r,
                             &bad, &e),
              &e);
    notes_release(&bad);
    ASSERT_OK(reg_site_lookup(f->s, "示范网", &f->site, &e), &e);
    ASSERT_OK(reg_site_lookup(f->s, "交通网", &f->site2, &e), &e);
    static const char *const paths[] = { "新闻>示范要闻", "民生>主题服务>交通服务", "通知公告",
                                         "政策文件",      "政务公开>人事信息",      "新闻>部门动态",
                                         "新闻>各区动态" };
    for (int i = 0; i < 7; i++)
        ASSERT_OK(store_get_int(f->s, &f->col[i], &e, "SELECT id FROM site_columns WHERE path = ?",
                                "t", paths[i]),
                  &e);
}

static struct check_finding fnd(const char *kind, int64_t col, const char *url, const char *subject)
{
    return (struct check_finding){ .kind = kind,
                                   .column_id = col,
                                   .url = url,
                                   .subject = subject,
                                   .evidence = "{\"seen\":\"test\"}",
                                   .summary = "测试" };
}

/* Run one session reporting the given findings. */
static struct check_tally run(struct fx *f, const char *when, const char *kinds, bool complete,
                              const struct check_finding *v, size_t n)
{
    struct clk c = t_at(when);
    struct check_scope sc = { .site_id = f->site, .kinds = kinds, .complete = complete };
    struct check_session *s;
    struct err e = { 0 };
    ASSERT_OK(check_begin(f->s, &c, &sc, &s, &e), &e);
    for (size_t i = 0; i < n; i++)
        ASSERT_OK(check_report(s, &v[i], NULL, &e), &e);
    struct check_tally t;
    ASSERT_OK(check_end(s, &t, &e), &e);
    return t;
}

static int64_t q_int(struct store *s, const char *sql, const char *types, ...)
{
    /* Only used with no or one text parameter. */
    int64_t v = -1;
    struct err e = { 0 };
    if (types[0])
        t_fail(__FILE__, __LINE__, "q_int takes no parameters");
    ASSERT_OK(store_get_int(s, &v, &e, sql, ""), &e);
    return v;
}

static const char *state_of(struct store *s, int64_t id, char buf[16])
{
    char *st = NULL;
    struct err e = { 0 };
    ASSERT_OK(store_get_text(s, &st, &e, "SELECT state FROM findings WHERE id = ?", "i", id), &e);
    snprintf(buf, 16, "%s", st);
    free(st);
    return buf;
}

struct collect {
    int n;
    char states[16][16];
    int64_t ids[16];
};

static int on_row(const struct check_row *r, void *ctx)
{
    struct collect *c = ctx;
    if (c->n < 16) {
        snprintf(c->states[c->n], 16, "%s", r->state);
        c->ids[c->n] = r->id;
    }
    c->n++;
    return 0;
}

TEST(findings_lifecycle_open_update_resolve_reopen)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        struct check_finding v[] = { fnd("column-stale", f.col[0], NULL, "新闻>示范要闻"),
                                     fnd("column-stale", f.col[2], NULL, "通知公告") };
        struct check_tally t = run(&f, "2018-12-01 09:00", "column-stale", true, v, 2);
        ASSERT_EQ_INT(t.opened, 2);
        ASSERT_EQ_INT(t.resolved, 0);
        /* Seen again: no duplicate, last_seen moves. */
        t = run(&f, "2018-12-02 09:00", "column-stale", true, v, 2);
        ASSERT_EQ_INT(t.opened, 0);
        ASSERT_EQ_INT(t.updated, 2);
        ASSERT_EQ_INT(q_int(f.s, "SELECT COUNT(*) FROM findings", ""), 2);
        int64_t id0, id1;
        struct err e = { 0 };
        ASSERT_OK(store_get_int(f.s, &id0, &e, "SELECT id FROM findings WHERE subject = ?", "t",
                                "新闻>示范要闻"),
                  &e);
        ASSERT_OK(store_get_int(f.s, &id1, &e, "SELECT id FROM findings WHERE subject = ?", "t",
                                "通知公告"),
                  &e);
        struct check_row r;
        ASSERT_OK(check_finding_get(f.s, id0, &r, &e), &e);
        ASSERT_EQ_INT(r.first_seen, t_at("2018-12-01 09:00").at);
        ASSERT_EQ_INT(r.last_seen, t_at("2018-12-02 09:00").at);
        ASSERT_EQ_STR(r.unit, "市政府办公室");
        ASSERT_EQ_STR(r.site, "示范网");
        ASSERT_EQ_INT(r.severity, CHECK_NORMAL); /* the kind's default */
        check_row_release(&r);
        /* A partial session that does not see the first resolves nothing. */
        t = run(&f, "2018-12-03 09:00", "column-stale", false, v + 1, 1);
        ASSERT_EQ_INT(t.resolved, 0);
        char st[16];
        ASSERT_EQ_STR(state_of(f.s, id0, st), "open");
        /* A complete session of another kind resolves nothing of this kind. */
        t = run(&f, "2018-12-03 10:00", "wording", true, NULL, 0);
        ASSERT_EQ_INT(t.resolved, 0);
        /* A complete session that does not see it resolves it. */
        t = run(&f, "2018-12-04 09:00", "column-stale", true, v + 1, 1);
        ASSERT_EQ_INT(t.resolved, 1);
        ASSERT_EQ_STR(state_of(f.s, id0, st), "resolved");
        ASSERT_EQ_STR(state_of(f.s, id1, st), "open");
        ASSERT_OK(check_finding_get(f.s, id0, &r, &e), &e);
        ASSERT_EQ_INT(r.resolved_at, t_at("2018-12-04 09:00").at);
        check_row_release(&r);
        /* Seen again later: the same finding is reopened. */
        t = run(&f, "2018-12-10 09:00", "column-stale", true, v, 2);
        ASSERT_EQ_INT(t.reopened, 1);
        ASSERT_EQ_INT(t.opened, 0);
        ASSERT_EQ_STR(state_of(f.s, id0, st), "open");
        ASSERT_EQ_INT(q_int(f.s, "SELECT COUNT(*) FROM findings", ""), 2);
        ASSERT_OK(check_finding_get(f.s, id0, &r, &e), &e);
        ASSERT_EQ_INT(r.resolved_at, 0);
        check_row_release(&r);
        /* The history tells the story, and as-of queries read it. */
        ASSERT_EQ_INT(
            q_int(f.s, "SELECT COUNT(*) FROM finding_events WHERE event = 'reopened'", ""), 1);
        struct check_query q = { .site_id = f.site,
                                 .kind = "column-stale",
                                 .as_of = t_at("2018-12-05 23:59").at };
        struct collect c = { 0 };
        ASSERT_OK(check_findings_each(f.s, &q, on_row, &c, &e), &e);
        ASSERT_EQ_INT(c.n, 2);
        ASSERT_EQ_STR(c.states[0], "resolved");
        ASSERT_EQ_STR(c.states[1], "open");
        q.state = "open";
        c = (struct collect){ 0 };
        ASSERT_OK(check_findings_each(f.s, &q, on_row, &c, &e), &e);
        ASSERT_EQ_INT(c.n, 1);
        ASSERT_EQ_INT(c.ids[0], id1);
        q.as_of = t_at("2018-11-30 23:59").at; /* before anything was seen */
        q.state = NULL;
        c = (struct collect){ 0 };
        ASSERT_OK(check_findings_each(f.s, &q, on_row, &c, &e), &e);
        ASSERT_EQ_INT(c.n, 0);
        t_close(f.s);
    }
}

TEST(findings_dismissed_stay_dismissed_and_record_sightings)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        struct check_finding v = fnd("link-broken", f.col[1], "http://www.shifan.test/jt/1.html",
                                     "http://old-hall.example/x");
        run(&f, "2018-12-01 09:00", "link-broken", true, &v, 1);
        struct err e = { 0 };
        int64_t id;
        ASSERT_OK(store_get_int(f.s, &id, &e, "SELECT id FROM findings", ""), &e);
        struct clk c = t_at("2018-12-01 10:00");
        ASSERT_RC(check_finding_dismiss(f.s, &c, id, "", "张三", &e), RC_INVALID);
        err_clear(&e);
        ASSERT_RC(check_finding_dismiss(f.s, &c, id, "误报", NULL, &e), RC_INVALID);
        err_clear(&e);
        ASSERT_RC(check_finding_dismiss(f.s, &c, 999999, "误报", "张三", &e), RC_NOTFOUND);
        err_clear(&e);
        ASSERT_OK(check_finding_dismiss(f.s, &c, id, "该链接已被省平台替换，误报", "张三", &e), &e);
        ASSERT_RC(check_finding_dismiss(f.s, &c, id, "again", "张三", &e), RC_CONFLICT);
        err_clear(&e);
        /* Seen twice more: still dismissed, the first sighting is recorded once. */
        struct check_tally t = run(&f, "2018-12-02 09:00", "link-broken", true, &v, 1);
        ASSERT_EQ_INT(t.dismissed_seen, 1);
        run(&f, "2018-12-03 09:00", "link-broken", true, &v, 1);
        char st[16];
        ASSERT_EQ_STR(state_of(f.s, id, st), "dismissed");
        struct check_row r;
        ASSERT_OK(check_finding_get(f.s, id, &r, &e), &e);
        ASSERT_EQ_STR(r.dismissed_by, "张三");
        ASSERT_EQ_STR(r.dismiss_reason, "该链接已被省平台替换，误报");
        ASSERT_EQ_INT(r.seen_dismissed_at, t_at("2018-12-03 09:00").at);
        ASSERT_EQ_INT(r.last_seen, t_at("2018-12-03 09:00").at);
        check_row_release(&r);
        ASSERT_EQ_INT(
            q_int(f.s, "SELECT COUNT(*) FROM finding_events WHERE event = 'seen-dismissed'", ""),
            1);
        /* Not seen by a complete check: a dismissed finding is not resolved either. */
        run(&f, "2018-12-04 09:00", "link-broken", true, NULL, 0);
        ASSERT_EQ_STR(state_of(f.s, id, st), "dismissed");
        /* Restored: open again, then resolved by the next complete check. */
        c = t_at("2018-12-05 09:00");
        ASSERT_OK(check_finding_restore(f.s, &c, id, "复核后确认是问题", "李四", &e), &e);
        ASSERT_RC(check_finding_restore(f.s, &c, id, "x", "李四", &e), RC_CONFLICT);
        err_clear(&e);
        ASSERT_EQ_STR(state_of(f.s, id, st), "open");
        t = run(&f, "2018-12-06 09:00", "link-broken", true, NULL, 0);
        ASSERT_EQ_INT(t.resolved, 1);
        /* The events in order. */
        struct buf evs = BUF_INIT;
        struct stmt *q = store_q(
            f.s, "SELECT event FROM finding_events WHERE finding_id = ? ORDER BY at, id", "i", id);
        while (stmt_next(q))
            buf_addf(&evs, "%s ", stmt_str(q, 0));
        ASSERT_OK(stmt_done(q, &e), &e);
        ASSERT_EQ_STR(buf_cstr(&evs), "opened dismissed seen-dismissed restored resolved ");
        buf_release(&evs);
        t_close(f.s);
    }
}

TEST(sessions_validate_scope_and_supersede)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        struct clk c = t_at("2018-12-01 09:00");
        struct err e = { 0 };
        struct check_session *s1, *s2;
        struct check_scope sc = { .site_id = f.site, .kinds = "nonsense" };
        ASSERT_RC(check_begin(f.s, &c, &sc, &s1, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "unknown kind of finding 'nonsense'");
        err_clear(&e);
        sc.kinds = "column-stale, column-blank";
        sc.site_id = 424242;
        ASSERT_RC(check_begin(f.s, &c, &sc, &s1, &e), RC_NOTFOUND);
        err_clear(&e);
        sc.site_id = f.site;
        sc.complete = true;
        sc.column_id = f.col[0];
        ASSERT_OK(check_begin(f.s, &c, &sc, &s1, &e), &e);
        struct check_finding bad = fnd("wording", f.col[0], NULL, "x");
        ASSERT_RC(check_report(s1, &bad, NULL, &e), RC_INVALID); /* kind outside the session */
        err_clear(&e);
        bad = fnd("column-stale", f.col[2], NULL, "x");
        ASSERT_RC(check_report(s1, &bad, NULL, &e), RC_INVALID); /* column outside the scope */
        err_clear(&e);
        bad = fnd("column-stale", f.col[0], NULL, "x");
        bad.evidence = "{\"unterminated\":";
        ASSERT_RC(check_report(s1, &bad, NULL, &e), RC_INVALID);
        err_clear(&e);
        bad.evidence = "[1,2]";
        ASSERT_RC(check_report(s1, &bad, NULL, &e), RC_INVALID);
        err_clear(&e);
        bad = fnd("column-stale", f.col[0], NULL, "");
        ASSERT_RC(check_report(s1, &bad, NULL, &e), RC_INVALID);
        err_clear(&e);
        /* A newer session of an overlapping kind supersedes the running one. */
        struct check_scope sc2 = { .site_id = f.site, .kinds = "column-blank", .complete = true };
        ASSERT_OK(check_begin(f.s, &c, &sc2, &s2, &e), &e);
        ASSERT_RC(check_end(s1, NULL, &e), RC_CONFLICT);
        ASSERT_CONTAINS(e.msg, "superseded");
        err_clear(&e);
        ASSERT_OK(check_end(s2, NULL, &e), &e);
        /* A column-scoped session resolves only its column's findings. */
        struct check_finding v[] = { fnd("column-stale", f.col[0], NULL, "a"),
                                     fnd("column-stale", f.col[2], NULL, "b") };
        run(&f, "2018-12-01 10:00", "column-stale", true, v, 2);
        sc = (struct check_scope){
            .site_id = f.site, .column_id = f.col[0], .kinds = "column-stale", .complete = true
        };
        c = t_at("2018-12-02 10:00");
        ASSERT_OK(check_begin(f.s, &c, &sc, &s1, &e), &e);
        struct check_tally t;
        ASSERT_OK(check_end(s1, &t, &e), &e);
        ASSERT_EQ_INT(t.resolved, 1);
        ASSERT_EQ_INT(q_int(f.s, "SELECT COUNT(*) FROM findings WHERE state = 'open'", ""), 1);
        /* An aborted session resolves nothing. */
        sc.column_id = 0;
        ASSERT_OK(check_begin(f.s, &c, &sc, &s1, &e), &e);
        check_abort(s1);
        ASSERT_EQ_INT(q_int(f.s, "SELECT COUNT(*) FROM findings WHERE state = 'open'", ""), 1);
        ASSERT_EQ_INT(q_int(f.s, "SELECT COUNT(*) FROM check_sessions WHERE state = 'aborted'", ""),
                      1);
        /* A long subject is cut on a character boundary and still identifies one finding. */
        struct buf longs = BUF_INIT;
        for (int i = 0; i < 1000; i++)
            buf_adds(&longs, "长");
        struct check_finding lf = fnd("column-stale", 0, NULL, buf_cstr(&longs));
        run(&f, "2018-12-03 10:00", "column-stale", false, &lf, 1);
        run(&f, "2018-12-04 10:00", "column-stale", false, &lf, 1);
        ASSERT_EQ_INT(q_int(f.s, "SELECT COUNT(*) FROM findings WHERE length(subject) > 500", ""),
                      1);
        buf_release(&longs);
        t_close(f.s);
    }
}

TEST(findings_filters_units_and_json)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        struct check_finding v[] = { fnd("column-stale", f.col[1], NULL, "民生>主题服务>交通服务"),
                                     fnd("column-stale", f.col[0], NULL, "新闻>示范要闻") };
        v[0].has_value = true;
        v[0].value = 40;
        run(&f, "2018-12-01 09:00", "column-stale", true, v, 2);
        struct err e = { 0 };
        int64_t unit;
        ASSERT_OK(reg_unit_lookup(f.s, "市交通局", &unit, &e), &e);
        struct check_query q = { .unit_id = unit };
        struct collect c = { 0 };
        ASSERT_OK(check_findings_each(f.s, &q, on_row, &c, &e), &e);
        ASSERT_EQ_INT(c.n, 1);
        struct check_row r;
        ASSERT_OK(check_finding_get(f.s, c.ids[0], &r, &e), &e);
        struct buf b1 = BUF_INIT;
        struct jw w;
        jw_init(&w, &b1, false);
        check_row_json(&w, &r, TZ_CST);
        jw_finish(&w);
        ASSERT(json_valid(b1.p, b1.n, '{'));
        ASSERT_CONTAINS(buf_cstr(&b1), "\"kind\":\"column-stale\"");
        ASSERT_CONTAINS(buf_cstr(&b1), "\"kind_name\":\"栏目不更新\"");
        ASSERT_CONTAINS(buf_cstr(&b1), "\"unit\":\"市交通局\"");
        ASSERT_CONTAINS(buf_cstr(&b1), "\"column\":\"民生>主题服务>交通服务\"");
        ASSERT_CONTAINS(buf_cstr(&b1), "\"evidence\":{\"seen\":\"test\"}");
        ASSERT_CONTAINS(buf_cstr(&b1), "\"value\":40");
        ASSERT_CONTAINS(buf_cstr(&b1), "\"first_seen\":\"2018-12-01T09:00:00+08:00\"");
        ASSERT_CONTAINS(buf_cstr(&b1), "\"dismissed\":null");
        buf_release(&b1);
        check_row_release(&r);
        q = (struct check_query){ .kind = "wording" };
        c = (struct collect){ 0 };
        ASSERT_OK(check_findings_each(f.s, &q, on_row, &c, &e), &e);
        ASSERT_EQ_INT(c.n, 0);
        q = (struct check_query){ .site_id = f.site2 };
        ASSERT_OK(check_findings_each(f.s, &q, on_row, &c, &e), &e);
        ASSERT_EQ_INT(c.n, 0);
        t_close(f.s);
    }
}

TEST(fingerprints_are_stable_and_distinct)
{
    char a[40], b[40], c[40], d[40];
    check_fingerprint("wording", 1, 2, "http://x/1", "卫计局", a);
    check_fingerprint("wording", 1, 2, "http://x/1", "卫计局", b);
    check_fingerprint("wording", 1, 2, "http://x/2", "卫计局", c);
    check_fingerprint("wording", 12, 0, "http://x/1", "卫计局", d); /* "1"+"2" vs "12"+"0" */
    ASSERT_EQ_STR(a, b);
    ASSERT(strcmp(a, c));
    ASSERT(strcmp(a, d));
    ASSERT_EQ_INT(strlen(a), 35);
    ASSERT(!strncmp(a, "v1:", 3));
    /* The algorithm is stored data: this value must never change. */
    check_fingerprint("column-stale", 7, 9, NULL, "通知公告", a);
    ASSERT_EQ_STR(a, "v1:1a9ae8d1f5fe4ff53ddd1bcbccdc6df2");
}

TEST(exemptions_approve_expire_revoke_and_supersede)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        struct clk c = t_at("2018-12-01 09:00");
        struct err e = { 0 };
        int64_t id;
        ASSERT_RC(
            check_exempt_add(f.s, &c, f.col[4], "  ", "王五", t_day("2019-03-31"), 366, &id, &e),
            RC_INVALID);
        err_clear(&e);
        ASSERT_RC(check_exempt_add(f.s, &c, f.col[4], "无人事变动", "", t_day("2019-03-31"), 366,
                                   &id, &e),
                  RC_INVALID);
        err_clear(&e);
        ASSERT_RC(check_exempt_add(f.s, &c, f.col[4], "无人事变动", "王五", t_day("2018-11-30"),
                                   366, &id, &e),
                  RC_INVALID);
        ASSERT_CONTAINS(e.msg, "before today");
        err_clear(&e);
        ASSERT_RC(check_exempt_add(f.s, &c, f.col[4], "无人事变动", "王五", t_day("2020-12-31"),
                                   366, &id, &e),
                  RC_INVALID);
        ASSERT_CONTAINS(e.msg, "366 days");
        err_clear(&e);
        ASSERT_RC(check_exempt_add(f.s, &c, 987654, "x", "王五", t_day("2019-03-31"), 366, &id, &e),
                  RC_NOTFOUND);
        err_clear(&e);
        ASSERT_OK(check_exempt_add(f.s, &c, f.col[4], " 本季度无人事变动 ", "王五",
                                   t_day("2019-03-31"), 366, &id, &e),
                  &e);
        bool ex;
        struct check_exemption x;
        ASSERT_OK(check_exempt_find(f.s, f.col[4], t_day("2019-01-15"), &ex, &x, &e), &e);
        ASSERT_TRUE(ex);
        ASSERT_EQ_STR(x.reason, "本季度无人事变动");
        ASSERT_EQ_STR(x.approved_by, "王五");
        ASSERT_EQ_INT(x.until, t_day("2019-03-31"));
        ASSERT_EQ_STR(x.path, "政务公开>人事信息");
        check_exemption_release(&x);
        ASSERT_OK(check_exempt_find(f.s, f.col[4], t_day("2019-04-01"), &ex, NULL, &e), &e);
        ASSERT_FALSE(ex); /* expired */
        ASSERT_OK(check_exempt_find(f.s, f.col[4], t_day("2018-11-30"), &ex, NULL, &e), &e);
        ASSERT_FALSE(ex); /* not yet */
        ASSERT_OK(check_exempt_find(f.s, f.col[0], t_day("2019-01-15"), &ex, NULL, &e), &e);
        ASSERT_FALSE(ex);
        /* The set for the freshness check. */
        struct check_exempt_set set;
        ASSERT_OK(check_exempt_load(f.s, f.site, t_day("2019-01-15"), &set, &e), &e);
        ASSERT_EQ_INT(set.n, 1);
        ASSERT_TRUE(check_exempt_has(&set, f.col[4]));
        ASSERT_FALSE(check_exempt_has(&set, f.col[0]));
        check_exempt_set_release(&set);
        ASSERT_OK(check_exempt_load(f.s, f.site2, t_day("2019-01-15"), &set, &e), &e);
        ASSERT_EQ_INT(set.n, 0);
        check_exempt_set_release(&set);
        /* A new approval supersedes the old one. */
        c = t_at("2019-01-10 09:00");
        ASSERT_OK(
            check_exempt_add(f.s, &c, f.col[4], "延期", "赵六", t_day("2019-06-30"), 366, &id, &e),
            &e);
        ASSERT_OK(check_exempt_find(f.s, f.col[4], t_day("2019-05-01"), &ex, &x, &e), &e);
        ASSERT_TRUE(ex);
        ASSERT_EQ_STR(x.approved_by, "赵六");
        check_exemption_release(&x);
        int n = 0;
        struct stmt *q =
            store_q(f.s, "SELECT COUNT(*) FROM column_exemptions WHERE revoked_at IS NULL", "");
        if (stmt_next(q))
            n = (int)stmt_int(q, 0);
        ASSERT_OK(stmt_done(q, &e), &e);
        ASSERT_EQ_INT(n, 1);
        /* The old one still counts for the days it was in force (history). */
        ASSERT_OK(check_exempt_find(f.s, f.col[4], t_day("2019-01-09"), &ex, &x, &e), &e);
        ASSERT_TRUE(ex);
        ASSERT_EQ_STR(x.approved_by, "王五");
        check_exemption_release(&x);
        /* Revoked: out of force from that day. */
        c = t_at("2019-02-01 09:00");
        ASSERT_OK(check_exempt_revoke(f.s, &c, f.col[4], "赵六", &e), &e);
        ASSERT_OK(check_exempt_find(f.s, f.col[4], t_day("2019-02-01"), &ex, NULL, &e), &e);
        ASSERT_FALSE(ex);
        ASSERT_RC(check_exempt_revoke(f.s, &c, f.col[4], "赵六", &e), RC_NOTFOUND);
        err_clear(&e);
        t_close(f.s);
    }
}

/* ---- facts, profile and verdict ----------------------------------------------------- */

static struct check_profile *default_profile(void)
{
    struct check_profile *p;
    struct err e = { 0 };
    ASSERT_OK(check_profile_load(CHECK_PROFILE_DEFAULT, &p, &e), &e);
    return p;
}

static bool has_veto(const struct check_verdict *v, const char *key)
{
    for (size_t i = 0; i < v->nvetoes; i++)
        if (!strcmp(v->vetoes[i].key, key))
            return true;
    return false;
}

static const struct check_deduction *deduction(const struct check_verdict *v, const char *key)
{
    for (size_t i = 0; i < v->ndeductions; i++)
        if (!strcmp(v->deductions[i].key, key))
            return &v->deductions[i];
    return NULL;
}

TEST(verdict_vetoes_at_their_thresholds)
{
    struct check_profile *p = default_profile();
    /* clang-format off */
    static const struct { const char *fact; int64_t below, at; const char *veto; } cases[] = {
        { "serious_wording", 0, 1, "security-wording" },
        { "unavailable", 0, 1, "unavailable" },
        { "homepage_stale", 0, 1, "homepage" },
        { "stale_news", 4, 5, "columns-news-policy" },
        { "stale_notice_policy_top", 4, 5, "columns-news-policy" },
        { "stale_columns", 9, 10, "columns-stale" },
        { "blank_columns", 4, 5, "columns-blank" },
        { "interaction_overdue", 0, 1, "interaction" },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        for (int k = 0; k < 2; k++) {
            struct check_facts f;
            check_facts_init(&f, 1, t_day("2019-06-30"));
            check_facts_set(&f, cases[i].fact, k ? cases[i].at : cases[i].below);
            struct check_verdict v;
            check_verdict_compute(p, &f, &v);
            if (has_veto(&v, cases[i].veto) != (k == 1))
                t_fail(__FILE__, __LINE__, "%s = %lld: veto %s expected %s", cases[i].fact,
                       (long long)(k ? cases[i].at : cases[i].below), cases[i].veto,
                       k ? "yes" : "no");
            if (k) {
                ASSERT_FALSE(v.pass);
                ASSERT_EQ_STR(check_verdict_word(&v), "不合格");
            }
            check_verdict_release(&v);
            check_facts_release(&f);
        }
    }
    /* 动态要闻 and 通知公告/政策文件 一级栏目 add up: 3 + 2 = 5. */
    struct check_facts f;
    check_facts_init(&f, 1, t_day("2019-06-30"));
    for (int i = 1; i <= 3; i++)
        check_facts_add_column(&f, "stale_news", i);
    check_facts_add_column(&f, "stale_notice_policy_top", 10);
    check_facts_add_column(&f, "stale_notice_policy_top", 11);
    struct check_verdict v;
    check_verdict_compute(p, &f, &v);
    ASSERT_TRUE(has_veto(&v, "columns-news-policy"));
    ASSERT_CONTAINS(v.vetoes[0].reason, "累计5个");
    check_verdict_release(&v);
    check_facts_release(&f);
    /* No facts at all: 合格 with 100 points. */
    check_facts_init(&f, 1, t_day("2019-06-30"));
    check_verdict_compute(p, &f, &v);
    ASSERT_TRUE(v.pass);
    ASSERT_EQ_DBL(v.score, 100, 1e-9);
    ASSERT_EQ_STR(check_verdict_word(&v), "合格");
    check_verdict_release(&v);
    check_facts_release(&f);
    check_profile_free(p);
}

TEST(verdict_deductions_caps_confirmed_and_column_dedupe)
{
    struct check_profile *p = default_profile();
    struct check_facts f;
    check_facts_init(&f, 1, t_day("2019-06-30"));
    /* The 政策文件 一级栏目 (column 7) is stale: −5 confirmed; it is also among the stale
     * columns, where it must not be counted again (6 others: −6 unconfirmed). */
    check_facts_add_column(&f, "policy_top_stale", 7);
    for (int i = 1; i <= 7; i++)
        check_facts_add_column(&f, "stale_columns", i);
    check_facts_set(&f, "service_stats_stale", 1);
    check_facts_set(&f, "broken_links_home", 9); /* capped at 5 */
    struct check_verdict v;
    check_verdict_compute(p, &f, &v);
    ASSERT_TRUE(v.pass);
    const struct check_deduction *d = deduction(&v, "policy-stale");
    ASSERT_NOT_NULL(d);
    ASSERT_EQ_DBL(d->points, 5, 1e-9);
    ASSERT_TRUE(d->confirmed);
    d = deduction(&v, "stale-columns");
    ASSERT_NOT_NULL(d);
    ASSERT_EQ_INT(d->count, 6);
    ASSERT_EQ_DBL(d->points, 6, 1e-9);
    ASSERT_FALSE(d->confirmed);
    d = deduction(&v, "home-links");
    ASSERT_EQ_DBL(d->points, 5, 1e-9);
    ASSERT_EQ_DBL(v.score, 100 - 5 - 2 - 6 - 5, 1e-9);
    ASSERT_EQ_DBL(v.score_confirmed, 100 - 5 - 2, 1e-9);
    check_verdict_release(&v);
    /* Below the pass mark: 不合格 without a veto, with a note saying why. */
    check_facts_set(&f, "wording_errors", 100);      /* −5 */
    check_facts_set(&f, "broken_links_other", 1000); /* −5 */
    check_facts_set(&f, "required_missing", 20);     /* −5 */
    check_facts_set(&f, "interaction_no_reply", 1);  /* −3 */
    for (int i = 20; i < 30; i++)
        check_facts_add_column(&f, "blank_columns", i); /* −10, and no veto: ≥5 vetoes! */
    check_verdict_compute(p, &f, &v);
    ASSERT_FALSE(v.pass);
    ASSERT_TRUE(has_veto(&v, "columns-blank"));
    check_verdict_release(&v);
    check_facts_release(&f);
    check_profile_free(p);

    /* A profile with a high pass mark fails on points alone. */
    static const char ini[] =
        "[profile]\nname = strict\npass = 99\n"
        "[deduct x]\nname = x\nfact = broken_links_home\npoints = 2\nper = each\n";
    struct err e = { 0 };
    ASSERT_OK(check_profile_parse("strict.ini", ini, strlen(ini), &p, &e), &e);
    check_facts_init(&f, 1, t_day("2019-06-30"));
    check_facts_set(&f, "broken_links_home", 1);
    check_verdict_compute(p, &f, &v);
    ASSERT_FALSE(v.pass);
    ASSERT_EQ_INT(v.nvetoes, 0);
    ASSERT_EQ_DBL(v.score, 98, 1e-9);
    ASSERT_EQ_INT(v.nnotes, 1);
    ASSERT_CONTAINS(v.notes[0], "低于合格线 99 分");
    check_verdict_release(&v);
    check_facts_release(&f);
    check_profile_free(p);
}

TEST(profile_parse_errors_name_the_place)
{
    /* clang-format off */
    static const struct { const char *ini, *want; } cases[] = {
        { "[bogus]\nx = 1\n", "unknown section [bogus]" },
        { "[veto a]\nfact = no_such_fact\nreason = r\n", "unknown fact 'no_such_fact'" },
        { "[veto a]\nreason = r\n", "[veto a] names no fact" },
        { "[veto a]\nfact = homepage_stale\n", "needs a reason" },
        { "[deduct a]\nfact = homepage_stale\npoints = 1\n", "needs a name" },
        { "[deduct a]\nname = n\nfact = homepage_stale\npoints = lots\n", "not a number of points" },
        { "[deduct a]\nname = n\nfact = homepage_stale\nper = sometimes\n", "not once or each" },
        { "[veto a]\nfact = homepage_stale\nreason = r\nconfirmed = maybe\n", "not yes or no" },
        { "[veto a]\nfact = homepage_stale\nreason = r\ncolour = red\n", "unknown key 'colour'" },
        { "[veto a]\nfact = homepage_stale\nreason = r\n[veto b]\nfact = unavailable\nreason = r\n"
          "[veto a]\nfact = unavailable\n", "used twice" },
        { "[veto a]\nfact = homepage_stale\nreason = r\n[veto a]\nfact = unavailable\n", "given twice" },
        { "[profile]\ntotal = 50\npass = 60\n", "above the total" },
        { "no section line\n", "t.ini:1:" },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct check_profile *p = NULL;
        struct err e = { 0 };
        enum rc rc = check_profile_parse("t.ini", cases[i].ini, strlen(cases[i].ini), &p, &e);
        if (rc != RC_PARSE || !strstr(e.msg, cases[i].want))
            t_fail(__FILE__, __LINE__, "case %zu: got %s '%s', want '%s'", i, rc_name(rc), e.msg,
                   cases[i].want);
        ASSERT_NULL(p);
    }
    /* The shipped profile parses and names its rules. */
    struct check_profile *p = default_profile();
    ASSERT_CONTAINS(check_profile_name(p), "19号");
    check_profile_free(p);
}

TEST(facts_from_findings_apply_the_19_windows)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        /* 要闻 stale 20 days; 部门动态 10 days (within 2 weeks: not counted for the veto);
         * 通知公告 (一级) 200 days; 政策文件 (一级) 190 days; 人事 blank. */
        struct check_finding v[] = {
            fnd("column-stale", f.col[0], NULL, "新闻>示范要闻"),
            fnd("column-stale", f.col[5], NULL, "新闻>部门动态"),
            fnd("column-stale", f.col[2], NULL, "通知公告"),
            fnd("column-stale", f.col[3], NULL, "政策文件"),
            fnd("column-blank", f.col[4], NULL, "政务公开>人事信息"),
        };
        int64_t days[] = { 20, 10, 200, 190 };
        for (int i = 0; i < 4; i++)
            v[i].has_value = true, v[i].value = days[i];
        run(&f, "2019-06-30 09:00", "column-stale,column-blank", true, v, 5);
        struct check_finding w[] = {
            fnd("wording", f.col[0], "http://www.shifan.test/xw/1.html", "习进平"),
            fnd("wording", f.col[0], "http://www.shifan.test/xw/2.html", "习进平"),
            fnd("wording", f.col[0], "http://www.shifan.test/xw/2.html", "卫计局")
        };
        w[0].severity = w[1].severity = CHECK_SERIOUS;
        run(&f, "2019-06-30 09:00", "wording", true, w, 3);
        struct check_facts fx;
        struct err e = { 0 };
        check_facts_init(&fx, f.site, t_day("2019-06-30"));
        ASSERT_OK(check_facts_collect(f.s, f.site, t_day("2019-06-30"), TZ_CST, &fx, &e), &e);
        ASSERT_EQ_INT(check_facts_get(&fx, "stale_news")->value, 1);
        ASSERT_EQ_INT(check_facts_get(&fx, "stale_notice_policy_top")->value, 2);
        ASSERT_EQ_INT(check_facts_get(&fx, "stale_columns")->value, 5);
        ASSERT_EQ_INT(check_facts_get(&fx, "blank_columns")->value, 1);
        ASSERT_EQ_INT(check_facts_get(&fx, "policy_top_stale")->value, 1);
        ASSERT_EQ_INT(check_facts_get(&fx, "serious_wording")->value,
                      2); /* findings, not columns */
        ASSERT_EQ_INT(check_facts_get(&fx, "wording_errors")->value, 3);
        ASSERT_EQ_INT(check_facts_get(&fx, "homepage_stale")->value, 0);
        check_facts_release(&fx);
        /* Dismissed findings do not count; as of a day before they were seen, nothing does. */
        int64_t id;
        ASSERT_OK(store_get_int(f.s, &id, &e,
                                "SELECT id FROM findings WHERE subject = ? AND url LIKE ?", "tt",
                                "习进平", "%1.html"),
                  &e);
        struct clk c = t_at("2019-06-30 10:00");
        ASSERT_OK(check_finding_dismiss(f.s, &c, id, "引文原文", "张三", &e), &e);
        check_facts_init(&fx, f.site, t_day("2019-06-30"));
        ASSERT_OK(check_facts_collect(f.s, f.site, t_day("2019-06-30"), TZ_CST, &fx, &e), &e);
        ASSERT_EQ_INT(check_facts_get(&fx, "serious_wording")->value, 1);
        check_facts_release(&fx);
        check_facts_init(&fx, f.site, t_day("2019-06-29"));
        ASSERT_OK(check_facts_collect(f.s, f.site, t_day("2019-06-29"), TZ_CST, &fx, &e), &e);
        ASSERT_EQ_INT(check_facts_get(&fx, "stale_columns")->value, 0);
        check_facts_release(&fx);
        t_close(f.s);
    }
}

TEST(verdict_run_saves_history_per_date)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        struct check_finding w =
            fnd("wording", f.col[0], "http://www.shifan.test/xw/1.html", "习进平");
        w.severity = CHECK_SERIOUS;
        run(&f, "2019-05-10 09:00", "wording", true, &w, 1);
        struct check_profile *p = default_profile();
        struct err e = { 0 };
        struct check_facts fx;
        struct check_verdict v;
        struct clk c = t_at("2019-05-10 10:00");
        ASSERT_OK(check_verdict_run(f.s, &c, f.site, t_day("2019-05-10"), p, false, &fx, &v, &e),
                  &e);
        ASSERT_FALSE(v.pass);
        ASSERT_TRUE(has_veto(&v, "security-wording"));
        /* No probes: availability is undecided, and the verdict says so. */
        ASSERT_EQ_INT(v.nnotes, 1);
        ASSERT_CONTAINS(v.notes[0], "站点可用性未能判定");
        struct buf out = BUF_INIT;
        struct jw jw;
        jw_init(&jw, &out, false);
        check_verdict_json(&jw, &v, "示范网", &fx);
        jw_finish(&jw);
        ASSERT(json_valid(out.p, out.n, '{'));
        ASSERT_CONTAINS(buf_cstr(&out), "\"verdict\":\"不合格\"");
        ASSERT_CONTAINS(
            buf_cstr(&out),
            "\"vetoes\":[{\"key\":\"security-wording\",\"reason\":\"存在严重表述错误1处\"");
        ASSERT_CONTAINS(buf_cstr(&out), "\"serious_wording\":1");
        buf_release(&out);
        check_verdict_release(&v);
        check_facts_release(&fx);
        /* Fixed and checked again in the next quarter: 合格. */
        run(&f, "2019-07-02 09:00", "wording", true, NULL, 0);
        c = t_at("2019-07-02 10:00");
        ASSERT_OK(check_verdict_run(f.s, &c, f.site, t_day("2019-07-02"), p, false, &fx, &v, &e),
                  &e);
        ASSERT_TRUE(v.pass);
        check_verdict_release(&v);
        check_facts_release(&fx);
        /* Recomputing a date replaces it; a dry run stores nothing. */
        ASSERT_OK(check_verdict_run(f.s, &c, f.site, t_day("2019-07-02"), p, false, &fx, &v, &e),
                  &e);
        check_verdict_release(&v);
        check_facts_release(&fx);
        ASSERT_OK(check_verdict_run(f.s, &c, f.site, t_day("2019-07-01"), p, true, &fx, &v, &e),
                  &e);
        check_verdict_release(&v);
        check_facts_release(&fx);
        ASSERT_EQ_INT(q_int(f.s, "SELECT COUNT(*) FROM verdicts", ""), 2);
        /* The past stays as it was: as of 2019-05-10 the finding was open. */
        ASSERT_OK(check_verdict_run(f.s, &c, f.site, t_day("2019-05-10"), p, true, &fx, &v, &e),
                  &e);
        ASSERT_FALSE(v.pass);
        check_verdict_release(&v);
        check_facts_release(&fx);
        /* History per quarter: the last verdict of each site in Q2 and Q3. */
        struct vq {
            int n;
            char verdict[4][16];
        } q2 = { 0 };
        struct stmt *st = store_q(f.s, "SELECT verdict FROM verdicts ORDER BY check_date", "");
        while (stmt_next(st) && q2.n < 4)
            snprintf(q2.verdict[q2.n++], 16, "%s", stmt_str(st, 0));
        ASSERT_OK(stmt_done(st, &e), &e);
        ASSERT_EQ_INT(q2.n, 2);
        ASSERT_EQ_STR(q2.verdict[0], "不合格");
        ASSERT_EQ_STR(q2.verdict[1], "合格");
        check_profile_free(p);
        t_close(f.s);
    }
}

static int count_rows(const struct check_verdict_row *r, void *ctx)
{
    (void)r;
    (*(int *)ctx)++;
    return 0;
}

TEST(verdicts_latest_per_site_in_a_range)
{
    for (int b = 0; b < t_backends(); b++) {
        struct fx f;
        setup(&f, b);
        struct check_profile *p = default_profile();
        struct err e = { 0 };
        const char *dates[] = { "2019-04-02", "2019-05-02", "2019-06-28", "2019-07-03" };
        for (int i = 0; i < 4; i++) {
            struct check_facts fx;
            struct check_verdict v;
            struct clk c = t_at("2019-07-03 10:00");
            for (int s = 0; s < 2; s++) {
                ASSERT_OK(check_verdict_run(f.s, &c, s ? f.site2 : f.site, t_day(dates[i]), p,
                                            false, &fx, &v, &e),
                          &e);
                check_verdict_release(&v);
                check_facts_release(&fx);
            }
        }
        int n = 0;
        ASSERT_OK(check_verdicts_each(f.s, 0, t_day("2019-04-01"), t_day("2019-06-30"), true,
                                      count_rows, &n, &e),
                  &e);
        ASSERT_EQ_INT(n, 2); /* one per site: 06-28 */
        n = 0;
        ASSERT_OK(check_verdicts_each(f.s, f.site, t_day("2019-04-01"), t_day("2019-06-30"), false,
                                      count_rows, &n, &e),
                  &e);
        ASSERT_EQ_INT(n, 3);
        n = 0;
        ASSERT_OK(check_verdicts_each(f.s, 0, DATE_NONE, DATE_NONE, false, count_rows, &n, &e), &e);
        ASSERT_EQ_INT(n, 8);
        check_profile_free(p);
        t_close(f.s);
    }
}

TEST(json_valid_accepts_json_and_rejects_the_rest)
{
    /* clang-format off */
    static const struct { const char *s; char kind; bool ok; } cases[] = {
        { "{}", '{', true }, { " {\"a\": [1, -2.5e3, true, false, null, \"\\u4e2d\\n\"]} ", '{', true },
        { "[]", '[', true }, { "[]", '{', false }, { "\"x\"", 0, true }, { "12", 0, true },
        { "{\"a\":1,}", '{', false }, { "{\"a\" 1}", '{', false }, { "[1 2]", 0, false },
        { "{\"a\":01}", 0, false }, { "\"\\x\"", 0, false }, { "\"\t\"", 0, false },
        { "{} {}", 0, false }, { "", 0, false }, { "nul", 0, false }, { "[1.]", 0, false },
        { "\"\xff\"", 0, false }, { "\"中文\"", 0, true }, { "{\"a\":{\"b\":[{}]}}", '{', true },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
        if (json_valid(cases[i].s, strlen(cases[i].s), cases[i].kind) != cases[i].ok)
            t_fail(__FILE__, __LINE__, "case %zu '%s': expected %s", i, cases[i].s,
                   cases[i].ok ? "valid" : "invalid");
    /* Deep nesting is refused, not a stack overflow. */
    struct buf deep = BUF_INIT;
    for (int i = 0; i < 100000; i++)
        buf_addc(&deep, '[');
    ASSERT_FALSE(json_valid(deep.p, deep.n, 0));
    buf_release(&deep);
}

TEST(kinds_table_is_complete)
{
    for (size_t i = 0; i < check_nkinds; i++) {
        const struct check_kind *k = &check_kinds[i];
        ASSERT_TRUE(k->key && k->name && k->subject && k->indicator && k->producer);
        ASSERT(k->severity >= CHECK_NOTICE && k->severity <= CHECK_SERIOUS);
        ASSERT(check_kind_find(k->key) == k);
        for (size_t j = 0; j < i; j++)
            ASSERT(strcmp(check_kinds[j].key, k->key));
    }
    /* Every fact names known kinds. */
    for (size_t i = 0; i < check_nfact_defs; i++) {
        struct err e = { 0 };
        struct buf kinds = BUF_INIT;
        for (const char *p = check_fact_defs[i].kinds; *p; p++)
            buf_addc(&kinds, *p == '|' ? ',' : *p);
        ASSERT_OK(check_kinds_valid(buf_cstr(&kinds), &e), &e);
        buf_release(&kinds);
    }
    enum check_severity s;
    ASSERT_TRUE(check_severity_parse("严重", &s) && s == CHECK_SERIOUS);
    ASSERT_TRUE(check_severity_parse("疑似", &s) && s == CHECK_NOTICE);
    ASSERT_TRUE(check_severity_parse("Normal", &s) && s == CHECK_NORMAL);
    ASSERT_FALSE(check_severity_parse("grave", &s));
}

TEST(res_names_lists_embedded_and_data_dir_files)
{
    char **v;
    size_t n = res_names("wording/", ".tsv", &v);
    ASSERT(n >= 2);
    bool political = false;
    for (size_t i = 0; i < n; i++)
        political |= !strcmp(v[i], "wording/political.tsv");
    ASSERT_TRUE(political);
    res_names_free(v, n);
    /* An extra file in the data directory joins the list once, sorted. */
    mkdir(t_path("data"), 0700);
    mkdir(t_path("data/wording"), 0700);
    t_write("data/wording/zz-local.tsv", "wrong\n本地词\n", strlen("wrong\n本地词\n"));
    t_write("data/wording/political.tsv", "wrong\n", 6);
    t_write("data/wording/notes.txt", "x", 1);
    res_set_dir(t_path("data"));
    n = res_names("wording/", ".tsv", &v);
    int pol = 0;
    for (size_t i = 0; i < n; i++)
        pol += !strcmp(v[i], "wording/political.tsv");
    ASSERT_EQ_INT(pol, 1);
    ASSERT_EQ_STR(v[n - 1], "wording/zz-local.tsv");
    for (size_t i = 0; i < n; i++)
        ASSERT_NOT_CONTAINS(v[i], "notes.txt");
    res_names_free(v, n);
    res_set_dir(NULL);
}
