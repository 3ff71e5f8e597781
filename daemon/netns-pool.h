/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <systemd/sd-event.h>

/* PrivateNetwork= network namespaces made ahead of demand. Making one and bringing its loopback up
 * takes one to two milliseconds of kernel work; the pool does it while the daemon is idle, so that a
 * job only enters a ready one (setns) on its way. Each namespace goes to one job only. When the pool
 * is empty (the daemon is busy), confine-exec makes the job's namespace itself, as before. */

#define NETNS_POOL_SIZE 4

typedef struct NetnsPool {
        sd_event_source *refill;
        int home_fd;                    /* the daemon's own network namespace */
        int fds[NETNS_POOL_SIZE];
        unsigned n;
        bool broken;                    /* making one failed: stop trying */
} NetnsPool;

/* Fills the pool, then refills it at idle priority after each take. Without /proc the pool stays empty;
 * only a failure of sd-event is an error. */
int netns_pool_init(NetnsPool *p, sd_event *event);
/* A fresh namespace with lo up, or -EAGAIN if none is ready. The caller owns the fd. */
int netns_pool_take(NetnsPool *p);
void netns_pool_done(NetnsPool *p);
