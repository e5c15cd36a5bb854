/* fuzz_form.c - request input the web layer parses itself: urlencoded bodies (web_form)
 * and request paths against every route pattern.  No crash; every decoded key and value
 * is valid UTF-8 (so the database only ever sees valid text); never more pairs than room. */
#include <string.h>

#include "core/arena.h"
#include "core/utf8.h"
#include "fuzz.h"
#include "web/web_int.h"

FUZZ(form)
{
    if (size > 65536)
        return 0;
    struct arena a = ARENA_INIT;
    struct web_kv kv[16];
    size_t n = web_urlencoded_parse(&a, (const char *)data, size, kv, 16);
    FUZZ_ASSERT(n <= 16);
    for (size_t i = 0; i < n; i++) {
        FUZZ_ASSERT(utf8_valid(kv[i].k, strlen(kv[i].k)));
        FUZZ_ASSERT(utf8_valid(kv[i].v, strlen(kv[i].v)));
    }
    /* the same bytes as a path (NUL-terminated at the first NUL, as libmicrohttpd gives) */
    char *path = arena_strndup(&a, (const char *)data, size);
    struct web_req r;
    memset(&r, 0, sizeof(r));
    for (size_t i = 0; i < web_nroutes; i++) {
        r.nparams = 0;
        if (web__match(routes[i].pattern, path, &r)) {
            FUZZ_ASSERT(r.nparams <= WEB_MAX_PARAMS);
            for (int k = 0; k < r.nparams; k++)
                FUZZ_ASSERT(r.params[k].v[0] && !strchr(r.params[k].v, '/'));
        }
    }
    arena_release(&r.a);
    arena_release(&a);
    return 0;
}
