-- 0008_checks2: what the crawl-based checks add (src/checks/sitecheck.h, pub.h):
-- retired domains and URL prefixes, and publication records (crawl and CMS exports).
-- Portable SQL (docs/storage.md).  docs/checks.md describes each column.

-- Links to these are reported as link-retired (a province's old online service hall).
-- An entry is a host ("www.gdbs.gov.cn": that host and its subdomains) or a URL prefix
-- ("http://www.example.gov.cn/old/").  The [checks] retired setting adds more.
CREATE TABLE retired_targets (
    id {{id}},
    target TEXT NOT NULL UNIQUE,           -- normalised host or URL prefix
    note TEXT,                             -- what it was, what replaced it
    created_by TEXT,
    created_at BIGINT NOT NULL
);

-- One published item per URL: from the crawl (source 'crawl': article date × the
-- column's unit) or from a CMS export (source 'cms', which wins: merged by URL).
CREATE TABLE publications (
    url TEXT PRIMARY KEY,                  -- normalised
    site_id BIGINT REFERENCES sites(id) ON DELETE CASCADE,
    column_id BIGINT REFERENCES site_columns(id) ON DELETE SET NULL,
    unit_id BIGINT REFERENCES units(id) ON DELETE SET NULL,
    title TEXT,
    published TEXT NOT NULL,               -- YYYY-MM-DD
    published_time TEXT,                   -- HH:MM when the export gave it
    month TEXT NOT NULL,                   -- YYYY-MM (indexed for the monthly counts)
    source TEXT NOT NULL,                  -- crawl|cms
    run_id BIGINT,                         -- the crawl run that saw it (source crawl)
    updated_at BIGINT NOT NULL
);
CREATE INDEX publications_month ON publications(month, unit_id);
CREATE INDEX publications_site ON publications(site_id, source);
