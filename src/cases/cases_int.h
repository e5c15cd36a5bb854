/* cases_int.h - shared between the files of src/cases/ only (cases.h is the API). */
#ifndef CASES_CASES_INT_H
#define CASES_CASES_INT_H

#include "cases/cases.h"

/* s is one of the '|'-separated words of list (ASCII case-insensitive). */
bool case__in_list(const char *s, const char *list);

/* The columns every item loader selects, in this order (case__item_read reads them). */
#define CASE__ITEM_COLS                                                                           \
    "c.id, c.number, c.kind, c.unit_id, COALESCE(c.site_id, 0), COALESCE(u.short_name, u.name), " \
    "s.name, c.page_url, c.channel, c.received_at, c.subject, c.content, c.requester, "           \
    "c.contact, c.requester_type, c.rule, c.reply, c.reply_public, c.status, "                    \
    "COALESCE(c.due_at, 0), COALESCE(c.replied_at, 0), COALESCE(c.closed_at, 0), c.outcome, "     \
    "c.created_at, c.updated_at "
#define CASE__ITEM_FROM \
    "FROM cases c JOIN units u ON u.id = c.unit_id LEFT JOIN sites s ON s.id = c.site_id "
/* The event columns, in the order case__event_read reads them. */
#define CASE__EVENT_COLS                                                                         \
    "e.case_id, e.id, e.seq, e.type, e.at, e.recorded_at, e.actor, e.from_status, e.to_status, " \
    "COALESCE(e.days, 0), e.outcome, COALESCE(e.unit_id, 0), e.note, e.payload "

/* Read one row of CASE__ITEM_COLS into it (strings copied into a).  False when a stored
 * value is unknown to this binary (kind or status): the row is skipped with err set. */
bool case__item_read(struct stmt *st, struct arena *a, struct case_item *it, struct err *err);
/* Read one row of CASE__EVENT_COLS; *case_id gets the item's id. */
bool case__event_read(struct stmt *st, struct arena *a, struct case_event *e, int64_t *case_id,
                      struct err *err);

/* Replay as case_state_at, with the events ev[0..n) in place of it->ev. */
enum rc case__replay(const struct case_ctx *x, const struct case_item *it,
                     const struct case_event *ev, size_t n, int64_t as_of, struct case_state *st,
                     struct deadline_explain *explain, struct err *err);

/* Check the step `a` on `it` (whose events are it->ev) and fill *e with the event it
 * makes (strings borrowed from a and it; e->seq is the next one) and *after with the
 * state right after it.  `now` bounds the event's time.  Nothing is written. */
enum rc case__step(const struct case_ctx *x, const struct case_item *it,
                   const struct case_action *a, int64_t now, struct case_event *e,
                   struct case_state *after, struct err *err);

/* Append the event e to item id and rewrite the item's replay columns from *st (and,
 * for answer, its reply).  Inside the caller's transaction. */
enum rc case__write_event(struct case_ctx *x, int64_t id, const struct case_event *e,
                          const struct case_state *st, const struct case_action *a, int64_t now,
                          struct err *err);

/* Insert the item described by n (number already decided, unit resolved) and its
 * receive event; *id gets the new row id.  Inside the caller's transaction. */
enum rc case__insert(struct case_ctx *x, const struct case_new *n, const char *number,
                     const struct deadline_rule *rule, int64_t now, int64_t *id, struct err *err);

/* Check the fields of a new item (channel, requester type, receipt, lengths, rule):
 * RC_INVALID naming the field.  *rule gets the rule. */
enum rc case__check_new(const struct case_ctx *x, const struct case_new *n,
                        const struct deadline_rule **rule, int64_t now, struct err *err);

/* The next free generated number for kind k and the receipt's year (uses and bumps
 * case_counters).  Inside the caller's transaction.  Caller frees. */
enum rc case__next_number(struct case_ctx *x, enum case_kind k, int64_t received, char **out,
                          struct err *err);

/* Check a tracking number given by a user or a file: 1..CASE_NUMBER_MAX bytes of UTF-8,
 * no control characters, no leading or trailing space. */
enum rc case__check_number(const char *s, struct err *err);

/* A working-day count from the receipt day to the reply day (cal_count of
 * (received day, reply day]); 0 when it cannot be computed. */
int case__working_days(const struct case_ctx *x, int64_t from, int64_t to);

#endif
