/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include "polkit.h"
#include "spawn-tier.h"

#define TIER(tier, why) do { if (ret_reason) *ret_reason = (why); return (tier); } while (0)

SpawnTier spawn_tier_for(const SandboxSpec *spec, const Identity *id, uid_t caller_uid, gid_t caller_gid,
                         const char **ret_reason) {
        if (caller_uid == 0)
                TIER(SPAWN_TIER_ROOT, "the caller is root: no authorization is asked");
        /* Another identity than the caller's, from a pool all callers share (DynamicUserRange=). */
        if (spec->dynamic_user)
                TIER(SPAWN_TIER_PRIVILEGED, "DynamicUser= runs the job as a uid of the daemon's shared pool");
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
        /* A lower OOM score than the default 0, the realtime I/O class and the realtime CPU policies take
         * from everyone else on the host (CAP_SYS_RESOURCE, CAP_SYS_ADMIN, CAP_SYS_NICE). What only
         * restricts (a higher score, idle, batch, an affinity, a timer slack) is not privilege. */
        if (spec->oom_score_adjust_set && spec->oom_score_adjust < 0)
                TIER(SPAWN_TIER_PRIVILEGED, "OOMScoreAdjust= below 0 protects the job from the OOM killer");
        if (spec->ioprio_class == IOPRIO_CLASS_RT_VALUE)
                TIER(SPAWN_TIER_PRIVILEGED, "IOSchedulingClass=realtime takes I/O from everyone else");
        if (sched_policy_is_realtime(spec->cpu_sched_policy))
                TIER(SPAWN_TIER_PRIVILEGED, "CPUSchedulingPolicy= realtime takes CPU from everyone else");
        /* The job cgroups are siblings, every caller's: a larger share than the default, or memory kept
         * from reclaim, is taken from the other callers' jobs. A smaller share only restricts. */
        if (spec->cpu_weight > CGROUP_WEIGHT_DEFAULT)
                TIER(SPAWN_TIER_PRIVILEGED, "CPUWeight= above 100 takes CPU from other jobs");
        if (spec->io_weight > CGROUP_WEIGHT_DEFAULT)
                TIER(SPAWN_TIER_PRIVILEGED, "IOWeight= above 100 takes I/O from other jobs");
        if (spec->memory_low > 0)
                TIER(SPAWN_TIER_PRIVILEGED, "MemoryLow= keeps the job's memory from reclaim at other jobs' expense");
        /* KeyringMode=inherit hands the job the session keyring of confined, not the caller's. */
        if (spec->keyring_mode == KEYRING_MODE_INHERIT)
                TIER(SPAWN_TIER_PRIVILEGED, "KeyringMode=inherit hands the job confined's session keyring");
        /* confined decrypts SetCredentialEncrypted= with the host's key: for an unprivileged caller that
         * would read any credential encrypted for this host (other services' secrets) into its job. */
        for (size_t i = 0; i < spec->n_set_credentials; i++)
                if (spec->set_credentials[i].encrypted)
                        TIER(SPAWN_TIER_PRIVILEGED, "SetCredentialEncrypted= is decrypted with the host's key");
        /* StateDirectory= and the others are not privilege either: a job that runs as its caller (not
         * root) gets them below the caller's home, created with the caller's ids; /var/lib and the other
         * system roots only for root's jobs and jobs of another User=, which are privileged above
         * (spec-directories.c). */
        /* Bind sources, RootDirectory= and every other path are not privilege: confine-exec
         * looks them up, and checks that they may be read, with the job's file system ids,
         * which here are the caller's (tests/escape/test-caller-paths.sh). */
        /* Joining a network namespace is no privilege only where the caller owns it (its user namespace's
         * owner uid): another's, the host's included, is a network the caller was not given. */
        if (spec->network_namespace_path && spec->netns_path_owner != caller_uid)
                TIER(SPAWN_TIER_PRIVILEGED, "NetworkNamespacePath= joins a network namespace the caller does not own");
        /* Explicit properties may only tighten a Profile= for an unprivileged caller. */
        if (spec->profile_loosened)
                TIER(SPAWN_TIER_PRIVILEGED, "the explicit properties loosen Profile=");
        if (spec->defaults_loosened)
                TIER(SPAWN_TIER_PRIVILEGED, "the request loosens the administrator's [Defaults] of confined.conf");
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
