/* charset.h - bytes from outside (pages, CSV files, feeds) to UTF-8, with iconv + uchardet.
 *
 * Chinese government sites and Excel exports are often GBK/GB2312/GB18030 (and Big5 in
 * places), sometimes mislabelled.  Labels are mapped the way browsers do (WHATWG): gb2312,
 * gbk, x-gbk, gb18030 all decode as GB18030, which is their superset; big5 as
 * BIG5-HKSCS; latin1/ascii labels as windows-1252.
 *
 * Conversion never fails on bad bytes: each invalid or truncated sequence becomes U+FFFD
 * and is counted, so a broken page still yields its text and links.
 */
#ifndef CORE_CHARSET_H
#define CORE_CHARSET_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"

/* Canonical iconv name for a label ("gb2312" -> "GB18030", "utf8" -> "UTF-8"), or NULL
 * when the label is unknown.  The result is a static string. */
const char *charset_canonical(const char *label);
/* Guess with uchardet; returns a canonical name, or NULL when unsure.  Static string. */
const char *charset_detect(const char *in, size_t n);
/* Look for <meta charset=...> or http-equiv Content-Type in the first 2048 bytes (the
 * HTML prescan).  Writes the raw label into out (NUL-terminated); false when absent. */
bool charset_sniff_meta(const char *in, size_t n, char *out, size_t outsz);
/* Convert `in` from `charset` (canonical or label) to UTF-8, appending to out.  Returns
 * the number of invalid sequences replaced by U+FFFD, or -1 when the charset is unknown
 * (nothing appended). */
long charset_convert(const char *in, size_t n, const char *charset, struct buf *out);

/* What charset_decode decided. */
struct charset_result {
    const char *used;     /* canonical name used for the conversion (static) */
    const char *declared; /* what the header or meta said, canonical, or NULL */
    bool mismatch;        /* a declared charset was present but wrong for the bytes */
    bool detected;        /* `used` came from detection, not a declaration */
    long invalid;         /* sequences replaced by U+FFFD */
};

/* The crawler's policy: the HTTP header's charset, else the meta tag's, else UTF-8 when
 * the bytes are valid UTF-8, else detection (falling back to GB18030).  A declaration
 * that produces many invalid sequences while another candidate decodes cleanly is
 * overruled and flagged as a mismatch.  A UTF-8 BOM always wins.  Appends to out. */
void charset_decode(const char *in, size_t n, const char *header_charset, struct buf *out,
                    struct charset_result *res);

/* Decode a text file's bytes (CSV and similar): BOM (UTF-8/UTF-16) first, then valid
 * UTF-8, then GB18030 when that decodes cleanly, then detection.  The BOM is dropped. */
void charset_decode_text(const char *in, size_t n, struct buf *out, struct charset_result *res);

#endif
