-- 0003_crawl: crawl runs, the URLs each run met (its frontier and the link results),
-- pages with what was extracted from them, list items, links and articles.
-- Portable SQL (docs/storage.md).  docs/crawl.md describes every column.

-- One crawl of one site.  A run that is not 'complete' can be resumed (--resume): its
-- frontier is the crawl_urls rows still 'queued'.
CREATE TABLE crawl_runs (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    state TEXT NOT NULL DEFAULT 'running', -- running|complete|interrupted|failed
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    resumed BIGINT NOT NULL DEFAULT 0,     -- times resumed
    pid BIGINT,                            -- process running it (to refuse a double resume)
    host TEXT,                             -- machine running it
    start_url TEXT NOT NULL,
    max_pages BIGINT NOT NULL,
    max_depth BIGINT NOT NULL,
    per_host BIGINT NOT NULL,
    rate {{real}} NOT NULL,                -- requests per second per host, 0 = unlimited
    robots TEXT,                           -- honoured|ignored|unreachable|absent
    pages BIGINT NOT NULL DEFAULT 0,       -- HTML pages parsed (in scope)
    urls BIGINT NOT NULL DEFAULT 0,        -- distinct URLs met
    requests BIGINT NOT NULL DEFAULT 0,    -- HTTP requests made (retries and hops included)
    links BIGINT NOT NULL DEFAULT 0,       -- link rows stored
    broken BIGINT NOT NULL DEFAULT 0,      -- URLs whose result is broken/dns/timeout/error
    waf BIGINT NOT NULL DEFAULT 0,         -- URLs behind a firewall or bot wall
    errors BIGINT NOT NULL DEFAULT 0,      -- network errors of any URL
    bytes BIGINT NOT NULL DEFAULT 0,       -- body bytes received
    limited BIGINT NOT NULL DEFAULT 0,     -- 1 when max_pages stopped it
    note TEXT                              -- why it failed or was cut short
);
CREATE INDEX crawl_runs_site ON crawl_runs(site_id, id);

-- Every distinct URL a run met: the frontier while 'queued', then the fetch result.
CREATE TABLE crawl_urls (
    id {{id}},
    run_id BIGINT NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
    url TEXT NOT NULL,                     -- normalised (core/url.h)
    depth BIGINT NOT NULL,
    scope TEXT NOT NULL,                   -- page (crawled) | check (checked only)
    state TEXT NOT NULL DEFAULT 'queued',  -- queued|done
    result TEXT,                           -- ok|broken|waf|dns|timeout|error|robots|trap|unchecked
    status BIGINT,                         -- final HTTP status, NULL when none
    error TEXT,                            -- short reason: dns|timeout|connect|tls|redirect-loop|...
    detail TEXT,                           -- the library's message, or why it was skipped
    method TEXT,                           -- GET|HEAD
    final_url TEXT,                        -- after redirects (NULL when none)
    redirects TEXT,                        -- JSON array of hops [{"status":301,"url":"..."}]
    content_type TEXT,
    size BIGINT,                           -- body bytes received (decoded)
    truncated BIGINT NOT NULL DEFAULT 0,   -- 1 when the body passed the cap and was cut
    etag TEXT,
    last_modified TEXT,
    fetched_at BIGINT,
    elapsed_ms BIGINT,
    attempts BIGINT,
    UNIQUE (run_id, url)
);

-- An HTML page that was parsed (or unchanged since the previous run: not_modified = 1).
CREATE TABLE crawl_pages (
    url_id BIGINT PRIMARY KEY REFERENCES crawl_urls(id) ON DELETE CASCADE,
    run_id BIGINT NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
    column_id BIGINT REFERENCES site_columns(id) ON DELETE SET NULL,
    charset TEXT,                          -- used to decode
    charset_declared TEXT,                 -- header or meta, NULL when none
    charset_mismatch BIGINT NOT NULL DEFAULT 0,
    invalid_bytes BIGINT NOT NULL DEFAULT 0,
    title TEXT,
    canonical TEXT,
    breadcrumb TEXT,                       -- 首页>政务公开>通知公告
    date TEXT,                             -- publication date YYYY-MM-DD
    date_source TEXT,                      -- label|meta|url|text
    site_name TEXT,                        -- the 47号 meta tags
    site_code TEXT,
    column_name TEXT,
    article_title TEXT,
    pub_date TEXT,
    content_source TEXT,
    text_hash TEXT,                        -- 16 hex digits over the whole visible text
    text_len BIGINT NOT NULL DEFAULT 0,    -- bytes of the whole visible text
    text TEXT,                             -- visible text, capped ([crawl] text_cap)
    is_list BIGINT NOT NULL DEFAULT 0,
    is_article BIGINT NOT NULL DEFAULT 0,
    items BIGINT NOT NULL DEFAULT 0,       -- dated items in the main list
    latest TEXT,                           -- latest date in the main list
    latest_any TEXT,                       -- latest dated item anywhere on the page
    next_page TEXT,                        -- pagination: the next list page
    not_modified BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX crawl_pages_run ON crawl_pages(run_id);
CREATE INDEX crawl_pages_column ON crawl_pages(column_id);

-- Dated link items of list pages (main = 1: the page's main list).
CREATE TABLE crawl_items (
    page_id BIGINT NOT NULL REFERENCES crawl_pages(url_id) ON DELETE CASCADE,
    pos BIGINT NOT NULL,
    url TEXT NOT NULL,
    title TEXT,
    date TEXT NOT NULL,
    pinned BIGINT NOT NULL DEFAULT 0,      -- 置顶
    main BIGINT NOT NULL DEFAULT 1,
    PRIMARY KEY (page_id, pos)
);

-- Links from a page: one row per (source, target, tag); n counts repeats.  There are
-- many (a 20,000-page site has half a million), so the table has no foreign keys and
-- one index, by run and source: rows are deleted with their run by govsite (writer.c),
-- and look-ups by target scan the run's rows.
CREATE TABLE crawl_links (
    run_id BIGINT NOT NULL,
    src_id BIGINT NOT NULL,                -- crawl_urls.id of the page
    dst_id BIGINT NOT NULL,                -- crawl_urls.id of the target
    tag TEXT NOT NULL,                     -- a|area|iframe|frame|img|script|link|source|embed|meta
    text TEXT,                             -- anchor text (or alt), capped
    n BIGINT NOT NULL DEFAULT 1
);
CREATE INDEX crawl_links_run ON crawl_links(run_id, src_id);

-- Articles: pages with a publication date that are not list pages.
CREATE TABLE crawl_articles (
    url_id BIGINT PRIMARY KEY REFERENCES crawl_urls(id) ON DELETE CASCADE,
    run_id BIGINT NOT NULL REFERENCES crawl_runs(id) ON DELETE CASCADE,
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    column_id BIGINT REFERENCES site_columns(id) ON DELETE SET NULL,
    url TEXT NOT NULL,
    title TEXT,
    date TEXT NOT NULL
);
CREATE INDEX crawl_articles_run ON crawl_articles(run_id, date);
