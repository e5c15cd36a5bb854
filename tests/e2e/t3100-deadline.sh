#!/bin/sh
# t3100-deadline: `govsite deadline` and `govsite calendar`: the JSON contract, events,
# explanations, refusals, estimates beyond the table, local overrides, configured rules.
. "$(dirname "$0")/lib.sh"

check 'deadline --json: one array, an object per RECEIVED in order' '
    govsite deadline --rule disclosure-2008 --json "2018-09-28 10:00" "2018-11-30 23:59" \
        "2018-09-28T02:00:00Z" >d.json
    expect_json d.json "type == \"array\" and length == 3"
    expect_json d.json ".[0].received == \"2018-09-28T10:00:00+08:00\" and .[0].due == \"2018-10-24T23:59:59+08:00\" and .[0].estimated == false"
    expect_json d.json ".[1].received == \"2018-11-30T23:59:00+08:00\" and .[1].due == \"2018-12-21T23:59:59+08:00\""
    expect_json d.json ".[2].due == .[0].due and .[0].rule == \"disclosure-2008\" and .[0].working_days == 15"
'
check 'error-report-gd: received on a working day, due 12:00 of the next one' '
    govsite deadline --rule error-report-gd --json "2018-11-30 23:59" "2018-09-30 10:00" >g.json
    expect_json g.json ".[0].due == \"2018-12-03T12:00:00+08:00\" and .[0].window_opens == \"2018-12-03T00:00:00+08:00\""
    expect_json g.json ".[1].due == \"2018-10-08T12:00:00+08:00\""
'
check 'disclosure-2019 over national day 2019 (hand-checked against the table)' '
    govsite deadline --rule disclosure-2019 --json "2019-09-27 10:00" >n.json
    expect_json n.json ".[0].due == \"2019-10-30T23:59:59+08:00\" and .[0].first_day == \"2019-09-29\""
'
check '--explain shows 调休 days counted and the holiday skipped, in Chinese' '
    govsite deadline --rule disclosure-2008 --explain "2018-09-28 10:00" >x.out
    expect_contains x.out "2018年9月29日（星期六） 调休上班（国庆节），计第1个工作日"
    expect_contains x.out "2018年10月1日至7日（7天） 国庆节放假，不计入"
    expect_contains x.out "期限届满：2018年10月24日（星期三） 23:59:59"
    govsite deadline --rule disclosure-2008 --explain --json "2018-09-28 10:00" >x.json
    expect_json x.json "(.[0].explanation | length) > 15 and any(.[0].steps[]; .kind == \"skip\" and .reason == \"holiday\" and .name == \"国庆节\" and .days == 7)"
'
check 'events: pause/resume, extension, restart' '
    govsite deadline --rule disclosure-2008 --json --event "pause@2018-09-28 16:00" \
        --event "resume@2018-10-09 10:00" --event "extend@2018-10-15 10:00:5" "2018-09-20 09:00" >e.json
    expect_json e.json ".[0].due == \"2018-10-30T23:59:59+08:00\" and .[0].extension == 5 and .[0].working_days == 20 and .[0].paused_days == 11"
    govsite deadline --rule disclosure-2019 --json --event "restart@2019-06-12 09:00" "2019-06-03 10:00" >r.json
    expect_json r.json ".[0].due == \"2019-07-10T23:59:59+08:00\" and .[0].restarted == \"2019-06-12T09:00:00+08:00\""
    govsite deadline --rule disclosure-2019 --json --event "pause@2019-10-09 10:00" "2019-09-27 10:00" >p.json
    expect_json p.json ".[0].due == null and .[0].paused == true and .[0].remaining == 16"
'
check 'an extension beyond the limit is refused with a clear error and no output' '
    expect_fail 1 govsite deadline --rule disclosure-2008 --json --event "extend@2018-10-20:16" "2018-09-28 10:00" >o.json 2>err
    expect_contains err "event '"'"'extend@2018-10-20:16'"'"': rule disclosure-2008 allows at most 15 working days of extension; extend by at most 15"
    test ! -s o.json
'
check 'bad RECEIVED and bad event tokens name the token and the fix' '
    expect_fail 1 govsite deadline --rule disclosure-2008 "2018-13-01" 2>err
    expect_contains err "cannot parse the time '"'"'2018-13-01'"'"'; use '"'"'YYYY-MM-DD HH:MM'"'"' (China time) or ISO 8601"
    expect_fail 1 govsite deadline --rule disclosure-2008 --event "hold@2018-10-09" "2018-09-28" 2>err
    expect_contains err "unknown type '"'"'hold'"'"'; use pause, resume, restart or extend"
    expect_fail 1 govsite deadline --rule disclosure-2008 --event "extend@2018-10-09 10:00" "2018-09-28" 2>err
    expect_contains err "extend@2018-10-20 10:00:15"
    expect_fail 1 govsite deadline --rule nonesuch "2018-09-28" 2>err
    expect_contains err "unknown rule '"'"'nonesuch'"'"'; the rules are disclosure-2008, disclosure-2019, error-report-gd, consultation"
    expect_fail 2 govsite deadline "2018-09-28" 2>err
    expect_contains err "--rule is required"
'
check 'beyond 2026 the answer is estimated and the warning names the year' '
    govsite deadline --rule disclosure-2019 --json "2026-12-20 10:00" "2026-12-01 10:00" >est.json 2>err
    expect_json est.json ".[0].estimated == true and .[0].due == \"2027-01-15T23:59:59+08:00\" and (.[0].warning | contains(\"2027\"))"
    expect_json est.json ".[1].estimated == false"
    expect_contains err "govsite: warning: no holiday data for 2027 (the table covers 2007-2026)"
    test "$(grep -c "no holiday data" err)" = 1
'
check 'many RECEIVED from standard input, in order' '
    for d in 01 02 03 04 05 06 07 08 09 10; do echo "2018-10-$d 09:00"; done >in.txt
    govsite deadline --rule disclosure-2008 --json - <in.txt >many.json
    expect_json many.json "length == 10 and .[0].received == \"2018-10-01T09:00:00+08:00\" and .[9].received == \"2018-10-10T09:00:00+08:00\""
    expect_json many.json ".[0].due == \"2018-10-26T23:59:59+08:00\" and .[7].due == \"2018-10-29T23:59:59+08:00\""
'
check 'calendar is-workday, next-workday, add-workdays, between' '
    govsite calendar is-workday 2018-09-29 >w.out
    expect_contains w.out "2018-09-29 星期六 work 调休上班（国庆节）"
    govsite calendar is-workday 2018-10-03 --json >w.json
    expect_json w.json ".workday == false and .reason == \"holiday\" and .name == \"国庆节\" and .estimated == false"
    test "$(govsite calendar add-workdays 2018-09-28 15)" = 2018-10-24
    test "$(govsite calendar add-workdays 2018-10-24 -15)" = 2018-09-28
    test "$(govsite calendar next-workday 2020-01-23)" = 2020-02-03
    test "$(govsite calendar between 2018-09-28 2018-10-24)" = 15
    test "$(govsite calendar between 2018-10-24 2018-09-28)" = -15
    govsite calendar between 2015-09-02 2015-09-07 --json >b.json
    expect_json b.json ".working_days == 2 and .calendar_days == 5"
    govsite calendar is-workday 2027-01-01 >w27.out 2>err
    expect_contains w27.out "2027-01-01 星期五 work 工作日 (estimated)"
    govsite calendar add-workdays 2026-12-28 5 --json >a.json 2>err
    expect_json a.json ".result == \"2027-01-04\" and .estimated == true"
    expect_contains err "2027"
'
check 'calendar set/unset/list: local overrides change the answers' '
    govsite calendar set 2018-10-10 off 台风停工 >s.out
    expect_contains s.out "now off (台风停工); was work"
    govsite deadline --rule disclosure-2008 --json "2018-09-28 10:00" >d.json
    expect_json d.json ".[0].due == \"2018-10-25T23:59:59+08:00\""
    govsite deadline --rule disclosure-2008 --explain "2018-09-28 10:00" >x.out
    expect_contains x.out "本地放假（台风停工），不计入"
    govsite calendar list --local --json >l.json
    expect_json l.json "length == 1 and .[0].date == \"2018-10-10\" and .[0].kind == \"off\" and .[0].source == \"local\""
    govsite calendar set 2018-10-01 work 值班 --json >s.json
    expect_json s.json ".was_workday == false and .kind == \"work\""
    govsite calendar list --from 2018-10-01 --to 2018-10-02 --json >l2.json
    expect_json l2.json "length == 2 and .[0].source == \"local\" and .[0].overrides.name == \"国庆节\" and .[1].source == \"table\""
    govsite calendar unset 2018-10-10 >u.out
    expect_contains u.out "local override removed; now work"
    govsite calendar unset 2018-10-01
    govsite deadline --rule disclosure-2008 --json "2018-09-28 10:00" >d.json
    expect_json d.json ".[0].due == \"2018-10-24T23:59:59+08:00\""
    expect_fail 1 govsite calendar unset 2018-10-10 2>err
    expect_contains err "no local override for 2018-10-10"
    expect_fail 2 govsite calendar set 2018-10-10 maybe x 2>err
    expect_fail 1 govsite calendar is-workday 2018-02-30 2>err
    expect_contains err "use YYYY-MM-DD"
'
check 'calendar list shows the table with its sources' '
    govsite calendar list --from 2015-09-01 --to 2015-09-30 >l.out 2>err
    expect_contains l.out "2015-09-06"
    expect_contains l.out "国务院通知"
    expect_contains err "covers 2007-2026"
    govsite calendar list --json >all.json
    expect_json all.json "length == 677"
'
check 'rules come from configuration without recompiling' '
    cat >g.conf <<CONF
[deadline.consultation]
days = 5
[deadline.mayor-mailbox]
title = 市长信箱
days = 10
extension = 5
due = 17:30
CONF
    govsite --config g.conf deadline --rule mayor-mailbox --json "2018-09-28 10:00" >m.json
    expect_json m.json ".[0].due == \"2018-10-17T17:30:00+08:00\""
    govsite --config g.conf deadline --rule consultation --json "2018-11-30 10:00" >c.json
    expect_json c.json ".[0].due == \"2018-12-07T23:59:59+08:00\""
    govsite --config g.conf deadline --list-rules --json >rules.json
    expect_json rules.json "length == 5 and any(.[]; .name == \"consultation\" and .days == 5 and .extension == 10)"
    printf "[deadline.bad]\ntitle = x\n" >bad.conf
    expect_fail 1 govsite --config bad.conf deadline --rule bad "2018-09-28" 2>err
    expect_contains err "bad.conf:2: the new rule [deadline.bad] has no '"'"'days'"'"'"
'
check 'deadline --list-rules shows the built-ins' '
    govsite deadline --list-rules >r.out
    for r in disclosure-2008 disclosure-2019 error-report-gd consultation; do expect_contains r.out "$r"; done
'
finish
