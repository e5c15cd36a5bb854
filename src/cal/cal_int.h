/* cal_int.h - private to src/cal: the explanation writer the deadline engine drives
 * (deadline_explain.c).  Every function is a no-op when the explain is NULL, so the
 * engine calls them unconditionally and the fast path builds nothing. */
#ifndef CAL_CAL_INT_H
#define CAL_CAL_INT_H

#include "cal/cal.h"

struct dlx {
    struct deadline_explain *ex; /* NULL: no explanation wanted */
    const struct cal *cal;
    const struct deadline_rule *rule;
    int tz;
    int32_t cursor; /* days up to here are written */
    int ordinal;    /* working days counted so far in the period */
    bool run;       /* a run of days off is pending */
    int32_t run_first, run_last;
    enum cal_reason run_reason;
    const char *run_name;
    bool run_est;
};

void dlx_init(struct dlx *x, struct deadline_explain *ex, const struct cal *cal,
              const struct deadline_rule *rule, int tz);
void dlx_rule(struct dlx *x);
void dlx_received(struct dlx *x, int64_t at, int32_t day);
/* Counting (re)starts after `anchor` with `ordinal` working days already counted. */
void dlx_start(struct dlx *x, int32_t anchor, int ordinal);
/* Write the days after the cursor up to and including `to`. */
void dlx_days(struct dlx *x, int32_t to);
/* An event line: PAUSE (n used, m left), RESUME (n calendar days paused, m left),
 * RESTART (n = period days), EXTEND (n added, m = new total). */
void dlx_event(struct dlx *x, enum deadline_step_kind kind, int64_t at, int n, int m);
void dlx_due(struct dlx *x, const struct deadline_result *res);
void dlx_paused(struct dlx *x, const struct deadline_result *res);
void dlx_notes(struct dlx *x, const struct deadline_result *res);

#endif
