/* catalogue.c - the disclosure catalogue's freshness (catalogue-stale) and the
 * interaction rule (interaction-overdue, interaction-no-reply) from the work items. */
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "checks/check.h"
#include "core/arena.h"
#include "core/date.h"
#include "feed/feed.h"
#include "feed/feed_int.h"
#include "reg/reg.h"

#define CATALOGUE_CLASS "信息公开目录"

/* ---- catalogue-stale --------------------------------------------------------------- */

static enum rc catalogue_site(struct store *db, const struct clk *clk, int64_t site_id,
                              struct feed_check_tally *t, struct err *err)
{
    /* Without a finished crawl there is no evidence either way. */
    int64_t runs = 0;
    enum rc rc = store_get_int(db, &runs, err,
                               "SELECT COUNT(*) FROM crawl_runs WHERE site_id = ? AND state = "
                               "'complete'",
                               "i", site_id);
    if (rc || !runs)
        return rc;
    struct reg_column *cols;
    size_t n;
    if ((rc = reg_columns_of_site(db, site_id, false, &cols, &n, err)))
        return rc;
    int32_t today = clk_today(clk);
    struct check_exempt_set ex = { 0 };
    rc = check_exempt_load(db, site_id, today, &ex, err);
    struct check_scope sc = { .site_id = site_id, .kinds = "catalogue-stale", .complete = true,
                              .source = "catalogue" };
    struct check_session *cs = NULL;
    if (rc == RC_OK)
        rc = check_begin(db, clk, &sc, &cs, err);
    struct buf ev = BUF_INIT, sum = BUF_INIT;
    for (size_t i = 0; rc == RC_OK && i < n; i++) {
        const struct reg_column *c = &cols[i];
        if (strcmp(c->class_name, CATALOGUE_CLASS) || c->freshness_days <= 0 ||
            check_exempt_has(&ex, c->id))
            continue;
        char *latest = NULL;
        rc = store_get_text(db, &latest, err,
                            "SELECT MAX(d) FROM (SELECT MAX(p.latest) AS d FROM crawl_pages p "
                            "WHERE p.column_id = ? UNION ALL SELECT MAX(ci.date) AS d FROM "
                            "crawl_items ci JOIN crawl_pages p ON p.url_id = ci.page_id WHERE "
                            "p.column_id = ? AND ci.main = 1 UNION ALL SELECT MAX(a.date) AS d "
                            "FROM crawl_articles a WHERE a.column_id = ?) x",
                            "iii", c->id, c->id, c->id);
        if (rc == RC_NOTFOUND)
            rc = RC_OK;
        int32_t day = DATE_NONE;
        if (latest)
            date_parse(latest, &day);
        free(latest);
        if (rc)
            break;
        int64_t days = day == DATE_NONE ? -1 : today - day;
        if (day != DATE_NONE && days <= c->freshness_days)
            continue;
        buf_reset(&ev);
        buf_reset(&sum);
        struct jw w;
        jw_init(&w, &ev, false);
        jw_obj(&w);
        jw_kstr(&w, "path", c->path);
        jw_kdate(&w, "latest", day);
        jw_kint(&w, "limit_days", c->freshness_days);
        jw_end(&w);
        jw_finish(&w);
        if (day == DATE_NONE)
            buf_addf(&sum, "信息公开目录栏目“%s”无带日期的信息", c->path);
        else
            buf_addf(&sum, "信息公开目录栏目“%s”已%lld天未更新（时限%d天）", c->path,
                     (long long)days, c->freshness_days);
        struct check_finding f = { .kind = "catalogue-stale",
                                   .column_id = c->id,
                                   .subject = c->path,
                                   .evidence = ev.p,
                                   .summary = sum.p,
                                   .has_value = day != DATE_NONE,
                                   .value = days };
        rc = check_report(cs, &f, NULL, err);
    }
    rc = feed__session_end(cs, rc, t, err);
    buf_release(&ev);
    buf_release(&sum);
    check_exempt_set_release(&ex);
    reg_columns_free(cols, n);
    if (t && rc == RC_OK)
        t->sites++;
    return rc;
}

enum rc feed_catalogue_check(struct store *db, const struct clk *clk, int64_t site_id,
                             struct feed_check_tally *t, struct err *err)
{
    int64_t *ids;
    size_t n;
    enum rc rc = feed__sites(db, site_id, &ids, &n, err);
    for (size_t i = 0; rc == RC_OK && i < n; i++)
        rc = catalogue_site(db, clk, ids[i], t, err);
    free(ids);
    return rc;
}

struct stale_ctx {
    int (*fn)(const struct feed_stale_catalogue *r, void *ctx);
    void *ctx;
    int tzoff;
};

static int stale_row(const struct check_row *r, void *ctx)
{
    struct stale_ctx *c = ctx;
    struct feed_stale_catalogue s = { .unit_id = r->unit_id,
                                      .unit = r->unit,
                                      .site = r->site,
                                      .column = r->column ? r->column : r->subject,
                                      .latest = DATE_NONE,
                                      .days = r->has_value ? r->value : -1 };
    /* value = days between the latest item and the day it was last seen */
    if (r->has_value)
        s.latest = time_to_date(r->last_seen, c->tzoff) - (int32_t)r->value;
    return c->fn(&s, c->ctx);
}

enum rc feed_stale_catalogues(struct store *db, int32_t as_of, int tzoff,
                              int (*fn)(const struct feed_stale_catalogue *r, void *ctx),
                              void *ctx, struct err *err)
{
    struct check_query q = { .kind = "catalogue-stale", .state = "open",
                             .as_of = time_from_date(as_of + 1, 0, tzoff) - 1 };
    struct stale_ctx c = { fn, ctx, tzoff };
    return check_findings_each(db, &q, stale_row, &c, err);
}

/* ---- interaction ------------------------------------------------------------------- */

static enum rc interaction_site(struct store *db, const struct clk *clk, struct case_ctx *x,
                                int64_t site_id, struct feed_check_tally *t, struct err *err)
{
    unsigned kinds = CASE_KIND_BIT(CASE_CONSULTATION) | CASE_KIND_BIT(CASE_COMPLAINT);
    int64_t now = clk_now(clk);
    struct arena a = { 0 };
    struct case_slow_reply *slow;
    size_t nslow;
    enum rc rc = case_site_unanswered(x, site_id, kinds, now, &a, &slow, &nslow, err);
    struct case_reply_activity act = { 0 };
    if (rc == RC_OK)
        rc = case_site_reply_activity(x, site_id, kinds, now, 2, &act, err);
    int64_t total = 0;
    if (rc == RC_OK)
        rc = store_get_int(db, &total, err,
                           "SELECT COUNT(*) FROM cases WHERE site_id = ? AND kind IN "
                           "('consultation', 'complaint')",
                           "i", site_id);
    struct check_scope sc = { .site_id = site_id,
                              .kinds = "interaction-overdue,interaction-no-reply",
                              .complete = true,
                              .source = "cases" };
    struct check_session *cs = NULL;
    if (rc == RC_OK)
        rc = check_begin(db, clk, &sc, &cs, err);
    struct buf ev = BUF_INIT, sum = BUF_INIT;
    for (size_t i = 0; rc == RC_OK && i < nslow; i++) {
        buf_reset(&ev);
        buf_reset(&sum);
        struct jw w;
        jw_init(&w, &ev, false);
        jw_obj(&w);
        jw_kstr(&w, "number", slow[i].number);
        jw_ktime(&w, "received_at", slow[i].received_at, clk->tzoff);
        jw_ktime(&w, "replied_at", slow[i].replied_at, clk->tzoff);
        jw_kint(&w, "days", slow[i].days);
        jw_end(&w);
        jw_finish(&w);
        buf_addf(&sum, "留言%s %s超过3个月（%d天）", slow[i].number,
                 slow[i].replied_at ? "答复" : "未答复", slow[i].days);
        struct check_finding f = { .kind = "interaction-overdue", .subject = slow[i].number,
                                   .evidence = ev.p, .summary = sum.p, .has_value = true,
                                   .value = slow[i].days };
        rc = check_report(cs, &f, NULL, err);
    }
    if (rc == RC_OK && total > 0 && act.replies_in_window == 0) {
        buf_reset(&ev);
        struct jw w;
        jw_init(&w, &ev, false);
        jw_obj(&w);
        jw_ktime(&w, "last_reply_at", act.last_reply_at, clk->tzoff);
        jw_kint(&w, "received_in_window", act.received_in_window);
        jw_kint(&w, "months", 2);
        jw_end(&w);
        jw_finish(&w);
        struct check_finding f = { .kind = "interaction-no-reply", .subject = "互动交流",
                                   .evidence = ev.p,
                                   .summary = "前2个月无更新的留言回复" };
        rc = check_report(cs, &f, NULL, err);
    }
    rc = feed__session_end(cs, rc, t, err);
    if (t && rc == RC_OK)
        t->sites++;
    buf_release(&ev);
    buf_release(&sum);
    arena_release(&a);
    return rc;
}

enum rc feed_interaction_check(struct store *db, const struct clk *clk, int64_t site_id,
                               struct feed_check_tally *t, struct err *err)
{
    struct case_ctx x;
    enum rc rc = case_ctx_init(&x, db, NULL, clk, err);
    if (rc)
        return rc;
    int64_t *ids;
    size_t n;
    rc = feed__sites(db, site_id, &ids, &n, err);
    for (size_t i = 0; rc == RC_OK && i < n; i++)
        rc = interaction_site(db, clk, &x, ids[i], t, err);
    free(ids);
    case_ctx_release(&x);
    return rc;
}
