/* tcheck.h - small helpers for the checks' unit tests (moments and dates). */
#ifndef TESTS_TCHECK_H
#define TESTS_TCHECK_H

#include <stdint.h>

#include "core/clk.h"

/* A clock fixed at a moment given as "YYYY-MM-DD HH:MM" China time (fails the test on a
 * bad moment). */
struct clk t_at(const char *when);
/* A civil date "YYYY-MM-DD". */
int32_t t_day(const char *s);

#endif
