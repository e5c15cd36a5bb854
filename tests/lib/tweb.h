/* tweb.h - `serve` in process for the web tests: a test server on 127.0.0.1 port 0 over
 * the test database (t_open, either backend), a registry of 3 units, 3 sites and a few
 * columns, one account per role, and a libcurl client with sessions, tokens and CSRF.
 * Used by tests/unit/test_web.c and test_web_lists.c. */
#ifndef TESTS_TWEB_H
#define TESTS_TWEB_H

#include <json-c/json.h>
#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "reg/reg.h"
#include "test.h"
#include "tstore.h"
#include "web/auth.h"
#include "web/web.h"

/* The registry every test server starts with (units, sites, columns CSV). */
extern const char tw_units_csv[], tw_sites_csv[], tw_columns_csv[];
/* admin, supervisor, editor (of 市交通局), viewer: account i has password "password-NAME". */
extern const char *const role_names[];

struct tsrv {
    struct store *db;
    struct clk clk;
    struct web_conf conf;
    struct web_server *srv;
    char base[64];
    char schema[80];
    int backend;
    int64_t ids[4]; /* admin, supervisor, editor, viewer */
};

struct resp {
    long status;
    struct buf body, hdrs;
};

struct call {
    const char *method, *path;
    const char *session; /* cookie value */
    const char *bearer;
    const char *csrf; /* X-CSRF-Token */
    const char *ctype;
    const char *body;
    const char *extra; /* one more header line */
};

struct sess {
    char token[80], csrf[80];
};

#define EXPECT_STATUS(r, want, what)                                                           \
    do {                                                                                       \
        if ((r)->status != (want))                                                             \
            t_fail(__FILE__, __LINE__, "%s: status %ld, want %d: %.500s", (what), (r)->status, \
                   (int)(want), buf_cstr(&(r)->body));                                         \
    } while (0)

/* Start the server on backend b (tweak may change the configuration first); stop it. */
void srv_start_with(struct tsrv *t, int b, void (*tweak)(struct web_conf *));
void srv_start(struct tsrv *t, int b);
void srv_stop(struct tsrv *t);
/* Import a registry CSV into db (fails the test on error). */
void import(struct store *db, enum reg_table tb, const char *csv);

/* One request; the response's body and headers in r (resp_free). */
void http(struct tsrv *t, const struct call *c, struct resp *r);
void get(struct tsrv *t, const char *path, const char *session, struct resp *r);
void resp_free(struct resp *r);
/* A response header's value (test arena), or NULL. */
const char *header(struct resp *r, const char *name);
/* The body as JSON (fails the test when it is not); caller puts it. */
json_object *json_of(struct resp *r);
/* Log in through the API: the status; *s gets the cookie and CSRF token on 201. */
long login(struct tsrv *t, const char *name, const char *pw, struct sess *s);
void login_role(struct tsrv *t, int i, struct sess *s);
/* The authorization matrix: one request per cell for anonymous and each role, by session
 * (pages and API) or by token (API routes only), expecting want[role] (admin, supervisor,
 * editor, viewer) or anon.  A form body gets the session's CSRF field, a JSON body the
 * header.  The cell's path and body pass through fill() (may be NULL) to expand the
 * caller's placeholders; its `who` is "anon" or the role name with "-s"/"-t".  401 and
 * 403 answers are the JSON error under /api/ and the Chinese page elsewhere; an
 * anonymous page request is sent to the login page; a 404 shows nothing of the item
 * (`secret`, may be NULL). */
struct tw_cell {
    const char *method, *path, *ctype, *body;
    int want[4], anon;
};
void tw_run_matrix(struct tsrv *t, const struct tw_cell *cells, size_t n, bool tokens,
                   void (*fill)(const struct tw_cell *c, const char *who, void *ctx,
                                const char **path, char *body, size_t cap),
                   void *ctx, const char *secret);

/* The first column of the first row of sql (-1 on error). */
int64_t count(struct store *db, const char *sql);

#endif
