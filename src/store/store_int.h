/* store_int.h - what store.c and the drivers share: the driver vtable and the structs.
 * Not for use outside src/store/.
 *
 * Adding a driver: implement every function of struct store_driver in store_X.c; add a
 * DSN test to store_dsn_is_X and a branch in store_open (store.c); run the store suite
 * with that backend (tests/unit/test_store.c reads PG_TEST_DSN the same way); list the
 * dialect differences the driver hides in docs/storage.md.
 */
#ifndef STORE_STORE_INT_H
#define STORE_STORE_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/map.h"
#include "store/store.h"

struct store_driver {
    const char *name;
    enum rc (*open)(struct store *s, const char *dsn, struct err *err);
    void (*close)(struct store *s);
    /* Prepare st->sql into st->impl; on failure set st->err. */
    enum rc (*prepare)(struct stmt *st);
    void (*finalize)(struct stmt *st);
    void (*reset)(struct stmt *st); /* ready to bind and run again; bindings cleared */
    void (*bind_int)(struct stmt *st, int idx, int64_t v);
    void (*bind_double)(struct stmt *st, int idx, double v);
    void (*bind_text)(struct stmt *st, int idx, const char *s, size_t n);
    void (*bind_null)(struct stmt *st, int idx);
    void (*bind_blob)(struct stmt *st, int idx, const void *p, size_t n);
    int (*step)(struct stmt *st); /* 1 row, 0 done, -1 error (st->err set) */
    int (*ncols)(struct stmt *st);
    bool (*is_null)(struct stmt *st, int col);
    int64_t (*col_int)(struct stmt *st, int col);
    double (*col_double)(struct stmt *st, int col);
    const char *(*col_text)(struct stmt *st, int col);
    /* The bytes of a BLOB/BYTEA value (valid until the next step or reset); *n its length. */
    const void *(*col_blob)(struct stmt *st, int col, size_t *n);
    enum rc (*script)(struct store *s, const char *sql, struct err *err);
    /* Migration text with the dialect tokens ({{id}}, {{real}}, {{blob}}) replaced. */
    const char *(*token)(const char *name);
    enum rc (*tables)(struct store *s, char ***names, size_t *n, struct err *err);
    enum rc (*check)(struct store *s, struct err *err);
    /* store_columns: kind is the declared type's first letter class (store.c classifies) */
    enum rc (*columns)(struct store *s, const char *table, struct store_col **cols, size_t *n,
                       struct err *err);
    /* After rows were inserted with explicit ids: move identity sequences past them. */
    enum rc (*reset_ids)(struct store *s, const char *table, const char *col, struct err *err);
};
/* The value kind of a declared column type ('i', 'd', 'b' or 't'). */
char store__col_kind(const char *decl);

struct store {
    const struct store_driver *drv;
    enum store_kind kind;
    char *dsn;           /* for messages, password masked */
    void *impl;          /* sqlite3 * or PGconn * */
    struct map cache;    /* SQL text → struct stmt * list of idle statements */
    int tx_depth;        /* open transaction levels */
    long fail_after;     /* fault injection countdown (0 = off) */
    long stmt_serial;    /* names PostgreSQL prepared statements */
};

struct stmt {
    struct store *s;
    char *sql;           /* the caller's SQL (owned) */
    void *impl;          /* sqlite3_stmt * or driver state */
    struct err err;      /* first error (sticky) */
    bool started;        /* stepped at least once since reset */
    bool finished;       /* step returned done */
    bool failed_prepare; /* never prepared: not cached */
    int64_t changes;     /* rows changed, valid once finished */
    struct stmt *next;   /* next idle statement with the same SQL */
};

extern const struct store_driver store_sqlite_driver;
#ifdef HAVE_PG
extern const struct store_driver store_pg_driver;
#endif

#endif
