#!/bin/sh
# t1101-db-copy: `govsite db copy` moves an installation between engines and back with
# identical per-table row counts and checksums; a non-empty target is refused unless
# --force; a source at an older schema is refused; `db checksum` lists the same figures.
# The round trip is SQLite → PostgreSQL → SQLite when PG_TEST_DSN is set (else through a
# second SQLite file), starting from this run's own database ($GOVSITE_DB).
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"
TT="$O/testtool"

# A populated installation: registry, work items and findings, access-log figures (blobs),
# and jobs.
govsite unit import "$DEMO/units.csv" >/dev/null
govsite site import "$DEMO/sites.csv" >/dev/null
govsite column import "$DEMO/columns.csv" >/dev/null
"$TT" gen-workload "$GOVSITE_DB" 300 200 >/dev/null
"$TT" gen-weblog --days 20 --lines-per-day 50 --seed 3 --columns "$DEMO/columns.csv" --host www.shifan.test -o access.log >/dev/null
govsite weblog ingest --site 4404990001 access.log >/dev/null
govsite crawl --all --enqueue >/dev/null 2>&1
govsite db checksum >orig.txt

# The other engine: a database of its own on the private cluster, or a second file.
if [ -n "${PG_TEST_DSN:-}" ]; then
    pgh=$(printf '%s\n' "$PG_TEST_DSN" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
    pgp=$(printf '%s\n' "$PG_TEST_DSN" | sed -n 's/.*port=\([0-9]*\).*/\1/p')
    pgu=$(printf '%s\n' "$PG_TEST_DSN" | sed -n 's/.*user=\([^ ]*\).*/\1/p')
    MID_DB="copy_$$"
    psql -q -X "$PG_TEST_DSN" -c "CREATE DATABASE $MID_DB" >/dev/null
    MID="postgresql://$pgu@/$MID_DB?host=$pgh&port=$pgp"
    on_pg && MID="$T/mid.db" # this run's own database is already on PostgreSQL
else
    MID_DB=
    MID="$T/mid.db"
fi

check 'the source has rows in the tables that matter' '
    for t in units sites site_columns cases case_events findings weblog_days jobs; do
        n=$(awk -v t=$t "\$1 == t { print \$2 }" orig.txt)
        test "${n:-0}" -gt 0 || { echo "no rows in $t"; exit 1; }
    done
'

check 'db copy to the other engine: every table verified' '
    govsite db copy --from "$GOVSITE_DB" --to "$MID" --json >c1.json
    expect_json c1.json ".verified and (.tables | length) > 20 and (.tables | map(select(.table == \"cases\")) | .[0].rows) > 0"
    GOVSITE_DB=$MID govsite db checksum >mid.txt
    expect_eq "$(cat mid.txt)" "$(cat orig.txt)"
'

check 'and back: identical row counts and checksums' '
    govsite db copy --from "$MID" --to "$T/back.db" >/dev/null 2>c2.err
    GOVSITE_DB=$T/back.db govsite db checksum >back.txt
    expect_eq "$(cat back.txt)" "$(cat orig.txt)"
'

check 'the copy keeps working: new rows get new ids (sequences reset)' '
    GOVSITE_DB=$MID govsite site add --name 新站点 --url http://new.test/ >/dev/null
    GOVSITE_DB=$MID govsite jobs enqueue probe 新站点 --json >p.json
    max=$(awk "\$1 == \"jobs\" { print \$2 }" orig.txt)
    expect_json p.json ".[0].added and .[0].id > $max"
'

check 'a non-empty target is refused, nothing changes; --force starts it afresh' '
    GOVSITE_DB=$MID govsite db checksum >before.txt
    expect_fail 1 govsite db copy --from "$T/back.db" --to "$MID" 2>err
    expect_contains err "is not empty"
    GOVSITE_DB=$MID govsite db checksum >after.txt
    expect_eq "$(cat after.txt)" "$(cat before.txt)"
    govsite db copy --from "$T/back.db" --to "$MID" --force >/dev/null 2>&1
    GOVSITE_DB=$MID govsite db checksum >forced.txt
    expect_eq "$(cat forced.txt)" "$(cat orig.txt)"
'

check 'usage errors and a source at an older schema' '
    expect_fail 2 govsite db copy --from "$T/back.db"
    expect_fail 2 govsite db copy --from x.db --to x.db
    expect_fail 1 govsite db copy --from "$T/none.db" --to "$T/n2.db" 2>err
    expect_contains err "no such database file"
    sqlite3 "$T/back.db" "DELETE FROM schema_migrations WHERE version = (SELECT MAX(version) FROM schema_migrations)"
    expect_fail 1 govsite db copy --from "$T/back.db" --to "$T/n3.db" 2>err
    expect_contains err "run '"'"'govsite db migrate'"'"' on it first"
'
if [ -n "$MID_DB" ]; then
    psql -q -X "$PG_TEST_DSN" -c "DROP DATABASE IF EXISTS $MID_DB WITH (FORCE)" >/dev/null 2>&1 || true
fi
finish
