#!/bin/sh
# t2001-crawl: crawl the generated demo sites served on loopback; the crawl, links and
# pages commands, their --json contracts, and the planted problems found exactly.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"

# a smaller city than `make demo`: fewer old items, the seed's unit counts kept
demo_sites 6
export GOVSITE_CONFIG="$T/govsite.conf"
govsite unit import "$DEMO/units.csv" >/dev/null
govsite site import "$DEMO/sites.csv" >/dev/null
govsite column import "$DEMO/columns.csv" >/dev/null

check 'crawl --help shows the usage' '
    govsite crawl --help >h.out || exit 1
    expect_contains h.out "usage: govsite crawl SITE...|--all" || exit 1
    govsite links --help | grep -q -- "--broken" || exit 1
    govsite pages --help | grep -q "breadcrumb" || exit 1
'
check 'usage errors exit 2' '
    expect_fail 2 govsite crawl || exit 1
    expect_fail 2 govsite crawl --all 4404990001 || exit 1
    expect_fail 2 govsite crawl 4404990001 --rate fast || exit 1
    expect_fail 2 govsite links || exit 1
    expect_fail 2 govsite pages 4404990001 --broken || exit 1
'
check 'an unknown site is an error naming it' '
    expect_fail 1 govsite crawl no-such-site 2>err.out || exit 1
    expect_contains err.out "no-such-site" || exit 1
'
check 'links before any crawl says how to crawl' '
    expect_fail 1 govsite links 4404990006 2>err.out || exit 1
    expect_contains err.out "govsite crawl" || exit 1
'
check 'crawl --all crawls the live sites and skips the others' '
    govsite crawl --all --rate 0 --per-host 4 --json >crawl.json 2>crawl.err || exit 1
    expect_json crawl.json "length == 8 and all(.[]; .state == \"complete\" and .pages > 100)" || exit 1
    expect_contains crawl.err "已迁移" || exit 1
    expect_contains crawl.err "临时关停" || exit 1
'
check 'links --json: one array with the contract fields' '
    govsite links 4404990001 --json >links.json || exit 1
    expect_json links.json "type == \"array\" and length > 1000" || exit 1
    expect_json links.json "all(.[]; has(\"source\") and has(\"target\") and has(\"status\") and has(\"error\"))" || exit 1
    expect_json links.json "all(.[]; (.status | type) == \"number\" and (.error == null or (.error | type) == \"string\"))" || exit 1
'
check 'the retired service hall is a dns failure, not merely broken' '
    govsite links 4404990001 --broken --json >b.json || exit 1
    expect_json b.json "any(.[]; .target == \"http://www.gdbs.gov.cn.invalid/\" and .error == \"dns\" and .status == 0)" || exit 1
'
check 'every planted broken link and retired-hall link is reported, nothing else' '
    for code in $(govsite site list --json | jq -r ".[] | select(.status == \"正常运行\") | .code"); do
        govsite links "$code" --broken --json || exit 1
    done | jq -s "add | map(.source + \" \" + .target) | unique" >found.json || exit 1
    jq "[.broken_links[], .retired_links[]] | map(.source + \" \" + .target) | unique" sites/manifest.json >want.json || exit 1
    expect_eq "$(jq -c . found.json)" "$(jq -c . want.json)" || exit 1
'
check 'links --broken keeps only failures; --csv has a header' '
    govsite links 4404990005 --broken --json >b5.json || exit 1
    expect_json b5.json "length > 0 and all(.[]; .result == \"broken\" or .result == \"dns\" or .result == \"timeout\" or .result == \"error\")" || exit 1
    govsite links 4404990005 --csv >l.csv || exit 1
    head -n 1 l.csv | grep -q "^source,target,status,error" || exit 1
'
check 'pages --json: the contract fields; breadcrumb is an array' '
    govsite pages 4404990001 --json >pages.json || exit 1
    expect_json pages.json "all(.[]; has(\"url\") and has(\"status\") and has(\"charset\") and has(\"title\") and has(\"date\") and has(\"breadcrumb\") and has(\"items\") and has(\"latest\"))" || exit 1
    expect_json pages.json "any(.[]; .breadcrumb == [\"首页\",\"通知公告\"])" || exit 1
    expect_json pages.json "all(.[]; .date == null or (.date | test(\"^[0-9]{4}-[0-9]{2}-[0-9]{2}$\")))" || exit 1
'
check 'the GBK subtree is decoded (charset as declared)' '
    expect_json pages.json "any(.[]; .charset == \"gb2312\" and (.breadcrumb // [] | index(\"政务公开\")))" || exit 1
'
check 'every column list page gives the manifest latest date' '
    jq -r ".columns[] | select(.site == \"示范市人民政府门户网站\") | \"\(.url) \(.latest)\"" sites/manifest.json | sort >want.txt || exit 1
    jq -r ".[] | select(.url | endswith(\"/\")) | \"\(.url) \(.latest)\"" pages.json | sort >got.txt || exit 1
    join want.txt got.txt >both.txt || exit 1
    expect_eq "$(wc -l <both.txt)" "$(wc -l <want.txt)" || exit 1
    awk "\$2 != \$3 { print; bad = 1 } END { exit bad }" both.txt || exit 1
'
check 'articles per unit in November 2018 are the manifest counts' '
    sql "SELECT COALESCE(u.short_name, u.name), COUNT(*) FROM crawl_articles a JOIN site_columns c ON c.id = a.column_id JOIN units u ON u.id = c.unit_id WHERE a.run_id IN (SELECT MAX(id) FROM crawl_runs GROUP BY site_id) AND a.date BETWEEN '"'"'2018-11-01'"'"' AND '"'"'2018-11-30'"'"' GROUP BY 1" | sort >got.txt || exit 1
    jq -r ".november_2018.by_unit | to_entries[] | select(.value > 0) | \"\(.key)|\(.value)\"" sites/manifest.json | sort >want.txt || exit 1
    expect_eq "$(cat got.txt)" "$(cat want.txt)" || exit 1
    head -n 1 got.txt >/dev/null || exit 1
    expect_json sites/manifest.json ".november_2018.by_unit | to_entries | .[0].key == \"高栏港区\" and .[1].key == \"市食药监局\" and .[2].key == \"市人社局\" and .[3].key == \"市教育局\"" || exit 1
'
check 'a re-crawl works and keeps the earlier run' '
    govsite crawl 4404990007 --rate 0 --json >c2.json || exit 1
    expect_json c2.json ".[0].state == \"complete\"" || exit 1
    expect_eq "$(sql "SELECT COUNT(*) FROM crawl_runs r JOIN sites s ON s.id = r.site_id WHERE s.code = '"'"'4404990007'"'"'")" 2 || exit 1
    govsite pages 4404990007 --run "$(jq .[0].run c2.json)" --json | jq -e "length > 10" >/dev/null || exit 1
'
check 'resume with nothing unfinished starts a fresh run' '
    govsite crawl 4404990008 --rate 0 --resume --json >c3.json || exit 1
    expect_json c3.json ".[0].state == \"complete\"" || exit 1
'
kill "$SERVE_PID" 2>/dev/null
wait "$SERVE_PID" 2>/dev/null
finish
