/* fuzz_csv.c - the CSV reader on arbitrary bytes: no crash, every field valid UTF-8,
 * line numbers never go backwards. */
#include <string.h>

#include "core/csv.h"
#include "core/utf8.h"
#include "fuzz.h"

FUZZ(csv)
{
    struct csv c;
    struct err e = { 0 };
    csv_open_mem(&c, "fuzz.csv", (const char *)data, size);
    long last = 0;
    int r;
    while ((r = csv_next(&c, &e)) > 0) {
        FUZZ_ASSERT(c.line >= last);
        last = c.line;
        for (size_t i = 0; i < c.nf; i++)
            FUZZ_ASSERT(utf8_valid(c.f[i], strlen(c.f[i])));
    }
    csv_close(&c);
    return 0;
}
