-- 0005_cases (PostgreSQL): refuse UPDATE, DELETE and TRUNCATE on the audit log (applied
-- after 0005_cases.sql in the same transaction).

CREATE FUNCTION case_events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'UPDATE' THEN
        RAISE EXCEPTION 'case_events is append-only: an event is never changed; record a new event instead';
    END IF;
    RAISE EXCEPTION 'case_events is append-only: an event is never deleted';
END
$$;
CREATE TRIGGER case_events_no_update BEFORE UPDATE OR DELETE ON case_events
    FOR EACH ROW EXECUTE FUNCTION case_events_append_only();
CREATE TRIGGER case_events_no_truncate BEFORE TRUNCATE ON case_events
    FOR EACH STATEMENT EXECUTE FUNCTION case_events_append_only();
