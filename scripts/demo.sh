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

# ---------------------------------------------------------------- crawl (issue 4) ---
# The demo city's websites, generated (testtool gen-demo-sites: TRS-style pages with the
# problems a supervising office looks for, see docs/crawl.md) and served on loopback by
# `testtool serve`; the crawler reaches every *.shifan.test host there through the
# [crawl] connect_to setting.  The server is stopped when this script ends.
TT="$O/testtool"
SITES="$DEMO/sites"
rm -rf "$SITES"
echo
echo "== 生成示范网站 (demo sites)"
"$TT" gen-demo-sites "$SITES" --data "$ROOT/data/demo"
"$TT" serve "$SITES" --port-file "$DEMO/serve.port" >"$DEMO/serve.log" 2>&1 &
SERVE_PID=$!
trap 'kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null' EXIT INT TERM
for _ in 1 2 3 4 5 6 7 8 9 10; do [ -s "$DEMO/serve.port" ] && break; sleep 0.2; done
PORT=$(cat "$DEMO/serve.port")
CONF="$DEMO/govsite.conf"
cat >"$CONF" <<CONF_EOF
[crawl]
contact = http://www.shifan.test/govsite-crawler.html
connect_to = *.shifan.test:80:127.0.0.1:$PORT
CONF_EOF
export GOVSITE_CONFIG="$CONF"
export GOVSITE_NOW="${GOVSITE_NOW:-2018-12-01 09:00}"
echo
echo "== 抓取 (crawl --all; the demo server is ours, so the rate limit is lifted)"
"$G" crawl --all --rate 0 --per-host 4 --json >"$DEMO/crawl.json"
jq -r '.[] | "\(.site)\t\(.state)\t\(.pages) 页\t\(.links) 链接\t\(.broken) 坏链\t\(.seconds) s"' "$DEMO/crawl.json"
echo
echo "== 门户网站首页的坏链 (broken links on the portal's home page)"
"$G" links 4404990001 --broken --json |
    jq -r '.[] | select(.source == "http://www.shifan.test/") | "\(.status)\t\(.error // "-")\t\(.target)"'
echo
echo "== 链接到已关闭的网上办事大厅 (links to the retired service hall), per site"
"$G" site list --json | jq -r '.[] | select(.status == "正常运行") | .code' | while read -r code; do
    n=$("$G" links "$code" --broken --json | jq '[.[] | select(.target | startswith("http://www.gdbs.gov.cn.invalid"))] | length')
    echo "$code	$n"
done
echo
echo "== 栏目列表页 (a few list pages of the portal: items and latest date)"
"$G" pages 4404990001 --json |
    jq -r '[.[] | select(.list and (.breadcrumb != null) and (.url | endswith("/")))][0:8][] |
        "\(.items)\t\(.latest)\t\(.breadcrumb | join(">"))"'
# ------------------------------------------------------------ end of crawl (issue 4) ---
