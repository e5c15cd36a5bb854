/* queue.c - a FIFO of intrusive nodes guarded by a mutex and a condition (crawl_int.h). */
#include <time.h>

#include "crawl/crawl_int.h"

void queue_init(struct queue *q)
{
    pthread_mutex_init(&q->mu, NULL);
    pthread_cond_init(&q->cv, NULL);
    q->head = q->tail = NULL;
    q->n = 0;
    q->closed = false;
}

void queue_destroy(struct queue *q)
{
    pthread_mutex_destroy(&q->mu);
    pthread_cond_destroy(&q->cv);
}

void queue_push(struct queue *q, struct qnode *x)
{
    x->next = NULL;
    pthread_mutex_lock(&q->mu);
    if (q->tail)
        q->tail->next = x;
    else
        q->head = x;
    q->tail = x;
    q->n++;
    pthread_cond_signal(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

/* Unlink the head (the lock is held). */
static struct qnode *pop_locked(struct queue *q)
{
    struct qnode *x = q->head;
    if (x) {
        q->head = x->next;
        if (!q->head)
            q->tail = NULL;
        q->n--;
        x->next = NULL;
    }
    return x;
}

/* Unlink everything (the lock is held). */
static struct qnode *take_locked(struct queue *q)
{
    struct qnode *x = q->head;
    q->head = q->tail = NULL;
    q->n = 0;
    return x;
}

struct qnode *queue_pop(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    while (!q->head && !q->closed)
        pthread_cond_wait(&q->cv, &q->mu);
    struct qnode *x = pop_locked(q);
    pthread_mutex_unlock(&q->mu);
    return x;
}

struct qnode *queue_try_pop(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    struct qnode *x = pop_locked(q);
    pthread_mutex_unlock(&q->mu);
    return x;
}

struct qnode *queue_take_all_wait(struct queue *q, int ms)
{
    struct timespec ts;
    clock_gettime(CLOCK_REALTIME, &ts);
    ts.tv_sec += ms / 1000;
    ts.tv_nsec += (long)(ms % 1000) * 1000000L;
    if (ts.tv_nsec >= 1000000000L) {
        ts.tv_sec++;
        ts.tv_nsec -= 1000000000L;
    }
    pthread_mutex_lock(&q->mu);
    while (!q->head && !q->closed)
        if (pthread_cond_timedwait(&q->cv, &q->mu, &ts) != 0)
            break;
    struct qnode *x = take_locked(q);
    pthread_mutex_unlock(&q->mu);
    return x;
}

bool queue_closed(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    bool c = q->closed;
    pthread_mutex_unlock(&q->mu);
    return c;
}

struct qnode *queue_take_all(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    struct qnode *x = take_locked(q);
    pthread_mutex_unlock(&q->mu);
    return x;
}

void queue_close(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    q->closed = true;
    pthread_cond_broadcast(&q->cv);
    pthread_mutex_unlock(&q->mu);
}

size_t queue_len(struct queue *q)
{
    pthread_mutex_lock(&q->mu);
    size_t n = q->n;
    pthread_mutex_unlock(&q->mu);
    return n;
}
