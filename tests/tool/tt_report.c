/* tt_report.c - testtool subcommands of the report renderers.
 *
 *   testtool report-sample FORMAT [FILE]           the seed-shaped 函 (docx|html|md|xlsx)
 *   testtool report-hostile FORMAT LAYOUT [FILE]   text needing every escape; letter|file|plain
 *
 * Without FILE the bytes go to stdout.
 */
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
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

const struct tt_cmd report_cmds[] = {
    { "report-sample", tt_report_sample, "docx|html|md|xlsx [FILE]" },
    { "report-hostile", tt_report_hostile, "docx|html|md|xlsx letter|file|plain [FILE]" },
    { NULL, NULL, NULL },
};
