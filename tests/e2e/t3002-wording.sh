#!/bin/sh
# t3002-wording: the wording dictionary through the CLI: the built-in renames with their
# dates, the office's own files and database entries, switching entries off and on,
# validation, and scanning text files (UTF-8 and GBK) as of a date.
. "$(dirname "$0")/lib.sh"
TAB=$(printf '\t')

cat >page.txt <<'EOT'
2019年5月，市卫计局联合市食品药品监督管理局开展检查。
各农业部门和银保监会参加。原农业部文件继续有效。
习进平新时代中国特色社会主义思想。
EOT

check 'the built-in dictionary lists its renames with dates and sources' '
    govsite wording list --json >l.json
    expect_json l.json "length >= 60"
    expect_json l.json "any(.[]; .wrong == \"卫生和计划生育局\" and .right == \"卫生健康局\" and .from == \"2019-04-01\" and (.note | contains(\"confirm the local date\")) and .source == \"wording/reform-2018.tsv:\" + (.source | split(\":\")[1]))"
    expect_json l.json "any(.[]; .wrong == \"习进平\" and .severity == \"serious\" and .from == null)"
    govsite wording list --as-of 2018-12-01 --json >old.json
    expect_json old.json "all(.[]; .wrong != \"卫计局\")"
    govsite wording check >c.out
    grep -q "no bad rows" c.out
'
check 'scan finds old names only from their date, and not inside right forms' '
    govsite wording scan page.txt --as-of 2019-06-01 >s.out 2>s.err
    grep -q "^page.txt:1:10: \[一般\] 卫计局 → 卫健局|卫生健康局" s.out
    grep -q "食品药品监督管理局 → 市场监督管理局" s.out
    grep -q "^page.txt:2:.*农业部 → 农业农村部" s.out
    test "$(grep -c "农业部 →" s.out)" -eq 1
    grep -q "^page.txt:3:1: \[严重\] 习进平 → 习近平" s.out
    grep -q "4 hits" s.err
    govsite wording scan page.txt --as-of 2018-12-01 >old.out 2>/dev/null
    test "$(wc -l <old.out)" -eq 2
    grep -q "习进平" old.out
    grep -q "农业部" old.out
'
check 'scan --json, --only-matching and --count' '
    govsite wording scan --as-of 2019-06-01 --json page.txt >s.json
    expect_json s.json "length == 4 and .[0].line == 1 and .[0].column == 10 and .[0].wrong == \"卫计局\" and .[0].before == \"2019年5月，市\" and (.[0].after | startswith(\"联合\"))"
    govsite wording scan --as-of 2019-06-01 -o page.txt >o.out
    printf "卫计局\n食品药品监督管理局\n农业部\n习进平\n" >o.want
    cmp o.out o.want
    govsite wording scan --as-of 2019-06-01 --count page.txt page.txt >c.out
    printf "page.txt:4\npage.txt:4\n" >c.want
    cmp c.out c.want
    cat page.txt | govsite wording scan --as-of 2019-06-01 --count >c1.out
    test "$(cat c1.out)" = 4
'
check 'scan reads GBK text' '
    iconv -f UTF-8 -t GB18030 page.txt >gbk.txt
    govsite wording scan --as-of 2019-06-01 --count gbk.txt >g.out
    test "$(cat g.out)" = 4
'
check 'an extra dictionary: --dict and --no-builtin' '
    printf "wrong${TAB}right${TAB}severity\n联合${TAB}会同${TAB}notice\n" >extra.tsv
    govsite wording scan --no-builtin --dict extra.tsv -o page.txt >o.out
    test "$(cat o.out)" = 联合
    expect_fail 2 govsite wording scan --no-builtin page.txt 2>err
'
check 'office files in the data directory extend and override the built-in ones' '
    mkdir -p data/wording
    printf "wrong${TAB}right${TAB}from${TAB}severity\n卫计局${TAB}卫生健康局${TAB}2019-02-20${TAB}serious\n检查${TAB}督查${TAB}${TAB}\n坏行${TAB}${TAB}2019-02-30${TAB}\n" >data/wording/local.tsv
    GOVSITE_DATA=$T/data govsite wording scan --as-of 2019-03-01 page.txt >s.out 2>s.err
    grep -q "local.tsv:4: a date is not YYYY-MM-DD" s.err
    grep -q "\[严重\] 卫计局 → 卫生健康局" s.out
    grep -q "检查 → 督查" s.out
    GOVSITE_DATA=$T/data govsite wording list --json >l.json 2>/dev/null
    expect_json l.json "any(.[]; .wrong == \"卫计局\" and .state == \"shadowed\" and (.source | startswith(\"wording/reform\")))"
    expect_fail 1 env GOVSITE_DATA=$T/data govsite wording check 2>err
    grep -q "1 bad row" err
'
check 'database entries: add, update, remove; file entries switched off and on' '
    govsite wording add 示范旧称 示范新称 --from 2019-01-01 --severity serious --category 本地 --by 王五 >a.out
    grep -q "added" a.out
    govsite wording add 示范旧称 示范新称二 --from 2019-01-01 >a.out
    grep -q "updated" a.out
    govsite wording list --source db --json >db.json
    expect_json db.json "length == 1 and .[0].right == \"示范新称二\" and (.[0].source | startswith(\"db:\"))"
    echo "示范旧称" >x.txt
    govsite wording scan --as-of 2019-06-01 -o x.txt >o.out
    test "$(cat o.out)" = 示范旧称
    govsite wording remove 示范旧称 >r.out
    grep -q "removed" r.out
    govsite wording scan --as-of 2019-06-01 -o x.txt >o.out
    test ! -s o.out
    govsite wording remove 卫计局 --by 王五 >r.out
    grep -q "switched off" r.out
    govsite wording scan --as-of 2019-06-01 -o page.txt >o.out
    ! grep -q "卫计局" o.out
    govsite wording list --json >l.json
    expect_json l.json "any(.[]; .wrong == \"卫计局\" and .state == \"disabled\")"
    govsite wording enable 卫计局 >/dev/null
    govsite wording scan --as-of 2019-06-01 -o page.txt >o.out
    grep -q "卫计局" o.out
    expect_fail 1 govsite wording remove 没有的词 2>err
    grep -q "no wording entry" err
    expect_fail 1 govsite wording add 字 2>err
    grep -q "2 to 64 characters" err
    expect_fail 2 govsite wording add 甲乙 丙丁 --severity grave 2>err
'
check 'scanning a file does not create a database' '
    mkdir fresh && cd fresh
    GOVSITE_DB=$T/fresh/none.db govsite wording scan --count ../page.txt >/dev/null
    test ! -e none.db
'
finish
