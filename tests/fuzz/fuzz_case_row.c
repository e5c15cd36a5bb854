/* fuzz_case_row.c - the work-item import's front end on arbitrary bytes: the header
 * mapping (the first line, as --map gives it), the CSV reader, the header binding and
 * the row parser.  No crash; whatever parses is consistent: a receipt, closing times not
 * before it, a closed 依申请公开 with an outcome, a state in range. */
#include <string.h>

#include "cases/cases.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/utf8.h"
#include "fuzz.h"

FUZZ(case_row)
{
    if (size < 1 || size > 64 * 1024)
        return 0;
    enum case_kind k = (enum case_kind)(data[0] % CASE_NKINDS);
    const char *p = (const char *)data + 1;
    size_t n = size - 1;
    const char *nl = memchr(p, '\n', n);
    size_t ml = nl ? (size_t)(nl - p) : 0;
    struct case_map m;
    struct err e = { 0 };
    bool have_map = ml && !case_map_parse("fuzz", p, ml, &m, &e);
    if (have_map)
        for (int f = 0; f < CASE_NFIELDS; f++)
            FUZZ_ASSERT(!m.headers[f] ||
                        (m.headers[f][0] && utf8_valid(m.headers[f], strlen(m.headers[f]))));
    const char *csv = nl ? nl + 1 : p;
    struct csv c;
    csv_open_mem(&c, "fuzz.csv", csv, n - (size_t)(csv - p));
    int idx[CASE_NFIELDS];
    struct buf scratch = BUF_INIT;
    buf_init(&scratch, 1u << 20);
    if (csv_next(&c, &e) > 0 && !case_header_bind(&c, have_map ? &m : NULL, idx, &e)) {
        FUZZ_ASSERT(idx[CASE_F_NUMBER] >= 0 && idx[CASE_F_RECEIVED] >= 0);
        for (int f = 0; f < CASE_NFIELDS; f++)
            for (int g = f + 1; g < CASE_NFIELDS; g++)
                FUZZ_ASSERT(idx[f] < 0 || idx[f] != idx[g]);
        int r;
        while ((r = csv_next(&c, &e)) > 0) {
            struct case_row row;
            struct err re = { 0 };
            if (case_row_parse(&c, idx, k, TZ_CST, &scratch, &row, &re)) {
                FUZZ_ASSERT(re.rc != RC_OK && re.msg[0]);
                continue;
            }
            FUZZ_ASSERT(row.f[CASE_F_NUMBER] && row.f[CASE_F_NUMBER][0]);
            FUZZ_ASSERT(row.received_at != 0);
            FUZZ_ASSERT(!row.closed_at || row.closed_at >= row.received_at);
            FUZZ_ASSERT(!row.handled_at || row.handled_at >= row.received_at);
            FUZZ_ASSERT(row.state >= CASE_ROW_OPEN && row.state <= CASE_ROW_WITHDRAWN);
            FUZZ_ASSERT(row.state == CASE_ROW_OPEN || row.closed_at || row.handled_at);
            FUZZ_ASSERT(k != CASE_DISCLOSURE || row.state != CASE_ROW_DONE || row.outcome);
            FUZZ_ASSERT(!row.outcome || (row.outcome->kinds & CASE_KIND_BIT(k)));
            for (int f = 0; f < CASE_NFIELDS; f++)
                FUZZ_ASSERT(!row.f[f] || utf8_valid(row.f[f], strlen(row.f[f])));
        }
    }
    buf_release(&scratch);
    csv_close(&c);
    if (have_map)
        case_map_release(&m);
    return 0;
}
