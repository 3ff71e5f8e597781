/* SPDX-License-Identifier: LGPL-2.1-or-later */
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cap-names.h"
#include "parse-util.h"
#include "property-apply.h"
#include "property-appliers.h"
#include "spec-fields.h"
#include "strv.h"

int property_fail(char **msg, int error, const char *format, ...) {
        va_list ap;

        va_start(ap, format);
        if (vasprintf(msg, format, ap) < 0)
                *msg = NULL;
        va_end(ap);
        return error;
}

#define invalid(msg, v, fmt, ...) property_fail((msg), -EINVAL, "%s: " fmt, (v)->info->name, ##__VA_ARGS__)

/* A scalar given again replaces the earlier value, as in systemd; "" resets it. */
static int set_string(char **field, const PropertyValue *v) {
        char *copy = NULL;

        if (v->s[0]) {
                copy = strdup(v->s);
                if (!copy)
                        return -ENOMEM;
        }
        free(*field);
        *field = copy;
        return 0;
}

/* As in systemd: assignments accumulate, a later NAME= overrides an earlier one (environment.c), and an
 * empty list resets. */
static int apply_environment(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (!v->strv || !v->strv[0]) {
                s->environment = strv_free(s->environment);
                return 0;
        }
        STRV_FOREACH(e, v->strv) {
                if (!env_assignment_is_valid(*e))
                        return invalid(msg, v, "invalid assignment \"%s\"", *e);
                if (strv_extend(&s->environment, *e) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/* As in systemd: "-" lets a missing directory pass, "~" is the user's home, "" resets; confine-exec
 * reads the "-" and the "~" (they stay in the string). */
static int apply_working_directory(SandboxSpec *s, const PropertyValue *v, char **msg) {
        const char *p = v->s + (v->s[0] == '-');
        _cleanup_free_ char *path = NULL;
        char *value;
        int r;

        if (!v->s[0]) {
                free(s->working_directory);
                s->working_directory = NULL;
                return 0;
        }
        if (streq(p, "~") || !p[0])
                path = strdup(p[0] ? p : "/");
        else {
                r = path_simplify_absolute(p, &path);
                if (r == -EINVAL)
                        return invalid(msg, v, "\"%s\" is not an absolute path without \"..\", or ~", v->s);
                if (r < 0)
                        return r;
        }
        if (!path || asprintf(&value, "%s%s", p != v->s ? "-" : "", path) < 0)
                return -ENOMEM;
        free(s->working_directory);
        s->working_directory = value;
        return 0;
}

/* An fd from the caller: anything that can be read or written, in the direction the job will use
 * it (access O_RDONLY/O_WRONLY, or -1 for either). Directories and O_PATH fds are refused: the
 * job could use them to reach out of its sandbox (openat on a host directory). */
static int take_caller_fd(int fd, int access, const PropertyValue *v, int *ret, char **msg) {
        struct stat st;
        int flags, copy;

        flags = fcntl(fd, F_GETFL);
        if (flags < 0 || fstat(fd, &st) < 0)
                return invalid(msg, v, "bad file descriptor");
        if (flags & O_PATH)
                return invalid(msg, v, "O_PATH file descriptor, which can be neither read nor written");
        if (S_ISDIR(st.st_mode))
                return invalid(msg, v, "file descriptor refers to a directory");
        if (access == O_RDONLY && (flags & O_ACCMODE) == O_WRONLY)
                return invalid(msg, v, "file descriptor is open for writing only, not for reading");
        if (access == O_WRONLY && (flags & O_ACCMODE) == O_RDONLY)
                return invalid(msg, v, "file descriptor is open for reading only, not for writing");
        copy = fcntl(fd, F_DUPFD_CLOEXEC, 3);
        if (copy < 0)
                return -errno;
        *ret = copy;
        return 0;
}

static int apply_stdio_fd(SandboxSpec *s, const PropertyValue *v, char **msg) {
        const char *n = v->info->name;
        int idx = streq(n, "StandardInputFileDescriptor") ? 0 : streq(n, "StandardOutputFileDescriptor") ? 1 : 2;

        int fd, r;

        /* Given again, the later fd replaces the earlier one, as any scalar does. */
        r = take_caller_fd(v->fd, idx == 0 ? O_RDONLY : O_WRONLY, v, &fd, msg);
        if (r < 0)
                return r;
        safe_close(s->stdio_fds[idx]);
        s->stdio_fds[idx] = fd;
        return 0;
}

static bool fd_name_is_valid(const char *n) {
        size_t l = strlen(n);
        if (l == 0 || l > 255)
                return false;
        for (const char *p = n; *p; p++)
                if (*p == ':' || (unsigned char) *p < 0x20 || *p == 0x7f)
                        return false;
        return true;
}

static int apply_extra_fds(SandboxSpec *s, const PropertyValue *v, char **msg) {
        for (size_t i = 0; i < v->n_tuples; i++) {
                int copy, r;

                if (!fd_name_is_valid(v->tuples[i].a))
                        return invalid(msg, v, "invalid name \"%s\"", v->tuples[i].a);
                r = take_caller_fd(v->tuples[i].fd, -1, v, &copy, msg);
                if (r < 0)
                        return r;
                r = sandbox_spec_add_extra_fd(s, copy, v->tuples[i].a);
                if (r < 0) {
                        safe_close(copy);
                        return r;
                }
        }
        return 0;
}

static bool user_name_is_valid(const char *u) {
        size_t l = strlen(u);
        if (l == 0 || l > 256 || u[0] == '-')
                return false;
        for (const char *p = u; *p; p++)
                if (!(('a' <= *p && *p <= 'z') || ('A' <= *p && *p <= 'Z') || ('0' <= *p && *p <= '9') ||
                      *p == '_' || *p == '-' || *p == '.' || (*p == '$' && p[1] == 0)))
                        return false;
        return true;
}

static int apply_user_or_group(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->s[0] && !user_name_is_valid(v->s))
                return invalid(msg, v, "invalid name \"%s\"", v->s);
        return set_string(streq(v->info->name, "User") ? &s->user : &s->group, v);
}

static int apply_no_new_privileges(SandboxSpec *s, const PropertyValue *v, char **msg) {
        s->no_new_privileges = v->b;
        return 0;
}

static int apply_capability_bounding_set(SandboxSpec *s, const PropertyValue *v, char **msg) {
        int r = capability_set_merge(&s->capability_bounding_set, CAP_ALL_MASK, v->t);

        if (r < 0)
                return invalid(msg, v, "unknown capability bits 0x%" PRIx64, v->t & ~CAP_ALL_MASK);
        s->capability_bounding_set_set = true;
        return 0;
}

/* Every switch of spec-fields.h. */
static int apply_switch(SandboxSpec *s, const PropertyValue *v, char **msg) {
        const SpecField *f = spec_switch_lookup(v->info->name);

        if (!f)
                return property_fail(msg, -EINVAL, "%s: not a switch", v->info->name);
        spec_switch_set(s, f, v->b);
        return 0;
}

static int apply_mount_apivfs(SandboxSpec *s, const PropertyValue *v, char **msg) {
        s->mount_apivfs = v->b;
        return 0;
}

/* The string twin of PrivateTmp. The private /tmp is always a fresh tmpfs, which is what
 * systemd calls "disconnected"; "yes" gets the same, which is stricter than systemd's. */
static int apply_private_tmp_ex(SandboxSpec *s, const PropertyValue *v, char **msg) {
        int b = parse_boolean(v->s);

        if (b >= 0)
                s->private_tmp = b;
        else if (streq(v->s, "disconnected"))
                s->private_tmp = true;
        else
                return invalid(msg, v, "unknown value \"%s\", expected yes, no or disconnected", v->s);
        return 0;
}

static bool profile_name_is_valid(const char *n) {
        size_t l = strlen(n);
        if (l == 0 || l > 64)
                return false;
        for (const char *p = n; *p; p++)
                if (!(('a' <= *p && *p <= 'z') || ('A' <= *p && *p <= 'Z') || ('0' <= *p && *p <= '9') ||
                      *p == '-' || *p == '_' || (*p == '.' && p != n)))
                        return false;
        return true;
}

/* Only the name here: the daemon loads the profile and lays the explicit properties over it
 * (profile.c), whatever their order in the request. */
static int apply_profile(SandboxSpec *s, const PropertyValue *v, char **msg) {
        if (v->s[0] && !profile_name_is_valid(v->s))
                return invalid(msg, v, "invalid profile name \"%s\"", v->s);
        return set_string(&s->profile, v);
}

/* The registry: every property confine implements, with its systemd name and D-Bus signature,
 * how `-p Name=Value` reads it, and how it is applied. SupportedProperties is this list. */
const PropertyInfo property_table[] = {
        { "Environment",                  "as",    PROPERTY_TEXT_ENVIRONMENT,  apply_environment },
        { "WorkingDirectory",             "s",     PROPERTY_TEXT_STRING,       apply_working_directory },
        { "StandardInputFileDescriptor",  "h",     PROPERTY_TEXT_NONE,         apply_stdio_fd },
        { "StandardOutputFileDescriptor", "h",     PROPERTY_TEXT_NONE,         apply_stdio_fd },
        { "StandardErrorFileDescriptor",  "h",     PROPERTY_TEXT_NONE,         apply_stdio_fd },
        { "ExtraFileDescriptors",         "a(hs)", PROPERTY_TEXT_NONE,         apply_extra_fds },
        /* What the job reads and writes at its start (property-apply-io.c, -credentials.c) */
        { "StandardInput",                "s",     PROPERTY_TEXT_STDIO,        apply_standard_stream },
        { "StandardOutput",               "s",     PROPERTY_TEXT_STDIO,        apply_standard_stream },
        { "StandardError",                "s",     PROPERTY_TEXT_STDIO,        apply_standard_stream },
        { "StandardInputFile",            "s",     PROPERTY_TEXT_STRING,       apply_standard_stream_file },
        { "StandardOutputFile",           "s",     PROPERTY_TEXT_STRING,       apply_standard_stream_file },
        { "StandardOutputFileToAppend",   "s",     PROPERTY_TEXT_STRING,       apply_standard_stream_file },
        { "StandardOutputFileToTruncate", "s",     PROPERTY_TEXT_STRING,       apply_standard_stream_file },
        { "StandardErrorFile",            "s",     PROPERTY_TEXT_STRING,       apply_standard_stream_file },
        { "StandardErrorFileToAppend",    "s",     PROPERTY_TEXT_STRING,       apply_standard_stream_file },
        { "StandardErrorFileToTruncate",  "s",     PROPERTY_TEXT_STRING,       apply_standard_stream_file },
        { "StandardInputData",            "ay",    PROPERTY_TEXT_BASE64,       apply_standard_input_data },
        { "EnvironmentFiles",             "a(sb)", PROPERTY_TEXT_ENVIRONMENT_FILE, apply_environment_file },
        { "LoadCredential",               "a(ss)", PROPERTY_TEXT_CREDENTIAL,   apply_load_credential },
        { "SetCredential",                "a(say)", PROPERTY_TEXT_CREDENTIAL,  apply_set_credential },
        { "SetCredentialEncrypted",       "a(say)", PROPERTY_TEXT_CREDENTIAL,  apply_set_credential_encrypted },
        { "User",                         "s",     PROPERTY_TEXT_STRING,       apply_user_or_group },
        { "Group",                        "s",     PROPERTY_TEXT_STRING,       apply_user_or_group },
        { "NoNewPrivileges",              "b",     PROPERTY_TEXT_BOOLEAN,      apply_no_new_privileges },
        { "CapabilityBoundingSet",        "t",     PROPERTY_TEXT_CAPABILITIES, apply_capability_bounding_set },
        { "PrivateTmpEx",                 "s",     PROPERTY_TEXT_STRING,       apply_private_tmp_ex },
        { "Profile",                      "s",     PROPERTY_TEXT_STRING,       apply_profile },
        { "SupplementaryGroups",          "as",    PROPERTY_TEXT_WORDS,        apply_supplementary_groups },
        { "AmbientCapabilities",          "t",     PROPERTY_TEXT_CAPABILITIES, apply_ambient_capabilities },
        { "UMask",                        "u",     PROPERTY_TEXT_UMASK,        apply_umask },
        { "Nice",                         "i",     PROPERTY_TEXT_NICE,         apply_nice },
        { "RuntimeMaxUSec",               "t",     PROPERTY_TEXT_TIMESPAN,     apply_runtime_max },
        { "MemoryMax",                    "t",     PROPERTY_TEXT_SIZE,         apply_cgroup_limit },
        { "TasksMax",                     "t",     PROPERTY_TEXT_COUNT,        apply_cgroup_limit },
        { "MemoryMaxScale",               "u",     PROPERTY_TEXT_NONE,         apply_cgroup_scale },
        { "TasksMaxScale",                "u",     PROPERTY_TEXT_NONE,         apply_cgroup_scale },
        { "CPUQuotaPerSecUSec",           "t",     PROPERTY_TEXT_CPU_QUOTA,    apply_cgroup_limit },
        { "MemoryHigh",                   "t",     PROPERTY_TEXT_SIZE,         apply_cgroup_limit },
        { "MemorySwapMax",                "t",     PROPERTY_TEXT_SIZE,         apply_cgroup_limit },
        { "MemoryLow",                    "t",     PROPERTY_TEXT_SIZE,         apply_cgroup_limit },
        { "MemoryHighScale",              "u",     PROPERTY_TEXT_NONE,         apply_cgroup_scale },
        { "MemorySwapMaxScale",           "u",     PROPERTY_TEXT_NONE,         apply_cgroup_scale },
        { "MemoryLowScale",               "u",     PROPERTY_TEXT_NONE,         apply_cgroup_scale },
        { "CPUWeight",                    "t",     PROPERTY_TEXT_CPU_WEIGHT,   apply_cgroup_limit },
        { "IOWeight",                     "t",     PROPERTY_TEXT_WEIGHT,       apply_cgroup_limit },
        { "DeviceAllow",                  "a(ss)", PROPERTY_TEXT_DEVICE_ALLOW, apply_device_allow },
        { "DevicePolicy",                 "s",     PROPERTY_TEXT_STRING,       apply_device_policy },
#define RLIMIT_ENTRIES(name) \
        { name, "t", PROPERTY_TEXT_RLIMIT, apply_rlimit }, { name "Soft", "t", PROPERTY_TEXT_RLIMIT, apply_rlimit }
        RLIMIT_ENTRIES("LimitCPU"),     RLIMIT_ENTRIES("LimitFSIZE"),      RLIMIT_ENTRIES("LimitDATA"),
        RLIMIT_ENTRIES("LimitSTACK"),   RLIMIT_ENTRIES("LimitCORE"),       RLIMIT_ENTRIES("LimitRSS"),
        RLIMIT_ENTRIES("LimitNOFILE"),  RLIMIT_ENTRIES("LimitAS"),         RLIMIT_ENTRIES("LimitNPROC"),
        RLIMIT_ENTRIES("LimitMEMLOCK"), RLIMIT_ENTRIES("LimitLOCKS"),      RLIMIT_ENTRIES("LimitSIGPENDING"),
        RLIMIT_ENTRIES("LimitMSGQUEUE"), RLIMIT_ENTRIES("LimitNICE"),      RLIMIT_ENTRIES("LimitRTPRIO"),
        RLIMIT_ENTRIES("LimitRTTIME"),
#undef RLIMIT_ENTRIES
#define SWITCH_ROW(name, field, shown) { name, "b", PROPERTY_TEXT_BOOLEAN, apply_switch },
        SPEC_SWITCHES(SWITCH_ROW)
#undef SWITCH_ROW
        /* Filesystem and namespaces (property-apply-fs.c) */
        { "ProtectSystem",                "s",     PROPERTY_TEXT_STRING,       apply_protect_system },
        { "ProtectHome",                  "s",     PROPERTY_TEXT_STRING,       apply_protect_home },
        { "ReadWritePaths",               "as",    PROPERTY_TEXT_WORDS,        apply_fs_paths },
        { "ReadOnlyPaths",                "as",    PROPERTY_TEXT_WORDS,        apply_fs_paths },
        { "InaccessiblePaths",            "as",    PROPERTY_TEXT_WORDS,        apply_fs_paths },
        { "ReadWriteDirectories",         "as",    PROPERTY_TEXT_WORDS,        apply_fs_paths },
        { "ReadOnlyDirectories",          "as",    PROPERTY_TEXT_WORDS,        apply_fs_paths },
        { "InaccessibleDirectories",      "as",    PROPERTY_TEXT_WORDS,        apply_fs_paths },
        { "NoExecPaths",                  "as",    PROPERTY_TEXT_WORDS,        apply_fs_paths },
        { "ExecPaths",                    "as",    PROPERTY_TEXT_WORDS,        apply_fs_paths },
        { "TemporaryFileSystem",          "a(ss)", PROPERTY_TEXT_TMPFS,        apply_temporary_filesystem },
        { "BindPaths",                    "a(ssbt)", PROPERTY_TEXT_BIND_PATHS, apply_bind_paths },
        { "BindReadOnlyPaths",            "a(ssbt)", PROPERTY_TEXT_BIND_PATHS, apply_bind_paths },
        { "RootDirectory",                "s",     PROPERTY_TEXT_STRING,       apply_root_directory },
        { "MountAPIVFS",                  "b",     PROPERTY_TEXT_BOOLEAN,      apply_mount_apivfs },
        { "RuntimeDirectory",             "as",    PROPERTY_TEXT_WORDS,        apply_exec_directory },
        { "StateDirectory",               "as",    PROPERTY_TEXT_WORDS,        apply_exec_directory },
        { "CacheDirectory",               "as",    PROPERTY_TEXT_WORDS,        apply_exec_directory },
        { "LogsDirectory",                "as",    PROPERTY_TEXT_WORDS,        apply_exec_directory },
        { "ConfigurationDirectory",       "as",    PROPERTY_TEXT_WORDS,        apply_exec_directory },
        { "RuntimeDirectoryMode",         "u",     PROPERTY_TEXT_MODE,         apply_exec_directory_mode },
        { "StateDirectoryMode",           "u",     PROPERTY_TEXT_MODE,         apply_exec_directory_mode },
        { "CacheDirectoryMode",           "u",     PROPERTY_TEXT_MODE,         apply_exec_directory_mode },
        { "LogsDirectoryMode",            "u",     PROPERTY_TEXT_MODE,         apply_exec_directory_mode },
        { "ConfigurationDirectoryMode",   "u",     PROPERTY_TEXT_MODE,         apply_exec_directory_mode },
        { "RuntimeDirectoryPreserve",     "s",     PROPERTY_TEXT_STRING,       apply_runtime_directory_preserve },
        /* The process namespace and /proc (property-apply-proc.c); PrivatePIDs= is a switch. */
        { "ProtectProc",                  "s",     PROPERTY_TEXT_STRING,       apply_protect_proc },
        { "ProcSubset",                   "s",     PROPERTY_TEXT_STRING,       apply_proc_subset },
        /* Process attributes confine-exec sets (property-apply-process.c) */
        { "KeyringMode",                  "s",     PROPERTY_TEXT_STRING,       apply_keyring_mode },
        { "Personality",                  "s",     PROPERTY_TEXT_STRING,       apply_personality },
        { "SecureBits",                   "i",     PROPERTY_TEXT_SECURE_BITS,  apply_secure_bits },
        { "UnsetEnvironment",             "as",    PROPERTY_TEXT_WORDS,        apply_unset_environment },
        { "IgnoreSIGPIPE",                "b",     PROPERTY_TEXT_BOOLEAN,      apply_ignore_sigpipe },
        { "TTYRows",                      "u",     PROPERTY_TEXT_UNSIGNED,     apply_tty_size },
        { "TTYColumns",                   "u",     PROPERTY_TEXT_UNSIGNED,     apply_tty_size },
        { "TimerSlackNSec",               "t",     PROPERTY_TEXT_NSEC,         apply_timer_slack },
        { "CoredumpFilter",               "t",     PROPERTY_TEXT_COREDUMP_FILTER, apply_coredump_filter },
        { "OOMScoreAdjust",               "i",     PROPERTY_TEXT_INT,          apply_oom_score_adjust },
        { "CPUAffinity",                  "ay",    PROPERTY_TEXT_CPU_SET,      apply_cpu_affinity },
        { "IOSchedulingClass",            "i",     PROPERTY_TEXT_IOPRIO_CLASS, apply_io_scheduling_class },
        { "IOSchedulingPriority",         "i",     PROPERTY_TEXT_INT,          apply_io_scheduling_priority },
        { "CPUSchedulingPolicy",          "i",     PROPERTY_TEXT_SCHED_POLICY, apply_cpu_scheduling_policy },
        { "CPUSchedulingPriority",        "i",     PROPERTY_TEXT_INT,          apply_cpu_scheduling_priority },
        { "CPUSchedulingResetOnFork",     "b",     PROPERTY_TEXT_BOOLEAN,      apply_cpu_scheduling_reset_on_fork },
        /* How the daemon stops a job (property-apply-process.c, daemon/job.c) */
        { "KillMode",                     "s",     PROPERTY_TEXT_STRING,       apply_kill_mode },
        { "KillSignal",                   "i",     PROPERTY_TEXT_SIGNAL,       apply_kill_signal },
        { "FinalKillSignal",              "i",     PROPERTY_TEXT_SIGNAL,       apply_kill_signal },
        { "SendSIGKILL",                  "b",     PROPERTY_TEXT_BOOLEAN,      apply_send_sigkill },
        { "TimeoutStopUSec",              "t",     PROPERTY_TEXT_TIMESPAN,     apply_timeout_stop },
        /* Seccomp (property-apply-seccomp.c) */
        { "SystemCallFilter",             "(bas)", PROPERTY_TEXT_FILTER_LIST,  apply_system_call_filter },
        { "SystemCallErrorNumber",        "i",     PROPERTY_TEXT_ERRNO,        apply_system_call_error_number },
        { "SystemCallLog",                "(bas)", PROPERTY_TEXT_FILTER_LIST,  apply_system_call_log },
        { "SystemCallArchitectures",      "as",    PROPERTY_TEXT_WORDS,        apply_system_call_architectures },
        { "RestrictAddressFamilies",      "(bas)", PROPERTY_TEXT_FILTER_LIST,  apply_restrict_address_families },
        { "RestrictFileSystems",          "(bas)", PROPERTY_TEXT_FILTER_LIST,  apply_restrict_filesystems },
        { "RestrictNamespaces",           "t",     PROPERTY_TEXT_NAMESPACES,   apply_restrict_namespaces },
        /* Network filters the daemon attaches to the job's cgroup (property-apply-network.c) */
        { "IPAddressAllow",               "a(iayu)", PROPERTY_TEXT_IP_PREFIXES, apply_ip_address_list },
        { "IPAddressDeny",                "a(iayu)", PROPERTY_TEXT_IP_PREFIXES, apply_ip_address_list },
        { "IPAccounting",                 "b",     PROPERTY_TEXT_BOOLEAN,      apply_ip_accounting },
        { "RestrictNetworkInterfaces",    "(bas)", PROPERTY_TEXT_FILTER_LIST,  apply_restrict_network_interfaces },
        { "SocketBindAllow",              "a(iiqq)", PROPERTY_TEXT_SOCKET_BIND, apply_socket_bind },
        { "SocketBindDeny",               "a(iiqq)", PROPERTY_TEXT_SOCKET_BIND, apply_socket_bind },
        { "NetworkNamespacePath",         "s",     PROPERTY_TEXT_STRING,       apply_network_namespace_path },
};
const size_t property_table_size = ELEMENTSOF(property_table);

int property_apply(SandboxSpec *spec, const PropertyValue *value, char **ret_message) {
        return value->info->apply(spec, value, ret_message);
}

int property_apply_text(SandboxSpec *spec, const char *assignment, char **ret_message) {
        _cleanup_(property_value_done) PropertyValue v = { .fd = -EBADF };
        const char *reason = NULL;
        int r;

        *ret_message = NULL;
        r = property_value_parse(assignment, &v, &reason);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                return property_fail(ret_message, r, "%.*s: %s", (int) strcspn(assignment, "="), assignment,
                                     reason ?: strerror(-r));
        return property_apply(spec, &v, ret_message);
}
