/* json.c - streaming JSON writer (see json.h). */
#include "core/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/esc.h"
#include "core/utf8.h"

void jw_init(struct jw *w, struct buf *b, bool pretty)
{
    *w = (struct jw){ .b = b, .pretty = pretty };
}

static void indent(struct jw *w)
{
    if (!w->pretty)
        return;
    buf_addc(w->b, '\n');
    for (int i = 0; i < w->depth; i++)
        buf_add(w->b, "  ", 2);
}

/* Called before every value or key. */
static void sep(struct jw *w, bool is_key)
{
    if (w->after_key) {
        if (is_key)
            BUG("jw: key after key");
        w->after_key = false;
        return;
    }
    if (w->depth > 0) {
        char k = w->kind[w->depth - 1];
        if (k == '{' && !is_key)
            BUG("jw: value without key inside object");
        if (k == '[' && is_key)
            BUG("jw: key inside array");
        if (w->nonempty[w->depth - 1])
            buf_addc(w->b, ',');
        w->nonempty[w->depth - 1] = true;
        indent(w);
    } else if (is_key) {
        BUG("jw: key at top level");
    }
}

static void open_(struct jw *w, char k)
{
    sep(w, false);
    if (w->depth >= JW_MAX_DEPTH)
        BUG("jw: nesting too deep");
    buf_addc(w->b, k);
    w->kind[w->depth] = k;
    w->nonempty[w->depth] = false;
    w->depth++;
}

void jw_obj(struct jw *w)
{
    open_(w, '{');
}

void jw_arr(struct jw *w)
{
    open_(w, '[');
}

void jw_end(struct jw *w)
{
    if (w->depth == 0 || w->after_key)
        BUG("jw: unbalanced end");
    w->depth--;
    if (w->nonempty[w->depth])
        indent(w);
    buf_addc(w->b, w->kind[w->depth] == '{' ? '}' : ']');
}

void jw_key(struct jw *w, const char *k)
{
    sep(w, true);
    esc_json(w->b, k);
    buf_add(w->b, w->pretty ? ": " : ":", w->pretty ? 2 : 1);
    w->after_key = true;
}

void jw_str(struct jw *w, const char *s)
{
    sep(w, false);
    esc_json(w->b, s);
}

void jw_strn(struct jw *w, const char *s, size_t n)
{
    sep(w, false);
    esc_json_n(w->b, s, n);
}

void jw_int(struct jw *w, int64_t v)
{
    sep(w, false);
    buf_addf(w->b, "%" PRId64, v);
}

void jw_double(struct jw *w, double v)
{
    sep(w, false);
    if (!isfinite(v)) {
        buf_adds(w->b, "null");
        return;
    }
    char tmp[64];
    /* Shortest form that round-trips well enough for reports: up to 15 significant
     * digits, trailing zeros trimmed. */
    snprintf(tmp, sizeof(tmp), "%.15g", v);
    buf_adds(w->b, tmp);
}

void jw_bool(struct jw *w, bool v)
{
    sep(w, false);
    buf_adds(w->b, v ? "true" : "false");
}

void jw_null(struct jw *w)
{
    sep(w, false);
    buf_adds(w->b, "null");
}

void jw_raw(struct jw *w, const char *json)
{
    sep(w, false);
    buf_adds(w->b, json);
}

void jw_date(struct jw *w, int32_t day)
{
    if (day == DATE_NONE) {
        jw_null(w);
        return;
    }
    char t[11];
    date_fmt(day, t);
    jw_str(w, t);
}

void jw_time(struct jw *w, int64_t t, int tzoff)
{
    if (t == 0) {
        jw_null(w);
        return;
    }
    char s[32];
    time_fmt_iso(t, tzoff, s);
    jw_str(w, s);
}

void jw_kstr(struct jw *w, const char *k, const char *s)
{
    jw_key(w, k);
    jw_str(w, s);
}

void jw_kint(struct jw *w, const char *k, int64_t v)
{
    jw_key(w, k);
    jw_int(w, v);
}

void jw_kdouble(struct jw *w, const char *k, double v)
{
    jw_key(w, k);
    jw_double(w, v);
}

void jw_kbool(struct jw *w, const char *k, bool v)
{
    jw_key(w, k);
    jw_bool(w, v);
}

void jw_knull(struct jw *w, const char *k)
{
    jw_key(w, k);
    jw_null(w);
}

void jw_kdate(struct jw *w, const char *k, int32_t day)
{
    jw_key(w, k);
    jw_date(w, day);
}

void jw_ktime(struct jw *w, const char *k, int64_t t, int tzoff)
{
    jw_key(w, k);
    jw_time(w, t, tzoff);
}

void jw_finish(struct jw *w)
{
    if (w->depth != 0 || w->after_key)
        BUG("jw: unclosed container at finish");
    if (w->pretty)
        buf_addc(w->b, '\n');
}

/* ---- validation ------------------------------------------------------------------ */

struct jv {
    const unsigned char *p, *end;
    int depth;
};

static void jv_ws(struct jv *v)
{
    while (v->p < v->end && (*v->p == ' ' || *v->p == '\t' || *v->p == '\n' || *v->p == '\r'))
        v->p++;
}

static bool jv_lit(struct jv *v, const char *lit)
{
    size_t n = strlen(lit);
    if ((size_t)(v->end - v->p) < n || memcmp(v->p, lit, n))
        return false;
    v->p += n;
    return true;
}

static bool jv_string(struct jv *v)
{
    v->p++; /* the opening quote */
    while (v->p < v->end) {
        unsigned char c = *v->p;
        if (c == '"') {
            v->p++;
            return true;
        }
        if (c < 0x20)
            return false;
        if (c == '\\') {
            if (++v->p >= v->end)
                return false;
            c = *v->p++;
            if (c == 'u') {
                for (int i = 0; i < 4; i++, v->p++)
                    if (v->p >= v->end || !strchr("0123456789abcdefABCDEF", *v->p) || !*v->p)
                        return false;
            } else if (!strchr("\"\\/bfnrt", c) || !c) {
                return false;
            }
            continue;
        }
        size_t len;
        if (c >= 0x80 && (utf8_decode((const char *)v->p, (size_t)(v->end - v->p), &len),
                          !utf8_valid((const char *)v->p, len)))
            return false;
        v->p += c >= 0x80 ? len : 1;
    }
    return false;
}

static bool jv_digits(struct jv *v)
{
    const unsigned char *s = v->p;
    while (v->p < v->end && *v->p >= '0' && *v->p <= '9')
        v->p++;
    return v->p > s;
}

static bool jv_number(struct jv *v)
{
    if (*v->p == '-')
        v->p++;
    if (v->p < v->end && *v->p == '0')
        v->p++;
    else if (!jv_digits(v))
        return false;
    if (v->p < v->end && *v->p == '.') {
        v->p++;
        if (!jv_digits(v))
            return false;
    }
    if (v->p < v->end && (*v->p == 'e' || *v->p == 'E')) {
        v->p++;
        if (v->p < v->end && (*v->p == '+' || *v->p == '-'))
            v->p++;
        if (!jv_digits(v))
            return false;
    }
    return true;
}

static bool jv_value(struct jv *v)
{
    jv_ws(v);
    if (v->p >= v->end)
        return false;
    unsigned char c = *v->p;
    if (c == '"')
        return jv_string(v);
    if (c == '-' || (c >= '0' && c <= '9'))
        return jv_number(v);
    if (c == 't')
        return jv_lit(v, "true");
    if (c == 'f')
        return jv_lit(v, "false");
    if (c == 'n')
        return jv_lit(v, "null");
    if (c != '{' && c != '[')
        return false;
    if (++v->depth > JW_MAX_DEPTH * 2)
        return false;
    char close = c == '{' ? '}' : ']';
    v->p++;
    jv_ws(v);
    if (v->p < v->end && *v->p == close) {
        v->p++;
        v->depth--;
        return true;
    }
    for (;;) {
        if (c == '{') {
            jv_ws(v);
            if (v->p >= v->end || *v->p != '"' || !jv_string(v))
                return false;
            jv_ws(v);
            if (v->p >= v->end || *v->p++ != ':')
                return false;
        }
        if (!jv_value(v))
            return false;
        jv_ws(v);
        if (v->p >= v->end)
            return false;
        if (*v->p == ',') {
            v->p++;
            continue;
        }
        if (*v->p++ != close)
            return false;
        v->depth--;
        return true;
    }
}

bool json_valid(const char *s, size_t n, char kind)
{
    struct jv v = { (const unsigned char *)s, (const unsigned char *)s + n, 0 };
    jv_ws(&v);
    if (kind && (v.p >= v.end || *v.p != (unsigned char)kind))
        return false;
    if (!jv_value(&v))
        return false;
    jv_ws(&v);
    return v.p == v.end;
}
