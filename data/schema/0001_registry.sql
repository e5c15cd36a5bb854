-- 0001_registry: units (单位), sites (网站), columns (栏目) and their list-page URLs.
-- Portable SQL (docs/storage.md): BIGINT/TEXT, {{id}} for the key, dates as TEXT.

CREATE TABLE units (
    id {{id}},
    name TEXT NOT NULL UNIQUE,            -- full name, the natural key
    short_name TEXT UNIQUE,               -- 市人社局
    kind TEXT NOT NULL,                   -- office|district|department|agency|other
    parent_id BIGINT REFERENCES units(id),
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE sites (
    id {{id}},
    name TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL UNIQUE,             -- home URL, normalised
    host TEXT NOT NULL,                   -- lower-case host of url
    code TEXT UNIQUE,                     -- 政府网站标识码
    unit_id BIGINT REFERENCES units(id),
    type TEXT NOT NULL DEFAULT '部门网站', -- 门户网站|部门网站
    status TEXT NOT NULL DEFAULT '正常运行', -- 正常运行|临时关停|已关停|已迁移
    icp TEXT,                             -- ICP备案号
    psb TEXT,                             -- 公安机关备案号
    owned BIGINT NOT NULL DEFAULT 0,      -- the office runs it: may override robots.txt
    crawl_schedule TEXT,                  -- e.g. 'daily 02:00' (NULL = default)
    max_pages BIGINT,                     -- crawl limits (NULL = defaults)
    max_depth BIGINT,
    per_host BIGINT,
    rate DOUBLE PRECISION,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX sites_unit ON sites(unit_id);

CREATE TABLE site_columns (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    path TEXT NOT NULL,                   -- 民生>主题服务>交通服务
    name TEXT NOT NULL,                   -- last element of path
    unit_id BIGINT REFERENCES units(id),  -- responsible unit
    class TEXT NOT NULL,                  -- 动态要闻|通知公告|... (reg.h)
    freshness_days BIGINT,                -- NULL = the class default
    required_items TEXT,                  -- 床位数|床位;医护人员数|医护人员
    state TEXT NOT NULL DEFAULT 'registered', -- registered|proposed|rejected
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (site_id, path)
);
CREATE INDEX site_columns_unit ON site_columns(unit_id);

CREATE TABLE column_urls (
    column_id BIGINT NOT NULL REFERENCES site_columns(id) ON DELETE CASCADE,
    url TEXT NOT NULL,                    -- normalised list-page URL
    PRIMARY KEY (column_id, url)
);
CREATE INDEX column_urls_url ON column_urls(url);
