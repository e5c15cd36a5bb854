/* worker.c - runner threads that claim and run jobs, and the heartbeat that renews their
 * leases (jobs.h jobs_worker_run). */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "core/log.h"
#include "core/xalloc.h"
#include "jobs/jobs.h"

struct runner {
    struct wctx *w;
    pthread_t th;
    int slot;
    char holder[200];
    volatile sig_atomic_t stop; /* this runner's job must stop (worker stopping, or lost) */
    bool lost;                  /* the job was taken from us: leave it alone */
    int64_t job_id;             /* the job in hand (under w->mu), 0 = none */
    enum rc rc;
    struct err err;
};

struct wctx {
    const struct jobs_worker_opts *o;
    char name[160];
    int lease_s;
    pthread_mutex_t mu;
    struct runner *r;
    int n;
    int running; /* runners still looping */
    struct jobs_worker_stats st;
};

static void nap_ms(int ms)
{
    struct timespec ts = { ms / 1000, (long)(ms % 1000) * 1000000L };
    nanosleep(&ts, NULL);
}

static bool stopping(const struct wctx *w)
{
    return w->o->stop && *w->o->stop;
}

static void report(struct wctx *w, const struct job *j, const char *state, const char *msg)
{
    pthread_mutex_lock(&w->mu);
    if (!strcmp(state, "done"))
        w->st.done++;
    else if (!strcmp(state, "failed"))
        w->st.failed++;
    else if (!strcmp(state, "released"))
        w->st.released++;
    if (w->o->on_job)
        w->o->on_job(j, state, msg, w->o->ctx);
    pthread_mutex_unlock(&w->mu);
}

/* Anything of our types still queued or running?  (drain mode's end) */
static enum rc work_left(struct store *db, const char *types, bool *left, struct err *err)
{
    struct buf pat = BUF_INIT;
    buf_addc(&pat, ',');
    if (types && *types) {
        for (const char *p = types; *p; p++)
            if (*p != ' ')
                buf_addc(&pat, *p);
        buf_addc(&pat, ',');
    } else {
        for (const struct jobs_type *t = jobs_types; t->name; t++)
            buf_addf(&pat, "%s,", t->name);
    }
    int64_t n = 0;
    enum rc rc =
        store_get_int(db, &n, err,
                      "SELECT COUNT(*) FROM jobs WHERE state IN ('queued', 'running') AND ? LIKE "
                      "'%,' || type || ',%'",
                      "t", buf_cstr(&pat));
    buf_release(&pat);
    *left = n > 0;
    return rc;
}

/* A job whose run ended and whose finish is still to be written: the runner writes it
 * together with the next claim (jobs_finish_claim). */
struct finish {
    bool pending;
    struct job j;
    bool ok;
    char *result, *error; /* owned */
};

static void finish_clear(struct finish *f)
{
    free(f->result);
    free(f->error);
    memset(f, 0, sizeof(*f));
}

/* Run job j.  A release (stop, busy) or a lost job is dealt with here; a job that ended
 * is left in *f for the runner to finish with its next claim. */
static enum rc run_one(struct runner *r, struct store *db, struct jobs_gate *gate,
                       const struct job *j, struct finish *f)
{
    struct wctx *w = r->w;
    const struct jobs_worker_opts *o = w->o;
    const struct jobs_type *t = jobs_type_find(j->type);
    struct buf result = BUF_INIT;
    struct err e = { 0 };
    enum rc rc;
    if (!t) {
        rc = err_set(&e, RC_INVALID, "unknown job type '%s' (a newer govsite enqueued it?)",
                     j->type);
    } else {
        struct job_ctx c = { .db = db,
                             .dsn = o->dsn,
                             .clk = o->clk,
                             .conf = o->conf,
                             .job = j,
                             .stop = &r->stop,
                             .gate = gate ? jobs_gate_crawl(gate) : NULL,
                             .result = &result };
        rc = t->run(&c, &e);
    }
    enum rc dbrc = RC_OK;
    struct err de = { 0 };
    if (r->lost) {
        report(w, j, "lost", "the job was cancelled or taken over; its work stopped");
    } else if (rc == RC_INTERRUPTED && stopping(w)) {
        dbrc = jobs_release(db, j->id, w->name, 0, &de);
        report(w, j, "released", NULL);
    } else if (rc == RC_BUSY) {
        dbrc = jobs_release(db, j->id, w->name, w->lease_s, &de);
        report(w, j, "postponed", err_msg(&e));
    } else {
        f->pending = true;
        f->j = *j;
        f->ok = rc == RC_OK;
        f->result = result.n ? xstrdup(buf_cstr(&result)) : NULL;
        f->error = rc == RC_OK ? NULL : xstrdup(err_msg(&e));
    }
    buf_release(&result);
    if (dbrc)
        err_set(&r->err, dbrc, "%s", err_msg(&de));
    return dbrc;
}

/* After the finish of f was written (ours: it was still our job): report it and
 * enqueue the type that follows a success. */
static enum rc finished(struct runner *r, struct store *db, struct finish *f, bool ours)
{
    struct wctx *w = r->w;
    const struct jobs_type *t = jobs_type_find(f->j.type);
    enum rc rc = RC_OK;
    struct err de = { 0 };
    if (f->ok && ours && t && t->then && f->j.site_id)
        rc = jobs_enqueue(db, t->then, f->j.site_id, "chain", 0, NULL, NULL, &de);
    if (!ours)
        report(w, &f->j, "lost", NULL);
    else
        report(w, &f->j, f->ok ? "done" : "failed", f->ok ? NULL : f->error);
    finish_clear(f);
    if (rc)
        err_set(&r->err, rc, "%s", err_msg(&de));
    return rc;
}

static void *runner_main(void *arg)
{
    struct runner *r = arg;
    struct wctx *w = r->w;
    const struct jobs_worker_opts *o = w->o;
    struct store *db = NULL;
    struct jobs_gate *gate = NULL;
    struct finish f = { 0 };
    if ((r->rc = store_open(o->dsn, &db, &r->err)))
        goto out;
    if ((r->rc = jobs_gate_new(o->dsn, r->holder, w->name, w->lease_s, &gate, &r->err)))
        goto out;
    int poll = o->poll_ms > 0 ? o->poll_ms : 1000;
    while (!stopping(w)) {
        struct job j;
        bool got, ours = true;
        if (f.pending)
            r->rc = jobs_finish_claim(db, f.j.id, w->name, f.ok, f.result, f.error, o->types,
                                      w->lease_s, &ours, &j, &got, &r->err);
        else
            r->rc = jobs_claim(db, w->name, o->types, w->lease_s, &j, &got, &r->err);
        if (r->rc) {
            if (r->rc != RC_BUSY)
                break;
            err_clear(&r->err); /* SQLite busy: try again (nothing was written) */
            r->rc = RC_OK;
            nap_ms(50);
            continue;
        }
        if (f.pending) {
            pthread_mutex_lock(&w->mu);
            r->job_id = got ? j.id : 0;
            pthread_mutex_unlock(&w->mu);
            if ((r->rc = finished(r, db, &f, ours)))
                break;
        }
        if (!got) {
            if (o->drain) {
                bool left = true;
                if ((r->rc = work_left(db, o->types, &left, &r->err)))
                    break;
                if (!left)
                    break;
            }
            for (int waited = 0; waited < poll && !stopping(w); waited += 50)
                nap_ms(50);
            continue;
        }
        pthread_mutex_lock(&w->mu);
        r->job_id = j.id;
        r->lost = false;
        r->stop = stopping(w);
        pthread_mutex_unlock(&w->mu);
        r->rc = run_one(r, db, gate, &j, &f);
        if (!f.pending) {
            pthread_mutex_lock(&w->mu);
            r->job_id = 0;
            pthread_mutex_unlock(&w->mu);
        }
        if (r->rc)
            break;
    }
    /* stopping with a job ended but not yet written: finish it alone */
    if (f.pending && !r->rc) {
        struct err de = { 0 };
        enum rc rc = jobs_finish(db, f.j.id, w->name, f.ok, f.result, f.error, &de);
        if (rc == RC_CONFLICT || rc == RC_OK) {
            r->rc = finished(r, db, &f, rc == RC_OK);
        } else {
            r->rc = rc;
            err_set(&r->err, rc, "%s", err_msg(&de));
        }
    }
    finish_clear(&f);
    pthread_mutex_lock(&w->mu);
    r->job_id = 0;
    pthread_mutex_unlock(&w->mu);
out:
    jobs_gate_free(gate);
    store_close(db);
    pthread_mutex_lock(&w->mu);
    w->running--;
    pthread_mutex_unlock(&w->mu);
    return NULL;
}

enum rc jobs_worker_run(const struct jobs_worker_opts *o, struct jobs_worker_stats *st,
                        struct err *err)
{
    enum rc rc = jobs_types_valid(o->types, err);
    if (rc)
        return rc;
    struct wctx w = { .o = o };
    w.lease_s = o->lease_s > 0 ? o->lease_s : 60;
    if (o->name && *o->name) {
        snprintf(w.name, sizeof(w.name), "%s", o->name);
    } else {
        char host[128] = "localhost";
        if (gethostname(host, sizeof(host) - 1) != 0)
            snprintf(host, sizeof(host), "localhost");
        snprintf(w.name, sizeof(w.name), "%s:%ld", host, (long)getpid());
    }
    struct store *hb;
    if ((rc = store_open(o->dsn, &hb, err)))
        return rc;
    pthread_mutex_init(&w.mu, NULL);
    w.n = o->concurrency > 0 ? o->concurrency : 1;
    w.r = xcalloc((size_t)w.n, sizeof(*w.r));
    w.running = w.n;
    for (int i = 0; i < w.n; i++) {
        struct runner *r = &w.r[i];
        r->w = &w;
        r->slot = i + 1;
        snprintf(r->holder, sizeof(r->holder), "%s/%d", w.name, r->slot);
        if (pthread_create(&r->th, NULL, runner_main, r) != 0)
            BUG("pthread_create failed");
    }
    /* The heartbeat: pass a stop on, renew leases every third of the lease, and stop a
     * runner whose job is no longer ours. */
    int64_t last = jobs_wall_ms();
    for (;;) {
        nap_ms(50);
        pthread_mutex_lock(&w.mu);
        int running = w.running;
        if (stopping(&w))
            for (int i = 0; i < w.n; i++)
                w.r[i].stop = 1;
        pthread_mutex_unlock(&w.mu);
        if (!running)
            break;
        int64_t now = jobs_wall_ms();
        if (now - last < (int64_t)w.lease_s * 1000 / 3)
            continue;
        last = now;
        struct err e = { 0 };
        for (int i = 0; i < w.n; i++) {
            pthread_mutex_lock(&w.mu);
            int64_t id = w.r[i].job_id;
            pthread_mutex_unlock(&w.mu);
            if (!id)
                continue;
            bool ours = true;
            if (jobs_renew(hb, id, w.name, w.lease_s, &ours, &e)) {
                log_warn("jobs: renewing the lease of job %lld: %s", (long long)id, err_msg(&e));
                err_clear(&e);
                continue;
            }
            pthread_mutex_lock(&w.mu);
            if (!ours && w.r[i].job_id == id) {
                w.r[i].lost = true;
                w.r[i].stop = 1;
            }
            pthread_mutex_unlock(&w.mu);
        }
        if (jobs_gate_renew(hb, w.name, w.lease_s, &e)) {
            log_warn("jobs: renewing host leases: %s", err_msg(&e));
            err_clear(&e);
        }
    }
    rc = RC_OK;
    for (int i = 0; i < w.n; i++) {
        pthread_join(w.r[i].th, NULL);
        if (!rc && w.r[i].rc)
            rc = err_set(err, w.r[i].rc, "worker %s: %s", w.r[i].holder, err_msg(&w.r[i].err));
    }
    if (st)
        *st = w.st;
    free(w.r);
    pthread_mutex_destroy(&w.mu);
    store_close(hb);
    return rc;
}
