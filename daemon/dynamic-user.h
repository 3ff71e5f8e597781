/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <stdbool.h>
#include <stdint.h>
#include <sys/types.h>

/* DynamicUser=: one uid (and the gid of the same number) of DynamicUserRange= per job, for its lifetime.
 *
 * The registry is a directory of files, one per uid in use, created with O_EXCL: a uid is handed out once
 * however many Spawns race for it, and by however many daemons share /run. It outlives a restart of the
 * daemon (and is gone at reboot, with /run): a uid whose entry a crashed daemon left is never handed out
 * again before then, since its processes or files might remain. Next to each entry, the passwd and
 * group files the job sees, the host's with the dynamic user added. */

#define DYNAMIC_USER_REGISTRY "/run/confine/dynamic-uid"

typedef struct DynamicUser {
        uid_t uid;              /* (uid_t) -1: none */
        char *name;
        char *passwd_path;      /* DYNAMIC_USER_REGISTRY/UID.d/passwd */
        char *group_path;
} DynamicUser;

/* Whether name can be a user and group name in a passwd line: [a-z_][a-z0-9_-]*, at most 31 bytes. */
bool dynamic_user_name_is_valid(const char *name);

/* Takes the first free uid of first…last from *cursor on (which it moves past it, so that a released uid
 * is not the next one given out). -EUSERS when every uid is in use or static. */
int dynamic_user_acquire(const char *registry, uint32_t first, uint32_t last, uint32_t *cursor, const char *name,
                         DynamicUser *ret);
/* Removes the files and then the registry entry. With processes of the uid still running (not in the
 * job's cgroup, which was killed), the entry stays: the uid is not handed out again. */
void dynamic_user_release(const char *registry, DynamicUser *u);
