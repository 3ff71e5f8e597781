/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <string.h>

#include "spec-fields.h"
#include "spec-strictness.h"
#include "strv.h"

static bool str_eq(const char *a, const char *b) {
        return (!a && !b) || (a && b && streq(a, b));
}

static bool paths_contain(const PathEntry *l, size_t n, const char *path) {
        for (size_t i = 0; i < n; i++)
                if (streq(l[i].path, path))
                        return true;
        return false;
}

/* Every path of base is also in spec. */
static bool paths_superset(const PathEntry *spec, size_t n_spec, const PathEntry *base, size_t n_base) {
        for (size_t i = 0; i < n_base; i++)
                if (!paths_contain(spec, n_spec, base[i].path))
                        return false;
        return true;
}

static bool strv_subset(char **a, char **b) {
        STRV_FOREACH(x, a)
                if (!strv_contains(b, *x))
                        return false;
        return true;
}

static bool ints_subset(const int *a, size_t na, const int *b, size_t nb) {
        for (size_t i = 0; i < na; i++) {
                bool found = false;
                for (size_t k = 0; k < nb && !found; k++)
                        found = a[i] == b[k];
                if (!found)
                        return false;
        }
        return true;
}

static bool socket_bind_rules_contain(const SocketBindRule *l, size_t n, const SocketBindRule *r) {
        for (size_t i = 0; i < n; i++)
                if (l[i].family == r->family && l[i].protocol == r->protocol && l[i].nr_ports == r->nr_ports &&
                    l[i].port_min == r->port_min)
                        return true;
        return false;
}

static int protect_home_rank(ProtectHome p) {
        /* tmpfs and yes both leave nothing of the homes; read-only leaves them readable. */
        return p == PROTECT_HOME_NO ? 0 : p == PROTECT_HOME_READ_ONLY ? 1 : 2;
}

#define LOOSER(name) do { *ret_property = (name); return false; } while (0)

bool spec_is_at_least_as_strict(const SandboxSpec *s, const SandboxSpec *b, const char **ret_property) {
        for (size_t i = 0; i < spec_switches_size; i++)
                if (spec_switch_get(b, spec_switches + i) && !spec_switch_get(s, spec_switches + i))
                        LOOSER(spec_switches[i].name);
        if (s->mount_apivfs && !b->mount_apivfs)
                LOOSER("MountAPIVFS");
        if (b->syscall_native_only && !s->syscall_native_only)
                LOOSER("SystemCallArchitectures");
        if (b->no_new_privileges > 0 && s->no_new_privileges <= 0)
                LOOSER("NoNewPrivileges");
        if (s->protect_system < b->protect_system)
                LOOSER("ProtectSystem");
        if (protect_home_rank(s->protect_home) < protect_home_rank(b->protect_home))
                LOOSER("ProtectHome");
        if (protect_proc_rank(s->protect_proc) < protect_proc_rank(b->protect_proc))
                LOOSER("ProtectProc");
        if (s->proc_subset < b->proc_subset)
                LOOSER("ProcSubset");
        /* What grants something (spawn-tier.c) may not come in over a profile either. */
        if (s->oom_score_adjust_set && s->oom_score_adjust < 0 &&
            (!b->oom_score_adjust_set || s->oom_score_adjust < b->oom_score_adjust))
                LOOSER("OOMScoreAdjust");
        if (s->ioprio_class == IOPRIO_CLASS_RT_VALUE && b->ioprio_class != IOPRIO_CLASS_RT_VALUE)
                LOOSER("IOSchedulingClass");
        if (sched_policy_is_realtime(s->cpu_sched_policy) && !sched_policy_is_realtime(b->cpu_sched_policy))
                LOOSER("CPUSchedulingPolicy");
        /* How surely a stop ends the job: KillMode none < process < mixed < control-group, SIGKILL at
         * the end, and no longer a wait for it. */
        if ((s->kill_mode == KILL_MODE_CONTROL_GROUP ? 3 : s->kill_mode == KILL_MODE_MIXED ? 2 :
             s->kill_mode == KILL_MODE_PROCESS ? 1 : 0) <
            (b->kill_mode == KILL_MODE_CONTROL_GROUP ? 3 : b->kill_mode == KILL_MODE_MIXED ? 2 :
             b->kill_mode == KILL_MODE_PROCESS ? 1 : 0))
                LOOSER("KillMode");
        if (b->send_sigkill && !s->send_sigkill)
                LOOSER("SendSIGKILL");
        if (s->timeout_stop_usec > b->timeout_stop_usec)
                LOOSER("TimeoutStopUSec");
        if (keyring_mode_rank(s->keyring_mode) < keyring_mode_rank(b->keyring_mode))
                LOOSER("KeyringMode");
        /* noroot and the locks only restrict; keep-caps and no-setuid-fixup let capabilities outlive a
         * change of uid. */
        if ((s->secure_bits & SECURE_BITS_LOOSE & ~b->secure_bits) ||
            (b->secure_bits & ~SECURE_BITS_LOOSE & ~s->secure_bits))
                LOOSER("SecureBits");
        if (s->capability_bounding_set & ~b->capability_bounding_set)
                LOOSER("CapabilityBoundingSet");
        if (s->ambient_capabilities & ~b->ambient_capabilities)
                LOOSER("AmbientCapabilities");
        if (s->restrict_namespaces & ~b->restrict_namespaces)
                LOOSER("RestrictNamespaces");

        /* Identity and what grants access: unchanged. */
        if (!str_eq(s->user, b->user))
                LOOSER("User");
        if (!str_eq(s->group, b->group))
                LOOSER("Group");
        if (!strv_subset(s->supplementary_groups, b->supplementary_groups))
                LOOSER("SupplementaryGroups");
        if (!str_eq(s->root_directory, b->root_directory))
                LOOSER("RootDirectory");
        /* Another network namespace, where PrivateNetwork= then has no effect. */
        if (s->network_namespace_path && !str_eq(s->network_namespace_path, b->network_namespace_path))
                LOOSER("NetworkNamespacePath");
        if (s->n_bind_mounts != b->n_bind_mounts)
                LOOSER("BindPaths");
        if (!paths_superset(b->read_write_paths, b->n_read_write_paths, s->read_write_paths, s->n_read_write_paths))
                LOOSER("ReadWritePaths");
        if (!paths_superset(b->exec_paths, b->n_exec_paths, s->exec_paths, s->n_exec_paths))
                LOOSER("ExecPaths");
        /* StateDirectory= and the others are writable whatever else is read-only. */
        for (ExecDirectoryType t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++)
                if (!strv_subset(s->directories[t].paths, b->directories[t].paths))
                        LOOSER(exec_directory_type_to_string(t));

        /* What is forbidden only grows. */
        if (!paths_superset(s->read_only_paths, s->n_read_only_paths, b->read_only_paths, b->n_read_only_paths))
                LOOSER("ReadOnlyPaths");
        if (!paths_superset(s->inaccessible_paths, s->n_inaccessible_paths, b->inaccessible_paths,
                            b->n_inaccessible_paths))
                LOOSER("InaccessiblePaths");
        if (!paths_superset(s->no_exec_paths, s->n_no_exec_paths, b->no_exec_paths, b->n_no_exec_paths))
                LOOSER("NoExecPaths");
        if (s->n_temporary_filesystems < b->n_temporary_filesystems)
                LOOSER("TemporaryFileSystem");

        if (b->syscall_filter_mode >= 0) {
                if (s->syscall_filter_mode != b->syscall_filter_mode || s->syscall_errno != b->syscall_errno)
                        LOOSER("SystemCallFilter");
                if (b->syscall_filter_mode == 1 ? !strv_subset(s->syscall_names, b->syscall_names)
                                                : !strv_subset(b->syscall_names, s->syscall_names))
                        LOOSER("SystemCallFilter");
        }
        if (b->address_family_mode >= 0) {
                if (s->address_family_mode != b->address_family_mode)
                        LOOSER("RestrictAddressFamilies");
                if (b->address_family_mode == 1
                            ? !ints_subset(s->address_families, s->n_address_families, b->address_families,
                                           b->n_address_families)
                            : !ints_subset(b->address_families, b->n_address_families, s->address_families,
                                           s->n_address_families))
                        LOOSER("RestrictAddressFamilies");
        }

        if (b->restrict_filesystems_mode >= 0) {
                if (s->restrict_filesystems_mode != b->restrict_filesystems_mode)
                        LOOSER("RestrictFileSystems");
                if (b->restrict_filesystems_mode == 1 ? !strv_subset(s->restrict_filesystems, b->restrict_filesystems)
                                                      : !strv_subset(b->restrict_filesystems, s->restrict_filesystems))
                        LOOSER("RestrictFileSystems");
        }

        /* Devices: the policy only tightens, and a restricted base grants no device it did not. */
        if (device_policy_level(s->device_policy, s->n_device_allow) < device_policy_level(b->device_policy, b->n_device_allow))
                LOOSER("DevicePolicy");
        if (device_policy_restricts(b->device_policy, b->n_device_allow) &&
            !device_allow_is_subset(s->device_allow, s->n_device_allow, b->device_allow, b->n_device_allow))
                LOOSER("DeviceAllow");

        /* Addresses: what is allowed only shrinks, what is denied only grows. */
        for (size_t i = 0; i < s->n_ip_address_allow; i++)
                if (!ip_prefixes_contain(b->ip_address_allow, b->n_ip_address_allow, s->ip_address_allow + i))
                        LOOSER("IPAddressAllow");
        for (size_t i = 0; i < b->n_ip_address_deny; i++)
                if (!ip_prefixes_contain(s->ip_address_deny, s->n_ip_address_deny, b->ip_address_deny + i))
                        LOOSER("IPAddressDeny");

        for (size_t i = 0; i < s->n_socket_bind_allow; i++)
                if (!socket_bind_rules_contain(b->socket_bind_allow, b->n_socket_bind_allow, s->socket_bind_allow + i))
                        LOOSER("SocketBindAllow");
        for (size_t i = 0; i < b->n_socket_bind_deny; i++)
                if (!socket_bind_rules_contain(s->socket_bind_deny, s->n_socket_bind_deny, b->socket_bind_deny + i))
                        LOOSER("SocketBindDeny");
        if (b->network_interfaces_mode >= 0) {
                if (s->network_interfaces_mode != b->network_interfaces_mode)
                        LOOSER("RestrictNetworkInterfaces");
                if (b->network_interfaces_mode == 1 ? !strv_subset(s->network_interfaces, b->network_interfaces)
                                                    : !strv_subset(b->network_interfaces, s->network_interfaces))
                        LOOSER("RestrictNetworkInterfaces");
        }

        /* Limits only drop. */
        for (size_t i = 0; i < spec_limits_size; i++)
                if (spec_limit_get(s, spec_limits + i) > spec_limit_get(b, spec_limits + i))
                        LOOSER(spec_limits[i].name);
        for (int r = 0; r < SANDBOX_RLIMIT_MAX; r++) {
                const ResourceLimit *lb = b->rlimits + r, *ls = s->rlimits + r;
                if (lb->hard_set && (!ls->hard_set || ls->hard > lb->hard))
                        LOOSER("Limit*");
                if (lb->soft_set && (!ls->soft_set || ls->soft > lb->soft))
                        LOOSER("Limit*Soft");
        }
        if (b->umask >= 0 && (s->umask < 0 ? 0022 : s->umask) != ((s->umask < 0 ? 0022 : s->umask) | b->umask))
                LOOSER("UMask");
        if (b->nice_set && (!s->nice_set || s->nice < b->nice))
                LOOSER("Nice");
        return true;
}

bool spec_stays_within_profile(const SandboxSpec *s, const SandboxSpec *b, const char **ret_property) {
        if (!spec_is_at_least_as_strict(s, b, ret_property))
                return false;
        /* A profile that leaves the bounding set unset grants none of it: unprivileged jobs get it empty. */
        if (s->capability_bounding_set_set && s->capability_bounding_set != 0 &&
            (!b->capability_bounding_set_set || (s->capability_bounding_set & ~b->capability_bounding_set)))
                LOOSER("CapabilityBoundingSet");
        if (s->no_new_privileges == 0 && b->no_new_privileges != 0)
                LOOSER("NoNewPrivileges");
        if (s->syscall_log_mode >= 0 &&
            (s->syscall_log_mode != b->syscall_log_mode || !strv_subset(s->syscall_log_names, b->syscall_log_names) ||
             !strv_subset(b->syscall_log_names, s->syscall_log_names)))
                LOOSER("SystemCallLog");
        return true;
}
