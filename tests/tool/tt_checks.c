/* tt_checks.c - testtool subcommands for the checks (e2e tests t3xxx).
 *
 *   testtool probe-fixture PORTFILE     serve the probe fixture on 127.0.0.1; write the port
 *                                       to PORTFILE; stop on SIGTERM/SIGINT (or after 10 min)
 *   testtool refused-port               print a loopback port nobody listens on
 *   testtool report SITE KINDS complete|partial
 *                                       run one check session on $GOVSITE_DB at $GOVSITE_NOW,
 *                                       reporting the findings read from stdin, one a line:
 *                                       kind<TAB>column path<TAB>url<TAB>subject[<TAB>value
 *                                       [<TAB>severity]] (empty fields allowed); print the
 *                                       tally as JSON
 */
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <time.h>
#include <unistd.h>

#include "checks/check.h"
#include "core/buf.h"
#include "core/clk.h"
#include "core/json.h"
#include "core/str.h"
#include "fixture_probe.h"
#include "reg/reg.h"
#include "testtool.h"

static int tt_probe_fixture(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    sigaddset(&set, SIGALRM);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* before the server's threads start */
    struct fixture_probe *f = fixture_probe_start();
    if (!f)
        return 1;
    FILE *pf = fopen(argv[1], "w");
    if (!pf) {
        fixture_probe_stop(f);
        return 1;
    }
    fprintf(pf, "%d\n", fixture_probe_port(f));
    fclose(pf);
    alarm(600);
    int sig;
    sigwait(&set, &sig);
    fixture_probe_stop(f);
    return 0;
}

static int tt_refused_port(int argc, char **argv)
{
    (void)argc;
    (void)argv;
    int p = fixture_refused_port();
    if (!p)
        return 1;
    printf("%d\n", p);
    return 0;
}

static int tt_report(int argc, char **argv)
{
    if (argc < 4)
        return 2;
    const char *dsn = getenv("GOVSITE_DB");
    struct err e = { 0 };
    struct clk clk;
    clk_init(&clk);
    struct store *db = NULL;
    if (clk_from_env(&clk, &e) || store_open(dsn ? dsn : "govsite.db", &db, &e) ||
        store_migrate(db, &e)) {
        fprintf(stderr, "%s\n", err_msg(&e));
        store_close(db);
        return 1;
    }
    int64_t site;
    struct check_session *s = NULL;
    struct check_scope sc = { .kinds = argv[2],
                              .complete = !strcmp(argv[3], "complete"),
                              .source = "testtool" };
    if (reg_site_lookup(db, argv[1], &site, &e)) {
        fprintf(stderr, "%s\n", err_msg(&e));
        store_close(db);
        return 1;
    }
    sc.site_id = site;
    if (check_begin(db, &clk, &sc, &s, &e)) {
        fprintf(stderr, "%s\n", err_msg(&e));
        store_close(db);
        return 1;
    }
    char line[8192];
    int rc = 0;
    while (!rc && fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\r\n")] = 0;
        if (!line[0] || line[0] == '#')
            continue;
        char *f[6] = { 0 };
        int nf = 0;
        for (char *p = line; nf < 6; nf++) {
            f[nf] = p;
            char *tab = strchr(p, '\t');
            if (!tab) {
                nf++;
                break;
            }
            *tab = 0;
            p = tab + 1;
        }
        int64_t col = 0;
        if (nf > 1 && f[1][0] &&
            store_get_int(db, &col, &e,
                          "SELECT id FROM site_columns WHERE site_id = ? AND path = ?", "it", site,
                          f[1])) {
            fprintf(stderr, "no column '%s'\n", f[1]);
            rc = 1;
            break;
        }
        struct check_finding fd = { .kind = f[0],
                                    .column_id = col,
                                    .url = nf > 2 && f[2][0] ? f[2] : NULL,
                                    .subject = nf > 3 ? f[3] : "" };
        if (nf > 4 && f[4][0]) {
            fd.has_value = true;
            cstr_to_i64(f[4], &fd.value);
        }
        if (nf > 5 && f[5][0] && !check_severity_parse(f[5], &fd.severity)) {
            fprintf(stderr, "bad severity '%s'\n", f[5]);
            rc = 1;
            break;
        }
        struct buf ev = BUF_INIT, sum = BUF_INIT;
        struct jw w;
        jw_init(&w, &ev, false);
        jw_obj(&w);
        jw_kstr(&w, "seen", "testtool");
        jw_kstr(&w, "subject", fd.subject);
        jw_end(&w);
        jw_finish(&w);
        buf_addf(&sum, "测试：%s", fd.subject);
        fd.evidence = buf_cstr(&ev);
        fd.summary = buf_cstr(&sum);
        if (check_report(s, &fd, NULL, &e)) {
            fprintf(stderr, "%s\n", err_msg(&e));
            rc = 1;
        }
        buf_release(&ev);
        buf_release(&sum);
    }
    if (rc) {
        check_abort(s);
        store_close(db);
        return rc;
    }
    struct check_tally t;
    enum rc r = check_end(s, &t, &e);
    printf(
        "{\"reported\": %d, \"opened\": %d, \"reopened\": %d, \"updated\": %d, \"dismissed_seen\": %d, "
        "\"resolved\": %d}\n",
        t.reported, t.opened, t.reopened, t.updated, t.dismissed_seen, t.resolved);
    store_close(db);
    if (r) {
        fprintf(stderr, "%s\n", err_msg(&e));
        return 1;
    }
    return 0;
}

const struct tt_cmd checks_cmds[] = {
    { "probe-fixture", tt_probe_fixture, "PORTFILE" },
    { "refused-port", tt_refused_port, "" },
    { "report", tt_report, "SITE KINDS complete|partial < findings.tsv" },
    { NULL, NULL, NULL },
};
