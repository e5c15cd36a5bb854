/* charset.c - conversion to UTF-8 with iconv, detection with uchardet (see charset.h). */
#include "core/charset.h"

#include <errno.h>
#include <iconv.h>
#include <string.h>
#include <uchardet.h>

#include "core/str.h"
#include "core/utf8.h"

static const struct {
    const char *label, *canon;
} labels[] = {
    { "utf-8", "UTF-8" },          { "utf8", "UTF-8" },          { "unicode-1-1-utf-8", "UTF-8" },
    { "gb2312", "GB18030" },       { "gbk", "GB18030" },         { "x-gbk", "GB18030" },
    { "gb18030", "GB18030" },      { "gb_2312-80", "GB18030" },  { "chinese", "GB18030" },
    { "csgb2312", "GB18030" },     { "iso-ir-58", "GB18030" },   { "cp936", "GB18030" },
    { "windows-936", "GB18030" },  { "euc-cn", "GB18030" },      { "hz-gb-2312", "HZ-GB-2312" },
    { "big5", "BIG5-HKSCS" },      { "big5-hkscs", "BIG5-HKSCS" }, { "cn-big5", "BIG5-HKSCS" },
    { "x-x-big5", "BIG5-HKSCS" },  { "cp950", "BIG5-HKSCS" },
    { "iso-8859-1", "WINDOWS-1252" }, { "latin1", "WINDOWS-1252" }, { "us-ascii", "WINDOWS-1252" },
    { "ascii", "WINDOWS-1252" },   { "windows-1252", "WINDOWS-1252" },
    { "utf-16le", "UTF-16LE" },    { "utf-16be", "UTF-16BE" },   { "utf-16", "UTF-16LE" },
    { "shift_jis", "SHIFT_JIS" },  { "euc-jp", "EUC-JP" },       { "euc-kr", "EUC-KR" },
    { "windows-1251", "WINDOWS-1251" }, { "koi8-r", "KOI8-R" },
};

const char *charset_canonical(const char *label)
{
    if (!label)
        return NULL;
    char t[40];
    size_t n = 0;
    while (*label && ascii_isspace((unsigned char)*label))
        label++;
    while (label[n] && n < sizeof(t) - 1 && !ascii_isspace((unsigned char)label[n]) &&
           label[n] != '"' && label[n] != '\'' && label[n] != ';') {
        t[n] = (char)ascii_tolower((unsigned char)label[n]);
        n++;
    }
    t[n] = 0;
    for (size_t i = 0; i < sizeof(labels) / sizeof(labels[0]); i++)
        if (!strcmp(t, labels[i].label))
            return labels[i].canon;
    return NULL;
}

const char *charset_detect(const char *in, size_t n)
{
    uchardet_t ud = uchardet_new();
    if (!ud)
        return NULL;
    const char *res = NULL;
    if (uchardet_handle_data(ud, in, n > 262144 ? 262144 : n) == 0) {
        uchardet_data_end(ud);
        const char *cs = uchardet_get_charset(ud);
        if (cs && *cs) {
            res = charset_canonical(cs);
            if (!res && !ascii_casecmp(cs, "ASCII"))
                res = "UTF-8";
        }
    }
    uchardet_delete(ud);
    return res;
}

bool charset_sniff_meta(const char *in, size_t n, char *out, size_t outsz)
{
    if (n > 4096)
        n = 4096;
    const char *end = in + n, *p = in;
    while ((p = ascii_casestr(p, (size_t)(end - p), "<meta")) != NULL) {
        const char *gt = memchr(p, '>', (size_t)(end - p));
        if (!gt)
            break;
        size_t len = (size_t)(gt - p);
        const char *cs = ascii_casestr(p, len, "charset");
        if (cs) {
            cs += 7;
            while (cs < gt && (ascii_isspace((unsigned char)*cs)))
                cs++;
            if (cs < gt && *cs == '=') {
                cs++;
                while (cs < gt && (ascii_isspace((unsigned char)*cs) || *cs == '"' || *cs == '\''))
                    cs++;
                size_t k = 0;
                while (cs + k < gt && k + 1 < outsz &&
                       (ascii_isalnum((unsigned char)cs[k]) || cs[k] == '-' || cs[k] == '_'))
                    k++;
                if (k) {
                    memcpy(out, cs, k);
                    out[k] = 0;
                    return true;
                }
            }
        }
        p = gt;
    }
    return false;
}

long charset_convert(const char *in, size_t n, const char *charset, struct buf *out)
{
    const char *canon = charset_canonical(charset);
    if (!canon)
        canon = charset; /* maybe already canonical */
    if (!ascii_casecmp(canon, "UTF-8")) {
        if (utf8_valid_prefix(in, n) == n) { /* the usual case: one pass, one copy */
            buf_add(out, in, n);
            return 0;
        }
        utf8_sanitize(out, in, n);
        long bad = 0;
        for (size_t i = 0; i < n;) {
            size_t ok = utf8_valid_prefix(in + i, n - i);
            i += ok;
            if (i < n) {
                bad++;
                i++;
            }
        }
        return bad;
    }
    iconv_t cd = iconv_open("UTF-8", canon);
    if (cd == (iconv_t)-1)
        return -1;
    long bad = 0;
    char tmp[8192];
    char *ip = (char *)in;
    size_t il = n;
    while (il > 0) {
        char *op = tmp;
        size_t ol = sizeof(tmp);
        size_t r = iconv(cd, &ip, &il, &op, &ol);
        buf_add(out, tmp, (size_t)(op - tmp));
        if (r == (size_t)-1) {
            if (errno == E2BIG)
                continue;
            /* EILSEQ or EINVAL (truncated at the end): replace one byte and go on. */
            utf8_encode(out, UTF8_REPLACEMENT);
            bad++;
            ip++;
            il--;
            iconv(cd, NULL, NULL, NULL, NULL);
        }
        if (out->rc)
            break;
    }
    iconv_close(cd);
    return bad;
}

/* Invalid sequences when decoding as cs, without keeping the output. */
static long trial(const char *in, size_t n, const char *cs)
{
    struct buf t = BUF_INIT;
    long bad = charset_convert(in, n > 65536 ? 65536 : n, cs, &t);
    buf_release(&t);
    return bad;
}

static bool has_high(const char *in, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if ((unsigned char)in[i] >= 0x80)
            return true;
    return false;
}

void charset_decode(const char *in, size_t n, const char *header_charset, struct buf *out,
                    struct charset_result *res)
{
    struct charset_result r = { 0 };
    if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) {
        r.used = "UTF-8";
        r.invalid = charset_convert(in + 3, n - 3, "UTF-8", out);
        if (res)
            *res = r;
        return;
    }
    char meta[40];
    const char *declared = charset_canonical(header_charset);
    if (!declared && charset_sniff_meta(in, n, meta, sizeof(meta)))
        declared = charset_canonical(meta);
    r.declared = declared;
    /* The usual case, a UTF-8 page (declared or not) that is valid UTF-8: one pass. */
    if ((!declared || !strcmp(declared, "UTF-8")) && utf8_valid_prefix(in, n) == n) {
        buf_add(out, in, n);
        r.used = "UTF-8";
        if (res)
            *res = r;
        return;
    }
    size_t sample = n > 65536 ? 65536 : n;
    bool high = has_high(in, sample);
    bool utf8_ok = utf8_valid_prefix(in, sample) >= sample - (sample < n ? 3 : 0);
    const char *use = declared;
    if (declared && high) {
        long bad = trial(in, n, declared);
        if (bad > 0) {
            /* The declaration produces garbage: see whether something else decodes
             * cleanly (a UTF-8 page labelled gb2312, a GBK page labelled utf-8). */
            const char *alt = NULL;
            if (utf8_ok && strcmp(declared, "UTF-8"))
                alt = "UTF-8";
            else if (strcmp(declared, "GB18030") && trial(in, n, "GB18030") == 0)
                alt = "GB18030";
            else {
                const char *d = charset_detect(in, n);
                if (d && strcmp(d, declared) && trial(in, n, d) < bad)
                    alt = d;
            }
            if (alt) {
                use = alt;
                r.mismatch = true;
                r.detected = true;
            }
        }
    } else if (!declared) {
        if (!high || utf8_ok) {
            use = "UTF-8";
        } else {
            use = charset_detect(in, n);
            if (!use || trial(in, n, use) > trial(in, n, "GB18030"))
                use = "GB18030";
            r.detected = true;
        }
    }
    long bad;
    if (!strcmp(use, "UTF-8") && utf8_ok && sample == n) {
        buf_add(out, in, n); /* already checked whole: no second pass */
        bad = 0;
    } else {
        bad = charset_convert(in, n, use, out);
    }
    if (bad < 0) { /* unknown declared charset */
        use = utf8_ok ? "UTF-8" : "GB18030";
        r.mismatch = true;
        r.detected = true;
        bad = charset_convert(in, n, use, out);
    }
    r.used = use;
    r.invalid = bad;
    if (res)
        *res = r;
}

void charset_decode_text(const char *in, size_t n, struct buf *out, struct charset_result *res)
{
    struct charset_result r = { 0 };
    const char *use;
    if (n >= 3 && !memcmp(in, "\xEF\xBB\xBF", 3)) {
        in += 3, n -= 3, use = "UTF-8";
    } else if (n >= 2 && !memcmp(in, "\xFF\xFE", 2)) {
        in += 2, n -= 2, use = "UTF-16LE";
    } else if (n >= 2 && !memcmp(in, "\xFE\xFF", 2)) {
        in += 2, n -= 2, use = "UTF-16BE";
    } else if (utf8_valid(in, n)) {
        use = "UTF-8";
    } else if (trial(in, n, "GB18030") == 0) {
        use = "GB18030";
        r.detected = true;
    } else {
        use = charset_detect(in, n);
        if (!use)
            use = "GB18030";
        r.detected = true;
    }
    r.used = use;
    r.invalid = charset_convert(in, n, use, out);
    if (res)
        *res = r;
}
