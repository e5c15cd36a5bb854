/* tcrawl.h - crawl options for tests: every *.test host mapped to a fixture server on
 * 127.0.0.1, no rate limit, short timeouts, a test User-Agent. */
#ifndef TESTS_TCRAWL_H
#define TESTS_TCRAWL_H

#include "crawl/crawl.h"

/* crawl_opts_init, then the test settings for a fixture server on `port` (release the
 * options with crawl_opts_release). */
void t_crawl_opts(struct crawl_opts *o, int port);

#endif
