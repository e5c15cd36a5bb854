/* case.c - work items: configuration, loading, replay of the events, the workflow's
 * checks and the writes (cases.h). */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_int.h"
#include "core/date.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"

/* --- Configuration ------------------------------------------------------------------- */

/* Parse a rule schedule "RULE, DATE RULE, ..." into kc. */
static enum rc parse_schedule(const struct case_ctx *x, const char *spec, const char *where,
                              const char *section, struct case_kind_conf *kc, struct err *err)
{
    kc->nsched = 0;
    struct str rest = str_of(spec), item;
    while (rest.n) {
        str_split(&rest, ',', &item);
        item = str_trim(item);
        if (!item.n)
            continue;
        if (kc->nsched >= CASE_SCHED_MAX)
            return err_set(err, RC_INVALID, "%s: [%s] rules: at most %d entries", where, section,
                           CASE_SCHED_MAX);
        char tok[160];
        snprintf(tok, sizeof(tok), "%.*s", (int)(item.n < 159 ? item.n : 159), item.p);
        char *sp = strchr(tok, ' ');
        int32_t from = DATE_NONE;
        const char *name = tok;
        if (sp) {
            *sp = 0;
            if (!date_parse(tok, &from))
                return err_set(err, RC_INVALID,
                               "%s: [%s] rules: '%s' is not a date; write RULE, YYYY-MM-DD RULE "
                               "(e.g. disclosure-2008, 2019-05-15 disclosure-2019)",
                               where, section, tok);
            name = sp + 1;
            while (*name == ' ')
                name++;
        }
        if (kc->nsched == 0 && from != DATE_NONE)
            return err_set(err, RC_INVALID,
                           "%s: [%s] rules: the first entry applies before any date and takes no "
                           "date; write RULE, YYYY-MM-DD RULE",
                           where, section);
        if (kc->nsched > 0 && from == DATE_NONE)
            return err_set(err, RC_INVALID,
                           "%s: [%s] rules: '%s' needs the date it applies from; write "
                           "YYYY-MM-DD RULE",
                           where, section, tok);
        if (kc->nsched > 1 && from <= kc->sched[kc->nsched - 1].from)
            return err_set(err, RC_INVALID, "%s: [%s] rules: the dates must increase", where,
                           section);
        if (!deadline_rule_find(&x->rules, name)) {
            struct buf names = BUF_INIT;
            deadline_rules_names(&x->rules, &names);
            err_set(err, RC_INVALID, "%s: [%s] rules: unknown rule '%s'; the rules are %s", where,
                    section, name, buf_cstr(&names));
            buf_release(&names);
            return RC_INVALID;
        }
        kc->sched[kc->nsched].from = from;
        snprintf(kc->sched[kc->nsched].rule, sizeof(kc->sched[0].rule), "%.*s",
                 (int)sizeof(kc->sched[0].rule) - 1, name);
        kc->nsched++;
    }
    if (!kc->nsched)
        return err_set(err, RC_INVALID, "%s: [%s] rules is empty; name a deadline rule", where,
                       section);
    return RC_OK;
}

static enum rc configure(struct case_ctx *x, const struct conf *conf, struct err *err)
{
    map_foreach(&conf->kv, e) {
        if (strncmp(e->key, "case.", 5))
            continue;
        const char *where = map_gets(&conf->line, e->key);
        where = where ? where : "configuration";
        const char *kind = e->key + 5;
        const char *dot = strrchr(kind, '.');
        char kname[64];
        snprintf(kname, sizeof(kname), "%.*s", dot ? (int)(dot - kind) : 0, kind);
        enum case_kind k;
        if (!dot || !case_kind_parse(kname, &k) || strcmp(kname, case_kinds[k].key))
            return err_set(err, RC_INVALID,
                           "%s: [case.%s] is not a kind; use [case.disclosure], "
                           "[case.consultation], [case.complaint] or [case.error-report]",
                           where, dot ? kname : kind);
        const char *key = dot + 1, *val = (const char *)e->val;
        char section[80];
        snprintf(section, sizeof(section), "case.%s", kname);
        if (!strcmp(key, "rules") || !strcmp(key, "rule")) {
            if (parse_schedule(x, val, where, section, &x->kconf[k], err))
                return RC_INVALID;
        } else if (!strcmp(key, "prefix")) {
            size_t n = strlen(val);
            bool ok = n >= 1 && n <= 12;
            for (size_t i = 0; i < n && ok; i++)
                ok = ascii_isalnum((unsigned char)val[i]);
            if (!ok)
                return err_set(err, RC_INVALID,
                               "%s: [%s] prefix '%s' must be 1 to 12 ASCII letters or digits",
                               where, section, val);
            snprintf(x->kconf[k].prefix, sizeof(x->kconf[k].prefix), "%s", val);
        } else {
            return err_set(err, RC_INVALID,
                           "%s: [%s] has no key '%s'; the keys are rules and prefix", where,
                           section, key);
        }
    }
    return RC_OK;
}

enum rc case_ctx_init(struct case_ctx *x, struct store *db, const struct conf *conf,
                      const struct clk *clk, struct err *err)
{
    memset(x, 0, sizeof(*x));
    x->db = db;
    x->clk = clk;
    if (cal_load(db, &x->cal, err))
        return err->rc ? err->rc : RC_DB;
    x->tz = x->cal->tzoff;
    if (deadline_rules_load(&x->rules, conf, err)) {
        case_ctx_release(x);
        return RC_INVALID;
    }
    for (int k = 0; k < CASE_NKINDS; k++) {
        snprintf(x->kconf[k].prefix, sizeof(x->kconf[k].prefix), "%s", case_kinds[k].prefix);
        if (parse_schedule(x, case_kinds[k].rules, "built-in", case_kinds[k].key, &x->kconf[k],
                           err))
            BUG("built-in rule schedule of %s: %s", case_kinds[k].key, err_msg(err));
    }
    if (conf && configure(x, conf, err)) {
        case_ctx_release(x);
        return RC_INVALID;
    }
    return RC_OK;
}

void case_ctx_release(struct case_ctx *x)
{
    cal_free(x->cal);
    x->cal = NULL;
    if (x->rules.v)
        deadline_rules_release(&x->rules);
    memset(&x->rules, 0, sizeof(x->rules));
}

const struct deadline_rule *case_rule_for(const struct case_ctx *x, enum case_kind k,
                                          int64_t received)
{
    const struct case_kind_conf *kc = &x->kconf[k];
    int32_t day = time_to_date(received, x->tz);
    const char *name = kc->sched[0].rule;
    for (int i = 1; i < kc->nsched; i++)
        if (day >= kc->sched[i].from)
            name = kc->sched[i].rule;
    return deadline_rule_find(&x->rules, name);
}

/* --- Loading ------------------------------------------------------------------------- */

static const char *adup(struct arena *a, struct stmt *st, int col)
{
    const char *s = stmt_text(st, col);
    return s ? arena_strdup(a, s) : NULL;
}

bool case__item_read(struct stmt *st, struct arena *a, struct case_item *it, struct err *err)
{
    memset(it, 0, sizeof(*it));
    it->id = stmt_int(st, 0);
    it->number = adup(a, st, 1);
    if (!case_kind_parse(stmt_str(st, 2), &it->kind)) {
        err_set(err, RC_DB,
                "item %s has the unknown kind '%s'; is this govsite older than the database?",
                stmt_str(st, 1), stmt_str(st, 2));
        return false;
    }
    it->unit_id = stmt_int(st, 3);
    it->site_id = stmt_int(st, 4);
    it->unit = adup(a, st, 5);
    it->site = adup(a, st, 6);
    it->page_url = adup(a, st, 7);
    it->channel = adup(a, st, 8);
    it->received_at = stmt_int(st, 9);
    it->subject = adup(a, st, 10);
    it->content = adup(a, st, 11);
    it->requester = adup(a, st, 12);
    it->contact = adup(a, st, 13);
    it->requester_type = adup(a, st, 14);
    it->rule = adup(a, st, 15);
    it->reply = adup(a, st, 16);
    it->reply_public = stmt_int(st, 17) != 0;
    if (!case_status_parse(stmt_str(st, 18), &it->status)) {
        err_set(err, RC_DB, "item %s has the unknown status '%s'", it->number, stmt_str(st, 18));
        return false;
    }
    it->due_at = stmt_int(st, 19);
    it->replied_at = stmt_int(st, 20);
    it->closed_at = stmt_int(st, 21);
    it->outcome = adup(a, st, 22);
    it->created_at = stmt_int(st, 23);
    it->updated_at = stmt_int(st, 24);
    return true;
}

bool case__event_read(struct stmt *st, struct arena *a, struct case_event *e, int64_t *case_id,
                      struct err *err)
{
    memset(e, 0, sizeof(*e));
    *case_id = stmt_int(st, 0);
    e->id = stmt_int(st, 1);
    e->seq = (int)stmt_int(st, 2);
    e->tr = case_transition_find(stmt_str(st, 3));
    if (!e->tr) {
        err_set(err, RC_DB,
                "event %lld has the unknown type '%s'; is this govsite older than the database?",
                (long long)e->id, stmt_str(st, 3));
        return false;
    }
    e->at = stmt_int(st, 4);
    e->recorded_at = stmt_int(st, 5);
    e->actor = adup(a, st, 6);
    enum case_status s;
    e->from = stmt_null(st, 7) ? -1 : case_status_parse(stmt_str(st, 7), &s) ? (int)s : -1;
    if (!case_status_parse(stmt_str(st, 8), &s)) {
        err_set(err, RC_DB, "event %lld has the unknown status '%s'", (long long)e->id,
                stmt_str(st, 8));
        return false;
    }
    e->to = (int)s;
    e->days = (int)stmt_int(st, 9);
    e->outcome = adup(a, st, 10);
    e->unit_id = stmt_int(st, 11);
    e->note = adup(a, st, 12);
    e->payload = adup(a, st, 13);
    return true;
}

enum rc case_get(struct case_ctx *x, const char *number, struct arena *a, struct case_item *it,
                 struct err *err)
{
    struct stmt *st =
        store_q(x->db, "SELECT " CASE__ITEM_COLS CASE__ITEM_FROM "WHERE c.number = ?", "t", number);
    bool found = false, ok = true;
    if (stmt_next(st)) {
        found = true;
        ok = case__item_read(st, a, it, err);
    }
    enum rc rc = stmt_done(st, err);
    if (rc || !ok)
        return rc ? rc : RC_DB;
    if (!found)
        return err_set(err, RC_NOTFOUND,
                       "no work item '%s'; see 'govsite case list' for the tracking numbers",
                       number ? number : "");
    VEC(struct case_event) ev = VEC_INIT;
    st = store_q(x->db,
                 "SELECT " CASE__EVENT_COLS "FROM case_events e WHERE e.case_id = ? ORDER BY e.seq",
                 "i", it->id);
    while (ok && stmt_next(st)) {
        struct case_event e;
        int64_t cid;
        if ((ok = case__event_read(st, a, &e, &cid, err)))
            vec_push(&ev, e);
    }
    rc = stmt_done(st, err);
    if (!rc && ok) {
        it->ev = arena_alloc(a, (ev.n ? ev.n : 1) * sizeof(*it->ev));
        if (ev.n)
            memcpy(it->ev, ev.v, ev.n * sizeof(*it->ev));
        it->nev = ev.n;
    }
    vec_release(&ev);
    return rc ? rc : ok ? RC_OK : RC_DB;
}

/* --- Replay -------------------------------------------------------------------------- */

int case__working_days(const struct case_ctx *x, int64_t from, int64_t to)
{
    int n = 0;
    int32_t a = time_to_date(from, x->tz), b = time_to_date(to, x->tz);
    if (cal_count(x->cal, a + 1, b, &n, NULL, NULL))
        return 0;
    return n;
}

enum rc case__replay(const struct case_ctx *x, const struct case_item *it,
                     const struct case_event *ev, size_t n, int64_t as_of, struct case_state *st,
                     struct deadline_explain *explain, struct err *err)
{
    memset(st, 0, sizeof(*st));
    st->as_of = as_of;
    st->status = CASE_RECEIVED;
    st->unit_id = it->unit_id;
    if (it->received_at > as_of) {
        char r[20];
        time_fmt_local(it->received_at, x->tz, r);
        return err_set(err, RC_INVALID, "%s was received at %s, after the moment asked about",
                       it->number, r);
    }
    const struct deadline_rule *rule = deadline_rule_find(&x->rules, it->rule ? it->rule : "");
    if (!rule)
        return err_set(err, RC_INVALID,
                       "%s: its deadline rule '%s' is not configured any more; restore "
                       "[deadline.%s] in the configuration",
                       it->number, it->rule ? it->rule : "", it->rule ? it->rule : "");
    struct deadline_event dev[DEADLINE_MAX_EVENTS];
    size_t nd = 0;
    bool paused = false;
    for (size_t i = 0; i < n && ev[i].at <= as_of; i++) {
        const struct case_event *e = &ev[i];
        const struct case_transition *tr = e->tr;
        st->events++;
        st->status = (enum case_status)e->to;
        if (e->unit_id)
            st->unit_id = e->unit_id;
        if (tr->flags & CASE_TR_CLEARS_REPLY) {
            st->replied_at = 0;
            st->outcome = NULL;
            st->closed_at = 0;
        }
        if (tr->flags & CASE_TR_JUDGED) {
            st->replied_at = e->at;
            st->outcome = e->outcome;
        }
        if (!case_statuses[st->status].open && tr->to != CASE_SAME)
            st->closed_at = e->at;
        struct deadline_event d = { .at = e->at };
        bool emit = false;
        switch (tr->clock) {
        case CASE_CLOCK_NONE:
            break;
        case CASE_CLOCK_PAUSE:
            d.type = DEADLINE_PAUSE, emit = paused = true;
            break;
        case CASE_CLOCK_CORRECTION:
            if (rule->pause)
                d.type = DEADLINE_PAUSE, emit = paused = true;
            break;
        case CASE_CLOCK_RESUME:
            if (paused)
                d.type = DEADLINE_RESUME, emit = true, paused = false;
            break;
        case CASE_CLOCK_CORRECTED:
            if (rule->restart)
                d.type = DEADLINE_RESTART, emit = true, paused = false;
            else if (paused)
                d.type = DEADLINE_RESUME, emit = true, paused = false;
            break;
        case CASE_CLOCK_EXTEND:
            d.type = DEADLINE_EXTEND, d.days = e->days, emit = true;
            break;
        }
        if (emit) {
            if (nd >= DEADLINE_MAX_EVENTS)
                return err_set(err, RC_LIMIT, "%s has more than %d events that move its deadline",
                               it->number, DEADLINE_MAX_EVENTS);
            dev[nd++] = d;
        }
    }
    st->open = case_statuses[st->status].open;
    if (deadline_compute(x->cal, rule, it->received_at, dev, nd, &st->dl, explain, err))
        return err_prefix(err, "%s (rule %s): ", it->number, rule->name);
    bool late_reply = st->replied_at && !st->dl.paused && st->replied_at > st->dl.due;
    if (st->open) {
        if (st->replied_at)
            st->timing = late_reply ? CASE_OPEN_OVERDUE : CASE_OPEN_NOT_DUE;
        else
            st->timing =
                !st->dl.paused && as_of > st->dl.due ? CASE_OPEN_OVERDUE : CASE_OPEN_NOT_DUE;
    } else {
        int64_t judged = st->replied_at ? st->replied_at : st->closed_at;
        st->timing = !st->dl.paused && judged > st->dl.due ? CASE_LATE : CASE_ON_TIME;
    }
    return RC_OK;
}

enum rc case_state_at(const struct case_ctx *x, const struct case_item *it, int64_t as_of,
                      struct case_state *st, struct deadline_explain *explain, struct err *err)
{
    return case__replay(x, it, it->ev, it->nev, as_of, st, explain, err);
}

/* --- The workflow's checks ------------------------------------------------------------- */

static bool tr_applies(const struct case_transition *t, enum case_kind k)
{
    return (t->kinds & CASE_KIND_BIT(k)) != 0;
}

static int count_events(const struct case_item *it, const struct case_transition *t)
{
    int n = 0;
    for (size_t i = 0; i < it->nev; i++)
        n += it->ev[i].tr == t;
    return n;
}

/* The guards beyond kind, state and role (cases.h, case_allowed). */
static bool guard_ok(const struct case_ctx *x, const struct case_item *it,
                     const struct case_transition *t, const struct case_state *cur,
                     const struct deadline_rule *rule, int64_t now)
{
    if ((t->flags & CASE_TR_ONCE) && count_events(it, t) > 0)
        return false;
    if (t->clock == CASE_CLOCK_PAUSE && !rule->pause)
        return false;
    if (t->clock == CASE_CLOCK_EXTEND) {
        if (!rule->extension_max || cur->dl.extension >= rule->extension_max ||
            count_events(it, t) >= rule->extensions)
            return false;
        if (!cur->dl.paused && now > cur->dl.due)
            return false;
    }
    (void)x;
    return true;
}

static bool current(const struct case_ctx *x, const struct case_item *it, int64_t now,
                    struct case_state *cur)
{
    int64_t as_of = now;
    if (it->nev && it->ev[it->nev - 1].at > as_of)
        as_of = it->ev[it->nev - 1].at;
    if (it->received_at > as_of)
        as_of = it->received_at;
    return !case_state_at(x, it, as_of, cur, NULL, NULL);
}

size_t case_allowed(const struct case_ctx *x, const struct case_item *it, unsigned roles,
                    const struct case_transition **out, size_t max)
{
    struct case_state cur;
    int64_t now = clk_now(x->clk);
    if (!current(x, it, now, &cur))
        return 0;
    const struct deadline_rule *rule = deadline_rule_find(&x->rules, it->rule);
    size_t n = 0;
    for (size_t i = 0; i < case_ntransitions; i++) {
        const struct case_transition *t = &case_transitions[i];
        if ((t->flags & CASE_TR_INTERNAL) || !tr_applies(t, it->kind) ||
            !(t->from & CASE_ST(cur.status)) || !(t->roles & roles) ||
            !guard_ok(x, it, t, &cur, rule, now))
            continue;
        if (n < max)
            out[n] = t;
        n++;
    }
    return n;
}

void case_allowed_list(const struct case_ctx *x, const struct case_item *it, unsigned roles,
                       struct buf *out)
{
    const struct case_transition *v[32];
    size_t n = case_allowed(x, it, roles, v, 32);
    if (!n)
        buf_adds(out, "none");
    for (size_t i = 0; i < n && i < 32; i++)
        buf_addf(out, "%s%s", i ? ", " : "", v[i]->name);
}

/* "cannot TYPE NUMBER: " + reason + "; allowed now: ...". */
static enum rc refuse(const struct case_ctx *x, const struct case_item *it, const char *type,
                      enum rc rc, struct err *err, const char *fmt, ...) FMT_PRINTF(6, 7);
static enum rc refuse(const struct case_ctx *x, const struct case_item *it, const char *type,
                      enum rc rc, struct err *err, const char *fmt, ...)
{
    char why[600];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(why, sizeof(why), fmt, ap);
    va_end(ap);
    struct buf al = BUF_INIT;
    case_allowed_list(x, it, CASE_ROLES_STAFF, &al);
    err_set(err, rc, "cannot %s %s: %s; allowed now: %s", type, it->number, why, buf_cstr(&al));
    buf_release(&al);
    return rc;
}

enum rc case__check_number(const char *s, struct err *err)
{
    size_t n = s ? strlen(s) : 0;
    if (!n || n > CASE_NUMBER_MAX)
        return err_set(err, RC_INVALID, "tracking number '%.80s' must be 1 to %d bytes", s ? s : "",
                       CASE_NUMBER_MAX);
    if (!utf8_valid(s, n))
        return err_set(err, RC_INVALID, "tracking number is not valid UTF-8");
    if (ascii_isspace((unsigned char)s[0]) || ascii_isspace((unsigned char)s[n - 1]))
        return err_set(err, RC_INVALID, "tracking number '%s' has spaces around it", s);
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
            return err_set(err, RC_INVALID, "tracking number has a control character");
    return RC_OK;
}

static void fmt_local(const struct case_ctx *x, int64_t t, char out[20])
{
    time_fmt_local(t, x->tz, out);
}

enum rc case__step(const struct case_ctx *x, const struct case_item *it,
                   const struct case_action *a, int64_t now, struct case_event *e,
                   struct case_state *after, struct err *err)
{
    const char *type = a->type ? a->type : "";
    const struct case_transition *t = case_transition_find(type);
    enum case_kind k = it->kind;
    if (!t || ((t->flags & CASE_TR_INTERNAL) && !(a->roles & CASE_ROLE_SYSTEM))) {
        struct buf names = BUF_INIT;
        for (size_t i = 0; i < case_ntransitions; i++)
            if (!(case_transitions[i].flags & CASE_TR_INTERNAL) &&
                tr_applies(&case_transitions[i], k))
                buf_addf(&names, "%s%s", names.n ? ", " : "", case_transitions[i].name);
        err_set(err, RC_INVALID, "unknown step '%s' for %s items; the steps are %s", type,
                case_kinds[k].cn, buf_cstr(&names));
        buf_release(&names);
        return RC_INVALID;
    }
    struct case_state cur;
    int64_t at = a->at ? a->at : now;
    int64_t cur_at = at;
    if (it->nev && it->ev[it->nev - 1].at > cur_at)
        cur_at = it->ev[it->nev - 1].at;
    if (it->received_at > cur_at)
        cur_at = it->received_at;
    if (case_state_at(x, it, cur_at, &cur, NULL, err))
        return RC_INVALID;
    const struct deadline_rule *rule = deadline_rule_find(&x->rules, it->rule);
    if (!tr_applies(t, k))
        return refuse(x, it, t->name, RC_INVALID, err, "'%s' is not a step for %s items", t->name,
                      case_kinds[k].cn);
    if (!(t->from & CASE_ST(cur.status)))
        return refuse(x, it, t->name, RC_INVALID, err, "it is %s (%s)",
                      case_statuses[cur.status].cn, case_statuses[cur.status].key);
    if (!(t->roles & a->roles))
        return refuse(x, it, t->name, RC_FORBIDDEN, err, "only %s may %s",
                      t->roles & CASE_ROLE_OFFICE ? "the office (市政府办公室)"
                                                  : "the responsible unit",
                      t->name);
    if ((t->flags & CASE_TR_ONCE) && count_events(it, t) > 0) {
        for (size_t i = 0; i < it->nev; i++)
            if (it->ev[i].tr == t) {
                char w[20];
                fmt_local(x, it->ev[i].at, w);
                return refuse(x, it, t->name, RC_INVALID, err,
                              "%s was already done at %s and is allowed once (2019 条例 第三十条: "
                              "一次性告知)",
                              t->name, w);
            }
    }
    if (t->clock == CASE_CLOCK_PAUSE && !rule->pause)
        return refuse(x, it, t->name, RC_INVALID, err,
                      "rule %s does not stop the clock; set pause = yes in [deadline.%s] if it "
                      "should",
                      rule->name, rule->name);
    /* Time. */
    char ws[20], ls[20];
    if (at > now) {
        fmt_local(x, at, ws);
        fmt_local(x, now, ls);
        return err_set(err, RC_INVALID,
                       "cannot %s %s: the time %s is in the future (now is %s); give --at no "
                       "later than now",
                       t->name, it->number, ws, ls);
    }
    if (it->nev && at < it->ev[it->nev - 1].at) {
        fmt_local(x, at, ws);
        fmt_local(x, it->ev[it->nev - 1].at, ls);
        return err_set(err, RC_INVALID,
                       "cannot %s %s at %s: its last event (%s) is at %s and events are recorded "
                       "in time order; give --at %s or later",
                       t->name, it->number, ws, it->ev[it->nev - 1].tr->name, ls, ls);
    }
    if (at < it->received_at) {
        fmt_local(x, at, ws);
        fmt_local(x, it->received_at, ls);
        return err_set(err, RC_INVALID, "cannot %s %s at %s: it was received at %s", t->name,
                       it->number, ws, ls);
    }
    /* Fields. */
    if ((t->flags & CASE_TR_NOTE) && str_empty(a->note))
        return err_set(err, RC_INVALID, "cannot %s %s: say why with --note", t->name, it->number);
    if ((t->flags & CASE_TR_UNIT) && !a->unit_id)
        return err_set(err, RC_INVALID, "cannot %s %s: name the unit with --unit", t->name,
                       it->number);
    if ((t->flags & CASE_TR_UNIT) && a->unit_id == cur.unit_id && cur.status == CASE_ASSIGNED)
        return err_set(err, RC_INVALID, "cannot %s %s: it is already with that unit", t->name,
                       it->number);
    if (!(t->flags & CASE_TR_UNIT) && a->unit_id)
        return err_set(err, RC_INVALID, "--unit goes with assign only");
    if (!(t->flags & CASE_TR_DAYS) && a->days)
        return err_set(err, RC_INVALID, "--days goes with extend only");
    if (a->days < 0 || a->days > DEADLINE_MAX_DAYS)
        return err_set(err, RC_INVALID, "--days %d is out of range; give 1 to %d working days",
                       a->days, DEADLINE_MAX_DAYS);
    if (!(t->flags & CASE_TR_JUDGED) && (a->reply || a->reply_public > 0))
        return err_set(err, RC_INVALID,
                       "--reply and --public go with a step that replies (answer, handle, "
                       "reject, withdraw, abandon), not %s",
                       t->name);
    const struct case_outcome *o = NULL;
    if (!str_empty(a->outcome)) {
        if (!(t->flags & CASE_TR_OUTCOME))
            return err_set(err, RC_INVALID, "--outcome goes with answer, handle or reject, not %s",
                           t->name);
        if (!(o = case_outcome_find(k, a->outcome))) {
            struct buf l = BUF_INIT;
            case_outcomes_list(k, &l);
            err_set(err, RC_INVALID, "unknown outcome '%s' for %s items; use one of: %s",
                    a->outcome, case_kinds[k].cn, buf_cstr(&l));
            buf_release(&l);
            return RC_INVALID;
        }
    } else if (t->outcome[k]) {
        o = case_outcome_find(k, t->outcome[k]);
        if (!o)
            BUG("default outcome %s of %s", t->outcome[k], t->name);
    } else if (t->flags & CASE_TR_OUTCOME) {
        struct buf l = BUF_INIT;
        case_outcomes_list(k, &l);
        err_set(err, RC_INVALID,
                "cannot %s %s: %s items need --outcome, the category of the annual report: %s",
                t->name, it->number, case_kinds[k].cn, buf_cstr(&l));
        buf_release(&l);
        return RC_INVALID;
    }
    int days = a->days;
    if (t->clock == CASE_CLOCK_EXTEND && !days)
        days = rule->extension_max - cur.dl.extension;
    if (t->clock == CASE_CLOCK_EXTEND && days <= 0)
        return refuse(x, it, t->name, RC_INVALID, err, "rule %s allows %s; no extension is left",
                      rule->name, rule->extension_max ? "no more extension" : "no extension");
    memset(e, 0, sizeof(*e));
    e->seq = (int)it->nev + 1;
    e->tr = t;
    e->at = at;
    e->recorded_at = now;
    e->actor = str_empty(a->actor) ? "govsite" : a->actor;
    e->from = (int)cur.status;
    e->to = t->to == CASE_SAME ? (int)cur.status : t->to;
    e->days = t->clock == CASE_CLOCK_EXTEND ? days : 0;
    e->outcome = o ? o->key : NULL;
    e->unit_id = (t->flags & CASE_TR_UNIT) ? a->unit_id : 0;
    e->note = str_empty(a->note) ? NULL : a->note;
    e->payload = str_empty(a->payload) ? NULL : a->payload;
    /* The state right after: replay with the new event (the deadline engine checks the
     * clock: an extension beyond the limit or after the due time, a pause when paused). */
    struct case_event *all = xmalloc((it->nev + 1) * sizeof(*all));
    if (it->nev)
        memcpy(all, it->ev, it->nev * sizeof(*all));
    all[it->nev] = *e;
    struct case_state tmp;
    enum rc rc =
        case__replay(x, it, all, it->nev + 1, at > now ? at : now, after ? after : &tmp, NULL, err);
    free(all);
    if (rc) {
        /* The engine's message quotes its own event; say which step it was. */
        char msg[ERR_MSG_MAX];
        snprintf(msg, sizeof(msg), "%s", err ? err->msg : "");
        if (err) {
            err_clear(err);
            err_set(err, RC_INVALID, "cannot %s: %s", t->name, msg);
        }
        return RC_INVALID;
    }
    return RC_OK;
}

/* --- Writes ---------------------------------------------------------------------------- */

enum rc case__write_event(struct case_ctx *x, int64_t id, const struct case_event *e,
                          const struct case_state *st, const struct case_action *a, int64_t now,
                          struct err *err)
{
    enum rc rc = store_exec(
        x->db, err,
        "INSERT INTO case_events (case_id, seq, type, at, recorded_at, actor, from_status, "
        "to_status, days, outcome, unit_id, note, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?)",
        "iitiittt"
        "ItUtt",
        id, (int64_t)e->seq, e->tr->name, e->at, e->recorded_at, e->actor,
        e->from >= 0 ? case_statuses[e->from].key : NULL, case_statuses[e->to].key, e->days,
        e->outcome, e->unit_id, e->note, e->payload);
    if (rc)
        return rc;
    const char *reply = a && a->reply ? a->reply : NULL;
    int pub = a ? a->reply_public : -1;
    return store_exec(x->db, err,
                      "UPDATE cases SET status = ?, due_at = ?, replied_at = ?, closed_at = ?, "
                      "outcome = ?, unit_id = ?, reply = COALESCE(?, reply), reply_public = CASE "
                      "WHEN ? < 0 THEN reply_public ELSE ? END, updated_at = ? WHERE id = ?",
                      "tTTTtitIIii", case_statuses[st->status].key, st->dl.paused ? 0 : st->dl.due,
                      st->replied_at, st->closed_at, st->outcome, st->unit_id, reply, pub,
                      pub > 0 ? 1 : 0, now, id);
}

enum rc case__check_new(const struct case_ctx *x, const struct case_new *n,
                        const struct deadline_rule **rule, int64_t now, struct err *err)
{
    struct buf l = BUF_INIT;
    enum rc rc = RC_OK;
    if ((unsigned)n->kind >= CASE_NKINDS)
        BUG("kind %d", (int)n->kind);
    if (!str_empty(n->channel) && !case_term_find(case_channels, n->channel)) {
        case_terms_list(case_channels, &l);
        rc = err_set(err, RC_INVALID, "unknown channel '%s'; use %s", n->channel, buf_cstr(&l));
    } else if (!str_empty(n->requester_type) &&
               !case_term_find(case_requester_types, n->requester_type)) {
        case_terms_list(case_requester_types, &l);
        rc = err_set(err, RC_INVALID, "unknown requester type '%s'; use %s", n->requester_type,
                     buf_cstr(&l));
    }
    buf_release(&l);
    if (rc)
        return rc;
    const char *texts[] = { n->page_url, n->subject, n->content, n->requester, n->contact };
    static const char *const names[] = { "page URL", "subject", "content", "requester", "contact" };
    static const size_t caps[] = { 2048, 1000, 100000, 200, 200 };
    for (size_t i = 0; i < 5; i++) {
        if (texts[i] && strlen(texts[i]) > caps[i])
            return err_set(err, RC_INVALID, "the %s is longer than %zu bytes", names[i], caps[i]);
        if (texts[i] && !utf8_valid(texts[i], strlen(texts[i])))
            return err_set(err, RC_INVALID, "the %s is not valid UTF-8", names[i]);
    }
    char rs[20], ns[20];
    if (n->received_at > now) {
        time_fmt_local(n->received_at, x->tz, rs);
        time_fmt_local(now, x->tz, ns);
        return err_set(err, RC_INVALID, "the receipt time %s is in the future (now is %s)", rs, ns);
    }
    if (cal_check(x->cal, time_to_date(n->received_at, x->tz), err))
        return err_prefix(err, "received: ");
    *rule = n->rule ? deadline_rule_find(&x->rules, n->rule)
                    : case_rule_for(x, n->kind, n->received_at);
    if (!*rule) {
        deadline_rules_names(&x->rules, &l);
        err_set(err, RC_INVALID, "unknown rule '%s'; the rules are %s", n->rule ? n->rule : "",
                buf_cstr(&l));
        buf_release(&l);
        return RC_INVALID;
    }
    return RC_OK;
}

enum rc case__next_number(struct case_ctx *x, enum case_kind k, int64_t received, char **out,
                          struct err *err)
{
    int year = date_year(time_to_date(received, x->tz));
    const char *prefix = x->kconf[k].prefix;
    for (int tries = 0; tries < 100000; tries++) {
        int64_t last;
        enum rc rc =
            store_get_int(x->db, &last, err,
                          "INSERT INTO case_counters (prefix, year, last) VALUES (?, ?, 1) "
                          "ON CONFLICT (prefix, year) DO UPDATE SET last = "
                          "case_counters.last + 1 RETURNING last",
                          "ti", prefix, (int64_t)year);
        if (rc)
            return rc;
        char num[CASE_NUMBER_MAX + 1];
        snprintf(num, sizeof(num), "%s-%04d-%04lld", prefix, year, (long long)last);
        int64_t one;
        rc = store_get_int(x->db, &one, err, "SELECT 1 FROM cases WHERE number = ?", "t", num);
        if (rc == RC_NOTFOUND) {
            *out = xstrdup(num);
            return RC_OK;
        }
        if (rc)
            return rc;
    }
    return err_set(err, RC_LIMIT, "no free tracking number for %s in %d", prefix, year);
}

enum rc case__insert(struct case_ctx *x, const struct case_new *n, const char *number,
                     const struct deadline_rule *rule, int64_t now, int64_t *id, struct err *err)
{
    const struct case_term *ch = case_term_find(case_channels, n->channel);
    const struct case_term *rt = case_term_find(case_requester_types, n->requester_type);
    /* The receive event and the state it makes. */
    struct case_item it = { .number = number,
                            .kind = n->kind,
                            .unit_id = n->unit_id,
                            .received_at = n->received_at,
                            .rule = rule->name };
    struct case_event e = { .seq = 1,
                            .tr = case_transition_find("receive"),
                            .at = n->received_at,
                            .recorded_at = now,
                            .actor = str_empty(n->actor) ? "govsite" : n->actor,
                            .from = -1,
                            .to = CASE_RECEIVED,
                            .unit_id = n->unit_id,
                            .payload = n->payload };
    it.ev = &e;
    it.nev = 1;
    struct case_state st;
    enum rc rc = case_state_at(x, &it, n->received_at, &st, NULL, err);
    if (rc)
        return rc;
#define NZ(s) (str_empty(s) ? NULL : (s))
    rc = store_get_int(x->db, id, err,
                       "INSERT INTO cases (number, kind, unit_id, site_id, page_url, channel, "
                       "received_at, subject, content, requester, contact, requester_type, rule, "
                       "status, due_at, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, "
                       "?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       "ttiUttitttttttTii", number, case_kinds[n->kind].key, n->unit_id, n->site_id,
                       NZ(n->page_url), ch ? ch->key : NULL, n->received_at, NZ(n->subject),
                       NZ(n->content), NZ(n->requester), NZ(n->contact), rt ? rt->key : NULL,
                       rule->name, case_statuses[st.status].key, st.dl.paused ? 0 : st.dl.due, now,
                       now);
#undef NZ
    if (rc)
        return rc;
    return case__write_event(x, *id, &e, &st, NULL, now, err);
}

enum rc case_add(struct case_ctx *x, const struct case_new *n0, char **number, struct err *err)
{
    struct case_new n = *n0;
    int64_t now = clk_now(x->clk);
    const struct deadline_rule *rule;
    if (case__check_new(x, &n, &rule, now, err))
        return RC_INVALID;
    if (n.number && case__check_number(n.number, err))
        return RC_INVALID;
    if (!n.unit_id && n.site_id) {
        enum rc r = store_get_int(x->db, &n.unit_id, err,
                                  "SELECT unit_id FROM sites WHERE id = ? AND unit_id IS NOT NULL",
                                  "i", n.site_id);
        if (r && r != RC_NOTFOUND)
            return r;
    }
    if (!n.unit_id)
        return err_set(err, RC_INVALID,
                       "a work item needs its responsible unit; give --unit (a name from 'govsite "
                       "unit list')");
    enum rc rc = store_begin(x->db, err);
    if (rc)
        return rc;
    char *num = NULL;
    if (n.number) {
        char *when = NULL;
        rc = store_get_text(x->db, &when, err, "SELECT kind FROM cases WHERE number = ?", "t",
                            n.number);
        if (!rc) {
            err_set(err, RC_CONFLICT,
                    "tracking number '%s' is already used (a %s item); give another --number or "
                    "leave it out to have one generated",
                    n.number, when ? when : "?");
            free(when);
            rc = RC_CONFLICT;
        } else if (rc == RC_NOTFOUND) {
            rc = RC_OK;
            num = xstrdup(n.number);
        }
    } else {
        rc = case__next_number(x, n.kind, n.received_at, &num, err);
    }
    int64_t id;
    if (!rc)
        rc = case__insert(x, &n, num, rule, now, &id, err);
    if (!rc)
        rc = store_commit(x->db, err);
    if (rc) {
        store_rollback(x->db);
        free(num);
        return rc;
    }
    if (number)
        *number = num;
    else
        free(num);
    return RC_OK;
}

enum rc case_act(struct case_ctx *x, const char *number, const struct case_action *a,
                 struct case_state *after, struct err *err)
{
    struct arena ar = ARENA_INIT;
    struct case_item it;
    int64_t now = clk_now(x->clk);
    enum rc rc = store_begin(x->db, err);
    if (rc)
        return rc;
    struct case_event e;
    struct case_state st;
    rc = case_get(x, number, &ar, &it, err);
    if (!rc)
        rc = case__step(x, &it, a, now, &e, &st, err);
    if (!rc) {
        rc = case__write_event(x, it.id, &e, &st, a, now, err);
        if (rc == RC_CONFLICT) { /* (case_id, seq) taken: another writer got there first */
            err_clear(err);
            err_set(err, RC_BUSY, "%s changed while this step was being recorded; try again",
                    number);
            rc = RC_BUSY;
        }
    }
    if (!rc)
        rc = store_commit(x->db, err);
    if (rc)
        store_rollback(x->db);
    else if (after)
        *after = st;
    arena_release(&ar);
    return rc;
}

/* --- Edits ---------------------------------------------------------------------------- */

struct edit_run {
    struct jw w; /* the payload: {"changed": {field: {from, to} or "changed"}} */
    int changed;
};

static bool differs(const char *now, const char *want)
{
    return want && strcmp(now ? now : "", want);
}

static void note_change(struct edit_run *r, const char *field, const char *from, const char *to,
                        bool personal)
{
    jw_key(&r->w, field);
    if (personal) {
        jw_str(&r->w, "changed");
    } else {
        jw_obj(&r->w);
        jw_kstr(&r->w, "from", from && *from ? from : NULL);
        jw_kstr(&r->w, "to", to && *to ? to : NULL);
        jw_end(&r->w);
    }
    r->changed++;
}

enum rc case_edit(struct case_ctx *x, const char *number, const struct case_edit *ed, int *changed,
                  struct err *err)
{
    struct arena ar = ARENA_INIT;
    struct case_item it;
    int64_t now = clk_now(x->clk);
    if (changed)
        *changed = 0;
    const struct case_term *ch = NULL, *rt = NULL;
    struct buf l = BUF_INIT;
    if (!str_empty(ed->channel) && !(ch = case_term_find(case_channels, ed->channel))) {
        case_terms_list(case_channels, &l);
        err_set(err, RC_INVALID, "unknown channel '%s'; use %s", ed->channel, buf_cstr(&l));
        buf_release(&l);
        return RC_INVALID;
    }
    if (!str_empty(ed->requester_type) &&
        !(rt = case_term_find(case_requester_types, ed->requester_type))) {
        case_terms_list(case_requester_types, &l);
        err_set(err, RC_INVALID, "unknown requester type '%s'; use %s", ed->requester_type,
                buf_cstr(&l));
        buf_release(&l);
        return RC_INVALID;
    }
    const char *texts[] = { ed->page_url, ed->subject, ed->content, ed->requester,
                            ed->contact,  ed->reply,   ed->note };
    for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
        if (texts[i] && (strlen(texts[i]) > 100000 || !utf8_valid(texts[i], strlen(texts[i]))))
            return err_set(err, RC_INVALID, "a field is longer than 100000 bytes or not UTF-8");
    enum rc rc = store_begin(x->db, err);
    if (rc)
        return rc;
    rc = case_get(x, number, &ar, &it, err);
    struct edit_run r = { .changed = 0 };
    struct buf payload = BUF_INIT;
    jw_init(&r.w, &payload, false);
    jw_obj(&r.w);
    jw_key(&r.w, "changed");
    jw_obj(&r.w);
    const char *chk = ch ? ch->key : ed->channel ? "" : NULL;
    const char *rtk = rt ? rt->key : ed->requester_type ? "" : NULL;
    int64_t new_unit = 0;
    if (!rc) {
        if (ed->unit_id && ed->unit_id != it.unit_id) {
            char a[24], b[24];
            snprintf(a, sizeof(a), "%lld", (long long)it.unit_id);
            snprintf(b, sizeof(b), "%lld", (long long)ed->unit_id);
            note_change(&r, "unit_id", a, b, false);
            new_unit = ed->unit_id;
        }
        if (ed->site_id && ed->site_id != it.site_id) {
            char a[24], b[24];
            snprintf(a, sizeof(a), "%lld", (long long)it.site_id);
            snprintf(b, sizeof(b), "%lld", (long long)ed->site_id);
            note_change(&r, "site_id", it.site_id ? a : NULL, b, false);
        }
        if (differs(it.page_url, ed->page_url))
            note_change(&r, "page_url", it.page_url, ed->page_url, false);
        if (differs(it.channel, chk))
            note_change(&r, "channel", it.channel, chk, false);
        if (differs(it.subject, ed->subject))
            note_change(&r, "subject", it.subject, ed->subject, false);
        if (differs(it.content, ed->content))
            note_change(&r, "content", NULL, NULL, true);
        if (differs(it.requester, ed->requester))
            note_change(&r, "requester", NULL, NULL, true);
        if (differs(it.contact, ed->contact))
            note_change(&r, "contact", NULL, NULL, true);
        if (differs(it.requester_type, rtk))
            note_change(&r, "requester_type", it.requester_type, rtk, false);
        if (differs(it.reply, ed->reply))
            note_change(&r, "reply", NULL, NULL, true);
        if (ed->reply_public >= 0 && (ed->reply_public != 0) != it.reply_public)
            note_change(&r, "reply_public", it.reply_public ? "1" : "0",
                        ed->reply_public ? "1" : "0", false);
    }
    jw_end(&r.w);
    jw_end(&r.w);
    if (!rc && r.changed) {
        struct case_event e = { .seq = (int)it.nev + 1,
                                .tr = case_transition_find("edit"),
                                .at = now,
                                .recorded_at = now,
                                .actor = str_empty(ed->actor) ? "govsite" : ed->actor,
                                .from = (int)it.status,
                                .to = (int)it.status,
                                .unit_id = new_unit,
                                .note = str_empty(ed->note) ? NULL : ed->note,
                                .payload = buf_cstr(&payload) };
        if (it.nev && e.at < it.ev[it.nev - 1].at)
            e.at = it.ev[it.nev - 1].at;
        struct case_event *all = arena_alloc(&ar, (it.nev + 1) * sizeof(*all));
        if (it.nev)
            memcpy(all, it.ev, it.nev * sizeof(*all));
        all[it.nev] = e;
        struct case_state st;
        rc = case__replay(x, &it, all, it.nev + 1, e.at, &st, NULL, err);
        if (!rc)
            rc = case__write_event(x, it.id, &e, &st, NULL, now, err);
        /* One statement per field (no "? IS NULL": PostgreSQL cannot type it inside a
         * transaction); "" clears a field. */
        static const char *const sql[] = {
            "UPDATE cases SET page_url = NULLIF(?, '') WHERE id = ?",
            "UPDATE cases SET channel = NULLIF(?, '') WHERE id = ?",
            "UPDATE cases SET subject = NULLIF(?, '') WHERE id = ?",
            "UPDATE cases SET content = NULLIF(?, '') WHERE id = ?",
            "UPDATE cases SET requester = NULLIF(?, '') WHERE id = ?",
            "UPDATE cases SET contact = NULLIF(?, '') WHERE id = ?",
            "UPDATE cases SET requester_type = NULLIF(?, '') WHERE id = ?",
            "UPDATE cases SET reply = NULLIF(?, '') WHERE id = ?",
        };
        const char *vals[] = { ed->page_url,  chk,         ed->subject, ed->content,
                               ed->requester, ed->contact, rtk,         ed->reply };
        for (size_t i = 0; !rc && i < sizeof(sql) / sizeof(sql[0]); i++)
            if (vals[i])
                rc = store_exec(x->db, err, sql[i], "ti", vals[i], it.id);
        if (!rc && ed->site_id)
            rc = store_exec(x->db, err, "UPDATE cases SET site_id = ? WHERE id = ?", "ii",
                            ed->site_id, it.id);
        if (!rc && ed->reply_public >= 0)
            rc = store_exec(x->db, err, "UPDATE cases SET reply_public = ? WHERE id = ?", "ii",
                            (int64_t)(ed->reply_public > 0), it.id);
    }
    if (!rc)
        rc = store_commit(x->db, err);
    if (rc)
        store_rollback(x->db);
    else if (changed)
        *changed = r.changed;
    buf_release(&payload);
    arena_release(&ar);
    return rc;
}
