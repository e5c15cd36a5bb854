#!/bin/sh
# cases.sh - work items at scale: import a month of N consultations (a generated export,
# testtool gen-cases), import it again (idempotent: nothing written), then the statistics
# and the overdue list as of a moment, which replay every item's log through the deadline
# engine.  The baseline is a plain SQL count over the stored replay columns (what a table
# of received/due/replied in a spreadsheet or an old system gives): it cannot answer "as
# of" a past moment, and the ratio shows what the replay costs.
#
#   sh bench/cases.sh [N]        N items (default 20000)
#
# Figures go in docs/benchmarks.md ("Work items").
set -eu
cd "$(dirname "$0")/.."
N=${1:-20000}
O=${O:-build}
G=${GOVSITE:-./govsite}
TT="$O/testtool"
W=$(mktemp -d "${TMPDIR:-/tmp}/govsite-bench-cases-XXXXXX")
trap 'rm -rf "$W"' EXIT
export GOVSITE_DB="$W/g.db" GOVSITE_DATA="$W/none" GOVSITE_NOW="2018-12-12 09:00"
"$G" unit import data/demo/units.csv >/dev/null
ON=$((N * 3 / 4)); LATE=$((N / 10)); OVER=$((N / 20))
"$TT" gen-cases consultation --units data/demo/units.csv --total "$N" --on-time "$ON" \
    --late "$LATE" --overdue "$OVER" >"$W/zx.csv"

ms() { # wall time in ms of the command in $@ (once)
    t0=$(date +%s%N)
    "$@" >"$W/out" 2>&1
    t1=$(date +%s%N)
    echo $(((t1 - t0) / 1000000))
}
best() { # best of 3
    b=
    for _ in 1 2 3; do
        m=$(ms "$@")
        if [ -z "$b" ] || [ "$m" -lt "$b" ]; then b=$m; fi
    done
    echo "$b"
}
ti=$(ms "$G" case import "$W/zx.csv" --kind consultation)
grep -q "$N added" "$W/out" || { cat "$W/out" >&2; exit 1; }
tr=$(ms "$G" case import "$W/zx.csv" --kind consultation)
grep -q "0 added, 0 updated, $N unchanged" "$W/out" || { cat "$W/out" >&2; exit 1; }
stats() { "$G" case stats --kind consultation --from 2018-11-01 --to 2018-11-30 --as-of 2018-12-01 --json; }
ts=$(best stats)
stats >"$W/s.json"
grep -q "\"closed_on_time\": $ON," "$W/s.json" || { cat "$W/s.json" >&2; exit 1; }
tl=$(best "$G" case list --overdue --as-of 2018-12-01 --json)
sql() { sqlite3 "$GOVSITE_DB" "SELECT COUNT(*), SUM(replied_at IS NOT NULL AND replied_at <= due_at) FROM cases WHERE kind = 'consultation'"; }
tq=$(best sql)
rate() { awk -v n="$N" -v ms="$1" 'BEGIN { printf "%.0f", ms ? n * 1000 / ms : 0 }'; }
printf '%-44s %8s %12s\n' step ms items/s
printf '%-44s %8d %12s\n' "case import (new)" "$ti" "$(rate "$ti")"
printf '%-44s %8d %12s\n' "case import (again: all unchanged)" "$tr" "$(rate "$tr")"
printf '%-44s %8d %12s\n' "case stats --as-of (replay every item)" "$ts" "$(rate "$ts")"
printf '%-44s %8d %12s\n' "case list --overdue --as-of" "$tl" "$(rate "$tl")"
printf '%-44s %8d %12s\n' "baseline: sqlite3 COUNT over stored columns" "$tq" "$(rate "$tq")"
awk -v a="$ts" -v b="$tq" 'BEGIN { printf "ratio stats/baseline: %.1fx (%d items; the figures match the generator)\n", b ? a / b : 0, '"$N"' }'
