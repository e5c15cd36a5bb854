-- 0011_feed: upstream feeds and their items (政声传递 re-posting), rectification tasks
-- and their rules, and the 民生在线 interview schedule.  Portable SQL (docs/storage.md);
-- docs/feeds.md describes every table.

-- An upstream source: an RSS 2.0 or Atom feed, or an HTML list page.
CREATE TABLE feed_sources (
    id {{id}},
    name TEXT NOT NULL UNIQUE,
    url TEXT NOT NULL,
    kind TEXT NOT NULL DEFAULT 'auto',       -- auto|rss|atom|html
    level TEXT NOT NULL DEFAULT 'national',  -- national|province|city
    window_hours BIGINT NOT NULL DEFAULT 24, -- a re-post later than this is late
    enabled BIGINT NOT NULL DEFAULT 1,
    etag TEXT,                               -- conditional GET validators
    last_modified TEXT,
    pulled_at BIGINT,                        -- last pull attempt
    pull_status TEXT,                        -- ok|not-modified|error
    pull_error TEXT,
    pull_items BIGINT NOT NULL DEFAULT 0,    -- items read by the last pull
    pull_new BIGINT NOT NULL DEFAULT 0,      -- of which new
    pull_bad BIGINT NOT NULL DEFAULT 0,      -- items skipped as bad
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

-- An item of a source, kept from its first sighting.
CREATE TABLE feed_items (
    id {{id}},
    source_id BIGINT NOT NULL REFERENCES feed_sources(id) ON DELETE CASCADE,
    url TEXT NOT NULL,
    title TEXT NOT NULL,
    doc_no TEXT,                             -- 文号 (国发〔2018〕35号), normalised
    published_at BIGINT NOT NULL,            -- from the feed, else the first sighting
    published_known BIGINT NOT NULL DEFAULT 1, -- 0: the feed gave no time
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    UNIQUE (source_id, url)
);
CREATE INDEX feed_items_published ON feed_items(published_at);

-- A rectification task (整改任务) for a unit.
CREATE TABLE tasks (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    site_id BIGINT REFERENCES sites(id) ON DELETE SET NULL,
    description TEXT NOT NULL,
    due TEXT NOT NULL,                       -- YYYY-MM-DD
    state TEXT NOT NULL DEFAULT 'open',      -- open|closed
    rule_id BIGINT,                          -- the rule that created it (NULL: by hand)
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    closed_at BIGINT,
    closed_by TEXT,                          -- a person, or 'auto' when a check resolved it
    close_note TEXT
);
CREATE INDEX tasks_unit ON tasks(unit_id, state);
CREATE INDEX tasks_state_due ON tasks(state, due);

CREATE TABLE task_findings (
    task_id BIGINT NOT NULL REFERENCES tasks(id) ON DELETE CASCADE,
    finding_id BIGINT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    PRIMARY KEY (task_id, finding_id)
);
CREATE INDEX task_findings_finding ON task_findings(finding_id);

-- "Every open finding of kind K older than N days becomes a task due in D working days."
CREATE TABLE task_rules (
    id {{id}},
    kind TEXT NOT NULL,
    min_age_days BIGINT NOT NULL,
    due_days BIGINT NOT NULL,
    enabled BIGINT NOT NULL DEFAULT 1,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    last_swept_at BIGINT
);

-- 民生在线 interviews.
CREATE TABLE interviews (
    id {{id}},
    unit_id BIGINT NOT NULL REFERENCES units(id),
    day TEXT NOT NULL,                       -- YYYY-MM-DD (暂定)
    topic TEXT,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    UNIQUE (unit_id, day)
);
CREATE INDEX interviews_day ON interviews(day);
