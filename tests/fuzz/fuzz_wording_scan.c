/* fuzz_wording_scan.c - the scanner with the built-in dictionary on arbitrary text: no
 * crash, hits spell their wrong forms, offsets and character counts agree, and excerpts
 * are valid UTF-8 whatever the bytes around the hit. */
#include <string.h>

#include "checks/wording.h"
#include "core/date.h"
#include "core/utf8.h"
#include "fuzz.h"

static struct wording_dict *dict;

FUZZ(wording_scan)
{
    if (!dict) {
        dict = wording_dict_new();
        if (wording_dict_load(dict, NULL, NULL, NULL))
            abort();
        wording_dict_compile(dict);
    }
    struct wording_hits h = { 0 };
    size_t n = wording_scan(dict, (const char *)data, size, date_from_ymd(2019, 6, 1), &h);
    size_t chars = 0, at = 0;
    for (size_t i = 0; i < n; i++) {
        const struct wording_hit *x = &h.v[i];
        FUZZ_ASSERT(x->off >= at && x->off + x->len <= size);
        FUZZ_ASSERT(!memcmp(data + x->off, x->e->wrong, x->len));
        for (; at < x->off; at++)
            chars += (data[at] & 0xC0) != 0x80;
        FUZZ_ASSERT(chars == x->chars);
        struct buf before = BUF_INIT, after = BUF_INIT;
        wording_excerpt((const char *)data, size, x->off, x->len, 5, &before, &after);
        FUZZ_ASSERT(utf8_valid(before.p ? before.p : "", before.n));
        FUZZ_ASSERT(utf8_valid(after.p ? after.p : "", after.n));
        buf_release(&before);
        buf_release(&after);
    }
    wording_hits_release(&h);
    return 0;
}
