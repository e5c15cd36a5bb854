/* render_md.c - CommonMark with GFM tables (see report.h, docs/report-formats.md).
 *
 * Text is escaped so that nothing in it becomes markup: the inline specials everywhere,
 * and at the start of a line whatever would open a block (#, >, -, +, =, "1.").  Bold
 * runs keep punctuation at their edges outside the ** so CJK emphasis still closes
 * (CommonMark's flanking rules treat 。 and （ as punctuation).
 */
#include <string.h>

#include "core/date.h"
#include "core/str.h"
#include "core/utf8.h"
#include "report/report.h"
#include "report/report_int.h"

struct md {
    struct buf *out;
    struct arena a;
    const struct doc *d;
    bool bol;     /* at the start of a line of the current paragraph */
    bool heading; /* in an ATX heading: # is escaped everywhere */
    int digits;   /* digits written since the start of the line (0: not at a start) */
};

/* Whether the next text starts a line (where block markup could begin). */
static void at_line_start(struct md *m, bool yes)
{
    m->bol = yes;
    m->digits = 0;
}

static bool is_punct(uint32_t cp)
{
    if (cp < 0x80)
        return (cp >= 0x21 && cp <= 0x2F) || (cp >= 0x3A && cp <= 0x40) ||
               (cp >= 0x5B && cp <= 0x60) || (cp >= 0x7B && cp <= 0x7E);
    return (cp >= 0xA1 && cp <= 0xBF) || (cp >= 0x2000 && cp <= 0x206F) ||
           (cp >= 0x3000 && cp <= 0x303F) || (cp >= 0xFE10 && cp <= 0xFE6F) ||
           (cp >= 0xFF01 && cp <= 0xFF0F) || (cp >= 0xFF1A && cp <= 0xFF20) ||
           (cp >= 0xFF3B && cp <= 0xFF40) || (cp >= 0xFF5B && cp <= 0xFF65) || cp == 0x00D7 ||
           cp == 0x00F7;
}

static bool is_space(uint32_t cp)
{
    return cp == ' ' || cp == '\t' || cp == '\n' || cp == 0x3000 || cp == 0xA0;
}

/* Escape n bytes of s.  In a table cell, LF becomes a space and | is escaped; elsewhere
 * LF becomes a hard line break. */
static void esc(struct md *m, const char *s, size_t n, bool cell)
{
    struct buf *b = m->out;
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c == '\n') {
            if (cell) {
                buf_addc(b, ' ');
            } else {
                buf_adds(b, "\\\n");
                at_line_start(m, true);
            }
            i++;
            continue;
        }
        if (m->digits && !cell) {
            /* "1." or "1)" at the start of a line would open a list, even across runs. */
            if (ascii_isdigit(c) && m->digits < 10) {
                buf_addc(b, (char)c);
                m->digits++;
                i++;
                continue;
            }
            m->digits = 0;
            if (c == '.' || c == ')') {
                buf_addc(b, '\\');
                buf_addc(b, (char)c);
                i++;
                continue;
            }
        }
        if (m->bol && !cell) {
            /* Leading blanks would indent (a code block after four). */
            if (c == ' ' || c == '\t') {
                i++;
                continue;
            }
            at_line_start(m, false);
            if (strchr("#>-+=", c)) {
                buf_addc(b, '\\');
                buf_addc(b, (char)c);
                i++;
                continue;
            }
            if (ascii_isdigit(c)) {
                buf_addc(b, (char)c);
                m->digits = 1;
                i++;
                continue;
            }
        }
        if (c == '\t') {
            buf_addc(b, ' ');
        } else if (c < 0x80 && (strchr("\\`*_[]<>&|~!", c) || (c == '#' && m->heading))) {
            buf_addc(b, '\\');
            buf_addc(b, (char)c);
        } else {
            buf_addc(b, (char)c);
        }
        i++;
    }
}

static void esc_s(struct md *m, const char *s, bool cell)
{
    esc(m, s, strlen(s), cell);
}

/* Bytes of the leading (or trailing) run of punctuation and spaces of s[0..n). */
static size_t edge(const char *s, size_t n, bool lead)
{
    if (lead) {
        size_t i = 0, len;
        while (i < n) {
            uint32_t cp = utf8_decode(s + i, n - i, &len);
            if (!is_punct(cp) && !is_space(cp))
                break;
            i += len;
        }
        return i;
    }
    size_t end = n;
    while (end > 0) {
        size_t st = end - 1;
        while (st > 0 && ((unsigned char)s[st] & 0xC0) == 0x80)
            st--;
        size_t len;
        uint32_t cp = utf8_decode(s + st, end - st, &len);
        if (!is_punct(cp) && !is_space(cp))
            break;
        end = st;
    }
    return n - end;
}

static void bold(struct md *m, const char *s, bool cell)
{
    size_t n = strlen(s);
    size_t l = edge(s, n, true);
    if (l == n || strchr(s, '\n')) {
        esc(m, s, n, cell); /* nothing to embolden, or a line break inside */
        return;
    }
    size_t t = edge(s + l, n - l, false);
    esc(m, s, l, cell);
    buf_adds(m->out, "**");
    at_line_start(m, false);
    esc(m, s + l, n - l - t, cell);
    buf_adds(m->out, "**");
    esc(m, s + n - t, t, cell);
}

static void runs(struct md *m, const struct doc_run *r, bool cell)
{
    for (; r; r = r->next) {
        if (r->style == DOC_RUN_BOLD)
            bold(m, r->text, cell);
        else
            esc_s(m, r->text, cell);
    }
}

static void title(struct md *m, const char *prefix, const char *s);

static void line(struct md *m, const char *s)
{
    at_line_start(m, true);
    esc_s(m, s, false);
    buf_adds(m->out, "\n\n");
}

static void para(void *ctx, const struct doc_para *p)
{
    struct md *m = ctx;
    struct buf *b = m->out;
    if (!p->level && !p->runs)
        return;
    if (p->level && !p->runs) {
        /* A standalone heading: ## for 一、, ### for （一）, ... */
        static const char *const hashes[] = { "## ", "### ", "#### ", "##### " };
        title(m, hashes[p->level - 1], arena_fmt(&m->a, "%s%s", p->label, p->title));
        return;
    }
    at_line_start(m, true);
    if (p->level) {
        /* Run-in: the heading reads as the start of the paragraph, as in the 公文. */
        esc_s(m, p->label, false);
        esc_s(m, p->title, false);
    }
    runs(m, p->runs, false);
    if (b->n && b->p[b->n - 1] == '\n' && m->bol)
        buf_truncate(b, b->n >= 2 && b->p[b->n - 2] == '\\' ? b->n - 2 : b->n);
    buf_adds(b, "\n\n");
}

static void cell_text(struct md *m, const struct doc_cell *c)
{
    if (c->bold && c->kind == DOC_CELL_TEXT)
        bold(m, c->text, true);
    else
        esc_s(m, c->text, true);
}

static void table(void *ctx, const struct doc_table *t, const struct report__grid *grid)
{
    struct md *m = ctx;
    const struct report__grid g = *grid;
    struct buf *b = m->out;
    if (t->caption && *t->caption) {
        at_line_start(m, true);
        bold(m, t->caption, false);
        buf_adds(b, "\n\n");
    }
    int nc = g.ncols;
    /* GFM has one header row: each column's header is its header texts top to bottom. */
    buf_addc(b, '|');
    for (int c = 0; c < nc; c++) {
        buf_addc(b, ' ');
        const struct doc_cell *prev = NULL;
        bool first = true;
        for (int r = 0; r < g.nhead; r++) {
            const struct doc_cell *cell = g.at[r * nc + c];
            if (!cell || cell == prev || !*cell->text)
                continue;
            if (!first)
                buf_adds(b, " / ");
            esc_s(m, cell->text, true);
            first = false;
            prev = cell;
        }
        buf_adds(b, " |");
    }
    buf_addc(b, '\n');
    buf_addc(b, '|');
    for (int c = 0; c < nc; c++)
        buf_adds(b, report__numeric_col(&g, c) ? " ---: |" : " --- |");
    buf_addc(b, '\n');
    for (int r = g.nhead; r < g.nrows; r++) {
        buf_addc(b, '|');
        for (int c = 0; c < nc; c++) {
            int i = r * nc + c;
            buf_addc(b, ' ');
            if (g.at[i] && g.origin[i])
                cell_text(m, g.at[i]);
            buf_adds(b, " |");
        }
        buf_addc(b, '\n');
    }
    buf_addc(b, '\n');
}

/* A heading: its lines joined (the line breaks of a 公文 title are layout only). */
static void title(struct md *m, const char *prefix, const char *s)
{
    buf_adds(m->out, prefix);
    at_line_start(m, false);
    m->heading = true;
    for (const char *p = s; *p;) {
        const char *e = strchr(p, '\n');
        size_t n = e ? (size_t)(e - p) : strlen(p);
        esc(m, p, n, false);
        p += n + (e ? 1 : 0);
    }
    m->heading = false;
    buf_adds(m->out, "\n\n");
}

static void pagebreak(void *ctx)
{
    struct md *m = ctx;
    buf_adds(m->out, "---\n\n");
}

static const struct report__visitor visit = { para, table, pagebreak };

enum rc render_md(const struct doc *d, struct buf *out, struct err *err)
{
    if (doc_status(d, err))
        return RC_INVALID;
    struct md m = { .out = out, .d = d };
    const struct doc_meta *meta = &d->meta;
    enum rc rc = RC_OK;

    /* 版头 */
    if (meta->copy_no)
        line(&m, meta->copy_no);
    if (meta->secret)
        line(&m, meta->secret);
    if (meta->urgency)
        line(&m, meta->urgency);
    if (meta->layout != DOC_LAYOUT_PLAIN) {
        at_line_start(&m, true);
        bold(&m, report__mark(&m.a, d), false);
        buf_adds(out, "\n\n");
    }
    if (meta->number && *meta->number)
        line(&m, meta->number);
    if (meta->layout != DOC_LAYOUT_PLAIN)
        buf_adds(out, "---\n\n");
    if (meta->title && *meta->title)
        title(&m, "# ", meta->title);
    if (meta->to && *meta->to)
        line(&m, report__to(&m.a, d));

    if ((rc = report__blocks(&d->body, &visit, &m, err)))
        goto out;

    /* 附件说明 */
    if (d->nattach) {
        buf_adds(out, "附件：");
        at_line_start(&m, false);
        for (const struct doc_part *p = d->attachments; p; p = p->next) {
            esc_s(&m, report__attach_label(&m.a, d, p, true), false);
            if (p->next) {
                buf_adds(out, "\\\n");
                at_line_start(&m, true);
            }
        }
        buf_adds(out, "\n\n");
    }
    /* 署名 and 成文日期 */
    bool sig = meta->signature && *meta->signature;
    if (sig || meta->date != DATE_NONE) {
        at_line_start(&m, true);
        if (sig)
            esc_s(&m, meta->signature, false);
        if (sig && meta->date != DATE_NONE) {
            buf_adds(out, "\\\n");
            at_line_start(&m, true);
        }
        if (meta->date != DATE_NONE)
            esc_s(&m, cn_date(&m.a, meta->date), false);
        buf_adds(out, "\n\n");
    }
    if (meta->note && *meta->note)
        line(&m, arena_fmt(&m.a, "（%s）", meta->note));

    for (const struct doc_part *p = d->attachments; p; p = p->next) {
        buf_adds(out, "---\n\n");
        line(&m, report__attach_label(&m.a, d, p, false));
        title(&m, "# ", p->title);
        if ((rc = report__blocks(p, &visit, &m, err)))
            goto out;
    }

    /* 版记 */
    bool cc, printed;
    if (report__banji(d, &cc, &printed)) {
        buf_adds(out, "---\n\n");
        if (cc)
            line(&m, report__cc(&m.a, d));
        if (printed) {
            const char *when = meta->print_date != DATE_NONE ? cn_date(&m.a, meta->print_date) : "";
            line(&m, arena_fmt(&m.a, "%s　　%s印发", meta->printer, when));
        }
    }
    /* One final newline, not two. */
    if (out->n >= 2 && out->p[out->n - 1] == '\n' && out->p[out->n - 2] == '\n')
        buf_truncate(out, out->n - 1);
out:
    arena_release(&m.a);
    if (!rc && buf_rc(out))
        rc = err_set(err, RC_LIMIT, "the Markdown document is larger than the output limit");
    return rc;
}
