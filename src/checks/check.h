/* check.h - findings, check sessions, exemptions and the site verdict.
 *
 * A *check* looks at a site (its crawl, its probes, its work items) and reports
 * *findings*: a stale column, a broken link, a wrong agency name on a page.  Findings
 * live in the database (data/schema/0004_checks.sql) from first seen to resolved, so
 * the office sees what is new, what persists and what was fixed, and the monthly 通报
 * can name each problem with its unit.  docs/checks.md documents every check, its
 * threshold and its source.
 *
 * The life of a finding
 *   - Identity: kind + site + column + page URL + subject (a URL, a word, an item).  Its
 *     fingerprint (check_fingerprint) is unique in the table, so a check never
 *     duplicates a finding: seeing it again updates last_seen and the evidence.
 *   - open → resolved: a *complete* check session of the finding's kind that does not
 *     report it again resolves it (resolved_at = the session's time).
 *   - resolved → open: seen again later, it is reopened (same id, history kept).
 *   - dismissed: a person marks a false positive with a reason; it stays dismissed
 *     whatever later checks see (they only record when it was seen again), until a
 *     person restores it (check_finding_restore).
 *   - Every change is an event in finding_events (opened, reopened, resolved,
 *     dismissed, restored, seen-dismissed), which also answers "as of DATE" queries.
 *
 * Sessions: how a check reports
 *     struct check_scope sc = { .site_id = id, .kinds = "wording", .complete = true,
 *                               .source = "crawl 12" };
 *     check_begin(db, clk, &sc, &s, err);
 *     check_report(s, &finding, NULL, err);          as many times as needed
 *     check_end(s, &tally, err);                      resolves what was not seen again
 * A session that did not look at everything (a crawl cut short) passes complete=false:
 * it opens and updates findings but resolves nothing.  A session limited to one column
 * (scope.column_id) resolves only that column's findings.  Beginning a session
 * supersedes any running session of the same site with an overlapping kind; the
 * superseded one resolves nothing when it ends (RC_CONFLICT), so two checks of the
 * same site cannot resolve each other's findings.  check_abort gives up without
 * resolving.  Sessions do not hold a database transaction open between calls.
 *
 * Adding a check (a new kind of finding):
 *   1. add a row to check_kinds[] (check.c): key, Chinese name, default severity,
 *      subject, the 19号 indicator it feeds, the producer, whether it needs the crawl;
 *   2. if it feeds the verdict, add a row to check_fact_defs[] (check.c) and a rule to
 *      data/checks/scoring-2019.ini (a veto or a deduction naming the fact);
 *   3. write the producer: open a session with the kind, report, end;
 *   4. document it in docs/checks.md (threshold and source, with the confidence mark
 *      of ../shared/docs/domain.md) and test it: a planted problem is reported, a
 *      planted non-problem is not, fixing it resolves it (tests/unit/test_checks.c and
 *      an e2e test t3xxx).
 */
#ifndef CHECKS_CHECK_H
#define CHECKS_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/clk.h"
#include "core/err.h"
#include "core/json.h"
#include "store/keyset.h"
#include "store/store.h"

/* ---- severities and kinds -------------------------------------------------------- */

/* The vendor scale (内容正确性 = 一般错误 / 疑似错误 / 严重错误, domain.md §5). */
enum check_severity {
    CHECK_SEV_DEFAULT = 0, /* in a report: the kind's default */
    CHECK_NOTICE = 1,      /* 提示 / 疑似: worth a look */
    CHECK_NORMAL = 2,      /* 一般 */
    CHECK_SERIOUS = 3,     /* 严重: may veto the site */
};
const char *check_severity_name(enum check_severity s); /* "serious" */
const char *check_severity_cn(enum check_severity s);   /* "严重" */
/* Accepts serious|normal|notice and 严重|一般|提示|疑似. */
bool check_severity_parse(const char *s, enum check_severity *out);

struct check_kind {
    const char *key;              /* "column-stale": findings.kind, --kind */
    const char *name;             /* 栏目不更新 */
    enum check_severity severity; /* default severity of its findings */
    const char *subject;          /* what the subject is: column, url, word, item, site */
    const char *indicator;        /* the 19号 item it feeds, with its confidence mark */
    const char *producer;         /* the check that reports it */
    bool crawl;                   /* produced from crawl data */
};
extern const struct check_kind check_kinds[];
extern const size_t check_nkinds;
const struct check_kind *check_kind_find(const char *key); /* NULL when unknown */
/* Validate a comma-separated list of kinds ("wording,link-broken"); RC_INVALID names
 * the unknown one and lists the known ones. */
enum rc check_kinds_valid(const char *list, struct err *err);

/* ---- reporting: sessions --------------------------------------------------------- */

/* What a check reports.  Strings are borrowed for the call. */
struct check_finding {
    const char *kind;             /* a check_kinds key; must be one of the session's */
    int64_t column_id;            /* 0 = not about one column */
    int64_t unit_id;              /* 0 = the column's unit, else the site's unit */
    const char *url;              /* the page where it was seen; NULL = none */
    const char *subject;          /* the URL, word or item; required, ≤ 2000 bytes kept */
    const char *evidence;         /* a JSON object: what was seen, where, when */
    const char *summary;          /* one short Chinese sentence for people */
    enum check_severity severity; /* CHECK_SEV_DEFAULT = the kind's */
    bool has_value;               /* value is meaningful */
    int64_t value;                /* the measured quantity: days without update,
                                     occurrences, failure ratio in ‰ ... */
    int64_t seen_at;              /* when the evidence was captured; 0 = session time */
};

struct check_scope {
    int64_t site_id;    /* required */
    int64_t column_id;  /* 0 = the whole site */
    const char *kinds;  /* comma-separated kinds this session checks; required */
    bool complete;      /* the check looked at everything in scope */
    const char *source; /* free text for the record: "crawl 12", "probe", "manual" */
};

struct check_session;

struct check_tally {
    int reported;       /* check_report calls */
    int opened;         /* new findings */
    int reopened;       /* resolved ones seen again */
    int updated;        /* open ones seen again */
    int dismissed_seen; /* dismissed ones seen again (they stay dismissed) */
    int resolved;       /* resolved by check_end */
};

enum rc check_begin(struct store *db, const struct clk *clk, const struct check_scope *scope,
                    struct check_session **out, struct err *err);
/* Report one finding (creates, updates, reopens, or records a dismissed one as seen).
 * *id (may be NULL) gets the finding's id.  RC_INVALID for a kind outside the session,
 * an empty subject, or evidence that is not a JSON object. */
enum rc check_report(struct check_session *s, const struct check_finding *f, int64_t *id,
                     struct err *err);
/* End the session: when complete, resolve its open findings in scope that were not
 * reported.  Frees the session in every case.  RC_CONFLICT (nothing resolved) when a
 * newer session superseded this one. */
enum rc check_end(struct check_session *s, struct check_tally *t, struct err *err);
/* Give up: the session is recorded as aborted and resolves nothing.  NULL-safe. */
void check_abort(struct check_session *s);
int64_t check_session_id(const struct check_session *s);
int64_t check_session_time(const struct check_session *s);

/* The stable identity of a finding ("v1:" + 32 hex digits) into out. */
void check_fingerprint(const char *kind, int64_t site_id, int64_t column_id, const char *url,
                       const char *subject, char out[40]);

/* ---- reading findings ------------------------------------------------------------ */

/* One finding as stored, with display names.  Strings owned (check_row_release). */
struct check_row {
    int64_t id, site_id, column_id, unit_id;
    char *kind, *site, *column, *unit, *url, *subject, *evidence, *summary, *state;
    enum check_severity severity;
    bool has_value;
    int64_t value;
    int64_t first_seen, last_seen, resolved_at; /* 0 when not resolved */
    int64_t dismissed_at;                       /* 0 when not dismissed */
    char *dismissed_by, *dismiss_reason;
    int64_t seen_dismissed_at; /* last seen while dismissed, or 0 */
};
void check_row_release(struct check_row *r);

struct check_query {
    int64_t site_id;   /* 0 = all */
    int64_t unit_id;   /* 0 = all */
    int64_t column_id; /* 0 = all */
    const char *kind;  /* NULL = all */
    const char *state; /* "open", "resolved", "dismissed", or NULL = all */
    int64_t as_of;     /* instant: the state at that moment, counting only findings
                          first seen by then; 0 = the current state */
};
/* Calls fn for each matching finding, ordered by site, kind, column, id; fn returns
 * nonzero to stop.  The row is valid only during the call. */
enum rc check_findings_each(struct store *db, const struct check_query *q,
                            int (*fn)(const struct check_row *r, void *ctx), void *ctx,
                            struct err *err);
/* One finding by id; RC_NOTFOUND naming the id. */
enum rc check_finding_get(struct store *db, int64_t id, struct check_row *out, struct err *err);

struct check_event {
    int64_t id, at, session_id;
    const char *event; /* opened, reopened, resolved, dismissed, restored, seen-dismissed */
    const char *state; /* the finding's state after the event */
    const char *by, *reason, *evidence; /* NULL when not recorded */
};
enum rc check_finding_events(struct store *db, int64_t id,
                             void (*fn)(const struct check_event *ev, void *ctx), void *ctx,
                             struct err *err);
/* One event as `finding show --json` lists it: {at, event, state, session, by, reason}. */
void check_event_json(struct jw *w, const struct check_event *ev, int tzoff);

/* Mark a false positive.  `reason` and `by` are required (RC_INVALID).  Dismissing a
 * dismissed finding is RC_CONFLICT.  A resolved finding can be dismissed too (so it is
 * not reopened as a problem later). */
enum rc check_finding_dismiss(struct store *db, const struct clk *clk, int64_t id,
                              const char *reason, const char *by, struct err *err);
/* Undo a dismissal: the finding is open again (RC_CONFLICT when not dismissed). */
enum rc check_finding_restore(struct store *db, const struct clk *clk, int64_t id,
                              const char *reason, const char *by, struct err *err);

/* The JSON object of a finding, as `govsite findings --json` and `check --json` print
 * it: id, kind, kind_name, site, unit, column, url, subject, severity, state, summary,
 * evidence (the stored object), value, first_seen, last_seen, resolved_at, dismissed. */
void check_row_json(struct jw *w, const struct check_row *r, int tzoff);
/* The same members without the braces, to add more (finding show adds "history"). */
void check_row_json_fields(struct jw *w, const struct check_row *r, int tzoff);

/* ---- pages of findings (the dashboard's lists) ----------------------------------- */

/* check_findings_each reads every matching finding; the dashboard shows 50 at a time from
 * tables of 100,000s.  check_findings_page reads one page of the current state in a chosen
 * order by keyset (store/keyset.h) or offset; the indexes of 0010_web2.sql make each
 * order an index walk under the state filter.  Lists as of a moment keep using
 * check_findings_each. */
enum check_sort {
    CHECK_SORT_ID,        /* by id: the order findings were first made */
    CHECK_SORT_LAST_SEEN, /* by the last sighting */
    CHECK_SORT_SEVERITY,  /* by severity (then id) */
};
/* "id", "-id" (descending), "last_seen", "severity"; false when unknown. */
bool check_sort_parse(const char *s, enum check_sort *sort, bool *desc);
struct check_page_q {
    struct check_query f; /* f.as_of must be 0 */
    const char *q;        /* substring of subject, summary or URL (% and _ literal); NULL */
    enum check_sort sort;
    bool desc;
    struct keyset pos; /* after (or before) this position; unset = the first page */
    int64_t offset;    /* used only without a position */
    size_t limit;      /* 0 = no limit */
};
/* The page in display order: *out (release with check_rows_free) and *n. */
enum rc check_findings_page(struct store *db, const struct check_page_q *q, struct check_row **out,
                            size_t *n, struct err *err);
void check_rows_free(struct check_row *rows, size_t n);
/* How many findings match q's filters. */
enum rc check_findings_count(struct store *db, const struct check_page_q *q, int64_t *n,
                             struct err *err);
/* The keyset cursor of a row's position in q's order, appended to out. */
void check_row_cursor(const struct check_page_q *q, const struct check_row *r, struct buf *out);
/* Open findings counted per responsible unit (site_id 0: every site), most first; a
 * finding without a unit is counted under unit 0 with a NULL label. */
enum rc check_open_by_unit(struct store *db, int64_t site_id,
                           void (*fn)(int64_t unit_id, const char *unit, int64_t n, void *ctx),
                           void *ctx, struct err *err);

/* ---- exemptions: legitimately quiet columns ------------------------------------- */

struct check_exemption {
    int64_t id, column_id, site_id;
    char *site, *path; /* display */
    char *reason, *approved_by;
    int32_t from, until;            /* civil dates, inclusive */
    int64_t created_at, revoked_at; /* revoked_at 0 = not revoked */
    char *revoked_by;
};
void check_exemption_release(struct check_exemption *x);

/* Approve an exemption for a column from today until `until` (inclusive).  reason and
 * by are required; until must not be before today, nor further than `max_days` from
 * today (0 = no limit).  An active exemption of the column is superseded (revoked by
 * the same person) so each column has at most one.  *id may be NULL. */
enum rc check_exempt_add(struct store *db, const struct clk *clk, int64_t column_id,
                         const char *reason, const char *by, int32_t until, int max_days,
                         int64_t *id, struct err *err);
/* Revoke the column's active exemption (RC_NOTFOUND when it has none). */
enum rc check_exempt_revoke(struct store *db, const struct clk *clk, int64_t column_id,
                            const char *by, struct err *err);
/* Is the column exempt on `day`?  *out (may be NULL) gets the exemption. */
enum rc check_exempt_find(struct store *db, int64_t column_id, int32_t day, bool *exempt,
                          struct check_exemption *out, struct err *err);

/* The columns of one site exempt on a day, for the freshness check:
 *     struct check_exempt_set ex; check_exempt_load(db, site, today, &ex, err);
 *     if (check_exempt_has(&ex, column_id)) skip;
 *     check_exempt_set_release(&ex); */
struct check_exempt_set {
    int64_t *ids; /* sorted */
    size_t n;
};
enum rc check_exempt_load(struct store *db, int64_t site_id, int32_t day,
                          struct check_exempt_set *set, struct err *err);
bool check_exempt_has(const struct check_exempt_set *set, int64_t column_id);
void check_exempt_set_release(struct check_exempt_set *set);

/* Exemptions to list: site_id 0 = all; active_on = DATE_NONE lists every exemption
 * ever made (expired and revoked too), else those in force on that day. */
enum rc check_exemptions_each(struct store *db, int64_t site_id, int32_t active_on,
                              int (*fn)(const struct check_exemption *x, void *ctx), void *ctx,
                              struct err *err);

/* ---- facts and the verdict (国办秘函〔2019〕19号) --------------------------------- */

/* A fact is a named count the verdict rules read: "stale_news" = 3.  Facts about
 * columns also carry the column ids, so a column penalised once is not penalised
 * again (the 19号 note on 空白 / 应更新未更新 columns). */
struct check_fact {
    char *name;
    int64_t value;
    int64_t *columns; /* distinct column ids behind the value (may be empty) */
    size_t ncolumns, capcolumns;
};
struct check_facts {
    int64_t site_id;
    int32_t as_of;
    struct check_fact *v;
    size_t n, cap;
    char **notes; /* facts that could not be established ("监测不足") */
    size_t nnotes, capnotes;
};
void check_facts_init(struct check_facts *f, int64_t site_id, int32_t as_of);
void check_facts_release(struct check_facts *f);
/* Set a fact's value (creating it), or add one column to it (value = distinct count). */
void check_facts_set(struct check_facts *f, const char *name, int64_t value);
void check_facts_add_column(struct check_facts *f, const char *name, int64_t column_id);
const struct check_fact *check_facts_get(const struct check_facts *f, const char *name);
void check_facts_note(struct check_facts *f, const char *fmt, ...) FMT_PRINTF(2, 3);

/* How findings become facts: each open (not dismissed, not resolved) finding of `kinds`
 * counts toward `fact` when it matches the filters.  The table is check_fact_defs[]
 * (check.c); docs/checks.md lists it. */
struct check_fact_def {
    const char *fact;                 /* "stale_news" */
    const char *kinds;                /* '|'-separated kinds: "column-stale|column-blank" */
    const char *classes;              /* '|'-separated column classes, NULL = any */
    bool top_level;                   /* only 一级栏目 (a path without '>') */
    int64_t min_value;                /* only findings with value ≥ this (a finding without value
                                         counts: an undated column is not updated); 0 = any */
    enum check_severity min_severity; /* CHECK_SEV_DEFAULT = any */
    bool per_column;   /* count distinct columns (and keep their ids), else findings */
    const char *about; /* what it counts, for docs and --json */
};
extern const struct check_fact_def check_fact_defs[];
extern const size_t check_nfact_defs;
/* Every fact of check_fact_defs for a site, from its findings as of the end of day
 * `as_of` (instant computed with tzoff).  Facts with no findings are present with 0. */
enum rc check_facts_collect(struct store *db, int64_t site_id, int32_t as_of, int tzoff,
                            struct check_facts *f, struct err *err);

/* A scoring profile (data/checks/scoring-2019.ini): veto rules and deduction rules
 * over facts.  Parsed from INI text; errors name the file and the section. */
struct check_profile;
enum rc check_profile_parse(const char *name, const char *text, size_t n,
                            struct check_profile **out, struct err *err);
/* Load by resource name ("checks/scoring-2019.ini", overridable in the data dir) or by
 * a path containing '/'. */
enum rc check_profile_load(const char *name_or_path, struct check_profile **out, struct err *err);
void check_profile_free(struct check_profile *p);
const char *check_profile_name(const struct check_profile *p);
/* The resource name of the default profile. */
#define CHECK_PROFILE_DEFAULT "checks/scoring-2019.ini"

struct check_veto {
    char *key, *reason, *indicator, *source;
    int64_t value;  /* the fact's value that met the rule */
    bool confirmed; /* the rule's threshold is confirmed in a source */
};
struct check_deduction {
    char *key, *group, *name, *source;
    int64_t count; /* occurrences counted (after column de-duplication) */
    double points; /* points deducted (capped at the rule's max) */
    bool confirmed;
};
struct check_verdict {
    int64_t site_id;
    int32_t as_of;
    char *profile;
    bool pass;              /* 合格 */
    double score;           /* 100 − all deductions (floored at 0) */
    double score_confirmed; /* 100 − confirmed deductions only */
    struct check_veto *vetoes;
    size_t nvetoes;
    struct check_deduction *deductions; /* only rules that deducted points */
    size_t ndeductions;
    char **notes;
    size_t nnotes;
};
void check_verdict_release(struct check_verdict *v);
/* Pure: apply the profile to the facts.  Any veto → 不合格 (and the score is still
 * reported); else score < the profile's pass mark → 不合格. */
void check_verdict_compute(const struct check_profile *p, const struct check_facts *f,
                           struct check_verdict *v);
const char *check_verdict_word(const struct check_verdict *v); /* 合格 / 不合格 */
/* JSON object: site (name), date, verdict, score, score_confirmed, vetoes[{key, reason,
 * indicator, value, confirmed, source}], deductions[...], notes[], facts{}, profile. */
void check_verdict_json(struct jw *w, const struct check_verdict *v, const char *site_name,
                        const struct check_facts *f);
/* The same members without the braces (`govsite check` adds "findings"). */
void check_verdict_json_fields(struct jw *w, const struct check_verdict *v, const char *site_name,
                               const struct check_facts *f);
/* Store (replacing the verdict of the same site and date). */
enum rc check_verdict_save(struct store *db, const struct clk *clk, const struct check_verdict *v,
                           const struct check_facts *f, struct err *err);
/* The whole step: when as_of is today, refresh the availability finding from the
 * probes (probe.h); collect facts; compute; save unless `dry_run`.  The crawl-based
 * checks run their sessions before calling this.  f and v are initialised here. */
enum rc check_verdict_run(struct store *db, const struct clk *clk, int64_t site_id, int32_t as_of,
                          const struct check_profile *p, bool dry_run, struct check_facts *f,
                          struct check_verdict *v, struct err *err);

/* Stored verdicts, for history and the annual forms.  Filters: site_id 0 = all; the
 * dates are inclusive (DATE_NONE = open); latest_per_site keeps each site's last
 * verdict in the range (a quarter's result). */
struct check_verdict_row {
    int64_t site_id;
    const char *site, *date, *verdict, *profile;
    double score, score_confirmed;
    const char *vetoes, *deductions, *facts; /* stored JSON */
    int64_t computed_at;
};
enum rc check_verdicts_each(struct store *db, int64_t site_id, int32_t from, int32_t to,
                            bool latest_per_site,
                            int (*fn)(const struct check_verdict_row *r, void *ctx), void *ctx,
                            struct err *err);

#endif
