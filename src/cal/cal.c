/* cal.c - the working-day calendar: table parsing, precomputed arrays, O(1) queries
 * (cal.h, part 1). */
#include "cal/cal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/res.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define CAL__WORK      1
#define CAL__EST       2
#define CAL__REASON(f) ((enum cal_reason)((f) >> 2))
#define CAL_MAX_ROWS   100000 /* rows in a table file: far more than any real one */

static const struct {
    const char *key, *cn;
} reasons[] = {
    [CAL_WEEKDAY] = { "weekday", "工作日" },
    [CAL_WEEKEND] = { "weekend", "周末" },
    [CAL_HOLIDAY] = { "holiday", "放假" },
    [CAL_ADJUSTED] = { "adjusted_workday", "调休上班" },
    [CAL_LOCAL_OFF] = { "local_off", "本地放假" },
    [CAL_LOCAL_WORK] = { "local_work", "本地调整上班" },
};

const char *cal_reason_key(enum cal_reason r)
{
    return reasons[r].key;
}

const char *cal_reason_cn(enum cal_reason r)
{
    return reasons[r].cn;
}

static int32_t range_lo(void)
{
    return date_from_ymd(CAL_FIRST_YEAR, 1, 1);
}

static int32_t range_hi(void)
{
    return date_from_ymd(CAL_LAST_YEAR + 1, 1, 1);
}

static bool weekend(int32_t day)
{
    return date_weekday(day) >= 6;
}

/* --- Rows ---------------------------------------------------------------------------- */

static int row_cmp(const void *a, const void *b)
{
    const struct cal_row *x = a, *y = b;
    return (x->day > y->day) - (x->day < y->day);
}

static void rows_sort(struct cal_row *v, size_t n)
{
    if (n > 1) /* qsort(NULL, 0, ...) is undefined */
        qsort(v, n, sizeof(*v), row_cmp);
}

static const struct cal_row *row_find(const struct cal_row *v, size_t n, int32_t day)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (v[mid].day < day)
            lo = mid + 1;
        else
            hi = mid;
    }
    return lo < n && v[lo].day == day ? &v[lo] : NULL;
}

/* --- Building the arrays --------------------------------------------------------------- */

static void build(struct cal *c)
{
    int32_t n = c->hi - c->lo;
    for (int32_t i = 0; i < n; i++) {
        bool we = weekend(c->lo + i);
        int y = date_year(c->lo + i);
        c->flag[i] =
            (uint8_t)((we ? 0 : CAL__WORK) | (c->covered[y - CAL_FIRST_YEAR] ? 0 : CAL__EST) |
                      ((we ? CAL_WEEKEND : CAL_WEEKDAY) << 2));
    }
    vec_foreach(&c->table, r) {
        enum cal_reason why =
            r->work ? (weekend(r->day) ? CAL_ADJUSTED : CAL_WEEKDAY) : CAL_HOLIDAY;
        uint8_t *f = &c->flag[r->day - c->lo];
        *f = (uint8_t)((r->work ? CAL__WORK : 0) | (*f & CAL__EST) | (why << 2));
    }
    vec_foreach(&c->local, r) {
        c->flag[r->day - c->lo] = (uint8_t)((r->work ? CAL__WORK : 0) |
                                            ((r->work ? CAL_LOCAL_WORK : CAL_LOCAL_OFF) << 2));
    }
    c->cum[0] = c->ecum[0] = 0;
    c->nwd = 0;
    for (int32_t i = 0; i < n; i++) {
        c->cum[i + 1] = c->cum[i] + (c->flag[i] & CAL__WORK);
        c->ecum[i + 1] = c->ecum[i] + ((c->flag[i] & CAL__EST) ? 1 : 0);
        if (c->flag[i] & CAL__WORK)
            c->wd[c->nwd++] = c->lo + i;
    }
}

static struct cal *cal_alloc(void)
{
    struct cal *c = xcalloc(1, sizeof(*c));
    c->tzoff = TZ_CST;
    c->lo = range_lo();
    c->hi = range_hi();
    size_t n = (size_t)(c->hi - c->lo);
    c->flag = xmalloc(n);
    c->cum = xmalloc((n + 1) * sizeof(*c->cum));
    c->ecum = xmalloc((n + 1) * sizeof(*c->ecum));
    c->wd = xmalloc(n * sizeof(*c->wd));
    return c;
}

void cal_free(struct cal *c)
{
    if (!c)
        return;
    free(c->flag);
    free(c->cum);
    free(c->ecum);
    free(c->wd);
    vec_release(&c->table);
    vec_release(&c->local);
    arena_release(&c->names);
    free(c);
}

/* A name from a table line or the user: trimmed, valid UTF-8, no control characters. */
static enum rc check_name(struct str name, struct err *err)
{
    if (name.n > CAL_NAME_MAX)
        return err_set(err, RC_INVALID, "name is %zu bytes long; keep it under %d", name.n,
                       CAL_NAME_MAX);
    if (!utf8_valid(name.p, name.n))
        return err_set(err, RC_INVALID, "name is not valid UTF-8; save the file as UTF-8");
    for (size_t i = 0; i < name.n; i++)
        if ((unsigned char)name.p[i] < 0x20 || name.p[i] == 0x7f)
            return err_set(err, RC_INVALID, "name contains a control character");
    return RC_OK;
}

static bool next_field(struct str *line, struct str *field)
{
    size_t i = 0;
    while (i < line->n && (line->p[i] == ' ' || line->p[i] == '\t'))
        i++;
    size_t j = i;
    while (j < line->n && line->p[j] != ' ' && line->p[j] != '\t')
        j++;
    *field = (struct str){ line->p + i, j - i };
    line->p += j;
    line->n -= j;
    return field->n > 0;
}

static enum rc parse_line(struct cal *c, struct str line, struct err *err)
{
    struct str f_date, f_kind;
    if (!next_field(&line, &f_date) || !next_field(&line, &f_kind))
        return err_set(err, RC_PARSE, "expected 'YYYY-MM-DD<TAB>off|work<TAB>name'");
    char ds[16] = "";
    int32_t day;
    if (f_date.n > 10 || (memcpy(ds, f_date.p, f_date.n), !date_parse(ds, &day)))
        return err_set(err, RC_PARSE, "'%.*s' is not a date; use YYYY-MM-DD",
                       (int)(f_date.n > 40 ? 40 : f_date.n), f_date.p);
    bool work;
    if (str_eqs(f_kind, "work"))
        work = true;
    else if (str_eqs(f_kind, "off"))
        work = false;
    else
        return err_set(err, RC_PARSE, "kind '%.*s' is neither 'off' nor 'work'",
                       (int)(f_kind.n > 40 ? 40 : f_kind.n), f_kind.p);
    if (day < c->lo || day >= c->hi)
        return err_set(err, RC_PARSE, "date %s is outside the calendar's range %d..%d", ds,
                       CAL_FIRST_YEAR, CAL_LAST_YEAR);
    struct str name = str_trim(line);
    if (check_name(name, err))
        return RC_PARSE;
    if (c->table.n >= CAL_MAX_ROWS)
        return err_set(err, RC_LIMIT, "more than %d rows", CAL_MAX_ROWS);
    struct cal_row r = { day, work, false,
                         name.n ? arena_strndup(&c->names, name.p, name.n) : NULL };
    vec_push(&c->table, r);
    return RC_OK;
}

static enum rc finish_table(struct cal *c, const char *src, struct err *err)
{
    rows_sort(c->table.v, c->table.n);
    for (size_t i = 1; i < c->table.n; i++) {
        if (c->table.v[i].day == c->table.v[i - 1].day) {
            char d[11];
            date_fmt(c->table.v[i].day, d);
            return err_set(err, RC_PARSE, "%s: date %s is listed twice; keep one row per date", src,
                           d);
        }
    }
    memset(c->covered, 0, sizeof(c->covered));
    c->year_first = c->year_last = 0;
    vec_foreach(&c->table, r) {
        int y, m, d;
        date_to_ymd(r->day, &y, &m, &d);
        if (m == 12)
            continue;
        c->covered[y - CAL_FIRST_YEAR] = true;
        if (!c->year_first || y < c->year_first)
            c->year_first = y;
        if (y > c->year_last)
            c->year_last = y;
    }
    build(c);
    return RC_OK;
}

enum rc cal_from_tsv(const char *src, const char *text, size_t n, struct cal **out, struct err *err)
{
    struct cal *c = cal_alloc();
    snprintf(c->source, sizeof(c->source), "%s", src);
    struct str all = { text, n };
    if (str_starts(all, "\xEF\xBB\xBF"))
        all.p += 3, all.n -= 3;
    long lineno = 0;
    while (all.n) {
        struct str line;
        str_split(&all, '\n', &line);
        lineno++;
        if (line.n && line.p[line.n - 1] == '\r')
            line.n--;
        struct str t = str_trim(line);
        if (!t.n || t.p[0] == '#')
            continue;
        enum rc rc = parse_line(c, t, err);
        if (rc) {
            err_prefix(err, "%s:%ld: ", src, lineno);
            cal_free(c);
            return rc;
        }
    }
    enum rc rc = finish_table(c, src, err);
    if (rc) {
        cal_free(c);
        return rc;
    }
    *out = c;
    return RC_OK;
}

enum rc cal_load(struct store *db, struct cal **out, struct err *err)
{
    struct buf b = BUF_INIT;
    bool from_file = false;
    buf_init(&b, 16 << 20);
    enum rc rc = res_load(CAL_TABLE, &b, &from_file, err);
    if (rc) {
        buf_release(&b);
        return rc;
    }
    char src[256];
    if (from_file)
        snprintf(src, sizeof(src), "%s/%s", res_dir(), CAL_TABLE);
    else
        snprintf(src, sizeof(src), "%s", CAL_TABLE);
    struct cal *c = NULL;
    rc = cal_from_tsv(src, b.p ? b.p : "", b.n, &c, err);
    buf_release(&b);
    if (rc)
        return rc;
    if (db) {
        struct stmt *st =
            store_sql(db, "SELECT day, kind, name FROM calendar_overrides ORDER BY day");
        while (stmt_next(st)) {
            int32_t day = stmt_date(st, 0);
            if (day == DATE_NONE || day < c->lo || day >= c->hi)
                continue; /* cal_db_set never writes such a row */
            struct cal_row r = { day, !strcmp(stmt_str(st, 1), "work"), true,
                                 arena_strdup(&c->names, stmt_str(st, 2)) };
            vec_push(&c->local, r);
        }
        rc = stmt_done(st, err);
        if (rc) {
            cal_free(c);
            return err_prefix(err, "cannot read the calendar overrides: ");
        }
        rows_sort(c->local.v, c->local.n);
        build(c);
    }
    *out = c;
    return RC_OK;
}

/* --- Queries --------------------------------------------------------------------------- */

bool cal_in_range(const struct cal *c, int32_t day)
{
    return day >= c->lo && day < c->hi;
}

enum rc cal_check(const struct cal *c, int32_t day, struct err *err)
{
    if (cal_in_range(c, day))
        return RC_OK;
    char d[16], a[11], b[11];
    if (day > -4000000 && day < 4000000)
        date_fmt(day, d);
    else
        snprintf(d, sizeof(d), "(day %d)", (int)day);
    date_fmt(c->lo, a);
    date_fmt(c->hi - 1, b);
    return err_set(err, RC_INVALID, "date %s is outside the calendar's range %s..%s", d, a, b);
}

void cal_est_note(const struct cal *c, struct cal_est *est, int32_t from, int32_t to)
{
    if (!est)
        return;
    if (from < c->lo)
        from = c->lo;
    if (to >= c->hi)
        to = c->hi - 1;
    if (to < from || c->ecum[to + 1 - c->lo] == c->ecum[from - c->lo])
        return;
    for (int y = date_year(from); y <= date_year(to); y++) {
        if (c->covered[y - CAL_FIRST_YEAR])
            continue;
        /* A year with every consulted day overridden locally is not missing. */
        int32_t a = date_from_ymd(y, 1, 1), b = date_from_ymd(y + 1, 1, 1) - 1;
        if (a < from)
            a = from;
        if (b > to)
            b = to;
        if (c->ecum[b + 1 - c->lo] == c->ecum[a - c->lo])
            continue;
        if (!est->estimated || y < est->year_lo)
            est->year_lo = y;
        if (!est->estimated || y > est->year_hi)
            est->year_hi = y;
        est->estimated = true;
    }
}

void cal_est_merge(struct cal_est *a, const struct cal_est *b)
{
    if (!b->estimated)
        return;
    if (!a->estimated || b->year_lo < a->year_lo)
        a->year_lo = b->year_lo;
    if (!a->estimated || b->year_hi > a->year_hi)
        a->year_hi = b->year_hi;
    a->estimated = true;
}

void cal_est_warning(const struct cal *c, const struct cal_est *est, struct buf *out)
{
    if (!est || !est->estimated)
        return;
    char years[32];
    if (est->year_lo == est->year_hi)
        snprintf(years, sizeof(years), "%d", est->year_lo);
    else
        snprintf(years, sizeof(years), "%d-%d", est->year_lo, est->year_hi);
    buf_addf(out, "no holiday data for %s", years);
    if (c->year_first)
        buf_addf(out, " (the table covers %d-%d)", c->year_first, c->year_last);
    buf_addf(out,
             ": days in %s were counted as weekends only, so the answer is an estimate; "
             "add the State Council's holiday notice for %s to %s",
             years, years, CAL_TABLE);
}

enum rc cal_day(const struct cal *c, int32_t day, struct cal_day *out, struct cal_est *est,
                struct err *err)
{
    if (cal_check(c, day, err))
        return RC_INVALID;
    uint8_t f = c->flag[day - c->lo];
    out->work = f & CAL__WORK;
    out->reason = CAL__REASON(f);
    out->estimated = f & CAL__EST;
    out->name = NULL;
    const struct cal_row *r = row_find(c->local.v, c->local.n, day);
    if (!r)
        r = row_find(c->table.v, c->table.n, day);
    if (r)
        out->name = r->name;
    cal_est_note(c, est, day, day);
    return RC_OK;
}

bool cal_is_workday(const struct cal *c, int32_t day)
{
    if (!cal_in_range(c, day))
        return !weekend(day);
    return c->flag[day - c->lo] & CAL__WORK;
}

enum rc cal_add(const struct cal *c, int32_t day, int n, int32_t *out, struct cal_est *est,
                struct err *err)
{
    if (cal_check(c, day, err))
        return RC_INVALID;
    if (n == 0) {
        *out = day;
        return RC_OK;
    }
    int64_t idx;
    if (n > 0)
        idx = (int64_t)c->cum[day + 1 - c->lo] + n - 1;
    else
        idx = (int64_t)c->cum[day - c->lo] + n;
    if (idx < 0 || idx >= c->nwd) {
        char d[11], e[11];
        date_fmt(day, d);
        date_fmt(n > 0 ? c->hi - 1 : c->lo, e);
        return err_set(err, RC_INVALID,
                       "%d working days %s %s is %s %s, the %s of the calendar's range",
                       n > 0 ? n : -n, n > 0 ? "after" : "before", d, n > 0 ? "past" : "before", e,
                       n > 0 ? "end" : "start");
    }
    *out = c->wd[idx];
    if (n > 0)
        cal_est_note(c, est, day + 1, *out);
    else
        cal_est_note(c, est, *out, day - 1);
    return RC_OK;
}

enum rc cal_next(const struct cal *c, int32_t day, int32_t *out, struct cal_est *est,
                 struct err *err)
{
    return cal_add(c, day, 1, out, est, err);
}

enum rc cal_count(const struct cal *c, int32_t from, int32_t to, int *out, struct cal_est *est,
                  struct err *err)
{
    if (cal_check(c, from, err) || cal_check(c, to, err))
        return RC_INVALID;
    if (to < from) {
        *out = 0;
        return RC_OK;
    }
    *out = c->cum[to + 1 - c->lo] - c->cum[from - c->lo];
    cal_est_note(c, est, from, to);
    return RC_OK;
}

int cal_rows(const struct cal *c, int32_t from, int32_t to,
             int (*fn)(const struct cal_row *r, const struct cal_row *shadowed, void *ctx),
             void *ctx)
{
    size_t i = 0, j = 0;
    while (i < c->local.n || j < c->table.n) {
        const struct cal_row *l = i < c->local.n ? &c->local.v[i] : NULL;
        const struct cal_row *t = j < c->table.n ? &c->table.v[j] : NULL;
        const struct cal_row *r, *shadow = NULL;
        if (l && (!t || l->day <= t->day)) {
            r = l;
            i++;
            if (t && t->day == l->day) {
                shadow = t;
                j++;
            }
        } else {
            r = t;
            j++;
        }
        if ((from != DATE_NONE && r->day < from) || (to != DATE_NONE && r->day > to))
            continue;
        int rc = fn(r, shadow, ctx);
        if (rc)
            return rc;
    }
    return 0;
}

/* --- Local overrides --------------------------------------------------------------------- */

enum rc cal_set_local(struct cal *c, int32_t day, bool work, const char *name, struct err *err)
{
    if (cal_check(c, day, err))
        return RC_INVALID;
    struct str nm = str_trim(str_of(name));
    if (check_name(nm, err))
        return RC_INVALID;
    const char *copy = arena_strndup(&c->names, nm.p, nm.n);
    struct cal_row *r = (struct cal_row *)row_find(c->local.v, c->local.n, day);
    if (r) {
        r->work = work;
        r->name = copy;
    } else {
        struct cal_row nr = { day, work, true, copy };
        vec_push(&c->local, nr);
        rows_sort(c->local.v, c->local.n);
    }
    build(c);
    return RC_OK;
}

bool cal_unset_local(struct cal *c, int32_t day)
{
    const struct cal_row *r = row_find(c->local.v, c->local.n, day);
    if (!r)
        return false;
    size_t i = (size_t)(r - c->local.v);
    memmove(&c->local.v[i], &c->local.v[i + 1], (c->local.n - i - 1) * sizeof(*r));
    c->local.n--;
    build(c);
    return true;
}

enum rc cal_db_set(struct store *db, int32_t day, bool work, const char *name, int64_t now,
                   char **was, struct err *err)
{
    if (was)
        *was = NULL;
    if (day < range_lo() || day >= range_hi()) {
        char d[16];
        date_fmt(day, d);
        return err_set(err, RC_INVALID, "date %s is outside the calendar's range %d..%d", d,
                       CAL_FIRST_YEAR, CAL_LAST_YEAR);
    }
    struct str nm = str_trim(str_of(name));
    if (!nm.n)
        return err_set(err, RC_INVALID, "an override needs a name saying why, e.g. 台风停工");
    if (check_name(nm, err))
        return RC_INVALID;
    char *n = str_dup(nm);
    char d[11];
    date_fmt(day, d);
    enum rc rc = store_begin(db, err);
    if (!rc && was) {
        struct stmt *st =
            store_q(db, "SELECT kind, name FROM calendar_overrides WHERE day = ?", "t", d);
        struct buf b = BUF_INIT;
        if (stmt_next(st))
            buf_addf(&b, "%s %s", stmt_str(st, 0), stmt_str(st, 1));
        rc = stmt_done(st, err);
        *was = buf_take(&b);
    }
    if (!rc)
        rc = store_exec(
            db, err,
            "INSERT INTO calendar_overrides (day, kind, name, created_at, updated_at) "
            "VALUES (?, ?, ?, ?, ?) ON CONFLICT (day) DO UPDATE SET kind = excluded.kind, "
            "name = excluded.name, updated_at = excluded.updated_at",
            "tttii", d, work ? "work" : "off", n, now, now);
    if (!rc)
        rc = store_commit(db, err);
    else
        store_rollback(db);
    free(n);
    if (rc && was) {
        free(*was);
        *was = NULL;
    }
    return rc;
}

enum rc cal_db_unset(struct store *db, int32_t day, struct err *err)
{
    char d[11];
    date_fmt(day, d);
    struct stmt *st = store_q(db, "DELETE FROM calendar_overrides WHERE day = ?", "t", d);
    stmt_next(st);
    int64_t changed = stmt_changes(st);
    enum rc rc = stmt_done(st, err);
    if (rc)
        return rc;
    if (!changed)
        return err_set(err, RC_NOTFOUND,
                       "no local override for %s; 'govsite calendar list --local' shows them", d);
    return RC_OK;
}
