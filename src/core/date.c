/* date.c - civil dates and instants, pure arithmetic (see date.h).
 * The day-number algorithms are Howard Hinnant's days_from_civil / civil_from_days. */
#include "core/date.h"

#include <stdio.h>
#include <string.h>

#include "core/str.h"

int32_t date_from_ymd(int y, int m, int d)
{
    y -= m <= 2;
    int era = (y >= 0 ? y : y - 399) / 400;
    unsigned yoe = (unsigned)(y - era * 400);
    unsigned doy = (unsigned)((153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1);
    unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return (int32_t)(era * 146097 + (int)doe - 719468);
}

void date_to_ymd(int32_t day, int *y, int *m, int *d)
{
    int z = day + 719468;
    int era = (z >= 0 ? z : z - 146096) / 146097;
    unsigned doe = (unsigned)(z - era * 146097);
    unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    int yy = (int)yoe + era * 400;
    unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    unsigned mp = (5 * doy + 2) / 153;
    unsigned dd = doy - (153 * mp + 2) / 5 + 1;
    int mm = (int)(mp < 10 ? mp + 3 : mp - 9);
    *y = yy + (mm <= 2);
    *m = mm;
    *d = (int)dd;
}

int date_days_in_month(int y, int m)
{
    static const int dim[] = { 31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
    if (m < 1 || m > 12)
        return 0;
    if (m == 2 && ((y % 4 == 0 && y % 100 != 0) || y % 400 == 0))
        return 29;
    return dim[m - 1];
}

bool date_valid(int y, int m, int d)
{
    return y >= 1 && y <= 9999 && m >= 1 && m <= 12 && d >= 1 && d <= date_days_in_month(y, m);
}

int date_weekday(int32_t day)
{
    /* 1970-01-01 was a Thursday (4). */
    int w = (int)((day % 7 + 7) % 7); /* 0 = Thursday */
    return (w + 3) % 7 + 1;
}

int date_year(int32_t day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    return y;
}

int32_t date_add_months(int32_t day, int n)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    int idx = y * 12 + (m - 1) + n;
    y = idx / 12;
    m = idx % 12 + 1;
    int dim = date_days_in_month(y, m);
    return date_from_ymd(y, m, d > dim ? dim : d);
}

/* Read exactly `width` digits (width 0: 1 or 2 digits) at *p. */
static bool digits(const char **p, int width, int *out)
{
    int v = 0, k = 0;
    int maxw = width ? width : 2;
    while (k < maxw && ascii_isdigit((unsigned char)(*p)[k])) {
        v = v * 10 + ((*p)[k] - '0');
        k++;
    }
    if (k == 0 || (width && k != width))
        return false;
    *p += k;
    *out = v;
    return true;
}

bool date_parse(const char *s, int32_t *out)
{
    int y, m, d;
    const char *p = s;
    if (!s || !digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &m) || *p++ != '-' ||
        !digits(&p, 2, &d) || *p || !date_valid(y, m, d))
        return false;
    *out = date_from_ymd(y, m, d);
    return true;
}

bool date_parse_month(const char *s, int32_t *first, int32_t *next)
{
    int y, m;
    const char *p = s;
    if (!s || !digits(&p, 4, &y) || *p++ != '-' || !digits(&p, 2, &m) || *p || m < 1 || m > 12 ||
        y < 1)
        return false;
    *first = date_from_ymd(y, m, 1);
    if (next)
        *next = date_add_months(*first, 1);
    return true;
}

void date_fmt(int32_t day, char out[11])
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    char t[48];
    snprintf(t, sizeof(t), "%04d-%02d-%02d", (y % 10000 + 10000) % 10000, m, d);
    memcpy(out, t, 10);
    out[10] = 0;
}

void date_fmt_cn(int32_t day, struct buf *b)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    buf_addf(b, "%d年%d月%d日", y, m, d);
}

void date_fmt_cn_md(int32_t day, struct buf *b)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    buf_addf(b, "%d月%d日", m, d);
}

static int64_t floordiv(int64_t a, int64_t b)
{
    return a / b - ((a % b != 0) && ((a < 0) != (b < 0)));
}

int32_t time_to_date(int64_t t, int tzoff)
{
    return (int32_t)floordiv(t + tzoff, 86400);
}

int time_secs_of_day(int64_t t, int tzoff)
{
    int64_t l = t + tzoff;
    return (int)(l - floordiv(l, 86400) * 86400);
}

int64_t time_from_date(int32_t day, int secs, int tzoff)
{
    return (int64_t)day * 86400 + secs - tzoff;
}

static bool parse_zone(const char **pp, int *tzoff)
{
    const char *p = *pp;
    if (*p == 'Z' || *p == 'z') {
        *tzoff = 0;
        *pp = p + 1;
        return true;
    }
    if (*p != '+' && *p != '-')
        return false;
    int sign = *p == '-' ? -1 : 1, h, m = 0;
    p++;
    if (!digits(&p, 2, &h))
        return false;
    if (*p == ':')
        p++;
    if (ascii_isdigit((unsigned char)*p) && !digits(&p, 2, &m))
        return false;
    if (h > 14 || m > 59)
        return false;
    *tzoff = sign * (h * 3600 + m * 60);
    *pp = p;
    return true;
}

bool tz_parse(const char *s, int *tzoff)
{
    if (!s)
        return false;
    if (!ascii_casecmp(s, "UTC") || !ascii_casecmp(s, "GMT")) {
        *tzoff = 0;
        return true;
    }
    if (!ascii_casecmp(s, "CST") || !strcmp(s, "Asia/Shanghai")) {
        *tzoff = TZ_CST;
        return true;
    }
    const char *p = s;
    return parse_zone(&p, tzoff) && !*p;
}

static void skip_sp(const char **p)
{
    while (**p == ' ' || **p == '\t')
        (*p)++;
}

/* 上午/下午 and their kin, AM/PM: 1 morning, 2 afternoon or evening, 3 noon; 0 none. */
static int day_half(const char **p)
{
    static const struct {
        const char *s;
        int half;
    } marks[] = { { "上午", 1 }, { "早上", 1 }, { "凌晨", 1 }, { "中午", 3 },
                  { "下午", 2 }, { "晚上", 2 }, { "AM", 1 },   { "PM", 2 } };
    for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
        size_t n = strlen(marks[i].s);
        if (!ascii_ncasecmp(*p, marks[i].s, n)) {
            *p += n;
            return marks[i].half;
        }
    }
    return 0;
}

/* A 12-hour clock to 24 hours: 上午12点 is 0:00, 下午3点 is 15:00, 中午1点 is 13:00;
 * 下午15:20 is taken as written.  False for 上午 with an hour past 12. */
static bool apply_half(int half, int *h)
{
    if (half == 1) {
        if (*h > 12)
            return false;
        if (*h == 12)
            *h = 0;
    } else if (half == 2 && *h < 12) {
        *h += 12;
    } else if (half == 3 && *h < 11) {
        *h += 12;
    }
    return true;
}

bool time_parse(const char *s, int tzoff, int64_t *out, int *flags)
{
    int y, mo, d, h = 0, mi = 0, sec = 0, fl = 0;
    const char *p = s;
    if (!s)
        return false;
    skip_sp(&p);
    if (!digits(&p, 4, &y))
        return false;
    bool cn = false;
    if (!strncmp(p, "年", 3)) {
        cn = true;
        p += 3;
        if (!digits(&p, 0, &mo) || strncmp(p, "月", 3))
            return false;
        p += 3;
        if (!digits(&p, 0, &d) || strncmp(p, "日", 3))
            return false;
        p += 3;
    } else {
        char sep = *p;
        if (sep != '-' && sep != '/' && sep != '.')
            return false;
        p++;
        if (!digits(&p, 0, &mo) || *p++ != sep || !digits(&p, 0, &d))
            return false;
    }
    if (!date_valid(y, mo, d))
        return false;
    /* The clock time: after 'T', after spaces, or right after 日; a 上午/下午 (AM/PM)
     * marker may stand before or after it. */
    const char *q = p;
    int mark = 0;
    if (*q == 'T') {
        q++;
    } else {
        skip_sp(&q);
        mark = day_half(&q);
        skip_sp(&q);
    }
    if (ascii_isdigit((unsigned char)*q) && (q != p || cn)) {
        if (!digits(&q, 0, &h))
            return false;
        if (*q == ':') {
            q++;
            if (!digits(&q, 2, &mi))
                return false;
            if (*q == ':') {
                q++;
                if (!digits(&q, 2, &sec))
                    return false;
                if (*q == '.' || *q == ',') {
                    q++;
                    while (ascii_isdigit((unsigned char)*q))
                        q++;
                }
            }
        } else if (!strncmp(q, "时", 3) || !strncmp(q, "點", 3) || !strncmp(q, "点", 3)) {
            q += 3;
            if (ascii_isdigit((unsigned char)*q)) {
                if (!digits(&q, 0, &mi))
                    return false;
                if (!strncmp(q, "分", 3))
                    q += 3;
            }
        } else {
            return false;
        }
        if (!mark) {
            const char *r = q;
            skip_sp(&r);
            if ((mark = day_half(&r)) != 0)
                q = r;
        }
        if (h > 23 || mi > 59 || sec > 60 || !apply_half(mark, &h))
            return false;
        if (sec == 60)
            sec = 59;
        fl |= TIME_HAS_TIME;
        p = q;
    } else if (mark) {
        return false; /* 下午 with no time */
    }
    skip_sp(&p);
    if (*p) {
        int z;
        if (!parse_zone(&p, &z))
            return false;
        tzoff = z;
        fl |= TIME_HAS_ZONE;
        skip_sp(&p);
        if (*p)
            return false;
    }
    *out = time_from_date(date_from_ymd(y, mo, d), h * 3600 + mi * 60 + sec, tzoff);
    if (flags)
        *flags = fl;
    return true;
}

void time_fmt_iso(int64_t t, int tzoff, char out[32])
{
    int32_t day = time_to_date(t, tzoff);
    int s = time_secs_of_day(t, tzoff), y, m, d;
    date_to_ymd(day, &y, &m, &d);
    int a = tzoff < 0 ? -tzoff : tzoff;
    char tb[96];
    if (tzoff == 0)
        snprintf(tb, sizeof(tb), "%04d-%02d-%02dT%02d:%02d:%02dZ", y % 10000, m, d, s / 3600,
                 s / 60 % 60, s % 60);
    else
        snprintf(tb, sizeof(tb), "%04d-%02d-%02dT%02d:%02d:%02d%c%02d:%02d", y % 10000, m, d, s / 3600,
                 s / 60 % 60, s % 60, tzoff < 0 ? '-' : '+', a / 3600, a / 60 % 60);
    snprintf(out, 32, "%.31s", tb);
}

void time_fmt_local(int64_t t, int tzoff, char out[20])
{
    int32_t day = time_to_date(t, tzoff);
    int s = time_secs_of_day(t, tzoff), y, m, d;
    date_to_ymd(day, &y, &m, &d);
    char tb[96];
    snprintf(tb, sizeof(tb), "%04d-%02d-%02d %02d:%02d:%02d", y % 10000, m, d, s / 3600, s / 60 % 60,
             s % 60);
    snprintf(out, 20, "%.19s", tb);
}

void time_fmt_cn(int64_t t, int tzoff, struct buf *b)
{
    int s = time_secs_of_day(t, tzoff);
    date_fmt_cn(time_to_date(t, tzoff), b);
    buf_addf(b, " %02d:%02d", s / 3600, s / 60 % 60);
}
