-- 0005_cases: work items and their append-only audit log (src/cases/cases.h,
-- docs/cases.md).  Portable SQL (docs/storage.md); the triggers that make case_events
-- append-only are engine-specific and live in 0005_cases.sqlite.sql and 0005_cases.pg.sql.

CREATE TABLE cases (
    id {{id}},
    number TEXT NOT NULL UNIQUE,          -- tracking number: YSQ-2018-0016
    kind TEXT NOT NULL,                   -- disclosure|consultation|complaint|error-report
    unit_id BIGINT NOT NULL REFERENCES units(id),  -- the responsible unit now
    site_id BIGINT REFERENCES sites(id),
    page_url TEXT,                        -- 找错: the page the message is about
    channel TEXT,                         -- online|in-person|post|fax|other
    received_at BIGINT NOT NULL,          -- the confirmed receipt (UTC seconds)
    subject TEXT,
    content TEXT,
    requester TEXT,                       -- personal data: shown only to those allowed
    contact TEXT,                         -- personal data
    requester_type TEXT,                  -- person|business|research|public-interest|legal-service|other-org
    rule TEXT NOT NULL,                   -- the deadline rule (cal.h), fixed at receipt
    reply TEXT,
    reply_public BIGINT NOT NULL DEFAULT 0,
    -- The replay of the events at "now" (cases.h); rewritten on every event.
    status TEXT NOT NULL,
    due_at BIGINT,                        -- NULL while the clock is stopped
    replied_at BIGINT,                    -- the reply judged against the due time
    closed_at BIGINT,
    outcome TEXT,
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL
);
CREATE INDEX cases_kind_received ON cases(kind, received_at);
CREATE INDEX cases_unit ON cases(unit_id, received_at);
CREATE INDEX cases_site ON cases(site_id, received_at);
CREATE INDEX cases_open ON cases(closed_at, due_at);

-- The audit log: one row per event, append-only (the triggers below refuse UPDATE and
-- DELETE).  There is no ON DELETE CASCADE, so an item with events cannot be deleted.
CREATE TABLE case_events (
    id {{id}},
    case_id BIGINT NOT NULL REFERENCES cases(id),
    seq BIGINT NOT NULL,                  -- 1, 2, ... per item
    type TEXT NOT NULL,                   -- the transition: receive, assign, answer, ...
    at BIGINT NOT NULL,                   -- when it happened
    recorded_at BIGINT NOT NULL,          -- when it was written
    actor TEXT NOT NULL,
    from_status TEXT,                     -- NULL for receive
    to_status TEXT NOT NULL,
    days BIGINT,                          -- extend: working days
    outcome TEXT,
    unit_id BIGINT REFERENCES units(id),  -- receive/assign/edit: the unit
    note TEXT,
    payload TEXT,                         -- a JSON object (provenance, changed fields)
    UNIQUE (case_id, seq)
);
CREATE INDEX case_events_at ON case_events(at);

-- Generated tracking numbers: the last number used per prefix and year.
CREATE TABLE case_counters (
    prefix TEXT NOT NULL,
    year BIGINT NOT NULL,
    last BIGINT NOT NULL,
    PRIMARY KEY (prefix, year)
);
