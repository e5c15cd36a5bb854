/* metrics.h - /metrics in the Prometheus text format (version 0.0.4).
 *
 * Two kinds of series:
 *   - request counters and latency histograms per route, kept by the server itself
 *     (govsite_http_requests_total, govsite_http_request_duration_seconds);
 *   - collectors: rows of metric_collectors[] (metrics.c), each a function that writes
 *     one metric family at scrape time with the worker's database connection.  Gauges
 *     for crawls, probes, jobs queued/running and overdue items plug in here: the module
 *     keeps its counts (in its tables, or in-process behind its own header) and a
 *     collector reads them.
 *
 * Adding a metric:
 *   1. write `static void m_x(struct metric_out *o)` in metrics.c (or a collector file
 *      of your area) that calls metric_family() once and metric_value() per series;
 *   2. add a row to metric_collectors[]; name it govsite_<area>_<what>[_unit][_total];
 *   3. test it in tests/unit/test_web.c (scrape and find the series).
 */
#ifndef WEB_METRICS_H
#define WEB_METRICS_H

#include <stdint.h>

#include "core/buf.h"
#include "store/store.h"

struct metric_out {
    struct buf *b;
    struct store *db; /* the scraping worker's connection */
};

struct metric_collector {
    const char *name; /* for errors; the family names are written by fn */
    void (*fn)(struct metric_out *o);
};
extern const struct metric_collector metric_collectors[]; /* ends with { NULL } */

/* "# HELP name help\n# TYPE name type\n"; type is gauge, counter or histogram. */
void metric_family(struct metric_out *o, const char *name, const char *type, const char *help);
/* One sample: name{labels} value.  labels is NULL or pairs "k","v",... ending with NULL;
 * values are escaped as the format requires. */
void metric_value(struct metric_out *o, const char *name, double v, ...);

/* Per-route request statistics (the server owns one per route plus "unmatched"). */
#define METRIC_NBUCKETS 12
extern const double metric_buckets[METRIC_NBUCKETS]; /* upper bounds in seconds */
struct metric_route;
struct metric_route *metric_routes_new(size_t n);
void metric_routes_free(struct metric_route *m);
void metric_observe(struct metric_route *m, size_t route, int status, int64_t micros);
/* Write the request families for routes (labels route, method) then every collector. */
void metric_render(struct metric_out *o, const struct metric_route *m, size_t nroutes,
                   const char *const *route_names, const char *const *route_methods);

#endif
