/* url.h - URL normalisation and resolution with curl's URL API (CURLU).
 *
 * The normal form (what the store keeps and what de-duplication compares):
 *   scheme and host lower-case; default port dropped; dot segments removed; fragment
 *   dropped; query kept; non-ASCII and spaces percent-encoded; every percent-escape in
 *   upper-case hex (%E4%B8%AD); an empty path becomes "/".
 * Only http and https URLs are resolved; other schemes (mailto:, javascript:, tel:,
 * data:, ...) are reported as such, so callers can count them without fetching.
 */
#ifndef CORE_URL_H
#define CORE_URL_H

#include <stdbool.h>
#include <stddef.h>

#include "core/err.h"

enum url_kind {
    URL_HTTP,       /* http or https: resolvable */
    URL_MAILTO,
    URL_JAVASCRIPT,
    URL_TEL,
    URL_DATA,
    URL_OTHER,      /* ftp:, file:, weird schemes */
    URL_EMPTY,      /* "", "#", "#anchor": same page */
};

/* Classify an href as written in a page (leading/trailing whitespace ignored). */
enum url_kind url_kind_of(const char *href);

/* Normalise an absolute http(s) URL; *out is malloc'd (caller frees).  RC_INVALID with
 * the reason when it is not one. */
enum rc url_normalize(const char *in, char **out, struct err *err);

/* A parsed base URL, reused to resolve many hrefs of one page. */
struct url_base {
    void *h;       /* CURLU * */
    char *url;     /* the normalised base (owned) */
};

enum rc url_base_init(struct url_base *b, const char *base, struct err *err);
void url_base_release(struct url_base *b);
/* Resolve href against b and normalise; RC_INVALID for non-http results or bad input. */
enum rc url_base_resolve(const struct url_base *b, const char *href, char **out,
                         struct err *err);
/* The same, always through curl (url_base_resolve takes a faster path for plain relative
 * references that gives the same bytes; tests compare the two). */
enum rc url_base_resolve_curl(const struct url_base *b, const char *href, char **out,
                              struct err *err);
/* One-shot resolution. */
enum rc url_resolve(const char *base, const char *href, char **out, struct err *err);

/* Lower-case host of an absolute URL into out; false when there is none. */
bool url_host(const char *url, char *out, size_t n);
/* The path+query of an absolute URL (pointer into url; "/" when empty). */
const char *url_path(const char *url);

#endif
