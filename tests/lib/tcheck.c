/* tcheck.c - helpers for the checks' unit tests (tcheck.h). */
#include "tcheck.h"

#include "core/date.h"
#include "test.h"

struct clk t_at(const char *when)
{
    struct clk c = *t_clk();
    if (!time_parse(when, TZ_CST, &c.at, NULL))
        t_fail(__FILE__, __LINE__, "bad moment '%s'", when);
    c.fixed = true;
    return c;
}

int32_t t_day(const char *s)
{
    int32_t d;
    if (!date_parse(s, &d))
        t_fail(__FILE__, __LINE__, "bad date '%s'", s);
    return d;
}
