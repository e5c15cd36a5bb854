/* tt_crawl.c - testtool subcommands of the crawler (see testtool.c).
 *
 *   testtool extract FILE [URL [CHARSET]]   decode and extract one page; print JSON
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/clk.h"
#include "core/str.h"
#include "core/vec.h"
#include "core/xalloc.h"
#include "core/charset.h"
#include "core/date.h"
#include "core/json.h"
#include "crawl/crawl.h"
#include "testtool.h"

static int atoi_safe(const char *s)
{
    int v;
    return cstr_to_int(s, 1, 100000, &v) ? v : 1;
}

static int tt_extract(int argc, char **argv)
{
    if (argc < 2)
        return 2;
    struct buf raw = BUF_INIT, utf = BUF_INIT, out = BUF_INIT;
    struct err e = { 0 };
    if (buf_read_file(&raw, argv[1], &e)) {
        fprintf(stderr, "%s\n", err_msg(&e));
        return 1;
    }
    const char *url = argc > 2 ? argv[2] : "http://www.shifan.test/a/b/page.html";
    struct charset_result cr;
    charset_decode(raw.p ? raw.p : "", raw.n, argc > 3 ? argv[3] : NULL, &utf, &cr);
    struct arena a = ARENA_INIT;
    struct html_page p;
    html_extract(&a, buf_cstr(&utf), utf.n, url, NULL, 0, &p);
    struct jw w;
    jw_init(&w, &out, true);
    jw_obj(&w);
    jw_kstr(&w, "charset", cr.used);
    jw_kstr(&w, "declared", cr.declared);
    jw_kbool(&w, "mismatch", cr.mismatch);
    jw_kstr(&w, "title", p.title);
    jw_kstr(&w, "breadcrumb", p.breadcrumb);
    jw_kstr(&w, "site_name", p.site_name);
    jw_kstr(&w, "site_code", p.site_code);
    jw_kstr(&w, "column_name", p.column_name);
    jw_kstr(&w, "article_title", p.article_title);
    jw_kstr(&w, "pub_date", p.pub_date);
    jw_kstr(&w, "content_source", p.content_source);
    jw_kdate(&w, "date", p.date);
    jw_kstr(&w, "date_source", html_date_src_name(p.date_src));
    jw_kbool(&w, "is_list", p.is_list);
    jw_kbool(&w, "is_article", p.is_article);
    jw_kint(&w, "items", (int64_t)p.nmain);
    jw_kdate(&w, "latest", p.latest);
    jw_kdate(&w, "latest_any", p.latest_any);
    jw_kstr(&w, "next_page", p.next_page);
    jw_kstr(&w, "canonical", p.canonical);
    jw_kint(&w, "links", (int64_t)p.nlinks);
    jw_kint(&w, "text_len", (int64_t)p.text_len);
    jw_key(&w, "list");
    jw_arr(&w);
    for (size_t i = 0; i < p.nitems; i++) {
        jw_obj(&w);
        jw_kdate(&w, "date", p.items[i].day);
        jw_kstr(&w, "title", p.items[i].title);
        jw_kstr(&w, "url", p.items[i].url);
        if (p.items[i].pinned)
            jw_kbool(&w, "pinned", true);
        if (!p.items[i].main)
            jw_kbool(&w, "main", false);
        jw_end(&w);
    }
    jw_end(&w);
    if (getenv("TT_LINKS")) {
        jw_key(&w, "all_links");
        jw_arr(&w);
        for (size_t i = 0; i < p.nlinks; i++) {
            jw_obj(&w);
            jw_kstr(&w, "tag", p.links[i].tag);
            jw_kstr(&w, "url", p.links[i].url);
            jw_kstr(&w, "text", p.links[i].text);
            if (p.links[i].pagination)
                jw_kbool(&w, "pagination", true);
            jw_end(&w);
        }
        jw_end(&w);
    }
    if (getenv("TT_TEXT"))
        jw_kstr(&w, "text", p.text);
    jw_end(&w);
    jw_finish(&w);
    fwrite(out.p, 1, out.n, stdout);
    arena_release(&a);
    buf_release(&raw);
    buf_release(&utf);
    buf_release(&out);
    return 0;
}

/* Parse the files given (names on standard input, one a line) ROUNDS times with one
 * html_ctx, as a parser thread does, and print the time per page: for profiling. */
static int tt_extract_bench(int argc, char **argv)
{
    int rounds = argc > 1 ? atoi_safe(argv[1]) : 1;
    VEC(char *) files = VEC_INIT;
    char line[4096];
    while (fgets(line, sizeof(line), stdin)) {
        line[strcspn(line, "\n")] = 0;
        if (*line)
            vec_push(&files, xstrdup(line));
    }
    VEC(struct buf) bodies = VEC_INIT;
    for (size_t i = 0; i < files.n; i++) {
        struct buf b = BUF_INIT;
        if (buf_read_file(&b, files.v[i], NULL) == RC_OK)
            vec_push(&bodies, b);
    }
    struct html_ctx *ctx = html_ctx_new(20000);
    struct arena a = ARENA_INIT;
    struct buf utf = BUF_INIT;
    int64_t t0 = clk_mono_ms();
    size_t links = 0;
    for (int r = 0; r < rounds; r++)
        for (size_t i = 0; i < bodies.n; i++) {
            struct charset_result cr;
            buf_reset(&utf);
            charset_decode(bodies.v[i].p ? bodies.v[i].p : "", bodies.v[i].n, NULL, &utf, &cr);
            struct html_page p;
            html_extract(&a, buf_cstr(&utf), utf.n, "http://127.0.0.1:8088/a/b/c.html", ctx, 0, &p);
            links += p.nlinks;
            arena_reset(&a);
        }
    int64_t ms = clk_mono_ms() - t0;
    size_t n = bodies.n * (size_t)rounds;
    printf("%zu pages, %zu links, %lld ms, %.1f us/page\n", n, links, (long long)ms,
           n ? (double)ms * 1000.0 / (double)n : 0.0);
    html_ctx_free(ctx);
    arena_release(&a);
    buf_release(&utf);
    for (size_t i = 0; i < bodies.n; i++)
        buf_release(&bodies.v[i]);
    for (size_t i = 0; i < files.n; i++)
        free(files.v[i]);
    vec_release(&bodies);
    vec_release(&files);
    return 0;
}

const struct tt_cmd crawl_cmds[] = {
    { "extract", tt_extract, "FILE [URL [CHARSET]]" },
    { "extract-bench", tt_extract_bench, "[ROUNDS] < FILE-LIST" },
    { NULL, NULL, NULL },
};
