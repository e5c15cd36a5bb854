#!/bin/sh
# t3006-check: `govsite check` on the generated demo sites, crawled for real, against the
# generator's manifest: column latest dates and stale/blank columns, broken and
# retired-hall links, missing required items, outdated agency names, November 2018
# publication counts; the --json contract; retired, article, column proposal commands;
# resolution after the fixture is fixed; dismissal; the as-of date.
. "$(dirname "$0")/lib.sh"
TT="$O/testtool"
DEMO="$ROOT/data/demo"

cat >knobs.conf <<'K'
[demo]
history = 6
items_per_page = 10
K
"$TT" gen-demo-sites sites --data "$DEMO" --config knobs.conf >gen.out
"$TT" serve sites --port-file port >serve.out 2>&1 &
SERVE_PID=$!
for _ in 1 2 3 4 5 6 7 8 9 10 11 12 13 14 15; do [ -s port ] && break; sleep 0.2; done
PORT=$(cat port)
cat >govsite.conf <<C
[crawl]
contact = http://office.shifan.test/crawler
connect_to = *.shifan.test:80:127.0.0.1:$PORT
[checks]
retired = www.gdbs.gov.cn.invalid
C
export GOVSITE_CONFIG="$T/govsite.conf"
govsite unit import "$DEMO/units.csv" >/dev/null
govsite site import "$DEMO/sites.csv" >/dev/null
govsite column import "$DEMO/columns.csv" >/dev/null
# the city's 机构改革 took effect before November (the office confirms the local date)
govsite wording add 食品药品监督管理局 市场监督管理局 --from 2018-10-30 --by tester >/dev/null
govsite crawl --all --rate 0 --per-host 4 --json >crawl.json 2>crawl.err

check 'check --help and usage errors' '
    govsite check --help >h.out || exit 1
    expect_contains h.out "usage: govsite check SITE|--all" || exit 1
    expect_fail 2 govsite check || exit 1
    expect_fail 2 govsite check --all 4404990001 || exit 1
    expect_fail 1 govsite check 4404990001 --as-of yesterday 2>/dev/null || exit 1
    expect_fail 2 govsite article stats || exit 1
    expect_fail 2 govsite article stats --month 2018-11 --by site || exit 1
    expect_fail 2 govsite retired || exit 1
'
check 'check --all --json: the contract' '
    govsite check --all --json >check.json || exit 1
    expect_json check.json "type == \"array\" and length == 8" || exit 1
    expect_json check.json "all(.[]; has(\"site\") and (.verdict == \"合格\" or .verdict == \"不合格\") and (.vetoes | type) == \"array\" and (.findings | type) == \"array\")" || exit 1
    expect_json check.json "all(.[].vetoes[]; (.reason | type) == \"string\")" || exit 1
    expect_json check.json "all(.[].findings[]; has(\"kind\") and has(\"unit\") and has(\"column\") and has(\"subject\") and (.evidence | type) == \"object\")" || exit 1
    expect_json check.json ".[0].verdict == \"不合格\" and (.[0].vetoes | length) >= 1" || exit 1
'
check 'column latest dates, stale and blank columns match the manifest' '
    govsite column list --json >cols.json || exit 1
    expect_json cols.json "all(.[]; has(\"path\") and has(\"url\") and has(\"class\") and has(\"latest\") and has(\"stale\") and has(\"unit\") and has(\"state\"))" || exit 1
    jq -S "[.columns[] | {site, path, latest, stale: (.stale or .blank)}] | sort_by(.site, .path)" sites/manifest.json >want.json
    jq -S "[.[] | select(.crawled) | {site, path, latest, stale}] | sort_by(.site, .path)" cols.json >got.json
    diff want.json got.json || exit 1
    jq -r "[.columns[] | select(.stale and (.blank | not)) | .site + \" \" + .path] | sort | .[]" sites/manifest.json >want.txt
    jq -r "[.[] | .site as \$s | .findings[] | select(.kind == \"column-stale\") | \$s + \" \" + .column] | sort | .[]" check.json >got.txt
    diff want.txt got.txt || exit 1
    jq -r "[.columns[] | select(.blank) | .site + \" \" + .path] | sort | .[]" sites/manifest.json >want.txt
    jq -r "[.[] | .site as \$s | .findings[] | select(.kind == \"column-blank\") | \$s + \" \" + .column] | sort | .[]" check.json >got.txt
    diff want.txt got.txt || exit 1
'
check 'broken links (home apart) and retired-hall links match the manifest' '
    jq -r "[.broken_links[] | .target + \" \" + (if .home then \"home\" else \"other\" end)] | unique | .[]" sites/manifest.json >want.txt
    jq -r "[.[].findings[] | select(.kind == \"link-broken\" or .kind == \"link-broken-home\") | .subject + \" \" + (if .kind == \"link-broken-home\" then \"home\" else \"other\" end)] | unique | .[]" check.json >got.txt
    diff want.txt got.txt || exit 1
    jq -r "[.retired_links[] | .source + \" \" + .target] | unique | .[]" sites/manifest.json >want.txt
    jq -r "[.[].findings[] | select(.kind == \"link-retired\") | .subject as \$t | .evidence.pages[] | . + \" \" + \$t] | unique | .[]" check.json >got.txt
    diff want.txt got.txt || exit 1
    expect_json check.json "all(.[].findings[] | select(.kind == \"link-retired\"); .unit != null and .evidence.retired == \"www.gdbs.gov.cn.invalid\")" || exit 1
'
check 'missing required items match the manifest' '
    jq -r "[.columns[] | select(has(\"missing_items\")) | .site + \" \" + .path as \$c | .missing_items[] | \$c + \" \" + .] | sort | .[]" sites/manifest.json >want.txt
    jq -r "[.columns[] | select(has(\"missing_items\")) | .site + \" \" + .path] | .[]" sites/manifest.json >cols.txt
    jq -r "[.[] | .site as \$s | .findings[] | select(.kind == \"required-missing\") | \$s + \" \" + .column + \" \" + .subject] | sort | .[]" check.json |
        grep -F -f cols.txt >got.txt
    diff want.txt got.txt || exit 1
'
check 'outdated agency names after the local reform date match the manifest' '
    jq -r "[.outdated_names[] | .url + \" \" + .word] | sort | .[]" sites/manifest.json >want.txt
    jq -r "[.[].findings[] | select(.kind == \"wording\") | .url + \" \" + .subject] | sort | .[]" check.json >got.txt
    diff want.txt got.txt || exit 1
'
check 'November 2018 publication counts per unit match the manifest' '
    govsite article stats --month 2018-11 --json >stats.json || exit 1
    expect_eq "$(jq .total stats.json)" "$(jq .november_2018.total sites/manifest.json)" || exit 1
    jq -S ".november_2018.by_unit | with_entries(select(.value > 0))" sites/manifest.json >want.json
    jq -S ".groups | map({key: .name, value: .count}) | from_entries" stats.json >got.json
    diff want.json got.json || exit 1
    govsite article stats --month 2018-11 >stats.txt || exit 1
    expect_contains stats.txt "高栏港区" || exit 1
    govsite article stats --month 2018-11 --by class --json | jq -e ".total == $(jq .total stats.json)" >/dev/null || exit 1
'
check 'a second check duplicates nothing; findings list the same' '
    govsite findings --json >f1.json || exit 1
    govsite check --all --json >check2.json || exit 1
    govsite findings --json >f2.json || exit 1
    expect_eq "$(jq length f1.json)" "$(jq length f2.json)" || exit 1
    expect_json check2.json "all(.[].checks | to_entries[] | .value; . == null or (.opened == 0 and .resolved == 0))" || exit 1
'
check 'the as-of date: a column list as of an earlier day' '
    govsite column list 4404990001 --as-of 2018-11-01 --json >early.json || exit 1
    expect_json early.json "all(.[] | select(.latest != null); .latest <= \"2018-11-01\")" || exit 1
    expect_json early.json "any(.[]; .latest != null)" || exit 1
'
check 'retired add/list/remove' '
    govsite retired add www.gdbs.gov.cn --note 原网上办事大厅 2>/dev/null || exit 1
    govsite retired list --json >r.json || exit 1
    expect_json r.json "length == 2 and any(.[]; .target == \"www.gdbs.gov.cn\" and .source == \"db\" and .note == \"原网上办事大厅\") and any(.[]; .source == \"config\")" || exit 1
    expect_fail 1 govsite retired remove www.gdbs.gov.cn.invalid 2>err.out || exit 1
    expect_contains err.out "configuration" || exit 1
    govsite retired remove www.gdbs.gov.cn 2>/dev/null || exit 1
    expect_fail 1 govsite retired remove www.gdbs.gov.cn 2>/dev/null || exit 1
    expect_fail 1 govsite retired add "not a host" 2>/dev/null || exit 1
'
check 'article import: bad rows by line, nothing written; idempotent' '
    printf "url,title,unit,column,published\nhttp://www.shifan.test/a/1.html,甲,市人社局,,2018-11-02 10:00\nhttp://www.shifan.test/a/2.html,乙,,,2018-11-03\nhttp://www.shifan.test/a/3.html,丙,市人社局,,2018/11/03\n" >bad.csv
    expect_fail 1 govsite article import bad.csv 2>err.out || exit 1
    expect_contains err.out "bad.csv:3:" || exit 1
    expect_contains err.out "bad.csv:4:" || exit 1
    expect_eq "$(govsite article stats --month 2018-11 --json | jq .total)" "$(jq .total stats.json)" || exit 1
    printf "url,title,unit,column,published\nhttp://www.shifan.test/a/1.html,甲,市人社局,,2018-11-02 10:00\nhttp://www.shifan.test/a/2.html,乙,,通知公告,2018-11-03\n" >good.csv
    govsite article import good.csv --json >i1.json || exit 1
    expect_json i1.json ".inserted == 2" || exit 1
    govsite article import good.csv --json >i2.json || exit 1
    expect_json i2.json ".unchanged == 2 and .inserted == 0" || exit 1
    expect_eq "$(govsite article stats --month 2018-11 --json | jq .total)" "$(( $(jq .total stats.json) + 2 ))" || exit 1
'
check 'column proposals: unregistered list pages come back as proposals; accept, classify, reject' '
    # unregister two columns of the portal: the check proposes them from the crawl
    for p in 政务公开\>规划计划\>土地利用规划 政务公开\>统计信息\>统计公报; do
        sql "DELETE FROM site_columns WHERE path = '"'"'$p'"'"'" || exit 1
    done
    govsite check 4404990001 --json >c1.json || exit 1
    expect_json c1.json ".crawl.proposed_columns == 2" || exit 1
    govsite column proposals --json >p.json || exit 1
    expect_json p.json "length == 2" || exit 1
    expect_json p.json "any(.[]; .path == \"政务公开>规划计划>土地利用规划\" and .class == \"规划计划\" and .url == \"http://www.shifan.test/zwgk/ghjh/tdlygh/\")" || exit 1
    expect_json p.json "any(.[]; .path == \"政务公开>统计信息>统计公报\" and .class == \"其他\")" || exit 1
    govsite column proposals 4404990001 >p.txt || exit 1
    expect_contains p.txt "土地利用规划" || exit 1
    govsite column classify 4404990001 政务公开\>统计信息\>统计公报 概况 2>/dev/null || exit 1
    expect_fail 1 govsite column classify 4404990001 政务公开\>统计信息\>统计公报 不是类型 2>/dev/null || exit 1
    expect_fail 2 govsite column reject 4404990001 2>/dev/null || exit 1
    govsite column accept 4404990001 政务公开\>规划计划\>土地利用规划 --unit 市国土局 2>/dev/null || exit 1
    govsite column reject 4404990001 政务公开\>统计信息\>统计公报 2>/dev/null || exit 1
    govsite column list --json >cl.json || exit 1
    expect_json cl.json "any(.[]; .path == \"政务公开>规划计划>土地利用规划\" and .state == \"registered\" and .unit == \"市国土局\")" || exit 1
    expect_json cl.json "all(.[]; .path != \"政务公开>统计信息>统计公报\")" || exit 1
    govsite column proposals --json >p2.json || exit 1
    expect_json p2.json "length == 0" || exit 1
    # a rejected column is not proposed again
    govsite check 4404990001 --json >c2.json || exit 1
    expect_json c2.json ".crawl.proposed_columns == 0" || exit 1
'
check 'dismissal survives; fixing the site resolves' '
    id=$(jq -r "[.[0].findings[] | select(.kind == \"link-broken-home\")][0].id" check.json)
    target=$(jq -r "[.[0].findings[] | select(.kind == \"link-broken-home\")][0].subject" check.json)
    govsite finding dismiss "$id" --reason 误报 --by tester 2>/dev/null || exit 1
    # fix the portal: its home page no longer links the broken targets
    for t in $(jq -r "[.[0].findings[] | select(.kind == \"link-broken-home\") | .subject] | .[]" check.json); do
        rel=${t#http://www.shifan.test}
        sed -i "s#href=\"$rel\"##g; s#href=\"$t\"##g" sites/www.shifan.test/index.html
    done
    govsite crawl 4404990001 --rate 0 --per-host 4 >/dev/null 2>&1 || exit 1
    govsite check 4404990001 --json >c3.json || exit 1
    expect_json c3.json ".checks.links.resolved >= 1" || exit 1
    govsite finding show "$id" --json >fs.json || exit 1
    expect_json fs.json ".state == \"dismissed\"" || exit 1
    govsite findings --resolved --kind link-broken-home --json >res.json || exit 1
    expect_json res.json "length >= 1" || exit 1
'
check 'probe maps hosts as the crawl does ([crawl] connect_to)' '
    govsite probe 4404990001 --timeout 3 --json >probe.json || exit 1
    expect_json probe.json ".[0].status == 200 and .[0].outcome == \"ok\"" || exit 1
'
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null
finish
