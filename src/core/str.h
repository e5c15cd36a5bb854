/* str.h - string views and small, strict string helpers.
 *
 * A `struct str` is a borrowed view {p, n} into someone else's bytes (h2o iovec); it is
 * not NUL-terminated and owns nothing.  Parsers take views and advance them on success
 * (curl strparse): `str_word(&line, &w) && str_skip_ws(&line)`.
 *
 * The number parsers are strict: the whole text must be a number in range, no leading
 * "+", no trailing junk, so "12abc" and "" fail.  atoi/strtol are banned (core/banned.h).
 */
#ifndef CORE_STR_H
#define CORE_STR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct str {
    const char *p; /* first byte (borrowed) */
    size_t n;      /* length in bytes */
};

#define STR_LIT(s) ((struct str){ (s), sizeof(s) - 1 })

struct str str_of(const char *s); /* view of a C string (NULL gives an empty view) */
bool str_eq(struct str a, struct str b);
bool str_eqs(struct str a, const char *s);
bool str_starts(struct str a, const char *prefix);
bool str_ends(struct str a, const char *suffix);
bool str_ieq_ascii(struct str a, const char *s); /* ASCII case-insensitive */
struct str str_trim(struct str a);               /* ASCII whitespace and U+3000 both ends */
/* Split at the first `sep` byte: *head gets what is before it, `a` advances past it.
 * Returns false (and gives all of `a` to *head) when sep is absent. */
bool str_split(struct str *a, char sep, struct str *head);
/* Find `needle` in `a`; returns the offset or -1. */
long str_find(struct str a, const char *needle);
char *str_dup(struct str a); /* caller frees; NUL-terminated copy */

/* Strict decimal parsing of a whole string. */
bool str_to_i64(struct str a, int64_t *out);
bool str_to_int(struct str a, int lo, int hi, int *out);
bool str_to_double(struct str a, double *out);
bool cstr_to_i64(const char *s, int64_t *out);
bool cstr_to_int(const char *s, int lo, int hi, int *out);

/* ASCII-only helpers (locale-independent). */
bool ascii_isspace(int c);
bool ascii_isdigit(int c);
bool ascii_isalpha(int c);
bool ascii_isalnum(int c);
int ascii_tolower(int c);
int ascii_casecmp(const char *a, const char *b);
int ascii_ncasecmp(const char *a, const char *b, size_t n);
/* Case-insensitive search for ASCII needle in haystack of length n. */
const char *ascii_casestr(const char *hay, size_t n, const char *needle);

/* True when s is NULL or "". */
static inline bool str_empty(const char *s)
{
    return !s || !*s;
}

#endif
