/* metrics.c - Prometheus text output: request statistics and the collector table. */
#include "web/metrics.h"

#include <stdio.h>
#include <math.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "checks/check.h"
#include "core/date.h"
#include "core/xalloc.h"
#include "jobs/jobs.h"

const double metric_buckets[METRIC_NBUCKETS] = { 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05,
                                                 0.1,   0.25,   0.5,   1,    2.5,   5 };

/* Status classes counted per route: 1xx-5xx. */
struct metric_route {
    _Atomic uint64_t codes[5];
    _Atomic uint64_t buckets[METRIC_NBUCKETS]; /* non-cumulative; summed when rendered */
    _Atomic uint64_t count;
    _Atomic uint64_t sum_us;
};

struct metric_route *metric_routes_new(size_t n)
{
    return xcalloc(n, sizeof(struct metric_route));
}

void metric_routes_free(struct metric_route *m)
{
    free(m);
}

void metric_observe(struct metric_route *m, size_t route, int status, int64_t micros)
{
    struct metric_route *r = &m[route];
    int cls = status / 100 - 1;
    if (cls >= 0 && cls < 5)
        atomic_fetch_add(&r->codes[cls], 1);
    if (micros < 0)
        micros = 0;
    double s = (double)micros / 1e6;
    for (int i = 0; i < METRIC_NBUCKETS; i++)
        if (s <= metric_buckets[i]) {
            atomic_fetch_add(&r->buckets[i], 1);
            break;
        }
    atomic_fetch_add(&r->count, 1);
    atomic_fetch_add(&r->sum_us, (uint64_t)micros);
}

void metric_family(struct metric_out *o, const char *name, const char *type, const char *help)
{
    buf_addf(o->b, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
}

/* Label values escape backslash, double quote and newline. */
static void label_value(struct buf *b, const char *v)
{
    for (; v && *v; v++) {
        if (*v == '\\' || *v == '"')
            buf_addc(b, '\\'), buf_addc(b, *v);
        else if (*v == '\n')
            buf_adds(b, "\\n");
        else
            buf_addc(b, *v);
    }
}

static void number(struct buf *b, double v)
{
    if (isnan(v))
        buf_adds(b, "NaN");
    else if (isinf(v))
        buf_adds(b, v > 0 ? "+Inf" : "-Inf");
    else if (v == (double)(int64_t)v && fabs(v) < 9e15)
        buf_addf(b, "%lld", (long long)v);
    else
        buf_addf(b, "%.9g", v);
}

void metric_value(struct metric_out *o, const char *name, double v, ...)
{
    buf_adds(o->b, name);
    va_list ap;
    va_start(ap, v);
    const char *k = va_arg(ap, const char *);
    if (k) {
        buf_addc(o->b, '{');
        for (int i = 0; k; i++) {
            const char *val = va_arg(ap, const char *);
            buf_addf(o->b, "%s%s=\"", i ? "," : "", k);
            label_value(o->b, val);
            buf_addc(o->b, '"');
            k = va_arg(ap, const char *);
        }
        buf_addc(o->b, '}');
    }
    va_end(ap);
    buf_addc(o->b, ' ');
    number(o->b, v);
    buf_addc(o->b, '\n');
}

void metric_render(struct metric_out *o, const struct metric_route *m, size_t nroutes,
                   const char *const *names, const char *const *methods)
{
    static const char *const cls[] = { "1xx", "2xx", "3xx", "4xx", "5xx" };
    metric_family(o, "govsite_http_requests_total", "counter",
                  "HTTP requests answered, by route pattern, method and status class.");
    for (size_t i = 0; i < nroutes; i++)
        for (int c = 0; c < 5; c++) {
            uint64_t n = atomic_load(&m[i].codes[c]);
            if (n)
                metric_value(o, "govsite_http_requests_total", (double)n, "route", names[i],
                             "method", methods[i], "code", cls[c], NULL);
        }
    metric_family(o, "govsite_http_request_duration_seconds", "histogram",
                  "Time from the request's headers to its response being queued.");
    for (size_t i = 0; i < nroutes; i++) {
        uint64_t count = atomic_load(&m[i].count);
        if (!count)
            continue;
        uint64_t cum = 0;
        char le[32];
        for (int b = 0; b < METRIC_NBUCKETS; b++) {
            cum += atomic_load(&m[i].buckets[b]);
            snprintf(le, sizeof(le), "%g", metric_buckets[b]);
            metric_value(o, "govsite_http_request_duration_seconds_bucket", (double)cum, "route",
                         names[i], "method", methods[i], "le", le, NULL);
        }
        metric_value(o, "govsite_http_request_duration_seconds_bucket", (double)count, "route",
                     names[i], "method", methods[i], "le", "+Inf", NULL);
        metric_value(o, "govsite_http_request_duration_seconds_sum",
                     (double)atomic_load(&m[i].sum_us) / 1e6, "route", names[i], "method",
                     methods[i], NULL);
        metric_value(o, "govsite_http_request_duration_seconds_count", (double)count, "route",
                     names[i], "method", methods[i], NULL);
    }
    for (const struct metric_collector *c = metric_collectors; c->name; c++)
        c->fn(o);
}

/* ---- collectors ---------------------------------------------------------------------- */

static double count_of(struct store *db, const char *sql)
{
    int64_t n = 0;
    if (store_get_int(db, &n, NULL, sql, ""))
        return NAN;
    return (double)n;
}

static void m_registry(struct metric_out *o)
{
    metric_family(o, "govsite_registry_units", "gauge", "Units (单位) in the registry.");
    metric_value(o, "govsite_registry_units", count_of(o->db, "SELECT COUNT(*) FROM units"), NULL);
    metric_family(o, "govsite_registry_sites", "gauge", "Sites (网站) in the registry.");
    metric_value(o, "govsite_registry_sites", count_of(o->db, "SELECT COUNT(*) FROM sites"), NULL);
    metric_family(o, "govsite_registry_columns", "gauge",
                  "Registered columns (栏目) in the registry.");
    metric_value(o, "govsite_registry_columns",
                 count_of(o->db, "SELECT COUNT(*) FROM site_columns WHERE state = 'registered'"),
                 NULL);
}

static void m_accounts(struct metric_out *o)
{
    metric_family(o, "govsite_users", "gauge", "Enabled accounts.");
    metric_value(o, "govsite_users",
                 count_of(o->db, "SELECT COUNT(*) FROM users WHERE disabled = 0"), NULL);
    metric_family(o, "govsite_sessions", "gauge",
                  "Sessions stored (including expired ones "
                  "not yet swept).");
    metric_value(o, "govsite_sessions", count_of(o->db, "SELECT COUNT(*) FROM sessions"), NULL);
}

/* The job queue (jobs.h): jobs by type and state, every type and state shown (0 when
 * none), and the crawls and probes run so far. */
static void put_job_count(const char *type, const char *state, int64_t n, void *ctx)
{
    int64_t *cell = ctx;
    static const char *const states[] = { "queued", "running", "done", "failed", "cancelled" };
    int t = 0;
    for (const struct jobs_type *jt = jobs_types; jt->name; jt++, t++)
        for (int s = 0; s < 5; s++)
            if (!strcmp(jt->name, type) && !strcmp(states[s], state))
                cell[t * 5 + s] = n;
}

static void m_jobs(struct metric_out *o)
{
    static const char *const states[] = { "queued", "running", "done", "failed", "cancelled" };
    int64_t cell[64 * 5] = { 0 };
    jobs_counts(o->db, put_job_count, cell, NULL);
    metric_family(o, "govsite_jobs", "gauge", "Jobs in the queue by type and state.");
    int t = 0;
    for (const struct jobs_type *jt = jobs_types; jt->name && t < 64; jt++, t++)
        for (int s = 0; s < 5; s++)
            metric_value(o, "govsite_jobs", (double)cell[t * 5 + s], "type", jt->name, "state",
                         states[s], NULL);
    metric_family(o, "govsite_crawl_runs_total", "counter", "Crawl runs stored (kept runs).");
    metric_value(o, "govsite_crawl_runs_total", count_of(o->db, "SELECT COUNT(*) FROM crawl_runs"),
                 NULL);
    metric_family(o, "govsite_probes_total", "counter", "Availability probes recorded.");
    metric_value(o, "govsite_probes_total", count_of(o->db, "SELECT COUNT(*) FROM probes"), NULL);
}

/* Work items open now, overdue or not (what the overdue sweep and an alert watch). */
static void m_cases(struct metric_out *o)
{
    struct case_ctx x;
    struct err e = { 0 };
    double n[2] = { NAN, NAN };
    if (o->clk && !case_ctx_init(&x, o->db, o->conf, o->clk, &e)) {
        static const enum case_which which[2] = { CASE_LIST_OPEN, CASE_LIST_OVERDUE };
        for (int i = 0; i < 2; i++) {
            struct case_page_q q = { .which = which[i], .from = DATE_NONE, .to = DATE_NONE };
            int64_t c;
            if (!case_page_count(&x, &q, &c, &e))
                n[i] = (double)c;
        }
        case_ctx_release(&x);
    }
    metric_family(o, "govsite_cases_open", "gauge", "Work items (办件) open now.");
    metric_value(o, "govsite_cases_open", n[0], NULL);
    metric_family(o, "govsite_cases_overdue", "gauge",
                  "Work items open and past their statutory due time (已逾期).");
    metric_value(o, "govsite_cases_overdue", n[1], NULL);
}

static void m_findings(struct metric_out *o)
{
    static const char *const states[] = { "open", "resolved", "dismissed" };
    metric_family(o, "govsite_findings", "gauge", "Findings (问题) by state.");
    for (int i = 0; i < 3; i++) {
        struct check_page_q q = { .f = { .state = states[i] } };
        int64_t c;
        metric_value(o, "govsite_findings",
                     check_findings_count(o->db, &q, &c, NULL) ? NAN : (double)c, "state",
                     states[i], NULL);
    }
}

/* clang-format off */
const struct metric_collector metric_collectors[] = {
    { .name = "registry", .fn = m_registry },
    { .name = "accounts", .fn = m_accounts },
    { .name = "cases",    .fn = m_cases },
    { .name = "findings", .fn = m_findings },
    { .name = "jobs",     .fn = m_jobs },
    { NULL, NULL },
};
/* clang-format on */
