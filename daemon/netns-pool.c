/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <net/if.h>
#include <pthread.h>
#include <sched.h>
#include <signal.h>
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
/* Runs in the refill thread (or, at start, the main thread): unshare() and setns() of a network
 * namespace change only the calling thread's, so the main thread, which clones every job, never leaves
 * the daemon's own. */
static int netns_make(NetnsPool *p, int *ret) {
        _cleanup_close_ int fd = -EBADF;
        int r;

        if (unshare(CLONE_NEWNET) < 0)
                return -errno;
        fd = open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC);
        r = fd < 0 ? -errno : loopback_up();
        if (setns(p->home_fd, CLONE_NEWNET) < 0) {
                /* This thread could no longer tell a fresh namespace from one it has handed out. */
                log_error_errno(errno, "Cannot return to the daemon's network namespace: %m");
                abort();
        }
        if (r < 0)
                return r;
        *ret = TAKE_FD(fd);
        return 0;
}

/* The refill thread: keeps the pool full. Making a namespace is a millisecond of kernel work (most of it
 * registering lo and its sysctls); on the event loop it delayed every caller that came meanwhile. */
static void *refill_thread(void *userdata) {
        NetnsPool *p = userdata;

        pthread_mutex_lock(&p->lock);
        for (;;) {
                int fd = -EBADF, r;

                while (!p->stopping && p->n >= NETNS_POOL_SIZE)
                        pthread_cond_wait(&p->wake, &p->lock);
                if (p->stopping)
                        break;
                pthread_mutex_unlock(&p->lock);
                r = netns_make(p, &fd);
                pthread_mutex_lock(&p->lock);
                if (r < 0) {
                        log_warning_errno(r, "Cannot prepare a network namespace, jobs make their own: %m");
                        p->broken = true;
                        break;
                }
                p->fds[p->n++] = fd;
        }
        pthread_mutex_unlock(&p->lock);
        return NULL;
}

int netns_pool_init(NetnsPool *p) {
        sigset_t all, old;
        int fd, r;

        *p = (NetnsPool) { .home_fd = open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC) };
        pthread_mutex_init(&p->lock, NULL);
        pthread_cond_init(&p->wake, NULL);
        p->initialized = true;
        if (p->home_fd < 0) {
                p->broken = true;
                log_warning_errno(errno, "Cannot open the daemon's network namespace, no pool: %m");
                return 0;
        }
        /* Full before the daemon serves, so that its fd count is steady whenever it is idle. */
        while (p->n < NETNS_POOL_SIZE) {
                r = netns_make(p, &fd);
                if (r < 0) {
                        log_warning_errno(r, "Cannot prepare a network namespace, jobs make their own: %m");
                        p->broken = true;
                        return 0;
                }
                p->fds[p->n++] = fd;
        }

        /* The thread takes no signal: the main thread reads them from its signalfd. */
        sigfillset(&all);
        pthread_sigmask(SIG_SETMASK, &all, &old);
        r = pthread_create(&p->thread, NULL, refill_thread, p);
        pthread_sigmask(SIG_SETMASK, &old, NULL);
        if (r != 0) {
                log_warning_errno(r, "Cannot start the network namespace pool's thread, no refill: %m");
                p->broken = true;
                return 0;
        }
        p->thread_started = true;
        return 0;
}

int netns_pool_take(NetnsPool *p) {
        int fd = -EAGAIN;

        if (!p->initialized)
                return -EAGAIN;
        pthread_mutex_lock(&p->lock);
        if (!p->broken && p->n > 0) {
                fd = p->fds[--p->n];
                p->fds[p->n] = -EBADF;
                pthread_cond_signal(&p->wake);
        }
        pthread_mutex_unlock(&p->lock);
        return fd;
}

void netns_pool_done(NetnsPool *p) {
        if (!p->initialized) {
                p->home_fd = safe_close(p->home_fd);
                return;
        }
        if (p->thread_started) {
                pthread_mutex_lock(&p->lock);
                p->stopping = true;
                pthread_cond_signal(&p->wake);
                pthread_mutex_unlock(&p->lock);
                pthread_join(p->thread, NULL);
                p->thread_started = false;
        }
        for (unsigned i = 0; i < p->n; i++)
                safe_close(p->fds[i]);
        p->n = 0;
        p->home_fd = safe_close(p->home_fd);
        pthread_cond_destroy(&p->wake);
        pthread_mutex_destroy(&p->lock);
        p->initialized = false;
}
