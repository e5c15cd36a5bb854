/* keyset.h - keyset ("seek") pagination for lists ordered by one key and the row id.
 *
 * A page of a long list is read as "the next 50 rows after this position" instead of
 * "skip 10,000 rows, then read 50": with an index on (key, id) the database walks straight
 * to the position, so the cost of a page does not grow with its depth (docs/storage.md).
 *
 *   struct keyset k;                      from the client's ?after= / ?before= cursor
 *   if (!keyset_parse(cursor, arena, &k)) → 400
 *   buf_adds(&sql, "SELECT ... FROM cases c WHERE c.kind = ?");
 *   keyset_where(&sql, "c.received_at", "c.id", desc, &k);       " AND (key, id) < (?, ?)"
 *   keyset_order(&sql, "c.received_at", "c.id", desc, &k);       " ORDER BY ... LIMIT ?"
 *   i = keyset_bind(st, i, &k);  stmt_bind_int(st, i, limit + 1);
 *   rows come in display order, except for a `before` page: reverse them (keyset_reverse)
 *
 * The key expression must never be NULL (wrap it in COALESCE) and should be what an
 * index is built on, e.g. (received_at, id).  Row-value comparisons are portable between
 * SQLite (3.15+) and PostgreSQL.  A cursor is plain ASCII: "i.<int>.<id>" for an integer
 * key, "t.<hex of the text>.<id>" for a text key; the direction (after or before) is the
 * name of the query parameter that carries it, not part of the cursor.
 */
#ifndef STORE_KEYSET_H
#define STORE_KEYSET_H

#include <stdbool.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "store/store.h"

#define KEYSET_TEXT_MAX 2048 /* bytes of a text key a cursor may carry */

struct keyset {
    bool set;      /* a position was given: else the list starts at its beginning */
    bool before;   /* the rows before the position (a "previous page"), else after */
    bool text;     /* the key is text (t), else an integer (i) */
    int64_t i;     /* the key, when an integer */
    const char *t; /* the key, when text (arena) */
    int64_t id;    /* the row id, the tie-breaker */
};

/* A sort parameter: "key" (ascending), "+key" or "-key" (descending) where key is the
 * first member (a const char *) of one of n table rows of `stride` bytes starting at
 * `keys`.  Returns the row's index, -1 when unknown; *desc tells the direction. */
int keyset_sort_parse(const char *s, const char *const *keys, size_t stride, size_t n, bool *desc);
/* Append the cursor of a row's position to out. */
void keyset_encode(struct buf *out, bool text, int64_t i, const char *t, int64_t id);
/* Parse a cursor (NULL or "" gives an unset keyset).  False for anything malformed,
 * including a text key of invalid UTF-8 or over KEYSET_TEXT_MAX bytes. */
bool keyset_parse(const char *s, bool before, struct arena *a, struct keyset *k);
/* " AND (expr, idcol) > (?, ?)" or "<", from the order and the direction; nothing when
 * k is unset.  Two values to bind (keyset_bind). */
void keyset_where(struct buf *sql, const char *expr, const char *idcol, bool desc,
                  const struct keyset *k);
/* " ORDER BY expr [DESC], idcol [DESC]", reversed for a `before` page. */
void keyset_order(struct buf *sql, const char *expr, const char *idcol, bool desc,
                  const struct keyset *k);
/* Bind the position at idx, idx + 1 when set; returns the next index. */
int keyset_bind(struct stmt *st, int idx, const struct keyset *k);

#endif
