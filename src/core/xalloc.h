/* xalloc.h - allocation that never returns NULL.
 *
 * Running out of memory is fatal (docs/ARCHITECTURE.md, "Ownership"): these print
 * "govsite: out of memory" and abort, which removes a class of untested error paths.
 * Limits on sizes fed from outside are *not* fatal; those are RC_LIMIT errors raised by
 * the code that knows the limit (buf max, body caps, CSV caps).
 */
#ifndef CORE_XALLOC_H
#define CORE_XALLOC_H

#include <stddef.h>

void *xmalloc(size_t n);
void *xcalloc(size_t nmemb, size_t size);
void *xrealloc(void *p, size_t n);
/* Grow an array to hold at least `want` elements of `elem` bytes; *cap is updated.
 * Grows geometrically; checks for overflow. Returns the (possibly moved) array. */
void *xgrow(void *p, size_t *cap, size_t want, size_t elem);
char *xstrdup(const char *s);            /* caller frees */
char *xstrndup(const char *s, size_t n); /* caller frees; always NUL-terminated */
void *xmemdup(const void *p, size_t n);  /* caller frees */

#define XNEW(T) ((T *)xcalloc(1, sizeof(T)))

#endif
