/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"

#include "cap-names.h"
#include "namespace-names.h"
#include "sandbox-spec.h"
#include "strv.h"

SandboxSpec *sandbox_spec_new(void) {
        SandboxSpec *s = calloc(1, sizeof(SandboxSpec));
        if (!s)
                return NULL;
        s->stdio_fds[0] = s->stdio_fds[1] = s->stdio_fds[2] = -EBADF;
        s->uid = (uid_t) -1;
        s->gid = (gid_t) -1;
        s->no_new_privileges = -1;
        s->capability_bounding_set = CAP_ALL_MASK;
        s->syscall_filter_mode = -1;
        s->syscall_log_mode = -1;
        s->restrict_namespaces = UINT64_MAX;
        s->address_family_mode = -1;
        s->restrict_filesystems_mode = -1;
        s->network_interfaces_mode = -1;
        s->umask = -1;
        s->tty_rows = s->tty_columns = UINT32_MAX;
        s->keyring_mode = KEYRING_MODE_PRIVATE;
        s->personality = -1;
        s->timer_slack_nsec = UINT64_MAX;
        s->ioprio_class = s->ioprio_priority = -1;
        s->cpu_sched_policy = -1;
        s->kill_signal = SIGTERM;
        s->final_kill_signal = SIGKILL;
        s->send_sigkill = true;
        s->timeout_stop_usec = 90 * UINT64_C(1000000);
        s->netns_fd = -1;
        s->netns_path_fd = -EBADF;
        s->netns_path_owner = (uid_t) -1;
        s->nest_fd = -1;
        s->runtime_max_usec = UINT64_MAX;
        s->memory_max = UINT64_MAX;
        s->tasks_max = UINT64_MAX;
        s->cpu_quota_per_sec_usec = UINT64_MAX;
        for (ExecDirectoryType t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++)
                s->directories[t].mode = EXEC_DIRECTORY_MODE_DEFAULT;
        s->memory_high = s->memory_swap_max = UINT64_MAX;
        s->memory_low = 0;
        s->cpu_weight = s->io_weight = CGROUP_WEIGHT_DEFAULT;
        return s;
}

static void path_entries_free(PathEntry *p, size_t n) {
        for (size_t i = 0; i < n; i++)
                free(p[i].path);
        free(p);
}

SeccompProgram *seccomp_programs_free(SeccompProgram *p, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(p[i].what);
                free(p[i].code);
        }
        free(p);
        return NULL;
}

SandboxSpec *sandbox_spec_free(SandboxSpec *s) {
        if (!s)
                return NULL;
        strv_free(s->argv);
        strv_free(s->environment);
        free(s->working_directory);
        for (int i = 0; i < 3; i++)
                safe_close(s->stdio_fds[i]);
        for (size_t i = 0; i < s->n_extra_fds; i++) {
                safe_close(s->extra_fds[i].fd);
                free(s->extra_fds[i].name);
        }
        free(s->extra_fds);
        free(s->user);
        free(s->group);
        free(s->groups);
        strv_free(s->supplementary_groups);
        free(s->root_directory);
        free(s->profile);
        strv_free(s->unset_environment);
        for (int i = 0; i < 3; i++)
                free(s->stdio_path[i]);
        free(s->stdin_data);
        strv_free(s->environment_files);
        load_credentials_free(s->load_credentials, s->n_load_credentials);
        set_credentials_free(s->set_credentials, s->n_set_credentials);
        free(s->cpu_affinity);
        path_entries_free(s->read_write_paths, s->n_read_write_paths);
        path_entries_free(s->read_only_paths, s->n_read_only_paths);
        path_entries_free(s->inaccessible_paths, s->n_inaccessible_paths);
        path_entries_free(s->no_exec_paths, s->n_no_exec_paths);
        path_entries_free(s->exec_paths, s->n_exec_paths);
        for (size_t i = 0; i < s->n_bind_mounts; i++) {
                free(s->bind_mounts[i].source);
                free(s->bind_mounts[i].destination);
        }
        free(s->bind_mounts);
        for (size_t i = 0; i < s->n_temporary_filesystems; i++) {
                free(s->temporary_filesystems[i].path);
                free(s->temporary_filesystems[i].options);
        }
        free(s->temporary_filesystems);
        for (ExecDirectoryType t = 0; t < _EXEC_DIRECTORY_TYPE_MAX; t++) {
                strv_free(s->directories[t].paths);
                free(s->directories[t].root);
        }
        strv_free(s->syscall_names);
        strv_free(s->syscall_log_names);
        free(s->address_families);
        strv_free(s->restrict_filesystems);
        seccomp_programs_free(s->seccomp_programs, s->n_seccomp_programs);
        device_allow_free(s->device_allow, s->n_device_allow);
        device_rules_free(s->device_rules, s->n_device_rules);
        free(s->ip_address_allow);
        free(s->ip_address_deny);
        strv_free(s->network_interfaces);
        free(s->socket_bind_allow);
        free(s->network_namespace_path);
        safe_close(s->netns_path_fd);
        free(s->socket_bind_deny);
        free(s);
        return NULL;
}

void load_credentials_free(LoadCredential *l, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(l[i].id);
                free(l[i].path);
        }
        free(l);
}

void set_credentials_free(SetCredential *l, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(l[i].id);
                free(l[i].data);
        }
        free(l);
}

bool sandbox_spec_has_credentials(const SandboxSpec *s) {
        return s->n_load_credentials > 0 || s->n_set_credentials > 0;
}

StdioMode sandbox_spec_stdin_mode(const SandboxSpec *s) {
        if (s->stdio_mode[0] == STDIO_UNSET && s->stdin_data_size > 0)
                return STDIO_DATA;
        return s->stdio_mode[0];
}

bool sandbox_spec_needs_mount_namespace(const SandboxSpec *s) {
        /* PrivateIPC= gets a fresh /dev/mqueue and ProtectHostname= a read-only
         * /proc/sys/kernel/hostname, as in systemd: both need a mount namespace too. So does a device
         * restriction, whose /dev holds only the allowed nodes. */
        return s->private_tmp || s->private_devices || s->protect_kernel_tunables || s->protect_kernel_modules ||
               s->private_ipc || s->protect_hostname || s->protect_kernel_logs || sandbox_spec_needs_private_proc(s) ||
               s->protect_control_groups || s->private_mounts || s->mount_apivfs || s->protect_system != PROTECT_SYSTEM_NO ||
               s->protect_home != PROTECT_HOME_NO || s->root_directory || s->n_read_write_paths > 0 ||
               s->n_read_only_paths > 0 || s->n_inaccessible_paths > 0 || s->n_no_exec_paths > 0 ||
               s->n_exec_paths > 0 || s->n_bind_mounts > 0 ||
               s->n_temporary_filesystems > 0 || sandbox_spec_restricts_devices(s) ||
               sandbox_spec_has_credentials(s); /* a private /run/credentials */
}

bool sandbox_spec_needs_private_proc(const SandboxSpec *s) {
        return s->private_pids || s->protect_proc != PROTECT_PROC_DEFAULT || s->proc_subset != PROC_SUBSET_ALL;
}

bool sandbox_spec_wants_seccomp(const SandboxSpec *s) {
        return s->syscall_native_only || s->address_family_mode >= 0 || s->memory_deny_write_execute ||
               s->restrict_realtime || s->restrict_suid_sgid ||
               (s->restrict_namespaces & namespace_flags_all()) != namespace_flags_all() || s->lock_personality ||
               s->restrict_terminal_injection || s->private_devices || s->protect_kernel_modules ||
               s->protect_hostname || s->protect_clock || s->protect_kernel_logs || s->syscall_filter_mode >= 0 ||
               s->syscall_log_mode >= 0;
}

bool sandbox_spec_restricts_devices(const SandboxSpec *s) {
        return device_policy_restricts(s->device_policy, s->n_device_allow) || s->n_device_rules > 0;
}

static const char *const protect_system_table[_PROTECT_SYSTEM_MAX] = {
        [PROTECT_SYSTEM_NO] = "no",
        [PROTECT_SYSTEM_YES] = "yes",
        [PROTECT_SYSTEM_FULL] = "full",
        [PROTECT_SYSTEM_STRICT] = "strict",
};

const char *protect_system_to_string(ProtectSystem p) {
        return p >= 0 && p < _PROTECT_SYSTEM_MAX ? protect_system_table[p] : NULL;
}

ProtectSystem protect_system_from_string(const char *s) {
        for (int i = 0; i < _PROTECT_SYSTEM_MAX; i++)
                if (streq(s, protect_system_table[i]))
                        return (ProtectSystem) i;
        return _PROTECT_SYSTEM_INVALID;
}

static const char *const protect_home_table[_PROTECT_HOME_MAX] = {
        [PROTECT_HOME_NO] = "no",
        [PROTECT_HOME_YES] = "yes",
        [PROTECT_HOME_READ_ONLY] = "read-only",
        [PROTECT_HOME_TMPFS] = "tmpfs",
};

const char *protect_home_to_string(ProtectHome p) {
        return p >= 0 && p < _PROTECT_HOME_MAX ? protect_home_table[p] : NULL;
}

ProtectHome protect_home_from_string(const char *s) {
        for (int i = 0; i < _PROTECT_HOME_MAX; i++)
                if (streq(s, protect_home_table[i]))
                        return (ProtectHome) i;
        return _PROTECT_HOME_INVALID;
}

int sandbox_spec_add_extra_fd(SandboxSpec *s, int fd, const char *name) {
        ExtraFd *n;
        char *copy = strdup(name);

        if (!copy)
                return -ENOMEM;
        n = realloc(s->extra_fds, (s->n_extra_fds + 1) * sizeof(ExtraFd));
        if (!n) {
                free(copy);
                return -ENOMEM;
        }
        s->extra_fds = n;
        s->extra_fds[s->n_extra_fds++] = (ExtraFd) { .fd = fd, .name = copy };
        return 0;
}

bool sandbox_spec_wants_network_bpf(const SandboxSpec *s) {
        return s->n_ip_address_allow > 0 || s->n_ip_address_deny > 0 || s->ip_accounting ||
               s->network_interfaces_mode >= 0 || s->n_socket_bind_allow > 0 || s->n_socket_bind_deny > 0;
}
