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

/* The longest line read (inih grows its heap buffer up to it; a longer one is an error). */
#define CONF_MAX_LINE (1 << 20)

struct load_ctx {
    struct conf *c;
    const char *path;
    FILE *f;
    int lineno;     /* line last handed to inih (Debian's inih has no line numbers) */
    bool midline;   /* the last chunk did not end its line: inih is asking for the rest */
    size_t linelen; /* bytes of the current line so far */
    bool too_long;  /* a line passed CONF_MAX_LINE: reading stopped */
};

static char *reader(char *str, int num, void *stream)
{
    struct load_ctx *l = stream;
    char *r = fgets(str, num, l->f);
    if (!r)
        return NULL;
    size_t n = strlen(r);
    if (!l->midline) {
        l->lineno++;
        l->linelen = 0;
    }
    l->linelen += n;
    l->midline = n > 0 && r[n - 1] != '\n';
    if (l->midline && l->linelen + 3 >= CONF_MAX_LINE) {
        l->too_long = true; /* stop here rather than let inih read the rest as a new line */
        return NULL;
    }
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
    struct load_ctx l = { c, path, f, 0, false, 0, false };
    /* Debian's inih exposes its compile options at run time: a heap line buffer that grows
     * (INI_USE_STACK=0, INI_ALLOW_REALLOC=1) up to INI_MAX_LINE instead of 200 bytes. */
    ini_use_stack = false;
    ini_allow_realloc = true;
    ini_max_line = CONF_MAX_LINE;
    int r = ini_parse_stream(reader, &l, on_line, &l);
    fclose(f);
    if (l.too_long)
        return err_set(err, RC_PARSE, "%s:%d: line longer than %d bytes; shorten the value",
                       path, l.lineno, CONF_MAX_LINE - 3);
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
