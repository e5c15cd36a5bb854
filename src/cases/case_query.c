/* case_query.c - queries as of a moment: lists, statistics, the annual report's outcome
 * counts and the site-verdict inputs (cases.h, "Queries as of a moment"). */
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_int.h"
#include "core/date.h"
#include "core/map.h"
#include "core/str.h"

#define FAR_PAST   (-(INT64_C(1) << 62))
#define FAR_FUTURE (INT64_C(1) << 62)

/* What to load: a superset of the items a query needs (the replay decides). */
struct load_q {
    unsigned kinds;           /* 0 = all */
    int64_t site_id;          /* 0 = any */
    int64_t unit_id;          /* 0 = any: the unit now or any unit an event named */
    int64_t recv_lo, recv_hi; /* received_at in [lo, hi] */
    int64_t open_at;          /* non-zero: only items that may be open at this instant */
};

/* The filter shared by the item and the event query; bound by bind_filter. */
#define FILTER_SQL                                                                           \
    "c.kind IN (?, ?, ?, ?) AND (? = 0 OR c.site_id = ?) AND (? = 0 OR c.unit_id = ? OR "    \
    "EXISTS (SELECT 1 FROM case_events ue WHERE ue.case_id = c.id AND ue.unit_id = ?)) AND " \
    "c.received_at >= ? AND c.received_at <= ? AND (? = 0 OR c.closed_at IS NULL OR "        \
    "c.closed_at > ?) "

static void bind_filter(struct stmt *st, const struct load_q *q)
{
    int i = 1;
    for (int k = 0; k < CASE_NKINDS; k++)
        stmt_bind_text(st, i++,
                       !q->kinds || (q->kinds & CASE_KIND_BIT(k)) ? case_kinds[k].key : "");
    stmt_bind_int(st, i++, q->site_id);
    stmt_bind_int(st, i++, q->site_id);
    stmt_bind_int(st, i++, q->unit_id);
    stmt_bind_int(st, i++, q->unit_id);
    stmt_bind_int(st, i++, q->unit_id);
    stmt_bind_int(st, i++, q->recv_lo);
    stmt_bind_int(st, i++, q->recv_hi);
    stmt_bind_int(st, i++, q->open_at);
    stmt_bind_int(st, i++, q->open_at);
}

/* Items matching q, with their events, appended to l (by receipt, then number). */
static enum rc load_items(struct case_ctx *x, const struct load_q *q, struct case_list *l,
                          struct err *err)
{
    struct stmt *st = store_sql(x->db, "SELECT " CASE__ITEM_COLS CASE__ITEM_FROM "WHERE " FILTER_SQL
                                       "ORDER BY c.received_at, c.number");
    bind_filter(st, q);
    size_t first = l->items.n;
    bool ok = true;
    while (ok && stmt_next(st)) {
        struct case_item it;
        if ((ok = case__item_read(st, &l->arena, &it, err)))
            vec_push(&l->items, it);
    }
    enum rc rc = stmt_done(st, err);
    if (rc || !ok)
        return rc ? rc : RC_DB;
    if (l->items.n == first)
        return RC_OK;
    /* id → index + 1 */
    struct map idx = MAP_INIT;
    for (size_t i = first; i < l->items.n; i++)
        map_put(&idx, &l->items.v[i].id, sizeof(int64_t), (void *)(uintptr_t)(i + 1));
    VEC(struct case_event) ev = VEC_INIT;
    VEC(size_t) owner = VEC_INIT;
    st = store_sql(x->db,
                   "SELECT " CASE__EVENT_COLS "FROM case_events e WHERE e.case_id IN "
                   "(SELECT c.id FROM cases c WHERE " FILTER_SQL ") ORDER BY e.case_id, e.seq");
    bind_filter(st, q);
    while (ok && stmt_next(st)) {
        struct case_event e;
        int64_t cid;
        if (!(ok = case__event_read(st, &l->arena, &e, &cid, err)))
            break;
        uintptr_t k = (uintptr_t)map_get(&idx, &cid, sizeof(cid));
        if (!k)
            continue; /* an item that arrived between the two queries */
        vec_push(&ev, e);
        vec_push(&owner, (size_t)k - 1);
    }
    rc = stmt_done(st, err);
    if (!rc && ok) {
        struct case_event *all = arena_alloc(&l->arena, (ev.n ? ev.n : 1) * sizeof(*all));
        if (ev.n)
            memcpy(all, ev.v, ev.n * sizeof(*all));
        for (size_t i = 0; i < ev.n; i++) {
            struct case_item *it = &l->items.v[owner.v[i]];
            if (!it->nev)
                it->ev = &all[i];
            it->nev++;
        }
    }
    vec_release(&ev);
    vec_release(&owner);
    map_release(&idx, NULL);
    return rc ? rc : ok ? RC_OK : RC_DB;
}

static int64_t day_start(const struct case_ctx *x, int32_t day)
{
    return day == DATE_NONE ? FAR_PAST : time_from_date(day, 0, x->tz);
}

static int64_t day_end(const struct case_ctx *x, int32_t day)
{
    return day == DATE_NONE ? FAR_FUTURE : time_from_date(day, 86399, x->tz);
}

void case_list_release(struct case_list *l)
{
    vec_release(&l->items);
    vec_release(&l->states);
    arena_release(&l->arena);
}

enum rc case_query(struct case_ctx *x, const struct case_filter *f, struct case_list *out,
                   struct err *err)
{
    memset(out, 0, sizeof(*out));
    int64_t as_of = f->as_of ? f->as_of : clk_now(x->clk);
    int64_t hi = day_end(x, f->to);
    struct load_q q = { .kinds = f->kinds,
                        .site_id = f->site_id,
                        .unit_id = f->unit_id,
                        .recv_lo = day_start(x, f->from),
                        .recv_hi = hi < as_of ? hi : as_of,
                        .open_at = f->which == CASE_LIST_OPEN || f->which == CASE_LIST_OVERDUE ||
                                           f->which == CASE_LIST_DUE_SOON
                                       ? as_of
                                       : 0 };
    enum rc rc = load_items(x, &q, out, err);
    if (rc)
        return rc;
    int32_t soon = DATE_NONE;
    if (f->which == CASE_LIST_DUE_SOON &&
        cal_add(x->cal, time_to_date(as_of, x->tz), f->due_within, &soon, NULL, err))
        return RC_INVALID;
    size_t keep = 0;
    for (size_t i = 0; i < out->items.n; i++) {
        struct case_state st;
        if (case_state_at(x, &out->items.v[i], as_of, &st, NULL, err))
            return RC_INVALID;
        if (f->unit_id && st.unit_id != f->unit_id)
            continue;
        bool take = true;
        switch (f->which) {
        case CASE_LIST_ALL:
            break;
        case CASE_LIST_OPEN:
            take = st.open;
            break;
        case CASE_LIST_CLOSED:
            take = !st.open;
            break;
        case CASE_LIST_OVERDUE:
            take = st.open && st.timing == CASE_OPEN_OVERDUE;
            break;
        case CASE_LIST_DUE_SOON:
            take = st.open && st.timing == CASE_OPEN_NOT_DUE && !st.replied_at && !st.dl.paused &&
                   st.dl.due_day <= soon;
            break;
        }
        if (!take)
            continue;
        if (f->limit && keep >= f->limit)
            break;
        out->items.v[keep++] = out->items.v[i];
        vec_push(&out->states, st);
    }
    out->items.n = keep;
    return RC_OK;
}

/* --- Statistics --------------------------------------------------------------------------- */

static void tally(const struct case_ctx *x, struct case_stats *s, const struct case_item *it,
                  const struct case_state *st)
{
    s->received++;
    switch (st->timing) {
    case CASE_OPEN_NOT_DUE:
        s->open_not_due++;
        break;
    case CASE_OPEN_OVERDUE:
        s->open_overdue++;
        break;
    case CASE_ON_TIME:
        s->closed_on_time++;
        break;
    case CASE_LATE:
        s->closed_late++;
        break;
    }
    if (!st->open) {
        int64_t judged = st->replied_at ? st->replied_at : st->closed_at;
        s->closed++;
        s->sum_days += time_to_date(judged, x->tz) - time_to_date(it->received_at, x->tz);
        s->sum_working_days += case__working_days(x, it->received_at, judged);
    }
}

static void finish(struct case_stats *s)
{
    int den = s->closed + s->open_overdue;
    s->rate_defined = den > 0;
    s->on_time_rate = den ? (double)s->closed_on_time / den : 0;
    s->mean_days = s->closed ? s->sum_days / s->closed : 0;
    s->mean_working_days = s->closed ? s->sum_working_days / s->closed : 0;
}

static int group_cmp(const void *a, const void *b)
{
    const struct case_stats_group *x = a, *y = b;
    if (x->s.received != y->s.received)
        return y->s.received - x->s.received;
    return strcmp(x->label ? x->label : "", y->label ? y->label : "");
}

void case_stats_release(struct case_stats_result *r)
{
    vec_release(&r->groups);
    arena_release(&r->arena);
}

enum rc case_stats(struct case_ctx *x, unsigned kinds, int32_t from, int32_t to, int64_t as_of,
                   enum case_group by, struct case_stats_result *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (!as_of)
        as_of = clk_now(x->clk);
    struct case_list l = { 0 };
    int64_t hi = day_end(x, to);
    struct load_q q = { .kinds = kinds,
                        .recv_lo = day_start(x, from),
                        .recv_hi = hi < as_of ? hi : as_of };
    enum rc rc = load_items(x, &q, &l, err);
    struct map groups = MAP_INIT; /* key → index + 1 */
    struct map units = MAP_INIT;  /* unit id → label (arena) */
    if (!rc && by == CASE_BY_UNIT) {
        struct stmt *st = store_q(x->db, "SELECT id, COALESCE(short_name, name) FROM units", "");
        while (stmt_next(st)) {
            int64_t id = stmt_int(st, 0);
            map_put(&units, &id, sizeof(id), arena_strdup(&out->arena, stmt_str(st, 1)));
        }
        rc = stmt_done(st, err);
    }
    for (size_t i = 0; !rc && i < l.items.n; i++) {
        const struct case_item *it = &l.items.v[i];
        struct case_state st;
        if ((rc = case_state_at(x, it, as_of, &st, NULL, err)))
            break;
        tally(x, &out->total, it, &st);
        if (by == CASE_BY_NONE)
            continue;
        int64_t id = by == CASE_BY_UNIT ? st.unit_id : by == CASE_BY_SITE ? it->site_id : it->kind;
        void **slot = map_slot(&groups, &id, sizeof(id), NULL);
        if (!*slot) {
            struct case_stats_group g = { .id = id };
            if (by == CASE_BY_UNIT)
                g.label = map_get(&units, &id, sizeof(id));
            else if (by == CASE_BY_SITE)
                g.label = it->site ? arena_strdup(&out->arena, it->site) : "（无网站）";
            else
                g.label = case_kinds[it->kind].cn;
            if (!g.label)
                g.label = "?";
            vec_push(&out->groups, g);
            *slot = (void *)(uintptr_t)out->groups.n;
        }
        tally(x, &out->groups.v[(uintptr_t)*slot - 1].s, it, &st);
    }
    finish(&out->total);
    for (size_t i = 0; i < out->groups.n; i++)
        finish(&out->groups.v[i].s);
    if (out->groups.n > 1)
        qsort(out->groups.v, out->groups.n, sizeof(*out->groups.v), group_cmp);
    map_release(&groups, NULL);
    map_release(&units, NULL);
    case_list_release(&l);
    return rc;
}

enum rc case_outcome_counts(struct case_ctx *x, unsigned kinds, int32_t from, int32_t to,
                            int64_t as_of, int (*counts)[CASE_NREQTYPES + 1], struct err *err)
{
    memset(counts, 0, case_noutcomes * sizeof(*counts));
    if (!as_of)
        as_of = clk_now(x->clk);
    struct case_list l = { 0 };
    int64_t hi = day_end(x, to);
    struct load_q q = { .kinds = kinds, .recv_lo = FAR_PAST, .recv_hi = hi < as_of ? hi : as_of };
    enum rc rc = load_items(x, &q, &l, err);
    int64_t lo = day_start(x, from);
    for (size_t i = 0; !rc && i < l.items.n; i++) {
        const struct case_item *it = &l.items.v[i];
        struct case_state st;
        if ((rc = case_state_at(x, it, as_of, &st, NULL, err)))
            break;
        if (st.open || !st.replied_at || st.replied_at < lo || st.replied_at > hi || !st.outcome)
            continue;
        size_t o = 0;
        while (o < case_noutcomes && strcmp(case_outcomes[o].key, st.outcome))
            o++;
        if (o == case_noutcomes)
            continue;
        int j = CASE_NREQTYPES;
        for (int t = 0; t < CASE_NREQTYPES; t++)
            if (it->requester_type && !strcmp(it->requester_type, case_requester_types[t].key))
                j = t;
        counts[o][j]++;
    }
    case_list_release(&l);
    return rc;
}

/* --- The site verdict's inputs -----------------------------------------------------------------
 */

/* The instant `months` calendar months after t (the same time of day). */
static int64_t add_months(const struct case_ctx *x, int64_t t, int months)
{
    int32_t d = time_to_date(t, x->tz);
    return time_from_date(date_add_months(d, months), time_secs_of_day(t, x->tz), x->tz);
}

enum rc case_site_unanswered(struct case_ctx *x, int64_t site_id, unsigned kinds, int64_t at,
                             struct arena *a, struct case_slow_reply **out, size_t *n,
                             struct err *err)
{
    *out = NULL;
    *n = 0;
    if (!site_id)
        return err_set(err, RC_INVALID, "no site given");
    struct case_list l = { 0 };
    struct load_q q = {
        .kinds = kinds, .site_id = site_id, .recv_lo = add_months(x, at, -12) + 1, .recv_hi = at
    };
    enum rc rc = load_items(x, &q, &l, err);
    VEC(struct case_slow_reply) v = VEC_INIT;
    for (size_t i = 0; !rc && i < l.items.n; i++) {
        const struct case_item *it = &l.items.v[i];
        struct case_state st;
        if ((rc = case_state_at(x, it, at, &st, NULL, err)))
            break;
        if (st.status == CASE_REJECTED || st.status == CASE_WITHDRAWN ||
            st.status == CASE_ABANDONED)
            continue;
        int64_t limit = add_months(x, it->received_at, 3);
        int64_t end = st.replied_at ? st.replied_at : at;
        if (end <= limit)
            continue;
        struct case_slow_reply r = { .number = arena_strdup(a, it->number),
                                     .received_at = it->received_at,
                                     .replied_at = st.replied_at,
                                     .days = time_to_date(end, x->tz) -
                                             time_to_date(it->received_at, x->tz) };
        vec_push(&v, r);
    }
    if (!rc && v.n) {
        *out = arena_alloc(a, v.n * sizeof(**out));
        memcpy(*out, v.v, v.n * sizeof(**out));
        *n = v.n;
    }
    vec_release(&v);
    case_list_release(&l);
    return rc;
}

enum rc case_site_reply_activity(struct case_ctx *x, int64_t site_id, unsigned kinds, int64_t at,
                                 int months, struct case_reply_activity *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (!site_id)
        return err_set(err, RC_INVALID, "no site given");
    if (months < 1 || months > 120)
        return err_set(err, RC_INVALID, "a window of %d months; give 1 to 120", months);
    struct case_list l = { 0 };
    struct load_q q = { .kinds = kinds, .site_id = site_id, .recv_lo = FAR_PAST, .recv_hi = at };
    enum rc rc = load_items(x, &q, &l, err);
    int64_t lo = add_months(x, at, -months);
    for (size_t i = 0; !rc && i < l.items.n; i++) {
        const struct case_item *it = &l.items.v[i];
        struct case_state st;
        if ((rc = case_state_at(x, it, at, &st, NULL, err)))
            break;
        if (it->received_at > lo)
            out->received_in_window++;
        bool reply = st.replied_at && (st.status == CASE_ANSWERED || st.status == CASE_CLOSED ||
                                       st.status == CASE_HANDLED);
        if (!reply)
            continue;
        if (st.replied_at > out->last_reply_at)
            out->last_reply_at = st.replied_at;
        if (st.replied_at > lo)
            out->replies_in_window++;
    }
    case_list_release(&l);
    return rc;
}
