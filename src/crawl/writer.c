/* writer.c - the storage thread of a crawl (crawl_int.h).
 *
 * It owns the database connection while the crawl runs.  Messages are applied in the
 * order the engine sent them, a batch per transaction: each message is whole inside one
 * transaction (a page, its items, links, article and its URL's state together), so a
 * crawl killed at any moment leaves a database a resume can continue from.
 */
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/date.h"
#include "core/log.h"
#include "core/xalloc.h"
#include "crawl/crawl_int.h"
#include "store/store.h"

void page_result_free(struct page_result *pr)
{
    if (!pr)
        return;
    arena_release(&pr->a);
    free(pr->plinks);
    free(pr);
}

struct page_result *page_result_get(struct queue *q)
{
    struct qnode *x = q ? queue_try_pop(q) : NULL;
    if (!x)
        return xcalloc(1, sizeof(struct page_result));
    struct page_result *pr = (struct page_result *)x;
    struct arena a = pr->a;
    struct page_link *pl = pr->plinks;
    size_t cap = pr->plinks_cap;
    arena_reset(&a);
    memset(pr, 0, sizeof(*pr));
    pr->a = a;
    pr->plinks = pl;
    pr->plinks_cap = cap;
    return pr;
}

/* Done with a page: back to the parsers, or freed. */
static void page_done(struct writer *w, struct page_result *pr)
{
    if (w->recycle && queue_len(w->recycle) < 64)
        queue_push(w->recycle, &pr->q);
    else
        page_result_free(pr);
}

static void ckpt_kick(struct writer *w);

static void msg_free(struct wmsg *m)
{
    if (m->embedded)
        return;
    free(m->st);
    free(m->note);
    free(m);
}

/* "INSERT ... VALUES (?, ...), (?, ...) TAIL" for k rows, built once per k. */
static const char *multi_sql(char **cache, size_t k, const char *head, int cols, const char *tail)
{
    if (!cache[k]) {
        struct buf b = BUF_INIT;
        buf_adds(&b, head);
        for (size_t i = 0; i < k; i++) {
            buf_adds(&b, i ? ", (" : " (");
            for (int c = 0; c < cols; c++)
                buf_adds(&b, c ? ", ?" : "?");
            buf_addc(&b, ')');
        }
        buf_adds(&b, tail);
        cache[k] = buf_take(&b);
    }
    return cache[k];
}

/* New URLs, many per statement; RETURNING gives each its id. */
static enum rc urls_new(struct writer *w, struct uent **v, size_t n, struct err *err)
{
    const char *sql = multi_sql(w->sql_urls, n, "INSERT INTO crawl_urls (run_id, url, depth, scope) VALUES", 4,
                                " ON CONFLICT (run_id, url) DO UPDATE SET depth = crawl_urls.depth "
                                "RETURNING id, run_id, url");
    struct stmt *st = store_sql(w->db, sql);
    for (size_t i = 0; i < n; i++) {
        stmt_bind_int(st, (int)i * 4 + 1, v[i]->run->id);
        stmt_bind_text(st, (int)i * 4 + 2, v[i]->url);
        stmt_bind_int(st, (int)i * 4 + 3, v[i]->depth);
        stmt_bind_text(st, (int)i * 4 + 4, v[i]->scope == SCOPE_PAGE ? "page" : "check");
    }
    size_t next = 0;
    while (stmt_next(st)) {
        int64_t id = stmt_int(st, 0), run = stmt_int(st, 1);
        const char *url = stmt_str(st, 2);
        /* rows come back in order in practice; search when they do not */
        size_t k = next < n && v[next]->run->id == run && !strcmp(v[next]->url, url) ? next : n;
        for (size_t j = 0; k == n && j < n; j++)
            if (v[j]->run->id == run && !strcmp(v[j]->url, url))
                k = j;
        if (k < n) {
            v[k]->db_id = id;
            next = k + 1;
        }
    }
    enum rc rc = stmt_done(st, err);
    for (size_t i = 0; !rc && i < n; i++)
        if (!v[i]->db_id)
            rc = err_set(err, RC_INTERNAL, "crawl: no id came back for URL '%s'", v[i]->url);
    return rc;
}

static const char *hex64(struct arena *a, uint64_t h)
{
    return arena_fmt(a, "%016llx", (unsigned long long)h);
}

/* The first `cap` bytes of s, not splitting a UTF-8 sequence. */
static const char *capped(struct arena *a, const char *s, size_t n, size_t cap)
{
    if (n <= cap)
        return s;
    while (cap > 0 && ((unsigned char)s[cap] & 0xC0) == 0x80)
        cap--;
    return arena_strndup(a, s, cap);
}

static int plink_cmp(const void *a, const void *b)
{
    const struct page_link *x = a, *y = b;
    if (x->dst->db_id != y->dst->db_id)
        return x->dst->db_id < y->dst->db_id ? -1 : 1;
    return strcmp(x->tag, y->tag);
}

/* Multi-row INSERTs of `total` rows, LINK_ROWS a statement: bind_next binds the next
 * row's `cols` values from parameter `first` on. */
static enum rc insert_rows(struct writer *w, char **cache, const char *head, int cols,
                           const char *tail, size_t total,
                           void (*bind_next)(void *ctx, struct stmt *st, int first), void *ctx,
                           struct err *err)
{
    enum rc rc = RC_OK;
    for (size_t i = 0; !rc && i < total; i += LINK_ROWS) {
        size_t k = total - i < LINK_ROWS ? total - i : LINK_ROWS;
        struct stmt *st = store_sql(w->db, multi_sql(cache, k, head, cols, tail));
        for (size_t j = 0; j < k; j++)
            bind_next(ctx, st, (int)j * cols + 1);
        while (stmt_next(st))
            ;
        rc = stmt_done(st, err);
    }
    return rc;
}

/* A walk over the pending messages: message `m`, row `r` of it. */
struct walk {
    struct writer *w;
    size_t m, r;
};

static struct uent *pend_ent(const struct wmsg *m)
{
    return m->kind == W_PAGE ? m->page->ent : m->ent;
}

/* The next pending page (from the walk's message on), or NULL. */
static struct page_result *walk_page(struct walk *k)
{
    for (; k->m < k->w->npend; k->m++, k->r = 0)
        if (k->w->pend[k->m]->kind == W_PAGE)
            return k->w->pend[k->m]->page;
    return NULL;
}

/* The page of the next item (links false) or link row: row k->r of it. */
static struct page_result *walk_row(struct walk *k, bool links)
{
    struct page_result *pr;
    while ((pr = walk_page(k)) && k->r >= (links ? pr->nplinks : pr->p.nitems)) {
        k->m++;
        k->r = 0;
    }
    return pr;
}

/* Finished URLs: "UPDATE crawl_urls SET … WHERE id = ?" for many rows at once, as an
 * INSERT of the existing ids whose conflict updates the row (the insert part never
 * happens: every id has its row since urls_new). */
#define DONE_COLS 21
static void bind_done(void *ctx, struct stmt *st, int first)
{
    struct walk *k = ctx;
    const struct uent *e = pend_ent(k->w->pend[k->m++]);
    stmt_bind_row(st, first, "iitit" "ttUttttttibttTiI", e->db_id, e->run->id, e->url,
                  (int64_t)e->depth, "done",
                  e->scope == SCOPE_PAGE && !e->checked_only ? "page" : "check",
                  result_name(e->result), (int64_t)e->status, e->error, e->detail, e->method,
                  e->final_url, e->redirects, e->content_type, e->size, (int)e->truncated,
                  e->etag, e->last_modified, e->fetched_at, e->elapsed_ms, e->attempts);
}

#define PAGE_COLS 28
static void bind_page(void *ctx, struct stmt *st, int first)
{
    struct walk *k = ctx;
    struct page_result *pr = walk_page(k);
    k->m++;
    const struct uent *e = pr->ent;
    const struct html_page *p = &pr->p;
    char d[11], l[11], la[11];
    if (p->date != DATE_NONE)
        date_fmt(p->date, d);
    if (p->latest != DATE_NONE)
        date_fmt(p->latest, l);
    if (p->latest_any != DATE_NONE)
        date_fmt(p->latest_any, la);
    stmt_bind_row(
        st, first, "iiUttbi" "tttttttttttt" "itbbitttb", e->db_id, e->run->id, pr->column_id,
        pr->cs_used[0] ? pr->cs_used : NULL, pr->cs_declared[0] ? pr->cs_declared : NULL,
        (int)pr->cs.mismatch, (int64_t)pr->cs.invalid, p->title, p->canonical, p->breadcrumb,
        p->date != DATE_NONE ? d : NULL, html_date_src_name(p->date_src), p->site_name,
        p->site_code, p->column_name, p->article_title, p->pub_date, p->content_source,
        hex64(&pr->a, p->text_hash), (int64_t)p->text_len,
        capped(&pr->a, p->text ? p->text : "", p->text_len, k->w->text_cap), (int)p->is_list,
        (int)p->is_article, (int64_t)p->nmain, p->latest != DATE_NONE ? l : NULL,
        p->latest_any != DATE_NONE ? la : NULL, p->next_page, (int)pr->reloaded);
}

static void bind_item(void *ctx, struct stmt *st, int first)
{
    struct walk *k = ctx;
    struct page_result *pr = walk_row(k, false);
    const struct html_item *it = &pr->p.items[k->r];
    char id[11];
    date_fmt(it->day, id);
    stmt_bind_row(st, first, "iitttbb", pr->ent->db_id, (int64_t)k->r, it->url, it->title, id,
                  (int)it->pinned, (int)it->main);
    k->r++;
}

static void bind_link(void *ctx, struct stmt *st, int first)
{
    struct walk *k = ctx;
    struct page_result *pr = walk_row(k, true);
    const struct page_link *pl = &pr->plinks[k->r++];
    if (!pl->dst->db_id)
        BUG("crawl: link target '%s' has no row", pl->dst->url);
    stmt_bind_row(st, first, "iiitti", pr->ent->run->id, pr->ent->db_id, pl->dst->db_id, pl->tag,
                  pl->text, (int64_t)pl->n);
}

static void bind_article(void *ctx, struct stmt *st, int first)
{
    struct walk *k = ctx;
    struct page_result *pr;
    while ((pr = walk_page(k)) && !pr->article)
        k->m++;
    k->m++;
    const struct uent *e = pr->ent;
    const struct html_page *p = &pr->p;
    char d[11] = "";
    if (p->date != DATE_NONE)
        date_fmt(p->date, d);
    stmt_bind_row(st, first, "iiiUttt", e->db_id, e->run->id, e->run->site_id, pr->column_id,
                  e->final_url ? e->final_url : e->url,
                  p->article_title ? p->article_title : p->title, d);
}

/* Store the pending pages and finished URLs: each kind of row in multi-row statements
 * across all of them (a page then costs a fraction of a round trip to PostgreSQL instead
 * of five), in the order a page's rows were stored one page at a time. */
static enum rc flush_rows(struct writer *w, struct err *err)
{
    size_t pages = 0, items = 0, links = 0, arts = 0;
    for (size_t i = 0; i < w->npend; i++) {
        const struct uent *e = pend_ent(w->pend[i]);
        if (!e->db_id)
            return err_set(err, RC_INTERNAL, "crawl: URL '%s' has no row", e->url);
        if (w->pend[i]->kind != W_PAGE)
            continue;
        struct page_result *pr = w->pend[i]->page;
        pages++;
        items += pr->p.nitems;
        links += pr->nplinks;
        arts += pr->article;
        /* links in key order (target, tag): each row goes next to the one before it in
         * the table's B-tree instead of somewhere in the page's range */
        if (pr->nplinks > 1)
            qsort(pr->plinks, pr->nplinks, sizeof(*pr->plinks), plink_cmp);
    }
    const struct {
        char **cache;
        const char *head;
        int cols;
        const char *tail;
        size_t n;
        void (*bind)(void *ctx, struct stmt *st, int first);
    } kinds[] = {
        { w->sql_done,
          "INSERT INTO crawl_urls (id, run_id, url, depth, state, scope, result, status, error, "
          "detail, method, final_url, redirects, content_type, size, truncated, etag, "
          "last_modified, fetched_at, elapsed_ms, attempts) VALUES",
          DONE_COLS,
          " ON CONFLICT (id) DO UPDATE SET state = excluded.state, scope = excluded.scope, "
          "result = excluded.result, status = excluded.status, error = excluded.error, "
          "detail = excluded.detail, method = excluded.method, final_url = excluded.final_url, "
          "redirects = excluded.redirects, content_type = excluded.content_type, "
          "size = excluded.size, truncated = excluded.truncated, etag = excluded.etag, "
          "last_modified = excluded.last_modified, fetched_at = excluded.fetched_at, "
          "elapsed_ms = excluded.elapsed_ms, attempts = excluded.attempts",
          w->npend, bind_done },
        { w->sql_pages,
          "INSERT INTO crawl_pages (url_id, run_id, column_id, charset, charset_declared, "
          "charset_mismatch, invalid_bytes, title, canonical, breadcrumb, date, date_source, "
          "site_name, site_code, column_name, article_title, pub_date, content_source, "
          "text_hash, text_len, text, is_list, is_article, items, latest, latest_any, "
          "next_page, not_modified) VALUES",
          PAGE_COLS, "", pages, bind_page },
        { w->sql_items,
          "INSERT INTO crawl_items (page_id, pos, url, title, date, pinned, main) VALUES", 7, "",
          items, bind_item },
        { w->sql_links, "INSERT INTO crawl_links (run_id, src_id, dst_id, tag, text, n) VALUES",
          6, "", links, bind_link },
        { w->sql_arts,
          "INSERT INTO crawl_articles (url_id, run_id, site_id, column_id, url, title, date) "
          "VALUES",
          7, " ON CONFLICT (url_id) DO NOTHING", arts, bind_article },
    };
    enum rc rc = RC_OK;
    for (size_t i = 0; !rc && i < sizeof(kinds) / sizeof(kinds[0]); i++) {
        struct walk k = { w, 0, 0 };
        rc = insert_rows(w, kinds[i].cache, kinds[i].head, kinds[i].cols, kinds[i].tail,
                         kinds[i].n, kinds[i].bind, &k, err);
    }
    return rc;
}

/* Write the pending rows (unless the writer failed) and release their messages. */
static void flush(struct writer *w, struct err *e)
{
    if (w->npend && !w->failed && flush_rows(w, e) != RC_OK)
        w->failed = 1;
    for (size_t i = 0; i < w->npend; i++) {
        struct wmsg *m = w->pend[i];
        if (m->kind == W_PAGE) {
            /* the message lives inside the page result: nothing of m after this */
            atomic_fetch_sub(&w->pages_in_queue, 1);
            page_done(w, m->page);
        } else {
            msg_free(m);
        }
    }
    w->npend = 0;
}

/* 304 Not Modified: rebuild the page from the previous run's rows. */
static enum rc reload(struct writer *w, struct uent *e, struct err *err)
{
    struct page_result *pr = page_result_get(w->recycle);
    pr->ent = e;
    pr->reloaded = true;
    struct arena *a = &pr->a;
    struct html_page *p = &pr->p;
    p->date = p->latest = p->latest_any = DATE_NONE;
    struct stmt *st = store_q(
        w->db,
        "SELECT charset, charset_declared, title, canonical, breadcrumb, date, date_source, "
        "site_name, site_code, column_name, article_title, pub_date, content_source, text_hash, "
        "text, is_list, is_article, latest, latest_any, next_page, items, text_len "
        "FROM crawl_pages WHERE url_id = ?",
        "i", e->prev_id);
    bool found = false;
    if (stmt_next(st)) {
        found = true;
        snprintf(pr->cs_used, sizeof(pr->cs_used), "%s", stmt_str(st, 0));
        snprintf(pr->cs_declared, sizeof(pr->cs_declared), "%s", stmt_str(st, 1));
#define DUP(i) (stmt_text(st, i) ? arena_strdup(a, stmt_text(st, i)) : NULL)
        p->title = DUP(2);
        p->canonical = DUP(3);
        p->breadcrumb = DUP(4);
        p->date = stmt_date(st, 5);
        const char *src = stmt_str(st, 6);
        for (int k = HTML_DATE_LABEL; k <= HTML_DATE_TEXT; k++)
            if (!strcmp(src, html_date_src_name((enum html_date_src)k)))
                p->date_src = (enum html_date_src)k;
        p->site_name = DUP(7);
        p->site_code = DUP(8);
        p->column_name = DUP(9);
        p->article_title = DUP(10);
        p->pub_date = DUP(11);
        p->content_source = DUP(12);
        p->text_hash = strtoull(stmt_str(st, 13), NULL, 16);
        p->text = DUP(14);
        p->text_len = (size_t)stmt_int(st, 21);
        p->is_list = stmt_int(st, 15) != 0;
        p->is_article = stmt_int(st, 16) != 0;
        p->latest = stmt_date(st, 17);
        p->latest_any = stmt_date(st, 18);
        p->next_page = DUP(19);
        p->nmain = (size_t)stmt_int(st, 20);
#undef DUP
    }
    enum rc rc = stmt_done(st, err);
    if (!rc && found) {
        VEC(struct html_link) links = VEC_INIT;
        st = store_q(w->db,
                     "SELECT u.url, l.tag, l.text, l.n FROM crawl_links l JOIN crawl_urls u ON "
                     "u.id = l.dst_id WHERE l.run_id = (SELECT run_id FROM crawl_urls WHERE id "
                     "= ?) AND l.src_id = ?",
                     "ii", e->prev_id, e->prev_id);
        while (stmt_next(st)) {
            struct html_link l = { 0 };
            l.url = arena_strdup(a, stmt_str(st, 0));
            l.tag = arena_strdup(a, stmt_str(st, 1));
            l.text = stmt_text(st, 2) ? arena_strdup(a, stmt_text(st, 2)) : NULL;
            l.kind = 0;
            int64_t n = stmt_int(st, 3);
            for (int64_t k = 0; k < (n < 1 ? 1 : n > 1000 ? 1000 : n); k++)
                vec_push(&links, l);
        }
        rc = stmt_done(st, err);
        p->links = arena_alloc(a, (links.n ? links.n : 1) * sizeof(*p->links));
        if (links.n)
            memcpy(p->links, links.v, links.n * sizeof(*p->links));
        p->nlinks = links.n;
        vec_release(&links);
        VEC(struct html_item) items = VEC_INIT;
        size_t nmain = 0;
        st = store_q(w->db,
                     "SELECT url, title, date, pinned, main FROM crawl_items WHERE page_id = ? "
                     "ORDER BY pos",
                     "i", e->prev_id);
        while (stmt_next(st)) {
            struct html_item it = { arena_strdup(a, stmt_str(st, 0)),
                                    stmt_text(st, 1) ? arena_strdup(a, stmt_text(st, 1)) : NULL,
                                    stmt_date(st, 2), stmt_int(st, 3) != 0, stmt_int(st, 4) != 0 };
            nmain += it.main;
            vec_push(&items, it);
        }
        if (!rc)
            rc = stmt_done(st, err);
        else
            stmt_done(st, NULL);
        p->items = arena_alloc(a, (items.n ? items.n : 1) * sizeof(*p->items));
        if (items.n)
            memcpy(p->items, items.v, items.n * sizeof(*p->items));
        p->nitems = items.n;
        p->nmain = nmain;
        vec_release(&items);
    }
    if (rc) {
        page_result_free(pr);
        return rc;
    }
    pr->failed_reload = !found;
    queue_push(w->results, &pr->q);
    if (w->wake)
        w->wake(w->wake_ctx);
    return RC_OK;
}

static enum rc run_end(struct writer *w, struct wmsg *m, struct err *err)
{
    struct run *r = m->run;
    int64_t pages = 0, urls = 0, links = 0, broken = 0, waf = 0;
    enum rc rc = store_get_int(w->db, &pages, err,
                               "SELECT COUNT(*) FROM crawl_pages WHERE run_id = ?", "i", r->id);
    if (!rc)
        rc = store_get_int(w->db, &links, err,
                           "SELECT COUNT(*) FROM crawl_links WHERE run_id = ?", "i", r->id);
    if (!rc) {
        struct stmt *st = store_q(w->db,
                                  "SELECT COUNT(*), SUM(CASE WHEN result IN ('broken', 'dns', "
                                  "'timeout', 'error') THEN 1 ELSE 0 END), SUM(CASE WHEN result "
                                  "= 'waf' THEN 1 ELSE 0 END) FROM crawl_urls WHERE run_id = ?",
                                  "i", r->id);
        if (stmt_next(st)) {
            urls = stmt_int(st, 0);
            broken = stmt_int(st, 1);
            waf = stmt_int(st, 2);
        }
        rc = stmt_done(st, err);
    }
    if (rc)
        return rc;
    m->st->pages = pages;
    m->st->urls = urls;
    m->st->links = links;
    m->st->broken = broken;
    m->st->waf = waf;
    rc = store_exec(w->db, err,
                    "UPDATE crawl_runs SET state = ?, finished_at = ?, pages = ?, urls = ?, "
                    "requests = ?, links = ?, broken = ?, waf = ?, errors = ?, bytes = ?, "
                    "limited = ?, note = ?, robots = ? WHERE id = ?",
                    "tTiiiiiiiibtti", m->st->state, clk_now(w->clk), pages, urls, m->st->requests,
                    links, broken, waf, m->st->errors, m->st->bytes, (int)m->st->limited,
                    m->note && *m->note ? m->note : NULL, r->robots_mode, r->id);
    if (rc || strcmp(m->st->state, "complete"))
        return rc;
    /* Keep the newest keep_runs finished runs of the site. */
    VEC(int64_t) old = VEC_INIT;
    struct stmt *st = store_q(w->db,
                              "SELECT id FROM crawl_runs WHERE site_id = ? AND state <> 'running' "
                              "ORDER BY id DESC",
                              "i", r->site_id);
    int k = 0;
    while (stmt_next(st))
        if (++k > w->keep_runs)
            vec_push(&old, stmt_int(st, 0));
    rc = stmt_done(st, err);
    for (size_t i = 0; !rc && i < old.n; i++) {
        rc = store_exec(w->db, err,
                        "DELETE FROM crawl_links WHERE run_id = ?", "i", old.v[i]);
        if (!rc)
            rc = store_exec(w->db, err, "DELETE FROM crawl_runs WHERE id = ?", "i", old.v[i]);
    }
    vec_release(&old);
    return rc;
}


static enum rc handle(struct writer *w, struct wmsg *m, struct err *err)
{
    switch (m->kind) {
    case W_RELOAD:
        return reload(w, m->ent, err);
    case W_RUN_END:
        return run_end(w, m, err);
    case W_URL_NEW:
    case W_URL_DONE:
    case W_PAGE:
        break; /* apply batches these */
    }
    BUG("writer: message kind %d", (int)m->kind);
}

static bool pending(const struct writer *w, const struct uent *e)
{
    for (size_t i = 0; i < w->npend; i++)
        if (pend_ent(w->pend[i]) == e)
            return true;
    return false;
}

/* Apply one batch of messages (inside the open transaction).  Runs of new URLs go in
 * multi-row INSERTs at once (later rows need their ids); stored pages and finished URLs
 * gather (flush_rows) until pend_max of them, another kind of message or the batch's
 * end.  On SQLite pend_max is 1: a statement costs no round trip there, and pages held
 * for a batch cost memory (measured: 14 MiB more peak RSS, no faster). */
static void apply(struct writer *w, struct qnode *list, struct err *e)
{
    struct uent *batch[LINK_ROWS];
    size_t nb = 0;
    for (struct qnode *q = list; q;) {
        struct qnode *next = q->next;
        struct wmsg *m = (struct wmsg *)q;
        if (m->kind == W_URL_NEW) {
            batch[nb++] = m->ent;
            struct wmsg *nm = next ? (struct wmsg *)next : NULL;
            if (!w->failed && (nb == LINK_ROWS || !nm || nm->kind != W_URL_NEW) &&
                urls_new(w, batch, nb, e) != RC_OK)
                w->failed = 1;
            if (nb == LINK_ROWS || !nm || nm->kind != W_URL_NEW)
                nb = 0;
            msg_free(m);
        } else if (m->kind == W_PAGE || m->kind == W_URL_DONE) {
            if (w->npend >= w->pend_max || pending(w, pend_ent(m)))
                flush(w, e);
            w->pend[w->npend++] = m;
        } else {
            flush(w, e);
            if (!w->failed && handle(w, m, e) != RC_OK)
                w->failed = 1;
            msg_free(m);
        }
        q = next;
    }
    flush(w, e);
}

/* Transactions last about TX_MS: SQLite rewrites every B-tree page a transaction
 * touched, so a few large transactions write far less than many small ones.  A crawl
 * killed in between loses at most that much work, which a resume redoes. */
#define TX_MS 1000

static void *writer_main(void *arg)
{
    struct writer *w = arg;
    int64_t commit_ms = 0, busy_ms = 0;
    pthread_setname_np(pthread_self(), "govsite-store");
    for (;;) {
        struct qnode *list = queue_pop(&w->in);
        if (!list)
            break;
        list->next = queue_take_all(&w->in);
        struct err e = { 0 };
        bool tx = false;
        if (!w->failed) {
            if (store_begin(w->db, &e) == RC_OK)
                tx = true;
            else
                w->failed = 1;
        }
        int64_t start = clk_mono_ms();
        bool end = false;
        while (list) {
            size_t n = 0;
            for (struct qnode *q = list; q; q = q->next)
                n++;
            apply(w, list, &e);
            int64_t left = TX_MS - (clk_mono_ms() - start);
            if (left <= 0 || end)
                break;
            /* small batches: let more gather instead of waking for every message */
            if (n < 256) {
                struct timespec ts = { 0, 10 * 1000000L };
                nanosleep(&ts, NULL);
            }
            list = queue_take_all_wait(&w->in, (int)left);
            if (!list && queue_closed(&w->in))
                end = true;
            /* a finished run is committed at once */
            for (struct qnode *q = list; q; q = q->next)
                if (((struct wmsg *)q)->kind == W_RUN_END)
                    end = true;
            if (!list)
                break;
        }
        if (tx) {
            int64_t c0 = clk_mono_ms();
            if (w->failed)
                store_rollback(w->db);
            else if (store_commit(w->db, &e) != RC_OK)
                w->failed = 1;
            else
                ckpt_kick(w);
            commit_ms += clk_mono_ms() - c0;
            busy_ms += clk_mono_ms() - start;
        }
        if (w->failed && !w->err.rc) {
            w->err = e;
            if (w->wake)
                w->wake(w->wake_ctx);
        }
    }
    crawl__log_cpu("storage");
    log_debug("crawl: storage spent %lld ms in transactions, %lld ms committing",
              (long long)busy_ms, (long long)commit_ms);
    return NULL;
}

/* WAL checkpoints (SQLite).  With the default automatic checkpoint the storage thread
 * would copy each committed transaction's pages from the log into the database and fsync
 * it inside its commit, about a fifth of its time, while nothing is stored.  Instead the
 * storage connection does not checkpoint and this thread, on its own connection, runs a
 * PASSIVE checkpoint after each commit: it never blocks the writer, and the log is
 * restarted from its beginning whenever a checkpoint has caught up. */
static void *ckpt_main(void *arg)
{
    struct writer *w = arg;
    pthread_setname_np(pthread_self(), "govsite-ckpt");
    int64_t want = 0;
    pthread_mutex_lock(&w->ckpt_mu);
    for (;;) {
        while (!w->ckpt_stop && w->ckpt_commits == w->ckpt_done)
            pthread_cond_wait(&w->ckpt_cv, &w->ckpt_mu);
        if (w->ckpt_stop)
            break;
        want = w->ckpt_commits;
        pthread_mutex_unlock(&w->ckpt_mu);
        struct err e = { 0 };
        int64_t log = 0;
        struct stmt *st = store_sql(w->ckpt_db, "PRAGMA wal_checkpoint(PASSIVE)");
        if (stmt_next(st)) {
            log = stmt_int(st, 1); /* busy, log frames, frames copied */
        }
        if (stmt_done(st, &e) != RC_OK)
            log_debug("crawl: checkpoint: %s", e.msg);
        pthread_mutex_lock(&w->ckpt_mu);
        w->ckpt_done = want;
        w->ckpt_log = log;
        pthread_cond_broadcast(&w->ckpt_cv);
    }
    pthread_mutex_unlock(&w->ckpt_mu);
    crawl__log_cpu("checkpoint");
    return NULL;
}

static void ckpt_start(struct writer *w)
{
    w->ckpt_db = NULL;
    if (store_kind(w->db) != STORE_SQLITE)
        return;
    struct err e = { 0 };
    if (store_open(store_dsn(w->db), &w->ckpt_db, &e) != RC_OK) {
        log_debug("crawl: no checkpoint connection (%s): the storage thread checkpoints", e.msg);
        w->ckpt_db = NULL;
        return;
    }
    pthread_mutex_init(&w->ckpt_mu, NULL);
    pthread_cond_init(&w->ckpt_cv, NULL);
    w->ckpt_commits = w->ckpt_done = w->ckpt_log = 0;
    w->ckpt_unwaited = 0;
    w->ckpt_stop = false;
    if (pthread_create(&w->ckpt_th, NULL, ckpt_main, w) != 0) {
        pthread_mutex_destroy(&w->ckpt_mu);
        pthread_cond_destroy(&w->ckpt_cv);
        store_close(w->ckpt_db);
        w->ckpt_db = NULL;
        return;
    }
    store_script(w->db, "PRAGMA wal_autocheckpoint = 0", NULL);
}

/* After a commit: start a checkpoint.  A PASSIVE checkpoint that runs while the writer is
 * already in its next transaction cannot let the log start over, so on its own the log
 * would grow for the whole crawl.  Every CKPT_EVERY commits (or when the log passed
 * CKPT_LOG_MAX frames) the writer waits for the checkpoint to finish: its next
 * transaction then rewrites the log from the beginning.  The log stays within a few
 * transactions (about 120 MB for the 20,000-page benchmark site) and the storage thread
 * waits for one checkpoint in CKPT_EVERY instead of every one. */
#define CKPT_EVERY 4
#define CKPT_LOG_MAX 32768 /* frames: 128 MiB of 4 KiB pages */

static void ckpt_kick(struct writer *w)
{
    if (!w->ckpt_db)
        return;
    pthread_mutex_lock(&w->ckpt_mu);
    w->ckpt_commits++;
    pthread_cond_broadcast(&w->ckpt_cv);
    if (++w->ckpt_unwaited >= CKPT_EVERY || w->ckpt_log > CKPT_LOG_MAX) {
        while (!w->ckpt_stop && w->ckpt_done < w->ckpt_commits)
            pthread_cond_wait(&w->ckpt_cv, &w->ckpt_mu);
        w->ckpt_unwaited = 0;
    }
    pthread_mutex_unlock(&w->ckpt_mu);
}

static void ckpt_stop(struct writer *w)
{
    if (!w->ckpt_db)
        return;
    pthread_mutex_lock(&w->ckpt_mu);
    w->ckpt_stop = true;
    pthread_cond_signal(&w->ckpt_cv);
    pthread_mutex_unlock(&w->ckpt_mu);
    pthread_join(w->ckpt_th, NULL);
    pthread_mutex_destroy(&w->ckpt_mu);
    pthread_cond_destroy(&w->ckpt_cv);
    store_close(w->ckpt_db);
    w->ckpt_db = NULL;
    /* back to SQLite's default; the next commit on this connection checkpoints the rest */
    store_script(w->db, "PRAGMA wal_autocheckpoint = 1000", NULL);
}

/* The page cache a crawl's connection keeps: small, since a crawl writes mostly new
 * rows at the ends of its B-trees (measured: 4 MiB writes as fast as 16). */
#define CRAWL_CACHE_KB 4096

enum rc writer_start(struct writer *w, struct err *err)
{
    store_set_cache_kb(w->db, CRAWL_CACHE_KB);
    w->npend = 0;
    w->pend_max = store_kind(w->db) == STORE_PG ? LINK_ROWS : 1;
    ckpt_start(w);
    queue_init(&w->in);
    if (pthread_create(&w->th, NULL, writer_main, w) != 0) {
        queue_destroy(&w->in);
        ckpt_stop(w);
        return err_set(err, RC_INTERNAL, "cannot start the crawl's storage thread");
    }
    return RC_OK;
}

void writer_send(struct writer *w, struct wmsg *m)
{
    if (m->kind == W_PAGE)
        atomic_fetch_add(&w->pages_in_queue, 1);
    queue_push(&w->in, &m->q);
}

enum rc writer_stop(struct writer *w, struct err *err)
{
    queue_close(&w->in);
    pthread_join(w->th, NULL);
    queue_destroy(&w->in);
    ckpt_stop(w);
    store_set_cache_kb(w->db, STORE_CACHE_KB);
    for (size_t k = 0; k <= LINK_ROWS; k++) {
        free(w->sql_links[k]);
        free(w->sql_items[k]);
        free(w->sql_urls[k]);
        free(w->sql_done[k]);
        free(w->sql_pages[k]);
        free(w->sql_arts[k]);
    }
    if (w->err.rc) {
        err_set(err, w->err.rc, "%s", w->err.msg);
        return w->err.rc;
    }
    return RC_OK;
}
