#!/bin/sh
# t6002-report-monthly: `govsite report monthly` on a November 2018 fixture built through
# the real import paths (registry CSVs, work-item CSVs from testtool gen-cases, findings
# reported by a check session) plus the articles of a complete crawl (testtool
# gen-articles): the bulletin states the seed's figures (珠府办函〔2018〕295号), groups the
# columns to update per unit, renders in every format (text ones as goldens, archives
# unzip and parse), and is deterministic.
. "$(dirname "$0")/lib.sh"
. "$ROOT/tests/e2e/report-fixture.sh"
export GOVSITE_NOW="2018-12-12 09:00"

check 'report --help and usage errors' '
    govsite report --help | grep -q "report monthly"
    expect_fail 2 govsite report monthly
    expect_fail 2 govsite report monthly --month 2018-13
    expect_fail 2 govsite report monthly --month 2018-11 --format pdf
'
check 'the fixture: registry, 45 more units with a column each, work items, findings' '
    report_fixture
'
check 'the bulletin states the seed figures' '
    govsite report monthly --month 2018-11 --as-of 2018-12-01 --number "示府办函〔2018〕295号" >b.md
    expect_contains b.md "示范市人民政府办公室关于2018年11月份市政府门户网站内容保障情况的通报"
    expect_contains b.md "示府办函〔2018〕295号"
    expect_contains b.md "发布和更新各类信息共4835条"
    expect_contains b.md "高栏港区899条、市食药监局188条、市人社局95条、市教育局80条"
    expect_contains b.md "收到网上依申请公开政府信息16宗，截至12月1日，已处理11宗，无一宗逾期15个工作日未答复。"
    expect_contains b.md "共收到网上受理咨询和投诉18宗，时效内已答复15宗，按时办结率为100%。"
    expect_contains b.md "网民留言25宗，截至12月1日，已处理25宗，无一宗逾期未处理。"
    expect_contains b.md "2018年12月12日"
'
check 'part 二: grouped columns, stale catalogues, required items, retired links' '
    expect_contains b.md "请市交通局及时更新“民生\\>主题服务\\>交通服务”栏目的信息。"
    expect_contains b.md "请市卫计局及时更新“民生\\>主题服务\\>健康服务\\>看病就医”部分栏目的信息（如：医疗机构查询与门诊住院\\>社区卫生服务中心信息查询、医疗机构监管\\>无证行医处罚公告）和“民生\\>主题服务\\>健康服务\\>疾病预防”部分栏目的信息（如：从业人员健康体检、疫苗类别）。"
    expect_contains b.md "“本级统计医疗服务信息概况”栏目未提供床位数、医护人员数等信息"
    expect_contains b.md "市交通局（1个页面）负责的网页仍链接原网上办事大厅"
    expect_contains b.md "政府信息公开目录信息更新不及时的单位"
    expect_contains b.md "| 市卫计局 | 示范市人民政府门户网站 | 信息公开目录\\>市卫计局\\>工作动态 | 500 |"
'
check 'every format; text formats byte for byte as the goldens; archives parse' '
    for f in md html docx xlsx; do
        govsite report monthly --month 2018-11 --as-of 2018-12-01 --number "示府办函〔2018〕295号" -o m.$f
    done
    golden m.md "$DATA/report/monthly-2018-11.md"
    golden m.html "$DATA/report/monthly-2018-11.html"
    for f in m.docx m.xlsx; do
        unzip -tq "$f" >/dev/null
        mkdir -p "x-$f"
        (cd "x-$f" && unzip -q "../$f")
        find "x-$f" -type f -name "*.xml" -o -type f -name "*.rels" | while read -r p; do xmllint --noout "$p"; done
    done
    grep -q "内容保障情况" x-m.docx/word/document.xml
    test -f x-m.xlsx/xl/worksheets/sheet3.xml
'
check 'the DOCX and XLSX parts are the goldens (fixed times, fixed order)' '
    unzip -p m.docx word/document.xml >doc.xml
    golden doc.xml "$DATA/report/monthly-2018-11.docx.document.xml"
    unzip -p m.xlsx xl/sharedStrings.xml >ss.xml
    golden ss.xml "$DATA/report/monthly-2018-11.xlsx.sharedStrings.xml"
'
if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    check 'LibreOffice converts the bulletin: a 函 on page 1, numbered pages, the attachments' '
        HOME="$T/lo" timeout 300 soffice --headless --convert-to pdf --outdir pdf m.docx >lo.log 2>&1
        pdftotext -f 1 -l 1 pdf/m.pdf - | tr -d " \n" >p1.txt
        grep -q "示范市人民政府办公室" p1.txt
        grep -q "示府办函〔2018〕295号" p1.txt
        grep -q "4835条" p1.txt
        ! grep -q "—1—" p1.txt
        pdftotext pdf/m.pdf - | tr -d " \n" >all.txt
        grep -q "—2—" all.txt
        grep -q "附件4" all.txt
        grep -q "需及时更新的栏目" all.txt
    '
else
    skip 'LibreOffice converts the bulletin' 'soffice or pdftotext not installed'
fi
check 'deterministic: the same data and options give the same bytes' '
    for f in md html docx xlsx; do
        TZ=Asia/Tokyo govsite report monthly --month 2018-11 --as-of 2018-12-01 --number "示府办函〔2018〕295号" -o again.$f
        cmp m.$f again.$f
    done
'
check 'an as-of date before the month ends is refused' '
    expect_fail 1 govsite report monthly --month 2018-11 --as-of 2018-11-20
'
check 'the feed module fills the re-post paragraph, overdue tasks and (八) from its schedule' '
    expect_not_contains b.md "有1项整改任务逾期未完成"
    govsite feed add 国务院 http://www.gov.test/rss.xml --level national
    govsite interview add 市发改局 2019-01-18 --topic 优化营商环境
    GOVSITE_NOW="2018-11-05 09:00" govsite task add 更新交通服务栏目 --unit 市交通局 --due 2018-11-20
    govsite report monthly --month 2018-11 --as-of 2018-12-01 >f.md
    expect_contains f.md "本月无需转载的上级政策信息。"
    expect_not_contains f.md "尚未登记上级政策信息源"
    expect_contains f.md "抓紧完成整改任务。"
    expect_contains f.md "市交通局有1项整改任务逾期未完成"
    expect_contains f.md "2019年1月份“民生在线”访谈的单位为市发改局，时间暂定为2019年1月18日。请市发改局做好各项准备工作。"
'
check 'CMS exports (article import) add to the crawl counts and win over the crawl by URL' '
    u=$(sql "SELECT a.url FROM crawl_articles a JOIN site_columns c ON c.id = a.column_id JOIN units n ON n.id = c.unit_id WHERE n.short_name = '"'"'市教育局'"'"' AND a.date LIKE '"'"'2018-11-%'"'"' ORDER BY a.url LIMIT 1")
    test -n "$u"
    h=${u%/*}
    {
        echo "url,title,unit,column,published"
        echo "$u,同一篇,市残联,,2018-11-20 10:00"
        echo "$h/cms-only-1.html,只在内容管理系统中,市残联,,2018-11-21"
        echo "$h/cms-only-2.html,下个月的,市残联,,2018-12-02"
    } >cms.csv
    govsite article import cms.csv
    govsite report monthly --month 2018-11 --as-of 2018-12-01 >c.md
    expect_contains c.md "发布和更新各类信息共4836条"
    expect_contains c.md "高栏港区899条、市食药监局188条、市人社局95条、市教育局79条"
'
finish
