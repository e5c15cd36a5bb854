/* feed_int.h - shared-but-private helpers of src/feed/. */
#ifndef FEED_FEED_INT_H
#define FEED_FEED_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "checks/check.h"
#include "feed/feed.h"

/* Punctuation and symbols dropped from a title's normal form (title.c). */
bool feed__is_punct(uint32_t c);

/* A title prepared for matching many times (title.c). */
struct feed__title {
    struct buf norm;         /* feed_title_norm */
    struct buf stripped;     /* norm without 文号-like digit runs: for the number rule */
    struct buf cut, cut_stripped; /* a title cut with "…": the kept part's normal form */
    bool has_cut;
    const char *doc;         /* 文号 (borrowed) or NULL */
};
void feed__title_prep(struct feed__title *t, const char *raw, const char *doc);
void feed__title_release(struct feed__title *t);
/* feed_title_match on prepared titles: a is the upstream item, b the re-post. */
bool feed__title_match(double th, const struct feed__title *a, const struct feed__title *b,
                       double *score);

/* The ids of the sites in operation (正常运行), or just `site_id` when nonzero (checked
 * to exist).  *ids: caller frees. */
enum rc feed__sites(struct store *db, int64_t site_id, int64_t **ids, size_t *n, struct err *err);

/* End a check session (NULL: nothing began): abort it when rc is an error, else end it
 * and add its tally to t (may be NULL).  Returns rc or check_end's code. */
enum rc feed__session_end(struct check_session *cs, enum rc rc, struct feed_check_tally *t,
                          struct err *err);

#endif
