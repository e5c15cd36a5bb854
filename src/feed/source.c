/* source.c - upstream sources: the table, pulling (libcurl, conditional GET), items. */
#include <curl/curl.h>
#include <stdlib.h>
#include <string.h>

#include "core/date.h"
#include "core/str.h"
#include "core/url.h"
#include "core/xalloc.h"
#include "feed/feed.h"

#ifndef GOVSITE_VERSION
#define GOVSITE_VERSION "0"
#endif

static const char *const kind_names[] = { "auto", "rss", "atom", "html" };
static const char *const level_names[] = { "national", "province", "city" };
static const char *const level_cn[] = { "国家", "省", "市" };

const char *feed_kind_name(enum feed_kind k)
{
    return (unsigned)k < 4 ? kind_names[k] : "auto";
}
bool feed_kind_parse(const char *s, enum feed_kind *out)
{
    for (int i = 0; s && i < 4; i++)
        if (!ascii_casecmp(s, kind_names[i])) {
            *out = (enum feed_kind)i;
            return true;
        }
    return false;
}
const char *feed_level_name(enum feed_level l)
{
    return (unsigned)l < 3 ? level_names[l] : "national";
}
const char *feed_level_cn(enum feed_level l)
{
    return (unsigned)l < 3 ? level_cn[l] : "国家";
}
bool feed_level_parse(const char *s, enum feed_level *out)
{
    for (int i = 0; s && i < 3; i++)
        if (!ascii_casecmp(s, level_names[i]) || !strcmp(s, level_cn[i])) {
            *out = (enum feed_level)i;
            return true;
        }
    return false;
}

void feed_source_release(struct feed_source *s)
{
    free(s->name);
    free(s->url);
    free(s->pull_status);
    free(s->pull_error);
    memset(s, 0, sizeof(*s));
}
void feed_sources_free(struct feed_source *v, size_t n)
{
    for (size_t i = 0; i < n; i++)
        feed_source_release(&v[i]);
    free(v);
}

enum rc feed_source_add(struct store *db, const struct clk *clk, const struct feed_source_new *n,
                        int64_t *id, struct err *err)
{
    if (str_empty(n->name))
        return err_set(err, RC_INVALID, "a feed needs a name");
    int w = n->window_hours ? n->window_hours : FEED_WINDOW_DEFAULT;
    if (w < 1 || w > 8760)
        return err_set(err, RC_INVALID, "window %d hours out of range: give 1 to 8760", w);
    char *url = NULL;
    if (url_normalize(n->url ? n->url : "", &url, NULL) != RC_OK)
        return err_set(err, RC_INVALID, "feed URL \"%s\" is not an absolute http(s) URL",
                       n->url ? n->url : "");
    int64_t now = clk_now(clk), nid = 0;
    struct stmt *st = store_q(db,
                              "INSERT INTO feed_sources (name, url, kind, level, window_hours, "
                              "created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
                              "ttttIii", n->name, url, feed_kind_name(n->kind),
                              feed_level_name(n->level), w, now, now);
    if (stmt_next(st))
        nid = stmt_int(st, 0);
    enum rc rc = stmt_done(st, err);
    free(url);
    if (rc == RC_CONFLICT)
        return err_prefix(err, "feed \"%s\" exists (see govsite feed list): ", n->name), rc;
    if (rc == RC_OK && id)
        *id = nid;
    return rc;
}

enum rc feed_source_set(struct store *db, const struct clk *clk, int64_t id, int window_hours,
                        const enum feed_level *level, const bool *enabled, struct err *err)
{
    if (window_hours > 8760)
        return err_set(err, RC_INVALID, "window %d hours out of range: give 1 to 8760",
                       window_hours);
    enum rc rc = store_exec(db, err,
                            "UPDATE feed_sources SET window_hours = CASE WHEN ? > 0 THEN ? ELSE "
                            "window_hours END, level = COALESCE(?, level), enabled = CASE WHEN ? "
                            ">= 0 THEN ? ELSE enabled END, updated_at = ? WHERE id = ?",
                            "IItIIii", window_hours, window_hours,
                            level ? feed_level_name(*level) : NULL, enabled ? (int)*enabled : -1,
                            enabled ? (int)*enabled : 0, clk_now(clk), id);
    return rc;
}

enum rc feed_source_remove(struct store *db, int64_t id, struct err *err)
{
    enum rc rc = store_begin(db, err);
    if (rc)
        return rc;
    rc = store_exec(db, err, "DELETE FROM feed_items WHERE source_id = ?", "i", id);
    if (!rc)
        rc = store_exec(db, err, "DELETE FROM feed_sources WHERE id = ?", "i", id);
    if (rc) {
        store_rollback(db);
        return rc;
    }
    return store_commit(db, err);
}

enum rc feed_source_lookup(struct store *db, const char *name, int64_t *id, struct err *err)
{
    enum rc rc = store_get_int(db, id, err, "SELECT id FROM feed_sources WHERE name = ?", "t",
                               name ? name : "");
    if (rc == RC_NOTFOUND)
        return err_set(err, RC_NOTFOUND, "no feed \"%s\" (see govsite feed list)",
                       name ? name : "");
    return rc;
}

static void source_row(struct stmt *st, struct feed_source *s)
{
    memset(s, 0, sizeof(*s));
    s->id = stmt_int(st, 0);
    s->name = stmt_dup(st, 1);
    s->url = stmt_dup(st, 2);
    feed_kind_parse(stmt_str(st, 3), &s->kind);
    feed_level_parse(stmt_str(st, 4), &s->level);
    s->window_hours = (int)stmt_int(st, 5);
    s->enabled = stmt_int(st, 6) != 0;
    s->pulled_at = stmt_int(st, 7);
    s->pull_status = stmt_dup(st, 8);
    s->pull_error = stmt_dup(st, 9);
    s->pull_items = stmt_int(st, 10);
    s->pull_new = stmt_int(st, 11);
    s->pull_bad = stmt_int(st, 12);
    s->items = stmt_int(st, 13);
}

static enum rc sources_q(struct store *db, int64_t only, struct feed_source **out, size_t *n,
                         struct err *err)
{
    *out = NULL;
    *n = 0;
    size_t cap = 0;
    struct stmt *st = only ? store_q(db, "SELECT s.id, s.name, s.url, s.kind, s.level, "
                                         "s.window_hours, s.enabled, s.pulled_at, s.pull_status, "
                                         "s.pull_error, s.pull_items, s.pull_new, s.pull_bad, "
                                         "(SELECT COUNT(*) FROM feed_items i WHERE i.source_id = "
                                         "s.id) FROM feed_sources s WHERE s.id = ?",
                                     "i", only)
                           : store_sql(db, "SELECT s.id, s.name, s.url, s.kind, s.level, "
                                           "s.window_hours, s.enabled, s.pulled_at, "
                                           "s.pull_status, s.pull_error, s.pull_items, "
                                           "s.pull_new, s.pull_bad, (SELECT COUNT(*) FROM "
                                           "feed_items i WHERE i.source_id = s.id) FROM "
                                           "feed_sources s ORDER BY s.name");
    while (stmt_next(st)) {
        *out = xgrow(*out, &cap, *n + 1, sizeof(**out));
        source_row(st, &(*out)[(*n)++]);
    }
    enum rc rc = stmt_done(st, err);
    if (rc) {
        feed_sources_free(*out, *n);
        *out = NULL;
        *n = 0;
    }
    return rc;
}

enum rc feed_sources_list(struct store *db, struct feed_source **out, size_t *n, struct err *err)
{
    return sources_q(db, 0, out, n, err);
}

void feed_source_json(struct jw *w, const struct feed_source *s, int tzoff)
{
    jw_obj(w);
    jw_kint(w, "id", s->id);
    jw_kstr(w, "name", s->name);
    jw_kstr(w, "url", s->url);
    jw_kstr(w, "kind", feed_kind_name(s->kind));
    jw_kstr(w, "level", feed_level_name(s->level));
    jw_kint(w, "window_hours", s->window_hours);
    jw_kbool(w, "enabled", s->enabled);
    jw_kint(w, "items", s->items);
    jw_ktime(w, "pulled_at", s->pulled_at, tzoff);
    jw_kstr(w, "pull_status", s->pull_status);
    jw_kstr(w, "pull_error", s->pull_error);
    jw_kint(w, "pull_items", s->pull_items);
    jw_kint(w, "pull_new", s->pull_new);
    jw_kint(w, "pull_bad", s->pull_bad);
    jw_end(w);
}

/* ---- fetching ---------------------------------------------------------------------- */

struct fetch {
    struct buf body;
    char *etag, *last_modified, *charset;
    bool too_big;
};

static size_t on_body(char *p, size_t size, size_t nm, void *ctx)
{
    struct fetch *f = ctx;
    size_t n = size * nm;
    if (f->body.n + n > FEED_MAX_BODY) {
        f->too_big = true;
        return 0;
    }
    buf_add(&f->body, p, n);
    return n;
}

static char *header_value(const char *p, size_t n, const char *name)
{
    size_t k = strlen(name);
    if (n <= k + 1 || ascii_ncasecmp(p, name, k) || p[k] != ':')
        return NULL;
    struct str v = str_trim((struct str){ p + k + 1, n - k - 1 });
    return v.n ? str_dup(v) : NULL;
}

static size_t on_header(char *p, size_t size, size_t nm, void *ctx)
{
    struct fetch *f = ctx;
    size_t n = size * nm;
    if (n >= 5 && !memcmp(p, "HTTP/", 5)) { /* a new response (after a redirect) */
        free(f->etag);
        free(f->last_modified);
        free(f->charset);
        f->etag = f->last_modified = f->charset = NULL;
        return n;
    }
    char *v;
    if ((v = header_value(p, n, "etag"))) {
        free(f->etag);
        f->etag = v;
    } else if ((v = header_value(p, n, "last-modified"))) {
        free(f->last_modified);
        f->last_modified = v;
    } else if ((v = header_value(p, n, "content-type"))) {
        const char *cs = ascii_casestr(v, strlen(v), "charset=");
        if (cs) {
            cs += 8;
            size_t k = 0;
            while (cs[k] && cs[k] != ';' && cs[k] != ' ' && cs[k] != '"')
                k++;
            if (*cs == '"')
                cs++, k = strcspn(cs, "\";");
            free(f->charset);
            f->charset = k ? xstrndup(cs, k) : NULL;
        }
        free(v);
    }
    return n;
}

static void fetch_release(struct fetch *f)
{
    buf_release(&f->body);
    free(f->etag);
    free(f->last_modified);
    free(f->charset);
}

/* GET url; *status gets the HTTP status.  RC_UNAVAILABLE with curl's reason on network
 * errors, RC_LIMIT past FEED_MAX_BODY. */
static enum rc fetch(const struct feed_pull_opts *o, const char *url, const char *etag,
                     const char *last_modified, struct fetch *f, long *status, struct err *err)
{
    static bool init;
    if (!init) {
        curl_global_init(CURL_GLOBAL_DEFAULT);
        init = true;
    }
    CURL *h = curl_easy_init();
    if (!h)
        return err_set(err, RC_INTERNAL, "cannot start a transfer");
    struct curl_slist *hdr = NULL, *res = NULL;
    char line[600];
    if (!str_empty(etag) && strlen(etag) < 500) {
        snprintf(line, sizeof(line), "If-None-Match: %s", etag);
        hdr = curl_slist_append(hdr, line);
    }
    if (!str_empty(last_modified) && strlen(last_modified) < 500) {
        snprintf(line, sizeof(line), "If-Modified-Since: %s", last_modified);
        hdr = curl_slist_append(hdr, line);
    }
    if (o && o->connect_to)
        res = curl_slist_append(res, o->connect_to);
    int timeout = o && o->timeout_s > 0 ? o->timeout_s : 30;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_USERAGENT, o && o->user_agent ? o->user_agent
                                                              : "govsite/" GOVSITE_VERSION " (feeds)");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
    curl_easy_setopt(h, CURLOPT_MAXREDIRS, 5L);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_REDIR_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, (long)timeout);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)FEED_MAX_BODY);
    curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
    if (res)
        curl_easy_setopt(h, CURLOPT_CONNECT_TO, res);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, on_body);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, f);
    curl_easy_setopt(h, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(h, CURLOPT_HEADERDATA, f);
    CURLcode cc = curl_easy_perform(h);
    *status = 0;
    curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, status);
    curl_easy_cleanup(h);
    curl_slist_free_all(hdr);
    curl_slist_free_all(res);
    if (f->too_big || cc == CURLE_FILESIZE_EXCEEDED)
        return err_set(err, RC_LIMIT, "%s: the feed is larger than %u bytes", url,
                       FEED_MAX_BODY);
    if (cc != CURLE_OK)
        return err_set(err, RC_UNAVAILABLE, "%s: %s", url, curl_easy_strerror(cc));
    return RC_OK;
}

/* Upsert the parsed items of a source; *fresh gets the new ones. */
static enum rc store_items(struct store *db, int64_t sid, int64_t now, const struct feed_parsed *p,
                           int *fresh, struct err *err)
{
    enum rc rc = store_begin(db, err);
    if (rc)
        return rc;
    *fresh = 0;
    for (size_t i = 0; i < p->n && !rc; i++) {
        const struct feed_item_in *it = &p->items[i];
        int64_t known = 0;
        rc = store_get_int(db, &known, err,
                           "SELECT id FROM feed_items WHERE source_id = ? AND url = ?", "it", sid,
                           it->url);
        if (rc == RC_NOTFOUND) {
            rc = store_exec(db, err,
                            "INSERT INTO feed_items (source_id, url, title, doc_no, published_at, "
                            "published_known, first_seen, last_seen) VALUES (?, ?, ?, ?, ?, ?, "
                            "?, ?)",
                            "ittti" "Iii", sid, it->url, it->title, it->doc_no,
                            it->published ? it->published : now, it->published ? 1 : 0, now, now);
            (*fresh)++;
        } else if (rc == RC_OK) {
            /* Keep the first published time when the feed stops giving one. */
            rc = store_exec(db, err,
                            "UPDATE feed_items SET title = ?, doc_no = ?, last_seen = ?, "
                            "published_at = CASE WHEN ? > 0 THEN ? ELSE published_at END, "
                            "published_known = CASE WHEN ? > 0 THEN 1 ELSE published_known END "
                            "WHERE id = ?",
                            "ttiiiii", it->title, it->doc_no, now, it->published, it->published,
                            it->published, known);
        }
    }
    if (rc) {
        store_rollback(db);
        return rc;
    }
    return store_commit(db, err);
}

static enum rc pull_one(struct store *db, const struct clk *clk, const struct feed_pull_opts *o,
                        const struct feed_source *s, struct feed_pull_result *r,
                        struct notes *bad, struct err *err)
{
    char *etag = NULL, *lm = NULL;
    if (!(o && o->force)) {
        struct stmt *st = store_q(db, "SELECT etag, last_modified FROM feed_sources WHERE id = ?",
                                  "i", s->id);
        if (stmt_next(st)) {
            etag = stmt_dup(st, 0);
            lm = stmt_dup(st, 1);
        }
        stmt_done(st, NULL);
    }
    struct fetch f = { 0 };
    long status = 0;
    struct err e = { 0 };
    enum rc rc = fetch(o, s->url, etag, lm, &f, &status, &e);
    r->http_status = (int)status;
    free(etag);
    free(lm);
    int64_t now = clk_now(clk);
    const char *state = "ok";
    struct feed_parsed p = { 0 };
    if (rc == RC_OK && status == 304) {
        r->not_modified = true;
        state = "not-modified";
    } else if (rc == RC_OK && (status < 200 || status >= 300)) {
        rc = err_set(&e, RC_UNAVAILABLE, "%s: HTTP status %ld", s->url, status);
    } else if (rc == RC_OK) {
        struct notes local = NOTES_INIT;
        rc = feed_parse(f.body.p ? f.body.p : "", f.body.n, f.charset, s->url, s->kind,
                        clk->tzoff, &p, &local, &e);
        for (size_t i = 0; bad && i < local.n; i++)
            notes_add(bad, "%s: %s", s->name, local.v[i]);
        if (bad && local.total > local.n)
            bad->total += local.total - local.n;
        notes_release(&local);
        r->items = (int)p.n;
        r->bad = (int)p.bad;
        if (rc == RC_OK)
            rc = store_items(db, s->id, now, &p, &r->new_items, &e);
    }
    if (rc != RC_OK) {
        state = "error";
        snprintf(r->error, sizeof(r->error), "%s", e.msg);
    }
    r->rc = rc;
    struct err e2 = { 0 };
    enum rc rc2 = store_exec(
        db, &e2,
        "UPDATE feed_sources SET pulled_at = ?, pull_status = ?, pull_error = ?, pull_items = ?, "
        "pull_new = ?, pull_bad = ?, etag = CASE WHEN ? = 1 THEN ? ELSE etag END, last_modified "
        "= CASE WHEN ? = 1 THEN ? ELSE last_modified END WHERE id = ?",
        "ittIIIItIti", now, state, rc ? r->error : NULL, r->items, r->new_items, r->bad,
        rc == RC_OK && !r->not_modified ? 1 : 0, f.etag, rc == RC_OK && !r->not_modified ? 1 : 0,
        f.last_modified, s->id);
    feed_parsed_release(&p);
    fetch_release(&f);
    if (rc)
        err_set(err, rc, "%s", e.msg);
    else if (rc2)
        return err_set(err, rc2, "%s", e2.msg);
    return rc;
}

enum rc feed_pull(struct store *db, const struct clk *clk, const struct feed_pull_opts *o,
                  int64_t source_id, void (*fn)(const struct feed_pull_result *r, void *ctx),
                  void *ctx, struct notes *bad, struct err *err)
{
    struct feed_source *v;
    size_t n;
    enum rc rc = sources_q(db, source_id, &v, &n, err);
    if (rc)
        return rc;
    if (source_id && !n)
        return err_set(err, RC_NOTFOUND, "no feed with id %lld (see govsite feed list)",
                       (long long)source_id);
    enum rc first = RC_OK;
    for (size_t i = 0; i < n; i++) {
        if (!source_id && !v[i].enabled)
            continue;
        struct feed_pull_result r = { .source_id = v[i].id, .name = v[i].name };
        struct err e = { 0 };
        rc = pull_one(db, clk, o, &v[i], &r, bad, &e);
        if (fn)
            fn(&r, ctx);
        if (rc && !first) {
            first = rc;
            err_set(err, rc, "%s", e.msg);
        }
    }
    feed_sources_free(v, n);
    return first;
}

/* ---- items ------------------------------------------------------------------------- */

enum rc feed_items_each(struct store *db, int64_t source_id, int32_t from, int32_t to, int tzoff,
                        int (*fn)(const struct feed_item *it, void *ctx), void *ctx,
                        struct err *err)
{
    int64_t lo = from == DATE_NONE ? INT64_MIN / 2 : time_from_date(from, 0, tzoff);
    int64_t hi = to == DATE_NONE ? INT64_MAX / 2 : time_from_date(to + 1, 0, tzoff) - 1;
    struct stmt *st = store_q(db,
                              "SELECT i.id, i.source_id, s.name, i.title, i.url, i.doc_no, "
                              "s.level, s.window_hours, i.published_at, i.first_seen, "
                              "i.published_known FROM feed_items i JOIN feed_sources s ON s.id = "
                              "i.source_id WHERE (? = 0 OR i.source_id = ?) AND i.published_at "
                              ">= ? AND i.published_at <= ? ORDER BY i.published_at DESC, i.id",
                              "iiii", source_id, source_id, lo, hi);
    while (stmt_next(st)) {
        struct feed_item it = {
            .id = stmt_int(st, 0),
            .source_id = stmt_int(st, 1),
            .source = stmt_text(st, 2),
            .title = stmt_text(st, 3),
            .url = stmt_text(st, 4),
            .doc_no = stmt_text(st, 5),
            .window_hours = (int)stmt_int(st, 7),
            .published_at = stmt_int(st, 8),
            .first_seen = stmt_int(st, 9),
            .published_known = stmt_int(st, 10) != 0,
        };
        feed_level_parse(stmt_str(st, 6), &it.level);
        if (fn(&it, ctx))
            break;
    }
    return stmt_done(st, err);
}

void feed_item_json(struct jw *w, const struct feed_item *it, int tzoff)
{
    jw_obj(w);
    jw_kint(w, "id", it->id);
    jw_kstr(w, "source", it->source);
    jw_kstr(w, "level", feed_level_name(it->level));
    jw_kstr(w, "title", it->title);
    jw_kstr(w, "url", it->url);
    jw_kstr(w, "doc_no", it->doc_no);
    jw_ktime(w, "published_at", it->published_at, tzoff);
    jw_kbool(w, "published_known", it->published_known);
    jw_ktime(w, "first_seen", it->first_seen, tzoff);
    jw_kint(w, "window_hours", it->window_hours);
    jw_end(w);
}
