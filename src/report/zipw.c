/* zipw.c - a deterministic zip archive in memory (libzip), for the DOCX renderer. */
#include <stdio.h>
#include <string.h>
#include <zip.h>

#include "core/date.h"
#include "report/report_int.h"

void report__dostime(int32_t day, uint16_t *dtime, uint16_t *ddate)
{
    int y = 2000, m = 1, d = 1;
    if (day != DATE_NONE)
        date_to_ymd(day, &y, &m, &d);
    if (y < 1980 || y > 2107) {
        y = y < 1980 ? 1980 : 2107;
        m = d = 1;
    }
    *dtime = 0;
    *ddate = (uint16_t)(((y - 1980) << 9) | (m << 5) | d);
}

enum rc report__zip(const struct report__zfile *files, size_t n, int32_t day, struct buf *out,
                    struct err *err)
{
    zip_error_t ze;
    zip_error_init(&ze);
    zip_source_t *src = zip_source_buffer_create(NULL, 0, 0, &ze);
    if (!src) {
        err_set(err, RC_INTERNAL, "cannot create a zip buffer: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return RC_INTERNAL;
    }
    zip_t *za = zip_open_from_source(src, ZIP_TRUNCATE, &ze);
    if (!za) {
        err_set(err, RC_INTERNAL, "cannot open a zip archive in memory: %s",
                zip_error_strerror(&ze));
        zip_source_free(src);
        zip_error_fini(&ze);
        return RC_INTERNAL;
    }
    zip_error_fini(&ze);
    zip_source_keep(src);
    uint16_t dt, dd;
    report__dostime(day, &dt, &dd);
    for (size_t i = 0; i < n; i++) {
        zip_source_t *s = zip_source_buffer(za, files[i].data, files[i].len, 0);
        zip_int64_t idx = s ? zip_file_add(za, files[i].name, s, ZIP_FL_ENC_UTF_8) : -1;
        if (idx < 0) {
            if (s)
                zip_source_free(s);
            err_set(err, RC_INTERNAL, "cannot add '%s' to the archive: %s", files[i].name,
                    zip_strerror(za));
            zip_discard(za);
            zip_source_free(src);
            return RC_INTERNAL;
        }
        zip_set_file_compression(za, (zip_uint64_t)idx, ZIP_CM_DEFLATE, 6);
        zip_file_set_dostime(za, (zip_uint64_t)idx, dt, dd, 0);
    }
    if (zip_close(za) < 0) {
        err_set(err, RC_INTERNAL, "cannot write the archive: %s", zip_strerror(za));
        zip_discard(za);
        zip_source_free(src);
        return RC_INTERNAL;
    }
    enum rc rc = RC_OK;
    if (zip_source_open(src) < 0) {
        rc = err_set(err, RC_INTERNAL, "cannot read the archive back: %s",
                     zip_error_strerror(zip_source_error(src)));
        goto out;
    }
    char chunk[65536];
    zip_int64_t got;
    while ((got = zip_source_read(src, chunk, sizeof(chunk))) > 0)
        buf_add(out, chunk, (size_t)got);
    if (got < 0)
        rc = err_set(err, RC_INTERNAL, "cannot read the archive back: %s",
                     zip_error_strerror(zip_source_error(src)));
    zip_source_close(src);
out:
    zip_source_free(src);
    return rc;
}

int64_t report__epoch(int32_t day)
{
    if (day == DATE_NONE || date_year(day) < 1900 || date_year(day) > 9999)
        day = date_from_ymd(2000, 1, 1);
    return time_from_date(day, 0, TZ_CST);
}

void report__w3cdtf(int32_t day, char out[32])
{
    int64_t t = report__epoch(day);
    int32_t d = time_to_date(t, 0);
    int s = time_secs_of_day(t, 0), y, m, dd;
    date_to_ymd(d, &y, &m, &dd);
    snprintf(out, 32, "%04d-%02d-%02dT%02d:%02d:%02dZ", y, m, dd, s / 3600, s / 60 % 60, s % 60);
}
