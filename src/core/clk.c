/* clk.c - the injectable clock (see clk.h). */
#include "core/clk.h"

#include <stdlib.h>
#include <time.h>

#include "core/date.h"

void clk_init(struct clk *c)
{
    c->fixed = false;
    c->at = 0;
    c->tzoff = TZ_CST;
}

enum rc clk_from_env(struct clk *c, struct err *err)
{
    const char *tz = getenv("GOVSITE_TZ");
    if (tz && *tz && !tz_parse(tz, &c->tzoff))
        return err_set(err, RC_INVALID, "cannot parse GOVSITE_TZ '%s'; use an offset like +08:00",
                       tz);
    const char *now = getenv("GOVSITE_NOW");
    if (now && *now) {
        int64_t t;
        if (!time_parse(now, c->tzoff, &t, NULL))
            return err_set(err, RC_INVALID,
                           "cannot parse GOVSITE_NOW '%s'; use 'YYYY-MM-DD HH:MM' or ISO 8601",
                           now);
        c->fixed = true;
        c->at = t;
    }
    return RC_OK;
}

int64_t clk_now(const struct clk *c)
{
    if (c && c->fixed)
        return c->at;
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    return (int64_t)ts.tv_sec;
}

int32_t clk_today(const struct clk *c)
{
    return time_to_date(clk_now(c), c ? c->tzoff : TZ_CST);
}

int64_t clk_mono_ms(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}
