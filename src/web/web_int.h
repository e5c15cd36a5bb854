/* web_int.h - shared by the files of src/web/ only: server internals and every handler.
 *
 * Handlers are grouped by the file that defines them; each is a row of routes[]
 * (registry.c).  See "Adding a route/page" in web.h.
 */
#ifndef WEB_WEB_INT_H
#define WEB_WEB_INT_H

#include "cases/cases.h"
#include "checks/check.h"
#include "web/web.h"

/* An embedded asset served under /static/ (data/web/, overridable via core/res.h). */
struct web__asset {
    const char *name; /* "app.css" */
    const char *ctype;
    struct buf data;
    char etag[20]; /* first 16 hex digits of its SHA-256 */
};
const struct web__asset *web__asset(const struct web_server *s, const char *name);
const struct web_conf *web__conf(const struct web_server *s);

/* Route pattern matching (router.c): true when path matches, with {name} segments
 * stored in r->params (values %-decoded by libmicrohttpd already). */
bool web__match(const char *pattern, const char *path, struct web_req *r);
/* Run the router for a prepared request: match, authenticate, authorize, handle, and
 * render any error.  Always leaves a response in r (r->sent). */
void web__dispatch(struct web_req *r);
/* Index of r->route in routes[] (web_nroutes for none: "unmatched"). */
size_t web__route_index(const struct web_req *r);
/* Render r->err (or rc) as the JSON error or the Chinese error page, with `status`. */
void web__error(struct web_req *r, enum rc rc, int status);
/* The Set-Cookie value for a session token (empty token: expire the cookie). */
const char *web__session_cookie(struct web_req *r, const char *token);
#define WEB_SESSION_COOKIE "govsite_session"
/* Kept values (server.c): the bytes under key, appended to out, when they were made at
 * `changes`. */
bool web__kept_get(struct web_server *s, const char *key, int64_t changes, struct buf *out);
void web__kept_put(struct web_server *s, const char *key, int64_t changes, const void *p, size_t n);
/* A link to page `page` of the current list with the other query arguments kept; dir > 0
 * walks after the page's last row, dir < 0 before its first (list.c). */
const char *web__page_href(struct web_req *r, const struct web_page *pg, int64_t page, int dir);
/* Render /metrics (server.c has the route statistics). */
void web__metrics(struct web_req *r);

/* ---- registry queries shared by pages and the API (api_reg.c) ------------------------ */

/* "%q%" with LIKE metacharacters escaped by '\\' (arena), or NULL for an empty q. */
const char *web__like(struct web_req *r, const char *q);
struct web__site_filter {
    const char *like;   /* ?q= on name, URL, 标识码 */
    int64_t unit_id;    /* ?unit= id or name; 0 = any */
    const char *type;   /* ?type= canonical or NULL */
    const char *status; /* ?status= canonical or NULL */
};
/* The filters of ?q ?unit ?type ?status; pg (may be NULL) is checked to hold a position of
 * this list. */
enum rc web__site_filter(struct web_req *r, struct web__site_filter *f, const struct web_page *pg);
enum rc web__site_count(struct web_req *r, const struct web__site_filter *f, int64_t *n);
struct stmt *web__site_query(struct web_req *r, const struct web__site_filter *f,
                             const struct web_page *pg);
struct web__site {
    int64_t id, unit_id, columns;
    const char *name, *url, *host, *code, *unit, *type, *status, *icp, *psb;
};
void web__site_row(struct web_req *r, struct stmt *st, struct web__site *s);
/* The rows of a web__site_query statement (done here), with their column counts; with pg,
 * reversed for a ?before= page and the page's cursors set.  *out in the arena. */
enum rc web__site_rows(struct web_req *r, struct stmt *st, struct web_page *pg,
                       struct web__site **out, size_t *n);
/* Sites and registered columns per unit, kept between requests. */
struct web__unit_counts {
    struct web_counts sites, columns;
};
enum rc web__unit_counts(struct web_req *r, struct web__unit_counts *c);
enum rc web__site_get(struct web_req *r, int64_t id, struct web__site *s);
/* A column's display status: today its registration state; the freshness check will
 * put 正常/即将超期/超期 here (key is the CSS suffix st-<key>). */
struct web__colstatus {
    const char *key, *label;
};
void web__column_status(struct web_req *r, const char *state, struct web__colstatus *out);
struct web__column {
    int64_t id, unit_id, freshness_days;
    const char *path, *name, *cls, *unit, *state, *required;
    const char *urls; /* '\n'-separated list-page URLs, or NULL */
    struct web__colstatus status;
};
/* Columns of a site ordered by path (pg NULL: all); cls/unit_id filter (NULL/0: any). */
enum rc web__site_columns(struct web_req *r, int64_t site_id, const char *cls, int64_t unit_id,
                          const struct web_page *pg, struct web__column **out, size_t *n,
                          int64_t *total);
void web__column_json(struct jw *w, const struct web__column *c);

/* <label>LABEL <select name=FIELD> of every unit, valued by name (by_name) or id, unit
 * `cur` selected, with a first empty option labelled `none` unless it is NULL (html.c). */
void web__unit_select(struct web_req *r, const char *field, const char *label, int64_t cur,
                      bool by_name, const char *none);

/* ---- work items shared by pages and the API (web_cases.c) --------------------------- */

/* The worker's work-item context (calendar, rules, configuration), reloaded when a local
 * calendar override changes; NULL with web_fail set when it cannot be loaded. */
struct case_ctx *web__cases(struct web_req *r);
/* The case roles of the user: staff OFFICE|UNIT, editors UNIT (on their unit's items),
 * viewers none; and the personal-data view that follows (cases.h). */
unsigned web__case_roles(const struct web_req *r);
enum case_view web__case_view(const struct web_req *r);
/* The list filters of ?kind ?unit ?site ?from ?to ?state ?due_within ?as_of ?q ?sort
 * (docs/api.md); an editor's list is always their unit's (`empty` when they asked for
 * another unit). */
struct web__case_q {
    struct case_page_q q;
    int64_t as_of; /* 0: now (case_page); else replayed at that moment (case_query) */
    bool empty;
};
enum rc web__case_query(struct web_req *r, struct web__case_q *f);
/* One page (pg from web_paging) with its total; cursors set for keyset paging. */
enum rc web__case_list(struct web_req *r, struct web__case_q *f, struct web_page *pg,
                       struct case_list *out);
/* One item with its events, or 404 (also for another unit's item, audited). */
enum rc web__case_get(struct web_req *r, const char *number, struct case_item *it);
/* web__case_get, then its state now with the deadline's explanation in *ex (initialised
 * here; the caller releases it after RC_OK). */
enum rc web__case_now(struct web_req *r, const char *number, struct case_item *it,
                      struct case_state *st, struct deadline_explain *ex);
/* A list item: the summary object of docs/api.md. */
void web__case_brief_json(struct web_req *r, struct jw *w, const struct case_item *it,
                          const struct case_state *st, enum case_view view);
/* Every matching item as 办件.csv or 办件.xlsx (personal data as the role may see it). */
enum rc web__case_export(struct web_req *r, struct web__case_q *f, bool xlsx);
/* A time given in a form or JSON: 'YYYY-MM-DD HH:MM' (China time), a form's datetime-local
 * value, ISO 8601 with an offset; RC_INVALID naming the field. */
enum rc web__parse_time(struct web_req *r, const char *name, const char *v, int64_t *out);
/* A step on a loaded item (page_cases.c): refused with RC_CONFLICT naming the steps
 * allowed now when the user's role may not take it from this state. */
struct web__step {
    const char *type, *outcome, *note, *reply;
    int64_t at;       /* 0: now */
    int days;         /* extend: 0 = all the rule allows */
    int reply_public; /* -1 unchanged */
    int64_t unit_id;  /* assign */
};
enum rc web__case_step(struct web_req *r, const struct case_item *it, const struct web__step *in,
                       struct case_state *after);
/* The statistics query: ?kind= (default all) &from= &to= (default this month) &as_of=
 * (default now; a bare date is its end) &by=unit|site|kind (api_cases.c). */
struct web__stats_q {
    unsigned kinds;
    int32_t from, to;
    int64_t as_of;
    enum case_group by;
};
enum rc web__case_stats(struct web_req *r, struct web__stats_q *s);
/* Register an item (fields as given by the form or JSON; unit and site by id or name; an
 * editor's item is always of their unit).  *number: the tracking number, caller frees. */
struct web__case_new {
    const char *kind, *number, *unit, *site, *received, *channel, *subject, *content;
    const char *requester, *contact, *requester_type, *page_url;
};
enum rc web__case_add(struct web_req *r, const struct web__case_new *n, char **number);

/* ---- findings shared by pages and the API (web_findings.c) -------------------------- */

/* ?site ?unit ?kind ?state (open by default; resolved, dismissed, all) ?as_of ?q ?sort;
 * an editor's list is always their unit's. */
struct web__finding_q {
    struct check_page_q q;
    int64_t as_of; /* 0: now (check_findings_page); else check_findings_each as of it */
    bool empty;
};
enum rc web__finding_query(struct web_req *r, struct web__finding_q *f);
/* One page with its total and cursors; *rows released with check_rows_free. */
enum rc web__finding_list(struct web_req *r, struct web__finding_q *f, struct web_page *pg,
                          struct check_row **rows, size_t *n);
/* The finding {id} of the path, or 404 (also another unit's, audited); release the row. */
enum rc web__finding_get(struct web_req *r, struct check_row *row);
/* Dismiss or restore with a reason, as the user. */
enum rc web__finding_change(struct web_req *r, const struct check_row *row, bool dismiss,
                            const char *reason);
/* Every matching finding as 问题清单.csv / .xlsx. */
enum rc web__finding_export(struct web_req *r, struct web__finding_q *f, bool xlsx);
const char *web__finding_state_cn(const char *state); /* 未解决, 已解决, 已忽略 */
/* "导出：CSV · Excel" links to api_path?format=… with the page's own filters in keep[]. */
void web__export_links(struct web_req *r, const char *api_path, const char *const *keep,
                       size_t nkeep, const char *note);
/* A table of findings with links (page_findings.c; the site page reuses it). */
void web__finding_rows(struct web_req *r, const struct check_row *rows, size_t n);

/* ---- settings shared by pages and the API (page_settings.c) ------------------------- */

/* A local calendar override set or removed, then the stored due times that it moves
 * rewritten (case_refresh_due); *moved (may be NULL) gets how many. */
enum rc web__calendar_set(struct web_req *r, const char *date, const char *kind, const char *name,
                          int *moved);
enum rc web__calendar_unset(struct web_req *r, const char *date, int *moved);
enum rc web__calendar_refresh(struct web_req *r, int32_t day, int *moved);
/* The worker's compiled wording dictionary (every source), reloaded when a database
 * entry changes; NULL with web_fail set when it cannot be loaded. */
struct wording_dict;
struct wording_entry;
const struct wording_dict *web__wording(struct web_req *r);
/* The list filters ?q ?source=db|file|builtin ?severity ?category ?as_of=DATE. */
struct web__wording_q {
    const char *q, *category;
    int prio;     /* -1 any */
    int severity; /* 0 any */
    int32_t day;  /* DATE_NONE any */
};
enum rc web__wording_filter(struct web_req *r, struct web__wording_q *f);
void web__wording_each(struct web_req *r, const struct wording_dict *d,
                       const struct web__wording_q *f,
                       void (*fn)(struct web_req *r, const struct wording_entry *e,
                                  const char *state, void *ctx),
                       void *ctx);
struct web__wording_new {
    const char *wrong, *right, *allow, *from, *until, *severity, *category, *note;
};
enum rc web__wording_add(struct web_req *r, const struct web__wording_new *n);
/* Remove (or switch off a file's) entry, or switch one back on; *what: removed, disabled,
 * enabled. */
enum rc web__wording_remove(struct web_req *r, const char *wrong, bool enable, const char **what);
/* An exemption by column id, or by site (id or name) and column path. */
struct web__exemption_new {
    int64_t column_id;
    const char *site, *path, *reason, *approved_by, *until;
};
enum rc web__exemption_add(struct web_req *r, const struct web__exemption_new *n, int64_t *id);
/* Revoke the active exemption of the path's {column}. */
enum rc web__exemption_revoke(struct web_req *r);
/* The probe settings in force: defaults or [probe] threshold/timeout of the configuration. */
struct web__probe_conf {
    int64_t threshold_ms, timeout_ms;
    int parallel;
    const char *threshold_where, *timeout_where; /* the configuration line, or NULL */
};
void web__probe_settings(struct web_req *r, struct web__probe_conf *p);

/* ---- the job queue shared by pages and the API (web_jobs.c) -------------------------- */

struct job_row;
struct jobs_query;
struct jobs_type;
/* ?state ?type ?site (id or name) of the job list, checked (400 naming the value). */
enum rc web__jobs_query(struct web_req *r, struct jobs_query *q);
/* One page of jobs, newest first, with its total and keyset cursors (rows in the arena). */
enum rc web__jobs_list(struct web_req *r, struct jobs_query *q, struct web_page *pg,
                       struct job_row **rows, size_t *n);
/* Enqueue `type` for a site (id or name), for every running site (all), or, for a type
 * that takes no site, once.  *ids / *added (arena) get each job, existing live ones
 * included (added false).  RC_INVALID naming what is missing or unknown. */
enum rc web__jobs_enqueue(struct web_req *r, const char *type, const char *site, bool all,
                          const char *origin, int64_t **ids, bool **added, size_t *n);
/* Retry (a failed or cancelled job) or cancel (a queued or running one): 404, 409. */
enum rc web__jobs_act(struct web_req *r, int64_t id, bool retry);
/* Set a site's interval for a type: every "6h", "never", or NULL/"" back to the default. */
enum rc web__schedule_set(struct web_req *r, const char *site, const char *type, const char *every,
                          int64_t *site_id);
/* "每 6 小时", "每 30 分钟", "不定期运行" for an interval in seconds (arena). */
const char *web__every_cn(struct web_req *r, int64_t s);
const char *web__job_state_cn(const char *state);
/* The interval in force for a site and a per-site type, and where it comes from: "site"
 * (its own row), "config" ([jobs] key) or "default" (the registry). */
struct web__sched {
    int64_t every;
    const char *source;
};
/* Every site's own intervals and each type's default, read once (one query) per request. */
struct web__schedules {
    struct web__sched *dflt; /* per jobs_types[] row (arena) */
    int64_t *v;              /* site_id, jobs_types[] index, every_s; ... (arena) */
    size_t n;
};
enum rc web__schedules_load(struct web_req *r, struct web__schedules *s);
/* site_id 0 gives the type's default. */
void web__schedule_of(const struct web__schedules *s, int64_t site_id, const struct jobs_type *t,
                      struct web__sched *out);
/* A JSON member as text: a string, or an integer written in decimal (ids). */
const char *web__jtext(struct web_req *r, struct json_object *o, const char *key, bool *ok);

/* ---- handlers ------------------------------------------------------------------------ */

/* misc.c: health, metrics, assets */
enum rc page_healthz(struct web_req *r);
enum rc page_metrics(struct web_req *r);
enum rc page_static(struct web_req *r);

/* page_login.c: log in and out (pages and API) */
enum rc page_login_form(struct web_req *r);
enum rc page_login(struct web_req *r);
enum rc page_logout(struct web_req *r);
enum rc api_session_new(struct web_req *r);
enum rc api_session_get(struct web_req *r);
enum rc api_session_end(struct web_req *r);

/* page_reg.c: 总览, 站点与栏目, 单位 */
enum rc page_home(struct web_req *r);
enum rc page_sites(struct web_req *r);
enum rc page_site(struct web_req *r);
enum rc page_units(struct web_req *r);
enum rc panel_registry(struct web_req *r);
enum rc panel_classes(struct web_req *r);

/* api_reg.c: sites, columns, units */
enum rc api_sites(struct web_req *r);
enum rc api_site(struct web_req *r);
enum rc api_site_columns(struct web_req *r);
enum rc api_units(struct web_req *r);

/* page_cases.c: 办件 */
enum rc page_cases(struct web_req *r);
enum rc page_case(struct web_req *r);
enum rc page_case_new(struct web_req *r);
enum rc page_case_create(struct web_req *r);
enum rc page_case_event(struct web_req *r);
enum rc page_case_stats(struct web_req *r);
/* 报告 (page_reports.c) */
enum rc page_reports(struct web_req *r);
enum rc page_report_monthly(struct web_req *r);
enum rc page_report_annual(struct web_req *r);
enum rc api_report_monthly(struct web_req *r);
enum rc api_report_annual(struct web_req *r);

/* api_cases.c: /api/v1/cases */
enum rc api_cases(struct web_req *r);
enum rc api_case(struct web_req *r);
enum rc api_case_create(struct web_req *r);
enum rc api_case_event(struct web_req *r);
enum rc api_case_stats(struct web_req *r);

/* page_findings.c: 问题 */
enum rc page_findings(struct web_req *r);
enum rc page_finding(struct web_req *r);
enum rc page_finding_dismiss(struct web_req *r);
enum rc page_finding_restore(struct web_req *r);

/* api_findings.c: /api/v1/findings */
enum rc api_findings(struct web_req *r);
enum rc api_finding(struct web_req *r);
enum rc api_finding_dismiss(struct web_req *r);
enum rc api_finding_restore(struct web_req *r);

/* panels.c: 总览 panels, the site page's sections, their JSON twins, 办件统计 */
enum rc panel_verdicts(struct web_req *r);
enum rc panel_findings_by_unit(struct web_req *r);
enum rc panel_cases_due(struct web_req *r);
enum rc panel_cases_month(struct web_req *r);
enum rc section_site_verdicts(struct web_req *r, int64_t site_id);
enum rc section_site_availability(struct web_req *r, int64_t site_id);
enum rc section_site_findings(struct web_req *r, int64_t site_id);
enum rc api_verdicts(struct web_req *r);
enum rc api_findings_by_unit(struct web_req *r);
enum rc api_site_availability(struct web_req *r);

/* page_jobs.c / api_jobs.c: 任务调度 and /api/v1/jobs, /api/v1/schedule */
enum rc page_jobs(struct web_req *r);
enum rc page_jobs_enqueue(struct web_req *r);
enum rc page_job_retry(struct web_req *r);
enum rc page_job_cancel(struct web_req *r);
enum rc page_jobs_schedule(struct web_req *r);
enum rc api_jobs(struct web_req *r);
enum rc api_job(struct web_req *r);
enum rc api_jobs_enqueue(struct web_req *r);
enum rc api_job_retry(struct web_req *r);
enum rc api_job_cancel(struct web_req *r);
enum rc api_schedule(struct web_req *r);
enum rc api_schedule_set(struct web_req *r);

/* page_settings.c: 设置 */
enum rc page_settings(struct web_req *r);
enum rc page_settings_calendar(struct web_req *r);
/* The head of a 设置 page: layout, crumbs, title, the settings navigation, the saved flash. */
void web__settings_begin(struct web_req *r, const char *key, const char *title);
/* settings_retired.c: 设置 › 已关停网址 and /api/v1/settings/retired */
enum rc page_settings_retired(struct web_req *r);
enum rc page_settings_retired_add(struct web_req *r);
enum rc page_settings_retired_remove(struct web_req *r);
enum rc api_retired(struct web_req *r);
enum rc api_retired_add(struct web_req *r);
enum rc api_retired_remove(struct web_req *r);
enum rc page_settings_calendar_add(struct web_req *r);
enum rc page_settings_calendar_delete(struct web_req *r);
enum rc page_settings_wording(struct web_req *r);
enum rc page_settings_wording_add(struct web_req *r);
enum rc page_settings_wording_remove(struct web_req *r);
enum rc page_settings_wording_enable(struct web_req *r);
enum rc page_settings_wording_test(struct web_req *r);
enum rc page_settings_rules(struct web_req *r);
enum rc page_settings_exemptions(struct web_req *r);
enum rc page_settings_exemption_add(struct web_req *r);
enum rc page_settings_exemption_revoke(struct web_req *r);
enum rc page_settings_probes(struct web_req *r);

/* api_settings.c: /api/v1/settings/... */
enum rc api_calendar(struct web_req *r);
enum rc api_calendar_set(struct web_req *r);
enum rc api_calendar_unset(struct web_req *r);
enum rc api_wording(struct web_req *r);
enum rc api_wording_add(struct web_req *r);
enum rc api_wording_remove(struct web_req *r);
enum rc api_wording_enable(struct web_req *r);
enum rc api_wording_test(struct web_req *r);
enum rc api_rules(struct web_req *r);
enum rc api_exemptions(struct web_req *r);
enum rc api_exemption_add(struct web_req *r);
enum rc api_exemption_revoke(struct web_req *r);
enum rc api_probe_settings(struct web_req *r);

/* page_users.c: 用户 (pages and API) */
enum rc page_users(struct web_req *r);
enum rc page_user_new(struct web_req *r);
enum rc page_user_create(struct web_req *r);
enum rc page_user(struct web_req *r);
enum rc page_user_update(struct web_req *r);
enum rc api_users(struct web_req *r);
enum rc api_user_create(struct web_req *r);
enum rc api_user(struct web_req *r);
enum rc api_user_update(struct web_req *r);

/* page_public.c: the public side (routes with .public_side; docs/web.md "Public side") */
enum rc page_public_form(struct web_req *r);
enum rc page_public_submit(struct web_req *r);
enum rc page_public_lookup_form(struct web_req *r);
enum rc page_public_lookup(struct web_req *r);
enum rc api_public_submit(struct web_req *r);
enum rc api_public_lookup(struct web_req *r);
/* On an item's staff page: the application form's other fields when the item came from
 * the public side (personal ones only in the full view); nothing otherwise. */
void web__public_facts(struct web_req *r, const struct case_item *it, enum case_view view);

/* web_feed.c: 政声传递, 信息来源, 整改任务, 民生在线访谈 (pages, API, panels) */
enum rc page_repost(struct web_req *r);
enum rc api_repost_matrix(struct web_req *r);
enum rc page_feeds(struct web_req *r);
enum rc page_feed_add(struct web_req *r);
enum rc page_feed_pull(struct web_req *r);
enum rc api_feeds(struct web_req *r);
enum rc api_feed_add(struct web_req *r);
enum rc api_feed_pull(struct web_req *r);
enum rc api_feed_items(struct web_req *r);
enum rc page_tasks(struct web_req *r);
enum rc page_task(struct web_req *r);
enum rc page_task_add(struct web_req *r);
enum rc page_task_close(struct web_req *r);
enum rc api_tasks(struct web_req *r);
enum rc api_task(struct web_req *r);
enum rc api_task_add(struct web_req *r);
enum rc api_task_close(struct web_req *r);
enum rc page_interviews(struct web_req *r);
enum rc page_interview_add(struct web_req *r);
enum rc page_interview_delete(struct web_req *r);
enum rc api_interviews(struct web_req *r);
enum rc api_interview_add(struct web_req *r);
enum rc api_interview_delete(struct web_req *r);
enum rc panel_tasks_overdue(struct web_req *r);
enum rc panel_interview_next(struct web_req *r);
enum rc panel_repost(struct web_req *r);

#endif
