/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <net/if.h>
#include <sched.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "log.h"
#include "macro.h"
#include "netns-pool.h"

static int loopback_up(void) {
        _cleanup_close_ int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
        struct ifreq ifr = {};

        if (fd < 0)
                return -errno;
        strncpy(ifr.ifr_name, "lo", sizeof ifr.ifr_name - 1);
        if (ioctl(fd, SIOCGIFFLAGS, &ifr) < 0)
                return -errno;
        ifr.ifr_flags |= IFF_UP | IFF_RUNNING;
        if (ioctl(fd, SIOCSIFFLAGS, &ifr) < 0)
                return -errno;
        return 0;
}

/* The daemon steps into a new network namespace just long enough to hold it by an fd and bring lo up,
 * then returns to its own. It is single-threaded and opens no socket meanwhile; its open sockets keep
 * the namespace they were made in. */
static int netns_make(NetnsPool *p, int *ret) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (unshare(CLONE_NEWNET) < 0)
                return -errno;
        fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC);
        r = fd < 0 ? -errno : loopback_up();
        if (setns(p->home_fd, CLONE_NEWNET) < 0) {
                /* Jobs without PrivateNetwork= would inherit the wrong namespace: never go on so. */
                log_error_errno(errno, "Cannot return to the daemon's network namespace: %m");
                abort();
        }
        if (r < 0)
                return r;
        *ret = TAKE_FD(fd);
        return 0;
}

static void refill_one(NetnsPool *p) {
        int fd = -EBADF, r;

        if (p->broken || p->n >= NETNS_POOL_SIZE)
                return;
        r = netns_make(p, &fd);
        if (r < 0) {
                log_warning_errno(r, "Cannot prepare a network namespace, jobs make their own: %m");
                p->broken = true;
        } else
                p->fds[p->n++] = fd;
}

/* One per call, so that a Spawn that arrives meanwhile waits for one namespace at most. */
static int on_refill(sd_event_source *s, void *userdata) {
        NetnsPool *p = userdata;

        refill_one(p);
        if (p->n >= NETNS_POOL_SIZE || p->broken)
                (void) sd_event_source_set_enabled(s, SD_EVENT_OFF);
        return 0;
}

int netns_pool_init(NetnsPool *p, sd_event *event) {
        int r;

        *p = (NetnsPool) { .home_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC) };
        if (p->home_fd < 0) {
                p->broken = true;
                log_warning_errno(errno, "Cannot open the daemon's network namespace, no pool: %m");
                return 0;
        }
        /* Full before the daemon serves, so that its fd count is steady whenever it is idle. */
        while (!p->broken && p->n < NETNS_POOL_SIZE)
                refill_one(p);

        /* A defer source at idle priority runs only when nothing else is pending. */
        r = sd_event_add_defer(event, &p->refill, on_refill, p);
        if (r >= 0)
                r = sd_event_source_set_priority(p->refill, SD_EVENT_PRIORITY_IDLE);
        if (r >= 0)
                r = sd_event_source_set_description(p->refill, "netns-pool-refill");
        if (r >= 0)
                r = sd_event_source_set_enabled(p->refill, SD_EVENT_OFF);
        return r;
}

int netns_pool_take(NetnsPool *p) {
        int fd;

        if (p->broken || !p->refill)
                return -EAGAIN;
        (void) sd_event_source_set_enabled(p->refill, SD_EVENT_ON);
        if (p->n == 0)
                return -EAGAIN;
        fd = p->fds[--p->n];
        p->fds[p->n] = -EBADF;
        return fd;
}

void netns_pool_done(NetnsPool *p) {
        p->refill = sd_event_source_disable_unref(p->refill);
        for (unsigned i = 0; i < p->n; i++)
                safe_close(p->fds[i]);
        p->n = 0;
        p->home_fd = safe_close(p->home_fd);
}
