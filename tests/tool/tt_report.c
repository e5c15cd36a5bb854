/* tt_report.c - testtool subcommands of the report renderers.
 *
 *   testtool report-sample FORMAT [FILE]           the seed-shaped 函 (docx|html|md|xlsx)
 *   testtool report-hostile FORMAT LAYOUT [FILE]   text needing every escape; letter|file|plain
 *
 *   testtool gen-articles [--month YYYY-MM] [--units U=N,...] [--total N] [--history N]
 *                                                  articles of a complete crawl of every
 *                                                  site with columns, in $GOVSITE_DB (default:
 *                                                  the seed's November 2018 figures)
 *
 * Without FILE the bytes go to stdout.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/str.h"
#include "fixture_report.h"
#include "report/report.h"
#include "testtool.h"

static int write_doc(struct doc *d, const char *format, const char *file)
{
    const struct report_format *f = report_format_find(format);
    if (!f) {
        fprintf(stderr, "unknown format '%s'; use %s\n", format, report_format_names());
        doc_free(d);
        return 2;
    }
    struct buf out = BUF_INIT;
    struct err e = { 0 };
    enum rc rc = f->render(d, &out, &e);
    if (!rc)
        rc = buf_write_file(&out, file ? file : "-", &e);
    buf_release(&out);
    doc_free(d);
    if (rc) {
        fprintf(stderr, "%s\n", err_msg(&e));
        return 1;
    }
    return 0;
}

static int tt_report_sample(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    struct err e = { 0 };
    struct doc *d = fixture_report_sample(&e);
    if (!d) {
        fprintf(stderr, "%s\n", err_msg(&e));
        return 1;
    }
    return write_doc(d, argv[1], argc > 2 ? argv[2] : NULL);
}

static int tt_report_hostile(int argc, char **argv)
{
    if (argc < 3)
        return 2;
    enum doc_layout l;
    if (!strcmp(argv[2], "letter"))
        l = DOC_LAYOUT_LETTER;
    else if (!strcmp(argv[2], "file"))
        l = DOC_LAYOUT_FILE;
    else if (!strcmp(argv[2], "plain"))
        l = DOC_LAYOUT_PLAIN;
    else
        return 2;
    return write_doc(fixture_report_hostile(l), argv[1], argc > 3 ? argv[3] : NULL);
}

static int tt_gen_articles(int argc, char **argv)
{
    static const struct option opts[] = { { "month", required_argument, NULL, 'm' },
                                          { "units", required_argument, NULL, 'u' },
                                          { "total", required_argument, NULL, 't' },
                                          { "history", required_argument, NULL, 'H' },
                                          { NULL, 0, NULL, 0 } };
    struct fixture_articles f;
    fixture_articles_seed(&f);
    const char *names[64];
    int64_t counts[64];
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "", opts, NULL)) != -1) {
        int32_t next;
        switch (o) {
        case 'm':
            if (!date_parse_month(optarg, &f.month, &next))
                return 2;
            f.started_at = time_from_date(next - 1, 2 * 3600, TZ_CST);
            break;
        case 'u': {
            f.n = 0;
            char *save = NULL;
            for (char *tok = strtok_r(optarg, ",", &save); tok && f.n < 64;
                 tok = strtok_r(NULL, ",", &save)) {
                char *eq = strchr(tok, '=');
                if (!eq || !cstr_to_i64(eq + 1, &counts[f.n]))
                    return 2;
                *eq = 0;
                names[f.n++] = tok;
            }
            f.units = names;
            f.counts = counts;
            break;
        }
        case 't':
            if (!cstr_to_i64(optarg, &f.total))
                return 2;
            break;
        case 'H':
            if (!cstr_to_i64(optarg, &f.history))
                return 2;
            break;
        default:
            return 2;
        }
    }
    const char *dsn = getenv("GOVSITE_DB");
    struct store *db = NULL;
    struct err e = { 0 };
    if (store_open(dsn ? dsn : "govsite.db", &db, &e) || store_migrate(db, &e) ||
        fixture_articles_load(db, &f, &e)) {
        fprintf(stderr, "testtool gen-articles: %s\n", err_msg(&e));
        store_close(db);
        return 1;
    }
    store_close(db);
    return 0;
}

const struct tt_cmd report_cmds[] = {
    { "gen-articles", tt_gen_articles, "[--month YYYY-MM] [--units U=N,...] [--total N] [--history N]" },
    { "report-sample", tt_report_sample, "docx|html|md|xlsx [FILE]" },
    { "report-hostile", tt_report_hostile, "docx|html|md|xlsx letter|file|plain [FILE]" },
    { NULL, NULL, NULL },
};
