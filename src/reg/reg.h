/* reg.h - the registry: units (单位), sites (网站) and columns (栏目).
 *
 * Everything govsite checks hangs off these three tables (data/schema/0001_registry.sql):
 * a column belongs to a site and has a responsible unit and a class; a site has an
 * owning unit.  Other modules read the tables directly in their own queries (they are
 * part of the shared schema) and use the functions here to resolve names and to import.
 *
 * Imports (CSV, docs/csv-formats.md) are all-or-nothing and idempotent: every row is
 * validated first and each bad row is noted as file:line with the reason; if any row is
 * bad nothing is written.  Rows are upserted on natural keys (unit name; site name;
 * site + column path) and a row equal to what is stored is left untouched, so importing
 * the same file twice changes nothing.  Rows absent from the file are never deleted.
 *
 * Adding a column class: add a row to reg_classes[] (reg.c) with its default freshness
 * limit and keywords, document it in docs/checks.md, and extend the class tests in
 * tests/unit/test_reg.c.
 */
#ifndef REG_REG_H
#define REG_REG_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/clk.h"
#include "core/err.h"
#include "core/json.h"
#include "core/notes.h"
#include "store/store.h"

/* Column classes (栏目类型) with the freshness limits of the inspection indicators. */
struct reg_class {
    const char *name;     /* 动态要闻 — as stored and printed */
    const char *key;      /* news — accepted on the command line */
    int freshness_days;   /* default limit; 0 = not checked for freshness */
    const char *keywords; /* '|'-separated words in a column name that suggest the class */
};

extern const struct reg_class reg_classes[];
extern const size_t reg_nclasses;
/* By Chinese name or key; NULL when unknown. */
const struct reg_class *reg_class_find(const char *name_or_key);
/* Guess a class from a column's name by the keyword table (the last path element is
 * tried first, then the whole path); falls back to 其他. */
const struct reg_class *reg_class_guess(const char *path);

/* Unit kinds and site types/statuses: canonical value for a name or alias, or NULL. */
const char *reg_unit_kind(const char *s);   /* office|district|department|agency|other */
const char *reg_site_type(const char *s);   /* 门户网站|部门网站 */
const char *reg_site_status(const char *s); /* 正常运行|临时关停|已关停|已迁移 */

/* A column path as written in the seed, "民生>主题服务>交通服务": separators may be '>',
 * '＞' or '»' with spaces around; segments are trimmed.  Appends the normal form to out;
 * false (out untouched) when a segment is empty. */
bool reg_path_normalize(const char *in, struct buf *out);

/* Required content items: "床位数|床位;医护人员数|医护人员" → items separated by ';',
 * alternative keywords of one item by '|' (the first names the item). */
struct reg_item {
    char *name;      /* the item's name (first alternative), owned */
    char **alts;     /* all alternatives including the name, owned */
    size_t nalts;
};
/* Parse; RC_INVALID naming the problem (empty item or keyword). */
enum rc reg_items_parse(const char *spec, struct reg_item **items, size_t *n, struct err *err);
void reg_items_free(struct reg_item *items, size_t n);

/* Look-ups.  Units by full or short name; sites by name, 标识码, home URL or host.
 * RC_NOTFOUND messages name the input and how to list what exists. */
enum rc reg_unit_lookup(struct store *db, const char *name, int64_t *id, struct err *err);
enum rc reg_site_lookup(struct store *db, const char *key, int64_t *id, struct err *err);
/* Display name of a unit: its short name, else its full name.  Caller frees. */
char *reg_unit_label(struct store *db, int64_t id);
char *reg_site_label(struct store *db, int64_t id);

enum reg_table { REG_UNITS, REG_SITES, REG_COLUMNS };

struct reg_import_result {
    int rows;      /* data rows read */
    int inserted;
    int updated;
    int unchanged;
};

/* Import a CSV file into one table (see the header comment).  Bad rows go to `bad`
 * (file:line: reason); then RC_INVALID and nothing is written. */
enum rc reg_import(struct store *db, enum reg_table t, const char *path, const struct clk *clk,
                   struct reg_import_result *res, struct notes *bad, struct err *err);
/* The same from memory (tests, the API). `name` is used in messages. */
enum rc reg_import_mem(struct store *db, enum reg_table t, const char *name, const char *data,
                       size_t n, const struct clk *clk, struct reg_import_result *res,
                       struct notes *bad, struct err *err);

/* Export a table as CSV with the import header (round-trips through reg_import).
 * site_id > 0 limits columns to one site. */
enum rc reg_export_csv(struct store *db, enum reg_table t, int64_t site_id, struct buf *out,
                       struct err *err);
/* The same rows as a JSON array of objects keyed by the CSV field names (plus "id" and,
 * for columns, "urls" and "state"). */
enum rc reg_list_json(struct store *db, enum reg_table t, int64_t site_id, struct jw *w,
                      struct err *err);
/* The same, calling `more` (may be NULL) inside each column's object after its fields so
 * a caller can add members (`govsite column list --json` adds the freshness). */
enum rc reg_list_json_more(struct store *db, enum reg_table t, int64_t site_id, struct jw *w,
                           void (*more)(struct jw *w, int64_t column_id, void *ctx), void *ctx,
                           struct err *err);

/* `govsite site add`: name and url required, unit and code optional. */
struct reg_site_new {
    const char *name, *url, *unit, *code, *type, *status;
};
enum rc reg_site_add(struct store *db, const struct reg_site_new *s, const struct clk *clk,
                     int64_t *id, struct err *err);

/* One column, as other modules need it. Strings are owned by the struct. */
struct reg_column {
    int64_t id, site_id, unit_id;
    char *path, *name, *class_name, *required, *state, *url; /* url: the first list URL */
    int freshness_days; /* effective limit: the column's own, else the class default */
};
void reg_column_release(struct reg_column *c);
/* Columns of a site (registered ones; with `all`, proposed too), ordered by path. */
enum rc reg_columns_of_site(struct store *db, int64_t site_id, bool all, struct reg_column **out,
                            size_t *n, struct err *err);
void reg_columns_free(struct reg_column *v, size_t n);

/* Add (or find) a column by site and path; used when staff accept a proposed column. */
enum rc reg_column_upsert(struct store *db, int64_t site_id, const char *path, const char *url,
                          const char *class_name, int64_t unit_id, const char *state,
                          const struct clk *clk, int64_t *id, struct err *err);

#endif
