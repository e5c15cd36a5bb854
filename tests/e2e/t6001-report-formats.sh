#!/bin/sh
# t6001-report-formats: the renderers through testtool; archives unzip and every XML part
# parses; optionally LibreOffice turns the DOCX and XLSX into PDFs and Chromium prints the
# HTML, and the pages carry the 公文's marks (skipped with a message when not installed).
. "$(dirname "$0")/lib.sh"

# Text of PDF $1 (page $2, or all) without blanks (pdftotext spaces CJK text unevenly).
page_text() {
    if [ -n "${2:-}" ]; then pdftotext -f "$2" -l "$2" "$1" -; else pdftotext "$1" -; fi |
        sed 's/\xc2\xa0//g; s/[[:space:]]//g'
}

check 'the sample renders in every format, the text ones byte for byte as the goldens' '
    for f in md html docx xlsx; do testtool report-sample $f sample.$f; done
    golden sample.md "$DATA/report/sample.md"
    golden sample.html "$DATA/report/sample.html"
    testtool report-sample md - >stdout.md
    cmp sample.md stdout.md
'
check 'DOCX and XLSX are valid zips whose every part is well-formed XML' '
    for f in sample.docx sample.xlsx; do
        unzip -tq "$f" >/dev/null
        mkdir -p "x-$f"
        (cd "x-$f" && unzip -q "../$f")
        find "x-$f" -type f | while read -r p; do xmllint --noout "$p"; done
    done
    test -f x-sample.docx/word/header1.xml
    test -f x-sample.xlsx/xl/worksheets/sheet2.xml
'
check 'rendering twice gives the same bytes, in any time zone' '
    for f in docx xlsx; do
        TZ=Asia/Tokyo testtool report-sample $f again.$f
        cmp sample.$f again.$f
    done
'
check 'hostile text renders in every layout and format' '
    for l in letter file plain; do for f in md html docx xlsx; do
        testtool report-hostile $f $l h-$l.$f
    done; done
    ! grep -q "<script>" h-letter.html
    unzip -p h-file.docx word/document.xml | xmllint --noout -
'
check 'an unknown format is a usage error' '
    expect_fail 2 testtool report-sample pdf
'

if command -v soffice >/dev/null 2>&1 && command -v pdftotext >/dev/null 2>&1; then
    check 'LibreOffice converts the DOCX: a 函 with its number, attachments and page numbers' '
        HOME="$T/lo" timeout 300 soffice --headless --convert-to pdf --outdir pdf sample.docx >lo.log 2>&1
        test -s pdf/sample.pdf
        pdfinfo pdf/sample.pdf | grep -q "59[45][.0-9]* x 841[.0-9]* pts (A4)"
        page_text pdf/sample.pdf 1 >p1.txt
        grep -q "珠海市人民政府办公室" p1.txt
        grep -q "珠府办函〔2018〕295号" p1.txt
        ! grep -q "—1—" p1.txt
        page_text pdf/sample.pdf 2 >p2.txt
        grep -q "—2—" p2.txt
        # 28 characters a line and 22 lines a page: page 2 is all body text (lines holding
        # half-width digits are longer, lines ending a paragraph shorter).
        page_text pdf/sample.pdf 2 | grep . >p2lines.txt
        test "$(wc -l <p2lines.txt)" -eq 23
        while IFS= read -r l; do printf "%s" "$l" | LC_ALL=C.UTF-8 wc -m; done <p2lines.txt >p2len.txt
        test "$(grep -cx 28 p2len.txt)" -ge 8
        test "$(sort -n p2len.txt | tail -n 1)" -le 34
        page_text pdf/sample.pdf >all.txt
        grep -q "附件1" all.txt
        grep -q "附件2" all.txt
    '
    check 'LibreOffice converts the XLSX: one page per table' '
        HOME="$T/lo" timeout 300 soffice --headless --convert-to pdf --outdir pdf sample.xlsx >lo.log 2>&1
        test -s pdf/sample.pdf
        page_text pdf/sample.pdf >x.txt
        grep -q "各单位信息发布数量" x.txt
        grep -q "4835" x.txt
    '
else
    skip 'LibreOffice converts the DOCX and XLSX' 'soffice or pdftotext not installed (sh scripts/deps.sh office)'
fi

browser=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -n "$browser" ] && command -v pdftotext >/dev/null 2>&1; then
    check 'the HTML prints as A4 with "— N —" page numbers and none on page 1' '
        HOME="$T/cr" timeout 300 "$browser" --headless --no-sandbox --disable-gpu --no-pdf-header-footer \
            --print-to-pdf="$T/html.pdf" "file://$T/sample.html" >cr.log 2>&1
        pdfinfo html.pdf | grep -q "59[45][.0-9]* x 841[.0-9]* pts (A4)"
        page_text html.pdf 1 >h1.txt
        grep -q "珠府办函〔2018〕295号" h1.txt
        ! grep -q "—1—" h1.txt
        page_text html.pdf 2 >h2.txt
        grep -q "—2—" h2.txt
    '
else
    skip 'the HTML prints as A4' 'no Chromium (sh scripts/deps.sh browser)'
fi
finish
