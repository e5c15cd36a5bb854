#!/bin/sh
# t0001-cli: the command frame: help, version, usage errors and exit codes.
. "$(dirname "$0")/lib.sh"

check 'version prints the version' '
    govsite --version | grep -q "^govsite [0-9]"
    govsite version | grep -q "^govsite [0-9]"
'
check 'help lists every command' '
    govsite help >out
    for c in db unit site column; do grep -q "^  $c " out; done
'
check 'every command has --help that exits 0' '
    for c in $(govsite help | sed -n "s/^  \([a-z][a-z-]*\) .*/\1/p"); do
        govsite $c --help >h.out || { echo "$c --help failed"; exit 1; }
        grep -q "usage: govsite" h.out || { echo "$c --help has no usage line"; exit 1; }
    done
'
check 'no command is a usage error (2)' '
    expect_fail 2 govsite 2>err
    grep -q "no command given" err
'
check 'unknown command is a usage error naming it' '
    expect_fail 2 govsite frobnicate 2>err
    grep -q "govsite: error: unknown command .frobnicate." err
'
check 'unknown global option is a usage error' '
    expect_fail 2 govsite --frob 2>err
    grep -q "unknown option" err
'
check 'unknown subcommand is a usage error with a hint' '
    expect_fail 2 govsite unit frob 2>err
    grep -q "unknown subcommand" err
    grep -q "govsite unit --help" err
'
check 'bad GOVSITE_NOW names the variable and the fix' '
    GOVSITE_NOW=yesterday expect_fail 1 govsite unit list 2>err
    grep -q "GOVSITE_NOW" err
    grep -q "YYYY-MM-DD HH:MM" err
'
check 'a configuration file sets the database' '
    printf "[general]\ndb = %s/from-conf.db\n" "$T" >g.conf
    env -u GOVSITE_DB govsite --config g.conf db migrate >/dev/null
    test -f "$T/from-conf.db"
'
check 'a bad configuration line is named with file:line' '
    printf "[general]\nthis is not ini\n" >bad.conf
    expect_fail 1 govsite --config bad.conf unit list 2>err
    grep -q "bad.conf:2" err
'
check 'a database from a newer govsite is refused' '
    govsite db migrate >/dev/null
    sql "INSERT INTO schema_migrations VALUES (9999, '"'"'future'"'"', 0)"
    expect_fail 1 govsite unit list 2>err
    grep -q "newer govsite" err
'
check 'db status --json shows the schema' '
    if on_pg; then sql "DROP SCHEMA public CASCADE; CREATE SCHEMA public"; else rm -f "$GOVSITE_DB"; fi
    govsite db status --json >s.json
    expect_json s.json ".pending >= 1 and .engine == \"$E2E_ENGINE\""
    govsite db migrate >/dev/null
    govsite db status --json >s.json
    expect_json s.json ".pending == 0 and (.migrations | all(.applied))"
'
finish
