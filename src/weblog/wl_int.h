/* wl_int.h - what the weblog files share: the visitor-key hash and sets, the key codec,
 * the line parser and the client classification.  Not for use outside src/weblog/ (the
 * unit tests and the fuzz harness include it to test the pieces).
 */
#ifndef WEBLOG_WL_INT_H
#define WEBLOG_WL_INT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/buf.h"
#include "core/err.h"
#include "core/str.h"
#include "weblog/weblog.h"

/* ---- hashing (wl_keys.c) ----
 *
 * wl_hash is wyhash (final version 4, public domain, by Wang Yi) written out here: fast
 * (16 bytes per 64x64→128 multiply) and of good quality.  Its output is STORED (visitor
 * keys and file heads), so it must never change: a change is a new key version in the
 * codec header and a migration. */
uint64_t wl_hash(const void *p, size_t n, uint64_t seed);
/* The visitor key of a client: a hash of (hash of IP, hash of User-Agent); never 0. */
uint64_t wl_visitor_key(uint64_t ip_hash, uint64_t ua_hash);

/* A set of non-zero 64-bit keys (open addressing; the keys are already hashes). */
struct wl_set {
    uint64_t *v;
    size_t n, cap; /* live keys, slots (a power of two or 0) */
};
bool wl_set_add(struct wl_set *s, uint64_t k); /* true when k was new; k != 0 */
void wl_set_release(struct wl_set *s);
/* The keys in ascending order, in a new array (caller frees); *n their count. */
uint64_t *wl_set_sorted(const struct wl_set *s, size_t *n);
void wl_sort_u64(uint64_t *v, size_t n); /* radix sort, ascending */

/* ---- the key codec (wl_keys.c) ----
 *
 * A day's keys are stored as: byte 1 (codec version), the count n as a LEB128 varint, the
 * Rice parameter b (one byte, 0..63), then the gaps between successive sorted keys (the
 * first key, then k[i] - k[i-1] - 1) Rice-coded LSB first: the quotient gap >> b in unary
 * (that many 1 bits and a 0), then the low b bits.  With b = 63 - floor(log2 n) a day of
 * uniformly spread keys costs about 66 - log2 n bits per key (6.5 bytes at 10,000 keys
 * against 8 raw); the stream is decodable one key at a time, so a year of days is
 * counted by a k-way merge without expanding it. */
void wl_keys_encode(const uint64_t *sorted, size_t n, struct buf *out);

struct wl_kdec {
    const uint8_t *p, *end; /* the unread bytes */
    uint64_t acc;           /* buffered bits, LSB first */
    int nacc;               /* how many */
    uint64_t left;          /* keys still to decode */
    uint64_t last;          /* the previous key */
    int b;                  /* Rice parameter */
    bool first;
    bool bad; /* the blob is corrupt */
};
/* Start decoding; false (and d->bad) when the header is malformed. */
bool wl_kdec_init(struct wl_kdec *d, const void *blob, size_t n);
/* The next key in ascending order; false at the end or on corruption (then d->bad). */
bool wl_kdec_next(struct wl_kdec *d, uint64_t *key);
/* The number of keys the header announces (0 for a malformed header). */
uint64_t wl_keys_count(const void *blob, size_t n);
/* Distinct keys across several encoded sets (a k-way merge).  RC_DB when a blob is
 * corrupt, naming `what`. */
struct wl_blob {
    const void *p;
    size_t n;
};
enum rc wl_keys_distinct(const struct wl_blob *v, size_t n, const char *what, int64_t *out,
                         struct err *err);
/* The union of several encoded sets, encoded (appended to out): lets a long period be
 * counted a batch of days at a time in bounded memory. */
enum rc wl_keys_union(const struct wl_blob *v, size_t n, const char *what, struct buf *out,
                      struct err *err);

/* ---- formats and the line parser (wl_format.c) ---- */

enum wl_fld {
    F_IGNORE,
    F_ADDR,        /* $remote_addr, %h, c-ip */
    F_USER,        /* $remote_user, %u, cs-username */
    F_TIME_LOCAL,  /* 10/Jun/2025:13:55:36 +0800 (nginx $time_local) */
    F_TIME_APACHE, /* the same inside [ ] (Apache %t) */
    F_TIME_ISO,    /* 2025-06-10T13:55:36+08:00 */
    F_MSEC,        /* 1749534936.123 */
    F_DATE,        /* IIS date (UTC) */
    F_TIME,        /* IIS time (UTC) */
    F_REQUEST,     /* GET /path?q HTTP/1.1 */
    F_METHOD,
    F_URI,  /* path and query */
    F_PATH, /* path only */
    F_QUERY,
    F_STATUS,
    F_BYTES,
    F_REFERER,
    F_UA,
    F_HOST,
    F_XFF,
    F_CTYPE, /* response content type */
    F__COUNT
};

#define WL_MAX_STEPS 64
#define WL_MAX_LIT   32

struct wl_step {
    uint8_t field;        /* enum wl_fld */
    uint8_t nlit;         /* length of the literal after the field (0: to the end) */
    bool quoted;          /* the literal starts with '"' closing a quoted field */
    char lit[WL_MAX_LIT]; /* the literal that ends the field */
};

struct wl_format {
    char *spec;              /* canonical text, stored with the file (owned) */
    char *name;              /* "combined", "iis", "nginx", "apache" (owned) */
    bool iis;                /* W3C: '#' directives, '+' for spaces, '-' empty, UTC */
    bool broken;             /* W3C: the last #Fields directive lacks a needed field */
    char prefix[WL_MAX_LIT]; /* literal before the first field */
    uint8_t nprefix;
    struct wl_step steps[WL_MAX_STEPS];
    int nsteps;
    bool has[F__COUNT];
    /* time parse cache: the last date+zone text and its value */
    char tkey[20];
    size_t ntkey;
    int64_t tbase; /* UTC seconds of 00:00:00 local of that date */
};

/* Compile a format: a name (combined, common, main, iis), an nginx log_format string
 * ($variables), an Apache LogFormat string (%directives), or an IIS "#Fields: …" line.
 * RC_PARSE naming the problem (two fields with nothing between them, no time field). */
enum rc wl_format_compile(const char *spec, struct wl_format **out, struct err *err);
void wl_format_free(struct wl_format *f);
/* Guess the format from the first lines of a file; RC_PARSE when nothing fits. */
enum rc wl_format_detect(const char *text, size_t n, struct wl_format **out, struct err *err);

/* One parsed line: views into the line, valid while it is. */
struct wl_rec {
    struct str addr, xff, method, path, query, referer, ua, host, ctype;
    int64_t t;  /* the instant */
    int status; /* 100..599 */
    int64_t bytes;
    bool bad_request; /* the request text is not "METHOD URI PROTOCOL" ("-", TLS bytes) */
    bool has_ua;      /* the format logs the User-Agent (else no client is a bot) */
};

enum wl_line { WL_LINE_OK, WL_LINE_SKIP, WL_LINE_BAD };
/* Parse one line (no newline; a trailing CR is ignored).  SKIP: blank or a '#' directive
 * of a W3C log (a "#Fields:" line recompiles f).  BAD: *why says what did not fit. */
enum wl_line wl_parse_line(struct wl_format *f, const char *p, size_t n, struct wl_rec *r,
                           const char **why);

/* ---- classification (wl_config.c) ---- */

/* Is the path (no query) a page by its extension and the configured rules? */
bool wl_is_page_path(const struct wl_config *cfg, struct str path);
/* Full page-view test on a parsed record with a known bot flag. */
bool wl_is_pageview(const struct wl_config *cfg, const struct wl_rec *r, bool bot);
/* The bot test on an unescaped, lower-cased User-Agent. */
bool wl_bots_match(const struct wl_bots *b, const char *lower, size_t n);
/* Decode \xHH and \" escapes (and '+' for IIS) and lower-case ASCII into out (size cap);
 * returns the length written. */
size_t wl_ua_normalize(const char *ua, size_t n, bool iis, char *out, size_t cap);

#endif
