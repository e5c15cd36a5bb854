/* feed.h - upstream feeds, the re-post (政声传递) check, the disclosure catalogue's
 * freshness, the interaction rule, rectification tasks and 民生在线 interviews.
 *
 * The seed bulletin's second section asks every unit to re-post the State Council's, the
 * province's and the city's policy information in a column named exactly 政声传递,
 * to keep its 政府信息公开目录 fresh, to answer messages, and to prepare the next
 * 民生在线 interview.  This module closes the loop: upstream items are pulled from their
 * sources, every unit's 政声传递 column (from the crawl) is matched against them, what is
 * missing or late becomes a finding (check.h), a finding becomes a rectification task,
 * and the next check closes the task.  docs/feeds.md is the long form.
 *
 * Storage: data/schema/0011_feed.sql (feed_sources, feed_items, tasks, task_findings,
 * task_rules, interviews).  Findings go through check.h sessions with the kinds
 * repost-missing, repost-late, repost-column-missing, repost-column-misnamed,
 * catalogue-stale (check_kinds[] in src/checks/check.c) and the existing
 * interaction-overdue / interaction-no-reply.
 *
 * Scheduled work.  The scheduler (src/jobs, `serve`) runs these plain functions as job
 * types (feed-pull, task-sweep, and inside check); each is safe to run at any time, takes
 * its own connection's `db`, and is idempotent (running twice in a row changes nothing
 * the second time):
 *     feed_pull(…, 0, …)     pull every enabled source (conditional GET)  — hourly
 *     feed_repost_check()    the re-post findings of every site           — after a pull
 *                                                                           or a crawl
 *     feed_catalogue_check() catalogue-stale findings of every site        — after a crawl
 *     feed_interaction_check() interaction findings from the work items    — daily
 *     task_sweep()           rules → tasks; tasks whose findings all resolved → closed
 *                                                                         — after checks
 * The CLI runs the same functions by hand (`feed pull`, `repost check`, `task sweep`).
 *
 * Threads: everything takes a struct store * used by one thread at a time; the tables
 * here are read-only.  Strings in returned structs are owned by the struct unless said.
 */
#ifndef FEED_FEED_H
#define FEED_FEED_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/clk.h"
#include "core/err.h"
#include "core/json.h"
#include "core/notes.h"
#include "store/store.h"

/* ---- sources ---------------------------------------------------------------------- */

enum feed_kind { FEED_AUTO, FEED_RSS, FEED_ATOM, FEED_HTML };
enum feed_level { FEED_NATIONAL, FEED_PROVINCE, FEED_CITY };
const char *feed_kind_name(enum feed_kind k);   /* "auto", "rss", "atom", "html" */
bool feed_kind_parse(const char *s, enum feed_kind *out);
const char *feed_level_name(enum feed_level l); /* "national", "province", "city" */
const char *feed_level_cn(enum feed_level l);   /* 国家, 省, 市 */
bool feed_level_parse(const char *s, enum feed_level *out); /* also 国家|省|市 */

#define FEED_WINDOW_DEFAULT 24 /* hours: the national 24-hour benchmark (domain.md §8) */
#define FEED_MAX_ITEMS 2000    /* items read from one fetch; more are counted as bad */
#define FEED_MAX_BODY (8u << 20) /* bytes of one fetch */

struct feed_source {
    int64_t id;
    char *name, *url;
    enum feed_kind kind;
    enum feed_level level;
    int window_hours;
    bool enabled;
    int64_t pulled_at; /* 0 = never */
    char *pull_status; /* ok|not-modified|error, NULL = never */
    char *pull_error;
    int64_t pull_items, pull_new, pull_bad;
    int64_t items; /* items kept */
};
void feed_source_release(struct feed_source *s);
void feed_sources_free(struct feed_source *v, size_t n);

/* Add a source.  name and url (http or https) required; window_hours 1..8760.
 * RC_CONFLICT when the name exists; RC_INVALID naming a bad URL or window. */
struct feed_source_new {
    const char *name, *url;
    enum feed_kind kind;
    enum feed_level level;
    int window_hours; /* 0 = FEED_WINDOW_DEFAULT */
};
enum rc feed_source_add(struct store *db, const struct clk *clk, const struct feed_source_new *n,
                        int64_t *id, struct err *err);
/* Change the window, level or enabled flag of a source (NULL/negative = unchanged). */
enum rc feed_source_set(struct store *db, const struct clk *clk, int64_t id, int window_hours,
                        const enum feed_level *level, const bool *enabled, struct err *err);
/* Remove a source and its items. */
enum rc feed_source_remove(struct store *db, int64_t id, struct err *err);
/* By name; RC_NOTFOUND naming it and `govsite feed list`. */
enum rc feed_source_lookup(struct store *db, const char *name, int64_t *id, struct err *err);
/* Every source, by name. */
enum rc feed_sources_list(struct store *db, struct feed_source **out, size_t *n, struct err *err);
void feed_source_json(struct jw *w, const struct feed_source *s, int tzoff);

/* ---- parsing ---------------------------------------------------------------------- */

/* One item as read from a feed.  Strings owned (feed_parsed_release). */
struct feed_item_in {
    char *title, *url, *doc_no; /* doc_no: 文号 from title or summary, or NULL */
    int64_t published;          /* 0 when the feed gave no usable time */
};
struct feed_parsed {
    enum feed_kind kind; /* what was recognised */
    struct feed_item_in *items;
    size_t n, cap;
    size_t bad;          /* items skipped (also noted in `bad` when given) */
    const char *charset; /* used to decode (static) */
};
/* Parse a fetched body.  kind FEED_AUTO recognises RSS 2.0 (<rss>, also RDF/RSS 1.0),
 * Atom (<feed>) and otherwise treats the body as an HTML list page (the crawler's list
 * extraction: dated link items of the main list).  Bytes in any charset: the HTTP
 * header's, else the XML declaration's or the HTML meta's, else detection (GBK
 * included).  Relative links resolve against base_url.  Dates: RFC 822 (RSS), RFC 3339
 * (Atom), the Chinese forms; without a zone, tzoff.  An item without a title or a link,
 * or beyond FEED_MAX_ITEMS, is skipped and noted in `bad` (may be NULL); never fatal.
 * RC_PARSE only when kind says RSS/Atom and the body is not that XML at all. */
enum rc feed_parse(const char *body, size_t n, const char *header_charset, const char *base_url,
                   enum feed_kind kind, int tzoff, struct feed_parsed *out, struct notes *bad,
                   struct err *err);
void feed_parsed_release(struct feed_parsed *p);

/* ---- pulling ---------------------------------------------------------------------- */

struct feed_pull_opts {
    int timeout_s;          /* one transfer (default 30) */
    const char *user_agent; /* NULL = "govsite/VERSION (feeds)" */
    const char *connect_to; /* HOST:PORT:CONNECT-HOST:CONNECT-PORT (curl --connect-to; an
                               empty HOST or PORT matches any), or NULL: the demo sends
                               every feed to its loopback server this way */
    bool force;             /* no conditional GET */
};
struct feed_pull_result {
    int64_t source_id;
    const char *name; /* borrowed for the callback */
    int http_status;  /* 0 when none */
    bool not_modified;
    int items, new_items, bad;
    enum rc rc;       /* RC_OK, or why this source failed (its error is stored) */
    char error[ERR_MSG_MAX];
};
/* Pull one source (source_id) or every enabled one (0): conditional GET with the stored
 * ETag / Last-Modified, parse, upsert items (new ones get first_seen = now; a known item's
 * title and time are refreshed), record the pull's outcome on the source.  A failing
 * source does not stop the others: its error is recorded and reported to fn (may be
 * NULL).  Bad items go to `bad` prefixed with the source's name.  Returns RC_OK when
 * every source was pulled, else the first source's error code. */
enum rc feed_pull(struct store *db, const struct clk *clk, const struct feed_pull_opts *o,
                  int64_t source_id, void (*fn)(const struct feed_pull_result *r, void *ctx),
                  void *ctx, struct notes *bad, struct err *err);

/* Items kept.  Strings borrowed for the callback. */
struct feed_item {
    int64_t id, source_id;
    const char *source, *title, *url, *doc_no;
    enum feed_level level;
    int window_hours;
    int64_t published_at, first_seen;
    bool published_known;
};
/* Items of one source (0 = all) published in [from, to] (civil dates at tzoff, DATE_NONE =
 * open), newest first. */
enum rc feed_items_each(struct store *db, int64_t source_id, int32_t from, int32_t to, int tzoff,
                        int (*fn)(const struct feed_item *it, void *ctx), void *ctx,
                        struct err *err);
void feed_item_json(struct jw *w, const struct feed_item *it, int tzoff);

/* ---- titles ----------------------------------------------------------------------- */

/* The normal form used to compare titles: full-width forms folded (utf8_fold), ASCII
 * lowered, re-post prefixes removed (转载, 转发, 转, 【转载】, [转发], 转载：..., also
 * repeated), a trailing source tag such as "（来源：中国政府网）" removed, and every
 * whitespace and punctuation character dropped.  Appends to out. */
void feed_title_norm(const char *s, size_t n, struct buf *out);
/* The first 文号 in s: ORGAN〔YEAR〕NUMBER号 with 〔〕, [], 【】, （）, () or ［］ around
 * the year ("国办发〔2017〕47号", "粤府函[2018]12号").  Appends the normal form
 * (brackets as 〔〕, digits ASCII, no spaces) to out; false when there is none. */
bool feed_doc_no(const char *s, size_t n, struct buf *out);
/* Sørensen–Dice coefficient over the character bigrams of two normalised titles
 * (multiset; a title of one character is its own bigram): 0..1. */
double feed_title_dice(const char *a, const char *b);

struct feed_match_opts {
    double threshold; /* minimum Dice for a title match (default 0.85) */
};
#define FEED_THRESHOLD_DEFAULT 0.85
/* Does a re-post (title b, 文号 docno_b) carry the upstream item (a, docno_a)?
 *   - both have a 文号: they must be equal (then it matches whatever the titles say);
 *   - else the normalised titles' Dice must reach the threshold, and the numbers in the
 *     titles (digits and Chinese numerals, 文号 removed) must agree: the shorter title's
 *     numbers all appear in the longer's, so "2018年…" never matches "2019年…" nor
 *     "第一季度" "第二季度".
 * *score (may be NULL) gets the Dice (1 for a 文号 match, 0 for a rejection). */
bool feed_title_match(const struct feed_match_opts *o, const char *a, const char *docno_a,
                      const char *b, const char *docno_b, double *score);

/* ---- the re-post matrix ----------------------------------------------------------- */

#define FEED_REPOST_COLUMN "政声传递" /* the name the seed requires */

enum feed_status { FEED_ON_TIME, FEED_LATE, FEED_MISSING, FEED_PENDING };
const char *feed_status_name(enum feed_status s); /* on_time, late, missing, pending */
const char *feed_status_cn(enum feed_status s);   /* 按时, 超时, 未转载, 待转载 */

struct feed_matrix_q {
    int32_t from, to;     /* upstream items published in [from, to]; DATE_NONE = open */
    int64_t as_of;        /* the moment judged; 0 = now */
    int64_t site_id;      /* 0 = every site in operation (正常运行) */
    int64_t unit_id;      /* 0 = all units (an editor's view passes theirs) */
    int64_t source_id;    /* 0 = all sources */
    bool include_pending; /* also items still inside their window and not re-posted */
    struct feed_match_opts match;
};
/* One cell: a site × an upstream item.  Strings point into the matrix's arena. */
struct feed_cell {
    int64_t site_id, unit_id, item_id;
    const char *site, *unit, *column; /* column: the 政声传递 column's path, or NULL */
    const char *item, *item_url, *source, *doc_no;
    int64_t published_at, due_at;
    enum feed_status status;
    const char *repost_url, *repost_title; /* NULL when missing */
    int64_t reposted_at;                   /* the earliest moment the re-post can have been
                                              made: its date at 00:00, not before the item */
    int64_t lag_s;                         /* reposted_at − published_at */
    double score;
};
struct feed_matrix;
/* Compute: for each site in scope (its 政声传递-class columns' list items and articles in
 * every stored crawl run) and each upstream item published by as_of, the earliest
 * matching re-post published by as_of.  A source whose URL's host is the site's own host
 * is not required of that site (the city portal does not re-post itself).  Rows are
 * ordered by unit, site, then item (newest first). */
enum rc feed_matrix_build(struct store *db, const struct clk *clk, const struct feed_matrix_q *q,
                          struct feed_matrix **out, struct err *err);
void feed_matrix_free(struct feed_matrix *m);
size_t feed_matrix_n(const struct feed_matrix *m);
const struct feed_cell *feed_matrix_cell(const struct feed_matrix *m, size_t i);
int64_t feed_matrix_as_of(const struct feed_matrix *m);
/* Counts per status over the matrix. */
void feed_matrix_counts(const struct feed_matrix *m, int counts[4]);
/* The contract of `repost matrix --json`: an array of {site, unit, item, status,
 * lag_hours (null when missing or pending; one decimal), column, item_url, source,
 * doc_no, published_at, due_at, repost_url, repost_title, reposted_at, score}. */
void feed_cell_json(struct jw *w, const struct feed_cell *c, int tzoff);
void feed_matrix_json(struct jw *w, const struct feed_matrix *m, int tzoff);

/* The re-post findings of one site (site_id) or every site in operation (0), as of now:
 * repost-column-missing (no column of class 政声传递), repost-column-misnamed (such a
 * column not named 政声传递; subject: its path), repost-missing and repost-late (one per
 * upstream item; value = lag hours for late).  One complete check session per site, so
 * a fixed problem is resolved. */
struct feed_check_tally {
    int sites, reported, opened, resolved;
};
enum rc feed_repost_check(struct store *db, const struct clk *clk, int64_t site_id,
                          const struct feed_match_opts *mo, struct feed_check_tally *t,
                          struct err *err);

/* ---- the disclosure catalogue (信息公开目录) ---------------------------------------- */

/* catalogue-stale findings: each registered column of class 信息公开目录 whose latest
 * dated item or article (every stored crawl run) is older than the column's freshness
 * limit, or which has none; value = days since the latest item.  One complete session
 * per site that has such columns (0 = every site in operation). */
enum rc feed_catalogue_check(struct store *db, const struct clk *clk, int64_t site_id,
                             struct feed_check_tally *t, struct err *err);
/* The bulletin's 附件 of stale catalogues: open catalogue-stale findings as of the end
 * of `as_of` (tzoff), one row per stale column with its unit.  Strings borrowed for the
 * callback; rows ordered by site, then column.  fn returns nonzero to stop. */
struct feed_stale_catalogue {
    int64_t unit_id;
    const char *unit, *site, *column;
    int32_t latest; /* DATE_NONE when the column has no dated item */
    int64_t days;   /* days without update (-1: no dated item) */
};
enum rc feed_stale_catalogues(struct store *db, int32_t as_of, int tzoff,
                              int (*fn)(const struct feed_stale_catalogue *r, void *ctx),
                              void *ctx, struct err *err);

/* ---- interaction (19号 veto 5(2) and the 互动交流 −3) --------------------------------- */

/* interaction-overdue (one per consultation or complaint left unanswered > 3 months in
 * the year before now) and interaction-no-reply (no reply in the 2 months before now,
 * when the site received messages in the last year) from the work items of each site
 * (0 = every site in operation), in one complete session per site; the verdict's facts
 * interaction_overdue / interaction_no_reply read them. */
enum rc feed_interaction_check(struct store *db, const struct clk *clk, int64_t site_id,
                               struct feed_check_tally *t, struct err *err);

/* ---- rectification tasks (整改任务) ------------------------------------------------- */

#define TASK_DUE_DAYS_DEFAULT 10 /* working days */

struct task {
    int64_t id, unit_id, site_id, rule_id;
    char *unit, *site, *description, *state, *created_by, *closed_by, *close_note;
    int32_t due;
    int64_t created_at, closed_at;
    bool overdue;       /* open and due before today */
    int64_t *findings;  /* finding ids */
    size_t nfindings;
    int open_findings;  /* of which still open */
};
void task_release(struct task *t);
void tasks_free(struct task *v, size_t n);

struct task_new {
    int64_t unit_id;           /* 0 = the findings' unit (all must share one) */
    int64_t site_id;           /* 0 = the findings' site, when they share one */
    const char *description;   /* NULL = made from the findings' summaries */
    int32_t due;               /* DATE_NONE = due_days working days from today */
    int due_days;              /* 0 = TASK_DUE_DAYS_DEFAULT */
    const int64_t *findings;
    size_t nfindings;
    const char *by;            /* required */
    int64_t rule_id;
};
/* Create a task.  RC_INVALID: no unit and no findings, findings of different units
 * without a unit given, an empty description without findings, a due date in the past;
 * RC_NOTFOUND naming a finding id that does not exist.  *id may be NULL. */
enum rc task_add(struct store *db, const struct clk *clk, const struct task_new *n, int64_t *id,
                 struct err *err);
/* Close by hand with a note (required).  RC_CONFLICT when already closed. */
enum rc task_close(struct store *db, const struct clk *clk, int64_t id, const char *note,
                   const char *by, struct err *err);
enum rc task_get(struct store *db, const struct clk *clk, int64_t id, struct task *out,
                 struct err *err);
struct task_query {
    int64_t unit_id;   /* 0 = all */
    const char *state; /* "open", "closed", "overdue", NULL = all */
};
enum rc task_list(struct store *db, const struct clk *clk, const struct task_query *q,
                  struct task **out, size_t *n, struct err *err);
/* {id, unit, site, description, due, state, overdue, created_at, created_by, closed_at,
 *  closed_by, close_note, rule, findings: [ids], open_findings} */
void task_json(struct jw *w, const struct task *t, int tzoff);

struct task_rule {
    int64_t id;
    char *kind, *created_by;
    int min_age_days, due_days;
    bool enabled;
    int64_t created_at, last_swept_at;
};
void task_rules_free(struct task_rule *v, size_t n);
/* "Every open finding of kind K first seen more than min_age_days ago becomes a task
 * (one per unit and site) due in due_days working days."  RC_INVALID for an unknown kind. */
enum rc task_rule_add(struct store *db, const struct clk *clk, const char *kind, int min_age_days,
                      int due_days, const char *by, int64_t *id, struct err *err);
enum rc task_rule_remove(struct store *db, int64_t id, struct err *err);
enum rc task_rules_list(struct store *db, struct task_rule **out, size_t *n, struct err *err);

struct task_sweep_tally {
    int created;      /* tasks created by rules */
    int findings;     /* findings put into them */
    int closed;       /* tasks closed because all their findings were resolved/dismissed */
};
/* The scheduler's job: close every open task whose findings are all resolved or
 * dismissed (closed_by "auto", note naming the findings), then apply each enabled rule
 * (a finding already in any task is not taken again). */
enum rc task_sweep(struct store *db, const struct clk *clk, struct task_sweep_tally *t,
                   struct err *err);

/* ---- 民生在线 interviews ----------------------------------------------------------- */

struct interview {
    int64_t id, unit_id;
    char *unit, *topic;
    int32_t day;
    int64_t created_at;
    char *created_by;
};
void interviews_free(struct interview *v, size_t n);
enum rc interview_add(struct store *db, const struct clk *clk, int64_t unit_id, int32_t day,
                      const char *topic, const char *by, int64_t *id, struct err *err);
enum rc interview_remove(struct store *db, int64_t id, struct err *err);
/* Interviews on or after `from` (DATE_NONE = all), by day. */
enum rc interview_list(struct store *db, int32_t from, struct interview **out, size_t *n,
                       struct err *err);
void interview_json(struct jw *w, const struct interview *iv);
void interview_release(struct interview *iv);
/* The next interview on or after `from` (interview_release it); RC_NOTFOUND (err
 * untouched) when none. */
enum rc interview_next(struct store *db, int32_t from, struct interview *out, struct err *err);

/* ---- the monthly bulletin (C API for src/report) ------------------------------------ */

/* The seed's sentence for the next interview after `from`:
 * "2019年1月份“民生在线”访谈的单位为市发改局，时间暂定为2019年1月18日。请市发改局做好
 * 各项准备工作。"  Appends to out; RC_NOTFOUND (err untouched) when none is scheduled. */
enum rc feed_bulletin_interview(struct store *db, int32_t from, struct buf *out, struct err *err);
/* The re-post paragraph for the items published in [from, to], judged as of the end of
 * `to`: how many items, the share re-posted on time, and the units with missing or late
 * re-posts ("市交通局未转载2条、超时转载1条"), plus the sites without a column named
 * 政声传递.  Appends to out. */
enum rc feed_bulletin_repost(struct store *db, const struct clk *clk, int32_t from, int32_t to,
                             struct buf *out, struct err *err);
/* Tasks overdue at the end of `as_of`, one sentence per unit
 * ("市卫计局有2项整改任务逾期未完成（最早应于2018年11月20日前完成）").  Appends nothing
 * when none is overdue. */
enum rc feed_bulletin_tasks(struct store *db, const struct clk *clk, int32_t as_of,
                            struct buf *out, struct err *err);

#endif
