/* html.c - the page layout, HTML helpers and server-drawn SVG charts (web.h). */
#include <math.h>
#include <stdarg.h>
#include <string.h>

#include "core/esc.h"
#include "core/utf8.h"
#include "web/web_int.h"

void web_e(struct web_req *r, const char *s)
{
    esc_html(&r->out, s);
}

void web_raw(struct web_req *r, const char *s)
{
    buf_adds(&r->out, s);
}

void web_rawf(struct web_req *r, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(&r->out, fmt, ap);
    va_end(ap);
}

void web_csrf_field(struct web_req *r)
{
    if (!r->csrf)
        return;
    web_raw(r, "<input type=\"hidden\" name=\"csrf\" value=\"");
    web_e(r, r->csrf);
    web_raw(r, "\">");
}

void web_link(struct web_req *r, const char *href, const char *label)
{
    web_raw(r, "<a href=\"");
    web_e(r, href);
    web_raw(r, "\">");
    web_e(r, label);
    web_raw(r, "</a>");
}

void web_layout_begin(struct web_req *r, const char *title, const char *nav)
{
    buf_reset(&r->out);
    const struct web__asset *css = web__asset(r->srv, "app.css");
    const struct web__asset *js = web__asset(r->srv, "app.js");
    web_raw(r, "<!doctype html>\n<html lang=\"zh-CN\"><head><meta charset=\"utf-8\">"
               "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
               "<title>");
    web_e(r, title);
    web_raw(r, " · 政府网站内容保障</title>");
    web_raw(r, "<link rel=\"icon\" href=\"/static/favicon.svg\" type=\"image/svg+xml\">");
    web_rawf(r, "<link rel=\"stylesheet\" href=\"/static/app.css?v=%s\">", css ? css->etag : "");
    web_rawf(r, "<script defer src=\"/static/app.js?v=%s\"></script>", js ? js->etag : "");
    web_raw(r, "</head><body><header class=\"top\"><a class=\"brand\" href=\"/\">"
               "政府网站内容保障</a>");
    if (r->user) {
        web_raw(r, "<nav aria-label=\"主导航\"><ul>");
        for (const struct web_nav *n = web_navs; n->key; n++) {
            if (!(n->roles & r->user->role))
                continue;
            web_raw(r, "<li><a href=\"");
            web_e(r, n->href);
            web_raw(r, "\"");
            if (nav && !strcmp(nav, n->key))
                web_raw(r, " class=\"current\" aria-current=\"page\"");
            web_raw(r, ">");
            web_e(r, n->label);
            web_raw(r, "</a></li>");
        }
        web_raw(r, "</ul></nav><div class=\"account\"><span class=\"who\">");
        web_e(r, r->user->name);
        web_raw(r, " <small>");
        web_e(r, auth_role_label(r->user->role));
        if (r->user->unit_name) {
            web_raw(r, " · ");
            web_e(r, r->user->unit_name);
        }
        web_raw(r, "</small></span>");
        if (r->csrf) {
            web_raw(r, "<form method=\"post\" action=\"/logout\" class=\"inline\">");
            web_csrf_field(r);
            web_raw(r, "<button type=\"submit\" class=\"link\">退出</button></form>");
        }
        web_raw(r, "</div>");
    }
    web_raw(r, "</header><main>");
}

enum rc web_layout_end(struct web_req *r)
{
    web_raw(r, "</main><footer>govsite " GOVSITE_VERSION "</footer></body></html>\n");
    return web_send(r, 200, "text/html; charset=utf-8");
}

void web_pager(struct web_req *r, const struct web_page *pg, const char *const *keep)
{
    int64_t pages = pg->total ? (pg->total + pg->per_page - 1) / pg->per_page : 0;
    web_rawf(r, "<nav class=\"pager\" aria-label=\"分页\"><span>共 %lld 条", (long long)pg->total);
    if (pages > 1)
        web_rawf(r, "，第 %lld / %lld 页", (long long)pg->page, (long long)pages);
    web_raw(r, "</span>");
    for (int dir = -1; dir <= 1; dir += 2) {
        int64_t to = pg->page + dir;
        if (to < 1 || to > pages)
            continue;
        struct buf b = BUF_INIT;
        buf_addf(&b, "%s?page=%lld", r->path, (long long)to);
        for (int i = 0; keep && keep[i]; i++) {
            const char *v = web_query(r, keep[i]);
            if (v && *v) {
                buf_addf(&b, "&%s=", keep[i]);
                esc_url(&b, v);
            }
        }
        web_raw(r, " ");
        web_link(r, b.p, dir < 0 ? "上一页" : "下一页");
        buf_release(&b);
    }
    web_raw(r, "</nav>");
}

/* ---- SVG charts ---------------------------------------------------------------------- */

static const char *const palette[] = { "#2f6db5", "#d9822b", "#3a9a5b",
                                       "#b33a3a", "#7a5cad", "#5b7083" };

/* A "nice" upper bound for the axis: 1, 2 or 5 times a power of ten. */
static double nice_max(double v)
{
    if (!(v > 0))
        return 1;
    double p = pow(10, floor(log10(v)));
    for (int i = 0; i < 3; i++) {
        static const double m[] = { 1, 2, 5 };
        if (m[i] * p >= v)
            return m[i] * p;
    }
    return 10 * p;
}

static void fmt_num(struct buf *b, double v)
{
    if (v == floor(v) && fabs(v) < 1e15)
        buf_addf(b, "%.0f", v);
    else
        buf_addf(b, "%.1f", v);
}

struct frame {
    int w, h, left, right, top, bottom;
    double max;
};

static void frame_begin(struct buf *b, const struct web_chart *c, struct frame *f)
{
    f->w = c->width > 0 ? c->width : 640;
    f->h = c->height > 0 ? c->height : 240;
    f->left = 48;
    f->right = 12;
    f->top = c->nseries > 1 ? 28 : 12;
    f->bottom = 48;
    double max = 0;
    for (size_t s = 0; s < c->nseries; s++)
        for (size_t i = 0; i < c->n; i++)
            if (isfinite(c->series[s].v[i]) && c->series[s].v[i] > max)
                max = c->series[s].v[i];
    f->max = nice_max(max);
    buf_addf(b,
             "<svg class=\"chart\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %d %d\" "
             "width=\"%d\" height=\"%d\" role=\"img\" aria-label=\"",
             f->w, f->h, f->w, f->h);
    esc_xml(b, c->title);
    buf_adds(b, "\"><title>");
    esc_xml(b, c->title);
    buf_adds(b, "</title>");
    /* grid and y labels: 0, 1/4 ... max */
    int ph = f->h - f->top - f->bottom;
    for (int i = 0; i <= 4; i++) {
        double y = f->top + ph - ph * i / 4.0;
        buf_addf(b, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>", f->left,
                 f->w - f->right, y, y);
        buf_addf(b,
                 "<text x=\"%d\" y=\"%.1f\" font-size=\"11\" text-anchor=\"end\" "
                 "fill=\"#555\">",
                 f->left - 4, y + 4);
        fmt_num(b, f->max * i / 4);
        buf_adds(b, "</text>");
    }
    /* legend */
    if (c->nseries > 1) {
        int x = f->left;
        for (size_t s = 0; s < c->nseries; s++) {
            buf_addf(b, "<rect x=\"%d\" y=\"8\" width=\"10\" height=\"10\" fill=\"%s\"/>", x,
                     palette[s % 6]);
            buf_addf(b, "<text x=\"%d\" y=\"17\" font-size=\"11\" fill=\"#333\">", x + 14);
            esc_xml(b, c->series[s].name);
            buf_adds(b, "</text>");
            x += 24 + 12 * (int)(c->series[s].name ? strlen(c->series[s].name) / 2 + 2 : 2);
        }
    }
}

/* Category labels are turned 30° when the widest would not fit its slot. */
static bool tilt_labels(const struct web_chart *c, double slot)
{
    size_t widest = 0;
    for (size_t i = 0; c->labels && i < c->n; i++) {
        size_t w = c->labels[i] ? utf8_count(c->labels[i], strlen(c->labels[i])) : 0;
        if (w > widest)
            widest = w;
    }
    return (double)widest * 11.0 > slot;
}

static void x_label(struct buf *b, const struct web_chart *c, size_t i, double x, int y, bool tilt)
{
    if (tilt)
        buf_addf(b,
                 "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"end\" "
                 "transform=\"rotate(-30 %.1f %d)\" fill=\"#333\">",
                 x, y, x, y);
    else
        buf_addf(b,
                 "<text x=\"%.1f\" y=\"%d\" font-size=\"11\" text-anchor=\"middle\" "
                 "fill=\"#333\">",
                 x, y);
    esc_xml(b, c->labels ? c->labels[i] : "");
    buf_adds(b, "</text>");
}

void web_svg_bar(struct buf *b, const struct web_chart *c)
{
    struct frame f;
    frame_begin(b, c, &f);
    int pw = f.w - f.left - f.right, ph = f.h - f.top - f.bottom;
    double slot = c->n ? (double)pw / (double)c->n : pw;
    double bw = c->nseries ? slot * 0.8 / (double)c->nseries : 0;
    bool tilt = tilt_labels(c, slot);
    for (size_t i = 0; i < c->n; i++) {
        for (size_t s = 0; s < c->nseries; s++) {
            double v = c->series[s].v[i];
            if (!isfinite(v) || v < 0)
                v = 0;
            double h = ph * v / f.max;
            double x = f.left + slot * (double)i + slot * 0.1 + bw * (double)s;
            buf_addf(b,
                     "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" height=\"%.1f\" "
                     "fill=\"%s\"><title>",
                     x, f.top + ph - h, bw > 1 ? bw - 1 : bw, h, palette[s % 6]);
            esc_xml(b, c->labels ? c->labels[i] : "");
            buf_adds(b, ": ");
            fmt_num(b, c->series[s].v[i]);
            buf_adds(b, "</title></rect>");
        }
        x_label(b, c, i, f.left + slot * ((double)i + 0.5), f.h - f.bottom + 16, tilt);
    }
    buf_adds(b, "</svg>");
}

void web_svg_line(struct buf *b, const struct web_chart *c)
{
    struct frame f;
    frame_begin(b, c, &f);
    int pw = f.w - f.left - f.right, ph = f.h - f.top - f.bottom;
    double step = c->n > 1 ? (double)pw / (double)(c->n - 1) : 0;
    for (size_t s = 0; s < c->nseries; s++) {
        buf_addf(b, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" points=\"",
                 palette[s % 6]);
        for (size_t i = 0; i < c->n; i++) {
            double v = c->series[s].v[i];
            if (!isfinite(v) || v < 0)
                v = 0;
            buf_addf(b, "%s%.1f,%.1f", i ? " " : "", f.left + step * (double)i,
                     f.top + ph - ph * v / f.max);
        }
        buf_adds(b, "\"/>");
    }
    /* Label at most ~12 ticks so long series stay readable. */
    size_t every = c->n > 12 ? (c->n + 11) / 12 : 1;
    bool tilt = tilt_labels(c, step * (double)every);
    for (size_t i = 0; i < c->n; i += every)
        x_label(b, c, i, f.left + step * (double)i, f.h - f.bottom + 16, tilt);
    buf_adds(b, "</svg>");
}
