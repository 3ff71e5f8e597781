/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <sys/types.h>

/* RemoveIPC=: removes the System V shared memory segments, semaphore sets and message queues, the POSIX
 * shared memory objects (/dev/shm) and, where /dev/mqueue is mounted, the POSIX message queues that
 * belong to uid (owner or creator) or to gid, in the daemon's IPC namespace, as systemd's
 * clean_ipc_by_uid()/clean_ipc_by_gid() do. Never for uid or gid 0.
 *
 * A broker is not the service manager that knows every login: it removes nothing of an id that any
 * process on the host still runs as (real, effective, saved or file system id), so that a user's
 * session keeps its objects. Returns how many objects it removed, or 0 when it left them alone. */
int ipc_clean(uid_t uid, gid_t gid);

/* Whether any process visible in /proc runs with uid (or gid, if gid_valid) as any of its ids. */
bool ipc_id_in_use(uid_t uid, gid_t gid, bool gid_valid);
