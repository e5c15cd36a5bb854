/* tt_crawl.c - testtool subcommands of the crawler (see testtool.c).
 *
 *   testtool extract FILE [URL [CHARSET]]   decode and extract one page; print JSON
 *   testtool gen-pages DB PAGES [LINKS]     add PAGES crawled pages over the sites in DB, as
 *                                           a complete crawl of each site would leave them
 *                                           (bench/web.sh): one run per site, its URLs with
 *                                           their results, pages (list and article pages
 *                                           with title, breadcrumb, date, a short text),
 *                                           list items, about LINKS links per page (default
 *                                           25: the site's menu, other articles, files and
 *                                           other sites, some broken) and the articles; one
 *                                           transaction
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
#include "store/store.h"
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

/* ------------------------------------------------------------ gen-pages --- */

static uint64_t gen_rng = 0x2545f4914f6cdd1dULL;
static uint64_t gen_rnd(void) /* xorshift64*, deterministic */
{
    gen_rng ^= gen_rng >> 12;
    gen_rng ^= gen_rng << 25;
    gen_rng ^= gen_rng >> 27;
    return gen_rng * 2685821657736338717ULL;
}

struct gen_site {
    int64_t id, run, first_url; /* crawl_urls ids first_url .. first_url + urls - 1 */
    const char *home;
    int pages, lists, checks;   /* pages: lists first, then articles; then check URLs */
    int64_t *cols;
    size_t ncols;
};

static const char *const gen_cols[] = { "ywdt", "tzgg", "zcwj", "rsxx", "ghjh",
                                        "zwgk", "hdjl", "bsfw", "jgsz", "qt" };
static const char *const gen_names[] = { "要闻动态", "通知公告", "政策文件", "人事信息", "规划计划",
                                         "政务公开", "互动交流", "办事服务", "机构设置", "其他" };

/* The URL of a site's k-th URL: list pages, articles, then files and other sites'. */
static void gen_url(const struct gen_site *g, int k, int32_t day, char *out, size_t n)
{
    const char *h = g->home;
    size_t hl = strlen(h);
    while (hl && h[hl - 1] == '/')
        hl--;
    if (k < g->lists) {
        if (k < 10)
            snprintf(out, n, "%.*s/%s/index.html", (int)hl, h, gen_cols[k]);
        else
            snprintf(out, n, "%.*s/%s/index_%d.html", (int)hl, h, gen_cols[k % 10], k / 10);
    } else if (k < g->pages) {
        char d[11];
        date_fmt(day, d);
        snprintf(out, n, "%.*s/%s/%.4s%.2s/t%.4s%.2s%.2s_%d.html", (int)hl, h, gen_cols[k % 10], d,
                 d + 5, d, d + 5, d + 8, k);
    } else if ((k - g->pages) % 2) {
        snprintf(out, n, "%.*s/attach/%d.pdf", (int)hl, h, k);
    } else {
        snprintf(out, n, "http://www.s%d.gen-other.test/%d.html", (int)(gen_rnd() % 500), k);
    }
}

static int gen_fail(const char *what, const struct err *e)
{
    fprintf(stderr, "testtool: %s: %s\n", what, err_msg(e));
    return 1;
}

static int tt_gen_pages(int argc, char **argv)
{
    int pages, links = 25;
    if ((argc != 3 && argc != 4) || !cstr_to_int(argv[2], 0, 100000000, &pages) ||
        (argc == 4 && !cstr_to_int(argv[3], 1, 1000, &links))) {
        fprintf(stderr, "usage: testtool gen-pages DB PAGES [LINKS]\n");
        return 2;
    }
    struct store *db = NULL;
    struct err e = { 0 };
    if (store_open(argv[1], &db, &e) || store_migrate(db, &e))
        return gen_fail(argv[1], &e);
    struct clk ck;
    clk_init(&ck);
    int64_t now = clk_now(&ck);
    int32_t today = (int32_t)(now / 86400);
    VEC(struct gen_site) gs = VEC_INIT;
    struct stmt *st = store_sql(db, "SELECT id, url FROM sites ORDER BY id");
    while (stmt_next(st)) {
        struct gen_site g = { .id = stmt_int(st, 0), .home = xstrdup(stmt_str(st, 1)) };
        vec_push(&gs, g);
    }
    enum rc rc = stmt_done(st, &e);
    if (rc || !gs.n) {
        store_close(db);
        return rc ? gen_fail("sites", &e) : (fprintf(stderr, "testtool: import the registry first\n"), 1);
    }
    size_t nsites = gs.n < (size_t)pages ? gs.n : (size_t)(pages ? pages : 1);
    int64_t url_id = 0, run_id = 0;
    if (!rc)
        rc = store_get_int(db, &url_id, &e, "SELECT COALESCE(MAX(id), 0) FROM crawl_urls", "");
    if (!rc)
        rc = store_get_int(db, &run_id, &e, "SELECT COALESCE(MAX(id), 0) FROM crawl_runs", "");
    for (size_t i = 0; i < nsites && !rc; i++) {
        struct gen_site *g = &gs.v[i];
        g->pages = (int)((size_t)pages / nsites + (i < (size_t)pages % nsites));
        g->lists = g->pages < 40 ? (g->pages + 3) / 4 : 10 + g->pages / 40;
        g->checks = g->pages / 10 + 1;
        g->run = ++run_id;
        g->first_url = url_id + 1;
        url_id += g->pages + g->checks;
        st = store_q(db, "SELECT id FROM site_columns WHERE site_id = ? ORDER BY id", "i", g->id);
        size_t cap = 0;
        while (stmt_next(st)) {
            g->cols = xgrow(g->cols, &cap, g->ncols + 1, sizeof(*g->cols));
            g->cols[g->ncols++] = stmt_int(st, 0);
        }
        rc = stmt_done(st, &e);
    }
    if (!rc)
        rc = store_begin(db, &e);
    int64_t nlinks = 0, nitems = 0;
    char url[300], url2[300], title[200], text[1200], crumb[200], d[11];
    for (size_t i = 0; i < nsites && !rc; i++) {
        struct gen_site *g = &gs.v[i];
        int nurls = g->pages + g->checks;
        /* each page's date: articles spread over three years back from today */
        int32_t *day = xmalloc((size_t)nurls * sizeof(*day));
        for (int k = 0; k < nurls; k++)
            day[k] = today - (int32_t)(gen_rnd() % 1095);
        int broken = 0;
        int64_t started = now - 86400 * (int64_t)(1 + gen_rnd() % 7);
        rc = store_exec(db, &e,
                        "INSERT INTO crawl_runs (id, site_id, state, started_at, finished_at, "
                        "start_url, max_pages, max_depth, per_host, rate, robots) VALUES (?, ?, "
                        "'complete', ?, ?, ?, 100000, 20, 2, 2, 'honoured')",
                        "iiiit", g->run, g->id, started, started + nurls / 2 + 60, g->home);
        for (int k = 0; k < nurls && !rc; k++) {
            gen_url(g, k, day[k], url, sizeof(url));
            bool page = k < g->pages, bad = !page && gen_rnd() % 20 == 0;
            broken += bad;
            rc = store_exec(db, &e,
                            "INSERT INTO crawl_urls (id, run_id, url, depth, scope, state, result, "
                            "status, error, method, content_type, size, fetched_at, elapsed_ms, "
                            "attempts) VALUES (?, ?, ?, ?, ?, 'done', ?, ?, NULL, ?, ?, ?, ?, ?, 1)",
                            "iitittittiii", g->first_url + k, g->run, url, (int64_t)(k ? 1 + k % 4 : 0),
                            page ? "page" : "check", bad ? "broken" : "ok", (int64_t)(bad ? 404 : 200),
                            page ? "GET" : "HEAD", page ? "text/html" : "application/pdf",
                            (int64_t)(page ? 6000 + gen_rnd() % 20000 : 0),
                            started + k / 50, (int64_t)(5 + gen_rnd() % 200));
        }
        int64_t site_links = 0;
        for (int k = 0; k < g->pages && !rc; k++) {
            bool list = k < g->lists;
            int c = k % 10;
            int64_t col = g->ncols ? g->cols[(size_t)c % g->ncols] : 0;
            date_fmt(day[k], d);
            if (list)
                snprintf(title, sizeof(title), "%s_示例单位%d", gen_names[c], (int)i + 1);
            else
                snprintf(title, sizeof(title), "关于做好%s第%d项工作的通知", gen_names[c], k);
            snprintf(crumb, sizeof(crumb), "首页>%s", gen_names[c]);
            int tl = snprintf(text, sizeof(text),
                              "%s\n发布时间：%s 来源：示例单位%d\n为进一步做好%s工作，现将有关事项通知如下。"
                              "各单位要切实加强组织领导，确保各项任务按时保质完成。",
                              title, d, (int)i + 1, gen_names[c]);
            int32_t latest = day[k];
            rc = store_exec(db, &e,
                            "INSERT INTO crawl_pages (url_id, run_id, column_id, charset, title, "
                            "breadcrumb, date, date_source, site_name, column_name, article_title, "
                            "pub_date, text_hash, text_len, text, is_list, is_article, items, "
                            "latest, latest_any) VALUES (?, ?, ?, 'utf-8', ?, ?, ?, ?, ?, ?, ?, ?, "
                            "?, ?, ?, ?, ?, ?, ?, ?)",
                            "iiUtttttttttitbbitt", g->first_url + k, g->run, col, title, crumb,
                            list ? NULL : d, list ? NULL : "label", "示例单位", gen_names[c],
                            list ? NULL : title, list ? NULL : d,
                            (snprintf(url2, sizeof(url2), "%016llx",
                                      (unsigned long long)gen_rnd()), url2),
                            (int64_t)tl, text, (int)list, (int)!list,
                            (int64_t)(list ? 20 : 0), list ? d : NULL, list ? d : NULL);
            /* links: the menu (the ten list pages), then other articles, files and other
             * sites; one row per (target, tag) */
            int nl = links < nurls ? links : nurls;
            int64_t seen[1000];
            int ns = 0;
            for (int j = 0; j < nl && !rc; j++) {
                int t = j < 10 && j < g->lists ? j
                        : j % 5 == 4 && g->checks ? g->pages + (int)(gen_rnd() % (uint64_t)g->checks)
                                      : (int)(gen_rnd() % (uint64_t)g->pages);
                int64_t dst = g->first_url + t;
                bool dup = false;
                for (int q = 0; q < ns && !dup; q++)
                    dup = seen[q] == dst;
                if (dup)
                    continue;
                seen[ns++] = dst;
                rc = store_exec(db, &e,
                                "INSERT INTO crawl_links (run_id, src_id, dst_id, tag, text, n) "
                                "VALUES (?, ?, ?, 'a', ?, 1)",
                                "iiit", g->run, g->first_url + k, dst,
                                t < 10 ? gen_names[t % 10] : t < g->pages ? "关于做好有关工作的通知" : "附件");
                site_links++;
            }
            for (int j = 0; list && j < 20 && !rc; j++) {
                int t = g->lists + (int)(gen_rnd() % (uint64_t)(g->pages - g->lists > 0 ? g->pages - g->lists : 1));
                if (t >= g->pages)
                    t = k;
                gen_url(g, t, day[t], url2, sizeof(url2));
                date_fmt(day[t], d);
                rc = store_exec(db, &e,
                                "INSERT INTO crawl_items (page_id, pos, url, title, date, pinned, "
                                "main) VALUES (?, ?, ?, ?, ?, 0, 1)",
                                "iittt", g->first_url + k, (int64_t)j, url2, "关于做好有关工作的通知", d);
                nitems++;
            }
            if (!list && !rc)
                rc = store_exec(db, &e,
                                "INSERT INTO crawl_articles (url_id, run_id, site_id, column_id, "
                                "url, title, date) VALUES (?, ?, ?, ?, ?, ?, ?)",
                                "iiiUttt", g->first_url + k, g->run, g->id, col,
                                (gen_url(g, k, day[k], url2, sizeof(url2)), url2), title, d);
            (void)latest;
        }
        nlinks += site_links;
        if (!rc)
            rc = store_exec(db, &e,
                            "UPDATE crawl_runs SET pages = ?, urls = ?, requests = ?, links = ?, "
                            "broken = ?, bytes = ? WHERE id = ?",
                            "iiiiiii", (int64_t)g->pages, (int64_t)nurls, (int64_t)nurls, site_links,
                            (int64_t)broken, (int64_t)g->pages * 12000, g->run);
        free(day);
        if (i % 200 == 199)
            fprintf(stderr, "testtool: %zu sites\n", i + 1);
    }
    if (!rc && store_kind(db) == STORE_PG)
        rc = store_script(db,
                          "SELECT setval(pg_get_serial_sequence('crawl_urls', 'id'), "
                          "(SELECT MAX(id) FROM crawl_urls));"
                          "SELECT setval(pg_get_serial_sequence('crawl_runs', 'id'), "
                          "(SELECT MAX(id) FROM crawl_runs))",
                          &e);
    if (!rc)
        rc = store_commit(db, &e);
    else
        store_rollback(db);
    if (!rc)
        fprintf(stderr, "testtool: %d pages over %zu sites, %lld links, %lld list items\n", pages,
                nsites, (long long)nlinks, (long long)nitems);
    for (size_t i = 0; i < gs.n; i++) {
        free((char *)gs.v[i].home);
        free(gs.v[i].cols);
    }
    vec_release(&gs);
    store_close(db);
    return rc ? gen_fail("gen-pages", &e) : 0;
}

const struct tt_cmd crawl_cmds[] = {
    { "gen-pages", tt_gen_pages, "DB PAGES [LINKS]" },
    { "extract", tt_extract, "FILE [URL [CHARSET]]" },
    { "extract-bench", tt_extract_bench, "[ROUNDS] < FILE-LIST" },
    { NULL, NULL, NULL },
};
