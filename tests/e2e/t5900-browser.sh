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
    skip 'admin and editor walk through the dashboard in Chromium; the editor answers an overdue item' "$why"
    finish
    exit $?
fi

govsite unit import "$DEMO/units.csv" >/dev/null
govsite site import "$DEMO/sites.csv" >/dev/null
govsite column import "$DEMO/columns.csv" >/dev/null
echo "browser-admin-pw" | govsite -q user add admin --role admin
echo "browser-editor-pw" | govsite -q user add jtj --role editor --unit 市交通局
# an item of the editor's unit, overdue today (a consultation's 7 working days are long past)
CASE=$(govsite case add --kind consultation --unit 市交通局 --received "2018-11-20 10:00" \
       --subject "咨询公交线路调整" --requester 张三 --contact 13812345678)
serve_start
mkdir -p "$SHOTS"

check 'admin and editor walk through the dashboard in Chromium; the editor answers an overdue item' '
    PW_DIR="$PW_DIR" URL="$URL" SHOTS="$SHOTS" CASE="$CASE" \
    ACCOUNTS="{\"admin\":[\"admin\",\"browser-admin-pw\"],\"editor\":[\"jtj\",\"browser-editor-pw\",\"市交通局\"]}" \
        node "$ROOT/tests/e2e/browser/smoke.js"
    for f in 01-admin-overview 02-sites 03-site-columns 04-editor-overview 05-editor-case \
             06-editor-case-answered 07-admin-cases 08-admin-findings 09-admin-wording \
             10-admin-reports; do
        test -s "$SHOTS/$f.png"
    done
    # the downloaded bulletin is a valid DOCX holding the bulletin
    unzip -tq "$SHOTS/bulletin-2018-11.docx" >/dev/null
    unzip -p "$SHOTS/bulletin-2018-11.docx" word/document.xml | xmllint --noout -
    unzip -p "$SHOTS/bulletin-2018-11.docx" word/document.xml | grep -q 内容保障情况
    # the reply is in the audit log, by the editor, judged late
    govsite case show "$CASE" --json | grep -q "\"timing\": \"late\""
    govsite case log "$CASE" | grep -q jtj
'
serve_stop
finish
