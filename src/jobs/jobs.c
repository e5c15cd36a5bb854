/* jobs.c - the job queue: enqueue, claim with a lease, renew, finish, release, retry,
 * cancel, list, and the schedule (jobs.h). */
#include "jobs/jobs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/json.h"
#include "core/str.h"
#include "core/vec.h"
#include "core/xalloc.h"

int64_t jobs_wall_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static int64_t wall_s(void)
{
    return jobs_wall_ms() / 1000;
}

const struct jobs_type *jobs_type_find(const char *name)
{
    for (const struct jobs_type *t = jobs_types; name && t->name; t++)
        if (!strcmp(t->name, name))
            return t;
    return NULL;
}

enum rc jobs_types_valid(const char *list, struct err *err)
{
    if (!list || !*list)
        return RC_OK;
    struct str all = str_of(list), one;
    while (all.n) {
        str_split(&all, ',', &one);
        one = str_trim(one);
        char *name = str_dup(one);
        bool ok = jobs_type_find(name) != NULL;
        if (!ok) {
            struct buf b = BUF_INIT;
            for (const struct jobs_type *t = jobs_types; t->name; t++)
                buf_addf(&b, "%s%s", b.n ? ", " : "", t->name);
            enum rc rc =
                err_set(err, RC_INVALID, "unknown job type '%s' (known: %s)", name, buf_cstr(&b));
            buf_release(&b);
            free(name);
            return rc;
        }
        free(name);
    }
    return RC_OK;
}

/* The types filter as ",a,b," so one SQL text matches any list with LIKE. */
static void types_pattern(struct buf *b, const char *types)
{
    buf_addc(b, ',');
    for (const char *p = types; p && *p; p++)
        if (*p != ' ')
            buf_addc(b, *p);
    buf_addc(b, ',');
}

enum rc jobs_enqueue(struct store *db, const char *type, int64_t site_id, const char *origin,
                     int64_t run_after, int64_t *id, bool *added, struct err *err)
{
    const struct jobs_type *t = jobs_type_find(type);
    if (!t)
        return jobs_types_valid(type ? type : "?", err);
    if (t->per_site != (site_id > 0))
        return err_set(err, RC_INVALID,
                       t->per_site ? "a %s job needs a site" : "a %s job takes no site", type);
    char key[64];
    snprintf(key, sizeof(key), "%s/%lld", type, (long long)site_id);
    /* One live job per type and site; scheduled site-less types (feed pulls, task sweeps)
     * have one live job too, so a slow pull is never queued twice. */
    const char *live = t->per_site || t->every_s > 0 ? key : NULL;
    int64_t got = 0;
    bool fresh = false;
    enum rc rc = store_begin(db, err);
    if (rc)
        return rc;
    struct stmt *st =
        store_q(db,
                "INSERT INTO jobs (type, site_id, state, live_key, origin, run_after, "
                "created_at) VALUES (?, ?, 'queued', ?, ?, ?, ?) ON CONFLICT (live_key) "
                "DO NOTHING RETURNING id",
                "tUttii", type, site_id, live, origin ? origin : "manual",
                run_after, wall_s());
    if (stmt_next(st)) {
        got = stmt_int(st, 0);
        fresh = true;
    }
    rc = stmt_done(st, err);
    if (!rc && !got && live)
        rc = store_get_int(db, &got, err, "SELECT id FROM jobs WHERE live_key = ?", "t", key);
    if (rc) {
        store_rollback(db);
        return rc == RC_NOTFOUND
                   ? err_set(err, RC_CONFLICT, "job %s: enqueue raced; try again", key)
                   : rc;
    }
    if ((rc = store_commit(db, err)))
        return rc;
    if (id)
        *id = got;
    if (added)
        *added = fresh;
    return RC_OK;
}

/* Fail running jobs whose lease ran out on their last allowed attempt. */
static enum rc fail_exhausted(struct store *db, int64_t now_ms, struct err *err)
{
    return store_exec(
        db, err,
        "UPDATE jobs SET state = 'failed', live_key = NULL, finished_at = ?, error = "
        "'the worker was lost ' || attempts || ' times (lease expired)' WHERE state = "
        "'running' AND lease_until_ms < ? AND attempts >= max_attempts",
        "ii", now_ms / 1000, now_ms);
}

/* Two claims, each walking an index: a running job whose lease ran out (its worker
 * died), else the next queued one.  PostgreSQL skips rows other claimers hold.
 *
 * The type filter on PostgreSQL is strpos(), not LIKE: the planner guesses a LIKE keeps
 * almost no rows, and with the statistics of a table that just filled (a burst of
 * enqueues, before autovacuum's next ANALYZE) it then sorts every queued job for each
 * claim (measured: 16 ms a claim with 20,000 queued) instead of reading the first entry
 * of jobs_ready (0.3 ms).  strpos() > 0 gets the guess of a comparison (a third). */
#define CLAIM_SET                                                                         \
    "UPDATE jobs SET state = 'running', worker = ?, lease_until_ms = ?, started_at = ?, " \
    "finished_at = NULL, attempts = attempts + 1 WHERE id = (SELECT id FROM jobs WHERE "
#define CLAIM_RET " RETURNING id, type, site_id, attempts"
#define TYPE_IN_SQLITE "? LIKE '%,' || type || ',%'"
#define TYPE_IN_PG "strpos(?, ',' || type || ',') > 0"
#define CLAIM_EXPIRED(type_in) \
    "state = 'running' AND lease_until_ms < ? AND " type_in " ORDER BY id LIMIT 1"
#define CLAIM_QUEUED(type_in) \
    "state = 'queued' AND run_after <= ? AND " type_in " ORDER BY priority DESC, id LIMIT 1"
static const char *const claim_sql[2][2] = {
    { CLAIM_SET CLAIM_EXPIRED(TYPE_IN_SQLITE) ")" CLAIM_RET,
      CLAIM_SET CLAIM_QUEUED(TYPE_IN_SQLITE) ")" CLAIM_RET },
    { CLAIM_SET CLAIM_EXPIRED(TYPE_IN_PG) " FOR UPDATE SKIP LOCKED)" CLAIM_RET,
      CLAIM_SET CLAIM_QUEUED(TYPE_IN_PG) " FOR UPDATE SKIP LOCKED)" CLAIM_RET },
};

/* The types filter of a claim: ",a,b," (all types when NULL or ""). */
static void claim_pattern(struct buf *pat, const char *types)
{
    if (types && *types) {
        types_pattern(pat, types);
    } else {
        buf_addc(pat, ',');
        for (const struct jobs_type *t = jobs_types; t->name; t++)
            buf_addf(pat, "%s,", t->name);
    }
}

/* Whether this thread looks for expired leases now: at most once a second, since a dead
 * worker's job waits its lease out anyway and the queue stays at one statement a job. */
static bool expired_due(int64_t now)
{
    static _Thread_local int64_t expired_checked;
    if (now - expired_checked >= 1000 || now < expired_checked) {
        expired_checked = now;
        return true;
    }
    return false;
}

/* The claim statements (inside the caller's transaction on SQLite). */
static enum rc claim_in(struct store *db, const char *worker, const char *pat, int lease_s,
                        int64_t now, bool expired, struct job *out, bool *got, struct err *err)
{
    bool pg = store_kind(db) == STORE_PG;
    enum rc rc;
    if (expired && (rc = fail_exhausted(db, now, err)))
        return rc;
    for (int k = expired ? 0 : 1; k < 2 && !*got; k++) {
        struct stmt *st =
            store_q(db, claim_sql[pg][k], "tiiit", worker, now + (int64_t)lease_s * 1000,
                    now / 1000, k == 0 ? now : now / 1000, pat);
        if (stmt_next(st)) {
            out->id = stmt_int(st, 0);
            snprintf(out->type, sizeof(out->type), "%s", stmt_str(st, 1));
            out->site_id = stmt_int(st, 2);
            out->attempts = stmt_int(st, 3);
            *got = true;
        }
        if ((rc = stmt_done(st, err)))
            return rc;
    }
    return RC_OK;
}

enum rc jobs_claim(struct store *db, const char *worker, const char *types, int lease_s,
                   struct job *out, bool *got, struct err *err)
{
    *got = false;
    memset(out, 0, sizeof(*out));
    struct buf pat = BUF_INIT;
    claim_pattern(&pat, types);
    int64_t now = jobs_wall_ms();
    bool pg = store_kind(db) == STORE_PG;
    enum rc rc = RC_OK;
    /* One statement on PostgreSQL (SKIP LOCKED: claimers never wait on each other); on
     * SQLite a write transaction (BEGIN IMMEDIATE) around it. */
    if (!pg && (rc = store_begin(db, err)))
        goto out;
    rc = claim_in(db, worker, buf_cstr(&pat), lease_s, now, expired_due(now), out, got, err);
    if (!pg)
        rc = rc ? (store_rollback(db), rc) : store_commit(db, err);
out:
    buf_release(&pat);
    return rc;
}

#define FINISH_SET                                                                     \
    "UPDATE jobs SET state = ?, live_key = NULL, finished_at = ?, lease_until_ms = 0, " \
    "result = ?, error = ? WHERE id = ? AND worker = ? AND state = 'running'"

/* PostgreSQL: the finish and the next claim in one statement.  Both updates see the same
 * snapshot, which is right: the finished job was running, the claimed one queued.  The
 * outer SELECT always yields one row, so the finish's count comes back even when there
 * was nothing to claim. */
static const char finish_claim_pg[] =
    "WITH fin AS (" FINISH_SET " RETURNING id), cl AS (" CLAIM_SET CLAIM_QUEUED(TYPE_IN_PG)
    " FOR UPDATE SKIP LOCKED)" CLAIM_RET ") SELECT (SELECT COUNT(*) FROM fin), cl.id, cl.type, "
    "cl.site_id, cl.attempts FROM (SELECT 1 AS one) AS one LEFT JOIN cl ON TRUE";

enum rc jobs_finish_claim(struct store *db, int64_t id, const char *worker, bool ok,
                          const char *result, const char *error, const char *types, int lease_s,
                          bool *ours, struct job *out, bool *got, struct err *err)
{
    *got = false;
    *ours = false;
    memset(out, 0, sizeof(*out));
    int64_t now = jobs_wall_ms();
    bool expired = expired_due(now);
    bool pg = store_kind(db) == STORE_PG;
    struct buf pat = BUF_INIT;
    claim_pattern(&pat, types);
    enum rc rc;
    if (pg && !expired) {
        struct stmt *st =
            store_q(db, finish_claim_pg, "tittit" "tiiit", ok ? "done" : "failed", now / 1000,
                    result, ok ? NULL : error, id, worker, worker, now + (int64_t)lease_s * 1000,
                    now / 1000, now / 1000, buf_cstr(&pat));
        if (stmt_next(st)) {
            *ours = stmt_int(st, 0) > 0;
            if (!stmt_null(st, 1)) {
                out->id = stmt_int(st, 1);
                snprintf(out->type, sizeof(out->type), "%s", stmt_str(st, 2));
                out->site_id = stmt_int(st, 3);
                out->attempts = stmt_int(st, 4);
                *got = true;
            }
        }
        rc = stmt_done(st, err);
        goto out;
    }
    /* SQLite: one write transaction; PostgreSQL when expired leases are due: the finish,
     * then jobs_claim's statements, in one transaction too. */
    if ((rc = store_begin(db, err)))
        goto out;
    struct stmt *st = store_q(db, FINISH_SET, "tittit", ok ? "done" : "failed", now / 1000,
                              result, ok ? NULL : error, id, worker);
    stmt_next(st);
    *ours = stmt_changes(st) > 0;
    if (!(rc = stmt_done(st, err)))
        rc = claim_in(db, worker, buf_cstr(&pat), lease_s, now, expired, out, got, err);
    rc = rc ? (store_rollback(db), rc) : store_commit(db, err);
out:
    if (rc) {
        *got = false;
        *ours = false;
    }
    buf_release(&pat);
    return rc;
}

enum rc jobs_renew(struct store *db, int64_t id, const char *worker, int lease_s, bool *ours,
                   struct err *err)
{
    struct stmt *st =
        store_q(db,
                "UPDATE jobs SET lease_until_ms = ? WHERE id = ? AND worker = ? AND state "
                "= 'running'",
                "iit", jobs_wall_ms() + (int64_t)lease_s * 1000, id, worker);
    stmt_next(st);
    int64_t n = stmt_changes(st);
    enum rc rc = stmt_done(st, err);
    if (!rc && ours)
        *ours = n > 0;
    return rc;
}

enum rc jobs_finish(struct store *db, int64_t id, const char *worker, bool ok, const char *result,
                    const char *error, struct err *err)
{
    struct stmt *st =
        store_q(db, FINISH_SET, "tittit", ok ? "done" : "failed", wall_s(), result, ok ? NULL : error, id, worker);
    stmt_next(st);
    int64_t n = stmt_changes(st);
    enum rc rc = stmt_done(st, err);
    if (!rc && n == 0)
        rc = err_set(err, RC_CONFLICT, "job %lld is no longer ours (cancelled or taken over)",
                     (long long)id);
    return rc;
}

enum rc jobs_release(struct store *db, int64_t id, const char *worker, int delay_s, struct err *err)
{
    return store_exec(
        db, err,
        "UPDATE jobs SET state = 'queued', worker = NULL, lease_until_ms = 0, run_after = ?, "
        "attempts = CASE WHEN attempts > 0 THEN attempts - 1 ELSE 0 END WHERE id = ? AND "
        "worker = ? AND state = 'running'",
        "iit", delay_s > 0 ? wall_s() + delay_s : 0, id, worker);
}

/* Move job `id` from state a or b with `sql` (binds "ii": the time, the id), in one
 * transaction; `refusal` names the states allowed when it is in another. */
static enum rc job_move(struct store *db, int64_t id, const char *a, const char *b,
                        const char *refusal, const char *sql, struct err *err)
{
    enum rc rc = store_begin(db, err);
    if (rc)
        return rc;
    char *state = NULL;
    rc = store_get_text(db, &state, err, "SELECT state FROM jobs WHERE id = ?", "i", id);
    if (rc == RC_NOTFOUND)
        rc = err_set(err, RC_NOTFOUND, "no job %lld (see govsite jobs)", (long long)id);
    else if (!rc && strcmp(state, a) && strcmp(state, b))
        rc = err_set(err, RC_CONFLICT, "job %lld is %s; %s", (long long)id, state, refusal);
    if (!rc && (rc = store_exec(db, err, sql, "ii", wall_s(), id)) == RC_CONFLICT) {
        err_clear(err);
        rc = err_set(err, RC_CONFLICT,
                     "job %lld: its type and site already have a queued or running job",
                     (long long)id);
    }
    free(state);
    if (rc) {
        store_rollback(db);
        return rc;
    }
    return store_commit(db, err);
}

enum rc jobs_retry(struct store *db, int64_t id, struct err *err)
{
    return job_move(
        db, id, "failed", "cancelled", "only failed or cancelled jobs are retried",
        "UPDATE jobs SET state = 'queued', live_key = CASE WHEN site_id IS NULL THEN NULL "
        "ELSE type || '/' || site_id END, attempts = 0, worker = NULL, error = NULL, "
        "result = NULL, started_at = NULL, finished_at = NULL, run_after = 0, "
        "lease_until_ms = 0, created_at = ? WHERE id = ?",
        err);
}

enum rc jobs_cancel(struct store *db, int64_t id, struct err *err)
{
    return job_move(db, id, "queued", "running", "it has already ended",
                    "UPDATE jobs SET state = 'cancelled', live_key = NULL, finished_at = ?, "
                    "lease_until_ms = 0 WHERE id = ?",
                    err);
}

/* ------------------------------------------------------------ listing --- */

#define JOB_COLS                                                                    \
    "SELECT j.id, j.type, j.state, j.origin, s.name, j.worker, j.error, j.result, " \
    "COALESCE(j.site_id, 0), j.attempts, j.created_at, COALESCE(j.started_at, 0), " \
    "COALESCE(j.finished_at, 0), j.lease_until_ms FROM jobs j LEFT JOIN sites s ON s.id = j.site_id "

static int row_of(struct stmt *st, int (*fn)(const struct job_row *r, void *ctx), void *ctx)
{
    struct job_row r = {
        .id = stmt_int(st, 0),
        .type = stmt_str(st, 1),
        .state = stmt_str(st, 2),
        .origin = stmt_str(st, 3),
        .site = stmt_text(st, 4),
        .worker = stmt_text(st, 5),
        .error = stmt_text(st, 6),
        .result = stmt_text(st, 7),
        .site_id = stmt_int(st, 8),
        .attempts = stmt_int(st, 9),
        .created_at = stmt_int(st, 10),
        .started_at = stmt_int(st, 11),
        .finished_at = stmt_int(st, 12),
        .lease_until_ms = stmt_int(st, 13),
    };
    return fn(&r, ctx);
}

#define JOB_WHERE                                                                   \
    "WHERE (? IS NULL OR j.state = ?) AND (? IS NULL OR j.type = ?) AND (? = 0 OR " \
    "j.site_id = ?) AND (? = 0 OR j.id < ?)"

static int bind_where(struct stmt *st, const struct jobs_query *q)
{
    stmt_bind_text(st, 1, q->state);
    stmt_bind_text(st, 2, q->state);
    stmt_bind_text(st, 3, q->type);
    stmt_bind_text(st, 4, q->type);
    stmt_bind_int(st, 5, q->site_id);
    stmt_bind_int(st, 6, q->site_id);
    stmt_bind_int(st, 7, q->before_id);
    stmt_bind_int(st, 8, q->before_id);
    return 9;
}

enum rc jobs_each(struct store *db, const struct jobs_query *q,
                  int (*fn)(const struct job_row *r, void *ctx), void *ctx, struct err *err)
{
    if (q->pos.set && q->pos.text)
        return err_set(err, RC_INVALID, "the list position is not one of the job list");
    struct buf sql = BUF_INIT;
    buf_adds(&sql, JOB_COLS JOB_WHERE);
    keyset_where(&sql, "j.id", "j.id", true, &q->pos);
    keyset_order(&sql, "j.id", "j.id", true, &q->pos);
    buf_adds(&sql, " LIMIT ? OFFSET ?");
    struct stmt *st = store_sql(db, buf_cstr(&sql));
    int i = keyset_bind(st, bind_where(st, q), &q->pos);
    stmt_bind_int(st, i, q->limit > 0 ? q->limit : 100);
    stmt_bind_int(st, i + 1, q->pos.set || q->offset < 0 ? 0 : q->offset);
    while (stmt_next(st))
        if (row_of(st, fn, ctx))
            break;
    buf_release(&sql);
    return stmt_done(st, err);
}

enum rc jobs_count(struct store *db, const struct jobs_query *q, int64_t *n, struct err *err)
{
    *n = 0;
    struct stmt *st = store_sql(db, "SELECT COUNT(*) FROM jobs j " JOB_WHERE);
    bind_where(st, q);
    if (stmt_next(st))
        *n = stmt_int(st, 0);
    return stmt_done(st, err);
}

void jobs_row_json(struct jw *w, const struct job_row *r, int tzoff)
{
    const struct jobs_type *t = jobs_type_find(r->type);
    jw_obj(w);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "type", r->type);
    jw_kstr(w, "type_label", t ? t->label : r->type);
    jw_kstr(w, "state", r->state);
    if (r->site_id)
        jw_kint(w, "site_id", r->site_id);
    else
        jw_knull(w, "site_id");
    jw_kstr(w, "site", r->site);
    jw_kstr(w, "origin", r->origin);
    jw_kstr(w, "worker", r->worker);
    jw_kint(w, "attempts", r->attempts);
    jw_ktime(w, "created_at", r->created_at, tzoff);
    jw_ktime(w, "started_at", r->started_at, tzoff);
    jw_ktime(w, "finished_at", r->finished_at, tzoff);
    if (r->started_at && r->finished_at)
        jw_kint(w, "seconds", r->finished_at - r->started_at);
    else
        jw_knull(w, "seconds");
    jw_kstr(w, "error", r->error);
    if (r->result && json_valid(r->result, strlen(r->result), '{')) {
        jw_key(w, "result");
        jw_raw(w, r->result);
    } else {
        jw_kstr(w, "result", r->result); /* null, or text that is not an object */
    }
    jw_end(w);
}

enum rc jobs_get(struct store *db, int64_t id, int (*fn)(const struct job_row *r, void *ctx),
                 void *ctx, struct err *err)
{
    struct stmt *st = store_q(db, JOB_COLS "WHERE j.id = ?", "i", id);
    bool found = false;
    if (stmt_next(st)) {
        found = true;
        row_of(st, fn, ctx);
    }
    enum rc rc = stmt_done(st, err);
    if (!rc && !found)
        rc = err_set(err, RC_NOTFOUND, "no job %lld (see govsite jobs)", (long long)id);
    return rc;
}

enum rc jobs_counts(struct store *db,
                    void (*fn)(const char *type, const char *state, int64_t n, void *ctx),
                    void *ctx, struct err *err)
{
    struct stmt *st =
        store_sql(db, "SELECT type, state, COUNT(*) FROM jobs GROUP BY type, state ORDER BY 1, 2");
    while (stmt_next(st))
        fn(stmt_str(st, 0), stmt_str(st, 1), stmt_int(st, 2), ctx);
    return stmt_done(st, err);
}

enum rc jobs_prune(struct store *db, int64_t before, int64_t *n, struct err *err)
{
    struct stmt *st = store_q(db,
                              "DELETE FROM jobs WHERE state IN ('done', 'failed', 'cancelled') AND "
                              "finished_at < ?",
                              "i", before);
    stmt_next(st);
    if (n)
        *n = stmt_changes(st);
    return stmt_done(st, err);
}

/* ----------------------------------------------------------- schedule --- */

bool jobs_every_parse(const char *s, int64_t *out)
{
    if (!strcmp(s, "never") || !strcmp(s, "off")) {
        *out = 0;
        return true;
    }
    size_t n = strlen(s);
    if (!n)
        return false;
    int64_t mul = 1;
    char u = s[n - 1];
    if (u == 's' || u == 'm' || u == 'h' || u == 'd') {
        mul = u == 's' ? 1 : u == 'm' ? 60 : u == 'h' ? 3600 : 86400;
        n--;
    }
    char num[32];
    if (n == 0 || n >= sizeof(num))
        return false;
    memcpy(num, s, n);
    num[n] = 0;
    int64_t v;
    if (!cstr_to_i64(num, &v) || v < 0 || v > 100LL * 365 * 86400 / mul)
        return false;
    *out = v * mul;
    return true;
}

enum rc jobs_interval(struct store *db, const struct conf *conf, const struct jobs_type *t,
                      int64_t site_id, int64_t *every_s, struct err *err)
{
    enum rc rc = store_get_int(db, every_s, err,
                               "SELECT every_s FROM job_schedule WHERE site_id = ? AND type = ?",
                               "it", site_id, t->name);
    if (rc != RC_NOTFOUND)
        return rc;
    *every_s = t->every_s;
    const char *v = conf && t->conf_key ? conf_get(conf, "jobs", t->conf_key, NULL) : NULL;
    if (v && !jobs_every_parse(v, every_s))
        return err_set(err, RC_INVALID,
                       "[jobs] %s = '%s' is not an interval (e.g. 30m, 6h, 1d, or never)",
                       t->conf_key, v);
    return RC_OK;
}

enum rc jobs_interval_set(struct store *db, int64_t site_id, const char *type, int64_t every_s,
                          struct err *err)
{
    const struct jobs_type *t = jobs_type_find(type);
    if (!t || !t->per_site)
        return t ? err_set(err, RC_INVALID, "%s jobs are not scheduled per site", type)
                 : jobs_types_valid(type, err);
    if (every_s < 0)
        return store_exec(db, err, "DELETE FROM job_schedule WHERE site_id = ? AND type = ?", "it",
                          site_id, type);
    return store_exec(
        db, err,
        "INSERT INTO job_schedule (site_id, type, every_s) VALUES (?, ?, ?) ON CONFLICT "
        "(site_id, type) DO UPDATE SET every_s = excluded.every_s",
        "iti", site_id, type, every_s);
}

enum rc jobs_schedule_due(struct store *db, const struct conf *conf, int64_t now, int *n,
                          struct err *err)
{
    *n = 0;
    enum rc rc = RC_OK;
    for (const struct jobs_type *t = jobs_types; t->name && !rc; t++) {
        if (!t->per_site) {
            /* a site-less scheduled type: due when its newest job is `every` old */
            int64_t every = 0, last = 0;
            if ((rc = jobs_interval(db, conf, t, 0, &every, err)) || every <= 0)
                continue;
            rc = store_get_int(db, &last, err,
                               "SELECT COALESCE(MAX(created_at), 0) FROM jobs WHERE type = ?",
                               "t", t->name);
            if (!rc && (!last || last + every <= now)) {
                bool added = false;
                rc = jobs_enqueue(db, t->name, 0, "schedule", 0, NULL, &added, err);
                *n += added;
            }
            continue;
        }
        /* every running site, its interval and its newest job of this type */
        VEC(int64_t) due = VEC_INIT;
        struct stmt *st = store_q(
            db,
            "SELECT s.id, sc.every_s, (SELECT MAX(j.created_at) FROM jobs j WHERE "
            "j.site_id = s.id AND j.type = ?) FROM sites s LEFT JOIN job_schedule sc "
            "ON sc.site_id = s.id AND sc.type = ? WHERE s.status = '正常运行' ORDER BY s.id",
            "tt", t->name, t->name);
        int64_t dflt = -1;
        while (stmt_next(st)) {
            int64_t every;
            if (!stmt_null(st, 1)) {
                every = stmt_int(st, 1);
            } else {
                if (dflt < 0 && (rc = jobs_interval(db, conf, t, 0, &dflt, err)))
                    break;
                every = dflt;
            }
            if (every <= 0)
                continue;
            if (stmt_null(st, 2) || stmt_int(st, 2) + every <= now)
                vec_push(&due, stmt_int(st, 0));
        }
        enum rc r2 = stmt_done(st, err);
        if (!rc)
            rc = r2;
        for (size_t i = 0; i < due.n && !rc; i++) {
            bool added = false;
            rc = jobs_enqueue(db, t->name, due.v[i], "schedule", 0, NULL, &added, err);
            *n += added;
        }
        vec_release(&due);
    }
    return rc;
}
