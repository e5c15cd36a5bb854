-- 0006_weblog: visits from access logs (src/weblog/weblog.h, docs/weblog.md).
-- Portable SQL (docs/storage.md): BIGINT/TEXT, dates as 'YYYY-MM-DD' TEXT, {{blob}}.

-- One row per site, updated at the start of every ingest: its row lock serialises two
-- ingests of the same site on PostgreSQL (SQLite serialises writers anyway).
CREATE TABLE weblog_sites (
    site_id BIGINT PRIMARY KEY REFERENCES sites(id) ON DELETE CASCADE,
    ingests BIGINT NOT NULL DEFAULT 0,
    last_ingest_at BIGINT
);

-- Every log file read, known by its content: the hash of its first head_len bytes
-- (uncompressed), so a renamed, rotated or gzipped copy is recognised; read_to is the
-- offset in the uncompressed content up to which lines have been counted.
CREATE TABLE weblog_files (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    path TEXT NOT NULL,                   -- where it was last read
    dev BIGINT NOT NULL,                  -- device and inode when last read
    ino BIGINT NOT NULL,
    head_len BIGINT NOT NULL,             -- bytes hashed (up to 1024)
    head_hash BIGINT NOT NULL,            -- wl_hash of them, as a signed 64-bit value
    compressed BIGINT NOT NULL DEFAULT 0, -- last seen gzipped
    format TEXT NOT NULL,                 -- combined | common | main | iis W3C #Fields | a log_format
    read_to BIGINT NOT NULL DEFAULT 0,
    lines BIGINT NOT NULL DEFAULT 0,      -- lines before read_to (bad ones included)
    bad_lines BIGINT NOT NULL DEFAULT 0,
    first_at BIGINT,                      -- first and last entry instants
    last_at BIGINT,
    created_at BIGINT NOT NULL,
    ingested_at BIGINT NOT NULL
);
CREATE INDEX weblog_files_head ON weblog_files(site_id, head_hash);

-- Per site and civil day (in the configured zone).  keys: the day's visitor keys
-- (distinct IP + User-Agent among page views), Rice-coded (src/weblog/wl_int.h);
-- all_keys: the same over every request except 4xx, crawlers included (GoAccess's
-- unique visitors), kept so re-reading part of a day merges exactly.
CREATE TABLE weblog_days (
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    hits BIGINT NOT NULL DEFAULT 0,         -- well-formed lines
    bot_hits BIGINT NOT NULL DEFAULT 0,
    pageviews BIGINT NOT NULL DEFAULT 0,
    visitors BIGINT NOT NULL DEFAULT 0,     -- distinct keys
    all_visitors BIGINT NOT NULL DEFAULT 0, -- distinct all_keys
    bytes BIGINT NOT NULL DEFAULT 0,
    status_4xx BIGINT NOT NULL DEFAULT 0,
    status_5xx BIGINT NOT NULL DEFAULT 0,
    bad_requests BIGINT NOT NULL DEFAULT 0, -- request text not "METHOD URI PROTOCOL"
    keys {{blob}} NOT NULL,
    all_keys {{blob}} NOT NULL,
    PRIMARY KEY (site_id, day)
);

-- Page views and visitors per site, day and column (site_columns.id; 0 = pages in no
-- registered column).  No foreign key because of 0; rows of deleted columns are removed
-- by the next ingest.
CREATE TABLE weblog_column_days (
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    day TEXT NOT NULL,
    column_id BIGINT NOT NULL,
    pageviews BIGINT NOT NULL DEFAULT 0,
    visitors BIGINT NOT NULL DEFAULT 0,
    keys {{blob}} NOT NULL,
    PRIMARY KEY (site_id, day, column_id)
);
