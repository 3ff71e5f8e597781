/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include "tmpfs-options.h"

/* fd-based wrappers over the new mount API (open_tree, move_mount, mount_setattr, fsopen).
 * Nothing here resolves a path string twice: a path is opened once, then only its fd is used.
 * All return 0 or a negative errno. */

/* Opens path below root_fd with O_PATH: absolute symlinks and ".." stay inside root_fd, and
 * magic links (/proc/PID/root, /proc/PID/fd/N) are refused. */
int open_in_root(int root_fd, const char *path, int *ret_fd);

/* A detached copy of the mount at fd (and of every mount below it, if recursive). */
int mount_tree_clone(int fd, bool recursive, int *ret_fd);

/* Attaches the detached tree tree_fd on top of target_fd. */
int mount_tree_attach(int tree_fd, int target_fd);

/* Makes the mount at fd and every mount below it read-only, plus the MOUNT_ATTR_* bits in
 * extra, in one atomic mount_setattr(AT_RECURSIVE) call. There is deliberately no fallback to a
 * per-mount remount: on a kernel without mount_setattr() this fails with -ENOSYS. */
int mount_make_read_only(int fd, uint64_t extra);
/* The same for any MOUNT_ATTR_* bits (NoExecPaths=: MOUNT_ATTR_NOEXEC). */
int mount_set_attributes(int fd, uint64_t attr);

/* A new tmpfs as a detached mount with the MOUNT_ATTR_* bits in attr (and MOUNT_ATTR_NOEXEC if o
 * asks for it). o->read_only is not applied here: read-only comes last, after what goes below. */
int tmpfs_create(const TmpfsOptions *o, const char *default_mode, uint64_t attr, int *ret_fd);

/* A new instance of a pseudo file system (devpts, mqueue) as a detached mount. options are
 * "key=value" strings or plain flags, NULL-terminated. */
int pseudofs_create(const char *type, const char *const *options, uint64_t attr, int *ret_fd);

/* Creates the missing mount point path below root_fd as systemd's namespace.c does: missing parents as
 * directories (0755), then path itself as a directory (0755) or, when directory is false, as an empty
 * file (0644). It never follows a symlink (RESOLVE_NO_SYMLINKS, O_NOFOLLOW) and never leaves root_fd.
 * It creates with the caller's current file system ids, so the kernel checks write permission on
 * each parent as for them. Returns the O_PATH fd of path. */
int mount_point_create(int root_fd, const char *path, bool directory, int *ret_fd);
