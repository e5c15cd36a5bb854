/* layout.c - what every renderer shares: table grids, column shares, faces, labels. */
#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"
#include "report/doc.h"
#include "report/report_int.h"

/* clang-format off */
const struct report__face report__faces[FACE__COUNT] = {
    [FACE_TITLE] = { "方正小标宋简体", "华文中宋", "STZhongsong",
                     "\"方正小标宋简体\", \"方正小标宋_GBK\", \"FZXiaoBiaoSong-B05S\", \"华文中宋\", "
                     "\"STZhongsong\", \"宋体\", \"SimSun\", \"Noto Serif CJK SC\", \"Source Han Serif SC\", serif",
                     "02010600040101010101", "auto", false },
    [FACE_BODY]  = { "仿宋_GB2312", "仿宋", "FangSong",
                     "\"仿宋_GB2312\", \"FangSong_GB2312\", \"仿宋\", \"FangSong\", \"STFangsong\", "
                     "\"Noto Serif CJK SC\", \"Source Han Serif SC\", serif",
                     "02010609060101010101", "modern", true },
    [FACE_HEI]   = { "黑体", "SimHei", "SimHei",
                     "\"黑体\", \"SimHei\", \"STHeiti\", \"Noto Sans CJK SC\", \"Source Han Sans SC\", sans-serif",
                     "02010609060101010101", "modern", true },
    [FACE_KAI]   = { "楷体_GB2312", "楷体", "KaiTi",
                     "\"楷体_GB2312\", \"KaiTi_GB2312\", \"楷体\", \"KaiTi\", \"STKaiti\", \"AR PL UKai CN\", serif",
                     "02010609060101010101", "modern", true },
    [FACE_SONG]  = { "宋体", "SimSun", "SimSun",
                     "\"宋体\", \"SimSun\", \"STSong\", \"Noto Serif CJK SC\", \"Source Han Serif SC\", serif",
                     "02010600030101010101", "auto", false },
};
/* clang-format on */

enum rc report__grid(const struct doc_table *t, struct report__grid *g, struct err *err)
{
    memset(g, 0, sizeof(*g));
    int nr = t->nrows, nc = t->ncols;
    g->nrows = nr;
    g->ncols = nc;
    g->rows = xcalloc(nr ? (size_t)nr : 1, sizeof(*g->rows));
    g->at = xcalloc(nr ? (size_t)nr * (size_t)nc : 1, sizeof(*g->at));
    g->origin = xcalloc(nr ? (size_t)nr * (size_t)nc : 1, 1);
    int r = 0;
    for (struct doc_row *row = t->rows; row; row = row->next, r++) {
        g->rows[r] = row;
        if (row->header)
            g->nhead = r + 1;
    }
    r = 0;
    for (struct doc_row *row = t->rows; row; row = row->next, r++) {
        int c = 0, k = 0;
        for (struct doc_cell *cell = row->cells; cell; cell = cell->next) {
            k++;
            while (c < nc && g->at[r * nc + c])
                c++;
            if (c + cell->colspan > nc) {
                err_set(err, RC_INVALID,
                        "%s row %d: cell %d ('%.40s') needs columns %d to %d but the table has %d; "
                        "widen the table or shorten the row",
                        t->where, r + 1, k, cell->text, c + 1, c + cell->colspan, nc);
                goto fail;
            }
            int last = r + cell->rowspan - 1;
            if (last >= nr) {
                err_set(err, RC_INVALID,
                        "%s row %d: cell '%.40s' spans %d rows but the table ends at row %d",
                        t->where, r + 1, cell->text, cell->rowspan, nr);
                goto fail;
            }
            if (row->header && !g->rows[last]->header) {
                err_set(err, RC_INVALID, "%s row %d: header cell '%.40s' spans into the body rows",
                        t->where, r + 1, cell->text);
                goto fail;
            }
            for (int rr = r; rr <= last; rr++)
                for (int cc = c; cc < c + cell->colspan; cc++) {
                    if (g->at[rr * nc + cc]) {
                        err_set(err, RC_INVALID,
                                "%s row %d: cell '%.40s' overlaps a cell spanning from above",
                                t->where, rr + 1, cell->text);
                        goto fail;
                    }
                    g->at[rr * nc + cc] = cell;
                }
            g->origin[r * nc + c] = 1;
            c += cell->colspan;
        }
    }
    return RC_OK;
fail:
    report__grid_release(g);
    return RC_INVALID;
}

void report__grid_release(struct report__grid *g)
{
    free(g->rows);
    free(g->at);
    free(g->origin);
    memset(g, 0, sizeof(*g));
}

enum rc report__blocks(const struct doc_part *p, const struct report__visitor *v, void *ctx,
                       struct err *err)
{
    for (const struct doc_block *bl = p->blocks; bl; bl = bl->next) {
        switch (bl->kind) {
        case DOC_BLOCK_PARA:
            v->para(ctx, &bl->para);
            break;
        case DOC_BLOCK_TABLE: {
            struct report__grid g;
            if (report__grid(&bl->table, &g, err))
                return RC_INVALID;
            v->table(ctx, &bl->table, &g);
            report__grid_release(&g);
            break;
        }
        case DOC_BLOCK_PAGEBREAK:
            v->pagebreak(ctx);
            break;
        }
    }
    return RC_OK;
}

bool report__banji(const struct doc *d, bool *cc, bool *printed)
{
    const struct doc_meta *m = &d->meta;
    *cc = m->cc && *m->cc;
    *printed = m->layout != DOC_LAYOUT_LETTER && m->printer && *m->printer;
    return *cc || *printed;
}

static bool is_num(const struct doc_cell *c)
{
    return c->kind != DOC_CELL_TEXT;
}

bool report__numeric_col(const struct report__grid *g, int c)
{
    bool any = false;
    for (int r = g->nhead; r < g->nrows; r++) {
        int i = r * g->ncols + c;
        if (!g->origin[i] || g->at[i]->colspan > 1)
            continue;
        const struct doc_cell *cell = g->at[i];
        if (!is_num(cell) && strcmp(cell->text, "—") && strcmp(cell->text, ""))
            return false;
        any = any || is_num(cell);
    }
    return any;
}

/* Widest line of s in half-width units. */
static int line_width(const char *s)
{
    int best = 0;
    while (*s) {
        const char *e = strchr(s, '\n');
        size_t n = e ? (size_t)(e - s) : strlen(s);
        char tmp[512];
        if (n >= sizeof(tmp))
            n = sizeof(tmp) - 1;
        memcpy(tmp, s, n);
        tmp[n] = 0;
        int w = (int)cn_width(tmp);
        if (w > best)
            best = w;
        if (!e)
            break;
        s = e + 1;
    }
    return best;
}

void report__col_share(const struct doc_table *t, const struct report__grid *g, int *share)
{
    int nc = t->ncols;
    long w[64], total = 0;
    for (int c = 0; c < nc; c++) {
        if (t->widths) {
            w[c] = t->widths[c];
        } else {
            w[c] = 4;
            for (int r = 0; r < g->nrows; r++) {
                int i = r * nc + c;
                if (!g->origin[i] || g->at[i]->colspan > 1)
                    continue;
                int lw = line_width(g->at[i]->text) + 2;
                if (lw > 40)
                    lw = 40; /* long text wraps instead */
                if (lw > w[c])
                    w[c] = lw;
            }
        }
        total += w[c];
    }
    int sum = 0;
    for (int c = 0; c < nc; c++) {
        share[c] = (int)(w[c] * 1000 / total);
        sum += share[c];
    }
    share[nc - 1] += 1000 - sum;
}

enum doc_align report__align(const struct doc_cell *c, bool header)
{
    if (c->align != DOC_ALIGN_AUTO)
        return c->align;
    if (header)
        return DOC_ALIGN_CENTER;
    return c->kind == DOC_CELL_TEXT ? DOC_ALIGN_LEFT : DOC_ALIGN_RIGHT;
}

const char *report__attach_label(struct arena *a, const struct doc *d, const struct doc_part *p,
                                 bool note)
{
    if (note)
        return d->nattach == 1 ? p->title : arena_fmt(a, "%d.%s", p->number, p->title);
    return d->nattach == 1 ? "附件" : arena_fmt(a, "附件%d", p->number);
}

const char *report__mark(struct arena *a, const struct doc *d)
{
    if (d->meta.mark && *d->meta.mark)
        return d->meta.mark;
    const char *o = d->meta.office ? d->meta.office : "";
    return d->meta.layout == DOC_LAYOUT_FILE ? arena_fmt(a, "%s文件", o) : o;
}

static bool ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !memcmp(s + n - m, suf, m);
}

const char *report__cc(struct arena *a, const struct doc *d)
{
    const char *cc = d->meta.cc;
    return arena_fmt(a, "抄送：%s%s", cc, ends_with(cc, "。") ? "" : "。");
}

const char *report__to(struct arena *a, const struct doc *d)
{
    const char *to = d->meta.to;
    return ends_with(to, "：") || ends_with(to, ":") ? to : arena_fmt(a, "%s：", to);
}

int report__sign_indent(const char *org, const char *date)
{
    /* In half-width units: 8 (four characters) + (date − org) / 2; a unit is 50. */
    long twice = 16 + (long)cn_width(date) - (long)cn_width(org);
    return twice < 0 ? 0 : (int)(twice * 25);
}

/* The 发文机关标志 size in points: 小初 (36 pt) unless the name is too long for the 版心
 * (156 mm = 442 pt, less 1 pt a character for breathing space). */
int report__mark_pt(const char *mark)
{
    size_t w = cn_width(mark);
    if (w < 2)
        return 36;
    int pt = (int)(2 * 420 / w);
    return pt > 36 ? 36 : pt < 16 ? 16 : pt;
}
