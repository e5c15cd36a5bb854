/* report_int.h - shared by the files of src/report/ only. */
#ifndef REPORT_REPORT_INT_H
#define REPORT_REPORT_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/err.h"
#include "report/doc.h"

/* Text cleaning used for everything entering the model (doc.h). */
void report__clean(struct buf *b, const char *s, size_t n);
/* Percentage with exactly `decimals` places ("93.80%"), NULL when den <= 0 or num < 0. */
const char *report__pct_fixed(struct arena *a, int64_t num, int64_t den, int decimals);

/* A table resolved into a rectangular grid: at[r * ncols + c] is the cell covering
 * (r, c) or NULL for an empty position; origin[] is 1 where the cell starts.  Cells are
 * placed as HTML places them (each in the next column not covered by a rowspan). */
struct report__grid {
    int nrows, ncols, nhead;
    struct doc_row **rows; /* nrows */
    struct doc_cell **at;  /* nrows * ncols */
    unsigned char *origin; /* nrows * ncols */
};

/* Build the grid; RC_INVALID naming the table and row when a row is wider than the
 * table, or a rowspan runs past the end of the table or from the header into the body.
 * Release with report__grid_release. */
enum rc report__grid(const struct doc_table *t, struct report__grid *g, struct err *err);
void report__grid_release(struct report__grid *g);
/* What a renderer does with each kind of block. */
struct report__visitor {
    void (*para)(void *ctx, const struct doc_para *p);
    void (*table)(void *ctx, const struct doc_table *t, const struct report__grid *g);
    void (*pagebreak)(void *ctx);
};

/* Visit the blocks of a part in order, tables with their grid.  Stops with RC_INVALID
 * (from report__grid) at the first table whose spans do not fit. */
enum rc report__blocks(const struct doc_part *p, const struct report__visitor *v, void *ctx,
                       struct err *err);

/* Which 版记 lines a document has: 抄送, and 印发机关/印发日期 (never in a 函). */
bool report__banji(const struct doc *d, bool *cc, bool *printed);

/* True when every body cell starting in column c holds a number (and there is one). */
bool report__numeric_col(const struct report__grid *g, int c);
/* Column widths in thousandths of the table width (sum 1000): the table's own weights,
 * or fitted to the content (the widest line of each single-column cell). */
void report__col_share(const struct doc_table *t, const struct report__grid *g, int *share);
/* The effective alignment of a cell: its own, else numbers right, header centred. */
enum doc_align report__align(const struct doc_cell *c, bool header);

/* Font roles of the 公文 faces and their fallbacks (docs/report-formats.md). */
enum report_face {
    FACE_NONE = -1,
    FACE_TITLE,
    FACE_BODY,
    FACE_HEI,
    FACE_KAI,
    FACE_SONG,
    FACE__COUNT
};

struct report__face {
    const char *name;   /* the 公文 face as offices install it, e.g. 仿宋_GB2312 */
    const char *alt;    /* the Windows face with the same design, e.g. 仿宋 */
    const char *latin;  /* the Windows face's English name, e.g. FangSong */
    const char *css;    /* the CSS font-family list, most specific first */
    const char *panose; /* PANOSE-1 of the Windows face (hex), for Word's substitution */
    const char *family; /* w:family: roman / modern / swiss / script */
    bool fixed;         /* w:pitch fixed */
};

extern const struct report__face report__faces[FACE__COUNT];

/* Sizes in half-points (OOXML w:sz). */
#define SZ_2HAO 44 /* 2号 22 pt: title */
#define SZ_3HAO 32 /* 3号 16 pt: body */
#define SZ_4HAO 28 /* 4号 14 pt: 版记, page numbers, tables */
#define SZ_5HAO 21 /* 5号 10.5 pt: small tables */

/* The 附件说明 lines: "附件：1.标题" for several attachments, "附件：标题" for one. */
const char *report__attach_label(struct arena *a, const struct doc *d, const struct doc_part *p,
                                 bool note);

/* Mark text: meta.mark, else office (+ "文件" for the FILE layout). */
const char *report__mark(struct arena *a, const struct doc *d);

/* The right indent of the 署名 in hundredths of a character: centred over the 成文日期,
 * which stands four characters in from the right (GB/T 9704 §7.3.5.1); never negative. */
int report__sign_indent(const char *org, const char *date);

/* The 发文机关标志 size in points for `mark` (小初 unless too long for the 版心). */
int report__mark_pt(const char *mark);

/* "抄送：X。" with the final 。 added when missing. */
const char *report__cc(struct arena *a, const struct doc *d);
/* "主送：" text with the final "：" added when missing. */
const char *report__to(struct arena *a, const struct doc *d);

/* A file for report__zip: name inside the archive and its bytes (borrowed). */
struct report__zfile {
    const char *name;
    const char *data;
    size_t len;
};

/* Zip the files in order (deflate, entry times fixed to `day` 00:00, or 2000-01-01 for
 * DATE_NONE) and append the archive to out.  Deterministic. */
enum rc report__zip(const struct report__zfile *files, size_t n, int32_t day, struct buf *out,
                    struct err *err);
/* The MS-DOS time and date fields for `day` at 00:00 (clamped to 1980..2107). */
void report__dostime(int32_t day, uint16_t *dtime, uint16_t *ddate);
/* `day` at 00:00 China time as W3CDTF in UTC ("2018-12-11T16:00:00Z"); 2000-01-01 for
 * DATE_NONE or years outside 1900..9999. */
void report__w3cdtf(int32_t day, char out[32]);
/* The same instant as seconds since the epoch (for libxlsxwriter's `created`). */
int64_t report__epoch(int32_t day);

#endif
