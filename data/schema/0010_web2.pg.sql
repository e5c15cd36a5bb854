-- 0010_web2 (PostgreSQL): bump change_counters once per statement that writes (applied
-- after 0010_web2.sql in the same transaction).

CREATE FUNCTION change_counter_bump() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE change_counters SET n = n + 1 WHERE name = TG_TABLE_NAME;
    RETURN NULL;
END
$$;
CREATE TRIGGER cc_units AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON units
    FOR EACH STATEMENT EXECUTE FUNCTION change_counter_bump();
CREATE TRIGGER cc_sites AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON sites
    FOR EACH STATEMENT EXECUTE FUNCTION change_counter_bump();
CREATE TRIGGER cc_site_columns AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON site_columns
    FOR EACH STATEMENT EXECUTE FUNCTION change_counter_bump();
CREATE TRIGGER cc_cases AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON cases
    FOR EACH STATEMENT EXECUTE FUNCTION change_counter_bump();
CREATE TRIGGER cc_findings AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON findings
    FOR EACH STATEMENT EXECUTE FUNCTION change_counter_bump();
CREATE TRIGGER cc_calendar_overrides AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON calendar_overrides
    FOR EACH STATEMENT EXECUTE FUNCTION change_counter_bump();
CREATE TRIGGER cc_wording_entries AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON wording_entries
    FOR EACH STATEMENT EXECUTE FUNCTION change_counter_bump();
CREATE TRIGGER cc_column_exemptions AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON column_exemptions
    FOR EACH STATEMENT EXECUTE FUNCTION change_counter_bump();
CREATE TRIGGER cc_verdicts AFTER INSERT OR UPDATE OR DELETE OR TRUNCATE ON verdicts
    FOR EACH STATEMENT EXECUTE FUNCTION change_counter_bump();
