#!/bin/sh
# bench/wording.sh - the wording scanner against `grep -F -o -f` on the text of the
# 20,000-page synthetic site with 5,000-entry dictionaries (issue 5).  Not a test.
#
#   sh bench/wording.sh              BENCH_DIR (default /tmp/govsite-bench) holds the inputs
#   RUNS=7 PAGES=20000 ENTRIES=5000 sh bench/wording.sh
#
# Steps: generate the site with ../shared/bench/gen_site.py (once), extract each page's
# text to one line of site.txt (bench/html2text.py: standard-library Python, GBK pages
# decoded by their meta charset, script/style dropped), build deterministic dictionaries
# (bench/wording_dict.py): ENTRIES wrong forms of which 1 % ("typical") or 10 % ("dense")
# are taken from the text and the rest are random CJK strings of 2-8 characters, then
# time, in alternating rounds so the tools share the machine's noise,
#   govsite wording scan --no-builtin --dict dict.tsv -o site.txt
#   grep -F -o -f patterns.txt site.txt            (LC_ALL=C.UTF-8 and LC_ALL=C)
# each printing every match on a line to a file (grep stops early when writing to
# /dev/null).  Reports the best CPU time (user + sys) of RUNS rounds as MB/s, and the
# scanner with a 1-entry dictionary to show what 5,000 entries cost.
set -eu
ROOT=$(cd "$(dirname "$0")/.." && pwd)
O=${O:-build}
case "$O" in /*) ;; *) O="$ROOT/$O" ;; esac
G="$O/govsite"
SHARED=${SHARED:-/work/shared}
B=${BENCH_DIR:-/tmp/govsite-bench}
PAGES=${PAGES:-20000}
ENTRIES=${ENTRIES:-5000}
RUNS=${RUNS:-5}
W="$B/wording"
mkdir -p "$W"
[ -x "$G" ] || { echo "build govsite first (make)" >&2; exit 1; }

if [ ! -d "$B/site-$PAGES" ]; then
    echo "generating the $PAGES-page site (once) ..." >&2
    python3 "$SHARED/bench/gen_site.py" "$B/site-$PAGES" -n "$PAGES" --seed 1 >/dev/null
fi
TXT="$W/site-$PAGES.txt"
[ -s "$TXT" ] || python3 "$ROOT/bench/html2text.py" "$B/site-$PAGES" >"$TXT"
python3 "$ROOT/bench/wording_dict.py" "$TXT" "$ENTRIES" 1 "$W/typical.tsv" "$W/typical.txt"
python3 "$ROOT/bench/wording_dict.py" "$TXT" "$ENTRIES" 10 "$W/dense.tsv" "$W/dense.txt"
python3 "$ROOT/bench/wording_dict.py" "$TXT" 1 100 "$W/one.tsv" "$W/one.txt"
export GOVSITE_DB="$W/none.db" GOVSITE_DATA="$W/no-data-dir"

# CPU seconds (user + sys) of one run; the output goes to $W/out.N
cpu() {
    out=$1
    shift
    /usr/bin/time -f "%U %S" -o "$W/time" "$@" >"$out" 2>/dev/null || true
    awk '{ printf "%.3f\n", $1 + $2 }' "$W/time"
}
min() { if [ -z "$1" ] || [ "$(echo "$2 < $1" | bc -l)" = 1 ]; then echo "$2"; else echo "$1"; fi; }

MB=$(echo "$(wc -c <"$TXT") / 1048576" | bc -l)
printf 'text: %.1f MB (%s pages), best CPU time of %s rounds\n' "$MB" "$PAGES" "$RUNS"
printf '%-10s %-40s %8s %8s %10s\n' dict tool seconds MB/s matches
for d in typical dense; do
    g="" u="" c="" o=""
    i=0
    while [ $i -lt "$RUNS" ]; do
        g=$(min "$g" "$(cpu "$W/out.g" "$G" wording scan --no-builtin --dict "$W/$d.tsv" -o "$TXT")")
        u=$(min "$u" "$(LC_ALL=C.UTF-8 cpu "$W/out.u" grep -F -o -f "$W/$d.txt" "$TXT")")
        c=$(min "$c" "$(LC_ALL=C cpu "$W/out.c" grep -F -o -f "$W/$d.txt" "$TXT")")
        [ "$d" = typical ] && o=$(min "$o" "$(cpu "$W/out.o" "$G" wording scan --no-builtin --dict "$W/one.tsv" -o "$TXT")")
        i=$((i + 1))
    done
    rate() { echo "$MB / $1" | bc -l | xargs printf '%.0f'; }
    printf '%-10s %-40s %8.3f %8s %10s\n' "$d" "govsite wording scan -o ($ENTRIES entries)" "$g" "$(rate "$g")" "$(wc -l <"$W/out.g")"
    [ "$d" = typical ] && printf '%-10s %-40s %8.3f %8s %10s\n' "$d" "govsite wording scan -o (1 entry)" "$o" "$(rate "$o")" "$(wc -l <"$W/out.o")"
    printf '%-10s %-40s %8.3f %8s %10s\n' "$d" "grep -F -o -f (LC_ALL=C.UTF-8)" "$u" "$(rate "$u")" "$(wc -l <"$W/out.u")"
    printf '%-10s %-40s %8.3f %8s %10s\n' "$d" "grep -F -o -f (LC_ALL=C)" "$c" "$(rate "$c")" "$(wc -l <"$W/out.c")"
    printf '%-10s govsite vs grep: %.2fx the speed of the UTF-8 locale, %.2fx of the C locale\n' "$d" \
        "$(echo "$u / $g" | bc -l)" "$(echo "$c / $g" | bc -l)"
done
echo "(match counts differ: grep -o prints leftmost-longest non-overlapping matches; govsite"
echo " prints every occurrence not inside a longer one, overlapping ones included)"
