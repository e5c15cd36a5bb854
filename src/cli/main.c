/* main.c - `govsite`: global options, configuration, then one command from commands[]. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/date.h"
#include "core/log.h"
#include "core/res.h"

static const char global_usage[] =
    "usage: govsite [--db DSN] [--config FILE] [-q] [-v] COMMAND [ARGS...]\n"
    "\n"
    "govsite assures the content of government websites: it crawls the sites of a city's\n"
    "units, checks columns, links and wording, tracks statutory work items in Chinese\n"
    "working days, and writes the monthly 通报 and the annual forms.\n"
    "\n"
    "global options:\n"
    "  --db DSN        SQLite file or postgresql:// URI (default: $GOVSITE_DB, the\n"
    "                  configuration's [general] db, else ./govsite.db)\n"
    "  --config FILE   configuration file (default: $GOVSITE_CONFIG, else\n"
    "                  /etc/govsite/govsite.conf when it exists)\n"
    "  -q, --quiet     no progress lines or summaries on stderr\n"
    "  -v, --verbose   more log output (twice for debug)\n"
    "  --version       print the version\n"
    "  -h, --help      this text; `govsite help` lists the commands\n";

static int usage_commands(void)
{
    fputs(global_usage, stdout);
    fputs("\ncommands:\n", stdout);
    for (const struct cmd *k = commands; k->name; k++)
        printf("  %-12s %s\n", k->name, k->summary);
    fputs("\nRun 'govsite COMMAND --help' for a command's options.  Documentation: docs/cli.md\n",
          stdout);
    return 0;
}

int cmd_help(struct cli *c, int argc, char **argv)
{
    (void)c;
    if (argc > 1) {
        if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))
            return cli_help("help");
        if (!cli_find(argv[1]))
            return cli_usage("help", "unknown command '%s'", argv[1]);
        return cli_help(argv[1]);
    }
    return usage_commands();
}

int cmd_version(struct cli *c, int argc, char **argv)
{
    (void)c;
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return cli_help("version");
    printf("govsite %s\n", GOVSITE_VERSION);
    return 0;
}

int main(int argc, char **argv)
{
    struct cli c;
    memset(&c, 0, sizeof(c));
    conf_init(&c.conf);
    clk_init(&c.clk);
    c.tty = isatty(2);
    const char *db_opt = NULL, *conf_opt = NULL;
    static const struct option opts[] = {
        { "db", required_argument, NULL, 'd' },      { "config", required_argument, NULL, 'c' },
        { "quiet", no_argument, NULL, 'q' },         { "verbose", no_argument, NULL, 'v' },
        { "version", no_argument, NULL, 'V' },       { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    int o;
    opterr = 0;
    while ((o = getopt_long(argc, argv, "+qvh", opts, NULL)) != -1) {
        switch (o) {
        case 'd': db_opt = optarg; break;
        case 'c': conf_opt = optarg; break;
        case 'q': c.quiet = true; break;
        case 'v': c.verbose++; break;
        case 'V': printf("govsite %s\n", GOVSITE_VERSION); return 0;
        case 'h': usage_commands(); return 0;
        default:
            fprintf(stderr, "govsite: error: unknown option '%s'\ntry 'govsite --help'\n",
                    argv[optind - 1]);
            return 2;
        }
    }
    if (optind >= argc) {
        fputs(global_usage, stderr);
        fputs("\ngovsite: error: no command given; try 'govsite help'\n", stderr);
        return 2;
    }
    const struct cmd *k = cli_find(argv[optind]);
    if (!k) {
        fprintf(stderr, "govsite: error: unknown command '%s'; try 'govsite help'\n", argv[optind]);
        return 2;
    }

    log_set_level(c.verbose >= 2 ? LOG_DEBUG : c.verbose ? LOG_INFO : c.quiet ? LOG_ERROR : LOG_WARN);
    struct err e = { 0 };
    /* Configuration: --config, $GOVSITE_CONFIG, then the system file if present. */
    const char *cf = conf_opt ? conf_opt : getenv("GOVSITE_CONFIG");
    struct stat st;
    if (!cf && stat("/etc/govsite/govsite.conf", &st) == 0)
        cf = "/etc/govsite/govsite.conf";
    if (cf && *cf) {
        if (conf_load(&c.conf, cf, &e)) {
            int r = cli_fail(&c, &e);
            conf_release(&c.conf);
            return r;
        }
        c.config = cf;
    }
    const char *tz = conf_get(&c.conf, "general", "timezone", NULL);
    if (tz && !tz_parse(tz, &c.clk.tzoff)) {
        fprintf(stderr, "govsite: error: %s: timezone '%s' is not an offset like +08:00\n",
                conf_where(&c.conf, "general", "timezone"), tz);
        conf_release(&c.conf);
        return 1;
    }
    if (clk_from_env(&c.clk, &e)) {
        int r = cli_fail(&c, &e);
        conf_release(&c.conf);
        return r;
    }
    const char *dd = conf_get(&c.conf, "general", "data_dir", NULL);
    if (dd)
        res_set_dir(dd);
    c.db_dsn = db_opt ? db_opt : getenv("GOVSITE_DB");
    if (!c.db_dsn || !*c.db_dsn)
        c.db_dsn = conf_get(&c.conf, "general", "db", "govsite.db");

    int argc2 = argc - optind;
    char **argv2 = argv + optind;
    optind = 0; /* reinitialise getopt for the command */
    int rc = k->fn(&c, argc2, argv2);
    cli_progress_done(&c);
    store_close(c.db);
    conf_release(&c.conf);
    fflush(stdout);
    if (ferror(stdout)) {
        fprintf(stderr, "govsite: error: cannot write to standard output\n");
        return 1;
    }
    return rc;
}
