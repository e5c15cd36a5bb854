/* deadline.c - deadline rules (built-in and configured), event parsing and the deadline
 * engine (cal.h, part 2).  The explanation text and JSON are in deadline_explain.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cal/cal.h"
#include "cal/cal_int.h"
#include "core/date.h"
#include "core/str.h"
#include "core/xalloc.h"

/* The built-in rules.  Each is documented with the text it comes from in
 * docs/deadlines.md; keep the two in step. */
/* clang-format off */
const struct deadline_rule deadline_builtin[] = {
    { .name = "disclosure-2008",
      .title = "依申请公开（2008年《政府信息公开条例》）",
      .source = "《中华人民共和国政府信息公开条例》（国务院令第492号，2008年5月1日起施行）第二十四条："
                "不能当场答复的，应当自收到申请之日起15个工作日内予以答复；延长答复的期限最长不得超过"
                "15个工作日；征求第三方意见所需时间不计算在期限内",
      .days = 15, .start = DEADLINE_NEXT_DAY, .due_secs = 86399, .opens_secs = -1,
      .extension_max = 15, .extensions = 1, .pause = true, .restart = false,
      .valid_from = 14000 /* 2008-05-01 */, .valid_to = 18030 /* 2019-05-14 */, .builtin = true },
    { .name = "disclosure-2019",
      .title = "依申请公开（2019年修订《政府信息公开条例》）",
      .source = "《中华人民共和国政府信息公开条例》（国务院令第711号，2019年5月15日起施行）第三十三条："
                "不能当场答复的，应当自收到申请之日起20个工作日内予以答复；延长的期限最长不得超过20个"
                "工作日；征求第三方和其他机关意见所需时间不计算在期限内。第三十条：答复期限自行政机关"
                "收到补正的申请之日起计算",
      .days = 20, .start = DEADLINE_NEXT_DAY, .due_secs = 86399, .opens_secs = -1,
      .extension_max = 20, .extensions = 1, .pause = true, .restart = true,
      .valid_from = 18031 /* 2019-05-15 */, .valid_to = DATE_NONE, .builtin = true },
    { .name = "error-report-gd",
      .title = "“我为政府网站找错”网民留言（广东省办理规范，半个工作日）",
      .source = "《“我为政府网站找错”网民留言办理规范》（广东省人民政府办公厅转发，办文编号SJ20180982，"
                "据珠府办函〔2018〕295号引述；原文未见）：在半个工作日内（起始时间为收到留言的第2个工作日"
                "0时，截止时间为收到留言的第2个工作日12时）处理完成",
      .days = 2, .start = DEADLINE_SAME_DAY, .due_secs = 43200, .opens_secs = 0,
      .extension_max = 0, .extensions = 0, .pause = false, .restart = false,
      .valid_from = DATE_NONE, .valid_to = DATE_NONE, .builtin = true },
    { .name = "consultation",
      .title = "咨询投诉（国办发〔2014〕57号）",
      .source = "《国务院办公厅关于加强政府网站信息内容建设的意见》（国办发〔2014〕57号）：网民意见建议"
                "一般在7个工作日内反馈处理意见，复杂的可延长至15个工作日（据 domain.md §4 转述，原文措辞待核）",
      .days = 7, .start = DEADLINE_NEXT_DAY, .due_secs = 86399, .opens_secs = -1,
      .extension_max = 8, .extend_to = 15, .extensions = 1, .pause = false, .restart = false,
      .valid_from = DATE_NONE, .valid_to = DATE_NONE, .builtin = true },
};
/* clang-format on */
const size_t deadline_nbuiltin = sizeof(deadline_builtin) / sizeof(deadline_builtin[0]);

/* --- Rules from configuration ------------------------------------------------------------ */

static const char *const rule_keys[] = { "title",      "source", "days",      "start",
                                         "due",        "opens",  "extension", "extend_to",
                                         "extensions", "pause",  "restart",   "valid_from",
                                         "valid_to",   NULL };

static bool rule_name_ok(const char *s, size_t n)
{
    if (!n || n >= DEADLINE_NAME_MAX)
        return false;
    for (size_t i = 0; i < n; i++) {
        char ch = s[i];
        if (!(ascii_isdigit((unsigned char)ch) || (ch >= 'a' && ch <= 'z') || ch == '-' ||
              ch == '_'))
            return false;
    }
    return true;
}

/* "HH:MM[:SS]" → seconds of the day; "24:00" → 86399 when allowed. */
static bool parse_hms(const char *s, bool allow_24, int *out)
{
    int h, m, sec = 0;
    char tail;
    int k = sscanf(s, "%2d:%2d:%2d%c", &h, &m, &sec, &tail);
    if (k < 2 || k > 3 || strlen(s) < 4)
        return false;
    for (const char *p = s; *p; p++)
        if (!ascii_isdigit((unsigned char)*p) && *p != ':')
            return false;
    if (allow_24 && h == 24 && m == 0 && sec == 0) {
        *out = 86399;
        return true;
    }
    if (h < 0 || h > 23 || m < 0 || m > 59 || sec < 0 || sec > 59)
        return false;
    *out = h * 3600 + m * 60 + sec;
    return true;
}

static int key_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum rc rule_set(struct deadline_rule *r, const struct conf *conf, const char *section,
                        const char *key, bool *ext_set, bool *exts_set, struct err *err)
{
    const char *v = conf_get(conf, section, key, "");
    const char *where = conf_where(conf, section, key);
    int64_t i;
    bool b;
    int secs;
    int32_t day;
    snprintf(r->where, sizeof(r->where), "%s", where ? where : "");
    if (!strcmp(key, "title") || !strcmp(key, "source")) {
        char *dst = key[0] == 't' ? r->title : r->source;
        size_t cap = key[0] == 't' ? sizeof(r->title) : sizeof(r->source);
        if (strlen(v) >= cap)
            return err_set(err, RC_INVALID, "%s: [%s] %s is longer than %zu bytes; shorten it",
                           where, section, key, cap - 1);
        memcpy(dst, v, strlen(v) + 1);
    } else if (!strcmp(key, "days")) {
        if (conf_int(conf, section, key, 0, 1, DEADLINE_MAX_DAYS, &i, err))
            return RC_INVALID;
        r->days = (int)i;
    } else if (!strcmp(key, "extension")) {
        if (conf_int(conf, section, key, 0, 0, DEADLINE_MAX_DAYS, &i, err))
            return RC_INVALID;
        r->extension_max = (int)i;
        r->extend_to = 0;
        *ext_set = true;
    } else if (!strcmp(key, "extend_to")) {
        if (conf_int(conf, section, key, 0, 1, 2 * DEADLINE_MAX_DAYS, &i, err))
            return RC_INVALID;
        r->extend_to = (int)i;
        *ext_set = true;
    } else if (!strcmp(key, "extensions")) {
        if (conf_int(conf, section, key, 0, 0, 100, &i, err))
            return RC_INVALID;
        r->extensions = (int)i;
        *exts_set = true;
    } else if (!strcmp(key, "pause") || !strcmp(key, "restart")) {
        if (conf_bool(conf, section, key, false, &b, err))
            return RC_INVALID;
        if (key[0] == 'p')
            r->pause = b;
        else
            r->restart = b;
    } else if (!strcmp(key, "start")) {
        if (!strcmp(v, "next-day"))
            r->start = DEADLINE_NEXT_DAY;
        else if (!strcmp(v, "same-day"))
            r->start = DEADLINE_SAME_DAY;
        else
            return err_set(
                err, RC_INVALID,
                "%s: [%s] start = '%s': use next-day (the receipt day is not counted) or "
                "same-day (it is working day 1 when it is a working day)",
                where, section, v);
    } else if (!strcmp(key, "due") || !strcmp(key, "opens")) {
        bool due = key[0] == 'd';
        if (!due && (!strcmp(v, "none") || !*v)) {
            r->opens_secs = -1;
            return RC_OK;
        }
        if (!parse_hms(v, due, &secs))
            return err_set(err, RC_INVALID,
                           "%s: [%s] %s = '%s' is not a time of day; use HH:MM such as %s", where,
                           section, key, v, due ? "23:59:59 or 12:00" : "00:00");
        if (due)
            r->due_secs = secs;
        else
            r->opens_secs = secs;
    } else if (!strcmp(key, "valid_from") || !strcmp(key, "valid_to")) {
        bool from = !strcmp(key, "valid_from");
        if (!*v || !strcmp(v, "none"))
            day = DATE_NONE;
        else if (!date_parse(v, &day))
            return err_set(err, RC_INVALID, "%s: [%s] %s = '%s' is not a date; use YYYY-MM-DD",
                           where, section, key, v);
        if (from)
            r->valid_from = day;
        else
            r->valid_to = day;
    } else {
        struct buf k = BUF_INIT;
        for (size_t j = 0; rule_keys[j]; j++)
            buf_addf(&k, "%s%s", j ? ", " : "", rule_keys[j]);
        err_set(err, RC_INVALID, "%s: unknown key '%s' in [%s]; the keys are %s", where, key,
                section, buf_cstr(&k));
        buf_release(&k);
        return RC_INVALID;
    }
    return RC_OK;
}

static struct deadline_rule *rules_find(struct deadline_rules *rules, const char *name)
{
    for (size_t i = 0; i < rules->n; i++)
        if (!strcmp(rules->v[i].name, name))
            return &rules->v[i];
    return NULL;
}

/* Apply the keys of one [deadline.NAME] section. keys[0..n) are "deadline.NAME.key". */
static enum rc rule_configure(struct deadline_rules *rules, const struct conf *conf,
                              const char *name, char **keys, size_t n, struct err *err)
{
    char section[DEADLINE_NAME_MAX + 16];
    snprintf(section, sizeof(section), "deadline.%s", name);
    struct deadline_rule *r = rules_find(rules, name);
    bool is_new = !r;
    if (is_new) {
        rules->v = xrealloc(rules->v, (rules->n + 1) * sizeof(*rules->v));
        r = &rules->v[rules->n++];
        memset(r, 0, sizeof(*r));
        snprintf(r->name, sizeof(r->name), "%s", name);
        r->start = DEADLINE_NEXT_DAY;
        r->due_secs = 86399;
        r->opens_secs = -1;
        r->valid_from = r->valid_to = DATE_NONE;
    }
    bool ext_set = false, exts_set = false, days_set = false;
    for (size_t i = 0; i < n; i++) {
        const char *key = keys[i] + strlen(section) + 1;
        if (!strcmp(key, "days"))
            days_set = true;
        if (rule_set(r, conf, section, key, &ext_set, &exts_set, err))
            return RC_INVALID;
    }
    const char *where = r->where;
    if (is_new && !days_set)
        return err_set(err, RC_INVALID,
                       "%s: the new rule [%s] has no 'days'; add days = N (working days)", where,
                       section);
    if (is_new && !r->title[0])
        snprintf(r->title, sizeof(r->title), "%s", name);
    if (r->extend_to) {
        if (r->extend_to < r->days)
            return err_set(
                err, RC_INVALID,
                "%s: [%s] extend_to = %d is less than days = %d; the total must be at least the "
                "period",
                where, section, r->extend_to, r->days);
        r->extension_max = r->extend_to - r->days;
    }
    if (!r->extension_max)
        r->extensions = 0;
    else if (!r->extensions && !exts_set)
        r->extensions = 1;
    else if (!r->extensions && ext_set)
        return err_set(err, RC_INVALID,
                       "%s: [%s] allows an extension but extensions = 0; set extensions = 1", where,
                       section);
    if (r->opens_secs > r->due_secs)
        return err_set(err, RC_INVALID, "%s: [%s] the window opens after it closes (opens > due)",
                       where, section);
    if (r->valid_from != DATE_NONE && r->valid_to != DATE_NONE && r->valid_to < r->valid_from)
        return err_set(err, RC_INVALID, "%s: [%s] valid_to is before valid_from", where, section);
    return RC_OK;
}

enum rc deadline_rules_load(struct deadline_rules *rules, const struct conf *conf, struct err *err)
{
    rules->n = deadline_nbuiltin;
    rules->v = xmalloc(deadline_nbuiltin * sizeof(*rules->v));
    memcpy(rules->v, deadline_builtin, deadline_nbuiltin * sizeof(*rules->v));
    if (!conf)
        return RC_OK;
    /* Keys "deadline.NAME.key", sorted so rules and errors come out in a stable order. */
    VEC(char *) keys = VEC_INIT;
    map_foreach(&conf->kv, e) {
        if (!strncmp(e->key, "deadline.", 9))
            vec_push(&keys, e->key);
    }
    if (keys.n > 1)
        qsort(keys.v, keys.n, sizeof(*keys.v), key_cmp);
    enum rc rc = RC_OK;
    for (size_t i = 0; i < keys.n && !rc;) {
        const char *name = keys.v[i] + 9;
        const char *dot = strrchr(name, '.');
        size_t nlen = dot ? (size_t)(dot - name) : 0;
        if (!dot || !rule_name_ok(name, nlen)) {
            const char *where = map_gets(&conf->line, keys.v[i]);
            rc = err_set(
                err, RC_INVALID,
                "%s: [deadline.%.*s] is not a rule name; use lowercase letters, digits, '-' and "
                "'_' (at most %d), e.g. [deadline.petition-local]",
                where ? where : "configuration", (int)(dot ? nlen : strlen(name)), name,
                DEADLINE_NAME_MAX - 1);
            break;
        }
        size_t j = i;
        while (j < keys.n && !strncmp(keys.v[j] + 9, name, nlen) && keys.v[j][9 + nlen] == '.' &&
               !strchr(keys.v[j] + 9 + nlen + 1, '.'))
            j++;
        if (j == i) { /* "deadline.a.b.c": a dot inside the name */
            const char *where = map_gets(&conf->line, keys.v[i]);
            rc = err_set(err, RC_INVALID,
                         "%s: '%s' is not a rule key; use [deadline.NAME] then key = value",
                         where ? where : "configuration", keys.v[i]);
            break;
        }
        char nm[DEADLINE_NAME_MAX];
        snprintf(nm, sizeof(nm), "%.*s", (int)nlen, name);
        rc = rule_configure(rules, conf, nm, &keys.v[i], j - i, err);
        i = j;
    }
    vec_release(&keys);
    if (rc)
        deadline_rules_release(rules);
    return rc;
}

void deadline_rules_release(struct deadline_rules *rules)
{
    free(rules->v);
    rules->v = NULL;
    rules->n = 0;
}

const struct deadline_rule *deadline_rule_find(const struct deadline_rules *rules, const char *name)
{
    return name ? rules_find((struct deadline_rules *)rules, name) : NULL;
}

void deadline_rules_names(const struct deadline_rules *rules, struct buf *out)
{
    for (size_t i = 0; i < rules->n; i++)
        buf_addf(out, "%s%s", i ? ", " : "", rules->v[i].name);
}

/* --- Parsing times and events -------------------------------------------------------------- */

static const struct {
    const char *key, *cn;
} event_names[] = {
    [DEADLINE_PAUSE] = { "pause", "暂停" },
    [DEADLINE_RESUME] = { "resume", "恢复" },
    [DEADLINE_RESTART] = { "restart", "补正" },
    [DEADLINE_EXTEND] = { "extend", "延期" },
};

const char *deadline_event_key(enum deadline_event_type t)
{
    return event_names[t].key;
}

#define TIME_FORMS \
    "use 'YYYY-MM-DD HH:MM' (China time) or ISO 8601 such as 2018-12-01T09:30:00+08:00"

enum rc deadline_parse_time(const char *s, int tzoff, int64_t *out, struct err *err)
{
    if (!s || !time_parse(s, tzoff, out, NULL))
        return err_set(err, RC_PARSE, "cannot parse the time '%.80s'; " TIME_FORMS, s ? s : "");
    return RC_OK;
}

enum rc deadline_event_parse(const char *s, int tzoff, struct deadline_event *ev, struct err *err)
{
    memset(ev, 0, sizeof(*ev));
    const char *at = s ? strchr(s, '@') : NULL;
    if (!at)
        return err_set(err, RC_PARSE,
                       "event '%.80s' has no '@'; write TYPE@TIME, e.g. pause@2018-10-09 10:00 or "
                       "extend@2018-10-20:15",
                       s ? s : "");
    struct str type = str_trim((struct str){ s, (size_t)(at - s) });
    struct str days = { NULL, 0 };
    const char *colon = memchr(type.p, ':', type.n);
    if (colon) {
        days = str_trim((struct str){ colon + 1, (size_t)(type.p + type.n - colon - 1) });
        type = str_trim((struct str){ type.p, (size_t)(colon - type.p) });
    }
    int t = -1;
    for (int i = 0; i < 4; i++)
        if (str_ieq_ascii(type, event_names[i].key) || str_eqs(type, event_names[i].cn))
            t = i;
    if (t < 0)
        return err_set(err, RC_PARSE,
                       "event '%.80s': unknown type '%.*s'; use pause, resume, restart or extend "
                       "(暂停, 恢复, 补正, 延期)",
                       s, (int)(type.n > 40 ? 40 : type.n), type.p);
    ev->type = (enum deadline_event_type)t;
    const char *when = at + 1;
    char tbuf[96];
    if (strlen(when) >= sizeof(tbuf))
        return err_set(err, RC_PARSE, "event '%.80s...' is too long", s);
    snprintf(tbuf, sizeof(tbuf), "%s", when);
    if (ev->type == DEADLINE_EXTEND && !colon) {
        /* extend@TIME:N - the days follow the last ':'. */
        char *last = strrchr(tbuf, ':');
        if (last) {
            days = str_trim(str_of(last + 1));
            *last = 0;
        }
        int64_t whole, part;
        if (last && !time_parse(tbuf, tzoff, &part, NULL) && time_parse(when, tzoff, &whole, NULL))
            last = NULL; /* "extend@2018-10-20 10:00": a time and no days */
        if (!last || !days.n)
            return err_set(err, RC_PARSE,
                           "event '%.80s' needs the number of working days to add: write "
                           "extend@2018-10-20 10:00:15 or extend:15@2018-10-20 10:00",
                           s);
    } else if (colon && ev->type != DEADLINE_EXTEND) {
        return err_set(err, RC_PARSE,
                       "event '%.80s': only extend takes a number of days; write %s@TIME", s,
                       event_names[t].key);
    }
    if (ev->type == DEADLINE_EXTEND) {
        int n;
        if (!str_to_int(days, 1, DEADLINE_MAX_DAYS, &n))
            return err_set(
                err, RC_PARSE,
                "event '%.80s': '%.*s' is not a number of working days 1..%d; write e.g. "
                "extend@2018-10-20:15",
                s, (int)(days.n > 20 ? 20 : days.n), days.p ? days.p : "", DEADLINE_MAX_DAYS);
        ev->days = n;
    }
    if (!time_parse(tbuf, tzoff, &ev->at, NULL))
        return err_set(err, RC_PARSE, "event '%.80s': cannot parse the time '%s'; " TIME_FORMS, s,
                       tbuf);
    return RC_OK;
}

/* The event as the parser spells it, for messages: "extend@2018-10-20 10:00:15". */
static void event_str(const struct deadline_event *e, int tz, char out[64])
{
    char t[20];
    time_fmt_local(e->at, tz, t);
    if (!strcmp(t + 10, " 00:00:00"))
        t[10] = 0; /* a bare date, as it was most likely written */
    else if (!strcmp(t + 16, ":00"))
        t[16] = 0;
    if (e->type == DEADLINE_EXTEND)
        snprintf(out, 64, "extend@%s:%d", t, e->days);
    else
        snprintf(out, 64, "%s@%s", event_names[e->type].key, t);
}

static void instant_str(int64_t t, int tz, char out[20])
{
    time_fmt_local(t, tz, out);
}

/* --- The engine ----------------------------------------------------------------------------- */

struct run {
    const struct cal *cal;
    const struct deadline_rule *rule;
    struct deadline_result *res;
    struct dlx x; /* explanation writer (cal_int.h) */
    int tz;
    int32_t anchor;        /* counting counts the working days after this day */
    int32_t period_anchor; /* the anchor when the period in force began */
    int used;              /* working days spent before the current running segment */
    int need;              /* working days of the period: days + extension */
    int nexts;             /* extensions granted in this period */
    bool running;
    int64_t paused_at;
    int32_t paused_day;
};

static void period_start(struct run *r, int64_t t, int32_t day)
{
    r->anchor = r->period_anchor = r->rule->start == DEADLINE_SAME_DAY ? day - 1 : day;
    r->used = 0;
    r->need = r->rule->days;
    r->nexts = 0;
    r->running = true;
    r->res->start = t;
    r->res->extension = 0;
    r->res->paused_days = 0;
    dlx_start(&r->x, r->anchor, 0);
}

/* The due day of the running clock; `est` may be NULL. */
static enum rc due_day(struct run *r, int32_t *out, struct cal_est *est, struct err *err)
{
    return cal_add(r->cal, r->anchor, r->need - r->used, out, est, err);
}

static enum rc refuse(struct err *err, const struct deadline_event *e, int tz, const char *fmt, ...)
    FMT_PRINTF(4, 5);
static enum rc refuse(struct err *err, const struct deadline_event *e, int tz, const char *fmt, ...)
{
    char es[64], msg[700];
    event_str(e, tz, es);
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    return err_set(err, RC_INVALID, "event '%s': %s", es, msg);
}

/* The clock must still be running at e->at: RC_INVALID otherwise. */
static enum rc before_due(struct run *r, const struct deadline_event *e, const char *what,
                          struct err *err)
{
    int32_t d;
    if (due_day(r, &d, NULL, err))
        return RC_INVALID;
    int64_t due = time_from_date(d, r->rule->due_secs, r->tz);
    if (e->at <= due)
        return RC_OK;
    char ds[20];
    instant_str(due, r->tz, ds);
    return refuse(err, e, r->tz, "the period already ended at %s; %s must come before the due time",
                  ds, what);
}

static enum rc apply(struct run *r, const struct deadline_event *e, struct err *err)
{
    const struct deadline_rule *rule = r->rule;
    int32_t day = time_to_date(e->at, r->tz);
    char es[20];
    int n;
    if (!cal_in_range(r->cal, day)) {
        cal_check(r->cal, day, err);
        char ev[64];
        event_str(e, r->tz, ev);
        return err_prefix(err, "event '%s': ", ev);
    }
    switch (e->type) {
    case DEADLINE_PAUSE:
        if (!rule->pause)
            return refuse(err, e, r->tz,
                          "rule %s does not stop the clock; set pause = yes in [deadline.%s] "
                          "if it should",
                          rule->name, rule->name);
        if (!r->running) {
            instant_str(r->paused_at, r->tz, es);
            return refuse(err, e, r->tz,
                          "the clock is already paused since %s; add the resume@TIME that "
                          "ends that pause before this one",
                          es);
        }
        if (before_due(r, e, "a pause", err))
            return RC_INVALID;
        if (cal_count(r->cal, r->anchor + 1, day, &n, &r->res->est, err))
            return RC_INVALID;
        dlx_days(&r->x, day);
        r->used += n;
        r->running = false;
        r->paused_at = e->at;
        r->paused_day = day;
        dlx_event(&r->x, DLS_PAUSE, e->at, r->used, r->need - r->used);
        return RC_OK;
    case DEADLINE_RESUME:
        if (r->running)
            return refuse(err, e, r->tz,
                          "the clock is not paused; add the pause@TIME this resume ends, or "
                          "drop it");
        r->anchor = day;
        r->running = true;
        r->res->paused_days += day - r->paused_day;
        dlx_start(&r->x, day, r->used);
        dlx_event(&r->x, DLS_RESUME, e->at, day - r->paused_day, r->need - r->used);
        return RC_OK;
    case DEADLINE_RESTART:
        if (!rule->restart)
            return refuse(
                err, e, r->tz,
                "rule %s has no restart (补正); %sset restart = yes in [deadline.%s] if it should",
                rule->name,
                !strcmp(rule->name, "disclosure-2008")
                    ? "the 2008 条例 has no such rule (use disclosure-2019 for applications "
                      "received from 2019-05-15), or "
                    : "",
                rule->name);
        period_start(r, e->at, day);
        dlx_event(&r->x, DLS_RESTART, e->at, rule->days, 0);
        return RC_OK;
    case DEADLINE_EXTEND:
        if (!rule->extension_max)
            return refuse(err, e, r->tz,
                          "rule %s has no extension; set extension = N in [deadline.%s] if it "
                          "should",
                          rule->name, rule->name);
        if (r->nexts >= rule->extensions)
            return refuse(err, e, r->tz,
                          "rule %s allows %d extension%s per period and %s already granted; "
                          "make it one extension of at most %d working days",
                          rule->name, rule->extensions, rule->extensions == 1 ? "" : "s",
                          r->nexts == 1 ? "one was" : "they were", rule->extension_max);
        if (r->res->extension + e->days > rule->extension_max) {
            int left = rule->extension_max - r->res->extension;
            char fix[48] = "no extension is left";
            if (left > 0)
                snprintf(fix, sizeof(fix), "extend by at most %d", left);
            return refuse(err, e, r->tz,
                          "rule %s allows at most %d working days of extension%s; %s", rule->name,
                          rule->extension_max, r->res->extension ? " in total" : "", fix);
        }
        if (r->running && before_due(r, e, "an extension", err))
            return RC_INVALID;
        if (r->running)
            dlx_days(&r->x, day);
        r->need += e->days;
        r->nexts++;
        r->res->extension += e->days;
        dlx_event(&r->x, DLS_EXTEND, e->at, e->days, r->need);
        return RC_OK;
    }
    BUG("event type %d", (int)e->type);
}

enum rc deadline_compute(const struct cal *cal, const struct deadline_rule *rule, int64_t received,
                         const struct deadline_event *ev, size_t n, struct deadline_result *res,
                         struct deadline_explain *explain, struct err *err)
{
    memset(res, 0, sizeof(*res));
    res->due_day = res->first_day = DATE_NONE;
    if (n > DEADLINE_MAX_EVENTS)
        return err_set(err, RC_LIMIT, "%zu events; at most %d are allowed per item", n,
                       DEADLINE_MAX_EVENTS);
    if (rule->days < 1 || rule->days > DEADLINE_MAX_DAYS)
        BUG("rule %s: days %d", rule->name, rule->days);
    struct run r = { .cal = cal, .rule = rule, .res = res, .tz = cal->tzoff };
    int32_t d0 = time_to_date(received, r.tz);
    if (cal_check(cal, d0, err))
        return err_prefix(err, "received: ");
    /* Events in time order; equal times keep their order (insertion sort: n is small). */
    struct deadline_event evs[DEADLINE_MAX_EVENTS];
    for (size_t i = 0; i < n; i++) {
        size_t j = i;
        while (j > 0 && evs[j - 1].at > ev[i].at) {
            evs[j] = evs[j - 1];
            j--;
        }
        evs[j] = ev[i];
    }
    dlx_init(&r.x, explain, cal, rule, r.tz);
    dlx_rule(&r.x);
    res->out_of_validity = (rule->valid_from != DATE_NONE && d0 < rule->valid_from) ||
                           (rule->valid_to != DATE_NONE && d0 > rule->valid_to);
    dlx_received(&r.x, received, d0);
    period_start(&r, received, d0);
    for (size_t i = 0; i < n; i++) {
        if (evs[i].at < received) {
            char es[64], rs[20];
            event_str(&evs[i], r.tz, es);
            instant_str(received, r.tz, rs);
            return err_set(err, RC_INVALID,
                           "event '%s' is before the receipt time %s; check its date", es, rs);
        }
        if (apply(&r, &evs[i], err))
            return RC_INVALID;
    }
    if (cal_add(cal, r.period_anchor, 1, &res->first_day, &res->est, err))
        return RC_INVALID;
    res->working_days = r.need;
    if (r.running) {
        int32_t dd;
        if (due_day(&r, &dd, &res->est, err))
            return RC_INVALID;
        res->due_day = dd;
        res->due = time_from_date(dd, rule->due_secs, r.tz);
        if (rule->opens_secs >= 0)
            res->opens = time_from_date(dd, rule->opens_secs, r.tz);
        res->used = r.need;
        dlx_days(&r.x, dd);
        dlx_due(&r.x, res);
    } else {
        res->paused = true;
        res->used = r.used;
        res->remaining = r.need - r.used;
        dlx_paused(&r.x, res);
    }
    dlx_notes(&r.x, res);
    return RC_OK;
}
