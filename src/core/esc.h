/* esc.h - escaping for every output format, in one place.
 *
 * Every byte that reaches HTML, XML, JSON, CSV or a URL from data goes through one of
 * these (docs/ARCHITECTURE.md, "Security").  Input is UTF-8; invalid bytes are replaced
 * by U+FFFD so the output is always valid UTF-8.
 */
#ifndef CORE_ESC_H
#define CORE_ESC_H

#include <stddef.h>

#include "core/buf.h"

/* & < > " ' → entities; safe in element content and in quoted attribute values. */
void esc_html(struct buf *b, const char *s);
void esc_html_n(struct buf *b, const char *s, size_t n);
/* As esc_html, also dropping the characters XML 1.0 forbids: C0 controls other than TAB,
 * LF and CR, and U+FFFE/U+FFFF (surrogates and invalid bytes become U+FFFD). */
void esc_xml(struct buf *b, const char *s);
/* A JSON string literal including the quotes; control characters as \uXXXX; "</" as
 * "<\/" so the output is safe inside <script>. NULL gives `null`. */
void esc_json(struct buf *b, const char *s);
void esc_json_n(struct buf *b, const char *s, size_t n);
/* One CSV field (RFC 4180): quoted when it holds , " CR LF or leading/trailing space;
 * fields starting with = + - @ are prefixed with ' to defuse spreadsheet formulas. */
void esc_csv(struct buf *b, const char *s);
/* Percent-encode everything but unreserved characters (RFC 3986). */
void esc_url(struct buf *b, const char *s);

#endif
