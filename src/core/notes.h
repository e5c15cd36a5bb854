/* notes.h - a bounded list of messages about bad input in bulk.
 *
 * Bad input in bulk is data, not failure (GoAccess): a bad CSV row, log line or feed
 * item is counted, and the first few are kept with their place ("units.csv:7: ...") so
 * the user can fix them.  `total` keeps counting after `max` messages are stored.
 */
#ifndef CORE_NOTES_H
#define CORE_NOTES_H

#include <stddef.h>

#include "core/err.h"

struct notes {
    char **v;     /* stored messages (owned) */
    size_t n;     /* stored */
    size_t cap;   /* allocated */
    size_t max;   /* store at most this many (0 means 20) */
    size_t total; /* all messages added, stored or not */
};

#define NOTES_INIT { 0 }

void notes_add(struct notes *ns, const char *fmt, ...) FMT_PRINTF(2, 3);
void notes_release(struct notes *ns);

#endif
