/* fetch.c - one HTTP transfer with libcurl: options, callbacks, and what the outcome
 * means (crawl_int.h).  Redirects are not followed by curl: the engine follows them one
 * hop at a time, so each hop is scheduled politely and the chain is recorded. */
#include <curl/curl.h>
#include <string.h>

#include "core/str.h"
#include "core/xalloc.h"
#include "crawl/crawl_int.h"

static void set_field(char **f, const char *v, size_t n)
{
    free(*f);
    *f = xstrndup(v, n);
}

/* Forget the headers of a response (a new one starts). */
static void clear_headers(struct job *j)
{
    free(j->ctype);
    free(j->etag);
    free(j->lm);
    free(j->location);
    free(j->retry_after);
    free(j->server);
    j->ctype = j->etag = j->lm = j->location = j->retry_after = j->server = NULL;
    j->waf_hints = 0;
}

void fetch_job_reset(struct job *j)
{
    buf_reset(&j->body);
    j->truncated = j->not_html = j->aborted_type = false;
    j->status = 0;
    clear_headers(j);
}

/* Cookies and headers firewalls leave on their answers. */
unsigned fetch_header_hints(const char *name, size_t nn, const char *val, size_t vn)
{
    struct str n = { name, nn };
    /* only these names matter: cf-mitigated, set-cookie, server, x-..., wzws-ray */
    int c0 = nn ? ascii_tolower((unsigned char)name[0]) : 0;
    if (c0 != 'c' && c0 != 's' && c0 != 'x' && c0 != 'w')
        return 0;
    if (str_ieq_ascii(n, "cf-mitigated") && ascii_casestr(val, vn, "challenge"))
        return WAF_HINT_CHALLENGE;
    if (str_ieq_ascii(n, "set-cookie")) {
        static const char *const cookies[] = { "__jsluid", "__jsl_clearance", "safedog",
                                               "wzws_cid", "yunsuo_session", "_waf_",
                                               "incap_ses", "visid_incap", "ruishu" };
        for (size_t k = 0; k < sizeof(cookies) / sizeof(cookies[0]); k++)
            if (ascii_casestr(val, vn, cookies[k]))
                return WAF_HINT_HEADER;
    }
    if (str_ieq_ascii(n, "server")) {
        static const char *const servers[] = { "yunjiasu", "safedog", "wts/", "360wzws", "jiasule",
                                               "cloudflare", "yundun", "anyu", "eo_ws" };
        for (size_t k = 0; k < sizeof(servers) / sizeof(servers[0]); k++)
            if (ascii_casestr(val, vn, servers[k]))
                return WAF_HINT_HEADER;
    }
    if (str_ieq_ascii(n, "x-powered-by-360wzb") || str_ieq_ascii(n, "wzws-ray") ||
        str_ieq_ascii(n, "x-safe-firewall") || str_ieq_ascii(n, "x-datadome") ||
        str_ieq_ascii(n, "x-iinfo"))
        return WAF_HINT_HEADER;
    return 0;
}

static size_t on_header(char *b, size_t size, size_t nmemb, void *ud)
{
    struct job *j = ud;
    size_t n = size * nmemb;
    if (n >= 5 && !memcmp(b, "HTTP/", 5)) {
        clear_headers(j); /* a new response (after 100 Continue) */
        return n;
    }
    const char *colon = memchr(b, ':', n);
    if (!colon)
        return n;
    struct str name = str_trim((struct str){ b, (size_t)(colon - b) });
    struct str val = str_trim((struct str){ colon + 1, n - (size_t)(colon + 1 - b) });
    if (val.n > 2000)
        val.n = 2000;
    /* by length first: most header lines are none of ours */
    switch (name.n) {
    case 4:
        if (str_ieq_ascii(name, "etag"))
            set_field(&j->etag, val.p, val.n);
        break;
    case 6:
        if (str_ieq_ascii(name, "server"))
            set_field(&j->server, val.p, val.n);
        break;
    case 8:
        if (str_ieq_ascii(name, "location"))
            set_field(&j->location, val.p, val.n);
        break;
    case 11:
        if (str_ieq_ascii(name, "retry-after"))
            set_field(&j->retry_after, val.p, val.n);
        break;
    case 12:
        if (str_ieq_ascii(name, "content-type"))
            set_field(&j->ctype, val.p, val.n);
        break;
    case 13:
        if (str_ieq_ascii(name, "last-modified"))
            set_field(&j->lm, val.p, val.n);
        break;
    default:
        break;
    }
    j->waf_hints |= fetch_header_hints(name.p, name.n, val.p, val.n);
    return n;
}

static bool html_type(const char *ct)
{
    if (!ct || !*ct)
        return true; /* unknown: look at it */
    return ascii_casestr(ct, strlen(ct), "html") != NULL ||
           ascii_casestr(ct, strlen(ct), "text/plain") != NULL;
}

static size_t on_body(char *p, size_t size, size_t nmemb, void *ud)
{
    struct job *j = ud;
    size_t n = size * nmemb;
    if (!j->aborted_type && j->body.n == 0) {
        j->aborted_type = true; /* checked once */
        long code = 0;
        curl_easy_getinfo(j->easy, CURLINFO_RESPONSE_CODE, &code);
        if (j->kind == JOB_PAGE && code >= 200 && code < 300 && !html_type(j->ctype)) {
            j->not_html = true;
            return 0; /* a PDF behind an .html link: no need to download it */
        }
    }
    if (j->body.n + n > j->cap) {
        size_t room = j->cap > j->body.n ? j->cap - j->body.n : 0;
        buf_add(&j->body, p, room);
        j->truncated = true;
        return 0; /* cut: curl stops with CURLE_WRITE_ERROR */
    }
    buf_add(&j->body, p, n);
    return n;
}

/* What every transfer shares, set once per handle (fetch_easy_new). */
static void setup_constant(struct fetch_ctx *fc, CURL *c)
{
    const struct crawl_opts *o = fc->o;
    curl_easy_setopt(c, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(c, CURLOPT_USERAGENT, fc->ua);
    curl_easy_setopt(c, CURLOPT_ACCEPT_ENCODING, ""); /* every encoding curl has: gzip, br */
    curl_easy_setopt(c, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
    curl_easy_setopt(c, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(c, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYPEER, 1L);
    curl_easy_setopt(c, CURLOPT_SSL_VERIFYHOST, 2L);
    curl_easy_setopt(c, CURLOPT_CONNECTTIMEOUT_MS, (long)o->connect_timeout_s * 1000L);
    curl_easy_setopt(c, CURLOPT_TIMEOUT_MS, (long)o->timeout_s * 1000L);
    curl_easy_setopt(c, CURLOPT_HEADERFUNCTION, on_header);
    curl_easy_setopt(c, CURLOPT_WRITEFUNCTION, on_body);
    if (fc->resolve)
        curl_easy_setopt(c, CURLOPT_RESOLVE, (struct curl_slist *)fc->resolve);
}

void *fetch_easy_new(struct fetch_ctx *fc)
{
    CURL *c = curl_easy_init();
    if (c)
        setup_constant(fc, c);
    return c;
}

void fetch_setup(struct fetch_ctx *fc, struct job *j, void *easy, void *hdrs)
{
    (void)fc;
    CURL *c = easy;
    /* A pooled handle keeps the shared options (no curl_easy_reset per transfer, which
     * frees and re-parses them all); everything that varies is set every time. */
    j->easy = c;
    curl_easy_setopt(c, CURLOPT_URL, j->url);
    curl_easy_setopt(c, CURLOPT_PRIVATE, j);
    /* Waiting to multiplex only pays on HTTP/2 (https); on HTTP/1.1 it would queue a
     * request behind a slow one on the same host. */
    curl_easy_setopt(c, CURLOPT_PIPEWAIT, ascii_ncasecmp(j->url, "https:", 6) ? 0L : 1L);
    curl_easy_setopt(c, CURLOPT_HEADERDATA, j);
    curl_easy_setopt(c, CURLOPT_WRITEDATA, j);
    curl_easy_setopt(c, CURLOPT_HTTPHEADER, (struct curl_slist *)hdrs);
    /* NOBODY 0 after 1 makes the request a GET again */
    curl_easy_setopt(c, CURLOPT_NOBODY, j->head ? 1L : 0L);
    curl_easy_setopt(c, CURLOPT_CONNECT_TO,
                     j->host && j->host->connect_to ? (struct curl_slist *)j->host->connect_to
                                                    : (struct curl_slist *)NULL);
}

/* Challenge pages say so in their bodies. */
static const char *const challenge_words[] = {
    "cdn-cgi/challenge", "cf-chl", "challenge-platform", "just a moment", "attention required",
    "__jsl_clearance", "__jsluid", "safedog", "yunsuo", "wzws", "_waf_", "waf_", "captcha",
    "incapsula", "_incapsula_resource", "aliyun_waf", "errors.aliyun.com", "yunjiasu",
    "anti-bot", "bot detection", "please enable javascript", "enable cookies",
    "安全狗", "云锁", "网站防火墙", "防火墙", "访问被拦截", "已被拦截", "拦截", "人机验证",
    "滑动验证", "安全验证", "请开启javascript", "请启用javascript", "创宇盾", "知道创宇",
    "阿里云盾", "网站卫士", "疑似黑客攻击", "可能对网站造成安全威胁", "访问过于频繁",
    "请求过于频繁", "cc攻击",
};
/* Words strong enough to call a small 200 page a wall (as written, case-sensitive). */
static const char *const wall_words[] = { "cdn-cgi/challenge", "__jsl_clearance", "wzws_cid",
                                          "_incapsula_resource", "challenge-platform" };

static bool body_has(const struct job *j, const char *const *w, size_t n)
{
    size_t len = j->body.n > 65536 ? 65536 : j->body.n;
    for (size_t k = 0; k < n; k++)
        if (ascii_casestr(buf_cstr(&j->body), len, w[k]))
            return true;
    return false;
}

bool fetch_is_waf(const struct job *j)
{
    int s = j->status;
    if (j->waf_hints & WAF_HINT_CHALLENGE)
        return true;
    bool blocking = s == 403 || s == 405 || s == 406 || s == 412 || s == 418 || s == 429 ||
                    s == 444 || s == 503 || s == 520 || s == 521 || s == 567 || s == 468;
    if (blocking) {
        if (s == 412 || s == 521 || s == 468 || s == 567)
            return true; /* 瑞数/加速乐-style walls answer only with these */
        if (j->waf_hints & WAF_HINT_HEADER)
            return true;
        return body_has(j, challenge_words, sizeof(challenge_words) / sizeof(challenge_words[0]));
    }
    /* a wall that answers 200: a small page that is only a script challenge */
    if (s >= 200 && s < 300 && j->body.n && j->body.n < 4096)
        for (size_t k = 0; k < sizeof(wall_words) / sizeof(wall_words[0]); k++)
            if (memmem(j->body.p, j->body.n, wall_words[k], strlen(wall_words[k])))
                return true;
    return false;
}

enum result fetch_error_result(int curlcode, const char **reason)
{
    switch ((CURLcode)curlcode) {
    case CURLE_COULDNT_RESOLVE_HOST:
    case CURLE_COULDNT_RESOLVE_PROXY:
        *reason = "dns";
        return RES_DNS;
    case CURLE_OPERATION_TIMEDOUT:
        *reason = "timeout";
        return RES_TIMEOUT;
    case CURLE_COULDNT_CONNECT:
        *reason = "connect";
        return RES_ERROR;
    case CURLE_PEER_FAILED_VERIFICATION:
    case CURLE_SSL_CONNECT_ERROR:
    case CURLE_SSL_CERTPROBLEM:
    case CURLE_SSL_CIPHER:
    case CURLE_SSL_CACERT_BADFILE:
    case CURLE_SSL_ISSUER_ERROR:
    case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
    case CURLE_SSL_INVALIDCERTSTATUS:
    case CURLE_USE_SSL_FAILED:
        *reason = "tls";
        return RES_ERROR;
    case CURLE_TOO_MANY_REDIRECTS:
        *reason = "redirect-loop";
        return RES_ERROR;
    case CURLE_GOT_NOTHING:
        *reason = "empty-reply";
        return RES_ERROR;
    case CURLE_RECV_ERROR:
    case CURLE_SEND_ERROR:
    case CURLE_PARTIAL_FILE:
        *reason = "reset";
        return RES_ERROR;
    case CURLE_HTTP2:
    case CURLE_HTTP2_STREAM:
    case CURLE_WEIRD_SERVER_REPLY:
    case CURLE_UNSUPPORTED_PROTOCOL:
        *reason = "protocol";
        return RES_ERROR;
    case CURLE_BAD_CONTENT_ENCODING:
        *reason = "encoding";
        return RES_ERROR;
    case CURLE_URL_MALFORMAT:
        *reason = "bad-url";
        return RES_ERROR;
    default:
        *reason = "network";
        return RES_ERROR;
    }
}

int fetch_retry_after(const char *v, int64_t now)
{
    if (!v || !*v)
        return -1;
    int64_t s;
    if (cstr_to_i64(v, &s))
        return s < 0 ? -1 : s > 86400 ? 86400 : (int)s;
    time_t t = curl_getdate(v, NULL);
    if (t < 0)
        return -1;
    int64_t d = (int64_t)t - now;
    return d < 0 ? 0 : d > 86400 ? 86400 : (int)d;
}
