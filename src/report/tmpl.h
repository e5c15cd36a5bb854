/* tmpl.h - templates for the fixed paragraphs an office writes itself.
 *
 * A template (data/report/NAME.tmpl, embedded and overridable through core/res.h) is
 * text with headings, paragraphs, placeholders, conditional sections and lists.  It is
 * not expanded into a string: tmpl_render() appends headings and paragraphs to a
 * document (doc.h), and every value becomes a run of that document, so values are
 * escaped by each renderer like any other text and can never become markup or
 * structure.  The syntax (docs/report-formats.md, "Templates"):
 *
 *   # 标题            a heading: # 一、  ## （一）  ### 1.  #### （1）, numbered by the
 *                     document, continuing the numbering the content code started
 *   ## 标题。          a heading followed directly by text lines (no blank line) is run-in:
 *   正文……            "（一）标题。正文……" in one paragraph
 *   text lines        consecutive lines form one paragraph, joined without a space;
 *                     a blank line ends it
 *   **bold**          bold text (values inside are bold too)
 *   {{name}}          a value; numbers become figure runs.  {{name:md}} 12月1日,
 *                     {{name:ym}} 2018年11月, {{name:y}} 2018 for dates, {{name:cn}}
 *                     十二 for integers
 *   {{#if name}} … {{else}} … {{/if}}     shown when the value is non-empty, non-zero,
 *   {{#unless name}} … {{/unless}}        true, or a non-empty list
 *   {{#each list}} … {{#sep}}、{{/sep}} … {{else}} … {{/each}}
 *                     the body once per item with the item's fields in scope, {{@n}} the
 *                     item's number from 1, {{#sep}} text between items, {{else}} when
 *                     the list is empty
 *   {{! comment }}    ignored
 *   \{  \*  \#  \\    a literal {, *, # or backslash
 *
 * Leading and trailing blanks of each line are ignored; a line holding only section
 * tags ({{#if}}, {{/if}}, {{else}}, {{#each}}, comments ...) produces no line.
 *
 * Errors name the template and line ("report/monthly.tmpl:12: ..."): unknown
 * placeholders (checked for every branch, taken or not, and for list bodies against the
 * first item), unclosed or mismatched sections, bad formats.  Limits: 1 MiB of template,
 * 32 nested sections, 100000 pieces of output (RC_LIMIT).
 *
 * Ownership: templates and variables live in the caller's arena and are freed with it.
 */
#ifndef REPORT_TMPL_H
#define REPORT_TMPL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "core/arena.h"
#include "core/err.h"
#include "report/doc.h"

struct tmpl;
struct tmpl_vars;
struct tmpl_list;

/* Parse `text` (n bytes) named `name` (used in messages).  RC_PARSE with file:line on a
 * syntax error, RC_LIMIT when too large or nested too deeply. */
enum rc tmpl_parse(struct arena *a, const char *name, const char *text, size_t n, struct tmpl **out,
                   struct err *err);
/* Load a template resource ("report/monthly.tmpl": the override in the data directory,
 * else the embedded copy) and parse it. */
enum rc tmpl_load(struct arena *a, const char *res_name, struct tmpl **out, struct err *err);

/* Variables.  Setting a name again replaces its value.  Strings are copied. */
struct tmpl_vars *tmpl_vars_new(struct arena *a);
void tmpl_set_str(struct tmpl_vars *v, const char *name, const char *s);
void tmpl_set_int(struct tmpl_vars *v, const char *name, int64_t n);        /* a figure */
void tmpl_set_num(struct tmpl_vars *v, const char *name, const char *text); /* a figure: "100%" */
void tmpl_set_bool(struct tmpl_vars *v, const char *name, bool b);
void tmpl_set_date(struct tmpl_vars *v, const char *name, int32_t day); /* DATE_NONE is false */
/* A list; add items with tmpl_list_add, whose fields are looked up before the outer
 * variables. */
struct tmpl_list *tmpl_set_list(struct tmpl_vars *v, const char *name);
struct tmpl_vars *tmpl_list_add(struct tmpl_list *l);

/* Append the template's blocks to d's current part.  On error nothing is appended. */
enum rc tmpl_render(const struct tmpl *t, const struct tmpl_vars *v, struct doc *d,
                    struct err *err);

#endif
