/* tcrawl.c - crawl options for tests (tcrawl.h). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "tcrawl.h"

void t_crawl_opts(struct crawl_opts *o, int port)
{
    crawl_opts_init(o);
    char rule[64];
    snprintf(rule, sizeof(rule), "*.test::127.0.0.1:%d", port);
    crawl_opts_add(&o->connect_to, &o->nconnect_to, rule);
    o->rate = 0;
    o->per_host = 4;
    o->retries = 1;
    o->retry_max_s = 2;
    o->timeout_s = 5;
    o->connect_timeout_s = 5;
    free(o->user_agent);
    o->user_agent = strdup("govsite/test (+http://office.shifan.test/crawler)");
}
