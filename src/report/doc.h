/* doc.h - the document model every report is built in, and the Chinese number forms.
 *
 * A `struct doc` is an official document (公文) as content, not layout: its metadata
 * (发文机关, 文号, 标题, 主送机关, 成文日期, 署名, 抄送 ...), a body of blocks (headings at
 * the four 公文 levels, paragraphs of styled runs, tables, page breaks) and its attachments
 * (附件).  Content code builds one with the functions below; the renderers in report.h
 * turn it into DOCX, HTML, Markdown or XLSX and own every layout decision (GB/T 9704-2012,
 * docs/report-formats.md).  Content code never writes markup, so nothing it puts in a
 * document needs escaping by the caller.
 *
 *   struct doc *d = doc_new(&(struct doc_meta){ .layout = DOC_LAYOUT_LETTER,
 *       .office = "珠海市人民政府办公室", .number = "珠府办函〔2018〕295号",
 *       .title = "...的通报", .to = "各区政府（管委会），市政府各部门、各直属机构",
 *       .date = day });
 *   doc_heading(d, 1, "市政府门户网站内容保障情况");        // 一、市政府...
 *   struct doc_para *p = doc_heading(d, 2, "信息发布情况。");  // （一）信息发布情况。
 *   doc_text(p, "各单位共发布信息");                         // ...run-in body text
 *   doc_int(p, 4835);
 *   doc_text(p, "条。");
 *   doc_attachment(d, "政府信息公开目录更新不及时的单位");    // 附件1, now current
 *   struct doc_table *t = doc_table(d, NULL, 2);
 *   doc_table_head(t); doc_cell(t, "单位"); doc_cell(t, "最近更新");
 *   ...
 *   render_docx(d, &out, err);
 *   doc_free(d);
 *
 * Ownership: a doc owns one arena; every string passed in is copied, so callers may pass
 * temporaries.  Pointers the builders return (paragraphs, tables, cells) are valid until
 * doc_free().  Text is UTF-8; on the way in, invalid bytes become U+FFFD, CR LF and CR
 * become LF, and control characters other than TAB and LF (and U+FFFE/U+FFFF) are
 * dropped, so every renderer can trust the text.  A LF inside a run is a line break
 * within the paragraph; a TAB is a tab.
 *
 * Misuse that depends on data (a row wider than its table, a heading level out of
 * range, body rows before header rows) does not abort: the first such error is kept in
 * the document (doc_status) and every renderer refuses the document with that message.
 * NULL text is treated as "".
 */
#ifndef REPORT_DOC_H
#define REPORT_DOC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"

/* The 版头 (header) and page-numbering scheme, GB/T 9704-2012 §7.2 and §10. */
enum doc_layout {
    DOC_LAYOUT_LETTER, /* 信函格式 (函): red 发文机关标志 30 mm from the top, red double lines,
                          文号 at the right under the first line; no number on page 1 */
    DOC_LAYOUT_FILE,  /* 文件格式: "<office>文件" in red 35 mm below the 版心 top, 文号
                         centred, red line 4 mm below it; 版记 with separators */
    DOC_LAYOUT_PLAIN, /* no 版头: title, body and forms (annual reports); numbered pages */
};

struct doc_meta {
    enum doc_layout layout;
    const char *office; /* 发文机关 full name, e.g. 珠海市人民政府办公室 (required for
                           LETTER and FILE) */
    const char *mark;   /* 发文机关标志 text when it differs from `office`; FILE layout
                           appends "文件" when NULL */
    const char *number; /* 发文字号, e.g. 珠府办函〔2018〕295号 (may be NULL) */
    const char *title;  /* 标题; LF splits it into lines */
    const char *to;     /* 主送机关, without the final "："; NULL for none */
    int32_t date;       /* 成文日期 (civil day); DATE_NONE (core/date.h) for none */
    const char *signature; /* 署名; NULL means `office`; "" means none */
    const char *note;    /* 附注, e.g. "联系人：张三，电话：1234567" (parenthesised) */
    const char *cc;      /* 抄送, without the final "。"; NULL for none */
    const char *printer; /* 印发机关 (FILE and PLAIN layouts) */
    int32_t print_date;  /* 印发日期; DATE_NONE for none.  Use DATE_NONE, not 0, in
                            initialisers: 0 is 1970-01-01 */
    const char *copy_no; /* 份号 (6 digits), NULL for none */
    const char *secret;  /* 密级和保密期限, NULL for none */
    const char *urgency; /* 紧急程度, NULL for none */
    const char *author;  /* document property "author"; NULL means `office` */
};

/* Run styles inside a paragraph. */
enum doc_run_style {
    DOC_RUN_PLAIN,
    DOC_RUN_BOLD,
    DOC_RUN_NUMBER, /* a figure govsite computed: typeset like text, but marked (DOCX
                       character style "GwNumber", HTML class "num") so staff can find
                       and restyle every figure at once when checking a draft */
};

struct doc_run {
    enum doc_run_style style;
    const char *text;
    struct doc_run *next;
};

/* Paragraph flags (doc_para_flags). */
#define DOC_P_NOINDENT 0x01 /* no first-line indent (default: 2 characters) */
#define DOC_P_CENTER   0x02
#define DOC_P_RIGHT    0x04
#define DOC_P_SMALL    0x08 /* 4号 instead of 3号, e.g. a note under a table */
#define DOC_P_KEEPNEXT 0x10 /* keep with the next block on one page */

/* A paragraph.  level 0 is body text; 1..4 are the heading levels 一、/（一）/1./（1）.
 * A heading with runs is run-in: the runs follow the heading text in the same paragraph
 * and are set in the body face, as in "（一）信息发布情况。各区政府...". */
struct doc_para {
    int level;
    const char *label; /* "一、", "（二）", "3.", "（4）"; NULL for body text */
    const char *title; /* heading text; NULL for body text */
    unsigned flags;
    struct doc_run *runs;
    struct doc_run **tail;
    struct doc *owner;
};

enum doc_cell_kind {
    DOC_CELL_TEXT,
    DOC_CELL_INT, /* value in .num, decimals 0 */
    DOC_CELL_DEC, /* value in .num with .decimals */
    DOC_CELL_PCT, /* a ratio in .num (1.0 = 100%) with .decimals */
};

enum doc_align { DOC_ALIGN_AUTO, DOC_ALIGN_LEFT, DOC_ALIGN_CENTER, DOC_ALIGN_RIGHT };

struct doc_cell {
    enum doc_cell_kind kind;
    const char *text; /* display text, also for numbers ("4835", "93.8%", "—") */
    double num;
    int decimals;
    int colspan, rowspan; /* >= 1 */
    enum doc_align align; /* AUTO: numbers right, header cells centred, text left */
    bool bold;
    struct doc_cell *next;
};

struct doc_row {
    bool header;
    struct doc_cell *cells;
    struct doc_cell **tail;
    struct doc_row *next;
};

#define DOC_TABLE_SMALL 0x01 /* 5号 (10.5 pt) text instead of 4号 (14 pt): wide tables */

struct doc_table {
    const char *caption; /* centred above the table; also the XLSX sheet name; may be NULL */
    int ncols;
    int *widths; /* relative column widths, NULL = fitted to the content */
    unsigned flags;
    struct doc_row *rows;
    struct doc_row **tail;
    int nrows;
    const char *where; /* for messages: "table '<caption>'" or "table N" */
    struct doc_row *last;
    bool has_body;
    struct doc *owner;
};

enum doc_block_kind { DOC_BLOCK_PARA, DOC_BLOCK_TABLE, DOC_BLOCK_PAGEBREAK };

struct doc_block {
    enum doc_block_kind kind;
    union {
        struct doc_para para;   /* DOC_BLOCK_PARA */
        struct doc_table table; /* DOC_BLOCK_TABLE */
    };
    struct doc_block *next;
};

/* The body (number 0) or one attachment (number 1..n). */
struct doc_part {
    int number;
    const char *title; /* attachment title; NULL for the body */
    struct doc_block *blocks;
    struct doc_block **tail;
    int counter[4]; /* heading numbers in use, per level */
    struct doc_part *next;
};

struct doc {
    struct arena arena;
    struct doc_meta meta; /* strings copied into the arena */
    struct doc_part body;
    struct doc_part *attachments; /* in order */
    struct doc_part **atail;
    int nattach;
    struct doc_part *cur; /* where the builders append */
    int ntables;
    struct err err; /* the first builder error (sticky) */
};

/* A new document; the metadata is copied.  Never NULL.  doc_free(NULL) is a no-op. */
struct doc *doc_new(const struct doc_meta *meta);
void doc_free(struct doc *d);

/* RC_OK, or the first builder error (RC_INVALID) copied into err. */
enum rc doc_status(const struct doc *d, struct err *err);

/* Copy a string into the document's arena (cleaned as described above).  For building
 * text from parts: doc_strf(d, "%d条", n). */
const char *doc_str(struct doc *d, const char *s);
const char *doc_strf(struct doc *d, const char *fmt, ...) FMT_PRINTF(2, 3);

/* --- Blocks, appended to the current part (the body until doc_attachment). --- */

/* A heading at level 1..4, numbered automatically: the level's counter goes up by one
 * and deeper levels restart.  Returns the paragraph so run-in text can follow. */
struct doc_para *doc_heading(struct doc *d, int level, const char *title);
/* The same with the number given (n >= 1); later automatic headings continue from n. */
struct doc_para *doc_heading_at(struct doc *d, int level, int n, const char *title);
/* A body paragraph (indented two characters), optionally with a first plain run. */
struct doc_para *doc_para(struct doc *d, const char *text);
void doc_para_flags(struct doc_para *p, unsigned flags);

/* Runs.  The number helpers add DOC_RUN_NUMBER runs in 公文 forms. */
void doc_text(struct doc_para *p, const char *text);
void doc_textf(struct doc_para *p, const char *fmt, ...) FMT_PRINTF(2, 3);
void doc_bold(struct doc_para *p, const char *text);
void doc_run(struct doc_para *p, enum doc_run_style style, const char *text);
void doc_int(struct doc_para *p, int64_t n);                              /* 4835 */
void doc_pct(struct doc_para *p, int64_t num, int64_t den, int decimals); /* 100%, 93.8% */
void doc_date(struct doc_para *p, int32_t day);                           /* 2018年12月12日 */
void doc_date_md(struct doc_para *p, int32_t day);                        /* 12月1日 */

void doc_page_break(struct doc *d);

/* A table of ncols (1..64) columns; caption may be NULL. */
struct doc_table *doc_table(struct doc *d, const char *caption, int ncols);
/* Relative column widths (ncols positive integers), e.g. {3, 1, 1}. */
void doc_table_widths(struct doc_table *t, const int *w);
void doc_table_flags(struct doc_table *t, unsigned flags);
/* Start a header row (repeated on every page; all before the first body row) or a
 * body row.  Rows may be shorter than ncols only where rowspans above fill them. */
void doc_table_head(struct doc_table *t);
void doc_table_row(struct doc_table *t);
/* Cells, left to right, in the row last started. */
struct doc_cell *doc_cell(struct doc_table *t, const char *text);
struct doc_cell *doc_cell_int(struct doc_table *t, int64_t v);
struct doc_cell *doc_cell_dec(struct doc_table *t, double v, int decimals);
/* num/den as a percentage; den == 0 gives a "—" text cell. */
struct doc_cell *doc_cell_pct(struct doc_table *t, int64_t num, int64_t den, int decimals);
/* Span cols columns and rows rows (both >= 1); checked when rendered. */
void doc_cell_span(struct doc_cell *c, int cols, int rows);
void doc_cell_align(struct doc_cell *c, enum doc_align a);

/* Start attachment number n+1 (附件N) with its title and make it current: later blocks
 * go there.  Each attachment starts on a new page after the body, in order, and is
 * listed in the 附件说明 under the body.  Returns the attachment's number (1-based). */
int doc_attachment(struct doc *d, const char *title);
/* Make part n current again: 0 = the body, 1..n = an attachment. */
void doc_select(struct doc *d, int n);

/* --- Chinese number and date forms (公文: Arabic digits, no leading zeros) --- */

/* The strings live in `a`. */
const char *cn_date(struct arena *a, int32_t day);    /* 2018年12月12日 */
const char *cn_date_md(struct arena *a, int32_t day); /* 12月1日 */
const char *cn_month(struct arena *a, int y, int m);  /* 2018年11月 */
const char *cn_int(struct arena *a, int64_t n);       /* 4835, -3 */
/* Chinese numerals for 0..99999999: 0 零, 10 十, 11 十一, 20 二十, 105 一百零五,
 * 1010 一千零一十; outside the range, Arabic digits. */
const char *cn_numeral(struct arena *a, int64_t n);
/* num/den as a percentage, rounded half up to at most `decimals` (0..4) places with
 * trailing zeros dropped: 15/15 → "100%", 15/16 (1) → "93.8%", 1/3 (2) → "33.33%".
 * NULL when den <= 0 or num < 0: the sentence must say so in words instead. */
const char *cn_percent(struct arena *a, int64_t num, int64_t den, int decimals);
/* Display width in half-width units (CJK and full-width forms 2, others 1). */
size_t cn_width(const char *s);

#endif
