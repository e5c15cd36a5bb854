#!/bin/sh
# t1001-registry: unit/site/column import, list --json shapes, idempotency, all-or-nothing.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"

check 'the demo registry imports' '
    govsite unit import "$DEMO/units.csv" >u.out
    govsite site import "$DEMO/sites.csv" >s.out
    govsite column import "$DEMO/columns.csv" >c.out
    grep -q "added" c.out
'
check 'importing the demo twice changes nothing the second time' '
    govsite unit list --json >u1.json; govsite site list --json >s1.json; govsite column list --json >c1.json
    govsite unit import "$DEMO/units.csv" --json >u.json
    govsite site import "$DEMO/sites.csv" --json >s.json
    govsite column import "$DEMO/columns.csv" --json >c.json
    for f in u s c; do expect_json $f.json ".inserted == 0 and .updated == 0 and .unchanged == .rows"; done
    govsite unit list --json >u2.json; govsite site list --json >s2.json; govsite column list --json >c2.json
    cmp u1.json u2.json && cmp s1.json s2.json && cmp c1.json c2.json
'
check 'list --json is an array keyed by the CSV field names' '
    govsite unit list --json >u.json
    expect_json u.json "type == \"array\" and length >= 25 and (.[0] | has(\"name\") and has(\"short_name\") and has(\"kind\") and has(\"parent\"))"
    govsite site list --json >s.json
    expect_json s.json "length >= 8 and (.[0] | has(\"name\") and has(\"url\") and has(\"code\") and has(\"unit\") and has(\"type\") and has(\"status\"))"
    govsite column list --json >c.json
    expect_json c.json "length >= 150 and (.[0] | has(\"site\") and has(\"path\") and has(\"url\") and has(\"unit\") and has(\"class\") and has(\"freshness_days\") and has(\"required_items\"))"
'
check 'the seed columns are registered with their units' '
    govsite column list --json >c.json
    expect_json c.json "any(.[]; .path == \"民生>主题服务>交通服务\" and .unit == \"市交通局\")"
    expect_json c.json "any(.[]; (.required_items // \"\") | contains(\"床位数\"))"
'
check 'a CSV with a malformed line 2 changes nothing and names line 2' '
    govsite unit list --json >before.json
    printf "name,short_name,kind,parent\n新单位,新,nonsense-kind,\n另一新单位,另,department,\n" >bad.csv
    expect_fail 1 govsite unit import bad.csv 2>err
    grep -q "bad.csv:2:" err
    grep -q "nothing was imported" err
    govsite unit list --json >after.json
    cmp before.json after.json
'
check 'a column CSV with an unterminated quote changes nothing' '
    govsite column list --json >before.json
    printf "site,path,class\n示范市人民政府门户网站,\"新栏目,通知公告\n" >q.csv
    expect_fail 1 govsite column import q.csv 2>err
    grep -q "q.csv:2:" err
    govsite column list --json >after.json
    cmp before.json after.json
'
check 'export round-trips through import' '
    govsite column export -o cols.csv
    govsite column import cols.csv --json >r.json
    expect_json r.json ".inserted == 0 and .updated == 0"
    govsite unit export >units.csv
    govsite unit import units.csv --json >r.json
    expect_json r.json ".inserted == 0 and .updated == 0"
'
check 'site add for a quick start, then look-ups by url and code' '
    govsite site add --name 测试网站 --url http://Test.shifan.test --unit 市教育局 >/dev/null
    govsite site show http://test.shifan.test/ --json >s.json
    expect_json s.json ".name == \"测试网站\" and .unit == \"市教育局\" and .url == \"http://test.shifan.test/\""
    govsite site show 4404990001 --json | jq -e ".type == \"门户网站\"" >/dev/null
'
check 'site add with a bad url is refused with the reason' '
    expect_fail 1 govsite site add --name x --url ftp://x.test/ 2>err
    grep -q "http" err
    expect_fail 2 govsite site add --name x 2>err
'
check 'column list for one site' '
    govsite column list 示范市教育局网站 --json >c.json
    expect_json c.json "length > 5 and all(.[]; .site == \"示范市教育局网站\")"
    expect_fail 1 govsite column list 没有这个网站 2>err
    grep -q "no site" err
'
check 'a GB18030 file from Excel imports' '
    printf "name,short_name,kind\n示范市测试局,市测试局,部门\n" | iconv -f UTF-8 -t GB18030 >gb.csv
    govsite unit import gb.csv >/dev/null
    govsite unit list --json | jq -e "any(.[]; .short_name == \"市测试局\" and .kind == \"department\")" >/dev/null
'
finish
