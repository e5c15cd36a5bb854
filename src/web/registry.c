/* registry.c - the tables of the web layer: routes, navigation entries, dashboard panels.
 * See "Adding a route/page" in web.h. */
#include "web/web_int.h"

/* clang-format off */
const struct route routes[] = {
    /* service */
    { .method = "GET",    .pattern = "/healthz",            .fn = page_healthz,      .roles = ROLES_PUBLIC },
    { .method = "GET",    .pattern = "/metrics",            .fn = page_metrics,      .roles = ROLES_PUBLIC },
    { .method = "GET",    .pattern = "/static/{name}",      .fn = page_static,       .roles = ROLES_PUBLIC },
    /* 登录/退出 */
    { .method = "GET",    .pattern = "/login",              .fn = page_login_form,   .roles = ROLES_PUBLIC },
    { .method = "POST",   .pattern = "/login",              .fn = page_login,        .roles = ROLES_PUBLIC, .mutates = true, .csrf_exempt = true },
    { .method = "POST",   .pattern = "/logout",             .fn = page_logout,       .roles = ROLES_ALL,    .mutates = true },
    /* pages */
    { .method = "GET",    .pattern = "/",                   .fn = page_home,         .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/sites",              .fn = page_sites,        .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/sites/{id}",         .fn = page_site,         .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/units",              .fn = page_units,        .roles = ROLES_ALL },
    /* 办件 (the literal paths before /cases/{number}) */
    { .method = "GET",    .pattern = "/cases",              .fn = page_cases,        .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/cases/new",          .fn = page_case_new,     .roles = ROLES_STAFF | ROLE_EDITOR },
    { .method = "GET",    .pattern = "/cases/stats",        .fn = page_case_stats,   .roles = ROLES_STAFF | ROLE_VIEWER },
    { .method = "POST",   .pattern = "/cases",              .fn = page_case_create,  .roles = ROLES_STAFF | ROLE_EDITOR, .mutates = true },
    { .method = "GET",    .pattern = "/cases/{number+}",     .fn = page_case,         .roles = ROLES_ALL },
    { .method = "POST",   .pattern = "/cases/{number+}/events", .fn = page_case_event, .roles = ROLES_STAFF | ROLE_EDITOR, .mutates = true },
    /* 问题 */
    { .method = "GET",    .pattern = "/findings",           .fn = page_findings,     .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/findings/{id}",      .fn = page_finding,      .roles = ROLES_ALL },
    { .method = "POST",   .pattern = "/findings/{id}/dismiss", .fn = page_finding_dismiss, .roles = ROLES_STAFF, .mutates = true },
    { .method = "POST",   .pattern = "/findings/{id}/restore", .fn = page_finding_restore, .roles = ROLES_STAFF, .mutates = true },
    { .method = "GET",    .pattern = "/users",              .fn = page_users,        .roles = ROLES_ADMIN },
    { .method = "GET",    .pattern = "/users/new",          .fn = page_user_new,     .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/users",              .fn = page_user_create,  .roles = ROLES_ADMIN,  .mutates = true },
    { .method = "GET",    .pattern = "/users/{id}",         .fn = page_user,         .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/users/{id}",         .fn = page_user_update,  .roles = ROLES_ADMIN,  .mutates = true },
    /* 设置 (admins) */
    { .method = "GET",    .pattern = "/settings",           .fn = page_settings,     .roles = ROLES_ADMIN },
    { .method = "GET",    .pattern = "/settings/calendar",  .fn = page_settings_calendar, .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/settings/calendar",  .fn = page_settings_calendar_add, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "POST",   .pattern = "/settings/calendar/{date}/delete", .fn = page_settings_calendar_delete, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "GET",    .pattern = "/settings/wording",   .fn = page_settings_wording, .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/settings/wording",   .fn = page_settings_wording_add, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "POST",   .pattern = "/settings/wording/remove", .fn = page_settings_wording_remove, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "POST",   .pattern = "/settings/wording/enable", .fn = page_settings_wording_enable, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "POST",   .pattern = "/settings/wording/test", .fn = page_settings_wording_test, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "GET",    .pattern = "/settings/rules",     .fn = page_settings_rules, .roles = ROLES_ADMIN },
    { .method = "GET",    .pattern = "/settings/exemptions", .fn = page_settings_exemptions, .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/settings/exemptions", .fn = page_settings_exemption_add, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "POST",   .pattern = "/settings/exemptions/{column}/revoke", .fn = page_settings_exemption_revoke, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "GET",    .pattern = "/settings/probes",    .fn = page_settings_probes, .roles = ROLES_ADMIN },
    { .method = "GET",    .pattern = "/settings/retired",   .fn = page_settings_retired, .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/settings/retired",   .fn = page_settings_retired_add, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "POST",   .pattern = "/settings/retired/remove", .fn = page_settings_retired_remove, .roles = ROLES_ADMIN, .mutates = true },
    /* JSON API */
    { .method = "POST",   .pattern = "/api/v1/session",     .fn = api_session_new,   .roles = ROLES_PUBLIC, .mutates = true, .csrf_exempt = true },
    { .method = "GET",    .pattern = "/api/v1/session",     .fn = api_session_get,   .roles = ROLES_ALL },
    { .method = "DELETE", .pattern = "/api/v1/session",     .fn = api_session_end,   .roles = ROLES_ALL,    .mutates = true },
    { .method = "GET",    .pattern = "/api/v1/sites",       .fn = api_sites,         .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/sites/{id}",  .fn = api_site,          .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/sites/{id}/columns", .fn = api_site_columns, .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/sites/{id}/availability", .fn = api_site_availability, .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/verdicts",    .fn = api_verdicts,      .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/units",       .fn = api_units,         .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/cases",       .fn = api_cases,         .roles = ROLES_ALL },
    { .method = "POST",   .pattern = "/api/v1/cases",       .fn = api_case_create,   .roles = ROLES_STAFF | ROLE_EDITOR, .mutates = true },
    { .method = "GET",    .pattern = "/api/v1/cases/stats", .fn = api_case_stats,    .roles = ROLES_STAFF | ROLE_VIEWER },
    { .method = "GET",    .pattern = "/api/v1/cases/{number+}", .fn = api_case,       .roles = ROLES_ALL },
    { .method = "POST",   .pattern = "/api/v1/cases/{number+}/events", .fn = api_case_event, .roles = ROLES_STAFF | ROLE_EDITOR, .mutates = true },
    { .method = "GET",    .pattern = "/api/v1/findings",    .fn = api_findings,      .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/findings/by-unit", .fn = api_findings_by_unit, .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/findings/{id}", .fn = api_finding,     .roles = ROLES_ALL },
    { .method = "POST",   .pattern = "/api/v1/findings/{id}/dismiss", .fn = api_finding_dismiss, .roles = ROLES_STAFF, .mutates = true },
    { .method = "POST",   .pattern = "/api/v1/findings/{id}/restore", .fn = api_finding_restore, .roles = ROLES_STAFF, .mutates = true },
    { .method = "GET",    .pattern = "/api/v1/settings/calendar", .fn = api_calendar, .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/api/v1/settings/calendar", .fn = api_calendar_set, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "DELETE", .pattern = "/api/v1/settings/calendar/{date}", .fn = api_calendar_unset, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "GET",    .pattern = "/api/v1/settings/wording", .fn = api_wording,  .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/api/v1/settings/wording", .fn = api_wording_add, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "POST",   .pattern = "/api/v1/settings/wording/remove", .fn = api_wording_remove, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "POST",   .pattern = "/api/v1/settings/wording/enable", .fn = api_wording_enable, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "POST",   .pattern = "/api/v1/settings/wording/test", .fn = api_wording_test, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "GET",    .pattern = "/api/v1/settings/rules", .fn = api_rules,      .roles = ROLES_ADMIN },
    { .method = "GET",    .pattern = "/api/v1/settings/retired", .fn = api_retired,  .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/api/v1/settings/retired", .fn = api_retired_add, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "POST",   .pattern = "/api/v1/settings/retired/remove", .fn = api_retired_remove, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "GET",    .pattern = "/api/v1/settings/exemptions", .fn = api_exemptions, .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/api/v1/settings/exemptions", .fn = api_exemption_add, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "DELETE", .pattern = "/api/v1/settings/exemptions/{column}", .fn = api_exemption_revoke, .roles = ROLES_ADMIN, .mutates = true },
    { .method = "GET",    .pattern = "/api/v1/settings/probes", .fn = api_probe_settings, .roles = ROLES_ADMIN },
    { .method = "GET",    .pattern = "/api/v1/users",       .fn = api_users,         .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/api/v1/users",       .fn = api_user_create,   .roles = ROLES_ADMIN,  .mutates = true },
    { .method = "GET",    .pattern = "/api/v1/users/{id}",  .fn = api_user,          .roles = ROLES_ADMIN },
    { .method = "PATCH",  .pattern = "/api/v1/users/{id}",  .fn = api_user_update,   .roles = ROLES_ADMIN,  .mutates = true },
    { NULL },
};
const size_t web_nroutes = sizeof(routes) / sizeof(routes[0]) - 1;

/* Only pages that exist have entries; 报告 adds its own when it lands (after 办件). */
const struct web_nav web_navs[] = {
    { .key = "home",     .label = "总览",       .href = "/",         .roles = ROLES_ALL },
    { .key = "sites",    .label = "站点与栏目", .href = "/sites",    .roles = ROLES_ALL },
    { .key = "findings", .label = "问题",       .href = "/findings", .roles = ROLES_ALL },
    { .key = "cases",    .label = "办件",       .href = "/cases",    .roles = ROLES_ALL },
    { .key = "units",    .label = "单位与用户", .href = "/units",    .roles = ROLES_ALL },
    { .key = "settings", .label = "设置",       .href = "/settings", .roles = ROLES_ADMIN },
    { NULL },
};

/* The panels of 总览, in order.  The crawler's publication counts (本月信息发布) and the
 * weblog's traffic (访问量) come as rows here, after cases-month: { key, title, roles,
 * render } with render appending the panel's body (see web.h). */
const struct web_panel web_panels[] = {
    { .key = "verdicts",    .title = "检查结论（国办秘函〔2019〕19号）", .roles = ROLES_ALL, .render = panel_verdicts },
    { .key = "findings",    .title = "各单位未解决问题",     .roles = ROLES_ALL, .render = panel_findings_by_unit },
    { .key = "cases-due",   .title = "办件：逾期与即将到期", .roles = ROLES_ALL, .render = panel_cases_due },
    { .key = "cases-month", .title = "本月办件统计",         .roles = ROLES_STAFF | ROLE_VIEWER, .render = panel_cases_month },
    { .key = "registry",    .title = "登记情况",             .roles = ROLES_ALL, .render = panel_registry },
    { .key = "classes",     .title = "栏目类型分布",         .roles = ROLES_ALL, .render = panel_classes },
    { NULL },
};

/* The sections of a site's page after its facts; the freshness check adds its own. */
const struct web_site_section web_site_sections[] = {
    { .key = "verdicts",     .title = "检查结论",         .roles = ROLES_ALL, .render = section_site_verdicts },
    { .key = "availability", .title = "可用性（近7天）",  .roles = ROLES_ALL, .render = section_site_availability },
    { .key = "findings",     .title = "未解决问题",       .roles = ROLES_ALL, .render = section_site_findings },
    { NULL },
};
/* clang-format on */
