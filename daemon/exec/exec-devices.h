/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* PrivateDevices=yes: a fresh /dev holding only the pseudo devices. DeviceAllow=/DevicePolicy=: a
 * fresh /dev holding only the nodes the device rules allow. */

#include <stdbool.h>
#include <stddef.h>

#include "device-policy.h"

#define EXEC_DEVICE_NODES_MAX 6
#define EXEC_DEVICE_EXTRA_MAX 1024

typedef struct ExecDeviceNode {
        char *name;    /* below /dev: "loop-control", "net/tun" */
        int fd;        /* a detached copy of the host's node */
} ExecDeviceNode;

typedef struct ExecDevices {
        int nodes[EXEC_DEVICE_NODES_MAX]; /* detached copies of the host's nodes; -EBADF: absent */
        ExecDeviceNode *extra;            /* the allowed nodes beyond those */
        size_t n_extra;
        bool no_devpts;                   /* /dev/ptmx is not allowed: no /dev/pts, no /dev/ptmx */
} ExecDevices;

#define EXEC_DEVICES_NULL { .nodes = { -EBADF, -EBADF, -EBADF, -EBADF, -EBADF, -EBADF } }

/* Takes copies of the host's /dev/null, zero, full, random, urandom and tty, while the host's tree
 * is still in place. Returns 0 or a negative errno. */
int exec_devices_take_host_nodes(ExecDevices *d);

/* The same for a device restriction: copies of the pseudo devices the rules let the job read or
 * write, of each DeviceAllow= path (which must still be the device the daemon resolved, else
 * -ESTALE), and, when a class is allowed, of every node of the host's /dev (not below other mounts)
 * whose number the rules allow. The pty slaves come from the job's own devpts instance, which it
 * gets only if /dev/ptmx is allowed. */
int exec_devices_take_allowed_nodes(ExecDevices *d, const DeviceRule *rules, size_t n_rules);

/* Mounts the new /dev on target_fd: a read-only tmpfs (nosuid, nodev, noexec) with the host's nodes
 * bound in, the usual symlinks, a new devpts instance on /dev/pts (ptmx → pts/ptmx) and a private
 * tmpfs on /dev/shm. Returns the new /dev's mount in *ret_mounted; on failure, *ret_what names
 * the part that failed. */
int exec_devices_mount(ExecDevices *d, int target_fd, int *ret_mounted, const char **ret_what);

void exec_devices_done(ExecDevices *d);
