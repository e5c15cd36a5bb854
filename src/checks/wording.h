/* wording.h - the wording dictionary (wrong → right forms) and the text scanner.
 *
 * An entry says that `wrong` should be written `right`, optionally only from a date (an
 * agency's old name is wrong once its 机构改革 took effect) or until a date, with a
 * severity (serious errors feed the 19号 veto 严重表述错误).  Sources, in priority
 * order (the first active entry for a wrong form wins):
 *   1. the database (`govsite wording add|remove`; a removal of a file entry is a
 *      disabling row that switches that wrong form off);
 *   2. extra files `wording/NAME.tsv` in the data directory (core/res.h);
 *   3. the built-in files data/wording/NAME.tsv (each overridable by a file of the same
 *      name in the data directory).
 *
 * File format (UTF-8, tab-separated; docs/checks.md "Wording"): '#' starts a comment
 * line; the first other line is the header naming the columns, in any order:
 *     wrong  right  from  until  severity  category  allow  note
 * `wrong` is required, the others may be empty or absent.  right and allow take
 * alternatives separated by '|'.  Dates are YYYY-MM-DD (inclusive).  severity is
 * serious, normal (default) or notice (严重, 一般, 提示/疑似).  Bad rows are noted as
 * name:line: reason and skipped; the rest of the file is used.
 *
 * Scanning finds every occurrence of every active wrong form in one pass (acm.h), then
 * drops an occurrence that lies inside a longer *right or allowed form* of any entry
 * (农业部 inside 农业部门, 规划局 inside 自然资源和规划局) or inside a longer active
 * wrong form (the longer, more specific entry is reported).  Text is UTF-8; offsets are
 * bytes, `chars` counts code points before the hit.
 *
 * Which date: a page is judged as of its publication date when it has one (an article
 * of 2017 may name the 卫生和计划生育局), else as of the check date.
 */
#ifndef CHECKS_WORDING_H
#define CHECKS_WORDING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "checks/acm.h"
#include "checks/check.h"
#include "core/buf.h"
#include "core/clk.h"
#include "core/err.h"
#include "core/json.h"
#include "core/notes.h"
#include "store/store.h"

#define WORDING_MIN_CHARS       2  /* a wrong form has at least 2 code points */
#define WORDING_MAX_CHARS       64 /* and at most 64; so do right and allowed forms */
#define WORDING_FILE_MAX        (16u << 20)
#define WORDING_MAX_OCCURRENCES (1u << 20) /* per scan call; beyond, hits are truncated */

enum wording_prio { WORDING_DB = 0, WORDING_FILE = 1, WORDING_BUILTIN = 2 };

struct wording_entry {
    char *wrong;
    char *right;         /* suggested forms, '|'-separated; "" when none */
    char *allow;         /* longer correct forms containing wrong, '|'-separated; "" */
    int32_t from, until; /* wrong on these dates (inclusive); DATE_NONE = open */
    enum check_severity severity;
    char *category; /* 机构改革, 政治术语, ... ("" when none) */
    char *note;
    char *source;  /* "wording/reform-2018.tsv:12", "/srv/data/wording/x.tsv:3", "db:7" */
    int64_t db_id; /* > 0 for database entries */
    enum wording_prio prio;
    bool disabled; /* switched off by a database row */
};

struct wording_dict;

struct wording_dict *wording_dict_new(void);
void wording_dict_free(struct wording_dict *d); /* NULL-safe */
/* Add one entry (copied).  Validates it: RC_INVALID naming the problem. */
enum rc wording_dict_add(struct wording_dict *d, const struct wording_entry *e, struct err *err);
/* Parse a TSV dictionary (see above) and add its entries.  Bad rows are noted in `bad`
 * (may be NULL) and skipped; RC_PARSE/RC_LIMIT only for a whole-file problem (no header,
 * over WORDING_FILE_MAX).  *added (may be NULL) gets the number of entries added. */
enum rc wording_dict_parse(struct wording_dict *d, const char *name, const char *text, size_t n,
                           enum wording_prio prio, size_t *added, struct notes *bad,
                           struct err *err);
/* Switch off every entry with this wrong form (a database disabling row). */
void wording_dict_disable(struct wording_dict *d, const char *wrong);
/* Load every source: built-in files, data-directory files, then the database (db may
 * be NULL).  Bad rows go to `bad`. */
enum rc wording_dict_load(struct wording_dict *d, struct store *db, struct notes *bad,
                          struct err *err);
/* Build the matcher.  Entries cannot be added afterwards (BUG()). */
void wording_dict_compile(struct wording_dict *d);

size_t wording_dict_size(const struct wording_dict *d);
const struct wording_entry *wording_dict_entry(const struct wording_dict *d, size_t i);
/* Is the entry in force on `day` (DATE_NONE: ignore dates)? */
bool wording_entry_active(const struct wording_entry *e, int32_t day);
/* One entry as `wording list --json` prints it: wrong, right, allow, from, until,
 * severity, category, note, source and `state` (active, shadowed, disabled). */
void wording_entry_json(struct jw *w, const struct wording_entry *e, const char *state);
/* The entry that applies to `wrong` on `day`, NULL when none (for listing shadows). */
const struct wording_entry *wording_dict_lookup(const struct wording_dict *d, const char *wrong,
                                                int32_t day);

struct wording_hit {
    const struct wording_entry *e; /* borrowed from the dictionary */
    size_t off, len;               /* bytes */
    size_t chars;                  /* characters before off: code points in valid UTF-8
                                      (bytes that are not continuation bytes) */
};
struct wording_hits {
    struct wording_hit *v;
    size_t n, cap;
    bool truncated; /* WORDING_MAX_OCCURRENCES reached, or text > 4 GiB */
    bool no_chars;  /* set by the caller: leave wording_hit.chars 0 (saves a pass over the
                       text when only offsets are wanted, as `wording scan -o` does) */
    /* scratch reused between scans: occurrences per part of the text (acm_scan_parts) */
    void *occ[ACM_PARTS];
    size_t nocc[ACM_PARTS], capocc[ACM_PARTS];
};
void wording_hits_release(struct wording_hits *h);
/* Scan text as of a day (DATE_NONE = every entry regardless of dates).  Appends the hits
 * in text order (clears `h` first) and returns their number.  Thread-safe for one
 * compiled dictionary with separate `h`. */
size_t wording_scan(const struct wording_dict *d, const char *text, size_t n, int32_t day,
                    struct wording_hits *h);

/* Context of a hit: up to `chars` code points before and after, on character
 * boundaries, with control characters and whitespace runs shown as one space. */
void wording_excerpt(const char *text, size_t n, size_t off, size_t len, size_t chars,
                     struct buf *before, struct buf *after);

/* ---- database entries ------------------------------------------------------------ */

/* Add or replace the database entry for e->wrong (validated as a dictionary entry);
 * *updated (may be NULL) tells whether one existed. */
enum rc wording_db_add(struct store *db, const struct clk *clk, const struct wording_entry *e,
                       const char *by, bool *updated, struct err *err);
/* Remove the database entry for `wrong`; when `wrong` also comes from a file (files
 * non-NULL), record a disabling row instead so the file entry stops applying.
 * *what gets "removed", "disabled" or NULL (RC_NOTFOUND when neither applies). */
enum rc wording_db_remove(struct store *db, const struct clk *clk, const char *wrong,
                          const char *by, const struct wording_dict *files, const char **what,
                          struct err *err);

/* Delete the disabling row of `wrong` so its file entries apply again (RC_NOTFOUND when
 * it is not switched off). */
enum rc wording_db_enable(struct store *db, const char *wrong, struct err *err);

/* ---- the check ------------------------------------------------------------------- */

/* One page to check, as the crawl-based check supplies it. */
struct wording_page {
    int64_t column_id; /* 0 = none */
    int64_t unit_id;   /* 0 = the column's / site's */
    const char *url;   /* required */
    const char *title; /* may be NULL */
    const char *text;  /* extracted text, UTF-8 */
    size_t n;
    int32_t date; /* publication date, DATE_NONE = unknown */
};
/* Scan one page and report one finding per wrong form found on it (kind "wording", the
 * entry's severity; subject = the wrong form; url = the page), with up to 3 excerpts in
 * the evidence.  The page is judged as of its date, else as of `today`.  `h` is
 * scratch (reused between pages).  *nfound (may be NULL) gets the findings reported. */
enum rc wording_check_page(struct check_session *s, const struct wording_dict *d,
                           const struct wording_page *pg, int32_t today, struct wording_hits *h,
                           int *nfound, struct err *err);

#endif
