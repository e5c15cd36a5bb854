/* reg.c - units, sites and columns: look-ups, CSV import/export, JSON listing (reg.h). */
#include "reg/reg.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/csv.h"
#include "core/map.h"
#include "core/str.h"
#include "core/url.h"
#include "core/utf8.h"
#include "core/xalloc.h"

/* clang-format off */
const struct reg_class reg_classes[] = {
    { "动态要闻",     "news",        14,  "动态|要闻|新闻|资讯|快讯|工作进展|政务要闻|时政" },
    { "通知公告",     "notice",      180, "通知|公告|公示|通告" },
    { "政策文件",     "policy",      180, "政策|文件|规范性文件|法规|规章|政府令" },
    { "人事",         "personnel",   365, "人事|任免" },
    { "规划计划",     "plan",        365, "规划|计划" },
    { "概况",         "overview",    365, "概况|简介|领导|机构|职能|概览" },
    { "信息公开目录", "catalogue",   365, "信息公开目录|公开目录" },
    { "互动交流",     "interaction", 0,   "互动|咨询|投诉|信箱|留言|访谈|征集|调查" },
    { "办事服务",     "service",     0,   "办事|办事指南|服务指南|表格下载|在线办理|办事服务" },
    { "专题",         "topic",       0,   "专题|专栏" },
    { "政声传递",     "repost",      0,   "政声传递|转载" },
    { "其他",         "other",       0,   "" },
};
/* clang-format on */
const size_t reg_nclasses = sizeof(reg_classes) / sizeof(reg_classes[0]);

/* Order in which keywords are tried: more specific classes first (信息公开目录 before
 * 概况's 机构, 政声传递 before 政策). */
static const int guess_order[] = { 6, 10, 3, 4, 1, 2, 0, 7, 8, 9, 5 };

const struct reg_class *reg_class_find(const char *s)
{
    if (!s)
        return NULL;
    struct str t = str_trim(str_of(s));
    for (size_t i = 0; i < reg_nclasses; i++)
        if (str_eqs(t, reg_classes[i].name) || str_ieq_ascii(t, reg_classes[i].key))
            return &reg_classes[i];
    /* Accept the "…类" spelling of the indicators: 动态要闻类, 通知公告类. */
    if (t.n > 3 && !memcmp(t.p + t.n - 3, "类", 3)) {
        struct str u = { t.p, t.n - 3 };
        for (size_t i = 0; i < reg_nclasses; i++)
            if (str_eqs(u, reg_classes[i].name))
                return &reg_classes[i];
    }
    return NULL;
}

static const struct reg_class *guess_in(const char *text)
{
    for (size_t k = 0; k < sizeof(guess_order) / sizeof(guess_order[0]); k++) {
        const struct reg_class *c = &reg_classes[guess_order[k]];
        struct str all = str_of(c->keywords), w;
        while (all.n) {
            str_split(&all, '|', &w);
            if (w.n && memmem(text, strlen(text), w.p, w.n))
                return c;
        }
    }
    return NULL;
}

const struct reg_class *reg_class_guess(const char *path)
{
    if (!path)
        return &reg_classes[reg_nclasses - 1];
    /* Structural markers anywhere in the path decide first: everything under the
     * 信息公开目录 belongs to the catalogue, everything under 政声传递 is re-posting. */
    if (strstr(path, "信息公开目录"))
        return &reg_classes[6];
    if (strstr(path, "政声传递"))
        return &reg_classes[10];
    const char *last = strrchr(path, '>');
    const struct reg_class *c = guess_in(last ? last + 1 : path);
    if (!c && last)
        c = guess_in(path);
    /* A weak last resort: 主题服务>交通服务 and the like are service columns. */
    if (!c && strstr(path, "服务"))
        c = &reg_classes[8];
    return c ? c : &reg_classes[reg_nclasses - 1];
}

struct alias {
    const char *alias, *canon;
};

static const char *lookup_alias(const struct alias *a, const char *s)
{
    if (!s)
        return NULL;
    struct str t = str_trim(str_of(s));
    for (; a->alias; a++)
        if (str_eqs(t, a->alias) || str_ieq_ascii(t, a->alias))
            return a->canon;
    return NULL;
}

const char *reg_unit_kind(const char *s)
{
    static const struct alias a[] = {
        { "office", "office" },         { "办公室", "office" },       { "政府办", "office" },
        { "district", "district" },     { "区", "district" },         { "区政府", "district" },
        { "管委会", "district" },       { "区县", "district" },       { "县", "district" },
        { "department", "department" }, { "部门", "department" },     { "市直部门", "department" },
        { "agency", "agency" },         { "直属机构", "agency" },     { "事业单位", "agency" },
        { "机构", "agency" },           { "other", "other" },         { "其他", "other" },
        { NULL, NULL },
    };
    return lookup_alias(a, s);
}

const char *reg_site_type(const char *s)
{
    static const struct alias a[] = {
        { "门户网站", "门户网站" }, { "portal", "门户网站" }, { "门户", "门户网站" },
        { "部门网站", "部门网站" }, { "department", "部门网站" }, { "部门", "部门网站" },
        { NULL, NULL },
    };
    return lookup_alias(a, s);
}

const char *reg_site_status(const char *s)
{
    static const struct alias a[] = {
        { "正常运行", "正常运行" }, { "正常", "正常运行" }, { "running", "正常运行" },
        { "normal", "正常运行" },   { "临时关停", "临时关停" }, { "suspended", "临时关停" },
        { "已关停", "已关停" },     { "关停", "已关停" },     { "closed", "已关停" },
        { "已迁移", "已迁移" },     { "迁移", "已迁移" },     { "migrated", "已迁移" },
        { NULL, NULL },
    };
    return lookup_alias(a, s);
}

bool reg_path_normalize(const char *in, struct buf *out)
{
    struct buf tmp = BUF_INIT;
    /* Unify separators to '>'. */
    for (const char *p = in; *p;) {
        if (!strncmp(p, "＞", 3) || !strncmp(p, "»", 2) || !strncmp(p, "〉", 3)) {
            buf_addc(&tmp, '>');
            p += !strncmp(p, "»", 2) ? 2 : 3;
        } else {
            buf_addc(&tmp, *p++);
        }
    }
    struct str all = str_of(buf_cstr(&tmp)), seg;
    size_t start = out->n;
    bool first = true, ok = tmp.n > 0;
    while (ok) {
        bool more = str_split(&all, '>', &seg);
        seg = str_trim(seg);
        if (seg.n == 0) {
            ok = false;
            break;
        }
        if (!first)
            buf_addc(out, '>');
        buf_add(out, seg.p, seg.n);
        first = false;
        if (!more)
            break;
    }
    buf_release(&tmp);
    if (!ok)
        buf_truncate(out, start);
    return ok;
}

void reg_items_free(struct reg_item *items, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < items[i].nalts; j++)
            free(items[i].alts[j]);
        free(items[i].alts);
    }
    free(items);
}

enum rc reg_items_parse(const char *spec, struct reg_item **items, size_t *n, struct err *err)
{
    *items = NULL;
    *n = 0;
    if (!spec)
        return RC_OK;
    struct str all = str_trim(str_of(spec)), one;
    if (all.n == 0)
        return RC_OK;
    size_t cap = 0;
    /* Both ASCII ';' and the full-width '；' separate items. */
    struct buf norm = BUF_INIT;
    for (size_t i = 0; i < all.n;) {
        if (i + 3 <= all.n && !memcmp(all.p + i, "；", 3)) {
            buf_addc(&norm, ';');
            i += 3;
        } else if (i + 3 <= all.n && !memcmp(all.p + i, "｜", 3)) {
            buf_addc(&norm, '|');
            i += 3;
        } else {
            buf_addc(&norm, all.p[i++]);
        }
    }
    all = str_of(buf_cstr(&norm));
    int k = 0;
    while (all.n) {
        str_split(&all, ';', &one);
        k++;
        one = str_trim(one);
        if (one.n == 0) {
            if (!all.n && k > 1)
                break; /* trailing ';' */
            reg_items_free(*items, *n);
            *items = NULL;
            *n = 0;
            buf_release(&norm);
            return err_set(err, RC_INVALID,
                           "required item %d is empty; separate items with ';' and keywords with '|'",
                           k);
        }
        *items = xgrow(*items, &cap, *n + 1, sizeof(**items));
        struct reg_item *it = &(*items)[(*n)++];
        memset(it, 0, sizeof(*it));
        struct str alt;
        size_t acap = 0;
        while (one.n) {
            str_split(&one, '|', &alt);
            alt = str_trim(alt);
            if (alt.n == 0) {
                reg_items_free(*items, *n);
                *items = NULL;
                *n = 0;
                buf_release(&norm);
                return err_set(err, RC_INVALID,
                               "required item %d has an empty keyword (two '|' in a row?)", k);
            }
            it->alts = xgrow(it->alts, &acap, it->nalts + 1, sizeof(char *));
            it->alts[it->nalts++] = str_dup(alt);
        }
        it->name = it->alts[0];
    }
    buf_release(&norm);
    return RC_OK;
}

/* ---- look-ups ---------------------------------------------------------------------- */

enum rc reg_unit_lookup(struct store *db, const char *name, int64_t *id, struct err *err)
{
    if (str_empty(name))
        return err_set(err, RC_INVALID, "no unit given");
    struct str t = str_trim(str_of(name));
    char *key = str_dup(t);
    enum rc rc = store_get_int(db, id, err,
                               "SELECT id FROM units WHERE name = ? OR short_name = ? ORDER BY "
                               "CASE WHEN name = ? THEN 0 ELSE 1 END LIMIT 1",
                               "ttt", key, key, key);
    if (rc == RC_NOTFOUND)
        err_set(err, RC_NOTFOUND,
                "no unit named '%s'; use a full or short name from 'govsite unit list'", key);
    free(key);
    return rc;
}

enum rc reg_site_lookup(struct store *db, const char *key, int64_t *id, struct err *err)
{
    if (str_empty(key))
        return err_set(err, RC_INVALID, "no site given");
    char *k = str_dup(str_trim(str_of(key)));
    char *norm = NULL;
    char host[256] = "";
    if (strstr(k, "://")) {
        url_normalize(k, &norm, NULL);
        url_host(k, host, sizeof(host));
    }
    enum rc rc = store_get_int(db, id, err,
                               "SELECT id FROM sites WHERE name = ? OR code = ? OR url = ? OR url = "
                               "? OR host = ? ORDER BY id LIMIT 1",
                               "ttttt", k, k, k, norm ? norm : k, k);
    if (rc == RC_NOTFOUND && host[0] && !norm)
        rc = store_get_int(db, id, err, "SELECT id FROM sites WHERE host = ? ORDER BY id LIMIT 1",
                           "t", host);
    if (rc == RC_NOTFOUND)
        err_set(err, RC_NOTFOUND,
                "no site '%s'; give a name, 标识码 or home URL from 'govsite site list'", k);
    free(norm);
    free(k);
    return rc;
}

char *reg_unit_label(struct store *db, int64_t id)
{
    char *s = NULL;
    if (store_get_text(db, &s, NULL,
                       "SELECT COALESCE(short_name, name) FROM units WHERE id = ?", "i", id))
        return NULL;
    return s;
}

char *reg_site_label(struct store *db, int64_t id)
{
    char *s = NULL;
    if (store_get_text(db, &s, NULL, "SELECT name FROM sites WHERE id = ?", "i", id))
        return NULL;
    return s;
}

/* ---- import ------------------------------------------------------------------------ */

/* A field of the current CSV record by header index (-1 = column absent), trimmed into
 * an arena-like scratch buffer.  Returns NULL for absent and "" for empty. */
struct rowctx {
    struct csv *c;
    struct buf scratch[12];
    int ns;
};

static const char *fld(struct rowctx *r, int idx)
{
    if (idx < 0 || (size_t)idx >= r->c->nf)
        return NULL;
    struct buf *b = &r->scratch[r->ns++ % 12];
    buf_reset(b);
    struct str t = str_trim(str_of(r->c->f[idx]));
    /* Undo the spreadsheet-formula guard esc_csv adds on export ("'=..."). */
    if (t.n >= 2 && t.p[0] == '\'' && strchr("=+-@", t.p[1]))
        t.p++, t.n--;
    buf_add(b, t.p, t.n);
    return buf_cstr(b);
}

static void rowctx_release(struct rowctx *r)
{
    for (int i = 0; i < 12; i++)
        buf_release(&r->scratch[i]);
}

/* Strings equal, treating NULL as "". */
static bool same(const char *a, const char *b)
{
    return !strcmp(a ? a : "", b ? b : "");
}

static const char *nz(const char *s)
{
    return s && *s ? s : NULL;
}

struct unit_row {
    long line;
    char *name, *short_name, *kind, *parent;
    int status; /* 0 unchanged, 1 updated, 2 inserted */
};

static enum rc import_units(struct store *db, struct csv *c, const struct clk *clk,
                            struct reg_import_result *res, struct notes *bad, struct err *err)
{
    int i_name = csv_find(c, "name|名称|单位名称|单位"), i_short = csv_find(c, "short_name|简称|单位简称"),
        i_kind = csv_find(c, "kind|类型|单位类型"), i_parent = csv_find(c, "parent|上级|上级单位");
    if (i_name < 0)
        return err_set(err, RC_INVALID, "%s:%ld: no 'name' column in the header; expected name,short_name,kind,parent",
                       c->name, c->line);
    struct rowctx r = { .c = c };
    struct unit_row *rows = NULL;
    size_t n = 0, cap = 0;
    struct map seen = MAP_INIT, shorts = MAP_INIT;
    int rc2;
    while ((rc2 = csv_next(c, err)) > 0) {
        res->rows++;
        const char *name = fld(&r, i_name), *sh = fld(&r, i_short), *kind = fld(&r, i_kind),
                   *parent = fld(&r, i_parent);
        if (str_empty(name)) {
            notes_add(bad, "%s:%ld: empty unit name", c->name, c->line);
            continue;
        }
        const char *k = str_empty(kind) ? "other" : reg_unit_kind(kind);
        if (!k) {
            notes_add(bad,
                      "%s:%ld: unknown unit kind '%s'; use office, district, department, agency or "
                      "other (or 办公室, 区, 部门, 直属机构)",
                      c->name, c->line, kind);
            continue;
        }
        long *prev = map_gets(&seen, name);
        if (prev) {
            notes_add(bad, "%s:%ld: unit '%s' appears twice (also on line %ld); keep one row",
                      c->name, c->line, name, *prev);
            continue;
        }
        if (!str_empty(sh)) {
            long *ps = map_gets(&shorts, sh);
            if (ps) {
                notes_add(bad, "%s:%ld: short name '%s' is used twice (also on line %ld)",
                          c->name, c->line, sh, *ps);
                continue;
            }
        }
        if (!str_empty(parent) && !strcmp(parent, name)) {
            notes_add(bad, "%s:%ld: unit '%s' cannot be its own parent", c->name, c->line, name);
            continue;
        }
        rows = xgrow(rows, &cap, n + 1, sizeof(*rows));
        struct unit_row *u = &rows[n++];
        u->line = c->line;
        u->name = xstrdup(name);
        u->short_name = str_empty(sh) ? NULL : xstrdup(sh);
        u->kind = xstrdup(k);
        u->parent = str_empty(parent) ? NULL : xstrdup(parent);
        u->status = 0;
        long *lp = xmalloc(sizeof(long));
        *lp = c->line;
        map_puts(&seen, name, lp);
        if (u->short_name) {
            long *lp2 = xmalloc(sizeof(long));
            *lp2 = c->line;
            map_puts(&shorts, u->short_name, lp2);
        }
    }
    enum rc rc = rc2 < 0 ? err->rc : RC_OK;
    /* Parents must exist in the file or the database. */
    for (size_t i = 0; !rc && i < n; i++) {
        if (!rows[i].parent)
            continue;
        bool found = false;
        for (size_t j = 0; j < n && !found; j++)
            found = !strcmp(rows[j].name, rows[i].parent) ||
                    (rows[j].short_name && !strcmp(rows[j].short_name, rows[i].parent));
        int64_t pid;
        if (!found && reg_unit_lookup(db, rows[i].parent, &pid, NULL) != RC_OK)
            notes_add(bad, "%s:%ld: parent unit '%s' is neither in this file nor in the database",
                      c->name, rows[i].line, rows[i].parent);
    }
    if (!rc && bad->total)
        rc = err_set(err, RC_INVALID, "%s: %zu bad row%s; nothing was imported", c->name,
                     bad->total, bad->total == 1 ? "" : "s");
    int64_t now = clk_now(clk);
    if (!rc)
        rc = store_begin(db, err);
    if (!rc) {
        /* Pass 1: the units themselves. */
        for (size_t i = 0; !rc && i < n; i++) {
            struct unit_row *u = &rows[i];
            struct stmt *st = store_q(db, "SELECT id, short_name, kind FROM units WHERE name = ?",
                                      "t", u->name);
            if (stmt_next(st)) {
                int64_t id = stmt_int(st, 0);
                bool diff = !same(stmt_text(st, 1), u->short_name) || !same(stmt_text(st, 2), u->kind);
                rc = stmt_done(st, err);
                if (!rc && diff) {
                    rc = store_exec(db, err,
                                    "UPDATE units SET short_name = ?, kind = ?, updated_at = ? WHERE id = ?",
                                    "ttii", u->short_name, u->kind, now, id);
                    u->status = 1;
                }
            } else {
                rc = stmt_done(st, err);
                if (!rc)
                    rc = store_exec(db, err,
                                    "INSERT INTO units (name, short_name, kind, created_at, updated_at) "
                                    "VALUES (?, ?, ?, ?, ?)",
                                    "tttii", u->name, u->short_name, u->kind, now, now);
                u->status = 2;
            }
            if (rc)
                err_prefix(err, "%s:%ld: ", c->name, u->line);
        }
        /* Pass 2: parents (any order in the file). */
        for (size_t i = 0; !rc && i < n; i++) {
            struct unit_row *u = &rows[i];
            int64_t id = 0, pid = 0, cur = 0;
            rc = reg_unit_lookup(db, u->name, &id, err);
            if (!rc && u->parent)
                rc = reg_unit_lookup(db, u->parent, &pid, err);
            if (rc)
                break;
            enum rc g = store_get_int(db, &cur, err, "SELECT COALESCE(parent_id, 0) FROM units WHERE id = ?", "i", id);
            if (g) {
                rc = g;
                break;
            }
            if (cur != pid) {
                if (pid)
                    rc = store_exec(db, err, "UPDATE units SET parent_id = ?, updated_at = ? WHERE id = ?",
                                    "iii", pid, now, id);
                else
                    rc = store_exec(db, err, "UPDATE units SET parent_id = NULL, updated_at = ? WHERE id = ?",
                                    "ii", now, id);
                if (u->status == 0)
                    u->status = 1;
            }
        }
        /* No cycles: walk up from every imported unit. */
        for (size_t i = 0; !rc && i < n; i++) {
            int64_t id = 0;
            if ((rc = reg_unit_lookup(db, rows[i].name, &id, err)))
                break;
            int64_t cur = id;
            for (int steps = 0; cur; steps++) {
                if (steps > 64) {
                    rc = err_set(err, RC_INVALID,
                                 "%s:%ld: unit '%s' is its own ancestor (a cycle of parents); "
                                 "nothing was imported",
                                 c->name, rows[i].line, rows[i].name);
                    break;
                }
                int64_t p = 0;
                if (store_get_int(db, &p, err, "SELECT COALESCE(parent_id, 0) FROM units WHERE id = ?",
                                  "i", cur))
                    break;
                cur = p;
            }
        }
        if (rc)
            store_rollback(db);
        else
            rc = store_commit(db, err);
        for (size_t i = 0; !rc && i < n; i++) {
            if (rows[i].status == 2)
                res->inserted++;
            else if (rows[i].status == 1)
                res->updated++;
            else
                res->unchanged++;
        }
    }
    for (size_t i = 0; i < n; i++) {
        free(rows[i].name);
        free(rows[i].short_name);
        free(rows[i].kind);
        free(rows[i].parent);
    }
    free(rows);
    map_release(&seen, free);
    map_release(&shorts, free);
    rowctx_release(&r);
    return rc;
}

struct site_row {
    long line;
    char *name, *url, *host, *code, *unit, *type, *status, *icp, *psb;
};

static void site_row_free(struct site_row *s)
{
    free(s->name), free(s->url), free(s->host), free(s->code), free(s->unit), free(s->type);
    free(s->status), free(s->icp), free(s->psb);
}

/* Validate one site row; false with a note when bad. */
static bool site_row_check(struct store *db, struct site_row *s, const char *file,
                           struct notes *bad)
{
    if (str_empty(s->name)) {
        notes_add(bad, "%s:%ld: empty site name", file, s->line);
        return false;
    }
    if (str_empty(s->url)) {
        notes_add(bad, "%s:%ld: site '%s' has no url; give its home page, e.g. http://www.example.gov.cn/",
                  file, s->line, s->name);
        return false;
    }
    char *norm = NULL;
    struct err e = { 0 };
    if (url_normalize(s->url, &norm, &e)) {
        notes_add(bad, "%s:%ld: %s", file, s->line, err_msg(&e));
        return false;
    }
    free(s->url);
    s->url = norm;
    char host[256];
    url_host(norm, host, sizeof(host));
    s->host = xstrdup(host);
    if (s->code && *s->code) {
        size_t n = strlen(s->code);
        bool ok = n == 10;
        for (size_t i = 0; ok && i < n; i++)
            ok = ascii_isalnum((unsigned char)s->code[i]);
        if (!ok) {
            notes_add(bad,
                      "%s:%ld: '%s' is not a 政府网站标识码 (10 letters or digits, e.g. 4404000001 "
                      "or bm64130001)",
                      file, s->line, s->code);
            return false;
        }
    }
    const char *t = str_empty(s->type) ? "部门网站" : reg_site_type(s->type);
    if (!t) {
        notes_add(bad, "%s:%ld: unknown site type '%s'; use 门户网站 or 部门网站", file, s->line,
                  s->type);
        return false;
    }
    free(s->type);
    s->type = xstrdup(t);
    const char *st = str_empty(s->status) ? "正常运行" : reg_site_status(s->status);
    if (!st) {
        notes_add(bad, "%s:%ld: unknown site status '%s'; use 正常运行, 临时关停, 已关停 or 已迁移",
                  file, s->line, s->status);
        return false;
    }
    free(s->status);
    s->status = xstrdup(st);
    if (!str_empty(s->unit)) {
        int64_t uid;
        struct err e2 = { 0 };
        if (reg_unit_lookup(db, s->unit, &uid, &e2)) {
            notes_add(bad, "%s:%ld: %s", file, s->line, err_msg(&e2));
            return false;
        }
    }
    return true;
}

static enum rc site_upsert(struct store *db, struct site_row *s, int64_t now,
                           struct reg_import_result *res, int64_t *out_id, struct err *err)
{
    int64_t uid = 0;
    if (!str_empty(s->unit) && reg_unit_lookup(db, s->unit, &uid, err))
        return err->rc;
    struct stmt *st = store_q(db,
                              "SELECT id, url, code, COALESCE(unit_id, 0), type, status, icp, psb "
                              "FROM sites WHERE name = ?",
                              "t", s->name);
    enum rc rc;
    if (stmt_next(st)) {
        int64_t id = stmt_int(st, 0);
        bool diff = !same(stmt_text(st, 1), s->url) || !same(stmt_text(st, 2), nz(s->code)) ||
                    stmt_int(st, 3) != uid || !same(stmt_text(st, 4), s->type) ||
                    !same(stmt_text(st, 5), s->status) ||
                    (s->icp && !same(stmt_text(st, 6), nz(s->icp))) ||
                    (s->psb && !same(stmt_text(st, 7), nz(s->psb)));
        rc = stmt_done(st, err);
        if (!rc && diff) {
            rc = store_exec(db, err,
                            "UPDATE sites SET url = ?, host = ?, code = ?, unit_id = ?, type = ?, "
                            "status = ?, icp = COALESCE(?, icp), psb = COALESCE(?, psb), updated_at = ? "
                            "WHERE id = ?",
                            "tttUttttii", s->url, s->host, nz(s->code), uid, s->type, s->status,
                            nz(s->icp), nz(s->psb), now, id);
            if (res)
                res->updated++;
        } else if (!rc && res) {
            res->unchanged++;
        }
        if (out_id)
            *out_id = id;
        return rc;
    }
    rc = stmt_done(st, err);
    if (rc)
        return rc;
    int64_t id = 0;
    rc = store_get_int(db, &id, err,
                       "INSERT INTO sites (name, url, host, code, unit_id, type, status, icp, psb, "
                       "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                       "ttttUttttii", s->name, s->url, s->host, nz(s->code), uid, s->type,
                       s->status, nz(s->icp), nz(s->psb), now, now);
    if (rc == RC_CONFLICT)
        err_set(err, RC_CONFLICT, "another site already has url '%s' or code '%s'", s->url,
                s->code ? s->code : "");
    if (res)
        res->inserted++;
    if (out_id)
        *out_id = id;
    return rc;
}

static enum rc import_sites(struct store *db, struct csv *c, const struct clk *clk,
                            struct reg_import_result *res, struct notes *bad, struct err *err)
{
    int i_name = csv_find(c, "name|网站名称|名称"), i_url = csv_find(c, "url|网址|首页网址|首页地址"),
        i_code = csv_find(c, "code|标识码|网站标识码|政府网站标识码"),
        i_unit = csv_find(c, "unit|单位|主办单位"), i_type = csv_find(c, "type|类型|网站类型"),
        i_status = csv_find(c, "status|状态|运行状态"), i_icp = csv_find(c, "icp|ICP备案号"),
        i_psb = csv_find(c, "psb|公安备案号|公安机关备案号");
    if (i_name < 0 || i_url < 0)
        return err_set(err, RC_INVALID,
                       "%s:%ld: the header needs 'name' and 'url'; expected name,url,code,unit,type,status",
                       c->name, c->line);
    struct rowctx r = { .c = c };
    struct site_row *rows = NULL;
    size_t n = 0, cap = 0;
    struct map seen = MAP_INIT;
    int rc2;
    while ((rc2 = csv_next(c, err)) > 0) {
        res->rows++;
        struct site_row s = { .line = c->line };
        const char *v;
#define TAKE(f, i) ((v = fld(&r, (i))) ? xstrdup(v) : NULL)
        s.name = TAKE(name, i_name);
        s.url = TAKE(url, i_url);
        s.code = TAKE(code, i_code);
        s.unit = TAKE(unit, i_unit);
        s.type = TAKE(type, i_type);
        s.status = TAKE(status, i_status);
        s.icp = TAKE(icp, i_icp);
        s.psb = TAKE(psb, i_psb);
#undef TAKE
        if (!site_row_check(db, &s, c->name, bad)) {
            site_row_free(&s);
            continue;
        }
        long *prev = map_gets(&seen, s.name);
        if (prev) {
            notes_add(bad, "%s:%ld: site '%s' appears twice (also on line %ld); keep one row",
                      c->name, c->line, s.name, *prev);
            site_row_free(&s);
            continue;
        }
        long *lp = xmalloc(sizeof(long));
        *lp = c->line;
        map_puts(&seen, s.name, lp);
        rows = xgrow(rows, &cap, n + 1, sizeof(*rows));
        rows[n++] = s;
    }
    enum rc rc = rc2 < 0 ? err->rc : RC_OK;
    if (!rc && bad->total)
        rc = err_set(err, RC_INVALID, "%s: %zu bad row%s; nothing was imported", c->name,
                     bad->total, bad->total == 1 ? "" : "s");
    if (!rc && !(rc = store_begin(db, err))) {
        int64_t now = clk_now(clk);
        for (size_t i = 0; !rc && i < n; i++) {
            rc = site_upsert(db, &rows[i], now, res, NULL, err);
            if (rc)
                err_prefix(err, "%s:%ld: ", c->name, rows[i].line);
        }
        if (rc)
            store_rollback(db);
        else
            rc = store_commit(db, err);
    }
    for (size_t i = 0; i < n; i++)
        site_row_free(&rows[i]);
    free(rows);
    map_release(&seen, free);
    rowctx_release(&r);
    return rc;
}

struct col_row {
    long line;
    int64_t site_id, unit_id;
    char *path, *name, *urls, *cls, *required;
    int64_t fresh; /* 0 = class default */
};

/* Split a list of URLs ('|' or whitespace separated), normalise each into out (a '\n'
 * separated list).  False with a note on a bad one. */
static bool norm_urls(const char *in, struct buf *out, const char *file, long line,
                      struct notes *bad)
{
    struct buf tmp = BUF_INIT;
    buf_adds(&tmp, in);
    for (size_t i = 0; i < tmp.n; i++)
        if (tmp.p[i] == '|' || ascii_isspace((unsigned char)tmp.p[i]))
            tmp.p[i] = '\n';
    struct str all = str_of(buf_cstr(&tmp)), one;
    bool ok = true;
    while (all.n && ok) {
        str_split(&all, '\n', &one);
        if (one.n == 0)
            continue;
        char *u = str_dup(one), *norm = NULL;
        struct err e = { 0 };
        if (url_normalize(u, &norm, &e)) {
            notes_add(bad, "%s:%ld: column url: %s", file, line, err_msg(&e));
            ok = false;
        } else {
            if (out->n)
                buf_addc(out, '\n');
            buf_adds(out, norm);
        }
        free(norm);
        free(u);
    }
    buf_release(&tmp);
    return ok;
}

static enum rc set_urls(struct store *db, int64_t col_id, const char *urls, bool *changed,
                        struct err *err)
{
    /* Compare the stored set with the new one; rewrite only when different. */
    struct buf cur = BUF_INIT;
    struct stmt *st = store_q(db, "SELECT url FROM column_urls WHERE column_id = ? ORDER BY url", "i", col_id);
    while (stmt_next(st)) {
        if (cur.n)
            buf_addc(&cur, '\n');
        buf_adds(&cur, stmt_str(st, 0));
    }
    enum rc rc = stmt_done(st, err);
    /* Sort the new list the same way (few URLs: insertion sort on lines). */
    char **v = NULL;
    size_t n = 0, cap = 0;
    struct str all = str_of(urls), one;
    while (all.n) {
        str_split(&all, '\n', &one);
        if (!one.n)
            continue;
        v = xgrow(v, &cap, n + 1, sizeof(char *));
        v[n++] = str_dup(one);
    }
    for (size_t i = 1; i < n; i++)
        for (size_t j = i; j > 0 && strcmp(v[j - 1], v[j]) > 0; j--) {
            char *t = v[j];
            v[j] = v[j - 1];
            v[j - 1] = t;
        }
    struct buf want = BUF_INIT;
    for (size_t i = 0; i < n; i++) {
        if (i && !strcmp(v[i], v[i - 1]))
            continue;
        if (want.n)
            buf_addc(&want, '\n');
        buf_adds(&want, v[i]);
    }
    *changed = strcmp(buf_cstr(&cur), buf_cstr(&want)) != 0;
    if (!rc && *changed) {
        rc = store_exec(db, err, "DELETE FROM column_urls WHERE column_id = ?", "i", col_id);
        for (size_t i = 0; !rc && i < n; i++)
            if (!i || strcmp(v[i], v[i - 1]))
                rc = store_exec(db, err, "INSERT INTO column_urls (column_id, url) VALUES (?, ?)",
                                "it", col_id, v[i]);
    }
    for (size_t i = 0; i < n; i++)
        free(v[i]);
    free(v);
    buf_release(&cur);
    buf_release(&want);
    return rc;
}

static enum rc column_write(struct store *db, struct col_row *r, const char *state, int64_t now,
                            struct reg_import_result *res, int64_t *out_id, struct err *err)
{
    struct stmt *st = store_q(db,
                              "SELECT id, COALESCE(unit_id, 0), class, COALESCE(freshness_days, 0), "
                              "required_items, state FROM site_columns WHERE site_id = ? AND path = ?",
                              "it", r->site_id, r->path);
    enum rc rc;
    int64_t id = 0;
    bool diff = false, exists = false;
    if (stmt_next(st)) {
        exists = true;
        id = stmt_int(st, 0);
        diff = stmt_int(st, 1) != r->unit_id || !same(stmt_text(st, 2), r->cls) ||
               stmt_int(st, 3) != r->fresh || !same(stmt_text(st, 4), nz(r->required)) ||
               (state && !same(stmt_text(st, 5), state));
    }
    rc = stmt_done(st, err);
    if (rc)
        return rc;
    if (exists && diff) {
        rc = store_exec(db, err,
                        "UPDATE site_columns SET unit_id = ?, class = ?, freshness_days = ?, "
                        "required_items = ?, state = COALESCE(?, state), updated_at = ? WHERE id = ?",
                        "UtUttii", r->unit_id, r->cls, r->fresh, nz(r->required), state, now, id);
    } else if (!exists) {
        rc = store_get_int(db, &id, err,
                           "INSERT INTO site_columns (site_id, path, name, unit_id, class, "
                           "freshness_days, required_items, state, created_at, updated_at) VALUES "
                           "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id",
                           "ittUtUttii", r->site_id, r->path, r->name, r->unit_id, r->cls, r->fresh,
                           nz(r->required), state ? state : "registered", now, now);
    }
    bool urls_changed = false;
    if (!rc && r->urls)
        rc = set_urls(db, id, r->urls, &urls_changed, err);
    if (!rc && res) {
        if (!exists)
            res->inserted++;
        else if (diff || urls_changed)
            res->updated++;
        else
            res->unchanged++;
    }
    if (!rc && exists && urls_changed && !diff)
        rc = store_exec(db, err, "UPDATE site_columns SET updated_at = ? WHERE id = ?", "ii", now, id);
    if (out_id)
        *out_id = id;
    return rc;
}

static enum rc import_columns(struct store *db, struct csv *c, const struct clk *clk,
                              struct reg_import_result *res, struct notes *bad, struct err *err)
{
    int i_site = csv_find(c, "site|网站|网站名称"), i_path = csv_find(c, "path|路径|栏目路径|栏目"),
        i_url = csv_find(c, "url|网址|栏目网址|链接|列表页"), i_unit = csv_find(c, "unit|单位|责任单位"),
        i_class = csv_find(c, "class|类型|栏目类型|类别"),
        i_fresh = csv_find(c, "freshness_days|更新期限|更新周期|期限"),
        i_req = csv_find(c, "required_items|必备要素|必须项|必备内容");
    if (i_site < 0 || i_path < 0)
        return err_set(err, RC_INVALID,
                       "%s:%ld: the header needs 'site' and 'path'; expected "
                       "site,path,url,unit,class,freshness_days,required_items",
                       c->name, c->line);
    struct rowctx r = { .c = c };
    struct col_row *rows = NULL;
    size_t n = 0, cap = 0;
    struct map seen = MAP_INIT;
    struct buf pb = BUF_INIT, ub = BUF_INIT;
    int rc2;
    while ((rc2 = csv_next(c, err)) > 0) {
        res->rows++;
        const char *site = fld(&r, i_site), *path = fld(&r, i_path), *url = fld(&r, i_url),
                   *unit = fld(&r, i_unit), *cls = fld(&r, i_class), *fresh = fld(&r, i_fresh),
                   *req = fld(&r, i_req);
        struct col_row row = { .line = c->line };
        struct err e = { 0 };
        if (reg_site_lookup(db, site, &row.site_id, &e)) {
            notes_add(bad, "%s:%ld: %s", c->name, c->line, err_msg(&e));
            continue;
        }
        buf_reset(&pb);
        if (str_empty(path) || !reg_path_normalize(path, &pb)) {
            notes_add(bad, "%s:%ld: bad column path '%s'; write it like 民生>主题服务>交通服务",
                      c->name, c->line, path ? path : "");
            continue;
        }
        const struct reg_class *k = str_empty(cls) ? reg_class_guess(buf_cstr(&pb)) : reg_class_find(cls);
        if (!k) {
            notes_add(bad, "%s:%ld: unknown column class '%s'; use one of 动态要闻, 通知公告, 政策文件, "
                           "人事, 规划计划, 概况, 信息公开目录, 互动交流, 办事服务, 专题, 政声传递, 其他",
                      c->name, c->line, cls);
            continue;
        }
        if (!str_empty(unit) && reg_unit_lookup(db, unit, &row.unit_id, &e)) {
            notes_add(bad, "%s:%ld: %s", c->name, c->line, err_msg(&e));
            continue;
        }
        if (!str_empty(fresh) && !str_to_i64(str_of(fresh), &row.fresh)) {
            notes_add(bad, "%s:%ld: freshness_days '%s' is not a whole number of days", c->name,
                      c->line, fresh);
            continue;
        }
        if (row.fresh < 0 || row.fresh > 3650) {
            notes_add(bad, "%s:%ld: freshness_days %lld is out of range (1 to 3650, or empty for "
                           "the class default)",
                      c->name, c->line, (long long)row.fresh);
            continue;
        }
        if (!str_empty(req)) {
            struct reg_item *items;
            size_t ni;
            if (reg_items_parse(req, &items, &ni, &e)) {
                notes_add(bad, "%s:%ld: required_items: %s", c->name, c->line, err_msg(&e));
                continue;
            }
            reg_items_free(items, ni);
        }
        buf_reset(&ub);
        if (!str_empty(url) && !norm_urls(url, &ub, c->name, c->line, bad))
            continue;
        char key[64];
        snprintf(key, sizeof(key), "%lld>", (long long)row.site_id);
        struct buf kb = BUF_INIT;
        buf_adds(&kb, key);
        buf_addbuf(&kb, &pb);
        long *prev = map_gets(&seen, buf_cstr(&kb));
        if (prev) {
            notes_add(bad, "%s:%ld: column '%s' of site '%s' appears twice (also on line %ld)",
                      c->name, c->line, buf_cstr(&pb), site, *prev);
            buf_release(&kb);
            continue;
        }
        long *lp = xmalloc(sizeof(long));
        *lp = c->line;
        map_puts(&seen, buf_cstr(&kb), lp);
        buf_release(&kb);
        row.path = xstrdup(buf_cstr(&pb));
        const char *last = strrchr(row.path, '>');
        row.name = xstrdup(last ? last + 1 : row.path);
        row.urls = url ? xstrdup(buf_cstr(&ub)) : NULL;
        row.cls = xstrdup(k->name);
        row.required = str_empty(req) ? NULL : xstrdup(req);
        rows = xgrow(rows, &cap, n + 1, sizeof(*rows));
        rows[n++] = row;
    }
    enum rc rc = rc2 < 0 ? err->rc : RC_OK;
    if (!rc && bad->total)
        rc = err_set(err, RC_INVALID, "%s: %zu bad row%s; nothing was imported", c->name,
                     bad->total, bad->total == 1 ? "" : "s");
    if (!rc && !(rc = store_begin(db, err))) {
        int64_t now = clk_now(clk);
        for (size_t i = 0; !rc && i < n; i++) {
            rc = column_write(db, &rows[i], "registered", now, res, NULL, err);
            if (rc)
                err_prefix(err, "%s:%ld: ", c->name, rows[i].line);
        }
        if (rc)
            store_rollback(db);
        else
            rc = store_commit(db, err);
    }
    for (size_t i = 0; i < n; i++) {
        free(rows[i].path), free(rows[i].name), free(rows[i].urls), free(rows[i].cls);
        free(rows[i].required);
    }
    free(rows);
    map_release(&seen, free);
    buf_release(&pb);
    buf_release(&ub);
    rowctx_release(&r);
    return rc;
}

static enum rc import_csv(struct store *db, enum reg_table t, struct csv *c, const struct clk *clk,
                          struct reg_import_result *res, struct notes *bad, struct err *err)
{
    memset(res, 0, sizeof(*res));
    int r = csv_next(c, err);
    if (r < 0)
        return err->rc;
    if (r == 0)
        return err_set(err, RC_INVALID, "%s is empty; the first line must be the header", c->name);
    switch (t) {
    case REG_UNITS: return import_units(db, c, clk, res, bad, err);
    case REG_SITES: return import_sites(db, c, clk, res, bad, err);
    case REG_COLUMNS: return import_columns(db, c, clk, res, bad, err);
    }
    return RC_INTERNAL;
}

enum rc reg_import(struct store *db, enum reg_table t, const char *path, const struct clk *clk,
                   struct reg_import_result *res, struct notes *bad, struct err *err)
{
    struct csv c;
    enum rc rc = csv_open(&c, path, err);
    if (rc)
        return rc;
    rc = import_csv(db, t, &c, clk, res, bad, err);
    csv_close(&c);
    return rc;
}

enum rc reg_import_mem(struct store *db, enum reg_table t, const char *name, const char *data,
                       size_t n, const struct clk *clk, struct reg_import_result *res,
                       struct notes *bad, struct err *err)
{
    struct csv c;
    csv_open_mem(&c, name, data, n);
    enum rc rc = import_csv(db, t, &c, clk, res, bad, err);
    csv_close(&c);
    return rc;
}

/* ---- export and listing ----------------------------------------------------------- */

static const char *q_units =
    "SELECT u.id, u.name, u.short_name, u.kind, COALESCE(p.short_name, p.name) "
    "FROM units u LEFT JOIN units p ON p.id = u.parent_id ORDER BY u.id";
static const char *q_sites =
    "SELECT s.id, s.name, s.url, s.code, COALESCE(u.short_name, u.name), s.type, s.status, s.icp, s.psb "
    "FROM sites s LEFT JOIN units u ON u.id = s.unit_id ORDER BY s.id";
static const char *q_columns =
    "SELECT c.id, s.name, c.path, COALESCE(u.short_name, u.name), c.class, c.freshness_days, "
    "c.required_items, c.state FROM site_columns c JOIN sites s ON s.id = c.site_id "
    "LEFT JOIN units u ON u.id = c.unit_id WHERE (? = 0 OR c.site_id = ?) AND c.state <> 'rejected' "
    "ORDER BY s.id, c.path";

static void column_urls(struct store *db, int64_t id, struct buf *out, const char *sep)
{
    struct stmt *st = store_q(db, "SELECT url FROM column_urls WHERE column_id = ? ORDER BY url", "i", id);
    bool first = true;
    while (stmt_next(st)) {
        if (!first)
            buf_adds(out, sep);
        buf_adds(out, stmt_str(st, 0));
        first = false;
    }
    stmt_done(st, NULL);
}

enum rc reg_export_csv(struct store *db, enum reg_table t, int64_t site_id, struct buf *out,
                       struct err *err)
{
    struct stmt *st;
    char num[32];
    switch (t) {
    case REG_UNITS:
        buf_adds(out, "name,short_name,kind,parent\n");
        st = store_q(db, q_units, "");
        while (stmt_next(st)) {
            const char *f[] = { stmt_str(st, 1), stmt_str(st, 2), stmt_str(st, 3), stmt_str(st, 4) };
            csv_write_row(out, f, 4);
        }
        return stmt_done(st, err);
    case REG_SITES:
        buf_adds(out, "name,url,code,unit,type,status,icp,psb\n");
        st = store_q(db, q_sites, "");
        while (stmt_next(st)) {
            const char *f[] = { stmt_str(st, 1), stmt_str(st, 2), stmt_str(st, 3), stmt_str(st, 4),
                                stmt_str(st, 5), stmt_str(st, 6), stmt_str(st, 7), stmt_str(st, 8) };
            csv_write_row(out, f, 8);
        }
        return stmt_done(st, err);
    case REG_COLUMNS: {
        buf_adds(out, "site,path,url,unit,class,freshness_days,required_items\n");
        st = store_q(db, q_columns, "ii", site_id, site_id);
        struct buf urls = BUF_INIT;
        while (stmt_next(st)) {
            buf_reset(&urls);
            column_urls(db, stmt_int(st, 0), &urls, "|");
            num[0] = 0;
            if (!stmt_null(st, 5))
                snprintf(num, sizeof(num), "%lld", (long long)stmt_int(st, 5));
            const char *f[] = { stmt_str(st, 1), stmt_str(st, 2), buf_cstr(&urls), stmt_str(st, 3),
                                stmt_str(st, 4), num, stmt_str(st, 6) };
            csv_write_row(out, f, 7);
        }
        buf_release(&urls);
        return stmt_done(st, err);
    }
    }
    return RC_INTERNAL;
}

enum rc reg_list_json(struct store *db, enum reg_table t, int64_t site_id, struct jw *w,
                      struct err *err)
{
    return reg_list_json_more(db, t, site_id, w, NULL, NULL, err);
}

enum rc reg_list_json_more(struct store *db, enum reg_table t, int64_t site_id, struct jw *w,
                           void (*more)(struct jw *w, int64_t column_id, void *ctx), void *ctx,
                           struct err *err)
{
    struct stmt *st;
    jw_arr(w);
    switch (t) {
    case REG_UNITS:
        st = store_q(db, q_units, "");
        while (stmt_next(st)) {
            jw_obj(w);
            jw_kint(w, "id", stmt_int(st, 0));
            jw_kstr(w, "name", stmt_text(st, 1));
            jw_kstr(w, "short_name", stmt_text(st, 2));
            jw_kstr(w, "kind", stmt_text(st, 3));
            jw_kstr(w, "parent", stmt_text(st, 4));
            jw_end(w);
        }
        break;
    case REG_SITES:
        st = store_q(db, q_sites, "");
        while (stmt_next(st)) {
            jw_obj(w);
            jw_kint(w, "id", stmt_int(st, 0));
            jw_kstr(w, "name", stmt_text(st, 1));
            jw_kstr(w, "url", stmt_text(st, 2));
            jw_kstr(w, "code", stmt_text(st, 3));
            jw_kstr(w, "unit", stmt_text(st, 4));
            jw_kstr(w, "type", stmt_text(st, 5));
            jw_kstr(w, "status", stmt_text(st, 6));
            jw_kstr(w, "icp", stmt_text(st, 7));
            jw_kstr(w, "psb", stmt_text(st, 8));
            jw_end(w);
        }
        break;
    case REG_COLUMNS: {
        st = store_q(db, q_columns, "ii", site_id, site_id);
        struct buf urls = BUF_INIT;
        while (stmt_next(st)) {
            jw_obj(w);
            jw_kint(w, "id", stmt_int(st, 0));
            jw_kstr(w, "site", stmt_text(st, 1));
            jw_kstr(w, "path", stmt_text(st, 2));
            buf_reset(&urls);
            column_urls(db, stmt_int(st, 0), &urls, "\n");
            /* "url" is the first list URL (the CSV field); "urls" has them all. */
            const char *u = buf_cstr(&urls), *nl = strchr(u, '\n');
            if (urls.n)
                jw_key(w, "url"), jw_strn(w, u, nl ? (size_t)(nl - u) : urls.n);
            else
                jw_knull(w, "url");
            jw_key(w, "urls");
            jw_arr(w);
            struct str all = str_of(u), one;
            while (all.n) {
                str_split(&all, '\n', &one);
                jw_strn(w, one.p, one.n);
            }
            jw_end(w);
            jw_kstr(w, "unit", stmt_text(st, 3));
            jw_kstr(w, "class", stmt_text(st, 4));
            if (stmt_null(st, 5))
                jw_knull(w, "freshness_days");
            else
                jw_kint(w, "freshness_days", stmt_int(st, 5));
            jw_kstr(w, "required_items", stmt_text(st, 6));
            jw_kstr(w, "state", stmt_text(st, 7));
            if (more)
                more(w, stmt_int(st, 0), ctx);
            jw_end(w);
        }
        buf_release(&urls);
        break;
    }
    default: BUG("bad table");
    }
    enum rc rc = stmt_done(st, err);
    jw_end(w);
    return rc;
}

enum rc reg_site_add(struct store *db, const struct reg_site_new *in, const struct clk *clk,
                     int64_t *id, struct err *err)
{
    struct site_row s = { .line = 0 };
    s.name = in->name ? xstrdup(in->name) : NULL;
    s.url = in->url ? xstrdup(in->url) : NULL;
    s.code = in->code ? xstrdup(in->code) : NULL;
    s.unit = in->unit ? xstrdup(in->unit) : NULL;
    s.type = in->type ? xstrdup(in->type) : NULL;
    s.status = in->status ? xstrdup(in->status) : NULL;
    struct notes bad = NOTES_INIT;
    enum rc rc = RC_OK;
    if (!site_row_check(db, &s, "site add", &bad)) {
        /* The note reads "site add:0: reason"; keep only the reason. */
        const char *m = bad.v[0];
        const char *p = strstr(m, ":0: ");
        rc = err_set(err, RC_INVALID, "%s", p ? p + 4 : m);
    } else {
        rc = store_begin(db, err);
        if (!rc) {
            rc = site_upsert(db, &s, clk_now(clk), NULL, id, err);
            if (rc)
                store_rollback(db);
            else
                rc = store_commit(db, err);
        }
    }
    notes_release(&bad);
    site_row_free(&s);
    return rc;
}

void reg_column_release(struct reg_column *c)
{
    free(c->path), free(c->name), free(c->class_name), free(c->required), free(c->state);
    free(c->url);
    memset(c, 0, sizeof(*c));
}

void reg_columns_free(struct reg_column *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        reg_column_release(&v[i]);
    free(v);
}

enum rc reg_columns_of_site(struct store *db, int64_t site_id, bool all, struct reg_column **out,
                            size_t *n, struct err *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct stmt *st = store_q(db,
                              "SELECT c.id, c.site_id, COALESCE(c.unit_id, 0), c.path, c.name, c.class, "
                              "c.required_items, c.state, COALESCE(c.freshness_days, 0), "
                              "(SELECT MIN(url) FROM column_urls cu WHERE cu.column_id = c.id) "
                              "FROM site_columns c WHERE c.site_id = ? AND (c.state = 'registered' OR "
                              "(? = 1 AND c.state = 'proposed')) ORDER BY c.path",
                              "ii", site_id, (int64_t)(all ? 1 : 0));
    while (stmt_next(st)) {
        *out = xgrow(*out, &cap, *n + 1, sizeof(**out));
        struct reg_column *c = &(*out)[(*n)++];
        memset(c, 0, sizeof(*c));
        c->id = stmt_int(st, 0);
        c->site_id = stmt_int(st, 1);
        c->unit_id = stmt_int(st, 2);
        c->path = stmt_dup(st, 3);
        c->name = stmt_dup(st, 4);
        c->class_name = stmt_dup(st, 5);
        c->required = stmt_dup(st, 6);
        c->state = stmt_dup(st, 7);
        int fd = (int)stmt_int(st, 8);
        if (!fd) {
            const struct reg_class *k = reg_class_find(c->class_name);
            fd = k ? k->freshness_days : 0;
        }
        c->freshness_days = fd;
        c->url = stmt_dup(st, 9);
    }
    enum rc rc = stmt_done(st, err);
    if (rc) {
        reg_columns_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

enum rc reg_column_upsert(struct store *db, int64_t site_id, const char *path, const char *url,
                          const char *class_name, int64_t unit_id, const char *state,
                          const struct clk *clk, int64_t *id, struct err *err)
{
    struct buf pb = BUF_INIT;
    if (!reg_path_normalize(path, &pb)) {
        buf_release(&pb);
        return err_set(err, RC_INVALID, "bad column path '%s'; write it like 民生>主题服务>交通服务", path);
    }
    const struct reg_class *k = class_name ? reg_class_find(class_name) : reg_class_guess(buf_cstr(&pb));
    if (!k) {
        buf_release(&pb);
        return err_set(err, RC_INVALID, "unknown column class '%s'", class_name);
    }
    char *norm = NULL;
    if (url && url_normalize(url, &norm, err)) {
        buf_release(&pb);
        return err->rc;
    }
    struct col_row r = { .site_id = site_id, .unit_id = unit_id };
    r.path = (char *)buf_cstr(&pb);
    const char *last = strrchr(r.path, '>');
    r.name = (char *)(last ? last + 1 : r.path);
    r.cls = (char *)k->name;
    r.urls = norm;
    /* Keep the stored freshness and required items: read them first. */
    struct stmt *st = store_q(db,
                              "SELECT COALESCE(freshness_days, 0), required_items FROM site_columns "
                              "WHERE site_id = ? AND path = ?",
                              "it", site_id, r.path);
    char *req = NULL;
    if (stmt_next(st)) {
        r.fresh = stmt_int(st, 0);
        req = stmt_dup(st, 1);
    }
    enum rc rc = stmt_done(st, err);
    r.required = req;
    if (!rc) {
        /* A URL given here is added to the column's list, not a replacement. */
        r.urls = NULL;
        rc = column_write(db, &r, state, clk_now(clk), NULL, id, err);
        if (!rc && norm)
            rc = store_exec(db, err,
                            "INSERT INTO column_urls (column_id, url) VALUES (?, ?) ON CONFLICT DO NOTHING",
                            "it", *id, norm);
    }
    free(req);
    free(norm);
    buf_release(&pb);
    return rc;
}
