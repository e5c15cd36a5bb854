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
    { .method = "GET",    .pattern = "/users",              .fn = page_users,        .roles = ROLES_ADMIN },
    { .method = "GET",    .pattern = "/users/new",          .fn = page_user_new,     .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/users",              .fn = page_user_create,  .roles = ROLES_ADMIN,  .mutates = true },
    { .method = "GET",    .pattern = "/users/{id}",         .fn = page_user,         .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/users/{id}",         .fn = page_user_update,  .roles = ROLES_ADMIN,  .mutates = true },
    /* JSON API */
    { .method = "POST",   .pattern = "/api/v1/session",     .fn = api_session_new,   .roles = ROLES_PUBLIC, .mutates = true, .csrf_exempt = true },
    { .method = "GET",    .pattern = "/api/v1/session",     .fn = api_session_get,   .roles = ROLES_ALL },
    { .method = "DELETE", .pattern = "/api/v1/session",     .fn = api_session_end,   .roles = ROLES_ALL,    .mutates = true },
    { .method = "GET",    .pattern = "/api/v1/sites",       .fn = api_sites,         .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/sites/{id}",  .fn = api_site,          .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/sites/{id}/columns", .fn = api_site_columns, .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/units",       .fn = api_units,         .roles = ROLES_ALL },
    { .method = "GET",    .pattern = "/api/v1/users",       .fn = api_users,         .roles = ROLES_ADMIN },
    { .method = "POST",   .pattern = "/api/v1/users",       .fn = api_user_create,   .roles = ROLES_ADMIN,  .mutates = true },
    { .method = "GET",    .pattern = "/api/v1/users/{id}",  .fn = api_user,          .roles = ROLES_ADMIN },
    { .method = "PATCH",  .pattern = "/api/v1/users/{id}",  .fn = api_user_update,   .roles = ROLES_ADMIN,  .mutates = true },
    { NULL },
};
const size_t web_nroutes = sizeof(routes) / sizeof(routes[0]) - 1;

/* Only pages that exist have entries; 问题, 办件, 报告 and 设置 add theirs when they land. */
const struct web_nav web_navs[] = {
    { .key = "home",  .label = "总览",       .href = "/",      .roles = ROLES_ALL },
    { .key = "sites", .label = "站点与栏目", .href = "/sites", .roles = ROLES_ALL },
    { .key = "units", .label = "单位与用户", .href = "/units", .roles = ROLES_ALL },
    { NULL },
};

const struct web_panel web_panels[] = {
    { .key = "registry", .title = "登记情况",       .roles = ROLES_ALL, .render = panel_registry },
    { .key = "classes",  .title = "栏目类型分布",   .roles = ROLES_ALL, .render = panel_classes },
    { NULL },
};
/* clang-format on */
