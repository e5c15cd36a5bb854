/* fixture_probe.h - a loopback HTTP server for the availability probe tests.
 *
 * libmicrohttpd on 127.0.0.1 with a port chosen by the kernel, a thread per connection:
 *   /, /ok       200 with a small page
 *   /redirect    302 to /ok
 *   /missing     404
 *   /error       500
 *   /slow        answers 200 only after 10 s (or when the server stops): a probe with a
 *                shorter timeout always times out, so no test depends on timing
 * fixture_refused_port() gives a port where nothing listens (connection refused).
 */
#ifndef TESTS_FIXTURE_PROBE_H
#define TESTS_FIXTURE_PROBE_H

struct fixture_probe;

/* Start the server; NULL (with a message on stderr) when it cannot. */
struct fixture_probe *fixture_probe_start(void);
int fixture_probe_port(const struct fixture_probe *f);
/* Requests received so far for a path ("/ok"). */
long fixture_probe_hits(const struct fixture_probe *f, const char *path);
void fixture_probe_stop(struct fixture_probe *f); /* NULL-safe; waits for its threads */
/* A loopback port nobody listens on (bound, then closed), or 0. */
int fixture_refused_port(void);

#endif
