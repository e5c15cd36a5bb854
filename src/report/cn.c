/* cn.c - numbers and dates as 公文 writes them (see doc.h). */
#include <math.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/utf8.h"
#include "report/doc.h"
#include "report/report_int.h"

static const char *take(struct arena *a, struct buf *b)
{
    const char *r = arena_strndup(a, buf_cstr(b), b->n);
    buf_release(b);
    return r;
}

const char *cn_date(struct arena *a, int32_t day)
{
    struct buf b = BUF_INIT;
    date_fmt_cn(day, &b);
    return take(a, &b);
}

const char *cn_date_md(struct arena *a, int32_t day)
{
    struct buf b = BUF_INIT;
    date_fmt_cn_md(day, &b);
    return take(a, &b);
}

const char *cn_month(struct arena *a, int y, int m)
{
    return arena_fmt(a, "%d年%d月", y, m);
}

const char *cn_int(struct arena *a, int64_t n)
{
    return arena_fmt(a, "%lld", (long long)n);
}

static const char *const digit[] = { "零", "一", "二", "三", "四", "五", "六", "七", "八", "九" };

/* 1..9999; `lead` omits the 一 of a leading 十 (十一, not 一十一). */
static void section(struct buf *b, int n, bool lead)
{
    static const char *const unit[] = { "千", "百", "十", "" };
    static const int pow10[] = { 1000, 100, 10, 1 };
    bool started = false, zero = false;
    for (int i = 0; i < 4; i++) {
        int d = n / pow10[i] % 10;
        if (!d) {
            if (started)
                zero = true;
            continue;
        }
        if (zero)
            buf_adds(b, "零");
        zero = false;
        if (!(lead && !started && i == 2 && d == 1))
            buf_adds(b, digit[d]);
        buf_adds(b, unit[i]);
        started = true;
    }
}

const char *cn_numeral(struct arena *a, int64_t n)
{
    if (n < 0 || n > 99999999)
        return cn_int(a, n);
    if (n == 0)
        return "零";
    struct buf b = BUF_INIT;
    int high = (int)(n / 10000), low = (int)(n % 10000);
    if (high) {
        section(&b, high, true);
        buf_adds(&b, "万");
        if (low && low < 1000)
            buf_adds(&b, "零");
        if (low)
            section(&b, low, false);
    } else {
        section(&b, low, true);
    }
    return take(a, &b);
}

/* num/den × 100 × 10^dec rounded half up. */
static int64_t scaled(int64_t num, int64_t den, int dec)
{
    int64_t f = 100;
    for (int i = 0; i < dec; i++)
        f *= 10;
    /* Exact integer arithmetic where it fits, so 15/16 at 1 place is 93.8, not 93.7. */
    if (num <= 1000000000000LL && den <= 1000000000000LL)
        return (num * f * 2 + den) / (den * 2);
    return (int64_t)floorl((long double)num * (long double)f / (long double)den + 0.5L);
}

static const char *pct(struct arena *a, int64_t num, int64_t den, int dec, bool strip)
{
    if (den <= 0 || num < 0)
        return NULL;
    if (dec < 0)
        dec = 0;
    if (dec > 4)
        dec = 4;
    int64_t s = scaled(num, den, dec);
    int64_t p = 1;
    for (int i = 0; i < dec; i++)
        p *= 10;
    int64_t ip = s / p, fp = s % p;
    int shown = dec;
    if (strip)
        while (shown > 0 && fp % 10 == 0) {
            fp /= 10;
            shown--;
        }
    if (!shown)
        return arena_fmt(a, "%lld%%", (long long)ip);
    return arena_fmt(a, "%lld.%0*lld%%", (long long)ip, shown, (long long)fp);
}

const char *cn_percent(struct arena *a, int64_t num, int64_t den, int decimals)
{
    return pct(a, num, den, decimals, true);
}

const char *report__pct_fixed(struct arena *a, int64_t num, int64_t den, int decimals)
{
    return pct(a, num, den, decimals, false);
}

static bool wide(uint32_t cp)
{
    return (cp >= 0x1100 && cp <= 0x115F) || cp == 0x2014 || (cp >= 0x2018 && cp <= 0x201D) ||
           cp == 0x2026 || (cp >= 0x2E80 && cp <= 0xA4CF) || (cp >= 0xAC00 && cp <= 0xD7A3) ||
           (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0xFE30 && cp <= 0xFE4F) ||
           (cp >= 0xFF00 && cp <= 0xFF60) || (cp >= 0xFFE0 && cp <= 0xFFE6) ||
           (cp >= 0x20000 && cp <= 0x3FFFD);
}

size_t cn_width(const char *s)
{
    if (!s)
        return 0;
    size_t n = strlen(s), i = 0, w = 0, len;
    while (i < n) {
        uint32_t cp = utf8_decode(s + i, n - i, &len);
        i += len;
        w += wide(cp) ? 2 : 1;
    }
    return w;
}
