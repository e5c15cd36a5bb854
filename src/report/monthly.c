/* monthly.c - the monthly 通报 from govsite's records (see report.h, docs/reports.md).
 *
 * Gathering and writing are apart: month_gather() runs a handful of aggregate queries
 * (publication counts, work-item statistics, open findings), month_write() turns the
 * figures into the document.  Nothing here loops over articles or work items.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "checks/check.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clk.h"
#include "core/conf.h"
#include "core/date.h"
#include "feed/feed.h"
#include "core/str.h"
#include "core/vec.h"
#include "report/report.h"
#include "report/tmpl.h"
#include "store/store.h"

#define SEC "report"
#define CATALOGUE_CLASS "信息公开目录"
/* 全国政府网站信息报送系统 (the 找错 platform's back office). */
#define REPORT_SYSTEM_URL "http://121.43.68.40/boxpro/custom/pucha"

struct unit_count {
    const char *unit;
    int64_t count;
};

/* An open finding with what the bulletin needs of it. */
struct fnd {
    const char *kind, *site, *unit, *column, *url, *subject;
    int64_t unit_id, column_id, site_id, value;
    bool has_value;
    int64_t unit_rank, group_rank; /* registry order of the unit's and group's first column */
};

struct month {
    struct arena a;
    int32_t first, last, as_of; /* the month's days; the as-of day */
    int64_t as_of_t;            /* the end of the as-of day */
    int year, mon;
    const char *office;
    VEC(int64_t) portal;        /* the portal's site ids */
    int64_t published;
    VEC(struct unit_count) units; /* by count, descending */
    struct case_stats disclosure, messages, errors;
    int disclosure_days;          /* the rule's working days; 0 when the month has two */
    VEC(int64_t) catalogue_cols;  /* ids of columns of class 信息公开目录, sorted */
    VEC(struct fnd) stale;        /* column-stale|column-blank on the portal, not catalogues */
    VEC(struct fnd) catalogue;    /* the same on catalogue columns, all sites */
    VEC(struct fnd) missing;      /* required-missing on the portal */
    VEC(struct fnd) retired;      /* link-retired, all sites */
};

static void month_release(struct month *m)
{
    vec_release(&m->portal);
    vec_release(&m->units);
    vec_release(&m->catalogue_cols);
    vec_release(&m->stale);
    vec_release(&m->catalogue);
    vec_release(&m->missing);
    vec_release(&m->retired);
    arena_release(&m->a);
}

enum rc report_settings_conf(struct report_settings *s, const struct conf *conf,
                             struct err *err)
{
    *s = (struct report_settings){
        .to = "各区政府（管委会），市政府各部门、各直属机构",
        .date = DATE_NONE,
        .portal = "市政府门户网站",
        .top_units = 4,
        .group_depth = 4,
        .conf = conf,
    };
    if (!conf)
        return RC_OK;
    s->office = conf_get(conf, SEC, "office", NULL);
    s->number = conf_get(conf, SEC, "number", NULL);
    s->to = conf_get(conf, SEC, "to", s->to);
    s->signature = conf_get(conf, SEC, "signature", NULL);
    s->cc = conf_get(conf, SEC, "cc", NULL);
    s->note = conf_get(conf, SEC, "note", NULL);
    s->portal = conf_get(conf, SEC, "portal", s->portal);
    s->site = conf_get(conf, SEC, "site", NULL);
    int64_t v;
    if (conf_int(conf, SEC, "top_units", 4, 0, 100, &v, err))
        return err->rc;
    s->top_units = (int)v;
    if (conf_int(conf, SEC, "group_depth", 4, 1, 20, &v, err))
        return err->rc;
    s->group_depth = (int)v;
    return RC_OK;
}

/* ------------------------------------------------------------------ gather --- */

static enum rc find_portal(struct store *db, const struct report_settings *s, struct month *m,
                           struct err *err)
{
    struct stmt *st;
    if (s->site)
        st = store_q(db, "SELECT id FROM sites WHERE name = ? OR code = ? OR url = ? ORDER BY id",
                     "ttt", s->site, s->site, s->site);
    else
        st = store_q(db,
                     "SELECT s.id FROM sites s LEFT JOIN units u ON u.id = s.unit_id "
                     "WHERE s.type = '门户网站' "
                     "ORDER BY CASE WHEN u.kind = 'office' THEN 0 ELSE 1 END, s.id LIMIT 1",
                     "");
    while (stmt_next(st))
        vec_push(&m->portal, stmt_int(st, 0));
    if (stmt_done(st, err))
        return err->rc;
    if (!m->portal.n)
        return s->site ? err_set(err, RC_NOTFOUND,
                                 "no site '%s' for [report] site: give a site's name, 标识码 or URL",
                                 s->site)
                       : err_set(err, RC_NOTFOUND,
                                 "no 门户网站 registered: register the portal (govsite site add) or "
                                 "set [report] site");
    return RC_OK;
}

static bool is_portal(const struct month *m, int64_t site_id)
{
    for (size_t i = 0; i < m->portal.n; i++)
        if (m->portal.v[i] == site_id)
            return true;
    return false;
}

/* Add n items to the unit named `label` (one row per unit label). */
static void count_add(struct month *m, const char *label, int64_t n)
{
    m->published += n;
    vec_foreach(&m->units, u) if (!strcmp(u->unit, label)) {
        u->count += n;
        return;
    }
    vec_push(&m->units, ((struct unit_count){ arena_strdup(&m->a, label), n }));
}

/* Items published in the month by unit, on every site (the portal and its 信息公开平台
 * are fed by all units), from two sources merged by URL (docs/reports.md):
 *   - the articles of each site's latest complete crawl started by the as-of moment, each
 *     counted for its column's unit (the site's unit when the column is unknown), unless a
 *     CMS export names the same URL;
 *   - the CMS exports (`govsite article import`, checks/pub.h), which know the unit and
 *     the date better than the crawl.
 * Two aggregate queries over the (run_id, date) and (month, unit_id) indexes. */
static enum rc publication_counts(struct store *db, struct month *m, struct err *err)
{
    char from[11], to[11], month[8];
    date_fmt(m->first, from);
    date_fmt(m->last, to);
    snprintf(month, sizeof month, "%04d-%02d", m->year, m->mon);
    struct stmt *st = store_q(
        db,
        "SELECT COALESCE(un.short_name, un.name, '未指定单位'), COUNT(*) FROM crawl_articles a "
        "JOIN sites s ON s.id = a.site_id LEFT JOIN site_columns c ON c.id = a.column_id "
        "LEFT JOIN units un ON un.id = COALESCE(c.unit_id, s.unit_id) "
        "WHERE a.run_id IN (SELECT MAX(r.id) FROM crawl_runs r WHERE r.state = 'complete' "
        "AND r.started_at <= ? GROUP BY r.site_id) AND a.date >= ? AND a.date <= ? "
        "AND NOT EXISTS (SELECT 1 FROM publications p WHERE p.url = a.url "
        "AND p.source = 'cms') "
        "GROUP BY COALESCE(un.short_name, un.name, '未指定单位')",
        "itt", m->as_of_t, from, to);
    while (stmt_next(st))
        count_add(m, stmt_str(st, 0), stmt_int(st, 1));
    if (stmt_done(st, err))
        return err->rc;
    st = store_q(db,
                 "SELECT COALESCE(un.short_name, un.name, '未指定单位'), COUNT(*) "
                 "FROM publications p LEFT JOIN units un ON un.id = p.unit_id "
                 "WHERE p.month = ? AND p.source = 'cms' "
                 "GROUP BY COALESCE(un.short_name, un.name, '未指定单位')",
                 "t", month);
    while (stmt_next(st))
        count_add(m, stmt_str(st, 0), stmt_int(st, 1));
    return stmt_done(st, err);
}

static int by_count(const void *a, const void *b)
{
    const struct unit_count *x = a, *y = b;
    if (x->count != y->count)
        return x->count > y->count ? -1 : 1;
    return strcmp(x->unit, y->unit);
}

static enum rc case_figures(struct store *db, const struct clk *clk, const struct conf *conf,
                            struct month *m, struct err *err)
{
    struct case_ctx x;
    if (case_ctx_init(&x, db, conf, clk, err))
        return err->rc;
    struct {
        unsigned kinds;
        struct case_stats *out;
    } want[] = {
        { CASE_KIND_BIT(CASE_DISCLOSURE), &m->disclosure },
        { CASE_KIND_BIT(CASE_CONSULTATION) | CASE_KIND_BIT(CASE_COMPLAINT), &m->messages },
        { CASE_KIND_BIT(CASE_ERROR_REPORT), &m->errors },
    };
    enum rc rc = RC_OK;
    for (size_t i = 0; !rc && i < sizeof(want) / sizeof(want[0]); i++) {
        struct case_stats_result r;
        rc = case_stats(&x, want[i].kinds, m->first, m->last, m->as_of_t, CASE_BY_NONE, &r, err);
        if (!rc) {
            *want[i].out = r.total;
            case_stats_release(&r);
        }
    }
    if (!rc) {
        /* The number of working days in the sentence comes from the rule of the month's
         * receipts (15 under the 2008 条例, 20 under the 2019 one). */
        const struct deadline_rule *r0 =
            case_rule_for(&x, CASE_DISCLOSURE, time_from_date(m->first, 0, x.tz));
        const struct deadline_rule *r1 =
            case_rule_for(&x, CASE_DISCLOSURE, time_from_date(m->last, 86399, x.tz));
        m->disclosure_days = r0 && r1 && r0->days == r1->days ? r0->days : 0;
    }
    case_ctx_release(&x);
    return rc;
}

static int cmp_id(const void *a, const void *b)
{
    int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
    return x < y ? -1 : x > y;
}

static int keep_finding(const struct check_row *r, void *ctx)
{
    struct month *m = ctx;
    struct fnd f = {
        .kind = arena_strdup(&m->a, r->kind),
        .site = arena_strdup(&m->a, r->site ? r->site : ""),
        .unit = arena_strdup(&m->a, r->unit && *r->unit ? r->unit : "未指定单位"),
        .column = arena_strdup(&m->a, r->column ? r->column : ""),
        .url = arena_strdup(&m->a, r->url ? r->url : ""),
        .subject = arena_strdup(&m->a, r->subject ? r->subject : ""),
        .unit_id = r->unit_id,
        .column_id = r->column_id,
        .site_id = r->site_id,
        .value = r->value,
        .has_value = r->has_value,
    };
    bool portal = is_portal(m, r->site_id);
    if (!strcmp(r->kind, "link-retired")) {
        vec_push(&m->retired, f);
    } else if (!strcmp(r->kind, "required-missing")) {
        if (portal && r->column_id)
            vec_push(&m->missing, f);
    } else if (r->column_id) {
        bool cat = bsearch(&f.column_id, m->catalogue_cols.v, m->catalogue_cols.n,
                           sizeof(int64_t), cmp_id) != NULL;
        /* A catalogue column can be stale twice over (column-stale from the checks,
         * catalogue-stale from the feed module): it is one row of the 附件. */
        bool dup = false;
        vec_foreach(&m->catalogue, c) dup |= c->column_id == f.column_id;
        if (cat || !strcmp(r->kind, "catalogue-stale")) {
            if (!dup)
                vec_push(&m->catalogue, f);
        } else if (portal)
            vec_push(&m->stale, f);
    }
    return 0;
}

static enum rc findings(struct store *db, struct month *m, struct err *err)
{
    struct stmt *st =
        store_q(db, "SELECT id FROM site_columns WHERE class = ? ORDER BY id", "t", CATALOGUE_CLASS);
    while (stmt_next(st))
        vec_push(&m->catalogue_cols, stmt_int(st, 0));
    if (stmt_done(st, err))
        return err->rc;
    static const char *const kinds[] = { "column-stale", "column-blank", "catalogue-stale",
                                         "required-missing", "link-retired" };
    for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        struct check_query q = { .kind = kinds[i], .state = "open", .as_of = m->as_of_t };
        if (check_findings_each(db, &q, keep_finding, m, err))
            return err->rc;
    }
    return RC_OK;
}

static enum rc month_gather(struct store *db, const struct clk *clk,
                            const struct report_settings *s, struct month *m, struct err *err)
{
    if (m->as_of < m->last)
        return err_set(err, RC_INVALID,
                       "--as-of is before the end of the month: give a date on or after the "
                       "month's last day");
    if (s->office)
        m->office = arena_strdup(&m->a, s->office);
    else {
        char *o = NULL;
        if (store_get_text(db, &o, err,
                           "SELECT name FROM units WHERE kind = 'office' ORDER BY id LIMIT 1", ""))
            return err->rc == RC_NOTFOUND
                       ? err_set(err, RC_NOTFOUND,
                                 "no unit of kind office: register the office (govsite unit "
                                 "import) or set [report] office")
                       : err->rc;
        m->office = arena_strdup(&m->a, o);
        free(o);
    }
    if (find_portal(db, s, m, err) || publication_counts(db, m, err) ||
        case_figures(db, clk, s->conf, m, err) || findings(db, m, err))
        return err->rc;
    if (m->units.n)
        qsort(m->units.v, m->units.n, sizeof(m->units.v[0]), by_count);
    return RC_OK;
}

/* ------------------------------------------------------------------ write --- */

/* "16宗" style figure runs. */
static void fig(struct doc_para *p, int64_t n, const char *unit)
{
    doc_int(p, n);
    doc_text(p, unit);
}

/* How the body cites attachment n of `total`: 附件2, or 附件 when it is the only one. */
static const char *attach_ref(struct arena *a, int n, int total)
{
    return total == 1 ? "附件" : arena_fmt(a, "附件%d", n);
}

static void part_one(struct doc *d, const struct report_settings *s, struct month *m,
                     const char *pub_ref)
{
    doc_heading(d, 1, doc_strf(d, "%s内容保障情况", s->portal));

    struct doc_para *p = doc_heading(d, 2, "信息发布情况。");
    doc_textf(p, "各区政府（管委会）、各部门在%s（信息公开平台）发布和更新各类信息", s->portal);
    if (!m->published) {
        doc_text(p, "暂无统计（本月尚无完成的抓取数据）。");
    } else {
        doc_text(p, "共");
        fig(p, m->published, "条。");
        size_t n = m->units.n < (size_t)s->top_units ? m->units.n : (size_t)s->top_units;
        if (n) {
            doc_text(p, "信息发布数量较多的单位是：");
            for (size_t i = 0; i < n; i++) {
                if (i)
                    doc_text(p, "、");
                doc_text(p, m->units.v[i].unit);
                fig(p, m->units.v[i].count, "条");
            }
            if (pub_ref)
                doc_textf(p, "（详见%s）", pub_ref);
            doc_text(p, "。");
        }
    }

    const struct case_stats *c = &m->disclosure;
    p = doc_heading(d, 2, "依申请公开办理情况。");
    int late = c->closed_late + c->open_overdue;
    char days[24] = "";
    if (m->disclosure_days)
        snprintf(days, sizeof days, "%d个工作日", m->disclosure_days);
    if (!c->received) {
        doc_text(p, "本月未收到网上依申请公开政府信息。");
    } else {
        doc_text(p, "收到网上依申请公开政府信息");
        fig(p, c->received, "宗，截至");
        doc_date_md(p, m->as_of);
        doc_text(p, "，已处理");
        fig(p, c->closed, "宗，");
        if (!late)
            doc_textf(p, "无一宗逾期%s未答复。", days);
        else {
            doc_textf(p, "逾期%s未答复", days);
            fig(p, late, "宗。");
        }
    }

    c = &m->messages;
    p = doc_heading(d, 2, "咨询和投诉办理情况。");
    if (!c->received) {
        doc_text(p, "本月未收到网上受理咨询和投诉。");
    } else {
        doc_text(p, "共收到网上受理咨询和投诉");
        fig(p, c->received, "宗，时效内已答复");
        fig(p, c->closed_on_time, "宗，");
        if (c->rate_defined) {
            doc_text(p, "按时办结率为");
            doc_pct(p, c->closed_on_time, c->closed + c->open_overdue, 1);
            doc_text(p, "。");
        } else {
            doc_text(p, "其余均在办理时限内。");
        }
    }

    c = &m->errors;
    p = doc_heading(d, 2, "“我为政府网站找错”网民留言办理情况。");
    if (!c->received) {
        doc_text(p, "本月未收到“我为政府网站找错”网民留言。");
    } else {
        doc_text(p, "收到“我为政府网站找错”网民留言");
        fig(p, c->received, "宗，截至");
        doc_date_md(p, m->as_of);
        doc_text(p, "，已处理");
        fig(p, c->closed, "宗，");
        int over = c->closed_late + c->open_overdue;
        if (!over)
            doc_text(p, "无一宗逾期未处理。");
        else {
            doc_text(p, "逾期处理或未处理");
            fig(p, over, "宗。");
        }
    }
}

/* The fixed paragraphs from the office's template, with the figures they quote. */
static enum rc fixed(struct store *db, const struct clk *clk, struct doc *d,
                     const struct report_settings *s, struct month *m, int stale_attach,
                     int retired_attach, int total, struct err *err)
{
    struct arena a = ARENA_INIT;
    struct tmpl *t;
    enum rc rc = tmpl_load(&a, "report/monthly.tmpl", &t, err);
    if (rc) {
        arena_release(&a);
        return rc;
    }
    const struct conf *cf = s->conf;
    struct tmpl_vars *v = tmpl_vars_new(&a);
    tmpl_set_str(v, "office", m->office);
    tmpl_set_str(v, "portal", s->portal);
    tmpl_set_int(v, "year", m->year);
    tmpl_set_int(v, "month", m->mon);
    tmpl_set_date(v, "as_of", m->as_of);
    tmpl_set_date(v, "month_first", m->first);
    tmpl_set_str(v, "group_name", cf ? conf_get(cf, SEC, "group_name", "") : "");
    tmpl_set_str(v, "group_no", cf ? conf_get(cf, SEC, "group_no", "") : "");
    tmpl_set_str(v, "report_system_url",
                 cf ? conf_get(cf, SEC, "report_system_url", REPORT_SYSTEM_URL) : REPORT_SYSTEM_URL);
    tmpl_set_str(v, "service_portal_url",
                 cf ? conf_get(cf, SEC, "service_portal_url", "") : "");
    tmpl_set_int(v, "stale_attachment", stale_attach);
    tmpl_set_int(v, "retired_attachment", retired_attach);
    tmpl_set_str(v, "stale_ref", stale_attach ? attach_ref(&a, stale_attach, total) : "");
    tmpl_set_str(v, "retired_ref", retired_attach ? attach_ref(&a, retired_attach, total) : "");
    tmpl_set_int(v, "zc_received", m->errors.received);
    tmpl_set_int(v, "zc_handled", m->errors.closed);
    tmpl_set_int(v, "zc_overdue", m->errors.closed_late + m->errors.open_overdue);
    bool annual = m->mon == 11 || m->mon == 12 || m->mon == 1, hall = false;
    if (cf && (conf_bool(cf, SEC, "annual_reminder", annual, &annual, err) ||
               conf_bool(cf, SEC, "service_hall_notice", false, &hall, err))) {
        arena_release(&a);
        return err->rc;
    }
    tmpl_set_bool(v, "annual_reminder", annual);
    /* The 年度 the reminder is about: the year that ends (December's, or January's
     * previous year). */
    tmpl_set_int(v, "annual_year", m->mon == 1 ? m->year - 1 : m->year);
    tmpl_set_bool(v, "service_hall_notice", hall || m->retired.n);
    /* Units whose pages still link to a retired service hall, with their page count. */
    struct tmpl_list *rl = tmpl_set_list(v, "retired_units");
    for (size_t i = 0; i < m->retired.n; i++) {
        bool seen = false;
        for (size_t j = 0; j < i; j++)
            seen |= !strcmp(m->retired.v[j].unit, m->retired.v[i].unit);
        if (seen)
            continue;
        int pages = 0;
        for (size_t j = i; j < m->retired.n; j++)
            pages += !strcmp(m->retired.v[j].unit, m->retired.v[i].unit);
        struct tmpl_vars *it = tmpl_list_add(rl);
        tmpl_set_str(it, "unit", m->retired.v[i].unit);
        tmpl_set_int(it, "pages", pages);
    }
    /* Re-posting (政声传递) gaps from the feed module, judged for the items published in
     * the month; with no upstream source registered there is nothing to judge and the
     * template says so. */
    struct buf rp = BUF_INIT;
    struct feed_source *src = NULL;
    size_t sources = 0;
    rc = feed_sources_list(db, &src, &sources, err);
    feed_sources_free(src, sources);
    if (!rc && sources)
        rc = feed_bulletin_repost(db, clk, m->first, m->last, &rp, err);
    if (!rc) {
        tmpl_set_bool(v, "repost_available", sources > 0);
        tmpl_set_str(v, "repost_text", buf_cstr(&rp));
        rc = tmpl_render(t, v, d, err);
    }
    buf_release(&rp);
    arena_release(&a);
    return rc;
}

/* The first `depth` segments of a column path ("a>b>c"), or the whole path. */
static size_t prefix_len(const char *path, int depth)
{
    const char *p = path;
    for (int i = 0; i < depth; i++) {
        const char *gt = strchr(p, '>');
        if (!gt)
            return strlen(path);
        p = gt + 1;
    }
    return (size_t)(p - path - 1);
}

/* The end of the group starting at g (< j): the columns sharing g's first `depth`
 * segments. */
static bool same_group(const struct fnd *x, const struct fnd *y, int depth);
static size_t group_end(const struct fnd *v, size_t g, size_t j, int depth)
{
    size_t h = g + 1;
    while (h < j && same_group(&v[g], &v[h], depth))
        h++;
    return h;
}

static bool same_group(const struct fnd *x, const struct fnd *y, int depth)
{
    size_t pl = prefix_len(x->column, depth);
    return !strcmp(x->unit, y->unit) && prefix_len(y->column, depth) == pl &&
           !strncmp(x->column, y->column, pl);
}

/* Registry order: units by their first column, groups by theirs, then columns. */
static int by_rank(const void *a, const void *b)
{
    const struct fnd *x = a, *y = b;
    if (x->unit_rank != y->unit_rank)
        return x->unit_rank < y->unit_rank ? -1 : 1;
    if (x->group_rank != y->group_rank)
        return x->group_rank < y->group_rank ? -1 : 1;
    return x->column_id < y->column_id ? -1 : x->column_id > y->column_id;
}

static void rank_stale(struct month *m, int depth)
{
    for (size_t i = 0; i < m->stale.n; i++) {
        struct fnd *f = &m->stale.v[i];
        f->unit_rank = f->group_rank = f->column_id;
        for (size_t j = 0; j < m->stale.n; j++) {
            const struct fnd *g = &m->stale.v[j];
            if (!strcmp(f->unit, g->unit) && g->column_id < f->unit_rank)
                f->unit_rank = g->column_id;
            if (same_group(f, g, depth) && g->column_id < f->group_rank)
                f->group_rank = g->column_id;
        }
    }
    qsort(m->stale.v, m->stale.n, sizeof(m->stale.v[0]), by_rank);
}

/* 请市卫计局及时更新“P”部分栏目的信息（如：a、b）和“Q”栏目的信息。 — one numbered item
 * per unit, its columns grouped by the first `group_depth` path segments. */
static void columns_to_update(struct doc *d, const struct report_settings *s, struct month *m,
                              const char *ref)
{
    if (!m->stale.n)
        return;
    rank_stale(m, s->group_depth);
    struct doc_para *p = doc_heading(d, 2, "及时更新部分栏目信息。");
    if (ref)
        doc_textf(p, "各栏目的未更新天数详见%s。", ref);
    /* Distinct columns per unit (a column may carry both a stale and a blank finding). */
    for (size_t i = 0; i < m->stale.n;) {
        size_t j = i;
        while (j < m->stale.n && !strcmp(m->stale.v[j].unit, m->stale.v[i].unit))
            j++;
        struct doc_para *it = doc_heading(d, 3, "");
        doc_textf(it, "请%s及时更新", m->stale.v[i].unit);
        size_t ngroups = 0;
        for (size_t g = i; g < j; ngroups++)
            g = group_end(m->stale.v, g, j, s->group_depth);
        size_t gi = 0;
        for (size_t g = i; g < j; gi++) {
            const char *path = m->stale.v[g].column;
            size_t pl = prefix_len(path, s->group_depth);
            size_t h = group_end(m->stale.v, g, j, s->group_depth);
            if (gi)
                doc_text(it, gi + 1 == ngroups ? "和" : "、");
            bool single = true;
            for (size_t k = g + 1; k < h; k++)
                single &= !strcmp(m->stale.v[k].column, path);
            if (single || path[pl] == 0) {
                doc_textf(it, "“%s”栏目的信息", path);
            } else {
                doc_textf(it, "“%.*s”部分栏目的信息（如：", (int)pl, path);
                for (size_t k = g; k < h; k++) {
                    if (k > g && !strcmp(m->stale.v[k].column, m->stale.v[k - 1].column))
                        continue;
                    if (k > g)
                        doc_text(it, "、");
                    doc_text(it, m->stale.v[k].column + pl + 1);
                }
                doc_text(it, "）");
            }
            g = h;
        }
        doc_text(it, "。");
        i = j;
    }
}

static int by_unit_col_item(const void *a, const void *b)
{
    const struct fnd *x = a, *y = b;
    int c = strcmp(x->unit, y->unit);
    if (!c)
        c = strcmp(x->column, y->column);
    if (!c)
        c = x->column_id < y->column_id ? -1 : x->column_id > y->column_id;
    return c;
}

/* 请市卫计局规范“<parent>”（“<column>”栏目未提供A、B等信息；…）和“…”（…）栏目的建设工作。 */
static void required_items(struct doc *d, struct month *m)
{
    if (!m->missing.n)
        return;
    qsort(m->missing.v, m->missing.n, sizeof(m->missing.v[0]), by_unit_col_item);
    doc_heading(d, 2, "规范重点领域信息公开专栏建设的相关工作。");
    for (size_t i = 0; i < m->missing.n;) {
        size_t j = i;
        while (j < m->missing.n && !strcmp(m->missing.v[j].unit, m->missing.v[i].unit))
            j++;
        struct doc_para *it = doc_heading(d, 3, "");
        doc_textf(it, "请%s规范", m->missing.v[i].unit);
        /* Groups: columns with the same parent path. */
        size_t ngroups = 0;
        for (size_t g = i; g < j; ngroups++) {
            const char *gt = strrchr(m->missing.v[g].column, '>');
            size_t pl = gt ? (size_t)(gt - m->missing.v[g].column) : 0;
            size_t h = g;
            while (h < j && !strncmp(m->missing.v[h].column, m->missing.v[g].column, pl) &&
                   strrchr(m->missing.v[h].column, '>') == m->missing.v[h].column + pl)
                h++;
            g = h > g ? h : g + 1;
        }
        size_t gi = 0;
        for (size_t g = i; g < j; gi++) {
            const char *col = m->missing.v[g].column;
            const char *gt = strrchr(col, '>');
            size_t pl = gt ? (size_t)(gt - col) : 0;
            size_t h = g;
            while (h < j && !strncmp(m->missing.v[h].column, col, pl) &&
                   strrchr(m->missing.v[h].column, '>') == m->missing.v[h].column + pl)
                h++;
            if (h == g)
                h = g + 1;
            if (gi)
                doc_text(it, gi + 1 == ngroups ? "和" : "、");
            if (pl)
                doc_textf(it, "“%.*s”（", (int)pl, col);
            else
                doc_text(it, "（");
            for (size_t k = g; k < h;) {
                size_t e = k;
                while (e < h && m->missing.v[e].column_id == m->missing.v[k].column_id)
                    e++;
                if (k > g)
                    doc_text(it, "；");
                const char *name = pl ? m->missing.v[k].column + pl + 1 : m->missing.v[k].column;
                doc_textf(it, "“%s”栏目未提供", name);
                for (size_t q = k; q < e; q++) {
                    if (q > k)
                        doc_text(it, "、");
                    doc_text(it, m->missing.v[q].subject);
                }
                doc_text(it, "等信息");
                k = e;
            }
            doc_text(it, "）");
            g = h;
        }
        doc_text(it, "栏目的建设工作。");
        i = j;
    }
}

static void interview_conf(struct doc *d, const struct report_settings *s);

/* Overdue rectification tasks (feed module), one sentence per unit; nothing when none. */
static enum rc overdue_tasks(struct store *db, const struct clk *clk, struct doc *d,
                             const struct month *m, struct err *err)
{
    struct buf b = BUF_INIT;
    enum rc rc = feed_bulletin_tasks(db, clk, m->as_of, &b, err);
    if (!rc && b.n) {
        struct doc_para *p = doc_heading(d, 2, "抓紧完成整改任务。");
        doc_text(p, buf_cstr(&b));
        doc_text(p, "请有关单位抓紧整改，并将整改情况报送市府办。");
    }
    buf_release(&b);
    return rc;
}

/* (八) the next 民生在线 interview: the feed module's schedule (the first interview after
 * the as-of day); without one, the [report] settings interview_unit and interview_date. */
static enum rc interview(struct store *db, struct doc *d, const struct report_settings *s,
                         const struct month *m, struct err *err)
{
    struct buf b = BUF_INIT;
    enum rc rc = feed_bulletin_interview(db, m->as_of + 1, &b, err);
    if (rc == RC_OK) {
        struct doc_para *p = doc_heading(d, 2, "精心准备民生在线访谈。");
        doc_text(p, buf_cstr(&b));
        buf_release(&b);
        return RC_OK;
    }
    buf_release(&b);
    if (rc != RC_NOTFOUND)
        return rc;
    interview_conf(d, s);
    return RC_OK;
}

static void interview_conf(struct doc *d, const struct report_settings *s)
{
    const char *unit = s->conf ? conf_get(s->conf, SEC, "interview_unit", NULL) : NULL;
    const char *day = s->conf ? conf_get(s->conf, SEC, "interview_date", NULL) : NULL;
    int32_t when;
    if (str_empty(unit) || !day || !date_parse(day, &when)) {
        struct doc_para *p = doc_heading(d, 2, "精心准备民生在线访谈。");
        doc_text(p, "暂无数据：下月“民生在线”访谈安排尚未录入（用 govsite interview add 录入访谈"
                    "排期，或在配置文件[report]节填写interview_unit和interview_date）。");
        return;
    }
    int y, mo, dd;
    date_to_ymd(when, &y, &mo, &dd);
    struct doc_para *p = doc_heading(d, 2, "精心准备民生在线访谈。");
    doc_textf(p, "%s份“民生在线”访谈的单位为%s，时间暂定为", cn_month(&d->arena, y, mo), unit);
    doc_date(p, when);
    doc_textf(p, "。请%s做好各项准备工作。", unit);
}

static void attach_publication(struct doc *d, struct month *m)
{
    struct doc_table *t = doc_table(d, NULL, 3);
    doc_table_widths(t, (const int[]){ 1, 4, 2 });
    doc_table_head(t);
    doc_cell(t, "序号");
    doc_cell(t, "单位");
    doc_cell(t, "发布和更新信息（条）");
    for (size_t i = 0; i < m->units.n; i++) {
        doc_table_row(t);
        doc_cell_int(t, (int64_t)i + 1);
        doc_cell(t, m->units.v[i].unit);
        doc_cell_int(t, m->units.v[i].count);
    }
    doc_table_row(t);
    doc_cell_span(doc_cell(t, "合计"), 2, 1);
    doc_cell_int(t, m->published);
}

static void finding_table(struct doc *d, const struct fnd *v, size_t n, bool site, bool days)
{
    int nc = 3 + site + days;
    struct doc_table *t = doc_table(d, NULL, nc);
    int w[5], k = 0;
    w[k++] = 1;
    w[k++] = 3;
    if (site)
        w[k++] = 4;
    w[k++] = 7;
    if (days)
        w[k++] = 2;
    doc_table_widths(t, w);
    doc_table_flags(t, DOC_TABLE_SMALL);
    doc_table_head(t);
    doc_cell(t, "序号");
    doc_cell(t, "单位");
    if (site)
        doc_cell(t, "网站");
    doc_cell(t, "栏目");
    if (days)
        doc_cell(t, "未更新天数");
    for (size_t i = 0; i < n; i++) {
        doc_table_row(t);
        doc_cell_int(t, (int64_t)i + 1);
        doc_cell(t, v[i].unit);
        if (site)
            doc_cell(t, v[i].site);
        doc_cell(t, v[i].column);
        if (days) {
            if (v[i].has_value && !strcmp(v[i].kind, "column-stale"))
                doc_cell_int(t, v[i].value);
            else
                doc_cell(t, "从未更新");
        }
    }
}

static void attach_retired(struct doc *d, struct month *m)
{
    struct doc_table *t = doc_table(d, NULL, 5);
    doc_table_widths(t, (const int[]){ 1, 3, 4, 6, 5 });
    doc_table_flags(t, DOC_TABLE_SMALL);
    doc_table_head(t);
    doc_cell(t, "序号");
    doc_cell(t, "单位");
    doc_cell(t, "栏目");
    doc_cell(t, "页面");
    doc_cell(t, "原网上办事大厅链接");
    for (size_t i = 0; i < m->retired.n; i++) {
        const struct fnd *f = &m->retired.v[i];
        doc_table_row(t);
        doc_cell_int(t, (int64_t)i + 1);
        doc_cell(t, f->unit);
        doc_cell(t, *f->column ? f->column : f->site);
        doc_cell(t, f->url);
        doc_cell(t, f->subject);
    }
}

static enum rc month_write(struct store *db, const struct report_settings *s, const struct clk *clk,
                           struct month *m, struct doc **out, struct err *err)
{
    const char *month_cn = cn_month(&m->a, m->year, m->mon);
    struct doc *d = doc_new(&(struct doc_meta){
        .layout = DOC_LAYOUT_LETTER,
        .office = m->office,
        .number = s->number,
        .title = arena_fmt(&m->a, "%s关于%s份%s内容保障情况的通报", m->office, month_cn, s->portal),
        .to = s->to,
        .date = s->date != DATE_NONE ? s->date : clk_today(clk),
        .signature = s->signature,
        .note = s->note,
        .cc = s->cc,
        .print_date = DATE_NONE,
    });
    /* Attachments in the order the body cites them. */
    int n = 0;
    int pub = m->units.n ? ++n : 0;
    int stale_cat = m->catalogue.n ? ++n : 0;
    int retired = m->retired.n ? ++n : 0;
    int cols = m->stale.n ? ++n : 0;

    struct doc_para *p = doc_para(d, "现就");
    doc_textf(p, "%s份%s内容保障情况通报如下：", month_cn, s->portal);
    part_one(d, s, m, pub ? attach_ref(&m->a, pub, n) : NULL);
    doc_heading(d, 1, "下一阶段内容保障的重点");
    if (fixed(db, clk, d, s, m, stale_cat, retired, n, err)) {
        doc_free(d);
        return err->rc;
    }
    columns_to_update(d, s, m, cols ? attach_ref(&m->a, cols, n) : NULL);
    required_items(d, m);
    if (overdue_tasks(db, clk, d, m, err) || interview(db, d, s, m, err)) {
        doc_free(d);
        return err->rc;
    }

    if (pub) {
        doc_attachment(d, doc_strf(d, "%s各单位在%s发布和更新信息数量", month_cn, s->portal));
        attach_publication(d, m);
    }
    if (stale_cat) {
        doc_attachment(d, "政府信息公开目录信息更新不及时的单位");
        finding_table(d, m->catalogue.v, m->catalogue.n, true, true);
    }
    if (retired) {
        doc_attachment(d, "仍链接原网上办事大厅的页面");
        attach_retired(d, m);
    }
    if (cols) {
        doc_attachment(d, "需及时更新的栏目");
        finding_table(d, m->stale.v, m->stale.n, false, true);
    }
    if (doc_status(d, err)) {
        doc_free(d);
        return err->rc;
    }
    *out = d;
    return RC_OK;
}

enum rc report_monthly(struct store *db, const struct clk *clk, const struct report_settings *s,
                       int32_t month, int32_t as_of, struct doc **out, struct err *err)
{
    struct month m = { .a = ARENA_INIT };
    int d;
    date_to_ymd(month, &m.year, &m.mon, &d);
    m.first = date_from_ymd(m.year, m.mon, 1);
    m.last = date_from_ymd(m.year, m.mon, date_days_in_month(m.year, m.mon));
    m.as_of = as_of;
    m.as_of_t = time_from_date(as_of, 86399, clk->tzoff);
    enum rc rc = month_gather(db, clk, s, &m, err);
    if (!rc)
        rc = month_write(db, s, clk, &m, out, err);
    month_release(&m);
    return rc;
}
