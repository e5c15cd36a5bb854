/* fixture_probe.c - loopback HTTP server for probe tests (fixture_probe.h). */
#include "fixture_probe.h"

#include <arpa/inet.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define NPATHS 6
static const char *const paths[NPATHS] = { "/", "/ok", "/redirect", "/missing", "/error", "/slow" };

struct fixture_probe {
    struct MHD_Daemon *d;
    int port;
    atomic_int stopping;
    atomic_long hits[NPATHS];
};

static int path_index(const char *url)
{
    for (int i = 0; i < NPATHS; i++)
        if (!strcmp(url, paths[i]))
            return i;
    return -1;
}

static enum MHD_Result reply(struct MHD_Connection *conn, unsigned status, const char *body,
                             const char *location)
{
    struct MHD_Response *r =
        MHD_create_response_from_buffer(strlen(body), (void *)body, MHD_RESPMEM_PERSISTENT);
    MHD_add_response_header(r, "Content-Type", "text/html; charset=utf-8");
    if (location)
        MHD_add_response_header(r, "Location", location);
    enum MHD_Result ret = MHD_queue_response(conn, status, r);
    MHD_destroy_response(r);
    return ret;
}

static enum MHD_Result handler(void *cls, struct MHD_Connection *conn, const char *url,
                               const char *method, const char *version, const char *upload,
                               size_t *upload_size, void **req)
{
    (void)method;
    (void)version;
    (void)upload;
    (void)upload_size;
    struct fixture_probe *f = cls;
    if (!*req) { /* first call: headers only */
        *req = (void *)1;
        return MHD_YES;
    }
    int i = path_index(url);
    if (i >= 0)
        f->hits[i]++;
    static const char page[] = "<!doctype html><title>示范</title><p>ok</p>";
    switch (i) {
    case 0:
    case 1:
        return reply(conn, MHD_HTTP_OK, page, NULL);
    case 2:
        return reply(conn, MHD_HTTP_FOUND, "", "/ok");
    case 4:
        return reply(conn, MHD_HTTP_INTERNAL_SERVER_ERROR, "error", NULL);
    case 5:
        for (int k = 0; k < 1000 && !f->stopping; k++) {
            struct timespec ts = { 0, 10 * 1000 * 1000 };
            nanosleep(&ts, NULL);
        }
        return reply(conn, MHD_HTTP_OK, page, NULL);
    default:
        return reply(conn, MHD_HTTP_NOT_FOUND, "not found", NULL);
    }
}

struct fixture_probe *fixture_probe_start(void)
{
    struct fixture_probe *f = calloc(1, sizeof(*f));
    if (!f)
        return NULL;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = 0;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    f->d = MHD_start_daemon(MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
                                MHD_USE_ERROR_LOG,
                            0, NULL, NULL, handler, f, MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&sa,
                            MHD_OPTION_CONNECTION_TIMEOUT, (unsigned)30, MHD_OPTION_END);
    if (!f->d) {
        fprintf(stderr, "fixture_probe: cannot start libmicrohttpd on 127.0.0.1\n");
        free(f);
        return NULL;
    }
    const union MHD_DaemonInfo *info = MHD_get_daemon_info(f->d, MHD_DAEMON_INFO_BIND_PORT);
    f->port = info ? info->port : 0;
    if (!f->port) {
        fprintf(stderr, "fixture_probe: no port\n");
        MHD_stop_daemon(f->d);
        free(f);
        return NULL;
    }
    return f;
}

int fixture_probe_port(const struct fixture_probe *f)
{
    return f->port;
}

long fixture_probe_hits(const struct fixture_probe *f, const char *path)
{
    int i = path_index(path);
    return i >= 0 ? f->hits[i] : 0;
}

void fixture_probe_stop(struct fixture_probe *f)
{
    if (!f)
        return;
    f->stopping = 1;
    MHD_stop_daemon(f->d);
    free(f);
}

int fixture_refused_port(void)
{
    int s = socket(AF_INET, SOCK_STREAM, 0);
    if (s < 0)
        return 0;
    struct sockaddr_in sa;
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    socklen_t len = sizeof(sa);
    int port = 0;
    if (!bind(s, (struct sockaddr *)&sa, sizeof(sa)) &&
        !getsockname(s, (struct sockaddr *)&sa, &len))
        port = ntohs(sa.sin_port);
    close(s);
    return port;
}
