/* html.c - extraction from one HTML page with libxml2's HTML parser (see crawl.h).
 *
 * One pass over the tree builds the visible text (whitespace collapsed, blocks on their
 * own lines) and records, for every element, the range of that text it covers.  Links,
 * list items (a link and a date in one li/tr/dd/p), the breadcrumb and the publication
 * date are then found in those ranges, so nothing walks the tree twice.
 */
#include <libxml/HTMLparser.h>
#include <libxml/parserInternals.h>
#include <libxml/tree.h>
#include <limits.h>
#include <pthread.h>
#include <string.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/map.h"
#include "core/str.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/vec.h"
#include "core/xalloc.h"
#include "crawl/crawl.h"

#define ANCHOR_TEXT_MAX 300 /* bytes kept of an anchor text */
#define PAGINATION_MAX 500  /* pages synthesised from createPageHTML() */

/* ------------------------------------------------------------ link cache --- */

/* Per-thread state kept between pages: the link cache, the parser context and the
 * scratch buffers, so parsing a page allocates little. */
struct html_ctx {
    struct map m;           /* resolution key → char * normalised URL, or invalid_url */
    size_t max;
    struct buf key;
    htmlParserCtxtPtr ctxt; /* reused (re-created every CTXT_USES pages: its dict grows) */
    int uses;
    struct buf text, cap;   /* scratch of struct walk */
    void *els, *links, *stack;
    size_t els_cap, links_cap, stack_cap;
};

#define CTXT_USES 2000

static char invalid_url[] = "";

struct html_ctx *html_ctx_new(size_t max_entries)
{
    struct html_ctx *c = XNEW(struct html_ctx);
    c->max = max_entries ? max_entries : 50000;
    return c;
}

static void free_val(void *v)
{
    if (v != invalid_url)
        free(v);
}

void html_ctx_free(struct html_ctx *c)
{
    if (!c)
        return;
    map_release(&c->m, free_val);
    if (c->ctxt)
        htmlFreeParserCtxt(c->ctxt);
    buf_release(&c->key);
    buf_release(&c->text);
    buf_release(&c->cap);
    free(c->els);
    free(c->links);
    free(c->stack);
    free(c);
}

/* Length of the part of `base` that determines how `href` resolves. */
static size_t base_part(const char *base, const char *href)
{
    const char *sch = strstr(base, "://");
    if (!sch)
        return strlen(base);
    if (!ascii_ncasecmp(href, "http:", 5) || !ascii_ncasecmp(href, "https:", 6))
        return 0;
    if (href[0] == '/' && href[1] == '/')
        return (size_t)(sch - base);
    const char *path = strchr(sch + 3, '/');
    size_t nopath = path ? (size_t)(path - base) : strlen(base);
    if (href[0] == '/' || href[0] == '\\')
        return nopath;
    const char *q = strchr(base, '?');
    size_t noquery = q ? (size_t)(q - base) : strlen(base);
    if (href[0] == '?')
        return noquery;
    /* Relative: the directory. */
    size_t k = noquery;
    while (k > nopath && base[k - 1] != '/')
        k--;
    return k;
}

/* Resolve href against b (cached); returns a malloc'd-in-cache string (borrowed) or NULL. */
static const char *resolve(struct html_ctx *c, const struct url_base *b, const char *href)
{
    char *out = NULL;
    if (!c) {
        return url_base_resolve(b, href, &out, NULL) == RC_OK ? out : NULL; /* caller frees */
    }
    size_t bp = base_part(b->url, href);
    buf_reset(&c->key);
    buf_add(&c->key, b->url, bp);
    buf_addc(&c->key, '\1');
    buf_adds(&c->key, href);
    void *v = map_get(&c->m, c->key.p, c->key.n);
    if (v)
        return v == invalid_url ? NULL : v;
    if (c->m.n >= c->max)
        map_release(&c->m, free_val);
    if (url_base_resolve(b, href, &out, NULL) != RC_OK) {
        free(out);
        map_put(&c->m, c->key.p, c->key.n, invalid_url);
        return NULL;
    }
    map_put(&c->m, c->key.p, c->key.n, out);
    return out;
}

/* ----------------------------------------------------------------- tags --- */

enum tag {
    T_OTHER, T_A, T_AREA, T_IFRAME, T_FRAME, T_IMG, T_SCRIPT, T_LINK, T_SOURCE, T_EMBED,
    T_META, T_BASE, T_TITLE, T_STYLE, T_NOSCRIPT, T_TEMPLATE, T_HEAD, T_LI, T_TR, T_TD,
    T_DD, T_DT, T_P, T_DIV, T_H1, T_H2, T_BR, T_BLOCK, T_SPAN, T_UL, T_TABLE, T_OBJECT,
    T_SELECT,
};

static const struct {
    const char *name;
    enum tag t;
} tags[] = {
    { "a", T_A },          { "area", T_AREA },     { "iframe", T_IFRAME }, { "frame", T_FRAME },
    { "img", T_IMG },      { "script", T_SCRIPT }, { "link", T_LINK },     { "source", T_SOURCE },
    { "embed", T_EMBED },  { "meta", T_META },     { "base", T_BASE },     { "title", T_TITLE },
    { "style", T_STYLE },  { "noscript", T_NOSCRIPT }, { "template", T_TEMPLATE },
    { "head", T_HEAD },    { "li", T_LI },         { "tr", T_TR },         { "td", T_TD },
    { "th", T_TD },        { "dd", T_DD },         { "dt", T_DT },         { "p", T_P },
    { "div", T_DIV },      { "h1", T_H1 },         { "h2", T_H2 },         { "br", T_BR },
    { "h3", T_BLOCK },     { "h4", T_BLOCK },      { "h5", T_BLOCK },      { "h6", T_BLOCK },
    { "ol", T_UL },        { "ul", T_UL },         { "dl", T_UL },         { "table", T_TABLE },
    { "tbody", T_BLOCK },  { "thead", T_BLOCK },   { "section", T_BLOCK }, { "article", T_BLOCK },
    { "header", T_BLOCK }, { "footer", T_BLOCK },  { "nav", T_BLOCK },     { "form", T_BLOCK },
    { "blockquote", T_BLOCK }, { "pre", T_BLOCK }, { "hr", T_BLOCK },      { "center", T_BLOCK },
    { "main", T_BLOCK },   { "aside", T_BLOCK },   { "span", T_SPAN },     { "object", T_OBJECT },
    { "select", T_SELECT }, { "frameset", T_BLOCK }, { "body", T_BLOCK },  { "html", T_BLOCK },
};

/* Element names are short: pack them into a 64-bit key and look them up in a small
 * table built once (names longer than 8 bytes are T_OTHER except "blockquote"). */
#define TAG_SLOTS 256
static struct {
    uint64_t key;
    enum tag t;
} tag_table[TAG_SLOTS];
static pthread_once_t tag_once = PTHREAD_ONCE_INIT;

static uint64_t tag_key(const char *n, size_t len)
{
    uint64_t k = 0;
    memcpy(&k, n, len);
    return k;
}

static size_t tag_slot(uint64_t k)
{
    return (size_t)((k * 0x9E3779B97F4A7C15ull) >> 56) & (TAG_SLOTS - 1);
}

static void tag_init(void)
{
    for (size_t i = 0; i < sizeof(tags) / sizeof(tags[0]); i++) {
        size_t len = strlen(tags[i].name);
        if (len > 8)
            continue;
        uint64_t k = tag_key(tags[i].name, len);
        size_t s = tag_slot(k);
        while (tag_table[s].key)
            s = (s + 1) & (TAG_SLOTS - 1);
        tag_table[s].key = k;
        tag_table[s].t = tags[i].t;
    }
}

static enum tag tag_of(const xmlChar *name)
{
    const char *n = (const char *)name;
    if (!n)
        return T_OTHER;
    size_t len = strlen(n);
    if (len > 8)
        return !strcmp(n, "blockquote") ? T_BLOCK : T_OTHER;
    pthread_once(&tag_once, tag_init);
    uint64_t k = tag_key(n, len);
    for (size_t s = tag_slot(k); tag_table[s].key; s = (s + 1) & (TAG_SLOTS - 1))
        if (tag_table[s].key == k)
            return tag_table[s].t;
    return T_OTHER;
}

static bool is_block(enum tag t)
{
    switch (t) {
    case T_LI: case T_TR: case T_DD: case T_DT: case T_P: case T_DIV: case T_H1: case T_H2:
    case T_BR: case T_BLOCK: case T_UL: case T_TABLE: case T_TITLE:
        return true;
    default:
        return false;
    }
}

/* ------------------------------------------------------------- walk state --- */

struct el {
    size_t start, end; /* range of the visible text */
    enum tag tag;
    int parent;        /* index of the parent element, -1 at the root */
    const char *name;  /* arena copy for tags we do not know, else NULL */
    const char *cls;   /* class and id attributes (arena), or NULL */
    const char *id;
};

struct rawlink {
    const char *href;  /* arena */
    const char *tag;   /* static */
    int el;            /* element index (for a/area: anchor text range), -1 */
    const char *alt;   /* arena; img alt or a title */
    bool synthetic_page;
};

struct walk {
    struct arena *a;
    struct buf text;
    bool space;        /* last byte written was a space or newline */
    bool boundary;     /* an element started or ended since the last text */
    VEC(struct el) els;
    VEC(struct rawlink) links;
    size_t max_links;
    const char *base_href;
    const char *title;
    const char *canonical_href;
    const char *meta[6];
    int h1;            /* element index of the first h1 with text, -1 */
    int script_pages;  /* createPageHTML total, 0 when none */
    char script_prefix[64], script_ext[16];
    bool nofollow, noindex;
    /* SAX state */
    VEC(int) stack;    /* open elements */
    int skip;          /* > 0: inside an element whose content is not text (depth) */
    enum tag skip_tag;
    struct buf cap;    /* the content of a skipped title or inline script */
};

static const char *const meta_names[6] = { "sitename", "siteidcode", "columnname",
                                           "articletitle", "pubdate", "contentsource" };

/* The attributes the extractor reads, picked out of libxml2's list in one pass (the HTML
 * parser gives their names in lower case). */
struct attrs {
    const char *href, *src, *cls, *id, *title, *alt, *rel, *name, *content, *http_equiv;
};

static void get_attrs(const xmlChar **atts, struct attrs *a)
{
    memset(a, 0, sizeof(*a));
    for (size_t i = 0; atts && atts[i]; i += 2) {
        const char *k = (const char *)atts[i];
        const char *v = atts[i + 1] ? (const char *)atts[i + 1] : "";
        switch (k[0]) {
        case 'h':
            if (!strcmp(k, "href"))
                a->href = v;
            else if (!strcmp(k, "http-equiv"))
                a->http_equiv = v;
            break;
        case 's': if (!strcmp(k, "src")) a->src = v; break;
        case 'c':
            if (!strcmp(k, "class"))
                a->cls = v;
            else if (!strcmp(k, "content"))
                a->content = v;
            break;
        case 'i': if (!strcmp(k, "id")) a->id = v; break;
        case 't': if (!strcmp(k, "title")) a->title = v; break;
        case 'a': if (!strcmp(k, "alt")) a->alt = v; break;
        case 'r': if (!strcmp(k, "rel")) a->rel = v; break;
        case 'n': if (!strcmp(k, "name")) a->name = v; break;
        default: break;
        }
    }
}

/* Collapse whitespace into w->text.  Digits of two elements ("<span>24</span><span>2018-11
 * </span>") are kept apart by a space, as the page's layout keeps them apart. */
static void add_text(struct walk *w, const char *s, size_t n)
{
    if (w->boundary && n && ascii_isdigit((unsigned char)s[0]) && w->text.n &&
        ascii_isdigit((unsigned char)w->text.p[w->text.n - 1]))
        buf_addc(&w->text, ' ');
    w->boundary = false;
    for (size_t i = 0; i < n;) {
        unsigned char c = (unsigned char)s[i];
        bool sp = false;
        size_t len = 1;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v')
            sp = true;
        else if (c == 0xC2 && i + 1 < n && (unsigned char)s[i + 1] == 0xA0)
            sp = true, len = 2;
        if (sp) {
            if (!w->space && w->text.n)
                buf_addc(&w->text, ' ');
            w->space = true;
            i += len;
            continue;
        }
        size_t j = i + 1;
        while (j < n) {
            unsigned char d = (unsigned char)s[j];
            if (d == ' ' || d == '\t' || d == '\n' || d == '\r' || d == '\f' || d == '\v' ||
                d == 0xC2)
                break;
            j++;
        }
        buf_add(&w->text, s + i, j - i);
        w->space = false;
        i = j;
    }
}

static void add_break(struct walk *w)
{
    if (!w->text.n)
        return;
    if (w->text.p[w->text.n - 1] == ' ')
        w->text.n--, w->text.p[w->text.n] = 0;
    if (w->text.n && w->text.p[w->text.n - 1] != '\n')
        buf_addc(&w->text, '\n');
    w->space = true;
}

static void add_link(struct walk *w, const char *href, const char *tag, int el, const char *alt)
{
    if (!href || w->links.n >= w->max_links)
        return;
    struct rawlink r = { arena_strdup(w->a, href), tag, el, alt ? arena_strdup(w->a, alt) : NULL,
                         false };
    vec_push(&w->links, r);
}

/* createPageHTML(total, current, "index", "html") and createPageHTML('div', total,
 * current, 'index', 'html', count): TRS list pages write their pagination in script. */
static void script_pagination(struct walk *w, const char *s)
{
    const char *p = strstr(s, "createPageHTML(");
    if (!p)
        return;
    p += 15;
    int ints[4], ni = 0;
    char strs[4][64];
    int ns = 0;
    while (*p && *p != ')' && ni < 4 && ns < 4) {
        while (*p == ' ' || *p == ',' || *p == '\n' || *p == '\t' || *p == '\r')
            p++;
        if (*p == '"' || *p == '\'') {
            char q = *p++;
            size_t k = 0;
            while (*p && *p != q) {
                if (k + 1 < sizeof(strs[0]))
                    strs[ns][k++] = *p;
                p++;
            }
            strs[ns++][k] = 0;
            if (*p)
                p++;
        } else if (ascii_isdigit((unsigned char)*p)) {
            int v = 0;
            while (ascii_isdigit((unsigned char)*p) && v < 1000000)
                v = v * 10 + (*p++ - '0');
            ints[ni++] = v;
        } else {
            while (*p && *p != ',' && *p != ')')
                p++;
        }
    }
    if (ni < 1)
        return;
    /* prefix and extension: the last two strings whose second is an extension */
    for (int i = ns - 1; i >= 1; i--) {
        const char *ext = strs[i];
        if (!strcmp(ext, "html") || !strcmp(ext, "shtml") || !strcmp(ext, "htm") ||
            !strcmp(ext, "jsp") || !strcmp(ext, "php") || !strcmp(ext, "aspx")) {
            bool ok = strs[i - 1][0] != 0;
            for (const char *c = strs[i - 1]; *c; c++)
                if (!ascii_isalnum((unsigned char)*c) && *c != '_' && *c != '-')
                    ok = false;
            if (!ok)
                return;
            snprintf(w->script_prefix, sizeof(w->script_prefix), "%s", strs[i - 1]);
            snprintf(w->script_ext, sizeof(w->script_ext), "%s", ext);
            w->script_pages = ints[0] > PAGINATION_MAX ? PAGINATION_MAX : ints[0];
            return;
        }
    }
}

static void on_meta(struct walk *w, const struct attrs *n)
{
    const char *name = n->name;
    const char *content = n->content;
    if (name && content) {
        for (int i = 0; i < 6; i++)
            if (!w->meta[i] && !ascii_casecmp(name, meta_names[i])) {
                struct buf t = BUF_INIT;
                struct walk tmp = { 0 };
                tmp.text = t;
                add_text(&tmp, content, strlen(content));
                buf_rtrim(&tmp.text);
                w->meta[i] = arena_strdup(w->a, buf_cstr(&tmp.text));
                buf_release(&tmp.text);
            }
        if (!ascii_casecmp(name, "robots")) {
            if (ascii_casestr(content, strlen(content), "nofollow") ||
                ascii_casestr(content, strlen(content), "none"))
                w->nofollow = true;
            if (ascii_casestr(content, strlen(content), "noindex") ||
                ascii_casestr(content, strlen(content), "none"))
                w->noindex = true;
        }
    }
    const char *he = n->http_equiv;
    if (he && content && !ascii_casecmp(he, "refresh")) {
        const char *u = ascii_casestr(content, strlen(content), "url");
        if (u) {
            u += 3;
            while (*u == ' ')
                u++;
            if (*u == '=') {
                u++;
                while (*u == ' ' || *u == '\'' || *u == '"')
                    u++;
                char *v = arena_strdup(w->a, u);
                size_t k = strlen(v);
                while (k && (v[k - 1] == '\'' || v[k - 1] == '"' || v[k - 1] == ' '))
                    v[--k] = 0;
                add_link(w, v, "meta", -1, NULL);
            }
        }
    }
}

/* Element entry: returns false when its children must be skipped. */
static bool enter(struct walk *w, const struct attrs *n, int idx, enum tag t)
{
    const char *v;
    switch (t) {
    case T_A:
    case T_AREA:
        if ((v = n->href))
            add_link(w, v, t == T_A ? "a" : "area", idx, t == T_A ? n->title : n->alt);
        return true;
    case T_IFRAME:
    case T_FRAME:
        if ((v = n->src))
            add_link(w, v, t == T_IFRAME ? "iframe" : "frame", -1, NULL);
        return true; /* an unclosed iframe must not hide the rest of the page */
    case T_IMG:
        if ((v = n->src))
            add_link(w, v, "img", -1, n->alt);
        return false;
    case T_SCRIPT:
        if ((v = n->src))
            add_link(w, v, "script", -1, NULL);
        return false; /* inline content: see sax_end (createPageHTML) */
    case T_LINK: {
        const char *rel = n->rel;
        v = n->href;
        if (!v)
            return false;
        if (rel && ascii_casestr(rel, strlen(rel), "canonical") && !w->canonical_href)
            w->canonical_href = arena_strdup(w->a, v);
        if (rel && (ascii_casestr(rel, strlen(rel), "dns-prefetch") ||
                    ascii_casestr(rel, strlen(rel), "preconnect")))
            return false;
        add_link(w, v, "link", -1, NULL);
        return false;
    }
    case T_SOURCE:
    case T_EMBED:
        if ((v = n->src))
            add_link(w, v, t == T_SOURCE ? "source" : "embed", -1, NULL);
        return true; /* libxml2 may nest what follows an unclosed embed inside it */
    case T_META:
        on_meta(w, n);
        return false;
    case T_BASE:
        if (!w->base_href && (v = n->href))
            w->base_href = arena_strdup(w->a, v);
        return false;
    case T_TITLE:
        return false; /* its text is collected apart (sax_end) */
    case T_STYLE:
    case T_NOSCRIPT:
    case T_TEMPLATE:
        return false;
    default:
        return true;
    }
}

/* ---------------------------------------------------------- extraction --- */

static const char *text_range(struct walk *w, size_t s, size_t e)
{
    while (s < e && (w->text.p[s] == ' ' || w->text.p[s] == '\n'))
        s++;
    while (e > s && (w->text.p[e - 1] == ' ' || w->text.p[e - 1] == '\n'))
        e--;
    if (e - s > ANCHOR_TEXT_MAX)
        e = s + utf8_prefix_bytes(w->text.p + s, e - s, ANCHOR_TEXT_MAX / 3);
    char *r = arena_strndup(w->a, w->text.p + s, e - s);
    for (char *p = r; *p; p++)
        if (*p == '\n')
            *p = ' ';
    return r;
}

static const char *const crumb_markers[] = {
    "您现在的位置", "你现在的位置", "您当前的位置", "当前位置", "您的位置", "你的位置", "所在位置",
    "当前的位置", "现在的位置",
};
static const char *const crumb_tail[] = { "正文", "详情", "内容", "正文内容", "详细内容",
                                          "文章内容", "浏览正文", "详细信息", "阅读", "查看",
                                          "详情页", "正文页", "信息详情", "文章页", "文章" };

/* A segment worth keeping: some letter, digit or CJK, and not a marker again. */
static bool crumb_word(struct str seg)
{
    for (size_t k = 0; k < sizeof(crumb_markers) / sizeof(crumb_markers[0]); k++)
        if (memmem(seg.p, seg.n, crumb_markers[k], strlen(crumb_markers[k])))
            return false;
    for (size_t i = 0; i < seg.n;) {
        size_t len;
        uint32_t cp = utf8_decode(seg.p + i, seg.n - i, &len);
        if (cp < 128 ? ascii_isalnum((int)cp) : (utf8_is_cjk(cp) || (cp >= 0xFF10 && cp <= 0xFF5A)))
            return true;
        i += len;
    }
    return false;
}

/* Split the breadcrumb text s[0..n) into "a>b>c" (arena); NULL when it does not look like
 * one. */
static const char *crumb_split(struct walk *w, const char *s, size_t n, const char *title)
{
    struct buf out = BUF_INIT;
    int parts = 0;
    size_t i = 0;
    /* skip ：: and spaces after the marker */
    while (i < n) {
        if (s[i] == ':' || s[i] == ' ' || s[i] == '\n')
            i++;
        else if (i + 3 <= n && !memcmp(s + i, "：", 3))
            i += 3;
        else
            break;
    }
    const char *last = NULL;
    size_t lastn = 0;
    bool bad = false;
    while (i < n && !bad) {
        /* one segment up to a separator */
        size_t j = i, sl = 0;
        while (j < n) {
            if (s[j] == '>' || s[j] == '\n') {
                sl = 1;
                break;
            }
            if (j + 3 <= n && (!memcmp(s + j, "＞", 3) || !memcmp(s + j, "›", 3) ||
                               !memcmp(s + j, "→", 3) || !memcmp(s + j, "》", 3))) {
                sl = 3;
                break;
            }
            if (j + 2 <= n && !memcmp(s + j, "»", 2)) {
                sl = 2;
                break;
            }
            if (j + 3 <= n && !memcmp(s + j, " / ", 3)) {
                sl = 3;
                break;
            }
            j++;
        }
        struct str seg = str_trim((struct str){ s + i, j - i });
        while (seg.n && seg.p[seg.n - 1] == ':')
            seg.n--;
        if (seg.n >= 3 && !memcmp(seg.p + seg.n - 3, "：", 3))
            seg.n -= 3;
        if (seg.n && crumb_word(seg)) {
            if (seg.n > 90 || parts >= 12) {
                bad = true;
                break;
            }
            if (parts)
                buf_addc(&out, '>');
            last = seg.p;
            lastn = seg.n;
            buf_add(&out, seg.p, seg.n);
            parts++;
        }
        i = j + sl;
        if (sl == 0)
            break;
    }
    if (bad || parts == 0) {
        buf_release(&out);
        return NULL;
    }
    /* Drop a trailing 正文 or the page's own title. */
    if (parts > 1 && last) {
        bool drop = false;
        for (size_t k = 0; k < sizeof(crumb_tail) / sizeof(crumb_tail[0]); k++)
            if (lastn == strlen(crumb_tail[k]) && !memcmp(last, crumb_tail[k], lastn))
                drop = true;
        if (title && lastn >= 6 && lastn <= strlen(title) && !memcmp(title, last, lastn))
            drop = true;
        if (drop)
            buf_truncate(&out, out.n - lastn - 1); /* remove ">last" */
    }
    const char *r = arena_strdup(w->a, buf_cstr(&out));
    buf_release(&out);
    return r;
}

static bool block_el(enum tag t)
{
    return t == T_DIV || t == T_P || t == T_TD || t == T_LI || t == T_UL || t == T_BLOCK ||
           t == T_TR || t == T_TABLE || t == T_DD || t == T_DT || t == T_H2;
}

static const char *find_breadcrumb(struct walk *w, const char *title)
{
    const char *t = w->text.p;
    size_t n = w->text.n;
    for (size_t k = 0; k < sizeof(crumb_markers) / sizeof(crumb_markers[0]); k++) {
        const char *p = t ? memmem(t, n, crumb_markers[k], strlen(crumb_markers[k])) : NULL;
        if (!p)
            continue;
        size_t at = (size_t)(p - t);
        /* the smallest block element whose range contains the marker */
        int best = -1;
        for (size_t i = 0; i < w->els.n; i++) {
            struct el *e = &w->els.v[i];
            if (e->start <= at && e->end > at + strlen(crumb_markers[k]) && block_el(e->tag) &&
                (best < 0 || e->end - e->start < w->els.v[best].end - w->els.v[best].start))
                best = (int)i;
        }
        size_t s = at + strlen(crumb_markers[k]);
        size_t e = best >= 0 ? w->els.v[best].end : n;
        /* stay on the marker's line unless the container is small */
        if (e - s > 400) {
            const char *nl = memchr(t + s, '\n', e - s);
            if (nl)
                e = (size_t)(nl - t);
        }
        const char *r = crumb_split(w, t + s, e - s, title);
        if (r)
            return r;
    }
    /* No marker: an element whose class or id says breadcrumb. */
    static const char *const cls[] = { "crumb", "bread", "position", "location", "dqwz", "mbx",
                                       "weizhi" };
    for (size_t i = 0; i < w->els.n; i++) {
        struct el *e = &w->els.v[i];
        if (!block_el(e->tag) || e->end <= e->start || e->end - e->start > 400)
            continue;
        const char *c = e->cls, *id = e->id;
        bool hit = false;
        for (size_t k = 0; k < sizeof(cls) / sizeof(cls[0]) && !hit; k++)
            hit = (c && ascii_casestr(c, strlen(c), cls[k])) ||
                  (id && ascii_casestr(id, strlen(id), cls[k]));
        if (!hit)
            continue;
        const char *r = crumb_split(w, t + e->start, e->end - e->start, title);
        if (r && strchr(r, '>') &&
            (!strncmp(r, "首页", 6) || !strncmp(r, "网站首页", 12) || !strncmp(r, "主页", 6)))
            return r;
    }
    return NULL;
}

/* A title without the site suffix: "标题_示范市人民政府" → "标题". */
static const char *clean_title(struct walk *w, const char *title)
{
    if (!title)
        return NULL;
    static const char *const seps[] = { "_", " - ", "|", "—", "－", " -- ", "--" };
    size_t n = strlen(title), cut = n;
    for (size_t k = 0; k < sizeof(seps) / sizeof(seps[0]); k++) {
        const char *p = NULL, *q = title;
        while ((q = strstr(q, seps[k]))) {
            p = q;
            q += strlen(seps[k]);
        }
        if (p && (size_t)(p - title) >= 6 && (size_t)(p - title) < cut)
            cut = (size_t)(p - title);
    }
    struct str s = str_trim((struct str){ title, cut });
    return arena_strndup(w->a, s.p, s.n);
}

static bool is_pagination_text(const char *t)
{
    size_t n = strlen(t);
    if (n == 0 || n > 12)
        return false;
    static const char *const words[] = { "下一页", "下页", "后一页", "后页", "下一頁", "›", "»",
                                         ">",      ">>", "next",  "Next",  "下一页>", "下一页 >" };
    for (size_t k = 0; k < sizeof(words) / sizeof(words[0]); k++)
        if (!strcmp(t, words[k]))
            return true;
    return false;
}

/* Same directory as the page and named like index_3.html, or ?page=3 on the same path. */
static bool is_pagination_url(const char *page, const char *u)
{
    const char *ps = strrchr(page, '/'), *us = strrchr(u, '/');
    const char *pq = strchr(page, '?'), *uq = strchr(u, '?');
    if (!ps || !us)
        return false;
    if (uq) {
        /* same path, a page number parameter */
        size_t pl = pq ? (size_t)(pq - page) : strlen(page);
        if ((size_t)(uq - u) != pl || memcmp(page, u, pl))
            return false;
        static const char *const ks[] = { "page=", "pageno=", "pageindex=", "curpage=",
                                          "currentpage=", "p=", "pagenum=", "pn=" };
        for (size_t k = 0; k < sizeof(ks) / sizeof(ks[0]); k++) {
            const char *h = ascii_casestr(uq, strlen(uq), ks[k]);
            if (h && (h[-1] == '?' || h[-1] == '&'))
                return true;
        }
        return false;
    }
    if (us - u != ps - page || memcmp(page, u, (size_t)(us - u)))
        return false;
    const char *b = us + 1;
    /* index.html, index_12.html, index_12.shtml, list_3.htm */
    const char *und = strrchr(b, '_');
    const char *dot = strrchr(b, '.');
    if (!und || !dot || dot < und || dot == und + 1)
        return false;
    for (const char *c = und + 1; c < dot; c++)
        if (!ascii_isdigit((unsigned char)*c))
            return false;
    return true;
}

struct itemc {
    int cont;      /* container element */
    int link;      /* index into out links */
    size_t tlen;   /* anchor text length (the longest wins) */
    int32_t day;
    bool pinned;
    uint64_t sig;
};

static bool date_in(struct walk *w, size_t s, size_t e, int32_t *day)
{
    struct html_date h;
    if (e > s && html_date_find(w->text.p + s, e - s, &h)) {
        *day = h.day;
        return true;
    }
    return false;
}

static uint64_t el_sig(struct walk *w, int i)
{
    struct el *e = &w->els.v[i];
    struct buf b = BUF_INIT;
    /* the item's own class is left out: pinned rows often have one (li.top) */
    buf_addf(&b, "%d%s", (int)e->tag, e->name ? e->name : "");
    if (e->parent >= 0) {
        struct el *p = &w->els.v[e->parent];
        buf_addf(&b, "/%d%s.%s", (int)p->tag, p->name ? p->name : "", p->cls ? p->cls : "");
    }
    uint64_t h = map_hash(b.p, b.n);
    buf_release(&b);
    return h;
}

static bool pinned_el(struct walk *w, int i)
{
    struct el *e = &w->els.v[i];
    const char *c = e->cls;
    if (c && (ascii_casestr(c, strlen(c), "top") || ascii_casestr(c, strlen(c), "zhiding") ||
              !ascii_casecmp(c, "zd")))
        return true;
    return e->end > e->start && memmem(w->text.p + e->start, e->end - e->start, "置顶", 6);
}

static void find_items(struct walk *w, struct html_page *out, const int *link_el)
{
    VEC(struct itemc) cs = VEC_INIT;
    int *item_of = xmalloc((w->els.n ? w->els.n : 1) * sizeof(int)); /* element → item */
    for (size_t i = 0; i < w->els.n; i++)
        item_of[i] = -1;
    for (size_t li = 0; li < out->nlinks; li++) {
        struct html_link *l = &out->links[li];
        int ai = link_el[li];
        if (ai < 0 || !l->url || strcmp(l->tag, "a") || !l->text || !*l->text || l->pagination)
            continue;
        struct el *a = &w->els.v[ai];
        /* container: li/tr/dd/dt within 4 levels, else a short p/div within 2 */
        int c = -1, p = a->parent;
        for (int lvl = 0; p >= 0 && lvl < 4; lvl++, p = w->els.v[p].parent) {
            enum tag t = w->els.v[p].tag;
            if (t == T_LI || t == T_TR || t == T_DD || t == T_DT) {
                c = p;
                break;
            }
            if (lvl < 2 && (t == T_P || t == T_DIV) &&
                w->els.v[p].end - w->els.v[p].start < 400) {
                c = p;
                break;
            }
            if (t == T_UL || t == T_TABLE || t == T_BLOCK)
                break;
        }
        if (c < 0)
            continue;
        size_t tl = strlen(l->text);
        if (item_of[c] >= 0) { /* one item per container: the longest anchor text */
            struct itemc *it = &cs.v[item_of[c]];
            if (tl > it->tlen)
                it->link = (int)li, it->tlen = tl;
            continue;
        }
        struct el *ce = &w->els.v[c];
        int32_t day;
        bool ok = date_in(w, ce->start, a->start, &day) || date_in(w, a->end, ce->end, &day) ||
                  (a->start > ce->start &&
                   html_date_split(w->text.p + ce->start, a->start - ce->start, &day)) ||
                  (ce->end > a->end && html_date_split(w->text.p + a->end, ce->end - a->end, &day));
        if (!ok) {
            /* a date at the very end of the anchor text ("标题 2018-11-30") */
            struct html_date h;
            size_t s = a->start, e = a->end;
            while (e > s && (w->text.p[e - 1] == ' ' || w->text.p[e - 1] == '\n'))
                e--;
            size_t from = e > s + 40 ? e - 40 : s;
            while (from > s && ((unsigned char)w->text.p[from] & 0xC0) == 0x80)
                from--;
            if (from > s && html_date_find(w->text.p + from, e - from, &h) &&
                from + h.pos + h.len == e && h.pos > 0) {
                day = h.day;
                ok = true;
            }
        }
        if (!ok) {
            /* "06-30" beside a link whose URL says t20250630_: the URL gives the year */
            int m, d, y2, m2, d2;
            if (html_date_from_url(l->url, &day) &&
                ((a->start > ce->start &&
                  html_date_month_day(w->text.p + ce->start, a->start - ce->start, &m, &d)) ||
                 (ce->end > a->end &&
                  html_date_month_day(w->text.p + a->end, ce->end - a->end, &m, &d)))) {
                date_to_ymd(day, &y2, &m2, &d2);
                ok = m == m2 && d == d2;
            }
        }
        if (!ok)
            continue;
        struct itemc it = { c, (int)li, tl, day, pinned_el(w, c), el_sig(w, c) };
        item_of[c] = (int)cs.n;
        vec_push(&cs, it);
    }
    free(item_of);
    if (cs.n) {
        /* main list: the signature with the most items (the first on a tie) */
        struct map counts = MAP_INIT;
        uint64_t best = 0;
        size_t bestn = 0;
        for (size_t i = 0; i < cs.n; i++) {
            bool created;
            void **slot = map_slot(&counts, &cs.v[i].sig, sizeof(cs.v[i].sig), &created);
            size_t cnt = (size_t)(uintptr_t)*slot + 1;
            *slot = (void *)(uintptr_t)cnt;
            if (cnt > bestn)
                bestn = cnt, best = cs.v[i].sig;
        }
        map_release(&counts, NULL);
        out->items = arena_alloc(w->a, cs.n * sizeof(*out->items));
        size_t n = 0;
        for (int pass = 0; pass < 2; pass++)
            for (size_t i = 0; i < cs.n; i++) {
                if ((cs.v[i].sig == best) != (pass == 0))
                    continue;
                struct html_item *it = &out->items[n++];
                struct html_link *l = &out->links[cs.v[i].link];
                it->url = l->url;
                it->title = l->text;
                it->day = cs.v[i].day;
                it->pinned = cs.v[i].pinned;
                it->main = pass == 0;
                if (pass == 0 && (out->latest == DATE_NONE || it->day > out->latest))
                    out->latest = it->day;
                if (out->latest_any == DATE_NONE || it->day > out->latest_any)
                    out->latest_any = it->day;
            }
        out->nitems = n;
        out->nmain = bestn;
    }
    vec_release(&cs);
}

/* A date on a short line near the top of the article: "2018-11-30 10:00 来源：新华社". */
static bool date_near_title(struct walk *w, int32_t *day)
{
    if (w->h1 < 0)
        return false;
    size_t s = w->els.v[w->h1].end, e = s + 600 < w->text.n ? s + 600 : w->text.n;
    struct html_date h;
    if (e <= s || !html_date_find(w->text.p + s, e - s, &h))
        return false;
    size_t at = s + h.pos;
    size_t ls = at, le = at;
    while (ls > s && w->text.p[ls - 1] != '\n')
        ls--;
    while (le < w->text.n && w->text.p[le] != '\n')
        le++;
    if (le - ls > 160)
        return false;
    *day = h.day;
    return true;
}

/* ---------------------------------------------------------------- SAX --- */

#define CAPTURE_MAX 65536

static void sax_start(void *ctx, const xmlChar *name, const xmlChar **atts)
{
    struct walk *w = ctx;
    if (w->skip) {
        w->skip++;
        return;
    }
    enum tag t = tag_of(name);
    int parent = w->stack.n ? w->stack.v[w->stack.n - 1] : -1;
    if (is_block(t))
        add_break(w);
    struct el e = { w->text.n, w->text.n, t, parent, NULL, NULL, NULL };
    if (t == T_OTHER && name)
        e.name = arena_strdup(w->a, (const char *)name);
    struct attrs at;
    get_attrs(atts, &at);
    if (at.cls && *at.cls)
        e.cls = arena_strdup(w->a, at.cls);
    if (at.id && *at.id)
        e.id = arena_strdup(w->a, at.id);
    vec_push(&w->els, e);
    int idx = (int)w->els.n - 1;
    vec_push(&w->stack, idx);
    w->boundary = true;
    if (!enter(w, &at, idx, t)) {
        w->skip = 1;
        w->skip_tag = t;
        buf_reset(&w->cap);
    }
    if (t == T_TD && w->text.n && !w->space)
        buf_addc(&w->text, ' '), w->space = true;
}

static void sax_end(void *ctx, const xmlChar *name)
{
    struct walk *w = ctx;
    (void)name;
    if (w->skip > 1) {
        w->skip--;
        return;
    }
    if (w->skip == 1) {
        w->skip = 0;
        if (w->skip_tag == T_TITLE && !w->title) {
            struct walk tmp = { 0 };
            add_text(&tmp, w->cap.p ? w->cap.p : "", w->cap.n);
            buf_rtrim(&tmp.text);
            w->title = arena_strdup(w->a, buf_cstr(&tmp.text));
            buf_release(&tmp.text);
        } else if (w->skip_tag == T_SCRIPT && !w->script_pages && w->cap.n) {
            script_pagination(w, buf_cstr(&w->cap));
        }
        buf_reset(&w->cap);
    }
    if (!w->stack.n)
        return;
    int idx = w->stack.v[--w->stack.n];
    struct el *e = &w->els.v[idx];
    e->end = w->text.n;
    if (is_block(e->tag))
        add_break(w);
    else if (e->tag == T_TD && !w->space)
        buf_addc(&w->text, ' '), w->space = true;
    if (e->tag == T_H1 && w->h1 < 0 && e->end > e->start)
        w->h1 = idx;
    w->boundary = true;
}

static void sax_chars(void *ctx, const xmlChar *ch, int len)
{
    struct walk *w = ctx;
    if (len <= 0)
        return;
    if (w->skip) {
        if (w->skip == 1 && (w->skip_tag == T_TITLE || w->skip_tag == T_SCRIPT) &&
            w->cap.n + (size_t)len <= CAPTURE_MAX)
            buf_add(&w->cap, ch, (size_t)len);
        return;
    }
    add_text(w, (const char *)ch, (size_t)len);
}

const char *html_date_src_name(enum html_date_src s)
{
    static const char *const names[] = { NULL, "label", "meta", "url", "text" };
    return (unsigned)s < sizeof(names) / sizeof(names[0]) ? names[s] : NULL;
}

void html_extract(struct arena *a, const char *utf8, size_t n, const char *url,
                  struct html_ctx *cache, size_t max_links, struct html_page *out)
{
    memset(out, 0, sizeof(*out));
    out->date = out->latest = out->latest_any = DATE_NONE;
    struct walk w;
    memset(&w, 0, sizeof(w));
    w.a = a;
    w.h1 = -1;
    w.space = true;
    w.max_links = max_links ? max_links : 20000;
    if (n > INT_MAX)
        n = INT_MAX;
    if (cache) { /* take the scratch buffers */
        w.text = cache->text;
        w.cap = cache->cap;
        w.els.v = cache->els, w.els.cap = cache->els_cap;
        w.links.v = cache->links, w.links.cap = cache->links_cap;
        w.stack.v = cache->stack, w.stack.cap = cache->stack_cap;
        buf_reset(&w.text);
        buf_reset(&w.cap);
    }
    if (n > 0) {
        htmlParserCtxtPtr ctxt = cache ? cache->ctxt : NULL;
        if (ctxt && cache->uses >= CTXT_USES) {
            htmlFreeParserCtxt(ctxt);
            ctxt = cache->ctxt = NULL;
        }
        if (!ctxt) {
            ctxt = htmlNewParserCtxt();
            htmlSAXHandler *sax = ctxt ? xmlMalloc(sizeof(*sax)) : NULL;
            if (sax) {
                memset(sax, 0, sizeof(*sax));
                sax->startElement = sax_start;
                sax->endElement = sax_end;
                sax->characters = sax_chars;
                sax->cdataBlock = sax_chars;
                sax->ignorableWhitespace = sax_chars;
                xmlFree(ctxt->sax);
                ctxt->sax = sax;
            } else if (ctxt) {
                htmlFreeParserCtxt(ctxt);
                ctxt = NULL;
            }
            if (cache) {
                cache->ctxt = ctxt;
                cache->uses = 0;
            }
        }
        if (ctxt) {
            ctxt->userData = &w;
            /* no tree: the SAX handler above sees every event; returns NULL */
            htmlDocPtr doc = htmlCtxtReadMemory(ctxt, utf8, (int)n, url, "UTF-8",
                                                HTML_PARSE_RECOVER | HTML_PARSE_NOERROR |
                                                    HTML_PARSE_NOWARNING | HTML_PARSE_NONET |
                                                    HTML_PARSE_IGNORE_ENC | HTML_PARSE_NODEFDTD);
            if (doc)
                xmlFreeDoc(doc);
            ctxt->userData = NULL;
            if (cache)
                cache->uses++;
            else
                htmlFreeParserCtxt(ctxt);
        }
    }
    /* elements left open by a truncated document */
    while (w.stack.n)
        sax_end(&w, NULL);
    /* Text. */
    /* trailing blanks are left off the stored text, but not off w.text: element ranges
     * may end there */
    size_t tl = w.text.n;
    while (tl > 0 && (w.text.p[tl - 1] == ' ' || w.text.p[tl - 1] == '\n'))
        tl--;
    out->text_len = tl;
    out->text = arena_strndup(a, buf_cstr(&w.text), tl);
    out->text_hash = map_hash(out->text, out->text_len);
    out->title = w.title;
    out->site_name = w.meta[0];
    out->site_code = w.meta[1];
    out->column_name = w.meta[2];
    out->article_title = w.meta[3];
    out->pub_date = w.meta[4];
    out->content_source = w.meta[5];
    out->nofollow = w.nofollow;
    out->noindex = w.noindex;

    /* Base and links. */
    struct url_base ub = { 0 };
    bool have_base = url_base_init(&ub, url, NULL) == RC_OK;
    if (have_base && w.base_href) {
        char *nb = NULL;
        if (url_base_resolve(&ub, w.base_href, &nb, NULL) == RC_OK) {
            url_base_release(&ub);
            have_base = url_base_init(&ub, nb, NULL) == RC_OK;
        }
        free(nb);
    }
    out->base = have_base ? arena_strdup(a, ub.url) : arena_strdup(a, url);
    /* synthesised pagination from createPageHTML() */
    if (w.script_pages > 1) {
        for (int p = 1; p < w.script_pages && w.links.n < w.max_links; p++) {
            char h[128];
            snprintf(h, sizeof(h), "%s_%d.%s", w.script_prefix, p, w.script_ext);
            struct rawlink r = { arena_strdup(a, h), "script", -1, NULL, true };
            vec_push(&w.links, r);
        }
    }
    out->links = arena_alloc(a, (w.links.n ? w.links.n : 1) * sizeof(*out->links));
    int *link_el = xmalloc((w.links.n ? w.links.n : 1) * sizeof(int));
    size_t nl = 0;
    for (size_t i = 0; i < w.links.n; i++) {
        struct rawlink *r = &w.links.v[i];
        int kind = url_kind_of(r->href);
        if (kind == URL_EMPTY)
            continue;
        struct html_link *l = &out->links[nl];
        l->tag = r->tag;
        l->kind = kind;
        l->url = NULL;
        if (kind == URL_HTTP && have_base) {
            const char *u = resolve(cache, &ub, r->href);
            if (u) {
                l->url = arena_strdup(a, u);
                if (!cache)
                    free((char *)u);
            }
        }
        if (r->el >= 0) {
            struct el *e = &w.els.v[r->el];
            l->text = text_range(&w, e->start, e->end);
            if (!*l->text && r->alt)
                l->text = r->alt;
        } else if (r->alt) {
            l->text = r->alt;
        }
        if (l->url && (r->synthetic_page ||
                       (!strcmp(l->tag, "a") && ((l->text && is_pagination_text(l->text)) ||
                                                 is_pagination_url(out->base, l->url))))) {
            l->pagination = true;
            if (!out->next_page && strcmp(l->url, out->base) && l->text &&
                is_pagination_text(l->text))
                out->next_page = l->url;
        }
        link_el[nl] = r->el;
        nl++;
    }
    out->nlinks = nl;
    if (!out->next_page && w.script_pages > 1) {
        /* index.html → index_1.html; index_k.html → index_(k+1).html */
        const char *b = strrchr(out->base, '/');
        int k = -1;
        char want[96];
        snprintf(want, sizeof(want), "%s.%s", w.script_prefix, w.script_ext);
        if (b && (!strcmp(b + 1, want) || b[1] == 0 || b[1] == '?'))
            k = 0;
        else if (b && !strncmp(b + 1, w.script_prefix, strlen(w.script_prefix)) &&
                 b[1 + strlen(w.script_prefix)] == '_') {
            int v;
            const char *d = b + 2 + strlen(w.script_prefix);
            const char *dot = strchr(d, '.');
            if (dot && str_to_int((struct str){ d, (size_t)(dot - d) }, 0, 100000, &v))
                k = v;
        }
        if (k >= 0 && k + 1 < w.script_pages) {
            snprintf(want, sizeof(want), "%s_%d.%s", w.script_prefix, k + 1, w.script_ext);
            for (size_t i = 0; i < nl; i++)
                if (out->links[i].url && out->links[i].pagination && !strcmp(out->links[i].tag, "script")) {
                    const char *s = strrchr(out->links[i].url, '/');
                    if (s && !strcmp(s + 1, want)) {
                        out->next_page = out->links[i].url;
                        break;
                    }
                }
        }
    }
    if (w.canonical_href && have_base) {
        const char *u = resolve(cache, &ub, w.canonical_href);
        if (u) {
            out->canonical = arena_strdup(a, u);
            if (!cache)
                free((char *)u);
        }
    }
    if (have_base)
        url_base_release(&ub);

    /* Breadcrumb, items, date. */
    const char *ctitle = clean_title(&w, out->title);
    find_items(&w, out, link_el);
    free(link_el);
    struct html_date h;
    int32_t day;
    bool strong = true;
    const char *tx = w.text.p ? w.text.p : "";
    size_t h1e = w.h1 >= 0 ? w.els.v[w.h1].end : 0;
    if (html_date_labelled(tx, w.text.n, HTML_LABEL_STRONG, &h)) {
        out->date = h.day;
        out->date_src = HTML_DATE_LABEL;
    } else if (out->pub_date && html_date_parse(out->pub_date, strlen(out->pub_date), &day)) {
        out->date = day;
        out->date_src = HTML_DATE_META;
    } else if ((w.h1 >= 0 && html_date_labelled(tx + h1e, (w.text.n - h1e < 400 ? w.text.n - h1e : 400),
                                                 HTML_LABEL_WEAK, &h)) ||
               html_date_labelled(tx, w.text.n, HTML_LABEL_INFO, &h)) {
        out->date = h.day;
        out->date_src = HTML_DATE_LABEL;
    } else if (html_date_from_url(url, &day)) {
        out->date = day;
        out->date_src = HTML_DATE_URL;
        strong = false;
    } else if (date_near_title(&w, &day)) {
        out->date = day;
        out->date_src = HTML_DATE_TEXT;
        strong = false;
    } else {
        strong = false;
    }
    /* a list: three dated items (ten when the page has its own publication date), or any
     * dated item on a page with no date of its own (a short column) */
    out->is_list = (out->nmain >= 3 && (!strong || out->nmain >= 10)) ||
                   (out->nmain >= 1 && out->date == DATE_NONE);
    out->is_article = !out->is_list && out->date != DATE_NONE;
    if (out->is_list) {
        out->date = DATE_NONE;
        out->date_src = HTML_DATE_NONE;
    }
    if (!out->article_title && out->is_article) {
        if (w.h1 >= 0) {
            const char *h1 = text_range(&w, w.els.v[w.h1].start, w.els.v[w.h1].end);
            /* the h1 when the title starts with it (logos are h1s on some sites) */
            out->article_title = (ctitle && strstr(ctitle, h1) && strlen(h1) >= 6) ? h1 : ctitle;
        } else {
            out->article_title = ctitle;
        }
    }
    out->breadcrumb = find_breadcrumb(&w, out->is_article ? out->article_title : NULL);
    if (cache) { /* give the scratch buffers back */
        cache->text = w.text;
        cache->cap = w.cap;
        cache->els = w.els.v, cache->els_cap = w.els.cap;
        cache->links = w.links.v, cache->links_cap = w.links.cap;
        cache->stack = w.stack.v, cache->stack_cap = w.stack.cap;
        return;
    }
    vec_release(&w.els);
    vec_release(&w.stack);
    buf_release(&w.cap);
    vec_release(&w.links);
    buf_release(&w.text);
}
