/* robots.c - robots.txt as RFC 9309 reads it (see crawl_int.h).
 *
 * The group for our product token ("govsite", case-insensitive) wins over the '*' group;
 * several groups naming the same agent are merged.  Rules match the path and query from
 * the start; '*' matches any run of characters and a final '$' anchors the end.  The
 * longest matching rule decides and an allow wins a tie.  Crawl-delay (not in the RFC,
 * widely used) is kept for the scheduler.  Patterns are percent-encoded the way our URLs
 * are (core/url.h), so "/新闻/" matches "/%E6%96%B0%E9%97%BB/".
 */
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "crawl/crawl_int.h"

struct robots_rule {
    char *pat;
    size_t len;
    bool allow;
};

struct robots {
    VEC(struct robots_rule) rules;
    int delay_ms;
};

/* Percent-encode bytes >= 0x80 and spaces; upper-case existing escapes. */
static char *norm_pattern(struct str p)
{
    static const char hex[] = "0123456789ABCDEF";
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < p.n; i++) {
        unsigned char c = (unsigned char)p.p[i];
        if (c >= 0x80 || c == ' ') {
            buf_addc(&b, '%');
            buf_addc(&b, hex[c >> 4]);
            buf_addc(&b, hex[c & 15]);
        } else if (c == '%' && i + 2 < p.n && ascii_isalnum((unsigned char)p.p[i + 1]) &&
                   ascii_isalnum((unsigned char)p.p[i + 2])) {
            buf_addc(&b, '%');
            buf_addc(&b, (char)(p.p[i + 1] >= 'a' ? p.p[i + 1] - 32 : p.p[i + 1]));
            buf_addc(&b, (char)(p.p[i + 2] >= 'a' ? p.p[i + 2] - 32 : p.p[i + 2]));
            i += 2;
        } else {
            buf_addc(&b, (char)c);
        }
    }
    return buf_take(&b);
}

struct robots *robots_parse(const char *txt, size_t n, const char *agent)
{
    struct robots *mine = XNEW(struct robots), *star = XNEW(struct robots);
    mine->delay_ms = star->delay_ms = -1;
    bool have_mine = false, have_star = false;
    /* Current group: which of mine/star it feeds (both may be set by several agents). */
    bool g_mine = false, g_star = false, in_rules = true;
    struct str all = { txt, n };
    if (all.n >= 3 && !memcmp(all.p, "\xEF\xBB\xBF", 3))
        all.p += 3, all.n -= 3;
    while (all.n) {
        struct str line;
        str_split(&all, '\n', &line);
        struct str l = line;
        for (size_t i = 0; i < l.n; i++)
            if (l.p[i] == '#') {
                l.n = i;
                break;
            }
        l = str_trim(l);
        struct str key;
        if (!str_split(&l, ':', &key))
            continue;
        key = str_trim(key);
        struct str val = str_trim(l);
        if (str_ieq_ascii(key, "user-agent")) {
            if (in_rules) { /* a new group starts */
                g_mine = g_star = false;
                in_rules = false;
            }
            if (str_ieq_ascii(val, "*")) {
                g_star = true;
                have_star = true;
            } else if (val.n && agent) {
                /* the product token: the line's name up to '/' or a space */
                size_t k = 0;
                while (k < val.n && val.p[k] != '/' && val.p[k] != ' ')
                    k++;
                if (k == strlen(agent) && !ascii_ncasecmp(val.p, agent, k)) {
                    g_mine = true;
                    have_mine = true;
                }
            }
            continue;
        }
        bool allow = str_ieq_ascii(key, "allow");
        bool dis = str_ieq_ascii(key, "disallow");
        bool delay = str_ieq_ascii(key, "crawl-delay");
        if (!allow && !dis && !delay)
            continue; /* sitemap and unknown lines do not end a group */
        in_rules = true;
        struct robots *targets[2] = { g_mine ? mine : NULL, g_star ? star : NULL };
        for (int t = 0; t < 2; t++) {
            struct robots *r = targets[t];
            if (!r)
                continue;
            if (delay) {
                double d;
                char tmp[32];
                size_t k = val.n < sizeof(tmp) - 1 ? val.n : sizeof(tmp) - 1;
                memcpy(tmp, val.p, k);
                tmp[k] = 0;
                if (str_to_double(str_of(tmp), &d) && d >= 0 && d < 86400)
                    r->delay_ms = (int)(d * 1000);
                continue;
            }
            if (!val.n) /* "Disallow:" allows everything: no rule */
                continue;
            if (r->rules.n >= 5000)
                continue;
            struct robots_rule rule = { norm_pattern(val), 0, allow };
            rule.len = strlen(rule.pat);
            vec_push(&r->rules, rule);
        }
    }
    struct robots *keep = have_mine ? mine : star, *drop = have_mine ? star : mine;
    robots_free(drop);
    if (!have_mine && !have_star) {
        /* no group applies: allow everything */
        keep->delay_ms = -1;
    }
    return keep;
}

void robots_free(struct robots *r)
{
    if (!r)
        return;
    for (size_t i = 0; i < r->rules.n; i++)
        free(r->rules.v[i].pat);
    vec_release(&r->rules);
    free(r);
}

/* Does pattern p (with * and a final $) match a prefix of s (or all of s with $)? */
static bool pat_match(const char *p, size_t pn, const char *s)
{
    bool anchored = pn && p[pn - 1] == '$';
    if (anchored)
        pn--;
    size_t pi = 0, si = 0, star_p = (size_t)-1, star_s = 0;
    size_t sn = strlen(s);
    for (;;) {
        if (pi == pn) {
            if (!anchored || si == sn)
                return true;
        } else if (p[pi] == '*') {
            star_p = ++pi;
            star_s = si;
            continue;
        } else if (si < sn && p[pi] == s[si]) {
            pi++, si++;
            continue;
        }
        if (star_p == (size_t)-1 || star_s >= sn)
            return false;
        pi = star_p;
        si = ++star_s;
    }
}

bool robots_allowed(const struct robots *r, const char *path)
{
    if (!r)
        return true;
    size_t best = 0;
    bool allow = true, any = false;
    for (size_t i = 0; i < r->rules.n; i++) {
        const struct robots_rule *ru = &r->rules.v[i];
        if (!pat_match(ru->pat, ru->len, path))
            continue;
        if (!any || ru->len > best || (ru->len == best && ru->allow)) {
            best = ru->len;
            allow = ru->allow;
            any = true;
        }
    }
    return allow;
}

int robots_delay_ms(const struct robots *r)
{
    return r ? r->delay_ms : -1;
}

struct robots *robots_disallow_all(void)
{
    struct robots *r = XNEW(struct robots);
    r->delay_ms = -1;
    struct robots_rule rule = { xstrdup("/"), 1, false };
    vec_push(&r->rules, rule);
    return r;
}
