/* cases.h - work items with statutory deadlines: 依申请公开, 咨询, 投诉, 找错.
 *
 * A work item (案件, "case" in code) is a request or message the office must answer in a
 * time limit: an application for government information (依申请公开), a consultation
 * (咨询), a complaint (投诉), or an error report from the national “我为政府网站找错”
 * platform (找错).  govsite tracks each from receipt to reply.  docs/cases.md is the
 * user's side (kinds, states, rules, statistics, the import format); this header is the
 * programmer's.
 *
 * THE MODEL
 *
 *   - An item has a kind, a tracking number, a responsible unit, a receipt instant and a
 *     deadline rule (chosen from the kind and the receipt date by the configuration,
 *     case_rule_for), plus descriptive fields and the requester's personal data.
 *   - Everything that happens to an item is an *event*: one row of case_events, written
 *     once and never changed (the database refuses UPDATE and DELETE on that table with
 *     triggers, data/schema/0005_cases.*.sql).  Each event is a step of the workflow
 *     table case_transitions[] and carries its actor, its instant (`at`, when it
 *     happened), when it was recorded, a note and a payload.
 *   - The item's state at any moment T is a *replay* of its events with at <= T
 *     (case_state_at): status, responsible unit, reply time, outcome, and the due time
 *     computed by the deadline engine (cal.h) from the receipt and the events that move
 *     the clock (补正 pauses and restarts it, third-party consultation pauses it, an
 *     extension lengthens it).  The columns status/due_at/replied_at/closed_at/outcome of
 *     table `cases` hold the replay at "now" for fast listing; they are rewritten on
 *     every event and are never the source of truth.
 *   - Statistics and lists "as of" a moment replay every item at that moment, so figures
 *     for a past date do not change when later events arrive (docs/cases.md).
 *
 * TIMES.  Instants are int64 UTC seconds (core/date.h); the civil dates that deadlines
 * count are China time (ctx->cal->tzoff).  An event's `at` may not precede the item's
 * last event (events are appended in time order) nor lie in the future of ctx->clk.
 *
 * PERSONAL DATA.  The requester's name and contact are personal data.  Everything that
 * renders an item takes an `enum case_view`: CASE_VIEW_FULL only for users allowed to
 * see it (the office and the responsible unit: case_role_sees_personal), CASE_VIEW_MASKED
 * everywhere else, and always in the import-format export and in reports (the
 * dashboard's working-list download follows its reader's right, docs/cases.md).  The
 * audit log never stores
 * personal data: an edit of the name or contact records that it changed, not the values.
 *
 * ROLES.  Transitions are allowed per role (bits, so a user or a route may hold several):
 * CASE_ROLE_OFFICE (市政府办公室: assigns, reviews, reopens), CASE_ROLE_UNIT (the
 * responsible unit: handles and answers its items), CASE_ROLE_SYSTEM (receipt and
 * imports).  The web layer maps its accounts: 管理员/督查员 → OFFICE (and UNIT), 单位编辑
 * → UNIT on items of their own unit, 只读 → none.  The CLI acts as OFFICE | UNIT.
 *
 * Adding a transition (a step of the workflow):
 *   1. add a row to case_transitions[] in src/cases/case_tables.c: its name (the CLI
 *      TYPE, lowercase with '-'), Chinese name, kinds, from-states, to-state (CASE_SAME
 *      to stay), roles, its effect on the clock, flags, and default outcomes;
 *   2. if it needs a new state, add it to enum case_status and case_statuses[] (and to
 *      CASE_OPEN_STATES or CASE_CLOSED_STATES), and say which transitions leave it;
 *   3. describe it in docs/cases.md (the state diagram and the table of steps);
 *   4. add its row to the expected matrix in tests/unit/test_cases.c (cases_matrix), which
 *      tries every transition from every state of every kind, and to the CLI usage text
 *      of `case event` in src/cli/commands.c.
 *
 * Threads: a struct case_ctx belongs to one thread (it holds a connection); the tables
 * are read-only.
 */
#ifndef CASES_CASES_H
#define CASES_CASES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "cal/cal.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clk.h"
#include "core/conf.h"
#include "core/err.h"
#include "core/json.h"
#include "core/notes.h"
#include "core/vec.h"
#include "store/keyset.h"
#include "store/store.h"

/* --- Kinds ---------------------------------------------------------------------------- */

enum case_kind {
    CASE_DISCLOSURE,   /* 依申请公开: an application for government information */
    CASE_CONSULTATION, /* 咨询 */
    CASE_COMPLAINT,    /* 投诉 */
    CASE_ERROR_REPORT, /* 找错: a message from the national 我为政府网站找错 platform */
    CASE_NKINDS
};
#define CASE_KIND_BIT(k) (1u << (k))
#define CASE_KINDS_ALL   ((1u << CASE_NKINDS) - 1)

struct case_kind_info {
    const char *key;     /* "disclosure": the CLI and JSON spelling */
    const char *cn;      /* "依申请公开" */
    const char *aliases; /* other accepted spellings, '|'-separated */
    const char *prefix;  /* default tracking-number prefix: YSQ, ZX, TS, ZC */
    const char *rules;   /* default rule schedule (case_ctx_init) */
};
extern const struct case_kind_info case_kinds[CASE_NKINDS];
/* By key, Chinese name or alias (ASCII case-insensitive); false when unknown. */
bool case_kind_parse(const char *s, enum case_kind *out);
/* "consultation,complaint" or "咨询,投诉" (',' or '，' or '|'): a mask of CASE_KIND_BIT.
 * RC_INVALID names the unknown word and lists the kinds. */
enum rc case_kinds_parse(const char *s, unsigned *mask, struct err *err);

/* --- States --------------------------------------------------------------------------- */

enum case_status {
    CASE_RECEIVED,   /* 已收到: waiting for the first step */
    CASE_ASSIGNED,   /* 已转办: sent to the responsible unit */
    CASE_CORRECTION, /* 待补正: the applicant was asked to correct the application */
    CASE_CONSULTING, /* 征求意见中: a third party or another organ is consulted (clock stopped) */
    CASE_PROCESSING, /* 办理中 */
    CASE_HANDLED, /* 已处理待审核: 找错 handled by the unit, waiting for the office's review */
    CASE_ANSWERED,  /* 已答复 (closed) */
    CASE_CLOSED,    /* 已办结: 找错 reviewed by the office (closed) */
    CASE_REJECTED,  /* 无效: 找错 rejected as invalid (closed) */
    CASE_ABANDONED, /* 视为放弃: not corrected in time (closed) */
    CASE_WITHDRAWN, /* 已撤回 (closed) */
    CASE_NSTATUS
};
#define CASE_SAME  (-1) /* a transition's `to`: the state does not change */
#define CASE_ST(s) (1u << (s))
#define CASE_OPEN_STATES                                                          \
    (CASE_ST(CASE_RECEIVED) | CASE_ST(CASE_ASSIGNED) | CASE_ST(CASE_CORRECTION) | \
     CASE_ST(CASE_CONSULTING) | CASE_ST(CASE_PROCESSING) | CASE_ST(CASE_HANDLED))
#define CASE_CLOSED_STATES                                                    \
    (CASE_ST(CASE_ANSWERED) | CASE_ST(CASE_CLOSED) | CASE_ST(CASE_REJECTED) | \
     CASE_ST(CASE_ABANDONED) | CASE_ST(CASE_WITHDRAWN))

struct case_status_info {
    const char *key; /* "received": stored and in JSON */
    const char *cn;  /* "已收到" */
    bool open;
};
extern const struct case_status_info case_statuses[CASE_NSTATUS];
bool case_status_parse(const char *key, enum case_status *out); /* the stored key */

/* --- Outcomes (办理结果) ---------------------------------------------------------------- */

/* Disclosure outcomes are the rows of section 三 of the 政府信息公开工作年度报告 table
 * (国办公开办函〔2021〕30号 format; domain.md §3.4), so the annual report is a count of
 * them.  `code` is the row: "1" 予以公开, "2" 部分公开, "3.1".."3.8" 不予公开, "4.1".."4.3"
 * 无法提供, "5.1".."5.5" 不予处理, "6.1".."6.3" 其他处理.  The other kinds have short
 * lists of their own. */
struct case_outcome {
    const char *key;   /* "withheld-secret" */
    const char *code;  /* "3.1" for disclosure rows; "" for the other kinds */
    const char *group; /* "不予公开" (the row's block); "" when the row is its own block */
    const char *cn;    /* "属于国家秘密" */
    unsigned kinds;    /* CASE_KIND_BIT mask */
};
extern const struct case_outcome case_outcomes[];
extern const size_t case_noutcomes;
/* An outcome of kind k by key, code, Chinese name or "group-name" (不予公开-属于国家秘密);
 * NULL when unknown or not an outcome of k. */
const struct case_outcome *case_outcome_find(enum case_kind k, const char *s);
/* "public (1), partial (2), withheld-secret (3.1), ..." for disclosure, "replied (已答复),
 * ..." for the other kinds: for messages. */
void case_outcomes_list(enum case_kind k, struct buf *out);
/* The display form: "不予公开：属于国家秘密" or "予以公开". */
void case_outcome_label(const struct case_outcome *o, struct buf *out);

/* --- Channels and requester types ------------------------------------------------------- */

struct case_term {
    const char *key;     /* "online" */
    const char *cn;      /* "网络" */
    const char *aliases; /* '|'-separated */
};
/* 网络 (online), 当面 (in-person), 邮寄 (post), 传真 (fax), 其他 (other). */
extern const struct case_term case_channels[];
/* The annual report's columns: 自然人 (person); 法人或其他组织: 商业企业 (business),
 * 科研机构 (research), 社会公益组织 (public-interest), 法律服务机构 (legal-service),
 * 其他 (other-org). */
extern const struct case_term case_requester_types[];
/* By key, Chinese name or alias in a NULL-terminated table; NULL when unknown. */
const struct case_term *case_term_find(const struct case_term *table, const char *s);
/* "网络 (online), 当面 (in-person), ..." */
void case_terms_list(const struct case_term *table, struct buf *out);

/* --- Roles and transitions --------------------------------------------------------------- */

enum case_role {
    CASE_ROLE_OFFICE = 1, /* the supervising office (市政府办公室) */
    CASE_ROLE_UNIT = 2,   /* the responsible unit (承办单位) */
    CASE_ROLE_SYSTEM = 4, /* govsite itself: receipt, imports */
};
#define CASE_ROLES_STAFF (CASE_ROLE_OFFICE | CASE_ROLE_UNIT)
/* Personal data is shown to the office and the responsible unit. */
bool case_role_sees_personal(unsigned roles);

/* What a transition does to the deadline (cal.h events). */
enum case_clock {
    CASE_CLOCK_NONE,
    CASE_CLOCK_PAUSE,      /* DEADLINE_PAUSE */
    CASE_CLOCK_RESUME,     /* DEADLINE_RESUME */
    CASE_CLOCK_CORRECTION, /* 补正 requested: DEADLINE_PAUSE when the rule pauses */
    CASE_CLOCK_CORRECTED,  /* DEADLINE_RESTART; DEADLINE_RESUME when the rule has no
                            * restart but was paused for the correction */
    CASE_CLOCK_EXTEND,     /* DEADLINE_EXTEND by the event's days */
};

/* Transition flags. */
#define CASE_TR_INTERNAL     1u   /* not a step users take (receive, edit) */
#define CASE_TR_JUDGED       2u   /* its instant is the reply time judged against the due time */
#define CASE_TR_OUTCOME      4u   /* takes an outcome (required when no default) */
#define CASE_TR_NOTE         8u   /* requires a note (the reason) */
#define CASE_TR_UNIT         16u  /* requires a unit (转办 to it) */
#define CASE_TR_DAYS         32u  /* takes a number of working days */
#define CASE_TR_ONCE         64u  /* at most once per item */
#define CASE_TR_CLEARS_REPLY 128u /* a previous reply no longer counts (reopen, send back) */

struct case_transition {
    const char *name; /* "request-correction": the CLI TYPE and the stored event type */
    const char *cn;   /* "要求补正" */
    const char *help; /* one line for usage texts and the dashboard's tooltips */
    unsigned kinds;   /* CASE_KIND_BIT mask */
    unsigned from;    /* CASE_ST mask; 0 for receive (the first event) */
    int to;           /* enum case_status, or CASE_SAME */
    unsigned roles;   /* enum case_role mask */
    enum case_clock clock;
    unsigned flags;                   /* CASE_TR_* */
    const char *outcome[CASE_NKINDS]; /* default outcome key per kind, or NULL */
};
extern const struct case_transition case_transitions[];
extern const size_t case_ntransitions;
/* By name or Chinese name; NULL when unknown. */
const struct case_transition *case_transition_find(const char *name);

/* --- Configuration and context ------------------------------------------------------------ */

#define CASE_NUMBER_MAX 64 /* bytes in a tracking number */
#define CASE_SCHED_MAX  8  /* rule changes per kind */

/* Which rule applies to an item of a kind received on a date, and its number prefix:
 *
 *   [case.disclosure]
 *   rules = disclosure-2008, 2019-05-15 disclosure-2019   ; the default
 *   prefix = YSQ
 *   [case.complaint]
 *   rules = consultation
 *
 * `rules` is a rule name, then optionally "DATE RULE" entries: from DATE (a receipt
 * date, China time) on, RULE applies.  Names are rules of the deadline engine (built in
 * or [deadline.NAME]).  `prefix` is 1-12 ASCII letters or digits. */
struct case_kind_conf {
    char prefix[16];
    int nsched;
    struct {
        int32_t from; /* DATE_NONE for the first entry */
        char rule[DEADLINE_NAME_MAX];
    } sched[CASE_SCHED_MAX];
};

struct case_ctx {
    struct store *db;            /* borrowed */
    const struct clk *clk;       /* borrowed: "now" and nothing else */
    struct cal *cal;             /* owned */
    struct deadline_rules rules; /* owned */
    struct case_kind_conf kconf[CASE_NKINDS];
    int tz; /* China time: cal->tzoff */
};

/* Load the calendar (with the database's local overrides), the deadline rules and the
 * [case.KIND] sections of `conf` (may be NULL).  Errors name the configuration line: an
 * unknown key, an unknown rule, dates out of order.  Release with case_ctx_release. */
enum rc case_ctx_init(struct case_ctx *x, struct store *db, const struct conf *conf,
                      const struct clk *clk, struct err *err);
void case_ctx_release(struct case_ctx *x);
/* The rule for an item of kind k received at `received`; NULL only when the
 * configuration names a rule that does not exist (case_ctx_init refuses that). */
const struct deadline_rule *case_rule_for(const struct case_ctx *x, enum case_kind k,
                                          int64_t received);

/* --- Items and events ----------------------------------------------------------------------- */

struct case_event {
    int64_t id;
    int seq; /* 1, 2, ... per item */
    const struct case_transition *tr;
    int64_t at;          /* when it happened (what the deadline uses) */
    int64_t recorded_at; /* when it was written */
    const char *actor;
    int from, to;        /* enum case_status; from is -1 for receive */
    int days;            /* extend: working days */
    const char *outcome; /* outcome key, or NULL */
    int64_t unit_id;     /* receive, assign, edit of the unit: the unit; else 0 */
    const char *note;    /* or NULL */
    const char *payload; /* a JSON object, or NULL */
};

/* An item as stored, with its events.  Strings live in the arena given to the loader
 * (NULL when absent). */
struct case_item {
    int64_t id;
    const char *number;
    enum case_kind kind;
    int64_t unit_id, site_id; /* site_id 0: none */
    const char *unit, *site;  /* labels: short name or name */
    const char *page_url;     /* 找错: the page the message is about */
    const char *channel;      /* case_channels key */
    int64_t received_at;      /* the confirmed receipt (2019 条例 第三十一条) */
    const char *subject, *content;
    const char *requester, *contact; /* personal data */
    const char *requester_type;      /* case_requester_types key */
    const char *rule;
    const char *reply;
    bool reply_public;
    /* The replay at "now" (see the header comment): */
    enum case_status status;
    int64_t due_at; /* 0 while the clock is stopped */
    int64_t replied_at, closed_at;
    const char *outcome;
    int64_t created_at, updated_at;
    struct case_event *ev; /* in seq order (arena) */
    size_t nev;
};

/* Load one item by tracking number, with its events.  RC_NOTFOUND names the number. */
enum rc case_get(struct case_ctx *x, const char *number, struct arena *a, struct case_item *it,
                 struct err *err);

/* How an item stands at a moment. */
enum case_timing {
    CASE_OPEN_NOT_DUE, /* open, and the due time has not passed (or the clock is stopped) */
    CASE_OPEN_OVERDUE, /* open and past the due time (or replied late, awaiting review) */
    CASE_ON_TIME,      /* closed, replied by the due time */
    CASE_LATE,         /* closed, replied after the due time */
};
const char *case_timing_key(enum case_timing t); /* "open_not_due", ... "late" */
const char *case_timing_cn(enum case_timing t);  /* "未到期", "已逾期", "按时", "逾期" */

struct case_state {
    int64_t as_of;
    enum case_status status;
    bool open;
    int64_t unit_id;
    int64_t replied_at; /* the reply judged against the due time; 0 when none */
    int64_t closed_at;  /* 0 when open */
    const char *outcome;
    enum case_timing timing;
    struct deadline_result dl; /* dl.paused: no due time; else dl.due */
    int events;                /* events replayed (at <= as_of) */
};

/* Replay `it` at `as_of` (it->received_at <= as_of, else RC_INVALID): its state and due
 * time.  `explain` (may be NULL) gets the deadline engine's steps (cal.h).  Fails only
 * when the stored events no longer fit the rule as configured now (RC_INVALID naming the
 * item, the rule and the event). */
enum rc case_state_at(const struct case_ctx *x, const struct case_item *it, int64_t as_of,
                      struct case_state *st, struct deadline_explain *explain, struct err *err);

/* --- Changing items -------------------------------------------------------------------------- */

/* A new item.  unit_id is required (or taken from the site's owning unit when 0 and the
 * site has one).  Strings are copied; NULL or "" leave a field empty. */
struct case_new {
    enum case_kind kind;
    const char *number; /* NULL: generated, PREFIX-YEAR-NNNN (the receipt's year) */
    int64_t unit_id, site_id;
    const char *page_url, *channel, *subject, *content;
    const char *requester, *contact, *requester_type;
    int64_t received_at;
    const char *rule;    /* NULL: case_rule_for */
    const char *actor;   /* NULL: "govsite" */
    const char *payload; /* a JSON object for the receive event (provenance), or NULL */
};
/* Add an item and its receive event in one transaction.  *number (may be NULL) gets the
 * tracking number (caller frees).  RC_CONFLICT when the number exists; RC_INVALID for a
 * bad field (the message names it and the accepted values), a receipt in the future or
 * outside the calendar. */
enum rc case_add(struct case_ctx *x, const struct case_new *n, char **number, struct err *err);

/* One step of the workflow. */
struct case_action {
    const char *type;    /* a transition's name (or Chinese name) */
    int64_t at;          /* when it happened; 0: now */
    int days;            /* extend: working days; 0: all the rule has left */
    const char *outcome; /* key, code or Chinese name; NULL: the transition's default */
    const char *note;
    const char *reply;   /* answer: the reply text (stored on the item), or NULL */
    int reply_public;    /* answer: 1 public, 0 not, -1 unchanged */
    int64_t unit_id;     /* assign: the new unit */
    const char *actor;   /* NULL: "govsite" */
    unsigned roles;      /* who acts: CASE_ROLE_* mask */
    const char *payload; /* extra JSON object for the event, or NULL */
};
/* Apply a step to the item `number` in one transaction: check it (kind, state, role,
 * time order, required fields, the deadline engine's limits), append the event and
 * update the item's replay columns.  A refusal is RC_INVALID (RC_FORBIDDEN for the
 * role) and says which steps are allowed from the current state, e.g. "cannot review
 * ZC-2018-0003: it is 已收到 (received); allowed now: assign, handle, answer, reject,
 * withdraw, note".  RC_BUSY when another writer recorded a step on the item at the
 * same time (nothing written; try again).  `after` (may be NULL) gets the state right
 * after the step. */
enum rc case_act(struct case_ctx *x, const char *number, const struct case_action *a,
                 struct case_state *after, struct err *err);

/* Change descriptive fields (NULL: unchanged; "" clears).  Appends an `edit` event that
 * names the changed fields (with old and new values, except personal data, which is
 * only said to have changed).  *changed (may be NULL) gets the number of fields changed;
 * nothing is written when it is 0. */
struct case_edit {
    int64_t unit_id, site_id; /* 0: unchanged */
    const char *page_url, *channel, *subject, *content;
    const char *requester, *contact, *requester_type;
    const char *reply;
    int reply_public; /* -1 unchanged */
    const char *actor;
    const char *note;
};
enum rc case_edit(struct case_ctx *x, const char *number, const struct case_edit *ed, int *changed,
                  struct err *err);

/* The steps `roles` may take on `it` now (for the dashboard's buttons): the transitions
 * of its kind that leave its current state, allowed to a role in `roles`, whose guards
 * hold (补正 only once; extension only when the rule has days left; pause only when the
 * rule stops the clock).  Writes up to `max` pointers; returns how many there are. */
size_t case_allowed(const struct case_ctx *x, const struct case_item *it, unsigned roles,
                    const struct case_transition **out, size_t max);
/* "assign, handle, answer, reject, withdraw, note" (for messages). */
void case_allowed_list(const struct case_ctx *x, const struct case_item *it, unsigned roles,
                       struct buf *out);

/* --- Rendering ------------------------------------------------------------------------------- */

enum case_view {
    CASE_VIEW_MASKED, /* personal data masked: exports, reports, users without the right */
    CASE_VIEW_FULL,   /* shown: the office and the responsible unit */
};
/* Masks: a name keeps its first character (张三 → 张*, 欧阳娜娜 → 欧***); a mobile number
 * keeps its first 3 and last 4 digits (138****5678), other phone numbers their last 4; an
 * e-mail address the first character of the local part (z***@example.com); anything else
 * its first character.  An organisation's name (requester type other than a person) is
 * not personal data and is left as it is by case_requester_text. */
void case_mask_name(const char *name, struct buf *out);
void case_mask_contact(const char *contact, struct buf *out);
/* The requester and contact as `view` allows, appended to out ("" when empty). */
void case_requester_text(const struct case_item *it, enum case_view view, struct buf *out);
void case_contact_text(const struct case_item *it, enum case_view view, struct buf *out);

/* One event as a line of the timeline, in Chinese, e.g.
 * "2018年11月5日 10:00 王科员 转办：示范市人社局（备注：请核实）". */
void case_event_text(const struct case_ctx *x, const struct case_event *e, struct buf *out);

/* The item as a JSON object: its fields (personal data as `view` allows; "personal_data"
 * says "shown" or "masked"), the state `st` (status, due, timing, replied, closed,
 * outcome), "allowed" (the steps `roles` may take; omitted when roles is 0), the deadline
 * as deadline_json writes it (with `explain`: the Chinese lines and steps) and, with
 * `events`, the audit trail as case_events_json writes it. */
void case_json(struct jw *w, const struct case_ctx *x, const struct case_item *it,
               const struct case_state *st, enum case_view view, unsigned roles,
               const struct deadline_explain *explain, bool events);
/* What the public side of `serve` shows a citizen who looks up their own item with its
 * tracking number and lookup code: {number, kind, kind_cn, unit, received, status,
 * status_cn, open, due (null while the clock is stopped), paused, replied, closed,
 * outcome, outcome_cn, reply}.  "reply" is the reply text only when the reply is marked
 * public (it->reply_public), else null.  Never the requester's personal data, the
 * subject or content, the rule, notes or events (an internal step shows only as the
 * status it leads to). */
void case_public_json(struct jw *w, const struct case_ctx *x, const struct case_item *it,
                      const struct case_state *st);

/* The events as a JSON array of {seq, type, type_cn, at, recorded_at, actor, from, to,
 * days, outcome, unit, note, payload, text}. */
void case_events_json(struct jw *w, const struct case_ctx *x, const struct case_item *it);

/* --- Queries as of a moment ------------------------------------------------------------------ */

enum case_which {
    CASE_LIST_ALL,
    CASE_LIST_OPEN,     /* open at as_of */
    CASE_LIST_CLOSED,   /* closed at as_of */
    CASE_LIST_OVERDUE,  /* open and overdue at as_of */
    CASE_LIST_DUE_SOON, /* open, not overdue, due by the end of the due_within-th working day
                         * after as_of's day (0: today) */
};
struct case_filter {
    unsigned kinds;   /* CASE_KIND_BIT mask; 0 = all */
    int64_t unit_id;  /* 0 = any (the unit at as_of) */
    int64_t site_id;  /* 0 = any */
    int32_t from, to; /* receipt dates, both included; DATE_NONE = open end */
    int64_t as_of;    /* 0: now; items received after it are left out */
    enum case_which which;
    int due_within; /* CASE_LIST_DUE_SOON: working days */
    size_t limit;   /* 0 = no limit */
};
struct case_list {
    VEC(struct case_item) items;   /* by receipt, then number */
    VEC(struct case_state) states; /* states.v[i] is items.v[i] at as_of */
    struct arena arena;            /* the items' strings and events */
};
/* Items matching f with their states at f->as_of.  Release with case_list_release. */
enum rc case_query(struct case_ctx *x, const struct case_filter *f, struct case_list *out,
                   struct err *err);
void case_list_release(struct case_list *l);

/* --- Pages of items now (the dashboard's lists) ----------------------------------------------
 *
 * case_query replays every matching item, which is right for any moment but reads every
 * event; a list of 100,000 items shown 50 at a time needs less.  case_page reads one page
 * of items as they stand *now* from the replay columns of `cases` (rewritten by every
 * event, so they are the replay at the last event; only the timing of an open item moves
 * with the clock, and it is computed here), in a chosen order, by keyset (store/keyset.h)
 * or offset, with no event read.  The filters mean what they mean for case_query at now;
 * tests/unit/test_cases.c checks that both give the same items and timings.  An item's
 * state from case_page has the deadline's due time and paused flag only (dl.due,
 * dl.due_day, dl.paused) and no events: load it with case_get for anything more. */
enum case_sort {
    CASE_SORT_RECEIVED, /* by receipt (index cases_received_id and the per-unit one) */
    CASE_SORT_DUE,      /* by due time; items whose clock is stopped last */
    CASE_SORT_NUMBER,   /* by tracking number */
};
/* "received", "-received" (descending), "due", "number"; false when unknown. */
bool case_sort_parse(const char *s, enum case_sort *sort, bool *desc);
const char *case_sort_key(enum case_sort s); /* "received" */

struct case_page_q {
    unsigned kinds;   /* CASE_KIND_BIT mask; 0 = all */
    int64_t unit_id;  /* 0 = any (the responsible unit now) */
    int64_t site_id;  /* 0 = any */
    int32_t from, to; /* receipt dates, both included; DATE_NONE = open end */
    enum case_which which;
    int due_within; /* CASE_LIST_DUE_SOON: working days */
    const char *q;  /* substring of the number or the subject (% and _ literal); NULL */
    enum case_sort sort;
    bool desc;
    struct keyset pos; /* the page after (or before) this position; unset = the first */
    int64_t offset;    /* used only without a position */
    size_t limit;      /* 0 = no limit */
};
/* The page: out->items and out->states (release with case_list_release). */
enum rc case_page(struct case_ctx *x, const struct case_page_q *q, struct case_list *out,
                  struct err *err);
/* How many items match q's filters (position, offset and limit ignored). */
enum rc case_page_count(struct case_ctx *x, const struct case_page_q *q, int64_t *n,
                        struct err *err);
/* The keyset cursor of an item's position in q's order, appended to out. */
void case_page_cursor(const struct case_page_q *q, const struct case_item *it, struct buf *out);
/* After a local calendar override of `day` changed (x loaded with the new calendar):
 * replay the items whose period can pass over the day and rewrite their stored due time
 * where it moved, so lists and counts see it at once.  *changed (may be NULL) gets the
 * number of items rewritten.  One transaction. */
enum rc case_refresh_due(struct case_ctx *x, int32_t day, int *changed, struct err *err);

/* The items of `f` (with their states at f->as_of) as CSV in the import's format: the
 * header is the field keys of case_fields[] (number, received, unit, site, ...), then
 * kind, rule, due and timing, which an import ignores.  Personal data is always masked
 * (exports are not a way around case_role_sees_personal); importing the export again
 * changes nothing, and importing it into another database gives the same statistics. */
enum rc case_export_csv(struct case_ctx *x, const struct case_filter *f, struct buf *out,
                        struct err *err);

/* Statistics of the items received in [from, to] (civil dates) as of `as_of`:
 *   received        items received in the period (by as_of)
 *   closed          closed at as_of = closed_on_time + closed_late
 *   closed_on_time  replied no later than the due time
 *   closed_late     replied after it
 *   open_not_due    open, due time not passed (or clock stopped)
 *   open_overdue    open and past the due time
 *   on_time_rate    closed_on_time / (closed + open_overdue); undefined (rate_defined =
 *                   false, JSON null) when that is 0.  Items still inside their limit are
 *                   neither on time nor late: the seed's 18 received, 15 answered in time,
 *                   100%.
 *   mean_days, mean_working_days  over closed items: calendar days from the receipt day
 *                   to the reply day, and working days after the receipt day up to and
 *                   including the reply day (cal_count).
 * docs/cases.md works the seed's figures through. */
struct case_stats {
    int received, closed, closed_on_time, closed_late, open_not_due, open_overdue;
    bool rate_defined;
    double on_time_rate;
    double mean_days, mean_working_days; /* 0 when nothing is closed */
    double sum_days, sum_working_days;   /* the sums behind the means */
};
enum case_group { CASE_BY_NONE, CASE_BY_UNIT, CASE_BY_SITE, CASE_BY_KIND };
/* "unit", "site", "kind" (and 单位, 网站, 类型); false when unknown. */
bool case_group_parse(const char *s, enum case_group *out);
struct case_stats_group {
    int64_t id;        /* unit or site id, or the kind; 0 for "no site" */
    const char *label; /* arena */
    struct case_stats s;
};
struct case_stats_result {
    struct case_stats total;
    VEC(struct case_stats_group) groups; /* when grouped: by label */
    struct arena arena;
};
enum rc case_stats(struct case_ctx *x, unsigned kinds, int32_t from, int32_t to, int64_t as_of,
                   enum case_group by, struct case_stats_result *out, struct err *err);
void case_stats_release(struct case_stats_result *r);
/* The JSON object `case stats --json` prints: kinds, from, to, as_of, the fields of the
 * total (received, closed, closed_on_time, closed_late, open_not_due, open_overdue,
 * on_time_rate or null, mean_days, mean_working_days) and, when grouped, "by" and
 * "groups" (the same fields, keyed by unit, site or kind). */
void case_stats_json(struct jw *w, const struct case_ctx *x, unsigned kinds, int32_t from,
                     int32_t to, int64_t as_of, enum case_group by,
                     const struct case_stats_result *res);

/* Outcomes for the annual report (section 三 of the disclosure report): items of `kinds`
 * replied (judged) in [from, to] and still closed at `as_of`, counted by outcome and
 * requester type.  counts[i][j]: outcome case_outcomes[i], requester type
 * case_requester_types[j]; column CASE_NREQTYPES counts items whose type was not
 * recorded.  `counts` has case_noutcomes rows and is zeroed first. */
#define CASE_NREQTYPES 6
enum rc case_outcome_counts(struct case_ctx *x, unsigned kinds, int32_t from, int32_t to,
                            int64_t as_of, int (*counts)[CASE_NREQTYPES + 1], struct err *err);

/* For the site verdict (国办秘函〔2019〕19号).
 *
 * Single veto 5(2): in the year before `at`, a consultation left unanswered for more
 * than 3 months.  Lists the items of `kinds` (consultation and complaint are the 政务
 * 咨询类 messages) on `site_id` received in (at − 1 year, at] that were not rejected or
 * withdrawn and whose reply came more than 3 calendar months after the receipt, or that
 * were still unanswered at `at` more than 3 months after it. */
struct case_slow_reply {
    const char *number; /* arena */
    int64_t received_at;
    int64_t replied_at; /* 0: still unanswered at `at` */
    int days;           /* calendar days without an answer (to the reply, or to `at`) */
};
enum rc case_site_unanswered(struct case_ctx *x, int64_t site_id, unsigned kinds, int64_t at,
                             struct arena *a, struct case_slow_reply **out, size_t *n,
                             struct err *err);
/* Deduction 互动交流 "no reply for 2 months": the latest reply on `site_id` to items of
 * `kinds` at or before `at` (0 when none), and the replies and receipts in the `months`
 * calendar months before `at`.  The check is "replies_in_window == 0". */
struct case_reply_activity {
    int64_t last_reply_at;
    int replies_in_window;
    int received_in_window;
};
enum rc case_site_reply_activity(struct case_ctx *x, int64_t site_id, unsigned kinds, int64_t at,
                                 int months, struct case_reply_activity *out, struct err *err);

/* --- Import from CSV ------------------------------------------------------------------------- */

/* The fields a CSV column can fill, with the header names recognised without a mapping
 * (docs/cases.md lists them). */
enum case_field {
    CASE_F_NUMBER,
    CASE_F_UNIT,
    CASE_F_SITE,
    CASE_F_PAGE_URL,
    CASE_F_CHANNEL,
    CASE_F_RECEIVED,
    CASE_F_SUBJECT,
    CASE_F_CONTENT,
    CASE_F_REQUESTER,
    CASE_F_CONTACT,
    CASE_F_REQUESTER_TYPE,
    CASE_F_STATUS,
    CASE_F_HANDLED,
    CASE_F_CLOSED,
    CASE_F_OUTCOME,
    CASE_F_REPLY,
    CASE_F_REPLY_PUBLIC,
    CASE_NFIELDS
};
struct case_field_info {
    const char *key;     /* "received": the name used in mappings */
    const char *headers; /* recognised header names, '|'-separated */
    const char *help;
};
extern const struct case_field_info case_fields[CASE_NFIELDS];

/* A header-to-field mapping: for each field, the header names to look for (NULL: the
 * defaults of case_fields[]).  Owned strings; release with case_map_release. */
#define CASE_MAP_MAX 4096 /* bytes in a mapping */
struct case_map {
    char *headers[CASE_NFIELDS];
};
/* Parse "field=header,field=header|other header" (the command-line form) or a mapping
 * file's text: lines "field = header" (or "header" alternatives separated by '|'),
 * blank lines and '#' comments.  `name` names the source in messages (file:line).
 * RC_INVALID names an unknown field and lists them. */
enum rc case_map_parse(const char *name, const char *text, size_t n, struct case_map *m,
                       struct err *err);
void case_map_release(struct case_map *m);

/* One data row, parsed and checked without the database (so it can be fuzzed). */
struct case_row {
    long line;
    const char *f[CASE_NFIELDS]; /* trimmed field text; NULL when the column is absent */
    int64_t received_at, handled_at, closed_at; /* 0 when empty */
    const struct case_term *channel, *requester_type;
    const struct case_outcome *outcome;
    int state;        /* CASE_ROW_OPEN, CASE_ROW_DONE, CASE_ROW_INVALID, CASE_ROW_WITHDRAWN */
    int reply_public; /* -1 not given */
};
enum { CASE_ROW_OPEN, CASE_ROW_DONE, CASE_ROW_INVALID, CASE_ROW_WITHDRAWN };
/* Bind the header record of `c` (just read) to fields: idx[f] is the column, or -1.
 * RC_INVALID when a mapped header is missing or a required field (number, received) has
 * no column; the message lists the header names tried. */
struct csv;
enum rc case_header_bind(const struct csv *c, const struct case_map *m, int idx[CASE_NFIELDS],
                         struct err *err);
/* Parse the current record of `c` as a row of kind k.  `scratch` holds the trimmed
 * field text (reset by the caller per row).  RC_INVALID names the field and the fix. */
enum rc case_row_parse(const struct csv *c, const int idx[CASE_NFIELDS], enum case_kind k,
                       int tzoff, struct buf *scratch, struct case_row *r, struct err *err);

struct case_import_result {
    int rows;    /* data rows read */
    int added;   /* new items */
    int updated; /* existing items that changed (fields or new events) */
    int unchanged;
};
/* Import a CSV file (UTF-8 or GB18030; "-" = stdin) of items of kind k: all rows are
 * checked first (bad ones go to `bad` as FILE:LINE: reason, then RC_INVALID and nothing
 * is written), then everything is written in one transaction.  Idempotent on the
 * tracking number: a known number is compared and only what changed is written (an
 * edit event for fields, the workflow steps for a closure the file adds); importing the
 * same file twice reports 0 added, 0 updated.  Closed items get their events
 * synthesised (receive, then handle/review, answer, reject or withdraw at the file's
 * times) so statistics count them.  `m` may be NULL (default headers). */
enum rc case_import(struct case_ctx *x, enum case_kind k, const char *path,
                    const struct case_map *m, const char *actor, struct case_import_result *res,
                    struct notes *bad, struct err *err);
enum rc case_import_mem(struct case_ctx *x, enum case_kind k, const char *name, const char *data,
                        size_t n, const struct case_map *m, const char *actor,
                        struct case_import_result *res, struct notes *bad, struct err *err);

#endif
