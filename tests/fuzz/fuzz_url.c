/* fuzz_url.c - URL normalisation and resolution: no crash; a normal form is a fixed
 * point (normalising it again gives the same text); the fast path for relative
 * references gives exactly curl's result. */
#include <stdlib.h>
#include <string.h>

#include "core/url.h"
#include "fuzz.h"

FUZZ(url)
{
    if (size > 2048)
        return 0;
    char s[2049];
    memcpy(s, data, size);
    s[size] = 0;
    char *out = NULL;
    if (url_resolve("http://www.shifan.test/a/b/index.html?x=1", s, &out, NULL) == RC_OK) {
        char *again = NULL;
        FUZZ_ASSERT(url_normalize(out, &again, NULL) == RC_OK);
        FUZZ_ASSERT(strcmp(out, again) == 0);
        free(again);
    }
    struct url_base b;
    if (url_base_init(&b, "http://www.shifan.test/a/b/index.html?x=1", NULL) == RC_OK) {
        char *fast = NULL, *slow = NULL;
        enum rc r1 = url_base_resolve(&b, s, &fast, NULL);
        enum rc r2 = url_base_resolve_curl(&b, s, &slow, NULL);
        FUZZ_ASSERT(r1 == r2);
        FUZZ_ASSERT(!fast == !slow);
        FUZZ_ASSERT(!fast || strcmp(fast, slow) == 0);
        free(fast);
        free(slow);
        url_base_release(&b);
    }
    free(out);
    url_kind_of(s);
    char host[256];
    url_host(s, host, sizeof(host));
    return 0;
}
