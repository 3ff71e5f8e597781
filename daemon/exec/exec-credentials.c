/* SPDX-License-Identifier: LGPL-2.1-or-later */
/* Capabilities with the system calls themselves: libcap-ng read /proc/self/status six times per job
 * and cost a shared library to load. */
#include <grp.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cap-names.h"
#include "exec-credentials.h"
#include "exec-report.h"

typedef struct Caps {
        uint64_t effective, permitted, inheritable;
} Caps;

static int caps_get(Caps *ret) {
        struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {};

        if (syscall(SYS_capget, &h, d) < 0)
                return -errno;
        *ret = (Caps) {
                .effective = d[0].effective | (uint64_t) d[1].effective << 32,
                .permitted = d[0].permitted | (uint64_t) d[1].permitted << 32,
                .inheritable = d[0].inheritable | (uint64_t) d[1].inheritable << 32,
        };
        return 0;
}

static int caps_set(const Caps *c) {
        struct __user_cap_header_struct h = { .version = _LINUX_CAPABILITY_VERSION_3 };
        struct __user_cap_data_struct d[_LINUX_CAPABILITY_U32S_3] = {
                { (uint32_t) c->effective, (uint32_t) c->permitted, (uint32_t) c->inheritable },
                { (uint32_t) (c->effective >> 32), (uint32_t) (c->permitted >> 32), (uint32_t) (c->inheritable >> 32) },
        };

        return syscall(SYS_capset, &h, d) < 0 ? -errno : 0;
}

/* Every capability the running kernel has that the set lacks leaves the bounding set, also those newer
 * than this build: PR_CAPBSET_READ answers EINVAL past the kernel's last one. */
static void apply_bounding_set(const SandboxSpec *spec) {
        if ((spec->capability_bounding_set & CAP_ALL_MASK) == CAP_ALL_MASK)
                return;

        for (int cap = 0; cap < 64; cap++) {
                int r = prctl(PR_CAPBSET_READ, cap, 0, 0, 0);

                if (r < 0 && errno == EINVAL)
                        break;
                if (r < 0)
                        exec_fail(EXEC_STEP_CAPABILITIES, errno, "CapabilityBoundingSet: read cap %d", cap);
                if (r == 0 || (cap <= CAP_LAST_KNOWN && (spec->capability_bounding_set & (UINT64_C(1) << cap))))
                        continue;
                if (prctl(PR_CAPBSET_DROP, cap, 0, 0, 0) < 0)
                        exec_fail(EXEC_STEP_CAPABILITIES, errno, "CapabilityBoundingSet=0x%llx: drop cap %d",
                                  (unsigned long long) spec->capability_bounding_set, cap);
        }
}

static void drop_inheritable_and_ambient(void) {
        Caps c = {};
        int r;

        /* With an inheritable cap left over, a root job would keep it past the bounding set. */
        if (prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0) < 0 && errno != EINVAL)
                exec_fail(EXEC_STEP_CAPABILITIES, errno, "clear ambient capabilities");

        r = caps_get(&c);
        if (r < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, -r, "read capabilities");
        if (c.inheritable == 0)
                return;
        c.inheritable = 0;
        r = caps_set(&c);
        if (r < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, -r, "drop inheritable capabilities");
}

/* After the uid change (with PR_SET_KEEPCAPS): keep exactly the ambient set in permitted,
 * effective and inheritable, and raise it as ambient so that it survives execve(). */
static void raise_ambient(const SandboxSpec *spec) {
        Caps c = {
                .effective = spec->ambient_capabilities,
                .permitted = spec->ambient_capabilities,
                .inheritable = spec->ambient_capabilities,
        };
        int r;

        if (spec->ambient_capabilities == 0)
                return;

        r = caps_set(&c);
        if (r < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, -r, "AmbientCapabilities=0x%llx",
                          (unsigned long long) spec->ambient_capabilities);
        for (int cap = 0; cap <= CAP_LAST_KNOWN; cap++)
                if ((spec->ambient_capabilities & (UINT64_C(1) << cap)) &&
                    prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_RAISE, cap, 0, 0) < 0)
                        exec_fail(EXEC_STEP_CAPABILITIES, errno, "AmbientCapabilities: raise %s",
                                  capability_to_name(cap));
        /* With SecureBits= the job's own bits replaced the keep-caps flag (and may have locked it). */
        if (spec->secure_bits == 0 && prctl(PR_SET_KEEPCAPS, 0, 0, 0, 0) < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, errno, "PR_SET_KEEPCAPS");
}

/* SecureBits=, after the uid change, so that no-setuid-fixup and keep-caps do not change what that
 * change leaves (the uid step drops everything but the ambient set, as without them). Setting them needs
 * CAP_SETPCAP: a job of another uid still holds it in its permitted set (PR_SET_KEEPCAPS), raises it for
 * the one call, then keeps exactly its ambient set, as raise_ambient() would. */
static void apply_secure_bits(const SandboxSpec *spec) {
        char text[128];
        Caps c = {};
        int r;

        if (spec->secure_bits == 0)
                return;
        if (spec->uid != 0) {
                r = caps_get(&c);
                if (r >= 0) {
                        c.effective = c.permitted & (UINT64_C(1) << CAP_SETPCAP);
                        r = caps_set(&c);
                }
                if (r < 0)
                        exec_fail(EXEC_STEP_CAPABILITIES, -r, "SecureBits: raise CAP_SETPCAP");
        }
        if (prctl(PR_SET_SECUREBITS, (unsigned long) spec->secure_bits, 0, 0, 0) < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, errno, "SecureBits=%s",
                          secure_bits_to_string(spec->secure_bits, text, sizeof text));
        if (spec->uid != 0) {
                c = (Caps) {
                        .effective = spec->ambient_capabilities,
                        .permitted = spec->ambient_capabilities,
                        .inheritable = spec->ambient_capabilities,
                };
                r = caps_set(&c);
                if (r < 0)
                        exec_fail(EXEC_STEP_CAPABILITIES, -r, "SecureBits: drop CAP_SETPCAP");
        }
}

void exec_apply_credentials(const SandboxSpec *spec) {
        if (spec->uid == (uid_t) -1 || spec->gid == (gid_t) -1)
                exec_fail(EXEC_STEP_UID, EINVAL, "no uid or gid in spec");

        apply_bounding_set(spec);
        drop_inheritable_and_ambient();

        if (setgroups(spec->n_groups, spec->groups) < 0)
                exec_fail(EXEC_STEP_GROUPS, errno, "SupplementaryGroups");
        if (setresgid(spec->gid, spec->gid, spec->gid) < 0)
                exec_fail(EXEC_STEP_GID, errno, "Group=%u", (unsigned) spec->gid);
        if ((spec->ambient_capabilities != 0 || spec->secure_bits != 0) && prctl(PR_SET_KEEPCAPS, 1, 0, 0, 0) < 0)
                exec_fail(EXEC_STEP_CAPABILITIES, errno, "PR_SET_KEEPCAPS");
        if (setresuid(spec->uid, spec->uid, spec->uid) < 0)
                exec_fail(EXEC_STEP_UID, errno, "User=%u", (unsigned) spec->uid);
        apply_secure_bits(spec);
        raise_ambient(spec);
}

void exec_apply_no_new_privileges(const SandboxSpec *spec) {
        if (spec->no_new_privileges <= 0)
                return;
        if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) < 0)
                exec_fail(EXEC_STEP_NO_NEW_PRIVILEGES, errno, "NoNewPrivileges=yes");
}
