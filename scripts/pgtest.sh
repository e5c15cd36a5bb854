#!/bin/sh
# pgtest.sh - a private PostgreSQL cluster for the test suites (never the system one).
#
#   eval "$(sh scripts/pgtest.sh start)"    prints PG_TEST_DSN=... and PGTEST_DIR=...
#   sh scripts/pgtest.sh stop DIR
#
# initdb into a temporary folder, listen only on a Unix socket in that folder and on a
# free loopback port, trust authentication for the local user.  Runs as the calling user;
# as root it runs the server as the 'postgres' user (initdb refuses root).
set -eu
cmd=${1:-start}
bindir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ]; then
    echo "pgtest: no PostgreSQL server found (install the postgresql package)" >&2
    exit 1
fi
as_user() {
    if [ "$(id -u)" = 0 ]; then
        su postgres -s /bin/sh -c "$*"
    else
        sh -c "$*"
    fi
}
case "$cmd" in
start)
    dir=$(mktemp -d "${TMPDIR:-/tmp}/govsite-pg-XXXXXX")
    chmod 755 "$dir"
    [ "$(id -u)" = 0 ] && chown postgres "$dir"
    # A free TCP port (the socket is what the tests use; the port names the socket file).
    port=$(( 20000 + $$ % 20000 ))
    while ss -ltn 2>/dev/null | grep -q ":$port "; do port=$((port + 1)); done
    as_user "'$bindir/initdb' -D '$dir/data' -A trust -U govsite -E UTF8 --locale=C.UTF-8 >'$dir/initdb.log' 2>&1" || {
        echo "pgtest: initdb failed; see $dir/initdb.log" >&2; cat "$dir/initdb.log" >&2; exit 1; }
    as_user "'$bindir/pg_ctl' -D '$dir/data' -l '$dir/server.log' -w -o \"-k '$dir' -p $port -c listen_addresses='' -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200\" start >/dev/null" || {
        echo "pgtest: server did not start; see $dir/server.log" >&2; cat "$dir/server.log" >&2; exit 1; }
    as_user "'$bindir/createdb' -h '$dir' -p $port -U govsite govsite_test"
    echo "PG_TEST_DSN='host=$dir port=$port user=govsite dbname=govsite_test'; export PG_TEST_DSN; PGTEST_DIR='$dir'; export PGTEST_DIR"
    ;;
stop)
    dir=${2:?usage: pgtest.sh stop DIR}
    [ -d "$dir/data" ] && as_user "'$bindir/pg_ctl' -D '$dir/data' -m fast -w stop >/dev/null 2>&1" || true
    rm -rf "$dir"
    ;;
*)
    echo "usage: $0 start | stop DIR" >&2
    exit 2
    ;;
esac
