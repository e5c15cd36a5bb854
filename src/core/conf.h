/* conf.h - the configuration file: INI read with inih, kept as "section.key" → value.
 *
 * Files are optional (`--config FILE`, else /etc/govsite/govsite.conf when present).
 * Keys outside any section are in section "general".  Later files and later lines win.
 * The full list of keys is in docs/configuration.md; unknown keys are kept (modules look
 * up their own), and `govsite config check` lists keys no module knows.
 */
#ifndef CORE_CONF_H
#define CORE_CONF_H

#include <stdbool.h>
#include <stdint.h>

#include "core/err.h"
#include "core/map.h"

struct conf {
    struct map kv;   /* "section.key" → char* value (owned) */
    struct map line; /* "section.key" → where it was set, "file:line" (owned) */
};

void conf_init(struct conf *c);
void conf_release(struct conf *c);
/* Read an INI file; errors name file:line.  A line may be up to 1 MiB long (inih's
 * 200-byte default is lifted); a longer one is an error, not read as two lines. */
enum rc conf_load(struct conf *c, const char *path, struct err *err);
/* Set a value (used by tests and command-line overrides). */
void conf_set(struct conf *c, const char *section, const char *key, const char *val);
/* The value, or `def` when absent.  Borrowed: valid until the conf changes. */
const char *conf_get(const struct conf *c, const char *section, const char *key, const char *def);
/* Typed lookups: absent gives def; a malformed value is an error naming file:line. */
enum rc conf_int(const struct conf *c, const char *section, const char *key, int64_t def,
                 int64_t lo, int64_t hi, int64_t *out, struct err *err);
enum rc conf_double(const struct conf *c, const char *section, const char *key, double def,
                    double *out, struct err *err);
enum rc conf_bool(const struct conf *c, const char *section, const char *key, bool def, bool *out,
                  struct err *err);
/* Where a key was set ("govsite.conf:12"), or NULL. */
const char *conf_where(const struct conf *c, const char *section, const char *key);

#endif
