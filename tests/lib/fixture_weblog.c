/* fixture_weblog.c - a deterministic synthetic access log with its truth (see the .h). */
#include "fixture_weblog.h"

#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/map.h"

static const char *const browsers[] = {
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/70.0.3538.102 Safari/537.36",
    "Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/63.0.3239.132 Safari/537.36 QIHU 360SE",
    "Mozilla/5.0 (iPhone; CPU iPhone OS 12_1 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like "
    "Gecko) Mobile/16B92 MicroMessenger/6.7.4(0x1607042c) NetType/WIFI Language/zh_CN",
    "Mozilla/5.0 (Linux; Android 8.1.0; PACM00 Build/O11019; wv) AppleWebKit/537.36 (KHTML, "
    "like Gecko) Version/4.0 Chrome/57.0.2987.132 MQQBrowser/6.2 TBS/044304 Mobile "
    "Safari/537.36 MicroMessenger/6.7.3.1360(0x26070333) NetType/4G Language/zh_CN",
    "Mozilla/5.0 (Windows NT 10.0; WOW64; Trident/7.0; rv:11.0) like Gecko",
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_14_1) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/12.0.1 Safari/605.1.15",
    "Mozilla/5.0 (Linux; Android 9; CUBOT P30) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/70.0.3538.110 Mobile Safari/537.36",
};
static const char *const bots[] = {
    "Mozilla/5.0 (compatible; Baiduspider/2.0; +http://www.baidu.com/search/spider.html)",
    "Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)",
    "Mozilla/5.0 (Linux; Android 5.0) AppleWebKit/537.36 (KHTML, like Gecko) Mobile "
    "Safari/537.36 (compatible; Bytespider; bytespider@bytedance.com)",
    "Mozilla/5.0 (Linux; Android 11; Pixel 5) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/90.0.4430.91 Mobile Safari/537.36 YisouSpider/5.0",
    "Mozilla/5.0 (compatible; PetalBot;+https://webmaster.petalsearch.com/site/petalbot)",
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/91.0.4472.114 Safari/537.36; 360Spider",
    "Sogou web spider/4.0(+http://www.sogou.com/docs/help/webmasters.htm#07)",
    "curl/7.52.1",
    "python-requests/2.20.0",
    "-",
    "Mozilla/5.0 (compatible; \\xE6\\x94\\xBF\\xE5\\xBA\\x9C\\xE7\\xBD\\x91\\xE7\\xAB\\x99\\xE7"
    "\\x9B\\x91\\xE6\\xB5\\x8B/2.0)",
};
static const char *const months[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                      "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
#define NB   (sizeof(browsers) / sizeof(browsers[0]))
#define NBOT (sizeof(bots) / sizeof(bots[0]))

struct gen {
    uint64_t s;
    const struct fx_weblog_opts *o;
    struct fx_weblog_truth *t;
    struct map year, month[12], day;
    FILE *f;
    int32_t civil;
    int y, m, d;
    int sec;
    int err;
};

static uint64_t rnd(struct gen *g)
{
    g->s ^= g->s >> 12;
    g->s ^= g->s << 25;
    g->s ^= g->s >> 27;
    return g->s * 2685821657736338717ULL;
}

static double unit(struct gen *g)
{
    return (double)(rnd(g) >> 11) / 9007199254740992.0;
}

static void ip_of(int v, char *out, size_t n)
{
    if (v % 9 == 1) /* shares the address of the one before (NAT) */
        v--;
    uint64_t h = (uint64_t)v * 0x9E3779B97F4A7C15ULL;
    if (v % 23 == 5)
        snprintf(out, n, "240e:3a1:%x:%x::%x", (unsigned)(h >> 48), (unsigned)(h >> 32) & 0xffff,
                 (unsigned)h & 0xffff);
    else
        snprintf(out, n, "%u.%u.%u.%u", 36 + (unsigned)(h >> 56) % 180, (unsigned)(h >> 48) & 0xff,
                 (unsigned)(h >> 40) & 0xff, 1 + (unsigned)(h >> 32) % 254);
}

static void line(struct gen *g, const char *ip, const char *method, const char *path, int status,
                 const char *ref, const char *ua)
{
    int s = g->sec < 86399 ? g->sec : 86399;
    if (fprintf(g->f,
                "%s - - [%02d/%s/%04d:%02d:%02d:%02d +0800] \"%s %s HTTP/1.1\" %d %d \"%s\" "
                "\"%s\"\n",
                ip, g->d, months[g->m - 1], g->y, s / 3600, s / 60 % 60, s % 60, method, path,
                status, status == 304 ? 0 : 1000 + (int)(rnd(g) % 30000), ref, ua) < 0)
        g->err = 1;
    g->t->lines++;
}

static void count_view(struct gen *g, const char *ip, const char *ua)
{
    char key[600];
    snprintf(key, sizeof(key), "%s|%s", ip, ua);
    g->t->pageviews++;
    g->t->pageviews_month[g->m - 1]++;
    map_puts(&g->year, key, NULL);
    map_puts(&g->month[g->m - 1], key, NULL);
    map_puts(&g->day, key, NULL);
}

static void page_path(struct gen *g, char *out, size_t n)
{
    const struct fx_weblog_opts *o = g->o;
    double r = unit(g);
    if (r < 0.25 || !o->ndirs) {
        snprintf(out, n, r < 0.15 ? "/" : "/index.html");
        return;
    }
    const char *dir = o->dirs[rnd(g) % o->ndirs];
    if (r < 0.45)
        snprintf(out, n, "%sindex.html", dir);
    else if (r < 0.5)
        snprintf(out, n, "%s", dir);
    else if (r < 0.55)
        snprintf(out, n, "/search/index.html?q=%%E4%%BA%%A4%%E9%%80%%9A&p=%d", (int)(rnd(g) % 5));
    else
        snprintf(out, n, "%s%04d%02d/t%04d%02d%02d_%d.html", dir, g->y, g->m, g->y, g->m, g->d,
                 1000 + (int)(rnd(g) % 300));
}

static void session(struct gen *g)
{
    int v = (int)((double)g->o->visitors * unit(g) * unit(g)); /* some come back often */
    char ip[64];
    ip_of(v, ip, sizeof(ip));
    const char *ua = browsers[((uint64_t)v * 2654435761u) % NB];
    int pages = 1 + (int)(rnd(g) % 4);
    char ref[700] = "https://www.baidu.com/link?url=abc";
    for (int i = 0; i < pages; i++) {
        char path[512];
        page_path(g, path, sizeof(path));
        double r = unit(g);
        int status = r < 0.03 ? 404 : r < 0.04 ? 500 : r < 0.08 ? 304 : 200;
        if (path[strlen(path) - 1] != '/' && !strchr(path, '.') && !strchr(path, '?'))
            status = 301;
        const char *method = unit(g) < 0.01 ? "HEAD" : "GET";
        line(g, ip, method, path, status, ref, ua);
        if (!strcmp(method, "GET") && (status == 200 || status == 304))
            count_view(g, ip, ua);
        if (i == 0 && status == 200) {
            static const char *const assets[] = { "/css/main.css", "/js/common.js",
                                                  "/images/logo.png", "/fonts/fa.woff2",
                                                  "/attach/201811/P020181101.pdf" };
            for (size_t a = 0; a < 3 + rnd(g) % 3; a++)
                line(g, ip, "GET", assets[a], unit(g) < 0.3 ? 304 : 200, path, ua);
        }
        if (unit(g) < 0.01)
            line(g, ip, "POST", "/hdjl/submit.do", 200, path, ua);
        snprintf(ref, sizeof(ref), "http://www.example.gov.cn%s", path);
        g->sec += 1 + (int)(rnd(g) % 20);
    }
}

static void robot(struct gen *g)
{
    const char *ua = bots[rnd(g) % NBOT];
    char ip[32], path[512];
    snprintf(ip, sizeof(ip), "220.181.108.%d", 1 + (int)(rnd(g) % 200));
    page_path(g, path, sizeof(path));
    line(g, ip, "GET", path, unit(g) < 0.1 ? 304 : 200, "-", ua);
    g->t->bot_lines++;
}

static void probe(struct gen *g)
{
    static const char *const paths[] = { "/wp-login.php", "/.env", "/phpmyadmin/index.php",
                                         "/admin/login.asp" };
    char ip[32];
    snprintf(ip, sizeof(ip), "45.%d.%d.%d", (int)(rnd(g) % 256), (int)(rnd(g) % 256),
             1 + (int)(rnd(g) % 254));
    line(g, ip, "GET", paths[rnd(g) % 4], 404, "-", browsers[rnd(g) % NB]);
}

int fx_weblog_write(FILE *out, const struct fx_weblog_opts *o, fx_weblog_split split, void *ctx,
                    struct fx_weblog_truth *t)
{
    memset(t, 0, sizeof(*t));
    struct gen g = { .s = o->seed ? o->seed : 1, .o = o, .t = t, .f = out };
    int32_t first = date_from_ymd(o->year, 1, 1);
    for (int di = 0; di < o->days && !g.err; di++) {
        g.civil = first + di;
        date_to_ymd(g.civil, &g.y, &g.m, &g.d);
        if (split) {
            g.f = split(ctx, di, g.civil);
            if (!g.f)
                return -1;
        }
        map_release(&g.day, NULL);
        int64_t start = t->lines;
        /* busier on weekdays */
        int target = o->lines_per_day * (date_weekday(g.civil) >= 6 ? 2 : 3) / 3;
        g.sec = 0;
        while (t->lines - start < target && !g.err) {
            g.sec = (int)((t->lines - start) * 86000 / (target ? target : 1));
            double r = unit(&g);
            if (r < 0.62)
                session(&g);
            else if (r < 0.95)
                robot(&g);
            else
                probe(&g);
        }
        t->visitor_days += (int64_t)g.day.n;
    }
    t->visitors = (int64_t)g.year.n;
    for (int m = 0; m < 12; m++) {
        t->visitors_month[m] = (int64_t)g.month[m].n;
        map_release(&g.month[m], NULL);
    }
    map_release(&g.year, NULL);
    map_release(&g.day, NULL);
    return g.err ? -1 : 0;
}
