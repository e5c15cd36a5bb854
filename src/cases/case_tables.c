/* case_tables.c - the data of the work-items module: kinds, states, outcomes, channels,
 * requester types and the workflow's transition table (cases.h, "Adding a transition"). */
#include <stdio.h>
#include <string.h>

#include "cases/cases.h"
#include "cases/cases_int.h"
#include "core/str.h"

/* clang-format off */
const struct case_kind_info case_kinds[CASE_NKINDS] = {
    [CASE_DISCLOSURE] = { .key = "disclosure", .cn = "依申请公开",
                          .aliases = "政府信息公开申请|依申请|信息公开申请|ysq",
                          .prefix = "YSQ", .rules = "disclosure-2008, 2019-05-15 disclosure-2019" },
    [CASE_CONSULTATION] = { .key = "consultation", .cn = "咨询",
                            .aliases = "咨询留言|政务咨询|zx", .prefix = "ZX", .rules = "consultation" },
    [CASE_COMPLAINT] = { .key = "complaint", .cn = "投诉",
                         .aliases = "投诉举报|ts", .prefix = "TS", .rules = "consultation" },
    [CASE_ERROR_REPORT] = { .key = "error-report", .cn = "找错",
                            .aliases = "我为政府网站找错|网站找错|纠错|error_report|zc",
                            .prefix = "ZC", .rules = "error-report-gd" },
};

const struct case_status_info case_statuses[CASE_NSTATUS] = {
    [CASE_RECEIVED]   = { "received",   "已收到",       true },
    [CASE_ASSIGNED]   = { "assigned",   "已转办",       true },
    [CASE_CORRECTION] = { "correction", "待补正",       true },
    [CASE_CONSULTING] = { "consulting", "征求意见中",   true },
    [CASE_PROCESSING] = { "processing", "办理中",       true },
    [CASE_HANDLED]    = { "handled",    "已处理待审核", true },
    [CASE_ANSWERED]   = { "answered",   "已答复",       false },
    [CASE_CLOSED]     = { "closed",     "已办结",       false },
    [CASE_REJECTED]   = { "rejected",   "无效",         false },
    [CASE_ABANDONED]  = { "abandoned",  "视为放弃",     false },
    [CASE_WITHDRAWN]  = { "withdrawn",  "已撤回",       false },
};

#define D CASE_KIND_BIT(CASE_DISCLOSURE)
#define Q CASE_KIND_BIT(CASE_CONSULTATION)
#define C CASE_KIND_BIT(CASE_COMPLAINT)
#define E CASE_KIND_BIT(CASE_ERROR_REPORT)

/* Section 三 of the 政府信息公开工作年度报告 (2021 format, domain.md §3.4), then the
 * outcomes of the other kinds. */
const struct case_outcome case_outcomes[] = {
    { "public",                "1",   "",         "予以公开", D },
    { "partial",               "2",   "",         "部分公开", D },
    { "withheld-secret",       "3.1", "不予公开", "属于国家秘密", D },
    { "withheld-law",          "3.2", "不予公开", "其他法律行政法规禁止公开", D },
    { "withheld-security",     "3.3", "不予公开", "危及“三安全一稳定”", D },
    { "withheld-third-party",  "3.4", "不予公开", "保护第三方合法权益", D },
    { "withheld-internal",     "3.5", "不予公开", "属于三类内部事务信息", D },
    { "withheld-process",      "3.6", "不予公开", "属于四类过程性信息", D },
    { "withheld-enforcement",  "3.7", "不予公开", "属于行政执法案卷", D },
    { "withheld-inquiry",      "3.8", "不予公开", "属于行政查询事项", D },
    { "unavailable-not-held",  "4.1", "无法提供", "本机关不掌握相关政府信息", D },
    { "unavailable-new",       "4.2", "无法提供", "没有现成信息需要另行制作", D },
    { "unavailable-unclear",   "4.3", "无法提供", "补正后申请内容仍不明确", D },
    { "declined-petition",     "5.1", "不予处理", "信访举报投诉类申请", D },
    { "declined-repeat",       "5.2", "不予处理", "重复申请", D },
    { "declined-publication",  "5.3", "不予处理", "要求提供公开出版物", D },
    { "declined-excessive",    "5.4", "不予处理", "无正当理由大量反复申请", D },
    { "declined-confirmation", "5.5", "不予处理", "要求行政机关确认或重新出具已获取信息", D },
    { "other-not-corrected",   "6.1", "其他处理",
      "申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请", D },
    { "other-fee-unpaid",      "6.2", "其他处理",
      "申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请", D },
    { "other",                 "6.3", "其他处理", "其他", D },
    { "replied",     "", "", "已答复", Q | C },
    { "resolved",    "", "", "已解决", Q | C },
    { "referred",    "", "", "转有关部门或渠道办理", Q | C },
    { "fixed",       "", "", "已整改", E },
    { "explained",   "", "", "已说明（无需整改）", E },
    { "unfounded",   "", "", "不属实", C | E },
    { "invalid",     "", "", "无效留言", Q | C | E },
    { "withdrawn",   "", "", "撤回", Q | C | E },
};
const size_t case_noutcomes = sizeof(case_outcomes) / sizeof(case_outcomes[0]);

const struct case_term case_channels[] = {
    { "online",    "网络", "网上|网站|互联网|在线|网上申请|电子邮件|email|web|internet" },
    { "in-person", "当面", "现场|当面提交|窗口|in_person" },
    { "post",      "邮寄", "信函|邮政|来信|mail" },
    { "fax",       "传真", "" },
    { "other",     "其他", "电话|phone" },
    { NULL, NULL, NULL },
};

const struct case_term case_requester_types[] = {
    { "person",         "自然人",       "个人|公民|natural-person" },
    { "business",       "商业企业",     "企业|公司" },
    { "research",       "科研机构",     "" },
    { "public-interest","社会公益组织", "公益组织" },
    { "legal-service",  "法律服务机构", "律师事务所|律所" },
    { "other-org",      "其他",         "其他组织|法人或其他组织" },
    { NULL, NULL, NULL },
};

#define OPEN CASE_OPEN_STATES
#define WORKING (CASE_ST(CASE_RECEIVED) | CASE_ST(CASE_ASSIGNED) | CASE_ST(CASE_PROCESSING))
#define O CASE_ROLE_OFFICE
#define U CASE_ROLE_UNIT

/* The workflow.  docs/cases.md draws it; tests/unit/test_cases.c tries every row from
 * every state of every kind. */
const struct case_transition case_transitions[] = {
    { .name = "receive", .cn = "收到", .help = "the item is received (the first event)",
      .kinds = D | Q | C | E, .from = 0, .to = CASE_RECEIVED, .roles = CASE_ROLE_SYSTEM | O | U,
      .flags = CASE_TR_INTERNAL },
    { .name = "assign", .cn = "转办", .help = "send the item to the responsible unit (--unit)",
      .kinds = D | Q | C | E, .from = WORKING | CASE_ST(CASE_HANDLED), .to = CASE_ASSIGNED,
      .roles = O, .flags = CASE_TR_UNIT | CASE_TR_CLEARS_REPLY },
    { .name = "request-correction", .cn = "要求补正",
      .help = "ask the applicant once to correct the application (the clock stops)",
      .kinds = D, .from = WORKING, .to = CASE_CORRECTION, .roles = O | U,
      .clock = CASE_CLOCK_CORRECTION, .flags = CASE_TR_ONCE },
    { .name = "corrected", .cn = "收到补正",
      .help = "the corrected application arrived (the period starts again)",
      .kinds = D, .from = CASE_ST(CASE_CORRECTION), .to = CASE_PROCESSING, .roles = O | U,
      .clock = CASE_CLOCK_CORRECTED },
    { .name = "abandon", .cn = "视为放弃",
      .help = "not corrected in time: the application counts as abandoned",
      .kinds = D, .from = CASE_ST(CASE_CORRECTION), .to = CASE_ABANDONED, .roles = O | U,
      .flags = CASE_TR_JUDGED, .outcome = { [CASE_DISCLOSURE] = "other-not-corrected" } },
    { .name = "consult-third-party", .cn = "征求第三方意见",
      .help = "consult a third party or another organ (the clock stops)",
      .kinds = D, .from = WORKING, .to = CASE_CONSULTING, .roles = O | U,
      .clock = CASE_CLOCK_PAUSE },
    { .name = "third-party-answered", .cn = "收到第三方意见",
      .help = "the consulted party answered, or its time ran out (the clock runs again)",
      .kinds = D, .from = CASE_ST(CASE_CONSULTING), .to = CASE_PROCESSING, .roles = O | U,
      .clock = CASE_CLOCK_RESUME },
    { .name = "extend", .cn = "延期",
      .help = "extend the time limit by --days working days (approved; within the rule's limit)",
      .kinds = D | Q | C | E, .from = WORKING, .to = CASE_SAME, .roles = O | U,
      .clock = CASE_CLOCK_EXTEND, .flags = CASE_TR_DAYS },
    { .name = "handle", .cn = "办理完毕",
      .help = "the unit handled the 找错 message and reports it for review",
      .kinds = E, .from = WORKING, .to = CASE_HANDLED, .roles = O | U,
      .flags = CASE_TR_JUDGED | CASE_TR_OUTCOME, .outcome = { [CASE_ERROR_REPORT] = "fixed" } },
    { .name = "review", .cn = "审核通过",
      .help = "the office reviewed the handling and closes the 找错 message",
      .kinds = E, .from = CASE_ST(CASE_HANDLED), .to = CASE_CLOSED, .roles = O },
    { .name = "answer", .cn = "答复",
      .help = "reply and close the item (--outcome; its time is judged against the due time)",
      .kinds = D | Q | C | E, .from = OPEN, .to = CASE_ANSWERED, .roles = O | U,
      .flags = CASE_TR_JUDGED | CASE_TR_OUTCOME,
      .outcome = { [CASE_CONSULTATION] = "replied", [CASE_COMPLAINT] = "replied",
                   [CASE_ERROR_REPORT] = "fixed" } },
    { .name = "reject", .cn = "不予受理（无效）",
      .help = "close the 找错 message as invalid (--note says why)",
      .kinds = E, .from = WORKING | CASE_ST(CASE_HANDLED), .to = CASE_REJECTED, .roles = O | U,
      .flags = CASE_TR_JUDGED | CASE_TR_OUTCOME | CASE_TR_NOTE,
      .outcome = { [CASE_ERROR_REPORT] = "invalid" } },
    { .name = "reopen", .cn = "重新办理",
      .help = "reopen a closed item (--note says why); the original time limit still applies",
      .kinds = D | Q | C | E, .from = CASE_CLOSED_STATES, .to = CASE_PROCESSING, .roles = O,
      .flags = CASE_TR_NOTE | CASE_TR_CLEARS_REPLY },
    { .name = "withdraw", .cn = "撤回",
      .help = "the requester withdrew the item",
      .kinds = D | Q | C | E, .from = OPEN, .to = CASE_WITHDRAWN, .roles = O | U,
      .flags = CASE_TR_JUDGED,
      .outcome = { [CASE_DISCLOSURE] = "other", [CASE_CONSULTATION] = "withdrawn",
                   [CASE_COMPLAINT] = "withdrawn", [CASE_ERROR_REPORT] = "withdrawn" } },
    { .name = "note", .cn = "备注", .help = "add a note to the record (--note)",
      .kinds = D | Q | C | E, .from = OPEN | CASE_CLOSED_STATES, .to = CASE_SAME, .roles = O | U,
      .flags = CASE_TR_NOTE },
    { .name = "edit", .cn = "修改", .help = "descriptive fields changed (case edit, import)",
      .kinds = D | Q | C | E, .from = OPEN | CASE_CLOSED_STATES, .to = CASE_SAME,
      .roles = CASE_ROLE_SYSTEM | O | U, .flags = CASE_TR_INTERNAL },
};
/* clang-format on */
const size_t case_ntransitions = sizeof(case_transitions) / sizeof(case_transitions[0]);

#undef D
#undef Q
#undef C
#undef E
#undef O
#undef U

/* s equals one of the '|'-separated words of list (ASCII case-insensitive). */
bool case__in_list(const char *s, const char *list)
{
    size_t n = strlen(s);
    for (const char *p = list; p && *p;) {
        const char *bar = strchr(p, '|');
        size_t len = bar ? (size_t)(bar - p) : strlen(p);
        if (len == n && !ascii_ncasecmp(p, s, n))
            return true;
        if (!bar)
            break;
        p = bar + 1;
    }
    return false;
}

bool case_kind_parse(const char *s, enum case_kind *out)
{
    if (str_empty(s))
        return false;
    for (int k = 0; k < CASE_NKINDS; k++) {
        if (!ascii_casecmp(s, case_kinds[k].key) || !strcmp(s, case_kinds[k].cn) ||
            case__in_list(s, case_kinds[k].aliases)) {
            *out = (enum case_kind)k;
            return true;
        }
    }
    return false;
}

enum rc case_kinds_parse(const char *s, unsigned *mask, struct err *err)
{
    *mask = 0;
    struct str rest = str_of(s), w;
    while (rest.n) {
        /* ',' '|' or the full-width '，' (EF BC 8C) separate. */
        size_t i = 0;
        while (i < rest.n && rest.p[i] != ',' && rest.p[i] != '|' &&
               !(i + 3 <= rest.n && !memcmp(rest.p + i, "，", 3)))
            i++;
        w = str_trim((struct str){ rest.p, i });
        size_t skip = i < rest.n ? (rest.p[i] == ',' || rest.p[i] == '|' ? 1 : 3) : 0;
        rest.p += i + skip;
        rest.n -= i + skip;
        if (!w.n)
            continue;
        char word[64];
        enum case_kind k;
        snprintf(word, sizeof(word), "%.*s", (int)(w.n < 63 ? w.n : 63), w.p);
        if (w.n >= sizeof(word) || !case_kind_parse(word, &k))
            return err_set(err, RC_INVALID,
                           "unknown kind '%s'; use disclosure (依申请公开), consultation (咨询), "
                           "complaint (投诉) or error-report (找错)",
                           word);
        *mask |= CASE_KIND_BIT(k);
    }
    if (!*mask)
        return err_set(err, RC_INVALID,
                       "no kind given; use disclosure, consultation, complaint or error-report");
    return RC_OK;
}

bool case_status_parse(const char *key, enum case_status *out)
{
    for (int i = 0; i < CASE_NSTATUS && key; i++)
        if (!strcmp(key, case_statuses[i].key)) {
            *out = (enum case_status)i;
            return true;
        }
    return false;
}

/* s without surrounding spaces into buf; false when empty or too long. */
static bool trimmed(const char *s, char *buf, size_t cap)
{
    struct str t = str_trim(str_of(s));
    if (!t.n || t.n >= cap)
        return false;
    memcpy(buf, t.p, t.n);
    buf[t.n] = 0;
    return true;
}

const struct case_outcome *case_outcome_find(enum case_kind k, const char *s)
{
    char buf[256];
    if (!trimmed(s, buf, sizeof(buf)))
        return NULL;
    for (size_t i = 0; i < case_noutcomes; i++) {
        const struct case_outcome *o = &case_outcomes[i];
        if (!(o->kinds & CASE_KIND_BIT(k)))
            continue;
        if (!ascii_casecmp(buf, o->key) || (o->code[0] && !strcmp(buf, o->code)) ||
            !strcmp(buf, o->cn))
            return o;
        /* "不予公开-属于国家秘密", "不予公开：属于国家秘密", "不予公开:属于国家秘密" */
        size_t g = strlen(o->group);
        if (g && !strncmp(buf, o->group, g)) {
            const char *r = buf + g;
            if (*r == '-' || *r == ':')
                r++;
            else if (!strncmp(r, "：", 3) || !strncmp(r, "—", 3))
                r += 3;
            if (!strcmp(r, o->cn))
                return o;
        }
    }
    return NULL;
}

void case_outcomes_list(enum case_kind k, struct buf *out)
{
    bool first = true;
    for (size_t i = 0; i < case_noutcomes; i++) {
        const struct case_outcome *o = &case_outcomes[i];
        if (!(o->kinds & CASE_KIND_BIT(k)))
            continue;
        /* Disclosure rows by their code in the annual report (the list is long). */
        if (o->code[0])
            buf_addf(out, "%s%s (%s)", first ? "" : ", ", o->key, o->code);
        else
            buf_addf(out, "%s%s (%s)", first ? "" : ", ", o->key, o->cn);
        first = false;
    }
}

void case_outcome_label(const struct case_outcome *o, struct buf *out)
{
    if (o->group[0])
        buf_addf(out, "%s：", o->group);
    buf_adds(out, o->cn);
}

const struct case_term *case_term_find(const struct case_term *table, const char *s)
{
    char buf[128];
    if (!trimmed(s, buf, sizeof(buf)))
        return NULL;
    for (const struct case_term *e = table; e->key; e++)
        if (!ascii_casecmp(buf, e->key) || !strcmp(buf, e->cn) || case__in_list(buf, e->aliases))
            return e;
    return NULL;
}

void case_terms_list(const struct case_term *table, struct buf *out)
{
    for (const struct case_term *e = table; e->key; e++)
        buf_addf(out, "%s%s (%s)", e == table ? "" : ", ", e->cn, e->key);
}

const struct case_transition *case_transition_find(const char *name)
{
    if (str_empty(name))
        return NULL;
    for (size_t i = 0; i < case_ntransitions; i++)
        if (!ascii_casecmp(name, case_transitions[i].name) || !strcmp(name, case_transitions[i].cn))
            return &case_transitions[i];
    return NULL;
}

bool case_role_sees_personal(unsigned roles)
{
    return (roles & CASE_ROLES_STAFF) != 0;
}

bool case_group_parse(const char *s, enum case_group *out)
{
    static const struct {
        const char *names;
        enum case_group g;
    } groups[] = { { "unit|单位", CASE_BY_UNIT },
                   { "site|网站", CASE_BY_SITE },
                   { "kind|类型", CASE_BY_KIND } };
    for (size_t i = 0; i < sizeof(groups) / sizeof(groups[0]); i++)
        if (!str_empty(s) && case__in_list(s, groups[i].names)) {
            *out = groups[i].g;
            return true;
        }
    return false;
}

const char *case_timing_key(enum case_timing t)
{
    static const char *const k[] = { "open_not_due", "open_overdue", "on_time", "late" };
    return k[t];
}

const char *case_timing_cn(enum case_timing t)
{
    static const char *const k[] = { "未到期", "已逾期", "按时", "逾期" };
    return k[t];
}
