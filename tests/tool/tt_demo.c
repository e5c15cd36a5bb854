/* tt_demo.c - `testtool gen-demo-sites` and `testtool serve`: the demo city's websites.
 *
 *   testtool gen-demo-sites OUTDIR [--data DIR] [--config FILE]
 *       Reads DIR/{units,sites,columns}.csv (default data/demo) and writes one TRS-style
 *       site per registered website under OUTDIR/HOST/, plus OUTDIR/manifest.json (what
 *       was planted: stale and blank columns, broken links, links to the retired service
 *       hall, missing required items, outdated agency names, articles per unit in
 *       November 2018) and OUTDIR/hosts.txt.  Deterministic: the same input and knobs give
 *       the same bytes.  Knobs are documented in docs/crawl.md ("The demo sites").
 *   testtool serve DIR [--port N] [--port-file FILE]
 *       Serve DIR/HOST/PATH on 127.0.0.1 by the Host header until SIGTERM or SIGINT.
 */
#include <errno.h>
#include <pthread.h>
#include <iconv.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "core/buf.h"
#include "core/charset.h"
#include "core/conf.h"
#include "core/date.h"
#include "core/esc.h"
#include "core/json.h"
#include "core/map.h"
#include "core/notes.h"
#include "core/str.h"
#include "core/vec.h"
#include "core/xalloc.h"
#include "fixture_http.h"
#include "reg/reg.h"
#include "store/store.h"
#include "testtool.h"

/* ------------------------------------------------------------------ knobs --- */

/* Built-in defaults; the [demo], [november], [stale], [blank], [required] sections of
 * --config FILE change or extend them (docs/crawl.md). */
struct knobs {
    int32_t as_of;          /* the demo's "today" */
    uint64_t seed;
    int per_page;           /* items per list page */
    int history;            /* older items per column (before November 2018), at most */
    int broken_home;        /* broken links on each home page */
    int broken_every;       /* one article in N links a missing attachment */
    int retired_every;      /* one service article in N links the retired hall */
    int wording;            /* articles per site naming an agency by its old name */
    const char *retired;    /* the retired service hall */
    struct conf c;
};

static const struct {
    const char *unit;
    int count;
} november_default[] = {
    { "高栏港区", 899 }, { "市食药监局", 188 }, { "市人社局", 95 }, { "市教育局", 80 },
};

/* Columns whose latest item is long before the as-of date (path substring → date). */
static const struct {
    const char *match, *latest;
} stale_default[] = {
    { "主题服务>交通服务", "2018-03-20" },          { "看病就医>", "2017-09-12" },
    { "疾病预防>", "2017-11-02" },                  { "管理中心及管理部服务网点", "2016-12-20" },
    { "不动产权登记>表格下载", "2017-06-30" },      { "扶贫政策法规>", "2017-08-15" },
    { "残疾人福利>", "2017-10-10" },
};
/* Columns with no item at all. */
static const char *const blank_default[] = { "残疾人福利>常见问题", "医疗机构监管>无证行医处罚公告" };
/* Columns with required items: the words their pages do say (the rest are missing). */
static const struct {
    const char *match, *says;
} required_default[] = {
    { "本级统计医疗服务信息概况", "全市共有医疗卫生机构412家，全年门诊量1260万人次。" },
    { "院务公开>医疗机构概况", "医院设有门诊部，开设内科、外科等科室。" },
    { "院务公开>医疗服务概况", "医院定期开展健康教育讲座。" },
    { "院务公开>党风廉政建设", "医院党委公布党风廉政建设情况。" },
};

static const char *knob_str(struct knobs *k, const char *sec, const char *key, const char *def)
{
    return conf_get(&k->c, sec, key, def);
}

static int knob_int(struct knobs *k, const char *key, int def)
{
    int64_t v = def;
    conf_int(&k->c, "demo", key, def, 0, 1000000, &v, NULL);
    return (int)v;
}

/* --------------------------------------------------------------- helpers --- */

static uint64_t rng_state;

static uint64_t rnd(void)
{
    uint64_t x = rng_state;
    x ^= x << 13;
    x ^= x >> 7;
    x ^= x << 17;
    return rng_state = x;
}

static int rnd_in(int lo, int hi) /* inclusive */
{
    return lo + (int)(rnd() % (uint64_t)(hi - lo + 1));
}

static int mkdirs(const char *path)
{
    char tmp[4096];
    snprintf(tmp, sizeof(tmp), "%s", path);
    for (char *p = tmp + 1; *p; p++)
        if (*p == '/') {
            *p = 0;
            if (mkdir(tmp, 0755) != 0 && errno != EEXIST)
                return -1;
            *p = '/';
        }
    return mkdir(tmp, 0755) != 0 && errno != EEXIST ? -1 : 0;
}

/* Write OUT/host/path (a trailing '/' means index.html), optionally in GBK. */
static int write_page(const char *out, const char *host, const char *path, const struct buf *b,
                      bool gbk)
{
    char full[4096];
    size_t pl = strlen(path);
    snprintf(full, sizeof(full), "%s/%s%s%s", out, host, path,
             pl && path[pl - 1] == '/' ? "index.html" : "");
    char dir[4096];
    snprintf(dir, sizeof(dir), "%s", full);
    char *slash = strrchr(dir, '/');
    *slash = 0;
    if (mkdirs(dir) != 0)
        return -1;
    FILE *f = fopen(full, "wb");
    if (!f)
        return -1;
    if (gbk) {
        iconv_t cd = iconv_open("GBK//TRANSLIT", "UTF-8");
        char *ip = b->p, tmp[8192];
        size_t il = b->n;
        while (il > 0) {
            char *op = tmp;
            size_t ol = sizeof(tmp);
            if (iconv(cd, &ip, &il, &op, &ol) == (size_t)-1 && errno != E2BIG) {
                ip++, il--; /* not representable: drop the byte */
            }
            fwrite(tmp, 1, (size_t)(op - tmp), f);
        }
        iconv_close(cd);
    } else {
        fwrite(b->p, 1, b->n, f);
    }
    return fclose(f);
}

/* ----------------------------------------------------------------- model --- */

struct ditem {
    int32_t day;
    int id;
    char *path;     /* /xw/sfyw/201811/t20181130_123.html */
    char *title;
    bool pinned;
    bool old_name;  /* names an agency by its pre-2018 name */
    bool broken;    /* links a missing attachment */
    bool retired;   /* links the retired service hall */
};

struct dsite;

struct dcol {
    int64_t id;
    struct dsite *site;
    char *path;     /* 新闻>示范要闻 */
    char *dir;      /* /xw/sfyw/ */
    char *unit;     /* short name */
    char *klass;
    int freshness;  /* days, 0 = not checked */
    const char *says;   /* required-items text, or NULL */
    char *required;
    bool stale, blank, gbk;
    int32_t forced; /* latest date of a stale column */
    int nov;        /* articles in November 2018 */
    VEC(struct ditem) items; /* newest first (pinned ones on top) */
};

struct dsite {
    int64_t id;
    char *name, *url, *host, *code, *status, *unit, *unit_full;
    bool portal;
    VEC(struct dcol *) cols;
};

struct model {
    VEC(struct dsite *) sites;
    VEC(struct dcol *) cols;
    struct map unit_full;    /* short → full name */
    int next_id;
    /* the manifest's lists */
    struct buf broken, retired, wording;
    size_t nbroken, nretired, nwording;
};

static const char *const topics[] = {
    "安全生产", "优化营商环境", "就业创业", "社会保险", "招生考试", "食品安全", "扶贫开发",
    "环境保护", "医疗服务", "文明城市创建", "扫黑除恶专项斗争", "防汛防台风", "政务公开",
    "人才引进", "重点项目建设", "乡村振兴", "城市管理", "消防安全", "减税降费", "交通运输",
};

/* The demo's upstream policy items (政声传递): served as an RSS feed of the national
 * portal (www.gov.test/rss.xml) and a GBK push feed of the province
 * (www.gd.test/push.xml); each 政声传递-class column re-posts some on time, some late and
 * misses some, by a fixed rule (plan_reposts). */
static const struct {
    const char *title, *doc_no, *when; /* when: China time */
    bool province;
} upstream[] = {
    { "国务院关于支持自由贸易试验区深化改革创新若干措施的通知", "国发〔2018〕38号",
      "2018-11-23 18:00", false },
    { "国务院办公厅关于印发全国深化“放管服”改革转变政府职能电视电话会议重点任务分工方案的通知",
      "国办发〔2018〕79号", "2018-11-08 17:30", false },
    { "国务院关于同意在上海市开展“证照分离”改革试点的批复", NULL, "2018-11-15 16:00", false },
    { "李克强主持召开国务院常务会议 部署推进物流降本增效", NULL, "2018-11-21 19:00", false },
    { "广东省人民政府关于印发广东省降低制造业企业成本支持实体经济发展若干政策措施（修订版）的通知",
      "粤府〔2018〕79号", "2018-11-05 09:30", true },
    { "广东省人民政府办公厅关于印发广东省深化“放管服”改革优化营商环境工作方案的通知", NULL,
      "2018-11-16 11:00", true },
};
#define NUPSTREAM (sizeof(upstream) / sizeof(upstream[0]))

static int32_t upstream_day(size_t i)
{
    int64_t t = 0;
    time_parse(upstream[i].when, 8 * 3600, &t, NULL);
    return time_to_date(t, 8 * 3600);
}

/* Column number `k` among the 政声传递 columns, item i: 0-2 on time (the same day or the
 * next, plain, 【转载】 or 转发： before the title), 3 late (4 days after), 4 missing. */
static void plan_reposts(struct dcol *c, int k)
{
    for (size_t i = 0; i < NUPSTREAM; i++) {
        int r = (int)((size_t)k * 3 + i) % 5;
        if (r == 4)
            continue;
        struct ditem it = { 0 };
        it.day = upstream_day(i) + (r == 3 ? 4 : r == 1 ? 1 : 0);
        struct buf t = BUF_INIT;
        buf_addf(&t, "%s%s", r == 1 ? "【转载】" : r == 2 ? "转发：" : "", upstream[i].title);
        if (upstream[i].doc_no && r == 0)
            buf_addf(&t, "（%s）", upstream[i].doc_no);
        it.title = buf_take(&t);
        vec_push(&c->items, it);
    }
}

static void upstream_feeds(const char *out)
{
    for (int prov = 0; prov < 2; prov++) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "<?xml version=\"1.0\" encoding=\"%s\"?>\n<rss version=\"2.0\"><channel>"
                     "<title>%s</title>\n",
                 prov ? "GBK" : "UTF-8", prov ? "广东省人民政府 信息推送" : "中国政府网 最新政策");
        for (size_t i = 0; i < NUPSTREAM; i++) {
            if (upstream[i].province != (prov == 1))
                continue;
            buf_adds(&b, "<item><title>");
            esc_xml(&b, upstream[i].title);
            buf_addf(&b, "</title><link>http://%s/zhengce/%zu.htm</link>",
                     prov ? "www.gd.test" : "www.gov.test", 5300000 + i);
            if (upstream[i].doc_no) {
                buf_adds(&b, "<description>");
                esc_xml(&b, upstream[i].doc_no);
                buf_adds(&b, "</description>");
            }
            buf_addf(&b, "<pubDate>%s:00</pubDate></item>\n", upstream[i].when);
        }
        buf_adds(&b, "</channel></rss>\n");
        write_page(out, prov ? "www.gd.test" : "www.gov.test", prov ? "/push.xml" : "/rss.xml", &b,
                   prov == 1);
        buf_release(&b);
    }
}

static char *make_title(const char *unit, const char *klass, int32_t day)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    const char *t = topics[rnd() % (sizeof(topics) / sizeof(topics[0]))];
    struct buf b = BUF_INIT;
    switch (rnd() % 5) {
    case 0: buf_addf(&b, "%s召开%s工作会议", unit, t); break;
    case 1: buf_addf(&b, "关于做好%d年%s工作的通知", y, t); break;
    case 2: buf_addf(&b, "%s开展%s专项行动", unit, t); break;
    case 3: buf_addf(&b, "%s%s情况公示", unit, t); break;
    default: buf_addf(&b, "《关于推进%s的实施意见》解读", t); break;
    }
    if (klass && !strcmp(klass, "通知公告") && rnd() % 2)
        buf_adds(&b, "（第二批）");
    return buf_take(&b);
}

static void body_text(struct buf *b, const struct dcol *c, const struct ditem *it)
{
    if (c->says) { /* a column with required items says only what it says */
        buf_addf(b, "<p>%s</p>\n", c->says);
        return;
    }
    int y, m, d;
    date_to_ymd(it->day, &y, &m, &d);
    const char *t = topics[it->id % (sizeof(topics) / sizeof(topics[0]))];
    buf_addf(b, "<p>　　%d年%d月%d日，%s围绕%s工作召开专题会议，研究部署下一阶段重点任务。"
                "会议要求，各单位要提高政治站位，压实工作责任。</p>\n",
             y, m, d, c->unit, t);
    buf_addf(b, "<p>　　据统计，截至%d年%d月底，全市累计完成项目%d个，同比增长%d.%d%%；"
                "2017年12月1日起施行的有关规定已全面落实。</p>\n",
             y, m > 1 ? m - 1 : 12, 100 + it->id % 900, it->id % 30, it->id % 10);
    if (it->old_name)
        buf_adds(b, "<p>　　市食品药品监督管理局有关负责同志出席会议并讲话。</p>\n");
    buf_addf(b, "<p>　　下一步，%s将继续加强%s，不断提升群众的获得感和满意度。</p>\n", c->unit, t);
}

/* ------------------------------------------------------------- loading --- */

static char *q1(struct stmt *st, int col)
{
    return stmt_dup(st, col);
}

static int load(struct model *md, const char *data, struct knobs *k)
{
    struct store *db = NULL;
    struct err e = { 0 };
    if (store_open(":memory:", &db, &e) || store_migrate(db, &e)) {
        fprintf(stderr, "gen-demo-sites: %s\n", err_msg(&e));
        store_close(db);
        return 1;
    }
    static const char *const files[] = { "units.csv", "sites.csv", "columns.csv" };
    static const enum reg_table tabs[] = { REG_UNITS, REG_SITES, REG_COLUMNS };
    struct clk clk;
    clk_init(&clk);
    clk.fixed = true;
    clk.at = time_from_date(k->as_of, 9 * 3600, TZ_CST);
    for (int i = 0; i < 3; i++) {
        char path[2048];
        snprintf(path, sizeof(path), "%s/%s", data, files[i]);
        struct reg_import_result r;
        struct notes bad = NOTES_INIT;
        if (reg_import(db, tabs[i], path, &clk, &r, &bad, &e)) {
            fprintf(stderr, "gen-demo-sites: %s\n", err_msg(&e));
            for (size_t j = 0; j < bad.n; j++)
                fprintf(stderr, "  %s\n", bad.v[j]);
            notes_release(&bad);
            store_close(db);
            return 1;
        }
        notes_release(&bad);
    }
    struct stmt *st = store_q(db, "SELECT name, COALESCE(short_name, name) FROM units", "");
    while (stmt_next(st))
        map_puts(&md->unit_full, stmt_str(st, 1), xstrdup(stmt_str(st, 0)));
    stmt_done(st, NULL);
    st = store_q(db,
                 "SELECT s.id, s.name, s.url, s.host, COALESCE(s.code, ''), s.status, s.type, "
                 "COALESCE(u.short_name, u.name, ''), COALESCE(u.name, '') FROM sites s LEFT JOIN "
                 "units u ON u.id = s.unit_id ORDER BY s.id",
                 "");
    while (stmt_next(st)) {
        struct dsite *s = XNEW(struct dsite);
        s->id = stmt_int(st, 0);
        s->name = q1(st, 1);
        s->url = q1(st, 2);
        s->host = q1(st, 3);
        s->code = q1(st, 4);
        s->status = q1(st, 5);
        s->portal = !strcmp(stmt_str(st, 6), "门户网站");
        s->unit = q1(st, 7);
        s->unit_full = q1(st, 8);
        vec_push(&md->sites, s);
    }
    stmt_done(st, NULL);
    st = store_q(db,
                 "SELECT c.id, c.site_id, c.path, (SELECT MIN(url) FROM column_urls WHERE "
                 "column_id = c.id), COALESCE(u.short_name, u.name, ''), c.class, "
                 "c.freshness_days, c.required_items FROM site_columns c LEFT JOIN units u ON "
                 "u.id = c.unit_id ORDER BY c.site_id, c.id",
                 "");
    while (stmt_next(st)) {
        const char *url = stmt_text(st, 3);
        if (!url)
            continue;
        struct dcol *c = XNEW(struct dcol);
        c->id = stmt_int(st, 0);
        for (size_t i = 0; i < md->sites.n; i++)
            if (md->sites.v[i]->id == stmt_int(st, 1))
                c->site = md->sites.v[i];
        c->path = q1(st, 2);
        const char *p = strstr(url, "://");
        p = p ? strchr(p + 3, '/') : NULL;
        c->dir = xstrdup(p ? p : "/");
        c->unit = q1(st, 4);
        c->klass = q1(st, 5);
        const struct reg_class *rc = reg_class_find(c->klass);
        c->freshness = !stmt_null(st, 6) ? (int)stmt_int(st, 6) : rc ? rc->freshness_days : 0;
        c->required = stmt_dup(st, 7);
        if (c->site) {
            vec_push(&c->site->cols, c);
            vec_push(&md->cols, c);
        }
    }
    stmt_done(st, NULL);
    store_close(db);
    return 0;
}

/* ---------------------------------------------------------------- plan --- */

static bool site_up(const struct dsite *s)
{
    return !strcmp(s->status, "正常运行");
}

static const char *conf_match(struct knobs *k, const char *section, const struct dcol *c)
{
    /* keys are "CODE/PATH" or a path substring */
    map_foreach(&k->c.kv, it)
    {
        size_t sl = strlen(section);
        if (strncmp(it->key, section, sl) || it->key[sl] != '.')
            continue;
        const char *key = it->key + sl + 1;
        const char *slash = strchr(key, '/');
        if (slash && (size_t)(slash - key) == strlen(c->site->code) &&
            !strncmp(key, c->site->code, (size_t)(slash - key)) && !strcmp(slash + 1, c->path))
            return it->val;
        if (!slash && strstr(c->path, key))
            return it->val;
    }
    return NULL;
}

static void plan(struct model *md, struct knobs *k)
{
    /* stale, blank and required-item columns */
    for (size_t i = 0; i < md->cols.n; i++) {
        struct dcol *c = md->cols.v[i];
        const char *v;
        for (size_t s = 0; s < sizeof(stale_default) / sizeof(stale_default[0]); s++)
            if (strstr(c->path, stale_default[s].match))
                date_parse(stale_default[s].latest, &c->forced);
        if ((v = conf_match(k, "stale", c)) && !date_parse(v, &c->forced))
            c->forced = 0;
        c->stale = c->forced != 0;
        for (size_t s = 0; s < sizeof(blank_default) / sizeof(blank_default[0]); s++)
            if (strstr(c->path, blank_default[s]))
                c->blank = true;
        if ((v = conf_match(k, "blank", c)))
            c->blank = !strcmp(v, "yes") || !strcmp(v, "1") || !strcmp(v, "true");
        if (c->blank)
            c->stale = false;
        for (size_t s = 0; s < sizeof(required_default) / sizeof(required_default[0]); s++)
            if (strstr(c->path, required_default[s].match))
                c->says = required_default[s].says;
        if ((v = conf_match(k, "required", c)))
            c->says = v;
        c->gbk = c->site->portal && !strncmp(c->path, "政务公开>", strlen("政务公开>"));
    }
    /* November 2018 articles per unit, spread over the unit's live columns */
    struct map done = MAP_INIT;
    for (size_t i = 0; i < md->cols.n; i++) {
        const char *u = md->cols.v[i]->unit;
        bool created;
        map_slot(&done, u, strlen(u), &created);
        if (!created)
            continue;
        int count = -1;
        for (size_t s = 0; s < sizeof(november_default) / sizeof(november_default[0]); s++)
            if (!strcmp(u, november_default[s].unit))
                count = november_default[s].count;
        const char *v = knob_str(k, "november", u, NULL);
        int n;
        if (v && cstr_to_int(v, 0, 100000, &n))
            count = n;
        if (count < 0)
            count = rnd_in(4, 60);
        VEC(struct dcol *) live = VEC_INIT;
        for (size_t j = 0; j < md->cols.n; j++) {
            struct dcol *c = md->cols.v[j];
            if (!strcmp(c->unit, u) && site_up(c->site) && !c->stale && !c->blank && !c->says)
                vec_push(&live, c);
        }
        for (int a = 0; a < count && live.n; a++)
            live.v[(size_t)a % live.n]->nov++;
        vec_release(&live);
    }
    map_release(&done, NULL);
    /* items */
    int32_t nov1 = date_from_ymd(2018, 11, 1), oct31 = date_from_ymd(2018, 10, 31);
    int32_t first = date_from_ymd(2015, 1, 1);
    int nrepost = 0;
    for (size_t i = 0; i < md->cols.n; i++) {
        struct dcol *c = md->cols.v[i];
        if (!site_up(c->site) || c->blank)
            continue;
        int old = c->says ? 3 : rnd_in(2, k->history);
        int32_t top = c->stale ? c->forced : oct31;
        for (int j = 0; j < old; j++) {
            struct ditem it = { 0 };
            it.day = j == 0 && c->stale ? c->forced : first + (int32_t)(rnd() % (uint64_t)(top - first + 1));
            vec_push(&c->items, it);
        }
        for (int j = 0; j < c->nov; j++) {
            struct ditem it = { 0 };
            it.day = nov1 + (int32_t)(rnd() % 30);
            vec_push(&c->items, it);
        }
        /* an unplanted column stays fresh: its newest item falls inside its limit */
        if (!c->stale && c->freshness > 0 && c->items.n) {
            size_t newest = 0;
            for (size_t j = 1; j < c->items.n; j++)
                if (c->items.v[j].day > c->items.v[newest].day)
                    newest = j;
            int window = c->freshness < 30 ? c->freshness : 30;
            if (k->as_of - c->items.v[newest].day >= c->freshness) {
                if (window > 1 && k->as_of - window < nov1) {
                    /* only November is recent enough: one more November article */
                    struct ditem it = { 0 };
                    it.day = k->as_of - rnd_in(1, window - 1);
                    vec_push(&c->items, it);
                    c->nov++;
                } else {
                    c->items.v[newest].day = k->as_of - rnd_in(1, window > 1 ? window - 1 : 1);
                }
            }
        }
        if (!strcmp(c->klass, "政声传递"))
            plan_reposts(c, nrepost++);
        /* newest first */
        for (size_t a = 1; a < c->items.n; a++)
            for (size_t b = a; b > 0 && c->items.v[b].day > c->items.v[b - 1].day; b--) {
                struct ditem t = c->items.v[b];
                c->items.v[b] = c->items.v[b - 1];
                c->items.v[b - 1] = t;
            }
        /* a pinned old notice on top of some lists */
        if (c->items.n > 3 && !c->stale && c->id % 7 == 0) {
            struct ditem t = c->items.v[c->items.n - 1];
            memmove(c->items.v + 1, c->items.v, (c->items.n - 1) * sizeof(t));
            t.pinned = true;
            c->items.v[0] = t;
        }
        for (size_t j = 0; j < c->items.n; j++) {
            struct ditem *it = &c->items.v[j];
            int y, m, d;
            date_to_ymd(it->day, &y, &m, &d);
            it->id = ++md->next_id;
            struct buf p = BUF_INIT;
            buf_addf(&p, "%s%04d%02d/t%04d%02d%02d_%d.html", c->dir, y, m, y, m, d, 10000 + it->id);
            it->path = buf_take(&p);
            char *made = make_title(c->unit, c->klass, it->day); /* same random stream */
            if (it->title)
                free(made);
            else
                it->title = made;
            it->broken = k->broken_every && it->id % k->broken_every == 0;
            it->retired = k->retired_every && !strcmp(c->klass, "办事服务") &&
                          it->id % k->retired_every == 0;
        }
    }
    /* outdated agency names in November articles: k->wording per site */
    for (size_t i = 0; i < md->sites.n; i++) {
        int left = k->wording;
        for (size_t j = 0; j < md->sites.v[i]->cols.n && left > 0; j++) {
            struct dcol *c = md->sites.v[i]->cols.v[j];
            for (size_t t = 0; t < c->items.n && left > 0; t++)
                if (c->items.v[t].day >= nov1 && !c->says && (c->items.v[t].id % 5) == 1) {
                    c->items.v[t].old_name = true;
                    left--;
                }
        }
    }
}

/* -------------------------------------------------------------- render --- */

static void esc(struct buf *b, const char *s)
{
    esc_html(b, s ? s : "");
}

static void head(struct buf *b, const struct dsite *s, const char *title, const struct dcol *c,
                 const struct ditem *it, bool gbk, bool meta_charset)
{
    buf_adds(b, "<!DOCTYPE html PUBLIC \"-//W3C//DTD XHTML 1.0 Transitional//EN\" "
                "\"http://www.w3.org/TR/xhtml1/DTD/xhtml1-transitional.dtd\">\n<html>\n<head>\n");
    if (meta_charset)
        buf_addf(b, "<meta http-equiv=\"Content-Type\" content=\"text/html; charset=%s\" />\n",
                 gbk ? "gb2312" : "utf-8");
    buf_adds(b, "<title>");
    esc(b, title);
    buf_adds(b, "_");
    esc(b, s->name);
    buf_adds(b, "</title>\n<meta name=\"SiteName\" content=\"");
    esc(b, s->name);
    buf_addf(b, "\" />\n<meta name=\"SiteDomain\" content=\"%s\" />\n", s->host);
    buf_addf(b, "<meta name=\"SiteIDCode\" content=\"%s\" />\n", s->code);
    if (c) {
        const char *last = strrchr(c->path, '>');
        buf_adds(b, "<meta name=\"ColumnName\" content=\"");
        esc(b, last ? last + 1 : c->path);
        buf_adds(b, "\" />\n");
    }
    if (it) {
        int y, m, d;
        date_to_ymd(it->day, &y, &m, &d);
        buf_adds(b, "<meta name=\"ArticleTitle\" content=\"");
        esc(b, it->title);
        buf_addf(b, "\" />\n<meta name=\"PubDate\" content=\"%04d-%02d-%02d %02d:%02d\" />\n", y,
                 m, d, 8 + it->id % 10, it->id % 60);
        buf_adds(b, "<meta name=\"ContentSource\" content=\"");
        esc(b, c->unit);
        buf_adds(b, "\" />\n");
    }
    buf_adds(b, "<link href=\"/images/style.css\" rel=\"stylesheet\" type=\"text/css\" />\n"
                "<script type=\"text/javascript\" src=\"/images/common.js\"></script>\n</head>\n<body>\n");
    buf_adds(b, "<div class=\"top\"><a href=\"/\"><img src=\"/images/logo.png\" alt=\"");
    esc(b, s->name);
    buf_adds(b, "\" /></a></div>\n");
}

/* The top-level nodes of a site: the first path element and the first directory. */
static void nav(struct buf *b, const struct dsite *s)
{
    buf_adds(b, "<div class=\"nav\"><a href=\"/\">首页</a>");
    struct map seen = MAP_INIT;
    for (size_t i = 0; i < s->cols.n; i++) {
        const struct dcol *c = s->cols.v[i];
        size_t nl = strcspn(c->path, ">");
        bool created;
        map_slot(&seen, c->path, nl, &created);
        if (!created)
            continue;
        size_t dl = 1 + strcspn(c->dir + 1, "/") + 1;
        buf_adds(b, " | <a href=\"");
        buf_add(b, c->dir, dl);
        buf_adds(b, "\">");
        buf_add(b, c->path, nl);
        buf_adds(b, "</a>");
    }
    map_release(&seen, NULL);
    buf_adds(b, "</div>\n");
}

/* 当前位置：首页 > 新闻 > 示范要闻 [> 正文] */
static void crumb(struct buf *b, const char *path, const char *dir, bool article)
{
    int depth = 1;
    for (const char *p = path; *p; p++)
        depth += *p == '>';
    int dirs = 0;
    for (const char *p = dir + 1; *p; p++)
        dirs += *p == '/';
    buf_adds(b, "<div class=\"position\">当前位置：<a href=\"/\">首页</a>");
    const char *seg = path;
    for (int i = 0; i < depth; i++) {
        size_t sl = strcspn(seg, ">");
        int want = dirs - (depth - 1 - i); /* directories of this level */
        buf_adds(b, " &gt; ");
        if (want > 0) {
            const char *q = dir;
            for (int k = 0; k < want; k++)
                q = strchr(q + 1, '/');
            buf_adds(b, "<a href=\"");
            buf_add(b, dir, (size_t)(q - dir) + 1);
            buf_adds(b, "\">");
            buf_add(b, seg, sl);
            buf_adds(b, "</a>");
        } else {
            buf_add(b, seg, sl);
        }
        seg += sl + (seg[sl] ? 1 : 0);
    }
    if (article)
        buf_adds(b, " &gt; 正文");
    buf_adds(b, "</div>\n");
}

static void footer(struct buf *b, const struct dsite *s, const char *retired)
{
    buf_adds(b, "<div class=\"links\">相关链接：<a href=\"http://www.shifan.test/\" "
                "target=\"_blank\">示范市人民政府门户网站</a> <a "
                "href=\"http://www.xiangzhou.shifan.test/\" target=\"_blank\">香洲区人民政府</a>");
    if (retired)
        buf_addf(b, " <a href=\"%s\" target=\"_blank\">网上办事大厅</a>", retired);
    buf_adds(b, "</div>\n<div class=\"footer\">主办：");
    esc(b, s->unit_full);
    buf_addf(b, " &nbsp; 网站标识码：%s &nbsp; 粤ICP备%s号<br />"
                "<a href=\"/wzdt/\">网站地图</a> | <a href=\"/lxwm/\">联系我们</a></div>\n"
                "</body>\n</html>\n",
             s->code, s->code + 4);
}

static void fmt_date(struct buf *b, int32_t day, int style)
{
    int y, m, d;
    date_to_ymd(day, &y, &m, &d);
    switch (style) {
    case 0: buf_addf(b, "<span class=\"date\">%04d-%02d-%02d</span>", y, m, d); break;
    case 1: buf_addf(b, "<span class=\"date\">%d年%d月%d日</span>", y, m, d); break;
    case 2: buf_addf(b, "<span class=\"date\">[%04d-%02d-%02d]</span>", y, m, d); break;
    case 3: buf_addf(b, "<span class=\"date\">%04d/%02d/%02d</span>", y, m, d); break;
    case 4: buf_addf(b, "<span class=\"date\">%04d.%02d.%02d</span>", y, m, d); break;
    default:
        buf_addf(b, "<div class=\"day\"><span class=\"d\">%02d</span><span class=\"ym\">%04d-%02d"
                    "</span></div>",
                 d, y, m);
        break;
    }
}

static void url_of(struct buf *b, const struct dsite *s, const char *path)
{
    buf_reset(b);
    buf_addf(b, "http://%s%s", s->host, path);
}

static void note_link(struct buf *list, size_t *n, const struct dsite *s, const char *src,
                      const char *target, const char *extra)
{
    struct buf u = BUF_INIT;
    url_of(&u, s, src);
    buf_addf(list, "%s{\"source\":", (*n)++ ? "," : "");
    esc_json(list, buf_cstr(&u));
    buf_adds(list, ",\"target\":");
    esc_json(list, target);
    if (extra)
        buf_addf(list, ",%s", extra);
    buf_addc(list, '}');
    buf_release(&u);
}

static int render_list(const char *out, struct model *md, struct knobs *k, struct dcol *c)
{
    const struct dsite *s = c->site;
    size_t pages = c->items.n ? (c->items.n + (size_t)k->per_page - 1) / (size_t)k->per_page : 1;
    int style = (int)(c->id % 6);
    const char *name = strrchr(c->path, '>') ? strrchr(c->path, '>') + 1 : c->path;
    for (size_t pg = 0; pg < pages; pg++) {
        struct buf b = BUF_INIT;
        head(&b, s, name, c, NULL, c->gbk, true);
        nav(&b, s);
        crumb(&b, c->path, c->dir, false);
        buf_adds(&b, "<div class=\"main\"><h2>");
        esc(&b, name);
        buf_adds(&b, "</h2>\n<ul class=\"list\">\n");
        if (!c->items.n)
            buf_adds(&b, "<li class=\"empty\">暂无信息</li>\n");
        for (size_t i = pg * (size_t)k->per_page; i < c->items.n && i < (pg + 1) * (size_t)k->per_page; i++) {
            const struct ditem *it = &c->items.v[i];
            const char *rel = it->path + strlen(c->dir); /* 201811/t..._1.html */
            buf_addf(&b, "<li%s>", it->pinned ? " class=\"top\"" : "");
            if (style == 5)
                fmt_date(&b, it->day, style);
            if (it->pinned)
                buf_adds(&b, "<span class=\"zd\">[置顶]</span>");
            buf_addf(&b, "<a href=\"./%s\" target=\"_blank\" title=\"", rel);
            esc(&b, it->title);
            buf_adds(&b, "\">");
            esc(&b, it->title);
            buf_adds(&b, "</a>");
            if (style != 5)
                fmt_date(&b, it->day, style);
            buf_adds(&b, "</li>\n");
        }
        buf_adds(&b, "</ul>\n");
        if (pages > 1) {
            buf_addf(&b, "<script type=\"text/javascript\">createPageHTML(%zu, %zu, \"index\", "
                         "\"html\");</script>\n<div class=\"page\">",
                     pages, pg);
            if (pg + 1 < pages)
                buf_addf(&b, "<a href=\"index_%zu.html\">下一页</a>", pg + 1);
            buf_adds(&b, "</div>\n");
        }
        buf_adds(&b, "</div>\n");
        footer(&b, s, NULL);
        char path[1024];
        if (pg == 0)
            snprintf(path, sizeof(path), "%s", c->dir);
        else
            snprintf(path, sizeof(path), "%sindex_%zu.html", c->dir, pg);
        int r = write_page(out, s->host, path, &b, c->gbk);
        buf_release(&b);
        if (r)
            return r;
    }
    (void)md;
    return 0;
}

static int render_article(const char *out, struct model *md, struct knobs *k, struct dcol *c,
                          size_t idx)
{
    const struct dsite *s = c->site;
    const struct ditem *it = &c->items.v[idx];
    int y, m, d;
    date_to_ymd(it->day, &y, &m, &d);
    bool nometa = c->site->portal && strstr(c->path, "政府信息公开指南");
    struct buf b = BUF_INIT;
    head(&b, s, it->title, c, it, c->gbk || nometa, !nometa);
    nav(&b, s);
    crumb(&b, c->path, c->dir, true);
    buf_adds(&b, "<div class=\"article\"><h1>");
    esc(&b, it->title);
    buf_adds(&b, "</h1>\n<div class=\"info\">");
    switch (it->id % 4) {
    case 0: buf_addf(&b, "发布时间：%04d-%02d-%02d %02d:%02d:%02d", y, m, d, 8 + it->id % 10, it->id % 60, it->id % 59); break;
    case 1: buf_addf(&b, "发布日期：%d年%d月%d日", y, m, d); break;
    case 2: buf_addf(&b, "日期：%04d/%02d/%02d", y, m, d); break;
    default: buf_addf(&b, "发布时间：%04d.%02d.%02d", y, m, d); break;
    }
    buf_adds(&b, " &nbsp; 来源：");
    esc(&b, c->unit);
    buf_adds(&b, " &nbsp; 【字体：<a href=\"javascript:doZoom(16)\">大</a> <a "
                 "href=\"javascript:doZoom(14)\">中</a>】</div>\n<div class=\"content\">\n");
    body_text(&b, c, it);
    struct buf u = BUF_INIT;
    if (it->broken) {
        char att[128];
        snprintf(att, sizeof(att), "/attach/%04d%02d/P0%04d%02d%02d%05d.doc", y, m, y, m, d, it->id);
        buf_addf(&b, "<p>附件：<a href=\"%s\">%s.doc</a></p>\n", att, "附件");
        url_of(&u, s, att);
        note_link(&md->broken, &md->nbroken, s, it->path, buf_cstr(&u), NULL);
    }
    if (it->retired) {
        char r[256];
        snprintf(r, sizeof(r), "%sportal/bszn.do?itemId=%d", k->retired, it->id);
        buf_addf(&b, "<p>办理入口：<a href=\"%s\" target=\"_blank\">网上办事大厅</a></p>\n", r);
        note_link(&md->retired, &md->nretired, s, it->path, r, NULL);
    }
    if (it->old_name) {
        url_of(&u, s, it->path);
        buf_addf(&md->wording, "%s{\"url\":", md->nwording++ ? "," : "");
        esc_json(&md->wording, buf_cstr(&u));
        buf_adds(&md->wording, ",\"word\":\"食品药品监督管理局\"}");
    }
    buf_adds(&b, "</div>\n<div class=\"prevnext\">");
    if (idx > 0)
        buf_addf(&b, "上一篇：<a href=\"%s\">", c->items.v[idx - 1].path), esc(&b, c->items.v[idx - 1].title), buf_adds(&b, "</a><br />");
    if (idx + 1 < c->items.n)
        buf_addf(&b, "下一篇：<a href=\"%s\">", c->items.v[idx + 1].path), esc(&b, c->items.v[idx + 1].title), buf_adds(&b, "</a>");
    buf_adds(&b, "</div>\n<div class=\"tools\"><a href=\"javascript:window.print()\">【打印本页】</a> "
                 "<a href=\"javascript:window.close()\">【关闭窗口】</a></div></div>\n");
    footer(&b, s, NULL);
    int r = write_page(out, s->host, it->path, &b, c->gbk || nometa);
    buf_release(&b);
    buf_release(&u);
    return r;
}

/* Index pages of the path nodes that are not columns themselves (新闻, 专题集锦, ...). */
static int render_nodes(const char *out, const struct dsite *s)
{
    struct map done = MAP_INIT;
    for (size_t i = 0; i < s->cols.n; i++)
        map_puts(&done, s->cols.v[i]->dir, (void *)1);
    int rc = 0;
    for (size_t i = 0; i < s->cols.n && !rc; i++) {
        const struct dcol *c = s->cols.v[i];
        /* each parent directory of the column */
        int depth = 1;
        for (const char *p = c->path; *p; p++)
            depth += *p == '>';
        const char *q = c->dir;
        int level = 0;
        while ((q = strchr(q + 1, '/')) && q[1]) {
            level++;
            size_t dl = (size_t)(q - c->dir) + 1;
            if (map_has(&done, c->dir, dl))
                continue;
            map_put(&done, c->dir, dl, (void *)1);
            /* the node's path: the first `level - (dirs - depth)` path elements */
            int dirs = 0;
            for (const char *p = c->dir + 1; *p; p++)
                dirs += *p == '/';
            int keep = level - (dirs - depth);
            if (keep <= 0)
                continue;
            const char *e = c->path;
            for (int k2 = 0; k2 < keep && e; k2++) {
                e = strchr(e, '>');
                if (e && k2 + 1 < keep)
                    e++;
            }
            size_t pl = e ? (size_t)(e - c->path) : strlen(c->path);
            char *npath = xstrndup(c->path, pl), *ndir = xstrndup(c->dir, dl);
            const char *name = strrchr(npath, '>') ? strrchr(npath, '>') + 1 : npath;
            struct buf b = BUF_INIT;
            head(&b, s, name, NULL, NULL, false, true);
            nav(&b, s);
            crumb(&b, npath, ndir, false);
            buf_adds(&b, "<div class=\"main\"><h2>");
            esc(&b, name);
            buf_adds(&b, "</h2><ul class=\"sub\">\n");
            for (size_t j = 0; j < s->cols.n; j++) {
                const struct dcol *x = s->cols.v[j];
                if (strncmp(x->dir, ndir, dl) || strncmp(x->path, npath, pl) || x->path[pl] != '>')
                    continue;
                buf_addf(&b, "<li><a href=\"%s\">", x->dir);
                esc(&b, x->path + pl + 1);
                buf_adds(&b, "</a></li>\n");
            }
            buf_adds(&b, "</ul></div>\n");
            footer(&b, s, NULL);
            rc = write_page(out, s->host, ndir, &b, false);
            buf_release(&b);
            free(npath);
            free(ndir);
        }
    }
    map_release(&done, NULL);
    return rc;
}

static bool in_list(const char *list, const char *code)
{
    if (!list)
        return false;
    const char *p = strstr(list, code);
    return p && (p == list || p[-1] == ',' || p[-1] == ' ') &&
           (p[strlen(code)] == 0 || p[strlen(code)] == ',' || p[strlen(code)] == ' ');
}

static int render_home(const char *out, struct model *md, struct knobs *k, const struct dsite *s)
{
    struct buf b = BUF_INIT;
    if (!site_up(s)) {
        /* a migrated or closed site answers with a notice */
        head(&b, s, "首页", NULL, NULL, false, true);
        if (!strcmp(s->status, "已迁移") && md->sites.n)
            buf_addf(&b, "<p>本网站已整合迁移至<a href=\"%s\">%s</a>。</p>\n", md->sites.v[0]->url,
                     md->sites.v[0]->name);
        else
            buf_adds(&b, "<p>网站维护中，暂停访问。</p>\n");
        buf_adds(&b, "</body></html>\n");
        int r = write_page(out, s->host, "/", &b, false);
        buf_release(&b);
        return r;
    }
    head(&b, s, "首页", NULL, NULL, false, true);
    nav(&b, s);
    /* blocks: the columns with the newest items */
    int blocks = 0;
    for (size_t i = 0; i < s->cols.n && blocks < 6; i++) {
        const struct dcol *c = s->cols.v[i];
        if (c->items.n < 3 || c->stale)
            continue;
        blocks++;
        const char *name = strrchr(c->path, '>') ? strrchr(c->path, '>') + 1 : c->path;
        buf_addf(&b, "<div class=\"block\"><h3><a href=\"%s\">", c->dir);
        esc(&b, name);
        buf_adds(&b, "</a></h3><ul>\n");
        for (size_t j = 0; j < c->items.n && j < 6; j++) {
            const struct ditem *it = &c->items.v[j];
            int y, m, d;
            date_to_ymd(it->day, &y, &m, &d);
            buf_addf(&b, "<li><a href=\"%s\">", it->path);
            esc(&b, it->title);
            buf_addf(&b, "</a><span>%02d-%02d</span></li>\n", m, d);
        }
        buf_adds(&b, "</ul></div>\n");
    }
    /* planted broken links */
    struct buf u = BUF_INIT;
    for (int i = 0; i < k->broken_home; i++) {
        char p[128];
        snprintf(p, sizeof(p), "/xw/tpxw/2018%02d/t2018%02d%02d_%d.html", 10 + i % 2, 10 + i % 2,
                 10 + i, 90000 + i);
        buf_addf(&b, "<div class=\"pic\"><a href=\"%s\">图片新闻%d</a></div>\n", p, i + 1);
        url_of(&u, s, p);
        note_link(&md->broken, &md->nbroken, s, "/", buf_cstr(&u), "\"home\":true");
    }
    bool retired = in_list(knob_str(k, "demo", "retired_home", "4404990001,4404990005,4404990006"), s->code);
    if (retired)
        note_link(&md->retired, &md->nretired, s, "/", k->retired, "\"home\":true");
    footer(&b, s, retired ? k->retired : NULL);
    int r = write_page(out, s->host, "/", &b, false);
    buf_reset(&b);
    buf_addf(&b, "User-agent: *\nDisallow: /search/\n");
    if (!r)
        r = write_page(out, s->host, "/robots.txt", &b, false);
    /* the footer's site map and contact pages */
    static const char *const extra[][2] = { { "/wzdt/", "网站地图" }, { "/lxwm/", "联系我们" } };
    for (size_t i = 0; i < 2 && !r; i++) {
        buf_reset(&b);
        head(&b, s, extra[i][1], NULL, NULL, false, true);
        nav(&b, s);
        buf_addf(&b, "<div class=\"main\"><h2>%s</h2><p>联系电话：0756-1234567</p></div>\n",
                 extra[i][1]);
        footer(&b, s, NULL);
        r = write_page(out, s->host, extra[i][0], &b, false);
    }
    buf_reset(&b);
    buf_adds(&b, "body{font-size:14px}\n");
    if (!r)
        r = write_page(out, s->host, "/images/style.css", &b, false);
    buf_reset(&b);
    buf_adds(&b, "function doZoom(n){}\n");
    if (!r)
        r = write_page(out, s->host, "/images/common.js", &b, false);
    buf_reset(&b);
    buf_adds(&b, "PNG");
    if (!r)
        r = write_page(out, s->host, "/images/logo.png", &b, false);
    buf_release(&b);
    buf_release(&u);
    return r;
}

/* ------------------------------------------------------------- manifest --- */

static void manifest(struct buf *out, struct model *md, struct knobs *k)
{
    struct jw w;
    jw_init(&w, out, true);
    jw_obj(&w);
    jw_kstr(&w, "generator", "testtool gen-demo-sites");
    jw_kdate(&w, "as_of", k->as_of);
    jw_kstr(&w, "retired_hall", k->retired);
    jw_key(&w, "sites");
    jw_arr(&w);
    for (size_t i = 0; i < md->sites.n; i++) {
        const struct dsite *s = md->sites.v[i];
        jw_obj(&w);
        jw_kstr(&w, "name", s->name);
        jw_kstr(&w, "code", s->code);
        jw_kstr(&w, "host", s->host);
        jw_kstr(&w, "status", s->status);
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "columns");
    jw_arr(&w);
    int32_t nov1 = date_from_ymd(2018, 11, 1), dec1 = date_from_ymd(2018, 12, 1);
    struct map per_unit = MAP_INIT;
    int total_nov = 0;
    for (size_t i = 0; i < md->cols.n; i++) {
        const struct dcol *c = md->cols.v[i];
        if (!site_up(c->site))
            continue;
        int32_t latest = DATE_NONE;
        int nov = 0;
        for (size_t j = 0; j < c->items.n; j++) {
            if (c->items.v[j].day > latest || latest == DATE_NONE)
                latest = c->items.v[j].day;
            nov += c->items.v[j].day >= nov1 && c->items.v[j].day < dec1;
        }
        total_nov += nov;
        bool created;
        void **slot = map_slot(&per_unit, c->unit, strlen(c->unit), &created);
        *slot = (void *)(intptr_t)((intptr_t)*slot + nov);
        jw_obj(&w);
        jw_kstr(&w, "site", c->site->name);
        jw_kstr(&w, "path", c->path);
        struct buf u = BUF_INIT;
        url_of(&u, c->site, c->dir);
        jw_kstr(&w, "url", buf_cstr(&u));
        buf_release(&u);
        jw_kstr(&w, "unit", c->unit);
        jw_kstr(&w, "class", c->klass);
        jw_kint(&w, "items", (int64_t)c->items.n);
        jw_kdate(&w, "latest", latest);
        jw_kint(&w, "november", nov);
        jw_kbool(&w, "blank", c->items.n == 0);
        jw_kbool(&w, "stale", c->freshness > 0 &&
                                  (latest == DATE_NONE || k->as_of - latest > c->freshness));
        jw_kbool(&w, "gbk", c->gbk);
        if (c->says && c->required) {
            /* the items whose keywords the column's text lacks */
            jw_key(&w, "missing_items");
            jw_arr(&w);
            struct reg_item *its = NULL;
            size_t n = 0;
            if (reg_items_parse(c->required, &its, &n, NULL) == RC_OK) {
                for (size_t a = 0; a < n; a++) {
                    bool found = false;
                    for (size_t b2 = 0; b2 < its[a].nalts && !found; b2++)
                        found = strstr(c->says, its[a].alts[b2]) != NULL;
                    if (!found)
                        jw_str(&w, its[a].name);
                }
                reg_items_free(its, n);
            }
            jw_end(&w);
        }
        jw_end(&w);
    }
    jw_end(&w);
    jw_key(&w, "november_2018");
    jw_obj(&w);
    jw_kint(&w, "total", total_nov);
    jw_key(&w, "by_unit");
    jw_obj(&w);
    /* in order of the units table of the columns, largest first */
    for (;;) {
        struct map_ent *best = NULL;
        map_foreach(&per_unit, it)
        {
            if ((intptr_t)it->val >= 0 && (!best || (intptr_t)it->val > (intptr_t)best->val ||
                                           ((intptr_t)it->val == (intptr_t)best->val &&
                                            strcmp(it->key, best->key) < 0)))
                best = it;
        }
        if (!best)
            break;
        jw_kint(&w, best->key, (int64_t)(intptr_t)best->val);
        best->val = (void *)(intptr_t)-1;
    }
    map_release(&per_unit, NULL);
    jw_end(&w);
    jw_end(&w);
    jw_key(&w, "broken_links");
    buf_addc(&md->broken, ']');
    jw_raw(&w, buf_cstr(&md->broken));
    jw_key(&w, "retired_links");
    buf_addc(&md->retired, ']');
    jw_raw(&w, buf_cstr(&md->retired));
    jw_key(&w, "outdated_names");
    buf_addc(&md->wording, ']');
    jw_raw(&w, buf_cstr(&md->wording));
    jw_end(&w);
    jw_finish(&w);
}

static void model_free(struct model *md)
{
    for (size_t i = 0; i < md->cols.n; i++) {
        struct dcol *c = md->cols.v[i];
        for (size_t j = 0; j < c->items.n; j++) {
            free(c->items.v[j].path);
            free(c->items.v[j].title);
        }
        vec_release(&c->items);
        free(c->path);
        free(c->dir);
        free(c->unit);
        free(c->klass);
        free(c->required);
        free(c);
    }
    vec_release(&md->cols);
    for (size_t i = 0; i < md->sites.n; i++) {
        struct dsite *s = md->sites.v[i];
        free(s->name);
        free(s->url);
        free(s->host);
        free(s->code);
        free(s->status);
        free(s->unit);
        free(s->unit_full);
        vec_release(&s->cols);
        free(s);
    }
    vec_release(&md->sites);
    map_release(&md->unit_full, free);
    buf_release(&md->broken);
    buf_release(&md->retired);
    buf_release(&md->wording);
}

/* ---------------------------------------------------------------- commands --- */

static int tt_gen_demo_sites(int argc, char **argv)
{
    const char *out = NULL, *data = "data/demo", *config = NULL;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--data") && i + 1 < argc)
            data = argv[++i];
        else if (!strcmp(argv[i], "--config") && i + 1 < argc)
            config = argv[++i];
        else if (!out && argv[i][0] != '-')
            out = argv[i];
        else
            return 2;
    }
    if (!out)
        return 2;
    struct knobs k;
    memset(&k, 0, sizeof(k));
    conf_init(&k.c);
    struct err e = { 0 };
    if (config && conf_load(&k.c, config, &e)) {
        fprintf(stderr, "gen-demo-sites: %s\n", err_msg(&e));
        conf_release(&k.c);
        return 1;
    }
    if (!date_parse(knob_str(&k, "demo", "as_of", "2018-12-01"), &k.as_of)) {
        fprintf(stderr, "gen-demo-sites: [demo] as_of is not YYYY-MM-DD\n");
        return 1;
    }
    k.seed = (uint64_t)knob_int(&k, "seed", 1);
    k.per_page = knob_int(&k, "items_per_page", 20);
    k.history = knob_int(&k, "history", 30);
    k.broken_home = knob_int(&k, "broken_home", 2);
    k.broken_every = knob_int(&k, "broken_every", 60);
    k.retired_every = knob_int(&k, "retired_every", 10);
    k.wording = knob_int(&k, "outdated_names", 2);
    k.retired = knob_str(&k, "demo", "retired_hall", "http://www.gdbs.gov.cn.invalid/");
    if (k.per_page < 1 || k.history < 2) {
        fprintf(stderr, "gen-demo-sites: items_per_page must be >= 1 and history >= 2\n");
        return 1;
    }
    rng_state = k.seed * 0x9E3779B97F4A7C15ull + 1;
    struct model md;
    memset(&md, 0, sizeof(md));
    if (load(&md, data, &k)) {
        model_free(&md);
        conf_release(&k.c);
        return 1;
    }
    buf_addc(&md.broken, '[');
    buf_addc(&md.retired, '[');
    buf_addc(&md.wording, '[');
    plan(&md, &k);
    int rc = mkdirs(out);
    if (!rc)
        upstream_feeds(out);
    size_t pages = 0;
    for (size_t i = 0; i < md.sites.n && !rc; i++) {
        struct dsite *s = md.sites.v[i];
        rc = render_home(out, &md, &k, s);
        pages++;
        if (!site_up(s))
            continue;
        if (!rc)
            rc = render_nodes(out, s);
        for (size_t j = 0; j < s->cols.n && !rc; j++) {
            struct dcol *c = s->cols.v[j];
            rc = render_list(out, &md, &k, c);
            for (size_t a = 0; a < c->items.n && !rc; a++, pages++)
                rc = render_article(out, &md, &k, c, a);
        }
    }
    if (rc) {
        fprintf(stderr, "gen-demo-sites: cannot write under %s: %s\n", out, strerror(errno));
        model_free(&md);
        conf_release(&k.c);
        return 1;
    }
    struct buf man = BUF_INIT, hosts = BUF_INIT;
    manifest(&man, &md, &k);
    for (size_t i = 0; i < md.sites.n; i++)
        buf_addf(&hosts, "%s\n", md.sites.v[i]->host);
    char path[2048];
    snprintf(path, sizeof(path), "%s/manifest.json", out);
    if (buf_write_file(&man, path, &e) == RC_OK) {
        snprintf(path, sizeof(path), "%s/hosts.txt", out);
        buf_write_file(&hosts, path, &e);
    }
    if (e.rc) {
        fprintf(stderr, "gen-demo-sites: %s\n", err_msg(&e));
        buf_release(&man);
        buf_release(&hosts);
        model_free(&md);
        conf_release(&k.c);
        return 1;
    }
    printf("%zu sites, %zu columns, %zu pages written under %s\n", md.sites.n, md.cols.n, pages, out);
    buf_release(&man);
    buf_release(&hosts);
    model_free(&md);
    conf_release(&k.c);
    return 0;
}

static int tt_serve(int argc, char **argv)
{
    const char *dir = NULL, *port_file = NULL, *stats = NULL;
    int port = 0, delay = 0;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "--port") && i + 1 < argc) {
            if (!cstr_to_int(argv[++i], 0, 65535, &port))
                return 2;
        } else if (!strcmp(argv[i], "--delay-ms") && i + 1 < argc) {
            if (!cstr_to_int(argv[++i], 0, 60000, &delay))
                return 2;
        } else if (!strcmp(argv[i], "--stats") && i + 1 < argc) {
            stats = argv[++i];
        } else if (!strcmp(argv[i], "--port-file") && i + 1 < argc) {
            port_file = argv[++i];
        } else if (!dir) {
            dir = argv[i];
        } else {
            return 2;
        }
    }
    if (!dir)
        return 2;
    sigset_t set;
    sigemptyset(&set);
    sigaddset(&set, SIGTERM);
    sigaddset(&set, SIGINT);
    pthread_sigmask(SIG_BLOCK, &set, NULL); /* the server's threads inherit the mask */
    struct fixture_http *f = fixture_http_serve_dir(dir, port);
    if (!f)
        return 1;
    fixture_http_set_delay(f, delay);
    printf("serving %s on http://127.0.0.1:%d/\n", dir, fixture_http_port(f));
    fflush(stdout);
    if (port_file) {
        struct buf b = BUF_INIT;
        buf_addf(&b, "%d\n", fixture_http_port(f));
        struct err e = { 0 };
        if (buf_write_file(&b, port_file, &e)) {
            fprintf(stderr, "serve: %s\n", err_msg(&e));
            fixture_http_stop(f);
            return 1;
        }
        buf_release(&b);
    }
    int sig;
    sigwait(&set, &sig);
    if (stats) {
        /* the largest number of requests in progress at once, per host */
        struct buf b = BUF_INIT;
        fixture_http_stats(f, &b);
        struct err e = { 0 };
        if (buf_write_file(&b, stats, &e))
            fprintf(stderr, "serve: %s\n", err_msg(&e));
        buf_release(&b);
    }
    fixture_http_stop(f);
    return 0;
}

const struct tt_cmd demo_cmds[] = {
    { "gen-demo-sites", tt_gen_demo_sites, "OUTDIR [--data DIR] [--config FILE]" },
    { "serve", tt_serve, "DIR [--port N] [--port-file FILE] [--delay-ms N] [--stats FILE]" },
    { NULL, NULL, NULL },
};
