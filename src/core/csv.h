/* csv.h - RFC 4180 CSV reading with line numbers, for imports that must name file:line.
 *
 *   struct csv c;
 *   if (csv_open(&c, "units.csv", &err)) ...      reads, decodes (UTF-8/BOM/GB18030)
 *   while ((r = csv_next(&c, &err)) > 0)
 *       use c.f[0] .. c.f[c.nf - 1], c.line       fields valid until the next call
 *   csv_close(&c);
 *
 * Quoted fields may hold commas, doubled quotes and newlines; CRLF and LF both end a
 * record; blank lines are skipped.  The separator is ',' unless the first line has tabs
 * and no commas (a TSV saved by a spreadsheet).  An unterminated quote is an error naming
 * the line where the field began.  Files are capped at CSV_MAX_FILE bytes and records at
 * CSV_MAX_FIELDS fields (RC_LIMIT).
 */
#ifndef CORE_CSV_H
#define CORE_CSV_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/charset.h"
#include "core/err.h"

#define CSV_MAX_FILE (512u << 20)
#define CSV_MAX_FIELDS 1024

struct csv {
    const char *name;      /* file name for messages (borrowed) */
    struct buf text;       /* decoded UTF-8 text (owned) */
    size_t pos;            /* read position in text */
    long next_line;        /* line number at pos */
    long line;             /* line where the current record began (1-based) */
    char sep;              /* ',' or '\t' */
    char **f;              /* current fields (point into `store`) */
    size_t nf;             /* number of fields */
    size_t fcap;           /* allocated field slots */
    struct buf store;      /* field bytes, NUL-separated */
    struct charset_result cs; /* how the file was decoded */
};

/* Read and decode a file ("-" = stdin).  On failure nothing needs closing. */
enum rc csv_open(struct csv *c, const char *path, struct err *err);
/* Parse text already in memory (copied; any encoding handled as by csv_open). */
void csv_open_mem(struct csv *c, const char *name, const char *data, size_t n);
/* 1 when a record was read, 0 at the end, -1 on error (err names file:line). */
int csv_next(struct csv *c, struct err *err);
void csv_close(struct csv *c);
/* Index of the header field equal to one of the '|'-separated names (ASCII
 * case-insensitive, surrounding spaces ignored), or -1.  Call right after reading the
 * header record. */
int csv_find(const struct csv *c, const char *names);

/* Append one CSV record (fields escaped by esc_csv) and CRLF-free "\n". */
void csv_write_row(struct buf *b, const char *const *fields, size_t n);

#endif
