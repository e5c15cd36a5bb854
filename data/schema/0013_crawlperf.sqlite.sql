-- 0013_crawlperf (SQLite): crawl_links becomes one clustered B-tree.
--
-- A 20,000-page site has half a million link rows.  As a rowid table with an index by
-- (run_id, src_id) every row was written twice (the table and the index); keyed by what
-- makes a row unique — the page, the target and the tag (the crawler groups repeats into
-- `n`) — and WITHOUT ROWID, the rows are the index: the same look-ups (a run's links, a
-- page's links) in one B-tree, a third less space and far fewer page writes per crawl.
-- Existing rows are copied (repeats, which the crawler never wrote, are summed).
CREATE TABLE crawl_links_new (
    run_id BIGINT NOT NULL,
    src_id BIGINT NOT NULL,                -- crawl_urls.id of the page
    dst_id BIGINT NOT NULL,                -- crawl_urls.id of the target
    tag TEXT NOT NULL,                     -- a|area|iframe|frame|img|script|link|source|embed|meta
    text TEXT,                             -- anchor text (or alt), capped
    n BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (run_id, src_id, dst_id, tag)
) WITHOUT ROWID;
INSERT INTO crawl_links_new (run_id, src_id, dst_id, tag, text, n)
    SELECT run_id, src_id, dst_id, tag, MAX(text), SUM(n) FROM crawl_links
    GROUP BY run_id, src_id, dst_id, tag;
DROP TABLE crawl_links;
ALTER TABLE crawl_links_new RENAME TO crawl_links;

-- Articles: `url_id BIGINT PRIMARY KEY` is not SQLite's rowid, so every row went into the
-- table and into a separate unique index on url_id.  INTEGER PRIMARY KEY makes url_id the
-- rowid: one B-tree less per article.  Nothing references this table.
CREATE TABLE crawl_articles_new (
    url_id INTEGER PRIMARY KEY REFERENCES crawl_urls(id) ON DELETE CASCADE,
    run_id BIGINT NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    column_id BIGINT REFERENCES site_columns(id) ON DELETE SET NULL,
    url TEXT NOT NULL,
    title TEXT,
    date TEXT NOT NULL
);
INSERT INTO crawl_articles_new (url_id, run_id, site_id, column_id, url, title, date)
    SELECT url_id, run_id, site_id, column_id, url, title, date FROM crawl_articles;
DROP TABLE crawl_articles;
ALTER TABLE crawl_articles_new RENAME TO crawl_articles;
CREATE INDEX crawl_articles_run ON crawl_articles(run_id, date);

-- List items: keyed by (page_id, pos), WITHOUT ROWID (the key was a second B-tree).
-- Nothing references this table.
CREATE TABLE crawl_items_new (
    page_id BIGINT NOT NULL REFERENCES crawl_pages(url_id) ON DELETE CASCADE,
    pos BIGINT NOT NULL,
    url TEXT NOT NULL,
    title TEXT,
    date TEXT NOT NULL,
    pinned BIGINT NOT NULL DEFAULT 0,      -- 置顶
    main BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (page_id, pos)
) WITHOUT ROWID;
INSERT INTO crawl_items_new (page_id, pos, url, title, date, pinned, main)
    SELECT page_id, pos, url, title, date, pinned, main FROM crawl_items;
DROP TABLE crawl_items;
ALTER TABLE crawl_items_new RENAME TO crawl_items;
