/* jobs.h - the job queue, the workers and the schedule (data/schema/0012_jobs.sql).
 *
 * A job is one unit of background work on one site: crawl, probe, check (and whatever
 * rows jobs_types[] gains).  Jobs live in the `jobs` table of the installation's
 * database, so any number of `govsite worker` processes on any number of machines that
 * reach the database share one queue; PostgreSQL is the engine, we build no broker.
 *
 *   queued ──claim──▶ running ──▶ done | failed        (cancel: queued/running → cancelled)
 *                        │  └─lease expires (worker died)─▶ claimable again
 *                        └─release (SIGTERM)──▶ queued, attempt not counted
 *
 * Claiming: PostgreSQL `UPDATE … WHERE id = (SELECT … FOR UPDATE SKIP LOCKED LIMIT 1)
 * RETURNING`, so workers never wait on each other; SQLite (one machine) the same UPDATE
 * under BEGIN IMMEDIATE.  A runner finishes its job and claims the next in the same
 * statement (jobs_finish_claim), so an empty job costs one round trip.
 * A claimed job carries a lease (default 60 s) that the worker's
 * heartbeat renews every third of it; a job whose lease ran out is taken again by the
 * next claim, up to max_attempts claims (then it is failed).  Leases and the job timings
 * use real time (never GOVSITE_NOW): a lease must expire.
 *
 * Retaking is safe because the work is idempotent: a crawl job resumes the site's
 * unfinished run (crawl.h: every page is stored with its links and its URL's state in
 * one transaction, so a page is never stored twice), a check replaces the verdict of the
 * same site and day and findings are keyed, a probe records one more measurement.
 *
 * Politeness across workers (jobs_gate_*): the crawler asks the database for a host
 * before its first request (crawl.h struct crawl_gate).  One worker at a time holds a
 * host (a row of job_hosts, leased and renewed like a job) and applies its per-host and
 * rate limits; on release it records when the next request may go, so ten workers never
 * hammer a site harder than one would.
 *
 * Adding a job type (feed pulls, task sweeps, …):
 *   1. write `static enum rc run_x(struct job_ctx *c, struct err *err)` in your module's
 *      jobs file (src/jobs/types.c, or your module exposing a function this file calls);
 *      it must be idempotent (see above) and check *c->stop between steps;
 *   2. add a row to jobs_types[] in src/jobs/types.c: name, Chinese label, whether it
 *      takes a site, its default interval and configuration key, the run function, and
 *      the type to enqueue after it succeeds (if any);
 *   3. document the type in docs/scaling.md (the table of job types) and, if it is
 *      scheduled, its [jobs] key in docs/configuration.md;
 *   4. a unit test in tests/unit/test_jobs.c that enqueues and runs one.
 */
#ifndef JOBS_JOBS_H
#define JOBS_JOBS_H

#include <signal.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/clk.h"
#include "core/conf.h"
#include "core/err.h"
#include "crawl/crawl.h"
#include "store/keyset.h"
#include "store/store.h"

struct job {
    int64_t id;
    char type[32];
    int64_t site_id;  /* 0 when the type takes no site */
    int64_t attempts; /* claims so far, this one included */
};

/* What a job type's run function gets. */
struct job_ctx {
    struct store *db; /* this runner's connection */
    const char *dsn;  /* to open more connections */
    const struct clk *clk;
    const struct conf *conf; /* the configuration ([crawl], [probe], [checks]) */
    const struct job *job;
    const volatile sig_atomic_t *stop; /* non-zero: stop soon (the job is released) */
    struct crawl_gate *gate;           /* the shared politeness budget (crawl jobs) */
    struct buf *result;                /* a JSON object summarising the run (may stay empty) */
};

/* The job-type registry (src/jobs/types.c).  See "Adding a job type" above. */
struct jobs_type {
    const char *name;     /* "crawl" */
    const char *label;    /* "抓取" */
    bool per_site;        /* the job names a site */
    int64_t every_s;      /* default schedule interval; 0 = not scheduled by default */
    const char *conf_key; /* [jobs] key overriding every_s, e.g. "crawl_every" */
    const char *then;     /* type enqueued for the same site after success, or NULL */
    /* RC_OK: done; RC_INTERRUPTED after *c->stop: the job is released; RC_BUSY: not now
     * (e.g. the site's crawl still runs in another live process): released, retried
     * after a lease; anything else: failed. */
    enum rc (*run)(struct job_ctx *c, struct err *err);
};
extern const struct jobs_type jobs_types[];               /* ends with a row whose name is NULL */
const struct jobs_type *jobs_type_find(const char *name); /* NULL when unknown */
/* Check a comma-separated list of type names ("crawl,probe"); NULL/"" means all. */
enum rc jobs_types_valid(const char *list, struct err *err);

/* Milliseconds since the epoch, real time (leases). */
int64_t jobs_wall_ms(void);

/* ------------------------------------------------------------ the queue --- */

/* Enqueue a job of `type` for `site_id` (0 for site-less types), runnable from
 * `run_after` (UTC seconds, 0 = now).  When the same type and site already has a queued
 * or running job, nothing is added and *id is that job with *added false (site-less
 * types such as noop are never merged).  origin:
 * "manual", "schedule", "api", "chain".  RC_INVALID for an unknown type or a missing or
 * superfluous site. */
enum rc jobs_enqueue(struct store *db, const char *type, int64_t site_id, const char *origin,
                     int64_t run_after, int64_t *id, bool *added, struct err *err);

/* Claim the next runnable job for `worker` (a name unique among live workers, e.g.
 * "host:pid/1") whose type is in `types` (comma-separated; NULL = all).  *got false when
 * there is none.  Expired running jobs count as runnable; one past max_attempts is
 * failed instead ("worker lost N times"). */
enum rc jobs_claim(struct store *db, const char *worker, const char *types, int lease_s,
                   struct job *out, bool *got, struct err *err);
/* Extend a claimed job's lease (the heartbeat).  *ours false: the job is no longer
 * ours (cancelled, or taken over after the lease ran out) and its work must stop. */
enum rc jobs_renew(struct store *db, int64_t id, const char *worker, int lease_s, bool *ours,
                   struct err *err);
/* End a claimed job: done (result JSON may be NULL) or failed (error message).  A job
 * no longer ours is left alone (RC_CONFLICT). */
enum rc jobs_finish(struct store *db, int64_t id, const char *worker, bool ok, const char *result,
                    const char *error, struct err *err);
/* jobs_finish and then jobs_claim, as one unit and (PostgreSQL) one statement: a worker
 * ends its job and takes the next in a single round trip (a CTE on PostgreSQL; one
 * BEGIN IMMEDIATE transaction on SQLite).  *ours false: the finished job was no longer
 * ours and was left alone (what jobs_finish reports as RC_CONFLICT); the claim happens
 * either way.  On an error nothing happened (the finish is still to do). */
enum rc jobs_finish_claim(struct store *db, int64_t id, const char *worker, bool ok,
                          const char *result, const char *error, const char *types, int lease_s,
                          bool *ours, struct job *out, bool *got, struct err *err);
/* Give a claimed job back (queued, the attempt not counted), e.g. on SIGTERM; it may be
 * claimed again after `delay_s` seconds (0 = at once). */
enum rc jobs_release(struct store *db, int64_t id, const char *worker, int delay_s,
                     struct err *err);
/* Queue a failed or cancelled job again (attempts reset).  RC_CONFLICT when it is
 * queued, running or done, or its type and site have another live job. */
enum rc jobs_retry(struct store *db, int64_t id, struct err *err);
/* Cancel a queued or running job (a running one's worker notices at its next renewal
 * and stops).  RC_CONFLICT when it already ended. */
enum rc jobs_cancel(struct store *db, int64_t id, struct err *err);

/* ---------------------------------------------------------- listing --- */

struct job_row {
    int64_t id;
    const char *type, *state, *origin, *site, *worker, *error, *result; /* borrowed */
    int64_t site_id, attempts, created_at, started_at, finished_at;     /* 0 when none */
    int64_t lease_until_ms;
};
struct jobs_query {
    const char *state; /* NULL = all */
    const char *type;  /* NULL = all */
    int64_t site_id;   /* 0 = all */
    int64_t before_id; /* keyset: ids below this (0 = from the newest) */
    /* Or a keyset position on the id (store/keyset.h, an integer cursor whose key is the
     * id): `after` = older ids, `before` = newer ids, which then come OLDEST first (the
     * caller reverses them for display).  A text cursor is RC_INVALID. */
    struct keyset pos;
    int64_t offset; /* rows to skip when no position is given */
    int limit;      /* 0 = 100 */
};
/* Newest first.  fn returns non-zero to stop. */
enum rc jobs_each(struct store *db, const struct jobs_query *q,
                  int (*fn)(const struct job_row *r, void *ctx), void *ctx, struct err *err);
/* A job as the JSON object of `govsite jobs list --json` and GET /api/v1/jobs: id, type,
 * type_label, state, site_id, site, origin, worker, attempts, created_at, started_at,
 * finished_at (ISO 8601 at tzoff), seconds, error, result (the run's JSON object). */
struct jw;
void jobs_row_json(struct jw *w, const struct job_row *r, int tzoff);
/* How many jobs match q's state, type and site (its position and limit are ignored). */
enum rc jobs_count(struct store *db, const struct jobs_query *q, int64_t *n, struct err *err);
enum rc jobs_get(struct store *db, int64_t id, int (*fn)(const struct job_row *r, void *ctx),
                 void *ctx, struct err *err); /* RC_NOTFOUND naming the id */
/* Count jobs by type and state (metrics). */
enum rc jobs_counts(struct store *db,
                    void (*fn)(const char *type, const char *state, int64_t n, void *ctx),
                    void *ctx, struct err *err);
/* Delete ended jobs that finished before `before` (UTC seconds); *n deleted. */
enum rc jobs_prune(struct store *db, int64_t before, int64_t *n, struct err *err);

/* ---------------------------------------------------------- schedule --- */

/* An interval as written in [jobs] and by the API: "30m", "6h", "1d", "90s" or plain
 * seconds; "never", "off" and "0" are 0 (not scheduled).  False for anything else
 * (negative, over 100 years, other units). */
bool jobs_every_parse(const char *s, int64_t *out);
/* Seconds between runs of `type` for a site: its job_schedule row, else the [jobs]
 * configuration key, else the registry default.  0 = not scheduled. */
enum rc jobs_interval(struct store *db, const struct conf *conf, const struct jobs_type *t,
                      int64_t site_id, int64_t *every_s, struct err *err);
/* Set (every_s > 0), disable (0) or clear (-1: back to the default) a site's interval. */
enum rc jobs_interval_set(struct store *db, int64_t site_id, const char *type, int64_t every_s,
                          struct err *err);
/* Enqueue what is due at `now` (UTC seconds): for every enabled site and scheduled type,
 * a job when the newest job of that type and site was created `every` seconds ago or
 * more (or never).  *n gets how many were enqueued.  Run it every minute or so (serve's
 * scheduler does); running it twice enqueues nothing twice. */
enum rc jobs_schedule_due(struct store *db, const struct conf *conf, int64_t now, int *n,
                          struct err *err);

/* ---------------------------------------------------------- workers --- */

struct jobs_worker_opts {
    const char *dsn;   /* the database every runner connects to */
    const char *name;  /* worker name; NULL = "HOST:PID" */
    int concurrency;   /* runner threads (default 1) */
    const char *types; /* comma-separated; NULL = all */
    int lease_s;       /* default 60 */
    int poll_ms;       /* idle wait between claims (default 1000) */
    bool drain;        /* return when nothing is queued or running */
    const struct clk *clk;
    const struct conf *conf;
    const volatile sig_atomic_t *stop; /* set: finish the page in hand, release, return */
    /* Called after each job (from runner threads, serialised; may be NULL). */
    void (*on_job)(const struct job *j, const char *state, const char *msg, void *ctx);
    void *ctx;
};
struct jobs_worker_stats {
    int64_t done, failed, released;
};
/* Run runner threads that claim and run jobs until *o->stop (or, with drain, until the
 * queue is empty), a heartbeat thread renewing leases of jobs and hosts.  Each thread
 * opens its own connection.  Returns the first database error that stopped a runner. */
enum rc jobs_worker_run(const struct jobs_worker_opts *o, struct jobs_worker_stats *st,
                        struct err *err);

/* ------------------------------------------------- inside `serve` --- */

/* The scheduler and an in-process worker pool for `govsite serve` (the same claim and
 * lease code as `govsite worker`).  The scheduler calls jobs_schedule_due every `tick_s`
 * seconds ([jobs] tick, default 60); the pool runs at most `jobs` jobs at once (0 = no
 * pool: separate workers run them).  jobs_service_stop (SIGTERM) finishes the page in
 * hand, releases the running jobs to the queue (rerun at once by the next worker or the
 * next start) and joins the threads. */
struct jobs_service_opts {
    const char *dsn;
    const struct clk *clk;
    const struct conf *conf;
    bool scheduler; /* enqueue on schedule */
    int jobs;       /* in-process runners (0 = none) */
    int tick_s;     /* 0 = [jobs] tick or 60 */
};
struct jobs_service;
enum rc jobs_service_start(const struct jobs_service_opts *o, struct jobs_service **out,
                           struct err *err);
void jobs_service_stop(struct jobs_service *s); /* NULL-safe */

/* ------------------------------------------------------ politeness --- */

/* A crawl_gate over job_hosts: `holder` names one crawl engine (unique), `worker` its
 * process (renewed by the heartbeat).  The gate owns a connection of its own. */
struct jobs_gate;
enum rc jobs_gate_new(const char *dsn, const char *holder, const char *worker, int lease_s,
                      struct jobs_gate **out, struct err *err);
struct crawl_gate *jobs_gate_crawl(struct jobs_gate *g);
void jobs_gate_free(struct jobs_gate *g); /* releases every host it holds; NULL-safe */
/* Extend the leases of every host held by `worker`'s engines. */
enum rc jobs_gate_renew(struct store *db, const char *worker, int lease_s, struct err *err);

#endif
