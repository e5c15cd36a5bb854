#!/bin/sh
# run.sh - run every test suite and print one summary line, "N passed, N failed".
#
#   O=build sh tests/run.sh          all suites
#   ONLY=unit|fuzz|e2e|lint sh tests/run.sh
#   E2E=t2*  sh tests/run.sh         a subset of the e2e scripts (glob)
#
# Suites: unit tests (build/unit-tests), fuzz corpus replay (build/fuzz-replay), source
# checks (scripts/lint.sh --quick), and the e2e scripts tests/e2e/t*.sh.  PostgreSQL
# suites run when PG_TEST_DSN is set (.ci/run starts a private cluster).
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT" || exit 2
O=${O:-build}
export O ROOT
ONLY=${ONLY:-}
total_p=0
total_f=0
failed_suites=""
LOG=${O}/test-logs
mkdir -p "$LOG"

# Add the "N passed, M failed" of a suite's last line to the totals.
tally() {
    name=$1
    file=$2
    line=$(grep -E '^[0-9]+ passed, [0-9]+ failed$' "$file" | tail -n 1)
    if [ -z "$line" ]; then
        echo "FAIL $name: no summary line (crashed?); see $file"
        tail -n 20 "$file" | sed 's/^/    | /'
        total_f=$((total_f + 1))
        failed_suites="$failed_suites $name"
        return
    fi
    p=${line%% passed*}
    f=${line#*, }
    f=${f%% failed*}
    total_p=$((total_p + p))
    total_f=$((total_f + f))
    [ "$f" != 0 ] && failed_suites="$failed_suites $name"
}

run_suite() {
    name=$1
    shift
    out="$LOG/$name.log"
    start=$(date +%s)
    "$@" >"$out" 2>&1
    end=$(date +%s)
    grep -E '^(FAIL|    )' "$out" | head -n 200
    tally "$name" "$out"
    printf '# %-28s %s (%ss)\n' "$name" "$(tail -n 1 "$out")" $((end - start))
}

want() {
    [ -z "$ONLY" ] || [ "$ONLY" = "$1" ]
}

want unit && run_suite unit "$O/unit-tests"
want fuzz && run_suite fuzz-replay "$O/fuzz-replay" tests/fuzz/corpus
want lint && run_suite lint sh scripts/lint.sh --quick
if want e2e; then
    for t in tests/e2e/${E2E:-t}*.sh; do
        [ -f "$t" ] || continue
        run_suite "$(basename "$t" .sh)" sh "$t"
    done
    # The second backend: every e2e script again, each on a database of its own on the
    # private cluster (tests/e2e/lib.sh).  E2E_PG=0 leaves it out.
    if [ -n "${PG_TEST_DSN:-}" ] && [ "${E2E_PG:-1}" != 0 ]; then
        for t in tests/e2e/${E2E:-t}*.sh; do
            [ -f "$t" ] || continue
            run_suite "pg-$(basename "$t" .sh)" env E2E_BACKEND=pg sh "$t"
        done
    fi
fi

[ -n "$failed_suites" ] && echo "# failing suites:$failed_suites (logs in $LOG/)"
echo "$total_p passed, $total_f failed"
[ "$total_f" = 0 ]
