/* crawl.h - govsite's crawler and link checker: the documented entry point of src/crawl/.
 *
 * What it does (docs/crawl.md has the long form):
 *   crawl_run() crawls registered sites politely with libcurl's multi interface, parses
 *   every HTML page with libxml2, checks every link it meets, and stores what it saw in
 *   the tables of data/schema/0003_crawl.sql: a run per site, every URL met (the frontier
 *   while queued, the link result once done), pages with their title, breadcrumb, date,
 *   47号 meta tags, visible text and list items, the links between them, and articles.
 *
 * Politeness: at most `per_host` transfers in flight and `rate` requests per second per
 *   host (2 and 2 by default; the site's own settings in the sites table win over the
 *   configuration, the command line over both); robots.txt is honoured unless the site is
 *   marked owned; the User-Agent names govsite and the office's contact URL.
 * Scope: a crawl follows links on the site's host under the home page's directory (or
 *   `prefix`), filtered by include/exclude globs, up to max_pages and max_depth (list
 *   pagination does not add depth).  Links elsewhere are checked with one request (HEAD,
 *   GET when HEAD is refused or lies) and never crawled.  Infinite URL spaces are cut:
 *   session parameters are dropped, and a path gets at most `max_query_variants` query
 *   strings, URLs longer than 2,000 bytes and paths repeating a segment are skipped as
 *   traps.
 * Results: each URL gets a result — ok, broken (HTTP status >= 400 or a network error:
 *   evidence is always stored), waf (a firewall or bot wall: 403/412/521 challenge pages,
 *   429 after the retries), dns (the host does not resolve), timeout, robots (disallowed,
 *   not fetched), trap (skipped as an infinite URL space) or unchecked (the crawl stopped
 *   first).
 * Storage: writes happen in one writer thread in batched transactions; every page is
 *   stored with its links and its URL's state in one transaction, so a crawl killed at
 *   any moment resumes (`resume`) from the queued URLs without losing what it stored.
 *
 * Threads: crawl_run uses the calling thread for the transfers, `parsers` threads for
 *   HTML, and one thread that owns `db` until crawl_run returns.
 */
#ifndef CRAWL_CRAWL_H
#define CRAWL_CRAWL_H

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/clk.h"
#include "core/conf.h"
#include "core/err.h"
#include "store/store.h"

/* ------------------------------------------------------------------ options --- */

/* Which options the command line set: they beat the site's own settings. */
#define CRAWL_SET_MAX_PAGES 1u
#define CRAWL_SET_MAX_DEPTH 2u
#define CRAWL_SET_PER_HOST 4u
#define CRAWL_SET_RATE 8u

struct crawl_stats;

/* A politeness budget shared with other processes (src/jobs/ implements it in the
 * database for `govsite worker`).  Before its first request to a host the engine asks
 * `acquire`; while it holds the host it applies its own per_host and rate limits, and
 * when the host goes idle (or the crawl ends) it calls `release` with how long the next
 * request must still wait (ms, for the rate), so whoever takes the host next keeps the
 * pace.  acquire returns true when the host is ours (*wait_ms: wait that long before the
 * first request) or false when another process holds it (*wait_ms: ask again then).
 * A host is held for at most `slice_ms` at a time (0 = until idle): then the engine lets
 * its transfers on that host finish, releases it and asks again, so another process
 * waiting for the host gets its turn (the gate decides who is next).
 * Both are called from crawl_run's transfer thread only.  Errors count as "not now". */
struct crawl_gate {
    bool (*acquire)(struct crawl_gate *g, const char *host, int64_t *wait_ms);
    void (*release)(struct crawl_gate *g, const char *host, int64_t wait_ms);
    int64_t slice_ms;
};

struct crawl_opts {
    int max_pages;          /* HTML pages parsed per site (default 20000) */
    int max_depth;          /* link hops from the home page (default 20) */
    int concurrency;        /* transfers in flight in all (default 16) */
    int per_host;           /* transfers in flight per host (default 2) */
    double rate;            /* requests per second per host (default 2; 0 = no limit) */
    int retries;            /* extra attempts after network errors, 429 and 503 (default 2) */
    int retry_max_s;        /* longest Retry-After or backoff honoured (default 30 s) */
    int connect_timeout_s;  /* default 10 */
    int timeout_s;          /* one whole transfer, default 30 */
    int max_redirects;      /* default 10 */
    int max_query_variants; /* query strings per path before it counts as a trap (100) */
    int keep_runs;          /* finished runs kept per site, older ones deleted (default 5) */
    int parsers;            /* HTML parser threads (0 = as many as CPUs, at most 4) */
    size_t body_cap;        /* bytes per body (default 10 MiB): longer ones are cut, flagged */
    size_t text_cap;        /* visible text stored per page (default 256 KiB) */
    bool check_external;    /* check links to other hosts (default true) */
    bool resume;            /* continue each site's unfinished run */
    char *user_agent;       /* owned; default "govsite/VERSION (+CONTACT)" */
    char *prefix;           /* path prefix of the scope, NULL = the home page's directory */
    char **include;         /* URL globs (* and ?): crawl only matching URLs; owned */
    size_t ninclude;
    char **exclude;         /* URL globs never crawled (still checked); owned */
    size_t nexclude;
    char **connect_to;      /* HOST:PORT:CONNECT-HOST:CONNECT-PORT; HOST may be *.suffix */
    size_t nconnect_to;
    char **resolve;         /* HOST:PORT:ADDRESS (curl --resolve) */
    size_t nresolve;
    unsigned set;           /* CRAWL_SET_* */
    const volatile sig_atomic_t *stop; /* non-zero: stop soon; the run is 'interrupted' */
    struct crawl_gate *gate; /* shared per-host budget across processes, or NULL */
    /* Called about twice a second and at the end of each run (may be NULL). */
    void (*progress)(const struct crawl_stats *st, void *ctx);
    void *progress_ctx;
};

/* Defaults (above). */
void crawl_opts_init(struct crawl_opts *o);
/* Apply the [crawl] section of the configuration (docs/crawl.md lists the keys); errors
 * name the key and where it was set. */
enum rc crawl_opts_conf(struct crawl_opts *o, const struct conf *c, struct err *err);
void crawl_opts_release(struct crawl_opts *o);
/* The curl CONNECT_TO entry ("HOST:PORT:CONNECT-HOST:CONNECT-PORT") the connect_to rules
 * give a URL's host, into out; false when no rule matches.  The availability probe maps
 * hosts as the crawl does with it. */
bool crawl_connect_to(const struct crawl_opts *o, const char *url, char *out, size_t n);
/* Append a string to one of the list options (include, exclude, connect_to, resolve). */
void crawl_opts_add(char ***list, size_t *n, const char *s);

/* ------------------------------------------------------------------- crawl --- */

/* One run's counters: the progress callback's argument and crawl_run's summary. */
struct crawl_stats {
    int64_t run_id;
    int64_t site_id;
    const char *site;       /* the site's name (borrowed for the callback's duration) */
    const char *state;      /* running|complete|interrupted|failed */
    int64_t pages;          /* HTML pages parsed */
    int64_t urls;           /* distinct URLs met */
    int64_t queued;         /* URLs waiting */
    int64_t requests;       /* HTTP requests made */
    int64_t links;          /* link rows stored */
    int64_t broken;         /* URLs broken, dns, timeout or error */
    int64_t waf;            /* URLs behind a firewall */
    int64_t errors;         /* network errors (retried or not) */
    int64_t bytes;          /* body bytes received */
    int64_t elapsed_ms;
    bool limited;           /* max_pages was reached */
    bool done;
    char note[200];         /* why a run failed or was cut short ("" when none) */
};

/* Crawl the given sites (concurrently: politeness is per host) and store the runs.
 * `out` receives one summary per site, in order (may be NULL).  Returns RC_OK when every
 * run was stored (a site that failed to answer still has a complete run with the
 * evidence), RC_INTERRUPTED when *o->stop was set, RC_CONFLICT when `resume` finds the
 * run still running in another live process, or the first storage error. */
enum rc crawl_run(struct store *db, const int64_t *site_ids, size_t n, const struct crawl_opts *o,
                  const struct clk *clk, struct crawl_stats *out, struct err *err);

/* ----------------------------------------------------------------- queries --- */

/* The site's latest run (any state): RC_NOTFOUND naming the site when it has none. */
enum rc crawl_latest_run(struct store *db, int64_t site_id, int64_t *run_id, struct err *err);

/* A link and its target's result, as `govsite links` prints it. Borrowed strings. */
struct crawl_link_row {
    const char *source;     /* page URL */
    const char *target;     /* normalised target URL */
    const char *tag;        /* a, img, script, ... */
    const char *text;       /* anchor text or NULL */
    int64_t n;              /* occurrences on the source page */
    const char *result;     /* ok|broken|waf|dns|timeout|error|robots|trap|unchecked */
    int status;             /* final HTTP status, 0 when none */
    const char *error;      /* short reason or NULL */
    const char *detail;     /* longer message or NULL */
    const char *final_url;  /* after redirects, or NULL */
    const char *redirects;  /* JSON array of hops, or NULL */
    bool internal;          /* the target is inside the crawl's scope */
};
#define CRAWL_LINKS_BROKEN 1u   /* only links whose target is broken/dns/timeout/error */
/* Calls fn for each link of the run, ordered by source then target. */
enum rc crawl_links_each(struct store *db, int64_t run_id, unsigned flags,
                         void (*fn)(const struct crawl_link_row *r, void *ctx), void *ctx,
                         struct err *err);
/* True when a result counts as broken (broken, dns, timeout, error). */
bool crawl_result_broken(const char *result);

/* A parsed page as `govsite pages` prints it. Borrowed strings. */
struct crawl_page_row {
    const char *url;
    const char *final_url;  /* NULL when the same */
    int status;
    const char *content_type;
    const char *charset;
    const char *title;
    const char *date;       /* YYYY-MM-DD or NULL */
    const char *breadcrumb; /* "首页>政务公开>通知公告" or NULL */
    const char *column;     /* registered column path, or NULL */
    bool is_list;
    bool is_article;
    int64_t items;          /* dated items in the main list */
    const char *latest;     /* latest item date or NULL */
    int64_t size;
    bool truncated;
    bool not_modified;
};
enum rc crawl_pages_each(struct store *db, int64_t run_id,
                         void (*fn)(const struct crawl_page_row *r, void *ctx), void *ctx,
                         struct err *err);

/* ------------------------------------------------------- HTML extraction --- */

/* A date found in text: the civil date, where it starts and how long it is. */
struct html_date {
    int32_t day;
    size_t pos, len;
    bool has_time;
};
/* The first standalone full date in s[0..n) (see dates.c for the forms). */
bool html_date_find(const char *s, size_t n, struct html_date *out);
/* The date after a label.  Strong labels (发布时间, 发布日期, 发表时间, ...) anywhere; weak
 * ones (日期, 时间, 更新时间, 成文日期, ...) anywhere with HTML_LABEL_WEAK, or only on an
 * article's information line (one that also says 来源, 作者, 浏览, ...) with
 * HTML_LABEL_INFO.  The earliest hit of the strongest kind wins. */
#define HTML_LABEL_STRONG 1u
#define HTML_LABEL_WEAK 2u
#define HTML_LABEL_INFO 4u
bool html_date_labelled(const char *s, size_t n, unsigned mode, struct html_date *out);
/* A whole value that is a date, with or without a time ("2018-11-30 12:37"). */
bool html_date_parse(const char *s, size_t n, int32_t *day);
/* A day and a year-month given apart ("24" and "2025-06"), as list items do. */
bool html_date_split(const char *s, size_t n, int32_t *day);
/* A month and day without a year ("06-30", "6月30日"), as home pages show them. */
bool html_date_month_day(const char *s, size_t n, int *month, int *day);
/* A date in an article URL (t20181130_1.html, /2018/11/30/). */
bool html_date_from_url(const char *url, int32_t *day);

/* Where a page's publication date came from, strongest first: a labelled line
 * (发布时间：...), the PubDate meta tag, the article's URL, a short line under the title. */
enum html_date_src { HTML_DATE_NONE, HTML_DATE_LABEL, HTML_DATE_META, HTML_DATE_URL, HTML_DATE_TEXT };
const char *html_date_src_name(enum html_date_src s); /* "label", "meta", "url", "text", NULL */

struct html_link {
    const char *url;        /* resolved and normalised; NULL for non-http links */
    const char *tag;        /* a, area, iframe, frame, img, script, link, source, embed, meta */
    const char *text;       /* anchor text (img: alt), whitespace collapsed, capped; or NULL */
    int kind;               /* enum url_kind of the href */
    bool pagination;        /* a list page's next/numbered page */
};

struct html_item {
    const char *url;
    const char *title;
    int32_t day;
    bool pinned;            /* 置顶 */
    bool main;              /* part of the page's main list */
};

/* Everything extracted from one page; all strings live in the arena given to html_extract. */
struct html_page {
    const char *title;      /* <title>, whitespace collapsed */
    const char *base;       /* the URL links were resolved against (<base href> applied) */
    const char *canonical;  /* <link rel=canonical>, resolved */
    const char *breadcrumb; /* "首页>政务公开>通知公告" (当前位置/您的位置 ...), or NULL */
    /* The 47号 (国办发〔2017〕47号) meta tags. */
    const char *site_name, *site_code, *column_name, *article_title, *pub_date, *content_source;
    const char *text;       /* visible text, NUL-terminated; blocks separated by '\n' */
    size_t text_len;
    uint64_t text_hash;
    int32_t date;           /* publication date, DATE_NONE when none */
    enum html_date_src date_src;
    struct html_link *links;
    size_t nlinks;
    struct html_item *items; /* dated link items, main list first */
    size_t nitems;
    size_t nmain;           /* items[0..nmain) are the main list */
    int32_t latest;         /* latest date in the main list (DATE_NONE) */
    int32_t latest_any;     /* latest date of any item */
    const char *next_page;  /* pagination: the next list page, or NULL */
    bool is_list;
    bool is_article;
    bool nofollow;          /* <meta name=robots content=nofollow> */
    bool noindex;
};

/* What one thread keeps between the pages it parses: resolved links (at most
 * `max_entries`, then the cache starts over), the parser context and scratch buffers.
 * One per thread; html_ctx_free is NULL-safe. */
struct html_ctx;
struct html_ctx *html_ctx_new(size_t max_entries);
void html_ctx_free(struct html_ctx *c);

/* Extract a page.  `utf8` is the page decoded to UTF-8 (core/charset.h), `url` its final
 * URL; `ctx` may be NULL (slower).  Never fails: hostile or broken HTML gives whatever
 * could be recovered.  At most `max_links` links are kept (0 = 20000). */
void html_extract(struct arena *a, const char *utf8, size_t n, const char *url,
                  struct html_ctx *ctx, size_t max_links, struct html_page *out);

#endif
