/* SPDX-License-Identifier: LGPL-2.1-or-later */
#pragma once

/* Appliers that live outside property-apply.c, for its table. Each validates one value and
 * applies it to the spec; see property_apply(). */

#include "property-table.h"
#include "sandbox-spec.h"

int apply_rlimit(SandboxSpec *s, const PropertyValue *v, char **msg);
/* "LimitNOFILESoft" → RLIMIT_NOFILE with *ret_soft set; -EINVAL for other names. */
int rlimit_from_property_name(const char *name, bool *ret_soft);
int apply_umask(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_tty_size(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_nice(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_runtime_max(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_cgroup_limit(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_cgroup_scale(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_supplementary_groups(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_ambient_capabilities(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_device_allow(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_device_policy(SandboxSpec *s, const PropertyValue *v, char **msg);

/* property-apply-fs.c */
int apply_protect_system(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_protect_home(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_fs_paths(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_bind_paths(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_temporary_filesystem(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_root_directory(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_exec_directory(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_exec_directory_mode(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_runtime_directory_preserve(SandboxSpec *s, const PropertyValue *v, char **msg);

/* property-apply-proc.c */
int apply_protect_proc(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_proc_subset(SandboxSpec *s, const PropertyValue *v, char **msg);

/* property-apply-process.c */
int apply_keyring_mode(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_personality(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_secure_bits(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_unset_environment(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_ignore_sigpipe(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_timer_slack(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_coredump_filter(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_oom_score_adjust(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_cpu_affinity(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_io_scheduling_class(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_io_scheduling_priority(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_cpu_scheduling_policy(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_cpu_scheduling_priority(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_cpu_scheduling_reset_on_fork(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_kill_mode(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_kill_signal(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_send_sigkill(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_timeout_stop(SandboxSpec *s, const PropertyValue *v, char **msg);

/* property-apply-seccomp.c */
int apply_system_call_filter(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_system_call_log(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_system_call_error_number(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_system_call_architectures(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_restrict_address_families(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_restrict_filesystems(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_restrict_namespaces(SandboxSpec *s, const PropertyValue *v, char **msg);

/* Formats "Name: reason" into *msg and returns error. */
int property_fail(char **msg, int error, const char *format, ...) _printf_(3, 4);

/* property-apply-network.c */
int apply_ip_address_list(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_ip_accounting(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_restrict_network_interfaces(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_socket_bind(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_network_namespace_path(SandboxSpec *s, const PropertyValue *v, char **msg);

/* property-apply-io.c */
#define STDIN_DATA_MAX (16u * 1024u * 1024u)  /* systemd's EXEC_STDIN_DATA_MAX is 64 MiB; see design.md */
#define ENVIRONMENT_FILES_MAX 64u
int apply_standard_stream(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_standard_stream_file(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_standard_input_data(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_environment_file(SandboxSpec *s, const PropertyValue *v, char **msg);

/* property-apply-credentials.c: systemd's CREDENTIAL_SIZE_MAX, CREDENTIALS_TOTAL_SIZE_MAX. */
#define CREDENTIAL_SIZE_MAX (1024u * 1024u)
#define CREDENTIALS_TOTAL_SIZE_MAX (64u * 1024u * 1024u)
#define CREDENTIALS_MAX 256u
bool credential_name_is_valid(const char *s);
int apply_load_credential(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_set_credential(SandboxSpec *s, const PropertyValue *v, char **msg);
int apply_set_credential_encrypted(SandboxSpec *s, const PropertyValue *v, char **msg);
