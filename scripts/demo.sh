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
# ---- weblog: visits from access logs (网站总访问量, 独立用户访问总量) ----
# A deterministic 2018 access log of the city portal, rotated monthly and gzipped as
# logrotate leaves it (testtool gen-weblog), read incrementally; the figures for the
# annual form (政府网站工作年度报表) come from `weblog stats --year`.
echo
echo "== 访问量 (visits): the portal's 2018 access logs"
rm -rf "$DEMO/logs"
"$O/testtool" gen-weblog --year 2018 --lines-per-day 400 --visitors 30000 \
    --columns "$ROOT/data/demo/columns.csv" --host www.shifan.test --monthly \
    -o "$DEMO/logs" >"$DEMO/logs.truth.json"
"$G" weblog ingest --site 4404990001 "$DEMO"/logs/access.log* | tail -n 1
"$G" weblog stats --site 4404990001 --year 2018 --by month
# ---- end weblog ----

# --- report formats (src/report/): the renderers on the seed-shaped sample bulletin ---
# (the demo city's own bulletin comes with `govsite report monthly`, issue 7)
echo
echo "== 公文 formats: the sample 通报 in $DEMO/report-sample.{docx,html,md,xlsx}"
for f in docx html md xlsx; do
    "$O/testtool" report-sample "$f" "$DEMO/report-sample.$f"
done
ls -l "$DEMO"/report-sample.*
# --- end report formats ---

# ---- web (issue 9): demo accounts, then the dashboard in the foreground ------------------
# DEMO_LISTEN=HOST:PORT picks another address (default 127.0.0.1:8080); Ctrl-C stops it
# (requests in flight finish, the database is closed).
echo
echo "== 网页服务 (dashboard): demo accounts"
LISTEN=${DEMO_LISTEN:-127.0.0.1:8080}
echo "demo-admin-2018" | "$G" -q user add admin --role admin
echo "demo-ducha-2018" | "$G" -q user add ducha --role supervisor
echo "demo-jtj-2018" | "$G" -q user add jtj --role editor --unit 市交通局
echo "demo-guest-2018" | "$G" -q user add guest --role viewer
HOSTPART=${LISTEN%:*}
[ -n "$HOSTPART" ] || HOSTPART=127.0.0.1
echo
echo "  打开 http://$HOSTPART:${LISTEN##*:}/ 并用以下演示账号登录 (open the URL, log in with):"
echo "    admin   demo-admin-2018   管理员 (admin)"
echo "    ducha   demo-ducha-2018   督查员 (supervisor)"
echo "    jtj     demo-jtj-2018     单位编辑 · 市交通局 (editor)"
echo "    guest   demo-guest-2018   只读 (viewer)"
echo "  API:   curl -H 'Authorization: Bearer TOKEN' http://$HOSTPART:${LISTEN##*:}/api/v1/sites"
echo "         (a token: $G --db $GOVSITE_DB user token admin)"
echo "  Ctrl-C stops the server."
echo
exec "$G" serve --listen "$LISTEN"
