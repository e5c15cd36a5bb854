#!/bin/sh
# bench/web.sh - `govsite serve` under wrk: 64 connections against the list endpoints.
#
#   sh bench/web.sh [SITES [COLUMNS_PER_SITE [SECONDS]]]     (default 2000 50 10)
#
# Builds a registry of SITES sites × COLUMNS columns (testtool gen-registry), starts serve
# with 4 worker threads on a free loopback port, and runs wrk (64 connections, 2 threads,
# an API token in Authorization) against each list endpoint; prints requests/s and the
# p50/p99 latencies.  Later capabilities add their lists (findings, work items) to LISTS.
# Figures and the machine go in docs/benchmarks.md ("Web: list endpoints").
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case "$O" in /*) ;; *) O="$ROOT/$O" ;; esac
SITES=${1:-2000}
COLS=${2:-50}
SECS=${3:-10}
command -v wrk >/dev/null || { echo "bench/web.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
make -C "$ROOT" --no-print-directory -s govsite "$O/testtool" >/dev/null
G="$O/govsite"
W="$O/bench-web"
rm -rf "$W"
mkdir -p "$W"
export GOVSITE_DB="$W/g.db"
unset GOVSITE_NOW || true

echo "== registry: $SITES sites × $COLS columns"
"$O/testtool" gen-registry "$W" "$SITES" "$COLS"
t0=$(date +%s)
"$G" -q unit import "$W/units.csv"
"$G" -q site import "$W/sites.csv"
"$G" -q column import "$W/columns.csv"
echo "imported in $(( $(date +%s) - t0 )) s: $(sqlite3 "$GOVSITE_DB" 'SELECT COUNT(*) FROM site_columns') columns"
echo "bench-password" | "$G" -q user add bench --role viewer
TOKEN=$("$G" user token bench)

"$G" serve --listen 127.0.0.1:0 --threads 4 >"$W/serve.out" 2>"$W/serve.err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT INT TERM
i=0
until URL=$(sed -n 's|^govsite: serving .* on \(http://[^ ]*\)/ .*|\1|p' "$W/serve.out") && [ -n "$URL" ]; do
    i=$((i + 1)); [ $i -lt 100 ] || { cat "$W/serve.err" >&2; exit 1; }; sleep 0.1
done
MID=$((SITES / 2))
LISTS="/api/v1/sites?per_page=50&page=$((SITES / 100 + 1))
/api/v1/sites?q=gen.test&per_page=50
/api/v1/sites/$MID/columns?per_page=50
/api/v1/units?per_page=50
/sites?page=2"

printf '%-48s %10s %9s %9s\n' endpoint req/s p50 p99
echo "$LISTS" | while read -r path; do
    curl -sf -H "Authorization: Bearer $TOKEN" "$URL$path" >/dev/null
    out=$(wrk -t2 -c64 -d"${SECS}s" --latency -H "Authorization: Bearer $TOKEN" "$URL$path")
    rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
    printf '%-48s %10s %9s %9s %s\n' "$path" "$rps" "$p50" "$p99" "$errs"
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
