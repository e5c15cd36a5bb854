/* copy.c - moving an installation between engines (store_copy) and the per-table
 * checksums that verify it (store.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "core/buf.h"
#include "core/xalloc.h"
#include "store/store_int.h"

#define PAGE_ROWS 2000

char store__col_kind(const char *decl)
{
    char up[64];
    size_t i = 0;
    for (; decl && decl[i] && i + 1 < sizeof(up); i++)
        up[i] = (char)(decl[i] >= 'a' && decl[i] <= 'z' ? decl[i] - 32 : decl[i]);
    up[i] = 0;
    if (strstr(up, "INT"))
        return 'i';
    if (strstr(up, "REAL") || strstr(up, "DOUB") || strstr(up, "FLOA") || strstr(up, "NUMERIC"))
        return 'd';
    if (strstr(up, "BLOB") || strstr(up, "BYTEA"))
        return 'b';
    return 't';
}

enum rc store_columns(struct store *s, const char *table, struct store_col **cols, size_t *n,
                      struct err *err)
{
    enum rc rc = s->drv->columns(s, table, cols, n, err);
    if (!rc && *n == 0)
        rc = err_set(err, RC_NOTFOUND, "no table '%s' in %s", table, store_dsn(s));
    return rc;
}

void store_columns_free(struct store_col *cols, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(cols[i].name);
    free(cols);
}

/* ------------------------------------------------------------- scanning --- */

/* The last row's key, for the next keyset page. */
struct key {
    bool set;
    int64_t *i;
    char **t;
};

struct scan {
    const struct store_col *cols;
    size_t n;
    size_t *pk; /* indexes of the key columns in key order */
    size_t npk;
};

static void scan_init(struct scan *sc, const struct store_col *cols, size_t n)
{
    sc->cols = cols;
    sc->n = n;
    sc->pk = xcalloc(n, sizeof(*sc->pk));
    sc->npk = 0;
    for (int pos = 1; pos <= (int)n; pos++)
        for (size_t i = 0; i < n; i++)
            if (cols[i].pk == pos)
                sc->pk[sc->npk++] = i;
}

/* SELECT every column, a page at a time: by the primary key (keyset), or for a table
 * without one by all columns with OFFSET. */
static void scan_sql(const struct scan *sc, const char *table, bool after, struct buf *b)
{
    buf_adds(b, "SELECT ");
    for (size_t i = 0; i < sc->n; i++)
        buf_addf(b, "%s\"%s\"", i ? ", " : "", sc->cols[i].name);
    buf_addf(b, " FROM \"%s\"", table);
    if (sc->npk && after) {
        buf_adds(b, " WHERE (");
        for (size_t k = 0; k < sc->npk; k++)
            buf_addf(b, "%s\"%s\"", k ? ", " : "", sc->cols[sc->pk[k]].name);
        buf_adds(b, ") > (");
        for (size_t k = 0; k < sc->npk; k++)
            buf_adds(b, k ? ", ?" : "?");
        buf_adds(b, ")");
    }
    buf_adds(b, " ORDER BY ");
    if (sc->npk) {
        for (size_t k = 0; k < sc->npk; k++)
            buf_addf(b, "%s\"%s\"", k ? ", " : "", sc->cols[sc->pk[k]].name);
        buf_addf(b, " LIMIT %d", PAGE_ROWS);
    } else {
        for (size_t i = 0; i < sc->n; i++)
            buf_addf(b, "%s\"%s\"", i ? ", " : "", sc->cols[i].name);
        buf_addf(b, " LIMIT %d OFFSET ?", PAGE_ROWS);
    }
}

/* Calls fn for every row (the statement positioned on it); fn returns an error to stop. */
static enum rc scan_rows(struct store *s, const char *table, const struct scan *sc,
                         enum rc (*fn)(struct stmt *row, void *ctx), void *ctx, struct err *err)
{
    struct buf first = BUF_INIT, next = BUF_INIT;
    scan_sql(sc, table, false, &first);
    scan_sql(sc, table, true, &next);
    struct key k = { false, xcalloc(sc->npk + 1, sizeof(int64_t)),
                     xcalloc(sc->npk + 1, sizeof(char *)) };
    int64_t offset = 0;
    enum rc rc = RC_OK;
    for (;;) {
        struct stmt *st = store_sql(s, buf_cstr(k.set && sc->npk ? &next : &first));
        if (sc->npk && k.set) {
            for (size_t j = 0; j < sc->npk; j++) {
                if (sc->cols[sc->pk[j]].kind == 'i')
                    stmt_bind_int(st, (int)j + 1, k.i[j]);
                else
                    stmt_bind_text(st, (int)j + 1, k.t[j]);
            }
        } else if (!sc->npk) {
            stmt_bind_int(st, 1, offset);
        }
        int64_t got = 0;
        while (!rc && stmt_next(st)) {
            got++;
            rc = fn(st, ctx);
            for (size_t j = 0; j < sc->npk; j++) {
                size_t c = sc->pk[j];
                if (sc->cols[c].kind == 'i') {
                    k.i[j] = stmt_int(st, (int)c);
                } else {
                    free(k.t[j]);
                    k.t[j] = stmt_dup(st, (int)c);
                }
            }
            k.set = true;
        }
        enum rc r2 = stmt_done(st, err);
        if (!rc)
            rc = r2;
        if (rc || got < PAGE_ROWS)
            break;
        offset += got;
    }
    for (size_t j = 0; j < sc->npk; j++)
        free(k.t[j]);
    free(k.i);
    free(k.t);
    buf_release(&first);
    buf_release(&next);
    return rc;
}

/* ------------------------------------------------------------ checksums --- */

struct sum {
    const struct scan *sc;
    struct buf row;
    int64_t rows;
    uint64_t sum;
};

/* A row's text form: integers in decimal, doubles with 17 significant digits, blobs in
 * hex, text as it is; fields separated by 0x1f, null as 0x00. */
static void row_text(struct stmt *st, const struct scan *sc, struct buf *b)
{
    buf_reset(b);
    for (size_t i = 0; i < sc->n; i++) {
        if (i)
            buf_addc(b, 0x1f);
        int c = (int)i;
        if (stmt_null(st, c)) {
            buf_addc(b, 0);
            continue;
        }
        switch (sc->cols[i].kind) {
        case 'i':
            buf_addf(b, "%lld", (long long)stmt_int(st, c));
            break;
        case 'd':
            buf_addf(b, "%.17g", stmt_double(st, c));
            break;
        case 'b': {
            size_t n;
            const unsigned char *p = stmt_blob(st, c, &n);
            for (size_t j = 0; j < n; j++)
                buf_addf(b, "%02x", p[j]);
            break;
        }
        default:
            buf_adds(b, stmt_str(st, c));
            break;
        }
    }
}

static uint64_t fnv1a(const char *p, size_t n)
{
    uint64_t h = 1469598103934665603ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)p[i];
        h *= 1099511628211ULL;
    }
    return h;
}

static enum rc sum_row(struct stmt *st, void *ctx)
{
    struct sum *s = ctx;
    row_text(st, s->sc, &s->row);
    s->rows++;
    s->sum += fnv1a(s->row.p ? s->row.p : "", s->row.n); /* a sum: the order does not matter */
    return RC_OK;
}

enum rc store_table_checksum(struct store *s, const char *table, int64_t *rows, uint64_t *sum,
                             struct err *err)
{
    struct store_col *cols;
    size_t n;
    enum rc rc = store_columns(s, table, &cols, &n, err);
    if (rc)
        return rc;
    struct scan sc;
    scan_init(&sc, cols, n);
    struct sum acc = { .sc = &sc, .row = BUF_INIT };
    rc = scan_rows(s, table, &sc, sum_row, &acc, err);
    *rows = acc.rows;
    *sum = acc.sum;
    buf_release(&acc.row);
    free(sc.pk);
    store_columns_free(cols, n);
    return rc;
}

/* ----------------------------------------------------------------- copy --- */

struct ins {
    const struct scan *sc;
    struct store *to;
    const char *sql;
    struct err *err;
};

static enum rc insert_row(struct stmt *row, void *ctx)
{
    struct ins *x = ctx;
    struct stmt *st = store_sql(x->to, x->sql);
    for (size_t i = 0; i < x->sc->n; i++) {
        int c = (int)i, p = (int)i + 1;
        if (stmt_null(row, c)) {
            stmt_bind_null(st, p);
            continue;
        }
        switch (x->sc->cols[i].kind) {
        case 'i':
            stmt_bind_int(st, p, stmt_int(row, c));
            break;
        case 'd':
            stmt_bind_double(st, p, stmt_double(row, c));
            break;
        case 'b': {
            size_t n;
            const void *b = stmt_blob(row, c, &n);
            stmt_bind_blob(st, p, b, n);
            break;
        }
        default:
            stmt_bind_text(st, p, stmt_text(row, c));
            break;
        }
    }
    stmt_next(st);
    return stmt_done(st, x->err);
}

static int64_t count_rows(struct store *s, const char *table, struct err *err, enum rc *rc)
{
    struct buf q = BUF_INIT;
    buf_addf(&q, "SELECT COUNT(*) FROM \"%s\"", table); /* lint: sql-ok (catalog name) */
    int64_t n = 0;
    *rc = store_get_int(s, &n, err, buf_cstr(&q), "");
    buf_release(&q);
    return n;
}

/* Rows a freshly migrated database holds per table (seeded by the migrations): a target
 * with no more than these is empty. */
static enum rc seed_counts(struct map *seed, struct err *err)
{
    struct store *m;
    enum rc rc = store_open(":memory:", &m, err);
    if (rc)
        return rc;
    char **names = NULL;
    size_t n = 0;
    if (!(rc = store_migrate(m, err)) && !(rc = store_tables(m, &names, &n, err))) {
        for (size_t i = 0; i < n && !rc; i++) {
            int64_t c = count_rows(m, names[i], err, &rc);
            map_puts(seed, names[i], (void *)(intptr_t)(c + 1));
        }
    }
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    store_close(m);
    return rc;
}

static bool skip_table(const char *t)
{
    return !strcmp(t, "schema_migrations"); /* each side keeps its own migration record */
}

enum rc store_copy(struct store *from, struct store *to,
                   void (*progress)(const struct store_copy_table *t, void *ctx), void *ctx,
                   struct err *err)
{
    struct store_migration_status ms;
    enum rc rc = store_migration_status(from, &ms, err);
    if (rc)
        return rc;
    if (ms.pending)
        return err_set(
            err, RC_CONFLICT,
            "the source %s is at schema %d, this govsite's is %d: run 'govsite db migrate' "
            "on it first",
            store_dsn(from), ms.applied, ms.known);
    if ((rc = store_migrate(to, err)))
        return rc;
    char **names = NULL;
    size_t n = 0;
    struct map seed = MAP_INIT;
    if ((rc = store_tables(from, &names, &n, err)) || (rc = seed_counts(&seed, err)))
        goto out;
    /* the target must be empty (but for what its migrations seed) */
    char **tn = NULL;
    size_t ntn = 0;
    if ((rc = store_tables(to, &tn, &ntn, err)))
        goto out;
    for (size_t i = 0; i < ntn && !rc; i++) {
        if (skip_table(tn[i]))
            continue;
        int64_t c = count_rows(to, tn[i], err, &rc);
        int64_t s = (int64_t)(intptr_t)map_gets(&seed, tn[i]);
        if (!rc && c > (s ? s - 1 : 0))
            rc = err_set(err, RC_CONFLICT,
                         "the target %s is not empty (table %s has %lld rows): copy into an empty "
                         "database, or give --force to start it afresh",
                         store_dsn(to), tn[i], (long long)c);
    }
    for (size_t i = 0; i < ntn; i++)
        free(tn[i]);
    free(tn);
    if (rc)
        goto out;

    if ((rc = store_begin(to, err)))
        goto out;
    for (size_t i = 0; i < n && !rc; i++) {
        const char *t = names[i];
        if (skip_table(t))
            continue;
        struct store_col *cols = NULL, *tcols = NULL;
        size_t nc = 0, ntc = 0;
        if ((rc = store_columns(from, t, &cols, &nc, err)))
            break;
        if ((rc = store_columns(to, t, &tcols, &ntc, err))) {
            store_columns_free(cols, nc);
            break;
        }
        bool same = nc == ntc;
        for (size_t j = 0; same && j < nc; j++)
            same = !strcmp(cols[j].name, tcols[j].name);
        if (!same) {
            rc = err_set(
                err, RC_CONFLICT,
                "table %s has other columns in the target; both must be at the same schema", t);
        } else {
            /* the target's view of the key and identity (its engine knows them) */
            for (size_t j = 0; j < nc; j++) {
                cols[j].identity = tcols[j].identity;
                if (cols[j].kind != tcols[j].kind && tcols[j].kind != 't')
                    cols[j].kind = tcols[j].kind;
            }
            struct scan sc;
            scan_init(&sc, cols, nc);
            struct buf del = BUF_INIT, ins = BUF_INIT;
            buf_addf(&del, "DELETE FROM \"%s\"", t); /* lint: sql-ok (seeded rows; catalog name) */
            buf_addf(&ins, "INSERT INTO \"%s\" (", t); /* lint: sql-ok (catalog names, ? values) */
            for (size_t j = 0; j < nc; j++)
                buf_addf(&ins, "%s\"%s\"", j ? ", " : "", cols[j].name);
            buf_adds(&ins, ") VALUES (");
            for (size_t j = 0; j < nc; j++)
                buf_adds(&ins, j ? ", ?" : "?");
            buf_adds(&ins, ")");
            rc = store_exec(to, err, buf_cstr(&del), "");
            struct ins x = { &sc, to, buf_cstr(&ins), err };
            if (!rc)
                rc = scan_rows(from, t, &sc, insert_row, &x, err);
            for (size_t j = 0; j < nc && !rc; j++)
                if (cols[j].identity)
                    rc = to->drv->reset_ids(to, t, cols[j].name, err);
            /* verify inside the transaction: rows and checksum on both sides */
            int64_t r1 = 0, r2 = 0;
            uint64_t s1 = 0, s2 = 0;
            if (!rc)
                rc = store_table_checksum(from, t, &r1, &s1, err);
            if (!rc)
                rc = store_table_checksum(to, t, &r2, &s2, err);
            if (!rc && (r1 != r2 || s1 != s2))
                rc = err_set(
                    err, RC_DB,
                    "table %s differs after the copy (%lld rows, checksum %016llx; the target "
                    "has %lld rows, %016llx): nothing was copied",
                    t, (long long)r1, (unsigned long long)s1, (long long)r2,
                    (unsigned long long)s2);
            if (!rc && progress) {
                struct store_copy_table ct = { t, r1, s1 };
                progress(&ct, ctx);
            }
            buf_release(&del);
            buf_release(&ins);
            free(sc.pk);
        }
        store_columns_free(cols, nc);
        store_columns_free(tcols, ntc);
    }
    if (rc)
        store_rollback(to);
    else
        rc = store_commit(to, err);
out:
    for (size_t i = 0; i < n; i++)
        free(names[i]);
    free(names);
    map_release(&seed, NULL);
    return rc;
}
