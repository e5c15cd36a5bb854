/* cal.h - the Chinese working-day calendar and the statutory deadline engine.
 *
 * Every deadline in this domain is counted in Chinese working days (个工作日): Saturdays,
 * Sundays and the statutory holidays are off, and the weekend days that the State
 * Council's yearly notice turns into working days (调休上班) are on.  This module answers
 * calendar questions in O(1) and computes statutory due instants with an explanation in
 * Chinese.  docs/deadlines.md is the user's side of it (rules, sources, configuration,
 * the counting model); this header is the programmer's.
 *
 * PART 1 - THE CALENDAR (struct cal)
 *
 *   struct cal *cal;
 *   if (cal_load(db, &cal, err)) ...          table + the database's local overrides
 *   bool w = cal_is_workday(cal, day);        day is a civil date (core/date.h)
 *   cal_add(cal, day, 15, &due, &est, err);   the 15th working day after `day`
 *   cal_free(cal);
 *
 * Sources, later ones winning for a date:
 *   1. the weekday: Monday-Friday work, Saturday/Sunday off;
 *   2. the national table, resource "holidays/cn.tsv" (data/holidays/cn.tsv, embedded and
 *      overridable from the data directory; core/res.h): `date<TAB>off|work<TAB>name`;
 *   3. local overrides (table calendar_overrides, `govsite calendar set`).
 *
 * Coverage and estimates.  A year is *covered* when the table has a row dated in it
 * before December (December rows can belong to the next year's notice, as 2018-12-29..31
 * belong to the 2019 元旦 notice).  A day in an uncovered year that no local override
 * names has no holiday data: it is computed weekends-only and is *estimated*.  Every
 * query that consults an estimated day records it in a `struct cal_est` (may be NULL),
 * whose missing years make the warning (cal_est_warning).  Today the table covers
 * 2007-2026; add a year's rows when the State Council publishes its notice (usually
 * October-November) and that year stops being estimated.
 *
 * Range.  The calendar covers the civil dates CAL_FIRST_YEAR-01-01 .. CAL_LAST_YEAR-12-31.
 * A date outside it, or an answer that would fall outside it, is RC_INVALID naming the
 * date and the range; nothing is ever undefined.  Inside the range every query is O(1):
 * loading precomputes a per-day flag array, prefix counts of working and estimated days
 * and the array of working days (about 0.5 MB, built in well under a millisecond).
 *
 * Threads: a loaded cal is read-only; any number of threads may query it.  cal_set_local
 * and cal_unset_local change it and must not race with readers.
 *
 * Counting conventions (the same as the law's: the start day is not counted):
 *   cal_add(c, d, n)      n > 0: the n-th working day after d (d itself not counted);
 *                         n < 0: the |n|-th working day before d; n = 0: d itself.
 *   cal_count(c, a, b)    working days in [a, b], both ends included (0 when b < a).
 *   so cal_count(c, d + 1, cal_add(c, d, n)) == n for every d and n > 0.
 */
#ifndef CAL_CAL_H
#define CAL_CAL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/buf.h"
#include "core/conf.h"
#include "core/err.h"
#include "core/json.h"
#include "core/vec.h"
#include "store/store.h"

#define CAL_FIRST_YEAR 1990
#define CAL_LAST_YEAR  2099
#define CAL_TABLE      "holidays/cn.tsv" /* the resource name of the national table */
#define CAL_NAME_MAX   120               /* bytes in a holiday or override name */

/* Why a day is what it is. */
enum cal_reason {
    CAL_WEEKDAY,    /* an ordinary Monday-Friday: work */
    CAL_WEEKEND,    /* an ordinary Saturday or Sunday: off */
    CAL_HOLIDAY,    /* a day off in the national table (法定节假日, 调休 weekday off, ...) */
    CAL_ADJUSTED,   /* a Saturday/Sunday the table makes a working day (调休上班) */
    CAL_LOCAL_OFF,  /* a local override: off */
    CAL_LOCAL_WORK, /* a local override: work */
};
/* "weekday", "weekend", "holiday", "adjusted_workday", "local_off", "local_work" (the
 * JSON spelling) and the Chinese phrase used in explanations ("调休上班"). */
const char *cal_reason_key(enum cal_reason r);
const char *cal_reason_cn(enum cal_reason r);

struct cal_day {
    bool work; /* a working day */
    enum cal_reason reason;
    const char *name; /* the holiday or override name; NULL for plain days.
                       * Borrowed from the cal: valid until it changes or is freed */
    bool estimated;   /* in an uncovered year (weekends-only) */
};

/* Accumulates what answers depended on: zero-initialise, pass to several queries. */
struct cal_est {
    bool estimated;       /* some consulted day had no holiday data */
    int year_lo, year_hi; /* the uncovered years consulted (when estimated) */
};

/* One row of the table or of the local overrides, for listings. */
struct cal_row {
    int32_t day;
    bool work;        /* 'work' row; else 'off' */
    bool local;       /* a local override; else a table row */
    const char *name; /* borrowed from the cal */
};

struct cal {
    int tzoff;                 /* the zone of civil dates: China Standard Time (TZ_CST) */
    char source[256];          /* where the table came from: "holidays/cn.tsv" or a file path */
    int32_t lo, hi;            /* [lo, hi): the days the arrays describe */
    int year_first, year_last; /* the first and last covered year (0 when none) */
    /* The rest is private to cal.c. */
    uint8_t *flag; /* per day: CAL__WORK | CAL__EST | reason << 2 */
    int32_t *cum;  /* cum[i]: working days in [lo, lo + i), i = 0 .. hi - lo */
    int32_t *ecum; /* ecum[i]: estimated days in [lo, lo + i) */
    int32_t *wd;   /* the working days in order */
    int32_t nwd;
    bool covered[CAL_LAST_YEAR - CAL_FIRST_YEAR + 1];
    VEC(struct cal_row) table; /* sorted by day, unique */
    VEC(struct cal_row) local; /* sorted by day, unique */
    struct arena names;        /* the rows' names */
};

/* --- Loading ------------------------------------------------------------------------- */

/* The calendar in use: the national table (res_load of CAL_TABLE, so a file of that name
 * in the data directory replaces the embedded copy) plus the local overrides stored in
 * `db` (NULL: none).  Caller frees with cal_free.  Fails with RC_PARSE naming
 * file:line for a bad table row, or the database error. */
enum rc cal_load(struct store *db, struct cal **out, struct err *err);
/* A calendar from table text alone (tests, fuzzing, tools).  `src` names it in messages.
 * `text` need not be NUL-terminated; n bytes are read.  Lines: blank, "# comment", or
 * `YYYY-MM-DD<TAB>off|work<TAB>name` (name up to CAL_NAME_MAX bytes; a missing name is
 * allowed).  Duplicate dates and dates outside the range are errors. */
enum rc cal_from_tsv(const char *src, const char *text, size_t n, struct cal **out,
                     struct err *err);
void cal_free(struct cal *c); /* NULL-safe */

/* --- Queries (O(1); `est` may be NULL) ----------------------------------------------- */

bool cal_in_range(const struct cal *c, int32_t day);
/* RC_INVALID "date 2100-01-01 is outside the calendar's range 1990-01-01..2099-12-31". */
enum rc cal_check(const struct cal *c, int32_t day, struct err *err);
/* Describe a day.  Out of range: RC_INVALID. */
enum rc cal_day(const struct cal *c, int32_t day, struct cal_day *out, struct cal_est *est,
                struct err *err);
/* Working day?  A day out of range is judged by its weekday alone (no error channel:
 * call cal_check first when that matters). */
bool cal_is_workday(const struct cal *c, int32_t day);
/* The n-th working day after (n > 0) or before (n < 0) `day`; n = 0 gives `day`.
 * RC_INVALID when `day` or the answer is out of range. */
enum rc cal_add(const struct cal *c, int32_t day, int n, int32_t *out, struct cal_est *est,
                struct err *err);
/* The first working day after `day` (cal_add with n = 1). */
enum rc cal_next(const struct cal *c, int32_t day, int32_t *out, struct cal_est *est,
                 struct err *err);
/* Working days in [from, to], both included; 0 when to < from. */
enum rc cal_count(const struct cal *c, int32_t from, int32_t to, int *out, struct cal_est *est,
                  struct err *err);
/* Record that the answer depended on the days [from, to] (for callers that look at days
 * themselves).  Days outside the range are ignored. */
void cal_est_note(const struct cal *c, struct cal_est *est, int32_t from, int32_t to);
/* Merge b into a. */
void cal_est_merge(struct cal_est *a, const struct cal_est *b);
/* The warning for an estimated answer, appended to out, e.g. "no holiday data for 2027
 * (the table covers 2007-2026): days in 2027 were counted as weekends only; add the
 * State Council's notice for 2027 to holidays/cn.tsv".  Nothing when not estimated. */
void cal_est_warning(const struct cal *c, const struct cal_est *est, struct buf *out);

/* Rows dated in [from, to] (DATE_NONE: open end), table rows and local overrides merged
 * in date order; on a date with both the local row comes first.  Calls fn for each; a
 * non-zero return stops the walk and is returned. */
int cal_rows(const struct cal *c, int32_t from, int32_t to,
             int (*fn)(const struct cal_row *r, const struct cal_row *shadowed, void *ctx),
             void *ctx);

/* --- Local overrides ------------------------------------------------------------------ */

/* In memory only (the next cal_load will not see it): make `day` a day off or a working
 * day for the reason `name`, or drop that override.  cal_unset_local returns false when
 * there was none.  Both rebuild the precomputed arrays (O(range)). */
enum rc cal_set_local(struct cal *c, int32_t day, bool work, const char *name, struct err *err);
bool cal_unset_local(struct cal *c, int32_t day);

/* In the database (table calendar_overrides; data/schema/0002_cal.sql).  `now` stamps the
 * row.  Names are 1..CAL_NAME_MAX bytes of UTF-8 without control characters.  `*was`
 * (may be NULL) gets the previous override ("" when there was none; caller frees). */
enum rc cal_db_set(struct store *db, int32_t day, bool work, const char *name, int64_t now,
                   char **was, struct err *err);
/* RC_NOTFOUND naming the date when there is no override for it. */
enum rc cal_db_unset(struct store *db, int32_t day, struct err *err);

/* PART 2 - DEADLINE RULES AND THE ENGINE
 *
 * A rule says how long a period is and how it is counted.  Rules are data: the built-in
 * table deadline_builtin[] (deadline.c, each row documented with its source in
 * docs/deadlines.md) and configuration sections that change a built-in or add a rule
 * without recompiling:
 *
 *   [deadline.consultation]     ; change a built-in: only the keys given change
 *   days = 5
 *   [deadline.petition-local]   ; a new rule: `days` is required
 *   title = 市长信箱
 *   days = 10
 *   extension = 5
 *
 * Keys: title, source, days, start (next-day|same-day), due (HH:MM[:SS]; 24:00 means
 * 23:59:59), opens (HH:MM: when a window opens on the last day, for half-day rules),
 * extension (working days that may be added in total), extend_to (the same as a total:
 * extension = extend_to - days), extensions (how many extension events), pause and
 * restart (yes|no), valid_from / valid_to (receipt dates the rule is meant for;
 * outside them the answer carries a warning).  docs/deadlines.md has the full schema.
 *
 * Adding a built-in rule:
 *   1. add a row to deadline_builtin[] in src/cal/deadline.c with its title and source;
 *   2. document it in docs/deadlines.md with the text it comes from (mark unconfirmed
 *      sources as such);
 *   3. add table cases to tests/unit/test_cal.c (deadline_cases[]) that pin its answers
 *      around a holiday and its events.
 */

enum deadline_start {
    DEADLINE_NEXT_DAY, /* the receipt day is not counted (民法典 第二百零一条) */
    DEADLINE_SAME_DAY, /* the receipt day is working day 1 when it is a working day */
};

#define DEADLINE_NAME_MAX   48
#define DEADLINE_MAX_DAYS   1000 /* days, and extension, at most this */
#define DEADLINE_MAX_EVENTS 256  /* events per computation */

struct deadline_rule {
    char name[DEADLINE_NAME_MAX]; /* "disclosure-2019": lowercase letters, digits, '-', '_' */
    char title[160];              /* 依申请公开（2019年《政府信息公开条例》） */
    char source[600];             /* the provision it comes from */
    int days;                     /* working days in the period, 1..DEADLINE_MAX_DAYS */
    enum deadline_start start;
    int due_secs;       /* second of the last day the period ends at: 86399 = 23:59:59 */
    int opens_secs;     /* -1, or the second of the last day a window opens (0 = 0:00) */
    int extension_max;  /* working days that extensions may add in total; 0: none */
    int extend_to;      /* the rule's own wording "extendable to N" (0: not so worded);
                         * when set, extension_max = extend_to - days */
    int extensions;     /* extension events allowed per period (0 when extension_max is 0) */
    bool pause;         /* pause/resume allowed (third-party consultation) */
    bool restart;       /* restart allowed (补正: corrected application received) */
    int32_t valid_from; /* receipt dates the rule is meant for (DATE_NONE: open) */
    int32_t valid_to;
    bool builtin;    /* defined in deadline_builtin[] */
    char where[128]; /* the configuration line that last changed it, or "" */
};

extern const struct deadline_rule deadline_builtin[];
extern const size_t deadline_nbuiltin;

struct deadline_rules {
    struct deadline_rule *v; /* owned */
    size_t n;
};
/* The built-ins, changed and extended by the [deadline.NAME] sections of `conf` (may be
 * NULL).  Errors name the configuration line and the fix: an unknown key, a bad value,
 * a new rule without `days`, an extension with no room.  Caller releases. */
enum rc deadline_rules_load(struct deadline_rules *rules, const struct conf *conf, struct err *err);
void deadline_rules_release(struct deadline_rules *rules);
/* By name; NULL when unknown.  deadline_rules_names appends "a, b, c" (for messages). */
const struct deadline_rule *deadline_rule_find(const struct deadline_rules *rules,
                                               const char *name);
void deadline_rules_names(const struct deadline_rules *rules, struct buf *out);

/* Events that move a deadline.  They are applied in time order (ties keep their order). */
enum deadline_event_type {
    DEADLINE_PAUSE,   /* the clock stops (a third party / other organ is consulted) */
    DEADLINE_RESUME,  /* the clock runs again (the answer arrived, or its window ended) */
    DEADLINE_RESTART, /* the period starts over (补正: the corrected application arrived) */
    DEADLINE_EXTEND,  /* the period grows by `days` working days (延期) */
};
struct deadline_event {
    enum deadline_event_type type;
    int64_t at; /* instant, UTC seconds */
    int days;   /* DEADLINE_EXTEND: working days added, 1..DEADLINE_MAX_DAYS */
};
/* "pause", "resume", "restart", "extend". */
const char *deadline_event_key(enum deadline_event_type t);

/* Parse a receipt time: "YYYY-MM-DD HH:MM[:SS]" in `tzoff`, ISO 8601 with an offset, a
 * bare date (00:00), or the other forms time_parse accepts.  RC_PARSE names the text and
 * the accepted forms. */
enum rc deadline_parse_time(const char *s, int tzoff, int64_t *out, struct err *err);
/* Parse an event token: TYPE@TIME, with TYPE one of pause|resume|restart|extend (or
 * 暂停|恢复|补正|延期) and, for extend, the working days as extend@TIME:N or
 * extend:N@TIME, e.g. "pause@2018-10-09 10:00", "extend@2018-10-20:15".  RC_PARSE
 * quotes the token and shows the fix. */
enum rc deadline_event_parse(const char *s, int tzoff, struct deadline_event *ev, struct err *err);

/* The answer. */
struct deadline_result {
    bool paused;          /* the last pause has no resume: the due time is unknown */
    int64_t due;          /* the due instant (0 when paused) */
    int32_t due_day;      /* its civil date (DATE_NONE when paused) */
    int64_t opens;        /* when the rule has a window (`opens`): its start, else 0 */
    int64_t start;        /* when the period in force began: receipt or last restart */
    int32_t first_day;    /* working day 1 of that period (may be estimated) */
    int working_days;     /* the period in working days: rule days + extension */
    int extension;        /* working days added by extensions */
    int used;             /* working days counted so far (when paused: before the pause) */
    int remaining;        /* when paused: working days left */
    int paused_days;      /* calendar days spent paused (all pauses of the period) */
    struct cal_est est;   /* estimated answer and its missing years */
    bool out_of_validity; /* the receipt date is outside the rule's valid_from/to */
};

/* Explanation: one step per line, in time order.  Reuse one across computations with
 * deadline_explain_reset (the texts live in its arena). */
enum deadline_step_kind {
    DLS_RULE,     /* the rule and its numbers */
    DLS_RECEIVED, /* the receipt instant and how counting starts */
    DLS_COUNT,    /* a counted working day: n is its ordinal (第n个工作日) */
    DLS_SKIP,     /* a run of days off [day, last]: n is the number of days */
    DLS_PAUSE,    /* n: working days counted so far */
    DLS_RESUME,
    DLS_RESTART,
    DLS_EXTEND, /* n: working days added */
    DLS_DUE,    /* the final instant */
    DLS_PAUSED, /* still paused at the end: n is the working days left */
    DLS_NOTE,   /* a warning (estimated years, rule validity) */
};
struct deadline_step {
    enum deadline_step_kind kind;
    int32_t day;  /* the day (first day of a run), or DATE_NONE */
    int32_t last; /* DLS_SKIP: the run's last day; else == day */
    int64_t at;   /* the instant of an event, receipt or due; else 0 */
    int n;
    enum cal_reason reason; /* DLS_COUNT, DLS_SKIP */
    const char *name;       /* holiday/override name or NULL; borrowed from the cal */
    const char *text;       /* the line in Chinese; owned by the explain's arena */
};
struct deadline_explain {
    VEC(struct deadline_step) steps;
    struct arena arena;
};
void deadline_explain_init(struct deadline_explain *ex);
void deadline_explain_reset(struct deadline_explain *ex);
void deadline_explain_release(struct deadline_explain *ex);
/* The lines joined with '\n' (each ending in one), appended to out. */
void deadline_explain_text(const struct deadline_explain *ex, struct buf *out);

/* Compute the due instant of `rule` for an item received at `received`, moved by the
 * events ev[0..n) (copied and ordered by time; `ev` may be NULL when n is 0).  `explain`
 * (may be NULL: then nothing but the result is built, which is the fast path) is reset
 * and filled with the steps.
 *
 * Model (docs/deadlines.md, "How a deadline is counted"):
 *   - working day 1 is the first working day after the receipt day (start = next-day) or
 *     the receipt day itself when it is a working day (start = same-day);
 *   - the period ends at rule->due_secs of its last working day;
 *   - pause@T stops the clock: the working days up to and including T's day are spent;
 *     resume@T starts it again from the day after T's day, with the days left;
 *   - restart@T begins a new full period from T as if T were the receipt (spent days,
 *     pauses and extensions of the old period are void);
 *   - extend@T:N adds N working days; refused beyond the rule's total or count, after
 *     the period ended, or when the rule has no extension.
 * Refusals are RC_INVALID with a message that quotes the event (as the parser spells
 * it), says why, and how to fix it.  A day or result outside the calendar's range is
 * RC_INVALID; more than DEADLINE_MAX_EVENTS events is RC_LIMIT. */
enum rc deadline_compute(const struct cal *cal, const struct deadline_rule *rule, int64_t received,
                         const struct deadline_event *ev, size_t n, struct deadline_result *res,
                         struct deadline_explain *explain, struct err *err);

/* Write one computed deadline as a JSON object: "rule", "received", "due" (ISO 8601 with
 * offset; null when paused), "due_date", "estimated", "working_days", "extension",
 * "first_day", "paused", and when set "window_opens", "remaining", "warning"; with
 * `explain`, "explanation" (the lines) and "steps" (the structured form). */
void deadline_json(struct jw *w, const struct cal *cal, const struct deadline_rule *rule,
                   int64_t received, const struct deadline_result *res,
                   const struct deadline_explain *explain);
/* The warnings of a result (estimated years, rule validity), each line ending in '\n'. */
void deadline_warnings(const struct cal *cal, const struct deadline_rule *rule,
                       const struct deadline_result *res, struct buf *out);

#endif
