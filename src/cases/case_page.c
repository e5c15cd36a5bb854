/* case_page.c - pages of items as they stand now, from the replay columns (cases.h, "Pages
 * of items now"): the dashboard's list, with keyset pagination and counts. */
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_int.h"
#include "core/date.h"
#include "core/esc.h"
#include "core/str.h"

/* The sort keys, as SQL over `cases c`, never NULL: each is the leading column of an index
 * of 0010_web2.sql together with c.id (a paused item has no due time: it sorts last). */
#define DUE_KEY "COALESCE(c.due_at, 4611686018427387904)"
static const struct {
    const char *key, *expr;
    bool text;
} sorts[] = {
    [CASE_SORT_RECEIVED] = { "received", "c.received_at", false },
    [CASE_SORT_DUE] = { "due", DUE_KEY, false },
    [CASE_SORT_NUMBER] = { "number", "c.number", true },
};

bool case_sort_parse(const char *s, enum case_sort *sort, bool *desc)
{
    int i = keyset_sort_parse(s, &sorts[0].key, sizeof(sorts[0]), sizeof(sorts) / sizeof(sorts[0]),
                              desc);
    if (i >= 0)
        *sort = (enum case_sort)i;
    return i >= 0;
}

const char *case_sort_key(enum case_sort s)
{
    return sorts[s].key;
}

/* The WHERE clause of q (constant fragments only; the values are bound by bind_where in
 * the same order).  The end of the due-soon window is computed from the calendar. */
struct where {
    struct buf sql;
    int64_t now, soon_end;
    int tz;
    const char *like;
};

static enum rc build_where(struct case_ctx *x, const struct case_page_q *q, struct where *w,
                           struct err *err)
{
    buf_init(&w->sql, 0);
    w->now = clk_now(x->clk);
    w->tz = x->tz;
    buf_adds(&w->sql, " WHERE 1 = 1");
    if (q->kinds && (q->kinds & CASE_KINDS_ALL) != CASE_KINDS_ALL) {
        /* one placeholder per kind: "=" for one, so the per-kind index orders the list */
        int n = 0;
        for (int k = 0; k < CASE_NKINDS; k++)
            n += (q->kinds & CASE_KIND_BIT(k)) != 0;
        buf_adds(&w->sql, n == 1 ? " AND c.kind = ?" : " AND c.kind IN (?");
        for (int k = 1; k < n; k++)
            buf_adds(&w->sql, k + 1 < n ? ", ?" : ", ?)");
    }
    if (q->unit_id)
        buf_adds(&w->sql, " AND c.unit_id = ?");
    if (q->site_id)
        buf_adds(&w->sql, " AND c.site_id = ?");
    if (q->from != DATE_NONE)
        buf_adds(&w->sql, " AND c.received_at >= ?");
    if (q->to != DATE_NONE)
        buf_adds(&w->sql, " AND c.received_at <= ?");
    switch (q->which) {
    case CASE_LIST_ALL:
        break;
    case CASE_LIST_OPEN:
        buf_adds(&w->sql, " AND c.closed_at IS NULL");
        break;
    case CASE_LIST_CLOSED:
        buf_adds(&w->sql, " AND c.closed_at IS NOT NULL");
        break;
    case CASE_LIST_OVERDUE:
        /* open and past the due time, or replied late and waiting for the review */
        buf_adds(&w->sql, " AND c.closed_at IS NULL AND " DUE_KEY " < ? AND (c.replied_at IS "
                          "NULL OR c.replied_at > c.due_at)");
        break;
    case CASE_LIST_DUE_SOON: {
        int32_t soon;
        if (cal_add(x->cal, time_to_date(w->now, x->tz), q->due_within, &soon, NULL, err)) {
            buf_release(&w->sql);
            return RC_INVALID;
        }
        w->soon_end = time_from_date(soon, 86399, x->tz);
        buf_adds(&w->sql, " AND c.closed_at IS NULL AND c.replied_at IS NULL AND " DUE_KEY
                          " >= ? AND " DUE_KEY " <= ?");
        break;
    }
    }
    if (!str_empty(q->q)) {
        struct buf l = BUF_INIT;
        esc_like(&l, q->q);
        w->like = buf_take(&l);
        buf_adds(&w->sql, " AND (c.number LIKE ? ESCAPE '\\' OR c.subject LIKE ? ESCAPE '\\')");
    }
    return RC_OK;
}

static int bind_where(struct stmt *st, const struct case_page_q *q, const struct where *w)
{
    int i = 1;
    if (q->kinds && (q->kinds & CASE_KINDS_ALL) != CASE_KINDS_ALL)
        for (int k = 0; k < CASE_NKINDS; k++)
            if (q->kinds & CASE_KIND_BIT(k))
                stmt_bind_text(st, i++, case_kinds[k].key);
    if (q->unit_id)
        stmt_bind_int(st, i++, q->unit_id);
    if (q->site_id)
        stmt_bind_int(st, i++, q->site_id);
    if (q->from != DATE_NONE)
        stmt_bind_int(st, i++, time_from_date(q->from, 0, w->tz));
    if (q->to != DATE_NONE)
        stmt_bind_int(st, i++, time_from_date(q->to, 86399, w->tz));
    if (q->which == CASE_LIST_OVERDUE)
        stmt_bind_int(st, i++, w->now);
    if (q->which == CASE_LIST_DUE_SOON) {
        stmt_bind_int(st, i++, w->now);
        stmt_bind_int(st, i++, w->soon_end);
    }
    if (w->like) {
        stmt_bind_text(st, i++, w->like);
        stmt_bind_text(st, i++, w->like);
    }
    return i;
}

static void where_release(struct where *w)
{
    buf_release(&w->sql);
    free((char *)w->like);
}

/* The state now from the replay columns (what case_state_at would give at `now` without
 * replaying: the columns are the replay at the last event, and only the timing of an open
 * item moves with time). */
static void brief_state(const struct case_item *it, int64_t now, int tz, struct case_state *st)
{
    memset(st, 0, sizeof(*st));
    st->as_of = now;
    st->status = it->status;
    st->open = case_statuses[it->status].open;
    st->unit_id = it->unit_id;
    st->replied_at = it->replied_at;
    st->closed_at = it->closed_at;
    st->outcome = it->outcome;
    st->dl.paused = it->due_at == 0;
    st->dl.due = it->due_at;
    st->dl.due_day = it->due_at ? time_to_date(it->due_at, tz) : DATE_NONE;
    bool late = it->replied_at && it->due_at && it->replied_at > it->due_at;
    if (st->open)
        st->timing = (it->replied_at ? late : it->due_at && now > it->due_at) ? CASE_OPEN_OVERDUE
                                                                              : CASE_OPEN_NOT_DUE;
    else
        st->timing = (it->replied_at ? late : it->due_at && it->closed_at > it->due_at)
                         ? CASE_LATE
                         : CASE_ON_TIME;
}

enum rc case_page(struct case_ctx *x, const struct case_page_q *q, struct case_list *out,
                  struct err *err)
{
    memset(out, 0, sizeof(*out));
    if (q->pos.set && q->pos.text != sorts[q->sort].text)
        return err_set(err, RC_INVALID, "the list position is not one of this order (%s)",
                       sorts[q->sort].key);
    struct where w = { 0 };
    enum rc rc = build_where(x, q, &w, err);
    if (rc)
        return rc;
    struct buf sql = BUF_INIT;
    bool skip = q->offset && !q->pos.set;
    buf_adds(&sql, "SELECT " CASE__ITEM_COLS CASE__ITEM_FROM);
    /* Skipping rows: the ids are found in the index alone (a deferred join), so the rows
     * passed over are never joined or read. */
    if (skip)
        buf_adds(&sql, " WHERE c.id IN (SELECT c.id FROM cases c");
    buf_addbuf(&sql, &w.sql);
    keyset_where(&sql, sorts[q->sort].expr, "c.id", q->desc, &q->pos);
    keyset_order(&sql, sorts[q->sort].expr, "c.id", q->desc, &q->pos);
    buf_adds(&sql, skip ? " LIMIT ? OFFSET ?)" : " LIMIT ?");
    if (skip)
        keyset_order(&sql, sorts[q->sort].expr, "c.id", q->desc, &q->pos);
    struct stmt *st = store_sql(x->db, buf_cstr(&sql));
    int i = bind_where(st, q, &w);
    i = keyset_bind(st, i, &q->pos);
    stmt_bind_int(st, i, q->limit ? (int64_t)q->limit : INT64_MAX);
    if (skip)
        stmt_bind_int(st, i + 1, q->offset);
    bool ok = true;
    while (ok && stmt_next(st)) {
        struct case_item it;
        if ((ok = case__item_read(st, &out->arena, &it, err))) {
            struct case_state s;
            brief_state(&it, w.now, x->tz, &s);
            vec_push(&out->items, it);
            vec_push(&out->states, s);
        }
    }
    rc = stmt_done(st, err);
    buf_release(&sql);
    where_release(&w);
    if (!rc && !ok)
        rc = RC_DB;
    if (rc) {
        case_list_release(out);
        return rc;
    }
    if (q->pos.set && q->pos.before) /* read backwards: put them in display order */
        for (size_t a = 0, b = out->items.n; a + 1 < b; a++, b--) {
            struct case_item t = out->items.v[a];
            out->items.v[a] = out->items.v[b - 1];
            out->items.v[b - 1] = t;
            struct case_state s = out->states.v[a];
            out->states.v[a] = out->states.v[b - 1];
            out->states.v[b - 1] = s;
        }
    return RC_OK;
}

enum rc case_page_count(struct case_ctx *x, const struct case_page_q *q, int64_t *n,
                        struct err *err)
{
    struct where w = { 0 };
    enum rc rc = build_where(x, q, &w, err);
    if (rc)
        return rc;
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "SELECT COUNT(*) FROM cases c");
    /* the unfiltered count without a WHERE clause: SQLite's fast table count */
    if (strcmp(buf_cstr(&w.sql), " WHERE 1 = 1"))
        buf_addbuf(&sql, &w.sql);
    struct stmt *st = store_sql(x->db, buf_cstr(&sql));
    bind_where(st, q, &w);
    *n = stmt_next(st) ? stmt_int(st, 0) : 0;
    rc = stmt_done(st, err);
    buf_release(&sql);
    where_release(&w);
    return rc;
}

void case_page_cursor(const struct case_page_q *q, const struct case_item *it, struct buf *out)
{
    switch (q->sort) {
    case CASE_SORT_RECEIVED:
        keyset_encode(out, false, it->received_at, NULL, it->id);
        break;
    case CASE_SORT_DUE:
        keyset_encode(out, false, it->due_at ? it->due_at : INT64_C(4611686018427387904), NULL,
                      it->id);
        break;
    case CASE_SORT_NUMBER:
        keyset_encode(out, true, 0, it->number, it->id);
        break;
    }
}
