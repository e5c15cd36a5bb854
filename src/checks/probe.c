/* probe.c - home-page probes with libcurl multi, and the 1-week availability rule
 * (probe.h). */
#include "checks/probe.h"

#include <curl/curl.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/xalloc.h"

const char *probe_outcome_name(enum probe_outcome o)
{
    return o == PROBE_OK ? "ok" : o == PROBE_SLOW ? "slow" : "failed";
}

const char *probe_status_name(enum probe_status s)
{
    return s == PROBE_PASS ? "pass" : s == PROBE_VETO ? "veto" : "insufficient";
}

enum probe_outcome probe_classify(long status, int64_t ms, bool transport_error,
                                  int64_t threshold_ms)
{
    if (transport_error || status < 200 || status >= 400)
        return PROBE_FAILED;
    return ms >= threshold_ms ? PROBE_SLOW : PROBE_OK;
}

void probe_opts_default(struct probe_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->threshold_ms = PROBE_THRESHOLD_MS;
    o->timeout_ms = PROBE_TIMEOUT_MS;
    o->parallel = 8;
    o->user_agent = "govsite/" GOVSITE_VERSION " (availability probe)";
}

void probe_results_free(struct probe_result *r, size_t n)
{
    for (size_t i = 0; r && i < n; i++) {
        free(r[i].url);
        free(r[i].error);
    }
    free(r);
}

enum rc probe_record(struct store *db, int tzoff, const struct probe_result *r,
                     int64_t threshold_ms, struct err *err)
{
    return store_exec(
        db, err,
        "INSERT INTO probes (site_id, at, day, url, http_status, total_ms, error, outcome, "
        "threshold_ms) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        "iiDtiitti", r->site_id, r->at, time_to_date(r->at, tzoff), r->url, (int64_t)r->status,
        r->total_ms, r->error, probe_outcome_name(r->outcome), threshold_ms);
}

/* ---- fetching -------------------------------------------------------------------- */

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;

static void curl_init_once(void)
{
    curl_global_init(CURL_GLOBAL_DEFAULT);
}

struct req {
    size_t idx;
    size_t body;
    struct curl_slist *connect_to, *resolve;
    char errbuf[CURL_ERROR_SIZE];
};

static size_t discard(char *p, size_t size, size_t nmemb, void *ud)
{
    (void)p;
    struct req *q = ud;
    size_t n = size * nmemb;
    q->body += n;
    return q->body > PROBE_BODY_MAX ? 0 : n;
}

static CURL *easy_for(const char *url, const struct probe_opts *o, struct req *q)
{
    CURL *h = curl_easy_init();
    if (!h)
        BUG("curl_easy_init failed");
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_TIMEOUT_MS, (long)o->timeout_ms);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT_MS, (long)o->timeout_ms);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_USERAGENT, o->user_agent);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, discard);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, q);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, q->errbuf);
    curl_easy_setopt(h, CURLOPT_PRIVATE, q);
    if (o->hosts) {
        char rule[600];
        if (crawl_connect_to(o->hosts, url, rule, sizeof(rule))) {
            q->connect_to = curl_slist_append(NULL, rule);
            curl_easy_setopt(h, CURLOPT_CONNECT_TO, q->connect_to);
        }
        for (size_t i = 0; i < o->hosts->nresolve; i++)
            q->resolve = curl_slist_append(q->resolve, o->hosts->resolve[i]);
        if (q->resolve)
            curl_easy_setopt(h, CURLOPT_RESOLVE, q->resolve);
    }
    return h;
}

static void finish(CURL *h, CURLcode code, struct probe_result *r, const struct probe_opts *o)
{
    struct req *q;
    curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&q);
    long status = 0;
    curl_off_t us = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_easy_getinfo(h, CURLINFO_TOTAL_TIME_T, &us);
    r->status = status;
    r->total_ms = (int64_t)(us / 1000);
    bool transport = code != CURLE_OK;
    if (transport) {
        const char *msg = q->errbuf[0] ? q->errbuf : curl_easy_strerror(code);
        if (code == CURLE_WRITE_ERROR && q->body > PROBE_BODY_MAX)
            msg = "home page larger than the probe reads (32 MiB)";
        r->error = xstrdup(msg);
        if (code == CURLE_OPERATION_TIMEDOUT && r->total_ms < o->timeout_ms)
            r->total_ms = o->timeout_ms;
    } else if (status < 200 || status >= 400) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "HTTP %ld", status);
        r->error = buf_take(&b);
    }
    r->outcome = probe_classify(status, r->total_ms, transport, o->threshold_ms);
}

enum rc probe_sites(struct store *db, const struct clk *clk, const int64_t *ids, size_t n,
                    const struct probe_opts *opts, struct probe_result **out, struct err *err)
{
    struct probe_opts o;
    probe_opts_default(&o);
    if (opts) {
        o = *opts;
        if (o.threshold_ms <= 0)
            o.threshold_ms = PROBE_THRESHOLD_MS;
        if (o.timeout_ms < o.threshold_ms)
            o.timeout_ms = o.threshold_ms;
        if (o.parallel < 1)
            o.parallel = 1;
        if (!o.user_agent)
            o.user_agent = "govsite/" GOVSITE_VERSION " (availability probe)";
    }
    *out = NULL;
    struct probe_result *res = xcalloc(n ? n : 1, sizeof(*res));
    int64_t now = clk_now(clk);
    enum rc rc = RC_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        res[i].site_id = ids[i];
        res[i].at = now;
        rc =
            store_get_text(db, &res[i].url, err, "SELECT url FROM sites WHERE id = ?", "i", ids[i]);
        if (rc == RC_NOTFOUND)
            rc = err_set(err, RC_NOTFOUND, "no site with id %lld", (long long)ids[i]);
    }
    if (rc) {
        probe_results_free(res, n);
        return rc;
    }
    pthread_once(&curl_once, curl_init_once);
    CURLM *m = curl_multi_init();
    struct req *reqs = xcalloc(n ? n : 1, sizeof(*reqs));
    size_t next = 0, done = 0;
    int running = 0;
    while (done < n) {
        while (next < n && running < o.parallel) {
            reqs[next].idx = next;
            curl_multi_add_handle(m, easy_for(res[next].url, &o, &reqs[next]));
            next++;
            running++;
        }
        int still = 0;
        curl_multi_perform(m, &still);
        CURLMsg *msg;
        int left;
        while ((msg = curl_multi_info_read(m, &left))) {
            if (msg->msg != CURLMSG_DONE)
                continue;
            CURL *h = msg->easy_handle;
            struct req *q;
            curl_easy_getinfo(h, CURLINFO_PRIVATE, (char **)&q);
            finish(h, msg->data.result, &res[q->idx], &o);
            curl_multi_remove_handle(m, h);
            curl_easy_cleanup(h);
            curl_slist_free_all(q->connect_to);
            curl_slist_free_all(q->resolve);
            q->connect_to = q->resolve = NULL;
            running--;
            done++;
            if (o.progress)
                o.progress(done, n, o.ctx);
        }
        if (done < n && still)
            curl_multi_poll(m, NULL, 0, 100, NULL);
    }
    curl_multi_cleanup(m);
    free(reqs);
    rc = store_begin(db, err);
    for (size_t i = 0; i < n && !rc; i++)
        rc = probe_record(db, clk->tzoff, &res[i], o.threshold_ms, err);
    if (!rc)
        rc = store_commit(db, err);
    else
        store_rollback(db);
    if (rc) {
        probe_results_free(res, n);
        return rc;
    }
    *out = res;
    return RC_OK;
}

/* ---- the rule -------------------------------------------------------------------- */

enum rc probe_stats(struct store *db, int64_t site_id, int32_t as_of, struct probe_stats *st,
                    struct err *err)
{
    memset(st, 0, sizeof(*st));
    st->site_id = site_id;
    st->from = as_of - PROBE_DAYS;
    st->to = as_of - 1;
    for (int i = 0; i < PROBE_DAYS; i++)
        st->days[i].day = st->from + i;
    struct stmt *q =
        store_q(db,
                "SELECT day, COUNT(*), SUM(CASE WHEN outcome = 'failed' THEN 1 ELSE 0 END), "
                "SUM(CASE WHEN outcome = 'slow' THEN 1 ELSE 0 END) FROM probes WHERE site_id = "
                "? AND day >= ? AND day <= ? GROUP BY day",
                "iDD", site_id, st->from, st->to);
    while (stmt_next(q)) {
        int32_t d = stmt_date(q, 0);
        if (d < st->from || d > st->to)
            continue;
        struct probe_day *pd = &st->days[d - st->from];
        pd->probes = (int)stmt_int(q, 1);
        pd->failed = (int)stmt_int(q, 2);
        pd->slow = (int)stmt_int(q, 3);
    }
    enum rc rc = stmt_done(q, err);
    if (rc)
        return rc;
    for (int i = 0; i < PROBE_DAYS; i++) {
        st->probes += st->days[i].probes;
        st->failed += st->days[i].failed;
        st->slow += st->days[i].slow;
        st->days_short += st->days[i].probes < PROBE_MIN_PER_DAY;
    }
    int bad = st->failed + st->slow;
    st->ratio = st->probes ? (double)bad / st->probes : 0;
    if (st->days_short)
        st->status = PROBE_INSUFFICIENT;
    else
        st->status = (int64_t)bad * 100 >= (int64_t)PROBE_VETO_PERCENT * st->probes ? PROBE_VETO
                                                                                    : PROBE_PASS;
    return RC_OK;
}

enum rc probe_daily_ms(struct store *db, int64_t site_id, int32_t from, int32_t to,
                       struct probe_ms *out, struct err *err)
{
    for (int32_t d = from; d <= to; d++)
        out[d - from] = (struct probe_ms){ .day = d };
    struct stmt *q = store_q(db,
                             "SELECT day, COUNT(*), AVG(total_ms), MAX(total_ms) FROM probes "
                             "WHERE site_id = ? AND day >= ? AND day <= ? AND http_status > 0 "
                             "GROUP BY day",
                             "iDD", site_id, from, to);
    while (stmt_next(q)) {
        int32_t d = stmt_date(q, 0);
        if (d < from || d > to)
            continue;
        struct probe_ms *m = &out[d - from];
        m->responses = (int)stmt_int(q, 1);
        m->avg_ms = stmt_double(q, 2);
        m->max_ms = stmt_int(q, 3);
    }
    return stmt_done(q, err);
}

void probe_stats_json(struct jw *w, const struct probe_stats *st, const char *site_name)
{
    jw_obj(w);
    jw_kstr(w, "site", site_name);
    jw_kdate(w, "from", st->from);
    jw_kdate(w, "to", st->to);
    jw_key(w, "days");
    jw_arr(w);
    for (int i = 0; i < PROBE_DAYS; i++) {
        const struct probe_day *d = &st->days[i];
        jw_obj(w);
        jw_kdate(w, "date", d->day);
        jw_kint(w, "probes", d->probes);
        jw_kint(w, "failed", d->failed);
        jw_kint(w, "slow", d->slow);
        jw_kdouble(w, "ratio", d->probes ? (double)(d->failed + d->slow) / d->probes : 0);
        jw_kbool(w, "monitored", d->probes >= PROBE_MIN_PER_DAY);
        jw_end(w);
    }
    jw_end(w);
    jw_kint(w, "probes", st->probes);
    jw_kint(w, "failed", st->failed);
    jw_kint(w, "slow", st->slow);
    jw_kdouble(w, "ratio", st->ratio);
    jw_kint(w, "min_per_day", PROBE_MIN_PER_DAY);
    jw_kint(w, "veto_percent", PROBE_VETO_PERCENT);
    jw_kstr(w, "status", probe_status_name(st->status));
    jw_kbool(w, "veto", st->status == PROBE_VETO);
    jw_end(w);
}

enum rc probe_check_availability(struct store *db, const struct clk *clk, int64_t site_id,
                                 struct probe_stats *out, struct err *err)
{
    struct probe_stats st;
    enum rc rc = probe_stats(db, site_id, clk_today(clk), &st, err);
    if (out)
        *out = st;
    /* Undecided weeks change nothing: an open finding stays open until a fully
     * monitored week shows the site available. */
    if (rc || st.status == PROBE_INSUFFICIENT)
        return rc;
    struct check_scope sc = {
        .site_id = site_id, .kinds = "site-unavailable", .complete = true, .source = "probe"
    };
    struct check_session *s;
    if ((rc = check_begin(db, clk, &sc, &s, err)))
        return rc;
    if (st.status == PROBE_VETO) {
        char *url = NULL;
        rc = store_get_text(db, &url, err, "SELECT url FROM sites WHERE id = ?", "i", site_id);
        struct buf ev = BUF_INIT, sum = BUF_INIT, d1 = BUF_INIT, d2 = BUF_INIT;
        struct jw w;
        jw_init(&w, &ev, false);
        probe_stats_json(&w, &st, NULL);
        jw_finish(&w);
        date_fmt_cn_md(st.from, &d1);
        date_fmt_cn_md(st.to, &d2);
        buf_addf(&sum,
                 "%s至%s共监测%d次，失败%d次、超过15秒%d次，占比%.1f%%，达到单项否决标准（≥5%%）",
                 buf_cstr(&d1), buf_cstr(&d2), st.probes, st.failed, st.slow, st.ratio * 100);
        struct check_finding f = {
            .kind = "site-unavailable",
            .subject = url ? url : "",
            .url = url,
            .evidence = buf_cstr(&ev),
            .summary = buf_cstr(&sum),
            .has_value = true,
            .value = (int64_t)(st.ratio * 1000 + 0.5),
        };
        if (!rc)
            rc = check_report(s, &f, NULL, err);
        free(url);
        buf_release(&ev);
        buf_release(&sum);
        buf_release(&d1);
        buf_release(&d2);
    }
    if (rc) {
        check_abort(s);
        return rc;
    }
    return check_end(s, NULL, err);
}
