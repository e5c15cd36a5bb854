/* cmd_db.c - `govsite db migrate|status|check`: the database itself. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli/cli.h"
#include "core/buf.h"
#include "core/date.h"

struct status_ctx {
    struct jw *w;
    struct cli *c;
};

static void each(int version, const char *name, int64_t at, void *ctx)
{
    struct status_ctx *s = ctx;
    char t[32] = "";
    if (at)
        time_fmt_iso(at, s->c->clk.tzoff, t);
    if (s->w) {
        jw_obj(s->w);
        jw_kint(s->w, "version", version);
        jw_kstr(s->w, "name", name);
        jw_kbool(s->w, "applied", at != 0);
        jw_kstr(s->w, "applied_at", at ? t : NULL);
        jw_end(s->w);
    } else {
        printf("%04d  %-24s %s\n", version, name, at ? t : "pending");
    }
}

/* One table's figures: a JSON object, or an aligned line appended to `b`. */
static void table_sum(struct jw *w, struct buf *b, const char *table, int64_t rows, uint64_t sum)
{
    char hex[17];
    snprintf(hex, sizeof(hex), "%016llx", (unsigned long long)sum);
    if (w) {
        jw_obj(w);
        jw_kstr(w, "table", table);
        jw_kint(w, "rows", rows);
        jw_kstr(w, "checksum", hex);
        jw_end(w);
    } else {
        buf_addf(b, "%-28s %10lld  %s\n", table, (long long)rows, hex);
    }
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* govsite db checksum [--json]: every table's rows and checksum, as db copy verifies, by
 * table name (the engines' creation orders differ after a table rebuild), so the output of
 * two installations compares line by line. */
static int db_checksum(struct cli *c, int argc, char **argv)
{
    bool json;
    int r0 = cli_opts_json("db", argc, argv, &json);
    if (r0 >= 0)
        return r0;
    if (optind != argc)
        return cli_usage("db", "unexpected argument '%s'", argv[optind]);
    struct store *db = cli_db(c);
    if (!db)
        return 1;
    struct err e = { 0 };
    char **names = NULL;
    size_t n = 0;
    if (store_tables(db, &names, &n, &e))
        return cli_fail(c, &e);
    qsort(names, n, sizeof(*names), by_name);
    struct buf b = BUF_INIT;
    struct jw w;
    if (json) {
        jw_init(&w, &b, true);
        jw_arr(&w);
    }
    enum rc rc = RC_OK;
    for (size_t i = 0; i < n; i++) {
        int64_t rows;
        uint64_t sum;
        if (!rc && strcmp(names[i], "schema_migrations") &&
            !(rc = store_table_checksum(db, names[i], &rows, &sum, &e)))
            table_sum(json ? &w : NULL, &b, names[i], rows, sum);
        free(names[i]);
    }
    free(names);
    if (rc) {
        buf_release(&b);
        return cli_fail(c, &e);
    }
    if (json) {
        jw_end(&w);
        jw_finish(&w);
    }
    int r = cli_out(c, &b);
    buf_release(&b);
    return r;
}

/* --force: start the target afresh (a SQLite file is removed; a PostgreSQL schema is
 * dropped with everything in it and created again). */
static enum rc start_afresh(const char *dsn, struct err *err)
{
    if (!store_dsn_is_pg(dsn)) {
        const char *sfx[] = { "", "-wal", "-shm", "-journal" };
        for (size_t i = 0; i < sizeof(sfx) / sizeof(sfx[0]); i++) {
            struct buf p = BUF_INIT;
            buf_addf(&p, "%s%s", dsn, sfx[i]);
            if (unlink(buf_cstr(&p)) != 0 && errno != ENOENT) {
                enum rc rc = err_set(err, RC_IO, "cannot remove %s: %s", buf_cstr(&p), strerror(errno));
                buf_release(&p);
                return rc;
            }
            buf_release(&p);
        }
        return RC_OK;
    }
    struct store *s;
    enum rc rc = store_open(dsn, &s, err);
    if (rc)
        return rc;
    char *schema = NULL;
    if (!(rc = store_get_text(s, &schema, err, "SELECT current_schema()", ""))) {
        struct buf q = BUF_INIT;
        buf_addf(&q, "DROP SCHEMA \"%s\" CASCADE; CREATE SCHEMA \"%s\"", schema, schema);
        rc = store_script(s, buf_cstr(&q), err);
        buf_release(&q);
    }
    free(schema);
    store_close(s);
    return rc;
}

struct copy_out {
    struct cli *c;
    struct jw *w;
};

static void copy_progress(const struct store_copy_table *t, void *ctx)
{
    struct copy_out *o = ctx;
    if (!o->w && o->c->quiet)
        return;
    struct buf line = BUF_INIT;
    table_sum(o->w, &line, t->table, t->rows, t->checksum);
    if (line.n)
        fprintf(stderr, "%s", buf_cstr(&line)); /* the progress goes to stderr, the JSON to stdout */
    buf_release(&line);
}

static int db_copy(struct cli *c, int argc, char **argv)
{
    static const struct option opts[] = { { "from", required_argument, NULL, 'f' },
                                          { "to", required_argument, NULL, 't' },
                                          { "force", no_argument, NULL, 'F' },
                                          { "json", no_argument, NULL, 'j' },
                                          { "help", no_argument, NULL, 'h' },
                                          { NULL, 0, NULL, 0 } };
    const char *from = NULL, *to = NULL;
    bool force = false, json = false;
    int o;
    optind = 1;
    while ((o = getopt_long(argc, argv, "h", opts, NULL)) != -1) {
        switch (o) {
        case 'f': from = optarg; break;
        case 't': to = optarg; break;
        case 'F': force = true; break;
        case 'j': json = true; break;
        case 'h': return cli_help("db");
        default: return cli_usage("db", "unknown option '%s'", argv[optind - 1]);
        }
    }
    if (optind != argc)
        return cli_usage("db", "unexpected argument '%s'", argv[optind]);
    if (!from || !to)
        return cli_usage("db", "db copy needs --from DATABASE and --to DATABASE");
    if (!strcmp(from, to))
        return cli_usage("db", "--from and --to are the same database");
    struct err e = { 0 };
    struct store *src = NULL, *dst = NULL;
    if (!store_dsn_is_pg(from) && access(from, F_OK) != 0)
        return cli_failf(c, "%s: no such database file", from);
    if (store_open(from, &src, &e))
        return cli_fail(c, &e);
    if (force && start_afresh(to, &e)) {
        store_close(src);
        return cli_fail(c, &e);
    }
    if (store_open(to, &dst, &e)) {
        store_close(src);
        return cli_fail(c, &e);
    }
    struct buf b = BUF_INIT;
    struct jw w;
    struct copy_out co = { c, json ? &w : NULL };
    if (json) {
        jw_init(&w, &b, true);
        jw_obj(&w);
        jw_kstr(&w, "from", store_dsn(src));
        jw_kstr(&w, "to", store_dsn(dst));
        jw_key(&w, "tables");
        jw_arr(&w);
    }
    enum rc rc = store_copy(src, dst, copy_progress, &co, &e);
    store_close(src);
    store_close(dst);
    if (rc) {
        buf_release(&b);
        return cli_fail(c, &e);
    }
    if (json) {
        jw_end(&w);
        jw_kbool(&w, "verified", true);
        jw_end(&w);
        jw_finish(&w);
    } else if (!c->quiet) {
        fprintf(stderr, "govsite: copied and verified %s → %s\n", from, to);
    }
    int r = cli_out(c, &b);
    buf_release(&b);
    return r;
}

int cmd_db(struct cli *c, int argc, char **argv)
{
    if (argc >= 2 && !strcmp(argv[1], "copy"))
        return db_copy(c, argc - 1, argv + 1);
    if (argc >= 2 && !strcmp(argv[1], "checksum"))
        return db_checksum(c, argc - 1, argv + 1);
    if (argc < 2)
        return cli_usage("db", "missing subcommand (migrate, status or check)");
    const char *sub = argv[1];
    if (!strcmp(sub, "--help") || !strcmp(sub, "-h") || !strcmp(sub, "help"))
        return cli_help("db");
    argc--, argv++;
    bool json;
    int r0 = cli_opts_json("db", argc, argv, &json);
    if (r0 >= 0)
        return r0;
    if (optind != argc)
        return cli_usage("db", "unexpected argument '%s'", argv[optind]);
    struct err e = { 0 };
    if (!strcmp(sub, "migrate")) {
        struct store *db = NULL;
        if (store_open(c->db_dsn, &db, &e))
            return cli_fail(c, &e);
        struct store_migration_status before, after;
        enum rc rc = store_migration_status(db, &before, &e);
        if (!rc)
            rc = store_migrate(db, &e);
        if (!rc)
            rc = store_migration_status(db, &after, &e);
        store_close(db);
        if (rc)
            return cli_fail(c, &e);
        if (json)
            printf("{\"applied\": %d, \"schema_version\": %d}\n", before.pending, after.applied);
        else if (!c->quiet)
            printf("%s: %d migration%s applied; schema version %d\n", store_dsn_is_pg(c->db_dsn) ? "database" : c->db_dsn,
                   before.pending, before.pending == 1 ? "" : "s", after.applied);
        return 0;
    }
    if (!strcmp(sub, "status")) {
        struct store *db = NULL;
        if (store_open(c->db_dsn, &db, &e))
            return cli_fail(c, &e);
        struct store_migration_status s;
        enum rc rc = store_migration_status(db, &s, &e);
        struct buf b = BUF_INIT;
        struct jw w;
        struct status_ctx ctx = { NULL, c };
        if (!rc && json) {
            jw_init(&w, &b, true);
            jw_obj(&w);
            jw_kstr(&w, "database", store_dsn(db));
            jw_kstr(&w, "engine", store_kind(db) == STORE_PG ? "postgresql" : "sqlite");
            jw_kint(&w, "schema_version", s.applied);
            jw_kint(&w, "known_version", s.known);
            jw_kint(&w, "pending", s.pending);
            jw_key(&w, "migrations");
            jw_arr(&w);
            ctx.w = &w;
        } else if (!rc) {
            printf("database: %s (%s)\nschema version %d of %d known, %d pending\n", store_dsn(db),
                   store_kind(db) == STORE_PG ? "postgresql" : "sqlite", s.applied, s.known,
                   s.pending);
        }
        if (!rc)
            rc = store_migration_each(db, each, &ctx, &e);
        store_close(db);
        if (rc) {
            buf_release(&b);
            return cli_fail(c, &e);
        }
        if (json) {
            jw_end(&w);
            jw_end(&w);
            jw_finish(&w);
            cli_out(c, &b);
        }
        buf_release(&b);
        if (s.applied > s.known)
            return cli_failf(c, "this database was written by a newer govsite (schema %d > %d)",
                             s.applied, s.known);
        return 0;
    }
    if (!strcmp(sub, "check")) {
        struct store *db = cli_db(c);
        if (!db)
            return 1;
        if (store_check(db, &e))
            return cli_fail(c, &e);
        if (!c->quiet)
            printf("%s: ok\n", store_dsn(db));
        return 0;
    }
    return cli_usage("db", "unknown subcommand '%s'", sub);
}

int cmd_config(struct cli *c, int argc, char **argv)
{
    if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h")))
        return cli_help("config");
    printf("configuration file: %s\n", c->config ? c->config : "(none)");
    printf("database: %s\n", c->db_dsn);
    char t[32];
    time_fmt_iso(clk_now(&c->clk), c->clk.tzoff, t);
    printf("now: %s%s\n", t, c->clk.fixed ? " (fixed by GOVSITE_NOW)" : "");
    for (size_t i = 0; i < c->conf.kv.cap; i++) {
        struct map_ent *en = &c->conf.kv.e[i];
        if (!en->key || en->key == map__tombstone)
            continue;
        printf("%s = %s\t# %s\n", en->key, (const char *)en->val,
               (const char *)map_gets(&c->conf.line, en->key));
    }
    return 0;
}
