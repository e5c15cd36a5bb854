/* fuzz_holidays.c - the holiday table parser (holidays/cn.tsv can be replaced by a file
 * in the data directory) on arbitrary bytes: no crash, and a table that loads answers
 * consistently (adding N working days and counting back gives N). */
#include <string.h>

#include "cal/cal.h"
#include "core/date.h"
#include "fuzz.h"

FUZZ(holidays)
{
    if (size > 65536)
        return 0;
    struct cal *c = NULL;
    struct err e = { 0 };
    if (cal_from_tsv("fuzz.tsv", (const char *)data, size, &c, &e) != RC_OK) {
        FUZZ_ASSERT(c == NULL && e.msg[0]);
        return 0;
    }
    int32_t from = date_from_ymd(2018, 1, 1);
    for (int32_t d = from; d < from + 400; d += 7) {
        int32_t x;
        int k;
        if (cal_add(c, d, 10, &x, NULL, &e) == RC_OK) {
            FUZZ_ASSERT(cal_count(c, d + 1, x, &k, NULL, &e) == RC_OK && k == 10);
            FUZZ_ASSERT(cal_is_workday(c, x));
        }
    }
    cal_free(c);
    return 0;
}
