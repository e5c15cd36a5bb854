/* cmd_wording.c - `govsite wording list|add|remove|enable|check|scan`: the dictionary of
 * wrong → right forms and a scanner for text files. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "checks/wording.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/charset.h"
#include "core/date.h"
#include "core/map.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define SCAN_FILE_MAX (1u << 30)
#define SCAN_CHUNK    (1u << 20)
#define SNIFF         (64u << 10)

/* The database, when there is one: scanning a file must not create govsite.db. */
static struct store *existing_db(struct cli *c)
{
    struct stat st;
    if (!store_dsn_is_pg(c->db_dsn) && strcmp(c->db_dsn, ":memory:") && stat(c->db_dsn, &st))
        return NULL;
    return cli_db(c);
}

/* Load the dictionary: built-in, data-directory and database entries unless `only_extra`,
 * then the extra files.  Bad rows are printed as warnings. */
static int load_dict(struct cli *c, bool with_db, bool only_extra, char **extra, size_t nextra,
                     struct wording_dict **out, struct notes *bad)
{
    struct wording_dict *d = wording_dict_new();
    struct err e = { 0 };
    struct store *db = with_db && !only_extra ? existing_db(c) : NULL;
    enum rc rc = only_extra ? RC_OK : wording_dict_load(d, db, bad, &e);
    for (size_t i = 0; i < nextra && !rc; i++) {
        struct buf b;
        buf_init(&b, WORDING_FILE_MAX + 1);
        rc = buf_read_file(&b, extra[i], &e);
        if (!rc)
            rc = wording_dict_parse(d, extra[i], buf_cstr(&b), b.n, WORDING_FILE, NULL, bad, &e);
        buf_release(&b);
    }
    if (rc) {
        wording_dict_free(d);
        return cli_fail(c, &e);
    }
    *out = d;
    return -1;
}

static void date_or_empty(int32_t d, char out[11])
{
    if (d == DATE_NONE)
        out[0] = 0;
    else
        date_fmt(d, out);
}

/* ---- list ------------------------------------------------------------------------ */

static int wording_list(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        { "as-of", required_argument, NULL, 'a' }, { "source", required_argument, NULL, 's' },
        { "json", no_argument, NULL, 'j' },        { "tsv", no_argument, NULL, 't' },
        { "help", no_argument, NULL, 'h' },        { NULL, 0, NULL, 0 }
    };
    const char *as_of = NULL, *source = NULL;
    bool json = false, tsv = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'a':
            as_of = optarg;
            break;
        case 's':
            source = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 't':
            tsv = true;
            break;
        case 'h':
            return cli_help("wording");
        default:
            return cli_usage("wording", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("wording", "unexpected argument '%s'", argv[optind]);
    int want = -1;
    if (source) {
        if (!strcmp(source, "db"))
            want = WORDING_DB;
        else if (!strcmp(source, "file") || !strcmp(source, "files"))
            want = WORDING_FILE;
        else if (!strcmp(source, "builtin"))
            want = WORDING_BUILTIN;
        else
            return cli_usage("wording", "--source is db, file or builtin");
    }
    int32_t day = DATE_NONE;
    if (as_of && !cli_date(c, "--as-of", as_of, &day))
        return 1;
    struct wording_dict *d;
    struct notes bad = NOTES_INIT;
    int r = load_dict(c, true, false, NULL, 0, &d, &bad);
    cli_print_notes(&bad);
    notes_release(&bad);
    if (r >= 0)
        return r;
    wording_dict_compile(d); /* sorts by priority */
    static const char *const h[] = { "错误写法", "正确写法", "起始", "截止",
                                     "程度",     "类别",     "来源", "状态" };
    static const char *const tsvh = "wrong\tright\tfrom\tuntil\tseverity\tcategory\tallow\tnote\n";
    struct cli_list out;
    cli_list_begin(&out, json, tsv, 8, h, NULL, 0);
    if (tsv)
        buf_adds(&out.b, tsvh);
    struct map enabled = MAP_INIT;
    for (size_t i = 0; i < wording_dict_size(d); i++) {
        const struct wording_entry *e = wording_dict_entry(d, i);
        const char *state = "active";
        if (e->disabled)
            state = "disabled";
        else if (map_gets(&enabled, e->wrong))
            state = "shadowed";
        else
            map_puts(&enabled, e->wrong, (void *)1);
        if ((want >= 0 && (int)e->prio != want) ||
            (day != DATE_NONE && !wording_entry_active(e, day)))
            continue;
        char from[11], until[11];
        date_or_empty(e->from, from);
        date_or_empty(e->until, until);
        if (json) {
            wording_entry_json(&out.w, e, state);
        } else if (tsv) {
            buf_addf(&out.b, "%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n", e->wrong, e->right, from, until,
                     check_severity_name(e->severity), e->category, e->allow, e->note);
        } else {
            table_addf(out.t, e->wrong, e->right, from, until, check_severity_cn(e->severity),
                       e->category, e->source,
                       !strcmp(state, "active")     ? "有效"
                       : !strcmp(state, "disabled") ? "停用"
                                                    : "被覆盖");
        }
    }
    map_release(&enabled, NULL);
    wording_dict_free(d);
    return cli_list_end(c, &out, RC_OK, NULL);
}

/* ---- add / remove / enable / check -------------------------------------------------- */

static int wording_add(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "from", required_argument, NULL, 'f' },
                                          { "until", required_argument, NULL, 'u' },
                                          { "severity", required_argument, NULL, 's' },
                                          { "category", required_argument, NULL, 'c' },
                                          { "allow", required_argument, NULL, 'a' },
                                          { "note", required_argument, NULL, 'n' },
                                          { "by", required_argument, NULL, 'b' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    struct wording_entry e = { .from = DATE_NONE, .until = DATE_NONE, .severity = CHECK_NORMAL };
    const char *from = NULL, *until = NULL, *sev = NULL, *by = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'f':
            from = optarg;
            break;
        case 'u':
            until = optarg;
            break;
        case 's':
            sev = optarg;
            break;
        case 'c':
            e.category = optarg;
            break;
        case 'a':
            e.allow = optarg;
            break;
        case 'n':
            e.note = optarg;
            break;
        case 'b':
            by = optarg;
            break;
        case 'h':
            return cli_help("wording");
        default:
            return cli_usage("wording", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 != argc && optind + 2 != argc)
        return cli_usage("wording", "add takes WRONG [RIGHT]");
    e.wrong = argv[optind];
    e.right = optind + 1 < argc ? argv[optind + 1] : NULL;
    if (from && !cli_date(c, "--from", from, &e.from))
        return 1;
    if (until && !cli_date(c, "--until", until, &e.until))
        return 1;
    if (sev && !check_severity_parse(sev, &e.severity))
        return cli_usage("wording", "--severity is serious, normal or notice (严重, 一般, 提示)");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err err = { 0 };
    bool updated;
    if (wording_db_add(db, &c->clk, &e, by ? by : cli_user(), &updated, &err))
        return cli_fail(c, &err);
    if (!c->quiet)
        printf("wording entry '%s' %s\n", e.wrong, updated ? "updated" : "added");
    return 0;
}

static int wording_remove(struct cli *c, int argc, char **argv)
{
    bool enable = !strcmp(argv[0], "enable"); /* or remove */
    static const struct option opts[] = { { "by", required_argument, NULL, 'b' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *by = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (o == 'b')
            by = optarg;
        else if (o == 'h')
            return cli_help("wording");
        else
            return cli_usage("wording", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind + 1 != argc)
        return cli_usage("wording", "%s takes one WRONG form", enable ? "enable" : "remove");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    if (enable) {
        if (wording_db_enable(db, argv[optind], &e))
            return cli_fail(c, &e);
        if (!c->quiet)
            printf("wording entry '%s' switched on again\n", argv[optind]);
        return 0;
    }
    struct wording_dict *files;
    struct notes bad = NOTES_INIT;
    int r = load_dict(c, false, false, NULL, 0, &files, &bad);
    notes_release(&bad);
    if (r >= 0)
        return r;
    const char *what;
    enum rc rc =
        wording_db_remove(db, &c->clk, argv[optind], by ? by : cli_user(), files, &what, &e);
    wording_dict_free(files);
    if (rc)
        return cli_fail(c, &e);
    if (!c->quiet)
        printf("wording entry '%s' %s\n", argv[optind],
               !strcmp(what, "disabled") ? "switched off (it comes from a file)" : "removed");
    return 0;
}

static int wording_check(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "dict", required_argument, NULL, 'd' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    char **extra = NULL;
    size_t nextra = 0;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (o == 'd') {
            extra = xrealloc(extra, (nextra + 1) * sizeof(char *));
            extra[nextra++] = optarg;
        } else if (o == 'h') {
            free(extra);
            return cli_help("wording");
        } else {
            free(extra);
            return cli_usage("wording", "unknown option '%s'", argv[optind - 1]);
        }
    }
    struct wording_dict *d;
    struct notes bad = NOTES_INIT;
    int r = load_dict(c, true, false, extra, nextra, &d, &bad);
    free(extra);
    if (r >= 0) {
        notes_release(&bad);
        return r;
    }
    cli_print_notes(&bad);
    size_t nbad = bad.total;
    notes_release(&bad);
    size_t n = wording_dict_size(d);
    wording_dict_free(d);
    if (nbad) {
        fprintf(stderr, "govsite: error: %zu bad row%s in the wording dictionaries (skipped)\n",
                nbad, nbad == 1 ? "" : "s");
        return 1;
    }
    if (!c->quiet)
        printf("%zu wording entries, no bad rows\n", n);
    return 0;
}

/* ---- scan ------------------------------------------------------------------------ */

struct scan_opts {
    int32_t day;
    size_t context;
    bool json, only, count, many;
};

/* Where a byte offset is: line and column (code points, from 1), advanced forward. */
struct where {
    size_t pos; /* bytes examined */
    long line;
    size_t col; /* code points from the line start to pos */
};

static void where_to(struct where *w, const char *text, size_t off)
{
    for (; w->pos < off; w->pos++) {
        unsigned char ch = (unsigned char)text[w->pos];
        if (ch == '\n') {
            w->line++;
            w->col = 0;
        } else if ((ch & 0xC0) != 0x80) {
            w->col++;
        }
    }
}

static void print_hit(struct buf *out, struct jw *jw, const char *file, const char *text, size_t n,
                      const struct wording_hit *h, const struct where *w, const struct scan_opts *o)
{
    const struct wording_entry *e = h->e;
    if (o->only) {
        if (o->many)
            buf_addf(out, "%s:", file);
        buf_add(out, text + h->off, h->len);
        buf_addc(out, '\n');
        return;
    }
    struct buf before = BUF_INIT, after = BUF_INIT;
    wording_excerpt(text, n, h->off, h->len, o->context, &before, &after);
    if (jw) {
        jw_obj(jw);
        jw_kstr(jw, "file", file);
        jw_kint(jw, "line", w->line);
        jw_kint(jw, "column", (int64_t)w->col + 1);
        jw_kint(jw, "offset", (int64_t)h->off);
        jw_kstr(jw, "wrong", e->wrong);
        jw_kstr(jw, "right", e->right);
        jw_kstr(jw, "severity", check_severity_name(e->severity));
        jw_kstr(jw, "category", e->category);
        jw_kstr(jw, "entry", e->source);
        jw_kstr(jw, "before", buf_cstr(&before));
        jw_kstr(jw, "after", buf_cstr(&after));
        jw_end(jw);
    } else {
        buf_addf(out, "%s:%ld:%zu: [%s] %s → %s  …%s【%s】%s…\n", file, w->line, w->col + 1,
                 check_severity_cn(e->severity), e->wrong, e->right[0] ? e->right : "（删除）",
                 buf_cstr(&before), e->wrong, buf_cstr(&after));
    }
    buf_release(&before);
    buf_release(&after);
}

/* -o for one file: each match on a line, with one reservation and plain copies (false
 * when out refuses to grow: the caller prints them one by one). */
static bool print_only(struct buf *out, const char *text, const struct wording_hits *hits, size_t k)
{
    size_t need = 0;
    for (size_t i = 0; i < k; i++)
        need += hits->v[i].len + 1;
    if (!buf_grow(out, need))
        return false;
    char *q = out->p + out->n;
    for (size_t i = 0; i < k; i++) {
        memcpy(q, text + hits->v[i].off, hits->v[i].len);
        q += hits->v[i].len;
        *q++ = '\n';
    }
    out->n += need;
    out->p[out->n] = 0;
    return true;
}

/* -o and --count print no line, column nor context, so a UTF-8 file is read in pieces cut
 * at line ends, never whole.  false when the file is not UTF-8 (or cannot be opened): the
 * caller reads it whole (and decodes it, or names the error). */
static bool scan_stream(struct cli *c, const struct wording_dict *d, const char *file,
                        const struct scan_opts *o, struct buf *out, struct wording_hits *hits,
                        size_t *found)
{
    FILE *f = strcmp(file, "-") ? fopen(file, "rb") : NULL;
    if (!f)
        return false;
    size_t cap = 2 * (size_t)SCAN_CHUNK, have = 0, done = 0;
    char *b = xmalloc(cap + 1);
    bool eof = false, first = true;
    hits->no_chars = true;
    for (;;) {
        while (!eof && have < SCAN_CHUNK) {
            size_t k = fread(b + have, 1, cap - have, f);
            have += k;
            eof = k == 0;
        }
        if (first) {
            first = false;
            size_t sniff = have < SNIFF ? have : SNIFF;
            if (utf8_valid_prefix(b, sniff) + (sniff < have ? 3 : 0) < sniff) {
                fclose(f);
                free(b);
                return false;
            }
        }
        size_t end = have;
        if (!eof) {
            const char *nl = memrchr(b, '\n', have);
            if (nl) {
                end = (size_t)(nl - b) + 1;
            } else { /* a line longer than the buffer: cut before the last character */
                size_t p = have - 1;
                while (p > 0 && ((unsigned char)b[p] & 0xC0) == 0x80)
                    p--;
                end = p ? p : have;
            }
        }
        size_t k = wording_scan(d, b, end, o->day, hits);
        *found += k;
        if (!o->count && !(o->only && !o->many && print_only(out, b, hits, k))) {
            struct where w = { 0, 1, 0 };
            for (size_t i = 0; i < k; i++)
                print_hit(out, NULL, file, b, end, &hits->v[i], &w, o);
        }
        if (out->n > (1u << 20)) {
            fwrite(out->p, 1, out->n, stdout);
            buf_reset(out);
        }
        done += end;
        cli_progress(c, "%s: %zu MB", file, done >> 20);
        memmove(b, b + end, have - end);
        have -= end;
        if (eof && !have)
            break;
    }
    fclose(f);
    free(b);
    return true;
}

/* Scan one file; hits go to out (flushed to stdout as it grows). */
static enum rc scan_file(struct cli *c, const struct wording_dict *d, const char *file,
                         const struct scan_opts *o, struct buf *out, struct jw *jw,
                         struct wording_hits *hits, size_t *total, struct err *err)
{
    if ((o->only || o->count) && !jw) {
        size_t found = 0;
        if (scan_stream(c, d, file, o, out, hits, &found)) {
            if (o->count)
                buf_addf(out, "%s%s%zu\n", o->many ? file : "", o->many ? ":" : "", found);
            *total += found;
            return RC_OK;
        }
    }
    struct buf raw;
    buf_init(&raw, SCAN_FILE_MAX);
    enum rc rc = buf_read_file(&raw, strcmp(file, "-") ? file : "/dev/stdin", err);
    if (rc) {
        buf_release(&raw);
        return rc;
    }
    struct buf conv = BUF_INIT;
    const char *text = raw.p ? raw.p : "";
    size_t n = raw.n;
    /* Like the crawler's sniffing: UTF-8 when the first 64 KiB are (a character may be
     * cut at the end), else decoded (GBK and others).  Stray invalid bytes later only
     * show as U+FFFD in excerpts; matching works on bytes. */
    size_t sniff = n < SNIFF ? n : SNIFF;
    if (utf8_valid_prefix(text, sniff) + (sniff < n ? 3 : 0) < sniff) {
        struct charset_result cr;
        charset_decode_text(text, n, &conv, &cr);
        text = buf_cstr(&conv);
        n = conv.n;
    }
    struct where w = { 0, 1, 0 };
    size_t found = 0;
    for (size_t start = 0; start < n;) {
        /* Chunks end at a newline (a wrong form never spans lines). */
        size_t end = start + SCAN_CHUNK < n ? start + SCAN_CHUNK : n;
        if (end < n) {
            const char *nl = memrchr(text + start, '\n', end - start);
            if (nl)
                end = (size_t)(nl - text) + 1;
            else
                while (end > start + 1 && ((unsigned char)text[end] & 0xC0) == 0x80)
                    end--;
        }
        hits->no_chars = o->only || o->count; /* the column is not printed */
        size_t k = wording_scan(d, text + start, end - start, o->day, hits);
        found += k;
        if (o->only && !o->many && print_only(out, text + start, hits, k))
            k = 0; /* printed */
        for (size_t i = 0; i < k && !o->count; i++) {
            struct wording_hit h = hits->v[i];
            h.off += start;
            if (!o->only)
                where_to(&w, text, h.off);
            print_hit(out, jw, file, text, n, &h, &w, o);
        }
        if (out->n > (1u << 20) && !jw) {
            fwrite(out->p, 1, out->n, stdout);
            buf_reset(out);
        }
        cli_progress(c, "%s: %zu%%", file, n ? end * 100 / n : 100);
        start = end;
    }
    if (o->count)
        buf_addf(out, "%s%s%zu\n", o->many ? file : "", o->many ? ":" : "", found);
    *total += found;
    buf_release(&raw);
    buf_release(&conv);
    return RC_OK;
}

static int wording_scan_cmd(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "as-of", required_argument, NULL, 'a' },
                                          { "dict", required_argument, NULL, 'd' },
                                          { "no-builtin", no_argument, NULL, 'N' },
                                          { "context", required_argument, NULL, 'C' },
                                          { "only-matching", no_argument, NULL, 'o' },
                                          { "count", no_argument, NULL, 'c' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    struct scan_opts so = { .day = clk_today(&c->clk), .context = 10 };
    const char *as_of = NULL;
    char **extra = NULL;
    size_t nextra = 0;
    bool only_extra = false;
    int o;
    while ((o = getopt_long(argc, argv, "hoc", opts, NULL)) != -1) {
        switch (o) {
        case 'a':
            as_of = optarg;
            break;
        case 'd':
            extra = xrealloc(extra, (nextra + 1) * sizeof(char *));
            extra[nextra++] = optarg;
            break;
        case 'N':
            only_extra = true;
            break;
        case 'C': {
            int n;
            if (!cstr_to_int(optarg, 0, 200, &n)) {
                free(extra);
                return cli_usage("wording", "--context is a number of characters, 0 to 200");
            }
            so.context = (size_t)n;
            break;
        }
        case 'o':
            so.only = true;
            break;
        case 'c':
            so.count = true;
            break;
        case 'j':
            so.json = true;
            break;
        case 'h':
            free(extra);
            return cli_help("wording");
        default:
            free(extra);
            return cli_usage("wording", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (as_of && !cli_date(c, "--as-of", as_of, &so.day)) {
        free(extra);
        return 1;
    }
    if (only_extra && !nextra) {
        free(extra);
        return cli_usage("wording", "--no-builtin needs at least one --dict FILE");
    }
    if (so.json && (so.only || so.count)) {
        free(extra);
        return cli_usage("wording", "--json excludes --only-matching and --count");
    }
    struct wording_dict *d;
    struct notes bad = NOTES_INIT;
    int r = load_dict(c, true, only_extra, extra, nextra, &d, &bad);
    free(extra);
    if (!c->quiet)
        cli_print_notes(&bad);
    notes_release(&bad);
    if (r >= 0)
        return r;
    wording_dict_compile(d);
    static char dash[] = "-";
    char *stdin_only[] = { dash };
    char **files = optind < argc ? argv + optind : stdin_only;
    size_t nfiles = optind < argc ? (size_t)(argc - optind) : 1;
    so.many = nfiles > 1;
    struct buf out = BUF_INIT;
    struct jw jw;
    if (so.json) {
        jw_init(&jw, &out, true);
        jw_arr(&jw);
    }
    struct wording_hits hits = { 0 };
    struct err e = { 0 };
    size_t total = 0;
    enum rc rc = RC_OK;
    for (size_t i = 0; i < nfiles && !rc; i++)
        rc = scan_file(c, d, files[i], &so, &out, so.json ? &jw : NULL, &hits, &total, &e);
    cli_progress_done(c);
    wording_hits_release(&hits);
    wording_dict_free(d);
    if (rc) {
        buf_release(&out);
        return cli_fail(c, &e);
    }
    if (so.json) {
        jw_end(&jw);
        jw_finish(&jw);
    }
    fwrite(out.p ? out.p : "", 1, out.n, stdout);
    buf_release(&out);
    fflush(stdout);
    if (!c->quiet && !so.json && !so.only && !so.count)
        fprintf(stderr, "%zu hit%s\n", total, total == 1 ? "" : "s");
    return 0;
}

int cmd_wording(struct cli *c, int argc, char **argv)
{
    static const struct cli_sub subs[] = {
        { "list", wording_list },
        { "add", wording_add },
        { "remove", wording_remove },
        { "enable", wording_remove },
        { "check", wording_check },
        { "scan", wording_scan_cmd },
        { NULL, NULL },
    };
    return cli_dispatch(c, "wording", subs, argc, argv);
}
