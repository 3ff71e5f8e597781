/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/nsfs.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "macro.h"
#include "netns-path.h"

_noreturn_ static void child_open(const char *path, uid_t uid, gid_t gid, int sock) {
        char control[CMSG_SPACE(sizeof(int))] = {};
        int error = 0, fd = -EBADF;
        struct iovec iov = { .iov_base = &error, .iov_len = sizeof error };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1 };

        (void) prctl(PR_SET_PDEATHSIG, SIGKILL);
        if (setgroups(0, NULL) < 0 || setresgid(gid, gid, gid) < 0 || setresuid(uid, uid, uid) < 0)
                error = errno;
        else {
                fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY | O_NONBLOCK);
                if (fd < 0)
                        error = errno;
        }
        if (fd >= 0) {
                struct cmsghdr *c;

                mh.msg_control = control;
                mh.msg_controllen = sizeof control;
                c = CMSG_FIRSTHDR(&mh);
                c->cmsg_level = SOL_SOCKET;
                c->cmsg_type = SCM_RIGHTS;
                c->cmsg_len = CMSG_LEN(sizeof(int));
                memcpy(CMSG_DATA(c), &fd, sizeof(int));
        }
        _exit(sendmsg(sock, &mh, MSG_NOSIGNAL) < 0 ? 1 : 0);
}

/* The child's answer: the fd, or its errno; -ETIME when none came in time. */
static int receive_fd(int sock, int *ret_fd) {
        char control[CMSG_SPACE(sizeof(int))] = {};
        int error = 0;
        struct iovec iov = { .iov_base = &error, .iov_len = sizeof error };
        struct msghdr mh = { .msg_iov = &iov, .msg_iovlen = 1, .msg_control = control, .msg_controllen = sizeof control };
        struct pollfd p = { .fd = sock, .events = POLLIN };
        struct cmsghdr *c;
        ssize_t n;
        int r;

        r = poll(&p, 1, (int) (NETNS_PATH_TIMEOUT_USEC / 1000));
        if (r < 0)
                return -errno;
        if (r == 0)
                return -ETIME;
        n = recvmsg(sock, &mh, MSG_CMSG_CLOEXEC);
        if (n < 0)
                return -errno;
        c = CMSG_FIRSTHDR(&mh);
        if (c && c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS && c->cmsg_len == CMSG_LEN(sizeof(int))) {
                memcpy(ret_fd, CMSG_DATA(c), sizeof(int));
                return 0;
        }
        if (n != sizeof error || error <= 0)
                return -EIO;
        return -error;
}

static int open_as(const char *path, uid_t uid, gid_t gid, int *ret_fd) {
        int pair[2], r;
        pid_t pid;

        if (socketpair(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0, pair) < 0)
                return -errno;
        pid = fork();
        if (pid < 0) {
                r = -errno;
                safe_close(pair[0]);
                safe_close(pair[1]);
                return r;
        }
        if (pid == 0) {
                safe_close(pair[0]);
                child_open(path, uid, gid, pair[1]);
        }
        safe_close(pair[1]);
        r = receive_fd(pair[0], ret_fd);
        safe_close(pair[0]);
        (void) kill(pid, SIGKILL);
        (void) waitpid(pid, NULL, 0);
        return r;
}

int netns_path_open(const char *path, uid_t uid, gid_t gid, int *ret_fd, uid_t *ret_owner) {
        _cleanup_close_ int fd = -EBADF, userns = -EBADF;
        uid_t owner;
        int r, type;

        r = open_as(path, uid, gid, &fd);
        if (r < 0)
                return r;
        /* Anything but a namespace file says ENOTTY. */
        type = ioctl(fd, NS_GET_NSTYPE);
        if (type < 0 && errno != ENOTTY)
                return -errno;
        if (type != CLONE_NEWNET)
                return -EMEDIUMTYPE;
        userns = ioctl(fd, NS_GET_USERNS);
        if (userns < 0)
                return -errno;
        if (ioctl(userns, NS_GET_OWNER_UID, &owner) < 0)
                return -errno;
        *ret_fd = TAKE_FD(fd);
        *ret_owner = owner;
        return 0;
}
