/* fixture_weblog.h - a deterministic synthetic access log with its own truth.
 *
 * Used by the unit tests (unique visitors per month and year against a brute-force
 * count) and by `testtool gen-weblog` (the demo portal's 2018 log).  The generator
 * decides every line's kind itself (a person's page view, an asset, a bot, a 404, a
 * HEAD, a script...), so the truth is counted from what it meant to write, with string
 * sets of "IP|User-Agent", independently of the code under test.
 */
#ifndef TESTS_FIXTURE_WEBLOG_H
#define TESTS_FIXTURE_WEBLOG_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

struct fx_weblog_opts {
    int year;          /* entries from Jan 1 of this year (China time) */
    int days;          /* how many days (1..366) */
    int lines_per_day; /* about this many lines a day */
    uint64_t seed;
    const char *const *dirs; /* column directories pages live under ("/xw/sfyw/") */
    size_t ndirs;
    int visitors; /* size of the pool of people (IP + UA pairs) */
};

struct fx_weblog_truth {
    int64_t lines;
    int64_t pageviews;           /* people's GET 200/304 of pages */
    int64_t visitors;            /* distinct IP|UA among them over all days */
    int64_t visitor_days;        /* sum over days of the daily distinct */
    int64_t pageviews_month[12]; /* by calendar month of `year` */
    int64_t visitors_month[12];
    int64_t bot_lines;
};

/* Write the log (combined format) to `out`, starting a new file every `split_days`
 * days when split is given (it is called with the day index and returns the FILE to use;
 * NULL for a single stream).  Fills *t.  Returns 0, or -1 on a write error. */
typedef FILE *(*fx_weblog_split)(void *ctx, int day_index, int32_t civil_day);
int fx_weblog_write(FILE *out, const struct fx_weblog_opts *o, fx_weblog_split split, void *ctx,
                    struct fx_weblog_truth *t);

#endif
