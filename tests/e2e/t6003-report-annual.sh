#!/bin/sh
# t6003-report-annual: `govsite report annual` — the 政府网站工作年度报表 per site and the
# 政府网站监管年度报表 from the form definitions (data/forms/*.form, overridable), with
# computed, entered and missing values marked; the 政府信息公开工作年度报告 table 三 from the
# disclosure work items, whose check 一+二=三+四 refuses inconsistent entered figures.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/e2e/report-fixture.sh"
export GOVSITE_NOW="2019-01-10 09:00"

check 'the fixture' '
    report_fixture
'
check 'the work form of the portal: computed, entered and missing values' '
    printf "[work]\nservice.users = 1200\nsecurity.drills = 是\n" >in.ini
    govsite report annual --year 2018 --site "$SITE" --input in.ini >w.md
    expect_contains w.md "# 政府网站工作年度报表（2018年度）"
    expect_contains w.md "| 网站名称 | 示范市人民政府门户网站 |  | 计算 |"
    expect_contains w.md "| 政府网站标识码 | 4404990001 |  | 计算 |"
    expect_contains w.md "| 注册用户数 | 1200 | 个 | 填报 |"
    expect_contains w.md "| 是否开展应急演练 | 是 | 是/否 | 填报 |"
    expect_contains w.md "| 政务服务事项数量 | — | 项 | 缺失（待填报） |"
    expect_contains w.md "| 独立用户访问总量 | — | 个 | 计算（无数据：该网站本年度尚未导入访问日志（govsite weblog ingest）） |"
    total=$(grep "^| 总数 |" w.md | cut -d"|" -f3 | tr -d " ")
    test "$total" -gt 0
    expect_contains w.md "| 维护数量 | 17 | 个 | 计算 |"
'
check 'the work form without --site has one form per site in operation' '
    govsite report annual --year 2018 --form work >all.md
    test "$(grep -c "^填报单位：" all.md)" -eq "$(govsite site list --json | jq "[.[] | select(.status == \"正常运行\" or .status == \"临时关停\")] | length")"
'
check 'the supervision form: sites, 找错 handling, quarters' '
    govsite report annual --year 2018 --form supervision >s.md
    expect_contains s.md "| 政府网站总数 | 9 | 个 | 计算 |"
    expect_contains s.md "| 收到留言数量 | 25 | 条 | 计算 |"
    expect_contains s.md "| 按期办结率 | 100% | % | 计算 |"
    expect_contains s.md "| 不合格网站数量（第四季度） | 0 | 个 | 计算 |"
    expect_contains s.md "| 问责人次（全年） | — | 人次 | 缺失（待填报） |"
'
check 'the disclosure table adds up: 一 + 二 = 三 + 四 in the 总计 column' '
    govsite report annual --year 2018 --form disclosure >d.md
    row() { grep "^| \**$1" d.md | head -n 1 | awk -F"|" "{print \$9}" | tr -d " "; }
    n1=$(row 一、); n2=$(row 二、); n3=$(row "（\**七）"); n4=$(row 四、)
    test "$n1" -eq 16
    test $((n1 + n2)) -eq $((n3 + n4))
'
check 'an inconsistent entered figure is refused, naming the column' '
    printf "[disclosure]\ncarried_in.person = 3\n" >bad.ini
    expect_fail 1 govsite report annual --year 2018 --form disclosure --input bad.ini 2>err.txt
    expect_contains err.txt "does not add up in column 自然人"
'
check 'a consistent correction is accepted and marked' '
    printf "[disclosure]\ncarried_in.person = 3\ncarried_out.person = 7\n" >ok.ini
    govsite report annual --year 2018 --form disclosure --input ok.ini >d2.md
    expect_contains d2.md "部分数值为办公室填报"
'
check 'an office corrects a form definition without recompiling' '
    mkdir -p data/forms
    printf "title 测试报表（{year}年度）\nsection 测试\nrow 留言 | 条 | =errors.received\nrow 自填 | 次 | x.y\n" >data/forms/supervision.form
    GOVSITE_DATA=$PWD/data govsite report annual --year 2018 --form supervision >o.md
    expect_contains o.md "# 测试报表（2018年度）"
    expect_contains o.md "| 留言 | 25 | 条 | 计算 |"
    printf "row bad\n" >data/forms/supervision.form
    expect_fail 1 env GOVSITE_DATA=$PWD/data govsite report annual --year 2018 --form supervision
'
check 'every format renders; archives parse' '
    for f in md html docx xlsx; do govsite report annual --year 2018 --form disclosure -o d.$f; done
    for f in d.docx d.xlsx; do mkdir -p "x-$f"; (cd "x-$f" && unzip -q "../$f")
        find "x-$f" -type f | while read -r p; do xmllint --noout "$p"; done; done
    grep -q "结转下年度继续办理" x-d.docx/word/document.xml
'
finish
