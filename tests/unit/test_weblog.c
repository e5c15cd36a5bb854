/* test_weblog.c - access logs: the key hash and codec, formats and the line parser
 * (golden files in tests/data/weblog/), bots and pages, ingest on every backend
 * (golden figures, incremental reading through append, rotation, gzip and truncation,
 * all-or-nothing), and unique visitors per month and year against a brute-force count. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/res.h"
#include "fixture_weblog.h"
#include "reg/reg.h"
#include "test.h"
#include "tstore.h"
#include "weblog/weblog.h"
#include "weblog/wl_int.h"

static void cfg_default(struct wl_config *cfg)
{
    struct err e = { 0 };
    res_set_dir(t_path("no-data-dir")); /* the embedded bots.txt, not an installed one */
    ASSERT_OK(wl_config_load(cfg, NULL, &e), &e);
}

static char *slurp(const char *path, size_t *n)
{
    struct buf b = BUF_INIT;
    struct err e = { 0 };
    ASSERT_OK(buf_read_file(&b, path, &e), &e);
    *n = b.n;
    return buf_take(&b);
}

/* ---- hash, sets, codec ---- */

TEST(weblog_hash_is_stable)
{
    /* wyhash final 4's published test vectors (seed = index), then two of our own keys'
     * parts: stored keys depend on these values, so a change here is a data migration. */
    static const struct {
        const char *s;
        uint64_t seed, want;
    } t[] = {
        { "", 0, 0x93228a4de0eec5a2ULL },
        { "a", 1, 0xc5bac3db178713c4ULL },
        { "abc", 2, 0xa97f2f7b1d9b3314ULL },
        { "message digest", 3, 0x786d1f1df3801df4ULL },
        { "abcdefghijklmnopqrstuvwxyz", 4, 0xdca5a8138ad37c87ULL },
        { "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", 5,
          0xb9e734f117cfaf70ULL },
        { "12345678901234567890123456789012345678901234567890123456789012345678901234567890", 6,
          0x6cc5eab49a92d617ULL },
        { "1.2.3.4", 0x6970, 0xe082cc25c5ff06adULL },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
          "Chrome/70.0.3538.102 Safari/537.36",
          0x7561, 0x0f7424881d8bff42ULL },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        uint64_t h = wl_hash(t[i].s, strlen(t[i].s), t[i].seed);
        if (h != t[i].want)
            t_fail(__FILE__, __LINE__, "wl_hash(\"%.20s\", %llu) = 0x%016llx, want 0x%016llx",
                   t[i].s, (unsigned long long)t[i].seed, (unsigned long long)h,
                   (unsigned long long)t[i].want);
    }
    ASSERT_NE_INT(wl_visitor_key(1, 2), wl_visitor_key(2, 1));
    /* Every length reads every byte: flipping any byte of a 0..200-byte input changes it. */
    char s[200];
    for (size_t i = 0; i < sizeof(s); i++)
        s[i] = (char)(t_rand() & 0xff);
    for (size_t n = 1; n <= sizeof(s); n++) {
        uint64_t h = wl_hash(s, n, 7);
        for (size_t i = 0; i < n; i++) {
            s[i] ^= 1;
            ASSERT_NE_INT(wl_hash(s, n, 7), h);
            s[i] ^= 1;
        }
    }
}

static int cmp_u64(const void *a, const void *b)
{
    uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;
    return x < y ? -1 : x > y;
}

static size_t sort_unique(uint64_t *v, size_t n)
{
    qsort(v, n, sizeof(*v), cmp_u64);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (!k || v[k - 1] != v[i])
            v[k++] = v[i];
    return k;
}

TEST(weblog_sets_and_sort_agree_with_qsort)
{
    size_t n = 100000;
    uint64_t *all = malloc(n * sizeof(uint64_t));
    struct wl_set s = { 0 };
    size_t added = 0;
    for (size_t i = 0; i < n; i++) {
        all[i] = (t_rand() % 60000) * 0x9E3779B97F4A7C15ULL + 1; /* many duplicates */
        added += wl_set_add(&s, all[i]);
    }
    size_t distinct = sort_unique(all, n);
    ASSERT_EQ_INT(s.n, distinct);
    ASSERT_EQ_INT(added, distinct);
    size_t m;
    uint64_t *sorted = wl_set_sorted(&s, &m);
    ASSERT_EQ_INT(m, distinct);
    ASSERT(memcmp(sorted, all, m * sizeof(uint64_t)) == 0);
    free(sorted);
    wl_set_release(&s);
    free(all);
}

static void check_round_trip(const uint64_t *k, size_t n)
{
    struct buf b = BUF_INIT;
    wl_keys_encode(k, n, &b);
    ASSERT_EQ_INT(wl_keys_count(b.p, b.n), n);
    struct wl_kdec d;
    ASSERT(wl_kdec_init(&d, b.p, b.n));
    uint64_t x;
    size_t i = 0;
    while (wl_kdec_next(&d, &x)) {
        ASSERT(i < n);
        if (x != k[i])
            t_fail(__FILE__, __LINE__, "key %zu of %zu: got %llx want %llx", i, n,
                   (unsigned long long)x, (unsigned long long)k[i]);
        i++;
    }
    ASSERT(!d.bad);
    ASSERT_EQ_INT(i, n);
    buf_release(&b);
}

TEST(weblog_keys_round_trip)
{
    static const size_t sizes[] = { 0, 1, 2, 3, 64, 1000, 50000 };
    for (size_t si = 0; si < sizeof(sizes) / sizeof(sizes[0]); si++) {
        size_t n = sizes[si];
        uint64_t *k = malloc((n + 1) * sizeof(uint64_t));
        for (int pattern = 0; pattern < 4; pattern++) {
            for (size_t i = 0; i < n; i++)
                k[i] = pattern == 0   ? t_rand() | 1
                       : pattern == 1 ? i + 1                             /* dense and small */
                       : pattern == 2 ? UINT64_MAX - n + 1 + i            /* clustered at the top */
                                      : (i & 1 ? UINT64_MAX - i : i + 1); /* both ends */
            size_t m = sort_unique(k, n);
            check_round_trip(k, m);
        }
        if (n == 50000) { /* compact: about 66 - log2(n) bits a key for spread keys */
            for (size_t i = 0; i < n; i++)
                k[i] = t_rand() | 1;
            size_t m = sort_unique(k, n);
            struct buf b = BUF_INIT;
            wl_keys_encode(k, m, &b);
            ASSERT(b.n < m * 7);
            buf_release(&b);
        }
        free(k);
    }
}

TEST(weblog_keys_corrupt_blobs_are_refused_not_crashed)
{
    uint64_t k[300];
    for (size_t i = 0; i < 300; i++)
        k[i] = t_rand() | 1;
    size_t n = sort_unique(k, 300);
    struct buf b = BUF_INIT;
    wl_keys_encode(k, n, &b);
    unsigned char *m = malloc(b.n);
    int refused = 0;
    for (size_t cut = 0; cut < b.n; cut++) { /* every truncation */
        struct wl_kdec d;
        uint64_t x, last = 0;
        size_t got = 0;
        if (wl_kdec_init(&d, b.p, cut))
            while (wl_kdec_next(&d, &x)) {
                ASSERT(got == 0 || x > last);
                last = x;
                got++;
            }
        refused += d.bad;
        ASSERT(got < n);
    }
    ASSERT(refused > (int)b.n / 2);
    for (size_t i = 0; i < b.n; i++) /* every byte flipped: never more keys than announced */
        for (int bit = 0; bit < 8; bit += 3) {
            memcpy(m, b.p, b.n);
            m[i] ^= (unsigned char)(1u << bit);
            struct wl_kdec d;
            uint64_t x, last = 0;
            uint64_t got = 0, want = wl_keys_count(m, b.n);
            if (wl_kdec_init(&d, m, b.n))
                while (wl_kdec_next(&d, &x)) {
                    ASSERT(got == 0 || x > last);
                    last = x;
                    got++;
                }
            ASSERT(got <= want);
        }
    free(m);
    buf_release(&b);
}

TEST(weblog_keys_distinct_matches_bruteforce)
{
    enum { NB = 20, U = 5000 };
    uint64_t universe[U];
    for (size_t i = 0; i < U; i++)
        universe[i] = t_rand() | 1;
    struct buf bl[NB];
    struct wl_blob v[NB];
    uint64_t *all = malloc(NB * U * sizeof(uint64_t));
    size_t nall = 0;
    for (int j = 0; j < NB; j++) {
        uint64_t tmp[U];
        size_t n = 0;
        for (size_t i = 0; i < U; i++)
            if (t_rand() % 7 == 0)
                tmp[n++] = universe[i];
        n = j == 3 ? 0 : sort_unique(tmp, n); /* one empty day */
        memcpy(all + nall, tmp, n * sizeof(uint64_t));
        nall += n;
        buf_init(&bl[j], 0);
        wl_keys_encode(tmp, n, &bl[j]);
        v[j] = (struct wl_blob){ bl[j].p, bl[j].n };
    }
    int64_t got;
    struct err e = { 0 };
    ASSERT_OK(wl_keys_distinct(v, NB, "test", &got, &e), &e);
    size_t nu = sort_unique(all, nall);
    ASSERT_EQ_INT(got, nu);
    struct buf u = BUF_INIT; /* the union, encoded, holds exactly the distinct keys */
    ASSERT_OK(wl_keys_union(v, NB, "test", &u, &e), &e);
    ASSERT_EQ_INT(wl_keys_count(u.p, u.n), nu);
    struct wl_kdec d;
    ASSERT(wl_kdec_init(&d, u.p, u.n));
    uint64_t x;
    size_t i = 0;
    while (wl_kdec_next(&d, &x))
        ASSERT(i < nu && x == all[i++]);
    ASSERT_EQ_INT(i, nu);
    buf_release(&u);
    ASSERT_OK(wl_keys_distinct(v, 0, "test", &got, &e), &e);
    ASSERT_EQ_INT(got, 0);
    ((char *)bl[5].p)[0] = 9; /* a bad codec version */
    ASSERT_RC(wl_keys_distinct(v, NB, "weblog_days", &got, &e), RC_DB);
    ASSERT_CONTAINS(e.msg, "corrupt visitor keys in weblog_days");
    for (int j = 0; j < NB; j++)
        buf_release(&bl[j]);
    free(all);
}

/* ---- formats ---- */

#define NGINX_CUSTOM                                                                    \
    "$remote_addr [$time_iso8601] \"$request\" $status $body_bytes_sent $request_time " \
    "\"$http_user_agent\" \"$sent_http_content_type\""
#define APACHE_CUSTOM "%h %l %u %t \\\"%r\\\" %>s %b \\\"%{Referer}i\\\" \\\"%{User-agent}i\\\" %D"

static const struct sample {
    const char *file;
    const char *format; /* NULL: detect */
    const char *detected;
} samples[] = {
    { "combined.log", NULL, "combined" },
    { "common.log", NULL, "common" },
    { "main.log", NULL, "main" },
    { "iis.log", NULL, "iis" },
    { "nginx_custom.log", NGINX_CUSTOM, NULL },
    { "apache_custom.log", APACHE_CUSTOM, NULL },
    { "bad.log", "combined", NULL },
};

static void add_view(struct buf *o, const char *k, struct str v)
{
    buf_addf(o, " %s=", k);
    for (size_t i = 0; i < v.n && i < 60; i++)
        buf_addc(o, v.p[i] >= 0x20 && v.p[i] < 0x7f ? v.p[i] : '?');
    if (v.n > 60)
        buf_addf(o, "…(%zu)", v.n);
}

TEST(weblog_formats_parse_golden)
{
    struct wl_config cfg;
    cfg_default(&cfg);
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        const struct sample *sm = &samples[i];
        char path[256];
        snprintf(path, sizeof(path), "tests/data/weblog/%s", sm->file);
        size_t n;
        char *text = slurp(path, &n);
        struct wl_format *f;
        struct err e = { 0 };
        if (sm->format)
            ASSERT_OK(wl_format_compile(sm->format, &f, &e), &e);
        else {
            ASSERT_OK(wl_format_detect(text, n, &f, &e), &e);
            ASSERT_EQ_STR(f->iis ? "iis" : f->spec, sm->detected);
        }
        struct buf o = BUF_INIT;
        buf_addf(&o, "# %s (format %s)\n", sm->file, f->name);
        const char *p = text, *end = text + n;
        int lineno = 0;
        while (p < end) {
            const char *nl = memchr(p, '\n', (size_t)(end - p));
            size_t len = nl ? (size_t)(nl - p) : (size_t)(end - p);
            lineno++;
            struct wl_rec r;
            const char *why;
            enum wl_line l = wl_parse_line(f, p, len, &r, &why);
            buf_addf(&o, "%d ", lineno);
            if (l == WL_LINE_SKIP)
                buf_adds(&o, "skip\n");
            else if (l == WL_LINE_BAD)
                buf_addf(&o, "bad: %s\n", why);
            else {
                char t[32];
                time_fmt_iso(r.t, TZ_CST, t);
                bool bot = r.has_ua && wl_is_bot(&cfg, r.ua.p, r.ua.n);
                buf_addf(&o, "%s %d %lld", t, r.status, (long long)r.bytes);
                add_view(&o, "addr", r.addr);
                add_view(&o, "method", r.method);
                add_view(&o, "path", r.path);
                add_view(&o, "query", r.query);
                add_view(&o, "ref", r.referer);
                add_view(&o, "ua", r.ua);
                if (r.xff.n)
                    add_view(&o, "xff", r.xff);
                if (r.ctype.n)
                    add_view(&o, "ctype", r.ctype);
                buf_addf(&o, " badreq=%d bot=%d pageview=%d\n", r.bad_request, bot,
                         wl_is_pageview(&cfg, &r, bot));
            }
            p = nl ? nl + 1 : end;
        }
        char golden[256];
        snprintf(golden, sizeof(golden), "weblog/%s.parsed", sm->file);
        ASSERT_GOLDEN(golden, o.p, o.n);
        buf_release(&o);
        wl_format_free(f);
        free(text);
    }
    wl_config_release(&cfg);
}

TEST(weblog_format_errors_name_the_problem)
{
    static const struct {
        const char *spec, *want;
    } t[] = {
        { "", "empty log format" },
        { "nonsense", "unknown log format 'nonsense'" },
        { "$remote_addr$remote_user [$time_local] \"$request\" $status", "nothing separates "
                                                                         "$remote_user" },
        { "$remote_addr [$time_local] $status", "lacks the request" },
        { "$remote_addr \"$request\" $status", "lacks the time" },
        { "[$time_local] \"$request\" $status", "lacks the client address" },
        { "$remote_addr [$time_local] \"$request\"", "lacks the status" },
        { "%h %{%d/%b/%Y}t \"%r\" %>s", "custom %{…}t time formats are not supported" },
        { "$remote_addr $ [$time_local]", "not followed by a variable name" },
        { "$remote_addr ----------------------------------------- [$time_local] \"$request\" $status",
          "more than 32 characters" },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        struct wl_format *f = NULL;
        struct err e = { 0 };
        ASSERT_RC(wl_format_compile(t[i].spec, &f, &e), RC_PARSE);
        ASSERT_NULL(f);
        ASSERT_CONTAINS(e.msg, t[i].want);
    }
    /* Names are case-insensitive and keep their name as the spec. */
    struct wl_format *f;
    struct err e = { 0 };
    ASSERT_OK(wl_format_compile("COMBINED", &f, &e), &e);
    ASSERT_EQ_STR(f->spec, "combined");
    wl_format_free(f);
    /* Text that is no log at all is not guessed. */
    const char *junk = "hello\nworld\nthis is not a log\n";
    ASSERT_RC(wl_format_detect(junk, strlen(junk), &f, &e), RC_PARSE);
    ASSERT_CONTAINS(e.msg, "--format");
}

TEST(weblog_bots_and_people)
{
    struct wl_config cfg;
    cfg_default(&cfg);
    static const struct {
        const char *ua;
        bool bot;
    } t[] = {
        { "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
          true },
        { "Mozilla/5.0 (Linux; Android 11; Pixel 5) Chrome/90.0 Mobile Safari/537.36 YisouSpider/5.0",
          true },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/91.0 Safari/537.36; 360Spider", true },
        { "Mozilla/5.0 (Linux; Android 5.0) Mobile Safari/537.36 (compatible; Bytespider; spider-feedback@bytedance.com)",
          true },
        { "Mozilla/5.0 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
          true },
        { "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)", true },
        { "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)", true },
        { "Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)", true },
        { "Mozilla/5.0 (compatible; AhrefsBot/7.0; +http://ahrefs.com/robot/)", true },
        { "curl/7.88.1", true },
        { "python-requests/2.31.0", true },
        { "Go-http-client/1.1", true },
        { "Apache-HttpClient/4.5.13 (Java/1.8.0_381)", true },
        { "masscan/1.3 (https://github.com/robertdavidgraham/masscan)", true },
        { "-", true },
        { "", true },
        { "Mozilla/5.0 (compatible; \\xE6\\x94\\xBF\\xE5\\xBA\\x9C\\xE7\\xBD\\x91\\xE7\\xAB\\x99\\xE7\\x9B\\x91\\xE6\\xB5\\x8B/2.0)",
          true },
        { "Mozilla/5.0+(compatible;+Baiduspider/2.0;++http://www.baidu.com/search/spider.html)",
          true },
        { "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 Chrome/86.0 Safari/537.36 QIHU 360SE",
          false },
        { "Mozilla/5.0 (iPhone; CPU iPhone OS 16_6 like Mac OS X) Mobile/15E148 MicroMessenger/8.0.47(0x18002f2c) NetType/WIFI Language/zh_CN",
          false },
        { "Mozilla/5.0 (Linux; Android 10; SPN-AL00) Mobile Safari/537.36 T7/13.50 SP-engine/2.91.0 baiduboxapp/13.50.0.11 (Baidu; P1 10) NABar/1.0",
          false },
        { "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/109.0.0.0 Safari/537.36 SE 2.X MetaSr 1.0",
          false },
        { "Mozilla/5.0 (Linux; Android 9; CUBOT P30) AppleWebKit/537.36 Chrome/70.0 Mobile Safari/537.36",
          false },
        { "Mozilla/4.0 (compatible; MSIE 8.0; Windows NT 6.1; Trident/4.0)", false },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (wl_is_bot(&cfg, t[i].ua, strlen(t[i].ua)) != t[i].bot)
            t_fail(__FILE__, __LINE__, "wl_is_bot(\"%s\") should be %d", t[i].ua, t[i].bot);
    wl_config_release(&cfg);
}

TEST(weblog_page_paths_and_config_keys)
{
    struct wl_config cfg;
    cfg_default(&cfg);
    static const struct {
        const char *path;
        bool page;
    } t[] = {
        { "/", true },
        { "/index.html", true },
        { "/a/b/", true },
        { "/a/INDEX.HTM", true },
        { "/list.jsp;jsessionid=1", true },
        { "/search", true },
        { "/x.aspx", true },
        { "/css/main.css", false },
        { "/js/a.min.js", false },
        { "/logo.png", false },
        { "/f.woff2", false },
        { "/a.pdf", false },
        { "/robots.txt", false },
        { "/favicon.ico", false },
        { "/a.b/c", true },
        { "/x.verylongextension", false },
    };
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++)
        if (wl_is_page_path(&cfg, str_of(t[i].path)) != t[i].page)
            t_fail(__FILE__, __LINE__, "wl_is_page_path(\"%s\") should be %d", t[i].path,
                   t[i].page);
    ASSERT(cfg.page_status[200] && cfg.page_status[206] && cfg.page_status[304]);
    ASSERT(!cfg.page_status[301] && !cfg.page_status[404]);
    wl_config_release(&cfg);

    struct conf conf;
    conf_init(&conf);
    conf_set(&conf, "weblog", "page_extensions", ".HTML, pdf");
    conf_set(&conf, "weblog", "page_statuses", "200");
    conf_set(&conf, "weblog", "ignore_paths", "/api/ /ajax/");
    conf_set(&conf, "weblog", "client_ip", "x_forwarded_for");
    conf_set(&conf, "weblog", "empty_agent_is_bot", "no");
    struct err e = { 0 };
    ASSERT_OK(wl_config_load(&cfg, &conf, &e), &e);
    ASSERT(wl_is_page_path(&cfg, str_of("/a.pdf")));
    ASSERT(!wl_is_page_path(&cfg, str_of("/a.htm")));
    ASSERT(!wl_is_page_path(&cfg, str_of("/api/list")));
    ASSERT(cfg.page_status[200] && !cfg.page_status[304]);
    ASSERT(cfg.use_forwarded_for);
    ASSERT(!wl_is_bot(&cfg, "-", 1));
    wl_config_release(&cfg);

    conf_set(&conf, "weblog", "page_statuses", "2xx 3o4");
    ASSERT_RC(wl_config_load(&cfg, &conf, &e), RC_INVALID);
    ASSERT_CONTAINS(e.msg, "'3o4' is not a status");
    err_clear(&e);
    conf_set(&conf, "weblog", "page_statuses", "2xx");
    conf_set(&conf, "weblog", "client_ip", "cdn");
    ASSERT_RC(wl_config_load(&cfg, &conf, &e), RC_INVALID);
    ASSERT_CONTAINS(e.msg, "client_ip = 'cdn'");
    err_clear(&e);
    conf_set(&conf, "weblog", "client_ip", "remote_addr");
    conf_set(&conf, "weblog", "bots_file", t_write("bots.txt", "# mine\nfoo\n!foobar\n", 19));
    ASSERT_OK(wl_config_load(&cfg, &conf, &e), &e);
    ASSERT(wl_is_bot(&cfg, "Foo/1.0", 7));
    ASSERT(!wl_is_bot(&cfg, "FooBar/1.0", 10));
    ASSERT(!wl_is_bot(&cfg, "Baiduspider", 11)); /* the file replaces the list */
    wl_config_release(&cfg);
    conf_release(&conf);
}

/* ---- ingest ---- */

static const char columns_csv[] =
    "site,path,url,class\n"
    "示范市人民政府门户网站,新闻>示范要闻,http://www.shifan.test/xw/sfyw/,动态要闻\n"
    "示范市人民政府门户网站,新闻>部门动态,http://www.shifan.test/xw/bmdt/index.html,动态要闻\n"
    "示范市人民政府门户网站,新闻,http://www.shifan.test/xw/,动态要闻\n"
    "示范市人民政府门户网站,首页,http://www.shifan.test/index.html,其他\n"
    "示范市人民政府门户网站,别处,http://other.example/zwgk/,其他\n";

static int64_t make_site(struct store *s)
{
    struct err e = { 0 };
    struct reg_site_new sn = { .name = "示范市人民政府门户网站", .url = "http://www.shifan.test/" };
    int64_t id;
    ASSERT_OK(reg_site_add(s, &sn, t_clk(), &id, &e), &e);
    struct reg_import_result res;
    struct notes bad = NOTES_INIT;
    ASSERT_OK(reg_import_mem(s, REG_COLUMNS, "columns.csv", columns_csv, strlen(columns_csv),
                             t_clk(), &res, &bad, &e),
              &e);
    notes_release(&bad);
    return id;
}

static enum rc ingest(struct store *s, int64_t site, const struct wl_config *cfg,
                      const char *const *paths, size_t n, const char *format, size_t flush_keys,
                      struct wl_ingest_result *r, struct notes *bad, struct err *e)
{
    struct wl_ingest_opts o = { .format = format, .clk = t_clk(), .flush_keys = flush_keys };
    return wl_ingest(s, site, cfg, paths, n, &o, r, bad, e);
}

static void ingest_ok(struct store *s, int64_t site, const struct wl_config *cfg,
                      const char *const *paths, size_t n, struct wl_ingest_result *r)
{
    struct err e = { 0 };
    struct notes bad = NOTES_INIT;
    ASSERT_OK(ingest(s, site, cfg, paths, n, NULL, 0, r, &bad, &e), &e);
    notes_release(&bad);
}

/* Read the files and forget the result. */
static void ingest_quiet(struct store *s, int64_t site, const struct wl_config *cfg,
                         const char *const *paths, size_t n)
{
    struct wl_ingest_result r;
    ingest_ok(s, site, cfg, paths, n, &r);
    wl_ingest_result_release(&r);
}

static struct store *fresh(int b, int64_t *site)
{
    struct store *s = t_open(b);
    *site = make_site(s);
    return s;
}

/* Everything the store says about a site, as text: per day, per column, per month. */
static char *fingerprint(struct store *s, int64_t site)
{
    struct buf b = BUF_INIT;
    struct jw w;
    struct err e = { 0 };
    static const enum wl_by bys[] = { WL_BY_DAY, WL_BY_COLUMN, WL_BY_MONTH };
    for (size_t i = 0; i < 3; i++) {
        struct wl_stats st;
        ASSERT_OK(wl_stats(s, site, DATE_NONE, DATE_NONE, bys[i], &st, &e), &e);
        jw_init(&w, &b, true);
        wl_stats_json(&st, "site", &w);
        jw_finish(&w);
        wl_stats_release(&st);
    }
    return buf_take(&b);
}

static void expect_figures(struct store *s, int64_t site, const char *want)
{
    char *got = fingerprint(s, site);
    ASSERT_EQ_STR(got, want);
    free(got);
}

TEST(weblog_ingest_golden_per_format)
{
    struct wl_config cfg;
    cfg_default(&cfg);
    for (size_t i = 0; i < sizeof(samples) / sizeof(samples[0]); i++) {
        const struct sample *sm = &samples[i];
        char path[256], golden[256];
        snprintf(path, sizeof(path), "tests/data/weblog/%s", sm->file);
        snprintf(golden, sizeof(golden), "weblog/%s.stats.json", sm->file);
        for (int b = 0; b < t_backends(); b++) {
            int64_t site;
            struct store *s = fresh(b, &site);
            struct wl_ingest_result r;
            struct notes bad = NOTES_INIT;
            struct err e = { 0 };
            const char *paths[] = { path };
            ASSERT_OK(ingest(s, site, &cfg, paths, 1, sm->format, 0, &r, &bad, &e), &e);
            ASSERT_EQ_INT(r.nfiles, 1);
            ASSERT_EQ_INT(r.files[0].state, WL_FILE_NEW);
            char *fp = fingerprint(s, site);
            ASSERT_GOLDEN(golden, fp, strlen(fp));
            free(fp);
            wl_ingest_result_release(&r);
            notes_release(&bad);
            t_close(s);
        }
    }
    wl_config_release(&cfg);
}

TEST(weblog_bad_lines_are_counted_and_named)
{
    struct wl_config cfg;
    cfg_default(&cfg);
    struct store *s = t_open(0);
    int64_t site = make_site(s);
    struct wl_ingest_result r;
    struct notes bad = NOTES_INIT;
    bad.max = 3;
    struct err e = { 0 };
    const char *paths[] = { "tests/data/weblog/bad.log" };
    ASSERT_OK(ingest(s, site, &cfg, paths, 1, "combined", 0, &r, &bad, &e), &e);
    ASSERT_EQ_INT(r.files[0].lines, 14);
    ASSERT_EQ_INT(r.files[0].bad_lines, 9);
    ASSERT_EQ_INT(r.hits, 3);
    ASSERT_EQ_INT(bad.n, 3);
    ASSERT_EQ_INT(bad.total, 9);
    ASSERT_CONTAINS(bad.v[0], "tests/data/weblog/bad.log:2: fewer fields than the format: ");
    ASSERT_CONTAINS(bad.v[1], "bad.log:3: bad time");
    notes_release(&bad);
    wl_ingest_result_release(&r);
    /* Detection refuses a file that is no log: the run fails and stores nothing. */
    const char *junk = t_write("junk.log", "not a log\nat all\n", 17);
    const char *p2[] = { "tests/data/weblog/combined.log", junk };
    ASSERT_RC(ingest(s, site, &cfg, p2, 2, NULL, 0, &r, NULL, &e), RC_PARSE);
    ASSERT_CONTAINS(e.msg, "junk.log: the log format is not");
    struct wl_file *files;
    size_t nf;
    ASSERT_OK(wl_files(s, site, &files, &nf, &e), &e);
    ASSERT_EQ_INT(nf, 1); /* bad.log only: combined.log was rolled back */
    wl_files_free(files, nf);
    /* A missing file is an error naming it. */
    const char *p3[] = { t_path("absent.log") };
    err_clear(&e);
    ASSERT_RC(ingest(s, site, &cfg, p3, 1, NULL, 0, &r, NULL, &e), RC_IO);
    ASSERT_CONTAINS(e.msg, "absent.log");
    t_close(s);
    wl_config_release(&cfg);
}

/* A generated log of a few days, as text. */
static char *gen_log(int days, int per_day, uint64_t seed, size_t *n)
{
    static const char *const dirs[] = { "/xw/sfyw/", "/xw/bmdt/", "/xw/", "/zwgk/" };
    struct fx_weblog_opts o = { .year = 2018,
                                .days = days,
                                .lines_per_day = per_day,
                                .seed = seed,
                                .dirs = dirs,
                                .ndirs = 4,
                                .visitors = 500 };
    char *p = NULL;
    size_t sz = 0;
    FILE *f = open_memstream(&p, &sz);
    struct fx_weblog_truth t;
    ASSERT_EQ_INT(fx_weblog_write(f, &o, NULL, NULL, &t), 0);
    fclose(f);
    *n = sz;
    return p;
}

/* Offset of the start of the line containing byte `at`. */
static size_t line_start(const char *p, size_t at)
{
    while (at > 0 && p[at - 1] != '\n')
        at--;
    return at;
}

static void write_gz(const char *path, const char *p, size_t n)
{
    gzFile g = gzopen(path, "wb");
    ASSERT_NOT_NULL(g);
    ASSERT_EQ_INT(gzwrite(g, p, (unsigned)n), (int)n);
    ASSERT_EQ_INT(gzclose(g), Z_OK);
}

static void append(const char *path, const char *p, size_t n)
{
    FILE *f = fopen(path, "ab");
    ASSERT_NOT_NULL(f);
    ASSERT_EQ_INT(fwrite(p, 1, n, f), n);
    fclose(f);
}

/* The figures of ingesting `text` in one go, in a fresh database of backend b. */
static char *one_shot(int b, const struct wl_config *cfg, const char *text, size_t n)
{
    struct store *s = t_open(b);
    int64_t site = make_site(s);
    const char *p = t_write("oneshot.log", text, n);
    struct wl_ingest_result r;
    ingest_ok(s, site, cfg, &p, 1, &r);
    wl_ingest_result_release(&r);
    char *fp = fingerprint(s, site);
    t_close(s);
    unlink(p);
    return fp;
}

TEST(weblog_incremental_append_rotate_gzip_truncate)
{
    struct wl_config cfg;
    cfg_default(&cfg);
    size_t n;
    char *text = gen_log(3, 400, 7, &n);
    size_t a = line_start(text, n * 4 / 10), bb = line_start(text, n * 7 / 10);
    /* A = [0,a), B = [a,bb), C = [bb,n) */
    for (int b = 0; b < t_backends(); b++) {
        char *want = one_shot(b, &cfg, text, n);
        struct wl_ingest_result r;

        /* 1. append: read A, then A+B, then A+B+C; re-reading changes nothing. */
        {
            int64_t site;
            struct store *s = fresh(b, &site);
            const char *p = t_write("access.log", text, a);
            ingest_ok(s, site, &cfg, &p, 1, &r);
            ASSERT_EQ_INT(r.files[0].state, WL_FILE_NEW);
            wl_ingest_result_release(&r);
            append(p, text + a, bb - a);
            ingest_ok(s, site, &cfg, &p, 1, &r);
            ASSERT_EQ_INT(r.files[0].state, WL_FILE_RESUMED);
            ASSERT_EQ_INT(r.files[0].from, a);
            wl_ingest_result_release(&r);
            append(p, text + bb, n - bb);
            ingest_quiet(s, site, &cfg, &p, 1);
            ingest_ok(s, site, &cfg, &p, 1, &r);
            ASSERT_EQ_INT(r.files[0].state, WL_FILE_UNCHANGED);
            ASSERT_EQ_INT(r.lines, 0);
            wl_ingest_result_release(&r);
            expect_figures(s, site, want);
            t_close(s);
            unlink(p);
        }
        /* 2. rotate by rename, then rotate+gzip: A read from access.log; it grows to A+B and
         * is renamed access.log.1 while C starts a new access.log; later access.log.1 is
         * gzipped to access.log.1.gz and read again with the rest. */
        {
            int64_t site;
            struct store *s = fresh(b, &site);
            const char *p = t_write("access.log", text, a);
            ingest_quiet(s, site, &cfg, &p, 1);
            append(p, text + a, bb - a);
            char p1[512], p1gz[512];
            snprintf(p1, sizeof(p1), "%s.1", p);
            snprintf(p1gz, sizeof(p1gz), "%s.1.gz", p);
            ASSERT_EQ_INT(rename(p, p1), 0);
            t_write("access.log", text + bb, n - bb);
            const char *both[] = { p1, p };
            ingest_ok(s, site, &cfg, both, 2, &r);
            ASSERT_EQ_INT(r.files[0].state, WL_FILE_RESUMED);
            ASSERT_EQ_INT(r.files[1].state, WL_FILE_NEW);
            wl_ingest_result_release(&r);
            write_gz(p1gz, text, bb);
            unlink(p1);
            const char *again[] = { p1gz, p };
            ingest_ok(s, site, &cfg, again, 2, &r);
            ASSERT_EQ_INT(r.files[0].state, WL_FILE_UNCHANGED);
            ASSERT(r.files[0].compressed);
            ASSERT_EQ_INT(r.files[1].state, WL_FILE_UNCHANGED);
            wl_ingest_result_release(&r);
            expect_figures(s, site, want);
            t_close(s);
            unlink(p);
            unlink(p1gz);
        }
        /* 3. a rotated file compressed before its tail was read: A read; A+B gzipped. */
        {
            int64_t site;
            struct store *s = fresh(b, &site);
            const char *p = t_write("access.log", text, a);
            ingest_quiet(s, site, &cfg, &p, 1);
            char gz[512];
            snprintf(gz, sizeof(gz), "%s.1.gz", p);
            write_gz(gz, text, bb);
            unlink(p);
            const char *p2 = t_write("access.log", text + bb, n - bb);
            const char *both[] = { gz, p2 };
            ingest_ok(s, site, &cfg, both, 2, &r);
            ASSERT_EQ_INT(r.files[0].state, WL_FILE_RESUMED);
            ASSERT_EQ_INT(r.files[0].from, a);
            ASSERT_EQ_INT(r.files[0].to, bb);
            wl_ingest_result_release(&r);
            expect_figures(s, site, want);
            t_close(s);
            unlink(p2);
            unlink(gz);
        }
        /* 4. copytruncate: A read; A+B copied to access.log.1; access.log truncated in place
         * (same inode) and C written to it. */
        {
            int64_t site;
            struct store *s = fresh(b, &site);
            const char *p = t_write("access.log", text, a);
            struct stat st0, st1;
            ASSERT_EQ_INT(stat(p, &st0), 0);
            ingest_quiet(s, site, &cfg, &p, 1);
            append(p, text + a, bb - a);
            char p1[512];
            snprintf(p1, sizeof(p1), "%s.1", p);
            FILE *cp = fopen(p1, "wb");
            fwrite(text, 1, bb, cp);
            fclose(cp);
            ASSERT_EQ_INT(truncate(p, 0), 0);
            append(p, text + bb, n - bb);
            ASSERT_EQ_INT(stat(p, &st1), 0);
            ASSERT_EQ_INT(st0.st_ino, st1.st_ino);
            const char *both[] = { p, p1 };
            ingest_ok(s, site, &cfg, both, 2, &r);
            ASSERT_EQ_INT(r.files[0].state, WL_FILE_NEW);
            ASSERT_EQ_INT(r.files[1].state, WL_FILE_RESUMED);
            wl_ingest_result_release(&r);
            expect_figures(s, site, want);
            struct wl_file *files;
            size_t nf;
            struct err e = { 0 };
            ASSERT_OK(wl_files(s, site, &files, &nf, &e), &e);
            ASSERT_EQ_INT(nf, 2);
            wl_files_free(files, nf);
            t_close(s);
            unlink(p);
            unlink(p1);
        }
        /* 5. a file first seen shorter than the identifying head (two lines), a half-written
         * last line, and the same content twice in one run. */
        {
            int64_t site;
            struct store *s = fresh(b, &site);
            size_t two = (size_t)(strchr(strchr(text, '\n') + 1, '\n') - text) + 1;
            ASSERT(two < 1024);
            const char *p = t_write("access.log", text, two + 10); /* + a partial line */
            ingest_ok(s, site, &cfg, &p, 1, &r);
            ASSERT_EQ_INT(r.files[0].lines, 2);
            ASSERT_EQ_INT(r.files[0].to, two);
            wl_ingest_result_release(&r);
            append(p, text + two + 10, n - two - 10);
            char cp[512];
            snprintf(cp, sizeof(cp), "%s.copy", p);
            FILE *f = fopen(cp, "wb");
            fwrite(text, 1, n, f);
            fclose(f);
            const char *both[] = { p, cp };
            ingest_ok(s, site, &cfg, both, 2, &r);
            ASSERT_EQ_INT(r.files[0].state, WL_FILE_RESUMED);
            ASSERT_EQ_INT(r.files[1].state, WL_FILE_UNCHANGED);
            wl_ingest_result_release(&r);
            expect_figures(s, site, want);
            t_close(s);
            unlink(p);
            unlink(cp);
        }
        /* 6. a gzip whose last line has no newline counts it (the file is final); a plain
         * file that is shorter than what was read is skipped with a note. */
        {
            int64_t site;
            struct store *s = fresh(b, &site);
            char gz[512];
            snprintf(gz, sizeof(gz), "%s", t_path("whole.gz"));
            write_gz(gz, text, n - 1); /* without the final newline */
            const char *pp[] = { gz };
            ingest_ok(s, site, &cfg, pp, 1, &r);
            ASSERT_EQ_INT(r.files[0].to, n - 1);
            wl_ingest_result_release(&r);
            expect_figures(s, site, want);
            const char *shorter = t_write("shorter.log", text, 2000);
            struct notes bad = NOTES_INIT;
            struct err e = { 0 };
            ASSERT_OK(ingest(s, site, &cfg, &shorter, 1, NULL, 0, &r, &bad, &e), &e);
            ASSERT_EQ_INT(r.files[0].state, WL_FILE_SHORTER);
            ASSERT_EQ_INT(bad.n, 1);
            ASSERT_CONTAINS(bad.v[0], "shorter now");
            notes_release(&bad);
            wl_ingest_result_release(&r);
            t_close(s);
        }
        free(want);
    }
    free(text);
    wl_config_release(&cfg);
}

TEST(weblog_ingest_is_all_or_nothing)
{
    struct wl_config cfg;
    cfg_default(&cfg);
    size_t n;
    char *text = gen_log(2, 300, 11, &n);
    size_t a = line_start(text, n / 2);
    for (int b = 0; b < t_backends(); b++) {
        char *want = one_shot(b, &cfg, text, n);
        int64_t site;
        struct store *s = fresh(b, &site);
        const char *p = t_write("access.log", text, a);
        struct wl_ingest_result r;
        ingest_ok(s, site, &cfg, &p, 1, &r);
        wl_ingest_result_release(&r);
        char *before = fingerprint(s, site);
        append(p, text + a, n - a);
        /* Fail at every statement of the run in turn: each time nothing changes; then
         * the run that gets through reads from where the last good run left off. */
        long k;
        for (k = 1;; k++) {
            struct err e = { 0 };
            store_fail_after(s, k);
            enum rc rc = ingest(s, site, &cfg, &p, 1, NULL, 0, &r, NULL, &e);
            store_fail_after(s, 0);
            if (rc == RC_OK)
                break;
            ASSERT_RC(rc, RC_DB);
            expect_figures(s, site, before);
            ASSERT(k < 10000);
        }
        ASSERT(k > 10);
        ASSERT_EQ_INT(r.files[0].from, a);
        wl_ingest_result_release(&r);
        expect_figures(s, site, want);
        free(before);
        free(want);
        t_close(s);
        unlink(p);
    }
    free(text);
    wl_config_release(&cfg);
}

TEST(weblog_flushing_early_merges_exactly)
{
    struct wl_config cfg;
    cfg_default(&cfg);
    size_t n;
    char *text = gen_log(4, 300, 3, &n);
    for (int b = 0; b < t_backends(); b++) {
        char *want = one_shot(b, &cfg, text, n);
        int64_t site;
        struct store *s = fresh(b, &site);
        /* Four files (one per day's worth of bytes), merged into the store after each. */
        const char *paths[4];
        size_t at = 0;
        for (int i = 0; i < 4; i++) {
            size_t end = i == 3 ? n : line_start(text, n * (size_t)(i + 1) / 4);
            char name[32];
            snprintf(name, sizeof(name), "part%d.log", i);
            paths[i] = t_write(name, text + at, end - at);
            at = end;
        }
        struct wl_ingest_result r;
        struct err e = { 0 };
        ASSERT_OK(ingest(s, site, &cfg, paths, 4, NULL, 1, &r, NULL, &e), &e);
        wl_ingest_result_release(&r);
        expect_figures(s, site, want);
        free(want);
        t_close(s);
    }
    free(text);
    wl_config_release(&cfg);
}

TEST(weblog_month_and_year_visitors_equal_bruteforce)
{
    struct wl_config cfg;
    cfg_default(&cfg);
    static const char *const dirs[] = { "/xw/sfyw/", "/xw/bmdt/", "/zwgk/" };
    struct fx_weblog_opts o = { .year = 2018,
                                .days = 365,
                                .lines_per_day = 120,
                                .seed = 42,
                                .dirs = dirs,
                                .ndirs = 3,
                                .visitors = 3000 };
    const char *path = t_path("year.log");
    FILE *f = fopen(path, "wb");
    struct fx_weblog_truth t;
    ASSERT_EQ_INT(fx_weblog_write(f, &o, NULL, NULL, &t), 0);
    fclose(f);
    ASSERT(t.visitors < t.visitor_days); /* people come back: the two differ */
    for (int b = 0; b < t_backends(); b++) {
        int64_t site;
        struct store *s = fresh(b, &site);
        struct wl_ingest_result r;
        ingest_ok(s, site, &cfg, &path, 1, &r);
        ASSERT_EQ_INT(r.lines, t.lines);
        wl_ingest_result_release(&r);
        struct wl_counts y;
        struct err e = { 0 };
        ASSERT_OK(wl_year(s, site, 2018, &y, &e), &e);
        ASSERT_EQ_INT(y.pageviews, t.pageviews);
        ASSERT_EQ_INT(y.visitors, t.visitors);
        ASSERT_EQ_INT(y.visitor_days, t.visitor_days);
        ASSERT_OK(wl_year(s, site, 2017, &y, &e), &e);
        ASSERT_EQ_INT(y.pageviews, 0);
        ASSERT_EQ_INT(y.visitors, 0);
        struct wl_stats st;
        ASSERT_OK(wl_stats(s, site, date_from_ymd(2018, 1, 1), date_from_ymd(2018, 12, 31),
                           WL_BY_MONTH, &st, &e),
                  &e);
        ASSERT_EQ_INT(st.nrows, 12);
        for (int m = 0; m < 12; m++) {
            ASSERT_EQ_INT(st.rows[m].c.pageviews, t.pageviews_month[m]);
            ASSERT_EQ_INT(st.rows[m].c.visitors, t.visitors_month[m]);
        }
        wl_stats_release(&st);
        /* A period inside a month: by day rows are zero-filled and add up. */
        ASSERT_OK(wl_stats(s, site, date_from_ymd(2018, 2, 20), date_from_ymd(2018, 3, 10),
                           WL_BY_DAY, &st, &e),
                  &e);
        ASSERT_EQ_INT(st.nrows, 19);
        int64_t pv = 0, vd = 0;
        for (size_t i = 0; i < st.nrows; i++) {
            pv += st.rows[i].c.pageviews;
            vd += st.rows[i].c.visitors;
        }
        ASSERT_EQ_INT(pv, st.total.pageviews);
        ASSERT_EQ_INT(vd, st.total.visitor_days);
        ASSERT(st.total.visitors <= vd);
        wl_stats_release(&st);
        ASSERT_RC(wl_stats(s, site, date_from_ymd(2018, 3, 1), date_from_ymd(2018, 2, 1),
                           WL_BY_NONE, &st, &e),
                  RC_INVALID);
        t_close(s);
    }
    wl_config_release(&cfg);
}
