/* report.c - the table of output formats (see report.h). */
#include "report/report.h"

#include "core/str.h"

/* clang-format off */
const struct report_format report_formats[] = {
    { .name = "docx", .ext = "docx", .binary = true, .render = render_docx,
      .mime = "application/vnd.openxmlformats-officedocument.wordprocessingml.document" },
    { .name = "html", .ext = "html", .binary = false, .render = render_html,
      .mime = "text/html; charset=utf-8" },
    { .name = "md", .ext = "md", .binary = false, .render = render_md,
      .mime = "text/markdown; charset=utf-8" },
    { .name = "xlsx", .ext = "xlsx", .binary = true, .render = render_xlsx,
      .mime = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet" },
    { 0 },
};
/* clang-format on */

const struct report_format *report_format_find(const char *name)
{
    if (!name)
        return NULL;
    for (const struct report_format *f = report_formats; f->name; f++)
        if (!ascii_casecmp(f->name, name))
            return f;
    if (!ascii_casecmp(name, "markdown"))
        return report_format_find("md");
    return NULL;
}

const char *report_format_names(void)
{
    return "docx|html|md|xlsx";
}
