/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stddef.h>
#include <sys/types.h>

typedef struct SpawnFds {
        int stdio[3];          /* -EBADF: /dev/null */
        const int *extra;
        size_t n_extra;
        int spec;              /* sealed memfd */
        int status;            /* write end of the status pipe */
        int devnull;
        int netns;             /* placed after the extra fds; -EBADF: none */
        int nest;              /* placed after those; -EBADF: none */
} SpawnFds;

/* The number of fds confine-exec starts with. */
size_t spawn_fds_count(const SpawnFds *fds);

/* Starts confine-exec in a new process, placed directly into cgroup_fd (if >= 0) and into the PID
 * namespace pidns_fd (if >= 0), with exactly the fds of SpawnFds at their fixed numbers and no
 * other. */
int spawn_confine_exec(const char *exec_path, const SpawnFds *fds, int cgroup_fd, int pidns_fd,
                       pid_t *ret_pid, int *ret_pidfd);
