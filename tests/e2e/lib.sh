# lib.sh - helpers for the end-to-end tests (git's test-lib.sh, much smaller).
#
# A test script (tests/e2e/tNNNN-area-what.sh) sources this file, then calls
#   check 'what it shows' '
#       shell commands; the test passes when the last one succeeds (set -e inside)
#   '
# and ends with `finish`.  Each script gets a fresh $T directory, GOVSITE_DB=$T/g.db,
# a fixed clock (GOVSITE_NOW) and `govsite` on PATH (the build under test, $O).
# Output lines are "ok   t0001 what" / "FAIL t0001 what" and a last "N passed, N failed".
# Helpers: expect_fail CODE cmd... (exit status must be CODE), expect_nonzero cmd...,
# expect_eq A B,
# expect_contains FILE TEXT, expect_json FILE JQ_EXPR (jq -e), json_len FILE,
# sql "SELECT ..." (the test database on either engine; rows as a|b|c), on_pg / on_sqlite
# and $E2E_ENGINE (sqlite|postgresql).
#
# Backends: with E2E_BACKEND=pg (tests/run.sh sets it for the second pass when PG_TEST_DSN
# is set) each script gets a database of its own on the private cluster, created here and
# dropped by `finish`, and GOVSITE_DB is its postgresql:// URI.  Scripts stay isolated
# because no two share a database; a step that needs SQLite sets GOVSITE_DB to a file.
set -u
ROOT=${ROOT:-$(cd "$(dirname "$0")/../.." && pwd)}
O=${O:-build}
case "$O" in /*) ;; *) O="$ROOT/$O" ;; esac
PATH="$O:$PATH"
export PATH
TNAME=$(basename "$0" .sh)
T=$(mktemp -d "${TMPDIR:-/tmp}/govsite-$TNAME-XXXXXX")
export GOVSITE_DB="$T/g.db"
E2E_BACKEND=${E2E_BACKEND:-sqlite}
E2E_PGDB=
E2E_ENGINE=sqlite
if [ "$E2E_BACKEND" = pg ]; then
    [ -n "${PG_TEST_DSN:-}" ] || { echo "E2E_BACKEND=pg needs PG_TEST_DSN"; echo "0 passed, 1 failed"; exit 1; }
    _pghost=$(printf '%s\n' "$PG_TEST_DSN" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
    _pgport=$(printf '%s\n' "$PG_TEST_DSN" | sed -n 's/.*port=\([0-9]*\).*/\1/p')
    _pguser=$(printf '%s\n' "$PG_TEST_DSN" | sed -n 's/.*user=\([^ ]*\).*/\1/p')
    E2E_PGDB=$(printf 'e2e_%s_%s' "$(printf '%s' "$TNAME" | tr -c 'a-z0-9\n' '_' | cut -c1-30)" "$$")
    E2E_ENGINE=postgresql
    psql -q -X "$PG_TEST_DSN" -c "CREATE DATABASE $E2E_PGDB" >/dev/null || {
        echo "cannot create database $E2E_PGDB"; echo "0 passed, 1 failed"; exit 1; }
    export GOVSITE_DB="postgresql://$_pguser@/$E2E_PGDB?host=$_pghost&port=$_pgport"
fi
export GOVSITE_NOW="${GOVSITE_NOW:-2018-12-01 09:00}"
export GOVSITE_DATA="$T/no-data-dir"
unset GOVSITE_CONFIG || true
DATA="$ROOT/tests/data"
_passed=0
_failed=0
cd "$T" || exit 1

check() {
    _desc=$1
    shift
    _out="$T/.out.$$"
    # Not inside `if`: there the shell would ignore set -e and only the last command
    # of the test would count.
    (set -e; eval "$1") >"$_out" 2>&1
    if [ $? = 0 ]; then
        _passed=$((_passed + 1))
        echo "ok   $TNAME $_desc"
    else
        _failed=$((_failed + 1))
        echo "FAIL $TNAME $_desc"
        sed 's/^/    | /' "$_out" | tail -n 30
    fi
    rm -f "$_out"
}

# Mark a test as skipped (counted as passed, with the reason shown).
skip() {
    echo "ok   $TNAME $1 # SKIP $2"
    _passed=$((_passed + 1))
}

expect_fail() {
    _want=$1
    shift
    set +e
    "$@"
    _got=$?
    set -e
    if [ "$_got" != "$_want" ]; then
        echo "expected exit status $_want, got $_got from: $*" >&2
        return 1
    fi
}

# The command must fail with any non-zero status (for tools whose codes vary).
expect_nonzero() {
    set +e
    "$@"
    _got=$?
    set -e
    if [ "$_got" = 0 ]; then
        echo "expected a failure, got status 0 from: $*" >&2
        return 1
    fi
}

expect_eq() {
    if [ "$1" != "$2" ]; then
        printf 'expected: [%s]\n     got: [%s]\n' "$2" "$1" >&2
        return 1
    fi
}

# golden ACTUAL GOLDEN: ACTUAL must equal the checked-in GOLDEN byte for byte;
# UPDATE_GOLDEN=1 rewrites GOLDEN instead (then review the diff with git).
golden() {
    if [ -n "${UPDATE_GOLDEN:-}" ]; then
        cp "$1" "$2"
    else
        cmp "$1" "$2"
    fi
}

expect_contains() {
    if ! grep -qF -- "$2" "$1"; then
        echo "'$1' does not contain '$2':" >&2
        head -c 3000 "$1" >&2
        return 1
    fi
}

expect_not_contains() {
    if grep -qF -- "$2" "$1"; then
        echo "'$1' contains '$2' but should not" >&2
        return 1
    fi
}

expect_json() {
    if ! jq -e "$2" "$1" >/dev/null; then
        echo "jq -e '$2' failed on $1:" >&2
        head -c 3000 "$1" >&2
        return 1
    fi
}

on_pg() { [ "$E2E_BACKEND" = pg ]; }
on_sqlite() { [ "$E2E_BACKEND" != pg ]; }

# sql "SELECT ...": run SQL on $GOVSITE_DB (SQLite or PostgreSQL), rows as a|b|c.
sql() {
    case "$GOVSITE_DB" in
    postgres://* | postgresql://*) psql -X -q -At -v ON_ERROR_STOP=1 "$GOVSITE_DB" -c "$1" ;;
    *) sqlite3 "$GOVSITE_DB" "PRAGMA foreign_keys = ON; $1" ;;
    esac
}

json_len() {
    jq 'length' "$1"
}

finish() {
    cd / || true
    if [ -n "$E2E_PGDB" ]; then
        psql -q -X "$PG_TEST_DSN" -c "DROP DATABASE IF EXISTS $E2E_PGDB WITH (FORCE)" >/dev/null 2>&1 || true
    fi
    if [ "$_failed" = 0 ] && [ -z "${KEEP_TMP:-}" ]; then
        rm -rf "$T"
    fi
    echo "$_passed passed, $_failed failed"
    [ "$_failed" = 0 ]
}

# serve_start [ARGS...]: run `govsite serve` on a free loopback port in the background
# (call it outside `check`, at the script's top level).  Sets $URL (http://127.0.0.1:PORT)
# and $SERVE_PID; stdout/stderr go to $T/serve.out and $T/serve.err.  serve_stop sends
# SIGTERM and waits; its exit status is the server's.
serve_start() {
    # No scheduler or job runners unless a test asks (SERVE_JOBS=1): the demo sites'
    # hosts must not be crawled from a test.
    if [ -n "${SERVE_JOBS:-}" ]; then
        govsite serve --listen 127.0.0.1:0 "$@" >"$T/serve.out" 2>"$T/serve.err" &
    else
        govsite serve --listen 127.0.0.1:0 --no-scheduler --jobs 0 "$@" >"$T/serve.out" 2>"$T/serve.err" &
    fi
    SERVE_PID=$!
    _i=0
    while [ $_i -lt 300 ]; do
        URL=$(sed -n 's|^govsite: serving .* on \(https*://[^ ]*\)/ .*|\1|p' "$T/serve.out")
        [ -n "$URL" ] && return 0
        if ! kill -0 "$SERVE_PID" 2>/dev/null; then
            cat "$T/serve.err" >&2
            return 1
        fi
        sleep 0.1
        _i=$((_i + 1))
    done
    echo "serve did not start within 30 s" >&2
    return 1
}

serve_stop() {
    [ -n "${SERVE_PID:-}" ] || return 0
    kill -TERM "$SERVE_PID" 2>/dev/null || true
    _st=0
    wait "$SERVE_PID" || _st=$?
    SERVE_PID=
    return $_st
}
