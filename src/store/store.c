/* store.c - the backend-neutral half of the storage API: statement cache, typed binding,
 * one-shot helpers, nested transactions and migrations (see store.h). */
#include "store/store_int.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/res.h"
#include "core/str.h"
#include "core/xalloc.h"

bool store_dsn_is_pg(const char *dsn)
{
    return dsn && (!strncmp(dsn, "postgresql://", 13) || !strncmp(dsn, "postgres://", 11) ||
                   strstr(dsn, "dbname=") || strstr(dsn, "host="));
}

static char *mask_dsn(const char *dsn)
{
    /* postgresql://user:secret@host/db → postgresql://user:***@host/db */
    char *d = xstrdup(dsn);
    char *scheme = strstr(d, "://");
    if (scheme) {
        char *at = strchr(scheme + 3, '@');
        char *colon = strchr(scheme + 3, ':');
        if (at && colon && colon < at) {
            struct buf b = BUF_INIT;
            buf_add(&b, d, (size_t)(colon - d) + 1);
            buf_adds(&b, "***");
            buf_adds(&b, at);
            free(d);
            return buf_take(&b);
        }
    }
    char *pw = strstr(d, "password=");
    if (pw) {
        char *e = pw + 9;
        while (*e && *e != ' ')
            *e++ = '*';
    }
    return d;
}

enum rc store_open(const char *dsn, struct store **out, struct err *err)
{
    *out = NULL;
    if (!dsn || !*dsn)
        return err_set(err, RC_INVALID,
                       "no database given; use --db PATH, GOVSITE_DB, or 'db' in the configuration");
    struct store *s = XNEW(struct store);
    if (store_dsn_is_pg(dsn)) {
#ifdef HAVE_PG
        s->drv = &store_pg_driver;
        s->kind = STORE_PG;
#else
        free(s);
        return err_set(err, RC_UNAVAILABLE,
                       "'%s' is a PostgreSQL database but this govsite was built without libpq; "
                       "install libpq-dev and rebuild",
                       dsn);
#endif
    } else {
        s->drv = &store_sqlite_driver;
        s->kind = STORE_SQLITE;
    }
    s->dsn = mask_dsn(dsn);
    enum rc rc = s->drv->open(s, dsn, err);
    if (rc) {
        free(s->dsn);
        free(s);
        return rc;
    }
    *out = s;
    return RC_OK;
}

static void free_chain(void *p)
{
    struct stmt *st = p;
    while (st) {
        struct stmt *n = st->next;
        st->s->drv->finalize(st);
        free(st->sql);
        free(st);
        st = n;
    }
}

void store_close(struct store *s)
{
    if (!s)
        return;
    while (s->tx_depth > 0)
        store_rollback(s);
    map_release(&s->cache, free_chain);
    s->drv->close(s);
    free(s->dsn);
    free(s);
}

enum store_kind store_kind(const struct store *s)
{
    return s->kind;
}

const char *store_dsn(const struct store *s)
{
    return s->dsn;
}

void store_set_cache_kb(struct store *s, int kb)
{
    if (s->kind != STORE_SQLITE || kb <= 0)
        return;
    char sql[64];
    snprintf(sql, sizeof(sql), "PRAGMA cache_size = -%d", kb);
    store_script(s, sql, NULL);
}

void store_fail_after(struct store *s, long n)
{
    s->fail_after = n;
}

int store_tx_depth(const struct store *s)
{
    return s->tx_depth;
}

struct stmt *store_sql(struct store *s, const char *sql)
{
    size_t n = strlen(sql);
    void **slot = map_slot(&s->cache, sql, n, NULL);
    struct stmt *st = *slot;
    if (st) {
        *slot = st->next;
        st->next = NULL;
        return st;
    }
    st = XNEW(struct stmt);
    st->s = s;
    st->sql = xstrdup(sql);
    if (s->drv->prepare(st) != RC_OK)
        st->failed_prepare = true;
    return st;
}

/* Bind according to a types string; see store.h. */
static void bind_va(struct stmt *st, int first, const char *types, va_list ap)
{
    for (int i = 0; types && types[i]; i++) {
        int idx = first + i;
        switch (types[i]) {
        case 'i': stmt_bind_int(st, idx, va_arg(ap, int64_t)); break;
        case 'I':
        case 'b': stmt_bind_int(st, idx, va_arg(ap, int)); break;
        case 'd': stmt_bind_double(st, idx, va_arg(ap, double)); break;
        case 't': stmt_bind_text(st, idx, va_arg(ap, const char *)); break;
        case 'D': stmt_bind_date(st, idx, va_arg(ap, int32_t)); break;
        case 'T':
        case 'U': {
            int64_t t = va_arg(ap, int64_t);
            if (t)
                stmt_bind_int(st, idx, t);
            else
                stmt_bind_null(st, idx);
            break;
        }
        case 'n': stmt_bind_null(st, idx); break;
        case 'B': {
            const void *p = va_arg(ap, const void *);
            stmt_bind_blob(st, idx, p, va_arg(ap, size_t));
            break;
        }
        default: BUG("store: unknown bind type '%c' in \"%s\"", types[i], types);
        }
    }
}

void stmt_bind_row(struct stmt *st, int first, const char *types, ...)
{
    va_list ap;
    va_start(ap, types);
    bind_va(st, first, types, ap);
    va_end(ap);
}

struct stmt *store_q(struct store *s, const char *sql, const char *types, ...)
{
    struct stmt *st = store_sql(s, sql);
    va_list ap;
    va_start(ap, types);
    bind_va(st, 1, types, ap);
    va_end(ap);
    return st;
}

/* store_q for the one-shot helpers below, which take their arguments as a va_list. */
#define PREPARE(st, s, sql, types)                                                               \
    struct stmt *st = store_sql(s, sql);                                                         \
    do {                                                                                         \
        va_list ap_;                                                                             \
        va_start(ap_, types);                                                                    \
        bind_va(st, 1, types, ap_);                                                                 \
        va_end(ap_);                                                                             \
    } while (0)

#define LIVE(st) (!(st)->err.rc && !(st)->failed_prepare)

void stmt_bind_int(struct stmt *st, int idx, int64_t v)
{
    if (LIVE(st))
        st->s->drv->bind_int(st, idx, v);
}

void stmt_bind_double(struct stmt *st, int idx, double v)
{
    if (LIVE(st))
        st->s->drv->bind_double(st, idx, v);
}

void stmt_bind_textn(struct stmt *st, int idx, const char *s, size_t n)
{
    if (!LIVE(st))
        return;
    if (s)
        st->s->drv->bind_text(st, idx, s, n);
    else
        st->s->drv->bind_null(st, idx);
}

void stmt_bind_text(struct stmt *st, int idx, const char *s)
{
    stmt_bind_textn(st, idx, s, s ? strlen(s) : 0);
}

void stmt_bind_blob(struct stmt *st, int idx, const void *p, size_t n)
{
    if (!LIVE(st))
        return;
    if (p)
        st->s->drv->bind_blob(st, idx, p, n);
    else
        st->s->drv->bind_null(st, idx);
}

void stmt_bind_null(struct stmt *st, int idx)
{
    if (LIVE(st))
        st->s->drv->bind_null(st, idx);
}

void stmt_bind_date(struct stmt *st, int idx, int32_t day)
{
    if (day == DATE_NONE) {
        stmt_bind_null(st, idx);
        return;
    }
    char t[11];
    date_fmt(day, t);
    stmt_bind_text(st, idx, t);
}

bool stmt_next(struct stmt *st)
{
    if (!LIVE(st) || st->finished)
        return false;
    if (st->s->fail_after > 0 && --st->s->fail_after == 0) {
        err_set(&st->err, RC_DB, "injected failure (store_fail_after) running: %.200s", st->sql);
        return false;
    }
    st->started = true;
    int r = st->s->drv->step(st);
    if (r == 1)
        return true;
    st->finished = true;
    return false;
}

int stmt_ncols(struct stmt *st)
{
    return LIVE(st) ? st->s->drv->ncols(st) : 0;
}

bool stmt_null(struct stmt *st, int col)
{
    return !LIVE(st) || st->s->drv->is_null(st, col);
}

int64_t stmt_int(struct stmt *st, int col)
{
    return LIVE(st) ? st->s->drv->col_int(st, col) : 0;
}

double stmt_double(struct stmt *st, int col)
{
    return LIVE(st) ? st->s->drv->col_double(st, col) : 0;
}

const char *stmt_text(struct stmt *st, int col)
{
    if (!LIVE(st) || st->s->drv->is_null(st, col))
        return NULL;
    return st->s->drv->col_text(st, col);
}

const char *stmt_str(struct stmt *st, int col)
{
    const char *t = stmt_text(st, col);
    return t ? t : "";
}

int32_t stmt_date(struct stmt *st, int col)
{
    const char *t = stmt_text(st, col);
    int32_t d;
    if (!t)
        return DATE_NONE;
    /* Accept 'YYYY-MM-DD' possibly followed by a time. */
    char tmp[11];
    if (strlen(t) < 10)
        return DATE_NONE;
    memcpy(tmp, t, 10);
    tmp[10] = 0;
    return date_parse(tmp, &d) ? d : DATE_NONE;
}

char *stmt_dup(struct stmt *st, int col)
{
    const char *t = stmt_text(st, col);
    return t ? xstrdup(t) : NULL;
}

const void *stmt_blob(struct stmt *st, int col, size_t *n)
{
    *n = 0;
    if (!LIVE(st) || st->s->drv->is_null(st, col))
        return NULL;
    return st->s->drv->col_blob(st, col, n);
}

int64_t stmt_changes(struct stmt *st)
{
    return st->changes;
}

enum rc stmt_done(struct stmt *st, struct err *err)
{
    struct store *s = st->s;
    enum rc rc = st->err.rc;
    if (rc)
        err_set(err, rc, "%s", st->err.msg);
    if (st->failed_prepare) {
        s->drv->finalize(st);
        free(st->sql);
        free(st);
        return rc;
    }
    s->drv->reset(st);
    err_clear(&st->err);
    st->started = st->finished = false;
    st->changes = 0;
    void **slot = map_slot(&s->cache, st->sql, strlen(st->sql), NULL);
    st->next = *slot;
    *slot = st;
    return rc;
}

/* Run to completion, ignoring rows. */
static enum rc run(struct stmt *st, struct err *err)
{
    while (stmt_next(st))
        ;
    return stmt_done(st, err);
}

enum rc store_exec(struct store *s, struct err *err, const char *sql, const char *types, ...)
{
    PREPARE(st, s, sql, types);
    return run(st, err);
}

enum rc store_get_int(struct store *s, int64_t *out, struct err *err, const char *sql,
                      const char *types, ...)
{
    PREPARE(st, s, sql, types);
    bool row = stmt_next(st);
    if (row)
        *out = stmt_int(st, 0);
    enum rc rc = stmt_done(st, err);
    if (rc)
        return rc;
    return row ? RC_OK : RC_NOTFOUND;
}

enum rc store_get_text(struct store *s, char **out, struct err *err, const char *sql,
                       const char *types, ...)
{
    PREPARE(st, s, sql, types);
    *out = NULL;
    bool row = stmt_next(st);
    if (row)
        *out = stmt_dup(st, 0);
    enum rc rc = stmt_done(st, err);
    if (rc) {
        free(*out);
        *out = NULL;
        return rc;
    }
    return row ? RC_OK : RC_NOTFOUND;
}

enum rc store_script(struct store *s, const char *sql, struct err *err)
{
    return s->drv->script(s, sql, err);
}

enum rc store_begin(struct store *s, struct err *err)
{
    enum rc rc;
    if (s->tx_depth == 0) {
        rc = s->drv->script(s, s->kind == STORE_SQLITE ? "BEGIN IMMEDIATE" : "BEGIN", err);
    } else {
        char sp[32];
        snprintf(sp, sizeof(sp), "SAVEPOINT sp%d", s->tx_depth);
        rc = s->drv->script(s, sp, err);
    }
    if (!rc)
        s->tx_depth++;
    return rc;
}

enum rc store_commit(struct store *s, struct err *err)
{
    if (s->tx_depth <= 0)
        BUG("store_commit without store_begin");
    enum rc rc;
    if (s->tx_depth == 1) {
        rc = s->drv->script(s, "COMMIT", err);
        if (rc) {
            /* A failed COMMIT leaves the transaction open in SQLite (e.g. BUSY); roll
             * back so the connection is usable and nothing half-written remains. */
            s->drv->script(s, "ROLLBACK", NULL);
        }
    } else {
        char sp[32];
        snprintf(sp, sizeof(sp), "RELEASE SAVEPOINT sp%d", s->tx_depth - 1);
        rc = s->drv->script(s, sp, err);
    }
    s->tx_depth--;
    return rc;
}

void store_rollback(struct store *s)
{
    if (s->tx_depth <= 0)
        return;
    if (s->tx_depth == 1) {
        s->drv->script(s, "ROLLBACK", NULL);
    } else {
        char sp[64];
        snprintf(sp, sizeof(sp), "ROLLBACK TO SAVEPOINT sp%d", s->tx_depth - 1);
        s->drv->script(s, sp, NULL);
        snprintf(sp, sizeof(sp), "RELEASE SAVEPOINT sp%d", s->tx_depth - 1);
        s->drv->script(s, sp, NULL);
    }
    s->tx_depth--;
}

enum rc store_tables(struct store *s, char ***names, size_t *n, struct err *err)
{
    return s->drv->tables(s, names, n, err);
}

enum rc store_check(struct store *s, struct err *err)
{
    return s->drv->check(s, err);
}

/* ---- migrations ------------------------------------------------------------------ */

struct mig {
    int version;
    char name[128];
    const struct res_file *generic; /* NNNN_name.sql, or NULL */
    const struct res_file *dialect; /* NNNN_name.sqlite.sql / .pg.sql for this engine, or NULL */
};

struct mig_list {
    struct mig v[256];
    int n;
    enum store_kind kind;
};

/* data/schema/NNNN_name.sql, plus dialect files NNNN_name.sqlite.sql and NNNN_name.pg.sql
 * that apply to one engine only, after the generic file of the same number (in the same
 * transaction).  A version may have only dialect files. */
static void collect(const struct res_file *f, void *ctx)
{
    struct mig_list *l = ctx;
    const char *base = f->name + strlen("schema/");
    int v = 0, k = 0;
    while (ascii_isdigit((unsigned char)base[k]))
        v = v * 10 + (base[k++] - '0');
    if (k != 4 || base[k] != '_')
        return;
    bool is_sqlite = strstr(base, ".sqlite.sql") != NULL, is_pg = strstr(base, ".pg.sql") != NULL;
    if ((is_sqlite && l->kind != STORE_SQLITE) || (is_pg && l->kind != STORE_PG))
        return;
    struct mig *m = NULL;
    for (int i = 0; i < l->n && !m; i++)
        if (l->v[i].version == v)
            m = &l->v[i];
    if (!m) {
        if (l->n >= 256)
            return;
        m = &l->v[l->n++];
        memset(m, 0, sizeof(*m));
        m->version = v;
        size_t len = strcspn(base + 5, ".");
        if (len >= sizeof(m->name))
            len = sizeof(m->name) - 1;
        memcpy(m->name, base + 5, len);
        m->name[len] = 0;
    }
    if (is_sqlite || is_pg)
        m->dialect = f;
    else
        m->generic = f;
}

static int mig_cmp(const void *a, const void *b)
{
    return ((const struct mig *)a)->version - ((const struct mig *)b)->version;
}

static void list_migrations(struct store *s, struct mig_list *l)
{
    l->n = 0;
    l->kind = s->kind;
    res_each("schema/", collect, l);
    qsort(l->v, (size_t)l->n, sizeof(l->v[0]), mig_cmp);
}

/* Replace {{token}} with the driver's dialect text. */
static char *dialect(struct store *s, const char *sql)
{
    struct buf b = BUF_INIT;
    const char *p = sql;
    for (;;) {
        const char *o = strstr(p, "{{");
        if (!o) {
            buf_adds(&b, p);
            break;
        }
        const char *c = strstr(o, "}}");
        if (!c) {
            buf_adds(&b, p);
            break;
        }
        buf_add(&b, p, (size_t)(o - p));
        char tok[32];
        size_t tl = (size_t)(c - o - 2);
        if (tl >= sizeof(tok))
            tl = sizeof(tok) - 1;
        memcpy(tok, o + 2, tl);
        tok[tl] = 0;
        const char *rep = s->drv->token(tok);
        if (!rep)
            BUG("unknown schema token {{%s}}", tok);
        buf_adds(&b, rep);
        p = c + 2;
    }
    return buf_take(&b);
}

static enum rc ensure_table(struct store *s, struct err *err)
{
    return store_script(s,
                        "CREATE TABLE IF NOT EXISTS schema_migrations ("
                        " version BIGINT PRIMARY KEY,"
                        " name TEXT NOT NULL,"
                        " applied_at BIGINT NOT NULL)",
                        err);
}

static enum rc applied_max(struct store *s, int64_t *max, struct err *err)
{
    *max = 0;
    enum rc rc = store_get_int(s, max, err, "SELECT COALESCE(MAX(version), 0) FROM schema_migrations", "");
    return rc == RC_NOTFOUND ? RC_OK : rc;
}

enum rc store_migration_status(struct store *s, struct store_migration_status *out,
                               struct err *err)
{
    enum rc rc = ensure_table(s, err);
    if (rc)
        return rc;
    struct mig_list l;
    list_migrations(s, &l);
    int64_t max;
    if ((rc = applied_max(s, &max, err)))
        return rc;
    out->applied = (int)max;
    out->known = l.n ? l.v[l.n - 1].version : 0;
    out->pending = 0;
    for (int i = 0; i < l.n; i++) {
        int64_t one;
        enum rc r = store_get_int(s, &one, err, "SELECT 1 FROM schema_migrations WHERE version = ?",
                                  "i", (int64_t)l.v[i].version);
        if (r == RC_NOTFOUND)
            out->pending++;
        else if (r)
            return r;
    }
    return RC_OK;
}

enum rc store_migration_each(struct store *s,
                             void (*fn)(int version, const char *name, int64_t applied_at,
                                        void *ctx),
                             void *ctx, struct err *err)
{
    enum rc rc = ensure_table(s, err);
    if (rc)
        return rc;
    struct mig_list l;
    list_migrations(s, &l);
    for (int i = 0; i < l.n; i++) {
        int64_t at = 0;
        rc = store_get_int(s, &at, err, "SELECT applied_at FROM schema_migrations WHERE version = ?",
                           "i", (int64_t)l.v[i].version);
        if (rc && rc != RC_NOTFOUND)
            return rc;
        fn(l.v[i].version, l.v[i].name, rc == RC_NOTFOUND ? 0 : at, ctx);
    }
    return RC_OK;
}

enum rc store_migrate(struct store *s, struct err *err)
{
    enum rc rc = ensure_table(s, err);
    if (rc)
        return err_prefix(err, "cannot prepare database '%s': ", s->dsn);
    struct mig_list l;
    list_migrations(s, &l);
    int64_t max;
    if ((rc = applied_max(s, &max, err)))
        return rc;
    int known = l.n ? l.v[l.n - 1].version : 0;
    if (max > known)
        return err_set(err, RC_CONFLICT,
                       "database '%s' was written by a newer govsite (schema version %lld, this "
                       "govsite knows up to %d); upgrade govsite before using this database",
                       s->dsn, (long long)max, known);
    for (int i = 0; i < l.n; i++) {
        int64_t one;
        rc = store_get_int(s, &one, err, "SELECT 1 FROM schema_migrations WHERE version = ?", "i",
                           (int64_t)l.v[i].version);
        if (rc == RC_OK)
            continue;
        if (rc != RC_NOTFOUND)
            return rc;
        if ((rc = store_begin(s, err)))
            return rc;
        const struct res_file *parts[2] = { l.v[i].generic, l.v[i].dialect };
        for (int p = 0; p < 2 && !rc; p++) {
            if (!parts[p])
                continue;
            char *sql = dialect(s, (const char *)parts[p]->data);
            rc = store_script(s, sql, err);
            free(sql);
        }
        if (!rc)
            rc = store_exec(s, err,
                            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, "
                            "?)",
                            "iti", (int64_t)l.v[i].version, l.v[i].name, (int64_t)time(NULL));
        if (rc) {
            store_rollback(s);
            return err_prefix(err, "migration %04d_%s failed: ", l.v[i].version, l.v[i].name);
        }
        if ((rc = store_commit(s, err)))
            return rc;
    }
    return RC_OK;
}
