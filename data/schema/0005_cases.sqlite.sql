-- 0005_cases (SQLite): refuse UPDATE and DELETE on the audit log (applied after
-- 0005_cases.sql in the same transaction).

CREATE TRIGGER case_events_no_update BEFORE UPDATE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only: an event is never changed; record a new event instead');
END;
CREATE TRIGGER case_events_no_delete BEFORE DELETE ON case_events
BEGIN
    SELECT RAISE(ABORT, 'case_events is append-only: an event is never deleted');
END;
