#!/bin/sh
# demo.sh - `make demo`: the main job on the demo city (data/demo/).
#
# Creates build/demo/govsite.db, imports the demo registry and shows what is there.
# Later capabilities extend this script: crawl the demo sites served on loopback,
# check them, load a month of work items, write the bulletin, serve the dashboard.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case "$O" in /*) ;; *) O="$ROOT/$O" ;; esac
G="$O/govsite"
DEMO="$O/demo"
mkdir -p "$DEMO"
export GOVSITE_DB="$DEMO/govsite.db"
rm -f "$GOVSITE_DB" "$GOVSITE_DB-wal" "$GOVSITE_DB-shm"

echo "== 示范市 demo: database $GOVSITE_DB"
"$G" db migrate
"$G" unit import "$ROOT/data/demo/units.csv"
"$G" site import "$ROOT/data/demo/sites.csv"
"$G" column import "$ROOT/data/demo/columns.csv"
echo
echo "== 网站 (sites)"
"$G" site list
echo
echo "== 栏目 (columns) per site"
"$G" column list --json | jq -r 'group_by(.site)[] | "\(length)\t\(.[0].site)"' 2>/dev/null ||
    "$G" column list | head -n 20

# --- cal: working days and deadlines (docs/deadlines.md) ------------------------------
echo
echo "== 工作日与期限 (working days and deadlines)"
"$G" calendar is-workday 2018-09-29
"$G" deadline --rule disclosure-2008 --explain "2018-09-28 10:00"
"$G" deadline --rule error-report-gd "2018-11-30 23:59" "2018-09-30 10:00"
# --- end cal ---------------------------------------------------------------------------
