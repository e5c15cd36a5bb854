/* auth.c - accounts, passwords, sessions, tokens, throttling and the audit log (auth.h). */
#include "web/auth.h"

#include <argon2.h>
#include <errno.h>
#include <pthread.h>
#include <gnutls/crypto.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include "core/log.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"
#include "reg/reg.h"

/* argon2id parameters (OWASP's minimum: m=19 MiB, t=2, p=1). */
#define PW_T    2
#define PW_M    19456
#define PW_P    1
#define PW_SALT 16
#define PW_HASH 32

/* clang-format off */
static const struct {
    unsigned bit;
    const char *name, *label;
} roles[] = {
    { ROLE_ADMIN,      "admin",      "管理员" },
    { ROLE_SUPERVISOR, "supervisor", "督查员" },
    { ROLE_EDITOR,     "editor",     "单位编辑" },
    { ROLE_VIEWER,     "viewer",     "只读" },
};
/* clang-format on */

const char *auth_role_name(unsigned role)
{
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (roles[i].bit == role)
            return roles[i].name;
    return "?";
}

const char *auth_role_label(unsigned role)
{
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (roles[i].bit == role)
            return roles[i].label;
    return "?";
}

unsigned auth_role_parse(const char *s)
{
    if (!s)
        return 0;
    for (size_t i = 0; i < sizeof(roles) / sizeof(roles[0]); i++)
        if (!ascii_casecmp(s, roles[i].name) || !strcmp(s, roles[i].label))
            return roles[i].bit;
    return 0;
}

static bool has_control(const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++)
        if (*p < 0x20 || *p == 0x7f)
            return true;
    return false;
}

enum rc auth_password_check(const char *pw, struct err *err)
{
    size_t n = pw ? strlen(pw) : 0;
    if (n < 8)
        return err_set(err, RC_INVALID, "password too short; use at least 8 characters");
    if (n > 1024)
        return err_set(err, RC_INVALID, "password too long; use at most 1024 bytes");
    if (!utf8_valid(pw, n) || has_control(pw))
        return err_set(err, RC_INVALID,
                       "password has control characters or is not UTF-8; type it again");
    return RC_OK;
}

static void random_bytes(unsigned char *p, size_t n)
{
    size_t got = 0;
    while (got < n) {
        ssize_t r = getrandom(p + got, n - got, 0);
        if (r < 0) {
            if (errno == EINTR)
                continue;
            BUG("getrandom failed: %s", strerror(errno));
        }
        got += (size_t)r;
    }
}

void auth_random_hex(char *out, size_t nbytes)
{
    unsigned char raw[64];
    if (nbytes > sizeof(raw))
        BUG("auth_random_hex: %zu bytes", nbytes);
    random_bytes(raw, nbytes);
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < nbytes; i++) {
        out[2 * i] = hx[raw[i] >> 4];
        out[2 * i + 1] = hx[raw[i] & 15];
    }
    out[2 * nbytes] = '\0';
}

void auth_sha256_hex(const char *s, char out[65])
{
    unsigned char d[32];
    if (gnutls_hash_fast(GNUTLS_DIG_SHA256, s, strlen(s), d) < 0)
        BUG("gnutls_hash_fast(SHA256) failed");
    static const char hx[] = "0123456789abcdef";
    for (int i = 0; i < 32; i++) {
        out[2 * i] = hx[d[i] >> 4];
        out[2 * i + 1] = hx[d[i] & 15];
    }
    out[64] = '\0';
}

bool auth_secret_eq(const char *a, const char *b)
{
    if (!a || !b)
        return false;
    size_t na = strlen(a), nb = strlen(b);
    unsigned char diff = (unsigned char)(na != nb);
    for (size_t i = 0; i < na; i++)
        diff |= (unsigned char)(a[i] ^ b[i % (nb ? nb : 1)]);
    return diff == 0 && nb > 0;
}

enum rc auth_password_hash(const char *pw, char **out, struct err *err)
{
    enum rc rc = auth_password_check(pw, err);
    if (rc)
        return rc;
    unsigned char salt[PW_SALT];
    random_bytes(salt, PW_SALT);
    size_t len = argon2_encodedlen(PW_T, PW_M, PW_P, PW_SALT, PW_HASH, Argon2_id);
    char *enc = xmalloc(len);
    int r =
        argon2id_hash_encoded(PW_T, PW_M, PW_P, pw, strlen(pw), salt, PW_SALT, PW_HASH, enc, len);
    if (r != ARGON2_OK) {
        free(enc);
        return err_set(err, RC_INTERNAL, "argon2id: %s", argon2_error_message(r));
    }
    *out = enc;
    return RC_OK;
}

bool auth_password_verify(const char *encoded, const char *pw)
{
    if (!encoded || !pw || strncmp(encoded, "$argon2id$", 10))
        return false;
    return argon2id_verify(encoded, pw, strlen(pw)) == ARGON2_OK;
}

enum rc auth_name_check(const char *name, struct err *err)
{
    size_t n = name ? strlen(name) : 0;
    if (n == 0)
        return err_set(err, RC_INVALID, "no account name given");
    if (n > 64)
        return err_set(err, RC_INVALID, "account name too long; use at most 64 bytes");
    if (!utf8_valid(name, n) || has_control(name))
        return err_set(err, RC_INVALID, "account name has control characters or is not UTF-8");
    if (ascii_isspace((unsigned char)name[0]) || ascii_isspace((unsigned char)name[n - 1]))
        return err_set(err, RC_INVALID, "account name '%s' starts or ends with a space", name);
    return RC_OK;
}

static enum rc unit_for(struct store *db, unsigned role, const char *unit, int64_t *unit_id,
                        struct err *err)
{
    *unit_id = 0;
    if (!str_empty(unit)) {
        enum rc rc = reg_unit_lookup(db, unit, unit_id, err);
        if (rc)
            return rc == RC_NOTFOUND ? err_set(err, RC_INVALID, "%s", err_msg(err)) : rc;
    }
    if (role == ROLE_EDITOR && !*unit_id)
        return err_set(err, RC_INVALID,
                       "an editor needs a unit; give --unit with a name from 'govsite unit list'");
    return RC_OK;
}

enum rc auth_user_add(struct store *db, const struct auth_user_new *u, const struct clk *clk,
                      int64_t *id, struct err *err)
{
    enum rc rc = auth_name_check(u->name, err);
    if (rc)
        return rc;
    if (!auth_role_name(u->role)[0] || !strcmp(auth_role_name(u->role), "?"))
        return err_set(err, RC_INVALID, "unknown role; use admin, supervisor, editor or viewer");
    int64_t unit_id;
    if ((rc = unit_for(db, u->role, u->unit, &unit_id, err)))
        return rc;
    char *hash = NULL;
    if (u->password && (rc = auth_password_hash(u->password, &hash, err)))
        return rc;
    int64_t now = clk_now(clk), nid = 0;
    struct stmt *st = store_q(db,
                              "INSERT INTO users (name, role, unit_id, password_hash, created_at, "
                              "updated_at) VALUES (?, ?, ?, ?, ?, ?) RETURNING id",
                              "ttUtii", u->name, auth_role_name(u->role), unit_id, hash, now, now);
    if (stmt_next(st))
        nid = stmt_int(st, 0);
    struct err e2 = { 0 };
    rc = stmt_done(st, &e2);
    free(hash);
    if (rc == RC_CONFLICT)
        return err_set(err, RC_CONFLICT, "an account named '%s' exists; pick another name",
                       u->name);
    if (rc)
        return err_set(err, rc, "%s", err_msg(&e2));
    if (id)
        *id = nid;
    return RC_OK;
}

static void fill_user(struct stmt *st, int col, struct arena *a, struct auth_user *u)
{
    u->id = stmt_int(st, col);
    u->name = arena_strdup(a, stmt_str(st, col + 1));
    u->role = auth_role_parse(stmt_str(st, col + 2));
    u->unit_id = stmt_int(st, col + 3);
    u->unit_name = stmt_null(st, col + 4) ? NULL : arena_strdup(a, stmt_str(st, col + 4));
}

static enum rc user_get(struct stmt *st, const char *what, struct arena *a, struct auth_user *u,
                        bool *disabled, struct err *err)
{
    bool found = false;
    if (stmt_next(st)) {
        fill_user(st, 0, a, u);
        if (disabled)
            *disabled = stmt_int(st, 5) != 0;
        found = true;
    }
    enum rc rc = stmt_done(st, err);
    if (rc)
        return rc;
    if (!found)
        return err_set(err, RC_NOTFOUND, "no account %s; see 'govsite user list'", what);
    return RC_OK;
}

enum rc auth_user_get(struct store *db, const char *name, struct arena *a, struct auth_user *u,
                      bool *disabled, struct err *err)
{
    struct stmt *st = store_q(db,
                              "SELECT u.id, u.name, u.role, u.unit_id, "
                              "COALESCE(n.short_name, n.name), u.disabled FROM users u "
                              "LEFT JOIN units n ON n.id = u.unit_id WHERE u.name = ?",
                              "t", name);
    return user_get(st, arena_fmt(a, "named '%s'", name ? name : ""), a, u, disabled, err);
}

enum rc auth_user_get_id(struct store *db, int64_t id, struct arena *a, struct auth_user *u,
                         bool *disabled, struct err *err)
{
    struct stmt *st = store_q(db,
                              "SELECT u.id, u.name, u.role, u.unit_id, "
                              "COALESCE(n.short_name, n.name), u.disabled FROM users u "
                              "LEFT JOIN units n ON n.id = u.unit_id WHERE u.id = ?",
                              "i", id);
    return user_get(st, arena_fmt(a, "with id %lld", (long long)id), a, u, disabled, err);
}

static void end_access(struct store *db, int64_t id)
{
    store_exec(db, NULL, "DELETE FROM sessions WHERE user_id = ?", "i", id);
    store_exec(db, NULL, "UPDATE api_tokens SET revoked = 1 WHERE user_id = ?", "i", id);
}

enum rc auth_user_update(struct store *db, int64_t id, const struct auth_user_change *c,
                         const struct clk *clk, struct err *err)
{
    struct arena a = ARENA_INIT;
    struct auth_user u;
    enum rc rc = auth_user_get_id(db, id, &a, &u, NULL, err);
    if (rc)
        goto out;
    unsigned role = c->role ? c->role : u.role;
    int64_t unit_id = u.unit_id;
    if (c->unit) {
        if ((rc = unit_for(db, role, c->unit, &unit_id, err)))
            goto out;
    } else if (role == ROLE_EDITOR && !unit_id) {
        rc = err_set(err, RC_INVALID, "an editor needs a unit; give one");
        goto out;
    }
    char *hash = NULL;
    if (c->password && (rc = auth_password_hash(c->password, &hash, err)))
        goto out;
    if ((rc = store_begin(db, err))) {
        free(hash);
        goto out;
    }
    int64_t now = clk_now(clk);
    rc = store_exec(db, err, "UPDATE users SET role = ?, unit_id = ?, updated_at = ? WHERE id = ?",
                    "tUii", auth_role_name(role), unit_id, now, id);
    if (!rc && hash)
        rc = store_exec(db, err, "UPDATE users SET password_hash = ? WHERE id = ?", "ti", hash, id);
    if (!rc && c->disabled >= 0)
        rc = store_exec(db, err, "UPDATE users SET disabled = ? WHERE id = ?", "ii",
                        (int64_t)(c->disabled ? 1 : 0), id);
    /* A changed password or a disabled account ends every way in. */
    if (!rc && (hash || c->disabled > 0))
        end_access(db, id);
    free(hash);
    if (rc)
        store_rollback(db);
    else
        rc = store_commit(db, err);
out:
    arena_release(&a);
    return rc;
}

void auth_user_json(struct jw *w, const struct auth_user *u)
{
    jw_obj(w);
    jw_kint(w, "id", u->id);
    jw_kstr(w, "name", u->name);
    jw_kstr(w, "role", auth_role_name(u->role));
    jw_kstr(w, "role_label", auth_role_label(u->role));
    jw_kstr(w, "unit", u->unit_name);
    jw_end(w);
}

#define USER_COLS                                                                               \
    "SELECT u.id, u.name, u.role, COALESCE(n.short_name, n.name), u.disabled, u.created_at, "   \
    "u.last_login_at, (SELECT COUNT(*) FROM api_tokens t WHERE t.user_id = u.id AND t.revoked " \
    "= 0), u.password_hash IS NOT NULL, u.unit_id FROM users u LEFT JOIN units n ON n.id = "    \
    "u.unit_id "

static void user_row_json(struct stmt *st, struct jw *w, int tzoff)
{
    unsigned role = auth_role_parse(stmt_str(st, 2));
    jw_obj(w);
    jw_kint(w, "id", stmt_int(st, 0));
    jw_kstr(w, "name", stmt_text(st, 1));
    jw_kstr(w, "role", auth_role_name(role));
    jw_kstr(w, "role_label", auth_role_label(role));
    jw_kstr(w, "unit", stmt_text(st, 3));
    if (stmt_null(st, 9))
        jw_knull(w, "unit_id");
    else
        jw_kint(w, "unit_id", stmt_int(st, 9));
    jw_kbool(w, "disabled", stmt_int(st, 4) != 0);
    jw_kbool(w, "password", stmt_int(st, 8) != 0);
    jw_ktime(w, "created_at", stmt_int(st, 5), tzoff);
    jw_ktime(w, "last_login_at", stmt_int(st, 6), tzoff);
    jw_kint(w, "tokens", stmt_int(st, 7));
    jw_end(w);
}

enum rc auth_users_json(struct store *db, struct jw *w, int tzoff, int64_t limit, int64_t offset,
                        struct err *err)
{
    struct stmt *st = store_q(db, USER_COLS "ORDER BY u.name LIMIT ? OFFSET ?", "ii",
                              limit > 0 ? limit : INT64_MAX, offset);
    while (stmt_next(st))
        user_row_json(st, w, tzoff);
    return stmt_done(st, err);
}

enum rc auth_user_json_id(struct store *db, int64_t id, struct jw *w, int tzoff, struct err *err)
{
    struct stmt *st = store_q(db, USER_COLS "WHERE u.id = ?", "i", id);
    bool found = false;
    if (stmt_next(st)) {
        user_row_json(st, w, tzoff);
        found = true;
    }
    enum rc rc = stmt_done(st, err);
    if (!rc && !found)
        rc = err_set(err, RC_NOTFOUND, "account %lld not found", (long long)id);
    return rc;
}

enum rc auth_token_new(struct store *db, int64_t user_id, const struct clk *clk, char **token,
                       struct err *err)
{
    char hex[65], hash[65];
    auth_random_hex(hex, 32);
    char *t = xmalloc(4 + 64 + 1);
    memcpy(t, "gst_", 4);
    memcpy(t + 4, hex, 65);
    auth_sha256_hex(t, hash);
    char prefix[13];
    memcpy(prefix, t, 12);
    prefix[12] = '\0';
    enum rc rc = store_exec(db, err,
                            "INSERT INTO api_tokens (token_hash, user_id, prefix, created_at) "
                            "VALUES (?, ?, ?, ?)",
                            "titi", hash, user_id, prefix, clk_now(clk));
    if (rc) {
        free(t);
        return rc;
    }
    *token = t;
    return RC_OK;
}

enum rc auth_token_user(struct store *db, const char *token, const struct clk *clk, struct arena *a,
                        struct auth_user *u, struct err *err)
{
    if (str_empty(token) || strlen(token) > 128)
        return err_set(err, RC_UNAUTHORIZED, "bad API token");
    char hash[65];
    auth_sha256_hex(token, hash);
    struct stmt *st =
        store_q(db,
                "SELECT u.id, u.name, u.role, u.unit_id, COALESCE(n.short_name, n.name), t.id, "
                "COALESCE(t.used_at, 0) FROM api_tokens t JOIN users u ON u.id = t.user_id LEFT "
                "JOIN units n ON n.id = u.unit_id WHERE t.token_hash = ? AND t.revoked = 0 AND "
                "u.disabled = 0",
                "t", hash);
    bool found = false;
    int64_t tid = 0, used = 0;
    if (stmt_next(st)) {
        fill_user(st, 0, a, u);
        tid = stmt_int(st, 5);
        used = stmt_int(st, 6);
        found = true;
    }
    enum rc rc = stmt_done(st, err);
    if (rc)
        return rc;
    if (!found)
        return err_set(err, RC_UNAUTHORIZED, "unknown or revoked API token");
    int64_t now = clk_now(clk);
    if (now - used >= 60) /* at most one write a minute per token */
        store_exec(db, NULL, "UPDATE api_tokens SET used_at = ? WHERE id = ?", "ii", now, tid);
    return RC_OK;
}

void auth_policy_default(struct auth_policy *p)
{
    p->idle = 2 * 3600;
    p->max = 12 * 3600;
    p->max_user_fails = 5;
    p->max_ip_fails = 20;
    p->window = 900;
}

int64_t auth_throttle_count(struct store *db, const char *scope, const char *key, int64_t since)
{
    int64_t n = 0;
    store_get_int(db, &n, NULL,
                  "SELECT COUNT(*) FROM login_failures WHERE scope = ? AND key = ? AND at > ?",
                  "tti", scope, key, since);
    return n;
}

void auth_throttle_note(struct store *db, const char *scope, const char *key, int64_t now,
                        int64_t window)
{
    store_exec(db, NULL, "DELETE FROM login_failures WHERE scope = ? AND key = ? AND at <= ?",
               "tti", scope, key, now - window);
    store_exec(db, NULL, "INSERT INTO login_failures (scope, key, at) VALUES (?, ?, ?)", "tti",
               scope, key, now);
}

/* A hash to verify against when the account does not exist, so both cases take as long. */
static char *dummy_hash;
static pthread_once_t dummy_once = PTHREAD_ONCE_INIT;

static void make_dummy(void)
{
    char pw[33];
    auth_random_hex(pw, 16);
    if (auth_password_hash(pw, &dummy_hash, NULL))
        BUG("cannot hash the dummy password");
}

enum rc auth_login(struct store *db, const char *name, const char *password, const char *ip,
                   const struct auth_policy *p, const struct clk *clk, struct arena *a,
                   struct auth_user *u, struct err *err)
{
    int64_t now = clk_now(clk), since = now - p->window;
    const char *nm = name ? name : "";
    const char *addr = ip ? ip : "";
    struct auth_user anon = { .name = nm };
    if (auth_throttle_count(db, "user", nm, since) >= p->max_user_fails ||
        auth_throttle_count(db, "ip", addr, since) >= p->max_ip_fails) {
        auth_audit(db, clk, &anon, addr, "login_throttled", NULL, NULL, NULL);
        return err_set(err, RC_TOOMANY,
                       "too many failed logins for this account or address; wait %lld minutes",
                       (long long)((p->window + 59) / 60));
    }
    char *hash = NULL;
    int64_t disabled = 1;
    struct stmt *st = store_q(db,
                              "SELECT u.id, u.name, u.role, u.unit_id, "
                              "COALESCE(n.short_name, n.name), u.password_hash, u.disabled "
                              "FROM users u LEFT JOIN units n ON n.id = u.unit_id WHERE "
                              "u.name = ?",
                              "t", nm);
    bool found = false;
    if (stmt_next(st)) {
        fill_user(st, 0, a, u);
        hash = stmt_dup(st, 5);
        disabled = stmt_int(st, 6);
        found = true;
    }
    enum rc rc = stmt_done(st, err);
    if (rc) {
        free(hash);
        return rc;
    }
    pthread_once(&dummy_once, make_dummy);
    bool ok = auth_password_verify(found && hash ? hash : dummy_hash, password ? password : "");
    free(hash);
    if (!found || !ok || disabled) {
        auth_throttle_note(db, "user", nm, now, p->window);
        auth_throttle_note(db, "ip", addr, now, p->window);
        auth_audit(db, clk, &anon, addr, "login_failed", NULL, NULL,
                   !found ? "unknown account"
                   : !ok  ? "wrong password"
                          : "account disabled");
        return err_set(err, RC_UNAUTHORIZED, "wrong account name or password");
    }
    store_exec(db, NULL, "DELETE FROM login_failures WHERE scope = 'user' AND key = ?", "t", nm);
    store_exec(db, NULL, "UPDATE users SET last_login_at = ? WHERE id = ?", "ii", now, u->id);
    auth_audit(db, clk, u, addr, "login", NULL, NULL, NULL);
    return RC_OK;
}

enum rc auth_session_new(struct store *db, const struct auth_user *u, const char *ip,
                         const char *user_agent, const struct auth_policy *p, const struct clk *clk,
                         struct arena *a, const char **token, const char **csrf, struct err *err)
{
    char *tok = arena_alloc(a, 65), *cs = arena_alloc(a, 65), hash[65];
    auth_random_hex(tok, 32);
    auth_random_hex(cs, 32);
    auth_sha256_hex(tok, hash);
    int64_t now = clk_now(clk);
    /* Forget this account's dead sessions while we are here. */
    store_exec(db, NULL,
               "DELETE FROM sessions WHERE user_id = ? AND (expires_at <= ? OR seen_at <= ?)",
               "iii", u->id, now, now - p->idle);
    char ua[256] = "";
    if (user_agent) {
        size_t n = utf8_prefix_bytes(user_agent, strlen(user_agent), 200);
        memcpy(ua, user_agent, n < sizeof(ua) ? n : sizeof(ua) - 1);
        ua[n < sizeof(ua) ? n : sizeof(ua) - 1] = '\0';
    }
    enum rc rc = store_exec(db, err,
                            "INSERT INTO sessions (token_hash, user_id, csrf, created_at, seen_at, "
                            "expires_at, ip, user_agent) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                            "titiiitt", hash, u->id, cs, now, now, now + p->max, ip, ua);
    if (rc)
        return rc;
    *token = tok;
    *csrf = cs;
    return RC_OK;
}

enum rc auth_session_user(struct store *db, const char *token, const struct auth_policy *p,
                          const struct clk *clk, struct arena *a, struct auth_user *u,
                          const char **csrf, struct err *err)
{
    if (str_empty(token) || strlen(token) != 64)
        return err_set(err, RC_UNAUTHORIZED, "no valid session; log in again");
    char hash[65];
    auth_sha256_hex(token, hash);
    struct stmt *st =
        store_q(db,
                "SELECT u.id, u.name, u.role, u.unit_id, COALESCE(n.short_name, n.name), s.id, "
                "s.csrf, s.seen_at, s.expires_at FROM sessions s JOIN users u ON u.id = s.user_id "
                "LEFT JOIN units n ON n.id = u.unit_id WHERE s.token_hash = ? AND u.disabled = 0",
                "t", hash);
    bool found = false;
    int64_t sid = 0, seen = 0, expires = 0;
    if (stmt_next(st)) {
        fill_user(st, 0, a, u);
        sid = stmt_int(st, 5);
        *csrf = arena_strdup(a, stmt_str(st, 6));
        seen = stmt_int(st, 7);
        expires = stmt_int(st, 8);
        found = true;
    }
    enum rc rc = stmt_done(st, err);
    if (rc)
        return rc;
    if (!found)
        return err_set(err, RC_UNAUTHORIZED, "no valid session; log in again");
    int64_t now = clk_now(clk);
    if (now >= expires || now - seen > p->idle) {
        store_exec(db, NULL, "DELETE FROM sessions WHERE id = ?", "i", sid);
        return err_set(err, RC_UNAUTHORIZED, "the session has expired; log in again");
    }
    if (now - seen >= 60)
        store_exec(db, NULL, "UPDATE sessions SET seen_at = ? WHERE id = ?", "ii", now, sid);
    return RC_OK;
}

enum rc auth_session_end(struct store *db, const char *token, struct err *err)
{
    if (str_empty(token))
        return RC_OK;
    char hash[65];
    auth_sha256_hex(token, hash);
    return store_exec(db, err, "DELETE FROM sessions WHERE token_hash = ?", "t", hash);
}

void auth_audit(struct store *db, const struct clk *clk, const struct auth_user *u, const char *ip,
                const char *action, const char *method, const char *path, const char *detail)
{
    struct err e = { 0 };
    if (store_exec(db, &e,
                   "INSERT INTO audit_log (at, user_id, user_name, ip, action, method, path, "
                   "detail) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
                   "iUtttttt", clk_now(clk), u ? u->id : 0, u ? u->name : NULL, ip, action, method,
                   path, detail))
        log_error("audit: cannot record '%s': %s", action, err_msg(&e));
}
