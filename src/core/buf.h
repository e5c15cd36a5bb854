/* buf.h - a growable byte buffer (git strbuf + curl dynbuf + SQLite's sticky error).
 *
 * Contract:
 *   - `struct buf b = BUF_INIT;` or buf_init(&b, max).  The struct lives in the caller's
 *     memory; the pointer you pass never moves, only b.p does.
 *   - buf_cstr() is never NULL and always NUL-terminated, even when empty.  The contents
 *     are binary-safe (embedded NULs are kept; b.n is the length).
 *   - `max` (0 = unlimited) caps the length.  An append that would pass it stores nothing
 *     more and sets the sticky b.rc = RC_LIMIT; later appends are no-ops, so renderers can
 *     append freely and check once at the end (buf_rc).  Running out of memory aborts.
 *   - b.p is borrowed: valid until the next append or release.  buf_take() moves the bytes
 *     to the caller (free() them) and leaves the buf empty and reusable.
 */
#ifndef CORE_BUF_H
#define CORE_BUF_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

struct buf {
    char *p;    /* the bytes, NUL-terminated; NULL until the first append */
    size_t n;   /* length, excluding the terminating NUL */
    size_t cap; /* allocated bytes */
    size_t max; /* maximum length, 0 = unlimited */
    enum rc rc; /* RC_OK, or RC_LIMIT once an append was refused (sticky) */
};

#define BUF_INIT { 0 }

void buf_init(struct buf *b, size_t max);
void buf_release(struct buf *b);  /* free the bytes; the buf is BUF_INIT again (max kept) */
void buf_reset(struct buf *b);    /* length 0 and error cleared; memory kept */
char *buf_take(struct buf *b);    /* caller frees; buf becomes empty; never NULL */
const char *buf_cstr(const struct buf *b);
enum rc buf_rc(const struct buf *b);
bool buf_grow(struct buf *b, size_t extra); /* make room; false when over max */

void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_addf(struct buf *b, const char *fmt, ...) FMT_PRINTF(2, 3);
void buf_vaddf(struct buf *b, const char *fmt, va_list ap) FMT_PRINTF(2, 0);
void buf_addbuf(struct buf *b, const struct buf *src);
void buf_truncate(struct buf *b, size_t n); /* shrink to n bytes (n <= b->n) */
/* Remove trailing ASCII whitespace. */
void buf_rtrim(struct buf *b);

/* Read a whole file into b (appending).  Fails with RC_IO naming the path, or RC_LIMIT
 * when the file exceeds b->max. */
enum rc buf_read_file(struct buf *b, const char *path, struct err *err);
/* Write b to `path` atomically (write PATH.tmp, fsync, rename). "-" is stdout. */
enum rc buf_write_file(const struct buf *b, const char *path, struct err *err);

#endif
