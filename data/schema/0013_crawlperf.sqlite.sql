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
