/* test_cases.c - work items: the tables, masking, every transition from every state of
 * every kind (allowed and refused), deadlines through 补正, pauses and extensions compared
 * with the deadline engine, statistics at several as-of moments, the seed's November 2018
 * through the real import, bad imports, idempotence, the append-only audit log (refused by
 * the database itself), numbers, configuration and the site-verdict queries; on every
 * backend. */
#include <iconv.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "core/csv.h"
#include "core/date.h"
#include "core/notes.h"
#include "core/str.h"
#include "core/res.h"
#include "fixture_cases.h"
#include "reg/reg.h"
#include "test.h"
#include "tstore.h"

static const char units_csv[] = "name,short_name,kind,parent\n"
                                "示范市人民政府办公室,市政府办公室,office,\n"
                                "示范市人力资源和社会保障局,市人社局,department,\n"
                                "示范市教育局,市教育局,department,\n"
                                "示范市香洲区人民政府,香洲区,district,\n";
static const char sites_csv[] =
    "name,url,code,unit,type,status\n"
    "示范市人民政府门户网站,http://www.shifan.test/,4404990001,市政府办公室,门户网站,\n"
    "人社局网站,http://rsj.shifan.test/,4404990006,市人社局,部门网站,\n";

static int64_t T(const char *s)
{
    int64_t t;
    if (!time_parse(s, TZ_CST, &t, NULL))
        t_fail(__FILE__, __LINE__, "bad time in test: %s", s);
    return t;
}

static struct clk clock_at(const char *s)
{
    return (struct clk){ .fixed = true, .at = T(s), .tzoff = TZ_CST };
}

static int64_t unit_id(struct store *db, const char *name)
{
    int64_t id = 0;
    struct err e = { 0 };
    ASSERT_OK(reg_unit_lookup(db, name, &id, &e), &e);
    return id;
}

static int64_t site_id(struct store *db, const char *name)
{
    int64_t id = 0;
    struct err e = { 0 };
    ASSERT_OK(reg_site_lookup(db, name, &id, &e), &e);
    return id;
}

/* A migrated database with the registry, and a context on it. */
static struct store *setup(int b, struct case_ctx *x, const struct clk *ck, const struct conf *conf)
{
    struct store *db = t_open(b);
    struct reg_import_result r;
    struct notes bad = NOTES_INIT;
    struct err e = { 0 };
    ASSERT_OK(reg_import_mem(db, REG_UNITS, "units.csv", units_csv, strlen(units_csv), t_clk(), &r,
                             &bad, &e),
              &e);
    ASSERT_OK(reg_import_mem(db, REG_SITES, "sites.csv", sites_csv, strlen(sites_csv), t_clk(), &r,
                             &bad, &e),
              &e);
    notes_release(&bad);
    ASSERT_OK(case_ctx_init(x, db, conf, ck, &e), &e);
    return db;
}

static char *add(struct case_ctx *x, enum case_kind k, const char *unit, const char *received)
{
    struct case_new n = { .kind = k,
                          .unit_id = unit_id(x->db, unit),
                          .received_at = T(received),
                          .subject = "测试",
                          .actor = "tester" };
    char *num = NULL;
    struct err e = { 0 };
    ASSERT_OK(case_add(x, &n, &num, &e), &e);
    return num;
}

static enum rc act(struct case_ctx *x, const char *num, const char *type, const char *at,
                   struct err *e)
{
    struct case_action a = { .type = type,
                             .at = at ? T(at) : 0,
                             .roles = CASE_ROLES_STAFF,
                             .reply_public = -1,
                             .actor = "tester",
                             .note = "测试" };
    if (!strcmp(type, "answer") && !strncmp(num, "YSQ", 3))
        a.outcome = "public";
    return case_act(x, num, &a, NULL, e);
}

#define ACT(x, num, type, at)                               \
    do {                                                    \
        struct err e_ = { 0 };                              \
        ASSERT_OK(act((x), (num), (type), (at), &e_), &e_); \
    } while (0)

static struct case_state state_at(struct case_ctx *x, const char *num, int64_t as_of)
{
    struct arena a = ARENA_INIT;
    struct case_item it;
    struct case_state st;
    struct err e = { 0 };
    ASSERT_OK(case_get(x, num, &a, &it, &e), &e);
    ASSERT_OK(case_state_at(x, &it, as_of ? as_of : clk_now(x->clk), &st, NULL, &e), &e);
    arena_release(&a);
    st.outcome = NULL; /* it pointed into the arena */
    return st;
}

/* --- Tables ------------------------------------------------------------------------------ */

TEST(cases_tables)
{
    enum case_kind k;
    ASSERT(case_kind_parse("disclosure", &k) && k == CASE_DISCLOSURE);
    ASSERT(case_kind_parse("依申请公开", &k) && k == CASE_DISCLOSURE);
    ASSERT(case_kind_parse("咨询", &k) && k == CASE_CONSULTATION);
    ASSERT(case_kind_parse("Complaint", &k) && k == CASE_COMPLAINT);
    ASSERT(case_kind_parse("找错", &k) && k == CASE_ERROR_REPORT);
    ASSERT(case_kind_parse("我为政府网站找错", &k) && k == CASE_ERROR_REPORT);
    ASSERT(!case_kind_parse("petition", &k));
    unsigned m;
    struct err e = { 0 };
    ASSERT_OK(case_kinds_parse("consultation, 投诉", &m, &e), &e);
    ASSERT_EQ_INT(m, CASE_KIND_BIT(CASE_CONSULTATION) | CASE_KIND_BIT(CASE_COMPLAINT));
    ASSERT_OK(case_kinds_parse("咨询，投诉|找错", &m, &e), &e);
    ASSERT_EQ_INT(m, CASE_KINDS_ALL & ~CASE_KIND_BIT(CASE_DISCLOSURE));
    ASSERT_RC(case_kinds_parse("consultation,nonsense", &m, &e), RC_INVALID);
    ASSERT_CONTAINS(e.msg, "unknown kind 'nonsense'");
    /* The annual report's rows: 1 + 1 + 8 + 3 + 5 + 3, each code once. */
    int nd = 0;
    for (size_t i = 0; i < case_noutcomes; i++) {
        if (!(case_outcomes[i].kinds & CASE_KIND_BIT(CASE_DISCLOSURE)))
            continue;
        nd++;
        for (size_t j = 0; j < i; j++)
            ASSERT(strcmp(case_outcomes[i].code, case_outcomes[j].code) ||
                   !case_outcomes[i].code[0]);
    }
    ASSERT_EQ_INT(nd, 21);
    static const struct {
        enum case_kind k;
        const char *in, *key;
    } oc[] = {
        { CASE_DISCLOSURE, "public", "public" },
        { CASE_DISCLOSURE, "予以公开", "public" },
        { CASE_DISCLOSURE, "3.1", "withheld-secret" },
        { CASE_DISCLOSURE, "不予公开-属于国家秘密", "withheld-secret" },
        { CASE_DISCLOSURE, "不予公开：属于国家秘密", "withheld-secret" },
        { CASE_DISCLOSURE, "无法提供-本机关不掌握相关政府信息", "unavailable-not-held" },
        { CASE_DISCLOSURE, "6.1", "other-not-corrected" },
        { CASE_DISCLOSURE, "5.5", "declined-confirmation" },
        { CASE_CONSULTATION, "已答复", "replied" },
        { CASE_COMPLAINT, "不属实", "unfounded" },
        { CASE_ERROR_REPORT, "fixed", "fixed" },
        { CASE_CONSULTATION, "不属实", NULL }, /* complaints and 找错 only */
        { CASE_CONSULTATION, "public", NULL }, /* disclosure only */
        { CASE_DISCLOSURE, "replied", NULL },
        { CASE_DISCLOSURE, "不予公开-重复申请", NULL }, /* wrong group */
    };
    for (size_t i = 0; i < sizeof(oc) / sizeof(oc[0]); i++) {
        const struct case_outcome *o = case_outcome_find(oc[i].k, oc[i].in);
        if (oc[i].key == NULL)
            ASSERT_NULL(o);
        else if (!o || strcmp(o->key, oc[i].key))
            t_fail(__FILE__, __LINE__, "outcome '%s' → %s, want %s", oc[i].in, o ? o->key : "NULL",
                   oc[i].key);
    }
    ASSERT_EQ_STR(case_term_find(case_channels, "当面")->key, "in-person");
    ASSERT_EQ_STR(case_term_find(case_channels, "网上")->key, "online");
    ASSERT_EQ_STR(case_term_find(case_requester_types, "法律服务机构")->key, "legal-service");
    ASSERT_NULL(case_term_find(case_requester_types, "外星人"));
    ASSERT_EQ_STR(case_transition_find("要求补正")->name, "request-correction");
    /* Every transition names states and kinds; defaults are outcomes of their kinds. */
    for (size_t i = 0; i < case_ntransitions; i++) {
        const struct case_transition *t = &case_transitions[i];
        ASSERT(t->kinds);
        ASSERT(t->to == CASE_SAME || (t->to >= 0 && t->to < CASE_NSTATUS));
        for (int kk = 0; kk < CASE_NKINDS; kk++)
            if (t->outcome[kk])
                ASSERT_NOT_NULL(case_outcome_find((enum case_kind)kk, t->outcome[kk]));
    }
}

TEST(cases_masking)
{
    static const struct {
        const char *in, *name, *contact;
    } m[] = {
        { "张三", "张*", NULL },
        { "欧阳娜娜", "欧***", NULL },
        { "王", "*", NULL },
        { "13812345678", NULL, "138****5678" },
        { "+86 138-1234-5678", NULL, "138****5678" },
        { "0756-2212345", NULL, "****2345" },
        { "zhang.san@example.com", NULL, "z***@example.com" },
        { "微信 zs2018", NULL, "微***" },
    };
    for (size_t i = 0; i < sizeof(m) / sizeof(m[0]); i++) {
        struct buf b = BUF_INIT;
        if (m[i].name) {
            case_mask_name(m[i].in, &b);
            ASSERT_EQ_STR(buf_cstr(&b), m[i].name);
        } else {
            case_mask_contact(m[i].in, &b);
            ASSERT_EQ_STR(buf_cstr(&b), m[i].contact);
        }
        buf_release(&b);
    }
    /* An organisation's name is not personal data; a person's is masked. */
    struct case_item it = { .requester = "示范市某某律师事务所",
                            .requester_type = "legal-service",
                            .contact = "13812345678" };
    struct buf b = BUF_INIT;
    case_requester_text(&it, CASE_VIEW_MASKED, &b);
    ASSERT_EQ_STR(buf_cstr(&b), "示范市某某律师事务所");
    buf_reset(&b);
    it.requester_type = "person";
    it.requester = "李四";
    case_requester_text(&it, CASE_VIEW_MASKED, &b);
    ASSERT_EQ_STR(buf_cstr(&b), "李*");
    buf_reset(&b);
    case_requester_text(&it, CASE_VIEW_FULL, &b);
    ASSERT_EQ_STR(buf_cstr(&b), "李四");
    buf_reset(&b);
    case_contact_text(&it, CASE_VIEW_MASKED, &b);
    ASSERT_EQ_STR(buf_cstr(&b), "138****5678");
    buf_release(&b);
    ASSERT(case_role_sees_personal(CASE_ROLE_UNIT));
    ASSERT(!case_role_sees_personal(0));
}

/* --- Every transition, allowed and refused ------------------------------------------------ */

/* How to reach a state, and what is allowed there (written out by hand from docs/cases.md,
 * not derived from the table). */
static const struct {
    enum case_kind kind;
    const char *state;
    const char *path; /* steps from received, ' '-separated */
    const char *allowed;
} matrix[] = {
    { CASE_DISCLOSURE, "received", "",
      "assign, request-correction, consult-third-party, extend, answer, withdraw, note" },
    { CASE_DISCLOSURE, "assigned", "assign",
      "assign, request-correction, consult-third-party, extend, answer, withdraw, note" },
    { CASE_DISCLOSURE, "correction", "request-correction",
      "corrected, abandon, answer, withdraw, note" },
    { CASE_DISCLOSURE, "consulting", "consult-third-party",
      "third-party-answered, answer, withdraw, note" },
    { CASE_DISCLOSURE, "processing", "consult-third-party third-party-answered",
      "assign, request-correction, consult-third-party, extend, answer, withdraw, note" },
    { CASE_DISCLOSURE, "processing", "request-correction corrected",
      "assign, consult-third-party, extend, answer, withdraw, note" }, /* 补正 only once */
    { CASE_DISCLOSURE, "answered", "answer", "reopen, note" },
    { CASE_DISCLOSURE, "abandoned", "request-correction abandon", "reopen, note" },
    { CASE_DISCLOSURE, "withdrawn", "withdraw", "reopen, note" },
    { CASE_DISCLOSURE, "received", "extend", /* one extension per period */
      "assign, request-correction, consult-third-party, answer, withdraw, note" },
    { CASE_CONSULTATION, "received", "", "assign, extend, answer, withdraw, note" },
    { CASE_CONSULTATION, "assigned", "assign", "assign, extend, answer, withdraw, note" },
    { CASE_CONSULTATION, "answered", "answer", "reopen, note" },
    { CASE_CONSULTATION, "processing", "answer reopen", "assign, extend, answer, withdraw, note" },
    { CASE_CONSULTATION, "withdrawn", "withdraw", "reopen, note" },
    { CASE_COMPLAINT, "received", "", "assign, extend, answer, withdraw, note" },
    { CASE_COMPLAINT, "answered", "assign answer", "reopen, note" },
    { CASE_ERROR_REPORT, "received", "", "assign, handle, answer, reject, withdraw, note" },
    { CASE_ERROR_REPORT, "assigned", "assign", "assign, handle, answer, reject, withdraw, note" },
    { CASE_ERROR_REPORT, "handled", "assign handle",
      "assign, review, answer, reject, withdraw, note" },
    { CASE_ERROR_REPORT, "closed", "handle review", "reopen, note" },
    { CASE_ERROR_REPORT, "rejected", "reject", "reopen, note" },
    { CASE_ERROR_REPORT, "processing", "handle review reopen",
      "assign, handle, answer, reject, withdraw, note" },
    { CASE_ERROR_REPORT, "answered", "answer", "reopen, note" },
    { CASE_ERROR_REPORT, "withdrawn", "withdraw", "reopen, note" },
};

static bool in_list(const char *list, const char *name)
{
    size_t n = strlen(name);
    for (const char *p = list; (p = strstr(p, name)); p += n)
        if ((p == list || p[-2] == ',') && (p[n] == ',' || p[n] == 0))
            return true;
    return false;
}

TEST(cases_matrix)
{
    for (int b = 0; b < t_backends(); b++) {
        struct clk ck = clock_at("2018-11-30 09:00");
        struct case_ctx x;
        struct store *db = setup(b, &x, &ck, NULL);
        int64_t other = unit_id(db, "市教育局");
        for (size_t r = 0; r < sizeof(matrix) / sizeof(matrix[0]); r++) {
            char *num = add(&x, matrix[r].kind, "市人社局", "2018-11-28 10:00");
            /* The path, an hour apart. */
            struct str rest = str_of(matrix[r].path), word;
            int h = 11, steps = 0;
            while (rest.n) {
                str_split(&rest, ' ', &word);
                char s[40], at[40];
                snprintf(s, sizeof(s), "%.*s", (int)word.n, word.p);
                snprintf(at, sizeof(at), "2018-11-28 %02d:00", h++);
                struct case_action a = { .type = s,
                                         .at = T(at),
                                         .roles = CASE_ROLES_STAFF,
                                         .reply_public = -1,
                                         .note = "路径",
                                         .unit_id = !strcmp(s, "assign") ? other : 0,
                                         .outcome = !strcmp(s, "answer") &&
                                                            matrix[r].kind == CASE_DISCLOSURE
                                                        ? "public"
                                                        : NULL };
                struct err e = { 0 };
                if (case_act(&x, num, &a, NULL, &e))
                    t_fail(__FILE__, __LINE__, "row %zu: path step %s: %s", r, s, err_msg(&e));
                steps++;
            }
            struct case_state st = state_at(&x, num, 0);
            ASSERT_EQ_STR(case_statuses[st.status].key, matrix[r].state);
            /* case_allowed agrees with the hand-written list. */
            struct arena ar = ARENA_INIT;
            struct case_item it;
            struct err e = { 0 };
            ASSERT_OK(case_get(&x, num, &ar, &it, &e), &e);
            struct buf al = BUF_INIT;
            case_allowed_list(&x, &it, CASE_ROLES_STAFF, &al);
            if (strcmp(buf_cstr(&al), matrix[r].allowed))
                t_fail(__FILE__, __LINE__, "%s %s via '%s': allowed '%s', want '%s'",
                       case_kinds[matrix[r].kind].key, matrix[r].state, matrix[r].path,
                       buf_cstr(&al), matrix[r].allowed);
            buf_release(&al);
            arena_release(&ar);
            /* Try every step; each inside a transaction that is rolled back. */
            for (size_t i = 0; i < case_ntransitions; i++) {
                const struct case_transition *t = &case_transitions[i];
                if (t->flags & CASE_TR_INTERNAL)
                    continue;
                struct case_action a = {
                    .type = t->name,
                    .roles = CASE_ROLES_STAFF,
                    .reply_public = -1,
                    .note = "试",
                    .unit_id = !strcmp(t->name, "assign")
                                   ? unit_id(db, st.unit_id == other ? "市人社局" : "市教育局")
                                   : 0,
                    .outcome = !strcmp(t->name, "answer") && matrix[r].kind == CASE_DISCLOSURE
                                   ? "partial"
                                   : NULL
                };
                ASSERT_OK(store_begin(db, &e), &e);
                struct err e2 = { 0 };
                enum rc rc = case_act(&x, num, &a, NULL, &e2);
                store_rollback(db);
                bool want = in_list(matrix[r].allowed, t->name);
                if (want && rc)
                    t_fail(__FILE__, __LINE__, "%s %s: %s refused: %s",
                           case_kinds[matrix[r].kind].key, matrix[r].state, t->name, err_msg(&e2));
                if (!want && !rc)
                    t_fail(__FILE__, __LINE__, "%s %s: %s allowed", case_kinds[matrix[r].kind].key,
                           matrix[r].state, t->name);
                if (!want) {
                    /* The refusal names the steps allowed from here. */
                    char tail[300];
                    snprintf(tail, sizeof(tail), "allowed now: %s", matrix[r].allowed);
                    if (!strstr(e2.msg, "cannot ") ||
                        (!strstr(e2.msg, tail) && t->clock != CASE_CLOCK_EXTEND))
                        t_fail(__FILE__, __LINE__, "%s %s: refusal of %s: %s",
                               case_kinds[matrix[r].kind].key, matrix[r].state, t->name, e2.msg);
                }
            }
            /* The rolled-back attempts left nothing behind. */
            struct case_state again = state_at(&x, num, 0);
            ASSERT_EQ_INT(again.status, st.status);
            int64_t nev = 0;
            ASSERT_OK(store_get_int(db, &nev, &e,
                                    "SELECT COUNT(*) FROM case_events e JOIN cases c ON c.id = "
                                    "e.case_id WHERE c.number = ?",
                                    "t", num),
                      &e);
            ASSERT_EQ_INT(nev, 1 + steps);
            free(num);
        }
        case_ctx_release(&x);
        t_close(db);
    }
}

TEST(cases_roles_and_refusals)
{
    for (int b = 0; b < t_backends(); b++) {
        struct clk ck = clock_at("2018-11-30 09:00");
        struct case_ctx x;
        struct store *db = setup(b, &x, &ck, NULL);
        char *zc = add(&x, CASE_ERROR_REPORT, "市人社局", "2018-11-28 10:00");
        struct err e = { 0 };
        /* A unit handles; only the office reviews and reopens. */
        struct case_action a = { .type = "handle", .roles = CASE_ROLE_UNIT, .reply_public = -1 };
        ASSERT_OK(case_act(&x, zc, &a, NULL, &e), &e);
        a.type = "review";
        ASSERT_RC(case_act(&x, zc, &a, NULL, &e), RC_FORBIDDEN);
        ASSERT_CONTAINS(e.msg, "only the office");
        err_clear(&e);
        a.roles = CASE_ROLE_OFFICE;
        ASSERT_OK(case_act(&x, zc, &a, NULL, &e), &e);
        /* Refusals: missing note, unknown step, bad outcome, time order, the future. */
        a = (struct case_action){ .type = "reopen", .roles = CASE_ROLE_OFFICE, .reply_public = -1 };
        ASSERT_RC(case_act(&x, zc, &a, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "say why with --note");
        err_clear(&e);
        a.type = "hold";
        ASSERT_RC(case_act(&x, zc, &a, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "unknown step 'hold' for 找错 items");
        err_clear(&e);
        a.type = "receive"; /* internal */
        ASSERT_RC(case_act(&x, zc, &a, NULL, &e), RC_INVALID);
        err_clear(&e);
        char *ysq = add(&x, CASE_DISCLOSURE, "市人社局", "2018-11-05 09:00");
        a = (struct case_action){ .type = "answer", .roles = CASE_ROLES_STAFF, .reply_public = -1 };
        ASSERT_RC(case_act(&x, ysq, &a, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "need --outcome");
        ASSERT_CONTAINS(e.msg, "withheld-secret (3.1)");
        err_clear(&e);
        a.outcome = "nonsense";
        ASSERT_RC(case_act(&x, ysq, &a, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "unknown outcome 'nonsense'");
        err_clear(&e);
        a.outcome = "public";
        a.at = T("2018-11-05 08:00"); /* before the receipt */
        ASSERT_RC(case_act(&x, ysq, &a, NULL, &e), RC_INVALID);
        err_clear(&e);
        a.at = T("2018-12-05 08:00"); /* after now */
        ASSERT_RC(case_act(&x, ysq, &a, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "in the future");
        err_clear(&e);
        ACT(&x, ysq, "consult-third-party", "2018-11-10 10:00");
        a.type = "note";
        a.outcome = NULL;
        a.note = "晚了";
        a.at = T("2018-11-09 10:00"); /* before the last event */
        ASSERT_RC(case_act(&x, ysq, &a, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "events are recorded in time order");
        err_clear(&e);
        a = (struct case_action){ .type = "third-party-answered",
                                  .roles = CASE_ROLES_STAFF,
                                  .reply_public = -1,
                                  .outcome = "public",
                                  .at = T("2018-11-20 10:00") };
        ASSERT_RC(case_act(&x, ysq, &a, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "--outcome goes with");
        err_clear(&e);
        ASSERT_RC(case_act(&x, "NO-SUCH-1", &a, NULL, &e), RC_NOTFOUND);
        free(zc);
        free(ysq);
        case_ctx_release(&x);
        t_close(db);
    }
}

/* --- Deadlines through the engine --------------------------------------------------------- */

static int64_t engine_due(struct case_ctx *x, const char *rule, const char *received,
                          const char *const *events)
{
    struct deadline_event ev[8];
    size_t n = 0;
    struct err e = { 0 };
    for (; events && events[n]; n++)
        ASSERT_OK(deadline_event_parse(events[n], TZ_CST, &ev[n], &e), &e);
    struct deadline_result r;
    ASSERT_OK(deadline_compute(x->cal, deadline_rule_find(&x->rules, rule), T(received), ev, n, &r,
                               NULL, &e),
              &e);
    return r.paused ? 0 : r.due;
}

TEST(cases_deadlines)
{
    for (int b = 0; b < t_backends(); b++) {
        struct clk ck = clock_at("2020-06-01 09:00");
        struct case_ctx x;
        struct store *db = setup(b, &x, &ck, NULL);
        struct err e = { 0 };
        /* The rule follows the receipt date. */
        char *a = add(&x, CASE_DISCLOSURE, "市人社局", "2019-05-14 10:00");
        char *c = add(&x, CASE_DISCLOSURE, "市人社局", "2019-05-15 10:00");
        struct arena ar = ARENA_INIT;
        struct case_item it;
        ASSERT_OK(case_get(&x, a, &ar, &it, &e), &e);
        ASSERT_EQ_STR(it.rule, "disclosure-2008");
        ASSERT_OK(case_get(&x, c, &ar, &it, &e), &e);
        ASSERT_EQ_STR(it.rule, "disclosure-2019");
        arena_release(&ar);

        /* 补正 under the 2019 条例, across National Day: the period starts again from the
         * corrected application, as a new receipt would. */
        char *r = add(&x, CASE_DISCLOSURE, "市人社局", "2019-09-20 09:00");
        ACT(&x, r, "request-correction", "2019-09-24 10:00");
        struct case_state st = state_at(&x, r, T("2019-10-01 12:00"));
        ASSERT(st.dl.paused);
        ASSERT_EQ_INT(st.timing, CASE_OPEN_NOT_DUE);
        ACT(&x, r, "corrected", "2019-10-09 10:00");
        st = state_at(&x, r, 0);
        const char *ev1[] = { "pause@2019-09-24 10:00", "restart@2019-10-09 10:00", NULL };
        ASSERT_EQ_INT(st.dl.due, engine_due(&x, "disclosure-2019", "2019-09-20 09:00", ev1));
        ASSERT_EQ_INT(st.dl.due, engine_due(&x, "disclosure-2019", "2019-10-09 10:00", NULL));
        char ds[32];
        time_fmt_iso(st.dl.due, TZ_CST, ds);
        ASSERT_EQ_STR(ds,
                      "2019-11-05T23:59:59+08:00"); /* 20 working days after 10-09, 10-12 worked */
        /* The same request under the 2008 条例 (no restart): the clock resumes. */
        struct case_new n = { .kind = CASE_DISCLOSURE,
                              .unit_id = unit_id(db, "市人社局"),
                              .received_at = T("2018-09-20 09:00"),
                              .rule = "disclosure-2008" };
        char *o = NULL;
        ASSERT_OK(case_add(&x, &n, &o, &e), &e);
        ACT(&x, o, "request-correction", "2018-09-28 16:00");
        ACT(&x, o, "corrected", "2018-10-09 10:00");
        st = state_at(&x, o, 0);
        time_fmt_iso(st.dl.due, TZ_CST, ds);
        ASSERT_EQ_STR(ds, "2018-10-23T23:59:59+08:00"); /* docs/deadlines.md */

        /* Third-party consultation pauses; an extension adds days; a second is refused. */
        n.received_at = T("2018-09-28 10:00");
        char *p = NULL;
        ASSERT_OK(case_add(&x, &n, &p, &e), &e);
        struct case_action ext = { .type = "extend",
                                   .at = T("2018-10-20 10:00"),
                                   .days = 16,
                                   .roles = CASE_ROLES_STAFF,
                                   .reply_public = -1 };
        ASSERT_RC(case_act(&x, p, &ext, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "at most 15 working days of extension");
        err_clear(&e);
        ext.days = 0; /* all the rule allows */
        ASSERT_OK(case_act(&x, p, &ext, &st, &e), &e);
        ASSERT_EQ_INT(st.dl.extension, 15);
        const char *ev2[] = { "extend@2018-10-20 10:00:15", NULL };
        ASSERT_EQ_INT(st.dl.due, engine_due(&x, "disclosure-2008", "2018-09-28 10:00", ev2));
        time_fmt_iso(st.dl.due, TZ_CST, ds);
        ASSERT_EQ_STR(ds, "2018-11-14T23:59:59+08:00");
        ext.at = T("2018-10-22 10:00");
        ext.days = 1;
        ASSERT_RC(case_act(&x, p, &ext, NULL, &e), RC_INVALID);
        err_clear(&e);
        ACT(&x, p, "consult-third-party", "2018-10-25 16:00");
        ACT(&x, p, "third-party-answered", "2018-11-05 10:00");
        st = state_at(&x, p, 0);
        const char *ev3[] = { "extend@2018-10-20 10:00:15", "pause@2018-10-25 16:00",
                              "resume@2018-11-05 10:00", NULL };
        ASSERT_EQ_INT(st.dl.due, engine_due(&x, "disclosure-2008", "2018-09-28 10:00", ev3));
        ASSERT(st.dl.due > engine_due(&x, "disclosure-2008", "2018-09-28 10:00", ev2));
        /* An extension after the due time is refused by the engine. */
        char *late = add(&x, CASE_CONSULTATION, "市人社局", "2018-10-08 09:00");
        ext = (struct case_action){ .type = "extend",
                                    .at = T("2018-10-30 10:00"),
                                    .roles = CASE_ROLES_STAFF,
                                    .reply_public = -1 };
        ASSERT_RC(case_act(&x, late, &ext, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "the period already ended");
        err_clear(&e);
        /* Consultation: extended to 15 working days in all. */
        ext.at = T("2018-10-10 10:00");
        ASSERT_OK(case_act(&x, late, &ext, &st, &e), &e);
        ASSERT_EQ_INT(st.dl.working_days, 15);
        /* The 找错 half-day rule: received on a Friday night, due Monday noon. */
        char *zc = add(&x, CASE_ERROR_REPORT, "市人社局", "2018-11-30 23:59");
        st = state_at(&x, zc, 0);
        time_fmt_iso(st.dl.due, TZ_CST, ds);
        ASSERT_EQ_STR(ds, "2018-12-03T12:00:00+08:00");
        ACT(&x, zc, "handle", "2018-12-03 12:30");
        st = state_at(&x, zc, 0);
        ASSERT_EQ_INT(st.timing, CASE_OPEN_OVERDUE); /* handled late, awaiting review */
        ACT(&x, zc, "review", "2018-12-03 15:00");
        st = state_at(&x, zc, 0);
        ASSERT_EQ_INT(st.timing, CASE_LATE);
        ASSERT_EQ_INT(st.replied_at, T("2018-12-03 12:30")); /* the handling is judged */
        /* The explanation is the engine's. */
        struct deadline_explain ex;
        deadline_explain_init(&ex);
        ar = (struct arena)ARENA_INIT;
        ASSERT_OK(case_get(&x, r, &ar, &it, &e), &e);
        ASSERT_OK(case_state_at(&x, &it, clk_now(&ck), &st, &ex, &e), &e);
        struct buf t = BUF_INIT;
        deadline_explain_text(&ex, &t);
        ASSERT_CONTAINS(buf_cstr(&t), "调休上班（国庆节）");
        ASSERT_CONTAINS(buf_cstr(&t), "期限届满：2019年11月5日");
        buf_release(&t);
        deadline_explain_release(&ex);
        arena_release(&ar);
        free(a), free(c), free(r), free(o), free(p), free(late), free(zc);
        case_ctx_release(&x);
        t_close(db);
    }
}

/* --- Statistics as of several moments ------------------------------------------------------- */

static struct case_stats stats(struct case_ctx *x, unsigned kinds, const char *as_of)
{
    struct case_stats_result r;
    struct err e = { 0 };
    ASSERT_OK(case_stats(x, kinds, date_from_ymd(2018, 11, 1), date_from_ymd(2018, 11, 30),
                         T(as_of), CASE_BY_NONE, &r, &e),
              &e);
    struct case_stats s = r.total;
    case_stats_release(&r);
    return s;
}

#define ASSERT_STATS(s, rec, on, late, notdue, over) \
    do {                                             \
        ASSERT_EQ_INT((s).received, rec);            \
        ASSERT_EQ_INT((s).closed_on_time, on);       \
        ASSERT_EQ_INT((s).closed_late, late);        \
        ASSERT_EQ_INT((s).closed, (on) + (late));    \
        ASSERT_EQ_INT((s).open_not_due, notdue);     \
        ASSERT_EQ_INT((s).open_overdue, over);       \
    } while (0)

TEST(cases_stats_as_of)
{
    for (int b = 0; b < t_backends(); b++) {
        struct clk ck = clock_at("2018-12-01 09:00");
        struct case_ctx x;
        struct store *db = setup(b, &x, &ck, NULL);
        unsigned q = CASE_KIND_BIT(CASE_CONSULTATION);
        /* Consultation: 7 working days.  A answered in time, B late, C never, D at the
         * month's end; E in October and F a disclosure are outside the question. */
        char *A = add(&x, CASE_CONSULTATION, "市人社局", "2018-11-01 10:00"); /* due 11-12 */
        char *B = add(&x, CASE_CONSULTATION, "市教育局", "2018-11-01 10:00"); /* due 11-12 */
        char *C = add(&x, CASE_CONSULTATION, "市人社局", "2018-11-02 10:00"); /* due 11-13 */
        char *D = add(&x, CASE_CONSULTATION, "市人社局", "2018-11-28 10:00"); /* due 12-07 */
        char *E = add(&x, CASE_CONSULTATION, "市人社局", "2018-10-31 10:00");
        char *F = add(&x, CASE_DISCLOSURE, "市人社局", "2018-11-01 10:00");
        ACT(&x, A, "answer", "2018-11-05 10:00");
        ACT(&x, B, "answer", "2018-11-20 10:00");
        struct case_stats s = stats(&x, q, "2018-11-02 23:59:59");
        ASSERT_STATS(s, 3, 0, 0, 3, 0);
        ASSERT(!s.rate_defined); /* nothing is due yet: null, not 0 */
        s = stats(&x, q, "2018-11-10 23:59:59");
        ASSERT_STATS(s, 3, 1, 0, 2, 0);
        ASSERT(s.rate_defined);
        ASSERT_EQ_DBL(s.on_time_rate, 1.0, 1e-9);
        s = stats(&x, q, "2018-11-15 12:00");
        ASSERT_STATS(s, 3, 1, 0, 0, 2);
        ASSERT_EQ_DBL(s.on_time_rate, 1.0 / 3, 1e-9);
        s = stats(&x, q, "2018-12-01 23:59:59");
        ASSERT_STATS(s, 4, 1, 1, 1, 1);
        ASSERT_EQ_DBL(s.on_time_rate, 1.0 / 3, 1e-9);
        /* Means over closed items: A 4 days / 2 working days; B 19 / 13 (by hand). */
        ASSERT_EQ_DBL(s.mean_days, 11.5, 1e-9);
        ASSERT_EQ_DBL(s.mean_working_days, 7.5, 1e-9);
        /* Later events do not change an earlier moment's figures. */
        struct clk later = clock_at("2018-12-10 09:00");
        x.clk = &later;
        ACT(&x, C, "answer", "2018-12-04 10:00");
        ACT(&x, D, "answer", "2018-12-05 10:00");
        ACT(&x, A, "reopen", "2018-12-06 10:00");
        s = stats(&x, q, "2018-12-01 23:59:59");
        ASSERT_STATS(s, 4, 1, 1, 1, 1);
        s = stats(&x, q, "2018-12-10 09:00");
        ASSERT_STATS(s, 4, 1, 2, 0, 1); /* A reopened past its limit: overdue again */
        ASSERT_EQ_DBL(s.on_time_rate, 1.0 / 4, 1e-9);
        /* By unit, at the unit the item had at that moment. */
        struct case_stats_result r;
        struct err e = { 0 };
        ASSERT_OK(case_stats(&x, q, date_from_ymd(2018, 11, 1), date_from_ymd(2018, 11, 30),
                             T("2018-12-01 23:59:59"), CASE_BY_UNIT, &r, &e),
                  &e);
        ASSERT_EQ_INT(r.groups.n, 2);
        ASSERT_EQ_STR(r.groups.v[0].label, "市人社局");
        ASSERT_STATS(r.groups.v[0].s, 3, 1, 0, 1, 1);
        ASSERT_EQ_STR(r.groups.v[1].label, "市教育局");
        ASSERT_STATS(r.groups.v[1].s, 1, 0, 1, 0, 0);
        ASSERT_EQ_DBL(r.groups.v[1].s.on_time_rate, 0, 1e-9);
        case_stats_release(&r);
        /* Two kinds at once, as the bulletin's 咨询和投诉. */
        s = stats(&x, q | CASE_KIND_BIT(CASE_DISCLOSURE), "2018-12-01 23:59:59");
        ASSERT_EQ_INT(s.received, 5);
        free(A), free(B), free(C), free(D), free(E), free(F);
        case_ctx_release(&x);
        t_close(db);
    }
}

TEST(cases_queries)
{
    for (int b = 0; b < t_backends(); b++) {
        struct clk ck = clock_at("2018-11-15 12:00");
        struct case_ctx x;
        struct store *db = setup(b, &x, &ck, NULL);
        char *A = add(&x, CASE_CONSULTATION, "市人社局", "2018-11-01 10:00"); /* due 11-12 */
        char *B = add(&x, CASE_CONSULTATION, "市教育局", "2018-11-08 10:00"); /* due 11-19 */
        char *C = add(&x, CASE_CONSULTATION, "市人社局", "2018-11-12 10:00"); /* due 11-21 */
        char *D = add(&x, CASE_ERROR_REPORT, "市人社局", "2018-11-15 09:00"); /* due 11-16 12:00 */
        struct case_filter f = { .from = DATE_NONE, .to = DATE_NONE, .which = CASE_LIST_OVERDUE };
        struct case_list l;
        struct err e = { 0 };
        ASSERT_OK(case_query(&x, &f, &l, &e), &e);
        ASSERT_EQ_INT(l.items.n, 1);
        ASSERT_EQ_STR(l.items.v[0].number, A);
        case_list_release(&l);
        f.which = CASE_LIST_DUE_SOON;
        f.due_within = 2; /* by the end of 11-19 */
        ASSERT_OK(case_query(&x, &f, &l, &e), &e);
        ASSERT_EQ_INT(l.items.n, 2);
        ASSERT_EQ_STR(l.items.v[0].number, B);
        ASSERT_EQ_STR(l.items.v[1].number, D);
        case_list_release(&l);
        f.due_within = 0;
        ASSERT_OK(case_query(&x, &f, &l, &e), &e);
        ASSERT_EQ_INT(l.items.n, 0);
        case_list_release(&l);
        /* As of an earlier moment nothing was overdue; by unit. */
        f = (struct case_filter){ .from = DATE_NONE,
                                  .to = DATE_NONE,
                                  .which = CASE_LIST_OVERDUE,
                                  .as_of = T("2018-11-12 20:00") };
        ASSERT_OK(case_query(&x, &f, &l, &e), &e);
        ASSERT_EQ_INT(l.items.n, 0);
        case_list_release(&l);
        f = (struct case_filter){ .from = DATE_NONE,
                                  .to = DATE_NONE,
                                  .which = CASE_LIST_ALL,
                                  .unit_id = unit_id(db, "市人社局"),
                                  .kinds = CASE_KIND_BIT(CASE_CONSULTATION) };
        ASSERT_OK(case_query(&x, &f, &l, &e), &e);
        ASSERT_EQ_INT(l.items.n, 2);
        case_list_release(&l);
        /* Reassigned: at the earlier moment it was still the first unit's. */
        struct case_action a = { .type = "assign",
                                 .unit_id = unit_id(db, "市教育局"),
                                 .roles = CASE_ROLES_STAFF,
                                 .reply_public = -1 };
        ASSERT_OK(case_act(&x, C, &a, NULL, &e), &e);
        ASSERT_OK(case_query(&x, &f, &l, &e), &e);
        ASSERT_EQ_INT(l.items.n, 1);
        case_list_release(&l);
        f.as_of = T("2018-11-13 10:00");
        ASSERT_OK(case_query(&x, &f, &l, &e), &e);
        ASSERT_EQ_INT(l.items.n, 2);
        case_list_release(&l);
        free(A), free(B), free(C), free(D);
        case_ctx_release(&x);
        t_close(db);
    }
}

/* --- The seed's November 2018, through the import ----------------------------------------------
 */

static void import_ok(struct case_ctx *x, enum case_kind k, const char *name, const char *csv,
                      size_t n, const char *map, struct case_import_result *res)
{
    struct case_map m = { 0 };
    struct err e = { 0 };
    struct notes bad = NOTES_INIT;
    if (map)
        ASSERT_OK(case_map_parse("map", map, strlen(map), &m, &e), &e);
    enum rc rc = case_import_mem(x, k, name, csv, n, map ? &m : NULL, "tester", res, &bad, &e);
    if (rc)
        t_fail(__FILE__, __LINE__, "%s: %s (%s)", name, err_msg(&e), bad.n ? bad.v[0] : "");
    notes_release(&bad);
    case_map_release(&m);
}

TEST(cases_seed_november_2018)
{
    static const char *const units[] = { "市人社局", "市教育局", "香洲区" };
    static const char *const sites[] = { "示范市人民政府门户网站", "人社局网站" };
    static const char *const site_units[] = { "市政府办公室", "市人社局" };
    for (int b = 0; b < t_backends(); b++) {
        struct clk ck = clock_at("2018-12-12 09:00"); /* the bulletin's date */
        struct case_ctx x;
        struct store *db = setup(b, &x, &ck, NULL);
        static const enum case_kind kinds[] = { CASE_DISCLOSURE, CASE_CONSULTATION,
                                                CASE_ERROR_REPORT };
        for (size_t i = 0; i < 3; i++) {
            struct fixture_cases f;
            fixture_cases_seed(kinds[i], &f);
            f.units = units;
            f.nunits = 3;
            if (kinds[i] == CASE_ERROR_REPORT) {
                f.sites = sites;
                f.site_units = site_units;
                f.nsites = 2;
            }
            struct buf csv = BUF_INIT;
            struct err e = { 0 };
            ASSERT_OK(fixture_cases_csv(x.cal, case_rule_for(&x, kinds[i], T("2018-11-01")), &f,
                                        &csv, &e),
                      &e);
            struct case_import_result res;
            import_ok(&x, kinds[i], "export.csv", csv.p, csv.n,
                      kinds[i] == CASE_ERROR_REPORT ? FIXTURE_CASES_ERROR_MAP : NULL, &res);
            ASSERT_EQ_INT(res.added, f.total);
            /* Importing the same export again changes nothing. */
            import_ok(&x, kinds[i], "export.csv", csv.p, csv.n,
                      kinds[i] == CASE_ERROR_REPORT ? FIXTURE_CASES_ERROR_MAP : NULL, &res);
            ASSERT_EQ_INT(res.added, 0);
            ASSERT_EQ_INT(res.updated, 0);
            ASSERT_EQ_INT(res.unchanged, f.total);
            buf_release(&csv);
        }
        /* 收到网上依申请公开16宗，截至12月1日已处理11宗，无一宗逾期15个工作日未答复。 */
        struct case_stats s = stats(&x, CASE_KIND_BIT(CASE_DISCLOSURE), "2018-12-01 23:59:59");
        ASSERT_STATS(s, 16, 11, 0, 5, 0);
        /* 共收到咨询和投诉18宗，时效内已答复15宗，按时办结率为100%。 */
        s = stats(&x, CASE_KIND_BIT(CASE_CONSULTATION) | CASE_KIND_BIT(CASE_COMPLAINT),
                  "2018-12-01 23:59:59");
        ASSERT_STATS(s, 18, 15, 0, 3, 0);
        ASSERT(s.rate_defined);
        ASSERT_EQ_DBL(s.on_time_rate, 1.0, 1e-12);
        /* 共收到找错留言25宗，已处理25宗，无一宗逾期未处理。 */
        s = stats(&x, CASE_KIND_BIT(CASE_ERROR_REPORT), "2018-12-01 23:59:59");
        ASSERT_STATS(s, 25, 25, 0, 0, 0);
        /* Every 找错 message went through handle and review; the 15-working-day rule of the
         * time applied to the requests. */
        int64_t n = 0;
        struct err e = { 0 };
        ASSERT_OK(store_get_int(db, &n, &e,
                                "SELECT COUNT(*) FROM case_events e JOIN cases c ON c.id = "
                                "e.case_id WHERE c.kind = 'error-report' AND e.type = 'review'",
                                ""),
                  &e);
        ASSERT_EQ_INT(n, 25);
        ASSERT_OK(store_get_int(db, &n, &e,
                                "SELECT COUNT(*) FROM cases WHERE kind = 'disclosure' AND rule = "
                                "'disclosure-2008'",
                                ""),
                  &e);
        ASSERT_EQ_INT(n, 16);
        /* The annual report's counts come from the outcomes. */
        int(*counts)[CASE_NREQTYPES + 1] = calloc(case_noutcomes, sizeof(*counts));
        ASSERT_OK(case_outcome_counts(&x, CASE_KIND_BIT(CASE_DISCLOSURE),
                                      date_from_ymd(2018, 11, 1), date_from_ymd(2018, 12, 31),
                                      T("2018-12-01 23:59:59"), counts, &e),
                  &e);
        int total = 0, pub = 0;
        for (size_t i = 0; i < case_noutcomes; i++)
            for (int j = 0; j <= CASE_NREQTYPES; j++) {
                total += counts[i][j];
                if (!strcmp(case_outcomes[i].key, "public"))
                    pub += counts[i][j];
            }
        ASSERT_EQ_INT(total, 11);
        ASSERT(pub > 0 && pub < 11);
        ASSERT(counts[0][0] > 0); /* 自然人 asked for and got 予以公开 */
        free(counts);
        case_ctx_release(&x);
        t_close(db);
    }
}

TEST(cases_export_roundtrip)
{
    /* Every way of closing, exported masked, re-imported unchanged, and imported into
     * another database with the same figures. */
    for (int b = 0; b < t_backends(); b++) {
        struct clk ck = clock_at("2018-12-01 09:00");
        struct case_ctx x, y;
        struct store *db = setup(b, &x, &ck, NULL);
        struct case_new n = { .kind = CASE_DISCLOSURE,
                              .unit_id = unit_id(db, "市人社局"),
                              .received_at = T("2018-11-05 09:30"),
                              .requester = "张三",
                              .contact = "13812345678",
                              .requester_type = "自然人",
                              .channel = "当面",
                              .subject = "预算, \"公开\"" };
        char *d1 = NULL, *d2 = NULL, *d3 = NULL;
        struct err e = { 0 };
        ASSERT_OK(case_add(&x, &n, &d1, &e), &e);
        ASSERT_OK(case_add(&x, &n, &d2, &e), &e);
        n.requester = "示范市某某律师事务所";
        n.requester_type = "法律服务机构";
        ASSERT_OK(case_add(&x, &n, &d3, &e), &e);
        ACT(&x, d1, "request-correction", "2018-11-06 10:00");
        ACT(&x, d1, "abandon", "2018-11-26 10:00");
        struct case_action a = { .type = "answer",
                                 .outcome = "5.2",
                                 .reply = "重复申请",
                                 .reply_public = 1,
                                 .roles = CASE_ROLES_STAFF,
                                 .at = T("2018-11-20 10:00") };
        ASSERT_OK(case_act(&x, d2, &a, NULL, &e), &e);
        ACT(&x, d3, "withdraw", "2018-11-07 10:00");
        char *q1 = add(&x, CASE_COMPLAINT, "市教育局", "2018-11-01 10:00");
        a = (struct case_action){ .type = "answer",
                                  .outcome = "unfounded",
                                  .roles = CASE_ROLES_STAFF,
                                  .at = T("2018-11-20 10:00") };
        ASSERT_OK(case_act(&x, q1, &a, NULL, &e), &e);
        char *q2 = add(&x, CASE_COMPLAINT, "市教育局", "2018-11-02 10:00"); /* open, overdue */
        char *z1 = add(&x, CASE_ERROR_REPORT, "市人社局", "2018-11-05 10:00");
        ACT(&x, z1, "handle", "2018-11-05 16:00");
        ACT(&x, z1, "review", "2018-11-06 09:00");
        char *z2 = add(&x, CASE_ERROR_REPORT, "市人社局", "2018-11-05 10:00");
        ACT(&x, z2, "reject", "2018-11-05 11:00");
        char *z3 = add(&x, CASE_ERROR_REPORT, "市人社局", "2018-11-29 10:00");
        ACT(&x, z3, "handle", "2018-11-30 14:00"); /* late, awaiting review */
        struct buf csv[CASE_NKINDS];
        struct case_stats before[CASE_NKINDS];
        for (int k = 0; k < CASE_NKINDS; k++) {
            struct case_filter f = { .kinds = CASE_KIND_BIT(k),
                                     .from = DATE_NONE,
                                     .to = DATE_NONE };
            csv[k] = (struct buf)BUF_INIT;
            ASSERT_OK(case_export_csv(&x, &f, &csv[k], &e), &e);
            before[k] = stats(&x, CASE_KIND_BIT(k), "2018-12-01 09:00");
        }
        ASSERT_NOT_CONTAINS(csv[CASE_DISCLOSURE].p, "张三");
        ASSERT_NOT_CONTAINS(csv[CASE_DISCLOSURE].p, "13812345678");
        ASSERT_CONTAINS(csv[CASE_DISCLOSURE].p, "张*");
        ASSERT_CONTAINS(csv[CASE_DISCLOSURE].p, "示范市某某律师事务所"); /* not personal */
        ASSERT_CONTAINS(csv[CASE_DISCLOSURE].p, "\"预算, \"\"公开\"\"\"");
        for (int k = 0; k < CASE_NKINDS; k++) {
            struct case_import_result res;
            import_ok(&x, (enum case_kind)k, "export.csv", csv[k].p ? csv[k].p : "", csv[k].n, NULL,
                      &res);
            ASSERT_EQ_INT(res.added + res.updated, 0);
        }
        struct store *db2 = setup(b, &y, &ck, NULL);
        for (int k = 0; k < CASE_NKINDS; k++) {
            struct case_import_result res;
            import_ok(&y, (enum case_kind)k, "export.csv", csv[k].p ? csv[k].p : "", csv[k].n, NULL,
                      &res);
            struct case_stats s = stats(&y, CASE_KIND_BIT(k), "2018-12-01 09:00");
            ASSERT_STATS(s, before[k].received, before[k].closed_on_time, before[k].closed_late,
                         before[k].open_not_due, before[k].open_overdue);
            buf_release(&csv[k]);
        }
        ASSERT_STATS(before[CASE_ERROR_REPORT], 3, 2, 0, 0, 1);
        ASSERT_STATS(before[CASE_COMPLAINT], 2, 0, 1, 0, 1); /* answered after 11-12 */
        ASSERT_STATS(before[CASE_DISCLOSURE], 3, 3, 0, 0, 0);
        free(d1), free(d2), free(d3), free(q1), free(q2), free(z1), free(z2), free(z3);
        case_ctx_release(&y);
        t_close(db2);
        case_ctx_release(&x);
        t_close(db);
    }
}

TEST(cases_fixture_other_figures)
{
    /* The generator honours late and overdue too, and the statistics find them. */
    for (int b = 0; b < t_backends(); b++) {
        struct clk ck = clock_at("2019-01-15 09:00");
        struct case_ctx x;
        struct store *db = setup(b, &x, &ck, NULL);
        static const char *const units[] = { "市人社局" };
        struct fixture_cases f;
        fixture_cases_seed(CASE_COMPLAINT, &f);
        f.total = 12, f.on_time = 5, f.late = 3, f.overdue = 2;
        f.units = units, f.nunits = 1;
        struct buf csv = BUF_INIT;
        struct err e = { 0 };
        ASSERT_OK(fixture_cases_csv(x.cal, case_rule_for(&x, CASE_COMPLAINT, T("2018-11-01")), &f,
                                    &csv, &e),
                  &e);
        struct case_import_result res;
        import_ok(&x, CASE_COMPLAINT, "ts.csv", csv.p, csv.n, NULL, &res);
        struct case_stats s = stats(&x, CASE_KIND_BIT(CASE_COMPLAINT), "2018-12-01 23:59:59");
        ASSERT_STATS(s, 12, 5, 3, 2, 2);
        ASSERT_EQ_DBL(s.on_time_rate, 5.0 / 10, 1e-12);
        buf_release(&csv);
        case_ctx_release(&x);
        t_close(db);
    }
}

/* --- Import: bad rows, updates, encodings --------------------------------------------------- */

static int64_t count_rows(struct store *db, const char *table)
{
    char sql[80];
    snprintf(sql, sizeof(sql), "SELECT COUNT(*) FROM %s", table);
    int64_t n = -1;
    store_get_int(db, &n, NULL, sql, "");
    return n;
}

TEST(cases_import_bad_rows)
{
    static const char csv[] =
        "申请编号,申请时间,申请人,申请人类型,受理单位,答复时间,答复类型,办理状态\n"
        "YSQ-1,2018/11/5 9:30,张三,自然人,市人社局,2018/11/6 10:00,予以公开,\n" /* good */
        "YSQ-2,2018/13/5 9:30,李四,自然人,市人社局,,,\n"                        /* 3: date */
        "YSQ-3,2018/11/5 9:30,王五,自然人,不存在局,,,\n"                        /* 4: unit */
        "YSQ-4,2018/11/5 9:30,赵六,自然人,市人社局,2018/11/6,随便,\n"           /* 5: outcome */
        "YSQ-1,2018/11/5 9:30,张三,自然人,市人社局,,,\n"                        /* 6: duplicate */
        "YSQ-6,2018/11/5 9:30,钱七,自然人,市人社局,2018/11/4,予以公开,\n"       /* 7: order */
        "YSQ-7,2018/11/5 9:30,孙八,自然人,市人社局,2018/11/6,,\n"               /* 8: no outcome */
        "YSQ-8,2018/11/5 9:30,周九,外星人,市人社局,,,\n"                        /* 9: type */
        ",2018/11/5 9:30,吴十,自然人,市人社局,,,\n"                             /* 10: number */
        "YSQ-10,2018/11/5 9:30,郑一,自然人,市人社局,,,已办结\n"                 /* 11: no time */
        "YSQ-11,2018/11/5 9:30,冯二,自然人,市人社局,2018/11/6,予以公开,暂缓\n"  /* 12: status */
        "YSQ-12,2018/12/5 9:30,陈三,自然人,市人社局,,,\n";                      /* 13: future */
    for (int b = 0; b < t_backends(); b++) {
        struct case_ctx x;
        struct store *db = setup(b, &x, t_clk(), NULL);
        struct case_import_result res;
        struct notes bad = NOTES_INIT;
        struct err e = { 0 };
        ASSERT_RC(case_import_mem(&x, CASE_DISCLOSURE, "ysq.csv", csv, strlen(csv), NULL, "t", &res,
                                  &bad, &e),
                  RC_INVALID);
        ASSERT_CONTAINS(e.msg, "11 bad rows in ysq.csv; nothing was imported");
        static const char *const want[] = {
            "ysq.csv:3: received '2018/13/5 9:30' is not a time",
            "ysq.csv:4: no unit named '不存在局'",
            "ysq.csv:5: unknown outcome '随便'",
            "ysq.csv:6: the number YSQ-1 appears again (first on line 2)",
            "ysq.csv:7: closed 2018-11-04 00:00:00 is before received",
            "ysq.csv:8: a closed 依申请公开 needs its outcome",
            "ysq.csv:9: unknown requester type '外星人'",
            "ysq.csv:10: no tracking number",
            "ysq.csv:11: status '已办结' says it is closed but there is no closing time",
            "ysq.csv:12: unknown status '暂缓'",
            "ysq.csv:13: the receipt time 2018-12-05 09:30:00 is in the future",
        };
        ASSERT_EQ_INT(bad.total, 11);
        for (size_t i = 0; i < sizeof(want) / sizeof(want[0]); i++) {
            bool found = false;
            for (size_t j = 0; j < bad.n; j++)
                found |= strstr(bad.v[j], want[i]) != NULL;
            if (!found)
                t_fail(__FILE__, __LINE__, "no note '%s' (first: %s)", want[i], bad.v[0]);
        }
        notes_release(&bad);
        ASSERT_EQ_INT(count_rows(db, "cases"), 0);
        ASSERT_EQ_INT(count_rows(db, "case_events"), 0);
        /* A header without the required columns. */
        err_clear(&e);
        ASSERT_RC(case_import_mem(&x, CASE_DISCLOSURE, "h.csv", "foo,bar\n1,2\n", 12, NULL, "t",
                                  &res, &bad, &e),
                  RC_INVALID);
        ASSERT_CONTAINS(e.msg, "h.csv:1: no column for number");
        notes_release(&bad);
        case_ctx_release(&x);
        t_close(db);
    }
}

TEST(cases_import_updates)
{
    for (int b = 0; b < t_backends(); b++) {
        struct case_ctx x;
        struct store *db = setup(b, &x, t_clk(), NULL);
        const char *v1 = "编号,留言时间,单位,标题,联系电话\n"
                         "ZX-1,2018-11-05 09:30,市人社局,社保咨询,13812345678\n"
                         "ZX-2,2018-11-06 09:30,市人社局,学位咨询,\n";
        struct case_import_result res;
        import_ok(&x, CASE_CONSULTATION, "v1.csv", v1, strlen(v1), NULL, &res);
        ASSERT_EQ_INT(res.added, 2);
        int64_t events = count_rows(db, "case_events");
        ASSERT_EQ_INT(events, 2);
        /* The next export: ZX-1 answered, ZX-2's subject corrected. */
        const char *v2 =
            "编号,留言时间,单位,标题,联系电话,回复时间,回复内容\n"
            "ZX-1,2018-11-05 09:30,市人社局,社保咨询,13812345678,2018-11-07 10:00,已答复\n"
            "ZX-2,2018-11-06 09:30,市人社局,学位申请咨询,,,\n";
        import_ok(&x, CASE_CONSULTATION, "v2.csv", v2, strlen(v2), NULL, &res);
        ASSERT_EQ_INT(res.added, 0);
        ASSERT_EQ_INT(res.updated, 2);
        struct case_state st = state_at(&x, "ZX-1", 0);
        ASSERT_EQ_INT(st.status, CASE_ANSWERED);
        ASSERT_EQ_INT(st.timing, CASE_ON_TIME);
        struct arena a = ARENA_INIT;
        struct case_item it;
        struct err e = { 0 };
        ASSERT_OK(case_get(&x, "ZX-2", &a, &it, &e), &e);
        ASSERT_EQ_STR(it.subject, "学位申请咨询");
        ASSERT_EQ_STR(it.ev[it.nev - 1].tr->name, "edit");
        ASSERT_CONTAINS(it.ev[it.nev - 1].payload,
                        "\"subject\":{\"from\":\"学位咨询\",\"to\":\"学位申请咨询\"}");
        ASSERT_OK(case_get(&x, "ZX-1", &a, &it, &e), &e);
        ASSERT_EQ_STR(it.reply, "已答复");
        ASSERT_CONTAINS(it.ev[1].payload, "\"line\":2");
        arena_release(&a);
        import_ok(&x, CASE_CONSULTATION, "v2.csv", v2, strlen(v2), NULL, &res);
        ASSERT_EQ_INT(res.unchanged, 2);
        /* A file that disagrees with a closure in govsite is refused. */
        const char *v3 =
            "编号,留言时间,单位,回复时间\nZX-1,2018-11-05 09:30,市人社局,2018-11-08 10:00\n";
        struct notes bad = NOTES_INIT;
        ASSERT_RC(case_import_mem(&x, CASE_CONSULTATION, "v3.csv", v3, strlen(v3), NULL, "t", &res,
                                  &bad, &e),
                  RC_INVALID);
        ASSERT_EQ_INT(bad.total, 1);
        ASSERT_CONTAINS(bad.v[0], "v3.csv:2: ZX-1 is 已答复 at 2018-11-07 10:00:00 in govsite");
        notes_release(&bad);
        /* Wrong kind, changed receipt. */
        ASSERT_RC(case_import_mem(&x, CASE_COMPLAINT, "v4.csv", v1, strlen(v1), NULL, "t", &res,
                                  &bad, &e),
                  RC_INVALID);
        ASSERT_CONTAINS(bad.v[0], "is a 咨询 item in govsite, not 投诉");
        notes_release(&bad);
        const char *v5 = "编号,留言时间,单位\nZX-2,2018-11-06 09:31,市人社局\n";
        ASSERT_RC(case_import_mem(&x, CASE_CONSULTATION, "v5.csv", v5, strlen(v5), NULL, "t", &res,
                                  &bad, &e),
                  RC_INVALID);
        ASSERT_CONTAINS(bad.v[0], "the receipt fixes the deadline");
        notes_release(&bad);
        ASSERT_EQ_INT(count_rows(db, "cases"), 2);
        case_ctx_release(&x);
        t_close(db);
    }
}

TEST(cases_import_gb18030_and_map)
{
    const char *utf8 =
        "序号,提交日期,责任处室,网站名称,问题页面,状态,处理时间\n"
        "ZC-9,2018年11月5日 下午3:20,市人社局,人社局网站,http://rsj.shifan.test/a.html,已办结,2018年11月6日 上午9时10分\n";
    iconv_t cd = iconv_open("GB18030", "UTF-8");
    ASSERT(cd != (iconv_t)-1);
    char gb[1024], *in = (char *)utf8, *out = gb;
    size_t nin = strlen(utf8), nout = sizeof(gb);
    ASSERT(iconv(cd, &in, &nin, &out, &nout) != (size_t)-1);
    iconv_close(cd);
    size_t ngb = sizeof(gb) - nout;
    ASSERT(memcmp(gb, utf8, ngb < strlen(utf8) ? ngb : strlen(utf8))); /* really re-encoded */
    for (int b = 0; b < t_backends(); b++) {
        struct case_ctx x;
        struct store *db = setup(b, &x, t_clk(), NULL);
        struct case_import_result res;
        /* Without a mapping the number and the receipt have no column. */
        struct notes bad = NOTES_INIT;
        struct err e = { 0 };
        ASSERT_RC(
            case_import_mem(&x, CASE_ERROR_REPORT, "zc.csv", gb, ngb, NULL, "t", &res, &bad, &e),
            RC_INVALID);
        ASSERT_CONTAINS(e.msg, "no column for number");
        ASSERT_CONTAINS(e.msg, "the header has 序号, 提交日期");
        notes_release(&bad);
        err_clear(&e);
        import_ok(&x, CASE_ERROR_REPORT, "zc.csv", gb, ngb,
                  "number=序号, received = 提交日期 | 留言时间, unit=责任处室", &res);
        ASSERT_EQ_INT(res.added, 1);
        struct arena a = ARENA_INIT;
        struct case_item it;
        ASSERT_OK(case_get(&x, "ZC-9", &a, &it, &e), &e);
        ASSERT_EQ_INT(it.received_at, T("2018-11-05 15:20"));
        ASSERT_EQ_INT(it.site_id, site_id(db, "人社局网站"));
        ASSERT_EQ_STR(it.page_url, "http://rsj.shifan.test/a.html");
        ASSERT_EQ_INT(it.status, CASE_CLOSED);
        ASSERT_EQ_INT(it.replied_at, T("2018-11-06 09:10"));
        arena_release(&a);
        case_ctx_release(&x);
        t_close(db);
    }
}

TEST(cases_map_parse)
{
    struct case_map m;
    struct err e = { 0 };
    const char *file =
        "# 全国政府网站信息报送系统 纠错导出\nnumber = 问题编号\n\nunit = 转办单位 | 办理单位\n";
    ASSERT_OK(case_map_parse("zc.map", file, strlen(file), &m, &e), &e);
    ASSERT_EQ_STR(m.headers[CASE_F_NUMBER], "问题编号");
    ASSERT_EQ_STR(m.headers[CASE_F_UNIT], "转办单位|办理单位");
    ASSERT_NULL(m.headers[CASE_F_SITE]);
    case_map_release(&m);
    const char *inl = "number=编号,closed=审核时间";
    ASSERT_OK(case_map_parse("--map", inl, strlen(inl), &m, &e), &e);
    ASSERT_EQ_STR(m.headers[CASE_F_CLOSED], "审核时间");
    case_map_release(&m);
    static const struct {
        const char *in, *msg;
    } bad[] = {
        { "nonsense=x", "unknown field 'nonsense'; the fields are number, unit" },
        { "number=", "no header name for number" },
        { "number=a,number=b", "number is mapped twice" },
        { "a\nnumber", "zc.map:1: 'a' is not field=header" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        err_clear(&e);
        ASSERT_RC(case_map_parse("zc.map", bad[i].in, strlen(bad[i].in), &m, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, bad[i].msg);
    }
}

/* --- The audit log ------------------------------------------------------------------------------
 */

static char *dump_events(struct store *db)
{
    struct buf b = BUF_INIT;
    struct stmt *st = store_q(db,
                              "SELECT id, case_id, seq, type, at, recorded_at, actor, from_status, "
                              "to_status, days, outcome, unit_id, note, payload FROM case_events "
                              "ORDER BY id",
                              "");
    while (stmt_next(st)) {
        for (int i = 0; i < 14; i++)
            buf_addf(&b, "%s|", stmt_null(st, i) ? "∅" : stmt_str(st, i));
        buf_addc(&b, '\n');
    }
    struct err e = { 0 };
    ASSERT_OK(stmt_done(st, &e), &e);
    return buf_take(&b);
}

TEST(cases_audit_log_append_only)
{
    for (int b = 0; b < t_backends(); b++) {
        struct clk ck = clock_at("2018-12-01 09:00");
        struct case_ctx x;
        struct store *db = setup(b, &x, &ck, NULL);
        char *n = add(&x, CASE_DISCLOSURE, "市人社局", "2018-11-05 09:30");
        ACT(&x, n, "consult-third-party", "2018-11-06 10:00");
        ACT(&x, n, "third-party-answered", "2018-11-16 10:00");
        char *before = dump_events(db);
        ASSERT_EQ_INT(count_rows(db, "case_events"), 3);
        ACT(&x, n, "answer", "2018-11-20 10:00");
        ACT(&x, n, "reopen", "2018-11-21 10:00");
        /* Later edits, steps and imports only append. */
        struct case_edit ed = { .subject = "新标题",
                                .contact = "13900000000",
                                .reply_public = -1,
                                .actor = "editor",
                                .note = "更正" };
        int changed = 0;
        struct err e = { 0 };
        ASSERT_OK(case_edit(&x, n, &ed, &changed, &e), &e);
        ASSERT_EQ_INT(changed, 2);
        ASSERT_OK(case_edit(&x, n, &ed, &changed, &e), &e);
        ASSERT_EQ_INT(changed, 0); /* nothing new: no event */
        char *after = dump_events(db);
        ASSERT_EQ_INT(count_rows(db, "case_events"), 6);
        ASSERT(!strncmp(after, before, strlen(before)));
        /* The edit names the personal field without its value. */
        ASSERT_CONTAINS(after, "\"contact\":\"changed\"");
        ASSERT_NOT_CONTAINS(after, "13900000000");
        ASSERT_CONTAINS(after, "\"subject\":{\"from\":\"测试\",\"to\":\"新标题\"}");
        /* The database itself refuses to change or delete an event. */
        ASSERT(store_exec(db, &e, "UPDATE case_events SET note = 'rewritten' WHERE seq = 1", "") !=
               RC_OK);
        ASSERT_CONTAINS(e.msg, "append-only");
        err_clear(&e);
        ASSERT(store_exec(db, &e, "UPDATE case_events SET at = at - 86400", "") != RC_OK);
        err_clear(&e);
        ASSERT(store_exec(db, &e, "DELETE FROM case_events WHERE seq = 2", "") != RC_OK);
        ASSERT_CONTAINS(e.msg, "append-only");
        err_clear(&e);
        ASSERT(store_exec(db, &e, "DELETE FROM cases", "") != RC_OK); /* events refer to them */
        err_clear(&e);
        if (store_kind(db) == STORE_PG) {
            ASSERT(store_script(db, "TRUNCATE case_events", &e) != RC_OK);
            err_clear(&e);
        }
        char *again = dump_events(db);
        ASSERT_EQ_STR(again, after);
        free(before), free(after), free(again), free(n);
        case_ctx_release(&x);
        t_close(db);
    }
}

TEST(cases_schema_dialect_files_hold_only_triggers)
{
    /* Migration 0005: the tables are in the portable 0005_cases.sql; each engine's file
     * adds only the append-only triggers (docs/storage.md), so nothing is written twice. */
    static const char *files[] = { "schema/0005_cases.sqlite.sql", "schema/0005_cases.pg.sql" };
    struct err e = { 0 };
    struct buf g = BUF_INIT;
    ASSERT_OK(res_load("schema/0005_cases.sql", &g, NULL, &e), &e);
    ASSERT_CONTAINS(g.p, "CREATE TABLE case_events");
    ASSERT_NOT_CONTAINS(g.p, "CREATE TRIGGER");
    for (size_t i = 0; i < 2; i++) {
        struct buf d = BUF_INIT;
        ASSERT_OK(res_load(files[i], &d, NULL, &e), &e);
        ASSERT_CONTAINS(d.p, "CREATE TRIGGER");
        ASSERT_NOT_CONTAINS(d.p, "CREATE TABLE");
        buf_release(&d);
    }
    buf_release(&g);
}

/* --- Numbers, configuration, rendering -------------------------------------------------------- */

TEST(cases_numbers)
{
    for (int b = 0; b < t_backends(); b++) {
        struct case_ctx x;
        struct conf conf;
        conf_init(&conf);
        conf_set(&conf, "case.complaint", "prefix", "TSJB");
        struct store *db = setup(b, &x, t_clk(), &conf);
        char *a = add(&x, CASE_CONSULTATION, "市人社局", "2018-11-05 09:30");
        ASSERT_EQ_STR(a, "ZX-2018-0001");
        struct case_new n = { .kind = CASE_CONSULTATION,
                              .unit_id = unit_id(db, "市人社局"),
                              .received_at = T("2018-11-05 10:00"),
                              .number = "ZX-2018-0002" };
        char *m = NULL;
        struct err e = { 0 };
        ASSERT_OK(case_add(&x, &n, &m, &e), &e);
        char *c = add(&x, CASE_CONSULTATION, "市人社局", "2018-11-06 09:30");
        ASSERT_EQ_STR(c, "ZX-2018-0003"); /* skips the one given by hand */
        char *d = add(&x, CASE_CONSULTATION, "市人社局", "2017-12-31 23:00");
        ASSERT_EQ_STR(d, "ZX-2017-0001"); /* the receipt's year */
        char *t = add(&x, CASE_COMPLAINT, "市人社局", "2018-11-06 09:30");
        ASSERT_EQ_STR(t, "TSJB-2018-0001");
        char *z = add(&x, CASE_ERROR_REPORT, "市人社局", "2018-11-06 09:30");
        ASSERT_EQ_STR(z, "ZC-2018-0001");
        ASSERT_RC(case_add(&x, &n, NULL, &e), RC_CONFLICT);
        ASSERT_CONTAINS(e.msg, "tracking number 'ZX-2018-0002' is already used");
        err_clear(&e);
        n.number = " bad";
        ASSERT_RC(case_add(&x, &n, NULL, &e), RC_INVALID);
        err_clear(&e);
        n.number = NULL;
        n.unit_id = 0;
        ASSERT_RC(case_add(&x, &n, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "needs its responsible unit");
        err_clear(&e);
        n.site_id = site_id(db, "人社局网站"); /* the site's unit then */
        char *s = NULL;
        ASSERT_OK(case_add(&x, &n, &s, &e), &e);
        n.channel = "飞鸽";
        ASSERT_RC(case_add(&x, &n, NULL, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, "unknown channel '飞鸽'; use 网络 (online)");
        free(a), free(m), free(c), free(d), free(t), free(z), free(s);
        case_ctx_release(&x);
        conf_release(&conf);
        t_close(db);
    }
}

TEST(cases_config)
{
    struct clk ck = clock_at("2018-12-01 09:00");
    struct case_ctx x;
    struct err e = { 0 };
    struct conf conf;
    conf_init(&conf);
    conf_set(&conf, "case.disclosure", "rules", "disclosure-2019");
    conf_set(&conf, "case.complaint", "rules", "consultation, 2018-11-01 mailbox");
    conf_set(&conf, "deadline.mailbox", "days", "10");
    ASSERT_OK(case_ctx_init(&x, NULL, &conf, &ck, &e), &e);
    ASSERT_EQ_STR(case_rule_for(&x, CASE_DISCLOSURE, T("2018-11-05"))->name, "disclosure-2019");
    ASSERT_EQ_STR(case_rule_for(&x, CASE_COMPLAINT, T("2018-10-31 23:59"))->name, "consultation");
    ASSERT_EQ_STR(case_rule_for(&x, CASE_COMPLAINT, T("2018-11-01"))->name, "mailbox");
    ASSERT_EQ_STR(case_rule_for(&x, CASE_ERROR_REPORT, T("2018-11-01"))->name, "error-report-gd");
    case_ctx_release(&x);
    conf_release(&conf);
    /* The defaults. */
    ASSERT_OK(case_ctx_init(&x, NULL, NULL, &ck, &e), &e);
    ASSERT_EQ_STR(case_rule_for(&x, CASE_DISCLOSURE, T("2019-05-14 23:59"))->name,
                  "disclosure-2008");
    ASSERT_EQ_STR(case_rule_for(&x, CASE_DISCLOSURE, T("2019-05-15 00:00"))->name,
                  "disclosure-2019");
    ASSERT_EQ_STR(case_rule_for(&x, CASE_COMPLAINT, T("2019-05-15"))->name, "consultation");
    case_ctx_release(&x);
    static const struct {
        const char *section, *key, *val, *msg;
    } bad[] = {
        { "case.disclosure", "rules", "nonesuch", "unknown rule 'nonesuch'; the rules are" },
        { "case.disclosure", "rules",
          "disclosure-2008, 2019-05-15 disclosure-2019, 2018-01-01 consultation",
          "the dates must increase" },
        { "case.disclosure", "rules", "2019-05-15 disclosure-2019",
          "the first entry applies before any date" },
        { "case.disclosure", "colour", "red", "has no key 'colour'" },
        { "case.petition", "rules", "consultation", "[case.petition] is not a kind" },
        { "case.consultation", "prefix", "Z-X",
          "prefix 'Z-X' must be 1 to 12 ASCII letters or digits" },
    };
    for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
        conf_init(&conf);
        conf_set(&conf, bad[i].section, bad[i].key, bad[i].val);
        err_clear(&e);
        ASSERT_RC(case_ctx_init(&x, NULL, &conf, &ck, &e), RC_INVALID);
        ASSERT_CONTAINS(e.msg, bad[i].msg);
        conf_release(&conf);
    }
}

TEST(cases_json_and_text)
{
    for (int b = 0; b < t_backends(); b++) {
        struct clk ck = clock_at("2018-12-01 09:00");
        struct case_ctx x;
        struct store *db = setup(b, &x, &ck, NULL);
        struct case_new n = { .kind = CASE_DISCLOSURE,
                              .unit_id = unit_id(db, "市人社局"),
                              .received_at = T("2018-11-26 09:30"),
                              .requester = "张三丰",
                              .contact = "13812345678",
                              .requester_type = "自然人",
                              .channel = "网络",
                              .subject = "<script>x</script>" };
        char *num = NULL;
        struct err e = { 0 };
        ASSERT_OK(case_add(&x, &n, &num, &e), &e);
        struct arena a = ARENA_INIT;
        struct case_item it;
        struct case_state st;
        ASSERT_OK(case_get(&x, num, &a, &it, &e), &e);
        ASSERT_OK(case_state_at(&x, &it, clk_now(&ck), &st, NULL, &e), &e);
        struct buf out = BUF_INIT;
        struct jw w;
        jw_init(&w, &out, false);
        case_json(&w, &x, &it, &st, CASE_VIEW_MASKED, CASE_ROLE_UNIT, NULL, true);
        jw_finish(&w);
        const char *j = buf_cstr(&out);
        ASSERT_CONTAINS(j, "\"requester\":\"张**\"");
        ASSERT_CONTAINS(j, "\"contact\":\"138****5678\"");
        ASSERT_CONTAINS(j, "\"personal_data\":\"masked\"");
        ASSERT_NOT_CONTAINS(j, "张三丰");
        ASSERT_CONTAINS(j,
                        "<\\/script>"); /* JSON safe inside <script>; HTML escapes are the web's */
        ASSERT_CONTAINS(j, "\"status\":\"received\"");
        ASSERT_CONTAINS(j, "\"due\":\"2018-12-17T23:59:59+08:00\"");
        ASSERT_CONTAINS(j, "\"timing\":\"open_not_due\"");
        /* A unit may not assign: the office's step is not offered to it. */
        ASSERT_CONTAINS(j, "\"allowed\":[{\"type\":\"request-correction\"");
        ASSERT_NOT_CONTAINS(j, "\"type\":\"assign\"");
        ASSERT_CONTAINS(j, "\"events\":[{\"seq\":1,\"type\":\"receive\"");
        buf_reset(&out);
        jw_init(&w, &out, false);
        case_json(&w, &x, &it, &st, CASE_VIEW_FULL, 0, NULL, false);
        jw_finish(&w);
        ASSERT_CONTAINS(buf_cstr(&out), "\"requester\":\"张三丰\"");
        ASSERT_NOT_CONTAINS(buf_cstr(&out), "\"allowed\"");
        buf_reset(&out);
        case_event_text(&x, &it.ev[0], &out);
        ASSERT_EQ_STR(buf_cstr(&out), "2018年11月26日 09:30 govsite 收到");
        buf_release(&out);
        arena_release(&a);
        free(num);
        case_ctx_release(&x);
        t_close(db);
    }
}

/* --- The site verdict's inputs ---------------------------------------------------------------- */

TEST(cases_site_verdict_inputs)
{
    for (int b = 0; b < t_backends(); b++) {
        struct clk ck = clock_at("2018-12-01 09:00");
        struct case_ctx x;
        struct store *db = setup(b, &x, &ck, NULL);
        int64_t site = site_id(db, "人社局网站");
        struct case_new n = { .kind = CASE_CONSULTATION,
                              .unit_id = unit_id(db, "市人社局"),
                              .site_id = site };
        const char *recv[] = { "2018-06-01 10:00", "2018-07-01 10:00", "2018-08-01 10:00",
                               "2018-09-20 10:00", "2017-06-01 10:00", "2018-05-02 10:00" };
        char *num[6];
        struct err e = { 0 };
        for (int i = 0; i < 6; i++) {
            n.received_at = T(recv[i]);
            ASSERT_OK(case_add(&x, &n, &num[i], &e), &e);
        }
        ACT(&x, num[1], "answer", "2018-10-15 10:00"); /* 3.5 months later */
        ACT(&x, num[2], "answer", "2018-08-03 10:00"); /* in time */
        ACT(&x, num[3], "answer", "2018-09-21 10:00");
        ACT(&x, num[5], "withdraw", "2018-05-03 10:00");
        /* num[0]: never answered, 6 months; num[4]: older than a year. */
        struct arena a = ARENA_INIT;
        struct case_slow_reply *v;
        size_t nv;
        unsigned k = CASE_KIND_BIT(CASE_CONSULTATION) | CASE_KIND_BIT(CASE_COMPLAINT);
        ASSERT_OK(case_site_unanswered(&x, site, k, T("2018-12-01 09:00"), &a, &v, &nv, &e), &e);
        ASSERT_EQ_INT(nv, 2);
        ASSERT_EQ_STR(v[0].number, num[0]);
        ASSERT_EQ_INT(v[0].replied_at, 0);
        ASSERT_EQ_INT(v[0].days, 183);
        ASSERT_EQ_STR(v[1].number, num[1]);
        ASSERT_EQ_INT(v[1].days, 106);
        /* Another site has none; a moment before the 3 months passed, neither counts. */
        ASSERT_OK(case_site_unanswered(&x, site_id(db, "示范市人民政府门户网站"), k,
                                       T("2018-12-01 09:00"), &a, &v, &nv, &e),
                  &e);
        ASSERT_EQ_INT(nv, 0);
        ASSERT_OK(case_site_unanswered(&x, site, k, T("2018-08-31 10:00"), &a, &v, &nv, &e), &e);
        ASSERT_EQ_INT(nv, 0);
        ASSERT_OK(case_site_unanswered(&x, site, k, T("2018-09-01 10:01"), &a, &v, &nv, &e), &e);
        ASSERT_EQ_INT(nv, 1);
        arena_release(&a);
        /* "No reply for 2 months". */
        struct case_reply_activity ra;
        ASSERT_OK(case_site_reply_activity(&x, site, k, T("2018-12-01 09:00"), 2, &ra, &e), &e);
        ASSERT_EQ_INT(ra.last_reply_at, T("2018-10-15 10:00"));
        ASSERT_EQ_INT(ra.replies_in_window, 1);
        ASSERT_EQ_INT(ra.received_in_window, 0);
        ASSERT_OK(case_site_reply_activity(&x, site, k, T("2018-12-20 09:00"), 2, &ra, &e), &e);
        ASSERT_EQ_INT(ra.replies_in_window, 0);
        for (int i = 0; i < 6; i++)
            free(num[i]);
        case_ctx_release(&x);
        t_close(db);
    }
}
