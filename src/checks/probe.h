/* probe.h - availability: probing home pages and the 19号 站点无法访问 rule.
 *
 * `govsite probe` fetches each site's home page (libcurl multi: sites in parallel,
 * redirects followed, certificates verified) and records every probe in `probes`: start
 * time, the civil day, the final HTTP status, the total time and the transport error.
 * Run it at intervals (hourly gives 24 a day; the rule needs at least 20).
 *
 * The rule (国办秘函〔2019〕19号 单项否决 2, and the 2015 census; domain.md §2.3 [C]):
 * monitor for one week with at least 20 accesses a day; when the share of accesses that
 * failed, or took 15 seconds or more, reaches 5 %, the site fails.  Here:
 *   - a probe is *failed* when no response came (DNS, connect, TLS, timeout) or the
 *     final status is not 2xx/3xx; *slow* when it succeeded in ≥ threshold (15 s);
 *   - the window is the 7 civil days before the check date (the check date itself is
 *     still being monitored): as of 2018-12-01 the window is 11-24 … 11-30;
 *   - a day with fewer than 20 probes is *not fully monitored*; then the rule cannot
 *     be decided and the status is "insufficient" (never a silent pass or veto);
 *   - otherwise "veto" when (failed + slow) / probes ≥ 5 %, else "pass".
 */
#ifndef CHECKS_PROBE_H
#define CHECKS_PROBE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clk.h"
#include "core/err.h"
#include "core/json.h"
#include "crawl/crawl.h"
#include "store/store.h"

#define PROBE_DAYS         7
#define PROBE_MIN_PER_DAY  20
#define PROBE_VETO_PERCENT 5           /* share of bad probes, in percent, that vetoes */
#define PROBE_THRESHOLD_MS 15000       /* 15 s */
#define PROBE_TIMEOUT_MS   30000       /* give up waiting after this */
#define PROBE_BODY_MAX     (32u << 20) /* bytes read from a home page at most */

enum probe_outcome { PROBE_OK, PROBE_SLOW, PROBE_FAILED };
const char *probe_outcome_name(enum probe_outcome o); /* ok, slow, failed */
/* Pure classification of one probe (see the header comment). */
enum probe_outcome probe_classify(long http_status, int64_t total_ms, bool transport_error,
                                  int64_t threshold_ms);

struct probe_opts {
    int64_t threshold_ms; /* slow from here (default 15000) */
    int64_t timeout_ms;   /* abandon the request (default 30000; at least threshold) */
    int parallel;         /* requests at once (default 8) */
    const char *user_agent;
    /* Host mapping as the crawl does it (crawl.h; may be NULL): its connect_to rules and
     * resolve entries apply to the home pages' hosts, so a probe reaches what the crawl
     * reaches (the demo's *.shifan.test on loopback). */
    const struct crawl_opts *hosts;
    /* Progress (may be NULL): called after each probe. */
    void (*progress)(size_t done, size_t total, void *ctx);
    void *ctx;
};
void probe_opts_default(struct probe_opts *o);

struct probe_result {
    int64_t site_id;
    char *url;   /* owned */
    int64_t at;  /* start (UTC seconds, from the clock) */
    long status; /* final HTTP status, 0 when no response */
    int64_t total_ms;
    char *error; /* owned; NULL when a response came */
    enum probe_outcome outcome;
};
void probe_results_free(struct probe_result *r, size_t n);

/* Probe the home pages of the given sites and record each probe.  *out gets n results
 * in the order of site_ids (caller frees with probe_results_free).  Network failures
 * are results, not errors; errors are database failures or unknown sites. */
enum rc probe_sites(struct store *db, const struct clk *clk, const int64_t *site_ids, size_t n,
                    const struct probe_opts *o, struct probe_result **out, struct err *err);
/* Record one probe (used by probe_sites; tests insert probes with it). */
enum rc probe_record(struct store *db, int tzoff, const struct probe_result *r,
                     int64_t threshold_ms, struct err *err);

enum probe_status { PROBE_PASS, PROBE_VETO, PROBE_INSUFFICIENT };
const char *probe_status_name(enum probe_status s); /* pass, veto, insufficient */

struct probe_day {
    int32_t day;
    int probes, failed, slow;
};
struct probe_stats {
    int64_t site_id;
    int32_t from, to; /* the window, inclusive */
    struct probe_day days[PROBE_DAYS];
    int probes, failed, slow; /* totals over the window */
    int days_short;           /* days with fewer than PROBE_MIN_PER_DAY probes */
    double ratio;             /* (failed + slow) / probes, 0 when no probes */
    enum probe_status status;
};
/* The rule as of a check date (the window is the 7 days before it). */
enum rc probe_stats(struct store *db, int64_t site_id, int32_t as_of, struct probe_stats *st,
                    struct err *err);
/* JSON: site, from, to, days[{date, probes, failed, slow, ratio, monitored}], probes,
 * failed, slow, ratio, min_per_day, veto_percent, status, veto. */
void probe_stats_json(struct jw *w, const struct probe_stats *st, const char *site_name);

/* Response times per day of [from, to] (civil dates; out has to - from + 1 entries): the
 * probes that got a response, their mean and longest total time.  Days without one are 0. */
struct probe_ms {
    int32_t day;
    int responses;
    double avg_ms;
    int64_t max_ms;
};
enum rc probe_daily_ms(struct store *db, int64_t site_id, int32_t from, int32_t to,
                       struct probe_ms *out, struct err *err);

/* The availability check: compute the stats as of today and, in a complete session of
 * kind site-unavailable, report the finding when the rule vetoes (so it resolves when
 * the site recovers).  *st (may be NULL) gets the stats. */
enum rc probe_check_availability(struct store *db, const struct clk *clk, int64_t site_id,
                                 struct probe_stats *st, struct err *err);

#endif
