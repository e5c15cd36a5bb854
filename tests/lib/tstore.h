/* tstore.h - test databases on every backend.
 *
 * t_backends() is 2 when PG_TEST_DSN names a PostgreSQL server (the CI starts a private
 * cluster), else 1.  t_open(b) gives a fresh, migrated database: a SQLite file in the
 * test's temporary directory, or a private schema on the PostgreSQL server (dropped by
 * t_close).  Tests loop: for (int b = 0; b < t_backends(); b++) { ... }.
 */
#ifndef TESTS_TSTORE_H
#define TESTS_TSTORE_H

#include "store/store.h"

int t_backends(void);
const char *t_backend_name(int b);
struct store *t_open(int b);
/* Like t_open but without migrations. */
struct store *t_open_raw(int b);
void t_close(struct store *s);
/* The DSN t_open(b) used last (SQLite path, or the PostgreSQL DSN). */
const char *t_dsn(int b);

#endif
