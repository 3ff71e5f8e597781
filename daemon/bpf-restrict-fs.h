/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>

#include "sandbox-spec.h"

/* RestrictFileSystems=: the BPF LSM program on file_open and its maps, shared by all jobs. */
typedef struct RestrictFs {
        int modes_fd, entries_fd, prog_fd, link_fd; /* -EBADF until loaded */
        int error;                                   /* < 0 once loading failed: NotSupported */
        char why[256];                               /* why it failed, with its errno's name */
} RestrictFs;

#define RESTRICT_FS_INIT \
        ((RestrictFs) { .modes_fd = -EBADF, .entries_fd = -EBADF, .prog_fd = -EBADF, .link_fd = -EBADF })

/* Loads and attaches the program the first time; a negative errno and *ret_why when this host
 * cannot (no BPF LSM active, no BTF, the kernel refuses). */
int restrict_fs_ensure(RestrictFs *fs, const char **ret_why);
void restrict_fs_close(RestrictFs *fs);

/* Restricts the cgroup (and every cgroup below it) as the spec says; *ret_cgroup_id for the removal. */
int restrict_fs_add(RestrictFs *fs, int cgroup_fd, const SandboxSpec *spec, uint64_t *ret_cgroup_id);
void restrict_fs_remove(RestrictFs *fs, uint64_t cgroup_id, const SandboxSpec *spec);
