/* utf8.h - UTF-8 helpers: validation, decoding, safe truncation, width folding.
 *
 * Everything inside govsite is UTF-8; text from outside is converted at the edge
 * (core/charset.h).  These functions never read past `n` and never fail on invalid
 * bytes: decoding yields U+FFFD and advances one byte.
 */
#ifndef CORE_UTF8_H
#define CORE_UTF8_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"

#define UTF8_REPLACEMENT 0xFFFD

bool utf8_valid(const char *s, size_t n);
/* Length of the longest valid UTF-8 prefix of s. */
size_t utf8_valid_prefix(const char *s, size_t n);
/* Decode one code point at s (n bytes available); *len gets the bytes consumed (>= 1
 * when n > 0).  Invalid or truncated sequences give U+FFFD with *len = 1. */
uint32_t utf8_decode(const char *s, size_t n, size_t *len);
/* Append the encoding of cp (invalid code points become U+FFFD). */
void utf8_encode(struct buf *b, uint32_t cp);
size_t utf8_count(const char *s, size_t n); /* code points */
/* Bytes in the first `chars` code points of s (never splits a sequence). */
size_t utf8_prefix_bytes(const char *s, size_t n, size_t chars);
/* Append s with every invalid byte replaced by U+FFFD. */
void utf8_sanitize(struct buf *out, const char *s, size_t n);
/* Append s with full-width ASCII forms (U+FF01..U+FF5E) folded to ASCII, U+3000 and
 * other Unicode spaces to ' ', and ASCII letters lowered; used to compare titles. */
void utf8_fold(struct buf *out, const char *s, size_t n);
/* True for code points that are CJK ideographs (the common blocks). */
bool utf8_is_cjk(uint32_t cp);

#endif
