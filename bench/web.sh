#!/bin/sh
# bench/web.sh - `govsite serve` under wrk: 64 connections against the list endpoints.
#
#   sh bench/web.sh [SITES [COLUMNS_PER_SITE [SECONDS [ITEMS [FINDINGS [PAGES]]]]]]
#                                          (default 2000 50 10 100000 100000 1000000)
#
# Builds a registry of SITES sites × COLUMNS columns (testtool gen-registry), adds ITEMS
# work items with their events and FINDINGS findings (testtool gen-workload: two years of
# an office's items over units, kinds and states) and PAGES crawled pages with their links
# (testtool gen-pages: a complete crawl of every site, 25 links a page), starts serve with THREADS (default 4)
# worker threads on a free loopback port, and runs wrk (64 connections, 2 threads, an API
# token in Authorization) against each list endpoint: the first page, a page deep in the
# list by keyset cursor (what the Link header gives) and by offset, filtered lists, an
# editor's list; prints requests/s and the p50/p99 latencies.  The database is kept in
# $O/bench-web/ between runs of the same size (KEEP=0 rebuilds it).
# Figures and the machine go in docs/benchmarks.md ("Web: list endpoints").
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case "$O" in /*) ;; *) O="$ROOT/$O" ;; esac
SITES=${1:-2000}
COLS=${2:-50}
SECS=${3:-10}
ITEMS=${4:-100000}
FINDINGS=${5:-100000}
PAGES=${6:-1000000}
THREADS=${THREADS:-4}
command -v wrk >/dev/null || { echo "bench/web.sh: wrk is not installed (apt-get install wrk)" >&2; exit 1; }
make -C "$ROOT" --no-print-directory -s govsite "$O/testtool" >/dev/null
G="$O/govsite"
W="$O/bench-web"
SIZE="$SITES-$COLS-$ITEMS-$FINDINGS-$PAGES"
export GOVSITE_DB="$W/g.db"
unset GOVSITE_NOW || true
if [ "${KEEP:-1}" = 0 ] || [ "$(cat "$W/size" 2>/dev/null)" != "$SIZE" ]; then
    rm -rf "$W"
    mkdir -p "$W"
    echo "== registry: $SITES sites × $COLS columns"
    "$O/testtool" gen-registry "$W" "$SITES" "$COLS"
    t0=$(date +%s)
    "$G" -q unit import "$W/units.csv"
    "$G" -q site import "$W/sites.csv"
    "$G" -q column import "$W/columns.csv"
    echo "imported in $(( $(date +%s) - t0 )) s"
    echo "== work items: $ITEMS, findings: $FINDINGS"
    t0=$(date +%s)
    "$O/testtool" gen-workload "$GOVSITE_DB" "$ITEMS" "$FINDINGS"
    echo "generated in $(( $(date +%s) - t0 )) s"
    echo "== crawled pages: $PAGES"
    t0=$(date +%s)
    "$O/testtool" gen-pages "$GOVSITE_DB" "$PAGES"
    echo "generated in $(( $(date +%s) - t0 )) s"
    echo "bench-password" | "$G" -q user add bench --role viewer
    echo "bench-password" | "$G" -q user add bench-editor --role editor --unit 第7局
    echo "$SIZE" >"$W/size"
fi
echo "$(sqlite3 "$GOVSITE_DB" "SELECT (SELECT COUNT(*) FROM site_columns) || ' columns, ' || (SELECT COUNT(*) FROM cases) || ' work items, ' || (SELECT COUNT(*) FROM case_events) || ' events, ' || (SELECT COUNT(*) FROM findings) || ' findings, ' || (SELECT COUNT(*) FROM crawl_pages) || ' pages, ' || (SELECT COUNT(*) FROM crawl_links) || ' links'")"
TOKEN=$("$G" user token bench)
ETOKEN=$("$G" user token bench-editor)

"$G" serve --listen 127.0.0.1:0 --threads "$THREADS" >"$W/serve.out" 2>"$W/serve.err" &
PID=$!
trap 'kill -TERM $PID 2>/dev/null; wait $PID 2>/dev/null' EXIT INT TERM
i=0
until URL=$(sed -n 's|^govsite: serving .* on \(http://[^ ]*\)/ .*|\1|p' "$W/serve.out") && [ -n "$URL" ]; do
    i=$((i + 1)); [ $i -lt 100 ] || { cat "$W/serve.err" >&2; exit 1; }; sleep 0.1
done
MID=$((SITES / 2))
# A position deep in each list, as the Link header of the page before it would give it.
DEEP_CASE=$(sqlite3 "$GOVSITE_DB" "SELECT 'i.' || received_at || '.' || id FROM cases ORDER BY received_at DESC, id DESC LIMIT 1 OFFSET 50000")
DEEP_FINDING=$(sqlite3 "$GOVSITE_DB" "SELECT 'i.' || id || '.' || id FROM findings WHERE state = 'open' ORDER BY id DESC LIMIT 1 OFFSET 40000")
LISTS="/api/v1/findings
/api/v1/findings?after=$DEEP_FINDING&page=801
/api/v1/findings?page=801
/api/v1/findings?state=all&sort=-last_seen&site=$MID
/api/v1/cases
/api/v1/cases?after=$DEEP_CASE&page=1001
/api/v1/cases?page=1001
/api/v1/cases?state=overdue&sort=due
/api/v1/cases?kind=consultation&state=open
E/api/v1/cases
/findings
/cases
/api/v1/sites?per_page=50&page=$((SITES / 100 + 1))
/api/v1/sites?q=gen.test&per_page=50
/api/v1/sites/$MID/columns?per_page=50
/api/v1/units?per_page=50
/sites?page=2"

# A running server: every list once (each worker's connection, page cache and kept counts
# warm), then the measured runs.
echo "$LISTS" | while read -r path; do
    tok=$TOKEN
    case "$path" in E*) tok=$ETOKEN; path=${path#E} ;; esac
    wrk -t2 -c64 -d2s -H "Authorization: Bearer $tok" "$URL$path" >/dev/null
done
printf '%-56s %10s %9s %9s\n' endpoint req/s p50 p99
echo "$LISTS" | while read -r path; do
    tok=$TOKEN
    case "$path" in E*) tok=$ETOKEN; path=${path#E} ;; esac
    curl -sf -H "Authorization: Bearer $tok" "$URL$path" >/dev/null || { echo "$path: failed" >&2; continue; }
    out=$(wrk -t2 -c64 -d"${SECS}s" --latency -H "Authorization: Bearer $tok" "$URL$path")
    rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
    p50=$(echo "$out" | awk '$1 == "50%" {print $2}')
    p99=$(echo "$out" | awk '$1 == "99%" {print $2}')
    errs=$(echo "$out" | awk '/Non-2xx|Socket errors/ {print}' | tr '\n' ' ')
    [ "$tok" = "$TOKEN" ] || path="$path (editor)"
    printf '%-56s %10s %9s %9s %s\n' "$(echo "$path" | cut -c1-56)" "$rps" "$p50" "$p99" "$errs"
done
echo "machine: $(nproc) cores, $(awk '/MemTotal/ {printf "%.0f GiB", $2/1048576}' /proc/meminfo), $(uname -sr)"
