#!/bin/sh
# t5102-serve-jobs-web: 任务调度 through the real binary with curl: a job enqueued with the
# API and by the page's form (with its CSRF token), cancelled and retried, a site's
# interval set and cleared, the jobs CLI seeing the same queue.  No runners: the jobs stay
# queued and nothing is crawled.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"
trap 'serve_stop >/dev/null 2>&1' EXIT

check 'the registry and an admin and a supervisor' '
    govsite unit import "$DEMO/units.csv" >/dev/null
    govsite site import "$DEMO/sites.csv" >/dev/null
    echo "admin-password" | govsite user add admin --role admin
    echo "super-password" | govsite user add sup --role supervisor
'
TOKEN=$(govsite user token admin)
STOKEN=$(govsite user token sup)
SITE=$(sql "SELECT name FROM sites WHERE status = '正常运行' ORDER BY id LIMIT 1")
NRUN=$(sql "SELECT COUNT(*) FROM sites WHERE status = '正常运行'")
serve_start
STARTED=$?
api() { # METHOD PATH [BODY] → body in r.json, status in r.status
    if [ -n "${3:-}" ]; then
        curl -s -o r.json -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" \
            -H 'Content-Type: application/json' -d "$3" "$URL$2" >r.status
    else
        curl -s -o r.json -w '%{http_code}' -X "$1" -H "Authorization: Bearer $TOKEN" "$URL$2" >r.status
    fi
}

check 'POST /api/v1/jobs enqueues a probe of every running site, once' '
    test $STARTED = 0
    api POST /api/v1/jobs "{\"type\":\"probe\",\"all\":true}"
    expect_eq "$(cat r.status)" 201
    expect_json r.json ".added == $NRUN and (.ids | length) == $NRUN"
    api POST /api/v1/jobs "{\"type\":\"probe\",\"all\":true}"
    expect_eq "$(cat r.status)" 200
    expect_json r.json ".added == 0 and .existing == $NRUN"
    govsite jobs --json --state queued --type probe >l.json
    expect_json l.json "length == $NRUN and (map(.origin) | unique) == [\"api\"]"
'
check 'cancel, then retry, one of them; a second cancel is 409' '
    ID=$(sql "SELECT MIN(id) FROM jobs")
    api POST /api/v1/jobs/$ID/cancel
    expect_eq "$(cat r.status)" 200
    expect_json r.json ".state == \"cancelled\" and .type_label == \"可用性探测\""
    api POST /api/v1/jobs/$ID/cancel
    expect_eq "$(cat r.status)" 409
    expect_json r.json ".error.code == \"CONFLICT\""
    api POST /api/v1/jobs/$ID/retry
    expect_json r.json ".state == \"queued\""
'
check 'PUT /api/v1/schedule sets and clears a site interval' '
    api PUT /api/v1/schedule "{\"site\":\"$SITE\",\"type\":\"crawl\",\"every\":\"6h\"}"
    expect_eq "$(cat r.status)" 200
    expect_json r.json ".schedule.crawl.every == 21600 and .schedule.crawl.source == \"site\""
    expect_eq "$(sql "SELECT every_s FROM job_schedule")" 21600
    api PUT /api/v1/schedule "{\"site\":\"$SITE\",\"type\":\"crawl\",\"every\":null}"
    expect_json r.json ".schedule.crawl.every == 86400 and .schedule.crawl.source == \"default\""
    expect_eq "$(sql "SELECT COUNT(*) FROM job_schedule")" 0
    api PUT /api/v1/schedule "{\"site\":\"$SITE\",\"type\":\"crawl\",\"every\":\"soon\"}"
    expect_eq "$(cat r.status)" 400
'
check 'a supervisor reads the list but may not enqueue' '
    curl -s -H "Authorization: Bearer $STOKEN" "$URL/api/v1/jobs?type=probe&per_page=1" -D h.txt >s.json
    expect_json s.json ".total == $NRUN and (.items | length) == 1"
    grep -q "rel=\"next\"" h.txt
    test "$(curl -s -o /dev/null -w "%{http_code}" -H "Authorization: Bearer $STOKEN" \
        -H "Content-Type: application/json" -d "{\"type\":\"noop\"}" "$URL/api/v1/jobs")" = 403
'
check 'the page: login, the form with its CSRF token enqueues a crawl' '
    curl -s -c jar -H "Content-Type: application/json" \
        -d "{\"name\":\"admin\",\"password\":\"admin-password\"}" "$URL/api/v1/session" >s.json
    CSRF=$(jq -r .csrf_token s.json)
    curl -s -b jar "$URL/jobs" >p.html
    expect_contains p.html "任务调度"
    expect_contains p.html "各站点计划"
    expect_contains p.html "可用性探测"
    test "$(curl -s -o /dev/null -w "%{http_code}" -b jar --data-urlencode "type=crawl" \
        --data-urlencode "site=$SITE" "$URL/jobs")" = 403
    test "$(curl -s -o /dev/null -w "%{http_code}" -b jar --data-urlencode "type=crawl" \
        --data-urlencode "site=$SITE" --data-urlencode "csrf=$CSRF" "$URL/jobs")" = 303
    expect_eq "$(sql "SELECT COUNT(*) || '"'"' '"'"' || MIN(origin) FROM jobs WHERE type = '"'"'crawl'"'"'")" "1 manual"
'
serve_stop
finish
