#!/bin/sh
# deadline.sh - how fast `govsite deadline` computes many due times, against a naive
# day-by-day script (bench/deadline_naive.py) on the same input; also checks they agree.
#
#   sh bench/deadline.sh [N]        N RECEIVED values (default 100000), 2007-2026
#
# Prints the wall time of each variant (best of 3), items per second and the ratio.
# Figures go in docs/benchmarks.md ("Working-day calendar and deadlines").
set -eu
cd "$(dirname "$0")/.."
N=${1:-100000}
G=${GOVSITE:-./govsite}
W=$(mktemp -d "${TMPDIR:-/tmp}/govsite-bench-deadline-XXXXXX")
trap 'rm -rf "$W"' EXIT
export GOVSITE_DB="$W/g.db" GOVSITE_DATA="$W/none"
# Deterministic receipt times over 2019-05-15 .. 2026-11-30, when disclosure-2019 applies
# (a 31-bit LCG in awk).
awk -v n="$N" 'BEGIN { s = 12345; base = 18031; span = 2756
    for (i = 0; i < n; i++) { s = (s * 1103515245 + 12345) % 2147483648
        d = base + s % span; m = (s / 7) % 1440
        printf "%s %02d:%02d\n", strftime("%Y-%m-%d", d * 86400, 1), int(m / 60), m % 60 } }' >"$W/in.txt"
"$G" db migrate >/dev/null

best() { # best of 3 wall times in ms of the command in $@
    b=
    for _ in 1 2 3; do
        t0=$(date +%s%N)
        "$@"
        t1=$(date +%s%N)
        ms=$(((t1 - t0) / 1000000))
        if [ -z "$b" ] || [ "$ms" -lt "$b" ]; then b=$ms; fi
    done
    echo "$b"
}
json() { "$G" deadline --rule disclosure-2019 --json - <"$W/in.txt" >"$W/out.json"; }
text() { "$G" deadline --rule disclosure-2019 - <"$W/in.txt" >"$W/out.txt"; }
expl() { "$G" deadline --rule disclosure-2019 --json --explain - <"$W/in.txt" >"$W/out.x.json"; }
naive() { python3 bench/deadline_naive.py 20 <"$W/in.txt" >"$W/naive.txt"; }

tj=$(best json)
tt=$(best text)
tx=$(best expl)
tn=$(best naive)
grep -o '"due": "[^"]*"' "$W/out.json" | cut -d'"' -f4 >"$W/ours.txt"
if ! cmp -s "$W/ours.txt" "$W/naive.txt"; then
    echo "MISMATCH between govsite and the naive script:" >&2
    diff "$W/ours.txt" "$W/naive.txt" | head >&2
    exit 1
fi
rate() { awk -v n="$N" -v ms="$1" 'BEGIN { printf "%.0f", ms ? n * 1000 / ms : 0 }'; }
printf '%-34s %8s %14s\n' variant ms items/s
printf '%-34s %8d %14s\n' "govsite deadline --json" "$tj" "$(rate "$tj")"
printf '%-34s %8d %14s\n' "govsite deadline (text)" "$tt" "$(rate "$tt")"
printf '%-34s %8d %14s\n' "govsite deadline --json --explain" "$tx" "$(rate "$tx")"
printf '%-34s %8d %14s\n' "naive python day-by-day" "$tn" "$(rate "$tn")"
awk -v a="$tn" -v b="$tj" 'BEGIN { printf "ratio naive/govsite --json: %.1fx  (%d items, answers identical)\n", b ? a / b : 0, '"$N"' }'
