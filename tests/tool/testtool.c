/* testtool.c - internals exposed to the e2e scripts (git's test-tool), so the product
 * CLI carries no debug subcommands.
 *
 *   testtool normalize-url URL [BASE]     print the normal form (or the error)
 *   testtool parse-time TEXT              print ISO 8601 (China time)
 *   testtool csv-dump FILE                print each record as line:field|field
 *
 * Other modules add their own subcommands to the table below (fixture servers, site
 * generators, crash writers).  Usage errors exit 2, failures 1.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/date.h"
#include "core/url.h"
#include "testtool.h"

static int tt_normalize_url(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    char *out = NULL;
    struct err e = { 0 };
    enum rc rc = argc > 2 ? url_resolve(argv[2], argv[1], &out, &e) : url_normalize(argv[1], &out, &e);
    if (rc) {
        fprintf(stderr, "%s\n", err_msg(&e));
        return 1;
    }
    printf("%s\n", out);
    free(out);
    return 0;
}

static int tt_parse_time(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    int64_t t;
    if (!time_parse(argv[1], TZ_CST, &t, NULL)) {
        fprintf(stderr, "cannot parse '%s'\n", argv[1]);
        return 1;
    }
    char s[32];
    time_fmt_iso(t, TZ_CST, s);
    printf("%s\n", s);
    return 0;
}

static int tt_csv_dump(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    struct csv c;
    struct err e = { 0 };
    if (csv_open(&c, argv[1], &e)) {
        fprintf(stderr, "%s\n", err_msg(&e));
        return 1;
    }
    int r;
    while ((r = csv_next(&c, &e)) > 0) {
        printf("%ld:", c.line);
        for (size_t i = 0; i < c.nf; i++)
            printf("%s%s", i ? "|" : "", c.f[i]);
        printf("\n");
    }
    csv_close(&c);
    if (r < 0) {
        fprintf(stderr, "%s\n", err_msg(&e));
        return 1;
    }
    return 0;
}

static const struct tt_cmd core_cmds[] = {
    { "normalize-url", tt_normalize_url, "URL [BASE]" },
    { "parse-time", tt_parse_time, "TEXT" },
    { "csv-dump", tt_csv_dump, "FILE" },
    { NULL, NULL, NULL },
};

/* Every module's table; add yours here (and declare it in testtool.h). */
static const struct tt_cmd *const tables[] = {
    core_cmds,
    web_cmds,
    weblog_cmds,
    report_cmds,
    cases_cmds,
    checks_cmds,
    crawl_cmds,
    demo_cmds,
    NULL,
};

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: testtool COMMAND [ARGS]\n");
        for (int t = 0; tables[t]; t++)
            for (const struct tt_cmd *k = tables[t]; k->name; k++)
                fprintf(stderr, "  %s %s\n", k->name, k->args);
        return 2;
    }
    for (int t = 0; tables[t]; t++)
        for (const struct tt_cmd *k = tables[t]; k->name; k++)
            if (!strcmp(k->name, argv[1]))
                return k->fn(argc - 1, argv + 1);
    fprintf(stderr, "testtool: unknown command '%s'\n", argv[1]);
    return 2;
}
