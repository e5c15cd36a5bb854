/* opts.c - crawl options: defaults and the [crawl] section of the configuration
 * (crawl.h; every key is documented in docs/crawl.md). */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "crawl/crawl.h"

#ifndef GOVSITE_VERSION
#define GOVSITE_VERSION "0"
#endif

void crawl_opts_init(struct crawl_opts *o)
{
    memset(o, 0, sizeof(*o));
    o->max_pages = 20000;
    o->max_depth = 20;
    o->concurrency = 16;
    o->per_host = 2;
    o->rate = 2.0;
    o->retries = 2;
    o->retry_max_s = 30;
    o->connect_timeout_s = 10;
    o->timeout_s = 30;
    o->max_redirects = 10;
    o->max_query_variants = 100;
    o->keep_runs = 5;
    o->parsers = 0;
    o->body_cap = (size_t)10 << 20;
    o->text_cap = (size_t)256 << 10;
    o->check_external = true;
    o->user_agent = xstrdup("govsite/" GOVSITE_VERSION);
}

static void free_list(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}

void crawl_opts_release(struct crawl_opts *o)
{
    free(o->user_agent);
    free(o->prefix);
    free_list(o->include, o->ninclude);
    free_list(o->exclude, o->nexclude);
    free_list(o->connect_to, o->nconnect_to);
    free_list(o->resolve, o->nresolve);
    memset(o, 0, sizeof(*o));
}

void crawl_opts_add(char ***list, size_t *n, const char *s)
{
    *list = xrealloc(*list, (*n + 1) * sizeof(**list));
    (*list)[(*n)++] = xstrdup(s);
}

/* "10M", "512K", "1G", "10MiB", "4096" */
static bool parse_size(const char *s, size_t *out)
{
    struct str t = str_trim(str_of(s));
    size_t k = 0;
    while (k < t.n && ascii_isdigit((unsigned char)t.p[k]))
        k++;
    int64_t v;
    if (k == 0 || !str_to_i64((struct str){ t.p, k }, &v))
        return false;
    struct str suf = str_trim((struct str){ t.p + k, t.n - k });
    int64_t mul = 1;
    if (suf.n == 0 || str_ieq_ascii(suf, "b"))
        mul = 1;
    else if (str_ieq_ascii(suf, "k") || str_ieq_ascii(suf, "kb") || str_ieq_ascii(suf, "kib"))
        mul = 1024;
    else if (str_ieq_ascii(suf, "m") || str_ieq_ascii(suf, "mb") || str_ieq_ascii(suf, "mib"))
        mul = 1024 * 1024;
    else if (str_ieq_ascii(suf, "g") || str_ieq_ascii(suf, "gb") || str_ieq_ascii(suf, "gib"))
        mul = 1024 * 1024 * 1024;
    else
        return false;
    if (v > ((int64_t)1 << 40) / mul)
        return false;
    *out = (size_t)(v * mul);
    return true;
}

/* Split a list value on commas and whitespace. */
static void add_words(char ***list, size_t *n, const char *v)
{
    struct str s = str_of(v);
    size_t i = 0;
    while (i < s.n) {
        while (i < s.n && (s.p[i] == ',' || ascii_isspace((unsigned char)s.p[i])))
            i++;
        size_t j = i;
        while (j < s.n && s.p[j] != ',' && !ascii_isspace((unsigned char)s.p[j]))
            j++;
        if (j > i) {
            char *w = xstrndup(s.p + i, j - i);
            crawl_opts_add(list, n, w);
            free(w);
        }
        i = j;
    }
}

static int colons(const char *s)
{
    int n = 0;
    for (; *s; s++)
        n += *s == ':';
    return n;
}

enum rc crawl_opts_conf(struct crawl_opts *o, const struct conf *c, struct err *err)
{
    static const struct {
        const char *key;
        int64_t lo, hi;
    } ints[] = {
        { "max_pages", 1, 10000000 },  { "max_depth", 0, 1000 },
        { "concurrency", 1, 1000 },    { "per_host", 1, 100 },
        { "retries", 0, 10 },          { "retry_max", 0, 3600 },
        { "connect_timeout", 1, 600 }, { "timeout", 1, 3600 },
        { "max_redirects", 0, 50 },    { "max_query_variants", 1, 1000000 },
        { "keep_runs", 1, 1000 },      { "parsers", 0, 64 },
    };
    int *fields[] = { &o->max_pages,   &o->max_depth,         &o->concurrency, &o->per_host,
                      &o->retries,     &o->retry_max_s,       &o->connect_timeout_s,
                      &o->timeout_s,   &o->max_redirects,     &o->max_query_variants,
                      &o->keep_runs,   &o->parsers };
    enum rc rc;
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        int64_t v;
        rc = conf_int(c, "crawl", ints[i].key, *fields[i], ints[i].lo, ints[i].hi, &v, err);
        if (rc)
            return rc;
        *fields[i] = (int)v;
    }
    rc = conf_double(c, "crawl", "rate", o->rate, &o->rate, err);
    if (rc)
        return rc;
    if (o->rate < 0)
        return err_set(err, RC_INVALID, "%s: [crawl] rate must be 0 (no limit) or more",
                       conf_where(c, "crawl", "rate"));
    rc = conf_bool(c, "crawl", "check_external", o->check_external, &o->check_external, err);
    if (rc)
        return rc;
    static const char *const sizes[] = { "body_cap", "text_cap" };
    size_t *sfields[] = { &o->body_cap, &o->text_cap };
    for (size_t i = 0; i < 2; i++) {
        const char *v = conf_get(c, "crawl", sizes[i], NULL);
        if (v && (!parse_size(v, sfields[i]) || *sfields[i] < 1024))
            return err_set(err, RC_INVALID,
                           "%s: [crawl] %s '%s' is not a size of at least 1K; write e.g. 10M",
                           conf_where(c, "crawl", sizes[i]), sizes[i], v);
    }
    const char *ua = conf_get(c, "crawl", "user_agent", NULL);
    const char *contact = conf_get(c, "crawl", "contact", NULL);
    if (ua && *ua) {
        free(o->user_agent);
        o->user_agent = xstrdup(ua);
    } else if (contact && *contact) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "govsite/%s (+%s)", GOVSITE_VERSION, contact);
        free(o->user_agent);
        o->user_agent = buf_take(&b);
    }
    const char *v;
    if ((v = conf_get(c, "crawl", "prefix", NULL)) && *v) {
        free(o->prefix);
        o->prefix = xstrdup(v);
    }
    if ((v = conf_get(c, "crawl", "include", NULL)))
        add_words(&o->include, &o->ninclude, v);
    if ((v = conf_get(c, "crawl", "exclude", NULL)))
        add_words(&o->exclude, &o->nexclude, v);
    if ((v = conf_get(c, "crawl", "connect_to", NULL)))
        add_words(&o->connect_to, &o->nconnect_to, v);
    if ((v = conf_get(c, "crawl", "resolve", NULL))) {
        /* HOST:PORT:ADDR, or HOST:PORT:CONNECT-HOST:CONNECT-PORT (a port mapping) */
        char **tmp = NULL;
        size_t n = 0;
        add_words(&tmp, &n, v);
        for (size_t i = 0; i < n; i++) {
            if (colons(tmp[i]) >= 3 && !strchr(tmp[i], '['))
                crawl_opts_add(&o->connect_to, &o->nconnect_to, tmp[i]);
            else
                crawl_opts_add(&o->resolve, &o->nresolve, tmp[i]);
        }
        free_list(tmp, n);
    }
    for (size_t i = 0; i < o->nconnect_to; i++)
        if (colons(o->connect_to[i]) != 3)
            return err_set(err, RC_INVALID,
                           "%s: [crawl] connect_to entry '%s' is not HOST:PORT:CONNECT-HOST:PORT",
                           conf_where(c, "crawl", "connect_to") ? conf_where(c, "crawl", "connect_to")
                                                                : conf_where(c, "crawl", "resolve"),
                           o->connect_to[i]);
    for (size_t i = 0; i < o->nresolve; i++)
        if (colons(o->resolve[i]) != 2 && !strchr(o->resolve[i], '['))
            return err_set(err, RC_INVALID, "%s: [crawl] resolve entry '%s' is not HOST:PORT:ADDRESS",
                           conf_where(c, "crawl", "resolve"), o->resolve[i]);
    return RC_OK;
}
