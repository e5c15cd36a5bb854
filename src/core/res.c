/* res.c - embedded data files with on-disk overrides (see res.h). */
#include "core/res.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

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
