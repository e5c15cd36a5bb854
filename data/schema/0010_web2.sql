-- 0010_web2: what the dashboard's lists need to stay fast (docs/web.md, "Lists").
--
-- change_counters: one row per table whose lists the dashboard counts; every write to the
-- table bumps its counter (triggers in 0010_web2.sqlite.sql / 0010_web2.pg.sql), so `serve`
-- keeps list counts, the per-worker calendar and the wording dictionary in memory and
-- reuses them while the counter stays (web_count_cached, web_changes).  Any writer is seen:
-- the CLI, imports, the checks, another `serve`.
--
-- The indexes make each list's default order an index walk for keyset pagination
-- (ORDER BY key, id with WHERE (key, id) > (?, ?)), filtered or not.  Portable SQL.

CREATE TABLE change_counters (
    name TEXT PRIMARY KEY,                -- the table
    n BIGINT NOT NULL                     -- bumped by every INSERT, UPDATE or DELETE
);
INSERT INTO change_counters (name, n) VALUES ('units', 0);
INSERT INTO change_counters (name, n) VALUES ('sites', 0);
INSERT INTO change_counters (name, n) VALUES ('site_columns', 0);
INSERT INTO change_counters (name, n) VALUES ('cases', 0);
INSERT INTO change_counters (name, n) VALUES ('findings', 0);
INSERT INTO change_counters (name, n) VALUES ('calendar_overrides', 0);
INSERT INTO change_counters (name, n) VALUES ('wording_entries', 0);
INSERT INTO change_counters (name, n) VALUES ('column_exemptions', 0);
INSERT INTO change_counters (name, n) VALUES ('verdicts', 0);

-- 办件: newest first, per unit, open ones, by due time (NULL while the clock is stopped
-- sorts last: the constant is the one src/cases/case_page.c uses).
CREATE INDEX cases_received_id ON cases(received_at, id);
CREATE INDEX cases_unit_received_id ON cases(unit_id, received_at, id);
CREATE INDEX cases_kind_received_id ON cases(kind, received_at, id);
CREATE INDEX cases_open_received_id ON cases(received_at, id) WHERE closed_at IS NULL;
CREATE INDEX cases_due_id ON cases((COALESCE(due_at, 4611686018427387904)), id);
CREATE INDEX cases_open_due_id ON cases((COALESCE(due_at, 4611686018427387904)), id) WHERE closed_at IS NULL;
CREATE INDEX cases_number_id ON cases(number, id);
-- (closed_at, due_at) is superseded by the two partial indexes on open items; left in
-- place it made SQLite's planner take it and sort every open item for a page of 50.
DROP INDEX cases_open;

-- 问题: by state, newest first; per unit and per site; by last sighting and severity.
CREATE INDEX findings_state_id ON findings(state, id);
CREATE INDEX findings_unit_state_id ON findings(unit_id, state, id);
CREATE INDEX findings_site_state_id ON findings(site_id, state, id);
CREATE INDEX findings_state_seen_id ON findings(state, last_seen, id);
CREATE INDEX findings_state_sev_id ON findings(state, severity, id);
