/* web_findings.c - what the 问题 pages and /api/v1/findings share: the list query, one
 * finding under the unit scope, dismiss and restore, the CSV/XLSX export (web_int.h). */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "reg/reg.h"
#include "web/web_int.h"

const char *web__finding_state_cn(const char *state)
{
    static const char *const m[][2] = { { "open", "未解决" },
                                        { "resolved", "已解决" },
                                        { "dismissed", "已忽略" } };
    for (size_t i = 0; state && i < sizeof(m) / sizeof(m[0]); i++)
        if (!strcmp(state, m[i][0]))
            return m[i][1];
    return state ? state : "";
}

/* A unit by id or name; a site by id, or by name, 标识码, address or host: a number is a
 * site's id when a site has it, else a 标识码 (ten digits, like an id). */
static enum rc lookup(struct web_req *r, const char *v, bool site, int64_t *id)
{
    if (str_empty(v))
        return RC_OK;
    if (cstr_to_i64(v, id) && *id > 0) {
        if (!site)
            return RC_OK;
        char *name = reg_site_label(r->db, *id);
        bool found = name != NULL;
        free(name);
        if (found)
            return RC_OK;
    }
    struct err e = { 0 };
    if (site ? reg_site_lookup(r->db, v, id, &e) : reg_unit_lookup(r->db, v, id, &e))
        return web_fail(r, RC_INVALID, "%s", err_msg(&e));
    return RC_OK;
}

enum rc web__finding_query(struct web_req *r, struct web__finding_q *f)
{
    memset(f, 0, sizeof(*f));
    struct check_page_q *q = &f->q;
    q->sort = CHECK_SORT_ID;
    q->desc = true;
    q->f.state = "open";
    enum rc rc;
    if ((rc = lookup(r, web_query(r, "site"), true, &q->f.site_id)) ||
        (rc = lookup(r, web_query(r, "unit"), false, &q->f.unit_id)))
        return rc;
    const char *kind = web_query(r, "kind"), *state = web_query(r, "state");
    if (!str_empty(kind)) {
        const struct check_kind *k = check_kind_find(kind);
        if (!k)
            return web_fail(r, RC_INVALID, "kind '%s' is unknown; see 'govsite findings --help'",
                            kind);
        q->f.kind = k->key;
    }
    if (!str_empty(state)) {
        static const char *const states[] = { "open", "resolved", "dismissed" };
        q->f.state = NULL;
        for (size_t i = 0; i < 3; i++)
            if (!strcmp(state, states[i]))
                q->f.state = states[i];
        if (!q->f.state && strcmp(state, "all"))
            return web_fail(r, RC_INVALID, "state '%s' is not open, resolved, dismissed or all",
                            state);
    }
    const char *as_of = web_query(r, "as_of");
    if (!str_empty(as_of)) {
        if ((rc = web__parse_time(r, "as_of", as_of, &f->as_of)))
            return rc;
        if (!strchr(as_of, ':'))
            f->as_of += 86399; /* a bare date: the end of that day */
    }
    const char *sort = web_query(r, "sort"), *text = web_query(r, "q");
    if (!str_empty(sort) && !check_sort_parse(sort, &q->sort, &q->desc))
        return web_fail(r, RC_INVALID,
                        "sort '%s' is not id, last_seen or severity (- for descending)", sort);
    if (!str_empty(text)) {
        struct str t = str_trim(str_of(text));
        q->q = t.n ? arena_strndup(&r->a, t.p, t.n) : NULL;
    }
    int64_t scope = web_scope_unit(r);
    if (scope) {
        if (q->f.unit_id && q->f.unit_id != scope)
            f->empty = true;
        q->f.unit_id = scope;
    }
    return RC_OK;
}

static enum rc count_findings(struct web_req *r, void *ctx, int64_t *n)
{
    struct err e = { 0 };
    if (check_findings_count(r->db, ctx, n, &e))
        return web_fail(r, e.rc, "%s", err_msg(&e));
    return RC_OK;
}

/* As of a moment: every finding walked (check_findings_each), the page kept. */
struct asof_ctx {
    const char *q;
    int64_t skip, take, total;
    struct check_row *rows;
    size_t n, cap;
};

static char *dup(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

static int on_asof(const struct check_row *row, void *ctx)
{
    struct asof_ctx *a = ctx;
    if (a->q && !(row->subject && strstr(row->subject, a->q)) &&
        !(row->summary && strstr(row->summary, a->q)) && !(row->url && strstr(row->url, a->q)))
        return 0;
    int64_t i = a->total++;
    if (i < a->skip || i >= a->skip + a->take)
        return 0;
    a->rows = xgrow(a->rows, &a->cap, a->n + 1, sizeof(*a->rows));
    struct check_row *c = &a->rows[a->n++];
    *c = *row;
    char **fields[] = { &c->kind,  &c->site,         &c->column,        &c->unit,
                        &c->url,   &c->subject,      &c->evidence,      &c->summary,
                        &c->state, &c->dismissed_by, &c->dismiss_reason };
    for (size_t k = 0; k < sizeof(fields) / sizeof(fields[0]); k++)
        *fields[k] = dup(*fields[k]);
    return 0;
}

enum rc web__finding_list(struct web_req *r, struct web__finding_q *f, struct web_page *pg,
                          struct check_row **rows, size_t *n)
{
    *rows = NULL;
    *n = 0;
    pg->total = 0;
    if (f->empty)
        return RC_OK;
    struct err e = { 0 };
    enum rc rc;
    if (f->as_of) {
        struct check_query q = f->q.f;
        q.as_of = f->as_of;
        struct asof_ctx a = { .q = f->q.q, .skip = pg->offset, .take = pg->per_page };
        if ((rc = check_findings_each(r->db, &q, on_asof, &a, &e))) {
            check_rows_free(a.rows, a.n);
            return web_fail(r, rc, "%s", err_msg(&e));
        }
        pg->total = a.total;
        *rows = a.rows;
        *n = a.n;
        return RC_OK;
    }
    f->q.limit = (size_t)pg->per_page;
    f->q.pos = pg->pos;
    f->q.offset = pg->pos.set ? 0 : pg->offset;
    const char *key =
        arena_fmt(&r->a, "findings|st=%s|s=%lld|u=%lld|k=%s|q=%s", f->q.f.state ? f->q.f.state : "",
                  (long long)f->q.f.site_id, (long long)f->q.f.unit_id,
                  f->q.f.kind ? f->q.f.kind : "", f->q.q ? f->q.q : "");
    if ((rc = web_count_cached(r, "findings", key, count_findings, &f->q, &pg->total)))
        return rc;
    if ((rc = check_findings_page(r->db, &f->q, rows, n, &e)))
        return web_fail(r, rc, "%s", err_msg(&e));
    if (*n) {
        struct buf a = BUF_INIT, b = BUF_INIT;
        check_row_cursor(&f->q, &(*rows)[0], &a);
        check_row_cursor(&f->q, &(*rows)[*n - 1], &b);
        web_page_cursors(r, pg, buf_cstr(&a), buf_cstr(&b));
        buf_release(&a);
        buf_release(&b);
    }
    return RC_OK;
}

enum rc web__finding_get(struct web_req *r, struct check_row *row)
{
    int64_t id;
    enum rc rc;
    memset(row, 0, sizeof(*row));
    if ((rc = web_param_id(r, "id", &id)))
        return rc;
    struct err e = { 0 };
    rc = check_finding_get(r->db, id, row, &e);
    if (rc == RC_NOTFOUND)
        return web_fail(r, RC_NOTFOUND, "finding %lld not found", (long long)id);
    if (rc)
        return web_fail(r, rc, "%s", err_msg(&e));
    /* a finding without a unit is the office's: an editor does not see it */
    if ((rc = web_scope_check(r, row->unit_id ? row->unit_id : INT64_MIN,
                              arena_fmt(&r->a, "finding %lld", (long long)id))))
        check_row_release(row);
    return rc;
}

enum rc web__finding_change(struct web_req *r, const struct check_row *row, bool dismiss,
                            const char *reason)
{
    if (str_empty(reason))
        return web_fail(r, RC_INVALID, "a reason is required");
    struct err e = { 0 };
    enum rc rc = dismiss ? check_finding_dismiss(r->db, r->clk, row->id, reason, r->user->name, &e)
                         : check_finding_restore(r->db, r->clk, row->id, reason, r->user->name, &e);
    return rc ? web_fail(r, rc, "%s", err_msg(&e)) : RC_OK;
}

/* ---- export -------------------------------------------------------------------------- */

static const char *const head[] = { "编号", "类型",     "网站",     "栏目",     "单位",
                                    "页面", "对象",     "说明",     "严重程度", "状态",
                                    "数值", "首次发现", "最近发现", "解决时间", "忽略原因" };
#define NHEAD (sizeof(head) / sizeof(head[0]))

static void cells_of(struct web_req *r, const struct check_row *row, const char *c[NHEAD])
{
    const struct check_kind *k = check_kind_find(row->kind);
    int64_t t[3] = { row->first_seen, row->last_seen, row->resolved_at };
    char *ts[3];
    for (int i = 0; i < 3; i++) {
        ts[i] = arena_alloc(&r->a, 20);
        ts[i][0] = '\0';
        if (t[i])
            time_fmt_local(t[i], r->clk->tzoff, ts[i]);
    }
    const char *v[NHEAD] = { arena_fmt(&r->a, "%lld", (long long)row->id),
                             k ? k->name : row->kind,
                             row->site,
                             row->column,
                             row->unit,
                             row->url,
                             row->subject,
                             row->summary,
                             check_severity_cn(row->severity),
                             web__finding_state_cn(row->state),
                             row->has_value ? arena_fmt(&r->a, "%lld", (long long)row->value) : "",
                             ts[0],
                             ts[1],
                             ts[2],
                             row->dismiss_reason };
    for (size_t i = 0; i < NHEAD; i++)
        c[i] = v[i] ? v[i] : "";
}

enum rc web__finding_export(struct web_req *r, struct web__finding_q *f, bool xlsx)
{
    struct web_export x;
    web_export_begin(&x, r, xlsx, "问题清单", head, NHEAD);
    struct web_page pg = { .page = 1, .per_page = f->as_of ? INT32_MAX : 1000 };
    enum rc rc = RC_OK;
    for (;;) {
        struct check_row *rows;
        size_t n;
        if ((rc = web__finding_list(r, f, &pg, &rows, &n)))
            break;
        for (size_t i = 0; i < n; i++) {
            const char *c[NHEAD];
            cells_of(r, &rows[i], c);
            web_export_row(&x, c);
        }
        check_rows_free(rows, n);
        if (f->as_of || n < (size_t)pg.per_page || !pg.last_pos)
            break;
        if (!keyset_parse(pg.last_pos, false, &r->a, &pg.pos))
            BUG("own cursor %s", pg.last_pos);
    }
    return web_export_send(&x, rc);
}
