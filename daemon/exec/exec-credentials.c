/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <cap-ng.h>
#include <grp.h>
#include <sys/prctl.h>

#include "cap-names.h"
#include "exec-credentials.h"
#include "exec-report.h"

static void apply_bounding_set(const SandboxSpec *spec) {
        if ((spec->capability_bounding_set & CAP_ALL_MASK) == CAP_ALL_MASK)
                return;

        capng_clear(CAPNG_SELECT_BOUNDS);
        for (int cap = 0; cap <= CAP_LAST_KNOWN; cap++)
                if (spec->capability_bounding_set & (UINT64_C(1) << cap))
                        if (capng_update(CAPNG_ADD, CAPNG_BOUNDING_SET, (unsigned) cap) < 0)
                                exec_fail(EXEC_STEP_CAPABILITIES, EINVAL,
                                          "CapabilityBoundingSet: cap %d", cap);
        if (capng_apply(CAPNG_SELECT_BOUNDS) < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, EPERM, "CapabilityBoundingSet=0x%llx",
                          (unsigned long long) spec->capability_bounding_set);
}

static void drop_inheritable_and_ambient(void) {
        /* With an inheritable cap left over, a root job would keep it past the bounding set. */
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                exec_fail(EXEC_STEP_CAPABILITIES, errno, "clear ambient capabilities");

        if (capng_get_caps_process() < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, EIO, "read capabilities");
        for (int cap = 0; cap <= CAP_LAST_KNOWN; cap++)
                (void) capng_update(CAPNG_DROP, CAPNG_INHERITABLE, (unsigned) cap);
        if (capng_apply(CAPNG_SELECT_CAPS) < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, EPERM, "drop inheritable capabilities");
}

/* After the uid change (with PR_SET_KEEPCAPS): keep exactly the ambient set in permitted,
 * effective and inheritable, and raise it as ambient so that it survives execve(). */
static void raise_ambient(const SandboxSpec *spec) {
        if (spec->ambient_capabilities == 0)
                return;

        if (capng_get_caps_process() < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, EIO, "read capabilities");
        capng_clear(CAPNG_SELECT_CAPS);
        for (int cap = 0; cap <= CAP_LAST_KNOWN; cap++)
                if (spec->ambient_capabilities & (UINT64_C(1) << cap))
                        (void) capng_update(CAPNG_ADD, CAPNG_EFFECTIVE | CAPNG_PERMITTED | CAPNG_INHERITABLE,
                                            (unsigned) cap);
        if (capng_apply(CAPNG_SELECT_CAPS) < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, EPERM, "AmbientCapabilities=0x%llx",
                          (unsigned long long) spec->ambient_capabilities);
        for (int cap = 0; cap <= CAP_LAST_KNOWN; cap++)
                if ((spec->ambient_capabilities & (UINT64_C(1) << cap)) &&
                    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
                        exec_fail(EXEC_STEP_CAPABILITIES, errno, "AmbientCapabilities: raise %s",
                                  capability_to_name(cap));
        if (prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, errno, "PR_SET_KEEPCAPS");
}

void exec_apply_credentials(const SandboxSpec *spec) {
        if (spec->uid == (uid_t) -1 || spec->gid == (gid_t) -1)
                exec_fail(EXEC_STEP_UID, EINVAL, "no uid or gid in spec");

        if (capng_get_caps_process() < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, EIO, "read capabilities");
        apply_bounding_set(spec);
        drop_inheritable_and_ambient();

        if (setgroups(spec->n_groups, spec->groups) < 0)
                exec_fail(EXEC_STEP_GROUPS, errno, "SupplementaryGroups");
        if (setresgid(spec->gid, spec->gid, spec->gid) < 0)
                exec_fail(EXEC_STEP_GID, errno, "Group=%u", (unsigned) spec->gid);
        if (spec->ambient_capabilities != 0 && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, errno, "PR_SET_KEEPCAPS");
        if (setresuid(spec->uid, spec->uid, spec->uid) < 0)
                exec_fail(EXEC_STEP_UID, errno, "User=%u", (unsigned) spec->uid);
        raise_ambient(spec);
}

void exec_apply_no_new_privileges(const SandboxSpec *spec) {
        if (spec->no_new_privileges <= 0)
                return;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                exec_fail(EXEC_STEP_NO_NEW_PRIVILEGES, errno, "NoNewPrivileges=yes");
}
