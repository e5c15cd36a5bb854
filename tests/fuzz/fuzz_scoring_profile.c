/* fuzz_scoring_profile.c - the scoring profile parser on arbitrary bytes: no crash; a
 * profile that parses gives a verdict with a score between 0 and its total whatever the
 * facts. */
#include <string.h>

#include "checks/check.h"
#include "fuzz.h"

FUZZ(scoring_profile)
{
    struct check_profile *p = NULL;
    struct err e = { 0 };
    if (check_profile_parse("fuzz.ini", (const char *)data, size, &p, &e)) {
        FUZZ_ASSERT(!p && e.rc);
        return 0;
    }
    struct check_facts f;
    check_facts_init(&f, 1, 0);
    for (size_t i = 0; i < check_nfact_defs; i++) {
        check_facts_set(&f, check_fact_defs[i].fact, (int64_t)(i * 3 % 11));
        check_facts_add_column(&f, check_fact_defs[i].fact, (int64_t)(i % 4));
    }
    struct check_verdict v;
    check_verdict_compute(p, &f, &v);
    FUZZ_ASSERT(v.score >= 0 && v.score_confirmed >= v.score);
    FUZZ_ASSERT(!v.pass || v.nvetoes == 0);
    check_verdict_release(&v);
    check_facts_release(&f);
    check_profile_free(p);
    return 0;
}
