/* wording.c - the wording dictionary, its TSV files, the scanner and the page check
 * (wording.h). */
#include "checks/wording.h"

#include <stdlib.h>
#include <string.h>

#include "checks/acm.h"
#include "core/date.h"
#include "core/json.h"
#include "core/log.h"
#include "core/map.h"
#include "core/res.h"
#include "core/str.h"
#include "core/utf8.h"
#include "core/xalloc.h"

#define NONE UINT32_MAX

/* One distinct text in the automaton: a wrong form (with its entries, best first), a
 * guard (a right or allowed form that contains some wrong form), or both. */
struct pat {
    uint32_t first; /* first entry index (priority order), NONE for a pure guard */
    bool guard;
    bool always; /* the first entry has no dates: active on every day */
};

struct wording_dict {
    struct wording_entry **e;
    size_t n, cap;
    /* compiled */
    bool compiled;
    struct acm *acm;
    struct pat *pats;
    uint32_t npat;
    uint32_t *next; /* per entry: the next entry with the same wrong form */
};

struct occ {
    uint32_t entry; /* the active entry, NONE for a guard occurrence */
    uint32_t start, end;
    uint32_t sufmin; /* the smallest start of this and every later occurrence */
};

struct wording_dict *wording_dict_new(void)
{
    return XNEW(struct wording_dict);
}

static void entry_free(struct wording_entry *e)
{
    if (!e)
        return;
    free(e->wrong);
    free(e->right);
    free(e->allow);
    free(e->category);
    free(e->note);
    free(e->source);
    free(e);
}

void wording_dict_free(struct wording_dict *d)
{
    if (!d)
        return;
    for (size_t i = 0; i < d->n; i++)
        entry_free(d->e[i]);
    free(d->e);
    acm_free(d->acm);
    free(d->pats);
    free(d->next);
    free(d);
}

size_t wording_dict_size(const struct wording_dict *d)
{
    return d->n;
}

const struct wording_entry *wording_dict_entry(const struct wording_dict *d, size_t i)
{
    return i < d->n ? d->e[i] : NULL;
}

bool wording_entry_active(const struct wording_entry *e, int32_t day)
{
    if (e->disabled)
        return false;
    if (day == DATE_NONE)
        return true;
    return (e->from == DATE_NONE || day >= e->from) && (e->until == DATE_NONE || day <= e->until);
}

/* ---- validation ------------------------------------------------------------------ */

/* A form: valid UTF-8, no control characters and no '|', 1..max code points. */
static bool form_ok(struct str s, size_t min_chars, const char *what, struct err *err)
{
    if (!utf8_valid(s.p, s.n))
        return err_set(err, RC_INVALID, "%s is not valid UTF-8", what), false;
    for (size_t i = 0; i < s.n; i++)
        if ((unsigned char)s.p[i] < 0x20 || s.p[i] == 0x7f || s.p[i] == '|')
            return err_set(err, RC_INVALID, "%s '%.*s' contains a control character or '|'", what,
                           (int)s.n, s.p),
                   false;
    size_t chars = utf8_count(s.p, s.n);
    if (chars < min_chars || chars > WORDING_MAX_CHARS)
        return err_set(err, RC_INVALID, "%s '%.*s' must have %zu to %d characters", what, (int)s.n,
                       s.p, min_chars, WORDING_MAX_CHARS),
               false;
    return true;
}

static enum rc entry_validate(const struct wording_entry *e, struct err *err)
{
    if (str_empty(e->wrong))
        return err_set(err, RC_INVALID, "the wrong form is empty");
    struct str w = str_of(e->wrong);
    if (!form_ok(w, WORDING_MIN_CHARS, "wrong form", err))
        return RC_INVALID;
    const char *lists[2] = { e->right, e->allow };
    for (int k = 0; k < 2; k++) {
        struct str all = str_of(lists[k]), a;
        while (all.n) {
            str_split(&all, '|', &a);
            a = str_trim(a);
            if (!a.n)
                return err_set(err, RC_INVALID, "an empty alternative in the %s forms of '%s'",
                               k ? "allowed" : "right", e->wrong);
            if (!form_ok(a, 1, k ? "allowed form" : "right form", err))
                return RC_INVALID;
            if (str_eq(a, w))
                return err_set(err, RC_INVALID, "the %s form equals the wrong form '%s'",
                               k ? "allowed" : "right", e->wrong);
            if (k && !memmem(a.p, a.n, w.p, w.n))
                return err_set(err, RC_INVALID,
                               "allowed form '%.*s' does not contain the wrong form '%s'", (int)a.n,
                               a.p, e->wrong);
        }
    }
    if (e->from != DATE_NONE && e->until != DATE_NONE && e->from > e->until)
        return err_set(err, RC_INVALID, "'%s': from is after until", e->wrong);
    if (e->severity < CHECK_NOTICE || e->severity > CHECK_SERIOUS)
        return err_set(err, RC_INVALID, "'%s': unknown severity", e->wrong);
    return RC_OK;
}

static char *dup_or_empty(const char *s)
{
    return xstrdup(s ? s : "");
}

enum rc wording_dict_add(struct wording_dict *d, const struct wording_entry *src, struct err *err)
{
    if (d->compiled)
        BUG("wording_dict_add after compile");
    struct wording_entry tmp = *src;
    if (!tmp.severity)
        tmp.severity = CHECK_NORMAL;
    enum rc rc = entry_validate(&tmp, err);
    if (rc)
        return rc;
    struct wording_entry *e = XNEW(struct wording_entry);
    *e = tmp;
    e->wrong = xstrdup(src->wrong);
    e->right = dup_or_empty(src->right);
    e->allow = dup_or_empty(src->allow);
    e->category = dup_or_empty(src->category);
    e->note = dup_or_empty(src->note);
    e->source = dup_or_empty(src->source);
    d->e = xgrow(d->e, &d->cap, d->n + 1, sizeof(*d->e));
    d->e[d->n++] = e;
    return RC_OK;
}

void wording_dict_disable(struct wording_dict *d, const char *wrong)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->e[i]->wrong, wrong))
            d->e[i]->disabled = true;
}

/* ---- TSV files ------------------------------------------------------------------- */

enum col { C_WRONG, C_RIGHT, C_FROM, C_UNTIL, C_SEVERITY, C_CATEGORY, C_ALLOW, C_NOTE, C__N };
static const char *const col_names[C__N] = {
    "wrong|错误|错误写法",          "right|正确|正确写法",    "from|起始|起始日期|生效日期",
    "until|截止|截止日期|失效日期", "severity|严重程度|级别", "category|类别|分类",
    "allow|允许|允许写法",          "note|说明|备注",
};

static int header_col(struct str name)
{
    for (int c = 0; c < C__N; c++) {
        struct str all = str_of(col_names[c]), a;
        while (all.n) {
            str_split(&all, '|', &a);
            if (str_eq(a, name) || (a.n == name.n && !ascii_ncasecmp(a.p, name.p, a.n)))
                return c;
        }
    }
    return -1;
}

#define MAX_FIELDS 16

static size_t split_tabs(struct str line, struct str *f, size_t max)
{
    size_t n = 0;
    for (;;) {
        struct str head;
        bool more = str_split(&line, '\t', &head);
        if (n < max)
            f[n] = str_trim(head);
        n++;
        if (!more)
            break;
    }
    return n;
}

static bool parse_date_field(struct str s, int32_t *out)
{
    *out = DATE_NONE;
    if (!s.n)
        return true;
    char buf[16];
    if (s.n >= sizeof(buf))
        return false;
    memcpy(buf, s.p, s.n);
    buf[s.n] = 0;
    return date_parse(buf, out);
}

enum rc wording_dict_parse(struct wording_dict *d, const char *name, const char *text, size_t n,
                           enum wording_prio prio, size_t *added, struct notes *bad,
                           struct err *err)
{
    if (added)
        *added = 0;
    if (n > WORDING_FILE_MAX)
        return err_set(err, RC_LIMIT, "%s: a wording file may have at most %u bytes", name,
                       WORDING_FILE_MAX);
    struct str rest = { text, n };
    if (rest.n >= 3 && !memcmp(rest.p, "\xEF\xBB\xBF", 3))
        rest.p += 3, rest.n -= 3;
    int cols[C__N];
    for (int c = 0; c < C__N; c++)
        cols[c] = -1;
    size_t nheader = 0;
    bool have_header = false;
    long lineno = 0;
    struct map seen = MAP_INIT; /* wrong + '\t' + from → line (as pointer-sized number) */
    enum rc rc = RC_OK;
    while (rest.n && !rc) {
        struct str line;
        str_split(&rest, '\n', &line);
        lineno++;
        if (line.n && line.p[line.n - 1] == '\r')
            line.n--;
        struct str t = str_trim(line);
        if (!t.n || t.p[0] == '#')
            continue;
        struct str f[MAX_FIELDS];
        size_t nf = split_tabs(line, f, MAX_FIELDS);
        if (!have_header) {
            if (nf > MAX_FIELDS)
                nf = MAX_FIELDS;
            for (size_t i = 0; i < nf; i++) {
                int c = header_col(f[i]);
                if (c < 0) {
                    rc = err_set(
                        err, RC_PARSE,
                        "%s:%ld: unknown column '%.*s' in the header; columns are wrong, right, "
                        "from, until, severity, category, allow, note",
                        name, lineno, (int)(f[i].n > 64 ? 64 : f[i].n), f[i].p);
                    break;
                }
                if (cols[c] >= 0) {
                    rc = err_set(err, RC_PARSE, "%s:%ld: column '%.*s' appears twice in the header",
                                 name, lineno, (int)f[i].n, f[i].p);
                    break;
                }
                cols[c] = (int)i;
            }
            if (!rc && cols[C_WRONG] < 0)
                rc = err_set(
                    err, RC_PARSE,
                    "%s:%ld: the header has no 'wrong' column (wrong<TAB>right<TAB>from ...)", name,
                    lineno);
            nheader = nf;
            have_header = true;
            continue;
        }
        if (nf > nheader) {
            if (bad)
                notes_add(bad, "%s:%ld: %zu fields but the header has %zu", name, lineno, nf,
                          nheader);
            continue;
        }
        struct str v[C__N];
        for (int c = 0; c < C__N; c++)
            v[c] = cols[c] >= 0 && (size_t)cols[c] < nf ? f[cols[c]] : (struct str){ "", 0 };
        char *s[C__N];
        for (int c = 0; c < C__N; c++)
            s[c] = str_dup(v[c]);
        struct wording_entry e = { .wrong = s[C_WRONG],
                                   .right = s[C_RIGHT],
                                   .allow = s[C_ALLOW],
                                   .category = s[C_CATEGORY],
                                   .note = s[C_NOTE],
                                   .prio = prio,
                                   .severity = CHECK_NORMAL };
        struct err e1 = { 0 };
        char src[512];
        snprintf(src, sizeof(src), "%s:%ld", name, lineno);
        e.source = src;
        if (!parse_date_field(v[C_FROM], &e.from) || !parse_date_field(v[C_UNTIL], &e.until))
            err_set(&e1, RC_INVALID, "a date is not YYYY-MM-DD");
        else if (v[C_SEVERITY].n && !check_severity_parse(s[C_SEVERITY], &e.severity))
            err_set(&e1, RC_INVALID, "severity '%s' is not serious, normal or notice",
                    s[C_SEVERITY]);
        if (!e1.rc) {
            struct buf key = BUF_INIT;
            buf_addf(&key, "%s\t%d", e.wrong, (int)e.from);
            void **slot = map_slot(&seen, key.p, key.n, NULL);
            if (*slot)
                err_set(&e1, RC_INVALID, "'%s' repeats line %ld", e.wrong, (long)(intptr_t)*slot);
            else if (!wording_dict_add(d, &e, &e1)) {
                *slot = (void *)(intptr_t)lineno;
                if (added)
                    (*added)++;
            } else {
                map_del(&seen, key.p, key.n);
            }
            buf_release(&key);
        }
        if (e1.rc && bad)
            notes_add(bad, "%s:%ld: %s", name, lineno, err_msg(&e1));
        for (int c = 0; c < C__N; c++)
            free(s[c]);
    }
    map_release(&seen, NULL);
    if (!rc && !have_header)
        rc = err_set(err, RC_PARSE, "%s: no header line (wrong<TAB>right<TAB>from ...)", name);
    return rc;
}

static enum rc load_db(struct wording_dict *d, struct store *db, struct map *disable,
                       struct err *err)
{
    struct stmt *st =
        store_q(db,
                "SELECT id, wrong, right_forms, allow_forms, valid_from, valid_until, "
                "severity, category, note, disabled FROM wording_entries ORDER BY id",
                "");
    while (stmt_next(st)) {
        if (stmt_int(st, 9)) {
            map_puts(disable, stmt_str(st, 1), (void *)1);
            continue;
        }
        char src[32];
        snprintf(src, sizeof(src), "db:%lld", (long long)stmt_int(st, 0));
        struct wording_entry e = {
            .db_id = stmt_int(st, 0),
            .wrong = (char *)stmt_str(st, 1),
            .right = (char *)stmt_str(st, 2),
            .allow = (char *)stmt_str(st, 3),
            .from = stmt_null(st, 4) ? DATE_NONE : stmt_date(st, 4),
            .until = stmt_null(st, 5) ? DATE_NONE : stmt_date(st, 5),
            .severity = (enum check_severity)stmt_int(st, 6),
            .category = (char *)stmt_str(st, 7),
            .note = (char *)stmt_str(st, 8),
            .source = src,
            .prio = WORDING_DB,
        };
        struct err e1 = { 0 };
        if (wording_dict_add(d, &e, &e1))
            log_warn("wording entry %s is skipped: %s", src, err_msg(&e1));
    }
    return stmt_done(st, err);
}

enum rc wording_dict_load(struct wording_dict *d, struct store *db, struct notes *bad,
                          struct err *err)
{
    struct map disable = MAP_INIT;
    enum rc rc = db ? load_db(d, db, &disable, err) : RC_OK;
    char **names = NULL;
    size_t nn = res_names("wording/", ".tsv", &names);
    /* Data-directory files first (they rank above the built-in ones), then built-in. */
    for (int pass = 0; pass < 2 && !rc; pass++) {
        for (size_t i = 0; i < nn && !rc; i++) {
            bool builtin = res_find_embedded(names[i]) != NULL;
            if (builtin != (pass == 1))
                continue;
            struct buf b;
            buf_init(&b, WORDING_FILE_MAX + 1);
            bool from_file = false;
            rc = res_load(names[i], &b, &from_file, err);
            if (!rc) {
                char label[4200];
                if (from_file)
                    snprintf(label, sizeof(label), "%s/%s", res_dir(), names[i]);
                else
                    snprintf(label, sizeof(label), "%s", names[i]);
                rc = wording_dict_parse(d, label, buf_cstr(&b), b.n,
                                        builtin ? WORDING_BUILTIN : WORDING_FILE, NULL, bad, err);
            }
            buf_release(&b);
        }
    }
    res_names_free(names, nn);
    map_foreach(&disable, it)
        wording_dict_disable(d, it->key);
    map_release(&disable, NULL);
    return rc;
}

/* ---- compiling ------------------------------------------------------------------- */

struct rank {
    int prio;
    size_t idx;
};

static int cmp_rank(const void *a, const void *b)
{
    const struct rank *x = a, *y = b;
    if (x->prio != y->prio)
        return x->prio - y->prio;
    return x->idx < y->idx ? -1 : x->idx > y->idx;
}

struct guard_scan {
    size_t len; /* length of the form scanned */
    bool contains;
};

static int on_guard_hit(uint32_t id, size_t start, size_t end, void *ctx)
{
    (void)id;
    struct guard_scan *g = ctx;
    if (end - start < g->len) {
        g->contains = true;
        return 1;
    }
    return 0;
}

static uint32_t pat_for(struct wording_dict *d, struct map *ids, const char *text, size_t n)
{
    bool created;
    void **slot = map_slot(ids, text, n, &created);
    if (!created)
        return (uint32_t)(uintptr_t)*slot - 1;
    uint32_t id = acm_add(d->acm, text, n);
    if (id == NONE)
        BUG("acm_add refused a validated form");
    *slot = (void *)(uintptr_t)(id + 1);
    d->pats = xrealloc(d->pats, ((size_t)id + 1) * sizeof(*d->pats));
    d->pats[id] = (struct pat){ NONE, false, false };
    d->npat = id + 1;
    return id;
}

void wording_dict_compile(struct wording_dict *d)
{
    if (d->compiled)
        BUG("wording_dict_compile called twice");
    d->compiled = true;
    /* Priority order: database, files, built-in; insertion order within. */
    struct rank *r = xmalloc((d->n + 1) * sizeof(*r));
    for (size_t i = 0; i < d->n; i++)
        r[i] = (struct rank){ (int)d->e[i]->prio, i };
    qsort(r, d->n, sizeof(*r), cmp_rank);
    struct wording_entry **sorted = xmalloc((d->n + 1) * sizeof(*sorted));
    for (size_t i = 0; i < d->n; i++)
        sorted[i] = d->e[r[i].idx];
    if (d->n)
        memcpy(d->e, sorted, d->n * sizeof(*sorted));
    free(sorted);
    free(r);

    /* Which right/allowed forms contain some wrong form: scan them with the wrong forms. */
    struct acm *wrongs = acm_new();
    struct map wmap = MAP_INIT;
    for (size_t i = 0; i < d->n; i++) {
        bool created;
        map_slot(&wmap, d->e[i]->wrong, strlen(d->e[i]->wrong), &created);
        if (created)
            acm_add(wrongs, d->e[i]->wrong, strlen(d->e[i]->wrong));
    }
    acm_compile(wrongs, 0);
    map_release(&wmap, NULL);

    d->acm = acm_new();
    struct map ids = MAP_INIT;
    d->next = xmalloc((d->n + 1) * sizeof(uint32_t));
    for (size_t i = 0; i < d->n; i++)
        d->next[i] = NONE;
    /* Wrong forms first (entries chained in priority order), skipping disabled ones. */
    uint32_t *last = NULL;
    size_t cap_last = 0;
    for (size_t i = 0; i < d->n; i++) {
        struct wording_entry *e = d->e[i];
        if (e->disabled)
            continue;
        uint32_t p = pat_for(d, &ids, e->wrong, strlen(e->wrong));
        last = xgrow(last, &cap_last, (size_t)p + 1, sizeof(uint32_t));
        if (d->pats[p].first == NONE)
            d->pats[p].first = (uint32_t)i;
        else
            d->next[last[p]] = (uint32_t)i;
        last[p] = (uint32_t)i;
    }
    free(last);
    /* Guards: right and allowed forms of every entry that contain a shorter wrong form. */
    for (size_t i = 0; i < d->n; i++) {
        const char *lists[2] = { d->e[i]->right, d->e[i]->allow };
        for (int k = 0; k < 2; k++) {
            struct str all = str_of(lists[k]), a;
            while (all.n) {
                str_split(&all, '|', &a);
                a = str_trim(a);
                struct guard_scan g = { a.n, false };
                acm_scan(wrongs, a.p, a.n, on_guard_hit, &g);
                if (g.contains) {
                    uint32_t id = pat_for(d, &ids, a.p, a.n); /* may move d->pats */
                    d->pats[id].guard = true;
                }
            }
        }
    }
    acm_free(wrongs);
    map_release(&ids, NULL);
    for (uint32_t i = 0; i < d->npat; i++) {
        uint32_t f = d->pats[i].first;
        d->pats[i].always = f != NONE && d->e[f]->from == DATE_NONE && d->e[f]->until == DATE_NONE;
    }
    acm_compile(d->acm, 0);
}

const struct wording_entry *wording_dict_lookup(const struct wording_dict *d, const char *wrong,
                                                int32_t day)
{
    for (size_t i = 0; i < d->n; i++)
        if (!strcmp(d->e[i]->wrong, wrong) && wording_entry_active(d->e[i], day))
            return d->e[i];
    return NULL;
}

/* ---- scanning -------------------------------------------------------------------- */

void wording_hits_release(struct wording_hits *h)
{
    free(h->v);
    for (int k = 0; k < ACM_PARTS; k++)
        free(h->occ[k]);
    memset(h, 0, sizeof(*h));
}

/* One part of the text (acm_scan_parts) collects into its own vector. */
struct scan_ctx {
    const struct wording_dict *d;
    struct wording_hits *h;
    int part;
    int32_t day;
    size_t *total; /* occurrences over all parts, for the cap */
};

static int on_hit(uint32_t id, size_t start, size_t end, void *ctx)
{
    struct scan_ctx *c = ctx;
    const struct pat *p = &c->d->pats[id];
    uint32_t entry = p->always ? p->first : NONE;
    for (uint32_t e = p->always ? NONE : p->first; e != NONE; e = c->d->next[e]) {
        if (wording_entry_active(c->d->e[e], c->day)) {
            entry = e;
            break;
        }
    }
    if (entry == NONE && !p->guard)
        return 0;
    struct wording_hits *h = c->h;
    int k = c->part;
    if (++*c->total > WORDING_MAX_OCCURRENCES) {
        h->truncated = true;
        return ACM_STOP;
    }
    if (h->nocc[k] == h->capocc[k])
        h->occ[k] = xgrow(h->occ[k], &h->capocc[k], h->nocc[k] + 1, sizeof(struct occ));
    ((struct occ *)h->occ[k])[h->nocc[k]++] =
        (struct occ){ entry, (uint32_t)start, (uint32_t)end, 0 };
    /* Shorter forms ending here lie inside this one: they can never be reported. */
    return ACM_SKIP;
}

/* Code points in s[0..n): bytes that are not UTF-8 continuation bytes (10xxxxxx). */
static size_t count_chars(const unsigned char *s, size_t n)
{
    size_t cont = 0, i = 0;
    for (; i + 8 <= n; i += 8) {
        uint64_t w;
        memcpy(&w, s + i, 8);
        uint64_t f = (w & ~(w << 1) & 0x8080808080808080ULL) >> 7; /* 0 or 1 per byte */
        cont += (size_t)((f * 0x0101010101010101ULL) >> 56);
    }
    for (; i < n; i++)
        cont += (s[i] & 0xC0) == 0x80;
    return n - cont;
}

size_t wording_scan(const struct wording_dict *d, const char *text, size_t n, int32_t day,
                    struct wording_hits *h)
{
    if (!d->compiled)
        BUG("wording_scan before wording_dict_compile");
    h->n = 0;
    h->truncated = false;
    if (n > UINT32_MAX) { /* offsets are kept in 32 bits */
        n = UINT32_MAX;
        h->truncated = true;
    }
    size_t total = 0;
    struct scan_ctx c[ACM_PARTS];
    void *ctx[ACM_PARTS];
    for (int k = 0; k < ACM_PARTS; k++) {
        h->nocc[k] = 0;
        c[k] = (struct scan_ctx){ d, h, k, day, &total };
        ctx[k] = &c[k];
    }
    acm_scan_parts(d->acm, text, n, on_hit, ctx);
    /* The parts' occurrences, in order, into the first vector. */
    size_t m = h->nocc[0];
    for (int k = 1; k < ACM_PARTS; k++) {
        if (!h->nocc[k])
            continue;
        h->occ[0] = xgrow(h->occ[0], &h->capocc[0], m + h->nocc[k], sizeof(struct occ));
        memcpy((struct occ *)h->occ[0] + m, h->occ[k], h->nocc[k] * sizeof(struct occ));
        m += h->nocc[k];
    }
    h->nocc[0] = m;
    struct occ *o = h->occ[0];
    if (!m)
        return 0;
    /* Occurrences come by end, longer first for one end.  An occurrence [s, e) is inside
     * a longer one when some occurrence with end ≥ e starts before s, or one with end > e
     * starts at s: a suffix minimum of starts answers both. */
    o[m - 1].sufmin = o[m - 1].start;
    for (size_t i = m - 1; i-- > 0;)
        o[i].sufmin = o[i].start < o[i + 1].sufmin ? o[i].start : o[i + 1].sufmin;
    size_t chars = 0, counted = 0;
    for (size_t a = 0; a < m;) {
        size_t b = a;
        while (b < m && o[b].end == o[a].end)
            b++;
        for (size_t i = a; i < b; i++) {
            if (o[i].entry == NONE)
                continue;
            size_t s = o[i].start;
            bool inside = o[a].sufmin < s || (b < m && o[b].sufmin <= s);
            if (inside)
                continue;
            if (!h->no_chars) {
                chars += count_chars((const unsigned char *)text + counted, s - counted);
                counted = s;
            }
            if (h->n == h->cap)
                h->v = xgrow(h->v, &h->cap, h->n + 1, sizeof(*h->v));
            h->v[h->n++] = (struct wording_hit){ d->e[o[i].entry], s, o[i].end - s, chars };
        }
        a = b;
    }
    return h->n;
}

/* Append s[0..n) with controls and whitespace runs folded to one space. */
static void add_folded(struct buf *b, const char *s, size_t n)
{
    bool space = false;
    for (size_t i = 0; i < n;) {
        size_t len;
        uint32_t cp = utf8_decode(s + i, n - i, &len);
        i += len;
        if (cp < 0x20 || cp == 0x7f || cp == ' ' || cp == 0x3000 || cp == 0xa0) {
            if (!space)
                buf_addc(b, ' ');
            space = true;
            continue;
        }
        space = false;
        utf8_encode(b, cp);
    }
}

void wording_excerpt(const char *text, size_t n, size_t off, size_t len, size_t chars,
                     struct buf *before, struct buf *after)
{
    if (off > n)
        off = n;
    if (len > n - off)
        len = n - off;
    size_t i = off, k = 0;
    while (i > 0 && k < chars) {
        /* Back one character: at most 3 continuation bytes before its lead byte. */
        i--;
        for (int c = 0; c < 3 && i > 0 && ((unsigned char)text[i] & 0xC0) == 0x80; c++)
            i--;
        k++;
    }
    size_t end = off + len;
    size_t alen = utf8_prefix_bytes(text + end, n - end, chars);
    if (before)
        add_folded(before, text + i, off - i);
    if (after)
        add_folded(after, text + end, alen);
}

/* ---- database entries ------------------------------------------------------------ */

static void date_text(int32_t d, char out[11])
{
    if (d == DATE_NONE)
        out[0] = 0;
    else
        date_fmt(d, out);
}

enum rc wording_db_add(struct store *db, const struct clk *clk, const struct wording_entry *e,
                       const char *by, bool *updated, struct err *err)
{
    struct wording_entry tmp = *e;
    if (!tmp.severity)
        tmp.severity = CHECK_NORMAL;
    enum rc rc = entry_validate(&tmp, err);
    if (rc)
        return rc;
    int64_t one;
    rc = store_get_int(db, &one, err, "SELECT 1 FROM wording_entries WHERE wrong = ?", "t",
                       e->wrong);
    if (rc && rc != RC_NOTFOUND)
        return rc;
    if (updated)
        *updated = rc == RC_OK;
    char from[11], until[11];
    date_text(tmp.from, from);
    date_text(tmp.until, until);
    int64_t now = clk_now(clk);
    return store_exec(
        db, err,
        "INSERT INTO wording_entries (wrong, right_forms, allow_forms, valid_from, "
        "valid_until, severity, category, note, disabled, created_by, created_at, "
        "updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, 0, ?, ?, ?) ON CONFLICT (wrong) DO "
        "UPDATE SET right_forms = excluded.right_forms, allow_forms = excluded.allow_forms, "
        "valid_from = excluded.valid_from, valid_until = excluded.valid_until, severity = "
        "excluded.severity, category = excluded.category, note = excluded.note, disabled = "
        "0, created_by = excluded.created_by, updated_at = excluded.updated_at",
        "tttttItttii", tmp.wrong, str_empty(tmp.right) ? NULL : tmp.right,
        str_empty(tmp.allow) ? NULL : tmp.allow, from[0] ? from : NULL, until[0] ? until : NULL,
        (int)tmp.severity, str_empty(tmp.category) ? NULL : tmp.category,
        str_empty(tmp.note) ? NULL : tmp.note, by, now, now);
}

enum rc wording_db_remove(struct store *db, const struct clk *clk, const char *wrong,
                          const char *by, const struct wording_dict *files, const char **what,
                          struct err *err)
{
    *what = NULL;
    bool in_files = false;
    for (size_t i = 0; files && i < files->n && !in_files; i++)
        in_files = files->e[i]->prio != WORDING_DB && !strcmp(files->e[i]->wrong, wrong);
    int64_t disabled = -1;
    enum rc rc = store_get_int(db, &disabled, err,
                               "SELECT disabled FROM wording_entries WHERE wrong = ?", "t", wrong);
    if (rc && rc != RC_NOTFOUND)
        return rc;
    if (disabled == 1)
        return err_set(err, RC_CONFLICT,
                       "'%s' is already switched off; 'govsite wording enable' turns "
                       "it back on",
                       wrong);
    if (disabled < 0 && !in_files)
        return err_set(err, RC_NOTFOUND, "no wording entry for '%s'; see 'govsite wording list'",
                       wrong);
    if ((rc = store_begin(db, err)))
        return rc;
    rc = store_exec(db, err, "DELETE FROM wording_entries WHERE wrong = ?", "t", wrong);
    int64_t now = clk_now(clk);
    if (!rc && in_files)
        rc = store_exec(
            db, err,
            "INSERT INTO wording_entries (wrong, disabled, created_by, created_at, updated_at) "
            "VALUES (?, 1, ?, ?, ?)",
            "ttii", wrong, by, now, now);
    if (!rc)
        rc = store_commit(db, err);
    else
        store_rollback(db);
    if (!rc)
        *what = in_files ? "disabled" : "removed";
    return rc;
}

enum rc wording_db_enable(struct store *db, const char *wrong, struct err *err)
{
    struct stmt *st =
        store_q(db, "DELETE FROM wording_entries WHERE wrong = ? AND disabled = 1", "t", wrong);
    while (stmt_next(st))
        ;
    int64_t n = stmt_changes(st);
    enum rc rc = stmt_done(st, err);
    if (!rc && !n)
        rc = err_set(err, RC_NOTFOUND, "'%s' is not switched off", wrong);
    return rc;
}

/* ---- the page check -------------------------------------------------------------- */

#define EXCERPTS      3
#define EXCERPT_CHARS 20

enum rc wording_check_page(struct check_session *s, const struct wording_dict *d,
                           const struct wording_page *pg, int32_t today, struct wording_hits *h,
                           int *nfound, struct err *err)
{
    if (nfound)
        *nfound = 0;
    int32_t day = pg->date != DATE_NONE ? pg->date : today;
    size_t nh = wording_scan(d, pg->text, pg->n, day, h);
    if (!nh)
        return RC_OK;
    /* Group the hits by entry, in order of first occurrence. */
    struct map groups = MAP_INIT;
    size_t *first = xmalloc(nh * sizeof(size_t)), ng = 0;
    size_t *count = xcalloc(nh, sizeof(size_t));
    for (size_t i = 0; i < nh; i++) {
        const struct wording_entry *e = h->v[i].e;
        bool created;
        void **slot = map_slot(&groups, &e, sizeof(e), &created);
        if (created) {
            first[ng] = i;
            *slot = (void *)(uintptr_t)(ng + 1);
            ng++;
        }
        count[(uintptr_t)*slot - 1]++;
    }
    enum rc rc = RC_OK;
    for (size_t g = 0; g < ng && !rc; g++) {
        const struct wording_entry *e = h->v[first[g]].e;
        struct buf ev = BUF_INIT, sum = BUF_INIT;
        struct jw w;
        jw_init(&w, &ev, false);
        jw_obj(&w);
        jw_kstr(&w, "url", pg->url);
        jw_kstr(&w, "title", pg->title);
        jw_kdate(&w, "page_date", pg->date);
        jw_kdate(&w, "judged_as_of", day);
        jw_kstr(&w, "wrong", e->wrong);
        jw_kstr(&w, "right", e->right);
        jw_kstr(&w, "severity", check_severity_name(e->severity));
        jw_kstr(&w, "category", e->category);
        jw_kdate(&w, "from", e->from);
        jw_kdate(&w, "until", e->until);
        jw_kstr(&w, "entry", e->source);
        jw_kint(&w, "count", (int64_t)count[g]);
        jw_key(&w, "excerpts");
        jw_arr(&w);
        size_t shown = 0;
        for (size_t i = first[g]; i < nh && shown < EXCERPTS; i++) {
            if (h->v[i].e != e)
                continue;
            struct buf before = BUF_INIT, after = BUF_INIT;
            wording_excerpt(pg->text, pg->n, h->v[i].off, h->v[i].len, EXCERPT_CHARS, &before,
                            &after);
            jw_obj(&w);
            jw_kint(&w, "offset", (int64_t)h->v[i].off);
            jw_kint(&w, "char", (int64_t)h->v[i].chars);
            jw_kstr(&w, "before", buf_cstr(&before));
            jw_kstr(&w, "after", buf_cstr(&after));
            jw_end(&w);
            buf_release(&before);
            buf_release(&after);
            shown++;
        }
        jw_end(&w);
        jw_end(&w);
        jw_finish(&w);
        if (e->right[0]) {
            struct str alts = str_of(e->right), first_alt;
            str_split(&alts, '|', &first_alt);
            buf_addf(&sum, "“%s”应为“%.*s”", e->wrong, (int)first_alt.n, first_alt.p);
        } else {
            buf_addf(&sum, "“%s”为错误表述", e->wrong);
        }
        if (e->from != DATE_NONE) {
            buf_adds(&sum, "（自");
            date_fmt_cn(e->from, &sum);
            buf_adds(&sum, "起）");
        }
        buf_addf(&sum, "，本页出现%zu处", count[g]);
        struct check_finding f = {
            .kind = "wording",
            .column_id = pg->column_id,
            .unit_id = pg->unit_id,
            .url = pg->url,
            .subject = e->wrong,
            .evidence = buf_cstr(&ev),
            .summary = buf_cstr(&sum),
            .severity = e->severity,
            .has_value = true,
            .value = (int64_t)count[g],
        };
        rc = check_report(s, &f, NULL, err);
        if (!rc && nfound)
            (*nfound)++;
        buf_release(&ev);
        buf_release(&sum);
    }
    map_release(&groups, NULL);
    free(first);
    free(count);
    return rc;
}

void wording_entry_json(struct jw *w, const struct wording_entry *e, const char *state)
{
    char from[11] = "", until[11] = "";
    if (e->from != DATE_NONE)
        date_fmt(e->from, from);
    if (e->until != DATE_NONE)
        date_fmt(e->until, until);
    jw_obj(w);
    jw_kstr(w, "wrong", e->wrong);
    jw_kstr(w, "right", e->right);
    jw_kstr(w, "allow", e->allow);
    jw_kstr(w, "from", from[0] ? from : NULL);
    jw_kstr(w, "until", until[0] ? until : NULL);
    jw_kstr(w, "severity", check_severity_name(e->severity));
    jw_kstr(w, "category", e->category);
    jw_kstr(w, "note", e->note);
    jw_kstr(w, "source", e->source);
    jw_kstr(w, "state", state);
    jw_end(w);
}
