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

/* ===================================================================== content ===
 *
 * The monthly 通报 (report_monthly) and the annual forms (report_annual, forms.c) are
 * built from govsite's own records; docs/reports.md explains every figure, setting and
 * template placeholder.
 *
 * Settings come from the [report] section of the configuration (report_settings_conf)
 * and the command line; strings are borrowed from the caller (the conf or argv). */

struct conf;
struct clk;
struct store;

struct report_settings {
    const char *office;    /* 发文机关; NULL: the registry's unit of kind office */
    const char *number;    /* 文号, e.g. 珠府办函〔2018〕295号; NULL: none */
    const char *to;        /* 主送机关 (default 各区政府（管委会），市政府各部门、各直属机构) */
    int32_t date;          /* 成文日期; DATE_NONE: today (clk) */
    const char *signature; /* 署名; NULL: the office */
    const char *cc, *note; /* 抄送, 附注; NULL: none */
    const char *portal;    /* how the bulletin names the portal: 市政府门户网站 */
    const char *site;      /* the portal (name, 标识码 or URL); NULL: the 门户网站 of the
                              office's unit, else the first 门户网站 */
    int top_units;         /* units named in (一) (default 4) */
    int group_depth;       /* columns to update are grouped under this many path
                              segments (default 4: 民生>主题服务>健康服务>看病就医) */
    const struct conf *conf; /* template values ([report] keys, docs/reports.md) */
};

/* Defaults, then the [report] section of `conf` (may be NULL).  RC_INVALID names the
 * configuration line of a malformed value. */
enum rc report_settings_conf(struct report_settings *s, const struct conf *conf,
                             struct err *err);

/* The monthly bulletin for the month starting `month` (its first day) as of the end of
 * day `as_of` (China time): a 函 (DOC_LAYOUT_LETTER) with 一、 the figures of the month
 * and 二、 the generated and fixed items (data/report/monthly.tmpl), and its 附件.
 * *out (caller frees with doc_free) is set on success.  RC_INVALID when as_of is before
 * the month ends or the portal cannot be found; store errors as they come. */
enum rc report_monthly(struct store *db, const struct clk *clk, const struct report_settings *s,
                       int32_t month, int32_t as_of, struct doc **out, struct err *err);

/* The annual forms. */
enum report_form {
    REPORT_FORM_WORK,        /* 政府网站工作年度报表, per site (data/forms/work.form) */
    REPORT_FORM_SUPERVISION, /* 政府网站监管年度报表 (data/forms/supervision.form) */
    REPORT_FORM_DISCLOSURE,  /* 政府信息公开工作年度报告, table 三 */
};
/* "work", "supervision", "disclosure" (and 工作, 监管, 信息公开); false when unknown. */
bool report_form_parse(const char *s, enum report_form *out);

/* A form definition (data/forms/NAME.form; syntax in docs/reports.md): the title and the
 * rows.  Parsed by report_formdef_parse into `a`; RC_PARSE names `name`:line, RC_LIMIT
 * beyond 1 MiB or 2000 rows. */
enum report_row_kind { REPORT_ROW_SECTION, REPORT_ROW_VALUE, REPORT_ROW_QUARTERS };
struct report_form_row {
    enum report_row_kind kind;
    const char *label, *unit; /* unit "" for sections */
    const char *source;       /* "=key" computed, else an input key; "" for sections */
};
struct report_formdef {
    const char *title; /* "{year}" not yet replaced; NULL when the file has none */
    struct report_form_row *rows;
    size_t n;
};
enum rc report_formdef_parse(struct arena *a, const char *name, const char *text, size_t n,
                             struct report_formdef *out, struct err *err);

struct report_annual_opts {
    int year;
    enum report_form form;
    int64_t site_id;   /* the work form's site; 0: one form per site in operation */
    const char *input; /* INI file of entered values ([work], [supervision], [disclosure]
                          sections; docs/reports.md), or NULL */
};

/* The form for the year as a DOC_LAYOUT_PLAIN document whose tables mark every value
 * 计算 (computed), 填报 (entered) or 缺失 (missing, with the reason).  The disclosure
 * table is refused (RC_INVALID naming the column and the four figures) when 一 + 二 ≠
 * 三 + 四.  RC_PARSE for a malformed form definition (file:line) or input file. */
enum rc report_annual(struct store *db, const struct clk *clk, const struct report_settings *s,
                      const struct report_annual_opts *o, struct doc **out, struct err *err);

#endif
