#!/bin/sh
# t5900-browser: the dashboard in headless Chromium (Debian's chromium + playwright-core from
# npm, installed here into $O/browser; node_modules is never committed).  Screenshots go to
# $O/screenshots/.  Skipped, with the reason, only where Chromium or playwright-core cannot
# be installed.
. "$(dirname "$0")/lib.sh"
DEMO="$ROOT/data/demo"
PW_DIR="$O/browser"
SHOTS="$O/screenshots"
trap 'serve_stop >/dev/null 2>&1' EXIT

why=""
if ! sh "$ROOT/scripts/deps.sh" browser >"$T/deps.log" 2>&1; then
    why="chromium/node could not be installed: $(tail -n 2 "$T/deps.log" | tr '\n' ' ')"
elif ! command -v chromium >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
    why="chromium or node is not on PATH"
else
    mkdir -p "$PW_DIR"
    cp "$ROOT/tests/e2e/browser/package.json" "$PW_DIR/package.json"
    want=$(sed -n 's/.*"playwright-core": "\([^"]*\)".*/\1/p' "$PW_DIR/package.json")
    have=$(sed -n 's/^  "version": "\([^"]*\)".*/\1/p' "$PW_DIR/node_modules/playwright-core/package.json" 2>/dev/null)
    if [ "$have" != "$want" ]; then
        if ! (cd "$PW_DIR" && npm install --no-audit --no-fund --loglevel=error) >"$T/npm.log" 2>&1; then
            why="npm install playwright-core@$want failed: $(tail -n 2 "$T/npm.log" | tr '\n' ' ')"
        fi
    fi
fi
if [ -n "$why" ]; then
    skip 'admin and editor walk through the dashboard in Chromium' "$why"
    finish
    exit $?
fi

govsite unit import "$DEMO/units.csv" >/dev/null
govsite site import "$DEMO/sites.csv" >/dev/null
govsite column import "$DEMO/columns.csv" >/dev/null
echo "browser-admin-pw" | govsite -q user add admin --role admin
echo "browser-editor-pw" | govsite -q user add jtj --role editor --unit 市交通局
serve_start
mkdir -p "$SHOTS"

check 'admin and editor walk through the dashboard in Chromium' '
    PW_DIR="$PW_DIR" URL="$URL" SHOTS="$SHOTS" \
    ACCOUNTS="{\"admin\":[\"admin\",\"browser-admin-pw\"],\"editor\":[\"jtj\",\"browser-editor-pw\",\"市交通局\"]}" \
        node "$ROOT/tests/e2e/browser/smoke.js"
    for f in 01-admin-overview 02-sites 03-site-columns 04-editor-overview; do
        test -s "$SHOTS/$f.png"
    done
'
serve_stop
finish
