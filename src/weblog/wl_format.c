/* wl_format.c - log formats and the line parser.
 *
 * A format compiles to a list of steps "field, then the literal that ends it", as
 * GoAccess's format DSL does: `$remote_addr - $remote_user [$time_local] "$request" …`
 * becomes addr until " - ", user until " [", time until "] \"", and so on.  Parsing a
 * line is then one left-to-right pass of memchr + memcmp per field, with no copies and no
 * allocation; fields are views into the line.  Anything after the last literal is
 * ignored, so the combined format also reads nginx's "main" format and lines with extra
 * fields appended.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/xalloc.h"
#include "weblog/wl_int.h"

/* clang-format off */
static const struct { const char *name, *spec; } builtin[] = {
    { "combined", "$remote_addr $remote_ident $remote_user [$time_local] \"$request\" $status "
                  "$body_bytes_sent \"$http_referer\" \"$http_user_agent\"" },
    { "common",   "$remote_addr $remote_ident $remote_user [$time_local] \"$request\" $status "
                  "$body_bytes_sent" },
    { "main",     "$remote_addr $remote_ident $remote_user [$time_local] \"$request\" $status "
                  "$body_bytes_sent \"$http_referer\" \"$http_user_agent\" \"$http_x_forwarded_for\"" },
    { "iis",      "#Fields: date time s-ip cs-method cs-uri-stem cs-uri-query s-port cs-username "
                  "c-ip cs(User-Agent) cs(Referer) sc-status sc-substatus sc-win32-status time-taken" },
};

static const struct { const char *var; enum wl_fld f; } nginx_vars[] = {
    { "remote_addr", F_ADDR },          { "remote_user", F_USER },
    { "time_local", F_TIME_LOCAL },     { "time_iso8601", F_TIME_ISO },
    { "msec", F_MSEC },                 { "request", F_REQUEST },
    { "request_method", F_METHOD },     { "request_uri", F_URI },
    { "uri", F_PATH },                  { "document_uri", F_PATH },
    { "args", F_QUERY },                { "query_string", F_QUERY },
    { "status", F_STATUS },             { "body_bytes_sent", F_BYTES },
    { "bytes_sent", F_BYTES },          { "http_referer", F_REFERER },
    { "http_user_agent", F_UA },        { "host", F_HOST },
    { "http_host", F_HOST },            { "server_name", F_HOST },
    { "http_x_forwarded_for", F_XFF },  { "sent_http_content_type", F_CTYPE },
};

static const struct { const char *name; enum wl_fld f; } iis_fields[] = {
    { "date", F_DATE },               { "time", F_TIME },
    { "c-ip", F_ADDR },               { "cs-username", F_USER },
    { "cs-method", F_METHOD },        { "cs-uri-stem", F_PATH },
    { "cs-uri-query", F_QUERY },      { "sc-status", F_STATUS },
    { "sc-bytes", F_BYTES },          { "cs(user-agent)", F_UA },
    { "cs(referer)", F_REFERER },     { "cs-host", F_HOST },
    { "cs(host)", F_HOST },           { "x-forwarded-for", F_XFF },
    { "cs(x-forwarded-for)", F_XFF }, { "sc(content-type)", F_CTYPE },
};
/* clang-format on */

void wl_format_free(struct wl_format *f)
{
    if (!f)
        return;
    free(f->spec);
    free(f->name);
    free(f);
}

/* ---- compiling ---- */

struct builder {
    struct wl_format *f;
    char lit[WL_MAX_LIT];
    size_t nlit;
    bool have_field; /* a field is open, waiting for its literal */
    bool toolong;
};

static enum rc add_lit(struct builder *b, const char *s, size_t n, struct err *err)
{
    if (b->nlit + n > WL_MAX_LIT)
        return err_set(err, RC_PARSE,
                       "log format '%s': more than %d characters of text between two fields",
                       b->f->spec, WL_MAX_LIT);
    memcpy(b->lit + b->nlit, s, n);
    b->nlit += n;
    return RC_OK;
}

/* Close the open field with the literal collected so far. */
static void close_field(struct builder *b)
{
    struct wl_step *st = &b->f->steps[b->f->nsteps - 1];
    memcpy(st->lit, b->lit, b->nlit);
    st->nlit = (uint8_t)b->nlit;
    st->quoted = b->nlit && b->lit[0] == '"';
    b->nlit = 0;
    b->have_field = false;
}

static enum rc add_field(struct builder *b, enum wl_fld fld, const char *shown, struct err *err)
{
    struct wl_format *f = b->f;
    if (b->have_field) {
        if (!b->nlit)
            return err_set(err, RC_PARSE,
                           "log format '%s': nothing separates %s from the field before it; put "
                           "a space or other text between fields",
                           f->spec, shown);
        close_field(b);
    } else if (f->nsteps == 0) {
        memcpy(f->prefix, b->lit, b->nlit);
        f->nprefix = (uint8_t)b->nlit;
        b->nlit = 0;
    }
    if (f->nsteps >= WL_MAX_STEPS)
        return err_set(err, RC_PARSE, "log format '%s': more than %d fields", f->spec,
                       WL_MAX_STEPS);
    f->steps[f->nsteps++].field = (uint8_t)fld;
    f->has[fld] = true;
    b->have_field = true;
    return RC_OK;
}

static enum rc finish(struct builder *b, struct err *err)
{
    struct wl_format *f = b->f;
    if (b->have_field)
        close_field(b);
    bool time = f->has[F_TIME_LOCAL] || f->has[F_TIME_APACHE] || f->has[F_TIME_ISO] ||
                f->has[F_MSEC] || (f->has[F_DATE] && f->has[F_TIME]);
    const char *missing = !f->has[F_ADDR]     ? "the client address ($remote_addr, %h, c-ip)"
                          : !time             ? "the time ($time_local, %t, date and time)"
                          : !f->has[F_STATUS] ? "the status ($status, %>s, sc-status)"
                          : !(f->has[F_REQUEST] || f->has[F_URI] || f->has[F_PATH])
                              ? "the request ($request, %r, cs-uri-stem)"
                              : NULL;
    if (missing)
        return err_set(err, RC_PARSE, "log format '%s' lacks %s", f->spec, missing);
    return RC_OK;
}

static enum rc compile_nginx(struct builder *b, const char *s, struct err *err)
{
    enum rc rc = RC_OK;
    while (*s && !rc) {
        if (*s != '$') {
            rc = add_lit(b, s, 1, err);
            s++;
            continue;
        }
        s++;
        bool brace = *s == '{';
        if (brace)
            s++;
        const char *v = s;
        while (ascii_isalnum((unsigned char)*s) || *s == '_')
            s++;
        size_t vn = (size_t)(s - v);
        if (!vn || (brace && *s != '}'))
            return err_set(err, RC_PARSE, "log format '%s': a '$' not followed by a variable name",
                           b->f->spec);
        if (brace)
            s++;
        enum wl_fld fld = F_IGNORE;
        for (size_t i = 0; i < sizeof(nginx_vars) / sizeof(nginx_vars[0]); i++)
            if (strlen(nginx_vars[i].var) == vn && !memcmp(nginx_vars[i].var, v, vn))
                fld = nginx_vars[i].f;
        char shown[64];
        snprintf(shown, sizeof(shown), "$%.*s", (int)(vn < 60 ? vn : 60), v);
        rc = add_field(b, fld, shown, err);
    }
    return rc;
}

static enum wl_fld apache_header(const char *h, size_t n, char kind)
{
    struct {
        const char *name;
        char kind;
        enum wl_fld f;
    } t[] = { { "referer", 'i', F_REFERER },     { "user-agent", 'i', F_UA },
              { "x-forwarded-for", 'i', F_XFF }, { "host", 'i', F_HOST },
              { "content-type", 'o', F_CTYPE },  { "c", 'a', F_ADDR } };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (t[i].kind == kind && strlen(t[i].name) == n && !ascii_ncasecmp(t[i].name, h, n))
            return t[i].f;
    return F_IGNORE;
}

static enum rc compile_apache(struct builder *b, const char *s, struct err *err)
{
    enum rc rc = RC_OK;
    while (*s && !rc) {
        if (*s == '\\' && s[1]) {
            char c = s[1] == 't' ? '\t' : s[1] == 'n' ? '\n' : s[1];
            rc = add_lit(b, &c, 1, err);
            s += 2;
            continue;
        }
        if (*s != '%') {
            rc = add_lit(b, s, 1, err);
            s++;
            continue;
        }
        const char *start = s++;
        if (*s == '%') {
            rc = add_lit(b, "%", 1, err);
            s++;
            continue;
        }
        while (*s == '<' || *s == '>' || *s == '!' || *s == ',' || ascii_isdigit((unsigned char)*s))
            s++;
        const char *h = NULL;
        size_t hn = 0;
        if (*s == '{') {
            h = ++s;
            while (*s && *s != '}')
                s++;
            if (!*s)
                return err_set(err, RC_PARSE, "log format '%s': unterminated %%{", b->f->spec);
            hn = (size_t)(s - h);
            s++;
        }
        char d = *s;
        if (!ascii_isalpha((unsigned char)d))
            return err_set(err, RC_PARSE, "log format '%s': '%%' not followed by a directive",
                           b->f->spec);
        s++;
        enum wl_fld fld = F_IGNORE;
        if (h)
            fld = d == 't' ? F__COUNT : apache_header(h, hn, d);
        else
            switch (d) {
            case 'h':
            case 'a':
                fld = F_ADDR;
                break;
            case 'u':
                fld = F_USER;
                break;
            case 't':
                fld = F_TIME_APACHE;
                break;
            case 'r':
                fld = F_REQUEST;
                break;
            case 's':
                fld = F_STATUS;
                break;
            case 'b':
            case 'B':
            case 'O':
                fld = F_BYTES;
                break;
            case 'm':
                fld = F_METHOD;
                break;
            case 'U':
                fld = F_PATH;
                break;
            case 'q':
                fld = F_QUERY;
                break;
            case 'v':
            case 'V':
                fld = F_HOST;
                break;
            default:
                fld = F_IGNORE;
                break;
            }
        if (fld == F__COUNT)
            return err_set(err, RC_PARSE,
                           "log format '%s': custom %%{…}t time formats are not supported; log "
                           "with %%t",
                           b->f->spec);
        char shown[64];
        snprintf(shown, sizeof(shown), "%.*s", (int)((s - start) < 60 ? (s - start) : 60), start);
        rc = add_field(b, fld, shown, err);
    }
    return rc;
}

static enum rc compile_iis(struct builder *b, const char *s, struct err *err)
{
    b->f->iis = true;
    enum rc rc = RC_OK;
    while (*s && !rc) {
        while (*s == ' ' || *s == '\t')
            s++;
        if (!*s || *s == '\r' || *s == '\n')
            break;
        const char *w = s;
        while (*s && *s != ' ' && *s != '\t' && *s != '\r' && *s != '\n')
            s++;
        size_t wn = (size_t)(s - w);
        enum wl_fld fld = F_IGNORE;
        for (size_t i = 0; i < sizeof(iis_fields) / sizeof(iis_fields[0]); i++)
            if (strlen(iis_fields[i].name) == wn && !ascii_ncasecmp(iis_fields[i].name, w, wn))
                fld = iis_fields[i].f;
        if (b->have_field)
            rc = add_lit(b, " ", 1, err);
        if (!rc)
            rc = add_field(b, fld, "a W3C field", err);
    }
    return rc;
}

enum rc wl_format_compile(const char *spec, struct wl_format **out, struct err *err)
{
    *out = NULL;
    if (!spec || !*spec)
        return err_set(err, RC_PARSE,
                       "empty log format; use combined, common, main, iis or an "
                       "nginx log_format string");
    const char *name = NULL;
    const char *text = spec;
    for (size_t i = 0; i < sizeof(builtin) / sizeof(builtin[0]); i++)
        if (!ascii_casecmp(spec, builtin[i].name)) {
            name = builtin[i].name;
            text = builtin[i].spec;
        }
    struct wl_format *f = XNEW(struct wl_format);
    f->spec = xstrdup(name ? name : spec);
    struct builder b = { .f = f };
    enum rc rc;
    if (!strncmp(text, "#Fields:", 8)) {
        if (!name)
            name = "iis";
        rc = compile_iis(&b, text + 8, err);
    } else if (strchr(text, '$')) {
        if (!name)
            name = "nginx";
        rc = compile_nginx(&b, text, err);
    } else if (strchr(text, '%')) {
        name = "apache";
        rc = compile_apache(&b, text, err);
    } else {
        rc = err_set(err, RC_PARSE,
                     "unknown log format '%s'; use combined, common, main, iis, an nginx "
                     "log_format string ($remote_addr …) or an Apache LogFormat (%%h …)",
                     spec);
    }
    if (!rc)
        rc = finish(&b, err);
    if (rc) {
        wl_format_free(f);
        return rc;
    }
    f->name = xstrdup(name);
    *out = f;
    return RC_OK;
}

/* ---- detection ---- */

enum rc wl_format_detect(const char *text, size_t n, struct wl_format **out, struct err *err)
{
    *out = NULL;
    /* W3C: a #Fields directive (the last one before the data wins). */
    const char *p = text, *end = text + n;
    const char *fields = NULL;
    size_t nfields = 0;
    bool iis_software = false;
    while (p < end) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        const char *le = nl ? nl : end;
        if (le - p > 8 && !memcmp(p, "#Fields:", 8)) {
            fields = p;
            nfields = (size_t)(le - p);
        } else if (le - p > 10 && !memcmp(p, "#Software:", 10)) {
            iis_software = true;
        } else if (p < le && *p != '#' && (fields || iis_software)) {
            break;
        }
        p = nl ? nl + 1 : end;
    }
    if (fields) {
        char *line = xstrndup(fields, nfields);
        enum rc rc = wl_format_compile(line, out, err);
        free(line);
        return rc;
    }
    if (iis_software)
        return wl_format_compile("iis", out, err);

    const char *cands[] = { "main", "combined", "common" };
    struct wl_format *best = NULL;
    int best_ok = 0, nlines = 0;
    for (size_t c = 0; c < sizeof(cands) / sizeof(cands[0]); c++) {
        struct wl_format *f;
        if (wl_format_compile(cands[c], &f, NULL))
            BUG("builtin format %s does not compile", cands[c]);
        int ok = 0, lines = 0;
        p = text;
        while (p < end && lines < 50) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            if (!nl) {
                if (lines) /* a partial last line is only looked at when alone */
                    break;
                nl = end;
            }
            struct wl_rec r;
            const char *why;
            enum wl_line l = wl_parse_line(f, p, (size_t)(nl - p), &r, &why);
            if (l != WL_LINE_SKIP) {
                lines++;
                ok += l == WL_LINE_OK;
            }
            p = nl < end ? nl + 1 : end;
        }
        nlines = lines;
        if (ok > best_ok) {
            wl_format_free(best);
            best = f;
            best_ok = ok;
        } else {
            wl_format_free(f);
        }
    }
    if (!best || best_ok * 2 < nlines) {
        wl_format_free(best);
        return err_set(err, RC_PARSE,
                       "the log format is not combined, common or IIS W3C (of the first %d "
                       "lines, %d fit); give it with --format (an nginx log_format string)",
                       nlines, best_ok);
    }
    *out = best;
    return RC_OK;
}

/* ---- parsing ---- */

static const char months[] = "JanFebMarAprMayJunJulAugSepOctNovDec";

static inline int d2(const char *p)
{
    if (!ascii_isdigit((unsigned char)p[0]) || !ascii_isdigit((unsigned char)p[1]))
        return -1;
    return (p[0] - '0') * 10 + (p[1] - '0');
}

static bool parse_zone(const char *z, size_t n, int *off)
{
    if (n == 1 && (*z == 'Z' || *z == 'z')) {
        *off = 0;
        return true;
    }
    if ((n != 5 && n != 6) || (*z != '+' && *z != '-'))
        return false;
    int h = d2(z + 1), m = d2(z + (n == 6 ? 4 : 3));
    if (h < 0 || m < 0 || h > 23 || m > 59 || (n == 6 && z[3] != ':'))
        return false;
    *off = (h * 3600 + m * 60) * (*z == '-' ? -1 : 1);
    return true;
}

/* Seconds of the clock time "HH:MM:SS" or -1. */
static int hms(const char *p)
{
    int h = d2(p), m = d2(p + 3), s = d2(p + 6);
    if (h < 0 || m < 0 || s < 0 || p[2] != ':' || p[5] != ':' || h > 23 || m > 59 || s > 60)
        return -1;
    return h * 3600 + m * 60 + s;
}

static bool base_cached(struct wl_format *f, const char *a, size_t na, const char *z, size_t nz)
{
    return f->ntkey == na + nz && !memcmp(f->tkey, a, na) && !memcmp(f->tkey + na, z, nz);
}

static void base_store(struct wl_format *f, const char *a, size_t na, const char *z, size_t nz,
                       int64_t base)
{
    if (na + nz > sizeof(f->tkey)) {
        f->ntkey = 0;
        return;
    }
    memcpy(f->tkey, a, na);
    memcpy(f->tkey + na, z, nz);
    f->ntkey = na + nz;
    f->tbase = base;
}

/* 10/Jun/2025:13:55:36 +0800 */
static bool time_local(struct wl_format *f, struct str s, int64_t *t)
{
    if (s.n != 26 || s.p[2] != '/' || s.p[6] != '/' || s.p[11] != ':' || s.p[20] != ' ')
        return false;
    int secs = hms(s.p + 12);
    if (secs < 0)
        return false;
    if (!base_cached(f, s.p, 11, s.p + 21, 5)) {
        int d = d2(s.p), y1 = d2(s.p + 7), y2 = d2(s.p + 9), off;
        const char *m = NULL;
        for (int i = 0; i < 12; i++)
            if (!memcmp(months + 3 * i, s.p + 3, 3))
                m = months + 3 * i;
        if (d < 0 || y1 < 0 || y2 < 0 || !m || !parse_zone(s.p + 21, 5, &off))
            return false;
        int y = y1 * 100 + y2, mo = (int)((m - months) / 3) + 1;
        if (!date_valid(y, mo, d))
            return false;
        base_store(f, s.p, 11, s.p + 21, 5, (int64_t)date_from_ymd(y, mo, d) * 86400 - off);
    }
    *t = f->tbase + secs;
    return true;
}

static bool ymd(const char *p, int32_t *day)
{
    int y1 = d2(p), y2 = d2(p + 2), m = d2(p + 5), d = d2(p + 8);
    if (y1 < 0 || y2 < 0 || m < 0 || d < 0 || p[4] != '-' || p[7] != '-' ||
        !date_valid(y1 * 100 + y2, m, d))
        return false;
    *day = date_from_ymd(y1 * 100 + y2, m, d);
    return true;
}

/* 2025-06-10T13:55:36+08:00 (fraction allowed before the zone) */
static bool time_iso(struct wl_format *f, struct str s, int64_t *t)
{
    if (s.n < 20 || (s.p[10] != 'T' && s.p[10] != ' '))
        return false;
    int secs = hms(s.p + 11);
    if (secs < 0)
        return false;
    size_t zi = 19;
    if (s.p[zi] == '.' || s.p[zi] == ',') {
        zi++;
        while (zi < s.n && ascii_isdigit((unsigned char)s.p[zi]))
            zi++;
    }
    if (!base_cached(f, s.p, 10, s.p + zi, s.n - zi)) {
        int32_t day;
        int off;
        if (!ymd(s.p, &day) || !parse_zone(s.p + zi, s.n - zi, &off))
            return false;
        base_store(f, s.p, 10, s.p + zi, s.n - zi, (int64_t)day * 86400 - off);
    }
    *t = f->tbase + secs;
    return true;
}

static bool time_msec(struct str s, int64_t *t)
{
    int64_t v = 0;
    size_t i = 0;
    for (; i < s.n && ascii_isdigit((unsigned char)s.p[i]); i++) {
        if (i >= 12)
            return false;
        v = v * 10 + (s.p[i] - '0');
    }
    if (!i || (i < s.n && s.p[i] != '.'))
        return false;
    *t = v;
    return true;
}

static bool time_iis(struct wl_format *f, struct str d, struct str tm, int64_t *t)
{
    if (d.n != 10 || tm.n < 8)
        return false;
    int secs = hms(tm.p);
    if (secs < 0)
        return false;
    if (!base_cached(f, d.p, 10, "Z", 1)) {
        int32_t day;
        if (!ymd(d.p, &day))
            return false;
        base_store(f, d.p, 10, "Z", 1, (int64_t)day * 86400);
    }
    *t = f->tbase + secs;
    return true;
}

/* Is the quote at q escaped by an odd number of backslashes (Apache's \")? */
static inline bool escaped(const char *start, const char *q)
{
    size_t k = 0;
    while (q - k > start && q[-1 - (ptrdiff_t)k] == '\\')
        k++;
    return k & 1;
}

static const char *find_lit(const struct wl_step *st, const char *p, const char *end)
{
    const char *q = p;
    for (;;) {
        q = memchr(q, st->lit[0], (size_t)(end - q));
        if (!q || (size_t)(end - q) < st->nlit)
            return NULL;
        if ((st->nlit == 1 || !memcmp(q + 1, st->lit + 1, st->nlit - 1u)) &&
            !(st->quoted && escaped(p, q)))
            return q;
        q++;
    }
}

static void set_uri(struct wl_rec *r, struct str u)
{
    /* Absolute form (a proxy request): keep the path. */
    if (u.n > 8 && (!memcmp(u.p, "http://", 7) || !memcmp(u.p, "https://", 8))) {
        const char *h = u.p + (u.p[4] == 's' ? 8 : 7);
        const char *sl = memchr(h, '/', (size_t)(u.p + u.n - h));
        if (!sl) {
            r->path = STR_LIT("/");
            r->query = (struct str){ 0 };
            return;
        }
        u.n -= (size_t)(sl - u.p);
        u.p = sl;
    }
    const char *qm = memchr(u.p, '?', u.n);
    if (qm) {
        r->path = (struct str){ u.p, (size_t)(qm - u.p) };
        r->query = (struct str){ qm + 1, u.n - (size_t)(qm - u.p) - 1 };
    } else {
        r->path = u;
        r->query = (struct str){ 0 };
    }
}

static void split_request(struct wl_rec *r, struct str q)
{
    r->bad_request = true;
    const char *sp = memchr(q.p, ' ', q.n);
    if (!sp || sp == q.p || sp - q.p > 16)
        return;
    for (const char *m = q.p; m < sp; m++)
        if (!((*m >= 'A' && *m <= 'Z') || *m == '-' || *m == '_'))
            return;
    r->method = (struct str){ q.p, (size_t)(sp - q.p) };
    const char *u = sp + 1, *end = q.p + q.n;
    const char *last = end;
    while (last > u && last[-1] != ' ')
        last--;
    struct str uri;
    if (last > u && end - last >= 5 && !memcmp(last, "HTTP/", 5))
        uri = (struct str){ u, (size_t)(last - 1 - u) };
    else
        uri = (struct str){ u, (size_t)(end - u) }; /* HTTP/0.9: no protocol */
    if (!uri.n || (uri.p[0] != '/' && uri.p[0] != 'h' && !(uri.n == 1 && uri.p[0] == '*')))
        return;
    set_uri(r, uri);
    if (!r->path.n || r->path.p[0] != '/')
        return;
    r->bad_request = false;
}

static struct str dash_empty(struct str s)
{
    if (s.n == 1 && s.p[0] == '-')
        s.n = 0;
    return s;
}

static enum wl_line fields_iis(struct wl_format *f, const char *p, size_t n)
{
    /* "#Fields: …" replaces the format for the lines that follow. */
    if (n > 8 && !memcmp(p, "#Fields:", 8)) {
        char *line = xstrndup(p, n);
        struct wl_format *nf;
        if (!wl_format_compile(line, &nf, NULL)) {
            free(f->spec);
            free(f->name);
            *f = *nf;
            free(nf);
        } else {
            f->broken = true; /* the lines that follow cannot be read: all bad */
        }
        free(line);
    }
    return WL_LINE_SKIP;
}

enum wl_line wl_parse_line(struct wl_format *f, const char *p, size_t n, struct wl_rec *r,
                           const char **why)
{
    if (n && p[n - 1] == '\r')
        n--;
    *why = NULL;
    if (n && (p[0] == ' ' || p[0] == '\t')) { /* blank: spaces only */
        size_t i = 0;
        while (i < n && (p[i] == ' ' || p[i] == '\t'))
            i++;
        if (i == n)
            n = 0;
    }
    if (!n)
        return WL_LINE_SKIP;
    if (f->iis && p[0] == '#')
        return fields_iis(f, p, n);
    if (f->broken) {
        *why = "the #Fields directive before it lacks date, time, c-ip, sc-status or the URI";
        return WL_LINE_BAD;
    }
    const char *end = p + n;
    struct str v[F__COUNT];
    memset(v, 0, sizeof(v));
    if (f->nprefix) {
        if (n < f->nprefix || memcmp(p, f->prefix, f->nprefix)) {
            *why = "does not start as the format does";
            return WL_LINE_BAD;
        }
        p += f->nprefix;
    }
    for (int i = 0; i < f->nsteps; i++) {
        const struct wl_step *st = &f->steps[i];
        const char *q;
        if (!st->nlit) {
            q = end;
            if (f->iis) { /* a last W3C field ends at a space too */
                const char *sp = memchr(p, ' ', (size_t)(end - p));
                if (sp)
                    q = sp;
            }
            v[st->field] = (struct str){ p, (size_t)(q - p) };
            p = q;
            continue;
        }
        q = find_lit(st, p, end);
        if (!q) {
            *why = "fewer fields than the format";
            return WL_LINE_BAD;
        }
        v[st->field] = (struct str){ p, (size_t)(q - p) };
        p = q + st->nlit;
    }

    memset(r, 0, sizeof(*r));
    /* time */
    bool tok;
    if (f->has[F_TIME_LOCAL])
        tok = time_local(f, v[F_TIME_LOCAL], &r->t);
    else if (f->has[F_TIME_APACHE])
        tok = v[F_TIME_APACHE].n > 2 && v[F_TIME_APACHE].p[0] == '[' &&
              time_local(f, (struct str){ v[F_TIME_APACHE].p + 1, v[F_TIME_APACHE].n - 2 }, &r->t);
    else if (f->has[F_TIME_ISO])
        tok = time_iso(f, v[F_TIME_ISO], &r->t);
    else if (f->has[F_MSEC])
        tok = time_msec(v[F_MSEC], &r->t);
    else
        tok = time_iis(f, v[F_DATE], v[F_TIME], &r->t);
    if (!tok) {
        *why = "bad time";
        return WL_LINE_BAD;
    }
    /* 1990-01-01 .. 2099-12-31: a clock far off (or a forged line) makes no day rows */
    if (r->t < 631152000 || r->t >= 4102444800) {
        *why = "time out of range (1990-2099)";
        return WL_LINE_BAD;
    }
    /* status */
    struct str s = v[F_STATUS];
    if (s.n != 3 || s.p[0] < '1' || s.p[0] > '5' || !ascii_isdigit((unsigned char)s.p[1]) ||
        !ascii_isdigit((unsigned char)s.p[2])) {
        *why = "bad status";
        return WL_LINE_BAD;
    }
    r->status = (s.p[0] - '0') * 100 + (s.p[1] - '0') * 10 + (s.p[2] - '0');
    r->addr = v[F_ADDR];
    if (!r->addr.n || (f->iis && r->addr.n == 1 && r->addr.p[0] == '-')) {
        *why = "no client address";
        return WL_LINE_BAD;
    }
    /* bytes: digits, else 0 ("-") */
    int64_t b = 0;
    for (size_t i = 0; i < v[F_BYTES].n && i < 18; i++) {
        char c = v[F_BYTES].p[i];
        if (!ascii_isdigit((unsigned char)c)) {
            b = 0;
            break;
        }
        b = b * 10 + (c - '0');
    }
    r->bytes = b;
    /* request */
    if (f->has[F_REQUEST]) {
        split_request(r, v[F_REQUEST]);
    } else {
        r->method = f->has[F_METHOD] ? v[F_METHOD] : STR_LIT("GET");
        if (f->has[F_URI]) {
            set_uri(r, v[F_URI]);
        } else {
            r->path = v[F_PATH];
            r->query = dash_empty(v[F_QUERY]);
            if (r->query.n && r->query.p[0] == '?') { /* Apache %q */
                r->query.p++;
                r->query.n--;
            }
        }
        r->bad_request = !r->method.n || !r->path.n || r->path.p[0] != '/';
    }
    r->referer = dash_empty(v[F_REFERER]);
    r->ua = dash_empty(v[F_UA]);
    r->has_ua = f->has[F_UA];
    r->xff = dash_empty(v[F_XFF]);
    r->host = dash_empty(v[F_HOST]);
    r->ctype = dash_empty(v[F_CTYPE]);
    return WL_LINE_OK;
}
