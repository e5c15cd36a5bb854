/* arena.h - region allocation for scoped work (h2o's per-request pool, git mem_pool).
 *
 * One arena per HTTP request, per crawled page, per report run: allocate freely, never
 * free individually, then arena_reset() (keep the first block for reuse) or
 * arena_release() (free everything).  Whatever must outlive the scope is copied into its
 * long-lived owner.  Allocation never fails (OOM aborts).  Pointers returned stay valid
 * until the next reset or release.
 */
#ifndef CORE_ARENA_H
#define CORE_ARENA_H

#include <stdarg.h>
#include <stddef.h>

#include "core/err.h"

struct arena_block;

struct arena {
    struct arena_block *head; /* newest block first */
    size_t used;              /* bytes handed out in total (for limits and stats) */
};

#define ARENA_INIT { 0 }

void *arena_alloc(struct arena *a, size_t n);  /* 16-byte aligned, zeroed */
char *arena_strdup(struct arena *a, const char *s);
char *arena_strndup(struct arena *a, const char *s, size_t n);
char *arena_fmt(struct arena *a, const char *fmt, ...) FMT_PRINTF(2, 3);
void arena_reset(struct arena *a);   /* free all but the first block */
void arena_release(struct arena *a); /* free everything */

#endif
