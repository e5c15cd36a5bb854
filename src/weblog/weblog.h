/* weblog.h - visits from web-server access logs: 网站总访问量 (page views) and
 * 独立用户访问总量 (unique visitors) per site, day and column.
 *
 * What is counted (docs/weblog.md has the full definitions and their configuration):
 *   - a *hit* is any well-formed log line;
 *   - a *page view* is a GET answered 2xx or 304 of a page (a path with no extension or a
 *     page extension such as .html, or a text/html content type when the log has one),
 *     by a client that is not a bot (data/weblog/bots.txt) - never css, js, images, fonts,
 *     downloads;
 *   - a *visitor* is a key hashed from client IP + User-Agent.  A day's visitors are the
 *     distinct keys among that day's page views (GoAccess counts IP + UA + day); over a
 *     month, a year or any period `visitors` is the number of distinct keys in the period
 *     (exact: every day's keys are stored, Rice-coded, see wl_int.h), and `visitor_days`
 *     is the sum of the daily figures;
 *   - `all_visitors` is GoAccess's own figure, for comparison: distinct IP + UA per day
 *     over all requests except 4xx, crawlers included, summed over the days.
 * A page is attributed to the registered column whose list-page directory is the longest
 * prefix of its path (site_columns/column_urls); pages under no column go to column 0.
 *
 * Ingest is incremental and idempotent per file set: each file is known by the hash of
 * its first bytes (and its device/inode), with the offset read so far, so an appended,
 * renamed, rotated or rotated-and-gzipped file is read from where it was left, never
 * twice.  One call is one transaction: either every file's lines are counted and their
 * offsets moved, or nothing is stored.
 *
 * Callers: cli/cmd_weblog.c (ingest, stats, files), the annual report (wl_year) and the
 * dashboard (wl_stats with WL_BY_DAY).  Nothing here prints.
 */
#ifndef WEBLOG_WEBLOG_H
#define WEBLOG_WEBLOG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clk.h"
#include "core/conf.h"
#include "core/err.h"
#include "core/json.h"
#include "core/notes.h"
#include "store/store.h"

/* ---- definitions (the [weblog] section of the configuration) ---- */

struct wl_bots; /* the compiled bot list (wl_config.c) */

struct wl_config {
    char **page_ext; /* lower-case extensions counted as pages (owned) */
    size_t npage_ext;
    char **ignore_prefix; /* paths starting with one of these are never page views */
    size_t nignore_prefix;
    bool page_status[600];   /* statuses a page view may have (2xx and 304) */
    bool empty_agent_is_bot; /* an empty or "-" User-Agent is a script */
    bool use_forwarded_for;  /* client = first X-Forwarded-For address when logged */
    struct wl_bots *bots;    /* owned */
    char *bots_source;       /* where the list came from, for messages (owned) */
};

/* The defaults, then the [weblog] keys of `conf` (may be NULL):
 *   page_extensions = html htm shtml ...   page_statuses = 2xx 304
 *   ignore_paths = /api/ /ajax/            empty_agent_is_bot = true
 *   client_ip = remote_addr|x_forwarded_for
 *   bots_file = PATH (else the resource weblog/bots.txt, overridable in the data dir).
 * Errors name the key and where it was set.  Release with wl_config_release. */
enum rc wl_config_load(struct wl_config *cfg, const struct conf *conf, struct err *err);
void wl_config_release(struct wl_config *cfg);
/* Is this User-Agent (as logged: nginx \xHH escapes, IIS '+' for spaces) a bot? */
bool wl_is_bot(const struct wl_config *cfg, const char *ua, size_t n);

/* ---- ingest ---- */

enum wl_file_state {
    WL_FILE_NEW,       /* never seen: read from the start */
    WL_FILE_RESUMED,   /* known (appended, rotated or compressed since): read from the offset */
    WL_FILE_UNCHANGED, /* known and nothing new */
    WL_FILE_SHORTER,   /* known but now shorter than the offset read: skipped (see notes) */
    WL_FILE_EMPTY,     /* no content: nothing to remember */
};
const char *wl_file_state_name(enum wl_file_state s); /* "new", "resumed", ... */

struct wl_file_result {
    char *path; /* as given (owned) */
    enum wl_file_state state;
    bool compressed;   /* gzip */
    char *format;      /* the format used: "combined", "iis", a log_format (owned) */
    uint64_t from, to; /* content bytes read this time: [from, to) */
    int64_t lines, bad_lines, hits, pageviews; /* this time */
    int32_t first_day, last_day; /* civil days of the entries read (DATE_NONE if none) */
};

struct wl_ingest_result {
    struct wl_file_result *files; /* one per path, in order (owned) */
    size_t nfiles;
    int64_t lines, bad_lines, hits, pageviews, bytes_read; /* totals of this run */
    int32_t first_day, last_day;
};
void wl_ingest_result_release(struct wl_ingest_result *r);

struct wl_ingest_opts {
    const char *format;    /* NULL or "auto": the stored format, else detect; else a
                              name (combined, common, main, iis) or an nginx log_format
                              or Apache LogFormat string */
    const struct clk *clk; /* now (ingested_at) and the zone of civil days */
    /* Called now and then with content bytes read of the current file (total 0 when
     * unknown, e.g. gzip).  May be NULL. */
    void (*progress)(void *ctx, const char *path, uint64_t done, uint64_t total);
    void *progress_ctx;
    size_t flush_keys; /* merge into the store when the in-memory key sets hold this
                          many keys (0: 4 Mi keys, about 64 MiB); tests use small ones */
};

/* Read the files into site `site_id`'s aggregates (see the header comment).  Bad lines
 * are counted and the first few noted in `bad` as "FILE:LINE: reason: text".  A file that
 * cannot be opened or whose format cannot be recognised fails the whole call (RC_IO,
 * RC_PARSE; nothing stored).  `res` is filled on success and must be released. */
enum rc wl_ingest(struct store *db, int64_t site_id, const struct wl_config *cfg,
                  const char *const *paths, size_t npaths, const struct wl_ingest_opts *o,
                  struct wl_ingest_result *res, struct notes *bad, struct err *err);

/* ---- figures ---- */

struct wl_counts {
    int64_t pageviews;    /* 网站总访问量 */
    int64_t visitors;     /* 独立用户访问总量: distinct visitor keys over the period */
    int64_t visitor_days; /* sum of the daily distinct visitors (GoAccess-style total) */
    int64_t hits, bot_hits, all_visitors, bytes, status_4xx, status_5xx, bad_requests;
};

enum wl_by { WL_BY_NONE, WL_BY_DAY, WL_BY_MONTH, WL_BY_COLUMN };
/* "day", "month", "column" → the enum; false when unknown. */
bool wl_by_parse(const char *s, enum wl_by *out);

struct wl_row {
    int32_t day;        /* WL_BY_DAY: the day; WL_BY_MONTH: the month's first day */
    int64_t column_id;  /* WL_BY_COLUMN: site_columns.id, 0 = pages in no column */
    char *column;       /* WL_BY_COLUMN: the column's path, NULL for column 0 (owned) */
    struct wl_counts c; /* columns: only pageviews, visitors, visitor_days */
};

struct wl_stats {
    int64_t site_id;
    int32_t from, to; /* the period (DATE_NONE both when there is no data at all) */
    enum wl_by by;
    struct wl_counts total;
    struct wl_row *rows; /* owned; every day/month of the period, or columns with data */
    size_t nrows;
};

/* Figures for [from, to] (civil days, inclusive).  from/to DATE_NONE: the first/last day
 * with data.  Rows per `by`.  Release with wl_stats_release. */
enum rc wl_stats(struct store *db, int64_t site_id, int32_t from, int32_t to, enum wl_by by,
                 struct wl_stats *out, struct err *err);
void wl_stats_release(struct wl_stats *s);
/* {"site":…,"from":…,"to":…,"pageviews":…,"visitors":…,…,"rows":[…]} ("rows" with `by`). */
void wl_stats_json(const struct wl_stats *s, const char *site_name, struct jw *w);

/* The annual form's two rows for one site and calendar year (and the rest of the
 * counts): pageviews = 网站总访问量, visitors = 独立用户访问总量. */
enum rc wl_year(struct store *db, int64_t site_id, int year, struct wl_counts *out,
                struct err *err);

/* ---- remembered files ---- */

struct wl_file {
    int64_t id, site_id;
    char *site, *path, *format; /* owned */
    int64_t dev, ino, read_to, lines, bad_lines, head_len;
    uint64_t head_hash;
    bool compressed;
    int64_t first_at, last_at, ingested_at; /* instants (0 = none) */
};
/* Files of one site (site_id > 0) or of all sites, by site then path. */
enum rc wl_files(struct store *db, int64_t site_id, struct wl_file **out, size_t *n,
                 struct err *err);
void wl_files_free(struct wl_file *v, size_t n);

#endif
