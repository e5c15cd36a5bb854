#!/bin/bash
# bench/workers.sh - distributed crawl workers (docs/scaling.md): crawl SITES fixture
# sites served by nginx on 127.0.0.1 with
#   1. SQLite, one process: govsite crawl --all (the single-machine baseline);
#   2. PostgreSQL, one worker process (govsite worker --drain, RUNNERS crawls at once);
#   3. PostgreSQL, two worker processes (the same each);
# and print pages/s and the 2-worker / 1-worker ratio; then the jobs/s the queue sustains
# with empty jobs (noop: claim + finish, JOBS of them, one worker process with RUNNERS
# runners, then two processes).  Targets (issue 11): 2 workers >= 1.6x one; queue >= 1,000
# jobs/s.  The exit status is 0 only when both are met.
#
# The sites: ../shared/bench/gen_site.py's government-style site (PAGES pages) generated
# once and hard-linked SITES times as s1.bench.test ... (nginx serves $host's folder).
# Each worker crawls with one parser thread ([crawl] parsers = 1: a worker per core);
# --rate 0 on loopback makes the crawler CPU-bound, so scaling comes from processes.
# PostgreSQL is a private cluster (scripts/pgtest.sh: fsync off, as the test suites).
#
# Environment (defaults): SITES=50 PAGES=400 RUNNERS=4 JOBS=20000 PORT=8097
#   ONLY=crawl|queue (one part; default both)
#   WORK=/tmp/govsite-bench-workers   GOVSITE=<repo>/build/govsite
#   SHARED=<repo>/../shared/bench (gen_site.py)
# Not a test: it takes a few minutes.  Not run by make check.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
ONLY="${ONLY:-}"
SITES="${SITES:-50}"; PAGES="${PAGES:-400}"; RUNNERS="${RUNNERS:-4}"; JOBS="${JOBS:-20000}"
PORT="${PORT:-8097}"
WORK="${WORK:-/tmp/govsite-bench-workers}"
GOVSITE="${GOVSITE:-$ROOT/build/govsite}"
SHARED="${SHARED:-$ROOT/../shared/bench}"
[ -d "$SHARED" ] || SHARED="$ROOT/../../shared/bench"
say() { echo "[$(date +%H:%M:%S)] $*" >&2; }
[ -x "$GOVSITE" ] || { echo "workers.sh: $GOVSITE not found; run make first" >&2; exit 1; }
[ -f "$SHARED/gen_site.py" ] || { echo "workers.sh: $SHARED/gen_site.py not found; set SHARED" >&2; exit 1; }
command -v nginx >/dev/null || [ -x /usr/sbin/nginx ] || { echo "workers.sh: needs nginx" >&2; exit 1; }
NGINX=$(command -v nginx || echo /usr/sbin/nginx)
mkdir -p "$WORK"

# ---- sites and nginx ----
if [ ! -f "$WORK/sites/.done-$SITES-$PAGES" ]; then
    say "generating a $PAGES-page site, linked as $SITES hosts"
    rm -rf "$WORK/sites" "$WORK/one"
    python3 "$SHARED/gen_site.py" "$WORK/one" -n "$PAGES" --seed 1 --force >/dev/null
    mkdir -p "$WORK/sites"
    for i in $(seq 1 "$SITES"); do cp -al "$WORK/one" "$WORK/sites/s$i.bench.test"; done
    touch "$WORK/sites/.done-$SITES-$PAGES"
fi
RUN="$WORK/nginx"
mkdir -p "$RUN/tmp"
cat >"$RUN/nginx.conf" <<EOF
worker_processes 1;
pid $RUN/nginx.pid;
error_log $RUN/error.log warn;
events { worker_connections 4096; }
http {
    types { text/html html htm; text/css css; application/javascript js; image/png png; }
    default_type application/octet-stream;
    charset off;
    access_log off;
    sendfile on;
    keepalive_requests 1000000;
    client_body_temp_path $RUN/tmp/body;
    proxy_temp_path $RUN/tmp/proxy;
    fastcgi_temp_path $RUN/tmp/fastcgi;
    uwsgi_temp_path $RUN/tmp/uwsgi;
    scgi_temp_path $RUN/tmp/scgi;
    server {
        listen 127.0.0.1:$PORT;
        root $WORK/sites/\$host;
        index index.html;
    }
}
EOF
"$NGINX" -c "$RUN/nginx.conf" -p "$RUN" || { echo "workers.sh: nginx did not start" >&2; exit 1; }
PGDIR=""
cleanup() {
    [ -f "$RUN/nginx.pid" ] && kill "$(cat "$RUN/nginx.pid")" 2>/dev/null
    [ -n "$PGDIR" ] && sh "$ROOT/scripts/pgtest.sh" stop "$PGDIR"
}
trap cleanup EXIT

cat >"$WORK/govsite.conf" <<EOF
[crawl]
contact = http://office.bench.test/crawler
connect_to = *.bench.test:80:127.0.0.1:$PORT
rate = 0
per_host = 4
max_pages = 100000
EOF
cp "$WORK/govsite.conf" "$WORK/worker.conf"
printf 'parsers = 1\n' >>"$WORK/worker.conf"
export GOVSITE_CONFIG="$WORK/govsite.conf"
unset GOVSITE_NOW

add_sites() {
    for i in $(seq 1 "$SITES"); do
        "$GOVSITE" -q site add --name "s$i" --url "http://s$i.bench.test/" >/dev/null || return 1
    done
}
now_ms() { date +%s%3N; }

sq_pages=0; sq_ms=1
if [ "$ONLY" != queue ]; then
# ---- 1. SQLite, one process ----
say "SQLite: govsite crawl --all ($SITES sites)"
export GOVSITE_DB="$WORK/sqlite.db"
rm -f "$GOVSITE_DB"*
add_sites
t0=$(now_ms)
"$GOVSITE" -q crawl --all --json >"$WORK/sqlite.json" || { echo "workers.sh: the SQLite crawl failed" >&2; exit 1; }
t1=$(now_ms)
sq_pages=$(jq '[.[].pages] | add' "$WORK/sqlite.json")
sq_ms=$((t1 - t0))

fi

# ---- PostgreSQL ----
out=$(sh "$ROOT/scripts/pgtest.sh" start) || { echo "workers.sh: no PostgreSQL cluster" >&2; exit 1; }
eval "$out"
PGDIR=$PGTEST_DIR
pghost=$(printf '%s\n' "$PG_TEST_DSN" | sed -n 's/.*host=\([^ ]*\).*/\1/p')
pgport=$(printf '%s\n' "$PG_TEST_DSN" | sed -n 's/.*port=\([0-9]*\).*/\1/p')
pgdb() { # fresh database NAME → exports GOVSITE_DB
    psql -q -X "$PG_TEST_DSN" -c "DROP DATABASE IF EXISTS $1" -c "CREATE DATABASE $1" >/dev/null
    export GOVSITE_DB="postgresql://govsite@/$1?host=$pghost&port=$pgport"
    "$GOVSITE" -q db migrate >/dev/null
}
# CPU seconds (user + system) the PostgreSQL server used so far: the postmaster, its
# live children and the ended backends it reaped (cutime/cstime).
pg_cpu() {
    local pm tck=$(getconf CLK_TCK)
    pm=$(head -1 "$PGDIR/data/postmaster.pid")
    { awk '{ print $14 + $15 + $16 + $17 }' "/proc/$pm/stat"
      for c in $(ps --ppid "$pm" -o pid=); do
          awk '{ print $14 + $15 }' "/proc/$c/stat" 2>/dev/null
      done; } | awk -v t="$tck" '{ s += $1 } END { printf "%.1f", s / t }'
}
# run a worker, its CPU seconds into $WORK/cpu.NAME
timed() {
    local name=$1; shift
    /usr/bin/time -f "%U %S" -o "$WORK/cpu.$name" "$@"
}
cpu_of() { awk '{ printf "%.1f", $1 + $2 }' "$WORK/cpu.$1"; }
# cpu_report PART N C0: each worker's CPU seconds and the server's since C0 (to stderr)
cpu_report() {
    sleep 0.5 # the backends end and are reaped
    local c1 cpus=""
    c1=$(pg_cpu)
    for w in $(seq 1 "$2"); do cpus="$cpus w$w $(cpu_of "$1$2.w$w") s,"; done
    say "$1, $2 worker(s): CPU$cpus PostgreSQL $(awk -v a="$3" -v b="$c1" 'BEGIN { printf "%.1f", b - a }') s; load average $(cut -d' ' -f1-3 /proc/loadavg)"
}
# crawl_workers N → "pages ms"
crawl_workers() {
    pgdb "crawl$1"
    add_sites
    "$GOVSITE" -q crawl --all --enqueue >/dev/null
    local t0 t1 c0 pids=()
    c0=$(pg_cpu)
    t0=$(now_ms)
    for w in $(seq 1 "$1"); do
        GOVSITE_CONFIG="$WORK/worker.conf" timed "crawl$1.w$w" "$GOVSITE" -q worker --drain --poll 50 --name "w$w" \
            --concurrency "$RUNNERS" --types crawl &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p" || { echo "workers.sh: a worker failed" >&2; exit 1; }; done
    t1=$(now_ms)
    cpu_report crawl "$1" "$c0"
    n=$(psql -X -At "$GOVSITE_DB" -c "SELECT COUNT(*) FROM crawl_pages")
    failed=$(psql -X -At "$GOVSITE_DB" -c "SELECT COUNT(*) FROM jobs WHERE type = 'crawl' AND state <> 'done'")
    [ "$failed" = 0 ] || { echo "workers.sh: $failed crawl jobs did not finish" >&2; exit 1; }
    echo "$n $((t1 - t0))"
}
# one_two FN WHAT → FN's "count ms" with 1 worker process, then with 2
one_two() {
    local a b
    say "$2, 1 worker process"
    a=$("$1" 1) || exit 1
    say "$2, 2 worker processes"
    b=$("$1" 2) || exit 1
    echo "$a $b"
}
pg1_pages=0 pg1_ms=1 pg2_pages=0 pg2_ms=1
[ "$ONLY" = queue ] ||
    read -r pg1_pages pg1_ms pg2_pages pg2_ms < <(one_two crawl_workers "PostgreSQL: crawl ($RUNNERS crawls per worker)")

# queue_rate N → "jobs ms"
queue_rate() {
    pgdb "queue$1"
    psql -q -X "$GOVSITE_DB" -c "INSERT INTO jobs (type, state, origin, created_at) SELECT 'noop', 'queued', 'bench', 0 FROM generate_series(1, $JOBS)"
    local t0 t1 c0 pids=()
    c0=$(pg_cpu)
    t0=$(now_ms)
    for w in $(seq 1 "$1"); do
        timed "queue$1.w$w" "$GOVSITE" -q worker --drain --poll 10 --name "q$w" --concurrency "$RUNNERS" --types noop &
        pids+=($!)
    done
    for p in "${pids[@]}"; do wait "$p"; done
    t1=$(now_ms)
    cpu_report queue "$1" "$c0"
    local done
    done=$(psql -X -At "$GOVSITE_DB" -c "SELECT COUNT(*) FROM jobs WHERE state = 'done' AND attempts = 1")
    echo "$done $((t1 - t0))"
}
q1_jobs=0 q1_ms=1 q2_jobs=0 q2_ms=1
[ "$ONLY" = crawl ] ||
    read -r q1_jobs q1_ms q2_jobs q2_ms < <(one_two queue_rate "queue: $JOBS empty jobs")

rate() { awk -v n="$1" -v ms="$2" 'BEGIN { printf "%.0f", n * 1000 / ms }'; }
sq_r=$(rate "$sq_pages" "$sq_ms"); pg1_r=$(rate "$pg1_pages" "$pg1_ms"); pg2_r=$(rate "$pg2_pages" "$pg2_ms")
q1_r=$(rate "$q1_jobs" "$q1_ms"); q2_r=$(rate "$q2_jobs" "$q2_ms")
scale=$(awk -v a="$pg2_r" -v b="$pg1_r" 'BEGIN { printf "%.2f", b ? a / b : 0 }')
echo
echo "machine: $(nproc) CPUs, $(awk -F: '/model name/ { print $2; exit }' /proc/cpuinfo | sed 's/^ *//'), $(free -g | awk '/Mem:/ { print $2 }') GB"
echo "sites: $SITES x $PAGES pages (gen_site.py), nginx on 127.0.0.1, --rate 0, per_host 4"
printf '%-38s %8s %8s %10s\n' "run" "pages" "seconds" "pages/s"
printf '%-38s %8d %8.1f %10d\n' "SQLite, govsite crawl --all" "$sq_pages" "$(awk -v m="$sq_ms" 'BEGIN{print m/1000}')" "$sq_r"
printf '%-38s %8d %8.1f %10d\n' "PostgreSQL, 1 worker" "$pg1_pages" "$(awk -v m="$pg1_ms" 'BEGIN{print m/1000}')" "$pg1_r"
printf '%-38s %8d %8.1f %10d\n' "PostgreSQL, 2 workers" "$pg2_pages" "$(awk -v m="$pg2_ms" 'BEGIN{print m/1000}')" "$pg2_r"
echo "scaling, 2 workers / 1 worker: ${scale}x (target >= 1.6x)"
printf 'queue, empty jobs: %d jobs/s with 1 worker process, %d jobs/s with 2 (target >= 1000)\n' "$q1_r" "$q2_r"
ok=0
[ "$ONLY" = queue ] || awk -v s="$scale" 'BEGIN { exit !(s >= 1.6) }' || { echo "BELOW TARGET: scaling"; ok=1; }
[ "$ONLY" = crawl ] || [ "$q1_r" -ge 1000 ] || [ "$q2_r" -ge 1000 ] || { echo "BELOW TARGET: queue"; ok=1; }
exit $ok
