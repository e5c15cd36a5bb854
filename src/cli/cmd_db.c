/* cmd_db.c - `govsite db migrate|status|check`: the database itself. */
#include <getopt.h>
#include <stdio.h>
#include <string.h>

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

int cmd_db(struct cli *c, int argc, char **argv)
{
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
