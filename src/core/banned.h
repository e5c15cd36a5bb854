/* banned.h - functions govsite code must not call (git's banned.h).
 *
 * Included last by every .c file through core/common.h.  Each banned name becomes a
 * compile error that names the replacement.
 *   strcpy strcat strncpy strncat sprintf vsprintf → buf_add*, snprintf
 *   strtok → str_split          atoi atol atoll → str_to_i64 / cstr_to_int
 *   gmtime localtime ctime asctime (and _r) → core/date.h (pure, zone-explicit)
 */
#ifndef CORE_BANNED_H
#define CORE_BANNED_H

#define BANNED(func) sorry_##func##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef atoll
#define atoll(x) BANNED(atoll)
#undef gmtime
#define gmtime(x) BANNED(gmtime)
#undef localtime
#define localtime(x) BANNED(localtime)
#undef ctime
#define ctime(x) BANNED(ctime)
#undef asctime
#define asctime(x) BANNED(asctime)
#undef gmtime_r
#define gmtime_r(x, y) BANNED(gmtime_r)
#undef localtime_r
#define localtime_r(x, y) BANNED(localtime_r)

#endif
