/* fixture_http.c - the test HTTP server (fixture_http.h). */
#include "fixture_http.h"

#include <arpa/inet.h>
#include <fcntl.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/map.h"
#include "core/str.h"
#include "core/xalloc.h"

struct route {
    struct fx_route r;       /* strings owned */
    char *gz;                /* FX_GZIP_BOMB: the compressed body */
    size_t gzn;
    int busy_seen;           /* FX_BUSY */
};

struct counter {
    int hits;
    int heads;
};

struct hostc {
    int active, max;
};

struct fixture_http {
    struct MHD_Daemon *d;
    int port;
    char *dir;               /* serve_dir mode */
    pthread_mutex_t mu;
    struct route **routes;
    size_t nroutes;
    struct map counts;       /* "host\npath" → struct counter * */
    struct map hosts;        /* host → struct hostc * ("" for all) */
    char agent[256];
    int delay_ms;            /* every answer waits this long (fixture_http_set_delay) */
};

struct req {
    char *uri;               /* path and query as requested */
    char host[256];
};

static void *uri_log(void *cls, const char *uri, struct MHD_Connection *c)
{
    (void)cls;
    (void)c;
    struct req *r = XNEW(struct req);
    r->uri = xstrdup(uri ? uri : "/");
    return r;
}

static struct hostc *hostc_of(struct fixture_http *f, const char *host)
{
    struct hostc *h = map_gets(&f->hosts, host);
    if (!h) {
        h = XNEW(struct hostc);
        map_puts(&f->hosts, host, h);
    }
    return h;
}

static void completed(void *cls, struct MHD_Connection *c, void **con_cls,
                      enum MHD_RequestTerminationCode toe)
{
    (void)c;
    (void)toe;
    struct fixture_http *f = cls;
    struct req *r = *con_cls;
    if (!r)
        return;
    if (r->host[0]) {
        pthread_mutex_lock(&f->mu);
        hostc_of(f, r->host)->active--;
        hostc_of(f, "")->active--;
        pthread_mutex_unlock(&f->mu);
    }
    free(r->uri);
    free(r);
    *con_cls = NULL;
}

/* ------------------------------------------------------------- bodies --- */

struct gen {
    enum fx_kind kind;
    size_t n;
};

static ssize_t gen_read(void *cls, uint64_t pos, char *out, size_t max)
{
    struct gen *g = cls;
    if (pos >= g->n)
        return MHD_CONTENT_READER_END_OF_STREAM;
    if (g->kind == FX_SLOW) {
        struct timespec ts = { 0, 200 * 1000000L };
        nanosleep(&ts, NULL);
        out[0] = "<html>slow body</html>\n"[pos % 23];
        return 1;
    }
    static const char filler[] = "<p>0123456789 abcdefghij 政府网站 内容保障</p>\n";
    size_t k = 0, len = sizeof(filler) - 1;
    while (k < max && pos + k < g->n) {
        out[k] = filler[(pos + k) % len];
        k++;
    }
    return (ssize_t)k;
}

static void gen_free(void *cls)
{
    free(cls);
}

static void add_headers(struct MHD_Response *resp, const char *headers)
{
    if (!headers)
        return;
    struct str all = str_of(headers), line;
    while (all.n) {
        str_split(&all, '\n', &line);
        struct str name;
        if (!str_split(&line, ':', &name))
            continue;
        char *k = str_dup(str_trim(name)), *v = str_dup(str_trim(line));
        MHD_add_response_header(resp, k, v);
        free(k);
        free(v);
    }
}

static const char *type_of(const char *path)
{
    const char *dot = strrchr(path, '.');
    if (!dot || strchr(dot, '/'))
        return "application/octet-stream";
    static const struct {
        const char *ext, *type;
    } t[] = { { ".html", "text/html" },  { ".htm", "text/html" },   { ".shtml", "text/html" },
              { ".css", "text/css" },    { ".js", "application/javascript" },
              { ".txt", "text/plain" },  { ".png", "image/png" },   { ".jpg", "image/jpeg" },
              { ".gif", "image/gif" },   { ".pdf", "application/pdf" },
              { ".doc", "application/msword" }, { ".xls", "application/vnd.ms-excel" } };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (!strcmp(dot, t[i].ext))
            return t[i].type;
    return "application/octet-stream";
}

static enum MHD_Result send_buf(struct MHD_Connection *c, int status, const char *ctype,
                                const void *body, size_t n, const char *headers)
{
    struct MHD_Response *resp =
        MHD_create_response_from_buffer(n, (void *)body, MHD_RESPMEM_MUST_COPY);
    if (ctype)
        MHD_add_response_header(resp, "Content-Type", ctype);
    add_headers(resp, headers);
    enum MHD_Result ret = MHD_queue_response(c, (unsigned)status, resp);
    MHD_destroy_response(resp);
    return ret;
}

static enum MHD_Result serve_file(struct fixture_http *f, struct MHD_Connection *c,
                                  const char *host, const char *path)
{
    if (strstr(path, "/../") || strstr(path, "/.."))
        return send_buf(c, 400, "text/plain", "bad path\n", 9, NULL);
    struct buf p = BUF_INIT;
    size_t pl = strcspn(path, "?#");
    buf_addf(&p, "%s/%s", f->dir, host);
    /* the URL is percent-encoded; the files are named in UTF-8 */
    for (size_t i = 0; i < pl; i++) {
        unsigned v;
        if (path[i] == '%' && i + 2 < pl && sscanf(path + i + 1, "%2x", &v) == 1) {
            buf_addc(&p, (char)v);
            i += 2;
        } else {
            buf_addc(&p, path[i]);
        }
    }
    struct stat st;
    if (stat(buf_cstr(&p), &st) == 0 && S_ISDIR(st.st_mode)) {
        if (p.p[p.n - 1] != '/') {
            struct buf loc = BUF_INIT;
            buf_add(&loc, path, pl);
            buf_addc(&loc, '/');
            struct buf h = BUF_INIT;
            buf_addf(&h, "Location: %s\n", buf_cstr(&loc));
            enum MHD_Result ret = send_buf(c, 301, "text/html", "", 0, buf_cstr(&h));
            buf_release(&loc);
            buf_release(&h);
            buf_release(&p);
            return ret;
        }
        static const char *const idx[] = { "index.html", "index.htm", "index.shtml" };
        size_t base = p.n;
        for (size_t i = 0; i < 3; i++) {
            buf_truncate(&p, base);
            buf_adds(&p, idx[i]);
            if (stat(buf_cstr(&p), &st) == 0)
                break;
        }
    }
    int fd = open(buf_cstr(&p), O_RDONLY);
    if (fd < 0 || fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        if (fd >= 0)
            close(fd);
        buf_release(&p);
        static const char nf[] = "<html><body><h1>404 Not Found</h1></body></html>\n";
        return send_buf(c, 404, "text/html", nf, sizeof(nf) - 1, NULL);
    }
    struct MHD_Response *resp = MHD_create_response_from_fd((uint64_t)st.st_size, fd);
    MHD_add_response_header(resp, "Content-Type", type_of(buf_cstr(&p)));
    enum MHD_Result ret = MHD_queue_response(c, 200, resp);
    MHD_destroy_response(resp);
    buf_release(&p);
    return ret;
}

static struct route *find_route(struct fixture_http *f, const char *host, const char *uri)
{
    size_t pl = strcspn(uri, "?");
    struct route *loose = NULL;
    for (size_t i = 0; i < f->nroutes; i++) {
        struct route *r = f->routes[i];
        if (r->r.host[0] && strcmp(r->r.host, host))
            continue;
        if (!strcmp(r->r.path, uri))
            return r;
        if (!loose && strlen(r->r.path) == pl && !strncmp(r->r.path, uri, pl))
            loose = r;
    }
    return loose;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *c, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **con_cls)
{
    (void)url;
    (void)version;
    (void)upload;
    (void)upload_size;
    struct fixture_http *f = cls;
    struct req *rq = *con_cls;
    if (!rq)
        return MHD_NO;
    /* the host, lower-case, without the port */
    const char *h = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Host");
    size_t k = 0;
    for (; h && h[k] && h[k] != ':' && k + 1 < sizeof(rq->host); k++)
        rq->host[k] = (char)ascii_tolower((unsigned char)h[k]);
    rq->host[k] = 0;
    if (!k)
        snprintf(rq->host, sizeof(rq->host), "-");
    const char *ua = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "User-Agent");
    bool head = !strcmp(method, "HEAD");
    pthread_mutex_lock(&f->mu);
    snprintf(f->agent, sizeof(f->agent), "%s", ua ? ua : "");
    struct buf key = BUF_INIT;
    buf_addf(&key, "%s\n%s", rq->host, rq->uri);
    struct counter *ct = map_get(&f->counts, key.p, key.n);
    if (!ct) {
        ct = XNEW(struct counter);
        map_put(&f->counts, key.p, key.n, ct);
    }
    ct->hits++;
    ct->heads += head;
    buf_release(&key);
    struct hostc *hc = hostc_of(f, rq->host), *all = hostc_of(f, "");
    if (++hc->active > hc->max)
        hc->max = hc->active;
    if (++all->active > all->max)
        all->max = all->active;
    struct route *r = f->dir ? NULL : find_route(f, rq->host, rq->uri);
    int busy = 0;
    if (r && r->r.kind == FX_BUSY)
        busy = ++r->busy_seen;
    int delay = f->delay_ms;
    pthread_mutex_unlock(&f->mu);
    if (delay > 0) {
        struct timespec ts = { delay / 1000, (long)(delay % 1000) * 1000000L };
        nanosleep(&ts, NULL);
    }

    if (f->dir) {
        /* The request ends for the count when its answer is queued: the client may send
         * the next one as soon as it has the answer, before MHD calls `completed`. */
        pthread_mutex_lock(&f->mu);
        hostc_of(f, rq->host)->active--;
        hostc_of(f, "")->active--;
        pthread_mutex_unlock(&f->mu);
        char host[sizeof(rq->host)];
        memcpy(host, rq->host, sizeof(host));
        rq->host[0] = 0; /* counted down already */
        return serve_file(f, c, host, rq->uri);
    }
    if (!r) {
        static const char nf[] = "<html><body>not found</body></html>";
        return send_buf(c, 404, "text/html", nf, sizeof(nf) - 1, NULL);
    }
    const struct fx_route *x = &r->r;
    const char *ctype = x->ctype ? x->ctype : "text/html";
    size_t blen = x->body_len ? x->body_len : strlen(x->body);
    switch (x->kind) {
    case FX_STATIC:
        return send_buf(c, x->status ? x->status : 200, ctype, x->body, blen, x->headers);
    case FX_REDIRECT: {
        struct buf hb = BUF_INIT;
        buf_addf(&hb, "Location: %s\n%s", x->location ? x->location : "/", x->headers ? x->headers : "");
        enum MHD_Result ret = send_buf(c, x->status ? x->status : 302, ctype, "", 0, buf_cstr(&hb));
        buf_release(&hb);
        return ret;
    }
    case FX_BUSY:
        if ((size_t)busy <= x->n)
            return send_buf(c, 429, "text/html", "busy", 4, "Retry-After: 1\n");
        return send_buf(c, 200, ctype, x->body, blen, x->headers);
    case FX_NO_HEAD:
        if (head)
            return send_buf(c, 405, "text/html", "", 0, "Allow: GET\n");
        return send_buf(c, 200, ctype, x->body, blen, x->headers);
    case FX_HEAD_LIES:
        if (head)
            return send_buf(c, 404, "text/html", "", 0, NULL);
        return send_buf(c, 200, ctype, x->body, blen, x->headers);
    case FX_CONDITIONAL: {
        const char *inm = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "If-None-Match");
        if (inm && !strcmp(inm, "\"v1\""))
            return send_buf(c, 304, NULL, "", 0, "ETag: \"v1\"\n");
        return send_buf(c, 200, ctype, x->body, blen, "ETag: \"v1\"\n");
    }
    case FX_GZIP_BOMB:
        return send_buf(c, 200, ctype, r->gz, r->gzn, "Content-Encoding: gzip\n");
    case FX_SLOW:
    case FX_HUGE: {
        struct gen *g = XNEW(struct gen);
        g->kind = x->kind;
        g->n = x->n;
        struct MHD_Response *resp = MHD_create_response_from_callback(
            g->n, x->kind == FX_SLOW ? 1 : 16384, gen_read, g, gen_free);
        MHD_add_response_header(resp, "Content-Type", ctype);
        enum MHD_Result ret = MHD_queue_response(c, 200, resp);
        MHD_destroy_response(resp);
        return ret;
    }
    }
    return MHD_NO;
}

/* ------------------------------------------------------------- server --- */

static struct fixture_http *start(const char *dir, int port)
{
    struct fixture_http *f = XNEW(struct fixture_http);
    pthread_mutex_init(&f->mu, NULL);
    f->dir = dir ? xstrdup(dir) : NULL;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)port);
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    f->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION,
                            0, NULL, NULL, handler, f, MHD_OPTION_SOCK_ADDR, &sa,
                            MHD_OPTION_URI_LOG_CALLBACK, uri_log, f,
                            MHD_OPTION_NOTIFY_COMPLETED, completed, f,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
    if (!f->d) {
        fprintf(stderr, "fixture_http: cannot start libmicrohttpd on 127.0.0.1:%d\n", port);
        free(f->dir);
        free(f);
        return NULL;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
    f->port = di ? di->port : port;
    return f;
}

struct fixture_http *fixture_http_start(void)
{
    return start(NULL, 0);
}

struct fixture_http *fixture_http_serve_dir(const char *dir, int port)
{
    return start(dir, port);
}

int fixture_http_port(const struct fixture_http *f)
{
    return f->port;
}

static void free_route(struct route *r)
{
    free((char *)r->r.host);
    free((char *)r->r.path);
    free((char *)r->r.ctype);
    free((char *)r->r.body);
    free((char *)r->r.location);
    free((char *)r->r.headers);
    free(r->gz);
    free(r);
}

void fixture_http_stop(struct fixture_http *f)
{
    if (!f)
        return;
    MHD_stop_daemon(f->d);
    for (size_t i = 0; i < f->nroutes; i++)
        free_route(f->routes[i]);
    free(f->routes);
    map_release(&f->counts, free);
    map_release(&f->hosts, free);
    pthread_mutex_destroy(&f->mu);
    free(f->dir);
    free(f);
}

/* gzip of n zero bytes, compressed in pieces (never n bytes in memory). */
static char *gzip_zeros(size_t n, size_t *outn)
{
    z_stream z;
    memset(&z, 0, sizeof(z));
    deflateInit2(&z, 9, Z_DEFLATED, 31, 9, Z_DEFAULT_STRATEGY);
    static const unsigned char zeros[65536];
    struct buf out = BUF_INIT;
    unsigned char tmp[65536];
    size_t left = n;
    int flush;
    do {
        size_t chunk = left > sizeof(zeros) ? sizeof(zeros) : left;
        left -= chunk;
        flush = left ? Z_NO_FLUSH : Z_FINISH;
        z.next_in = (unsigned char *)zeros;
        z.avail_in = (unsigned)chunk;
        do {
            z.next_out = tmp;
            z.avail_out = sizeof(tmp);
            deflate(&z, flush);
            buf_add(&out, tmp, sizeof(tmp) - z.avail_out);
        } while (z.avail_out == 0);
    } while (flush != Z_FINISH);
    deflateEnd(&z);
    *outn = out.n;
    return buf_take(&out);
}

static char *dup0(const char *s)
{
    return s ? xstrdup(s) : NULL;
}

void fixture_http_route(struct fixture_http *f, const struct fx_route *in)
{
    struct route *r = XNEW(struct route);
    r->r = *in;
    r->r.host = xstrdup(in->host ? in->host : "");
    r->r.path = xstrdup(in->path ? in->path : "/");
    r->r.ctype = dup0(in->ctype);
    size_t bl = in->body ? (in->body_len ? in->body_len : strlen(in->body)) : 0;
    char *b = xmalloc(bl + 1);
    if (bl)
        memcpy(b, in->body, bl);
    b[bl] = 0;
    r->r.body = b;
    r->r.body_len = bl;
    r->r.location = dup0(in->location);
    r->r.headers = dup0(in->headers);
    if (in->kind == FX_GZIP_BOMB)
        r->gz = gzip_zeros(in->n, &r->gzn);
    pthread_mutex_lock(&f->mu);
    f->routes = xrealloc(f->routes, (f->nroutes + 1) * sizeof(*f->routes));
    f->routes[f->nroutes++] = r;
    pthread_mutex_unlock(&f->mu);
}

void fixture_http_page(struct fixture_http *f, const char *host, const char *path, const char *html)
{
    fixture_http_route(f, &(struct fx_route){ .host = host, .path = path, .body = html });
}

static struct counter *counter_of(struct fixture_http *f, const char *host, const char *path)
{
    struct buf key = BUF_INIT;
    buf_addf(&key, "%s\n%s", host, path);
    struct counter *c = map_get(&f->counts, key.p, key.n);
    buf_release(&key);
    return c;
}

int fixture_http_hits(struct fixture_http *f, const char *host, const char *path)
{
    pthread_mutex_lock(&f->mu);
    struct counter *c = counter_of(f, host, path);
    int n = c ? c->hits : 0;
    pthread_mutex_unlock(&f->mu);
    return n;
}

int fixture_http_hits_method(struct fixture_http *f, const char *host, const char *path,
                             const char *method)
{
    pthread_mutex_lock(&f->mu);
    struct counter *c = counter_of(f, host, path);
    int n = !c ? 0 : !strcmp(method, "HEAD") ? c->heads : c->hits - c->heads;
    pthread_mutex_unlock(&f->mu);
    return n;
}

int fixture_http_max_concurrent(struct fixture_http *f, const char *host)
{
    pthread_mutex_lock(&f->mu);
    struct hostc *h = map_gets(&f->hosts, host ? host : "");
    int n = h ? h->max : 0;
    pthread_mutex_unlock(&f->mu);
    return n;
}

void fixture_http_set_delay(struct fixture_http *f, int ms)
{
    pthread_mutex_lock(&f->mu);
    f->delay_ms = ms;
    pthread_mutex_unlock(&f->mu);
}

void fixture_http_stats(struct fixture_http *f, struct buf *out)
{
    pthread_mutex_lock(&f->mu);
    map_foreach(&f->hosts, it)
    {
        const struct hostc *h = it->val;
        if (it->key[0])
            buf_addf(out, "%s %d\n", (const char *)it->key, h->max);
    }
    pthread_mutex_unlock(&f->mu);
}

const char *fixture_http_last_agent(struct fixture_http *f)
{
    return f->agent;
}
