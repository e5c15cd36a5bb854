/* cmd_serve.c - `govsite serve`: the dashboard and JSON API until SIGTERM/SIGINT. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/log.h"
#include "core/str.h"
#include "jobs/jobs.h"
#include "web/web.h"

int cmd_serve(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        { "listen", required_argument, NULL, 'l' },
        { "cert", required_argument, NULL, 'c' },
        { "key", required_argument, NULL, 'k' },
        { "threads", required_argument, NULL, 't' },
        { "access-log", required_argument, NULL, 'a' },
        { "public", no_argument, NULL, 'p' },
        { "jobs", required_argument, NULL, 'J' },
        { "no-scheduler", no_argument, NULL, 'S' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct web_conf wc;
    web_conf_init(&wc);
    struct err e = { 0 };
    if (web_conf_load(&wc, &c->conf, &e))
        return cli_fail(c, &e);
    struct jobs_service_opts jo = { .scheduler = true, .jobs = 2 };
    const char *jv = conf_get(&c->conf, "jobs", "jobs", NULL);
    if (jv && !cstr_to_int(jv, 0, 256, &jo.jobs))
        return cli_failf(c, "%s: [jobs] jobs = '%s' must be a number from 0 to 256",
                         conf_where(&c->conf, "jobs", "jobs"), jv);
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'J':
            if (!cstr_to_int(optarg, 0, 256, &jo.jobs))
                return cli_usage("serve", "--jobs '%s' must be a number from 0 to 256", optarg);
            break;
        case 'S':
            jo.scheduler = false;
            break;
        case 'l':
            wc.listen = optarg;
            break;
        case 'c':
            wc.cert_file = optarg;
            break;
        case 'k':
            wc.key_file = optarg;
            break;
        case 'a':
            wc.access_log = optarg;
            break;
        case 't':
            if (!cstr_to_int(optarg, 1, 256, &wc.threads))
                return cli_usage("serve", "--threads '%s' must be a number from 1 to 256", optarg);
            break;
        case 'p':
            wc.public_on = true;
            break;
        case 'h':
            return cli_help("serve");
        default:
            return cli_usage("serve", "unknown option");
        }
    }
    if (optind != argc)
        return cli_usage("serve", "unexpected argument '%s'", argv[optind]);
    wc.dsn = c->db_dsn;
    wc.clk = &c->clk;

    /* Signals are taken synchronously by this thread; the workers inherit the mask. */
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGHUP);
    pthread_sigmask(SIG_BLOCK, &set, NULL);
    signal(SIGPIPE, SIG_IGN);
    log_set_timestamps(1);

    struct web_server *srv;
    if (web_start(&wc, &srv, &e))
        return cli_fail(c, &e);
    /* the scheduler and the in-process workers (after web_start: it migrated the schema) */
    jo.dsn = c->db_dsn;
    jo.clk = &c->clk;
    jo.conf = &c->conf;
    struct jobs_service *js = NULL;
    if ((jo.scheduler || jo.jobs > 0) && jobs_service_start(&jo, &js, &e)) {
        web_stop(srv, 0);
        return cli_fail(c, &e);
    }
    const char *host = wc.listen;
    char shown[300];
    const char *colon = strrchr(host, ':');
    size_t hl = colon ? (size_t)(colon - host) : 0;
    snprintf(shown, sizeof(shown), "%.*s", (int)hl, host);
    printf("govsite: serving %s on %s://%s:%d/ (%d threads; scheduler %s, %d job%s at once)\n",
           c->db_dsn, web_https(srv) ? "https" : "http", hl ? shown : "0.0.0.0", web_port(srv),
           wc.threads, jo.scheduler ? "on" : "off", jo.jobs, jo.jobs == 1 ? "" : "s");
    /* one flush for both lines: whoever waits for the first (scripts, tests) reads both */
    if (wc.public_on)
        printf("govsite: public side on %s://%s:%d/public (依申请公开, 咨询, 查询)\n",
               web_https(srv) ? "https" : "http", hl ? shown : "0.0.0.0", web_port(srv));
    fflush(stdout);
    log_info("web: listening on port %d", web_port(srv));
    int sig = 0;
    for (;;) {
        if (sigwait(&set, &sig))
            continue;
        if (sig == SIGHUP) /* nothing to reload yet; keep serving */
            continue;
        break;
    }
    fprintf(stderr, "govsite: %s: finishing %d request(s) in flight, then stopping\n",
            sig == SIGTERM ? "SIGTERM" : "SIGINT", web_inflight(srv));
    jobs_service_stop(js); /* running jobs go back to the queue */
    web_stop(srv, 30000);
    fprintf(stderr, "govsite: stopped; database closed\n");
    return 0;
}
