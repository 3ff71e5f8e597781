/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "polkit.h"
#include "spawn-tier.h"

#define TIER(tier, why) do { if (ret_reason) *ret_reason = (why); return (tier); } while (0)

SpawnTier spawn_tier_for(const SandboxSpec *spec, const Identity *id, uid_t caller_uid, gid_t caller_gid,
                         const char **ret_reason) {
        if (caller_uid == 0)
                TIER(SPAWN_TIER_ROOT, "the caller is root: no authorization is asked");
        if (id->uid != caller_uid)
                TIER(SPAWN_TIER_PRIVILEGED, "User= names another user than the caller");
        if (spec->group && id->gid != caller_gid)
                TIER(SPAWN_TIER_PRIVILEGED, "Group= names another group than the caller's primary group");
        if (spec->no_new_privileges == 0)
                TIER(SPAWN_TIER_PRIVILEGED, "NoNewPrivileges=no lets the job gain privileges");
        if (spec->capability_bounding_set_set && spec->capability_bounding_set != 0)
                TIER(SPAWN_TIER_PRIVILEGED, "CapabilityBoundingSet= keeps capabilities");
        if (spec->ambient_capabilities != 0)
                TIER(SPAWN_TIER_PRIVILEGED, "AmbientCapabilities= grants capabilities");
        if (spec->supplementary_groups)
                TIER(SPAWN_TIER_PRIVILEGED, "SupplementaryGroups= adds groups");
        /* SystemCallLog= writes to the kernel's audit log, which is the host's, not the caller's:
         * logging every call of a busy job would let any user flood it. */
        if (spec->syscall_log_mode >= 0)
                TIER(SPAWN_TIER_PRIVILEGED, "SystemCallLog= writes to the host's audit log");
        /* Bind sources, RootDirectory= and every other path are not privilege: confine-exec
         * looks them up, and checks that they may be read, with the job's file system ids,
         * which here are the caller's (tests/escape/test-caller-paths.sh). */
        /* Explicit properties may only tighten a Profile= for an unprivileged caller. */
        if (spec->profile_loosened)
                TIER(SPAWN_TIER_PRIVILEGED, "the explicit properties loosen Profile=");
        TIER(SPAWN_TIER_SPAWN, "the job runs as the caller with no added privilege (NoNewPrivileges=yes and an "
                               "empty CapabilityBoundingSet= are forced)");
}

void spawn_tier_apply_forced(SpawnTier tier, SandboxSpec *spec) {
        if (tier != SPAWN_TIER_SPAWN)
                return;
        spec->no_new_privileges = 1;
        spec->capability_bounding_set = 0;
        spec->capability_bounding_set_set = true;
}

const char *spawn_tier_action(SpawnTier tier) {
        switch (tier) {
        case SPAWN_TIER_SPAWN:
                return POLKIT_ACTION_SPAWN;
        case SPAWN_TIER_PRIVILEGED:
                return POLKIT_ACTION_SPAWN_PRIVILEGED;
        default:
                return NULL;
        }
}
