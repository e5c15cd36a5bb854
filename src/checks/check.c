/* check.c - the kinds of findings, check sessions, finding queries and dismissal
 * (check.h). */
#include "checks/check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/esc.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"

/* clang-format off */
/* The kinds of findings.  Indicators cite ../shared/docs/domain.md (§2.3 single veto,
 * §2.4 deductions, §2.6 the 2015 census) with its confidence marks. */
const struct check_kind check_kinds[] = {
    { "homepage-stale", "首页不更新", CHECK_SERIOUS, "site",
      "单项否决 3 首页不更新：2周内首页无更新 [C]", "freshness", true },
    { "column-stale", "栏目不更新", CHECK_NORMAL, "column",
      "单项否决 4(1)(2) 栏目不更新；扣分 政策文件类一级栏目6个月未更新 −5 [C]", "freshness", true },
    { "column-blank", "空白栏目", CHECK_NORMAL, "column",
      "单项否决 4(3) 空白栏目 ≥5 [C]", "freshness", true },
    { "link-broken-home", "首页链接不可用", CHECK_NORMAL, "url",
      "扣分 链接可用性（首页）[UNCONFIRMED]", "links", true },
    { "link-broken", "链接不可用", CHECK_NOTICE, "url",
      "扣分 链接可用性（其他页面）[UNCONFIRMED]", "links", true },
    { "link-retired", "链接指向已关停网址", CHECK_NORMAL, "url",
      "本市通报：链接原网上办事大厅等已关停网址（种子通报）", "links", true },
    { "host-unresolved", "链接主机无法解析", CHECK_NORMAL, "url",
      "扣分 链接可用性 [UNCONFIRMED]", "links", true },
    { "required-missing", "必要内容缺失", CHECK_NORMAL, "item",
      "扣分 发布解读（重点领域信息公开）[UNCONFIRMED]；本市通报", "required", true },
    { "wording", "表述错误", CHECK_NORMAL, "word",
      "单项否决 1(1) 严重表述错误（严重级）[C]；扣分 内容正确性 [UNCONFIRMED]", "wording", true },
    { "site-unavailable", "站点无法访问", CHECK_SERIOUS, "site",
      "单项否决 2 站点无法访问：1周、每天≥20次、≥15秒失败占比≥5% [C]", "probe", false },
    { "interaction-overdue", "留言超过3个月未回复", CHECK_SERIOUS, "item",
      "单项否决 5(2) 互动回应差：1年内有效留言超过3个月未回复 [C]", "cases", false },
    { "interaction-no-reply", "2个月无留言回复", CHECK_NORMAL, "column",
      "扣分 互动交流：前2个月无更新的留言回复 −3 [C]", "cases", false },
    { "service-stats-stale", "办事统计数据3个月未更新", CHECK_NORMAL, "column",
      "扣分 办事服务：办事统计数据前3个月未更新 −2 [C]", "freshness", true },
    { "repost-missing", "未转载上级政策信息", CHECK_NORMAL, "item",
      "市通报 二(一)：转载国家、省、市重要政策信息；国家抽查24小时内转载 [C]", "feed", true },
    { "repost-late", "转载政策信息不及时", CHECK_NOTICE, "item",
      "市通报 二(一)；国家抽查24小时内转载 [C]（时限可按来源设定）", "feed", true },
    { "repost-column-missing", "未开设政声传递栏目", CHECK_NORMAL, "site",
      "市通报 二(一)：转载栏目请命名为“政声传递” [C]", "feed", false },
    { "repost-column-misnamed", "转载栏目名称不规范", CHECK_NORMAL, "column",
      "市通报 二(一)：转载栏目请命名为“政声传递” [C]", "feed", false },
    { "catalogue-stale", "信息公开目录更新不及时", CHECK_NORMAL, "column",
      "市通报 二(二) 及附件2：政府信息公开目录更新不及时 [C]", "feed", true },
};
/* clang-format on */
const size_t check_nkinds = sizeof(check_kinds) / sizeof(check_kinds[0]);

const struct check_kind *check_kind_find(const char *key)
{
    if (!key)
        return NULL;
    for (size_t i = 0; i < check_nkinds; i++)
        if (!strcmp(check_kinds[i].key, key))
            return &check_kinds[i];
    return NULL;
}

enum rc check_kinds_valid(const char *list, struct err *err)
{
    struct str all = str_of(list), w;
    int n = 0;
    while (all.n) {
        str_split(&all, ',', &w);
        w = str_trim(w);
        bool found = false;
        for (size_t i = 0; i < check_nkinds && !found; i++)
            found = str_eqs(w, check_kinds[i].key);
        if (!found) {
            struct buf known = BUF_INIT;
            for (size_t i = 0; i < check_nkinds; i++)
                buf_addf(&known, "%s%s", i ? ", " : "", check_kinds[i].key);
            err_set(err, RC_INVALID, "unknown kind of finding '%.*s'; known kinds: %s", (int)w.n,
                    w.p, buf_cstr(&known));
            buf_release(&known);
            return RC_INVALID;
        }
        n++;
    }
    if (!n)
        return err_set(err, RC_INVALID, "no kind of finding given");
    return RC_OK;
}

static const char *const sev_names[] = { "", "notice", "normal", "serious" };
static const char *const sev_cn[] = { "", "提示", "一般", "严重" };

const char *check_severity_name(enum check_severity s)
{
    return s >= CHECK_NOTICE && s <= CHECK_SERIOUS ? sev_names[s] : "normal";
}

const char *check_severity_cn(enum check_severity s)
{
    return s >= CHECK_NOTICE && s <= CHECK_SERIOUS ? sev_cn[s] : "一般";
}

bool check_severity_parse(const char *s, enum check_severity *out)
{
    if (!s)
        return false;
    for (int i = CHECK_NOTICE; i <= CHECK_SERIOUS; i++) {
        if (!ascii_casecmp(s, sev_names[i]) || !strcmp(s, sev_cn[i])) {
            *out = (enum check_severity)i;
            return true;
        }
    }
    if (!strcmp(s, "疑似") || !ascii_casecmp(s, "suspect")) {
        *out = CHECK_NOTICE;
        return true;
    }
    return false;
}

/* ---- fingerprints ---------------------------------------------------------------- */

static uint64_t fmix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    h *= 0xc4ceb9fe1a85ec53ULL;
    h ^= h >> 33;
    return h;
}

/* Two independent 64-bit hashes of the key bytes: FNV-1a and a multiply-rotate hash.
 * The algorithm is part of the stored data ("v1:"); never change it in place. */
static void fp_add(uint64_t h[2], const void *p, size_t n)
{
    const unsigned char *b = p;
    for (size_t i = 0; i < n; i++) {
        h[0] = (h[0] ^ b[i]) * 1099511628211ULL;
        h[1] = ((h[1] + b[i] + 1) * 0x9e3779b97f4a7c15ULL);
        h[1] = (h[1] << 23) | (h[1] >> 41);
    }
    unsigned char sep = 0;
    h[0] = (h[0] ^ sep) * 1099511628211ULL;
    h[1] = ((h[1] + 0x5bd1e995) * 0x9e3779b97f4a7c15ULL);
}

void check_fingerprint(const char *kind, int64_t site_id, int64_t column_id, const char *url,
                       const char *subject, char out[40])
{
    uint64_t h[2] = { 1469598103934665603ULL, 0x243f6a8885a308d3ULL };
    char num[48];
    fp_add(h, kind, strlen(kind));
    snprintf(num, sizeof(num), "%lld", (long long)site_id);
    fp_add(h, num, strlen(num));
    snprintf(num, sizeof(num), "%lld", (long long)column_id);
    fp_add(h, num, strlen(num));
    fp_add(h, url ? url : "", url ? strlen(url) : 0);
    fp_add(h, subject, strlen(subject));
    snprintf(out, 40, "v1:%016llx%016llx", (unsigned long long)fmix(h[0]),
             (unsigned long long)fmix(h[1]));
}

/* ---- sessions -------------------------------------------------------------------- */

#define SUBJECT_MAX 2000

struct check_session {
    struct store *db;
    int64_t id, site_id, column_id, site_unit;
    int64_t at; /* the session's time */
    bool complete;
    char **kinds;
    size_t nkinds;
    struct check_tally t;
};

int64_t check_session_id(const struct check_session *s)
{
    return s->id;
}

int64_t check_session_time(const struct check_session *s)
{
    return s->at;
}

static void session_free(struct check_session *s)
{
    for (size_t i = 0; i < s->nkinds; i++)
        free(s->kinds[i]);
    free(s->kinds);
    free(s);
}

enum rc check_begin(struct store *db, const struct clk *clk, const struct check_scope *sc,
                    struct check_session **out, struct err *err)
{
    *out = NULL;
    if (!sc->kinds || check_kinds_valid(sc->kinds, err))
        return err_set(err, RC_INVALID, "a check session needs its kinds");
    struct check_session *s = XNEW(struct check_session);
    s->db = db;
    s->site_id = sc->site_id;
    s->column_id = sc->column_id;
    s->complete = sc->complete;
    s->at = clk_now(clk);
    struct str all = str_of(sc->kinds), w;
    while (all.n) {
        str_split(&all, ',', &w);
        w = str_trim(w);
        bool dup = false;
        for (size_t i = 0; i < s->nkinds; i++)
            dup |= str_eqs(w, s->kinds[i]);
        if (dup)
            continue;
        s->kinds = xrealloc(s->kinds, (s->nkinds + 1) * sizeof(char *));
        s->kinds[s->nkinds++] = str_dup(w);
    }
    enum rc rc =
        store_get_int(db, &s->site_unit, err, "SELECT COALESCE(unit_id, 0) FROM sites WHERE id = ?",
                      "i", sc->site_id);
    if (rc == RC_NOTFOUND)
        rc = err_set(err, RC_NOTFOUND, "no site with id %lld", (long long)sc->site_id);
    if (!rc && sc->column_id) {
        int64_t one;
        rc = store_get_int(db, &one, err, "SELECT 1 FROM site_columns WHERE id = ? AND site_id = ?",
                           "ii", sc->column_id, sc->site_id);
        if (rc == RC_NOTFOUND)
            rc = err_set(err, RC_INVALID, "column %lld is not a column of site %lld",
                         (long long)sc->column_id, (long long)sc->site_id);
    }
    if (!rc)
        rc = store_begin(db, err);
    if (rc) {
        session_free(s);
        return rc;
    }
    /* Supersede running sessions of this site that check any of the same kinds. */
    for (size_t i = 0; i < s->nkinds && !rc; i++)
        rc = store_exec(
            db, err,
            "UPDATE check_sessions SET state = 'superseded', ended_at = ? WHERE site_id = ? "
            "AND state = 'running' AND id IN (SELECT session_id FROM check_session_kinds "
            "WHERE kind = ?)",
            "iit", s->at, s->site_id, s->kinds[i]);
    struct stmt *st = store_q(
        db,
        "INSERT INTO check_sessions (site_id, column_id, kinds, complete, source, "
        "state, started_at) VALUES (?, ?, ?, ?, ?, 'running', ?) RETURNING id",
        "iUtbti", s->site_id, s->column_id, sc->kinds, (int)sc->complete, sc->source, s->at);
    if (!rc && stmt_next(st))
        s->id = stmt_int(st, 0);
    enum rc rc2 = stmt_done(st, err);
    rc = rc ? rc : rc2;
    for (size_t i = 0; i < s->nkinds && !rc; i++)
        rc = store_exec(db, err, "INSERT INTO check_session_kinds (session_id, kind) VALUES (?, ?)",
                        "it", s->id, s->kinds[i]);
    if (!rc)
        rc = store_commit(db, err);
    if (rc) {
        store_rollback(db);
        session_free(s);
        return rc;
    }
    *out = s;
    return RC_OK;
}

static bool session_has_kind(const struct check_session *s, const char *kind)
{
    for (size_t i = 0; i < s->nkinds; i++)
        if (!strcmp(s->kinds[i], kind))
            return true;
    return false;
}

/* Insert a history row. */
static enum rc add_event(struct store *db, int64_t finding, int64_t at, const char *event,
                         const char *state, int64_t session, const char *by, const char *reason,
                         const char *evidence, struct err *err)
{
    return store_exec(
        db, err,
        "INSERT INTO finding_events (finding_id, at, event, state, session_id, by_user, "
        "reason, evidence) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
        "iittUttt", finding, at, event, state, session, by, reason, evidence);
}

static enum rc report_validate(const struct check_session *s, const struct check_finding *f,
                               struct err *err)
{
    if (!f->kind || !session_has_kind(s, f->kind))
        return err_set(err, RC_INVALID,
                       "finding of kind '%s' reported in a session for other kinds",
                       f->kind ? f->kind : "(none)");
    if (str_empty(f->subject))
        return err_set(err, RC_INVALID, "finding of kind '%s' has no subject", f->kind);
    if (str_empty(f->summary))
        return err_set(err, RC_INVALID, "finding of kind '%s' has no summary", f->kind);
    if (!f->evidence || !json_valid(f->evidence, strlen(f->evidence), '{'))
        return err_set(err, RC_INVALID, "finding of kind '%s': evidence is not a JSON object",
                       f->kind);
    if (s->column_id && f->column_id != s->column_id)
        return err_set(err, RC_INVALID, "finding of kind '%s' is outside the session's column",
                       f->kind);
    return RC_OK;
}

/* The responsible unit: given, else the column's, else the site's (0 = none). */
static enum rc report_unit(struct check_session *s, const struct check_finding *f, int64_t *unit,
                           struct err *err)
{
    *unit = f->unit_id;
    if (*unit)
        return RC_OK;
    if (f->column_id) {
        struct stmt *st =
            store_q(s->db, "SELECT unit_id FROM site_columns WHERE id = ? AND site_id = ?", "ii",
                    f->column_id, s->site_id);
        bool found = stmt_next(st);
        if (found)
            *unit = stmt_int(st, 0);
        enum rc rc = stmt_done(st, err);
        if (rc)
            return rc;
        if (!found)
            return err_set(err, RC_INVALID, "column %lld is not a column of site %lld",
                           (long long)f->column_id, (long long)s->site_id);
    }
    if (!*unit)
        *unit = s->site_unit;
    return RC_OK;
}

/* What each sighting sets, at parameters idx … idx+4: value (or null), evidence, summary,
 * and the time twice (first/last seen, or the two arms of the last_seen maximum). */
static void bind_sighting(struct stmt *st, int idx, const struct check_finding *f, int64_t seen)
{
    if (f->has_value)
        stmt_bind_int(st, idx, f->value);
    else
        stmt_bind_null(st, idx);
    stmt_bind_text(st, idx + 1, f->evidence);
    stmt_bind_text(st, idx + 2, f->summary);
    stmt_bind_int(st, idx + 3, seen);
    stmt_bind_int(st, idx + 4, seen);
}

static enum rc report_tx(struct check_session *s, const struct check_finding *f,
                         const char *subject, int64_t *idp, struct err *err)
{
    struct store *db = s->db;
    const struct check_kind *k = check_kind_find(f->kind);
    enum check_severity sev = f->severity ? f->severity : k->severity;
    int64_t seen = f->seen_at ? f->seen_at : s->at;
    int64_t unit;
    enum rc rc = report_unit(s, f, &unit, err);
    if (rc)
        return rc;
    char fp[40];
    check_fingerprint(f->kind, s->site_id, f->column_id, f->url, subject, fp);

    struct stmt *st = store_q(db,
                              "SELECT id, state, seen_dismissed_at, dismissed_at FROM findings "
                              "WHERE fingerprint = ?",
                              "t", fp);
    int64_t id = 0, seen_dis = 0, dis_at = 0;
    char state[16] = "";
    if (stmt_next(st)) {
        id = stmt_int(st, 0);
        snprintf(state, sizeof(state), "%s", stmt_str(st, 1));
        seen_dis = stmt_int(st, 2);
        dis_at = stmt_int(st, 3);
    }
    if ((rc = stmt_done(st, err)))
        return rc;

    if (!id) {
        st = store_q(
            db,
            "INSERT INTO findings (fingerprint, kind, site_id, column_id, unit_id, url, subject, "
            "severity, value, evidence, summary, state, first_seen, last_seen, last_session_id) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'open', ?, ?, ?) RETURNING id",
            "ttiUUttI", fp, f->kind, s->site_id, f->column_id, unit, f->url, subject, (int)sev);
        bind_sighting(st, 9, f, seen);
        stmt_bind_int(st, 14, s->id);
        if (stmt_next(st))
            id = stmt_int(st, 0);
        if ((rc = stmt_done(st, err)))
            return rc;
        s->t.opened++;
        rc = add_event(db, id, seen, "opened", "open", s->id, NULL, NULL, f->evidence, err);
    } else {
        bool dismissed = !strcmp(state, "dismissed");
        bool resolved = !strcmp(state, "resolved");
        const char *new_state = dismissed ? "dismissed" : "open";
        st = store_q(
            db,
            "UPDATE findings SET state = ?, unit_id = ?, severity = ?, value = ?, evidence = ?, "
            "summary = ?, last_seen = CASE WHEN last_seen > ? THEN last_seen ELSE ? END, "
            "resolved_at = CASE WHEN ? = 1 THEN resolved_at ELSE NULL END, "
            "seen_dismissed_at = CASE WHEN ? = 1 THEN ? ELSE seen_dismissed_at END, "
            "last_session_id = ? WHERE id = ?",
            "tUI", new_state, unit, (int)sev);
        bind_sighting(st, 4, f, seen);
        stmt_bind_int(st, 9, dismissed);
        stmt_bind_int(st, 10, dismissed);
        stmt_bind_int(st, 11, seen);
        stmt_bind_int(st, 12, s->id);
        stmt_bind_int(st, 13, id);
        while (stmt_next(st))
            ;
        if ((rc = stmt_done(st, err)))
            return rc;
        if (resolved) {
            s->t.reopened++;
            rc = add_event(db, id, seen, "reopened", "open", s->id, NULL, NULL, f->evidence, err);
        } else if (dismissed) {
            s->t.dismissed_seen++;
            /* Record the first sighting after each dismissal; later ones only move
             * seen_dismissed_at and last_seen. */
            if (!seen_dis || seen_dis < dis_at)
                rc = add_event(db, id, seen, "seen-dismissed", "dismissed", s->id, NULL, NULL,
                               f->evidence, err);
        } else {
            s->t.updated++;
        }
    }
    if (!rc && idp)
        *idp = id;
    return rc;
}

enum rc check_report(struct check_session *s, const struct check_finding *f, int64_t *idp,
                     struct err *err)
{
    enum rc rc = report_validate(s, f, err);
    if (rc)
        return rc;
    /* Cap the subject (a very long URL) on a character boundary. */
    size_t n = strlen(f->subject);
    char *subject = NULL;
    if (n > SUBJECT_MAX) {
        size_t k = SUBJECT_MAX;
        while (k > 0 && ((unsigned char)f->subject[k] & 0xC0) == 0x80)
            k--;
        subject = xstrndup(f->subject, k);
    }
    if ((rc = store_begin(s->db, err)))
        goto out;
    rc = report_tx(s, f, subject ? subject : f->subject, idp, err);
    if (!rc)
        rc = store_commit(s->db, err);
    if (rc)
        store_rollback(s->db);
    else
        s->t.reported++;
out:
    free(subject);
    return rc;
}

#define RESOLVE_WHERE                                                                   \
    "FROM findings WHERE site_id = ? AND state = 'open' AND kind IN (SELECT kind FROM " \
    "check_session_kinds WHERE session_id = ?) AND (? = 0 OR column_id = ?) AND "       \
    "(last_session_id IS NULL OR last_session_id <> ?)"

enum rc check_end(struct check_session *s, struct check_tally *t, struct err *err)
{
    struct store *db = s->db;
    char *state = NULL;
    enum rc rc = store_begin(db, err);
    if (!rc)
        rc = store_get_text(db, &state, err, "SELECT state FROM check_sessions WHERE id = ?", "i",
                            s->id);
    if (!rc && strcmp(state ? state : "", "running"))
        rc = err_set(err, RC_CONFLICT,
                     "check session %lld was superseded by a newer check of the same site; it "
                     "resolved nothing",
                     (long long)s->id);
    if (!rc && s->complete) {
        rc = store_exec(
            db, err,
            "INSERT INTO finding_events (finding_id, at, event, state, session_id) SELECT id, "
            "?, 'resolved', 'resolved', ? " RESOLVE_WHERE,
            "iiiiiii", s->at, s->id, s->site_id, s->id, s->column_id, s->column_id, s->id);
        struct stmt *st =
            store_q(db,
                    "UPDATE findings SET state = 'resolved', resolved_at = ? WHERE id IN "
                    "(SELECT id " RESOLVE_WHERE ")",
                    "iiiiii", s->at, s->site_id, s->id, s->column_id, s->column_id, s->id);
        while (!rc && stmt_next(st))
            ;
        s->t.resolved = (int)stmt_changes(st);
        enum rc rc2 = stmt_done(st, err);
        rc = rc ? rc : rc2;
    }
    if (!rc)
        rc = store_exec(
            db, err,
            "UPDATE check_sessions SET state = 'done', ended_at = ?, reported = ?, opened = ?, "
            "reopened = ?, resolved = ? WHERE id = ?",
            "iiiiii", s->at, (int64_t)s->t.reported, (int64_t)s->t.opened, (int64_t)s->t.reopened,
            (int64_t)s->t.resolved, s->id);
    if (!rc)
        rc = store_commit(db, err);
    else
        store_rollback(db);
    free(state);
    if (t)
        *t = s->t;
    session_free(s);
    return rc;
}

void check_abort(struct check_session *s)
{
    if (!s)
        return;
    store_exec(s->db, NULL,
               "UPDATE check_sessions SET state = 'aborted', ended_at = ? WHERE id = ? AND "
               "state = 'running'",
               "ii", s->at, s->id);
    session_free(s);
}

/* ---- reading --------------------------------------------------------------------- */

void check_row_release(struct check_row *r)
{
    free(r->kind);
    free(r->site);
    free(r->column);
    free(r->unit);
    free(r->url);
    free(r->subject);
    free(r->evidence);
    free(r->summary);
    free(r->state);
    free(r->dismissed_by);
    free(r->dismiss_reason);
    memset(r, 0, sizeof(*r));
}

/* Columns read by row_from(); the state column is computed as of a moment when asked. */
#define ROW_COLS                                                                                    \
    "f.id, f.site_id, COALESCE(f.column_id, 0), COALESCE(f.unit_id, 0), f.kind, s.name, c.path, "   \
    "COALESCE(u.short_name, u.name), f.url, f.subject, f.evidence, f.summary, f.severity, "         \
    "f.value, f.first_seen, f.last_seen, COALESCE(f.resolved_at, 0), COALESCE(f.dismissed_at, 0), " \
    "f.dismissed_by, f.dismiss_reason, COALESCE(f.seen_dismissed_at, 0), "
#define ROW_FROM                                                                            \
    " FROM findings f JOIN sites s ON s.id = f.site_id LEFT JOIN site_columns c ON c.id = " \
    "f.column_id LEFT JOIN units u ON u.id = f.unit_id"

static void row_from(struct stmt *st, struct check_row *r)
{
    r->id = stmt_int(st, 0);
    r->site_id = stmt_int(st, 1);
    r->column_id = stmt_int(st, 2);
    r->unit_id = stmt_int(st, 3);
    r->kind = stmt_dup(st, 4);
    r->site = stmt_dup(st, 5);
    r->column = stmt_dup(st, 6);
    r->unit = stmt_dup(st, 7);
    r->url = stmt_dup(st, 8);
    r->subject = stmt_dup(st, 9);
    r->evidence = stmt_dup(st, 10);
    r->summary = stmt_dup(st, 11);
    r->severity = (enum check_severity)stmt_int(st, 12);
    r->has_value = !stmt_null(st, 13);
    r->value = stmt_int(st, 13);
    r->first_seen = stmt_int(st, 14);
    r->last_seen = stmt_int(st, 15);
    r->resolved_at = stmt_int(st, 16);
    r->dismissed_at = stmt_int(st, 17);
    r->dismissed_by = stmt_dup(st, 18);
    r->dismiss_reason = stmt_dup(st, 19);
    r->seen_dismissed_at = stmt_int(st, 20);
    r->state = stmt_dup(st, 21);
}

/* Resolution and dismissal as they stood at a moment, from the history. */
static void as_of_fields(struct store *db, struct check_row *r, int64_t t)
{
    bool resolved = r->state && !strcmp(r->state, "resolved");
    bool dismissed = r->state && !strcmp(r->state, "dismissed");
    r->resolved_at = 0;
    r->dismissed_at = 0;
    free(r->dismissed_by);
    free(r->dismiss_reason);
    r->dismissed_by = r->dismiss_reason = NULL;
    if (r->seen_dismissed_at > t)
        r->seen_dismissed_at = 0;
    if (!resolved && !dismissed)
        return;
    struct stmt *st =
        store_q(db,
                "SELECT at, by_user, reason FROM finding_events WHERE finding_id = ? AND "
                "event = ? AND at <= ? ORDER BY at DESC, id DESC LIMIT 1",
                "iti", r->id, resolved ? "resolved" : "dismissed", t);
    if (stmt_next(st)) {
        if (resolved) {
            r->resolved_at = stmt_int(st, 0);
        } else {
            r->dismissed_at = stmt_int(st, 0);
            r->dismissed_by = stmt_dup(st, 1);
            r->dismiss_reason = stmt_dup(st, 2);
        }
    }
    stmt_done(st, NULL);
}

enum rc check_findings_each(struct store *db, const struct check_query *q,
                            int (*fn)(const struct check_row *r, void *ctx), void *ctx,
                            struct err *err)
{
    const char *state = q->state ? q->state : "";
    const char *kind = q->kind ? q->kind : "";
    struct stmt *st;
    if (q->as_of) {
        /* The state as of a moment: the last event at or before it. */
        st = store_q(
            db,
            "SELECT * FROM (SELECT " ROW_COLS
            "(SELECT e.state FROM finding_events e WHERE e.finding_id = f.id AND e.at <= ? "
            "ORDER BY e.at DESC, e.id DESC LIMIT 1) AS st, COALESCE(c.path, '') AS sortpath" ROW_FROM
            " WHERE f.first_seen <= ? AND (? = 0 OR f.site_id = ?) AND (? = 0 OR f.unit_id = ?) "
            "AND (? = 0 OR f.column_id = ?) AND (? = '' OR f.kind = ?)) x WHERE (? = '' OR "
            "x.st = ?) ORDER BY x.site_id, x.kind, x.sortpath, x.id",
            "iiiiiiiitttt", q->as_of, q->as_of, q->site_id, q->site_id, q->unit_id, q->unit_id,
            q->column_id, q->column_id, kind, kind, state, state);
    } else {
        st = store_q(
            db,
            "SELECT " ROW_COLS "f.state" ROW_FROM
            " WHERE (? = 0 OR f.site_id = ?) AND (? = 0 OR f.unit_id = ?) AND (? = 0 OR "
            "f.column_id = ?) AND (? = '' OR f.kind = ?) AND (? = '' OR f.state = ?) ORDER BY "
            "f.site_id, f.kind, COALESCE(c.path, ''), f.id",
            "iiiiiitttt", q->site_id, q->site_id, q->unit_id, q->unit_id, q->column_id,
            q->column_id, kind, kind, state, state);
    }
    while (stmt_next(st)) {
        struct check_row r = { 0 };
        row_from(st, &r);
        if (q->as_of)
            as_of_fields(db, &r, q->as_of);
        int stop = fn(&r, ctx);
        check_row_release(&r);
        if (stop)
            break;
    }
    return stmt_done(st, err);
}

enum rc check_finding_get(struct store *db, int64_t id, struct check_row *out, struct err *err)
{
    memset(out, 0, sizeof(*out));
    struct stmt *st = store_q(db, "SELECT " ROW_COLS "f.state" ROW_FROM " WHERE f.id = ?", "i", id);
    bool found = stmt_next(st);
    if (found)
        row_from(st, out);
    enum rc rc = stmt_done(st, err);
    if (!rc && !found)
        rc = err_set(err, RC_NOTFOUND, "no finding with id %lld; list them with 'govsite findings'",
                     (long long)id);
    return rc;
}

enum rc check_finding_events(struct store *db, int64_t id,
                             void (*fn)(const struct check_event *ev, void *ctx), void *ctx,
                             struct err *err)
{
    struct stmt *st =
        store_q(db,
                "SELECT id, at, COALESCE(session_id, 0), event, state, by_user, reason, "
                "evidence FROM finding_events WHERE finding_id = ? ORDER BY at, id",
                "i", id);
    while (stmt_next(st)) {
        struct check_event ev = {
            .id = stmt_int(st, 0),
            .at = stmt_int(st, 1),
            .session_id = stmt_int(st, 2),
            .event = stmt_str(st, 3),
            .state = stmt_str(st, 4),
            .by = stmt_text(st, 5),
            .reason = stmt_text(st, 6),
            .evidence = stmt_text(st, 7),
        };
        fn(&ev, ctx);
    }
    return stmt_done(st, err);
}

static enum rc change_state(struct store *db, const struct clk *clk, int64_t id, const char *reason,
                            const char *by, bool dismiss, struct err *err)
{
    if (str_empty(reason))
        return err_set(err, RC_INVALID, "a reason is required (--reason TEXT)");
    if (str_empty(by))
        return err_set(err, RC_INVALID, "the person is required (--by USER)");
    int64_t now = clk_now(clk);
    char *state = NULL;
    enum rc rc = store_begin(db, err);
    if (rc)
        return rc;
    rc = store_get_text(db, &state, err, "SELECT state FROM findings WHERE id = ?", "i", id);
    if (rc == RC_NOTFOUND)
        rc = err_set(err, RC_NOTFOUND, "no finding with id %lld; list them with 'govsite findings'",
                     (long long)id);
    if (!rc && dismiss && !strcmp(state, "dismissed"))
        rc = err_set(err, RC_CONFLICT, "finding %lld is already dismissed", (long long)id);
    if (!rc && !dismiss && strcmp(state, "dismissed"))
        rc = err_set(err, RC_CONFLICT, "finding %lld is not dismissed (it is %s)", (long long)id,
                     state);
    if (!rc && dismiss)
        rc = store_exec(
            db, err,
            "UPDATE findings SET state = 'dismissed', dismissed_at = ?, dismissed_by = ?, "
            "dismiss_reason = ?, seen_dismissed_at = NULL WHERE id = ?",
            "itti", now, by, reason, id);
    if (!rc && !dismiss)
        rc = store_exec(
            db, err,
            "UPDATE findings SET state = 'open', resolved_at = NULL, dismissed_at = NULL, "
            "dismissed_by = NULL, dismiss_reason = NULL, seen_dismissed_at = NULL WHERE id = ?",
            "i", id);
    if (!rc)
        rc = add_event(db, id, now, dismiss ? "dismissed" : "restored",
                       dismiss ? "dismissed" : "open", 0, by, reason, NULL, err);
    if (!rc)
        rc = store_commit(db, err);
    else
        store_rollback(db);
    free(state);
    return rc;
}

enum rc check_finding_dismiss(struct store *db, const struct clk *clk, int64_t id,
                              const char *reason, const char *by, struct err *err)
{
    return change_state(db, clk, id, reason, by, true, err);
}

enum rc check_finding_restore(struct store *db, const struct clk *clk, int64_t id,
                              const char *reason, const char *by, struct err *err)
{
    return change_state(db, clk, id, reason, by, false, err);
}

void check_row_json(struct jw *w, const struct check_row *r, int tzoff)
{
    jw_obj(w);
    check_row_json_fields(w, r, tzoff);
    jw_end(w);
}

void check_row_json_fields(struct jw *w, const struct check_row *r, int tzoff)
{
    const struct check_kind *k = check_kind_find(r->kind);
    jw_kint(w, "id", r->id);
    jw_kstr(w, "kind", r->kind);
    jw_kstr(w, "kind_name", k ? k->name : r->kind);
    jw_kstr(w, "site", r->site);
    jw_kstr(w, "unit", r->unit);
    jw_kstr(w, "column", r->column);
    jw_kstr(w, "url", r->url);
    jw_kstr(w, "subject", r->subject);
    jw_kstr(w, "severity", check_severity_name(r->severity));
    jw_kstr(w, "state", r->state);
    jw_kstr(w, "summary", r->summary);
    jw_key(w, "evidence");
    if (r->evidence && json_valid(r->evidence, strlen(r->evidence), '{'))
        jw_raw(w, r->evidence);
    else
        jw_str(w, r->evidence);
    if (r->has_value)
        jw_kint(w, "value", r->value);
    else
        jw_knull(w, "value");
    jw_ktime(w, "first_seen", r->first_seen, tzoff);
    jw_ktime(w, "last_seen", r->last_seen, tzoff);
    jw_ktime(w, "resolved_at", r->resolved_at, tzoff);
    jw_key(w, "dismissed");
    if (r->dismissed_at) {
        jw_obj(w);
        jw_ktime(w, "at", r->dismissed_at, tzoff);
        jw_kstr(w, "by", r->dismissed_by);
        jw_kstr(w, "reason", r->dismiss_reason);
        jw_ktime(w, "seen_again", r->seen_dismissed_at, tzoff);
        jw_end(w);
    } else {
        jw_null(w);
    }
}

/* ---- pages of findings ----------------------------------------------------------- */

/* The sort keys over `findings f`, each the column after `state` in an index of
 * 0010_web2.sql, with f.id. */
static const struct {
    const char *key, *expr;
} page_sorts[] = {
    [CHECK_SORT_ID] = { "id", "f.id" },
    [CHECK_SORT_LAST_SEEN] = { "last_seen", "f.last_seen" },
    [CHECK_SORT_SEVERITY] = { "severity", "f.severity" },
};

bool check_sort_parse(const char *s, enum check_sort *sort, bool *desc)
{
    int i = keyset_sort_parse(s, &page_sorts[0].key, sizeof(page_sorts[0]),
                              sizeof(page_sorts) / sizeof(page_sorts[0]), desc);
    if (i >= 0)
        *sort = (enum check_sort)i;
    return i >= 0;
}

/* Only the conditions in use, so each query is an index walk; values bound in order. */
static void page_where(const struct check_page_q *q, struct buf *sql)
{
    buf_adds(sql, " WHERE 1 = 1");
    if (q->f.state)
        buf_adds(sql, " AND f.state = ?");
    if (q->f.site_id)
        buf_adds(sql, " AND f.site_id = ?");
    if (q->f.unit_id)
        buf_adds(sql, " AND f.unit_id = ?");
    if (q->f.column_id)
        buf_adds(sql, " AND f.column_id = ?");
    if (q->f.kind)
        buf_adds(sql, " AND f.kind = ?");
    if (q->q)
        buf_adds(sql, " AND (f.subject LIKE ? ESCAPE '\\' OR f.summary LIKE ? ESCAPE '\\' OR "
                      "f.url LIKE ? ESCAPE '\\')");
}

static int page_bind(struct stmt *st, const struct check_page_q *q, const char *like)
{
    int i = 1;
    if (q->f.state)
        stmt_bind_text(st, i++, q->f.state);
    if (q->f.site_id)
        stmt_bind_int(st, i++, q->f.site_id);
    if (q->f.unit_id)
        stmt_bind_int(st, i++, q->f.unit_id);
    if (q->f.column_id)
        stmt_bind_int(st, i++, q->f.column_id);
    if (q->f.kind)
        stmt_bind_text(st, i++, q->f.kind);
    if (q->q)
        for (int k = 0; k < 3; k++)
            stmt_bind_text(st, i++, like);
    return i;
}

static char *like_of(const char *s)
{
    if (!s)
        return NULL;
    struct buf b = BUF_INIT;
    esc_like(&b, s);
    return buf_take(&b);
}

enum rc check_findings_page(struct store *db, const struct check_page_q *q, struct check_row **out,
                            size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    if (q->f.as_of)
        BUG("check_findings_page is for the current state");
    if (q->pos.set && q->pos.text)
        return err_set(err, RC_INVALID, "the list position is not one of this order (%s)",
                       page_sorts[q->sort].key);
    struct buf sql = BUF_INIT;
    bool skip = q->offset && !q->pos.set;
    buf_adds(&sql, "SELECT " ROW_COLS "f.state" ROW_FROM);
    /* skipping rows: the ids come from the index alone (a deferred join) */
    if (skip)
        buf_adds(&sql, " WHERE f.id IN (SELECT f.id FROM findings f");
    page_where(q, &sql);
    keyset_where(&sql, page_sorts[q->sort].expr, "f.id", q->desc, &q->pos);
    keyset_order(&sql, page_sorts[q->sort].expr, "f.id", q->desc, &q->pos);
    buf_adds(&sql, skip ? " LIMIT ? OFFSET ?)" : " LIMIT ?");
    if (skip)
        keyset_order(&sql, page_sorts[q->sort].expr, "f.id", q->desc, &q->pos);
    char *like = like_of(q->q);
    struct stmt *st = store_sql(db, buf_cstr(&sql));
    int i = keyset_bind(st, page_bind(st, q, like), &q->pos);
    stmt_bind_int(st, i, q->limit ? (int64_t)q->limit : INT64_MAX);
    if (skip)
        stmt_bind_int(st, i + 1, q->offset);
    size_t cap = 0;
    while (stmt_next(st)) {
        *out = xgrow(*out, &cap, *n + 1, sizeof(**out));
        memset(&(*out)[*n], 0, sizeof(**out));
        row_from(st, &(*out)[(*n)++]);
    }
    enum rc rc = stmt_done(st, err);
    buf_release(&sql);
    free(like);
    if (!rc && q->pos.set && q->pos.before) /* read backwards: display order */
        for (size_t a = 0, b = *n; a + 1 < b; a++, b--) {
            struct check_row t = (*out)[a];
            (*out)[a] = (*out)[b - 1];
            (*out)[b - 1] = t;
        }
    if (rc) {
        check_rows_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

void check_rows_free(struct check_row *rows, size_t n)
{
    for (size_t i = 0; i < n; i++)
        check_row_release(&rows[i]);
    free(rows);
}

enum rc check_findings_count(struct store *db, const struct check_page_q *q, int64_t *n,
                             struct err *err)
{
    struct buf sql = BUF_INIT;
    buf_adds(&sql, "SELECT COUNT(*) FROM findings f");
    page_where(q, &sql);
    char *like = like_of(q->q);
    struct stmt *st = store_sql(db, buf_cstr(&sql));
    page_bind(st, q, like);
    *n = stmt_next(st) ? stmt_int(st, 0) : 0;
    enum rc rc = stmt_done(st, err);
    buf_release(&sql);
    free(like);
    return rc;
}

void check_row_cursor(const struct check_page_q *q, const struct check_row *r, struct buf *out)
{
    int64_t v = q->sort == CHECK_SORT_LAST_SEEN  ? r->last_seen
                : q->sort == CHECK_SORT_SEVERITY ? (int64_t)r->severity
                                                 : r->id;
    keyset_encode(out, false, v, NULL, r->id);
}

enum rc check_open_by_unit(struct store *db, int64_t site_id,
                           void (*fn)(int64_t unit_id, const char *unit, int64_t n, void *ctx),
                           void *ctx, struct err *err)
{
    struct stmt *st =
        store_q(db,
                "SELECT COALESCE(f.unit_id, 0), COALESCE(u.short_name, u.name), COUNT(*) FROM "
                "findings f LEFT JOIN units u ON u.id = f.unit_id WHERE f.state = 'open' AND (? = "
                "0 OR f.site_id = ?) GROUP BY COALESCE(f.unit_id, 0), COALESCE(u.short_name, "
                "u.name) ORDER BY COUNT(*) DESC, COALESCE(f.unit_id, 0)",
                "ii", site_id, site_id);
    while (stmt_next(st))
        fn(stmt_int(st, 0), stmt_text(st, 1), stmt_int(st, 2), ctx);
    return stmt_done(st, err);
}

void check_event_json(struct jw *w, const struct check_event *ev, int tzoff)
{
    jw_obj(w);
    jw_ktime(w, "at", ev->at, tzoff);
    jw_kstr(w, "event", ev->event);
    jw_kstr(w, "state", ev->state);
    if (ev->session_id)
        jw_kint(w, "session", ev->session_id);
    else
        jw_knull(w, "session");
    jw_kstr(w, "by", ev->by);
    jw_kstr(w, "reason", ev->reason);
    jw_end(w);
}
