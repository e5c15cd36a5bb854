/* fuzz_dates.c - date finding in text: no crash, no read past the end; what is found is
 * a valid date inside the input, and parsing the found text again gives the same date. */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "crawl/crawl.h"
#include "fuzz.h"

FUZZ(dates)
{
    if (size > 65536)
        return 0;
    /* an exact-size copy so sanitizers see any read past the end */
    char *s = malloc(size ? size : 1);
    memcpy(s, data, size);
    struct html_date h;
    if (html_date_find(s, size, &h)) {
        int y, m, d;
        date_to_ymd(h.day, &y, &m, &d);
        FUZZ_ASSERT(date_valid(y, m, d));
        FUZZ_ASSERT(h.pos + h.len <= size);
        int32_t again;
        FUZZ_ASSERT(html_date_parse(s + h.pos, h.len, &again));
        FUZZ_ASSERT(again == h.day);
    }
    for (unsigned mode = 1; mode <= 7; mode++)
        if (html_date_labelled(s, size, mode, &h))
            FUZZ_ASSERT(h.pos + h.len <= size);
    int32_t day;
    int mo, dd;
    html_date_split(s, size, &day);
    html_date_month_day(s, size, &mo, &dd);
    char *z = malloc(size + 1);
    memcpy(z, data, size);
    z[size] = 0;
    html_date_from_url(z, &day);
    free(z);
    free(s);
    return 0;
}
