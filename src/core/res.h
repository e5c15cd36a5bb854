/* res.h - data files shipped with govsite: schema migrations, the holiday table, the
 * wording dictionaries, web assets, report templates and form definitions.
 *
 * Every file under data/{schema,holidays,wording,web,forms,report,weblog,checks}/ is
 * compiled into the binary (tools/embed.c), so a copied binary works alone.  An office
 * can override any of them without recompiling by putting a file of the same relative
 * name in the data directory: `data_dir` in the configuration, else $GOVSITE_DATA, else
 * the installed DATADIR (/usr/local/share/govsite).  res_get() looks there first.
 */
#ifndef CORE_RES_H
#define CORE_RES_H

#include <stdbool.h>
#include <stddef.h>

#include "core/buf.h"
#include "core/err.h"

struct res_file {
    const char *name;          /* relative name, e.g. "schema/0001_registry.sql" */
    const unsigned char *data; /* contents, NUL-terminated */
    size_t len;                /* length without the NUL */
};

/* The embedded table (generated), sorted by name, ending with {NULL}. */
extern const struct res_file res_embedded[];

/* Set the override directory (NULL: $GOVSITE_DATA, then DATADIR). */
void res_set_dir(const char *dir);
const char *res_dir(void);
/* The embedded file, or NULL. */
const struct res_file *res_find_embedded(const char *name);
/* Load a resource into out (appending): the override file if it exists, else the
 * embedded copy.  RC_NOTFOUND names the resource.  *from_file (may be NULL) tells which. */
enum rc res_load(const char *name, struct buf *out, bool *from_file, struct err *err);
/* Names of embedded files starting with prefix, in order; calls fn for each. */
void res_each(const char *prefix, void (*fn)(const struct res_file *f, void *ctx), void *ctx);

/* Names ("wording/x.tsv") of the resources in directory `dir` ("wording/") whose names
 * end with `suffix` (may be ""): the embedded ones and the regular files of the data
 * directory, each once, sorted.  Subdirectories are not searched.  *out gets the array
 * (caller frees it with res_names_free); returns the count. */
size_t res_names(const char *dir, const char *suffix, char ***out);
void res_names_free(char **v, size_t n);

#endif
