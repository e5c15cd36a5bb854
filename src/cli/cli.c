/* cli.c - helpers shared by the commands: database, errors, output, progress (cli.h). */
#include "cli/cli.h"

#include <getopt.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/notes.h"
#include "core/str.h"

const struct cmd *cli_find(const char *name)
{
    for (const struct cmd *k = commands; k->name; k++)
        if (!strcmp(k->name, name))
            return k;
    return NULL;
}

struct store *cli_db(struct cli *c)
{
    if (c->db)
        return c->db;
    struct err e = { 0 };
    if (store_open(c->db_dsn, &c->db, &e) || store_migrate(c->db, &e)) {
        cli_fail(c, &e);
        store_close(c->db);
        c->db = NULL;
        return NULL;
    }
    return c->db;
}

int cli_fail(struct cli *c, const struct err *e)
{
    (void)c;
    cli_progress_done(c);
    fprintf(stderr, "govsite: error: %s\n", err_msg(e));
    int code = rc_exit(e->rc);
    return code ? code : 1;
}

int cli_failf(struct cli *c, const char *fmt, ...)
{
    cli_progress_done(c);
    va_list ap;
    fputs("govsite: error: ", stderr);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    return 1;
}

int cli_usage(const char *cmd, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "govsite: error: %s: ", cmd);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fprintf(stderr, "\ntry 'govsite %s --help'\n", cmd);
    return 2;
}

int cli_help(const char *cmd)
{
    const struct cmd *k = cli_find(cmd);
    if (!k)
        return 2;
    fputs(k->usage, stdout);
    if (k->usage[0] && k->usage[strlen(k->usage) - 1] != '\n')
        fputc('\n', stdout);
    return 0;
}

int cli_opts_json(const char *cmd, int argc, char **argv, bool *json)
{
    static const struct option opts[] = { { "json", no_argument, NULL, 'j' },
                                           { "help", no_argument, NULL, 'h' },
                                           { NULL, 0, NULL, 0 } };
    *json = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (o == 'j')
            *json = true;
        else if (o == 'h')
            return cli_help(cmd);
        else
            return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
    }
    return -1;
}

void cli_print_notes(const struct notes *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        fprintf(stderr, "  %s\n", ns->v[i]);
    if (ns->total > ns->n)
        fprintf(stderr, "  ... and %zu more\n", ns->total - ns->n);
}

int cli_out(struct cli *c, struct buf *b)
{
    struct err e = { 0 };
    if (buf_rc(b))
        return cli_failf(c, "output too large");
    if (buf_write_file(b, "-", &e))
        return cli_fail(c, &e);
    return 0;
}

bool cli_date(struct cli *c, const char *opt, const char *s, int32_t *out)
{
    if (s && !strcmp(s, "today")) {
        *out = clk_today(&c->clk);
        return true;
    }
    if (date_parse(s, out))
        return true;
    int64_t t;
    int flags;
    if (time_parse(s, c->clk.tzoff, &t, &flags) && !(flags & TIME_HAS_TIME)) {
        *out = time_to_date(t, c->clk.tzoff);
        return true;
    }
    cli_failf(c, "%s '%s' is not a date; use YYYY-MM-DD (e.g. 2018-12-01)", opt, s ? s : "");
    return false;
}

bool cli_time(struct cli *c, const char *opt, const char *s, bool end_of_day, int64_t *out)
{
    if (s && !strcmp(s, "now")) {
        *out = clk_now(&c->clk);
        return true;
    }
    int flags = 0;
    if (s && time_parse(s, c->clk.tzoff, out, &flags)) {
        if (!(flags & TIME_HAS_TIME) && end_of_day)
            *out += 86399;
        return true;
    }
    cli_failf(c, "%s '%s' is not a time; use 'YYYY-MM-DD HH:MM' (China time) or ISO 8601",
              opt, s ? s : "");
    return false;
}

static int64_t last_progress;
static int progress_shown;

void cli_progress(struct cli *c, const char *fmt, ...)
{
    if (!c->tty || c->quiet)
        return;
    int64_t now = clk_mono_ms();
    if (now - last_progress < 100)
        return;
    last_progress = now;
    char line[256];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(line, sizeof(line), fmt, ap);
    va_end(ap);
    fprintf(stderr, "\r\033[K%s", line);
    fflush(stderr);
    progress_shown = 1;
}

void cli_progress_done(struct cli *c)
{
    if (progress_shown && c && c->tty) {
        fputs("\r\033[K", stderr);
        fflush(stderr);
    }
    progress_shown = 0;
    last_progress = 0;
}
