#!/bin/bash
# bench/crawl.sh - govsite's crawler and link checker against its peers, in one run.
#
# The site is ../shared/bench/gen_site.py's synthetic government site (20,000 pages by
# default), served by nginx on 127.0.0.1 the way ../shared/bench/serve.sh does.  Each run
# crawls it with govsite (parsing and storing everything, every link checked) and, for
# comparison, with wget2 (-r --delete-after), LinkChecker and linkinator as
# ../shared/bench/peers.sh runs them; a peer that is not installed is skipped, saying so.
# Each result is scored against the site's manifest: the distinct broken targets found,
# missed and falsely reported (score.py's rules), plus, for govsite, every leaf column's
# latest item date against columns[].latest_date.  Printed: wall time, pages/s and peak
# RSS per tool (medians of RUNS), the broken-link score, and govsite's pages/s / wget2's.
#
# Environment (defaults): N=20000 SEED=1 RUNS=3 THREADS=10 PORT=8098
#   WORK=/tmp/govsite-bench   where the site, databases and results go (not the repo)
#   SHARED=<repo>/../shared/bench   gen_site.py, serve.sh, nginx.conf.in, score.py
#   GOVSITE=<repo>/build/govsite    the binary under test (make first)
#   PEERS="wget2 linkchecker linkinator"   NPM_DIR=/tmp/bench-npm (linkinator from npm)
# Not a test: it takes minutes and needs nginx.  Not run by make check.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
N="${N:-20000}"; SEED="${SEED:-1}"; RUNS="${RUNS:-3}"; THREADS="${THREADS:-10}"
PORT="${PORT:-8098}"; PORT2=$((PORT + 1))
WORK="${WORK:-/tmp/govsite-bench}"
SHARED="${SHARED:-$ROOT/../shared/bench}"
[ -d "$SHARED" ] || SHARED="$ROOT/../../shared/bench"
GOVSITE="${GOVSITE:-$ROOT/build/govsite}"
PEERS="${PEERS:-wget2 linkchecker linkinator}"
NPM_DIR="${NPM_DIR:-/tmp/bench-npm}"
SITE="$WORK/site"; MAN="$WORK/site.manifest.json"
RES="$WORK/govsite-results"; NGX="$WORK/nginx-govsite"
BASE="http://127.0.0.1:$PORT"
say() { echo "[$(date +%H:%M:%S)] $*" >&2; }

for f in gen_site.py serve.sh score.py; do
    [ -f "$SHARED/$f" ] || { echo "crawl.sh: $SHARED/$f not found; set SHARED" >&2; exit 1; }
done
[ -x "$GOVSITE" ] || { echo "crawl.sh: $GOVSITE not found; run make first" >&2; exit 1; }
command -v /usr/bin/time >/dev/null || { echo "crawl.sh: needs GNU time (apt-get install time)" >&2; exit 1; }
mkdir -p "$WORK" "$RES"

# ---------------------------------------------------------------- the site ---
if [ -f "$MAN" ] && python3 -c "import json,sys; m=json.load(open('$MAN')); sys.exit(0 if m['pages_requested']==$N and m['seed']==$SEED else 1)"; then
    say "site $SITE exists (N=$N, seed $SEED)"
else
    say "generating $SITE (N=$N)"
    python3 "$SHARED/gen_site.py" "$SITE" -n "$N" --seed "$SEED" --force --manifest "$MAN" >&2 || exit 1
fi
RUNDIR="$NGX" PORT=$PORT PORT2=$PORT2 bash "$SHARED/serve.sh" start "$SITE" >&2 || exit 1
trap 'RUNDIR="$NGX" bash "$SHARED/serve.sh" stop >&2' EXIT

PAGES=$(python3 -c "import json; print(json.load(open('$MAN'))['pages']['html_total'])")

# -------------------------------------------------------------- the tools ---
timed() { # name run cmd...
    local name=$1 run=$2; shift 2
    /usr/bin/time -v -o "$RES/$name.run$run.time" "$@" >"$RES/$name.run$run.out" 2>"$RES/$name.run$run.err"
}

score_govsite() { # run -> json score in $RES/govsite.runN.score.json
    local run=$1 db="$RES/govsite.run$1.db"
    GOVSITE_DB="$db" "$GOVSITE" links bench --broken --json >"$RES/govsite.run$run.broken.json"
    GOVSITE_DB="$db" "$GOVSITE" pages bench --json >"$RES/govsite.run$run.pages.json"
    python3 - "$MAN" "$BASE" "$RES/govsite.run$run.broken.json" "$RES/govsite.run$run.pages.json" \
        "$RES/govsite.run$run.out" >"$RES/govsite.run$run.score.json" <<'PY'
import json, sys
from html import unescape
man, base, broken, pages, summary = sys.argv[1:6]
m = json.load(open(man))
truth = {b["target"] for b in m["broken_targets"]}
got = set()
for l in json.load(open(broken)):
    t = l["target"]
    if t.startswith(base):
        got.add(unescape(t[len(base):].split("?", 1)[0] or "/"))
# every leaf column's latest item date, from its list pages (all pagination pages)
latest = {}
for p in json.load(open(pages)):
    u = p["url"]
    if not u.startswith(base) or not p.get("list"):
        continue
    path = u[len(base):].split("?", 1)[0]
    d = path[: path.rfind("/") + 1]
    if p.get("latest") and (d not in latest or p["latest"] > latest[d]):
        latest[d] = p["latest"]
cols = [c for c in m["columns"] if c.get("leaf")]
wrong = [(c["path"], latest.get(c["path"]), c["latest_date"]) for c in cols
         if latest.get(c["path"]) != c["latest_date"]]
s = json.load(open(summary))[0]
print(json.dumps(dict(found=len(got & truth), missed=len(truth - got), false_positive=len(got - truth),
                      truth=len(truth), columns=len(cols), columns_wrong=len(wrong),
                      columns_wrong_examples=wrong[:5], pages_parsed=s["pages"],
                      requests=s["requests"], links=s["links"])))
PY
}

run_govsite() {
    local run=$1 db="$RES/govsite.run$1.db"
    rm -f "$db" "$db-wal" "$db-shm"
    GOVSITE_DB="$db" "$GOVSITE" site add --name bench --url "$BASE/" >/dev/null || return 1
    GOVSITE_DB="$db" timed govsite "$run" "$GOVSITE" crawl bench --rate 0 --per-host "$THREADS" \
        --concurrency "$THREADS" --max-pages 1000000 --depth 1000 --json
    score_govsite "$run"
}

run_peer() { # peer run
    local p=$1 run=$2 base="$RES/$1.run$2"
    case $p in
    wget2)
        command -v wget2 >/dev/null || return 2
        local dl="$WORK/wget2-dl"; rm -rf "$dl"; mkdir -p "$dl"
        (cd "$RES" && timed wget2 "$run" wget2 -r -l inf --delete-after -P "$dl" --max-threads="$THREADS" \
            -nv -o "$base.log" --stats-site="csv:$base.csv" "$BASE/")
        rm -rf "$dl"
        python3 "$SHARED/score.py" link --tool wget2 --out "$base.csv" --manifest "$MAN" --base "$BASE" >"$base.score.json" ;;
    linkchecker)
        command -v linkchecker >/dev/null || return 2
        printf '[checking]\nthreads=%s\nmaxrequestspersecond=100000\n' "$THREADS" >"$RES/linkcheckerrc"
        : >"$base.csv"; chmod 666 "$base.csv"
        timed linkchecker "$run" linkchecker -f "$RES/linkcheckerrc" --no-status -o text -F "csv/utf-8/$base.csv" "http://127.0.0.1:$PORT2/"
        python3 "$SHARED/score.py" link --tool linkchecker --out "$base.csv" --txt "$base.out" --manifest "$MAN" \
            --base "http://127.0.0.1:$PORT2" >"$base.score.json" ;;
    linkinator)
        local bin="$NPM_DIR/node_modules/.bin/linkinator"
        [ -x "$bin" ] || bin=$(command -v linkinator) || return 2
        timed linkinator "$run" "$bin" "$BASE/" --recurse --concurrency "$THREADS" \
            --skip "^(?!http://127\\.0\\.0\\.1:$PORT/)" --format json
        python3 "$SHARED/score.py" link --tool linkinator --out "$base.out" --manifest "$MAN" --base "$BASE" >"$base.score.json" ;;
    *) return 2 ;;
    esac
}

declare -A SKIP
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
for run in $(seq "$RUNS"); do
    say "run $run: govsite"
    run_govsite "$run"
    for p in $PEERS; do
        [ -n "${SKIP[$p]:-}" ] && continue
        say "run $run: $p"
        run_peer "$p" "$run"
        if [ $? = 2 ]; then
            SKIP[$p]=1
            echo "crawl.sh: $p skipped: not installed" >&2
        fi
    done
done

# ---------------------------------------------------------------- report ---
# the machine's load (other users of the same cores skew every figure)
echo "load average before: $LOAD0; after: $(cut -d' ' -f1-3 /proc/loadavg); $(nproc) cores"
python3 - "$RES" "$PAGES" "$RUNS" "$SHARED" "govsite $PEERS" <<'PY'
import json, os, statistics, sys
sys.path.insert(0, sys.argv[4])
from score import parse_time
res, pages, runs, tools = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), sys.argv[5].split()
rows = {}
for t in tools:
    walls, rss, scores = [], [], []
    for r in range(1, runs + 1):
        tf = os.path.join(res, f"{t}.run{r}.time")
        sf = os.path.join(res, f"{t}.run{r}.score.json")
        if not os.path.exists(tf) or not os.path.exists(sf):
            continue
        tm = parse_time(tf)
        walls.append(tm["wall_s"]); rss.append(tm["max_rss_kb"] / 1024)
        scores.append(json.load(open(sf)))
    if walls:
        rows[t] = (statistics.median(walls), min(walls), max(walls), statistics.median(rss), scores[0])
print(f"pages: {pages} HTML pages; runs: {runs} (medians)")
print(f"{'tool':<12} {'wall s':>8} {'(min-max)':>14} {'pages/s':>9} {'RSS MiB':>8} {'found':>6} {'missed':>7} {'false+':>7}")
for t, (w, lo, hi, rss, s) in rows.items():
    print(f"{t:<12} {w:8.2f} {f'({lo:.2f}-{hi:.2f})':>14} {pages / w:9.0f} {rss:8.1f} {s['found']:6} {s['missed']:7} {s['false_positive']:7}")
if "govsite" in rows:
    g = rows["govsite"][4]
    print(f"govsite: {g['pages_parsed']} pages parsed and stored, {g['links']} link rows, {g['requests']} requests; "
          f"broken targets {g['found']}/{g['truth']} found, {g['missed']} missed, {g['false_positive']} false; "
          f"leaf columns with the wrong latest date: {g['columns_wrong']} of {g['columns']}")
    if "wget2" in rows:
        print(f"govsite pages/s / wget2 pages/s = {rows['wget2'][0] / rows['govsite'][0]:.2f}")
PY
