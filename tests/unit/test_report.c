/* test_report.c - the document model, the four renderers and the templates.
 *
 * Golden files: tests/data/report/sample.{md,html} and the DOCX's document.xml and
 * styles.xml (UPDATE_GOLDEN=1 rewrites them).  DOCX and XLSX are unzipped with libzip
 * and every part parsed with libxml2; the layout values are asserted from the GB/T
 * 9704-2012 figures, not copied from the renderer.
 */
#include <libxml/parser.h>
#include <libxml/xpath.h>
#include <libxml/xpathInternals.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <zip.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/res.h"
#include "core/str.h"
#include "core/utf8.h"
#include "fixture_report.h"
#include "report/doc.h"
#include "report/report.h"
#include "report/tmpl.h"
#include "test.h"

/* --- helpers --- */

static struct doc *sample(void)
{
    struct err e = { 0 };
    struct doc *d = fixture_report_sample(&e);
    if (!d)
        t_fail(__FILE__, __LINE__, "sample document: %s", err_msg(&e));
    return d;
}

static void render(const char *format, const struct doc *d, struct buf *out)
{
    const struct report_format *f = report_format_find(format);
    ASSERT_NOT_NULL(f);
    struct err e = { 0 };
    ASSERT_OK(f->render(d, out, &e), &e);
    ASSERT(out->n > 0);
}

struct zipdoc {
    zip_t *za;
};

static void zip_open_buf(struct zipdoc *z, const struct buf *b)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(b->p, b->n, 0, &ze);
    ASSERT_NOT_NULL(src);
    z->za = zip_open_from_source(src, ZIP_RDONLY | ZIP_CHECKCONS, &ze);
    if (!z->za)
        t_fail(__FILE__, __LINE__, "not a zip archive: %s", zip_error_strerror(&ze));
    zip_error_fini(&ze);
}

static void zip_done(struct zipdoc *z)
{
    zip_discard(z->za);
}

/* The bytes of one entry (caller frees), NULL when absent. */
static char *zip_get(struct zipdoc *z, const char *name, size_t *len)
{
    zip_stat_t st;
    if (zip_stat(z->za, name, 0, &st) < 0)
        return NULL;
    zip_file_t *f = zip_fopen(z->za, name, 0);
    ASSERT_NOT_NULL(f);
    char *p = malloc(st.size + 1);
    zip_int64_t got = zip_fread(f, p, st.size);
    zip_fclose(f);
    ASSERT_EQ_INT(got, (int64_t)st.size);
    p[st.size] = 0;
    if (len)
        *len = st.size;
    return p;
}

/* Parse one part; fails the test when it is absent or not well-formed. */
static xmlDocPtr zip_xml(struct zipdoc *z, const char *name)
{
    size_t n;
    char *p = zip_get(z, name, &n);
    if (!p)
        t_fail(__FILE__, __LINE__, "archive has no '%s'", name);
    xmlDocPtr x = xmlReadMemory(p, (int)n, name, "UTF-8",
                                XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING);
    free(p);
    if (!x)
        t_fail(__FILE__, __LINE__, "'%s' is not well-formed XML", name);
    return x;
}

/* Every entry of the archive is well-formed XML; returns the number of entries. */
static int zip_all_xml(struct zipdoc *z)
{
    zip_int64_t n = zip_get_num_entries(z->za, 0);
    for (zip_int64_t i = 0; i < n; i++) {
        const char *name = zip_get_name(z->za, (zip_uint64_t)i, 0);
        xmlFreeDoc(zip_xml(z, name));
    }
    return (int)n;
}

static xmlXPathObjectPtr xeval(xmlDocPtr x, const char *expr)
{
    xmlXPathContextPtr c = xmlXPathNewContext(x);
    xmlXPathRegisterNs(c, BAD_CAST "w",
                       BAD_CAST "http://schemas.openxmlformats.org/wordprocessingml/2006/main");
    xmlXPathRegisterNs(c, BAD_CAST "r",
                       BAD_CAST
                       "http://schemas.openxmlformats.org/officeDocument/2006/relationships");
    xmlXPathRegisterNs(c, BAD_CAST "s",
                       BAD_CAST "http://schemas.openxmlformats.org/spreadsheetml/2006/main");
    xmlXPathRegisterNs(c, BAD_CAST "cp",
                       BAD_CAST
                       "http://schemas.openxmlformats.org/package/2006/metadata/core-properties");
    xmlXPathRegisterNs(c, BAD_CAST "dc", BAD_CAST "http://purl.org/dc/elements/1.1/");
    xmlXPathRegisterNs(c, BAD_CAST "dcterms", BAD_CAST "http://purl.org/dc/terms/");
    xmlXPathObjectPtr o = xmlXPathEvalExpression(BAD_CAST expr, c);
    xmlXPathFreeContext(c);
    if (!o)
        t_fail(__FILE__, __LINE__, "bad XPath %s", expr);
    return o;
}

/* string(expr), in the test arena. */
static const char *xs(xmlDocPtr x, const char *expr)
{
    char *e = arena_fmt(t_arena(), "string(%s)", expr);
    xmlXPathObjectPtr o = xeval(x, e);
    const char *r = arena_strdup(t_arena(), o->stringval ? (const char *)o->stringval : "");
    xmlXPathFreeObject(o);
    return r;
}

static long xn(xmlDocPtr x, const char *expr)
{
    const char *s = xs(x, expr);
    int64_t v;
    if (!cstr_to_i64(s, &v))
        t_fail(__FILE__, __LINE__, "%s is '%s', not a number", expr, s);
    return (long)v;
}

static int xcount(xmlDocPtr x, const char *expr)
{
    char *e = arena_fmt(t_arena(), "count(%s)", expr);
    xmlXPathObjectPtr o = xeval(x, e);
    int n = (int)o->floatval;
    xmlXPathFreeObject(o);
    return n;
}

#define TWIPS_PER_MM (1440.0 / 25.4)

/* --- Chinese forms --- */

TEST(report_cn_forms)
{
    struct arena *a = t_arena();
    static const struct {
        int64_t n;
        const char *want;
    } num[] = {
        { 0, "零" },
        { 1, "一" },
        { 9, "九" },
        { 10, "十" },
        { 11, "十一" },
        { 19, "十九" },
        { 20, "二十" },
        { 21, "二十一" },
        { 100, "一百" },
        { 105, "一百零五" },
        { 110, "一百一十" },
        { 1010, "一千零一十" },
        { 1001, "一千零一" },
        { 10000, "一万" },
        { 100001, "十万零一" },
        { 1000100, "一百万零一百" },
        { 12345678, "一千二百三十四万五千六百七十八" },
        { -3, "-3" },
        { 100000000, "100000000" },
    };
    for (size_t i = 0; i < sizeof(num) / sizeof(num[0]); i++)
        ASSERT_EQ_STR(cn_numeral(a, num[i].n), num[i].want);

    static const struct {
        int64_t num, den;
        int dec;
        const char *want;
    } pct[] = {
        { 15, 15, 1, "100%" },
        { 15, 16, 1, "93.8%" },
        { 15, 16, 0, "94%" },
        { 1, 3, 2, "33.33%" },
        { 2, 3, 2, "66.67%" },
        { 0, 7, 1, "0%" },
        { 1, 8, 1, "12.5%" },
        { 1, 200, 1, "0.5%" },
        { 1, 2000, 1, "0.1%" },
        { 1, 2001, 1, "0%" },
        { 3, 2, 0, "150%" },
        { 1, 3, 9, "33.3333%" },
        { 4000000000000LL, 8000000000000LL, 1, "50%" },
    };
    for (size_t i = 0; i < sizeof(pct) / sizeof(pct[0]); i++)
        ASSERT_EQ_STR(cn_percent(a, pct[i].num, pct[i].den, pct[i].dec), pct[i].want);
    ASSERT_NULL(cn_percent(a, 1, 0, 1));
    ASSERT_NULL(cn_percent(a, -1, 5, 1));

    ASSERT_EQ_STR(cn_date(a, date_from_ymd(2018, 12, 12)), "2018年12月12日");
    ASSERT_EQ_STR(cn_date(a, date_from_ymd(2019, 1, 5)), "2019年1月5日");
    ASSERT_EQ_STR(cn_date_md(a, date_from_ymd(2018, 12, 1)), "12月1日");
    ASSERT_EQ_STR(cn_month(a, 2018, 11), "2018年11月");
    ASSERT_EQ_STR(cn_int(a, 4835), "4835");
    ASSERT_EQ_INT(cn_width("2018年12月12日"), 14);
    ASSERT_EQ_INT(cn_width("珠海市人民政府办公室"), 20);
    ASSERT_EQ_INT(cn_width("（一）a"), 7);
}

/* --- the model --- */

TEST(report_headings_number_themselves)
{
    struct doc *d = doc_new(&(struct doc_meta){
        .layout = DOC_LAYOUT_PLAIN, .date = DATE_NONE, .print_date = DATE_NONE });
    const char *got[12];
    int k = 0;
    got[k++] = doc_heading(d, 1, "a")->label;
    got[k++] = doc_heading(d, 2, "b")->label;
    got[k++] = doc_heading(d, 2, "c")->label;
    got[k++] = doc_heading(d, 3, "d")->label;
    got[k++] = doc_heading(d, 4, "e")->label;
    got[k++] = doc_heading(d, 4, "f")->label;
    got[k++] = doc_heading(d, 3, "g")->label;
    got[k++] = doc_heading(d, 1, "h")->label; /* restarts the deeper levels */
    got[k++] = doc_heading(d, 2, "i")->label;
    got[k++] = doc_heading_at(d, 2, 11, "j")->label;
    got[k++] = doc_heading(d, 2, "k")->label;
    doc_attachment(d, "附件");
    got[k++] = doc_heading(d, 1, "l")->label; /* each part numbers from one */
    static const char *const want[] = {
        "一、", "（一）", "（二）", "1.",       "（1）",    "（2）",
        "2.",   "二、",   "（一）", "（十一）", "（十二）", "一、"
    };
    for (int i = 0; i < k; i++)
        ASSERT_EQ_STR(got[i], want[i]);
    struct err e = { 0 };
    ASSERT_OK(doc_status(d, &e), &e);
    doc_free(d);
}

TEST(report_text_is_cleaned_on_the_way_in)
{
    struct doc *d = doc_new(NULL);
    ASSERT_EQ_STR(doc_str(d, "a\x01\x7f"
                             "b\r\nc\rd\te\xef\xbf\xbe\xc2\x85"),
                  "ab\nc\nd\te");
    ASSERT_EQ_STR(doc_str(d, "x\xff"
                             "y"),
                  "x\xef\xbf\xbdy");
    ASSERT_EQ_STR(doc_str(d, NULL), "");
    doc_free(d);
}

/* Builder misuse is kept in the document and every renderer refuses it. */
TEST(report_builder_errors_are_sticky)
{
    static const struct {
        int kind;
        const char *msg;
    } cases[] = {
        { 0, "heading level 5" },          { 1, "needs columns 3 to 3 but the table has 2" },
        { 2, "comes after a body row" },   { 3, "spans 3 rows but the table ends at row 2" },
        { 4, "spans into the body rows" }, { 5, "attachment 4 does not exist" },
        { 6, "table 1 has 0 columns" },    { 7, "cannot be written" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct doc *d = doc_new(&(struct doc_meta){
            .layout = DOC_LAYOUT_PLAIN, .title = "t", .date = DATE_NONE, .print_date = DATE_NONE });
        struct doc_table *t = NULL;
        switch (cases[i].kind) {
        case 0:
            doc_heading(d, 5, "x");
            break;
        case 1:
            t = doc_table(d, NULL, 2);
            doc_table_row(t);
            doc_cell(t, "a");
            doc_cell(t, "b");
            doc_cell(t, "c");
            break;
        case 2:
            t = doc_table(d, NULL, 1);
            doc_table_row(t);
            doc_cell(t, "a");
            doc_table_head(t);
            doc_cell(t, "h");
            break;
        case 3:
            t = doc_table(d, NULL, 1);
            doc_table_row(t);
            doc_cell_span(doc_cell(t, "a"), 1, 3);
            doc_table_row(t);
            break;
        case 4:
            t = doc_table(d, NULL, 2);
            doc_table_head(t);
            doc_cell_span(doc_cell(t, "h"), 1, 2);
            doc_cell(t, "i");
            doc_table_row(t);
            doc_cell(t, "b");
            break;
        case 5:
            doc_select(d, 4);
            break;
        case 6:
            doc_table(d, NULL, 0);
            break;
        case 7:
            doc_pct(doc_para(d, "x"), 1, 0, 1);
            break;
        }
        for (const struct report_format *f = report_formats; f->name; f++) {
            struct buf out = BUF_INIT;
            struct err e = { 0 };
            ASSERT_RC(f->render(d, &out, &e), RC_INVALID);
            ASSERT_CONTAINS(e.msg, cases[i].msg);
            buf_release(&out);
        }
        doc_free(d);
    }
}

/* --- golden files and determinism --- */

TEST(report_markdown_golden)
{
    struct doc *d = sample();
    struct buf out = BUF_INIT;
    render("md", d, &out);
    ASSERT_GOLDEN("report/sample.md", out.p, out.n);
    /* The seed's figures, in 公文 forms. */
    ASSERT_CONTAINS(out.p, "共4835条");
    ASSERT_CONTAINS(out.p, "高栏港区899条、市食药监局188条、市人社局95条、市教育局80条");
    ASSERT_CONTAINS(out.p, "按时办结率为100%。");
    ASSERT_CONTAINS(
        out.p, "截至12月1日，共收到“我为政府网站找错”网民留言25宗，已处理25宗，无一宗逾期未处理。");
    ASSERT_CONTAINS(
        out.p, "| 序号 | 单位 | 发布和更新信息（条） | 占比 |\n| ---: | --- | ---: | ---: |\n");
    ASSERT_CONTAINS(
        out.p, "附件：1.2018年11月份各单位信息发布情况\\\n2\\.政府信息公开目录更新不及时的单位");
    buf_release(&out);
    doc_free(d);
}

TEST(report_html_golden)
{
    struct doc *d = sample();
    struct buf out = BUF_INIT;
    render("html", d, &out);
    ASSERT_GOLDEN("report/sample.html", out.p, out.n);
    ASSERT_CONTAINS(out.p, "@page{size:A4;margin:37mm 26mm 35mm 28mm;");
    ASSERT_CONTAINS(out.p, "@page :first{margin-top:30mm;");
    ASSERT_CONTAINS(out.p, "counter(page)");
    ASSERT_CONTAINS(out.p, "<p class=\"gw-mark\"");
    ASSERT_CONTAINS(out.p, "id=\"fj2\"");
    ASSERT_CONTAINS(out.p, ".gw-page+.gw-page{break-before:page}");
    ASSERT_CONTAINS(out.p, "<span class=\"num\">4835</span>");
    ASSERT_CONTAINS(out.p, "转发&lt;“我为政府网站找错”网民留言办理规范&gt;的通知");
    ASSERT_NOT_CONTAINS(out.p, "<“");
    buf_release(&out);
    doc_free(d);
}

TEST(report_every_format_is_deterministic_across_runs_and_zones)
{
    const char *tz = getenv("TZ");
    char *saved = tz ? strdup(tz) : NULL;
    for (const struct report_format *f = report_formats; f->name; f++) {
        struct buf a = BUF_INIT, b = BUF_INIT;
        setenv("TZ", "UTC", 1);
        tzset();
        struct doc *d = sample();
        render(f->name, d, &a);
        doc_free(d);
        setenv("TZ", "America/Los_Angeles", 1);
        tzset();
        d = sample();
        render(f->name, d, &b);
        doc_free(d);
        if (a.n != b.n || memcmp(a.p, b.p, a.n))
            t_fail(__FILE__, __LINE__, "%s output differs between two runs", f->name);
        buf_release(&a);
        buf_release(&b);
    }
    if (saved)
        setenv("TZ", saved, 1);
    else
        unsetenv("TZ");
    tzset();
    free(saved);
}

/* --- DOCX --- */

TEST(report_docx_layout)
{
    struct doc *d = sample();
    struct buf out = BUF_INIT;
    render("docx", d, &out);
    struct zipdoc z;
    zip_open_buf(&z, &out);
    ASSERT_EQ_INT(zip_all_xml(&z), 13);
    /* Stable order: the content types first, the document before its parts. */
    ASSERT_EQ_STR(zip_get_name(z.za, 0, 0), "[Content_Types].xml");
    ASSERT_EQ_STR(zip_get_name(z.za, 4, 0), "word/document.xml");

    xmlDocPtr doc = zip_xml(&z, "word/document.xml");
    size_t n;
    char *raw = zip_get(&z, "word/document.xml", &n);
    ASSERT_GOLDEN("report/sample.docx.document.xml", raw, n);
    free(raw);
    raw = zip_get(&z, "word/styles.xml", &n);
    ASSERT_GOLDEN("report/sample.docx.styles.xml", raw, n);
    free(raw);

    const char *sect = "/w:document/w:body/w:sectPr";
    /* A4 and the GB/T 9704 margins, within 0.1 mm. */
    ASSERT_EQ_DBL(xn(doc, arena_fmt(t_arena(), "%s/w:pgSz/@w:w", sect)) / TWIPS_PER_MM, 210, 0.1);
    ASSERT_EQ_DBL(xn(doc, arena_fmt(t_arena(), "%s/w:pgSz/@w:h", sect)) / TWIPS_PER_MM, 297, 0.1);
    long top = xn(doc, arena_fmt(t_arena(), "%s/w:pgMar/@w:top", sect));
    long bottom = xn(doc, arena_fmt(t_arena(), "%s/w:pgMar/@w:bottom", sect));
    long left = xn(doc, arena_fmt(t_arena(), "%s/w:pgMar/@w:left", sect));
    long right = xn(doc, arena_fmt(t_arena(), "%s/w:pgMar/@w:right", sect));
    ASSERT_EQ_DBL(top / TWIPS_PER_MM, 37, 0.1);
    ASSERT_EQ_DBL(bottom / TWIPS_PER_MM, 35, 0.1);
    ASSERT_EQ_DBL(left / TWIPS_PER_MM, 28, 0.1);
    ASSERT_EQ_DBL(right / TWIPS_PER_MM, 26, 0.1);
    /* The 版心 is 156 × 225 mm. */
    long text_w = xn(doc, arena_fmt(t_arena(), "%s/w:pgSz/@w:w", sect)) - left - right;
    long text_h = xn(doc, arena_fmt(t_arena(), "%s/w:pgSz/@w:h", sect)) - top - bottom;
    ASSERT_EQ_DBL(text_w / TWIPS_PER_MM, 156, 0.1);
    ASSERT_EQ_DBL(text_h / TWIPS_PER_MM, 225, 0.1);
    /* The header of the letterhead starts 30 mm from the top edge; the lower red line sits
     * on the footer, 20 mm from the bottom edge. */
    ASSERT_EQ_DBL(xn(doc, arena_fmt(t_arena(), "%s/w:pgMar/@w:header", sect)) / TWIPS_PER_MM, 30,
                  0.1);
    ASSERT_EQ_DBL(xn(doc, arena_fmt(t_arena(), "%s/w:pgMar/@w:footer", sect)) / TWIPS_PER_MM, 20,
                  0.1);
    /* 22 lines of 28 characters fill the 版心 exactly: 22 fit, 23 do not. */
    /* A line-only grid (LibreOffice spreads glyphs wider than a character grid's pitch
     * over two cells); the runs are condensed so that 28 characters of 3号 fit. */
    ASSERT_EQ_STR(xs(doc, arena_fmt(t_arena(), "%s/w:docGrid/@w:type", sect)), "lines");
    ASSERT_EQ_INT(xcount(doc, arena_fmt(t_arena(), "%s/w:docGrid/@w:charSpace", sect)), 0);
    long pitch = xn(doc, arena_fmt(t_arena(), "%s/w:docGrid/@w:linePitch", sect));
    ASSERT(22 * pitch <= text_h && 23 * pitch > text_h);
    double width_pt = text_w / 20.0;
    xmlDocPtr st0 = zip_xml(&z, "word/styles.xml");
    long condense = xn(st0, "/w:styles/w:docDefaults/w:rPrDefault/w:rPr/w:spacing/@w:val");
    xmlFreeDoc(st0);
    ASSERT(condense < 0);
    double char_pt = 16.0 + condense / 20.0;
    ASSERT(28 * char_pt <= width_pt && 29 * char_pt > width_pt);
    ASSERT(28 * char_pt > width_pt - 2); /* and they fill it */
    /* No page number on page 1 of a 函; odd and even footers; the first-page parts. */
    ASSERT_EQ_INT(xcount(doc, arena_fmt(t_arena(), "%s/w:titlePg", sect)), 1);
    ASSERT_EQ_STR(
        xs(doc, arena_fmt(t_arena(), "%s/w:headerReference[@w:type='first']/@r:id", sect)),
        "rIdHdrFirst");
    ASSERT_EQ_INT(xcount(doc, arena_fmt(t_arena(), "%s/w:footerReference", sect)), 3);
    /* Each attachment starts a page with 附件N. */
    ASSERT_EQ_INT(xcount(doc, "//w:p[w:pPr/w:pageBreakBefore]"), 2);
    ASSERT_EQ_STR(xs(doc, "(//w:p[w:pPr/w:pageBreakBefore])[1]"), "附件1");
    ASSERT_EQ_STR(xs(doc, "(//w:p[w:pPr/w:pageBreakBefore])[2]"), "附件2");
    ASSERT_EQ_STR(xs(doc, "(//w:p[w:pPr/w:pageBreakBefore])[2]/w:pPr/w:pStyle/@w:val"),
                  "GwAttachLabel");
    /* The 文号 under the line, the title, the 成文日期 four characters in from the right. */
    ASSERT_EQ_STR(xs(doc, "/w:document/w:body/w:p[1]"), "珠府办函〔2018〕295号");
    ASSERT_EQ_STR(xs(doc, "/w:document/w:body/w:p[1]/w:pPr/w:jc/@w:val"), "right");
    ASSERT_EQ_STR(xs(doc, "/w:document/w:body/w:p[2]/w:pPr/w:pStyle/@w:val"), "GwTitle");
    ASSERT_EQ_INT(xn(doc, "/w:document/w:body/w:p[2]/w:pPr/w:spacing/@w:before"), 2 * pitch);
    ASSERT_EQ_INT(xn(doc, "//w:p[.='2018年12月12日']/w:pPr/w:ind/@w:rightChars"), 400);
    /* The 署名 (10 characters) centred over the date (7): 4 + (7 − 10) / 2 = 2.5 in. */
    ASSERT_EQ_INT(
        xn(doc,
           "//w:p[.='珠海市人民政府办公室' and w:pPr/w:pStyle/@w:val='GwSign']/w:pPr/w:ind/@w:rightChars"),
        250);
    /* Tables: header rows repeat, numbers stand right. */
    ASSERT_EQ_INT(xcount(doc, "//w:tbl"), 2);
    ASSERT_EQ_INT(xcount(doc, "//w:tr[w:trPr/w:tblHeader]"), 3);
    ASSERT_EQ_STR(xs(doc, "//w:tc[.='899']/w:p/w:pPr/w:jc/@w:val"), "right");
    ASSERT_EQ_STR(xs(doc, "//w:tc[.='高栏港区']/w:p/w:pPr/w:jc/@w:val"), "left");
    ASSERT_EQ_INT(xn(doc, "//w:tc[.='信息公开目录']/w:tcPr/w:gridSpan/@w:val"), 3);
    ASSERT_EQ_INT(xcount(doc, "//w:tc[w:tcPr/w:vMerge/@w:val='restart']"), 2); /* 序号, 单位 */
    ASSERT_EQ_INT(xcount(doc, "//w:tc[w:tcPr/w:vMerge[not(@w:val)]]"), 2);
    /* Figures carry their own character style. */
    ASSERT_EQ_STR(xs(doc, "//w:r[w:t='4835']/w:rPr/w:rStyle/@w:val"), "GwNumber");
    /* Run-in heading: 楷体 heading, 仿宋 text in one paragraph. */
    ASSERT_EQ_STR(xs(doc, "//w:p[starts-with(.,'（一）信息发布情况。')]/w:pPr/w:pStyle/@w:val"),
                  "GwH2");
    ASSERT_EQ_STR(
        xs(doc, "//w:p[starts-with(.,'（一）信息发布情况。')]/w:r[3]/w:rPr/w:rStyle/@w:val"),
        "GwBodyChar");
    xmlFreeDoc(doc);

    xmlDocPtr st = zip_xml(&z, "word/styles.xml");
    /* 3号仿宋 body, 2号小标宋 title, 黑体 and 楷体 headings, exact 28.95 pt lines. */
    ASSERT_EQ_STR(xs(st, "//w:rPrDefault//w:rFonts/@w:eastAsia"), "仿宋_GB2312");
    ASSERT_EQ_INT(xn(st, "//w:rPrDefault//w:sz/@w:val"), 32);
    ASSERT_EQ_INT(xn(st, "//w:pPrDefault//w:spacing/@w:line"), pitch);
    ASSERT_EQ_STR(xs(st, "//w:pPrDefault//w:spacing/@w:lineRule"), "exact");
    ASSERT_EQ_DBL(pitch / 20.0, 28.95, 0.01);
    ASSERT_EQ_STR(xs(st, "//w:style[@w:styleId='GwTitle']//w:rFonts/@w:eastAsia"),
                  "方正小标宋简体");
    ASSERT_EQ_INT(xn(st, "//w:style[@w:styleId='GwTitle']//w:sz/@w:val"), 44);
    ASSERT_EQ_STR(xs(st, "//w:style[@w:styleId='GwTitle']//w:jc/@w:val"), "center");
    ASSERT_EQ_STR(xs(st, "//w:style[@w:styleId='GwH1']//w:rFonts/@w:eastAsia"), "黑体");
    ASSERT_EQ_STR(xs(st, "//w:style[@w:styleId='GwH2']//w:rFonts/@w:eastAsia"), "楷体_GB2312");
    ASSERT_EQ_INT(xn(st, "//w:style[@w:styleId='GwBody']//w:ind/@w:firstLineChars"), 200);
    ASSERT_EQ_STR(xs(st, "//w:style[@w:styleId='GwFooter']//w:rFonts/@w:eastAsia"), "宋体");
    ASSERT_EQ_INT(xn(st, "//w:style[@w:styleId='GwFooter']//w:sz/@w:val"), 28);
    xmlFreeDoc(st);

    xmlDocPtr ft = zip_xml(&z, "word/fontTable.xml");
    ASSERT_EQ_STR(xs(ft, "//w:font[@w:name='仿宋_GB2312']/w:altName/@w:val"), "仿宋");
    ASSERT_EQ_STR(xs(ft, "//w:font[@w:name='仿宋']/w:altName/@w:val"), "FangSong");
    ASSERT_EQ_STR(xs(ft, "//w:font[@w:name='方正小标宋简体']/w:altName/@w:val"), "华文中宋");
    ASSERT_EQ_STR(xs(ft, "//w:font[@w:name='楷体_GB2312']/w:altName/@w:val"), "楷体");
    xmlFreeDoc(ft);

    /* The letterhead: a red mark, a red thick-over-thin line overhanging 7 mm each side
     * (170 mm); the lower line thin over thick. */
    xmlDocPtr h = zip_xml(&z, "word/header1.xml");
    ASSERT_EQ_STR(xs(h, "//w:p"), "珠海市人民政府办公室");
    ASSERT_EQ_STR(xs(h, "//w:pBdr/w:bottom/@w:val"), "thickThinSmallGap");
    ASSERT_EQ_STR(xs(h, "//w:pBdr/w:bottom/@w:color"), "FF0000");
    ASSERT_EQ_DBL((text_w - 2 * xn(h, "//w:ind/@w:left")) / TWIPS_PER_MM, 170, 0.2);
    ASSERT_EQ_INT(xn(h, "//w:ind/@w:left"), xn(h, "//w:ind/@w:right"));
    xmlFreeDoc(h);
    xmlDocPtr f1 = zip_xml(&z, "word/footer1.xml");
    ASSERT_EQ_STR(xs(f1, "//w:pBdr/w:bottom/@w:val"), "thinThickSmallGap");
    ASSERT_EQ_STR(xs(f1, "//w:pBdr/w:bottom/@w:color"), "FF0000");
    ASSERT_EQ_INT(xcount(f1, "//w:instrText"), 0);
    xmlFreeDoc(f1);
    /* "— N —": odd pages right, even pages left, each a character in. */
    xmlDocPtr f2 = zip_xml(&z, "word/footer2.xml");
    ASSERT_EQ_STR(xs(f2, "//w:instrText"), " PAGE ");
    ASSERT_EQ_STR(xs(f2, "(//w:t)[1]"), "— ");
    ASSERT_EQ_STR(xs(f2, "(//w:t)[2]"), "1");
    ASSERT_EQ_STR(xs(f2, "(//w:t)[3]"), " —");
    ASSERT_EQ_STR(xs(f2, "//w:jc/@w:val"), "right");
    ASSERT(xn(f2, "//w:ind/@w:right") > 0);
    xmlFreeDoc(f2);
    xmlDocPtr f3 = zip_xml(&z, "word/footer3.xml");
    ASSERT_EQ_STR(xs(f3, "//w:jc/@w:val"), "left");
    ASSERT(xn(f3, "//w:ind/@w:left") > 0);
    xmlFreeDoc(f3);
    xmlDocPtr se = zip_xml(&z, "word/settings.xml");
    ASSERT_EQ_INT(xcount(se, "//w:evenAndOddHeaders"), 1);
    xmlFreeDoc(se);
    /* Fixed times from the 成文日期 (00:00 China time). */
    xmlDocPtr core = zip_xml(&z, "docProps/core.xml");
    ASSERT_EQ_STR(xs(core, "//dcterms:created"), "2018-12-11T16:00:00Z");
    ASSERT_EQ_STR(xs(core, "//dc:title"),
                  "珠海市人民政府办公室关于2018年11月份市政府门户网站内容保障情况的通报");
    xmlFreeDoc(core);
    zip_done(&z);
    buf_release(&out);
    doc_free(d);
}

TEST(report_docx_file_and_plain_layouts)
{
    for (int l = DOC_LAYOUT_FILE; l <= DOC_LAYOUT_PLAIN; l++) {
        struct doc *d = fixture_report_hostile((enum doc_layout)l);
        struct buf out = BUF_INIT;
        render("docx", d, &out);
        struct zipdoc z;
        zip_open_buf(&z, &out);
        zip_all_xml(&z);
        xmlDocPtr doc = zip_xml(&z, "word/document.xml");
        ASSERT_EQ_INT(xcount(doc, "//w:sectPr/w:titlePg"), 0); /* numbered from page 1 */
        ASSERT_NULL(zip_get(&z, "word/header1.xml", NULL));
        if (l == DOC_LAYOUT_FILE) {
            /* "<office>文件" in red; the 文号 centred over a red line. */
            ASSERT_CONTAINS(xs(doc, "//w:p[w:pPr/w:pStyle/@w:val='GwMark']"), "文件");
            ASSERT_EQ_STR(
                xs(doc, "//w:p[w:pPr/w:pBdr/w:bottom/@w:color='FF0000']/w:pPr/w:jc/@w:val"),
                "center");
            /* 版记 between black lines, with 印发机关 and 印发日期. */
            ASSERT_CONTAINS(xs(doc, "(//w:p[w:pPr/w:pStyle/@w:val='GwCc'])[2]"),
                            "2018年1月6日印发");
        } else {
            ASSERT_EQ_INT(xcount(doc, "//w:p[w:pPr/w:pStyle/@w:val='GwMark']"), 0);
        }
        xmlFreeDoc(doc);
        zip_done(&z);
        buf_release(&out);
        doc_free(d);
    }
}

/* --- XLSX --- */

TEST(report_xlsx_sheets)
{
    struct doc *d = sample();
    struct buf out = BUF_INIT;
    render("xlsx", d, &out);
    struct zipdoc z;
    zip_open_buf(&z, &out);
    zip_all_xml(&z);
    xmlDocPtr wb = zip_xml(&z, "xl/workbook.xml");
    ASSERT_EQ_INT(xcount(wb, "//s:sheet"), 2);
    ASSERT_EQ_STR(xs(wb, "(//s:sheet)[1]/@name"), "各单位信息发布数量");
    ASSERT_EQ_STR(xs(wb, "(//s:sheet)[2]/@name"), "附件2 政府信息公开目录更新不及时的单位");
    /* Header rows repeat in print. */
    ASSERT_CONTAINS(xs(wb, "//s:definedName[@name='_xlnm.Print_Titles']"), "$2:$2");
    xmlFreeDoc(wb);
    xmlDocPtr s1 = zip_xml(&z, "xl/worksheets/sheet1.xml");
    /* Frozen below the title and the header. */
    ASSERT_EQ_STR(xs(s1, "//s:pane/@state"), "frozen");
    ASSERT_EQ_INT(xn(s1, "//s:pane/@ySplit"), 2);
    /* A4, one page wide. */
    ASSERT_EQ_INT(xn(s1, "//s:pageSetup/@paperSize"), 9);
    ASSERT_EQ_INT(xn(s1, "//s:pageSetup/@fitToHeight"), 0);
    ASSERT_EQ_STR(xs(s1, "//s:sheetPr/s:pageSetUpPr/@fitToPage"), "1");
    /* Numbers are numbers: 899 in C3, 18.6% as a ratio. */
    ASSERT_EQ_STR(xs(s1, "//s:c[@r='C3']/s:v"), "899");
    ASSERT_EQ_STR(xs(s1, "//s:c[@r='C3']/@t"), "");
    ASSERT_EQ_DBL(atof(xs(s1, "//s:c[@r='D3']/s:v")), 899.0 / 4835.0, 1e-9);
    /* The 合计 row spans two columns; the title row spans them all. */
    ASSERT_EQ_INT(xcount(s1, "//s:mergeCell[@ref='A1:D1']"), 1);
    ASSERT_EQ_INT(xcount(s1, "//s:mergeCell[@ref='A11:B11']"), 1);
    /* Widths fitted to CJK text: the 10-character header needs about 20 units. */
    double w3 = atof(xs(s1, "//s:col[@min='3']/@width"));
    double w1 = atof(xs(s1, "//s:col[@min='1']/@width"));
    ASSERT(w3 >= 20 && w3 <= 30);
    ASSERT(w1 < w3);
    xmlFreeDoc(s1);
    xmlDocPtr s2 = zip_xml(&z, "xl/worksheets/sheet2.xml");
    ASSERT_EQ_INT(xcount(s2, "//s:mergeCell[@ref='C2:E2']"), 1); /* 信息公开目录 */
    ASSERT_EQ_INT(xcount(s2, "//s:mergeCell[@ref='A2:A3']"), 1); /* 序号, two header rows */
    ASSERT_EQ_INT(xn(s2, "//s:pane/@ySplit"), 3);
    xmlFreeDoc(s2);
    xmlDocPtr st = zip_xml(&z, "xl/styles.xml");
    ASSERT_EQ_INT(xcount(st, "//s:numFmt[@formatCode='0.0%']"), 1);
    xmlFreeDoc(st);
    xmlDocPtr core = zip_xml(&z, "docProps/core.xml");
    ASSERT_EQ_STR(xs(core, "//dcterms:created"), "2018-12-11T16:00:00Z");
    xmlFreeDoc(core);
    zip_done(&z);
    buf_release(&out);
    doc_free(d);
}

TEST(report_xlsx_sheet_names_are_valid_and_unique)
{
    struct doc *d = doc_new(&(struct doc_meta){
        .layout = DOC_LAYOUT_PLAIN, .title = "t", .date = DATE_NONE, .print_date = DATE_NONE });
    static const char *const caps[] = {
        "a[b]c:d*e?f/g\\h",
        "A[B]C:D*E?F/G\\H",
        "'quoted'",
        "History",
        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三", /* 33 */
        "一二三四五六七八九十一二三四五六七八九十一二三四五六七八九十一二三",
    };
    for (size_t i = 0; i < sizeof(caps) / sizeof(caps[0]); i++) {
        struct doc_table *t = doc_table(d, caps[i], 1);
        doc_table_row(t);
        doc_cell_int(t, (int64_t)i);
    }
    struct buf out = BUF_INIT;
    render("xlsx", d, &out);
    struct zipdoc z;
    zip_open_buf(&z, &out);
    xmlDocPtr wb = zip_xml(&z, "xl/workbook.xml");
    int n = xcount(wb, "//s:sheet");
    ASSERT_EQ_INT(n, 6);
    for (int i = 1; i <= n; i++) {
        const char *name = xs(wb, arena_fmt(t_arena(), "(//s:sheet)[%d]/@name", i));
        ASSERT(utf8_count(name, strlen(name)) <= 31 && *name);
        ASSERT(!strpbrk(name, "[]:*?/\\"));
        ASSERT(name[0] != '\'' && name[strlen(name) - 1] != '\'');
        ASSERT(ascii_casecmp(name, "History"));
        for (int k = 1; k < i; k++)
            ASSERT(ascii_casecmp(name, xs(wb, arena_fmt(t_arena(), "(//s:sheet)[%d]/@name", k))));
    }
    xmlFreeDoc(wb);
    zip_done(&z);
    buf_release(&out);
    doc_free(d);
}

TEST(report_xlsx_without_tables_holds_the_text)
{
    struct doc *d = doc_new(&(struct doc_meta){
        .layout = DOC_LAYOUT_PLAIN, .title = "标题", .date = DATE_NONE, .print_date = DATE_NONE });
    doc_text(doc_heading(d, 1, "第一部分"), "");
    doc_para(d, "正文一段。");
    struct buf out = BUF_INIT;
    render("xlsx", d, &out);
    struct zipdoc z;
    zip_open_buf(&z, &out);
    zip_all_xml(&z);
    xmlDocPtr ss = zip_xml(&z, "xl/sharedStrings.xml");
    ASSERT_EQ_INT(xcount(ss, "//s:si[.='一、第一部分']"), 1);
    ASSERT_EQ_INT(xcount(ss, "//s:si[.='正文一段。']"), 1);
    xmlFreeDoc(ss);
    zip_done(&z);
    buf_release(&out);
    doc_free(d);
}

/* --- escaping --- */

static bool has_bytes(const struct buf *b, const char *needle, size_t n)
{
    for (size_t i = 0; i + n <= b->n; i++)
        if (!memcmp(b->p + i, needle, n))
            return true;
    return false;
}

TEST(report_hostile_text_is_escaped_everywhere)
{
    for (int l = DOC_LAYOUT_LETTER; l <= DOC_LAYOUT_PLAIN; l++) {
        struct doc *d = fixture_report_hostile((enum doc_layout)l);
        struct buf html = BUF_INIT, md = BUF_INIT;
        render("html", d, &html);
        render("md", d, &md);
        /* HTML: no markup from the text, every special character an entity. */
        ASSERT_NOT_CONTAINS(html.p, "<script>");
        ASSERT_NOT_CONTAINS(html.p, "<b>办公室");
        ASSERT_NOT_CONTAINS(html.p, "<caption>表 <caption>");
        ASSERT_CONTAINS(html.p,
                        "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;引号&quot;");
        ASSERT_CONTAINS(html.p, "<title>标题 &lt;script&gt;");
        ASSERT_CONTAINS(html.p, "a|b &lt;th&gt;");
        /* Markdown: the specials escaped, nothing opens a block. */
        ASSERT_CONTAINS(md.p, "\\<script\\>");
        ASSERT_CONTAINS(md.p, "\\# 主送 \\*机关\\* \\_x\\_ \\[a\\](b)");
        ASSERT_CONTAINS(md.p, "1\\. 不是列表");
        ASSERT_CONTAINS(md.p, "\\- 破折号开头\\\n\\+ 加号开头\\\n\\= 等号\\\n四个空格");
        ASSERT_CONTAINS(md.p, "| a\\|b \\<th\\> |");
        ASSERT_CONTAINS(md.p, "（**加粗**。）");
        /* Both: no control characters, no U+FFFE, bad bytes replaced. */
        const struct buf *both[] = { &html, &md };
        for (int k = 0; k < 2; k++) {
            const struct buf *b = both[k];
            ASSERT(utf8_valid(b->p, b->n));
            ASSERT(!has_bytes(b, "\xef\xbf\xbe", 3));
            for (size_t i = 0; i < b->n; i++)
                ASSERT((unsigned char)b->p[i] >= 0x20 || b->p[i] == '\n');
            ASSERT(has_bytes(b, "坏字节\xef\xbf\xbd\xef\xbf\xbd结束",
                             strlen("坏字节") + 6 + strlen("结束")));
        }
        /* DOCX and XLSX: every part parses, the text arrives intact. */
        struct buf docx = BUF_INIT, xlsx = BUF_INIT;
        render("docx", d, &docx);
        render("xlsx", d, &xlsx);
        struct zipdoc z;
        zip_open_buf(&z, &docx);
        zip_all_xml(&z);
        xmlDocPtr doc = zip_xml(&z, "word/document.xml");
        ASSERT_EQ_STR(xs(doc, "//w:p[w:pPr/w:pStyle/@w:val='GwTitle']"),
                      "标题 <script>alert('x')</script> & \"引号\"第二行");
        ASSERT_EQ_INT(xcount(doc, "//w:t[.=\"附件正文 ]]> <![CDATA[\"]"), 1);
        ASSERT_EQ_INT(xcount(doc, "//w:r[w:t='换行']/w:br"), 1);
        ASSERT_EQ_INT(xcount(doc, "//w:r[w:t='之后']/w:tab"), 1);
        xmlFreeDoc(doc);
        xmlDocPtr core = zip_xml(&z, "docProps/core.xml");
        ASSERT_CONTAINS(xs(core, "//dc:creator"), "<b>办公室</b> & \"Co\" 'x'");
        xmlFreeDoc(core);
        zip_done(&z);
        zip_open_buf(&z, &xlsx);
        zip_all_xml(&z);
        xmlDocPtr ss = zip_xml(&z, "xl/sharedStrings.xml");
        ASSERT_EQ_INT(xcount(ss, "//s:si[.=concat('\"q\" & ', \"'a'\")]"), 1);
        xmlFreeDoc(ss);
        zip_done(&z);
        buf_release(&docx);
        buf_release(&xlsx);
        buf_release(&html);
        buf_release(&md);
        doc_free(d);
    }
}

TEST(report_output_cap_is_rc_limit)
{
    struct doc *d = sample();
    for (const struct report_format *f = report_formats; f->name; f++) {
        struct buf out;
        buf_init(&out, 1000);
        struct err e = { 0 };
        ASSERT_RC(f->render(d, &out, &e), RC_LIMIT);
        buf_release(&out);
    }
    doc_free(d);
}

TEST(report_format_table)
{
    ASSERT_EQ_STR(report_format_find("DOCX")->ext, "docx");
    ASSERT_EQ_STR(report_format_find("markdown")->name, "md");
    ASSERT_NULL(report_format_find("pdf"));
    ASSERT_NULL(report_format_find(NULL));
    int n = 0;
    for (const struct report_format *f = report_formats; f->name; f++, n++)
        ASSERT_CONTAINS(report_format_names(), f->name);
    ASSERT_EQ_INT(n, 4);
}

/* --- templates --- */

/* Render template text into a plain document's body as Markdown. */
static enum rc tmpl_md(const char *src, const struct tmpl_vars *v, struct buf *out, struct err *e)
{
    struct tmpl *t;
    enum rc rc = tmpl_parse(t_arena(), "t.tmpl", src, strlen(src), &t, e);
    if (rc)
        return rc;
    struct doc *d = doc_new(&(struct doc_meta){
        .layout = DOC_LAYOUT_PLAIN, .signature = "", .date = DATE_NONE, .print_date = DATE_NONE });
    rc = tmpl_render(t, v, d, e);
    if (!rc)
        rc = render_md(d, out, e);
    doc_free(d);
    return rc;
}

static struct tmpl_vars *vars(void)
{
    struct tmpl_vars *v = tmpl_vars_new(t_arena());
    tmpl_set_int(v, "n", 16);
    tmpl_set_int(v, "zero", 0);
    tmpl_set_str(v, "unit", "市交通局");
    tmpl_set_str(v, "empty", "");
    tmpl_set_str(v, "evil", "**<b>** # x\n- y");
    tmpl_set_num(v, "rate", "100%");
    tmpl_set_bool(v, "yes", true);
    tmpl_set_bool(v, "no", false);
    tmpl_set_date(v, "as_of", date_from_ymd(2018, 12, 1));
    tmpl_set_date(v, "none", DATE_NONE);
    struct tmpl_list *l = tmpl_set_list(v, "top");
    static const struct {
        const char *u;
        int c;
    } top[] = { { "高栏港区", 899 }, { "市食药监局", 188 }, { "市人社局", 95 } };
    for (size_t i = 0; i < 3; i++) {
        struct tmpl_vars *it = tmpl_list_add(l);
        tmpl_set_str(it, "name", top[i].u);
        tmpl_set_int(it, "count", top[i].c);
    }
    tmpl_set_list(v, "nothing");
    return v;
}

TEST(report_template_expansion)
{
    static const struct {
        const char *src, *want;
    } cases[] = {
        { "收到{{n}}宗，{{unit}}。\n", "收到16宗，市交通局。\n" },
        { "第一行\n第二行\n\n第二段\n", "第一行第二行\n\n第二段\n" },
        { "  缩进的行  \n\t也去掉\n", "缩进的行也去掉\n" },
        { "# 一级\n\n## 二级。\n紧接正文。\n\n## 三\n",
          "## 一、一级\n\n（一）二级。紧接正文。\n\n### （二）三\n" },
        { "### 项目\n#### 细项\n", "#### 1.项目\n\n##### （1）细项\n" },
        { "#不是标题\n##### 也不是\n", "\\#不是标题##### 也不是\n" },
        { "{{#if n}}有{{else}}无{{/if}}{{#if zero}}有{{else}}无{{/if}}{{#unless no}}否{{/unless}}\n",
          "有无否\n" },
        { "{{#if empty}}x{{/if}}{{#if none}}y{{/if}}{{#if nothing}}z{{/if}}{{#if top}}列{{/if}}\n",
          "列\n" },
        { "{{#each top}}{{name}}{{count}}条{{#sep}}、{{/sep}}{{/each}}。\n",
          "高栏港区899条、市食药监局188条、市人社局95条。\n" },
        { "{{#each top}}\n{{@n}}.{{name}}\n\n{{/each}}\n",
          "1\\.高栏港区\n\n2\\.市食药监局\n\n3\\.市人社局\n" },
        { "{{#each nothing}}x{{else}}无{{/each}}\n", "无\n" },
        { "截至{{as_of:md}}，{{as_of}}，{{as_of:ym}}，{{as_of:y}}年，第{{n:cn}}\n",
          "截至12月1日，2018年12月1日，2018年12月，2018年，第十六\n" },
        { "按时办结率为{{rate}}。\n", "按时办结率为100%。\n" },
        { "**重点**和{{#if yes}}**{{unit}}**{{/if}}\n", "**重点**和**市交通局**\n" },
        { "值：{{evil}}\n", "值：\\*\\*\\<b\\>\\*\\* # x\\\n\\- y\n" },
        { "\\{{n}} \\*\\* \\# \\\\\n", "{{n}} \\*\\* # \\\\\n" },
        { "{{! a comment }}\n{{#if yes}}\n一\n{{/if}}\n{{#if no}}\n二\n{{/if}}\n三\n", "一三\n" },
        { "{{#if yes}}\n甲\n\n{{/if}}\n乙\n", "甲\n\n乙\n" },
        { "**未闭合\n\n下一段\n", "**未闭合**\n\n下一段\n" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf out = BUF_INIT;
        struct err e = { 0 };
        enum rc rc = tmpl_md(cases[i].src, vars(), &out, &e);
        if (rc)
            t_fail(__FILE__, __LINE__, "case %zu: %s", i, err_msg(&e));
        if (strcmp(buf_cstr(&out), cases[i].want))
            t_fail(__FILE__, __LINE__, "case %zu:\n    got:  \"%s\"\n    want: \"%s\"", i,
                   buf_cstr(&out), cases[i].want);
        buf_release(&out);
    }
}

TEST(report_template_errors_name_file_and_line)
{
    static const struct {
        const char *src;
        enum rc rc;
        const char *msg;
    } cases[] = {
        { "a\n{{cont_received}}\n", RC_INVALID, "t.tmpl:2: unknown placeholder 'cont_received'" },
        { "a\n\n{{#if no}}\n{{typo}}\n{{/if}}\n", RC_INVALID,
          "t.tmpl:4: unknown placeholder 'typo'" },
        { "{{#each top}}\n{{nmae}}\n{{/each}}\n", RC_INVALID,
          "t.tmpl:2: unknown placeholder 'nmae'" },
        { "{{#if n}}\nx\n", RC_PARSE, "t.tmpl:1: '{{#if n}}' is not closed; add '{{/if}}'" },
        { "{{#if n}}\n{{/each}}\n", RC_PARSE,
          "t.tmpl:2: '{{/each}}' closes '{{#if}}' opened at line 1" },
        { "x\n{{/if}}\n", RC_PARSE, "t.tmpl:2: '{{/if}}' closes nothing" },
        { "{{#if n}}{{else}}{{else}}{{/if}}\n", RC_PARSE, "a second '{{else}}'" },
        { "{{else}}\n", RC_PARSE, "'{{else}}' outside" },
        { "{{#sep}}{{/sep}}\n", RC_PARSE, "'{{#sep}}' outside '{{#each}}'" },
        { "a {{n\n}}\n", RC_PARSE, "t.tmpl:1: '{{' without '}}'" },
        { "{{}}\n", RC_PARSE, "empty '{{}}'" },
        { "{{a b}}\n", RC_PARSE, "is not a placeholder" },
        { "{{#loop x}}{{/loop}}\n", RC_PARSE, "unknown section '{{#loop}}'" },
        { "{{n:xx}}\n", RC_PARSE, "unknown format ':xx'" },
        { "{{unit:md}}\n", RC_INVALID, "format ':md' does not apply to 'unit'" },
        { "{{as_of:cn}}\n", RC_INVALID, "format ':cn' does not apply" },
        { "{{top}}\n", RC_INVALID, "'{{top}}' is a list" },
        { "{{#each unit}}x{{/each}}\n", RC_INVALID, "needs a list" },
        { "{{@n}}\n", RC_INVALID, "'{{@n}}' outside '{{#each}}'" },
    };
    for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
        struct buf out = BUF_INIT;
        struct err e = { 0 };
        enum rc rc = tmpl_md(cases[i].src, vars(), &out, &e);
        if (rc != cases[i].rc)
            t_fail(__FILE__, __LINE__, "case %zu: got %s, want %s (%s)", i, rc_name(rc),
                   rc_name(cases[i].rc), err_msg(&e));
        ASSERT_CONTAINS(e.msg, cases[i].msg);
        buf_release(&out);
    }
}

TEST(report_template_limits)
{
    /* Nesting. */
    struct buf src = BUF_INIT;
    for (int i = 0; i < 40; i++)
        buf_adds(&src, "{{#if yes}}");
    struct tmpl *t;
    struct err e = { 0 };
    ASSERT_RC(tmpl_parse(t_arena(), "deep", src.p, src.n, &t, &e), RC_LIMIT);
    ASSERT_CONTAINS(e.msg, "nested more than 32 deep");
    /* Expansion: a list of 1000 items inside another of 1000 items. */
    buf_reset(&src);
    buf_adds(&src, "{{#each a}}{{#each a}}{{x}}{{/each}}{{/each}}\n");
    struct tmpl_vars *v = tmpl_vars_new(t_arena());
    struct tmpl_list *l = tmpl_set_list(v, "a");
    for (int i = 0; i < 1000; i++)
        tmpl_set_int(tmpl_list_add(l), "x", i);
    err_clear(&e);
    ASSERT_OK(tmpl_parse(t_arena(), "wide", src.p, src.n, &t, &e), &e);
    struct doc *d = doc_new(NULL);
    ASSERT_RC(tmpl_render(t, v, d, &e), RC_LIMIT);
    ASSERT_NULL(d->body.blocks); /* nothing appended on error */
    doc_free(d);
    /* Size. */
    buf_reset(&src);
    for (int i = 0; i < (1 << 20) / 8 + 1; i++)
        buf_adds(&src, "12345678");
    ASSERT_RC(tmpl_parse(t_arena(), "big", src.p, src.n, &t, &e), RC_LIMIT);
    buf_release(&src);
}

TEST(report_template_resource_is_embedded_and_overridable)
{
    struct tmpl *t;
    struct err e = { 0 };
    ASSERT_OK(tmpl_load(t_arena(), "report/monthly.tmpl", &t, &e), &e);
    /* An override in the data directory wins. */
    char dir[1024];
    snprintf(dir, sizeof(dir), "%s/report", t_tmpdir());
    ASSERT(mkdir(dir, 0700) == 0);
    const char *path = arena_fmt(t_arena(), "%s/monthly.tmpl", dir);
    FILE *f = fopen(path, "w");
    ASSERT_NOT_NULL(f);
    fputs("本办自定：{{n}}\n", f);
    fclose(f);
    res_set_dir(t_tmpdir());
    ASSERT_OK(tmpl_load(t_arena(), "report/monthly.tmpl", &t, &e), &e);
    struct tmpl_vars *v = tmpl_vars_new(t_arena());
    tmpl_set_int(v, "n", 7);
    struct doc *d = doc_new(&(struct doc_meta){
        .layout = DOC_LAYOUT_PLAIN, .signature = "", .date = DATE_NONE, .print_date = DATE_NONE });
    ASSERT_OK(tmpl_render(t, v, d, &e), &e);
    struct buf out = BUF_INIT;
    ASSERT_OK(render_md(d, &out, &e), &e);
    ASSERT_EQ_STR(out.p, "本办自定：7\n");
    res_set_dir(NULL);
    buf_release(&out);
    doc_free(d);
    /* A missing template names itself. */
    ASSERT_RC(tmpl_load(t_arena(), "report/nope.tmpl", &t, &e), RC_NOTFOUND);
}
