/* fixture_report.h - sample documents for the report renderers' tests and testtool. */
#ifndef TESTS_FIXTURE_REPORT_H
#define TESTS_FIXTURE_REPORT_H

#include "core/err.h"
#include "report/doc.h"

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

#endif
