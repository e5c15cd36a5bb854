/* buf.c - growable byte buffer with a cap and a sticky error (see buf.h). */
#include "core/buf.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "core/xalloc.h"

void buf_init(struct buf *b, size_t max)
{
    memset(b, 0, sizeof(*b));
    b->max = max;
}

void buf_release(struct buf *b)
{
    size_t max = b->max;
    free(b->p);
    buf_init(b, max);
}

void buf_reset(struct buf *b)
{
    b->n = 0;
    b->rc = RC_OK;
    if (b->p)
        b->p[0] = 0;
}

char *buf_take(struct buf *b)
{
    char *p = b->p ? b->p : xstrdup("");
    size_t max = b->max;
    buf_init(b, max);
    return p;
}

const char *buf_cstr(const struct buf *b)
{
    return b->p ? b->p : "";
}

enum rc buf_rc(const struct buf *b)
{
    return b->rc;
}

bool buf_grow(struct buf *b, size_t extra)
{
    if (b->rc)
        return false;
    if (b->max && (extra > b->max || b->n > b->max - extra)) {
        b->rc = RC_LIMIT;
        return false;
    }
    b->p = xgrow(b->p, &b->cap, b->n + extra + 1, 1);
    return true;
}

void buf_add(struct buf *b, const void *p, size_t n)
{
    if (!buf_grow(b, n))
        return;
    if (n)
        memcpy(b->p + b->n, p, n);
    b->n += n;
    b->p[b->n] = 0;
}

void buf_adds(struct buf *b, const char *s)
{
    buf_add(b, s, strlen(s));
}

void buf_addc(struct buf *b, char c)
{
    if (!buf_grow(b, 1))
        return;
    b->p[b->n++] = c;
    b->p[b->n] = 0;
}

void buf_vaddf(struct buf *b, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    if (!buf_grow(b, 64)) {
        va_end(ap2);
        return;
    }
    int n = vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap);
    if (n < 0) {
        va_end(ap2);
        return;
    }
    if ((size_t)n >= b->cap - b->n) {
        if (!buf_grow(b, (size_t)n)) {
            b->p[b->n] = 0;
            va_end(ap2);
            return;
        }
        vsnprintf(b->p + b->n, b->cap - b->n, fmt, ap2);
    }
    if (b->max && b->n + (size_t)n > b->max) {
        b->p[b->n] = 0;
        b->rc = RC_LIMIT;
    } else {
        b->n += (size_t)n;
    }
    va_end(ap2);
}

void buf_addf(struct buf *b, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    buf_vaddf(b, fmt, ap);
    va_end(ap);
}

void buf_addbuf(struct buf *b, const struct buf *src)
{
    buf_add(b, buf_cstr(src), src->n);
}

void buf_truncate(struct buf *b, size_t n)
{
    if (n < b->n) {
        b->n = n;
        b->p[n] = 0;
    }
}

void buf_rtrim(struct buf *b)
{
    while (b->n && (b->p[b->n - 1] == ' ' || b->p[b->n - 1] == '\t' || b->p[b->n - 1] == '\n' ||
                    b->p[b->n - 1] == '\r'))
        b->n--;
    if (b->p)
        b->p[b->n] = 0;
}

enum rc buf_read_file(struct buf *b, const char *path, struct err *err)
{
    int fd = strcmp(path, "-") ? open(path, O_RDONLY | O_CLOEXEC) : 0;
    if (fd < 0)
        return err_set(err, RC_IO, "cannot open '%s': %s", path, strerror(errno));
    char tmp[65536];
    for (;;) {
        ssize_t r = read(fd, tmp, sizeof(tmp));
        if (r < 0) {
            if (errno == EINTR)
                continue;
            int e = errno;
            if (fd)
                close(fd);
            return err_set(err, RC_IO, "cannot read '%s': %s", path, strerror(e));
        }
        if (r == 0)
            break;
        buf_add(b, tmp, (size_t)r);
        if (b->rc) {
            if (fd)
                close(fd);
            return err_set(err, RC_LIMIT, "'%s' is larger than the limit of %zu bytes", path,
                           b->max);
        }
    }
    if (fd)
        close(fd);
    return RC_OK;
}

enum rc buf_write_file(const struct buf *b, const char *path, struct err *err)
{
    if (!strcmp(path, "-")) {
        if (b->n && fwrite(buf_cstr(b), 1, b->n, stdout) != b->n)
            return err_set(err, RC_IO, "cannot write to standard output: %s", strerror(errno));
        return fflush(stdout) ? err_set(err, RC_IO, "cannot write to standard output") : RC_OK;
    }
    size_t plen = strlen(path);
    char *tmp = xmalloc(plen + 16);
    snprintf(tmp, plen + 16, "%s.tmp%d", path, (int)getpid());
    int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
    if (fd < 0) {
        enum rc rc = err_set(err, RC_IO, "cannot create '%s': %s", path, strerror(errno));
        free(tmp);
        return rc;
    }
    const char *p = buf_cstr(b);
    size_t left = b->n;
    while (left) {
        ssize_t w = write(fd, p, left);
        if (w < 0 && errno == EINTR)
            continue;
        if (w <= 0) {
            enum rc rc = err_set(err, RC_IO, "cannot write '%s': %s", path, strerror(errno));
            close(fd);
            unlink(tmp);
            free(tmp);
            return rc;
        }
        p += w;
        left -= (size_t)w;
    }
    if (fsync(fd) < 0 || close(fd) < 0 || rename(tmp, path) < 0) {
        enum rc rc = err_set(err, RC_IO, "cannot write '%s': %s", path, strerror(errno));
        unlink(tmp);
        free(tmp);
        return rc;
    }
    free(tmp);
    return RC_OK;
}
