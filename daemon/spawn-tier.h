/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

#include <sys/types.h>

#include "identity.h"
#include "sandbox-spec.h"

typedef enum SpawnTier {
        SPAWN_TIER_ROOT,        /* uid 0 asked: no polkit */
        SPAWN_TIER_SPAWN,       /* as yourself, no added privilege */
        SPAWN_TIER_PRIVILEGED,  /* anything more */
} SpawnTier;

/* Decides from the validated spec, never from a caller-supplied flag. *ret_reason (may be NULL) says
 * why, in words for people that name the property: a static string. */
SpawnTier spawn_tier_for(const SandboxSpec *spec, const Identity *id, uid_t caller_uid, gid_t caller_gid,
                         const char **ret_reason);

/* For the unprivileged tier: NoNewPrivileges on and an empty bounding set, whatever was asked. */
void spawn_tier_apply_forced(SpawnTier tier, SandboxSpec *spec);

const char *spawn_tier_action(SpawnTier tier);
