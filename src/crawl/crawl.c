/* crawl.c - the crawl engine (crawl.h, crawl_int.h).
 *
 * The calling thread runs the scheduler over one curl multi handle: per-host queues with
 * a connection limit and a minimum interval between request starts, robots.txt fetched
 * before anything else on a crawled host, retries parked until their time.  Finished
 * HTML bodies go to the parser threads; their results come back here, where the links
 * become new entries (depth, scope, traps decided here, in one thread), and then go to
 * the writer thread with everything the page's transaction needs.
 */
#include <curl/curl.h>
#include <libxml/parser.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "core/date.h"
#include "core/esc.h"
#include "core/log.h"
#include "core/str.h"
#include "core/url.h"
#include "core/xalloc.h"
#include "crawl/crawl_int.h"
#include "store/store.h"

#define PAGE_CHECK_CAP (256 * 1024) /* body kept when a check falls back to GET */
#define HEAD_TRUST 5                /* HEAD 404s a GET confirmed before HEAD alone is trusted */
#define PROGRESS_MS 500
#define PARSER_NICE 5

const char *result_name(enum result r)
{
    static const char *const names[] = { NULL,    "ok",    "broken", "waf",   "dns",
                                         "timeout", "error", "robots", "trap", "unchecked" };
    return (unsigned)r < sizeof(names) / sizeof(names[0]) ? names[r] : NULL;
}

void crawl__log_cpu(const char *who)
{
    if (log_get_level() > LOG_DEBUG)
        return;
    struct timespec ts;
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
    log_debug("crawl: %s thread used %.2f s of CPU", who,
              (double)ts.tv_sec + (double)ts.tv_nsec / 1e9);
}

bool crawl_result_broken(const char *r)
{
    return r && (!strcmp(r, "broken") || !strcmp(r, "dns") || !strcmp(r, "timeout") ||
                 !strcmp(r, "error"));
}

struct parse_job {
    struct qnode q;
    struct uent *ent;
    char *url;
    struct buf body;
    char charset[40];
};

struct engine {
    const struct crawl_opts *o;
    const struct clk *clk;
    struct store *db;
    CURLM *multi;
    struct fetch_ctx fc;
    struct curl_slist *base_hdrs;
    struct map hosts;             /* key → struct host * */
    struct host *active;          /* hosts with queued or delayed jobs */
    VEC(struct run *) runs;
    VEC(struct job *) live;       /* transfers in flight */
    VEC(void *) pool;             /* idle easy handles */
    int inflight;
    struct queue parse_in;
    struct queue spent; /* parse jobs done with, freed by the engine that allocated them */
    struct queue results;
    struct queue recycle;         /* stored page results, for the parsers to reuse */
    pthread_t *parsers;
    int nparsers;
    int64_t outstanding;          /* parse jobs and reloads not back yet */
    uint64_t page_serial;         /* pages handled (link grouping) */
    _Atomic int64_t outstanding_bytes; /* bodies waiting for or in the parsers */
    _Atomic int idle;             /* the engine waits with nothing in flight */
    int epfd;                     /* epoll over curl's sockets and evfd */
    int evfd;                     /* eventfd: other threads wake the loop */
    int64_t curl_timer_at;        /* when curl wants to be called (-1: never) */
    struct writer w;
    bool writer_on;
    bool stopping;
    int64_t last_progress;
    int64_t gate_swept;           /* last gate_sweep */
    char hostname[128];
};

/* ------------------------------------------------------------- helpers --- */

static int64_t now_ms(void)
{
    return clk_mono_ms();
}

static void wake(void *ctx)
{
    struct engine *e = ctx;
    uint64_t one = 1;
    if (write(e->evfd, &one, sizeof(one)) < 0) {
        /* the counter is full: the loop is being woken anyway */
    }
}

/* curl's socket callback: keep epoll in step with the sockets curl wants watched. */
static int on_socket(CURL *easy, curl_socket_t s, int what, void *userp, void *socketp)
{
    (void)easy;
    struct engine *e = userp;
    if (what == CURL_POLL_REMOVE) {
        epoll_ctl(e->epfd, EPOLL_CTL_DEL, s, NULL);
        return 0;
    }
    struct epoll_event ev;
    memset(&ev, 0, sizeof(ev));
    ev.events = ((what & CURL_POLL_IN) ? EPOLLIN : 0u) | ((what & CURL_POLL_OUT) ? EPOLLOUT : 0u);
    ev.data.fd = s;
    if (epoll_ctl(e->epfd, socketp ? EPOLL_CTL_MOD : EPOLL_CTL_ADD, s, &ev) != 0)
        epoll_ctl(e->epfd, socketp ? EPOLL_CTL_ADD : EPOLL_CTL_MOD, s, &ev);
    if (!socketp)
        curl_multi_assign(e->multi, s, (void *)1);
    return 0;
}

static int on_timer(CURLM *multi, long timeout_ms, void *userp)
{
    (void)multi;
    struct engine *e = userp;
    e->curl_timer_at = timeout_ms < 0 ? -1 : clk_mono_ms() + timeout_ms;
    return 0;
}

static void send_msg(struct engine *e, enum wkind k, struct uent *ent, struct page_result *pr)
{
    struct wmsg *m;
    if (k == W_URL_NEW)
        m = &ent->m_new;
    else if (k == W_URL_DONE)
        m = &ent->m_done;
    else if (k == W_PAGE)
        m = &pr->msg;
    else
        m = xcalloc(1, sizeof(*m));
    m->embedded = k == W_URL_NEW || k == W_URL_DONE || k == W_PAGE;
    m->kind = k;
    m->ent = ent;
    m->page = pr;
    m->run = ent ? ent->run : NULL;
    writer_send(&e->w, m);
}

static char *host_key(const char *url, char *name, size_t nsz, int *port, bool *https)
{
    *https = !ascii_ncasecmp(url, "https:", 6);
    if (!url_host(url, name, nsz))
        return NULL;
    *port = frontier_port(url);
    if (*port <= 0 || *port > 65535)
        *port = *https ? 443 : 80;
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s://%s:%d", *https ? "https" : "http", name, *port);
    return buf_take(&b);
}

/* HOST may be "*.suffix" or "" (any host); PORT may be "" (any port). */
static bool connect_rule_matches(const char *rule, const char *host, int port, char *out,
                                 size_t outsz)
{
    const char *c1 = strchr(rule, ':');
    if (!c1)
        return false;
    const char *c2 = strchr(c1 + 1, ':');
    if (!c2)
        return false;
    size_t hl = (size_t)(c1 - rule);
    bool hit;
    if (hl == 0)
        hit = true;
    else if (hl > 2 && rule[0] == '*' && rule[1] == '.') {
        size_t sl = hl - 1, nl = strlen(host); /* ".suffix" */
        hit = nl > sl && !ascii_ncasecmp(host + nl - sl, rule + 1, sl);
    } else
        hit = strlen(host) == hl && !ascii_ncasecmp(host, rule, hl);
    if (!hit)
        return false;
    if (c2 > c1 + 1) {
        int p;
        if (!str_to_int((struct str){ c1 + 1, (size_t)(c2 - c1 - 1) }, 1, 65535, &p) || p != port)
            return false;
    }
    snprintf(out, outsz, "%s:%d:%s", host, port, c2 + 1);
    return true;
}

bool crawl_connect_to(const struct crawl_opts *o, const char *url, char *out, size_t n)
{
    char name[256];
    int port;
    bool https;
    char *key = host_key(url, name, sizeof(name), &port, &https);
    if (!key)
        return false;
    free(key);
    for (size_t i = 0; i < o->nconnect_to; i++)
        if (connect_rule_matches(o->connect_to[i], name, port, out, n))
            return true;
    return false;
}

static struct host *host_get(struct engine *e, const char *url, struct run *run)
{
    char name[256];
    int port;
    bool https;
    char *key = host_key(url, name, sizeof(name), &port, &https);
    if (!key)
        return NULL;
    struct host *h = map_gets(&e->hosts, key);
    if (h) {
        free(key);
        return h;
    }
    h = XNEW(struct host);
    h->key = key;
    h->name = xstrdup(name);
    h->port = port;
    h->https = https;
    /* an in-scope host takes its run's politeness; others the defaults */
    struct run *owner = NULL;
    if (run && !strcmp(name, run->host))
        owner = run;
    for (size_t i = 0; !owner && i < e->runs.n; i++)
        if (!strcmp(name, e->runs.v[i]->host))
            owner = e->runs.v[i];
    h->run = owner;
    h->limit = owner ? owner->per_host : e->o->per_host;
    double rate = owner ? owner->rate : e->o->rate;
    h->interval_ms = rate > 0 ? 1000.0 / rate : 0;
    h->robots_state = owner && !owner->ignore_robots ? 0 : 2;
    for (size_t i = 0; i < e->o->nconnect_to; i++) {
        char rule[512];
        if (connect_rule_matches(e->o->connect_to[i], name, port, rule, sizeof(rule))) {
            h->connect_to = curl_slist_append(NULL, rule);
            break;
        }
    }
    map_puts(&e->hosts, key, h);
    return h;
}

/* Give the host back to the shared budget (crawl_gate), with the wait the rate asks. */
static void gate_release(struct engine *e, struct host *h, int64_t now)
{
    if (!h->gate_held)
        return;
    h->gate_held = false;
    h->gate_yield = false;
    e->o->gate->release(e->o->gate, h->name, h->next_ms > now ? h->next_ms - now : 0);
}

static void host_activate(struct engine *e, struct host *h)
{
    if (h->active)
        return;
    h->active = true;
    h->next_active = e->active;
    e->active = h;
}

static void host_push(struct engine *e, struct host *h, struct job *j, bool front)
{
    j->host = h;
    j->q.next = NULL;
    if (front) {
        j->q.next = h->qh ? &h->qh->q : NULL;
        h->qh = j;
        if (!h->qt)
            h->qt = j;
    } else {
        if (h->qt)
            h->qt->q.next = &j->q;
        else
            h->qh = j;
        h->qt = j;
    }
    h->qn++;
    host_activate(e, h);
}

static struct job *host_pop(struct host *h)
{
    struct job *j = h->qh;
    if (!j)
        return NULL;
    h->qh = j->q.next ? (struct job *)j->q.next : NULL;
    if (!h->qh)
        h->qt = NULL;
    h->qn--;
    j->q.next = NULL;
    return j;
}

static void job_free(struct job *j)
{
    if (!j)
        return;
    fetch_job_reset(j);
    buf_release(&j->body);
    buf_release(&j->chain);
    buf_release(&j->seen);
    free(j->url);
    free(j);
}

static void free_parse_job(struct qnode *q)
{
    struct parse_job *pj = (struct parse_job *)q;
    buf_release(&pj->body);
    free(pj->url);
    free(pj);
}

/* A parse job: one the parsers are done with, else a new one.  The parsers hand theirs
 * back (queue spent) rather than free them: the body and URL were allocated here, and
 * freeing them here keeps the threads off each other's malloc arenas. */
static struct parse_job *parse_job_new(struct engine *e)
{
    struct qnode *q = queue_take_all(&e->spent);
    struct parse_job *pj = (struct parse_job *)q;
    if (!pj)
        return xcalloc(1, sizeof(*pj));
    for (q = q->next; q;) {
        struct qnode *next = q->next;
        free_parse_job(q);
        q = next;
    }
    buf_release(&pj->body);
    free(pj->url);
    memset(pj, 0, sizeof(*pj));
    return pj;
}

static struct job *job_new(struct engine *e, enum job_kind k, struct run *run, struct uent *ent,
                           const char *url)
{
    struct job *j = XNEW(struct job);
    j->kind = k;
    j->run = run;
    j->ent = ent;
    j->url = xstrdup(url);
    j->head = k == JOB_CHECK;
    j->cap = k == JOB_PAGE ? e->o->body_cap : k == JOB_ROBOTS ? 512 * 1024 : PAGE_CHECK_CAP;
    buf_adds(&j->seen, "\n");
    buf_adds(&j->seen, url);
    buf_adds(&j->seen, "\n");
    return j;
}

/* ------------------------------------------------------------- entries --- */

static bool is_broken(enum result r)
{
    return r == RES_BROKEN || r == RES_DNS || r == RES_TIMEOUT || r == RES_ERROR;
}

static void ent_done(struct engine *e, struct uent *x, bool send);

/* Give entry `w` (which redirected into `t`) t's result. */
static void follower_resolve(struct engine *e, struct uent *w, struct uent *t)
{
    w->result = t->result;
    w->status = t->status;
    w->error = t->error;
    free(w->detail);
    w->detail = t->detail ? xstrdup(t->detail) : NULL;
    free(w->final_url);
    w->final_url = xstrdup(t->final_url ? t->final_url : t->url);
    free(w->content_type);
    w->content_type = t->content_type ? xstrdup(t->content_type) : NULL;
    w->size = t->size;
    w->truncated = t->truncated;
    if (t->redirects && w->redirects) {
        /* "[a]" + "[b,c]" → "[a,b,c]" */
        size_t wl = strlen(w->redirects);
        struct buf b = BUF_INIT;
        buf_add(&b, w->redirects, wl - 1);
        buf_addc(&b, ',');
        buf_adds(&b, t->redirects + 1);
        free(w->redirects);
        w->redirects = buf_take(&b);
    }
    ent_done(e, w, true);
}

static void ent_done(struct engine *e, struct uent *x, bool send)
{
    if (x->done)
        return;
    x->done = true;
    struct run *r = x->run;
    r->pending--;
    if (is_broken(x->result))
        r->st.broken++;
    else if (x->result == RES_WAF)
        r->st.waf++;
    if (send)
        send_msg(e, W_URL_DONE, x, NULL);
    struct uent *w = x->waiters;
    x->waiters = NULL;
    while (w) {
        struct uent *next = w->next_waiter;
        w->next_waiter = NULL;
        follower_resolve(e, w, x);
        w = next;
    }
}

static void ent_follow(struct engine *e, struct uent *w, struct uent *t, const struct buf *chain)
{
    free(w->redirects);
    struct buf b = BUF_INIT;
    buf_addc(&b, '[');
    buf_addbuf(&b, chain);
    buf_addc(&b, ']');
    w->redirects = buf_take(&b);
    w->follows = t;
    if (t->done) {
        follower_resolve(e, w, t);
        return;
    }
    w->next_waiter = t->waiters;
    t->waiters = w;
}

/* Finish an entry without a request (trap, robots, unchecked, .invalid). */
static void ent_skip(struct engine *e, struct uent *x, enum result res, const char *error,
                     const char *detail)
{
    x->result = res;
    x->error = error;
    free(x->detail);
    x->detail = detail ? xstrdup(detail) : NULL;
    x->fetched_at = clk_now(e->clk);
    ent_done(e, x, true);
}

static struct uent *ent_new(struct engine *e, struct run *r, const char *url, int depth,
                            enum scope scope)
{
    struct uent *x = XNEW(struct uent);
    x->run = r;
    x->url = xstrdup(url);
    x->depth = depth;
    x->scope = scope;
    struct prevpage *pp = map_gets(&r->prev, url);
    if (pp) {
        x->prev_etag = pp->etag;
        x->prev_lm = pp->lm;
        x->prev_id = pp->id;
    }
    map_puts(&r->urls, url, x);
    r->pending++;
    r->st.urls++;
    send_msg(e, W_URL_NEW, x, NULL);
    return x;
}

static void ent_enqueue(struct engine *e, struct uent *x)
{
    struct run *r = x->run;
    x->queued = true;
    struct host *h = host_get(e, x->url, r);
    if (!h) {
        ent_skip(e, x, RES_ERROR, "bad-url", "the URL has no host");
        return;
    }
    struct job *j = job_new(e, x->scope == SCOPE_PAGE ? JOB_PAGE : JOB_CHECK, r, x, x->url);
    host_push(e, h, j, false);
}

static bool same_host(const struct run *r, const char *url)
{
    char h[256];
    return url_host(url, h, sizeof(h)) && !strcmp(h, r->host);
}

/* A URL met on a page (or the start URL): find or create its entry and queue it. */
static struct uent *ent_add(struct engine *e, struct run *r, const char *url, int depth,
                            bool crawlable)
{
    struct uent *x = map_gets(&r->urls, url);
    if (x)
        return x;
    bool in = frontier_in_scope(r, url);
    enum scope scope = crawlable && in && !frontier_is_file(url) && depth <= r->max_depth
                           ? SCOPE_PAGE
                           : SCOPE_CHECK;
    x = ent_new(e, r, url, depth, scope);
    const char *trap = scope == SCOPE_PAGE ? frontier_trap(r, url) : NULL;
    if (trap)
        ent_skip(e, x, RES_TRAP, "trap", trap);
    else if (!in && !e->o->check_external && !same_host(r, url))
        ent_skip(e, x, RES_UNCHECKED, NULL, "links to other sites are not checked (check_external)");
    else
        ent_enqueue(e, x);
    return x;
}

/* -------------------------------------------------------------- fetching --- */

/* Copy what the transfer learnt into the entry. */
static void ent_fill(struct engine *e, struct uent *x, const struct job *j)
{
    x->status = j->status;
    x->method = j->head ? "HEAD" : "GET";
    if (j->hops > 0) {
        free(x->final_url);
        x->final_url = xstrdup(j->url);
        struct buf b = BUF_INIT;
        buf_addc(&b, '[');
        buf_addbuf(&b, &j->chain);
        buf_addc(&b, ']');
        free(x->redirects);
        x->redirects = buf_take(&b);
    }
    free(x->content_type);
    x->content_type = j->ctype ? xstrdup(j->ctype) : NULL;
    x->size = (int64_t)j->body.n;
    x->truncated = j->truncated;
    free(x->etag);
    free(x->last_modified);
    x->etag = j->etag ? xstrdup(j->etag) : NULL;
    x->last_modified = j->lm ? xstrdup(j->lm) : NULL;
    x->fetched_at = clk_now(e->clk);
    x->elapsed_ms = j->started_ms ? now_ms() - j->started_ms : 0;
    x->attempts = j->attempt + 1;
}

static void job_finish(struct engine *e, struct job *j, enum result res, const char *error,
                       const char *detail)
{
    struct uent *x = j->ent;
    x->result = res;
    x->error = error;
    free(x->detail);
    x->detail = detail ? xstrdup(detail) : NULL;
    ent_fill(e, x, j);
    job_free(j);
    ent_done(e, x, true);
}

static void release_easy(struct engine *e, struct job *j)
{
    if (!j->easy)
        return;
    curl_multi_remove_handle(e->multi, j->easy);
    vec_push(&e->pool, j->easy);
    j->easy = NULL;
    for (size_t i = 0; i < e->live.n; i++)
        if (e->live.v[i] == j) {
            e->live.v[i] = e->live.v[--e->live.n];
            break;
        }
}

static void start_transfer(struct engine *e, struct job *j)
{
    void *easy = e->pool.n ? e->pool.v[--e->pool.n] : fetch_easy_new(&e->fc);
    fetch_job_reset(j);
    struct curl_slist *hdrs = e->base_hdrs;
    j->conditional = false;
    if (j->kind == JOB_PAGE && j->ent && j->ent->prev_id && j->hops == 0 &&
        (j->ent->prev_etag || j->ent->prev_lm)) {
        struct curl_slist *l = NULL;
        for (struct curl_slist *b = e->base_hdrs; b; b = b->next)
            l = curl_slist_append(l, b->data);
        struct buf h = BUF_INIT;
        if (j->ent->prev_etag) {
            buf_addf(&h, "If-None-Match: %s", j->ent->prev_etag);
            l = curl_slist_append(l, buf_cstr(&h));
        }
        if (j->ent->prev_lm) {
            buf_reset(&h);
            buf_addf(&h, "If-Modified-Since: %s", j->ent->prev_lm);
            l = curl_slist_append(l, buf_cstr(&h));
        }
        buf_release(&h);
        hdrs = l;
        j->conditional = true;
    }
    j->hdrs_owned = j->conditional ? hdrs : NULL;
    fetch_setup(&e->fc, j, easy, hdrs);
    j->started_ms = now_ms();
    curl_multi_add_handle(e->multi, easy);
    vec_push(&e->live, j);
    e->inflight++;
    j->host->inflight++;
    if (j->run)
        j->run->st.requests++;
}

static int64_t backoff_ms(struct engine *e, int attempt, int retry_after)
{
    int64_t cap = (int64_t)e->o->retry_max_s * 1000;
    int64_t ms = retry_after >= 0 ? (int64_t)retry_after * 1000 : (int64_t)1000 << attempt;
    return ms > cap ? cap : ms;
}

static void job_retry(struct engine *e, struct job *j, int64_t delay)
{
    j->attempt++;
    j->ready_ms = now_ms() + delay;
    j->next = j->host->delayed;
    j->host->delayed = j;
    host_activate(e, j->host);
}

static void robots_done(struct engine *e, struct job *j, CURLcode code)
{
    struct host *h = j->rhost ? j->rhost : j->host;
    struct run *r = h->run;
    h->robots_state = 2;
    const char *mode = "absent";
    if (code == CURLE_OK && j->status >= 200 && j->status < 300) {
        h->robots = robots_parse(buf_cstr(&j->body), j->body.n, "govsite");
        mode = "honoured";
        int d = robots_delay_ms(h->robots);
        if (d > 0) {
            if (d > 60000)
                d = 60000;
            if (d > h->interval_ms)
                h->interval_ms = d;
        }
    } else if (code == CURLE_OK && j->status >= 300 && j->status < 400 && j->location &&
               j->hops < 5) {
        char *next = NULL;
        if (url_resolve(j->url, j->location, &next, NULL) == RC_OK) {
            struct host *nh = host_get(e, next, NULL);
            free(j->url);
            j->url = next;
            j->hops++;
            if (nh) {
                /* fetched on the target host, but it is h's robots.txt (rhost) */
                h->robots_state = 1;
                fetch_job_reset(j);
                host_push(e, nh, j, true);
                return;
            }
        } else {
            free(next);
        }
    } else if (code == CURLE_OK && j->status >= 400 && j->status < 500 && j->status != 429) {
        mode = "absent";
    } else {
        /* RFC 9309 2.3.1.4: unreachable means disallow everything */
        h->robots = robots_disallow_all();
        mode = "unreachable";
        if (r && !r->note[0]) {
            char why[32];
            const char *kind = "";
            if (code != CURLE_OK) {
                fetch_error_result(code, &kind);
                snprintf(why, sizeof(why), "%s", kind);
            } else {
                snprintf(why, sizeof(why), "HTTP %d", j->status);
            }
            snprintf(r->note, sizeof(r->note), "robots.txt of %s unreachable (%s): nothing crawled there",
                     h->name, why);
        }
    }
    if (r && (!r->robots_mode || strcmp(r->robots_mode, "unreachable")))
        r->robots_mode = mode;
    job_free(j);
}

/* The transfer of j ended. */
static void on_done(struct engine *e, struct job *j, CURLcode code)
{
    long st = 0;
    curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &st);
    j->status = (int)st;
    char errbuf[CURL_ERROR_SIZE];
    snprintf(errbuf, sizeof(errbuf), "%s", curl_easy_strerror(code));
    release_easy(e, j);
    if (j->hdrs_owned) {
        curl_slist_free_all(j->hdrs_owned);
        j->hdrs_owned = NULL;
    }
    e->inflight--;
    j->host->inflight--;
    if (j->run)
        j->run->st.bytes += (int64_t)j->body.n;
    if (code == CURLE_WRITE_ERROR && (j->truncated || j->not_html))
        code = CURLE_OK;
    if (j->kind == JOB_ROBOTS) {
        if (code != CURLE_OK && j->attempt < e->o->retries && code != CURLE_COULDNT_RESOLVE_HOST &&
            !e->stopping) {
            job_retry(e, j, backoff_ms(e, j->attempt, -1));
            return;
        }
        robots_done(e, j, code);
        return;
    }
    struct run *r = j->run;
    if (code != CURLE_OK) {
        const char *reason;
        enum result res = fetch_error_result(code, &reason);
        r->st.errors++;
        bool retryable = res == RES_TIMEOUT || (res == RES_ERROR && (!strcmp(reason, "connect") ||
                                                                 !strcmp(reason, "reset") ||
                                                                 !strcmp(reason, "empty-reply") ||
                                                                 !strcmp(reason, "protocol")));
        if (j->head && (!strcmp(reason, "empty-reply") || !strcmp(reason, "protocol"))) {
            j->head = false; /* some servers hang up on HEAD */
            host_push(e, j->host, j, true);
            return;
        }
        if (retryable && j->attempt < e->o->retries && !e->stopping) {
            job_retry(e, j, backoff_ms(e, j->attempt, -1));
            return;
        }
        j->status = 0;
        job_finish(e, j, res, reason, errbuf);
        return;
    }
    int s = j->status;
    if (s >= 300 && s < 400 && s != 304 && j->location) {
        /* follow one hop */
        char *next = NULL;
        if (url_resolve(j->url, j->location, &next, NULL) != RC_OK) {
            free(next);
            job_finish(e, j, RES_BROKEN, "bad-redirect", "the Location header is not a URL");
            return;
        }
        frontier_strip_session(next);
        if (j->chain.n)
            buf_addc(&j->chain, ',');
        buf_addf(&j->chain, "{\"status\":%d,\"url\":", s);
        esc_json(&j->chain, j->url);
        buf_addc(&j->chain, '}');
        j->hops++;
        struct buf pat = BUF_INIT;
        buf_addf(&pat, "\n%s\n", next);
        bool loop = strstr(buf_cstr(&j->seen), buf_cstr(&pat)) != NULL;
        buf_release(&pat);
        if (loop || j->hops > e->o->max_redirects) {
            free(next);
            job_finish(e, j, RES_ERROR, loop ? "redirect-loop" : "too-many-redirects",
                       loop ? "the redirects come back to a URL already visited"
                            : "more redirects than max_redirects");
            return;
        }
        buf_adds(&j->seen, next);
        buf_addc(&j->seen, '\n');
        if (j->kind == JOB_PAGE && frontier_in_scope(r, next)) {
            struct uent *t = map_gets(&r->urls, next);
            if (t && t != j->ent) {
                struct uent *x = j->ent;
                struct buf chain = j->chain;
                j->chain = (struct buf)BUF_INIT;
                free(next);
                job_free(j);
                ent_follow(e, x, t, &chain);
                buf_release(&chain);
                return;
            }
            if (!t) {
                t = ent_new(e, r, next, j->ent->depth, SCOPE_PAGE);
                t->queued = true;
                ent_follow(e, j->ent, t, &j->chain);
                j->ent = t;
                buf_reset(&j->chain);
                j->hops = 0;
            }
        } else if (j->kind == JOB_PAGE) {
            j->kind = JOB_CHECK; /* it left the site: check only */
            j->cap = PAGE_CHECK_CAP;
        }
        free(j->url);
        j->url = next;
        struct host *nh = host_get(e, next, r);
        if (!nh) {
            job_finish(e, j, RES_ERROR, "bad-redirect", "the redirect target has no host");
            return;
        }
        host_push(e, nh, j, true);
        return;
    }
    if ((s == 429 || s == 503) && j->attempt < e->o->retries && !e->stopping) {
        int ra = fetch_retry_after(j->retry_after, clk_now(e->clk));
        if (ra <= e->o->retry_max_s) {
            int64_t d = backoff_ms(e, j->attempt, ra);
            /* the whole host slows down, not just this URL */
            int64_t until = now_ms() + d;
            if (until > j->host->next_ms)
                j->host->next_ms = until;
            job_retry(e, j, d);
            return;
        }
    }
    if (j->head && (s >= 400 || s < 200)) {
        /* HEAD refused or lying: ask with GET before calling it broken, unless this
         * host's HEAD answers have been confirmed often enough (404 and 410 only) */
        if ((s == 404 || s == 410) && j->host->head_agree >= HEAD_TRUST && !j->host->head_lies) {
            job_finish(e, j, RES_BROKEN, NULL, "HEAD answer (this host's HEAD errors match GET)");
            return;
        }
        j->head_status = s;
        j->head = false;
        host_push(e, j->host, j, true);
        return;
    }
    if (j->head_status && !j->head) {
        if (s == j->head_status)
            j->host->head_agree++;
        else
            j->host->head_lies = true;
        j->head_status = 0;
    }
    if (s == 304 && j->conditional) {
        struct uent *x = j->ent;
        x->result = RES_OK;
        ent_fill(e, x, j);
        /* a 304 need not repeat the validators */
        if (!x->etag && x->prev_etag)
            x->etag = xstrdup(x->prev_etag);
        if (!x->last_modified && x->prev_lm)
            x->last_modified = xstrdup(x->prev_lm);
        job_free(j);
        r->inflight_pages++;
        e->outstanding++;
        send_msg(e, W_RELOAD, x, NULL);
        return;
    }
    enum result res = RES_OK;
    const char *error = NULL;
    if (fetch_is_waf(j) || s == 429) {
        res = RES_WAF;
        error = "waf";
    } else if (s >= 400 || s < 100) {
        res = RES_BROKEN;
    } else if (s >= 300 && s != 304) {
        res = RES_BROKEN;
        error = "bad-redirect";
    }
    if (res == RES_OK && j->kind == JOB_PAGE && s >= 200 && s < 300 && !j->not_html) {
        /* parse it */
        struct uent *x = j->ent;
        struct parse_job *pj = parse_job_new(e);
        pj->ent = x;
        pj->url = xstrdup(j->url);
        pj->body = j->body;
        j->body = (struct buf)BUF_INIT;
        const char *cs = j->ctype ? ascii_casestr(j->ctype, strlen(j->ctype), "charset=") : NULL;
        if (cs)
            snprintf(pj->charset, sizeof(pj->charset), "%s", cs + 8);
        x->result = RES_OK;
        ent_fill(e, x, j);
        x->size = (int64_t)pj->body.n;
        job_free(j);
        r->inflight_pages++;
        e->outstanding++;
        atomic_fetch_add(&e->outstanding_bytes, (int64_t)pj->body.n);
        queue_push(&e->parse_in, &pj->q);
        return;
    }
    job_finish(e, j, res, error, NULL);
}

/* ------------------------------------------------------------- results --- */

static bool crawlable_tag(const char *tag)
{
    return !strcmp(tag, "a") || !strcmp(tag, "area") || !strcmp(tag, "iframe") ||
           !strcmp(tag, "frame") || !strcmp(tag, "meta") || !strcmp(tag, "script");
}

static void handle_result(struct engine *e, struct page_result *pr)
{
    struct uent *x = pr->ent;
    struct run *r = x->run;
    r->inflight_pages--;
    e->outstanding--;
    if (pr->failed_reload) {
        /* the previous run's page is gone: fetch it again without conditions */
        x->prev_id = 0;
        free(x->etag);
        free(x->last_modified);
        x->etag = x->last_modified = NULL;
        page_result_free(pr);
        struct host *h = host_get(e, x->url, r);
        struct job *j = job_new(e, JOB_PAGE, r, x, x->url);
        host_push(e, h, j, true);
        return;
    }
    struct html_page *p = &pr->p;
    const char *page_url = x->final_url ? x->final_url : x->url;
    /* links → entries, grouped by (target, tag) */
    if (pr->plinks_cap < p->nlinks || !pr->plinks) {
        free(pr->plinks);
        pr->plinks_cap = p->nlinks ? p->nlinks : 1;
        pr->plinks = xmalloc(pr->plinks_cap * sizeof(*pr->plinks));
    }
    uint64_t serial = ++e->page_serial;
    size_t np = 0;
    for (size_t i = 0; i < p->nlinks; i++) {
        struct html_link *l = &p->links[i];
        if (!l->url)
            continue;
        const char *u = l->url;
        if (strpbrk(u, ";?")) {
            char *c = arena_strdup(&pr->a, u);
            if (frontier_strip_session(c))
                u = c;
        }
        bool crawlable = crawlable_tag(l->tag) && (strcmp(l->tag, "script") || l->pagination) &&
                         !p->nofollow;
        int depth = l->pagination ? x->depth : x->depth + 1;
        struct uent *dst = ent_add(e, r, u, depth, crawlable);
        /* group by (target, tag): the entry remembers this page's row for it */
        struct page_link *pl = NULL;
        if (dst->mark == serial) {
            if (!strcmp(pr->plinks[dst->mark_idx].tag, l->tag))
                pl = &pr->plinks[dst->mark_idx];
            else
                for (size_t k = 0; k < np && !pl; k++)
                    if (pr->plinks[k].dst == dst && !strcmp(pr->plinks[k].tag, l->tag))
                        pl = &pr->plinks[k];
        }
        if (pl) {
            pl->n++;
            if (!pl->text && l->text && *l->text)
                pl->text = l->text;
            continue;
        }
        dst->mark = serial;
        dst->mark_idx = np;
        pr->plinks[np++] = (struct page_link){ dst, l->tag, l->text && *l->text ? l->text : NULL, 1 };
    }
    pr->nplinks = np;
    pr->is_home = x->depth == 0;
    if (pr->is_home && p->is_article) {
        p->is_article = false;
    }
    pr->column_id = frontier_column(r, page_url, p->is_list || p->nmain > 0);
    if (!p->is_list && p->nmain > 0 && pr->column_id && frontier_is_column_page(r, page_url)) {
        /* a registered column's list page, however short */
        p->is_list = true;
        p->is_article = false;
        p->date = DATE_NONE;
    }
    if (p->is_article && p->date != DATE_NONE) {
        char hk[20];
        snprintf(hk, sizeof(hk), "%016llx", (unsigned long long)p->text_hash);
        bool created;
        map_slot(&r->article_hashes, hk, strlen(hk), &created);
        pr->article = created;
    }
    r->st.pages++;
    r->st.links += (int64_t)np;
    ent_done(e, x, false);
    send_msg(e, W_PAGE, x, pr);
}

/* --------------------------------------------------------------- threads --- */

static void *parser_main(void *arg)
{
    struct engine *e = arg;
    pthread_setname_np(pthread_self(), "govsite-parse");
    /* Parsing has a backlog to work through; the transfers and the writer do not wait for
     * it, so when the CPUs are short they go first (a lower priority for this thread). */
    setpriority(PRIO_PROCESS, (id_t)syscall(SYS_gettid), PARSER_NICE);
    struct html_ctx *cache = html_ctx_new(8000);
    struct buf utf = BUF_INIT;
    struct qnode *q;
    while ((q = queue_pop(&e->parse_in))) {
        struct parse_job *pj = (struct parse_job *)q;
        struct page_result *pr = page_result_get(&e->recycle);
        pr->ent = pj->ent;
        buf_reset(&utf);
        charset_decode(pj->body.p ? pj->body.p : "", pj->body.n, pj->charset[0] ? pj->charset : NULL,
                       &utf, &pr->cs);
        /* "charset" as declared (gb2312, utf-8) unless it was wrong; else what was used */
        char raw[40] = "";
        if (pj->charset[0])
            snprintf(raw, sizeof(raw), "%s", pj->charset);
        else
            charset_sniff_meta(pj->body.p ? pj->body.p : "", pj->body.n, raw, sizeof(raw));
        size_t k = 0;
        for (size_t i = 0; raw[i]; i++)
            if (raw[i] != '"' && raw[i] != '\'' && !ascii_isspace((unsigned char)raw[i]))
                raw[k++] = (char)ascii_tolower((unsigned char)raw[i]);
        raw[k] = 0;
        bool use_raw = raw[0] && !pr->cs.mismatch && charset_canonical(raw);
        snprintf(pr->cs_used, sizeof(pr->cs_used), "%s",
                 use_raw ? raw : pr->cs.used ? pr->cs.used : "");
        for (char *c = pr->cs_used; *c; c++)
            *c = (char)ascii_tolower((unsigned char)*c);
        snprintf(pr->cs_declared, sizeof(pr->cs_declared), "%s", raw);
        atomic_fetch_sub(&e->outstanding_bytes, (int64_t)pj->body.n);
        html_extract(&pr->a, buf_cstr(&utf), utf.n, pj->url, cache, 0, &pr->p);
        queue_push(&e->spent, &pj->q);
        queue_push(&e->results, &pr->q);
        /* the engine polls results every few milliseconds while parsing is pending; wake
         * it only when it may be sleeping longer (nothing in flight) */
        if (atomic_load(&e->idle))
            wake(e);
    }
    html_ctx_free(cache);
    buf_release(&utf);
    crawl__log_cpu("parser");
    return NULL;
}

/* ------------------------------------------------------------- scheduler --- */

/* Page fetches wait while the parsers or the writer are this far behind (bodies waiting
 * to be parsed are also limited in bytes, so big pages cannot pile up). */
#define PARSE_BACKLOG 128
#define PARSE_BACKLOG_BYTES (16 << 20)
#define WRITE_BACKLOG 256

static bool backpressure(struct engine *e)
{
    return e->outstanding > PARSE_BACKLOG || e->outstanding_bytes > PARSE_BACKLOG_BYTES ||
           atomic_load(&e->w.pages_in_queue) > WRITE_BACKLOG;
}

/* Hosts idle for GATE_IDLE_MS go back to the shared budget (crawl_gate).  Not at once:
 * a crawled host is idle for a moment after every page while the parsers work. */
#define GATE_IDLE_MS 500
static void gate_sweep(struct engine *e, int64_t now)
{
    if (!e->o->gate || now - e->gate_swept < GATE_IDLE_MS / 2)
        return;
    e->gate_swept = now;
    map_foreach(&e->hosts, it)
    {
        struct host *h = it->val;
        if (h->gate_held && !h->active && now - h->idle_ms >= GATE_IDLE_MS)
            gate_release(e, h, now);
    }
}

static void schedule(struct engine *e)
{
    int64_t now = now_ms();
    gate_sweep(e, now);
    struct host **pp = &e->active;
    while (*pp) {
        struct host *h = *pp;
        /* due retries go first */
        for (struct job **dp = &h->delayed; *dp;) {
            struct job *j = *dp;
            if (j->ready_ms <= now || e->stopping) {
                *dp = j->next;
                j->next = NULL;
                host_push(e, h, j, true);
            } else {
                dp = &j->next;
            }
        }
        const struct crawl_gate *g = e->o->gate;
        if (g && h->gate_held && g->slice_ms > 0 && now - h->gate_at >= g->slice_ms)
            h->gate_yield = true;
        if (g && h->gate_yield && h->inflight == 0)
            gate_release(e, h, now); /* our turn is over; ask again below */
        if (g && !h->gate_held && !e->stopping && h->qh && now >= h->next_ms) {
            int64_t wait = 0;
            h->gate_held = e->o->gate->acquire(e->o->gate, h->name, &wait);
            h->gate_at = now;
            if (wait > 0 && h->next_ms < now + wait)
                h->next_ms = now + wait;
        }
        while (!e->stopping && h->qh && h->inflight < h->limit && e->inflight < e->o->concurrency &&
               now >= h->next_ms && (!g || (h->gate_held && !h->gate_yield))) {
            if (h->robots_state == 0) {
                struct buf b = BUF_INIT;
                buf_addf(&b, "%s://%s", h->https ? "https" : "http", h->name);
                if (h->port != (h->https ? 443 : 80))
                    buf_addf(&b, ":%d", h->port);
                buf_adds(&b, "/robots.txt");
                struct job *rj = job_new(e, JOB_ROBOTS, h->run, NULL, buf_cstr(&b));
                buf_release(&b);
                h->robots_state = 1;
                rj->host = h;
                rj->rhost = h;
                start_transfer(e, rj);
                h->next_ms = now + (int64_t)h->interval_ms;
                continue;
            }
            if (h->robots_state == 1 && h->qh->kind != JOB_ROBOTS)
                break;
            if (h->qh->kind == JOB_PAGE && backpressure(e))
                break;
            struct job *j = host_pop(h);
            if (j->kind == JOB_ROBOTS) {
                start_transfer(e, j);
                h->next_ms = now + (int64_t)h->interval_ms;
                continue;
            }
            struct run *r = j->run;
            if (h->robots && !robots_allowed(h->robots, url_path(j->url))) {
                struct uent *x = j->ent;
                x->method = NULL;
                job_free(j);
                ent_skip(e, x, RES_ROBOTS, "robots", "disallowed by robots.txt");
                if (x->depth == 0 && !r->note[0])
                    snprintf(r->note, sizeof(r->note), "robots.txt disallows the home page");
                continue;
            }
            if (j->kind == JOB_PAGE && j->hops == 0 && j->attempt == 0) {
                if (r->pages_started >= r->max_pages) {
                    j->kind = JOB_CHECK;
                    j->head = true;
                    j->cap = PAGE_CHECK_CAP;
                    j->ent->checked_only = true;
                    r->st.limited = true;
                } else {
                    r->pages_started++;
                }
            }
            size_t hl = strlen(h->name);
            if ((hl >= 8 && !strcmp(h->name + hl - 8, ".invalid")) || !strcmp(h->name, "invalid")) {
                /* RFC 6761: .invalid never resolves; do not ask a resolver */
                j->status = 0;
                r->st.errors++;
                job_finish(e, j, RES_DNS, "dns", "the .invalid domain never resolves (RFC 6761)");
                continue;
            }
            start_transfer(e, j);
            h->next_ms = now + (int64_t)h->interval_ms;
        }
        if (!h->qh && !h->delayed && h->inflight == 0) {
            h->idle_ms = now; /* gate_sweep gives it back if it stays idle */
            /* idle: leave the active list */
            *pp = h->next_active;
            h->active = false;
            h->next_active = NULL;
            continue;
        }
        pp = &h->next_active;
    }
}

/* Milliseconds until something may be started: a host's next slot or a retry.  Work
 * blocked by the global limit or by the parsers wakes the loop through curl itself or
 * the eventfd, so it does not count here (that would spin). */
static long wait_ms(struct engine *e)
{
    int64_t now = now_ms(), best = 200;
    bool full = e->inflight >= e->o->concurrency, bp = backpressure(e);
    for (struct host *h = e->active; h; h = h->next_active) {
        if (!full && h->qh && h->inflight < h->limit && h->robots_state != 1 &&
            !(bp && h->qh->kind == JOB_PAGE)) {
            int64_t d = h->next_ms - now;
            if (d < best)
                best = d;
        }
        for (struct job *j = h->delayed; j; j = j->next)
            if (j->ready_ms - now < best)
                best = j->ready_ms - now;
    }
    if ((bp || e->outstanding) && best > 5)
        best = 5; /* parsers and the writer do not wake us for every page */
    return best < 0 ? 0 : (long)best;
}

static void stop_all(struct engine *e)
{
    /* abort transfers; their entries stay queued in the database for a resume */
    while (e->live.n) {
        struct job *j = e->live.v[e->live.n - 1];
        release_easy(e, j);
        if (j->hdrs_owned)
            curl_slist_free_all(j->hdrs_owned);
        j->hdrs_owned = NULL;
        e->inflight--;
        j->host->inflight--;
        job_free(j);
    }
    int64_t now = now_ms();
    map_foreach(&e->hosts, it)
    {
        struct host *h = it->val;
        struct job *j;
        gate_release(e, h, now);
        while ((j = host_pop(h)))
            job_free(j);
        while ((j = h->delayed)) {
            h->delayed = j->next;
            job_free(j);
        }
    }
}

static void progress(struct engine *e, bool force)
{
    if (!e->o->progress)
        return;
    int64_t now = now_ms();
    if (!force && now - e->last_progress < PROGRESS_MS)
        return;
    e->last_progress = now;
    if (log_get_level() <= LOG_DEBUG)
        log_debug("crawl: inflight %d outstanding %lld parse-queue %zu results %zu writer-pages %lld "
                 "writer-queue %zu",
                 e->inflight, (long long)e->outstanding, queue_len(&e->parse_in),
                 queue_len(&e->results), (long long)atomic_load(&e->w.pages_in_queue),
                 queue_len(&e->w.in));
    struct crawl_stats t = { 0 };
    t.state = "running";
    int active = 0;
    for (size_t i = 0; i < e->runs.n; i++) {
        struct run *r = e->runs.v[i];
        if (r->finished)
            continue;
        active++;
        t.site = r->name;
        t.run_id = r->id;
        t.site_id = r->site_id;
        t.pages += r->st.pages;
        t.urls += r->st.urls;
        t.queued += r->pending;
        t.requests += r->st.requests;
        t.links += r->st.links;
        t.broken += r->st.broken;
        t.waf += r->st.waf;
        t.errors += r->st.errors;
        t.bytes += r->st.bytes;
        if (!t.elapsed_ms || now - r->started_ms > t.elapsed_ms)
            t.elapsed_ms = now - r->started_ms;
    }
    char label[64];
    if (active > 1) {
        snprintf(label, sizeof(label), "%d sites", active);
        t.site = label;
        t.run_id = 0;
    }
    if (active)
        e->o->progress(&t, e->o->progress_ctx);
}

static void finish_run(struct engine *e, struct run *r, const char *state)
{
    r->finished = true;
    r->st.state = state;
    r->st.done = true;
    r->st.elapsed_ms = now_ms() - r->started_ms;
    struct wmsg *m = xcalloc(1, sizeof(*m));
    m->kind = W_RUN_END;
    m->run = r;
    m->st = xmemdup(&r->st, sizeof(r->st));
    m->note = xstrdup(r->note);
    writer_send(&e->w, m);
}

/* --------------------------------------------------------------- setup --- */

static bool pid_alive(int64_t pid, const char *host, const char *myhost)
{
    if (pid <= 0 || !host || strcmp(host, myhost) || pid == (int64_t)getpid())
        return false;
    if (kill((pid_t)pid, 0) != 0)
        return false;
    /* the same program (pids are reused) */
    char pa[64];
    snprintf(pa, sizeof(pa), "/proc/%lld/comm", (long long)pid);
    struct buf x = BUF_INIT, y = BUF_INIT;
    bool same = buf_read_file(&x, pa, NULL) == RC_OK && buf_read_file(&y, "/proc/self/comm", NULL) == RC_OK &&
                !strcmp(buf_cstr(&x), buf_cstr(&y));
    buf_release(&x);
    buf_release(&y);
    return same;
}

static void dir_of(const char *url, char **prefix)
{
    const char *path = url_path(url);
    size_t n = strcspn(path, "?#");
    while (n > 0 && path[n - 1] != '/')
        n--;
    *prefix = n ? xstrndup(path, n) : xstrdup("/");
}

static int colcmp(const void *a, const void *b)
{
    const struct colprefix *x = a, *y = b;
    return x->dirlen < y->dirlen ? 1 : x->dirlen > y->dirlen ? -1 : 0;
}

static enum rc run_setup(struct engine *e, int64_t site_id, struct run **out, struct err *err)
{
    const struct crawl_opts *o = e->o;
    struct store *db = e->db;
    struct run *r = XNEW(struct run);
    r->o = o;
    r->site_id = site_id;
    r->started_ms = now_ms();
    r->st.site_id = site_id;
    r->st.state = "running";
    *out = r;
    int64_t sp = 0, sd = 0, sh = 0, owned = 0;
    double srate = -1;
    struct stmt *st = store_q(db,
                              "SELECT name, url, max_pages, max_depth, per_host, rate, owned "
                              "FROM sites WHERE id = ?",
                              "i", site_id);
    if (stmt_next(st)) {
        r->name = stmt_dup(st, 0);
        r->start_url = stmt_dup(st, 1);
        sp = stmt_int(st, 2);
        sd = stmt_int(st, 3);
        sh = stmt_int(st, 4);
        srate = stmt_null(st, 5) ? -1 : stmt_double(st, 5);
        owned = stmt_int(st, 6);
    }
    enum rc rc = stmt_done(st, err);
    if (rc)
        return rc;
    if (!r->name)
        return err_set(err, RC_NOTFOUND, "no site with id %lld", (long long)site_id);
    r->st.site = r->name;
    char *norm = NULL;
    if (url_normalize(r->start_url, &norm, err))
        return err_prefix(err, "site '%s': ", r->name);
    free(r->start_url);
    r->start_url = norm;
    char host[256];
    url_host(norm, host, sizeof(host));
    r->host = xstrdup(host);
    {
        char nm[256];
        int port;
        bool https;
        char *k = host_key(norm, nm, sizeof(nm), &port, &https);
        free(k);
        r->port = port == (https ? 443 : 80) ? 0 : port;
    }
    if (o->prefix)
        r->prefix = xstrdup(o->prefix);
    else
        dir_of(norm, &r->prefix);
    r->max_pages = (o->set & CRAWL_SET_MAX_PAGES) || sp <= 0 ? o->max_pages : (int)sp;
    r->max_depth = (o->set & CRAWL_SET_MAX_DEPTH) || sd <= 0 ? o->max_depth : (int)sd;
    r->per_host = (o->set & CRAWL_SET_PER_HOST) || sh <= 0 ? o->per_host : (int)sh;
    r->rate = (o->set & CRAWL_SET_RATE) || srate < 0 ? o->rate : srate;
    r->ignore_robots = owned != 0;
    r->robots_mode = owned ? "ignored" : NULL;

    /* columns of the site */
    st = store_q(db,
                 "SELECT cu.url, c.id FROM column_urls cu JOIN site_columns c ON c.id = "
                 "cu.column_id WHERE c.site_id = ? AND c.state <> 'rejected'",
                 "i", site_id);
    while (stmt_next(st)) {
        struct colprefix c = { stmt_dup(st, 0), 0, stmt_int(st, 1) };
        size_t q = strcspn(c.url, "?#");
        while (q > 0 && c.url[q - 1] != '/')
            q--;
        c.dirlen = q;
        vec_push(&r->cols, c);
    }
    if ((rc = stmt_done(st, err)))
        return rc;
    if (r->cols.n)
        qsort(r->cols.v, r->cols.n, sizeof(r->cols.v[0]), colcmp);

    /* an unfinished run */
    int64_t old = 0, old_pid = 0;
    char *old_host = NULL;
    st = store_q(db,
                 "SELECT id, pid, host FROM crawl_runs WHERE site_id = ? AND state IN ('running', "
                 "'interrupted') ORDER BY id DESC LIMIT 1",
                 "i", site_id);
    if (stmt_next(st)) {
        old = stmt_int(st, 0);
        old_pid = stmt_int(st, 1);
        old_host = stmt_dup(st, 2);
    }
    if ((rc = stmt_done(st, err))) {
        free(old_host);
        return rc;
    }
    bool alive = old && pid_alive(old_pid, old_host, e->hostname);
    free(old_host);
    if (alive)
        return err_set(err, RC_CONFLICT,
                       "site '%s': crawl run %lld is still running in process %lld; wait for it "
                       "or stop it first",
                       r->name, (long long)old, (long long)old_pid);
    if (old && !o->resume) {
        rc = store_exec(db, err,
                        "UPDATE crawl_runs SET state = 'interrupted' WHERE site_id = ? AND state = "
                        "'running'",
                        "i", site_id);
        if (rc)
            return rc;
        old = 0;
    }
    if (o->resume && old) {
        r->id = old;
        r->resumed = true;
        st = store_q(db, "SELECT requests, errors, bytes, robots FROM crawl_runs WHERE id = ?", "i",
                     old);
        if (stmt_next(st)) {
            r->st.requests = stmt_int(st, 0);
            r->st.errors = stmt_int(st, 1);
            r->st.bytes = stmt_int(st, 2);
            if (stmt_text(st, 3) && !strcmp(stmt_text(st, 3), "ignored"))
                r->robots_mode = "ignored";
        }
        if ((rc = stmt_done(st, err)))
            return rc;
        rc = store_exec(db, err,
                        "UPDATE crawl_runs SET state = 'running', resumed = resumed + 1, pid = ?, "
                        "host = ?, finished_at = NULL WHERE id = ?",
                        "iti", (int64_t)getpid(), e->hostname, old);
        if (rc)
            return rc;
    } else {
        st = store_q(db,
                     "INSERT INTO crawl_runs (site_id, state, started_at, pid, host, start_url, "
                     "max_pages, max_depth, per_host, rate) VALUES (?, 'running', ?, ?, ?, ?, ?, "
                     "?, ?, ?) RETURNING id",
                     "iTittiiid", site_id, clk_now(e->clk), (int64_t)getpid(), e->hostname,
                     r->start_url, (int64_t)r->max_pages, (int64_t)r->max_depth,
                     (int64_t)r->per_host, r->rate);
        if (stmt_next(st))
            r->id = stmt_int(st, 0);
        if ((rc = stmt_done(st, err)))
            return rc;
    }
    r->st.run_id = r->id;

    /* conditional requests: the previous finished run's validators */
    int64_t prev = 0;
    rc = store_get_int(db, &prev, err,
                       "SELECT MAX(id) FROM crawl_runs WHERE site_id = ? AND id < ? AND state IN "
                       "('complete', 'interrupted')",
                       "ii", site_id, r->id);
    if (rc && rc != RC_NOTFOUND)
        return rc;
    if (prev) {
        st = store_q(db,
                     "SELECT u.url, u.etag, u.last_modified, u.id FROM crawl_urls u JOIN "
                     "crawl_pages p ON p.url_id = u.id WHERE u.run_id = ? AND p.not_modified = 0 "
                     "AND (u.etag IS NOT NULL OR u.last_modified IS NOT NULL) AND u.status = 200",
                     "i", prev);
        while (stmt_next(st)) {
            struct prevpage *pp = XNEW(struct prevpage);
            pp->etag = stmt_dup(st, 1);
            pp->lm = stmt_dup(st, 2);
            pp->id = stmt_int(st, 3);
            map_puts(&r->prev, stmt_str(st, 0), pp);
        }
        if ((rc = stmt_done(st, err)))
            return rc;
    }
    return RC_OK;
}

/* Load a resumed run's entries (before the writer starts: the engine owns db_id here). */
static enum rc run_load(struct engine *e, struct run *r, struct err *err)
{
    struct stmt *st = store_q(e->db,
                              "SELECT id, url, depth, scope, state, result FROM crawl_urls WHERE "
                              "run_id = ? ORDER BY depth, id",
                              "i", r->id);
    VEC(struct uent *) todo = VEC_INIT;
    while (stmt_next(st)) {
        struct uent *x = XNEW(struct uent);
        x->run = r;
        x->db_id = stmt_int(st, 0);
        x->url = stmt_dup(st, 1);
        x->depth = (int)stmt_int(st, 2);
        x->scope = !strcmp(stmt_str(st, 3), "page") ? SCOPE_PAGE : SCOPE_CHECK;
        x->in_db = true;
        x->done = !strcmp(stmt_str(st, 4), "done");
        const char *res = stmt_str(st, 5);
        for (int k = RES_OK; k <= RES_UNCHECKED; k++)
            if (!strcmp(res, result_name((enum result)k)))
                x->result = (enum result)k;
        struct prevpage *pp = map_gets(&r->prev, x->url);
        if (pp) {
            x->prev_etag = pp->etag;
            x->prev_lm = pp->lm;
            x->prev_id = pp->id;
        }
        map_puts(&r->urls, x->url, x);
        r->st.urls++;
        if (x->scope == SCOPE_PAGE && strchr(x->url, '?'))
            frontier_trap(r, x->url); /* count query variants again */
        if (!x->done) {
            r->pending++;
            vec_push(&todo, x);
        } else {
            x->queued = true;
        }
    }
    enum rc rc = stmt_done(st, err);
    if (!rc) {
        int64_t n = 0;
        rc = store_get_int(e->db, &n, err, "SELECT COUNT(*) FROM crawl_pages WHERE run_id = ?", "i",
                           r->id);
        r->st.pages = n;
        r->pages_started = n;
    }
    if (!rc) {
        st = store_q(e->db,
                     "SELECT p.text_hash FROM crawl_articles a JOIN crawl_pages p ON p.url_id = "
                     "a.url_id WHERE a.run_id = ?",
                     "i", r->id);
        while (stmt_next(st))
            map_puts(&r->article_hashes, stmt_str(st, 0), (void *)1);
        rc = stmt_done(st, err);
    }
    for (size_t i = 0; !rc && i < todo.n; i++)
        ent_enqueue(e, todo.v[i]);
    vec_release(&todo);
    return rc;
}

/* --------------------------------------------------------------- the run --- */

static void free_ent(void *p)
{
    struct uent *x = p;
    free(x->url);
    free(x->detail);
    free(x->final_url);
    free(x->redirects);
    free(x->content_type);
    free(x->etag);
    free(x->last_modified);
    free(x);
}

static void free_prev(void *p)
{
    struct prevpage *pp = p;
    free(pp->etag);
    free(pp->lm);
    free(pp);
}

static void run_free(struct run *r)
{
    if (!r)
        return;
    map_release(&r->urls, free_ent);
    map_release(&r->prev, free_prev);
    map_release(&r->qvariants, NULL);
    map_release(&r->article_hashes, NULL);
    for (size_t i = 0; i < r->cols.n; i++)
        free(r->cols.v[i].url);
    vec_release(&r->cols);
    free(r->name);
    free(r->start_url);
    free(r->host);
    free(r->prefix);
    free(r);
}

static void free_result(struct qnode *q)
{
    page_result_free((struct page_result *)q);
}

/* Free what is left in a queue. */
static void drain(struct queue *qu, void (*fn)(struct qnode *))
{
    struct qnode *q;
    while ((q = queue_take_all(qu)))
        while (q) {
            struct qnode *next = q->next;
            fn(q);
            q = next;
        }
}

static void free_host(void *p)
{
    struct host *h = p;
    robots_free(h->robots);
    curl_slist_free_all(h->connect_to);
    free(h->key);
    free(h->name);
    free(h);
}

/* Hand every finished transfer to on_done. */
static void read_done(struct engine *e)
{
    CURLMsg *msg;
    int left;
    while ((msg = curl_multi_info_read(e->multi, &left))) {
        if (msg->msg != CURLMSG_DONE)
            continue;
        struct job *j = NULL;
        curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&j);
        on_done(e, j, msg->data.result);
    }
}

enum rc crawl_run(struct store *db, const int64_t *site_ids, size_t n, const struct crawl_opts *o,
                  const struct clk *clk, struct crawl_stats *out, struct err *err)
{
    static pthread_once_t once = PTHREAD_ONCE_INIT;
    pthread_once(&once, (void (*)(void))xmlInitParser);
    curl_global_init(CURL_GLOBAL_DEFAULT);
    struct engine *e = XNEW(struct engine);
    e->o = o;
    e->clk = clk;
    e->db = db;
    if (gethostname(e->hostname, sizeof(e->hostname) - 1) != 0)
        snprintf(e->hostname, sizeof(e->hostname), "localhost");
    e->multi = curl_multi_init();
    e->epfd = epoll_create1(EPOLL_CLOEXEC);
    e->evfd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    e->curl_timer_at = -1;
    if (e->epfd < 0 || e->evfd < 0)
        BUG("crawl: no epoll or eventfd");
    {
        struct epoll_event ev;
        memset(&ev, 0, sizeof(ev));
        ev.events = EPOLLIN;
        ev.data.fd = e->evfd;
        epoll_ctl(e->epfd, EPOLL_CTL_ADD, e->evfd, &ev);
    }
    curl_multi_setopt(e->multi, CURLMOPT_SOCKETFUNCTION, on_socket);
    curl_multi_setopt(e->multi, CURLMOPT_SOCKETDATA, e);
    curl_multi_setopt(e->multi, CURLMOPT_TIMERFUNCTION, on_timer);
    curl_multi_setopt(e->multi, CURLMOPT_TIMERDATA, e);
    curl_multi_setopt(e->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
    curl_multi_setopt(e->multi, CURLMOPT_MAXCONNECTS, (long)(o->concurrency * 2 + 8));
    e->fc.o = o;
    e->fc.ua = o->user_agent;
    for (size_t i = 0; i < o->nresolve; i++)
        e->fc.resolve = curl_slist_append(e->fc.resolve, o->resolve[i]);
    e->base_hdrs = curl_slist_append(NULL, "Accept: text/html,application/xhtml+xml,*/*;q=0.8");
    e->base_hdrs = curl_slist_append(e->base_hdrs, "Accept-Language: zh-CN,zh;q=0.9,en;q=0.5");
    queue_init(&e->parse_in);
    queue_init(&e->spent);
    queue_init(&e->results);
    queue_init(&e->recycle);
    e->w.recycle = &e->recycle;
    e->w.db = db;
    e->w.results = &e->results;
    e->w.wake = wake;
    e->w.wake_ctx = e;
    e->w.clk = clk;
    e->w.text_cap = o->text_cap;
    e->w.keep_runs = o->keep_runs;

    enum rc rc = RC_OK;
    /* Set up every run while this thread still owns the database. */
    for (size_t i = 0; i < n && !rc; i++) {
        struct run *r = NULL;
        rc = run_setup(e, site_ids[i], &r, err);
        vec_push(&e->runs, r);
    }
    /* Entries are created with messages to the writer, so start it first; resumed
     * entries already have their ids. */
    if (!rc)
        rc = writer_start(&e->w, err);
    if (!rc) {
        e->writer_on = true;
        for (size_t i = 0; i < e->runs.n && !rc; i++) {
            struct run *r = e->runs.v[i];
            if (r->resumed)
                rc = run_load(e, r, err);
            if (!rc && !map_gets(&r->urls, r->start_url)) {
                struct uent *x = ent_new(e, r, r->start_url, 0, SCOPE_PAGE);
                ent_enqueue(e, x);
            }
        }
    }
    if (!rc) {
        long ncpu = sysconf(_SC_NPROCESSORS_ONLN);
        e->nparsers = o->parsers > 0 ? o->parsers : ncpu < 1 ? 1 : ncpu > 4 ? 4 : (int)ncpu;
        e->parsers = xcalloc((size_t)e->nparsers, sizeof(pthread_t));
        for (int i = 0; i < e->nparsers; i++)
            if (pthread_create(&e->parsers[i], NULL, parser_main, e) != 0) {
                e->nparsers = i;
                rc = err_set(err, RC_INTERNAL, "cannot start a parser thread");
                break;
            }
        if (rc)
            e->stopping = true;
    }

    /* The loop. */
    while (!rc) {
        if (o->stop && *o->stop && !e->stopping) {
            e->stopping = true;
            stop_all(e);
        }
        if (atomic_load(&e->w.failed) && !e->stopping) {
            e->stopping = true;
            stop_all(e);
        }
        struct qnode *q = queue_take_all(&e->results);
        while (q) {
            struct qnode *next = q->next;
            handle_result(e, (struct page_result *)q);
            q = next;
        }
        if (!e->stopping)
            schedule(e);
        int running = 0;
        if (e->curl_timer_at >= 0 && clk_mono_ms() >= e->curl_timer_at) {
            e->curl_timer_at = -1;
            curl_multi_socket_action(e->multi, CURL_SOCKET_TIMEOUT, 0, &running);
        }
        read_done(e);
        if (e->stopping && e->inflight > 0)
            stop_all(e);
        /* runs that are finished */
        bool all = true;
        for (size_t i = 0; i < e->runs.n; i++) {
            struct run *r = e->runs.v[i];
            if (r->finished)
                continue;
            if (r->pending == 0 && r->inflight_pages == 0)
                finish_run(e, r, "complete");
            else if (e->stopping && r->inflight_pages == 0)
                finish_run(e, r, atomic_load(&e->w.failed) ? "failed" : "interrupted");
            else
                all = false;
        }
        progress(e, false);
        if (all)
            break;
        long ms = wait_ms(e);
        atomic_store(&e->idle, e->inflight == 0);
        if (e->inflight == 0 && queue_len(&e->results))
            ms = 0;
        if (e->curl_timer_at >= 0) {
            int64_t d = e->curl_timer_at - clk_mono_ms();
            if (d < ms)
                ms = d < 0 ? 0 : (long)d;
        }
        struct epoll_event evs[64];
        int nev = epoll_wait(e->epfd, evs, 64, (int)ms);
        atomic_store(&e->idle, 0);
        for (int i = 0; i < nev; i++) {
            if (evs[i].data.fd == e->evfd) {
                uint64_t cnt;
                if (read(e->evfd, &cnt, sizeof(cnt)) < 0) {
                    /* nothing to drain */
                }
                continue;
            }
            int flags = ((evs[i].events & EPOLLIN) ? CURL_CSELECT_IN : 0) |
                        ((evs[i].events & EPOLLOUT) ? CURL_CSELECT_OUT : 0) |
                        ((evs[i].events & (EPOLLERR | EPOLLHUP)) ? CURL_CSELECT_ERR : 0);
            curl_multi_socket_action(e->multi, evs[i].data.fd, flags, &running);
        }
        if (e->curl_timer_at >= 0 && clk_mono_ms() >= e->curl_timer_at) {
            e->curl_timer_at = -1;
            curl_multi_socket_action(e->multi, CURL_SOCKET_TIMEOUT, 0, &running);
        }
        read_done(e);
    }

    crawl__log_cpu("engine");
    /* Shut down: parsers, then the writer (it drains its queue). */
    queue_close(&e->parse_in);
    for (int i = 0; i < e->nparsers; i++)
        pthread_join(e->parsers[i], NULL);
    free(e->parsers);
    drain(&e->results, free_result);
    drain(&e->parse_in, free_parse_job);
    drain(&e->spent, free_parse_job);
    if (e->writer_on) {
        enum rc wrc = writer_stop(&e->w, rc ? NULL : err);
        if (!rc)
            rc = wrc;
    }
    /* Final counters: the writer recounted them into crawl_runs at RUN_END. */
    for (size_t i = 0; i < e->runs.n && e->writer_on; i++) {
        struct run *r = e->runs.v[i];
        if (!r || !r->id)
            continue;
        struct stmt *st = store_q(db,
                                  "SELECT pages, urls, requests, links, broken, waf, errors, bytes "
                                  "FROM crawl_runs WHERE id = ?",
                                  "i", r->id);
        if (stmt_next(st)) {
            r->st.pages = stmt_int(st, 0);
            r->st.urls = stmt_int(st, 1);
            r->st.requests = stmt_int(st, 2);
            r->st.links = stmt_int(st, 3);
            r->st.broken = stmt_int(st, 4);
            r->st.waf = stmt_int(st, 5);
            r->st.errors = stmt_int(st, 6);
            r->st.bytes = stmt_int(st, 7);
        }
        stmt_done(st, NULL);
        r->st.queued = r->pending;
    }
    bool interrupted = false;
    for (size_t i = 0; i < e->runs.n; i++) {
        struct run *r = e->runs.v[i];
        if (!r)
            continue;
        if (out && i < n) {
            out[i] = r->st;
            out[i].site = NULL;
            snprintf(out[i].note, sizeof(out[i].note), "%s", r->note);
        }
        if (r->st.state && strcmp(r->st.state, "complete"))
            interrupted = true;
        if (o->progress && r->finished) {
            r->st.done = true;
            snprintf(r->st.note, sizeof(r->st.note), "%s", r->note);
            o->progress(&r->st, o->progress_ctx);
        }
    }
    if (!rc && interrupted && o->stop && *o->stop)
        rc = err_set(err, RC_INTERRUPTED, "crawl interrupted; continue it with --resume");
    stop_all(e);
    map_release(&e->hosts, free_host);
    for (size_t i = 0; i < e->pool.n; i++)
        curl_easy_cleanup(e->pool.v[i]);
    vec_release(&e->pool);
    vec_release(&e->live);
    for (size_t i = 0; i < e->runs.n; i++)
        run_free(e->runs.v[i]);
    vec_release(&e->runs);
    curl_slist_free_all(e->fc.resolve);
    curl_slist_free_all(e->base_hdrs);
    curl_multi_cleanup(e->multi);
    close(e->epfd);
    close(e->evfd);
    drain(&e->recycle, free_result);
    queue_destroy(&e->parse_in);
    queue_destroy(&e->spent);
    queue_destroy(&e->results);
    queue_destroy(&e->recycle);
    free(e);
    return rc;
}
