#!/bin/sh
# t3004-verdict: the 19号 verdict from findings: each single-veto item with its reason,
# the confirmed deductions and the unconfirmed ones kept apart, a column penalised once,
# a custom profile, stored history per date and per quarter.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"
SITE=示范市人民政府门户网站
TAB=$(printf '\t')
govsite unit import "$DEMO/units.csv" >/dev/null
govsite site import "$DEMO/sites.csv" >/dev/null
govsite column import "$DEMO/columns.csv" >/dev/null
# The demo portal's policy documents sit under 政务公开; give it a 一级栏目 too.
printf "site,path,url,unit,class\n$SITE,政策文件,http://www.shifan.test/zcwj/,市政府办公室,政策文件\n" >top.csv
govsite column import top.csv >/dev/null

# Stale columns with their days since the latest item: 动态要闻 over 14 days count for
# veto 4(1), 通知公告/政策文件 一级栏目 over 180 days too.
cat >stale.tsv <<EOT
column-stale${TAB}新闻>示范要闻${TAB}${TAB}新闻>示范要闻${TAB}20
column-stale${TAB}新闻>部门动态${TAB}${TAB}新闻>部门动态${TAB}30
column-stale${TAB}新闻>各区动态${TAB}${TAB}新闻>各区动态${TAB}10
column-stale${TAB}通知公告${TAB}${TAB}通知公告${TAB}200
column-stale${TAB}政务公开>公示公告${TAB}${TAB}政务公开>公示公告${TAB}400
EOT

check 'a clean site is 合格 with 100 points, with the availability note' '
    GOVSITE_NOW="2019-03-01 09:00" govsite verdict "$SITE" --json >v.json
    expect_json v.json ".site == \"$SITE\" and .date == \"2019-03-01\" and .verdict == \"合格\" and .vetoes == [] and .score == 100"
    expect_json v.json "(.notes | length) == 1 and (.notes[0] | contains(\"站点可用性未能判定\"))"
    expect_json v.json ".facts.stale_news == 0 and (.profile | contains(\"19号\"))"
'
check 'stale columns: 3 counted for veto 4(1), below 5: deductions only' '
    GOVSITE_NOW="2019-04-01 09:00" testtool report "$SITE" column-stale,column-blank complete <stale.tsv >/dev/null
    GOVSITE_NOW="2019-04-01 09:00" govsite verdict "$SITE" --json >v.json
    expect_json v.json ".verdict == \"合格\" and .facts.stale_news == 2 and .facts.stale_notice_policy_top == 1 and .facts.stale_columns == 5"
    expect_json v.json "any(.deductions[]; .key == \"stale-columns\" and .count == 5 and .points == 5 and .confirmed == false)"
    expect_json v.json ".score == 95 and .score_confirmed == 100"
'
check 'two more 动态要闻 columns make 5: veto 4(1) with its reason' '
    cat stale.tsv >more.tsv
    printf "column-stale${TAB}新闻>图片新闻${TAB}${TAB}新闻>图片新闻${TAB}15\n" >>more.tsv
    printf "column-stale${TAB}政策文件${TAB}${TAB}政策文件${TAB}190\n" >>more.tsv
    GOVSITE_NOW="2019-04-02 09:00" testtool report "$SITE" column-stale,column-blank complete <more.tsv >/dev/null
    GOVSITE_NOW="2019-04-02 09:00" govsite verdict "$SITE" --json >v.json
    expect_json v.json ".verdict == \"不合格\" and (.vetoes | length) == 1 and .vetoes[0].key == \"columns-news-policy\""
    expect_json v.json ".vetoes[0].reason | contains(\"累计5个\")"
    expect_json v.json "any(.deductions[]; .key == \"policy-stale\" and .points == 5 and .confirmed)"
    expect_json v.json "any(.deductions[]; .key == \"stale-columns\" and .count == 6)"
    GOVSITE_NOW="2019-04-02 09:00" govsite verdict "$SITE" >v.txt
    grep -q "不合格" v.txt
    grep -q "单项否决: 动态要闻类超2周" v.txt
    grep -q "扣分: 发布解读 政策文件类一级栏目6个月未更新 ×1 −5.00" v.txt
'
check 'a serious wording error vetoes; dismissing it as a false positive lifts the veto' '
    printf "wording${TAB}新闻>示范要闻${TAB}http://www.shifan.test/xw/sfyw/1.html${TAB}习进平${TAB}1${TAB}serious\n" >w.tsv
    GOVSITE_NOW="2019-04-03 09:00" testtool report "$SITE" wording complete <w.tsv >/dev/null
    GOVSITE_NOW="2019-04-03 09:00" govsite verdict "$SITE" --json --dry-run >v.json
    expect_json v.json "any(.vetoes[]; .key == \"security-wording\" and .reason == \"存在严重表述错误1处\")"
    id=$(govsite findings --kind wording --json | jq -r ".[0].id")
    GOVSITE_NOW="2019-04-03 10:00" govsite finding dismiss "$id" --reason "引用原文" --by 张三 >/dev/null
    GOVSITE_NOW="2019-04-03 11:00" govsite verdict "$SITE" --json >v.json
    expect_json v.json "all(.vetoes[]; .key != \"security-wording\")"
'
check 'the stored history: one verdict per date, the last one of each quarter' '
    govsite verdicts --json >h.json
    expect_json h.json "length == 4 and ([.[].date] == [\"2019-03-01\", \"2019-04-01\", \"2019-04-02\", \"2019-04-03\"])"
    govsite verdicts --quarter 2019Q2 --json >q.json
    expect_json q.json "length == 1 and .[0].date == \"2019-04-03\" and .[0].verdict == \"不合格\""
    govsite verdicts --quarter 2019Q1 --json >q1.json
    expect_json q1.json "length == 1 and .[0].verdict == \"合格\""
    govsite verdicts --site "$SITE" --from 2019-04-01 --to 2019-04-02 --csv >h.csv
    head -n 1 h.csv | grep -q "^site,date,verdict,score,score_confirmed,vetoes$"
    test "$(wc -l <h.csv)" -eq 3
    expect_fail 2 govsite verdicts --quarter 2019Q5 2>err
'
check 'as of an earlier date, the verdict reads the findings as they were' '
    GOVSITE_NOW="2019-04-10 09:00" govsite verdict "$SITE" --as-of 2019-04-01 --dry-run --json >v.json
    expect_json v.json ".date == \"2019-04-01\" and .verdict == \"合格\" and .facts.stale_columns == 5"
'
check 'a custom profile; its errors name the file and line' '
    cat >p.ini <<EOT
[profile]
name = 本市考核
pass = 90
[deduct stale]
name = 栏目不更新
fact = stale_columns
points = 3
per = each
EOT
    GOVSITE_NOW="2019-04-10 09:00" govsite verdict "$SITE" --profile "$T/p.ini" --dry-run --json >v.json
    expect_json v.json ".profile == \"本市考核\" and .score == 79 and .verdict == \"不合格\" and .vetoes == []"
    printf "[profile]\nname = x\n[veto a]\nfact = nonsense\n" >bad.ini
    expect_fail 1 govsite verdict "$SITE" --profile "$T/bad.ini" 2>err
    grep -q "bad.ini:4: \[veto a\]: unknown fact .nonsense." err
'
check 'verdict --all covers every site in operation' '
    GOVSITE_NOW="2019-04-10 09:00" govsite verdict --all --dry-run --json >a.json
    expect_json a.json "length == $(govsite site list --json | jq "[.[] | select(.status == \"正常运行\")] | length")"
    expect_fail 2 govsite verdict 2>err
'
finish
