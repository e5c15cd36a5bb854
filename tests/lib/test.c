/* test.c - the unit-test runner (see test.h). */
#include "test.h"

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "core/buf.h"
#include "core/date.h"
#include "core/log.h"
#include "core/str.h"

#define T(name) void test_##name(void);
#include "test-list.h"
#undef T

static const struct {
    const char *name;
    void (*fn)(void);
} tests[] = {
#define T(name) { #name, test_##name },
#include "test-list.h"
#undef T
};

static jmp_buf jb;
static struct arena arena;
static char tmpdir[512];
static struct clk clock_;
static uint64_t rng_state;
static int verbose;

void t_fail(const char *file, int line, const char *fmt, ...)
{
    va_list ap;
    fprintf(stdout, "    %s:%d: ", file, line);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
    fflush(stdout);
    longjmp(jb, 1);
}

void t_note(const char *fmt, ...)
{
    if (!verbose)
        return;
    va_list ap;
    fputs("    # ", stdout);
    va_start(ap, fmt);
    vfprintf(stdout, fmt, ap);
    va_end(ap);
    fputc('\n', stdout);
}

struct arena *t_arena(void)
{
    return &arena;
}

const char *t_tmpdir(void)
{
    return tmpdir;
}

const char *t_path(const char *name)
{
    return arena_fmt(&arena, "%s/%s", tmpdir, name);
}

struct clk *t_clk(void)
{
    return &clock_;
}

uint64_t t_rand(void)
{
    /* xorshift64* */
    rng_state ^= rng_state >> 12;
    rng_state ^= rng_state << 25;
    rng_state ^= rng_state >> 27;
    return rng_state * 2685821657736338717ULL;
}

const char *t_write(const char *name, const char *content, size_t n)
{
    const char *p = t_path(name);
    FILE *f = fopen(p, "wb");
    if (!f)
        t_fail(__FILE__, __LINE__, "cannot create %s: %s", p, strerror(errno));
    if (n && fwrite(content, 1, n, f) != n)
        t_fail(__FILE__, __LINE__, "cannot write %s", p);
    fclose(f);
    return p;
}

void t_golden(const char *file, int line, const char *rel, const char *actual, size_t n)
{
    char path[1024];
    snprintf(path, sizeof(path), "tests/data/%s", rel);
    const char *upd = getenv("UPDATE_GOLDEN");
    if (upd && *upd && strcmp(upd, "0")) {
        FILE *f = fopen(path, "wb");
        if (!f)
            t_fail(file, line, "cannot write golden file %s", path);
        fwrite(actual, 1, n, f);
        fclose(f);
        return;
    }
    struct buf want = BUF_INIT;
    struct err e = { 0 };
    if (buf_read_file(&want, path, &e))
        t_fail(file, line, "golden file %s missing (run with UPDATE_GOLDEN=1 to create it)", path);
    if (want.n == n && !memcmp(want.p, actual, n)) {
        buf_release(&want);
        return;
    }
    /* Find the first differing line. */
    const char *a = actual, *w = buf_cstr(&want);
    int ln = 1;
    size_t i = 0;
    while (i < n && i < want.n && a[i] == w[i]) {
        if (a[i] == '\n')
            ln++;
        i++;
    }
    size_t as = i, ws = i;
    while (as > 0 && a[as - 1] != '\n')
        as--;
    while (ws > 0 && w[ws - 1] != '\n')
        ws--;
    const char *ae = memchr(a + as, '\n', n - as);
    const char *we = memchr(w + ws, '\n', want.n - ws);
    int al = (int)((ae ? ae : a + n) - (a + as));
    int wl = (int)((we ? we : w + want.n) - (w + ws));
    static char msg[4096];
    snprintf(msg, sizeof(msg), "%.*s", wl, w + ws);
    buf_release(&want);
    t_fail(file, line, "output differs from %s at line %d:\n    got:  %.*s\n    want: %s\n    (UPDATE_GOLDEN=1 rewrites it)",
           path, ln, al, a + as, msg);
}

static int rm_cb(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
    (void)sb, (void)flag, (void)ftw;
    return remove(p);
}

static void setup(const char *name)
{
    arena_reset(&arena);
    const char *base = getenv("TMPDIR");
    snprintf(tmpdir, sizeof(tmpdir), "%s/govsite-t-%s-XXXXXX", base && *base ? base : "/tmp",
             name);
    if (!mkdtemp(tmpdir)) {
        fprintf(stderr, "cannot create temporary directory %s\n", tmpdir);
        exit(2);
    }
    clk_init(&clock_);
    clock_.fixed = true;
    time_parse("2018-12-01 09:00", TZ_CST, &clock_.at, NULL);
    rng_state = 0x9E3779B97F4A7C15ULL;
}

static void teardown(int passed)
{
    if (passed || getenv("KEEP_TMP") == NULL)
        nftw(tmpdir, rm_cb, 16, FTW_DEPTH | FTW_PHYS);
}

/* Run one test in this process; returns 1 if it passed. */
static int run_one(size_t i)
{
    setup(tests[i].name);
    int ok = 0;
    if (!setjmp(jb)) {
        tests[i].fn();
        ok = 1;
    }
    teardown(ok);
    return ok;
}

int main(int argc, char **argv)
{
    const char *filter = NULL;
    int fork_mode = 1;
    for (int i = 1; i < argc; i++) {
        if (!strcmp(argv[i], "-k") && i + 1 < argc)
            filter = argv[++i];
        else if (!strcmp(argv[i], "--no-fork"))
            fork_mode = 0;
        else if (!strcmp(argv[i], "-v"))
            verbose = 1;
        else {
            fprintf(stderr, "usage: %s [-k SUBSTR] [--no-fork] [-v]\n", argv[0]);
            return 2;
        }
    }
    log_set_level(getenv("TEST_LOG") ? LOG_DEBUG : LOG_OFF);
    int timeout = 120;
    const char *ts = getenv("TEST_TIMEOUT");
    if (ts)
        cstr_to_int(ts, 1, 100000, &timeout);
    size_t n = sizeof(tests) / sizeof(tests[0]);
    int passed = 0, failed = 0;
    for (size_t i = 0; i < n; i++) {
        if (filter && !strstr(tests[i].name, filter))
            continue;
        int ok;
        struct timespec t0, t1;
        clock_gettime(CLOCK_MONOTONIC, &t0);
        fflush(stdout);
        if (fork_mode) {
            pid_t pid = fork();
            if (pid == 0) {
                alarm((unsigned)timeout);
                _exit(run_one(i) ? 0 : 1);
            }
            int st = 0;
            waitpid(pid, &st, 0);
            ok = WIFEXITED(st) && WEXITSTATUS(st) == 0;
            if (WIFSIGNALED(st))
                printf("    killed by signal %d%s\n", WTERMSIG(st),
                       WTERMSIG(st) == SIGALRM ? " (timeout)" : "");
            else if (WIFEXITED(st) && WEXITSTATUS(st) > 1)
                printf("    exited with status %d\n", WEXITSTATUS(st));
        } else {
            ok = run_one(i);
        }
        clock_gettime(CLOCK_MONOTONIC, &t1);
        double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
        if (ok) {
            passed++;
            printf("ok   %s%s\n", tests[i].name, ms > 2000 ? " (slow)" : "");
        } else {
            failed++;
            printf("FAIL %s\n", tests[i].name);
        }
    }
    arena_release(&arena);
    printf("%d passed, %d failed\n", passed, failed);
    return failed ? 1 : 0;
}
