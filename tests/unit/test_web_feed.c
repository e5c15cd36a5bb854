/* test_web_feed.c - the web side of src/feed: the authorization matrix of the 政声传递,
 * 信息来源, 整改任务 and 访谈 pages and API; editors confined to their unit's tasks and
 * matrix rows; escaping of feed titles; the dashboard's panels; closing a task by API. */
#include <stdio.h>
#include <string.h>

#include "core/date.h"
#include "feed/feed.h"
#include "tweb.h"

static const struct tw_cell matrix[] = {
    { "GET", "/repost", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/repost?status=missing", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/feeds", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "POST", "/feeds", "application/x-www-form-urlencoded",
      "name=f-%s&url=http%%3A%%2F%%2Fx.test%%2Fa.xml&level=city", { 303, 303, 403, 403 }, 303 },
    { "GET", "/tasks", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/tasks/1", NULL, NULL, { 200, 200, 404, 200 }, 303 },
    { "GET", "/tasks/2", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "POST", "/tasks", "application/x-www-form-urlencoded",
      "unit=%%E5%%B8%%82%%E6%%95%%99%%E8%%82%%B2%%E5%%B1%%80&description=t-%s",
      { 303, 303, 403, 403 }, 303 },
    { "GET", "/interviews", NULL, NULL, { 200, 200, 200, 200 }, 303 },
    { "GET", "/api/v1/repost/matrix", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/feeds", NULL, NULL, { 200, 200, 403, 200 }, 401 },
    { "GET", "/api/v1/feeds/items", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "POST", "/api/v1/feeds", "application/json",
      "{\"name\":\"j-%s\",\"url\":\"http://x.test/b.xml\",\"window_hours\":48}",
      { 201, 201, 403, 403 }, 401 },
    { "GET", "/api/v1/tasks", NULL, NULL, { 200, 200, 200, 200 }, 401 },
    { "GET", "/api/v1/tasks/1", NULL, NULL, { 200, 200, 404, 200 }, 401 },
    { "POST", "/api/v1/tasks", "application/json",
      "{\"unit\":\"市教育局\",\"description\":\"a-%s\"}", { 201, 201, 403, 403 }, 401 },
    { "GET", "/api/v1/interviews", NULL, NULL, { 200, 200, 200, 200 }, 401 },
};

static void fill_who(const struct tw_cell *c, const char *who, void *ctx, const char **path,
                     char *body, size_t cap)
{
    (void)ctx, (void)path;
    if (!c->body)
        return;
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
    snprintf(body, cap, c->body, who);
#pragma GCC diagnostic pop
}

/* Task 1 for 市政府办公室, task 2 for 市交通局; an upstream item with markup in its title;
 * an interview of 市交通局 in a week. */
static void plant(struct tsrv *t)
{
    struct err e = { 0 };
    int64_t office, jt, src;
    ASSERT_OK(reg_unit_lookup(t->db, "市政府办公室", &office, &e), &e);
    ASSERT_OK(reg_unit_lookup(t->db, "市交通局", &jt, &e), &e);
    struct task_new n = { .unit_id = office, .description = "整改首页", .due = DATE_NONE,
                          .by = "admin" };
    ASSERT_OK(task_add(t->db, &t->clk, &n, NULL, &e), &e);
    n.unit_id = jt;
    n.description = "整改<b>交通</b>栏目";
    ASSERT_OK(task_add(t->db, &t->clk, &n, NULL, &e), &e);
    struct feed_source_new s = { .name = "国务院<i>", .url = "http://www.gov.test/rss.xml" };
    ASSERT_OK(feed_source_add(t->db, &t->clk, &s, &src, &e), &e);
    int64_t at = clk_now(&t->clk) - 3 * 86400;
    ASSERT_OK(store_exec(t->db, &e,
                         "INSERT INTO feed_items (source_id, url, title, published_at, "
                         "first_seen, last_seen) VALUES (?, 'http://www.gov.test/1.htm', "
                         "'<script>alert(1)</script>国务院通知', ?, ?, ?)",
                         "iiii", src, at, at, at),
              &e);
    ASSERT_OK(interview_add(t->db, &t->clk, jt, clk_today(&t->clk) + 7, "交通出行", "admin", NULL,
                            &e),
              &e);
}

TEST(web_feed_authorization_matrix)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        plant(&t);
        tw_run_matrix(&t, matrix, sizeof(matrix) / sizeof(matrix[0]), false, fill_who, NULL,
                      "整改首页");
        tw_run_matrix(&t, matrix + 9, sizeof(matrix) / sizeof(matrix[0]) - 9, true, fill_who,
                      NULL, "整改首页");
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM feed_sources WHERE name = 'f-admin-s'"), 1);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM feed_sources WHERE name = 'j-supervisor-t'"),
                      1);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM feed_sources WHERE name LIKE '%editor%'"), 0);
        ASSERT_EQ_INT(count(t.db, "SELECT COUNT(*) FROM tasks WHERE description LIKE '%viewer%'"), 0);
        srv_stop(&t);
    }
}

TEST(web_feed_editor_scope_escaping_panels_and_close)
{
    for (int b = 0; b < t_backends(); b++) {
        struct tsrv t;
        srv_start(&t, b);
        plant(&t);
        struct sess ed, ad;
        login_role(&t, 2, &ed); /* editor of 市交通局 */
        login_role(&t, 0, &ad);
        struct resp r;
        get(&t, "/api/v1/tasks", ed.token, &r);
        EXPECT_STATUS(&r, 200, "editor's tasks");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"total\":1");
        ASSERT_CONTAINS(buf_cstr(&r.body), "市交通局");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "整改首页");
        resp_free(&r);
        /* matrix rows: only the editor's unit's sites */
        get(&t, "/api/v1/repost/matrix", ed.token, &r);
        EXPECT_STATUS(&r, 200, "editor's matrix");
        ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "示范市人民政府门户网站");
        ASSERT_CONTAINS(buf_cstr(&r.body), "示范市交通运输局网站");
        resp_free(&r);
        get(&t, "/api/v1/repost/matrix", ad.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "示范市人民政府门户网站");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"status\":\"missing\"");
        resp_free(&r);
        get(&t, "/api/v1/repost/matrix?status=bogus", ad.token, &r);
        EXPECT_STATUS(&r, 400, "bad status filter");
        resp_free(&r);
        /* escaping */
        const char *pages[] = { "/repost", "/feeds", "/tasks", "/" };
        for (int i = 0; i < 4; i++) {
            get(&t, pages[i], ad.token, &r);
            EXPECT_STATUS(&r, 200, pages[i]);
            ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "<script>alert");
            ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "<b>交通</b>");
            ASSERT_NOT_CONTAINS(buf_cstr(&r.body), "国务院<i>");
            resp_free(&r);
        }
        get(&t, "/repost", ad.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "&lt;script&gt;alert(1)&lt;/script&gt;国务院通知");
        ASSERT_CONTAINS(buf_cstr(&r.body), "st-overdue");
        resp_free(&r);
        /* the dashboard reminds of the interview in a week */
        get(&t, "/", ed.token, &r);
        ASSERT_CONTAINS(buf_cstr(&r.body), "id=\"interview-next\"");
        ASSERT_CONTAINS(buf_cstr(&r.body), "还有 7 天");
        resp_free(&r);
        /* closing by API needs a note; then the task is closed */
        http(&t,
             &(struct call){ .method = "POST", .path = "/api/v1/tasks/2/close",
                             .session = ad.token, .csrf = ad.csrf,
                             .ctype = "application/json", .body = "{}" },
             &r);
        EXPECT_STATUS(&r, 400, "close without a note");
        resp_free(&r);
        http(&t,
             &(struct call){ .method = "POST", .path = "/api/v1/tasks/2/close",
                             .session = ad.token, .csrf = ad.csrf,
                             .ctype = "application/json", .body = "{\"note\":\"已整改\"}" },
             &r);
        EXPECT_STATUS(&r, 200, "close");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"state\":\"closed\"");
        resp_free(&r);
        /* interviews by API */
        http(&t,
             &(struct call){ .method = "POST", .path = "/api/v1/interviews",
                             .session = ad.token, .csrf = ad.csrf,
                             .ctype = "application/json",
                             .body = "{\"unit\":\"市教育局\",\"date\":\"2019-01-18\"}" },
             &r);
        EXPECT_STATUS(&r, 201, "interview add");
        ASSERT_CONTAINS(buf_cstr(&r.body), "\"date\":\"2019-01-18\"");
        resp_free(&r);
        http(&t,
             &(struct call){ .method = "DELETE", .path = "/api/v1/interviews/1",
                             .session = ed.token, .csrf = ed.csrf },
             &r);
        EXPECT_STATUS(&r, 403, "an editor cannot delete an interview");
        resp_free(&r);
        srv_stop(&t);
    }
}
