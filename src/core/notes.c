/* notes.c - bounded message list (see notes.h). */
#include "core/notes.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "core/xalloc.h"

void notes_add(struct notes *ns, const char *fmt, ...)
{
    ns->total++;
    size_t max = ns->max ? ns->max : 20;
    if (ns->n >= max)
        return;
    char tmp[1024];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(tmp, sizeof(tmp), fmt, ap);
    va_end(ap);
    ns->v = xgrow(ns->v, &ns->cap, ns->n + 1, sizeof(char *));
    ns->v[ns->n++] = xstrdup(tmp);
}

void notes_release(struct notes *ns)
{
    for (size_t i = 0; i < ns->n; i++)
        free(ns->v[i]);
    free(ns->v);
    ns->v = NULL;
    ns->n = ns->cap = ns->total = 0;
}
