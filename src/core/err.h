/* err.h - the one table of error codes, and the error sink every fallible call takes.
 *
 * Functions that can fail return `enum rc` (RC_OK is 0) and write the detail into a
 * `struct err *` passed last, which may be NULL.  err_set() returns the code, so the
 * usual shape is `return err_set(err, RC_PARSE, "bad date '%s'", s);`.  Messages follow
 * git's style: lowercase, no full stop, problem first, subject quoted, and where the
 * caller can act, the fix ("... ; use YYYY-MM-DD").
 *
 * Only cli/ and web/ turn a code into an exit status (rc_exit) or an HTTP status
 * (rc_http); nothing below them prints or exits.
 *
 * Adding a new code: add one XX() row (name, message, HTTP status, exit code); the enum,
 * rc_name(), rc_str(), rc_http() and rc_exit() follow; say in docs/ARCHITECTURE.md when
 * callers should use it.
 */
#ifndef CORE_ERR_H
#define CORE_ERR_H

#include <stdarg.h>
#include <stdnoreturn.h>

/* clang-format off */
#define RC_TABLE(XX)                                                          \
    XX(OK,           "ok",                    200, 0)                         \
    XX(INVALID,      "invalid input",         400, 1)                         \
    XX(USAGE,        "usage error",           400, 2)                         \
    XX(PARSE,        "cannot parse",          400, 1)                         \
    XX(NOTFOUND,     "not found",             404, 1)                         \
    XX(CONFLICT,     "conflict",              409, 1)                         \
    XX(UNAUTHORIZED, "not authenticated",     401, 1)                         \
    XX(FORBIDDEN,    "forbidden",             403, 1)                         \
    XX(LIMIT,        "limit exceeded",        413, 1)                         \
    XX(TOOMANY,      "too many attempts",     429, 1)                         \
    XX(IO,           "i/o error",             500, 1)                         \
    XX(NET,          "network error",         502, 1)                         \
    XX(DB,           "database error",        500, 1)                         \
    XX(BUSY,         "busy, try again",       503, 1)                         \
    XX(UNAVAILABLE,  "unavailable",           503, 1)                         \
    XX(INTERRUPTED,  "interrupted",           503, 1)                         \
    XX(INTERNAL,     "internal error",        500, 1)
/* clang-format on */

enum rc {
#define XX(name, msg, http, exitc) RC_##name,
    RC_TABLE(XX)
#undef XX
        RC__COUNT
};

#define ERR_MSG_MAX 1024

/* The error sink.  Zero-initialise it (`struct err e = {0};`).  Only the first error
 * set is kept unless the caller clears it with err_clear(): the root cause wins. */
struct err {
    enum rc rc;             /* RC_OK until something fails */
    char msg[ERR_MSG_MAX];  /* human message, never NULL, "" when rc == RC_OK */
};

#define FMT_PRINTF(a, b) __attribute__((format(printf, a, b)))

/* Record an error and return its code.  `e` may be NULL.  When e already holds an
 * error, the new one is ignored (the root cause stays) but `rc` is still returned. */
enum rc err_set(struct err *e, enum rc rc, const char *fmt, ...) FMT_PRINTF(3, 4);
enum rc err_vset(struct err *e, enum rc rc, const char *fmt, va_list ap) FMT_PRINTF(3, 0);

/* Prefix the stored message with context ("units.csv:3: " + msg).  No-op when e is NULL
 * or holds no error.  Returns e->rc (or RC_OK). */
enum rc err_prefix(struct err *e, const char *fmt, ...) FMT_PRINTF(2, 3);

/* Forget the stored error. */
void err_clear(struct err *e);

/* The message of `e`, or the generic text of its code when the message is empty. */
const char *err_msg(const struct err *e);

const char *rc_name(enum rc rc); /* "NOTFOUND" */
const char *rc_str(enum rc rc);  /* "not found" */
int rc_http(enum rc rc);         /* 404 */
int rc_exit(enum rc rc);         /* process exit code: 0, 1 or 2 */

/* Programmer errors: log file:line and abort, in every build. */
noreturn void bug_at(const char *file, int line, const char *fmt, ...) FMT_PRINTF(3, 4);
#define BUG(...) bug_at(__FILE__, __LINE__, __VA_ARGS__)

/* Defensive checks that should never fire but degrade gracefully (SQLite's ALWAYS/NEVER).
 * Debug builds (no NDEBUG) abort so tests catch them. */
#ifdef NDEBUG
#define ALWAYS(x) (x)
#define NEVER(x) (x)
#else
#define ALWAYS(x) ((x) ? 1 : (BUG("ALWAYS(%s) failed", #x), 0))
#define NEVER(x) ((x) ? (BUG("NEVER(%s) failed", #x), 1) : 0)
#endif

#endif
