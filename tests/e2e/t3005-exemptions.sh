#!/bin/sh
# t3005-exemptions: approving legitimately quiet columns with a reason, an approver and an
# expiry; listing what is in force on a day; superseding and revoking; the limits.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"
SITE=示范市人民政府门户网站
govsite unit import "$DEMO/units.csv" >/dev/null
govsite site import "$DEMO/sites.csv" >/dev/null
govsite column import "$DEMO/columns.csv" >/dev/null

check 'an exemption needs a reason, an approver and an end date' '
    expect_fail 2 govsite column exempt "$SITE" "政务公开>人事信息>人事任免" --by 王五 --until 2019-03-31 2>err
    grep -q "needs --reason" err
    expect_fail 2 govsite column exempt "$SITE" "政务公开>人事信息>人事任免" --reason x --until 2019-03-31 2>err
    expect_fail 2 govsite column exempt "$SITE" "政务公开>人事信息>人事任免" --reason x --by 王五 2>err
    expect_fail 1 govsite column exempt "$SITE" "政务公开>人事信息>人事任免" --reason x --by 王五 --until 2019-02-30 2>err
    grep -q "is not a date" err
'
check 'approved until a date; listed while in force' '
    govsite column exempt "$SITE" "政务公开 > 人事信息 > 人事任免" --reason "本季度无人事任免" --by 王五 --until 2019-03-31 --json >x.json
    expect_json x.json ".id > 0 and .until == \"2019-03-31\""
    govsite column exemptions --json >l.json
    expect_json l.json "length == 1 and .[0].path == \"政务公开>人事信息>人事任免\" and .[0].reason == \"本季度无人事任免\" and .[0].by == \"王五\" and .[0].from == \"2018-12-01\" and .[0].state == \"active\""
    govsite column exemptions "$SITE" >l.txt
    grep -q "本季度无人事任免" l.txt
    govsite column exemptions --as-of 2019-04-01 --json >after.json
    expect_json after.json "length == 0"
    govsite column exemptions --all --as-of 2019-04-01 --json >all.json
    expect_json all.json "length == 1 and .[0].state == \"expired\""
'
check 'the limits: not in the past, not more than a year ahead, known columns only' '
    expect_fail 1 govsite column exempt "$SITE" "政务公开>人事信息>人事任免" --reason x --by 王五 --until 2018-11-30 2>err
    grep -q "before today" err
    expect_fail 1 govsite column exempt "$SITE" "政务公开>人事信息>人事任免" --reason x --by 王五 --until 2020-06-30 2>err
    grep -q "at most 366 days" err
    expect_fail 1 govsite column exempt "$SITE" "没有>这个栏目" --reason x --by 王五 --until 2019-01-31 2>err
    grep -q "has no column .没有>这个栏目." err
    printf "[checks]\nmax_exemption_days = 800\n" >g.conf
    GOVSITE_NOW="2018-12-02 09:00" govsite --config g.conf column exempt "$SITE" "政务公开>规划计划>国民经济和社会发展规划" --reason 五年规划 --by 王五 --until 2020-06-30 >/dev/null
'
check 'a new approval supersedes the old one; revoking ends it from today' '
    GOVSITE_NOW="2019-01-10 09:00" govsite column exempt "$SITE" "政务公开>人事信息>人事任免" --reason 延期 --by 赵六 --until 2019-06-30 >/dev/null
    GOVSITE_NOW="2019-01-10 09:00" govsite column exemptions --json >l.json
    expect_json l.json "[.[] | select(.path == \"政务公开>人事信息>人事任免\")] | length == 1 and .[0].by == \"赵六\""
    GOVSITE_NOW="2019-01-10 09:00" govsite column exemptions --all --json >a.json
    expect_json a.json "[.[] | select(.path == \"政务公开>人事信息>人事任免\" and .state == \"revoked\")] | length == 1"
    GOVSITE_NOW="2019-02-01 09:00" govsite column unexempt "$SITE" "政务公开>人事信息>人事任免" --by 赵六 >/dev/null
    GOVSITE_NOW="2019-02-01 09:00" govsite column exemptions --json >l.json
    expect_json l.json "all(.[]; .path != \"政务公开>人事信息>人事任免\")"
    expect_fail 1 govsite column unexempt "$SITE" "政务公开>人事信息>人事任免" --by 赵六 2>err
    grep -q "no exemption in force" err
'
check 'the other column subcommands still work' '
    govsite column list "$SITE" --json >c.json
    expect_json c.json "length > 50"
    expect_fail 2 govsite column frob 2>err
'
finish
