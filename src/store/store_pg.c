/* store_pg.c - the PostgreSQL driver (libpq), for a province's shared store.
 *
 * What it hides from callers (docs/storage.md):
 *   - `?` placeholders become $1..$n (outside quotes, identifiers and comments);
 *   - statements are prepared on first run with parameter types taken from the bound
 *     values (int8, float8, text); a NULL whose type the server cannot infer is retried
 *     as text; a statement is re-prepared when its type signature changes;
 *   - booleans come back as 't'/'f' and read as 1/0 through stmt_int;
 *   - results are read whole (PQexecPrepared), so a loop may run other statements on the
 *     same connection while it iterates, as with SQLite.
 */
#include <libpq-fe.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "store/store_int.h"

#define OID_BYTEA 17
#define OID_INT8 20
#define OID_TEXT 25
#define OID_FLOAT8 701

struct pgst {
    char *sql;       /* rewritten with $n */
    int nparams;
    char **vals;     /* bound values as text (owned), NULL = SQL null */
    unsigned *types; /* bound types per parameter; 0 = unknown (null) */
    unsigned *prep_types; /* the signature the current prepared statement was made with */
    char name[32];   /* prepared statement name, "" when not prepared */
    bool null_as_text; /* retry: unknown NULL types as text */
    PGresult *res;
    int row, nrows;
    unsigned char *blob; /* the last col_blob value (PQfreemem) */
};

static void notice_noop(void *arg, const char *msg)
{
    (void)arg, (void)msg;
}

static enum rc pg_open(struct store *s, const char *dsn, struct err *err)
{
    PGconn *c = PQconnectdb(dsn);
    if (!c || PQstatus(c) != CONNECTION_OK) {
        enum rc rc = err_set(err, RC_UNAVAILABLE, "cannot connect to PostgreSQL '%s': %s",
                             s->dsn, c ? PQerrorMessage(c) : "out of memory");
        if (c)
            PQfinish(c);
        /* Strip libpq's trailing newline from the message. */
        if (err) {
            size_t n = strlen(err->msg);
            while (n && (err->msg[n - 1] == '\n' || err->msg[n - 1] == ' '))
                err->msg[--n] = 0;
        }
        return rc;
    }
    PQsetNoticeProcessor(c, notice_noop, NULL);
    PGresult *r = PQexec(c, "SET client_min_messages = warning; SET TIME ZONE 'UTC'");
    PQclear(r);
    s->impl = c;
    return RC_OK;
}

static void pg_close(struct store *s)
{
    if (s->impl)
        PQfinish(s->impl);
    s->impl = NULL;
}

/* Rewrite ? to $n outside literals and comments; returns the number of parameters. */
static int rewrite(const char *in, struct buf *out)
{
    int n = 0;
    for (const char *p = in; *p; p++) {
        if (*p == '\'' || *p == '"') {
            char q = *p;
            buf_addc(out, *p++);
            while (*p && *p != q) {
                buf_addc(out, *p++);
            }
            if (!*p)
                break;
            buf_addc(out, *p);
        } else if (p[0] == '-' && p[1] == '-') {
            while (*p && *p != '\n')
                buf_addc(out, *p++);
            if (!*p)
                break;
            buf_addc(out, *p);
        } else if (*p == '?') {
            buf_addf(out, "$%d", ++n);
        } else {
            buf_addc(out, *p);
        }
    }
    return n;
}

static enum rc pg_prepare(struct stmt *st)
{
    struct pgst *ps = XNEW(struct pgst);
    struct buf b = BUF_INIT;
    ps->nparams = rewrite(st->sql, &b);
    ps->sql = buf_take(&b);
    if (ps->nparams) {
        ps->vals = xcalloc((size_t)ps->nparams, sizeof(char *));
        ps->types = xcalloc((size_t)ps->nparams, sizeof(unsigned));
        ps->prep_types = xcalloc((size_t)ps->nparams, sizeof(unsigned));
    }
    st->impl = ps;
    return RC_OK;
}

static void clear_vals(struct pgst *ps)
{
    for (int i = 0; i < ps->nparams; i++) {
        free(ps->vals[i]);
        ps->vals[i] = NULL;
        ps->types[i] = 0;
    }
}

static void free_blob(struct pgst *ps)
{
    if (ps->blob)
        PQfreemem(ps->blob);
    ps->blob = NULL;
}

static void pg_finalize(struct stmt *st)
{
    struct pgst *ps = st->impl;
    if (!ps)
        return;
    if (ps->name[0] && st->s->impl) {
        char q[64];
        snprintf(q, sizeof(q), "DEALLOCATE %s", ps->name);
        PQclear(PQexec(st->s->impl, q));
    }
    clear_vals(ps);
    free_blob(ps);
    PQclear(ps->res);
    free(ps->vals);
    free(ps->types);
    free(ps->prep_types);
    free(ps->sql);
    free(ps);
    st->impl = NULL;
}

static void pg_reset(struct stmt *st)
{
    struct pgst *ps = st->impl;
    free_blob(ps);
    clear_vals(ps);
    PQclear(ps->res);
    ps->res = NULL;
    ps->row = -1;
    ps->nrows = 0;
}

static bool param_ok(struct stmt *st, int idx)
{
    struct pgst *ps = st->impl;
    if (idx < 1 || idx > ps->nparams) {
        err_set(&st->err, RC_DB, "bind index %d out of range (statement has %d): %.200s", idx,
                ps->nparams, st->sql);
        return false;
    }
    return true;
}

static void set_val(struct stmt *st, int idx, char *v, unsigned type)
{
    struct pgst *ps = st->impl;
    if (!param_ok(st, idx)) {
        free(v);
        return;
    }
    free(ps->vals[idx - 1]);
    ps->vals[idx - 1] = v;
    ps->types[idx - 1] = type;
}

static void pg_bind_int(struct stmt *st, int idx, int64_t v)
{
    char t[32];
    snprintf(t, sizeof(t), "%lld", (long long)v);
    set_val(st, idx, xstrdup(t), OID_INT8);
}

static void pg_bind_double(struct stmt *st, int idx, double v)
{
    char t[64];
    snprintf(t, sizeof(t), "%.17g", v);
    set_val(st, idx, xstrdup(t), OID_FLOAT8);
}

static void pg_bind_text(struct stmt *st, int idx, const char *s, size_t n)
{
    /* PostgreSQL text cannot hold NUL: cut at the first one. */
    set_val(st, idx, xstrndup(s, n), OID_TEXT);
}

static void pg_bind_blob(struct stmt *st, int idx, const void *p, size_t n)
{
    /* bytea's text input form: \x followed by two hex digits per byte. */
    static const char hex[] = "0123456789abcdef";
    const unsigned char *b = p;
    char *v = xmalloc(2 * n + 3);
    v[0] = '\\';
    v[1] = 'x';
    for (size_t i = 0; i < n; i++) {
        v[2 + 2 * i] = hex[b[i] >> 4];
        v[3 + 2 * i] = hex[b[i] & 15];
    }
    v[2 + 2 * n] = 0;
    set_val(st, idx, v, OID_BYTEA);
}

static void pg_bind_null(struct stmt *st, int idx)
{
    set_val(st, idx, NULL, 0);
}

static enum rc map_error(struct stmt *st, PGresult *r, const char *what)
{
    const char *state = r ? PQresultErrorField(r, PG_DIAG_SQLSTATE) : NULL;
    enum rc rc = RC_DB;
    if (state && !strncmp(state, "23", 2))
        rc = RC_CONFLICT;
    else if (state && (!strcmp(state, "40001") || !strcmp(state, "40P01") ||
                       !strcmp(state, "55P03")))
        rc = RC_BUSY;
    else if (PQstatus(st->s->impl) != CONNECTION_OK)
        rc = RC_UNAVAILABLE;
    char msg[600];
    snprintf(msg, sizeof(msg), "%s", r ? PQresultErrorMessage(r) : PQerrorMessage(st->s->impl));
    size_t n = strlen(msg);
    while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
        msg[--n] = 0;
    return err_set(&st->err, rc, "%s%s (running: %.200s)", what, msg, st->sql);
}

/* Whether the prepared statement takes this binding.  A NULL fits a parameter of any
 * declared type (it has no value to convert), so a statement whose optional columns are
 * sometimes NULL is prepared once instead of again at every change of the NULL pattern
 * (each re-prepare is a DEALLOCATE, a PREPARE and, in a transaction, a savepoint: four
 * round trips and a parse and plan on the server). */
static bool signature_matches(struct pgst *ps)
{
    for (int i = 0; i < ps->nparams; i++) {
        if (ps->types[i] && ps->types[i] != ps->prep_types[i])
            return false;
    }
    return true;
}

static int do_prepare(struct stmt *st)
{
    struct pgst *ps = st->impl;
    PGconn *c = st->s->impl;
    if (ps->name[0]) {
        char q[64];
        snprintf(q, sizeof(q), "DEALLOCATE %s", ps->name);
        PQclear(PQexec(c, q));
        ps->name[0] = 0;
    }
    for (int i = 0; i < ps->nparams; i++)
        ps->prep_types[i] = ps->types[i] ? ps->types[i] : (ps->null_as_text ? OID_TEXT : 0);
    char name[32];
    snprintf(name, sizeof(name), "gs%ld", ++st->s->stmt_serial);
    /* A parameter of unknown type (a NULL) may make the server refuse the statement with
     * 42P18; inside a transaction that refusal would abort the transaction, so the
     * attempt runs under a savepoint that the retry rolls back to. */
    bool unknown = false;
    for (int i = 0; i < ps->nparams; i++)
        unknown |= ps->prep_types[i] == 0;
    bool guard = unknown && st->s->tx_depth > 0;
    if (guard)
        PQclear(PQexec(c, "SAVEPOINT gs_prepare"));
    PGresult *r = PQprepare(c, name, ps->sql, ps->nparams, ps->prep_types);
    if (PQresultStatus(r) != PGRES_COMMAND_OK) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        if (guard)
            PQclear(PQexec(c, "ROLLBACK TO SAVEPOINT gs_prepare; RELEASE SAVEPOINT gs_prepare"));
        /* 42P18 indeterminate_datatype: a NULL in a context like "? IS NULL". */
        if (state && !strcmp(state, "42P18") && !ps->null_as_text) {
            PQclear(r);
            ps->null_as_text = true;
            return do_prepare(st);
        }
        map_error(st, r, "");
        PQclear(r);
        return -1;
    }
    if (guard)
        PQclear(PQexec(c, "RELEASE SAVEPOINT gs_prepare"));
    PQclear(r);
    /* The types the server inferred for the NULLs: a later value of that type then fits
     * the statement (signature_matches) instead of preparing it again.  A multi-row
     * INSERT has many such parameters, and each new NULL pattern would cost a prepare. */
    if (unknown) {
        r = PQdescribePrepared(c, name);
        if (PQresultStatus(r) == PGRES_COMMAND_OK && PQnparams(r) == ps->nparams)
            for (int i = 0; i < ps->nparams; i++)
                if (!ps->prep_types[i])
                    ps->prep_types[i] = PQparamtype(r, i);
        PQclear(r);
    }
    memcpy(ps->name, name, sizeof(name));
    return 0;
}

static int pg_step(struct stmt *st)
{
    struct pgst *ps = st->impl;
    if (!ps->res) {
        if (!ps->name[0] || !signature_matches(ps)) {
            if (do_prepare(st) < 0)
                return -1;
        }
        PGresult *r = PQexecPrepared(st->s->impl, ps->name, ps->nparams,
                                     (const char *const *)ps->vals, NULL, NULL, 0);
        ExecStatusType es = PQresultStatus(r);
        if (es != PGRES_TUPLES_OK && es != PGRES_COMMAND_OK) {
            map_error(st, r, "");
            PQclear(r);
            return -1;
        }
        ps->res = r;
        ps->row = -1;
        ps->nrows = es == PGRES_TUPLES_OK ? PQntuples(r) : 0;
        const char *ct = PQcmdTuples(r);
        int64_t ch = 0;
        if (ct && *ct)
            cstr_to_i64(ct, &ch);
        st->changes = ch;
    }
    free_blob(ps);
    if (ps->row + 1 < ps->nrows) {
        ps->row++;
        return 1;
    }
    return 0;
}

static int pg_ncols(struct stmt *st)
{
    struct pgst *ps = st->impl;
    return ps->res ? PQnfields(ps->res) : 0;
}

static bool pg_is_null(struct stmt *st, int col)
{
    struct pgst *ps = st->impl;
    if (!ps->res || ps->row < 0 || col >= PQnfields(ps->res))
        return true;
    return PQgetisnull(ps->res, ps->row, col);
}

static const char *pg_col_text(struct stmt *st, int col)
{
    struct pgst *ps = st->impl;
    if (pg_is_null(st, col))
        return NULL;
    return PQgetvalue(ps->res, ps->row, col);
}

static const void *pg_col_blob(struct stmt *st, int col, size_t *n)
{
    struct pgst *ps = st->impl;
    const char *t = pg_col_text(st, col);
    if (!t)
        return NULL;
    free_blob(ps);
    /* Handles both bytea_output forms (hex and escape). */
    ps->blob = PQunescapeBytea((const unsigned char *)t, n);
    if (!ps->blob) {
        *n = 0;
        err_set(&st->err, RC_DB, "cannot decode a bytea value (out of memory?): %.200s", st->sql);
        return NULL;
    }
    return ps->blob;
}

static int64_t pg_col_int(struct stmt *st, int col)
{
    const char *t = pg_col_text(st, col);
    if (!t)
        return 0;
    if (!strcmp(t, "t"))
        return 1;
    if (!strcmp(t, "f"))
        return 0;
    int64_t v = 0;
    if (!cstr_to_i64(t, &v)) {
        /* numeric with a fraction (AVG, SUM of numerics): truncate */
        double d;
        if (str_to_double(str_of(t), &d))
            v = (int64_t)d;
    }
    return v;
}

static double pg_col_double(struct stmt *st, int col)
{
    const char *t = pg_col_text(st, col);
    double d = 0;
    if (t)
        str_to_double(str_of(t), &d);
    return d;
}

static enum rc pg_script(struct store *s, const char *sql, struct err *err)
{
    PGresult *r = PQexec(s->impl, sql);
    ExecStatusType es = PQresultStatus(r);
    enum rc rc = RC_OK;
    if (es != PGRES_COMMAND_OK && es != PGRES_TUPLES_OK && es != PGRES_EMPTY_QUERY) {
        const char *state = PQresultErrorField(r, PG_DIAG_SQLSTATE);
        char msg[600];
        snprintf(msg, sizeof(msg), "%s", PQresultErrorMessage(r));
        size_t n = strlen(msg);
        while (n && (msg[n - 1] == '\n' || msg[n - 1] == ' '))
            msg[--n] = 0;
        rc = err_set(err,
                     state && !strncmp(state, "23", 2) ? RC_CONFLICT
                     : PQstatus(s->impl) != CONNECTION_OK ? RC_UNAVAILABLE
                                                         : RC_DB,
                     "%s (running: %.200s)", msg, sql);
    }
    PQclear(r);
    return rc;
}

static const char *pg_token(const char *name)
{
    if (!strcmp(name, "id"))
        return "BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY";
    if (!strcmp(name, "real"))
        return "DOUBLE PRECISION";
    if (!strcmp(name, "blob"))
        return "BYTEA";
    return NULL;
}

static enum rc pg_tables(struct store *s, char ***names, size_t *n, struct err *err)
{
    *names = NULL;
    *n = 0;
    struct stmt *st = store_q(s,
                              "SELECT c.relname FROM pg_class c JOIN pg_namespace ns ON ns.oid = "
                              "c.relnamespace WHERE c.relkind = 'r' AND ns.nspname = "
                              "current_schema() ORDER BY c.oid",
                              "");
    size_t cap = 0;
    while (stmt_next(st)) {
        *names = xgrow(*names, &cap, *n + 1, sizeof(char *));
        (*names)[(*n)++] = stmt_dup(st, 0);
    }
    return stmt_done(st, err);
}

static enum rc pg_columns(struct store *s, const char *table, struct store_col **cols, size_t *n,
                          struct err *err)
{
    *cols = NULL;
    *n = 0;
    struct stmt *st = store_q(s,
                              "SELECT c.column_name, c.data_type, COALESCE(k.ordinal_position, 0), "
                              "c.is_identity FROM information_schema.columns c LEFT JOIN "
                              "(information_schema.key_column_usage k JOIN "
                              "information_schema.table_constraints tc ON tc.constraint_name = "
                              "k.constraint_name AND tc.table_schema = k.table_schema AND "
                              "tc.constraint_type = 'PRIMARY KEY') ON k.table_schema = c.table_schema "
                              "AND k.table_name = c.table_name AND k.column_name = c.column_name WHERE "
                              "c.table_schema = current_schema() AND c.table_name = ? ORDER BY "
                              "c.ordinal_position",
                              "t", table);
    size_t cap = 0;
    while (stmt_next(st)) {
        *cols = xgrow(*cols, &cap, *n + 1, sizeof(**cols));
        struct store_col *c = &(*cols)[(*n)++];
        c->name = stmt_dup(st, 0);
        c->kind = store__col_kind(stmt_str(st, 1));
        c->pk = (int)stmt_int(st, 2);
        c->identity = !strcmp(stmt_str(st, 3), "YES");
    }
    return stmt_done(st, err);
}

static enum rc pg_reset_ids(struct store *s, const char *table, const char *col, struct err *err)
{
    char *seq = NULL;
    enum rc rc = store_get_text(s, &seq, err, "SELECT pg_get_serial_sequence(?, ?)", "tt", table, col);
    if (rc || !seq) {
        free(seq);
        return rc == RC_NOTFOUND ? RC_OK : rc;
    }
    /* the identifiers come from the catalog; the values are bound */
    struct buf sql = BUF_INIT;
    buf_addf(&sql, "SELECT setval(?, COALESCE((SELECT MAX(\"%s\") FROM \"%s\"), 0) + 1, false)", col, table); /* lint: sql-ok */
    int64_t v;
    rc = store_get_int(s, &v, err, buf_cstr(&sql), "t", seq);
    buf_release(&sql);
    free(seq);
    return rc;
}

static enum rc pg_check(struct store *s, struct err *err)
{
    int64_t one = 0;
    return store_get_int(s, &one, err, "SELECT 1", "");
}

const struct store_driver store_pg_driver = {
    .name = "postgresql",
    .open = pg_open,
    .close = pg_close,
    .prepare = pg_prepare,
    .finalize = pg_finalize,
    .reset = pg_reset,
    .bind_int = pg_bind_int,
    .bind_double = pg_bind_double,
    .bind_text = pg_bind_text,
    .bind_blob = pg_bind_blob,
    .bind_null = pg_bind_null,
    .step = pg_step,
    .ncols = pg_ncols,
    .is_null = pg_is_null,
    .col_int = pg_col_int,
    .col_double = pg_col_double,
    .col_text = pg_col_text,
    .col_blob = pg_col_blob,
    .script = pg_script,
    .token = pg_token,
    .tables = pg_tables,
    .check = pg_check,
    .columns = pg_columns,
    .reset_ids = pg_reset_ids,
};
