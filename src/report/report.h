/* report.h - the renderers: one document model (doc.h), four output formats.
 *
 * Content code builds a `struct doc` (doc.h), optionally filling the office's fixed
 * paragraphs from a template (tmpl.h), and hands it to a renderer.  Renderers own every
 * layout decision; docs/report-formats.md describes each format's layout with the
 * GB/T 9704-2012 figures it follows.
 *
 *   DOCX  WordprocessingML written by us, zipped with libzip: a 公文 on A4 with the 版心
 *         156 × 225 mm, a 22 × 28 grid, the 函 letterhead in red, "— 1 —" page numbers,
 *         附件 on new pages.  Opens in Word, WPS and LibreOffice.
 *   HTML  one self-contained file (inline CSS) laid out like the 公文 on screen and in
 *         print (@page A4 with the same margins).
 *   MD    CommonMark with GFM tables.
 *   XLSX  every table of the body and the attachments as a sheet (libxlsxwriter).
 *
 * Every renderer appends to `out` (which may carry a size cap: RC_LIMIT when exceeded),
 * returns RC_OK or the document's first builder error (doc_status), and is
 * deterministic: the same document gives the same bytes.  DOCX and XLSX archives carry
 * fixed times (the 成文日期 at 00:00 China time, or 2000-01-01 when there is none) in
 * their properties and zip entries.  Renderers never modify the document.
 *
 * Adding a new format:
 *   1. src/report/render_<name>.c with `enum rc render_<name>(const struct doc *d,
 *      struct buf *out, struct err *err)`, declared below;
 *   2. a row in report_formats[] (report.c);
 *   3. a golden test in tests/unit/test_report.c (tests/data/report/sample.<ext>);
 *   4. a section in docs/report-formats.md.
 */
#ifndef REPORT_REPORT_H
#define REPORT_REPORT_H

#include <stdbool.h>

#include "core/buf.h"
#include "core/err.h"
#include "report/doc.h"

enum rc render_docx(const struct doc *d, struct buf *out, struct err *err);
enum rc render_html(const struct doc *d, struct buf *out, struct err *err);
enum rc render_md(const struct doc *d, struct buf *out, struct err *err);
enum rc render_xlsx(const struct doc *d, struct buf *out, struct err *err);

typedef enum rc report_render_fn(const struct doc *d, struct buf *out, struct err *err);

struct report_format {
    const char *name; /* "docx": the --format value */
    const char *ext;  /* file name extension without the dot */
    const char *mime; /* media type for downloads */
    bool binary;      /* a zip archive (not text) */
    report_render_fn *render;
};

/* The formats, ending with a row of NULLs. */
extern const struct report_format report_formats[];
/* The format called `name` (case-insensitive), or NULL. */
const struct report_format *report_format_find(const char *name);
/* "docx|html|md|xlsx", for usage texts. */
const char *report_format_names(void);

#endif
