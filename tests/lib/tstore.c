/* tstore.c - test databases on every backend (see tstore.h). */
#include "tstore.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "test.h"

static char schema[64];
static char last_dsn[2][1024];
static int counter;

int t_backends(void)
{
    const char *d = getenv("PG_TEST_DSN");
    return d && *d ? 2 : 1;
}

const char *t_backend_name(int b)
{
    return b ? "postgresql" : "sqlite";
}

const char *t_dsn(int b)
{
    return last_dsn[b ? 1 : 0];
}

static struct store *open_(int b, int migrate)
{
    struct store *s = NULL;
    struct err e = { 0 };
    if (b == 0) {
        snprintf(last_dsn[0], sizeof(last_dsn[0]), "%s/t%d.db", t_tmpdir(), ++counter);
        if (store_open(last_dsn[0], &s, &e))
            t_fail(__FILE__, __LINE__, "open sqlite: %s", err_msg(&e));
    } else {
        snprintf(last_dsn[1], sizeof(last_dsn[1]), "%s", getenv("PG_TEST_DSN"));
        if (store_open(last_dsn[1], &s, &e))
            t_fail(__FILE__, __LINE__, "open postgresql: %s", err_msg(&e));
        snprintf(schema, sizeof(schema), "t_%d_%d", (int)getpid(), ++counter);
        char sql[512];
        snprintf(sql, sizeof(sql), "DROP SCHEMA IF EXISTS %s CASCADE; CREATE SCHEMA %s; SET search_path TO %s",
                 schema, schema, schema);
        if (store_script(s, sql, &e))
            t_fail(__FILE__, __LINE__, "schema: %s", err_msg(&e));
    }
    if (migrate && store_migrate(s, &e))
        t_fail(__FILE__, __LINE__, "migrate (%s): %s", t_backend_name(b), err_msg(&e));
    return s;
}

struct store *t_open(int b)
{
    return open_(b, 1);
}

struct store *t_open_raw(int b)
{
    return open_(b, 0);
}

void t_close(struct store *s)
{
    if (!s)
        return;
    if (store_kind(s) == STORE_PG) {
        /* Drop the private schema. */
        char *cur = NULL;
        if (store_get_text(s, &cur, NULL, "SELECT current_schema()", "") == RC_OK && cur &&
            !strncmp(cur, "t_", 2)) {
            char sql[128];
            snprintf(sql, sizeof(sql), "DROP SCHEMA %s CASCADE", cur);
            store_script(s, sql, NULL);
        }
        free(cur);
    }
    store_close(s);
}
