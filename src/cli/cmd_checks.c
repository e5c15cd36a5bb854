/* cmd_checks.c - `govsite findings`, `finding show|dismiss|restore`, `verdict`,
 * `verdicts` and `column exempt|unexempt|exemptions`: findings and verdicts (checks/). */
#include <getopt.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "checks/check.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "reg/reg.h"

const char *cli_user(void)
{
    const char *u = getenv("GOVSITE_USER");
    if (u && *u)
        return u;
    u = getenv("USER");
    if (u && *u)
        return u;
    struct passwd *pw = getpwuid(getuid());
    return pw && pw->pw_name ? pw->pw_name : "unknown";
}

bool cli_id(const char *cmd, const char *s, int64_t *id)
{
    if (s && s[0] == '#')
        s++;
    if (!s || !cstr_to_i64(s, id) || *id <= 0) {
        cli_usage(cmd, "'%s' is not a finding id (a positive number)", s ? s : "");
        return false;
    }
    return true;
}

int cli_dispatch(struct cli *c, const char *cmd, const struct cli_sub *subs, int argc, char **argv)
{
    const char *sub = argc > 1 ? argv[1] : NULL;
    if (sub && (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help")))
        return cli_help(cmd);
    for (const struct cli_sub *k = subs; sub && k->name; k++)
        if (!strcmp(k->name, sub))
            return k->fn(c, argc - 1, argv + 1);
    struct buf names = BUF_INIT;
    for (const struct cli_sub *k = subs; k->name; k++)
        buf_addf(&names, "%s%s", k == subs ? "" : ", ", k->name);
    int r = sub ? cli_usage(cmd, "unknown subcommand '%s' (%s)", sub, buf_cstr(&names))
                : cli_usage(cmd, "missing subcommand (%s)", buf_cstr(&names));
    buf_release(&names);
    return r;
}

void cli_list_begin(struct cli_list *l, bool json, bool text, int ncols, const char *const *headers,
                    const char *const *csv_header, size_t ncsv)
{
    memset(l, 0, sizeof(*l));
    l->json = json;
    if (json) {
        jw_init(&l->w, &l->b, true);
        jw_arr(&l->w);
    } else if (text) {
        if (csv_header)
            csv_write_row(&l->b, csv_header, ncsv);
    } else {
        l->t = table_new(ncols, headers);
    }
}

int cli_list_end(struct cli *c, struct cli_list *l, enum rc rc, const struct err *e)
{
    int r = 0;
    if (rc) {
        r = cli_fail(c, e);
    } else if (l->t) {
        table_print(l->t, stdout);
    } else {
        if (l->json) {
            jw_end(&l->w);
            jw_finish(&l->w);
        }
        r = cli_out(c, &l->b);
    }
    table_free(l->t);
    buf_release(&l->b);
    return r;
}

static void fmt_time(struct cli *c, int64_t t, char out[20])
{
    if (!t) {
        out[0] = 0;
        return;
    }
    time_fmt_local(t, c->clk.tzoff, out);
    out[16] = 0; /* minutes */
}

/* ---- govsite findings ------------------------------------------------------------- */

struct list_ctx {
    struct cli *c;
    struct jw *w;
    struct table *t;
    struct buf *csv;
    bool with_site;
    int n;
};

static int list_row(const struct check_row *r, void *ctx)
{
    struct list_ctx *l = ctx;
    l->n++;
    if (l->w) {
        check_row_json(l->w, r, l->c->clk.tzoff);
        return 0;
    }
    char first[20], last[20], resolved[20];
    fmt_time(l->c, r->first_seen, first);
    fmt_time(l->c, r->last_seen, last);
    fmt_time(l->c, r->resolved_at, resolved);
    const struct check_kind *k = check_kind_find(r->kind);
    if (l->csv) {
        char id[24], value[24];
        snprintf(id, sizeof(id), "%lld", (long long)r->id);
        snprintf(value, sizeof(value), "%lld", (long long)r->value);
        const char *f[] = { id,
                            r->kind,
                            k ? k->name : r->kind,
                            r->site ? r->site : "",
                            r->unit ? r->unit : "",
                            r->column ? r->column : "",
                            r->url ? r->url : "",
                            r->subject,
                            check_severity_name(r->severity),
                            r->state,
                            r->has_value ? value : "",
                            first,
                            last,
                            resolved,
                            r->summary };
        csv_write_row(l->csv, f, sizeof(f) / sizeof(f[0]));
        return 0;
    }
    char id[24];
    snprintf(id, sizeof(id), "%lld", (long long)r->id);
    static const char *const states[][2] = { { "open", "未解决" },
                                             { "resolved", "已解决" },
                                             { "dismissed", "已忽略" } };
    const char *st = r->state;
    for (size_t i = 0; i < 3; i++)
        if (!strcmp(r->state, states[i][0]))
            st = states[i][1];
    char subject[200];
    size_t sn = strlen(r->subject);
    size_t cut = utf8_prefix_bytes(r->subject, sn, 40);
    snprintf(subject, sizeof(subject), "%.*s%s", (int)(cut < 180 ? cut : 180), r->subject,
             cut < sn ? "…" : "");
    if (l->with_site)
        table_addf(l->t, id, k ? k->name : r->kind, check_severity_cn(r->severity),
                   r->site ? r->site : "", r->unit ? r->unit : "", r->column ? r->column : "",
                   subject, st, last);
    else
        table_addf(l->t, id, k ? k->name : r->kind, check_severity_cn(r->severity),
                   r->unit ? r->unit : "", r->column ? r->column : "", subject, st, last);
    return 0;
}

int cmd_findings(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        { "site", required_argument, NULL, 's' }, { "unit", required_argument, NULL, 'u' },
        { "kind", required_argument, NULL, 'k' }, { "open", no_argument, NULL, 'O' },
        { "resolved", no_argument, NULL, 'R' },   { "dismissed", no_argument, NULL, 'D' },
        { "all", no_argument, NULL, 'A' },        { "as-of", required_argument, NULL, 'a' },
        { "json", no_argument, NULL, 'j' },       { "csv", no_argument, NULL, 'c' },
        { "help", no_argument, NULL, 'h' },       { NULL, 0, NULL, 0 }
    };
    const char *site = NULL, *unit = NULL, *as_of = NULL;
    struct check_query q = { .state = "open" };
    bool json = false, csv = false;
    int nstate = 0, o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            site = optarg;
            break;
        case 'u':
            unit = optarg;
            break;
        case 'k':
            q.kind = optarg;
            break;
        case 'O':
            q.state = "open", nstate++;
            break;
        case 'R':
            q.state = "resolved", nstate++;
            break;
        case 'D':
            q.state = "dismissed", nstate++;
            break;
        case 'A':
            q.state = NULL, nstate++;
            break;
        case 'a':
            as_of = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'c':
            csv = true;
            break;
        case 'h':
            return cli_help("findings");
        default:
            return cli_usage("findings", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("findings", "unexpected argument '%s'", argv[optind]);
    if (nstate > 1)
        return cli_usage("findings", "give at most one of --open, --resolved, --dismissed, --all");
    if (json && csv)
        return cli_usage("findings", "--json and --csv exclude each other");
    if (q.kind && !check_kind_find(q.kind)) {
        struct err e = { 0 };
        check_kinds_valid(q.kind, &e);
        return cli_fail(c, &e);
    }
    if (as_of) {
        int32_t d;
        if (!cli_date(c, "--as-of", as_of, &d))
            return 1;
        q.as_of = time_from_date(d + 1, 0, c->clk.tzoff) - 1;
    }
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    if (site && reg_site_lookup(db, site, &q.site_id, &e))
        return cli_fail(c, &e);
    if (unit && reg_unit_lookup(db, unit, &q.unit_id, &e))
        return cli_fail(c, &e);
    struct cli_list out;
    struct list_ctx l = { .c = c, .with_site = !site };
    static const char *const csvh[] = { "id",        "kind",        "kind_name", "site",
                                        "unit",      "column",      "url",       "subject",
                                        "severity",  "state",       "value",     "first_seen",
                                        "last_seen", "resolved_at", "summary" };
    static const char *const h9[] = { "编号", "类型", "程度", "网站",    "责任单位",
                                      "栏目", "对象", "状态", "最近发现" };
    static const char *const h8[] = { "编号", "类型", "程度", "责任单位",
                                      "栏目", "对象", "状态", "最近发现" };
    cli_list_begin(&out, json, csv, l.with_site ? 9 : 8, l.with_site ? h9 : h8, csvh, 15);
    l.w = json ? &out.w : NULL;
    l.csv = csv ? &out.b : NULL;
    l.t = out.t;
    enum rc rc = check_findings_each(db, &q, list_row, &l, &e);
    bool table = out.t != NULL;
    int r = cli_list_end(c, &out, rc, &e);
    if (!rc && table && !c->quiet) {
        fflush(stdout);
        fprintf(stderr, "%d finding%s\n", l.n, l.n == 1 ? "" : "s");
    }
    return r;
}

/* ---- govsite finding show|dismiss|restore -------------------------------------------- */

struct ev_ctx {
    struct cli *c;
    struct jw *w;
    struct buf *b;
};

static void on_event(const struct check_event *ev, void *ctx)
{
    struct ev_ctx *x = ctx;
    if (x->w) {
        check_event_json(x->w, ev, x->c->clk.tzoff);
        return;
    }
    char t[20];
    fmt_time(x->c, ev->at, t);
    buf_addf(x->b, "  %s  %-15s", t, ev->event);
    if (ev->session_id)
        buf_addf(x->b, " check #%lld", (long long)ev->session_id);
    if (ev->by)
        buf_addf(x->b, " by %s", ev->by);
    if (ev->reason)
        buf_addf(x->b, ": %s", ev->reason);
    buf_addc(x->b, '\n');
}

static int finding_show(struct cli *c, int argc, char **argv)
{
    bool json;
    int r0 = cli_opts_json("finding", argc, argv, &json);
    if (r0 >= 0)
        return r0;
    int64_t id;
    if (optind + 1 != argc)
        return cli_usage("finding", "show takes one finding id");
    if (!cli_id("finding", argv[optind], &id))
        return 2;
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    struct check_row r;
    if (check_finding_get(db, id, &r, &e))
        return cli_fail(c, &e);
    struct buf b = BUF_INIT;
    struct jw w;
    struct ev_ctx x = { .c = c, .b = &b };
    enum rc rc;
    if (json) {
        jw_init(&w, &b, true);
        jw_obj(&w);
        check_row_json_fields(&w, &r, c->clk.tzoff);
        jw_key(&w, "history");
        jw_arr(&w);
        x.w = &w;
        rc = check_finding_events(db, id, on_event, &x, &e);
        jw_end(&w);
        jw_end(&w);
        if (!rc)
            jw_finish(&w);
    } else {
        const struct check_kind *k = check_kind_find(r.kind);
        char first[20], last[20], resolved[20], dis[20], again[20];
        fmt_time(c, r.first_seen, first);
        fmt_time(c, r.last_seen, last);
        fmt_time(c, r.resolved_at, resolved);
        fmt_time(c, r.dismissed_at, dis);
        fmt_time(c, r.seen_dismissed_at, again);
        buf_addf(&b, "发现 #%lld  %s（%s）  %s  %s\n", (long long)r.id, k ? k->name : r.kind,
                 r.kind, check_severity_cn(r.severity), r.state);
        buf_addf(&b, "说明:     %s\n网站:     %s\n", r.summary, r.site ? r.site : "");
        if (r.unit)
            buf_addf(&b, "责任单位: %s\n", r.unit);
        if (r.column)
            buf_addf(&b, "栏目:     %s\n", r.column);
        if (r.url)
            buf_addf(&b, "页面:     %s\n", r.url);
        buf_addf(&b, "对象:     %s\n首次发现: %s\n最近发现: %s\n", r.subject, first, last);
        if (r.resolved_at)
            buf_addf(&b, "解决时间: %s\n", resolved);
        if (r.dismissed_at) {
            buf_addf(&b, "已忽略:   %s，%s：%s\n", dis, r.dismissed_by ? r.dismissed_by : "",
                     r.dismiss_reason ? r.dismiss_reason : "");
            if (r.seen_dismissed_at)
                buf_addf(&b, "忽略后再次发现: %s\n", again);
        }
        buf_addf(&b, "证据:     %s\n历史:\n", r.evidence ? r.evidence : "");
        rc = check_finding_events(db, id, on_event, &x, &e);
    }
    check_row_release(&r);
    int ret = rc ? cli_fail(c, &e) : cli_out(c, &b);
    buf_release(&b);
    return ret;
}

static int finding_change(struct cli *c, int argc, char **argv)
{
    bool dismiss = !strcmp(argv[0], "dismiss"); /* or restore */
    static const struct option opts[] = { { "reason", required_argument, NULL, 'r' },
                                          { "by", required_argument, NULL, 'b' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *reason = NULL, *by = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'r':
            reason = optarg;
            break;
        case 'b':
            by = optarg;
            break;
        case 'h':
            return cli_help("finding");
        default:
            return cli_usage("finding", "unknown option '%s'", argv[optind - 1]);
        }
    }
    int64_t id;
    if (optind + 1 != argc)
        return cli_usage("finding", "%s takes one finding id", dismiss ? "dismiss" : "restore");
    if (!cli_id("finding", argv[optind], &id))
        return 2;
    if (!reason)
        return cli_usage("finding", "%s needs --reason TEXT", dismiss ? "dismiss" : "restore");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    enum rc rc = dismiss ? check_finding_dismiss(db, &c->clk, id, reason, by ? by : cli_user(), &e)
                         : check_finding_restore(db, &c->clk, id, reason, by ? by : cli_user(), &e);
    if (rc)
        return cli_fail(c, &e);
    if (!c->quiet)
        printf("finding #%lld %s\n", (long long)id,
               dismiss ? "dismissed" : "restored (open again)");
    return 0;
}

int cmd_finding(struct cli *c, int argc, char **argv)
{
    static const struct cli_sub subs[] = { { "show", finding_show },
                                           { "dismiss", finding_change },
                                           { "restore", finding_change },
                                           { NULL, NULL } };
    return cli_dispatch(c, "finding", subs, argc, argv);
}

/* ---- govsite verdict / verdicts ------------------------------------------------------- */

/* The sites a command works on: one by name, or with --all every site in operation. */
int cli_sites(struct cli *c, const char *cmd, const char *site, bool all, int64_t **ids, size_t *n)
{
    *ids = NULL;
    *n = 0;
    if (!site == !all)
        return cli_usage(cmd, "give one SITE or --all");
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    if (site) {
        *ids = xmalloc(sizeof(int64_t));
        *n = 1;
        if (reg_site_lookup(db, site, *ids, &e)) {
            free(*ids);
            *ids = NULL;
            *n = 0;
            return cli_fail(c, &e);
        }
        return -1;
    }
    size_t cap = 0;
    struct stmt *st = store_q(db, "SELECT id FROM sites WHERE status = '正常运行' ORDER BY id", "");
    while (stmt_next(st)) {
        *ids = xgrow(*ids, &cap, *n + 1, sizeof(int64_t));
        (*ids)[(*n)++] = stmt_int(st, 0);
    }
    if (stmt_done(st, &e)) {
        free(*ids);
        *ids = NULL;
        *n = 0;
        return cli_fail(c, &e);
    }
    return -1;
}

/* The profile: --profile, else [checks] profile, else the built-in 2019 profile. */
static int load_profile(struct cli *c, const char *opt, struct check_profile **p)
{
    const char *name = opt ? opt : conf_get(&c->conf, "checks", "profile", CHECK_PROFILE_DEFAULT);
    struct err e = { 0 };
    if (check_profile_load(name, p, &e))
        return cli_fail(c, &e);
    return -1;
}

static void verdict_text(struct buf *b, const char *site, const struct check_verdict *v)
{
    char d[11];
    date_fmt(v->as_of, d);
    buf_addf(b, "%s  %s  %s  得分 %.2f（仅计已确认扣分项 %.2f）\n", site, d, check_verdict_word(v),
             v->score, v->score_confirmed);
    for (size_t i = 0; i < v->nvetoes; i++)
        buf_addf(b, "  单项否决: %s [%s]%s\n", v->vetoes[i].reason,
                 v->vetoes[i].indicator ? v->vetoes[i].indicator : v->vetoes[i].key,
                 v->vetoes[i].confirmed ? "" : "（未确认）");
    for (size_t i = 0; i < v->ndeductions; i++)
        buf_addf(b, "  扣分: %s %s ×%lld −%.2f%s\n",
                 v->deductions[i].group ? v->deductions[i].group : "", v->deductions[i].name,
                 (long long)v->deductions[i].count, v->deductions[i].points,
                 v->deductions[i].confirmed ? "" : "（未确认分值）");
    for (size_t i = 0; i < v->nnotes; i++)
        buf_addf(b, "  说明: %s\n", v->notes[i]);
}

int cli_site_args(struct cli *c, const char *cmd, int argc, char **argv, bool dry_ok,
                  struct cli_site_args *a)
{
    static const struct option opts[] = { { "all", no_argument, NULL, 'A' },
                                          { "as-of", required_argument, NULL, 'a' },
                                          { "profile", required_argument, NULL, 'p' },
                                          { "dry-run", no_argument, NULL, 'n' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "enqueue", no_argument, NULL, 'E' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    memset(a, 0, sizeof(*a));
    const char *as_of = NULL;
    bool enqueue = false;
    int o;
    while ((o = getopt_long(argc, argv, "hn", opts, NULL)) != -1) {
        switch (o) {
        case 'A':
            a->all = true;
            break;
        case 'a':
            as_of = optarg;
            break;
        case 'p':
            a->profile = optarg;
            break;
        case 'n':
            if (!dry_ok)
                return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
            a->dry = true;
            break;
        case 'j':
            a->json = true;
            break;
        case 'E':
            enqueue = true;
            break;
        case 'h':
            return cli_help(cmd);
        default:
            return cli_usage(cmd, "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + (a->all ? 0 : 1) != argc)
        return cli_usage(cmd, "give one SITE or --all");
    a->site = a->all ? NULL : argv[optind];
    if (enqueue) {
        /* a check job per site: today's checks and verdict, run by `govsite worker` */
        if (as_of || a->profile || a->dry)
            return cli_usage(cmd, "--enqueue runs today's check with the configured profile; "
                                  "drop --as-of, --profile and --dry-run");
        int64_t *ids;
        size_t n;
        int r = cli_sites(c, cmd, a->site, a->all, &ids, &n);
        if (r >= 0)
            return r;
        r = cli_enqueue(c, "check", ids, n, a->json);
        free(ids);
        return r;
    }
    a->day = clk_today(&c->clk);
    if (as_of && !cli_date(c, "--as-of", as_of, &a->day))
        return 1;
    return -1;
}

int cmd_verdict(struct cli *c, int argc, char **argv)
{
    struct cli_site_args a;
    int r0 = cli_site_args(c, "verdict", argc, argv, true, &a);
    if (r0 >= 0)
        return r0;
    bool all = a.all, json = a.json, dry = a.dry;
    const char *profile = a.profile;
    int32_t day = a.day;
    struct check_profile *p;
    int r = load_profile(c, profile, &p);
    if (r >= 0)
        return r;
    int64_t *ids;
    size_t n;
    r = cli_sites(c, "verdict", a.site, all, &ids, &n);
    if (r >= 0) {
        check_profile_free(p);
        return r;
    }
    struct buf b = BUF_INIT;
    struct jw w;
    if (json) {
        jw_init(&w, &b, true);
        if (all)
            jw_arr(&w);
    }
    struct err e = { 0 };
    enum rc rc = RC_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        struct check_facts f;
        struct check_verdict v;
        cli_progress(c, "verdict %zu/%zu", i + 1, n);
        rc = check_verdict_run(c->db, &c->clk, ids[i], day, p, dry, &f, &v, &e);
        if (!rc) {
            char *name = reg_site_label(c->db, ids[i]);
            if (json)
                check_verdict_json(&w, &v, name, &f);
            else
                verdict_text(&b, name, &v);
            free(name);
        }
        check_verdict_release(&v);
        check_facts_release(&f);
    }
    cli_progress_done(c);
    free(ids);
    check_profile_free(p);
    return cli_sites_done(c, &b, json ? &w : NULL, all, rc, &e);
}

int cli_sites_done(struct cli *c, struct buf *b, struct jw *w, bool all, enum rc rc,
                   const struct err *e)
{
    if (rc) {
        buf_release(b);
        return cli_fail(c, e);
    }
    if (w) {
        if (all)
            jw_end(w);
        jw_finish(w);
    }
    int r = cli_out(c, b);
    buf_release(b);
    return r;
}

/* "2019Q2" → its first and last day. */
static bool parse_quarter(const char *s, int32_t *from, int32_t *to)
{
    int y, q;
    if (!s || strlen(s) != 6 || (s[4] != 'Q' && s[4] != 'q'))
        return false;
    char ys[5];
    memcpy(ys, s, 4);
    ys[4] = 0;
    if (!cstr_to_int(ys, 1990, 2200, &y) || s[5] < '1' || s[5] > '4')
        return false;
    q = s[5] - '0';
    *from = date_from_ymd(y, 3 * q - 2, 1);
    *to = date_add_months(*from, 3) - 1;
    return true;
}

struct vlist {
    struct jw *w;
    struct table *t;
    struct buf *csv;
};

static int verdict_row(const struct check_verdict_row *r, void *ctx)
{
    struct vlist *l = ctx;
    char score[32], sc[32];
    snprintf(score, sizeof(score), "%.2f", r->score);
    snprintf(sc, sizeof(sc), "%.2f", r->score_confirmed);
    if (l->w) {
        jw_obj(l->w);
        jw_kstr(l->w, "site", r->site);
        jw_kstr(l->w, "date", r->date);
        jw_kstr(l->w, "verdict", r->verdict);
        jw_kdouble(l->w, "score", r->score);
        jw_kdouble(l->w, "score_confirmed", r->score_confirmed);
        jw_key(l->w, "vetoes");
        jw_raw(l->w, r->vetoes);
        jw_key(l->w, "deductions");
        jw_raw(l->w, r->deductions);
        jw_key(l->w, "facts");
        jw_raw(l->w, r->facts);
        jw_kstr(l->w, "profile", r->profile);
        jw_end(l->w);
    } else if (l->csv) {
        const char *f[] = { r->site, r->date, r->verdict, score, sc, r->vetoes };
        csv_write_row(l->csv, f, 6);
    } else {
        table_addf(l->t, r->site, r->date, r->verdict, score, sc);
    }
    return 0;
}

int cmd_verdicts(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "site", required_argument, NULL, 's' },
                                          { "quarter", required_argument, NULL, 'q' },
                                          { "from", required_argument, NULL, 'f' },
                                          { "to", required_argument, NULL, 't' },
                                          { "latest", no_argument, NULL, 'l' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "csv", no_argument, NULL, 'c' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *site = NULL, *quarter = NULL, *from = NULL, *to = NULL;
    bool latest = false, json = false, csv = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 's':
            site = optarg;
            break;
        case 'q':
            quarter = optarg;
            break;
        case 'f':
            from = optarg;
            break;
        case 't':
            to = optarg;
            break;
        case 'l':
            latest = true;
            break;
        case 'j':
            json = true;
            break;
        case 'c':
            csv = true;
            break;
        case 'h':
            return cli_help("verdicts");
        default:
            return cli_usage("verdicts", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("verdicts", "unexpected argument '%s'", argv[optind]);
    int32_t dfrom = DATE_NONE, dto = DATE_NONE;
    if (quarter) {
        if (from || to)
            return cli_usage("verdicts", "--quarter excludes --from and --to");
        if (!parse_quarter(quarter, &dfrom, &dto))
            return cli_usage("verdicts", "--quarter '%s' is not like 2019Q2", quarter);
        latest = true;
    }
    if (from && !cli_date(c, "--from", from, &dfrom))
        return 1;
    if (to && !cli_date(c, "--to", to, &dto))
        return 1;
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t site_id = 0;
    if (site && reg_site_lookup(db, site, &site_id, &e))
        return cli_fail(c, &e);
    static const char *const h[] = { "网站", "检查日期", "结论", "得分", "已确认项得分" };
    static const char *const csvh[] = { "site",  "date", "verdict", "score", "score_confirmed",
                                        "vetoes" };
    struct cli_list out;
    cli_list_begin(&out, json, csv, 5, h, csvh, 6);
    struct vlist l = { json ? &out.w : NULL, out.t, csv ? &out.b : NULL };
    enum rc rc = check_verdicts_each(db, site_id, dfrom, dto, latest, verdict_row, &l, &e);
    return cli_list_end(c, &out, rc, &e);
}

/* ---- govsite column exempt|unexempt|exemptions ----------------------------------------- */

int cli_column_id(struct cli *c, const char *site, const char *path, int64_t *id)
{
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t site_id;
    if (reg_site_lookup(db, site, &site_id, &e))
        return cli_fail(c, &e);
    struct buf norm = BUF_INIT;
    if (!reg_path_normalize(path, &norm)) {
        buf_release(&norm);
        return cli_usage("column", "'%s' is not a column path like 民生>主题服务>交通服务", path);
    }
    enum rc rc =
        store_get_int(db, id, &e, "SELECT id FROM site_columns WHERE site_id = ? AND path = ?",
                      "it", site_id, buf_cstr(&norm));
    if (rc == RC_NOTFOUND)
        err_set(&e, RC_NOTFOUND, "site '%s' has no column '%s'; see 'govsite column list %s'", site,
                buf_cstr(&norm), site);
    buf_release(&norm);
    return rc ? cli_fail(c, &e) : -1;
}

static int column_exempt(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        { "reason", required_argument, NULL, 'r' }, { "by", required_argument, NULL, 'b' },
        { "until", required_argument, NULL, 'u' },  { "json", no_argument, NULL, 'j' },
        { "help", no_argument, NULL, 'h' },         { NULL, 0, NULL, 0 }
    };
    const char *reason = NULL, *by = NULL, *until = NULL;
    bool json = false;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'r':
            reason = optarg;
            break;
        case 'b':
            by = optarg;
            break;
        case 'u':
            until = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help("column");
        default:
            return cli_usage("column", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 2 != argc)
        return cli_usage("column", "exempt takes SITE PATH");
    if (!reason || !by || !until)
        return cli_usage("column", "exempt needs --reason TEXT, --by USER and --until DATE");
    int32_t day;
    if (!cli_date(c, "--until", until, &day))
        return 1;
    int64_t col, id;
    int r = cli_column_id(c, argv[optind], argv[optind + 1], &col);
    if (r >= 0)
        return r;
    int64_t max_days;
    struct err e = { 0 };
    if (conf_int(&c->conf, "checks", "max_exemption_days", 366, 0, 100000, &max_days, &e))
        return cli_fail(c, &e);
    if (check_exempt_add(c->db, &c->clk, col, reason, by, day, (int)max_days, &id, &e))
        return cli_fail(c, &e);
    if (json) {
        struct buf b = BUF_INIT;
        struct jw w;
        jw_init(&w, &b, true);
        jw_obj(&w);
        jw_kint(&w, "id", id);
        jw_kstr(&w, "site", argv[optind]);
        jw_kstr(&w, "path", argv[optind + 1]);
        jw_kdate(&w, "until", day);
        jw_end(&w);
        jw_finish(&w);
        r = cli_out(c, &b);
        buf_release(&b);
        return r;
    }
    if (!c->quiet)
        printf("exemption #%lld approved until %s\n", (long long)id, until);
    return 0;
}

static int column_unexempt(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "by", required_argument, NULL, 'b' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *by = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        if (o == 'b')
            by = optarg;
        else if (o == 'h')
            return cli_help("column");
        else
            return cli_usage("column", "unknown option '%s'", argv[optind - 1]);
    }
    if (optind + 2 != argc)
        return cli_usage("column", "unexempt takes SITE PATH");
    int64_t col;
    int r = cli_column_id(c, argv[optind], argv[optind + 1], &col);
    if (r >= 0)
        return r;
    struct err e = { 0 };
    if (check_exempt_revoke(c->db, &c->clk, col, by ? by : cli_user(), &e))
        return cli_fail(c, &e);
    if (!c->quiet)
        printf("exemption revoked\n");
    return 0;
}

struct ex_ctx {
    struct jw *w;
    struct table *t;
    int32_t today;
};

static int ex_row(const struct check_exemption *x, void *ctx)
{
    struct ex_ctx *l = ctx;
    char from[11], until[11];
    date_fmt(x->from, from);
    date_fmt(x->until, until);
    const char *state = x->revoked_at ? "revoked" : x->until < l->today ? "expired" : "active";
    if (l->w) {
        jw_obj(l->w);
        jw_kint(l->w, "id", x->id);
        jw_kstr(l->w, "site", x->site);
        jw_kstr(l->w, "path", x->path);
        jw_kstr(l->w, "reason", x->reason);
        jw_kstr(l->w, "by", x->approved_by);
        jw_kstr(l->w, "from", from);
        jw_kstr(l->w, "until", until);
        jw_kstr(l->w, "state", state);
        jw_kstr(l->w, "revoked_by", x->revoked_by);
        jw_end(l->w);
    } else {
        table_addf(l->t, x->site, x->path, x->reason, x->approved_by, from, until,
                   !strcmp(state, "active")    ? "有效"
                   : !strcmp(state, "expired") ? "已过期"
                                               : "已撤销");
    }
    return 0;
}

static int column_exemptions(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "all", no_argument, NULL, 'A' },
                                          { "as-of", required_argument, NULL, 'a' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    bool all = false, json = false;
    const char *as_of = NULL;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'A':
            all = true;
            break;
        case 'a':
            as_of = optarg;
            break;
        case 'j':
            json = true;
            break;
        case 'h':
            return cli_help("column");
        default:
            return cli_usage("column", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind + 1 < argc)
        return cli_usage("column", "exemptions takes at most one SITE");
    int32_t day = clk_today(&c->clk);
    if (as_of && !cli_date(c, "--as-of", as_of, &day))
        return 1;
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    int64_t site_id = 0;
    if (optind < argc && reg_site_lookup(db, argv[optind], &site_id, &e))
        return cli_fail(c, &e);
    static const char *const h[] = { "网站", "栏目", "理由", "批准人", "起始", "截止", "状态" };
    struct cli_list out;
    cli_list_begin(&out, json, false, 7, h, NULL, 0);
    struct ex_ctx l = { json ? &out.w : NULL, out.t, day };
    enum rc rc = check_exemptions_each(db, site_id, all ? DATE_NONE : day, ex_row, &l, &e);
    return cli_list_end(c, &out, rc, &e);
}

int cmd_column_checks(struct cli *c, const char *sub, int argc, char **argv)
{
    if (!strcmp(sub, "exempt"))
        return column_exempt(c, argc, argv);
    if (!strcmp(sub, "unexempt"))
        return column_unexempt(c, argc, argv);
    if (!strcmp(sub, "exemptions"))
        return column_exemptions(c, argc, argv);
    return cmd_column_sitecheck(c, sub, argc, argv);
}
