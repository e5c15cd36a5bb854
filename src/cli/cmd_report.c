/* cmd_report.c - `govsite report monthly|annual`: the 通报 and the annual forms. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/str.h"
#include "reg/reg.h"
#include "report/report.h"

/* Options shared by the subcommands. */
struct ropts {
    const char *format, *out;
};

/* The format: --format, else the extension of -o, else Markdown. */
static const struct report_format *pick_format(const struct ropts *o)
{
    if (o->format)
        return report_format_find(o->format);
    if (o->out) {
        const char *dot = strrchr(o->out, '.');
        const struct report_format *f = dot ? report_format_find(dot + 1) : NULL;
        if (f)
            return f;
    }
    return report_format_find("md");
}

/* Render d and write it to -o FILE or stdout (binary formats not to a terminal). */
static int emit(struct cli *c, const struct ropts *o, const struct report_format *f,
                const struct doc *d)
{
    struct buf b = BUF_INIT;
    struct err e = { 0 };
    int r = 0;
    if (f->render(d, &b, &e)) {
        r = cli_fail(c, &e);
    } else if (o->out && strcmp(o->out, "-")) {
        if (buf_write_file(&b, o->out, &e))
            r = cli_fail(c, &e);
        else if (!c->quiet)
            fprintf(stderr, "govsite: wrote %s (%zu bytes)\n", o->out, b.n);
    } else if (f->binary && isatty(STDOUT_FILENO)) {
        r = cli_failf(c, "%s is a binary format: give -o FILE (or redirect the output)", f->name);
    } else if (fwrite(b.p, 1, b.n, stdout) != b.n || fflush(stdout)) {
        r = cli_failf(c, "cannot write the report to standard output");
    }
    buf_release(&b);
    return r;
}

/* The format and the [report] settings: -1 to go on, or the exit code. */
static int prepare(struct cli *c, const struct ropts *ro, const struct report_format **f,
                   struct report_settings *s)
{
    *f = pick_format(ro);
    if (!*f)
        return cli_usage("report", "--format '%s': use %s", ro->format, report_format_names());
    struct err e = { 0 };
    if (report_settings_conf(s, &c->conf, &e))
        return cli_fail(c, &e);
    return -1;
}

static int report_monthly_cmd(struct cli *c, int argc, char **argv)
{
    enum { O_NUMBER = 256, O_DATE, O_OFFICE, O_TO, O_TOP };
    static const struct option opts[] = { { "month", required_argument, NULL, 'm' },
                                          { "as-of", required_argument, NULL, 'a' },
                                          { "format", required_argument, NULL, 'f' },
                                          { "output", required_argument, NULL, 'o' },
                                          { "number", required_argument, NULL, O_NUMBER },
                                          { "date", required_argument, NULL, O_DATE },
                                          { "office", required_argument, NULL, O_OFFICE },
                                          { "to", required_argument, NULL, O_TO },
                                          { "top", required_argument, NULL, O_TOP },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    struct ropts ro = { 0 };
    const char *month = NULL, *as_of = NULL, *number = NULL, *date = NULL, *office = NULL,
               *to = NULL, *top = NULL;
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "hm:a:f:o:", opts, NULL)) != -1) {
        switch (o) {
        case 'm': month = optarg; break;
        case 'a': as_of = optarg; break;
        case 'f': ro.format = optarg; break;
        case 'o': ro.out = optarg; break;
        case O_NUMBER: number = optarg; break;
        case O_DATE: date = optarg; break;
        case O_OFFICE: office = optarg; break;
        case O_TO: to = optarg; break;
        case O_TOP: top = optarg; break;
        case 'h': return cli_help("report");
        default: return cli_usage("report", "unknown option for monthly");
        }
    }
    if (optind < argc)
        return cli_usage("report", "unexpected argument '%s'", argv[optind]);
    if (!month)
        return cli_usage("report", "monthly needs --month YYYY-MM");
    int32_t first, next, day;
    if (!date_parse_month(month, &first, &next))
        return cli_usage("report", "--month '%s': use YYYY-MM, e.g. 2018-11", month);
    if (as_of) {
        if (!cli_date(c, "--as-of", as_of, &day))
            return 1;
    } else {
        day = next; /* the first day of the next month, as the seed counts */
    }
    const struct report_format *f;
    struct report_settings s;
    struct err e = { 0 };
    int r0 = prepare(c, &ro, &f, &s);
    if (r0 >= 0)
        return r0;
    if (number)
        s.number = number;
    if (office)
        s.office = office;
    if (to)
        s.to = to;
    if (date && !cli_date(c, "--date", date, &s.date))
        return 1;
    if (top && !cstr_to_int(top, 0, 100, &s.top_units))
        return cli_usage("report", "--top '%s': give a number from 0 to 100", top);
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct doc *d = NULL;
    if (report_monthly(db, &c->clk, &s, first, day, &d, &e))
        return cli_fail(c, &e);
    int r = emit(c, &ro, f, d);
    doc_free(d);
    return r;
}

static int report_annual_cmd(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "year", required_argument, NULL, 'y' },
                                          { "site", required_argument, NULL, 's' },
                                          { "form", required_argument, NULL, 'F' },
                                          { "format", required_argument, NULL, 'f' },
                                          { "output", required_argument, NULL, 'o' },
                                          { "input", required_argument, NULL, 'i' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    struct ropts ro = { 0 };
    struct report_annual_opts ao = { .form = REPORT_FORM_WORK };
    const char *year = NULL, *site = NULL, *form = NULL;
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "hy:s:f:o:i:", opts, NULL)) != -1) {
        switch (o) {
        case 'y': year = optarg; break;
        case 's': site = optarg; break;
        case 'F': form = optarg; break;
        case 'f': ro.format = optarg; break;
        case 'o': ro.out = optarg; break;
        case 'i': ao.input = optarg; break;
        case 'h': return cli_help("report");
        default: return cli_usage("report", "unknown option for annual");
        }
    }
    if (optind < argc)
        return cli_usage("report", "unexpected argument '%s'", argv[optind]);
    if (!year || !cstr_to_int(year, 2000, 2100, &ao.year))
        return cli_usage("report", "annual needs --year YYYY (2000 to 2100)");
    if (form && !report_form_parse(form, &ao.form))
        return cli_usage("report", "--form '%s': use work, supervision or disclosure", form);
    const struct report_format *f;
    struct report_settings s;
    struct err e = { 0 };
    int r0 = prepare(c, &ro, &f, &s);
    if (r0 >= 0)
        return r0;
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    if (site && reg_site_lookup(db, site, &ao.site_id, &e))
        return cli_fail(c, &e);
    struct doc *d = NULL;
    if (report_annual(db, &c->clk, &s, &ao, &d, &e))
        return cli_fail(c, &e);
    int r = emit(c, &ro, f, d);
    doc_free(d);
    return r;
}

int cmd_report(struct cli *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("report", "missing subcommand (monthly or annual)");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help"))
        return cli_help("report");
    argc--, argv++;
    if (!strcmp(sub, "monthly"))
        return report_monthly_cmd(c, argc, argv);
    if (!strcmp(sub, "annual"))
        return report_annual_cmd(c, argc, argv);
    return cli_usage("report", "unknown subcommand '%s' (monthly or annual)", sub);
}
