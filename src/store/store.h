/* store.h - the storage API: portable SQL with `?` placeholders over SQLite or PostgreSQL.
 *
 * Callers write one SQL text for both engines (docs/storage.md lists what is portable:
 * BIGINT/TEXT columns, dates as 'YYYY-MM-DD' text, instants as BIGINT UTC seconds,
 * INSERT ... ON CONFLICT ... DO UPDATE/NOTHING, RETURNING, no engine-only functions).
 * The driver turns `?` into what the engine wants.
 *
 *   struct stmt *st = store_q(db, "SELECT id, name FROM units WHERE kind = ?", "t", kind);
 *   while (stmt_next(st))
 *       printf("%lld %s\n", (long long)stmt_int(st, 0), stmt_text(st, 1));
 *   rc = stmt_done(st, err);            first error of prepare/bind/step, or RC_OK
 *
 * Errors are sticky on the statement: a failed prepare or bind makes stmt_next() return
 * false and stmt_done() report it, so loops need one check.  Statements are cached by
 * SQL text per connection; stmt_done() resets the statement and returns it to the cache
 * (it must be called for every store_q/store_sql, exactly once).
 *
 * Bind types (the `types` string of store_q, store_exec and friends), one letter per `?`:
 *   i int64_t   I int   b int (0/1)   d double   t const char * (NULL binds null)
 *   D int32_t civil date (DATE_NONE binds null)   T int64_t instant (0 binds null)
 *   U int64_t row id of an optional reference (0 binds null)
 *   B binary: two arguments, const void *p and size_t n (a {{blob}} column; p NULL binds null)
 *   n null (takes no argument)
 *
 * Threads: a connection is used by one thread at a time.  `serve` keeps one per worker.
 * Transactions nest: inner ones are savepoints.  Writers should open a transaction for
 * anything that must be all-or-nothing (imports, a crawl batch, a work-item transition).
 */
#ifndef STORE_STORE_H
#define STORE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/err.h"

struct store;
struct stmt;

enum store_kind { STORE_SQLITE, STORE_PG };

/* Open a database.  `dsn` is a file path (SQLite; created if absent), ":memory:", or a
 * PostgreSQL URI/conninfo ("postgresql://...", "host=... dbname=...").  Migrations are
 * NOT applied here; call store_migrate (the CLI does, on every open). */
enum rc store_open(const char *dsn, struct store **out, struct err *err);
void store_close(struct store *s); /* NULL-safe; finalizes cached statements */
enum store_kind store_kind(const struct store *s);
const char *store_dsn(const struct store *s); /* as given to store_open (password masked) */
/* True for DSNs store_open would hand to PostgreSQL. */
bool store_dsn_is_pg(const char *dsn);

/* Prepared statements. */
struct stmt *store_sql(struct store *s, const char *sql);
struct stmt *store_q(struct store *s, const char *sql, const char *types, ...);
void stmt_bind_int(struct stmt *st, int idx, int64_t v); /* idx is 1-based */
void stmt_bind_double(struct stmt *st, int idx, double v);
void stmt_bind_text(struct stmt *st, int idx, const char *s); /* copied; NULL → null */
void stmt_bind_textn(struct stmt *st, int idx, const char *s, size_t n);
void stmt_bind_null(struct stmt *st, int idx);
void stmt_bind_date(struct stmt *st, int idx, int32_t day); /* DATE_NONE → null */
void stmt_bind_blob(struct stmt *st, int idx, const void *p, size_t n); /* copied; NULL → null */
/* Bind the values after `types` (the store_q type letters) to parameters first,
 * first + 1, …: one row of a multi-row INSERT … VALUES (?, …), (?, …). */
void stmt_bind_row(struct stmt *st, int first, const char *types, ...);
bool stmt_next(struct stmt *st);                            /* true: a row is ready */
int stmt_ncols(struct stmt *st);
bool stmt_null(struct stmt *st, int col);                   /* col is 0-based */
int64_t stmt_int(struct stmt *st, int col);                 /* null → 0 */
double stmt_double(struct stmt *st, int col);               /* null → 0 */
const char *stmt_text(struct stmt *st, int col);            /* null → NULL; borrowed */
const char *stmt_str(struct stmt *st, int col);             /* null → ""; borrowed */
int32_t stmt_date(struct stmt *st, int col);                /* null/bad → DATE_NONE */
char *stmt_dup(struct stmt *st, int col);                   /* caller frees; null → NULL */
/* A {{blob}} column: its bytes (borrowed, valid until the next stmt_next or stmt_done) and
 * length in *n.  Null gives NULL with *n = 0; an empty blob gives a non-NULL pointer. */
const void *stmt_blob(struct stmt *st, int col, size_t *n);
int64_t stmt_changes(struct stmt *st); /* rows changed by the last INSERT/UPDATE/DELETE */
enum rc stmt_done(struct stmt *st, struct err *err);

/* One-shot helpers.  store_exec runs a statement that returns no rows we need.
 * store_get_int/store_get_text read the first column of the first row: RC_NOTFOUND
 * when there is no row (err untouched, so callers can supply a default). */
enum rc store_exec(struct store *s, struct err *err, const char *sql, const char *types, ...);
enum rc store_get_int(struct store *s, int64_t *out, struct err *err, const char *sql,
                      const char *types, ...);
enum rc store_get_text(struct store *s, char **out, struct err *err, const char *sql,
                       const char *types, ...); /* *out: caller frees; NULL for SQL null */
/* Run several ';'-separated statements without parameters (migrations, tests). */
enum rc store_script(struct store *s, const char *sql, struct err *err);

/* Transactions (nesting → savepoints).  store_begin starts a write transaction
 * (SQLite: BEGIN IMMEDIATE).  store_rollback undoes the innermost level. */
enum rc store_begin(struct store *s, struct err *err);
enum rc store_commit(struct store *s, struct err *err);
void store_rollback(struct store *s);
int store_tx_depth(const struct store *s);

/* Schema migrations (data/schema/NNNN_name.sql, embedded).  store_migrate applies the
 * missing ones in order, each in its own transaction, and refuses a database whose
 * schema is newer than this binary knows (RC_CONFLICT with the versions). */
enum rc store_migrate(struct store *s, struct err *err);
struct store_migration_status {
    int applied;     /* highest applied version */
    int known;       /* highest version this binary has */
    int pending;     /* number not yet applied */
};
enum rc store_migration_status(struct store *s, struct store_migration_status *st,
                               struct err *err);
/* Calls fn for each known migration with whether it is applied. */
enum rc store_migration_each(struct store *s,
                             void (*fn)(int version, const char *name, int64_t applied_at,
                                        void *ctx),
                             void *ctx, struct err *err);

/* Names of user tables in creation order (for db copy and integrity checks). */
enum rc store_tables(struct store *s, char ***names, size_t *n, struct err *err);
/* A table's columns in order (db copy): name, value kind ('i' integer, 'd' double, 'b'
 * blob, 't' text, from the declared type), position in the primary key (0 = not part
 * of it) and whether the engine generates it (PostgreSQL identity, SQLite INTEGER
 * PRIMARY KEY).  store_columns_free frees the array. */
struct store_col {
    char *name;
    char kind;
    int pk;
    bool identity;
};
enum rc store_columns(struct store *s, const char *table, struct store_col **cols, size_t *n,
                      struct err *err);
void store_columns_free(struct store_col *cols, size_t n);

/* Copy every table of `from` into `to` (both at this binary's schema version; `to` is
 * migrated here), table by table in creation order (store_tables), each in keyset pages
 * by its primary key, all in one transaction on `to`; identity sequences are reset on
 * PostgreSQL afterwards.  Then both sides are verified: per table the row count and an
 * order-independent checksum of every row's text form (integers in decimal, doubles with
 * 17 digits, blobs in hex), computed the same way on both engines.  RC_CONFLICT when `to`
 * holds rows beyond what its migrations seed (the caller may start it afresh first).
 * `progress` (may be NULL) is called after each table. */
struct store_copy_table {
    const char *table;
    int64_t rows;
    uint64_t checksum;
};
enum rc store_copy(struct store *from, struct store *to,
                   void (*progress)(const struct store_copy_table *t, void *ctx), void *ctx,
                   struct err *err);
/* The row count and checksum of one table (as store_copy verifies them). */
enum rc store_table_checksum(struct store *s, const char *table, int64_t *rows, uint64_t *sum,
                             struct err *err);

/* Quick integrity check (SQLite: PRAGMA quick_check; PostgreSQL: a trivial query). */
enum rc store_check(struct store *s, struct err *err);

/* Memory for cached database pages on this connection, in KiB (SQLite's page cache;
 * PostgreSQL keeps its cache in the server and ignores this).  A long bulk writer such as
 * a crawl lowers it to keep the process small, and sets STORE_CACHE_KB back after. */
#define STORE_CACHE_KB 16000
void store_set_cache_kb(struct store *s, int kb);

/* Fault injection for tests: the nth statement step from now fails with RC_DB
 * (0 disables).  Lets tests prove rollback on error without a broken disk. */
void store_fail_after(struct store *s, long n);

#endif
