#!/bin/bash
# bench/freshness.sh - column freshness on the 20,000-page synthetic site, against its
# manifest (../shared/bench/gen_site.py: columns[].latest_date).
#
# Generates the site, serves it on loopback with `testtool serve` (as host
# www.bench.test), registers every column of the manifest in govsite (URL = its list
# page), crawls it with the rate limit lifted, runs `govsite check` and compares each
# column's "latest" in `govsite column list --json` with the manifest.  Prints the
# columns right and wrong (with examples), the crawl's and the check's wall times.
#
# Environment (defaults): N=20000 SEED=1 WORK=/tmp/govsite-freshness
#   SHARED=<repo>/../shared/bench  GOVSITE=<repo>/build/govsite  TESTTOOL=<repo>/build/testtool
# Not a test (minutes on a small machine); not run by make check.
set -uo pipefail
HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$HERE/.." && pwd)"
N="${N:-20000}"; SEED="${SEED:-1}"
WORK="${WORK:-/tmp/govsite-freshness}"
SHARED="${SHARED:-$ROOT/../shared/bench}"
[ -d "$SHARED" ] || SHARED="$ROOT/../../shared/bench"
GOVSITE="${GOVSITE:-$ROOT/build/govsite}"
TESTTOOL="${TESTTOOL:-$ROOT/build/testtool}"
HOST=www.bench.test
say() { echo "[$(date +%H:%M:%S)] $*" >&2; }
[ -f "$SHARED/gen_site.py" ] || { echo "freshness.sh: $SHARED/gen_site.py not found; set SHARED" >&2; exit 1; }
[ -x "$GOVSITE" ] && [ -x "$TESTTOOL" ] || { echo "freshness.sh: build first (make)" >&2; exit 1; }

mkdir -p "$WORK"
SITE="$WORK/site"; MAN="$WORK/site.manifest.json"
if [ ! -f "$MAN" ] || [ "$(jq -r .pages_requested "$MAN" 2>/dev/null)" != "$N" ]; then
    say "generating $N pages"
    python3 "$SHARED/gen_site.py" "$SITE" -n "$N" --seed "$SEED" --manifest "$MAN" --force >/dev/null
fi
REF=$(jq -r .ref_date "$MAN")
mkdir -p "$WORK/srv"
ln -sfn "$SITE" "$WORK/srv/$HOST"
rm -f "$WORK/port"
"$TESTTOOL" serve "$WORK/srv" --port-file "$WORK/port" >"$WORK/serve.log" 2>&1 &
SERVE_PID=$!
trap 'kill $SERVE_PID 2>/dev/null; wait $SERVE_PID 2>/dev/null' EXIT
for _ in $(seq 50); do [ -s "$WORK/port" ] && break; sleep 0.1; done
PORT=$(cat "$WORK/port")

export GOVSITE_DB="$WORK/g.db" GOVSITE_NOW="$REF 12:00" GOVSITE_CONFIG="$WORK/govsite.conf"
rm -f "$GOVSITE_DB" "$GOVSITE_DB-wal" "$GOVSITE_DB-shm"
cat >"$GOVSITE_CONFIG" <<C
[crawl]
contact = http://office.bench.test/crawler
connect_to = *.bench.test:80:127.0.0.1:$PORT
C
"$GOVSITE" db migrate >/dev/null
printf 'name,short_name,kind\n示例市人民政府办公室,市政府办,office\n' >"$WORK/units.csv"
"$GOVSITE" unit import "$WORK/units.csv" >/dev/null
"$GOVSITE" site add --name 示例市人民政府 --url "http://$HOST/" --unit 市政府办 >/dev/null
python3 - "$MAN" "$HOST" >"$WORK/columns.csv" <<'PY'
import csv, json, sys
m = json.load(open(sys.argv[1])); host = sys.argv[2]
w = csv.writer(sys.stdout)
w.writerow(["site", "path", "url", "unit", "class", "freshness_days", "required_items"])
for c in m["columns"]:
    full = c["full_name"] if isinstance(c["full_name"], str) else ">".join(c["full_name"])
    w.writerow(["示例市人民政府", full, "http://%s%s" % (host, c["path"]), "市政府办", "", "", ""])
PY
"$GOVSITE" column import "$WORK/columns.csv" >/dev/null || exit 1

say "crawling"
t0=$(date +%s.%N)
"$GOVSITE" crawl 示例市人民政府 --rate 0 --per-host 8 --concurrency 16 --no-external --json >"$WORK/crawl.json" || exit 1
t1=$(date +%s.%N)
"$GOVSITE" check 示例市人民政府 --json >"$WORK/check.json" || exit 1
t2=$(date +%s.%N)
"$GOVSITE" column list --json --as-of "$REF" >"$WORK/cols.json" || exit 1
python3 - "$MAN" "$WORK/cols.json" "$WORK/crawl.json" "$WORK/check.json" "$t0" "$t1" "$t2" "$HOST" <<'PY'
import json, sys
man, cols, crawl, check, t0, t1, t2, host = sys.argv[1:9]
m = json.load(open(man)); got = {c["url"]: c for c in json.load(open(cols))}
cr = json.load(open(crawl))[0]; ck = json.load(open(check))
right = wrong = 0; ex = []
for leafness in (True, False):
    r = w = 0
    for c in m["columns"]:
        if c["leaf"] != leafness:
            continue
        g = got.get("http://%s%s" % (host, c["path"]))
        if g and g.get("latest") == c["latest_date"]:
            r += 1
        else:
            w += 1
            if len(ex) < 5:
                ex.append((c["path"], g and g.get("latest"), c["latest_date"]))
    print("%s columns: %d right, %d wrong" % ("leaf" if leafness else "parent", r, w))
    right += r; wrong += w
print("examples of wrong:", ex)
print("crawl: %d pages in %.1f s (%.0f pages/s); check: %.1f s; findings: %d" % (
    cr["pages"], float(t1) - float(t0), cr["pages"] / (float(t1) - float(t0)),
    float(t2) - float(t1), len(ck["findings"])))
sys.exit(1 if wrong else 0)
PY
