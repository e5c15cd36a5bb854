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

enum rc url_base_resolve(const struct url_base *b, const char *href, char **out, struct err *err)
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
