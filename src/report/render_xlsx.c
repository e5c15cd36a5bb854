/* render_xlsx.c - every table as a worksheet (libxlsxwriter; see report.h).
 *
 * One sheet per table, body first, then the attachments in order.  A sheet holds the
 * caption as a title row, the header rows (bold, grey, repeated on printed pages and
 * frozen on screen) and the body rows, with numbers as numbers in their formats, merged
 * cells for spans, column widths fitted to CJK text, and print setup A4, fit to one page
 * wide.  A document without tables gives one sheet holding its text, one block a row.
 *
 * libxlsxwriter writes to a file; we write a private temporary file and read it back.
 * The workbook's `created` time is fixed (report.h), which also fixes libxlsxwriter's zip
 * entry times, so the archive is the same for the same document.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <xlsxwriter.h>

#include "core/date.h"
#include "core/str.h"
#include "core/utf8.h"
#include "report/report.h"
#include "report/report_int.h"

#define XLSX_FONT     "宋体"
#define XLSX_MAX_ROWS 1048576
#define XLSX_MAX_STR  32767
#define SHEET_MAX     31

struct xlsx {
    const struct doc *d;
    lxw_workbook *wb;
    struct arena a;
    lxw_format *title, *head, *text, *text_bold;
    lxw_format *fmt_cache[3][7]; /* number formats by kind (int, dec, pct) and decimals */
    struct buf names;            /* NUL-separated sheet names in use */
    int sheets;
};

static lxw_format *fmt_new(struct xlsx *x, bool border)
{
    lxw_format *f = workbook_add_format(x->wb);
    format_set_font_name(f, XLSX_FONT);
    format_set_font_size(f, 11);
    format_set_align(f, LXW_ALIGN_VERTICAL_CENTER);
    if (border)
        format_set_border(f, LXW_BORDER_THIN);
    return f;
}

static void formats(struct xlsx *x)
{
    x->title = fmt_new(x, false);
    format_set_bold(x->title);
    format_set_font_size(x->title, 14);
    format_set_align(x->title, LXW_ALIGN_CENTER);
    x->head = fmt_new(x, true);
    format_set_bold(x->head);
    format_set_text_wrap(x->head);
    format_set_align(x->head, LXW_ALIGN_CENTER);
    format_set_bg_color(x->head, 0xD9D9D9);
    x->text = fmt_new(x, true);
    format_set_text_wrap(x->text);
    x->text_bold = fmt_new(x, true);
    format_set_text_wrap(x->text_bold);
    format_set_bold(x->text_bold);
}

/* The number format for a cell kind and decimals, made once. */
static lxw_format *num_fmt(struct xlsx *x, const struct doc_cell *c)
{
    int k = c->kind == DOC_CELL_INT ? 0 : c->kind == DOC_CELL_DEC ? 1 : 2;
    int dec = c->kind == DOC_CELL_INT ? 0 : c->decimals;
    if (dec > 6)
        dec = 6;
    if (!x->fmt_cache[k][dec]) {
        lxw_format *f = fmt_new(x, true);
        char pat[16] = "0";
        size_t n = 1;
        if (dec) {
            pat[n++] = '.';
            for (int i = 0; i < dec; i++)
                pat[n++] = '0';
        }
        if (k == 2)
            pat[n++] = '%';
        pat[n] = 0;
        format_set_num_format(f, pat);
        x->fmt_cache[k][dec] = f;
    }
    return x->fmt_cache[k][dec];
}

/* Cell text within Excel's limit (never splitting a UTF-8 sequence). */
static const char *cell_str(struct xlsx *x, const char *s)
{
    size_t n = strlen(s);
    if (n <= XLSX_MAX_STR)
        return s;
    size_t k = XLSX_MAX_STR;
    while (k > 0 && ((unsigned char)s[k] & 0xC0) == 0x80)
        k--;
    return arena_strndup(&x->a, s, k);
}

static bool name_used(struct xlsx *x, const char *name)
{
    for (size_t i = 0; i < x->names.n; i += strlen(x->names.p + i) + 1)
        if (!ascii_casecmp(x->names.p + i, name))
            return true;
    return false;
}

/* A valid, unique sheet name from `want`: at most 31 characters, none of []:*?/\, not
 * starting or ending with an apostrophe, not "History", unique ignoring ASCII case. */
static const char *sheet_name(struct xlsx *x, const char *want)
{
    struct buf b = BUF_INIT;
    size_t n = strlen(want), i = 0, len, chars = 0;
    while (i < n && chars < SHEET_MAX) {
        uint32_t cp = utf8_decode(want + i, n - i, &len);
        i += len;
        if (cp == '\n' || cp == '\t') {
            buf_addc(&b, ' ');
        } else if (cp < 0x20 || (cp < 0x80 && strchr("[]:*?/\\", (int)cp))) {
            buf_addc(&b, '_');
        } else if (cp > 0xFFFF) {
            continue; /* Excel counts UTF-16 units; keep to the BMP */
        } else {
            utf8_encode(&b, cp);
        }
        chars++;
    }
    while (b.n && (b.p[0] == '\'' || b.p[0] == ' ')) {
        memmove(b.p, b.p + 1, b.n);
        b.n--;
    }
    while (b.n && (b.p[b.n - 1] == '\'' || b.p[b.n - 1] == ' '))
        buf_truncate(&b, b.n - 1);
    if (!b.n || !ascii_casecmp(buf_cstr(&b), "History"))
        buf_adds(&b, b.n ? "_" : "Sheet");
    const char *base = arena_strdup(&x->a, buf_cstr(&b));
    buf_release(&b);
    const char *name = base;
    for (int k = 2; name_used(x, name); k++) {
        char suf[16];
        snprintf(suf, sizeof(suf), "(%d)", k);
        size_t keep = utf8_prefix_bytes(base, strlen(base), SHEET_MAX - strlen(suf));
        name = arena_fmt(&x->a, "%.*s%s", (int)keep, base, suf);
    }
    buf_add(&x->names, name, strlen(name) + 1);
    return name;
}

/* Widest line of s in Excel character units (a CJK character is about two). */
static double text_units(const char *s)
{
    double best = 0;
    const char *p = s;
    while (*p) {
        size_t n = strcspn(p, "\n");
        char *line = strndup(p, n);
        double w = (double)cn_width(line) * 1.1;
        free(line);
        if (w > best)
            best = w;
        p += n + (p[n] ? 1 : 0);
    }
    return best;
}

static enum rc check(lxw_error e, const char *what, struct err *err)
{
    if (e == LXW_NO_ERROR)
        return RC_OK;
    return err_set(err, RC_INTERNAL, "cannot write %s to the workbook: %s", what, lxw_strerror(e));
}

/* A table as a sheet: `title` heads it (the caption, or the attachment it belongs to). */
static enum rc table_sheet(struct xlsx *x, const struct doc_table *t, const char *title,
                           struct err *err)
{
    struct report__grid g;
    if (report__grid(t, &g, err))
        return RC_INVALID;
    enum rc rc = RC_OK;
    int nc = g.ncols, top = *title ? 1 : 0;
    if (g.nrows + top > XLSX_MAX_ROWS) {
        rc = err_set(err, RC_LIMIT, "%s has %d rows, more than a worksheet holds", t->where,
                     g.nrows);
        goto out;
    }
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, sheet_name(x, *title ? title : t->where));
    if (!ws) {
        rc = err_set(err, RC_INTERNAL, "cannot add a worksheet for %s", t->where);
        goto out;
    }
    x->sheets++;
    worksheet_set_paper(ws, 9); /* A4 */
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_margins(ws, 0.6, 0.6, 0.75, 0.75);
    worksheet_set_footer(ws, "&C— &P —");
    if (nc > 6)
        worksheet_set_landscape(ws);
    if (top) {
        if (nc > 1)
            rc = check(worksheet_merge_range(ws, 0, 0, 0, (lxw_col_t)(nc - 1), cell_str(x, title),
                                             x->title),
                       t->where, err);
        else
            rc = check(worksheet_write_string(ws, 0, 0, cell_str(x, title), x->title), t->where,
                       err);
        worksheet_set_row(ws, 0, 24, NULL);
        if (rc)
            goto out;
    }
    double width[64];
    for (int c = 0; c < nc; c++)
        width[c] = 6;
    for (int r = 0; r < g.nrows; r++)
        for (int c = 0; c < nc; c++) {
            int i = r * nc + c;
            if (g.origin[i] && g.at[i]->colspan == 1) {
                double w = text_units(g.at[i]->text) + 2;
                if (w > width[c])
                    width[c] = w > 50 ? 50 : w;
            }
        }
    for (int c = 0; c < nc; c++)
        worksheet_set_column(ws, (lxw_col_t)c, (lxw_col_t)c, width[c], NULL);
    for (int r = 0; r < g.nrows; r++) {
        bool header = r < g.nhead;
        lxw_row_t row = (lxw_row_t)(r + top);
        int lines = 1;
        for (int c = 0; c < nc; c++) {
            int i = r * nc + c;
            const struct doc_cell *cell = g.at[i];
            if (!cell) {
                worksheet_write_blank(ws, row, (lxw_col_t)c, header ? x->head : x->text);
                continue;
            }
            if (!g.origin[i])
                continue;
            lxw_format *f = header                        ? x->head
                            : cell->kind != DOC_CELL_TEXT ? num_fmt(x, cell)
                            : cell->bold                  ? x->text_bold
                                                          : x->text;
            if (!header && cell->kind == DOC_CELL_TEXT &&
                report__align(cell, false) != DOC_ALIGN_LEFT) {
                /* An explicit alignment on a text cell: keep the borders, add the alignment. */
                lxw_format *af = fmt_new(x, true);
                format_set_text_wrap(af);
                if (cell->bold)
                    format_set_bold(af);
                format_set_align(af, report__align(cell, false) == DOC_ALIGN_CENTER
                                         ? LXW_ALIGN_CENTER
                                         : LXW_ALIGN_RIGHT);
                f = af;
            }
            int last_r = r + cell->rowspan - 1, last_c = c + cell->colspan - 1;
            lxw_error e;
            if (last_r > r || last_c > c) {
                e = worksheet_merge_range(
                    ws, row, (lxw_col_t)c, (lxw_row_t)(last_r + top), (lxw_col_t)last_c,
                    cell->kind == DOC_CELL_TEXT ? cell_str(x, cell->text) : "", f);
                if (!e && cell->kind != DOC_CELL_TEXT)
                    e = worksheet_write_number(ws, row, (lxw_col_t)c, cell->num, f);
            } else if (cell->kind != DOC_CELL_TEXT) {
                e = worksheet_write_number(ws, row, (lxw_col_t)c, cell->num, f);
            } else {
                e = worksheet_write_string(ws, row, (lxw_col_t)c, cell_str(x, cell->text), f);
            }
            if ((rc = check(e, t->where, err)))
                goto out;
            if (cell->colspan == 1 && cell->rowspan == 1) {
                int l = (int)(text_units(cell->text) / (width[c] - 1)) + 1;
                for (const char *p = cell->text; (p = strchr(p, '\n')); p++)
                    l++;
                if (l > lines)
                    lines = l;
            }
        }
        if (lines > 1)
            worksheet_set_row(ws, row, 14.25 * (lines > 20 ? 20 : lines), NULL);
    }
    if (g.nhead) {
        worksheet_freeze_panes(ws, (lxw_row_t)(g.nhead + top), 0);
        worksheet_repeat_rows(ws, (lxw_row_t)top, (lxw_row_t)(g.nhead + top - 1));
    }
out:
    report__grid_release(&g);
    return rc;
}

static enum rc part_tables(struct xlsx *x, const struct doc_part *p, struct err *err)
{
    int k = 0;
    for (const struct doc_block *bl = p->blocks; bl; bl = bl->next) {
        if (bl->kind != DOC_BLOCK_TABLE)
            continue;
        const struct doc_table *t = &bl->table;
        k++;
        const char *title;
        if (t->caption && *t->caption)
            title = t->caption;
        else if (p->number)
            title =
                arena_fmt(&x->a, "%s %s", report__attach_label(&x->a, x->d, p, false), p->title);
        else
            title = arena_fmt(&x->a, "表%d", k);
        enum rc rc = table_sheet(x, t, title, err);
        if (rc)
            return rc;
    }
    return RC_OK;
}

/* No tables: the document's text, one block a row. */
static enum rc text_sheet(struct xlsx *x, struct err *err)
{
    const struct doc *d = x->d;
    const char *name = d->meta.title && *d->meta.title ? d->meta.title : "正文";
    lxw_worksheet *ws = workbook_add_worksheet(x->wb, sheet_name(x, name));
    if (!ws)
        return err_set(err, RC_INTERNAL, "cannot add a worksheet");
    worksheet_set_paper(ws, 9);
    worksheet_fit_to_pages(ws, 1, 0);
    worksheet_set_column(ws, 0, 0, 100, NULL);
    lxw_format *wrap = fmt_new(x, false);
    format_set_text_wrap(wrap);
    lxw_row_t row = 0;
    if (d->meta.title && *d->meta.title)
        worksheet_write_string(ws, row++, 0, cell_str(x, d->meta.title), x->title);
    for (const struct doc_part *p = &d->body; p; p = p == &d->body ? d->attachments : p->next) {
        if (p->number)
            worksheet_write_string(
                ws, row++, 0,
                arena_fmt(&x->a, "%s %s", report__attach_label(&x->a, d, p, false), p->title),
                x->title);
        for (const struct doc_block *bl = p->blocks; bl && row < XLSX_MAX_ROWS; bl = bl->next) {
            if (bl->kind != DOC_BLOCK_PARA)
                continue;
            struct buf b = BUF_INIT;
            const struct doc_para *pa = &bl->para;
            if (pa->level) {
                buf_adds(&b, pa->label);
                buf_adds(&b, pa->title);
            }
            for (const struct doc_run *r = pa->runs; r; r = r->next)
                buf_adds(&b, r->text);
            if (b.n) {
                lxw_error e = worksheet_write_string(ws, row++, 0, cell_str(x, buf_cstr(&b)), wrap);
                buf_release(&b);
                if (e)
                    return check(e, "a paragraph", err);
            }
            buf_release(&b);
        }
    }
    return RC_OK;
}

enum rc render_xlsx(const struct doc *d, struct buf *out, struct err *err)
{
    if (doc_status(d, err))
        return RC_INVALID;
    const char *tmp = getenv("TMPDIR");
    char path[4096];
    snprintf(path, sizeof(path), "%s/govsite-xlsx-XXXXXX", tmp && *tmp ? tmp : "/tmp");
    int fd = mkstemp(path);
    if (fd < 0)
        return err_set(err, RC_IO,
                       "cannot create a temporary file in '%s' for the workbook; set TMPDIR",
                       tmp && *tmp ? tmp : "/tmp");
    close(fd);
    struct xlsx x = { .d = d };
    enum rc rc = RC_OK;
    x.wb = workbook_new(path);
    if (!x.wb) {
        unlink(path);
        return err_set(err, RC_IO, "cannot create the workbook '%s'", path);
    }
    const struct doc_meta *m = &d->meta;
    lxw_doc_properties props = {
        .title = (char *)(m->title ? m->title : ""),
        .subject = (char *)(m->number ? m->number : ""),
        .author = (char *)(m->author ? m->author : ""),
        .company = (char *)(m->office ? m->office : ""),
        .comments = (char *)"govsite",
        .created = (time_t)report__epoch(m->date),
    };
    workbook_set_properties(x.wb, &props);
    formats(&x);
    if (!(rc = part_tables(&x, &d->body, err)))
        for (const struct doc_part *p = d->attachments; p && !rc; p = p->next)
            rc = part_tables(&x, p, err);
    if (!rc && !x.sheets)
        rc = text_sheet(&x, err);
    lxw_error e = workbook_close(x.wb);
    if (!rc && e)
        rc = err_set(err, RC_IO, "cannot write the workbook: %s", lxw_strerror(e));
    if (!rc)
        rc = buf_read_file(out, path, err);
    if (!rc && buf_rc(out))
        rc = err_set(err, RC_LIMIT, "the XLSX workbook is larger than the output limit");
    unlink(path);
    buf_release(&x.names);
    arena_release(&x.a);
    return rc;
}
