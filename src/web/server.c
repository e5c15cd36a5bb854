/* server.c - the libmicrohttpd daemon: threads, per-worker databases, request lifecycle,
 * access log, graceful stop (web.h). */
#include <arpa/inet.h>
#include <json-c/json.h>
#include <microhttpd.h>
#include <netdb.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "core/date.h"
#include "core/log.h"
#include "core/map.h"
#include "core/res.h"
#include "core/str.h"
#include "core/xalloc.h"
#include "web/metrics.h"
#include "web/web_int.h"

struct worker_db {
    struct web_server *srv;
    struct store *db;
    void *slot[WEB_NSLOTS]; /* web_slot_get/set */
    void (*slot_release[WEB_NSLOTS])(void *);
};

/* A kept value (web_kept): valid while the table's change counter is `changes`. */
struct kept {
    int64_t changes;
    size_t n;
    char data[]; /* n bytes */
};
#define KEPT_MAX 4096 /* the cache is emptied when it reaches this many keys */

struct web_server {
    struct MHD_Daemon *d;
    struct web_conf conf;
    struct buf cert, key;
    bool https;
    int port;
    FILE *access;
    bool access_owned;
    pthread_mutex_t log_mu;
    pthread_key_t db_key;
    pthread_mutex_t db_mu;
    struct worker_db **dbs; /* every open worker connection */
    size_t ndbs, capdbs;
    _Atomic int inflight;
    struct metric_route *metrics;
    pthread_mutex_t count_mu;
    struct map counts; /* key → struct kept */
    const char **route_names, **route_methods;
    struct web__asset assets[3];
};

void web_conf_init(struct web_conf *c)
{
    memset(c, 0, sizeof(*c));
    c->listen = "127.0.0.1:8080";
    c->threads = 4;
    c->max_body = 1 << 20;
    auth_policy_default(&c->auth);
    c->public_max_submissions = 5;
    c->public_max_lookup_failures = 20;
    c->public_window = 3600;
}

enum rc web_conf_load(struct web_conf *c, const struct conf *cf, struct err *err)
{
    int64_t v;
    enum rc rc;
    c->conf = cf;
    if ((rc = conf_bool(cf, "web", "public", c->public_on, &c->public_on, err)))
        return rc;
    c->listen = conf_get(cf, "web", "listen", c->listen);
    c->cert_file = conf_get(cf, "web", "cert", c->cert_file);
    c->key_file = conf_get(cf, "web", "key", c->key_file);
    c->access_log = conf_get(cf, "web", "access_log", c->access_log);
    if ((rc = conf_int(cf, "web", "threads", c->threads, 1, 256, &v, err)))
        return rc;
    c->threads = (int)v;
    if ((rc = conf_int(cf, "web", "max_body", (int64_t)c->max_body, 1024, 1 << 30, &v, err)))
        return rc;
    c->max_body = (size_t)v;
    struct {
        const char *key;
        int64_t *p64;
        int *pint;
        int64_t lo, hi;
    } ints[] = {
        { "session_idle", &c->auth.idle, NULL, 60, 30 * 86400 },
        { "session_max", &c->auth.max, NULL, 60, 90 * 86400 },
        { "login_window", &c->auth.window, NULL, 1, 86400 },
        { "login_max_user_failures", NULL, &c->auth.max_user_fails, 1, 1000 },
        { "login_max_ip_failures", NULL, &c->auth.max_ip_fails, 1, 100000 },
        { "public_window", &c->public_window, NULL, 60, 7 * 86400 },
        { "public_max_submissions", NULL, &c->public_max_submissions, 1, 100000 },
        { "public_max_lookup_failures", NULL, &c->public_max_lookup_failures, 1, 100000 },
    };
    for (size_t i = 0; i < sizeof(ints) / sizeof(ints[0]); i++) {
        int64_t def = ints[i].p64 ? *ints[i].p64 : *ints[i].pint;
        if ((rc = conf_int(cf, "web", ints[i].key, def, ints[i].lo, ints[i].hi, &v, err)))
            return rc;
        if (ints[i].p64)
            *ints[i].p64 = v;
        else
            *ints[i].pint = (int)v;
    }
    return RC_OK;
}

const struct web_conf *web__conf(const struct web_server *s)
{
    return &s->conf;
}

const struct web__asset *web__asset(const struct web_server *s, const char *name)
{
    for (size_t i = 0; i < sizeof(s->assets) / sizeof(s->assets[0]); i++)
        if (s->assets[i].name && !strcmp(s->assets[i].name, name))
            return &s->assets[i];
    return NULL;
}

int web_port(const struct web_server *s)
{
    return s->port;
}

bool web_https(const struct web_server *s)
{
    return s->https;
}

int web_inflight(const struct web_server *s)
{
    return atomic_load(&((struct web_server *)s)->inflight);
}

/* ---- per-worker database connections ------------------------------------------------- */

static enum rc open_db(const struct web_conf *c, struct store **out, struct err *err)
{
    if (c->open_db)
        return c->open_db(c->open_ctx, out, err);
    enum rc rc = store_open(c->dsn, out, err);
    if (!rc && (rc = store_migrate(*out, err))) {
        store_close(*out);
        *out = NULL;
    }
    return rc;
}

static void forget_db(struct web_server *s, struct worker_db *w)
{
    pthread_mutex_lock(&s->db_mu);
    for (size_t i = 0; i < s->ndbs; i++)
        if (s->dbs[i] == w) {
            s->dbs[i] = s->dbs[--s->ndbs];
            break;
        }
    pthread_mutex_unlock(&s->db_mu);
}

static void worker_free(struct worker_db *w)
{
    for (int i = 0; i < WEB_NSLOTS; i++)
        if (w->slot[i] && w->slot_release[i])
            w->slot_release[i](w->slot[i]);
    store_close(w->db);
    free(w);
}

/* Runs when a worker thread ends (inside MHD_stop_daemon): close its connection. */
static void db_destructor(void *p)
{
    struct worker_db *w = p;
    forget_db(w->srv, w);
    worker_free(w);
}

static struct worker_db *worker_db(struct web_server *s, struct err *err)
{
    struct worker_db *w = pthread_getspecific(s->db_key);
    if (w)
        return w;
    struct store *db = NULL;
    if (open_db(&s->conf, &db, err))
        return NULL;
    w = XNEW(struct worker_db);
    w->srv = s;
    w->db = db;
    pthread_setspecific(s->db_key, w);
    pthread_mutex_lock(&s->db_mu);
    s->dbs = xgrow(s->dbs, &s->capdbs, s->ndbs + 1, sizeof(*s->dbs));
    s->dbs[s->ndbs++] = w;
    pthread_mutex_unlock(&s->db_mu);
    log_debug("web: worker opened its database connection");
    return w;
}

void *web_slot_get(struct web_req *r, enum web_slot slot)
{
    struct worker_db *w = r->worker;
    return w ? w->slot[slot] : NULL;
}

void web_slot_set(struct web_req *r, enum web_slot slot, void *p, void (*release)(void *))
{
    struct worker_db *w = r->worker;
    if (!w)
        BUG("web_slot_set outside a worker");
    if (w->slot[slot] && w->slot[slot] != p && w->slot_release[slot])
        w->slot_release[slot](w->slot[slot]);
    w->slot[slot] = p;
    w->slot_release[slot] = release;
}

bool web__kept_get(struct web_server *s, const char *key, int64_t changes, struct buf *out)
{
    pthread_mutex_lock(&s->count_mu);
    struct kept *k = map_gets(&s->counts, key);
    bool hit = k && k->changes == changes;
    if (hit)
        buf_add(out, k->data, k->n);
    pthread_mutex_unlock(&s->count_mu);
    return hit;
}

void web__kept_put(struct web_server *s, const char *key, int64_t changes, const void *p, size_t n)
{
    struct kept *k = xmalloc(sizeof(*k) + n);
    k->changes = changes;
    k->n = n;
    memcpy(k->data, p, n);
    pthread_mutex_lock(&s->count_mu);
    if (s->counts.n >= KEPT_MAX)
        map_release(&s->counts, free);
    free(map_put(&s->counts, key, strlen(key), k));
    pthread_mutex_unlock(&s->count_mu);
}

/* ---- access log ---------------------------------------------------------------------- */

static void access_line(struct web_server *s, struct web_req *r, size_t bytes)
{
    if (!s->access)
        return;
    static const char *const mon[] = { "Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                       "Jul", "Aug", "Sep", "Oct", "Nov", "Dec" };
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    int tz = s->conf.clk ? s->conf.clk->tzoff : TZ_CST;
    int64_t t = (int64_t)ts.tv_sec;
    int y, m, d;
    date_to_ymd(time_to_date(t, tz), &y, &m, &d);
    int secs = time_secs_of_day(t, tz);
    const char *ref = web_header_in(r, "Referer"), *ua = web_header_in(r, "User-Agent");
    struct buf b = BUF_INIT;
    buf_addf(&b, "%s - ", r->ip ? r->ip : "-");
    /* user names may hold anything: keep the line parseable */
    if (r->user) {
        for (const char *p = r->user->name; *p; p++)
            buf_addc(&b, (*p == ' ' || *p == '"' || (unsigned char)*p < 0x20) ? '_' : *p);
    } else {
        buf_addc(&b, '-');
    }
    buf_addf(&b, " [%02d/%s/%04d:%02d:%02d:%02d %c%02d%02d] \"", d, mon[m - 1], y, secs / 3600,
             secs / 60 % 60, secs % 60, tz < 0 ? '-' : '+', abs(tz) / 3600, abs(tz) / 60 % 60);
    struct {
        const char *s;
    } quoted[] = { { r->method }, { r->path } };
    for (int i = 0; i < 2; i++) {
        if (i)
            buf_addc(&b, ' ');
        for (const char *p = quoted[i].s ? quoted[i].s : "-"; *p; p++)
            if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
                buf_addf(&b, "\\x%02x", (unsigned char)*p);
            else
                buf_addc(&b, *p);
    }
    buf_addf(&b, " HTTP/1.1\" %d %zu \"", r->status, bytes);
    for (int i = 0; i < 2; i++) {
        const char *v = i ? ua : ref;
        if (i)
            buf_adds(&b, "\" \"");
        for (const char *p = v ? v : "-"; *p; p++)
            if (*p == '"' || *p == '\\' || (unsigned char)*p < 0x20)
                buf_addf(&b, "\\x%02x", (unsigned char)*p);
            else
                buf_addc(&b, *p);
    }
    buf_addf(&b, "\" %lld\n", (long long)((clk_mono_ms() - r->t0_ms)));
    pthread_mutex_lock(&s->log_mu);
    fwrite(b.p, 1, b.n, s->access);
    fflush(s->access);
    pthread_mutex_unlock(&s->log_mu);
    buf_release(&b);
}

/* ---- the request lifecycle ----------------------------------------------------------- */

static const char *client_ip(struct MHD_Connection *c, struct arena *a)
{
    const union MHD_ConnectionInfo *ci =
        MHD_get_connection_info(c, MHD_CONNECTION_INFO_CLIENT_ADDRESS);
    char host[INET6_ADDRSTRLEN] = "-";
    if (ci && ci->client_addr) {
        const struct sockaddr *sa = ci->client_addr;
        if (sa->sa_family == AF_INET)
            inet_ntop(AF_INET, &((const struct sockaddr_in *)sa)->sin_addr, host, sizeof(host));
        else if (sa->sa_family == AF_INET6)
            inet_ntop(AF_INET6, &((const struct sockaddr_in6 *)sa)->sin6_addr, host, sizeof(host));
    }
    return arena_strdup(a, host);
}

static const char *const security_headers[][2] = {
    { "X-Content-Type-Options", "nosniff" },
    { "X-Frame-Options", "DENY" },
    { "Referrer-Policy", "same-origin" },
    { "Content-Security-Policy", "default-src 'self'; script-src 'self'; style-src 'self'; "
                                 "img-src 'self' data:; object-src 'none'; base-uri 'none'; "
                                 "frame-ancestors 'none'; form-action 'self'" },
};

static enum MHD_Result queue(struct web_server *s, struct web_req *r)
{
    if (!r->sent)
        BUG("queue without a response");
    size_t n = r->out.n;
    struct MHD_Response *resp = MHD_create_response_from_buffer(
        n, n ? buf_take(&r->out) : (void *)"", n ? MHD_RESPMEM_MUST_FREE : MHD_RESPMEM_PERSISTENT);
    if (!resp)
        return MHD_NO;
    MHD_add_response_header(resp, "Content-Type",
                            r->ctype ? r->ctype : "text/plain; charset=utf-8");
    for (size_t i = 0; i < sizeof(security_headers) / sizeof(security_headers[0]); i++)
        MHD_add_response_header(resp, security_headers[i][0], security_headers[i][1]);
    if (s->https)
        MHD_add_response_header(resp, "Strict-Transport-Security", "max-age=31536000");
    bool cache = false;
    for (size_t i = 0; i < r->nhdrs; i++) {
        MHD_add_response_header(resp, r->hdrs[i].k, r->hdrs[i].v);
        if (!ascii_casecmp(r->hdrs[i].k, "Cache-Control"))
            cache = true;
    }
    if (!cache)
        MHD_add_response_header(resp, "Cache-Control", "no-store");
    enum MHD_Result ret = MHD_queue_response(r->conn, (unsigned)r->status, resp);
    MHD_destroy_response(resp);
    r->out_bytes = n;
    metric_observe(s->metrics, web__route_index(r), r->status, (clk_mono_ms() - r->t0_ms) * 1000);
    if (r->status >= 500)
        log_error("web: %s %s: %d %s", r->method, r->path, r->status, err_msg(&r->err));
    return ret;
}

static enum MHD_Result on_request(void *cls, struct MHD_Connection *conn, const char *url,
                                  const char *method, const char *version, const char *upload_data,
                                  size_t *upload_size, void **con_cls)
{
    (void)version;
    struct web_server *s = cls;
    struct web_req *r = *con_cls;
    if (!r) {
        r = XNEW(struct web_req);
        r->srv = s;
        r->conn = conn;
        r->clk = s->conf.clk;
        r->t0_ms = clk_mono_ms();
        r->method = arena_strdup(&r->a, method);
        r->path = arena_strdup(&r->a, url);
        r->ip = client_ip(conn, &r->a);
        r->https = s->https;
        r->api = str_starts(str_of(url), "/api/");
        buf_init(&r->body, s->conf.max_body);
        *con_cls = r;
        atomic_fetch_add(&s->inflight, 1);
        const char *cl = MHD_lookup_connection_value(conn, MHD_HEADER_KIND, "Content-Length");
        int64_t len;
        if (cl && cstr_to_i64(cl, &len) && len > (int64_t)s->conf.max_body) {
            web_fail(r, RC_LIMIT, "request body of %lld bytes is over the limit of %zu",
                     (long long)len, s->conf.max_body);
            web__error(r, RC_LIMIT, 413);
            return queue(s, r);
        }
        return MHD_YES;
    }
    if (*upload_size) {
        if (!r->sent) {
            buf_add(&r->body, upload_data, *upload_size);
            if (buf_rc(&r->body)) {
                web_fail(r, RC_LIMIT, "request body is over the limit of %zu bytes",
                         s->conf.max_body);
                web__error(r, RC_LIMIT, 413);
                *upload_size = 0;
                return queue(s, r);
            }
        }
        *upload_size = 0;
        return MHD_YES;
    }
    if (r->sent)
        return MHD_YES;
    struct err e = { 0 };
    struct worker_db *w = worker_db(s, &e);
    r->worker = w;
    r->db = w ? w->db : NULL;
    if (!r->db) {
        web_fail(r, RC_UNAVAILABLE, "database unavailable: %s", err_msg(&e));
        web__error(r, RC_UNAVAILABLE, 503);
    } else {
        web__dispatch(r);
    }
    return queue(s, r);
}

static void on_completed(void *cls, struct MHD_Connection *conn, void **con_cls,
                         enum MHD_RequestTerminationCode toe)
{
    (void)conn;
    (void)toe;
    struct web_server *s = cls;
    struct web_req *r = *con_cls;
    if (!r)
        return;
    if (r->sent)
        access_line(s, r, r->out_bytes);
    if (r->json)
        json_object_put(r->json);
    buf_release(&r->body);
    buf_release(&r->out);
    arena_release(&r->a);
    free(r);
    *con_cls = NULL;
    atomic_fetch_sub(&s->inflight, 1);
}

static void mhd_log(void *cls, const char *fmt, va_list ap)
{
    (void)cls;
    char line[512];
    vsnprintf(line, sizeof(line), fmt, ap);
    size_t n = strlen(line);
    while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
        line[--n] = '\0';
    log_warn("web: libmicrohttpd: %s", line);
}

/* ---- start and stop ------------------------------------------------------------------ */

static enum rc parse_listen(const char *listen, struct sockaddr_storage *ss, socklen_t *len,
                            bool *v6, struct err *err)
{
    char host[256] = "";
    const char *port;
    const char *l = listen ? listen : "";
    if (l[0] == '[') {
        const char *end = strchr(l, ']');
        if (!end || end[1] != ':' || (size_t)(end - l - 1) >= sizeof(host))
            return err_set(err, RC_USAGE, "--listen '%s': write an IPv6 address as [::1]:8080", l);
        memcpy(host, l + 1, (size_t)(end - l - 1));
        port = end + 2;
    } else if (strchr(l, ':')) {
        const char *c = strrchr(l, ':');
        if ((size_t)(c - l) >= sizeof(host))
            return err_set(err, RC_USAGE, "--listen '%s': host too long", l);
        memcpy(host, l, (size_t)(c - l));
        host[c - l] = '\0';
        port = c + 1;
    } else {
        port = l;
    }
    int p;
    if (!cstr_to_int(port, 0, 65535, &p))
        return err_set(err, RC_USAGE, "--listen '%s': the port must be 0-65535 (HOST:PORT)", l);
    struct addrinfo hints = { .ai_flags = AI_PASSIVE | AI_NUMERICSERV, .ai_socktype = SOCK_STREAM },
                    *res = NULL;
    char ps[8];
    snprintf(ps, sizeof(ps), "%d", p);
    int gai = getaddrinfo(host[0] ? host : NULL, ps, &hints, &res);
    if (gai || !res)
        return err_set(err, RC_USAGE, "--listen '%s': cannot resolve '%s': %s", l, host,
                       gai_strerror(gai));
    memcpy(ss, res->ai_addr, res->ai_addrlen);
    *len = res->ai_addrlen;
    *v6 = res->ai_family == AF_INET6;
    freeaddrinfo(res);
    return RC_OK;
}

static void load_asset(struct web__asset *a, const char *name, const char *ctype)
{
    a->name = name;
    a->ctype = ctype;
    buf_init(&a->data, 0);
    char path[64];
    snprintf(path, sizeof(path), "web/%s", name);
    struct err e = { 0 };
    if (res_load(path, &a->data, NULL, &e))
        BUG("embedded asset %s missing: %s", path, err_msg(&e));
    char h[65];
    auth_sha256_hex(buf_cstr(&a->data), h);
    memcpy(a->etag, h, 16);
    a->etag[16] = '\0';
}

static void server_free(struct web_server *s)
{
    if (!s)
        return;
    pthread_mutex_lock(&s->db_mu);
    for (size_t i = 0; i < s->ndbs; i++)
        worker_free(s->dbs[i]);
    s->ndbs = 0;
    pthread_mutex_unlock(&s->db_mu);
    free(s->dbs);
    pthread_key_delete(s->db_key);
    pthread_mutex_destroy(&s->db_mu);
    pthread_mutex_destroy(&s->log_mu);
    pthread_mutex_destroy(&s->count_mu);
    map_release(&s->counts, free);
    if (s->access_owned && s->access)
        fclose(s->access);
    buf_release(&s->cert);
    buf_release(&s->key);
    for (size_t i = 0; i < sizeof(s->assets) / sizeof(s->assets[0]); i++)
        buf_release(&s->assets[i].data);
    metric_routes_free(s->metrics);
    free(s->route_names);
    free(s->route_methods);
    free(s);
}

enum rc web_start(const struct web_conf *c, struct web_server **out, struct err *err)
{
    *out = NULL;
    struct sockaddr_storage ss;
    socklen_t sslen;
    bool v6 = false;
    enum rc rc = parse_listen(c->listen, &ss, &sslen, &v6, err);
    if (rc)
        return rc;
    if (!c->clk)
        BUG("web_start without a clock");
    if (!!c->cert_file != !!c->key_file)
        return err_set(err, RC_USAGE, "HTTPS needs both --cert and --key");
    struct web_server *s = XNEW(struct web_server);
    s->conf = *c;
    if (s->conf.threads < 1)
        s->conf.threads = 1;
    pthread_mutex_init(&s->log_mu, NULL);
    pthread_mutex_init(&s->db_mu, NULL);
    pthread_mutex_init(&s->count_mu, NULL);
    pthread_key_create(&s->db_key, db_destructor);
    s->metrics = metric_routes_new(web_nroutes + 1);
    s->route_names = xcalloc(web_nroutes + 1, sizeof(char *));
    s->route_methods = xcalloc(web_nroutes + 1, sizeof(char *));
    for (size_t i = 0; i < web_nroutes; i++) {
        s->route_names[i] = routes[i].pattern;
        s->route_methods[i] = routes[i].method;
    }
    s->route_names[web_nroutes] = "unmatched";
    s->route_methods[web_nroutes] = "any";
    load_asset(&s->assets[0], "app.css", "text/css; charset=utf-8");
    load_asset(&s->assets[1], "app.js", "text/javascript; charset=utf-8");
    load_asset(&s->assets[2], "favicon.svg", "image/svg+xml");

    /* Open (and migrate) the database once now, so a bad DSN fails here. */
    struct store *probe = NULL;
    if ((rc = open_db(&s->conf, &probe, err))) {
        server_free(s);
        return rc;
    }
    store_close(probe);

    if (c->access_log && *c->access_log) {
        if (!strcmp(c->access_log, "-")) {
            s->access = stderr;
        } else if (!(s->access = fopen(c->access_log, "a"))) {
            err_set(err, RC_IO,
                    "cannot open the access log '%s' for appending; check the "
                    "directory and its permissions",
                    c->access_log);
            server_free(s);
            return RC_IO;
        } else {
            s->access_owned = true;
        }
    }
    unsigned flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_ITC | MHD_USE_ERROR_LOG;
    if (v6)
        flags |= MHD_USE_IPv6;
    if (c->cert_file) {
        if (MHD_is_feature_supported(MHD_FEATURE_TLS) != MHD_YES) {
            server_free(s);
            return err_set(err, RC_UNAVAILABLE, "this libmicrohttpd was built without TLS");
        }
        buf_init(&s->cert, 1 << 20);
        buf_init(&s->key, 1 << 20);
        if ((rc = buf_read_file(&s->cert, c->cert_file, err)) ||
            (rc = buf_read_file(&s->key, c->key_file, err))) {
            server_free(s);
            return rc;
        }
        flags |= MHD_USE_TLS;
        s->https = true;
    }
    struct MHD_OptionItem tls_opts[] = {
        { MHD_OPTION_HTTPS_MEM_CERT, 0, (void *)buf_cstr(&s->cert) },
        { MHD_OPTION_HTTPS_MEM_KEY, 0, (void *)buf_cstr(&s->key) },
        { MHD_OPTION_END, 0, NULL },
    };
    struct MHD_OptionItem no_opts[] = { { MHD_OPTION_END, 0, NULL } };
    s->d = MHD_start_daemon(
        flags, 0, NULL, NULL, on_request, s, MHD_OPTION_EXTERNAL_LOGGER, mhd_log, s,
        MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&ss, MHD_OPTION_THREAD_POOL_SIZE,
        (unsigned)s->conf.threads, MHD_OPTION_NOTIFY_COMPLETED, on_completed, s,
        MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)60, MHD_OPTION_CONNECTION_MEMORY_LIMIT,
        (size_t)(64 * 1024), MHD_OPTION_LISTEN_BACKLOG_SIZE, (unsigned)256, MHD_OPTION_ARRAY,
        s->https ? tls_opts : no_opts, MHD_OPTION_END);
    (void)sslen;
    if (!s->d) {
        err_set(err, RC_IO,
                "cannot listen on %s (address in use, not local, or a bad "
                "certificate/key); pick another --listen",
                c->listen);
        server_free(s);
        return RC_IO;
    }
    const union MHD_DaemonInfo *di = MHD_get_daemon_info(s->d, MHD_DAEMON_INFO_BIND_PORT);
    s->port = di ? di->port : 0;
    *out = s;
    return RC_OK;
}

void web_stop(struct web_server *s, int grace_ms)
{
    if (!s)
        return;
    /* Stop accepting; connections already open keep being served. */
    MHD_socket ls = MHD_quiesce_daemon(s->d);
    if (ls != MHD_INVALID_SOCKET)
        close(ls);
    int64_t until = clk_mono_ms() + grace_ms;
    int left;
    while ((left = atomic_load(&s->inflight)) > 0 && clk_mono_ms() < until) {
        struct timespec ts = { 0, 20 * 1000 * 1000 };
        nanosleep(&ts, NULL);
    }
    if (left > 0)
        log_warn("web: %d request%s still running after %d ms; closing them", left,
                 left == 1 ? "" : "s", grace_ms);
    MHD_stop_daemon(s->d); /* joins the workers; each closes its database */
    server_free(s);
}

void web__metrics(struct web_req *r)
{
    struct web_server *s = r->srv;
    struct metric_out o = { .b = &r->out, .db = r->db, .clk = r->clk, .conf = s->conf.conf };
    metric_family(&o, "govsite_up", "gauge", "1 while the server answers.");
    metric_value(&o, "govsite_up", 1, NULL);
    metric_family(&o, "govsite_build_info", "gauge", "The running version.");
    metric_value(&o, "govsite_build_info", 1, "version", GOVSITE_VERSION, NULL);
    metric_family(&o, "govsite_http_requests_in_flight", "gauge",
                  "Requests started and not yet completed.");
    metric_value(&o, "govsite_http_requests_in_flight", atomic_load(&s->inflight), NULL);
    metric_render(&o, s->metrics, web_nroutes + 1, s->route_names, s->route_methods);
}
