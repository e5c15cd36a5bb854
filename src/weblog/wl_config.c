/* wl_config.c - the definitions: which requests are page views and which clients are
 * bots ([weblog] configuration keys, data/weblog/bots.txt). */
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/res.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "weblog/wl_int.h"

#define DEFAULT_PAGE_EXT "html htm shtml shtm xhtml php asp aspx jsp jspx do action cgi"
#define MAX_PATTERNS     10000
#define MAX_PATTERN_LEN  256

struct wl_bots {
    char **pat; /* lower-case substrings that make a bot */
    size_t npat;
    char **allow; /* exceptions ("!cubot"): a UA containing one is not a bot */
    size_t nallow;
};

static void bots_free(struct wl_bots *b)
{
    if (!b)
        return;
    for (size_t i = 0; i < b->npat; i++)
        free(b->pat[i]);
    for (size_t i = 0; i < b->nallow; i++)
        free(b->allow[i]);
    free(b->pat);
    free(b->allow);
    free(b);
}

static void push(char ***v, size_t *n, char *s)
{
    *v = xrealloc(*v, (*n + 1) * sizeof(char *));
    (*v)[(*n)++] = s;
}

static enum rc bots_parse(const char *text, size_t n, const char *source, struct wl_bots **out,
                          struct err *err)
{
    struct wl_bots *b = XNEW(struct wl_bots);
    struct str all = { text, n };
    int lineno = 0;
    while (all.n) {
        struct str line;
        str_split(&all, '\n', &line);
        lineno++;
        line = str_trim(line);
        if (!line.n || line.p[0] == '#')
            continue;
        bool allow = line.p[0] == '!';
        if (allow) {
            line.p++;
            line.n--;
        }
        if (!line.n || line.n > MAX_PATTERN_LEN || b->npat + b->nallow >= MAX_PATTERNS) {
            bots_free(b);
            return err_set(err, RC_INVALID,
                           "%s:%d: a bot pattern must be 1 to %d bytes, at most %d patterns",
                           source, lineno, MAX_PATTERN_LEN, MAX_PATTERNS);
        }
        char tmp[MAX_PATTERN_LEN + 1];
        size_t k = wl_ua_normalize(line.p, line.n, false, tmp, sizeof(tmp) - 1);
        tmp[k] = 0;
        if (allow)
            push(&b->allow, &b->nallow, xstrdup(tmp));
        else
            push(&b->pat, &b->npat, xstrdup(tmp));
    }
    *out = b;
    return RC_OK;
}

static int hexval(int c)
{
    c = ascii_tolower(c);
    return ascii_isdigit(c) ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

size_t wl_ua_normalize(const char *ua, size_t n, bool iis, char *out, size_t cap)
{
    (void)iis; /* '+' is read as a space for every format: no pattern needs a '+' */
    size_t k = 0;
    for (size_t i = 0; i < n && k < cap; i++) {
        unsigned char c = (unsigned char)ua[i];
        if (c == '\\' && i + 1 < n) {
            unsigned char e = (unsigned char)ua[i + 1];
            if (e == 'x' && i + 3 < n) {
                int h = hexval(ua[i + 2]), l = hexval(ua[i + 3]);
                if (h >= 0 && l >= 0) {
                    out[k++] = (char)ascii_tolower(h * 16 + l);
                    i += 3;
                    continue;
                }
            } else if (e == '"' || e == '\\') {
                out[k++] = (char)e;
                i++;
                continue;
            }
        }
        out[k++] = c == '+' ? ' ' : (char)ascii_tolower(c);
    }
    return k;
}

bool wl_bots_match(const struct wl_bots *b, const char *lower, size_t n)
{
    for (size_t i = 0; i < b->nallow; i++)
        if (memmem(lower, n, b->allow[i], strlen(b->allow[i])))
            return false;
    for (size_t i = 0; i < b->npat; i++)
        if (memmem(lower, n, b->pat[i], strlen(b->pat[i])))
            return true;
    return false;
}

bool wl_is_bot(const struct wl_config *cfg, const char *ua, size_t n)
{
    if (!n || (n == 1 && ua[0] == '-'))
        return cfg->empty_agent_is_bot;
    char tmp[4096];
    size_t k = wl_ua_normalize(ua, n, false, tmp, sizeof(tmp));
    return wl_bots_match(cfg->bots, tmp, k);
}

/* ---- pages ---- */

static bool ignored(const struct wl_config *cfg, struct str path)
{
    for (size_t i = 0; i < cfg->nignore_prefix; i++) {
        size_t pn = strlen(cfg->ignore_prefix[i]);
        if (path.n >= pn && !memcmp(path.p, cfg->ignore_prefix[i], pn))
            return true;
    }
    return false;
}

bool wl_is_page_path(const struct wl_config *cfg, struct str path)
{
    if (ignored(cfg, path))
        return false;
    const char *semi = memchr(path.p, ';', path.n); /* /index.jsp;jsessionid=… */
    size_t n = semi ? (size_t)(semi - path.p) : path.n;
    size_t i = n;
    while (i > 0 && path.p[i - 1] != '/' && path.p[i - 1] != '.')
        i--;
    if (i == 0 || path.p[i - 1] == '/')
        return true; /* no extension: a directory or a route */
    size_t en = n - i;
    if (!en || en > 15)
        return false;
    char ext[16];
    for (size_t k = 0; k < en; k++)
        ext[k] = (char)ascii_tolower((unsigned char)path.p[i + k]);
    for (size_t k = 0; k < cfg->npage_ext; k++)
        if (strlen(cfg->page_ext[k]) == en && !memcmp(cfg->page_ext[k], ext, en))
            return true;
    return false;
}

static bool html_type(struct str ct)
{
    return (ct.n >= 9 && !ascii_ncasecmp(ct.p, "text/html", 9)) ||
           (ct.n >= 21 && !ascii_ncasecmp(ct.p, "application/xhtml+xml", 21));
}

bool wl_is_pageview(const struct wl_config *cfg, const struct wl_rec *r, bool bot)
{
    if (bot || r->bad_request || r->method.n != 3 || memcmp(r->method.p, "GET", 3) ||
        !cfg->page_status[r->status])
        return false;
    if (r->ctype.n) /* the log says what it was: trust that over the extension */
        return html_type(r->ctype) && !ignored(cfg, r->path);
    return wl_is_page_path(cfg, r->path);
}

/* ---- loading ---- */

/* Split a list value on spaces, commas and semicolons. */
static void split_list(const char *v, bool strip_dot, char ***out, size_t *n)
{
    struct str s = str_of(v);
    while (s.n) {
        size_t i = 0;
        while (i < s.n && (s.p[i] == ' ' || s.p[i] == ',' || s.p[i] == ';' || s.p[i] == '\t'))
            i++;
        s.p += i;
        s.n -= i;
        size_t k = 0;
        while (k < s.n && s.p[k] != ' ' && s.p[k] != ',' && s.p[k] != ';' && s.p[k] != '\t')
            k++;
        if (k) {
            struct str w = { s.p, k };
            if (strip_dot && w.p[0] == '.') {
                w.p++;
                w.n--;
            }
            char *d = str_dup(w);
            if (strip_dot)
                for (char *c = d; *c; c++)
                    *c = (char)ascii_tolower((unsigned char)*c);
            push(out, n, d);
        }
        s.p += k;
        s.n -= k;
    }
}

static enum rc parse_statuses(struct wl_config *cfg, const struct conf *conf, struct err *err)
{
    const char *v = conf_get(conf, "weblog", "page_statuses", "2xx 304");
    char **tok = NULL;
    size_t n = 0;
    split_list(v, false, &tok, &n);
    memset(cfg->page_status, 0, sizeof(cfg->page_status));
    enum rc rc = RC_OK;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *t = tok[i];
        int code;
        if (strlen(t) == 3 && t[0] >= '1' && t[0] <= '5' && (t[1] == 'x' || t[1] == 'X') &&
            (t[2] == 'x' || t[2] == 'X')) {
            for (int s = (t[0] - '0') * 100; s < (t[0] - '0') * 100 + 100; s++)
                cfg->page_status[s] = true;
        } else if (cstr_to_int(t, 100, 599, &code)) {
            cfg->page_status[code] = true;
        } else {
            rc = err_set(err, RC_INVALID,
                         "%s: [weblog] page_statuses: '%s' is not a status (use e.g. 2xx 304)",
                         conf_where(conf, "weblog", "page_statuses"), t);
        }
    }
    for (size_t i = 0; i < n; i++)
        free(tok[i]);
    free(tok);
    return rc;
}

enum rc wl_config_load(struct wl_config *cfg, const struct conf *conf, struct err *err)
{
    memset(cfg, 0, sizeof(*cfg));
    struct conf empty;
    if (!conf) {
        conf_init(&empty);
        conf = &empty;
    }
    enum rc rc = RC_OK;
    split_list(conf_get(conf, "weblog", "page_extensions", DEFAULT_PAGE_EXT), true, &cfg->page_ext,
               &cfg->npage_ext);
    split_list(conf_get(conf, "weblog", "ignore_paths", ""), false, &cfg->ignore_prefix,
               &cfg->nignore_prefix);
    rc = parse_statuses(cfg, conf, err);
    if (!rc)
        rc = conf_bool(conf, "weblog", "empty_agent_is_bot", true, &cfg->empty_agent_is_bot, err);
    if (!rc) {
        const char *ip = conf_get(conf, "weblog", "client_ip", "remote_addr");
        if (!ascii_casecmp(ip, "x_forwarded_for") || !ascii_casecmp(ip, "x-forwarded-for"))
            cfg->use_forwarded_for = true;
        else if (ascii_casecmp(ip, "remote_addr"))
            rc = err_set(err, RC_INVALID,
                         "%s: [weblog] client_ip = '%s' must be remote_addr or x_forwarded_for",
                         conf_where(conf, "weblog", "client_ip"), ip);
    }
    if (!rc) {
        struct buf b = BUF_INIT;
        b.max = 16u << 20;
        const char *file = conf_get(conf, "weblog", "bots_file", NULL);
        if (file && *file) {
            rc = buf_read_file(&b, file, err);
            cfg->bots_source = xstrdup(file);
        } else {
            bool from_file = false;
            rc = res_load("weblog/bots.txt", &b, &from_file, err);
            cfg->bots_source = from_file ? xstrdup(res_dir()) : xstrdup("weblog/bots.txt");
            if (from_file) {
                free(cfg->bots_source);
                struct buf p = BUF_INIT;
                buf_addf(&p, "%s/weblog/bots.txt", res_dir());
                cfg->bots_source = buf_take(&p);
            }
        }
        if (!rc)
            rc = bots_parse(b.p ? b.p : "", b.n, cfg->bots_source, &cfg->bots, err);
        buf_release(&b);
    }
    if (conf == &empty)
        conf_release(&empty);
    if (rc)
        wl_config_release(cfg);
    return rc;
}

void wl_config_release(struct wl_config *cfg)
{
    for (size_t i = 0; i < cfg->npage_ext; i++)
        free(cfg->page_ext[i]);
    for (size_t i = 0; i < cfg->nignore_prefix; i++)
        free(cfg->ignore_prefix[i]);
    free(cfg->page_ext);
    free(cfg->ignore_prefix);
    bots_free(cfg->bots);
    free(cfg->bots_source);
    memset(cfg, 0, sizeof(*cfg));
}
