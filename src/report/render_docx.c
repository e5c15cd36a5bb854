/* render_docx.c - WordprocessingML laid out as a 公文 (GB/T 9704-2012), zipped with
 * libzip (see report.h and docs/report-formats.md).
 *
 * Geometry, in twips (1/1440 inch; 1 mm = 56.7 twips):
 *   A4 11906 × 16838; margins top 2098 (37 mm), bottom 1984 (35 mm), left 1587 (28 mm,
 *   the 订口, mirrored on even pages), right 1474 (26 mm): the 版心 is 8845 × 12756
 *   (156 × 225 mm).  docGrid type "lines": linePitch 579 (12756 / 22, rounded down so
 *   22 lines fit); characters are not snapped to a character grid (LibreOffice lays a
 *   glyph wider than a character grid's pitch over two cells), instead every run is
 *   condensed by CONDENSE (w:spacing −0.25 pt), so 28 characters of 3号 (28 × 15.75 pt =
 *   441 pt) fit the 442.25-pt line and 29 do not, in Word, WPS and LibreOffice alike.
 *   Every paragraph uses an exact line of 579 (28.95 pt).
 *
 * The 函 letterhead (DOC_LAYOUT_LETTER) lives in the first-page header and footer
 * (titlePg): the header starts 30 mm from the top edge with the red 发文机关标志; its
 * paragraph border is the red thick-over-thin double line 4 mm below the mark, indented
 * −7 mm on both sides so it is 170 mm long.  The first-page footer, 20 mm above the bottom
 * edge, carries the thin-over-thick line the same way.  Paragraph borders were chosen
 * over floating shapes: Word, WPS and LibreOffice all draw them the same way, they move
 * with the text and need no drawing namespaces.  The header is taller than the top
 * margin, so the body of page 1 starts below it, where the 文号 stands at the right.
 */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "core/esc.h"
#include "report/report.h"
#include "report/report_int.h"

/* Page geometry (twips). */
#define PAGE_W    11906
#define PAGE_H    16838
#define MARGIN_T  2098
#define MARGIN_B  1984
#define MARGIN_L  1587
#define MARGIN_R  1474
#define TEXT_W    (PAGE_W - MARGIN_L - MARGIN_R) /* 8845 */
#define TEXT_H    (PAGE_H - MARGIN_T - MARGIN_B) /* 12756 */
#define LINE      (TEXT_H / 22)                  /* 579 */
#define CHAR      (TEXT_W / 28)                  /* 315: one grid character */
#define CONDENSE  (-5) /* run spacing, 1/20 pt: 16 − 0.25 = 15.75 pt a character */
#define HEADER_D  1701                           /* 30 mm: top of the 发文机关标志 */
#define FOOTER_D  1134                           /* 20 mm: the lower red line */
#define OVERHANG  397                            /* 7 mm: 170 mm lines over a 156 mm 版心 */
#define FOOTER_SZ SZ_4HAO
/* The page number's line (14 pt exact) starts 7 mm below the 版心. */
#define PGNUM_LINE  280
#define PGNUM_AFTER (MARGIN_B - 397 - FOOTER_D - PGNUM_LINE)

#define NS_W  "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
#define NS_R  "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
#define NS_PR "http://schemas.openxmlformats.org/package/2006/relationships"
#define RED   "FF0000"

struct docx {
    const struct doc *d;
    struct buf *b; /* the part being written */
    struct arena a;
};

/* --- text --- */

/* <w:t> runs for s: LF becomes <w:br/>, TAB <w:tab/>. */
static void wtext(struct docx *x, const char *s)
{
    struct buf *b = x->b;
    for (;;) {
        size_t n = strcspn(s, "\n\t");
        if (n) {
            char *seg = arena_strndup(&x->a, s, n);
            buf_adds(b, "<w:t xml:space=\"preserve\">");
            esc_xml(b, seg);
            buf_adds(b, "</w:t>");
        }
        if (!s[n])
            return;
        buf_adds(b, s[n] == '\n' ? "<w:br/>" : "<w:tab/>");
        s += n + 1;
    }
}

/* One run: rpr is the inner run properties ("" for none). */
static void run(struct docx *x, const char *rpr, const char *s)
{
    if (!*s)
        return;
    buf_adds(x->b, "<w:r>");
    if (*rpr)
        buf_addf(x->b, "<w:rPr>%s</w:rPr>", rpr);
    wtext(x, s);
    buf_adds(x->b, "</w:r>");
}

static void runs(struct docx *x, const struct doc_run *r, bool in_heading)
{
    for (; r; r = r->next) {
        const char *rpr;
        switch (r->style) {
        case DOC_RUN_BOLD:
            rpr = in_heading ? "<w:rStyle w:val=\"GwBodyChar\"/><w:b/><w:bCs/>" : "<w:b/><w:bCs/>";
            break;
        case DOC_RUN_NUMBER:
            rpr = "<w:rStyle w:val=\"GwNumber\"/>";
            break;
        default:
            rpr = in_heading ? "<w:rStyle w:val=\"GwBodyChar\"/>" : "";
        }
        run(x, rpr, r->text);
    }
}

/* A whole paragraph of one plain run. */
static void simple(struct docx *x, const char *style, const char *ppr, const char *s)
{
    buf_addf(x->b, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/>%s</w:pPr>", style, ppr);
    run(x, "", s);
    buf_adds(x->b, "</w:p>\n");
}

static void empty_para(struct docx *x)
{
    buf_adds(x->b, "<w:p><w:pPr><w:pStyle w:val=\"GwBody\"/></w:pPr></w:p>\n");
}

/* --- body blocks --- */

static void para(void *ctx, const struct doc_para *p)
{
    struct docx *x = ctx;
    static const char *const style[] = { "GwBody", "GwH1", "GwH2", "GwH3", "GwH4" };
    struct buf *b = x->b;
    const char *st = (p->flags & DOC_P_SMALL) && !p->level ? "GwSmall" : style[p->level];
    buf_addf(b, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/>", st);
    if (p->flags & DOC_P_KEEPNEXT)
        buf_adds(b, "<w:keepNext/>");
    else if (p->level && p->runs)
        buf_adds(b, "<w:keepNext w:val=\"0\"/>"); /* run-in: an ordinary paragraph */
    if (p->flags & DOC_P_NOINDENT)
        buf_adds(b, "<w:ind w:firstLineChars=\"0\" w:firstLine=\"0\"/>");
    if (p->flags & DOC_P_CENTER)
        buf_adds(b, "<w:jc w:val=\"center\"/>");
    else if (p->flags & DOC_P_RIGHT)
        buf_adds(b, "<w:jc w:val=\"right\"/>");
    buf_adds(b, "</w:pPr>");
    if (p->level) {
        run(x, "", p->label);
        run(x, "", p->title);
    }
    runs(x, p->runs, p->level > 0);
    buf_adds(b, "</w:p>\n");
}

static const char *jc_of(enum doc_align a)
{
    switch (a) {
    case DOC_ALIGN_CENTER:
        return "center";
    case DOC_ALIGN_RIGHT:
        return "right";
    default:
        return "left";
    }
}

static void cell_open(struct docx *x, int width, int span, const char *vmerge)
{
    struct buf *b = x->b;
    buf_addf(b, "<w:tc><w:tcPr><w:tcW w:w=\"%d\" w:type=\"dxa\"/>", width);
    if (span > 1)
        buf_addf(b, "<w:gridSpan w:val=\"%d\"/>", span);
    if (vmerge)
        buf_adds(b, vmerge);
    buf_adds(b, "<w:vAlign w:val=\"center\"/></w:tcPr>");
}

static void table(void *ctx, const struct doc_table *t, const struct report__grid *g)
{
    struct docx *x = ctx;
    struct buf *b = x->b;
    bool small = t->flags & DOC_TABLE_SMALL;
    int share[64], tw[64], sum = 0;
    report__col_share(t, g, share);
    for (int c = 0; c < g->ncols; c++) {
        tw[c] = TEXT_W * share[c] / 1000;
        sum += tw[c];
    }
    tw[g->ncols - 1] += TEXT_W - sum;
    if (t->caption && *t->caption)
        simple(x, "GwCaption", "", t->caption);
    buf_addf(b,
             "<w:tbl><w:tblPr><w:tblW w:w=\"%d\" w:type=\"dxa\"/><w:jc w:val=\"center\"/>"
             "<w:tblBorders>",
             TEXT_W);
    static const char *const sides[] = { "top", "left", "bottom", "right", "insideH", "insideV" };
    for (int i = 0; i < 6; i++)
        buf_addf(b, "<w:%s w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"000000\"/>",
                 sides[i]);
    buf_adds(b, "</w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar>"
                "<w:left w:w=\"85\" w:type=\"dxa\"/><w:right w:w=\"85\" w:type=\"dxa\"/>"
                "</w:tblCellMar></w:tblPr>\n<w:tblGrid>");
    for (int c = 0; c < g->ncols; c++)
        buf_addf(b, "<w:gridCol w:w=\"%d\"/>", tw[c]);
    buf_adds(b, "</w:tblGrid>\n");
    int nc = g->ncols;
    for (int r = 0; r < g->nrows; r++) {
        bool header = r < g->nhead;
        buf_adds(b, header ? "<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"
                           : "<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (int c = 0; c < nc;) {
            const struct doc_cell *cell = g->at[r * nc + c];
            int span = cell ? cell->colspan : 1, w = 0;
            for (int k = c; k < c + span; k++)
                w += tw[k];
            if (!cell) {
                cell_open(x, w, 1, NULL);
                buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"GwTable\"/></w:pPr></w:p></w:tc>");
            } else if (!g->origin[r * nc + c]) {
                cell_open(x, w, span, "<w:vMerge/>");
                buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"GwTable\"/></w:pPr></w:p></w:tc>");
            } else {
                cell_open(x, w, span, cell->rowspan > 1 ? "<w:vMerge w:val=\"restart\"/>" : NULL);
                const char *st = header ? (small ? "GwTableSmallHead" : "GwTableHead")
                                        : (small ? "GwTableSmall" : "GwTable");
                buf_addf(b, "<w:p><w:pPr><w:pStyle w:val=\"%s\"/><w:jc w:val=\"%s\"/></w:pPr>", st,
                         jc_of(report__align(cell, header)));
                const char *rpr =
                    cell->kind != DOC_CELL_TEXT ? "<w:rStyle w:val=\"GwNumber\"/>" : "";
                if (cell->bold && !header)
                    rpr = cell->kind != DOC_CELL_TEXT
                              ? "<w:rStyle w:val=\"GwNumber\"/><w:b/><w:bCs/>"
                              : "<w:b/><w:bCs/>";
                run(x, rpr, cell->text);
                buf_adds(b, "</w:p></w:tc>");
            }
            c += span;
        }
        buf_adds(b, "</w:tr>\n");
    }
    buf_adds(b, "</w:tbl>\n");
    /* Word needs a paragraph between tables; keep it thin. */
    buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"GwBody\"/><w:snapToGrid w:val=\"0\"/>"
                "<w:spacing w:line=\"160\" w:lineRule=\"exact\"/></w:pPr></w:p>\n");
}

static void pagebreak(void *ctx)
{
    struct docx *x = ctx;
    buf_adds(
        x->b,
        "<w:p><w:pPr><w:pStyle w:val=\"GwBody\"/></w:pPr><w:r><w:br w:type=\"page\"/></w:r></w:p>\n");
}

static const struct report__visitor visit = { para, table, pagebreak };

/* --- document.xml --- */

static void title(struct docx *x, const char *s, int before, int after)
{
    buf_adds(x->b, "<w:p><w:pPr><w:pStyle w:val=\"GwTitle\"/>");
    if (before || after)
        buf_addf(x->b, "<w:spacing w:before=\"%d\" w:after=\"%d\"/>", before, after);
    buf_adds(x->b, "</w:pPr>");
    run(x, "", s);
    buf_adds(x->b, "</w:p>\n");
}

/* 份号, 密级, 紧急程度: the top-left lines of the 版头. */
static int top_left(struct docx *x, bool letter_first)
{
    const struct doc_meta *m = &x->d->meta;
    const char *tl[] = { m->copy_no, m->secret, m->urgency };
    int n = 0;
    for (int i = 0; i < 3; i++) {
        if (!tl[i] || !*tl[i])
            continue;
        /* In a 函 the first one shares its line with the 文号 (right tab). */
        if (letter_first && n == 0) {
            buf_addf(
                x->b,
                "<w:p><w:pPr><w:pStyle w:val=\"GwDocNo\"/><w:tabs><w:tab w:val=\"right\" w:pos=\"%d\"/>"
                "</w:tabs><w:jc w:val=\"left\"/></w:pPr>",
                TEXT_W);
            run(x, "", tl[i]);
            buf_adds(x->b, "<w:r><w:tab/></w:r>");
            run(x, "", m->number ? m->number : "");
            buf_adds(x->b, "</w:p>\n");
        } else {
            simple(x, "GwDocNo", "<w:jc w:val=\"left\"/>", tl[i]);
        }
        n++;
    }
    return n;
}

static void head(struct docx *x)
{
    const struct doc_meta *m = &x->d->meta;
    const char *num = m->number ? m->number : "";
    int title_before = 2 * LINE;
    switch (m->layout) {
    case DOC_LAYOUT_LETTER:
        if (!top_left(x, true))
            simple(x, "GwDocNo", "<w:jc w:val=\"right\"/>", num);
        break;
    case DOC_LAYOUT_FILE: {
        int n = top_left(x, false);
        const char *mark = report__mark(&x->a, x->d);
        int pt = report__mark_pt(mark);
        int before = 1984 - n * LINE; /* the mark's top 35 mm below the 版心 top */
        buf_addf(x->b,
                 "<w:p><w:pPr><w:pStyle w:val=\"GwMark\"/><w:spacing w:before=\"%d\" w:line=\"%d\" "
                 "w:lineRule=\"exact\"/></w:pPr>",
                 before < 0 ? 0 : before, pt * 20);
        run(x, arena_fmt(&x->a, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", pt * 2, pt * 2),
            mark);
        buf_adds(x->b, "</w:p>\n");
        /* 文号 two lines below the mark, centred; the red line 4 mm below it. */
        buf_addf(
            x->b,
            "<w:p><w:pPr><w:pStyle w:val=\"GwDocNo\"/><w:pBdr><w:bottom w:val=\"single\" w:sz=\"12\" "
            "w:space=\"11\" w:color=\"" RED "\"/></w:pBdr><w:spacing w:before=\"%d\"/>"
            "<w:jc w:val=\"center\"/></w:pPr>",
            LINE);
        run(x, "", num);
        buf_adds(x->b, "</w:p>\n");
        break;
    }
    case DOC_LAYOUT_PLAIN:
        title_before = 0;
        if (*num)
            simple(x, "GwDocNo", "<w:jc w:val=\"right\"/>", num);
        break;
    }
    if (m->title && *m->title)
        title(x, m->title, title_before, 0);
    if (m->to && *m->to)
        simple(x, "GwTo", arena_fmt(&x->a, "<w:spacing w:before=\"%d\"/>", LINE),
               report__to(&x->a, x->d));
}

static void tail(struct docx *x)
{
    const struct doc *d = x->d;
    const struct doc_meta *m = &d->meta;
    struct buf *b = x->b;
    if (d->nattach) {
        buf_addf(b,
                 "<w:p><w:pPr><w:pStyle w:val=\"GwAttach\"/><w:spacing w:before=\"%d\"/></w:pPr>",
                 LINE);
        run(x, "", "附件：");
        for (const struct doc_part *p = d->attachments; p; p = p->next) {
            run(x, "", report__attach_label(&x->a, d, p, true));
            if (p->next)
                buf_adds(b, "<w:r><w:br/></w:r>");
        }
        buf_adds(b, "</w:p>\n");
    }
    bool sig = m->signature && *m->signature;
    const char *date = m->date != DATE_NONE ? cn_date(&x->a, m->date) : "";
    if (sig) {
        int ri = report__sign_indent(m->signature, date);
        simple(x, "GwSign",
               arena_fmt(&x->a,
                         "<w:spacing w:before=\"%d\"/><w:ind w:rightChars=\"%d\" w:right=\"%d\"/>",
                         2 * LINE, ri, ri * CHAR / 100),
               m->signature);
    }
    if (*date)
        simple(x, "GwSign",
               arena_fmt(&x->a, "%s<w:ind w:rightChars=\"400\" w:right=\"%d\"/>",
                         sig ? "" : arena_fmt(&x->a, "<w:spacing w:before=\"%d\"/>", 2 * LINE),
                         4 * CHAR),
               date);
    if (m->note && *m->note)
        simple(x, "GwBody", "", arena_fmt(&x->a, "（%s）", m->note));
}

/* 版记: 抄送 and, outside the 函, 印发机关 and 印发日期 between separators. */
static void banji(struct docx *x)
{
    const struct doc_meta *m = &x->d->meta;
    struct buf *b = x->b;
    bool cc, printed;
    if (!report__banji(x->d, &cc, &printed))
        return;
    bool lines = m->layout != DOC_LAYOUT_LETTER;
    /* In the flow after the last part, one line below it.  (A frame at the foot of the
     * page, as GB/T 9704 §7.4 places the 版记, loses its borders in LibreOffice.) */
    empty_para(x);
    if (cc) {
        buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"GwCc\"/>");
        if (lines)
            buf_addf(
                b,
                "<w:pBdr><w:top w:val=\"single\" w:sz=\"8\" w:space=\"1\" w:color=\"000000\"/>%s"
                "</w:pBdr>",
                printed
                    ? ""
                    : "<w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"1\" w:color=\"000000\"/>");
        buf_adds(b, "</w:pPr>");
        run(x, "", report__cc(&x->a, x->d));
        buf_adds(b, "</w:p>\n");
    }
    if (printed) {
        buf_addf(
            b,
            "<w:p><w:pPr><w:pStyle w:val=\"GwCc\"/><w:pBdr><w:top w:val=\"single\" w:sz=\"%d\" "
            "w:space=\"1\" w:color=\"000000\"/><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"1\" "
            "w:color=\"000000\"/></w:pBdr><w:tabs><w:tab w:val=\"right\" w:pos=\"%d\"/></w:tabs>"
            "<w:ind w:left=\"280\" w:right=\"280\" w:hanging=\"0\"/></w:pPr>",
            cc ? 6 : 8, TEXT_W - 280);
        run(x, "", m->printer);
        buf_adds(b, "<w:r><w:tab/></w:r>");
        if (m->print_date != DATE_NONE)
            run(x, "", cn_date(&x->a, m->print_date));
        run(x, "", "印发");
        buf_adds(b, "</w:p>\n");
    }
}

static enum rc document_xml(struct docx *x, struct err *err)
{
    const struct doc *d = x->d;
    struct buf *b = x->b;
    bool letter = d->meta.layout == DOC_LAYOUT_LETTER;
    buf_adds(b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
                "<w:document xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\"><w:body>\n");
    head(x);
    if (report__blocks(&d->body, &visit, x, err))
        return RC_INVALID;
    tail(x);
    for (const struct doc_part *p = d->attachments; p; p = p->next) {
        /* The label paragraph starts the new page. */
        buf_adds(b, "<w:p><w:pPr><w:pStyle w:val=\"GwAttachLabel\"/><w:pageBreakBefore/></w:pPr>");
        run(x, "", report__attach_label(&x->a, d, p, false));
        buf_adds(b, "</w:p>\n");
        empty_para(x);
        title(x, p->title, 0, LINE);
        if (report__blocks(p, &visit, x, err))
            return RC_INVALID;
    }
    banji(x);
    buf_adds(b, "<w:sectPr>");
    if (letter)
        buf_adds(b, "<w:headerReference w:type=\"first\" r:id=\"rIdHdrFirst\"/>");
    buf_adds(b, "<w:footerReference w:type=\"default\" r:id=\"rIdFtrOdd\"/>"
                "<w:footerReference w:type=\"even\" r:id=\"rIdFtrEven\"/>");
    if (letter)
        buf_adds(b, "<w:footerReference w:type=\"first\" r:id=\"rIdFtrFirst\"/>");
    buf_addf(
        b,
        "<w:pgSz w:w=\"%d\" w:h=\"%d\"/><w:pgMar w:top=\"%d\" w:right=\"%d\" w:bottom=\"%d\" "
        "w:left=\"%d\" w:header=\"%d\" w:footer=\"%d\" w:gutter=\"0\"/><w:cols w:space=\"425\"/>%s"
        "<w:docGrid w:type=\"lines\" w:linePitch=\"%d\"/></w:sectPr>\n",
        PAGE_W, PAGE_H, MARGIN_T, MARGIN_R, MARGIN_B, MARGIN_L, letter ? HEADER_D : 851, FOOTER_D,
        letter ? "<w:titlePg/>" : "", LINE);
    buf_adds(b, "</w:body></w:document>\n");
    return RC_OK;
}

/* --- headers and footers --- */

static void hdr_open(struct buf *b, const char *el)
{
    buf_addf(b,
             "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
             "<w:%s xmlns:w=\"" NS_W "\" xmlns:r=\"" NS_R "\">",
             el);
}

/* First page of a 函: the red mark and the thick-over-thin line 4 mm below it. */
static void header_first(struct docx *x)
{
    const char *mark = report__mark(&x->a, x->d);
    int pt = report__mark_pt(mark);
    hdr_open(x->b, "hdr");
    buf_addf(
        x->b,
        "<w:p><w:pPr><w:pStyle w:val=\"GwMark\"/><w:pBdr><w:bottom w:val=\"thickThinSmallGap\" "
        "w:sz=\"24\" w:space=\"7\" w:color=\"" RED "\"/></w:pBdr>"
        "<w:spacing w:line=\"%d\" w:lineRule=\"exact\"/><w:ind w:left=\"-%d\" w:right=\"-%d\"/></w:pPr>",
        pt * 20, OVERHANG, OVERHANG);
    run(x, arena_fmt(&x->a, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", pt * 2, pt * 2), mark);
    buf_adds(x->b, "</w:p></w:hdr>\n");
}

/* First page of a 函: the thin-over-thick line 20 mm above the bottom edge. */
static void footer_first(struct docx *x)
{
    hdr_open(x->b, "ftr");
    buf_addf(
        x->b,
        "<w:p><w:pPr><w:pStyle w:val=\"GwFooter\"/><w:pBdr><w:bottom w:val=\"thinThickSmallGap\" "
        "w:sz=\"24\" w:space=\"0\" w:color=\"" RED "\"/></w:pBdr>"
        "<w:spacing w:after=\"0\" w:line=\"20\" w:lineRule=\"exact\"/><w:ind w:left=\"-%d\" w:right=\"-%d\"/>"
        "</w:pPr><w:r><w:rPr><w:sz w:val=\"2\"/><w:szCs w:val=\"2\"/></w:rPr></w:r></w:p></w:ftr>\n",
        OVERHANG, OVERHANG);
}

/* "— N —", one character in from the outer edge. */
static void footer_number(struct docx *x, bool odd)
{
    struct buf *b = x->b;
    hdr_open(b, "ftr");
    buf_addf(
        b,
        "<w:p><w:pPr><w:pStyle w:val=\"GwFooter\"/><w:ind w:%s=\"%d\"/><w:jc w:val=\"%s\"/></w:pPr>",
        odd ? "right" : "left", FOOTER_SZ * 10, odd ? "right" : "left");
    buf_adds(b, "<w:r><w:t xml:space=\"preserve\">— </w:t></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"begin\"/></w:r>"
                "<w:r><w:instrText xml:space=\"preserve\"> PAGE </w:instrText></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"separate\"/></w:r>"
                "<w:r><w:t>1</w:t></w:r>"
                "<w:r><w:fldChar w:fldCharType=\"end\"/></w:r>"
                "<w:r><w:t xml:space=\"preserve\"> —</w:t></w:r></w:p></w:ftr>\n");
}

/* --- styles, fonts, settings, package parts --- */

static void rfonts(struct buf *b, enum report_face f, bool latin_too)
{
    const char *n = report__faces[f].name;
    if (latin_too)
        buf_addf(b,
                 "<w:rFonts w:ascii=\"%s\" w:eastAsia=\"%s\" w:hAnsi=\"%s\" w:hint=\"eastAsia\"/>",
                 n, n, n);
    else
        buf_addf(b, "<w:rFonts w:eastAsia=\"%s\" w:hint=\"eastAsia\"/>", n);
}

static void style_open(struct buf *b, const char *type, const char *id, const char *name,
                       const char *based)
{
    buf_addf(b,
             "<w:style w:type=\"%s\" w:customStyle=\"1\" w:styleId=\"%s\"><w:name w:val=\"%s\"/>",
             type, id, name);
    if (based)
        buf_addf(b, "<w:basedOn w:val=\"%s\"/>", based);
    buf_adds(b, "<w:qFormat/>");
}

/* A paragraph style: ppr and rpr are inner XML. */
static void pstyle(struct buf *b, const char *id, const char *name, const char *based,
                   const char *ppr, enum report_face face, bool latin, int sz, const char *rpr)
{
    style_open(b, "paragraph", id, name, based);
    if (*ppr)
        buf_addf(b, "<w:pPr>%s</w:pPr>", ppr);
    buf_adds(b, "<w:rPr>");
    if (face != FACE_NONE)
        rfonts(b, face, latin);
    buf_adds(b, rpr);
    if (sz)
        buf_addf(b, "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/>", sz, sz);
    buf_adds(b, "</w:rPr></w:style>\n");
}

static void styles_xml(struct docx *x)
{
    struct buf *b = x->b;
    const char *body = report__faces[FACE_BODY].name;
    char indent[128], table_sp[96], footer_sp[128];
    snprintf(indent, sizeof(indent), "<w:ind w:firstLineChars=\"200\" w:firstLine=\"%d\"/>",
             2 * CHAR);
    snprintf(table_sp, sizeof(table_sp),
             "<w:snapToGrid w:val=\"0\"/><w:spacing w:line=\"240\" w:lineRule=\"auto\"/>");
    snprintf(
        footer_sp, sizeof(footer_sp),
        "<w:snapToGrid w:val=\"0\"/><w:spacing w:after=\"%d\" w:line=\"%d\" w:lineRule=\"exact\"/>",
        PGNUM_AFTER, PGNUM_LINE);
    buf_addf(
        b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<w:styles xmlns:w=\"" NS_W "\"><w:docDefaults><w:rPrDefault><w:rPr>"
        "<w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\"%s\" w:hAnsi=\"Times New Roman\" "
        "w:cs=\"Times New Roman\" w:hint=\"eastAsia\"/><w:kern w:val=\"2\"/><w:spacing w:val=\"%d\"/>"
        "<w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/><w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" "
        "w:bidi=\"ar-SA\"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:widowControl w:val=\"0\"/>"
        "<w:autoSpaceDE w:val=\"0\"/><w:autoSpaceDN w:val=\"0\"/><w:spacing w:line=\"%d\" w:lineRule=\"exact\"/><w:jc w:val=\"both\"/></w:pPr></w:pPrDefault>"
        "</w:docDefaults>\n",
        body, CONDENSE, SZ_3HAO, SZ_3HAO, LINE);
    /* Normal repeats the body size: LibreOffice takes the grid's character pitch from
     * Normal's own East Asian size, not from the defaults. */
    buf_addf(
        b,
        "<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/>"
        "<w:qFormat/><w:rPr><w:sz w:val=\"%d\"/><w:szCs w:val=\"%d\"/></w:rPr></w:style>\n",
        SZ_3HAO, SZ_3HAO);
    buf_adds(
        b,
        "<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\">"
        "<w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/>"
        "<w:unhideWhenUsed/></w:style>\n"
        "<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/>"
        "<w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" "
        "w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/>"
        "<w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr>"
        "</w:style>\n");
    /* clang-format off */
    pstyle(b, "GwBody", "公文正文", "Normal", indent, FACE_NONE, false, 0, "");
    pstyle(b, "GwSmall", "公文正文（4号）", "GwBody", "", FACE_NONE, false, SZ_4HAO, "");
    pstyle(b, "GwTitle", "公文标题", "Normal", "<w:keepNext/><w:snapToGrid w:val=\"0\"/><w:jc w:val=\"center\"/>",
           FACE_TITLE, true, SZ_2HAO, "");
    pstyle(b, "GwTo", "主送机关", "Normal", "", FACE_NONE, false, 0, "");
    pstyle(b, "GwDocNo", "发文字号", "Normal", "", FACE_NONE, false, 0, "");
    pstyle(b, "GwMark", "发文机关标志", "Normal", "<w:snapToGrid w:val=\"0\"/><w:jc w:val=\"center\"/>",
           FACE_TITLE, true, 0, "<w:color w:val=\"" RED "\"/>");
    pstyle(b, "GwH1", "一级标题（一、）", "GwBody", "<w:keepNext/><w:outlineLvl w:val=\"0\"/>", FACE_HEI, true, 0, "");
    pstyle(b, "GwH2", "二级标题（（一））", "GwBody", "<w:keepNext/><w:outlineLvl w:val=\"1\"/>", FACE_KAI, true, 0, "");
    pstyle(b, "GwH3", "三级标题（1.）", "GwBody", "<w:keepNext/><w:outlineLvl w:val=\"2\"/>", FACE_NONE, false, 0, "");
    pstyle(b, "GwH4", "四级标题（（1））", "GwBody", "<w:keepNext/><w:outlineLvl w:val=\"3\"/>", FACE_NONE, false, 0, "");
    pstyle(b, "GwAttach", "附件说明", "Normal",
           "<w:ind w:leftChars=\"500\" w:left=\"1575\" w:hangingChars=\"300\" w:hanging=\"945\"/><w:jc w:val=\"left\"/>",
           FACE_NONE, false, 0, "");
    pstyle(b, "GwSign", "署名和成文日期", "Normal", "<w:jc w:val=\"right\"/>", FACE_NONE, false, 0, "");
    pstyle(b, "GwAttachLabel", "附件标识", "Normal", "", FACE_HEI, true, 0, "");
    pstyle(b, "GwCaption", "表格标题", "Normal", "<w:keepNext/><w:jc w:val=\"center\"/>", FACE_NONE, false, 0,
           "<w:b/><w:bCs/>");
    pstyle(b, "GwTable", "表格文字", "Normal", table_sp, FACE_NONE, false, SZ_4HAO, "");
    pstyle(b, "GwTableHead", "表头文字", "GwTable", "<w:keepNext/><w:jc w:val=\"center\"/>", FACE_HEI, true, 0, "");
    pstyle(b, "GwTableSmall", "表格文字（5号）", "GwTable", "", FACE_NONE, false, SZ_5HAO, "");
    pstyle(b, "GwTableSmallHead", "表头文字（5号）", "GwTableHead", "", FACE_NONE, false, SZ_5HAO, "");
    pstyle(b, "GwCc", "抄送", "Normal",
           "<w:ind w:left=\"1120\" w:right=\"280\" w:hanging=\"840\"/>", FACE_NONE, false, SZ_4HAO, "");
    pstyle(b, "GwFooter", "页码", "Normal", footer_sp, FACE_SONG, true, FOOTER_SZ, "");
    /* clang-format on */
    style_open(b, "character", "GwBodyChar", "公文正文字符", NULL);
    buf_addf(
        b,
        "<w:rPr><w:rFonts w:ascii=\"Times New Roman\" w:eastAsia=\"%s\" w:hAnsi=\"Times New Roman\" "
        "w:hint=\"eastAsia\"/></w:rPr></w:style>\n",
        body);
    style_open(b, "character", "GwNumber", "统计数字", "GwBodyChar");
    buf_adds(b, "</w:style>\n</w:styles>\n");
}

static void font_entry(struct buf *b, const char *name, const char *alt, const char *panose,
                       const char *family, bool fixed, int charset)
{
    buf_addf(b, "<w:font w:name=\"%s\">", name);
    if (alt)
        buf_addf(b, "<w:altName w:val=\"%s\"/>", alt);
    buf_addf(b,
             "<w:panose1 w:val=\"%s\"/><w:charset w:val=\"%02X\"/><w:family w:val=\"%s\"/>"
             "<w:pitch w:val=\"%s\"/></w:font>\n",
             panose, charset, family, fixed ? "fixed" : "variable");
}

static void fonts_xml(struct docx *x)
{
    struct buf *b = x->b;
    buf_adds(
        b, "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<w:fonts xmlns:w=\"" NS_W
           "\">\n");
    font_entry(b, "Times New Roman", NULL, "02020603050405020304", "roman", false, 0);
    for (int i = 0; i < FACE__COUNT; i++) {
        const struct report__face *f = &report__faces[i];
        /* The 公文 face falls back to its Windows twin, which falls back by English name. */
        font_entry(b, f->name, f->alt, f->panose, f->family, f->fixed, 0x86);
        if (strcmp(f->alt, f->latin))
            font_entry(b, f->alt, f->latin, f->panose, f->family, f->fixed, 0x86);
    }
    buf_adds(b, "</w:fonts>\n");
}

static void settings_xml(struct docx *x)
{
    buf_adds(x->b,
             "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
             "<w:settings xmlns:w=\"" NS_W "\"><w:zoom w:percent=\"100\"/><w:mirrorMargins/>"
             "<w:defaultTabStop w:val=\"420\"/><w:evenAndOddHeaders/>"
             "<w:characterSpacingControl w:val=\"compressPunctuation\"/>"
             "<w:compat><w:doNotExpandShiftReturn/><w:compatSetting w:name=\"compatibilityMode\" "
             "w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat>"
             "<w:themeFontLang w:val=\"en-US\" w:eastAsia=\"zh-CN\"/></w:settings>\n");
}

static void content_types(struct docx *x, bool letter)
{
    struct buf *b = x->b;
    buf_adds(
        b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">"
        "<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>"
        "<Default Extension=\"xml\" ContentType=\"application/xml\"/>"
        "<Override PartName=\"/word/document.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/>"
        "<Override PartName=\"/word/styles.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.styles+xml\"/>"
        "<Override PartName=\"/word/settings.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.settings+xml\"/>"
        "<Override PartName=\"/word/fontTable.xml\" ContentType=\"application/"
        "vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml\"/>");
    const char *ftr = "application/vnd.openxmlformats-officedocument.wordprocessingml.footer+xml";
    if (letter)
        buf_adds(b, "<Override PartName=\"/word/header1.xml\" ContentType=\"application/"
                    "vnd.openxmlformats-officedocument.wordprocessingml.header+xml\"/>");
    for (int i = letter ? 1 : 2; i <= 3; i++)
        buf_addf(b, "<Override PartName=\"/word/footer%d.xml\" ContentType=\"%s\"/>", i, ftr);
    buf_adds(b, "<Override PartName=\"/docProps/core.xml\" ContentType=\"application/"
                "vnd.openxmlformats-package.core-properties+xml\"/>"
                "<Override PartName=\"/docProps/app.xml\" ContentType=\"application/"
                "vnd.openxmlformats-officedocument.extended-properties+xml\"/></Types>\n");
}

static void root_rels(struct docx *x)
{
    buf_adds(
        x->b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Relationships xmlns=\"" NS_PR "\">"
        "<Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/officeDocument\" Target=\"word/document.xml\"/>"
        "<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/"
        "relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>"
        "<Relationship Id=\"rId3\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/"
        "relationships/extended-properties\" Target=\"docProps/app.xml\"/></Relationships>\n");
}

static void doc_rels(struct docx *x, bool letter)
{
    struct buf *b = x->b;
    const char *t = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/";
    buf_adds(
        b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n<Relationships xmlns=\"" NS_PR
        "\">");
    buf_addf(b, "<Relationship Id=\"rIdStyles\" Type=\"%sstyles\" Target=\"styles.xml\"/>", t);
    buf_addf(b, "<Relationship Id=\"rIdSettings\" Type=\"%ssettings\" Target=\"settings.xml\"/>",
             t);
    buf_addf(b, "<Relationship Id=\"rIdFonts\" Type=\"%sfontTable\" Target=\"fontTable.xml\"/>", t);
    if (letter) {
        buf_addf(b, "<Relationship Id=\"rIdHdrFirst\" Type=\"%sheader\" Target=\"header1.xml\"/>",
                 t);
        buf_addf(b, "<Relationship Id=\"rIdFtrFirst\" Type=\"%sfooter\" Target=\"footer1.xml\"/>",
                 t);
    }
    buf_addf(b, "<Relationship Id=\"rIdFtrOdd\" Type=\"%sfooter\" Target=\"footer2.xml\"/>", t);
    buf_addf(b, "<Relationship Id=\"rIdFtrEven\" Type=\"%sfooter\" Target=\"footer3.xml\"/>", t);
    buf_adds(b, "</Relationships>\n");
}

static void core_xml(struct docx *x)
{
    const struct doc_meta *m = &x->d->meta;
    struct buf *b = x->b;
    char when[32];
    report__w3cdtf(m->date, when);
    buf_adds(
        b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/"
        "core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" "
        "xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\">");
    buf_adds(b, "<dc:title>");
    esc_xml(b, m->title ? m->title : "");
    buf_adds(b, "</dc:title><dc:subject>");
    esc_xml(b, m->number ? m->number : "");
    buf_adds(b, "</dc:subject><dc:creator>");
    esc_xml(b, m->author ? m->author : "");
    buf_adds(b, "</dc:creator><cp:lastModifiedBy>");
    esc_xml(b, m->author ? m->author : "");
    buf_addf(
        b,
        "</cp:lastModifiedBy><cp:revision>1</cp:revision>"
        "<dcterms:created xsi:type=\"dcterms:W3CDTF\">%s</dcterms:created>"
        "<dcterms:modified xsi:type=\"dcterms:W3CDTF\">%s</dcterms:modified></cp:coreProperties>\n",
        when, when);
}

static void app_xml(struct docx *x)
{
    buf_adds(
        x->b,
        "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n"
        "<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\" "
        "xmlns:vt=\"http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes\">"
        "<Application>govsite</Application><DocSecurity>0</DocSecurity>"
        "<ScaleCrop>false</ScaleCrop><LinksUpToDate>false</LinksUpToDate>"
        "<SharedDoc>false</SharedDoc><HyperlinksChanged>false</HyperlinksChanged>"
        "<AppVersion>16.0000</AppVersion></Properties>\n");
}

enum parts {
    P_TYPES,
    P_RELS,
    P_CORE,
    P_APP,
    P_DOC,
    P_DOCRELS,
    P_STYLES,
    P_SETTINGS,
    P_FONTS,
    P_HDR1,
    P_FTR1,
    P_FTR2,
    P_FTR3,
    P__N
};

enum rc render_docx(const struct doc *d, struct buf *out, struct err *err)
{
    if (doc_status(d, err))
        return RC_INVALID;
    static const char *const names[P__N] = {
        "[Content_Types].xml", "_rels/.rels",       "docProps/core.xml",
        "docProps/app.xml",    "word/document.xml", "word/_rels/document.xml.rels",
        "word/styles.xml",     "word/settings.xml", "word/fontTable.xml",
        "word/header1.xml",    "word/footer1.xml",  "word/footer2.xml",
        "word/footer3.xml",
    };
    struct buf parts[P__N];
    for (int i = 0; i < P__N; i++)
        buf_init(&parts[i], 0);
    struct docx x = { .d = d };
    bool letter = d->meta.layout == DOC_LAYOUT_LETTER;
    enum rc rc = RC_OK;

    x.b = &parts[P_DOC];
    if ((rc = document_xml(&x, err)))
        goto out;
    x.b = &parts[P_TYPES];
    content_types(&x, letter);
    x.b = &parts[P_RELS];
    root_rels(&x);
    x.b = &parts[P_CORE];
    core_xml(&x);
    x.b = &parts[P_APP];
    app_xml(&x);
    x.b = &parts[P_DOCRELS];
    doc_rels(&x, letter);
    x.b = &parts[P_STYLES];
    styles_xml(&x);
    x.b = &parts[P_SETTINGS];
    settings_xml(&x);
    x.b = &parts[P_FONTS];
    fonts_xml(&x);
    if (letter) {
        x.b = &parts[P_HDR1];
        header_first(&x);
        x.b = &parts[P_FTR1];
        footer_first(&x);
    }
    x.b = &parts[P_FTR2];
    footer_number(&x, true);
    x.b = &parts[P_FTR3];
    footer_number(&x, false);

    struct report__zfile files[P__N];
    size_t n = 0;
    for (int i = 0; i < P__N; i++) {
        if (!parts[i].n)
            continue;
        files[n++] = (struct report__zfile){ names[i], buf_cstr(&parts[i]), parts[i].n };
    }
    rc = report__zip(files, n, d->meta.date, out, err);
    if (!rc && buf_rc(out))
        rc = err_set(err, RC_LIMIT, "the DOCX document is larger than the output limit");
out:
    for (int i = 0; i < P__N; i++)
        buf_release(&parts[i]);
    arena_release(&x.a);
    return rc;
}
