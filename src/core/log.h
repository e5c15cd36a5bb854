/* log.h - leveled logging to a sink (stderr by default).
 *
 * Library modules may log (warnings about skipped input, progress at debug level) but
 * never print results: results go to the caller.  The CLI sets the level (-q, -v) and
 * `serve` points the sink at its log file.  Thread-safe: each message is one write.
 */
#ifndef CORE_LOG_H
#define CORE_LOG_H

#include <stdio.h>

#include "core/err.h"

enum log_level { LOG_DEBUG, LOG_INFO, LOG_WARN, LOG_ERROR, LOG_OFF };

void log_set_level(enum log_level lv);
enum log_level log_get_level(void);
void log_set_file(FILE *f);        /* NULL = stderr */
void log_set_timestamps(int on);   /* prefix lines with an ISO time (serve) */
void log_msg(enum log_level lv, const char *fmt, ...) FMT_PRINTF(2, 3);

#define log_debug(...) log_msg(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_msg(LOG_INFO, __VA_ARGS__)
#define log_warn(...) log_msg(LOG_WARN, __VA_ARGS__)
#define log_error(...) log_msg(LOG_ERROR, __VA_ARGS__)

#endif
