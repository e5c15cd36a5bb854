/* crawl_int.h - what the files of src/crawl/ share (not for other modules).
 *
 *   crawl.c    the engine: runs, the scheduler loop on curl multi, parser threads
 *   fetch.c    one transfer: curl easy setup, callbacks, classification of the outcome
 *   frontier.c URLs of a run: scope, traps, session parameters, column matching
 *   robots.c   robots.txt (RFC 9309)
 *   writer.c   the storage thread: batched transactions, resume, 304 reloads
 *   queue.c    a mutex/condvar message queue between the threads
 *   query.c    reading runs, links and pages back (crawl_*_each)
 *   html.c, dates.c  extraction (public API in crawl.h)
 *
 * Threads and ownership: the engine thread owns runs, hosts, jobs and URL entries
 * (`struct uent`).  A uent is handed to the writer in messages; fields the writer reads
 * are never changed after the message is queued, and `db_id` is written and read only by
 * the writer.  Everything is freed by the engine after the threads are joined.
 */
#ifndef CRAWL_CRAWL_INT_H
#define CRAWL_CRAWL_INT_H

#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/charset.h"
#include "core/map.h"
#include "core/vec.h"
#include "crawl/crawl.h"

/* ---------------------------------------------------------------- robots --- */

struct robots;
/* Parse a robots.txt for product token `agent` ("govsite"). Never fails. */
struct robots *robots_parse(const char *txt, size_t n, const char *agent);
struct robots *robots_disallow_all(void);
void robots_free(struct robots *r);
/* `path` is the path and query of a normalised URL ("/a/b?c=d"). NULL robots allows. */
bool robots_allowed(const struct robots *r, const char *path);
int robots_delay_ms(const struct robots *r); /* Crawl-delay, -1 when none */

/* ----------------------------------------------------------------- queue --- */

struct qnode {
    struct qnode *next;
};
struct queue {
    pthread_mutex_t mu;
    pthread_cond_t cv;
    struct qnode *head, *tail;
    size_t n;
    bool closed;
};
void queue_init(struct queue *q);
void queue_destroy(struct queue *q);
void queue_push(struct queue *q, struct qnode *x);
/* Wait for an item (or until closed and empty: NULL). */
struct qnode *queue_pop(struct queue *q);
/* Take everything now (NULL when empty); the list keeps its order. */
struct qnode *queue_take_all(struct queue *q);
/* One item if there is one (never waits). */
struct qnode *queue_try_pop(struct queue *q);
/* The same, waiting up to `ms` milliseconds for something to arrive. */
struct qnode *queue_take_all_wait(struct queue *q, int ms);
bool queue_closed(struct queue *q);
void queue_close(struct queue *q);
size_t queue_len(struct queue *q);

/* ------------------------------------------------------------- entries --- */

#define LINK_ROWS 64 /* rows per multi-row INSERT */

enum wkind { W_URL_NEW, W_URL_DONE, W_PAGE, W_RELOAD, W_RUN_END };

struct run;
struct uent;
struct page_result;

/* A message to the writer.  URL and page messages live inside their entry or page
 * result (`embedded`), so the hot path allocates nothing. */
struct wmsg {
    struct qnode q;
    enum wkind kind;
    bool embedded;           /* not freed by the writer */
    struct uent *ent;
    struct run *run;
    struct page_result *page;
    struct crawl_stats *st;  /* W_RUN_END (owned) */
    char *note;              /* W_RUN_END (owned) */
};

enum scope { SCOPE_PAGE, SCOPE_CHECK };

enum result {
    RES_NONE, RES_OK, RES_BROKEN, RES_WAF, RES_DNS, RES_TIMEOUT, RES_ERROR, RES_ROBOTS, RES_TRAP, RES_UNCHECKED,
};
const char *result_name(enum result r);

struct run;
struct host;

/* One distinct URL of a run. */
struct uent {
    struct run *run;
    char *url;               /* normalised, owned */
    int64_t db_id;           /* writer thread only */
    int depth;
    enum scope scope;        /* as first queued (never changed: the writer reads it) */
    bool checked_only;       /* a page URL only checked (max_pages was reached) */
    bool queued;             /* a job exists or ran */
    bool done;
    bool in_db;              /* the writer has a row for it (resume) */
    /* the result, set once by the engine before the URL_DONE message */
    enum result result;
    int status;
    const char *error;       /* static short reason */
    char *detail;
    const char *method;
    char *final_url;
    char *redirects;         /* JSON array */
    char *content_type;
    int64_t size;
    bool truncated;
    char *etag, *last_modified;
    int64_t fetched_at;
    int64_t elapsed_ms;
    int attempts;
    /* conditional request data from the previous run */
    char *prev_etag, *prev_lm;
    int64_t prev_id;         /* previous run's crawl_urls.id, 0 when none */
    /* redirect into a URL the run already knows: the result follows that entry */
    struct uent *follows;
    struct uent *waiters;    /* entries following this one */
    struct uent *next_waiter;
    struct wmsg m_new, m_done; /* its two writer messages */
    /* engine only: grouping the links of the page being handled */
    uint64_t mark;           /* serial of the last page that linked here */
    size_t mark_idx;         /* its index in that page's plinks */
};

/* ---------------------------------------------------------------- runs --- */

struct colprefix {
    char *url;       /* a column's list URL */
    size_t dirlen;   /* length of its directory part */
    int64_t id;
};

struct run {
    int64_t id, site_id;
    char *name;
    char *start_url;
    char *host;              /* lower-case host of the start URL */
    int port;                /* explicit port or 0 */
    char *prefix;            /* path prefix of the scope */
    int max_pages, max_depth, per_host;
    double rate;
    bool ignore_robots;
    bool resumed;
    struct map urls;         /* url → struct uent * */
    struct map qvariants;    /* path → count of query strings seen */
    struct map prev;         /* url → struct prevpage * (previous run) */
    struct map article_hashes; /* text hash → 1 */
    VEC(struct colprefix) cols;
    int64_t pages_started;   /* page fetches started (max_pages counts these) */
    int64_t pending;         /* entries not done */
    int64_t inflight_pages;  /* parse or reload in progress */
    struct crawl_stats st;
    int64_t started_ms;
    bool finished;           /* RUN_END queued */
    bool failed;
    char note[200];
    const char *robots_mode; /* honoured|ignored|unreachable|absent */
    const struct crawl_opts *o;
};

struct prevpage {
    char *etag, *lm;
    int64_t id;
};

/* In scope: same host (either scheme, same explicit port) under the prefix, and the
 * include/exclude globs allow crawling it. */
bool frontier_in_scope(const struct run *r, const char *url);
/* An infinite-space trap (long URL, repeating path, too many query variants): the
 * reason, or NULL.  Counts the query variant. */
const char *frontier_trap(struct run *r, const char *url);
/* The explicit port of a URL ("http://h:8080/" → 8080), 0 when none. */
int frontier_port(const char *url);
/* Remove session parameters (jsessionid, PHPSESSID, sid...) in place; true if changed. */
bool frontier_strip_session(char *url);
/* A URL whose extension says it is not a page (pdf, doc, jpg, ...). */
bool frontier_is_file(const char *url);
/* The registered column a URL belongs to: list URL match first, then the longest
 * directory prefix.  0 when none. */
int64_t frontier_column(const struct run *r, const char *url, bool list_page);
/* The URL is a registered column's list page or one of its numbered pages. */
bool frontier_is_column_page(const struct run *r, const char *url);

/* ----------------------------------------------------------------- fetch --- */

enum job_kind { JOB_PAGE, JOB_CHECK, JOB_ROBOTS };

struct job {
    struct qnode q;          /* host queue link */
    enum job_kind kind;
    struct uent *ent;        /* NULL for robots jobs */
    struct run *run;
    struct host *host;
    char *url;               /* current URL (redirects change it) */
    bool head;
    int head_status;         /* the HEAD answer a GET is confirming (0 when none) */
    bool conditional;
    int attempt;             /* 0 = first */
    int hops;
    int64_t ready_ms;        /* not before (retries) */
    struct buf chain;        /* JSON objects of the hops, comma-separated */
    struct buf seen;         /* URLs of the chain, '\n'-separated (loop detection) */
    /* transfer state */
    void *easy;              /* CURL * */
    struct buf body;
    size_t cap;
    bool truncated, not_html, aborted_type;
    int status;
    char *ctype, *etag, *lm, *location, *retry_after, *server;
    unsigned waf_hints;      /* header hints of a firewall */
    int64_t started_ms;
    void *hdrs_owned;        /* struct curl_slist * of conditional headers */
    struct host *rhost;      /* robots jobs: the host whose robots.txt this is */
    struct job *next;        /* delayed list */
};

struct host {
    char *key;               /* scheme://host:port */
    char *name;              /* host */
    int port;
    bool https;
    int inflight;
    int limit;
    double interval_ms;
    int64_t next_ms;
    struct job *qh, *qt;     /* ready jobs */
    size_t qn;
    struct job *delayed;     /* retries waiting */
    int robots_state;        /* 0 unknown, 1 fetching, 2 ready */
    struct robots *robots;
    struct run *run;         /* the run whose settings apply (in-scope host), or NULL */
    void *connect_to;        /* struct curl_slist * */
    int head_agree;          /* HEAD errors a GET confirmed */
    bool head_lies;          /* a GET contradicted a HEAD: always confirm */
    bool active;             /* in the engine's active list */
    bool gate_held;          /* the shared budget (crawl_gate) granted us this host */
    bool gate_yield;         /* the slice is over: start nothing, release when drained */
    int64_t gate_at;         /* when it was granted (monotonic ms) */
    int64_t idle_ms;         /* when it last went idle */
    struct host *next_active;
};

/* Settings shared by every transfer. */
struct fetch_ctx {
    const struct crawl_opts *o;
    void *resolve;           /* struct curl_slist * */
    char *ua;
};

/* A curl handle with the options every transfer shares (NULL when curl cannot make one). */
void *fetch_easy_new(struct fetch_ctx *fc);
/* Prepare `easy` (from fetch_easy_new, used or not) for job j: URL, method, headers. */
void fetch_setup(struct fetch_ctx *fc, struct job *j, void *easy, void *headers_list);
/* Reset the per-transfer state of a job before (re)starting it. */
void fetch_job_reset(struct job *j);
/* A firewall or bot wall: the status and headers or the body's challenge page. */
bool fetch_is_waf(const struct job *j);
/* Classify a curl result code into a result and a short reason. */
enum result fetch_error_result(int curlcode, const char **reason);
/* Retry-After in seconds (delta or HTTP date relative to now), -1 when absent/bad. */
int fetch_retry_after(const char *v, int64_t now);
/* Hints from a response header line (Set-Cookie: __jsluid, Server: yunjiasu ...). */
unsigned fetch_header_hints(const char *name, size_t nn, const char *val, size_t vn);
#define WAF_HINT_HEADER 1u    /* a firewall's header or cookie */
#define WAF_HINT_CHALLENGE 2u /* an explicit challenge (cf-mitigated: challenge) */

/* Log (at debug level) the CPU time the calling thread used, for tuning. */
void crawl__log_cpu(const char *who);

/* ---------------------------------------------------------------- writer --- */

struct page_link {
    struct uent *dst;
    const char *tag;
    const char *text;
    int n;
};

/* A parsed (or reloaded) page on its way to the engine and then to the writer. */
struct page_result {
    struct qnode q;
    struct uent *ent;
    struct arena a;
    struct html_page p;
    struct charset_result cs;
    char cs_used[24], cs_declared[24];
    bool reloaded;           /* from the previous run (304) */
    bool failed_reload;      /* nothing to reload: fetch again without conditions */
    int64_t column_id;
    bool article;            /* store as an article */
    bool is_home;
    struct page_link *plinks; /* targets grouped by (dst, tag), after the engine's pass */
    size_t nplinks, plinks_cap;
    struct wmsg msg;         /* its W_PAGE message */
};

struct writer {
    struct store *db;
    struct queue in;
    struct queue *results;   /* reloaded pages go back to the engine */
    void (*wake)(void *ctx); /* wakes the engine after a push to results */
    void *wake_ctx;
    const struct clk *clk;
    size_t text_cap;
    int keep_runs;
    pthread_t th;
    struct err err;          /* first storage error; the engine stops on it */
    struct queue *recycle;   /* stored page results go back to the parsers (may be NULL) */
    char *sql_links[LINK_ROWS + 1], *sql_items[LINK_ROWS + 1], *sql_urls[LINK_ROWS + 1];
    char *sql_done[LINK_ROWS + 1], *sql_pages[LINK_ROWS + 1], *sql_arts[LINK_ROWS + 1];
    /* stored pages and finished URLs whose rows go in the next multi-row statements
     * (writer.c flush_rows); the messages are released after them */
    struct wmsg *pend[LINK_ROWS];
    size_t npend, pend_max; /* PostgreSQL: LINK_ROWS; SQLite: 1 (no round trips to save,
                             * and held pages cost memory) */
    /* SQLite: WAL checkpoints run in their own thread on their own connection, so the
     * storage thread never copies the log back or waits for fsync (none on PostgreSQL) */
    struct store *ckpt_db;
    pthread_t ckpt_th;
    pthread_mutex_t ckpt_mu;
    pthread_cond_t ckpt_cv;
    int64_t ckpt_commits;    /* commits so far (under ckpt_mu, as the next three) */
    int64_t ckpt_done;       /* commits the last finished checkpoint covered */
    int64_t ckpt_log;        /* frames in the log after the last checkpoint */
    int ckpt_unwaited;       /* commits since the writer last waited for a checkpoint */
    bool ckpt_stop;
    _Atomic int failed;
    _Atomic int64_t pages_in_queue;
};

enum rc writer_start(struct writer *w, struct err *err);
void writer_send(struct writer *w, struct wmsg *m);
/* Close the queue, wait for the thread; returns the first storage error. */
enum rc writer_stop(struct writer *w, struct err *err);
void page_result_free(struct page_result *pr);
/* A page result to fill: a recycled one from `q` (may be NULL), else a new one. */
struct page_result *page_result_get(struct queue *q);

#endif
