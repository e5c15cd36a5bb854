/* cmd_feed.c - `govsite feed|repost|catalogue|interaction|task|interview`: upstream
 * feeds, the 政声传递 matrix, the catalogue and interaction checks, rectification tasks and
 * 民生在线 interviews (src/feed/feed.h, docs/feeds.md). */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/notes.h"
#include "core/str.h"
#include "feed/feed.h"
#include "reg/reg.h"
#include "report/doc.h"
#include "report/report.h"

#define OPT_END { NULL, 0, NULL, 0 }

static bool parse_int(const char *cmd, const char *opt, const char *s, int lo, int hi, int *out)
{
    if (cstr_to_int(s, lo, hi, out))
        return true;
    cli_usage(cmd, "%s '%s': give a whole number from %d to %d", opt, s, lo, hi);
    return false;
}

static int out_json_end(struct cli *c, struct buf *b, struct jw *w)
{
    jw_finish(w);
    int r = cli_out(c, b);
    buf_release(b);
    return r;
}

/* ---- feed ---------------------------------------------------------------------------- */

static int feed_add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "window", required_argument, NULL, 'w' },
                                          { "kind", required_argument, NULL, 'k' },
                                          { "level", required_argument, NULL, 'l' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    struct feed_source_new n = { .kind = FEED_AUTO, .level = FEED_NATIONAL };
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'w':
            if (!parse_int("feed", "--window", optarg, 1, 8760, &n.window_hours))
                return 2;
            break;
        case 'k':
            if (!feed_kind_parse(optarg, &n.kind))
                return cli_usage("feed", "--kind '%s': give rss, atom or html", optarg);
            break;
        case 'l':
            if (!feed_level_parse(optarg, &n.level))
                return cli_usage("feed", "--level '%s': give national, province or city", optarg);
            break;
        case 'h':
            return cli_help("feed");
        default:
            return cli_usage("feed", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 2 != argc)
        return cli_usage("feed", "add takes NAME and URL");
    n.name = argv[optind];
    n.url = argv[optind + 1];
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t id;
    if (feed_source_add(db, &c->clk, &n, &id, &e))
        return cli_fail(c, &e);
    if (!c->quiet)
        printf("feed %s added (#%lld, %s, window %d hours)\n", n.name, (long long)id,
               feed_level_name(n.level), n.window_hours ? n.window_hours : FEED_WINDOW_DEFAULT);
    return 0;
}

static int feed_set(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "window", required_argument, NULL, 'w' },
                                          { "level", required_argument, NULL, 'l' },
                                          { "enable", no_argument, NULL, 'e' },
                                          { "disable", no_argument, NULL, 'd' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    int window = 0;
    enum feed_level level;
    bool has_level = false, en = false, has_en = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'w':
            if (!parse_int("feed", "--window", optarg, 1, 8760, &window))
                return 2;
            break;
        case 'l':
            if (!feed_level_parse(optarg, &level))
                return cli_usage("feed", "--level '%s': give national, province or city", optarg);
            has_level = true;
            break;
        case 'e':
        case 'd':
            en = o == 'e';
            has_en = true;
            break;
        case 'h':
            return cli_help("feed");
        default:
            return cli_usage("feed", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc)
        return cli_usage("feed", "set takes NAME");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t id;
    if (feed_source_lookup(db, argv[optind], &id, &e) ||
        feed_source_set(db, &c->clk, id, window, has_level ? &level : NULL, has_en ? &en : NULL,
                        &e))
        return cli_fail(c, &e);
    return 0;
}

static int feed_remove(struct cli *c, int argc, char **argv)
{
    bool json;
    int r0 = cli_opts_json("feed", argc, argv, &json);
    if (r0 >= 0)
        return r0;
    if (optind + 1 != argc)
        return cli_usage("feed", "remove takes NAME");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t id;
    if (feed_source_lookup(db, argv[optind], &id, &e) || feed_source_remove(db, id, &e))
        return cli_fail(c, &e);
    return 0;
}

static int feed_list(struct cli *c, int argc, char **argv)
{
    bool json;
    int r0 = cli_opts_json("feed", argc, argv, &json);
    if (r0 >= 0)
        return r0;
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    struct feed_source *v;
    size_t n;
    if (feed_sources_list(db, &v, &n, &e))
        return cli_fail(c, &e);
    static const char *const hd[] = { "name", "level", "kind", "window", "items", "pulled",
                                      "status", "url" };
    struct cli_list l;
    cli_list_begin(&l, json, false, 8, hd, NULL, 0);
    for (size_t i = 0; i < n; i++) {
        if (json) {
            feed_source_json(&l.w, &v[i], c->clk.tzoff);
            continue;
        }
        char win[16], items[24], pulled[20] = "-";
        snprintf(win, sizeof(win), "%dh", v[i].window_hours);
        snprintf(items, sizeof(items), "%lld", (long long)v[i].items);
        if (v[i].pulled_at)
            time_fmt_local(v[i].pulled_at, c->clk.tzoff, pulled);
        table_addf(l.t, v[i].name, feed_level_name(v[i].level), feed_kind_name(v[i].kind), win,
                   items, pulled, v[i].pull_status ? v[i].pull_status : "-", v[i].url);
    }
    feed_sources_free(v, n);
    return cli_list_end(c, &l, RC_OK, &e);
}

struct pull_ctx {
    struct cli *c;
    int failed;
};

static void on_pull(const struct feed_pull_result *r, void *ctx)
{
    struct pull_ctx *p = ctx;
    if (r->rc) {
        p->failed++;
        fprintf(stderr, "govsite: feed %s: %s\n", r->name, r->error);
        return;
    }
    if (p->c->quiet)
        return;
    if (r->not_modified)
        printf("%s: not modified\n", r->name);
    else
        printf("%s: %d items, %d new%s\n", r->name, r->items, r->new_items,
               r->bad ? " (some skipped, see below)" : "");
}

static int feed_pull_cmd(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "force", no_argument, NULL, 'f' },
                                          { "connect-to", required_argument, NULL, 'r' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    struct feed_pull_opts po = { 0 };
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'f':
            po.force = true;
            break;
        case 'r':
            po.connect_to = optarg;
            break;
        case 'h':
            return cli_help("feed");
        default:
            return cli_usage("feed", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 < argc)
        return cli_usage("feed", "pull takes at most one NAME");
    if (!po.connect_to)
        po.connect_to = conf_get(&c->conf, "feed", "connect_to", NULL);
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t id = 0;
    if (optind < argc && feed_source_lookup(db, argv[optind], &id, &e))
        return cli_fail(c, &e);
    struct pull_ctx pc = { c, 0 };
    struct notes bad = NOTES_INIT;
    cli_progress(c, "pulling feeds");
    enum rc rc = feed_pull(db, &c->clk, &po, id, on_pull, &pc, &bad, &e);
    cli_progress_done(c);
    if (bad.total) {
        fprintf(stderr, "govsite: %zu bad feed items skipped:\n", bad.total);
        cli_print_notes(&bad);
    }
    notes_release(&bad);
    return rc ? 1 : 0;
}

struct items_ctx {
    struct cli *c;
    struct cli_list *l;
};

static int on_item(const struct feed_item *it, void *ctx)
{
    struct items_ctx *x = ctx;
    if (x->l->json) {
        feed_item_json(&x->l->w, it, x->c->clk.tzoff);
        return 0;
    }
    char when[20];
    time_fmt_local(it->published_at, x->c->clk.tzoff, when);
    table_addf(x->l->t, when, it->source, it->doc_no ? it->doc_no : "", it->title, it->url);
    return 0;
}

static int feed_items(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "from", required_argument, NULL, 'f' },
                                          { "to", required_argument, NULL, 't' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    bool json = false;
    int32_t from = DATE_NONE, to = DATE_NONE;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'f':
            if (!cli_date(c, "--from", optarg, &from))
                return 2;
            break;
        case 't':
            if (!cli_date(c, "--to", optarg, &to))
                return 2;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help("feed");
        default:
            return cli_usage("feed", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 < argc)
        return cli_usage("feed", "items takes at most one NAME");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t id = 0;
    if (optind < argc && feed_source_lookup(db, argv[optind], &id, &e))
        return cli_fail(c, &e);
    static const char *const hd[] = { "published", "source", "文号", "title", "url" };
    struct cli_list l;
    cli_list_begin(&l, json, false, 5, hd, NULL, 0);
    struct items_ctx x = { c, &l };
    enum rc rc = feed_items_each(db, id, from, to, c->clk.tzoff, on_item, &x, &e);
    return cli_list_end(c, &l, rc, &e);
}

int cmd_feed(struct cli *c, int argc, char **argv)
{
    static const struct cli_sub subs[] = { { "add", feed_add },     { "set", feed_set },
                                           { "remove", feed_remove }, { "list", feed_list },
                                           { "pull", feed_pull_cmd }, { "items", feed_items },
                                           { NULL, NULL } };
    return cli_dispatch(c, "feed", subs, argc, argv);
}

/* ---- repost ------------------------------------------------------------------------- */

static enum rc matrix_xlsx(struct cli *c, const struct feed_matrix *m, struct buf *out,
                           struct err *e)
{
    struct doc_meta meta = { .layout = DOC_LAYOUT_PLAIN, .title = "政声传递转载情况" };
    struct doc *d = doc_new(&meta);
    char asof[20];
    time_fmt_local(feed_matrix_as_of(m), c->clk.tzoff, asof);
    struct doc_table *t = doc_table(d, doc_strf(d, "政声传递转载情况（截至%s）", asof), 9);
    doc_table_head(t);
    static const char *const hd[] = { "单位", "网站", "上级信息", "来源", "发布时间",
                                      "状态", "滞后（小时）", "转载标题", "转载链接" };
    for (int i = 0; i < 9; i++)
        doc_cell(t, hd[i]);
    for (size_t i = 0; i < feed_matrix_n(m); i++) {
        const struct feed_cell *x = feed_matrix_cell(m, i);
        char pub[20];
        time_fmt_local(x->published_at, c->clk.tzoff, pub);
        doc_table_row(t);
        doc_cell(t, x->unit ? x->unit : "");
        doc_cell(t, x->site);
        doc_cell(t, x->item);
        doc_cell(t, x->source);
        doc_cell(t, pub);
        doc_cell(t, feed_status_cn(x->status));
        if (x->repost_url)
            doc_cell_dec(t, (double)x->lag_s / 3600.0, 1);
        else
            doc_cell(t, "");
        doc_cell(t, x->repost_title ? x->repost_title : "");
        doc_cell(t, x->repost_url ? x->repost_url : "");
    }
    enum rc rc = doc_status(d, e);
    if (!rc)
        rc = render_xlsx(d, out, e);
    doc_free(d);
    return rc;
}

static int repost_matrix(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "from", required_argument, NULL, 'f' },
                                          { "to", required_argument, NULL, 't' },
                                          { "as-of", required_argument, NULL, 'a' },
                                          { "site", required_argument, NULL, 's' },
                                          { "unit", required_argument, NULL, 'u' },
                                          { "feed", required_argument, NULL, 'F' },
                                          { "threshold", required_argument, NULL, 'T' },
                                          { "pending", no_argument, NULL, 'p' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "xlsx", no_argument, NULL, 'x' },
                                          { "output", required_argument, NULL, 'o' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    struct feed_matrix_q q = { .from = DATE_NONE, .to = DATE_NONE };
    const char *site = NULL, *unit = NULL, *feed = NULL, *outp = NULL;
    bool json = false, xlsx = false;
    int o;
    while ((o = getopt_long(argc, argv, "ho:", opts, NULL)) != -1) {
        switch (o) {
        case 'f':
            if (!cli_date(c, "--from", optarg, &q.from))
                return 2;
            break;
        case 't':
            if (!cli_date(c, "--to", optarg, &q.to))
                return 2;
            break;
        case 'a':
            if (!cli_time(c, "--as-of", optarg, true, &q.as_of))
                return 2;
            break;
        case 's':
            site = optarg;
            break;
        case 'u':
            unit = optarg;
            break;
        case 'F':
            feed = optarg;
            break;
        case 'T':
            if (!str_to_double(str_of(optarg), &q.match.threshold) ||
                !(q.match.threshold > 0 && q.match.threshold <= 1))
                return cli_usage("repost", "--threshold '%s': give a number in (0, 1]", optarg);
            break;
        case 'p':
            q.include_pending = true;
            break;
        case 'j':
            json = true;
            break;
        case 'x':
            xlsx = true;
            break;
        case 'o':
            outp = optarg;
            break;
        case 'h':
            return cli_help("repost");
        default:
            return cli_usage("repost", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("repost", "matrix takes no arguments");
    if (json && xlsx)
        return cli_usage("repost", "give --json or --xlsx, not both");
    if (xlsx && !outp)
        return cli_usage("repost", "--xlsx needs -o FILE");
    if (q.from != DATE_NONE && q.to != DATE_NONE && q.to < q.from)
        return cli_usage("repost", "--to is before --from");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    if (site && reg_site_lookup(db, site, &q.site_id, &e))
        return cli_fail(c, &e);
    if (unit && reg_unit_lookup(db, unit, &q.unit_id, &e))
        return cli_fail(c, &e);
    if (feed && feed_source_lookup(db, feed, &q.source_id, &e))
        return cli_fail(c, &e);
    struct feed_matrix *m;
    if (feed_matrix_build(db, &c->clk, &q, &m, &e))
        return cli_fail(c, &e);
    struct buf b = BUF_INIT;
    int r = 0;
    if (xlsx) {
        if (matrix_xlsx(c, m, &b, &e) || buf_write_file(&b, outp, &e))
            r = cli_fail(c, &e);
    } else if (json) {
        struct jw w;
        jw_init(&w, &b, true);
        feed_matrix_json(&w, m, c->clk.tzoff);
        jw_finish(&w);
        if (outp) {
            if (buf_write_file(&b, outp, &e))
                r = cli_fail(c, &e);
        } else {
            r = cli_out(c, &b);
        }
    } else {
        static const char *const hd[] = { "unit", "site", "published", "status", "lag", "item" };
        struct table *t = table_new(6, hd);
        for (size_t i = 0; i < feed_matrix_n(m); i++) {
            const struct feed_cell *x = feed_matrix_cell(m, i);
            char pub[20], lag[24] = "-";
            time_fmt_local(x->published_at, c->clk.tzoff, pub);
            if (x->repost_url)
                snprintf(lag, sizeof(lag), "%.1fh", (double)x->lag_s / 3600.0);
            table_addf(t, x->unit ? x->unit : "-", x->site, pub, feed_status_name(x->status), lag,
                       x->item);
        }
        table_print(t, stdout);
        table_free(t);
        int counts[4];
        feed_matrix_counts(m, counts);
        printf("on time %d, late %d, missing %d%s\n", counts[FEED_ON_TIME], counts[FEED_LATE],
               counts[FEED_MISSING], q.include_pending ? "" : " (items still in their window left out)");
    }
    buf_release(&b);
    feed_matrix_free(m);
    return r;
}

static int run_check(struct cli *c, int argc, char **argv, const char *cmd,
                     enum rc (*fn)(struct store *, const struct clk *, int64_t,
                                   struct feed_check_tally *, struct err *))
{
    static const struct option opts[] = { { "all", no_argument, NULL, 'a' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    bool all = false, json = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'a':
            all = true;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help(cmd);
        default:
            return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 < argc || (all == (optind < argc)))
        return cli_usage(cmd, "check takes SITE or --all");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t site = 0;
    if (!all && reg_site_lookup(db, argv[optind], &site, &e))
        return cli_fail(c, &e);
    struct feed_check_tally t = { 0 };
    if (fn(db, &c->clk, site, &t, &e))
        return cli_fail(c, &e);
    if (json) {
        struct buf b = BUF_INIT;
        struct jw w;
        jw_init(&w, &b, true);
        jw_obj(&w);
        jw_kint(&w, "sites", t.sites);
        jw_kint(&w, "reported", t.reported);
        jw_kint(&w, "opened", t.opened);
        jw_kint(&w, "resolved", t.resolved);
        jw_end(&w);
        return out_json_end(c, &b, &w);
    }
    if (!c->quiet)
        printf("%d sites checked: %d findings reported, %d new, %d resolved\n", t.sites,
               t.reported, t.opened, t.resolved);
    return 0;
}

static enum rc repost_check_fn(struct store *db, const struct clk *clk, int64_t site,
                               struct feed_check_tally *t, struct err *e)
{
    return feed_repost_check(db, clk, site, NULL, t, e);
}

static int repost_check(struct cli *c, int argc, char **argv)
{
    return run_check(c, argc, argv, "repost", repost_check_fn);
}

int cmd_repost(struct cli *c, int argc, char **argv)
{
    static const struct cli_sub subs[] = { { "matrix", repost_matrix },
                                           { "check", repost_check },
                                           { NULL, NULL } };
    return cli_dispatch(c, "repost", subs, argc, argv);
}

/* ---- catalogue, interaction ---------------------------------------------------------- */

static int catalogue_check(struct cli *c, int argc, char **argv)
{
    return run_check(c, argc, argv, "catalogue", feed_catalogue_check);
}

struct stale_ctx {
    struct cli_list *l;
};

static int on_stale(const struct feed_stale_catalogue *r, void *ctx)
{
    struct stale_ctx *x = ctx;
    if (x->l->json) {
        jw_obj(&x->l->w);
        jw_kstr(&x->l->w, "unit", r->unit);
        jw_kstr(&x->l->w, "site", r->site);
        jw_kstr(&x->l->w, "column", r->column);
        jw_kdate(&x->l->w, "latest", r->latest);
        if (r->days >= 0)
            jw_kint(&x->l->w, "days", r->days);
        else
            jw_knull(&x->l->w, "days");
        jw_end(&x->l->w);
        return 0;
    }
    char d[11] = "-", days[24] = "-";
    if (r->latest != DATE_NONE)
        date_fmt(r->latest, d);
    if (r->days >= 0)
        snprintf(days, sizeof(days), "%lld", (long long)r->days);
    table_addf(x->l->t, r->unit ? r->unit : "-", r->site, r->column, d, days);
    return 0;
}

static int catalogue_stale(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "as-of", required_argument, NULL, 'a' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    bool json = false;
    int32_t day = clk_today(&c->clk);
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'a':
            if (!cli_date(c, "--as-of", optarg, &day))
                return 2;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help("catalogue");
        default:
            return cli_usage("catalogue", "unknown option '%s'", argv[optind - 1]);
        }
    }
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    static const char *const hd[] = { "unit", "site", "column", "latest", "days" };
    struct cli_list l;
    cli_list_begin(&l, json, false, 5, hd, NULL, 0);
    struct stale_ctx x = { &l };
    enum rc rc = feed_stale_catalogues(db, day, c->clk.tzoff, on_stale, &x, &e);
    return cli_list_end(c, &l, rc, &e);
}

int cmd_catalogue(struct cli *c, int argc, char **argv)
{
    static const struct cli_sub subs[] = { { "check", catalogue_check },
                                           { "stale", catalogue_stale },
                                           { NULL, NULL } };
    return cli_dispatch(c, "catalogue", subs, argc, argv);
}

static int interaction_check(struct cli *c, int argc, char **argv)
{
    return run_check(c, argc, argv, "interaction", feed_interaction_check);
}

int cmd_interaction(struct cli *c, int argc, char **argv)
{
    static const struct cli_sub subs[] = { { "check", interaction_check }, { NULL, NULL } };
    return cli_dispatch(c, "interaction", subs, argc, argv);
}

/* ---- task ---------------------------------------------------------------------------- */

static int task_add_cmd(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "unit", required_argument, NULL, 'u' },
                                          { "site", required_argument, NULL, 's' },
                                          { "finding", required_argument, NULL, 'f' },
                                          { "due", required_argument, NULL, 'd' },
                                          { "due-days", required_argument, NULL, 'D' },
                                          { "by", required_argument, NULL, 'b' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    struct task_new n = { .due = DATE_NONE };
    const char *unit = NULL, *site = NULL;
    int64_t fids[256];
    size_t nf = 0;
    bool json = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'u':
            unit = optarg;
            break;
        case 's':
            site = optarg;
            break;
        case 'f': {
            struct str rest = str_of(optarg), one;
            while (rest.n) {
                str_split(&rest, ',', &one);
                char tmp[32];
                if (!one.n || one.n >= sizeof(tmp))
                    return cli_usage("task", "--finding '%s': give finding ids", optarg);
                memcpy(tmp, one.p, one.n);
                tmp[one.n] = 0;
                if (nf == 256)
                    return cli_usage("task", "at most 256 findings per task");
                if (!cli_id("task", tmp, &fids[nf++]))
                    return 2;
            }
            break;
        }
        case 'd':
            if (!cli_date(c, "--due", optarg, &n.due))
                return 2;
            break;
        case 'D':
            if (!parse_int("task", "--due-days", optarg, 1, 250, &n.due_days))
                return 2;
            break;
        case 'b':
            n.by = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help("task");
        default:
            return cli_usage("task", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 < argc)
        return cli_usage("task", "add takes one DESCRIPTION (quote it)");
    n.description = optind < argc ? argv[optind] : NULL;
    n.findings = fids;
    n.nfindings = nf;
    if (!n.by)
        n.by = cli_user();
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    if (unit && reg_unit_lookup(db, unit, &n.unit_id, &e))
        return cli_fail(c, &e);
    if (site && reg_site_lookup(db, site, &n.site_id, &e))
        return cli_fail(c, &e);
    int64_t id;
    if (task_add(db, &c->clk, &n, &id, &e))
        return cli_fail(c, &e);
    struct task t;
    if (task_get(db, &c->clk, id, &t, &e))
        return cli_fail(c, &e);
    int r = 0;
    if (json) {
        struct buf b = BUF_INIT;
        struct jw w;
        jw_init(&w, &b, true);
        task_json(&w, &t, c->clk.tzoff);
        r = out_json_end(c, &b, &w);
    } else if (!c->quiet) {
        char d[11];
        date_fmt(t.due, d);
        printf("task #%lld for %s, due %s, %zu findings\n", (long long)id, t.unit, d,
               t.nfindings);
    }
    task_release(&t);
    return r;
}

static int task_list_cmd(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "unit", required_argument, NULL, 'u' },
                                          { "state", required_argument, NULL, 's' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    struct task_query q = { 0 };
    const char *unit = NULL;
    bool json = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'u':
            unit = optarg;
            break;
        case 's':
            q.state = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help("task");
        default:
            return cli_usage("task", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("task", "list takes no arguments");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    if (unit && reg_unit_lookup(db, unit, &q.unit_id, &e))
        return cli_fail(c, &e);
    struct task *v;
    size_t n;
    if (task_list(db, &c->clk, &q, &v, &n, &e))
        return cli_fail(c, &e);
    static const char *const hd[] = { "id", "unit", "due", "state", "findings", "description" };
    struct cli_list l;
    cli_list_begin(&l, json, false, 6, hd, NULL, 0);
    for (size_t i = 0; i < n; i++) {
        if (json) {
            task_json(&l.w, &v[i], c->clk.tzoff);
            continue;
        }
        char id[24], due[11], nf[40];
        snprintf(id, sizeof(id), "#%lld", (long long)v[i].id);
        date_fmt(v[i].due, due);
        snprintf(nf, sizeof(nf), "%d/%zu open", v[i].open_findings, v[i].nfindings);
        table_addf(l.t, id, v[i].unit, due, v[i].overdue ? "overdue" : v[i].state, nf,
                   v[i].description);
    }
    tasks_free(v, n);
    return cli_list_end(c, &l, RC_OK, &e);
}

static int task_show(struct cli *c, int argc, char **argv)
{
    bool json;
    int r0 = cli_opts_json("task", argc, argv, &json);
    if (r0 >= 0)
        return r0;
    int64_t id;
    if (optind + 1 != argc)
        return cli_usage("task", "show takes one task id");
    if (!cli_id("task", argv[optind], &id))
        return 2;
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    struct task t;
    if (task_get(db, &c->clk, id, &t, &e))
        return cli_fail(c, &e);
    struct buf b = BUF_INIT;
    int r;
    if (json) {
        struct jw w;
        jw_init(&w, &b, true);
        task_json(&w, &t, c->clk.tzoff);
        r = out_json_end(c, &b, &w);
    } else {
        char due[11];
        date_fmt(t.due, due);
        buf_addf(&b, "task #%lld  %s%s\nunit: %s\nsite: %s\ndue: %s\n%s\nfindings:",
                 (long long)t.id, t.state, t.overdue ? " (overdue)" : "", t.unit,
                 t.site ? t.site : "-", due, t.description);
        for (size_t i = 0; i < t.nfindings; i++)
            buf_addf(&b, " #%lld", (long long)t.findings[i]);
        buf_addf(&b, "%s (%d open)\n", t.nfindings ? "" : " none", t.open_findings);
        if (t.closed_at) {
            char at[20];
            time_fmt_local(t.closed_at, c->clk.tzoff, at);
            buf_addf(&b, "closed %s by %s: %s\n", at, t.closed_by ? t.closed_by : "-",
                     t.close_note ? t.close_note : "");
        }
        r = cli_out(c, &b);
        buf_release(&b);
    }
    task_release(&t);
    return r;
}

static int task_close_cmd(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "note", required_argument, NULL, 'n' },
                                          { "by", required_argument, NULL, 'b' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
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
            return cli_help("task");
        default:
            return cli_usage("task", "unknown option '%s'", argv[optind - 1]);
        }
    }
    int64_t id;
    if (optind + 1 != argc)
        return cli_usage("task", "close takes one task id");
    if (!cli_id("task", argv[optind], &id))
        return 2;
    if (!note)
        return cli_usage("task", "close needs --note TEXT");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    if (task_close(db, &c->clk, id, note, by ? by : cli_user(), &e))
        return cli_fail(c, &e);
    if (!c->quiet)
        printf("task #%lld closed\n", (long long)id);
    return 0;
}

static int task_sweep_cmd(struct cli *c, int argc, char **argv)
{
    bool json;
    int r0 = cli_opts_json("task", argc, argv, &json);
    if (r0 >= 0)
        return r0;
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    struct task_sweep_tally t;
    if (task_sweep(db, &c->clk, &t, &e))
        return cli_fail(c, &e);
    if (json) {
        struct buf b = BUF_INIT;
        struct jw w;
        jw_init(&w, &b, true);
        jw_obj(&w);
        jw_kint(&w, "created", t.created);
        jw_kint(&w, "findings", t.findings);
        jw_kint(&w, "closed", t.closed);
        jw_end(&w);
        return out_json_end(c, &b, &w);
    }
    if (!c->quiet)
        printf("%d tasks created (%d findings), %d closed\n", t.created, t.findings, t.closed);
    return 0;
}

static int task_rule(struct cli *c, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : "";
    struct store *db;
    struct err e = { 0 };
    if (!strcmp(sub, "add")) {
        static const struct option opts[] = { { "kind", required_argument, NULL, 'k' },
                                              { "older-than", required_argument, NULL, 'o' },
                                              { "due-days", required_argument, NULL, 'd' },
                                              { "by", required_argument, NULL, 'b' },
                                              { "help", no_argument, NULL, 'h' },
                                              OPT_END };
        const char *kind = NULL, *by = NULL;
        int age = 0, due = TASK_DUE_DAYS_DEFAULT, o;
        argc--;
        argv++;
        while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
            switch (o) {
            case 'k':
                kind = optarg;
                break;
            case 'o':
                if (!parse_int("task", "--older-than", optarg, 0, 3650, &age))
                    return 2;
                break;
            case 'd':
                if (!parse_int("task", "--due-days", optarg, 1, 250, &due))
                    return 2;
                break;
            case 'b':
                by = optarg;
                break;
            case 'h':
                return cli_help("task");
            default:
                return cli_usage("task", "unknown option '%s'", argv[optind - 1]);
            }
        }
        if (!kind || optind != argc)
            return cli_usage("task", "rule add needs --kind K (and no arguments)");
        if (!(db = cli_db(c)))
            return 1;
        int64_t id;
        if (task_rule_add(db, &c->clk, kind, age, due, by ? by : cli_user(), &id, &e))
            return cli_fail(c, &e);
        if (!c->quiet)
            printf("task rule #%lld: open %s findings older than %d days → tasks due in %d "
                   "working days\n",
                   (long long)id, kind, age, due);
        return 0;
    }
    if (!strcmp(sub, "remove")) {
        int64_t id;
        if (argc != 3)
            return cli_usage("task", "rule remove takes one rule id");
        if (!cli_id("task", argv[2], &id))
            return 2;
        if (!(db = cli_db(c)))
            return 1;
        if (task_rule_remove(db, id, &e))
            return cli_fail(c, &e);
        return 0;
    }
    if (!strcmp(sub, "list")) {
        bool json;
        int r0 = cli_opts_json("task", argc - 1, argv + 1, &json);
        if (r0 >= 0)
            return r0;
        if (!(db = cli_db(c)))
            return 1;
        struct task_rule *v;
        size_t n;
        if (task_rules_list(db, &v, &n, &e))
            return cli_fail(c, &e);
        static const char *const hd[] = { "id", "kind", "older than", "due in", "by" };
        struct cli_list l;
        cli_list_begin(&l, json, false, 5, hd, NULL, 0);
        for (size_t i = 0; i < n; i++) {
            if (json) {
                jw_obj(&l.w);
                jw_kint(&l.w, "id", v[i].id);
                jw_kstr(&l.w, "kind", v[i].kind);
                jw_kint(&l.w, "older_than_days", v[i].min_age_days);
                jw_kint(&l.w, "due_days", v[i].due_days);
                jw_kbool(&l.w, "enabled", v[i].enabled);
                jw_kstr(&l.w, "created_by", v[i].created_by);
                jw_ktime(&l.w, "last_swept_at", v[i].last_swept_at, c->clk.tzoff);
                jw_end(&l.w);
                continue;
            }
            char id[24], age[24], due[24];
            snprintf(id, sizeof(id), "#%lld", (long long)v[i].id);
            snprintf(age, sizeof(age), "%d days", v[i].min_age_days);
            snprintf(due, sizeof(due), "%d working days", v[i].due_days);
            table_addf(l.t, id, v[i].kind, age, due, v[i].created_by);
        }
        task_rules_free(v, n);
        return cli_list_end(c, &l, RC_OK, &e);
    }
    return cli_usage("task", "rule needs add, list or remove");
}

int cmd_task(struct cli *c, int argc, char **argv)
{
    static const struct cli_sub subs[] = { { "add", task_add_cmd },   { "list", task_list_cmd },
                                           { "show", task_show },     { "close", task_close_cmd },
                                           { "sweep", task_sweep_cmd }, { "rule", task_rule },
                                           { NULL, NULL } };
    return cli_dispatch(c, "task", subs, argc, argv);
}

/* ---- interview ----------------------------------------------------------------------- */

static int interview_add_cmd(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "topic", required_argument, NULL, 't' },
                                          { "by", required_argument, NULL, 'b' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    const char *topic = NULL, *by = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 't':
            topic = optarg;
            break;
        case 'b':
            by = optarg;
            break;
        case 'h':
            return cli_help("interview");
        default:
            return cli_usage("interview", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 2 != argc)
        return cli_usage("interview", "add takes UNIT and DATE");
    int32_t day;
    if (!cli_date(c, "DATE", argv[optind + 1], &day))
        return 2;
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t unit, id;
    if (reg_unit_lookup(db, argv[optind], &unit, &e) ||
        interview_add(db, &c->clk, unit, day, topic, by ? by : cli_user(), &id, &e))
        return cli_fail(c, &e);
    if (!c->quiet)
        printf("interview #%lld scheduled\n", (long long)id);
    return 0;
}

static int interview_list_cmd(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "all", no_argument, NULL, 'a' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    bool all = false, json = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'a':
            all = true;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help("interview");
        default:
            return cli_usage("interview", "unknown option '%s'", argv[optind - 1]);
        }
    }
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    struct interview *v;
    size_t n;
    if (interview_list(db, all ? DATE_NONE : clk_today(&c->clk), &v, &n, &e))
        return cli_fail(c, &e);
    static const char *const hd[] = { "id", "date", "unit", "topic" };
    struct cli_list l;
    cli_list_begin(&l, json, false, 4, hd, NULL, 0);
    for (size_t i = 0; i < n; i++) {
        if (json) {
            interview_json(&l.w, &v[i]);
            continue;
        }
        char id[24], d[11];
        snprintf(id, sizeof(id), "#%lld", (long long)v[i].id);
        date_fmt(v[i].day, d);
        table_addf(l.t, id, d, v[i].unit, v[i].topic ? v[i].topic : "");
    }
    interviews_free(v, n);
    return cli_list_end(c, &l, RC_OK, &e);
}

static int interview_remove_cmd(struct cli *c, int argc, char **argv)
{
    int64_t id;
    if (argc != 2)
        return cli_usage("interview", "remove takes one interview id");
    if (!strcmp(argv[1], "--help"))
        return cli_help("interview");
    if (!cli_id("interview", argv[1], &id))
        return 2;
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    if (interview_remove(db, id, &e))
        return cli_fail(c, &e);
    return 0;
}

static int interview_next_cmd(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "from", required_argument, NULL, 'f' },
                                          { "help", no_argument, NULL, 'h' },
                                          OPT_END };
    int32_t from = clk_today(&c->clk);
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'f':
            if (!cli_date(c, "--from", optarg, &from))
                return 2;
            break;
        case 'h':
            return cli_help("interview");
        default:
            return cli_usage("interview", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("interview", "next takes no arguments");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    struct buf b = BUF_INIT;
    enum rc rc = feed_bulletin_interview(db, from, &b, &e);
    if (rc == RC_NOTFOUND) {
        buf_release(&b);
        return cli_failf(c, "no interview scheduled from that date (govsite interview add)");
    }
    if (rc)
        return cli_fail(c, &e);
    buf_addc(&b, '\n');
    int r = cli_out(c, &b);
    buf_release(&b);
    return r;
}

int cmd_interview(struct cli *c, int argc, char **argv)
{
    static const struct cli_sub subs[] = { { "add", interview_add_cmd },
                                           { "list", interview_list_cmd },
                                           { "remove", interview_remove_cmd },
                                           { "next", interview_next_cmd },
                                           { NULL, NULL } };
    return cli_dispatch(c, "interview", subs, argc, argv);
}
