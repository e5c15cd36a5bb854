/* fuzz_feed.c - the feed parser on arbitrary bytes: the first byte picks the kind (auto,
 * rss, atom, html) and whether a header charset is given; every item that comes out has
 * a title, an absolute http(s) URL and valid UTF-8, and at most FEED_MAX_ITEMS come out. */
#include <string.h>

#include "core/date.h"
#include "core/utf8.h"
#include "feed/feed.h"
#include "fuzz.h"

FUZZ(feed)
{
    if (size < 1)
        return 0;
    enum feed_kind kind = (enum feed_kind)(data[0] & 3);
    const char *cs = (data[0] & 4) ? "gbk" : NULL;
    struct feed_parsed p;
    struct notes bad = NOTES_INIT;
    feed_parse((const char *)data + 1, size - 1, cs, "http://www.gov.test/feed/", kind, TZ_CST,
               &p, &bad, NULL);
    FUZZ_ASSERT(p.n <= FEED_MAX_ITEMS);
    for (size_t i = 0; i < p.n; i++) {
        FUZZ_ASSERT(p.items[i].title && *p.items[i].title);
        FUZZ_ASSERT(utf8_valid(p.items[i].title, strlen(p.items[i].title)));
        FUZZ_ASSERT(!strncmp(p.items[i].url, "http://", 7) || !strncmp(p.items[i].url, "https://", 8));
    }
    feed_parsed_release(&p);
    notes_release(&bad);
    return 0;
}
