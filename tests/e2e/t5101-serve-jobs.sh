#!/bin/sh
# t5101-serve-jobs: the scheduler and the worker pool inside `govsite serve`: with a short
# tick a fixture site is crawled and then checked on its own; SIGTERM in the middle of
# the crawl gives the job back and the next start reruns it (resuming the same run);
# /metrics shows the jobs.
. "$(dirname "$0")/lib.sh"
TT="$O/testtool"
NPAGES=40

mkdir -p sites/s1.test
{
    echo "<html><head><title>站点</title></head><body>"
    for k in $(seq 1 $((NPAGES - 1))); do echo "<a href=\"/a$k.html\">文章 $k</a>"; done
    echo "</body></html>"
} >sites/s1.test/index.html
for k in $(seq 1 $((NPAGES - 1))); do
    echo "<html><head><title>文章 $k</title></head><body><a href=\"/\">首页</a></body></html>" >sites/s1.test/a$k.html
done
"$TT" serve sites --port-file port --delay-ms 200 >fx.out 2>&1 &
FIX_PID=$!
for _ in $(seq 1 50); do [ -s port ] && break; sleep 0.1; done
cat >govsite.conf <<C
[crawl]
contact = http://office.test/crawler
connect_to = *.test:80:127.0.0.1:$(cat port)
rate = 0
per_host = 2
[jobs]
tick = 1
probe_every = never
C
export GOVSITE_CONFIG="$T/govsite.conf"
govsite site add --name 站点 --url http://s1.test/ >/dev/null
SERVE_JOBS=1
export SERVE_JOBS

wait_for() { # SQL expected-value tries
    _i=0
    while [ $_i -lt "$3" ]; do
        [ "$(sql "$1")" = "$2" ] && return 0
        sleep 0.1
        _i=$((_i + 1))
    done
    echo "timed out waiting for [$1] = $2 (got $(sql "$1"))" >&2
    return 1
}

check 'serve --help names --jobs and --no-scheduler' '
    govsite serve --help >h.out
    expect_contains h.out "--jobs N"
    expect_contains h.out "--no-scheduler"
    expect_fail 2 govsite serve --jobs many
'

serve_start --jobs 1
STARTED1=$?
check 'the scheduler queues the crawl and the pool starts it' '
    test $STARTED1 = 0
    wait_for "SELECT state FROM jobs WHERE type = '"'"'crawl'"'"'" running 300
    expect_eq "$(sql "SELECT origin FROM jobs WHERE type = '"'"'crawl'"'"'")" schedule
    wait_for "SELECT CASE WHEN COUNT(*) >= 2 THEN 1 ELSE 0 END FROM crawl_pages" 1 300
'
serve_stop
STOP1=$?
check 'SIGTERM in the middle of the crawl gives the job back to the queue' '
    expect_eq "$STOP1" 0
    expect_eq "$(sql "SELECT state || '"'"' '"'"'|| attempts FROM jobs WHERE type = '"'"'crawl'"'"'")" "queued 0"
    expect_eq "$(sql "SELECT state FROM crawl_runs")" interrupted
    test "$(sql "SELECT COUNT(*) FROM crawl_pages")" -lt $NPAGES
'

serve_start --jobs 1
check 'the next start reruns it to the end, then the check follows on its own' '
    wait_for "SELECT state FROM jobs WHERE type = '"'"'check'"'"'" done 600
    expect_eq "$(sql "SELECT COUNT(*) || '"'"' '"'"' || MIN(state) || '"'"' '"'"' || MIN(attempts) FROM jobs WHERE type = '"'"'crawl'"'"'")" "1 done 1"
    expect_eq "$(sql "SELECT COUNT(*) || '"'"' '"'"' || MIN(state) || '"'"' '"'"' || MIN(resumed) FROM crawl_runs")" "1 complete 1"
    expect_eq "$(sql "SELECT COUNT(*) FROM crawl_pages")" $NPAGES
    expect_eq "$(sql "SELECT origin FROM jobs WHERE type = '"'"'check'"'"'")" chain
    expect_eq "$(sql "SELECT COUNT(*) FROM verdicts")" 1
'
check '/metrics shows the jobs by type and state, and the crawls run' '
    curl -s "$URL/metrics" >m.txt
    expect_contains m.txt "govsite_jobs{type=\"crawl\",state=\"done\"} 1"
    expect_contains m.txt "govsite_jobs{type=\"check\",state=\"done\"} 1"
    expect_contains m.txt "govsite_jobs{type=\"probe\",state=\"queued\"} 0"
    expect_contains m.txt "govsite_crawl_runs_total 1"
'
check 'the scheduler does not queue the crawl again before it is due' '
    sleep 2.5
    expect_eq "$(sql "SELECT COUNT(*) FROM jobs WHERE type = '"'"'crawl'"'"'")" 1
'
serve_stop
kill -TERM $FIX_PID
wait $FIX_PID
finish
