/* tt_weblog.c - `testtool gen-weblog`: a deterministic synthetic access log for the demo
 * portal and the e2e tests (tests/lib/fixture_weblog.c), with its truth as JSON.
 *
 *   testtool gen-weblog [--year Y] [--days N] [--lines-per-day N] [--seed S]
 *                       [--columns columns.csv --host HOST] [--monthly] -o PATH
 *
 * Without --monthly PATH is one file.  With it, PATH is a directory that gets one file per
 * month as logrotate leaves them: access.log-YYYYMM.gz for every month but the last, and
 * access.log for the last.  The truth (page views and visitors per month and year) goes
 * to standard output.
 */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <zlib.h>

#include "core/csv.h"
#include "core/date.h"
#include "core/str.h"
#include "core/url.h"
#include "fixture_weblog.h"
#include "testtool.h"

struct monthly {
    const char *dir;
    int cur_month;  /* month of the open file, 0 none */
    int last_month; /* the last month generated (plain file) */
    int year;
    FILE *f; /* a plain file, or a pipe into a gzip writer (tmpfile) */
    char path[4096];
    int err;
};

/* Compress the finished month file into PATH.gz and remove the plain copy. */
static int gzip_file(const char *path)
{
    char gzpath[4200];
    snprintf(gzpath, sizeof(gzpath), "%s.gz", path);
    FILE *in = fopen(path, "rb");
    gzFile out = gzopen(gzpath, "wb6");
    if (!in || !out) {
        if (in)
            fclose(in);
        if (out)
            gzclose(out);
        return -1;
    }
    char buf[1 << 16];
    size_t n;
    int rc = 0;
    while ((n = fread(buf, 1, sizeof(buf), in)) > 0)
        if (gzwrite(out, buf, (unsigned)n) != (int)n)
            rc = -1;
    fclose(in);
    if (gzclose(out) != Z_OK)
        rc = -1;
    if (!rc)
        remove(path);
    return rc;
}

static FILE *split_monthly(void *ctx, int day_index, int32_t civil)
{
    (void)day_index;
    struct monthly *m = ctx;
    int y, mo, d;
    date_to_ymd(civil, &y, &mo, &d);
    if (mo == m->cur_month && m->f)
        return m->f;
    if (m->f) {
        if (fclose(m->f))
            return NULL;
        m->f = NULL;
        if (gzip_file(m->path))
            return NULL;
    }
    m->cur_month = mo;
    if (mo == m->last_month)
        snprintf(m->path, sizeof(m->path), "%s/access.log", m->dir);
    else
        snprintf(m->path, sizeof(m->path), "%s/access.log-%04d%02d", m->dir, y, mo);
    m->f = fopen(m->path, "wb");
    return m->f;
}

/* Column directories of the site at `host` from a columns.csv (url field). */
static char **load_dirs(const char *csvpath, const char *host, size_t *n)
{
    struct csv c;
    struct err e = { 0 };
    char **dirs = NULL;
    *n = 0;
    if (csv_open(&c, csvpath, &e)) {
        fprintf(stderr, "%s\n", err_msg(&e));
        return NULL;
    }
    int iu = -1;
    bool header = true;
    while (csv_next(&c, &e) > 0) {
        if (header) {
            iu = csv_find(&c, "url|网址");
            header = false;
            continue;
        }
        if (iu < 0 || (size_t)iu >= c.nf)
            continue;
        char h[256];
        const char *url = c.f[iu];
        if (!url_host(url, h, sizeof(h)) || strcmp(h, host))
            continue;
        const char *p = url_path(url);
        size_t k = strlen(p);
        while (k && p[k - 1] != '/')
            k--;
        if (k <= 1)
            continue;
        dirs = realloc(dirs, (*n + 1) * sizeof(char *));
        dirs[(*n)++] = strndup(p, k);
    }
    csv_close(&c);
    return dirs;
}

static int tt_gen_weblog(int argc, char **argv)
{
    static const struct option opts[] = { { "year", required_argument, NULL, 'y' },
                                          { "days", required_argument, NULL, 'd' },
                                          { "lines-per-day", required_argument, NULL, 'l' },
                                          { "seed", required_argument, NULL, 's' },
                                          { "columns", required_argument, NULL, 'c' },
                                          { "host", required_argument, NULL, 'H' },
                                          { "monthly", no_argument, NULL, 'm' },
                                          { "visitors", required_argument, NULL, 'v' },
                                          { NULL, 0, NULL, 0 } };
    struct fx_weblog_opts o = {
        .year = 2018, .days = 365, .lines_per_day = 300, .seed = 1, .visitors = 20000
    };
    const char *out = NULL, *cols = NULL, *host = NULL;
    bool monthly = false;
    int c;
    int64_t v;
    optind = 0;
    while ((c = getopt_long(argc, argv, "o:", opts, NULL)) != -1) {
        switch (c) {
        case 'o':
            out = optarg;
            break;
        case 'y':
            if (!cstr_to_int(optarg, 1970, 9999, &o.year))
                return 2;
            break;
        case 'd':
            if (!cstr_to_int(optarg, 1, 366, &o.days))
                return 2;
            break;
        case 'l':
            if (!cstr_to_int(optarg, 1, 10000000, &o.lines_per_day))
                return 2;
            break;
        case 'v':
            if (!cstr_to_int(optarg, 1, 100000000, &o.visitors))
                return 2;
            break;
        case 's':
            if (!cstr_to_i64(optarg, &v))
                return 2;
            o.seed = (uint64_t)v;
            break;
        case 'c':
            cols = optarg;
            break;
        case 'H':
            host = optarg;
            break;
        case 'm':
            monthly = true;
            break;
        default:
            return 2;
        }
    }
    if (!out || (cols && !host)) {
        fprintf(stderr,
                "usage: testtool gen-weblog [--year Y] [--days N] [--lines-per-day N] "
                "[--seed S] [--visitors N] [--columns CSV --host HOST] [--monthly] -o PATH\n");
        return 2;
    }
    size_t ndirs = 0;
    char **dirs = cols ? load_dirs(cols, host, &ndirs) : NULL;
    if (cols && !dirs) {
        fprintf(stderr, "no column URLs for host %s in %s\n", host, cols);
        return 1;
    }
    o.dirs = (const char *const *)dirs;
    o.ndirs = ndirs;
    struct fx_weblog_truth t;
    int rc;
    if (monthly) {
        mkdir(out, 0755);
        int y, mo, d;
        date_to_ymd(date_from_ymd(o.year, 1, 1) + o.days - 1, &y, &mo, &d);
        struct monthly m = { .dir = out, .last_month = mo, .year = o.year };
        rc = fx_weblog_write(NULL, &o, split_monthly, &m, &t);
        if (m.f && fclose(m.f))
            rc = -1;
    } else {
        FILE *f = fopen(out, "wb");
        if (!f) {
            perror(out);
            return 1;
        }
        rc = fx_weblog_write(f, &o, NULL, NULL, &t);
        if (fclose(f))
            rc = -1;
    }
    for (size_t i = 0; i < ndirs; i++)
        free(dirs[i]);
    free(dirs);
    if (rc) {
        fprintf(stderr, "cannot write %s\n", out);
        return 1;
    }
    printf("{\"lines\": %lld, \"pageviews\": %lld, \"visitors\": %lld, \"visitor_days\": %lld, "
           "\"bot_lines\": %lld, \"months\": [",
           (long long)t.lines, (long long)t.pageviews, (long long)t.visitors,
           (long long)t.visitor_days, (long long)t.bot_lines);
    for (int i = 0; i < 12; i++)
        printf("%s{\"month\": %d, \"pageviews\": %lld, \"visitors\": %lld}", i ? ", " : "", i + 1,
               (long long)t.pageviews_month[i], (long long)t.visitors_month[i]);
    printf("]}\n");
    return 0;
}

const struct tt_cmd weblog_cmds[] = {
    { "gen-weblog", tt_gen_weblog,
      "[--year Y] [--days N] [--lines-per-day N] [--seed S] [--columns CSV --host HOST] "
      "[--monthly] -o PATH" },
    { NULL, NULL, NULL },
};
