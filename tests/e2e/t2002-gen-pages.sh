#!/bin/sh
# t2002-gen-pages: testtool gen-pages (bench/web.sh's crawled pages) leaves what a
# complete crawl of each site leaves: runs, pages, links with their results, articles,
# readable through `govsite pages` and `govsite links`.
. "$(dirname "$0")/lib.sh"
TT="$O/testtool"
mkdir reg && "$TT" gen-registry reg 3 4 >/dev/null
govsite -q unit import reg/units.csv
govsite -q site import reg/sites.csv
govsite -q column import reg/columns.csv
SITE=$(govsite site list --json | jq -r '.[0].name')

check 'gen-pages spreads the pages over the sites, one complete run each' '
    "$TT" gen-pages "$GOVSITE_DB" 301 10 2>gen.err
    expect_contains gen.err "301 pages over 3 sites"
    expect_eq "$(sql "SELECT COUNT(*) FROM crawl_runs WHERE state = '"'complete'"'")" 3
    expect_eq "$(sql "SELECT COUNT(*) FROM crawl_pages")" 301
    expect_eq "$(sql "SELECT SUM(pages) FROM crawl_runs")" 301
    expect_eq "$(sql "SELECT SUM(links) FROM crawl_runs")" \
              "$(sql "SELECT COUNT(*) FROM crawl_links")"
'

check 'govsite pages reads them: list pages with items, articles with dates' '
    govsite pages "$SITE" --json >p.json
    expect_eq "$(json_len p.json)" 101
    expect_json p.json "[.[] | select(.list)] | length > 0 and all(.items == 20 and .latest != null)"
    expect_json p.json "[.[] | select(.article)] | length > 0 and all(.date != null and .breadcrumb[0] == \"首页\")"
    expect_eq "$(sql "SELECT COUNT(*) FROM crawl_articles")" \
              "$(sql "SELECT COUNT(*) FROM crawl_pages WHERE is_article = 1")"
'

check 'govsite links reads them: every source a page of the site, broken ones with a 404' '
    govsite links "$SITE" --json >l.json
    expect_json l.json "length > 0 and all(.source | startswith(\"http://s1.gen.test/\"))"
    govsite links "$SITE" --broken --json >b.json
    expect_json b.json "all(.status == 404 and .result == \"broken\")"
'

check 'a second generation adds a newer run per site' '
    "$TT" gen-pages "$GOVSITE_DB" 30 2>/dev/null
    expect_eq "$(sql "SELECT COUNT(*) FROM crawl_runs")" 6
    govsite pages "$SITE" --json >p2.json
    expect_eq "$(json_len p2.json)" 10
'
finish
