/* tt_web.c - testtool subcommands for the web layer and its benchmark.
 *
 *   testtool gen-registry DIR SITES COLUMNS   write DIR/units.csv, sites.csv, columns.csv:
 *                                             SITES sites with COLUMNS columns each, owned by
 *                                             one unit per 10 sites (bench/web.sh)
 *   testtool gen-workload DB ITEMS FINDINGS   add ITEMS work items over the two years before
 *                                             now (kinds, units and states spread as an
 *                                             office's are: most old ones answered, some late,
 *                                             recent ones open, each with its events) and
 *                                             FINDINGS findings over the sites (open, some
 *                                             resolved, a tenth dismissed) to the registry
 *                                             in DB (bench/web.sh)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cases/cases.h"
#include "checks/check.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "testtool.h"

static const char *const classes[] = { "动态要闻", "通知公告", "政策文件",     "人事",
                                       "规划计划", "概况",     "信息公开目录", "互动交流",
                                       "办事服务", "其他" };

static FILE *open_in(const char *dir, const char *name)
{
    char p[4096];
    snprintf(p, sizeof(p), "%s/%s", dir, name);
    FILE *f = fopen(p, "w");
    if (!f)
        fprintf(stderr, "testtool: cannot write %s\n", p);
    return f;
}

static int tt_gen_registry(int argc, char **argv)
{
    int sites, cols;
    if (argc != 4 || !cstr_to_int(argv[2], 1, 1000000, &sites) ||
        !cstr_to_int(argv[3], 1, 10000, &cols)) {
        fprintf(stderr, "usage: testtool gen-registry DIR SITES COLUMNS\n");
        return 2;
    }
    FILE *u = open_in(argv[1], "units.csv"), *s = open_in(argv[1], "sites.csv"),
         *c = open_in(argv[1], "columns.csv");
    if (!u || !s || !c)
        return 1;
    int units = (sites + 9) / 10;
    fprintf(u, "name,short_name,kind,parent\n生成市人民政府办公室,生成市办,office,\n");
    for (int i = 1; i <= units; i++)
        fprintf(u, "生成市第%d局,第%d局,department,生成市人民政府办公室\n", i, i);
    fprintf(s, "name,url,code,unit,type,status\n");
    fprintf(c, "site,path,url,unit,class\n");
    for (int i = 1; i <= sites; i++) {
        int unit = (i - 1) / 10 + 1;
        fprintf(s, "生成网站%06d,http://s%d.gen.test/,44%08d,第%d局,部门网站,正常运行\n", i, i, i,
                unit);
        for (int k = 1; k <= cols; k++)
            fprintf(c, "生成网站%06d,栏目组%d>栏目%d,http://s%d.gen.test/c%d/,第%d局,%s\n", i,
                    (k - 1) / 10 + 1, k, i, k, unit, classes[k % 10]);
    }
    int bad = ferror(u) || ferror(s) || ferror(c);
    bad |= fclose(u) | fclose(s) | fclose(c);
    return bad ? 1 : 0;
}

/* ---- a work load for bench/web.sh ---------------------------------------------------- */

/* A small deterministic generator (xorshift64*). */
static uint64_t rng = 0x9e3779b97f4a7c15ULL;
static uint64_t rnd(void)
{
    rng ^= rng >> 12;
    rng ^= rng << 25;
    rng ^= rng >> 27;
    return rng * 2685821657736338717ULL;
}
static int pick(int n)
{
    return (int)(rnd() % (uint64_t)n);
}

static int fail(const char *what, const struct err *e)
{
    fprintf(stderr, "testtool: %s: %s\n", what, err_msg(e));
    return 1;
}

/* Ids of a table's rows (sites, units). */
static int64_t *ids_of(struct store *db, const char *sql, size_t *n)
{
    int64_t *v = NULL;
    size_t cap = 0;
    *n = 0;
    struct stmt *st = store_sql(db, sql);
    while (stmt_next(st)) {
        v = xgrow(v, &cap, *n + 1, sizeof(*v));
        v[(*n)++] = stmt_int(st, 0);
    }
    stmt_done(st, NULL);
    return v;
}

static const char *const subjects[] = { "申请公开某项目环评报告", "咨询人才引进补贴申请时间",
                                        "投诉道路施工噪音",       "网页链接无法打开",
                                        "咨询公积金提取条件",     "申请公开年度财政预算",
                                        "投诉小区物业收费",       "页面错别字",
                                        "咨询学位申请材料",       "申请公开行政处罚决定书" };

/* One item: received at `at`, taken through the steps an office would, as of `now`. */
static int gen_item(struct case_ctx *x, int64_t unit, int64_t site, int64_t at, int64_t now,
                    int seq)
{
    static const enum case_kind kinds[] = { CASE_CONSULTATION, CASE_CONSULTATION, CASE_CONSULTATION,
                                            CASE_CONSULTATION, CASE_DISCLOSURE,   CASE_DISCLOSURE,
                                            CASE_COMPLAINT,    CASE_ERROR_REPORT, CASE_ERROR_REPORT,
                                            CASE_ERROR_REPORT };
    enum case_kind k = kinds[pick(10)];
    char name[32], contact[32];
    snprintf(name, sizeof(name), "申请人%d", seq);
    snprintf(contact, sizeof(contact), "139%08d", seq % 100000000);
    struct case_new n = { .kind = k,
                          .unit_id = unit,
                          .site_id = k == CASE_ERROR_REPORT ? site : 0,
                          .received_at = at,
                          .subject = subjects[pick(10)],
                          .requester = k == CASE_ERROR_REPORT ? NULL : name,
                          .contact = k == CASE_ERROR_REPORT ? NULL : contact,
                          .requester_type = "person",
                          .channel = "online",
                          .actor = "gen" };
    char *num = NULL;
    struct err e = { 0 };
    if (case_add(x, &n, &num, &e))
        return fail("case add", &e);
    /* how far along: most older items are closed, a few late; recent ones open */
    int64_t age = now - at;
    int r = pick(100);
    struct case_action a = { .roles = CASE_ROLES_STAFF, .reply_public = -1, .actor = "gen" };
    int64_t step = at + 3600 + pick(3) * 86400;
    int rc = 0;
    int64_t last = at;
    if (r < 10 && step < now) { /* sent to the unit first */
        last = step;
        a.type = "note";
        a.note = "已转承办单位办理";
        a.at = step;
        rc |= case_act(x, num, &a, NULL, &e) ? fail("note", &e) : 0;
        a.note = NULL;
    }
    bool close = age > 40 * 86400 ? r < 97 : age > 5 * 86400 ? r < 70 : r < 20;
    if (close && !rc) {
        /* answered within a few working days, 1 in 20 late */
        int64_t reply = at + 86400 * (1 + pick(r % 20 == 0 ? 40 : 6)) + pick(28800);
        if (reply <= last)
            reply = last + 60;
        if (reply >= now)
            reply = now - 1;
        if (reply <= last)
            reply = last;
        if (k == CASE_ERROR_REPORT) {
            a.type = "handle";
            a.at = reply;
            rc |= case_act(x, num, &a, NULL, &e) ? fail("handle", &e) : 0;
            a.type = "review";
            a.at = reply + 3600 < now ? reply + 3600 : now;
            rc |= !rc && case_act(x, num, &a, NULL, &e) ? fail("review", &e) : 0;
        } else if (r % 33 == 1) {
            a.type = "withdraw";
            a.at = reply;
            rc |= case_act(x, num, &a, NULL, &e) ? fail("withdraw", &e) : 0;
        } else {
            a.type = "answer";
            a.at = reply;
            a.outcome = k == CASE_DISCLOSURE ? (r % 3 ? "public" : "partial") : NULL;
            a.reply = "已答复。";
            rc |= case_act(x, num, &a, NULL, &e) ? fail("answer", &e) : 0;
        }
    }
    free(num);
    return rc;
}

static int tt_gen_workload(int argc, char **argv)
{
    int items, findings;
    if (argc != 4 || !cstr_to_int(argv[2], 0, 10000000, &items) ||
        !cstr_to_int(argv[3], 0, 10000000, &findings)) {
        fprintf(stderr, "usage: testtool gen-workload DB ITEMS FINDINGS\n");
        return 2;
    }
    struct store *db = NULL;
    struct err e = { 0 };
    if (store_open(argv[1], &db, &e) || store_migrate(db, &e))
        return fail(argv[1], &e);
    struct clk ck;
    clk_init(&ck);
    int64_t now = clk_now(&ck);
    size_t nunits, nsites;
    int64_t *units = ids_of(db, "SELECT id FROM units ORDER BY id", &nunits);
    int64_t *sites = ids_of(db, "SELECT id FROM sites ORDER BY id", &nsites);
    int rc = 0;
    if (!nunits || !nsites) {
        fprintf(stderr, "testtool: import the registry first\n");
        rc = 1;
    }
    struct case_ctx x;
    if (!rc && case_ctx_init(&x, db, NULL, &ck, &e))
        rc = fail("cases", &e);
    /* items over the two years before now, a batch per transaction */
    for (int i = 0; i < items && !rc; i++) {
        if (i % 2000 == 0 && (rc = store_begin(db, &e) ? fail("begin", &e) : 0))
            break;
        int64_t at =
            now - 730 * 86400 + (int64_t)((uint64_t)i * 730 * 86400 / (uint64_t)items) + pick(3600);
        if (at >= now)
            at = now - 3600;
        size_t u = (size_t)pick((int)nunits);
        rc = gen_item(&x, units[u], sites[u % nsites], at, now, i + 1);
        if (!rc && (i % 2000 == 1999 || i == items - 1) && store_commit(db, &e))
            rc = fail("commit", &e);
        if (rc)
            store_rollback(db);
        if (i % 10000 == 9999)
            fprintf(stderr, "testtool: %d items\n", i + 1);
    }
    if (items && !rc)
        case_ctx_release(&x);
    /* findings: open ones of several kinds on every site; a tenth dismissed, and a complete
     * session of one kind on every third site resolves that kind there */
    static const char *const kinds[] = { "link-broken", "wording", "column-stale", "link-retired" };
    int per_site = nsites ? (findings + (int)nsites - 1) / (int)nsites : 0;
    int made = 0;
    for (size_t s = 0; s < nsites && made < findings && !rc; s++) {
        struct check_scope sc = { .site_id = sites[s],
                                  .kinds = "link-broken,wording,column-stale,link-retired",
                                  .complete = false,
                                  .source = "gen-workload" };
        struct check_session *cs;
        if ((rc = check_begin(db, &ck, &sc, &cs, &e) ? fail("check", &e) : 0))
            break;
        if ((rc = store_begin(db, &e) ? fail("begin", &e) : 0))
            break;
        for (int k = 0; k < per_site && made < findings && !rc; k++, made++) {
            char subject[96], url[96];
            snprintf(url, sizeof(url), "http://s%zu.gen.test/p/%d.html", s + 1, k);
            snprintf(subject, sizeof(subject), "http://s%zu.gen.test/dead/%d", s + 1, k);
            struct check_finding f = { .kind = kinds[k % 4],
                                       .url = url,
                                       .subject = k % 4 == 1 ? "卫生和计划生育局" : subject,
                                       .evidence = "{\"seen\":\"gen-workload\"}",
                                       .summary =
                                           k % 4 == 1 ? "表述错误：卫生和计划生育局" : "链接不可用",
                                       .seen_at = now - pick(30) * 86400 };
            if (k % 4 == 1)
                snprintf(subject, sizeof(subject), "错词%d", k), f.subject = subject;
            rc = check_report(cs, &f, NULL, &e) ? fail("report", &e) : 0;
        }
        if (!rc && store_commit(db, &e))
            rc = fail("commit", &e);
        struct check_tally t;
        if (!rc && check_end(cs, &t, &e))
            rc = fail("check end", &e);
    }
    for (size_t s = 0; s < nsites && !rc; s += 3) {
        struct check_scope sc = {
            .site_id = sites[s], .kinds = "link-retired", .complete = true, .source = "gen-workload"
        };
        struct check_session *cs;
        struct check_tally t;
        if (check_begin(db, &ck, &sc, &cs, &e) || check_end(cs, &t, &e))
            rc = fail("resolve", &e);
    }
    if (!rc) {
        size_t nf;
        int64_t *fids = ids_of(db, "SELECT id FROM findings WHERE state = 'open' ORDER BY id", &nf);
        if (store_begin(db, &e))
            rc = fail("begin", &e);
        for (size_t i = 0; i < nf && !rc; i += 10)
            if (check_finding_dismiss(db, &ck, fids[i], "误报（生成）", "gen", &e))
                rc = fail("dismiss", &e);
        if (!rc && store_commit(db, &e))
            rc = fail("commit", &e);
        free(fids);
    }
    free(units);
    free(sites);
    store_close(db);
    return rc;
}

const struct tt_cmd web_cmds[] = {
    { "gen-registry", tt_gen_registry, "DIR SITES COLUMNS" },
    { "gen-workload", tt_gen_workload, "DB ITEMS FINDINGS" },
    { NULL, NULL, NULL },
};
