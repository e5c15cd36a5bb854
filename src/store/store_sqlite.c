/* store_sqlite.c - the SQLite driver (the embedded default).
 *
 * Connections run in WAL mode with foreign keys on, synchronous=NORMAL (durable across
 * process crashes; a power cut may lose the last transactions but never corrupts) and a
 * 10 s busy timeout, so a CLI command and `serve` can share one file. */
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "store/store_int.h"

static enum rc sq_open(struct store *s, const char *dsn, struct err *err)
{
    sqlite3 *db = NULL;
    int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX | SQLITE_OPEN_URI;
    int r = sqlite3_open_v2(dsn, &db, flags, NULL);
    if (r != SQLITE_OK) {
        enum rc rc = err_set(err, RC_IO, "cannot open database '%s': %s", dsn,
                             db ? sqlite3_errmsg(db) : sqlite3_errstr(r));
        sqlite3_close(db);
        return rc;
    }
    s->impl = db;
    sqlite3_busy_timeout(db, 10000);
    sqlite3_extended_result_codes(db, 1);
    const char *setup = "PRAGMA foreign_keys = ON;"
                        "PRAGMA synchronous = NORMAL;"
                        "PRAGMA temp_store = MEMORY;"
                        "PRAGMA cache_size = -16000;"; /* STORE_CACHE_KB */
    char *msg = NULL;
    if (sqlite3_exec(db, "PRAGMA journal_mode = WAL", NULL, NULL, &msg) != SQLITE_OK ||
        sqlite3_exec(db, setup, NULL, NULL, &msg) != SQLITE_OK) {
        enum rc rc = err_set(err, RC_IO,
                             "cannot use '%s' as a database: %s (is it a govsite database file?)",
                             dsn, msg ? msg : "unknown error");
        sqlite3_free(msg);
        sqlite3_close(db);
        s->impl = NULL;
        return rc;
    }
    return RC_OK;
}

static void sq_close(struct store *s)
{
    if (s->impl)
        sqlite3_close_v2(s->impl);
    s->impl = NULL;
}

static enum rc sq_prepare(struct stmt *st)
{
    sqlite3_stmt *ps = NULL;
    int r = sqlite3_prepare_v3(st->s->impl, st->sql, -1, SQLITE_PREPARE_PERSISTENT, &ps, NULL);
    if (r != SQLITE_OK) {
        return err_set(&st->err, RC_DB, "cannot prepare SQL (%s): %.300s",
                       sqlite3_errmsg(st->s->impl), st->sql);
    }
    st->impl = ps;
    return RC_OK;
}

static void sq_finalize(struct stmt *st)
{
    sqlite3_finalize(st->impl);
    st->impl = NULL;
}

static void sq_reset(struct stmt *st)
{
    sqlite3_reset(st->impl);
    sqlite3_clear_bindings(st->impl);
}

static void bind_check(struct stmt *st, int r, int idx)
{
    if (r != SQLITE_OK)
        err_set(&st->err, RC_DB, "cannot bind parameter %d (%s): %.200s", idx,
                sqlite3_errmsg(st->s->impl), st->sql);
}

static void sq_bind_int(struct stmt *st, int idx, int64_t v)
{
    bind_check(st, sqlite3_bind_int64(st->impl, idx, v), idx);
}

static void sq_bind_double(struct stmt *st, int idx, double v)
{
    bind_check(st, sqlite3_bind_double(st->impl, idx, v), idx);
}

static void sq_bind_text(struct stmt *st, int idx, const char *s, size_t n)
{
    bind_check(st, sqlite3_bind_text64(st->impl, idx, s, n, SQLITE_TRANSIENT, SQLITE_UTF8), idx);
}

static void sq_bind_blob(struct stmt *st, int idx, const void *p, size_t n)
{
    bind_check(st, sqlite3_bind_blob64(st->impl, idx, p, n, SQLITE_TRANSIENT), idx);
}

static void sq_bind_null(struct stmt *st, int idx)
{
    bind_check(st, sqlite3_bind_null(st->impl, idx), idx);
}

static int sq_step(struct stmt *st)
{
    int r = sqlite3_step(st->impl);
    if (r == SQLITE_ROW)
        return 1;
    if (r == SQLITE_DONE) {
        st->changes = sqlite3_changes64(st->s->impl);
        return 0;
    }
    sqlite3 *db = st->s->impl;
    int code = sqlite3_extended_errcode(db) & 0xff;
    enum rc rc = code == SQLITE_BUSY || code == SQLITE_LOCKED ? RC_BUSY
                 : code == SQLITE_CONSTRAINT                   ? RC_CONFLICT
                                                               : RC_DB;
    err_set(&st->err, rc, "%s (running: %.200s)", sqlite3_errmsg(db), st->sql);
    return -1;
}

static int sq_ncols(struct stmt *st)
{
    return sqlite3_column_count(st->impl);
}

static bool sq_is_null(struct stmt *st, int col)
{
    return sqlite3_column_type(st->impl, col) == SQLITE_NULL;
}

static int64_t sq_col_int(struct stmt *st, int col)
{
    return sqlite3_column_int64(st->impl, col);
}

static double sq_col_double(struct stmt *st, int col)
{
    return sqlite3_column_double(st->impl, col);
}

static const char *sq_col_text(struct stmt *st, int col)
{
    return (const char *)sqlite3_column_text(st->impl, col);
}

static const void *sq_col_blob(struct stmt *st, int col, size_t *n)
{
    const void *p = sqlite3_column_blob(st->impl, col);
    *n = (size_t)sqlite3_column_bytes(st->impl, col);
    return p ? p : ""; /* SQLite gives NULL for an empty blob */
}

static enum rc sq_script(struct store *s, const char *sql, struct err *err)
{
    char *msg = NULL;
    if (sqlite3_exec(s->impl, sql, NULL, NULL, &msg) != SQLITE_OK) {
        int code = sqlite3_extended_errcode(s->impl) & 0xff;
        enum rc rc = err_set(err, code == SQLITE_BUSY ? RC_BUSY : code == SQLITE_CONSTRAINT ? RC_CONFLICT : RC_DB,
                             "%s (running: %.200s)", msg ? msg : "error", sql);
        sqlite3_free(msg);
        return rc;
    }
    return RC_OK;
}

static const char *sq_token(const char *name)
{
    if (!strcmp(name, "id"))
        return "INTEGER PRIMARY KEY";
    if (!strcmp(name, "real"))
        return "REAL";
    if (!strcmp(name, "blob"))
        return "BLOB";
    return NULL;
}

static enum rc sq_tables(struct store *s, char ***names, size_t *n, struct err *err)
{
    *names = NULL;
    *n = 0;
    struct stmt *st = store_q(s,
                              "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT "
                              "LIKE 'sqlite_%' ORDER BY rowid",
                              "");
    size_t cap = 0;
    while (stmt_next(st)) {
        *names = xgrow(*names, &cap, *n + 1, sizeof(char *));
        (*names)[(*n)++] = stmt_dup(st, 0);
    }
    return stmt_done(st, err);
}

static enum rc sq_columns(struct store *s, const char *table, struct store_col **cols, size_t *n,
                          struct err *err)
{
    *cols = NULL;
    *n = 0;
    struct stmt *st = store_q(s, "SELECT name, type, pk FROM pragma_table_info(?) ORDER BY cid", "t", table);
    size_t cap = 0;
    int npk = 0;
    while (stmt_next(st)) {
        *cols = xgrow(*cols, &cap, *n + 1, sizeof(**cols));
        struct store_col *c = &(*cols)[(*n)++];
        c->name = stmt_dup(st, 0);
        c->kind = store__col_kind(stmt_str(st, 1));
        c->pk = (int)stmt_int(st, 2);
        c->identity = c->pk && !strcasecmp(stmt_str(st, 1), "INTEGER");
        npk += c->pk > 0;
    }
    if (npk > 1)
        for (size_t i = 0; i < *n; i++)
            (*cols)[i].identity = false; /* only a lone INTEGER PRIMARY KEY is the rowid */
    return stmt_done(st, err);
}

static enum rc sq_reset_ids(struct store *s, const char *table, const char *col, struct err *err)
{
    (void)s;
    (void)table;
    (void)col;
    (void)err;
    return RC_OK; /* the rowid follows the largest id by itself */
}

static enum rc sq_check(struct store *s, struct err *err)
{
    char *res = NULL;
    enum rc rc = store_get_text(s, &res, err, "PRAGMA quick_check", "");
    if (rc)
        return rc;
    if (!res || strcmp(res, "ok")) {
        rc = err_set(err, RC_DB, "database '%s' failed its integrity check: %s", s->dsn,
                     res ? res : "?");
    }
    free(res);
    return rc;
}

const struct store_driver store_sqlite_driver = {
    .name = "sqlite",
    .open = sq_open,
    .close = sq_close,
    .prepare = sq_prepare,
    .finalize = sq_finalize,
    .reset = sq_reset,
    .bind_int = sq_bind_int,
    .bind_double = sq_bind_double,
    .bind_text = sq_bind_text,
    .bind_blob = sq_bind_blob,
    .bind_null = sq_bind_null,
    .step = sq_step,
    .ncols = sq_ncols,
    .is_null = sq_is_null,
    .col_int = sq_col_int,
    .col_double = sq_col_double,
    .col_text = sq_col_text,
    .col_blob = sq_col_blob,
    .script = sq_script,
    .token = sq_token,
    .tables = sq_tables,
    .check = sq_check,
    .columns = sq_columns,
    .reset_ids = sq_reset_ids,
};
