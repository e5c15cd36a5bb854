/* fuzz_url.c - URL normalisation and resolution: no crash; a normal form is a fixed
 * point (normalising it again gives the same text). */
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
    free(out);
    url_kind_of(s);
    char host[256];
    url_host(s, host, sizeof(host));
    return 0;
}
