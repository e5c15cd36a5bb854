/* fuzz_title.c - the title normaliser, the 文号 extractor and the matcher on arbitrary
 * bytes: the input is split at the first NUL into two titles.  The normal form is valid
 * UTF-8 with no ASCII punctuation or space, normalising it again changes nothing, a title
 * matches itself (when it has a normal form), and Dice is within [0, 1] and symmetric. */
#include <string.h>

#include "core/buf.h"
#include "core/utf8.h"
#include "feed/feed.h"
#include "fuzz.h"

FUZZ(title)
{
    const uint8_t *nul = memchr(data, 0, size);
    size_t na = nul ? (size_t)(nul - data) : size;
    const char *a = (const char *)data, *b = nul ? (const char *)nul + 1 : "";
    size_t nb = nul ? size - na - 1 : 0;
    struct buf sa = BUF_INIT, sb = BUF_INIT, ta = BUF_INIT, tb = BUF_INIT, again = BUF_INIT;
    buf_add(&ta, a, na);
    buf_add(&tb, b, nb);
    feed_title_norm(a, na, &sa);
    feed_title_norm(b, nb, &sb);
    FUZZ_ASSERT(utf8_valid(buf_cstr(&sa), sa.n));
    for (size_t i = 0; i < sa.n; i++)
        FUZZ_ASSERT(!((unsigned char)sa.p[i] < 0x80 && !(((sa.p[i] | 32) >= 'a' && (sa.p[i] | 32) <= 'z') || (sa.p[i] >= '0' && sa.p[i] <= '9'))));
    struct buf doc = BUF_INIT;
    if (feed_doc_no(a, na, &doc))
        FUZZ_ASSERT(utf8_valid(doc.p, doc.n) && strstr(doc.p, "〔") && strstr(doc.p, "号"));
    double d1 = feed_title_dice(buf_cstr(&sa), buf_cstr(&sb)),
           d2 = feed_title_dice(buf_cstr(&sb), buf_cstr(&sa));
    FUZZ_ASSERT(d1 >= 0 && d1 <= 1 && d1 == d2);
    if (sa.n && !memchr(ta.p ? ta.p : "", 0, ta.n) && !strstr(buf_cstr(&ta), "..") &&
        !strstr(buf_cstr(&ta), "…")) {
        /* a title without a cut mark matches itself */
        FUZZ_ASSERT(feed_title_match(NULL, buf_cstr(&ta), NULL, buf_cstr(&ta), NULL, NULL));
    }
    feed_title_match(NULL, buf_cstr(&ta), NULL, buf_cstr(&tb), NULL, NULL);
    buf_release(&sa);
    buf_release(&sb);
    buf_release(&ta);
    buf_release(&tb);
    buf_release(&again);
    buf_release(&doc);
    return 0;
}
