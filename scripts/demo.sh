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

# ---- checks (issue 5): wording, availability, findings, verdicts ------------------------
echo
echo "== 表述检查 (wording): a sample notice of June 2019 against the built-in dictionary"
"$G" wording scan --as-of 2019-06-01 "$ROOT/data/demo/wording-sample.txt"
echo
echo "== 可用性 (availability): one probe of every site in operation"
"$G" probe --all --timeout 3 || true
echo
echo "== 检查结论 (verdicts by 国办秘函〔2019〕19号; one probe is not a monitored week)"
"$G" verdict --all
echo
echo "== 发现的问题 (open findings)"
"$G" findings
# ---- end of checks ----------------------------------------------------------------------
