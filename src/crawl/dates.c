/* dates.c - finding dates in the visible text of government pages (see crawl.h).
 *
 * Forms: 2018-11-30, 2018/11/30, 2018.11.30, 2018年11月30日 (one- or two-digit month and
 * day, full-width digits and separators too), optionally followed by a time.  A date must
 * stand alone: no digit right before the year or right after the day, so "t20181130",
 * "12018-11-301" and "截至2018年2月底" are not dates.
 */
#include <string.h>

#include "core/date.h"
#include "core/str.h"
#include "crawl/crawl.h"

#define YEAR_MIN 1980
#define YEAR_MAX 2099

/* A digit at s[i] (ASCII or full-width U+FF10..U+FF19): its value and byte length. */
static int digit_at(const char *s, size_t n, size_t i, size_t *len)
{
    if (i < n && s[i] >= '0' && s[i] <= '9') {
        *len = 1;
        return s[i] - '0';
    }
    if (i + 2 < n && (unsigned char)s[i] == 0xEF && (unsigned char)s[i + 1] == 0xBC &&
        (unsigned char)s[i + 2] >= 0x90 && (unsigned char)s[i + 2] <= 0x99) {
        *len = 3;
        return (unsigned char)s[i + 2] - 0x90;
    }
    return -1;
}

/* Cheap test that s[i] may start a digit (ASCII, or the lead byte of a full-width one). */
static inline bool maybe_digit(const char *s, size_t i)
{
    unsigned char c = (unsigned char)s[i];
    return (c >= '0' && c <= '9') || c == 0xEF;
}

/* True when the code point ending right before s[i] is a digit. */
static bool digit_before(const char *s, size_t i)
{
    if (i >= 1 && s[i - 1] >= '0' && s[i - 1] <= '9')
        return true;
    if (i >= 3 && (unsigned char)s[i - 3] == 0xEF && (unsigned char)s[i - 2] == 0xBC &&
        (unsigned char)s[i - 1] >= 0x90 && (unsigned char)s[i - 1] <= 0x99)
        return true;
    return false;
}

/* Read 1..max digits; returns the count read (0 when none), value in *v, s index moved. */
static int read_num(const char *s, size_t n, size_t *i, int max, int *v)
{
    int k = 0, val = 0;
    size_t len;
    int d;
    while (k < max && (d = digit_at(s, n, *i, &len)) >= 0) {
        val = val * 10 + d;
        *i += len;
        k++;
    }
    *v = val;
    return k;
}

static bool lit(const char *s, size_t n, size_t i, const char *l, size_t *len)
{
    size_t k = strlen(l);
    if (i + k <= n && !memcmp(s + i, l, k)) {
        *len = k;
        return true;
    }
    return false;
}

/* Skip ASCII spaces, NBSP (C2 A0) and U+3000, at most `max` bytes. */
static size_t skip_sp(const char *s, size_t n, size_t i, size_t max)
{
    size_t start = i;
    while (i < n && i - start < max) {
        if (s[i] == ' ' || s[i] == '\t')
            i++;
        else if (i + 1 < n && (unsigned char)s[i] == 0xC2 && (unsigned char)s[i + 1] == 0xA0)
            i += 2;
        else if (i + 2 < n && !memcmp(s + i, "\xE3\x80\x80", 3))
            i += 3;
        else
            break;
    }
    return i;
}

/* Separator between year/month/day: '-', '/', '.', full-width forms, or 年/月.  Returns
 * a code (1 '-', 2 '/', 3 '.', 4 年, 5 月) and the length. */
static int sep_at(const char *s, size_t n, size_t i, size_t *len)
{
    if (i >= n)
        return 0;
    switch (s[i]) {
    case '-': *len = 1; return 1;
    case '/': *len = 1; return 2;
    case '.': *len = 1; return 3;
    default: break;
    }
    if (lit(s, n, i, "\xEF\xBC\x8D", len)) /* － */
        return 1;
    if (lit(s, n, i, "\xEF\xBC\x8F", len)) /* ／ */
        return 2;
    if (lit(s, n, i, "\xEF\xBC\x8E", len)) /* ． */
        return 3;
    if (lit(s, n, i, "年", len))
        return 4;
    if (lit(s, n, i, "月", len))
        return 5;
    return 0;
}

/* Optional time after a date: [T or spaces] HH:MM[:SS] or HH时MM分. */
static bool read_time(const char *s, size_t n, size_t *pi)
{
    size_t i = *pi, len;
    if (i < n && s[i] == 'T')
        i++;
    else
        i = skip_sp(s, n, i, 12);
    int h, m;
    if (!read_num(s, n, &i, 2, &h) || h > 23)
        return false;
    bool cn = false;
    if (i < n && (s[i] == ':' || lit(s, n, i, "：", &len))) {
        i += s[i] == ':' ? 1 : len;
    } else if (lit(s, n, i, "时", &len)) {
        i += len;
        cn = true;
    } else {
        return false;
    }
    if (read_num(s, n, &i, 2, &m) != 2 || m > 59)
        return false;
    if (cn && lit(s, n, i, "分", &len))
        i += len;
    if (!cn && i + 2 < n && s[i] == ':' && digit_at(s, n, i + 1, &len) >= 0) {
        size_t j = i + 1;
        int sec;
        if (read_num(s, n, &j, 2, &sec) == 2 && sec <= 59)
            i = j;
    }
    *pi = i;
    return true;
}

/* A full date starting exactly at s[i]. */
static bool date_at(const char *s, size_t n, size_t i, struct html_date *out)
{
    size_t start = i, len;
    int y, m, d;
    if (digit_before(s, i))
        return false;
    if (read_num(s, n, &i, 4, &y) != 4 || y < YEAR_MIN || y > YEAR_MAX)
        return false;
    size_t j = skip_sp(s, n, i, 3);
    int sep = sep_at(s, n, j, &len);
    if (!sep || sep == 5 || (sep != 4 && j != i))
        return false;
    i = j + len;
    if (sep == 4)
        i = skip_sp(s, n, i, 3);
    if (!read_num(s, n, &i, 2, &m) || digit_at(s, n, i, &len) >= 0)
        return false;
    if (sep == 4) {
        i = skip_sp(s, n, i, 3);
        if (sep_at(s, n, i, &len) != 5)
            return false;
        i = skip_sp(s, n, i + len, 3);
    } else {
        int sep2 = sep_at(s, n, i, &len);
        if (sep2 != sep)
            return false;
        i += len;
    }
    if (!read_num(s, n, &i, 2, &d) || digit_at(s, n, i, &len) >= 0)
        return false;
    if (!date_valid(y, m, d))
        return false;
    if (sep == 4) {
        size_t k = skip_sp(s, n, i, 3);
        if (lit(s, n, k, "日", &len) || lit(s, n, k, "号", &len))
            i = k + len;
    }
    /* "2018-11-30-5" or "2018.11.30.1" are version numbers or ids, not dates. */
    if (sep != 4 && i < n && sep_at(s, n, i, &len) == sep && digit_at(s, n, i + len, &len) >= 0)
        return false;
    out->day = date_from_ymd(y, m, d);
    out->has_time = read_time(s, n, &i);
    out->pos = start;
    out->len = i - start;
    return true;
}

bool html_date_find(const char *s, size_t n, struct html_date *out)
{
    size_t len;
    for (size_t i = 0; i < n; i++) {
        if (!maybe_digit(s, i) || digit_at(s, n, i, &len) < 0)
            continue;
        if (date_at(s, n, i, out))
            return true;
        /* Skip the rest of this digit run. */
        while (i + 1 < n && digit_at(s, n, i + 1, &len) >= 0)
            i++;
    }
    return false;
}

bool html_date_parse(const char *s, size_t n, int32_t *day)
{
    struct str t = str_trim((struct str){ s, n });
    struct html_date h;
    size_t i = skip_sp(t.p, t.n, 0, 16);
    if (!date_at(t.p, t.n, i, &h))
        return false;
    *day = h.day;
    return true;
}

/* Labels before a publication date, strongest first.  "成文日期" (date written) and
 * "更新时间" are weaker than the publication labels but better than nothing. */
static const char *const labels_strong[] = {
    "发布时间", "发布日期", "发表时间", "发表日期", "公开日期", "发文日期", "信息时间", "发稿时间",
    "时间发布", "发布于",
};
static const char *const labels_weak[] = {
    "更新时间", "更新日期", "印发日期", "成文日期", "生成日期", "日期", "时间",
};
/* Words of an article's information line ("日期：... 来源：... 浏览次数：...") */
static const char *const info_words[] = {
    "来源", "作者", "浏览", "点击", "字号", "字体", "阅读", "编辑", "发布机构", "访问量", "分享",
};

/* After a label: separators (：: spaces ] 】 ) then the date. */
static bool date_after_label(const char *s, size_t n, size_t i, struct html_date *out)
{
    size_t end = i + 24 < n ? i + 24 : n, len;
    while (i < end) {
        if (s[i] == ':' || s[i] == ' ' || s[i] == '\t' || s[i] == '\n' || s[i] == ']' ||
            s[i] == ')' || s[i] == '=')
            i++;
        else if (lit(s, n, i, "：", &len) || lit(s, n, i, "】", &len) ||
                 lit(s, n, i, "）", &len) || lit(s, n, i, "\xC2\xA0", &len) ||
                 lit(s, n, i, "\xE3\x80\x80", &len) || lit(s, n, i, "为", &len))
            i += len;
        else
            break;
    }
    return i < n && date_at(s, n, i, out);
}

/* The line around s[at] holds one of the info words. */
static bool info_line(const char *s, size_t n, size_t at)
{
    size_t ls = at, le = at;
    while (ls > 0 && s[ls - 1] != '\n' && at - ls < 300)
        ls--;
    while (le < n && s[le] != '\n' && le - at < 300)
        le++;
    for (size_t k = 0; k < sizeof(info_words) / sizeof(info_words[0]); k++)
        if (memmem(s + ls, le - ls, info_words[k], strlen(info_words[k])))
            return true;
    return false;
}

/* The earliest label of the list followed by a date (on an information line when `info`).
 * One pass over the text: where the first character of some label starts (its first
 * three bytes; every label begins with a CJK character), the labels are tried in their
 * order — no label is a prefix of another, so at most one matches at a position. */
static bool labelled(const char *s, size_t n, const char *const *labels, size_t nl, bool info,
                     struct html_date *out)
{
    uint32_t head[16];
    size_t len[16];
    if (nl > 16)
        BUG("dates: %zu labels", nl);
    for (size_t k = 0; k < nl; k++) {
        const unsigned char *l = (const unsigned char *)labels[k];
        len[k] = strlen(labels[k]);
        if (len[k] < 3)
            BUG("dates: label '%s' is shorter than a CJK character", labels[k]);
        head[k] = (uint32_t)l[0] << 16 | (uint32_t)l[1] << 8 | l[2];
    }
    const unsigned char *u = (const unsigned char *)s;
    for (size_t i = 0; i + 3 <= n; i++) {
        if (u[i] < 0xE0)
            continue;
        uint32_t c = (uint32_t)u[i] << 16 | (uint32_t)u[i + 1] << 8 | u[i + 2];
        for (size_t k = 0; k < nl; k++) {
            if (c != head[k] || len[k] > n - i || memcmp(s + i + 3, labels[k] + 3, len[k] - 3))
                continue;
            struct html_date h;
            if (date_after_label(s, n, i + len[k], &h) && (!info || info_line(s, n, i))) {
                *out = h;
                return true;
            }
        }
    }
    return false;
}

bool html_date_labelled(const char *s, size_t n, unsigned mode, struct html_date *out)
{
    if ((mode & HTML_LABEL_STRONG) &&
        labelled(s, n, labels_strong, sizeof(labels_strong) / sizeof(labels_strong[0]), false,
                 out))
        return true;
    if (mode & (HTML_LABEL_WEAK | HTML_LABEL_INFO))
        return labelled(s, n, labels_weak, sizeof(labels_weak) / sizeof(labels_weak[0]),
                        !(mode & HTML_LABEL_WEAK), out);
    return false;
}

/* The split list layout: a day ("24") and a year-month ("2025-06", "2025.06", "2025年06月")
 * as separate tokens of one item, in either order. */
bool html_date_split(const char *s, size_t n, int32_t *day)
{
    int y = 0, m = 0, d = 0;
    bool have_ym = false, have_d = false;
    size_t len;
    for (size_t i = 0; i < n;) {
        if (!maybe_digit(s, i) || digit_at(s, n, i, &len) < 0 || digit_before(s, i)) {
            i++;
            continue;
        }
        size_t j = i;
        int v;
        int k = read_num(s, n, &j, 5, &v);
        if (k == 4 && v >= YEAR_MIN && v <= YEAR_MAX) {
            size_t q = j;
            int sep = sep_at(s, n, q, &len);
            int mm;
            if (sep && sep != 5 && (q += len, read_num(s, n, &q, 2, &mm)) &&
                digit_at(s, n, q, &len) < 0 && mm >= 1 && mm <= 12) {
                if (sep == 4 && lit(s, n, q, "月", &len))
                    q += len;
                /* A full date is not a split layout. */
                int sep2 = sep_at(s, n, q, &len);
                if (sep2 && (sep2 == sep || (sep == 4 && sep2 == 5)) &&
                    digit_at(s, n, q + len, &len) >= 0)
                    return false;
                if (!have_ym) {
                    y = v, m = mm, have_ym = true;
                }
                i = q;
                continue;
            }
        } else if ((k == 1 || k == 2) && v >= 1 && v <= 31 && !have_d) {
            /* A lone day: not followed by a separator and more digits (not "11-30"). */
            size_t q = j;
            int sep = sep_at(s, n, q, &len);
            if (!(sep && digit_at(s, n, q + len, &len) >= 0) && !lit(s, n, q, "%", &len)) {
                d = v;
                have_d = true;
            }
        }
        i = j;
    }
    if (!have_ym || !have_d || !date_valid(y, m, d))
        return false;
    *day = date_from_ymd(y, m, d);
    return true;
}

bool html_date_month_day(const char *s, size_t n, int *month, int *day)
{
    size_t len;
    for (size_t i = 0; i < n; i++) {
        if (!maybe_digit(s, i) || digit_at(s, n, i, &len) < 0 || digit_before(s, i))
            continue;
        size_t j = i;
        int m, d;
        int k = read_num(s, n, &j, 3, &m);
        int sep = sep_at(s, n, j, &len);
        if (k >= 1 && k <= 2 && (sep == 1 || sep == 2 || sep == 3 || sep == 5)) {
            j += len;
            int kd = read_num(s, n, &j, 3, &d);
            bool more = sep != 5 && sep_at(s, n, j, &len) == sep && digit_at(s, n, j + len, &len) >= 0;
            if (kd >= 1 && kd <= 2 && !more && m >= 1 && m <= 12 && d >= 1 && d <= 31) {
                *month = m;
                *day = d;
                return true;
            }
        }
        while (i + 1 < n && digit_at(s, n, i + 1, &len) >= 0)
            i++;
    }
    return false;
}

/* TRS and most CMSs put the date into article file names: t20181130_123.html, or
 * /2018/11/30/, /201811/30/, art/2018/11/30/art_... */
bool html_date_from_url(const char *url, int32_t *day)
{
    const char *path = strstr(url, "://");
    path = path ? strchr(path + 3, '/') : NULL;
    if (!path)
        return false;
    const char *q = strpbrk(path, "?#");
    size_t n = q ? (size_t)(q - path) : strlen(path);
    for (size_t i = 0; i + 9 <= n; i++) {
        /* /tYYYYMMDD_ or /YYYYMMDD_ */
        if ((path[i] == 't' || path[i] == 'T') && i > 0 && path[i - 1] == '/') {
            int v = 0, k = 0;
            size_t j = i + 1;
            while (j < n && k < 8 && ascii_isdigit((unsigned char)path[j]))
                v = v * 10 + (path[j++] - '0'), k++;
            if (k == 8 && j < n && (path[j] == '_' || path[j] == '.')) {
                int y = v / 10000, m = v / 100 % 100, d = v % 100;
                if (y >= YEAR_MIN && y <= YEAR_MAX && date_valid(y, m, d)) {
                    *day = date_from_ymd(y, m, d);
                    return true;
                }
            }
        }
        /* /YYYY/MM/DD/ or /YYYY/M/D/ */
        if (path[i] == '/') {
            size_t j = i + 1;
            int p[3], k;
            for (k = 0; k < 3; k++) {
                int v = 0, c = 0;
                while (j < n && c < 4 && ascii_isdigit((unsigned char)path[j]))
                    v = v * 10 + (path[j++] - '0'), c++;
                if (c == 0 || j >= n || path[j] != '/' || (k == 0 && c != 4) || (k > 0 && c > 2))
                    break;
                p[k] = v;
                j++;
            }
            if (k == 3 && p[0] >= YEAR_MIN && p[0] <= YEAR_MAX && date_valid(p[0], p[1], p[2])) {
                *day = date_from_ymd(p[0], p[1], p[2]);
                return true;
            }
        }
    }
    return false;
}
