#!/bin/sh
# t0002-cli-doc: docs/cli.md is the binary's own help texts (scripts/cli-doc.sh), current;
# every command named by `govsite help` has a --help that exits 0.
. "$(dirname "$0")/lib.sh"

check 'every command listed by help has a --help that exits 0' '
    govsite help | sed -n "/^commands:/,/^\$/p" | awk "NF > 1 && \$1 != \"commands:\" { print \$1 }" >cmds
    test "$(wc -l <cmds)" -gt 30
    while read -r c; do
        govsite "$c" --help >h.txt || { echo "$c --help failed"; exit 1; }
        grep -q "usage: govsite $c" h.txt || grep -q "^usage:" h.txt || { echo "$c --help has no usage line"; exit 1; }
    done <cmds
'
check 'docs/cli.md is generated from the help texts and is current (UPDATE_GOLDEN=1 rewrites it)' '
    sh "$ROOT/scripts/cli-doc.sh" "$O/govsite" >cli.md
    golden cli.md "$ROOT/docs/cli.md"
'
finish
