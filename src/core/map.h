/* map.h - a hash map from byte-string keys to pointers (open addressing, linear probing).
 *
 * Ownership: the map copies and owns its keys; it does not own the values (pass a
 * `free_val` to map_release() if it should free them).  Pointers returned by map_get()
 * and map_slot() are valid until the next insertion or deletion.
 *
 *   struct map m = MAP_INIT;
 *   map_put(&m, "k", 1, val);
 *   void *v = map_gets(&m, "k");
 *   map_foreach(&m, e) printf("%s\n", e->key);
 *   map_release(&m, NULL);
 */
#ifndef CORE_MAP_H
#define CORE_MAP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct map_ent {
    char *key;     /* owned copy, NUL-terminated; NULL for an empty slot */
    size_t klen;   /* key length in bytes */
    uint64_t hash; /* cached hash */
    void *val;     /* borrowed value */
};

struct map {
    struct map_ent *e; /* slots */
    size_t n;          /* live entries */
    size_t cap;        /* slots, a power of two (0 before the first put) */
    size_t tomb;       /* deleted slots */
};

#define MAP_INIT { 0 }

uint64_t map_hash(const void *key, size_t n); /* 64-bit hash used by the map */

void *map_get(const struct map *m, const void *key, size_t klen); /* NULL when absent */
void *map_gets(const struct map *m, const char *key);
bool map_has(const struct map *m, const void *key, size_t klen);
/* Insert or replace; returns the previous value (NULL if none). */
void *map_put(struct map *m, const void *key, size_t klen, void *val);
void *map_puts(struct map *m, const char *key, void *val);
/* The value slot for key, inserting NULL first when absent; *created tells which. */
void **map_slot(struct map *m, const void *key, size_t klen, bool *created);
/* Remove; returns the value that was stored (NULL if none). */
void *map_del(struct map *m, const void *key, size_t klen);
void map_release(struct map *m, void (*free_val)(void *));

#define map_foreach(mp, it)                                                                      \
    for (struct map_ent *it = (mp)->e; it && it < (mp)->e + (mp)->cap; it++)                     \
        if (it->key && it->key != map__tombstone)

extern char map__tombstone[];

#endif
