/* fuzz.h - libFuzzer harnesses that also replay in `make check`.
 *
 * A harness is one file tests/fuzz/fuzz_NAME.c with
 *     #include "fuzz.h"
 *     FUZZ(NAME) { ...parse data[0..size)... assert invariants...; return 0; }
 * `make fuzz` links each into build-fuzz/bin/fuzz_NAME (clang, libFuzzer, ASan+UBSan);
 * `make check` replays every file of tests/fuzz/corpus/NAME/ through it with a plain main
 * (tests/fuzz/replay.c).  New crash inputs join the corpus (docs/testing.md).
 * Use FUZZ_ASSERT for invariants: it aborts, which both drivers report.
 */
#ifndef TESTS_FUZZ_H
#define TESTS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#define FUZZ(name)                                                                               \
    int fuzz_##name(const uint8_t *data, size_t size);                                           \
    int fuzz_##name(const uint8_t *data, size_t size)

#define FUZZ_ASSERT(c)                                                                           \
    do {                                                                                         \
        if (!(c)) {                                                                              \
            fprintf(stderr, "%s:%d: fuzz invariant failed: %s\n", __FILE__, __LINE__, #c);       \
            abort();                                                                             \
        }                                                                                        \
    } while (0)

#endif
