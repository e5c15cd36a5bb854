#!/bin/sh
# t2101-workers: the job queue and `govsite worker`: three workers crawl ten fixture sites,
# one is killed with SIGKILL mid-crawl; every site is crawled completely, no page is
# stored twice, no job is lost, and per-host politeness holds across the workers (the
# fixture server counts the requests in progress per host).  Also jobs/--enqueue CLI
# contracts, SIGTERM release, retry and cancel.
. "$(dirname "$0")/lib.sh"
TT="$O/testtool"
NSITES=10
NPAGES=30 # per site: the home page and a1..a29

# Ten small sites; every page also links to a page of one shared host, so all workers
# check links on it at the same time (the politeness that must hold across workers).
for s in $(seq 1 $NSITES); do
    d="sites/s$s.test"
    mkdir -p "$d" sites/shared.test
    {
        echo "<html><head><title>站点 $s</title></head><body>"
        for k in $(seq 1 $((NPAGES - 1))); do echo "<a href=\"/a$k.html\">文章 $k</a>"; done
        echo "</body></html>"
    } >"$d/index.html"
    for k in $(seq 1 $((NPAGES - 1))); do
        n=$((k % (NPAGES - 1) + 1))
        echo "<html><head><title>文章 $s-$k</title></head><body><p>正文 $s $k</p><a href=\"/\">首页</a><a href=\"/a$n.html\">下一篇</a><a href=\"http://shared.test/r$k.html\">共享 $k</a></body></html>" >"$d/a$k.html"
        echo "<html><body>r$k</body></html>" >sites/shared.test/r$k.html
    done
done
"$TT" serve sites --port-file port --delay-ms 100 --stats stats.txt >serve.out 2>&1 &
FIX_PID=$!
for _ in $(seq 1 50); do [ -s port ] && break; sleep 0.1; done
PORT=$(cat port)
cat >govsite.conf <<C
[crawl]
contact = http://office.test/crawler
connect_to = *.test:80:127.0.0.1:$PORT
rate = 0
per_host = 2
retries = 0
C
export GOVSITE_CONFIG="$T/govsite.conf"
for s in $(seq 1 $NSITES); do
    govsite site add --name "站点$s" --url "http://s$s.test/" >/dev/null
done

check 'worker and jobs document themselves and refuse bad options' '
    govsite worker --help >h.out
    expect_contains h.out "usage: govsite worker [--concurrency N] [--types crawl,probe,check]"
    govsite jobs --help >h.out
    expect_contains h.out "govsite jobs retry ID"
    expect_fail 2 govsite worker --types crawl,nonsense
    expect_fail 2 govsite worker --concurrency 0
    expect_fail 2 govsite jobs --state sleeping
    expect_fail 2 govsite jobs retry abc
    expect_fail 1 govsite jobs cancel 12345 2>err
    expect_contains err "no job 12345"
'

check 'crawl --all --enqueue queues one job per site, once' '
    govsite crawl --all --enqueue --json >q.json
    expect_json q.json "length == $NSITES and all(.[]; .type == \"crawl\" and .added)"
    govsite crawl 站点1 --enqueue --json >q2.json
    expect_json q2.json ".[0].added == false and .[0].id == $(jq ".[0].id" q.json)"
    govsite jobs --json --state queued >j.json
    expect_json j.json "length == $NSITES and all(.[]; .state == \"queued\" and .worker == null)"
'

# Three workers; the first starts alone and is killed with SIGKILL once it has a crawl in
# hand with pages of it stored (or after a while: the crawl is still in hand then).
govsite -q worker --name w1 --lease 10 --poll 100 --types crawl,check >w1.out 2>&1 &
W1=$!
for _ in $(seq 1 600); do
    [ "$(sql "SELECT COUNT(*) FROM jobs WHERE state = 'running' AND worker = 'w1'")" = 1 ] && break
    sleep 0.05
done
govsite -q worker --name w2 --lease 10 --poll 100 --drain --types crawl,check >w2.out 2>&1 &
W2=$!
govsite -q worker --name w3 --lease 10 --poll 100 --drain --types crawl,check >w3.out 2>&1 &
W3=$!
for _ in $(seq 1 100); do
    n=$(sql "SELECT COUNT(*) FROM crawl_pages p JOIN crawl_urls u ON u.id = p.url_id JOIN crawl_runs r ON r.id = u.run_id JOIN jobs j ON j.site_id = r.site_id AND j.type = 'crawl' WHERE j.state = 'running' AND j.worker = 'w1'")
    [ "${n:-0}" -ge 1 ] && break
    sleep 0.05
done
KILLED=$(sql "SELECT site_id FROM jobs WHERE state = 'running' AND worker = 'w1' AND type = 'crawl'")
kill -KILL $W1
wait $W1 2>/dev/null
S2=0; S3=0
wait $W2 || S2=$?
wait $W3 || S3=$?
kill -TERM $FIX_PID
wait $FIX_PID

check 'the first worker was killed in the middle of a crawl' '
    test -n "$KILLED"
'

check 'the other workers took its job over and drained the queue' '
    expect_eq "$S2 $S3" "0 0"
    expect_eq "$(sql "SELECT COUNT(*) FROM jobs WHERE type = '"'"'crawl'"'"' AND state = '"'"'done'"'"'")" $NSITES
    expect_eq "$(sql "SELECT COUNT(*) FROM jobs WHERE state <> '"'"'done'"'"'")" 0
    expect_eq "$(sql "SELECT attempts || '"'"' '"'"' || worker FROM jobs WHERE type = '"'"'crawl'"'"' AND site_id = $KILLED" | cut -c1-2)" "2 "
    expect_eq "$(sql "SELECT COUNT(*) FROM jobs WHERE type = '"'"'check'"'"' AND state = '"'"'done'"'"' AND origin = '"'"'chain'"'"'")" $NSITES
'

check 'every site was crawled completely in one run, no page stored twice' '
    expect_eq "$(sql "SELECT COUNT(*) FROM crawl_runs")" $NSITES
    expect_eq "$(sql "SELECT COUNT(*) FROM crawl_runs WHERE state = '"'"'complete'"'"'")" $NSITES
    expect_eq "$(sql "SELECT resumed FROM crawl_runs WHERE site_id = $KILLED")" 1
    sql "SELECT r.site_id, COUNT(*) FROM crawl_pages p JOIN crawl_urls u ON u.id = p.url_id JOIN crawl_runs r ON r.id = u.run_id GROUP BY r.site_id" >pages.txt
    expect_eq "$(wc -l <pages.txt)" $NSITES
    expect_eq "$(cut -d"|" -f2 pages.txt | sort -u)" $NPAGES
    expect_eq "$(sql "SELECT COUNT(*) FROM (SELECT run_id, src_id, dst_id, tag FROM crawl_links GROUP BY run_id, src_id, dst_id, tag HAVING COUNT(*) > 1) d")" 0
    expect_eq "$(sql "SELECT COUNT(*) FROM crawl_links")" "$(( NSITES * ( (NPAGES - 1) + (NPAGES - 1) * 3 ) ))"
'

check 'politeness held across the workers: at most per_host requests at once per host' '
    test -s stats.txt
    grep -q "^shared.test " stats.txt
    awk "\$2 > 2 { print; bad = 1 } END { exit bad }" stats.txt
    expect_eq "$(sql "SELECT COUNT(*) FROM job_hosts WHERE holder IS NOT NULL")" 0
'

check 'jobs lists states, workers and timings' '
    govsite jobs --json --type crawl >all.json
    expect_json all.json "length == $NSITES and all(.[]; .state == \"done\" and (.worker | test(\"^w[23]$\")) and .started_at != null and .finished_at != null and .result.pages == $NPAGES)"
    govsite jobs --state done --type check >t.out
    expect_eq "$(grep -c " check " t.out)" $NSITES
'

check 'retry and cancel' '
    id=$(jq ".[0].id" all.json)
    expect_fail 1 govsite jobs retry $id 2>err
    expect_contains err "only failed or cancelled jobs are retried"
    govsite probe 站点1 --enqueue --json >p.json
    pid=$(jq ".[0].id" p.json)
    govsite jobs cancel $pid
    expect_json "$(govsite jobs --json --state cancelled >c.json; echo c.json)" "length == 1 and .[0].id == $pid"
    govsite jobs retry $pid
    expect_eq "$(sql "SELECT state FROM jobs WHERE id = $pid")" queued
    govsite verdict 站点2 --enqueue --json >v.json
    expect_json v.json ".[0].type == \"check\" and .[0].added"
'

check 'SIGTERM gives the job in hand back to the queue at once' '
    "$TT" serve sites --port-file port2 --delay-ms 300 >serve2.out 2>&1 &
    fx=$!
    for _ in $(seq 1 50); do [ -s port2 ] && break; sleep 0.1; done
    sed "s/127.0.0.1:$PORT/127.0.0.1:$(cat port2)/" govsite.conf >slow.conf
    sql "UPDATE jobs SET state = '"'"'cancelled'"'"', live_key = NULL WHERE state = '"'"'queued'"'"'"
    jid=$(GOVSITE_CONFIG=$T/slow.conf govsite crawl 站点3 --enqueue --json | jq ".[0].id")
    GOVSITE_CONFIG=$T/slow.conf govsite worker --name wt --lease 30 --types crawl >wt.out 2>&1 &
    w=$!
    for _ in $(seq 1 100); do
        [ "$(sql "SELECT state FROM jobs WHERE id = $jid")" = running ] && break; sleep 0.05
    done
    sleep 0.5
    kill -TERM $w
    wait $w
    kill -TERM $fx; wait $fx || true
    expect_contains wt.out "released"
    expect_eq "$(sql "SELECT state || '"'"' '"'"' || attempts || '"'"' '"'"' || COALESCE(worker, '"'"'-'"'"') FROM jobs WHERE id = $jid")" "queued 0 -"
    expect_eq "$(sql "SELECT state FROM crawl_runs WHERE site_id = (SELECT site_id FROM jobs WHERE id = $jid) ORDER BY id DESC LIMIT 1")" interrupted
'
finish
