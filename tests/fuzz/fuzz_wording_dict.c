/* fuzz_wording_dict.c - the wording dictionary parser on arbitrary bytes, then the
 * scanner over the same bytes as text with the entries parsed: no crash, every hit lies
 * in the text and spells its entry's wrong form, hits come in order and none lies inside
 * another. */
#include <string.h>

#include "checks/wording.h"
#include "core/date.h"
#include "core/notes.h"
#include "fuzz.h"

FUZZ(wording_dict)
{
    struct wording_dict *d = wording_dict_new();
    struct notes bad = NOTES_INIT;
    size_t added = 0;
    wording_dict_parse(d, "fuzz.tsv", (const char *)data, size, WORDING_FILE, &added, &bad, NULL);
    FUZZ_ASSERT(added == wording_dict_size(d));
    notes_release(&bad);
    wording_dict_compile(d);
    struct wording_hits h = { 0 };
    int32_t days[] = { DATE_NONE, date_from_ymd(2019, 6, 1) };
    for (int k = 0; k < 2; k++) {
        size_t n = wording_scan(d, (const char *)data, size, days[k], &h);
        FUZZ_ASSERT(n == h.n);
        for (size_t i = 0; i < n; i++) {
            const struct wording_hit *x = &h.v[i];
            FUZZ_ASSERT(x->off + x->len <= size);
            FUZZ_ASSERT(x->len == strlen(x->e->wrong));
            FUZZ_ASSERT(!memcmp(data + x->off, x->e->wrong, x->len));
            FUZZ_ASSERT(wording_entry_active(x->e, days[k]));
            if (i) {
                const struct wording_hit *p = &h.v[i - 1];
                FUZZ_ASSERT(p->off <= x->off);
                FUZZ_ASSERT(
                    !(p->off <= x->off && x->off + x->len <= p->off + p->len && p->len > x->len));
                FUZZ_ASSERT(!(x->off == p->off && x->len > p->len));
            }
        }
    }
    wording_hits_release(&h);
    wording_dict_free(d);
    return 0;
}
