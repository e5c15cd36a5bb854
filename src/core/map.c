/* map.c - open-addressing hash map with owned keys (see map.h). */
#include "core/map.h"

#include <stdlib.h>
#include <string.h>

#include "core/xalloc.h"

char map__tombstone[1];

uint64_t map_hash(const void *key, size_t n)
{
    /* Eight bytes per step (multiply and fold), then a final avalanche (splitmix64) so
     * linear probing on the low bits behaves.  Keys here are URLs and SQL texts: a
     * byte-at-a-time hash was a visible cost of crawling. */
    const unsigned char *p = key;
    uint64_t h = 0x9E3779B97F4A7C15ULL ^ ((uint64_t)n * 0xff51afd7ed558ccdULL);
    while (n >= 8) {
        uint64_t w;
        memcpy(&w, p, 8);
        h = (h ^ w) * 0xbf58476d1ce4e5b9ULL;
        h ^= h >> 29;
        p += 8;
        n -= 8;
    }
    uint64_t w = 0;
    memcpy(&w, p, n);
    h = (h ^ w ^ ((uint64_t)n << 56)) * 0x94d049bb133111ebULL;
    h ^= h >> 30;
    h *= 0xbf58476d1ce4e5b9ULL;
    h ^= h >> 27;
    h *= 0x94d049bb133111ebULL;
    h ^= h >> 31;
    return h;
}

static struct map_ent *find(const struct map *m, const void *key, size_t klen, uint64_t h)
{
    if (!m->cap)
        return NULL;
    size_t mask = m->cap - 1;
    for (size_t i = h & mask;; i = (i + 1) & mask) {
        struct map_ent *e = &m->e[i];
        if (!e->key)
            return NULL;
        if (e->key != map__tombstone && e->hash == h && e->klen == klen &&
            !memcmp(e->key, key, klen))
            return e;
    }
}

static void rehash(struct map *m, size_t cap)
{
    struct map_ent *old = m->e;
    size_t ocap = m->cap;
    m->e = xcalloc(cap, sizeof(*m->e));
    m->cap = cap;
    m->tomb = 0;
    for (size_t i = 0; i < ocap; i++) {
        if (!old[i].key || old[i].key == map__tombstone)
            continue;
        size_t j = old[i].hash & (cap - 1);
        while (m->e[j].key)
            j = (j + 1) & (cap - 1);
        m->e[j] = old[i];
    }
    free(old);
}

void *map_get(const struct map *m, const void *key, size_t klen)
{
    struct map_ent *e = find(m, key, klen, map_hash(key, klen));
    return e ? e->val : NULL;
}

void *map_gets(const struct map *m, const char *key)
{
    return map_get(m, key, strlen(key));
}

bool map_has(const struct map *m, const void *key, size_t klen)
{
    return find(m, key, klen, map_hash(key, klen)) != NULL;
}

void **map_slot(struct map *m, const void *key, size_t klen, bool *created)
{
    uint64_t h = map_hash(key, klen);
    struct map_ent *e = find(m, key, klen, h);
    if (e) {
        if (created)
            *created = false;
        return &e->val;
    }
    if ((m->n + m->tomb + 1) * 4 >= m->cap * 3)
        rehash(m, m->cap ? (m->n * 2 >= m->cap ? m->cap * 2 : m->cap) : 16);
    size_t mask = m->cap - 1, i = h & mask;
    while (m->e[i].key && m->e[i].key != map__tombstone)
        i = (i + 1) & mask;
    if (m->e[i].key == map__tombstone)
        m->tomb--;
    e = &m->e[i];
    e->key = xmalloc(klen + 1);
    memcpy(e->key, key, klen);
    e->key[klen] = 0;
    e->klen = klen;
    e->hash = h;
    e->val = NULL;
    m->n++;
    if (created)
        *created = true;
    return &e->val;
}

void *map_put(struct map *m, const void *key, size_t klen, void *val)
{
    void **slot = map_slot(m, key, klen, NULL);
    void *old = *slot;
    *slot = val;
    return old;
}

void *map_puts(struct map *m, const char *key, void *val)
{
    return map_put(m, key, strlen(key), val);
}

void *map_del(struct map *m, const void *key, size_t klen)
{
    struct map_ent *e = find(m, key, klen, map_hash(key, klen));
    if (!e)
        return NULL;
    void *v = e->val;
    free(e->key);
    e->key = map__tombstone;
    e->val = NULL;
    m->n--;
    m->tomb++;
    return v;
}

void map_release(struct map *m, void (*free_val)(void *))
{
    for (size_t i = 0; i < m->cap; i++) {
        if (!m->e[i].key || m->e[i].key == map__tombstone)
            continue;
        if (free_val)
            free_val(m->e[i].val);
        free(m->e[i].key);
    }
    free(m->e);
    memset(m, 0, sizeof(*m));
}
