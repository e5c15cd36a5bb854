/* fuzz_weblog.c - the access-log line parser, format compiler and detector, the User-Agent
 * normaliser and the visitor-key decoder on arbitrary bytes: no crash, no read outside the
 * input, and the parser's views always lie inside the line it was given.
 *
 * The first byte picks what the rest is: 0-5 lines in a format (combined, common, main,
 * iis, an nginx log_format, an Apache LogFormat), 6 a format string, 7 a sample for
 * detection, 8 a key blob, 9 a User-Agent. */
#include <stdlib.h>
#include <string.h>

#include "core/res.h"
#include "fuzz.h"
#include "weblog/wl_int.h"

static const char *const specs[] = {
    "combined",
    "common",
    "main",
    "iis",
    ("$remote_addr [$time_iso8601] \"$request\" $status $body_bytes_sent \"$http_user_agent\" "
     "\"$sent_http_content_type\" $http_x_forwarded_for"),
    "%h %l %u %t \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" \\\"%{User-Agent}i\\\"",
};

static bool inside(struct str v, const char *p, size_t n)
{
    return v.n == 0 || (v.p >= p && v.p + v.n <= p + n);
}

static void lines(struct wl_format *f, const struct wl_config *cfg, const char *p, size_t n)
{
    const char *end = p + n;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
        /* a copy of exactly the line, so ASan sees any read past it */
        char *line = malloc(len ? len : 1);
        memcpy(line, p, len);
        struct wl_rec r;
        const char *why;
        if (wl_parse_line(f, line, len, &r, &why) == WL_LINE_OK) {
            FUZZ_ASSERT(r.status >= 100 && r.status <= 599);
            FUZZ_ASSERT(inside(r.addr, line, len) && inside(r.ua, line, len));
            /* the path is in the line, or "/" for an absolute URI without one */
            FUZZ_ASSERT(inside(r.path, line, len) || (r.path.n == 1 && r.path.p[0] == '/'));
            FUZZ_ASSERT(inside(r.query, line, len));
            FUZZ_ASSERT(inside(r.referer, line, len));
            /* the method is in the line, or "GET" for a format that does not log it */
            FUZZ_ASSERT(inside(r.method, line, len) ||
                        (r.method.n == 3 && !memcmp(r.method.p, "GET", 3)));
            FUZZ_ASSERT(r.bad_request || (r.path.n && r.path.p[0] == '/'));
            bool bot = r.has_ua && wl_is_bot(cfg, r.ua.p, r.ua.n);
            (void)wl_is_pageview(cfg, &r, bot);
        }
        free(line);
        p = nl ? nl + 1 : end;
    }
}

FUZZ(weblog)
{
    static struct wl_config cfg;
    static bool loaded;
    if (!loaded) {
        res_set_dir("/nonexistent-govsite-data");
        if (wl_config_load(&cfg, NULL, NULL))
            abort();
        loaded = true;
    }
    if (size < 1 || size > 1 << 16)
        return 0;
    unsigned sel = data[0] % 10;
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    char *copy = malloc(n + 1);
    memcpy(copy, p, n);
    copy[n] = 0;
    struct wl_format *f = NULL;
    if (sel < 6) {
        if (wl_format_compile(specs[sel], &f, NULL))
            abort();
        lines(f, &cfg, copy, n);
    } else if (sel == 6) {
        if (!wl_format_compile(copy, &f, NULL)) {
            FUZZ_ASSERT(f->nsteps > 0);
            lines(f, &cfg, copy, n);
        }
    } else if (sel == 7) {
        if (!wl_format_detect(copy, n, &f, NULL))
            lines(f, &cfg, copy, n);
    } else if (sel == 8) {
        struct wl_kdec d;
        uint64_t k, last = 0, got = 0;
        if (wl_kdec_init(&d, copy, n))
            while (wl_kdec_next(&d, &k)) {
                FUZZ_ASSERT(got == 0 || k > last);
                last = k;
                got++;
            }
        FUZZ_ASSERT(got <= wl_keys_count(copy, n));
    } else {
        char out[512];
        size_t k = wl_ua_normalize(copy, n, false, out, sizeof(out));
        FUZZ_ASSERT(k <= sizeof(out));
        (void)wl_is_bot(&cfg, copy, n);
    }
    wl_format_free(f);
    free(copy);
    return 0;
}
