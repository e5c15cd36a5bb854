# report-fixture.sh - sourced by the 6xxx report tests (after lib.sh): the November 2018
# fixture built through the real import paths (registry CSVs, work-item CSVs from testtool
# gen-cases, findings reported by a check session) plus the articles of a complete crawl
# (testtool gen-articles), with 45 more units so that 4835 items leave the seed's four
# units on top.
DEMO="$ROOT/data/demo"
SITE=示范市人民政府门户网站
TAB=$(printf '\t')

report_fixture() {
    govsite unit import "$DEMO/units.csv" >/dev/null
    govsite site import "$DEMO/sites.csv" >/dev/null
    govsite column import "$DEMO/columns.csv" >/dev/null
    { echo "name,short_name,kind,parent"; i=1; while [ $i -le 45 ]; do
        echo "示范市测试单位$i,测试单位$i,department,"; i=$((i + 1)); done; } >units2.csv
    { echo "site,path,url,unit,class,freshness_days,required_items"; i=1; while [ $i -le 45 ]; do
        echo "$SITE,部门动态>测试单位$i,http://www.shifan.test/bmdt/c$i/,测试单位$i,动态要闻,,"; i=$((i + 1)); done; } >columns2.csv
    govsite unit import units2.csv >/dev/null
    govsite column import columns2.csv >/dev/null
    testtool gen-cases disclosure --units "$DEMO/units.csv" >ysq.csv
    testtool gen-cases consultation --units "$DEMO/units.csv" >zx.csv
    testtool gen-cases error-report --sites "$DEMO/sites.csv" >zc.csv
    govsite case import ysq.csv --kind disclosure >/dev/null
    govsite case import zx.csv --kind consultation >/dev/null
    govsite case import zc.csv --kind error-report --map "$DEMO/cases-error-report.map" >/dev/null
    testtool gen-articles
    cat "$DATA/report/findings-2018-11.tsv" | sed "s/|/$TAB/g" >f.tsv
    GOVSITE_NOW="2018-12-01 09:00" testtool report "$SITE" column-stale,column-blank,link-retired,required-missing complete <f.tsv >t.json
    expect_json t.json ".opened == 12"
}
