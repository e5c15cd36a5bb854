#!/bin/sh
# t4001-weblog: `govsite weblog ingest|stats|files` on generated logs: figures equal the
# generator's own count, logrotate's rename + gzip never double counts, bad lines are
# named, JSON shapes, usage errors.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"
SITE=4404990001
TT="$O/testtool"

govsite unit import "$DEMO/units.csv" >/dev/null
govsite site import "$DEMO/sites.csv" >/dev/null
govsite column import "$DEMO/columns.csv" >/dev/null

check 'weblog --help shows the three subcommands' '
    govsite weblog --help >h
    grep -q "govsite weblog ingest --site SITE" h
    grep -q "govsite weblog stats --site SITE" h
    grep -q "govsite weblog files" h
'
check 'a year of monthly rotated, gzipped logs gives the generator'"'"'s figures' '
    "$TT" gen-weblog --year 2018 --lines-per-day 60 --visitors 2000 --seed 5 \
        --columns "$DEMO/columns.csv" --host www.shifan.test --monthly -o logs >truth.json
    test -f logs/access.log-201801.gz && test -f logs/access.log
    govsite weblog ingest --site $SITE logs/access.log* >out
    grep -q "access.log-201801.gz: new (gzip) at byte 0" out
    govsite weblog stats --site $SITE --year 2018 --json >s.json
    expect_eq "$(jq .pageviews s.json)" "$(jq .pageviews truth.json)"
    expect_eq "$(jq .visitors s.json)" "$(jq .visitors truth.json)"
    expect_eq "$(jq .visitor_days s.json)" "$(jq .visitor_days truth.json)"
'
check 'per month: page views and distinct visitors equal the truth' '
    govsite weblog stats --site $SITE --year 2018 --by month --json >m.json
    expect_json m.json ".rows | length == 12"
    expect_json m.json "has(\"pageviews\") and has(\"visitors\") and (.rows[0] | has(\"month\"))"
    expect_eq "$(jq -c "[.rows[] | [.pageviews, .visitors]]" m.json)" \
              "$(jq -c "[.months[] | [.pageviews, .visitors]]" truth.json)"
'
check 'ingesting the same files again changes nothing' '
    govsite weblog stats --site $SITE --year 2018 --by day --json >before.json
    govsite weblog ingest --site $SITE --json logs/access.log* >again.json
    expect_json again.json "[.files[].state] | all(. == \"unchanged\")"
    expect_json again.json ".lines == 0"
    govsite weblog stats --site $SITE --year 2018 --by day --json >after.json
    cmp before.json after.json
'
check 'logrotate: append, rename, gzip, new file - counted once' '
    "$TT" gen-weblog --year 2019 --days 6 --lines-per-day 200 --seed 9 -o all.log >t2.json
    total=$(wc -l <all.log)
    head -n 300 all.log >access.log
    govsite weblog ingest --site $SITE access.log >/dev/null
    sed -n "301,700p" all.log >>access.log          # nginx keeps appending
    mv access.log access.log.1                       # logrotate renames...
    tail -n +701 all.log >access.log                 # ...nginx reopens a new file
    govsite weblog ingest --site $SITE access.log.1 access.log >o1
    grep -q "access.log.1: resumed at byte" o1
    gzip access.log.1                                # delaycompress, next rotation
    govsite weblog ingest --site $SITE --json access.log.1.gz access.log >o2.json
    expect_json o2.json "[.files[].state] == [\"unchanged\", \"unchanged\"]"
    govsite weblog stats --site $SITE --from 2019-01-01 --to 2019-01-06 --json >s2.json
    expect_eq "$(jq .pageviews s2.json)" "$(jq .pageviews t2.json)"
    expect_eq "$(jq .visitors s2.json)" "$(jq .visitors t2.json)"
    expect_eq "$(jq .hits s2.json)" "$total"
'
check 'weblog files lists what was read with its offset' '
    govsite weblog files --site $SITE --json >f.json
    expect_json f.json "map(select(.path == \"access.log.1.gz\")) | length == 1"
    expect_json f.json "map(select(.path == \"access.log.1.gz\"))[0] | .compressed and .offset > 0 and .lines == 700"
    govsite weblog files >f.txt
    grep -q "access.log.1.gz" f.txt
'
check 'bad lines are counted, named by file:line, and not fatal' '
    printf "%s\n" "1.2.3.4 - - [10/Dec/2018:10:00:00 +0800] \"GET /a.html HTTP/1.1\" 200 5 \"-\" \"Mozilla/5.0 Chrome/70\"" \
        "this is not a log line" \
        "1.2.3.4 - - [10/Dec/2018:10:00:01 +0800] \"GET /b.html HTTP/1.1\" 2OO 5 \"-\" \"Mozilla/5.0 Chrome/70\"" >bad.log
    govsite weblog ingest --site $SITE --format combined bad.log >o 2>e
    grep -q "bad.log: new at byte 0: 3 lines (2 bad), 1 page views" o
    grep -q "bad.log:2: fewer fields than the format" e
    grep -q "bad.log:3: bad status" e
'
check 'a custom nginx log_format and an IIS log are read' '
    printf "%s\n" "1.2.3.4|2018-12-11T10:00:00+08:00|GET /xw/sfyw/ HTTP/1.1|200|Mozilla/5.0 Chrome/70" >custom.log
    govsite weblog ingest --site $SITE --format "\$remote_addr|\$time_iso8601|\$request|\$status|\$http_user_agent" --json custom.log >c.json
    expect_json c.json ".pageviews == 1 and .bad_lines == 0"
    printf "#Software: Microsoft Internet Information Services 10.0\r\n#Fields: date time c-ip cs-method cs-uri-stem cs-uri-query sc-status cs(User-Agent)\r\n2018-12-12 02:00:00 1.2.3.9 GET /xw/bmdt/index.html - 200 Mozilla/5.0+Chrome/70\r\n" >u_ex181212.log
    govsite weblog ingest --site $SITE --json u_ex181212.log >i.json
    expect_json i.json ".files[0].format == \"iis\" and .pageviews == 1"
    govsite weblog stats --site $SITE --from 2018-12-12 --to 2018-12-12 --by column --json >col.json
    expect_json col.json ".rows | map(select(.column == \"新闻>部门动态\")) | .[0].pageviews >= 1"
'
check 'a truncated gzip fails the run and stores nothing' '
    govsite weblog files --json >before.json
    head -c 20000 logs/access.log-201802.gz >cut.gz
    expect_fail 1 govsite weblog ingest --site $SITE access.log cut.gz 2>e
    grep -q "cut.gz.: the gzip data ends early" e
    govsite weblog files --json >after.json
    cmp before.json after.json
'
check 'usage errors and unknown sites' '
    expect_fail 2 govsite weblog ingest access.log 2>e1
    grep -q "needs --site" e1
    expect_fail 2 govsite weblog stats --site $SITE --by week 2>e2
    grep -q "day, month or column" e2
    expect_fail 1 govsite weblog stats --site 没有这个网站 2>e3
    grep -q "没有这个网站" e3
    expect_fail 1 govsite weblog ingest --site $SITE nonexistent.log 2>e4
    grep -q "cannot open .nonexistent.log." e4
    expect_fail 1 govsite weblog ingest --site $SITE --format "\$remote_addr\$status" access.log 2>e5
    grep -q "nothing separates" e5
'
finish
