#!/bin/sh
# t4101-feeds: upstream feeds served on loopback (the demo's national RSS and GBK
# provincial push), the 政声传递 matrix over a real crawl of the demo sites (--json
# contract, --xlsx), the re-post findings, rectification tasks by rule and by hand,
# interviews and the bulletin's sentence, the catalogue and interaction checks.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"
demo_sites 4
cat >>govsite.conf <<C
[feed]
connect_to = ::127.0.0.1:$PORT
C
export GOVSITE_CONFIG="$T/govsite.conf"
govsite unit import "$DEMO/units.csv" >/dev/null
govsite site import "$DEMO/sites.csv" >/dev/null
govsite column import "$DEMO/columns.csv" >/dev/null
govsite crawl --all --rate 0 --per-host 4 >/dev/null 2>&1

check 'help and usage errors' '
    govsite feed --help | grep -q "usage: govsite feed add NAME URL"
    govsite repost --help | grep -q "lag_hours"
    govsite task --help | grep -q "task rule add"
    expect_fail 2 govsite feed add only-a-name
    expect_fail 2 govsite feed add x http://x/ --kind json
    expect_fail 2 govsite repost matrix --json --xlsx -o x.xlsx
    expect_fail 2 govsite repost matrix --xlsx
    expect_fail 2 govsite task close 1
    expect_fail 2 govsite interview add 市发改局
    expect_fail 1 govsite feed add bad ftp://x/ 2>err.out
    expect_contains err.out "http(s)"
'
check 'feeds are added, pulled (GBK included) and listed' '
    govsite feed add 国务院 http://www.gov.test/rss.xml --level national >/dev/null
    govsite feed add 广东省 http://www.gd.test/push.xml --level province --window 48 --kind rss >/dev/null
    expect_fail 1 govsite feed add 国务院 http://www.gov.test/rss.xml 2>err.out
    expect_contains err.out "exists"
    govsite feed pull >pull.out
    expect_contains pull.out "国务院: 4 items, 4 new"
    expect_contains pull.out "广东省: 2 items, 2 new"
    govsite feed list --json >feeds.json
    expect_json feeds.json "length == 2 and all(.[]; .pull_status == \"ok\")"
    expect_json feeds.json "[.[] | select(.name == \"广东省\")][0] | .window_hours == 48 and .level == \"province\" and .items == 2"
    govsite feed items 广东省 --json >items.json
    expect_json items.json "length == 2 and any(.[]; .doc_no == \"粤府〔2018〕79号\" and (.title | contains(\"降低制造业企业成本\")))"
    govsite feed items --json | jq -e "length == 6" >/dev/null
'
check 'a feed that fails is recorded and does not stop the others' '
    govsite feed add gone http://www.gov.test/gone.xml >/dev/null
    expect_fail 1 govsite feed pull 2>err.out >pull2.out
    expect_contains err.out "gone"
    expect_contains pull2.out "国务院: 4 items, 0 new"
    govsite feed list --json | jq -e "[.[] | select(.name == \"gone\")][0].pull_status == \"error\"" >/dev/null
    govsite feed remove gone
'
check 'repost matrix --json: the contract, on time, late with the lag, missing' '
    govsite repost matrix --json >m.json
    expect_json m.json "type == \"array\" and length == 48"
    expect_json m.json "all(.[]; has(\"site\") and has(\"unit\") and has(\"item\") and has(\"status\") and has(\"lag_hours\"))"
    expect_json m.json "all(.[]; (.status == \"missing\" and .lag_hours == null) or (.status != \"missing\" and (.lag_hours | type) == \"number\"))"
    P=示范市人民政府门户网站
    expect_json m.json "[.[] | select(.site == \"$P\" and (.item | startswith(\"李克强\")))][0] | .status == \"late\" and .lag_hours == 77"
    expect_json m.json "[.[] | select(.site == \"$P\" and (.item | startswith(\"国务院关于支持自由贸易\")))][0] | .status == \"on_time\" and .lag_hours == 0"
    expect_json m.json "[.[] | select(.site == \"$P\" and (.item | contains(\"降低制造业\")))][0].status == \"missing\""
    expect_json m.json "[.[] | select(.site == \"示范市金湾区人民政府门户网站\")] | length == 6 and all(.[]; .status == \"missing\" and .column == null)"
    expect_json m.json "[.[] | select(.site == \"示范市教育局网站\")][0].column == \"转载信息\""
'
check 'repost matrix as of earlier moments and by unit' '
    govsite repost matrix --as-of "2018-11-10 12:00" --json >early.json
    expect_json early.json "all(.[]; (.item | contains(\"放管服\") or contains(\"降低制造业\")))"
    govsite repost matrix --as-of "2018-11-10 12:00" --pending --json >pend.json
    expect_json pend.json "all(.[]; .status != \"pending\" or .lag_hours == null)"
    govsite repost matrix --unit 市教育局 --json >u.json
    expect_json u.json "length == 6 and all(.[]; .unit == \"市教育局\")"
    govsite repost matrix --xlsx -o m.xlsx
    head -c 2 m.xlsx | grep -q PK
    govsite repost matrix >m.txt
    expect_contains m.txt "on time"
'
check 'repost check: missing, late, no column, misnamed column' '
    govsite repost check --all --json >c.json
    expect_json c.json ".sites == 8 and .opened > 0"
    govsite findings --kind repost-column-missing --json >cm.json
    expect_json cm.json "length == 1 and .[0].site == \"示范市金湾区人民政府门户网站\""
    govsite findings --kind repost-column-misnamed --json >mn.json
    expect_json mn.json "length == 1 and .[0].subject == \"转载信息\""
    govsite findings --kind repost-late --json | jq -e "length > 0" >/dev/null
    govsite repost check --all --json >c2.json
    expect_json c2.json ".opened == 0 and .resolved == 0"
'
check 'tasks: by rule, by hand, shown, closed with a note' '
    govsite task rule add --kind repost-column-missing --older-than 0 --due-days 5 >/dev/null
    govsite task rule list --json | jq -e "length == 1 and .[0].kind == \"repost-column-missing\"" >/dev/null
    govsite task sweep --json >s.json
    expect_json s.json ".created == 1 and .findings == 1"
    govsite task list --json >t.json
    expect_json t.json "length == 1 and .[0].unit == \"金湾区\" and .[0].due == \"2018-12-07\" and .[0].state == \"open\""
    F=$(govsite findings --kind repost-column-misnamed --json | jq ".[0].id")
    govsite task add --finding "$F" --due 2018-12-20 --json >t2.json
    expect_json t2.json ".unit == \"市教育局\" and .due == \"2018-12-20\" and .findings == [$F]"
    ID=$(jq .id t2.json)
    govsite task show "$ID" >show.out
    expect_contains show.out "转载栏目"
    govsite task close "$ID" --note "栏目已改名" --by tester
    govsite task show "$ID" --json | jq -e ".state == \"closed\" and .close_note == \"栏目已改名\"" >/dev/null
    expect_fail 1 govsite task close "$ID" --note again
    govsite task list --state overdue --json | jq -e "length == 0" >/dev/null
    GOVSITE_NOW="2018-12-10 09:00" govsite task list --state overdue --json | jq -e "length == 1" >/dev/null
'
check 'interviews and the bulletin sentence' '
    govsite interview add 市发改局 2019-01-18 --topic 营商环境 >/dev/null
    expect_fail 1 govsite interview add 市发改局 2019-01-18
    govsite interview next >next.out
    expect_eq "$(cat next.out)" "2019年1月份“民生在线”访谈的单位为市发改局，时间暂定为2019年1月18日。请市发改局做好各项准备工作。"
    govsite interview list --json | jq -e "length == 1 and .[0].date == \"2019-01-18\" and .[0].unit == \"市发改局\"" >/dev/null
    ID=$(govsite interview list --json | jq ".[0].id")
    govsite interview remove "$ID"
    expect_fail 1 govsite interview next
'
check 'catalogue and interaction checks run over every site' '
    govsite catalogue check --all --json >cat.json
    expect_json cat.json ".sites == 8"
    govsite catalogue stale --json | jq -e "type == \"array\"" >/dev/null
    govsite interaction check --all --json >ia.json
    expect_json ia.json ".sites == 8 and .reported == 0"
'
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null
finish
