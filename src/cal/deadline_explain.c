/* deadline_explain.c - how a deadline was reached, in Chinese lines and structured steps,
 * and the JSON form of a result (cal.h, part 2; the writer API is in cal_int.h). */
#include <stdio.h>
#include <string.h>

#include "cal/cal.h"
#include "cal/cal_int.h"
#include "core/date.h"

static const char *const weekday_cn[] = { "",       "星期一", "星期二", "星期三",
                                          "星期四", "星期五", "星期六", "星期日" };

static const char *const step_keys[] = {
    [DLS_RULE] = "rule",       [DLS_RECEIVED] = "received", [DLS_COUNT] = "count",
    [DLS_SKIP] = "skip",       [DLS_PAUSE] = "pause",       [DLS_RESUME] = "resume",
    [DLS_RESTART] = "restart", [DLS_EXTEND] = "extend",     [DLS_DUE] = "due",
    [DLS_PAUSED] = "paused",   [DLS_NOTE] = "note",
};

void deadline_explain_init(struct deadline_explain *ex)
{
    memset(ex, 0, sizeof(*ex));
}

void deadline_explain_reset(struct deadline_explain *ex)
{
    vec_clear(&ex->steps);
    arena_reset(&ex->arena);
}

void deadline_explain_release(struct deadline_explain *ex)
{
    vec_release(&ex->steps);
    arena_release(&ex->arena);
}

void deadline_explain_text(const struct deadline_explain *ex, struct buf *out)
{
    for (size_t i = 0; i < ex->steps.n; i++) {
        buf_adds(out, ex->steps.v[i].text);
        buf_addc(out, '\n');
    }
}

/* --- Chinese formatting ------------------------------------------------------------------- */

static void day_cn(struct buf *b, int32_t day)
{
    date_fmt_cn(day, b);
    buf_addf(b, "（%s）", weekday_cn[date_weekday(day)]);
}

static void secs_cn(struct buf *b, int secs)
{
    if (secs % 60)
        buf_addf(b, "%02d:%02d:%02d", secs / 3600, secs / 60 % 60, secs % 60);
    else
        buf_addf(b, "%02d:%02d", secs / 3600, secs / 60 % 60);
}

static void at_cn(struct buf *b, int64_t t, int tz)
{
    day_cn(b, time_to_date(t, tz));
    buf_addc(b, ' ');
    secs_cn(b, time_secs_of_day(t, tz));
}

static void range_cn(struct buf *b, int32_t a, int32_t z)
{
    if (a == z) {
        day_cn(b, a);
        return;
    }
    int ya, ma, da, yz, mz, dz;
    date_to_ymd(a, &ya, &ma, &da);
    date_to_ymd(z, &yz, &mz, &dz);
    date_fmt_cn(a, b);
    if (ya != yz)
        buf_addf(b, "至%d年%d月%d日", yz, mz, dz);
    else if (ma != mz)
        buf_addf(b, "至%d月%d日", mz, dz);
    else
        buf_addf(b, "至%d日", dz);
    buf_addf(b, "（%d天）", z - a + 1);
}

/* --- The writer ---------------------------------------------------------------------------- */

static struct deadline_step *step(struct dlx *x, enum deadline_step_kind kind, struct buf *text)
{
    struct deadline_step s = { .kind = kind, .day = DATE_NONE, .last = DATE_NONE };
    s.text = arena_strndup(&x->ex->arena, buf_cstr(text), text->n);
    vec_push(&x->ex->steps, s);
    buf_release(text);
    return &vec_last(&x->ex->steps);
}

void dlx_init(struct dlx *x, struct deadline_explain *ex, const struct cal *cal,
              const struct deadline_rule *rule, int tz)
{
    memset(x, 0, sizeof(*x));
    x->ex = ex;
    x->cal = cal;
    x->rule = rule;
    x->tz = tz;
    if (ex)
        deadline_explain_reset(ex);
}

void dlx_rule(struct dlx *x)
{
    if (!x->ex)
        return;
    const struct deadline_rule *r = x->rule;
    struct buf b = BUF_INIT;
    buf_addf(&b, "规则 %s：%s，%d个工作日；", r->name, r->title, r->days);
    if (r->start == DEADLINE_SAME_DAY)
        buf_adds(&b, "收到之日是工作日的计为第1个工作日，否则自下一个工作日起计算；");
    else
        buf_adds(&b, "收到之日不计入，自次日起计算；");
    if (r->opens_secs >= 0) {
        buf_addf(&b, "时限为第%d个工作日", r->days);
        secs_cn(&b, r->opens_secs);
        buf_adds(&b, "至");
        secs_cn(&b, r->due_secs);
    } else {
        buf_adds(&b, "期限最后一日");
        secs_cn(&b, r->due_secs);
        buf_adds(&b, "届满");
    }
    if (r->extension_max && r->extend_to)
        buf_addf(&b, "；可延长至%d个工作日", r->extend_to);
    else if (r->extension_max)
        buf_addf(&b, "；可延长%s，至多%d个工作日", r->extensions == 1 ? "一次" : "",
                 r->extension_max);
    if (r->pause)
        buf_adds(&b, "；征求第三方意见等暂停期间不计入");
    if (r->restart)
        buf_adds(&b, "；补正的，自收到补正申请之日起重新计算");
    step(x, DLS_RULE, &b);
}

static bool day_info(struct dlx *x, int32_t day, struct cal_day *d)
{
    return cal_day(x->cal, day, d, NULL, NULL) == RC_OK;
}

void dlx_received(struct dlx *x, int64_t at, int32_t day)
{
    if (!x->ex)
        return;
    struct cal_day d;
    if (!day_info(x, day, &d))
        return;
    struct buf b = BUF_INIT;
    at_cn(&b, at, x->tz);
    buf_adds(&b, " 收到；");
    if (x->rule->start == DEADLINE_NEXT_DAY)
        buf_adds(&b, "当日不计入，自次日起计算");
    else if (d.work)
        buf_adds(&b, "当日是工作日，计入期限");
    else
        buf_addf(&b, "当日是休息日（%s%s%s），自下一个工作日起计算",
                 d.name ? d.name : cal_reason_cn(d.reason),
                 d.name && d.reason != CAL_HOLIDAY ? "，" : "",
                 d.name && d.reason != CAL_HOLIDAY ? cal_reason_cn(d.reason) : "");
    struct deadline_step *s = step(x, DLS_RECEIVED, &b);
    s->day = s->last = day;
    s->at = at;
}

void dlx_start(struct dlx *x, int32_t anchor, int ordinal)
{
    x->cursor = anchor;
    x->ordinal = ordinal;
}

static void flush_run(struct dlx *x)
{
    if (!x->run)
        return;
    x->run = false;
    struct buf b = BUF_INIT;
    range_cn(&b, x->run_first, x->run_last);
    buf_addc(&b, ' ');
    switch (x->run_reason) {
    case CAL_HOLIDAY:
        buf_addf(&b, "%s放假", x->run_name ? x->run_name : "节假日");
        break;
    case CAL_LOCAL_OFF:
        buf_addf(&b, "本地放假（%s）", x->run_name ? x->run_name : "");
        break;
    default:
        buf_adds(&b, "周末");
        break;
    }
    buf_adds(&b, "，不计入");
    if (x->run_est)
        buf_adds(&b, "（无节假日数据，按周末推算）");
    struct deadline_step *s = step(x, DLS_SKIP, &b);
    s->day = x->run_first;
    s->last = x->run_last;
    s->n = x->run_last - x->run_first + 1;
    s->reason = x->run_reason;
    s->name = x->run_name;
}

void dlx_days(struct dlx *x, int32_t to)
{
    if (!x->ex)
        return;
    for (int32_t day = x->cursor + 1; day <= to; day++) {
        struct cal_day d;
        if (!day_info(x, day, &d))
            break;
        if (!d.work) {
            bool same =
                x->run && x->run_last == day - 1 && x->run_reason == d.reason &&
                x->run_est == d.estimated &&
                (x->run_name == d.name || (x->run_name && d.name && !strcmp(x->run_name, d.name)));
            if (!same) {
                flush_run(x);
                x->run = true;
                x->run_first = day;
                x->run_reason = d.reason;
                x->run_name = d.name;
                x->run_est = d.estimated;
            }
            x->run_last = day;
            continue;
        }
        flush_run(x);
        x->ordinal++;
        struct buf b = BUF_INIT;
        day_cn(&b, day);
        buf_addc(&b, ' ');
        if (d.reason == CAL_ADJUSTED)
            buf_addf(&b, "调休上班（%s），", d.name ? d.name : "");
        else if (d.reason == CAL_LOCAL_WORK)
            buf_addf(&b, "本地调整上班（%s），", d.name ? d.name : "");
        buf_addf(&b, "计第%d个工作日", x->ordinal);
        if (d.estimated)
            buf_adds(&b, "（无节假日数据，估算）");
        struct deadline_step *s = step(x, DLS_COUNT, &b);
        s->day = s->last = day;
        s->n = x->ordinal;
        s->reason = d.reason;
        s->name = d.name;
    }
    flush_run(x);
    if (to > x->cursor)
        x->cursor = to;
}

void dlx_event(struct dlx *x, enum deadline_step_kind kind, int64_t at, int n, int m)
{
    if (!x->ex)
        return;
    struct buf b = BUF_INIT;
    at_cn(&b, at, x->tz);
    buf_addc(&b, ' ');
    switch (kind) {
    case DLS_PAUSE:
        buf_addf(&b, "暂停计时（征求第三方意见等），已计%d个工作日，尚余%d个", n, m);
        break;
    case DLS_RESUME:
        buf_addf(&b, "恢复计时（暂停%d天）；当日不计入，自次日起续计，尚余%d个工作日", n, m);
        break;
    case DLS_RESTART:
        buf_addf(&b, "收到补正后的申请，期限重新起算（%d个工作日）；%s", n,
                 x->rule->start == DEADLINE_SAME_DAY ? "当日是工作日的计入"
                                                     : "当日不计入，自次日起计算");
        break;
    case DLS_EXTEND:
        buf_addf(&b, "延长期限%d个工作日，期限共%d个工作日", n, m);
        break;
    default:
        BUG("event step %d", (int)kind);
    }
    struct deadline_step *s = step(x, kind, &b);
    s->day = s->last = time_to_date(at, x->tz);
    s->at = at;
    s->n = n;
}

void dlx_due(struct dlx *x, const struct deadline_result *res)
{
    if (!x->ex)
        return;
    struct buf b = BUF_INIT;
    if (x->rule->opens_secs >= 0) {
        buf_adds(&b, "办理时限：");
        day_cn(&b, res->due_day);
        buf_addc(&b, ' ');
        secs_cn(&b, x->rule->opens_secs);
        buf_adds(&b, "至");
        secs_cn(&b, x->rule->due_secs);
    } else {
        buf_adds(&b, "期限届满：");
        day_cn(&b, res->due_day);
        buf_addc(&b, ' ');
        secs_cn(&b, x->rule->due_secs);
    }
    if (res->est.estimated)
        buf_adds(&b, "（估算）");
    struct deadline_step *s = step(x, DLS_DUE, &b);
    s->day = s->last = res->due_day;
    s->at = res->due;
    s->n = res->working_days ? res->working_days : x->ordinal;
}

void dlx_paused(struct dlx *x, const struct deadline_result *res)
{
    if (!x->ex)
        return;
    struct buf b = BUF_INIT;
    buf_addf(&b, "计时暂停中：已计%d个工作日，尚余%d个工作日；恢复计时后才能确定期满日", res->used,
             res->remaining);
    struct deadline_step *s = step(x, DLS_PAUSED, &b);
    s->n = res->remaining;
}

void dlx_notes(struct dlx *x, const struct deadline_result *res)
{
    if (!x->ex)
        return;
    if (res->est.estimated) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "注意：");
        if (res->est.year_lo == res->est.year_hi)
            buf_addf(&b, "%d年", res->est.year_lo);
        else
            buf_addf(&b, "%d—%d年", res->est.year_lo, res->est.year_hi);
        buf_adds(&b, "的节假日安排尚未收录");
        if (x->cal->year_first)
            buf_addf(&b, "（节假日表覆盖%d—%d年）", x->cal->year_first, x->cal->year_last);
        buf_adds(&b, "，这些日子只按周末推算，结果为估算");
        step(x, DLS_NOTE, &b);
    }
    if (res->out_of_validity) {
        struct buf b = BUF_INIT;
        buf_adds(&b, "注意：本规则适用于");
        if (x->rule->valid_from != DATE_NONE)
            date_fmt_cn(x->rule->valid_from, &b);
        buf_adds(&b,
                 x->rule->valid_from != DATE_NONE && x->rule->valid_to != DATE_NONE ? "至" : "");
        if (x->rule->valid_to != DATE_NONE)
            date_fmt_cn(x->rule->valid_to, &b);
        buf_adds(&b, x->rule->valid_to == DATE_NONE     ? "起"
                     : x->rule->valid_from == DATE_NONE ? "前"
                                                        : "");
        buf_adds(&b, "收到的事项，本事项的收到日期不在此范围内");
        step(x, DLS_NOTE, &b);
    }
}

/* --- Warnings and JSON -------------------------------------------------------------------- */

void deadline_warnings(const struct cal *cal, const struct deadline_rule *rule,
                       const struct deadline_result *res, struct buf *out)
{
    if (res->est.estimated) {
        cal_est_warning(cal, &res->est, out);
        buf_addc(out, '\n');
    }
    if (res->out_of_validity) {
        char a[11] = "", z[11] = "", d[11];
        if (rule->valid_from != DATE_NONE)
            date_fmt(rule->valid_from, a);
        if (rule->valid_to != DATE_NONE)
            date_fmt(rule->valid_to, z);
        date_fmt(time_to_date(res->start, cal->tzoff), d);
        buf_addf(out,
                 "rule %s is meant for items received %s%s%s%s; this one was received on %s%s\n",
                 rule->name, *a ? "from " : "", a,
                 *a && *z ? " to "
                 : *z     ? "up to "
                          : "",
                 z, d,
                 !strcmp(rule->name, "disclosure-2008")   ? " (use disclosure-2019)"
                 : !strcmp(rule->name, "disclosure-2019") ? " (use disclosure-2008)"
                                                          : "");
    }
}

static void step_json(struct jw *w, const struct deadline_step *s, int tz)
{
    jw_obj(w);
    jw_kstr(w, "kind", step_keys[s->kind]);
    if (s->day != DATE_NONE)
        jw_kdate(w, "date", s->day);
    if (s->kind == DLS_SKIP)
        jw_kdate(w, "to", s->last);
    if (s->at)
        jw_ktime(w, "at", s->at, tz);
    if (s->kind == DLS_COUNT || s->kind == DLS_SKIP) {
        jw_kint(w, s->kind == DLS_COUNT ? "n" : "days", s->n);
        jw_kstr(w, "reason", cal_reason_key(s->reason));
        if (s->name)
            jw_kstr(w, "name", s->name);
    } else if (s->kind == DLS_PAUSE) {
        jw_kint(w, "counted", s->n);
    } else if (s->kind == DLS_EXTEND) {
        jw_kint(w, "days", s->n);
    } else if (s->kind == DLS_PAUSED) {
        jw_kint(w, "remaining", s->n);
    }
    jw_kstr(w, "text", s->text);
    jw_end(w);
}

void deadline_json(struct jw *w, const struct cal *cal, const struct deadline_rule *rule,
                   int64_t received, const struct deadline_result *res,
                   const struct deadline_explain *explain)
{
    int tz = cal->tzoff;
    jw_obj(w);
    jw_kstr(w, "rule", rule->name);
    jw_ktime(w, "received", received, tz);
    if (res->paused)
        jw_knull(w, "due");
    else
        jw_ktime(w, "due", res->due, tz);
    jw_kdate(w, "due_date", res->paused ? DATE_NONE : res->due_day);
    if (res->opens)
        jw_ktime(w, "window_opens", res->opens, tz);
    jw_kbool(w, "estimated", res->est.estimated);
    jw_kint(w, "working_days", res->working_days);
    jw_kint(w, "extension", res->extension);
    jw_kdate(w, "first_day", res->first_day);
    if (res->start != received)
        jw_ktime(w, "restarted", res->start, tz);
    jw_kbool(w, "paused", res->paused);
    if (res->paused) {
        jw_kint(w, "counted", res->used);
        jw_kint(w, "remaining", res->remaining);
    }
    if (res->paused_days)
        jw_kint(w, "paused_days", res->paused_days);
    struct buf warn = BUF_INIT;
    deadline_warnings(cal, rule, res, &warn);
    if (warn.n) {
        buf_rtrim(&warn);
        jw_kstr(w, "warning", buf_cstr(&warn));
    }
    buf_release(&warn);
    if (explain) {
        jw_key(w, "explanation");
        jw_arr(w);
        for (size_t i = 0; i < explain->steps.n; i++)
            jw_str(w, explain->steps.v[i].text);
        jw_end(w);
        jw_key(w, "steps");
        jw_arr(w);
        for (size_t i = 0; i < explain->steps.n; i++)
            step_json(w, &explain->steps.v[i], tz);
        jw_end(w);
    }
    jw_end(w);
}
