/* cmd_weblog.c - `govsite weblog ingest|stats|files`: visits from access logs. */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/notes.h"
#include "core/str.h"
#include "reg/reg.h"
#include "weblog/weblog.h"

/* Open the database and find SITE; 0 on success, else the exit code (error printed). */
static int open_site(struct cli *c, const char *site, struct store **db, int64_t *site_id)
{
    *db = cli_db(c);
    if (!*db)
        return 1;
    struct err e = { 0 };
    if (site && reg_site_lookup(*db, site, site_id, &e))
        return cli_fail(c, &e);
    return 0;
}

static void ingest_progress(void *ctx, const char *path, uint64_t done, uint64_t total)
{
    struct cli *c = ctx;
    if (total)
        cli_progress(c, "%s: %.0f%% (%" PRIu64 " MiB)", path, 100.0 * (double)done / (double)total,
                     done >> 20);
    else
        cli_progress(c, "%s: %" PRIu64 " MiB", path, done >> 20);
}

static void day_range(char *out, size_t n, int32_t a, int32_t b)
{
    char x[11], y[11];
    if (a == DATE_NONE) {
        snprintf(out, n, "no entries");
        return;
    }
    date_fmt(a, x);
    date_fmt(b, y);
    snprintf(out, n, "%s … %s", x, y);
}

static void ingest_json(struct buf *b, const char *site, const struct wl_ingest_result *r,
                        const struct notes *bad)
{
    struct jw w;
    jw_init(&w, b, true);
    jw_obj(&w);
    jw_kstr(&w, "site", site);
    jw_kint(&w, "lines", r->lines);
    jw_kint(&w, "bad_lines", r->bad_lines);
    jw_kint(&w, "hits", r->hits);
    jw_kint(&w, "pageviews", r->pageviews);
    jw_kint(&w, "bytes_read", r->bytes_read);
    jw_kdate(&w, "first_day", r->first_day);
    jw_kdate(&w, "last_day", r->last_day);
    jw_key(&w, "files");
    jw_arr(&w);
    for (size_t i = 0; i < r->nfiles; i++) {
        const struct wl_file_result *f = &r->files[i];
        jw_obj(&w);
        jw_kstr(&w, "path", f->path);
        jw_kstr(&w, "state", wl_file_state_name(f->state));
        jw_kbool(&w, "compressed", f->compressed);
        jw_kstr(&w, "format", f->format);
        jw_kint(&w, "from", (int64_t)f->from);
        jw_kint(&w, "to", (int64_t)f->to);
        jw_kint(&w, "lines", f->lines);
        jw_kint(&w, "bad_lines", f->bad_lines);
        jw_kint(&w, "hits", f->hits);
        jw_kint(&w, "pageviews", f->pageviews);
        jw_kdate(&w, "first_day", f->first_day);
        jw_kdate(&w, "last_day", f->last_day);
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "bad");
    jw_arr(&w);
    for (size_t i = 0; i < bad->n; i++)
        jw_str(&w, bad->v[i]);
    jw_end(&w);
    jw_end(&w);
    jw_finish(&w);
}

static int weblog_ingest(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "site", required_argument, NULL, 's' },
                                          { "format", required_argument, NULL, 'f' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *site = NULL, *format = NULL;
    bool json = false;
    int o;
    while ((o = getopt_long(argc, argv, "hs:f:", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            site = optarg;
            break;
        case 'f':
            format = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help("weblog");
        default:
            return cli_usage("weblog", "unknown option for ingest");
        }
    }
    if (!site)
        return cli_usage("weblog", "ingest needs --site SITE");
    if (optind >= argc)
        return cli_usage("weblog", "ingest needs at least one log FILE");
    struct store *db;
    int64_t site_id;
    int r0 = open_site(c, site, &db, &site_id);
    if (r0)
        return r0;
    struct err e = { 0 };
    struct wl_config cfg;
    if (wl_config_load(&cfg, &c->conf, &e))
        return cli_fail(c, &e);
    struct wl_ingest_opts io = {
        .format = format, .clk = &c->clk, .progress = ingest_progress, .progress_ctx = c
    };
    struct wl_ingest_result r;
    struct notes bad = NOTES_INIT;
    enum rc rc = wl_ingest(db, site_id, &cfg, (const char *const *)argv + optind,
                           (size_t)(argc - optind), &io, &r, &bad, &e);
    cli_progress_done(c);
    wl_config_release(&cfg);
    if (rc) {
        cli_print_notes(&bad);
        notes_release(&bad);
        return cli_fail(c, &e);
    }
    char *label = reg_site_label(db, site_id);
    int ret = 0;
    if (json) {
        struct buf b = BUF_INIT;
        ingest_json(&b, label, &r, &bad);
        ret = cli_out(c, &b);
        buf_release(&b);
    } else {
        for (size_t i = 0; i < r.nfiles; i++) {
            const struct wl_file_result *f = &r.files[i];
            char days[64];
            day_range(days, sizeof(days), f->first_day, f->last_day);
            if (f->state == WL_FILE_NEW || f->state == WL_FILE_RESUMED)
                printf("%s: %s%s at byte %" PRIu64 ": %" PRId64 " lines (%" PRId64 " bad), %" PRId64
                       " page views, %s\n",
                       f->path, wl_file_state_name(f->state), f->compressed ? " (gzip)" : "",
                       f->from, f->lines, f->bad_lines, f->pageviews, days);
            else
                printf("%s: %s%s, nothing new (read before up to byte %" PRIu64 ")\n", f->path,
                       wl_file_state_name(f->state), f->compressed ? " (gzip)" : "", f->to);
        }
        if (!c->quiet)
            printf("%s: %zu file(s), %" PRId64 " lines (%" PRId64 " bad), %" PRId64 " page views\n",
                   label, r.nfiles, r.lines, r.bad_lines, r.pageviews);
        if (bad.n) {
            fprintf(stderr, "bad lines (counted, not fatal):\n");
            cli_print_notes(&bad);
        }
    }
    free(label);
    notes_release(&bad);
    wl_ingest_result_release(&r);
    return ret;
}

static void fmt_int(char *out, size_t n, int64_t v)
{
    snprintf(out, n, "%" PRId64, v);
}

static void stats_text(struct buf *b, const struct wl_stats *s, const char *label)
{
    char f[11] = "-", t[11] = "-";
    if (s->from != DATE_NONE) {
        date_fmt(s->from, f);
        date_fmt(s->to, t);
    }
    const struct wl_counts *c = &s->total;
    buf_addf(b, "%s  %s … %s\n", label, f, t);
    buf_addf(b, "  网站总访问量 (page views)          %" PRId64 "\n", c->pageviews);
    buf_addf(b, "  独立用户访问总量 (unique visitors)  %" PRId64 "\n", c->visitors);
    buf_addf(b, "  visitor-days (sum of daily)         %" PRId64 "\n", c->visitor_days);
    buf_addf(b,
             "  hits %" PRId64 ", bot hits %" PRId64 ", 4xx %" PRId64 ", 5xx %" PRId64
             ", GoAccess-style visitors %" PRId64 "\n",
             c->hits, c->bot_hits, c->status_4xx, c->status_5xx, c->all_visitors);
}

static void stats_table(const struct wl_stats *s)
{
    const char *h[] = { s->by == WL_BY_COLUMN  ? "栏目"
                        : s->by == WL_BY_MONTH ? "月份"
                                               : "日期",
                        "访问量", "独立用户", "请求" };
    struct table *tb = table_new(4, h);
    for (size_t i = 0; i < s->nrows; i++) {
        const struct wl_row *r = &s->rows[i];
        char k[512], a[32], v[32], x[32];
        if (s->by == WL_BY_COLUMN) {
            snprintf(k, sizeof(k), "%s", r->column ? r->column : "(不属于任何栏目)");
            snprintf(x, sizeof(x), "-");
        } else {
            date_fmt(r->day, k);
            if (s->by == WL_BY_MONTH)
                k[7] = 0;
            fmt_int(x, sizeof(x), r->c.hits);
        }
        fmt_int(a, sizeof(a), r->c.pageviews);
        fmt_int(v, sizeof(v), r->c.visitors);
        table_addf(tb, k, a, v, x);
    }
    table_print(tb, stdout);
    table_free(tb);
}

static int weblog_stats(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "site", required_argument, NULL, 's' },
                                          { "from", required_argument, NULL, 'F' },
                                          { "to", required_argument, NULL, 'T' },
                                          { "year", required_argument, NULL, 'y' },
                                          { "month", required_argument, NULL, 'm' },
                                          { "by", required_argument, NULL, 'b' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *site = NULL;
    int32_t from = DATE_NONE, to = DATE_NONE;
    enum wl_by by = WL_BY_NONE;
    bool json = false;
    int o, year;
    while ((o = getopt_long(argc, argv, "hs:", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            site = optarg;
            break;
        case 'F':
            if (!cli_date(c, "--from", optarg, &from))
                return 2;
            break;
        case 'T':
            if (!cli_date(c, "--to", optarg, &to))
                return 2;
            break;
        case 'y':
            if (!cstr_to_int(optarg, 1900, 9999, &year))
                return cli_usage("weblog", "--year '%s' is not a year", optarg);
            from = date_from_ymd(year, 1, 1);
            to = date_from_ymd(year, 12, 31);
            break;
        case 'm': {
            int32_t next;
            if (!date_parse_month(optarg, &from, &next))
                return cli_usage("weblog", "--month '%s' is not a month; use YYYY-MM", optarg);
            to = next - 1;
            break;
        }
        case 'b':
            if (!wl_by_parse(optarg, &by))
                return cli_usage("weblog", "--by must be day, month or column, not '%s'", optarg);
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help("weblog");
        default:
            return cli_usage("weblog", "unknown option for stats");
        }
    }
    if (!site)
        return cli_usage("weblog", "stats needs --site SITE");
    if (optind != argc)
        return cli_usage("weblog", "unexpected argument '%s'", argv[optind]);
    struct store *db;
    int64_t site_id;
    int r0 = open_site(c, site, &db, &site_id);
    if (r0)
        return r0;
    struct err e = { 0 };
    struct wl_stats s;
    if (wl_stats(db, site_id, from, to, by, &s, &e))
        return cli_fail(c, &e);
    char *label = reg_site_label(db, site_id);
    struct buf b = BUF_INIT;
    int ret;
    if (json) {
        struct jw w;
        jw_init(&w, &b, true);
        wl_stats_json(&s, label, &w);
        jw_finish(&w);
        ret = cli_out(c, &b);
    } else {
        stats_text(&b, &s, label);
        ret = cli_out(c, &b);
        if (!ret && by != WL_BY_NONE)
            stats_table(&s);
    }
    buf_release(&b);
    free(label);
    wl_stats_release(&s);
    return ret;
}

static int weblog_files(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "site", required_argument, NULL, 's' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *site = NULL;
    bool json = false;
    int o;
    while ((o = getopt_long(argc, argv, "hs:", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            site = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help("weblog");
        default:
            return cli_usage("weblog", "unknown option for files");
        }
    }
    if (optind != argc)
        return cli_usage("weblog", "unexpected argument '%s'", argv[optind]);
    struct store *db;
    int64_t site_id = 0;
    int r0 = open_site(c, site, &db, &site_id);
    if (r0)
        return r0;
    struct err e = { 0 };
    struct wl_file *v;
    size_t n;
    if (wl_files(db, site_id, &v, &n, &e))
        return cli_fail(c, &e);
    int ret = 0;
    if (json) {
        struct buf b = BUF_INIT;
        struct jw w;
        jw_init(&w, &b, true);
        jw_arr(&w);
        for (size_t i = 0; i < n; i++) {
            jw_obj(&w);
            jw_kstr(&w, "site", v[i].site);
            jw_kstr(&w, "path", v[i].path);
            jw_kstr(&w, "format", v[i].format);
            jw_kbool(&w, "compressed", v[i].compressed);
            jw_kint(&w, "offset", v[i].read_to);
            jw_kint(&w, "lines", v[i].lines);
            jw_kint(&w, "bad_lines", v[i].bad_lines);
            jw_kint(&w, "dev", v[i].dev);
            jw_kint(&w, "inode", v[i].ino);
            char hh[17];
            snprintf(hh, sizeof(hh), "%016" PRIx64, v[i].head_hash);
            jw_kstr(&w, "head_hash", hh);
            jw_kint(&w, "head_bytes", v[i].head_len);
            jw_ktime(&w, "first_entry", v[i].first_at, c->clk.tzoff);
            jw_ktime(&w, "last_entry", v[i].last_at, c->clk.tzoff);
            jw_ktime(&w, "ingested_at", v[i].ingested_at, c->clk.tzoff);
            jw_end(&w);
        }
        jw_end(&w);
        jw_finish(&w);
        ret = cli_out(c, &b);
        buf_release(&b);
    } else {
        const char *h[] = { "网站", "文件", "格式", "已读字节", "行数", "错误行", "读取时间" };
        struct table *tb = table_new(7, h);
        for (size_t i = 0; i < n; i++) {
            char off[32], lines[32], badl[32], at[20];
            fmt_int(off, sizeof(off), v[i].read_to);
            fmt_int(lines, sizeof(lines), v[i].lines);
            fmt_int(badl, sizeof(badl), v[i].bad_lines);
            time_fmt_local(v[i].ingested_at, c->clk.tzoff, at);
            const char *fm = v[i].format;
            table_addf(tb, v[i].site, v[i].path,
                       !strncmp(fm, "#Fields:", 8) ? "iis"
                       : strlen(fm) > 24           ? "custom"
                                                   : fm,
                       off, lines, badl, at);
        }
        table_print(tb, stdout);
        table_free(tb);
    }
    wl_files_free(v, n);
    return ret;
}

int cmd_weblog(struct cli *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("weblog", "missing subcommand (ingest, stats or files)");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help"))
        return cli_help("weblog");
    argc--, argv++;
    if (!strcmp(sub, "ingest"))
        return weblog_ingest(c, argc, argv);
    if (!strcmp(sub, "stats"))
        return weblog_stats(c, argc, argv);
    if (!strcmp(sub, "files"))
        return weblog_files(c, argc, argv);
    return cli_usage("weblog", "unknown subcommand '%s'", sub);
}
