/* cmd_probe.c - `govsite probe`: home-page availability probes and the 1-week rule. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/probe.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/str.h"
#include "reg/reg.h"

static void on_progress(size_t done, size_t total, void *ctx)
{
    cli_progress(ctx, "probe %zu/%zu", done, total);
}

/* Seconds with a fraction ("15", "0.5") to milliseconds. */
static bool parse_secs(const char *s, int64_t *ms)
{
    double d;
    if (!str_to_double(str_of(s), &d) || !(d > 0) || d > 3600)
        return false;
    *ms = (int64_t)(d * 1000 + 0.5);
    return *ms > 0;
}

static int conf_secs(struct cli *c, const char *key, int64_t def_ms, int64_t *ms)
{
    const char *v = conf_get(&c->conf, "probe", key, NULL);
    *ms = def_ms;
    if (v && !parse_secs(v, ms))
        return cli_failf(c, "%s: [probe] %s '%s' is not a number of seconds",
                         conf_where(&c->conf, "probe", key), key, v);
    return -1;
}

static int show_stats(struct cli *c, const char *site, const char *as_of, bool json)
{
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    int32_t day = clk_today(&c->clk);
    if (as_of && !cli_date(c, "--as-of", as_of, &day))
        return 1;
    struct err e = { 0 };
    int64_t id;
    if (reg_site_lookup(db, site, &id, &e))
        return cli_fail(c, &e);
    struct probe_stats st;
    if (probe_stats(db, id, day, &st, &e))
        return cli_fail(c, &e);
    char *name = reg_site_label(db, id);
    struct buf b = BUF_INIT;
    if (json) {
        struct jw w;
        jw_init(&w, &b, true);
        probe_stats_json(&w, &st, name);
        jw_finish(&w);
    } else {
        char from[11], to[11];
        date_fmt(st.from, from);
        date_fmt(st.to, to);
        buf_addf(&b, "%s  %s … %s\n", name, from, to);
        buf_addf(&b, "  %-10s %6s %6s %6s %7s\n", "date", "probes", "failed", "slow", "ratio");
        for (int i = 0; i < PROBE_DAYS; i++) {
            const struct probe_day *d = &st.days[i];
            char ds[11];
            date_fmt(d->day, ds);
            buf_addf(&b, "  %-10s %6d %6d %6d %6.1f%%%s\n", ds, d->probes, d->failed, d->slow,
                     d->probes ? 100.0 * (d->failed + d->slow) / d->probes : 0.0,
                     d->probes < PROBE_MIN_PER_DAY ? "  not fully monitored (<20)" : "");
        }
        buf_addf(&b, "  %-10s %6d %6d %6d %6.1f%%\n", "week", st.probes, st.failed, st.slow,
                 st.ratio * 100);
        if (st.status == PROBE_VETO)
            buf_addf(&b,
                     "veto: failed or slow (≥15 s) probes reach %d%% of the week (站点无法访问)\n",
                     PROBE_VETO_PERCENT);
        else if (st.status == PROBE_PASS)
            buf_addf(&b, "pass: below %d%% with every day fully monitored\n", PROBE_VETO_PERCENT);
        else
            buf_addf(&b,
                     "undecided: %d of %d days have fewer than %d probes (not fully monitored)\n",
                     st.days_short, PROBE_DAYS, PROBE_MIN_PER_DAY);
    }
    free(name);
    int r = cli_out(c, &b);
    buf_release(&b);
    return r;
}

int cmd_probe(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        { "all", no_argument, NULL, 'A' },           { "stats", no_argument, NULL, 'S' },
        { "as-of", required_argument, NULL, 'a' },   { "threshold", required_argument, NULL, 't' },
        { "timeout", required_argument, NULL, 'T' }, { "parallel", required_argument, NULL, 'p' },
        { "json", no_argument, NULL, 'j' },          { "enqueue", no_argument, NULL, 'E' },
        { "help", no_argument, NULL, 'h' },          { NULL, 0, NULL, 0 }
    };
    bool all = false, stats = false, json = false, enqueue = false;
    const char *as_of = NULL, *thr = NULL, *tmo = NULL, *par = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'A':
            all = true;
            break;
        case 'S':
            stats = true;
            break;
        case 'a':
            as_of = optarg;
            break;
        case 't':
            thr = optarg;
            break;
        case 'T':
            tmo = optarg;
            break;
        case 'p':
            par = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'E':
            enqueue = true;
            break;
        case 'h':
            return cli_help("probe");
        default:
            return cli_usage("probe", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (stats) {
        if (all || optind + 1 != argc)
            return cli_usage("probe", "--stats takes one SITE");
        return show_stats(c, argv[optind], as_of, json);
    }
    if (as_of)
        return cli_usage("probe", "--as-of goes with --stats");
    if (optind + (all ? 0 : 1) != argc)
        return cli_usage("probe", "give one SITE or --all");
    struct probe_opts po;
    probe_opts_default(&po);
    int r;
    if ((r = conf_secs(c, "threshold", PROBE_THRESHOLD_MS, &po.threshold_ms)) >= 0 ||
        (r = conf_secs(c, "timeout", PROBE_TIMEOUT_MS, &po.timeout_ms)) >= 0)
        return r;
    if (thr && !parse_secs(thr, &po.threshold_ms))
        return cli_usage("probe", "--threshold '%s' is not a number of seconds", thr);
    if (tmo && !parse_secs(tmo, &po.timeout_ms))
        return cli_usage("probe", "--timeout '%s' is not a number of seconds", tmo);
    if (par && !cstr_to_int(par, 1, 256, &po.parallel))
        return cli_usage("probe", "--parallel '%s' is not a number from 1 to 256", par);
    if (po.timeout_ms < po.threshold_ms)
        po.timeout_ms = po.threshold_ms;
    po.progress = on_progress;
    po.ctx = c;
    /* the crawl's host mapping ([crawl] connect_to, resolve) */
    struct crawl_opts hosts;
    crawl_opts_init(&hosts);
    struct err e = { 0 };
    if (crawl_opts_conf(&hosts, &c->conf, &e)) {
        crawl_opts_release(&hosts);
        return cli_fail(c, &e);
    }
    po.hosts = &hosts;
    int64_t *ids;
    size_t n;
    r = cli_sites(c, "probe", all ? NULL : argv[optind], all, &ids, &n);
    if (r >= 0) {
        crawl_opts_release(&hosts);
        return r;
    }
    if (enqueue) {
        crawl_opts_release(&hosts);
        r = cli_enqueue(c, "probe", ids, n, json);
        free(ids);
        return r;
    }
    struct probe_result *res;
    enum rc rc = probe_sites(c->db, &c->clk, ids, n, &po, &res, &e);
    cli_progress_done(c);
    crawl_opts_release(&hosts);
    free(ids);
    if (rc)
        return cli_fail(c, &e);
    struct buf b = BUF_INIT;
    if (json) {
        struct jw w;
        jw_init(&w, &b, true);
        jw_arr(&w);
        for (size_t i = 0; i < n; i++) {
            char *name = reg_site_label(c->db, res[i].site_id);
            jw_obj(&w);
            jw_kstr(&w, "site", name);
            jw_kstr(&w, "url", res[i].url);
            jw_ktime(&w, "at", res[i].at, c->clk.tzoff);
            if (res[i].status)
                jw_kint(&w, "status", res[i].status);
            else
                jw_knull(&w, "status");
            jw_kint(&w, "total_ms", res[i].total_ms);
            jw_kstr(&w, "outcome", probe_outcome_name(res[i].outcome));
            jw_kstr(&w, "error", res[i].error);
            jw_end(&w);
            free(name);
        }
        jw_end(&w);
        jw_finish(&w);
    } else {
        for (size_t i = 0; i < n; i++) {
            char *name = reg_site_label(c->db, res[i].site_id);
            buf_addf(&b, "%-6s %3ld %6lld ms  %s  %s%s%s\n", probe_outcome_name(res[i].outcome),
                     res[i].status, (long long)res[i].total_ms, name, res[i].url,
                     res[i].error ? "  " : "", res[i].error ? res[i].error : "");
            free(name);
        }
    }
    probe_results_free(res, n);
    r = cli_out(c, &b);
    buf_release(&b);
    return r;
}
