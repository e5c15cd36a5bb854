/* fixture_cases.h - a month of work items as the CSV export of a city's system or of the
 * national 找错 platform, with chosen figures (shared by the unit tests and testtool).
 *
 * The generator places receipts and replies with the deadline engine so that, as of
 * `as_of`, exactly `on_time` items are closed within their limit, `late` after it,
 * `overdue` are open past it, and the rest are open inside it.  The tests then import
 * the CSV through the real import path and count with case_stats, which must find the
 * same figures; the seed's month (November 2018) is the default.
 *
 * The CSV headers differ per kind, as real exports do:
 *   disclosure     申请编号,申请时间,申请人,申请人类型,联系电话,申请方式,所需信息,受理单位,
 *                  答复时间,答复类型,是否公开          dates like 2018/11/5 9:30
 *   consultation   留言编号,留言标题,留言内容,留言人,联系方式,留言时间,办理单位,回复时间,
 *                  办理状态,回复内容                  dates like 2018-11-05 09:30:00
 *   complaint      the same as consultation
 *   error-report   问题编号,网站名称,问题页面,问题类型,问题描述,留言时间,转办单位,处理时间,
 *                  审核时间,处理状态                  dates like 2018年11月05日 09:30
 *                  (问题编号 and 转办单位 need a mapping: FIXTURE_CASES_ERROR_MAP)
 */
#ifndef TESTS_FIXTURE_CASES_H
#define TESTS_FIXTURE_CASES_H

#include <stddef.h>
#include <stdint.h>

#include "cases/cases.h"
#include "core/buf.h"

#define FIXTURE_CASES_ERROR_MAP "number = 问题编号\nunit = 转办单位\n"

struct fixture_cases {
    enum case_kind kind;
    int32_t month; /* the first day of the month the items are received in */
    int64_t as_of; /* the moment the figures hold at */
    int total, on_time, late, overdue;
    const char *const *units; /* unit names, used in turn */
    size_t nunits;
    const char *const *sites;      /* error reports: site names, used in turn (may be empty) */
    const char *const *site_units; /* the unit of each site */
    size_t nsites;
};

/* The seed's figures for kind k (珠府办函〔2018〕295号): disclosure 16 received, 11 closed
 * by 2018-12-01, none overdue; consultation 18, 15 answered in time; error report 25,
 * all 25 handled in time; complaint: 6, 4 in time.  Units and sites are left empty. */
void fixture_cases_seed(enum case_kind k, struct fixture_cases *f);

/* Append the CSV to out.  `rule` is the rule the items will get (case_rule_for).
 * RC_INVALID when the month cannot hold the figures (e.g. an item cannot be open and
 * within its limit at as_of). */
enum rc fixture_cases_csv(const struct cal *cal, const struct deadline_rule *rule,
                          const struct fixture_cases *f, struct buf *out, struct err *err);

#endif
