/* types.c - the job-type registry (jobs.h "Adding a job type") and the run functions of
 * the built-in types.  Each is idempotent, so a job retaken after its worker died never
 * counts a page or a finding twice. */
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/probe.h"
#include "checks/sitecheck.h"
#include "feed/feed.h"
#include "core/json.h"
#include "core/notes.h"
#include "core/str.h"
#include "jobs/jobs.h"

/* crawl: continue the site's unfinished run if there is one (a retaken job), else start
 * one.  Every page is stored with its links and its URL's state in one transaction, so
 * the resumed run never stores a page twice. */
static enum rc run_crawl(struct job_ctx *c, struct err *err)
{
    struct crawl_opts o;
    crawl_opts_init(&o);
    enum rc rc = crawl_opts_conf(&o, c->conf, err);
    if (rc) {
        crawl_opts_release(&o);
        return rc;
    }
    o.resume = true;
    o.stop = c->stop;
    o.gate = c->gate;
    struct crawl_stats st = { 0 };
    rc = crawl_run(c->db, &c->job->site_id, 1, &o, c->clk, &st, err);
    crawl_opts_release(&o);
    if (rc == RC_CONFLICT)
        rc = RC_BUSY; /* the run is still going in a live process: try again later */
    if (st.run_id) {
        struct jw w;
        jw_init(&w, c->result, false);
        jw_obj(&w);
        jw_kint(&w, "run", st.run_id);
        jw_kstr(&w, "state", st.state);
        jw_kint(&w, "pages", st.pages);
        jw_kint(&w, "urls", st.urls);
        jw_kint(&w, "broken", st.broken);
        jw_kint(&w, "elapsed_ms", st.elapsed_ms);
        jw_end(&w);
        jw_finish(&w);
    }
    return rc;
}

static bool conf_ms(const struct conf *conf, const char *key, int64_t *ms, struct err *err,
                    enum rc *rc)
{
    const char *v = conf ? conf_get(conf, "probe", key, NULL) : NULL;
    double d;
    if (!v)
        return true;
    if (!str_to_double(str_of(v), &d) || d <= 0 || d > 86400) {
        *rc = err_set(err, RC_INVALID, "[probe] %s '%s' is not a number of seconds", key, v);
        return false;
    }
    *ms = (int64_t)(d * 1000 + 0.5);
    return true;
}

/* probe: one availability probe of the home page (a measurement; retaking adds one). */
static enum rc run_probe(struct job_ctx *c, struct err *err)
{
    struct probe_opts po;
    probe_opts_default(&po);
    enum rc rc = RC_OK;
    if (!conf_ms(c->conf, "threshold", &po.threshold_ms, err, &rc) ||
        !conf_ms(c->conf, "timeout", &po.timeout_ms, err, &rc))
        return rc;
    if (po.timeout_ms < po.threshold_ms)
        po.timeout_ms = po.threshold_ms;
    struct probe_result *res = NULL;
    if ((rc = probe_sites(c->db, c->clk, &c->job->site_id, 1, &po, &res, err)))
        return rc;
    struct jw w;
    jw_init(&w, c->result, false);
    jw_obj(&w);
    jw_kint(&w, "status", res[0].status);
    jw_kint(&w, "ms", res[0].total_ms);
    jw_kstr(&w, "error", res[0].error);
    jw_end(&w);
    jw_finish(&w);
    probe_results_free(res, 1);
    return RC_OK;
}

/* check: every check of the site as `govsite check` runs them (the crawl-based checks
 * of its latest complete crawl, the interaction rule from the work items), the re-post
 * and catalogue checks of the feed module, then today's verdict (check_verdict_run
 * replaces the verdict of the same site and day; findings are keyed and each check is one
 * complete session, so a rerun adds nothing twice). */
static enum rc run_check(struct job_ctx *c, struct err *err)
{
    const char *name = c->conf ? conf_get(c->conf, "checks", "profile", CHECK_PROFILE_DEFAULT)
                               : CHECK_PROFILE_DEFAULT;
    struct check_profile *p;
    enum rc rc = check_profile_load(name, &p, err);
    if (rc)
        return rc;
    int64_t site = c->job->site_id;
    int32_t today = clk_today(c->clk);
    struct sitecheck sc;
    struct sitecheck_result res;
    memset(&res, 0, sizeof(res));
    struct feed_check_tally ti = { 0 }, tr = { 0 }, tc = { 0 };
    struct feed_match_opts mo = { .threshold = FEED_THRESHOLD_DEFAULT };
    if (!(rc = sitecheck_open(&sc, c->db, c->clk, c->conf, err))) {
        rc = sitecheck_site(&sc, site, today, &res, err);
        sitecheck_close(&sc);
    }
    if (!rc && !*c->stop)
        rc = feed_interaction_check(c->db, c->clk, site, &ti, err);
    if (!rc && !*c->stop)
        rc = feed_repost_check(c->db, c->clk, site, &mo, &tr, err);
    if (!rc && !*c->stop)
        rc = feed_catalogue_check(c->db, c->clk, site, &tc, err);
    if (!rc && *c->stop)
        rc = err_set(err, RC_INTERRUPTED, "stopped before the verdict");
    struct check_facts f;
    struct check_verdict v;
    memset(&f, 0, sizeof(f));
    memset(&v, 0, sizeof(v));
    if (!rc)
        rc = check_verdict_run(c->db, c->clk, site, today, p, false, &f, &v, err);
    if (!rc) {
        struct jw w;
        jw_init(&w, c->result, false);
        jw_obj(&w);
        jw_kstr(&w, "verdict", check_verdict_word(&v));
        jw_kdouble(&w, "score", v.score);
        jw_kint(&w, "run", res.run_id);
        jw_kint(&w, "opened", ti.opened + tr.opened + tc.opened);
        jw_kint(&w, "resolved", ti.resolved + tr.resolved + tc.resolved);
        jw_end(&w);
        jw_finish(&w);
    }
    check_verdict_release(&v);
    check_facts_release(&f);
    check_profile_free(p);
    return rc;
}

/* feed-pull: pull every enabled upstream source (conditional GET), then judge the
 * re-posts of every site against what came in. */
static enum rc run_feed_pull(struct job_ctx *c, struct err *err)
{
    struct feed_pull_opts po = { 0 };
    po.connect_to = c->conf ? conf_get(c->conf, "feed", "connect_to", NULL) : NULL;
    struct notes bad = NOTES_INIT;
    enum rc rc = feed_pull(c->db, c->clk, &po, 0, NULL, NULL, &bad, err);
    /* a failing source is recorded on the source; the others were pulled */
    struct feed_check_tally t = { 0 };
    struct feed_match_opts mo = { .threshold = FEED_THRESHOLD_DEFAULT };
    struct err e2 = { 0 };
    enum rc rc2 = *c->stop ? RC_OK : feed_repost_check(c->db, c->clk, 0, &mo, &t, &e2);
    struct jw w;
    jw_init(&w, c->result, false);
    jw_obj(&w);
    jw_kint(&w, "bad_items", (int64_t)bad.total);
    jw_kbool(&w, "all_sources", rc == RC_OK);
    jw_kint(&w, "repost_opened", t.opened);
    jw_kint(&w, "repost_resolved", t.resolved);
    jw_end(&w);
    jw_finish(&w);
    notes_release(&bad);
    if (rc2)
        return err_set(err, rc2, "%s", err_msg(&e2));
    return RC_OK;
}

/* task-sweep: close tasks whose findings are all resolved, apply the task rules. */
static enum rc run_task_sweep(struct job_ctx *c, struct err *err)
{
    struct task_sweep_tally t;
    memset(&t, 0, sizeof(t));
    return task_sweep(c->db, c->clk, &t, err);
}

/* noop: does nothing (measures the queue itself: bench/workers.sh, tests). */
static enum rc run_noop(struct job_ctx *c, struct err *err)
{
    (void)c;
    (void)err;
    return RC_OK;
}

const struct jobs_type jobs_types[] = {
    { .name = "crawl",
      .label = "抓取",
      .per_site = true,
      .every_s = 86400,
      .conf_key = "crawl_every",
      .then = "check",
      .run = run_crawl },
    { .name = "probe",
      .label = "可用性探测",
      .per_site = true,
      .every_s = 1800,
      .conf_key = "probe_every",
      .run = run_probe },
    { .name = "check",
      .label = "检查",
      .per_site = true,
      .every_s = 0,
      .conf_key = "check_every",
      .run = run_check },
    { .name = "feed-pull",
      .label = "上级政策信息拉取",
      .per_site = false,
      .every_s = 3600,
      .conf_key = "feed_pull_every",
      .run = run_feed_pull },
    { .name = "task-sweep",
      .label = "整改任务巡检",
      .per_site = false,
      .every_s = 3600,
      .conf_key = "task_sweep_every",
      .run = run_task_sweep },
    { .name = "noop", .label = "空任务", .per_site = false, .run = run_noop },
    { .name = NULL },
};
