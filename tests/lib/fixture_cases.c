/* fixture_cases.c - a month of work items as a CSV export (fixture_cases.h). */
#include "fixture_cases.h"

#include <stdio.h>
#include <string.h>

#include "core/csv.h"
#include "core/date.h"

void fixture_cases_seed(enum case_kind k, struct fixture_cases *f)
{
    memset(f, 0, sizeof(*f));
    f->kind = k;
    f->month = date_from_ymd(2018, 11, 1);
    f->as_of = time_from_date(date_from_ymd(2018, 12, 1), 86399, TZ_CST);
    switch (k) {
    case CASE_DISCLOSURE:
        f->total = 16, f->on_time = 11;
        break;
    case CASE_CONSULTATION:
        f->total = 18, f->on_time = 15;
        break;
    case CASE_COMPLAINT:
        f->total = 6, f->on_time = 4;
        break;
    case CASE_ERROR_REPORT:
        f->total = 25, f->on_time = 25;
        break;
    case CASE_NKINDS:
        break;
    }
}

enum { ON_TIME, LATE, OVERDUE, OPEN };

struct place {
    const struct cal *cal;
    const struct deadline_rule *rule;
    const struct fixture_cases *f;
    int tz;
};

static int64_t due_of(const struct place *p, int64_t recv)
{
    struct deadline_result r;
    if (deadline_compute(p->cal, p->rule, recv, NULL, 0, &r, NULL, NULL))
        return -1;
    return r.due;
}

/* The first office moment (a working day, 09:30-17:30) at or after t. */
static int64_t office(const struct place *p, int64_t t)
{
    int32_t d = time_to_date(t, p->tz);
    int s = time_secs_of_day(t, p->tz);
    if (cal_is_workday(p->cal, d) && s >= 9 * 3600 + 1800 && s <= 17 * 3600 + 1800)
        return t;
    if (!cal_is_workday(p->cal, d) || s > 17 * 3600 + 1800)
        cal_next(p->cal, d, &d, NULL, NULL);
    return time_from_date(d, 9 * 3600 + 1800, p->tz);
}

/* Try receipt day d for item i of category cat; on success *recv and *reply (0: none). */
static bool try_day(const struct place *p, int32_t d, int i, int cat, int64_t *recv, int64_t *reply)
{
    /* Mostly office hours; every seventh an evening submission online. */
    int secs = i % 7 == 3 ? 21 * 3600 + 15 * 60 : 8 * 3600 + 40 * 60 + (i * 47 % 480) * 60;
    int64_t r = time_from_date(d, secs, p->tz);
    int64_t due = due_of(p, r);
    if (due < 0 || r > p->f->as_of)
        return false;
    int64_t rep = 0;
    switch (cat) {
    case ON_TIME:
        rep = office(p, r + (due - r) / 100 * (20 + i * 13 % 50));
        if (rep > due)
            rep = due - 1800;
        if (rep <= r || rep > p->f->as_of)
            return false;
        break;
    case LATE: {
        int32_t nd;
        if (cal_add(p->cal, time_to_date(due, p->tz), 1, &nd, NULL, NULL))
            return false;
        rep = time_from_date(nd, 10 * 3600, p->tz);
        if (rep > p->f->as_of)
            return false;
        break;
    }
    case OVERDUE:
        if (due >= p->f->as_of)
            return false;
        break;
    case OPEN:
        if (due < p->f->as_of)
            return false;
        break;
    }
    *recv = r;
    *reply = rep;
    return true;
}

static void fmt_time(enum case_kind k, int64_t t, char *out, size_t n)
{
    if (!t) {
        out[0] = 0;
        return;
    }
    int y, m, d, s = time_secs_of_day(t, TZ_CST);
    date_to_ymd(time_to_date(t, TZ_CST), &y, &m, &d);
    if (k == CASE_DISCLOSURE) /* Excel: 2018/11/5 9:30 */
        snprintf(out, n, "%d/%d/%d %d:%02d", y, m, d, s / 3600, s / 60 % 60);
    else if (k == CASE_ERROR_REPORT)
        snprintf(out, n, "%04d年%02d月%02d日 %02d:%02d", y, m, d, s / 3600, s / 60 % 60);
    else
        snprintf(out, n, "%04d-%02d-%02d %02d:%02d:%02d", y, m, d, s / 3600, s / 60 % 60, s % 60);
}

static const char *const surnames[] = { "王", "李", "张", "刘", "陈",  "杨",
                                        "黄", "赵", "周", "吴", "欧阳" };
static const char *const given[] = { "伟", "芳", "娜", "敏", "静", "丽强",
                                     "磊", "军", "洋", "勇", "艳", "杰" };
static const char *const subjects[CASE_NKINDS][6] = {
    [CASE_DISCLOSURE] = { "2017年度部门预算执行情况", "某路段改造工程环评批复文件",
                          "某小区规划许可证及附图", "2018年公租房配租名单", "某企业排污许可证",
                          "某项行政处罚决定书" },
    [CASE_CONSULTATION] = { "社保卡补办需要哪些材料", "新生儿落户办理流程", "公积金提取条件咨询",
                            "人才引进补贴申请时间", "小学学位申请政策", "居住证办理地点" },
    [CASE_COMPLAINT] = { "小区夜间施工噪音扰民", "某路段路灯长期不亮", "窗口办事人员态度差",
                         "农贸市场占道经营", "公交车站台破损", "违规收取材料费" },
    [CASE_ERROR_REPORT] = { "页面链接打不开", "文章中有错别字", "栏目长期未更新", "附件无法下载",
                            "联系电话已失效", "办事指南要素不全" },
};
static const char *const outcomes[] = { "予以公开",
                                        "部分公开",
                                        "无法提供-本机关不掌握相关政府信息",
                                        "不予公开-保护第三方合法权益",
                                        "予以公开",
                                        "不予处理-重复申请" };
static const char *const problems[] = { "错别字",       "链接不可用", "内容不更新",
                                        "附件无法下载", "信息不准确", "其他" };

static void row(const struct fixture_cases *f, int i, int cat, int64_t recv, int64_t reply,
                int64_t as_of, struct buf *out)
{
    enum case_kind k = f->kind;
    char num[48], rs[48], ps[48], vs[48], name[48], phone[24], unit[160], site[160], page[160];
    snprintf(num, sizeof(num), "%s-%d-%04d", case_kinds[k].prefix,
             date_year(time_to_date(recv, TZ_CST)), 100 + i + 1);
    fmt_time(k, recv, rs, sizeof(rs));
    fmt_time(k, reply, ps, sizeof(ps));
    snprintf(name, sizeof(name), "%s%s", surnames[i % 11], given[i * 7 % 12]);
    snprintf(phone, sizeof(phone), "139%08d", 20180000 + i * 7919 % 9999);
    const char *u = f->nunits ? f->units[i % f->nunits] : "";
    snprintf(unit, sizeof(unit), "%s", u);
    site[0] = page[0] = 0;
    if (f->nsites) {
        snprintf(site, sizeof(site), "%s", f->sites[i % f->nsites]);
        snprintf(unit, sizeof(unit), "%s", f->site_units[i % f->nsites]);
    }
    const char *subj = subjects[k][i % 6];
    bool closed = cat == ON_TIME || cat == LATE;
    if (k == CASE_DISCLOSURE) {
        const char *type = i % 5 == 4 ? "商业企业" : i % 11 == 6 ? "法律服务机构" : "自然人";
        char who[64];
        if (!strcmp(type, "自然人"))
            snprintf(who, sizeof(who), "%s", name);
        else
            snprintf(who, sizeof(who), "示范市%s%s", surnames[i % 11],
                     !strcmp(type, "商业企业") ? "氏科技有限公司" : "律师事务所");
        const char *f1[] = { num,
                             rs,
                             who,
                             type,
                             phone,
                             i % 6 == 5   ? "当面"
                             : i % 9 == 8 ? "邮寄"
                                          : "网络",
                             subj,
                             unit,
                             ps,
                             closed ? outcomes[i % 6] : "",
                             closed ? (i % 3 ? "是" : "否") : "" };
        csv_write_row(out, f1, 11);
    } else if (k == CASE_ERROR_REPORT) {
        snprintf(page, sizeof(page), "http://www.shifan.test/zwgk/%04d.html", 300 + i * 17);
        /* The office reviews within the hour, but never after the moment of the figures. */
        int64_t review = reply && reply + 3600 <= as_of ? reply + 3600 : reply;
        fmt_time(k, review, vs, sizeof(vs));
        char desc[200];
        snprintf(desc, sizeof(desc), "%s：%s", problems[i % 6], subj);
        const char *f1[] = {
            num, site, page, problems[i % 6], desc, rs, unit, ps, vs, closed ? "已办结" : "处理中"
        };
        csv_write_row(out, f1, 10);
    } else {
        char content[200], reply_text[200];
        snprintf(content, sizeof(content), "您好，请问%s？", subj);
        snprintf(reply_text, sizeof(reply_text), closed ? "您好，关于%s，请参阅办事指南。" : "%s",
                 closed ? subj : "");
        const char *f1[] = {
            num, subj, content, name, phone, rs, unit, ps, closed ? "已回复" : "办理中", reply_text
        };
        csv_write_row(out, f1, 10);
    }
}

enum rc fixture_cases_csv(const struct cal *cal, const struct deadline_rule *rule,
                          const struct fixture_cases *f, struct buf *out, struct err *err)
{
    struct place p = { .cal = cal, .rule = rule, .f = f, .tz = cal->tzoff };
    int open = f->total - f->on_time - f->late - f->overdue;
    if (open < 0 || f->total < 0)
        return err_set(err, RC_INVALID, "the figures add up to more than the total");
    int y, m, d;
    date_to_ymd(f->month, &y, &m, &d);
    int nd = date_days_in_month(y, m);
    static const char *const headers[CASE_NKINDS] = {
        [CASE_DISCLOSURE] =
            "申请编号,申请时间,申请人,申请人类型,联系电话,申请方式,所需信息,受理单位,答复时间,答复类型,是否公开\n",
        [CASE_CONSULTATION] =
            "留言编号,留言标题,留言内容,留言人,联系方式,留言时间,办理单位,回复时间,办理状态,回复内容\n",
        [CASE_COMPLAINT] =
            "留言编号,留言标题,留言内容,留言人,联系方式,留言时间,办理单位,回复时间,办理状态,回复内容\n",
        [CASE_ERROR_REPORT] =
            "问题编号,网站名称,问题页面,问题类型,问题描述,留言时间,转办单位,处理时间,审核时间,处理状态\n",
    };
    buf_adds(out, headers[f->kind]);
    const int counts[] = { f->on_time, f->late, f->overdue, open };
    int i = 0;
    for (int cat = ON_TIME; cat <= OPEN; cat++) {
        for (int j = 0; j < counts[cat]; j++, i++) {
            /* Spread over the month; open items from its end, the others from its start. */
            int start =
                cat == OPEN ? nd - 1 - (j * 5 % nd) : (j * nd) / (counts[cat] ? counts[cat] : 1);
            bool ok = false;
            int64_t recv = 0, reply = 0;
            for (int k = 0; k < 2 * nd && !ok; k++) {
                /* Search away from the start: earlier first for closed items, later for open. */
                int off = k < nd ? (cat == OPEN ? k : -k) : (cat == OPEN ? -(k - nd) : k - nd);
                int di = start + off;
                if (di < 0 || di >= nd)
                    continue;
                ok = try_day(&p, f->month + di, i, cat, &recv, &reply);
            }
            if (!ok)
                return err_set(err, RC_INVALID,
                               "cannot place item %d (category %d) in the month with rule %s", i,
                               cat, rule->name);
            row(f, i, cat, recv, reply, f->as_of, out);
        }
    }
    return RC_OK;
}
