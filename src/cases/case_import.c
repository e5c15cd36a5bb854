/* case_import.c - work items from CSV: the header mapping, the row parser and the
 * all-or-nothing, idempotent import (cases.h, "Import from CSV"; docs/cases.md). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_int.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/map.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "reg/reg.h"

/* clang-format off */
const struct case_field_info case_fields[CASE_NFIELDS] = {
    [CASE_F_NUMBER] = { "number", "number|编号|受理编号|申请编号|留言编号|登记编号|登记号|件号|流水号|tracking_number",
                        "the tracking number (required; the key that makes imports idempotent)" },
    [CASE_F_UNIT] = { "unit", "unit|单位|承办单位|责任单位|办理单位|受理单位|被申请单位|答复单位",
                      "the responsible unit, full or short name (else the site's owning unit)" },
    [CASE_F_SITE] = { "site", "site|网站|网站名称|网站标识码|标识码",
                      "the site: its name, 标识码 or home URL" },
    [CASE_F_PAGE_URL] = { "page_url", "page_url|页面地址|问题页面|错误页面|纠错页面|页面网址|网页地址",
                          "找错: the page the message is about" },
    [CASE_F_CHANNEL] = { "channel", "channel|渠道|申请方式|提交方式|来源渠道|受理渠道",
                         "网络, 当面, 邮寄, 传真 or 其他" },
    [CASE_F_RECEIVED] = { "received", "received|收到时间|受理时间|申请时间|留言时间|提交时间|收到日期|申请日期|来信时间",
                          "the confirmed receipt (required)" },
    [CASE_F_SUBJECT] = { "subject", "subject|标题|主题|留言标题|所需信息|申请内容摘要|信息名称", "" },
    [CASE_F_CONTENT] = { "content", "content|内容|留言内容|申请内容|问题描述|咨询内容|投诉内容", "" },
    [CASE_F_REQUESTER] = { "requester", "requester|申请人|姓名|留言人|提问人|来信人|申请人姓名",
                           "personal data" },
    [CASE_F_CONTACT] = { "contact", "contact|联系方式|联系电话|电话|手机|邮箱|电子邮箱",
                         "personal data" },
    [CASE_F_REQUESTER_TYPE] = { "requester_type", "requester_type|申请人类型|申请人类别|主体类型",
                                "自然人, 商业企业, 科研机构, 社会公益组织, 法律服务机构 or 其他" },
    [CASE_F_STATUS] = { "status", "status|状态|办理状态|处理状态",
                        "办理中 (open), 已办结 (closed), 无效 (invalid), 已撤回 (withdrawn)" },
    [CASE_F_HANDLED] = { "handled", "handled|处理时间|办理时间",
                         "找错: when the unit handled it (the time judged)" },
    [CASE_F_CLOSED] = { "closed", "closed|办结时间|答复时间|回复时间|审核时间|完成时间",
                        "when it was answered or closed" },
    [CASE_F_OUTCOME] = { "outcome", "outcome|办理结果|答复类型|处理结果|答复结果|结果类型",
                         "the outcome (required for a closed 依申请公开)" },
    [CASE_F_REPLY] = { "reply", "reply|答复内容|回复内容|处理意见|答复意见", "" },
    [CASE_F_REPLY_PUBLIC] = { "reply_public", "reply_public|是否公开|公开答复|答复是否公开",
                              "是/否" },
};

static const struct { const char *words; int state; } status_words[] = {
    { "open|pending|办理中|处理中|待处理|待办理|待答复|未办结|未处理|未答复|待审核|已转办|受理中|已受理",
      CASE_ROW_OPEN },
    { "closed|done|answered|已办结|办结|已答复|已回复|已处理|已完成|完成|已审核|审核通过",
      CASE_ROW_DONE },
    { "invalid|rejected|无效|无效留言|不予受理", CASE_ROW_INVALID },
    { "withdrawn|撤回|已撤回|撤销|已撤销", CASE_ROW_WITHDRAWN },
};
/* clang-format on */

/* --- The mapping ------------------------------------------------------------------------ */

void case_map_release(struct case_map *m)
{
    for (int f = 0; f < CASE_NFIELDS; f++) {
        free(m->headers[f]);
        m->headers[f] = NULL;
    }
}

static void fields_list(struct buf *b)
{
    for (int f = 0; f < CASE_NFIELDS; f++)
        buf_addf(b, "%s%s", f ? ", " : "", case_fields[f].key);
}

/* One "field = header|header" entry. */
static enum rc map_entry(struct case_map *m, struct str e, const char *where, struct err *err)
{
    struct str field, whole = e;
    if (!str_split(&e, '=', &field))
        return err_set(err, RC_INVALID, "%s: '%.*s' is not field=header; e.g. received=留言时间",
                       where, (int)(whole.n > 80 ? 80 : whole.n), whole.p);
    field = str_trim(field);
    struct str hdr = str_trim(e);
    int f = 0;
    while (f < CASE_NFIELDS && !str_ieq_ascii(field, case_fields[f].key))
        f++;
    if (f == CASE_NFIELDS) {
        struct buf l = BUF_INIT;
        fields_list(&l);
        err_set(err, RC_INVALID, "%s: unknown field '%.*s'; the fields are %s", where,
                (int)(field.n > 40 ? 40 : field.n), field.p, buf_cstr(&l));
        buf_release(&l);
        return RC_INVALID;
    }
    if (!hdr.n)
        return err_set(err, RC_INVALID, "%s: no header name for %s", where, case_fields[f].key);
    if (m->headers[f])
        return err_set(err, RC_INVALID, "%s: %s is mapped twice", where, case_fields[f].key);
    /* Alternatives are trimmed one by one: "留言时间 | 提交时间". */
    struct buf b = BUF_INIT;
    struct str alt;
    while (hdr.n) {
        str_split(&hdr, '|', &alt);
        alt = str_trim(alt);
        if (!alt.n)
            continue;
        if (b.n)
            buf_addc(&b, '|');
        buf_add(&b, alt.p, alt.n);
    }
    if (!b.n) {
        buf_release(&b);
        return err_set(err, RC_INVALID, "%s: no header name for %s", where, case_fields[f].key);
    }
    m->headers[f] = buf_take(&b);
    return RC_OK;
}

enum rc case_map_parse(const char *name, const char *text, size_t n, struct case_map *m,
                       struct err *err)
{
    memset(m, 0, sizeof(*m));
    if (n > CASE_MAP_MAX)
        return err_set(err, RC_LIMIT, "%s: the mapping is longer than %d bytes", name,
                       CASE_MAP_MAX);
    if (memchr(text, 0, n))
        return err_set(err, RC_INVALID, "%s: the mapping holds a NUL byte", name);
    struct buf dec = BUF_INIT;
    struct charset_result cr;
    charset_decode_text(text, n, &dec, &cr);
    struct str rest = { dec.p ? dec.p : "", dec.n }, line;
    bool lines = memchr(rest.p, '\n', rest.n) != NULL || !memchr(rest.p, ',', rest.n);
    enum rc rc = RC_OK;
    long no = 0;
    while (rest.n && !rc) {
        str_split(&rest, lines ? '\n' : ',', &line);
        no++;
        line = str_trim(line);
        if (!line.n || line.p[0] == '#' || line.p[0] == ';')
            continue;
        char where[300];
        if (lines)
            snprintf(where, sizeof(where), "%s:%ld", name, no);
        else
            snprintf(where, sizeof(where), "%s", name);
        rc = map_entry(m, line, where, err);
    }
    buf_release(&dec);
    if (rc)
        case_map_release(m);
    return rc;
}

/* --- Header and rows ----------------------------------------------------------------------- */

static void header_list(const struct csv *c, struct buf *b)
{
    for (size_t i = 0; i < c->nf && i < 40; i++)
        buf_addf(b, "%s%s", i ? ", " : "", c->f[i]);
}

enum rc case_header_bind(const struct csv *c, const struct case_map *m, int idx[CASE_NFIELDS],
                         struct err *err)
{
    for (int f = 0; f < CASE_NFIELDS; f++) {
        const char *names = m && m->headers[f] ? m->headers[f] : case_fields[f].headers;
        idx[f] = csv_find(c, names);
        bool required = f == CASE_F_NUMBER || f == CASE_F_RECEIVED;
        if (idx[f] < 0 && ((m && m->headers[f]) || required)) {
            struct buf h = BUF_INIT;
            header_list(c, &h);
            err_set(err, RC_INVALID,
                    "%s:%ld: no column for %s (looked for %s); the header has %s; map one with "
                    "--map %s=HEADER",
                    c->name, c->line, case_fields[f].key, names, buf_cstr(&h), case_fields[f].key);
            buf_release(&h);
            return RC_INVALID;
        }
    }
    /* Two fields on one column is a mapping mistake (a 处理时间 meant as both). */
    for (int f = 0; f < CASE_NFIELDS; f++)
        for (int g = f + 1; g < CASE_NFIELDS; g++)
            if (idx[f] >= 0 && idx[f] == idx[g])
                return err_set(err, RC_INVALID,
                               "%s:%ld: the column '%s' is mapped to both %s and %s; map one of "
                               "them to another column",
                               c->name, c->line, c->f[idx[f]], case_fields[f].key,
                               case_fields[g].key);
    return RC_OK;
}

static enum rc parse_time_field(const struct case_row *r, int f, int tz, int64_t *out,
                                struct err *err)
{
    *out = 0;
    if (str_empty(r->f[f]))
        return RC_OK;
    if (!time_parse(r->f[f], tz, out, NULL))
        return err_set(err, RC_INVALID,
                       "%s '%.60s' is not a time; write e.g. 2018-11-05 09:30, 2018/11/5 9:30, "
                       "2018年11月5日 9时30分 or 2018/11/5 下午3:20",
                       case_fields[f].key, r->f[f]);
    return RC_OK;
}

enum rc case_row_parse(const struct csv *c, const int idx[CASE_NFIELDS], enum case_kind k,
                       int tzoff, struct buf *scratch, struct case_row *r, struct err *err)
{
    memset(r, 0, sizeof(*r));
    r->line = c->line;
    r->reply_public = -1;
    size_t off[CASE_NFIELDS];
    buf_reset(scratch);
    for (int f = 0; f < CASE_NFIELDS; f++) {
        off[f] = SIZE_MAX;
        if (idx[f] < 0)
            continue;
        const char *v = (size_t)idx[f] < c->nf ? c->f[idx[f]] : "";
        struct str t = str_trim(str_of(v));
        /* Undo the spreadsheet-formula guard of exports ("'=..."). */
        if (t.n >= 2 && t.p[0] == '\'' && strchr("=+-@", t.p[1]))
            t.p++, t.n--;
        off[f] = scratch->n;
        buf_add(scratch, t.p, t.n);
        buf_addc(scratch, 0);
    }
    if (buf_rc(scratch))
        return err_set(err, RC_LIMIT, "the row is too long");
    for (int f = 0; f < CASE_NFIELDS; f++)
        r->f[f] = off[f] == SIZE_MAX ? NULL : scratch->p + off[f];
    if (str_empty(r->f[CASE_F_NUMBER]))
        return err_set(err, RC_INVALID, "no tracking number; every row needs one (the number)");
    if (case__check_number(r->f[CASE_F_NUMBER], err))
        return RC_INVALID;
    if (str_empty(r->f[CASE_F_RECEIVED]))
        return err_set(err, RC_INVALID, "no receipt time (received)");
    if (parse_time_field(r, CASE_F_RECEIVED, tzoff, &r->received_at, err) ||
        parse_time_field(r, CASE_F_HANDLED, tzoff, &r->handled_at, err) ||
        parse_time_field(r, CASE_F_CLOSED, tzoff, &r->closed_at, err))
        return RC_INVALID;
    char rs[20], ts[20];
    time_fmt_local(r->received_at, tzoff, rs);
    if (r->handled_at && r->handled_at < r->received_at) {
        time_fmt_local(r->handled_at, tzoff, ts);
        return err_set(err, RC_INVALID, "handled %s is before received %s", ts, rs);
    }
    if (r->closed_at && r->closed_at < r->received_at) {
        time_fmt_local(r->closed_at, tzoff, ts);
        return err_set(err, RC_INVALID, "closed %s is before received %s", ts, rs);
    }
    if (r->closed_at && r->handled_at && r->closed_at < r->handled_at)
        return err_set(err, RC_INVALID, "closed is before handled");
    struct buf l = BUF_INIT;
    enum rc rc = RC_OK;
    const char *v;
    if (!str_empty(v = r->f[CASE_F_CHANNEL]) && !(r->channel = case_term_find(case_channels, v))) {
        case_terms_list(case_channels, &l);
        rc = err_set(err, RC_INVALID, "unknown channel '%.60s'; use %s", v, buf_cstr(&l));
    } else if (!str_empty(v = r->f[CASE_F_REQUESTER_TYPE]) &&
               !(r->requester_type = case_term_find(case_requester_types, v))) {
        case_terms_list(case_requester_types, &l);
        rc = err_set(err, RC_INVALID, "unknown requester type '%.60s'; use %s", v, buf_cstr(&l));
    } else if (!str_empty(v = r->f[CASE_F_OUTCOME]) && !(r->outcome = case_outcome_find(k, v))) {
        case_outcomes_list(k, &l);
        rc = err_set(err, RC_INVALID, "unknown outcome '%.60s' for %s; use one of: %s", v,
                     case_kinds[k].cn, buf_cstr(&l));
    }
    buf_release(&l);
    if (rc)
        return rc;
    if (!str_empty(v = r->f[CASE_F_REPLY_PUBLIC])) {
        if (case__in_list(v, "是|公开|yes|y|true|1|public"))
            r->reply_public = 1;
        else if (case__in_list(v, "否|不公开|no|n|false|0|private"))
            r->reply_public = 0;
        else
            return err_set(err, RC_INVALID, "reply_public '%.40s' is not 是 or 否", v);
    }
    /* The state the file claims. */
    int64_t done_at = r->closed_at ? r->closed_at : r->handled_at;
    if (!str_empty(v = r->f[CASE_F_STATUS])) {
        size_t i = 0;
        while (i < sizeof(status_words) / sizeof(status_words[0]) &&
               !case__in_list(v, status_words[i].words))
            i++;
        if (i == sizeof(status_words) / sizeof(status_words[0]))
            return err_set(err, RC_INVALID,
                           "unknown status '%.40s'; use 办理中 (open), 已办结 (closed), 无效 "
                           "(invalid) or 已撤回 (withdrawn)",
                           v);
        r->state = status_words[i].state;
    } else {
        r->state = done_at ? CASE_ROW_DONE : CASE_ROW_OPEN;
    }
    if (r->state == CASE_ROW_INVALID && k == CASE_DISCLOSURE)
        return err_set(err, RC_INVALID,
                       "status '%s' is not a way to close a 依申请公开; give the outcome (e.g. "
                       "不予处理：信访举报投诉类申请) with status 已办结",
                       v);
    if (r->state != CASE_ROW_OPEN && !done_at)
        return err_set(err, RC_INVALID,
                       "status '%s' says it is closed but there is no closing time; map a column "
                       "to closed (答复时间, 办结时间)",
                       v ? v : "");
    if (r->state == CASE_ROW_OPEN && r->closed_at)
        return err_set(err, RC_INVALID, "status '%s' says it is open but a closing time is given",
                       v ? v : "");
    if (r->state == CASE_ROW_DONE && k == CASE_DISCLOSURE && !r->outcome) {
        case_outcomes_list(k, &l);
        err_set(err, RC_INVALID,
                "a closed 依申请公开 needs its outcome, the category of the annual report "
                "(map a column to outcome): %s",
                buf_cstr(&l));
        buf_release(&l);
        return RC_INVALID;
    }
    return RC_OK;
}

/* --- The import ------------------------------------------------------------------------------ */

#define PLAN_MAX_ACTS 3

struct plan {
    long line;
    bool is_new;
    struct case_item *it; /* existing (loaded) or the new one in memory */
    struct case_new n;    /* is_new: the item (strings in the arena) */
    struct case_edit ed;  /* existing: field changes */
    bool edit;
    struct case_action act[PLAN_MAX_ACTS];
    struct case_event ev[PLAN_MAX_ACTS];
    struct case_state st[PLAN_MAX_ACTS];
    size_t nact;
};

struct run {
    struct case_ctx *x;
    enum case_kind kind;
    const char *name;
    const char *actor;
    struct arena a;
    struct map units, sites, seen; /* name → id; number → line */
    struct notes *bad;
    int64_t now;
    char payload[400]; /* the current row's provenance: {"import": FILE, "line": N} */
    char where[400];   /* the same for a note: "导入 FILE 第N行" */
};

static const char *keep(struct run *r, const char *s)
{
    return str_empty(s) ? NULL : arena_strdup(&r->a, s);
}

static bool lookup(struct run *r, struct map *cache, bool unit, const char *name, int64_t *id,
                   struct err *err)
{
    void *v = map_gets(cache, name);
    if (v) {
        *id = (int64_t)(intptr_t)v;
        return true;
    }
    enum rc rc =
        unit ? reg_unit_lookup(r->x->db, name, id, err) : reg_site_lookup(r->x->db, name, id, err);
    if (rc)
        return false;
    map_puts(cache, name, (void *)(intptr_t)*id);
    return true;
}

/* Queue a step; the run's actor and the row's provenance go with it. */
static struct case_action *queue(struct plan *p, struct run *r, const char *type, int64_t at)
{
    if (p->nact >= PLAN_MAX_ACTS)
        BUG("more than %d synthesised steps", PLAN_MAX_ACTS);
    struct case_action *a = &p->act[p->nact++];
    memset(a, 0, sizeof(*a));
    a->type = type;
    a->at = at;
    a->actor = r->actor;
    a->roles = CASE_ROLES_STAFF | CASE_ROLE_SYSTEM;
    a->reply_public = -1;
    a->payload = arena_strdup(&r->a, r->payload);
    return a;
}

/* The instant the file's closing is judged by: the handling of a 找错 message, else the
 * closing (or handling) time. */
static int64_t row_judged_at(const struct run *r, const struct case_row *w)
{
    if (r->kind == CASE_ERROR_REPORT && w->state == CASE_ROW_DONE && w->handled_at)
        return w->handled_at;
    return w->closed_at ? w->closed_at : w->handled_at;
}

/* The steps that bring `cur` (the item's state now) to what row `w` says. */
static void synthesise(struct plan *p, struct run *r, const struct case_row *w,
                       const struct case_state *cur)
{
    bool err_kind = r->kind == CASE_ERROR_REPORT;
    int64_t judged = row_judged_at(r, w);
    const char *outcome = w->outcome ? w->outcome->key : NULL;
    const char *reply = keep(r, w->f[CASE_F_REPLY]);
    struct case_action *a;
    switch (w->state) {
    case CASE_ROW_OPEN:
        if (err_kind && w->handled_at && cur->status != CASE_HANDLED)
            queue(p, r, "handle", w->handled_at)->outcome = outcome;
        break;
    case CASE_ROW_DONE:
        a = NULL;
        if (!err_kind)
            a = queue(p, r, "answer", judged);
        else if (cur->status != CASE_HANDLED)
            a = queue(p, r, "handle", judged);
        if (a) {
            a->outcome = outcome;
            a->reply = reply;
            a->reply_public = w->reply_public;
        }
        if (err_kind)
            queue(p, r, "review", w->closed_at ? w->closed_at : judged);
        break;
    case CASE_ROW_INVALID:
        a = queue(p, r, err_kind ? "reject" : "answer", judged);
        a->outcome = outcome ? outcome : "invalid";
        a->note = err_kind ? "导入：无效留言" : NULL;
        a->reply = reply;
        a->reply_public = w->reply_public;
        break;
    case CASE_ROW_WITHDRAWN:
        queue(p, r, "withdraw", judged);
        break;
    }
}

/* The closing the file claims, as the status the item would get. */
static enum case_status row_closed_status(const struct run *r, const struct case_row *w)
{
    switch (w->state) {
    case CASE_ROW_INVALID:
        return r->kind == CASE_ERROR_REPORT ? CASE_REJECTED : CASE_ANSWERED;
    case CASE_ROW_WITHDRAWN:
        return CASE_WITHDRAWN;
    default:
        return r->kind == CASE_ERROR_REPORT ? CASE_CLOSED : CASE_ANSWERED;
    }
}

/* Does a closed item's status say what the row says?  An export writes every closing
 * that is not invalid or withdrawn as 已办结, whichever step closed it. */
static bool row_state_matches(const struct run *r, const struct case_row *w, enum case_status s)
{
    switch (w->state) {
    case CASE_ROW_DONE:
        return s == CASE_ANSWERED || s == CASE_CLOSED || s == CASE_ABANDONED;
    case CASE_ROW_INVALID:
        return s == row_closed_status(r, w);
    case CASE_ROW_WITHDRAWN:
        return s == CASE_WITHDRAWN;
    default:
        return false;
    }
}

/* The file's value equals the stored one, or is the stored one masked (an export of
 * govsite's own, re-imported). */
static bool same_or_masked(const char *stored, const char *file, bool contact)
{
    if (!strcmp(stored ? stored : "", file))
        return true;
    if (!stored)
        return false;
    struct buf m = BUF_INIT;
    if (contact)
        case_mask_contact(stored, &m);
    else
        case_mask_name(stored, &m);
    bool same = !strcmp(buf_cstr(&m), file);
    buf_release(&m);
    return same;
}

/* Compare an existing item with the row: field edits, steps to add, or a conflict. */
static bool plan_existing(struct run *r, struct plan *p, const struct case_row *w, int64_t unit_id,
                          int64_t site_id, struct err *err)
{
    struct case_item *it = p->it;
    char a[20], b[20];
    if (it->kind != r->kind)
        return err_set(err, RC_INVALID, "%s is a %s item in govsite, not %s", it->number,
                       case_kinds[it->kind].cn, case_kinds[r->kind].cn),
               false;
    if (it->received_at != w->received_at) {
        time_fmt_local(it->received_at, r->x->tz, a);
        time_fmt_local(w->received_at, r->x->tz, b);
        return err_set(err, RC_INVALID,
                       "%s was received at %s in govsite but %s in the file; the receipt fixes the "
                       "deadline and is not changed by an import",
                       it->number, a, b),
               false;
    }
    struct case_state cur;
    if (case_state_at(r->x, it, r->now > it->received_at ? r->now : it->received_at, &cur, NULL,
                      err))
        return false;
    if (w->state != CASE_ROW_OPEN && !cur.open) {
        /* Both closed: they must agree. */
        int64_t judged = cur.replied_at ? cur.replied_at : cur.closed_at;
        int64_t want = row_judged_at(r, w);
        const char *want_outcome = w->outcome ? w->outcome->key : NULL;
        if (!row_state_matches(r, w, cur.status) || judged != want ||
            (want_outcome && (!cur.outcome || strcmp(cur.outcome, want_outcome)))) {
            time_fmt_local(judged, r->x->tz, a);
            time_fmt_local(want, r->x->tz, b);
            return err_set(err, RC_INVALID,
                           "%s is %s at %s in govsite (outcome %s) but the file says %s at %s "
                           "(outcome %s); reopen it in govsite first if the file is right",
                           it->number, case_statuses[cur.status].cn, a,
                           cur.outcome ? cur.outcome : "none",
                           case_statuses[row_closed_status(r, w)].cn, b,
                           want_outcome ? want_outcome : "none"),
                   false;
        }
    } else if (w->state != CASE_ROW_OPEN || (w->handled_at && r->kind == CASE_ERROR_REPORT)) {
        synthesise(p, r, w, &cur);
    }
    /* Field edits: only what the file gives. */
    struct case_edit *ed = &p->ed;
    memset(ed, 0, sizeof(*ed));
    ed->reply_public = -1;
    ed->actor = r->actor;
    ed->note = arena_strdup(&r->a, r->where);
#define CHANGED(cur, want) ((want) && strcmp((cur) ? (cur) : "", (want)))
    if (unit_id && unit_id != cur.unit_id)
        ed->unit_id = unit_id, p->edit = true;
    if (site_id && site_id != it->site_id)
        ed->site_id = site_id, p->edit = true;
    const char *fv[] = { w->f[CASE_F_PAGE_URL],
                         w->channel ? w->channel->key : NULL,
                         w->f[CASE_F_SUBJECT],
                         w->f[CASE_F_CONTENT],
                         w->f[CASE_F_REQUESTER],
                         w->f[CASE_F_CONTACT],
                         w->requester_type ? w->requester_type->key : NULL };
    const char *cv[] = { it->page_url,  it->channel, it->subject,       it->content,
                         it->requester, it->contact, it->requester_type };
    const char **dst[] = { &ed->page_url,  &ed->channel, &ed->subject,       &ed->content,
                           &ed->requester, &ed->contact, &ed->requester_type };
    for (size_t i = 0; i < sizeof(fv) / sizeof(fv[0]); i++) {
        if (str_empty(fv[i]) || !CHANGED(cv[i], fv[i]))
            continue;
        if ((dst[i] == &ed->requester || dst[i] == &ed->contact) &&
            same_or_masked(cv[i], fv[i], dst[i] == &ed->contact))
            continue;
        *dst[i] = keep(r, fv[i]), p->edit = true;
    }
    /* A reply the synthesised steps do not carry. */
    if (!p->nact && !str_empty(w->f[CASE_F_REPLY]) && CHANGED(it->reply, w->f[CASE_F_REPLY]))
        ed->reply = keep(r, w->f[CASE_F_REPLY]), p->edit = true;
    if (!p->nact && w->reply_public >= 0 && (w->reply_public != 0) != it->reply_public)
        ed->reply_public = w->reply_public, p->edit = true;
#undef CHANGED
    return true;
}

/* Check the queued steps on the item in memory, one after the other. */
static bool plan_steps(struct run *r, struct plan *p, struct err *err)
{
    struct case_item *it = p->it;
    struct case_event *ev = arena_alloc(&r->a, (it->nev + PLAN_MAX_ACTS) * sizeof(*ev));
    if (it->nev)
        memcpy(ev, it->ev, it->nev * sizeof(*ev));
    it->ev = ev;
    for (size_t i = 0; i < p->nact; i++) {
        if (case__step(r->x, it, &p->act[i], r->now, &p->ev[i], &p->st[i], err))
            return false;
        it->ev[it->nev++] = p->ev[i];
    }
    return true;
}

static bool plan_row(struct run *r, struct plan *p, const struct case_row *w, struct err *err)
{
    const char *num = w->f[CASE_F_NUMBER];
    int64_t unit_id = 0, site_id = 0;
    if (!str_empty(w->f[CASE_F_SITE]) &&
        !lookup(r, &r->sites, false, w->f[CASE_F_SITE], &site_id, err))
        return false;
    if (!str_empty(w->f[CASE_F_UNIT]) &&
        !lookup(r, &r->units, true, w->f[CASE_F_UNIT], &unit_id, err))
        return false;
    snprintf(r->where, sizeof(r->where), "导入 %.300s 第%ld行", r->name, w->line);
    {
        struct buf pb = BUF_INIT;
        struct jw jw;
        jw_init(&jw, &pb, false);
        jw_obj(&jw);
        jw_kstr(&jw, "import", r->name);
        jw_kint(&jw, "line", w->line);
        jw_end(&jw);
        snprintf(r->payload, sizeof(r->payload), "%s", buf_cstr(&pb));
        buf_release(&pb);
    }
    p->line = w->line;
    p->it = arena_alloc(&r->a, sizeof(*p->it));
    enum rc rc = case_get(r->x, num, &r->a, p->it, err);
    if (rc && rc != RC_NOTFOUND)
        return false;
    if (!rc) {
        if (!plan_existing(r, p, w, unit_id, site_id, err))
            return false;
        return plan_steps(r, p, err);
    }
    err_clear(err);
    p->is_new = true;
    if (!unit_id && site_id) {
        enum rc u = store_get_int(r->x->db, &unit_id, err,
                                  "SELECT unit_id FROM sites WHERE id = ? AND unit_id IS NOT NULL",
                                  "i", site_id);
        if (u && u != RC_NOTFOUND)
            return false;
        err_clear(err);
    }
    if (!unit_id)
        return err_set(err, RC_INVALID,
                       "no responsible unit: map a column to unit, or give a site that has an "
                       "owning unit"),
               false;
    struct case_new *n = &p->n;
    *n = (struct case_new){
        .kind = r->kind,
        .number = keep(r, num),
        .unit_id = unit_id,
        .site_id = site_id,
        .page_url = keep(r, w->f[CASE_F_PAGE_URL]),
        .channel = w->channel ? w->channel->key : NULL,
        .subject = keep(r, w->f[CASE_F_SUBJECT]),
        .content = keep(r, w->f[CASE_F_CONTENT]),
        .requester = keep(r, w->f[CASE_F_REQUESTER]),
        .contact = keep(r, w->f[CASE_F_CONTACT]),
        .requester_type = w->requester_type ? w->requester_type->key : NULL,
        .received_at = w->received_at,
        .actor = r->actor,
        .payload = arena_strdup(&r->a, r->payload),
    };
    const struct deadline_rule *rule;
    if (case__check_new(r->x, n, &rule, r->now, err))
        return false;
    /* The new item in memory, with its receive event. */
    struct case_item *it = p->it;
    memset(it, 0, sizeof(*it));
    it->number = n->number;
    it->kind = r->kind;
    it->unit_id = unit_id;
    it->received_at = n->received_at;
    it->rule = rule->name;
    it->ev = arena_alloc(&r->a, sizeof(*it->ev));
    it->ev[0] = (struct case_event){ .seq = 1,
                                     .tr = case_transition_find("receive"),
                                     .at = n->received_at,
                                     .actor = r->actor,
                                     .from = -1,
                                     .to = CASE_RECEIVED,
                                     .unit_id = unit_id };
    it->nev = 1;
    struct case_state cur;
    if (case_state_at(r->x, it, n->received_at, &cur, NULL, err))
        return false;
    synthesise(p, r, w, &cur);
    return plan_steps(r, p, err);
}

static enum rc write_plans(struct run *r, struct plan *plans, size_t n,
                           struct case_import_result *res, struct err *err)
{
    struct case_ctx *x = r->x;
    enum rc rc = store_begin(x->db, err);
    for (size_t i = 0; i < n && !rc; i++) {
        struct plan *p = &plans[i];
        int64_t id = p->it->id;
        if (p->is_new) {
            const struct deadline_rule *rule = deadline_rule_find(&x->rules, p->it->rule);
            rc = case__insert(x, &p->n, p->n.number, rule, r->now, &id, err);
        }
        for (size_t j = 0; j < p->nact && !rc; j++)
            rc = case__write_event(x, id, &p->ev[j], &p->st[j], &p->act[j], r->now, err);
        if (!rc && p->edit)
            rc = case_edit(x, p->it->number, &p->ed, NULL, err);
        if (rc) {
            err_prefix(err, "%s:%ld: ", r->name, p->line);
            break;
        }
        if (p->is_new)
            res->added++;
        else if (p->nact || p->edit)
            res->updated++;
        else
            res->unchanged++;
    }
    if (!rc)
        rc = store_commit(x->db, err);
    if (rc)
        store_rollback(x->db);
    return rc;
}

static enum rc import_csv(struct case_ctx *x, enum case_kind k, struct csv *c,
                          const struct case_map *m, const char *actor,
                          struct case_import_result *res, struct notes *bad, struct err *err)
{
    memset(res, 0, sizeof(*res));
    struct run r = { .x = x,
                     .kind = k,
                     .name = c->name,
                     .actor = str_empty(actor) ? "import" : actor,
                     .bad = bad,
                     .now = clk_now(x->clk) };
    int idx[CASE_NFIELDS];
    int got = csv_next(c, err);
    if (got < 0)
        return err->rc ? err->rc : RC_PARSE;
    if (got == 0)
        return err_set(err, RC_INVALID, "%s is empty; the first line must be the header", c->name);
    if (case_header_bind(c, m, idx, err))
        return RC_INVALID;
    VEC(struct plan) plans = VEC_INIT;
    struct buf scratch = BUF_INIT;
    buf_init(&scratch, 4u << 20);
    enum rc rc = RC_OK;
    while ((got = csv_next(c, err)) > 0) {
        res->rows++;
        struct case_row w;
        struct err e = { 0 };
        struct plan p;
        memset(&p, 0, sizeof(p));
        if (case_row_parse(c, idx, k, x->tz, &scratch, &w, &e)) {
            notes_add(bad, "%s:%ld: %s", c->name, c->line, err_msg(&e));
            continue;
        }
        const char *num = w.f[CASE_F_NUMBER];
        void *seen = map_gets(&r.seen, num);
        if (seen) {
            notes_add(bad, "%s:%ld: the number %s appears again (first on line %ld)", c->name,
                      c->line, num, (long)(intptr_t)seen);
            continue;
        }
        map_puts(&r.seen, num, (void *)(intptr_t)c->line);
        if (!plan_row(&r, &p, &w, &e)) {
            if (e.rc == RC_DB || e.rc == RC_BUSY || e.rc == RC_UNAVAILABLE) {
                err_set(err, e.rc, "%s:%ld: %s", c->name, c->line, err_msg(&e));
                rc = e.rc;
                break;
            }
            notes_add(bad, "%s:%ld: %s", c->name, c->line, err_msg(&e));
            continue;
        }
        vec_push(&plans, p);
    }
    if (!rc && got < 0)
        rc = err->rc ? err->rc : RC_PARSE;
    if (!rc && bad->total)
        rc = err_set(err, RC_INVALID, "%zu bad row%s in %s; nothing was imported", bad->total,
                     bad->total == 1 ? "" : "s", c->name);
    if (!rc)
        rc = write_plans(&r, plans.v, plans.n, res, err);
    if (rc)
        res->added = res->updated = res->unchanged = 0;
    vec_release(&plans);
    buf_release(&scratch);
    map_release(&r.units, NULL);
    map_release(&r.sites, NULL);
    map_release(&r.seen, NULL);
    arena_release(&r.a);
    return rc;
}

enum rc case_import(struct case_ctx *x, enum case_kind k, const char *path,
                    const struct case_map *m, const char *actor, struct case_import_result *res,
                    struct notes *bad, struct err *err)
{
    struct csv c;
    enum rc rc = csv_open(&c, path, err);
    if (rc)
        return rc;
    rc = import_csv(x, k, &c, m, actor, res, bad, err);
    csv_close(&c);
    return rc;
}

enum rc case_import_mem(struct case_ctx *x, enum case_kind k, const char *name, const char *data,
                        size_t n, const struct case_map *m, const char *actor,
                        struct case_import_result *res, struct notes *bad, struct err *err)
{
    struct csv c;
    csv_open_mem(&c, name, data, n);
    enum rc rc = import_csv(x, k, &c, m, actor, res, bad, err);
    csv_close(&c);
    return rc;
}
