/* cmd_serve.c - `govsite serve`: the dashboard and JSON API until SIGTERM/SIGINT. */
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "cli/cli.h"
#include "core/log.h"
#include "core/str.h"
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
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    struct web_conf wc;
    web_conf_init(&wc);
    struct err e = { 0 };
    if (web_conf_load(&wc, &c->conf, &e))
        return cli_fail(c, &e);
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
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
    const char *host = wc.listen;
    char shown[300];
    const char *colon = strrchr(host, ':');
    size_t hl = colon ? (size_t)(colon - host) : 0;
    snprintf(shown, sizeof(shown), "%.*s", (int)hl, host);
    printf("govsite: serving %s on %s://%s:%d/ (%d threads)\n", c->db_dsn,
           web_https(srv) ? "https" : "http", hl ? shown : "0.0.0.0", web_port(srv), wc.threads);
    fflush(stdout);
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
    web_stop(srv, 30000);
    fprintf(stderr, "govsite: stopped; database closed\n");
    return 0;
}
