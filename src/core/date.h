/* date.h - civil dates, instants and their text forms.
 *
 * Two kinds of time, never mixed (docs/ARCHITECTURE.md, "Time"):
 *   - an *instant* is int64_t seconds since 1970-01-01T00:00:00Z (UTC).  Stored that way.
 *   - a *civil date* is int32_t days since 1970-01-01 in the proleptic Gregorian calendar,
 *     with no zone: "2018-11-30" as printed on a page or counted by a deadline.
 * An instant becomes a civil date only through a UTC offset (`tzoff`, seconds east of
 * UTC; China Standard Time is +28800 and has no DST).  gmtime/localtime are banned; these
 * functions are pure arithmetic and never consult the TZ environment.
 *
 * Parsers are strict about ranges (month 1-12, day within the month, hour < 24) and
 * return false on anything else; they never read past the NUL.
 */
#ifndef CORE_DATE_H
#define CORE_DATE_H

#include <stdbool.h>
#include <stdint.h>

#include "core/buf.h"

#define TZ_CST (8 * 3600) /* China Standard Time, UTC+08:00 */
#define DATE_NONE INT32_MIN

int32_t date_from_ymd(int y, int m, int d); /* no range check; see date_valid */
void date_to_ymd(int32_t day, int *y, int *m, int *d);
bool date_valid(int y, int m, int d);
int date_days_in_month(int y, int m);
int date_weekday(int32_t day); /* ISO: 1 = Monday ... 7 = Sunday */
int date_year(int32_t day);
/* Add n calendar months, clamping the day to the month's length (01-31 + 1 = 02-28). */
int32_t date_add_months(int32_t day, int n);

/* "YYYY-MM-DD" exactly. */
bool date_parse(const char *s, int32_t *out);
/* "YYYY-MM" exactly: *first = the first day, *next = the first day of the next month. */
bool date_parse_month(const char *s, int32_t *first, int32_t *next);
void date_fmt(int32_t day, char out[11]);         /* "2018-11-30" */
void date_fmt_cn(int32_t day, struct buf *b);     /* "2018年11月30日" (公文: no zeros) */
void date_fmt_cn_md(int32_t day, struct buf *b);  /* "11月30日" */

int32_t time_to_date(int64_t t, int tzoff);
int time_secs_of_day(int64_t t, int tzoff); /* 0 .. 86399 */
int64_t time_from_date(int32_t day, int secs, int tzoff);

/* Flags from time_parse. */
#define TIME_HAS_TIME 1 /* a clock time was given */
#define TIME_HAS_ZONE 2 /* an explicit Z or offset was given */

/* Parse a moment: "YYYY-MM-DD", "YYYY-MM-DD HH:MM[:SS]", ISO 8601 with 'T', optional
 * fraction and Z/±HH:MM/±HHMM, the same with '/' or '.' between the date parts, and
 * "YYYY年M月D日[ HH:MM[:SS]]" or "...日 HH时MM分".  A 12-hour clock is read with a
 * 上午/下午 (also 早上, 凌晨, 中午, 晚上) or AM/PM marker before or after the time:
 * "2018/11/5 下午 3:20", "2018年11月5日下午3时20分", "2018-11-05 3:20 PM".  Without a zone,
 * `tzoff` applies.
 * A date alone means 00:00:00 of that day.  *flags (may be NULL) gets TIME_HAS_*. */
bool time_parse(const char *s, int tzoff, int64_t *out, int *flags);
void time_fmt_iso(int64_t t, int tzoff, char out[32]);   /* 2018-12-21T23:59:59+08:00 */
void time_fmt_local(int64_t t, int tzoff, char out[20]); /* 2018-12-21 23:59:59 */
void time_fmt_cn(int64_t t, int tzoff, struct buf *b);   /* 2018年12月21日 23:59 */
/* Parse "+08:00", "+0800", "UTC", "Z", "-05:30" into seconds east of UTC. */
bool tz_parse(const char *s, int *tzoff);

#endif
