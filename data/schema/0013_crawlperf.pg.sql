-- 0013_crawlperf (PostgreSQL): crawl_links keyed by what makes a row unique — the page,
-- the target and the tag (the crawler groups repeats into `n`) — instead of a separate
-- index by (run_id, src_id): the primary key serves the same look-ups (a run's links, a
-- page's links).  Repeats, which the crawler never wrote, are summed first.
CREATE TABLE crawl_links_new (
    run_id BIGINT NOT NULL,
    src_id BIGINT NOT NULL,                -- crawl_urls.id of the page
    dst_id BIGINT NOT NULL,                -- crawl_urls.id of the target
    tag TEXT NOT NULL,                     -- a|area|iframe|frame|img|script|link|source|embed|meta
    text TEXT,                             -- anchor text (or alt), capped
    n BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (run_id, src_id, dst_id, tag)
);
INSERT INTO crawl_links_new (run_id, src_id, dst_id, tag, text, n)
    SELECT run_id, src_id, dst_id, tag, MAX(text), SUM(n) FROM crawl_links
    GROUP BY run_id, src_id, dst_id, tag;
DROP TABLE crawl_links;
ALTER TABLE crawl_links_new RENAME TO crawl_links;
