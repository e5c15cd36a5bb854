/* cmd_cal.c - `govsite calendar ...` (the working-day calendar) and `govsite deadline`
 * (statutory due times): src/cal/cal.h, docs/deadlines.md. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal/cal.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/map.h"
#include "core/str.h"

static const char *const weekday_cn[] = { "",       "星期一", "星期二", "星期三",
                                          "星期四", "星期五", "星期六", "星期日" };

/* Warnings go to stderr once each, however many answers repeat them. */
struct warned {
    struct map seen;
};

static void warn_once(struct cli *c, struct warned *w, const char *msg)
{
    if (!*msg || map_gets(&w->seen, msg))
        return;
    map_puts(&w->seen, msg, (void *)1);
    if (!c->quiet)
        fprintf(stderr, "govsite: warning: %s\n", msg);
}

static void warn_est(struct cli *c, struct warned *w, const struct cal *cal,
                     const struct cal_est *est)
{
    struct buf b = BUF_INIT;
    cal_est_warning(cal, est, &b);
    warn_once(c, w, buf_cstr(&b));
    buf_release(&b);
}

static int out_json(struct cli *c, struct buf *b, struct jw *w)
{
    jw_finish(w);
    int r = cli_out(c, b);
    buf_release(b);
    return r;
}

/* A one-object answer: json_obj_begin, the members, then json_obj_done prints it. */
static void json_obj_begin(struct buf *b, struct jw *w)
{
    buf_init(b, 0);
    jw_init(w, b, true);
    jw_obj(w);
}

static int json_obj_done(struct cli *c, struct buf *b, struct jw *w)
{
    jw_end(w);
    return out_json(c, b, w);
}

/* --- calendar ------------------------------------------------------------------------------ */

struct cal_opts {
    bool json, local, help;
    const char *from, *to;
    char *pos[8];
    int npos;
};

/* Options may come anywhere; "-3" is a number, not an option (add-workdays DATE -3). */
static int cal_parse_opts(int argc, char **argv, struct cal_opts *o)
{
    memset(o, 0, sizeof(*o));
    bool rest = false;
    for (int i = 2; i < argc; i++) {
        const char *a = argv[i];
        if (!rest && !strcmp(a, "--")) {
            rest = true;
            continue;
        }
        if (!rest && a[0] == '-' && a[1] && !ascii_isdigit((unsigned char)a[1])) {
            const char *eq = strchr(a, '=');
            size_t klen = eq ? (size_t)(eq - a) : strlen(a);
            const char **dst = NULL;
            if (!strcmp(a, "--json"))
                o->json = true;
            else if (!strcmp(a, "--local"))
                o->local = true;
            else if (!strcmp(a, "--help") || !strcmp(a, "-h"))
                o->help = true;
            else if (klen == 6 && !strncmp(a, "--from", 6))
                dst = &o->from;
            else if (klen == 4 && !strncmp(a, "--to", 4))
                dst = &o->to;
            else
                return cli_usage("calendar", "unknown option '%s'", a);
            if (dst) {
                if (eq)
                    *dst = eq + 1;
                else if (i + 1 < argc)
                    *dst = argv[++i];
                else
                    return cli_usage("calendar", "%s needs a date", a);
            }
            continue;
        }
        if (o->npos == (int)(sizeof(o->pos) / sizeof(o->pos[0])))
            return cli_usage("calendar", "too many arguments");
        o->pos[o->npos++] = argv[i];
    }
    return -1;
}

static void day_json(struct jw *w, const struct cal_day *d)
{
    jw_kbool(w, "workday", d->work);
    jw_kstr(w, "reason", cal_reason_key(d->reason));
    jw_kstr(w, "name", d->name);
    jw_kbool(w, "estimated", d->estimated);
}

/* "调休上班（国庆节）", "放假（国庆节）", "周末" ... */
static void day_words(const struct cal_day *d, struct buf *b)
{
    buf_adds(b, cal_reason_cn(d->reason));
    if (d->name)
        buf_addf(b, "（%s）", d->name);
}

static int cal_is_workday_cmd(struct cli *c, struct cal *cal, struct cal_opts *o, struct warned *wn)
{
    if (o->npos != 1)
        return cli_usage("calendar", "is-workday takes one DATE");
    int32_t day;
    struct err e = { 0 };
    struct cal_est est = { 0 };
    struct cal_day d;
    if (!cli_date(c, "DATE", o->pos[0], &day))
        return 1;
    if (cal_day(cal, day, &d, &est, &e))
        return cli_fail(c, &e);
    warn_est(c, wn, cal, &est);
    if (o->json) {
        struct buf b;
        struct jw w;
        json_obj_begin(&b, &w);
        jw_kdate(&w, "date", day);
        jw_kint(&w, "weekday", date_weekday(day));
        day_json(&w, &d);
        return json_obj_done(c, &b, &w);
    }
    char ds[11];
    date_fmt(day, ds);
    struct buf words = BUF_INIT;
    day_words(&d, &words);
    printf("%s %s %s %s%s\n", ds, weekday_cn[date_weekday(day)], d.work ? "work" : "off",
           buf_cstr(&words), d.estimated ? " (estimated)" : "");
    buf_release(&words);
    return 0;
}

/* add-workdays DATE N, and next-workday DATE (N = 1): the same answer and shape. */
static int cal_add_cmd(struct cli *c, struct cal *cal, struct cal_opts *o, struct warned *wn,
                       bool next)
{
    if (o->npos != (next ? 1 : 2))
        return cli_usage("calendar", next ? "next-workday takes one DATE"
                                          : "add-workdays takes DATE and N (e.g. 2018-09-28 15)");
    int32_t day, out;
    int n = 1;
    struct err e = { 0 };
    struct cal_est est = { 0 };
    if (!cli_date(c, "DATE", o->pos[0], &day))
        return 1;
    if (!next && !cstr_to_int(o->pos[1], -100000, 100000, &n))
        return cli_failf(
            c, "N '%s' is not a whole number of working days (e.g. 15, or -3 to count back)",
            o->pos[1]);
    if (cal_add(cal, day, n, &out, &est, &e))
        return cli_fail(c, &e);
    warn_est(c, wn, cal, &est);
    if (o->json) {
        struct buf b;
        struct jw w;
        json_obj_begin(&b, &w);
        jw_kdate(&w, "date", day);
        jw_kint(&w, "days", n);
        jw_kdate(&w, "result", out);
        jw_kint(&w, "weekday", date_weekday(out));
        jw_kbool(&w, "estimated", est.estimated);
        return json_obj_done(c, &b, &w);
    }
    char ds[11];
    date_fmt(out, ds);
    printf("%s\n", ds);
    return 0;
}

static int cal_between_cmd(struct cli *c, struct cal *cal, struct cal_opts *o, struct warned *wn)
{
    if (o->npos != 2)
        return cli_usage("calendar", "between takes FROM and TO");
    int32_t from, to;
    int n;
    struct err e = { 0 };
    struct cal_est est = { 0 };
    if (!cli_date(c, "FROM", o->pos[0], &from) || !cli_date(c, "TO", o->pos[1], &to))
        return 1;
    /* Working days after FROM up to and including TO; negative when TO is before FROM. */
    bool neg = to < from;
    if (cal_check(cal, from, &e) || cal_check(cal, to, &e) ||
        cal_count(cal, (neg ? to : from) + 1, neg ? from : to, &n, &est, &e))
        return cli_fail(c, &e);
    if (neg)
        n = -n;
    warn_est(c, wn, cal, &est);
    if (o->json) {
        struct buf b;
        struct jw w;
        json_obj_begin(&b, &w);
        jw_kdate(&w, "from", from);
        jw_kdate(&w, "to", to);
        jw_kint(&w, "working_days", n);
        jw_kint(&w, "calendar_days", to - from);
        jw_kbool(&w, "estimated", est.estimated);
        return json_obj_done(c, &b, &w);
    }
    printf("%d\n", n);
    return 0;
}

static int cal_set_cmd(struct cli *c, struct store *db, struct cal *cal, struct cal_opts *o)
{
    if (o->npos < 3)
        return cli_usage("calendar",
                         "set takes DATE, off or work, and a NAME saying why (e.g. 台风停工)");
    int32_t day;
    if (!cli_date(c, "DATE", o->pos[0], &day))
        return 1;
    bool work;
    if (!strcmp(o->pos[1], "work") || !strcmp(o->pos[1], "上班"))
        work = true;
    else if (!strcmp(o->pos[1], "off") || !strcmp(o->pos[1], "放假"))
        work = false;
    else
        return cli_usage("calendar", "'%s' is neither off nor work", o->pos[1]);
    struct buf name = BUF_INIT;
    for (int i = 2; i < o->npos; i++)
        buf_addf(&name, "%s%s", i > 2 ? " " : "", o->pos[i]);
    struct err e = { 0 };
    struct cal_day before, after;
    char *was = NULL;
    enum rc rc = cal_day(cal, day, &before, NULL, &e);
    bool before_work = !rc && before.work;
    if (!rc)
        rc = cal_db_set(db, day, work, buf_cstr(&name), clk_now(&c->clk), &was, &e);
    if (!rc)
        rc = cal_set_local(cal, day, work, buf_cstr(&name), &e);
    if (!rc)
        rc = cal_day(cal, day, &after, NULL, &e);
    buf_release(&name);
    if (rc) {
        free(was);
        return cli_fail(c, &e);
    }
    if (o->json) {
        struct buf b;
        struct jw w;
        json_obj_begin(&b, &w);
        jw_kdate(&w, "date", day);
        jw_kstr(&w, "kind", work ? "work" : "off");
        jw_kstr(&w, "name", after.name);
        jw_kbool(&w, "was_workday", before_work);
        jw_kstr(&w, "previous_override", was && *was ? was : NULL);
        free(was);
        return json_obj_done(c, &b, &w);
    }
    if (!c->quiet) {
        char ds[11];
        date_fmt(day, ds);
        printf("%s %s: now %s (%s); was %s%s%s\n", ds, weekday_cn[date_weekday(day)],
               work ? "work" : "off", after.name, before_work ? "work" : "off",
               was && *was ? ", override " : "", was && *was ? was : "");
        if (before_work == work)
            printf("note: %s was already a %s; the override records the reason\n", ds,
                   work ? "working day" : "day off");
    }
    free(was);
    return 0;
}

static int cal_unset_cmd(struct cli *c, struct store *db, struct cal *cal, struct cal_opts *o)
{
    if (o->npos != 1)
        return cli_usage("calendar", "unset takes one DATE");
    int32_t day;
    if (!cli_date(c, "DATE", o->pos[0], &day))
        return 1;
    struct err e = { 0 };
    struct cal_day d;
    if (cal_db_unset(db, day, &e))
        return cli_fail(c, &e);
    cal_unset_local(cal, day);
    if (cal_day(cal, day, &d, NULL, &e))
        return cli_fail(c, &e);
    if (o->json) {
        struct buf b;
        struct jw w;
        json_obj_begin(&b, &w);
        jw_kdate(&w, "date", day);
        jw_kbool(&w, "removed", true);
        day_json(&w, &d);
        return json_obj_done(c, &b, &w);
    }
    if (!c->quiet) {
        char ds[11];
        struct buf words = BUF_INIT;
        day_words(&d, &words);
        date_fmt(day, ds);
        printf("%s: local override removed; now %s %s\n", ds, d.work ? "work" : "off",
               buf_cstr(&words));
        buf_release(&words);
    }
    return 0;
}

struct list_ctx {
    struct jw *w;
    struct table *t;
    bool local_only;
    int n;
};

static int list_row(const struct cal_row *r, const struct cal_row *shadowed, void *ctx)
{
    struct list_ctx *l = ctx;
    if (l->local_only && !r->local)
        return 0;
    l->n++;
    char ds[11];
    date_fmt(r->day, ds);
    if (l->w) {
        jw_obj(l->w);
        jw_kstr(l->w, "date", ds);
        jw_kint(l->w, "weekday", date_weekday(r->day));
        jw_kstr(l->w, "kind", r->work ? "work" : "off");
        jw_kstr(l->w, "name", r->name);
        jw_kstr(l->w, "source", r->local ? "local" : "table");
        if (shadowed) {
            jw_key(l->w, "overrides");
            jw_obj(l->w);
            jw_kstr(l->w, "kind", shadowed->work ? "work" : "off");
            jw_kstr(l->w, "name", shadowed->name);
            jw_end(l->w);
        }
        jw_end(l->w);
    } else {
        struct buf note = BUF_INIT;
        if (shadowed)
            buf_addf(&note, "本地覆盖（原为 %s %s）", shadowed->work ? "work" : "off",
                     shadowed->name ? shadowed->name : "");
        else
            buf_adds(&note, r->local ? "本地" : "国务院通知");
        table_addf(l->t, ds, weekday_cn[date_weekday(r->day)], r->work ? "work" : "off",
                   r->name ? r->name : "", buf_cstr(&note));
        buf_release(&note);
    }
    return 0;
}

static int cal_list_cmd(struct cli *c, struct cal *cal, struct cal_opts *o)
{
    if (o->npos)
        return cli_usage("calendar", "list takes no arguments; use --from DATE and --to DATE");
    int32_t from = DATE_NONE, to = DATE_NONE;
    if ((o->from && !cli_date(c, "--from", o->from, &from)) ||
        (o->to && !cli_date(c, "--to", o->to, &to)))
        return 1;
    struct list_ctx l = { .local_only = o->local };
    if (o->json) {
        struct buf b = BUF_INIT;
        struct jw w;
        jw_init(&w, &b, true);
        jw_arr(&w);
        l.w = &w;
        cal_rows(cal, from, to, list_row, &l);
        return json_obj_done(c, &b, &w);
    }
    const char *h[] = { "日期", "星期", "类型", "名称", "来源" };
    l.t = table_new(5, h);
    cal_rows(cal, from, to, list_row, &l);
    table_print(l.t, stdout);
    table_free(l.t);
    if (!c->quiet)
        fprintf(stderr, "%d row%s; the table (%s) covers %d-%d\n", l.n, l.n == 1 ? "" : "s",
                cal->source, cal->year_first, cal->year_last);
    return 0;
}

int cmd_calendar(struct cli *c, int argc, char **argv)
{
    if (argc < 2)
        return cli_usage("calendar",
                         "missing subcommand (is-workday, next-workday, add-workdays, between, "
                         "set, unset or list)");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help"))
        return cli_help("calendar");
    struct cal_opts o;
    int r = cal_parse_opts(argc, argv, &o);
    if (r >= 0)
        return r;
    if (o.help)
        return cli_help("calendar");
    static const char *const subs[] = { "is-workday", "next-workday", "add-workdays", "between",
                                        "set",        "unset",        "list",         NULL };
    bool known = false;
    for (int i = 0; subs[i]; i++)
        known |= !strcmp(sub, subs[i]);
    if (!known)
        return cli_usage("calendar", "unknown subcommand '%s'", sub);
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct cal *cal = NULL;
    struct err e = { 0 };
    if (cal_load(db, &cal, &e))
        return cli_fail(c, &e);
    struct warned wn = { MAP_INIT };
    if (!strcmp(sub, "is-workday"))
        r = cal_is_workday_cmd(c, cal, &o, &wn);
    else if (!strcmp(sub, "next-workday") || !strcmp(sub, "add-workdays"))
        r = cal_add_cmd(c, cal, &o, &wn, !strcmp(sub, "next-workday"));
    else if (!strcmp(sub, "between"))
        r = cal_between_cmd(c, cal, &o, &wn);
    else if (!strcmp(sub, "set"))
        r = cal_set_cmd(c, db, cal, &o);
    else if (!strcmp(sub, "unset"))
        r = cal_unset_cmd(c, db, cal, &o);
    else
        r = cal_list_cmd(c, cal, &o);
    map_release(&wn.seen, NULL);
    cal_free(cal);
    return r;
}

/* --- deadline ------------------------------------------------------------------------------ */

static void rule_secs(struct buf *b, int secs)
{
    if (secs % 60)
        buf_addf(b, "%02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
    else
        buf_addf(b, "%02d:%02d", secs / 3600, secs / 60 % 60);
}

static int list_rules(struct cli *c, const struct deadline_rules *rules, bool json)
{
    struct buf b = BUF_INIT;
    if (json) {
        struct jw w;
        jw_init(&w, &b, true);
        jw_arr(&w);
        for (size_t i = 0; i < rules->n; i++) {
            const struct deadline_rule *r = &rules->v[i];
            struct buf t = BUF_INIT;
            jw_obj(&w);
            jw_kstr(&w, "name", r->name);
            jw_kstr(&w, "title", r->title);
            jw_kint(&w, "days", r->days);
            jw_kstr(&w, "start", r->start == DEADLINE_SAME_DAY ? "same-day" : "next-day");
            rule_secs(&t, r->due_secs);
            jw_kstr(&w, "due", buf_cstr(&t));
            buf_reset(&t);
            if (r->opens_secs >= 0)
                rule_secs(&t, r->opens_secs);
            jw_kstr(&w, "opens", r->opens_secs >= 0 ? buf_cstr(&t) : NULL);
            buf_release(&t);
            jw_kint(&w, "extension", r->extension_max);
            jw_kint(&w, "extensions", r->extensions);
            jw_kbool(&w, "pause", r->pause);
            jw_kbool(&w, "restart", r->restart);
            jw_kdate(&w, "valid_from", r->valid_from);
            jw_kdate(&w, "valid_to", r->valid_to);
            jw_kstr(&w, "source", r->source);
            jw_kbool(&w, "builtin", r->builtin);
            jw_kstr(&w, "configured_at", r->where[0] ? r->where : NULL);
            jw_end(&w);
        }
        return json_obj_done(c, &b, &w);
    }
    const char *h[] = { "规则", "工作日", "起算", "截止", "延长", "暂停", "补正", "名称" };
    struct table *t = table_new(8, h);
    for (size_t i = 0; i < rules->n; i++) {
        const struct deadline_rule *r = &rules->v[i];
        char days[16], ext[32];
        snprintf(days, sizeof(days), "%d", r->days);
        if (r->extension_max)
            snprintf(ext, sizeof(ext), "%d×%d", r->extensions, r->extension_max);
        else
            snprintf(ext, sizeof(ext), "-");
        buf_reset(&b);
        if (r->opens_secs >= 0) {
            rule_secs(&b, r->opens_secs);
            buf_addc(&b, '-');
        }
        rule_secs(&b, r->due_secs);
        table_addf(t, r->name, days, r->start == DEADLINE_SAME_DAY ? "当日" : "次日", buf_cstr(&b),
                   ext, r->pause ? "yes" : "no", r->restart ? "yes" : "no", r->title);
    }
    table_print(t, stdout);
    table_free(t);
    buf_release(&b);
    return 0;
}

struct times {
    int64_t *v;
    size_t n, cap;
};

/* RECEIVED values: the arguments, and for "-" the lines of standard input. */
static int read_received(struct cli *c, int argc, char **argv, int tz, struct times *out)
{
    struct err e = { 0 };
    for (int i = optind; i < argc; i++) {
        if (strcmp(argv[i], "-")) {
            int64_t t;
            if (deadline_parse_time(argv[i], tz, &t, &e))
                return cli_fail(c, &e);
            vec_push(out, t);
            continue;
        }
        char line[256];
        long lineno = 0;
        while (fgets(line, sizeof(line), stdin)) {
            lineno++;
            size_t n = strlen(line);
            if (n == sizeof(line) - 1 && line[n - 1] != '\n')
                return cli_failf(c, "standard input:%ld: line too long for a time", lineno);
            struct str s = str_trim((struct str){ line, n });
            if (!s.n || s.p[0] == '#')
                continue;
            char *v = str_dup(s);
            int64_t t;
            enum rc rc = deadline_parse_time(v, tz, &t, &e);
            free(v);
            if (rc) {
                err_prefix(&e, "standard input:%ld: ", lineno);
                return cli_fail(c, &e);
            }
            vec_push(out, t);
        }
    }
    return -1;
}

int cmd_deadline(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = {
        { "rule", required_argument, NULL, 'r' },
        { "event", required_argument, NULL, 'e' },
        { "explain", no_argument, NULL, 'x' },
        { "json", no_argument, NULL, 'j' },
        { "list-rules", no_argument, NULL, 'l' },
        { "help", no_argument, NULL, 'h' },
        { NULL, 0, NULL, 0 },
    };
    const char *rule_name = NULL;
    bool json = false, explain = false, list = false;
    VEC(char *) evtext = VEC_INIT;
    int o;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'r':
            rule_name = optarg;
            break;
        case 'e':
            vec_push(&evtext, optarg);
            break;
        case 'x':
            explain = true;
            break;
        case 'j':
            json = true;
            break;
        case 'l':
            list = true;
            break;
        case 'h':
            vec_release(&evtext);
            return cli_help("deadline");
        default:
            vec_release(&evtext);
            return cli_usage("deadline", "unknown option '%s'", argv[optind - 1]);
        }
    }
    struct err e = { 0 };
    struct deadline_rules rules = { 0 };
    int r = 1;
    struct cal *cal = NULL;
    struct times recv = { 0 };
    VEC(struct deadline_event) evs = VEC_INIT;
    struct deadline_explain ex;
    deadline_explain_init(&ex);
    struct warned wn = { MAP_INIT };
    struct buf b = BUF_INIT;
    if (deadline_rules_load(&rules, &c->conf, &e)) {
        r = cli_fail(c, &e);
        goto out;
    }
    if (list) {
        r = optind < argc ? cli_usage("deadline", "--list-rules takes no RECEIVED")
                          : list_rules(c, &rules, json);
        goto out;
    }
    if (!rule_name) {
        struct buf names = BUF_INIT;
        deadline_rules_names(&rules, &names);
        r = cli_usage("deadline", "--rule is required; one of %s", buf_cstr(&names));
        buf_release(&names);
        goto out;
    }
    const struct deadline_rule *rule = deadline_rule_find(&rules, rule_name);
    if (!rule) {
        struct buf names = BUF_INIT;
        deadline_rules_names(&rules, &names);
        r = cli_failf(
            c,
            "unknown rule '%s'; the rules are %s (add one with a [deadline.NAME] section; "
            "see docs/deadlines.md)",
            rule_name, buf_cstr(&names));
        buf_release(&names);
        goto out;
    }
    if (optind >= argc) {
        r = cli_usage("deadline",
                      "give at least one RECEIVED time, e.g. '2018-09-28 10:00' (or - to read "
                      "them from standard input)");
        goto out;
    }
    struct store *db = cli_db(c);
    if (!db)
        goto out;
    if (cal_load(db, &cal, &e)) {
        r = cli_fail(c, &e);
        goto out;
    }
    for (size_t i = 0; i < evtext.n; i++) {
        struct deadline_event ev;
        if (deadline_event_parse(evtext.v[i], cal->tzoff, &ev, &e)) {
            r = cli_fail(c, &e);
            goto out;
        }
        vec_push(&evs, ev);
    }
    r = read_received(c, argc, argv, cal->tzoff, &recv);
    if (r >= 0)
        goto out;
    /* Check every item first, so a refusal leaves no partial output. */
    for (size_t i = 0; i < recv.n; i++) {
        struct deadline_result res;
        if (deadline_compute(cal, rule, recv.v[i], evs.v, evs.n, &res, NULL, &e)) {
            char t[32];
            time_fmt_iso(recv.v[i], cal->tzoff, t);
            err_prefix(&e, "received %s: ", t);
            r = cli_fail(c, &e);
            goto out;
        }
    }
    struct jw w;
    size_t outside = 0;
    int64_t first_outside = 0;
    if (json) {
        jw_init(&w, &b, true);
        jw_arr(&w);
    }
    for (size_t i = 0; i < recv.n; i++) {
        struct deadline_result res;
        if (deadline_compute(cal, rule, recv.v[i], evs.v, evs.n, &res, explain ? &ex : NULL, &e))
            BUG("deadline_compute failed on its second run: %s", err_msg(&e));
        warn_est(c, &wn, cal, &res.est);
        if (res.out_of_validity && !outside++)
            first_outside = recv.v[i];
        if (json) {
            deadline_json(&w, cal, rule, recv.v[i], &res, explain ? &ex : NULL);
        } else {
            char rt[20], dt[20];
            time_fmt_local(recv.v[i], cal->tzoff, rt);
            if (res.paused) {
                buf_addf(
                    &b,
                    "%s  paused: %d working days counted, %d left; the due time follows the resume\n",
                    rt, res.used, res.remaining);
            } else {
                time_fmt_local(res.due, cal->tzoff, dt);
                buf_addf(&b, "%s  due %s %s  (%s, %d working days%s)\n", rt, dt,
                         weekday_cn[date_weekday(res.due_day)], rule->name, res.working_days,
                         res.est.estimated ? ", estimated" : "");
            }
            if (explain) {
                for (size_t k = 0; k < ex.steps.n; k++)
                    buf_addf(&b, "  %s\n", ex.steps.v[k].text);
                if (i + 1 < recv.n)
                    buf_addc(&b, '\n');
            }
        }
        if (b.n > (1 << 20)) { /* stream large outputs */
            fwrite(b.p, 1, b.n, stdout);
            buf_reset(&b);
        }
    }
    if (json) {
        jw_end(&w);
        jw_finish(&w);
    }
    if (outside && !c->quiet) {
        /* One line for the run, not one per item: bulk input repeats it. */
        struct deadline_result one;
        deadline_compute(cal, rule, first_outside, NULL, 0, &one, NULL, NULL);
        struct buf warn = BUF_INIT;
        deadline_warnings(cal, rule, &one, &warn);
        buf_rtrim(&warn);
        if (outside > 1)
            buf_addf(&warn, " (and %zu more of the %zu items)", outside - 1, recv.n);
        fprintf(stderr, "govsite: warning: %s\n", buf_cstr(&warn));
        buf_release(&warn);
    }
    r = cli_out(c, &b);
out:
    buf_release(&b);
    map_release(&wn.seen, NULL);
    deadline_explain_release(&ex);
    vec_release(&evs);
    vec_release(&recv);
    vec_release(&evtext);
    cal_free(cal);
    deadline_rules_release(&rules);
    return r;
}
