/* acm.h - a multi-pattern matcher (Aho–Corasick over bytes) with a compact automaton.
 *
 * Finds every occurrence of every pattern in one pass over the text, in time linear in
 * the text and independent of the number of patterns: a dictionary of thousands of
 * entries costs about what one costs.  Used by the wording check (wording.h) and
 * available to any check that looks for many fixed strings at once (required items,
 * retired URL prefixes).
 *
 *   struct acm *a = acm_new();
 *   acm_add(a, "卫计局", strlen("卫计局"));          returns the pattern's id: 0, 1, 2, ...
 *   acm_compile(a, 0);
 *   acm_scan(a, text, n, on_hit, ctx);               on_hit(id, start, end, ctx) per match
 *   acm_free(a);
 *
 * Patterns are byte strings (UTF-8 in practice; the matcher does not decode).  Since
 * UTF-8 is self-synchronising, a UTF-8 pattern found in valid UTF-8 text always starts
 * and ends on character boundaries.  The same text added twice gets two ids and both
 * are reported.  Matching is exact (no case folding).
 *
 * Layout: states are numbered in breadth-first order.  The shallowest states (those
 * the scan sits in nearly all the time) get full transition rows over byte classes
 * (bytes that occur in no pattern share one class), with failures resolved, so a step
 * is one add and one load.  Deeper states keep a compact record of their own edges, a
 * failure link and a shortcut to the first dense state of their failure chain.  The
 * dense part is capped by a byte budget, so memory stays small for any dictionary:
 * about 40 bytes per trie state plus the budget.  Each stored state carries a flag
 * bit telling whether any pattern ends there, so the inner loop tests no second array.
 * acm_scan_parts scans a large text as interleaved streams (acm.c explains).
 *
 * Ownership: the automaton copies nothing of the caller's after acm_add returns (the
 * pattern bytes are copied).  acm_scan only reads the automaton, so one compiled
 * automaton may be shared by threads.
 */
#ifndef CHECKS_ACM_H
#define CHECKS_ACM_H

#include <stddef.h>
#include <stdint.h>

struct acm;

/* Limits: patterns longer than this are refused by acm_add (returns UINT32_MAX). */
#define ACM_MAX_PATTERN 4096
/* Default budget for the dense rows when acm_compile is given 0. */
#define ACM_DENSE_BUDGET (1u << 20)

struct acm *acm_new(void);
void acm_free(struct acm *a); /* NULL-safe */
/* Add a pattern before acm_compile.  Returns its id (consecutive from 0), or UINT32_MAX
 * for an empty or over-long pattern.  BUG() after compile. */
uint32_t acm_add(struct acm *a, const void *pat, size_t n);
/* Build the automaton; `dense_budget` bytes for the dense rows (0 = default). */
void acm_compile(struct acm *a, size_t dense_budget);

/* Called for each occurrence: pattern id and its byte range [start, end) in the text.
 * Occurrences come in order of `end`; for one end, longer patterns first.  Return 0 to
 * go on, ACM_SKIP to skip the shorter patterns ending at the same place (they lie inside
 * this one), ACM_STOP to stop the scan. */
typedef int (*acm_hit_fn)(uint32_t id, size_t start, size_t end, void *ctx);
#define ACM_STOP 1
#define ACM_SKIP 2
/* Scan; returns the number of occurrences reported (skipped ones not counted).  BUG()
 * before compile. */
size_t acm_scan(const struct acm *a, const void *text, size_t n, acm_hit_fn fn, void *ctx);

/* The same occurrences for a large text, found faster: the text is cut into ACM_PARTS
 * consecutive parts scanned as interleaved streams (the memory latency of one stream's
 * step overlaps the others').  Occurrences ending in part k go to fn with ctx[k], in
 * order within the part; all of part k's come before part k+1's, so appending each
 * part's occurrences in part order gives exactly acm_scan's sequence.  A text shorter
 * than ACM_PARTS * ACM_PARTS_MIN is scanned plainly, all into ctx[0].  ACM_STOP from
 * any part stops the whole scan. */
#define ACM_PARTS     4
#define ACM_PARTS_MIN (16u << 10)
size_t acm_scan_parts(const struct acm *a, const void *text, size_t n, acm_hit_fn fn,
                      void *const ctx[ACM_PARTS]);

uint32_t acm_patterns(const struct acm *a); /* number of patterns added */
size_t acm_pattern_len(const struct acm *a, uint32_t id);
/* Statistics for benchmarks and docs. */
struct acm_stats {
    uint32_t states;  /* trie states */
    uint32_t dense;   /* states with a full row */
    uint32_t classes; /* byte classes */
    size_t bytes;     /* memory held by the compiled automaton */
};
void acm_get_stats(const struct acm *a, struct acm_stats *st);

#endif
