/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdint.h>
#include <sys/types.h>

/* NetworkNamespacePath=: the path is opened as the caller (uid and primary gid, no supplementary
 * groups), in a child process that gives up after NETNS_PATH_TIMEOUT_USEC, so that a path through a
 * hanging file system never stalls the daemon. The fd must be a network namespace; *ret_owner is the
 * uid that owns its user namespace (NS_GET_USERNS, NS_GET_OWNER_UID): 0 for the host's.
 *
 * -EMEDIUMTYPE: the file is no network namespace. -ETIME: the open did not finish in time. Else the
 * errno of the open or of an ioctl. */
#define NETNS_PATH_TIMEOUT_USEC (2 * UINT64_C(1000000))

int netns_path_open(const char *path, uid_t uid, gid_t gid, int *ret_fd, uid_t *ret_owner);
