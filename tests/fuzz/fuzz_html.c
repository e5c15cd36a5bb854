/* fuzz_html.c - charset decoding and HTML extraction of hostile bytes: no crash, no
 * leak; every link is an absolute http(s) URL or absent, every item has a valid date,
 * the main list is part of the items, the text is valid UTF-8. */
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/charset.h"
#include "core/date.h"
#include "core/utf8.h"
#include "crawl/crawl.h"
#include "fuzz.h"

FUZZ(html)
{
    if (size > 256 * 1024)
        return 0;
    struct buf utf = BUF_INIT;
    struct charset_result cr;
    charset_decode((const char *)data, size, NULL, &utf, &cr);
    struct arena a = ARENA_INIT;
    struct html_page p;
    static struct html_ctx *ctx;
    if (!ctx)
        ctx = html_ctx_new(64);
    html_extract(&a, buf_cstr(&utf), utf.n, "http://www.shifan.test/a/b/c.html",
                 (size & 1) ? ctx : NULL, 0, &p);
    FUZZ_ASSERT(p.text != NULL);
    FUZZ_ASSERT(utf8_valid(p.text, p.text_len));
    FUZZ_ASSERT(p.nmain <= p.nitems);
    for (size_t i = 0; i < p.nlinks; i++)
        FUZZ_ASSERT(!p.links[i].url || !strncmp(p.links[i].url, "http", 4));
    for (size_t i = 0; i < p.nitems; i++) {
        int y, m, d;
        date_to_ymd(p.items[i].day, &y, &m, &d);
        FUZZ_ASSERT(date_valid(y, m, d));
        FUZZ_ASSERT(p.latest_any >= p.items[i].day);
    }
    FUZZ_ASSERT(!p.is_list || !p.is_article);
    arena_release(&a);
    buf_release(&utf);
    return 0;
}
