/* sitecheck.h - the checks over a site's latest crawl (issue 5): columns found by the
 * crawl, freshness, links, required content, wording over pages, and the crawl part of
 * the `govsite check` step.  docs/checks.md §9–§14 has the long form.
 *
 * What a check of one site does (sitecheck_site):
 *   1. takes the site's latest *complete* crawl run (crawl_runs.state = 'complete');
 *      a run cut short by max_pages still reports, but resolves nothing (a finding it
 *      did not see may be on a page it did not reach);
 *   2. proposes list pages that match no column as columns (state 'proposed', path from
 *      the breadcrumb, class from reg_class_guess) for staff to accept or reject;
 *   3. copies the run's articles into the publication records (pub.h);
 *   4. runs one check session per producer, each with its kinds (check.h):
 *        freshness   homepage-stale, column-stale, column-blank
 *        links       link-broken-home, link-broken, link-retired, host-unresolved
 *        required    required-missing
 *        wording     wording
 *      a producer that fails aborts only its own session;
 *   5. the caller then runs the interaction findings from the work items (one producer
 *      for them: feed_interaction_check, src/feed) and computes the verdict
 *      (check_verdict_run); `govsite check` does both.
 *
 * Dates: `as_of` is the check date.  Items dated after it are ignored (and listed in
 * the result's notes); days are counted from the latest item to as_of.  Findings are
 * recorded as seen at the session time, or at the end of as_of when that is earlier, so a
 * verdict as of that date counts them.
 *
 * Threads: a struct sitecheck belongs to one thread (it holds the database).
 */
#ifndef CHECKS_SITECHECK_H
#define CHECKS_SITECHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/check.h"
#include "checks/wording.h"
#include "core/buf.h"
#include "core/clk.h"
#include "core/conf.h"
#include "core/err.h"
#include "core/notes.h"
#include "store/store.h"

/* ---- retired domains and URL prefixes -------------------------------------------- */

/* Normalise a retired target: a host ("WWW.GDBS.gov.cn." → "www.gdbs.gov.cn") or an
 * http(s) URL prefix (normalised as core/url.h does, a bare host URL ending in '/').
 * false (out untouched) when it is neither. */
bool retired_normalize(const char *in, struct buf *out);

/* Add (or update the note of) a database entry; *existed (may be NULL) tells whether it
 * was there.  RC_INVALID names a target that is neither a host nor a URL. */
enum rc retired_add(struct store *db, const struct clk *clk, const char *target, const char *note,
                    const char *by, bool *existed, struct err *err);
/* Remove a database entry (RC_NOTFOUND naming it; entries of the configuration file
 * cannot be removed here, and the message says so). */
enum rc retired_remove(struct store *db, const struct conf *conf, const char *target,
                       struct err *err);

struct retired_row {
    int64_t id;             /* 0 for a configuration entry */
    const char *target;     /* normalised */
    const char *note;       /* or NULL */
    const char *created_by; /* or NULL */
    int64_t created_at;     /* 0 for a configuration entry */
    const char *source;     /* "db" or "config" */
};
/* Every entry: the database's, then `[checks] retired` of conf (may be NULL; entries
 * separated by spaces, commas or semicolons), ordered by target within each source. */
enum rc retired_each(struct store *db, const struct conf *conf,
                     void (*fn)(const struct retired_row *r, void *ctx), void *ctx,
                     struct err *err);

/* The loaded list, for matching many URLs. */
struct retired_set {
    char **hosts; /* "www.gdbs.gov.cn": the host and its subdomains */
    size_t nhosts;
    char **prefixes; /* "http://x.gov.cn/old/" */
    size_t nprefixes;
};
enum rc retired_load(struct store *db, const struct conf *conf, struct retired_set *set,
                     struct err *err);
void retired_release(struct retired_set *set);
/* The entry a (normalised) URL falls under, or NULL. */
const char *retired_match(const struct retired_set *set, const char *url);

/* ---- columns and their freshness ------------------------------------------------- */

/* One registered column as the crawl saw it.  Strings owned (sitecheck_columns_free). */
struct sc_column {
    int64_t id, unit_id;
    char *path, *url, *class_name;
    int limit;              /* days: the column's own freshness_days, else its class's; 0 = none */
    bool crawled;           /* the run has at least one page of the column */
    int64_t pages;          /* pages of the column in the run (lists, pagination, articles) */
    int64_t items;          /* dated list items and articles, on or before as_of */
    int64_t undated;        /* entries without a visible date (links to the column's pages) */
    int32_t latest;         /* latest item or article date on or before as_of; DATE_NONE */
    int32_t list_latest;    /* from the list pages (all pages, pinned rows included) */
    int32_t article_latest; /* from the articles */
    int64_t future;         /* items dated after as_of (ignored) */
    int32_t future_max;     /* the latest of them */
    bool blank;             /* crawled, and never any item */
    bool exempt;            /* an exemption is in force on as_of */
    bool stale;             /* crawled, not exempt, limit > 0, and latest is older than limit
                               days, or the column has entries but none dated (blank columns
                               are reported as blank, not stale) */
    int days;               /* as_of − latest (−1 when latest is DATE_NONE) */
};
/* The site's registered columns (ordered by path) with their freshness in run `run_id`
 * (0 = the site's latest complete run; none → every column uncrawled) as of `as_of`. */
enum rc sitecheck_columns(struct store *db, int64_t site_id, int64_t run_id, int32_t as_of,
                          struct sc_column **out, size_t *n, struct err *err);
void sitecheck_columns_free(struct sc_column *v, size_t n);

/* The site's latest complete crawl run: *run_id 0 when there is none (RC_OK). */
enum rc sitecheck_latest_run(struct store *db, int64_t site_id, int64_t *run_id, struct err *err);

/* ---- column proposals ------------------------------------------------------------ */

/* List pages of run `run_id` that match no column (any state), have at least
 * SITECHECK_PROPOSE_ITEMS dated items and a breadcrumb become proposed columns: path =
 * the breadcrumb without its leading 首页/site name, class = reg_class_guess(path), URL =
 * the list page (its index_N.html pagination is not a separate column).  A path that
 * already exists (registered, proposed or rejected) is left alone.  *proposed (may be
 * NULL) gets the number added. */
#define SITECHECK_PROPOSE_ITEMS 5
enum rc sitecheck_propose(struct store *db, const struct clk *clk, int64_t site_id, int64_t run_id,
                          int *proposed, struct err *err);
/* Staff decisions on a column (any state): accept (registered; class and unit when
 * given: class by name or key, unit by id, 0 = keep), classify (class only), reject.
 * RC_INVALID names an unknown class. */
enum rc sitecheck_column_accept(struct store *db, const struct clk *clk, int64_t column_id,
                                const char *class_name, int64_t unit_id, struct err *err);
enum rc sitecheck_column_classify(struct store *db, const struct clk *clk, int64_t column_id,
                                  const char *class_name, struct err *err);
enum rc sitecheck_column_reject(struct store *db, const struct clk *clk, int64_t column_id,
                                struct err *err);

/* ---- the whole check -------------------------------------------------------------- */

struct sitecheck {
    struct store *db;
    const struct clk *clk;
    const struct conf *conf;   /* may be NULL */
    struct wording_dict *dict; /* loaded and compiled once */
    struct retired_set retired;
    struct notes dict_bad; /* bad dictionary rows (shown by the caller) */
};
/* Load the dictionary and the retired list. */
enum rc sitecheck_open(struct sitecheck *sc, struct store *db, const struct clk *clk,
                       const struct conf *conf, struct err *err);
void sitecheck_close(struct sitecheck *sc);

enum sc_producer { SC_FRESHNESS, SC_LINKS, SC_REQUIRED, SC_WORDING, SC_NPROD };
extern const char *const sc_producer_names[SC_NPROD];
extern const char *const sc_producer_kinds[SC_NPROD];

struct sitecheck_result {
    int64_t run_id;    /* 0: no complete crawl (only the interaction check ran) */
    bool complete;     /* the run saw everything (not cut by max_pages) */
    int proposed;      /* columns proposed */
    int64_t published; /* publication records refreshed from the run */
    bool ran[SC_NPROD];
    struct check_tally tally[SC_NPROD];
    struct notes notes; /* future dates, columns the crawl did not reach, ... */
};
void sitecheck_result_release(struct sitecheck_result *r);

/* Check one site as of `as_of` (see the header comment).  *res is initialised here.  A
 * storage error stops at once; a producer's own failure is noted and the rest run. */
enum rc sitecheck_site(struct sitecheck *sc, int64_t site_id, int32_t as_of,
                       struct sitecheck_result *res, struct err *err);

#endif
