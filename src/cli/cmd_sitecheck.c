/* cmd_sitecheck.c - `govsite check`, `retired`, `article import|stats`, `column
 * accept|classify|reject|proposals` and the freshness of `column list --json`
 * (checks/sitecheck.h, checks/pub.h). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/pub.h"
#include "checks/sitecheck.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/xalloc.h"
#include "feed/feed.h"
#include "reg/reg.h"

/* ---- govsite check ------------------------------------------------------------------- */

struct findings_ctx {
    struct jw *w;
    struct buf *b;
    int tzoff;
    int n;
};

static int finding_json(const struct check_row *r, void *ctx)
{
    struct findings_ctx *f = ctx;
    check_row_json(f->w, r, f->tzoff);
    f->n++;
    return 0;
}

static int finding_text(const struct check_row *r, void *ctx)
{
    struct findings_ctx *f = ctx;
    buf_addf(f->b, "  [%s] %s%s%s%s\n", r->kind, r->summary, r->unit ? "（" : "",
             r->unit ? r->unit : "", r->unit ? "）" : "");
    f->n++;
    return 0;
}

int cmd_check(struct cli *c, int argc, char **argv)
{
    struct cli_site_args a;
    int r = cli_site_args(c, "check", argc, argv, false, &a);
    if (r >= 0)
        return r;
    bool all = a.all, json = a.json;
    const char *profile = a.profile;
    int32_t day = a.day;
    int64_t *ids;
    size_t n;
    r = cli_sites(c, "check", a.site, all, &ids, &n);
    if (r >= 0)
        return r;
    struct err e = { 0 };
    struct check_profile *p;
    const char *pname =
        profile ? profile : conf_get(&c->conf, "checks", "profile", CHECK_PROFILE_DEFAULT);
    if (check_profile_load(pname, &p, &e)) {
        free(ids);
        return cli_fail(c, &e);
    }
    struct sitecheck sc;
    if (sitecheck_open(&sc, c->db, &c->clk, &c->conf, &e)) {
        free(ids);
        check_profile_free(p);
        return cli_fail(c, &e);
    }
    if (sc.dict_bad.total && !c->quiet)
        cli_print_notes(&sc.dict_bad);
    struct buf b = BUF_INIT;
    struct jw w;
    if (json) {
        jw_init(&w, &b, true);
        if (all)
            jw_arr(&w);
    }
    enum rc rc = RC_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        char *name = reg_site_label(c->db, ids[i]);
        cli_progress(c, "check %zu/%zu %s", i + 1, n, name);
        struct sitecheck_result res;
        rc = sitecheck_site(&sc, ids[i], day, &res, &e);
        /* the interaction findings from the work items (their one producer) */
        struct feed_check_tally ft = { 0 };
        if (!rc)
            rc = feed_interaction_check(c->db, &c->clk, ids[i], &ft, &e);
        struct check_facts f;
        struct check_verdict v;
        memset(&f, 0, sizeof(f));
        memset(&v, 0, sizeof(v));
        if (!rc)
            rc = check_verdict_run(c->db, &c->clk, ids[i], day, p, false, &f, &v, &e);
        if (!rc) {
            struct findings_ctx fc = { .w = &w, .b = &b, .tzoff = c->clk.tzoff };
            struct check_query q = { .site_id = ids[i], .state = "open" };
            if (json) {
                jw_obj(&w);
                check_verdict_json_fields(&w, &v, name, &f);
                jw_key(&w, "crawl");
                if (res.run_id) {
                    jw_obj(&w);
                    jw_kint(&w, "run", res.run_id);
                    jw_kbool(&w, "complete", res.complete);
                    jw_kint(&w, "proposed_columns", res.proposed);
                    jw_kint(&w, "publications", res.published);
                    jw_end(&w);
                } else {
                    jw_null(&w);
                }
                jw_key(&w, "checks");
                jw_obj(&w);
                for (int k = 0; k < SC_NPROD; k++) {
                    jw_key(&w, sc_producer_names[k]);
                    if (!res.ran[k]) {
                        jw_null(&w);
                        continue;
                    }
                    jw_obj(&w);
                    jw_kint(&w, "reported", res.tally[k].reported);
                    jw_kint(&w, "opened", res.tally[k].opened);
                    jw_kint(&w, "reopened", res.tally[k].reopened);
                    jw_kint(&w, "resolved", res.tally[k].resolved);
                    jw_end(&w);
                }
                jw_key(&w, "interaction");
                jw_obj(&w);
                jw_kint(&w, "reported", ft.reported);
                jw_kint(&w, "opened", ft.opened);
                jw_kint(&w, "reopened", 0);
                jw_kint(&w, "resolved", ft.resolved);
                jw_end(&w);
                jw_end(&w);
                jw_key(&w, "check_notes");
                jw_arr(&w);
                for (size_t k = 0; k < res.notes.n; k++)
                    jw_str(&w, res.notes.v[k]);
                jw_end(&w);
                jw_key(&w, "findings");
                jw_arr(&w);
                rc = check_findings_each(c->db, &q, finding_json, &fc, &e);
                jw_end(&w);
                jw_end(&w);
            } else {
                char d[11];
                date_fmt(day, d);
                buf_addf(&b, "%s  %s  %s  得分 %.2f\n", name, d, check_verdict_word(&v), v.score);
                for (size_t k = 0; k < v.nvetoes; k++)
                    buf_addf(&b, "  单项否决: %s\n", v.vetoes[k].reason);
                for (size_t k = 0; k < res.notes.n; k++)
                    buf_addf(&b, "  说明: %s\n", res.notes.v[k]);
                if (res.proposed)
                    buf_addf(&b, "  新发现栏目 %d 个待确认（govsite column proposals）\n",
                             res.proposed);
                rc = check_findings_each(c->db, &q, finding_text, &fc, &e);
                if (!rc && !fc.n)
                    buf_adds(&b, "  未发现问题\n");
            }
        }
        check_verdict_release(&v);
        check_facts_release(&f);
        sitecheck_result_release(&res);
        free(name);
    }
    cli_progress_done(c);
    sitecheck_close(&sc);
    check_profile_free(p);
    free(ids);
    return cli_sites_done(c, &b, json ? &w : NULL, all, rc, &e);
}

/* ---- column list --json: freshness ------------------------------------------------------ */

struct fresh_ctx {
    struct sc_column *v;
    size_t n;
    bool crawled_site;
};

static void fresh_more(struct jw *w, int64_t id, void *ctx)
{
    struct fresh_ctx *f = ctx;
    const struct sc_column *c = NULL;
    for (size_t i = 0; i < f->n && !c; i++)
        if (f->v[i].id == id)
            c = &f->v[i];
    if (!c || !c->crawled) {
        jw_knull(w, "latest");
        jw_knull(w, "stale");
        jw_knull(w, "limit_days");
        jw_kbool(w, "crawled", false);
        jw_kbool(w, "exempt", c && c->exempt);
        return;
    }
    jw_kdate(w, "latest", c->latest);
    jw_kbool(w, "stale", c->stale || c->blank);
    jw_kbool(w, "blank", c->blank);
    jw_kint(w, "limit_days", c->limit);
    if (c->days >= 0)
        jw_kint(w, "days", c->days);
    else
        jw_knull(w, "days");
    jw_kbool(w, "crawled", true);
    jw_kbool(w, "exempt", c->exempt);
    jw_kint(w, "dated_items", c->items);
    jw_kint(w, "undated_items", c->undated);
    jw_kint(w, "future_items", c->future);
}

enum rc cli_column_list_json(struct cli *c, int64_t site_id, int32_t day, struct jw *w,
                             struct err *err)
{
    struct fresh_ctx f = { 0 };
    /* freshness for the listed site, or for every site when none was named */
    struct sc_column *all = NULL;
    size_t nall = 0, cap = 0;
    struct stmt *st = store_q(c->db, "SELECT id FROM sites WHERE (? = 0 OR id = ?) ORDER BY id",
                              "ii", site_id, site_id);
    int64_t *sites = NULL;
    size_t ns = 0, scap = 0;
    while (stmt_next(st)) {
        sites = xgrow(sites, &scap, ns + 1, sizeof(int64_t));
        sites[ns++] = stmt_int(st, 0);
    }
    enum rc rc = stmt_done(st, err);
    for (size_t i = 0; i < ns && !rc; i++) {
        struct sc_column *v;
        size_t n;
        rc = sitecheck_columns(c->db, sites[i], 0, day, &v, &n, err);
        if (rc)
            break;
        all = xgrow(all, &cap, nall + n, sizeof(*all));
        memcpy(all + nall, v, n * sizeof(*v));
        nall += n;
        free(v); /* the strings moved into `all` */
    }
    free(sites);
    f.v = all;
    f.n = nall;
    if (!rc)
        rc = reg_list_json_more(c->db, REG_COLUMNS, site_id, w, fresh_more, &f, err);
    sitecheck_columns_free(all, nall);
    return rc;
}

/* ---- column accept|classify|reject|proposals ----------------------------------------- */

static int column_decide(struct cli *c, const char *what, int argc, char **argv)
{
    static const struct option opts[] = { { "class", required_argument, NULL, 'c' },
                                          { "unit", required_argument, NULL, 'u' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *cls = NULL, *unit = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'c':
            cls = optarg;
            break;
        case 'u':
            unit = optarg;
            break;
        case 'h':
            return cli_help("column");
        default:
            return cli_usage("column", "unknown option '%s'", argv[optind - 1]);
        }
    }
    bool classify = !strcmp(what, "classify"), accept = !strcmp(what, "accept");
    int want = classify ? 3 : 2;
    if (argc - optind != want)
        return cli_usage("column",
                         classify ? "classify takes SITE PATH CLASS" : "%s takes SITE PATH", what);
    if (!accept && (cls || unit))
        return cli_usage("column", "--class and --unit go with accept");
    int64_t col;
    int r = cli_column_id(c, argv[optind], argv[optind + 1], &col);
    if (r >= 0)
        return r;
    struct err e = { 0 };
    int64_t unit_id = 0;
    if (unit && reg_unit_lookup(c->db, unit, &unit_id, &e))
        return cli_fail(c, &e);
    enum rc rc = accept     ? sitecheck_column_accept(c->db, &c->clk, col, cls, unit_id, &e)
                 : classify ? sitecheck_column_classify(c->db, &c->clk, col, argv[optind + 2], &e)
                            : sitecheck_column_reject(c->db, &c->clk, col, &e);
    if (rc)
        return cli_fail(c, &e);
    if (!c->quiet)
        fprintf(stderr, "column %s: %s\n", argv[optind + 1],
                accept     ? "accepted"
                : classify ? "classified"
                           : "rejected");
    return 0;
}

static int column_proposals(struct cli *c, int argc, char **argv)
{
    bool json;
    int r = cli_opts_json("column", argc, argv, &json);
    if (r >= 0)
        return r;
    if (argc - optind > 1)
        return cli_usage("column", "proposals takes at most one SITE");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t site_id = 0;
    if (optind < argc && reg_site_lookup(db, argv[optind], &site_id, &e))
        return cli_fail(c, &e);
    static const char *const h[] = { "网站", "栏目", "推测类型", "列表页" };
    struct cli_list out;
    cli_list_begin(&out, json, false, 4, h, NULL, 0);
    struct stmt *st =
        store_q(db,
                "SELECT c.id, s.name, c.path, c.class, (SELECT MIN(url) FROM "
                "column_urls cu WHERE cu.column_id = c.id) FROM site_columns c JOIN "
                "sites s ON s.id = c.site_id WHERE c.state = 'proposed' AND (? = 0 OR "
                "c.site_id = ?) ORDER BY s.id, c.path",
                "ii", site_id, site_id);
    while (stmt_next(st)) {
        if (json) {
            jw_obj(&out.w);
            jw_kint(&out.w, "id", stmt_int(st, 0));
            jw_kstr(&out.w, "site", stmt_text(st, 1));
            jw_kstr(&out.w, "path", stmt_text(st, 2));
            jw_kstr(&out.w, "class", stmt_text(st, 3));
            jw_kstr(&out.w, "url", stmt_text(st, 4));
            jw_end(&out.w);
        } else {
            table_addf(out.t, stmt_str(st, 1), stmt_str(st, 2), stmt_str(st, 3), stmt_str(st, 4));
        }
    }
    enum rc rc = stmt_done(st, &e);
    return cli_list_end(c, &out, rc, &e);
}

int cmd_column_sitecheck(struct cli *c, const char *sub, int argc, char **argv)
{
    if (!strcmp(sub, "accept") || !strcmp(sub, "classify") || !strcmp(sub, "reject")) {
        if (!cli_db(c))
            return 1;
        return column_decide(c, sub, argc, argv);
    }
    if (!strcmp(sub, "proposals"))
        return column_proposals(c, argc, argv);
    return -1;
}

/* ---- govsite retired add|list|remove -------------------------------------------------- */

static int retired_add_cmd(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "note", required_argument, NULL, 'n' },
                                          { "by", required_argument, NULL, 'b' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *note = NULL, *by = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'n':
            note = optarg;
            break;
        case 'b':
            by = optarg;
            break;
        case 'h':
            return cli_help("retired");
        default:
            return cli_usage("retired", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (argc - optind != 1)
        return cli_usage("retired", "add takes one TARGET (a host or a URL prefix)");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    bool existed;
    if (retired_add(db, &c->clk, argv[optind], note, by ? by : cli_user(), &existed, &e))
        return cli_fail(c, &e);
    if (!c->quiet)
        fprintf(stderr, "%s %s\n", argv[optind], existed ? "was already listed" : "added");
    return 0;
}

static int retired_remove_cmd(struct cli *c, int argc, char **argv)
{
    if (argc == 2 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return cli_help("retired");
    if (argc != 2)
        return cli_usage("retired", "remove takes one TARGET");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    if (retired_remove(db, &c->conf, argv[1], &e))
        return cli_fail(c, &e);
    if (!c->quiet)
        fprintf(stderr, "%s removed\n", argv[1]);
    return 0;
}

struct ret_ctx {
    struct cli_list *l;
    struct cli *c;
};

static void retired_row(const struct retired_row *r, void *ctx)
{
    struct ret_ctx *x = ctx;
    if (x->l->json) {
        jw_obj(&x->l->w);
        jw_kstr(&x->l->w, "target", r->target);
        jw_kstr(&x->l->w, "kind", strchr(r->target, '/') ? "prefix" : "host");
        jw_kstr(&x->l->w, "note", r->note);
        jw_kstr(&x->l->w, "source", r->source);
        jw_kstr(&x->l->w, "by", r->created_by);
        jw_ktime(&x->l->w, "created_at", r->created_at, x->c->clk.tzoff);
        jw_end(&x->l->w);
    } else {
        table_addf(x->l->t, r->target, r->note ? r->note : "",
                   !strcmp(r->source, "db") ? "数据库" : "配置文件");
    }
}

static int retired_list_cmd(struct cli *c, int argc, char **argv)
{
    bool json;
    int r = cli_opts_json("retired", argc, argv, &json);
    if (r >= 0)
        return r;
    if (optind != argc)
        return cli_usage("retired", "list takes no argument");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    static const char *const h[] = { "已关停网址", "说明", "来源" };
    struct cli_list out;
    cli_list_begin(&out, json, false, 3, h, NULL, 0);
    struct err e = { 0 };
    struct ret_ctx x = { &out, c };
    enum rc rc = retired_each(db, &c->conf, retired_row, &x, &e);
    return cli_list_end(c, &out, rc, &e);
}

int cmd_retired(struct cli *c, int argc, char **argv)
{
    static const struct cli_sub subs[] = { { "add", retired_add_cmd },
                                           { "list", retired_list_cmd },
                                           { "remove", retired_remove_cmd },
                                           { NULL, NULL } };
    return cli_dispatch(c, "retired", subs, argc, argv);
}

/* ---- govsite article import|stats ------------------------------------------------------ */

static int article_import(struct cli *c, int argc, char **argv)
{
    bool json;
    int r = cli_opts_json("article", argc, argv, &json);
    if (r >= 0)
        return r;
    if (argc - optind != 1)
        return cli_usage("article", "import takes one FILE");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    struct notes bad = { 0 };
    struct reg_import_result res;
    enum rc rc = pub_import(db, &c->clk, argv[optind], &res, &bad, &e);
    return cli_import_done(c, argv[optind], rc, &e, &bad, &res, json);
}

struct stats_ctx {
    struct cli_list *l;
    int64_t total;
};

static void stats_row(const struct pub_count *p, void *ctx)
{
    struct stats_ctx *x = ctx;
    x->total += p->n;
    if (x->l->json) {
        jw_obj(&x->l->w);
        jw_kstr(&x->l->w, "name", p->label);
        jw_kint(&x->l->w, "count", p->n);
        jw_kint(&x->l->w, "crawl", p->crawl);
        jw_kint(&x->l->w, "cms", p->cms);
        jw_end(&x->l->w);
    } else {
        char n[24], a[24], b[24];
        snprintf(n, sizeof(n), "%lld", (long long)p->n);
        snprintf(a, sizeof(a), "%lld", (long long)p->crawl);
        snprintf(b, sizeof(b), "%lld", (long long)p->cms);
        table_addf(x->l->t, p->label ? p->label : "（未登记）", n, a, b);
    }
}

static int article_stats(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "month", required_argument, NULL, 'm' },
                                          { "by", required_argument, NULL, 'b' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *month = NULL, *by = "unit";
    bool json = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'm':
            month = optarg;
            break;
        case 'b':
            by = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help("article");
        default:
            return cli_usage("article", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("article", "stats takes no argument; give --month YYYY-MM");
    int32_t first, next;
    if (!month || !date_parse_month(month, &first, &next))
        return cli_usage("article", "stats needs --month YYYY-MM, e.g. --month 2018-11");
    enum pub_by pb;
    if (!pub_by_parse(by, &pb))
        return cli_usage("article", "--by is unit, column or class, not '%s'", by);
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    static const char *const h[] = { "名称", "信息数", "抓取", "内容管理系统" };
    struct cli_list out;
    cli_list_begin(&out, false, false, 4, h, NULL, 0);
    if (json) {
        /* an object: the month, the total and the groups */
        table_free(out.t);
        out.t = NULL;
        out.json = true;
        jw_init(&out.w, &out.b, true);
        jw_obj(&out.w);
        jw_kstr(&out.w, "month", month);
        jw_kstr(&out.w, "by", by);
        jw_key(&out.w, "groups");
        jw_arr(&out.w);
    }
    struct err e = { 0 };
    struct stats_ctx x = { &out, 0 };
    enum rc rc = pub_month_each(db, first, pb, stats_row, &x, &e);
    if (json) {
        jw_end(&out.w);
        jw_kint(&out.w, "total", x.total);
        /* cli_list_end closes the outer object */
    } else if (!rc) {
        char n[24];
        snprintf(n, sizeof(n), "%lld", (long long)x.total);
        table_addf(out.t, "合计", n, "", "");
    }
    return cli_list_end(c, &out, rc, &e);
}

int cmd_article(struct cli *c, int argc, char **argv)
{
    static const struct cli_sub subs[] = { { "import", article_import },
                                           { "stats", article_stats },
                                           { NULL, NULL } };
    return cli_dispatch(c, "article", subs, argc, argv);
}
