/* fuzz_keyset.c - list positions (?after= / ?before= cursors) as clients send them: no
 * crash, a text key is valid UTF-8 without NUL, and an accepted cursor encodes back to
 * itself (so the Link headers a server writes are the cursors it reads). */
#include <string.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/utf8.h"
#include "fuzz.h"
#include "store/keyset.h"

FUZZ(keyset)
{
    if (size > 2 * KEYSET_TEXT_MAX + 64)
        return 0;
    struct arena a = ARENA_INIT;
    char *s = arena_strndup(&a, (const char *)data, size);
    struct keyset k;
    if (keyset_parse(s, size & 1, &a, &k) && k.set) {
        FUZZ_ASSERT(k.before == (size & 1));
        if (k.text)
            FUZZ_ASSERT(k.t && utf8_valid(k.t, strlen(k.t)) && strlen(k.t) <= KEYSET_TEXT_MAX);
        struct buf b = BUF_INIT;
        keyset_encode(&b, k.text, k.i, k.t, k.id);
        struct keyset k2;
        FUZZ_ASSERT(keyset_parse(buf_cstr(&b), false, &a, &k2) && k2.set);
        FUZZ_ASSERT(k2.text == k.text && k2.i == k.i && k2.id == k.id);
        FUZZ_ASSERT(!k.text || !strcmp(k2.t, k.t));
        buf_release(&b);
    }
    arena_release(&a);
    return 0;
}
