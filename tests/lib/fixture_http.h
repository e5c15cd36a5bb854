/* fixture_http.h - an HTTP server for tests: libmicrohttpd on 127.0.0.1, the port
 * chosen by the kernel, virtual hosts by the Host header.
 *
 *   struct fixture_http *f = fixture_http_start();
 *   fixture_http_page(f, "www.a.test", "/", "<a href=/x>x</a>");
 *   fixture_http_route(f, &(struct fx_route){ .host = "www.a.test", .path = "/slow",
 *                                             .kind = FX_SLOW, .n = 20 });
 *   ... crawl http://www.a.test/ with connect_to "*.test::127.0.0.1:PORT" ...
 *   ASSERT_EQ_INT(fixture_http_hits(f, "www.a.test", "/slow"), 1);
 *   fixture_http_stop(f);
 *
 * Routes are matched on host ("" = any host) and path with query (exact, else the path
 * without the query).  Unknown paths answer 404.  Each connection has its own thread, so
 * a slow route does not hold up the others.  Also used by `testtool serve DIR`, which
 * serves DIR/HOST/PATH files (directories: index.html, index.htm, index.shtml).
 */
#ifndef TESTS_FIXTURE_HTTP_H
#define TESTS_FIXTURE_HTTP_H

#include <stdbool.h>
#include <stddef.h>

enum fx_kind {
    FX_STATIC,     /* status, content type, body, headers */
    FX_SLOW,       /* the body trickles: one byte every 200 ms, n bytes */
    FX_HUGE,       /* n bytes of HTML-ish filler, generated, never held in memory */
    FX_GZIP_BOMB,  /* n bytes of zeros, gzip-compressed (Content-Encoding: gzip) */
    FX_REDIRECT,   /* status (301/302) to `location` */
    FX_BUSY,       /* 429 with Retry-After: 1 for the first n requests, then the body */
    FX_NO_HEAD,    /* HEAD answers 405, GET the body */
    FX_HEAD_LIES,  /* HEAD answers 404, GET the body */
    FX_CONDITIONAL /* the body with an ETag; If-None-Match with it gives 304 */
};

struct fx_route {
    const char *host;        /* "" or NULL: any host */
    const char *path;        /* "/a/b.html" or "/cal?m=1" */
    enum fx_kind kind;
    int status;              /* FX_STATIC, FX_REDIRECT (default 200 / 302) */
    const char *ctype;       /* default "text/html" (no charset) */
    const char *body;        /* NULL: "" */
    size_t body_len;         /* 0: strlen(body) */
    const char *location;    /* FX_REDIRECT */
    const char *headers;     /* extra "Name: value\n" lines */
    size_t n;                /* FX_SLOW, FX_HUGE, FX_GZIP_BOMB sizes; FX_BUSY count */
};

struct fixture_http;

/* Start the server; NULL (with a message on stderr) when it cannot. */
struct fixture_http *fixture_http_start(void);
/* Serve files under dir as DIR/HOST/PATH (testtool serve); `port` 0 = any. */
struct fixture_http *fixture_http_serve_dir(const char *dir, int port);
int fixture_http_port(const struct fixture_http *f);
void fixture_http_stop(struct fixture_http *f);

/* Add a route (copied). */
void fixture_http_route(struct fixture_http *f, const struct fx_route *r);
/* Shorthand: a 200 text/html page. */
void fixture_http_page(struct fixture_http *f, const char *host, const char *path,
                       const char *html);

/* Requests seen for host+path (any method), and the largest number of requests that
 * were in progress at once for a host ("" = all hosts). */
int fixture_http_hits(struct fixture_http *f, const char *host, const char *path);
int fixture_http_max_concurrent(struct fixture_http *f, const char *host);
/* Requests with a given method (e.g. "HEAD") for host+path. */
int fixture_http_hits_method(struct fixture_http *f, const char *host, const char *path,
                             const char *method);
/* Every answer waits `ms` milliseconds first (0: none), so requests overlap and the
 * concurrency counts mean something on a fast loopback. */
void fixture_http_set_delay(struct fixture_http *f, int ms);
/* Appends "HOST MAX_CONCURRENT\n" for every host seen (testtool serve --stats). */
struct buf;
void fixture_http_stats(struct fixture_http *f, struct buf *out);
/* The User-Agent of the last request. (static buffer) */
const char *fixture_http_last_agent(struct fixture_http *f);

#endif
