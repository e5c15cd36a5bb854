/* parse.c - RSS 2.0 / RSS 1.0 / Atom (libxml2) and HTML list pages (the crawler's list
 * extraction) to feed items, in any charset (core/charset.h). */
#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <stdlib.h>
#include <string.h>

#include "core/arena.h"
#include "core/charset.h"
#include "core/date.h"
#include "core/str.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "crawl/crawl.h"
#include "feed/feed.h"

#define TITLE_MAX 600 /* bytes kept of a title */

void feed_parsed_release(struct feed_parsed *p)
{
    for (size_t i = 0; i < p->n; i++) {
        free(p->items[i].title);
        free(p->items[i].url);
        free(p->items[i].doc_no);
    }
    free(p->items);
    memset(p, 0, sizeof(*p));
}

/* The encoding="..." of an XML declaration, into out. */
static bool xml_decl_encoding(const char *s, size_t n, char *out, size_t outsz)
{
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3)) {
        s += 3;
        n -= 3;
    }
    if (n < 5 || memcmp(s, "<?xml", 5) != 0)
        return false;
    size_t end = 0;
    while (end + 1 < n && end < 300 && !(s[end] == '?' && s[end + 1] == '>'))
        end++;
    const char *p = memmem(s, end, "encoding", 8);
    if (!p)
        return false;
    p += 8;
    const char *e = s + end;
    while (p < e && (*p == ' ' || *p == '='))
        p++;
    if (p >= e || (*p != '"' && *p != '\''))
        return false;
    char q = *p++;
    size_t k = 0;
    while (p < e && *p != q && k + 1 < outsz)
        out[k++] = *p++;
    out[k] = 0;
    return k > 0;
}

/* Collapsed, trimmed text of a title into a malloc'd string (NULL when empty). */
static char *clean_title(const char *s)
{
    if (!s)
        return NULL;
    struct buf b = BUF_INIT;
    bool space = false;
    for (const char *p = s; *p; p++) {
        unsigned char c = (unsigned char)*p;
        if (c == ' ' || c == '\t' || c == '\n' || c == '\r') {
            space = b.n > 0;
            continue;
        }
        if (space)
            buf_addc(&b, ' ');
        space = false;
        buf_addc(&b, (char)c);
    }
    if (!b.n) {
        buf_release(&b);
        return NULL;
    }
    struct buf v = BUF_INIT;
    utf8_sanitize(&v, b.p, utf8_prefix_bytes(b.p, b.n, TITLE_MAX / 3));
    buf_release(&b);
    return buf_take(&v);
}

static int64_t parse_when(const char *s, int tzoff)
{
    if (str_empty(s))
        return 0;
    struct str v = str_trim(str_of(s));
    char tmp[128];
    if (!v.n || v.n >= sizeof(tmp))
        return 0;
    memcpy(tmp, v.p, v.n);
    tmp[v.n] = 0;
    int64_t t;
    if (time_parse(tmp, tzoff, &t, NULL))
        return t;
    time_t c = curl_getdate(tmp, NULL); /* RFC 822 / 1123 and friends */
    return c > 0 ? (int64_t)c : 0;
}

struct acc {
    struct feed_parsed *p;
    struct notes *bad;
    struct url_base base;
    bool have_base;
};

static void add_item(struct acc *a, const char *title, const char *link, const char *summary,
                     int64_t when, const char *where)
{
    char *t = clean_title(title);
    struct str l = str_trim(str_of(link));
    if (!t || !l.n) {
        notes_add(a->bad, "%s: item without %s skipped", where, t ? "a link" : "a title");
        free(t);
        return;
    }
    if (a->p->n >= FEED_MAX_ITEMS) {
        notes_add(a->bad, "%s: more than %d items; the rest skipped", where, FEED_MAX_ITEMS);
        free(t);
        return;
    }
    char *href = str_dup(l), *url = NULL;
    enum rc rc = a->have_base ? url_base_resolve(&a->base, href, &url, NULL)
                              : url_normalize(href, &url, NULL);
    if (rc != RC_OK) {
        notes_add(a->bad, "%s: item \"%.60s\": link \"%.100s\" is not an http(s) URL", where, t,
                  href);
        free(href);
        free(t);
        return;
    }
    free(href);
    struct buf d = BUF_INIT;
    char *doc = NULL;
    if (feed_doc_no(t, strlen(t), &d) || (summary && feed_doc_no(summary, strlen(summary), &d)))
        doc = buf_take(&d);
    buf_release(&d);
    if (a->p->n == a->p->cap)
        a->p->items = xgrow(a->p->items, &a->p->cap, a->p->n + 1, sizeof(*a->p->items));
    a->p->items[a->p->n++] = (struct feed_item_in){ t, url, doc, when };
}

static bool is(const xmlNode *n, const char *name)
{
    return n->type == XML_ELEMENT_NODE && !strcmp((const char *)n->name, name);
}

/* Text of the first child element called name (xmlFree'd by the caller), or NULL. */
static xmlChar *child_text(xmlNode *parent, const char *name)
{
    for (xmlNode *c = parent->children; c; c = c->next)
        if (is(c, name))
            return xmlNodeGetContent(c);
    return NULL;
}

static void rss_item(struct acc *a, xmlNode *it, int tzoff, size_t k)
{
    xmlChar *title = child_text(it, "title"), *link = child_text(it, "link");
    xmlChar *date = child_text(it, "pubDate"), *desc = child_text(it, "description");
    if (!date)
        date = child_text(it, "date"); /* dc:date (RSS 1.0) */
    if (!link) { /* a permalink guid stands for the link */
        for (xmlNode *c = it->children; c; c = c->next)
            if (is(c, "guid")) {
                xmlChar *perma = xmlGetProp(c, (const xmlChar *)"isPermaLink");
                if (!perma || strcmp((const char *)perma, "false"))
                    link = xmlNodeGetContent(c);
                xmlFree(perma);
                break;
            }
    }
    char where[32];
    snprintf(where, sizeof(where), "item %zu", k);
    add_item(a, (const char *)title, (const char *)link, (const char *)desc,
             parse_when((const char *)date, tzoff), where);
    xmlFree(title);
    xmlFree(link);
    xmlFree(date);
    xmlFree(desc);
}

static void atom_entry(struct acc *a, xmlNode *e, int tzoff, size_t k)
{
    xmlChar *title = child_text(e, "title"), *href = NULL;
    xmlChar *date = child_text(e, "published"), *sum = child_text(e, "summary");
    if (!date)
        date = child_text(e, "updated");
    for (xmlNode *c = e->children; c; c = c->next) {
        if (!is(c, "link"))
            continue;
        xmlChar *rel = xmlGetProp(c, (const xmlChar *)"rel");
        bool alt = !rel || !strcmp((const char *)rel, "alternate");
        xmlFree(rel);
        if (alt || !href) {
            xmlFree(href);
            href = xmlGetProp(c, (const xmlChar *)"href");
        }
        if (alt)
            break;
    }
    char where[32];
    snprintf(where, sizeof(where), "entry %zu", k);
    add_item(a, (const char *)title, (const char *)href, (const char *)sum,
             parse_when((const char *)date, tzoff), where);
    xmlFree(title);
    xmlFree(href);
    xmlFree(date);
    xmlFree(sum);
}

static void silent(void *ctx, const char *msg, ...)
{
    (void)ctx;
    (void)msg;
}

static enum rc parse_xml(struct acc *a, const char *utf8, size_t n, enum feed_kind want,
                         int tzoff, struct err *err)
{
    if (n > INT32_MAX)
        return err_set(err, RC_LIMIT, "feed body too large");
    xmlSetGenericErrorFunc(NULL, silent);
    xmlDoc *doc = xmlReadMemory(utf8, (int)n, a->have_base ? a->base.url : NULL, "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_RECOVER | XML_PARSE_NOERROR |
                                    XML_PARSE_NOWARNING | XML_PARSE_NOCDATA);
    xmlNode *root = doc ? xmlDocGetRootElement(doc) : NULL;
    enum feed_kind got = FEED_AUTO;
    if (root && (is(root, "rss") || is(root, "RDF")))
        got = FEED_RSS;
    else if (root && is(root, "feed"))
        got = FEED_ATOM;
    if (got == FEED_AUTO || (want != FEED_AUTO && want != got)) {
        enum rc rc = err_set(err, RC_PARSE,
                             "feed is not %s XML (root element %.40s); check the URL or --kind",
                             want == FEED_ATOM ? "Atom" : want == FEED_RSS ? "RSS" : "RSS or Atom",
                             root ? (const char *)root->name : "missing");
        xmlFreeDoc(doc);
        return rc;
    }
    a->p->kind = got;
    size_t k = 0;
    if (got == FEED_RSS) {
        for (xmlNode *c = root->children; c; c = c->next) {
            if (is(c, "item")) /* RSS 1.0: items beside the channel */
                rss_item(a, c, tzoff, ++k);
            if (is(c, "channel"))
                for (xmlNode *i = c->children; i; i = i->next)
                    if (is(i, "item"))
                        rss_item(a, i, tzoff, ++k);
        }
    } else {
        for (xmlNode *c = root->children; c; c = c->next)
            if (is(c, "entry"))
                atom_entry(a, c, tzoff, ++k);
    }
    xmlFreeDoc(doc);
    return RC_OK;
}

static void parse_html(struct acc *a, const char *utf8, size_t n, const char *base_url, int tzoff)
{
    struct arena ar = { 0 };
    struct html_page pg;
    html_extract(&ar, utf8, n, base_url ? base_url : "http://localhost/", NULL, 0, &pg);
    a->p->kind = FEED_HTML;
    size_t use = pg.nmain ? pg.nmain : pg.nitems;
    for (size_t i = 0; i < use; i++) {
        const struct html_item *it = &pg.items[i];
        char where[32];
        snprintf(where, sizeof(where), "list item %zu", i + 1);
        /* html_extract has resolved the link already */
        add_item(a, it->title, it->url, NULL,
                 it->day == DATE_NONE ? 0 : time_from_date(it->day, 0, tzoff), where);
    }
    arena_release(&ar);
}

static bool looks_xml(const char *s, size_t n)
{
    size_t i = 0;
    if (n >= 3 && !memcmp(s, "\xEF\xBB\xBF", 3))
        i = 3;
    while (i < n && ascii_isspace((unsigned char)s[i]))
        i++;
    if (i + 5 <= n && !memcmp(s + i, "<?xml", 5))
        return true;
    static const char *const roots[] = { "<rss", "<feed", "<rdf:RDF", "<RDF" };
    for (size_t r = 0; r < 4; r++)
        if (i + strlen(roots[r]) <= n && !memcmp(s + i, roots[r], strlen(roots[r])))
            return true;
    return false;
}

enum rc feed_parse(const char *body, size_t n, const char *header_charset, const char *base_url,
                   enum feed_kind kind, int tzoff, struct feed_parsed *out, struct notes *bad,
                   struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct notes local = NOTES_INIT;
    struct acc a = { .p = out, .bad = bad ? bad : &local };
    size_t before = a.bad->total;
    if (base_url && url_base_init(&a.base, base_url, NULL) == RC_OK)
        a.have_base = true;
    bool xml = kind == FEED_RSS || kind == FEED_ATOM || (kind == FEED_AUTO && looks_xml(body, n));
    char decl[64] = "";
    if (xml && str_empty(header_charset) && xml_decl_encoding(body, n, decl, sizeof(decl)))
        header_charset = decl;
    struct buf u = BUF_INIT;
    struct charset_result cr;
    charset_decode(body, n, header_charset, &u, &cr);
    out->charset = cr.used;
    enum rc rc = RC_OK;
    if (xml)
        rc = parse_xml(&a, u.p ? u.p : "", u.n, kind, tzoff, err);
    else
        parse_html(&a, u.p ? u.p : "", u.n, base_url, tzoff);
    buf_release(&u);
    if (a.have_base)
        url_base_release(&a.base);
    out->bad = a.bad->total - before;
    notes_release(&local);
    return rc;
}
