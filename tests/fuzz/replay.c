/* replay.c - feed every corpus file to its harness (a plain main; part of make check).
 *
 *   build/fuzz-replay tests/fuzz/corpus [NAME]
 * For each harness NAME, every file in CORPUS/NAME/ is one test: it passes when the
 * harness returns without crashing (crashes abort the whole run, which the summary then
 * reports as a failed suite).
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "core/buf.h"
#include "core/log.h"
#include "fuzz.h"

#define F(name) int fuzz_##name(const uint8_t *, size_t);
#include "fuzz-list.h"
#undef F

static const struct {
    const char *name;
    int (*fn)(const uint8_t *, size_t);
} harnesses[] = {
#define F(name) { #name, fuzz_##name },
#include "fuzz-list.h"
#undef F
    { NULL, NULL }
};

static int cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s CORPUS_DIR [NAME]\n", argv[0]);
        return 2;
    }
    log_set_level(LOG_OFF);
    int passed = 0, failed = 0;
    for (int h = 0; harnesses[h].name; h++) {
        if (argc > 2 && strcmp(argv[2], harnesses[h].name))
            continue;
        char dir[1024];
        snprintf(dir, sizeof(dir), "%s/%s", argv[1], harnesses[h].name);
        DIR *d = opendir(dir);
        if (!d) {
            printf("FAIL %s: no corpus directory %s\n", harnesses[h].name, dir);
            failed++;
            continue;
        }
        char **names = NULL;
        size_t n = 0;
        struct dirent *de;
        while ((de = readdir(d))) {
            if (de->d_name[0] == '.')
                continue;
            names = realloc(names, (n + 1) * sizeof(*names));
            names[n++] = strdup(de->d_name);
        }
        closedir(d);
        qsort(names, n, sizeof(*names), cmp);
        for (size_t i = 0; i < n; i++) {
            char path[2048];
            snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
            struct buf b = BUF_INIT;
            struct err e = { 0 };
            if (buf_read_file(&b, path, &e)) {
                printf("FAIL %s: %s\n", path, err_msg(&e));
                failed++;
            } else {
                fflush(stdout);
                harnesses[h].fn((const uint8_t *)buf_cstr(&b), b.n);
                passed++;
            }
            buf_release(&b);
            free(names[i]);
        }
        free(names);
        printf("ok   %s (%zu inputs)\n", harnesses[h].name, n);
    }
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
