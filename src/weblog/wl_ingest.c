/* wl_ingest.c - reading access logs into per-day and per-column aggregates.
 *
 * One pass per file over a 4 MiB read buffer: lines are found with memchr, parsed in
 * place (wl_format.c), classified (the User-Agent verdict is cached per distinct agent),
 * and counted into per-day sets of visitor keys.  Nothing is allocated per line.  The
 * aggregates are merged into the store at the end (or earlier when they grow past
 * FLUSH_KEYS, to bound memory), inside the one transaction of the call.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>

#include "core/date.h"
#include "core/map.h"
#include "core/url.h"
#include "core/xalloc.h"
#include "weblog/wl_int.h"

#define HEAD_MAX     1024        /* bytes of content that identify a file */
#define READ_BUF     (4u << 20)  /* read buffer; also the longest line accepted */
#define DETECT_MAX   (64u << 10) /* bytes looked at to recognise the format */
#define UA_CACHE     2048        /* User-Agent verdicts cached (direct-mapped) */
#define UA_CACHE_LEN 512         /* longer agents are classified every time */
#define FLUSH_KEYS   (4u << 20)  /* merge into the store when the sets hold this many keys */
#define AGG_COST     16          /* a day's or column-day's overhead, counted in keys */
#define SEED_IP      0x6970ULL   /* wl_hash seeds: part of the stored key definition */
#define SEED_UA      0x7561ULL
#define SEED_HEAD    0x68656164ULL

struct ua_ent {
    uint64_t h;
    uint32_t n;
    bool used, bot;
    char s[UA_CACHE_LEN];
};

struct dayagg {
    int32_t day;
    int64_t hits, bot_hits, pageviews, bytes, s4xx, s5xx, bad_requests;
    struct wl_set keys, all_keys;
};

struct colagg {
    int32_t day;
    int64_t column_id;
    int64_t pageviews;
    struct wl_set keys;
};

struct ctx {
    struct store *db;
    int64_t site_id;
    const struct wl_config *cfg;
    const struct wl_ingest_opts *o;
    int tzoff;
    struct notes *bad;
    struct ua_ent *uac;
    struct map coldirs;  /* "/dir/" → column id (as a pointer-sized integer) */
    struct map days;     /* int32 day → struct dayagg * */
    struct map cols;     /* {day, column id} → struct colagg * */
    struct dayagg *last; /* the day of the previous line */
    size_t nkeys;        /* keys held in all sets, plus AGG_COST per aggregate */
    char *buf;
};

/* The file being read and its result. */
struct file {
    const char *path;
    struct wl_file_result *fr;
    struct wl_format *fmt;
    int64_t lineno;
    int64_t first_at, last_at;
};

/* ---- aggregates ---- */

static struct dayagg *day_get(struct ctx *c, int32_t day)
{
    if (c->last && c->last->day == day)
        return c->last;
    bool created;
    void **slot = map_slot(&c->days, &day, sizeof(day), &created);
    if (created) {
        struct dayagg *d = XNEW(struct dayagg);
        d->day = day;
        *slot = d;
        c->nkeys += AGG_COST;
    }
    c->last = *slot;
    return c->last;
}

static struct colagg *col_get(struct ctx *c, int32_t day, int64_t column_id)
{
    struct {
        int32_t day;
        int32_t pad;
        int64_t col;
    } k = { day, 0, column_id };
    bool created;
    void **slot = map_slot(&c->cols, &k, sizeof(k), &created);
    if (created) {
        struct colagg *a = XNEW(struct colagg);
        a->day = day;
        a->column_id = column_id;
        *slot = a;
        c->nkeys += AGG_COST;
    }
    return *slot;
}

static void free_dayagg(void *p)
{
    struct dayagg *d = p;
    wl_set_release(&d->keys);
    wl_set_release(&d->all_keys);
    free(d);
}

static void free_colagg(void *p)
{
    struct colagg *a = p;
    wl_set_release(&a->keys);
    free(a);
}

static void aggs_clear(struct ctx *c)
{
    map_release(&c->days, free_dayagg);
    map_release(&c->cols, free_colagg);
    c->last = NULL;
    c->nkeys = 0;
}

/* Add the keys of a stored blob to a set. */
static enum rc merge_blob(struct wl_set *s, const void *p, size_t n, const char *what, int32_t day,
                          struct err *err)
{
    struct wl_kdec d;
    uint64_t k;
    wl_kdec_init(&d, p, n);
    while (wl_kdec_next(&d, &k))
        wl_set_add(s, k);
    if (d.bad) {
        char ds[11];
        date_fmt(day, ds);
        return err_set(err, RC_DB, "corrupt visitor keys in %s of %s", what, ds);
    }
    return RC_OK;
}

static void encode_set(const struct wl_set *s, struct buf *out)
{
    size_t n;
    uint64_t *v = wl_set_sorted(s, &n);
    buf_reset(out);
    wl_keys_encode(v, n, out);
    free(v);
}

static enum rc flush_day(struct ctx *c, struct dayagg *d, struct buf *b1, struct buf *b2,
                         struct err *err)
{
    struct stmt *st = store_q(c->db,
                              "SELECT hits, bot_hits, pageviews, bytes, status_4xx, status_5xx, "
                              "bad_requests, keys, all_keys FROM weblog_days WHERE site_id = ? "
                              "AND day = ?",
                              "iD", c->site_id, d->day);
    enum rc rc = RC_OK;
    if (stmt_next(st)) {
        d->hits += stmt_int(st, 0);
        d->bot_hits += stmt_int(st, 1);
        d->pageviews += stmt_int(st, 2);
        d->bytes += stmt_int(st, 3);
        d->s4xx += stmt_int(st, 4);
        d->s5xx += stmt_int(st, 5);
        d->bad_requests += stmt_int(st, 6);
        size_t n;
        const void *p = stmt_blob(st, 7, &n);
        rc = merge_blob(&d->keys, p, n, "weblog_days.keys", d->day, err);
        if (!rc) {
            p = stmt_blob(st, 8, &n);
            rc = merge_blob(&d->all_keys, p, n, "weblog_days.all_keys", d->day, err);
        }
    }
    enum rc rc2 = stmt_done(st, err);
    if (rc || rc2)
        return rc ? rc : rc2;
    encode_set(&d->keys, b1);
    encode_set(&d->all_keys, b2);
    return store_exec(
        c->db, err,
        "INSERT INTO weblog_days (site_id, day, hits, bot_hits, pageviews, visitors, all_visitors, "
        "bytes, status_4xx, status_5xx, bad_requests, keys, all_keys) VALUES (?, ?, ?, ?, ?, ?, "
        "?, ?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, day) DO UPDATE SET hits = excluded.hits, "
        "bot_hits = excluded.bot_hits, pageviews = excluded.pageviews, visitors = "
        "excluded.visitors, all_visitors = excluded.all_visitors, bytes = excluded.bytes, "
        "status_4xx = excluded.status_4xx, status_5xx = excluded.status_5xx, bad_requests = "
        "excluded.bad_requests, keys = excluded.keys, all_keys = excluded.all_keys",
        "iDiiiiiiiiiBB", c->site_id, d->day, d->hits, d->bot_hits, d->pageviews, (int64_t)d->keys.n,
        (int64_t)d->all_keys.n, d->bytes, d->s4xx, d->s5xx, d->bad_requests, (const void *)b1->p,
        b1->n, (const void *)b2->p, b2->n);
}

static enum rc flush_col(struct ctx *c, struct colagg *a, struct buf *b1, struct err *err)
{
    struct stmt *st = store_q(c->db,
                              "SELECT pageviews, keys FROM weblog_column_days WHERE site_id = ? "
                              "AND day = ? AND column_id = ?",
                              "iDi", c->site_id, a->day, a->column_id);
    enum rc rc = RC_OK;
    if (stmt_next(st)) {
        a->pageviews += stmt_int(st, 0);
        size_t n;
        const void *p = stmt_blob(st, 1, &n);
        rc = merge_blob(&a->keys, p, n, "weblog_column_days.keys", a->day, err);
    }
    enum rc rc2 = stmt_done(st, err);
    if (rc || rc2)
        return rc ? rc : rc2;
    encode_set(&a->keys, b1);
    return store_exec(c->db, err,
                      "INSERT INTO weblog_column_days (site_id, day, column_id, pageviews, "
                      "visitors, keys) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT (site_id, day, "
                      "column_id) DO UPDATE SET pageviews = excluded.pageviews, visitors = "
                      "excluded.visitors, keys = excluded.keys",
                      "iDiiiB", c->site_id, a->day, a->column_id, a->pageviews, (int64_t)a->keys.n,
                      (const void *)b1->p, b1->n);
}

static enum rc flush(struct ctx *c, struct err *err)
{
    struct buf b1 = BUF_INIT, b2 = BUF_INIT;
    enum rc rc = RC_OK;
    map_foreach(&c->days, e) {
        if ((rc = flush_day(c, e->val, &b1, &b2, err)))
            break;
    }
    if (!rc)
        map_foreach(&c->cols, e) {
            if ((rc = flush_col(c, e->val, &b1, err)))
                break;
        }
    buf_release(&b1);
    buf_release(&b2);
    aggs_clear(c);
    return rc;
}

/* ---- columns ---- */

static bool same_host(const char *a, const char *b)
{
    if (!strncmp(a, "www.", 4))
        a += 4;
    if (!strncmp(b, "www.", 4))
        b += 4;
    return !strcmp(a, b);
}

/* The registered columns' list-page directories on the site's host. */
static enum rc load_columns(struct ctx *c, struct err *err)
{
    char *host = NULL;
    enum rc rc =
        store_get_text(c->db, &host, err, "SELECT host FROM sites WHERE id = ?", "i", c->site_id);
    if (rc)
        return rc == RC_NOTFOUND
                   ? err_set(err, RC_NOTFOUND, "no site with id %lld", (long long)c->site_id)
                   : rc;
    struct stmt *st = store_q(c->db,
                              "SELECT c.id, u.url FROM site_columns c JOIN column_urls u ON "
                              "u.column_id = c.id WHERE c.site_id = ? AND c.state = 'registered' "
                              "ORDER BY c.id, u.url",
                              "i", c->site_id);
    while (stmt_next(st)) {
        const char *url = stmt_str(st, 1);
        char h[256];
        if (!url_host(url, h, sizeof(h)) || !same_host(h, host ? host : ""))
            continue;
        const char *path = url_path(url);
        const char *q = strchr(path, '?');
        size_t n = q ? (size_t)(q - path) : strlen(path);
        while (n && path[n - 1] != '/')
            n--;
        if (n <= 1) /* the root directory would be every page: not a column's */
            continue;
        if (!map_has(&c->coldirs, path, n))
            map_put(&c->coldirs, path, n, (void *)(intptr_t)stmt_int(st, 0));
    }
    free(host);
    return stmt_done(st, err);
}

/* The column of a page: its longest directory prefix that is a column's (0: none). */
static int64_t column_of(struct ctx *c, struct str path)
{
    if (!c->coldirs.n)
        return 0;
    for (size_t j = path.n; j-- > 1;) {
        if (path.p[j] != '/')
            continue;
        void *v = map_get(&c->coldirs, path.p, j + 1);
        if (v)
            return (int64_t)(intptr_t)v;
    }
    return 0;
}

/* ---- lines ---- */

static bool ua_is_bot(struct ctx *c, struct str ua, uint64_t *h)
{
    uint64_t hh = wl_hash(ua.p, ua.n, SEED_UA);
    *h = hh;
    if (!ua.n)
        return c->cfg->empty_agent_is_bot;
    struct ua_ent *e = &c->uac[hh & (UA_CACHE - 1)];
    if (e->used && e->h == hh && e->n == ua.n && !memcmp(e->s, ua.p, ua.n))
        return e->bot;
    bool bot = wl_is_bot(c->cfg, ua.p, ua.n);
    if (ua.n <= UA_CACHE_LEN) {
        e->used = true;
        e->h = hh;
        e->n = (uint32_t)ua.n;
        e->bot = bot;
        memcpy(e->s, ua.p, ua.n);
    }
    return bot;
}

static struct str client_of(const struct ctx *c, const struct wl_rec *r)
{
    if (c->cfg->use_forwarded_for && r->xff.n) {
        struct str x = r->xff;
        const char *comma = memchr(x.p, ',', x.n);
        if (comma)
            x.n = (size_t)(comma - x.p);
        x = str_trim(x);
        if (x.n)
            return x;
    }
    return r->addr;
}

static void note_bad(struct ctx *c, struct file *f, const char *why, const char *p, size_t n)
{
    if (!c->bad)
        return;
    size_t max = c->bad->max ? c->bad->max : 20;
    if (c->bad->n >= max) {
        c->bad->total++;
        return;
    }
    char ex[200];
    size_t k = 0;
    for (size_t i = 0; i < n && k + 5 < sizeof(ex) && i < 120; i++) {
        unsigned char ch = (unsigned char)p[i];
        if (ch < 0x20 || ch >= 0x7f)
            k += (size_t)snprintf(ex + k, sizeof(ex) - k, "\\x%02X", ch);
        else
            ex[k++] = (char)ch;
    }
    ex[k] = 0;
    notes_add(c->bad, "%s:%lld: %s: %s%s", f->path, (long long)f->lineno, why, ex,
              n > 120 ? "…" : "");
}

static inline int32_t day_of(int64_t t, int tzoff)
{
    int64_t s = t + tzoff;
    return (int32_t)(s >= 0 ? s / 86400 : -((-s + 86399) / 86400));
}

static void do_line(struct ctx *c, struct file *f, const char *p, size_t n)
{
    struct wl_rec r;
    const char *why;
    enum wl_line l = wl_parse_line(f->fmt, p, n, &r, &why);
    if (l == WL_LINE_SKIP)
        return;
    struct wl_file_result *fr = f->fr;
    if (l == WL_LINE_BAD) {
        fr->bad_lines++;
        note_bad(c, f, why, p, n);
        return;
    }
    fr->hits++;
    if (!f->first_at || r.t < f->first_at)
        f->first_at = r.t;
    if (r.t > f->last_at)
        f->last_at = r.t;
    int32_t day = day_of(r.t, c->tzoff);
    if (fr->first_day == DATE_NONE || day < fr->first_day)
        fr->first_day = day;
    if (fr->last_day == DATE_NONE || day > fr->last_day)
        fr->last_day = day;
    struct dayagg *d = day_get(c, day);
    d->hits++;
    d->bytes += r.bytes;
    if (r.status >= 500)
        d->s5xx++;
    else if (r.status >= 400)
        d->s4xx++;
    if (r.bad_request) {
        d->bad_requests++;
        return;
    }
    uint64_t hua = 0;
    bool bot = r.has_ua ? ua_is_bot(c, r.ua, &hua) : false;
    d->bot_hits += bot;
    struct str client = client_of(c, &r);
    uint64_t key = wl_visitor_key(wl_hash(client.p, client.n, SEED_IP), hua);
    if (r.status < 400 || r.status >= 500)
        c->nkeys += wl_set_add(&d->all_keys, key);
    if (!wl_is_pageview(c->cfg, &r, bot))
        return;
    fr->pageviews++;
    d->pageviews++;
    c->nkeys += wl_set_add(&d->keys, key);
    struct colagg *a = col_get(c, day, column_of(c, r.path));
    a->pageviews++;
    c->nkeys += wl_set_add(&a->keys, key);
}

/* ---- files ---- */

struct src {
    int fd;
    gzFile gz;
    bool compressed;
    uint64_t size; /* of the file on disk */
    int64_t dev, ino;
};

static enum rc src_open(struct src *s, const char *path, struct err *err)
{
    memset(s, 0, sizeof(*s));
    s->fd = open(path, O_RDONLY | O_CLOEXEC);
    if (s->fd < 0)
        return err_set(err, RC_IO, "cannot open '%s': %s", path, strerror(errno));
    struct stat st;
    if (fstat(s->fd, &st) || !S_ISREG(st.st_mode)) {
        close(s->fd);
        return err_set(err, RC_IO, "'%s' is not a regular file", path);
    }
    s->size = (uint64_t)st.st_size;
    s->dev = (int64_t)st.st_dev;
    s->ino = (int64_t)st.st_ino;
    unsigned char magic[2];
    if (pread(s->fd, magic, 2, 0) == 2 && magic[0] == 0x1f && magic[1] == 0x8b) {
        int fd2 = dup(s->fd);
        s->gz = fd2 >= 0 ? gzdopen(fd2, "rb") : NULL;
        if (!s->gz) {
            if (fd2 >= 0)
                close(fd2);
            close(s->fd);
            return err_set(err, RC_IO, "cannot read '%s' as gzip", path);
        }
        gzbuffer(s->gz, 256u << 10);
        s->compressed = true;
    }
    return RC_OK;
}

static void src_close(struct src *s)
{
    if (s->gz)
        gzclose(s->gz);
    if (s->fd >= 0)
        close(s->fd);
}

/* Read up to n bytes of content; -1 on error (err set). */
static long src_read(struct src *s, const char *path, char *dst, size_t n, struct err *err)
{
    if (s->compressed) {
        int r = gzread(s->gz, dst, (unsigned)(n > (1u << 30) ? (1u << 30) : n));
        if (r < 0) {
            int e;
            const char *m = gzerror(s->gz, &e);
            err_set(err, RC_IO, "cannot read '%s': corrupt gzip data (%s)", path, m);
            return -1;
        }
        int e = Z_OK;
        if (r == 0)
            gzerror(s->gz, &e);
        if (r == 0 && (e == Z_BUF_ERROR || !gzeof(s->gz))) {
            err_set(err, RC_IO,
                    "cannot read '%s': the gzip data ends early (truncated, or still being "
                    "written?)",
                    path);
            return -1;
        }
        return r;
    }
    for (;;) {
        ssize_t r = read(s->fd, dst, n);
        if (r >= 0)
            return (long)r;
        if (errno != EINTR) {
            err_set(err, RC_IO, "cannot read '%s': %s", path, strerror(errno));
            return -1;
        }
    }
}

/* Fill head[] with the first bytes of content; *n their count. */
static enum rc read_head(struct src *s, const char *path, char *head, size_t *n, struct err *err)
{
    size_t got = 0;
    while (got < HEAD_MAX) {
        long r = src_read(s, path, head + got, HEAD_MAX - got, err);
        if (r < 0)
            return RC_IO;
        if (!r)
            break;
        got += (size_t)r;
    }
    *n = got;
    return RC_OK;
}

/* Move to content offset `to` (after the head was read). */
static enum rc src_seek(struct src *s, const char *path, uint64_t to, char *sink, size_t nsink,
                        bool *short_, struct err *err)
{
    *short_ = false;
    if (!s->compressed) {
        if (to > s->size) {
            *short_ = true;
            return RC_OK;
        }
        if (lseek(s->fd, (off_t)to, SEEK_SET) < 0)
            return err_set(err, RC_IO, "cannot seek in '%s': %s", path, strerror(errno));
        return RC_OK;
    }
    if (gzrewind(s->gz) < 0)
        return err_set(err, RC_IO, "cannot rewind '%s'", path);
    uint64_t left = to;
    while (left) {
        long r = src_read(s, path, sink, left < nsink ? left : nsink, err);
        if (r < 0)
            return RC_IO;
        if (!r) {
            *short_ = true;
            return RC_OK;
        }
        left -= (uint64_t)r;
    }
    return RC_OK;
}

struct known {
    int64_t id, read_to, lines, bad_lines, first_at, last_at;
    char *format;
};

/* The record of this content, if any: same hash of the same number of first bytes (a
 * record made when the file was shorter than HEAD_MAX matches on its shorter prefix). */
static enum rc find_known(struct ctx *c, const char *head, size_t nhead, uint64_t hash,
                          struct known *k, bool *found, struct err *err)
{
    *found = false;
    struct stmt *st = store_q(c->db,
                              "SELECT id, head_len, head_hash, read_to, lines, bad_lines, format, "
                              "first_at, last_at FROM weblog_files WHERE site_id = ? AND "
                              "((head_len = ? AND head_hash = ?) OR head_len < ?) ORDER BY "
                              "read_to DESC, id",
                              "iiii", c->site_id, (int64_t)nhead, (int64_t)hash, (int64_t)nhead);
    while (!*found && stmt_next(st)) {
        int64_t hl = stmt_int(st, 1);
        uint64_t hh = (uint64_t)stmt_int(st, 2);
        if (hl <= 0 || hl > (int64_t)nhead)
            continue;
        if (hl == (int64_t)nhead ? hh != hash : wl_hash(head, (size_t)hl, SEED_HEAD) != hh)
            continue;
        *found = true;
        k->id = stmt_int(st, 0);
        k->read_to = stmt_int(st, 3);
        k->lines = stmt_int(st, 4);
        k->bad_lines = stmt_int(st, 5);
        k->format = stmt_dup(st, 6);
        k->first_at = stmt_int(st, 7);
        k->last_at = stmt_int(st, 8);
    }
    return stmt_done(st, err);
}

static void progress(struct ctx *c, const char *path, uint64_t done, uint64_t total)
{
    if (c->o->progress)
        c->o->progress(c->o->progress_ctx, path, done, total);
}

/* Read lines from the current position to the end.  `pos` is the content offset of the
 * position; on return it is the offset after the last line counted. */
static enum rc read_lines(struct ctx *c, struct file *f, struct src *s, uint64_t *pos,
                          struct err *err)
{
    size_t len = 0;
    bool skipping = false; /* inside a line longer than the buffer */
    uint64_t since = 0;
    for (;;) {
        long r = src_read(s, f->path, c->buf + len, READ_BUF - len, err);
        if (r < 0)
            return RC_IO;
        bool eof = r == 0;
        len += (size_t)r;
        char *p = c->buf, *end = c->buf + len;
        if (skipping) {
            char *nl = memchr(p, '\n', len);
            if (!nl) {
                *pos += len;
                len = 0;
                if (eof)
                    return RC_OK;
                continue;
            }
            *pos += (uint64_t)(nl + 1 - p);
            p = nl + 1;
            skipping = false;
        }
        if (!f->fmt) {
            enum rc rc = wl_format_detect(
                p, (size_t)(end - p) < DETECT_MAX ? (size_t)(end - p) : DETECT_MAX, &f->fmt, err);
            if (rc)
                return err_prefix(err, "%s: ", f->path);
        }
        char *nl;
        while ((nl = memchr(p, '\n', (size_t)(end - p)))) {
            f->lineno++;
            f->fr->lines++;
            do_line(c, f, p, (size_t)(nl - p));
            p = nl + 1;
        }
        size_t used = (size_t)(p - c->buf);
        *pos += used;
        if (eof) {
            /* A last line without a newline: final in a compressed (rotated) file; in a
             * plain one it may be half-written, so it waits for the next run. */
            if (p < end && s->compressed) {
                f->lineno++;
                f->fr->lines++;
                do_line(c, f, p, (size_t)(end - p));
                *pos += (uint64_t)(end - p);
            }
            return RC_OK;
        }
        memmove(c->buf, p, (size_t)(end - p));
        len = (size_t)(end - p);
        if (len == READ_BUF) {
            f->lineno++;
            f->fr->lines++;
            f->fr->bad_lines++;
            note_bad(c, f, "line longer than 4 MiB", c->buf, 120);
            *pos += len;
            len = 0;
            skipping = true;
        }
        since += used;
        if (since >= (32u << 20)) {
            since = 0;
            progress(c, f->path, *pos, s->compressed ? 0 : s->size);
        }
        if (c->nkeys >= (c->o->flush_keys ? c->o->flush_keys : FLUSH_KEYS)) {
            enum rc rc = flush(c, err);
            if (rc)
                return rc;
        }
    }
}

static enum rc save_file(struct ctx *c, struct file *f, struct src *s, bool found,
                         const struct known *k, size_t nhead, uint64_t hhash, uint64_t read_to,
                         struct err *err)
{
    int64_t now = clk_now(c->o->clk);
    int64_t lines = (found ? k->lines : 0) + f->fr->lines;
    int64_t bad = (found ? k->bad_lines : 0) + f->fr->bad_lines;
    int64_t first = found && k->first_at && (!f->first_at || k->first_at < f->first_at)
                        ? k->first_at
                        : f->first_at;
    int64_t last = found && k->last_at > f->last_at ? k->last_at : f->last_at;
    const char *spec = f->fmt ? f->fmt->spec : (found ? k->format : "combined");
    if (!found)
        return store_exec(c->db, err,
                          "INSERT INTO weblog_files (site_id, path, dev, ino, head_len, head_hash, "
                          "compressed, format, read_to, lines, bad_lines, first_at, last_at, "
                          "created_at, ingested_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                          "?, ?, ?)",
                          "itiiiibtiiiTTii", c->site_id, f->path, s->dev, s->ino, (int64_t)nhead,
                          (int64_t)hhash, (int)s->compressed, spec, (int64_t)read_to, lines, bad,
                          first, last, now, now);
    return store_exec(c->db, err,
                      "UPDATE weblog_files SET path = ?, dev = ?, ino = ?, head_len = ?, head_hash "
                      "= ?, compressed = ?, format = ?, read_to = ?, lines = ?, bad_lines = ?, "
                      "first_at = ?, last_at = ?, ingested_at = ? WHERE id = ?",
                      "tiiiibtiiiTTii", f->path, s->dev, s->ino, (int64_t)nhead, (int64_t)hhash,
                      (int)s->compressed, spec, (int64_t)read_to, lines, bad, first, last, now,
                      k->id);
}

static enum rc ingest_file(struct ctx *c, const char *path, struct wl_file_result *fr,
                           struct err *err)
{
    struct src s;
    enum rc rc = src_open(&s, path, err);
    if (rc)
        return rc;
    fr->compressed = s.compressed;
    char head[HEAD_MAX];
    size_t nhead = 0;
    struct known k = { 0 };
    bool found = false;
    struct file f = { .path = path, .fr = fr };
    if ((rc = read_head(&s, path, head, &nhead, err)))
        goto out;
    if (!nhead) {
        fr->state = WL_FILE_EMPTY;
        goto out;
    }
    uint64_t hhash = wl_hash(head, nhead, SEED_HEAD);
    if ((rc = find_known(c, head, nhead, hhash, &k, &found, err)))
        goto out;
    uint64_t start = found ? (uint64_t)k.read_to : 0;
    bool short_ = false;
    if ((rc = src_seek(&s, path, start, c->buf, READ_BUF, &short_, err)))
        goto out;
    fr->from = fr->to = start;
    if (short_) {
        fr->state = WL_FILE_SHORTER;
        if (c->bad)
            notes_add(c->bad,
                      "%s: skipped: it begins like a file already read up to byte %llu but is "
                      "shorter now (truncated and rewritten?)",
                      path, (unsigned long long)start);
        goto out;
    }
    const char *spec = c->o->format && *c->o->format && strcmp(c->o->format, "auto")
                           ? c->o->format
                           : (found ? k.format : NULL);
    if (spec && (rc = wl_format_compile(spec, &f.fmt, err))) {
        err_prefix(err, "%s: ", path);
        goto out;
    }
    f.lineno = found ? k.lines : 0;
    uint64_t pos = start;
    if ((rc = read_lines(c, &f, &s, &pos, err)))
        goto out;
    fr->to = pos;
    fr->state = !found ? WL_FILE_NEW : pos > start ? WL_FILE_RESUMED : WL_FILE_UNCHANGED;
    free(fr->format);
    fr->format = xstrdup(!f.fmt ? "?" : f.fmt->iis ? "iis" : f.fmt->spec);
    rc = save_file(c, &f, &s, found, &k, nhead, hhash, pos, err);
    progress(c, path, pos, s.compressed ? 0 : s.size);
out:
    wl_format_free(f.fmt);
    free(k.format);
    src_close(&s);
    return rc;
}

const char *wl_file_state_name(enum wl_file_state s)
{
    switch (s) {
    case WL_FILE_NEW:
        return "new";
    case WL_FILE_RESUMED:
        return "resumed";
    case WL_FILE_UNCHANGED:
        return "unchanged";
    case WL_FILE_SHORTER:
        return "shorter";
    case WL_FILE_EMPTY:
        return "empty";
    }
    return "?";
}

void wl_ingest_result_release(struct wl_ingest_result *r)
{
    for (size_t i = 0; i < r->nfiles; i++) {
        free(r->files[i].path);
        free(r->files[i].format);
    }
    free(r->files);
    memset(r, 0, sizeof(*r));
}

enum rc wl_ingest(struct store *db, int64_t site_id, const struct wl_config *cfg,
                  const char *const *paths, size_t npaths, const struct wl_ingest_opts *o,
                  struct wl_ingest_result *res, struct notes *bad, struct err *err)
{
    memset(res, 0, sizeof(*res));
    res->first_day = res->last_day = DATE_NONE;
    struct ctx c = { .db = db, .site_id = site_id, .cfg = cfg, .o = o, .bad = bad };
    c.tzoff = o->clk ? o->clk->tzoff : TZ_CST;
    enum rc rc = store_begin(db, err);
    if (rc)
        return rc;
    rc = store_exec(db, err,
                    "INSERT INTO weblog_sites (site_id, ingests, last_ingest_at) VALUES (?, 1, ?) "
                    "ON CONFLICT (site_id) DO UPDATE SET ingests = weblog_sites.ingests + 1, "
                    "last_ingest_at = excluded.last_ingest_at",
                    "ii", site_id, clk_now(o->clk));
    if (!rc)
        rc = store_exec(db, err,
                        "DELETE FROM weblog_column_days WHERE site_id = ? AND column_id <> 0 AND "
                        "column_id NOT IN (SELECT id FROM site_columns WHERE site_id = ?)",
                        "ii", site_id, site_id);
    if (!rc)
        rc = load_columns(&c, err);
    if (rc) {
        store_rollback(db);
        map_release(&c.coldirs, NULL);
        return rc;
    }
    c.uac = xcalloc(UA_CACHE, sizeof(struct ua_ent));
    c.buf = xmalloc(READ_BUF);
    res->files = xcalloc(npaths ? npaths : 1, sizeof(struct wl_file_result));
    for (size_t i = 0; i < npaths && !rc; i++) {
        struct wl_file_result *fr = &res->files[res->nfiles++];
        fr->path = xstrdup(paths[i]);
        fr->first_day = fr->last_day = DATE_NONE;
        rc = ingest_file(&c, paths[i], fr, err);
        if (!rc && c.nkeys >= (o->flush_keys ? o->flush_keys : FLUSH_KEYS))
            rc = flush(&c, err);
        res->lines += fr->lines;
        res->bad_lines += fr->bad_lines;
        res->hits += fr->hits;
        res->pageviews += fr->pageviews;
        res->bytes_read += (int64_t)(fr->to - fr->from);
        if (fr->first_day != DATE_NONE &&
            (res->first_day == DATE_NONE || fr->first_day < res->first_day))
            res->first_day = fr->first_day;
        if (fr->last_day != DATE_NONE && fr->last_day > res->last_day)
            res->last_day = fr->last_day;
    }
    if (!rc)
        rc = flush(&c, err);
    if (rc)
        store_rollback(db);
    else
        rc = store_commit(db, err);
    if (rc)
        wl_ingest_result_release(res);
    aggs_clear(&c);
    map_release(&c.coldirs, NULL);
    free(c.uac);
    free(c.buf);
    return rc;
}
