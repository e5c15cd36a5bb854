/* doc.c - the document model and its builders (see doc.h). */
#include "report/doc.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "report/report_int.h"

#define MAX_COLS 64
#define MAX_SPAN 10000

static void bad(struct doc *d, const char *fmt, ...) FMT_PRINTF(2, 3);
static void bad(struct doc *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(&d->err, RC_INVALID, fmt, ap);
    va_end(ap);
}

/* Clean text for the model: valid UTF-8, LF line ends, no control characters but TAB
 * and LF, no U+FFFE/U+FFFF (XML forbids them). */
void report__clean(struct buf *b, const char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x80) {
            if (c == '\r') {
                buf_addc(b, '\n');
                i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
                continue;
            }
            if (c >= 0x20 && c != 0x7F)
                buf_addc(b, (char)c);
            else if (c == '\t' || c == '\n')
                buf_addc(b, (char)c);
            i++;
            continue;
        }
        size_t len;
        uint32_t cp = utf8_decode(s + i, n - i, &len);
        i += len;
        if ((cp >= 0x80 && cp < 0xA0) || cp == 0xFFFE || cp == 0xFFFF)
            continue;
        utf8_encode(b, cp);
    }
}

const char *doc_str(struct doc *d, const char *s)
{
    if (!s)
        return "";
    size_t n = strlen(s), i = 0;
    /* Fast path: plain printable ASCII and valid UTF-8 without controls. */
    for (; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c < 0x20 || c == 0x7F || c >= 0x80)
            break;
    }
    if (i == n)
        return arena_strndup(&d->arena, s, n);
    struct buf b = BUF_INIT;
    report__clean(&b, s, n);
    char *r = arena_strndup(&d->arena, buf_cstr(&b), b.n);
    buf_release(&b);
    return r;
}

const char *doc_strf(struct doc *d, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    const char *r = doc_str(d, buf_cstr(&b));
    buf_release(&b);
    return r;
}

static const char *opt(struct doc *d, const char *s)
{
    return s ? doc_str(d, s) : NULL;
}

static void part_init(struct doc_part *p, int number, const char *title)
{
    p->number = number;
    p->title = title;
    p->blocks = NULL;
    p->tail = &p->blocks;
}

struct doc *doc_new(const struct doc_meta *m)
{
    struct doc *d = XNEW(struct doc);
    struct doc_meta z = { .date = DATE_NONE, .print_date = DATE_NONE };
    if (!m)
        m = &z;
    d->meta.layout = m->layout;
    d->meta.office = opt(d, m->office);
    d->meta.mark = opt(d, m->mark);
    d->meta.number = opt(d, m->number);
    d->meta.title = opt(d, m->title);
    d->meta.to = opt(d, m->to);
    d->meta.date = m->date;
    d->meta.signature = m->signature ? doc_str(d, m->signature) : d->meta.office;
    d->meta.note = opt(d, m->note);
    d->meta.cc = opt(d, m->cc);
    d->meta.printer = opt(d, m->printer);
    d->meta.print_date = m->print_date;
    d->meta.copy_no = opt(d, m->copy_no);
    d->meta.secret = opt(d, m->secret);
    d->meta.urgency = opt(d, m->urgency);
    d->meta.author = m->author ? doc_str(d, m->author) : d->meta.office;
    part_init(&d->body, 0, NULL);
    d->atail = &d->attachments;
    d->cur = &d->body;
    if (m->layout != DOC_LAYOUT_LETTER && m->layout != DOC_LAYOUT_FILE &&
        m->layout != DOC_LAYOUT_PLAIN)
        bad(d, "document layout %d is not one of letter, file, plain", (int)m->layout);
    else if (m->layout != DOC_LAYOUT_PLAIN && str_empty(d->meta.office) && str_empty(d->meta.mark))
        bad(d, "a letter or file document needs the issuing office; set office");
    return d;
}

void doc_free(struct doc *d)
{
    if (!d)
        return;
    arena_release(&d->arena);
    free(d);
}

enum rc doc_status(const struct doc *d, struct err *err)
{
    if (!d->err.rc)
        return RC_OK;
    return err_set(err, d->err.rc, "%s", d->err.msg);
}

static struct doc_block *block(struct doc *d, enum doc_block_kind kind)
{
    struct doc_block *b = arena_alloc(&d->arena, sizeof(*b));
    b->kind = kind;
    *d->cur->tail = b;
    d->cur->tail = &b->next;
    return b;
}

/* --- paragraphs and headings --- */

static const char *label_for(struct doc *d, int level, int n)
{
    struct buf b = BUF_INIT;
    switch (level) {
    case 1:
        buf_adds(&b, cn_numeral(&d->arena, n));
        buf_adds(&b, "、");
        break;
    case 2:
        buf_adds(&b, "（");
        buf_adds(&b, cn_numeral(&d->arena, n));
        buf_adds(&b, "）");
        break;
    case 3:
        buf_addf(&b, "%d.", n);
        break;
    default:
        buf_addf(&b, "（%d）", n);
        break;
    }
    const char *r = arena_strndup(&d->arena, buf_cstr(&b), b.n);
    buf_release(&b);
    return r;
}

static struct doc_para *para_block(struct doc *d)
{
    struct doc_block *b = block(d, DOC_BLOCK_PARA);
    b->para.tail = &b->para.runs;
    b->para.owner = d;
    return &b->para;
}

struct doc_para *doc_heading_at(struct doc *d, int level, int n, const char *title)
{
    struct doc_para *p = para_block(d);
    if (level < 1 || level > 4) {
        bad(d, "heading level %d for '%s' is out of range; use 1 to 4", level, title ? title : "");
        level = level < 1 ? 1 : 4;
    }
    if (n < 1 || n > 9999) {
        bad(d, "heading number %d for '%s' is out of range; use 1 to 9999", n, title ? title : "");
        n = 1;
    }
    int *c = d->cur->counter;
    c[level - 1] = n;
    for (int i = level; i < 4; i++)
        c[i] = 0;
    p->level = level;
    p->label = label_for(d, level, n);
    p->title = doc_str(d, title);
    return p;
}

struct doc_para *doc_heading(struct doc *d, int level, const char *title)
{
    int n = (level >= 1 && level <= 4) ? d->cur->counter[level - 1] + 1 : 1;
    return doc_heading_at(d, level, n, title);
}

struct doc_para *doc_para(struct doc *d, const char *text)
{
    struct doc_para *p = para_block(d);
    if (text)
        doc_text(p, text);
    return p;
}

void doc_para_flags(struct doc_para *p, unsigned flags)
{
    p->flags = flags;
}

void doc_run(struct doc_para *p, enum doc_run_style style, const char *text)
{
    if (!text || !*text)
        return;
    struct doc *d = p->owner;
    struct doc_run *r = arena_alloc(&d->arena, sizeof(*r));
    r->style = style;
    r->text = doc_str(d, text);
    *p->tail = r;
    p->tail = &r->next;
}

void doc_text(struct doc_para *p, const char *text)
{
    doc_run(p, DOC_RUN_PLAIN, text);
}

void doc_bold(struct doc_para *p, const char *text)
{
    doc_run(p, DOC_RUN_BOLD, text);
}

void doc_textf(struct doc_para *p, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    doc_run(p, DOC_RUN_PLAIN, buf_cstr(&b));
    buf_release(&b);
}

void doc_int(struct doc_para *p, int64_t n)
{
    doc_run(p, DOC_RUN_NUMBER, cn_int(&p->owner->arena, n));
}

void doc_pct(struct doc_para *p, int64_t num, int64_t den, int decimals)
{
    const char *s = cn_percent(&p->owner->arena, num, den, decimals);
    if (!s) {
        bad(p->owner,
            "percentage %lld/%lld cannot be written; say it in words when nothing was counted",
            (long long)num, (long long)den);
        return;
    }
    doc_run(p, DOC_RUN_NUMBER, s);
}

void doc_date(struct doc_para *p, int32_t day)
{
    doc_run(p, DOC_RUN_PLAIN, cn_date(&p->owner->arena, day));
}

void doc_date_md(struct doc_para *p, int32_t day)
{
    doc_run(p, DOC_RUN_PLAIN, cn_date_md(&p->owner->arena, day));
}

void doc_page_break(struct doc *d)
{
    block(d, DOC_BLOCK_PAGEBREAK);
}

/* --- tables --- */

struct doc_table *doc_table(struct doc *d, const char *caption, int ncols)
{
    struct doc_block *b = block(d, DOC_BLOCK_TABLE);
    struct doc_table *t = &b->table;
    t->owner = d;
    t->caption = caption ? doc_str(d, caption) : NULL;
    d->ntables++;
    t->where = t->caption && *t->caption ? doc_strf(d, "table '%s'", t->caption)
                                         : doc_strf(d, "table %d", d->ntables);
    if (ncols < 1 || ncols > MAX_COLS) {
        bad(d, "%s has %d columns; use 1 to %d", t->where, ncols, MAX_COLS);
        ncols = ncols < 1 ? 1 : MAX_COLS;
    }
    t->ncols = ncols;
    t->tail = &t->rows;
    return t;
}

void doc_table_widths(struct doc_table *t, const int *w)
{
    struct doc *d = t->owner;
    int *c = arena_alloc(&d->arena, sizeof(int) * (size_t)t->ncols);
    for (int i = 0; i < t->ncols; i++) {
        if (w[i] < 1 || w[i] > 1000) {
            bad(d, "%s: column %d has width %d; use 1 to 1000", t->where, i + 1, w[i]);
            return;
        }
        c[i] = w[i];
    }
    t->widths = c;
}

void doc_table_flags(struct doc_table *t, unsigned flags)
{
    t->flags = flags;
}

static void row_add(struct doc_table *t, bool header)
{
    struct doc *d = t->owner;
    if (header && t->has_body)
        bad(d, "%s: header row %d comes after a body row; add header rows first", t->where,
            t->nrows + 1);
    if (!header)
        t->has_body = true;
    struct doc_row *r = arena_alloc(&d->arena, sizeof(*r));
    r->header = header;
    r->tail = &r->cells;
    *t->tail = r;
    t->tail = &r->next;
    t->last = r;
    t->nrows++;
}

void doc_table_head(struct doc_table *t)
{
    row_add(t, true);
}

void doc_table_row(struct doc_table *t)
{
    row_add(t, false);
}

static struct doc_cell *cell_add(struct doc_table *t, enum doc_cell_kind kind, const char *text)
{
    struct doc *d = t->owner;
    if (!t->last) {
        bad(d, "%s: a cell comes before any row; call doc_table_row first", t->where);
        doc_table_row(t);
    }
    struct doc_cell *c = arena_alloc(&d->arena, sizeof(*c));
    c->kind = kind;
    c->text = text;
    c->colspan = c->rowspan = 1;
    c->bold = t->last->header;
    *t->last->tail = c;
    t->last->tail = &c->next;
    return c;
}

struct doc_cell *doc_cell(struct doc_table *t, const char *text)
{
    return cell_add(t, DOC_CELL_TEXT, doc_str(t->owner, text));
}

struct doc_cell *doc_cell_int(struct doc_table *t, int64_t v)
{
    struct doc_cell *c = cell_add(t, DOC_CELL_INT, cn_int(&t->owner->arena, v));
    c->num = (double)v;
    return c;
}

struct doc_cell *doc_cell_dec(struct doc_table *t, double v, int decimals)
{
    if (decimals < 0 || decimals > 6)
        decimals = decimals < 0 ? 0 : 6;
    if (!(v == v) || v > 1e15 || v < -1e15) {
        bad(t->owner, "%s: number out of range", t->where);
        v = 0;
    }
    struct doc_cell *c = cell_add(t, DOC_CELL_DEC, doc_strf(t->owner, "%.*f", decimals, v));
    c->num = v;
    c->decimals = decimals;
    return c;
}

struct doc_cell *doc_cell_pct(struct doc_table *t, int64_t num, int64_t den, int decimals)
{
    if (decimals < 0 || decimals > 4)
        decimals = decimals < 0 ? 0 : 4;
    const char *s = report__pct_fixed(&t->owner->arena, num, den, decimals);
    if (!s)
        return cell_add(t, DOC_CELL_TEXT, "—");
    struct doc_cell *c = cell_add(t, DOC_CELL_PCT, s);
    c->num = (double)num / (double)den;
    c->decimals = decimals;
    return c;
}

void doc_cell_span(struct doc_cell *c, int cols, int rows)
{
    c->colspan = cols < 1 ? 1 : cols > MAX_COLS ? MAX_COLS + 1 : cols;
    c->rowspan = rows < 1 ? 1 : rows > MAX_SPAN ? MAX_SPAN : rows;
}

void doc_cell_align(struct doc_cell *c, enum doc_align a)
{
    c->align = a;
}

/* --- attachments --- */

int doc_attachment(struct doc *d, const char *title)
{
    struct doc_part *p = arena_alloc(&d->arena, sizeof(*p));
    part_init(p, ++d->nattach, doc_str(d, title));
    if (!*p->title)
        bad(d, "attachment %d has no title; every 附件 needs one", p->number);
    *d->atail = p;
    d->atail = &p->next;
    d->cur = p;
    return p->number;
}

void doc_select(struct doc *d, int n)
{
    if (n == 0) {
        d->cur = &d->body;
        return;
    }
    for (struct doc_part *p = d->attachments; p; p = p->next)
        if (p->number == n) {
            d->cur = p;
            return;
        }
    bad(d, "attachment %d does not exist; the document has %d", n, d->nattach);
}
