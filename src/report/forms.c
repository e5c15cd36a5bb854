/* forms.c - the annual forms (see report.h, docs/reports.md).
 *
 * 政府网站工作年度报表 and 政府网站监管年度报表 are data: their rows come from
 * data/forms/{work,supervision}.form (embedded, overridable), each row either computed
 * here ("=key") or entered by the office (--input FILE, INI).  The 政府信息公开工作年度报告
 * table 三 is fixed by its format (国办公开办函〔2021〕30号) and built from the disclosure
 * work items with its printed check 一 + 二 = 三 + 四.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "checks/check.h"
#include "core/arena.h"
#include "core/buf.h"
#include "core/clk.h"
#include "core/conf.h"
#include "core/date.h"
#include "core/res.h"
#include "core/str.h"
#include "core/vec.h"
#include "reg/reg.h"
#include "report/report.h"
#include "store/store.h"
#include "weblog/weblog.h"

#define MAX_FORM (256 * 1024)

/* Where a value came from. */
enum vsrc { V_COMPUTED, V_ENTERED, V_MISSING };
static const char *const vsrc_cn[] = { "计算", "填报", "缺失" };

struct val {
    enum vsrc src;
    const char *text; /* display text; NULL when missing */
    const char *note; /* why a computed value has no data */
    bool num;         /* text is a figure */
};

struct actx {
    struct store *db;
    const struct clk *clk;
    const struct conf *conf; /* the settings (case rules) */
    struct conf input;       /* --input FILE */
    bool has_input;
    int year;
    int32_t first, last; /* the year's days */
    int64_t end_t;       /* the end of the year (or now, if earlier) */
    int64_t site_id;     /* the work form's site */
    struct arena *a;
    struct err *err;
};

static const char *const quarter_cn[] = { "第一季度", "第二季度", "第三季度", "第四季度", "全年" };

bool report_form_parse(const char *s, enum report_form *out)
{
    static const struct {
        const char *name;
        enum report_form f;
    } t[] = { { "work", REPORT_FORM_WORK },
              { "工作", REPORT_FORM_WORK },
              { "supervision", REPORT_FORM_SUPERVISION },
              { "监管", REPORT_FORM_SUPERVISION },
              { "disclosure", REPORT_FORM_DISCLOSURE },
              { "信息公开", REPORT_FORM_DISCLOSURE } };
    for (size_t i = 0; s && i < sizeof(t) / sizeof(t[0]); i++)
        if (!ascii_casecmp(s, t[i].name)) {
            *out = t[i].f;
            return true;
        }
    return false;
}

/* ------------------------------------------------------------- computed values --- */

static const char *fmt_i(struct actx *x, int64_t n)
{
    return arena_fmt(x->a, "%lld", (long long)n);
}

/* Site facts for the work form. */
static void site_val(struct actx *x, const char *field, struct val *v)
{
    static const char *const cols[][2] = {
        { "name", "s.name" }, { "url", "s.url" },   { "type", "s.type" },
        { "code", "s.code" }, { "icp", "s.icp" },   { "psb", "s.psb" },
        { "unit", "COALESCE(u.name, '')" },
    };
    for (size_t i = 0; i < sizeof(cols) / sizeof(cols[0]); i++) {
        if (strcmp(field, cols[i][0]))
            continue;
        char sql[200];
        snprintf(sql, sizeof sql,
                 "SELECT %s FROM sites s LEFT JOIN units u ON u.id = s.unit_id WHERE s.id = ?",
                 cols[i][1]); /* column names from the fixed table above, never input */
        struct stmt *st = store_q(x->db, sql, "i", x->site_id);
        if (stmt_next(st) && !stmt_null(st, 0) && *stmt_str(st, 0))
            v->text = arena_strdup(x->a, stmt_str(st, 0));
        stmt_done(st, x->err);
        if (!v->text) {
            v->src = V_MISSING;
            v->note = "登记信息中未填写（govsite site import）";
        }
        return;
    }
}

static void visits_val(struct actx *x, const char *field, struct val *v)
{
    int64_t days = 0;
    char from[11], to[11];
    date_fmt(x->first, from);
    date_fmt(x->last, to);
    if (store_get_int(x->db, &days, x->err,
                      "SELECT COUNT(*) FROM weblog_days WHERE site_id = ? AND day >= ? AND day <= ?",
                      "itt", x->site_id, from, to))
        return;
    if (!days) {
        v->note = "无数据：该网站本年度尚未导入访问日志（govsite weblog ingest）";
        return;
    }
    struct wl_counts c;
    if (wl_year(x->db, x->site_id, x->year, &c, x->err))
        return;
    v->text = fmt_i(x, !strcmp(field, "visitors") ? c.visitors : c.pageviews);
    v->num = true;
    if (days < date_days_in_month(x->year, 2) + 337)
        v->note = arena_fmt(x->a, "据%lld天的访问日志", (long long)days);
}

/* Articles of the site's latest complete crawl dated in the year, all or of one class. */
static void articles_val(struct actx *x, const char *field, struct val *v)
{
    int64_t run = 0, n = 0;
    if (store_get_int(x->db, &run, x->err,
                      "SELECT COALESCE(MAX(id), 0) FROM crawl_runs WHERE site_id = ? AND "
                      "state = 'complete'",
                      "i", x->site_id))
        return;
    if (!run) {
        v->note = "无数据：该网站尚无完成的抓取（govsite crawl）";
        return;
    }
    char from[11], to[11];
    date_fmt(x->first, from);
    date_fmt(x->last, to);
    enum rc rc;
    if (!strcmp(field, "total"))
        rc = store_get_int(x->db, &n, x->err,
                           "SELECT COUNT(*) FROM crawl_articles WHERE run_id = ? AND date >= ? "
                           "AND date <= ?",
                           "itt", run, from, to);
    else if (!strncmp(field, "class.", 6))
        rc = store_get_int(x->db, &n, x->err,
                           "SELECT COUNT(*) FROM crawl_articles a JOIN site_columns c ON c.id = "
                           "a.column_id WHERE a.run_id = ? AND a.date >= ? AND a.date <= ? AND "
                           "c.class = ?",
                           "ittt", run, from, to, field + 6);
    else
        return;
    if (rc)
        return;
    v->text = fmt_i(x, n);
    v->num = true;
    v->note = "据最近一次抓取所见的文章";
}

static void topics_val(struct actx *x, const char *field, struct val *v)
{
    int64_t n = 0;
    int64_t from_t = time_from_date(x->first, 0, x->clk->tzoff);
    if (!strcmp(field, "count") ? store_get_int(x->db, &n, x->err,
                                                "SELECT COUNT(*) FROM site_columns WHERE "
                                                "site_id = ? AND class = '专题' AND state = "
                                                "'registered'",
                                                "i", x->site_id)
                                : store_get_int(x->db, &n, x->err,
                                                "SELECT COUNT(*) FROM site_columns WHERE "
                                                "site_id = ? AND class = '专题' AND state = "
                                                "'registered' AND created_at >= ? AND "
                                                "created_at <= ?",
                                                "iii", x->site_id, from_t, x->end_t))
        return;
    v->text = fmt_i(x, n);
    v->num = true;
}

/* Statistics of the work items of `kinds` received in the year (on the site when
 * site_id != 0). */
static bool year_stats(struct actx *x, unsigned kinds, int64_t site_id, struct case_stats *out)
{
    struct case_ctx cx;
    if (case_ctx_init(&cx, x->db, x->conf, x->clk, x->err))
        return false;
    struct case_stats_result r;
    bool ok = !case_stats(&cx, kinds, x->first, x->last, x->end_t,
                          site_id ? CASE_BY_SITE : CASE_BY_NONE, &r, x->err);
    if (ok) {
        *out = (struct case_stats){ 0 };
        if (!site_id)
            *out = r.total;
        for (size_t i = 0; site_id && i < r.groups.n; i++)
            if (r.groups.v[i].id == site_id)
                *out = r.groups.v[i].s;
        case_stats_release(&r);
    }
    case_ctx_release(&cx);
    return ok;
}

static void stats_val(struct actx *x, const struct case_stats *s, const char *field,
                      struct val *v)
{
    v->num = true;
    if (!strcmp(field, "received"))
        v->text = fmt_i(x, s->received);
    else if (!strcmp(field, "closed"))
        v->text = fmt_i(x, s->closed);
    else if (!strcmp(field, "mean_days"))
        v->text = s->closed ? arena_fmt(x->a, "%.1f", s->mean_days) : NULL;
    else if (!strcmp(field, "on_time_rate"))
        v->text = s->rate_defined ? cn_percent(x->a, s->closed_on_time,
                                               s->closed + s->open_overdue, 1)
                                  : NULL;
    if (!v->text)
        v->note = "无数据：本年度无已办结事项";
}

static void messages_val(struct actx *x, const char *field, struct val *v)
{
    unsigned kinds = CASE_KIND_BIT(CASE_CONSULTATION) | CASE_KIND_BIT(CASE_COMPLAINT);
    if (!strcmp(field, "public")) {
        int64_t n = 0;
        if (store_get_int(x->db, &n, x->err,
                          "SELECT COUNT(*) FROM cases WHERE site_id = ? AND kind IN "
                          "('consultation', 'complaint') AND reply_public = 1 AND received_at "
                          ">= ? AND received_at <= ?",
                          "iii", x->site_id, time_from_date(x->first, 0, x->clk->tzoff),
                          x->end_t))
            return;
        v->text = fmt_i(x, n);
        v->num = true;
        return;
    }
    struct case_stats s;
    if (year_stats(x, kinds, x->site_id, &s))
        stats_val(x, &s, field, v);
}

static void sites_val(struct actx *x, const char *field, struct val *v)
{
    int64_t n = 0;
    int64_t from_t = time_from_date(x->first, 0, x->clk->tzoff);
    enum rc rc;
    if (!strcmp(field, "total"))
        rc = store_get_int(x->db, &n, x->err,
                           "SELECT COUNT(*) FROM sites WHERE status IN ('正常运行', '临时关停')", "");
    else if (!strcmp(field, "portal") || !strcmp(field, "department"))
        rc = store_get_int(x->db, &n, x->err,
                           "SELECT COUNT(*) FROM sites WHERE status IN ('正常运行', '临时关停') "
                           "AND type = ?",
                           "t", !strcmp(field, "portal") ? "门户网站" : "部门网站");
    else if (!strcmp(field, "opened"))
        rc = store_get_int(x->db, &n, x->err,
                           "SELECT COUNT(*) FROM sites WHERE created_at >= ? AND created_at <= ?",
                           "ii", from_t, x->end_t);
    else if (!strcmp(field, "closed") || !strcmp(field, "migrated"))
        rc = store_get_int(x->db, &n, x->err,
                           "SELECT COUNT(*) FROM sites WHERE status = ? AND updated_at >= ? AND "
                           "updated_at <= ?",
                           "tii", !strcmp(field, "closed") ? "已关停" : "已迁移", from_t,
                           x->end_t);
    else
        return;
    if (rc)
        return;
    v->text = fmt_i(x, n);
    v->num = true;
}

struct vcount {
    int checked, failed;
};

static int count_verdict(const struct check_verdict_row *r, void *ctx)
{
    struct vcount *c = ctx;
    c->checked++;
    c->failed += !strcmp(r->verdict, "不合格");
    return 0;
}

/* field: checked.qN / failed.qN / ratio.qN, N 1..4, or .year */
static void verdicts_val(struct actx *x, const char *field, struct val *v)
{
    const char *dot = strchr(field, '.');
    if (!dot)
        return;
    int32_t from = x->first, to = x->last;
    if (dot[1] == 'q' && dot[2] >= '1' && dot[2] <= '4') {
        int q = dot[2] - '0';
        from = date_from_ymd(x->year, 3 * q - 2, 1);
        to = date_add_months(from, 3) - 1;
    }
    struct vcount c = { 0 };
    if (check_verdicts_each(x->db, 0, from, to, true, count_verdict, &c, x->err))
        return;
    v->num = true;
    if (!strncmp(field, "checked", 7))
        v->text = fmt_i(x, c.checked);
    else if (!strncmp(field, "failed", 6))
        v->text = fmt_i(x, c.failed);
    else if (!strncmp(field, "ratio", 5)) {
        int64_t total = 0;
        if (store_get_int(x->db, &total, x->err,
                          "SELECT COUNT(*) FROM sites WHERE status IN ('正常运行', '临时关停')", ""))
            return;
        v->text = cn_percent(x->a, c.checked, total, 1);
        if (!v->text)
            v->note = "无数据：未登记网站";
    }
}

static void errors_val(struct actx *x, const char *field, struct val *v)
{
    struct case_stats s;
    if (year_stats(x, CASE_KIND_BIT(CASE_ERROR_REPORT), 0, &s))
        stats_val(x, &s, field, v);
}

static void computed(struct actx *x, const char *key, struct val *v)
{
    static const struct {
        const char *prefix;
        void (*fn)(struct actx *x, const char *field, struct val *v);
    } t[] = { { "site.", site_val },       { "visits.", visits_val },
              { "articles.", articles_val }, { "topics.", topics_val },
              { "messages.", messages_val }, { "sites.", sites_val },
              { "verdicts.", verdicts_val }, { "errors.", errors_val } };
    v->src = V_COMPUTED;
    for (size_t i = 0; i < sizeof(t) / sizeof(t[0]); i++) {
        size_t n = strlen(t[i].prefix);
        if (!strncmp(key, t[i].prefix, n)) {
            t[i].fn(x, key + n, v);
            return;
        }
    }
    err_set(x->err, RC_INVALID,
            "unknown computed value '=%s' in a form definition: see docs/reports.md for the keys",
            key);
}

/* ---------------------------------------------------------------- the forms --- */

static void entered(struct actx *x, const char *section, const char *key, struct val *v)
{
    const char *s = x->has_input ? conf_get(&x->input, section, key, NULL) : NULL;
    if (str_empty(s)) {
        v->src = V_MISSING;
        v->note = "待填报";
        return;
    }
    v->src = V_ENTERED;
    v->text = arena_strdup(x->a, s);
    int64_t n;
    v->num = cstr_to_i64(s, &n);
}

static void value_cells(struct doc_table *t, const struct val *v, const char *unit)
{
    struct doc_cell *c = v->text ? doc_cell(t, v->text) : doc_cell(t, "—");
    doc_cell_align(c, v->num ? DOC_ALIGN_RIGHT : DOC_ALIGN_LEFT);
    doc_cell(t, unit);
    const char *src = vsrc_cn[v->src];
    if (v->note)
        doc_cell(t, doc_strf(t->owner, "%s（%s）", src, v->note));
    else
        doc_cell(t, src);
}

static void row_value(struct actx *x, const char *section, const char *source, struct val *v)
{
    *v = (struct val){ 0 };
    if (*source == '=')
        computed(x, source + 1, v);
    else
        entered(x, section, source, v);
}

#define MAX_ROWS 2000

enum rc report_formdef_parse(struct arena *a, const char *name, const char *text, size_t n,
                             struct report_formdef *out, struct err *err)
{
    *out = (struct report_formdef){ 0 };
    if (n > MAX_FORM)
        return err_set(err, RC_LIMIT, "%s: a form definition is at most %d bytes", name,
                       MAX_FORM);
    out->rows = arena_alloc(a, MAX_ROWS * sizeof(*out->rows));
    int lineno = 0;
    struct str all = { text, n }, line;
    while (str_split(&all, '\n', &line)) {
        lineno++;
        line = str_trim(line);
        if (!line.n || line.p[0] == '#')
            continue;
        char *l = arena_strndup(a, line.p, line.n);
        if (strlen(l) != line.n)
            return err_set(err, RC_PARSE, "%s:%d: a NUL byte in the line", name, lineno);
        if (!strncmp(l, "title ", 6)) {
            out->title = str_trim(str_of(l + 6)).p;
            continue;
        }
        if (out->n == MAX_ROWS)
            return err_set(err, RC_LIMIT, "%s:%d: more than %d rows", name, lineno, MAX_ROWS);
        struct report_form_row *row = &out->rows[out->n];
        if (!strncmp(l, "section ", 8)) {
            *row = (struct report_form_row){ REPORT_ROW_SECTION, str_trim(str_of(l + 8)).p, "",
                                             "" };
            out->n++;
            continue;
        }
        bool quarters = !strncmp(l, "quarters ", 9);
        if (!quarters && strncmp(l, "row ", 4))
            return err_set(err, RC_PARSE,
                           "%s:%d: a line starts with title, section, row or quarters", name,
                           lineno);
        char *p = l + (quarters ? 9 : 4), *f[3] = { p, NULL, NULL };
        for (int i = 1; i < 3; i++) {
            char *bar = f[i - 1] ? strchr(f[i - 1], '|') : NULL;
            if (bar)
                *bar = 0, f[i] = bar + 1;
        }
        if (!f[2])
            return err_set(err, RC_PARSE, "%s:%d: a row is 'row LABEL | UNIT | SOURCE'", name,
                           lineno);
        for (int i = 0; i < 3; i++) {
            struct str t = str_trim(str_of(f[i]));
            f[i] = arena_strndup(a, t.p, t.n);
        }
        if (!*f[0] || !*f[2] || !strcmp(f[2], "="))
            return err_set(err, RC_PARSE, "%s:%d: a row needs a label and a source", name,
                           lineno);
        *row = (struct report_form_row){ quarters ? REPORT_ROW_QUARTERS : REPORT_ROW_VALUE, f[0],
                                         f[1], f[2] };
        out->n++;
    }
    return RC_OK;
}

static enum rc load_def(struct actx *x, const char *res, struct report_formdef *def)
{
    struct buf b = BUF_INIT;
    buf_init(&b, MAX_FORM + 1);
    enum rc rc = res_load(res, &b, NULL, x->err);
    if (!rc)
        rc = report_formdef_parse(x->a, res, b.p ? b.p : "", b.n, def, x->err);
    buf_release(&b);
    return rc;
}

/* The form's table: one row per definition row (five for quarters).  `section` names the
 * --input section (work, supervision). */
static enum rc form_table(struct actx *x, struct doc *d, const struct report_formdef *def,
                          const char *section)
{
    struct doc_table *t = doc_table(d, NULL, 4);
    doc_table_widths(t, (const int[]){ 7, 4, 2, 5 });
    doc_table_head(t);
    doc_cell(t, "项目");
    doc_cell(t, "数值");
    doc_cell(t, "单位");
    doc_cell(t, "来源");
    for (size_t i = 0; !x->err->rc && i < def->n; i++) {
        const struct report_form_row *row = &def->rows[i];
        if (row->kind == REPORT_ROW_SECTION) {
            doc_table_row(t);
            struct doc_cell *c = doc_cell(t, row->label);
            c->bold = true;
            doc_cell_span(c, 4, 1);
            continue;
        }
        bool q4 = row->kind == REPORT_ROW_QUARTERS;
        bool comp = row->source[0] == '=';
        for (int q = 0; q < (q4 ? 5 : 1); q++) {
            const char *label = row->label, *src = row->source;
            if (q4) {
                label = arena_fmt(x->a, "%s（%s）", row->label, quarter_cn[q]);
                src = q < 4 ? arena_fmt(x->a, "%s%sq%d", row->source, comp ? "." : "_", q + 1)
                            : arena_fmt(x->a, "%s%syear", row->source, comp ? "." : "_");
            }
            struct val v;
            row_value(x, section, src, &v);
            doc_table_row(t);
            doc_cell(t, label);
            value_cells(t, &v, row->unit);
        }
    }
    return x->err->rc;
}

static const char *form_title(struct actx *x, const struct report_formdef *def, const char *res)
{
    if (!def->title)
        return res;
    const char *y = strstr(def->title, "{year}");
    return y ? arena_fmt(x->a, "%.*s%d%s", (int)(y - def->title), def->title, x->year, y + 6)
             : def->title;
}

static void legend(struct doc *d)
{
    struct doc_para *p = doc_para(d, "注：“来源”一栏中，“计算”为govsite根据抓取、办件、检查和访问日志"
                                     "数据计算的数值，“填报”为办公室填报的数值，“缺失”为尚待填报的项目（由 --input 文件填报，见docs/reports.md）。");
    doc_para_flags(p, DOC_P_SMALL);
}

static enum rc work_forms(struct actx *x, struct doc *d, const struct report_formdef *def,
                          int64_t site_id)
{
    VEC(int64_t) ids = VEC_INIT;
    if (site_id)
        vec_push(&ids, site_id);
    else {
        struct stmt *st = store_q(x->db,
                                  "SELECT id FROM sites WHERE status IN ('正常运行', '临时关停') "
                                  "ORDER BY id",
                                  "");
        while (stmt_next(st))
            vec_push(&ids, stmt_int(st, 0));
        stmt_done(st, x->err);
    }
    for (size_t i = 0; !x->err->rc && i < ids.n; i++) {
        x->site_id = ids.v[i];
        char *name = reg_site_label(x->db, ids.v[i]);
        if (i)
            doc_page_break(d);
        struct doc_para *p = doc_para(d, doc_strf(d, "填报单位：%s", name ? name : ""));
        doc_para_flags(p, DOC_P_NOINDENT);
        free(name);
        form_table(x, d, def, "work");
    }
    vec_release(&ids);
    return x->err->rc;
}

/* ------------------------------------------------------------ disclosure table --- */

/* Requester-type columns: the 6 of case_requester_types, then 总计. */
#define NCOL (CASE_NREQTYPES + 1)

static int reqcol(const char *key)
{
    for (int j = 0; j < CASE_NREQTYPES && case_requester_types[j].key; j++)
        if (key && !strcmp(key, case_requester_types[j].key))
            return j;
    return 0; /* not recorded: counted as 自然人, the form's default column */
}

static enum rc count_by_type(struct actx *x, int64_t counts[NCOL], const char *sql,
                             int64_t a, int64_t b)
{
    struct stmt *st = store_q(x->db, sql, "ii", a, b);
    while (stmt_next(st)) {
        int j = reqcol(stmt_text(st, 0));
        counts[j] += stmt_int(st, 1);
        counts[NCOL - 1] += stmt_int(st, 1);
    }
    return stmt_done(st, x->err);
}

/* Entered corrections: [disclosure] KEY.TYPE = N replaces a computed figure (offices whose
 * records start mid-year enter 上年结转 themselves). */
static void override(struct actx *x, const char *key, int64_t counts[NCOL], bool *any)
{
    if (!x->has_input)
        return;
    bool changed = false;
    for (int j = 0; j < CASE_NREQTYPES; j++) {
        const char *s = conf_get(&x->input, "disclosure",
                                 arena_fmt(x->a, "%s.%s", key, case_requester_types[j].key), NULL);
        int64_t n;
        if (s && cstr_to_i64(s, &n) && n >= 0)
            counts[j] = n, changed = true;
    }
    if (changed) {
        counts[NCOL - 1] = 0;
        for (int j = 0; j < CASE_NREQTYPES; j++)
            counts[NCOL - 1] += counts[j];
        *any = true;
    }
}

static void count_row(struct doc_table *t, const char *label, const int64_t c[NCOL], bool bold)
{
    doc_table_row(t);
    struct doc_cell *h = doc_cell(t, label);
    h->bold = bold;
    for (int j = 0; j < NCOL; j++)
        doc_cell_int(t, c[j]);
}

static enum rc disclosure_form(struct actx *x, struct doc *d)
{
    int64_t from_t = time_from_date(x->first, 0, x->clk->tzoff);
    int64_t to_t = time_from_date(x->last, 86399, x->clk->tzoff);
    int64_t fresh[NCOL] = { 0 }, carried_in[NCOL] = { 0 }, carried_out[NCOL] = { 0 };
    size_t no = case_noutcomes;
    int64_t(*out)[NCOL] = arena_alloc(x->a, no * sizeof(*out));
    /* A request is done when replied, or closed without a reply (withdrawn). */
#define DONE "COALESCE(replied_at, closed_at)"
    if (count_by_type(x, fresh,
                      "SELECT requester_type, COUNT(*) FROM cases WHERE kind = 'disclosure' AND "
                      "received_at >= ? AND received_at <= ? GROUP BY requester_type",
                      from_t, to_t) ||
        count_by_type(x, carried_in,
                      "SELECT requester_type, COUNT(*) FROM cases WHERE kind = 'disclosure' AND "
                      "received_at < ? AND (" DONE " IS NULL OR " DONE " >= ?) "
                      "GROUP BY requester_type",
                      from_t, from_t) ||
        count_by_type(x, carried_out,
                      "SELECT requester_type, COUNT(*) FROM cases WHERE kind = 'disclosure' AND "
                      "received_at <= ? AND (" DONE " IS NULL OR " DONE " > ?) "
                      "GROUP BY requester_type",
                      to_t, to_t))
        return x->err->rc;
    struct stmt *st = store_q(x->db,
                              "SELECT outcome, requester_type, COUNT(*) FROM cases WHERE kind = "
                              "'disclosure' AND " DONE " >= ? AND " DONE " <= ? "
                              "GROUP BY outcome, requester_type",
                              "ii", from_t, to_t);
#undef DONE
    const struct case_outcome *other = case_outcome_find(CASE_DISCLOSURE, "6.3");
    while (stmt_next(st)) {
        const struct case_outcome *o = case_outcome_find(CASE_DISCLOSURE, stmt_str(st, 0));
        if (!o)
            o = other; /* closed without a recorded outcome: （六）3.其他 */
        size_t i = (size_t)(o - case_outcomes);
        int j = reqcol(stmt_text(st, 1));
        out[i][j] += stmt_int(st, 2);
        out[i][NCOL - 1] += stmt_int(st, 2);
    }
    if (stmt_done(st, x->err))
        return x->err->rc;
    bool entered_any = false;
    override(x, "new", fresh, &entered_any);
    override(x, "carried_in", carried_in, &entered_any);
    override(x, "carried_out", carried_out, &entered_any);
    for (size_t i = 0; i < no; i++)
        if (case_outcomes[i].kinds & CASE_KIND_BIT(CASE_DISCLOSURE))
            override(x, arena_fmt(x->a, "outcome.%s", case_outcomes[i].code), out[i],
                     &entered_any);
    /* The printed check: 一 + 二 = 三（七）总计 + 四, per column. */
    int64_t total[NCOL] = { 0 };
    for (size_t i = 0; i < no; i++)
        if (case_outcomes[i].kinds & CASE_KIND_BIT(CASE_DISCLOSURE))
            for (int j = 0; j < NCOL; j++)
                total[j] += out[i][j];
    for (int j = 0; j < NCOL; j++)
        if (fresh[j] + carried_in[j] != total[j] + carried_out[j])
            return err_set(x->err, RC_INVALID,
                           "the disclosure table does not add up in column %s: 一 本年新收 %lld + "
                           "二 上年结转 %lld = %lld, but 三 办理结果总计 %lld + 四 结转下年度 %lld = "
                           "%lld; correct the [disclosure] values of --input",
                           j < CASE_NREQTYPES ? case_requester_types[j].cn : "总计",
                           (long long)fresh[j], (long long)carried_in[j],
                           (long long)(fresh[j] + carried_in[j]), (long long)total[j],
                           (long long)carried_out[j], (long long)(total[j] + carried_out[j]));

    struct doc_table *t = doc_table(d, "三、收到和处理政府信息公开申请情况", NCOL + 1);
    doc_table_widths(t, (const int[]){ 9, 2, 2, 2, 2, 2, 2, 2 });
    doc_table_flags(t, DOC_TABLE_SMALL);
    doc_table_head(t);
    doc_cell_span(doc_cell(t, "本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和"), 1, 2);
    doc_cell_span(doc_cell(t, "申请人情况"), NCOL, 1);
    doc_table_head(t);
    for (int j = 0; j < CASE_NREQTYPES; j++)
        doc_cell(t, case_requester_types[j].cn);
    doc_cell(t, "总计");
    count_row(t, "一、本年新收政府信息公开申请数量", fresh, true);
    count_row(t, "二、上年结转政府信息公开申请数量", carried_in, true);
    doc_table_row(t);
    struct doc_cell *c3 = doc_cell(t, "三、本年度办理结果");
    c3->bold = true;
    doc_cell_span(c3, NCOL + 1, 1);
    static const char *const blocks[] = { "（一）", "（二）", "（三）", "（四）", "（五）", "（六）" };
    const char *group = NULL;
    for (size_t i = 0; i < no; i++) {
        const struct case_outcome *o = &case_outcomes[i];
        if (!(o->kinds & CASE_KIND_BIT(CASE_DISCLOSURE)))
            continue;
        int block = o->code[0] - '1';
        if (block < 0 || block > 5)
            continue;
        if (*o->group && (!group || strcmp(group, o->group))) {
            doc_table_row(t);
            doc_cell_span(doc_cell(t, doc_strf(d, "%s%s", blocks[block], o->group)), NCOL + 1, 1);
        }
        group = o->group;
        const char *label = *o->group ? doc_strf(d, "　　%s.%s", o->code + 2, o->cn)
                                      : doc_strf(d, "%s%s", blocks[block], o->cn);
        count_row(t, label, out[i], false);
    }
    count_row(t, "（七）总计", total, true);
    count_row(t, "四、结转下年度继续办理", carried_out, true);
    if (entered_any) {
        struct doc_para *p = doc_para(d, "注：部分数值为办公室填报（--input），其余根据依申请公开办件记录计算。");
        doc_para_flags(p, DOC_P_SMALL);
    }
    return RC_OK;
}

/* ---------------------------------------------------------------- entry point --- */

enum rc report_annual(struct store *db, const struct clk *clk, const struct report_settings *s,
                      const struct report_annual_opts *o, struct doc **out, struct err *err)
{
    struct arena a = ARENA_INIT;
    struct actx x = { .db = db, .clk = clk, .conf = s->conf, .year = o->year, .a = &a,
                      .err = err };
    x.first = date_from_ymd(o->year, 1, 1);
    x.last = date_from_ymd(o->year, 12, 31);
    x.end_t = time_from_date(x.last, 86399, clk->tzoff);
    if (clk_now(clk) < x.end_t)
        x.end_t = clk_now(clk);
    conf_init(&x.input);
    if (o->input) {
        if (conf_load(&x.input, o->input, err)) {
            conf_release(&x.input);
            arena_release(&a);
            return err->rc;
        }
        x.has_input = true;
    }
    char *office = NULL;
    if (!s->office)
        store_get_text(db, &office, &(struct err){ 0 },
                       "SELECT name FROM units WHERE kind = 'office' ORDER BY id LIMIT 1", "");
    const char *who = s->office ? s->office : office ? office : "";
    const char *res = o->form == REPORT_FORM_WORK          ? "forms/work.form"
                      : o->form == REPORT_FORM_SUPERVISION ? "forms/supervision.form"
                                                           : NULL;
    struct report_formdef def = { 0 };
    if (res && load_def(&x, res, &def)) {
        free(office);
        conf_release(&x.input);
        arena_release(&a);
        return err->rc;
    }
    const char *title = res ? form_title(&x, &def, res)
                            : arena_fmt(&a, "%s%d年政府信息公开工作年度报告（收到和处理政府信息公开申请情况）",
                                        who, o->year);
    struct doc *d = doc_new(&(struct doc_meta){
        .layout = DOC_LAYOUT_PLAIN,
        .office = who,
        .title = title,
        .date = s->date != DATE_NONE ? s->date : clk_today(clk),
        .signature = "",
        .print_date = DATE_NONE,
    });
    enum rc rc;
    if (o->form == REPORT_FORM_WORK)
        rc = work_forms(&x, d, &def, o->site_id);
    else if (o->form == REPORT_FORM_SUPERVISION) {
        struct doc_para *p = doc_para(d, doc_strf(d, "填报单位：%s", who));
        doc_para_flags(p, DOC_P_NOINDENT);
        rc = form_table(&x, d, &def, "supervision");
    } else
        rc = disclosure_form(&x, d);
    if (!rc && o->form != REPORT_FORM_DISCLOSURE)
        legend(d);
    if (!rc)
        rc = doc_status(d, err);
    free(office);
    conf_release(&x.input);
    arena_release(&a);
    if (rc) {
        doc_free(d);
        return rc;
    }
    *out = d;
    return RC_OK;
}
