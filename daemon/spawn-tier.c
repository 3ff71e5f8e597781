/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "polkit.h"
#include "spawn-tier.h"

SpawnTier spawn_tier_for(const SandboxSpec *spec, const Identity *id, uid_t caller_uid, gid_t caller_gid) {
        if (caller_uid == 0)
                return SPAWN_TIER_ROOT;
        if (id->uid != caller_uid)
                return SPAWN_TIER_PRIVILEGED;
        if (spec->group && id->gid != caller_gid)
                return SPAWN_TIER_PRIVILEGED;
        if (spec->no_new_privileges == 0)
                return SPAWN_TIER_PRIVILEGED;
        if (spec->capability_bounding_set_set && spec->capability_bounding_set != 0)
                return SPAWN_TIER_PRIVILEGED;
        if (spec->ambient_capabilities != 0 || spec->supplementary_groups)
                return SPAWN_TIER_PRIVILEGED;
        /* SystemCallLog= writes to the kernel's audit log, which is the host's, not the caller's:
         * logging every call of a busy job would let any user flood it. */
        if (spec->syscall_log_mode >= 0)
                return SPAWN_TIER_PRIVILEGED;
        /* A lower OOM score than the default 0, the realtime I/O class and the realtime CPU policies take
         * from everyone else on the host (CAP_SYS_RESOURCE, CAP_SYS_ADMIN, CAP_SYS_NICE). What only
         * restricts (a higher score, idle, batch, an affinity, a timer slack) is not privilege. */
        if (spec->oom_score_adjust_set && spec->oom_score_adjust < 0)
                return SPAWN_TIER_PRIVILEGED;
        if (spec->ioprio_class == IOPRIO_CLASS_RT_VALUE || sched_policy_is_realtime(spec->cpu_sched_policy))
                return SPAWN_TIER_PRIVILEGED;
        /* KeyringMode=inherit hands the job the session keyring of confined, not the caller's. */
        if (spec->keyring_mode == KEYRING_MODE_INHERIT)
                return SPAWN_TIER_PRIVILEGED;
        /* Bind sources, RootDirectory= and every other path are not privilege: confine-exec
         * looks them up, and checks that they may be read, with the job's file system ids,
         * which here are the caller's (tests/escape/test-caller-paths.sh). */
        /* Explicit properties may only tighten a Profile= for an unprivileged caller. */
        if (spec->profile_loosened)
                return SPAWN_TIER_PRIVILEGED;
        return SPAWN_TIER_SPAWN;
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
