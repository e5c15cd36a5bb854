/* fuzz_robots.c - robots.txt parsing and matching: no crash, and the empty path rules
 * are answered whatever the file says. */
#include <stdlib.h>
#include <string.h>

#include "crawl/crawl_int.h"
#include "fuzz.h"

FUZZ(robots)
{
    if (size > 65536)
        return 0;
    char *s = malloc(size ? size : 1);
    memcpy(s, data, size);
    struct robots *r = robots_parse(s, size, "govsite");
    static const char *const paths[] = { "/", "/a/b.html?c=d", "/%E6%96%B0", "/x.pdf", "" };
    for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
        robots_allowed(r, paths[i]);
    robots_delay_ms(r);
    robots_free(r);
    free(s);
    return 0;
}
