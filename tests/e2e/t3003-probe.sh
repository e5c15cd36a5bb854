#!/bin/sh
# t3003-probe: availability through the CLI against a loopback fixture server: probes of
# a healthy, a failing and an unreachable site over a monitored week, the per-day
# statistics, the 19号 veto at 5 %, undecided weeks, and the verdict that follows.
. "$(dirname "$0")/lib.sh"

testtool probe-fixture "$T/port" &
FIX=$!
i=0
while [ $i -lt 100 ]; do
    i=$((i + 1))
    [ -s "$T/port" ] && break
    sleep 0.1
done
PORT=$(cat "$T/port" 2>/dev/null)
DEAD=$(testtool refused-port)

check 'the fixture server is up' '
    test -n "$PORT"
    curl -sf "http://127.0.0.1:$PORT/ok" >/dev/null
'
check 'sites to probe: healthy, failing, unreachable and one closed' '
    govsite site add --name 正常站 --url "http://127.0.0.1:$PORT/ok" >/dev/null
    govsite site add --name 报错站 --url "http://127.0.0.1:$PORT/error" >/dev/null
    govsite site add --name 不通站 --url "http://127.0.0.1:$DEAD/" >/dev/null
    govsite site add --name 关停站 --url "http://127.0.0.1:$PORT/missing" --status 已关停 >/dev/null
'
check 'one probe of every site in operation' '
    GOVSITE_NOW="2018-11-23 08:00" govsite probe --all --json >p.json
    expect_json p.json "length == 3"
    expect_json p.json "any(.[]; .site == \"正常站\" and .status == 200 and .outcome == \"ok\" and .error == null)"
    expect_json p.json "any(.[]; .site == \"报错站\" and .status == 500 and .outcome == \"failed\" and .error == \"HTTP 500\")"
    expect_json p.json "any(.[]; .site == \"不通站\" and .status == null and .outcome == \"failed\" and .error != null)"
    govsite probe 正常站 >one.out
    grep -q "^ok .* 200 " one.out
'
check 'a slow site is a failure once the timeout passes' '
    govsite site add --name 慢站 --url "http://127.0.0.1:$PORT/slow" --status 临时关停 >/dev/null
    govsite probe 慢站 --threshold 0.2 --timeout 0.4 --json >s.json
    expect_json s.json ".[0].outcome == \"failed\" and .[0].total_ms >= 400"
'
check 'a week of probes: 20 a day for the failing sites, 24 for the healthy one' '
    for d in 24 25 26 27 28 29 30; do
        for h in 00 01 02 03 04 05 06 07 08 09 10 11 12 13 14 15 16 17 18 19; do
            GOVSITE_NOW="2018-11-$d $h:00" govsite -q probe --all >/dev/null
        done
        for h in 20 21 22 23; do
            GOVSITE_NOW="2018-11-$d $h:00" govsite -q probe 正常站 >/dev/null
        done
    done
    test "$(sql "SELECT COUNT(*) FROM probes")" -ge 308
'
check 'stats: the healthy site passes, the others meet the veto' '
    govsite probe --stats 正常站 --as-of 2018-12-01 --json >ok.json
    expect_json ok.json ".from == \"2018-11-24\" and .to == \"2018-11-30\" and .probes == 168 and .failed == 0 and .status == \"pass\" and .veto == false"
    expect_json ok.json "all(.days[]; .probes == 24 and .monitored)"
    govsite probe --stats 报错站 --as-of 2018-12-01 --json >bad.json
    expect_json bad.json ".probes == 140 and .failed == 140 and .ratio == 1 and .status == \"veto\" and .veto == true"
    govsite probe --stats 不通站 --as-of 2018-12-01 >dead.out
    grep -q "^veto:" dead.out
    grep -q "2018-11-24 *20 *20" dead.out
'
check 'a week with a day below 20 probes is undecided' '
    govsite probe --stats 正常站 --as-of 2018-11-30 --json >u.json
    expect_json u.json ".status == \"insufficient\" and .veto == false and ([.days[] | select(.monitored | not)] | length) == 1"
    govsite probe --stats 正常站 --as-of 2018-11-30 >u.out
    grep -q "not fully monitored" u.out
    grep -q "^undecided: 1 of 7 days" u.out
'
check 'the verdict of 12-01: the failing site is 不合格 for 站点无法访问' '
    GOVSITE_NOW="2018-12-01 09:00" govsite verdict 报错站 --json >v.json
    expect_json v.json ".site == \"报错站\" and .verdict == \"不合格\" and (.vetoes | length) == 1 and .vetoes[0].key == \"unavailable\" and (.vetoes[0].reason | contains(\"站点无法访问\"))"
    GOVSITE_NOW="2018-12-01 09:00" govsite verdict --all --json >all.json
    expect_json all.json "length == 3"
    expect_json all.json "any(.[]; .site == \"正常站\" and .verdict == \"合格\" and .vetoes == [] and .score == 100)"
    expect_json all.json "any(.[]; .site == \"不通站\" and .verdict == \"不合格\")"
    govsite findings --kind site-unavailable --json >f.json
    expect_json f.json "length == 2 and all(.[]; .severity == \"serious\" and (.summary | contains(\"共监测140次\")))"
'
check 'usage errors' '
    expect_fail 2 govsite probe 2>err
    expect_fail 2 govsite probe 正常站 --all 2>err
    expect_fail 2 govsite probe --stats 2>err
    expect_fail 2 govsite probe 正常站 --threshold -1 2>err
    expect_fail 1 govsite probe 没有的站 2>err
'
kill "$FIX" 2>/dev/null
wait "$FIX" 2>/dev/null
finish
