/* fuzz_time.c - the time/date parsers on arbitrary text: no crash, and whatever parses
 * formats back to a string that parses to the same instant. */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "fuzz.h"

FUZZ(time)
{
    if (size > 256)
        return 0;
    char s[257];
    memcpy(s, data, size);
    s[size] = 0;
    int64_t t;
    int fl;
    if (time_parse(s, TZ_CST, &t, &fl)) {
        char iso[32];
        time_fmt_iso(t, TZ_CST, iso);
        int64_t t2;
        FUZZ_ASSERT(time_parse(iso, TZ_CST, &t2, NULL));
        FUZZ_ASSERT(t == t2);
    }
    int32_t d;
    if (date_parse(s, &d)) {
        char out[11];
        date_fmt(d, out);
        FUZZ_ASSERT(strcmp(out, s) == 0);
    }
    return 0;
}
