/* pub.h - publication counts (信息发布数量): items published per unit per month, the
 * seed's "4835 条" and its top units.
 *
 * Records live in `publications` (data/schema/0008_checks2.sql), one per normalised URL,
 * from two sources merged by URL:
 *   crawl  each crawl article (a page with a publication date, not a list page) with the
 *          responsible unit of its column (the column the crawler put it in, else the
 *          column whose list links to it), else the site's unit; refreshed by each check;
 *   cms    CMS exports imported with pub_import: they win over the crawl for their URLs
 *          (the CMS knows the unit and the time; the crawl never overwrites them).
 * An item counts in the month of its publication date (China time as written).
 */
#ifndef CHECKS_PUB_H
#define CHECKS_PUB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/clk.h"
#include "core/err.h"
#include "core/notes.h"
#include "reg/reg.h"
#include "store/store.h"

/* Copy the articles of crawl run `run_id` of `site_id` (dated on or before `until`,
 * DATE_NONE = any) into the records; *n (may be NULL) gets the number written.  Records
 * of the site from an older crawl that this run no longer sees are kept (an item once
 * published was published). */
enum rc pub_refresh_crawl(struct store *db, const struct clk *clk, int64_t site_id, int64_t run_id,
                          int32_t until, int64_t *n, struct err *err);

/* Import a CMS export: CSV (UTF-8 or GB18030) with the header url,title,unit,column,
 * published.  `unit` is a unit's full or short name; `column` a column path of the site
 * the URL belongs to (found by its host) and may be empty when `unit` is given (the
 * column's unit is used when `unit` is empty); `published` is YYYY-MM-DD HH:MM or
 * YYYY-MM-DD.  All or nothing: bad rows go to `bad` as file:line: reason and then
 * RC_INVALID with nothing written.  Idempotent (the same file again changes nothing). */
enum rc pub_import(struct store *db, const struct clk *clk, const char *path,
                   struct reg_import_result *res, struct notes *bad, struct err *err);
enum rc pub_import_mem(struct store *db, const struct clk *clk, const char *name, const char *data,
                       size_t n, struct reg_import_result *res, struct notes *bad, struct err *err);

enum pub_by { PUB_BY_UNIT, PUB_BY_COLUMN, PUB_BY_CLASS };
/* "unit", "column", "class"; false when unknown. */
bool pub_by_parse(const char *s, enum pub_by *out);

/* One group of a month's count.  Borrowed for the callback's duration. */
struct pub_count {
    int64_t id;         /* unit or column id; 0 = none recorded */
    const char *label;  /* unit's short name (else full name), "site>path" of a column, a
                           class; NULL when none was recorded */
    int64_t n;          /* items */
    int64_t crawl, cms; /* of which from each source */
};
/* The month containing `month` (any day of it), grouped, most first then by label. */
enum rc pub_month_each(struct store *db, int32_t month, enum pub_by by,
                       void (*fn)(const struct pub_count *c, void *ctx), void *ctx,
                       struct err *err);

/* For the monthly bulletin: the month's total and its top `k` units (most first; ties by
 * name).  *top (free with pub_top_free) gets at most k entries with owned labels. */
struct pub_unit_count {
    int64_t unit_id; /* 0 = items without a unit */
    char *unit;      /* short name, else full name; NULL when unit_id is 0 */
    int64_t n;
};
enum rc pub_month_total(struct store *db, int32_t month, int64_t *total, struct err *err);
enum rc pub_month_top_units(struct store *db, int32_t month, size_t k, struct pub_unit_count **top,
                            size_t *n, struct err *err);
void pub_top_free(struct pub_unit_count *top, size_t n);

#endif
