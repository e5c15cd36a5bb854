/* cmd_jobs.c - `govsite worker`, `govsite jobs` and the --enqueue of crawl, probe and
 * check (src/jobs/jobs.h, docs/scaling.md). */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/json.h"
#include "core/str.h"
#include "jobs/jobs.h"
#include "reg/reg.h"

void cli_signals(void (*handler)(int), struct sigaction *old)
{
    struct sigaction sa;
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = handler;
    sigemptyset(&sa.sa_mask);
    sigaction(SIGINT, &sa, &old[0]);
    sigaction(SIGTERM, &sa, &old[1]);
}

void cli_signals_restore(const struct sigaction *old)
{
    sigaction(SIGINT, &old[0], NULL);
    sigaction(SIGTERM, &old[1], NULL);
}

int cli_enqueue(struct cli *c, const char *type, const int64_t *ids, size_t n, bool json)
{
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct buf b = BUF_INIT;
    struct jw w;
    if (json) {
        jw_init(&w, &b, true);
        jw_arr(&w);
    }
    struct err e = { 0 };
    for (size_t i = 0; i < n; i++) {
        int64_t id;
        bool added;
        if (jobs_enqueue(db, type, ids[i], "manual", 0, &id, &added, &e)) {
            buf_release(&b);
            return cli_fail(c, &e);
        }
        if (json) {
            jw_obj(&w);
            jw_kint(&w, "id", id);
            jw_kstr(&w, "type", type);
            if (ids[i])
                jw_kint(&w, "site_id", ids[i]);
            else
                jw_knull(&w, "site_id");
            jw_kbool(&w, "added", added);
            jw_end(&w);
        } else {
            if (ids[i])
                buf_addf(&b, "job %lld: %s of site %lld %s\n", (long long)id, type,
                         (long long)ids[i], added ? "queued" : "already queued or running");
            else
                buf_addf(&b, "job %lld: %s %s\n", (long long)id, type,
                         added ? "queued" : "already queued or running");
        }
    }
    if (json) {
        jw_end(&w);
        jw_finish(&w);
    }
    int r = cli_out(c, &b);
    buf_release(&b);
    return r;
}

/* ------------------------------------------------------------ worker --- */

static volatile sig_atomic_t stop_flag;

static void on_signal(int sig)
{
    (void)sig;
    stop_flag = 1;
}

struct wout {
    struct cli *c;
};

static void on_job(const struct job *j, const char *state, const char *msg, void *ctx)
{
    struct wout *o = ctx;
    if (o->c->quiet)
        return;
    fprintf(stderr, "govsite: worker: job %lld %s", (long long)j->id, j->type);
    if (j->site_id)
        fprintf(stderr, " site %lld", (long long)j->site_id);
    fprintf(stderr, ": %s%s%s\n", state, msg ? ": " : "", msg ? msg : "");
}

int cmd_worker(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "concurrency", required_argument, NULL, 'c' },
                                          { "types", required_argument, NULL, 't' },
                                          { "lease", required_argument, NULL, 'l' },
                                          { "poll", required_argument, NULL, 'p' },
                                          { "name", required_argument, NULL, 'n' },
                                          { "drain", no_argument, NULL, 'd' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    struct jobs_worker_opts o = { .concurrency = 1, .lease_s = 60, .poll_ms = 1000 };
    int oi;
    while ((oi = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (oi) {
        case 'c':
            if (!cstr_to_int(optarg, 1, 256, &o.concurrency))
                return cli_usage("worker", "--concurrency '%s' must be a number from 1 to 256",
                                 optarg);
            break;
        case 't':
            o.types = optarg;
            break;
        case 'l':
            if (!cstr_to_int(optarg, 2, 86400, &o.lease_s))
                return cli_usage("worker", "--lease '%s' must be seconds from 2 to 86400", optarg);
            break;
        case 'p':
            if (!cstr_to_int(optarg, 10, 600000, &o.poll_ms))
                return cli_usage("worker", "--poll '%s' must be milliseconds from 10 to 600000",
                                 optarg);
            break;
        case 'n':
            o.name = optarg;
            break;
        case 'd':
            o.drain = true;
            break;
        case 'h':
            return cli_help("worker");
        default:
            return cli_usage("worker", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("worker", "unexpected argument '%s'", argv[optind]);
    struct err e = { 0 };
    if (jobs_types_valid(o.types, &e))
        return cli_usage("worker", "--types: %s", err_msg(&e));
    if (!cli_db(c)) /* applies the migrations once, before the runners connect */
        return 1;
    o.dsn = c->db_dsn;
    o.clk = &c->clk;
    o.conf = &c->conf;
    o.stop = &stop_flag;
    struct wout wo = { c };
    o.on_job = on_job;
    o.ctx = &wo;
    stop_flag = 0;
    struct sigaction old[2];
    cli_signals(on_signal, old);
    if (!c->quiet)
        fprintf(stderr, "govsite: worker: %d runner%s on %s (types %s)\n", o.concurrency,
                o.concurrency == 1 ? "" : "s", store_dsn(c->db), o.types ? o.types : "all");
    struct jobs_worker_stats st = { 0 };
    enum rc rc = jobs_worker_run(&o, &st, &e);
    cli_signals_restore(old);
    if (!c->quiet)
        fprintf(stderr, "govsite: worker: stopped: %lld done, %lld failed, %lld released\n",
                (long long)st.done, (long long)st.failed, (long long)st.released);
    if (rc)
        return cli_fail(c, &e);
    return 0;
}

/* -------------------------------------------------------------- jobs --- */

static void fmt_time(char *out, size_t n, int64_t t, const struct clk *clk)
{
    if (!t) {
        snprintf(out, n, "-");
        return;
    }
    char d[20];
    time_fmt_local(t, clk->tzoff, d);
    snprintf(out, n, "%s", d);
}

struct jl {
    struct cli *c;
    struct cli_list l;
};

static int list_row(const struct job_row *r, void *ctx)
{
    struct jl *j = ctx;
    if (j->l.json) {
        jobs_row_json(&j->l.w, r, j->c->clk.tzoff);
        return 0;
    }
    char id[24], cr[32], sa[32], fi[32];
    snprintf(id, sizeof(id), "%lld", (long long)r->id);
    fmt_time(cr, sizeof(cr), r->created_at, &j->c->clk);
    fmt_time(sa, sizeof(sa), r->started_at, &j->c->clk);
    fmt_time(fi, sizeof(fi), r->finished_at, &j->c->clk);
    table_addf(j->l.t, id, r->type, r->state, r->site ? r->site : "-", r->worker ? r->worker : "-",
               cr, sa, fi, r->error ? r->error : "");
    return 0;
}

static int jobs_list(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "json", no_argument, NULL, 'j' },
                                          { "state", required_argument, NULL, 's' },
                                          { "type", required_argument, NULL, 't' },
                                          { "site", required_argument, NULL, 'S' },
                                          { "limit", required_argument, NULL, 'n' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    struct jobs_query q = { 0 };
    bool json = false;
    const char *site = NULL;
    int oi;
    optind = 1;
    while ((oi = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (oi) {
        case 'j':
            json = true;
            break;
        case 's':
            q.state = optarg;
            break;
        case 't':
            q.type = optarg;
            break;
        case 'S':
            site = optarg;
            break;
        case 'n':
            if (!cstr_to_int(optarg, 1, 1000000, &q.limit))
                return cli_usage("jobs", "--limit '%s' must be a number from 1 to 1000000", optarg);
            break;
        case 'h':
            return cli_help("jobs");
        default:
            return cli_usage("jobs", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("jobs", "unexpected argument '%s'", argv[optind]);
    static const char *const states[] = { "queued", "running", "done", "failed", "cancelled" };
    if (q.state) {
        bool ok = false;
        for (size_t i = 0; i < sizeof(states) / sizeof(states[0]); i++)
            ok |= !strcmp(q.state, states[i]);
        if (!ok)
            return cli_usage(
                "jobs", "--state '%s': give queued, running, done, failed or cancelled", q.state);
    }
    struct err e = { 0 };
    if (q.type && jobs_types_valid(q.type, &e))
        return cli_usage("jobs", "--type: %s", err_msg(&e));
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    if (site && reg_site_lookup(db, site, &q.site_id, &e))
        return cli_fail(c, &e);
    static const char *const hdr[] = { "ID",      "TYPE",    "STATE",    "SITE", "WORKER",
                                       "CREATED", "STARTED", "FINISHED", "ERROR" };
    struct jl j = { c };
    cli_list_begin(&j.l, json, false, 9, hdr, NULL, 0);
    enum rc rc = jobs_each(db, &q, list_row, &j, &e);
    return cli_list_end(c, &j.l, rc, &e);
}

static int jobs_id_arg(const char *cmd, int argc, char **argv, int64_t *id)
{
    if (argc != 2)
        return cli_usage("jobs", "usage: govsite jobs %s ID", cmd);
    if (!cstr_to_i64(argv[1], id) || *id <= 0)
        return cli_usage("jobs", "'%s' is not a job id (a number from govsite jobs)", argv[1]);
    return -1;
}

static int jobs_change(struct cli *c, int argc, char **argv, bool retry)
{
    int64_t id;
    int r = jobs_id_arg(retry ? "retry" : "cancel", argc, argv, &id);
    if (r >= 0)
        return r;
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    if (retry ? jobs_retry(db, id, &e) : jobs_cancel(db, id, &e))
        return cli_fail(c, &e);
    if (!c->quiet)
        fprintf(stderr, "govsite: job %lld %s\n", (long long)id,
                retry ? "queued again" : "cancelled");
    return 0;
}

static int jobs_retry_cmd(struct cli *c, int argc, char **argv)
{
    return jobs_change(c, argc, argv, true);
}

static int jobs_cancel_cmd(struct cli *c, int argc, char **argv)
{
    return jobs_change(c, argc, argv, false);
}

static int jobs_enqueue_cmd(struct cli *c, int argc, char **argv)
{
    /* govsite jobs enqueue TYPE [SITE|--all] */
    if (argc < 2)
        return cli_usage("jobs", "usage: govsite jobs enqueue TYPE [SITE|--all] [--json]");
    const char *type = argv[1];
    const struct jobs_type *t = jobs_type_find(type);
    struct err e = { 0 };
    if (!t && jobs_types_valid(type, &e))
        return cli_usage("jobs", "%s", err_msg(&e));
    bool json = false, all = false;
    const char *site = NULL;
    for (int i = 2; i < argc; i++) {
        if (!strcmp(argv[i], "--json"))
            json = true;
        else if (!strcmp(argv[i], "--all"))
            all = true;
        else if (!site && argv[i][0] != '-')
            site = argv[i];
        else
            return cli_usage("jobs", "unexpected argument '%s'", argv[i]);
    }
    if (!t->per_site) {
        if (site || all)
            return cli_usage("jobs", "%s jobs take no site", type);
        int64_t zero = 0;
        return cli_enqueue(c, type, &zero, 1, json);
    }
    if (!site == !all)
        return cli_usage("jobs", "give one SITE or --all for %s jobs", type);
    int64_t *ids;
    size_t n;
    int r = cli_sites(c, "jobs", site, all, &ids, &n);
    if (r >= 0)
        return r;
    r = cli_enqueue(c, type, ids, n, json);
    free(ids);
    return r;
}

int cmd_jobs(struct cli *c, int argc, char **argv)
{
    static const struct cli_sub subs[] = { { "retry", jobs_retry_cmd },
                                           { "cancel", jobs_cancel_cmd },
                                           { "enqueue", jobs_enqueue_cmd },
                                           { NULL, NULL } };
    if (argc > 1 && argv[1][0] != '-')
        return cli_dispatch(c, "jobs", subs, argc, argv);
    return jobs_list(c, argc, argv);
}
