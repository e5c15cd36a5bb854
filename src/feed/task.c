/* task.c - rectification tasks (整改任务): made from findings by hand or by rules,
 * closed by hand or when a later check resolves all their findings. */
#include <stdlib.h>
#include <string.h>

#include "cal/cal.h"
#include "checks/check.h"
#include "core/date.h"
#include "core/str.h"
#include "core/vec.h"
#include "core/xalloc.h"
#include "feed/feed.h"

void task_release(struct task *t)
{
    free(t->unit);
    free(t->site);
    free(t->description);
    free(t->state);
    free(t->created_by);
    free(t->closed_by);
    free(t->close_note);
    free(t->findings);
    memset(t, 0, sizeof(*t));
}
void tasks_free(struct task *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        task_release(&v[i]);
    free(v);
}

static enum rc due_in(struct store *db, const struct clk *clk, int days, int32_t *out,
                      struct err *err)
{
    struct cal *c;
    enum rc rc = cal_load(db, &c, err);
    if (rc)
        return rc;
    rc = cal_add(c, clk_today(clk), days, out, NULL, err);
    cal_free(c);
    return rc;
}

enum rc task_add(struct store *db, const struct clk *clk, const struct task_new *n, int64_t *id,
                 struct err *err)
{
    if (str_empty(n->by))
        return err_set(err, RC_INVALID, "a task needs the person who makes it (--by)");
    if (!n->unit_id && !n->nfindings)
        return err_set(err, RC_INVALID, "a task needs a unit (--unit) or findings (--finding)");
    int64_t unit = n->unit_id, site = n->site_id;
    bool mixed_unit = false, mixed_site = false;
    struct buf desc = BUF_INIT;
    for (size_t i = 0; i < n->nfindings; i++) {
        struct check_row r;
        enum rc rc = check_finding_get(db, n->findings[i], &r, err);
        if (rc) {
            buf_release(&desc);
            return rc;
        }
        if (!n->unit_id) {
            if (unit && r.unit_id != unit)
                mixed_unit = true;
            if (!unit)
                unit = r.unit_id;
        }
        if (!n->site_id) {
            if (site && r.site_id != site)
                mixed_site = true;
            if (!site)
                site = r.site_id;
        }
        if (str_empty(n->description) && desc.n < 1500)
            buf_addf(&desc, "%s%s", desc.n ? "；" : "", r.summary ? r.summary : r.subject);
        check_row_release(&r);
    }
    if (mixed_unit) {
        buf_release(&desc);
        return err_set(err, RC_INVALID,
                       "the findings belong to different units: give --unit or make one task "
                       "per unit");
    }
    if (!unit) {
        buf_release(&desc);
        return err_set(err, RC_INVALID, "the findings have no responsible unit: give --unit");
    }
    if (mixed_site && !n->site_id)
        site = 0;
    const char *d = !str_empty(n->description) ? n->description : desc.p;
    if (str_empty(d)) {
        buf_release(&desc);
        return err_set(err, RC_INVALID, "a task needs a description");
    }
    int32_t due = n->due;
    enum rc rc = RC_OK;
    if (due == DATE_NONE)
        rc = due_in(db, clk, n->due_days > 0 ? n->due_days : TASK_DUE_DAYS_DEFAULT, &due, err);
    else if (due < clk_today(clk))
        rc = err_set(err, RC_INVALID, "due date is in the past: give today or later");
    if (rc) {
        buf_release(&desc);
        return rc;
    }
    if ((rc = store_begin(db, err))) {
        buf_release(&desc);
        return rc;
    }
    int64_t tid = 0;
    struct stmt *st = store_q(db,
                              "INSERT INTO tasks (unit_id, site_id, description, due, rule_id, "
                              "created_at, created_by) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              "iUtDUit", unit, site, d, due, n->rule_id, clk_now(clk), n->by);
    if (stmt_next(st))
        tid = stmt_int(st, 0);
    rc = stmt_done(st, err);
    for (size_t i = 0; rc == RC_OK && i < n->nfindings; i++)
        rc = store_exec(db, err,
                        "INSERT INTO task_findings (task_id, finding_id) VALUES (?, ?) ON "
                        "CONFLICT (task_id, finding_id) DO NOTHING",
                        "ii", tid, n->findings[i]);
    buf_release(&desc);
    if (rc) {
        store_rollback(db);
        return rc;
    }
    if ((rc = store_commit(db, err)))
        return rc;
    if (id)
        *id = tid;
    return RC_OK;
}

enum rc task_close(struct store *db, const struct clk *clk, int64_t id, const char *note,
                   const char *by, struct err *err)
{
    if (str_empty(note))
        return err_set(err, RC_INVALID, "closing a task by hand needs a note (--note)");
    if (str_empty(by))
        return err_set(err, RC_INVALID, "closing a task needs the person (--by)");
    char *state = NULL;
    enum rc rc = store_get_text(db, &state, err, "SELECT state FROM tasks WHERE id = ?", "i", id);
    if (rc == RC_NOTFOUND)
        return err_set(err, RC_NOTFOUND, "no task #%lld (see govsite task list)", (long long)id);
    if (rc)
        return rc;
    bool closed = state && !strcmp(state, "closed");
    free(state);
    if (closed)
        return err_set(err, RC_CONFLICT, "task #%lld is already closed", (long long)id);
    return store_exec(db, err,
                      "UPDATE tasks SET state = 'closed', closed_at = ?, closed_by = ?, "
                      "close_note = ? WHERE id = ? AND state = 'open'",
                      "itti", clk_now(clk), by, note, id);
}

static const char TASK_SELECT[] =
    "SELECT t.id, t.unit_id, t.site_id, t.rule_id, COALESCE(u.short_name, u.name), s.name, "
    "t.description, t.state, t.created_by, t.closed_by, t.close_note, t.due, t.created_at, "
    "t.closed_at FROM tasks t JOIN units u ON u.id = t.unit_id LEFT JOIN sites s ON s.id = "
    "t.site_id ";

static enum rc task_row(struct store *db, struct stmt *st, int32_t today, struct task *t,
                        struct err *err)
{
    memset(t, 0, sizeof(*t));
    t->id = stmt_int(st, 0);
    t->unit_id = stmt_int(st, 1);
    t->site_id = stmt_int(st, 2);
    t->rule_id = stmt_int(st, 3);
    t->unit = stmt_dup(st, 4);
    t->site = stmt_dup(st, 5);
    t->description = stmt_dup(st, 6);
    t->state = stmt_dup(st, 7);
    t->created_by = stmt_dup(st, 8);
    t->closed_by = stmt_dup(st, 9);
    t->close_note = stmt_dup(st, 10);
    t->due = stmt_date(st, 11);
    t->created_at = stmt_int(st, 12);
    t->closed_at = stmt_int(st, 13);
    t->overdue = !strcmp(t->state, "open") && t->due != DATE_NONE && t->due < today;
    size_t cap = 0;
    struct stmt *f = store_q(db,
                             "SELECT tf.finding_id, f.state FROM task_findings tf JOIN findings "
                             "f ON f.id = tf.finding_id WHERE tf.task_id = ? ORDER BY "
                             "tf.finding_id",
                             "i", t->id);
    while (stmt_next(f)) {
        t->findings = xgrow(t->findings, &cap, t->nfindings + 1, sizeof(*t->findings));
        t->findings[t->nfindings++] = stmt_int(f, 0);
        if (!strcmp(stmt_str(f, 1), "open"))
            t->open_findings++;
    }
    return stmt_done(f, err);
}

enum rc task_get(struct store *db, const struct clk *clk, int64_t id, struct task *out,
                 struct err *err)
{
    struct buf sql = BUF_INIT;
    buf_adds(&sql, TASK_SELECT);
    buf_adds(&sql, "WHERE t.id = ?");
    struct stmt *st = store_q(db, sql.p, "i", id);
    bool found = false;
    enum rc rc = RC_OK;
    struct err e2 = { 0 };
    if (stmt_next(st)) {
        found = true;
        rc = task_row(db, st, clk_today(clk), out, &e2);
    }
    enum rc rc1 = stmt_done(st, err);
    buf_release(&sql);
    if (rc1)
        return rc1;
    if (rc)
        return err_set(err, rc, "%s", e2.msg);
    if (!found)
        return err_set(err, RC_NOTFOUND, "no task #%lld (see govsite task list)", (long long)id);
    return RC_OK;
}

enum rc task_list(struct store *db, const struct clk *clk, const struct task_query *q,
                  struct task **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    int32_t today = clk_today(clk);
    const char *state = q && q->state ? q->state : "";
    if (*state && strcmp(state, "open") && strcmp(state, "closed") && strcmp(state, "overdue"))
        return err_set(err, RC_INVALID, "task state \"%s\": give open, closed or overdue", state);
    struct buf sql = BUF_INIT;
    buf_adds(&sql, TASK_SELECT);
    buf_adds(&sql, "WHERE (? = 0 OR t.unit_id = ?) AND (? = '' OR t.state = ? OR (? = 'overdue' "
                   "AND t.state = 'open' AND t.due < ?)) ORDER BY t.state DESC, t.due, t.id");
    char td[11];
    date_fmt(today, td);
    int64_t unit = q ? q->unit_id : 0;
    struct stmt *st = store_q(db, sql.p, "iitttt", unit, unit, state, state, state, td);
    enum rc rc = RC_OK;
    struct err e2 = { 0 };
    while (rc == RC_OK && stmt_next(st)) {
        *out = xgrow(*out, &cap, *n + 1, sizeof(**out));
        rc = task_row(db, st, today, &(*out)[(*n)++], &e2);
    }
    enum rc rc1 = stmt_done(st, err);
    buf_release(&sql);
    if (!rc1 && rc)
        rc1 = err_set(err, rc, "%s", e2.msg);
    if (rc1) {
        tasks_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc1;
}

void task_json(struct jw *w, const struct task *t, int tzoff)
{
    jw_obj(w);
    jw_kint(w, "id", t->id);
    jw_kstr(w, "unit", t->unit);
    jw_kstr(w, "site", t->site);
    jw_kstr(w, "description", t->description);
    jw_kdate(w, "due", t->due);
    jw_kstr(w, "state", t->state);
    jw_kbool(w, "overdue", t->overdue);
    jw_ktime(w, "created_at", t->created_at, tzoff);
    jw_kstr(w, "created_by", t->created_by);
    jw_ktime(w, "closed_at", t->closed_at, tzoff);
    jw_kstr(w, "closed_by", t->closed_by);
    jw_kstr(w, "close_note", t->close_note);
    if (t->rule_id)
        jw_kint(w, "rule", t->rule_id);
    else
        jw_knull(w, "rule");
    jw_key(w, "findings");
    jw_arr(w);
    for (size_t i = 0; i < t->nfindings; i++)
        jw_int(w, t->findings[i]);
    jw_end(w);
    jw_kint(w, "open_findings", t->open_findings);
    jw_end(w);
}

/* ---- rules ------------------------------------------------------------------------- */

void task_rules_free(struct task_rule *v, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(v[i].kind);
        free(v[i].created_by);
    }
    free(v);
}

enum rc task_rule_add(struct store *db, const struct clk *clk, const char *kind, int min_age_days,
                      int due_days, const char *by, int64_t *id, struct err *err)
{
    enum rc rc = check_kinds_valid(kind ? kind : "", err);
    if (rc)
        return rc;
    if (strchr(kind, ','))
        return err_set(err, RC_INVALID, "a rule takes one kind; add one rule per kind");
    if (min_age_days < 0 || min_age_days > 3650)
        return err_set(err, RC_INVALID, "--older-than %d days: give 0 to 3650", min_age_days);
    if (due_days < 1 || due_days > 250)
        return err_set(err, RC_INVALID, "--due-days %d: give 1 to 250 working days", due_days);
    if (str_empty(by))
        return err_set(err, RC_INVALID, "a rule needs the person who makes it (--by)");
    int64_t rid = 0;
    struct stmt *st = store_q(db,
                              "INSERT INTO task_rules (kind, min_age_days, due_days, created_at, "
                              "created_by) VALUES (?, ?, ?, ?, ?) RETURNING id",
                              "tIIit", kind, min_age_days, due_days, clk_now(clk), by);
    if (stmt_next(st))
        rid = stmt_int(st, 0);
    rc = stmt_done(st, err);
    if (rc == RC_OK && id)
        *id = rid;
    return rc;
}

enum rc task_rule_remove(struct store *db, int64_t id, struct err *err)
{
    struct stmt *st = store_q(db, "DELETE FROM task_rules WHERE id = ?", "i", id);
    stmt_next(st);
    int64_t n = stmt_changes(st);
    enum rc rc = stmt_done(st, err);
    if (rc == RC_OK && !n)
        return err_set(err, RC_NOTFOUND, "no task rule #%lld (see govsite task rule list)",
                       (long long)id);
    return rc;
}

enum rc task_rules_list(struct store *db, struct task_rule **out, size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct stmt *st = store_sql(db, "SELECT id, kind, min_age_days, due_days, enabled, "
                                    "created_at, created_by, last_swept_at FROM task_rules ORDER "
                                    "BY id");
    while (stmt_next(st)) {
        *out = xgrow(*out, &cap, *n + 1, sizeof(**out));
        (*out)[(*n)++] = (struct task_rule){ .id = stmt_int(st, 0),
                                             .kind = stmt_dup(st, 1),
                                             .min_age_days = (int)stmt_int(st, 2),
                                             .due_days = (int)stmt_int(st, 3),
                                             .enabled = stmt_int(st, 4) != 0,
                                             .created_at = stmt_int(st, 5),
                                             .created_by = stmt_dup(st, 6),
                                             .last_swept_at = stmt_int(st, 7) };
    }
    enum rc rc = stmt_done(st, err);
    if (rc) {
        task_rules_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

/* ---- the sweep --------------------------------------------------------------------- */

static enum rc close_resolved(struct store *db, const struct clk *clk, struct task_sweep_tally *t,
                              struct err *err)
{
    /* Open tasks with findings, none of which is still open. */
    struct stmt *st = store_sql(db, "SELECT t.id FROM tasks t WHERE t.state = 'open' AND EXISTS "
                                    "(SELECT 1 FROM task_findings tf WHERE tf.task_id = t.id) "
                                    "AND NOT EXISTS (SELECT 1 FROM task_findings tf JOIN "
                                    "findings f ON f.id = tf.finding_id WHERE tf.task_id = t.id "
                                    "AND f.state = 'open') ORDER BY t.id");
    VEC(int64_t) ids = VEC_INIT;
    while (stmt_next(st))
        vec_push(&ids, stmt_int(st, 0));
    enum rc rc = stmt_done(st, err);
    int64_t now = clk_now(clk);
    for (size_t i = 0; rc == RC_OK && i < ids.n; i++) {
        struct buf note = BUF_INIT;
        buf_adds(&note, "复查已解决全部问题：");
        struct stmt *f = store_q(db,
                                 "SELECT tf.finding_id, f.state FROM task_findings tf JOIN "
                                 "findings f ON f.id = tf.finding_id WHERE tf.task_id = ? ORDER "
                                 "BY tf.finding_id",
                                 "i", ids.v[i]);
        bool first = true;
        while (stmt_next(f)) {
            buf_addf(&note, "%s#%lld %s", first ? "" : "，", (long long)stmt_int(f, 0),
                     !strcmp(stmt_str(f, 1), "dismissed") ? "已排除" : "已解决");
            first = false;
        }
        rc = stmt_done(f, err);
        if (rc == RC_OK)
            rc = store_exec(db, err,
                            "UPDATE tasks SET state = 'closed', closed_at = ?, closed_by = 'auto', "
                            "close_note = ? WHERE id = ? AND state = 'open'",
                            "iti", now, note.p, ids.v[i]);
        buf_release(&note);
        if (rc == RC_OK && t)
            t->closed++;
    }
    vec_release(&ids);
    return rc;
}

struct group {
    int64_t unit_id, site_id;
    VEC(int64_t) findings;
};

static enum rc apply_rule(struct store *db, const struct clk *clk, const struct task_rule *r,
                          struct task_sweep_tally *t, struct err *err)
{
    int64_t cutoff = clk_now(clk) - (int64_t)r->min_age_days * 86400;
    struct stmt *st = store_q(db,
                              "SELECT f.id, f.unit_id, f.site_id FROM findings f WHERE f.kind = "
                              "? AND f.state = 'open' AND f.first_seen <= ? AND f.unit_id IS NOT "
                              "NULL AND NOT EXISTS (SELECT 1 FROM task_findings tf JOIN tasks t "
                              "ON t.id = tf.task_id WHERE tf.finding_id = f.id AND t.state = "
                              "'open') ORDER BY f.unit_id, f.site_id, f.id",
                              "ti", r->kind, cutoff);
    VEC(struct group) groups = VEC_INIT;
    while (stmt_next(st)) {
        int64_t fid = stmt_int(st, 0), unit = stmt_int(st, 1), site = stmt_int(st, 2);
        if (!groups.n || vec_last(&groups).unit_id != unit || vec_last(&groups).site_id != site) {
            struct group g = { .unit_id = unit, .site_id = site };
            vec_push(&groups, g);
        }
        vec_push(&vec_last(&groups).findings, fid);
    }
    enum rc rc = stmt_done(st, err);
    const struct check_kind *k = check_kind_find(r->kind);
    for (size_t i = 0; rc == RC_OK && i < groups.n; i++) {
        struct group *g = &groups.v[i];
        struct buf d = BUF_INIT;
        buf_addf(&d, "整改%s问题%zu项（规则#%lld：超过%d天未解决）", k ? k->name : r->kind,
                 g->findings.n, (long long)r->id, r->min_age_days);
        struct task_new n = { .unit_id = g->unit_id,
                              .site_id = g->site_id,
                              .description = d.p,
                              .due = DATE_NONE,
                              .due_days = r->due_days,
                              .findings = g->findings.v,
                              .nfindings = g->findings.n,
                              .by = "rule",
                              .rule_id = r->id };
        rc = task_add(db, clk, &n, NULL, err);
        if (rc == RC_OK && t) {
            t->created++;
            t->findings += (int)g->findings.n;
        }
        buf_release(&d);
    }
    for (size_t i = 0; i < groups.n; i++)
        vec_release(&groups.v[i].findings);
    vec_release(&groups);
    if (rc == RC_OK)
        rc = store_exec(db, err, "UPDATE task_rules SET last_swept_at = ? WHERE id = ?", "ii",
                        clk_now(clk), r->id);
    return rc;
}

enum rc task_sweep(struct store *db, const struct clk *clk, struct task_sweep_tally *t,
                   struct err *err)
{
    if (t)
        memset(t, 0, sizeof(*t));
    enum rc rc = close_resolved(db, clk, t, err);
    struct task_rule *rules = NULL;
    size_t n = 0;
    if (rc == RC_OK)
        rc = task_rules_list(db, &rules, &n, err);
    for (size_t i = 0; rc == RC_OK && i < n; i++)
        if (rules[i].enabled)
            rc = apply_rule(db, clk, &rules[i], t, err);
    task_rules_free(rules, n);
    return rc;
}
