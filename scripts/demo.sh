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
# [crawl] connect_to setting.  The server is stopped at the end of this section.
TT="$O/testtool"
SITES="$DEMO/sites"
rm -rf "$SITES" "$DEMO/serve.port"
echo
echo "== 生成示范网站 (demo sites)"
"$TT" gen-demo-sites "$SITES" --data "$ROOT/data/demo"
"$TT" serve "$SITES" --port-file "$DEMO/serve.port" >"$DEMO/serve.log" 2>&1 &
SERVE_PID=$!
trap 'kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null' EXIT INT TERM
n=0
until [ -s "$DEMO/serve.port" ]; do
    n=$((n + 1))
    [ $n -le 100 ] || { echo "demo: testtool serve did not start (see $DEMO/serve.log)" >&2; exit 1; }
    sleep 0.1
done
PORT=$(cat "$DEMO/serve.port")
CONF="$DEMO/govsite.conf"
cat >"$CONF" <<CONF_EOF
[crawl]
contact = http://www.shifan.test/govsite-crawler.html
connect_to = *.shifan.test:80:127.0.0.1:$PORT
CONF_EOF
# The demo's as-of instant and the loopback mapping concern the crawl only.
CRAWL_NOW="${GOVSITE_NOW:-2018-12-01 09:00}"
echo
echo "== 抓取 (crawl --all; the demo server is ours, so the rate limit is lifted)"
GOVSITE_NOW="$CRAWL_NOW" "$G" --config "$CONF" crawl --all --rate 0 --per-host 4 --json >"$DEMO/crawl.json"
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
kill "$SERVE_PID" 2>/dev/null || true
wait "$SERVE_PID" 2>/dev/null || true
trap - EXIT INT TERM
# ------------------------------------------------------------ end of crawl (issue 4) ---

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



# --- cases: a month of work items (docs/cases.md) ----------------------------------------
# November 2018 as the city's systems and the national 找错 platform would export it, with
# the seed bulletin's figures (16 applications, 11 answered; 18 consultations, 15 in time;
# 25 找错 messages, all handled in time), imported and counted as of 1 December.
echo
echo "== 依申请公开、咨询、找错 (work items, November 2018)"
TT="$O/testtool"
"$TT" gen-cases disclosure --units "$ROOT/data/demo/units.csv" >"$DEMO/ysq-2018-11.csv"
"$TT" gen-cases consultation --units "$ROOT/data/demo/units.csv" >"$DEMO/zx-2018-11.csv"
"$TT" gen-cases error-report --sites "$ROOT/data/demo/sites.csv" >"$DEMO/zc-2018-11.csv"
"$G" case import "$DEMO/ysq-2018-11.csv" --kind disclosure
"$G" case import "$DEMO/zx-2018-11.csv" --kind consultation
"$G" case import "$DEMO/zc-2018-11.csv" --kind error-report --map "$ROOT/data/demo/cases-error-report.map"
for k in disclosure consultation error-report; do
    "$G" case stats --kind "$k" --from 2018-11-01 --to 2018-11-30 --as-of 2018-12-01
done
"$G" case stats --kind consultation --from 2018-11-01 --to 2018-11-30 --as-of 2018-12-01 --by unit
"$G" case list --open --as-of 2018-12-01 --kind disclosure
# --- end cases ---------------------------------------------------------------------------

# ---- checks (issue 5): wording, availability, the checks on the crawl, verdicts ---------
echo
echo "== 表述检查 (wording): a sample notice of June 2019 against the built-in dictionary"
"$G" wording scan --as-of 2019-06-01 "$ROOT/data/demo/wording-sample.txt"
# The demo sites are served again for the probes (the crawl section stopped its server);
# the probes reach *.shifan.test on loopback through the same [crawl] connect_to.
rm -f "$DEMO/serve2.port"
"$TT" serve "$SITES" --port-file "$DEMO/serve2.port" >"$DEMO/serve2.log" 2>&1 &
SERVE2_PID=$!
trap 'kill "$SERVE2_PID" 2>/dev/null; wait "$SERVE2_PID" 2>/dev/null' EXIT INT TERM
n=0
until [ -s "$DEMO/serve2.port" ]; do
    n=$((n + 1))
    [ $n -le 100 ] || { echo "demo: testtool serve did not start (see $DEMO/serve2.log)" >&2; exit 1; }
    sleep 0.1
done
CONF2="$DEMO/govsite-checks.conf"
cat >"$CONF2" <<CONF_EOF
[crawl]
contact = http://www.shifan.test/govsite-crawler.html
connect_to = *.shifan.test:80:127.0.0.1:$(cat "$DEMO/serve2.port")
[checks]
retired = www.gdbs.gov.cn.invalid
CONF_EOF
echo
echo "== 可用性 (availability): one probe of every site in operation"
"$G" --config "$CONF2" probe --all --timeout 3 || true
kill "$SERVE2_PID" 2>/dev/null || true
wait "$SERVE2_PID" 2>/dev/null || true
trap - EXIT INT TERM
echo
echo "== 已关停网址与机构改革日期 (the retired service hall; the city's reform date, confirmed by the office)"
"$G" retired add www.gdbs.gov.cn --note "原广东省网上办事大厅（已关停）"
"$G" --config "$CONF2" retired list
"$G" wording add 食品药品监督管理局 市场监督管理局 --from 2018-10-30 \
    --note "本市市场监督管理局 2018-10-30 挂牌（演示）" --by demo
echo
echo "== 全面检查 (govsite check --all as of the crawl's day: every check, then the verdict)"
GOVSITE_NOW="$CRAWL_NOW" "$G" --config "$CONF2" check --all --json >"$DEMO/check.json"
jq -r '.[] | "\(.site)\t\(.verdict)\t得分 \(.score)\t问题 \(.findings | length)" +
    (if (.vetoes | length) > 0 then "\t否决: " + (.vetoes | map(.reason) | join("；")) else "" end)' \
    "$DEMO/check.json"
echo
echo "== 问题分类 (open findings by kind, all sites)"
jq -r '[.[].findings[]] | group_by(.kind)[] | "\(length)\t\(.[0].kind)\t\(.[0].kind_name)"' "$DEMO/check.json"
echo
echo "== 需要更新的栏目 (stale and blank columns, with the responsible unit)"
jq -r '.[] | .site as $s | .findings[] | select(.kind == "column-stale" or .kind == "column-blank") |
    "\($s)\t\(.unit)\t\(.summary)"' "$DEMO/check.json"
echo
echo "== 重点领域栏目缺少的内容 (required items missing)"
jq -r '.[] | .findings[] | select(.kind == "required-missing") | "\(.unit)\t\(.column)\t\(.subject)"' \
    "$DEMO/check.json"
echo
echo "== 链接到已关停的网上办事大厅 (links to the retired hall: pages per unit)"
jq -r '[.[] | .site as $s | .findings[] | select(.kind == "link-retired") | {s: $s, u: .unit, n: .value}] |
    group_by(.s + .u)[] | "\(.[0].s)\t\(.[0].u)\t\(map(.n) | add) 处"' "$DEMO/check.json"
echo
echo "== 表述错误 (outdated agency names after the reform)"
jq -r '.[] | .findings[] | select(.kind == "wording") | "\(.unit)\t\(.subject)\t\(.url)"' "$DEMO/check.json"
echo
echo "== 信息发布数量 (publication counts, November 2018, by unit)"
"$G" article stats --month 2018-11 | head -n 12
echo
echo "== 检查结论 (stored verdicts; one probe is not a monitored week)"
"$G" verdicts --latest
# ---- end of checks ----------------------------------------------------------------------

# ---- feeds (issue 10): 政声传递 re-posting, catalogues, tasks, interviews --------------
# The demo's upstream feeds (a national RSS and the province's GBK push, written by
# gen-demo-sites next to the sites, which re-post some items on time, some late and miss
# some) served again on loopback; judged as of 1 December 2018 like the crawl.
echo
echo "== 政声传递: 上级政策信息源 (upstream feeds)"
rm -f "$DEMO/serve2.port"
"$TT" serve "$SITES" --port-file "$DEMO/serve2.port" >"$DEMO/serve2.log" 2>&1 &
SERVE_PID=$!
trap 'kill "$SERVE_PID" 2>/dev/null; wait "$SERVE_PID" 2>/dev/null' EXIT INT TERM
n=0
until [ -s "$DEMO/serve2.port" ]; do
    n=$((n + 1))
    [ $n -le 100 ] || { echo "demo: testtool serve did not start (see $DEMO/serve2.log)" >&2; exit 1; }
    sleep 0.1
done
FEED_TO="::127.0.0.1:$(cat "$DEMO/serve2.port")"
export GOVSITE_NOW="$CRAWL_NOW"
"$G" feed add 国务院 http://www.gov.test/rss.xml --level national
"$G" feed add 广东省 http://www.gd.test/push.xml --level province --window 48
"$G" feed pull --connect-to "$FEED_TO"
"$G" feed list
kill "$SERVE_PID" 2>/dev/null || true
wait "$SERVE_PID" 2>/dev/null || true
trap - EXIT INT TERM
echo
echo "== 政声传递转载矩阵 (re-post matrix: units × upstream items)"
"$G" repost matrix --json | jq -r 'group_by(.site)[] |
    "\(.[0].unit)\t按时 \([.[] | select(.status == "on_time")] | length)\t超时 \([.[] | select(.status == "late")] | length)\t未转载 \([.[] | select(.status == "missing")] | length)\t\(.[0].site)"'
"$G" repost matrix --site 4404990001
"$G" repost matrix --xlsx -o "$DEMO/repost-2018-11.xlsx"
echo "  (workbook: $DEMO/repost-2018-11.xlsx)"
echo
echo "== 转载、信息公开目录与互动检查 (findings)"
"$G" repost check --all
"$G" catalogue check --all
"$G" interaction check --all
"$G" findings --kind repost-column-missing
"$G" findings --kind repost-column-misnamed
echo
echo "== 整改任务 (rectification tasks): a rule for the missing 政声传递 columns, one by hand"
"$G" task rule add --kind repost-column-missing --older-than 0 --due-days 10 --by 市府办
"$G" task sweep
F=$("$G" findings --kind repost-column-misnamed --json | jq -r '.[0].id')
"$G" task add "将“转载信息”栏目更名为“政声传递”" --finding "$F" --due 2018-12-14 --by 市府办
"$G" task list
echo
echo "== 民生在线访谈 (the next interview, in the bulletin's words)"
"$G" interview add 市发改局 2019-01-18 --topic 优化营商环境 --by 市府办
"$G" interview list
"$G" interview next --from 2018-12-12
unset GOVSITE_NOW
# ---- end feeds ---------------------------------------------------------------------------
# ---- reports (issue 7): the monthly 通报 and the annual forms (docs/reports.md) ----------
# The demo city's bulletin for November 2018 as of 1 December, dated 12 December, in every
# format, from the crawl, the work items and the open findings above; then the 2018 forms.
RCONF="$DEMO/report.conf"
cat "$CONF" >"$RCONF"
cat >>"$RCONF" <<RCONF_EOF
[report]
number = 示府办函〔2018〕295号
group_name = 示范市政府网站交流群
group_no = 105740705
service_hall_notice = yes
service_portal_url = http://www.gdzwfw.gov.cn
interview_unit = 市发改局
interview_date = 2019-01-18
RCONF_EOF
echo
echo "== 月度通报 (the November 2018 bulletin) in $DEMO/bulletin-2018-11.{docx,html,md,xlsx}"
for f in docx html md xlsx; do
    GOVSITE_NOW="2018-12-12 09:00" "$G" -q --config "$RCONF" report monthly --month 2018-11 \
        --as-of 2018-12-01 -o "$DEMO/bulletin-2018-11.$f"
done
sed -n '/^## 一、/,/^## 二、/p' "$DEMO/bulletin-2018-11.md"
echo
echo "== 年度报表 (the 2018 annual forms) in $DEMO/annual-2018-*.{docx,xlsx,md}"
for form in work supervision disclosure; do
    for f in docx xlsx md; do
        GOVSITE_NOW="2019-01-10 09:00" "$G" -q --config "$RCONF" report annual --year 2018 \
            --form "$form" -o "$DEMO/annual-2018-$form.$f"
    done
done
ls -l "$DEMO"/bulletin-2018-11.* "$DEMO"/annual-2018-*
# ---- end reports -------------------------------------------------------------------------

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
echo "  页面: 总览 /  办件 /cases（November 2018's items: open ones are long overdue today）"
echo "        问题 /findings  站点与栏目 /sites  政声传递 /repost  整改任务 /tasks  访谈 /interviews"
echo "        报告 /reports (admin, ducha: the bulletin and annual forms in every format)"
echo "        任务调度 /jobs (the job queue and each site's crawl/probe/check schedule)"
echo "        设置 /settings (admin)  — jtj sees and answers 市交通局's items only"
echo "  The demo's data is of 2018 and its sites were served only during this script, so the"
echo "  scheduler is off here (--no-scheduler); in production serve crawls, probes, checks"
echo "  and pulls feeds on its own (docs/scaling.md).  serve --public opens /public."
echo "  API:   curl -H 'Authorization: Bearer TOKEN' http://$HOSTPART:${LISTEN##*:}/api/v1/sites"
echo "         (a token: $G --db $GOVSITE_DB user token admin)"
echo "  Ctrl-C stops the server."
echo
exec "$G" serve --listen "$LISTEN" --no-scheduler
