#!/bin/sh
# t3101-cases: `govsite case`: add, event (allowed and refused), show, log, list, import
# (mapping, GB18030, bad rows, idempotence), stats (the JSON contract and the seed's
# November 2018), personal data masked, the audit log refused to change by the database.
. "$(dirname "$0")/lib.sh"

govsite unit import "$ROOT/data/demo/units.csv" >/dev/null
govsite site import "$ROOT/data/demo/sites.csv" >/dev/null

check 'case --help lists the subcommands and every step' '
    govsite case --help >h.out
    for w in "case add" "case event" "case show" "case list" "case import" "case stats" "case log" \
             assign request-correction corrected abandon consult-third-party third-party-answered \
             extend handle review answer reject reopen withdraw; do
        expect_contains h.out "$w"
    done
    expect_fail 2 govsite case frobnicate 2>err
    expect_contains err "unknown subcommand"
'

check 'add prints the tracking number; numbers are generated per kind and year' '
    n=$(govsite case add --kind disclosure --unit 市人社局 --received "2018-11-05 09:30" \
        --subject "2017年度部门预算" --requester 张三 --contact 13812345678 --requester-type 自然人 \
        --channel 网络)
    expect_eq "$n" YSQ-2018-0001
    n=$(govsite case add --kind 咨询 --unit 市教育局 --received "2018-11-28 10:00")
    expect_eq "$n" ZX-2018-0001
    n=$(govsite case add --kind error-report --unit 市政府办公室 --site 4404990001 \
        --page-url http://www.shifan.test/a.html --received "2018-11-29 10:00" --number ZC-ABC-1)
    expect_eq "$n" ZC-ABC-1
    expect_fail 1 govsite case add --kind petition --unit 市人社局 --received 2018-11-05 2>err
    expect_contains err "unknown kind '"'"'petition'"'"'"
    expect_fail 1 govsite case add --kind consultation --unit 市人社局 --received 2018-11-05 --number ZC-ABC-1 2>err
    expect_contains err "already used"
    expect_fail 2 govsite case add --kind consultation --received 2018-11-05 2>err
'

check 'event: steps move the item; a refused step names the allowed ones' '
    govsite case event YSQ-2018-0001 request-correction --at "2018-11-06 10:00" >o
    expect_contains o "待补正 (correction)"
    expect_fail 1 govsite case event YSQ-2018-0001 review 2>err
    expect_contains err "cannot review YSQ-2018-0001: '"'"'review'"'"' is not a step for 依申请公开 items; allowed now: corrected, abandon, answer, withdraw, note"
    expect_fail 1 govsite case event YSQ-2018-0001 consult-third-party 2>err
    expect_contains err "it is 待补正 (correction); allowed now: corrected, abandon, answer, withdraw, note"
    govsite case event YSQ-2018-0001 corrected --at "2018-11-08 10:00"
    govsite case event YSQ-2018-0001 extend --days 5 --at "2018-11-09 10:00" --note 经负责人同意
    expect_fail 1 govsite case event YSQ-2018-0001 answer --at "2018-11-20 10:00" 2>err
    expect_contains err "need --outcome"
    govsite case event YSQ-2018-0001 answer --at "2018-11-20 10:00" --outcome 3.4 --reply 已答复 --public >o
    expect_contains o "已答复 (answered)"
    expect_contains o "按时"
    govsite case event ZX-2018-0001 assign --unit 市人社局 --at "2018-11-28 11:00"
    govsite case event ZC-ABC-1 handle --at "2018-11-30 09:00"
    expect_fail 1 govsite case event ZC-ABC-1 handle 2>err
    expect_contains err "allowed now: assign, review, answer, reject, withdraw, note"
    govsite case event ZC-ABC-1 review --at "2018-11-30 10:00"
'

check 'show --json: the fields, the state, the deadline, allowed steps; personal data masked' '
    govsite case show YSQ-2018-0001 --json >s.json
    expect_json s.json ".number == \"YSQ-2018-0001\" and .kind == \"disclosure\" and .unit == \"市人社局\""
    expect_json s.json ".status == \"answered\" and .timing == \"on_time\" and .outcome == \"withheld-third-party\" and .outcome_code == \"3.4\""
    expect_json s.json ".rule == \"disclosure-2008\" and .deadline.extension == 5 and .deadline.working_days == 20"
    expect_json s.json ".requester == \"张*\" and .contact == \"138****5678\" and .personal_data == \"masked\""
    expect_json s.json "[.allowed[].type] == [\"reopen\", \"note\"]"
    expect_json s.json "(.events | length) == 5 and .events[0].type == \"receive\" and .events[4].outcome == \"withheld-third-party\""
    expect_json s.json ".reply == \"已答复\" and .reply_public == true"
    expect_not_contains s.json 13812345678
    govsite case show YSQ-2018-0001 --json --show-personal >p.json
    expect_json p.json ".requester == \"张三\" and .contact == \"13812345678\" and .personal_data == \"shown\""
    govsite case show YSQ-2018-0001 >s.txt
    expect_contains s.txt "不予公开：保护第三方合法权益"
    expect_not_contains s.txt 张三
    govsite case show YSQ-2018-0001 --explain >x.txt
    expect_contains x.txt "期限计算"
    expect_contains x.txt "延长期限5个工作日"
    govsite case show YSQ-2018-0001 --json --explain >x.json
    expect_json x.json "(.deadline.explanation | length) > 10"
    govsite case show ZC-ABC-1 --json >z.json
    expect_json z.json ".site == \"示范市人民政府门户网站\" and .page_url == \"http://www.shifan.test/a.html\" and .status == \"closed\""
    expect_fail 1 govsite case show NO-SUCH 2>err
    expect_contains err "no work item '"'"'NO-SUCH'"'"'"
'

check 'log: the audit trail in order, with actor, times and states' '
    GOVSITE_ACTOR=王科员 govsite case event ZX-2018-0001 note --note 已电话联系 --at "2018-11-29 09:00"
    govsite case log ZX-2018-0001 --json >l.json
    expect_json l.json "length == 3 and .[0].type == \"receive\" and .[1].type == \"assign\" and .[1].unit == \"市人社局\""
    expect_json l.json ".[2].actor == \"王科员\" and .[2].note == \"已电话联系\" and .[2].from == \"assigned\" and .[2].to == \"assigned\""
    govsite case log ZX-2018-0001 >l.txt
    expect_contains l.txt "#2 2018-11-28 11:00:00 assign"
'

check 'the database refuses to change or delete an event' '
    expect_nonzero sql "UPDATE case_events SET note = '"'"'x'"'"' WHERE seq = 1" 2>err
    expect_contains err append-only
    expect_nonzero sql "DELETE FROM case_events" 2>err
    expect_contains err append-only
    expect_eq "$(sql "SELECT COUNT(*) FROM case_events")" 11
'

check 'list: --overdue, --due-within, --as-of, --unit, --json' '
    govsite case add --kind consultation --unit 市人社局 --received "2018-11-01 10:00" --number ZX-OLD >/dev/null
    govsite case list --overdue --json >o.json
    expect_json o.json "length == 1 and .[0].number == \"ZX-OLD\" and .[0].timing == \"open_overdue\""
    govsite case list --overdue --as-of "2018-11-12" --json >o2.json
    expect_json o2.json "length == 0"
    govsite case list --due-within 5 --json >d.json
    expect_json d.json "[.[].number] == [\"ZX-2018-0001\"]"
    govsite case list --unit 市人社局 --kind consultation --json >u.json
    expect_json u.json "[.[].number] == [\"ZX-OLD\", \"ZX-2018-0001\"]"
    govsite case list --closed >t.out
    expect_contains t.out YSQ-2018-0001
    expect_not_contains t.out ZX-OLD
    expect_fail 2 govsite case list --overdue --open 2>err
'

check 'import: the seed month from generated exports, with a mapping file; idempotent' '
    testtool gen-cases disclosure --units "$ROOT/data/demo/units.csv" >ysq.csv
    testtool gen-cases consultation --units "$ROOT/data/demo/units.csv" >zx.csv
    testtool gen-cases error-report --sites "$ROOT/data/demo/sites.csv" >zc.csv
    GOVSITE_DB=$T/seed.db; export GOVSITE_DB
    govsite unit import "$ROOT/data/demo/units.csv" >/dev/null
    govsite site import "$ROOT/data/demo/sites.csv" >/dev/null
    govsite case import ysq.csv --kind disclosure >o
    expect_contains o "ysq.csv: 16 rows: 16 added, 0 updated, 0 unchanged"
    govsite case import zx.csv --kind 咨询 --json >o.json
    expect_json o.json ".rows == 18 and .added == 18"
    expect_fail 1 govsite case import zc.csv --kind error-report 2>err
    expect_contains err "no column for number"
    govsite case import zc.csv --kind error-report --map "$ROOT/data/demo/cases-error-report.map" >o
    expect_contains o "25 added"
    govsite case import ysq.csv --kind disclosure >o
    expect_contains o "0 added, 0 updated, 16 unchanged"
'

check 'stats: the seed figures and the JSON contract' '
    GOVSITE_DB=$T/seed.db; export GOVSITE_DB
    govsite case stats --kind disclosure --from 2018-11-01 --to 2018-11-30 --as-of 2018-12-01 --json >d.json
    expect_json d.json ".received == 16 and .closed == 11 and .closed_on_time == 11 and .closed_late == 0 and .open_not_due == 5 and .open_overdue == 0 and .on_time_rate == 1"
    govsite case stats --kind consultation,complaint --from 2018-11-01 --to 2018-11-30 --as-of 2018-12-01 --json >q.json
    expect_json q.json ".received == 18 and .closed_on_time == 15 and .open_not_due == 3 and .on_time_rate == 1"
    govsite case stats --kind 找错 --from 2018-11-01 --to 2018-11-30 --as-of 2018-12-01 --json >z.json
    expect_json z.json ".received == 25 and .closed == 25 and .closed_late == 0 and .open_overdue == 0"
    govsite case stats --kind consultation --from 2018-11-01 --to 2018-11-30 --as-of "2018-11-01 12:00" --json >n.json
    expect_json n.json ".on_time_rate == null and .closed == 0"
    govsite case stats --kind consultation --from 2018-11-01 --to 2018-11-30 --as-of 2018-12-01 --by unit --json >b.json
    expect_json b.json ".by == \"unit\" and ([.groups[].received] | add) == 18 and (.groups[0] | has(\"unit\"))"
    govsite case stats --kind consultation --from 2018-11-01 --to 2018-11-30 --as-of 2018-12-01 >t.out
    expect_contains t.out "收到 18 宗；已办结 15 宗（按时 15，逾期 0）；未办结 3 宗（未到期 3，已逾期 0）；按时办结率 100.0%"
    expect_fail 2 govsite case stats --kind consultation --from 2018-11-01 2>err
'

check 'list --csv: an export, masked, that imports back unchanged and elsewhere the same' '
    GOVSITE_DB=$T/seed.db; export GOVSITE_DB
    govsite case list --kind consultation --csv >zx-export.csv
    expect_eq "$(head -n 1 zx-export.csv)" "number,unit,site,page_url,channel,received,subject,content,requester,contact,requester_type,status,handled,closed,outcome,reply,reply_public,kind,rule,due,timing"
    expect_eq "$(($(wc -l <zx-export.csv) - 1))" 18
    expect_not_contains zx-export.csv 1392018
    govsite case import zx-export.csv --kind consultation >o
    expect_contains o "0 added, 0 updated, 18 unchanged"
    GOVSITE_DB=$T/copy.db govsite unit import "$ROOT/data/demo/units.csv" >/dev/null
    GOVSITE_DB=$T/copy.db govsite case import zx-export.csv --kind consultation >/dev/null
    GOVSITE_DB=$T/copy.db govsite case stats --kind consultation --from 2018-11-01 --to 2018-11-30 --as-of 2018-12-01 --json >c.json
    expect_json c.json ".received == 18 and .closed_on_time == 15 and .open_not_due == 3"
    expect_fail 2 govsite case list --csv --show-personal 2>err
'

check 'import: GB18030, an inline mapping, bad rows named file:line and nothing written' '
    GOVSITE_DB=$T/imp.db; export GOVSITE_DB
    govsite unit import "$ROOT/data/demo/units.csv" >/dev/null
    printf "序号,提交日期,责任处室,状态,答复时间\nA-1,2018年11月5日 下午3:20,市人社局,已办结,2018年11月6日 上午9时10分\n" |
        iconv -f UTF-8 -t GB18030 >gb.csv
    govsite case import gb.csv --kind complaint --map "number=序号,received=提交日期,unit=责任处室" >o
    expect_contains o "1 added"
    govsite case show A-1 --json >a.json
    expect_json a.json ".received == \"2018-11-05T15:20:00+08:00\" and .status == \"answered\" and .outcome == \"replied\""
    printf "编号,留言时间,单位\nB-1,2018-11-05,市人社局\nB-2,2018-13-05,市人社局\nB-3,2018-11-05,无此单位\n" >bad.csv
    expect_fail 1 govsite case import bad.csv --kind consultation 2>err
    expect_contains err "bad.csv:3: received '"'"'2018-13-05'"'"' is not a time"
    expect_contains err "bad.csv:4: no unit named '"'"'无此单位'"'"'"
    expect_contains err "2 bad rows in bad.csv; nothing was imported"
    expect_fail 1 govsite case show B-1 2>/dev/null
    expect_fail 1 govsite case import bad.csv --kind consultation --map nosuchfile 2>err
    expect_contains err "neither a mapping file"
'

finish
