/* fuzz_deadline.c - the RECEIVED and event parsers and the deadline engine on arbitrary
 * text.  Input: line 1 a RECEIVED time, then one event token per line; the first byte
 * also picks the rule.  Invariants: nothing crashes; a computed due time is not before
 * the receipt day, the period is the rule's days plus its extension, and computing with
 * an explanation gives the same answer as without. */
#include <stdlib.h>
#include <string.h>

#include "cal/cal.h"
#include "core/date.h"
#include "core/res.h"
#include "fuzz.h"

static struct cal *the_cal(void)
{
    static struct cal *c;
    if (!c) {
        const struct res_file *f = res_find_embedded(CAL_TABLE);
        struct err e = { 0 };
        FUZZ_ASSERT(f && cal_from_tsv(CAL_TABLE, (const char *)f->data, f->len, &c, &e) == RC_OK);
    }
    return c;
}

FUZZ(deadline)
{
    if (size > 4096)
        return 0;
    char *text = malloc(size + 1);
    memcpy(text, data, size);
    text[size] = 0;
    const struct deadline_rule *rule = &deadline_builtin[size ? data[0] % deadline_nbuiltin : 0];
    struct deadline_event ev[64];
    size_t n = 0;
    int64_t received = 0;
    bool have_received = false;
    char *save = text;
    for (char *line = text; line; line = save) {
        char *nl = strchr(line, '\n');
        save = nl ? nl + 1 : NULL;
        if (nl)
            *nl = 0;
        struct err e = { 0 };
        if (!have_received) {
            have_received = true;
            if (deadline_parse_time(line, TZ_CST, &received, &e) != RC_OK) {
                FUZZ_ASSERT(e.rc == RC_PARSE && e.msg[0]);
                received = 0;
            }
            continue;
        }
        if (n < 64 && deadline_event_parse(line, TZ_CST, &ev[n], &e) == RC_OK) {
            FUZZ_ASSERT(ev[n].type <= DEADLINE_EXTEND);
            FUZZ_ASSERT(ev[n].type != DEADLINE_EXTEND ||
                        (ev[n].days >= 1 && ev[n].days <= DEADLINE_MAX_DAYS));
            n++;
        } else if (e.rc) {
            FUZZ_ASSERT(e.rc == RC_PARSE && e.msg[0]);
        }
    }
    if (received) {
        struct cal *c = the_cal();
        struct deadline_result r1, r2;
        struct deadline_explain ex;
        deadline_explain_init(&ex);
        struct err e1 = { 0 }, e2 = { 0 };
        enum rc rc1 = deadline_compute(c, rule, received, ev, n, &r1, NULL, &e1);
        enum rc rc2 = deadline_compute(c, rule, received, ev, n, &r2, &ex, &e2);
        FUZZ_ASSERT(rc1 == rc2);
        if (rc1 == RC_OK) {
            FUZZ_ASSERT(r1.paused == r2.paused && r1.due == r2.due &&
                        r1.est.estimated == r2.est.estimated);
            FUZZ_ASSERT(r1.working_days == rule->days + r1.extension);
            FUZZ_ASSERT(r1.extension <= rule->extension_max);
            if (!r1.paused)
                FUZZ_ASSERT(r1.due_day >= time_to_date(received, TZ_CST));
            else
                FUZZ_ASSERT(r1.remaining >= 0 && r1.remaining <= r1.working_days);
            FUZZ_ASSERT(ex.steps.n > 0);
            struct buf b = BUF_INIT;
            struct jw w;
            jw_init(&w, &b, false);
            deadline_json(&w, c, rule, received, &r2, &ex);
            jw_finish(&w);
            buf_release(&b);
        } else {
            FUZZ_ASSERT(e1.msg[0] && !strcmp(e1.msg, e2.msg));
        }
        deadline_explain_release(&ex);
    }
    free(text);
    return 0;
}
