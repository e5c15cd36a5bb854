/* fuzz_tmpl.c - the report template parser and expander on arbitrary text: no crash, no
 * unbounded growth; whatever parses and expands renders to valid UTF-8 Markdown and HTML
 * without raw control characters, and nothing is appended to the document on error. */
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/date.h"
#include "core/utf8.h"
#include "fuzz.h"
#include "report/report.h"
#include "report/tmpl.h"

static struct tmpl_vars *vars(struct arena *a)
{
    struct tmpl_vars *v = tmpl_vars_new(a);
    tmpl_set_int(v, "n", 16);
    tmpl_set_int(v, "zero", 0);
    tmpl_set_str(v, "s", "<b>&\"'**#\n- x");
    tmpl_set_num(v, "rate", "100%");
    tmpl_set_bool(v, "yes", true);
    tmpl_set_date(v, "d", date_from_ymd(2018, 12, 1));
    struct tmpl_list *l = tmpl_set_list(v, "items");
    for (int i = 0; i < 3; i++) {
        struct tmpl_vars *it = tmpl_list_add(l);
        tmpl_set_int(it, "count", i * 7);
        tmpl_set_str(it, "name", i == 1 ? "" : "单位");
    }
    tmpl_set_list(v, "none");
    return v;
}

static void check_text(const struct buf *b)
{
    FUZZ_ASSERT(utf8_valid(b->p ? b->p : "", b->n));
    for (size_t i = 0; i < b->n; i++)
        FUZZ_ASSERT((unsigned char)b->p[i] >= 0x20 || b->p[i] == '\n');
}

FUZZ(tmpl)
{
    struct arena a = ARENA_INIT;
    struct tmpl *t;
    struct err e = { 0 };
    if (tmpl_parse(&a, "fuzz.tmpl", (const char *)data, size, &t, &e) == RC_OK) {
        struct doc *d = doc_new(&(struct doc_meta){
            .layout = DOC_LAYOUT_PLAIN, .title = "t", .date = DATE_NONE, .print_date = DATE_NONE });
        enum rc rc = tmpl_render(t, vars(&a), d, &e);
        if (rc) {
            FUZZ_ASSERT(d->body.blocks == NULL);
        } else {
            struct buf md = BUF_INIT, html = BUF_INIT;
            FUZZ_ASSERT(render_md(d, &md, &e) == RC_OK);
            FUZZ_ASSERT(render_html(d, &html, &e) == RC_OK);
            check_text(&md);
            check_text(&html);
            buf_release(&md);
            buf_release(&html);
        }
        doc_free(d);
    } else {
        FUZZ_ASSERT(e.rc != RC_OK && strstr(e.msg, "fuzz.tmpl") != NULL);
    }
    arena_release(&a);
    return 0;
}
