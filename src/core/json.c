/* json.c - streaming JSON writer (see json.h). */
#include "core/json.h"

#include <inttypes.h>
#include <math.h>
#include <stdio.h>

#include "core/date.h"
#include "core/esc.h"

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
