/* json.h - a streaming JSON writer on struct buf (git json-writer style).
 *
 *   struct jw w; jw_init(&w, &b, true);
 *   jw_arr(&w);
 *     jw_obj(&w); jw_kstr(&w, "site", name); jw_kint(&w, "pages", n); jw_end(&w);
 *   jw_end(&w);
 *
 * The writer inserts commas and (when `pretty`) newlines and two-space indentation.
 * Strings are escaped by esc_json (always valid UTF-8 out).  Misuse (a value where a key
 * is due, unbalanced ends, nesting beyond JW_MAX_DEPTH) is a programmer error: BUG().
 * Output is deterministic: same calls, same bytes.
 *
 * We write our own writer rather than build json-c objects: output is streamed (a report
 * of a million rows never sits in memory as a tree) and byte-identical across versions.
 * Parsing incoming JSON (API request bodies) uses json-c in web/.
 */
#ifndef CORE_JSON_H
#define CORE_JSON_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

#define JW_MAX_DEPTH 32

struct jw {
    struct buf *b;                  /* output (borrowed) */
    bool pretty;                    /* newlines and indentation */
    int depth;                      /* open containers */
    char kind[JW_MAX_DEPTH];        /* '{' or '[' per level */
    bool nonempty[JW_MAX_DEPTH];    /* a member was written at this level */
    bool after_key;                 /* a key was written, its value is due */
};

void jw_init(struct jw *w, struct buf *b, bool pretty);
void jw_obj(struct jw *w);
void jw_arr(struct jw *w);
void jw_end(struct jw *w); /* closes the innermost container */
void jw_key(struct jw *w, const char *k);
void jw_str(struct jw *w, const char *s); /* NULL writes null */
void jw_strn(struct jw *w, const char *s, size_t n);
void jw_int(struct jw *w, int64_t v);
void jw_double(struct jw *w, double v); /* non-finite writes null */
void jw_bool(struct jw *w, bool v);
void jw_null(struct jw *w);
void jw_raw(struct jw *w, const char *json); /* a pre-rendered JSON value */
void jw_date(struct jw *w, int32_t day);     /* "YYYY-MM-DD", or null for DATE_NONE */
void jw_time(struct jw *w, int64_t t, int tzoff); /* ISO 8601 with offset; 0 writes null */

/* key + value shorthands */
void jw_kstr(struct jw *w, const char *k, const char *s);
void jw_kint(struct jw *w, const char *k, int64_t v);
void jw_kdouble(struct jw *w, const char *k, double v);
void jw_kbool(struct jw *w, const char *k, bool v);
void jw_knull(struct jw *w, const char *k);
void jw_kdate(struct jw *w, const char *k, int32_t day);
void jw_ktime(struct jw *w, const char *k, int64_t t, int tzoff);
/* True when s[0..n) is one well-formed JSON value (RFC 8259, UTF-8, nesting up to
 * 2 * JW_MAX_DEPTH) with nothing but whitespace around it.  `kind` '{' or '[' also
 * requires an object or an array; 0 accepts any value.  Used to check JSON that
 * reaches jw_raw from elsewhere (stored evidence). */
bool json_valid(const char *s, size_t n, char kind);
/* Finish: BUG() unless every container was closed; appends a final newline when pretty. */
void jw_finish(struct jw *w);

#endif
