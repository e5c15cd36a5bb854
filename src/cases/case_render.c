/* case_render.c - work items as text and JSON, and the masking of personal data
 * (cases.h, "Rendering"). */
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_int.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/str.h"
#include "core/utf8.h"
#include "reg/reg.h"

/* --- Masking ------------------------------------------------------------------------- */

void case_mask_name(const char *name, struct buf *out)
{
    struct str t = str_trim(str_of(name));
    if (!t.n)
        return;
    size_t len;
    utf8_decode(t.p, t.n, &len);
    size_t chars = utf8_count(t.p, t.n);
    if (chars <= 1) {
        buf_addc(out, '*');
        return;
    }
    utf8_sanitize(out, t.p, len);
    for (size_t i = 1; i < chars; i++)
        buf_addc(out, '*');
}

void case_mask_contact(const char *contact, struct buf *out)
{
    struct str t = str_trim(str_of(contact));
    if (!t.n)
        return;
    const char *at = memchr(t.p, '@', t.n);
    if (at && at > t.p) {
        size_t len;
        utf8_decode(t.p, t.n, &len);
        utf8_sanitize(out, t.p, len);
        buf_adds(out, "***");
        utf8_sanitize(out, at, (size_t)(t.p + t.n - at));
        return;
    }
    /* A phone number: digits with + - space ( ) between them. */
    char d[32];
    size_t nd = 0;
    bool phone = true;
    for (size_t i = 0; i < t.n && phone; i++) {
        char ch = t.p[i];
        if (ascii_isdigit((unsigned char)ch)) {
            if (nd < sizeof(d))
                d[nd] = ch;
            nd++;
        } else if (!strchr("+- ()", ch)) {
            phone = false;
        }
    }
    if (phone && nd >= 7 && nd <= sizeof(d)) {
        /* A mainland mobile number, with or without the country code. */
        const char *m = d;
        size_t nm = nd;
        if (nm == 13 && !memcmp(m, "86", 2))
            m += 2, nm -= 2;
        if (nm == 11 && m[0] == '1')
            buf_addf(out, "%.3s****%.4s", m, m + 7);
        else
            buf_addf(out, "****%.4s", d + nd - 4);
        return;
    }
    size_t len;
    utf8_decode(t.p, t.n, &len);
    utf8_sanitize(out, t.p, len);
    buf_adds(out, "***");
}

static bool is_org(const struct case_item *it)
{
    return !str_empty(it->requester_type) && strcmp(it->requester_type, "person");
}

void case_requester_text(const struct case_item *it, enum case_view view, struct buf *out)
{
    if (str_empty(it->requester))
        return;
    if (view == CASE_VIEW_FULL || is_org(it))
        buf_adds(out, it->requester);
    else
        case_mask_name(it->requester, out);
}

void case_contact_text(const struct case_item *it, enum case_view view, struct buf *out)
{
    if (str_empty(it->contact))
        return;
    if (view == CASE_VIEW_FULL)
        buf_adds(out, it->contact);
    else
        case_mask_contact(it->contact, out);
}

/* --- Text ------------------------------------------------------------------------------ */

static const struct case_outcome *outcome_of(enum case_kind k, const char *key)
{
    return key ? case_outcome_find(k, key) : NULL;
}

void case_event_text(const struct case_ctx *x, const struct case_event *e, struct buf *out)
{
    time_fmt_cn(e->at, x->tz, out);
    buf_addf(out, " %s %s", e->actor ? e->actor : "", e->tr->cn);
    if (e->unit_id && strcmp(e->tr->name, "receive")) {
        char *u = reg_unit_label(x->db, e->unit_id);
        buf_addf(out, "：%s", u ? u : "?");
        free(u);
    }
    if (e->days)
        buf_addf(out, " %d个工作日", e->days);
    if (e->outcome) {
        const struct case_outcome *o = NULL;
        for (size_t i = 0; i < case_noutcomes && !o; i++)
            if (!strcmp(case_outcomes[i].key, e->outcome))
                o = &case_outcomes[i];
        buf_adds(out, "（结果：");
        if (o)
            case_outcome_label(o, out);
        else
            buf_adds(out, e->outcome);
        buf_adds(out, "）");
    }
    if (e->tr->to != CASE_SAME && e->from >= 0 && e->from != e->to)
        buf_addf(out, " → %s", case_statuses[e->to].cn);
    if (e->note)
        buf_addf(out, "（备注：%s）", e->note);
}

/* --- JSON -------------------------------------------------------------------------------- */

void case_events_json(struct jw *w, const struct case_ctx *x, const struct case_item *it)
{
    struct buf t = BUF_INIT;
    jw_arr(w);
    for (size_t i = 0; i < it->nev; i++) {
        const struct case_event *e = &it->ev[i];
        jw_obj(w);
        jw_kint(w, "seq", e->seq);
        jw_kstr(w, "type", e->tr->name);
        jw_kstr(w, "type_cn", e->tr->cn);
        jw_ktime(w, "at", e->at, x->tz);
        jw_ktime(w, "recorded_at", e->recorded_at, x->tz);
        jw_kstr(w, "actor", e->actor);
        jw_kstr(w, "from", e->from >= 0 ? case_statuses[e->from].key : NULL);
        jw_kstr(w, "to", case_statuses[e->to].key);
        if (e->days)
            jw_kint(w, "days", e->days);
        else
            jw_knull(w, "days");
        jw_kstr(w, "outcome", e->outcome);
        if (e->unit_id) {
            char *u = reg_unit_label(x->db, e->unit_id);
            jw_kstr(w, "unit", u);
            free(u);
        } else {
            jw_knull(w, "unit");
        }
        jw_kstr(w, "note", e->note);
        jw_key(w, "payload");
        if (e->payload)
            jw_raw(w, e->payload);
        else
            jw_null(w);
        buf_reset(&t);
        case_event_text(x, e, &t);
        jw_kstr(w, "text", buf_cstr(&t));
        jw_end(w);
    }
    jw_end(w);
    buf_release(&t);
}

static void kterm(struct jw *w, const char *k, const char *kcn, const struct case_term *table,
                  const char *key)
{
    const struct case_term *t = case_term_find(table, key);
    jw_kstr(w, k, t ? t->key : key);
    jw_kstr(w, kcn, t ? t->cn : NULL);
}

/* The members case_json and case_public_json share: the item's identity, and its state. */
static void head_json(struct jw *w, const struct case_item *it)
{
    jw_kstr(w, "number", it->number);
    jw_kstr(w, "kind", case_kinds[it->kind].key);
    jw_kstr(w, "kind_cn", case_kinds[it->kind].cn);
    jw_kstr(w, "unit", it->unit);
}

static void status_json(struct jw *w, const struct case_ctx *x, const struct case_state *st)
{
    jw_kstr(w, "status", case_statuses[st->status].key);
    jw_kstr(w, "status_cn", case_statuses[st->status].cn);
    jw_kbool(w, "open", st->open);
    jw_ktime(w, "due", st->dl.paused ? 0 : st->dl.due, x->tz);
    jw_kbool(w, "paused", st->dl.paused);
}

void case_public_json(struct jw *w, const struct case_ctx *x, const struct case_item *it,
                      const struct case_state *st)
{
    struct buf t = BUF_INIT;
    jw_obj(w);
    head_json(w, it);
    jw_ktime(w, "received", it->received_at, x->tz);
    status_json(w, x, st);
    jw_ktime(w, "replied", st->replied_at, x->tz);
    jw_ktime(w, "closed", st->closed_at, x->tz);
    const struct case_outcome *o = outcome_of(it->kind, st->outcome);
    jw_kstr(w, "outcome", o ? o->key : NULL);
    if (o)
        case_outcome_label(o, &t);
    jw_kstr(w, "outcome_cn", o ? buf_cstr(&t) : NULL);
    jw_kstr(w, "reply", it->reply_public ? it->reply : NULL);
    jw_end(w);
    buf_release(&t);
}

void case_json(struct jw *w, const struct case_ctx *x, const struct case_item *it,
               const struct case_state *st, enum case_view view, unsigned roles,
               const struct deadline_explain *explain, bool events)
{
    struct buf t = BUF_INIT;
    jw_obj(w);
    head_json(w, it);
    jw_kstr(w, "site", it->site);
    jw_kstr(w, "page_url", it->page_url);
    kterm(w, "channel", "channel_cn", case_channels, it->channel);
    jw_ktime(w, "received", it->received_at, x->tz);
    jw_kstr(w, "subject", it->subject);
    jw_kstr(w, "content", it->content);
    case_requester_text(it, view, &t);
    jw_kstr(w, "requester", t.n ? buf_cstr(&t) : NULL);
    buf_reset(&t);
    case_contact_text(it, view, &t);
    jw_kstr(w, "contact", t.n ? buf_cstr(&t) : NULL);
    kterm(w, "requester_type", "requester_type_cn", case_requester_types, it->requester_type);
    jw_kstr(w, "personal_data", view == CASE_VIEW_FULL ? "shown" : "masked");
    jw_kstr(w, "rule", it->rule);
    jw_ktime(w, "as_of", st->as_of, x->tz);
    status_json(w, x, st);
    jw_kstr(w, "timing", case_timing_key(st->timing));
    jw_kstr(w, "timing_cn", case_timing_cn(st->timing));
    jw_kbool(w, "overdue", st->timing == CASE_OPEN_OVERDUE || st->timing == CASE_LATE);
    jw_ktime(w, "replied", st->replied_at, x->tz);
    jw_ktime(w, "closed", st->closed_at, x->tz);
    const struct case_outcome *o = outcome_of(it->kind, st->outcome);
    jw_kstr(w, "outcome", o ? o->key : st->outcome);
    buf_reset(&t);
    if (o)
        case_outcome_label(o, &t);
    jw_kstr(w, "outcome_cn", o ? buf_cstr(&t) : NULL);
    jw_kstr(w, "outcome_code", o && o->code[0] ? o->code : NULL);
    jw_kstr(w, "reply", it->reply);
    jw_kbool(w, "reply_public", it->reply_public);
    if (st->replied_at) {
        jw_kint(w, "handling_days",
                time_to_date(st->replied_at, x->tz) - time_to_date(it->received_at, x->tz));
        jw_kint(w, "handling_working_days", case__working_days(x, it->received_at, st->replied_at));
    }
    if (roles) {
        const struct case_transition *v[32];
        size_t n = case_allowed(x, it, roles, v, 32);
        jw_key(w, "allowed");
        jw_arr(w);
        for (size_t i = 0; i < n && i < 32; i++) {
            jw_obj(w);
            jw_kstr(w, "type", v[i]->name);
            jw_kstr(w, "type_cn", v[i]->cn);
            jw_kstr(w, "help", v[i]->help);
            jw_end(w);
        }
        jw_end(w);
    }
    const struct deadline_rule *rule = deadline_rule_find(&x->rules, it->rule);
    if (rule) {
        jw_key(w, "deadline");
        deadline_json(w, x->cal, rule, it->received_at, &st->dl, explain);
    }
    if (events) {
        jw_key(w, "events");
        case_events_json(w, x, it);
    }
    jw_end(w);
    buf_release(&t);
}

/* --- CSV export ------------------------------------------------------------------------------ */

static const char *export_status(const struct case_state *st)
{
    if (st->open)
        return "办理中";
    switch (st->status) {
    case CASE_REJECTED:
        return "无效";
    case CASE_WITHDRAWN:
        return "已撤回";
    default:
        return "已办结";
    }
}

enum rc case_export_csv(struct case_ctx *x, const struct case_filter *f, struct buf *out,
                        struct err *err)
{
    struct case_list l;
    enum rc rc = case_query(x, f, &l, err);
    if (rc)
        return rc;
    const char *hdr[CASE_NFIELDS + 4];
    for (int i = 0; i < CASE_NFIELDS; i++)
        hdr[i] = case_fields[i].key;
    hdr[CASE_NFIELDS] = "kind";
    hdr[CASE_NFIELDS + 1] = "rule";
    hdr[CASE_NFIELDS + 2] = "due";
    hdr[CASE_NFIELDS + 3] = "timing";
    csv_write_row(out, hdr, CASE_NFIELDS + 4);
    struct buf req = BUF_INIT, con = BUF_INIT;
    for (size_t i = 0; i < l.items.n; i++) {
        const struct case_item *it = &l.items.v[i];
        const struct case_state *st = &l.states.v[i];
        char recv[20], handled[20] = "", closed[20] = "", due[20] = "";
        time_fmt_local(it->received_at, x->tz, recv);
        if (it->kind == CASE_ERROR_REPORT && st->replied_at)
            time_fmt_local(st->replied_at, x->tz, handled);
        if (st->closed_at)
            time_fmt_local(st->closed_at, x->tz, closed);
        if (!st->dl.paused)
            time_fmt_local(st->dl.due, x->tz, due);
        buf_reset(&req);
        buf_reset(&con);
        case_requester_text(it, CASE_VIEW_MASKED, &req);
        case_contact_text(it, CASE_VIEW_MASKED, &con);
        const struct case_term *ch = case_term_find(case_channels, it->channel);
        const struct case_term *rt = case_term_find(case_requester_types, it->requester_type);
        const char *v[CASE_NFIELDS + 4] = {
            [CASE_F_NUMBER] = it->number,
            [CASE_F_UNIT] = it->unit,
            [CASE_F_SITE] = it->site,
            [CASE_F_PAGE_URL] = it->page_url,
            [CASE_F_CHANNEL] = ch ? ch->cn : NULL,
            [CASE_F_RECEIVED] = recv,
            [CASE_F_SUBJECT] = it->subject,
            [CASE_F_CONTENT] = it->content,
            [CASE_F_REQUESTER] = buf_cstr(&req),
            [CASE_F_CONTACT] = buf_cstr(&con),
            [CASE_F_REQUESTER_TYPE] = rt ? rt->cn : NULL,
            [CASE_F_STATUS] = export_status(st),
            [CASE_F_HANDLED] = handled,
            [CASE_F_CLOSED] = closed,
            [CASE_F_OUTCOME] = st->open ? NULL : st->outcome,
            [CASE_F_REPLY] = it->reply,
            [CASE_F_REPLY_PUBLIC] = it->reply_public ? "是" : "否",
            [CASE_NFIELDS] = case_kinds[it->kind].key,
            [CASE_NFIELDS + 1] = it->rule,
            [CASE_NFIELDS + 2] = due,
            [CASE_NFIELDS + 3] = case_timing_key(st->timing),
        };
        for (int k = 0; k < CASE_NFIELDS + 4; k++)
            if (!v[k])
                v[k] = "";
        csv_write_row(out, v, CASE_NFIELDS + 4);
    }
    buf_release(&req);
    buf_release(&con);
    case_list_release(&l);
    return RC_OK;
}

/* --- Statistics ------------------------------------------------------------------------------ */

static void stats_fields(struct jw *w, const struct case_stats *s)
{
    jw_kint(w, "received", s->received);
    jw_kint(w, "closed", s->closed);
    jw_kint(w, "closed_on_time", s->closed_on_time);
    jw_kint(w, "closed_late", s->closed_late);
    jw_kint(w, "open_not_due", s->open_not_due);
    jw_kint(w, "open_overdue", s->open_overdue);
    if (s->rate_defined)
        jw_kdouble(w, "on_time_rate", s->on_time_rate);
    else
        jw_knull(w, "on_time_rate");
    if (s->closed) {
        jw_kdouble(w, "mean_days", s->mean_days);
        jw_kdouble(w, "mean_working_days", s->mean_working_days);
    } else {
        jw_knull(w, "mean_days");
        jw_knull(w, "mean_working_days");
    }
}

void case_stats_json(struct jw *w, const struct case_ctx *x, unsigned kinds, int32_t from,
                     int32_t to, int64_t as_of, enum case_group by,
                     const struct case_stats_result *res)
{
    static const char *const by_key[] = { "", "unit", "site", "kind" };
    jw_obj(w);
    jw_key(w, "kinds");
    jw_arr(w);
    for (int k = 0; k < CASE_NKINDS; k++)
        if (kinds & CASE_KIND_BIT(k))
            jw_str(w, case_kinds[k].key);
    jw_end(w);
    jw_kdate(w, "from", from);
    jw_kdate(w, "to", to);
    jw_ktime(w, "as_of", as_of, x->tz);
    stats_fields(w, &res->total);
    if (by) {
        jw_kstr(w, "by", by_key[by]);
        jw_key(w, "groups");
        jw_arr(w);
        for (size_t i = 0; i < res->groups.n; i++) {
            jw_obj(w);
            jw_kstr(w, by_key[by], res->groups.v[i].label);
            stats_fields(w, &res->groups.v[i].s);
            jw_end(w);
        }
        jw_end(w);
    }
    jw_end(w);
}
