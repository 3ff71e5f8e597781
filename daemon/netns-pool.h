/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <pthread.h>
#include <stdbool.h>

/* PrivateNetwork= network namespaces made ahead of demand. Making one and bringing its loopback up
 * takes one to two milliseconds of kernel work; the pool's own thread does it, off the event loop, so
 * that a job only enters a ready one (setns) on its way. Each namespace goes to one job only. When the pool
 * is empty (the daemon is busy), confine-exec makes the job's namespace itself, as before. */

#define NETNS_POOL_SIZE 4

typedef struct NetnsPool {
        pthread_t thread;               /* refills the pool */
        pthread_mutex_t lock;           /* fds, n, broken, stopping */
        pthread_cond_t wake;            /* a take, or stopping */
        int home_fd;                    /* the daemon's own network namespace */
        int fds[NETNS_POOL_SIZE];
        unsigned n;
        bool broken;                    /* making one failed: stop trying */
        bool stopping;
        bool initialized;
        bool thread_started;
} NetnsPool;

/* Fills the pool, then starts the thread that refills it after each take. Without /proc the pool stays
 * empty. Never fails: without a pool, confine-exec makes each job's namespace. */
int netns_pool_init(NetnsPool *p);
/* A fresh namespace with lo up, or -EAGAIN if none is ready. The caller owns the fd. */
int netns_pool_take(NetnsPool *p);
/* Stops the thread (waiting for a namespace it is making) and closes what is left. */
void netns_pool_done(NetnsPool *p);
