/* res.c - embedded data files with on-disk overrides (see res.h). */
#include "core/res.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <dirent.h>
#include <sys/stat.h>

#include "core/xalloc.h"

#ifndef GOVSITE_DATADIR
#define GOVSITE_DATADIR "/usr/local/share/govsite"
#endif

static const char *override_dir;

void res_set_dir(const char *dir)
{
    override_dir = dir;
}

const char *res_dir(void)
{
    if (override_dir && *override_dir)
        return override_dir;
    const char *e = getenv("GOVSITE_DATA");
    if (e && *e)
        return e;
    return GOVSITE_DATADIR;
}

const struct res_file *res_find_embedded(const char *name)
{
    size_t lo = 0, hi = 0;
    while (res_embedded[hi].name)
        hi++;
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        int c = strcmp(res_embedded[mid].name, name);
        if (c == 0)
            return &res_embedded[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

enum rc res_load(const char *name, struct buf *out, bool *from_file, struct err *err)
{
    if (strstr(name, ".."))
        return err_set(err, RC_INVALID, "resource name '%s' may not contain '..'", name);
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", res_dir(), name);
    struct stat st;
    if (stat(path, &st) == 0 && S_ISREG(st.st_mode)) {
        if (from_file)
            *from_file = true;
        return buf_read_file(out, path, err);
    }
    const struct res_file *f = res_find_embedded(name);
    if (!f)
        return err_set(err, RC_NOTFOUND, "data file '%s' not found in '%s' nor built in", name,
                       res_dir());
    if (from_file)
        *from_file = false;
    buf_add(out, f->data, f->len);
    return RC_OK;
}

void res_each(const char *prefix, void (*fn)(const struct res_file *f, void *ctx), void *ctx)
{
    size_t n = strlen(prefix);
    for (const struct res_file *f = res_embedded; f->name; f++)
        if (!strncmp(f->name, prefix, n))
            fn(f, ctx);
}

static int cmp_names(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    return n >= k && !strcmp(s + n - k, suffix);
}

size_t res_names(const char *dir, const char *suffix, char ***out)
{
    char **v = NULL;
    size_t n = 0, cap = 0, dlen = strlen(dir);
    for (const struct res_file *f = res_embedded; f->name; f++) {
        if (strncmp(f->name, dir, dlen) || strchr(f->name + dlen, '/') || !ends_with(f->name, suffix))
            continue;
        v = xgrow(v, &cap, n + 1, sizeof(char *));
        v[n++] = xstrdup(f->name);
    }
    char path[4096];
    snprintf(path, sizeof(path), "%s/%s", res_dir(), dir);
    DIR *d = opendir(path);
    struct dirent *de;
    while (d && (de = readdir(d))) {
        if (de->d_name[0] == '.' || !ends_with(de->d_name, suffix))
            continue;
        char full[4096 + 256];
        struct stat st;
        snprintf(full, sizeof(full), "%s/%s", path, de->d_name);
        if (stat(full, &st) || !S_ISREG(st.st_mode))
            continue;
        char name[1024];
        snprintf(name, sizeof(name), "%s%s", dir, de->d_name);
        bool seen = false;
        for (size_t i = 0; i < n && !seen; i++)
            seen = !strcmp(v[i], name);
        if (seen)
            continue;
        v = xgrow(v, &cap, n + 1, sizeof(char *));
        v[n++] = xstrdup(name);
    }
    if (d)
        closedir(d);
    if (n)
        qsort(v, n, sizeof(char *), cmp_names);
    *out = v;
    return n;
}

void res_names_free(char **v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
}
