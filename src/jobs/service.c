/* service.c - the scheduler and the worker pool inside `govsite serve` (jobs.h). */
#include <pthread.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/log.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "jobs/jobs.h"

struct jobs_service {
    struct jobs_service_opts o;
    char *dsn;
    volatile sig_atomic_t stop;
    pthread_t sched, pool;
    bool sched_on, pool_on;
    struct jobs_worker_opts wo;
};

static void *sched_main(void *arg)
{
    struct jobs_service *s = arg;
    struct store *db = NULL;
    struct err e = { 0 };
    if (store_open(s->dsn, &db, &e)) {
        log_error("jobs: scheduler: %s", err_msg(&e));
        return NULL;
    }
    int64_t next = 0;
    while (!s->stop) {
        int64_t now = jobs_wall_ms();
        if (now >= next) {
            int n = 0;
            if (jobs_schedule_due(db, s->o.conf, now / 1000, &n, &e)) {
                log_warn("jobs: scheduler: %s", err_msg(&e));
                err_clear(&e);
            } else if (n) {
                log_info("jobs: scheduler: %d job%s queued", n, n == 1 ? "" : "s");
            }
            next = now + (int64_t)s->o.tick_s * 1000;
        }
        struct timespec ts = { 0, 100 * 1000000L };
        nanosleep(&ts, NULL);
    }
    store_close(db);
    return NULL;
}

static void on_job(const struct job *j, const char *state, const char *msg, void *ctx)
{
    (void)ctx;
    log_info("jobs: job %lld %s site %lld: %s%s%s", (long long)j->id, j->type,
             (long long)j->site_id, state, msg ? ": " : "", msg ? msg : "");
}

static void *pool_main(void *arg)
{
    struct jobs_service *s = arg;
    struct err e = { 0 };
    if (jobs_worker_run(&s->wo, NULL, &e))
        log_error("jobs: worker pool stopped: %s", err_msg(&e));
    return NULL;
}

enum rc jobs_service_start(const struct jobs_service_opts *o, struct jobs_service **out,
                           struct err *err)
{
    struct jobs_service *s = XNEW(struct jobs_service);
    s->o = *o;
    s->dsn = xstrdup(o->dsn);
    if (s->o.tick_s <= 0) {
        const char *v = o->conf ? conf_get(o->conf, "jobs", "tick", NULL) : NULL;
        s->o.tick_s = 60;
        if (v && !cstr_to_int(v, 1, 86400, &s->o.tick_s)) {
            free(s->dsn);
            free(s);
            return err_set(err, RC_INVALID, "[jobs] tick = '%s' must be seconds from 1 to 86400",
                           v);
        }
    }
    s->wo = (struct jobs_worker_opts){ .dsn = s->dsn,
                                       .concurrency = o->jobs,
                                       .lease_s = 60,
                                       .poll_ms = 1000,
                                       .clk = o->clk,
                                       .conf = o->conf,
                                       .stop = &s->stop,
                                       .on_job = on_job };
    if (o->scheduler) {
        if (pthread_create(&s->sched, NULL, sched_main, s) != 0)
            BUG("pthread_create failed");
        s->sched_on = true;
    }
    if (o->jobs > 0) {
        if (pthread_create(&s->pool, NULL, pool_main, s) != 0)
            BUG("pthread_create failed");
        s->pool_on = true;
    }
    *out = s;
    return RC_OK;
}

void jobs_service_stop(struct jobs_service *s)
{
    if (!s)
        return;
    s->stop = 1;
    if (s->sched_on)
        pthread_join(s->sched, NULL);
    if (s->pool_on)
        pthread_join(s->pool, NULL);
    free(s->dsn);
    free(s);
}
