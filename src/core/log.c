/* log.c - leveled logging (see log.h). */
#include "core/log.h"

#include <stdarg.h>
#include <string.h>
#include <time.h>

#include "core/date.h"

static enum log_level level = LOG_WARN;
static FILE *sink;
static int stamps;

void log_set_level(enum log_level lv)
{
    level = lv;
}

enum log_level log_get_level(void)
{
    return level;
}

void log_set_file(FILE *f)
{
    sink = f;
}

void log_set_timestamps(int on)
{
    stamps = on;
}

void log_msg(enum log_level lv, const char *fmt, ...)
{
    if (lv < level)
        return;
    static const char *names[] = { "debug", "info", "warning", "error", "" };
    char line[2048];
    size_t n = 0;
    if (stamps) {
        struct timespec ts;
        clock_gettime(CLOCK_REALTIME, &ts);
        char t[32];
        time_fmt_iso(ts.tv_sec, TZ_CST, t);
        n = (size_t)snprintf(line, sizeof(line), "%s ", t);
    }
    n += (size_t)snprintf(line + n, sizeof(line) - n, "govsite: %s: ", names[lv]);
    va_list ap;
    va_start(ap, fmt);
    if (n < sizeof(line))
        n += (size_t)vsnprintf(line + n, sizeof(line) - n, fmt, ap);
    va_end(ap);
    if (n >= sizeof(line) - 1)
        n = sizeof(line) - 2;
    line[n++] = '\n';
    FILE *f = sink ? sink : stderr;
    fwrite(line, 1, n, f);
    fflush(f);
}
