/* cmd_case.c - `govsite case add|event|show|list|log|edit|import|stats`: work items
 * (cases.h, docs/cases.md). */
#include <getopt.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cli/cli.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/notes.h"
#include "core/str.h"
#include "reg/reg.h"

/* Every option of the family; each subcommand says which it takes (O_* bits). */
enum {
    O_KIND = 1 << 0,
    O_UNIT = 1 << 1,
    O_SITE = 1 << 2,
    O_RECEIVED = 1 << 3,
    O_SUBJECT = 1 << 4,
    O_NUMBER = 1 << 5,
    O_CHANNEL = 1 << 6,
    O_CONTENT = 1 << 7,
    O_REQUESTER = 1 << 8,
    O_CONTACT = 1 << 9,
    O_RTYPE = 1 << 10,
    O_PAGE = 1 << 11,
    O_RULE = 1 << 12,
    O_ACTOR = 1 << 13,
    O_JSON = 1 << 14,
    O_AT = 1 << 15,
    O_DAYS = 1 << 16,
    O_OUTCOME = 1 << 17,
    O_NOTE = 1 << 18,
    O_REPLY = 1 << 19,
    O_PUBLIC = 1 << 20,
    O_EXPLAIN = 1 << 21,
    O_ASOF = 1 << 22,
    O_PERSONAL = 1 << 23,
    O_OVERDUE = 1 << 24,
    O_DUE = 1 << 25,
    O_OPEN = 1 << 26,
    O_CLOSED = 1 << 27,
    O_FROM = 1 << 28,
    O_TO = 1 << 29,
};
/* The rest, in opts.more. */
enum { M_BY = 1, M_MAP = 2, M_LIMIT = 4, M_CSV = 8 };

struct opts {
    unsigned set;
    unsigned more;
    const char *kind, *unit, *site, *received, *subject, *number, *channel, *content, *requester,
        *contact, *rtype, *page, *rule, *actor, *at, *days, *outcome, *note, *reply, *as_of, *due,
        *from, *to, *limit, *map, *by;
    int pub; /* -1 unset, 1 --public, 0 --private */
};

/* The options: name, whether it takes a value, its bit (in set or more) and the field
 * of struct opts it fills (NOFIELD for flags). */
#define NOFIELD  SIZE_MAX
#define F(field) offsetof(struct opts, field)
static const struct {
    const char *name;
    bool arg;
    unsigned bit, mbit;
    size_t field;
} optab[] = {
    { "kind", true, O_KIND, 0, F(kind) },
    { "unit", true, O_UNIT, 0, F(unit) },
    { "site", true, O_SITE, 0, F(site) },
    { "received", true, O_RECEIVED, 0, F(received) },
    { "subject", true, O_SUBJECT, 0, F(subject) },
    { "number", true, O_NUMBER, 0, F(number) },
    { "channel", true, O_CHANNEL, 0, F(channel) },
    { "content", true, O_CONTENT, 0, F(content) },
    { "requester", true, O_REQUESTER, 0, F(requester) },
    { "contact", true, O_CONTACT, 0, F(contact) },
    { "requester-type", true, O_RTYPE, 0, F(rtype) },
    { "page-url", true, O_PAGE, 0, F(page) },
    { "rule", true, O_RULE, 0, F(rule) },
    { "actor", true, O_ACTOR, 0, F(actor) },
    { "json", false, O_JSON, 0, NOFIELD },
    { "at", true, O_AT, 0, F(at) },
    { "days", true, O_DAYS, 0, F(days) },
    { "outcome", true, O_OUTCOME, 0, F(outcome) },
    { "note", true, O_NOTE, 0, F(note) },
    { "reply", true, O_REPLY, 0, F(reply) },
    { "public", false, O_PUBLIC, 0, NOFIELD },
    { "private", false, O_PUBLIC, 0, NOFIELD },
    { "explain", false, O_EXPLAIN, 0, NOFIELD },
    { "as-of", true, O_ASOF, 0, F(as_of) },
    { "show-personal", false, O_PERSONAL, 0, NOFIELD },
    { "overdue", false, O_OVERDUE, 0, NOFIELD },
    { "due-within", true, O_DUE, 0, F(due) },
    { "open", false, O_OPEN, 0, NOFIELD },
    { "closed", false, O_CLOSED, 0, NOFIELD },
    { "from", true, O_FROM, 0, F(from) },
    { "to", true, O_TO, 0, F(to) },
    { "limit", true, 0, M_LIMIT, F(limit) },
    { "map", true, 0, M_MAP, F(map) },
    { "by", true, 0, M_BY, F(by) },
    { "csv", false, 0, M_CSV, NOFIELD },
};
#undef F
#define NOPTS (sizeof(optab) / sizeof(optab[0]))

/* Parse the options; returns -1 to go on, or an exit code. */
static int parse(const char *sub, int argc, char **argv, unsigned allowed, unsigned more_allowed,
                 struct opts *o)
{
    struct option lo[NOPTS + 2];
    for (size_t i = 0; i < NOPTS; i++)
        lo[i] = (struct option){ optab[i].name, optab[i].arg ? required_argument : no_argument,
                                 NULL, (int)(256 + i) };
    lo[NOPTS] = (struct option){ "help", no_argument, NULL, 'h' };
    lo[NOPTS + 1] = (struct option){ NULL, 0, NULL, 0 };
    memset(o, 0, sizeof(*o));
    o->pub = -1;
    int ch;
    optind = 0; /* 0: GNU getopt re-initialises (argv differs from the last parse) */
    while ((ch = getopt_long(argc, argv, "h", lo, NULL)) != -1) {
        if (ch == 'h')
            return cli_help("case");
        if (ch < 256 || ch >= 256 + (int)NOPTS)
            return cli_usage("case", "%s: unknown option '%s'", sub, argv[optind - 1]);
        size_t i = (size_t)(ch - 256);
        if ((optab[i].bit && !(allowed & optab[i].bit)) ||
            (optab[i].mbit && !(more_allowed & optab[i].mbit)))
            return cli_usage("case", "%s does not take '%s'", sub, argv[optind - 1]);
        o->set |= optab[i].bit;
        o->more |= optab[i].mbit;
        if (optab[i].field != NOFIELD)
            *(const char **)((char *)o + optab[i].field) = optarg;
        if (optab[i].bit == O_PUBLIC)
            o->pub = !strcmp(optab[i].name, "public");
    }
    return -1;
}

static const char *actor_of(const struct opts *o)
{
    if (o->actor)
        return o->actor;
    const char *a = getenv("GOVSITE_ACTOR");
    if (!str_empty(a))
        return a;
    a = getenv("USER");
    return str_empty(a) ? "cli" : a;
}

/* Open the database and the context; false after printing the error. */
static bool ctx_open(struct cli *c, struct case_ctx *x)
{
    struct store *db = cli_db(c);
    if (!db)
        return false;
    struct err e = { 0 };
    if (case_ctx_init(x, db, &c->conf, &c->clk, &e)) {
        cli_fail(c, &e);
        return false;
    }
    return true;
}

static bool parse_kind(struct cli *c, const char *s, enum case_kind *k)
{
    if (case_kind_parse(s, k))
        return true;
    cli_failf(
        c,
        "unknown kind '%s'; use disclosure (依申请公开), consultation (咨询), complaint (投诉) "
        "or error-report (找错)",
        s ? s : "");
    return false;
}

static bool parse_int(struct cli *c, const char *opt, const char *s, int lo, int hi, int *out)
{
    if (cstr_to_int(s, lo, hi, out))
        return true;
    cli_failf(c, "%s '%s' is not a whole number from %d to %d", opt, s ? s : "", lo, hi);
    return false;
}

static bool lookup_unit(struct cli *c, struct store *db, const char *name, int64_t *id)
{
    struct err e = { 0 };
    if (!reg_unit_lookup(db, name, id, &e))
        return true;
    cli_fail(c, &e);
    return false;
}

static bool lookup_site(struct cli *c, struct store *db, const char *name, int64_t *id)
{
    struct err e = { 0 };
    if (!reg_site_lookup(db, name, id, &e))
        return true;
    cli_fail(c, &e);
    return false;
}

static const char *local(const struct case_ctx *x, int64_t t, char out[20])
{
    if (!t)
        return "-";
    time_fmt_local(t, x->tz, out);
    out[16] = 0; /* minutes are enough in tables */
    return out;
}

/* --- add -------------------------------------------------------------------------------- */

static int case_add_cmd(struct cli *c, int argc, char **argv)
{
    struct opts o;
    int r =
        parse("add", argc, argv,
              O_KIND | O_UNIT | O_SITE | O_RECEIVED | O_SUBJECT | O_NUMBER | O_CHANNEL | O_CONTENT |
                  O_REQUESTER | O_CONTACT | O_RTYPE | O_PAGE | O_RULE | O_ACTOR | O_JSON,
              0, &o);
    if (r >= 0)
        return r;
    if (optind != argc)
        return cli_usage("case", "add: unexpected argument '%s'", argv[optind]);
    if (!o.kind || !o.received || (!o.unit && !o.site))
        return cli_usage("case", "add needs --kind K, --unit U and --received TIME");
    struct case_new n = { .subject = o.subject,
                          .number = o.number,
                          .channel = o.channel,
                          .content = o.content,
                          .requester = o.requester,
                          .contact = o.contact,
                          .requester_type = o.rtype,
                          .page_url = o.page,
                          .rule = o.rule,
                          .actor = actor_of(&o) };
    if (!parse_kind(c, o.kind, &n.kind) ||
        !cli_time(c, "--received", o.received, false, &n.received_at))
        return 1;
    struct case_ctx x;
    if (!ctx_open(c, &x))
        return 1;
    struct err e = { 0 };
    char *num = NULL;
    r = 1;
    if ((o.unit && !lookup_unit(c, x.db, o.unit, &n.unit_id)) ||
        (o.site && !lookup_site(c, x.db, o.site, &n.site_id)))
        goto out;
    if (case_add(&x, &n, &num, &e)) {
        r = cli_fail(c, &e);
        goto out;
    }
    if (o.set & O_JSON) {
        struct arena a = ARENA_INIT;
        struct case_item it;
        struct case_state st;
        struct buf b = BUF_INIT;
        if (case_get(&x, num, &a, &it, &e) ||
            case_state_at(&x, &it,
                          clk_now(&c->clk) > it.received_at ? clk_now(&c->clk) : it.received_at,
                          &st, NULL, &e)) {
            r = cli_fail(c, &e);
        } else {
            struct jw w;
            jw_init(&w, &b, true);
            case_json(&w, &x, &it, &st, CASE_VIEW_MASKED, 0, NULL, false);
            jw_finish(&w);
            r = cli_out(c, &b);
        }
        buf_release(&b);
        arena_release(&a);
    } else {
        printf("%s\n", num);
        r = 0;
    }
out:
    free(num);
    case_ctx_release(&x);
    return r;
}

/* --- show, event, log ------------------------------------------------------------------------ */

static void show_text(struct case_ctx *x, const struct case_item *it, const struct case_state *st,
                      enum case_view view, const struct deadline_explain *ex, struct buf *b)
{
    struct buf t = BUF_INIT;
    char s1[20];
    const struct case_term *ch = case_term_find(case_channels, it->channel);
    const struct case_term *rt = case_term_find(case_requester_types, it->requester_type);
    buf_addf(b, "编号      %s\n类型      %s (%s)\n单位      %s\n", it->number,
             case_kinds[it->kind].cn, case_kinds[it->kind].key, it->unit ? it->unit : "");
    if (it->site)
        buf_addf(b, "网站      %s\n", it->site);
    if (it->page_url)
        buf_addf(b, "页面      %s\n", it->page_url);
    if (ch)
        buf_addf(b, "渠道      %s\n", ch->cn);
    buf_adds(b, "收到      ");
    time_fmt_cn(it->received_at, x->tz, b);
    buf_addc(b, '\n');
    if (it->subject)
        buf_addf(b, "标题      %s\n", it->subject);
    if (it->content)
        buf_addf(b, "内容      %s\n", it->content);
    case_requester_text(it, view, &t);
    if (t.n || rt) {
        buf_addf(b, "申请人    %s%s%s%s\n", buf_cstr(&t), rt ? "（" : "", rt ? rt->cn : "",
                 rt ? "）" : "");
    }
    buf_reset(&t);
    case_contact_text(it, view, &t);
    if (t.n)
        buf_addf(b, "联系方式  %s\n", buf_cstr(&t));
    const struct deadline_rule *rule = deadline_rule_find(&x->rules, it->rule);
    buf_addf(b, "规则      %s：%s\n", it->rule, rule ? rule->title : "?");
    buf_addf(b, "状态      %s (%s)，%s\n", case_statuses[st->status].cn,
             case_statuses[st->status].key, case_timing_cn(st->timing));
    if (st->dl.paused) {
        buf_addf(b, "期限      暂停计时，已计%d个工作日，尚余%d个\n", st->dl.used,
                 st->dl.remaining);
    } else {
        time_fmt_local(st->dl.due, x->tz, s1);
        buf_addf(b, "期限      %s（%d个工作日%s）\n", s1, st->dl.working_days,
                 st->dl.extension ? "，含延期" : "");
    }
    if (st->replied_at) {
        buf_adds(b, "答复      ");
        time_fmt_cn(st->replied_at, x->tz, b);
        buf_addc(b, '\n');
    }
    if (st->closed_at) {
        buf_adds(b, "办结      ");
        time_fmt_cn(st->closed_at, x->tz, b);
        buf_addc(b, '\n');
    }
    const struct case_outcome *o = st->outcome ? case_outcome_find(it->kind, st->outcome) : NULL;
    if (o) {
        buf_adds(b, "结果      ");
        case_outcome_label(o, b);
        buf_addc(b, '\n');
    }
    if (it->reply)
        buf_addf(b, "答复内容  %s%s\n", it->reply, it->reply_public ? "（公开）" : "");
    buf_reset(&t);
    case_allowed_list(x, it, CASE_ROLES_STAFF, &t);
    buf_addf(b, "可办理    %s\n记录\n", buf_cstr(&t));
    for (size_t i = 0; i < it->nev; i++) {
        buf_reset(&t);
        case_event_text(x, &it->ev[i], &t);
        buf_addf(b, "  %zu. %s\n", i + 1, buf_cstr(&t));
    }
    if (ex) {
        buf_adds(b, "期限计算\n");
        for (size_t i = 0; i < ex->steps.n; i++)
            buf_addf(b, "  %s\n", ex->steps.v[i].text);
    }
    buf_release(&t);
}

/* Load NUMBER and its state at `as_of` (0: now); prints errors. */
static bool load(struct cli *c, struct case_ctx *x, const char *number, int64_t as_of,
                 struct arena *a, struct case_item *it, struct case_state *st,
                 struct deadline_explain *ex)
{
    struct err e = { 0 };
    if (case_get(x, number, a, it, &e)) {
        cli_fail(c, &e);
        return false;
    }
    if (!as_of) {
        as_of = clk_now(&c->clk);
        if (it->nev && it->ev[it->nev - 1].at > as_of)
            as_of = it->ev[it->nev - 1].at;
    }
    if (as_of < it->received_at) {
        char t[20];
        time_fmt_local(it->received_at, x->tz, t);
        cli_failf(c, "%s was received at %s, after --as-of", it->number, t);
        return false;
    }
    if (case_state_at(x, it, as_of, st, ex, &e)) {
        cli_fail(c, &e);
        return false;
    }
    return true;
}

static int show_item(struct cli *c, struct case_ctx *x, const char *number, int64_t as_of,
                     bool json, bool explain, bool personal, bool events)
{
    struct arena a = ARENA_INIT;
    struct case_item it;
    struct case_state st;
    struct deadline_explain ex;
    deadline_explain_init(&ex);
    int r = 1;
    if (load(c, x, number, as_of, &a, &it, &st, explain ? &ex : NULL)) {
        struct buf b = BUF_INIT;
        enum case_view v = personal ? CASE_VIEW_FULL : CASE_VIEW_MASKED;
        if (json) {
            struct jw w;
            jw_init(&w, &b, true);
            case_json(&w, x, &it, &st, v, CASE_ROLES_STAFF, explain ? &ex : NULL, events);
            jw_finish(&w);
        } else {
            show_text(x, &it, &st, v, explain ? &ex : NULL, &b);
        }
        r = cli_out(c, &b);
        buf_release(&b);
    }
    deadline_explain_release(&ex);
    arena_release(&a);
    return r;
}

static int case_show_cmd(struct cli *c, int argc, char **argv)
{
    struct opts o;
    int r = parse("show", argc, argv, O_JSON | O_EXPLAIN | O_ASOF | O_PERSONAL, 0, &o);
    if (r >= 0)
        return r;
    if (optind + 1 != argc)
        return cli_usage("case", "show takes one tracking NUMBER");
    int64_t as_of = 0;
    if (o.as_of && !cli_time(c, "--as-of", o.as_of, true, &as_of))
        return 1;
    struct case_ctx x;
    if (!ctx_open(c, &x))
        return 1;
    r = show_item(c, &x, argv[optind], as_of, o.set & O_JSON, o.set & O_EXPLAIN, o.set & O_PERSONAL,
                  true);
    case_ctx_release(&x);
    return r;
}

static int case_event_cmd(struct cli *c, int argc, char **argv)
{
    struct opts o;
    int r = parse(
        "event", argc, argv,
        O_AT | O_DAYS | O_OUTCOME | O_NOTE | O_UNIT | O_REPLY | O_PUBLIC | O_ACTOR | O_JSON, 0, &o);
    if (r >= 0)
        return r;
    if (optind + 2 != argc)
        return cli_usage("case", "event takes a tracking NUMBER and a step TYPE (e.g. answer)");
    struct case_action a = { .type = argv[optind + 1],
                             .outcome = o.outcome,
                             .note = o.note,
                             .reply = o.reply,
                             .reply_public = o.pub,
                             .actor = actor_of(&o),
                             .roles = CASE_ROLES_STAFF };
    if (o.at && !cli_time(c, "--at", o.at, false, &a.at))
        return 1;
    if (o.days && !parse_int(c, "--days", o.days, 1, DEADLINE_MAX_DAYS, &a.days))
        return 1;
    struct case_ctx x;
    if (!ctx_open(c, &x))
        return 1;
    struct err e = { 0 };
    struct case_state st;
    r = 1;
    if (o.unit && !lookup_unit(c, x.db, o.unit, &a.unit_id))
        goto out;
    if (case_act(&x, argv[optind], &a, &st, &e)) {
        r = cli_fail(c, &e);
        goto out;
    }
    if (o.set & O_JSON) {
        r = show_item(c, &x, argv[optind], 0, true, false, false, true);
    } else {
        char d[20];
        if (!c->quiet) {
            printf("%s: %s (%s)", argv[optind], case_statuses[st.status].cn,
                   case_statuses[st.status].key);
            if (st.dl.paused)
                printf("; clock stopped, %d working days left", st.dl.remaining);
            else
                printf("; due %s", (time_fmt_local(st.dl.due, x.tz, d), d));
            if (!st.open || st.replied_at)
                printf("; %s", case_timing_cn(st.timing));
            printf("\n");
        }
        r = 0;
    }
out:
    case_ctx_release(&x);
    return r;
}

static int case_log_cmd(struct cli *c, int argc, char **argv)
{
    struct opts o;
    int r = parse("log", argc, argv, O_JSON, 0, &o);
    if (r >= 0)
        return r;
    if (optind + 1 != argc)
        return cli_usage("case", "log takes one tracking NUMBER");
    struct case_ctx x;
    if (!ctx_open(c, &x))
        return 1;
    struct arena a = ARENA_INIT;
    struct case_item it;
    struct err e = { 0 };
    struct buf b = BUF_INIT;
    if (case_get(&x, argv[optind], &a, &it, &e)) {
        r = cli_fail(c, &e);
    } else {
        if (o.set & O_JSON) {
            struct jw w;
            jw_init(&w, &b, true);
            case_events_json(&w, &x, &it);
            jw_finish(&w);
        } else {
            struct buf t = BUF_INIT;
            for (size_t i = 0; i < it.nev; i++) {
                const struct case_event *ev = &it.ev[i];
                char at[20], rec[20];
                time_fmt_local(ev->at, x.tz, at);
                time_fmt_local(ev->recorded_at, x.tz, rec);
                buf_reset(&t);
                case_event_text(&x, ev, &t);
                buf_addf(&b, "#%d %s %-20s %s -> %s  by %s (recorded %s)\n    %s\n", ev->seq, at,
                         ev->tr->name, ev->from >= 0 ? case_statuses[ev->from].key : "-",
                         case_statuses[ev->to].key, ev->actor, rec, buf_cstr(&t));
                if (ev->payload)
                    buf_addf(&b, "    %s\n", ev->payload);
            }
            buf_release(&t);
        }
        r = cli_out(c, &b);
    }
    buf_release(&b);
    arena_release(&a);
    case_ctx_release(&x);
    return r;
}

static int case_edit_cmd(struct cli *c, int argc, char **argv)
{
    struct opts o;
    int r = parse("edit", argc, argv,
                  O_UNIT | O_SITE | O_SUBJECT | O_CHANNEL | O_CONTENT | O_REQUESTER | O_CONTACT |
                      O_RTYPE | O_PAGE | O_REPLY | O_PUBLIC | O_NOTE | O_ACTOR,
                  0, &o);
    if (r >= 0)
        return r;
    if (optind + 1 != argc)
        return cli_usage("case", "edit takes one tracking NUMBER and the fields to change");
    struct case_edit ed = { .subject = o.subject,
                            .channel = o.channel,
                            .content = o.content,
                            .requester = o.requester,
                            .contact = o.contact,
                            .requester_type = o.rtype,
                            .page_url = o.page,
                            .reply = o.reply,
                            .reply_public = o.pub,
                            .note = o.note,
                            .actor = actor_of(&o) };
    struct case_ctx x;
    if (!ctx_open(c, &x))
        return 1;
    struct err e = { 0 };
    int changed = 0;
    r = 1;
    if ((o.unit && !lookup_unit(c, x.db, o.unit, &ed.unit_id)) ||
        (o.site && !lookup_site(c, x.db, o.site, &ed.site_id)))
        goto out;
    if (case_edit(&x, argv[optind], &ed, &changed, &e)) {
        r = cli_fail(c, &e);
        goto out;
    }
    if (!c->quiet)
        printf("%s: %d field%s changed\n", argv[optind], changed, changed == 1 ? "" : "s");
    r = 0;
out:
    case_ctx_release(&x);
    return r;
}

/* --- list --------------------------------------------------------------------------------- */

static int case_list_cmd(struct cli *c, int argc, char **argv)
{
    struct opts o;
    int r = parse("list", argc, argv,
                  O_KIND | O_UNIT | O_SITE | O_OVERDUE | O_DUE | O_OPEN | O_CLOSED | O_ASOF |
                      O_FROM | O_TO | O_JSON | O_PERSONAL,
                  M_LIMIT | M_CSV, &o);
    if (r >= 0)
        return r;
    if (optind != argc)
        return cli_usage("case", "list: unexpected argument '%s'", argv[optind]);
    int which =
        !!(o.set & O_OVERDUE) + !!(o.set & O_DUE) + !!(o.set & O_OPEN) + !!(o.set & O_CLOSED);
    if (which > 1)
        return cli_usage("case", "list takes one of --overdue, --due-within N, --open, --closed");
    if ((o.more & M_CSV) && (o.set & (O_JSON | O_PERSONAL)))
        return cli_usage("case", "--csv is an export: always masked, and not with --json or "
                                 "--show-personal");
    struct case_filter f = { .from = DATE_NONE, .to = DATE_NONE };
    struct err e = { 0 };
    f.which = o.set & O_OVERDUE  ? CASE_LIST_OVERDUE
              : o.set & O_DUE    ? CASE_LIST_DUE_SOON
              : o.set & O_OPEN   ? CASE_LIST_OPEN
              : o.set & O_CLOSED ? CASE_LIST_CLOSED
                                 : CASE_LIST_ALL;
    int lim = 0;
    if ((o.kind && case_kinds_parse(o.kind, &f.kinds, &e)))
        return cli_fail(c, &e);
    if ((o.due && !parse_int(c, "--due-within", o.due, 0, 1000, &f.due_within)) ||
        (o.as_of && !cli_time(c, "--as-of", o.as_of, true, &f.as_of)) ||
        (o.from && !cli_date(c, "--from", o.from, &f.from)) ||
        (o.to && !cli_date(c, "--to", o.to, &f.to)) ||
        (o.limit && !parse_int(c, "--limit", o.limit, 1, 1000000, &lim)))
        return 1;
    f.limit = (size_t)lim;
    struct case_ctx x;
    if (!ctx_open(c, &x))
        return 1;
    struct case_list l = { 0 };
    struct buf b = BUF_INIT;
    r = 1;
    if ((o.unit && !lookup_unit(c, x.db, o.unit, &f.unit_id)) ||
        (o.site && !lookup_site(c, x.db, o.site, &f.site_id)))
        goto out;
    if (case_query(&x, &f, &l, &e)) {
        r = cli_fail(c, &e);
        goto out;
    }
    enum case_view v = o.set & O_PERSONAL ? CASE_VIEW_FULL : CASE_VIEW_MASKED;
    if (o.more & M_CSV) {
        if (case_export_csv(&x, &f, &b, &e))
            r = cli_fail(c, &e);
        else
            r = cli_out(c, &b);
    } else if (o.set & O_JSON) {
        struct jw w;
        jw_init(&w, &b, true);
        jw_arr(&w);
        for (size_t i = 0; i < l.items.n; i++)
            case_json(&w, &x, &l.items.v[i], &l.states.v[i], v, 0, NULL, false);
        jw_end(&w);
        jw_finish(&w);
        r = cli_out(c, &b);
    } else {
        const char *h[] = { "编号", "类型", "单位", "收到", "期限", "状态", "时效" };
        struct table *t = table_new(7, h);
        for (size_t i = 0; i < l.items.n; i++) {
            const struct case_item *it = &l.items.v[i];
            const struct case_state *st = &l.states.v[i];
            char rs[20], ds[20];
            table_addf(t, it->number, case_kinds[it->kind].cn, it->unit ? it->unit : "",
                       local(&x, it->received_at, rs),
                       st->dl.paused ? "暂停计时" : local(&x, st->dl.due, ds),
                       case_statuses[st->status].cn, case_timing_cn(st->timing));
        }
        table_print(t, stdout);
        table_free(t);
        fflush(stdout);
        if (!c->quiet)
            fprintf(stderr, "%zu item%s\n", l.items.n, l.items.n == 1 ? "" : "s");
        r = 0;
    }
out:
    buf_release(&b);
    case_list_release(&l);
    case_ctx_release(&x);
    return r;
}

/* --- import ------------------------------------------------------------------------------- */

static bool load_map(struct cli *c, const char *arg, struct case_map *m)
{
    struct err e = { 0 };
    struct buf text = BUF_INIT;
    buf_init(&text, CASE_MAP_MAX);
    FILE *f = fopen(arg, "rb");
    enum rc rc;
    if (f) {
        fclose(f);
        rc = buf_read_file(&text, arg, &e);
        if (!rc)
            rc = case_map_parse(arg, text.p ? text.p : "", text.n, m, &e);
    } else if (strchr(arg, '=')) {
        rc = case_map_parse("--map", arg, strlen(arg), m, &e);
    } else {
        rc = err_set(&e, RC_NOTFOUND,
                     "--map '%s' is neither a mapping file nor field=header pairs (e.g. "
                     "--map number=留言编号,received=留言时间)",
                     arg);
    }
    buf_release(&text);
    if (rc)
        cli_fail(c, &e);
    return !rc;
}

static int case_import_cmd(struct cli *c, int argc, char **argv)
{
    struct opts o;
    int r = parse("import", argc, argv, O_KIND | O_ACTOR | O_JSON, M_MAP, &o);
    if (r >= 0)
        return r;
    if (optind + 1 != argc)
        return cli_usage("case", "import takes one CSV FILE (or - for standard input)");
    if (!o.kind)
        return cli_usage("case", "import needs --kind K (disclosure, consultation, complaint or "
                                 "error-report)");
    enum case_kind k;
    struct case_map m = { 0 };
    if (!parse_kind(c, o.kind, &k) || (o.map && !load_map(c, o.map, &m)))
        return 1;
    struct case_ctx x;
    if (!ctx_open(c, &x)) {
        case_map_release(&m);
        return 1;
    }
    struct case_import_result res;
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    const char *file = argv[optind];
    if (case_import(&x, k, file, &m, actor_of(&o), &res, &bad, &e)) {
        cli_print_notes(&bad);
        r = cli_fail(c, &e);
    } else if (o.set & O_JSON) {
        struct buf b = BUF_INIT;
        struct jw w;
        jw_init(&w, &b, true);
        jw_obj(&w);
        jw_kstr(&w, "file", file);
        jw_kstr(&w, "kind", case_kinds[k].key);
        jw_kint(&w, "rows", res.rows);
        jw_kint(&w, "added", res.added);
        jw_kint(&w, "updated", res.updated);
        jw_kint(&w, "unchanged", res.unchanged);
        jw_end(&w);
        jw_finish(&w);
        r = cli_out(c, &b);
        buf_release(&b);
    } else {
        if (!c->quiet)
            printf("%s: %d rows: %d added, %d updated, %d unchanged\n", file, res.rows, res.added,
                   res.updated, res.unchanged);
        r = 0;
    }
    notes_release(&bad);
    case_map_release(&m);
    case_ctx_release(&x);
    return r;
}

/* --- stats -------------------------------------------------------------------------------- */

static void stats_fields(struct jw *w, const struct case_stats *s)
{
    jw_kint(w, "received", s->received);
    jw_kint(w, "closed", s->closed);
    jw_kint(w, "closed_on_time", s->closed_on_time);
    jw_kint(w, "closed_late", s->closed_late);
    jw_kint(w, "open_not_due", s->open_not_due);
    jw_kint(w, "open_overdue", s->open_overdue);
    if (s->rate_defined)
        jw_kdouble(w, "on_time_rate", s->on_time_rate);
    else
        jw_knull(w, "on_time_rate");
    if (s->closed) {
        jw_kdouble(w, "mean_days", s->mean_days);
        jw_kdouble(w, "mean_working_days", s->mean_working_days);
    } else {
        jw_knull(w, "mean_days");
        jw_knull(w, "mean_working_days");
    }
}

static void rate_text(const struct case_stats *s, char out[16])
{
    if (s->rate_defined)
        snprintf(out, 16, "%.1f%%", 100.0 * s->on_time_rate);
    else
        snprintf(out, 16, "-");
}

static int case_stats_cmd(struct cli *c, int argc, char **argv)
{
    struct opts o;
    int r = parse("stats", argc, argv, O_KIND | O_FROM | O_TO | O_ASOF | O_JSON, M_BY, &o);
    if (r >= 0)
        return r;
    if (optind != argc)
        return cli_usage("case", "stats: unexpected argument '%s'", argv[optind]);
    if (!o.kind || !o.from || !o.to)
        return cli_usage("case", "stats needs --kind K, --from DATE and --to DATE");
    unsigned kinds;
    int32_t from, to;
    int64_t as_of = 0;
    enum case_group by = CASE_BY_NONE;
    struct err e = { 0 };
    if (case_kinds_parse(o.kind, &kinds, &e))
        return cli_fail(c, &e);
    if (!cli_date(c, "--from", o.from, &from) || !cli_date(c, "--to", o.to, &to) ||
        (o.as_of && !cli_time(c, "--as-of", o.as_of, true, &as_of)))
        return 1;
    if (o.by && !case_group_parse(o.by, &by))
        return cli_usage("case", "--by '%s': use unit, site or kind", o.by);
    if (to < from)
        return cli_usage("case", "--to is before --from");
    if (!as_of)
        as_of = clk_now(&c->clk);
    struct case_ctx x;
    if (!ctx_open(c, &x))
        return 1;
    struct case_stats_result res;
    struct buf b = BUF_INIT;
    if (case_stats(&x, kinds, from, to, as_of, by, &res, &e)) {
        r = cli_fail(c, &e);
        goto out;
    }
    static const char *const by_key[] = { "", "unit", "site", "kind" };
    if (o.set & O_JSON) {
        struct jw w;
        jw_init(&w, &b, true);
        jw_obj(&w);
        jw_key(&w, "kinds");
        jw_arr(&w);
        for (int k = 0; k < CASE_NKINDS; k++)
            if (kinds & CASE_KIND_BIT(k))
                jw_str(&w, case_kinds[k].key);
        jw_end(&w);
        jw_kdate(&w, "from", from);
        jw_kdate(&w, "to", to);
        jw_ktime(&w, "as_of", as_of, x.tz);
        stats_fields(&w, &res.total);
        if (by) {
            jw_kstr(&w, "by", by_key[by]);
            jw_key(&w, "groups");
            jw_arr(&w);
            for (size_t i = 0; i < res.groups.n; i++) {
                jw_obj(&w);
                jw_kstr(&w, by_key[by], res.groups.v[i].label);
                stats_fields(&w, &res.groups.v[i].s);
                jw_end(&w);
            }
            jw_end(&w);
        }
        jw_end(&w);
        jw_finish(&w);
        r = cli_out(c, &b);
        goto out;
    }
    const struct case_stats *s = &res.total;
    char rate[16], fd[11], td[11];
    date_fmt(from, fd);
    date_fmt(to, td);
    for (int k = 0, first = 1; k < CASE_NKINDS; k++)
        if (kinds & CASE_KIND_BIT(k)) {
            buf_addf(&b, "%s%s", first ? "" : "、", case_kinds[k].cn);
            first = 0;
        }
    buf_addf(&b, " %s 至 %s 收到，截至 ", fd, td);
    time_fmt_cn(as_of, x.tz, &b);
    rate_text(s, rate);
    buf_addf(
        &b,
        "\n收到 %d 宗；已办结 %d 宗（按时 %d，逾期 %d）；未办结 %d 宗（未到期 %d，已逾期 %d）；"
        "按时办结率 %s\n",
        s->received, s->closed, s->closed_on_time, s->closed_late,
        s->open_not_due + s->open_overdue, s->open_not_due, s->open_overdue, rate);
    if (s->closed)
        buf_addf(&b, "平均办理时间 %.1f 个工作日（%.1f 天）\n", s->mean_working_days, s->mean_days);
    r = cli_out(c, &b);
    if (by && !r) {
        static const char *const by_cn[] = { "", "单位", "网站", "类型" };
        const char *h[] = {
            by_cn[by], "收到", "办结", "按时", "逾期", "未到期", "已逾期", "按时率"
        };
        struct table *t = table_new(8, h);
        for (size_t i = 0; i < res.groups.n; i++) {
            const struct case_stats *g = &res.groups.v[i].s;
            char n[7][16];
            int v[6] = { g->received,    g->closed,       g->closed_on_time,
                         g->closed_late, g->open_not_due, g->open_overdue };
            for (int j = 0; j < 6; j++)
                snprintf(n[j], sizeof(n[j]), "%d", v[j]);
            rate_text(g, n[6]);
            table_addf(t, res.groups.v[i].label, n[0], n[1], n[2], n[3], n[4], n[5], n[6]);
        }
        printf("\n");
        table_print(t, stdout);
        table_free(t);
    }
out:
    buf_release(&b);
    case_stats_release(&res);
    case_ctx_release(&x);
    return r;
}

int cmd_case(struct cli *c, int argc, char **argv)
{
    static const struct {
        const char *name;
        int (*fn)(struct cli *, int, char **);
    } subs[] = {
        { "add", case_add_cmd },       { "event", case_event_cmd }, { "show", case_show_cmd },
        { "list", case_list_cmd },     { "log", case_log_cmd },     { "edit", case_edit_cmd },
        { "import", case_import_cmd }, { "stats", case_stats_cmd },
    };
    if (argc < 2)
        return cli_usage("case", "missing subcommand (add, event, show, list, log, edit, import, "
                                 "stats)");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help"))
        return cli_help("case");
    for (size_t i = 0; i < sizeof(subs) / sizeof(subs[0]); i++)
        if (!strcmp(sub, subs[i].name))
            return subs[i].fn(c, argc - 1, argv + 1);
    return cli_usage("case", "unknown subcommand '%s'", sub);
}
