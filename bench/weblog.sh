#!/bin/sh
# weblog.sh - benchmark (not a test): `govsite weblog ingest` against goaccess, `wc -l` (the
# I/O floor) and an awk distinct-IP count, on the 2,000,000-line log of the shared peer
# harness (gen_log.py; docs/benchmark-baseline.md §6), and the figures against its truth.
#
#   sh bench/weblog.sh                 everything, 3 runs each
#   RUNS=1 L=200000 sh bench/weblog.sh a quick look
#
# Env: WORK (/tmp/govsite-bench-weblog), L (2000000 lines), SEED (1), RUNS (3),
#      GEN (the directory of gen_site.py/gen_log.py; found next to the checkout).
# Needs python3, goaccess, /usr/bin/time (GNU), jq.  The log is read once before the runs,
# so every run reads from a warm page cache, as in the baseline.  Results are printed and
# written to $WORK/results.md; record them in docs/benchmarks.md.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
WORK=${WORK:-/tmp/govsite-bench-weblog}
L=${L:-2000000}
SEED=${SEED:-1}
RUNS=${RUNS:-3}
O=${O:-build}
case "$O" in /*) ;; *) O="$ROOT/$O" ;; esac
G="$O/govsite"
if [ -z "${GEN:-}" ]; then
    for d in "$ROOT/../shared/bench" "$ROOT/../../shared/bench" /work/shared/bench; do
        [ -f "$d/gen_log.py" ] && GEN=$(cd "$d" && pwd) && break
    done
fi
[ -n "${GEN:-}" ] && [ -f "$GEN/gen_log.py" ] || { echo "weblog.sh: set GEN to the directory of gen_log.py" >&2; exit 2; }
for t in python3 goaccess jq /usr/bin/time; do
    command -v "$t" >/dev/null || { echo "weblog.sh: $t is needed" >&2; exit 2; }
done
[ -x "$G" ] || make -C "$ROOT" -j2 >/dev/null
mkdir -p "$WORK"
cd "$WORK"
LOG="$WORK/access.log"
TRUTH="$LOG.truth.json"

# ---- data (cached between runs of this script) ----
if [ ! -f "$WORK/site.pages.tsv" ]; then
    echo "generating the site (gen_site.py, 20000 pages)..." >&2
    python3 "$GEN/gen_site.py" "$WORK/site" -n 20000 --seed "$SEED" --force \
        --manifest "$WORK/site.manifest.json" >/dev/null
fi
if [ ! -f "$LOG" ] || [ "$(jq .lines "$TRUTH" 2>/dev/null)" != "$L" ]; then
    echo "generating the log (gen_log.py, $L lines)..." >&2
    python3 "$GEN/gen_log.py" -o "$LOG" -n "$L" --seed "$SEED" --pages "$WORK/site.pages.tsv" \
        --manifest "$WORK/site.manifest.json" >/dev/null
fi
# The site's columns: every list-page directory of the generated site.
awk -F'\t' 'NR > 1 && ($2 == "list" || $2 == "column") && $1 ~ /\/index\.html$/ {
        d = $1; sub(/index\.html$/, "", d); p = substr(d, 2, length(d) - 2); gsub("/", ">", p);
        print "bench," p ",https://www.site.example" d }' "$WORK/site.pages.tsv" |
    sort -u | { echo "site,path,url"; cat; } >"$WORK/columns.csv"
cat "$LOG" >/dev/null
BYTES=$(wc -c <"$LOG")

# ---- runs ----
RES="$WORK/runs"
rm -rf "$RES"
mkdir -p "$RES"
timed() { # name run command...
    n=$1 r=$2
    shift 2
    /usr/bin/time -v -o "$RES/$n.$r.time" "$@" >"$RES/$n.$r.out" 2>"$RES/$n.$r.err"
}
export GOVSITE_DB="$WORK/bench.db"
for r in $(seq 1 "$RUNS"); do
    timed wc "$r" wc -l "$LOG"
    timed awk "$r" awk '!($1 in s){s[$1];n++} END{print n}' "$LOG"
    timed goaccess "$r" goaccess "$LOG" --log-format=COMBINED -o "$RES/goaccess.$r.json"
    rm -f "$GOVSITE_DB" "$GOVSITE_DB-wal" "$GOVSITE_DB-shm"
    "$G" -q site add --name bench --url https://www.site.example/ >/dev/null
    "$G" -q column import "$WORK/columns.csv" >/dev/null
    timed govsite "$r" "$G" weblog ingest --site bench "$LOG"
done
"$G" weblog stats --site bench --json >"$RES/govsite.stats.json"
"$G" weblog stats --site bench --by column --json >"$RES/govsite.columns.json"

# ---- brute force: distinct people over the whole month (the truth file has per-day only) ----
python3 - "$GEN" "$LOG" >"$RES/brute.json" <<'EOF'
import json, sys
sys.path.insert(0, sys.argv[1])
import gen_log
people = {ua for _, ua in gen_log.BROWSERS}
pv, keys = 0, set()
with open(sys.argv[2], encoding="ascii", errors="replace") as f:
    for line in f:
        try:
            ip, rest = line.split(" ", 1)
            req = rest.split('"', 2)[1]
            status = int(rest.split('"', 2)[2].split()[0])
            ua = line.rstrip("\n").rsplit('"', 2)[-2]
            method, path, _ = req.split(" ", 2)
        except (ValueError, IndexError):
            continue
        p0 = path.split("?", 1)[0]
        if ua in people and method == "GET" and status in (200, 304) and \
                (p0.endswith("/") or p0.rsplit("/", 1)[-1].endswith((".html", ".htm"))):
            pv += 1
            keys.add((ip, ua))
print(json.dumps({"pageviews": pv, "visitors_month": len(keys)}))
EOF

# ---- report ----
python3 - "$RES" "$RUNS" "$L" "$BYTES" "$TRUTH" >"$WORK/results.md" <<'EOF'
import json, re, statistics, sys
res, runs, L, nbytes, truth_path = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), sys.argv[5]
def tv(name, r):
    t = open(f"{res}/{name}.{r}.time").read()
    w = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", t).group(1).split(":")
    secs = float(w[-1]) + 60 * float(w[-2]) + (3600 * float(w[-3]) if len(w) > 2 else 0)
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", t).group(1)) / 1024
    return secs, rss
rows = {}
for name in ("wc", "awk", "goaccess", "govsite"):
    ts = [tv(name, r) for r in range(1, runs + 1)]
    w = [x[0] for x in ts]
    rows[name] = (statistics.median(w), min(w), max(w), max(x[1] for x in ts))
truth = json.load(open(truth_path))
st = json.load(open(f"{res}/govsite.stats.json"))
brute = json.load(open(f"{res}/brute.json"))
ga = json.load(open(f"{res}/goaccess.1.json"))["general"]
cmd = {"wc": "wc -l access.log", "awk": "awk '!($1 in s){s[$1];n++} END{print n}' access.log",
       "goaccess": "goaccess access.log --log-format=COMBINED -o report.json",
       "govsite": "govsite weblog ingest --site bench access.log (fresh SQLite db, columns registered)"}
print(f"## {L:,} lines, {nbytes / 1e6:.0f} MB, warm page cache, {runs} runs\n")
print("| tool | command | median wall s (min–max) | lines/s | peak RSS MiB |")
print("|---|---|---|---|---|")
for n in ("wc", "awk", "goaccess", "govsite"):
    m, lo, hi, rss = rows[n]
    print(f"| {n} | `{cmd[n]}` | {m:.2f} ({lo:.2f}–{hi:.2f}) | {L / m:,.0f} | {rss:.1f} |")
ratio = rows["goaccess"][0] / rows["govsite"][0]
rss = rows["govsite"][3]
print(f"\ngovsite / goaccess lines/s: **{ratio:.1f}×** (must be ≥ 10×: {'PASS' if ratio >= 10 else 'FAIL'}); "
      f"govsite / awk: {rows['awk'][0] / rows['govsite'][0]:.2f}×; "
      f"peak RSS {rss:.0f} MiB (must be < 256: {'PASS' if rss < 256 else 'FAIL'})\n")
uvd = sum(truth["unique_visitors_human_by_day"].values())
checks = [
    ("page views (网站总访问量)", "pageviews", st["pageviews"], "page_views_human", truth["page_views_human"]),
    ("visitors, sum of daily (GoAccess IP+UA+day, people's page views)", "visitor_days", st["visitor_days"],
     "Σ unique_visitors_human_by_day", uvd),
    ("visitors over the 30 days (独立用户访问总量, distinct IP+UA)", "visitors", st["visitors"],
     "brute force over the log (bench/weblog.sh)", brute["visitors_month"]),
    ("GoAccess-style unique visitors (all clients, 4xx excluded)", "all_visitors", st["all_visitors"],
     "unique_visitors_goaccess_default", truth["unique_visitors_goaccess_default"]),
    ("well-formed lines", "hits", st["hits"], "lines", truth["lines"]),
    ("malformed requests", "bad_requests", st["bad_requests"], "lines_by_class.bad", truth["lines_by_class"]["bad"]),
]
print("| figure | govsite field | govsite | truth field | truth | agrees |")
print("|---|---|---|---|---|---|")
for name, f, v, tf, tval in checks:
    print(f"| {name} | `{f}` | {v:,} | `{tf}` | {tval:,} | {'yes' if v == tval else 'NO'} |")
print(f"\ngoaccess on the same log: unique_visitors {ga['unique_visitors']:,} (truth "
      f"{truth['unique_visitors_goaccess_default']:,}), total_requests {ga['total_requests']:,}, "
      f"failed_requests {ga['failed_requests']:,}; it has no page-view figure.")
print(f"brute-force check of the page-view definition: {brute['pageviews']:,} (truth {truth['page_views_human']:,}).")
EOF
cat "$WORK/results.md"
