/* frontier.c - which URLs a run crawls: scope, traps, session parameters, columns
 * (crawl_int.h). */
#include <fnmatch.h>
#include <string.h>

#include "core/str.h"
#include "core/url.h"
#include "crawl/crawl_int.h"

#define URL_MAX 2000
#define SEGMENTS_MAX 24
#define QUERY_MAX 600
#define PARAMS_MAX 24

int frontier_port(const char *url)
{
    const char *p = strstr(url, "://");
    if (!p)
        return 0;
    p += 3;
    const char *end = p + strcspn(p, "/?#");
    const char *c = NULL;
    for (const char *q = p; q < end; q++)
        if (*q == ':')
            c = q;
        else if (*q == ']')
            c = NULL;
    int v = 0;
    if (!c)
        return 0;
    for (c++; c < end && ascii_isdigit((unsigned char)*c); c++)
        v = v * 10 + (*c - '0');
    return v;
}

static bool glob_any(char **pats, size_t n, const char *url)
{
    for (size_t i = 0; i < n; i++)
        if (fnmatch(pats[i], url, 0) == 0)
            return true;
    return false;
}

bool frontier_in_scope(const struct run *r, const char *url)
{
    char host[256];
    if (!url_host(url, host, sizeof(host)) || strcmp(host, r->host) || frontier_port(url) != r->port)
        return false;
    const char *path = url_path(url);
    if (strncmp(path, r->prefix, strlen(r->prefix)))
        return false;
    const struct crawl_opts *o = r->o;
    if (o->ninclude && !glob_any(o->include, o->ninclude, url))
        return false;
    if (o->nexclude && glob_any(o->exclude, o->nexclude, url))
        return false;
    return true;
}

const char *frontier_trap(struct run *r, const char *url)
{
    if (strlen(url) > URL_MAX)
        return "URL longer than 2000 bytes";
    const char *path = url_path(url);
    const char *q = strchr(path, '?');
    size_t plen = q ? (size_t)(q - path) : strlen(path);
    /* repeating path segments: /a/b/a/b/a/b/ */
    struct str segs[SEGMENTS_MAX + 1];
    size_t ns = 0;
    for (size_t i = 0; i < plen;) {
        while (i < plen && path[i] == '/')
            i++;
        size_t j = i;
        while (j < plen && path[j] != '/')
            j++;
        if (j > i) {
            if (ns == SEGMENTS_MAX)
                return "path deeper than 24 segments";
            segs[ns++] = (struct str){ path + i, j - i };
        }
        i = j;
    }
    for (size_t i = 0; i < ns; i++) {
        int same = 0;
        for (size_t k = 0; k < ns; k++)
            same += str_eq(segs[i], segs[k]);
        if (same >= 3)
            return "path repeats a segment 3 times";
    }
    if (q) {
        size_t qn = strlen(q + 1), params = 1;
        for (const char *c = q + 1; *c; c++)
            params += *c == '&';
        if (qn > QUERY_MAX || params > PARAMS_MAX)
            return "query string too long";
        size_t key = (size_t)(q - url);
        bool created;
        void **slot = map_slot(&r->qvariants, url, key, &created);
        size_t n = (size_t)(uintptr_t)*slot + 1;
        *slot = (void *)(uintptr_t)n;
        if ((int)n > r->o->max_query_variants)
            return "too many query strings on one path (a calendar or search trap)";
    }
    return NULL;
}

static const char *const session_names[] = { "jsessionid", "phpsessid", "sid", "sessionid",
                                             "session_id", "sessid", "cfid", "cftoken",
                                             "aspsessionid" };

static bool session_param(const char *p, size_t n)
{
    for (size_t k = 0; k < sizeof(session_names) / sizeof(session_names[0]); k++) {
        size_t l = strlen(session_names[k]);
        if (n >= l && !ascii_ncasecmp(p, session_names[k], l) &&
            (n == l || !strcmp(session_names[k], "aspsessionid")))
            return true;
    }
    return false;
}

bool frontier_strip_session(char *url)
{
    bool changed = false;
    /* ;jsessionid=... in the path */
    char *sc = (char *)ascii_casestr(url, strlen(url), ";jsessionid=");
    if (sc) {
        size_t e = strcspn(sc, "?#");
        memmove(sc, sc + e, strlen(sc + e) + 1);
        changed = true;
    }
    char *q = strchr(url, '?');
    if (!q)
        return changed;
    char *w = q + 1, *r = q + 1;
    while (*r) {
        size_t len = strcspn(r, "&");
        size_t nl = strcspn(r, "=&");
        if (session_param(r, nl)) {
            changed = true;
        } else {
            if (w != q + 1)
                *w++ = '&';
            memmove(w, r, len);
            w += len;
        }
        r += len;
        if (*r == '&')
            r++;
    }
    *w = 0;
    if (w == q + 1)
        *q = 0; /* the query became empty */
    return changed;
}

static const char *const file_exts[] = {
    "pdf", "doc", "docx", "xls", "xlsx", "ppt", "pptx", "wps", "et", "dps", "ofd", "zip", "rar",
    "7z", "gz", "tar", "jpg", "jpeg", "png", "gif", "bmp", "webp", "svg", "ico", "mp3", "mp4",
    "avi", "wmv", "flv", "mov", "swf", "exe", "apk", "msi", "dmg", "css", "js", "txt", "csv",
    "xml", "json", "ceb", "cebx", "tif", "tiff", "wav", "rtf", "iso",
};

bool frontier_is_file(const char *url)
{
    const char *path = url_path(url);
    size_t plen = strcspn(path, "?#");
    const char *slash = path;
    for (size_t i = 0; i < plen; i++)
        if (path[i] == '/')
            slash = path + i;
    const char *dot = NULL;
    for (const char *c = slash; c < path + plen; c++)
        if (*c == '.')
            dot = c;
    if (!dot)
        return false;
    size_t el = (size_t)(path + plen - dot - 1);
    for (size_t k = 0; k < sizeof(file_exts) / sizeof(file_exts[0]); k++)
        if (el == strlen(file_exts[k]) && !ascii_ncasecmp(dot + 1, file_exts[k], el))
            return true;
    return false;
}

/* Length of the directory part of a URL (through the last '/' before the query). */
static size_t dir_len(const char *url)
{
    size_t q = strcspn(url, "?#");
    while (q > 0 && url[q - 1] != '/')
        q--;
    return q;
}

int64_t frontier_column(const struct run *r, const char *url, bool list_page)
{
    size_t ud = dir_len(url);
    /* the list page itself, or its pagination in the same directory */
    for (size_t i = 0; i < r->cols.n; i++) {
        const struct colprefix *c = &r->cols.v[i];
        if (!strcmp(c->url, url))
            return c->id;
        if (list_page && c->dirlen == ud && !strncmp(c->url, url, ud))
            return c->id;
    }
    /* the longest directory containing it (cols are sorted longest first) */
    for (size_t i = 0; i < r->cols.n; i++) {
        const struct colprefix *c = &r->cols.v[i];
        if (c->dirlen > 0 && c->dirlen <= ud && !strncmp(c->url, url, c->dirlen) &&
            c->dirlen > dir_len(r->start_url))
            return c->id;
    }
    return 0;
}

bool frontier_is_column_page(const struct run *r, const char *url)
{
    size_t ud = dir_len(url);
    const char *base = url + ud;
    for (size_t i = 0; i < r->cols.n; i++) {
        const struct colprefix *c = &r->cols.v[i];
        if (!strcmp(c->url, url))
            return true;
        /* its pagination: index_3.html in the same directory */
        if (c->dirlen == ud && !strncmp(c->url, url, ud) && !strncmp(base, "index", 5))
            return true;
    }
    return false;
}
