/* page_public.c - the public side of `serve` (docs/web.md "Public side"): a citizen
 * without an account submits a 依申请公开 request or a 咨询 and later looks up how it
 * stands with its tracking number and lookup code.  Off unless web_conf.public_on (the
 * router answers 404 for these routes then).
 *
 * A submission is a work item like any other (cases.h: channel 网络, the rule chosen by
 * case_rule_for, the due time from the calendar, the receive event's actor PUBLIC_ACTOR);
 * table public_requests (0014_public.sql) keeps the lookup code's hash and the
 * application form's other fields.  Abuse protection: a double-submit CSRF token (cookie
 * govsite_public and a hidden field; the JSON API requires Content-Type application/json,
 * which no cross-site form can send), a honeypot field, a size cap and a character check
 * on every field, per-address throttling of submissions and of failed lookups
 * (auth_throttle_*), and one 404 answer for an unknown number and a wrong code. */
#include <json-c/json.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/str.h"
#include "core/utf8.h"
#include "web/web_int.h"

#define PUBLIC_ACTOR  "公众（网上提交）"
#define PUBLIC_COOKIE "govsite_public"
#define CODE_LEN      10 /* lookup code characters: 50 bits */

static const char code_alphabet[] = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"; /* 32, no 0/O, 1/I */

/* ---- the fields ------------------------------------------------------------------------ */

enum { F_LINE, F_TEXT, F_CHOICE }; /* one line, multi-line, one of `choices` */

struct pfield {
    const char *key, *label;
    int type;
    size_t max;          /* characters */
    bool disclosure;     /* only on the 依申请公开 form */
    bool required;       /* on the forms that have it */
    bool personal;       /* personal data: masked for staff without the right */
    const char *choices; /* F_CHOICE: '|'-separated values (the first is the default) */
    const char *hint;
};

/* The standard 政府信息公开申请表 (2019 条例 第二十九条: name, proof of identity, contact;
 * the information's name, 文号 or description; the form and way of getting it) and the
 * consultation form.  "name", "phone", "email", "subject", "content" and
 * "requester_type" go to the item's own columns; the others to public_requests.form. */
static const struct pfield pfields[] = {
    { "requester_type", "申请人类型", F_CHOICE, 0, true, true, false,
      "person|business|research|public-interest|legal-service|other-org", NULL },
    { "name", "姓名/名称", F_LINE, 50, false, true, true, NULL,
      "公民填写姓名，法人或其他组织填写名称" },
    { "id_type", "证件名称", F_CHOICE, 0, true, true, false,
      "身份证|护照|港澳台居民居住证|统一社会信用代码证|其他", NULL },
    { "id_number", "证件号码", F_LINE, 40, true, true, true, NULL, NULL },
    { "legal_rep", "法定代表人", F_LINE, 50, true, false, true, NULL, "法人或其他组织填写" },
    { "workplace", "工作单位", F_LINE, 100, true, false, true, NULL, NULL },
    { "phone", "联系电话", F_LINE, 30, false, false, true, NULL, "联系电话与电子邮箱至少填写一项" },
    { "email", "电子邮箱", F_LINE, 100, false, false, true, NULL, NULL },
    { "address", "通讯地址", F_LINE, 200, true, false, true, NULL, NULL },
    { "postcode", "邮政编码", F_LINE, 10, true, false, true, NULL, NULL },
    { "subject", "标题/所需信息名称", F_LINE, 100, false, true, false, NULL, NULL },
    { "doc_number", "文号", F_LINE, 100, true, false, false, NULL, "知道文号时填写" },
    { "content", "内容/所需信息的内容描述", F_TEXT, 2000, false, true, false, NULL,
      "请尽量写明信息的名称、文号或便于查询的其他特征" },
    { "purpose", "所需信息的用途", F_LINE, 200, true, false, false, NULL, NULL },
    { "medium", "提供信息的载体形式", F_CHOICE, 0, true, false, false, "纸面|电子邮件|光盘|磁盘",
      NULL },
    { "delivery", "获取信息的方式", F_CHOICE, 0, true, false, false,
      "邮寄|快递|电子邮件|传真|自行领取", NULL },
};
#define NPF (sizeof(pfields) / sizeof(pfields[0]))

/* A submission as read from the form or JSON, checked. */
struct psub {
    enum case_kind kind;
    int64_t unit_id;
    const char *v[NPF]; /* trimmed, NULL when empty */
};

static int pf_index(const char *key)
{
    for (size_t i = 0; i < NPF; i++)
        if (!strcmp(pfields[i].key, key))
            return (int)i;
    BUG("no public form field '%s'", key);
}

static const char *pval(const struct psub *s, const char *key)
{
    return s->v[pf_index(key)];
}

static bool pf_on(const struct pfield *f, enum case_kind k)
{
    return !f->disclosure || k == CASE_DISCLOSURE;
}

/* Calls fn for each '|'-separated choice until it returns true; true when one did. */
static bool choices_each(const char *choices, bool (*fn)(struct str c, void *ctx), void *ctx)
{
    struct str rest = str_of(choices), tok;
    for (;;) {
        bool more = str_split(&rest, '|', &tok);
        if (fn(tok, ctx))
            return true;
        if (!more)
            return false;
    }
}

static bool choice_is(struct str c, void *ctx)
{
    return str_eqs(c, ctx);
}

static bool choice_ok(const char *choices, const char *v)
{
    return choices_each(choices, choice_is, (void *)v);
}

/* The label of a choice value: requester types by their Chinese name, others as they are. */
static const char *choice_label(const struct pfield *f, const char *v)
{
    if (!strcmp(f->key, "requester_type")) {
        const struct case_term *t = case_term_find(case_requester_types, v);
        return t ? t->cn : v;
    }
    return v;
}

/* Check one value: UTF-8, no control characters (line breaks only in multi-line text),
 * at most f->max characters, a known choice.  The message is for the citizen. */
static const char *check_value(struct web_req *r, const struct pfield *f, const char *v)
{
    size_t n = strlen(v);
    if (!utf8_valid(v, n))
        return arena_fmt(&r->a, "“%s”含有无效字符", f->label);
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)v[i];
        if ((c < 0x20 && !(f->type == F_TEXT && (c == '\n' || c == '\r' || c == '\t'))) ||
            c == 0x7f)
            return arena_fmt(&r->a, "“%s”含有控制字符", f->label);
    }
    if (f->type == F_CHOICE && !choice_ok(f->choices, v))
        return arena_fmt(&r->a, "“%s”的选项无效", f->label);
    if (f->max && utf8_count(v, n) > f->max)
        return arena_fmt(&r->a, "“%s”不能超过%zu个字", f->label, f->max);
    return NULL;
}

/* Read and check a submission: get(name) gives a raw value (form or JSON).  NULL on
 * success, else the message for the citizen. */
static const char *read_sub(struct web_req *r,
                            const char *(*get)(struct web_req *, void *, const char *), void *ctx,
                            struct psub *s)
{
    memset(s, 0, sizeof(*s));
    const char *kind = get(r, ctx, "kind");
    if (!kind || !case_kind_parse(kind, &s->kind) ||
        (s->kind != CASE_DISCLOSURE && s->kind != CASE_CONSULTATION))
        return "请选择申请类型：依申请公开或咨询";
    const char *unit = get(r, ctx, "unit");
    int64_t n = 0;
    if (!unit || !cstr_to_i64(unit, &s->unit_id) || s->unit_id <= 0 ||
        store_get_int(r->db, &n, NULL, "SELECT COUNT(*) FROM units WHERE id = ?", "i",
                      s->unit_id) ||
        n != 1)
        return "请从列表中选择受理单位";
    for (size_t i = 0; i < NPF; i++) {
        const struct pfield *f = &pfields[i];
        if (!pf_on(f, s->kind))
            continue;
        const char *raw = get(r, ctx, f->key);
        struct str t = str_trim(str_of(raw ? raw : ""));
        if (t.n) {
            /* a cap on bytes before anything else: 4 bytes per character at most */
            if (f->max && t.n > 4 * f->max)
                return arena_fmt(&r->a, "“%s”不能超过%zu个字", f->label, f->max);
            s->v[i] = arena_strndup(&r->a, t.p, t.n);
            const char *msg = check_value(r, f, s->v[i]);
            if (msg)
                return msg;
        } else if (f->type == F_CHOICE) {
            const char *bar = strchr(f->choices, '|');
            s->v[i] = arena_strndup(&r->a, f->choices, (size_t)(bar - f->choices));
        } else if (f->required) {
            return arena_fmt(&r->a, "请填写“%s”", f->label);
        }
    }
    if (!pval(s, "phone") && !pval(s, "email"))
        return "联系电话与电子邮箱至少填写一项";
    return NULL;
}

/* ---- the lookup code ------------------------------------------------------------------- */

static void new_code(char out[CODE_LEN + 1])
{
    char hex[2 * CODE_LEN + 1];
    auth_random_hex(hex, CODE_LEN);
    for (int i = 0; i < CODE_LEN; i++) {
        /* one random byte; 256 is a multiple of 32: no bias */
        unsigned hi = (unsigned)(hex[2 * i] <= '9' ? hex[2 * i] - '0' : hex[2 * i] - 'a' + 10);
        unsigned lo =
            (unsigned)(hex[2 * i + 1] <= '9' ? hex[2 * i + 1] - '0' : hex[2 * i + 1] - 'a' + 10);
        out[i] = code_alphabet[(hi * 16 + lo) % 32];
    }
    out[CODE_LEN] = 0;
}

/* The code as typed: spaces and '-' dropped, upper case; NULL when it cannot be one. */
static const char *norm_code(struct web_req *r, const char *in)
{
    if (!in || strlen(in) > 64)
        return NULL;
    char *o = arena_alloc(&r->a, CODE_LEN + 1);
    size_t n = 0;
    for (const char *p = in; *p; p++) {
        if (*p == ' ' || *p == '-')
            continue;
        if (n == CODE_LEN)
            return NULL;
        o[n++] = *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p;
    }
    o[n] = 0;
    return n == CODE_LEN ? o : NULL;
}

static const char *code_shown(struct web_req *r, const char *code)
{
    return arena_fmt(&r->a, "%.5s-%s", code, code + 5);
}

/* ---- submission ------------------------------------------------------------------------- */

/* The form's other fields as a JSON object (public_requests.form). */
static void form_json(const struct psub *s, struct buf *out)
{
    static const char *const own[] = { "requester_type", "name", "phone", "subject", "content" };
    struct jw w;
    jw_init(&w, out, false);
    jw_obj(&w);
    for (size_t i = 0; i < NPF; i++) {
        bool skip = !s->v[i];
        for (size_t j = 0; j < sizeof(own) / sizeof(own[0]) && !skip; j++)
            skip = !strcmp(pfields[i].key, own[j]);
        if (!skip)
            jw_kstr(&w, pfields[i].key, s->v[i]);
    }
    jw_end(&w);
    jw_finish(&w);
}

struct psub_done {
    char *number; /* arena */
    char code[CODE_LEN + 1];
    int64_t due; /* 0 while the clock is stopped */
};

/* Throttle, then add the item and its public_requests row in one transaction. */
static enum rc submit(struct web_req *r, const struct psub *s, struct psub_done *d)
{
    const struct web_conf *c = web__conf(r->srv);
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    const char *phone = pval(s, "phone"), *email = pval(s, "email");
    struct case_new n = { .kind = s->kind,
                          .unit_id = s->unit_id,
                          .channel = "online",
                          .subject = pval(s, "subject"),
                          .content = pval(s, "content"),
                          .requester = pval(s, "name"),
                          .contact = phone ? phone : email,
                          .requester_type =
                              s->kind == CASE_DISCLOSURE ? pval(s, "requester_type") : NULL,
                          .received_at = clk_now(r->clk),
                          .actor = PUBLIC_ACTOR,
                          .payload = "{\"source\":\"public\"}" };
    struct buf form = BUF_INIT;
    form_json(s, &form);
    new_code(d->code);
    char hash[65];
    auth_sha256_hex(d->code, hash);
    struct err e = { 0 };
    char *number = NULL;
    enum rc rc = store_begin(r->db, &e);
    if (!rc)
        rc = case_add(x, &n, &number, &e);
    if (!rc)
        rc = store_exec(r->db, &e,
                        "INSERT INTO public_requests (case_id, code_hash, form, ip, created_at) "
                        "SELECT id, ?, ?, ?, ? FROM cases WHERE number = ?",
                        "tttit", hash, buf_cstr(&form), r->ip, n.received_at, number);
    if (!rc)
        rc = store_commit(r->db, &e);
    else
        store_rollback(r->db);
    buf_release(&form);
    if (rc) {
        free(number);
        return web_fail(r, rc, "%s", err_msg(&e));
    }
    d->number = arena_strdup(&r->a, number);
    free(number);
    auth_throttle_note(r->db, "public-submit", r->ip, n.received_at, c->public_window);
    struct auth_user anon = { .name = PUBLIC_ACTOR };
    auth_audit(r->db, r->clk, &anon, r->ip, "public_submit", r->method, r->path, d->number);
    struct case_item it;
    struct case_state st;
    d->due = 0;
    if (!case_get(x, d->number, &r->a, &it, &e) &&
        !case_state_at(x, &it, clk_now(r->clk), &st, NULL, &e) && !st.dl.paused)
        d->due = st.dl.due;
    return RC_OK;
}

/* RC_TOOMANY (web_fail) when the address is over the submissions limit. */
static enum rc submit_throttle(struct web_req *r)
{
    const struct web_conf *c = web__conf(r->srv);
    int64_t now = clk_now(r->clk);
    if (auth_throttle_count(r->db, "public-submit", r->ip, now - c->public_window) <
        c->public_max_submissions)
        return RC_OK;
    struct auth_user anon = { .name = PUBLIC_ACTOR };
    auth_audit(r->db, r->clk, &anon, r->ip, "public_throttled", r->method, r->path, "submissions");
    return web_fail(r, RC_TOOMANY, "本地址提交次数过多，请在%lld分钟后再试",
                    (long long)((c->public_window + 59) / 60));
}

/* A filled honeypot: refused (and audited), counted against the address. */
static enum rc honeypot(struct web_req *r)
{
    const struct web_conf *c = web__conf(r->srv);
    struct auth_user anon = { .name = PUBLIC_ACTOR };
    auth_audit(r->db, r->clk, &anon, r->ip, "public_refused", r->method, r->path, "honeypot");
    auth_throttle_note(r->db, "public-submit", r->ip, clk_now(r->clk), c->public_window);
    return web_fail(r, RC_INVALID, "提交未被受理");
}

/* ---- lookup ----------------------------------------------------------------------------- */

/* The item of `number` when `code` is its lookup code.  Unknown number, an item not
 * submitted here and a wrong code are one answer: RC_NOTFOUND with one message (and the
 * same work: a hash compared either way).  Failures count against the address. */
static enum rc lookup(struct web_req *r, const char *number, const char *code, struct case_item *it,
                      struct case_state *st)
{
    const struct web_conf *c = web__conf(r->srv);
    int64_t now = clk_now(r->clk);
    if (auth_throttle_count(r->db, "public-lookup", r->ip, now - c->public_window) >=
        c->public_max_lookup_failures) {
        struct auth_user anon = { .name = PUBLIC_ACTOR };
        auth_audit(r->db, r->clk, &anon, r->ip, "public_throttled", r->method, r->path, "lookups");
        return web_fail(r, RC_TOOMANY, "查询失败次数过多，请在%lld分钟后再试",
                        (long long)((c->public_window + 59) / 60));
    }
    const char *nc = norm_code(r, code);
    char want[65] = "", got[65];
    auth_sha256_hex(nc ? nc : "-", got);
    struct case_ctx *x = web__cases(r);
    if (!x)
        return r->err.rc;
    if (number && strlen(number) <= CASE_NUMBER_MAX) {
        char *h = NULL;
        struct stmt *q = store_q(r->db,
                                 "SELECT p.code_hash FROM public_requests p JOIN cases c ON "
                                 "c.id = p.case_id WHERE c.number = ?",
                                 "t", number);
        if (stmt_next(q))
            h = stmt_dup(q, 0);
        struct err e = { 0 };
        enum rc rc = stmt_done(q, &e);
        if (rc) {
            free(h);
            return web_fail(r, rc, "%s", err_msg(&e));
        }
        if (h)
            snprintf(want, sizeof(want), "%s", h);
        free(h);
    }
    bool ok = auth_secret_eq(got, want[0] ? want : "-") && nc && want[0];
    struct err e = { 0 };
    if (ok && !case_get(x, number, &r->a, it, &e) && !case_state_at(x, it, now, st, NULL, &e))
        return RC_OK;
    if (ok)
        return web_fail(r, e.rc ? e.rc : RC_INTERNAL, "%s", err_msg(&e));
    auth_throttle_note(r->db, "public-lookup", r->ip, now, c->public_window);
    return web_fail(r, RC_NOTFOUND, "没有找到与该编号和查询码相符的申请，请核对后重试");
}

/* ---- pages ------------------------------------------------------------------------------ */

/* The form token: the cookie's value when it is one, else a new one (set on the response). */
static const char *form_token(struct web_req *r)
{
    const char *t = web_cookie(r, PUBLIC_COOKIE);
    if (t && strlen(t) == 64 && strspn(t, "0123456789abcdef") == 64)
        return t;
    char *n = arena_alloc(&r->a, 65);
    auth_random_hex(n, 32);
    web_header(r, "Set-Cookie",
               arena_fmt(&r->a, "%s=%s; Path=/public; Max-Age=86400; HttpOnly; SameSite=Strict%s",
                         PUBLIC_COOKIE, n, r->https ? "; Secure" : ""));
    return n;
}

/* Double submit: the form's token is the cookie's (and not empty). */
static bool token_ok(struct web_req *r)
{
    const char *c = web_cookie(r, PUBLIC_COOKIE);
    const char *f = web_form(r, "token");
    return c && f && strlen(c) == 64 && auth_secret_eq(c, f);
}

static void public_begin(struct web_req *r, const char *title)
{
    web_layout_begin(r, title, NULL);
    web_header(r, "Cache-Control", "no-store");
    web_raw(r, "<nav class=\"public\" aria-label=\"公众服务\"><a href=\"/public?kind=disclosure\">"
               "依申请公开</a> · <a href=\"/public?kind=consultation\">咨询</a> · "
               "<a href=\"/public/lookup\">查询办理进度</a></nav>");
}

static const char *form_get(struct web_req *r, void *ctx, const char *name)
{
    (void)ctx;
    return web_form(r, name);
}

struct option_ctx {
    struct web_req *r;
    const struct pfield *f;
    const char *cur;
};

static bool option_html(struct str c, void *ctx)
{
    struct option_ctx *o = ctx;
    const char *v = arena_strndup(&o->r->a, c.p, c.n);
    web_option(o->r, v, choice_label(o->f, v), o->cur);
    return false;
}

static void field_html(struct web_req *r, const struct pfield *f, const char *v)
{
    web_raw(r, "<label>");
    web_e(r, f->label);
    if (f->required && f->type != F_CHOICE)
        web_raw(r, " <abbr title=\"必填\">*</abbr>");
    if (f->type == F_CHOICE) {
        web_raw(r, " <select name=\"");
        web_e(r, f->key);
        web_raw(r, "\">");
        struct option_ctx oc = { r, f, v };
        choices_each(f->choices, option_html, &oc);
        web_raw(r, "</select>");
    } else if (f->type == F_TEXT) {
        web_rawf(r, " <textarea name=\"%s\" rows=\"8\" maxlength=\"%zu\"%s>", f->key, f->max,
                 f->required ? " required" : "");
        web_e(r, v ? v : "");
        web_raw(r, "</textarea>");
    } else {
        web_rawf(r, " <input name=\"%s\" maxlength=\"%zu\"%s%s value=\"", f->key, f->max,
                 f->required ? " required" : "", !strcmp(f->key, "email") ? " type=\"email\"" : "");
        web_e(r, v ? v : "");
        web_raw(r, "\">");
    }
    if (f->hint) {
        web_raw(r, " <small class=\"hint\">");
        web_e(r, f->hint);
        web_raw(r, "</small>");
    }
    web_raw(r, "</label>");
}

/* The form of kind k, with the values of s (may be NULL) and a message. */
static enum rc form_page(struct web_req *r, enum case_kind k, const struct psub *s, const char *msg,
                         int status)
{
    const char *token = form_token(r);
    bool d = k == CASE_DISCLOSURE;
    public_begin(r, d ? "政府信息公开申请" : "咨询");
    web_raw(r,
            d ? "<h1>政府信息公开申请</h1><p class=\"hint\">依据《中华人民共和国政府信息公开条例》"
                "第二十九条提出申请。提交后获得申请编号和查询码，凭二者查询办理进度。"
                "标 * 的为必填项。</p>"
              : "<h1>咨询</h1><p class=\"hint\">提交后获得编号和查询码，凭二者查询答复。"
                "标 * 的为必填项。</p>");
    web_flash(r, msg, true);
    web_raw(r, "<form method=\"post\" action=\"/public\" id=\"public-form\" class=\"public-form\">"
               "<input type=\"hidden\" name=\"token\" value=\"");
    web_e(r, token);
    web_raw(r, "\"><input type=\"hidden\" name=\"kind\" value=\"");
    web_e(r, case_kinds[k].key);
    web_raw(r, "\">");
    web__unit_select(r, "unit", "受理单位", s ? s->unit_id : 0, false, "请选择");
    for (size_t i = 0; i < NPF; i++)
        if (pf_on(&pfields[i], k))
            field_html(r, &pfields[i], s ? s->v[i] : NULL);
    /* the honeypot: out of sight and out of the tab order; people leave it empty */
    web_raw(r, "<div class=\"hp\" aria-hidden=\"true\"><label>网址 <input name=\"website\" "
               "tabindex=\"-1\" autocomplete=\"off\"></label></div>"
               "<button type=\"submit\">提交</button></form>");
    enum rc rc = web_layout_end(r);
    r->status = status;
    return rc;
}

static enum case_kind kind_of(const char *s)
{
    enum case_kind k;
    return s && case_kind_parse(s, &k) && k == CASE_CONSULTATION ? CASE_CONSULTATION
                                                                 : CASE_DISCLOSURE;
}

enum rc page_public_form(struct web_req *r)
{
    return form_page(r, kind_of(web_query(r, "kind")), NULL, NULL, 200);
}

enum rc page_public_submit(struct web_req *r)
{
    enum case_kind k = kind_of(web_form(r, "kind"));
    if (!token_ok(r)) {
        web_deny(r, "public form: missing or wrong form token");
        return form_page(r, k, NULL, "表单已过期，请重新填写后提交", 403);
    }
    if (!str_empty(web_form(r, "website")))
        return honeypot(r);
    enum rc rc;
    if ((rc = submit_throttle(r)))
        return rc;
    struct psub s;
    const char *msg = read_sub(r, form_get, NULL, &s);
    if (msg)
        return form_page(r, k, s.kind == k ? &s : NULL, msg, 400);
    struct psub_done d;
    if ((rc = submit(r, &s, &d)))
        return rc;
    public_begin(r, "提交成功");
    web_raw(r, "<section id=\"public-done\"><h1>提交成功</h1><dl class=\"facts\">");
    web_fact(r, "类型", case_kinds[s.kind].cn);
    web_fact(r, "申请编号", d.number);
    web_fact(r, "查询码", code_shown(r, d.code));
    if (d.due)
        web_fact_time(r, "答复期限", d.due);
    web_raw(r, "</dl><p class=\"flash ok\">请记下申请编号和查询码：查询码只显示这一次，"
               "凭二者可在“查询办理进度”查看办理状态和公开的答复。</p></section>");
    enum rc out = web_layout_end(r);
    r->status = 201;
    return out;
}

static void lookup_form(struct web_req *r, const char *number, const char *msg)
{
    const char *token = form_token(r);
    web_raw(r, "<h1>查询办理进度</h1>");
    web_flash(r, msg, true);
    web_raw(r, "<form method=\"post\" action=\"/public/lookup\" id=\"lookup-form\">"
               "<input type=\"hidden\" name=\"token\" value=\"");
    web_e(r, token);
    web_raw(r, "\"><label>申请编号 <input name=\"number\" maxlength=\"64\" required value=\"");
    web_e(r, number ? number : "");
    web_raw(r, "\"></label><label>查询码 <input name=\"code\" maxlength=\"20\" required "
               "autocomplete=\"off\"></label><button type=\"submit\">查询</button></form>");
}

enum rc page_public_lookup_form(struct web_req *r)
{
    public_begin(r, "查询办理进度");
    lookup_form(r, NULL, NULL);
    return web_layout_end(r);
}

enum rc page_public_lookup(struct web_req *r)
{
    const char *number = web_form(r, "number");
    if (!token_ok(r)) {
        web_deny(r, "public lookup: missing or wrong form token");
        public_begin(r, "查询办理进度");
        lookup_form(r, NULL, "表单已过期，请重新查询");
        enum rc rc = web_layout_end(r);
        r->status = 403;
        return rc;
    }
    struct case_item it;
    struct case_state st;
    enum rc rc = lookup(r, number, web_form(r, "code"), &it, &st);
    if (rc && rc != RC_NOTFOUND && rc != RC_TOOMANY)
        return rc;
    if (rc) {
        const char *msg = arena_strdup(&r->a, err_msg(&r->err));
        public_begin(r, "查询办理进度");
        lookup_form(r, NULL, msg);
        enum rc out = web_layout_end(r);
        r->status = rc_http(rc);
        return out;
    }
    public_begin(r, it.number);
    web_raw(r, "<section id=\"public-status\"><h1>");
    web_e(r, it.number);
    web_raw(r, " <span class=\"badge\">");
    web_e(r, case_statuses[st.status].cn);
    web_raw(r, "</span></h1><dl class=\"facts\">");
    web_fact(r, "类型", case_kinds[it.kind].cn);
    web_fact(r, "受理单位", it.unit);
    web_fact_time(r, "提交时间", it.received_at);
    if (st.open)
        st.dl.paused ? web_fact(r, "答复期限", "暂停计时（补正或征求意见中）")
                     : web_fact_time(r, "答复期限", st.dl.due);
    web_fact_time(r, "答复时间", st.replied_at);
    const struct case_outcome *o = st.outcome ? case_outcome_find(it.kind, st.outcome) : NULL;
    if (o) {
        struct buf ob = BUF_INIT;
        case_outcome_label(o, &ob);
        web_fact(r, "办理结果", buf_cstr(&ob));
        buf_release(&ob);
    }
    if (it.reply && it.reply_public) {
        web_raw(r, "</dl><h2>答复</h2><div class=\"reply\" id=\"public-reply\">");
        web_e(r, it.reply);
        web_raw(r, "</div>");
    } else {
        web_raw(r, "</dl>");
        if (it.reply)
            web_raw(r, "<p class=\"hint\">答复已按您选择的方式送达，不在网上公开。</p>");
    }
    web_raw(r, "</section>");
    return web_layout_end(r);
}

/* ---- the JSON API ----------------------------------------------------------------------- */

/* A JSON body sent as application/json (a cross-site form cannot send that type). */
static enum rc json_in(struct web_req *r, json_object **o)
{
    const char *ct = web_header_in(r, "Content-Type");
    if (!ct || ascii_ncasecmp(ct, "application/json", 16))
        return web_fail(r, RC_INVALID, "send the body as Content-Type: application/json");
    return web_json_body(r, o);
}

/* A JSON member as text: strings as they are, numbers (a unit id) printed; else NULL. */
static const char *json_get(struct web_req *r, void *ctx, const char *name)
{
    json_object *v;
    if (!json_object_object_get_ex(ctx, name, &v) || !v)
        return NULL;
    if (json_object_is_type(v, json_type_int))
        return arena_fmt(&r->a, "%lld", (long long)json_object_get_int64(v));
    if (!json_object_is_type(v, json_type_string))
        return "\x01"; /* not text: refused by the character check */
    return json_object_get_string(v);
}

enum rc api_public_submit(struct web_req *r)
{
    json_object *o;
    enum rc rc;
    if ((rc = json_in(r, &o)))
        return rc;
    const char *hp = json_get(r, o, "website");
    if (!str_empty(hp))
        return honeypot(r);
    if ((rc = submit_throttle(r)))
        return rc;
    struct psub s;
    const char *msg = read_sub(r, json_get, o, &s);
    if (msg)
        return web_fail(r, RC_INVALID, "%s", msg);
    struct psub_done d;
    if ((rc = submit(r, &s, &d)))
        return rc;
    struct case_ctx *x = web__cases(r);
    struct jw w;
    web_json_begin(r, &w);
    jw_obj(&w);
    jw_kstr(&w, "number", d.number);
    jw_kstr(&w, "code", code_shown(r, d.code));
    jw_kstr(&w, "kind", case_kinds[s.kind].key);
    jw_ktime(&w, "due", d.due, x->tz);
    jw_end(&w);
    web_header(r, "Cache-Control", "no-store");
    return web_json_send(r, &w, 201);
}

enum rc api_public_lookup(struct web_req *r)
{
    json_object *o;
    enum rc rc;
    if ((rc = json_in(r, &o)))
        return rc;
    struct case_item it;
    struct case_state st;
    if ((rc = lookup(r, json_get(r, o, "number"), json_get(r, o, "code"), &it, &st)))
        return rc;
    struct jw w;
    web_json_begin(r, &w);
    case_public_json(&w, web__cases(r), &it, &st);
    web_header(r, "Cache-Control", "no-store");
    return web_json_send(r, &w, 200);
}

/* ---- the staff's view of a public submission (page_cases.c) ---------------------------- */

void web__public_facts(struct web_req *r, const struct case_item *it, enum case_view view)
{
    char *form = NULL, *ip = NULL;
    struct stmt *q =
        store_q(r->db, "SELECT form, ip FROM public_requests WHERE case_id = ?", "i", it->id);
    bool found = stmt_next(q);
    if (found) {
        form = stmt_dup(q, 0);
        ip = stmt_dup(q, 1);
    }
    struct err e = { 0 };
    if (stmt_done(q, &e) || !found) {
        free(form);
        free(ip);
        return;
    }
    json_object *o = form ? json_tokener_parse(form) : NULL;
    web_raw(r, "<h2>网上申请表</h2><dl class=\"facts\" id=\"case-public-form\">");
    for (size_t i = 0; i < NPF; i++) {
        json_object *v;
        if (!o || !json_object_object_get_ex(o, pfields[i].key, &v))
            continue;
        const char *s = json_object_get_string(v);
        if (pfields[i].personal && view != CASE_VIEW_FULL)
            s = "（已脱敏）";
        else if (pfields[i].type == F_CHOICE)
            s = choice_label(&pfields[i], s);
        web_fact(r, pfields[i].label, s);
    }
    web_fact(r, "提交地址", view == CASE_VIEW_FULL ? ip : "（已脱敏）");
    web_raw(r, "</dl>");
    if (o)
        json_object_put(o);
    free(form);
    free(ip);
}
