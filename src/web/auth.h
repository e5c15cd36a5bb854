/* auth.h - accounts, roles, passwords, sessions, API tokens, login throttling, audit log.
 *
 * The access-control rules these functions enforce are written in docs/security.md; the
 * tables are in data/schema/0007_web.sql.  `serve` (web/) and `govsite user` (cli/) both
 * use this header; nothing here prints.
 *
 * Secrets: passwords are stored as argon2id encoded hashes (libargon2, a 16-byte salt from
 * getrandom(2), t=2, m=19 MiB, p=1); session cookies and API tokens are 32 random bytes
 * (hex) and only their SHA-256 (GnuTLS) is stored, so a copy of the database grants no
 * access.  Every "now" comes from the caller's struct clk.
 *
 * Strings in a struct auth_user filled by these functions live in the arena passed in.
 */
#ifndef WEB_AUTH_H
#define WEB_AUTH_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/clk.h"
#include "core/err.h"
#include "core/json.h"
#include "store/store.h"

/* Roles are bits so a route can allow several (web.h, struct route).  A user has one. */
enum auth_role {
    ROLE_ADMIN = 1,      /* 管理员: everything */
    ROLE_SUPERVISOR = 2, /* 督查员: read everything, handle work items, run reports */
    ROLE_EDITOR = 4, /* 单位编辑: only their own unit's findings and work items; answers them */
    ROLE_VIEWER = 8, /* 只读: read everything, change nothing */
};
#define ROLES_PUBLIC 0u /* a route open to anonymous clients */
#define ROLES_ALL    (ROLE_ADMIN | ROLE_SUPERVISOR | ROLE_EDITOR | ROLE_VIEWER)
#define ROLES_STAFF  (ROLE_ADMIN | ROLE_SUPERVISOR)
#define ROLES_ADMIN  ROLE_ADMIN

const char *auth_role_name(unsigned role);  /* "admin"; "?" for anything else */
const char *auth_role_label(unsigned role); /* "管理员" */
/* "admin"/"管理员", "supervisor"/"督查员", "editor"/"单位编辑", "viewer"/"只读"; 0 when unknown. */
unsigned auth_role_parse(const char *s);

/* An authenticated account. */
struct auth_user {
    int64_t id;
    const char *name;
    unsigned role;         /* one ROLE_* bit */
    int64_t unit_id;       /* 0 = no unit */
    const char *unit_name; /* short name, else full name; NULL without a unit */
};

/* Passwords: 8 to 1024 bytes of valid UTF-8 without control characters. */
enum rc auth_password_check(const char *pw, struct err *err);
/* argon2id encoded hash with a fresh random salt.  *out: caller frees. */
enum rc auth_password_hash(const char *pw, char **out, struct err *err);
/* True when pw matches the encoded hash (constant time in libargon2). */
bool auth_password_verify(const char *encoded, const char *pw);

/* Random bytes from getrandom(2), as lower-case hex: out must hold 2*nbytes+1. */
void auth_random_hex(char *out, size_t nbytes);
/* Hex SHA-256 of s (65 bytes with the NUL). */
void auth_sha256_hex(const char *s, char out[65]);
/* Constant-time comparison of two NUL-terminated strings (CSRF tokens). */
bool auth_secret_eq(const char *a, const char *b);

/* Account names: 1 to 64 bytes of UTF-8, no control characters, no leading or trailing
 * space.  Anything else (quotes, SQL or HTML metacharacters, CJK) is allowed and stored
 * as given: it is only ever bound and escaped. */
enum rc auth_name_check(const char *name, struct err *err);

struct auth_user_new {
    const char *name;
    unsigned role;
    const char *unit;     /* unit name or short name; required for editors */
    const char *password; /* NULL: token-only account (no password login) */
};
/* RC_CONFLICT when the name exists; RC_INVALID for a bad role/unit/password. */
enum rc auth_user_add(struct store *db, const struct auth_user_new *u, const struct clk *clk,
                      int64_t *id, struct err *err);
/* Look an account up by name (disabled ones too; *disabled tells).  RC_NOTFOUND names it. */
enum rc auth_user_get(struct store *db, const char *name, struct arena *a, struct auth_user *u,
                      bool *disabled, struct err *err);
enum rc auth_user_get_id(struct store *db, int64_t id, struct arena *a, struct auth_user *u,
                         bool *disabled, struct err *err);
/* Change fields: role 0 keeps it; unit NULL keeps it, "" clears it (refused for editors);
 * disabled < 0 keeps it.  Disabling ends the account's sessions and revokes its tokens. */
struct auth_user_change {
    unsigned role;
    const char *unit;
    int disabled;
    const char *password; /* NULL keeps it */
};
enum rc auth_user_update(struct store *db, int64_t id, const struct auth_user_change *c,
                         const struct clk *clk, struct err *err);
/* Accounts into an open JSON array, one object
 * {id,name,role,role_label,unit,unit_id,disabled,password, created_at,last_login_at,tokens} ordered
 * by name (limit <= 0: all). */
enum rc auth_users_json(struct store *db, struct jw *w, int tzoff, int64_t limit, int64_t offset,
                        struct err *err);
/* One account as such an object; RC_NOTFOUND (nothing written) when absent. */
enum rc auth_user_json_id(struct store *db, int64_t id, struct jw *w, int tzoff, struct err *err);
/* One account as a JSON object (the same fields). */
void auth_user_json(struct jw *w, const struct auth_user *u);

/* A new API token for the account ("gst_" + 64 hex).  *token: caller frees; shown once. */
enum rc auth_token_new(struct store *db, int64_t user_id, const struct clk *clk, char **token,
                       struct err *err);
/* Resolve a bearer token: RC_UNAUTHORIZED when unknown, revoked or the account disabled. */
enum rc auth_token_user(struct store *db, const char *token, const struct clk *clk, struct arena *a,
                        struct auth_user *u, struct err *err);

/* Session lifetimes and login throttling (web_conf carries the configured values). */
struct auth_policy {
    int64_t idle;       /* seconds without a request before a session ends (default 2 h) */
    int64_t max;        /* absolute lifetime of a session (default 12 h) */
    int max_user_fails; /* failed logins per account within `window` before refusing (5) */
    int max_ip_fails;   /* failed logins per client address within `window` (20) */
    int64_t window;     /* seconds (default 900) */
};
void auth_policy_default(struct auth_policy *p);

/* Check a name and password with throttling: RC_TOOMANY when the account or the address
 * had too many failures in the window (nothing is verified then), RC_UNAUTHORIZED for a
 * wrong name, password or a disabled account (one message for all three), else RC_OK and
 * *u.  Failures and throttling are written to the audit log. */
enum rc auth_login(struct store *db, const char *name, const char *password, const char *ip,
                   const struct auth_policy *p, const struct clk *clk, struct arena *a,
                   struct auth_user *u, struct err *err);

/* The counting behind login throttling, for other anonymous actions too (the public
 * side's submissions and failed lookups): rows (scope, key, at) of login_failures.
 * auth_throttle_count: the rows of scope/key after `since` (0 on a database error: a
 * throttle never turns an answer into an error).  auth_throttle_note: drop that key's
 * rows older than the window and add one at `now`.  Scopes in use: "user", "ip" (logins),
 * "public-submit", "public-lookup" (web/page_public.c); the key is the client address. */
int64_t auth_throttle_count(struct store *db, const char *scope, const char *key, int64_t since);
void auth_throttle_note(struct store *db, const char *scope, const char *key, int64_t now,
                        int64_t window);

/* A new session: *token (cookie value) and *csrf are allocated in `a`. */
enum rc auth_session_new(struct store *db, const struct auth_user *u, const char *ip,
                         const char *user_agent, const struct auth_policy *p, const struct clk *clk,
                         struct arena *a, const char **token, const char **csrf, struct err *err);
/* Resolve a session cookie.  RC_UNAUTHORIZED when unknown, idle too long, past its
 * absolute expiry (those two are deleted) or the account is disabled.  Refreshes the
 * idle timer (at most one write a minute). */
enum rc auth_session_user(struct store *db, const char *token, const struct auth_policy *p,
                          const struct clk *clk, struct arena *a, struct auth_user *u,
                          const char **csrf, struct err *err);
/* End a session (logout); no error when it does not exist. */
enum rc auth_session_end(struct store *db, const char *token, struct err *err);

/* Append a row to audit_log.  u may be NULL (anonymous). Failures are logged, not returned:
 * an audit write must never turn an answer into an error. */
void auth_audit(struct store *db, const struct clk *clk, const struct auth_user *u, const char *ip,
                const char *action, const char *method, const char *path, const char *detail);

#endif
