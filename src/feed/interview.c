/* interview.c - the 民生在线 interview schedule and the bulletin's sentences. */
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/str.h"
#include "core/vec.h"
#include "core/xalloc.h"
#include "feed/feed.h"

void interview_release(struct interview *iv)
{
    free(iv->unit);
    free(iv->topic);
    free(iv->created_by);
    memset(iv, 0, sizeof(*iv));
}

void interviews_free(struct interview *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        interview_release(&v[i]);
    free(v);
}

enum rc interview_add(struct store *db, const struct clk *clk, int64_t unit_id, int32_t day,
                      const char *topic, const char *by, int64_t *id, struct err *err)
{
    if (!unit_id)
        return err_set(err, RC_INVALID, "an interview needs a unit");
    if (day == DATE_NONE)
        return err_set(err, RC_INVALID, "an interview needs a date (YYYY-MM-DD)");
    if (str_empty(by))
        return err_set(err, RC_INVALID, "an interview needs the person who schedules it");
    int64_t iid = 0;
    struct stmt *st = store_q(db,
                              "INSERT INTO interviews (unit_id, day, topic, created_at, "
                              "created_by) VALUES (?, ?, ?, ?, ?) RETURNING id",
                              "iDtit", unit_id, day, str_empty(topic) ? NULL : topic,
                              clk_now(clk), by);
    if (stmt_next(st))
        iid = stmt_int(st, 0);
    enum rc rc = stmt_done(st, err);
    if (rc == RC_CONFLICT) {
        char d[11];
        date_fmt(day, d);
        return err_prefix(err, "the unit already has an interview on %s (govsite interview list): ",
                          d);
    }
    if (rc == RC_OK && id)
        *id = iid;
    return rc;
}

enum rc interview_remove(struct store *db, int64_t id, struct err *err)
{
    struct stmt *st = store_q(db, "DELETE FROM interviews WHERE id = ?", "i", id);
    stmt_next(st);
    int64_t n = stmt_changes(st);
    enum rc rc = stmt_done(st, err);
    if (rc == RC_OK && !n)
        return err_set(err, RC_NOTFOUND, "no interview #%lld (see govsite interview list)",
                       (long long)id);
    return rc;
}

enum rc interview_list(struct store *db, int32_t from, struct interview **out, size_t *n,
                       struct err *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct stmt *st = store_q(db,
                              "SELECT i.id, i.unit_id, COALESCE(u.short_name, u.name), i.topic, "
                              "i.day, i.created_at, i.created_by FROM interviews i JOIN units u "
                              "ON u.id = i.unit_id WHERE (? IS NULL OR i.day >= ?) ORDER BY "
                              "i.day, i.id",
                              "DD", from, from);
    while (stmt_next(st)) {
        *out = xgrow(*out, &cap, *n + 1, sizeof(**out));
        (*out)[(*n)++] = (struct interview){ .id = stmt_int(st, 0),
                                             .unit_id = stmt_int(st, 1),
                                             .unit = stmt_dup(st, 2),
                                             .topic = stmt_dup(st, 3),
                                             .day = stmt_date(st, 4),
                                             .created_at = stmt_int(st, 5),
                                             .created_by = stmt_dup(st, 6) };
    }
    enum rc rc = stmt_done(st, err);
    if (rc) {
        interviews_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

void interview_json(struct jw *w, const struct interview *iv)
{
    jw_obj(w);
    jw_kint(w, "id", iv->id);
    jw_kstr(w, "unit", iv->unit);
    jw_kdate(w, "date", iv->day);
    jw_kstr(w, "topic", iv->topic);
    jw_kstr(w, "created_by", iv->created_by);
    jw_end(w);
}

enum rc interview_next(struct store *db, int32_t from, struct interview *out, struct err *err)
{
    struct interview *v;
    size_t n;
    enum rc rc = interview_list(db, from, &v, &n, err);
    if (rc)
        return rc;
    if (!n) {
        free(v);
        return RC_NOTFOUND;
    }
    *out = v[0]; /* its strings move to *out */
    memset(&v[0], 0, sizeof(v[0]));
    interviews_free(v, n);
    return RC_OK;
}

/* ---- the bulletin ------------------------------------------------------------------ */

enum rc feed_bulletin_interview(struct store *db, int32_t from, struct buf *out, struct err *err)
{
    struct interview iv;
    enum rc rc = interview_next(db, from, &iv, err);
    if (rc)
        return rc;
    int y, m, d;
    date_to_ymd(iv.day, &y, &m, &d);
    buf_addf(out, "%d年%d月份“民生在线”访谈的单位为%s，时间暂定为", y, m, iv.unit);
    date_fmt_cn(iv.day, out);
    buf_addf(out, "。请%s做好各项准备工作。", iv.unit);
    interview_release(&iv);
    return RC_OK;
}

struct unit_count {
    int64_t unit_id;
    const char *unit;
    int missing, late;
};

enum rc feed_bulletin_repost(struct store *db, const struct clk *clk, int32_t from, int32_t to,
                             struct buf *out, struct err *err)
{
    struct feed_matrix_q q = { .from = from, .to = to,
                               .as_of = time_from_date(to + 1, 0, clk->tzoff) - 1 };
    struct feed_matrix *m;
    enum rc rc = feed_matrix_build(db, clk, &q, &m, err);
    if (rc)
        return rc;
    int counts[4];
    feed_matrix_counts(m, counts);
    size_t n = feed_matrix_n(m);
    /* Items: distinct item ids. */
    VEC(int64_t) items = VEC_INIT;
    VEC(struct unit_count) units = VEC_INIT;
    for (size_t i = 0; i < n; i++) {
        const struct feed_cell *c = feed_matrix_cell(m, i);
        bool seen = false;
        vec_foreach(&items, it) if (*it == c->item_id) seen = true;
        if (!seen)
            vec_push(&items, c->item_id);
        if (c->status != FEED_MISSING && c->status != FEED_LATE)
            continue;
        struct unit_count *u = NULL;
        vec_foreach(&units, x) if (x->unit_id == c->unit_id) u = x;
        if (!u) {
            struct unit_count z = { c->unit_id, c->unit ? c->unit : c->site, 0, 0 };
            vec_push(&units, z);
            u = &vec_last(&units);
        }
        if (c->status == FEED_MISSING)
            u->missing++;
        else
            u->late++;
    }
    if (!n) {
        buf_adds(out, "本月无需转载的上级政策信息。");
    } else {
        int judged = counts[FEED_ON_TIME] + counts[FEED_LATE] + counts[FEED_MISSING];
        buf_addf(out, "本月国家、省、市发布需转载的政策信息%zu条，各网站“政声传递”栏目应转载%d条次，"
                      "按时转载%d条次",
                 items.n, judged, counts[FEED_ON_TIME]);
        if (judged)
            buf_addf(out, "，按时转载率为%.1f%%", 100.0 * counts[FEED_ON_TIME] / judged);
        buf_adds(out, "。");
        if (units.n) {
            buf_adds(out, "存在未转载或转载不及时情况的单位：");
            for (size_t i = 0; i < units.n; i++) {
                const struct unit_count *u = &units.v[i];
                buf_addf(out, "%s%s", i ? "，" : "", u->unit);
                if (u->missing)
                    buf_addf(out, "未转载%d条", u->missing);
                if (u->late)
                    buf_addf(out, "%s超时转载%d条", u->missing ? "、" : "", u->late);
            }
            buf_adds(out, "。");
        }
    }
    vec_release(&items);
    vec_release(&units);
    feed_matrix_free(m);
    /* Sites whose re-post column is missing or misnamed. */
    struct stmt *st = store_sql(db, "SELECT s.name, COALESCE(u.short_name, u.name), f.kind FROM "
                                    "findings f JOIN sites s ON s.id = f.site_id LEFT JOIN units "
                                    "u ON u.id = s.unit_id WHERE f.kind IN "
                                    "('repost-column-missing', 'repost-column-misnamed') AND "
                                    "f.state = 'open' ORDER BY f.kind, s.name");
    int k = 0;
    while (stmt_next(st)) {
        bool missing = !strcmp(stmt_str(st, 2), "repost-column-missing");
        buf_addf(out, "%s%s", k ? "，" : "未按要求命名“政声传递”栏目的网站：", stmt_str(st, 0));
        buf_adds(out, missing ? "（未开设）" : "（名称不规范）");
        k++;
    }
    if (k)
        buf_adds(out, "。");
    return stmt_done(st, err);
}

enum rc feed_bulletin_tasks(struct store *db, const struct clk *clk, int32_t as_of,
                            struct buf *out, struct err *err)
{
    int64_t end = time_from_date(as_of + 1, 0, clk->tzoff) - 1;
    struct stmt *st = store_q(db,
                              "SELECT COALESCE(u.short_name, u.name), COUNT(*), MIN(t.due) FROM "
                              "tasks t JOIN units u ON u.id = t.unit_id WHERE t.due < ? AND "
                              "(t.state = 'open' OR (t.closed_at IS NOT NULL AND t.closed_at > "
                              "?)) AND t.created_at <= ? GROUP BY COALESCE(u.short_name, u.name) "
                              "ORDER BY COALESCE(u.short_name, u.name)",
                              "Dii", as_of, end, end);
    while (stmt_next(st)) {
        int32_t due = stmt_date(st, 2);
        buf_addf(out, "%s有%lld项整改任务逾期未完成（最早应于", stmt_str(st, 0),
                 (long long)stmt_int(st, 1));
        date_fmt_cn(due, out);
        buf_adds(out, "前完成）。");
    }
    return stmt_done(st, err);
}
