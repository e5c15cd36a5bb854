/* fixture_report.h - sample documents for the report renderers' tests and testtool. */
#ifndef TESTS_FIXTURE_REPORT_H
#define TESTS_FIXTURE_REPORT_H

#include "core/err.h"
#include "report/doc.h"
#include "store/store.h"

/* A 函 shaped like the November 2018 bulletin (seeds/000): letterhead, headings at all
 * four levels, run-in headings, figures, the office's fixed paragraphs from
 * data/report/monthly.tmpl, and two attachments with tables (spans, numbers,
 * percentages).  NULL (and err set) only if the template fails.  Caller frees with
 * doc_free. */
struct doc *fixture_report_sample(struct err *err);

/* A small document whose text holds every character that needs escaping somewhere:
 * <&>"' , Markdown specials, control characters, U+FFFE, invalid UTF-8.  `layout`
 * selects the 版头 (letter, file or plain). */
struct doc *fixture_report_hostile(enum doc_layout layout);

/* Articles as a complete crawl of every site with registered columns would have stored
 * them (crawl_runs, crawl_urls, crawl_articles): `counts[i]` articles of unit `units[i]`
 * (short name) in the month starting `month`, on the unit's first column; the rest up to
 * `total` spread over the other units with columns, each fewer than the smallest named
 * count; and `history` more articles on all columns in the 24 months before.  Runs start
 * at `started_at`.  One transaction.  RC_INVALID when a named unit has no column or the
 * other units cannot take the rest. */
struct fixture_articles {
    int32_t month;
    int64_t started_at;
    const char *const *units;
    const int64_t *counts;
    size_t n;
    int64_t total;
    int64_t history;
};
enum rc fixture_articles_load(struct store *db, const struct fixture_articles *f, struct err *err);
/* The seed's month: 4835 items, 高栏港区 899, 市食药监局 188, 市人社局 95, 市教育局 80. */
void fixture_articles_seed(struct fixture_articles *f);

#endif
