/* err.c - error codes and the error sink (see err.h). */
#include "core/err.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
    const char *name, *msg;
    int http, exitc;
} rc_rows[] = {
#define XX(name, msg, http, exitc) { #name, msg, http, exitc },
    RC_TABLE(XX)
#undef XX
};
_Static_assert(sizeof(rc_rows) / sizeof(rc_rows[0]) == RC__COUNT, "rc table size");

static int rc_ok(enum rc rc)
{
    return (int)rc >= 0 && rc < RC__COUNT;
}

const char *rc_name(enum rc rc)
{
    return rc_ok(rc) ? rc_rows[rc].name : "UNKNOWN";
}

const char *rc_str(enum rc rc)
{
    return rc_ok(rc) ? rc_rows[rc].msg : "unknown error";
}

int rc_http(enum rc rc)
{
    return rc_ok(rc) ? rc_rows[rc].http : 500;
}

int rc_exit(enum rc rc)
{
    return rc_ok(rc) ? rc_rows[rc].exitc : 1;
}

enum rc err_vset(struct err *e, enum rc rc, const char *fmt, va_list ap)
{
    if (!e || e->rc != RC_OK || rc == RC_OK)
        return rc;
    e->rc = rc;
    vsnprintf(e->msg, sizeof(e->msg), fmt, ap);
    return rc;
}

enum rc err_set(struct err *e, enum rc rc, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    err_vset(e, rc, fmt, ap);
    va_end(ap);
    return rc;
}

enum rc err_prefix(struct err *e, const char *fmt, ...)
{
    if (!e || e->rc == RC_OK)
        return e ? e->rc : RC_OK;
    char pre[ERR_MSG_MAX], old[ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(pre, sizeof(pre), fmt, ap);
    va_end(ap);
    memcpy(old, e->msg, sizeof(old));
    size_t a = strlen(pre), b = strlen(old);
    if (a > sizeof(e->msg) - 1)
        a = sizeof(e->msg) - 1;
    if (b > sizeof(e->msg) - 1 - a)
        b = sizeof(e->msg) - 1 - a;
    memcpy(e->msg, pre, a);
    memcpy(e->msg + a, old, b);
    e->msg[a + b] = 0;
    return e->rc;
}

void err_clear(struct err *e)
{
    if (e) {
        e->rc = RC_OK;
        e->msg[0] = 0;
    }
}

const char *err_msg(const struct err *e)
{
    if (!e)
        return "";
    return e->msg[0] ? e->msg : rc_str(e->rc);
}

void bug_at(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stderr, "govsite: BUG at %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputc('\n', stderr);
    abort();
}
