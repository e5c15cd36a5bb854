/* tmpl.c - templates that append to a document (see tmpl.h).
 *
 * Three stages: parse the text into a tree of nodes; evaluate the tree against the
 * variables into a flat list of pieces (text, values, line ends, heading marks), which
 * is where every error but syntax is found; then assemble the pieces into headings and
 * paragraphs of the document, which cannot fail.
 */
#include "report/tmpl.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/res.h"
#include "core/str.h"
#include "core/vec.h"
#include "report/report_int.h"

#define TMPL_MAX_BYTES  (1 << 20)
#define TMPL_MAX_DEPTH  32
#define TMPL_MAX_PIECES 100000
#define NAME_MAX_LEN    64

enum node_kind { N_TEXT, N_BOLD, N_NL, N_HEAD, N_VAR, N_IF, N_EACH, N_SEP };

struct node {
    enum node_kind kind;
    int line;
    const char *s;   /* N_TEXT: text; N_VAR/N_IF/N_EACH: the name */
    const char *fmt; /* N_VAR: "", "md", "ym", "y", "cn" */
    int level;       /* N_HEAD */
    bool neg;        /* N_IF: #unless */
    struct node *body, *alt;
    struct node *next;
};

struct tmpl {
    const char *name;
    struct node *root;
};

enum val_kind { V_STR, V_INT, V_NUM, V_BOOL, V_DATE, V_LIST };

struct val {
    enum val_kind kind;
    const char *s;
    int64_t i;
    int32_t day;
    bool b;
    struct tmpl_list *list;
};

struct var {
    const char *name;
    struct val v;
    struct var *next;
};

struct tmpl_vars {
    struct arena *a;
    struct var *vars;
    const struct tmpl_vars *parent;
};

struct tmpl_list {
    struct arena *a;
    const struct tmpl_vars *owner;
    struct tmpl_vars **items;
    size_t n, cap;
};

/* --- variables --- */

struct tmpl_vars *tmpl_vars_new(struct arena *a)
{
    struct tmpl_vars *v = arena_alloc(a, sizeof(*v));
    v->a = a;
    return v;
}

static struct val *slot(struct tmpl_vars *v, const char *name)
{
    for (struct var *x = v->vars; x; x = x->next)
        if (!strcmp(x->name, name)) {
            memset(&x->v, 0, sizeof(x->v));
            return &x->v;
        }
    struct var *x = arena_alloc(v->a, sizeof(*x));
    x->name = arena_strdup(v->a, name);
    x->next = v->vars;
    v->vars = x;
    return &x->v;
}

void tmpl_set_str(struct tmpl_vars *v, const char *name, const char *s)
{
    struct val *x = slot(v, name);
    x->kind = V_STR;
    x->s = arena_strdup(v->a, s ? s : "");
}

void tmpl_set_int(struct tmpl_vars *v, const char *name, int64_t n)
{
    struct val *x = slot(v, name);
    x->kind = V_INT;
    x->i = n;
    x->s = cn_int(v->a, n);
}

void tmpl_set_num(struct tmpl_vars *v, const char *name, const char *text)
{
    struct val *x = slot(v, name);
    x->kind = V_NUM;
    x->s = arena_strdup(v->a, text ? text : "");
}

void tmpl_set_bool(struct tmpl_vars *v, const char *name, bool b)
{
    struct val *x = slot(v, name);
    x->kind = V_BOOL;
    x->b = b;
    x->s = "";
}

void tmpl_set_date(struct tmpl_vars *v, const char *name, int32_t day)
{
    struct val *x = slot(v, name);
    x->kind = V_DATE;
    x->day = day;
    x->s = day == DATE_NONE ? "" : cn_date(v->a, day);
}

struct tmpl_list *tmpl_set_list(struct tmpl_vars *v, const char *name)
{
    struct val *x = slot(v, name);
    x->kind = V_LIST;
    x->s = "";
    x->list = arena_alloc(v->a, sizeof(*x->list));
    x->list->a = v->a;
    x->list->owner = v;
    return x->list;
}

struct tmpl_vars *tmpl_list_add(struct tmpl_list *l)
{
    if (l->n == l->cap) {
        size_t cap = l->cap ? l->cap * 2 : 8;
        struct tmpl_vars **items = arena_alloc(l->a, cap * sizeof(*items));
        if (l->n)
            memcpy(items, l->items, l->n * sizeof(*items));
        l->items = items;
        l->cap = cap;
    }
    struct tmpl_vars *it = tmpl_vars_new(l->a);
    it->parent = l->owner;
    l->items[l->n++] = it;
    return it;
}

static const struct val *lookup(const struct tmpl_vars *v, const char *name)
{
    for (; v; v = v->parent)
        for (const struct var *x = v->vars; x; x = x->next)
            if (!strcmp(x->name, name))
                return &x->v;
    return NULL;
}

static bool truthy(const struct val *v)
{
    switch (v->kind) {
    case V_STR:
    case V_NUM:
        return *v->s;
    case V_INT:
        return v->i != 0;
    case V_BOOL:
        return v->b;
    case V_DATE:
        return v->day != DATE_NONE;
    case V_LIST:
        return v->list->n > 0;
    }
    return false;
}

/* --- parsing --- */

struct parser {
    struct arena *a;
    const char *name;
    const char *p, *end;
    int line;
    struct err *err;
    struct buf text; /* pending literal text */
    struct node **tail;
    struct frame {
        struct node *node;
        struct node **saved_tail;
        const char *tag; /* "if", "unless", "each", "sep" */
        bool has_else;
    } stack[TMPL_MAX_DEPTH];
    int depth;
};

static struct node *node_new(struct parser *ps, enum node_kind k)
{
    struct node *n = arena_alloc(ps->a, sizeof(*n));
    n->kind = k;
    n->line = ps->line;
    return n;
}

static void append(struct parser *ps, struct node *n)
{
    *ps->tail = n;
    ps->tail = &n->next;
}

static void flush_text(struct parser *ps)
{
    if (!ps->text.n)
        return;
    struct node *n = node_new(ps, N_TEXT);
    n->s = arena_strndup(ps->a, ps->text.p, ps->text.n);
    append(ps, n);
    buf_reset(&ps->text);
}

static enum rc perr(struct parser *ps, enum rc rc, const char *fmt, ...) FMT_PRINTF(3, 4);
static enum rc perr(struct parser *ps, enum rc rc, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return err_set(ps->err, rc, "%s:%d: %s", ps->name, ps->line, msg);
}

static bool valid_name(struct str s)
{
    if (!s.n || s.n > NAME_MAX_LEN || !(ascii_isalpha((unsigned char)s.p[0]) || s.p[0] == '_'))
        return false;
    for (size_t i = 1; i < s.n; i++)
        if (!(ascii_isalnum((unsigned char)s.p[i]) || s.p[i] == '_'))
            return false;
    return true;
}

/* Is the line starting at p made only of blanks and section tags? */
static bool standalone(const char *p, const char *end)
{
    bool any = false;
    while (p < end && *p != '\n') {
        if (*p == ' ' || *p == '\t') {
            p++;
            continue;
        }
        if (end - p < 2 || p[0] != '{' || p[1] != '{')
            return false;
        const char *q = p + 2;
        while (q < end && (*q == ' ' || *q == '\t'))
            q++;
        const char *close = NULL;
        for (const char *r = q; r + 1 < end && *r != '\n'; r++)
            if (r[0] == '}' && r[1] == '}') {
                close = r;
                break;
            }
        if (!close)
            return false;
        bool is_else = close - q >= 4 && !memcmp(q, "else", 4);
        for (const char *r = q + 4; is_else && r < close; r++)
            is_else = *r == ' ' || *r == '\t';
        if (!(*q == '#' || *q == '/' || *q == '!' || is_else))
            return false;
        any = true;
        p = close + 2;
    }
    return any;
}

static enum rc open_frame(struct parser *ps, struct node *n, const char *tag)
{
    if (ps->depth >= TMPL_MAX_DEPTH)
        return perr(ps, RC_LIMIT, "sections nested more than %d deep", TMPL_MAX_DEPTH);
    flush_text(ps);
    append(ps, n);
    struct frame *f = &ps->stack[ps->depth++];
    f->node = n;
    f->saved_tail = ps->tail;
    f->tag = tag;
    f->has_else = false;
    ps->tail = &n->body;
    return RC_OK;
}

static enum rc tag(struct parser *ps, struct str t)
{
    t = str_trim(t);
    if (!t.n)
        return perr(ps, RC_PARSE, "empty '{{}}'; write a placeholder name");
    if (t.p[0] == '!')
        return RC_OK;
    if (t.p[0] == '#') {
        struct str rest = { t.p + 1, t.n - 1 }, word;
        str_split(&rest, ' ', &word);
        rest = str_trim(rest);
        if (str_eqs(word, "sep")) {
            bool in_each = false;
            for (int i = 0; i < ps->depth; i++)
                in_each = in_each || !strcmp(ps->stack[i].tag, "each");
            if (!in_each)
                return perr(ps, RC_PARSE, "'{{#sep}}' outside '{{#each}}'");
            return open_frame(ps, node_new(ps, N_SEP), "sep");
        }
        bool is_if = str_eqs(word, "if"), is_unless = str_eqs(word, "unless"),
             is_each = str_eqs(word, "each");
        if (!is_if && !is_unless && !is_each)
            return perr(ps, RC_PARSE,
                        "unknown section '{{#%.*s}}'; use #if, #unless, #each or #sep", (int)word.n,
                        word.p);
        if (!valid_name(rest))
            return perr(ps, RC_PARSE, "'{{#%.*s}}' needs a variable name", (int)word.n, word.p);
        struct node *n = node_new(ps, is_each ? N_EACH : N_IF);
        n->s = arena_strndup(ps->a, rest.p, rest.n);
        n->neg = is_unless;
        return open_frame(ps, n, is_if ? "if" : is_unless ? "unless" : "each");
    }
    if (t.p[0] == '/') {
        struct str w = str_trim((struct str){ t.p + 1, t.n - 1 });
        if (!ps->depth)
            return perr(ps, RC_PARSE, "'{{/%.*s}}' closes nothing", (int)w.n, w.p);
        struct frame *f = &ps->stack[ps->depth - 1];
        if (!str_eqs(w, f->tag))
            return perr(ps, RC_PARSE,
                        "'{{/%.*s}}' closes '{{#%s}}' opened at line %d; write '{{/%s}}'", (int)w.n,
                        w.p, f->tag, f->node->line, f->tag);
        flush_text(ps);
        ps->tail = f->saved_tail;
        ps->depth--;
        return RC_OK;
    }
    if (str_eqs(t, "else")) {
        struct frame *f = ps->depth ? &ps->stack[ps->depth - 1] : NULL;
        if (!f || !strcmp(f->tag, "sep"))
            return perr(ps, RC_PARSE, "'{{else}}' outside '{{#if}}', '{{#unless}}' or '{{#each}}'");
        if (f->has_else)
            return perr(ps, RC_PARSE, "a second '{{else}}' in '{{#%s}}' opened at line %d", f->tag,
                        f->node->line);
        flush_text(ps);
        f->has_else = true;
        ps->tail = &f->node->alt;
        return RC_OK;
    }
    /* A placeholder: name, name:fmt or @n. */
    struct node *n = node_new(ps, N_VAR);
    struct str name = t, fmt = { "", 0 };
    long colon = str_find(t, ":");
    if (colon >= 0) {
        name = str_trim((struct str){ t.p, (size_t)colon });
        fmt = str_trim((struct str){ t.p + colon + 1, t.n - (size_t)colon - 1 });
    }
    if (str_eqs(name, "@n")) {
        n->s = "@n";
    } else if (!valid_name(name)) {
        return perr(ps, RC_PARSE,
                    "'{{%.*s}}' is not a placeholder; names are letters, digits and _",
                    (int)(t.n > 60 ? 60 : t.n), t.p);
    } else {
        n->s = arena_strndup(ps->a, name.p, name.n);
    }
    if (fmt.n && !str_eqs(fmt, "md") && !str_eqs(fmt, "ym") && !str_eqs(fmt, "y") &&
        !str_eqs(fmt, "cn"))
        return perr(ps, RC_PARSE, "unknown format ':%.*s' in '{{%.*s}}'; use md, ym, y or cn",
                    (int)(fmt.n > 20 ? 20 : fmt.n), fmt.p, (int)(t.n > 60 ? 60 : t.n), t.p);
    n->fmt = arena_strndup(ps->a, fmt.p, fmt.n);
    flush_text(ps);
    append(ps, n);
    return RC_OK;
}

/* Trailing blanks of the pending text (before a line end). */
static void rtrim_text(struct parser *ps)
{
    while (ps->text.n && (ps->text.p[ps->text.n - 1] == ' ' || ps->text.p[ps->text.n - 1] == '\t'))
        buf_truncate(&ps->text, ps->text.n - 1);
}

static enum rc parse(struct parser *ps)
{
    bool bol = true, drop_nl = false;
    while (ps->p < ps->end) {
        if (bol) {
            while (ps->p < ps->end && (*ps->p == ' ' || *ps->p == '\t'))
                ps->p++;
            drop_nl = standalone(ps->p, ps->end);
            bol = false;
            /* # to #### and a blank: a heading mark. */
            int h = 0;
            while (ps->p + h < ps->end && ps->p[h] == '#' && h < 5)
                h++;
            if (h >= 1 && h <= 4 && ps->p + h < ps->end && ps->p[h] == ' ') {
                flush_text(ps);
                struct node *n = node_new(ps, N_HEAD);
                n->level = h;
                append(ps, n);
                ps->p += h + 1;
                while (ps->p < ps->end && *ps->p == ' ')
                    ps->p++;
            }
            continue;
        }
        char c = *ps->p;
        if (c == '\n') {
            rtrim_text(ps);
            if (!drop_nl) {
                flush_text(ps);
                append(ps, node_new(ps, N_NL));
            }
            ps->p++;
            ps->line++;
            bol = true;
            continue;
        }
        if (c == '\\' && ps->p + 1 < ps->end && strchr("{}*#\\", ps->p[1]) && ps->p[1]) {
            buf_addc(&ps->text, ps->p[1]);
            ps->p += 2;
            continue;
        }
        if (c == '*' && ps->p + 1 < ps->end && ps->p[1] == '*') {
            flush_text(ps);
            append(ps, node_new(ps, N_BOLD));
            ps->p += 2;
            continue;
        }
        if (c == '{' && ps->p + 1 < ps->end && ps->p[1] == '{') {
            const char *q = ps->p + 2, *close = NULL;
            for (; q + 1 < ps->end && *q != '\n'; q++)
                if (q[0] == '}' && q[1] == '}') {
                    close = q;
                    break;
                }
            if (!close)
                return perr(ps, RC_PARSE,
                            "'{{' without '}}' on the same line; write \\{ for a literal brace");
            enum rc rc = tag(ps, (struct str){ ps->p + 2, (size_t)(close - ps->p - 2) });
            if (rc)
                return rc;
            ps->p = close + 2;
            continue;
        }
        buf_addc(&ps->text, c);
        ps->p++;
    }
    rtrim_text(ps);
    flush_text(ps);
    if (ps->depth) {
        struct frame *f = &ps->stack[ps->depth - 1];
        ps->line = f->node->line;
        return perr(ps, RC_PARSE, "'{{#%s%s%s}}' is not closed; add '{{/%s}}'", f->tag,
                    f->node->s ? " " : "", f->node->s ? f->node->s : "", f->tag);
    }
    return RC_OK;
}

enum rc tmpl_parse(struct arena *a, const char *name, const char *text, size_t n, struct tmpl **out,
                   struct err *err)
{
    *out = NULL;
    if (n > TMPL_MAX_BYTES)
        return err_set(err, RC_LIMIT, "template '%s' is larger than %d bytes", name,
                       TMPL_MAX_BYTES);
    struct buf clean = BUF_INIT;
    report__clean(&clean, text, n);
    struct tmpl *t = arena_alloc(a, sizeof(*t));
    t->name = arena_strdup(a, name);
    struct parser ps = { .a = a, .name = t->name, .p = buf_cstr(&clean), .line = 1, .err = err };
    ps.end = ps.p + clean.n;
    ps.tail = &t->root;
    enum rc rc = parse(&ps);
    buf_release(&ps.text);
    buf_release(&clean);
    if (!rc)
        *out = t;
    return rc;
}

enum rc tmpl_load(struct arena *a, const char *res_name, struct tmpl **out, struct err *err)
{
    struct buf b = BUF_INIT;
    buf_init(&b, TMPL_MAX_BYTES + 1);
    enum rc rc = res_load(res_name, &b, NULL, err);
    if (rc == RC_LIMIT)
        rc = err_set(err, RC_LIMIT, "template '%s' is larger than %d bytes", res_name,
                     TMPL_MAX_BYTES);
    if (!rc)
        rc = tmpl_parse(a, res_name, buf_cstr(&b), b.n, out, err);
    buf_release(&b);
    return rc;
}

/* --- checking and evaluation --- */

enum piece_kind { PC_TEXT, PC_NL, PC_HEAD };

struct piece {
    enum piece_kind kind;
    enum doc_run_style style;
    const char *s;
    int level;
};

struct eval {
    const struct tmpl *t;
    struct arena *a;
    struct err *err;
    VEC(struct piece) out;
    bool bold;
};

static enum rc eerr(const struct eval *e, const struct node *n, const char *fmt, ...)
    FMT_PRINTF(3, 4);
static enum rc eerr(const struct eval *e, const struct node *n, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return err_set(e->err, RC_INVALID, "%s:%d: %s", e->t->name, n->line, msg);
}

/* Every name used is defined, in every branch; list bodies against their first item. */
static enum rc check(const struct eval *e, const struct node *n, const struct tmpl_vars *v,
                     bool in_each)
{
    for (; n; n = n->next) {
        if (n->kind != N_VAR && n->kind != N_IF && n->kind != N_EACH) {
            if (n->kind == N_SEP && check(e, n->body, v, in_each))
                return RC_INVALID;
            continue;
        }
        if (n->kind == N_VAR && !strcmp(n->s, "@n")) {
            if (!in_each)
                return eerr(e, n, "'{{@n}}' outside '{{#each}}'");
            continue;
        }
        const struct val *x = lookup(v, n->s);
        if (!x)
            return eerr(e, n, "unknown placeholder '%s'", n->s);
        if (n->kind == N_EACH) {
            if (x->kind != V_LIST)
                return eerr(e, n, "'{{#each %s}}' needs a list, but '%s' is a single value", n->s,
                            n->s);
            if (x->list->n && check(e, n->body, x->list->items[0], true))
                return RC_INVALID;
            if (check(e, n->alt, v, in_each))
                return RC_INVALID;
            continue;
        }
        if (n->kind == N_IF && (check(e, n->body, v, in_each) || check(e, n->alt, v, in_each)))
            return RC_INVALID;
        if (n->kind == N_VAR && x->kind == V_LIST)
            return eerr(e, n, "'{{%s}}' is a list; use '{{#each %s}}'", n->s, n->s);
    }
    return RC_OK;
}

static enum rc emit(struct eval *e, enum piece_kind k, enum doc_run_style st, const char *s,
                    int level)
{
    if (e->out.n >= TMPL_MAX_PIECES)
        return err_set(e->err, RC_LIMIT, "template '%s' expands to more than %d pieces", e->t->name,
                       TMPL_MAX_PIECES);
    if (e->bold && st == DOC_RUN_PLAIN)
        st = DOC_RUN_BOLD;
    vec_push(&e->out, ((struct piece){ k, st, s, level }));
    return RC_OK;
}

static enum rc value(struct eval *e, const struct node *n, const struct tmpl_vars *v, int index)
{
    if (!strcmp(n->s, "@n"))
        return emit(e, PC_TEXT, DOC_RUN_NUMBER, cn_int(e->a, index), 0);
    const struct val *x = lookup(v, n->s);
    if (!x)
        return eerr(e, n, "unknown placeholder '%s'", n->s);
    const char *f = n->fmt;
    if (*f && x->kind != V_DATE && !(x->kind == V_INT && !strcmp(f, "cn")))
        return eerr(e, n, "format ':%s' does not apply to '%s'", f, n->s);
    switch (x->kind) {
    case V_INT:
        if (!strcmp(f, "cn"))
            return emit(e, PC_TEXT, DOC_RUN_PLAIN, cn_numeral(e->a, x->i), 0);
        return emit(e, PC_TEXT, DOC_RUN_NUMBER, x->s, 0);
    case V_NUM:
        return emit(e, PC_TEXT, DOC_RUN_NUMBER, x->s, 0);
    case V_DATE: {
        if (x->day == DATE_NONE)
            return RC_OK;
        if (!strcmp(f, "cn"))
            return eerr(e, n, "format ':cn' does not apply to the date '%s'", n->s);
        int y, m, d;
        date_to_ymd(x->day, &y, &m, &d);
        const char *s = !strcmp(f, "md")   ? cn_date_md(e->a, x->day)
                        : !strcmp(f, "ym") ? cn_month(e->a, y, m)
                        : !strcmp(f, "y")  ? cn_int(e->a, y)
                                           : x->s;
        return emit(e, PC_TEXT, DOC_RUN_PLAIN, s, 0);
    }
    case V_LIST:
        return eerr(e, n, "'{{%s}}' is a list; use '{{#each %s}}'", n->s, n->s);
    default:
        return emit(e, PC_TEXT, DOC_RUN_PLAIN, x->s, 0);
    }
}

static enum rc run_nodes(struct eval *e, const struct node *n, const struct tmpl_vars *v, int index,
                         bool last)
{
    enum rc rc = RC_OK;
    for (; n && !rc; n = n->next) {
        switch (n->kind) {
        case N_TEXT:
            rc = emit(e, PC_TEXT, DOC_RUN_PLAIN, n->s, 0);
            break;
        case N_BOLD:
            e->bold = !e->bold;
            break;
        case N_NL:
            /* A blank line ends a paragraph, and any bold left open in it. */
            if (e->out.n && vec_last(&e->out).kind == PC_NL)
                e->bold = false;
            rc = emit(e, PC_NL, DOC_RUN_PLAIN, "", 0);
            break;
        case N_HEAD:
            rc = emit(e, PC_HEAD, DOC_RUN_PLAIN, "", n->level);
            break;
        case N_VAR:
            rc = value(e, n, v, index);
            break;
        case N_IF: {
            const struct val *x = lookup(v, n->s);
            if (!x)
                return eerr(e, n, "unknown placeholder '%s'", n->s);
            rc = run_nodes(e, truthy(x) != n->neg ? n->body : n->alt, v, index, last);
            break;
        }
        case N_EACH: {
            const struct val *x = lookup(v, n->s);
            if (!x || x->kind != V_LIST)
                return eerr(e, n, "'{{#each %s}}' needs a list", n->s);
            if (!x->list->n)
                rc = run_nodes(e, n->alt, v, index, last);
            for (size_t i = 0; i < x->list->n && !rc; i++)
                rc = run_nodes(e, n->body, x->list->items[i], (int)i + 1, i + 1 == x->list->n);
            break;
        }
        case N_SEP:
            if (!last)
                rc = run_nodes(e, n->body, v, index, last);
            break;
        }
    }
    return rc;
}

/* --- assembly --- */

static bool blank_piece(const struct piece *p)
{
    if (p->kind == PC_HEAD)
        return false;
    for (const char *s = p->s; *s; s++)
        if (*s != ' ' && *s != '\t')
            return false;
    return true;
}

/* Pieces [i, j) of one line: is there anything on it? */
static bool blank_line(const struct piece *v, size_t i, size_t j)
{
    for (; i < j; i++)
        if (!blank_piece(&v[i]))
            return false;
    return true;
}

/* Append pieces [i, j) as runs, merging neighbours of the same style. */
static void add_runs(struct doc_para *p, const struct piece *v, size_t i, size_t j)
{
    struct buf b = BUF_INIT;
    enum doc_run_style st = DOC_RUN_PLAIN;
    for (; i < j; i++) {
        if (v[i].kind != PC_TEXT || !*v[i].s)
            continue;
        if (b.n && v[i].style != st) {
            doc_run(p, st, buf_cstr(&b));
            buf_reset(&b);
        }
        st = v[i].style;
        buf_adds(&b, v[i].s);
    }
    if (b.n)
        doc_run(p, st, buf_cstr(&b));
    buf_release(&b);
}

/* The line starting at i ends at *end (a line end, a heading mark, or n); the next line
 * starts at the return value. */
static size_t line_at(const struct piece *v, size_t n, size_t i, size_t *end)
{
    size_t e = i;
    if (e < n && v[e].kind == PC_HEAD)
        e++;
    while (e < n && v[e].kind != PC_NL && v[e].kind != PC_HEAD)
        e++;
    *end = e;
    return e < n && v[e].kind == PC_NL ? e + 1 : e;
}

static void assemble(const struct piece *v, size_t n, struct doc *d)
{
    size_t i = 0;
    while (i < n) {
        size_t e, next = line_at(v, n, i, &e);
        if (blank_line(v, i, e)) {
            i = next;
            continue;
        }
        /* A block: this line and the following ones up to a blank or a heading line. */
        size_t first_end = e, end = e, after = next;
        while (after < n && v[after].kind != PC_HEAD) {
            size_t f, nn = line_at(v, n, after, &f);
            if (blank_line(v, after, f))
                break;
            end = f;
            after = nn;
        }
        struct doc_para *p;
        if (v[i].kind == PC_HEAD) {
            struct buf t = BUF_INIT;
            for (size_t k = i + 1; k < first_end; k++)
                if (v[k].kind == PC_TEXT)
                    buf_adds(&t, v[k].s);
            p = doc_heading(d, v[i].level, buf_cstr(&t));
            buf_release(&t);
            add_runs(p, v, first_end, end);
        } else {
            p = doc_para(d, NULL);
            add_runs(p, v, i, end);
        }
        i = after;
    }
}

enum rc tmpl_render(const struct tmpl *t, const struct tmpl_vars *v, struct doc *d, struct err *err)
{
    struct arena a = ARENA_INIT;
    struct eval e = { .t = t, .a = &a, .err = err };
    enum rc rc = check(&e, t->root, v, false);
    if (!rc)
        rc = run_nodes(&e, t->root, v, 0, true);
    if (!rc)
        assemble(e.out.v, e.out.n, d);
    vec_release(&e.out);
    arena_release(&a);
    return rc;
}
