/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PrivateDevices=yes: a fresh /dev holding only the pseudo devices. */

#define EXEC_DEVICE_NODES_MAX 6

typedef struct ExecDevices {
        int nodes[EXEC_DEVICE_NODES_MAX]; /* detached copies of the host's nodes; -EBADF: absent */
} ExecDevices;

#define EXEC_DEVICES_NULL { .nodes = { -EBADF, -EBADF, -EBADF, -EBADF, -EBADF, -EBADF } }

/* Takes copies of the host's /dev/null, zero, full, random, urandom and tty, while the host's tree
 * is still in place. Returns 0 or a negative errno. */
int exec_devices_take_host_nodes(ExecDevices *d);

/* Mounts the new /dev on target_fd: a read-only tmpfs (nosuid, nodev, noexec) with the host's nodes
 * bound in, the usual symlinks, a new devpts instance on /dev/pts (ptmx → pts/ptmx) and a private
 * tmpfs on /dev/shm. Returns the new /dev's mount in *ret_mounted; on failure, *ret_what names
 * the part that failed. */
int exec_devices_mount(ExecDevices *d, int target_fd, int *ret_mounted, const char **ret_what);

void exec_devices_done(ExecDevices *d);
