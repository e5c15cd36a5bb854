/* url.c - URL normalisation with curl's URL API (see url.h). */
#include "core/url.h"

#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"

enum url_kind url_kind_of(const char *href)
{
    struct str h = str_trim(str_of(href));
    if (h.n == 0 || h.p[0] == '#')
        return URL_EMPTY;
    /* A scheme is letters, digits, + - . before the first ':' (and before / ? #). */
    size_t i = 0;
    while (i < h.n && (ascii_isalnum((unsigned char)h.p[i]) || h.p[i] == '+' || h.p[i] == '-' ||
                       h.p[i] == '.'))
        i++;
    if (i == 0 || i >= h.n || h.p[i] != ':' || !ascii_isalpha((unsigned char)h.p[0]))
        return URL_HTTP; /* relative */
    struct str s = { h.p, i };
    if (str_ieq_ascii(s, "http") || str_ieq_ascii(s, "https"))
        return URL_HTTP;
    if (str_ieq_ascii(s, "mailto"))
        return URL_MAILTO;
    if (str_ieq_ascii(s, "javascript") || str_ieq_ascii(s, "vbscript"))
        return URL_JAVASCRIPT;
    if (str_ieq_ascii(s, "tel") || str_ieq_ascii(s, "sms"))
        return URL_TEL;
    if (str_ieq_ascii(s, "data"))
        return URL_DATA;
    return URL_OTHER;
}

/* Upper-case the hex digits of percent-escapes; lower-case the host. */
static char *finish(CURLU *u, struct err *err)
{
    char *host = NULL;
    if (curl_url_get(u, CURLUPART_HOST, &host, 0) == CURLUE_OK && host) {
        bool upper = false;
        for (char *p = host; *p; p++)
            if (*p >= 'A' && *p <= 'Z')
                upper = true;
        if (upper) {
            for (char *p = host; *p; p++)
                *p = (char)ascii_tolower((unsigned char)*p);
            curl_url_set(u, CURLUPART_HOST, host, 0);
        }
    }
    curl_free(host);
    curl_url_set(u, CURLUPART_FRAGMENT, NULL, 0);
    char *out = NULL;
    CURLUcode rc = curl_url_get(u, CURLUPART_URL, &out, CURLU_NO_DEFAULT_PORT);
    if (rc != CURLUE_OK) {
        err_set(err, RC_INVALID, "cannot build URL: %s", curl_url_strerror(rc));
        return NULL;
    }
    char *res = xstrdup(out);
    curl_free(out);
    /* Scheme://host part has no escapes; fix case of escapes everywhere. */
    for (char *p = res; *p; p++) {
        if (p[0] == '%' && p[1] && p[2]) {
            if (p[1] >= 'a' && p[1] <= 'f')
                p[1] = (char)(p[1] - 32);
            if (p[2] >= 'a' && p[2] <= 'f')
                p[2] = (char)(p[2] - 32);
        }
    }
    return res;
}

static bool scheme_ok(CURLU *u)
{
    char *sch = NULL;
    bool ok = curl_url_get(u, CURLUPART_SCHEME, &sch, 0) == CURLUE_OK && sch &&
              (!strcmp(sch, "http") || !strcmp(sch, "https"));
    curl_free(sch);
    return ok;
}

/* Copy href trimmed of surrounding whitespace, with inner tabs/newlines removed (the
 * URL standard strips them), into a NUL-terminated buffer. */
static char *clean_href(const char *href)
{
    struct str h = str_trim(str_of(href));
    char *c = xmalloc(h.n + 1);
    size_t k = 0;
    for (size_t i = 0; i < h.n; i++)
        if (h.p[i] != '\t' && h.p[i] != '\n' && h.p[i] != '\r')
            c[k++] = h.p[i] == '\\' ? '/' : h.p[i];
    c[k] = 0;
    return c;
}

enum rc url_normalize(const char *in, char **out, struct err *err)
{
    *out = NULL;
    char *c = clean_href(in);
    CURLU *u = curl_url();
    CURLUcode rc = curl_url_set(u, CURLUPART_URL, c, CURLU_URLENCODE | CURLU_ALLOW_SPACE);
    enum rc r = RC_OK;
    if (rc != CURLUE_OK)
        r = err_set(err, RC_INVALID, "'%s' is not a valid URL: %s", in, curl_url_strerror(rc));
    else if (!scheme_ok(u))
        r = err_set(err, RC_INVALID, "'%s' is not an http or https URL", in);
    else if (!(*out = finish(u, err)))
        r = RC_INVALID;
    curl_url_cleanup(u);
    free(c);
    return r;
}

enum rc url_base_init(struct url_base *b, const char *base, struct err *err)
{
    b->h = NULL;
    b->url = NULL;
    enum rc rc = url_normalize(base, &b->url, err);
    if (rc)
        return rc;
    CURLU *u = curl_url();
    curl_url_set(u, CURLUPART_URL, b->url, 0);
    b->h = u;
    return RC_OK;
}

void url_base_release(struct url_base *b)
{
    if (b->h)
        curl_url_cleanup(b->h);
    free(b->url);
    b->h = NULL;
    b->url = NULL;
}

/* ---- The fast path: plain relative references, resolved by RFC 3986 5.2 without curl.
 * Only references made of characters curl copies unchanged take it (letters, digits,
 * "-._~/" in the path, and "=&" too in the query), so the result is byte-identical to
 * curl's; tests/fuzz/fuzz_url.c checks that on random input. */

static bool fast_char(unsigned char c, bool query)
{
    return ascii_isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '/' ||
           (query && (c == '=' || c == '&'));
}

/* RFC 3986 5.2.4 on an absolute path; appends to out. */
static void remove_dots(struct buf *out, const char *p, size_t n)
{
    size_t base = out->n;
    size_t i = 0;
    while (i < n) {
        /* one segment: from p[i] ('/') to the next '/' */
        size_t j = i + 1;
        while (j < n && p[j] != '/')
            j++;
        size_t sl = j - i - 1;
        const char *seg = p + i + 1;
        if (sl == 1 && seg[0] == '.') {
            if (j == n)
                buf_addc(out, '/');
        } else if (sl == 2 && seg[0] == '.' && seg[1] == '.') {
            /* drop the last output segment */
            size_t k = out->n;
            while (k > base && out->p[k - 1] != '/')
                k--;
            if (k > base)
                k--;
            buf_truncate(out, k);
            if (j == n)
                buf_addc(out, '/');
        } else {
            buf_add(out, p + i, j - i);
        }
        i = j;
    }
    if (out->n == base)
        buf_addc(out, '/');
}

/* Resolve when href qualifies; false to fall back to curl. */
static bool fast_resolve(const char *base, const char *href, char **out)
{
    size_t hn = strlen(href);
    if (hn == 0 || hn > 1024 || href[0] == '?' || (href[0] == '/' && href[1] == '/'))
        return false;
    size_t q = hn;
    for (size_t i = 0; i < hn; i++) {
        unsigned char c = (unsigned char)href[i];
        if (c == '?' && q == hn) {
            q = i;
            continue;
        }
        if (!fast_char(c, q != hn))
            return false;
    }
    /* curl treats a path ending in a dot segment differently from RFC 3986 (it drops the
     * trailing slash): leave those to curl */
    for (size_t i = 0; i < q; i++) {
        if (href[i] == '/' && i + 1 < q && href[i + 1] == '/')
            return false; /* curl folds some empty segments: not ours to imitate */
        if (href[i] == '.' && (i == 0 || href[i - 1] == '/')) {
            size_t j = i + (i + 1 < q && href[i + 1] == '.' ? 2 : 1);
            if (j == q || (href[j] == '/' && j + 1 == q))
                return false;
        }
    }
    /* a first segment with a ':' would be a scheme: excluded by fast_char */
    const char *sch = strstr(base, "://");
    if (!sch)
        return false;
    const char *path = strchr(sch + 3, '/');
    if (!path)
        return false;
    const char *bq = strchr(path, '?');
    size_t plen = bq ? (size_t)(bq - path) : strlen(path);
    struct buf b = BUF_INIT;
    buf_add(&b, base, (size_t)(path - base)); /* scheme://host[:port] */
    if (href[0] == '/') {
        remove_dots(&b, href, q);
    } else {
        size_t dir = plen;
        while (dir > 0 && path[dir - 1] != '/')
            dir--;
        struct buf m = BUF_INIT;
        buf_add(&m, path, dir);
        buf_add(&m, href, q);
        remove_dots(&b, m.p, m.n);
        buf_release(&m);
    }
    if (q + 1 < hn) { /* curl drops an empty query */
        buf_addc(&b, '?');
        buf_add(&b, href + q + 1, hn - q - 1);
    }
    *out = buf_take(&b);
    return true;
}

enum rc url_base_resolve(const struct url_base *b, const char *href, char **out, struct err *err)
{
    *out = NULL;
    if (fast_resolve(b->url, href, out))
        return RC_OK;
    return url_base_resolve_curl(b, href, out, err);
}

enum rc url_base_resolve_curl(const struct url_base *b, const char *href, char **out,
                              struct err *err)
{
    *out = NULL;
    enum url_kind k = url_kind_of(href);
    if (k != URL_HTTP && k != URL_EMPTY)
        return err_set(err, RC_INVALID, "'%.200s' is not an http link", href);
    char *c = clean_href(href);
    if (!*c || *c == '#') {
        /* Same document (curl would drop the last path segment for "#x"). */
        free(c);
        *out = xstrdup(b->url);
        return RC_OK;
    }
    CURLU *u = curl_url_dup(b->h);
    CURLUcode rc = CURLUE_OK;
    if (*c)
        rc = curl_url_set(u, CURLUPART_URL, c, CURLU_URLENCODE | CURLU_ALLOW_SPACE);
    enum rc r = RC_OK;
    if (rc != CURLUE_OK)
        r = err_set(err, RC_INVALID, "cannot resolve '%.200s': %s", href, curl_url_strerror(rc));
    else if (!scheme_ok(u))
        r = err_set(err, RC_INVALID, "'%.200s' is not an http link", href);
    else if (!(*out = finish(u, err)))
        r = RC_INVALID;
    curl_url_cleanup(u);
    free(c);
    return r;
}

enum rc url_resolve(const char *base, const char *href, char **out, struct err *err)
{
    struct url_base b;
    enum rc rc = url_base_init(&b, base, err);
    if (rc) {
        *out = NULL;
        return rc;
    }
    rc = url_base_resolve(&b, href, out, err);
    url_base_release(&b);
    return rc;
}

bool url_host(const char *url, char *out, size_t n)
{
    const char *p = strstr(url, "://");
    if (!p || n == 0)
        return false;
    p += 3;
    const char *at = NULL;
    size_t k = 0;
    for (const char *q = p; *q && *q != '/' && *q != '?' && *q != '#'; q++)
        if (*q == '@')
            at = q;
    if (at)
        p = at + 1;
    if (*p == '[') {
        while (*p && *p != ']' && k + 1 < n)
            out[k++] = *p++;
        if (*p == ']' && k + 1 < n)
            out[k++] = *p++;
    } else {
        while (*p && *p != '/' && *p != '?' && *p != '#' && *p != ':' && k + 1 < n)
            out[k++] = (char)ascii_tolower((unsigned char)*p++);
    }
    out[k] = 0;
    return k > 0;
}

const char *url_path(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return url;
    p = strpbrk(p + 3, "/?");
    return p ? p : "/";
}
