/* web_cases.c - what the 办件 pages and the /api/v1/cases routes share: the worker's
 * work-item context, the list query (filters as in `case list`), loading one item under
 * the unit scope, the list item's JSON and the CSV/XLSX export (web_int.h). */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/esc.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "reg/reg.h"
#include "web/web_int.h"

/* ---- the worker's context ------------------------------------------------------------ */

/* Loading the calendar and the rules costs more than a list page, so each worker keeps
 * one context and reloads it when a local calendar override changes (its counter). */
struct kept_ctx {
    struct case_ctx x;
    int64_t changes;
};

static void kept_release(void *p)
{
    struct kept_ctx *k = p;
    case_ctx_release(&k->x);
    free(k);
}

struct case_ctx *web__cases(struct web_req *r)
{
    int64_t changes = web_changes(r, "calendar_overrides");
    struct kept_ctx *k = web_slot_get(r, WEB_SLOT_CASES);
    if (k && k->changes == changes && changes >= 0)
        return &k->x;
    struct kept_ctx *n = XNEW(struct kept_ctx);
    struct err e = { 0 };
    if (case_ctx_init(&n->x, r->db, web__conf(r->srv)->conf, r->clk, &e)) {
        free(n);
        web_fail(r, RC_INTERNAL, "work items: %s", err_msg(&e));
        return NULL;
    }
    n->changes = changes;
    web_slot_set(r, WEB_SLOT_CASES, n, kept_release);
    return &n->x;
}

unsigned web__case_roles(const struct web_req *r)
{
    if (!r->user)
        return 0;
    if (r->user->role & ROLES_STAFF)
        return CASE_ROLE_OFFICE | CASE_ROLE_UNIT;
    if (r->user->role & ROLE_EDITOR)
        return CASE_ROLE_UNIT; /* on their own unit's items: web__case_get checks */
    return 0;
}

enum case_view web__case_view(const struct web_req *r)
{
    return case_role_sees_personal(web__case_roles(r)) ? CASE_VIEW_FULL : CASE_VIEW_MASKED;
}

/* ---- the list query ------------------------------------------------------------------ */

static enum rc id_or_name(struct web_req *r, const char *v, bool site, int64_t *id)
{
    if (str_empty(v))
        return RC_OK;
    if (cstr_to_i64(v, id) && *id > 0)
        return RC_OK;
    struct err e = { 0 };
    if (site ? reg_site_lookup(r->db, v, id, &e) : reg_unit_lookup(r->db, v, id, &e))
        return web_fail(r, RC_INVALID, "%s", err_msg(&e));
    return RC_OK;
}

static enum rc parse_time(struct web_req *r, const char *name, const char *v, bool end_of_day,
                          int64_t *out)
{
    int flags = 0;
    char *t = arena_strdup(&r->a, v);
    if (strlen(t) > 10 && t[10] == 'T' && !strpbrk(t + 11, "+Z") && !strchr(t + 11, '-'))
        t[10] = ' '; /* a form's datetime-local value is China time */
    if (!time_parse(t, r->clk->tzoff, out, &flags))
        return web_fail(r, RC_INVALID,
                        "%s '%s' is not a time; use 'YYYY-MM-DD HH:MM' (China time) or ISO 8601",
                        name, v);
    if (!(flags & TIME_HAS_TIME) && end_of_day)
        *out += 86399;
    return RC_OK;
}

enum rc web__parse_time(struct web_req *r, const char *name, const char *v, int64_t *out)
{
    return parse_time(r, name, v, false, out);
}

static enum rc query_time(struct web_req *r, const char *name, bool end_of_day, int64_t *out)
{
    const char *v = web_query(r, name);
    *out = 0;
    return str_empty(v) ? RC_OK : parse_time(r, name, v, end_of_day, out);
}

static enum rc query_date(struct web_req *r, const char *name, int32_t *out)
{
    const char *v = web_query(r, name);
    *out = DATE_NONE;
    if (!str_empty(v) && !date_parse(v, out))
        return web_fail(r, RC_INVALID, "%s '%s' is not a date; use YYYY-MM-DD", name, v);
    return RC_OK;
}

enum rc web__case_query(struct web_req *r, struct web__case_q *f)
{
    memset(f, 0, sizeof(*f));
    struct case_page_q *q = &f->q;
    q->from = q->to = DATE_NONE;
    q->sort = CASE_SORT_RECEIVED;
    q->desc = true;
    enum rc rc;
    const char *kind = web_query(r, "kind");
    if (!str_empty(kind)) {
        struct err e = { 0 };
        if (case_kinds_parse(kind, &q->kinds, &e))
            return web_fail(r, RC_INVALID, "%s", err_msg(&e));
    }
    if ((rc = id_or_name(r, web_query(r, "unit"), false, &q->unit_id)) ||
        (rc = id_or_name(r, web_query(r, "site"), true, &q->site_id)) ||
        (rc = query_date(r, "from", &q->from)) || (rc = query_date(r, "to", &q->to)) ||
        (rc = query_time(r, "as_of", true, &f->as_of)))
        return rc;
    if (q->from != DATE_NONE && q->to != DATE_NONE && q->to < q->from)
        return web_fail(r, RC_INVALID, "to is before from");
    /* The unit scope: an editor's list is their unit's, whatever ?unit= says. */
    int64_t scope = web_scope_unit(r);
    if (scope) {
        if (q->unit_id && q->unit_id != scope)
            f->empty = true; /* another unit: nothing, as if it had no items */
        q->unit_id = scope;
    }
    const char *state = web_query(r, "state"), *dw = web_query(r, "due_within");
    static const struct {
        const char *key;
        enum case_which which;
    } states[] = { { "all", CASE_LIST_ALL },
                   { "open", CASE_LIST_OPEN },
                   { "closed", CASE_LIST_CLOSED },
                   { "overdue", CASE_LIST_OVERDUE },
                   { "due_soon", CASE_LIST_DUE_SOON } };
    if (!str_empty(state)) {
        size_t i = 0;
        while (i < sizeof(states) / sizeof(states[0]) && strcmp(states[i].key, state))
            i++;
        if (i == sizeof(states) / sizeof(states[0]))
            return web_fail(r, RC_INVALID,
                            "state '%s' is not all, open, closed, overdue or due_soon", state);
        q->which = states[i].which;
    }
    if (!str_empty(dw)) {
        if (!cstr_to_int(dw, 0, 1000, &q->due_within))
            return web_fail(r, RC_INVALID, "due_within '%s' must be working days from 0 to 1000",
                            dw);
        if (q->which != CASE_LIST_ALL && q->which != CASE_LIST_DUE_SOON)
            return web_fail(r, RC_INVALID, "due_within goes with state=due_soon (or no state)");
        q->which = CASE_LIST_DUE_SOON;
    } else if (q->which == CASE_LIST_DUE_SOON) {
        q->due_within = 3;
    }
    const char *sort = web_query(r, "sort");
    if (!str_empty(sort) && !case_sort_parse(sort, &q->sort, &q->desc))
        return web_fail(r, RC_INVALID,
                        "sort '%s' is not received, due or number (- for descending)", sort);
    const char *text = web_query(r, "q");
    if (!str_empty(text)) {
        struct str t = str_trim(str_of(text));
        q->q = t.n ? arena_strndup(&r->a, t.p, t.n) : NULL;
    }
    return RC_OK;
}

/* The cache key of the count: every filter value; the clock when the answer moves with it. */
static const char *count_key(struct web_req *r, const struct case_page_q *q)
{
    struct buf b = BUF_INIT;
    buf_addf(&b, "cases|k=%u|u=%lld|s=%lld|f=%d|t=%d|w=%d|d=%d|q=", q->kinds, (long long)q->unit_id,
             (long long)q->site_id, (int)q->from, (int)q->to, (int)q->which, q->due_within);
    buf_adds(&b, q->q ? q->q : "");
    if (q->which == CASE_LIST_OVERDUE || q->which == CASE_LIST_DUE_SOON)
        buf_addf(&b, "|now=%lld", (long long)clk_now(r->clk));
    const char *k = arena_strdup(&r->a, buf_cstr(&b));
    buf_release(&b);
    return k;
}

static enum rc count_items(struct web_req *r, void *ctx, int64_t *n)
{
    struct err e = { 0 };
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    if (case_page_count(x, ctx, n, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return RC_OK;
}

/* For a list as of a past moment: every item replayed (case_query), sorted and paged in
 * memory.  Each sort entry carries its key and direction, so qsort needs no shared state. */
struct sort_ent {
    size_t idx;
    int64_t key, id;
    const char *text; /* number, for CASE_SORT_NUMBER */
    int dir;          /* 1 ascending, -1 descending */
};

static int cmp_ent(const void *x, const void *y)
{
    const struct sort_ent *a = x, *b = y;
    int c = a->text ? strcmp(a->text, b->text) : (a->key > b->key) - (a->key < b->key);
    if (!c)
        c = (a->id > b->id) - (a->id < b->id);
    return c * a->dir;
}

enum rc web__case_list(struct web_req *r, struct web__case_q *f, struct web_page *pg,
                       struct case_list *out)
{
    memset(out, 0, sizeof(*out));
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    struct err e = { 0 };
    enum rc rc;
    if (f->empty) {
        pg->total = 0;
        return RC_OK;
    }
    if (!f->as_of) {
        f->q.limit = (size_t)pg->per_page;
        f->q.pos = pg->pos;
        f->q.offset = pg->pos.set ? 0 : pg->offset;
        if ((rc =
                 web_count_cached(r, "cases", count_key(r, &f->q), count_items, &f->q, &pg->total)))
            return rc;
        if (case_page(x, &f->q, out, &e))
            return web_fail(r, e.rc, "%s", err_msg(&e));
        if (out->items.n) {
            struct buf a = BUF_INIT, b = BUF_INIT;
            case_page_cursor(&f->q, &out->items.v[0], &a);
            case_page_cursor(&f->q, &out->items.v[out->items.n - 1], &b);
            web_page_cursors(r, pg, buf_cstr(&a), buf_cstr(&b));
            buf_release(&a);
            buf_release(&b);
        }
        return RC_OK;
    }
    /* as of a moment: replay, then sort and cut the page */
    struct case_filter cf = { .kinds = f->q.kinds,
                              .unit_id = f->q.unit_id,
                              .site_id = f->q.site_id,
                              .from = f->q.from,
                              .to = f->q.to,
                              .as_of = f->as_of,
                              .which = f->q.which,
                              .due_within = f->q.due_within };
    if (case_query(x, &cf, out, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    /* the text filter, then the order (items and states move together) */
    size_t n = out->items.n, keep = 0;
    struct sort_ent *ent = arena_alloc(&r->a, (n ? n : 1) * sizeof(*ent));
    for (size_t i = 0; i < n; i++) {
        const struct case_item *it = &out->items.v[i];
        if (f->q.q && !strstr(it->number, f->q.q) && !(it->subject && strstr(it->subject, f->q.q)))
            continue;
        const struct case_state *st = &out->states.v[i];
        int64_t due = st->dl.paused ? INT64_MAX : st->dl.due;
        ent[keep++] = (struct sort_ent){ .idx = i,
                                         .key = f->q.sort == CASE_SORT_DUE ? due : it->received_at,
                                         .id = it->id,
                                         .text = f->q.sort == CASE_SORT_NUMBER ? it->number : NULL,
                                         .dir = f->q.desc ? -1 : 1 };
    }
    qsort(ent, keep, sizeof(*ent), cmp_ent);
    pg->total = (int64_t)keep;
    struct case_item *items = arena_alloc(&r->a, (keep ? keep : 1) * sizeof(*items));
    struct case_state *states = arena_alloc(&r->a, (keep ? keep : 1) * sizeof(*states));
    for (size_t i = 0; i < keep; i++) {
        items[i] = out->items.v[ent[i].idx];
        states[i] = out->states.v[ent[i].idx];
    }
    size_t from = pg->offset < (int64_t)keep ? (size_t)pg->offset : keep;
    size_t m = keep - from < (size_t)pg->per_page ? keep - from : (size_t)pg->per_page;
    out->items.n = out->states.n = 0;
    for (size_t i = 0; i < m; i++) {
        vec_push(&out->items, items[from + i]);
        vec_push(&out->states, states[from + i]);
    }
    return RC_OK;
}

enum rc web__case_get(struct web_req *r, const char *number, struct case_item *it)
{
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    struct err e = { 0 };
    enum rc rc = case_get(x, number ? number : "", &r->a, it, &e);
    if (rc == RC_NOTFOUND)
        return web_fail(r, RC_NOTFOUND, "work item %s not found", number ? number : "");
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    return web_scope_check(r, it->unit_id, arena_fmt(&r->a, "work item %s", it->number));
}

enum rc web__case_now(struct web_req *r, const char *number, struct case_item *it,
                      struct case_state *st, struct deadline_explain *ex)
{
    enum rc rc;
    deadline_explain_init(ex);
    if ((rc = web__case_get(r, number, it)))
        return rc;
    struct err e = { 0 };
    if (case_state_at(web__cases(r), it, clk_now(r->clk), st, ex, &e)) {
        deadline_explain_release(ex);
        return web_fail(r, RC_INTERNAL, "%s", err_msg(&e));
    }
    return RC_OK;
}

/* ---- JSON and exports ---------------------------------------------------------------- */

static const char *outcome_text(struct web_req *r, const struct case_item *it, const char *key)
{
    const struct case_outcome *o = key ? case_outcome_find(it->kind, key) : NULL;
    if (!o)
        return key;
    struct buf b = BUF_INIT;
    case_outcome_label(o, &b);
    const char *s = arena_strdup(&r->a, buf_cstr(&b));
    buf_release(&b);
    return s;
}

static const char *personal(struct web_req *r, const struct case_item *it, bool contact,
                            enum case_view view)
{
    struct buf b = BUF_INIT;
    if (contact)
        case_contact_text(it, view, &b);
    else
        case_requester_text(it, view, &b);
    const char *s = b.n ? arena_strdup(&r->a, buf_cstr(&b)) : NULL;
    buf_release(&b);
    return s;
}

void web__case_brief_json(struct web_req *r, struct jw *w, const struct case_item *it,
                          const struct case_state *st, enum case_view view)
{
    int tz = r->clk->tzoff;
    jw_obj(w);
    jw_kstr(w, "number", it->number);
    jw_kstr(w, "kind", case_kinds[it->kind].key);
    jw_kstr(w, "kind_cn", case_kinds[it->kind].cn);
    jw_kstr(w, "unit", it->unit);
    jw_kint(w, "unit_id", it->unit_id);
    jw_kstr(w, "site", it->site);
    if (it->site_id)
        jw_kint(w, "site_id", it->site_id);
    else
        jw_knull(w, "site_id");
    jw_kstr(w, "subject", it->subject);
    jw_ktime(w, "received", it->received_at, tz);
    jw_kstr(w, "requester", personal(r, it, false, view));
    jw_kstr(w, "contact", personal(r, it, true, view));
    jw_kstr(w, "personal_data", view == CASE_VIEW_FULL ? "shown" : "masked");
    jw_kstr(w, "status", case_statuses[st->status].key);
    jw_kstr(w, "status_cn", case_statuses[st->status].cn);
    jw_kbool(w, "open", st->open);
    jw_ktime(w, "due", st->dl.paused ? 0 : st->dl.due, tz);
    jw_kbool(w, "paused", st->dl.paused);
    jw_kstr(w, "timing", case_timing_key(st->timing));
    jw_kstr(w, "timing_cn", case_timing_cn(st->timing));
    jw_kbool(w, "overdue", st->timing == CASE_OPEN_OVERDUE || st->timing == CASE_LATE);
    jw_ktime(w, "replied", st->replied_at, tz);
    jw_ktime(w, "closed", st->closed_at, tz);
    jw_kstr(w, "outcome", st->outcome);
    jw_kstr(w, "outcome_cn", outcome_text(r, it, st->outcome));
    jw_end(w);
}

static const char *const export_head[] = { "编号",   "类型",     "承办单位",  "网站",
                                           "标题",   "收到时间", "状态",      "期限",
                                           "时效",   "答复时间", "办结时间",  "办理结果",
                                           "申请人", "联系方式", "申请人类型" };
#define NEXPORT (sizeof(export_head) / sizeof(export_head[0]))

static void export_cells(struct web_req *r, const struct case_item *it, const struct case_state *st,
                         enum case_view view, const char *cells[NEXPORT])
{
    char *t[5];
    int64_t when[5] = { it->received_at, st->dl.paused ? 0 : st->dl.due, st->replied_at,
                        st->closed_at, 0 };
    for (int i = 0; i < 4; i++) {
        t[i] = arena_alloc(&r->a, 20);
        if (when[i])
            time_fmt_local(when[i], r->clk->tzoff, t[i]);
        else
            t[i][0] = '\0';
    }
    const struct case_term *rt =
        case_term_find(case_requester_types, it->requester_type ? it->requester_type : "");
    const char *v[NEXPORT] = { it->number,
                               case_kinds[it->kind].cn,
                               it->unit,
                               it->site,
                               it->subject,
                               t[0],
                               case_statuses[st->status].cn,
                               st->dl.paused ? "暂停计时" : t[1],
                               case_timing_cn(st->timing),
                               t[2],
                               t[3],
                               outcome_text(r, it, st->outcome),
                               personal(r, it, false, view),
                               personal(r, it, true, view),
                               rt ? rt->cn : NULL };
    for (size_t i = 0; i < NEXPORT; i++)
        cells[i] = v[i] ? v[i] : "";
}

/* Every matching item, read a page at a time by keyset (or replayed, as of a moment). */
enum rc web__case_export(struct web_req *r, struct web__case_q *f, bool xlsx)
{
    enum case_view view = web__case_view(r);
    struct web_export x;
    web_export_begin(&x, r, xlsx, "办件清单", export_head, NEXPORT);
    /* as of a moment the replay holds every item anyway: one page of all */
    struct web_page pg = { .page = 1, .per_page = f->as_of ? INT32_MAX : 1000 };
    enum rc rc = RC_OK;
    for (;;) {
        struct case_list l;
        if ((rc = web__case_list(r, f, &pg, &l)))
            break;
        for (size_t i = 0; i < l.items.n; i++) {
            const char *cells[NEXPORT];
            export_cells(r, &l.items.v[i], &l.states.v[i], view, cells);
            web_export_row(&x, cells);
        }
        size_t n = l.items.n;
        case_list_release(&l);
        if (f->as_of || n < (size_t)pg.per_page || !pg.last_pos)
            break;
        if (!keyset_parse(pg.last_pos, false, &r->a, &pg.pos))
            BUG("own cursor %s", pg.last_pos);
    }
    return web_export_send(&x, rc);
}

/* ---- registering ----------------------------------------------------------------------- */

enum rc web__case_add(struct web_req *r, const struct web__case_new *in, char **number)
{
    *number = NULL;
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    struct case_new n = { .number = str_empty(in->number) ? NULL : in->number,
                          .page_url = in->page_url,
                          .channel = in->channel,
                          .subject = in->subject,
                          .content = in->content,
                          .requester = in->requester,
                          .contact = in->contact,
                          .requester_type = in->requester_type,
                          .actor = r->user->name };
    enum rc rc;
    if (str_empty(in->kind) || !case_kind_parse(in->kind, &n.kind))
        return web_fail(r, RC_INVALID,
                        "kind '%s' is not disclosure, consultation, complaint or error-report",
                        in->kind ? in->kind : "");
    if (str_empty(in->received))
        return web_fail(r, RC_INVALID, "the receipt time (received) is required");
    if ((rc = parse_time(r, "received", in->received, false, &n.received_at)) ||
        (rc = id_or_name(r, in->unit, false, &n.unit_id)) ||
        (rc = id_or_name(r, in->site, true, &n.site_id)))
        return rc;
    int64_t scope = web_scope_unit(r);
    if (scope) {
        if (n.unit_id && n.unit_id != scope)
            return web_fail(r, RC_INVALID, "editors register items of their own unit only");
        n.unit_id = scope;
    }
    struct err e = { 0 };
    if ((rc = case_add(x, &n, number, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    return RC_OK;
}
