/* test_wording.c - the multi-pattern matcher against a naive reference on random text,
 * the wording dictionary (files, dates, guards, priorities), excerpts, database entries
 * and the page check. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/acm.h"
#include "checks/check.h"
#include "checks/wording.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/notes.h"
#include "core/utf8.h"
#include "reg/reg.h"
#include "test.h"
#include "tcheck.h"
#include "tstore.h"

/* ---- the matcher ----------------------------------------------------------------- */

struct occ_list {
    uint32_t *id;
    size_t *start, *end;
    size_t n, cap;
};

static int collect(uint32_t id, size_t start, size_t end, void *ctx)
{
    struct occ_list *l = ctx;
    if (l->n == l->cap) {
        l->cap = l->cap ? 2 * l->cap : 64;
        l->id = realloc(l->id, l->cap * sizeof(*l->id));
        l->start = realloc(l->start, l->cap * sizeof(size_t));
        l->end = realloc(l->end, l->cap * sizeof(size_t));
    }
    l->id[l->n] = id;
    l->start[l->n] = start;
    l->end[l->n] = end;
    l->n++;
    return 0;
}

static void occ_free(struct occ_list *l)
{
    free(l->id);
    free(l->start);
    free(l->end);
    memset(l, 0, sizeof(*l));
}

/* Every (id, end) pair found by brute force, in the matcher's order: by end, then longer
 * first, then by id. */
static void naive(char **pats, size_t *lens, size_t np, const char *text, size_t n,
                  struct occ_list *out)
{
    size_t maxlen = 0;
    for (size_t i = 0; i < np; i++)
        maxlen = lens[i] > maxlen ? lens[i] : maxlen;
    for (size_t end = 1; end <= n; end++) {
        /* longest first, then by id */
        for (size_t len = maxlen; len > 0; len--) {
            if (len > end)
                continue;
            for (size_t i = 0; i < np; i++)
                if (lens[i] == len && !memcmp(text + end - len, pats[i], len))
                    collect((uint32_t)i, end - len, end, out);
        }
    }
}

/* Random text over a small alphabet of UTF-8 pieces, so patterns match often. */
static void random_text(struct buf *b, size_t pieces, const char *const *alpha, size_t na)
{
    for (size_t i = 0; i < pieces; i++)
        buf_adds(b, alpha[t_rand() % na]);
}

TEST(acm_matches_naive_reference_on_random_text)
{
    static const char *const alpha[] = {
        "卫", "计", "局", "生", "健", "康", "a", "b", "和", "\xe5"
    };
    const size_t na = sizeof(alpha) / sizeof(alpha[0]);
    for (int round = 0; round < 200; round++) {
        size_t np = 1 + t_rand() % (round < 100 ? 8 : 60);
        char **pats = calloc(np, sizeof(char *));
        size_t *lens = calloc(np, sizeof(size_t));
        struct acm *a = acm_new();
        for (size_t i = 0; i < np; i++) {
            struct buf p = BUF_INIT;
            random_text(&p, 1 + t_rand() % 4, alpha, na - (round % 2)); /* sometimes a raw byte */
            if (t_rand() % 5 == 0 && i > 0) { /* duplicates and prefixes of earlier patterns */
                buf_reset(&p);
                buf_add(&p, pats[i - 1], 1 + t_rand() % lens[i - 1]);
            }
            lens[i] = p.n;
            pats[i] = buf_take(&p);
            ASSERT_EQ_INT(acm_add(a, pats[i], lens[i]), i);
        }
        /* Small budgets force deep states to be sparse. */
        acm_compile(a, round % 3 == 0 ? 1 : round % 3 == 1 ? 4096 : 0);
        struct buf text = BUF_INIT;
        random_text(&text, t_rand() % 400, alpha, na);
        struct occ_list got = { 0 }, want = { 0 };
        size_t k = acm_scan(a, text.p ? text.p : "", text.n, collect, &got);
        naive(pats, lens, np, text.p ? text.p : "", text.n, &want);
        ASSERT_EQ_INT(k, got.n);
        ASSERT_EQ_INT(got.n, want.n);
        for (size_t i = 0; i < got.n; i++) {
            ASSERT_EQ_INT(got.end[i], want.end[i]);
            ASSERT_EQ_INT(got.start[i], want.start[i]);
            ASSERT_EQ_INT(got.id[i], want.id[i]);
        }
        occ_free(&got);
        occ_free(&want);
        buf_release(&text);
        for (size_t i = 0; i < np; i++)
            free(pats[i]);
        free(pats);
        free(lens);
        acm_free(a);
    }
}

/* Large texts in interleaved parts: appending each part's occurrences in part order must
 * give exactly the plain scan (warm-ups across part borders, the last part's remainder,
 * rare and dense matches, dense and sparse states). */
static int collect_part(uint32_t id, size_t start, size_t end, void *ctx)
{
    return collect(id, start, end, ctx);
}

TEST(acm_scan_parts_equals_the_plain_scan)
{
    static const char *const alpha[] = { "卫", "计", "局", "生", "健", "康", "a", "b" };
    for (int round = 0; round < 4; round++) {
        size_t np = 20;
        char *pats[20];
        size_t lens[20];
        struct acm *a = acm_new();
        for (size_t i = 0; i < np; i++) {
            struct buf p = BUF_INIT;
            /* rounds 0-1: long patterns (rare matches); 2-3: short ones (dense matches) */
            random_text(&p, (round < 2 ? 4 : 1) + t_rand() % 3, alpha, 8);
            lens[i] = p.n;
            pats[i] = buf_take(&p);
            acm_add(a, pats[i], lens[i]);
        }
        acm_compile(a, round % 2 ? 64 : 0);
        struct buf text = BUF_INIT;
        random_text(&text, 40000 + t_rand() % 5000, alpha, 8); /* ~100 KB: 4 parts */
        struct occ_list parts[ACM_PARTS] = { 0 }, want = { 0 }, plain = { 0 };
        void *ctx[ACM_PARTS];
        for (int k = 0; k < ACM_PARTS; k++)
            ctx[k] = &parts[k];
        size_t k1 = acm_scan_parts(a, text.p, text.n, collect_part, ctx);
        size_t k2 = acm_scan(a, text.p, text.n, collect, &plain);
        naive(pats, lens, np, text.p, text.n, &want);
        ASSERT_EQ_INT(k1, k2);
        ASSERT_EQ_INT(plain.n, want.n);
        ASSERT(parts[1].n > 0 || round < 2); /* the parts were used */
        size_t at = 0;
        for (int k = 0; k < ACM_PARTS; k++) {
            for (size_t i = 0; i < parts[k].n; i++, at++) {
                ASSERT(at < want.n);
                ASSERT_EQ_INT(parts[k].end[i], want.end[at]);
                ASSERT_EQ_INT(parts[k].id[i], want.id[at]);
            }
            occ_free(&parts[k]);
        }
        ASSERT_EQ_INT(at, want.n);
        occ_free(&want);
        occ_free(&plain);
        buf_release(&text);
        for (size_t i = 0; i < np; i++)
            free(pats[i]);
        acm_free(a);
    }
}

static int stop_at_third(uint32_t id, size_t start, size_t end, void *ctx)
{
    (void)id, (void)start, (void)end;
    return ++*(int *)ctx == 3 ? ACM_STOP : 0;
}

static int skip_shorter(uint32_t id, size_t start, size_t end, void *ctx)
{
    (void)start, (void)end;
    struct occ_list *l = ctx;
    collect(id, start, end, l);
    return ACM_SKIP;
}

TEST(acm_stop_and_skip)
{
    struct acm *a = acm_new();
    acm_add(a, "abc", 3);
    acm_add(a, "bc", 2);
    acm_add(a, "c", 1);
    acm_compile(a, 0);
    struct buf big = BUF_INIT;
    for (int i = 0; i < 200000; i++)
        buf_adds(&big, "xabc");
    int n = 0;
    ASSERT_EQ_INT(acm_scan(a, big.p, big.n, stop_at_third, &n), 3);
    ASSERT_EQ_INT(n, 3);
    struct occ_list got = { 0 };
    acm_scan(a, big.p, big.n, skip_shorter, &got); /* only the longest at each end */
    ASSERT_EQ_INT(got.n, 200000);
    for (size_t i = 0; i < got.n; i++)
        ASSERT_EQ_INT(got.id[i], 0);
    occ_free(&got);
    buf_release(&big);
    acm_free(a);
}

TEST(acm_edge_cases_and_compactness)
{
    struct acm *a = acm_new();
    ASSERT_EQ_INT(acm_add(a, "", 0), UINT32_MAX);
    char big[ACM_MAX_PATTERN + 1];
    memset(big, 'x', sizeof(big));
    ASSERT_EQ_INT(acm_add(a, big, sizeof(big)), UINT32_MAX);
    acm_compile(a, 0);
    ASSERT_EQ_INT(acm_scan(a, "abc", 3, NULL, NULL), 0); /* no patterns */
    acm_free(a);

    /* All 256 byte values in patterns: no shared class, still exact. */
    a = acm_new();
    unsigned char all[256];
    for (int i = 0; i < 256; i++)
        all[i] = (unsigned char)i;
    acm_add(a, all, 256);
    acm_add(a, "\0\1", 2);
    acm_compile(a, 0);
    struct occ_list got = { 0 };
    unsigned char text[300] = { 0 };
    memcpy(text + 10, all, 256);
    acm_scan(a, text, sizeof(text), collect, &got);
    ASSERT_EQ_INT(got.n, 2); /* "\0\1" at 10 (the first zeros are not followed by 1), all at 10 */
    ASSERT_EQ_INT(got.start[0], 10);
    ASSERT_EQ_INT(got.id[0], 1);
    ASSERT_EQ_INT(got.start[1], 10);
    ASSERT_EQ_INT(got.id[1], 0);
    occ_free(&got);
    acm_free(a);

    /* Stopping early. */
    a = acm_new();
    acm_add(a, "ab", 2);
    acm_compile(a, 0);
    ASSERT_EQ_INT(acm_scan(a, "abababab", 8, NULL, NULL), 4);
    acm_free(a);

    /* Thousands of patterns stay compact: the dense part is capped by the budget. */
    a = acm_new();
    char w[64];
    for (int i = 0; i < 5000; i++) {
        snprintf(w, sizeof(w), "测试词%05d号", i * 7919 % 100000);
        acm_add(a, w, strlen(w));
    }
    acm_compile(a, 0);
    struct acm_stats st;
    acm_get_stats(a, &st);
    ASSERT(st.dense < st.states);
    ASSERT((size_t)st.dense * st.classes * 4 <= ACM_DENSE_BUDGET);
    ASSERT(st.bytes < 8u << 20);
    snprintf(w, sizeof(w), "……测试词%05d号……", 4999 * 7919 % 100000);
    got = (struct occ_list){ 0 };
    acm_scan(a, w, strlen(w), collect, &got);
    ASSERT_EQ_INT(got.n, 1);
    ASSERT_EQ_INT(got.id[0], 4999);
    occ_free(&got);
    acm_free(a);
}

/* ---- the dictionary -------------------------------------------------------------- */

static const char dict_tsv[] =
    "# a comment line\n"
    "\n"
    "wrong\tright\tfrom\tuntil\tseverity\tcategory\tallow\tnote\n"
    "卫计局\t卫健局|卫生健康局\t2019-04-01\t\tnormal\t机构改革\t\tconfirm the local date\n"
    "农业部\t农业农村部\t2018-06-01\t\t\t机构改革\t农业部门\t\n"
    "保监会\t银保监会\t2018-06-01\t\t\t机构改革\t\t\n"
    "规划局\t自然资源和规划局\t2019-04-01\t\tnotice\t\t\t\n"
    "城乡规划局\t自然资源局\t2019-04-01\t\t\t\t\t\n"
    "习进平\t习近平\t\t\tserious\t领导人\t\t\n"
    "临时词语\t正式词语\t2019-01-01\t2019-01-31\t\t\t\t\n";

static struct wording_dict *dict_of(const char *tsv)
{
    struct wording_dict *d = wording_dict_new();
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    ASSERT_OK(wording_dict_parse(d, "t.tsv", tsv, strlen(tsv), WORDING_FILE, NULL, &bad, &e), &e);
    for (size_t i = 0; i < bad.n; i++)
        t_note("%s", bad.v[i]);
    ASSERT_EQ_INT(bad.total, 0);
    notes_release(&bad);
    wording_dict_compile(d);
    return d;
}

/* The wrong forms found in text on a day, joined by ','. */
static char *found(const struct wording_dict *d, const char *text, const char *on)
{
    struct wording_hits h = { 0 };
    size_t n = wording_scan(d, text, strlen(text), on ? t_day(on) : DATE_NONE, &h);
    struct buf b = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        buf_addf(&b, "%s%s", i ? "," : "", h.v[i].e->wrong);
        ASSERT(!memcmp(text + h.v[i].off, h.v[i].e->wrong, h.v[i].len));
        ASSERT_EQ_INT(h.v[i].chars, utf8_count(text, h.v[i].off));
    }
    wording_hits_release(&h);
    return buf_take(&b);
}

TEST(wording_dates_guards_and_longer_forms)
{
    struct wording_dict *d = dict_of(dict_tsv);
    /* clang-format off */
    static const struct { const char *text, *on, *want; } cases[] = {
        /* an old name is wrong only from its date */
        { "市卫计局召开会议", "2019-03-31", "" },
        { "市卫计局召开会议", "2019-04-01", "卫计局" },
        { "市卫计局召开会议", NULL, "卫计局" },
        /* a longer correct word containing the wrong form is not flagged */
        { "农业部门和农业部", "2019-01-01", "农业部" },
        { "各农业部门", "2019-01-01", "" },
        /* a right form containing the wrong form (银保监会 ⊃ 保监会) is not flagged */
        { "银保监会与保监会", "2019-01-01", "保监会" },
        { "自然资源和规划局", "2019-05-01", "" },
        /* the longer wrong form is reported, not the shorter one inside it */
        { "市城乡规划局", "2019-05-01", "城乡规划局" },
        { "市规划局", "2019-05-01", "规划局" },
        /* until: wrong only within the range */
        { "临时词语", "2019-01-15", "临时词语" },
        { "临时词语", "2019-02-01", "" },
        /* undated entries apply always; overlapping occurrences are all found */
        { "习进平习进平", "2000-01-01", "习进平,习进平" },
        /* a wrong form in a historical sentence is still reported */
        { "原卫生和计划生育局即卫计局", "2019-05-01", "卫计局" },
        { "", "2019-05-01", "" },
    };
    /* clang-format on */
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        char *got = found(d, cases[i].text, cases[i].on);
        if (strcmp(got, cases[i].want))
            t_fail(__FILE__, __LINE__, "case %zu '%s' on %s: got '%s', want '%s'", i, cases[i].text,
                   cases[i].on ? cases[i].on : "any day", got, cases[i].want);
        free(got);
    }
    wording_dict_free(d);
}

TEST(wording_file_errors_are_noted_and_skipped)
{
    /* clang-format off */
    static const char tsv[] =
        "wrong\tright\tfrom\tseverity\n"
        "好词\t\t2019-13-01\t\n"            /* 2: bad date */
        "坏词\t好词\t\tterrible\n"          /* 3: bad severity */
        "字\t词\t\t\n"                      /* 4: one character */
        "错词\t错词\t\t\n"                  /* 5: right equals wrong */
        "甲乙\t丙丁\t\t\t\textra\n"          /* 6: too many fields */
        "甲乙\t丙丁\t\t\n"                  /* 7: fine */
        "甲乙\t戊己\t\t\n"                  /* 8: repeats line 7 */
        "丙\xff丁\t\t\t\n"                 /* 9: invalid UTF-8 */
        "后来\t以后\t2019-02-01\t\n";       /* 10: fine */
    /* clang-format on */
    struct wording_dict *d = wording_dict_new();
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    size_t added;
    ASSERT_OK(wording_dict_parse(d, "x.tsv", tsv, strlen(tsv), WORDING_FILE, &added, &bad, &e), &e);
    ASSERT_EQ_INT(added, 2);
    ASSERT_EQ_INT(bad.total, 7);
    const char *lines[] = { "x.tsv:2:", "x.tsv:3:", "x.tsv:4:", "x.tsv:5:",
                            "x.tsv:6:", "x.tsv:8:", "x.tsv:9:" };
    for (size_t i = 0; i < 7; i++)
        ASSERT(!strncmp(bad.v[i], lines[i], strlen(lines[i])));
    ASSERT_CONTAINS(bad.v[5], "repeats line 7");
    notes_release(&bad);
    wording_dict_free(d);

    /* Whole-file problems. */
    d = wording_dict_new();
    ASSERT_RC(wording_dict_parse(d, "h.tsv", "right\tfrom\n", 11, WORDING_FILE, NULL, NULL, &e),
              RC_PARSE);
    ASSERT_CONTAINS(e.msg, "no 'wrong' column");
    err_clear(&e);
    ASSERT_RC(wording_dict_parse(d, "h.tsv", "wrong\trigth\n", 12, WORDING_FILE, NULL, NULL, &e),
              RC_PARSE);
    ASSERT_CONTAINS(e.msg, "unknown column 'rigth'");
    err_clear(&e);
    ASSERT_RC(wording_dict_parse(d, "h.tsv", "# only comments\n", 16, WORDING_FILE, NULL, NULL, &e),
              RC_PARSE);
    /* Chinese headers, CRLF and a BOM. */
    static const char cn[] =
        "\xEF\xBB\xBF错误写法\t正确写法\t生效日期\r\n旧名称\t新名称\t2019-04-01\r\n";
    size_t n2;
    ASSERT_OK(wording_dict_parse(d, "cn.tsv", cn, strlen(cn), WORDING_FILE, &n2, NULL, &e), &e);
    ASSERT_EQ_INT(n2, 1);
    ASSERT_EQ_STR(wording_dict_entry(d, 0)->right, "新名称");
    ASSERT_EQ_INT(wording_dict_entry(d, 0)->from, t_day("2019-04-01"));
    ASSERT_EQ_STR(wording_dict_entry(d, 0)->source, "cn.tsv:2");
    wording_dict_free(d);
}

TEST(wording_priority_and_disable)
{
    struct wording_dict *d = wording_dict_new();
    struct err e = { 0 };
    static const char builtin[] =
        "wrong\tright\tseverity\n旧局名\t新局名\tnormal\n另一旧名\t另一新名\t\n";
    static const char office[] = "wrong\tright\tseverity\n旧局名\t本市新局名\tserious\n";
    ASSERT_OK(
        wording_dict_parse(d, "b.tsv", builtin, strlen(builtin), WORDING_BUILTIN, NULL, NULL, &e),
        &e);
    ASSERT_OK(wording_dict_parse(d, "o.tsv", office, strlen(office), WORDING_FILE, NULL, NULL, &e),
              &e);
    wording_dict_disable(d, "另一旧名");
    wording_dict_compile(d);
    struct wording_hits h = { 0 };
    ASSERT_EQ_INT(wording_scan(d, "旧局名和另一旧名", strlen("旧局名和另一旧名"), DATE_NONE, &h),
                  1);
    ASSERT_EQ_STR(h.v[0].e->right, "本市新局名"); /* the office's file wins */
    ASSERT_EQ_INT(h.v[0].e->severity, CHECK_SERIOUS);
    wording_hits_release(&h);
    ASSERT_EQ_STR(wording_dict_lookup(d, "旧局名", DATE_NONE)->source, "o.tsv:2");
    ASSERT_NULL(wording_dict_lookup(d, "另一旧名", DATE_NONE));
    wording_dict_free(d);
}

TEST(wording_builtin_files_load_and_flag_the_seed_names)
{
    struct wording_dict *d = wording_dict_new();
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    ASSERT_OK(wording_dict_load(d, NULL, &bad, &e), &e);
    for (size_t i = 0; i < bad.n; i++)
        t_note("%s", bad.v[i]);
    ASSERT_EQ_INT(bad.total, 0);
    ASSERT(wording_dict_size(d) >= 60);
    wording_dict_compile(d);
    /* The seed bulletin of November 2018 names 市食药监局 and 市卫计局: right then. */
    const char *seed =
        "信息发布数量较多的单位是：高栏港区899条、市食药监局188条。请市卫计局及时更新";
    char *got = found(d, seed, "2018-12-12");
    ASSERT_EQ_STR(got, "");
    free(got);
    got = found(d, seed, "2019-06-01");
    ASSERT_EQ_STR(got, "食药监局,卫计局");
    free(got);
    got = found(d, "中国共产党和中国共产当", "2018-01-01");
    ASSERT_EQ_STR(got, "中国共产当");
    free(got);
    notes_release(&bad);
    wording_dict_free(d);
}

/* A long text goes through the interleaved parts: words straddling the part borders are
 * found once, in order, with the right character counts. */
TEST(wording_scan_long_text_across_parts)
{
    struct wording_dict *d = dict_of(dict_tsv);
    struct buf t = BUF_INIT;
    while (t.n < 300000)
        buf_adds(&t, t_rand() % 50 == 0 ? "习进平" : t_rand() % 3 ? "测" : "x");
    /* Words exactly across each part border (acm_scan_parts: part k starts at k * n/4). */
    size_t len = t.n / ACM_PARTS;
    for (int k = 1; k < ACM_PARTS; k++) {
        size_t b = len * (size_t)k, from = b - 12, to = b + 12;
        while ((t.p[from] & 0xC0) == 0x80) /* keep the text valid UTF-8 */
            from--;
        while ((t.p[to] & 0xC0) == 0x80)
            to++;
        memset(t.p + from, 'x', to - from);
        memcpy(t.p + b - 3, "习进平", 9);
    }
    size_t want = 0;
    for (const char *p = t.p; (p = memmem(p, t.n - (size_t)(p - t.p), "习进平", 9)); p += 9)
        want++;
    char *got = found(d, t.p, "2019-01-01");
    size_t n = 0;
    for (const char *p = got; (p = strstr(p, "习进平")); p += 9)
        n++;
    ASSERT_EQ_INT(n, want);
    free(got);
    buf_release(&t);
    wording_dict_free(d);
}

TEST(wording_excerpt_is_utf8_safe)
{
    const char *t = "第一行\n\t今天　卫计局召开会议，布置工作";
    size_t off = (size_t)(strstr(t, "卫计局") - t);
    struct buf b = BUF_INIT, a = BUF_INIT;
    wording_excerpt(t, strlen(t), off, strlen("卫计局"), 4, &b, &a);
    ASSERT_EQ_STR(buf_cstr(&b), " 今天 "); /* \n\t folded, U+3000 folded */
    ASSERT_EQ_STR(buf_cstr(&a), "召开会议");
    buf_reset(&b);
    buf_reset(&a);
    wording_excerpt(t, strlen(t), off, strlen("卫计局"), 100, &b, &a);
    ASSERT_EQ_STR(buf_cstr(&b), "第一行 今天 ");
    ASSERT_EQ_STR(buf_cstr(&a), "召开会议，布置工作");
    /* Invalid bytes and a cut multi-byte character around the hit. */
    const char bad[] = "\xe5\xad\x97\x80\x80\x80\x80\x80"
                       "AB\xe5\xad";
    buf_reset(&b);
    buf_reset(&a);
    wording_excerpt(bad, sizeof(bad) - 1, 8, 2, 3, &b, &a);
    ASSERT(utf8_valid(b.p, b.n));
    ASSERT(utf8_valid(a.p, a.n));
    buf_release(&b);
    buf_release(&a);
}

/* ---- database entries and the page check ----------------------------------------- */

static int64_t setup_site(struct store *s)
{
    static const char units[] =
        "name,short_name,kind,parent\n示范市卫生健康局,市卫健局,department,\n"
        "示范市人民政府办公室,市政府办公室,office,\n";
    static const char sites[] =
        "name,url,code,unit,type,status\n示范网,http://www.shifan.test/,4404990001,"
        "市政府办公室,门户网站,正常运行\n";
    static const char cols[] =
        "site,path,url,unit,class\n示范网,卫生健康>工作动态,http://www.shifan.test/wsj/,"
        "市卫健局,动态要闻\n";
    struct reg_import_result r;
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    ASSERT_OK(reg_import_mem(s, REG_UNITS, "u.csv", units, strlen(units), t_clk(), &r, &bad, &e),
              &e);
    ASSERT_OK(reg_import_mem(s, REG_SITES, "s.csv", sites, strlen(sites), t_clk(), &r, &bad, &e),
              &e);
    ASSERT_OK(reg_import_mem(s, REG_COLUMNS, "c.csv", cols, strlen(cols), t_clk(), &r, &bad, &e),
              &e);
    notes_release(&bad);
    int64_t id;
    ASSERT_OK(reg_site_lookup(s, "示范网", &id, &e), &e);
    return id;
}

TEST(wording_db_entries_add_remove_and_disable)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        struct err e = { 0 };
        struct wording_entry x = { .wrong = (char *)"示范旧名",
                                   .right = (char *)"示范新名",
                                   .from = t_day("2019-01-01"),
                                   .until = DATE_NONE,
                                   .severity = CHECK_SERIOUS,
                                   .category = (char *)"本地" };
        bool upd;
        ASSERT_OK(wording_db_add(s, t_clk(), &x, "tester", &upd, &e), &e);
        ASSERT_FALSE(upd);
        x.right = (char *)"示范新名二";
        ASSERT_OK(wording_db_add(s, t_clk(), &x, "tester", &upd, &e), &e);
        ASSERT_TRUE(upd);
        struct wording_entry badx = { .wrong = (char *)"坏",
                                      .from = DATE_NONE,
                                      .until = DATE_NONE };
        ASSERT_RC(wording_db_add(s, t_clk(), &badx, "tester", NULL, &e), RC_INVALID);
        err_clear(&e);
        /* The database entry outranks the built-in ones; a file entry can be switched off. */
        struct wording_dict *d = wording_dict_new();
        ASSERT_OK(wording_dict_load(d, s, NULL, &e), &e);
        const struct wording_entry *got = wording_dict_lookup(d, "示范旧名", t_day("2019-02-01"));
        ASSERT_NOT_NULL(got);
        ASSERT_EQ_STR(got->right, "示范新名二");
        ASSERT_EQ_STR(got->category, "本地");
        ASSERT(got->db_id > 0);
        ASSERT_NULL(wording_dict_lookup(d, "示范旧名", t_day("2018-12-31")));
        const char *what;
        ASSERT_OK(wording_db_remove(s, t_clk(), "示范旧名", "tester", d, &what, &e), &e);
        ASSERT_EQ_STR(what, "removed");
        ASSERT_OK(wording_db_remove(s, t_clk(), "卫计局", "tester", d, &what, &e), &e);
        ASSERT_EQ_STR(what, "disabled");
        ASSERT_RC(wording_db_remove(s, t_clk(), "卫计局", "tester", d, &what, &e), RC_CONFLICT);
        err_clear(&e);
        ASSERT_RC(wording_db_remove(s, t_clk(), "没有这个词", "tester", d, &what, &e), RC_NOTFOUND);
        err_clear(&e);
        wording_dict_free(d);
        d = wording_dict_new();
        ASSERT_OK(wording_dict_load(d, s, NULL, &e), &e);
        ASSERT_NULL(wording_dict_lookup(d, "示范旧名", DATE_NONE));
        ASSERT_NULL(wording_dict_lookup(d, "卫计局", DATE_NONE)); /* switched off */
        ASSERT_NOT_NULL(wording_dict_lookup(d, "卫生和计划生育局", DATE_NONE));
        wording_dict_free(d);
        ASSERT_OK(wording_db_enable(s, "卫计局", &e), &e);
        ASSERT_RC(wording_db_enable(s, "卫计局", &e), RC_NOTFOUND);
        err_clear(&e);
        d = wording_dict_new();
        ASSERT_OK(wording_dict_load(d, s, NULL, &e), &e);
        ASSERT_NOT_NULL(wording_dict_lookup(d, "卫计局", DATE_NONE));
        wording_dict_free(d);
        t_close(s);
    }
}

TEST(wording_check_page_reports_one_finding_per_word)
{
    for (int b = 0; b < t_backends(); b++) {
        struct store *s = t_open(b);
        int64_t site = setup_site(s);
        int64_t col;
        struct err e = { 0 };
        ASSERT_OK(
            store_get_int(s, &col, &e, "SELECT id FROM site_columns WHERE site_id = ?", "i", site),
            &e);
        struct wording_dict *d = dict_of(dict_tsv);
        struct clk c = *t_clk();
        struct check_scope sc = { .site_id = site, .kinds = "wording", .complete = true };
        struct check_session *ss;
        ASSERT_OK(check_begin(s, &c, &sc, &ss, &e), &e);
        static const char text[] = "市卫计局召开会议。卫计局要求各农业部门……习进平";
        struct wording_page pg = { .column_id = col,
                                   .url = "http://www.shifan.test/wsj/1.html",
                                   .title = "会议",
                                   .text = text,
                                   .n = strlen(text),
                                   .date = t_day("2019-05-06") };
        struct wording_hits h = { 0 };
        int nf;
        ASSERT_OK(wording_check_page(ss, d, &pg, t_day("2019-06-01"), &h, &nf, &e), &e);
        ASSERT_EQ_INT(nf, 2);
        /* An undated page is judged as of today; an old page by its date. */
        struct wording_page old = pg;
        old.url = "http://www.shifan.test/wsj/old.html";
        old.date = t_day("2018-11-01");
        ASSERT_OK(wording_check_page(ss, d, &old, t_day("2019-06-01"), &h, &nf, &e), &e);
        ASSERT_EQ_INT(nf, 1); /* only the undated entry 习进平 */
        struct check_tally t;
        ASSERT_OK(check_end(ss, &t, &e), &e);
        ASSERT_EQ_INT(t.opened, 3);
        struct check_row r;
        int64_t id;
        ASSERT_OK(store_get_int(s, &id, &e, "SELECT id FROM findings WHERE subject = ? AND url = ?",
                                "tt", "卫计局", pg.url),
                  &e);
        ASSERT_OK(check_finding_get(s, id, &r, &e), &e);
        ASSERT_EQ_STR(r.unit, "市卫健局"); /* the column's unit */
        ASSERT_EQ_STR(r.column, "卫生健康>工作动态");
        ASSERT_EQ_INT(r.value, 2);
        ASSERT_CONTAINS(r.summary, "“卫计局”应为“卫健局”");
        ASSERT_CONTAINS(r.summary, "本页出现2处");
        ASSERT_CONTAINS(r.evidence, "\"count\":2");
        ASSERT_CONTAINS(r.evidence, "\"before\":\"市\"");
        ASSERT_CONTAINS(r.evidence, "\"judged_as_of\":\"2019-05-06\"");
        check_row_release(&r);
        ASSERT_OK(store_get_int(s, &id, &e, "SELECT COUNT(*) FROM findings WHERE severity = 3", ""),
                  &e);
        ASSERT_EQ_INT(id, 2); /* 习进平 on both pages */
        wording_hits_release(&h);
        wording_dict_free(d);
        t_close(s);
    }
}
