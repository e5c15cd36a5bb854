/* test_core.c - core utilities: buf, str, arena, vec, map, utf8, esc, date, json, csv,
 * charset, url, conf, notes. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/charset.h"
#include "core/conf.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/esc.h"
#include "core/json.h"
#include "core/map.h"
#include "core/notes.h"
#include "core/str.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/vec.h"
#include "test.h"

TEST(buf_appends_and_caps)
{
    struct buf b = BUF_INIT;
    ASSERT_EQ_STR(buf_cstr(&b), "");
    buf_adds(&b, "ab");
    buf_addc(&b, 'c');
    buf_addf(&b, "%d-%s", 42, "x");
    ASSERT_EQ_STR(buf_cstr(&b), "abc42-x");
    ASSERT_EQ_INT(b.n, 7);
    buf_release(&b);

    struct buf c;
    buf_init(&c, 5);
    buf_adds(&c, "1234");
    ASSERT_EQ_INT(buf_rc(&c), RC_OK);
    buf_adds(&c, "56");
    ASSERT_EQ_INT(buf_rc(&c), RC_LIMIT);
    ASSERT_EQ_STR(buf_cstr(&c), "1234");
    buf_adds(&c, "x"); /* sticky: nothing more */
    ASSERT_EQ_STR(buf_cstr(&c), "1234");
    buf_addf(&c, "%s", "zzzzzzzzzz");
    ASSERT_EQ_STR(buf_cstr(&c), "1234");
    char *taken = buf_take(&c);
    ASSERT_EQ_STR(taken, "1234");
    free(taken);
    ASSERT_EQ_INT(c.n, 0);
    buf_release(&c);
}

TEST(buf_addf_long_and_binary)
{
    struct buf b = BUF_INIT;
    char big[5000];
    memset(big, 'q', sizeof(big) - 1);
    big[sizeof(big) - 1] = 0;
    buf_addf(&b, "<%s>", big);
    ASSERT_EQ_INT(b.n, 5001);
    buf_reset(&b);
    buf_add(&b, "a\0b", 3);
    ASSERT_EQ_INT(b.n, 3);
    ASSERT(b.p[1] == 0 && b.p[2] == 'b' && b.p[3] == 0);
    buf_release(&b);
}

TEST(str_strict_numbers)
{
    /* clang-format off */
    static const struct { const char *in; int ok; int64_t v; } cases[] = {
        { "0", 1, 0 }, { "42", 1, 42 }, { "-7", 1, -7 }, { "9223372036854775807", 1, INT64_MAX },
        { "-9223372036854775808", 1, INT64_MIN }, { "9223372036854775808", 0, 0 },
        { "", 0, 0 }, { "-", 0, 0 }, { "12a", 0, 0 }, { " 1", 0, 0 }, { "+1", 0, 0 },
        { "1.5", 0, 0 },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t v = 0;
        bool ok = str_to_i64(str_of(cases[i].in), &v);
        ASSERT_EQ_INT(ok, cases[i].ok);
        if (ok)
            ASSERT_EQ_INT(v, cases[i].v);
    }
    int x;
    ASSERT(cstr_to_int("15", 1, 20, &x) && x == 15);
    ASSERT(!cstr_to_int("21", 1, 20, &x));
}

TEST(str_split_and_trim)
{
    struct str s = str_of("a,b,,c"), h;
    ASSERT(str_split(&s, ',', &h) && str_eqs(h, "a"));
    ASSERT(str_split(&s, ',', &h) && str_eqs(h, "b"));
    ASSERT(str_split(&s, ',', &h) && str_eqs(h, ""));
    ASSERT(!str_split(&s, ',', &h) && str_eqs(h, "c"));
    ASSERT_EQ_INT(s.n, 0);
    struct str t = str_trim(str_of("\xe3\x80\x80 x y\t\n"));
    ASSERT(str_eqs(t, "x y"));
}

TEST(arena_allocates_and_resets)
{
    struct arena a = ARENA_INIT;
    char *p = arena_strdup(&a, "hello");
    char *q = arena_fmt(&a, "%s-%d", p, 3);
    ASSERT_EQ_STR(q, "hello-3");
    void *big = arena_alloc(&a, 100000);
    ASSERT(((uintptr_t)big & 15) == 0);
    memset(big, 1, 100000);
    for (int i = 0; i < 1000; i++)
        arena_alloc(&a, 100);
    arena_reset(&a);
    ASSERT_EQ_INT(a.used, 0);
    ASSERT_EQ_STR(arena_strdup(&a, "again"), "again");
    arena_release(&a);
}

TEST(vec_push_many)
{
    VEC(int) v = VEC_INIT;
    for (int i = 0; i < 1000; i++)
        vec_push(&v, i * 2);
    ASSERT_EQ_INT(v.n, 1000);
    ASSERT_EQ_INT(v.v[999], 1998);
    int sum = 0;
    vec_foreach(&v, it)
        sum += *it;
    ASSERT_EQ_INT(sum, 999000);
    vec_release(&v);
}

TEST(map_put_get_delete_against_reference)
{
    struct map m = MAP_INIT;
    /* Compare with a direct-indexed reference over random operations. */
    static int ref[512];
    memset(ref, 0, sizeof(ref));
    for (int i = 0; i < 20000; i++) {
        int k = (int)(t_rand() % 512);
        char key[16];
        snprintf(key, sizeof(key), "k%d", k);
        if (t_rand() % 3 == 0) {
            map_del(&m, key, strlen(key));
            ref[k] = 0;
        } else {
            map_puts(&m, key, (void *)(intptr_t)(k + 1));
            ref[k] = k + 1;
        }
    }
    size_t live = 0;
    for (int k = 0; k < 512; k++) {
        char key[16];
        snprintf(key, sizeof(key), "k%d", k);
        ASSERT_EQ_INT((intptr_t)map_gets(&m, key), ref[k]);
        live += ref[k] != 0;
    }
    ASSERT_EQ_INT(m.n, live);
    size_t seen = 0;
    map_foreach(&m, e)
        seen++;
    ASSERT_EQ_INT(seen, live);
    map_release(&m, NULL);
}

TEST(utf8_decode_and_sanitize)
{
    size_t len;
    ASSERT_EQ_INT(utf8_decode("中", 3, &len), 0x4E2D);
    ASSERT_EQ_INT(len, 3);
    ASSERT_EQ_INT(utf8_decode("\xe4\xb8", 2, &len), UTF8_REPLACEMENT); /* truncated */
    ASSERT_EQ_INT(len, 1);
    ASSERT_EQ_INT(utf8_decode("\xc0\xaf", 2, &len), UTF8_REPLACEMENT);     /* overlong */
    ASSERT_EQ_INT(utf8_decode("\xed\xa0\x80", 3, &len), UTF8_REPLACEMENT); /* surrogate */
    ASSERT(utf8_valid("示范市", strlen("示范市")));
    ASSERT(!utf8_valid("a\xffz", 3));
    struct buf b = BUF_INIT;
    utf8_sanitize(&b, "a\xffz", 3);
    ASSERT_EQ_STR(buf_cstr(&b), "a\xef\xbf\xbdz");
    buf_reset(&b);
    utf8_fold(&b, "ＡＢＣ　１２３", strlen("ＡＢＣ　１２３"));
    ASSERT_EQ_STR(buf_cstr(&b), "abc 123");
    ASSERT_EQ_INT(utf8_count("示范a", strlen("示范a")), 3);
    ASSERT_EQ_INT(utf8_prefix_bytes("示范a", strlen("示范a"), 1), 3);
    buf_release(&b);
}

TEST(escaping_per_format)
{
    struct buf b = BUF_INIT;
    esc_html(&b, "<script>alert('x')</script>&\"");
    ASSERT_EQ_STR(buf_cstr(&b), "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;&amp;&quot;");
    buf_reset(&b);
    esc_json(&b, "a\"b\\c\n\x01</script>中");
    ASSERT_EQ_STR(buf_cstr(&b), "\"a\\\"b\\\\c\\n\\u0001<\\/script>中\"");
    buf_reset(&b);
    /* Runs of Chinese pass through; bad bytes become U+FFFD; U+2028 is escaped. */
    esc_json(&b, "国庆节\xff放假\xe2\x80\xa8调休\xe4\xb8");
    ASSERT_EQ_STR(buf_cstr(&b), "\"国庆节\xef\xbf\xbd放假\\u2028调休\xef\xbf\xbd\xef\xbf\xbd\"");
    buf_reset(&b);
    esc_csv(&b, "a,b \"c\"");
    ASSERT_EQ_STR(buf_cstr(&b), "\"a,b \"\"c\"\"\"");
    buf_reset(&b);
    esc_csv(&b, "=HYPERLINK(1)");
    ASSERT_EQ_STR(buf_cstr(&b), "'=HYPERLINK(1)");
    buf_reset(&b);
    esc_csv(&b, "-12.5");
    ASSERT_EQ_STR(buf_cstr(&b), "-12.5");
    buf_reset(&b);
    esc_like(&b, "100%_a\\b中");
    ASSERT_EQ_STR(buf_cstr(&b), "%100\\%\\_a\\\\b中%");
    buf_reset(&b);
    esc_url(&b, "中 a/b");
    ASSERT_EQ_STR(buf_cstr(&b), "%E4%B8%AD%20a%2Fb");
    buf_reset(&b);
    /* XML: controls but TAB/LF/CR dropped, U+FFFE/U+FFFF dropped, bad bytes U+FFFD. */
    esc_xml(&b, "a\x01\x1f\tb\xef\xbf\xbe\xef\xbf\xbf"
                "c\xef\xbf\xbd<\xff>");
    ASSERT_EQ_STR(buf_cstr(&b), "a\tbc\xef\xbf\xbd&lt;\xef\xbf\xbd&gt;");
    buf_release(&b);
}

TEST(date_roundtrip_every_day)
{
    /* Every day 1900..2100 round-trips and weekdays advance by one. */
    int32_t start = date_from_ymd(1900, 1, 1), end = date_from_ymd(2100, 12, 31);
    int prev_wd = date_weekday(start);
    for (int32_t d = start; d <= end; d++) {
        int y, m, dd;
        date_to_ymd(d, &y, &m, &dd);
        ASSERT(date_valid(y, m, dd));
        ASSERT_EQ_INT(date_from_ymd(y, m, dd), d);
        if (d > start) {
            ASSERT_EQ_INT(date_weekday(d), prev_wd % 7 + 1);
            prev_wd = date_weekday(d);
        }
    }
    ASSERT_EQ_INT(date_weekday(date_from_ymd(2018, 12, 1)), 6); /* Saturday */
    ASSERT_EQ_INT(date_from_ymd(1970, 1, 1), 0);
}

TEST(date_parse_and_format)
{
    int32_t d;
    ASSERT(date_parse("2018-11-30", &d));
    char t[11];
    date_fmt(d, t);
    ASSERT_EQ_STR(t, "2018-11-30");
    ASSERT(!date_parse("2018-02-29", &d));
    ASSERT(date_parse("2020-02-29", &d));
    ASSERT(!date_parse("2018-13-01", &d));
    ASSERT(!date_parse("2018-1-01", &d));
    ASSERT(!date_parse("2018-11-30x", &d));
    struct buf b = BUF_INIT;
    date_parse("2018-12-12", &d);
    date_fmt_cn(d, &b);
    ASSERT_EQ_STR(buf_cstr(&b), "2018年12月12日");
    buf_release(&b);
    int32_t f, n;
    ASSERT(date_parse_month("2018-12", &f, &n));
    date_fmt(n, t);
    ASSERT_EQ_STR(t, "2019-01-01");
    ASSERT_EQ_INT(date_add_months(date_from_ymd(2019, 1, 31), 1), date_from_ymd(2019, 2, 28));
}

TEST(time_parse_forms)
{
    /* clang-format off */
    static const struct { const char *in; const char *iso; int has_time; } cases[] = {
        { "2018-12-03 12:00", "2018-12-03T12:00:00+08:00", 1 },
        { "2018-12-03", "2018-12-03T00:00:00+08:00", 0 },
        { "2018-12-21T23:59:59+08:00", "2018-12-21T23:59:59+08:00", 1 },
        { "2018-12-21T15:59:59Z", "2018-12-21T23:59:59+08:00", 1 },
        { "2018-12-21T10:59:59-05:00", "2018-12-21T23:59:59+08:00", 1 },
        { "2018/11/30 8:05", "2018-11-30T08:05:00+08:00", 1 },
        { "2018.11.30", "2018-11-30T00:00:00+08:00", 0 },
        { "2018年11月30日", "2018-11-30T00:00:00+08:00", 0 },
        { "2018年1月5日 09:30", "2018-01-05T09:30:00+08:00", 1 },
        { "2018年1月5日9时30分", "2018-01-05T09:30:00+08:00", 1 },
        { "2018-12-03 12:00:07.123", "2018-12-03T12:00:07+08:00", 1 },
        { "2018/11/5 下午 3:20", "2018-11-05T15:20:00+08:00", 1 },
        { "2018/11/5 下午3:20:05", "2018-11-05T15:20:05+08:00", 1 },
        { "2018年11月5日下午3时20分", "2018-11-05T15:20:00+08:00", 1 },
        { "2018年11月5日 上午9:30", "2018-11-05T09:30:00+08:00", 1 },
        { "2018-11-05 3:20 PM", "2018-11-05T15:20:00+08:00", 1 },
        { "2018-11-05 12:10 am", "2018-11-05T00:10:00+08:00", 1 },
        { "2018-11-05 12:10 PM", "2018-11-05T12:10:00+08:00", 1 },
        { "2018-11-05 中午1:00", "2018-11-05T13:00:00+08:00", 1 },
        { "2018-11-05 晚上 8:00", "2018-11-05T20:00:00+08:00", 1 },
        { "2018-11-05 下午15:20", "2018-11-05T15:20:00+08:00", 1 },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        int64_t t;
        int fl = 0;
        if (!time_parse(cases[i].in, TZ_CST, &t, &fl))
            t_fail(__FILE__, __LINE__, "cannot parse '%s'", cases[i].in);
        char out[32];
        time_fmt_iso(t, TZ_CST, out);
        ASSERT_EQ_STR(out, cases[i].iso);
        ASSERT_EQ_INT((fl & TIME_HAS_TIME) != 0, cases[i].has_time);
    }
    static const char *bad[] = { "",
                                 "2018",
                                 "2018-12-32",
                                 "2018-12-03 24:00",
                                 "2018-12-03 12",
                                 "2018-12-03 12:00 junk",
                                 "2018-02-30",
                                 "20181203",
                                 "2018-12-03T",
                                 "2018-12-03 12:60",
                                 "2018-11-05 下午",
                                 "2018-11-05 上午13:00",
                                 "2018-11-05 3:20 XM",
                                 "2018-11-05 PM PM 3:20" };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        int64_t t;
        if (time_parse(bad[i], TZ_CST, &t, NULL))
            t_fail(__FILE__, __LINE__, "'%s' should not parse", bad[i]);
    }
    int z;
    ASSERT(tz_parse("+08:00", &z) && z == 28800);
    ASSERT(tz_parse("-0530", &z) && z == -19800);
    ASSERT(!tz_parse("+25:00", &z));
}

TEST(time_civil_conversions)
{
    int64_t t;
    time_parse("2018-12-31T23:30:00+08:00", 0, &t, NULL);
    char d[11];
    date_fmt(time_to_date(t, TZ_CST), d);
    ASSERT_EQ_STR(d, "2018-12-31");
    date_fmt(time_to_date(t, 0), d);
    ASSERT_EQ_STR(d, "2018-12-31");
    ASSERT_EQ_INT(time_secs_of_day(t, TZ_CST), 23 * 3600 + 1800);
    int64_t neg = -1;
    date_fmt(time_to_date(neg, 0), d);
    ASSERT_EQ_STR(d, "1969-12-31");
    ASSERT_EQ_INT(time_secs_of_day(neg, 0), 86399);
}

TEST(json_writer_shapes)
{
    struct buf b = BUF_INIT;
    struct jw w;
    jw_init(&w, &b, false);
    jw_arr(&w);
    jw_obj(&w);
    jw_kstr(&w, "s", "a\"b");
    jw_kint(&w, "n", -3);
    jw_kbool(&w, "t", true);
    jw_knull(&w, "z");
    jw_kdate(&w, "d", DATE_NONE);
    jw_kdouble(&w, "f", 0.5);
    jw_key(&w, "e");
    jw_arr(&w);
    jw_end(&w);
    jw_end(&w);
    jw_int(&w, 7);
    jw_end(&w);
    jw_finish(&w);
    ASSERT_EQ_STR(
        buf_cstr(&b),
        "[{\"s\":\"a\\\"b\",\"n\":-3,\"t\":true,\"z\":null,\"d\":null,\"f\":0.5,\"e\":[]},7]");
    buf_reset(&b);
    jw_init(&w, &b, true);
    jw_obj(&w);
    jw_kint(&w, "a", 1);
    jw_end(&w);
    jw_finish(&w);
    ASSERT_EQ_STR(buf_cstr(&b), "{\n  \"a\": 1\n}\n");
    /* stored JSON passes through, but never closes a script element */
    buf_reset(&b);
    jw_init(&w, &b, false);
    jw_raw(&w, "{\"x\":\"<script>a</script></\",\"y\":[1]}");
    jw_finish(&w);
    ASSERT_EQ_STR(buf_cstr(&b), "{\"x\":\"<script>a<\\/script><\\/\",\"y\":[1]}");
    buf_release(&b);
}

TEST(csv_quotes_newlines_and_lines)
{
    const char *text = "name,note\r\n"
                       "a,\"x, y\"\r\n"
                       "\n"
                       "b,\"two\nlines\"\n"
                       "c,\"say \"\"hi\"\"\"\n"
                       "d,\n";
    struct csv c;
    struct err e = { 0 };
    csv_open_mem(&c, "t.csv", text, strlen(text));
    ASSERT_EQ_INT(csv_next(&c, &e), 1);
    ASSERT_EQ_INT(csv_find(&c, "NOTE|备注"), 1);
    ASSERT_EQ_INT(csv_next(&c, &e), 1);
    ASSERT_EQ_INT(c.line, 2);
    ASSERT_EQ_STR(c.f[1], "x, y");
    ASSERT_EQ_INT(csv_next(&c, &e), 1);
    ASSERT_EQ_INT(c.line, 4);
    ASSERT_EQ_STR(c.f[1], "two\nlines");
    ASSERT_EQ_INT(csv_next(&c, &e), 1);
    ASSERT_EQ_INT(c.line, 6);
    ASSERT_EQ_STR(c.f[1], "say \"hi\"");
    ASSERT_EQ_INT(csv_next(&c, &e), 1);
    ASSERT_EQ_INT(c.nf, 2);
    ASSERT_EQ_STR(c.f[1], "");
    ASSERT_EQ_INT(csv_next(&c, &e), 0);
    csv_close(&c);

    csv_open_mem(&c, "bad.csv", "a,b\n1,\"open\n2,3\n", 16);
    csv_next(&c, &e);
    ASSERT_EQ_INT(csv_next(&c, &e), -1);
    ASSERT_CONTAINS(e.msg, "bad.csv:2:");
    csv_close(&c);
}

TEST(csv_bom_gb18030_and_tsv)
{
    struct csv c;
    struct err e = { 0 };
    const char *bom = "\xEF\xBB\xBFname\n示范\n";
    csv_open_mem(&c, "bom.csv", bom, strlen(bom));
    csv_next(&c, &e);
    ASSERT_EQ_STR(c.f[0], "name"); /* BOM gone */
    csv_next(&c, &e);
    ASSERT_EQ_STR(c.f[0], "示范");
    csv_close(&c);
    /* "名称\n市人社局\n" in GB18030. */
    const char gb[] = "\xC3\xFB\xB3\xC6\n\xCA\xD0\xC8\xCB\xC9\xE7\xBE\xD6\n";
    csv_open_mem(&c, "gb.csv", gb, sizeof(gb) - 1);
    ASSERT_EQ_STR(c.cs.used, "GB18030");
    csv_next(&c, &e);
    ASSERT_EQ_STR(c.f[0], "名称");
    csv_next(&c, &e);
    ASSERT_EQ_STR(c.f[0], "市人社局");
    csv_close(&c);
    csv_open_mem(&c, "t.tsv", "a\tb\n1\t2,3\n", 11);
    csv_next(&c, &e);
    csv_next(&c, &e);
    ASSERT_EQ_INT(c.nf, 2);
    ASSERT_EQ_STR(c.f[1], "2,3");
    csv_close(&c);
}

TEST(charset_decode_policy)
{
    struct buf out = BUF_INIT;
    struct charset_result r;
    /* GBK bytes for 通知公告 with a gb2312 meta tag. */
    const char page[] =
        "<html><head><meta http-equiv=\"Content-Type\" content=\"text/html; "
        "charset=gb2312\"></head><body>\xCD\xA8\xD6\xAA\xB9\xAB\xB8\xE6</body></html>";
    charset_decode(page, sizeof(page) - 1, NULL, &out, &r);
    ASSERT_EQ_STR(r.used, "GB18030");
    ASSERT_EQ_STR(r.declared, "GB18030");
    ASSERT(!r.mismatch);
    ASSERT_CONTAINS(buf_cstr(&out), "通知公告");
    /* Same bytes, header lies "utf-8": overruled and flagged. */
    buf_reset(&out);
    charset_decode(page, sizeof(page) - 1, "utf-8", &out, &r);
    ASSERT(r.mismatch);
    ASSERT_CONTAINS(buf_cstr(&out), "通知公告");
    /* Valid UTF-8 without any declaration. */
    buf_reset(&out);
    charset_decode("<p>政务公开</p>", strlen("<p>政务公开</p>"), NULL, &out, &r);
    ASSERT_EQ_STR(r.used, "UTF-8");
    ASSERT_EQ_STR(buf_cstr(&out), "<p>政务公开</p>");
    /* Garbage never crashes and yields valid UTF-8. */
    buf_reset(&out);
    char junk[256];
    for (int i = 0; i < 256; i++)
        junk[i] = (char)(255 - i);
    charset_decode(junk, sizeof(junk), "big5", &out, &r);
    ASSERT(utf8_valid(buf_cstr(&out), out.n));
    buf_release(&out);
    char label[40];
    ASSERT(charset_sniff_meta("<meta charset=\"GBK\">", 20, label, sizeof(label)));
    ASSERT_EQ_STR(label, "GBK");
}

TEST(url_normalize_cases)
{
    /* clang-format off */
    static const struct { const char *base, *href, *want; } cases[] = {
        { NULL, "HTTP://WWW.Example.COM:80/a/./b/../c/index.html?x=1&y=2#frag",
          "http://www.example.com/a/c/index.html?x=1&y=2" },
        { NULL, "https://a.test:443", "https://a.test/" },
        { NULL, "http://a.test/ms/中文.html", "http://a.test/ms/%E4%B8%AD%E6%96%87.html" },
        { NULL, "http://a.test/x/%e4%b8%ad", "http://a.test/x/%E4%B8%AD" },
        { "http://a.test/x/y/z.html", "../q.html#s", "http://a.test/x/q.html" },
        { "http://a.test/x/y/z.html", "  ./t.html\n", "http://a.test/x/y/t.html" },
        { "http://a.test/x/y/z.html", "//B.test/p", "http://b.test/p" },
        { "http://a.test/x/y/z.html", "?page=2", "http://a.test/x/y/z.html?page=2" },
        { "http://a.test/x/y/z.html", "#top", "http://a.test/x/y/z.html" },
        { "http://a.test/x", "../../../../etc", "http://a.test/etc" },
        { "http://a.test:8080/x/", "b", "http://a.test:8080/x/b" },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *out = NULL;
        struct err e = { 0 };
        enum rc rc = cases[i].base ? url_resolve(cases[i].base, cases[i].href, &out, &e)
                                   : url_normalize(cases[i].href, &out, &e);
        ASSERT_OK(rc, &e);
        ASSERT_EQ_STR(out, cases[i].want);
        free(out);
    }
    char *out = NULL;
    ASSERT_RC(url_resolve("http://a.test/", "mailto:x@y", &out, NULL), RC_INVALID);
    ASSERT_RC(url_normalize("ftp://a.test/", &out, NULL), RC_INVALID);
    ASSERT_EQ_INT(url_kind_of("JavaScript:void(0)"), URL_JAVASCRIPT);
    ASSERT_EQ_INT(url_kind_of("tel:12345"), URL_TEL);
    ASSERT_EQ_INT(url_kind_of("#a"), URL_EMPTY);
    ASSERT_EQ_INT(url_kind_of("a/b:c"), URL_HTTP);
    char host[64];
    ASSERT(url_host("http://User@WWW.A.test:81/x", host, sizeof(host)));
    ASSERT_EQ_STR(host, "www.a.test");
    ASSERT_EQ_STR(url_path("http://a.test/p?q=1"), "/p?q=1");
    ASSERT_EQ_STR(url_path("http://a.test"), "/");
}

TEST(conf_reads_ini_with_lines)
{
    const char *p =
        t_write("g.conf", "db = /var/lib/x.db\n\n[crawl]\nrate = 2.5\nowned=yes\nn = x\n", 55);
    struct conf c;
    conf_init(&c);
    struct err e = { 0 };
    ASSERT_OK(conf_load(&c, p, &e), &e);
    ASSERT_EQ_STR(conf_get(&c, "general", "db", NULL), "/var/lib/x.db");
    double r;
    ASSERT_OK(conf_double(&c, "crawl", "rate", 1, &r, &e), &e);
    ASSERT_EQ_DBL(r, 2.5, 1e-9);
    bool b;
    ASSERT_OK(conf_bool(&c, "crawl", "owned", false, &b, &e), &e);
    ASSERT(b);
    int64_t n;
    ASSERT_RC(conf_int(&c, "crawl", "n", 1, 0, 10, &n, &e), RC_INVALID);
    ASSERT_CONTAINS(e.msg, "g.conf:6");
    conf_release(&c);
}

TEST(conf_reads_long_lines)
{
    /* a 2,000-character value (inih's default line limit is 200) with line numbers intact */
    struct buf b = BUF_INIT;
    buf_adds(&b, "[a]\nk = ");
    for (int i = 0; i < 2000; i++)
        buf_addc(&b, (char)('a' + i % 26));
    buf_adds(&b, "\nj = 1\nbad = x\n");
    const char *p = t_write("long.conf", b.p, b.n);
    struct conf c;
    conf_init(&c);
    struct err e = { 0 };
    ASSERT_OK(conf_load(&c, p, &e), &e);
    const char *v = conf_get(&c, "a", "k", "");
    ASSERT_EQ_INT(strlen(v), 2000);
    ASSERT_EQ_INT(v[1999], 'a' + 1999 % 26);
    ASSERT_EQ_STR(conf_get(&c, "a", "j", NULL), "1");
    int64_t n;
    ASSERT_RC(conf_int(&c, "a", "bad", 1, 0, 10, &n, &e), RC_INVALID);
    ASSERT_CONTAINS(e.msg, "long.conf:4");
    conf_release(&c);
    /* past the 1 MiB limit: an error naming the line, not the rest read as a new line */
    buf_reset(&b);
    buf_adds(&b, "a = 1\nk = ");
    for (int i = 0; i < (1 << 20) + 10; i++)
        buf_addc(&b, 'x');
    buf_adds(&b, "\n");
    p = t_write("huge.conf", b.p, b.n);
    conf_init(&c);
    struct err e2 = { 0 };
    ASSERT_RC(conf_load(&c, p, &e2), RC_PARSE);
    ASSERT_CONTAINS(e2.msg, "huge.conf:2: line longer than");
    conf_release(&c);
    buf_release(&b);
}

TEST(notes_keep_first_and_count_all)
{
    struct notes n = NOTES_INIT;
    n.max = 3;
    for (int i = 0; i < 10; i++)
        notes_add(&n, "line %d", i);
    ASSERT_EQ_INT(n.n, 3);
    ASSERT_EQ_INT(n.total, 10);
    ASSERT_EQ_STR(n.v[2], "line 2");
    notes_release(&n);
}

TEST(err_keeps_root_cause_and_prefixes)
{
    struct err e = { 0 };
    ASSERT_EQ_INT(err_set(&e, RC_PARSE, "bad '%s'", "x"), RC_PARSE);
    err_set(&e, RC_IO, "later");
    ASSERT_EQ_STR(e.msg, "bad 'x'");
    err_prefix(&e, "f.csv:%d: ", 3);
    ASSERT_EQ_STR(e.msg, "f.csv:3: bad 'x'");
    ASSERT_EQ_INT(rc_http(RC_NOTFOUND), 404);
    ASSERT_EQ_INT(rc_exit(RC_USAGE), 2);
    ASSERT_EQ_STR(rc_name(RC_CONFLICT), "CONFLICT");
    ASSERT_EQ_INT(err_set(NULL, RC_DB, "x"), RC_DB);
}

TEST(url_fast_path_matches_curl)
{
    /* url_base_resolve resolves plain relative references itself; on random references
     * made of the characters it accepts (and some it does not) it must give curl's bytes */
    static const char *const bases[] = { "http://www.shifan.test/a/b/index.html?x=1",
                                         "http://127.0.0.1:8088/", "https://a.test/x",
                                         "http://a.test/a/b/" };
    static const char alpha[] = "aZ09./?=&-_~.%#:";
    for (int it = 0; it < 20000; it++) {
        char h[20];
        int len = (int)(t_rand() % 16) + 1;
        for (int i = 0; i < len; i++)
            h[i] = alpha[t_rand() % (sizeof(alpha) - 1)];
        h[len] = 0;
        if (t_rand() % 3 == 0)
            h[0] = '/';
        struct url_base b;
        ASSERT_OK(url_base_init(&b, bases[it % 4], NULL), NULL);
        char *fast = NULL, *slow = NULL;
        enum rc r1 = url_base_resolve(&b, h, &fast, NULL);
        enum rc r2 = url_base_resolve_curl(&b, h, &slow, NULL);
        if (r1 != r2 || (fast && slow && strcmp(fast, slow)))
            t_fail(__FILE__, __LINE__, "base %s href [%s]: fast %s, curl %s", bases[it % 4], h,
                   fast ? fast : "-", slow ? slow : "-");
        free(fast);
        free(slow);
        url_base_release(&b);
    }
}
