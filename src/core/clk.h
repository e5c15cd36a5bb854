/* clk.h - the injectable clock.  Every read of "now" goes through a struct clk.
 *
 * Tests and the CLI fix "now" (GOVSITE_NOW="2018-12-01 09:00", like git's
 * GIT_TEST_DATE_NOW) so output is reproducible.  The clock also carries the UTC offset
 * used to turn instants into civil dates (China Standard Time by default; settable with
 * the `timezone` configuration key or GOVSITE_TZ).
 */
#ifndef CORE_CLK_H
#define CORE_CLK_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"

struct clk {
    bool fixed;        /* true: now() returns `at` */
    int64_t at;        /* the fixed instant (UTC seconds) when fixed */
    int tzoff;         /* seconds east of UTC for civil dates (default TZ_CST) */
};

/* Real time, China Standard Time. */
void clk_init(struct clk *c);
/* Apply GOVSITE_NOW and GOVSITE_TZ from the environment; errors name the variable. */
enum rc clk_from_env(struct clk *c, struct err *err);
int64_t clk_now(const struct clk *c);
int32_t clk_today(const struct clk *c); /* civil date of now() at c->tzoff */
/* Monotonic milliseconds, for rates and timeouts (not affected by GOVSITE_NOW). */
int64_t clk_mono_ms(void);

#endif
