/* conf.c - INI configuration via inih (see conf.h). */
#include "core/conf.h"

#include <ini.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"

void conf_init(struct conf *c)
{
    memset(c, 0, sizeof(*c));
}

void conf_release(struct conf *c)
{
    map_release(&c->kv, free);
    map_release(&c->line, free);
}

static void keyname(char *out, size_t n, const char *section, const char *key)
{
    snprintf(out, n, "%s.%s", section && *section ? section : "general", key);
}

static void put(struct conf *c, const char *section, const char *key, const char *val,
                const char *where)
{
    char k[256];
    keyname(k, sizeof(k), section, key);
    free(map_puts(&c->kv, k, xstrdup(val)));
    free(map_puts(&c->line, k, xstrdup(where ? where : "(set)")));
}

void conf_set(struct conf *c, const char *section, const char *key, const char *val)
{
    put(c, section, key, val, NULL);
}

struct load_ctx {
    struct conf *c;
    const char *path;
    FILE *f;
    int lineno; /* line last handed to inih (Debian's inih has no line numbers) */
};

static char *reader(char *str, int num, void *stream)
{
    struct load_ctx *l = stream;
    char *r = fgets(str, num, l->f);
    if (r)
        l->lineno++;
    return r;
}

static int on_line(void *user, const char *section, const char *name, const char *value)
{
    struct load_ctx *l = user;
    char where[600];
    snprintf(where, sizeof(where), "%s:%d", l->path, l->lineno);
    put(l->c, section, name, value ? value : "", where);
    return 1;
}

enum rc conf_load(struct conf *c, const char *path, struct err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return err_set(err, RC_IO, "cannot open configuration file '%s'", path);
    struct load_ctx l = { c, path, f, 0 };
    int r = ini_parse_stream(reader, &l, on_line, &l);
    fclose(f);
    if (r > 0)
        return err_set(err, RC_PARSE,
                       "%s:%d: cannot parse this line; expected '[section]' or 'key = value'",
                       path, r);
    if (r < 0)
        return err_set(err, RC_IO, "cannot read configuration file '%s'", path);
    return RC_OK;
}

const char *conf_get(const struct conf *c, const char *section, const char *key, const char *def)
{
    char k[256];
    keyname(k, sizeof(k), section, key);
    const char *v = map_gets(&c->kv, k);
    return v ? v : def;
}

const char *conf_where(const struct conf *c, const char *section, const char *key)
{
    char k[256];
    keyname(k, sizeof(k), section, key);
    return map_gets(&c->line, k);
}

enum rc conf_int(const struct conf *c, const char *section, const char *key, int64_t def,
                 int64_t lo, int64_t hi, int64_t *out, struct err *err)
{
    const char *v = conf_get(c, section, key, NULL);
    if (!v || !*v) {
        *out = def;
        return RC_OK;
    }
    int64_t x;
    if (!str_to_i64(str_trim(str_of(v)), &x) || x < lo || x > hi)
        return err_set(err, RC_INVALID, "%s: [%s] %s = '%s' is not a whole number from %lld to %lld",
                       conf_where(c, section, key), section, key, v, (long long)lo, (long long)hi);
    *out = x;
    return RC_OK;
}

enum rc conf_double(const struct conf *c, const char *section, const char *key, double def,
                    double *out, struct err *err)
{
    const char *v = conf_get(c, section, key, NULL);
    if (!v || !*v) {
        *out = def;
        return RC_OK;
    }
    if (!str_to_double(str_trim(str_of(v)), out))
        return err_set(err, RC_INVALID, "%s: [%s] %s = '%s' is not a number",
                       conf_where(c, section, key), section, key, v);
    return RC_OK;
}

enum rc conf_bool(const struct conf *c, const char *section, const char *key, bool def, bool *out,
                  struct err *err)
{
    const char *v = conf_get(c, section, key, NULL);
    if (!v || !*v) {
        *out = def;
        return RC_OK;
    }
    if (!ascii_casecmp(v, "yes") || !ascii_casecmp(v, "true") || !strcmp(v, "1") ||
        !ascii_casecmp(v, "on")) {
        *out = true;
    } else if (!ascii_casecmp(v, "no") || !ascii_casecmp(v, "false") || !strcmp(v, "0") ||
               !ascii_casecmp(v, "off")) {
        *out = false;
    } else {
        return err_set(err, RC_INVALID, "%s: [%s] %s = '%s' must be yes or no",
                       conf_where(c, section, key), section, key, v);
    }
    return RC_OK;
}
