#!/bin/sh
# t5002-cases-findings: 办件, 问题 and 设置 through the real binary with curl: a month of
# work items imported by the CLI, listed and paged by cursor, an editor's reply through
# the API (the audit log and `case show` see it), the statistics as `case stats` gives
# them, findings from a check, dismissal, exports, calendar overrides (by the dashboard
# and by the CLI) that move deadlines at once, and the editor kept to their unit.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"
trap 'serve_stop >/dev/null 2>&1' EXIT

check 'a month of work items and two accounts' '
    govsite unit import "$DEMO/units.csv" >/dev/null
    govsite site import "$DEMO/sites.csv" >/dev/null
    govsite column import "$DEMO/columns.csv" >/dev/null
    testtool gen-cases consultation --units "$DEMO/units.csv" >zx.csv
    testtool gen-cases error-report --sites "$DEMO/sites.csv" >zc.csv
    govsite -q case import zx.csv --kind consultation
    govsite -q case import zc.csv --kind error-report --map "$DEMO/cases-error-report.map"
    govsite case add --kind consultation --unit 市交通局 --received "2018-11-20 10:00" \
        --subject "咨询公交线路调整" --requester 张三 --contact 13812345678 >num
    echo "admin-password" | govsite -q user add admin --role admin
    echo "editor-password" | govsite -q user add jt --role editor --unit 市交通局
    govsite user token admin >tok
    govsite user token jt >etok
'
serve_start
A="Authorization: Bearer $(cat tok)"
E="Authorization: Bearer $(cat etok)"
N=$(cat num)

check 'the list: filters, cursor pages that add up to the whole, the statistics of case stats' '
    curl -sf -H "$A" "$URL/api/v1/cases?per_page=500" >all.json
    total=$(jq .total all.json)
    expect_json all.json "(.items | length) == $total and $total > 40"
    next="/api/v1/cases?per_page=7"; : >walk
    while [ -n "$next" ]; do
        curl -sf -D hdr -H "$A" "$URL$next" | jq -r ".items[].number" >>walk
        next=$(sed -n "s/^Link: <\([^>]*\)>; rel=\"next\".*/\1/p" hdr | tr -d "\r")
    done
    jq -r ".items[].number" all.json >whole
    cmp walk whole
    curl -sf -H "$A" "$URL/api/v1/cases?state=overdue&kind=consultation&sort=due" >od.json
    expect_json od.json "any(.items[]; .number == \"$N\") and all(.items[]; .timing == \"open_overdue\")"
    curl -sf -H "$A" "$URL/api/v1/cases/stats?kind=consultation&from=2018-11-01&to=2018-11-30&as_of=2018-12-01" >s.json
    govsite case stats --kind consultation --from 2018-11-01 --to 2018-11-30 --as-of 2018-12-01 --json >c.json
    jq -S . s.json >a; jq -S . c.json >b; cmp a b
'
check 'the editor answers their overdue item; the log and case show have it' '
    code=$(curl -s -o r.json -w "%{http_code}" -H "$E" -H "Content-Type: application/json" \
        -d "{\"type\":\"assign\",\"unit\":\"市教育局\"}" "$URL/api/v1/cases/$N/events")
    expect_eq "$code" 409
    expect_json r.json ".error.code == \"CONFLICT\" and (.error.allowed | index(\"answer\")) != null"
    curl -sf -H "$E" -H "Content-Type: application/json" \
        -d "{\"type\":\"answer\",\"reply\":\"已答复\",\"public\":true}" "$URL/api/v1/cases/$N/events" >a.json
    expect_json a.json ".status == \"answered\" and .timing == \"late\" and .events[-1].actor == \"jt\""
    govsite case show "$N" --json >show.json
    expect_json show.json ".status == \"answered\" and .timing == \"late\""
    govsite case log "$N" | grep -q jt
'
check 'the editor sees their unit only: another unit is 404, exports hold their unit' '
    other=$(jq -r "[.items[] | select(.unit != \"市交通局\")][0].number" all.json)
    code=$(curl -s -o /dev/null -w "%{http_code}" -H "$E" "$URL/api/v1/cases/$other")
    expect_eq "$code" 404
    curl -sf -H "$E" "$URL/api/v1/cases?per_page=500" >mine.json
    expect_json mine.json "all(.items[]; .unit == \"市交通局\")"
    curl -sf -H "$E" "$URL/api/v1/cases?format=csv" >mine.csv
    expect_contains mine.csv "$N"
    ! grep -q "$other" mine.csv
    curl -sf -H "$A" "$URL/api/v1/cases?format=xlsx" >all.xlsx
    unzip -l all.xlsx | grep -q "xl/worksheets/sheet1.xml"
'
check 'a local day off moves open deadlines at once' '
    curl -sf -H "$A" "$URL/api/v1/cases?state=open&sort=due&per_page=1" >o.json
    n=$(jq -r ".items[0].number" o.json); due=$(jq -r ".items[0].due" o.json)
    day=$(echo "$due" | cut -c1-10)
    curl -sf -H "$A" -H "Content-Type: application/json" \
        -d "{\"date\":\"$day\",\"kind\":\"off\",\"name\":\"台风停工\"}" "$URL/api/v1/settings/calendar" >cal.json
    expect_json cal.json ".deadlines_moved > 0"
    curl -sf -H "$A" "$URL/api/v1/cases/$n" >n.json
    expect_json n.json ".due > \"$due\""
    govsite calendar list --local --json >l.json
    expect_json l.json "any(.[]; .date == \"$day\" and .name == \"台风停工\")"
    # the CLI moves them too, and the server sees it at once
    due2=$(jq -r ".due" n.json); day2=$(echo "$due2" | cut -c1-10)
    govsite calendar set "$day2" off 停电 --json >cal2.json
    expect_json cal2.json ".deadlines_moved > 0"
    curl -sf -H "$A" "$URL/api/v1/cases?state=open&sort=due&per_page=500" >o2.json
    expect_json o2.json "any(.items[]; .number == \"$n\" and .due > \"$due2\")"
'
TAB=$(printf '\t')
cat >day1.tsv <<EOT
column-stale${TAB}民生>主题服务>交通服务${TAB}${TAB}民生>主题服务>交通服务${TAB}95
column-stale${TAB}新闻>示范要闻${TAB}${TAB}新闻>示范要闻${TAB}20
link-retired${TAB}民生>主题服务>交通服务${TAB}http://www.shifan.test/ms/ztfw/jtfw/1.html${TAB}http://old-hall.example/bs/1
EOT
check 'findings of a check: listed, scoped, dismissed with a reason, exported' '
    GOVSITE_NOW="2018-12-01 09:00" testtool report 示范市人民政府门户网站 column-stale,link-retired complete <day1.tsv >t.json
    curl -sf -H "$A" "$URL/api/v1/findings" >f.json
    expect_json f.json ".total == 3 and all(.items[]; .state == \"open\")"
    # the site filter takes the 标识码 (ten digits, like an id) as well as the id
    sc=$(govsite site list --json | jq -r ".[] | select(.name == \"示范市人民政府门户网站\") | .code")
    curl -sf -H "$A" "$URL/api/v1/findings?site=$sc" >fc.json
    expect_json fc.json ".total == 3"
    curl -sf -H "$A" "$URL/api/v1/findings?site=4404999999" -o /dev/null -w "%{http_code}" >fc.code || true
    expect_eq "$(cat fc.code)" 400
    curl -sf -H "$E" "$URL/api/v1/findings" >ef.json
    expect_json ef.json ".total == 2 and all(.items[]; .unit == \"市交通局\")"
    theirs=$(jq -r "[.items[] | select(.unit != \"市交通局\")][0].id" f.json)
    code=$(curl -s -o /dev/null -w "%{http_code}" -H "$E" "$URL/api/v1/findings/$theirs")
    expect_eq "$code" 404
    code=$(curl -s -o /dev/null -w "%{http_code}" -H "$E" -H "Content-Type: application/json" \
        -d "{\"reason\":\"x\"}" "$URL/api/v1/findings/$theirs/dismiss")
    expect_eq "$code" 403
    curl -sf -H "$A" -H "Content-Type: application/json" -d "{\"reason\":\"栏目已撤并\"}" \
        "$URL/api/v1/findings/$theirs/dismiss" >d.json
    expect_json d.json ".state == \"dismissed\" and .dismissed.reason == \"栏目已撤并\" and .history[-1].event == \"dismissed\""
    govsite finding show "$theirs" | grep -q 栏目已撤并
    curl -sf -H "$A" "$URL/api/v1/findings" >f2.json
    expect_json f2.json ".total == 2"
    curl -sf -H "$A" "$URL/api/v1/findings/by-unit" >bu.json
    expect_json bu.json "(.items | length) == 1 and .items[0].unit == \"市交通局\" and .items[0].open == 2"
    curl -sf -H "$A" "$URL/api/v1/findings?format=csv&state=all" >f.csv
    head -c 3 f.csv | od -An -tx1 | grep -q "ef bb bf"
    expect_contains f.csv 栏目已撤并
'
check 'the pages render, with the editor kept to their unit' '
    for p in / /cases "/cases/$N" /cases/stats /findings /settings /settings/wording /settings/rules /sites/1; do
        code=$(curl -s -o page.html -w "%{http_code}" -H "$A" "$URL$p")
        expect_eq "$code" 200
    done
    code=$(curl -s -o /dev/null -w "%{http_code}" -H "$E" "$URL/settings")
    expect_eq "$code" 403
    curl -sf "$URL/metrics" >m.txt
    expect_contains m.txt "govsite_cases_overdue "
'
serve_stop
finish
