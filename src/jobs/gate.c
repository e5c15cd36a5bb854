/* gate.c - the per-host politeness budget shared by every worker (jobs.h, crawl.h's
 * struct crawl_gate): one engine at a time holds a host, leased like a job. */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "jobs/jobs.h"

/* A refused host is asked for again after this long; a booking not refreshed for
 * GATE_STALE_MS lapses; a holder gives a host up after GATE_SLICE_MS. */
#define GATE_RETRY_MS 250
#define GATE_STALE_MS 1000
#define GATE_SLICE_MS 2000

struct jobs_gate {
    struct crawl_gate cg; /* first: the crawler hands it back to us */
    struct store *db;
    char *holder, *worker;
    int lease_s;
};

static bool gate_acquire(struct crawl_gate *cg, const char *host, int64_t *wait_ms)
{
    struct jobs_gate *g = (struct jobs_gate *)cg;
    int64_t now = jobs_wall_ms();
    struct err e = { 0 };
    /* One statement: take the host when we hold it, or when nobody does (or the
     * holder's lease ran out) and nobody else booked the next turn.  A refused upsert
     * returns no row. */
    struct stmt *st =
        store_q(g->db,
                "INSERT INTO job_hosts (host, holder, worker, lease_until_ms, next_ms) "
                "VALUES (?, ?, ?, ?, 0) ON CONFLICT (host) DO UPDATE SET holder = "
                "excluded.holder, worker = excluded.worker, lease_until_ms = "
                "excluded.lease_until_ms, wanted_by = CASE WHEN job_hosts.wanted_by = "
                "excluded.holder THEN NULL ELSE job_hosts.wanted_by END WHERE "
                "job_hosts.holder = excluded.holder OR ((job_hosts.holder IS NULL OR "
                "job_hosts.lease_until_ms < ?) AND (job_hosts.wanted_by IS NULL OR "
                "job_hosts.wanted_by = excluded.holder OR job_hosts.wanted_ms < ?)) "
                "RETURNING next_ms",
                "tttiii", host, g->holder, g->worker, now + (int64_t)g->lease_s * 1000, now,
                now - GATE_STALE_MS);
    bool got = false;
    int64_t next = 0;
    if (stmt_next(st)) {
        got = true;
        next = stmt_int(st, 0);
    }
    if (stmt_done(st, &e)) {
        log_warn("jobs: host budget for %s: %s", host, err_msg(&e));
        got = false;
    }
    if (!got && !e.rc &&
        store_exec(g->db, &e,
                   "UPDATE job_hosts SET wanted_by = ?, wanted_ms = ? WHERE host = ? AND "
                   "(wanted_by IS NULL OR wanted_by = ? OR wanted_ms < ?)",
                   "titti", g->holder, now, host, g->holder, now - GATE_STALE_MS))
        log_warn("jobs: booking host %s: %s", host, err_msg(&e));
    *wait_ms = got ? (next > now ? next - now : 0) : GATE_RETRY_MS;
    return got;
}

static void gate_release(struct crawl_gate *cg, const char *host, int64_t wait_ms)
{
    struct jobs_gate *g = (struct jobs_gate *)cg;
    struct err e = { 0 };
    if (store_exec(
            g->db, &e,
            "UPDATE job_hosts SET holder = NULL, worker = NULL, lease_until_ms = 0, next_ms = ? "
            "WHERE host = ? AND holder = ?",
            "itt", jobs_wall_ms() + wait_ms, host, g->holder))
        log_warn("jobs: releasing host %s: %s", host, err_msg(&e));
}

enum rc jobs_gate_new(const char *dsn, const char *holder, const char *worker, int lease_s,
                      struct jobs_gate **out, struct err *err)
{
    struct store *db;
    enum rc rc = store_open(dsn, &db, err);
    if (rc)
        return rc;
    struct jobs_gate *g = XNEW(struct jobs_gate);
    g->cg.acquire = gate_acquire;
    g->cg.release = gate_release;
    g->cg.slice_ms = GATE_SLICE_MS;
    g->db = db;
    g->holder = xstrdup(holder);
    g->worker = xstrdup(worker);
    g->lease_s = lease_s > 0 ? lease_s : 60;
    *out = g;
    return RC_OK;
}

struct crawl_gate *jobs_gate_crawl(struct jobs_gate *g)
{
    return &g->cg;
}

void jobs_gate_free(struct jobs_gate *g)
{
    if (!g)
        return;
    store_exec(
        g->db, NULL,
        "UPDATE job_hosts SET holder = NULL, worker = NULL, lease_until_ms = 0 WHERE holder = ?",
        "t", g->holder);
    store_close(g->db);
    free(g->holder);
    free(g->worker);
    free(g);
}

enum rc jobs_gate_renew(struct store *db, const char *worker, int lease_s, struct err *err)
{
    return store_exec(db, err, "UPDATE job_hosts SET lease_until_ms = ? WHERE worker = ?", "it",
                      jobs_wall_ms() + (int64_t)lease_s * 1000, worker);
}
