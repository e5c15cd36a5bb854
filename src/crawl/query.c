/* query.c - reading crawl results back (crawl.h: crawl_latest_run, crawl_*_each). */
#include <stdio.h>
#include <string.h>

#include "core/url.h"
#include "crawl/crawl.h"

enum rc crawl_latest_run(struct store *db, int64_t site_id, int64_t *run_id, struct err *err)
{
    *run_id = 0;
    struct stmt *st = store_q(db, "SELECT MAX(id) FROM crawl_runs WHERE site_id = ?", "i", site_id);
    if (stmt_next(st))
        *run_id = stmt_int(st, 0);
    enum rc rc = stmt_done(st, err);
    if (rc)
        return rc;
    if (!*run_id) {
        struct stmt *s2 = store_q(db, "SELECT name FROM sites WHERE id = ?", "i", site_id);
        char name[256] = "?";
        if (stmt_next(s2))
            snprintf(name, sizeof(name), "%s", stmt_str(s2, 0));
        stmt_done(s2, NULL);
        return err_set(err, RC_NOTFOUND, "site '%s' has not been crawled yet; run 'govsite crawl %s'",
                       name, name);
    }
    return RC_OK;
}

enum rc crawl_links_each(struct store *db, int64_t run_id, unsigned flags,
                         void (*fn)(const struct crawl_link_row *r, void *ctx), void *ctx,
                         struct err *err)
{
    char host[256] = "";
    struct stmt *st = store_q(db, "SELECT start_url FROM crawl_runs WHERE id = ?", "i", run_id);
    if (stmt_next(st))
        url_host(stmt_str(st, 0), host, sizeof(host));
    enum rc rc = stmt_done(st, err);
    if (rc)
        return rc;
    st = store_q(db,
                 (flags & CRAWL_LINKS_BROKEN)
                     ? "SELECT s.url, d.url, l.tag, l.text, l.n, d.result, d.status, d.error, "
                       "d.detail, d.final_url, d.redirects FROM crawl_links l JOIN crawl_urls s ON "
                       "s.id = l.src_id JOIN crawl_urls d ON d.id = l.dst_id WHERE l.run_id = ? AND "
                       "d.result IN ('broken', 'dns', 'timeout', 'error') ORDER BY s.url, d.url, "
                       "l.tag"
                     : "SELECT s.url, d.url, l.tag, l.text, l.n, d.result, d.status, d.error, "
                       "d.detail, d.final_url, d.redirects FROM crawl_links l JOIN crawl_urls s ON "
                       "s.id = l.src_id JOIN crawl_urls d ON d.id = l.dst_id WHERE l.run_id = ? "
                       "ORDER BY s.url, d.url, l.tag",
                 "i", run_id);
    while (stmt_next(st)) {
        struct crawl_link_row r = {
            .source = stmt_str(st, 0),
            .target = stmt_str(st, 1),
            .tag = stmt_str(st, 2),
            .text = stmt_text(st, 3),
            .n = stmt_int(st, 4),
            .result = stmt_text(st, 5) ? stmt_text(st, 5) : "unchecked",
            .status = (int)stmt_int(st, 6),
            .error = stmt_text(st, 7),
            .detail = stmt_text(st, 8),
            .final_url = stmt_text(st, 9),
            .redirects = stmt_text(st, 10),
        };
        char h[256];
        r.internal = url_host(r.target, h, sizeof(h)) && !strcmp(h, host);
        fn(&r, ctx);
    }
    return stmt_done(st, err);
}

enum rc crawl_pages_each(struct store *db, int64_t run_id,
                         void (*fn)(const struct crawl_page_row *r, void *ctx), void *ctx,
                         struct err *err)
{
    struct stmt *st = store_q(
        db,
        "SELECT u.url, u.final_url, u.status, u.content_type, p.charset, p.title, p.date, "
        "p.breadcrumb, c.path, p.is_list, p.is_article, p.items, p.latest, u.size, u.truncated, "
        "p.not_modified FROM crawl_pages p JOIN crawl_urls u ON u.id = p.url_id LEFT JOIN "
        "site_columns c ON c.id = p.column_id WHERE p.run_id = ? ORDER BY u.url",
        "i", run_id);
    while (stmt_next(st)) {
        struct crawl_page_row r = {
            .url = stmt_str(st, 0),
            .final_url = stmt_text(st, 1),
            .status = (int)stmt_int(st, 2),
            .content_type = stmt_text(st, 3),
            .charset = stmt_text(st, 4),
            .title = stmt_text(st, 5),
            .date = stmt_text(st, 6),
            .breadcrumb = stmt_text(st, 7),
            .column = stmt_text(st, 8),
            .is_list = stmt_int(st, 9) != 0,
            .is_article = stmt_int(st, 10) != 0,
            .items = stmt_int(st, 11),
            .latest = stmt_text(st, 12),
            .size = stmt_int(st, 13),
            .truncated = stmt_int(st, 14) != 0,
            .not_modified = stmt_int(st, 15) != 0,
        };
        fn(&r, ctx);
    }
    return stmt_done(st, err);
}
