/* vec.h - typed growable arrays: `VEC(int) v = VEC_INIT; vec_push(&v, 3);`.
 *
 * A VEC does not own what its elements point to (docs/ARCHITECTURE.md, "Ownership").
 * vec_release() frees the array only.  Elements are addressed as v.v[i], i < v.n.
 */
#ifndef CORE_VEC_H
#define CORE_VEC_H

#include <stdlib.h>

#include "core/xalloc.h"

#define VEC(T)                                                                                   \
    struct {                                                                                     \
        T *v;       /* elements */                                                               \
        size_t n;   /* used */                                                                   \
        size_t cap; /* allocated */                                                              \
    }

#define VEC_INIT { 0 }

#define vec_reserve(vp, want) ((vp)->v = xgrow((vp)->v, &(vp)->cap, (want), sizeof(*(vp)->v)))
#define vec_push(vp, x) (vec_reserve((vp), (vp)->n + 1), (vp)->v[(vp)->n++] = (x))
#define vec_release(vp) (free((vp)->v), (vp)->v = NULL, (vp)->n = (vp)->cap = 0)
#define vec_clear(vp) ((vp)->n = 0)
#define vec_last(vp) ((vp)->v[(vp)->n - 1])
#define vec_foreach(vp, it) for (__typeof__((vp)->v) it = (vp)->v; it && it < (vp)->v + (vp)->n; it++)

#endif
