/* test.h - govsite's small test runner (libuv task.h / Redis testhelp.h in spirit).
 *
 *   #include "test.h"
 *   TEST(buf_grows) { struct buf b = BUF_INIT; buf_adds(&b, "x"); ASSERT_EQ_INT(b.n, 1); }
 *
 * Every `TEST(name)` at the start of a line in tests/unit is found by the Makefile
 * (a sed over ^TEST() and run by build/unit-tests, each in its own child process with a
 * timeout, so a crash fails one test, not the run).  A failed assertion prints both
 * sides and file:line and ends the test.  The run ends with "N passed, N failed".
 *
 *   build/unit-tests [-k SUBSTR] [--no-fork] [-v]
 *
 * Helpers give each test a fresh arena, a private temporary directory (removed when the
 * test passes) and a clock fixed at 2018-12-01 09:00 China time.  Set UPDATE_GOLDEN=1 to
 * rewrite golden files instead of comparing.
 */
#ifndef TESTS_TEST_H
#define TESTS_TEST_H

#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "core/arena.h"
#include "core/clk.h"
#include "core/err.h"

#define TEST(name)                                                                               \
    void test_##name(void);                                                                      \
    void test_##name(void)

void t_fail(const char *file, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4))) __attribute__((__noreturn__));
void t_note(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#define ASSERT(c)                                                                                \
    do {                                                                                         \
        if (!(c))                                                                                \
            t_fail(__FILE__, __LINE__, "assertion failed: %s", #c);                              \
    } while (0)
#define ASSERT_TRUE(c) ASSERT(c)
#define ASSERT_FALSE(c) ASSERT(!(c))
#define ASSERT_EQ_INT(a, b)                                                                      \
    do {                                                                                         \
        int64_t a_ = (int64_t)(a), b_ = (int64_t)(b);                                            \
        if (a_ != b_)                                                                            \
            t_fail(__FILE__, __LINE__, "%s == %s: %" PRId64 " != %" PRId64, #a, #b, a_, b_);     \
    } while (0)
#define ASSERT_NE_INT(a, b)                                                                      \
    do {                                                                                         \
        int64_t a_ = (int64_t)(a), b_ = (int64_t)(b);                                            \
        if (a_ == b_)                                                                            \
            t_fail(__FILE__, __LINE__, "%s != %s: both %" PRId64, #a, #b, a_);                   \
    } while (0)
#define ASSERT_EQ_DBL(a, b, eps)                                                                 \
    do {                                                                                         \
        double a_ = (a), b_ = (b);                                                               \
        if (a_ - b_ > (eps) || b_ - a_ > (eps))                                                  \
            t_fail(__FILE__, __LINE__, "%s == %s: %.9g != %.9g", #a, #b, a_, b_);                \
    } while (0)
#define ASSERT_EQ_STR(a, b)                                                                      \
    do {                                                                                         \
        const char *a_ = (a), *b_ = (b);                                                         \
        if (!a_ || !b_ || strcmp(a_, b_))                                                        \
            t_fail(__FILE__, __LINE__, "%s == %s:\n    got:  \"%s\"\n    want: \"%s\"", #a, #b, \
                   a_ ? a_ : "(null)", b_ ? b_ : "(null)");                                      \
    } while (0)
#define ASSERT_CONTAINS(hay, needle)                                                             \
    do {                                                                                         \
        const char *h_ = (hay), *n_ = (needle);                                                  \
        if (!h_ || !strstr(h_, n_))                                                              \
            t_fail(__FILE__, __LINE__, "%s does not contain \"%s\":\n    \"%.2000s\"", #hay, n_, \
                   h_ ? h_ : "(null)");                                                          \
    } while (0)
#define ASSERT_NOT_CONTAINS(hay, needle)                                                         \
    do {                                                                                         \
        const char *h_ = (hay), *n_ = (needle);                                                  \
        if (h_ && strstr(h_, n_))                                                                \
            t_fail(__FILE__, __LINE__, "%s contains \"%s\" but should not", #hay, n_);           \
    } while (0)
#define ASSERT_NULL(p) ASSERT((p) == NULL)
#define ASSERT_NOT_NULL(p) ASSERT((p) != NULL)
/* rc must be RC_OK; on failure prints the error message held in `e` (a struct err). */
#define ASSERT_OK(expr, e)                                                                       \
    do {                                                                                         \
        enum rc r_ = (expr);                                                                     \
        if (r_ != RC_OK)                                                                         \
            t_fail(__FILE__, __LINE__, "%s: %s: %s", #expr, rc_name(r_), err_msg(e));            \
    } while (0)
#define ASSERT_RC(expr, want)                                                                    \
    do {                                                                                         \
        enum rc r_ = (expr), w_ = (want);                                                        \
        if (r_ != w_)                                                                            \
            t_fail(__FILE__, __LINE__, "%s: got %s, want %s", #expr, rc_name(r_), rc_name(w_));  \
    } while (0)

/* Per-test helpers. */
struct arena *t_arena(void);      /* reset before each test */
const char *t_tmpdir(void);       /* a private directory for this test */
const char *t_path(const char *name); /* t_tmpdir()/name, in the arena */
struct clk *t_clk(void);          /* fixed at 2018-12-01 09:00 +08:00 */
/* Compare `actual` with the file tests/data/<rel>; on mismatch fail showing the first
 * differing line.  UPDATE_GOLDEN=1 rewrites the file instead. */
void t_golden(const char *file, int line, const char *rel, const char *actual, size_t n);
#define ASSERT_GOLDEN(rel, s, n) t_golden(__FILE__, __LINE__, (rel), (s), (n))
/* Write a file under t_tmpdir(); returns its path (arena). */
const char *t_write(const char *name, const char *content, size_t n);
/* A deterministic PRNG for property tests. */
uint64_t t_rand(void);

#endif
