/* render_html.c - one self-contained HTML file laid out like the 公文 (see report.h).
 *
 * On screen each part (the body, every attachment) is an A4 sheet with the GB/T 9704
 * margins; in print the same CSS gives @page A4 37/26/35/28 mm, the 函 letterhead on
 * page 1 only, "— N —" page numbers (odd pages right, even pages left, none on page 1 of
 * a 函) and a page break before every 附件.  All text goes through esc_html.
 */
#include <string.h>

#include "core/date.h"
#include "core/esc.h"
#include "report/report.h"
#include "report/report_int.h"

struct html {
    struct buf *out;
    struct arena a;
    const struct doc *d;
};

/* Text with LF as <br> and TAB as a space, escaped. */
static void text(struct html *h, const char *s)
{
    for (;;) {
        size_t n = strcspn(s, "\n\t");
        esc_html_n(h->out, s, n);
        if (!s[n])
            return;
        buf_adds(h->out, s[n] == '\n' ? "<br>" : " ");
        s += n + 1;
    }
}

static void runs(struct html *h, const struct doc_run *r)
{
    for (; r; r = r->next) {
        switch (r->style) {
        case DOC_RUN_BOLD:
            buf_adds(h->out, "<b>");
            text(h, r->text);
            buf_adds(h->out, "</b>");
            break;
        case DOC_RUN_NUMBER:
            buf_adds(h->out, "<span class=\"num\">");
            text(h, r->text);
            buf_adds(h->out, "</span>");
            break;
        default:
            text(h, r->text);
        }
    }
}

static const char *para_class(const struct doc_para *p)
{
    static const char *const cls[] = { "", "gw-h1", "gw-h2", "gw-h3", "gw-h4" };
    return cls[p->level];
}

static void para(void *ctx, const struct doc_para *p)
{
    struct html *h = ctx;
    struct buf *b = h->out;
    bool head = p->level && !p->runs;
    buf_adds(b, head ? "<h" : "<p");
    if (head)
        buf_addc(b, (char)('1' + p->level));
    buf_adds(b, " class=\"");
    buf_adds(b, p->level ? para_class(p) : "gw-p");
    if (p->flags & DOC_P_NOINDENT)
        buf_adds(b, " gw-noindent");
    if (p->flags & DOC_P_CENTER)
        buf_adds(b, " gw-center");
    if (p->flags & DOC_P_RIGHT)
        buf_adds(b, " gw-right");
    if (p->flags & DOC_P_SMALL)
        buf_adds(b, " gw-small");
    buf_adds(b, "\">");
    if (p->level) {
        buf_adds(b, head ? "" : "<span class=\"gw-hd\">");
        text(h, p->label);
        text(h, p->title);
        buf_adds(b, head ? "" : "</span>");
    }
    runs(h, p->runs);
    if (head)
        buf_addf(b, "</h%d>\n", 1 + p->level);
    else
        buf_adds(b, "</p>\n");
}

static void cell(struct html *h, const struct doc_cell *c, bool header)
{
    struct buf *b = h->out;
    buf_adds(b, header ? "<th" : "<td");
    if (c->colspan > 1)
        buf_addf(b, " colspan=\"%d\"", c->colspan);
    if (c->rowspan > 1)
        buf_addf(b, " rowspan=\"%d\"", c->rowspan);
    static const char *const al[] = { "", " class=\"l\"", " class=\"c\"", " class=\"n\"" };
    enum doc_align a = report__align(c, header);
    if (!(header && a == DOC_ALIGN_CENTER))
        buf_adds(b, al[a]);
    buf_addc(b, '>');
    if (c->bold && !header)
        buf_adds(b, "<b>");
    text(h, c->text);
    if (c->bold && !header)
        buf_adds(b, "</b>");
    buf_adds(b, header ? "</th>" : "</td>");
}

static void table(void *ctx, const struct doc_table *t, const struct report__grid *grid)
{
    struct html *h = ctx;
    const struct report__grid g = *grid;
    struct buf *b = h->out;
    int share[64];
    report__col_share(t, &g, share);
    buf_adds(b, (t->flags & DOC_TABLE_SMALL) ? "<table class=\"gw-table gw-small-table\">\n"
                                             : "<table class=\"gw-table\">\n");
    if (t->caption && *t->caption) {
        buf_adds(b, "<caption>");
        text(h, t->caption);
        buf_adds(b, "</caption>\n");
    }
    buf_adds(b, "<colgroup>");
    for (int c = 0; c < g.ncols; c++)
        buf_addf(b, "<col style=\"width:%d.%d%%\">", share[c] / 10, share[c] % 10);
    buf_adds(b, "</colgroup>\n");
    for (int r = 0; r < g.nrows; r++) {
        bool header = r < g.nhead;
        if (r == 0 && header)
            buf_adds(b, "<thead>\n");
        if (r == g.nhead)
            buf_adds(b, "<tbody>\n");
        buf_adds(b, "<tr>");
        for (const struct doc_cell *c = g.rows[r]->cells; c; c = c->next)
            cell(h, c, header);
        buf_adds(b, "</tr>\n");
        if (header && r == g.nhead - 1)
            buf_adds(b, "</thead>\n");
    }
    if (g.nrows > g.nhead)
        buf_adds(b, "</tbody>\n");
    buf_adds(b, "</table>\n");
}

static void pagebreak(void *ctx)
{
    struct html *h = ctx;
    buf_adds(h->out, "<hr class=\"gw-break\">\n");
}

static const struct report__visitor visit = { para, table, pagebreak };

static void css(struct html *h)
{
    const struct report__face *f = report__faces;
    struct buf *b = h->out;
    buf_adds(b, "<style>\n");
    buf_addf(b,
             ":root{--gw-title:%s;--gw-body:%s;--gw-hei:%s;--gw-kai:%s;--gw-song:%s;"
             "--gw-line:28.95pt;--gw-red:#ff0000}\n",
             f[FACE_TITLE].css, f[FACE_BODY].css, f[FACE_HEI].css, f[FACE_KAI].css,
             f[FACE_SONG].css);
    /* clang-format off */
    buf_adds(b,
        "html{background:#e6e6e6}\n"
        "body{margin:0;color:#000;font-family:var(--gw-body);font-size:16pt;line-height:var(--gw-line);"
        "-webkit-text-size-adjust:100%;text-size-adjust:100%}\n"
        ".gw-page{box-sizing:border-box;position:relative;width:210mm;min-height:297mm;margin:8mm auto;"
        "padding:37mm 26mm 35mm 28mm;background:#fff;box-shadow:0 .5mm 3mm rgba(0,0,0,.3)}\n"
        ".gw-page p,.gw-page h2,.gw-page h3,.gw-page h4,.gw-page h5{margin:0;font-size:16pt;font-weight:normal;"
        "line-height:var(--gw-line);text-align:justify;text-indent:2em;letter-spacing:-.2pt}\n"
        ".gw-page .gw-h1{font-family:var(--gw-hei)}\n"
        ".gw-page .gw-h2 .gw-hd,.gw-page h3.gw-h2{font-family:var(--gw-kai)}\n"
        ".gw-page .gw-noindent{text-indent:0}.gw-page .gw-center{text-align:center}"
        ".gw-page .gw-right{text-align:right}\n"
        ".gw-page p.gw-small{font-size:14pt}\n"
        "b{font-weight:bold}.num{white-space:nowrap}\n"
        ".gw-page p.gw-mark{color:var(--gw-red);font-family:var(--gw-title);line-height:1;text-align:center;"
        "text-indent:0;letter-spacing:0;white-space:nowrap}\n"
        ".gw-rule{margin:4mm -7mm 0;height:.75pt;border-top:2.25pt solid var(--gw-red);"
        "border-bottom:.75pt solid var(--gw-red)}\n"
        ".gw-rule-low{position:absolute;left:20mm;right:20mm;margin:0;top:calc(277mm - 3.75pt);"
        "border-top-width:.75pt;border-bottom-width:2.25pt}\n"
        ".gw-rule-single{margin:4mm 0 0;height:0;border-top:1.5pt solid var(--gw-red)}\n"
        ".gw-letter .gw-first{padding-top:30mm}\n"
        ".gw-page p.gw-docno{display:flex;justify-content:space-between;margin-top:7pt;text-indent:0}\n"
        ".gw-file .gw-page p.gw-docno{justify-content:center;margin-top:var(--gw-line)}\n"
        ".gw-page p.gw-tl{text-indent:0}\n"
        ".gw-page h1{margin:calc(2*var(--gw-line)) 0 0;font-family:var(--gw-title);font-size:22pt;"
        "font-weight:normal;line-height:var(--gw-line);text-align:center}\n"
        ".gw-plain .gw-first h1{margin-top:0}\n"
        ".gw-page p.gw-to{margin-top:var(--gw-line);text-indent:0}\n"
        ".gw-page p.gw-attach{margin-top:var(--gw-line);padding-left:5em;text-indent:-3em}\n"
        ".gw-sign{margin-top:calc(2*var(--gw-line))}\n"
        ".gw-page .gw-sign p{text-indent:0;text-align:right;white-space:nowrap}\n"
        ".gw-page p.gw-alabel{font-family:var(--gw-hei);text-indent:0}\n"
        ".gw-page h1.gw-atitle{margin:var(--gw-line) 0}\n"
        ".gw-table{width:100%;margin:0 0 .5em;border-collapse:collapse;font-size:14pt;line-height:1.35}\n"
        ".gw-small-table{font-size:10.5pt}\n"
        ".gw-table caption{padding:0 0 .3em;font-weight:bold;line-height:var(--gw-line)}\n"
        ".gw-table th,.gw-table td{padding:.15em .3em;border:.5pt solid #000;vertical-align:middle;"
        "text-align:left}\n"
        ".gw-table th{font-family:var(--gw-hei);font-weight:normal;text-align:center}\n"
        ".gw-table .c{text-align:center}.gw-table .n{text-align:right;white-space:nowrap}\n"
        ".gw-table tr{break-inside:avoid}\n"
        ".gw-break{border:0;margin:0;break-after:page}\n"
        ".gw-banji{margin-top:var(--gw-line);border-top:.35mm solid #000;border-bottom:.35mm solid #000}\n"
        ".gw-page .gw-banji p{font-size:14pt;text-indent:0;padding:0 1em}\n"
        ".gw-page .gw-banji p+p{border-top:.25mm solid #000}\n"
        ".gw-page .gw-banji p.gw-printed{display:flex;justify-content:space-between}\n"
        ".gw-letter .gw-banji{border:0}\n"
        "@page{size:A4;margin:37mm 26mm 35mm 28mm;"
        "@bottom-right{content:\"\\2014\\00a0\" counter(page) \"\\00a0\\2014\";vertical-align:top;"
        "padding:7mm 14pt 0 0;text-align:right;font-family:var(--gw-song);font-size:14pt}}\n"
        "@page :left{@bottom-right{content:none}"
        "@bottom-left{content:\"\\2014\\00a0\" counter(page) \"\\00a0\\2014\";vertical-align:top;"
        "padding:7mm 0 0 14pt;text-align:left;font-family:var(--gw-song);font-size:14pt}}\n"
        "@media print{html{background:none}"
        ".gw-page{width:auto;min-height:0;margin:0;padding:0;box-shadow:none}"
        ".gw-page+.gw-page{break-before:page}"
        ".gw-letter .gw-first{padding-top:0}.gw-rule-low{display:none}}\n");
    /* clang-format on */
    if (h->d->meta.layout == DOC_LAYOUT_LETTER)
        /* Page 1 of a 函: 30 mm to the mark, no number, the thin-over-thick line 20 mm
         * above the bottom edge (a margin box, so it prints on page 1 only). */
        buf_adds(b, "@page :first{margin-top:30mm;@bottom-right{content:none}"
                    "@bottom-center{content:\"\";margin:calc(15mm - 3.75pt) -7mm 0;height:.75pt;"
                    "border-top:.75pt solid #ff0000;border-bottom:2.25pt solid #ff0000}}\n");
    buf_adds(b, "</style>\n");
}

static void head(struct html *h)
{
    const struct doc_meta *m = &h->d->meta;
    struct buf *b = h->out;
    if (m->layout == DOC_LAYOUT_PLAIN) {
        if (m->number && *m->number) {
            buf_adds(b, "<p class=\"gw-noindent gw-right\">");
            text(h, m->number);
            buf_adds(b, "</p>\n");
        }
        return;
    }
    const char *mark = report__mark(&h->a, h->d);
    const char *tl[] = { m->copy_no, m->secret, m->urgency };
    buf_adds(b, "<header class=\"gw-head\">\n");
    int ntl = 0;
    if (m->layout == DOC_LAYOUT_FILE)
        for (int i = 0; i < 3; i++)
            if (tl[i] && *tl[i]) {
                buf_adds(b, "<p class=\"gw-tl\">");
                text(h, tl[i]);
                buf_adds(b, "</p>\n");
                ntl++;
            }
    buf_addf(b, "<p class=\"gw-mark\" style=\"font-size:%dpt", report__mark_pt(mark));
    if (m->layout == DOC_LAYOUT_FILE) /* its top 35 mm below the 版心's */
        buf_addf(b, ";margin-top:calc(35mm - %d*var(--gw-line))", ntl);
    buf_adds(b, "\">");
    text(h, mark);
    buf_adds(b, "</p>\n");
    if (m->layout == DOC_LAYOUT_LETTER) {
        buf_adds(b, "<div class=\"gw-rule\"></div>\n<p class=\"gw-docno\"><span>");
        for (int i = 0; i < 3; i++)
            if (tl[i] && *tl[i]) {
                text(h, tl[i]);
                buf_adds(b, "<br>");
            }
        buf_adds(b, "</span><span>");
        text(h, m->number ? m->number : "");
        buf_adds(b, "</span></p>\n</header>\n<div class=\"gw-rule gw-rule-low\"></div>\n");
        return;
    }
    buf_adds(b, "<p class=\"gw-docno\">");
    text(h, m->number ? m->number : "");
    buf_adds(b, "</p>\n<div class=\"gw-rule-single\"></div>\n</header>\n");
}

static void tail_block(struct html *h)
{
    const struct doc *d = h->d;
    const struct doc_meta *m = &d->meta;
    struct buf *b = h->out;
    if (d->nattach) {
        buf_adds(b, "<p class=\"gw-attach\">附件：");
        for (const struct doc_part *p = d->attachments; p; p = p->next) {
            text(h, report__attach_label(&h->a, d, p, true));
            if (p->next)
                buf_adds(b, "<br>");
        }
        buf_adds(b, "</p>\n");
    }
    bool sig = m->signature && *m->signature;
    if (sig || m->date != DATE_NONE) {
        const char *date = m->date != DATE_NONE ? cn_date(&h->a, m->date) : "";
        buf_adds(b, "<div class=\"gw-sign\">\n");
        if (sig) {
            int ri = report__sign_indent(m->signature, date);
            buf_addf(b, "<p style=\"margin-right:%d.%02dem\">", ri / 100, ri % 100);
            text(h, m->signature);
            buf_adds(b, "</p>\n");
        }
        if (*date)
            buf_addf(b, "<p style=\"margin-right:4em\">%s</p>\n", date);
        buf_adds(b, "</div>\n");
    }
    if (m->note && *m->note) {
        buf_adds(b, "<p class=\"gw-note\">（");
        text(h, m->note);
        buf_adds(b, "）</p>\n");
    }
}

static void banji(struct html *h)
{
    const struct doc_meta *m = &h->d->meta;
    struct buf *b = h->out;
    bool cc, printed;
    if (!report__banji(h->d, &cc, &printed))
        return;
    buf_adds(b, "<footer class=\"gw-banji\">\n");
    if (cc) {
        buf_adds(b, "<p>");
        text(h, report__cc(&h->a, h->d));
        buf_adds(b, "</p>\n");
    }
    if (printed) {
        buf_adds(b, "<p class=\"gw-printed\"><span>");
        text(h, m->printer);
        buf_adds(b, "</span><span>");
        if (m->print_date != DATE_NONE)
            text(h, cn_date(&h->a, m->print_date));
        buf_adds(b, "印发</span></p>\n");
    }
    buf_adds(b, "</footer>\n");
}

enum rc render_html(const struct doc *d, struct buf *out, struct err *err)
{
    if (doc_status(d, err))
        return RC_INVALID;
    struct html h = { .out = out, .d = d };
    const struct doc_meta *m = &d->meta;
    enum rc rc = RC_OK;
    static const char *const layout[] = { "gw-letter", "gw-file", "gw-plain" };

    buf_adds(out, "<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
                  "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
                  "<meta name=\"generator\" content=\"govsite\">\n<title>");
    const char *t = m->title && *m->title ? m->title : report__mark(&h.a, d);
    for (;;) { /* the title's line breaks are layout only */
        size_t n = strcspn(t, "\n");
        esc_html_n(out, t, n);
        if (!t[n])
            break;
        t += n + 1;
    }
    buf_adds(out, "</title>\n");
    css(&h);
    buf_addf(out, "</head>\n<body class=\"%s\">\n<div class=\"gw-page gw-first\">\n",
             layout[m->layout]);
    head(&h);
    if (m->title && *m->title) {
        buf_adds(out, "<h1>");
        text(&h, m->title);
        buf_adds(out, "</h1>\n");
    }
    if (m->to && *m->to) {
        buf_adds(out, "<p class=\"gw-to\">");
        text(&h, report__to(&h.a, d));
        buf_adds(out, "</p>\n");
    }
    if ((rc = report__blocks(&d->body, &visit, &h, err)))
        goto out;
    tail_block(&h);
    for (const struct doc_part *p = d->attachments; p; p = p->next) {
        buf_addf(out, "</div>\n<div class=\"gw-page gw-attachment\" id=\"fj%d\">\n", p->number);
        buf_adds(out, "<p class=\"gw-alabel\">");
        text(&h, report__attach_label(&h.a, d, p, false));
        buf_adds(out, "</p>\n<h1 class=\"gw-atitle\">");
        text(&h, p->title);
        buf_adds(out, "</h1>\n");
        if ((rc = report__blocks(p, &visit, &h, err)))
            goto out;
    }
    banji(&h);
    buf_adds(out, "</div>\n</body>\n</html>\n");
out:
    arena_release(&h.a);
    if (!rc && buf_rc(out))
        rc = err_set(err, RC_LIMIT, "the HTML document is larger than the output limit");
    return rc;
}
