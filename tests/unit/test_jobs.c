/* test_jobs.c - the job queue, leases, the schedule, the per-host budget and the worker
 * (src/jobs/jobs.h), on every backend. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "core/conf.h"
#include "jobs/jobs.h"
#include "reg/reg.h"
#include "test.h"
#include "tstore.h"

static int64_t add_site(struct store *s, const char *name, const char *url)
{
    struct reg_site_new n = { .name = name, .url = url };
    int64_t id;
    struct err e = { 0 };
    ASSERT_OK(reg_site_add(s, &n, t_clk(), &id, &e), &e);
    return id;
}

static int64_t get_int(struct store *s, const char *sql, int64_t id)
{
    int64_t v = -1;
    struct err e = { 0 };
    ASSERT_OK(store_get_int(s, &v, &e, sql, "i", id), &e);
    return v;
}

static char *get_text(struct store *s, const char *sql, int64_t id)
{
    char *v = NULL;
    struct err e = { 0 };
    ASSERT_OK(store_get_text(s, &v, &e, sql, "i", id), &e);
    return v;
}

/* A DSN other connections can open to reach the test's database (PostgreSQL: the test's
 * private schema through the search_path option). */
static void dsn_of(struct store *s, int b, char *out, size_t n)
{
    if (b == 0) {
        snprintf(out, n, "%s", t_dsn(0));
        return;
    }
    char *schema = NULL;
    ASSERT_OK(store_get_text(s, &schema, NULL, "SELECT current_schema()", ""), NULL);
    snprintf(out, n, "%s options='-csearch_path=%s'", t_dsn(1), schema);
    free(schema);
}

TEST(jobs_enqueue_validates_and_merges)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        int64_t site = add_site(s, "甲", "http://a.test/");
        struct err e = { 0 };
        int64_t id1, id2, id3, id4;
        bool added;
        ASSERT_RC(jobs_enqueue(s, "nosuch", site, "manual", 0, &id1, &added, &e), RC_INVALID);
        ASSERT_CONTAINS(err_msg(&e), "crawl, probe, check");
        err_clear(&e);
        ASSERT_RC(jobs_enqueue(s, "crawl", 0, "manual", 0, &id1, &added, &e), RC_INVALID);
        err_clear(&e);
        ASSERT_RC(jobs_enqueue(s, "noop", site, "manual", 0, &id1, &added, &e), RC_INVALID);
        err_clear(&e);
        ASSERT_OK(jobs_enqueue(s, "crawl", site, "manual", 0, &id1, &added, &e), &e);
        ASSERT_TRUE(added);
        ASSERT_OK(jobs_enqueue(s, "crawl", site, "schedule", 0, &id2, &added, &e), &e);
        ASSERT_FALSE(added);
        ASSERT_EQ_INT(id2, id1);
        ASSERT_OK(jobs_enqueue(s, "probe", site, "manual", 0, &id3, &added, &e), &e);
        ASSERT_TRUE(added);
        ASSERT_NE_INT(id3, id1);
        /* site-less jobs are never merged */
        ASSERT_OK(jobs_enqueue(s, "noop", 0, "manual", 0, &id3, &added, &e), &e);
        ASSERT_OK(jobs_enqueue(s, "noop", 0, "manual", 0, &id4, &added, &e), &e);
        ASSERT_TRUE(added);
        ASSERT_NE_INT(id3, id4);
        ASSERT_EQ_INT(get_int(s, "SELECT COUNT(*) FROM jobs WHERE id > ?", 0), 4);
        t_close(s);
    }
}

TEST(jobs_claim_lease_expiry_and_release)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        int64_t a = add_site(s, "甲", "http://a.test/"), c = add_site(s, "乙", "http://b.test/");
        struct err e = { 0 };
        int64_t ja, jc;
        ASSERT_OK(jobs_enqueue(s, "crawl", a, "manual", 0, &ja, NULL, &e), &e);
        ASSERT_OK(jobs_enqueue(s, "crawl", c, "manual", 0, &jc, NULL, &e), &e);
        struct job j1, j2, j3;
        bool got;
        ASSERT_OK(jobs_claim(s, "w1", NULL, 60, &j1, &got, &e), &e);
        ASSERT_TRUE(got);
        ASSERT_EQ_INT(j1.id, ja);
        ASSERT_EQ_STR(j1.type, "crawl");
        ASSERT_EQ_INT(j1.site_id, a);
        ASSERT_EQ_INT(j1.attempts, 1);
        ASSERT_OK(jobs_claim(s, "w2", "crawl", 60, &j2, &got, &e), &e);
        ASSERT_TRUE(got);
        ASSERT_EQ_INT(j2.id, jc);
        ASSERT_OK(jobs_claim(s, "w3", NULL, 60, &j3, &got, &e), &e);
        ASSERT_FALSE(got);
        /* w1 dies: its lease runs out and w3 takes the job over */
        ASSERT_OK(store_exec(s, &e, "UPDATE jobs SET lease_until_ms = 1 WHERE id = ?", "i", ja),
                  &e);
        bool ours = true;
        ASSERT_OK(jobs_renew(s, jc, "w2", 60, &ours, &e), &e);
        ASSERT_TRUE(ours);
        usleep(1100 * 1000); /* the expired-lease look is at most once a second per thread */
        ASSERT_OK(jobs_claim(s, "w3", NULL, 60, &j3, &got, &e), &e);
        ASSERT_TRUE(got);
        ASSERT_EQ_INT(j3.id, ja);
        ASSERT_EQ_INT(j3.attempts, 2);
        ASSERT_OK(jobs_renew(s, ja, "w1", 60, &ours, &e), &e);
        ASSERT_FALSE(ours); /* w1 (if alive after all) learns the job is gone */
        ASSERT_RC(jobs_finish(s, ja, "w1", true, NULL, NULL, &e), RC_CONFLICT);
        err_clear(&e);
        ASSERT_OK(jobs_finish(s, ja, "w3", true, "{\"pages\": 3}", NULL, &e), &e);
        char *st = get_text(
            s, "SELECT state || ' ' || worker || ' ' || result FROM jobs WHERE id = ?", ja);
        ASSERT_EQ_STR(st, "done w3 {\"pages\": 3}");
        free(st);
        /* release (SIGTERM): queued again, the attempt not counted */
        ASSERT_OK(jobs_release(s, jc, "w2", 0, &e), &e);
        ASSERT_EQ_INT(get_int(s, "SELECT attempts FROM jobs WHERE id = ?", jc), 0);
        ASSERT_OK(jobs_claim(s, "w4", NULL, 60, &j3, &got, &e), &e);
        ASSERT_TRUE(got);
        ASSERT_EQ_INT(j3.id, jc);
        ASSERT_EQ_INT(j3.attempts, 1);
        ASSERT_OK(jobs_finish(s, jc, "w4", false, NULL, "boom", &e), &e);
        st = get_text(s, "SELECT state || ' ' || error FROM jobs WHERE id = ?", jc);
        ASSERT_EQ_STR(st, "failed boom");
        free(st);
        /* a finished job frees its type and site for the next one */
        bool added;
        ASSERT_OK(jobs_enqueue(s, "crawl", a, "manual", 0, &ja, &added, &e), &e);
        ASSERT_TRUE(added);
        t_close(s);
    }
}

/* Finishing a job and claiming the next in one step: both paths (the single statement,
 * and the transaction that also looks for expired leases), a finish that is no longer
 * ours, an empty queue. */
TEST(jobs_finish_claim_in_one_step)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        struct err e = { 0 };
        int64_t id[4];
        for (int i = 0; i < 4; i++)
            ASSERT_OK(jobs_enqueue(s, "noop", 0, "manual", 0, &id[i], NULL, &e), &e);
        struct job j;
        bool got, ours;
        ASSERT_OK(jobs_claim(s, "w", "noop", 60, &j, &got, &e), &e);
        ASSERT_TRUE(got);
        ASSERT_EQ_INT(j.id, id[0]);
        /* within a second of the claim: the single-statement path */
        ASSERT_OK(jobs_finish_claim(s, id[0], "w", true, "{\"n\": 1}", NULL, "noop", 60, &ours,
                                    &j, &got, &e),
                  &e);
        ASSERT_TRUE(ours);
        ASSERT_TRUE(got);
        ASSERT_EQ_INT(j.id, id[1]);
        ASSERT_EQ_STR(j.type, "noop");
        ASSERT_EQ_INT(j.attempts, 1);
        char *st = get_text(s, "SELECT state || ' ' || result FROM jobs WHERE id = ?", id[0]);
        ASSERT_EQ_STR(st, "done {\"n\": 1}");
        free(st);
        st = get_text(s, "SELECT state || ' ' || worker FROM jobs WHERE id = ?", id[1]);
        ASSERT_EQ_STR(st, "running w");
        free(st);
        /* another worker's job is left alone, and the claim still happens */
        ASSERT_OK(jobs_finish_claim(s, id[1], "x", true, NULL, NULL, "noop", 60, &ours, &j, &got,
                                    &e),
                  &e);
        ASSERT_FALSE(ours);
        ASSERT_TRUE(got);
        ASSERT_EQ_INT(j.id, id[2]);
        ASSERT_EQ_INT(get_int(s, "SELECT COUNT(*) FROM jobs WHERE id = ? AND state = 'running'",
                              id[1]),
                      1);
        /* a type filter that matches nothing claims nothing but still finishes */
        ASSERT_OK(jobs_finish_claim(s, id[2], "x", false, NULL, "boom", "crawl", 60, &ours, &j,
                                    &got, &e),
                  &e);
        ASSERT_TRUE(ours);
        ASSERT_FALSE(got);
        st = get_text(s, "SELECT state || ' ' || error FROM jobs WHERE id = ?", id[2]);
        ASSERT_EQ_STR(st, "failed boom");
        free(st);
        /* w's job 1 lost its lease: after a second the finish also takes expired jobs
         * (the transaction path), before the queued job 4 */
        ASSERT_OK(store_exec(s, &e, "UPDATE jobs SET lease_until_ms = 1 WHERE id = ?", "i", id[1]),
                  &e);
        ASSERT_OK(jobs_claim(s, "y", "noop", 60, &j, &got, &e), &e);
        ASSERT_EQ_INT(j.id, id[3]);
        usleep(1100 * 1000);
        ASSERT_OK(jobs_finish_claim(s, id[3], "y", true, NULL, NULL, NULL, 60, &ours, &j, &got,
                                    &e),
                  &e);
        ASSERT_TRUE(ours);
        ASSERT_TRUE(got);
        ASSERT_EQ_INT(j.id, id[1]);
        ASSERT_EQ_INT(j.attempts, 2);
        ASSERT_OK(jobs_finish_claim(s, id[1], "y", true, NULL, NULL, NULL, 60, &ours, &j, &got,
                                    &e),
                  &e);
        ASSERT_TRUE(ours);
        ASSERT_FALSE(got);
        ASSERT_EQ_INT(get_int(s, "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND id <> ?",
                              id[2]),
                      3);
        t_close(s);
    }
}

TEST(jobs_types_filter_and_max_attempts)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        int64_t a = add_site(s, "甲", "http://a.test/");
        struct err e = { 0 };
        int64_t id;
        ASSERT_OK(jobs_enqueue(s, "crawl", a, "manual", 0, &id, NULL, &e), &e);
        struct job j;
        bool got;
        ASSERT_OK(jobs_claim(s, "w", "probe,check", 60, &j, &got, &e), &e);
        ASSERT_FALSE(got);
        ASSERT_OK(store_exec(s, &e, "UPDATE jobs SET max_attempts = 1 WHERE id = ?", "i", id), &e);
        ASSERT_OK(jobs_claim(s, "w", "crawl", 60, &j, &got, &e), &e);
        ASSERT_TRUE(got);
        ASSERT_OK(store_exec(s, &e, "UPDATE jobs SET lease_until_ms = 1 WHERE id = ?", "i", id),
                  &e);
        usleep(1100 * 1000);
        ASSERT_OK(jobs_claim(s, "w2", NULL, 60, &j, &got, &e), &e);
        ASSERT_FALSE(got);
        char *st = get_text(s, "SELECT state || ': ' || error FROM jobs WHERE id = ?", id);
        ASSERT_EQ_STR(st, "failed: the worker was lost 1 times (lease expired)");
        free(st);
        t_close(s);
    }
}

TEST(jobs_retry_and_cancel)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        int64_t a = add_site(s, "甲", "http://a.test/");
        struct err e = { 0 };
        int64_t id, id2;
        ASSERT_OK(jobs_enqueue(s, "probe", a, "manual", 0, &id, NULL, &e), &e);
        ASSERT_RC(jobs_retry(s, id, &e), RC_CONFLICT);
        ASSERT_CONTAINS(err_msg(&e), "is queued");
        err_clear(&e);
        ASSERT_OK(jobs_cancel(s, id, &e), &e);
        ASSERT_RC(jobs_cancel(s, id, &e), RC_CONFLICT);
        err_clear(&e);
        ASSERT_RC(jobs_cancel(s, 999, &e), RC_NOTFOUND);
        err_clear(&e);
        ASSERT_OK(jobs_enqueue(s, "probe", a, "manual", 0, &id2, NULL, &e), &e);
        ASSERT_RC(jobs_retry(s, id, &e), RC_CONFLICT); /* id2 is live for the same site */
        ASSERT_CONTAINS(err_msg(&e), "already have a queued or running job");
        err_clear(&e);
        ASSERT_OK(jobs_cancel(s, id2, &e), &e);
        ASSERT_OK(jobs_retry(s, id, &e), &e);
        ASSERT_EQ_INT(get_int(s, "SELECT COUNT(*) FROM jobs WHERE state = 'queued' AND id = ?", id),
                      1);
        struct job j;
        bool got;
        ASSERT_OK(jobs_claim(s, "w", NULL, 60, &j, &got, &e), &e);
        ASSERT_EQ_INT(j.id, id);
        /* cancelling a running job: its worker learns at the next renewal */
        ASSERT_OK(jobs_cancel(s, id, &e), &e);
        bool ours = true;
        ASSERT_OK(jobs_renew(s, id, "w", 60, &ours, &e), &e);
        ASSERT_FALSE(ours);
        t_close(s);
    }
}

TEST(jobs_schedule_due)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        int64_t a = add_site(s, "甲", "http://a.test/"), c = add_site(s, "乙", "http://b.test/");
        add_site(s, "丙", "http://c.test/");
        struct err e = { 0 };
        ASSERT_OK(store_exec(s, &e, "UPDATE sites SET status = '已关停' WHERE name = '丙'", ""),
                  &e);
        struct conf cf;
        conf_init(&cf);
        conf_set(&cf, "jobs", "probe_every", "10m");
        ASSERT_OK(jobs_interval_set(s, c, "crawl", 0, &e), &e); /* 乙: never crawled on schedule */
        int64_t now = jobs_wall_ms() / 1000;
        int n;
        ASSERT_OK(jobs_schedule_due(s, &cf, now, &n, &e), &e);
        ASSERT_EQ_INT(n, 5); /* crawl 甲, probe 甲 and 乙, feed-pull, task-sweep */
        ASSERT_EQ_INT(get_int(s,
                              "SELECT COUNT(*) FROM jobs WHERE type IN ('feed-pull', 'task-sweep') "
                              "AND site_id IS NULL AND state = 'queued' AND ? > 0",
                              1),
                      2);
        ASSERT_EQ_INT(
            get_int(s, "SELECT COUNT(*) FROM jobs WHERE type = 'crawl' AND site_id = ?", c), 0);
        ASSERT_EQ_INT(
            get_int(s, "SELECT COUNT(*) FROM jobs WHERE origin = 'schedule' AND site_id = ?", a),
            2);
        ASSERT_OK(jobs_schedule_due(s, &cf, now, &n, &e), &e);
        ASSERT_EQ_INT(n, 0);
        /* the probes are done; ten minutes later they are due again, the crawl not */
        ASSERT_OK(store_exec(s, &e,
                             "UPDATE jobs SET state = 'done', live_key = NULL WHERE type = 'probe'",
                             ""),
                  &e);
        ASSERT_OK(jobs_schedule_due(s, &cf, now + 599, &n, &e), &e);
        ASSERT_EQ_INT(n, 0);
        ASSERT_OK(jobs_schedule_due(s, &cf, now + 600, &n, &e), &e);
        ASSERT_EQ_INT(n, 2);
        /* a site-less type is due again an hour after its last job, once it is done */
        ASSERT_OK(store_exec(s, &e,
                             "UPDATE jobs SET state = 'done', live_key = NULL "
                             "WHERE type = 'feed-pull'",
                             ""),
                  &e);
        ASSERT_OK(jobs_schedule_due(s, &cf, now + 3599, &n, &e), &e);
        ASSERT_EQ_INT(
            get_int(s, "SELECT COUNT(*) FROM jobs WHERE type = 'feed-pull' AND ? > 0", 1), 1);
        ASSERT_OK(jobs_schedule_due(s, &cf, now + 3600, &n, &e), &e);
        ASSERT_EQ_INT(
            get_int(s, "SELECT COUNT(*) FROM jobs WHERE type = 'feed-pull' AND ? > 0", 1), 2);
        ASSERT_EQ_INT(
            get_int(s, "SELECT COUNT(*) FROM jobs WHERE type = 'task-sweep' AND ? > 0", 1), 1);
        int64_t every;
        ASSERT_OK(jobs_interval(s, &cf, jobs_type_find("crawl"), a, &every, &e), &e);
        ASSERT_EQ_INT(every, 86400);
        ASSERT_OK(jobs_interval(s, &cf, jobs_type_find("probe"), a, &every, &e), &e);
        ASSERT_EQ_INT(every, 600);
        conf_release(&cf);
        conf_init(&cf);
        conf_set(&cf, "jobs", "crawl_every", "soon");
        ASSERT_RC(jobs_interval(s, &cf, jobs_type_find("crawl"), a, &every, &e), RC_INVALID);
        ASSERT_CONTAINS(err_msg(&e), "crawl_every");
        conf_release(&cf);
        t_close(s);
    }
}

TEST(jobs_gate_one_holder_per_host)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        char dsn[1024];
        dsn_of(s, b, dsn, sizeof(dsn));
        struct err e = { 0 };
        struct jobs_gate *g1, *g2;
        ASSERT_OK(jobs_gate_new(dsn, "w1/1", "w1", 30, &g1, &e), &e);
        ASSERT_OK(jobs_gate_new(dsn, "w2/1", "w2", 30, &g2, &e), &e);
        struct crawl_gate *c1 = jobs_gate_crawl(g1), *c2 = jobs_gate_crawl(g2);
        int64_t wait = -1;
        ASSERT_TRUE(c1->acquire(c1, "www.a.test", &wait));
        ASSERT_EQ_INT(wait, 0);
        ASSERT_TRUE(c1->acquire(c1, "www.a.test", &wait)); /* already ours */
        ASSERT_FALSE(c2->acquire(c2, "www.a.test", &wait));
        ASSERT(wait > 0);
        ASSERT_TRUE(c2->acquire(c2, "www.b.test", &wait));
        /* a hand-over keeps the pace: the next request waits what the rate asks */
        c1->release(c1, "www.a.test", 5000);
        ASSERT_TRUE(c2->acquire(c2, "www.a.test", &wait));
        ASSERT(wait > 3000 && wait <= 5000);
        /* a holder that died loses the host when its lease runs out */
        ASSERT_OK(
            store_exec(s, &e, "UPDATE job_hosts SET lease_until_ms = 1 WHERE holder = 'w2/1'", ""),
            &e);
        ASSERT_TRUE(c1->acquire(c1, "www.b.test", &wait));
        ASSERT_OK(jobs_gate_renew(s, "w1", 30, &e), &e);
        ASSERT(get_int(s, "SELECT MIN(lease_until_ms) FROM job_hosts WHERE worker = 'w1' AND ? = 0",
                       0) > jobs_wall_ms() + 20000);
        jobs_gate_free(g1);
        ASSERT_EQ_INT(
            get_int(s, "SELECT COUNT(*) FROM job_hosts WHERE holder IS NOT NULL AND ? = 0", 0), 1);
        jobs_gate_free(g2);
        ASSERT_EQ_INT(
            get_int(s, "SELECT COUNT(*) FROM job_hosts WHERE holder IS NOT NULL AND ? = 0", 0), 0);
        t_close(s);
    }
}

TEST(jobs_worker_runs_every_job_once)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        char dsn[1024];
        dsn_of(s, b, dsn, sizeof(dsn));
        struct err e = { 0 };
        for (int i = 0; i < 300; i++)
            ASSERT_OK(jobs_enqueue(s, "noop", 0, "manual", 0, NULL, NULL, &e), &e);
        struct clk clk;
        clk_init(&clk);
        struct jobs_worker_opts o = { .dsn = dsn,
                                      .name = "t",
                                      .concurrency = 4,
                                      .lease_s = 30,
                                      .poll_ms = 10,
                                      .drain = true,
                                      .clk = &clk };
        struct jobs_worker_stats st = { 0 };
        ASSERT_OK(jobs_worker_run(&o, &st, &e), &e);
        ASSERT_EQ_INT(st.done, 300);
        ASSERT_EQ_INT(st.failed, 0);
        /* four runners claimed concurrently, and no job was claimed twice */
        ASSERT_EQ_INT(
            get_int(s, "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND attempts = 1 AND ? = 0",
                    0),
            300);
        ASSERT_EQ_INT(get_int(s, "SELECT COUNT(DISTINCT worker) FROM jobs WHERE ? = 0", 0), 1);
        o.types = "crawl,bogus";
        ASSERT_RC(jobs_worker_run(&o, &st, &e), RC_INVALID);
        t_close(s);
    }
}

/* The check, feed-pull and task-sweep types run through a worker: a site never crawled
 * still gets its interaction check and a verdict; a pull with no sources and a sweep with
 * no tasks succeed. */
TEST(jobs_check_feed_and_sweep_types_run)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        char dsn[1024];
        dsn_of(s, b, dsn, sizeof(dsn));
        int64_t a = add_site(s, "甲", "http://a.test/");
        struct err e = { 0 };
        ASSERT_OK(jobs_enqueue(s, "check", a, "manual", 0, NULL, NULL, &e), &e);
        ASSERT_OK(jobs_enqueue(s, "feed-pull", 0, "manual", 0, NULL, NULL, &e), &e);
        ASSERT_OK(jobs_enqueue(s, "task-sweep", 0, "manual", 0, NULL, NULL, &e), &e);
        /* a scheduled site-less type has one live job: a second enqueue merges */
        bool added = true;
        ASSERT_OK(jobs_enqueue(s, "task-sweep", 0, "manual", 0, NULL, &added, &e), &e);
        ASSERT(!added);
        ASSERT_RC(jobs_enqueue(s, "feed-pull", a, "manual", 0, NULL, NULL, &e), RC_INVALID);
        struct clk clk;
        clk_init(&clk);
        struct conf cf;
        conf_init(&cf);
        struct jobs_worker_opts o = { .dsn = dsn,
                                      .name = "t",
                                      .concurrency = 1,
                                      .lease_s = 30,
                                      .poll_ms = 10,
                                      .drain = true,
                                      .clk = &clk,
                                      .conf = &cf };
        struct jobs_worker_stats st = { 0 };
        ASSERT_OK(jobs_worker_run(&o, &st, &e), &e);
        ASSERT_EQ_INT(st.done, 3);
        ASSERT_EQ_INT(st.failed, 0);
        ASSERT_EQ_INT(get_int(s, "SELECT COUNT(*) FROM verdicts WHERE site_id = ?", a), 1);
        ASSERT_EQ_INT(get_int(s,
                              "SELECT COUNT(*) FROM jobs WHERE type = 'check' AND site_id = ? "
                              "AND state = 'done' AND result LIKE '%\"verdict\"%'",
                              a),
                      1);
        conf_release(&cf);
        t_close(s);
    }
}
