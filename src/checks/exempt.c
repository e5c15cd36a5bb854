/* exempt.c - approved exemptions for legitimately quiet columns (check.h). */
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "core/date.h"
#include "core/str.h"
#include "core/xalloc.h"

void check_exemption_release(struct check_exemption *x)
{
    free(x->site);
    free(x->path);
    free(x->reason);
    free(x->approved_by);
    free(x->revoked_by);
    memset(x, 0, sizeof(*x));
}

#define EX_COLS                                                                                    \
    "x.id, x.column_id, c.site_id, s.name, c.path, x.reason, x.approved_by, x.valid_from, "        \
    "x.valid_until, x.created_at, COALESCE(x.revoked_at, 0), x.revoked_by FROM column_exemptions " \
    "x JOIN site_columns c ON c.id = x.column_id JOIN sites s ON s.id = c.site_id"

/* In force on a day (three date parameters): within its dates and not revoked by then. */
#define IN_FORCE \
    "(x.valid_from <= ? AND x.valid_until >= ? AND (x.revoked_on IS NULL OR x.revoked_on > ?))"

static void ex_from(struct stmt *st, struct check_exemption *x)
{
    x->id = stmt_int(st, 0);
    x->column_id = stmt_int(st, 1);
    x->site_id = stmt_int(st, 2);
    x->site = stmt_dup(st, 3);
    x->path = stmt_dup(st, 4);
    x->reason = stmt_dup(st, 5);
    x->approved_by = stmt_dup(st, 6);
    x->from = stmt_date(st, 7);
    x->until = stmt_date(st, 8);
    x->created_at = stmt_int(st, 9);
    x->revoked_at = stmt_int(st, 10);
    x->revoked_by = stmt_dup(st, 11);
}

enum rc check_exempt_add(struct store *db, const struct clk *clk, int64_t column_id,
                         const char *reason, const char *by, int32_t until, int max_days,
                         int64_t *id, struct err *err)
{
    if (!str_trim(str_of(reason)).n)
        return err_set(err, RC_INVALID, "an exemption needs a reason (--reason TEXT)");
    if (str_empty(by))
        return err_set(err, RC_INVALID, "an exemption needs the approver (--by USER)");
    int32_t today = clk_today(clk);
    char d1[11], d2[11];
    date_fmt(today, d1);
    date_fmt(until, d2);
    if (until < today)
        return err_set(err, RC_INVALID,
                       "--until %s is before today (%s); an exemption must run until "
                       "today or later",
                       d2, d1);
    if (max_days > 0 && until - today > max_days)
        return err_set(err, RC_INVALID,
                       "--until %s is more than %d days away; approve at most %d days at a time "
                       "([checks] max_exemption_days)",
                       d2, max_days, max_days);
    int64_t one;
    enum rc rc =
        store_get_int(db, &one, err, "SELECT 1 FROM site_columns WHERE id = ?", "i", column_id);
    if (rc == RC_NOTFOUND)
        return err_set(err, RC_NOTFOUND, "no column with id %lld", (long long)column_id);
    if (rc)
        return rc;
    int64_t now = clk_now(clk);
    if ((rc = store_begin(db, err)))
        return rc;
    /* One exemption in force per column: a new approval supersedes the old one. */
    rc = store_exec(
        db, err,
        "UPDATE column_exemptions SET revoked_at = ?, revoked_on = ?, revoked_by = ? WHERE "
        "column_id = ? AND revoked_at IS NULL AND valid_until >= ?",
        "iDtit", now, today, by, column_id, d1);
    char *why = str_dup(str_trim(str_of(reason)));
    struct stmt *st =
        store_q(db,
                "INSERT INTO column_exemptions (column_id, reason, approved_by, valid_from, "
                "valid_until, created_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                "ittDDi", column_id, why, by, today, until, now);
    free(why);
    int64_t newid = 0;
    if (!rc && stmt_next(st))
        newid = stmt_int(st, 0);
    enum rc rc2 = stmt_done(st, err);
    rc = rc ? rc : rc2;
    if (!rc)
        rc = store_commit(db, err);
    else
        store_rollback(db);
    if (!rc && id)
        *id = newid;
    return rc;
}

enum rc check_exempt_revoke(struct store *db, const struct clk *clk, int64_t column_id,
                            const char *by, struct err *err)
{
    if (str_empty(by))
        return err_set(err, RC_INVALID, "revoking an exemption needs the person (--by USER)");
    int32_t today = clk_today(clk);
    struct stmt *st =
        store_q(db,
                "UPDATE column_exemptions SET revoked_at = ?, revoked_on = ?, revoked_by = ? "
                "WHERE column_id = ? AND revoked_at IS NULL AND valid_until >= ?",
                "iDtiD", clk_now(clk), today, by, column_id, today);
    while (stmt_next(st))
        ;
    int64_t n = stmt_changes(st);
    enum rc rc = stmt_done(st, err);
    if (!rc && !n)
        rc = err_set(err, RC_NOTFOUND, "column %lld has no exemption in force",
                     (long long)column_id);
    return rc;
}

enum rc check_exempt_find(struct store *db, int64_t column_id, int32_t day, bool *exempt,
                          struct check_exemption *out, struct err *err)
{
    *exempt = false;
    struct stmt *st = store_q(
        db, "SELECT " EX_COLS " WHERE x.column_id = ? AND " IN_FORCE " ORDER BY x.id DESC LIMIT 1",
        "iDDD", column_id, day, day, day);
    if (stmt_next(st)) {
        *exempt = true;
        if (out)
            ex_from(st, out);
    }
    return stmt_done(st, err);
}

enum rc check_exempt_load(struct store *db, int64_t site_id, int32_t day,
                          struct check_exempt_set *set, struct err *err)
{
    memset(set, 0, sizeof(*set));
    size_t cap = 0;
    struct stmt *st =
        store_q(db,
                "SELECT DISTINCT x.column_id FROM column_exemptions x JOIN site_columns c ON "
                "c.id = x.column_id WHERE c.site_id = ? AND " IN_FORCE " ORDER BY x.column_id",
                "iDDD", site_id, day, day, day);
    while (stmt_next(st)) {
        set->ids = xgrow(set->ids, &cap, set->n + 1, sizeof(int64_t));
        set->ids[set->n++] = stmt_int(st, 0);
    }
    enum rc rc = stmt_done(st, err);
    if (rc)
        check_exempt_set_release(set);
    return rc;
}

bool check_exempt_has(const struct check_exempt_set *set, int64_t column_id)
{
    size_t lo = 0, hi = set->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (set->ids[mid] == column_id)
            return true;
        if (set->ids[mid] < column_id)
            lo = mid + 1;
        else
            hi = mid;
    }
    return false;
}

void check_exempt_set_release(struct check_exempt_set *set)
{
    free(set->ids);
    memset(set, 0, sizeof(*set));
}

enum rc check_exemptions_each(struct store *db, int64_t site_id, int32_t active_on,
                              int (*fn)(const struct check_exemption *x, void *ctx), void *ctx,
                              struct err *err)
{
    bool all = active_on == DATE_NONE;
    struct stmt *st =
        store_q(db,
                "SELECT " EX_COLS " WHERE (? = 0 OR c.site_id = ?) AND (? = 1 OR " IN_FORCE
                ") ORDER BY s.name, c.path, x.id",
                "iibDDD", site_id, site_id, (int)all, all ? 0 : active_on, all ? 0 : active_on,
                all ? 0 : active_on);
    while (stmt_next(st)) {
        struct check_exemption x = { 0 };
        ex_from(st, &x);
        int stop = fn(&x, ctx);
        check_exemption_release(&x);
        if (stop)
            break;
    }
    return stmt_done(st, err);
}
