/* tt_cases.c - testtool subcommands of the work-items module.
 *
 *   testtool gen-cases KIND [--month YYYY-MM] [--as-of TIME] [--total N] [--on-time N]
 *                           [--late N] [--overdue N] [--units UNITS.csv] [--sites SITES.csv]
 *
 * prints a month of work items of KIND as the CSV export fixture_cases.h describes, with
 * the seed's figures by default (November 2018, as of 2018-12-01 23:59:59).  --units takes
 * the units of a registry CSV (departments, agencies and districts, by short name);
 * --sites the sites of one (error reports go to the site's unit).
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "fixture_cases.h"
#include "testtool.h"

/* Column `col` (and, when `col2` is given, that one too) of the rows of a registry CSV
 * whose `kind` column (when named) is one of `kinds`. */
static int read_column(const char *path, const char *col, const char *col2, const char *kinds,
                       char ***out, char ***out2, size_t *n)
{
    struct csv c;
    struct err e = { 0 };
    if (csv_open(&c, path, &e)) {
        fprintf(stderr, "%s\n", err_msg(&e));
        return 1;
    }
    *out = NULL;
    *n = 0;
    if (out2)
        *out2 = NULL;
    int i = -1, i2 = -1, ik = -1, r;
    if ((r = csv_next(&c, &e)) > 0) {
        i = csv_find(&c, col);
        i2 = col2 ? csv_find(&c, col2) : -1;
        ik = kinds ? csv_find(&c, "kind") : -1;
    }
    while (i >= 0 && (r = csv_next(&c, &e)) > 0) {
        if (ik >= 0 && (size_t)ik < c.nf && !strstr(kinds, c.f[ik]))
            continue;
        if ((size_t)i >= c.nf || !c.f[i][0])
            continue;
        *out = xrealloc(*out, (*n + 1) * sizeof(char *));
        (*out)[*n] = xstrdup(c.f[i]);
        if (out2) {
            *out2 = xrealloc(*out2, (*n + 1) * sizeof(char *));
            (*out2)[*n] = xstrdup(i2 >= 0 && (size_t)i2 < c.nf ? c.f[i2] : "");
        }
        (*n)++;
    }
    csv_close(&c);
    if (r < 0 || i < 0) {
        fprintf(stderr, "%s: %s\n", path, r < 0 ? err_msg(&e) : "no such column");
        return 1;
    }
    return 0;
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; v && i < n; i++)
        free(v[i]);
    free(v);
}

static int tt_gen_cases(int argc, char **argv)
{
    static const struct option opts[] = {
        { "month", required_argument, NULL, 'm' },
        { "as-of", required_argument, NULL, 'a' },
        { "total", required_argument, NULL, 't' },
        { "on-time", required_argument, NULL, 'o' },
        { "late", required_argument, NULL, 'l' },
        { "overdue", required_argument, NULL, 'v' },
        { "units", required_argument, NULL, 'u' },
        { "sites", required_argument, NULL, 's' },
        { NULL, 0, NULL, 0 },
    };
    if (argc < 2)
        return 2;
    enum case_kind k;
    if (!case_kind_parse(argv[1], &k)) {
        fprintf(stderr, "unknown kind '%s'\n", argv[1]);
        return 2;
    }
    struct fixture_cases f;
    fixture_cases_seed(k, &f);
    const char *units = NULL, *sites = NULL;
    int o;
    optind = 0;
    while ((o = getopt_long(argc - 1, argv + 1, "", opts, NULL)) != -1) {
        int64_t t;
        int32_t first, next;
        int *dst = o == 't'   ? &f.total
                   : o == 'o' ? &f.on_time
                   : o == 'l' ? &f.late
                   : o == 'v' ? &f.overdue
                              : NULL;
        if (dst) {
            if (!cstr_to_int(optarg, 0, 100000, dst))
                return 2;
        } else if (o == 'm') {
            if (!date_parse_month(optarg, &first, &next))
                return 2;
            f.month = first;
            f.as_of = time_from_date(next, 86399, TZ_CST);
        } else if (o == 'a') {
            if (!time_parse(optarg, TZ_CST, &t, NULL))
                return 2;
            f.as_of = t;
        } else if (o == 'u') {
            units = optarg;
        } else if (o == 's') {
            sites = optarg;
        } else {
            return 2;
        }
    }
    char **uv = NULL, **sv = NULL, **su = NULL;
    size_t nu = 0, ns = 0;
    int r = 1;
    if (units &&
        read_column(units, "short_name|简称", NULL, "department agency district", &uv, NULL, &nu))
        goto out;
    if (sites && read_column(sites, "name|网站名称", "unit|单位", NULL, &sv, &su, &ns))
        goto out;
    static const char *const none[] = { "示范市人民政府办公室" };
    f.units = uv ? (const char *const *)uv : none;
    f.nunits = uv ? nu : 1;
    f.sites = (const char *const *)sv;
    f.site_units = (const char *const *)su;
    f.nsites = k == CASE_ERROR_REPORT ? ns : 0;
    struct err e = { 0 };
    struct clk clk;
    clk_init(&clk);
    struct case_ctx x;
    if (case_ctx_init(&x, NULL, NULL, &clk, &e)) {
        fprintf(stderr, "%s\n", err_msg(&e));
        goto out;
    }
    struct buf b = BUF_INIT;
    const struct deadline_rule *rule = case_rule_for(&x, k, time_from_date(f.month, 0, TZ_CST));
    if (fixture_cases_csv(x.cal, rule, &f, &b, &e)) {
        fprintf(stderr, "%s\n", err_msg(&e));
    } else {
        fwrite(b.p, 1, b.n, stdout);
        r = 0;
    }
    buf_release(&b);
    case_ctx_release(&x);
out:
    free_list(uv, nu);
    free_list(sv, ns);
    free_list(su, ns);
    return r;
}

const struct tt_cmd cases_cmds[] = {
    { "gen-cases", tt_gen_cases,
      "KIND [--month YYYY-MM] [--as-of TIME] [--total N] [--on-time N] [--late N] [--overdue N] "
      "[--units UNITS.csv] [--sites SITES.csv]" },
    { NULL, NULL, NULL },
};
