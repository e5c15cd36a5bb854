-- 0004_checks: findings and their history, check sessions, column exemptions, the
-- wording dictionary's database entries, availability probes and stored verdicts.
-- Portable SQL (docs/storage.md).  src/checks/check.h documents the life of a finding.

CREATE TABLE check_sessions (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    column_id BIGINT REFERENCES site_columns(id) ON DELETE CASCADE, -- scope; NULL = site
    kinds TEXT NOT NULL,                  -- comma-separated, as given
    complete BIGINT NOT NULL,             -- 1: may resolve what it did not see
    source TEXT,                          -- 'crawl 12', 'probe', ...
    state TEXT NOT NULL,                  -- running|done|aborted|superseded
    started_at BIGINT NOT NULL,
    ended_at BIGINT,
    reported BIGINT NOT NULL DEFAULT 0,
    opened BIGINT NOT NULL DEFAULT 0,
    reopened BIGINT NOT NULL DEFAULT 0,
    resolved BIGINT NOT NULL DEFAULT 0
);
CREATE INDEX check_sessions_site ON check_sessions(site_id, state);

CREATE TABLE check_session_kinds (
    session_id BIGINT NOT NULL REFERENCES check_sessions(id) ON DELETE CASCADE,
    kind TEXT NOT NULL,
    PRIMARY KEY (session_id, kind)
);

CREATE TABLE findings (
    id {{id}},
    fingerprint TEXT NOT NULL UNIQUE,     -- check_fingerprint(kind, site, column, url, subject)
    kind TEXT NOT NULL,                   -- check_kinds[] key
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    column_id BIGINT REFERENCES site_columns(id) ON DELETE SET NULL,
    unit_id BIGINT REFERENCES units(id) ON DELETE SET NULL,  -- responsible unit
    url TEXT,                             -- page where it was seen
    subject TEXT NOT NULL,                -- URL, word or item
    severity BIGINT NOT NULL,             -- 1 notice, 2 normal, 3 serious
    value BIGINT,                         -- measured quantity (days, count, ‰)
    evidence TEXT NOT NULL,               -- JSON object, latest sighting
    summary TEXT NOT NULL,                -- short Chinese sentence
    state TEXT NOT NULL,                  -- open|resolved|dismissed
    first_seen BIGINT NOT NULL,
    last_seen BIGINT NOT NULL,
    resolved_at BIGINT,
    dismissed_at BIGINT,
    dismissed_by TEXT,
    dismiss_reason TEXT,
    seen_dismissed_at BIGINT,             -- last seen by a check while dismissed
    last_session_id BIGINT                -- the session that saw it last
);
CREATE INDEX findings_site ON findings(site_id, kind, state);
CREATE INDEX findings_unit ON findings(unit_id, state);
CREATE INDEX findings_column ON findings(column_id);

CREATE TABLE finding_events (
    id {{id}},
    finding_id BIGINT NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,
    event TEXT NOT NULL,                  -- opened|reopened|resolved|dismissed|restored|seen-dismissed
    state TEXT NOT NULL,                  -- state after the event
    session_id BIGINT,
    by_user TEXT,
    reason TEXT,
    evidence TEXT                         -- the evidence at that moment (sightings)
);
CREATE INDEX finding_events_finding ON finding_events(finding_id, at);

CREATE TABLE column_exemptions (
    id {{id}},
    column_id BIGINT NOT NULL REFERENCES site_columns(id) ON DELETE CASCADE,
    reason TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    valid_from TEXT NOT NULL,             -- YYYY-MM-DD
    valid_until TEXT NOT NULL,            -- YYYY-MM-DD, inclusive
    created_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_on TEXT,                      -- civil date of revoked_at: out of force from then
    revoked_by TEXT
);
CREATE INDEX column_exemptions_column ON column_exemptions(column_id, valid_until);

CREATE TABLE wording_entries (
    id {{id}},
    wrong TEXT NOT NULL UNIQUE,
    right_forms TEXT,                     -- '|'-separated; NULL for a disabling row
    allow_forms TEXT,                     -- longer correct forms containing wrong
    valid_from TEXT,                      -- YYYY-MM-DD or NULL
    valid_until TEXT,
    severity BIGINT NOT NULL DEFAULT 2,
    category TEXT,
    note TEXT,
    disabled BIGINT NOT NULL DEFAULT 0,   -- 1: switch off this wrong form from the files
    created_by TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);

CREATE TABLE probes (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    at BIGINT NOT NULL,                   -- start of the request (UTC seconds)
    day TEXT NOT NULL,                    -- civil date of `at` in the configured zone
    url TEXT NOT NULL,
    http_status BIGINT NOT NULL,          -- final status after redirects; 0 = no response
    total_ms BIGINT NOT NULL,
    error TEXT,                           -- transport error, NULL when a response came
    outcome TEXT NOT NULL,                -- ok|slow|failed
    threshold_ms BIGINT NOT NULL
);
CREATE INDEX probes_site_day ON probes(site_id, day);

CREATE TABLE verdicts (
    id {{id}},
    site_id BIGINT NOT NULL REFERENCES sites(id) ON DELETE CASCADE,
    check_date TEXT NOT NULL,             -- YYYY-MM-DD (as of)
    verdict TEXT NOT NULL,                -- 合格|不合格
    score {{real}} NOT NULL,
    score_confirmed {{real}} NOT NULL,
    vetoes TEXT NOT NULL,                 -- JSON array
    deductions TEXT NOT NULL,             -- JSON array
    facts TEXT NOT NULL,                  -- JSON object
    profile TEXT NOT NULL,
    computed_at BIGINT NOT NULL,
    UNIQUE (site_id, check_date)
);
