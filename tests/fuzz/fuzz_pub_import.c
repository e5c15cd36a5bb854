/* fuzz_pub_import.c - `govsite article import` (checks/pub.h) on arbitrary bytes, into an
 * in-memory database with one unit, site and column.  No crash; all or nothing: a refused
 * file writes no record and names its bad rows; an accepted one accounts for every row. */
#include <string.h>

#include "checks/pub.h"
#include "core/clk.h"
#include "fuzz.h"
#include "reg/reg.h"
#include "store/store.h"

static struct store *db;
static struct clk ck;

static void setup(void)
{
    struct err e = { 0 };
    clk_init(&ck);
    FUZZ_ASSERT(!store_open(":memory:", &db, &e) && !store_migrate(db, &e));
    static const char units[] = "name,short_name,kind\n示范市人民政府办公室,市政府办,office\n";
    static const char sites[] =
        "name,url,code,unit\n门户,http://www.shifan.test/,4404990001,市政府办\n";
    static const char cols[] =
        "site,path,url,unit,class\n门户,通知公告,http://www.shifan.test/tzgg/,市政府办,通知公告\n";
    struct reg_import_result r;
    struct notes bad = NOTES_INIT;
    FUZZ_ASSERT(!reg_import_mem(db, REG_UNITS, "u", units, strlen(units), &ck, &r, &bad, &e));
    FUZZ_ASSERT(!reg_import_mem(db, REG_SITES, "s", sites, strlen(sites), &ck, &r, &bad, &e));
    FUZZ_ASSERT(!reg_import_mem(db, REG_COLUMNS, "c", cols, strlen(cols), &ck, &r, &bad, &e));
    notes_release(&bad);
}

static int64_t records(void)
{
    int64_t n = -1;
    FUZZ_ASSERT(!store_get_int(db, &n, NULL, "SELECT COUNT(*) FROM publications", ""));
    return n;
}

FUZZ(pub_import)
{
    if (size > 64 * 1024)
        return 0;
    if (!db)
        setup();
    int64_t before = records();
    struct reg_import_result r;
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    enum rc rc = pub_import_mem(db, &ck, "fuzz.csv", (const char *)data, size, &r, &bad, &e);
    if (rc) {
        FUZZ_ASSERT(e.msg[0]);
        FUZZ_ASSERT(records() == before);
        for (size_t i = 0; i < bad.n; i++)
            FUZZ_ASSERT(!strncmp(bad.v[i], "fuzz.csv:", 9));
    } else {
        FUZZ_ASSERT(!bad.total);
        FUZZ_ASSERT(r.rows == r.inserted + r.updated + r.unchanged);
        FUZZ_ASSERT(records() == before + r.inserted);
    }
    notes_release(&bad);
    /* keep the database small between inputs */
    FUZZ_ASSERT(!store_exec(db, NULL, "DELETE FROM publications", ""));
    return 0;
}
