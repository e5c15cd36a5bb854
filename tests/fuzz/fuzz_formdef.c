/* fuzz_formdef.c - the annual forms' definition parser (data/forms/NAME.form, which an office
 * may replace) on arbitrary text: no crash, bounded rows, and every parsed row is
 * well-formed (label and source non-empty, sections without a source). */
#include <string.h>

#include "core/arena.h"
#include "fuzz.h"
#include "report/report.h"

FUZZ(formdef)
{
    struct arena a = ARENA_INIT;
    struct report_formdef def;
    struct err e = { 0 };
    if (!report_formdef_parse(&a, "fuzz.form", (const char *)data, size, &def, &e)) {
        FUZZ_ASSERT(def.n <= 2000);
        for (size_t i = 0; i < def.n; i++) {
            const struct report_form_row *r = &def.rows[i];
            FUZZ_ASSERT(r->label && r->unit && r->source);
            if (r->kind == REPORT_ROW_SECTION)
                FUZZ_ASSERT(!*r->source);
            else
                FUZZ_ASSERT(*r->label && *r->source && strcmp(r->source, "="));
        }
    } else {
        FUZZ_ASSERT(e.rc == RC_PARSE || e.rc == RC_LIMIT);
    }
    arena_release(&a);
    return 0;
}
