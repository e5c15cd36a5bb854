/* cmd_crawl.c - `govsite crawl`, `govsite links`, `govsite pages` (docs/crawl.md). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/esc.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "crawl/crawl.h"
#include "reg/reg.h"

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    if (stop_flag) {
        /* a second Ctrl-C: leave now (what is stored stays stored) */
        signal(sig, SIG_DFL);
        raise(sig);
    }
    stop_flag = 1;
}

struct progress_ctx {
    struct cli *c;
};

static void on_progress(const struct crawl_stats *st, void *ctx)
{
    struct progress_ctx *p = ctx;
    double secs = st->elapsed_ms > 0 ? (double)st->elapsed_ms / 1000.0 : 0;
    if (!st->done) {
        cli_progress(p->c, "crawl %s: %lld pages, %lld queued, %.1f pages/s, %lld broken, %lld errors",
                     st->site ? st->site : "", (long long)st->pages, (long long)st->queued,
                     secs > 0 ? (double)st->pages / secs : 0.0, (long long)st->broken,
                     (long long)st->errors);
    }
}

static bool parse_int_opt(const char *cmd, const char *opt, const char *v, int lo, int hi, int *out)
{
    if (!cstr_to_int(v, lo, hi, out)) {
        cli_usage(cmd, "%s '%s' must be a whole number from %d to %d", opt, v, lo, hi);
        return false;
    }
    return true;
}

int cmd_crawl(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        { "all", no_argument, NULL, 'a' },           { "max-pages", required_argument, NULL, 'm' },
        { "depth", required_argument, NULL, 'd' },   { "concurrency", required_argument, NULL, 'c' },
        { "per-host", required_argument, NULL, 'p' }, { "rate", required_argument, NULL, 'r' },
        { "resume", no_argument, NULL, 'R' },        { "include", required_argument, NULL, 'i' },
        { "exclude", required_argument, NULL, 'x' }, { "prefix", required_argument, NULL, 'P' },
        { "no-external", no_argument, NULL, 'N' },   { "json", no_argument, NULL, 'j' },
        { "enqueue", no_argument, NULL, 'E' },
        { "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 }
    };
    struct crawl_opts o;
    crawl_opts_init(&o);
    struct err e = { 0 };
    if (crawl_opts_conf(&o, &c->conf, &e)) {
        crawl_opts_release(&o);
        return cli_fail(c, &e);
    }
    bool all = false, json = false, enqueue = false;
    int ret = 0, oi;
    while ((oi = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        int v;
        bool ok = true;
        switch (oi) {
        case 'a': all = true; break;
        case 'm':
            if ((ok = parse_int_opt("crawl", "--max-pages", optarg, 1, 10000000, &v)))
                o.max_pages = v, o.set |= CRAWL_SET_MAX_PAGES;
            break;
        case 'd':
            if ((ok = parse_int_opt("crawl", "--depth", optarg, 0, 1000, &v)))
                o.max_depth = v, o.set |= CRAWL_SET_MAX_DEPTH;
            break;
        case 'c':
            if ((ok = parse_int_opt("crawl", "--concurrency", optarg, 1, 1000, &v)))
                o.concurrency = v;
            break;
        case 'p':
            if ((ok = parse_int_opt("crawl", "--per-host", optarg, 1, 100, &v)))
                o.per_host = v, o.set |= CRAWL_SET_PER_HOST;
            break;
        case 'r': {
            double d;
            if (!str_to_double(str_of(optarg), &d) || d < 0 || d > 100000) {
                ret = cli_usage("crawl", "--rate '%s' must be requests per second (0 = no limit)",
                                optarg);
                ok = false;
                ret = 2;
            } else {
                o.rate = d;
                o.set |= CRAWL_SET_RATE;
            }
            break;
        }
        case 'R': o.resume = true; break;
        case 'i': crawl_opts_add(&o.include, &o.ninclude, optarg); break;
        case 'x': crawl_opts_add(&o.exclude, &o.nexclude, optarg); break;
        case 'P':
            free(o.prefix);
            o.prefix = xstrdup(optarg);
            break;
        case 'N': o.check_external = false; break;
        case 'j': json = true; break;
        case 'E': enqueue = true; break;
        case 'h': crawl_opts_release(&o); return cli_help("crawl");
        default: ok = false; ret = cli_usage("crawl", "unknown option"); break;
        }
        if (!ok) {
            crawl_opts_release(&o);
            return ret ? ret : 2;
        }
    }
    if (all == (optind < argc)) {
        crawl_opts_release(&o);
        return cli_usage("crawl", all ? "give SITE or --all, not both" : "which site? give SITE or --all");
    }
    struct store *db = cli_db(c);
    if (!db) {
        crawl_opts_release(&o);
        return 1;
    }
    int64_t *ids = NULL;
    size_t n = 0, cap = 0;
    if (all) {
        struct stmt *st = store_q(db, "SELECT id, name, status FROM sites ORDER BY id", "");
        while (stmt_next(st)) {
            if (strcmp(stmt_str(st, 2), "正常运行")) {
                if (!c->quiet)
                    fprintf(stderr, "govsite: crawl: skipping %s (%s)\n", stmt_str(st, 1),
                            stmt_str(st, 2));
                continue;
            }
            ids = xgrow(ids, &cap, n + 1, sizeof(*ids));
            ids[n++] = stmt_int(st, 0);
        }
        if (stmt_done(st, &e)) {
            free(ids);
            crawl_opts_release(&o);
            return cli_fail(c, &e);
        }
    } else {
        for (int i = optind; i < argc; i++) {
            int64_t id;
            if (reg_site_lookup(db, argv[i], &id, &e)) {
                free(ids);
                crawl_opts_release(&o);
                return cli_fail(c, &e);
            }
            ids = xgrow(ids, &cap, n + 1, sizeof(*ids));
            ids[n++] = id;
        }
    }
    if (n == 0) {
        free(ids);
        crawl_opts_release(&o);
        return cli_failf(c, "no site to crawl; register sites with 'govsite site import'");
    }
    if (enqueue) {
        /* the workers crawl it (govsite worker); their [crawl] settings apply */
        crawl_opts_release(&o);
        int r = cli_enqueue(c, "crawl", ids, n, json);
        free(ids);
        return r;
    }
    struct progress_ctx pc = { c };
    o.progress = on_progress;
    o.progress_ctx = &pc;
    o.stop = &stop_flag;
    stop_flag = 0;
    struct sigaction old[2];
    cli_signals(on_signal, old);
    struct crawl_stats *sum = xcalloc(n, sizeof(*sum));
    enum rc rc = crawl_run(db, ids, n, &o, &c->clk, sum, &e);
    cli_signals_restore(old);
    cli_progress_done(c);
    struct buf out = BUF_INIT;
    struct jw w;
    if (json) {
        jw_init(&w, &out, true);
        jw_arr(&w);
    }
    for (size_t i = 0; i < n; i++) {
        struct crawl_stats *s = &sum[i];
        if (!s->run_id)
            continue;
        char *name = reg_site_label(db, ids[i]);
        double secs = (double)s->elapsed_ms / 1000.0;
        if (json) {
            jw_obj(&w);
            jw_kstr(&w, "site", name);
            jw_kint(&w, "run", s->run_id);
            jw_kstr(&w, "state", s->state);
            jw_kint(&w, "pages", s->pages);
            jw_kint(&w, "urls", s->urls);
            jw_kint(&w, "requests", s->requests);
            jw_kint(&w, "links", s->links);
            jw_kint(&w, "broken", s->broken);
            jw_kint(&w, "waf", s->waf);
            jw_kint(&w, "errors", s->errors);
            jw_kint(&w, "bytes", s->bytes);
            jw_kdouble(&w, "seconds", secs);
            jw_kbool(&w, "limited", s->limited);
            jw_kstr(&w, "note", s->note[0] ? s->note : NULL);
            jw_end(&w);
        } else if (c->tty && !c->quiet) {
            fprintf(stderr,
                    "crawl %s: run %lld %s: %lld pages, %lld URLs, %lld links, %lld broken, %lld "
                    "waf, %lld errors, %.1f s (%.1f pages/s)%s%s%s\n",
                    name, (long long)s->run_id, s->state ? s->state : "?", (long long)s->pages,
                    (long long)s->urls, (long long)s->links, (long long)s->broken,
                    (long long)s->waf, (long long)s->errors, secs,
                    secs > 0 ? (double)s->pages / secs : 0.0, s->limited ? "; max pages reached" : "",
                    s->note[0] ? "; " : "", s->note);
        }
        free(name);
    }
    if (json) {
        jw_end(&w);
        jw_finish(&w);
        cli_out(c, &out);
    }
    buf_release(&out);
    free(sum);
    free(ids);
    crawl_opts_release(&o);
    if (rc) {
        if (rc == RC_INTERRUPTED && !all && argc > optind)
            fprintf(stderr, "govsite: crawl interrupted; continue with 'govsite crawl %s --resume'\n",
                    argv[optind]);
        else if (rc == RC_INTERRUPTED)
            fprintf(stderr, "govsite: crawl interrupted; continue with 'govsite crawl --all --resume'\n");
        else
            return cli_fail(c, &e);
        return 1;
    }
    return 0;
}

/* ------------------------------------------------------------- links/pages --- */

enum fmt { FMT_TABLE, FMT_JSON, FMT_CSV };

struct out_ctx {
    struct cli *c;
    enum fmt fmt;
    struct buf b;
    struct jw w;
    struct table *t;
    size_t rows;
};

static void flush_out(struct out_ctx *x, bool force)
{
    if (x->b.n && (force || x->b.n > 65536)) {
        fwrite(x->b.p, 1, x->b.n, stdout);
        buf_reset(&x->b);
    }
}

static void csv_row(struct buf *b, const char *const *f, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        if (i)
            buf_addc(b, ',');
        esc_csv(b, f[i]);
    }
    buf_addc(b, '\n');
}

static void on_link(const struct crawl_link_row *r, void *ctx)
{
    struct out_ctx *x = ctx;
    x->rows++;
    if (x->fmt == FMT_JSON) {
        struct jw *w = &x->w;
        jw_obj(w);
        jw_kstr(w, "source", r->source);
        jw_kstr(w, "target", r->target);
        jw_kint(w, "status", r->status);
        jw_kstr(w, "error", r->error);
        jw_kstr(w, "result", r->result);
        jw_kstr(w, "tag", r->tag);
        jw_kstr(w, "text", r->text);
        jw_kint(w, "n", r->n);
        jw_kbool(w, "internal", r->internal);
        jw_kstr(w, "final_url", r->final_url);
        jw_key(w, "redirects");
        if (r->redirects)
            jw_raw(w, r->redirects);
        else
            jw_null(w);
        jw_kstr(w, "detail", r->detail);
        jw_end(w);
    } else if (x->fmt == FMT_CSV) {
        char st[16];
        snprintf(st, sizeof(st), "%d", r->status);
        const char *f[] = { r->source, r->target, st, r->error ? r->error : "", r->result, r->tag,
                            r->text ? r->text : "", r->final_url ? r->final_url : "" };
        csv_row(&x->b, f, 8);
    } else {
        char st[16];
        if (r->status)
            snprintf(st, sizeof(st), "%d", r->status);
        else
            snprintf(st, sizeof(st), "-");
        table_addf(x->t, r->result, st, r->error ? r->error : "", r->source, r->target);
    }
    flush_out(x, false);
}

static void on_page(const struct crawl_page_row *r, void *ctx)
{
    struct out_ctx *x = ctx;
    x->rows++;
    char items[24];
    snprintf(items, sizeof(items), "%lld", (long long)r->items);
    if (x->fmt == FMT_JSON) {
        struct jw *w = &x->w;
        jw_obj(w);
        jw_kstr(w, "url", r->url);
        jw_kstr(w, "final_url", r->final_url);
        jw_kint(w, "status", r->status);
        jw_kstr(w, "content_type", r->content_type);
        jw_kstr(w, "charset", r->charset);
        jw_kstr(w, "title", r->title);
        jw_kstr(w, "date", r->date);
        jw_key(w, "breadcrumb");
        if (r->breadcrumb && *r->breadcrumb) {
            jw_arr(w);
            const char *p = r->breadcrumb;
            for (;;) {
                const char *gt = strchr(p, '>');
                jw_strn(w, p, gt ? (size_t)(gt - p) : strlen(p));
                if (!gt)
                    break;
                p = gt + 1;
            }
            jw_end(w);
        } else {
            jw_null(w);
        }
        jw_kstr(w, "column", r->column);
        jw_kbool(w, "list", r->is_list);
        jw_kbool(w, "article", r->is_article);
        jw_kint(w, "items", r->items);
        jw_kstr(w, "latest", r->latest);
        jw_kint(w, "size", r->size);
        jw_kbool(w, "truncated", r->truncated);
        jw_kbool(w, "not_modified", r->not_modified);
        jw_end(w);
    } else if (x->fmt == FMT_CSV) {
        char st[16];
        snprintf(st, sizeof(st), "%d", r->status);
        const char *f[] = { r->url, st, r->charset ? r->charset : "", r->title ? r->title : "",
                            r->date ? r->date : "", r->breadcrumb ? r->breadcrumb : "",
                            r->is_list ? "1" : "0", items, r->latest ? r->latest : "",
                            r->column ? r->column : "" };
        csv_row(&x->b, f, 10);
    } else {
        char st[16], list[40] = "";
        snprintf(st, sizeof(st), "%d", r->status);
        if (r->is_list)
            snprintf(list, sizeof(list), "%s条 %s", items, r->latest ? r->latest : "");
        table_addf(x->t, st, r->date ? r->date : "", list, r->title ? r->title : "", r->url);
    }
    flush_out(x, false);
}

static int run_list(struct cli *c, const char *cmd, int argc, char **argv, bool links)
{
    static const struct option opts[] = {
        { "broken", no_argument, NULL, 'b' }, { "json", no_argument, NULL, 'j' },
        { "csv", no_argument, NULL, 'c' },    { "run", required_argument, NULL, 'r' },
        { "help", no_argument, NULL, 'h' },   { NULL, 0, NULL, 0 }
    };
    bool broken = false;
    enum fmt fmt = FMT_TABLE;
    int64_t run = 0;
    int oi;
    while ((oi = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (oi) {
        case 'b':
            if (!links)
                return cli_usage(cmd, "--broken is an option of 'govsite links'");
            broken = true;
            break;
        case 'j': fmt = FMT_JSON; break;
        case 'c': fmt = FMT_CSV; break;
        case 'r':
            if (!cstr_to_i64(optarg, &run) || run <= 0)
                return cli_usage(cmd, "--run '%s' is not a run number", optarg);
            break;
        case 'h': return cli_help(cmd);
        default: return cli_usage(cmd, "unknown option");
        }
    }
    if (optind + 1 != argc)
        return cli_usage(cmd, "give one SITE (its name, 标识码 or home URL)");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t site;
    if (reg_site_lookup(db, argv[optind], &site, &e))
        return cli_fail(c, &e);
    if (run) {
        int64_t owner = 0;
        if (store_get_int(db, &owner, NULL, "SELECT site_id FROM crawl_runs WHERE id = ?", "i", run) ||
            owner != site)
            return cli_failf(c, "run %lld is not a crawl of '%s'; see 'govsite pages %s'",
                             (long long)run, argv[optind], argv[optind]);
    } else if (crawl_latest_run(db, site, &run, &e)) {
        return cli_fail(c, &e);
    }
    struct out_ctx x = { .c = c, .fmt = fmt };
    if (fmt == FMT_JSON) {
        jw_init(&x.w, &x.b, true);
        jw_arr(&x.w);
    } else if (fmt == FMT_CSV) {
        buf_adds(&x.b, links ? "source,target,status,error,result,tag,text,final_url\n"
                             : "url,status,charset,title,date,breadcrumb,list,items,latest,column\n");
    } else if (links) {
        const char *h[] = { "结果", "状态", "原因", "来源页面", "链接" };
        x.t = table_new(5, h);
    } else {
        const char *h[] = { "状态", "日期", "列表", "标题", "网址" };
        x.t = table_new(5, h);
    }
    enum rc rc = links ? crawl_links_each(db, run, broken ? CRAWL_LINKS_BROKEN : 0, on_link, &x, &e)
                       : crawl_pages_each(db, run, on_page, &x, &e);
    if (rc) {
        buf_release(&x.b);
        table_free(x.t);
        return cli_fail(c, &e);
    }
    if (fmt == FMT_JSON) {
        jw_end(&x.w);
        jw_finish(&x.w);
    }
    flush_out(&x, true);
    if (x.t) {
        table_print(x.t, stdout);
        table_free(x.t);
    }
    buf_release(&x.b);
    return 0;
}

int cmd_links(struct cli *c, int argc, char **argv)
{
    return run_list(c, "links", argc, argv, true);
}

int cmd_pages(struct cli *c, int argc, char **argv)
{
    return run_list(c, "pages", argc, argv, false);
}
