#!/bin/sh
# t3001-findings: the life of findings through the CLI: reported by check sessions
# (testtool report), listed with filters as a table, JSON and CSV, never duplicated,
# resolved by a complete check, reopened, dismissed with a reason, shown with history,
# and read as of an earlier date.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"
SITE=示范市人民政府门户网站
TAB=$(printf '\t')

check 'the demo registry imports' '
    govsite unit import "$DEMO/units.csv" >/dev/null
    govsite site import "$DEMO/sites.csv" >/dev/null
    govsite column import "$DEMO/columns.csv" >/dev/null
'
cat >day1.tsv <<EOT
column-stale${TAB}民生>主题服务>交通服务${TAB}${TAB}民生>主题服务>交通服务${TAB}95
column-stale${TAB}新闻>示范要闻${TAB}${TAB}新闻>示范要闻${TAB}20
link-retired${TAB}民生>主题服务>交通服务${TAB}http://www.shifan.test/ms/ztfw/jtfw/1.html${TAB}http://old-hall.example/bs/1
EOT
check 'a complete check opens three findings' '
    GOVSITE_NOW="2018-12-01 09:00" testtool report "$SITE" column-stale,link-retired complete <day1.tsv >t.json
    expect_json t.json ".opened == 3 and .resolved == 0"
    govsite findings --json >f.json
    expect_json f.json "length == 3"
    expect_json f.json "all(.[]; has(\"kind\") and has(\"unit\") and has(\"column\") and has(\"subject\") and has(\"evidence\"))"
    expect_json f.json "any(.[]; .kind == \"link-retired\" and .unit == \"市交通局\" and .column == \"民生>主题服务>交通服务\" and .url == \"http://www.shifan.test/ms/ztfw/jtfw/1.html\" and .evidence.seen == \"testtool\")"
    expect_json f.json "all(.[]; .state == \"open\" and .first_seen == \"2018-12-01T09:00:00+08:00\")"
'
check 'the same findings again are not duplicated' '
    GOVSITE_NOW="2018-12-02 09:00" testtool report "$SITE" column-stale,link-retired complete <day1.tsv >t.json
    expect_json t.json ".opened == 0 and .updated == 3"
    govsite findings --json >f.json
    expect_json f.json "length == 3 and all(.[]; .last_seen == \"2018-12-02T09:00:00+08:00\")"
'
check 'filters: --kind, --unit, --site' '
    govsite findings --kind link-retired --json >k.json
    expect_json k.json "length == 1 and .[0].subject == \"http://old-hall.example/bs/1\""
    govsite findings --unit 市交通局 --json >u.json
    expect_json u.json "length == 2"
    govsite findings --unit 示范市交通运输局 --json >u2.json
    cmp u.json u2.json
    govsite findings --site 示范市香洲区人民政府门户网站 --json >s.json
    expect_json s.json "length == 0"
    expect_fail 1 govsite findings --kind nonsense 2>err
    grep -q "unknown kind of finding .nonsense." err
    expect_fail 1 govsite findings --unit 没有这个单位 2>err
'
check 'the table names units and columns; CSV has a header and escapes' '
    govsite findings --site "$SITE" >tab.out 2>/dev/null
    grep -q "栏目不更新" tab.out
    grep -q "市交通局" tab.out
    govsite findings --csv >f.csv
    head -n 1 f.csv | grep -q "^id,kind,kind_name,site,unit,column,url,subject,severity,state,value,first_seen,last_seen,resolved_at,summary$"
    test "$(wc -l <f.csv)" -eq 4
'
cat >day3.tsv <<EOT
column-stale${TAB}民生>主题服务>交通服务${TAB}${TAB}民生>主题服务>交通服务${TAB}97
EOT
check 'a complete check that no longer sees two findings resolves them' '
    GOVSITE_NOW="2018-12-03 09:00" testtool report "$SITE" column-stale,link-retired complete <day3.tsv >t.json
    expect_json t.json ".resolved == 2"
    govsite findings --json >o.json
    expect_json o.json "length == 1 and .[0].value == 97"
    govsite findings --resolved --json >r.json
    expect_json r.json "length == 2 and all(.[]; .resolved_at == \"2018-12-03T09:00:00+08:00\")"
    govsite findings --all --json >a.json
    expect_json a.json "length == 3"
'
check 'a partial check resolves nothing' '
    GOVSITE_NOW="2018-12-04 09:00" testtool report "$SITE" column-stale partial </dev/null >t.json
    expect_json t.json ".resolved == 0"
    govsite findings --json >o.json
    expect_json o.json "length == 1"
'
check 'seen again, a resolved finding is reopened under the same id' '
    id=$(govsite findings --resolved --kind link-retired --json | jq -r ".[0].id")
    grep link-retired day1.tsv | GOVSITE_NOW="2018-12-05 09:00" testtool report "$SITE" link-retired complete >t.json
    expect_json t.json ".reopened == 1 and .opened == 0"
    govsite finding show "$id" --json >s.json
    expect_json s.json ".state == \"open\" and .resolved_at == null"
    expect_json s.json "[.history[].event] == [\"opened\", \"resolved\", \"reopened\"]"
'
check 'dismiss needs a reason, then stays dismissed when seen again' '
    id=$(govsite findings --kind link-retired --json | jq -r ".[0].id")
    expect_fail 2 govsite finding dismiss "$id" 2>err
    grep -q "needs --reason" err
    GOVSITE_NOW="2018-12-05 10:00" govsite finding dismiss "$id" --reason "链接已指向广东政务服务网的同名事项" --by 张三 >out
    grep -q "dismissed" out
    expect_fail 1 govsite finding dismiss "$id" --reason again --by 张三 2>err
    grep -q "already dismissed" err
    grep link-retired day1.tsv | GOVSITE_NOW="2018-12-06 09:00" testtool report "$SITE" link-retired complete >t.json
    expect_json t.json ".dismissed_seen == 1 and .reopened == 0"
    govsite finding show "$id" --json >s.json
    expect_json s.json ".state == \"dismissed\" and .dismissed.by == \"张三\" and .dismissed.reason == \"链接已指向广东政务服务网的同名事项\" and .dismissed.seen_again == \"2018-12-06T09:00:00+08:00\""
    govsite findings --dismissed --json >d.json
    expect_json d.json "length == 1"
    govsite finding show "$id" >s.txt
    grep -q "已忽略" s.txt
    grep -q "seen-dismissed" s.txt
'
check 'restore opens it again; GOVSITE_USER is the default person' '
    id=$(govsite findings --dismissed --json | jq -r ".[0].id")
    GOVSITE_USER=李四 GOVSITE_NOW="2018-12-07 09:00" govsite finding restore "#$id" --reason 复核 >/dev/null
    govsite finding show "$id" --json >s.json
    expect_json s.json ".state == \"open\" and (.history | last | .event == \"restored\" and .by == \"李四\")"
'
check 'as of an earlier date, findings show the state they had then' '
    govsite findings --all --as-of 2018-12-02 --json >a.json
    expect_json a.json "length == 3 and all(.[]; .state == \"open\")"
    govsite findings --resolved --as-of 2018-12-03 --json >r.json
    expect_json r.json "length == 2"
    govsite findings --all --as-of 2018-11-30 --json >n.json
    expect_json n.json "length == 0"
    govsite findings --dismissed --as-of 2018-12-05 --json >d.json
    expect_json d.json "length == 1 and .[0].dismissed.by == \"张三\""
'
check 'bad ids and subcommands are usage errors' '
    expect_fail 2 govsite finding show abc 2>err
    expect_fail 1 govsite finding show 99999 2>err
    grep -q "no finding with id 99999" err
    expect_fail 2 govsite finding frob 2>err
    grep -q "unknown subcommand .frob. (show, dismiss, restore)" err
    expect_fail 2 govsite findings --open --resolved 2>err
'
finish
