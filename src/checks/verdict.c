/* verdict.c - facts from findings, the scoring profile and the 19号 verdict (check.h). */
#include <ini.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "checks/check.h"
#include "checks/probe.h"
#include "core/date.h"
#include "core/res.h"
#include "core/str.h"
#include "core/xalloc.h"

/* ---- facts ----------------------------------------------------------------------- */

/* clang-format off */
/* How open findings become the counts the rules read (docs/checks.md, "Facts").  The
 * freshness limits of the 19号 windows are applied here through min_value (the days
 * since the column's latest item): 2 weeks for 动态要闻, 6 months (180 days, domain.md
 * §5) for 通知公告 and 政策文件. */
const struct check_fact_def check_fact_defs[] = {
    { "homepage_stale", "homepage-stale", NULL, false, 0, 0, false,
      "首页2周未更新" },
    { "stale_news", "column-stale", "动态要闻", false, 15, 0, true,
      "动态要闻类栏目超过2周未更新" },
    { "stale_notice_policy_top", "column-stale", "通知公告|政策文件", true, 181, 0, true,
      "通知公告、政策文件类一级栏目超过6个月未更新" },
    { "stale_columns", "column-stale|column-blank", NULL, false, 0, 0, true,
      "应更新未更新的栏目（含空白栏目，2015年普查口径）" },
    { "blank_columns", "column-blank", NULL, false, 0, 0, true,
      "空白栏目" },
    { "unavailable", "site-unavailable", NULL, false, 0, 0, false,
      "站点无法访问（1周监测失败或≥15秒占比≥5%）" },
    { "serious_wording", "wording", NULL, false, 0, CHECK_SERIOUS, false,
      "严重表述错误" },
    { "wording_errors", "wording", NULL, false, 0, CHECK_NORMAL, false,
      "一般及以上表述错误" },
    { "interaction_overdue", "interaction-overdue", NULL, false, 0, 0, false,
      "留言超过3个月未回复" },
    { "interaction_no_reply", "interaction-no-reply", NULL, false, 0, 0, true,
      "前2个月无更新的留言回复" },
    { "policy_top_stale", "column-stale|column-blank", "政策文件", true, 181, 0, true,
      "政策文件类一级栏目6个月未更新" },
    { "service_stats_stale", "service-stats-stale", NULL, false, 0, 0, true,
      "办事统计数据3个月未更新" },
    { "broken_links_home", "link-broken-home", NULL, false, 0, 0, false,
      "首页不可用链接" },
    { "broken_links_other", "link-broken|host-unresolved", NULL, false, 0, 0, false,
      "其他页面不可用链接" },
    { "retired_links", "link-retired", NULL, false, 0, 0, false,
      "指向已关停网址的链接" },
    { "required_missing", "required-missing", NULL, false, 0, 0, false,
      "必要内容缺失" },
};
/* clang-format on */
const size_t check_nfact_defs = sizeof(check_fact_defs) / sizeof(check_fact_defs[0]);

void check_facts_init(struct check_facts *f, int64_t site_id, int32_t as_of)
{
    memset(f, 0, sizeof(*f));
    f->site_id = site_id;
    f->as_of = as_of;
}

void check_facts_release(struct check_facts *f)
{
    for (size_t i = 0; i < f->n; i++) {
        free(f->v[i].name);
        free(f->v[i].columns);
    }
    free(f->v);
    for (size_t i = 0; i < f->nnotes; i++)
        free(f->notes[i]);
    free(f->notes);
    memset(f, 0, sizeof(*f));
}

static struct check_fact *fact_slot(struct check_facts *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->v[i].name, name))
            return &f->v[i];
    f->v = xgrow(f->v, &f->cap, f->n + 1, sizeof(*f->v));
    struct check_fact *x = &f->v[f->n++];
    memset(x, 0, sizeof(*x));
    x->name = xstrdup(name);
    return x;
}

void check_facts_set(struct check_facts *f, const char *name, int64_t value)
{
    fact_slot(f, name)->value = value;
}

void check_facts_add_column(struct check_facts *f, const char *name, int64_t column_id)
{
    struct check_fact *x = fact_slot(f, name);
    for (size_t i = 0; i < x->ncolumns; i++)
        if (x->columns[i] == column_id)
            return;
    x->columns = xgrow(x->columns, &x->capcolumns, x->ncolumns + 1, sizeof(int64_t));
    x->columns[x->ncolumns++] = column_id;
    x->value++;
}

const struct check_fact *check_facts_get(const struct check_facts *f, const char *name)
{
    for (size_t i = 0; i < f->n; i++)
        if (!strcmp(f->v[i].name, name))
            return &f->v[i];
    return NULL;
}

void check_facts_note(struct check_facts *f, const char *fmt, ...)
{
    struct buf b = BUF_INIT;
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&b, fmt, ap);
    va_end(ap);
    f->notes = xgrow(f->notes, &f->capnotes, f->nnotes + 1, sizeof(char *));
    f->notes[f->nnotes++] = buf_take(&b);
}

static bool in_list(const char *list, const char *word)
{
    struct str all = str_of(list), w;
    while (all.n) {
        str_split(&all, '|', &w);
        if (str_eqs(w, word ? word : ""))
            return true;
    }
    return false;
}

enum rc check_facts_collect(struct store *db, int64_t site_id, int32_t as_of, int tzoff,
                            struct check_facts *f, struct err *err)
{
    int64_t end = time_from_date(as_of + 1, 0, tzoff) - 1;
    for (size_t i = 0; i < check_nfact_defs; i++)
        check_facts_set(f, check_fact_defs[i].fact, 0);
    struct stmt *st =
        store_q(db,
                "SELECT * FROM (SELECT f.kind, f.severity, f.value, COALESCE(f.column_id, 0), "
                "c.class, c.path, (SELECT e.state FROM finding_events e WHERE e.finding_id = "
                "f.id AND e.at <= ? ORDER BY e.at DESC, e.id DESC LIMIT 1) AS st FROM findings "
                "f LEFT JOIN site_columns c ON c.id = f.column_id WHERE f.site_id = ? AND "
                "f.first_seen <= ?) x WHERE x.st = 'open'",
                "iii", end, site_id, end);
    while (stmt_next(st)) {
        const char *kind = stmt_str(st, 0);
        int sev = (int)stmt_int(st, 1);
        bool has_value = !stmt_null(st, 2);
        int64_t value = stmt_int(st, 2), col = stmt_int(st, 3);
        const char *cls = stmt_text(st, 4), *path = stmt_text(st, 5);
        for (size_t i = 0; i < check_nfact_defs; i++) {
            const struct check_fact_def *d = &check_fact_defs[i];
            if (!in_list(d->kinds, kind))
                continue;
            if (d->classes && !in_list(d->classes, cls))
                continue;
            if (d->top_level && (!path || strchr(path, '>')))
                continue;
            if (d->min_value && has_value && value < d->min_value)
                continue;
            if (d->min_severity && sev < (int)d->min_severity)
                continue;
            if (col && d->per_column)
                check_facts_add_column(f, d->fact, col);
            else
                fact_slot(f, d->fact)->value++;
        }
    }
    return stmt_done(st, err);
}

/* ---- the profile ----------------------------------------------------------------- */

struct rule {
    bool veto;
    char *key, *name, *group, *reason, *indicator, *source;
    char **facts; /* summed: "stale_news + stale_notice_policy_top" */
    size_t nfacts;
    int64_t at_least; /* veto: value ≥ this; deduction: counts from this many */
    double points, max;
    enum { PER_ONCE, PER_EACH } per;
    bool confirmed, has_max;
};

struct check_profile {
    char *name, *file;
    double total, pass;
    struct rule *rules;
    size_t n, cap;
    /* parsing state */
    struct rule *cur;
    bool in_profile;
    char errmsg[512];
};

static void rule_release(struct rule *r)
{
    free(r->key);
    free(r->name);
    free(r->group);
    free(r->reason);
    free(r->indicator);
    free(r->source);
    for (size_t i = 0; i < r->nfacts; i++)
        free(r->facts[i]);
    free(r->facts);
}

void check_profile_free(struct check_profile *p)
{
    if (!p)
        return;
    for (size_t i = 0; i < p->n; i++)
        rule_release(&p->rules[i]);
    free(p->rules);
    free(p->name);
    free(p->file);
    free(p);
}

const char *check_profile_name(const struct check_profile *p)
{
    return p->name ? p->name : p->file;
}

static bool fact_known(const char *name)
{
    for (size_t i = 0; i < check_nfact_defs; i++)
        if (!strcmp(check_fact_defs[i].fact, name))
            return true;
    return false;
}

static int perr(struct check_profile *p, const char *fmt, ...) FMT_PRINTF(2, 3);
static int perr(struct check_profile *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(p->errmsg, sizeof(p->errmsg), fmt, ap);
    va_end(ap);
    return 0;
}

static bool parse_bool(const char *v, bool *out)
{
    if (!ascii_casecmp(v, "yes") || !ascii_casecmp(v, "true") || !strcmp(v, "1") ||
        !strcmp(v, "是")) {
        *out = true;
        return true;
    }
    if (!ascii_casecmp(v, "no") || !ascii_casecmp(v, "false") || !strcmp(v, "0") ||
        !strcmp(v, "否")) {
        *out = false;
        return true;
    }
    return false;
}

static int parse_facts(struct check_profile *p, struct rule *r, const char *v)
{
    struct str all = str_of(v), w;
    while (all.n) {
        str_split(&all, '+', &w);
        w = str_trim(w);
        char *name = str_dup(w);
        if (!fact_known(name)) {
            struct buf known = BUF_INIT;
            for (size_t i = 0; i < check_nfact_defs; i++)
                buf_addf(&known, "%s%s", i ? ", " : "", check_fact_defs[i].fact);
            perr(p, "[%s %s]: unknown fact '%s'; known facts: %s", r->veto ? "veto" : "deduct",
                 r->key, name, buf_cstr(&known));
            buf_release(&known);
            free(name);
            return 0;
        }
        r->facts = xrealloc(r->facts, (r->nfacts + 1) * sizeof(char *));
        r->facts[r->nfacts++] = name;
    }
    return r->nfacts ? 1 : perr(p, "[%s %s]: fact is empty", r->veto ? "veto" : "deduct", r->key);
}

static int on_ini(void *user, const char *section, const char *key, const char *value)
{
    struct check_profile *p = user;
    /* A new section starts a new rule (inih calls with key NULL when
     * INI_CALL_HANDLER_ON_NEW_SECTION is set; otherwise we detect the change by name). */
    const char *sec = section;
    bool veto = !strncmp(sec, "veto ", 5), deduct = !strncmp(sec, "deduct ", 7);
    if (!strcmp(sec, "profile")) {
        p->cur = NULL;
        if (!strcmp(key, "name")) {
            free(p->name);
            p->name = xstrdup(value);
        } else if (!strcmp(key, "total") || !strcmp(key, "pass")) {
            double d;
            if (!str_to_double(str_of(value), &d) || d < 0 || d > 1000)
                return perr(p, "[profile] %s: '%s' is not a number of points", key, value);
            *(strcmp(key, "total") ? &p->pass : &p->total) = d;
        } else {
            return perr(p, "[profile]: unknown key '%s' (name, total, pass)", key);
        }
        return 1;
    }
    if (!veto && !deduct)
        return perr(p, "unknown section [%s]; use [profile], [veto KEY] or [deduct KEY]", sec);
    const char *rkey = sec + (veto ? 5 : 7);
    if (!p->cur || strcmp(p->cur->key, rkey) || p->cur->veto != veto) {
        for (size_t i = 0; i < p->n; i++)
            if (!strcmp(p->rules[i].key, rkey))
                return perr(p, "[%s]: the key '%s' is used twice", sec, rkey);
        p->rules = xgrow(p->rules, &p->cap, p->n + 1, sizeof(*p->rules));
        p->cur = &p->rules[p->n++];
        memset(p->cur, 0, sizeof(*p->cur));
        p->cur->veto = veto;
        p->cur->key = xstrdup(rkey);
        p->cur->at_least = 1;
        p->cur->per = PER_ONCE;
    }
    struct rule *r = p->cur;
    if (!strcmp(key, "fact"))
        return r->nfacts ? perr(p, "[%s]: fact given twice", sec) : parse_facts(p, r, value);
    char **text = !strcmp(key, "reason")      ? &r->reason
                  : !strcmp(key, "indicator") ? &r->indicator
                  : !strcmp(key, "source")    ? &r->source
                  : !strcmp(key, "name")      ? &r->name
                  : !strcmp(key, "group")     ? &r->group
                                              : NULL;
    if (text) {
        free(*text);
        *text = xstrdup(value);
        return 1;
    }
    if (!strcmp(key, "confirmed")) {
        if (!parse_bool(value, &r->confirmed))
            return perr(p, "[%s] confirmed: '%s' is not yes or no", sec, value);
        return 1;
    }
    if (!strcmp(key, "at_least")) {
        if (!str_to_i64(str_of(value), &r->at_least) || r->at_least < 1)
            return perr(p, "[%s] at_least: '%s' is not a positive whole number", sec, value);
        return 1;
    }
    if (!veto && (!strcmp(key, "points") || !strcmp(key, "max"))) {
        double d;
        if (!str_to_double(str_of(value), &d) || !(d >= 0) || d > 1000)
            return perr(p, "[%s] %s: '%s' is not a number of points", sec, key, value);
        if (!strcmp(key, "points"))
            r->points = d;
        else
            r->max = d, r->has_max = true;
        return 1;
    }
    if (!veto && !strcmp(key, "per")) {
        if (!strcmp(value, "once"))
            r->per = PER_ONCE;
        else if (!strcmp(value, "each"))
            r->per = PER_EACH;
        else
            return perr(p, "[%s] per: '%s' is not once or each", sec, value);
        return 1;
    }
    return perr(p, "[%s]: unknown key '%s'", sec, key);
}

enum rc check_profile_parse(const char *name, const char *text, size_t n,
                            struct check_profile **out, struct err *err)
{
    *out = NULL;
    if (memchr(text, 0, n))
        return err_set(err, RC_PARSE, "%s: a NUL byte in a scoring profile", name);
    struct check_profile *p = XNEW(struct check_profile);
    p->file = xstrdup(name);
    p->total = 100;
    p->pass = 60;
    char *copy = xstrndup(text, n);
    int line = ini_parse_string(copy, on_ini, p);
    free(copy);
    if (line) {
        if (!p->errmsg[0])
            snprintf(p->errmsg, sizeof(p->errmsg),
                     "cannot parse this line (lines are at most 199 "
                     "bytes; use key = value)");
        err_set(err, RC_PARSE, "%s:%d: %s", name, line, p->errmsg);
        check_profile_free(p);
        return RC_PARSE;
    }
    for (size_t i = 0; i < p->n; i++) {
        struct rule *r = &p->rules[i];
        const char *what = r->veto ? "veto" : "deduct";
        if (!r->nfacts) {
            err_set(err, RC_PARSE, "%s: [%s %s] names no fact", name, what, r->key);
            break;
        }
        if (r->veto && !r->reason) {
            err_set(err, RC_PARSE, "%s: [veto %s] needs a reason", name, r->key);
            break;
        }
        if (!r->veto && !r->name) {
            err_set(err, RC_PARSE, "%s: [deduct %s] needs a name", name, r->key);
            break;
        }
        if (!r->veto && !r->has_max)
            r->max = r->per == PER_ONCE ? r->points : p->total;
    }
    if (err && err->rc) {
        check_profile_free(p);
        return RC_PARSE;
    }
    if (p->pass > p->total) {
        err_set(err, RC_PARSE, "%s: the pass mark %g is above the total %g", name, p->pass,
                p->total);
        check_profile_free(p);
        return RC_PARSE;
    }
    *out = p;
    return RC_OK;
}

enum rc check_profile_load(const char *name, struct check_profile **out, struct err *err)
{
    struct buf b;
    buf_init(&b, 1u << 20);
    enum rc rc = strchr(name, '/') && !res_find_embedded(name) ? buf_read_file(&b, name, err)
                                                               : res_load(name, &b, NULL, err);
    if (!rc)
        rc = check_profile_parse(name, buf_cstr(&b), b.n, out, err);
    buf_release(&b);
    return rc;
}

/* ---- the verdict ----------------------------------------------------------------- */

void check_verdict_release(struct check_verdict *v)
{
    free(v->profile);
    for (size_t i = 0; i < v->nvetoes; i++) {
        free(v->vetoes[i].key);
        free(v->vetoes[i].reason);
        free(v->vetoes[i].indicator);
        free(v->vetoes[i].source);
    }
    free(v->vetoes);
    for (size_t i = 0; i < v->ndeductions; i++) {
        free(v->deductions[i].key);
        free(v->deductions[i].group);
        free(v->deductions[i].name);
        free(v->deductions[i].source);
    }
    free(v->deductions);
    for (size_t i = 0; i < v->nnotes; i++)
        free(v->notes[i]);
    free(v->notes);
    memset(v, 0, sizeof(*v));
}

const char *check_verdict_word(const struct check_verdict *v)
{
    return v->pass ? "合格" : "不合格";
}

/* "{n}" in a reason becomes the value. */
static char *fill_reason(const char *tmpl, int64_t value)
{
    struct buf b = BUF_INIT;
    for (const char *s = tmpl; *s; s++) {
        if (!strncmp(s, "{n}", 3)) {
            buf_addf(&b, "%lld", (long long)value);
            s += 2;
        } else {
            buf_addc(&b, *s);
        }
    }
    return buf_take(&b);
}

struct colset {
    int64_t *v;
    size_t n, cap;
};

static bool colset_has(const struct colset *s, int64_t id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->v[i] == id)
            return true;
    return false;
}

static void colset_add(struct colset *s, int64_t id)
{
    if (colset_has(s, id))
        return;
    s->v = xgrow(s->v, &s->cap, s->n + 1, sizeof(int64_t));
    s->v[s->n++] = id;
}

/* The value of a rule: facts summed; columns counted once across the facts, and for
 * deductions not counting columns already penalised by an earlier rule. */
static int64_t rule_value(const struct rule *r, const struct check_facts *f,
                          const struct colset *penalised, struct colset *cols)
{
    int64_t loose = 0;
    for (size_t i = 0; i < r->nfacts; i++) {
        const struct check_fact *x = check_facts_get(f, r->facts[i]);
        if (!x)
            continue;
        loose += x->value - (int64_t)x->ncolumns;
        for (size_t k = 0; k < x->ncolumns; k++)
            if (!penalised || !colset_has(penalised, x->columns[k]))
                colset_add(cols, x->columns[k]);
    }
    return loose + (int64_t)cols->n;
}

void check_verdict_compute(const struct check_profile *p, const struct check_facts *f,
                           struct check_verdict *v)
{
    memset(v, 0, sizeof(*v));
    v->site_id = f->site_id;
    v->as_of = f->as_of;
    v->profile = xstrdup(check_profile_name(p));
    struct colset penalised = { 0 };
    double lost = 0, lost_confirmed = 0;
    for (size_t i = 0; i < p->n; i++) {
        const struct rule *r = &p->rules[i];
        struct colset cols = { 0 };
        int64_t value = rule_value(r, f, r->veto ? NULL : &penalised, &cols);
        if (r->veto) {
            if (value >= r->at_least) {
                v->vetoes = xrealloc(v->vetoes, (v->nvetoes + 1) * sizeof(*v->vetoes));
                struct check_veto *x = &v->vetoes[v->nvetoes++];
                x->key = xstrdup(r->key);
                x->reason = fill_reason(r->reason, value);
                x->indicator = r->indicator ? xstrdup(r->indicator) : NULL;
                x->source = r->source ? xstrdup(r->source) : NULL;
                x->value = value;
                x->confirmed = r->confirmed;
            }
        } else if (value >= r->at_least) {
            double pts = r->per == PER_ONCE ? r->points : r->points * (double)value;
            if (pts > r->max)
                pts = r->max;
            for (size_t k = 0; k < cols.n; k++)
                colset_add(&penalised, cols.v[k]);
            if (pts > 0) {
                v->deductions =
                    xrealloc(v->deductions, (v->ndeductions + 1) * sizeof(*v->deductions));
                struct check_deduction *d = &v->deductions[v->ndeductions++];
                d->key = xstrdup(r->key);
                d->group = r->group ? xstrdup(r->group) : NULL;
                d->name = xstrdup(r->name);
                d->source = r->source ? xstrdup(r->source) : NULL;
                d->count = value;
                d->points = pts;
                d->confirmed = r->confirmed;
                lost += pts;
                if (r->confirmed)
                    lost_confirmed += pts;
            }
        }
        free(cols.v);
    }
    free(penalised.v);
    v->score = p->total - lost < 0 ? 0 : p->total - lost;
    v->score_confirmed = p->total - lost_confirmed < 0 ? 0 : p->total - lost_confirmed;
    /* Round to 2 decimals so stored and printed scores agree. */
    v->score = round(v->score * 100) / 100;
    v->score_confirmed = round(v->score_confirmed * 100) / 100;
    v->pass = v->nvetoes == 0 && v->score >= p->pass;
    for (size_t i = 0; i < f->nnotes; i++) {
        v->notes = xrealloc(v->notes, (v->nnotes + 1) * sizeof(char *));
        v->notes[v->nnotes++] = xstrdup(f->notes[i]);
    }
    if (!v->nvetoes && v->score < p->pass) {
        v->notes = xrealloc(v->notes, (v->nnotes + 1) * sizeof(char *));
        struct buf b = BUF_INIT;
        buf_addf(&b, "扣分后得分 %.2f，低于合格线 %.0f 分", v->score, p->pass);
        v->notes[v->nnotes++] = buf_take(&b);
    }
}

static void vetoes_json(struct jw *w, const struct check_verdict *v)
{
    jw_arr(w);
    for (size_t i = 0; i < v->nvetoes; i++) {
        const struct check_veto *x = &v->vetoes[i];
        jw_obj(w);
        jw_kstr(w, "key", x->key);
        jw_kstr(w, "reason", x->reason);
        jw_kstr(w, "indicator", x->indicator);
        jw_kint(w, "value", x->value);
        jw_kbool(w, "confirmed", x->confirmed);
        jw_kstr(w, "source", x->source);
        jw_end(w);
    }
    jw_end(w);
}

static void deductions_json(struct jw *w, const struct check_verdict *v)
{
    jw_arr(w);
    for (size_t i = 0; i < v->ndeductions; i++) {
        const struct check_deduction *d = &v->deductions[i];
        jw_obj(w);
        jw_kstr(w, "key", d->key);
        jw_kstr(w, "group", d->group);
        jw_kstr(w, "name", d->name);
        jw_kint(w, "count", d->count);
        jw_kdouble(w, "points", d->points);
        jw_kbool(w, "confirmed", d->confirmed);
        jw_kstr(w, "source", d->source);
        jw_end(w);
    }
    jw_end(w);
}

static void facts_json(struct jw *w, const struct check_facts *f)
{
    jw_obj(w);
    for (size_t i = 0; f && i < f->n; i++)
        jw_kint(w, f->v[i].name, f->v[i].value);
    jw_end(w);
}

void check_verdict_json(struct jw *w, const struct check_verdict *v, const char *site_name,
                        const struct check_facts *f)
{
    jw_obj(w);
    check_verdict_json_fields(w, v, site_name, f);
    jw_end(w);
}

void check_verdict_json_fields(struct jw *w, const struct check_verdict *v, const char *site_name,
                               const struct check_facts *f)
{
    jw_kstr(w, "site", site_name);
    jw_kdate(w, "date", v->as_of);
    jw_kstr(w, "verdict", check_verdict_word(v));
    jw_kdouble(w, "score", v->score);
    jw_kdouble(w, "score_confirmed", v->score_confirmed);
    jw_key(w, "vetoes");
    vetoes_json(w, v);
    jw_key(w, "deductions");
    deductions_json(w, v);
    jw_key(w, "notes");
    jw_arr(w);
    for (size_t i = 0; i < v->nnotes; i++)
        jw_str(w, v->notes[i]);
    jw_end(w);
    jw_key(w, "facts");
    facts_json(w, f);
    jw_kstr(w, "profile", v->profile);
}

enum rc check_verdict_save(struct store *db, const struct clk *clk, const struct check_verdict *v,
                           const struct check_facts *f, struct err *err)
{
    struct buf bv = BUF_INIT, bd = BUF_INIT, bf = BUF_INIT;
    struct jw w;
    jw_init(&w, &bv, false);
    vetoes_json(&w, v);
    jw_finish(&w);
    jw_init(&w, &bd, false);
    deductions_json(&w, v);
    jw_finish(&w);
    jw_init(&w, &bf, false);
    facts_json(&w, f);
    jw_finish(&w);
    enum rc rc = store_exec(
        db, err,
        "INSERT INTO verdicts (site_id, check_date, verdict, score, score_confirmed, "
        "vetoes, deductions, facts, profile, computed_at) VALUES (?, ?, ?, ?, ?, ?, ?, "
        "?, ?, ?) ON CONFLICT (site_id, check_date) DO UPDATE SET verdict = "
        "excluded.verdict, score = excluded.score, score_confirmed = "
        "excluded.score_confirmed, vetoes = excluded.vetoes, deductions = "
        "excluded.deductions, facts = excluded.facts, profile = excluded.profile, "
        "computed_at = excluded.computed_at",
        "iDtddtttti", v->site_id, v->as_of, check_verdict_word(v), v->score, v->score_confirmed,
        buf_cstr(&bv), buf_cstr(&bd), buf_cstr(&bf), v->profile, clk_now(clk));
    buf_release(&bv);
    buf_release(&bd);
    buf_release(&bf);
    return rc;
}

enum rc check_verdict_run(struct store *db, const struct clk *clk, int64_t site_id, int32_t as_of,
                          const struct check_profile *p, bool dry_run, struct check_facts *f,
                          struct check_verdict *v, struct err *err)
{
    check_facts_init(f, site_id, as_of);
    memset(v, 0, sizeof(*v));
    enum rc rc = RC_OK;
    struct probe_stats ps;
    if (!dry_run && as_of == clk_today(clk))
        rc = probe_check_availability(db, clk, site_id, &ps, err);
    else
        rc = probe_stats(db, site_id, as_of, &ps, err);
    if (!rc && ps.status == PROBE_INSUFFICIENT)
        check_facts_note(f, "站点可用性未能判定：%d 天中有 %d 天监测次数不足 %d 次", PROBE_DAYS,
                         ps.days_short, PROBE_MIN_PER_DAY);
    if (!rc)
        rc = check_facts_collect(db, site_id, as_of, clk->tzoff, f, err);
    if (rc)
        return rc;
    check_verdict_compute(p, f, v);
    if (!dry_run)
        rc = check_verdict_save(db, clk, v, f, err);
    return rc;
}

enum rc check_verdicts_each(struct store *db, int64_t site_id, int32_t from, int32_t to,
                            bool latest_per_site,
                            int (*fn)(const struct check_verdict_row *r, void *ctx), void *ctx,
                            struct err *err)
{
    char dfrom[11] = "0000-00-00", dto[11] = "9999-99-99";
    if (from != DATE_NONE)
        date_fmt(from, dfrom);
    if (to != DATE_NONE)
        date_fmt(to, dto);
    struct stmt *st =
        store_q(db,
                "SELECT v.site_id, s.name, v.check_date, v.verdict, v.profile, v.score, "
                "v.score_confirmed, v.vetoes, v.deductions, v.facts, v.computed_at FROM "
                "verdicts v JOIN sites s ON s.id = v.site_id WHERE (? = 0 OR v.site_id = ?) "
                "AND v.check_date >= ? AND v.check_date <= ? AND (? = 0 OR v.check_date = "
                "(SELECT MAX(w.check_date) FROM verdicts w WHERE w.site_id = v.site_id AND "
                "w.check_date >= ? AND w.check_date <= ?)) ORDER BY s.name, v.check_date",
                "iittbtt", site_id, site_id, dfrom, dto, (int)latest_per_site, dfrom, dto);
    while (stmt_next(st)) {
        struct check_verdict_row r = {
            .site_id = stmt_int(st, 0),
            .site = stmt_str(st, 1),
            .date = stmt_str(st, 2),
            .verdict = stmt_str(st, 3),
            .profile = stmt_str(st, 4),
            .score = stmt_double(st, 5),
            .score_confirmed = stmt_double(st, 6),
            .vetoes = stmt_str(st, 7),
            .deductions = stmt_str(st, 8),
            .facts = stmt_str(st, 9),
            .computed_at = stmt_int(st, 10),
        };
        if (fn(&r, ctx))
            break;
    }
    return stmt_done(st, err);
}
