/* cli.h - the command-line frame: one binary, `govsite [GLOBAL OPTIONS] COMMAND ...`.
 *
 * Only cli/ (and web/) print and exit.  A command is one function
 *     int cmd_NAME(struct cli *c, int argc, char **argv)
 * that parses its own options (getopt_long; argv[0] is the command name), does its work
 * through the library modules, prints results to stdout, and returns an exit code:
 * 0 success, 1 failure, 2 usage (cli_fail / cli_usage print the message).
 *
 * Conventions every command follows (docs/cli.md):
 *   - `--help` prints the command's usage (from its table row) and exits 0;
 *   - list and show commands take `--json` (one JSON document on stdout);
 *   - errors go to stderr as "govsite: error: ..." naming the input and the fix;
 *   - long work shows a progress line on a terminal (cli_progress) and is quiet otherwise.
 *
 * Adding a new command:
 *   1. write cmd_NAME in src/cli/cmd_NAME.c (or beside its family) and declare it below;
 *   2. add a row to commands[] in src/cli/commands.c: name, summary, usage text, flags;
 *   3. add an e2e test tests/e2e/tNNNN-NAME.sh that runs it (and `NAME --help`);
 *   4. document it in docs/cli.md (and the man page docs/govsite.1 for user-facing ones).
 */
#ifndef CLI_CLI_H
#define CLI_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include "core/clk.h"
#include "core/conf.h"
#include "core/err.h"
#include "core/json.h"
#include "store/store.h"

struct cli {
    const char *db_dsn;     /* --db, $GOVSITE_DB, [general] db, else "govsite.db" */
    const char *config;     /* the configuration file read, or NULL */
    struct conf conf;       /* configuration (empty when no file) */
    struct clk clk;         /* now and the civil-date zone */
    struct store *db;       /* opened on first cli_db() */
    bool tty;               /* stderr is a terminal: progress lines allowed */
    bool quiet;             /* -q: no progress, no summaries on stderr */
    int verbose;            /* -v count */
};

#define CMD_NO_DB 1 /* the command never opens the database */

struct cmd {
    const char *name;    /* "crawl" */
    int (*fn)(struct cli *c, int argc, char **argv);
    const char *summary; /* one line for `govsite help` */
    const char *usage;   /* the full text for `govsite NAME --help` */
    unsigned flags;
};

extern const struct cmd commands[];
const struct cmd *cli_find(const char *name);

/* Open (first call) and migrate the database; NULL after printing the error. */
struct store *cli_db(struct cli *c);
/* Print "govsite: error: <msg>" and return the exit code for e's code. */
int cli_fail(struct cli *c, const struct err *e);
/* Print "govsite: error: <fmt>" and return 1. */
int cli_failf(struct cli *c, const char *fmt, ...) FMT_PRINTF(2, 3);
/* Print "govsite: <cmd>: <fmt>" plus "try 'govsite <cmd> --help'" and return 2. */
int cli_usage(const char *cmd, const char *fmt, ...) FMT_PRINTF(2, 3);
/* Print the command's usage text to stdout; returns 0. */
int cli_help(const char *cmd);
/* Parse a command's options when its only options are --json and --help: returns -1 to
 * go on (positional arguments start at optind), or the exit code to return (help printed,
 * or a usage error). */
int cli_opts_json(const char *cmd, int argc, char **argv, bool *json);
/* Print notes (bad rows, bad lines) to stderr, with "... and N more" when truncated. */
struct notes;
void cli_print_notes(const struct notes *ns);
/* Write a finished JSON document (or any buffer) to stdout; returns exit code. */
int cli_out(struct cli *c, struct buf *b);
/* Parse a date argument ("YYYY-MM-DD", or "today"); prints the error on failure. */
bool cli_date(struct cli *c, const char *opt, const char *s, int32_t *out);
/* Parse a moment ("YYYY-MM-DD HH:MM", ISO 8601, "now"); a bare date means `end_of_day`
 * ? 23:59:59 : 00:00:00 of it. */
bool cli_time(struct cli *c, const char *opt, const char *s, bool end_of_day, int64_t *out);

/* Progress line on a terminal: cli_progress(c, "crawl %d pages", n) rewrites one line at
 * most 10 times a second; cli_progress_done clears it. No-ops when not a tty or -q. */
void cli_progress(struct cli *c, const char *fmt, ...) FMT_PRINTF(2, 3);
void cli_progress_done(struct cli *c);

/* Aligned text tables that count CJK characters as two columns. */
struct table;
struct table *table_new(int ncols, const char *const *headers);
void table_add(struct table *t, const char *const *cells); /* copied */
void table_addf(struct table *t, ...);                     /* ncols const char * args */
void table_print(struct table *t, FILE *f);
void table_free(struct table *t);
/* Display width of a UTF-8 string (CJK and full-width forms count 2). */
int text_width(const char *s);

/* The commands (one file each, or one file per family). */
int cmd_help(struct cli *c, int argc, char **argv);
int cmd_version(struct cli *c, int argc, char **argv);
int cmd_db(struct cli *c, int argc, char **argv);
int cmd_unit(struct cli *c, int argc, char **argv);
int cmd_site(struct cli *c, int argc, char **argv);
int cmd_column(struct cli *c, int argc, char **argv);
int cmd_config(struct cli *c, int argc, char **argv);
int cmd_crawl(struct cli *c, int argc, char **argv);
int cmd_links(struct cli *c, int argc, char **argv);
int cmd_pages(struct cli *c, int argc, char **argv);
int cmd_calendar(struct cli *c, int argc, char **argv);
int cmd_deadline(struct cli *c, int argc, char **argv);
int cmd_serve(struct cli *c, int argc, char **argv);
int cmd_user(struct cli *c, int argc, char **argv);
int cmd_weblog(struct cli *c, int argc, char **argv);
int cmd_case(struct cli *c, int argc, char **argv);

/* Checks (cmd_checks.c, cmd_wording.c, cmd_probe.c). */
int cmd_findings(struct cli *c, int argc, char **argv);
int cmd_finding(struct cli *c, int argc, char **argv);
int cmd_verdict(struct cli *c, int argc, char **argv);
int cmd_verdicts(struct cli *c, int argc, char **argv);
int cmd_wording(struct cli *c, int argc, char **argv);
int cmd_probe(struct cli *c, int argc, char **argv);
/* Feeds, re-posting, catalogue, interaction, tasks, interviews (cmd_feed.c). */
int cmd_feed(struct cli *c, int argc, char **argv);
int cmd_repost(struct cli *c, int argc, char **argv);
int cmd_catalogue(struct cli *c, int argc, char **argv);
int cmd_interaction(struct cli *c, int argc, char **argv);
int cmd_task(struct cli *c, int argc, char **argv);
int cmd_interview(struct cli *c, int argc, char **argv);
/* Reports (cmd_report.c). */
int cmd_report(struct cli *c, int argc, char **argv);
int cmd_worker(struct cli *c, int argc, char **argv);
int cmd_jobs(struct cli *c, int argc, char **argv);
/* Enqueue a job of `type` for each site (--enqueue of crawl, probe and verdict); prints
 * the job ids (JSON: [{id, type, site_id, added}]).  Returns the exit code. */
/* Route SIGINT and SIGTERM to `handler`, keeping the previous actions in old[0..1];
 * cli_signals_restore puts them back. */
struct sigaction;
void cli_signals(void (*handler)(int), struct sigaction *old);
void cli_signals_restore(const struct sigaction *old);
int cli_enqueue(struct cli *c, const char *type, const int64_t *ids, size_t n, bool json);
/* `govsite column exempt|unexempt|exemptions` (called from cmd_column): the exit code,
 * or -1 when `sub` is not one of them. */
int cmd_column_checks(struct cli *c, const char *sub, int argc, char **argv);
/* `column accept|classify|reject|proposals` (cmd_sitecheck.c); -1 when sub is not one. */
int cmd_column_sitecheck(struct cli *c, const char *sub, int argc, char **argv);
/* A column of SITE by path into *id: -1 on success, else the exit status (reported). */
int cli_column_id(struct cli *c, const char *site, const char *path, int64_t *id);
/* `column list --json`: the registry's fields plus latest and stale as of `day`. */
enum rc cli_column_list_json(struct cli *c, int64_t site_id, int32_t day, struct jw *w,
                             struct err *err);
int cmd_check(struct cli *c, int argc, char **argv);
/* SITE|--all [--as-of DATE] [--profile FILE] [--json] (and --dry-run when dry_ok), as
 * `verdict` and `check` take them: -1 when parsed, else the exit status. */
struct cli_site_args {
    bool all, json, dry;
    const char *site, *profile; /* borrowed from argv */
    int32_t day;                /* --as-of, default today */
};
int cli_site_args(struct cli *c, const char *cmd, int argc, char **argv, bool dry_ok,
                  struct cli_site_args *a);
/* The end of a per-site command (verdict, check): fail with e, or print b (closing the
 * JSON array when `all`, w NULL for text).  Releases b. */
int cli_sites_done(struct cli *c, struct buf *b, struct jw *w, bool all, enum rc rc,
                   const struct err *e);
/* The end of an import (unit/site/column/article import): the bad rows and the failure,
 * or the counts (text or --json).  Releases bad. */
struct notes;
struct reg_import_result;
int cli_import_done(struct cli *c, const char *file, enum rc rc, const struct err *e,
                    struct notes *bad, const struct reg_import_result *res, bool json);
int cmd_retired(struct cli *c, int argc, char **argv);
int cmd_article(struct cli *c, int argc, char **argv);
/* Who is acting: $GOVSITE_USER, $USER, else the login name (for --by defaults). */
const char *cli_user(void);
/* Parse a finding id ("12" or "#12"); prints the usage error and returns false. */
bool cli_id(const char *cmd, const char *s, int64_t *id);
/* The sites a command works on: one SITE (name, 标识码 or URL) or, with `all`, every site
 * in operation (正常运行).  Returns -1 to go on (*ids: caller frees) or the exit code. */
int cli_sites(struct cli *c, const char *cmd, const char *site, bool all, int64_t **ids, size_t *n);
/* Subcommands ("govsite finding show ..."): runs the one named by argv[1] with argv
 * shifted, or prints the usage error (listing the names) / the help. */
struct cli_sub {
    const char *name;
    int (*fn)(struct cli *c, int argc, char **argv);
};
int cli_dispatch(struct cli *c, const char *cmd, const struct cli_sub *subs, int argc, char **argv);
/* The output of a list command: an aligned table, a JSON array, or CSV/TSV text.
 *     cli_list_begin(&l, json, csv, 3, headers, csv_header, 3);
 *     ... table_addf(l.t, ...) / check_row_json(&l.w, ...) / csv_write_row(&l.b, ...)
 *     return cli_list_end(c, &l, rc, &e);        prints, or the error; frees */
struct cli_list {
    struct buf b;
    struct jw w;
    struct table *t; /* table form */
    bool json;
};
void cli_list_begin(struct cli_list *l, bool json, bool text, int ncols, const char *const *headers,
                    const char *const *csv_header, size_t ncsv);
int cli_list_end(struct cli *c, struct cli_list *l, enum rc rc, const struct err *e);

#endif
