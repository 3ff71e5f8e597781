/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

#include "sandbox-spec.h"

typedef struct Identity {
        uid_t uid;
        gid_t gid;
        gid_t *groups;
        size_t n_groups;
        char *user_name;
        char *home;
        char *shell;
} Identity;

void identity_done(Identity *id);

/* Resolves User=/Group= (names or numbers) in the daemon, never after fork. With no User= the
 * job runs as the caller. A numeric uid with no passwd entry is allowed only with Group= set. */
int identity_resolve(const SandboxSpec *spec, uid_t caller_uid, Identity *ret, const char **ret_reason);

/* DynamicUser=: the uid comes when the job starts (uid and gid -1 here); the name is User= (which must
 * not name a static user: systemd would run the job as that one) or confine-<job id>, the home "/", the
 * shell nologin, and the groups only SupplementaryGroups=. */
int identity_resolve_dynamic(const SandboxSpec *spec, Identity *ret, const char **ret_reason);
